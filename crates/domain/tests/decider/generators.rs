//! Generators of commands for the property tests: values sensible and not, small
//! pools of identifiers so that sequences build real histories, and a foundation of
//! agencies, documents and tasks to build on.

use chrono::NaiveDate;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use reform_domain::{
    AgencyId, AgencyTier, Block, Command, CrossCutting, Deadline, Direction, DirectivePoint,
    DirectivePointRef, DocumentHeader, DocumentId, DossierCounts, FieldScore, IndicatorId,
    JurisdictionLevel, ParOutcome, Period, Person, Pillar, ProgramLevel, RollupRule, TaskCategory,
    TaskId,
};
use uuid::Uuid;

// --- values, sensible and not ------------------------------------------------------

/// Text a user might type, composed or decomposed, padded or not.
fn sensible_text() -> BoxedStrategy<String> {
    select(vec![
        "Sở Nội vụ",
        "Cải cách thủ tục hành chính",
        "Nghị quyết 190/2025/QH15",
        "Kế hoạch 280/KH-UBND",
        "Ca\u{0309}i ca\u{0301}ch",
        "  Ủy ban nhân dân tỉnh Sơn La  ",
        "Rà soát\nđơn giản hóa",
    ])
    .prop_map(str::to_owned)
    .boxed()
}

/// Mostly sensible text, sometimes empty, blank, with control characters, too long,
/// or anything at all.
fn text() -> BoxedStrategy<String> {
    let sensible = sensible_text();
    let nonsense = select(vec!["", "   ", "\u{0}", "a\u{7}b", "\u{3000}"]).prop_map(str::to_owned);
    prop_oneof![
        60 => sensible,
        3 => nonsense,
        1 => Just("ệ".repeat(501)),
        2 => any::<String>(),
    ]
    .boxed()
}

fn optional_text() -> BoxedStrategy<Option<String>> {
    option::of(text()).boxed()
}

fn date() -> BoxedStrategy<NaiveDate> {
    prop_oneof![
        8 => (2019..=2031i32, 1..=12u32, 1..=28u32)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)),
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
        1 => any::<i32>().prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MAX)),
    ]
    .boxed()
}

fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        6 => 0.0..=120.0f64,
        2 => select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 101.19, 1e308, -1e308, f64::MIN_POSITIVE]),
        2 => any::<f64>(),
    ]
    .boxed()
}

fn year() -> BoxedStrategy<i32> {
    prop_oneof![8 => 2019..=2031i32, 1 => any::<i32>(), 1 => Just(1944)].boxed()
}

fn count() -> BoxedStrategy<u64> {
    prop_oneof![6 => 0..2_000u64, 1 => Just(u64::MAX), 1 => any::<u64>()].boxed()
}

fn person() -> BoxedStrategy<Person> {
    (text(), optional_text())
        .prop_map(|(name, title)| Person { name, title })
        .boxed()
}

fn sensible_period() -> BoxedStrategy<Period> {
    (2019..=2026i32, 0..=5i32)
        .prop_map(|(from_year, years)| Period {
            from_year,
            to_year: from_year + years,
        })
        .boxed()
}

fn period() -> BoxedStrategy<Period> {
    prop_oneof![
        4 => sensible_period(),
        1 => (year(), year()).prop_map(|(from_year, to_year)| Period { from_year, to_year }),
    ]
    .boxed()
}

// --- identifiers: small pools, plus one stranger -------------------------------------

/// Mostly three agencies that tend to get registered, sometimes two others.
fn agency_id() -> BoxedStrategy<AgencyId> {
    prop_oneof![4 => 0..3u128, 1 => 0..5u128]
        .prop_map(|n| AgencyId(Uuid::from_u128(0xA6E0_0000 + n)))
        .boxed()
}

fn agencies() -> BoxedStrategy<Vec<AgencyId>> {
    vec(agency_id(), 0..3).boxed()
}

fn document(n: u128) -> DocumentId {
    DocumentId(Uuid::from_u128(0xD0C0_0000 + n))
}

