// Files a page offers to save, made in the browser from the API's answers: a table as
// CSV laid out as the CLI's `reform export …` writes it (UTF-8 with a byte-order mark,
// so Excel shows Vietnamese; a cell that would start a formula gets an apostrophe), or
// a file the API itself made (`Plan.taskTable`, base64). Saved through a Blob link:
// nothing is sent anywhere.

/** What a spreadsheet would read as a formula (as `reform_interchange`'s csv). */
const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];

/** One cell as the CLI writes it: text as is, a whole number without decimals, any
 * other number in its shortest form (98.81), nothing as an empty cell. */
export function cell(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  return String(value);
}

function field(text) {
  const safe = FORMULA_STARTS.some((start) => text.startsWith(start)) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as CSV text, a byte-order mark first and `\n` after each row. */
export function csv(rows) {
  const lines = rows.map((row) => {
    // A row of one empty cell must still be a row.
    if (row.length === 1 && cell(row[0]) === '') return '""';
    return row.map((value) => field(cell(value))).join(',');
  });
  return `\uFEFF${lines.map((line) => `${line}\n`).join('')}`;
}

/** A day yyyy-mm-dd as the CLI's sheets write it: 1/7/2025. */
export function sheetDay(value) {
  if (!value) return '';
  const [year, month, day] = value.split('-').map(Number);
  return `${day}/${month}/${year}`;
}

/** Offers `blob` to the user as a file called `name`. */
function save(name, blob) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The download has taken the bytes by the next turn; the URL need not live on.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves CSV text as `name`. */
export function saveCsv(name, text) {
  save(name, new Blob([text], { type: 'text/csv;charset=utf-8' }));
}

/** Saves a file the API gave as base64 (`TableFile`). */
export function saveBase64(name, base64, contentType) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  save(name, new Blob([bytes], { type: contentType }));
}
