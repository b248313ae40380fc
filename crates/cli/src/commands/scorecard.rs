//! `reform scorecard`: how one agency is doing.

use anyhow::Context;
use reform_cli::summary;
use reform_projections::queries;

use crate::args::ScorecardArgs;
use crate::commands::{agency_named, day_or_today, Tracker};

/// Prints the scorecard of the agency named: tasks led (inherited apart), coordinated,
/// on time, late, overdue on the day asked for; PAR band and rank, SIPAS, dossier
/// on-time rate, head in office.
pub(crate) async fn scorecard(tracker: &Tracker, args: ScorecardArgs) -> anyhow::Result<()> {
    let model = tracker.current_model().await?;
    let today = day_or_today(args.as_of);
    let id = agency_named(&model, &args.agency)?;
    let card = queries::scorecard(&model, id, today, queries::NO_FALLBACK)
        .context("the agency has no scorecard")?;
    print!("{}", summary::render_scorecard(&card, today));
    Ok(())
}
