// The drill-down under each pillar of the overview: program → pillar → plan → task,
// each step with the rule that made its percent and the figures it was made from (the
// API's `rollup` nodes and their `inputs`), so a leader can see how a number came to
// be. Plans link to their page, tasks to theirs; nothing is computed here.
import { request } from './graphql.js';
import { element, link } from './dom.js';
import * as format from './format.js';

const NODE = 'kind nodeId label percent weight rule { labelVi } inputs { nodeId label percent weight counted }';

/** The program's pillars with their plans, each with the inputs of its percent. */
export const DRILL = `query OverviewDrill($program: ID!) {
  program(id: $program) {
    rollup {
      children {
        pillar { code } ${NODE}
        children { ${NODE} counts { total overdue completed } }
      }
    }
  }
}`;

/** The table of the figures a node's percent was made from. */
function inputsTable(node, caption, linkOf) {
  const table = element('table', { class: 'table inputs' });
  table.append(element('caption', {}, caption));
  const head = element('tr');
  for (const [label, num] of [['Thành phần', false], ['Tỷ lệ', true], ['Trọng số', true], ['Giá trị tính', true]]) {
    head.append(element('th', { scope: 'col', class: num ? 'num' : '' }, label));
  }
  const thead = element('thead');
  thead.append(head);
  table.append(thead);
  const body = element('tbody');
  for (const input of node.inputs) {
    const row = element('tr');
    const name = element('th', { scope: 'row' });
    const href = input.nodeId ? linkOf(input.nodeId) : null;
    name.append(href ? link(href, input.label) : document.createTextNode(input.label));
    row.append(
      name,
      element('td', { class: 'num' }, format.percent(input.percent)),
      element('td', { class: 'num' }, format.count(input.weight)),
      element('td', { class: 'num' }, format.number(input.counted)),
    );
    body.append(row);
  }
  table.append(body);
  return table;
}

/** How `node`'s percent was made, in words: the rule and how many figures. */
function howMade(node, parts) {
  if (node.percent === null) return `Chưa có số liệu: chưa có ${parts} nào được tính.`;
  return `${format.percent(node.percent)} = ${node.rule.labelVi.toLowerCase()} của ${format.count(node.inputs.length)} ${parts} dưới đây.`;
}

/** One plan under a pillar: its figure, a link to it, and its tasks' figures. */
function planItem(plan) {
  const item = element('li', { class: 'drill-plan', 'data-plan': plan.nodeId || '' });
  const head = element('div', { class: 'pillar-head' });
  const name = element('h4');
  name.append(plan.nodeId ? link(`/ke-hoach/${encodeURIComponent(plan.nodeId)}`, plan.label) : document.createTextNode(plan.label));
  head.append(name, element('span', { class: 'percent' }, format.percent(plan.percent)));
  const counts = element('p', { class: 'muted small' },
    `${format.count(plan.counts.total)} nhiệm vụ; ${format.count(plan.counts.completed)} đã hoàn thành; ${format.count(plan.counts.overdue)} quá hạn.`);
  const tasks = element('details');
  tasks.append(element('summary', {}, 'Cách tính: các nhiệm vụ'));
  tasks.append(element('p', { class: 'small' }, howMade(plan, 'nhiệm vụ')));
  if (plan.inputs.length > 0) {
    const scroll = element('div', { class: 'scroll' });
    scroll.append(inputsTable(plan, `Các nhiệm vụ của ${plan.label}`, (id) => `/nhiem-vu/${encodeURIComponent(id)}`));
    tasks.append(scroll);
  }
  item.append(head, counts, tasks);
  return item;
}

/** Fills `box` with the pillar's rule, its plans' figures and each plan's tasks. */
function render(box, pillar) {
  box.replaceChildren();
  box.append(element('p', { class: 'small how' }, howMade(pillar, 'kế hoạch')));
  if (pillar.children.length === 0) return;
  const plans = element('ul', { class: 'drill-plans' });
  for (const plan of pillar.children) plans.append(planItem(plan));
  box.append(plans);
}

/**
 * Adds to each pillar item (`li[data-pillar]` in `list`) a "how was this made" section
 * that loads the program's drill-down the first time one is opened, and again after
 * `invalidate()` (the figures changed).
 */
export function drillDown(programId, onError) {
  let answer = null;
  const load = () => {
    if (!answer) {
      answer = request(DRILL, { program: programId }).catch((error) => {
        answer = null;
        throw error;
      });
    }
    return answer;
  };
  const open = new Set();
  const fill = async (details, code) => {
    const box = details.querySelector('.drill-body');
    try {
      const data = await load();
      const pillar = data.program.rollup.children.find((node) => (node.pillar ? node.pillar.code : 'CROSS_CUTTING') === code);
      if (pillar) render(box, pillar);
      details.dataset.loaded = 'true';
    } catch (error) {
      onError(error);
    }
  };
  return {
    /** A closed drill-down section for the pillar `code`. */
    section(code, name) {
      const details = element('details', { class: 'drill', 'data-drill': code });
      details.append(element('summary', {}, `Xem chi tiết: các kế hoạch của ${name}`));
      details.append(element('div', { class: 'drill-body', 'aria-live': 'polite' }, 'Đang tải…'));
      let filled = false;
      const show = () => {
        if (filled) return;
        filled = true;
        fill(details, code);
      };
      details.addEventListener('toggle', () => {
        if (details.open) {
          open.add(code);
          show();
        } else {
          open.delete(code);
        }
      });
      // Open before the figures changed: open again, with the new figures.
      if (open.has(code)) {
        details.open = true;
        show();
      }
      return details;
    },
    /** The figures changed: the next section shown loads them again. */
    invalidate() {
      answer = null;
    },
  };
}
