//! Everything that can happen in the program, as facts in the past tense.
//!
//! Each variant of [`Event`] wraps a payload struct of the same name. The store keeps
//! the variant name as the event type and the payload as canonical JSON; a JSON Schema
//! per payload lives in `schema/events/` (see [`schemas`]).

use chrono::NaiveDate;
use schemars::{schema::RootSchema, JsonSchema};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, DocumentId, IndicatorId, StreamId, TaskId};
use crate::vocab::{
    AgencyTier, Block, Direction, JurisdictionLevel, Pillar, ProgramLevel, RollupRule,
    TaskCategory, Timeliness,
};

/// A person named in a record: a head of agency, a signer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    /// Full name with diacritics, e.g. "Võ Trọng Hải".
    pub name: String,
    /// Title, e.g. "Chủ tịch UBND tỉnh".
    pub title: Option<String>,
}

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

/// When a task is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", content = "date", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Deadline {
    /// Due on this date.
    On(NaiveDate),
    /// Ongoing work with no deadline (thường xuyên).
    Ongoing,
}

impl Deadline {
    /// The due date, if any.
    pub fn date(self) -> Option<NaiveDate> {
        match self {
            Deadline::On(d) => Some(d),
            Deadline::Ongoing => None,
        }
    }
}

/// The role an agency plays on a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskRole {
    /// The lead agency (cơ quan chủ trì).
    Lead,
    /// A coordinating agency (cơ quan phối hợp).
    Coordinator,
}

/// One field of a PAR INDEX evaluation (lĩnh vực), e.g. "Cải cách thể chế".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldScore {
    /// Field code or name as in the method (e.g. "INSTITUTIONAL", "DIRECTION").
    pub field: String,
    /// Maximum points of the field.
    pub max_points: f64,
    /// Points the agency gave itself.
    pub self_assessed: Option<f64>,
    /// Points after appraisal (thẩm định).
    pub appraised: f64,
}

/// The outcome of a PAR INDEX evaluation for one agency and year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParOutcome {
    /// Scored. The total may exceed 100 with bonus points.
    Scored {
        /// Scores by field (may be empty when only totals were published).
        field_scores: Vec<FieldScore>,
        /// Bonus points (điểm thưởng) on top of the fields; why a total can exceed 100.
        bonus_points: Option<f64>,
        /// Self-assessed total.
        self_assessed_total: Option<f64>,
        /// Appraised total: the published figure.
        total: f64,
    },
    /// Not evaluated that year (e.g. Hoàng Sa).
    NotEvaluated {
        /// Why not.
        reason: String,
    },
}

/// A one-stop dossier report in the shape of form II.06a. Balances by construction:
/// received = resolved + in process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DossierCounts {
    /// Received online.
    pub received_online: u64,
    /// Received in person or by post.
    pub received_in_person: u64,
    /// Carried over from the previous period.
    pub carried_over: u64,
    /// Resolved before the deadline.
    pub resolved_early: u64,
    /// Resolved on the deadline.
    pub resolved_on_time: u64,
    /// Resolved after the deadline.
    pub resolved_late: u64,
    /// Still in process, within the deadline.
    pub in_process_within_deadline: u64,
    /// Still in process, past the deadline.
    pub in_process_overdue: u64,
    /// Apology letters issued for late dossiers (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    pub apology_letters: u64,
    /// Dossiers whose results were digitised, if reported.
    pub digitised: Option<u64>,
}

impl DossierCounts {
    /// Dossiers received: online + in person + carried over.
    pub fn received(&self) -> u64 {
        self.received_online
            .saturating_add(self.received_in_person)
            .saturating_add(self.carried_over)
    }

    /// Dossiers resolved: early + on time + late.
    pub fn resolved(&self) -> u64 {
        self.resolved_early
            .saturating_add(self.resolved_on_time)
            .saturating_add(self.resolved_late)
    }

    /// Dossiers still in process: within deadline + overdue.
    pub fn in_process(&self) -> u64 {
        self.in_process_within_deadline
            .saturating_add(self.in_process_overdue)
    }

    /// Share of the period's new dossiers received online (carried-over ones left out).
    pub fn online_share(&self) -> Option<f64> {
        ratio(
            self.received_online,
            self.received_online.saturating_add(self.received_in_person),
        )
    }

