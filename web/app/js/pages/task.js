// A task's page (/nhiem-vu/<id>): its figures as the API gives them, its history as
// a timeline (who, in which role, when it took place and when it was recorded — an
// entry recorded in arrears is marked — why, and each change old → new), and the
// forms of those who may act on it: the lead's and coordinators' officers report
// progress, the lead's officers complete it, the secretariat extends its deadline.
// Refusals are shown as the API words them, with the field they name.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, link, idInPath, loaded } from '../dom.js';
import { statusText } from '../labels.js';
import { mutationId, onSubmit, value } from '../forms.js';
import * as format from '../format.js';

const TASK = `query Task($id: ID!) {
  viewer { name jurisdiction role { code labelVi } agency { id } }
  task(id: $id) {
    id title status overdue daysOverdue daysLate percent percentFromSubtasks reportedPercent
    deadline completedOn lastReportedOn version
    timeliness { labelVi } category { labelVi }
    plan { id number title } parent { id title } subtasks { id title }
    lead { id name } coordinators { id name }
    history {
      position eventType occurredAt recordedAt recordedInArrears reason
      actor { name userId role { labelVi } }
      changes { field old new }
    }
  }
}`;

const PAYLOAD = 'task { id } version replayed';

const REPORT = `mutation Report($input: ReportProgressInput!) { reportProgress(input: $input) { ${PAYLOAD} } }`;
const COMPLETE = `mutation Complete($input: CompleteTaskInput!) { completeTask(input: $input) { ${PAYLOAD} } }`;
const EXTEND = `mutation Extend($input: ExtendDeadlineInput!) { extendDeadline(input: $input) { ${PAYLOAD} } }`;

/** What each event is called in the timeline. */
const EVENTS = {
  TaskCreated: 'Giao nhiệm vụ',
  TaskAmended: 'Sửa đổi nhiệm vụ',
  TaskProgressReported: 'Báo cáo tiến độ',
  TaskCompleted: 'Hoàn thành',
  TaskDeadlineExtended: 'Gia hạn',
  TaskReassigned: 'Giao lại cơ quan chủ trì',
  TaskTransferred: 'Chuyển cho cơ quan kế thừa',
  TaskCancelled: 'Hủy nhiệm vụ',
  TaskReopened: 'Mở lại nhiệm vụ',
};

/** What each changed field is called (the API's `FieldChange.field`, as the
 * read-model names it). */
const FIELDS = {
  title: 'Tên nhiệm vụ',
  deadline: 'Thời hạn',
  status: 'Tình trạng',
  percent: 'Tiến độ',
  lead_percent: 'Tỷ lệ báo cáo của cơ quan chủ trì',
  lead_id: 'Cơ quan chủ trì',
  coordinator_ids: 'Cơ quan phối hợp',
  inherited_from: 'Kế thừa từ cơ quan',
  completed_on: 'Ngày hoàn thành',
  timeliness: 'Đánh giá hoàn thành',
  days_late: 'Số ngày trễ',
  last_reported_on: 'Ngày báo cáo gần nhất',
  category: 'Nội dung cải cách',
  weight: 'Trọng số',
  plan_id: 'Kế hoạch',
  parent_task_id: 'Thuộc nhiệm vụ',
};

const state = { id: null, task: null };

/** A changed value as Vietnamese write it: days dd/mm/yyyy, lists joined. */
function shown(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return format.date(v);
  if (typeof v === 'number') return format.number(v);
  if (typeof v === 'boolean') return v ? 'có' : 'không';
  if (Array.isArray(v)) return v.length === 0 ? '—' : v.map(shown).join('; ');
  if (typeof v === 'object') return v.name || v.labelVi || JSON.stringify(v);
  return String(v);
}

function fact(list, key, label, text) {
  if (text === null || text === undefined || text === '') return;
  const group = element('div', { 'data-fact': key });
  const dd = element('dd');
  if (text instanceof Node) dd.append(text); else dd.textContent = text;
  group.append(element('dt', {}, label), dd);
  list.append(group);
}

function renderFigures(task) {
  document.getElementById('title').textContent = task.title;
  document.title = `${task.title} — Theo dõi cải cách hành chính`;
  document.getElementById('subtitle').textContent = task.plan
    ? `${task.plan.number}: ${task.plan.title}` : '';
  const list = document.getElementById('figures');
  list.replaceChildren();
  const basis = task.percentFromSubtasks ? ' (tính từ các nhiệm vụ con)' : '';
  fact(list, 'percent', 'Tiến độ', `${format.percent(task.percent)}${basis}`);
  fact(list, 'status', 'Tình trạng', statusText(task));
  fact(list, 'deadline', 'Thời hạn', format.date(task.deadline) || 'Thường xuyên');
  if (task.daysOverdue) fact(list, 'days-overdue', 'Số ngày quá hạn', format.count(task.daysOverdue));
  fact(list, 'completed-on', 'Ngày hoàn thành', format.date(task.completedOn));
  if (task.timeliness) {
    const late = task.daysLate ? ` (trễ ${format.count(task.daysLate)} ngày)` : '';
    fact(list, 'timeliness', 'Đánh giá', `${task.timeliness.labelVi}${late}`);
  }
  fact(list, 'lead', 'Cơ quan chủ trì', task.lead ? task.lead.name : '—');
  fact(list, 'coordinators', 'Cơ quan phối hợp',
    task.coordinators.length ? task.coordinators.map((a) => a.name).join('; ') : '—');
  if (task.plan) {
    fact(list, 'plan', 'Kế hoạch', link(`/ke-hoach/${encodeURIComponent(task.plan.id)}`, task.plan.number));
  }
  fact(list, 'category', 'Nội dung cải cách', task.category ? task.category.labelVi : null);
  fact(list, 'reported', 'Tỷ lệ báo cáo gần nhất', format.percent(task.reportedPercent));
  fact(list, 'last-report', 'Ngày báo cáo gần nhất', format.date(task.lastReportedOn));
  if (task.parent) {
    fact(list, 'parent', 'Thuộc nhiệm vụ', link(`/nhiem-vu/${encodeURIComponent(task.parent.id)}`, task.parent.title));
  }
  if (task.subtasks.length) {
    const sub = element('ul', { class: 'plain' });
    for (const s of task.subtasks) {
      const item = element('li');
      item.append(link(`/nhiem-vu/${encodeURIComponent(s.id)}`, s.title));
      sub.append(item);
    }
    fact(list, 'subtasks', 'Nhiệm vụ con', sub);
  }
}

