//! The mutations for the record around the plans: agencies and their heads, directives
//! and amendments, merger transfers, indicators and evaluations. Same conventions as
//! [`crate::mutation`].

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_domain::{
    AgencyId, Command, DirectivePoint, DocumentId, DossierCounts, FieldScore, IndicatorId,
    ParOutcome, Period, Person, Role,
};

use crate::error::ApiError;
use crate::mutation::{
    agency_id, in_jurisdiction, send, task_id, task_payload, text, AgencyPayload,
    DocumentHeaderInput, Sent, TaskPayload,
};
use crate::relay::{parse, parse_any, Kind};
use crate::types::{Indicator, Node};
use crate::vocab::{BlockCode, DirectionCode, PillarCode};

const SECRETARIAT: &[Role] = &[Role::Secretariat];

/// The mutations on agencies, directives, indicators and evaluations.
#[derive(Default)]
pub struct RecordMutations;

fn agency_payload(sent: &Sent, client: Option<String>, id: AgencyId) -> AgencyPayload {
    AgencyPayload {
        client_mutation_id: client,
        agency: sent.scope.agency(id).ok(),
        version: sent.outcome.last_version,
        replayed: sent.outcome.replayed,
    }
}

/// What a mutation on a document returns.
#[derive(SimpleObject)]
pub struct DocumentPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The program, directive or plan after the change.
    pub document: Option<Node>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

/// What a mutation on an indicator returns.
#[derive(SimpleObject)]
pub struct IndicatorPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The indicator after the change.
    pub indicator: Option<Indicator>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

/// Rename an agency.
#[derive(InputObject)]
pub struct RenameAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// Its new name.
    pub new_name: String,
    /// From when.
    pub effective_on: NaiveDate,
    /// Why (the decision).
    pub reason: String,
    /// The agency's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Appoint a head of agency.
