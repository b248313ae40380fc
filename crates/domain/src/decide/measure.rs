//! Rules for what measures reform: indicators, PAR INDEX, SIPAS, dossier statistics.

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{
    BandDefinition, BandSchemeSet, DossierCounts, DossierStatisticsReported, Event,
    IndicatorDefined, IndicatorMeasured, IndicatorTargetSet, ParIndexPublished, ParOutcome,
    SipasPublished,
};
use crate::ids::IndicatorId;
use crate::state::{DocumentKind, Indicator, World};

use super::{
    existing_agency, existing_document, long, number, optional_short, registered_jurisdiction,
    short, year,
};

/// Highest PAR INDEX total accepted: 100 plus generous room for bonus points.
const MAX_PAR_TOTAL: f64 = 200.0;
/// Tolerance when checking that field scores add up to the total (two decimals).
const SCORE_TOLERANCE: f64 = 0.005 + 1e-9;

pub(super) fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::DefineIndicator {
            code,
            name,
            unit,
            direction,
            baseline,
            baseline_on,
            jurisdiction: j,
            program,
        } => {
            let code = indicator_code(&code)?;
            let indicator_id = IndicatorId::for_code(&code);
            if world.indicators.contains_key(&indicator_id) {
                return Err(DomainError::AlreadyExists {
                    entity: Entity::Indicator,
                    id: code,
                });
            }
            if let Some(program) = program {
                let doc = existing_document(world, program, Entity::Program)?;
                if !matches!(doc.kind, DocumentKind::Program { .. }) {
                    return Err(DomainError::invalid(
                        "program",
                        format!(
                            "{} is a {}, not a program",
                            doc.header.number,
                            doc.kind.name()
                        ),
                    ));
                }
            }
            Ok(vec![Event::IndicatorDefined(IndicatorDefined {
                indicator_id,
                code,
                name: short("name", &name)?,
                unit: short("unit", &unit)?,
                direction,
                baseline: baseline
                    .map(|b| number("baseline", b, f64::MIN, f64::MAX))
                    .transpose()?,
                baseline_on,
                jurisdiction: registered_jurisdiction(world, &j)?,
                program,
            })])
        }
        Command::SetIndicatorTarget {
            indicator_id,
            year: y,
            value,
        } => {
            existing_indicator(world, indicator_id)?;
            Ok(vec![Event::IndicatorTargetSet(IndicatorTargetSet {
                indicator_id,
                year: year("year", y)?,
                value: number("value", value, f64::MIN, f64::MAX)?,
            })])
        }
        Command::RecordMeasurement {
            indicator_id,
            measured_on,
            value,
            source,
        } => {
            existing_indicator(world, indicator_id)?;
            Ok(vec![Event::IndicatorMeasured(IndicatorMeasured {
                indicator_id,
                measured_on,
                value: number("value", value, f64::MIN, f64::MAX)?,
                source: optional_short("source", source.as_deref())?,
            })])
        }
        Command::PublishParIndex {
            agency_id,
            year: y,
            block,
            outcome,
            decision,
            reason,
        } => {
            existing_agency(world, agency_id)?;
            let y = year("year", y)?;
            let correction = world
                .evaluations
                .get(&agency_id)
                .is_some_and(|e| e.par.contains_key(&y));
            correction_reason(correction, reason.as_deref(), "a PAR INDEX result")?;
            Ok(vec![Event::ParIndexPublished(ParIndexPublished {
                agency_id,
                year: y,
                block,
                outcome: par_outcome(outcome)?,
                decision: optional_short("decision", decision.as_deref())?,
                correction,
            })])
        }
        Command::PublishSipas {
            agency_id,
            year: y,
            satisfaction_percent,
            respondents,
            reason,
        } => {
            existing_agency(world, agency_id)?;
            let y = year("year", y)?;
            let correction = world
                .evaluations
                .get(&agency_id)
                .is_some_and(|e| e.sipas.contains_key(&y));
            correction_reason(correction, reason.as_deref(), "a SIPAS result")?;
            Ok(vec![Event::SipasPublished(SipasPublished {
                agency_id,
                year: y,
                satisfaction_percent: number(
                    "satisfaction_percent",
                    satisfaction_percent,
                    0.0,
                    100.0,
                )?,
                respondents,
                correction,
            })])
        }
        Command::ReportDossierStatistics {
            agency_id,
            period_from,
            period_to,
            field,
            counts,
            satisfaction_percent,
            reason,
        } => {
            existing_agency(world, agency_id)?;
            if period_from > period_to {
                return Err(DomainError::invalid(
                    "period_to",
                    "the period ends before it starts",
                ));
            }
            if !totals_fit(&counts) {
                return Err(DomainError::invalid(
                    "counts",
                    "the totals are too large to be dossier counts",
                ));
            }
            let (received, resolved, in_process) =
                (counts.received(), counts.resolved(), counts.in_process());
            let sum = resolved.saturating_add(in_process);
            if received != sum {
                return Err(DomainError::DossiersUnbalanced {
                    received,
                    resolved,
                    in_process,
                    sum,
                });
            }
            if counts.digitised.is_some_and(|d| d > received) {
                return Err(DomainError::invalid(
                    "counts.digitised",
                    "cannot exceed the dossiers received",
                ));
            }
            let field = optional_short("field", field.as_deref())?;
            let key = (period_from, period_to, field.clone());
            let correction = world
                .evaluations
                .get(&agency_id)
                .is_some_and(|e| e.dossiers.contains_key(&key));
            correction_reason(
                correction,
                reason.as_deref(),
                "dossier statistics for this period",
            )?;
            Ok(vec![Event::DossierStatisticsReported(
                DossierStatisticsReported {
                    agency_id,
                    period_from,
                    period_to,
                    field,
                    counts,
                    satisfaction_percent: satisfaction_percent
                        .map(|s| number("satisfaction_percent", s, 0.0, 100.0))
                        .transpose()?,
                    correction,
                },
            )])
        }
        Command::SetBandScheme {
            jurisdiction: j,
            from_year,
            bands,
            reason,
        } => {
            let j = registered_jurisdiction(world, &j)?;
            let from_year = year("from_year", from_year)?;
            let bands = band_scheme(bands)?;
            let existing = world
                .band_schemes
                .get(&j)
                .and_then(|years| years.get(&from_year));
            if existing == Some(&bands) {
                return Err(DomainError::invalid(
                    "bands",
                    format!("{j} already has exactly these bands from {from_year}"),
                ));
            }
            correction_reason(
                existing.is_some(),
                reason.as_deref(),
                "a band scheme for this year",
            )?;
            Ok(vec![Event::BandSchemeSet(BandSchemeSet {
                jurisdiction: j,
                from_year,
                bands,
                correction: existing.is_some(),
            })])
        }
        _ => Err(DomainError::invalid(
            "command",
            "not an indicator or evaluation command",
        )),
    }
}

