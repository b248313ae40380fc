//! Questions answered from a [`ProgressModel`], whether it was loaded from the tables
//! or folded in memory up to a past date. Everything that depends on "today" takes it.

use chrono::NaiveDate;
use reform_domain::{DocumentId, Pillar, RollupRule};

use crate::model::{ProgressModel, TaskRow, CANCELLED, COMPLETED};
pub use crate::tree::{
    roll_up, rollup_tree, rule_of, NodeRef, RollupInput, RollupNode, StatusCounts,
};

/// Progress of one pillar (or of cross-cutting work when `pillar` is `None`): the
/// pillar level of the [`rollup_tree`].
#[derive(Clone, Debug, PartialEq)]
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
    /// Percent complete by `rule`; `None` when the pillar has nothing to count.
    pub percent: Option<f64>,
    /// The roll-up rule that produced `percent`.
    pub rule: RollupRule,
    /// The figures `percent` was made from: one per plan with tasks in the pillar.
    pub inputs: Vec<RollupInput>,
    /// Share of completed tasks completed early or on time, when any are completed.
    pub on_time_rate: Option<f64>,
}

/// Progress by pillar, then cross-cutting work, over the plans under `program` (every
/// plan when `None`), as of `today`: the pillar level of the [`rollup_tree`].
pub fn pillar_progress(
    model: &ProgressModel,
    program: Option<DocumentId>,
    today: NaiveDate,
) -> Vec<PillarProgress> {
    rollup_tree(model, program, today)
        .children
        .into_iter()
        .map(|node| {
            let c = node.counts;
            PillarProgress {
                pillar: match node.node {
                    NodeRef::Pillar(p) => p,
                    _ => None,
                },
                tasks: c.counted(),
                not_started: c.not_started,
                in_progress: c.in_progress,
                overdue: c.overdue,
                early: c.early,
                on_time: c.on_time,
                late: c.late,
                cancelled: c.cancelled,
                percent: node.percent,
                rule: node.rule,
                on_time_rate: c.on_time_rate(),
                inputs: node.inputs,
            }
        })
        .collect()
}

/// A PAR INDEX band: a name and the lowest total that earns it. Bands differ by
/// jurisdiction and year, so they are data ([`reform_domain::Command::SetBandScheme`]).
pub use reform_domain::BandDefinition as Band;

/// The bands `jurisdiction` evaluates `year` with: its scheme from the latest year not
/// after `year`; `fallback` when it has none on record.
pub fn bands_for<'a>(
    model: &'a ProgressModel,
    jurisdiction: &str,
    year: i32,
    fallback: &'a [Band],
) -> &'a [Band] {
    model
        .band_schemes
        .get(&reform_domain::BandSchemeId::for_jurisdiction(jurisdiction))
        .and_then(|row| row.schemes.range(..=year).next_back())
        .map_or(fallback, |(_, bands)| bands.as_slice())
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

/// Which tasks to list. Every field narrows; `Default` lists all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TaskFilter {
    /// Tasks of plans of this jurisdiction (or national ones): what a reader of that
    /// jurisdiction may see.
    pub jurisdiction: Option<String>,
    /// Led or coordinated by this agency: what its officers may see.
    pub involving: Option<reform_domain::AgencyId>,
    /// Only top-level tasks (no subtasks).
    pub top_level_only: bool,
    /// Tasks of this plan.
    pub plan: Option<DocumentId>,
    /// Tasks of plans under this program.
    pub program: Option<DocumentId>,
    /// Pillar or cross-cutting category code (`CIVIL_SERVICE`, `INSPECTION`).
    pub category: Option<String>,
    /// Led by this agency.
    pub lead: Option<reform_domain::AgencyId>,
    /// With this agency among the coordinators.
    pub coordinator: Option<reform_domain::AgencyId>,
    /// `NOT_STARTED`, `IN_PROGRESS`, `COMPLETED` or `CANCELLED`.
    pub status: Option<String>,
    /// Deadline on or after this day.
    pub deadline_from: Option<NaiveDate>,
    /// Deadline on or before this day.
    pub deadline_to: Option<NaiveDate>,
    /// Open and past the deadline on this day.
    pub overdue_on: Option<NaiveDate>,
    /// Words the title must contain, with or without diacritics ("cai cach").
    pub search: Option<String>,
}

