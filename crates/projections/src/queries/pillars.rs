//! Progress by pillar: the pillar level of the roll-up tree, as the headline reads it.

use chrono::NaiveDate;
use reform_domain::{DocumentId, Pillar, RollupRule};

use crate::model::ProgressModel;
use crate::tree::{rollup_tree, NodeRef, RollupInput};

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
                inputs: node.inputs.clone(),
            }
        })
        .collect()
}