    /// Share of resolved dossiers resolved early or on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(
            self.resolved_early.saturating_add(self.resolved_on_time),
            self.resolved(),
        )
    }

    /// Share of received dossiers resolved in the period.
    pub fn completion_rate(&self) -> Option<f64> {
        ratio(self.resolved(), self.received())
    }

    /// Share of received dossiers whose results were digitised, when reported.
    pub fn digitised_rate(&self) -> Option<f64> {
        ratio(self.digitised?, self.received())
    }

    /// Two reports added up, as for a province's total. Digitised counts add up only
    /// when both report them.
    pub fn plus(&self, other: &DossierCounts) -> DossierCounts {
        DossierCounts {
            received_online: self.received_online.saturating_add(other.received_online),
            received_in_person: self
                .received_in_person
                .saturating_add(other.received_in_person),
            carried_over: self.carried_over.saturating_add(other.carried_over),
            resolved_early: self.resolved_early.saturating_add(other.resolved_early),
            resolved_on_time: self.resolved_on_time.saturating_add(other.resolved_on_time),
            resolved_late: self.resolved_late.saturating_add(other.resolved_late),
            in_process_within_deadline: self
                .in_process_within_deadline
                .saturating_add(other.in_process_within_deadline),
            in_process_overdue: self
                .in_process_overdue
                .saturating_add(other.in_process_overdue),
            apology_letters: self.apology_letters.saturating_add(other.apology_letters),
            digitised: self
                .digitised
                .zip(other.digitised)
                .map(|(a, b)| a.saturating_add(b)),
        }
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A PAR INDEX band: its name as printed ("Xuất sắc", "A") and the lowest total
/// that earns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDefinition {
    /// Name.
    pub name: String,
    /// Lowest total in the band (0 for the last band).
    pub min_total: f64,
}

