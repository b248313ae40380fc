//! Indicators: codes, targets and measurements.

use reform_domain::{
    Command, Direction, DomainError, Entity, Event, IndicatorDefined, IndicatorId,
    IndicatorMeasured, IndicatorTargetSet,
};

use crate::support::*;

// --- indicators --------------------------------------------------------------------

fn define(code: &str) -> Command {
    Command::DefineIndicator {
        code: code.to_owned(),
        name: "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến mức độ 3, 4".to_owned(),
        unit: "%".to_owned(),
        direction: Direction::HigherIsBetter,
        baseline: Some(30.5),
        baseline_on: Some(date(2020, 12, 31)),
        jurisdiction: "VN".to_owned(),
        program: Some(PROGRAM_76),
    }
}

fn defined() -> Event {
    Event::IndicatorDefined(IndicatorDefined {
        indicator_id: IndicatorId::for_code("ONLINE_PROCEDURES_L34"),
        code: "ONLINE_PROCEDURES_L34".to_owned(),
        name: "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến mức độ 3, 4".to_owned(),
        unit: "%".to_owned(),
        direction: Direction::HigherIsBetter,
        baseline: Some(30.5),
        baseline_on: Some(date(2020, 12, 31)),
        jurisdiction: "VN".to_owned(),
        program: Some(PROGRAM_76),
    })
}

fn online() -> IndicatorId {
    IndicatorId::for_code("ONLINE_PROCEDURES_L34")
}

#[test]
fn an_indicator_is_identified_by_its_upper_case_code() {
    let command = define("  online_procedures_l34 ");
    assert_eq!(command.target(), online().stream());
    given(&ha_tinh()).when(command).then(&[defined()]);
}

#[test]
fn an_indicator_code_is_defined_once_whatever_its_case() {
    given(&ha_tinh_and([defined()]))
        .when(define("Online_Procedures_L34"))
        .then_error(DomainError::AlreadyExists {
            entity: Entity::Indicator,
            id: "ONLINE_PROCEDURES_L34".to_owned(),
        });
}

#[test]
fn an_indicator_code_is_letters_digits_and_underscores() {
    for bad in [
        "",
        "   ",
        "ONLINE-L34",
        "TỶ_LỆ",
        "ONLINE L34",
        &"X".repeat(65),
    ] {
        let message = given(&ha_tinh()).when(define(bad)).then_invalid("code");
        assert!(
            message.contains("ONLINE_PROCEDURES_L34"),
            "the message shows an example: {message}"
        );
    }
    let longest = reform_domain::decide(
        &reform_domain::World::from_events(&ha_tinh()),
        define(&"X".repeat(64)),
    );
    assert!(longest.is_ok(), "64 characters are accepted: {longest:?}");
}

#[test]
fn an_indicator_belongs_to_a_program_on_record() {
    given(&ha_tinh_agencies())
        .when(define("ONLINE_PROCEDURES_L34"))
        .then_error(DomainError::NotFound {
            entity: Entity::Program,
            id: PROGRAM_76.to_string(),
        });
    let message = given(&ha_tinh())
        .when(match define("ONLINE_PROCEDURES_L34") {
            Command::DefineIndicator {
                code,
                name,
                unit,
                direction,
                baseline,
                baseline_on,
                jurisdiction,
                ..
            } => Command::DefineIndicator {
                code,
                name,
                unit,
                direction,
                baseline,
                baseline_on,
                jurisdiction,
                program: Some(PLAN_2024),
            },
            _ => unreachable!("an indicator"),
        })
        .then_invalid("program");
    assert!(message.contains("304/KH-UBND"), "{message}");
}

