//! What users ask the program to do. A command is a request; only [`crate::decide`]
//! turns it into events, or refuses it with a [`crate::DomainError`].
//!
//! Business time comes in the command (`today`, dates): the domain has no clock.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::event::{
    BandDefinition, Deadline, DirectivePoint, DirectivePointRef, DocumentHeader, DossierCounts,
    ParOutcome, Period, Person,
};
use crate::ids::{
    AgencyId, BandSchemeId, DocumentId, EvaluationsId, IndicatorId, JurisdictionId, StreamId,
    TaskId,
};
use crate::vocab::{
    AgencyTier, Block, Direction, JurisdictionLevel, ProgramLevel, RollupRule, TaskCategory,
};

/// Every command the program accepts. Field names match the events they cause.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all_fields = "snake_case")]
pub enum Command {
    /// Establish a jurisdiction of the register: the nation, a province, a district or
    /// a commune, under its parent (none for the nation).
    EstablishJurisdiction {
        code: String,
        name: String,
        level: JurisdictionLevel,
        parent: Option<String>,
        established_on: NaiveDate,
        legal_basis: Option<String>,
    },
    /// A jurisdiction ceases by merging into its successor, which answers for its
    /// plans, agencies and results from `effective_on` (the 1 July 2025
    /// reorganisation: Quảng Nam into Đà Nẵng, Hoài Đức district into Hà Nội).
    MergeJurisdiction {
        code: String,
        successor: String,
        effective_on: NaiveDate,
        legal_basis: String,
    },
    /// Register an agency.
    RegisterAgency {
        agency_id: AgencyId,
        name: String,
        short_name: Option<String>,
        tier: AgencyTier,
        block: Option<Block>,
        jurisdiction: String,
        parent: Option<AgencyId>,
    },
    /// Rename an agency.
    RenameAgency {
        agency_id: AgencyId,
        new_name: String,
        effective_on: NaiveDate,
        reason: String,
    },
    /// Appoint a head of agency; the previous head's tenure ends the day before `from`.
    AppointHead {
        agency_id: AgencyId,
        head: Person,
        from: NaiveDate,
        decision: Option<String>,
    },
    /// Merge an agency into its successor. Its open tasks pass to the successor
    /// through [`Command::TransferTask`] commands (see [`crate::policy`]).
    MergeAgency {
        agency_id: AgencyId,
        successor: AgencyId,
        effective_on: NaiveDate,
        legal_basis: String,
    },
    /// Dissolve an agency without a successor.
    DissolveAgency {
        agency_id: AgencyId,
        effective_on: NaiveDate,
        legal_basis: String,
        reason: String,
    },
    /// Record a reform program.
    IssueProgram {
        document_id: DocumentId,
        header: DocumentHeader,
        level: ProgramLevel,
        jurisdiction: String,
        parent_program: Option<DocumentId>,
        period: Period,
    },
    /// Record a directive with its numbered points.
    IssueDirective {
        document_id: DocumentId,
        header: DocumentHeader,
        program: Option<DocumentId>,
        jurisdiction: String,
        points: Vec<DirectivePoint>,
    },
    /// Record a plan.
    IssuePlan {
        document_id: DocumentId,
        header: DocumentHeader,
        implements: DocumentId,
        issuing_agency: AgencyId,
        jurisdiction: String,
        period: Period,
    },
    /// Amend a document; fields left `None` stay as they are.
    AmendDocument {
        document_id: DocumentId,
        amended_by: Option<String>,
        title: Option<String>,
        signer: Option<Person>,
        period: Option<Period>,
        points: Option<Vec<DirectivePoint>>,
        reason: String,
    },
    /// Choose how a program's percentages are made from its tasks'.
    SetRollupRule {
        document_id: DocumentId,
        rule: RollupRule,
        reason: String,
    },
    /// Create a task in a plan and assign it.
    CreateTask {
        task_id: TaskId,
        /// Number in the plan's task table (STT), if any.
        #[serde(default)]
        reference: Option<String>,
        plan: DocumentId,
        parent_task: Option<TaskId>,
        directive_point: Option<DirectivePointRef>,
        category: TaskCategory,
        title: String,
        description: Option<String>,
        lead: AgencyId,
        coordinators: Vec<AgencyId>,
        deadline: Deadline,
        expected_output: String,
        weight: Option<u32>,
    },
    /// Amend a task's content with its plan; fields left `None` stay as they are.
    AmendTask {
        task_id: TaskId,
        title: Option<String>,
        expected_output: Option<String>,
        category: Option<TaskCategory>,
        deadline: Option<Deadline>,
        coordinators: Option<Vec<AgencyId>>,
        reason: String,
    },
    /// Give a task to another lead agency.
    ReassignTask {
        task_id: TaskId,
        new_lead: AgencyId,
        coordinators: Option<Vec<AgencyId>>,
        reason: String,
    },
    /// Pass a task from a merged agency to its successor (issued by the merger policy).
    TransferTask {
        task_id: TaskId,
        from_agency: AgencyId,
        to_agency: AgencyId,
        legal_basis: String,
    },
    /// Extend a task's deadline.
    ExtendDeadline {
        task_id: TaskId,
        new_deadline: NaiveDate,
        reason: String,
    },
    /// Report progress on a task, as its lead or a coordinating agency.
    ReportProgress {
        task_id: TaskId,
        reporter_agency: AgencyId,
        percent: u8,
        note: String,
        evidence: Vec<String>,
        as_of: NaiveDate,
    },
    /// Complete a task, as its lead agency.
    CompleteTask {
        task_id: TaskId,
        reporter_agency: AgencyId,
        output: String,
        completed_on: NaiveDate,
    },
    /// Reopen a completed or cancelled task.
    ReopenTask { task_id: TaskId, reason: String },
    /// Cancel a task.
    CancelTask { task_id: TaskId, reason: String },
    /// Define an indicator.
    DefineIndicator {
        code: String,
        name: String,
        unit: String,
        direction: Direction,
        baseline: Option<f64>,
        baseline_on: Option<NaiveDate>,
        jurisdiction: String,
        program: Option<DocumentId>,
    },
    /// Set an indicator's target for a year.
    SetIndicatorTarget {
        indicator_id: IndicatorId,
        year: i32,
        value: f64,
    },
    /// Record a measurement of an indicator.
    RecordMeasurement {
        indicator_id: IndicatorId,
        measured_on: NaiveDate,
        value: f64,
        source: Option<String>,
    },
    /// Publish an agency's PAR INDEX result for a year. Publishing a year again is a
    /// correction and needs a reason.
    PublishParIndex {
        agency_id: AgencyId,
        year: i32,
        block: Block,
        outcome: ParOutcome,
        decision: Option<String>,
        reason: Option<String>,
    },
    /// Publish an agency's SIPAS result for a year.
    PublishSipas {
        agency_id: AgencyId,
        year: i32,
        satisfaction_percent: f64,
        respondents: Option<u64>,
        reason: Option<String>,
    },
    /// Set a jurisdiction's PAR INDEX bands from a year on. Setting a year again is a
    /// correction and needs a reason.
    SetBandScheme {
        jurisdiction: String,
        from_year: i32,
        bands: Vec<BandDefinition>,
        reason: Option<String>,
    },
    /// Report one-stop dossier statistics (form II.06a) for a period.
    ReportDossierStatistics {
        agency_id: AgencyId,
        period_from: NaiveDate,
        period_to: NaiveDate,
        field: Option<String>,
        counts: DossierCounts,
        satisfaction_percent: Option<f64>,
        reason: Option<String>,
    },
}

