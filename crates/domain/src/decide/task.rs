//! Rules for tasks: creation, assignment, deadlines, progress, completion.

use chrono::{Datelike, NaiveDate};

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{
    Deadline, DirectivePointRef, Event, TaskAmended, TaskCancelled, TaskCompleted, TaskCreated,
    TaskDeadlineExtended, TaskProgressReported, TaskReassigned, TaskReopened, TaskRole,
    TaskTransferred,
};
use crate::ids::{AgencyId, DocumentId, TaskId};
use crate::state::{AgencyStatus, DocumentKind, Task, TaskStatus, World};
use crate::vocab::Timeliness;

use super::{active_agency, existing_agency, existing_document, long, optional_long, short};

/// The largest roll-up weight a task may carry.
const MAX_WEIGHT: u32 = 1_000;
/// How many years before a plan's first year a deadline it sets may fall (work
/// carried over from the year before).
const DEADLINE_YEARS_BEFORE: i32 = 1;
/// How many years after a plan's last year a deadline it sets may fall.
const DEADLINE_YEARS_AFTER: i32 = 10;

/// A deadline a plan may set: within its years, give or take the margins above, and
/// never outside 2000–2100 (a typo of a year, 0 or 9999, would count days overdue by
/// the hundred thousand).
fn deadline_of_plan(
    world: &World,
    plan: DocumentId,
    field: &'static str,
    deadline: Deadline,
) -> Result<Deadline, DomainError> {
    let Deadline::On(day) = deadline else {
        return Ok(deadline);
    };
    let (number, period) = match world.documents.get(&plan) {
        Some(doc) => match &doc.kind {
            DocumentKind::Plan { period, .. } => (doc.header.number.as_str(), Some(*period)),
            _ => (doc.header.number.as_str(), None),
        },
        None => ("", None),
    };
    let (first, last) = period.map_or((2000, 2100), |p| {
        (
            (p.from_year - DEADLINE_YEARS_BEFORE).max(2000),
            (p.to_year + DEADLINE_YEARS_AFTER).min(2100),
        )
    });
    if !(first..=last).contains(&day.year()) {
        return Err(DomainError::invalid(
            field,
            format!(
                "{day} is outside the years plan {number} may set deadlines in ({first}–{last}); check the year"
            ),
        ));
    }
    if let Some(issued) = world
        .documents
        .get(&plan)
        .map(|doc| doc.header.issued_on)
        .filter(|issued| day < *issued)
    {
        return Err(DomainError::invalid(
            field,
            format!("{day} is before plan {number} was issued ({issued}); a plan sets deadlines from its issue date on"),
        ));
    }
    Ok(deadline)
}

/// A new deadline for an existing task: within 2000–2100 and at most
/// [`DEADLINE_YEARS_AFTER`] years from the deadline it replaces (the plan is not among
/// what these commands read, so the task's own deadline is the yardstick).
fn moved_deadline(
    field: &'static str,
    current: Deadline,
    deadline: Deadline,
) -> Result<Deadline, DomainError> {
    let Deadline::On(day) = deadline else {
        return Ok(deadline);
    };
    let (first, last) = match current {
        Deadline::On(now) => (
            (now.year() - DEADLINE_YEARS_AFTER).max(2000),
            (now.year() + DEADLINE_YEARS_AFTER).min(2100),
        ),
        Deadline::Ongoing => (2000, 2100),
    };
    if (first..=last).contains(&day.year()) {
        Ok(deadline)
    } else {
        Err(DomainError::invalid(
            field,
            format!(
                "{day} is outside the years this task's deadline may move to ({first}–{last}); check the year"
            ),
        ))
    }
}

/// The most evidence references one report may carry.
const MAX_EVIDENCE: usize = 50;

