//! The read-models: kept by the follower, rebuilt, and folded as of a past date — three
//! ways to one answer, on SQLite and PostgreSQL.

use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use reform_cli::demo::load_demo;
use reform_cli::demo_data::demo_today;
use reform_projections::queries::{league_tables, pillar_progress};

use crate::support::da_nang_bands;
use reform_commands::CommandHandler;
use reform_projections::{
    as_of, rebuild, AgencyRowStatus, DocumentRowKind, Follower, ProgressModel, ReadDb,
    TaskRowStatus,
};
use tokio::sync::watch;

use crate::support::stores::{on_both_engines, TestStore};

fn far_future() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0)
        .single()
        .expect("valid time")
}

async fn demo(t: &TestStore) -> CommandHandler {
    let handler = CommandHandler::new(t.store.clone());
    load_demo(&handler).await.expect("demo loads");
    handler
}

on_both_engines!(
    follower_rebuild_and_time_travel_agree,
    the_demo_reproduces_da_nang_2022_and_hoai_duc,
    time_travel_shows_the_program_as_it_stood,
    a_follower_running_beside_writers_ends_equal_to_a_rebuild,
    each_roll_up_rule_makes_its_percentage_and_a_change_of_rule_is_history,
    heads_answer_for_what_fell_due_in_their_tenure,
    the_rollup_tree_shows_how_each_percentage_was_made,
);

async fn follower_rebuild_and_time_travel_agree(t: TestStore) {
    demo(&t).await;
    let db = ReadDb::connect(&t.url).await.expect("read db");
    let mut follower = Follower::load(t.store.clone(), db.clone())
        .await
        .expect("load");
    follower.catch_up().await.expect("catch up");
    let head = t.store.head().await.expect("head");
    assert_eq!(follower.position(), head);
    let (persisted, checkpoint) = db.load().await.expect("reload tables");
    assert_eq!(checkpoint, head);
    assert_eq!(
        &persisted,
        follower.model(),
        "the tables hold what the follower folded"
    );

    let events = rebuild(t.store.as_ref(), &db).await.expect("rebuild");
    assert_eq!(events, head);
    let (rebuilt, checkpoint) = db.load().await.expect("reload tables");
    assert_eq!(checkpoint, head);
    assert_eq!(rebuilt, persisted, "a rebuild gives the incremental result");

    let travelled = as_of(t.store.as_ref(), far_future())
        .await
        .expect("time travel");
    assert_eq!(
        travelled, rebuilt,
        "time travel to now gives the same model"
    );

    // A follower that kept its old state notices the rebuild and carries on.
    let mut stale = follower;
    stale.catch_up().await.expect("nothing new");
    assert_eq!(stale.position(), head);
}

fn da_nang(model: &ProgressModel) -> Vec<reform_projections::queries::BlockTable> {
    league_tables(model, 2022, Some("VN-DN"), &da_nang_bands())
}

