//! Everything that can happen in the program, as facts in the past tense.
//!
//! Each variant of [`Event`] wraps a payload struct of the same name, defined with its
//! area's other payloads (agency, document, task, jurisdiction, measure, as the rules
//! are in `decide/`). The store keeps the variant name as the event type and the
//! payload as canonical JSON; a JSON Schema per payload lives in `schema/events/` (see
//! [`schemas`]).

use schemars::schema::RootSchema;

use crate::ids::StreamId;

/// Payload structs: each with the derives and serde settings every payload has.
macro_rules! payloads {
    ($($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty,)* })+) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $name { $($(#[$fdoc])* pub $field: $ty,)* }
        )+
    };
}

mod agency;
mod document;
mod jurisdiction;
mod measure;
mod task;

pub use agency::*;
pub use document::*;
pub use jurisdiction::*;
pub use measure::*;
pub use task::*;

/// The [`Event`] enum over the payloads, in the order given (the order of
/// [`Event::TYPES`]), with each type's schema version.
macro_rules! events {
    ($($(#[$doc:meta])* $name:ident [$version:literal])+) => {
        /// Every fact the program records.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event { $($(#[$doc])* $name($name),)+ }

        impl Event {
            /// Every event type name, as stored.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($name),)+];

            /// The stored event type name (`TaskCreated`).
            pub fn event_type(&self) -> &'static str {
                match self { $(Event::$name(_) => stringify!($name),)+ }
            }

            /// The version of the payload's shape; bumped when a payload changes
            /// incompatibly, with an upcaster in [`Event::decode`].
            pub fn schema_version(&self) -> u32 {
                match self { $(Event::$name(_) => $version,)+ }
            }

            /// The payload as canonical JSON: struct fields in declaration order, no
            /// whitespace. Deterministic, so a hash over it is stable.
            pub fn payload_json(&self) -> String {
                // Serialising these plain structs cannot fail: no maps with non-string
                // keys, no custom serialisers.
                match self { $(Event::$name(p) => serde_json::to_string(p).unwrap_or_default(),)+ }
            }

            /// Rebuilds an event from its stored type, schema version and payload.
            pub fn decode(event_type: &str, schema_version: u32, payload: &str) -> Result<Event, DecodeError> {
                match (event_type, schema_version) {
                    $((stringify!($name), $version) => serde_json::from_str(payload)
                        .map(Event::$name)
                        .map_err(|e| DecodeError::Payload { event_type: event_type.to_owned(), message: e.to_string() }),)+
                    _ => Err(DecodeError::UnknownType { event_type: event_type.to_owned(), schema_version }),
                }
            }
        }

        /// The JSON Schema of every event payload, by event type name.
        pub fn schemas() -> Vec<(&'static str, RootSchema)> {
            vec![$((stringify!($name), schemars::schema_for!($name)),)+]
        }
    };
}

/// A stored event could not be read back into a domain event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The type or its schema version is not known to this build.
    #[error("unknown event type {event_type} v{schema_version}")]
    UnknownType {
        /// Stored type name.
        event_type: String,
        /// Stored schema version.
        schema_version: u32,
    },
    /// The payload does not fit the type.
    #[error("payload of {event_type} does not fit its schema: {message}")]
    Payload {
        /// Stored type name.
        event_type: String,
        /// What serde said.
        message: String,
    },
}

