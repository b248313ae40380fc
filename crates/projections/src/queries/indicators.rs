//! Indicator trajectories: where each indicator stands against the straight line from
//! its baseline to its target, red / amber / green.

use chrono::NaiveDate;

use crate::model::ProgressModel;

/// Red / amber / green: where an indicator stands against its straight-line trajectory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rag {
    /// On or ahead of the trajectory.
    Green,
    /// Behind by at most a tenth of the distance from baseline to target.
    Amber,
    /// Further behind.
    Red,
}

/// An indicator's path towards its targets, as of a day.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    /// The indicator.
    pub indicator: crate::model::IndicatorRow,
    /// The latest measurement on or before the day.
    pub latest: Option<crate::model::MeasuredValue>,
    /// The target the latest measurement is judged against (the first due on or after it).
    pub target: Option<crate::model::Target>,
    /// Where the straight line from baseline to that target stood on the latest measurement's day.
    pub expected: Option<f64>,
    /// The judgement; `None` without a baseline, a target or a measurement.
    pub rag: Option<Rag>,
}

/// Every indicator of a jurisdiction (all when `None`) with its trajectory as of `day`.
pub fn trajectories(
    model: &ProgressModel,
    jurisdiction: Option<&str>,
    day: NaiveDate,
) -> Vec<Trajectory> {
    let mut out: Vec<Trajectory> = model
        .indicators
        .values()
        .filter(|i| model.lies_in(&i.jurisdiction, jurisdiction))
        .map(|i| trajectory(i, day))
        .collect();
    out.sort_by(|a, b| a.indicator.code.cmp(&b.indicator.code));
    out
}

fn end_of_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 12, 31)
}

/// One indicator's trajectory as of `day`.
pub fn trajectory(indicator: &crate::model::IndicatorRow, day: NaiveDate) -> Trajectory {
    let seen: Vec<&crate::model::MeasuredValue> = indicator
        .measurements
        .iter()
        .filter(|m| m.on <= day)
        .collect();
    let latest = seen.last().map(|m| (*m).clone());
    // Without a stated baseline, the first measurement serves as one.
    let baseline = match (indicator.baseline, indicator.baseline_on) {
        (Some(value), Some(on)) => Some((on, value)),
        _ => seen
            .first()
            .filter(|_| seen.len() > 1)
            .map(|m| (m.on, m.value)),
    };
    let target = latest.as_ref().and_then(|m| {
        indicator
            .targets
            .iter()
            .find(|t| end_of_year(t.year).is_some_and(|end| end >= m.on))
            .or(indicator.targets.last())
            .cloned()
    });
    let (expected, rag) = match (&latest, baseline, &target) {
        (Some(m), Some((from, start)), Some(t)) => {
            let due = end_of_year(t.year).unwrap_or(m.on);
            let total = (due - from).num_days().max(1) as f64;
            let elapsed = ((m.on - from).num_days() as f64 / total).clamp(0.0, 1.0);
            let expected = start + (t.value - start) * elapsed;
            let sign = if indicator.direction == reform_domain::Direction::LowerIsBetter {
                -1.0
            } else {
                1.0
            };
            let gap = (m.value - expected) * sign;
            let span = (t.value - start).abs();
            let rag = if gap >= -1e-9 {
                Rag::Green
            } else if gap >= -0.1 * span - 1e-9 {
                Rag::Amber
            } else {
                Rag::Red
            };
            (Some(expected), Some(rag))
        }
        _ => (None, None),
    };
    Trajectory {
        indicator: indicator.clone(),
        latest,
        target,
        expected,
        rag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IndicatorRow, MeasuredValue, Target};
    use reform_domain::Direction;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Baseline on 1/1/2021, target by 31/12/2025, one measurement on 1/1/2023: two
    /// fifths of the way along (730 of 1,825 days).
    fn indicator(direction: Direction, baseline: f64, target: f64, measured: f64) -> IndicatorRow {
        IndicatorRow {
            indicator_id: reform_domain::IndicatorId::for_code("TEST"),
            code: "TEST".into(),
            name: "Thử".into(),
            unit: "%".into(),
            direction,
            baseline: Some(baseline),
            baseline_on: Some(day(2021, 1, 1)),
            jurisdiction: "VN".into(),
            targets: vec![Target {
                year: 2025,
                value: target,
            }],
            measurements: vec![MeasuredValue {
                on: day(2023, 1, 1),
                value: measured,
                source: None,
            }],
        }
    }

    #[test]
    fn rag_follows_the_straight_line_in_the_right_direction() {
        let judge = |direction, baseline, target, measured| {
            trajectory(
                &indicator(direction, baseline, target, measured),
                day(2023, 6, 30),
            )
        };
        let ahead = judge(Direction::HigherIsBetter, 30.0, 80.0, 55.0);
        assert!(
            (ahead.expected.unwrap_or_default() - 50.0).abs() < 0.01,
            "{:?}",
            ahead.expected
        );
        assert_eq!(ahead.rag, Some(Rag::Green));
        assert_eq!(
            judge(Direction::HigherIsBetter, 30.0, 80.0, 46.0).rag,
            Some(Rag::Amber)
        );
        assert_eq!(
            judge(Direction::HigherIsBetter, 30.0, 80.0, 40.0).rag,
            Some(Rag::Red)
        );
        // Compliance cost: lower is better, from 100 towards 80; expected 92 then.
        assert_eq!(
            judge(Direction::LowerIsBetter, 100.0, 80.0, 90.0).rag,
            Some(Rag::Green)
        );
        assert_eq!(
            judge(Direction::LowerIsBetter, 100.0, 80.0, 93.5).rag,
            Some(Rag::Amber)
        );
        assert_eq!(
            judge(Direction::LowerIsBetter, 100.0, 80.0, 95.0).rag,
            Some(Rag::Red)
        );
    }

    #[test]
    fn no_measurement_or_target_means_no_judgement() {
        let mut i = indicator(Direction::HigherIsBetter, 30.0, 80.0, 55.0);
        assert_eq!(
            trajectory(&i, day(2022, 12, 31)).rag,
            None,
            "measured after the day asked"
        );
        i.targets.clear();
        assert_eq!(trajectory(&i, day(2023, 6, 30)).rag, None);
    }
}