async fn the_demo_reproduces_da_nang_2022_and_hoai_duc(t: TestStore) {
    demo(&t).await;
    let db = ReadDb::connect(&t.url).await.expect("read db");
    let mut follower = Follower::load(t.store.clone(), db).await.expect("load");
    follower.catch_up().await.expect("catch up");
    let model = follower.model();

    let tables = da_nang(model);
    let block = |code: &str| {
        tables
            .iter()
            .find(|t| t.block.code() == code)
            .expect("block present")
    };
    let counts = |code: &str| -> Vec<(String, usize)> {
        block(code)
            .band_counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .cloned()
            .collect()
    };
    let central = block("CENTRAL_AGENCIES");
    assert_eq!(central.ranked.len(), 5);
    assert_eq!(central.ranked[0].total, 98.81);
    assert!(central.ranked[0].name.starts_with("Công an thành phố"));
    assert_eq!(central.ranked[4].total, 67.26);
    assert!(central.ranked[4].name.starts_with("Cục Thuế"));
    assert_eq!(format!("{:.2}", central.average.expect("average")), "88.25");
    assert_eq!(
        format!("{:+.2}", central.change().expect("change on 2021")),
        "+1.92"
    );
    assert_eq!(
        counts("CENTRAL_AGENCIES"),
        vec![
            ("Xuất sắc".into(), 3),
            ("Tốt".into(), 1),
            ("Trung bình khá".into(), 1)
        ]
    );
    let departments = block("DEPARTMENTS");
    assert_eq!(departments.ranked.len(), 21);
    assert_eq!(
        departments.ranked[0].total, 101.19,
        "bonus points take a total past 100"
    );
    assert_eq!(
        counts("DEPARTMENTS"),
        vec![
            ("Xuất sắc".into(), 3),
            ("Tốt".into(), 10),
            ("Khá".into(), 7),
            ("Trung bình khá".into(), 1)
        ]
    );
    let districts = block("DISTRICTS");
    assert_eq!(
        counts("DISTRICTS"),
        vec![("Tốt".into(), 5), ("Khá".into(), 2)]
    );
    assert_eq!(districts.not_evaluated.len(), 1, "Hoàng Sa is listed apart");
    assert!(districts.not_evaluated[0].0.contains("Hoàng Sa"));

    let progress = pillar_progress(model, None, demo_today());
    let tasks: usize = progress.iter().map(|l| l.tasks).sum();
    let overdue: usize = progress.iter().map(|l| l.overdue).sum();
    let done: usize = progress.iter().map(|l| l.early + l.on_time + l.late).sum();
    assert_eq!((tasks, overdue, done), (10, 2, 4), "Hoài Đức on 20/12/2023");

    use reform_projections::queries::{self, TaskFilter, TaskOrder};
    let search = |q: &str| {
        let filter = TaskFilter {
            search: Some(q.into()),
            ..TaskFilter::default()
        };
        queries::tasks(model, &filter, TaskOrder::Title)
            .into_iter()
            .map(|t| t.title.clone())
            .collect::<Vec<_>>()
    };
    let found = search("cai cach");
    assert!(
        !found.is_empty() && found.iter().all(|t| t.to_lowercase().contains("cải cách")),
        "{found:?}"
    );
    assert_eq!(
        search("CẢI CÁCH"),
        found,
        "case and diacritics do not matter"
    );
    let overdue = TaskFilter {
        overdue_on: Some(demo_today()),
        ..TaskFilter::default()
    };
    let overdue = queries::tasks(model, &overdue, TaskOrder::Deadline);
    assert_eq!(overdue.len(), 2);
    assert!(
        overdue.windows(2).all(|w| w[0].deadline <= w[1].deadline),
        "ordered by deadline"
    );
}

async fn time_travel_shows_the_program_as_it_stood(t: TestStore) {
    demo(&t).await;
    let day = NaiveDate::from_ymd_opt(2023, 6, 30).expect("date");
    let end_of_day = day.and_hms_opt(23, 59, 59).expect("time").and_utc();
    let then = as_of(t.store.as_ref(), end_of_day)
        .await
        .expect("time travel");
    let now = as_of(t.store.as_ref(), far_future()).await.expect("now");

    let completed = |m: &ProgressModel| {
        m.tasks
            .values()
            .filter(|t| t.status == TaskRowStatus::Completed)
            .count()
    };
    assert!(
        completed(&then) < completed(&now),
        "tasks completed later are open on 30/06/2023"
    );
    assert!(then
        .tasks
        .values()
        .all(|t| t.completed_on.is_none_or(|d| d <= day)));
    assert!(then
        .tasks
        .values()
        .all(|t| t.last_reported_on.is_none_or(|d| d <= day)));
    // Đà Nẵng's 2022 results were published in 2023; the 2021 ones already stood.
    assert!(then.par.keys().all(|(_, year)| *year <= 2022));
    // Before the nation itself (the register dates it 02/09/1945).
    let before_everything = Utc
        .with_ymd_and_hms(1945, 9, 1, 0, 0, 0)
        .single()
        .expect("time");
    assert_eq!(
        as_of(t.store.as_ref(), before_everything)
            .await
            .expect("empty"),
        ProgressModel::default()
    );
}

async fn a_follower_running_beside_writers_ends_equal_to_a_rebuild(t: TestStore) {
    let db = ReadDb::connect(&t.url).await.expect("read db");
    let follower = Follower::load(t.store.clone(), db.clone())
        .await
        .expect("load");
    let (stop, stopped) = watch::channel(false);
    let running = tokio::spawn(follower.run(stopped));

    // Four writers load the demo at once: the same commands, so most are answered
    // from the record, while the follower applies whatever commits.
    let mut writers = Vec::new();
    for _ in 0..4 {
        let handler = CommandHandler::new(t.store.clone());
        writers.push(tokio::spawn(async move {
            load_demo(&handler).await.map(|_| ())
        }));
    }
    for w in writers {
        w.await.expect("writer").expect("demo");
    }
    let head = t.store.head().await.expect("head");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while db
        .checkpoint(reform_projections::PROGRESS)
        .await
        .expect("checkpoint")
        < head
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the follower did not catch up"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.send(true).expect("stop");
    running.await.expect("follower task").expect("follower");

    let (followed, _) = db.load().await.expect("tables");
    let (rebuilt_model, _) = {
        rebuild(t.store.as_ref(), &db).await.expect("rebuild");
        db.load().await.expect("tables")
    };
    assert_eq!(followed, rebuilt_model);
    assert_eq!(
        followed.tasks.len(),
        11,
        "ten tasks and a subtask, loaded once"
    );
}

