//! Identifiers of the things the program tracks, and of the streams their events live in.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Namespace for identifiers derived from natural keys (an indicator's code).
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_2b7e_76a0_4c1d_9a3e_2021_2030_0076);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $category:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// The stream category this identifier's events are kept under.
            pub const CATEGORY: &'static str = $category;

            /// A fresh, time-ordered identifier (UUIDv7). Identifiers are chosen by the
            /// caller, so that a retried command names the same entity.
            pub fn generate() -> Self {
                Self(Uuid::now_v7())
            }

            /// The stream holding this entity's events.
            pub fn stream(&self) -> StreamId {
                StreamId(format!("{}-{}", $category, self.0))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An agency (cơ quan): a ministry, a People's Committee, a department, a commune…
    AgencyId, "agency"
);
id_type!(
    /// A document: program (chương trình), directive (chỉ thị) or plan (kế hoạch).
    DocumentId, "document"
);
id_type!(
    /// A task (nhiệm vụ) assigned by a plan.
    TaskId, "task"
);
id_type!(
    /// An indicator measured over the years, e.g. the share of procedures online.
    IndicatorId, "indicator"
);
id_type!(
    /// The evaluation record of one agency: PAR INDEX, SIPAS and dossier statistics.
    /// It shares its value with the agency's id but lives in its own stream, so that
    /// publishing results never conflicts with edits to the agency.
    EvaluationsId, "evaluations"
);

id_type!(
    /// The PAR INDEX band schemes of one jurisdiction: one stream per jurisdiction,
    /// holding its schemes year by year.
    BandSchemeId, "bands"
);

id_type!(
    /// A jurisdiction of the register (the nation, a province, a commune): one stream
    /// per code, so a code cannot be established twice.
    JurisdictionId, "jurisdiction"
);

impl JurisdictionId {
    /// The jurisdiction with this code (VN, VN-DN…).
    pub fn for_code(code: &str) -> Self {
        Self(Uuid::new_v5(
            &NAMESPACE,
            format!("jurisdiction/{}", code.trim().to_uppercase()).as_bytes(),
        ))
    }
}

impl BandSchemeId {
    /// The band schemes of a jurisdiction (VN-DN, VN…).
    pub fn for_jurisdiction(jurisdiction: &str) -> Self {
        Self(Uuid::new_v5(
            &NAMESPACE,
            format!("bands/{}", jurisdiction.trim().to_uppercase()).as_bytes(),
        ))
    }
}

impl IndicatorId {
    /// Indicators are identified by their code: the same code always names the same
    /// stream, so a code cannot be defined twice.
    pub fn for_code(code: &str) -> Self {
        Self(Uuid::new_v5(
            &NAMESPACE,
            code.trim().to_uppercase().as_bytes(),
        ))
    }
}

impl TaskId {
    /// The task a plan's table row numbered `reference` (STT) stands for: importing
    /// the same table twice, even at once from two places, names the same tasks.
    pub fn for_plan_row(plan: DocumentId, reference: &str) -> Self {
        Self(Uuid::new_v5(
            &NAMESPACE,
            format!("{}/{}", plan.0, reference.trim()).as_bytes(),
        ))
    }
}

impl From<AgencyId> for EvaluationsId {
    fn from(agency: AgencyId) -> Self {
        Self(agency.0)
    }
}

/// The name of an event stream: `<category>-<uuid>`, one stream per entity.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct StreamId(pub String);

impl StreamId {
    /// The category, the part before the first `-` (`task` for `task-0190…`).
    pub fn category(&self) -> &str {
        self.0.split_once('-').map_or(self.0.as_str(), |(c, _)| c)
    }

    /// The stream name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for StreamId {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}