/// How to order a task list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TaskOrder {
    /// Earliest deadline first (ongoing work last), then title.
    #[default]
    Deadline,
    /// By title.
    Title,
}

/// The tasks the filter admits, in the order asked.
pub fn tasks<'m>(
    model: &'m ProgressModel,
    filter: &TaskFilter,
    order: TaskOrder,
) -> Vec<&'m TaskRow> {
    let words: Vec<String> = filter
        .search
        .as_deref()
        .map(|q| {
            reform_domain::fold_for_search(q)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut found: Vec<&TaskRow> = model
        .tasks
        .values()
        .filter(|t| filter.plan.is_none_or(|p| t.plan_id == p))
        .filter(|t| !filter.top_level_only || t.parent_task_id.is_none())
        .filter(|t| {
            filter
                .involving
                .is_none_or(|a| t.lead_id == a || t.coordinator_ids.contains(&a))
        })
        .filter(|t| {
            filter.jurisdiction.as_deref().is_none_or(|j| {
                model.documents.get(&t.plan_id).is_some_and(|plan| {
                    plan.jurisdiction == j || plan.jurisdiction == reform_domain::NATIONAL
                })
            })
        })
        .filter(|t| {
            filter
                .program
                .is_none_or(|p| model.programs_of(t.plan_id).contains(&p))
        })
        .filter(|t| filter.category.as_ref().is_none_or(|c| &t.category == c))
        .filter(|t| filter.lead.is_none_or(|a| t.lead_id == a))
        .filter(|t| {
            filter
                .coordinator
                .is_none_or(|a| t.coordinator_ids.contains(&a))
        })
        .filter(|t| filter.status.as_ref().is_none_or(|s| &t.status == s))
        .filter(|t| {
            filter
                .deadline_from
                .is_none_or(|d| t.deadline.is_some_and(|td| td >= d))
        })
        .filter(|t| {
            filter
                .deadline_to
                .is_none_or(|d| t.deadline.is_some_and(|td| td <= d))
        })
        .filter(|t| filter.overdue_on.is_none_or(|d| t.is_overdue(d)))
        .filter(|t| words.iter().all(|w| t.search.contains(w.as_str())))
        .collect();
    // The id breaks ties, so the faster unstable sort gives one order.
    match order {
        TaskOrder::Deadline => found.sort_unstable_by(|a, b| {
            (a.deadline.is_none(), a.deadline, &a.title, a.task_id).cmp(&(
                b.deadline.is_none(),
                b.deadline,
                &b.title,
                b.task_id,
            ))
        }),
        TaskOrder::Title => {
            found.sort_unstable_by(|a, b| (&a.title, a.task_id).cmp(&(&b.title, b.task_id)));
        }
    }
    found
}

/// A filtered, ordered task list and its aggregates as of one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaskSelection {
    /// The tasks, in order.
    pub ids: Vec<reform_domain::TaskId>,
    /// Counts by where they stand on the day.
    pub counts: StatusCounts,
    /// Their average percent, cancelled tasks left out; `None` when none count.
    pub average_percent: Option<f64>,
}

/// [`tasks`] with its counts and average percent on `today`.
pub fn select_tasks(
    model: &ProgressModel,
    filter: &TaskFilter,
    order: TaskOrder,
    today: NaiveDate,
) -> TaskSelection {
    let rows = tasks(model, filter, order);
    let mut counts = StatusCounts::default();
    let mut percent_sum = 0.0;
    for task in &rows {
        counts.count(task, today);
        if task.status != CANCELLED {
            percent_sum += f64::from(task.percent);
        }
    }
    let counted = counts.counted();
    TaskSelection {
        ids: rows.iter().map(|t| t.task_id).collect(),
        counts,
        average_percent: (counted > 0).then(|| percent_sum / counted as f64),
    }
}