/// Any document of the pool: 0–1 are meant for programs (mostly 0), 2 for a directive,
/// 3–4 for plans, but every command may name any of them.
fn document_id() -> BoxedStrategy<DocumentId> {
    (0..5u128).prop_map(document).boxed()
}

/// Mostly the documents meant for `kind`, sometimes any other.
fn document_for(kind: std::ops::Range<u128>) -> BoxedStrategy<DocumentId> {
    prop_oneof![4 => kind.prop_map(document), 1 => document_id()].boxed()
}

fn task(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x7A5C_0000 + n))
}

/// Mostly the two tasks the foundation creates, sometimes three others.
fn task_id() -> BoxedStrategy<TaskId> {
    prop_oneof![3 => 0..2u128, 2 => 0..5u128]
        .prop_map(task)
        .boxed()
}

fn indicator_code() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(vec!["ONLINE_PROCEDURES_L34", " online_procedures_l34", "PAID_ONLINE", "SIPAS"]).prop_map(str::to_owned),
        2 => text(),
    ]
    .boxed()
}

fn indicator_id() -> BoxedStrategy<IndicatorId> {
    prop_oneof![
        6 => indicator_code().prop_map(|c| IndicatorId::for_code(&c)),
        1 => Just(IndicatorId(Uuid::nil())),
    ]
    .boxed()
}

// --- structured values ---------------------------------------------------------------

fn header() -> BoxedStrategy<DocumentHeader> {
    let issuing_agency = prop_oneof![3 => Just(None), 1 => agency_id().prop_map(Some)];
    (
        text(),
        text(),
        date(),
        text(),
        issuing_agency,
        option::of(person()),
    )
        .prop_map(
            |(number, title, issued_on, issuer, issuing_agency, signer)| DocumentHeader {
                number,
                title,
                issued_on,
                issuer,
                issuing_agency,
                signer,
            },
        )
        .boxed()
}

fn points() -> BoxedStrategy<Vec<DirectivePoint>> {
    vec(
        (0..5u32, text(), vec(select(Pillar::ALL), 0..3)).prop_map(|(number, text, pillars)| {
            DirectivePoint {
                number,
                text,
                pillars,
            }
        }),
        0..4,
    )
    .boxed()
}

fn deadline() -> BoxedStrategy<Deadline> {
    prop_oneof![4 => date().prop_map(Deadline::On), 1 => Just(Deadline::Ongoing)].boxed()
}

fn category() -> BoxedStrategy<TaskCategory> {
    prop_oneof![
        select(Pillar::ALL).prop_map(TaskCategory::Pillar),
        select(CrossCutting::ALL).prop_map(TaskCategory::CrossCutting),
    ]
    .boxed()
}

fn field_score() -> BoxedStrategy<FieldScore> {
    (text(), number(), option::of(number()), number())
        .prop_map(|(field, max_points, self_assessed, appraised)| FieldScore {
            field,
            max_points,
            self_assessed,
            appraised,
        })
        .boxed()
}

fn par_outcome() -> BoxedStrategy<ParOutcome> {
    prop_oneof![
        // Fields that add up, so that results are actually published.
        3 => vec((0.0..=20.0f64).prop_map(|p| (p * 100.0).round() / 100.0), 0..8).prop_map(|scores| {
            let total = scores.iter().sum();
            ParOutcome::Scored {
                field_scores: scores
                    .into_iter()
                    .enumerate()
                    .map(|(i, appraised)| FieldScore {
                        field: format!("FIELD_{i}"),
                        max_points: 20.0,
                        self_assessed: None,
                        appraised,
                    })
                    .collect(),
                bonus_points: None,
                self_assessed_total: None,
                total,
            }
        }),
        2 => (vec(field_score(), 0..4), option::of(number()), option::of(number()), number()).prop_map(
            |(field_scores, bonus_points, self_assessed_total, total)| ParOutcome::Scored {
                field_scores,
                bonus_points,
                self_assessed_total,
                total,
            }
        ),
        1 => text().prop_map(|reason| ParOutcome::NotEvaluated { reason }),
    ]
    .boxed()
}

