//! A plan's task table read into commands, row by row, with every problem reported
//! against the row and column it is in.
//!
//! The table is what Vietnamese plans print: a header row (STT | Nội dung nhiệm vụ |
//! Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm, in any order,
//! with or without diacritics), section rows naming a pillar ("I. CẢI CÁCH THỂ CHẾ"),
//! numbered rows (1, 2…) and their sub-rows (1.1, 1.2 → subtasks). Rows are keyed by
//! plan + section + STT, so importing the same table again changes nothing and a
//! changed row becomes an amendment.

mod planner;
mod table;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};

use reform_domain::{
    fold_for_search, Command, CrossCutting, DocumentId, DocumentKind, Pillar, TaskCategory, World,
};

use crate::agencies::AgencyIndex;
use crate::sheet::Sheet;
use planner::Planner;
use table::TableReader;

/// Rows searched for the header.
const HEADER_SEARCH: usize = 30;

/// The columns of a plan's task table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Số thứ tự: the row's number.
    Number,
    /// Nội dung nhiệm vụ.
    Task,
    /// Cơ quan chủ trì.
    Lead,
    /// Cơ quan phối hợp.
    Coordinators,
    /// Thời gian hoàn thành.
    Deadline,
    /// Sản phẩm.
    Output,
    /// Mã nhiệm vụ: the task's id, written by the export.
    Id,
}

impl Column {
    /// The column's heading as the export writes it and reports name it.
    pub fn label(self) -> &'static str {
        match self {
            Column::Number => "STT",
            Column::Task => "Nội dung nhiệm vụ",
            Column::Lead => "Cơ quan chủ trì",
            Column::Coordinators => "Cơ quan phối hợp",
            Column::Deadline => "Thời gian hoàn thành",
            Column::Output => "Sản phẩm",
            Column::Id => "Mã nhiệm vụ",
        }
    }

    const REQUIRED: [Column; 5] = [
        Column::Number,
        Column::Task,
        Column::Lead,
        Column::Deadline,
        Column::Output,
    ];

    /// The column a heading names, if any ("Nội dung công việc", "noi dung nhiem vu",
    /// "Đơn vị chủ trì", "Thời hạn hoàn thành", "Kết quả/Sản phẩm"…).
    pub fn of_heading(heading: &str) -> Option<Column> {
        let folded: String = fold_for_search(heading)
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let h = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        let has = |w: &str| h.contains(w);
        if h.starts_with("ma nhiem vu") {
            Some(Column::Id)
        } else if ["stt", "tt", "so tt", "so thu tu", "thu tu"].contains(&h.as_str()) {
            Some(Column::Number)
        } else if has("chu tri") {
            Some(Column::Lead)
        } else if has("phoi hop") {
            Some(Column::Coordinators)
        } else if has("thoi gian") || has("thoi han") || h == "han" || h.starts_with("han ") {
            Some(Column::Deadline)
        } else if has("san pham") || h == "ket qua" {
            Some(Column::Output)
        } else if has("noi dung") || has("nhiem vu") || has("cong viec") {
            Some(Column::Task)
        } else {
            None
        }
    }
}

/// How to import.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Import the valid rows even when some are not (default: all or nothing).
    pub partial: bool,
    /// Why existing tasks change, recorded on their amendments ("Kế hoạch sửa đổi…").
    pub reason: String,
}

/// Something wrong (or worth knowing) about one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The row as the spreadsheet numbers it (from 1).
    pub row: usize,
    /// The row's STT as written, when it has one.
    pub number: Option<String>,
    /// The column the problem is in.
    pub column: Option<Column>,
    /// What is wrong, and what to do.
    pub message: String,
    /// Names on record close to an unknown agency name.
    pub suggestions: Vec<String>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(n) = &self.number {
            write!(f, " (STT {n})")?;
        }
        if let Some(c) = self.column {
            write!(f, ", {}", c.label())?;
        }
        write!(f, ": {}", self.message)?;
        if !self.suggestions.is_empty() {
            write!(f, " (did you mean: {}?)", self.suggestions.join("; "))?;
        }
        Ok(())
    }
}

/// What an import found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// The worksheet read.
    pub sheet: String,
    /// The header's row.
    pub header_row: usize,
    /// Numbered rows read (sections, notes and blank lines not counted).
    pub task_rows: usize,
    /// Numbered rows with no lead, deadline or output over sub-rows: headings, not
    /// tasks (their sub-rows become tasks of their own).
    pub headings: usize,
    /// Rows that create a task.
    pub created: usize,
    /// Rows that amend (or reassign) a task imported before.
    pub amended: usize,
    /// Rows already as the plan has them.
    pub unchanged: usize,
    /// Rows left out: invalid ones, in a partial import.
    pub skipped: usize,
    /// Rows that are wrong. Without `partial`, any of these means nothing is written.
    pub errors: Vec<Problem>,
    /// Rows read with a caveat (a collective coordinator dropped, a note ignored).
    pub warnings: Vec<Problem>,
    /// Whether the commands were written.
    pub written: bool,
}