/// What one agency's tasks add up to on a day: the task half of its scorecard.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AgencyTally {
    /// Tasks it leads that were its own from the start (cancelled ones left out).
    pub led: usize,
    /// Tasks it leads that it inherited from merged agencies.
    pub inherited: usize,
    /// Tasks it coordinates (cancelled ones left out).
    pub coordinated: usize,
    /// Led tasks completed early or on time.
    pub completed_in_time: usize,
    /// Led tasks completed late.
    pub completed_late: usize,
    /// Days late summed over the late completions.
    pub days_late: u64,
    /// Led tasks open and past their deadline on the day.
    pub overdue_now: usize,
}

impl AgencyTally {
    fn add(&mut self, task: &TaskRow, led: bool, today: NaiveDate) {
        if !led {
            self.coordinated += 1;
            return;
        }
        if task.inherited_from.is_empty() {
            self.led += 1;
        } else {
            self.inherited += 1;
        }
        if task.status == COMPLETED {
            if task.timeliness.as_deref() == Some("LATE") {
                self.completed_late += 1;
                self.days_late += u64::from(task.days_late.unwrap_or(0));
            } else {
                self.completed_in_time += 1;
            }
        }
        if task.is_overdue(today) {
            self.overdue_now += 1;
        }
    }

    /// Average days late of the late completions.
    pub fn average_days_late(&self) -> Option<f64> {
        (self.completed_late > 0).then(|| self.days_late as f64 / self.completed_late as f64)
    }
}

/// Every agency's [`AgencyTally`] on `today`, in one pass over the tasks.
pub fn agency_tallies(
    model: &ProgressModel,
    today: NaiveDate,
) -> std::collections::HashMap<reform_domain::AgencyId, AgencyTally> {
    let mut tallies = std::collections::HashMap::<_, AgencyTally>::new();
    for task in model.tasks.values().filter(|t| t.status != CANCELLED) {
        tallies
            .entry(task.lead_id)
            .or_default()
            .add(task, true, today);
        for coordinator in &task.coordinator_ids {
            tallies
                .entry(*coordinator)
                .or_default()
                .add(task, false, today);
        }
    }
    tallies
}

/// One agency's [`AgencyTally`] on `today`.
pub fn agency_tally(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    today: NaiveDate,
) -> AgencyTally {
    let mut tally = AgencyTally::default();
    for task in model.tasks.values().filter(|t| t.status != CANCELLED) {
        if task.lead_id == agency {
            tally.add(task, true, today);
        }
        if task.coordinator_ids.contains(&agency) {
            tally.add(task, false, today);
        }
    }
    tally
}

/// An agency's PAR standing in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct ParStanding {
    /// The year.
    pub year: i32,
    /// Block code.
    pub block: String,
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
    /// Led tasks open and past their deadline today.
    pub overdue_now: usize,
    /// Average days late of its late completions.
    pub average_days_late: Option<f64>,
    /// Its latest PAR INDEX result.
    pub par: Option<ParStanding>,
    /// Its latest SIPAS result.
    pub sipas: Option<crate::model::SipasResult>,
    /// Its latest dossier statistics' on-time rate, with the period's last day.
    pub dossier_on_time_rate: Option<(NaiveDate, f64)>,
    /// The head in office today.
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

/// [`scorecard`] with the agency's tally already counted (see [`agency_tallies`]).
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
            block: p.block.clone(),
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
        head: records.and_then(|r| current_head(model, agency, r, today)),
    })
}

fn current_head(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    records: &crate::model::AgencyRecords,
    today: NaiveDate,
) -> Option<crate::model::HeadTenure> {
    records
        .heads
        .iter()
        .find(|h| h.from <= today && tenure_end(model, agency, h, today) >= today)
        .cloned()
}

/// The last day of a tenure: its own end, the day before the agency ceased, or today.
fn tenure_end(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    head: &crate::model::HeadTenure,
    today: NaiveDate,
) -> NaiveDate {
    let ceased = model
        .agencies
        .get(&agency)
        .and_then(|a| a.ceased_on)
        .and_then(|d| d.pred_opt());
    [head.to, ceased, Some(today)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today)
}