pub(super) fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::CreateTask {
            task_id,
            reference,
            plan,
            parent_task,
            directive_point,
            category,
            title,
            description,
            lead,
            coordinators,
            deadline,
            expected_output,
            weight,
        } => {
            if world.tasks.contains_key(&task_id) {
                return Err(DomainError::AlreadyExists {
                    entity: Entity::Task,
                    id: task_id.to_string(),
                });
            }
            let doc = existing_document(world, plan, Entity::Plan)?;
            if !matches!(doc.kind, DocumentKind::Plan { .. }) {
                return Err(DomainError::invalid(
                    "plan",
                    format!(
                        "{} is a {}; tasks are created in plans",
                        doc.header.number,
                        doc.kind.name()
                    ),
                ));
            }
            if let Some(parent) = parent_task {
                let parent = existing_task(world, parent)?;
                if parent.plan != plan {
                    return Err(DomainError::invalid(
                        "parent_task",
                        "a subtask must be in its parent's plan",
                    ));
                }
                if parent.status == TaskStatus::Cancelled {
                    return Err(DomainError::invalid(
                        "parent_task",
                        "the parent task is cancelled",
                    ));
                }
            }
            if let Some(point) = directive_point {
                check_directive_point(world, point)?;
            }
            let coordinators = participants(world, lead, coordinators)?;
            let weight = weight.unwrap_or(1);
            if !(1..=MAX_WEIGHT).contains(&weight) {
                return Err(DomainError::invalid(
                    "weight",
                    format!("must be from 1 to {MAX_WEIGHT}"),
                ));
            }
            Ok(vec![Event::TaskCreated(TaskCreated {
                task_id,
                reference: reference.map(|r| task_reference(&r)).transpose()?,
                plan,
                parent_task,
                directive_point,
                category,
                title: short("title", &title)?,
                description: optional_long("description", description.as_deref())?,
                lead,
                coordinators,
                deadline: deadline_of_plan(world, plan, "deadline", deadline)?,
                expected_output: long("expected_output", &expected_output)?,
                weight,
            })])
        }
        Command::AmendTask {
            task_id,
            title,
            expected_output,
            category,
            deadline,
            coordinators,
            reason,
        } => {
            let task = existing_task(world, task_id)?;
            if task.status == TaskStatus::Cancelled {
                return Err(DomainError::invalid(
                    "task_id",
                    "the task is cancelled; reopen it before amending it",
                ));
            }
            long("reason", &reason)?;
            let changed =
                |new: Option<String>, old: &str, check: fn(&str) -> Result<String, DomainError>| {
                    new.map(|n| check(&n))
                        .transpose()
                        .map(|n| n.filter(|n| n != old))
                };
            let title = changed(title, &task.title, |t| short("title", t))?;
            let expected_output = changed(expected_output, &task.expected_output, |o| {
                long("expected_output", o)
            })?;
            let category = category.filter(|c| *c != task.category);
            let deadline = deadline
                .filter(|d| *d != task.deadline)
                .map(|d| moved_deadline("deadline", task.deadline, d))
                .transpose()?;
            if deadline.is_some() && matches!(task.status, TaskStatus::Completed { .. }) {
                return Err(DomainError::invalid(
                    "deadline",
                    "the task is completed against its deadline; reopen it before moving the deadline",
                ));
            }
            let coordinators = match coordinators {
                Some(c) => {
                    let mut checked: Vec<AgencyId> = Vec::with_capacity(c.len());
                    for a in c {
                        if a == task.lead {
                            return Err(DomainError::invalid(
                                "coordinators",
                                "the lead agency cannot also be a coordinating agency",
                            ));
                        }
                        if !checked.contains(&a) {
                            active_agency(world, a)?;
                            checked.push(a);
                        }
                    }
                    let same = checked.len() == task.coordinators.len()
                        && checked.iter().all(|a| task.coordinators.contains(a));
                    (!same).then_some(checked)
                }
                None => None,
            };
            if title.is_none()
                && expected_output.is_none()
                && category.is_none()
                && deadline.is_none()
                && coordinators.is_none()
            {
                return Err(DomainError::invalid(
                    "task_id",
                    "the amendment changes nothing: every field given is as the task has it",
                ));
            }
            Ok(vec![Event::TaskAmended(TaskAmended {
                task_id,
                title,
                expected_output,
                category,
                deadline,
                coordinators,
            })])
        }
        Command::ReassignTask {
            task_id,
            new_lead,
            coordinators,
            reason,
        } => {
            let task = open_task(world, task_id, "reopen it before reassigning it")?;
            long("reason", &reason)?;
            if new_lead == task.lead && coordinators.is_none() {
                return Err(DomainError::invalid(
                    "new_lead",
                    "is already the task's lead agency",
                ));
            }
            let coordinators = match coordinators {
                Some(c) => Some(participants(world, new_lead, c)?),
                None => {
                    active_agency(world, new_lead)?;
                    None
                }
            };
            let same_set = |c: &Vec<AgencyId>| {
                c.len() == task.coordinators.len()
                    && c.iter().all(|a| task.coordinators.contains(a))
            };
            if new_lead == task.lead && coordinators.as_ref().is_some_and(same_set) {
                return Err(DomainError::invalid(
                    "coordinators",
                    "the task already has this lead and these coordinating agencies",
                ));
            }
            Ok(vec![Event::TaskReassigned(TaskReassigned {
                task_id,
                from_lead: task.lead,
                to_lead: new_lead,
                coordinators,
            })])
        }
        Command::TransferTask {
            task_id,
            from_agency,
            to_agency,
            legal_basis,
        } => {
            let task = open_task(world, task_id, "only open tasks pass to a successor")?;
            let from = existing_agency(world, from_agency)?;
            if !matches!(from.status, AgencyStatus::Merged { successor, .. } if successor == to_agency)
            {
                return Err(DomainError::invalid(
                    "to_agency",
                    format!("\"{}\" has not been merged into that agency", from.name),
                ));
            }
            active_agency(world, to_agency)?;
            let role = if task.lead == from_agency {
                TaskRole::Lead
            } else if task.coordinators.contains(&from_agency) {
                TaskRole::Coordinator
            } else {
                return Err(DomainError::invalid(
                    "from_agency",
                    format!("\"{}\" has no part in task \"{}\"", from.name, task.title),
                ));
            };
            Ok(vec![Event::TaskTransferred(TaskTransferred {
                task_id,
                from_agency,
                to_agency,
                role,
                legal_basis: short("legal_basis", &legal_basis)?,
            })])
        }
        Command::ExtendDeadline {
            task_id,
            new_deadline,
            reason,
        } => {
            let task = open_task(world, task_id, "reopen it before extending its deadline")?;
            long("reason", &reason)?;
            let Deadline::On(current) = task.deadline else {
                return Err(DomainError::invalid(
                    "new_deadline",
                    "the task is ongoing (thường xuyên) and has no deadline to extend",
                ));
            };
            if new_deadline <= current {
                return Err(DomainError::DeadlineNotLater {
                    current,
                    requested: new_deadline,
                });
            }
            moved_deadline("new_deadline", task.deadline, Deadline::On(new_deadline))?;
            Ok(vec![Event::TaskDeadlineExtended(TaskDeadlineExtended {
                task_id,
                old_deadline: current,
                new_deadline,
            })])
        }
        Command::ReportProgress {
            task_id,
            reporter_agency,
            percent,
            note,
            evidence,
            as_of,
        } => {
            let task = open_task(world, task_id, "reopen it to report further progress")?;
            if !task.involves(reporter_agency) {
                return Err(DomainError::NotAParticipant {
                    task: task_id,
                    task_title: task.title.clone(),
                    agency: reporter_agency,
                    agency_name: agency_name(world, reporter_agency),
                });
            }
            if percent > 100 {
                return Err(DomainError::invalid(
                    "percent",
                    format!("{percent} is not a percentage (0–100)"),
                ));
            }
            if evidence.len() > MAX_EVIDENCE {
                return Err(DomainError::invalid(
                    "evidence",
                    format!("at most {MAX_EVIDENCE} references per report"),
                ));
            }
            let evidence = evidence
                .iter()
                .map(|e| short("evidence", e))
                .collect::<Result<_, _>>()?;
            Ok(vec![Event::TaskProgressReported(TaskProgressReported {
                task_id,
                reported_by: reporter_agency,
                percent,
                note: long("note", &note)?,
                evidence,
                as_of,
            })])
        }
        Command::CompleteTask {
            task_id,
            reporter_agency,
            output,
            completed_on,
        } => {
            let task = open_task(world, task_id, "it cannot be completed again")?;
            if task.lead != reporter_agency {
                return Err(DomainError::NotTheLead {
                    task: task_id,
                    task_title: task.title.clone(),
                    agency: reporter_agency,
                });
            }
            let (timeliness, days_late) = timeliness(task.deadline, completed_on);
            Ok(vec![Event::TaskCompleted(TaskCompleted {
                task_id,
                completed_by: reporter_agency,
                output: long("output", &output)?,
                completed_on,
                timeliness,
                days_late,
            })])
        }
        Command::ReopenTask { task_id, reason } => {
            let task = existing_task(world, task_id)?;
            if task.is_open() {
                return Err(DomainError::TaskStatusForbids {
                    task: task_id,
                    task_title: task.title.clone(),
                    status: task.status.word(),
                    hint: "only completed or cancelled tasks can be reopened",
                });
            }
            long("reason", &reason)?;
            Ok(vec![Event::TaskReopened(TaskReopened { task_id })])
        }
        Command::CancelTask { task_id, reason } => {
            open_task(world, task_id, "reopen it first if it must be cancelled")?;
            long("reason", &reason)?;
            Ok(vec![Event::TaskCancelled(TaskCancelled { task_id })])
        }
        _ => Err(DomainError::invalid("command", "not a task command")),
    }
}