/// The commands an import would execute, in order, and its report.
#[derive(Clone, Debug)]
pub struct ImportPlan {
    /// Commands to execute all or none; empty when nothing is to be written.
    pub commands: Vec<Command>,
    /// What was found.
    pub report: ImportReport,
}

/// The file as a whole cannot be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No sheet has a recognisable header.
    #[error("no sheet has a task table header (STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm){}", missing_note(.closest))]
    NoHeader {
        /// The nearest header found and the columns it lacks.
        closest: Option<(usize, Vec<Column>)>,
    },
    /// The plan is not on record.
    #[error("{0}")]
    Plan(String),
    /// No reason was given for amendments.
    #[error("give a reason for the import (recorded on amended tasks)")]
    NoReason,
}

fn missing_note(closest: &Option<(usize, Vec<Column>)>) -> String {
    match closest {
        Some((row, missing)) => format!(
            "; row {row} looks like one but has no {} column",
            missing
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => String::new(),
    }
}

/// The pillar or cross-cutting work a section heading names.
pub fn category_of_heading(heading: &str) -> Option<TaskCategory> {
    let h = fold_for_search(heading);
    let has = |words: &[&str]| words.iter().any(|w| h.contains(w));
    let category = if has(&["thu tuc hanh chinh", "mot cua"]) {
        TaskCategory::Pillar(Pillar::AdministrativeProcedures)
    } else if has(&["the che"]) {
        TaskCategory::Pillar(Pillar::Institutional)
    } else if has(&["to chuc bo may", "bo may hanh chinh"]) {
        TaskCategory::Pillar(Pillar::OrganizationalApparatus)
    } else if has(&["cong vu", "can bo, cong chuc", "can bo cong chuc"]) {
        TaskCategory::Pillar(Pillar::CivilService)
    } else if has(&["tai chinh cong"]) {
        TaskCategory::Pillar(Pillar::PublicFinance)
    } else if has(&[
        "chinh phu dien tu",
        "chinh phu so",
        "chinh quyen dien tu",
        "chinh quyen so",
        "chuyen doi so",
    ]) {
        TaskCategory::Pillar(Pillar::DigitalGovernment)
    } else if has(&["chi dao", "dieu hanh"]) {
        TaskCategory::CrossCutting(CrossCutting::Direction)
    } else if has(&["tuyen truyen", "thong tin"]) {
        TaskCategory::CrossCutting(CrossCutting::Communication)
    } else if has(&["kiem tra"]) {
        TaskCategory::CrossCutting(CrossCutting::Inspection)
    } else {
        return None;
    };
    Some(category)
}

/// Reads the first sheet with a task table into the commands that bring `plan` in
/// line with it.
pub fn plan_import(
    world: &World,
    plan: DocumentId,
    sheets: &[Sheet],
    options: &ImportOptions,
) -> Result<ImportPlan, ImportError> {
    if options.reason.trim().is_empty() {
        return Err(ImportError::NoReason);
    }
    let document = world
        .documents
        .get(&plan)
        .ok_or_else(|| ImportError::Plan(format!("plan {plan} is not on record")))?;
    let DocumentKind::Plan { period, .. } = &document.kind else {
        return Err(ImportError::Plan(format!(
            "{} is a {}; tasks are imported into plans",
            document.header.number,
            document.kind.name()
        )));
    };
    let (sheet, header_row, columns) = find_table(sheets)?;
    let index = AgencyIndex::new(world, &document.jurisdiction);
    let mut reader = TableReader {
        index: &index,
        collectives: BTreeMap::new(),
        columns,
        plan_year: period.from_year,
        report: ImportReport {
            sheet: sheet.name.clone(),
            header_row: header_row + 1,
            ..ImportReport::default()
        },
    };
    let rows = reader.read_rows(sheet, header_row);
    let mut planner = Planner::new(world, plan, options);
    planner.plan(rows, &mut reader.report);
    let mut report = reader.report;
    report.errors.sort_by_key(|p| p.row);
    report.warnings.sort_by_key(|p| p.row);
    let commands = if report.errors.is_empty() || options.partial {
        planner.commands
    } else {
        Vec::new()
    };
    Ok(ImportPlan { commands, report })
}

fn find_table(sheets: &[Sheet]) -> Result<(&Sheet, usize, HashMap<Column, usize>), ImportError> {
    let mut closest: Option<(usize, Vec<Column>)> = None;
    for sheet in sheets {
        for (i, row) in sheet.rows.iter().enumerate().take(HEADER_SEARCH) {
            let mut columns = HashMap::new();
            for (c, cell) in row.iter().enumerate() {
                if let Some(column) = Column::of_heading(cell) {
                    columns.entry(column).or_insert(c);
                }
            }
            let missing: Vec<Column> = Column::REQUIRED
                .into_iter()
                .filter(|c| !columns.contains_key(c))
                .collect();
            if missing.is_empty() {
                return Ok((sheet, i, columns));
            }
            if missing.len() <= 2
                && closest
                    .as_ref()
                    .is_none_or(|(_, m)| missing.len() < m.len())
            {
                closest = Some((i + 1, missing));
            }
        }
    }
    Err(ImportError::NoHeader { closest })
}