fn dossier_counts() -> BoxedStrategy<DossierCounts> {
    let balanced = (
        vec(0..20_000u64, 5),
        any::<u8>(),
        any::<u8>(),
        option::of(0..100u64),
    )
        .prop_map(|(parts, online_share, apology_letters, digitised)| {
            let total: u64 = parts.iter().sum();
            let online = total * u64::from(online_share) / 255;
            DossierCounts {
                received_online: online,
                received_in_person: total - online,
                carried_over: 0,
                resolved_early: parts[0],
                resolved_on_time: parts[1],
                resolved_late: parts[2],
                in_process_within_deadline: parts[3],
                in_process_overdue: parts[4],
                apology_letters: u64::from(apology_letters),
                digitised,
            }
        });
    let arbitrary = (
        (count(), count(), count(), count(), count()),
        (count(), count(), count(), count(), option::of(count())),
    )
        .prop_map(
            |(
                (
                    received_online,
                    received_in_person,
                    carried_over,
                    resolved_early,
                    resolved_on_time,
                ),
                (
                    resolved_late,
                    in_process_within_deadline,
                    in_process_overdue,
                    apology_letters,
                    digitised,
                ),
            )| DossierCounts {
                received_online,
                received_in_person,
                carried_over,
                resolved_early,
                resolved_on_time,
                resolved_late,
                in_process_within_deadline,
                in_process_overdue,
                apology_letters,
                digitised,
            },
        );
    prop_oneof![3 => balanced, 1 => arbitrary].boxed()
}

// --- commands ------------------------------------------------------------------------

type Weighted = Vec<(u32, BoxedStrategy<Command>)>;

fn agency_commands() -> Weighted {
    vec![
        (
            4,
            (agency_id(), text(), optional_text(), select(AgencyTier::ALL), option::of(select(Block::ALL)))
                .prop_flat_map(|(id, name, short_name, tier, block)| {
                    (
                        prop_oneof![4 => Just("VN-23".to_owned()), 1 => Just("vn".to_owned()), 1 => text()],
                        prop_oneof![3 => Just(None), 1 => agency_id().prop_map(Some)],
                    )
                        .prop_map(move |(jurisdiction, parent)| Command::RegisterAgency {
                            agency_id: id,
                            name: name.clone(),
                            short_name: short_name.clone(),
                            tier,
                            block,
                            jurisdiction,
                            parent,
                        })
                })
                .boxed(),
        ),
        (
            1,
            (agency_id(), text(), date(), text())
                .prop_map(|(agency_id, new_name, effective_on, reason)| Command::RenameAgency {
                    agency_id,
                    new_name,
                    effective_on,
                    reason,
                })
                .boxed(),
        ),
        (
            1,
            (agency_id(), person(), date(), optional_text())
                .prop_map(|(agency_id, head, from, decision)| Command::AppointHead { agency_id, head, from, decision })
                .boxed(),
        ),
        (
            1,
            (agency_id(), agency_id(), date(), text())
                .prop_map(|(agency_id, successor, effective_on, legal_basis)| Command::MergeAgency {
                    agency_id,
                    successor,
                    effective_on,
                    legal_basis,
                })
                .boxed(),
        ),
        (
            1,
            (agency_id(), date(), text(), text())
                .prop_map(|(agency_id, effective_on, legal_basis, reason)| Command::DissolveAgency {
                    agency_id,
                    effective_on,
                    legal_basis,
                    reason,
                })
                .boxed(),
        ),
    ]
}

