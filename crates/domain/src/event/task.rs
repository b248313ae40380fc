//! Tasks' events: created, amended, reassigned or transferred, deadlines extended, progress
//! reported, completed, reopened, cancelled.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::document::DirectivePointRef;
use crate::ids::{AgencyId, DocumentId, TaskId};
use crate::vocab::{TaskCategory, Timeliness};

/// When a task is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "date", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Deadline {
    /// Due on this date.
    On(NaiveDate),
    /// Ongoing work with no deadline (thường xuyên).
    Ongoing,
}

impl Deadline {
    /// The due date, if any.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Deadline::On(d) => Some(d),
            Deadline::Ongoing => None,
        }
    }
}

/// The role an agency plays on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskRole {
    /// The lead agency (cơ quan chủ trì).
    Lead,
    /// A coordinating agency (cơ quan phối hợp).
    Coordinator,
}

payloads! {
    /// A task was created in a plan and assigned.
    TaskCreated {
        /// The task.
        task_id: TaskId,
        /// Its number in the plan's task table (STT: "1", "2.3"), when it has one:
        /// with the plan, the key a re-imported table row is matched by.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The plan whose task table holds it.
        plan: DocumentId,
        /// The parent task, for a subtask.
        parent_task: Option<TaskId>,
        /// The directive point it carries out, if any.
        directive_point: Option<DirectivePointRef>,
        /// Pillar or cross-cutting category.
        category: TaskCategory,
        /// What is to be done (nội dung nhiệm vụ).
        title: String,
        /// Longer description.
        description: Option<String>,
        /// Lead agency (cơ quan chủ trì).
        lead: AgencyId,
        /// Coordinating agencies (cơ quan phối hợp).
        coordinators: Vec<AgencyId>,
        /// Due date or ongoing.
        deadline: Deadline,
        /// Expected output (sản phẩm).
        expected_output: String,
        /// Weight in a weighted roll-up (≥ 1).
        weight: u32,
    }
    /// The lead agency of a task changed by decision.
    TaskReassigned {
        /// The task.
        task_id: TaskId,
        /// Lead before.
        from_lead: AgencyId,
        /// Lead from now on.
        to_lead: AgencyId,
        /// New coordinators, if they changed.
        coordinators: Option<Vec<AgencyId>>,
    }
    /// A task passed from a merged agency to its successor.
    TaskTransferred {
        /// The task.
        task_id: TaskId,
        /// The merged agency.
        from_agency: AgencyId,
        /// The successor.
        to_agency: AgencyId,
        /// The role the successor inherits.
        role: TaskRole,
        /// The legal basis of the merger.
        legal_basis: String,
    }
    /// A task's deadline was extended.
    TaskDeadlineExtended {
        /// The task.
        task_id: TaskId,
        /// Deadline before.
        old_deadline: NaiveDate,
        /// Deadline from now on.
        new_deadline: NaiveDate,
    }
    /// An agency reported progress on a task.
    TaskProgressReported {
        /// The task.
        task_id: TaskId,
        /// The reporting agency (lead or coordinator).
        reported_by: AgencyId,
        /// Percent complete, 0–100.
        percent: u8,
        /// What was done.
        note: String,
        /// References to evidence (document numbers, links).
        evidence: Vec<String>,
        /// Date the report speaks for.
        as_of: NaiveDate,
    }
    /// A task was completed by its lead agency.
    TaskCompleted {
        /// The task.
        task_id: TaskId,
        /// The lead agency that completed it.
        completed_by: AgencyId,
        /// The output delivered.
        output: String,
        /// Date of completion.
        completed_on: NaiveDate,
        /// Early, on time or late against the deadline in force.
        timeliness: Timeliness,
        /// Days after the deadline (0 when not late).
        days_late: u32,
    }
    /// A completed or cancelled task was reopened.
    TaskReopened {
        /// The task.
        task_id: TaskId,
    }
    /// A task's content was amended with its plan: only the fields that changed are
    /// present. Changes of lead are reassignments, not amendments.
    TaskAmended {
        /// The task.
        task_id: TaskId,
        /// New title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// New expected output.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_output: Option<String>,
        /// New pillar or cross-cutting category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<TaskCategory>,
        /// New deadline (a date or ongoing), which may be earlier than the last one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<Deadline>,
        /// New coordinating agencies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coordinators: Option<Vec<AgencyId>>,
    }
    /// A task was cancelled.
    TaskCancelled {
        /// The task.
        task_id: TaskId,
    }
}