events! {
    /// An agency was registered.
    AgencyRegistered [1]
    /// An agency took a new name.
    AgencyRenamed [1]
    /// A head of agency (người đứng đầu) was appointed; the previous head's tenure ends
    /// the day before.
    AgencyHeadAppointed [1]
    /// An agency was merged into a successor, which inherits its open tasks.
    AgencyMerged [1]
    /// An agency was dissolved without a successor.
    AgencyDissolved [1]
    /// A reform program was issued (the national 76/NQ-CP or a province's own).
    ProgramIssued [1]
    /// A directive (chỉ thị) was issued.
    DirectiveIssued [1]
    /// A plan (kế hoạch) was issued.
    PlanIssued [1]
    /// A document was amended. Only the fields that changed are present.
    DocumentAmended [1]
    /// A program chose how its percentages are made from its tasks'.
    RollupRuleSet [1]
    /// A task was created in a plan and assigned.
    TaskCreated [1]
    /// The lead agency of a task changed by decision.
    TaskReassigned [1]
    /// A task passed from a merged agency to its successor.
    TaskTransferred [1]
    /// A task's deadline was extended.
    TaskDeadlineExtended [1]
    /// An agency reported progress on a task.
    TaskProgressReported [1]
    /// A task was completed by its lead agency.
    TaskCompleted [1]
    /// A completed or cancelled task was reopened.
    TaskReopened [1]
    /// A jurisdiction was established in the register.
    JurisdictionEstablished [1]
    /// A jurisdiction ceased by merging into its successor, which answers from then on
    /// for its plans, agencies and results. Its records keep its code.
    JurisdictionMerged [1]
    /// A jurisdiction's PAR INDEX bands from a year on (until a later year's scheme).
    BandSchemeSet [1]
    /// A task's content was amended with its plan: only the fields that changed are
    /// present. Changes of lead are reassignments, not amendments.
    TaskAmended [1]
    /// A task was cancelled.
    TaskCancelled [1]
    /// An indicator was defined.
    IndicatorDefined [1]
    /// A target was set for an indicator for a year (replacing any earlier one).
    IndicatorTargetSet [1]
    /// An indicator was measured.
    IndicatorMeasured [1]
    /// A PAR INDEX result was published for an agency and year.
    ParIndexPublished [1]
    /// A SIPAS (satisfaction) result was published.
    SipasPublished [1]
    /// One-stop dossier statistics were reported for a period.
    DossierStatisticsReported [1]
}

impl Event {
    /// The stream this event belongs to.
    pub fn stream(&self) -> StreamId {
        use crate::ids::EvaluationsId;
        match self {
            Event::JurisdictionEstablished(e) => {
                crate::ids::JurisdictionId::for_code(&e.code).stream()
            }
            Event::JurisdictionMerged(e) => crate::ids::JurisdictionId::for_code(&e.code).stream(),
            Event::AgencyRegistered(e) => e.agency_id.stream(),
            Event::AgencyRenamed(e) => e.agency_id.stream(),
            Event::AgencyHeadAppointed(e) => e.agency_id.stream(),
            Event::AgencyMerged(e) => e.agency_id.stream(),
            Event::AgencyDissolved(e) => e.agency_id.stream(),
            Event::ProgramIssued(e) => e.document_id.stream(),
            Event::DirectiveIssued(e) => e.document_id.stream(),
            Event::PlanIssued(e) => e.document_id.stream(),
            Event::DocumentAmended(e) => e.document_id.stream(),
            Event::RollupRuleSet(e) => e.document_id.stream(),
            Event::TaskCreated(e) => e.task_id.stream(),
            Event::TaskAmended(e) => e.task_id.stream(),
            Event::BandSchemeSet(e) => {
                crate::ids::BandSchemeId::for_jurisdiction(&e.jurisdiction).stream()
            }
            Event::TaskReassigned(e) => e.task_id.stream(),
            Event::TaskTransferred(e) => e.task_id.stream(),
            Event::TaskDeadlineExtended(e) => e.task_id.stream(),
            Event::TaskProgressReported(e) => e.task_id.stream(),
            Event::TaskCompleted(e) => e.task_id.stream(),
            Event::TaskReopened(e) => e.task_id.stream(),
            Event::TaskCancelled(e) => e.task_id.stream(),
            Event::IndicatorDefined(e) => e.indicator_id.stream(),
            Event::IndicatorTargetSet(e) => e.indicator_id.stream(),
            Event::IndicatorMeasured(e) => e.indicator_id.stream(),
            Event::ParIndexPublished(e) => EvaluationsId::from(e.agency_id).stream(),
            Event::SipasPublished(e) => EvaluationsId::from(e.agency_id).stream(),
            Event::DossierStatisticsReported(e) => EvaluationsId::from(e.agency_id).stream(),
        }
    }
}
