//! PAR league tables: each block's agencies ranked for a year, banded, averaged.

use crate::model::ProgressModel;

use super::bands::{band_of, bands_for, Band};

/// One agency's place in its block.
#[derive(Clone, Debug, PartialEq)]
pub struct LeagueEntry {
    /// Agency.
    pub agency_id: reform_domain::AgencyId,
    /// Its name.
    pub name: String,
    /// Total points.
    pub total: f64,
    /// Rank in the block; ties share a rank (1, 2, 2, 4).
    pub rank: usize,
    /// Band name.
    pub band: Option<String>,
}

/// A block's table for a year.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockTable {
    /// The block.
    pub block: reform_domain::Block,
    /// Ranked agencies, best first.
    pub ranked: Vec<LeagueEntry>,
    /// Agencies not evaluated, with the reason.
    pub not_evaluated: Vec<(String, String)>,
    /// Agencies per band, in band order (zero counts included).
    pub band_counts: Vec<(String, usize)>,
    /// Average total of the ranked agencies.
    pub average: Option<f64>,
    /// The block's average the year before.
    pub previous_average: Option<f64>,
}

impl BlockTable {
    /// Change of the average on the year before.
    pub fn change(&self) -> Option<f64> {
        Some(self.average? - self.previous_average?)
    }
}

/// PAR league tables for `year`, one per block, for agencies in `jurisdiction` (all
/// when `None`). Each agency is banded by its jurisdiction's scheme for the year
/// ([`bands_for`], `fallback` where there is none); a table counts agencies per band of
/// the scheme of `jurisdiction`, or of its first agency's.
pub fn league_tables(
    model: &ProgressModel,
    year: i32,
    jurisdiction: Option<&str>,
    fallback: &[Band],
) -> Vec<BlockTable> {
    let jurisdiction_of = |agency: &reform_domain::AgencyId| {
        model
            .agencies
            .get(agency)
            .map_or("", |a| a.jurisdiction.as_str())
    };
    let in_scope = |agency: &reform_domain::AgencyId| {
        jurisdiction.is_none_or(|j| {
            model
                .agencies
                .get(agency)
                .is_some_and(|a| a.jurisdiction == j)
        })
    };
    let name = |agency: &reform_domain::AgencyId| {
        model
            .agencies
            .get(agency)
            .map_or_else(|| agency.to_string(), |a| a.name.clone())
    };
    let average = |y: i32, block: reform_domain::Block| {
        let totals: Vec<f64> = model
            .par
            .values()
            .filter(|r| r.year == y && r.block == block && in_scope(&r.agency_id))
            .filter_map(|r| r.total)
            .collect();
        (!totals.is_empty()).then(|| totals.iter().sum::<f64>() / totals.len() as f64)
    };
    let mut blocks: Vec<reform_domain::Block> = model
        .par
        .values()
        .filter(|r| r.year == year && in_scope(&r.agency_id))
        .map(|r| r.block)
        .collect();
    // By code, as the tables have always been listed.
    blocks.sort_by_key(|b| b.code());
    blocks.dedup();
    blocks
        .into_iter()
        .map(|block| {
            let results: Vec<_> = model
                .par
                .values()
                .filter(|r| r.year == year && r.block == block && in_scope(&r.agency_id))
                .collect();
            let mut scored: Vec<(reform_domain::AgencyId, f64)> = results
                .iter()
                .filter_map(|r| r.total.map(|t| (r.agency_id, t)))
                .collect();
            scored.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| name(&a.0).cmp(&name(&b.0)))
            });
            let bands = bands_for(
                model,
                jurisdiction
                    .or_else(|| scored.first().map(|(a, _)| jurisdiction_of(a)))
                    .unwrap_or(""),
                year,
                fallback,
            );
            let mut ranked: Vec<LeagueEntry> = Vec::with_capacity(scored.len());
            for (i, (agency_id, total)) in scored.iter().enumerate() {
                let rank = match ranked.last() {
                    Some(prev) if prev.total == *total => prev.rank,
                    _ => i + 1,
                };
                ranked.push(LeagueEntry {
                    agency_id: *agency_id,
                    name: name(agency_id),
                    total: *total,
                    rank,
                    band: band_of(
                        bands_for(model, jurisdiction_of(agency_id), year, fallback),
                        *total,
                    )
                    .map(|b| b.name.clone()),
                });
            }
            let band_counts = bands
                .iter()
                .map(|b| {
                    (
                        b.name.clone(),
                        ranked
                            .iter()
                            .filter(|e| e.band.as_ref() == Some(&b.name))
                            .count(),
                    )
                })
                .collect();
            let mut not_evaluated: Vec<(String, String)> = results
                .iter()
                .filter(|r| r.total.is_none())
                .map(|r| {
                    (
                        name(&r.agency_id),
                        r.not_evaluated_reason.clone().unwrap_or_default(),
                    )
                })
                .collect();
            not_evaluated.sort();
            BlockTable {
                average: average(year, block),
                previous_average: average(year - 1, block),
                block,
                ranked,
                not_evaluated,
                band_counts,
            }
        })
        .collect()
}
