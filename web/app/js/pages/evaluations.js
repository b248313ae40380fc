// Đánh giá: the PAR INDEX league tables of a year by block (ranks, bands, the
// not-evaluated apart, band counts, the block's average and its change), exported as
// the CSV `reform export league` writes; the year's SIPAS results; and the one-stop
// dossier statistics added up per period (`dossierTotals`), drawn as a chart of
// dossiers resolved early, on time and late, with the table of figures beside it.
// Every figure is the API's; the years offered are those with published results.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, link, loaded } from '../dom.js';
import { lineChart, legend } from '../charts.js';
import { csv, saveCsv } from '../export.js';
import { PERIOD } from '../labels.js';
import * as format from '../format.js';

/** The first year asked about: SIPAS began in 2017, the program in 2021. */
const FIRST_YEAR = 2017;

/** Which years have PAR INDEX or SIPAS results: one alias per year asked. */
const YEARS = (years) => `query EvaluationYears {
  viewer { name jurisdiction role { code labelVi } }
  ${years.map((y) => `par${y}: parRanking(year: ${y}) { block { code } }
  sipas${y}: sipas(year: ${y}) { year }`).join('\n  ')}
}`;

const LEAGUE = `query League($year: Int!) {
  parRanking(year: $year) {
    block { code labelVi }
    average previousAverage change
    bandCounts { band count }
    ranked { agency { id } name total rank band }
    notEvaluated { name reason }
  }
}`;

const SIPAS = `query Sipas($year: Int!) {
  sipas(year: $year) { agency { id } name jurisdictionName satisfactionPercent respondents change }
}`;

const DOSSIERS = `query Dossiers($period: DossierPeriodKind!) {
  dossierTotals(period: $period) {
    leftOut
    periods {
      from to agencies reports
      counts { received resolved resolvedEarly resolvedOnTime resolvedLate inProcess onTimeRate onlineShare }
    }
  }
}`;

/** The period kind shown first: a year holds the reports of any shorter span. */
const FIRST_PERIOD = 'YEAR';

const state = { viewer: null, league: null, year: null, chart: null };

function signed(value, unit = '') {
  if (value === null || value === undefined) return '—';
  return `${value > 0 ? '+' : ''}${format.number(value)}${unit}`;
}

function options(select, values, chosen) {
  select.replaceChildren(...values.map((v) => {
    const option = element('option', { value: String(v) }, String(v));
    option.selected = v === chosen;
    return option;
  }));
}

// --- PAR INDEX -----------------------------------------------------------------

function blockTable(table, year) {
  const section = element('section', { class: 'block-table', 'data-block': table.block ? table.block.code : '' });
  const name = table.block ? table.block.labelVi : 'Khối khác';
  const average = table.average === null ? ''
    : ` — bình quân ${format.number(table.average)}${table.change === null ? '' : ` (${signed(table.change)} so với năm trước)`}`;
  section.append(element('h3', {}, `${name}${average}`));
  const wrap = element('div', { class: 'scroll' });
  const grid = element('table', { class: 'table' });
  grid.append(element('caption', { class: 'muted small' }, `Xếp hạng ${name.toLowerCase()} năm ${year}; đồng điểm cùng hạng.`));
  const head = element('thead');
  const headRow = element('tr');
  for (const [label, cls] of [['Hạng', 'num'], ['Cơ quan, đơn vị', ''], ['Tổng điểm', 'num'], ['Xếp loại', '']]) {
    headRow.append(element('th', cls ? { scope: 'col', class: cls } : { scope: 'col' }, label));
  }
  head.append(headRow);
  const body = element('tbody');
  for (const entry of table.ranked) {
    const row = element('tr', { 'data-agency': entry.agency ? entry.agency.id : '', 'data-rank': String(entry.rank) });
    const who = element('th', { scope: 'row' });
    who.append(entry.agency ? link(`/co-quan/${encodeURIComponent(entry.agency.id)}`, entry.name) : entry.name);
    row.append(
      element('td', { class: 'num rank' }, format.count(entry.rank)),
      who,
      element('td', { class: 'num total' }, format.number(entry.total)),
      element('td', { class: 'band' }, entry.band || '—'),
    );
    body.append(row);
  }
  for (const apart of table.notEvaluated) {
    const row = element('tr', { class: 'not-evaluated' });
    row.append(element('td', { class: 'num' }, '—'), element('th', { scope: 'row' }, apart.name),
      element('td', { class: 'num' }, '—'), element('td', {}, `Không đánh giá: ${apart.reason}`));
    body.append(row);
  }
  grid.append(head, body);
  wrap.append(grid);
  section.append(wrap);
  if (table.bandCounts.length) {
    const counts = table.bandCounts.map((b) => `${b.band}: ${format.count(b.count)}`).join('; ');
    section.append(element('p', { class: 'muted small band-counts' }, `Số đơn vị theo xếp loại — ${counts}.`));
  }
  return section;
}