/// When a head should not be considered for emulation rewards (thi đua, khen thưởng).
/// Provinces set their own practice, so the thresholds are data.
#[derive(Clone, Debug, PartialEq)]
pub struct RewardRule {
    /// Any task overdue by more than this many days disqualifies.
    pub max_days_overdue: i64,
    /// Below this share of due tasks completed early or on time disqualifies.
    pub min_on_time_rate: f64,
    /// A PAR band below this one disqualifies (bands ordered from best).
    pub min_band: Option<String>,
}

impl Default for RewardRule {
    /// The practice seeds 000 and 002 describe: no task overdue more than 30 days, at
    /// least 80% on time, PAR band Khá or better.
    fn default() -> Self {
        RewardRule {
            max_days_overdue: 30,
            min_on_time_rate: 0.8,
            min_band: Some("Khá".into()),
        }
    }
}

/// One head's record for one tenure.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadAccountability {
    /// The agency.
    pub agency_id: reform_domain::AgencyId,
    /// Its name.
    pub agency_name: String,
    /// The head and the tenure.
    pub head: crate::model::HeadTenure,
    /// The tenure's last day as counted (today while in office).
    pub counted_to: NaiveDate,
    /// Led tasks due within the tenure (and the year, when asked).
    pub tasks_due: usize,
    /// Of those, completed early or on time.
    pub completed_in_time: usize,
    /// Of those, completed late.
    pub completed_late: usize,
    /// Of those, open and past the deadline today.
    pub overdue_now: usize,
    /// The most days any of those is overdue today.
    pub worst_days_overdue: i64,
    /// Share of due tasks completed in time.
    pub on_time_rate: Option<f64>,
    /// PAR band of the year asked, or of the latest year in the tenure.
    pub par_band: Option<String>,
    /// Whether the head should not be considered for emulation rewards.
    pub no_emulation_reward: bool,
    /// Why, one line per reason.
    pub reasons: Vec<String>,
}

/// The agency that led `task` on `day`: its lead, or — walking back its mergers — the
/// merged agency it was inherited from, if that one had not yet ceased on `day`.
/// (A reassignment carries no date in the read-model, so it counts from the start.)
pub fn lead_on(model: &ProgressModel, task: &TaskRow, day: NaiveDate) -> reform_domain::AgencyId {
    let mut lead = task.lead_id;
    for from in task.inherited_from.iter().rev() {
        let led_then = model
            .agencies
            .get(from)
            .is_some_and(|a| a.successor_id == Some(lead) && a.ceased_on.is_some_and(|c| day < c));
        if led_then {
            lead = *from;
        }
    }
    lead
}

