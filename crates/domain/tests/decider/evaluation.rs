//! Evaluations of an agency: PAR INDEX, SIPAS and one-stop dossier statistics.

use reform_domain::{
    AgencyId, AgencyTier, BandDefinition, BandSchemeSet, Block, Command, DomainError,
    DossierCounts, DossierStatisticsReported, Entity, Event, FieldScore, ParIndexPublished,
    ParOutcome, SipasPublished,
};

use crate::support::*;

// --- PAR INDEX (Đà Nẵng's 2022 results, announced 21/4/2023) ------------------------

const SO_NOI_VU_DA_NANG: AgencyId = agency(0x0D_01);
const HOANG_SA: AgencyId = agency(0x0D_02);

fn da_nang() -> Vec<Event> {
    let mut department = registered(
        SO_NOI_VU_DA_NANG,
        "Sở Nội vụ thành phố Đà Nẵng",
        AgencyTier::Department,
        Some(Block::Departments),
        None,
    );
    let mut district = registered(
        HOANG_SA,
        "Ủy ban nhân dân huyện Hoàng Sa",
        AgencyTier::DistrictPeoplesCommittee,
        Some(Block::Districts),
        None,
    );
    for event in [&mut department, &mut district] {
        if let Event::AgencyRegistered(e) = event {
            e.jurisdiction = "VN-DN".to_owned();
        }
    }
    vec![department, district]
}

fn field(field: &str, max_points: f64, appraised: f64) -> FieldScore {
    FieldScore {
        field: field.to_owned(),
        max_points,
        self_assessed: Some(appraised),
        appraised,
    }
}

/// 101.19 points: more than 100 with bonus points. The split by field is illustrative.
fn noi_vu_2022() -> ParOutcome {
    ParOutcome::Scored {
        field_scores: vec![
            field("DIRECTION", 12.5, 12.5),
            field("INSTITUTIONAL", 10.0, 9.75),
            field("ADMINISTRATIVE_PROCEDURES", 13.0, 12.94),
            field("ORGANIZATIONAL_APPARATUS", 10.0, 10.0),
            field("CIVIL_SERVICE", 14.5, 14.25),
            field("PUBLIC_FINANCE", 9.0, 8.75),
            field("DIGITAL_GOVERNMENT", 14.0, 14.0),
            field("IMPACT", 17.0, 17.0),
        ],
        bonus_points: Some(2.0),
        self_assessed_total: Some(101.19),
        total: 101.19,
    }
}

fn publish_par(agency_id: AgencyId, outcome: ParOutcome, reason: Option<&str>) -> Command {
    Command::PublishParIndex {
        agency_id,
        year: 2022,
        block: Block::Departments,
        outcome,
        decision: Some("1234/QĐ-UBND".to_owned()),
        reason: reason.map(str::to_owned),
    }
}

fn par_published(agency_id: AgencyId, outcome: ParOutcome, correction: bool) -> Event {
    Event::ParIndexPublished(ParIndexPublished {
        agency_id,
        year: 2022,
        block: Block::Departments,
        outcome,
        decision: Some("1234/QĐ-UBND".to_owned()),
        correction,
    })
}

#[test]
fn a_par_index_may_exceed_100_points_with_bonus() {
    let command = publish_par(SO_NOI_VU_DA_NANG, noi_vu_2022(), None);
    assert_eq!(
        command.target(),
        reform_domain::EvaluationsId::from(SO_NOI_VU_DA_NANG).stream()
    );
    let world = given(&da_nang()).when(command).then(&[par_published(
        SO_NOI_VU_DA_NANG,
        noi_vu_2022(),
        false,
    )]);
    assert_eq!(
        world.evaluations[&SO_NOI_VU_DA_NANG].par[&2022].outcome,
        noi_vu_2022()
    );
}

#[test]
fn a_par_index_of_totals_only_is_accepted() {
    let totals = ParOutcome::Scored {
        field_scores: vec![],
        bonus_points: None,
        self_assessed_total: None,
        total: 98.81,
    };
    given(&da_nang())
        .when(publish_par(SO_NOI_VU_DA_NANG, totals.clone(), None))
        .then(&[par_published(SO_NOI_VU_DA_NANG, totals, false)]);
}