/// Early, on time or late, and by how many days. An ongoing task has no deadline to
/// miss, so finishing it counts as on time.
pub(crate) fn timeliness(deadline: Deadline, completed_on: NaiveDate) -> (Timeliness, u32) {
    match deadline.date() {
        Some(d) if completed_on < d => (Timeliness::Early, 0),
        Some(d) if completed_on > d => {
            let days = (completed_on - d).num_days();
            (Timeliness::Late, u32::try_from(days).unwrap_or(u32::MAX))
        }
        _ => (Timeliness::OnTime, 0),
    }
}

fn agency_name(world: &World, id: AgencyId) -> String {
    world
        .agencies
        .get(&id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

fn existing_task(world: &World, id: TaskId) -> Result<&Task, DomainError> {
    world.tasks.get(&id).ok_or(DomainError::NotFound {
        entity: Entity::Task,
        id: id.to_string(),
    })
}

/// A task that is neither completed nor cancelled. A cancelled task takes nothing
/// but a reopen.
fn open_task<'w>(
    world: &'w World,
    id: TaskId,
    completed_hint: &'static str,
) -> Result<&'w Task, DomainError> {
    let task = existing_task(world, id)?;
    let hint = match task.status {
        TaskStatus::NotStarted | TaskStatus::InProgress => return Ok(task),
        TaskStatus::Cancelled => "nothing may be done to a cancelled task but reopen it",
        TaskStatus::Completed { .. } => completed_hint,
    };
    Err(DomainError::TaskStatusForbids {
        task: id,
        task_title: task.title.clone(),
        status: task.status.word(),
        hint,
    })
}