/// Accountability by head of agency: each head's tenure, what fell due in it, and the
/// "do not consider for emulation rewards" flag with its reasons by `rule`.
pub fn accountability(
    model: &ProgressModel,
    jurisdiction: Option<&str>,
    year: Option<i32>,
    today: NaiveDate,
    bands: &[Band],
    rule: &RewardRule,
) -> Vec<HeadAccountability> {
    // Each task answers to the agency that led it when it fell due, so a task
    // inherited in a merger counts for the merged agency's head if it fell due before.
    let mut answerable: std::collections::HashMap<reform_domain::AgencyId, Vec<&TaskRow>> =
        std::collections::HashMap::new();
    for task in model.tasks.values().filter(|t| t.status != CANCELLED) {
        if let Some(deadline) = task.deadline {
            answerable
                .entry(lead_on(model, task, deadline))
                .or_default()
                .push(task);
        }
    }
    let mut out = Vec::new();
    for (agency, records) in &model.records {
        let Some(row) = model.agencies.get(agency) else {
            continue;
        };
        if jurisdiction.is_some_and(|j| row.jurisdiction != j) {
            continue;
        }
        for head in &records.heads {
            let counted_to = tenure_end(model, *agency, head, today);
            if counted_to < head.from {
                continue;
            }
            let in_scope = |d: NaiveDate| {
                d >= head.from
                    && d <= counted_to
                    && year.is_none_or(|y| chrono::Datelike::year(&d) == y)
            };
            let due: Vec<&TaskRow> = answerable
                .get(agency)
                .into_iter()
                .flatten()
                .copied()
                .filter(|t| t.deadline.is_some_and(in_scope))
                .collect();
            let completed_in_time = due
                .iter()
                .filter(|t| t.status == COMPLETED && t.timeliness.as_deref() != Some("LATE"))
                .count();
            let completed_late = due
                .iter()
                .filter(|t| t.timeliness.as_deref() == Some("LATE"))
                .count();
            let overdue: Vec<i64> = due
                .iter()
                .filter(|t| t.is_overdue(today))
                .filter_map(|t| t.deadline.map(|d| (today - d).num_days()))
                .collect();
            let on_time_rate =
                (!due.is_empty()).then(|| completed_in_time as f64 / due.len() as f64);
            let par_band = model
                .par
                .values()
                .filter(|p| p.agency_id == *agency)
                .filter(|p| match year {
                    Some(y) => p.year == y,
                    None => {
                        p.year >= chrono::Datelike::year(&head.from)
                            && p.year <= chrono::Datelike::year(&counted_to)
                    }
                })
                .max_by_key(|p| p.year)
                .and_then(|p| Some((p.total?, bands_for(model, &row.jurisdiction, p.year, bands))));
            // The rule's band is looked up in the scheme the result was banded by.
            let band_rank = |name: &str| {
                par_band.and_then(|(_, scheme)| scheme.iter().position(|b| b.name == name))
            };
            let par_band = par_band
                .and_then(|(total, scheme)| band_of(scheme, total))
                .map(|b| b.name.clone());
            let worst_days_overdue = overdue.iter().copied().max().unwrap_or(0);
            let mut reasons = Vec::new();
            if worst_days_overdue > rule.max_days_overdue {
                reasons.push(format!(
                    "a task is overdue by {worst_days_overdue} days (more than {})",
                    rule.max_days_overdue
                ));
            }
            if let Some(rate) = on_time_rate.filter(|r| *r < rule.min_on_time_rate) {
                reasons.push(format!(
                    "{:.0}% of due tasks done on time (less than {:.0}%)",
                    rate * 100.0,
                    rule.min_on_time_rate * 100.0
                ));
            }
            if let (Some(band), Some(min)) = (&par_band, &rule.min_band) {
                if let (Some(b), Some(m)) = (band_rank(band), band_rank(min)) {
                    if b > m {
                        reasons.push(format!("PAR INDEX band {band} is below {min}"));
                    }
                }
            }
            out.push(HeadAccountability {
                agency_id: *agency,
                agency_name: row.name.clone(),
                head: head.clone(),
                counted_to,
                tasks_due: due.len(),
                completed_in_time,
                completed_late,
                overdue_now: overdue.len(),
                worst_days_overdue,
                on_time_rate,
                par_band,
                no_emulation_reward: !reasons.is_empty(),
                reasons,
            });
        }
    }
    out.sort_by(|a, b| (&a.agency_name, a.head.from).cmp(&(&b.agency_name, b.head.from)));
    out
}

/// Red / amber / green: where an indicator stands against its straight-line trajectory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rag {
    /// On or ahead of the trajectory.
    Green,
    /// Behind by at most a tenth of the distance from baseline to target.
    Amber,
    /// Further behind.
    Red,
}

/// An indicator's path towards its targets, as of a day.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The indicator.
    pub indicator: crate::model::IndicatorRow,
    /// The latest measurement on or before the day.
    pub latest: Option<crate::model::MeasuredValue>,
    /// The target the latest measurement is judged against (the first due on or after it).
    pub target: Option<crate::model::Target>,
    /// Where the straight line from baseline to that target stood on the latest measurement's day.
    pub expected: Option<f64>,
    /// The judgement; `None` without a baseline, a target or a measurement.
    pub rag: Option<Rag>,
}

/// Every indicator of a jurisdiction (all when `None`) with its trajectory as of `day`.
pub fn trajectories(
    model: &ProgressModel,
    jurisdiction: Option<&str>,
    day: NaiveDate,
) -> Vec<Trajectory> {
    let mut out: Vec<Trajectory> = model
        .indicators
        .values()
        .filter(|i| jurisdiction.is_none_or(|j| i.jurisdiction == j))
        .map(|i| trajectory(i, day))
        .collect();
    out.sort_by(|a, b| a.indicator.code.cmp(&b.indicator.code));
    out
}

