// Chỉ số: each indicator the viewer may see, with its trajectory as the API judges it
// (`Indicator.trajectory`: red, amber or green against the straight line from the
// baseline to the target, said in words, never by colour alone), drawn as a line
// chart of its measurements beside its target path (the baseline, then each year's
// target at 31 December), with the figures in a table as the chart's text.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, loaded } from '../dom.js';
import { lineChart, legend, seconds } from '../charts.js';
import { RAG, NO_RAG } from '../labels.js';
import * as format from '../format.js';

const INDICATORS = `query Indicators {
  viewer { name jurisdiction role { code labelVi } }
  indicators {
    id code name unit jurisdictionName
    direction { code labelVi }
    baseline baselineOn
    targets { year value }
    measurements { on value source }
    trajectory { latest { on value } target { year value } expected rag }
  }
}`;

/** Half a year in seconds. */
const HALF_YEAR = 183 * 24 * 3600;

function ragWords(rag) {
  return rag ? RAG[rag] || rag : NO_RAG;
}

function valueText(value, unit) {
  return unit === '%' ? format.percent(value) : `${format.number(value)} ${unit}`;
}

/** The target path: the baseline, then each target on the last day of its year. */
function targetPath(indicator) {
  const points = [];
  if (indicator.baseline !== null && indicator.baselineOn) {
    points.push({ on: indicator.baselineOn, value: indicator.baseline });
  }
  for (const t of indicator.targets) points.push({ on: `${t.year}-12-31`, value: t.value });
  return points;
}

function chart(indicator, box, legendList) {
  const path = targetPath(indicator);
  const days = [...new Set([...path.map((p) => p.on), ...indicator.measurements.map((m) => m.on)])].sort();
  if (days.length === 0) return;
  const at = (points) => days.map((d) => {
    const found = points.find((p) => p.on === d);
    return found ? found.value : null;
  });
  const series = [
    { label: 'Số đo', values: at(indicator.measurements), points: 8 },
    { label: 'Lộ trình đến chỉ tiêu', values: at(path), dash: [6, 4], colour: '#4a5563', points: 6 },
  ];
  const xs = days.map(seconds);
  lineChart(box, {
    xs,
    // One day alone is shown in the middle of a year.
    xRange: xs.length === 1 ? [xs[0] - HALF_YEAR, xs[0] + HALF_YEAR] : undefined,
    xLabel: (x) => {
      const at = new Date(x * 1000);
      return format.month(at.getFullYear(), at.getMonth() + 1);
    },
    time: true,
    series,
    yLabel: indicator.unit,
    yMin: 0,
  });
  legend(legendList, series);
}

function figuresTable(indicator) {
  const table = element('table', { class: 'table' });
  table.append(element('caption', { class: 'muted small' }, 'Số liệu gốc, chỉ tiêu và các số đo'));
  const head = element('thead');
  const headRow = element('tr');
  for (const [label, cls] of [['Ngày', ''], ['Loại', ''], ['Giá trị', 'num'], ['Nguồn', '']]) {
    headRow.append(element('th', cls ? { scope: 'col', class: cls } : { scope: 'col' }, label));
  }
  head.append(headRow);
  const body = element('tbody');
  const rows = [];
  if (indicator.baseline !== null) rows.push([indicator.baselineOn, 'Số liệu gốc', indicator.baseline, null]);
  for (const t of indicator.targets) rows.push([`${t.year}-12-31`, `Chỉ tiêu năm ${t.year}`, t.value, null]);
  for (const m of indicator.measurements) rows.push([m.on, 'Số đo', m.value, m.source]);
  rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  for (const [on, kind, value, source] of rows) {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, on ? format.date(on) : '—'), element('td', {}, kind),
      element('td', { class: 'num' }, valueText(value, indicator.unit)), element('td', {}, source || '—'));
    body.append(row);
  }
  table.append(head, body);
  const wrap = element('div', { class: 'scroll' });
  wrap.append(table);
  return wrap;
}

function card(indicator) {
  const t = indicator.trajectory;
  const rag = t.rag || 'NONE';
  const section = element('section', { class: 'card indicator', 'data-indicator': indicator.code, 'data-rag': rag });
  const head = element('div', { class: 'pillar-head' });
  head.append(element('h2', {}, indicator.name),
    element('span', { class: `rag rag-${rag.toLowerCase()}` }, ragWords(t.rag)));
  const facts = element('dl', { class: 'facts' });
  const add = (key, label, text) => {
    if (text === null || text === undefined) return;
    const group = element('div', { 'data-fact': key });
    group.append(element('dt', {}, label), element('dd', {}, text));
    facts.append(group);
  };
  add('code', 'Mã', indicator.code);
  add('jurisdiction', 'Phạm vi', indicator.jurisdictionName);
  add('direction', 'Chiều tốt', indicator.direction ? indicator.direction.labelVi : null);
  add('latest', 'Số đo gần nhất', t.latest ? `${valueText(t.latest.value, indicator.unit)} (${format.date(t.latest.on)})` : 'chưa có');
  add('expected', 'Theo lộ trình, cùng ngày', t.expected === null ? null : valueText(t.expected, indicator.unit));
  add('target', 'Chỉ tiêu', t.target ? `${valueText(t.target.value, indicator.unit)} vào năm ${t.target.year}` : null);
  const box = element('div', {
    class: 'chart',
    role: 'img',
    'aria-label': `Biểu đồ số đo và lộ trình của chỉ số ${indicator.name}; số liệu ở bảng bên dưới`,
  });
  const legendList = element('ul', { class: 'legend' });
  const details = element('details');
  details.append(element('summary', {}, 'Xem số liệu'), figuresTable(indicator));
  section.append(head, facts, box, legendList, details);
  return { section, draw: () => chart(indicator, box, legendList) };
}

async function main() {
  const data = await request(INDICATORS);
  layout('indicators', data.viewer);
  const where = data.viewer.jurisdiction ? 'trong địa bàn của bạn' : 'trên cả nước';
  document.getElementById('subtitle').textContent =
    `Các chỉ số ${where} (và chỉ số quốc gia): số đo so với lộ trình đến chỉ tiêu. Số liệu ngày ${format.day(new Date())}.`;
  const cards = data.indicators.map(card);
  document.getElementById('indicators').replaceChildren(...cards.map((c) => c.section));
  // Drawn once laid out, so each chart takes its card's width.
  for (const c of cards) c.draw();
  document.getElementById('none').hidden = cards.length !== 0;
  loaded();
}

main().catch(failed);