/// Checks the lead and coordinators are active agencies and returns the coordinators
/// without duplicates or the lead.
/// Longest task-table number (STT) accepted.
const MAX_REFERENCE: usize = 32;

/// A task-table number: "1", "2.3", "II.1.a"; no spaces inside.
fn task_reference(reference: &str) -> Result<String, DomainError> {
    let r = reference.trim();
    if r.is_empty() || r.chars().count() > MAX_REFERENCE || r.chars().any(char::is_whitespace) {
        return Err(DomainError::invalid(
            "reference",
            format!("a task number has 1–{MAX_REFERENCE} characters and no spaces, e.g. 2.3"),
        ));
    }
    Ok(r.to_owned())
}

fn participants(
    world: &World,
    lead: AgencyId,
    coordinators: Vec<AgencyId>,
) -> Result<Vec<AgencyId>, DomainError> {
    active_agency(world, lead)?;
    let mut result: Vec<AgencyId> = Vec::with_capacity(coordinators.len());
    for c in coordinators {
        if c == lead {
            return Err(DomainError::invalid(
                "coordinators",
                "the lead agency cannot also be a coordinating agency",
            ));
        }
        if !result.contains(&c) {
            active_agency(world, c)?;
            result.push(c);
        }
    }
    Ok(result)
}

fn check_directive_point(world: &World, point: DirectivePointRef) -> Result<(), DomainError> {
    let doc = existing_document(world, point.directive, Entity::Directive)?;
    match &doc.kind {
        DocumentKind::Directive { points, .. }
            if points.iter().any(|p| p.number == point.point) =>
        {
            Ok(())
        }
        DocumentKind::Directive { .. } => Err(DomainError::invalid(
            "directive_point",
            format!(
                "directive {} has no point {}",
                doc.header.number, point.point
            ),
        )),
        other => Err(DomainError::invalid(
            "directive_point",
            format!(
                "{} is a {}, not a directive",
                doc.header.number,
                other.name()
            ),
        )),
    }
}
