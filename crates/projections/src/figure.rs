//! A task's figure: **the one percent and status every view shows for a task** — the
//! roll-up tree, `Task`, the task list and its aggregates, scorecards, accountability,
//! the command line and the exported table all take it from here.
//!
//! - A cancelled task has no percent and counts nowhere.
//! - A completed task is 100.
//! - An open task with subtasks that count (not cancelled) takes their figures
//!   combined by the roll-up rule, and is in progress once it or any of those has
//!   progress reported or is completed.
//! - Any other task counts its own standing: the lead's last report, or under the
//!   status-based rule 50 once progress is reported, else 0.
//!
//! The rule is that of the program the task's plan serves most directly (its nearest
//! program: a plan → its directive → that directive's program), so a task has the same
//! figure in every tree it appears in. On a day, an open task past its deadline is
//! overdue.

use chrono::NaiveDate;
use reform_domain::{DocumentId, RollupRule, TaskId, Timeliness};

use crate::model::{DocumentRowKind, ProgressModel, TaskRow, TaskRowStatus};
use crate::tree::{roll_up, rule_of, NodeRef, RollupInput};

/// Where a task stands on a day: exactly one of the counts of
/// [`StatusCounts`](crate::queries::StatusCounts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Open, not past its deadline, not begun.
    NotStarted,
    /// Open, not past its deadline, begun.
    InProgress,
    /// Open and past its deadline.
    Overdue,
    /// Completed before its deadline.
    Early,
    /// Completed on its deadline, or without one.
    OnTime,
    /// Completed after its deadline.
    Late,
    /// Cancelled.
    Cancelled,
}

/// A task's percent and status as every view shows them (see the module's notes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TaskFigure {
    /// Percent complete, 0–100; `None` when cancelled.
    pub percent: Option<f64>,
    /// Not started, in progress (it or a subtask begun), completed or cancelled.
    pub status: TaskRowStatus,
    /// Where it stands on the day asked about.
    pub standing: Standing,
    /// Whether `percent` was made from its subtasks' figures rather than its own.
    pub from_subtasks: bool,
}

impl TaskFigure {
    /// Open and past its deadline on the day asked about.
    pub fn is_overdue(&self) -> bool {
        self.standing == Standing::Overdue
    }

    /// Begun and not finished: progress reported on it or on a subtask, or a subtask
    /// completed.
    pub fn is_begun(&self) -> bool {
        self.status == TaskRowStatus::InProgress
    }

    /// The figure of `task` under `rule` on `today`, given its subtasks' figures and
    /// weights: the one place the rules above are written.
    pub(crate) fn of<'a>(
        rule: RollupRule,
        task: &TaskRow,
        subtasks: impl IntoIterator<Item = (TaskId, &'a TaskFigure, u32)>,
        today: NaiveDate,
    ) -> TaskFigure {
        match task.status {
            TaskRowStatus::Cancelled => {
                return TaskFigure {
                    percent: None,
                    status: TaskRowStatus::Cancelled,
                    standing: Standing::Cancelled,
                    from_subtasks: false,
                }
            }
            TaskRowStatus::Completed => {
                return TaskFigure {
                    percent: Some(100.0),
                    status: TaskRowStatus::Completed,
                    standing: match task.timeliness {
                        Some(Timeliness::Early) => Standing::Early,
                        Some(Timeliness::Late) => Standing::Late,
                        Some(Timeliness::OnTime) | None => Standing::OnTime,
                    },
                    from_subtasks: false,
                }
            }
            TaskRowStatus::NotStarted | TaskRowStatus::InProgress => {}
        }
        let mut begun = task.status == TaskRowStatus::InProgress;
        let inputs: Vec<RollupInput> = subtasks
            .into_iter()
            .filter_map(|(id, figure, weight)| {
                let percent = figure.percent?;
                begun |= figure.status != TaskRowStatus::NotStarted;
                Some(RollupInput {
                    node: NodeRef::Task(id),
                    percent,
                    weight,
                    counted: percent,
                })
            })
            .collect();
        let from_subtasks = !inputs.is_empty();
        // `roll_up` has no answer only when every input weighs nothing, which a weight
        // of at least 1 rules out; the task's own figure would stand in.
        let percent = roll_up(rule, &inputs).unwrap_or_else(|| own_percent(rule, task));
        let status = if begun {
            TaskRowStatus::InProgress
        } else {
            TaskRowStatus::NotStarted
        };
        let standing = if task.is_overdue(today) {
            Standing::Overdue
        } else if begun {
            Standing::InProgress
        } else {
            Standing::NotStarted
        };
        TaskFigure {
            percent: Some(percent),
            status,
            standing,
            from_subtasks,
        }
    }
}

