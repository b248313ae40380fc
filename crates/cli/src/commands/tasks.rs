//! `reform tasks`: the task list, by search words, status, category or overdue day.

use reform_domain::TaskCategory;
use reform_projections::{queries, TaskRowStatus};

use crate::args::TasksArgs;
use crate::commands::Tracker;

/// Prints the tasks the filters select, ordered by deadline, one a line with status,
/// percentage, title and lead, then how many.
pub(crate) async fn tasks(tracker: &Tracker, args: TasksArgs) -> anyhow::Result<()> {
    let model = tracker.current_model().await?;
    let status = args.status.as_deref().map(TaskRowStatus::from_code);
    let category = args.category.as_deref().map(TaskCategory::from_code);
    let filter = queries::TaskFilter {
        search: args.search,
        overdue_on: args.overdue_on,
        status: status.flatten(),
        category: category.flatten(),
        ..Default::default()
    };
    // A code no task can carry selects no task.
    let unknown = matches!(status, Some(None)) || matches!(category, Some(None));
    let found = if unknown {
        Vec::new()
    } else {
        queries::tasks(&model, &filter, queries::TaskOrder::Deadline)
    };
    for task in &found {
        let lead = model
            .agencies
            .get(&task.lead_id)
            .map_or("?", |a| a.name.as_str());
        let deadline = task
            .deadline
            .map_or("thường xuyên".to_owned(), |d| d.to_string());
        println!(
            "{deadline:<12} {:<11} {:>3}%  {}  — {lead}",
            task.status.code(),
            task.percent,
            task.title
        );
    }
    println!("{} tasks", found.len());
    Ok(())
}