fn document_commands() -> Weighted {
    vec![
        (
            2,
            (
                prop_oneof![3 => Just(document(0)), 1 => document_for(0..2)],
                header(),
                select(ProgramLevel::ALL),
                prop_oneof![3 => Just(None), 1 => document_for(0..2).prop_map(Some)],
                period(),
            )
                .prop_map(|(document_id, header, level, parent_program, period)| {
                    Command::IssueProgram {
                        document_id,
                        header,
                        level,
                        jurisdiction: "VN".to_owned(),
                        parent_program,
                        period,
                    }
                })
                .boxed(),
        ),
        (
            2,
            (
                document_for(2..3),
                header(),
                option::of(prop_oneof![3 => Just(document(0)), 1 => document_id()]),
                points(),
            )
                .prop_map(
                    |(document_id, header, program, points)| Command::IssueDirective {
                        document_id,
                        header,
                        program,
                        jurisdiction: "VN-05".to_owned(),
                        points,
                    },
                )
                .boxed(),
        ),
        (
            3,
            (
                document_for(3..5),
                header(),
                prop_oneof![3 => Just(document(0)), 1 => Just(document(2)), 1 => document_id()],
                agency_id(),
                period(),
            )
                .prop_map(
                    |(document_id, header, implements, issuing_agency, period)| {
                        Command::IssuePlan {
                            document_id,
                            header,
                            implements,
                            issuing_agency,
                            jurisdiction: "VN-05".to_owned(),
                            period,
                        }
                    },
                )
                .boxed(),
        ),
        (
            1,
            (
                document_id(),
                optional_text(),
                optional_text(),
                option::of(person()),
                option::of(period()),
                option::of(points()),
                text(),
            )
                .prop_map(
                    |(document_id, amended_by, title, signer, period, points, reason)| {
                        Command::AmendDocument {
                            document_id,
                            amended_by,
                            title,
                            signer,
                            period,
                            points,
                            reason,
                        }
                    },
                )
                .boxed(),
        ),
        (
            1,
            (
                prop_oneof![3 => Just(document(0)), 1 => document_id()],
                select(RollupRule::ALL),
                text(),
            )
                .prop_map(|(document_id, rule, reason)| Command::SetRollupRule {
                    document_id,
                    rule,
                    reason,
                })
                .boxed(),
        ),
    ]
}

fn task_commands() -> Weighted {
    vec![
        (
            5,
            (
                (task_id(), document_for(3..5), prop_oneof![3 => Just(None), 1 => task_id().prop_map(Some)]),
                prop_oneof![
                    3 => Just(None),
                    1 => (document_for(2..3), 0..4u32)
                        .prop_map(|(directive, point)| Some(DirectivePointRef { directive, point })),
                ],
                (category(), text(), optional_text()),
                (agency_id(), agencies(), deadline(), text()),
                option::of(prop_oneof![4 => 1..=5u32, 1 => any::<u32>()]),
            )
                .prop_map(
                    |(
                        (task_id, plan, parent_task),
                        directive_point,
                        (category, title, description),
                        (lead, coordinators, deadline, expected_output),
                        weight,
                    )| Command::CreateTask {
                        reference: (task_id.0.as_u128() % 3 == 0).then(|| format!("{}.{}", task_id.0.as_u128() % 7, task_id.0.as_u128() % 5)),
                        task_id,
                        plan,
                        parent_task,
                        directive_point,
                        category,
                        title,
                        description,
                        lead,
                        coordinators,
                        deadline,
                        expected_output,
                        weight,
                    },
                )
                .boxed(),
        ),
        (
            1,
            (
                task_id(),
                (option::of(text()), option::of(text()), option::of(category())),
                (option::of(deadline()), option::of(agencies()), text()),
            )
                .prop_map(
                    |(task_id, (title, expected_output, category), (deadline, coordinators, reason))| {
                        Command::AmendTask {
                            task_id,
                            title,
                            expected_output,
                            category,
                            deadline,
                            coordinators,
                            reason,
                        }
                    },
                )
                .boxed(),
        ),
        (
            1,
            (task_id(), agency_id(), option::of(agencies()), text())
                .prop_map(|(task_id, new_lead, coordinators, reason)| Command::ReassignTask {
                    task_id,
                    new_lead,
                    coordinators,
                    reason,
                })
                .boxed(),
        ),
        (
            1,
            (task_id(), agency_id(), agency_id(), text())
                .prop_map(|(task_id, from_agency, to_agency, legal_basis)| Command::TransferTask {
                    task_id,
                    from_agency,
                    to_agency,
                    legal_basis,
                })
                .boxed(),
        ),
        (
            1,
            (task_id(), date(), text())
                .prop_map(|(task_id, new_deadline, reason)| Command::ExtendDeadline { task_id, new_deadline, reason })
                .boxed(),
        ),
        (
            2,
            (task_id(), agency_id(), prop_oneof![3 => 0..=100u8, 1 => any::<u8>()], text(), vec(text(), 0..3), date())
                .prop_map(|(task_id, reporter_agency, percent, note, evidence, as_of)| Command::ReportProgress {
                    task_id,
                    reporter_agency,
                    percent,
                    note,
                    evidence,
                    as_of,
                })
                .boxed(),
        ),
        (
            2,
            (task_id(), agency_id(), text(), date())
                .prop_map(|(task_id, reporter_agency, output, completed_on)| Command::CompleteTask {
                    task_id,
                    reporter_agency,
                    output,
                    completed_on,
                })
                .boxed(),
        ),
        (1, (task_id(), text()).prop_map(|(task_id, reason)| Command::ReopenTask { task_id, reason }).boxed()),
        (1, (task_id(), text()).prop_map(|(task_id, reason)| Command::CancelTask { task_id, reason }).boxed()),
    ]
}

