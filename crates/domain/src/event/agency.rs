//! Agencies' events: registered, renamed, heads appointed, merged, dissolved.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::AgencyId;
use crate::vocab::{AgencyTier, Block};

/// A person named in a record: a head of agency, a signer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    /// Full name with diacritics, e.g. "Võ Trọng Hải".
    pub name: String,
    /// Title, e.g. "Chủ tịch UBND tỉnh".
    pub title: Option<String>,
}

payloads! {
    /// An agency was registered.
    AgencyRegistered {
        /// The new agency.
        agency_id: AgencyId,
        /// Official name, e.g. "Sở Nội vụ thành phố Đà Nẵng".
        name: String,
        /// Short name, e.g. "Sở Nội vụ".
        short_name: Option<String>,
        /// Tier in the apparatus.
        tier: AgencyTier,
        /// PAR INDEX block, if it is ranked.
        block: Option<Block>,
        /// Jurisdiction code (ISO 3166-2:VN, e.g. "VN-DN"), or "VN" for national bodies.
        jurisdiction: String,
        /// The agency it reports to, e.g. the provincial People's Committee.
        parent: Option<AgencyId>,
    }
    /// An agency took a new name.
    AgencyRenamed {
        /// The agency.
        agency_id: AgencyId,
        /// The name before.
        old_name: String,
        /// The name from now on.
        new_name: String,
        /// From when.
        effective_on: NaiveDate,
    }
    /// A head of agency (người đứng đầu) was appointed; the previous head's tenure ends
    /// the day before.
    AgencyHeadAppointed {
        /// The agency.
        agency_id: AgencyId,
        /// The new head.
        head: Person,
        /// First day in office.
        from: NaiveDate,
        /// The head whose tenure this ends, if any.
        previous_head: Option<Person>,
        /// Last day of the previous head's tenure.
        previous_tenure_ended_on: Option<NaiveDate>,
        /// The appointing decision, e.g. "1234/QĐ-UBND".
        decision: Option<String>,
    }
    /// An agency was merged into a successor, which inherits its open tasks.
    AgencyMerged {
        /// The agency that ceases to exist.
        agency_id: AgencyId,
        /// The agency that takes over.
        successor: AgencyId,
        /// From when.
        effective_on: NaiveDate,
        /// The legal basis, e.g. "Nghị quyết 190/2025/QH15".
        legal_basis: String,
    }
    /// An agency was dissolved without a successor.
    AgencyDissolved {
        /// The agency.
        agency_id: AgencyId,
        /// From when.
        effective_on: NaiveDate,
        /// The legal basis.
        legal_basis: String,
    }
}
