//! A plan's task table read into commands, row by row, with every problem reported
//! against the row and column it is in.
//!
//! The table is what Vietnamese plans print: a header row (STT | Nội dung nhiệm vụ |
//! Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm, in any order,
//! with or without diacritics), section rows naming a pillar ("I. CẢI CÁCH THỂ CHẾ"),
//! numbered rows (1, 2…) and their sub-rows (1.1, 1.2 → subtasks). Rows are keyed by
//! plan + section + STT, so importing the same table again changes nothing and a
//! changed row becomes an amendment.

use std::collections::{BTreeMap, HashMap, HashSet};

use reform_domain::{
    decide, fold_for_search, AgencyId, Command, CrossCutting, Deadline, DocumentId, DocumentKind,
    DomainError, Pillar, Task, TaskCategory, TaskId, World,
};

use crate::agencies::{is_collective, AgencyIndex, Match};
use crate::deadline;
use crate::sheet::Sheet;

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

/// A task row as read, before it is compared with the plan.
#[derive(Debug)]
struct TaskRow {
    line: usize,
    written_number: String,
    reference: String,
    parent_reference: Option<String>,
    task_id: Option<String>,
    title: String,
    lead: Option<AgencyId>,
    coordinators: Vec<AgencyId>,
    deadline: Option<Deadline>,
    output: String,
    category: Option<TaskCategory>,
    /// No lead, deadline or output: a heading over sub-rows, if it has any.
    heading: bool,
    problems: Vec<Problem>,
}

struct Section {
    numeral: Option<String>,
    category: Option<TaskCategory>,
    line: usize,
}

struct TableReader<'a, 'w> {
    index: &'a AgencyIndex<'w>,
    /// Coordinator names that stand for a group ("Các sở, ban, ngành"), with the rows
    /// they are on: reported once each.
    collectives: BTreeMap<String, Vec<usize>>,
    columns: HashMap<Column, usize>,
    plan_year: i32,
    report: ImportReport,
}

