//! Tables written back out as spreadsheets: a plan's task table in the shape it is
//! imported from (so the round trip works), with status, progress and completion
//! columns added; and any other table (league tables, accountability) in the same
//! two formats.

use std::cmp::Ordering;
use std::collections::HashMap;

use reform_domain::{
    CrossCutting, Deadline, DocumentId, DocumentKind, Pillar, Task, TaskCategory, TaskId,
    TaskStatus, World,
};
use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};

use crate::import::Column;
use crate::sheet::Format;

/// One cell to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number (written as a number in xlsx).
    Number(f64),
    /// Nothing.
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }
}

/// A row of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    /// A section heading: its numeral in the first column, its title across the rest.
    Section {
        /// "I", "II"…
        numeral: String,
        /// The heading.
        title: String,
    },
    /// Ordinary cells.
    Cells(Vec<Cell>),
}

/// A table with a title above its header.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Worksheet name (at most 31 characters in xlsx).
    pub sheet: String,
    /// Lines printed above the header.
    pub title: Vec<String>,
    /// Column headings.
    pub header: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
}

/// A task's progress as the read-model figures it — the percent and status every
/// view shows — for the table to print: the export computes no figure of its own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskProgress {
    /// Percent complete; `None` when cancelled.
    pub percent: Option<f64>,
    /// For an open task, whether it has begun (progress reported on it or on a
    /// subtask, or a subtask completed).
    pub begun: bool,
}

/// A table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Not a plan on record.
    #[error("{0}")]
    Plan(String),
    /// The xlsx writer failed.
    #[error("the xlsx file could not be written: {0}")]
    Xlsx(#[from] XlsxError),
    /// The csv writer failed.
    #[error("the csv file could not be written: {0}")]
    Csv(String),
}

/// The headings of an exported plan: the import's columns, then what happened.
pub fn plan_header() -> Vec<String> {
    [
        Column::Number.label(),
        Column::Task.label(),
        Column::Lead.label(),
        Column::Coordinators.label(),
        Column::Deadline.label(),
        Column::Output.label(),
        "Tiến độ (%)",
        "Trạng thái",
        "Ngày hoàn thành",
        Column::Id.label(),
    ]
    .map(str::to_owned)
    .to_vec()
}

