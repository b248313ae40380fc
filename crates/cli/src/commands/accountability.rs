//! `reform accountability` and `reform export accountability`: each head of agency's
//! tenure, what fell due, and whether it bars emulation rewards.

use reform_projections::queries;

use crate::args::{AccountabilityArgs, SheetArgs};
use crate::commands::{day_or_today, sheet_format, write_sheet, Tracker};

/// Prints accountability by head of agency, with the "no emulation rewards" flag and
/// its reasons.
pub(crate) async fn accountability(
    tracker: &Tracker,
    args: AccountabilityArgs,
) -> anyhow::Result<()> {
    let today = day_or_today(args.as_of);
    let rows = heads(tracker, &args, today).await?;
    print!(
        "{}",
        reform_cli::summary::render_accountability(&rows, today)
    );
    Ok(())
}

/// Writes the same rows as a sheet (csv or xlsx).
pub(crate) async fn export(
    tracker: &Tracker,
    args: AccountabilityArgs,
    sheet: SheetArgs,
) -> anyhow::Result<()> {
    let today = day_or_today(args.as_of);
    let rows = heads(tracker, &args, today).await?;
    let table = reform_cli::plan_table::accountability_table(&rows, today);
    let bytes = reform_interchange::export::write(&table, sheet_format(&sheet))?;
    write_sheet(&sheet, &bytes)
}

/// The heads' accountability rows on `today`, as both print and export show them.
async fn heads(
    tracker: &Tracker,
    args: &AccountabilityArgs,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<queries::HeadAccountability>> {
    let model = tracker.current_model().await?;
    Ok(queries::accountability(
        &model,
        args.jurisdiction.as_deref(),
        args.year,
        today,
        queries::NO_FALLBACK,
        &queries::RewardRule::default(),
    ))
}
