//! The register's events: jurisdictions established and merged.

use chrono::NaiveDate;

use crate::vocab::JurisdictionLevel;

payloads! {
    /// A jurisdiction was established in the register.
    JurisdictionEstablished {
        /// VN, an ISO 3166-2:VN code such as VN-DN, or a code under one (VN-HN-HD).
        code: String,
        /// Its Vietnamese name, e.g. "Thành phố Đà Nẵng".
        name: String,
        /// Nation, province, district or commune.
        level: JurisdictionLevel,
        /// The jurisdiction it lies in (none for the nation).
        parent: Option<String>,
        /// The day it came into being (or was first recorded).
        established_on: NaiveDate,
        /// The resolution that established it, e.g. "202/2025/QH15".
        legal_basis: Option<String>,
    }
    /// A jurisdiction ceased by merging into its successor, which answers from then on
    /// for its plans, agencies and results. Its records keep its code.
    JurisdictionMerged {
        /// The jurisdiction that ceased.
        code: String,
        /// The one that took it over.
        successor: String,
        /// The first day of the successor's responsibility.
        effective_on: NaiveDate,
        /// The resolution, e.g. "202/2025/QH15".
        legal_basis: String,
    }
}
