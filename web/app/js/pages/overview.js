// Tổng quan: the leader's overview of a program in their jurisdiction — the headline,
// each pillar's percent and counts, the trend of the last 12 months (time travel,
// `asOf`, month by month) and the ten agencies with most overdue tasks. Every figure
// is the API's; this page only lays them out. It stays live: each change the
// `pillarProgressChanged` subscription reports brings the figures again, no reload.
import uPlot from '/assets/vendor/uplot/uPlot.esm.js';
import { request, subscribe } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, loaded } from '../dom.js';
import * as format from '../format.js';
import { drillDown } from '../drill.js';

const COUNTS = 'counts { total notStarted inProgress overdue early onTime late cancelled completed }';

const START = `query OverviewStart {
  viewer { name jurisdiction role { code labelVi } }
  programs { id number title jurisdictionName parentProgram { id } }
}`;

const JURISDICTION = `query OverviewJurisdiction($code: String!) { jurisdiction(code: $code) { name } }`;

const NOW = `query Overview($program: ID!) {
  program(id: $program) {
    id number title
    rollup { percent onTimeRate ${COUNTS} rule { labelVi } }
    pillarProgress { label percent pillar { code labelVi } ${COUNTS} }
  }
  agencies(first: 10, orderBy: { field: OVERDUE_NOW, direction: DESC }) {
    nodes { id name scorecard { overdueNow completedLate tasksLed } }
  }
}`;

const LIVE = `subscription OverviewLive($program: ID!) {
  pillarProgressChanged(programId: $program) { position }
}`;

/** Each `asOf` folds the log and counts 1,000 of a request's 5,000: four a request. */
const MONTHS_PER_REQUEST = 4;

/** What each count is called, in the order shown. */
const COUNT_LABELS = [
  ['total', 'Tổng số'],
  ['early', 'Hoàn thành trước hạn'],
  ['onTime', 'Hoàn thành đúng hạn'],
  ['late', 'Hoàn thành trễ hạn'],
  ['overdue', 'Quá hạn'],
  ['inProgress', 'Đang thực hiện'],
  ['notStarted', 'Chưa thực hiện'],
];

const state = { program: null, months: [], chart: null, drill: null };

function countsList(list, counts, only) {
  list.replaceChildren();
  for (const [key, label] of COUNT_LABELS) {
    if (only && !only.includes(key)) continue;
    const group = element('div', { 'data-count': key });
    group.append(element('dt', {}, label), element('dd', {}, format.count(counts[key])));
    list.append(group);
  }
}

function bar(percent, label) {
  const track = element('div', {
    class: 'bar',
    role: 'progressbar',
    'aria-valuemin': '0',
    'aria-valuemax': '100',
    'aria-label': label,
  });
  const fill = element('div', { class: 'bar-fill' });
  if (percent === null || percent === undefined) {
    track.setAttribute('aria-valuetext', 'chưa có số liệu');
  } else {
    track.setAttribute('aria-valuenow', String(percent));
    track.setAttribute('aria-valuetext', format.percent(percent));
    fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  }
  track.append(fill);
  return track;
}

function renderHeadline(program) {
  const rollup = program.rollup;
  document.getElementById('headline-percent').textContent = format.percent(rollup.percent);
  countsList(document.getElementById('headline-counts'), rollup.counts);
  const onTime = rollup.onTimeRate === null ? '' :
    `; đã hoàn thành đúng hạn hoặc trước hạn: ${format.share(rollup.onTimeRate)} số nhiệm vụ hoàn thành`;
  document.getElementById('headline-rule').textContent =
    `Cách tính: ${rollup.rule.labelVi}${onTime}.`;
}

function renderPillars(nodes) {
  const list = document.getElementById('pillars');
  list.replaceChildren();
  for (const node of nodes) {
    const code = node.pillar ? node.pillar.code : 'CROSS_CUTTING';
    const name = node.pillar ? node.pillar.labelVi : node.label;
    const item = element('li', { 'data-pillar': code });
    const head = element('div', { class: 'pillar-head' });
    head.append(element('h3', {}, name), element('span', { class: 'percent' }, format.percent(node.percent)));
    const counts = element('dl', { class: 'counts compact' });
    countsList(counts, node.counts, ['total', 'early', 'onTime', 'late', 'overdue']);
    item.append(head, bar(node.percent, name), counts);
    if (state.drill) item.append(state.drill.section(code, name));
    list.append(item);
  }
}

function renderAgencies(nodes) {
  const body = document.getElementById('overdue');
  body.replaceChildren();
  const overdue = nodes.filter((agency) => agency.scorecard && agency.scorecard.overdueNow > 0);
  for (const agency of overdue) {
    const row = element('tr', { 'data-agency': agency.id });
    row.append(
      element('th', { scope: 'row' }, agency.name),
      element('td', { class: 'num overdue' }, format.count(agency.scorecard.overdueNow)),
      element('td', { class: 'num' }, format.count(agency.scorecard.completedLate)),
      element('td', { class: 'num' }, format.count(agency.scorecard.tasksLed)),
    );
    body.append(row);
  }
  document.getElementById('overdue-table').hidden = overdue.length === 0;
  document.getElementById('overdue-none').hidden = overdue.length !== 0;
}

/** The last 12 months, oldest first: each past month's last instant in Vietnam's
 * time, and this month as it stands now. */
