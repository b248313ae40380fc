//! Agencies' state: names, tier, heads in office, whether they still exist.

use chrono::NaiveDate;

use super::World;
use crate::event::{
    AgencyDissolved, AgencyHeadAppointed, AgencyMerged, AgencyRegistered, AgencyRenamed, Person,
};
use crate::ids::AgencyId;
use crate::vocab::{AgencyTier, Block};

/// An agency and its history of names and heads.
#[derive(Clone, Debug, PartialEq)]
pub struct Agency {
    /// Identifier.
    pub id: AgencyId,
    /// Current name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Tier.
    pub tier: AgencyTier,
    /// PAR block.
    pub block: Option<Block>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Parent agency.
    pub parent: Option<AgencyId>,
    /// Active, merged or dissolved.
    pub status: AgencyStatus,
    /// Heads of agency, oldest first.
    pub heads: Vec<HeadTenure>,
    /// Earlier names with the date each stopped being used.
    pub former_names: Vec<(String, NaiveDate)>,
}

impl Agency {
    /// The head in office now, if any.
    pub fn current_head(&self) -> Option<&HeadTenure> {
        self.heads.last().filter(|h| h.to.is_none())
    }

    /// The head in office on a date.
    pub fn head_on(&self, date: NaiveDate) -> Option<&HeadTenure> {
        self.heads
            .iter()
            .find(|h| h.from <= date && h.to.is_none_or(|to| date <= to))
    }
}

/// Whether an agency still exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgencyStatus {
    /// In existence.
    Active,
    /// Merged into a successor.
    Merged {
        /// The successor.
        successor: AgencyId,
        /// From when.
        on: NaiveDate,
    },
    /// Dissolved.
    Dissolved {
        /// From when.
        on: NaiveDate,
    },
}

/// One head's time in office.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadTenure {
    /// The head.
    pub head: Person,
    /// First day.
    pub from: NaiveDate,
    /// Last day, when the tenure has ended.
    pub to: Option<NaiveDate>,
    /// Appointing decision.
    pub decision: Option<String>,
}

/// Folds [`AgencyRegistered`].
pub(super) fn registered(world: &mut World, e: &AgencyRegistered) {
    world.agencies.insert(
        e.agency_id,
        Agency {
            id: e.agency_id,
            name: e.name.clone(),
            short_name: e.short_name.clone(),
            tier: e.tier,
            block: e.block,
            jurisdiction: e.jurisdiction.clone(),
            parent: e.parent,
            status: AgencyStatus::Active,
            heads: Vec::new(),
            former_names: Vec::new(),
        },
    );
}

/// Folds [`AgencyRenamed`].
pub(super) fn renamed(world: &mut World, e: &AgencyRenamed) {
    if let Some(a) = world.agencies.get_mut(&e.agency_id) {
        a.former_names
            .push((std::mem::take(&mut a.name), e.effective_on));
        a.name = e.new_name.clone();
    }
}

/// Folds [`AgencyHeadAppointed`].
pub(super) fn head_appointed(world: &mut World, e: &AgencyHeadAppointed) {
    if let Some(a) = world.agencies.get_mut(&e.agency_id) {
        if let (Some(last), Some(end)) = (a.heads.last_mut(), e.previous_tenure_ended_on) {
            last.to.get_or_insert(end);
        }
        a.heads.push(HeadTenure {
            head: e.head.clone(),
            from: e.from,
            to: None,
            decision: e.decision.clone(),
        });
    }
}

/// Folds [`AgencyMerged`].
pub(super) fn merged(world: &mut World, e: &AgencyMerged) {
    if let Some(a) = world.agencies.get_mut(&e.agency_id) {
        a.status = AgencyStatus::Merged {
            successor: e.successor,
            on: e.effective_on,
        };
        end_tenure(a, e.effective_on);
    }
}

/// Folds [`AgencyDissolved`].
pub(super) fn dissolved(world: &mut World, e: &AgencyDissolved) {
    if let Some(a) = world.agencies.get_mut(&e.agency_id) {
        a.status = AgencyStatus::Dissolved { on: e.effective_on };
        end_tenure(a, e.effective_on);
    }
}

/// A merged or dissolved agency's head leaves office the day before it ceases.
fn end_tenure(agency: &mut Agency, ceased_on: NaiveDate) {
    if let Some(last) = agency.heads.last_mut() {
        if last.to.is_none() {
            last.to = Some(ceased_on.pred_opt().unwrap_or(ceased_on).max(last.from));
        }
    }
}