impl Command {
    /// The command's name, as used in logs and errors (`CreateTask`).
    pub fn name(&self) -> &'static str {
        match self {
            Command::EstablishJurisdiction { .. } => "EstablishJurisdiction",
            Command::MergeJurisdiction { .. } => "MergeJurisdiction",
            Command::RegisterAgency { .. } => "RegisterAgency",
            Command::RenameAgency { .. } => "RenameAgency",
            Command::AppointHead { .. } => "AppointHead",
            Command::MergeAgency { .. } => "MergeAgency",
            Command::DissolveAgency { .. } => "DissolveAgency",
            Command::IssueProgram { .. } => "IssueProgram",
            Command::IssueDirective { .. } => "IssueDirective",
            Command::IssuePlan { .. } => "IssuePlan",
            Command::AmendDocument { .. } => "AmendDocument",
            Command::SetRollupRule { .. } => "SetRollupRule",
            Command::CreateTask { .. } => "CreateTask",
            Command::AmendTask { .. } => "AmendTask",
            Command::ReassignTask { .. } => "ReassignTask",
            Command::TransferTask { .. } => "TransferTask",
            Command::ExtendDeadline { .. } => "ExtendDeadline",
            Command::ReportProgress { .. } => "ReportProgress",
            Command::CompleteTask { .. } => "CompleteTask",
            Command::ReopenTask { .. } => "ReopenTask",
            Command::CancelTask { .. } => "CancelTask",
            Command::DefineIndicator { .. } => "DefineIndicator",
            Command::SetIndicatorTarget { .. } => "SetIndicatorTarget",
            Command::RecordMeasurement { .. } => "RecordMeasurement",
            Command::PublishParIndex { .. } => "PublishParIndex",
            Command::PublishSipas { .. } => "PublishSipas",
            Command::ReportDossierStatistics { .. } => "ReportDossierStatistics",
            Command::SetBandScheme { .. } => "SetBandScheme",
        }
    }

    /// The stream the command writes to. Every command writes exactly one stream.
    pub fn target(&self) -> StreamId {
        match self {
            Command::EstablishJurisdiction { code, .. }
            | Command::MergeJurisdiction { code, .. } => JurisdictionId::for_code(code).stream(),
            Command::RegisterAgency { agency_id, .. }
            | Command::RenameAgency { agency_id, .. }
            | Command::AppointHead { agency_id, .. }
            | Command::MergeAgency { agency_id, .. }
            | Command::DissolveAgency { agency_id, .. } => agency_id.stream(),
            Command::IssueProgram { document_id, .. }
            | Command::IssueDirective { document_id, .. }
            | Command::IssuePlan { document_id, .. }
            | Command::AmendDocument { document_id, .. }
            | Command::SetRollupRule { document_id, .. } => document_id.stream(),
            Command::CreateTask { task_id, .. }
            | Command::AmendTask { task_id, .. }
            | Command::ReassignTask { task_id, .. }
            | Command::TransferTask { task_id, .. }
            | Command::ExtendDeadline { task_id, .. }
            | Command::ReportProgress { task_id, .. }
            | Command::CompleteTask { task_id, .. }
            | Command::ReopenTask { task_id, .. }
            | Command::CancelTask { task_id, .. } => task_id.stream(),
            Command::DefineIndicator { code, .. } => IndicatorId::for_code(code).stream(),
            Command::SetIndicatorTarget { indicator_id, .. }
            | Command::RecordMeasurement { indicator_id, .. } => indicator_id.stream(),
            Command::PublishParIndex { agency_id, .. }
            | Command::PublishSipas { agency_id, .. }
            | Command::ReportDossierStatistics { agency_id, .. } => {
                EvaluationsId::from(*agency_id).stream()
            }
            Command::SetBandScheme { jurisdiction, .. } => {
                BandSchemeId::for_jurisdiction(jurisdiction).stream()
            }
        }
    }

    /// Every stream whose state [`crate::decide`] needs to judge the command: the target
    /// first, then the entities it refers to (agencies it assigns work to, the plan…).
    pub fn reads(&self) -> Vec<StreamId> {
        let mut streams = vec![self.target()];
        let mut add = |s: StreamId| {
            if !streams.contains(&s) {
                streams.push(s);
            }
        };
        // A new record's jurisdiction, and the nation: whether the register is loaded.
        if let Some(jurisdiction) = self.declared_jurisdiction() {
            add(JurisdictionId::for_code(jurisdiction).stream());
            add(JurisdictionId::for_code(crate::NATIONAL).stream());
        }
        match self {
            Command::EstablishJurisdiction { parent, .. } => {
                parent
                    .iter()
                    .for_each(|p| add(JurisdictionId::for_code(p).stream()));
            }
            Command::MergeJurisdiction { successor, .. } => {
                add(JurisdictionId::for_code(successor).stream())
            }
            Command::RegisterAgency { parent, .. } => {
                if let Some(p) = parent {
                    add(p.stream());
                }
            }
            Command::MergeAgency { successor, .. } => add(successor.stream()),
            Command::IssueProgram {
                header,
                parent_program,
                ..
            } => {
                header.issuing_agency.iter().for_each(|a| add(a.stream()));
                parent_program.iter().for_each(|p| add(p.stream()));
            }
            Command::IssueDirective {
                header, program, ..
            } => {
                header.issuing_agency.iter().for_each(|a| add(a.stream()));
                program.iter().for_each(|p| add(p.stream()));
            }
            Command::IssuePlan {
                header,
                implements,
                issuing_agency,
                ..
            } => {
                header.issuing_agency.iter().for_each(|a| add(a.stream()));
                add(implements.stream());
                add(issuing_agency.stream());
            }
            Command::CreateTask {
                plan,
                parent_task,
                directive_point,
                lead,
                coordinators,
                ..
            } => {
                add(plan.stream());
                parent_task.iter().for_each(|t| add(t.stream()));
                directive_point
                    .iter()
                    .for_each(|d| add(d.directive.stream()));
                add(lead.stream());
                coordinators.iter().for_each(|c| add(c.stream()));
            }
            Command::AmendTask { coordinators, .. } => {
                coordinators.iter().flatten().for_each(|c| add(c.stream()));
            }
            Command::ReassignTask {
                new_lead,
                coordinators,
                ..
            } => {
                add(new_lead.stream());
                coordinators.iter().flatten().for_each(|c| add(c.stream()));
            }
            Command::TransferTask {
                from_agency,
                to_agency,
                ..
            } => {
                add(from_agency.stream());
                add(to_agency.stream());
            }
            // Only for the refusal's wording: it names the agency that is not a participant.
            Command::ReportProgress {
                reporter_agency, ..
            } => add(reporter_agency.stream()),
            Command::PublishParIndex { agency_id, .. }
            | Command::PublishSipas { agency_id, .. }
            | Command::ReportDossierStatistics { agency_id, .. } => add(agency_id.stream()),
            Command::DefineIndicator { program, .. } => {
                program.iter().for_each(|p| add(p.stream()));
            }
            Command::RenameAgency { .. }
            | Command::AppointHead { .. }
            | Command::DissolveAgency { .. }
            | Command::AmendDocument { .. }
            | Command::SetRollupRule { .. }
            | Command::ExtendDeadline { .. }
            | Command::CompleteTask { .. }
            | Command::ReopenTask { .. }
            | Command::CancelTask { .. }
            | Command::SetIndicatorTarget { .. }
            | Command::SetBandScheme { .. }
            | Command::RecordMeasurement { .. } => {}
        }
        streams
    }

    /// The jurisdiction a command says its new record belongs to, as typed.
    pub fn declared_jurisdiction(&self) -> Option<&str> {
        match self {
            Command::RegisterAgency { jurisdiction, .. }
            | Command::IssueProgram { jurisdiction, .. }
            | Command::IssueDirective { jurisdiction, .. }
            | Command::IssuePlan { jurisdiction, .. }
            | Command::DefineIndicator { jurisdiction, .. }
            | Command::SetBandScheme { jurisdiction, .. } => Some(jurisdiction),
            _ => None,
        }
    }

    /// The reason the user gave, recorded in the events' metadata.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Command::RenameAgency { reason, .. }
            | Command::DissolveAgency { reason, .. }
            | Command::AmendDocument { reason, .. }
            | Command::SetRollupRule { reason, .. }
            | Command::AmendTask { reason, .. }
            | Command::ReassignTask { reason, .. }
            | Command::ExtendDeadline { reason, .. }
            | Command::ReopenTask { reason, .. }
            | Command::CancelTask { reason, .. } => Some(reason),
            Command::TransferTask { legal_basis, .. }
            | Command::MergeAgency { legal_basis, .. }
            | Command::MergeJurisdiction { legal_basis, .. } => Some(legal_basis),
            Command::EstablishJurisdiction { legal_basis, .. } => legal_basis.as_deref(),
            Command::PublishParIndex { reason, .. }
            | Command::PublishSipas { reason, .. }
            | Command::ReportDossierStatistics { reason, .. }
            | Command::SetBandScheme { reason, .. } => reason.as_deref(),
            _ => None,
        }
    }
}
