//! Reading the table's rows: sections, numbered rows and sub-rows, and the agencies
//! and deadlines in their cells, each problem against its row and column.

use std::collections::{BTreeMap, HashMap};

use reform_domain::{AgencyId, Deadline, TaskCategory};

use super::{category_of_heading, Column, ImportReport, Problem};
use crate::agencies::{is_collective, AgencyIndex, Match};
use crate::deadline;
use crate::sheet::Sheet;

/// A task row as read, before it is compared with the plan.
#[derive(Debug)]
pub(super) struct TaskRow {
    pub(super) line: usize,
    pub(super) written_number: String,
    pub(super) reference: String,
    pub(super) parent_reference: Option<String>,
    pub(super) task_id: Option<String>,
    pub(super) title: String,
    pub(super) lead: Option<AgencyId>,
    pub(super) coordinators: Vec<AgencyId>,
    pub(super) deadline: Option<Deadline>,
    pub(super) output: String,
    pub(super) category: Option<TaskCategory>,
    /// No lead, deadline or output: a heading over sub-rows, if it has any.
    pub(super) heading: bool,
    pub(super) problems: Vec<Problem>,
}

pub(super) struct Section {
    pub(super) numeral: Option<String>,
    pub(super) category: Option<TaskCategory>,
    pub(super) line: usize,
}

pub(super) struct TableReader<'a, 'w> {
    pub(super) index: &'a AgencyIndex<'w>,
    /// Coordinator names that stand for a group ("Các sở, ban, ngành"), with the rows
    /// they are on: reported once each.
    pub(super) collectives: BTreeMap<String, Vec<usize>>,
    pub(super) columns: HashMap<Column, usize>,
    pub(super) plan_year: i32,
    pub(super) report: ImportReport,
}

impl TableReader<'_, '_> {
    pub(super) fn cell<'r>(&self, row: &'r [String], column: Column) -> &'r str {
        self.columns
            .get(&column)
            .and_then(|&c| row.get(c))
            .map_or("", |s| s.trim())
    }

    pub(super) fn read_rows(&mut self, sheet: &Sheet, header_row: usize) -> Vec<TaskRow> {
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

    pub(super) fn section(&mut self, line: usize, numeral: Option<String>, title: &str) -> Section {
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

    pub(super) fn read_assignment(
        &mut self,
        row: &mut TaskRow,
        lead: &str,
        coordinators: &str,
        due: &str,
    ) {
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
    pub(super) fn fail(&mut self, column: Column, message: String) {
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

pub(super) fn problem(
    line: usize,
    number: Option<&str>,
    column: Option<Column>,
    message: String,
) -> Problem {
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
pub(super) fn split_agencies(cell: &str) -> Vec<String> {
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
pub(super) fn roman_heading(
    number: &str,
    content: &str,
    texts: &[&str],
) -> Option<(String, String)> {
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

pub(super) fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

/// "1", "2.1", "2.1." → "1", "2.1".
pub(super) fn dotted_number(s: &str) -> Option<String> {
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
pub(super) fn sub_letter(s: &str) -> Option<char> {
    let mut chars = s.trim_end_matches([')', '.']).chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c),
        _ => None,
    }
}

/// "(1)", "2": the numbering row some tables put under the header.
pub(super) fn is_column_number(text: &str) -> bool {
    let t = text.trim_start_matches('(').trim_end_matches(')');
    !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit())
}

pub(super) fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(60).collect();
    if clipped.len() < text.len() {
        format!("{clipped}…")
    } else {
        clipped
    }
}