impl TableReader<'_, '_> {
    fn cell<'r>(&self, row: &'r [String], column: Column) -> &'r str {
        self.columns
            .get(&column)
            .and_then(|&c| row.get(c))
            .map_or("", |s| s.trim())
    }

    fn read_rows(&mut self, sheet: &Sheet, header_row: usize) -> Vec<TaskRow> {
        let mut rows = Vec::new();
        let mut section: Option<Section> = None;
        let mut last_numbered: Option<String> = None;
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, cells) in sheet.rows.iter().enumerate().skip(header_row + 1) {
            let line = i + 1;
            let texts: Vec<&str> = {
                let mut t: Vec<&str> = cells
                    .iter()
                    .map(|c| c.trim())
                    .filter(|c| !c.is_empty())
                    .collect();
                t.dedup();
                t
            };
            if texts.is_empty()
                || (i == header_row + 1 && texts.iter().all(|t| is_column_number(t)))
            {
                continue;
            }
            let number = self.cell(cells, Column::Number);
            let content = self.cell(cells, Column::Task);
            if let Some((numeral, title)) = roman_heading(number, content, &texts) {
                section = Some(self.section(line, Some(numeral), &title));
                last_numbered = None;
                continue;
            }
            let local = if texts.len() == 1 && dotted_number(number).is_none() {
                // One text on the row (perhaps merged across it): a section without a
                // numeral, or a note.
                {
                    if category_of_heading(texts[0]).is_some() {
                        section = Some(self.section(line, None, texts[0]));
                        last_numbered = None;
                    } else {
                        self.report.warnings.push(problem(
                            line,
                            None,
                            None,
                            format!(
                                "ignored: \"{}\" is neither a task nor a section",
                                clip(texts[0])
                            ),
                        ));
                    }
                    continue;
                }
            } else if number.is_empty() {
                self.report.errors.push(problem(
                    line,
                    None,
                    Some(Column::Number),
                    "is empty; number the task (1, 2, 2.1…) so that it can be found again".into(),
                ));
                continue;
            } else if let Some(local) = dotted_number(number) {
                last_numbered = Some(local.clone());
                local
            } else if let Some(letter) = sub_letter(number) {
                match &last_numbered {
                    Some(parent) => format!("{parent}.{letter}"),
                    None => {
                        self.report.errors.push(problem(
                            line,
                            Some(number),
                            Some(Column::Number),
                            "a lettered row needs a numbered row above it".into(),
                        ));
                        continue;
                    }
                }
            } else {
                self.report.errors.push(problem(
                    line,
                    Some(number),
                    Some(Column::Number),
                    "is not a task number: write 1, 2, 2.1 (or I, II for sections)".into(),
                ));
                continue;
            };
            self.report.task_rows += 1;
            let prefix = section
                .as_ref()
                .and_then(|s| s.numeral.as_ref())
                .map(|n| format!("{n}."))
                .unwrap_or_default();
            let reference = format!("{prefix}{local}");
            let parent_reference = local
                .rsplit_once('.')
                .map(|(parent, _)| format!("{prefix}{parent}"));
            let mut row = TaskRow {
                line,
                written_number: number.to_owned(),
                reference: reference.clone(),
                parent_reference,
                task_id: Some(self.cell(cells, Column::Id).to_owned()).filter(|s| !s.is_empty()),
                title: content.to_owned(),
                lead: None,
                coordinators: Vec::new(),
                deadline: None,
                output: self.cell(cells, Column::Output).to_owned(),
                category: None,
                heading: false,
                problems: Vec::new(),
            };
            if let Some(first) = seen.insert(reference.clone(), line) {
                row.fail(
                    Column::Number,
                    format!("STT {number} is already used on row {first} in the same section"),
                );
            }
            match &section {
                Some(Section {
                    category: Some(c), ..
                }) => row.category = Some(*c),
                Some(Section { line: s, .. }) => row.fail(
                    Column::Task,
                    format!("the section on row {s} names no pillar, so this task has none"),
                ),
                None => row.fail(
                    Column::Task,
                    "is above every section: put it under a section naming its pillar (e.g. \"I. CẢI CÁCH THỂ CHẾ\")".into(),
                ),
            }
            let lead = self.cell(cells, Column::Lead);
            let due = self.cell(cells, Column::Deadline);
            row.heading = lead.is_empty() && due.is_empty() && row.output.is_empty();
            if row.title.is_empty() {
                row.fail(Column::Task, "is empty".into());
            }
            if !row.heading {
                self.read_assignment(&mut row, lead, self.cell(cells, Column::Coordinators), due);
            }
            rows.push(row);
        }
        for (name, lines) in std::mem::take(&mut self.collectives) {
            let listed: Vec<String> = lines.iter().map(usize::to_string).collect();
            self.report.warnings.push(problem(
                lines[0],
                None,
                Some(Column::Coordinators),
                format!(
                    "\"{name}\" (row{} {}) names no single agency and is not recorded as a coordinator",
                    if lines.len() > 1 { "s" } else { "" },
                    listed.join(", ")
                ),
            ));
        }
        rows
    }

    fn section(&mut self, line: usize, numeral: Option<String>, title: &str) -> Section {
        let category = category_of_heading(title);
        if category.is_none() {
            self.report.errors.push(problem(
                line,
                numeral.as_deref(),
                Some(Column::Task),
                format!(
                    "the section \"{}\" names no pillar or cross-cutting work (thể chế, thủ tục hành chính, tổ chức bộ máy, công vụ, tài chính công, chính phủ số, chỉ đạo điều hành, tuyên truyền, kiểm tra)",
                    clip(title)
                ),
            ));
        }
        Section {
            numeral,
            category,
            line,
        }
    }

    fn read_assignment(&mut self, row: &mut TaskRow, lead: &str, coordinators: &str, due: &str) {
        if lead.is_empty() {
            row.fail(Column::Lead, "is empty".into());
        } else {
            match self.index.find(lead) {
                Match::Found(id) => row.lead = Some(id),
                other => row
                    .problems
                    .push(agency_problem(row, Column::Lead, lead, other)),
            }
        }
        for name in split_agencies(coordinators) {
            if is_collective(&name) {
                self.collectives.entry(name).or_default().push(row.line);
                continue;
            }
            match self.index.find(&name) {
                Match::Found(id) if Some(id) == row.lead => self.report.warnings.push(problem(
                    row.line,
                    Some(&row.written_number),
                    Some(Column::Coordinators),
                    format!("{name} leads the task and is not also recorded as a coordinator"),
                )),
                Match::Found(id) => {
                    if !row.coordinators.contains(&id) {
                        row.coordinators.push(id);
                    }
                }
                other => row
                    .problems
                    .push(agency_problem(row, Column::Coordinators, &name, other)),
            }
        }
        if due.is_empty() {
            row.fail(
                Column::Deadline,
                "is empty; write a date, a period or \"Thường xuyên\" for ongoing work".into(),
            );
        } else {
            match deadline::parse(due, self.plan_year) {
                Ok(d) => row.deadline = Some(d),
                Err(message) => row.fail(Column::Deadline, message),
            }
        }
        if row.output.is_empty() {
            row.fail(
                Column::Output,
                "is empty; say what the task delivers".into(),
            );
        }
    }
}

