//! Turning the rows read into commands against the plan as it stands: creations,
//! amendments and reassignments, each decided by the domain on a trial world first.

use std::collections::{HashMap, HashSet};

use reform_domain::{decide, Command, DocumentId, DomainError, Task, TaskId, World};

use super::table::{problem, TaskRow};
use super::{Column, ImportOptions, ImportReport};

/// Compares rows with the plan's tasks and decides, row by row, what to send.
pub(super) struct Planner<'w> {
    pub(super) world: &'w World,
    pub(super) plan: DocumentId,
    pub(super) reason: String,
    pub(super) partial: bool,
    /// The world as it will be once the accepted rows' commands are executed.
    pub(super) trial: World,
    pub(super) by_reference: HashMap<&'w str, &'w Task>,
    pub(super) commands: Vec<Command>,
}

impl<'w> Planner<'w> {
    pub(super) fn new(world: &'w World, plan: DocumentId, options: &ImportOptions) -> Self {
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

    pub(super) fn plan(&mut self, rows: Vec<TaskRow>, report: &mut ImportReport) {
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
    pub(super) fn existing(&self, row: &TaskRow) -> Option<&'w Task> {
        let world = self.world;
        row.task_id
            .as_deref()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .and_then(|id| world.tasks.get(&TaskId(id)))
            .filter(|t| t.plan == self.plan)
            .or_else(|| self.by_reference.get(row.reference.as_str()).copied())
    }

    pub(super) fn commands_for(
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
