//! Why a command was refused, in words a secretariat officer can act on.

use chrono::NaiveDate;

use crate::ids::{AgencyId, TaskId};

/// The kinds of things a command can refer to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// An agency.
    Agency,
    /// A program, directive or plan.
    Document,
    /// A program.
    Program,
    /// A directive.
    Directive,
    /// A plan.
    Plan,
    /// A task.
    Task,
    /// An indicator.
    Indicator,
    /// A jurisdiction of the register.
    Jurisdiction,
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Entity::Agency => "agency",
            Entity::Document => "document",
            Entity::Program => "program",
            Entity::Directive => "directive",
            Entity::Plan => "plan",
            Entity::Task => "task",
            Entity::Indicator => "indicator",
            Entity::Jurisdiction => "jurisdiction",
        })
    }
}

/// A command the rules refuse. Each variant says what is wrong and what to do instead.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// A field's value is not acceptable.
    #[error("{field}: {message}")]
    InvalidInput {
        /// The command field at fault (`deadline`, `counts`…).
        field: &'static str,
        /// What is wrong and what is accepted.
        message: String,
    },
    /// The command refers to something that is not on record.
    #[error("{entity} {id} is not on record; check the identifier, or register it first")]
    NotFound {
        /// What kind of thing.
        entity: Entity,
        /// Its identifier.
        id: String,
    },
    /// The command would create something that already exists.
    #[error("{entity} {id} already exists")]
    AlreadyExists {
        /// What kind of thing.
        entity: Entity,
        /// Its identifier or code.
        id: String,
    },
    /// Work was assigned to, or asked of, an agency that no longer exists.
    #[error(
        "agency \"{name}\" {state}; assign the work to its successor or another active agency"
    )]
    AgencyNotActive {
        /// The agency.
        agency: AgencyId,
        /// Its name.
        name: String,
        /// "was merged into … on …" or "was dissolved on …".
        state: String,
    },
    /// An agency reported on a task it has no part in.
    #[error("agency \"{agency_name}\" is neither the lead nor a coordinating agency of task \"{task_title}\"; only they may report on it")]
    NotAParticipant {
        /// The task.
        task: TaskId,
        /// Its title.
        task_title: String,
        /// The reporting agency.
        agency: AgencyId,
        /// Its name, or its id when unknown.
        agency_name: String,
    },
    /// Someone other than the lead agency tried to complete a task.
    #[error("only the lead agency of task \"{task_title}\" may complete it; coordinating agencies report progress instead")]
    NotTheLead {
        /// The task.
        task: TaskId,
        /// Its title.
        task_title: String,
        /// The agency that tried.
        agency: AgencyId,
    },
    /// The task's status does not allow the command.
    #[error("task \"{task_title}\" is {status}; {hint}")]
    TaskStatusForbids {
        /// The task.
        task: TaskId,
        /// Its title.
        task_title: String,
        /// Its status ("cancelled", "completed").
        status: &'static str,
        /// What the user can do instead.
        hint: &'static str,
    },
    /// A deadline extension that does not move the deadline later.
    #[error("the new deadline {requested} must be later than the current deadline {current}")]
    DeadlineNotLater {
        /// The deadline in force.
        current: NaiveDate,
        /// The one asked for.
        requested: NaiveDate,
    },
    /// A new record was put in a jurisdiction that has merged into another.
    #[error("jurisdiction {code} merged into {successor} on {effective_on}; record it under {successor}")]
    JurisdictionCeased {
        /// The jurisdiction named.
        code: String,
        /// Its successor.
        successor: String,
        /// When the successor took over.
        effective_on: NaiveDate,
    },
    /// Form II.06a totals that do not balance.
    #[error("dossier statistics do not balance: received {received} (online + in person + carried over) must equal resolved {resolved} + in process {in_process} = {sum}")]
    DossiersUnbalanced {
        /// Received.
        received: u64,
        /// Resolved.
        resolved: u64,
        /// In process.
        in_process: u64,
        /// resolved + in process.
        sum: u64,
    },
}

/// What the caller can do about a refusal: the class every interface maps to its own
/// codes (the API's `extensions.code`, an exit status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is wrong: fix it and send again.
    Invalid,
    /// Something named is not on record: check the identifier.
    NotFound,
    /// The record's state does not allow it (already there, a status that forbids it):
    /// reload and decide again.
    Conflict,
    /// The caller's agency has no part in it: someone else must act.
    NotYours,
}

impl DomainError {
    /// What the caller can do about it. Every variant is classed here, so a new one
    /// must be classed before it compiles.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DomainError::InvalidInput { .. }
            | DomainError::AgencyNotActive { .. }
            | DomainError::DeadlineNotLater { .. }
            | DomainError::DossiersUnbalanced { .. } => ErrorKind::Invalid,
            DomainError::NotFound { .. } => ErrorKind::NotFound,
            DomainError::AlreadyExists { .. }
            | DomainError::TaskStatusForbids { .. }
            | DomainError::JurisdictionCeased { .. } => ErrorKind::Conflict,
            DomainError::NotAParticipant { .. } | DomainError::NotTheLead { .. } => {
                ErrorKind::NotYours
            }
        }
    }

    /// The command field the error is about, when there is one (for API clients).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            DomainError::InvalidInput { field, .. } => Some(field),
            DomainError::DeadlineNotLater { .. } => Some("new_deadline"),
            DomainError::DossiersUnbalanced { .. } => Some("counts"),
            _ => None,
        }
    }

    /// Input that is not acceptable, naming the field and why.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DomainError::InvalidInput {
            field,
            message: message.into(),
        }
    }
}
