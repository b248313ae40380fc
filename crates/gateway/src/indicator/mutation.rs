//! Defining indicators, their targets and their measurements (the secretariat's).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_domain::{Command, DocumentId, IndicatorId};

use crate::error::ApiError;
use crate::indicator::Indicator;
use crate::relay::{parse, Kind};
use crate::send::{in_jurisdiction, send, text, Sent, SECRETARIAT};
use crate::vocab::DirectionCode;

/// The indicator mutations.
#[derive(Default)]
pub struct IndicatorMutation;

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

#[Object]
impl IndicatorMutation {
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
}
