// Trách nhiệm người đứng đầu: accountability by head of agency as the API gives it
// (`accountability`): each head's tenure, the tasks it answers for, completed in time,
// late, overdue, the worst delay, the on-time rate, the PAR band, and the "no
// emulation rewards" flag with its reasons in words. Narrowed to a year of deadlines
// (`?nam=`); exported as the CSV `reform export accountability` writes.
import { request } from '../graphql.js';
import { layout, failed } from '../layout.js';
import { element, link, loaded } from '../dom.js';
import { csv, saveCsv, sheetDay } from '../export.js';
import * as format from '../format.js';

/** The first year offered: the program's. */
const FIRST_YEAR = 2021;

const ACCOUNTABILITY = `query Accountability($year: Int) {
  viewer { name jurisdiction role { code labelVi } }
  accountability(year: $year) {
    agency { id name }
    head { name title from to }
    countedTo tasksDue completedInTime completedLate overdueNow worstDaysOverdue onTimeRate parBand
    noEmulationReward reasons
  }
}`;

const state = { rows: [], year: null };

function headRow(r) {
  const row = element('tr', { 'data-agency': r.agency ? r.agency.id : '', 'data-no-reward': String(r.noEmulationReward) });
  const agency = element('th', { scope: 'row' });
  agency.append(r.agency ? link(`/co-quan/${encodeURIComponent(r.agency.id)}`, r.agency.name) : '—');
  const head = element('td');
  head.append(element('span', { class: 'block' }, r.head.name));
  if (r.head.title) head.append(element('span', { class: 'muted small block' }, r.head.title));
  const tenure = `${format.date(r.head.from)} – ${r.head.to ? format.date(r.head.to) : `nay (${format.date(r.countedTo)})`}`;
  const flag = element('td', { class: r.noEmulationReward ? 'flag no-reward' : 'flag' });
  if (r.noEmulationReward) {
    flag.append(element('strong', { class: 'block' }, 'Không xét thi đua, khen thưởng'));
    const reasons = element('ul', { class: 'plain reasons' });
    for (const reason of r.reasons) reasons.append(element('li', {}, reason));
    flag.append(reasons);
  } else {
    flag.append(element('span', {}, 'Được xét'));
  }
  row.append(
    agency,
    head,
    element('td', {}, tenure),
    element('td', { class: 'num' }, format.count(r.tasksDue)),
    element('td', { class: 'num' }, format.count(r.completedInTime)),
    element('td', { class: 'num' }, format.count(r.completedLate)),
    element('td', { class: r.overdueNow ? 'num overdue' : 'num' }, format.count(r.overdueNow)),
    element('td', { class: 'num' }, format.count(r.worstDaysOverdue)),
    element('td', { class: 'num' }, format.share(r.onTimeRate)),
    element('td', {}, r.parBand || '—'),
    flag,
  );
  return row;
}

/** The table as `reform export accountability --format csv` writes it. */
function accountabilityCsv(rows, today) {
  return csv([
    [`Trách nhiệm người đứng đầu trong thực hiện nhiệm vụ cải cách hành chính, tính đến ngày ${today}`],
    ['Cơ quan, đơn vị', 'Người đứng đầu', 'Chức vụ', 'Từ ngày', 'Đến ngày', 'Nhiệm vụ đến hạn',
      'Hoàn thành đúng hạn', 'Hoàn thành quá hạn', 'Đang quá hạn', 'Quá hạn lâu nhất (ngày)',
      'Tỷ lệ đúng hạn (%)', 'Xếp loại PAR INDEX', 'Không xét thi đua, khen thưởng', 'Lý do'],
    ...rows.map((r) => [
      r.agency ? r.agency.name : '',
      r.head.name,
      r.head.title || '',
      sheetDay(r.head.from),
      sheetDay(r.countedTo),
      r.tasksDue,
      r.completedInTime,
      r.completedLate,
      r.overdueNow,
      r.worstDaysOverdue,
      // A share as the CLI's sheet writes it: a percent to one decimal.
      r.onTimeRate === null ? '' : Math.round(r.onTimeRate * 1000) / 10,
      r.parBand || '',
      r.noEmulationReward ? 'Có' : 'Không',
      r.reasons.join('; '),
    ]),
  ]);
}

async function load(first) {
  const data = await request(ACCOUNTABILITY, { year: state.year });
  if (first) layout('accountability', data.viewer);
  state.rows = data.accountability;
  document.getElementById('heads').replaceChildren(...state.rows.map(headRow));
  const flagged = state.rows.filter((r) => r.noEmulationReward).length;
  document.getElementById('summary').textContent = state.rows.length === 0
    ? 'Không có người đứng đầu nào trong phạm vi này.'
    : `${format.count(state.rows.length)} nhiệm kỳ người đứng đầu; ${format.count(flagged)} không được xét thi đua, khen thưởng.`;
  document.getElementById('export').disabled = state.rows.length === 0;
  loaded();
}

async function main() {
  const select = document.getElementById('year');
  const asked = Number(new URLSearchParams(window.location.search).get('nam')) || null;
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y -= 1) {
    const option = element('option', { value: String(y) }, String(y));
    option.selected = y === asked;
    select.append(option);
  }
  state.year = asked && select.value ? asked : null;
  select.addEventListener('change', () => {
    state.year = select.value ? Number(select.value) : null;
    window.history.replaceState(null, '', select.value ? `/trach-nhiem?nam=${select.value}` : '/trach-nhiem');
    load(false).catch(failed);
  });
  document.getElementById('export').addEventListener('click', () => {
    // Today in Vietnam, yyyy-mm-dd (the Canadian English form is ISO's).
    const today = sheetDay(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    const name = state.year ? `trach-nhiem-nguoi-dung-dau-${state.year}.csv` : 'trach-nhiem-nguoi-dung-dau.csv';
    saveCsv(name, accountabilityCsv(state.rows, today));
  });
  await load(true);
  document.getElementById('subtitle').textContent =
    `Người đứng đầu các cơ quan trong phạm vi bạn được xem. Số liệu ngày ${format.day(new Date())}.`;
}

main().catch(failed);