function renderHistory(history) {
  const list = document.getElementById('history');
  list.replaceChildren();
  for (const entry of [...history].reverse()) {
    const item = element('li', { 'data-event': entry.eventType, 'data-position': String(entry.position) });
    item.append(element('h3', {}, EVENTS[entry.eventType] || entry.eventType));
    const when = element('p', { class: 'when' });
    when.append(
      element('span', {}, `Diễn ra: ${format.dayTime(entry.occurredAt)}`),
      element('span', {}, ` · Ghi nhận: ${format.dayTime(entry.recordedAt)}`),
    );
    if (entry.recordedInArrears) {
      when.append(' ', element('strong', { class: 'arrears' }, 'Nhập bổ sung sau ngày diễn ra'));
    }
    const who = element('p', { class: 'who' }, `${entry.actor.name} · ${entry.actor.role.labelVi}`);
    item.append(when, who);
    if (entry.reason) item.append(element('p', { class: 'why' }, `Lý do: ${entry.reason}`));
    if (entry.changes.length) {
      const changes = element('ul', { class: 'changes' });
      for (const change of entry.changes) {
        const line = element('li', { 'data-field': change.field });
        line.append(
          element('span', { class: 'field' }, `${FIELDS[change.field] || change.field}: `),
          element('del', {}, shown(change.old)),
          ' → ',
          element('ins', {}, shown(change.new)),
        );
        changes.append(line);
      }
      item.append(changes);
    }
    list.append(item);
  }
}

/** Which forms this viewer may use on this task (the API still decides). */
function renderForms(viewer, task) {
  const open = task.status !== 'COMPLETED' && task.status !== 'CANCELLED';
  const agency = viewer.agency ? viewer.agency.id : null;
  const leads = agency !== null && task.lead && task.lead.id === agency;
  const coordinates = agency !== null && task.coordinators.some((a) => a.id === agency);
  const officer = viewer.role.code === 'OFFICER';
  document.getElementById('report').hidden = !(officer && open && (leads || coordinates));
  document.getElementById('complete').hidden = !(officer && open && leads);
  document.getElementById('extend').hidden = !(viewer.role.code === 'SECRETARIAT' && open);
}

async function load() {
  const data = await request(TASK, { id: state.id });
  state.task = data.task;
  layout('tasks', data.viewer);
  renderFigures(data.task);
  renderHistory(data.task.history);
  renderForms(data.viewer, data.task);
  loaded();
}

/** The input every task mutation shares: the task, its version, a fresh key. */
function base() {
  return { taskId: state.id, expectedVersion: state.task.version, clientMutationId: mutationId() };
}

function optional(input, key, v) {
  if (v !== null) input[key] = v;
  return input;
}

function wireForms() {
  const report = document.getElementById('report-form');
  onSubmit(report, () => {
    const percent = value(report, 'percent');
    const input = {
      ...base(),
      // The browser has checked it is a whole number from 0 to 100; the API checks the rest.
      percent: Number(percent),
      note: value(report, 'note') || '',
      evidence: (value(report, 'evidence') || '').split('\n').map((l) => l.trim()).filter(Boolean),
    };
    return request(REPORT, { input: optional(input, 'asOf', value(report, 'asOf')) });
  }, async () => {
    report.reset();
    await load();
    return `Đã ghi nhận báo cáo tiến độ lúc ${format.dayTime(new Date())}.`;
  });

  const complete = document.getElementById('complete-form');
  onSubmit(complete, () => {
    const input = { ...base(), output: value(complete, 'output') || '' };
    return request(COMPLETE, { input: optional(input, 'completedOn', value(complete, 'completedOn')) });
  }, async () => {
    await load();
    return 'Đã ghi nhận hoàn thành nhiệm vụ.';
  });

  const extend = document.getElementById('extend-form');
  onSubmit(extend, () => {
    const input = { ...base(), newDeadline: value(extend, 'newDeadline'), reason: value(extend, 'reason') || '' };
    return request(EXTEND, { input: optional(input, 'on', value(extend, 'on')) });
  }, async () => {
    extend.reset();
    await load();
    return `Đã gia hạn; thời hạn mới: ${format.date(state.task.deadline)}.`;
  });
}

async function main() {
  state.id = idInPath('/nhiem-vu');
  wireForms();
  await load();
}

main().catch(failed);