function lastTwelveMonths(now) {
  const months = [];
  for (let back = 11; back >= 0; back -= 1) {
    const first = new Date(now.getFullYear(), now.getMonth() - back, 1);
    const year = first.getFullYear();
    const number = first.getMonth() + 1;
    const lastDay = new Date(year, number, 0).getDate();
    const mm = String(number).padStart(2, '0');
    months.push({
      label: format.month(year, number),
      asOf: back === 0 ? null : `${year}-${mm}-${String(lastDay).padStart(2, '0')}T23:59:59+07:00`,
      percent: null,
    });
  }
  return months;
}

async function loadTrend(programId, months) {
  const past = months.filter((m) => m.asOf !== null);
  for (let start = 0; start < past.length; start += MONTHS_PER_REQUEST) {
    const chunk = past.slice(start, start + MONTHS_PER_REQUEST);
    const declared = chunk.map((_, i) => `$a${i}: DateTime!`).join(', ');
    const fields = chunk.map((_, i) => `m${i}: rollup(asOf: $a${i}) { percent }`).join(' ');
    const variables = { program: programId };
    chunk.forEach((m, i) => { variables[`a${i}`] = m.asOf; });
    const data = await request(
      `query OverviewTrend($program: ID!, ${declared}) { program(id: $program) { ${fields} } }`,
      variables,
    );
    chunk.forEach((m, i) => { m.percent = data.program[`m${i}`].percent; });
    renderTrend();
  }
}

function renderTrend() {
  const months = state.months;
  const table = document.getElementById('trend-table');
  table.replaceChildren();
  for (const m of months) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, m.label), element('td', { class: 'num' }, format.percent(m.percent)));
    table.append(row);
  }
  const data = [months.map((_, i) => i), months.map((m) => m.percent)];
  const box = document.getElementById('trend-chart');
  if (state.chart) {
    state.chart.setData(data);
    return;
  }
  state.chart = new uPlot({
    width: Math.max(280, box.clientWidth),
    height: 240,
    legend: { show: false },
    cursor: { show: true, drag: { x: false, y: false } },
    scales: { x: { time: false }, y: { range: [0, 100] } },
    series: [
      {},
      { label: 'Tỷ lệ hoàn thành', stroke: '#1c4f8c', width: 2, points: { show: true, size: 6 },
        value: (_, v) => format.percent(v) },
    ],
    axes: [
      { incrs: [1, 2, 3, 6], values: (_, splits) => splits.map((i) => (months[i] ? months[i].label : '')) },
      { values: (_, splits) => splits.map((v) => `${format.number(v)}%`), size: 56 },
    ],
  }, data, box);
  window.addEventListener('resize', () => {
    state.chart.setSize({ width: Math.max(280, box.clientWidth), height: 240 });
  });
}

async function refresh() {
  const data = await request(NOW, { program: state.program.id });
  if (state.drill) state.drill.invalidate();
  renderHeadline(data.program);
  renderPillars(data.program.pillarProgress);
  renderAgencies(data.agencies.nodes);
  const current = state.months[state.months.length - 1];
  if (current) {
    current.percent = data.program.rollup.percent;
    renderTrend();
  }
  loaded();
}

/** Figures again after each change, at most one request in flight and one waiting. */
function refreshOnChange() {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) { again = true; return; }
    running = true;
    try {
      await refresh();
      document.getElementById('live').textContent = `Số liệu cập nhật lúc ${format.dayTime(new Date())}.`;
    } catch (error) {
      failed(error);
    } finally {
      running = false;
      if (again) { again = false; run(); }
    }
  };
  return run;
}

function chooseProgram(programs) {
  const asked = new URLSearchParams(window.location.search).get('program');
  return programs.find((p) => p.id === asked)
    || programs.find((p) => p.parentProgram === null)
    || programs[0]
    || null;
}

const WHO = 'query Who { viewer { role { code } } }';

async function main() {
  // The overview reads what leaders, the secretariat and auditors may; an officer's
  // page is the tasks of their agency.
  const who = await request(WHO);
  if (who.viewer.role.code === 'OFFICER') {
    window.location.replace('/nhiem-vu');
    return;
  }
  const start = await request(START);
  layout('overview', start.viewer);
  const program = chooseProgram(start.programs);
  const subtitle = document.getElementById('subtitle');
  if (!program) {
    subtitle.textContent = 'Chưa có chương trình nào được ghi nhận.';
    loaded();
    return;
  }
  state.program = program;
  let where = 'Toàn quốc';
  if (start.viewer.jurisdiction) {
    const found = await request(JURISDICTION, { code: start.viewer.jurisdiction });
    where = found.jurisdiction ? found.jurisdiction.name : start.viewer.jurisdiction;
  }
  document.getElementById('title').textContent = `Tổng quan — ${where}`;
  subtitle.textContent = `${program.number}: ${program.title}. Số liệu ngày ${format.day(new Date())}.`;
  if (start.programs.length > 1) {
    const select = document.getElementById('program');
    for (const p of start.programs) {
      const option = element('option', { value: p.id }, `${p.number} — ${p.jurisdictionName}`);
      option.selected = p.id === program.id;
      select.append(option);
    }
    select.addEventListener('change', () => {
      window.location.search = `?program=${encodeURIComponent(select.value)}`;
    });
    document.getElementById('program-choice').hidden = false;
  }
  state.months = lastTwelveMonths(new Date());
  state.drill = drillDown(program.id, failed);
  await refresh();
  const onChange = refreshOnChange();
  let first = true;
  subscribe(LIVE, { program: program.id }, () => {
    // The first message is the figures as they stand: already shown.
    if (first) { first = false; return; }
    onChange();
  }, failed);
  loadTrend(program.id, state.months).catch(failed);
}

main().catch(failed);
