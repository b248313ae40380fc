//! The register of jurisdictions as the API shows it: the nation, provinces, districts
//! (until 1 July 2025) and communes, with their parents and successors.

pub(crate) mod mutation;
pub(crate) mod query;

use async_graphql::Object;
use chrono::NaiveDate;
use reform_projections::JurisdictionRow;

use crate::scope::{Found, Scope};
use crate::vocab::JurisdictionLevelInfo;

/// A jurisdiction of the register (đơn vị hành chính).
pub struct Jurisdiction {
    scope: Scope,
    row: JurisdictionRow,
}

impl Scope {
    /// The registered jurisdiction `code`, if the viewer may read it (every signed-in
    /// role reads the register: it is public).
    pub fn jurisdiction(&self, code: &str) -> Option<Jurisdiction> {
        self.model
            .jurisdiction(&code.trim().to_uppercase())
            .map(|row| Jurisdiction {
                scope: self.clone(),
                row: row.clone(),
            })
    }
}

impl Found for Jurisdiction {
    type Id = String;
    fn found(scope: &Scope, code: String) -> Option<Self> {
        scope.jurisdiction(&code)
    }
}

/// A jurisdiction of the national register: the nation, a province or centrally-run
/// city, a district or a commune, with its parent and, once merged, its successor.
#[Object]
impl Jurisdiction {
    /// Its code: VN, an ISO 3166-2:VN code (VN-DN), or one under it (VN-HN-HD).
    async fn code(&self) -> &str {
        &self.row.code
    }
    /// Its Vietnamese name, e.g. "Thành phố Đà Nẵng".
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// Nation, province, district or commune.
    async fn level(&self) -> JurisdictionLevelInfo {
        self.row.level.into()
    }
    /// The jurisdiction it lies in (none for the nation).
    async fn parent(&self) -> Option<Jurisdiction> {
        self.scope.jurisdiction(self.row.parent.as_deref()?)
    }
    /// The day it came into being (or was first recorded).
    async fn established_on(&self) -> NaiveDate {
        self.row.established_on
    }
    /// The jurisdiction it merged into, which answers for its plans, agencies and
    /// results from `mergedOn` (Quảng Nam into Đà Nẵng on 1 July 2025).
    async fn successor(&self) -> Option<Jurisdiction> {
        self.scope.jurisdiction(self.row.successor.as_deref()?)
    }
    /// The first day of the successor's responsibility.
    async fn merged_on(&self) -> Option<NaiveDate> {
        self.row.merged_on
    }
    /// The province it belongs to today, through its parents and successors.
    async fn province(&self) -> Option<Jurisdiction> {
        self.scope
            .jurisdiction(&self.scope.model.province_of(&self.row.code))
    }
    /// The jurisdictions that merged into it.
    async fn predecessors(&self) -> Vec<Jurisdiction> {
        self.scope
            .model
            .jurisdictions
            .values()
            .filter(|j| j.successor.as_deref() == Some(self.row.code.as_str()))
            .filter_map(|j| self.scope.jurisdiction(&j.code))
            .collect()
    }
}