impl TaskRow {
    fn fail(&mut self, column: Column, message: String) {
        self.problems.push(problem(
            self.line,
            Some(&self.written_number),
            Some(column),
            message,
        ));
    }
}

fn agency_problem(row: &TaskRow, column: Column, name: &str, found: Match) -> Problem {
    let mut p = problem(
        row.line,
        Some(&row.written_number),
        Some(column),
        String::new(),
    );
    match found {
        Match::Found(_) => {}
        Match::Inactive(fate) => p.message = fate,
        Match::Ambiguous(names) => {
            p.message = format!("\"{name}\" could be any of: {}", names.join("; "));
        }
        Match::Unknown(near) => {
            p.message = format!("no agency on record is called \"{name}\"");
            p.suggestions = near;
        }
    }
    p
}

fn problem(line: usize, number: Option<&str>, column: Option<Column>, message: String) -> Problem {
    Problem {
        row: line,
        number: number.map(str::to_owned),
        column,
        message,
        suggestions: Vec::new(),
    }
}

/// Several agencies in one cell: separated by semicolons or new lines, or by commas
/// when the comma-separated parts are names themselves ("Sở Tư pháp, Sở Nội vụ");
/// "Các sở, ban, ngành" stays one (collective) name.
fn split_agencies(cell: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in cell
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        if is_collective(part) {
            names.push(part.to_owned());
            continue;
        }
        names.extend(
            part.split([',', '+'])
                .map(|s| s.trim().trim_start_matches(['-', '•']).trim())
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
    }
    names
}

/// "I", "II.", "III)" with the title beside it, or "I. CẢI CÁCH THỂ CHẾ" in one cell.
fn roman_heading(number: &str, content: &str, texts: &[&str]) -> Option<(String, String)> {
    let trimmed = number.trim_end_matches(['.', ')']);
    if is_roman(trimmed) {
        let title = if content.is_empty() {
            texts.iter().find(|t| **t != number).copied().unwrap_or("")
        } else {
            content
        };
        return Some((trimmed.to_owned(), title.to_owned()));
    }
    let (head, rest) = number.split_once(['.', ')', ' '])?;
    (is_roman(head) && !rest.trim().is_empty()).then(|| {
        (
            head.to_owned(),
            rest.trim_start_matches(['.', ')']).trim().to_owned(),
        )
    })
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// "1", "2.1", "2.1." → "1", "2.1".
fn dotted_number(s: &str) -> Option<String> {
    let s = s.trim_end_matches('.');
    (!s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit())))
    .then(|| {
        s.split('.')
            .map(|p| p.trim_start_matches('0').to_owned())
            .map(|p| if p.is_empty() { "0".to_owned() } else { p })
            .collect::<Vec<_>>()
            .join(".")
    })
}