fn measure_commands() -> Weighted {
    vec![
        (
            2,
            (
                indicator_code(),
                text(),
                text(),
                select(Direction::ALL),
                option::of(number()),
                option::of(date()),
            )
                .prop_flat_map(|(code, name, unit, direction, baseline, baseline_on)| {
                    option::of(document_id()).prop_map(move |program| Command::DefineIndicator {
                        code: code.clone(),
                        name: name.clone(),
                        unit: unit.clone(),
                        direction,
                        baseline,
                        baseline_on,
                        jurisdiction: "VN".to_owned(),
                        program,
                    })
                })
                .boxed(),
        ),
        (
            1,
            (indicator_id(), year(), number())
                .prop_map(|(indicator_id, year, value)| Command::SetIndicatorTarget {
                    indicator_id,
                    year,
                    value,
                })
                .boxed(),
        ),
        (
            1,
            (indicator_id(), date(), number(), optional_text())
                .prop_map(
                    |(indicator_id, measured_on, value, source)| Command::RecordMeasurement {
                        indicator_id,
                        measured_on,
                        value,
                        source,
                    },
                )
                .boxed(),
        ),
        (
            2,
            (
                agency_id(),
                year(),
                select(Block::ALL),
                par_outcome(),
                optional_text(),
                optional_text(),
            )
                .prop_map(|(agency_id, year, block, outcome, decision, reason)| {
                    Command::PublishParIndex {
                        agency_id,
                        year,
                        block,
                        outcome,
                        decision,
                        reason,
                    }
                })
                .boxed(),
        ),
        (
            1,
            (
                prop_oneof![Just("VN-DN".to_owned()), Just("VN".to_owned()), text()],
                year(),
                vec(
                    (
                        text(),
                        prop_oneof![3 => Just(0.0), 3 => 50.0..100.0f64, 1 => number()],
                    ),
                    0..5,
                ),
                optional_text(),
            )
                .prop_map(
                    |(jurisdiction, from_year, bands, reason)| Command::SetBandScheme {
                        jurisdiction,
                        from_year,
                        bands: bands
                            .into_iter()
                            .map(|(name, min_total)| reform_domain::BandDefinition {
                                name,
                                min_total,
                            })
                            .collect(),
                        reason,
                    },
                )
                .boxed(),
        ),
        (
            1,
            (
                agency_id(),
                year(),
                number(),
                option::of(any::<u64>()),
                optional_text(),
            )
                .prop_map(
                    |(agency_id, year, satisfaction_percent, respondents, reason)| {
                        Command::PublishSipas {
                            agency_id,
                            year,
                            satisfaction_percent,
                            respondents,
                            reason,
                        }
                    },
                )
                .boxed(),
        ),
        (
            2,
            (
                agency_id(),
                date(),
                date(),
                optional_text(),
                dossier_counts(),
                option::of(number()),
                optional_text(),
            )
                .prop_map(
                    |(
                        agency_id,
                        period_from,
                        period_to,
                        field,
                        counts,
                        satisfaction_percent,
                        reason,
                    )| {
                        Command::ReportDossierStatistics {
                            agency_id,
                            period_from,
                            period_to,
                            field,
                            counts,
                            satisfaction_percent,
                            reason,
                        }
                    },
                )
                .boxed(),
        ),
    ]
}

