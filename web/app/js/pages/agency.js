// An agency's scorecard (/co-quan/<id>): what it is, its figures as
// `Agency.scorecard` gives them (tasks led, inherited, coordinated; completed in time
// and late; overdue today; latest PAR INDEX, SIPAS and dossier on-time rate; the head
// in office), the tasks it leads by status and those overdue today (each linking to
// its page, from `tasks(filter:)`), its PAR INDEX results year by year and its heads.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, idInPath, link, loaded } from '../dom.js';
import { taskRow, TASK_ROW_FIELDS } from '../task-rows.js';
import * as format from '../format.js';

/** The most overdue tasks listed (the count says how many there are in all). */
const OVERDUE_LISTED = 100;

const AGENCY = `query Agency($id: ID!) {
  viewer { name jurisdiction role { code labelVi } }
  agency(id: $id) {
    id name shortName jurisdictionName status ceasedOn
    tier { labelVi } block { labelVi }
    successor { id name }
    predecessors { id name }
    scorecard {
      asOf tasksLed tasksInherited tasksCoordinated completedInTime completedLate overdueNow averageDaysLate
      par { year total band rank block { labelVi } }
      sipasPercent sipasYear dossierOnTimeRate dossierPeriodTo
      head { name title from }
    }
    parResults { year block { labelVi } total selfAssessedTotal band rank change notEvaluatedReason }
    heads { name title from to decision }
  }
}`;

const TASKS = `query AgencyTasks($lead: ID!, $day: NaiveDate!, $listed: Int!) {
  led: tasks(filter: { leadId: $lead }, first: 1) {
    totalCount counts { total notStarted inProgress overdue early onTime late cancelled }
  }
  overdue: tasks(filter: { leadId: $lead, overdueOn: $day }, orderBy: DEADLINE, first: $listed) {
    totalCount nodes { ${TASK_ROW_FIELDS} }
  }
}`;

/** Counts by status, in the order shown. */
const STATUS_COUNTS = [
  ['total', 'Tổng số'],
  ['early', 'Hoàn thành trước hạn'],
  ['onTime', 'Hoàn thành đúng hạn'],
  ['late', 'Hoàn thành trễ hạn'],
  ['overdue', 'Quá hạn'],
  ['inProgress', 'Đang thực hiện'],
  ['notStarted', 'Chưa thực hiện'],
  ['cancelled', 'Đã hủy'],
];

const STATUS_WORDS = { ACTIVE: 'Đang hoạt động', MERGED: 'Đã sáp nhập', DISSOLVED: 'Đã giải thể' };

function signed(value) {
  if (value === null || value === undefined) return '—';
  return value > 0 ? `+${format.number(value)}` : format.number(value);
}

function fact(list, key, label, value) {
  if (value === null || value === undefined || value === '') return;
  const group = element('div', { 'data-fact': key });
  const dd = element('dd');
  if (value instanceof Node) dd.append(value); else dd.textContent = value;
  group.append(element('dt', {}, label), dd);
  list.append(group);
}

function renderFacts(agency) {
  document.getElementById('title').textContent = agency.name;
  document.title = `${agency.name} — Theo dõi cải cách hành chính`;
  const card = agency.scorecard;
  document.getElementById('subtitle').textContent = card
    ? `${agency.jurisdictionName}. Số liệu nhiệm vụ tính đến ngày ${format.date(card.asOf)}.`
    : agency.jurisdictionName;
  const list = document.getElementById('facts');
  list.replaceChildren();
  fact(list, 'tier', 'Loại cơ quan', agency.tier && agency.tier.labelVi);
  fact(list, 'block', 'Khối xếp hạng PAR INDEX', agency.block && agency.block.labelVi);
  const status = STATUS_WORDS[agency.status] || agency.status;
  fact(list, 'status', 'Tình trạng', agency.ceasedOn ? `${status} từ ngày ${format.date(agency.ceasedOn)}` : status);
  if (agency.successor) {
    fact(list, 'successor', 'Cơ quan kế thừa', link(`/co-quan/${encodeURIComponent(agency.successor.id)}`, agency.successor.name));
  }
  if (agency.predecessors.length) {
    const names = element('ul', { class: 'plain' });
    for (const p of agency.predecessors) {
      const item = element('li');
      item.append(link(`/co-quan/${encodeURIComponent(p.id)}`, p.name));
      names.append(item);
    }
    fact(list, 'predecessors', 'Cơ quan đã sáp nhập vào', names);
  }
  if (!card) return;
  fact(list, 'head', 'Người đứng đầu', card.head
    ? `${card.head.name}${card.head.title ? `, ${card.head.title}` : ''} (từ ${format.date(card.head.from)})` : null);
  fact(list, 'tasksLed', 'Nhiệm vụ chủ trì', format.count(card.tasksLed));
  if (card.tasksInherited) fact(list, 'tasksInherited', 'Nhiệm vụ tiếp nhận từ cơ quan sáp nhập', format.count(card.tasksInherited));
  fact(list, 'tasksCoordinated', 'Nhiệm vụ phối hợp', format.count(card.tasksCoordinated));
  fact(list, 'completedInTime', 'Hoàn thành đúng hạn hoặc trước hạn', format.count(card.completedInTime));
  fact(list, 'completedLate', 'Hoàn thành trễ hạn', format.count(card.completedLate));
  fact(list, 'overdueNow', 'Đang quá hạn', format.count(card.overdueNow));
  if (card.averageDaysLate !== null) {
    fact(list, 'averageDaysLate', 'Số ngày trễ bình quân', format.number(card.averageDaysLate));
  }
  if (card.par) {
    const par = card.par;
    const total = par.total === null ? 'không đánh giá' : format.number(par.total);
    const band = par.band ? `, ${par.band}` : '';
    const rank = par.rank === null ? '' : `, hạng ${format.count(par.rank)}${par.block ? ` khối ${par.block.labelVi.toLowerCase()}` : ''}`;
    fact(list, 'par', `PAR INDEX ${par.year}`, `${total}${band}${rank}`);
  }
  if (card.sipasPercent !== null) fact(list, 'sipas', `SIPAS ${card.sipasYear}`, format.percent(card.sipasPercent));
  if (card.dossierOnTimeRate !== null) {
    fact(list, 'dossierOnTimeRate', `Hồ sơ giải quyết đúng hạn (kỳ đến ${format.date(card.dossierPeriodTo)})`,
      format.share(card.dossierOnTimeRate));
  }
}

