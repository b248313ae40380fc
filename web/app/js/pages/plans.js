// Kế hoạch: the plans under each program the viewer may see, each linking to its page.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, link, loaded } from '../dom.js';

const PLANS = `query Plans {
  viewer { name jurisdiction role { code labelVi } }
  programs { id number title jurisdictionName plans { id number title jurisdictionName fromYear toYear } }
}`;

function years(plan) {
  if (plan.fromYear === null) return '—';
  return plan.toYear === null || plan.toYear === plan.fromYear
    ? String(plan.fromYear) : `${plan.fromYear}–${plan.toYear}`;
}

async function main() {
  const data = await request(PLANS);
  layout('plans', data.viewer);
  const box = document.getElementById('programs');
  for (const program of data.programs) {
    const section = element('section', { class: 'card', 'data-program': program.id });
    section.append(element('h2', {}, `${program.number} — ${program.jurisdictionName}`),
      element('p', { class: 'muted small' }, program.title));
    if (program.plans.length === 0) {
      section.append(element('p', { class: 'muted' }, 'Chưa có kế hoạch nào.'));
    } else {
      const table = element('table', { class: 'table' });
      const head = element('thead');
      const headRow = element('tr');
      for (const label of ['Số hiệu', 'Trích yếu', 'Địa phương', 'Năm']) {
        headRow.append(element('th', { scope: 'col' }, label));
      }
      head.append(headRow);
      const body = element('tbody');
      for (const plan of program.plans) {
        const row = element('tr', { 'data-plan': plan.id });
        const number = element('th', { scope: 'row' });
        number.append(link(`/ke-hoach/${encodeURIComponent(plan.id)}`, plan.number));
        row.append(number, element('td', {}, plan.title), element('td', {}, plan.jurisdictionName),
          element('td', {}, years(plan)));
        body.append(row);
      }
      table.append(head, body);
      const scroll = element('div', { class: 'scroll' });
      scroll.append(table);
      section.append(scroll);
    }
    box.append(section);
  }
  if (data.programs.length === 0) {
    box.append(element('p', { class: 'muted' }, 'Chưa có chương trình nào được ghi nhận.'));
  }
  loaded();
}

main().catch(failed);