async function showLeague(year) {
  const data = await request(LEAGUE, { year });
  state.league = data.parRanking;
  state.year = year;
  const box = document.getElementById('league');
  box.replaceChildren(...state.league.map((t) => blockTable(t, year)));
  document.getElementById('export-league').disabled = state.league.length === 0;
}

function roman(n) {
  const numerals = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
    [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let rest = n;
  let out = '';
  for (const [value, digits] of numerals) {
    while (rest >= value) { out += digits; rest -= value; }
  }
  return out;
}

/** A figure as the CLI's sheet titles write it: two decimals, a sign when asked. */
function fixed(value, sign) {
  const negative = value < 0 || Object.is(value, -0);
  const digits = Math.abs(value).toFixed(2);
  if (negative) return `-${digits}`;
  return sign ? `+${digits}` : digits;
}

/** The league as `reform export league --year Y [--jurisdiction J] --format csv`
 * writes it: a title, the header, a section per block, its ranked agencies, the
 * not-evaluated, the band counts. */
function leagueCsv(tables, year, jurisdiction) {
  const rows = [
    [`Kết quả Chỉ số cải cách hành chính (PAR INDEX) năm ${year}${jurisdiction ? ` — ${jurisdiction}` : ''}`],
    ['Hạng', 'Cơ quan, đơn vị', 'Tổng điểm', 'Xếp loại', 'Ghi chú'],
  ];
  tables.forEach((t, i) => {
    const label = t.block ? t.block.labelVi : '';
    let average = '';
    if (t.average !== null && t.change !== null) {
      average = ` — bình quân ${fixed(t.average)} (${fixed(t.change, true)} so với năm trước)`;
    } else if (t.average !== null) {
      average = ` — bình quân ${fixed(t.average)}`;
    }
    rows.push([roman(i + 1), `${label}${average}`, '', '', '']);
    for (const e of t.ranked) rows.push([e.rank, e.name, e.total, e.band || '', '']);
    for (const n of t.notEvaluated) rows.push(['', n.name, '', 'Không đánh giá', n.reason]);
    rows.push(['', `Số đơn vị theo xếp loại — ${t.bandCounts.map((b) => `${b.band}: ${b.count}`).join('; ')}`]);
  });
  return csv(rows);
}

// --- SIPAS ---------------------------------------------------------------------

async function showSipas(year) {
  const data = await request(SIPAS, { year });
  const rows = data.sipas.map((s) => {
    const row = element('tr', { 'data-agency': s.agency ? s.agency.id : '' });
    const who = element('th', { scope: 'row' });
    who.append(s.agency ? link(`/co-quan/${encodeURIComponent(s.agency.id)}`, s.name) : s.name);
    row.append(
      who,
      element('td', {}, s.jurisdictionName),
      element('td', { class: 'num satisfaction' }, format.percent(s.satisfactionPercent)),
      element('td', { class: 'num' }, s.respondents === null ? '—' : format.count(s.respondents)),
      element('td', { class: 'num' }, signed(s.change, ' điểm %')),
    );
    return row;
  });
  document.getElementById('sipas').replaceChildren(...rows);
  document.getElementById('sipas-caption').textContent = `Kết quả khảo sát năm ${year}, cao nhất trước.`;
  document.getElementById('sipas-table').hidden = rows.length === 0;
}

// --- One-stop dossiers -----------------------------------------------------------

function periodLabel(kind, period) {
  const [year, month] = period.from.split('-').map(Number);
  switch (kind) {
    case 'YEAR': return `Năm ${year}`;
    case 'HALF_YEAR': return `6 tháng ${month <= 6 ? 'đầu' : 'cuối'} năm ${year}`;
    case 'QUARTER': return `Quý ${Math.ceil(month / 3)}/${year}`;
    default: return `Tháng ${format.month(year, month)}`;
  }
}

async function showDossiers(kind) {
  const data = await request(DOSSIERS, { period: kind });
  const totals = data.dossierTotals;
  const labels = totals.periods.map((p) => periodLabel(kind, p));
  const rows = totals.periods.map((p, i) => {
    const c = p.counts;
    const row = element('tr', { 'data-from': p.from });
    row.append(
      element('th', { scope: 'row', title: `${format.date(p.from)}–${format.date(p.to)}` }, labels[i]),
      element('td', { class: 'num' }, format.count(c.received)),
      element('td', { class: 'num' }, format.count(c.resolved)),
      element('td', { class: 'num' }, format.count(c.resolvedEarly)),
      element('td', { class: 'num' }, format.count(c.resolvedOnTime)),
      element('td', { class: 'num' }, format.count(c.resolvedLate)),
      element('td', { class: 'num' }, format.count(c.inProcess)),
      element('td', { class: 'num' }, format.share(c.onTimeRate)),
      element('td', { class: 'num' }, format.share(c.onlineShare)),
      element('td', { class: 'num' }, format.count(p.agencies)),
    );
    return row;
  });
  document.getElementById('dossiers').replaceChildren(...rows);
  const none = totals.periods.length === 0;
  document.getElementById('dossiers-none').hidden = !none;
  document.getElementById('dossiers-figures').hidden = none;
  const leftOut = document.getElementById('dossiers-left-out');
  leftOut.hidden = totals.leftOut === 0;
  leftOut.textContent = `${format.count(totals.leftOut)} báo cáo không được cộng vì kỳ báo cáo dài hơn kỳ đã chọn; hãy chọn kỳ dài hơn.`;
  const box = document.getElementById('dossier-chart');
  if (state.chart) { state.chart.destroy(); state.chart = null; }
  if (none) return;
  const series = [
    { label: 'Giải quyết trước hạn', values: totals.periods.map((p) => p.counts.resolvedEarly) },
    { label: 'Giải quyết đúng hạn', values: totals.periods.map((p) => p.counts.resolvedOnTime) },
    { label: 'Giải quyết trễ hạn', values: totals.periods.map((p) => p.counts.resolvedLate), colour: '#b3261e' },
  ];
  state.chart = lineChart(box, {
    xs: labels.map((_, i) => i),
    xLabel: (x) => (Number.isInteger(x) && labels[x] ? labels[x] : ''),
    xRange: [-0.5, labels.length - 0.5],
    xIncrs: [1, 2, 3, 4, 6, 12],
    series,
    yLabel: 'Số hồ sơ',
    yMin: 0,
  });
  legend(document.getElementById('dossier-legend'), series);
}

// ---------------------------------------------------------------------------------

async function main() {
  const thisYear = new Date().getFullYear();
  const years = [];
  for (let y = FIRST_YEAR; y <= thisYear; y += 1) years.push(y);
  const found = await request(YEARS(years));
  state.viewer = found.viewer;
  layout('evaluations', found.viewer);
  const where = found.viewer.jurisdiction ? 'trong địa bàn của bạn' : 'trên cả nước';
  document.getElementById('subtitle').textContent =
    `Kết quả đánh giá cải cách hành chính ${where}: PAR INDEX, SIPAS và giải quyết hồ sơ một cửa.`;

  const parYears = years.filter((y) => found[`par${y}`].length > 0).reverse();
  const sipasYears = years.filter((y) => found[`sipas${y}`].length > 0).reverse();
  const asked = Number(new URLSearchParams(window.location.search).get('nam'));
  const parYear = parYears.includes(asked) ? asked : parYears[0];

  const parSelect = document.getElementById('par-year');
  options(parSelect, parYears, parYear);
  parSelect.disabled = parYears.length === 0;
  parSelect.addEventListener('change', () => {
    window.history.replaceState(null, '', `/danh-gia?nam=${parSelect.value}`);
    showLeague(Number(parSelect.value)).catch(failed);
  });
  document.getElementById('league-none').hidden = parYears.length !== 0;
  document.getElementById('export-league').addEventListener('click', () => {
    saveCsv(`par-index-${state.year}.csv`, leagueCsv(state.league, state.year, state.viewer.jurisdiction));
  });

  const sipasSelect = document.getElementById('sipas-year');
  options(sipasSelect, sipasYears, sipasYears[0]);
  sipasSelect.disabled = sipasYears.length === 0;
  sipasSelect.addEventListener('change', () => showSipas(Number(sipasSelect.value)).catch(failed));
  document.getElementById('sipas-none').hidden = sipasYears.length !== 0;

  const periodSelect = document.getElementById('dossier-period');
  periodSelect.replaceChildren(...Object.entries(PERIOD).map(([code, label]) => {
    const option = element('option', { value: code }, label);
    option.selected = code === FIRST_PERIOD;
    return option;
  }));
  periodSelect.addEventListener('change', () => showDossiers(periodSelect.value).catch(failed));

  await Promise.all([
    parYear === undefined ? null : showLeague(parYear),
    sipasYears.length ? showSipas(sipasYears[0]) : null,
    showDossiers(FIRST_PERIOD),
  ]);
  loaded();
}

main().catch(failed);