/// The register: establishing the nation, provinces and communes under pools of
/// codes (sensible and not), and merging them.
fn jurisdiction_commands() -> Weighted {
    let code = || {
        prop_oneof![
            3 => select(vec!["VN", "VN-23", "VN-DN", "VN-27", "VN-DN-01", "VN-27-02"]).prop_map(str::to_owned),
            1 => text(),
        ]
    };
    vec![
        (
            2,
            (
                code(),
                text(),
                select(JurisdictionLevel::ALL),
                option::of(code()),
                date(),
                optional_text(),
            )
                .prop_map(|(code, name, level, parent, established_on, legal_basis)| {
                    Command::EstablishJurisdiction {
                        code,
                        name,
                        level,
                        parent,
                        established_on,
                        legal_basis,
                    }
                })
                .boxed(),
        ),
        (
            1,
            (code(), code(), date(), text())
                .prop_map(|(code, successor, effective_on, legal_basis)| {
                    Command::MergeJurisdiction {
                        code,
                        successor,
                        effective_on,
                        legal_basis,
                    }
                })
                .boxed(),
        ),
    ]
}

/// Any command.
pub(crate) fn command() -> impl Strategy<Value = Command> {
    Union::new_weighted(
        [
            jurisdiction_commands(),
            agency_commands(),
            document_commands(),
            task_commands(),
            measure_commands(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    )
}

/// Three agencies, a program, a directive, two plans, two tasks and an indicator, all
/// sensible: what everything else refers to. Without them, random sequences rarely get
/// as far as reporting on a task.
fn foundation() -> BoxedStrategy<Vec<Command>> {
    let agency = |n: u128| AgencyId(Uuid::from_u128(0xA6E0_0000 + n));
    let header = || {
        // Issued before the deadlines its tasks set (a plan sets none before its issue).
        let issued = (1..=365u64).prop_map(|d| {
            NaiveDate::from_ymd_opt(2018, 1, 1).unwrap_or(NaiveDate::MIN) + chrono::Days::new(d)
        });
        (sensible_text(), sensible_text(), issued).prop_map(|(number, title, issued_on)| {
            DocumentHeader {
                number,
                title,
                issued_on,
                issuer: "UBND tỉnh Sơn La".to_owned(),
                issuing_agency: None,
                signer: None,
            }
        })
    };
    let agencies = vec(
        (
            sensible_text(),
            select(AgencyTier::ALL),
            option::of(select(Block::ALL)),
        ),
        3,
    )
    .prop_map(move |agencies| -> Vec<Command> {
        (0..)
            .zip(agencies)
            .map(|(n, (name, tier, block))| Command::RegisterAgency {
                agency_id: agency(n),
                name,
                short_name: None,
                tier,
                block,
                jurisdiction: "VN-05".to_owned(),
                parent: (n > 0).then(|| agency(0)),
            })
            .collect()
    });
    let program =
        (header(), sensible_period()).prop_map(|(header, period)| Command::IssueProgram {
            document_id: document(0),
            header,
            level: ProgramLevel::National,
            jurisdiction: "VN".to_owned(),
            parent_program: None,
            period,
        });
    let directive = (
        header(),
        vec((sensible_text(), vec(select(Pillar::ALL), 0..3)), 1..=4),
    )
        .prop_map(|(header, points)| Command::IssueDirective {
            document_id: document(2),
            header,
            program: Some(document(0)),
            jurisdiction: "VN-05".to_owned(),
            points: (1..)
                .zip(points)
                .map(|(number, (text, pillars))| DirectivePoint {
                    number,
                    text,
                    pillars,
                })
                .collect(),
        });
    let plans = vec(
        (
            header(),
            prop_oneof![Just(document(0)), Just(document(2))],
            0..3u128,
            sensible_period(),
        ),
        2,
    )
    .prop_map(move |plans| -> Vec<Command> {
        (3..)
            .zip(plans)
            .map(
                |(n, (header, implements, issuer, period))| Command::IssuePlan {
                    document_id: document(n),
                    header,
                    implements,
                    issuing_agency: agency(issuer),
                    jurisdiction: "VN-05".to_owned(),
                    period,
                },
            )
            .collect()
    });
    let tasks = vec(
        (
            sensible_text(),
            0..3u128,
            0..3u128,
            deadline(),
            select(Pillar::ALL),
        ),
        2,
    )
    .prop_map(move |tasks| -> Vec<Command> {
        (0..)
            .zip(tasks)
            .map(
                |(n, (title, lead, coordinator, deadline, pillar))| Command::CreateTask {
                    reference: None,
                    task_id: task(n),
                    plan: document(3),
                    parent_task: None,
                    directive_point: None,
                    category: TaskCategory::Pillar(pillar),
                    title,
                    description: None,
                    lead: agency(lead),
                    coordinators: if coordinator == lead {
                        vec![]
                    } else {
                        vec![agency(coordinator)]
                    },
                    deadline,
                    expected_output: "Báo cáo kết quả".to_owned(),
                    weight: None,
                },
            )
            .collect()
    });
    let indicator =
        (select(Direction::ALL), option::of(0.0..=100.0f64)).prop_map(|(direction, baseline)| {
            Command::DefineIndicator {
                code: "ONLINE_PROCEDURES_L34".to_owned(),
                name: "Tỷ lệ dịch vụ công trực tuyến toàn trình".to_owned(),
                unit: "%".to_owned(),
                direction,
                baseline,
                baseline_on: None,
                jurisdiction: "VN".to_owned(),
                program: Some(document(0)),
            }
        });
    (agencies, program, directive, plans, tasks, indicator)
        .prop_map(|(agencies, program, directive, plans, tasks, indicator)| {
            [
                agencies,
                vec![program, directive],
                plans,
                tasks,
                vec![indicator],
            ]
            .concat()
        })
        .boxed()
}

/// A sequence of at most 40 commands (10 foundations and 30 others), mostly on a
/// sensible foundation, sometimes on an empty world.
pub(crate) fn commands() -> impl Strategy<Value = Vec<Command>> {
    (
        prop_oneof![1 => Just(register()), 1 => Just(vec![])],
        prop_oneof![4 => foundation(), 1 => Just(vec![])],
        vec(command(), 0..=30),
    )
        .prop_map(|(mut first, foundation, then)| {
            first.extend(foundation);
            first.extend(then);
            first
        })
}

/// A small register under which the foundation's jurisdictions exist, so that with it
/// loaded new records must name registered jurisdictions, and mergers can happen.
fn register() -> Vec<Command> {
    let on = NaiveDate::from_ymd_opt(2008, 8, 1).unwrap_or(NaiveDate::MIN);
    let establish = |code: &str, level, parent: Option<&str>| Command::EstablishJurisdiction {
        code: code.to_owned(),
        name: format!("Đơn vị {code}"),
        level,
        parent: parent.map(str::to_owned),
        established_on: on,
        legal_basis: None,
    };
    vec![
        establish("VN", JurisdictionLevel::Nation, None),
        establish("VN-05", JurisdictionLevel::Province, Some("VN")),
        establish("VN-23", JurisdictionLevel::Province, Some("VN")),
        establish("VN-DN", JurisdictionLevel::Province, Some("VN")),
        establish("VN-27", JurisdictionLevel::Province, Some("VN")),
        establish("VN-27-02", JurisdictionLevel::Commune, Some("VN-27")),
    ]
}