/// Three tasks under one program: weights 1, 3 and 1; 40% reported on the first, the
/// second completed, the third (ongoing) cancelled. A fourth, ongoing, never reported.
async fn each_roll_up_rule_makes_its_percentage_and_a_change_of_rule_is_history(t: TestStore) {
    use reform_domain::{
        AgencyId, AgencyTier, Command, Deadline, DocumentHeader, DocumentId, Period, Pillar,
        ProgramLevel, RollupRule, TaskCategory, TaskId,
    };
    use reform_projections::queries::pillar_progress;
    use reform_store::{Actor, CommandMetadata};

    let handler = CommandHandler::new(t.store.clone());
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2024, m, d).expect("date");
    let send = |command: Command, m: u32, d: u32| {
        let handler = handler.clone();
        let at = day(m, d).and_hms_opt(9, 0, 0).expect("time").and_utc();
        async move {
            handler
                .execute(command, CommandMetadata::new(Actor::system(), at), None)
                .await
                .expect("accepted")
        }
    };
    let (agency, program, plan) = (
        AgencyId::generate(),
        DocumentId::generate(),
        DocumentId::generate(),
    );
    let header = |number: &str| DocumentHeader {
        number: number.into(),
        title: "Kế hoạch CCHC năm 2024".into(),
        issued_on: day(1, 2),
        issuer: "UBND tỉnh Sơn La".into(),
        issuing_agency: None,
        signer: None,
    };
    send(
        Command::RegisterAgency {
            agency_id: agency,
            name: "Sở Nội vụ tỉnh Sơn La".into(),
            short_name: None,
            tier: AgencyTier::Department,
            block: None,
            jurisdiction: "VN-05".into(),
            parent: None,
        },
        1,
        2,
    )
    .await;
    send(
        Command::IssueProgram {
            document_id: program,
            header: header("1/QĐ-UBND"),
            level: ProgramLevel::Provincial,
            jurisdiction: "VN-05".into(),
            parent_program: None,
            period: Period {
                from_year: 2021,
                to_year: 2030,
            },
        },
        1,
        2,
    )
    .await;
    send(
        Command::IssuePlan {
            document_id: plan,
            header: header("2/KH-UBND"),
            implements: program,
            issuing_agency: agency,
            jurisdiction: "VN-05".into(),
            period: Period {
                from_year: 2024,
                to_year: 2024,
            },
        },
        1,
        3,
    )
    .await;
    let tasks: Vec<TaskId> = (0..4).map(|_| TaskId::generate()).collect();
    for (i, (task, weight, deadline)) in [
        (tasks[0], 1, Deadline::On(day(12, 31))),
        (tasks[1], 3, Deadline::On(day(12, 31))),
        (tasks[2], 1, Deadline::Ongoing),
        (tasks[3], 1, Deadline::Ongoing),
    ]
    .into_iter()
    .enumerate()
    {
        send(
            Command::CreateTask {
                reference: None,
                task_id: task,
                plan,
                parent_task: None,
                directive_point: None,
                category: TaskCategory::Pillar(Pillar::CivilService),
                title: format!("Nhiệm vụ {i}"),
                description: None,
                lead: agency,
                coordinators: vec![],
                deadline,
                expected_output: "Báo cáo".into(),
                weight: Some(weight),
            },
            1,
            10,
        )
        .await;
    }
    send(
        Command::ReportProgress {
            task_id: tasks[0],
            reporter_agency: agency,
            percent: 40,
            note: "Đang làm".into(),
            evidence: vec![],
            as_of: day(3, 1),
        },
        3,
        1,
    )
    .await;
    send(
        Command::CompleteTask {
            task_id: tasks[1],
            reporter_agency: agency,
            output: "Xong".into(),
            completed_on: day(4, 1),
        },
        4,
        1,
    )
    .await;
    send(
        Command::CancelTask {
            task_id: tasks[2],
            reason: "Không còn phù hợp".into(),
        },
        4,
        2,
    )
    .await;

    let civil_service = |rule_day: NaiveDate, model: &ProgressModel| {
        pillar_progress(model, Some(program), rule_day)
            .into_iter()
            .find(|l| l.pillar == Some(Pillar::CivilService))
            .expect("the pillar")
    };
    let now = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let simple = civil_service(day(5, 1), &now);
    assert_eq!(
        (simple.tasks, simple.cancelled, simple.inputs.len()),
        (3, 1, 1),
        "cancelled tasks are left out"
    );
    assert_eq!(simple.rule, RollupRule::SimpleAverage);
    assert!(
        (simple.percent.expect("a percentage") - (40.0 + 100.0 + 0.0) / 3.0).abs() < 1e-9,
        "{:?}",
        simple.percent
    );

    send(
        Command::SetRollupRule {
            document_id: program,
            rule: RollupRule::WeightedAverage,
            reason: "Theo trọng số nhiệm vụ".into(),
        },
        6,
        1,
    )
    .await;
    let now = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let weighted = civil_service(day(6, 2), &now);
    assert_eq!(weighted.rule, RollupRule::WeightedAverage);
    assert!(
        (weighted.percent.expect("a percentage") - (40.0 + 300.0 + 0.0) / 5.0).abs() < 1e-9,
        "{:?}",
        weighted.percent
    );

    send(
        Command::SetRollupRule {
            document_id: program,
            rule: RollupRule::StatusBased,
            reason: "Theo trạng thái".into(),
        },
        7,
        1,
    )
    .await;
    let now = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let by_status = civil_service(day(7, 2), &now);
    assert!(
        (by_status.percent.expect("a percentage") - (50.0 + 100.0 + 0.0) / 3.0).abs() < 1e-9,
        "{:?}",
        by_status.percent
    );

    // On 15/06/2024 the weighted rule was in force: time travel shows it.
    let june = day(6, 15).and_hms_opt(12, 0, 0).expect("time").and_utc();
    let then = as_of(t.store.as_ref(), june).await.expect("model");
    assert_eq!(
        civil_service(day(6, 15), &then).rule,
        RollupRule::WeightedAverage
    );

    // The tables agree with the fold.
    let db = ReadDb::connect(&t.url).await.expect("read db");
    let mut follower = Follower::load(t.store.clone(), db).await.expect("load");
    follower.catch_up().await.expect("catch up");
    assert_eq!(follower.model(), &now);
}