function renderTasks(agency, tasks) {
  const counts = document.getElementById('status-counts');
  counts.replaceChildren();
  for (const [key, label] of STATUS_COUNTS) {
    const group = element('div', { 'data-count': key });
    group.append(element('dt', {}, label), element('dd', {}, format.count(tasks.led.counts[key])));
    counts.append(group);
  }
  document.getElementById('all-tasks').href = `/nhiem-vu?lead=${encodeURIComponent(agency.id)}`;
  const overdue = tasks.overdue;
  document.getElementById('overdue').replaceChildren(...overdue.nodes.map((task) => taskRow(task, true)));
  document.getElementById('overdue-caption').textContent = overdue.totalCount > overdue.nodes.length
    ? `${format.count(overdue.totalCount)} nhiệm vụ quá hạn; ${format.count(overdue.nodes.length)} nhiệm vụ có hạn sớm nhất được liệt kê.`
    : `${format.count(overdue.totalCount)} nhiệm vụ quá hạn, hạn sớm nhất trước.`;
  document.getElementById('overdue-table').hidden = overdue.totalCount === 0;
  document.getElementById('overdue-none').hidden = overdue.totalCount !== 0;
}

function renderPar(results) {
  const rows = [...results].reverse().map((r) => {
    const row = element('tr', { 'data-year': String(r.year) });
    row.append(
      element('th', { scope: 'row' }, String(r.year)),
      element('td', {}, r.block ? r.block.labelVi : '—'),
      element('td', { class: 'num' }, r.selfAssessedTotal === null ? '—' : format.number(r.selfAssessedTotal)),
      element('td', { class: 'num', 'data-figure': 'total' }, r.total === null ? 'Không đánh giá' : format.number(r.total)),
      element('td', { 'data-figure': 'band' }, r.band || (r.notEvaluatedReason ? r.notEvaluatedReason : '—')),
      element('td', { class: 'num', 'data-figure': 'rank' }, r.rank === null ? '—' : format.count(r.rank)),
      element('td', { class: 'num' }, signed(r.change)),
    );
    return row;
  });
  document.getElementById('par').replaceChildren(...rows);
  document.getElementById('par-table').hidden = rows.length === 0;
  document.getElementById('par-none').hidden = rows.length !== 0;
}

function renderHeads(heads) {
  const rows = heads.map((h) => {
    const row = element('tr');
    row.append(
      element('th', { scope: 'row' }, h.name),
      element('td', {}, h.title || '—'),
      element('td', {}, format.date(h.from)),
      element('td', {}, h.to ? format.date(h.to) : 'nay'),
      element('td', {}, h.decision || '—'),
    );
    return row;
  });
  document.getElementById('heads').replaceChildren(...rows);
  document.getElementById('heads-table').hidden = rows.length === 0;
  document.getElementById('heads-none').hidden = rows.length !== 0;
}

async function main() {
  const id = idInPath('/co-quan');
  const data = await request(AGENCY, { id });
  layout('agencies', data.viewer);
  const agency = data.agency;
  renderFacts(agency);
  renderPar(agency.parResults);
  renderHeads(agency.heads);
  if (agency.scorecard) {
    const tasks = await request(TASKS, { lead: agency.id, day: agency.scorecard.asOf, listed: OVERDUE_LISTED });
    renderTasks(agency, tasks);
  }
  loaded();
}

main().catch(failed);
