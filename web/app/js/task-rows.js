// A task as one row of a table (the task list, a plan's page): its title linking to
// its page, lead, deadline, status and percent, as the API gives them.
import { element, link } from './dom.js';
import { statusText } from './labels.js';
import * as format from './format.js';

/** The fields of `Task` a row shows. */
export const TASK_ROW_FIELDS = 'id title deadline status overdue percent lead { name } plan { number }';

/** A `<tr>` for a task; `withPlan` adds its plan's number under the title. */
export function taskRow(task, withPlan) {
  const row = element('tr', { 'data-task': task.id });
  const title = element('th', { scope: 'row' });
  title.append(link(`/nhiem-vu/${encodeURIComponent(task.id)}`, task.title));
  if (withPlan && task.plan) title.append(element('span', { class: 'muted small block' }, task.plan.number));
  row.append(
    title,
    element('td', {}, task.lead ? task.lead.name : '—'),
    element('td', {}, task.deadline ? format.date(task.deadline) : 'Thường xuyên'),
    element('td', { class: task.overdue ? 'overdue' : '' }, statusText(task)),
    element('td', { class: 'num' }, format.percent(task.percent)),
  );
  return row;
}