async fn heads_answer_for_what_fell_due_in_their_tenure(t: TestStore) {
    use reform_projections::queries::{accountability, scorecard, RewardRule};

    demo(&t).await;
    let db = ReadDb::connect(&t.url).await.expect("read db");
    let mut follower = Follower::load(t.store.clone(), db).await.expect("load");
    follower.catch_up().await.expect("catch up");
    let model = follower.model();
    let today = demo_today();

    let rows = accountability(
        model,
        Some("VN-HN"),
        None,
        today,
        &da_nang_bands(),
        &RewardRule::default(),
    );
    let noi_vu: Vec<_> = rows
        .iter()
        .filter(|r| r.agency_name == "Phòng Nội vụ huyện Hoài Đức")
        .collect();
    assert_eq!(noi_vu.len(), 2, "two heads, two tenures");
    let (before, after) = (noi_vu[0], noi_vu[1]);
    assert_eq!(before.head.name, "Nguyễn Thị Thu Hà");
    assert_eq!(
        before.counted_to,
        NaiveDate::from_ymd_opt(2023, 7, 31).expect("date")
    );
    assert!(!before.no_emulation_reward, "{:?}", before.reasons);
    assert_eq!(after.head.name, "Đỗ Văn Tuấn");
    assert_eq!(
        (after.tasks_due, after.completed_late, after.overdue_now),
        (3, 1, 1)
    );
    assert_eq!(after.worst_days_overdue, 50, "T10, due 31/10/2023");
    assert!(after.no_emulation_reward);
    assert!(
        after
            .reasons
            .iter()
            .any(|r| r.contains("overdue by 50 days")),
        "{:?}",
        after.reasons
    );
    assert!(
        after.reasons.iter().any(|r| r.contains("33%")),
        "{:?}",
        after.reasons
    );

    let id = |name: &str| {
        model
            .agencies
            .values()
            .find(|a| a.name == name)
            .map(|a| a.agency_id)
            .expect(name)
    };
    let noi_vu_dn = scorecard(
        model,
        id("Sở Nội vụ thành phố Đà Nẵng"),
        today,
        &da_nang_bands(),
    )
    .expect("card");
    let par = noi_vu_dn.par.expect("PAR standing");
    assert_eq!(
        (par.year, par.total, par.band.as_deref(), par.rank),
        (2022, Some(101.19), Some("Xuất sắc"), Some(1))
    );
    let hoai_duc =
        scorecard(model, id("UBND huyện Hoài Đức"), today, &da_nang_bands()).expect("card");
    let (_, rate) = hoai_duc.dossier_on_time_rate.expect("dossier statistics");
    assert!((rate - 3887.0 / 3899.0).abs() < 1e-9, "{rate}");
    let office = scorecard(
        model,
        id("Phòng Nội vụ huyện Hoài Đức"),
        today,
        &da_nang_bands(),
    )
    .expect("card");
    assert_eq!(office.head.map(|h| h.name), Some("Đỗ Văn Tuấn".to_owned()));
    assert_eq!((office.completed_late, office.overdue_now), (1, 1));
}

