// Nhiệm vụ: the tasks the viewer may see, filtered (plan, pillar, lead, status,
// overdue on a day) and searched with or without diacritics — all by the API's
// `tasks(filter:)` — a page at a time by the connection's cursors. Each row links to
// the task's page. An officer lands on "Nhiệm vụ của đơn vị": their agency's tasks.
// The filters live in the address, so a filtered list can be bookmarked and sent.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, loaded } from '../dom.js';
import { STATUS, CATEGORY } from '../labels.js';
import { taskRow, TASK_ROW_FIELDS } from '../task-rows.js';
import * as format from '../format.js';

/** Rows a page holds. */
const PAGE_SIZE = 25;

const START = `query TasksStart {
  viewer { name jurisdiction role { code labelVi } agency { id name } }
  programs { id plans { id number jurisdictionName } }
  agencies(first: 100) { totalCount nodes { id name } }
}`;

const TASKS = `query Tasks($filter: TaskFilterInput, $first: Int, $after: String, $last: Int, $before: String) {
  tasks(filter: $filter, orderBy: DEADLINE, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { ${TASK_ROW_FIELDS} }
  }
}`;

/** Address parameter ↔ form field ↔ `TaskFilterInput` field. */
const FILTERS = [
  ['q', 'search', 'search'],
  ['plan', 'plan', 'planId'],
  ['category', 'category', 'category'],
  ['lead', 'lead', 'leadId'],
  ['status', 'status', 'status'],
  ['overdueOn', 'overdue-on', 'overdueOn'],
];

const state = { viewer: null, page: { first: PAGE_SIZE }, pageNumber: 1 };

function fill(select, entries) {
  for (const [value, label] of entries) select.append(element('option', { value }, label));
}

/** The filter the address asks for; an officer's list defaults to their agency. */
function filterFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const filter = {};
  for (const [param, id, field] of FILTERS) {
    let value = params.get(param);
    if (param === 'lead' && !params.has('lead') && state.viewer.agency
      && state.viewer.role.code === 'OFFICER') {
      value = state.viewer.agency.id;
    }
    document.getElementById(id).value = value || '';
    if (value) filter[field] = value;
  }
  return filter;
}

function renderTitle(filter) {
  const mine = state.viewer.agency && filter.leadId === state.viewer.agency.id;
  const title = mine ? `Nhiệm vụ của đơn vị — ${state.viewer.agency.name}` : 'Nhiệm vụ';
  document.getElementById('title').textContent = title;
  document.title = `${title} — Theo dõi cải cách hành chính`;
}

async function load() {
  const filter = filterFromAddress();
  renderTitle(filter);
  const data = await request(TASKS, { filter, ...state.page });
  const tasks = data.tasks;
  const body = document.getElementById('tasks');
  body.replaceChildren();
  for (const task of tasks.nodes) body.append(taskRow(task, true));
  document.getElementById('summary').textContent = tasks.totalCount === 0
    ? 'Không có nhiệm vụ nào khớp với bộ lọc.'
    : `Tìm thấy ${format.count(tasks.totalCount)} nhiệm vụ.`;
  const pages = Math.max(1, Math.ceil(tasks.totalCount / PAGE_SIZE));
  document.getElementById('page-info').textContent = `Trang ${format.count(state.pageNumber)}/${format.count(pages)}`;
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  prev.disabled = !tasks.pageInfo.hasPreviousPage;
  next.disabled = !tasks.pageInfo.hasNextPage;
  prev.onclick = () => turn({ last: PAGE_SIZE, before: tasks.pageInfo.startCursor }, -1);
  next.onclick = () => turn({ first: PAGE_SIZE, after: tasks.pageInfo.endCursor }, 1);
  loaded();
}

function turn(page, step) {
  state.page = page;
  state.pageNumber += step;
  load().catch(failed);
}

/** The form's filter into the address (one history entry per search), from page 1. */
function applyForm(event) {
  event.preventDefault();
  const params = new URLSearchParams();
  for (const [param, id] of FILTERS) {
    const value = document.getElementById(id).value.trim();
    // An officer's emptied "lead" means every agency, not their own: say so.
    if (value || (param === 'lead' && state.viewer.role.code === 'OFFICER')) params.set(param, value);
  }
  const query = params.toString();
  window.history.pushState(null, '', query ? `/nhiem-vu?${query}` : '/nhiem-vu');
  state.page = { first: PAGE_SIZE };
  state.pageNumber = 1;
  load().catch(failed);
}

async function main() {
  const start = await request(START);
  state.viewer = start.viewer;
  layout('tasks', start.viewer);
  const plans = start.programs.flatMap((program) => program.plans);
  const seen = new Set();
  fill(document.getElementById('plan'), plans
    .filter((plan) => !seen.has(plan.id) && seen.add(plan.id))
    .map((plan) => [plan.id, `${plan.number} — ${plan.jurisdictionName}`]));
  fill(document.getElementById('category'), Object.entries(CATEGORY));
  const leads = start.agencies.nodes.map((a) => [a.id, a.name]);
  const own = start.viewer.agency;
  if (own && !leads.some(([id]) => id === own.id)) leads.unshift([own.id, own.name]);
  fill(document.getElementById('lead'), leads);
  fill(document.getElementById('status'), Object.entries(STATUS));
  const more = start.agencies.totalCount - start.agencies.nodes.length;
  document.getElementById('subtitle').textContent = more > 0
    ? `Danh sách cơ quan chủ trì gồm 100 cơ quan đầu tiên theo tên (còn ${format.count(more)} cơ quan).`
    : `Các nhiệm vụ bạn được xem, sắp theo thời hạn. ${start.viewer.name} · ${start.viewer.role.labelVi}.`;
  const form = document.getElementById('filters');
  form.addEventListener('submit', applyForm);
  form.addEventListener('reset', (event) => {
    event.preventDefault();
    for (const [, id] of FILTERS) document.getElementById(id).value = '';
    applyForm(event);
  });
  window.addEventListener('popstate', () => {
    state.page = { first: PAGE_SIZE };
    state.pageNumber = 1;
    load().catch(failed);
  });
  await load();
}

main().catch(failed);