fn end_of_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

/// One indicator's trajectory as of `day`.
pub fn trajectory(indicator: &crate::model::IndicatorRow, day: NaiveDate) -> Trajectory {
    let seen: Vec<&crate::model::MeasuredValue> = indicator
        .measurements
        .iter()
        .filter(|m| m.on <= day)
        .collect();
    let latest = seen.last().map(|m| (*m).clone());
    // Without a stated baseline, the first measurement serves as one.
    let baseline = match (indicator.baseline, indicator.baseline_on) {
        (Some(value), Some(on)) => Some((on, value)),
        _ => seen
            .first()
            .filter(|_| seen.len() > 1)
            .map(|m| (m.on, m.value)),
    };
    let target = latest.as_ref().and_then(|m| {
        indicator
            .targets
            .iter()
            .find(|t| end_of_year(t.year).is_some_and(|end| end >= m.on))
            .or(indicator.targets.last())
            .cloned()
    });
    let (expected, rag) = match (&latest, baseline, &target) {
        (Some(m), Some((from, start)), Some(t)) => {
            let due = end_of_year(t.year).unwrap_or(m.on);
            let total = (due - from).num_days().max(1) as f64;
            let elapsed = ((m.on - from).num_days() as f64 / total).clamp(0.0, 1.0);
            let expected = start + (t.value - start) * elapsed;
            let sign = if indicator.direction == "LOWER_IS_BETTER" {
                -1.0
            } else {
                1.0
            };
            let gap = (m.value - expected) * sign;
            let span = (t.value - start).abs();
            let rag = if gap >= -1e-9 {
                Rag::Green
            } else if gap >= -0.1 * span - 1e-9 {
                Rag::Amber
            } else {
                Rag::Red
            };
            (Some(expected), Some(rag))
        }
        _ => (None, None),
    };
    Trajectory {
        indicator: indicator.clone(),
        latest,
        target,
        expected,
        rag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_periods_contain_their_days() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let cases = [
            (
                DossierPeriodKind::Month,
                day(2024, 2, 10),
                (day(2024, 2, 1), day(2024, 2, 29)),
            ),
            (
                DossierPeriodKind::Quarter,
                day(2024, 5, 1),
                (day(2024, 4, 1), day(2024, 6, 30)),
            ),
            (
                DossierPeriodKind::HalfYear,
                day(2024, 7, 1),
                (day(2024, 7, 1), day(2024, 12, 31)),
            ),
            (
                DossierPeriodKind::Year,
                day(2023, 3, 3),
                (day(2023, 1, 1), day(2023, 12, 31)),
            ),
        ];
        for (kind, inside, period) in cases {
            assert_eq!(kind.containing(inside), period, "{kind:?}");
        }
    }
    use crate::model::{IndicatorRow, MeasuredValue, Target};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Baseline on 1/1/2021, target by 31/12/2025, one measurement on 1/1/2023: two
    /// fifths of the way along (730 of 1,825 days).
    fn indicator(direction: &str, baseline: f64, target: f64, measured: f64) -> IndicatorRow {
        IndicatorRow {
            indicator_id: reform_domain::IndicatorId::for_code("TEST"),
            code: "TEST".into(),
            name: "Thử".into(),
            unit: "%".into(),
            direction: direction.into(),
            baseline: Some(baseline),
            baseline_on: Some(day(2021, 1, 1)),
            jurisdiction: "VN".into(),
            targets: vec![Target {
                year: 2025,
                value: target,
            }],
            measurements: vec![MeasuredValue {
                on: day(2023, 1, 1),
                value: measured,
                source: None,
            }],
        }
    }

    fn agency(name: &str) -> crate::model::AgencyRow {
        crate::model::AgencyRow {
            agency_id: reform_domain::AgencyId::generate(),
            name: name.into(),
            short_name: None,
            tier: "DEPARTMENT".into(),
            block: Some("DEPARTMENTS".into()),
            jurisdiction: "VN-01".into(),
            parent_id: None,
            status: "ACTIVE".into(),
            successor_id: None,
            ceased_on: None,
        }
    }

    fn open_task(title: &str, lead: reform_domain::AgencyId, deadline: NaiveDate) -> TaskRow {
        TaskRow {
            task_id: reform_domain::TaskId::generate(),
            plan_id: reform_domain::DocumentId::generate(),
            parent_task_id: None,
            category: "INSTITUTIONAL".into(),
            pillar: Some("INSTITUTIONAL".into()),
            title: title.into(),
            search: title.into(),
            lead_id: lead,
            coordinator_ids: Vec::new(),
            deadline: Some(deadline),
            status: "NOT_STARTED".into(),
            percent: 0,
            lead_percent: 0,
            weight: 1,
            last_reported_on: None,
            completed_on: None,
            timeliness: None,
            days_late: None,
            inherited_from: Vec::new(),
        }
    }

    /// Sở A merges into Sở B on 1/7/2025, its overdue task passing to B. The task fell
    /// due in March under A's head, so it is A's head who answers for it, not B's.
    #[test]
    fn a_task_inherited_in_a_merger_answers_to_the_head_in_office_when_it_fell_due() {
        let mut a = agency("Sở A");
        let b = agency("Sở B");
        a.status = "MERGED".into();
        a.successor_id = Some(b.agency_id);
        a.ceased_on = Some(day(2025, 7, 1));
        let mut inherited = open_task("Rà soát thủ tục", b.agency_id, day(2025, 3, 31));
        inherited.inherited_from = vec![a.agency_id];
        let own = open_task("Số hoá hồ sơ", b.agency_id, day(2025, 9, 30));
        let mut model = ProgressModel::default();
        for (row, head) in [(&a, "Nguyễn Văn An"), (&b, "Trần Thị Bình")] {
            model.agencies.insert(row.agency_id, row.clone());
            model.records.insert(
                row.agency_id,
                crate::model::AgencyRecords {
                    heads: vec![crate::model::HeadTenure {
                        name: head.into(),
                        title: None,
                        from: day(2021, 1, 1),
                        to: None,
                        decision: None,
                    }],
                    ..Default::default()
                },
            );
        }
        for t in [&inherited, &own] {
            model.tasks.insert(t.task_id, t.clone());
        }
        assert_eq!(lead_on(&model, &inherited, day(2025, 3, 31)), a.agency_id);
        assert_eq!(lead_on(&model, &inherited, day(2025, 7, 1)), b.agency_id);

        let rows = accountability(
            &model,
            None,
            None,
            day(2025, 12, 31),
            &da_nang_bands(),
            &RewardRule::default(),
        );
        let of = |name: &str| {
            rows.iter()
                .find(|r| r.head.name == name)
                .map(|r| (r.tasks_due, r.overdue_now, r.counted_to))
        };
        assert_eq!(of("Nguyễn Văn An"), Some((1, 1, day(2025, 6, 30))));
        assert_eq!(of("Trần Thị Bình"), Some((1, 1, day(2025, 12, 31))));
    }

    #[test]
    fn rag_follows_the_straight_line_in_the_right_direction() {
        let judge = |direction, baseline, target, measured| {
            trajectory(
                &indicator(direction, baseline, target, measured),
                day(2023, 6, 30),
            )
        };
        let ahead = judge("HIGHER_IS_BETTER", 30.0, 80.0, 55.0);
        assert!(
            (ahead.expected.unwrap_or_default() - 50.0).abs() < 0.01,
            "{:?}",
            ahead.expected
        );
        assert_eq!(ahead.rag, Some(Rag::Green));
        assert_eq!(
            judge("HIGHER_IS_BETTER", 30.0, 80.0, 46.0).rag,
            Some(Rag::Amber)
        );
        assert_eq!(
            judge("HIGHER_IS_BETTER", 30.0, 80.0, 40.0).rag,
            Some(Rag::Red)
        );
        // Compliance cost: lower is better, from 100 towards 80; expected 92 then.
        assert_eq!(
            judge("LOWER_IS_BETTER", 100.0, 80.0, 90.0).rag,
            Some(Rag::Green)
        );
        assert_eq!(
            judge("LOWER_IS_BETTER", 100.0, 80.0, 93.5).rag,
            Some(Rag::Amber)
        );
        assert_eq!(
            judge("LOWER_IS_BETTER", 100.0, 80.0, 95.0).rag,
            Some(Rag::Red)
        );
    }

    #[test]
    fn no_measurement_or_target_means_no_judgement() {
        let mut i = indicator("HIGHER_IS_BETTER", 30.0, 80.0, 55.0);
        assert_eq!(
            trajectory(&i, day(2022, 12, 31)).rag,
            None,
            "measured after the day asked"
        );
        i.targets.clear();
        assert_eq!(trajectory(&i, day(2023, 6, 30)).rag, None);
    }
}