#[test]
fn field_scores_must_add_up_to_the_total() {
    let ParOutcome::Scored {
        field_scores,
        bonus_points,
        self_assessed_total,
        ..
    } = noi_vu_2022()
    else {
        unreachable!("scored")
    };
    let message = given(&da_nang())
        .when(publish_par(
            SO_NOI_VU_DA_NANG,
            ParOutcome::Scored {
                field_scores,
                bonus_points,
                self_assessed_total,
                total: 100.19,
            },
            None,
        ))
        .then_invalid("outcome.total");
    assert!(
        message.contains("101.19") && message.contains("100.19"),
        "{message}"
    );
}

#[test]
fn scores_are_finite_and_within_bounds() {
    let scored = |fields: Vec<FieldScore>, self_assessed_total: Option<f64>, total: f64| {
        ParOutcome::Scored {
            field_scores: fields,
            bonus_points: None,
            self_assessed_total,
            total,
        }
    };
    let cases = [
        (scored(vec![], None, f64::NAN), "outcome.total"),
        (scored(vec![], None, -1.0), "outcome.total"),
        (scored(vec![], None, 200.01), "outcome.total"),
        (
            scored(vec![], Some(f64::INFINITY), 90.0),
            "outcome.self_assessed_total",
        ),
        (
            scored(vec![field(" ", 10.0, 10.0)], None, 10.0),
            "outcome.field_scores.field",
        ),
        (
            scored(vec![field("DIRECTION", 0.0, 0.0)], None, 0.0),
            "outcome.field_scores.max_points",
        ),
        (
            scored(vec![field("DIRECTION", 10.0, -0.5)], None, 9.5),
            "outcome.field_scores.appraised",
        ),
        (
            scored(
                vec![FieldScore {
                    field: "DIRECTION".to_owned(),
                    max_points: 10.0,
                    self_assessed: Some(f64::NAN),
                    appraised: 9.0,
                }],
                None,
                9.0,
            ),
            "outcome.field_scores.self_assessed",
        ),
    ];
    for (outcome, field) in cases {
        given(&da_nang())
            .when(publish_par(SO_NOI_VU_DA_NANG, outcome, None))
            .then_invalid(field);
    }
}

#[test]
fn an_agency_may_be_not_evaluated() {
    let outcome = ParOutcome::NotEvaluated {
        reason: "Huyện Hoàng Sa không thực hiện đánh giá".to_owned(),
    };
    given(&da_nang())
        .when(publish_par(HOANG_SA, outcome.clone(), None))
        .then(&[par_published(HOANG_SA, outcome, false)]);
    given(&da_nang())
        .when(publish_par(
            HOANG_SA,
            ParOutcome::NotEvaluated {
                reason: " ".to_owned(),
            },
            None,
        ))
        .then_invalid("outcome.reason");
}

#[test]
fn republishing_a_par_index_is_a_correction_that_needs_a_reason() {
    let published = par_published(SO_NOI_VU_DA_NANG, noi_vu_2022(), false);
    let history = [da_nang(), vec![published]].concat();
    let message = given(&history)
        .when(publish_par(SO_NOI_VU_DA_NANG, noi_vu_2022(), None))
        .then_invalid("reason");
    assert!(message.contains("already published"), "{message}");
    given(&history)
        .when(publish_par(SO_NOI_VU_DA_NANG, noi_vu_2022(), Some("  ")))
        .then_invalid("reason");
    let corrected = ParOutcome::Scored {
        bonus_points: None,
        field_scores: vec![],
        self_assessed_total: None,
        total: 99.5,
    };
    let world = given(&history)
        .when(publish_par(
            SO_NOI_VU_DA_NANG,
            corrected.clone(),
            Some("Điều chỉnh sau phúc tra"),
        ))
        .then(&[par_published(SO_NOI_VU_DA_NANG, corrected.clone(), true)]);
    assert_eq!(
        world.evaluations[&SO_NOI_VU_DA_NANG].par[&2022].outcome,
        corrected
    );
}

