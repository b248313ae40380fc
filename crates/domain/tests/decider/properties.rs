//! Properties of the decider over arbitrary command sequences, nonsense included:
//!
//! (a) `decide` never panics;
//! (b) folding the event log is deterministic: `World::from_events(log)` equals the world
//!     built one event at a time, every time;
//! (c) every event survives `payload_json` + `Event::decode` unchanged;
//! (d) every event a command causes belongs to the command's target stream.
//!
//! Commands draw their identifiers from small pools, so that sequences build real
//! histories (a plan, then a task in it, then progress on it…) as well as refusals.

use chrono::NaiveDate;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::Union;
use reform_domain::{
    decide, AgencyId, AgencyTier, Block, Command, CrossCutting, Deadline, Direction, DirectivePoint,
    DirectivePointRef, DocumentHeader, DocumentId, DossierCounts, Event, FieldScore, IndicatorId, ParOutcome, Period,
    Person, Pillar, ProgramLevel, TaskCategory, TaskId, World,
};
use uuid::Uuid;

// --- values, sensible and not ------------------------------------------------------

fn text() -> BoxedStrategy<String> {
    let sensible = select(vec![
        "Sở Nội vụ",
        "Cải cách thủ tục hành chính",
        "Nghị quyết 190/2025/QH15",
        "Kế hoạch 280/KH-UBND",
        "Ca\u{0309}i ca\u{0301}ch",
        "  Ủy ban nhân dân tỉnh Sơn La  ",
        "Rà soát\nđơn giản hóa",
    ])
    .prop_map(str::to_owned);
    let nonsense = select(vec!["", "   ", "\u{0}", "a\u{7}b", "\u{3000}"]).prop_map(str::to_owned);
    prop_oneof![
        8 => sensible,
        2 => nonsense,
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
    (text(), optional_text()).prop_map(|(name, title)| Person { name, title }).boxed()
}

fn period() -> BoxedStrategy<Period> {
    (year(), year()).prop_map(|(from_year, to_year)| Period { from_year, to_year }).boxed()
}

// --- identifiers: small pools, plus one stranger -------------------------------------

fn agency_id() -> BoxedStrategy<AgencyId> {
    (0..5u128).prop_map(|n| AgencyId(Uuid::from_u128(0xA6E0_0000 + n))).boxed()
}

fn agencies() -> BoxedStrategy<Vec<AgencyId>> {
    vec(agency_id(), 0..4).boxed()
}

fn document_id() -> BoxedStrategy<DocumentId> {
    (0..5u128).prop_map(|n| DocumentId(Uuid::from_u128(0xD0C0_0000 + n))).boxed()
}

fn task_id() -> BoxedStrategy<TaskId> {
    (0..5u128).prop_map(|n| TaskId(Uuid::from_u128(0x7A5C_0000 + n))).boxed()
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
    (text(), text(), date(), text(), option::of(agency_id()), option::of(person()))
        .prop_map(|(number, title, issued_on, issuer, issuing_agency, signer)| DocumentHeader {
            number,
            title,
            issued_on,
            issuer,
            issuing_agency,
            signer,
        })
        .boxed()
}

fn points() -> BoxedStrategy<Vec<DirectivePoint>> {
    vec(
        (0..5u32, text(), vec(select(Pillar::ALL), 0..3))
            .prop_map(|(number, text, pillars)| DirectivePoint { number, text, pillars }),
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
        .prop_map(|(field, max_points, self_assessed, appraised)| FieldScore { field, max_points, self_assessed, appraised })
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
                self_assessed_total: None,
                total,
            }
        }),
        2 => (vec(field_score(), 0..4), option::of(number()), number()).prop_map(
            |(field_scores, self_assessed_total, total)| ParOutcome::Scored { field_scores, self_assessed_total, total }
        ),
        1 => text().prop_map(|reason| ParOutcome::NotEvaluated { reason }),
    ]
    .boxed()
}

