//! `reform import plan` and `reform export plan`: a plan's task table in from and out
//! to a spreadsheet.

use crate::args::{ExportPlanArgs, ImportPlanArgs};
use crate::commands::{sheet_format, write_sheet, Tracker};

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
    };
    let report = reform_cli::plan_table::import(tracker.handler(), &args).await?;
    print!("{report}");
    Ok(())
}

/// Writes a plan's task table back in the shape it is imported from, with progress,
/// status, completion and task ids.
pub(crate) async fn export(tracker: &Tracker, args: ExportPlanArgs) -> anyhow::Result<()> {
    let format = sheet_format(&args.sheet);
    let id = reform_interchange::resolve_plan(tracker.handler(), &args.plan).await?;
    let bytes = reform_interchange::export_plan(tracker.handler(), id, format).await?;
    write_sheet(&args.sheet, &bytes)
}
