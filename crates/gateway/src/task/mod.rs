//! Tasks (nhiệm vụ): what a plan assigns to a lead agency (chủ trì) with coordinating
//! agencies (phối hợp), a deadline and an expected output.

pub(crate) mod mutation;
pub(crate) mod query;
pub(crate) mod subscription;

use async_graphql::{Context, Object, ID};
use chrono::NaiveDate;
use reform_domain::TaskId;
use reform_projections::{TaskFigure, TaskRow};

use crate::agency::Agency;
use crate::document::{Document, Plan};
use crate::error::ApiError;
use crate::history::{history, stream_version, HistoryEntry};
use crate::relay::{global_id, Kind};
use crate::scope::{Found, Scope};
use crate::vocab::{CategoryInfo, TaskStatus, TimelinessInfo};

/// A task (nhiệm vụ) a plan assigns to a lead agency, with coordinating agencies.
#[derive(Clone)]
pub struct Task {
    scope: Scope,
    /// The row.
    pub row: TaskRow,
}

impl Found for Task {
    type Id = TaskId;
    fn found(scope: &Scope, id: TaskId) -> Option<Task> {
        scope.task(id).ok()
    }
}

impl Scope {
    /// A task the viewer may see.
    pub fn task(&self, id: TaskId) -> Result<Task, ApiError> {
        let row = self
            .model
            .tasks
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no task {id}")))?;
        if !self.viewer.sees_task(&self.model, row) {
            return Err(ApiError::Forbidden(
                "this task belongs to another agency or jurisdiction".into(),
            ));
        }
        Ok(Task {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// The tasks the viewer may see, of those given.
    pub fn visible_tasks<'m>(&self, rows: impl IntoIterator<Item = &'m TaskRow>) -> Vec<Task> {
        rows.into_iter()
            .filter(|t| self.viewer.sees_task(&self.model, t))
            .map(|t| Task {
                scope: self.clone(),
                row: t.clone(),
            })
            .collect()
    }
}

impl Task {
    /// Its figure on the scope's day: the percent and status every view shows.
    fn figure(&self) -> TaskFigure {
        self.scope.model.task_figure(&self.row, self.scope.today)
    }
}

/// A task (nhiệm vụ) a plan assigns: its lead agency (chủ trì) and coordinating
/// agencies (phối hợp), deadline, expected output, and its figure — one percent and
/// status, the same wherever a number is shown.
#[Object]
impl Task {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Task, self.row.task_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.row.task_id.0
    }
    /// What is to be done.
    async fn title(&self) -> &str {
        &self.row.title
    }
    /// The pillar or cross-cutting work it serves.
    async fn category(&self) -> Option<CategoryInfo> {
        Some(CategoryInfo::from(self.row.category))
    }
    /// The plan that assigned it.
    async fn plan(&self) -> Option<Plan> {
        match self.scope.document(self.row.plan_id) {
            Ok(Document::Plan(p)) => Some(p),
            _ => None,
        }
    }
    /// The task it is a subtask of.
    async fn parent(&self) -> Option<Task> {
        self.row
            .parent_task_id
            .and_then(|p| self.scope.task(p).ok())
    }
    /// Its subtasks the viewer may see, by title.
    async fn subtasks(&self) -> Vec<Task> {
        let id = self.row.task_id;
        let mut subtasks = self.scope.visible_tasks(
            self.scope
                .model
                .tasks
                .values()
                .filter(|t| t.parent_task_id == Some(id)),
        );
        subtasks.sort_by(|a, b| a.row.title.cmp(&b.row.title));
        subtasks
    }
    /// The lead agency (chủ trì).
    async fn lead(&self) -> Option<Agency> {
        self.scope.related_agency(self.row.lead_id)
    }
    /// The coordinating agencies (phối hợp).
    async fn coordinators(&self) -> Vec<Agency> {
        self.row
            .coordinator_ids
            .iter()
            .filter_map(|a| self.scope.related_agency(*a))
            .collect()
    }
    /// The deadline; null for ongoing work (thường xuyên).
    async fn deadline(&self) -> Option<NaiveDate> {
        self.row.deadline
    }
    /// Where it stands: not started, in progress (progress reported on it, or on a
    /// subtask, or a subtask completed), completed or cancelled — the status every view
    /// shows (the roll-up tree, the task list and its counts, scorecards, the command
    /// line, the exported table).
    async fn status(&self) -> TaskStatus {
        self.figure().status.into()
    }
    /// Percent complete, as every view shows it (the roll-up tree's figure for this
    /// task): 100 once completed; with subtasks that count, theirs combined by the
    /// program's roll-up rule; else the lead agency's last report (under the
    /// status-based rule: 50 once progress is reported, else 0). Null when cancelled.
    async fn percent(&self) -> Option<f64> {
        self.figure().percent
    }
    /// Whether `percent` was made from its subtasks' figures rather than its own.
    async fn percent_from_subtasks(&self) -> bool {
        self.figure().from_subtasks
    }
    /// The lead agency's last progress report, 0–100, as reported (coordinating
    /// agencies' reports are contributions and do not change it).
    async fn reported_percent(&self) -> u8 {
        self.row.lead_percent
    }
    /// Roll-up weight.
    async fn weight(&self) -> u32 {
        self.row.weight
    }
    /// The day of the last progress report, by any participant.
    async fn last_reported_on(&self) -> Option<NaiveDate> {
        self.row.last_reported_on
    }
    /// The day it was completed.
    async fn completed_on(&self) -> Option<NaiveDate> {
        self.row.completed_on
    }
    /// Early, on time or late, once completed.
    async fn timeliness(&self) -> Option<TimelinessInfo> {
        self.row.timeliness.map(TimelinessInfo::from)
    }
    /// Days late at completion.
    async fn days_late(&self) -> Option<u32> {
        self.row.days_late
    }
    /// Open and past the deadline on the day asked about.
    async fn overdue(&self) -> bool {
        self.figure().is_overdue()
    }
    /// Days past the deadline on the day asked about, while open.
    async fn days_overdue(&self) -> Option<i64> {
        self.row
            .deadline
            .filter(|_| self.figure().is_overdue())
            .map(|d| (self.scope.today - d).num_days())
    }
    /// Agencies it was inherited from as lead through mergers.
    async fn inherited_from(&self) -> Vec<Agency> {
        self.row
            .inherited_from
            .iter()
            .filter_map(|a| self.scope.related_agency(*a))
            .collect()
    }
    /// Its version: the number of events in its stream, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.row.task_id.stream()).await
    }
    /// Everything that happened to it, oldest first: who, when, why, what.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        history(ctx, &self.scope, &self.row.task_id.stream()).await
    }
}
