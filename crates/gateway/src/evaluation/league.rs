//! PAR INDEX league tables by block: ranks (ties share one), bands, the not-evaluated
//! apart, band counts, the average and its change on the year before.

use async_graphql::SimpleObject;

use crate::agency::Agency;
use crate::vocab::BlockInfo;

/// A block's PAR INDEX table for a year.
#[derive(SimpleObject)]
#[graphql(name = "BlockTable")]
pub struct BlockTableView {
    /// The block.
    pub block: Option<BlockInfo>,
    /// Ranked agencies, best first; ties share a rank.
    pub ranked: Vec<LeagueEntryView>,
    /// Agencies not evaluated, with the reason, listed apart.
    pub not_evaluated: Vec<NotEvaluatedView>,
    /// Agencies per band, in band order.
    pub band_counts: Vec<BandCountView>,
    /// Average total of the ranked agencies.
    pub average: Option<f64>,
    /// The block's average the year before.
    pub previous_average: Option<f64>,
    /// Change of the average on the year before.
    pub change: Option<f64>,
}

/// A ranked agency.
#[derive(SimpleObject)]
#[graphql(name = "LeagueEntry")]
pub struct LeagueEntryView {
    /// The agency.
    pub agency: Option<Agency>,
    /// Its name.
    pub name: String,
    /// Total points (may exceed 100 with bonus points).
    pub total: f64,
    /// Rank; ties share one (1, 2, 2, 4).
    pub rank: usize,
    /// Band name.
    pub band: Option<String>,
}

/// An agency listed apart as not evaluated.
#[derive(SimpleObject)]
#[graphql(name = "NotEvaluated")]
pub struct NotEvaluatedView {
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// How many agencies fell in a band.
#[derive(SimpleObject)]
#[graphql(name = "BandCount")]
pub struct BandCountView {
    /// The band.
    pub band: String,
    /// How many.
    pub count: usize,
}