mod properties {
    use proptest::prelude::*;
    use reform_commands::CommandHandler;
    use reform_devtools::generate::{generate, Shape};
    use reform_projections::{as_of, rebuild, Follower, ReadDb, TaskRowStatus};

    use super::far_future;
    use crate::support::stores::TestStore;

    /// The roll-up tree holds every task once, counts every top-level task once, and
    /// every percentage is its inputs combined by the rule, within 0..=100.
    fn tree_is_sound(model: &reform_projections::ProgressModel, today: chrono::NaiveDate) {
        use reform_projections::queries::{roll_up, rollup_tree, NodeRef, RollupNode};

        fn walk(node: &RollupNode, tasks: &mut Vec<reform_domain::TaskId>) {
            if let NodeRef::Task(id) = node.node {
                tasks.push(id);
            }
            if let Some(p) = node.percent {
                assert!((0.0..=100.0 + 1e-9).contains(&p), "{p} at {:?}", node.node);
            }
            let own = node.inputs.len() == 1 && node.inputs[0].node == node.node;
            if !own {
                assert_eq!(
                    node.percent,
                    roll_up(node.rule, &node.inputs),
                    "{:?}",
                    node.node
                );
                let counted: Vec<_> = node
                    .children
                    .iter()
                    .filter(|c| c.percent.is_some())
                    .map(|c| c.node)
                    .collect();
                let inputs: Vec<_> = node.inputs.iter().map(|i| i.node).collect();
                assert_eq!(inputs, counted, "inputs are the children with a percentage");
            }
            for child in &node.children {
                walk(child, tasks);
            }
        }
        let tree = rollup_tree(model, None, today);
        let mut seen = Vec::new();
        walk(&tree, &mut seen);
        let all = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), all, "no task twice");
        assert_eq!(all, model.tasks.len(), "every task once");
        let top: Vec<_> = model
            .tasks
            .values()
            .filter(|t| t.parent_task_id.is_none())
            .collect();
        let cancelled = top
            .iter()
            .filter(|t| t.status == TaskRowStatus::Cancelled)
            .count();
        assert_eq!(
            (tree.counts.counted(), tree.counts.cancelled),
            (top.len() - cancelled, cancelled)
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

        /// For random provinces (random seeds and sizes, written by concurrent writers
        /// through the command path) followed in random increments: the follower's
        /// tables == a rebuild == time travel to now.
        #[test]
        fn incremental_rebuild_and_time_travel_agree(
            seed in any::<u64>(),
            departments in 2usize..5,
            communes in 0usize..3,
            tasks in 1usize..4,
            rounds in 1usize..4,
        ) {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let t = TestStore::sqlite().await;
                let handler = CommandHandler::new(t.store.clone());
                let db = ReadDb::connect(&t.url).await.expect("read db");
                let mut follower = Follower::load(t.store.clone(), db.clone()).await.expect("load");
                for round in 0..rounds {
                    let shape = Shape {
                        provinces: 1,
                        departments,
                        communes,
                        tasks_per_agency: tasks,
                        years: 2,
                        writers: 3,
                        seed: seed.wrapping_add(round as u64),
                    };
                    generate(&handler, &shape).await.expect("generate");
                    follower.catch_up().await.expect("catch up");
                }
                let (followed, position) = db.load().await.expect("tables");
                assert_eq!(position, t.store.head().await.expect("head"));
                assert_eq!(&followed, follower.model());
                rebuild(t.store.as_ref(), &db).await.expect("rebuild");
                let (rebuilt, _) = db.load().await.expect("tables");
                assert_eq!(rebuilt, followed, "rebuild == incremental");
                let travelled = as_of(t.store.as_ref(), far_future()).await.expect("time travel");
                assert_eq!(travelled, rebuilt, "time travel to now == rebuild");
                for year in [2021, 2023, 2026] {
                    let today = chrono::NaiveDate::from_ymd_opt(year, 6, 30).expect("date");
                    tree_is_sound(&travelled, today);
                }
            });
        }
    }
}

