// A plan's page (/ke-hoach/<id>): what it is, its top-level tasks, and for the
// secretariat the upload of its task table: the file read in the browser and sent
// base64 to `importPlanTable`, checked first (`dryRun`), then imported; the import's
// report shown row by row (rows read, created, amended, and each problem with its
// row, STT, column, message and suggested agency names). Anyone but an officer may
// save the task table as the API makes it (`Plan.taskTable`, the file `reform export
// plan` writes: xlsx or csv with a byte-order mark).
import { request } from '../graphql.js';
import { layout, failed, showRefusal } from '../layout.js';
import { element, idInPath, loaded } from '../dom.js';
import { taskRow, TASK_ROW_FIELDS } from '../task-rows.js';
import { onSubmit, mutationId, value } from '../forms.js';
import { saveBase64 } from '../export.js';
import * as format from '../format.js';

/** The largest file the API reads (700 KiB decoded). */
const MAX_BYTES = 700 * 1024;

const PLAN = `query Plan($id: ID!) {
  viewer { name jurisdiction role { code labelVi } }
  plan: node(id: $id) {
    ... on Plan {
      id number title jurisdictionName fromYear toYear version
      issuingAgency { name }
      tasks { ${TASK_ROW_FIELDS} }
    }
  }
}`;

const TABLE = `query PlanTable($id: ID!, $format: TableFormat!) {
  plan: node(id: $id) { ... on Plan { taskTable(format: $format) { fileName contentType content } } }
}`;

const REPORT_FIELDS = `sheet headerRow numberedRows headings created amended unchanged skipped written
  errors { row number column message suggestions }
  warnings { row number column message suggestions }`;

const IMPORT = `mutation ImportPlanTable($input: ImportPlanTableInput!) {
  importPlanTable(input: $input) { report { ${REPORT_FIELDS} } }
}`;

/** The report's counts, in the order shown. */
const COUNTS = [
  ['numberedRows', 'Số dòng đã đọc'],
  ['headings', 'Dòng tiêu đề mục'],
  ['created', 'Nhiệm vụ tạo mới'],
  ['amended', 'Nhiệm vụ sửa đổi'],
  ['unchanged', 'Không thay đổi'],
  ['skipped', 'Dòng bỏ qua'],
];

const state = { id: null, checked: null };

function renderFacts(plan) {
  document.getElementById('title').textContent = `Kế hoạch ${plan.number}`;
  document.title = `Kế hoạch ${plan.number} — Theo dõi cải cách hành chính`;
  document.getElementById('subtitle').textContent = plan.title;
  const list = document.getElementById('facts');
  list.replaceChildren();
  const years = plan.fromYear === null ? null
    : [plan.fromYear, plan.toYear].filter((y, i) => i === 0 || (y !== null && y !== plan.fromYear)).join('–');
  for (const [label, text] of [
    ['Địa phương', plan.jurisdictionName],
    ['Cơ quan ban hành', plan.issuingAgency ? plan.issuingAgency.name : null],
    ['Năm thực hiện', years],
    ['Số nhiệm vụ cấp trên cùng', format.count(plan.tasks.length)],
  ]) {
    if (text === null) continue;
    const group = element('div');
    group.append(element('dt', {}, label), element('dd', {}, text));
    list.append(group);
  }
  document.getElementById('plan-tasks').href = `/nhiem-vu?plan=${encodeURIComponent(plan.id)}`;
  const body = document.getElementById('tasks');
  body.replaceChildren(...plan.tasks.map((task) => taskRow(task, false)));
  document.getElementById('task-table').hidden = plan.tasks.length === 0;
  document.getElementById('tasks-none').hidden = plan.tasks.length !== 0;
}

async function load() {
  const data = await request(PLAN, { id: state.id });
  layout('plans', data.viewer);
  if (!data.plan || !data.plan.number) {
    document.getElementById('title').textContent = 'Không phải một kế hoạch';
    document.getElementById('subtitle').textContent = 'Địa chỉ này không chỉ tới một kế hoạch.';
    loaded();
    return;
  }
  renderFacts(data.plan);
  document.getElementById('upload').hidden = data.viewer.role.code !== 'SECRETARIAT';
  // The whole table holds every agency's tasks: the API refuses it to officers.
  document.getElementById('export').hidden = data.viewer.role.code === 'OFFICER';
  loaded();
}

