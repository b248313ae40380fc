//! Questions answered from a [`ProgressModel`], whether it was loaded from the tables
//! or folded in memory up to a past date. Everything that depends on "today" takes it.

use chrono::NaiveDate;
use reform_domain::{DocumentId, Pillar};

use crate::model::{ProgressModel, TaskRow, CANCELLED, COMPLETED};

/// How a percentage was made. Only the simple average exists so far; the rule will
/// become data per program.
pub const RULE_SIMPLE_AVERAGE: &str = "SIMPLE_AVERAGE";

/// Progress of one pillar (or of cross-cutting work when `pillar` is `None`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PillarProgress {
    /// The pillar, or `None` for cross-cutting work.
    pub pillar: Option<Pillar>,
    /// Top-level tasks, cancelled ones excluded.
    pub tasks: usize,
    /// Open, not past the deadline, no progress reported.
    pub not_started: usize,
    /// Open, not past the deadline, progress reported.
    pub in_progress: usize,
    /// Open and past the deadline on the day asked about.
    pub overdue: usize,
    /// Completed before the deadline.
    pub early: usize,
    /// Completed on the deadline.
    pub on_time: usize,
    /// Completed after the deadline.
    pub late: usize,
    /// Cancelled (excluded from `tasks` and the percentage).
    pub cancelled: usize,
    /// Percent complete by `rule`.
    pub percent: f64,
    /// The roll-up rule that produced `percent`.
    pub rule: &'static str,
    /// Share of completed tasks completed early or on time, when any are completed.
    pub on_time_rate: Option<f64>,
}

/// Progress by pillar, then cross-cutting work, over the top-level tasks of the plans
/// under `program` (every plan when `None`), as of `today`.
pub fn pillar_progress(
    model: &ProgressModel,
    program: Option<DocumentId>,
    today: NaiveDate,
) -> Vec<PillarProgress> {
    let mut lines: Vec<PillarProgress> = Pillar::ALL
        .iter()
        .map(|p| Some(*p))
        .chain(std::iter::once(None))
        .map(|pillar| PillarProgress {
            pillar,
            rule: RULE_SIMPLE_AVERAGE,
            ..PillarProgress::default()
        })
        .collect();
    let cross_cutting = lines.len() - 1;
    let mut percent_sums = vec![0u64; lines.len()];
    let in_program =
        |t: &TaskRow| program.is_none_or(|p| model.programs_of(t.plan_id).contains(&p));
    for task in model
        .tasks
        .values()
        .filter(|t| t.parent_task_id.is_none() && in_program(t))
    {
        let index = task
            .pillar
            .as_deref()
            .and_then(|code| Pillar::ALL.iter().position(|p| p.code() == code))
            .unwrap_or(cross_cutting);
        let line = &mut lines[index];
        if task.status == CANCELLED {
            line.cancelled += 1;
            continue;
        }
        line.tasks += 1;
        percent_sums[index] += u64::from(task.percent);
        if task.status == COMPLETED {
            match task.timeliness.as_deref() {
                Some("EARLY") => line.early += 1,
                Some("LATE") => line.late += 1,
                _ => line.on_time += 1,
            }
        } else if task.is_overdue(today) {
            line.overdue += 1;
        } else if task.last_reported_on.is_some() {
            line.in_progress += 1;
        } else {
            line.not_started += 1;
        }
    }
    for (line, sum) in lines.iter_mut().zip(percent_sums) {
        if line.tasks > 0 {
            line.percent = sum as f64 / line.tasks as f64;
        }
        let completed = line.early + line.on_time + line.late;
        if completed > 0 {
            line.on_time_rate = Some((line.early + line.on_time) as f64 / completed as f64);
        }
    }
    lines
}

/// A PAR INDEX band: a name and the lowest total that earns it. Bands differ by
/// province and year, so they are data.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Band name, e.g. "Xuất sắc".
    pub name: String,
    /// Lowest total in the band.
    pub min_total: f64,
}

/// The bands Đà Nẵng's 2022 results fit (seed 002): cut points 90 / 80 / 70 / 60 / 50.
pub fn da_nang_bands() -> Vec<Band> {
    [
        ("Xuất sắc", 90.0),
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Trung bình khá", 60.0),
        ("Trung bình", 50.0),
        ("Yếu", 0.0),
    ]
    .into_iter()
    .map(|(name, min_total)| Band {
        name: name.to_owned(),
        min_total,
    })
    .collect()
}

/// The band a total falls in (bands ordered from best).
pub fn band_of(bands: &[Band], total: f64) -> Option<&Band> {
    bands.iter().find(|b| total >= b.min_total)
}

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
    /// Block code.
    pub block: String,
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
/// when `None`).
pub fn league_tables(
    model: &ProgressModel,
    year: i32,
    jurisdiction: Option<&str>,
    bands: &[Band],
) -> Vec<BlockTable> {
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
    let average = |y: i32, block: &str| {
        let totals: Vec<f64> = model
            .par
            .values()
            .filter(|r| r.year == y && r.block == block && in_scope(&r.agency_id))
            .filter_map(|r| r.total)
            .collect();
        (!totals.is_empty()).then(|| totals.iter().sum::<f64>() / totals.len() as f64)
    };
    let mut blocks: Vec<String> = model
        .par
        .values()
        .filter(|r| r.year == year && in_scope(&r.agency_id))
        .map(|r| r.block.clone())
        .collect();
    blocks.sort();
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
                    band: band_of(bands, *total).map(|b| b.name.clone()),
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
                average: average(year, &block),
                previous_average: average(year - 1, &block),
                block,
                ranked,
                not_evaluated,
                band_counts,
            }
        })
        .collect()
}