/// The generator's 2025 reorganisation goes through the merger policy: the merged
/// department's open tasks pass to its neighbour, whose scorecard counts them apart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_province_reorganises_on_1_july_2025() {
    use reform_devtools::generate::{generate, Shape};
    use reform_projections::queries::scorecard;

    let t = TestStore::sqlite().await;
    let handler = CommandHandler::new(t.store.clone());
    let shape = Shape {
        provinces: 1,
        departments: 4,
        communes: 0,
        tasks_per_agency: 3,
        years: 5,
        writers: 2,
        seed: 76,
    };
    generate(&handler, &shape).await.expect("generate");
    let model = as_of(t.store.as_ref(), far_future()).await.expect("model");

    let merged: Vec<_> = model
        .agencies
        .values()
        .filter(|a| a.status == AgencyRowStatus::Merged)
        .collect();
    assert_eq!(
        merged.len(),
        1,
        "one merger in a province of four departments"
    );
    let successor = merged[0].successor_id.expect("a successor");
    assert!(
        model
            .tasks
            .values()
            .all(|t| !t.is_open() || t.lead_id != merged[0].agency_id),
        "no open task left behind"
    );
    let today = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
    let card = scorecard(&model, successor, today, &da_nang_bands()).expect("scorecard");
    assert!(
        card.tasks_inherited > 0,
        "the successor inherited open tasks: {card:?}"
    );
}

/// The country the benches are meant for, at a small size: 34 provinces, each with
/// its committee, departments and communes, program and plans; the 1/7/2025 mergers in
/// every province (departments by fours, communes by pairs) leave no open task behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_country_has_34_provinces_with_departments_and_communes() {
    use reform_devtools::generate::{generate, Shape};

    let t = TestStore::sqlite().await;
    let handler = CommandHandler::new(t.store.clone());
    let shape = Shape {
        provinces: 34,
        departments: 4,
        communes: 2,
        tasks_per_agency: 1,
        years: 5,
        writers: 4,
        seed: 34,
    };
    let made = generate(&handler, &shape).await.expect("generate");
    assert_eq!(made.tasks, 34 * 6 * 5);
    let model = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let provinces: std::collections::BTreeSet<&str> = model
        .agencies
        .values()
        .map(|a| a.jurisdiction.as_str())
        .filter(|j| *j != "VN")
        .collect();
    assert_eq!(provinces.len(), 34);
    for tier in [
        "DEPARTMENT",
        "COMMUNE_PEOPLES_COMMITTEE",
        "PROVINCIAL_PEOPLES_COMMITTEE",
    ] {
        let per_province = model
            .agencies
            .values()
            .filter(|a| a.tier.code() == tier)
            .count();
        assert!(per_province >= 34, "{tier}: {per_province}");
    }
    let merged = model
        .agencies
        .values()
        .filter(|a| a.status == AgencyRowStatus::Merged)
        .collect::<Vec<_>>();
    assert_eq!(
        merged.len(),
        34 * 2,
        "one department and one commune per province"
    );
    assert!(merged.iter().all(|m| model
        .tasks
        .values()
        .all(|t| !t.is_open() || t.lead_id != m.agency_id)));
    let programs = model
        .documents
        .values()
        .filter(|d| d.kind == DocumentRowKind::Program)
        .count();
    assert_eq!(programs, 35, "the national program and one per province");
}