#[test]
fn a_par_index_is_published_for_a_known_agency_and_a_plausible_year() {
    given(&da_nang())
        .when(publish_par(UNKNOWN_AGENCY, noi_vu_2022(), None))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
    given(&da_nang())
        .when(Command::PublishParIndex {
            agency_id: SO_NOI_VU_DA_NANG,
            year: 20_022,
            block: Block::Departments,
            outcome: noi_vu_2022(),
            decision: None,
            reason: None,
        })
        .then_invalid("year");
}

#[test]
fn a_merged_agencys_past_results_can_still_be_published() {
    given(&ha_tinh_and([tt_tt_merged_into_kh_cn()]))
        .when(publish_par(SO_TT_TT, noi_vu_2022(), None))
        .then(&[par_published(SO_TT_TT, noi_vu_2022(), false)]);
}

// --- SIPAS -------------------------------------------------------------------------

fn sipas(satisfaction_percent: f64, reason: Option<&str>) -> Command {
    Command::PublishSipas {
        agency_id: SO_NOI_VU_DA_NANG,
        year: 2023,
        satisfaction_percent,
        respondents: Some(1_200),
        reason: reason.map(str::to_owned),
    }
}

fn sipas_published(satisfaction_percent: f64, correction: bool) -> Event {
    Event::SipasPublished(SipasPublished {
        agency_id: SO_NOI_VU_DA_NANG,
        year: 2023,
        satisfaction_percent,
        respondents: Some(1_200),
        correction,
    })
}

#[test]
fn sipas_is_a_percentage() {
    for bound in [0.0, 100.0] {
        given(&da_nang())
            .when(sipas(bound, None))
            .then(&[sipas_published(bound, false)]);
    }
    for bad in [-0.01, 100.01, f64::NAN, f64::INFINITY] {
        given(&da_nang())
            .when(sipas(bad, None))
            .then_invalid("satisfaction_percent");
    }
}

#[test]
fn republishing_sipas_is_a_correction_that_needs_a_reason() {
    let history = [da_nang(), vec![sipas_published(83.6, false)]].concat();
    given(&history)
        .when(sipas(84.1, None))
        .then_invalid("reason");
    let world = given(&history)
        .when(sipas(84.1, Some("Sai sót khi tổng hợp phiếu")))
        .then(&[sipas_published(84.1, true)]);
    assert_eq!(world.evaluations[&SO_NOI_VU_DA_NANG].sipas[&2023], 84.1);
    given(&history)
        .when(Command::PublishSipas {
            agency_id: SO_NOI_VU_DA_NANG,
            year: 2024,
            satisfaction_percent: 85.0,
            respondents: None,
            reason: None,
        })
        .then(&[Event::SipasPublished(SipasPublished {
            agency_id: SO_NOI_VU_DA_NANG,
            year: 2024,
            satisfaction_percent: 85.0,
            respondents: None,
            correction: false,
        })]);
}

// --- dossier statistics (Sơn La, provincial level, 2021) ----------------------------

const UBND_SON_LA: AgencyId = agency(0x05_01);

fn son_la() -> Vec<Event> {
    let mut event = registered(
        UBND_SON_LA,
        "Ủy ban nhân dân tỉnh Sơn La",
        AgencyTier::ProvincialPeoplesCommittee,
        Some(Block::Provinces),
        None,
    );
    if let Event::AgencyRegistered(e) = &mut event {
        e.jurisdiction = "VN-05".to_owned();
    }
    vec![event]
}

/// 48,537 received (15,227 online) = 47,380 resolved + 1,157 in process. The split of
/// the non-online, resolved and in-process figures is illustrative; the totals are real.
fn son_la_2021() -> DossierCounts {
    DossierCounts {
        received_online: 15_227,
        received_in_person: 32_100,
        carried_over: 1_210,
        resolved_early: 40_120,
        resolved_on_time: 7_213,
        resolved_late: 47,
        in_process_within_deadline: 1_150,
        in_process_overdue: 7,
        apology_letters: 47,
        digitised: Some(12_000),
    }
}

