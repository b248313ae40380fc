//! `reform tasks`: the task list, by search words, status, category or overdue day.

use reform_projections::queries;

use crate::args::TasksArgs;
use crate::commands::Tracker;

/// Prints the tasks the filters select, ordered by deadline, one a line with status,
/// percentage, title and lead, then how many.
pub(crate) async fn tasks(tracker: &Tracker, args: TasksArgs) -> anyhow::Result<()> {
    let model = tracker.current_model().await?;
    let filter = queries::TaskFilter {
        search: args.search,
        overdue_on: args.overdue_on,
        status: args.status,
        category: args.category,
        ..Default::default()
    };
    let found = queries::tasks(&model, &filter, queries::TaskOrder::Deadline);
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
            task.status, task.percent, task.title
        );
    }
    println!("{} tasks", found.len());
    Ok(())
}
