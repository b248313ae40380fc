//! Publishing evaluations: PAR INDEX and SIPAS results and band schemes (the
//! secretariat's), dossier statistics (officers, for their own agency).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_domain::{BandDefinition, Command, DossierCounts, FieldScore, ParOutcome, Role};

use crate::agency::mutation::AgencyPayload;
use crate::error::ApiError;
use crate::evaluation::bands::{schemes, BandScheme};
use crate::send::{agency_id, send, text, Envelope, SECRETARIAT};
use crate::vocab::BlockCode;

/// The evaluation mutations.
#[derive(Default)]
pub struct EvaluationMutation;

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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// A band as given.
#[derive(InputObject)]
pub struct BandInput {
    /// Its name as printed ("Xuất sắc", "A").
    pub name: String,
    /// The lowest total in it (0 for the last band).
    pub min_total: f64,
}

/// A jurisdiction's bands from a year on.
#[derive(InputObject)]
pub struct SetBandSchemeInput {
    /// VN for the national ranking, VN-DN…
    pub jurisdiction: String,
    /// The first year evaluated with these bands.
    pub from_year: i32,
    /// The bands, in any order; the lowest must start at 0.
    pub bands: Vec<BandInput>,
    /// Why: required when the year already has a scheme (a correction).
    pub reason: Option<String>,
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// What `setBandScheme` returns.
#[derive(SimpleObject)]
pub struct BandSchemePayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The jurisdiction's schemes after the change, oldest first.
    pub schemes: Vec<BandScheme>,
    /// The version of the jurisdiction's band record.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

#[Object]
impl EvaluationMutation {
    /// Publish an agency's PAR INDEX result for a year (secretariat).
    async fn publish_par_index(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: PublishParIndexInput,
    ) -> async_graphql::Result<AgencyPayload> {
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
        let envelope = Envelope::new(SECRETARIAT, "publish evaluations", input.client_mutation_id)
            .on(input.on)
            .because(correction_reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::PublishParIndex {
                agency_id: agency,
                year: input.year,
                block: input.block.into(),
                outcome,
                decision: input.decision,
                reason: correction_reason,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Publish an agency's SIPAS result (secretariat).
    async fn publish_sipas(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: PublishSipasInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let correction_reason = input.reason.map(|r| text(r, "reason")).transpose()?;
        let envelope = Envelope::new(SECRETARIAT, "publish evaluations", input.client_mutation_id)
            .on(input.on)
            .because(correction_reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::PublishSipas {
                agency_id: agency,
                year: input.year,
                satisfaction_percent: input.satisfaction_percent,
                respondents: input.respondents,
                reason: correction_reason,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Report dossier statistics: officers for their own agency, the secretariat for any.
    /// Reports that do not balance are refused with the numbers.
    async fn report_dossier_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: ReportDossierStatisticsInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let correction_reason = input
            .reason
            .clone()
            .map(|r| text(r, "reason"))
            .transpose()?;
        let envelope = Envelope::new(
            &[Role::Secretariat, Role::Officer],
            "report dossier statistics",
            input.client_mutation_id,
        )
        .on(input.on)
        .because(correction_reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
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
            let c = input.counts;
            let command = Command::ReportDossierStatistics {
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
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Set a jurisdiction's PAR INDEX bands from a year on (secretariat). Rankings,
    /// bands and band counts of that year and later follow at once; setting a year
    /// again is a correction and needs a reason. Every scheme stays in the history.
    async fn set_band_scheme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: SetBandSchemeInput,
    ) -> async_graphql::Result<BandSchemePayload> {
        let jurisdiction = input.jurisdiction.trim().to_uppercase();
        let reason = input.reason.map(|r| text(r, "reason")).transpose()?;
        let envelope = Envelope::new(SECRETARIAT, "set band schemes", input.client_mutation_id)
            .on(input.on)
            .because(reason.clone());
        let sent = send(ctx, envelope, |_, _| {
            let command = Command::SetBandScheme {
                jurisdiction: jurisdiction.clone(),
                from_year: input.from_year,
                bands: input
                    .bands
                    .into_iter()
                    .map(|b| BandDefinition {
                        name: b.name,
                        min_total: b.min_total,
                    })
                    .collect(),
                reason,
            };
            Ok((command, ()))
        })
        .await?;
        Ok(BandSchemePayload {
            client_mutation_id: sent.client_mutation_id,
            schemes: schemes(&sent.scope.model, Some(&jurisdiction)),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }
}