fn report(counts: DossierCounts, reason: Option<&str>) -> Command {
    Command::ReportDossierStatistics {
        agency_id: UBND_SON_LA,
        period_from: date(2020, 12, 15),
        period_to: date(2021, 12, 14),
        field: None,
        counts,
        satisfaction_percent: Some(99.0),
        reason: reason.map(str::to_owned),
    }
}

fn reported(counts: DossierCounts, correction: bool) -> Event {
    Event::DossierStatisticsReported(DossierStatisticsReported {
        agency_id: UBND_SON_LA,
        period_from: date(2020, 12, 15),
        period_to: date(2021, 12, 14),
        field: None,
        counts,
        satisfaction_percent: Some(99.0),
        correction,
    })
}

#[test]
fn son_la_2021_balances() {
    let counts = son_la_2021();
    assert_eq!(
        (counts.received(), counts.resolved(), counts.in_process()),
        (48_537, 47_380, 1_157)
    );
    let world = given(&son_la())
        .when(report(counts.clone(), None))
        .then(&[reported(counts.clone(), false)]);
    let key = (date(2020, 12, 15), date(2021, 12, 14), None);
    assert_eq!(
        world.evaluations[&UBND_SON_LA].dossiers[&key].counts,
        counts
    );
}

#[test]
fn statistics_that_do_not_balance_are_refused() {
    let counts = DossierCounts {
        in_process_overdue: 8,
        ..son_la_2021()
    };
    let err =
        given(&son_la())
            .when(report(counts, None))
            .then_error(DomainError::DossiersUnbalanced {
                received: 48_537,
                resolved: 47_380,
                in_process: 1_158,
                sum: 48_538,
            });
    assert_eq!(err.field(), Some("counts"));
    assert_mentions(&err, &["48537", "47380", "1158", "48538"]);
}

#[test]
fn statistics_that_only_balance_by_overflowing_are_refused() {
    let counts = DossierCounts {
        received_online: u64::MAX,
        received_in_person: 0,
        carried_over: 0,
        resolved_early: u64::MAX,
        resolved_on_time: 0,
        resolved_late: 0,
        in_process_within_deadline: 1_157,
        in_process_overdue: 0,
        apology_letters: 0,
        digitised: None,
    };
    let err = given(&son_la()).when(report(counts, None)).then_err(|e| {
        matches!(
            e,
            DomainError::InvalidInput {
                field: "counts",
                ..
            } | DomainError::DossiersUnbalanced { .. }
        )
    });
    assert_eq!(err.field(), Some("counts"));
    let counts = DossierCounts {
        received_online: u64::MAX,
        received_in_person: 1,
        resolved_early: u64::MAX,
        resolved_on_time: 1,
        in_process_within_deadline: 0,
        ..son_la_2021()
    };
    given(&son_la())
        .when(report(counts, None))
        .then_invalid("counts");
}

#[test]
fn a_period_does_not_end_before_it_starts() {
    given(&son_la())
        .when(Command::ReportDossierStatistics {
            agency_id: UBND_SON_LA,
            period_from: date(2021, 12, 14),
            period_to: date(2020, 12, 15),
            field: None,
            counts: son_la_2021(),
            satisfaction_percent: None,
            reason: None,
        })
        .then_invalid("period_to");
}

#[test]
fn digitised_dossiers_cannot_exceed_those_received() {
    given(&son_la())
        .when(report(
            DossierCounts {
                digitised: Some(48_538),
                ..son_la_2021()
            },
            None,
        ))
        .then_invalid("counts.digitised");
}

#[test]
fn dossier_satisfaction_is_a_percentage() {
    given(&son_la())
        .when(Command::ReportDossierStatistics {
            agency_id: UBND_SON_LA,
            period_from: date(2020, 12, 15),
            period_to: date(2021, 12, 14),
            field: None,
            counts: son_la_2021(),
            satisfaction_percent: Some(f64::NAN),
            reason: None,
        })
        .then_invalid("satisfaction_percent");
}

#[test]
fn statistics_are_reported_by_a_known_agency() {
    given(&[])
        .when(report(son_la_2021(), None))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UBND_SON_LA.to_string(),
        });
}