/// "a", "b)", "c." → the letter.
fn sub_letter(s: &str) -> Option<char> {
    let mut chars = s.trim_end_matches([')', '.']).chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c),
        _ => None,
    }
}

/// "(1)", "2": the numbering row some tables put under the header.
fn is_column_number(text: &str) -> bool {
    let t = text.trim_start_matches('(').trim_end_matches(')');
    !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit())
}

fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}

/// Compares rows with the plan's tasks and decides, row by row, what to send.
struct Planner<'w> {
    world: &'w World,
    plan: DocumentId,
    reason: String,
    partial: bool,
    /// The world as it will be once the accepted rows' commands are executed.
    trial: World,
    by_reference: HashMap<&'w str, &'w Task>,
    commands: Vec<Command>,
}

impl<'w> Planner<'w> {
    fn new(world: &'w World, plan: DocumentId, options: &ImportOptions) -> Self {
        let by_reference = world
            .tasks
            .values()
            .filter(|t| t.plan == plan)
            .filter_map(|t| t.reference.as_deref().map(|r| (r, t)))
            .collect();
        Planner {
            world,
            plan,
            reason: options.reason.trim().to_owned(),
            partial: options.partial,
            trial: world.clone(),
            by_reference,
            commands: Vec::new(),
        }
    }

    fn plan(&mut self, rows: Vec<TaskRow>, report: &mut ImportReport) {
        let parents: HashSet<&str> = rows
            .iter()
            .filter_map(|r| r.parent_reference.as_deref())
            .collect();
        let headings: HashSet<String> = rows
            .iter()
            .filter(|r| r.heading && parents.contains(r.reference.as_str()))
            .map(|r| r.reference.clone())
            .collect();
        let lines: HashMap<String, usize> =
            rows.iter().map(|r| (r.reference.clone(), r.line)).collect();
        // Rows whose tasks will exist once the import runs, with their ids.
        let mut placed: HashMap<String, TaskId> = HashMap::new();
        report.headings = headings.len();
        for mut row in rows {
            if headings.contains(&row.reference) {
                continue;
            }
            if row.heading {
                row.fail(Column::Lead, "is empty".into());
            }
            let existing = self.existing(&row);
            let parent = match row.parent_reference.as_deref() {
                None => None,
                Some(p) if headings.contains(p) => None,
                Some(p) => match (placed.get(p), lines.get(p), self.by_reference.get(p)) {
                    (Some(id), _, _) => Some(*id),
                    (None, Some(line), _) => {
                        row.fail(
                            Column::Number,
                            format!("its parent row {line} (STT {p}) is not imported"),
                        );
                        None
                    }
                    (None, None, Some(task)) => Some(task.id),
                    // A task keeps the parent it was created under.
                    (None, None, None) if existing.is_some() => None,
                    (None, None, None) => {
                        report.warnings.push(problem(
                            row.line,
                            Some(&row.written_number),
                            Some(Column::Number),
                            format!("there is no task {p} above it: imported as a task of its own"),
                        ));
                        None
                    }
                },
            };
            if !row.problems.is_empty() {
                report.errors.append(&mut row.problems);
                report.skipped += usize::from(self.partial);
                continue;
            }
            let commands = self.commands_for(&row, existing, parent);
            let mut trial = self.trial.clone();
            let mut refused = None;
            for command in &commands {
                match decide(&trial, command.clone()) {
                    Ok(events) => events.iter().for_each(|e| trial.apply(e)),
                    Err(e) => {
                        refused = Some(e);
                        break;
                    }
                }
            }
            if let Some(e) = refused {
                report.errors.push(problem(
                    row.line,
                    Some(&row.written_number),
                    column_of_field(&e),
                    e.to_string(),
                ));
                report.skipped += usize::from(self.partial);
                continue;
            }
            self.trial = trial;
            placed.insert(
                row.reference.clone(),
                existing.map_or_else(|| TaskId::for_plan_row(self.plan, &row.reference), |t| t.id),
            );
            match (existing, commands.is_empty()) {
                (None, _) => report.created += 1,
                (Some(_), true) => report.unchanged += 1,
                (Some(_), false) => report.amended += 1,
            }
            self.commands.extend(commands);
        }
    }