/// Calendar periods dossier statistics are added up by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DossierPeriodKind {
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Halves of the year.
    HalfYear,
    /// Years.
    Year,
}

impl DossierPeriodKind {
    /// The period of this kind that `day` falls in: (first day, last day).
    pub fn containing(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        use chrono::Datelike;
        let months = match self {
            DossierPeriodKind::Month => 1,
            DossierPeriodKind::Quarter => 3,
            DossierPeriodKind::HalfYear => 6,
            DossierPeriodKind::Year => 12,
        };
        let first_month = (day.month0() / months) * months + 1;
        let start = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let end = start
            .checked_add_months(chrono::Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        (start, end)
    }
}

/// Dossier figures added up over agencies for one calendar period.
#[derive(Clone, Debug, PartialEq)]
pub struct DossierTotal {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Agencies whose reports are in it.
    pub agencies: usize,
    /// Reports added up.
    pub reports: usize,
    /// The sum (rates are computed on it, not averaged).
    pub counts: reform_domain::DossierCounts,
}

/// [`dossier_totals`]' answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DossierTotals {
    /// Periods with reports, oldest first.
    pub periods: Vec<DossierTotal>,
    /// Reports left out because their period spans more than one period of the kind
    /// asked (a January–August report in quarters).
    pub left_out: usize,
}