#[test]
fn reporting_the_same_period_and_field_again_is_a_correction() {
    let history = [son_la(), vec![reported(son_la_2021(), false)]].concat();
    given(&history)
        .when(report(son_la_2021(), None))
        .then_invalid("reason");
    given(&history)
        .when(report(
            son_la_2021(),
            Some("Bổ sung số liệu hồ sơ trực tuyến"),
        ))
        .then(&[reported(son_la_2021(), true)]);
    // A blank field is no field: the same key as the report on record.
    let Command::ReportDossierStatistics {
        agency_id,
        period_from,
        period_to,
        counts,
        satisfaction_percent,
        ..
    } = report(son_la_2021(), None)
    else {
        unreachable!("a report")
    };
    given(&history)
        .when(Command::ReportDossierStatistics {
            agency_id,
            period_from,
            period_to,
            field: Some("  ".to_owned()),
            counts: counts.clone(),
            satisfaction_percent,
            reason: None,
        })
        .then_invalid("reason");
    // Another field of the same period is a report of its own.
    given(&history)
        .when(Command::ReportDossierStatistics {
            agency_id,
            period_from,
            period_to,
            field: Some("Đất đai".to_owned()),
            counts: counts.clone(),
            satisfaction_percent,
            reason: None,
        })
        .then(&[Event::DossierStatisticsReported(
            DossierStatisticsReported {
                agency_id,
                period_from,
                period_to,
                field: Some("Đất đai".to_owned()),
                counts,
                satisfaction_percent,
                correction: false,
            },
        )]);
}

#[test]
fn optional_texts_of_evaluations_are_checked_when_given() {
    given(&da_nang())
        .when(Command::PublishParIndex {
            agency_id: SO_NOI_VU_DA_NANG,
            year: 2022,
            block: Block::Departments,
            outcome: noi_vu_2022(),
            decision: Some("Quyết định\u{7}".to_owned()),
            reason: None,
        })
        .then_invalid("decision");
    let Command::ReportDossierStatistics {
        agency_id,
        period_from,
        period_to,
        counts,
        satisfaction_percent,
        ..
    } = report(son_la_2021(), None)
    else {
        unreachable!("a report")
    };
    given(&son_la())
        .when(Command::ReportDossierStatistics {
            agency_id,
            period_from,
            period_to,
            field: Some("Đất\u{0}đai".to_owned()),
            counts,
            satisfaction_percent,
            reason: None,
        })
        .then_invalid("field");
}

#[test]
fn sipas_is_published_for_a_known_agency_and_a_plausible_year() {
    given(&[])
        .when(sipas(83.6, None))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: SO_NOI_VU_DA_NANG.to_string(),
        });
    given(&da_nang())
        .when(Command::PublishSipas {
            agency_id: SO_NOI_VU_DA_NANG,
            year: 1900,
            satisfaction_percent: 83.6,
            respondents: None,
            reason: None,
        })
        .then_invalid("year");
}

#[test]
fn points_above_a_fields_maximum_are_bonus_points() {
    let ParOutcome::Scored {
        mut field_scores,
        self_assessed_total,
        total,
        ..
    } = noi_vu_2022()
    else {
        unreachable!("scored")
    };
    // The same 101.19, but with the bonus booked inside a field.
    if let Some(digital) = field_scores
        .iter_mut()
        .find(|f| f.field == "DIGITAL_GOVERNMENT")
    {
        digital.appraised += 2.0;
    }
    let message = given(&da_nang())
        .when(publish_par(
            SO_NOI_VU_DA_NANG,
            ParOutcome::Scored {
                field_scores,
                bonus_points: None,
                self_assessed_total,
                total,
            },
            None,
        ))
        .then_invalid("outcome.field_scores.appraised");
    assert!(
        message.contains("DIGITAL_GOVERNMENT") && message.contains("bonus"),
        "{message}"
    );
}

// --- band schemes -------------------------------------------------------------------

fn bands(cuts: &[(&str, f64)]) -> Vec<BandDefinition> {
    cuts.iter()
        .map(|(name, min_total)| BandDefinition {
            name: (*name).to_owned(),
            min_total: *min_total,
        })
        .collect()
}

