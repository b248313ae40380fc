//! Documents' events: programs, directives and plans issued and amended, a program's roll-up rule.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::agency::Person;
use crate::ids::{AgencyId, DocumentId};
use crate::vocab::{Pillar, ProgramLevel, RollupRule};

/// The identity every document carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentHeader {
    /// Number and symbol (số/ký hiệu), e.g. "3504/QĐ-UBND".
    pub number: String,
    /// Title (trích yếu).
    pub title: String,
    /// Date of issue.
    pub issued_on: NaiveDate,
    /// The issuing body as printed, e.g. "UBND tỉnh Hà Tĩnh".
    pub issuer: String,
    /// The registered agency that issued it, when it is one.
    pub issuing_agency: Option<AgencyId>,
    /// Who signed it.
    pub signer: Option<Person>,
}

/// A span of years a program or plan covers, inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Period {
    /// First year.
    pub from_year: i32,
    /// Last year.
    pub to_year: i32,
}

/// A numbered point of a directive ("Thứ nhất …").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DirectivePoint {
    /// 1-based number of the point.
    pub number: u32,
    /// What the point orders.
    pub text: String,
    /// The pillars the point serves (may be empty for cross-cutting points).
    pub pillars: Vec<Pillar>,
}

/// A reference to one numbered point of a directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DirectivePointRef {
    /// The directive.
    pub directive: DocumentId,
    /// The point's number.
    pub point: u32,
}

payloads! {
    /// A reform program was issued (the national 76/NQ-CP or a province's own).
    ProgramIssued {
        /// The program.
        document_id: DocumentId,
        /// Number, title, date, issuer, signer.
        header: DocumentHeader,
        /// National or provincial.
        level: ProgramLevel,
        /// Jurisdiction code ("VN" or a province).
        jurisdiction: String,
        /// The program it implements (a provincial program implements the national one).
        parent_program: Option<DocumentId>,
        /// Years covered.
        period: Period,
    }
    /// A directive (chỉ thị) was issued.
    DirectiveIssued {
        /// The directive.
        document_id: DocumentId,
        /// Number, title, date, issuer, signer.
        header: DocumentHeader,
        /// The program it serves.
        program: Option<DocumentId>,
        /// Jurisdiction code.
        jurisdiction: String,
        /// Its numbered points.
        points: Vec<DirectivePoint>,
    }
    /// A plan (kế hoạch) was issued.
    PlanIssued {
        /// The plan.
        document_id: DocumentId,
        /// Number, title, date, issuer, signer.
        header: DocumentHeader,
        /// The program or directive it implements.
        implements: DocumentId,
        /// The agency that issued the plan and owns its task table.
        issuing_agency: AgencyId,
        /// Jurisdiction code.
        jurisdiction: String,
        /// Years covered.
        period: Period,
    }
    /// A document was amended. Only the fields that changed are present.
    DocumentAmended {
        /// The document.
        document_id: DocumentId,
        /// The amending instrument, if any (e.g. "15/QĐ-UBND").
        amended_by: Option<String>,
        /// New title.
        title: Option<String>,
        /// New signer.
        signer: Option<Person>,
        /// New period (programs and plans).
        period: Option<Period>,
        /// New list of points (directives).
        points: Option<Vec<DirectivePoint>>,
    }
    /// A program chose how its percentages are made from its tasks'.
    RollupRuleSet {
        /// The program.
        document_id: DocumentId,
        /// The rule before.
        previous: RollupRule,
        /// The rule from now on.
        rule: RollupRule,
    }
}
