//! A baseline comparison: what changed in a program's or plan's tasks between two
//! instants, both models folded from the log.

use async_graphql::Context;
use chrono::{DateTime, Utc};
use reform_projections::{ProgressModel, TaskRow, TaskRowStatus};

use crate::error::ApiError;
use crate::scope::Scope;
use crate::task::Task;

/// What changed in a program's or plan's tasks between two instants.
#[derive(async_graphql::SimpleObject)]
pub struct Comparison {
    /// The earlier instant.
    pub from: DateTime<Utc>,
    /// The later instant.
    pub to: DateTime<Utc>,
    /// Tasks that did not exist at `from`, as they stand at `to`.
    pub added: Vec<Task>,
    /// Tasks cancelled in between, as they stand at `to`.
    pub removed: Vec<Task>,
    /// Tasks that changed in between, with the fields old → new.
    pub changed: Vec<TaskComparison>,
}

/// One task's changes between two instants.
#[derive(async_graphql::SimpleObject)]
pub struct TaskComparison {
    /// The task as it stands at the later instant.
    pub task: Task,
    /// What changed, old → new.
    pub changes: Vec<crate::history::FieldChangeView>,
}

/// Compares the tasks `belongs` admits as they stood at `from` and at `to` (like a
/// baseline comparison): both models are folded from the log.
pub(crate) async fn compare(
    ctx: &Context<'_>,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    belongs: impl Fn(&ProgressModel, &TaskRow) -> bool,
) -> async_graphql::Result<Comparison> {
    scope.require_overview()?;
    if to <= from {
        return Err(ApiError::bad_input("to", "must be after `from`").into());
    }
    let then = scope.at(ctx, Some(from)).await?;
    let now = scope.at(ctx, Some(to)).await?;
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for row in now.model.tasks.values().filter(|t| belongs(&now.model, t)) {
        let Ok(task) = now.task(row.task_id) else {
            continue;
        };
        match then.model.tasks.get(&row.task_id) {
            None => added.push(task),
            Some(before)
                if row.status == TaskRowStatus::Cancelled
                    && before.status != TaskRowStatus::Cancelled =>
            {
                removed.push(task);
            }
            Some(before) => {
                let changes = reform_projections::audit::diff_rows(Some(before), Some(row));
                if !changes.is_empty() {
                    changed.push(TaskComparison {
                        task,
                        changes: changes.into_iter().map(Into::into).collect(),
                    });
                }
            }
        }
    }
    let by_title =
        |a: &Task, b: &Task| (&a.row.title, a.row.task_id).cmp(&(&b.row.title, b.row.task_id));
    added.sort_by(by_title);
    removed.sort_by(by_title);
    changed.sort_by(|a, b| by_title(&a.task, &b.task));
    Ok(Comparison {
        from,
        to,
        added,
        removed,
        changed,
    })
}