/// Program → pillar → plan → task → subtask: each node's percentage is its children's
/// by the program's rule, with the inputs shown; subtasks make their task's figure,
/// cancelled work counts nowhere, empty pillars do not drag the program down.
async fn the_rollup_tree_shows_how_each_percentage_was_made(t: TestStore) {
    use reform_domain::{
        AgencyId, AgencyTier, Command, CrossCutting, Deadline, DirectivePoint, DocumentHeader,
        DocumentId, Period, Pillar, ProgramLevel, RollupRule, TaskCategory, TaskId,
    };
    use reform_projections::queries::{rollup_tree, NodeRef, RollupNode};
    use reform_store::{Actor, CommandMetadata};

    let handler = CommandHandler::new(t.store.clone());
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2024, m, d).expect("date");
    let send = |command: Command| {
        let handler = handler.clone();
        // Entered now, as of the documents' issue (reports carry their own day).
        let metadata = CommandMetadata::new(Actor::system(), Utc::now()).on(Some(day(1, 2)));
        async move {
            handler
                .execute(command, metadata, None)
                .await
                .expect("accepted");
        }
    };
    let header = |number: &str| DocumentHeader {
        number: number.into(),
        title: format!("Văn bản {number}"),
        issued_on: day(1, 2),
        issuer: "UBND tỉnh Sơn La".into(),
        issuing_agency: None,
        signer: None,
    };
    let agency = AgencyId::generate();
    let (program, directive, plan_a, plan_b) = (
        DocumentId::generate(),
        DocumentId::generate(),
        DocumentId::generate(),
        DocumentId::generate(),
    );
    send(Command::RegisterAgency {
        agency_id: agency,
        name: "Sở Nội vụ tỉnh Sơn La".into(),
        short_name: None,
        tier: AgencyTier::Department,
        block: None,
        jurisdiction: "VN-05".into(),
        parent: None,
    })
    .await;
    send(Command::IssueProgram {
        document_id: program,
        header: header("1/QĐ-UBND"),
        level: ProgramLevel::Provincial,
        jurisdiction: "VN-05".into(),
        parent_program: None,
        period: Period {
            from_year: 2021,
            to_year: 2030,
        },
    })
    .await;
    send(Command::IssueDirective {
        document_id: directive,
        header: header("2/CT-UBND"),
        program: Some(program),
        jurisdiction: "VN-05".into(),
        points: vec![DirectivePoint {
            number: 1,
            text: "Đẩy mạnh cải cách chế độ công vụ".into(),
            pillars: vec![Pillar::CivilService],
        }],
    })
    .await;
    for (plan, number, implements) in [
        (plan_a, "3/KH-UBND", program),
        (plan_b, "4/KH-UBND", directive),
    ] {
        send(Command::IssuePlan {
            document_id: plan,
            header: header(number),
            implements,
            issuing_agency: agency,
            jurisdiction: "VN-05".into(),
            period: Period {
                from_year: 2024,
                to_year: 2024,
            },
        })
        .await;
    }
    let [t1, s1, s2, s3, t2, t3, d1] = std::array::from_fn(|_| TaskId::generate());
    let civil = TaskCategory::Pillar(Pillar::CivilService);
    let direction = TaskCategory::CrossCutting(CrossCutting::Direction);
    for (task, plan, parent, category, title, weight, deadline) in [
        (t1, plan_a, None, civil, "1. Rà soát", 2, day(12, 31)),
        (
            s1,
            plan_a,
            Some(t1),
            civil,
            "1.1 Rà soát vị trí",
            1,
            day(12, 31),
        ),
        (
            s2,
            plan_a,
            Some(t1),
            civil,
            "1.2 Rà soát biên chế",
            1,
            day(12, 31),
        ),
        (s3, plan_a, Some(t1), civil, "1.3 Bỏ", 1, day(12, 31)),
        (t2, plan_a, None, civil, "2. Đào tạo", 1, day(3, 31)),
        (t3, plan_b, None, civil, "1. Tuyển dụng", 1, day(12, 31)),
        (d1, plan_b, None, direction, "2. Chỉ đạo", 1, day(12, 31)),
    ] {
        send(Command::CreateTask {
            reference: None,
            task_id: task,
            plan,
            parent_task: parent,
            directive_point: None,
            category,
            title: title.into(),
            description: None,
            lead: agency,
            coordinators: vec![],
            deadline: Deadline::On(deadline),
            expected_output: "Báo cáo".into(),
            weight: Some(weight),
        })
        .await;
    }
    for (task, percent) in [(t1, 10), (s1, 60), (t2, 20), (d1, 30)] {
        send(Command::ReportProgress {
            task_id: task,
            reporter_agency: agency,
            percent,
            note: "Đang thực hiện".into(),
            evidence: vec![],
            as_of: day(4, 1),
        })
        .await;
    }
    for task in [s2, t3] {
        send(Command::CompleteTask {
            task_id: task,
            reporter_agency: agency,
            output: "Xong".into(),
            completed_on: day(4, 1),
        })
        .await;
    }
    send(Command::CancelTask {
        task_id: s3,
        reason: "Trùng với nhiệm vụ khác".into(),
    })
    .await;

    let today = day(5, 1);
    let model = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let percent = |tree: &RollupNode, node: NodeRef| {
        tree.find(node)
            .unwrap_or_else(|| panic!("{node:?} in the tree"))
            .percent
    };
    let close = |got: Option<f64>, want: f64| {
        assert!(
            got.is_some_and(|g| (g - want).abs() < 1e-9),
            "{got:?} != {want}"
        );
    };
    let pillar = NodeRef::Pillar(Some(Pillar::CivilService));
    let cross_cutting = NodeRef::Pillar(None);

    // Simple average of children, level by level.
    let tree = rollup_tree(&model, Some(program), today);
    assert_eq!(tree.rule, RollupRule::SimpleAverage);
    close(percent(&tree, NodeRef::Task(t1)), 80.0); // (60 + 100) / 2, not the lead's 10
    assert_eq!(percent(&tree, NodeRef::Task(s3)), None, "cancelled");
    close(percent(&tree, NodeRef::Plan(plan_a)), 50.0); // (80 + 20) / 2
    close(percent(&tree, pillar), 75.0); // plans: (50 + 100) / 2
    close(percent(&tree, cross_cutting), 30.0);
    close(percent(&tree, NodeRef::Program(Some(program))), 52.5); // empty pillars left out
    assert_eq!(
        percent(&tree, NodeRef::Pillar(Some(Pillar::Institutional))),
        None
    );

    let t1_node = tree.find(NodeRef::Task(t1)).expect("t1");
    let inputs: Vec<_> = t1_node.inputs.iter().map(|i| (i.node, i.counted)).collect();
    assert_eq!(
        inputs,
        vec![(NodeRef::Task(s1), 60.0), (NodeRef::Task(s2), 100.0)],
        "the inputs name the subtasks counted"
    );
    assert_eq!(
        (
            t1_node.counts.in_progress,
            t1_node.counts.early,
            t1_node.counts.cancelled
        ),
        (1, 1, 1)
    );
    let a = tree.find(NodeRef::Plan(plan_a)).expect("plan a");
    assert_eq!(
        (a.counts.in_progress, a.counts.overdue),
        (1, 1),
        "t2 is overdue"
    );
    let civil_node = tree.find(pillar).expect("pillar");
    assert_eq!(
        (civil_node.counts.counted(), civil_node.counts.completed()),
        (3, 1),
        "a pillar counts top-level tasks"
    );
    assert_eq!(civil_node.on_time_rate(), Some(1.0));
    assert_eq!(
        civil_node
            .children
            .iter()
            .map(|c| c.node)
            .collect::<Vec<_>>(),
        vec![NodeRef::Plan(plan_a), NodeRef::Plan(plan_b)],
        "a plan under a directive of the program belongs to it"
    );
    let headline = pillar_progress(&model, Some(program), today);
    assert_eq!(headline[Pillar::ALL.len()].percent, Some(30.0));
    assert_eq!(
        headline
            .iter()
            .find(|l| l.pillar == Some(Pillar::CivilService))
            .and_then(|l| l.percent),
        civil_node.percent,
        "the headline is the tree's pillar level"
    );

    // Weighted: every task by its weight, at every level.
    send(Command::SetRollupRule {
        document_id: program,
        rule: RollupRule::WeightedAverage,
        reason: "Theo trọng số".into(),
    })
    .await;
    let model = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let tree = rollup_tree(&model, Some(program), today);
    close(percent(&tree, NodeRef::Task(t1)), 80.0);
    close(percent(&tree, NodeRef::Plan(plan_a)), 60.0); // (80·2 + 20·1) / 3
    close(percent(&tree, pillar), 70.0); // (80·2 + 20 + 100) / 4
    close(percent(&tree, NodeRef::Program(Some(program))), 62.0); // (70·4 + 30) / 5

    // Status-based: 100 completed, 50 reported, 0 otherwise, then averaged.
    send(Command::SetRollupRule {
        document_id: program,
        rule: RollupRule::StatusBased,
        reason: "Theo trạng thái".into(),
    })
    .await;
    let model = as_of(t.store.as_ref(), far_future()).await.expect("model");
    let tree = rollup_tree(&model, Some(program), today);
    close(percent(&tree, NodeRef::Task(t1)), 75.0);
    close(percent(&tree, NodeRef::Plan(plan_a)), 62.5);
    close(percent(&tree, pillar), 81.25);
    close(percent(&tree, NodeRef::Program(Some(program))), 65.625);
}
