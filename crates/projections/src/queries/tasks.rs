//! Task lists: which tasks a filter admits, in which order, and what they add up to.

use chrono::NaiveDate;
use reform_domain::{DocumentId, TaskCategory};

use crate::model::{ProgressModel, TaskRow, TaskRowStatus};
use crate::tree::StatusCounts;

/// Which tasks to list. Every field narrows; `Default` lists all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskFilter {
    /// Tasks of plans lying in this jurisdiction (or national ones): what a reader of
    /// that jurisdiction may see.
    pub jurisdiction: Option<String>,
    /// Led or coordinated by this agency: what its officers may see.
    pub involving: Option<reform_domain::AgencyId>,
    /// Only top-level tasks (no subtasks).
    pub top_level_only: bool,
    /// Tasks of this plan.
    pub plan: Option<DocumentId>,
    /// Tasks of plans under this program.
    pub program: Option<DocumentId>,
    /// Pillar or cross-cutting category.
    pub category: Option<TaskCategory>,
    /// Led by this agency.
    pub lead: Option<reform_domain::AgencyId>,
    /// With this agency among the coordinators.
    pub coordinator: Option<reform_domain::AgencyId>,
    /// Status as the task's figure shows it (a task whose subtasks have begun is in
    /// progress).
    pub status: Option<TaskRowStatus>,
    /// Deadline on or after this day.
    pub deadline_from: Option<NaiveDate>,
    /// Deadline on or before this day.
    pub deadline_to: Option<NaiveDate>,
    /// Overdue on this day as things stood then ([`TaskRow::overdue_on`]): open on it
    /// and past the deadline in force on it, even if completed or extended since.
    pub overdue_on: Option<NaiveDate>,
    /// Words the title must contain, with or without diacritics ("cai cach").
    pub search: Option<String>,
}

/// How to order a task list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TaskOrder {
    /// Earliest deadline first (ongoing work last), then title.
    #[default]
    Deadline,
    /// By title.
    Title,
}

/// A [`TaskFilter`] ready to judge tasks: its search words folded once.
pub(crate) struct Admission<'f> {
    filter: &'f TaskFilter,
    words: Vec<String>,
}

impl<'f> Admission<'f> {
    pub(crate) fn new(filter: &'f TaskFilter) -> Admission<'f> {
        let words = filter
            .search
            .as_deref()
            .map(|q| {
                reform_domain::fold_for_search(q)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Admission { filter, words }
    }

    /// Whether the filter admits `t` of `model`.
    pub(crate) fn admits(&self, model: &ProgressModel, t: &TaskRow) -> bool {
        let filter = self.filter;
        filter.plan.is_none_or(|p| t.plan_id == p)
            && (!filter.top_level_only || t.parent_task_id.is_none())
            && filter
                .involving
                .is_none_or(|a| t.lead_id == a || t.coordinator_ids.contains(&a))
            && filter.jurisdiction.as_deref().is_none_or(|j| {
                model.documents.get(&t.plan_id).is_some_and(|plan| {
                    plan.jurisdiction == reform_domain::NATIONAL
                        || model.lies_in(&plan.jurisdiction, Some(j))
                })
            })
            && filter
                .program
                .is_none_or(|p| model.programs_of(t.plan_id).contains(&p))
            && filter.category.is_none_or(|c| t.category == c)
            && filter.lead.is_none_or(|a| t.lead_id == a)
            && filter
                .coordinator
                .is_none_or(|a| t.coordinator_ids.contains(&a))
            && filter.status.is_none_or(|s| model.task_status(t) == s)
            && filter
                .deadline_from
                .is_none_or(|d| t.deadline.is_some_and(|td| td >= d))
            && filter
                .deadline_to
                .is_none_or(|d| t.deadline.is_some_and(|td| td <= d))
            && filter.overdue_on.is_none_or(|d| t.overdue_on(d))
            && self.words.iter().all(|w| t.search.contains(w.as_str()))
    }
}

impl TaskOrder {
    /// How `a` and `b` compare in this order; the id breaks ties, so the order is one.
    pub(crate) fn compare(self, a: &TaskRow, b: &TaskRow) -> std::cmp::Ordering {
        match self {
            TaskOrder::Deadline => (a.deadline.is_none(), a.deadline, &a.title, a.task_id).cmp(&(
                b.deadline.is_none(),
                b.deadline,
                &b.title,
                b.task_id,
            )),
            TaskOrder::Title => (&a.title, a.task_id).cmp(&(&b.title, b.task_id)),
        }
    }
}

/// The tasks the filter admits, in the order asked.
pub fn tasks<'m>(
    model: &'m ProgressModel,
    filter: &TaskFilter,
    order: TaskOrder,
) -> Vec<&'m TaskRow> {
    let admission = Admission::new(filter);
    let mut found: Vec<&TaskRow> = model
        .tasks
        .values()
        .filter(|t| admission.admits(model, t))
        .collect();
    // Ids are unique, so the faster unstable sort gives one order.
    found.sort_unstable_by(|a, b| order.compare(a, b));
    found
}

/// A filtered, ordered task list and its aggregates as of one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSelection {
    /// The tasks, in order.
    pub ids: Vec<reform_domain::TaskId>,
    /// Counts by where their figures stand on the day.
    pub counts: StatusCounts,
    /// The average of their figures' percents, cancelled tasks left out; `None` when
    /// none count.
    pub average_percent: Option<f64>,
    /// The sum of those percents, which the average divides (kept so that a write can
    /// move the selection without going over every task again).
    pub percent_sum: f64,
}

impl TaskSelection {
    /// Counts `figure` into the aggregates (`add`), or takes it back out.
    pub(crate) fn count(&mut self, figure: &crate::TaskFigure, add: bool) {
        if add {
            self.counts.count(figure);
            self.percent_sum += figure.percent.unwrap_or(0.0);
        } else {
            self.counts.uncount(figure);
            self.percent_sum -= figure.percent.unwrap_or(0.0);
        }
        let counted = self.counts.counted();
        self.average_percent = (counted > 0).then(|| self.percent_sum / counted as f64);
    }
}

/// [`tasks`] with its counts and average percent on `today`, each task by its figure
/// ([`ProgressModel::task_figure`]).
pub fn select_tasks(
    model: &ProgressModel,
    filter: &TaskFilter,
    order: TaskOrder,
    today: NaiveDate,
) -> TaskSelection {
    let rows = tasks(model, filter, order);
    let mut counts = StatusCounts::default();
    let mut percent_sum = 0.0;
    for task in &rows {
        let figure = model.task_figure(task, today);
        counts.count(&figure);
        percent_sum += figure.percent.unwrap_or(0.0);
    }
    let counted = counts.counted();
    TaskSelection {
        ids: rows.iter().map(|t| t.task_id).collect(),
        counts,
        average_percent: (counted > 0).then(|| percent_sum / counted as f64),
        percent_sum,
    }
}
