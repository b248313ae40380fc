//! Measures' state: indicators with their targets and measurements, each agency's
//! evaluations (PAR INDEX, SIPAS, dossier reports) and the band schemes.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::World;
use crate::event::{
    BandSchemeSet, DossierCounts, DossierStatisticsReported, IndicatorDefined, IndicatorMeasured,
    IndicatorTargetSet, ParIndexPublished, ParOutcome, SipasPublished,
};
use crate::ids::{DocumentId, IndicatorId};
use crate::vocab::{Block, Direction};

/// An indicator with its targets and measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// Identifier.
    pub id: IndicatorId,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Direction.
    pub direction: Direction,
    /// Baseline.
    pub baseline: Option<f64>,
    /// Baseline date.
    pub baseline_on: Option<NaiveDate>,
    /// Jurisdiction.
    pub jurisdiction: String,
    /// Program that set it.
    pub program: Option<DocumentId>,
    /// Targets by year.
    pub targets: BTreeMap<i32, f64>,
    /// Measurements in the order recorded.
    pub measurements: Vec<Measurement>,
}

/// One measurement of an indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// Date.
    pub on: NaiveDate,
    /// Value.
    pub value: f64,
    /// Source.
    pub source: Option<String>,
}

/// An agency's published evaluations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluations {
    /// PAR INDEX by year.
    pub par: BTreeMap<i32, ParResult>,
    /// SIPAS percent by year.
    pub sipas: BTreeMap<i32, f64>,
    /// Dossier statistics by (period start, period end, field).
    pub dossiers: BTreeMap<(NaiveDate, NaiveDate, Option<String>), DossierReport>,
}

/// A PAR INDEX result in force.
#[derive(Clone, Debug, PartialEq)]
pub struct ParResult {
    /// Block ranked in.
    pub block: Block,
    /// Scores or "not evaluated".
    pub outcome: ParOutcome,
    /// Publishing decision.
    pub decision: Option<String>,
}

/// A dossier report in force.
#[derive(Clone, Debug, PartialEq)]
pub struct DossierReport {
    /// The counts.
    pub counts: DossierCounts,
    /// Satisfaction percent.
    pub satisfaction_percent: Option<f64>,
}

/// Folds [`BandSchemeSet`].
pub(super) fn band_scheme_set(world: &mut World, e: &BandSchemeSet) {
    world
        .band_schemes
        .entry(e.jurisdiction.clone())
        .or_default()
        .insert(e.from_year, e.bands.clone());
}

/// Folds [`IndicatorDefined`].
pub(super) fn indicator_defined(world: &mut World, e: &IndicatorDefined) {
    world.indicators.insert(
        e.indicator_id,
        Indicator {
            id: e.indicator_id,
            code: e.code.clone(),
            name: e.name.clone(),
            unit: e.unit.clone(),
            direction: e.direction,
            baseline: e.baseline,
            baseline_on: e.baseline_on,
            jurisdiction: e.jurisdiction.clone(),
            program: e.program,
            targets: BTreeMap::new(),
            measurements: Vec::new(),
        },
    );
}

/// Folds [`IndicatorTargetSet`].
pub(super) fn indicator_target_set(world: &mut World, e: &IndicatorTargetSet) {
    if let Some(i) = world.indicators.get_mut(&e.indicator_id) {
        i.targets.insert(e.year, e.value);
    }
}

/// Folds [`IndicatorMeasured`].
pub(super) fn indicator_measured(world: &mut World, e: &IndicatorMeasured) {
    if let Some(i) = world.indicators.get_mut(&e.indicator_id) {
        i.measurements.push(Measurement {
            on: e.measured_on,
            value: e.value,
            source: e.source.clone(),
        });
    }
}

/// Folds [`ParIndexPublished`].
pub(super) fn par_index_published(world: &mut World, e: &ParIndexPublished) {
    world
        .evaluations
        .entry(e.agency_id)
        .or_default()
        .par
        .insert(
            e.year,
            ParResult {
                block: e.block,
                outcome: e.outcome.clone(),
                decision: e.decision.clone(),
            },
        );
}

/// Folds [`SipasPublished`].
pub(super) fn sipas_published(world: &mut World, e: &SipasPublished) {
    world
        .evaluations
        .entry(e.agency_id)
        .or_default()
        .sipas
        .insert(e.year, e.satisfaction_percent);
}

/// Folds [`DossierStatisticsReported`].
pub(super) fn dossier_statistics_reported(world: &mut World, e: &DossierStatisticsReported) {
    world
        .evaluations
        .entry(e.agency_id)
        .or_default()
        .dossiers
        .insert(
            (e.period_from, e.period_to, e.field.clone()),
            DossierReport {
                counts: e.counts.clone(),
                satisfaction_percent: e.satisfaction_percent,
            },
        );
}