fn dossier_counts() -> BoxedStrategy<DossierCounts> {
    let balanced = (vec(0..20_000u64, 5), any::<u8>(), any::<u8>(), option::of(0..100u64)).prop_map(
        |(parts, online_share, apology_letters, digitised)| {
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
        },
    );
    let arbitrary = (
        (count(), count(), count(), count(), count()),
        (count(), count(), count(), count(), option::of(count())),
    )
        .prop_map(
            |(
                (received_online, received_in_person, carried_over, resolved_early, resolved_on_time),
                (resolved_late, in_process_within_deadline, in_process_overdue, apology_letters, digitised),
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

fn command() -> impl Strategy<Value = Command> {
    let agency_commands: Vec<(u32, BoxedStrategy<Command>)> = vec![
        (
            4,
            (agency_id(), text(), optional_text(), select(AgencyTier::ALL), option::of(select(Block::ALL)))
                .prop_flat_map(|(id, name, short_name, tier, block)| {
                    (
                        prop_oneof![4 => Just("VN-23".to_owned()), 1 => Just("vn".to_owned()), 1 => text()],
                        option::of(agency_id()),
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
    ];
    let document_commands: Vec<(u32, BoxedStrategy<Command>)> = vec![
        (
            2,
            (document_id(), header(), select(ProgramLevel::ALL), option::of(document_id()), period())
                .prop_map(|(document_id, header, level, parent_program, period)| Command::IssueProgram {
                    document_id,
                    header,
                    level,
                    jurisdiction: "VN".to_owned(),
                    parent_program,
                    period,
                })
                .boxed(),
        ),
        (
            2,
            (document_id(), header(), option::of(document_id()), points())
                .prop_map(|(document_id, header, program, points)| Command::IssueDirective {
                    document_id,
                    header,
                    program,
                    jurisdiction: "VN-05".to_owned(),
                    points,
                })
                .boxed(),
        ),
        (
            3,
            (document_id(), header(), document_id(), agency_id(), period())
                .prop_map(|(document_id, header, implements, issuing_agency, period)| Command::IssuePlan {
                    document_id,
                    header,
                    implements,
                    issuing_agency,
                    jurisdiction: "VN-05".to_owned(),
                    period,
                })
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
                .prop_map(|(document_id, amended_by, title, signer, period, points, reason)| Command::AmendDocument {
                    document_id,
                    amended_by,
                    title,
                    signer,
                    period,
                    points,
                    reason,
                })
                .boxed(),
        ),
    ];
    let task_commands: Vec<(u32, BoxedStrategy<Command>)> = vec![
        (
            5,
            (
                (task_id(), document_id(), option::of(task_id())),
                option::of((document_id(), 0..5u32).prop_map(|(directive, point)| DirectivePointRef { directive, point })),
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
            (task_id(), agency_id(), any::<u8>(), text(), vec(text(), 0..3), date())
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
    ];
    let measure_commands: Vec<(u32, BoxedStrategy<Command>)> = vec![
        (
            2,
            (indicator_code(), text(), text(), select(Direction::ALL), option::of(number()), option::of(date()))
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
                .prop_map(|(indicator_id, year, value)| Command::SetIndicatorTarget { indicator_id, year, value })
                .boxed(),
        ),
        (
            1,
            (indicator_id(), date(), number(), optional_text())
                .prop_map(|(indicator_id, measured_on, value, source)| Command::RecordMeasurement {
                    indicator_id,
                    measured_on,
                    value,
                    source,
                })
                .boxed(),
        ),
        (
            2,
            (agency_id(), year(), select(Block::ALL), par_outcome(), optional_text(), optional_text())
                .prop_map(|(agency_id, year, block, outcome, decision, reason)| Command::PublishParIndex {
                    agency_id,
                    year,
                    block,
                    outcome,
                    decision,
                    reason,
                })
                .boxed(),
        ),
        (
            1,
            (agency_id(), year(), number(), option::of(any::<u64>()), optional_text())
                .prop_map(|(agency_id, year, satisfaction_percent, respondents, reason)| Command::PublishSipas {
                    agency_id,
                    year,
                    satisfaction_percent,
                    respondents,
                    reason,
                })
                .boxed(),
        ),
        (
            2,
            (agency_id(), date(), date(), optional_text(), dossier_counts(), option::of(number()), optional_text())
                .prop_map(|(agency_id, period_from, period_to, field, counts, satisfaction_percent, reason)| {
                    Command::ReportDossierStatistics {
                        agency_id,
                        period_from,
                        period_to,
                        field,
                        counts,
                        satisfaction_percent,
                        reason,
                    }
                })
                .boxed(),
        ),
    ];
    Union::new_weighted(
        agency_commands.into_iter().chain(document_commands).chain(task_commands).chain(measure_commands).collect(),
    )
}

// --- the properties ------------------------------------------------------------------

/// Runs each command against the world so far, folding what is accepted. Checks (c)
/// and (d) on every event and returns the world and the log.
fn run(commands: Vec<Command>) -> Result<(World, Vec<Event>, usize), TestCaseError> {
    let mut world = World::default();
    let mut log = Vec::new();
    let mut accepted = 0;
    for command in commands {
        let target = command.target();
        let name = command.name();
        let first = decide(&world, command.clone());
        prop_assert_eq!(&first, &decide(&world, command.clone()), "{} is judged the same way twice", name);
        match first {
            Ok(events) => {
                accepted += 1;
                prop_assert!(!events.is_empty(), "{} was accepted without events", name);
                for event in events {
                    prop_assert_eq!(event.stream(), target.clone(), "{} wrote {} elsewhere", name, event.event_type());
                    let payload = event.payload_json();
                    let decoded = Event::decode(event.event_type(), event.schema_version(), &payload);
                    prop_assert_eq!(decoded.as_ref(), Ok(&event), "{} does not round-trip: {}", event.event_type(), payload);
                    world.apply(&event);
                    log.push(event);
                }
            }
            Err(err) => {
                prop_assert!(!err.to_string().trim().is_empty(), "{} was refused in silence", name);
                let _ = err.field();
            }
        }
    }
    Ok((world, log, accepted))
}

/// What every world folded from accepted events keeps true.
fn check_invariants(world: &World) -> Result<(), TestCaseError> {
    for task in world.tasks.values() {
        prop_assert!(!task.coordinators.contains(&task.lead), "task {} lists its lead as coordinator", task.title);
        let mut seen = task.coordinators.clone();
        seen.sort();
        seen.dedup();
        prop_assert_eq!(seen.len(), task.coordinators.len(), "task {} repeats a coordinator", task.title);
        prop_assert!(task.percent <= 100);
        prop_assert!((1..=1_000).contains(&task.weight));
    }
    for evaluations in world.evaluations.values() {
        for report in evaluations.dossiers.values() {
            let c = &report.counts;
            prop_assert_eq!(c.received(), c.resolved() + c.in_process(), "dossier counts balance");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_decider_is_total_and_its_log_folds_back_to_the_same_world(commands in vec(command(), 0..=40)) {
        let (world, log, _) = run(commands)?;
        prop_assert_eq!(&World::from_events(&log), &world);
        prop_assert_eq!(&World::from_events(&log), &world);
        let mut evolved = World::default();
        for event in &log {
            evolved = reform_domain::evolve(evolved, event);
        }
        prop_assert_eq!(&evolved, &world);
        check_invariants(&world)?;
    }
}

/// The generators are not so hostile that nothing is ever accepted: a property that
/// holds over empty logs proves little.
#[test]
fn sequences_build_real_histories() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut tasks, mut events, mut event_types) = (0, 0, std::collections::BTreeSet::new());
    for _ in 0..200 {
        let commands = vec(command(), 40).new_tree(&mut runner).expect("a sequence").current();
        let (world, log, _) = run(commands).expect("the properties hold");
        tasks += world.tasks.len();
        events += log.len();
        event_types.extend(log.iter().map(Event::event_type));
    }
    assert!(events > 1_000, "only {events} events accepted in 200 sequences");
    assert!(tasks > 20, "only {tasks} tasks created in 200 sequences");
    assert!(event_types.len() >= 18, "only these event types were ever produced: {event_types:?}");
}
