//! An agency's scorecard: its tasks, its latest evaluations and the head in office.

use chrono::NaiveDate;

use crate::model::ProgressModel;

use super::bands::{band_of, bands_for, Band};
use super::league::league_tables;
use super::tallies::{agency_tally, AgencyTally};
use super::tenures::current_head;

/// An agency's PAR standing in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct ParStanding {
    /// The year.
    pub year: i32,
    /// The block.
    pub block: reform_domain::Block,
    /// Total, `None` when not evaluated.
    pub total: Option<f64>,
    /// Band name.
    pub band: Option<String>,
    /// Rank within the block in its jurisdiction.
    pub rank: Option<usize>,
}

/// What one agency has done and how it was evaluated.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    /// The agency.
    pub agency_id: reform_domain::AgencyId,
    /// Its name.
    pub name: String,
    /// Tasks it leads that were its own from the start (cancelled ones left out).
    pub tasks_led: usize,
    /// Tasks it leads that it inherited from merged agencies, counted apart.
    pub tasks_inherited: usize,
    /// Tasks it coordinates.
    pub tasks_coordinated: usize,
    /// Led tasks completed early or on time.
    pub completed_in_time: usize,
    /// Led tasks completed late.
    pub completed_late: usize,
    /// Led tasks open and past their deadline today (by their figures, as every
    /// count here).
    pub overdue_now: usize,
    /// Average days late of its late completions.
    pub average_days_late: Option<f64>,
    /// Its latest PAR INDEX result.
    pub par: Option<ParStanding>,
    /// Its latest SIPAS result.
    pub sipas: Option<crate::model::SipasResult>,
    /// Its latest dossier statistics' on-time rate, with the period's last day.
    pub dossier_on_time_rate: Option<(NaiveDate, f64)>,
    /// The head in office today; for an agency that has ceased (merged, dissolved),
    /// its last head, the tenure's end filled in.
    pub head: Option<crate::model::HeadTenure>,
}

/// An agency's scorecard as of `today`, with PAR bands from `bands`.
pub fn scorecard(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    today: NaiveDate,
    bands: &[Band],
) -> Option<Scorecard> {
    scorecard_with(
        model,
        agency,
        today,
        bands,
        agency_tally(model, agency, today),
    )
}

/// [`scorecard`] with the agency's tally already counted (see
/// [`agency_tallies`](super::agency_tallies)).
pub fn scorecard_with(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    today: NaiveDate,
    bands: &[Band],
    tally: AgencyTally,
) -> Option<Scorecard> {
    let row = model.agencies.get(&agency)?;
    let par = model
        .par
        .values()
        .filter(|p| p.agency_id == agency)
        .max_by_key(|p| p.year)
        .map(|p| ParStanding {
            year: p.year,
            block: p.block,
            total: p.total,
            band: p
                .total
                .and_then(|t| band_of(bands_for(model, &row.jurisdiction, p.year, bands), t))
                .map(|b| b.name.clone()),
            rank: league_tables(model, p.year, Some(&row.jurisdiction), bands)
                .into_iter()
                .find(|t| t.block == p.block)
                .and_then(|t| t.ranked.into_iter().find(|e| e.agency_id == agency))
                .map(|e| e.rank),
        });
    let records = model.records.get(&agency);
    Some(Scorecard {
        agency_id: agency,
        name: row.name.clone(),
        tasks_led: tally.led,
        tasks_inherited: tally.inherited,
        tasks_coordinated: tally.coordinated,
        completed_in_time: tally.completed_in_time,
        completed_late: tally.completed_late,
        overdue_now: tally.overdue_now,
        average_days_late: tally.average_days_late(),
        par,
        sipas: records.and_then(|r| r.sipas.last().cloned()),
        dossier_on_time_rate: records
            .and_then(|r| r.dossiers.iter().rev().find(|d| d.field.is_none()))
            .and_then(|d| d.on_time_rate().map(|rate| (d.to, rate))),
        head: current_head(model, agency, today),
    })
}