/// The value `rule` takes from a task's own standing, before its subtasks: its own
/// percent, or under the status-based rule 100 when completed, 50 once progress is
/// reported, else 0.
pub(crate) fn own_percent(rule: RollupRule, task: &TaskRow) -> f64 {
    match rule {
        RollupRule::SimpleAverage | RollupRule::WeightedAverage => f64::from(task.percent),
        RollupRule::StatusBased if task.status == TaskRowStatus::Completed => 100.0,
        RollupRule::StatusBased if task.last_reported_on.is_some() => 50.0,
        RollupRule::StatusBased => 0.0,
    }
}

impl ProgressModel {
    /// The roll-up rule the tasks of `plan` are figured by: that of the program it
    /// serves most directly; the default (simple average) when it serves none.
    pub fn plan_rule(&self, plan: DocumentId) -> RollupRule {
        // The walk of `programs_of`, stopping at the first program and allocating
        // nothing: every figure asks it.
        let mut next = Some(plan);
        for _ in 0..=self.documents.len() {
            let Some(doc) = next.and_then(|id| self.documents.get(&id)) else {
                break;
            };
            if doc.kind == DocumentRowKind::Program {
                return rule_of(self, Some(doc.document_id));
            }
            next = doc.parent_id;
        }
        rule_of(self, None)
    }

    /// The figure of `task` on `today`: its percent and status as every view shows
    /// them (see [`crate::figure`]).
    pub fn task_figure(&self, task: &TaskRow, today: NaiveDate) -> TaskFigure {
        let rule = self.plan_rule(task.plan_id);
        let mut ancestors = Vec::new();
        self.figure_within(rule, task, today, &mut ancestors)
    }

    /// The status of `task`'s figure, which does not depend on the day (only its
    /// standing does): what the task list's status filter selects by.
    pub fn task_status(&self, task: &TaskRow) -> TaskRowStatus {
        self.task_figure(task, NaiveDate::MIN).status
    }

    /// The figures of `task` and, first, of its subtasks (a subtask is in its parent's
    /// plan, so under the same rule). `ancestors` guards against a cycle of parents,
    /// which no history makes but damaged tables could.
    fn figure_within(
        &self,
        rule: RollupRule,
        task: &TaskRow,
        today: NaiveDate,
        ancestors: &mut Vec<TaskId>,
    ) -> TaskFigure {
        if !task.is_open() {
            return TaskFigure::of(rule, task, [], today);
        }
        ancestors.push(task.task_id);
        let mut subtasks: Vec<(TaskId, TaskFigure, u32)> = Vec::new();
        for sub in self.subtasks_of(task.task_id) {
            if !ancestors.contains(&sub.task_id) {
                let figure = self.figure_within(rule, sub, today, ancestors);
                subtasks.push((sub.task_id, figure, sub.weight));
            }
        }
        ancestors.pop();
        TaskFigure::of(
            rule,
            task,
            subtasks.iter().map(|(id, f, w)| (*id, f, *w)),
            today,
        )
    }
}

#[cfg(test)]
mod tests;
