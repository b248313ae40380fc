//! `reform league` and `reform export league`: the PAR INDEX league tables of a year.

use reform_projections::queries;

use crate::args::{LeagueArgs, SheetArgs};
use crate::commands::{sheet_format, write_sheet, Tracker};

/// Prints the year's league tables by block: ranks, bands, the not-evaluated apart,
/// averages and change on the year before.
pub(crate) async fn league(tracker: &Tracker, args: LeagueArgs) -> anyhow::Result<()> {
    let tables = tables(tracker, &args).await?;
    print!("{}", reform_cli::summary::render_league(&tables, args.year));
    Ok(())
}

/// Writes the same tables as one sheet, a section per block (csv or xlsx).
pub(crate) async fn export(
    tracker: &Tracker,
    args: LeagueArgs,
    sheet: SheetArgs,
) -> anyhow::Result<()> {
    let tables = tables(tracker, &args).await?;
    let jurisdiction = args.jurisdiction.as_deref();
    let table = reform_cli::plan_table::league_table(&tables, args.year, jurisdiction);
    let bytes = reform_interchange::export::write(&table, sheet_format(&sheet))?;
    write_sheet(&sheet, &bytes)
}

/// The league tables of the year asked for, under Đà Nẵng's bands.
async fn tables(tracker: &Tracker, args: &LeagueArgs) -> anyhow::Result<Vec<queries::BlockTable>> {
    let model = tracker.current_model().await?;
    Ok(queries::league_tables(
        &model,
        args.year,
        args.jurisdiction.as_deref(),
        queries::NO_FALLBACK,
    ))
}
