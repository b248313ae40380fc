//! `reform tasks`: the task list, by search words, status, category or overdue day.

use reform_projections::queries;

use crate::args::TasksArgs;
use crate::commands::{day_or_today, Tracker};

/// Prints the tasks the filters select, ordered by deadline, one a line with deadline,
/// status, percent (each task's figure today, as the roll-up tree and the API show
/// it), plan, title and lead, then how many.
pub(crate) async fn tasks(tracker: &Tracker, args: TasksArgs) -> anyhow::Result<()> {
    let model = tracker.current_model().await?;
    let today = day_or_today(None);
    let filter = queries::TaskFilter {
        search: args.search,
        overdue_on: args.overdue_on,
        status: args.status,
        category: args.category,
        ..Default::default()
    };
    let found = queries::tasks(&model, &filter, queries::TaskOrder::Deadline);
    print!(
        "{}",
        reform_cli::summary::render_tasks(&model, &found, today)
    );
    Ok(())
}
