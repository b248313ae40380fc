//! `reform import plan` and `reform export plan`: a plan's task table in from and out
//! to a spreadsheet.

use crate::args::{ExportPlanArgs, ImportPlanArgs};
use reform_interchange::TaskProgress;

use crate::commands::{day_or_today, sheet_format, write_sheet, Tracker};

/// Reads a plan's task table into the tracker, all or nothing unless `--partial`, and
/// prints the report (`Err(Refused)`, exit 3, when rows are wrong and nothing was
/// written).
pub(crate) async fn import(tracker: &Tracker, args: ImportPlanArgs) -> anyhow::Result<()> {
    let args = reform_cli::plan_table::ImportArgs {
        file: args.file,
        plan: args.plan,
        partial: args.partial,
        dry_run: args.dry_run,
        reason: args.reason,
        format: args.format.map(Into::into),
        user: args.user,
        on: args.on,
    };
    let report = reform_cli::plan_table::import(tracker.handler(), &args).await?;
    print!("{report}");
    Ok(())
}

/// Writes a plan's task table back in the shape it is imported from, with progress,
/// status (each task's figure today, as `reform tasks` and the API show it),
/// completion and task ids.
pub(crate) async fn export(tracker: &Tracker, args: ExportPlanArgs) -> anyhow::Result<()> {
    let format = sheet_format(&args.sheet);
    let id = reform_interchange::resolve_plan(tracker.handler(), &args.plan).await?;
    let model = tracker.current_model().await?;
    let today = day_or_today(None);
    let progress = model
        .tasks
        .values()
        .filter(|t| t.plan_id == id)
        .map(|t| {
            let figure = model.task_figure(t, today);
            let (percent, begun) = (figure.percent, figure.is_begun());
            (t.task_id, TaskProgress { percent, begun })
        })
        .collect();
    let bytes = reform_interchange::export_plan(tracker.handler(), id, format, &progress).await?;
    write_sheet(&args.sheet, &bytes)
}
