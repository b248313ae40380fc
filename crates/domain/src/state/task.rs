//! Tasks' state: where each stands in its lifecycle, its lead, coordinators and deadline.

use chrono::NaiveDate;

use super::World;
use crate::event::{
    Deadline, DirectivePointRef, TaskAmended, TaskCancelled, TaskCompleted, TaskCreated,
    TaskDeadlineExtended, TaskProgressReported, TaskReassigned, TaskReopened, TaskRole,
    TaskTransferred,
};
use crate::ids::{AgencyId, DocumentId, TaskId};
use crate::vocab::{TaskCategory, Timeliness};

/// A task and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Identifier.
    pub id: TaskId,
    /// The plan holding it.
    pub plan: DocumentId,
    /// Parent task.
    pub parent_task: Option<TaskId>,
    /// Number in the plan's task table (STT), if it has one.
    pub reference: Option<String>,
    /// Directive point carried out.
    pub directive_point: Option<DirectivePointRef>,
    /// Pillar or cross-cutting category.
    pub category: TaskCategory,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Lead agency.
    pub lead: AgencyId,
    /// Coordinating agencies.
    pub coordinators: Vec<AgencyId>,
    /// Deadline in force.
    pub deadline: Deadline,
    /// Deadline when the task was created.
    pub original_deadline: Deadline,
    /// Expected output.
    pub expected_output: String,
    /// Roll-up weight.
    pub weight: u32,
    /// Lifecycle status.
    pub status: TaskStatus,
    /// Percent complete: 100 once completed, else the lead's last report.
    pub percent: u8,
    /// The lead agency's last reported percent. Coordinating agencies report their
    /// contributions; only the agency answerable for the task says how far it is.
    pub lead_percent: u8,
    /// Date of the last progress report.
    pub last_reported_on: Option<NaiveDate>,
    /// Agencies the task was inherited from through mergers.
    pub inherited_from: Vec<AgencyId>,
}

impl Task {
    /// Neither completed nor cancelled.
    pub fn is_open(&self) -> bool {
        matches!(self.status, TaskStatus::NotStarted | TaskStatus::InProgress)
    }

    /// Open and past its deadline on `today` (quá hạn chưa hoàn thành).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.deadline.date().is_some_and(|d| d < today)
    }

    /// Whether the agency is the lead or a coordinator.
    pub fn involves(&self, agency: AgencyId) -> bool {
        self.lead == agency || self.coordinators.contains(&agency)
    }
}

/// Where a task is in its lifecycle. "Overdue" is not a status: it depends on the
/// date asked about (see [`Task::is_overdue`]).
#[derive(Clone, Debug, PartialEq)]
pub enum TaskStatus {
    /// Assigned, no progress reported yet.
    NotStarted,
    /// Progress reported.
    InProgress,
    /// Done.
    Completed {
        /// Completion date.
        on: NaiveDate,
        /// Early, on time or late.
        timeliness: Timeliness,
        /// Days after the deadline.
        days_late: u32,
        /// Output delivered.
        output: String,
    },
    /// Cancelled.
    Cancelled,
}

impl TaskStatus {
    /// A short English word for messages.
    pub fn word(&self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not started",
            TaskStatus::InProgress => "in progress",
            TaskStatus::Completed { .. } => "completed",
            TaskStatus::Cancelled => "cancelled",
        }
    }
}

/// Folds [`TaskCreated`].
pub(super) fn created(world: &mut World, e: &TaskCreated) {
    world.tasks.insert(
        e.task_id,
        Task {
            id: e.task_id,
            plan: e.plan,
            parent_task: e.parent_task,
            reference: e.reference.clone(),
            directive_point: e.directive_point,
            category: e.category,
            title: e.title.clone(),
            description: e.description.clone(),
            lead: e.lead,
            coordinators: e.coordinators.clone(),
            deadline: e.deadline,
            original_deadline: e.deadline,
            expected_output: e.expected_output.clone(),
            weight: e.weight,
            status: TaskStatus::NotStarted,
            percent: 0,
            lead_percent: 0,
            last_reported_on: None,
            inherited_from: Vec::new(),
        },
    );
}

/// Folds [`TaskReassigned`].
pub(super) fn reassigned(world: &mut World, e: &TaskReassigned) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        t.lead = e.to_lead;
        if let Some(c) = &e.coordinators {
            t.coordinators = c.clone();
        }
        t.coordinators.retain(|c| *c != e.to_lead);
    }
}

/// Folds [`TaskTransferred`].
pub(super) fn transferred(world: &mut World, e: &TaskTransferred) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        match e.role {
            TaskRole::Lead => t.lead = e.to_agency,
            TaskRole::Coordinator => {
                for c in &mut t.coordinators {
                    if *c == e.from_agency {
                        *c = e.to_agency;
                    }
                }
            }
        }
        let lead = t.lead;
        let mut seen = Vec::with_capacity(t.coordinators.len());
        t.coordinators.retain(|c| {
            *c != lead && !seen.contains(c) && {
                seen.push(*c);
                true
            }
        });
        t.inherited_from.push(e.from_agency);
    }
}

/// Folds [`TaskAmended`].
pub(super) fn amended(world: &mut World, e: &TaskAmended) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        if let Some(title) = &e.title {
            t.title = title.clone();
        }
        if let Some(output) = &e.expected_output {
            t.expected_output = output.clone();
        }
        if let Some(category) = e.category {
            t.category = category;
        }
        if let Some(deadline) = e.deadline {
            t.deadline = deadline;
        }
        if let Some(coordinators) = &e.coordinators {
            t.coordinators = coordinators.clone();
        }
    }
}

/// Folds [`TaskDeadlineExtended`].
pub(super) fn deadline_extended(world: &mut World, e: &TaskDeadlineExtended) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        t.deadline = Deadline::On(e.new_deadline);
    }
}

/// Folds [`TaskProgressReported`].
pub(super) fn progress_reported(world: &mut World, e: &TaskProgressReported) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        if e.reported_by == t.lead {
            t.lead_percent = e.percent;
            t.percent = e.percent;
        }
        t.last_reported_on = Some(e.as_of);
        if t.status == TaskStatus::NotStarted {
            t.status = TaskStatus::InProgress;
        }
    }
}

/// Folds [`TaskCompleted`].
pub(super) fn completed(world: &mut World, e: &TaskCompleted) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        t.percent = 100;
        t.status = TaskStatus::Completed {
            on: e.completed_on,
            timeliness: e.timeliness,
            days_late: e.days_late,
            output: e.output.clone(),
        };
    }
}

/// Folds [`TaskReopened`].
pub(super) fn reopened(world: &mut World, e: &TaskReopened) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        t.percent = t.lead_percent;
        t.status = if t.lead_percent > 0 || t.last_reported_on.is_some() {
            TaskStatus::InProgress
        } else {
            TaskStatus::NotStarted
        };
    }
}

/// Folds [`TaskCancelled`].
pub(super) fn cancelled(world: &mut World, e: &TaskCancelled) {
    if let Some(t) = world.tasks.get_mut(&e.task_id) {
        t.status = TaskStatus::Cancelled;
    }
}