#[derive(InputObject)]
pub struct AppointHeadInput {
    /// The agency.
    pub agency_id: ID,
    /// Full name.
    pub name: String,
    /// Title (Giám đốc Sở…).
    pub title: Option<String>,
    /// First day in office.
    pub from: NaiveDate,
    /// The appointing decision.
    pub decision: Option<String>,
    /// The agency's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Merge an agency into its successor; its open tasks pass to the successor.
#[derive(InputObject)]
pub struct MergeAgencyInput {
    /// The agency that ceases.
    pub agency_id: ID,
    /// The agency it merges into.
    pub successor_id: ID,
    /// From when.
    pub effective_on: NaiveDate,
    /// The legal basis (the merging decision).
    pub legal_basis: String,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Dissolve an agency.
#[derive(InputObject)]
pub struct DissolveAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// From when.
    pub effective_on: NaiveDate,
    /// The legal basis.
    pub legal_basis: String,
    /// Why.
    pub reason: String,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// A numbered point of a directive.
#[derive(InputObject)]
pub struct DirectivePointInput {
    /// Its number, from 1.
    pub number: u32,
    /// What it orders.
    pub text: String,
    /// The pillars it serves.
    #[graphql(default)]
    pub pillars: Vec<PillarCode>,
}

/// Record a directive (chỉ thị).
#[derive(InputObject)]
pub struct IssueDirectiveInput {
    /// The document's header.
    pub header: DocumentHeaderInput,
    /// The program it serves.
    pub program_id: Option<ID>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Its numbered points.
    pub points: Vec<DirectivePointInput>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Amend a program, directive or plan.
#[derive(InputObject)]
pub struct AmendDocumentInput {
    /// The document.
    pub document_id: ID,
    /// The amending document's number.
    pub amended_by: Option<String>,
    /// The new title.
    pub title: Option<String>,
    /// The new first year.
    pub from_year: Option<i32>,
    /// The new last year.
    pub to_year: Option<i32>,
    /// Why.
    pub reason: String,
    /// The document's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Pass a task from a merged agency to its successor.
#[derive(InputObject)]
pub struct TransferTaskInput {
    /// The task.
    pub task_id: ID,
    /// The agency it passes from.
    pub from_agency_id: ID,
    /// The agency it passes to.
    pub to_agency_id: ID,
    /// The legal basis.
    pub legal_basis: String,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Define an indicator.
#[derive(InputObject)]
pub struct DefineIndicatorInput {
    /// Its code (unique).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its unit (%, days…).
    pub unit: String,
    /// Whether higher or lower is better.
    pub direction: DirectionCode,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Baseline date.
    pub baseline_on: Option<NaiveDate>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// The program it measures.
    pub program_id: Option<ID>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Set an indicator's target for a year.
#[derive(InputObject)]
pub struct SetIndicatorTargetInput {
    /// The indicator.
    pub indicator_id: ID,
    /// The year (reached by 31 December).
    pub year: i32,
    /// The value.
    pub value: f64,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Record a measurement of an indicator.
#[derive(InputObject)]
pub struct RecordMeasurementInput {
    /// The indicator.
    pub indicator_id: ID,
    /// The day it speaks for.
    pub measured_on: NaiveDate,
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// One field's score in a PAR INDEX result.
#[derive(InputObject)]
pub struct FieldScoreInput {
    /// The field (lĩnh vực).
    pub field: String,
    /// Its maximum.
    pub max_points: f64,
    /// The agency's own score.
    pub self_assessed: Option<f64>,
    /// The appraised score.
    pub appraised: f64,
}

/// Publish an agency's PAR INDEX result for a year.
#[derive(InputObject)]
pub struct PublishParIndexInput {
    /// The agency.
    pub agency_id: ID,
    /// The year evaluated.
    pub year: i32,
    /// The block it is ranked in.
    pub block: BlockCode,
    /// The total (may exceed 100 with bonus points); omit when not evaluated.
    pub total: Option<f64>,
    /// Scores by field.
    #[graphql(default)]
    pub field_scores: Vec<FieldScoreInput>,
    /// Bonus points.
    pub bonus_points: Option<f64>,
    /// The agency's self-assessed total.
    pub self_assessed_total: Option<f64>,
    /// Why it was not evaluated (instead of a total).
    pub not_evaluated_reason: Option<String>,
    /// The publishing decision.
    pub decision: Option<String>,
    /// Why, when it replaces what was published for the same year or period (a
    /// correction; required then).
    pub reason: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Publish an agency's SIPAS result.
#[derive(InputObject)]
pub struct PublishSipasInput {
    /// The agency.
    pub agency_id: ID,
    /// The year surveyed.
    pub year: i32,
    /// Satisfaction, percent.
    pub satisfaction_percent: f64,
    /// How many answered.
    pub respondents: Option<u64>,
    /// Why, when it replaces what was published for the same year or period (a
    /// correction; required then).
    pub reason: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// One-stop dossier counts for a period (mẫu II.06a).
#[derive(InputObject)]
pub struct DossierCountsInput {
    /// Received online.
    pub received_online: u64,
    /// Received in person or by post.
    pub received_in_person: u64,
    /// Carried over from the period before.
    pub carried_over: u64,
    /// Resolved early.
    pub resolved_early: u64,
    /// Resolved on time.
    pub resolved_on_time: u64,
    /// Resolved late.
    pub resolved_late: u64,
    /// In process, within the deadline.
    pub in_process_within_deadline: u64,
    /// In process, past the deadline.
    pub in_process_overdue: u64,
    /// Apology letters issued.
    pub apology_letters: u64,
    /// Dossiers digitised.
    pub digitised: Option<u64>,
}

/// Report an agency's dossier statistics (officers: their own agency).
#[derive(InputObject)]
pub struct ReportDossierStatisticsInput {
    /// The agency; officers may omit it (their own).
    pub agency_id: Option<ID>,
    /// First day of the period.
    pub period_from: NaiveDate,
    /// Last day of the period.
    pub period_to: NaiveDate,
    /// The field, when reported per field.
    pub field: Option<String>,
    /// The counts.
    pub counts: DossierCountsInput,
    /// Satisfaction, percent, when surveyed.
    pub satisfaction_percent: Option<f64>,
    /// Why, when it replaces what was published for the same year or period (a
    /// correction; required then).
    pub reason: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

fn indicator_payload(sent: &Sent, client: Option<String>, id: IndicatorId) -> IndicatorPayload {
    IndicatorPayload {
        client_mutation_id: client,
        indicator: sent.scope.indicator(id).ok(),
        version: sent.outcome.last_version,
        replayed: sent.outcome.replayed,
    }
}

fn indicator_id(id: &ID) -> Result<IndicatorId, ApiError> {
    Ok(IndicatorId(parse(id, Kind::Indicator, "indicatorId")?))
}

#[Object]
impl RecordMutations {
    /// Rename an agency (secretariat).
    async fn rename_agency(
        &self,
        ctx: &Context<'_>,
        input: RenameAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "rename agencies",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::RenameAgency {
                    agency_id: agency,
                    new_name: text(input.new_name, "newName")?,
                    effective_on: input.effective_on,
                    reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Appoint a head of agency; the previous tenure ends the day before (secretariat).
    async fn appoint_head(
        &self,
        ctx: &Context<'_>,
        input: AppointHeadInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "appoint heads",
            client.as_deref(),
            input.expected_version,
            None,
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::AppointHead {
                    agency_id: agency,
                    head: Person {
                        name: text(input.name, "name")?,
                        title: input.title,
                    },
                    from: input.from,
                    decision: input.decision,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Merge an agency into its successor; its open tasks pass to the successor
    /// (secretariat).
    async fn merge_agency(
        &self,
        ctx: &Context<'_>,
        input: MergeAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "merge agencies",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::MergeAgency {
                    agency_id: agency,
                    successor: agency_id(&input.successor_id, "successorId")?,
                    effective_on: input.effective_on,
                    legal_basis: text(input.legal_basis, "legalBasis")?,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Dissolve an agency (secretariat).
    async fn dissolve_agency(
        &self,
        ctx: &Context<'_>,
        input: DissolveAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "dissolve agencies",
            client.as_deref(),
            None,
            Some(reason.clone()),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::DissolveAgency {
                    agency_id: agency,
                    effective_on: input.effective_on,
                    legal_basis: text(input.legal_basis, "legalBasis")?,
                    reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Record a directive with its numbered points (secretariat).
    async fn issue_directive(
        &self,
        ctx: &Context<'_>,
        input: IssueDirectiveInput,
    ) -> async_graphql::Result<DocumentPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "record directives",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                let document = DocumentId(new);
                id = Some(document);
                Ok(Command::IssueDirective {
                    document_id: document,
                    header: input.header.into_header(None)?,
                    program: input
                        .program_id
                        .as_ref()
                        .map(|p| parse(p, Kind::Program, "programId").map(DocumentId))
                        .transpose()?,
                    jurisdiction: input.jurisdiction,
                    points: input
                        .points
                        .into_iter()
                        .map(|p| DirectivePoint {
                            number: p.number,
                            text: p.text,
                            pillars: p.pillars.into_iter().map(Into::into).collect(),
                        })
                        .collect(),
                })
            },
        )
        .await?;
        Ok(DocumentPayload {
            client_mutation_id: client,
            document: id.and_then(|d| sent.scope.document(d).ok()).map(Node::from),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Amend a program, directive or plan: title, period (secretariat).
    async fn amend_document(
        &self,
        ctx: &Context<'_>,
        input: AmendDocumentInput,
    ) -> async_graphql::Result<DocumentPayload> {
        let client = input.client_mutation_id.clone();
        let document = match parse_any(&input.document_id) {
            Ok((Kind::Program | Kind::Directive | Kind::Plan, uuid)) => DocumentId(uuid),
            _ => {
                return Err(ApiError::bad_input(
                    "documentId",
                    "give the id of a program, directive or plan",
                )
                .into())
            }
        };
        let period = match (input.from_year, input.to_year) {
            (None, None) => None,
            (Some(from_year), Some(to_year)) => Some(Period { from_year, to_year }),
            _ => return Err(ApiError::bad_input("toYear", "give both fromYear and toYear").into()),
        };
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "amend documents",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                scope.document(document)?;
                Ok(Command::AmendDocument {
                    document_id: document,
                    amended_by: input.amended_by,
                    title: input.title,
                    signer: None,
                    period,
                    points: None,
                    reason,
                })
            },
        )
        .await?;
        Ok(DocumentPayload {
            client_mutation_id: client,
            document: sent.scope.document(document).ok().map(Node::from),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Pass a task from a merged agency to its successor (secretariat).
    async fn transfer_task(
        &self,
        ctx: &Context<'_>,
        input: TransferTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let task = task_id(&input.task_id, "taskId")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "transfer tasks",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                scope.task(task)?;
                Ok(Command::TransferTask {
                    task_id: task,
                    from_agency: agency_id(&input.from_agency_id, "fromAgencyId")?,
                    to_agency: agency_id(&input.to_agency_id, "toAgencyId")?,
                    legal_basis: text(input.legal_basis, "legalBasis")?,
                })
            },
        )
        .await?;
        Ok(task_payload(&sent, client, task))
    }

    /// Define an indicator (secretariat).
    async fn define_indicator(
        &self,
        ctx: &Context<'_>,
        input: DefineIndicatorInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let client = input.client_mutation_id.clone();
        let id = IndicatorId::for_code(&input.code);
        let sent = send(
            ctx,
            SECRETARIAT,
            "define indicators",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                Ok(Command::DefineIndicator {
                    code: text(input.code, "code")?,
                    name: text(input.name, "name")?,
                    unit: text(input.unit, "unit")?,
                    direction: input.direction.into(),
                    baseline: input.baseline,
                    baseline_on: input.baseline_on,
                    jurisdiction: input.jurisdiction,
                    program: input
                        .program_id
                        .as_ref()
                        .map(|p| parse(p, Kind::Program, "programId").map(DocumentId))
                        .transpose()?,
                })
            },
        )
        .await?;
        Ok(indicator_payload(&sent, client, id))
    }

    /// Set an indicator's target for a year (secretariat).
    async fn set_indicator_target(
        &self,
        ctx: &Context<'_>,
        input: SetIndicatorTargetInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let client = input.client_mutation_id.clone();
        let id = indicator_id(&input.indicator_id)?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "set targets",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                scope.indicator(id)?;
                Ok(Command::SetIndicatorTarget {
                    indicator_id: id,
                    year: input.year,
                    value: input.value,
                })
            },
        )
        .await?;
        Ok(indicator_payload(&sent, client, id))
    }

    /// Record a measurement of an indicator (secretariat).
    async fn record_measurement(
        &self,
        ctx: &Context<'_>,
        input: RecordMeasurementInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let client = input.client_mutation_id.clone();
        let id = indicator_id(&input.indicator_id)?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "record measurements",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                scope.indicator(id)?;
                Ok(Command::RecordMeasurement {
                    indicator_id: id,
                    measured_on: input.measured_on,
                    value: input.value,
                    source: input.source,
                })
            },
        )
        .await?;
        Ok(indicator_payload(&sent, client, id))
    }

    /// Publish an agency's PAR INDEX result for a year (secretariat).
    async fn publish_par_index(
        &self,
        ctx: &Context<'_>,
        input: PublishParIndexInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let outcome = match (input.total, input.not_evaluated_reason) {
            (Some(total), None) => ParOutcome::Scored {
                field_scores: input
                    .field_scores
                    .into_iter()
                    .map(|f| FieldScore {
                        field: f.field,
                        max_points: f.max_points,
                        self_assessed: f.self_assessed,
                        appraised: f.appraised,
                    })
                    .collect(),
                bonus_points: input.bonus_points,
                self_assessed_total: input.self_assessed_total,
                total,
            },
            (None, Some(reason)) => ParOutcome::NotEvaluated { reason },
            _ => {
                return Err(ApiError::bad_input(
                    "total",
                    "give either a total or a reason it was not evaluated",
                )
                .into())
            }
        };
        let correction_reason = input.reason.map(|r| text(r, "reason")).transpose()?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "publish evaluations",
            client.as_deref(),
            None,
            correction_reason.clone(),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::PublishParIndex {
                    agency_id: agency,
                    year: input.year,
                    block: input.block.into(),
                    outcome,
                    decision: input.decision,
                    reason: correction_reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Publish an agency's SIPAS result (secretariat).
    async fn publish_sipas(
        &self,
        ctx: &Context<'_>,
        input: PublishSipasInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let correction_reason = input.reason.map(|r| text(r, "reason")).transpose()?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "publish evaluations",
            client.as_deref(),
            None,
            correction_reason.clone(),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::PublishSipas {
                    agency_id: agency,
                    year: input.year,
                    satisfaction_percent: input.satisfaction_percent,
                    respondents: input.respondents,
                    reason: correction_reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Report dossier statistics: officers for their own agency, the secretariat for any.
    /// Reports that do not balance are refused with the numbers.
    async fn report_dossier_statistics(
        &self,
        ctx: &Context<'_>,
        input: ReportDossierStatisticsInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let correction_reason = input
            .reason
            .clone()
            .map(|r| text(r, "reason"))
            .transpose()?;
        let sent = send(
            ctx,
            &[Role::Secretariat, Role::Officer],
            "report dossier statistics",
            client.as_deref(),
            None,
            correction_reason.clone(),
            |scope, _| {
                let own = scope.viewer.actor.agency;
                let agency = match (&input.agency_id, scope.viewer.role()) {
                    (Some(given), Role::Officer) => {
                        let given = agency_id(given, "agencyId")?;
                        if Some(given) != own {
                            return Err(ApiError::Forbidden(
                                "an officer reports for their own agency only".into(),
                            ));
                        }
                        given
                    }
                    (Some(given), _) => agency_id(given, "agencyId")?,
                    (None, Role::Officer) => {
                        own.ok_or_else(|| ApiError::Forbidden("your token names no agency".into()))?
                    }
                    (None, _) => return Err(ApiError::bad_input("agencyId", "name the agency")),
                };
                scope.agency(agency)?;
                id = Some(agency);
                let c = input.counts;
                Ok(Command::ReportDossierStatistics {
                    agency_id: agency,
                    period_from: input.period_from,
                    period_to: input.period_to,
                    field: input.field,
                    counts: DossierCounts {
                        received_online: c.received_online,
                        received_in_person: c.received_in_person,
                        carried_over: c.carried_over,
                        resolved_early: c.resolved_early,
                        resolved_on_time: c.resolved_on_time,
                        resolved_late: c.resolved_late,
                        in_process_within_deadline: c.in_process_within_deadline,
                        in_process_overdue: c.in_process_overdue,
                        apology_letters: c.apology_letters,
                        digitised: c.digitised,
                    },
                    satisfaction_percent: input.satisfaction_percent,
                    reason: correction_reason,
                })
            },
        )
        .await?;
        let agency = id.ok_or_else(|| ApiError::Internal("no agency".into()))?;
        Ok(agency_payload(&sent, client, agency))
    }
}