/// A period being added up: the agencies in it, the reports, their sum so far.
type Bucket = (
    std::collections::BTreeSet<reform_domain::AgencyId>,
    usize,
    Option<reform_domain::DossierCounts>,
);

/// One-stop dossier statistics added up per calendar period over the agencies
/// `include` admits: a province's totals, a block's, one agency's. Agencies' totals
/// (reports without a field) are added, or, with `field`, the reports of that field
/// only, so nothing is counted twice. Only reports from `from` to `to` count.
pub fn dossier_totals(
    model: &ProgressModel,
    include: impl Fn(&crate::model::AgencyRow) -> bool,
    field: Option<&str>,
    kind: DossierPeriodKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> DossierTotals {
    let mut buckets: std::collections::BTreeMap<(NaiveDate, NaiveDate), Bucket> =
        std::collections::BTreeMap::new();
    let mut left_out = 0;
    let wanted = field.map(reform_domain::fold_for_search);
    for (agency, records) in &model.records {
        if !model.agencies.get(agency).is_some_and(&include) {
            continue;
        }
        for report in &records.dossiers {
            let field_matches = match (&wanted, &report.field) {
                (None, None) => true,
                (Some(w), Some(f)) => reform_domain::fold_for_search(f) == *w,
                _ => false,
            };
            if !field_matches
                || from.is_some_and(|d| report.from < d)
                || to.is_some_and(|d| report.to > d)
            {
                continue;
            }
            let bucket = kind.containing(report.from);
            if report.to > bucket.1 {
                left_out += 1;
                continue;
            }
            let entry = buckets.entry(bucket).or_default();
            entry.0.insert(*agency);
            entry.1 += 1;
            // Start from the first report, not from zeros: a sum only has a digitised
            // count when every report in it has one.
            entry.2 = Some(match &entry.2 {
                None => report.counts.clone(),
                Some(sum) => sum.plus(&report.counts),
            });
        }
    }
    DossierTotals {
        periods: buckets
            .into_iter()
            .map(|((from, to), (agencies, reports, counts))| DossierTotal {
                from,
                to,
                agencies: agencies.len(),
                reports,
                counts: counts.unwrap_or_default(),
            })
            .collect(),
        left_out,
    }
}