function wireExport() {
  const box = document.getElementById('export-error');
  for (const button of document.querySelectorAll('#export button')) {
    button.addEventListener('click', async () => {
      button.disabled = true;
      box.hidden = true;
      try {
        const data = await request(TABLE, { id: state.id, format: button.dataset.format });
        const file = data.plan.taskTable;
        saveBase64(file.fileName, file.content, file.contentType);
      } catch (error) {
        if (!error.code) throw error;
        showRefusal(box, error);
      } finally {
        button.disabled = false;
      }
    });
  }
}

function problemRow(kind, problem) {
  const row = element('tr', { 'data-row': String(problem.row), class: kind === 'error' ? 'problem' : '' });
  row.append(
    element('td', {}, kind === 'error' ? 'Lỗi' : 'Lưu ý'),
    element('td', { class: 'num' }, String(problem.row)),
    element('td', {}, problem.number || '—'),
    element('td', {}, problem.column || '—'),
    element('td', {}, problem.message),
    element('td', {}, problem.suggestions.length ? problem.suggestions.join('; ') : '—'),
  );
  return row;
}

/** The report (or, for a refused import, its problems alone) under the form. */
function renderReport(report, problems) {
  const counts = document.getElementById('report-counts');
  counts.replaceChildren();
  if (report) {
    for (const [key, label] of COUNTS) {
      const group = element('div', { 'data-count': key });
      group.append(element('dt', {}, label), element('dd', {}, format.count(report[key])));
      counts.append(group);
    }
  }
  const rows = report
    ? [...report.errors.map((p) => problemRow('error', p)), ...report.warnings.map((p) => problemRow('warning', p))]
    : problems.map((p) => problemRow('error', p));
  document.getElementById('problems').replaceChildren(...rows);
  document.getElementById('problems-table').hidden = rows.length === 0;
  document.getElementById('report').hidden = false;
}

/** The chosen file's bytes as base64 (read in the browser, nothing uploaded raw). */
function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] || '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function wireUpload() {
  const form = document.getElementById('upload-form');
  const importButton = document.getElementById('import');
  const file = form.elements.content;
  // A new file (or reason) must be checked again before it is imported.
  const unchecked = () => {
    state.checked = null;
    importButton.dataset.hold = 'true';
    importButton.disabled = true;
  };
  unchecked();
  file.addEventListener('change', unchecked);
  form.elements.reason.addEventListener('input', unchecked);
  form.elements.partial.addEventListener('change', unchecked);
  onSubmit(form, async (button) => {
    const chosen = file.files[0];
    if (chosen.size > MAX_BYTES) {
      const error = new Error(`tệp ${format.count(chosen.size)} byte, quá giới hạn ${format.count(MAX_BYTES)} byte`);
      error.code = 'BAD_USER_INPUT';
      error.extensions = { field: 'content' };
      throw error;
    }
    const dryRun = button.value !== 'import';
    const input = {
      planId: state.id,
      content: await base64(chosen),
      fileName: chosen.name,
      reason: value(form, 'reason'),
      partial: form.elements.partial.checked,
      dryRun,
      clientMutationId: mutationId(),
    };
    const on = value(form, 'on');
    if (on !== null) input.on = on;
    try {
      const data = await request(IMPORT, { input });
      return { dryRun, report: data.importPlanTable.report, name: chosen.name };
    } catch (error) {
      const problems = error.extensions && error.extensions.problems;
      if (Array.isArray(problems)) renderReport(null, problems);
      throw error;
    }
  }, async ({ dryRun, report, name }) => {
    renderReport(report);
    if (dryRun) {
      state.checked = name;
      importButton.dataset.hold = 'false';
      return report.errors.length
        ? `Kiểm tra xong: ${format.count(report.errors.length)} dòng có lỗi; chưa ghi gì.`
        : 'Kiểm tra xong: không có lỗi; chưa ghi gì. Bấm "Nhập vào kế hoạch" để ghi.';
    }
    unchecked();
    await load();
    return report.written
      ? `Đã nhập: ${format.count(report.created)} nhiệm vụ tạo mới, ${format.count(report.amended)} sửa đổi.`
      : 'Không có gì thay đổi: kế hoạch đã có đúng các dòng này.';
  });
}

async function main() {
  state.id = idInPath('/ke-hoach');
  wireUpload();
  wireExport();
  await load();
}

main().catch(failed);