macro_rules! events {
    ($($(#[$doc:meta])* $name:ident [$version:literal] { $($(#[$fdoc:meta])* $field:ident : $ty:ty,)* })+) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $name { $($(#[$fdoc])* pub $field: $ty,)* }
        )+

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
    AgencyRegistered [1] {
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
    AgencyRenamed [1] {
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
    AgencyHeadAppointed [1] {
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
    AgencyMerged [1] {
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
    AgencyDissolved [1] {
        /// The agency.
        agency_id: AgencyId,
        /// From when.
        effective_on: NaiveDate,
        /// The legal basis.
        legal_basis: String,
    }
    /// A reform program was issued (the national 76/NQ-CP or a province's own).
    ProgramIssued [1] {
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
    DirectiveIssued [1] {
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
    PlanIssued [1] {
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
    DocumentAmended [1] {
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
    RollupRuleSet [1] {
        /// The program.
        document_id: DocumentId,
        /// The rule before.
        previous: RollupRule,
        /// The rule from now on.
        rule: RollupRule,
    }
    /// A task was created in a plan and assigned.
    TaskCreated [1] {
        /// The task.
        task_id: TaskId,
        /// Its number in the plan's task table (STT: "1", "2.3"), when it has one:
        /// with the plan, the key a re-imported table row is matched by.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        /// The plan whose task table holds it.
        plan: DocumentId,
        /// The parent task, for a subtask.
        parent_task: Option<TaskId>,
        /// The directive point it carries out, if any.
        directive_point: Option<DirectivePointRef>,
        /// Pillar or cross-cutting category.
        category: TaskCategory,
        /// What is to be done (nội dung nhiệm vụ).
        title: String,
        /// Longer description.
        description: Option<String>,
        /// Lead agency (cơ quan chủ trì).
        lead: AgencyId,
        /// Coordinating agencies (cơ quan phối hợp).
        coordinators: Vec<AgencyId>,
        /// Due date or ongoing.
        deadline: Deadline,
        /// Expected output (sản phẩm).
        expected_output: String,
        /// Weight in a weighted roll-up (≥ 1).
        weight: u32,
    }
    /// The lead agency of a task changed by decision.
    TaskReassigned [1] {
        /// The task.
        task_id: TaskId,
        /// Lead before.
        from_lead: AgencyId,
        /// Lead from now on.
        to_lead: AgencyId,
        /// New coordinators, if they changed.
        coordinators: Option<Vec<AgencyId>>,
    }
    /// A task passed from a merged agency to its successor.
    TaskTransferred [1] {
        /// The task.
        task_id: TaskId,
        /// The merged agency.
        from_agency: AgencyId,
        /// The successor.
        to_agency: AgencyId,
        /// The role the successor inherits.
        role: TaskRole,
        /// The legal basis of the merger.
        legal_basis: String,
    }
    /// A task's deadline was extended.
    TaskDeadlineExtended [1] {
        /// The task.
        task_id: TaskId,
        /// Deadline before.
        old_deadline: NaiveDate,
        /// Deadline from now on.
        new_deadline: NaiveDate,
    }
    /// An agency reported progress on a task.
    TaskProgressReported [1] {
        /// The task.
        task_id: TaskId,
        /// The reporting agency (lead or coordinator).
        reported_by: AgencyId,
        /// Percent complete, 0–100.
        percent: u8,
        /// What was done.
        note: String,
        /// References to evidence (document numbers, links).
        evidence: Vec<String>,
        /// Date the report speaks for.
        as_of: NaiveDate,
    }
    /// A task was completed by its lead agency.
    TaskCompleted [1] {
        /// The task.
        task_id: TaskId,
        /// The lead agency that completed it.
        completed_by: AgencyId,
        /// The output delivered.
        output: String,
        /// Date of completion.
        completed_on: NaiveDate,
        /// Early, on time or late against the deadline in force.
        timeliness: Timeliness,
        /// Days after the deadline (0 when not late).
        days_late: u32,
    }
    /// A completed or cancelled task was reopened.
    TaskReopened [1] {
        /// The task.
        task_id: TaskId,
    }
    /// A jurisdiction was established in the register.
    JurisdictionEstablished [1] {
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
    JurisdictionMerged [1] {
        /// The jurisdiction that ceased.
        code: String,
        /// The one that took it over.
        successor: String,
        /// The first day of the successor's responsibility.
        effective_on: NaiveDate,
        /// The resolution, e.g. "202/2025/QH15".
        legal_basis: String,
    }
    /// A jurisdiction's PAR INDEX bands from a year on (until a later year's scheme).
    BandSchemeSet [1] {
        /// VN for the national scheme, VN-DN…
        jurisdiction: String,
        /// The first year evaluated with these bands.
        from_year: i32,
        /// The bands, best first.
        bands: Vec<BandDefinition>,
        /// True when it replaces a scheme set for the same year.
        correction: bool,
    }
    /// A task's content was amended with its plan: only the fields that changed are
    /// present. Changes of lead are reassignments, not amendments.
    TaskAmended [1] {
        /// The task.
        task_id: TaskId,
        /// New title.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// New expected output.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_output: Option<String>,
        /// New pillar or cross-cutting category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        category: Option<TaskCategory>,
        /// New deadline (a date or ongoing), which may be earlier than the last one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<Deadline>,
        /// New coordinating agencies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        coordinators: Option<Vec<AgencyId>>,
    }
    /// A task was cancelled.
    TaskCancelled [1] {
        /// The task.
        task_id: TaskId,
    }
    /// An indicator was defined.
    IndicatorDefined [1] {
        /// The indicator.
        indicator_id: IndicatorId,
        /// Stable code, e.g. "ONLINE_PROCEDURES_L34".
        code: String,
        /// Name.
        name: String,
        /// Unit, e.g. "%".
        unit: String,
        /// Higher or lower is better.
        direction: Direction,
        /// Baseline value.
        baseline: Option<f64>,
        /// Date of the baseline.
        baseline_on: Option<NaiveDate>,
        /// Jurisdiction code.
        jurisdiction: String,
        /// The program that set it.
        program: Option<DocumentId>,
    }
    /// A target was set for an indicator for a year (replacing any earlier one).
    IndicatorTargetSet [1] {
        /// The indicator.
        indicator_id: IndicatorId,
        /// The year.
        year: i32,
        /// The target value.
        value: f64,
    }
    /// An indicator was measured.
    IndicatorMeasured [1] {
        /// The indicator.
        indicator_id: IndicatorId,
        /// Date the measurement speaks for.
        measured_on: NaiveDate,
        /// The value.
        value: f64,
        /// Where it comes from.
        source: Option<String>,
    }
    /// A PAR INDEX result was published for an agency and year.
    ParIndexPublished [1] {
        /// The agency.
        agency_id: AgencyId,
        /// The year evaluated.
        year: i32,
        /// The block it was ranked in.
        block: Block,
        /// Scores or "not evaluated".
        outcome: ParOutcome,
        /// The publishing decision, e.g. "1234/QĐ-UBND".
        decision: Option<String>,
        /// True when it replaces an earlier publication for the same year.
        correction: bool,
    }
    /// A SIPAS (satisfaction) result was published.
    SipasPublished [1] {
        /// The agency (a province's People's Committee, a ministry…).
        agency_id: AgencyId,
        /// The year surveyed.
        year: i32,
        /// Satisfaction index, percent.
        satisfaction_percent: f64,
        /// Respondents, if known.
        respondents: Option<u64>,
        /// True when it replaces an earlier publication for the same year.
        correction: bool,
    }
    /// One-stop dossier statistics were reported for a period.
    DossierStatisticsReported [1] {
        /// The reporting agency.
        agency_id: AgencyId,
        /// First day of the period.
        period_from: NaiveDate,
        /// Last day of the period.
        period_to: NaiveDate,
        /// Field (lĩnh vực), when reported per field.
        field: Option<String>,
        /// The counts.
        counts: DossierCounts,
        /// Satisfaction percent, if surveyed.
        satisfaction_percent: Option<f64>,
        /// True when it replaces an earlier report for the same period and field.
        correction: bool,
    }
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