    /// The task a row was imported as before: by the id the export wrote, else by
    /// plan + STT.
    fn existing(&self, row: &TaskRow) -> Option<&'w Task> {
        let world = self.world;
        row.task_id
            .as_deref()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .and_then(|id| world.tasks.get(&TaskId(id)))
            .filter(|t| t.plan == self.plan)
            .or_else(|| self.by_reference.get(row.reference.as_str()).copied())
    }

    fn commands_for(
        &self,
        row: &TaskRow,
        existing: Option<&Task>,
        parent: Option<TaskId>,
    ) -> Vec<Command> {
        // Rows reach here only when read without problems: these are all set.
        let (Some(lead), Some(deadline), Some(category)) = (row.lead, row.deadline, row.category)
        else {
            return Vec::new();
        };
        let Some(task) = existing else {
            return vec![Command::CreateTask {
                task_id: TaskId::for_plan_row(self.plan, &row.reference),
                reference: Some(row.reference.clone()),
                plan: self.plan,
                parent_task: parent,
                directive_point: None,
                category,
                title: row.title.clone(),
                description: None,
                lead,
                coordinators: row.coordinators.clone(),
                deadline,
                expected_output: row.output.clone(),
                weight: None,
            }];
        };
        let mut commands = Vec::new();
        let same_coordinators = row.coordinators.len() == task.coordinators.len()
            && row
                .coordinators
                .iter()
                .all(|c| task.coordinators.contains(c));
        if lead != task.lead {
            commands.push(Command::ReassignTask {
                task_id: task.id,
                new_lead: lead,
                coordinators: Some(row.coordinators.clone()),
                reason: self.reason.clone(),
            });
        }
        let differs = |new: &str, old: &str| !same_text(new, old);
        let amendment = Command::AmendTask {
            task_id: task.id,
            title: differs(&row.title, &task.title).then(|| row.title.clone()),
            expected_output: differs(&row.output, &task.expected_output)
                .then(|| row.output.clone()),
            category: (category != task.category).then_some(category),
            deadline: (deadline != task.deadline).then_some(deadline),
            coordinators: (lead == task.lead && !same_coordinators)
                .then(|| row.coordinators.clone()),
            reason: self.reason.clone(),
        };
        if let Command::AmendTask {
            title: None,
            expected_output: None,
            category: None,
            deadline: None,
            coordinators: None,
            ..
        } = amendment
        {
        } else {
            commands.push(amendment);
        }
        commands
    }
}

/// Equal once both are trimmed and composed alike (the domain stores text NFC).
fn same_text(a: &str, b: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    a.trim().nfc().eq(b.trim().nfc())
}

