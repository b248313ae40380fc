// Numbers and dates as Vietnamese write them: 88,29%; 3.899; 31/12/2025.

const numbers = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const shares = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 2 });
const counts = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const days = new Intl.DateTimeFormat('vi-VN', {
  day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh',
});
const times = new Intl.DateTimeFormat('vi-VN', {
  hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh',
});

/** A figure with up to two decimals: 88,29. */
export function number(value) {
  return numbers.format(value);
}

/** A count: 3.899. */
export function count(value) {
  return counts.format(value);
}

/** A percent, or a dash when there is none (nothing to count): 88,29%. */
export function percent(value) {
  return value === null || value === undefined ? '—' : `${numbers.format(value)}%`;
}

/** A share from 0 to 1 as a percent: 0.75 → 75%. */
export function share(value) {
  return value === null || value === undefined ? '—' : shares.format(value);
}

/** A day: 31/12/2025. */
export function day(value) {
  return days.format(value instanceof Date ? value : new Date(value));
}

/** A day and time: 31/12/2025 14:05. */
export function dayTime(value) {
  const at = value instanceof Date ? value : new Date(value);
  return `${days.format(at)} ${times.format(at)}`;
}

/** A month: 12/2025. */
export function month(year, monthNumber) {
  return `${String(monthNumber).padStart(2, '0')}/${year}`;
}

/** A day the API gives as yyyy-mm-dd (a `NaiveDate`), as 31/12/2025; null stays null. */
export function date(value) {
  return value ? days.format(new Date(`${value}T00:00:00+07:00`)) : null;
}