/// Whether received and resolved + in process can be added up without overflow. The
/// saturating totals of [`DossierCounts`] would otherwise make absurd counts balance.
fn totals_fit(c: &DossierCounts) -> bool {
    let total = |parts: &[u64]| parts.iter().try_fold(0u64, |sum, &n| sum.checked_add(n));
    let received = total(&[c.received_online, c.received_in_person, c.carried_over]);
    let accounted = total(&[
        c.resolved_early,
        c.resolved_on_time,
        c.resolved_late,
        c.in_process_within_deadline,
        c.in_process_overdue,
    ]);
    received.is_some() && accounted.is_some()
}

/// The most bands a scheme may have.
const MAX_BANDS: usize = 12;

/// Bands named, distinct, with distinct lower bounds, ordered best first; the last
/// band starts at 0 so that every total falls in one.
fn band_scheme(bands: Vec<BandDefinition>) -> Result<Vec<BandDefinition>, DomainError> {
    if bands.is_empty() || bands.len() > MAX_BANDS {
        return Err(DomainError::invalid(
            "bands",
            format!("give 1 to {MAX_BANDS} bands, each with a name and its lowest total"),
        ));
    }
    let mut checked = Vec::with_capacity(bands.len());
    for b in bands {
        let name = short("bands.name", &b.name)?;
        let min_total = number("bands.min_total", b.min_total, 0.0, MAX_PAR_TOTAL)?;
        if checked
            .iter()
            .any(|c: &BandDefinition| c.name.to_lowercase() == name.to_lowercase())
        {
            return Err(DomainError::invalid(
                "bands.name",
                format!("{name} is named twice"),
            ));
        }
        if checked
            .iter()
            .any(|c: &BandDefinition| c.min_total == min_total)
        {
            return Err(DomainError::invalid(
                "bands.min_total",
                format!("two bands start at {min_total}"),
            ));
        }
        checked.push(BandDefinition { name, min_total });
    }
    checked.sort_by(|a, b| b.min_total.total_cmp(&a.min_total));
    if checked.last().is_some_and(|b| b.min_total > 0.0) {
        return Err(DomainError::invalid(
            "bands.min_total",
            "the lowest band must start at 0, so that every total has a band",
        ));
    }
    Ok(checked)
}

