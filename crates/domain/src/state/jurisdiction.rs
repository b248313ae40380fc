//! The register's state: each jurisdiction, its parent and, once merged, its successor.

use chrono::NaiveDate;

use super::World;
use crate::event::{JurisdictionEstablished, JurisdictionMerged};
use crate::vocab::JurisdictionLevel;

/// A jurisdiction of the register.
#[derive(Clone, Debug, PartialEq)]
pub struct Jurisdiction {
    /// Its code (VN, VN-DN…).
    pub code: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Nation, province, district or commune.
    pub level: JurisdictionLevel,
    /// The jurisdiction it lies in.
    pub parent: Option<String>,
    /// The day it came into being.
    pub established_on: NaiveDate,
    /// When it ceased: its successor and the first day of the successor's
    /// responsibility.
    pub merged_into: Option<(String, NaiveDate)>,
}

/// Folds [`JurisdictionEstablished`].
pub(super) fn established(world: &mut World, e: &JurisdictionEstablished) {
    world.jurisdictions.insert(
        e.code.clone(),
        Jurisdiction {
            code: e.code.clone(),
            name: e.name.clone(),
            level: e.level,
            parent: e.parent.clone(),
            established_on: e.established_on,
            merged_into: None,
        },
    );
}

/// Folds [`JurisdictionMerged`].
pub(super) fn merged(world: &mut World, e: &JurisdictionMerged) {
    if let Some(j) = world.jurisdictions.get_mut(&e.code) {
        j.merged_into = Some((e.successor.clone(), e.effective_on));
    }
}
