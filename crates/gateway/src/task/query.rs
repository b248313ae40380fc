//! The task list a leader filters and an officer works from: a Relay connection with
//! counts by status and the average percent of the whole filtered set.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_domain::{AgencyId, DocumentId, TaskId};
use reform_projections::queries::{TaskFilter, TaskOrder};

use crate::progress::StatusCountsView;
use crate::relay::{cursor, parse, parse_optional, window, Kind, PageArgs, PageInfo};
use crate::scope::Scope;
use crate::task::Task;
use crate::vocab::{CategoryCode, TaskStatus};

/// Which tasks.
#[derive(InputObject, Default)]
pub struct TaskFilterInput {
    /// Tasks of this plan.
    pub plan_id: Option<ID>,
    /// Tasks of plans under this program.
    pub program_id: Option<ID>,
    /// Pillar or cross-cutting category.
    pub category: Option<CategoryCode>,
    /// Led by this agency.
    pub lead_id: Option<ID>,
    /// Coordinated by this agency.
    pub coordinator_id: Option<ID>,
    /// In this status (as `Task.status` shows it).
    pub status: Option<TaskStatus>,
    /// Deadline on or after this day.
    pub deadline_from: Option<NaiveDate>,
    /// Deadline on or before this day.
    pub deadline_to: Option<NaiveDate>,
    /// Overdue on this day as things stood then: entered by then, neither completed (by
    /// its completion date) nor cancelled by then, and past the deadline in force that
    /// day — even if it has been completed or its deadline extended since.
    pub overdue_on: Option<NaiveDate>,
    /// Words of the title, with or without diacritics ("cai cach" finds "cải cách").
    pub search: Option<String>,
    /// Only top-level tasks (no subtasks).
    pub top_level_only: Option<bool>,
}

/// How to order tasks.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskOrderField {
    /// Earliest deadline first, ongoing work last.
    #[default]
    Deadline,
    /// By title.
    Title,
}

/// A page of tasks, with the size and aggregates of the whole filtered set.
#[derive(SimpleObject)]
pub struct TaskConnection {
    /// The page, with cursors.
    pub edges: Vec<TaskEdge>,
    /// The page's tasks.
    pub nodes: Vec<Task>,
    /// Where the page is.
    pub page_info: PageInfo,
    /// How many tasks the filter admits.
    pub total_count: usize,
    /// Counts by status over the filtered set, as of today (each task as
    /// `Task.status` and `Task.overdue` show it).
    pub counts: StatusCountsView,
    /// The average of `Task.percent` over the filtered set, cancelled tasks left out.
    pub average_percent: Option<f64>,
}

/// A task and its cursor.
#[derive(SimpleObject)]
pub struct TaskEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The task.
    pub node: Task,
}

/// The task queries.
#[derive(Default)]
pub struct TaskQuery;

#[Object]
impl TaskQuery {
    /// Tasks the viewer may see, filtered and ordered, a page at a time.
    #[allow(clippy::too_many_arguments)]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which to list; every field narrows, none lists all.")] filter: Option<
            TaskFilterInput,
        >,
        #[graphql(desc = "The order; default as documented on the field.")] order_by: Option<
            TaskOrderField,
        >,
        #[graphql(desc = "Return at most this many, from the start (or after `after`); 1 to 100.")]
        first: Option<i32>,
        #[graphql(desc = "The cursor to continue after (a previous page's `endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "Return at most this many, from the end (or before `before`); 1 to 100.")]
        last: Option<i32>,
        #[graphql(desc = "The cursor to continue before (a previous page's `startCursor`).")]
        before: Option<String>,
    ) -> async_graphql::Result<TaskConnection> {
        let scope = Scope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let (jurisdiction, involving) = scope.viewer.task_visibility();
        let wanted = TaskFilter {
            jurisdiction,
            involving,
            top_level_only: filter.top_level_only.unwrap_or(false),
            plan: parse_optional(&filter.plan_id, Kind::Plan, "planId")?.map(DocumentId),
            program: parse_optional(&filter.program_id, Kind::Program, "programId")?
                .map(DocumentId),
            category: filter.category.map(Into::into),
            lead: parse_optional(&filter.lead_id, Kind::Agency, "leadId")?.map(AgencyId),
            coordinator: parse_optional(&filter.coordinator_id, Kind::Agency, "coordinatorId")?
                .map(AgencyId),
            status: filter.status.map(Into::into),
            deadline_from: filter.deadline_from,
            deadline_to: filter.deadline_to,
            overdue_on: filter.overdue_on,
            search: filter.search.clone(),
        };
        let order = match order_by.unwrap_or_default() {
            TaskOrderField::Deadline => TaskOrder::Deadline,
            TaskOrderField::Title => TaskOrder::Title,
        };
        // Computed once per snapshot and filter: a dashboard's totals cost one lookup.
        let selection = scope.memo.tasks(&scope.model, &wanted, order, scope.today);
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let (range, page_info) = window(&selection.ids, ToString::to_string, &args)?;
        let mut edges = Vec::with_capacity(range.len());
        let mut nodes = Vec::with_capacity(range.len());
        for id in &selection.ids[range] {
            let task = scope.task(*id)?;
            nodes.push(task.clone());
            edges.push(TaskEdge {
                cursor: cursor(&id.to_string()),
                node: task,
            });
        }
        Ok(TaskConnection {
            edges,
            nodes,
            page_info,
            total_count: selection.ids.len(),
            counts: selection.counts.into(),
            average_percent: selection.average_percent,
        })
    }

    /// A task by its global id.
    async fn task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task's global id.")] id: ID,
    ) -> async_graphql::Result<Task> {
        let scope = Scope::of(ctx)?;
        Ok(scope.task(TaskId(parse(&id, Kind::Task, "id")?))?)
    }
}
