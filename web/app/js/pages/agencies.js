// Cơ quan: the agencies the viewer may see, a page at a time, with each one's task
// figures (led, completed in time and late, overdue today), its dossiers' on-time
// rate and its latest PAR INDEX result (total, band, rank in its block) — each the
// API's `Agency.scorecard`. Sorted by the API (`agencies(orderBy:)`): the columns it
// can order by have a button in their header (keyboard-operable, `aria-sort` on the
// sorted one); the order lives in the address. Each name links to its scorecard.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, link, loaded } from '../dom.js';
import * as format from '../format.js';

/** Rows a page holds. */
const PAGE_SIZE = 50;

const AGENCIES = `query Agencies($orderBy: AgencyOrder, $first: Int, $after: String, $last: Int, $before: String) {
  viewer { name jurisdiction role { code labelVi } }
  agencies(orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes {
      id name jurisdictionName status block { labelVi }
      scorecard {
        tasksLed tasksInherited completedInTime completedLate overdueNow dossierOnTimeRate
        par { year total band rank }
      }
    }
  }
}`;

/** The orders the API knows, and the way a first click sorts (names A→Z, figures
 * largest first). */
const FIRST_DIRECTION = { NAME: 'ASC', TASKS_LED: 'DESC', COMPLETED_LATE: 'DESC', OVERDUE_NOW: 'DESC' };

const WORDS = { ASC: 'tăng dần', DESC: 'giảm dần' };

const state = { order: { field: 'NAME', direction: 'ASC' }, page: { first: PAGE_SIZE }, pageNumber: 1, viewer: null };

/** The order the address asks for (`?sort=OVERDUE_NOW&dir=DESC`), else by name. */
function orderFromAddress() {
  const params = new URLSearchParams(window.location.search);
  const field = params.get('sort');
  if (!(field in FIRST_DIRECTION)) return { field: 'NAME', direction: 'ASC' };
  const direction = params.get('dir') === 'ASC' || params.get('dir') === 'DESC'
    ? params.get('dir') : FIRST_DIRECTION[field];
  return { field, direction };
}

/** Each sortable header gets its button once; `aria-sort` follows the order. */
function wireHeaders() {
  for (const th of document.querySelectorAll('#agency-table th[data-sort]')) {
    const label = th.textContent.trim();
    const button = element('button', { type: 'button', class: 'sort' });
    button.append(element('span', {}, label), element('span', { class: 'arrow', 'aria-hidden': 'true' }));
    button.addEventListener('click', () => sortBy(th.dataset.sort));
    th.replaceChildren(button);
  }
}

function renderHeaders() {
  for (const th of document.querySelectorAll('#agency-table th[data-sort]')) {
    const sorted = th.dataset.sort === state.order.field;
    const arrow = th.querySelector('.arrow');
    if (sorted) {
      th.setAttribute('aria-sort', state.order.direction === 'ASC' ? 'ascending' : 'descending');
      arrow.textContent = state.order.direction === 'ASC' ? ' ▲' : ' ▼';
    } else {
      th.removeAttribute('aria-sort');
      arrow.textContent = ' ↕';
    }
  }
}

function sortBy(field) {
  const same = state.order.field === field;
  const direction = same ? (state.order.direction === 'ASC' ? 'DESC' : 'ASC') : FIRST_DIRECTION[field];
  state.order = { field, direction };
  window.history.pushState(null, '', `/co-quan?sort=${field}&dir=${direction}`);
  state.page = { first: PAGE_SIZE };
  state.pageNumber = 1;
  // Only the rows are redrawn: the pressed button keeps the keyboard's focus.
  load().catch(failed);
}

function figure(card, key, render = format.count) {
  return card && card[key] !== null && card[key] !== undefined ? render(card[key]) : '—';
}

function agencyRow(agency) {
  const card = agency.scorecard;
  const par = card && card.par;
  const row = element('tr', { 'data-agency': agency.id });
  const name = element('th', { scope: 'row' });
  name.append(link(`/co-quan/${encodeURIComponent(agency.id)}`, agency.name));
  if (agency.status !== 'ACTIVE') name.append(element('span', { class: 'muted small block' }, 'Đã sáp nhập hoặc giải thể'));
  const overdue = card ? card.overdueNow : null;
  row.append(
    name,
    element('td', {}, agency.block ? agency.block.labelVi : '—'),
    element('td', { class: 'num', 'data-figure': 'tasksLed' }, figure(card, 'tasksLed')),
    element('td', { class: 'num', 'data-figure': 'completedInTime' }, figure(card, 'completedInTime')),
    element('td', { class: 'num', 'data-figure': 'completedLate' }, figure(card, 'completedLate')),
    element('td', { class: overdue ? 'num overdue' : 'num', 'data-figure': 'overdueNow' }, figure(card, 'overdueNow')),
    element('td', { class: 'num', 'data-figure': 'dossierOnTimeRate' }, figure(card, 'dossierOnTimeRate', format.share)),
    element('td', { class: 'num', 'data-figure': 'parTotal' },
      par && par.total !== null ? `${format.number(par.total)} (${par.year})` : '—'),
    element('td', { 'data-figure': 'parBand' }, par && par.band ? par.band : '—'),
    element('td', { class: 'num', 'data-figure': 'parRank' }, par && par.rank !== null ? format.count(par.rank) : '—'),
  );
  return row;
}

async function load() {
  const data = await request(AGENCIES, { orderBy: state.order, ...state.page });
  if (!state.viewer) {
    state.viewer = data.viewer;
    layout('agencies', data.viewer);
  }
  const agencies = data.agencies;
  document.getElementById('agencies').replaceChildren(...agencies.nodes.map(agencyRow));
  renderHeaders();
  const header = document.querySelector(`#agency-table th[data-sort="${state.order.field}"]`);
  document.getElementById('summary').textContent = agencies.totalCount === 0
    ? 'Không có cơ quan nào.'
    : `${format.count(agencies.totalCount)} cơ quan, sắp theo "${header.textContent.replace(/[▲▼↕]/g, '').trim()}" ${WORDS[state.order.direction]}.`;
  const pages = Math.max(1, Math.ceil(agencies.totalCount / PAGE_SIZE));
  document.getElementById('page-info').textContent = `Trang ${format.count(state.pageNumber)}/${format.count(pages)}`;
  const prev = document.getElementById('prev');
  const next = document.getElementById('next');
  prev.disabled = !agencies.pageInfo.hasPreviousPage;
  next.disabled = !agencies.pageInfo.hasNextPage;
  prev.onclick = () => turn({ last: PAGE_SIZE, before: agencies.pageInfo.startCursor }, -1);
  next.onclick = () => turn({ first: PAGE_SIZE, after: agencies.pageInfo.endCursor }, 1);
  loaded();
}

function turn(page, step) {
  state.page = page;
  state.pageNumber += step;
  load().catch(failed);
}

async function main() {
  wireHeaders();
  state.order = orderFromAddress();
  window.addEventListener('popstate', () => {
    state.order = orderFromAddress();
    state.page = { first: PAGE_SIZE };
    state.pageNumber = 1;
    load().catch(failed);
  });
  await load();
  const where = state.viewer.jurisdiction ? 'trong địa bàn của bạn' : 'trên cả nước';
  document.getElementById('subtitle').textContent =
    `Các cơ quan ${where}: nhiệm vụ chủ trì, hồ sơ một cửa và Chỉ số CCHC. Số liệu ngày ${format.day(new Date())}.`;
}

main().catch(failed);
