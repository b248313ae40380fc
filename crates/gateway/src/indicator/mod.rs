//! Indicators with yearly targets and measurements, and where each stands against its
//! straight-line trajectory (red, amber, green).

pub(crate) mod mutation;
pub(crate) mod query;

use async_graphql::{Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_projections::{queries, IndicatorRow};

use crate::error::ApiError;
use crate::relay::{global_id, Kind};
use crate::scope::{Found, Scope};
use crate::vocab::DirectionInfo;

/// An indicator with its targets and measurements.
#[derive(Clone)]
pub struct Indicator {
    scope: Scope,
    pub(crate) row: IndicatorRow,
}

impl Found for Indicator {
    type Id = reform_domain::IndicatorId;
    fn found(scope: &Scope, id: Self::Id) -> Option<Indicator> {
        scope.indicator(id).ok()
    }
}

impl Scope {
    /// An indicator the viewer may see.
    pub fn indicator(&self, id: reform_domain::IndicatorId) -> Result<Indicator, ApiError> {
        let row = self
            .model
            .indicators
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no indicator {id}")))?;
        if !self.viewer.in_scope(&self.model, &row.jurisdiction) {
            return Err(ApiError::Forbidden(
                "this indicator is outside your jurisdiction".into(),
            ));
        }
        Ok(Indicator {
            scope: self.clone(),
            row: row.clone(),
        })
    }
}

/// A reform indicator (chỉ tiêu) with its targets, measurements and trajectory.
#[Object]
impl Indicator {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Indicator, self.row.indicator_id.0)
    }
    /// Code.
    async fn code(&self) -> &str {
        &self.row.code
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// Unit.
    async fn unit(&self) -> &str {
        &self.row.unit
    }
    /// Whether higher or lower is better.
    async fn direction(&self) -> Option<DirectionInfo> {
        Some(DirectionInfo::from(self.row.direction))
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.row.jurisdiction
    }
    /// Its jurisdiction's name in the register ("Thành phố Đà Nẵng"), else the code.
    async fn jurisdiction_name(&self) -> &str {
        self.scope.model.jurisdiction_name(&self.row.jurisdiction)
    }
    /// Baseline value.
    async fn baseline(&self) -> Option<f64> {
        self.row.baseline
    }
    /// Baseline date.
    async fn baseline_on(&self) -> Option<NaiveDate> {
        self.row.baseline_on
    }
    /// Targets by year.
    async fn targets(&self) -> Vec<TargetView> {
        self.row
            .targets
            .iter()
            .map(|t| TargetView {
                year: t.year,
                value: t.value,
            })
            .collect()
    }
    /// Measurements by date.
    async fn measurements(&self) -> Vec<MeasurementView> {
        self.row
            .measurements
            .iter()
            .map(|m| MeasurementView {
                on: m.on,
                value: m.value,
                source: m.source.clone(),
            })
            .collect()
    }
    /// Red / amber / green against the straight line from baseline to target, on the
    /// day asked about.
    async fn trajectory(&self) -> TrajectoryView {
        let t = queries::trajectory(&self.row, self.scope.today);
        TrajectoryView {
            latest: t.latest.map(|m| MeasurementView {
                on: m.on,
                value: m.value,
                source: m.source,
            }),
            target: t.target.map(|t| TargetView {
                year: t.year,
                value: t.value,
            }),
            expected: t.expected,
            rag: t.rag.map(|r| match r {
                queries::Rag::Green => Rag::Green,
                queries::Rag::Amber => Rag::Amber,
                queries::Rag::Red => Rag::Red,
            }),
        }
    }
}

/// A yearly target.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Target")]
pub struct TargetView {
    /// The year (reached by 31 December).
    pub year: i32,
    /// The value.
    pub value: f64,
}

/// A measurement.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Measurement")]
pub struct MeasurementView {
    /// The day it speaks for.
    pub on: NaiveDate,
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: Option<String>,
}

/// Red, amber or green.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rag {
    /// On or ahead of the trajectory.
    Green,
    /// Slightly behind.
    Amber,
    /// Well behind.
    Red,
}

/// Where an indicator stands against its trajectory.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Trajectory")]
pub struct TrajectoryView {
    /// The latest measurement.
    pub latest: Option<MeasurementView>,
    /// The target it is judged against.
    pub target: Option<TargetView>,
    /// Where the straight line stood on the latest measurement's day.
    pub expected: Option<f64>,
    /// The judgement; null without a baseline, a target or a measurement.
    pub rag: Option<Rag>,
}