#[test]
fn an_indicator_has_a_name_a_unit_a_finite_baseline_and_a_jurisdiction() {
    let with = |name: &str, unit: &str, baseline: Option<f64>, jurisdiction: &str| {
        Command::DefineIndicator {
            code: "PAID_ONLINE".to_owned(),
            name: name.to_owned(),
            unit: unit.to_owned(),
            direction: Direction::HigherIsBetter,
            baseline,
            baseline_on: None,
            jurisdiction: jurisdiction.to_owned(),
            program: None,
        }
    };
    given(&[])
        .when(with("", "%", None, "VN"))
        .then_invalid("name");
    given(&[])
        .when(with("Tỷ lệ thanh toán trực tuyến", " ", None, "VN"))
        .then_invalid("unit");
    for baseline in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        given(&[])
            .when(with(
                "Tỷ lệ thanh toán trực tuyến",
                "%",
                Some(baseline),
                "VN",
            ))
            .then_invalid("baseline");
    }
    given(&[])
        .when(with("Tỷ lệ thanh toán trực tuyến", "%", None, "Việt Nam"))
        .then_invalid("jurisdiction");
    given(&[])
        .when(with("Chi phí tuân thủ", "tỷ đồng", Some(-3.5), "VN"))
        .then(&[Event::IndicatorDefined(IndicatorDefined {
            indicator_id: IndicatorId::for_code("PAID_ONLINE"),
            code: "PAID_ONLINE".to_owned(),
            name: "Chi phí tuân thủ".to_owned(),
            unit: "tỷ đồng".to_owned(),
            direction: Direction::HigherIsBetter,
            baseline: Some(-3.5),
            baseline_on: None,
            jurisdiction: "VN".to_owned(),
            program: None,
        })]);
}

#[test]
fn a_target_is_set_per_year() {
    let world = given(&ha_tinh_and([defined()]))
        .when(Command::SetIndicatorTarget {
            indicator_id: online(),
            year: 2025,
            value: 80.0,
        })
        .then(&[Event::IndicatorTargetSet(IndicatorTargetSet {
            indicator_id: online(),
            year: 2025,
            value: 80.0,
        })]);
    assert_eq!(world.indicators[&online()].targets.get(&2025), Some(&80.0));
}

#[test]
fn a_target_needs_an_indicator_a_plausible_year_and_a_number() {
    given(&ha_tinh())
        .when(Command::SetIndicatorTarget {
            indicator_id: online(),
            year: 2025,
            value: 80.0,
        })
        .then_error(DomainError::NotFound {
            entity: Entity::Indicator,
            id: online().to_string(),
        });
    for year in [1944, 2101, i32::MIN] {
        given(&ha_tinh_and([defined()]))
            .when(Command::SetIndicatorTarget {
                indicator_id: online(),
                year,
                value: 80.0,
            })
            .then_invalid("year");
    }
    for value in [f64::NAN, f64::INFINITY] {
        given(&ha_tinh_and([defined()]))
            .when(Command::SetIndicatorTarget {
                indicator_id: online(),
                year: 2030,
                value,
            })
            .then_invalid("value");
    }
}

#[test]
fn a_measurement_is_recorded_with_its_source() {
    let world = given(&ha_tinh_and([defined()]))
        .when(Command::RecordMeasurement {
            indicator_id: online(),
            measured_on: date(2021, 12, 14),
            value: 82.46,
            source: Some(" Báo cáo 123/BC-UBND ".to_owned()),
        })
        .then(&[Event::IndicatorMeasured(IndicatorMeasured {
            indicator_id: online(),
            measured_on: date(2021, 12, 14),
            value: 82.46,
            source: Some("Báo cáo 123/BC-UBND".to_owned()),
        })]);
    assert_eq!(world.indicators[&online()].measurements.len(), 1);
}

#[test]
fn a_measurement_is_a_finite_number_of_a_known_indicator() {
    given(&ha_tinh())
        .when(Command::RecordMeasurement {
            indicator_id: online(),
            measured_on: date(2021, 12, 14),
            value: 1.0,
            source: None,
        })
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Indicator,
                    ..
                }
            )
        });
    let message = given(&ha_tinh_and([defined()]))
        .when(Command::RecordMeasurement {
            indicator_id: online(),
            measured_on: date(2021, 12, 14),
            value: f64::NAN,
            source: None,
        })
        .then_invalid("value");
    assert!(message.contains("NaN"), "{message}");
}

#[test]
fn a_measurement_source_is_checked_when_given() {
    given(&ha_tinh_and([defined()]))
        .when(Command::RecordMeasurement {
            indicator_id: online(),
            measured_on: date(2021, 12, 14),
            value: 82.46,
            source: Some("Báo cáo\u{0}".to_owned()),
        })
        .then_invalid("source");
}
