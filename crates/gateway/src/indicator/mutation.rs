//! Defining indicators, their targets and their measurements (the secretariat's).

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use reform_domain::{Command, DocumentId, IndicatorId};

use crate::error::ApiError;
use crate::indicator::Indicator;
use crate::relay::{parse, Kind};
use crate::send::{payload, send, text, Envelope, SECRETARIAT};
use crate::vocab::DirectionCode;

/// The indicator mutations.
#[derive(Default)]
pub struct IndicatorMutation;

payload!(
    /// What a mutation on an indicator returns.
    IndicatorPayload,
    indicator: Indicator,
    "The indicator after the change."
);

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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

#[Object]
impl IndicatorMutation {
    /// Define an indicator (secretariat).
    async fn define_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: DefineIndicatorInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let id = IndicatorId::for_code(&input.code);
        let envelope =
            Envelope::new(SECRETARIAT, "define indicators", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |_, _| {
            let command = Command::DefineIndicator {
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
            };
            Ok((command, id))
        })
        .await?;
        Ok(sent.into())
    }

    /// Set an indicator's target for a year (secretariat).
    async fn set_indicator_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: SetIndicatorTargetInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let id = indicator_id(&input.indicator_id)?;
        let envelope =
            Envelope::new(SECRETARIAT, "set targets", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |scope, _| {
            scope.indicator(id)?;
            let command = Command::SetIndicatorTarget {
                indicator_id: id,
                year: input.year,
                value: input.value,
            };
            Ok((command, id))
        })
        .await?;
        Ok(sent.into())
    }

    /// Record a measurement of an indicator (secretariat).
    async fn record_measurement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: RecordMeasurementInput,
    ) -> async_graphql::Result<IndicatorPayload> {
        let id = indicator_id(&input.indicator_id)?;
        let envelope = Envelope::new(SECRETARIAT, "record measurements", input.client_mutation_id)
            .on(input.on);
        let sent = send(ctx, envelope, |scope, _| {
            scope.indicator(id)?;
            let command = Command::RecordMeasurement {
                indicator_id: id,
                measured_on: input.measured_on,
                value: input.value,
                source: input.source,
            };
            Ok((command, id))
        })
        .await?;
        Ok(sent.into())
    }
}