/// A plan's tasks as its table: one section per pillar or cross-cutting category,
/// numbered as the tasks' STT were when imported, tasks under their parents, with
/// each task's progress as `progress` gives it (rounded to two decimals; left blank
/// for a task it does not know).
pub fn plan_table(
    world: &World,
    plan: DocumentId,
    progress: &HashMap<TaskId, TaskProgress>,
) -> Result<Table, ExportError> {
    let document = world
        .documents
        .get(&plan)
        .filter(|d| matches!(d.kind, DocumentKind::Plan { .. }))
        .ok_or_else(|| ExportError::Plan(format!("plan {plan} is not on record")))?;
    let tasks: Vec<&Task> = world.tasks.values().filter(|t| t.plan == plan).collect();
    let mut by_category: HashMap<TaskCategory, Vec<&Task>> = HashMap::new();
    for t in &tasks {
        by_category.entry(t.category).or_default().push(t);
    }
    // Each section keeps the numeral its tasks were imported under; the others take
    // the numerals left, in the program's order of categories.
    let mut numbered: Vec<(usize, TaskCategory)> = Vec::new();
    let mut unnumbered: Vec<TaskCategory> = Vec::new();
    for category in category_order() {
        let Some(members) = by_category.get(&category) else {
            continue;
        };
        match members
            .iter()
            .filter_map(|t| t.reference.as_deref()?.split_once('.').map(|(n, _)| n))
            .find_map(from_roman)
        {
            Some(n) if !numbered.iter().any(|(m, _)| *m == n) => numbered.push((n, category)),
            _ => unnumbered.push(category),
        }
    }
    let mut next = 1;
    for category in unnumbered {
        while numbered.iter().any(|(n, _)| *n == next) {
            next += 1;
        }
        numbered.push((next, category));
    }
    numbered.sort();

    let name = |id| {
        world
            .agencies
            .get(&id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let mut rows = Vec::new();
    for (n, category) in numbered {
        let numeral = to_roman(n);
        rows.push(Row::Section {
            numeral: numeral.clone(),
            title: category.label_vi().to_uppercase(),
        });
        let members = &by_category[&category];
        let prefix = format!("{numeral}.");
        let mut ordered = Vec::new();
        let in_section: Vec<TaskId> = members.iter().map(|t| t.id).collect();
        let top: Vec<&Task> = members
            .iter()
            .filter(|t| t.parent_task.is_none_or(|p| !in_section.contains(&p)))
            .copied()
            .collect();
        walk(&top, members, &prefix, "", &mut ordered);
        for (number, task) in ordered {
            rows.push(Row::Cells(vec![
                Cell::Text(number),
                Cell::Text(task.title.clone()),
                Cell::Text(name(task.lead)),
                task.coordinators
                    .iter()
                    .map(|c| name(*c))
                    .collect::<Vec<_>>()
                    .join("; ")
                    .into(),
                Cell::Text(match task.deadline {
                    Deadline::On(d) => d.format("%-d/%-m/%Y").to_string(),
                    Deadline::Ongoing => "Thường xuyên".to_owned(),
                }),
                Cell::Text(task.expected_output.clone()),
                progress
                    .get(&task.id)
                    .and_then(|p| p.percent)
                    .map_or(Cell::Empty, |p| Cell::Number((p * 100.0).round() / 100.0)),
                Cell::Text(status_label(&task.status, progress.get(&task.id)).to_owned()),
                match &task.status {
                    TaskStatus::Completed { on, .. } => {
                        Cell::Text(on.format("%-d/%-m/%Y").to_string())
                    }
                    _ => Cell::Empty,
                },
                Cell::Text(task.id.to_string()),
            ]));
        }
    }
    Ok(Table {
        sheet: "Nhiệm vụ".to_owned(),
        title: vec![
            format!("Kế hoạch số {}", document.header.number),
            document.header.title.clone(),
        ],
        header: plan_header(),
        rows,
    })
}

/// Depth-first: each task, then its subtasks. Numbers are the imported STT where
/// there is one, else the next free number among the siblings.
fn walk<'t>(
    siblings: &[&'t Task],
    all: &[&'t Task],
    prefix: &str,
    parent_number: &str,
    out: &mut Vec<(String, &'t Task)>,
) {
    let mut siblings = siblings.to_vec();
    siblings.sort_by(|a, b| match (&a.reference, &b.reference) {
        (Some(x), Some(y)) => natural(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    let local = |t: &Task| {
        t.reference
            .as_deref()
            .map(|r| r.strip_prefix(prefix).unwrap_or(r).to_owned())
    };
    let mut used: Vec<String> = siblings.iter().filter_map(|t| local(t)).collect();
    let mut next = 1;
    for task in siblings {
        let number = local(task).unwrap_or_else(|| loop {
            let candidate = if parent_number.is_empty() {
                next.to_string()
            } else {
                format!("{parent_number}.{next}")
            };
            next += 1;
            if !used.contains(&candidate) {
                used.push(candidate.clone());
                break candidate;
            }
        });
        out.push((number.clone(), task));
        let children: Vec<&Task> = all
            .iter()
            .filter(|c| c.parent_task == Some(task.id))
            .copied()
            .collect();
        walk(&children, all, prefix, &number, out);
    }
}

/// "2.10" after "2.9": numbers compared part by part.
fn natural(a: &str, b: &str) -> Ordering {
    let parts = |s: &str| -> Vec<(u64, String)> {
        s.split('.')
            .map(|p| (p.parse().unwrap_or(u64::MAX), p.to_owned()))
            .collect()
    };
    parts(a).cmp(&parts(b))
}

fn category_order() -> Vec<TaskCategory> {
    std::iter::once(TaskCategory::CrossCutting(CrossCutting::Direction))
        .chain(Pillar::ALL.iter().map(|p| TaskCategory::Pillar(*p)))
        .chain(
            [CrossCutting::Communication, CrossCutting::Inspection].map(TaskCategory::CrossCutting),
        )
        .collect()
}

/// An open task's status is the figure's (begun through a subtask too).
fn status_label(status: &TaskStatus, progress: Option<&TaskProgress>) -> &'static str {
    match (status, progress) {
        (TaskStatus::NotStarted | TaskStatus::InProgress, Some(p)) if p.begun => "Đang thực hiện",
        (TaskStatus::NotStarted | TaskStatus::InProgress, Some(_)) => "Chưa thực hiện",
        (TaskStatus::NotStarted, None) => "Chưa thực hiện",
        (TaskStatus::InProgress, None) => "Đang thực hiện",
        (TaskStatus::Completed { timeliness, .. }, _) => timeliness.label_vi(),
        (TaskStatus::Cancelled, _) => "Đã hủy",
    }
}

const ROMAN: [(usize, &str); 4] = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV")];

/// 1 → "I", 4 → "IV", 12 → "XII": section numerals.
pub fn to_roman(mut n: usize) -> String {
    let mut out = String::new();
    for (value, digits) in ROMAN.iter().chain(&[(1, "I")]) {
        while n >= *value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn from_roman(s: &str) -> Option<usize> {
    (1..=30).find(|n| to_roman(*n) == s)
}

/// Writes a table as a file of the format.
pub fn write(table: &Table, format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Csv => write_csv(table),
        Format::Xlsx => write_xlsx(table),
    }
}

/// The characters a spreadsheet takes as the start of a formula when it opens a csv
/// file (`=HYPERLINK(…)` would run on the reader's machine).
pub(crate) const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A csv cell that a spreadsheet shows as the text it is: one starting like a formula
/// gets a leading apostrophe, which spreadsheets read as "text follows" and the import
/// takes off again. Every csv the tracker writes (plan tables, the audit export)
/// passes its cells through this.
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Csv, UTF-8 with a byte-order mark; no cell can run as a formula. (Workbooks need
/// no such care: every cell is written as a string, never as a formula.)
fn write_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let error = |e: csv::Error| ExportError::Csv(e.to_string());
    // Excel opens UTF-8 csv as such only with the byte-order mark.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let width = table.header.len();
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let mut write = |cells: &[String]| {
            writer
                .write_record(cells.iter().map(|c| neutralised(c).into_owned()))
                .map_err(error)
        };
        for line in &table.title {
            write(std::slice::from_ref(line))?;
        }
        write(&table.header)?;
        for row in &table.rows {
            let cells: Vec<String> = match row {
                Row::Section { numeral, title } => {
                    let mut cells = vec![numeral.clone(), title.clone()];
                    cells.resize(width.max(2), String::new());
                    cells
                }
                Row::Cells(cells) => cells.iter().map(Cell::text).collect(),
            };
            write(&cells)?;
        }
        writer
            .flush()
            .map_err(|e| ExportError::Csv(e.to_string()))?;
    }
    Ok(out)
}

fn write_xlsx(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let name: String = table.sheet.chars().take(31).collect();
    sheet.set_name(name)?;
    let bold = CellFormat::new().set_bold();
    let header = CellFormat::new()
        .set_bold()
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = CellFormat::new().set_text_wrap();
    let last_col = u16::try_from(table.header.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let mut r: u32 = 0;
    for line in &table.title {
        sheet.write_string_with_format(r, 0, line, &bold)?;
        r += 1;
    }
    if !table.title.is_empty() {
        r += 1;
    }
    for (c, heading) in table.header.iter().enumerate() {
        sheet.write_string_with_format(r, col(c), heading, &header)?;
    }
    r += 1;
    for row in &table.rows {
        match row {
            Row::Section { numeral, title } => {
                sheet.write_string_with_format(r, 0, numeral, &bold)?;
                if last_col >= 2 {
                    sheet.merge_range(r, 1, r, last_col, title, &bold)?;
                } else {
                    sheet.write_string_with_format(r, 1, title, &bold)?;
                }
            }
            Row::Cells(cells) => {
                for (c, cell) in cells.iter().enumerate() {
                    match cell {
                        Cell::Text(t) => {
                            sheet.write_string_with_format(r, col(c), t, &wrap)?;
                        }
                        Cell::Number(n) => {
                            sheet.write_number(r, col(c), *n)?;
                        }
                        Cell::Empty => {}
                    }
                }
            }
        }
        r += 1;
    }
    for (c, heading) in table.header.iter().enumerate() {
        let width = match Column::of_heading(heading) {
            Some(Column::Task | Column::Output) => 50.0,
            Some(Column::Lead | Column::Coordinators) => 28.0,
            Some(Column::Number) => 6.0,
            Some(Column::Id) => 38.0,
            _ => 16.0,
        };
        sheet.set_column_width(col(c), width)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numerals_round_trip() {
        let written: Vec<String> = (1..=12).map(to_roman).collect();
        assert_eq!(
            written,
            ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
        );
        assert!((1..=30).all(|n| from_roman(&to_roman(n)) == Some(n)));
        assert_eq!(from_roman("IIII"), None);
    }

    #[test]
    fn numbers_sort_part_by_part() {
        let mut refs = vec!["2.10", "10", "2.9", "2", "1"];
        refs.sort_by(|a, b| natural(a, b));
        assert_eq!(refs, ["1", "2", "2.9", "2.10", "10"]);
    }
}