fn set_bands(
    jurisdiction: &str,
    from_year: i32,
    cuts: &[(&str, f64)],
    reason: Option<&str>,
) -> Command {
    Command::SetBandScheme {
        jurisdiction: jurisdiction.to_owned(),
        from_year,
        bands: bands(cuts),
        reason: reason.map(str::to_owned),
    }
}

#[test]
fn a_band_scheme_is_kept_best_first_per_jurisdiction_and_year() {
    // Given in any order, kept best first.
    let world = given(&[])
        .when(set_bands(
            "vn-dn",
            2022,
            &[
                ("Tốt", 80.0),
                ("Xuất sắc", 90.0),
                ("Yếu", 0.0),
                ("Khá", 70.0),
            ],
            None,
        ))
        .then(&[Event::BandSchemeSet(BandSchemeSet {
            jurisdiction: "VN-DN".to_owned(),
            from_year: 2022,
            bands: bands(&[
                ("Xuất sắc", 90.0),
                ("Tốt", 80.0),
                ("Khá", 70.0),
                ("Yếu", 0.0),
            ]),
            correction: false,
        })]);
    assert_eq!(world.band_schemes["VN-DN"][&2022].len(), 4);
    // The national scheme is its own stream; a later year is a new scheme, not a
    // correction.
    let national = [("A", 90.0), ("B", 80.0), ("C", 0.0)];
    let world = given(&[])
        .when(set_bands("VN", 2024, &national, None))
        .then(&[Event::BandSchemeSet(BandSchemeSet {
            jurisdiction: "VN".to_owned(),
            from_year: 2024,
            bands: bands(&national),
            correction: false,
        })]);
    assert!(world.band_schemes.contains_key("VN"));
}

#[test]
fn changing_a_years_scheme_is_a_correction_with_a_reason() {
    let first = Event::BandSchemeSet(BandSchemeSet {
        jurisdiction: "VN-DN".to_owned(),
        from_year: 2022,
        bands: bands(&[("Xuất sắc", 90.0), ("Tốt", 80.0), ("Yếu", 0.0)]),
        correction: false,
    });
    let changed = [
        ("Xuất sắc", 90.0),
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Yếu", 0.0),
    ];
    let message = given(std::slice::from_ref(&first))
        .when(set_bands("VN-DN", 2022, &changed, None))
        .then_invalid("reason");
    assert!(message.contains("already published"), "{message}");
    given(std::slice::from_ref(&first))
        .when(set_bands(
            "VN-DN",
            2022,
            &changed,
            Some("Quyết định 12/QĐ-UBND bổ sung mức Khá"),
        ))
        .then(&[Event::BandSchemeSet(BandSchemeSet {
            jurisdiction: "VN-DN".to_owned(),
            from_year: 2022,
            bands: bands(&changed),
            correction: true,
        })]);
    let message = given(std::slice::from_ref(&first))
        .when(set_bands(
            "VN-DN",
            2022,
            &[("Tốt", 80.0), ("Xuất sắc", 90.0), ("Yếu", 0.0)],
            Some("Nhập lại"),
        ))
        .then_invalid("bands");
    assert!(
        message.contains("already has exactly these bands"),
        "{message}"
    );
}

#[test]
fn bands_are_named_once_start_apart_and_cover_every_total() {
    for (cuts, field) in [
        (vec![], "bands"),
        (
            vec![("Tốt", 80.0), ("tốt", 70.0), ("Yếu", 0.0)],
            "bands.name",
        ),
        (
            vec![("Tốt", 80.0), ("Khá", 80.0), ("Yếu", 0.0)],
            "bands.min_total",
        ),
        (vec![("Tốt", 80.0), ("Khá", 70.0)], "bands.min_total"),
        (vec![("Tốt", 250.0), ("Yếu", 0.0)], "bands.min_total"),
        (vec![(" ", 80.0), ("Yếu", 0.0)], "bands.name"),
    ] {
        given(&[])
            .when(set_bands("VN-DN", 2022, &cuts, None))
            .then_invalid(field);
    }
    given(&[])
        .when(set_bands("Đà Nẵng", 2022, &[("Yếu", 0.0)], None))
        .then_invalid("jurisdiction");
}