fn existing_indicator(world: &World, id: IndicatorId) -> Result<&Indicator, DomainError> {
    world.indicators.get(&id).ok_or(DomainError::NotFound {
        entity: Entity::Indicator,
        id: id.to_string(),
    })
}

/// Codes are upper-case letters, digits and underscores: stable keys for dashboards.
fn indicator_code(code: &str) -> Result<String, DomainError> {
    let code = code.trim().to_uppercase();
    if code.is_empty()
        || code.len() > 64
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(DomainError::invalid(
            "code",
            "use 1–64 letters, digits and underscores, e.g. ONLINE_PROCEDURES_L34",
        ));
    }
    Ok(code)
}

/// A second publication for the same year or period is a correction and must say why.
fn correction_reason(
    correction: bool,
    reason: Option<&str>,
    what: &str,
) -> Result<(), DomainError> {
    if correction {
        match reason {
            Some(r) => long("reason", r).map(|_| ()),
            None => Err(DomainError::invalid(
                "reason",
                format!("{what} is already published; give a reason to correct it"),
            )),
        }
    } else {
        Ok(())
    }
}

fn par_outcome(outcome: ParOutcome) -> Result<ParOutcome, DomainError> {
    match outcome {
        ParOutcome::Scored {
            field_scores,
            bonus_points,
            self_assessed_total,
            total,
        } => {
            let bonus_points = bonus_points
                .map(|b| number("outcome.bonus_points", b, 0.0, MAX_PAR_TOTAL))
                .transpose()?;
            let total = number("outcome.total", total, 0.0, MAX_PAR_TOTAL)?;
            let self_assessed_total = self_assessed_total
                .map(|t| number("outcome.self_assessed_total", t, 0.0, MAX_PAR_TOTAL))
                .transpose()?;
            let mut sum = 0.0;
            let mut checked = Vec::with_capacity(field_scores.len());
            for mut f in field_scores {
                f.field = short("outcome.field_scores.field", &f.field)?;
                number(
                    "outcome.field_scores.max_points",
                    f.max_points,
                    f64::MIN_POSITIVE,
                    MAX_PAR_TOTAL,
                )?;
                number(
                    "outcome.field_scores.appraised",
                    f.appraised,
                    0.0,
                    MAX_PAR_TOTAL,
                )?;
                if let Some(s) = f.self_assessed {
                    number("outcome.field_scores.self_assessed", s, 0.0, MAX_PAR_TOTAL)?;
                }
                if f.appraised > f.max_points + SCORE_TOLERANCE {
                    return Err(DomainError::invalid(
                        "outcome.field_scores.appraised",
                        format!(
                            "{} is scored {:.2} of a maximum {:.2}; points above a field's maximum are bonus points",
                            f.field, f.appraised, f.max_points
                        ),
                    ));
                }
                sum += f.appraised;
                checked.push(f);
            }
            let sum = sum + bonus_points.unwrap_or(0.0);
            if !checked.is_empty() && (sum - total).abs() > SCORE_TOLERANCE {
                return Err(DomainError::invalid(
                    "outcome.total",
                    format!(
                        "the appraised field scores and bonus points add up to {sum:.2}, not the total {total:.2}"
                    ),
                ));
            }
            Ok(ParOutcome::Scored {
                field_scores: checked,
                bonus_points,
                self_assessed_total,
                total,
            })
        }
        ParOutcome::NotEvaluated { reason } => Ok(ParOutcome::NotEvaluated {
            reason: long("outcome.reason", &reason)?,
        }),
    }
}
