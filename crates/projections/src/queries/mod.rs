//! Questions answered from a [`ProgressModel`](crate::ProgressModel), whether it was
//! loaded from the tables or folded in memory up to a past date. Everything that
//! depends on "today" takes it.
//!
//! One file per question, its tests beside it; every answer is re-exported here, so
//! callers name `queries::X` whichever file holds it.

mod accountability;
mod bands;
mod dossiers;
mod indicators;
mod league;
mod pillars;
mod scorecard;
mod tallies;
mod tasks;
mod tenures;

pub use self::accountability::{
    accountability, answerable_on, lead_on, HeadAccountability, RewardRule,
};
pub use self::bands::{band_of, bands_for, Band, NO_FALLBACK};
pub use self::dossiers::{dossier_totals, DossierPeriodKind, DossierTotal, DossierTotals};
pub use self::indicators::{trajectories, trajectory, Rag, Trajectory};
pub use self::league::{league_tables, BlockTable, LeagueEntry};
pub use self::pillars::{pillar_progress, PillarProgress};
pub use self::scorecard::{scorecard, scorecard_with, ParStanding, Scorecard};
pub(crate) use self::tallies::retally;
pub use self::tallies::{agency_tallies, agency_tally, AgencyTally};
pub(crate) use self::tasks::Admission;
pub use self::tasks::{select_tasks, tasks, TaskFilter, TaskOrder, TaskSelection};
pub use self::tenures::heads_of;
pub use crate::tree::{
    roll_up, rollup_tree, rollup_tree_in, rule_of, NodeRef, RollupInput, RollupNode, StatusCounts,
};