fn column_of_field(e: &DomainError) -> Option<Column> {
    match e.field()? {
        "title" => Some(Column::Task),
        "expected_output" => Some(Column::Output),
        "coordinators" => Some(Column::Coordinators),
        "new_lead" | "lead" => Some(Column::Lead),
        "deadline" | "new_deadline" => Some(Column::Deadline),
        "reference" | "parent_task" => Some(Column::Number),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_recognised_with_or_without_diacritics() {
        let cases = [
            ("STT", Column::Number),
            ("TT", Column::Number),
            ("Nội dung nhiệm vụ", Column::Task),
            ("noi dung cong viec", Column::Task),
            ("Cơ quan chủ trì", Column::Lead),
            ("Đơn vị chủ trì thực hiện", Column::Lead),
            ("co quan phoi hop", Column::Coordinators),
            ("Thời gian hoàn thành", Column::Deadline),
            ("Thời hạn", Column::Deadline),
            ("Sản phẩm", Column::Output),
            ("Kết quả/Sản phẩm", Column::Output),
            ("Mã nhiệm vụ", Column::Id),
        ];
        for (heading, column) in cases {
            assert_eq!(Column::of_heading(heading), Some(column), "{heading}");
        }
        for other in ["Tiến độ (%)", "Trạng thái", "Ngày hoàn thành", "Ghi chú"] {
            assert_eq!(Column::of_heading(other), None, "{other}");
        }
    }

    #[test]
    fn section_titles_name_their_pillar() {
        let cases = [
            (
                "CẢI CÁCH THỂ CHẾ",
                TaskCategory::Pillar(Pillar::Institutional),
            ),
            (
                "Cải cách thủ tục hành chính",
                TaskCategory::Pillar(Pillar::AdministrativeProcedures),
            ),
            (
                "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
                TaskCategory::Pillar(Pillar::OrganizationalApparatus),
            ),
            (
                "Cải cách chế độ công vụ",
                TaskCategory::Pillar(Pillar::CivilService),
            ),
            (
                "Cải cách tài chính công",
                TaskCategory::Pillar(Pillar::PublicFinance),
            ),
            (
                "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
                TaskCategory::Pillar(Pillar::DigitalGovernment),
            ),
            (
                "Công tác chỉ đạo, điều hành",
                TaskCategory::CrossCutting(CrossCutting::Direction),
            ),
            (
                "CÔNG TÁC TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH",
                TaskCategory::CrossCutting(CrossCutting::Communication),
            ),
            (
                "Công tác kiểm tra cải cách hành chính",
                TaskCategory::CrossCutting(CrossCutting::Inspection),
            ),
        ];
        for (title, category) in cases {
            assert_eq!(category_of_heading(title), Some(category), "{title}");
        }
        assert_eq!(category_of_heading("Tổ chức thực hiện"), None);
    }

    #[test]
    fn numbers_letters_and_roman_sections_are_told_apart() {
        assert_eq!(dotted_number("1"), Some("1".into()));
        assert_eq!(dotted_number("2.1."), Some("2.1".into()));
        assert_eq!(dotted_number("02.01"), Some("2.1".into()));
        assert_eq!(dotted_number("2..1"), None);
        assert_eq!(dotted_number("II"), None);
        assert_eq!(sub_letter("a)"), Some('a'));
        assert_eq!(sub_letter("B"), None);
        let texts = ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"];
        assert_eq!(
            roman_heading("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", &texts),
            Some(("II".into(), "CẢI CÁCH THỦ TỤC HÀNH CHÍNH".into()))
        );
        let merged = ["I. CẢI CÁCH THỂ CHẾ"];
        assert_eq!(
            roman_heading("I. CẢI CÁCH THỂ CHẾ", "I. CẢI CÁCH THỂ CHẾ", &merged),
            Some(("I".into(), "CẢI CÁCH THỂ CHẾ".into()))
        );
        assert_eq!(roman_heading("1", "Rà soát", &["1", "Rà soát"]), None);
        assert!(is_column_number("(3)"));
    }

    #[test]
    fn coordinator_cells_split_into_names() {
        assert_eq!(
            split_agencies("Sở Tư pháp, Sở Nội vụ; UBND các huyện\nSở Tài chính"),
            vec!["Sở Tư pháp", "Sở Nội vụ", "UBND các huyện", "Sở Tài chính"]
        );
        assert_eq!(
            split_agencies("Các sở, ban, ngành; Văn phòng UBND tỉnh"),
            vec!["Các sở, ban, ngành", "Văn phòng UBND tỉnh"]
        );
        assert!(split_agencies("  ").is_empty());
    }
}
