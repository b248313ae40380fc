//! Commands through the handler: the domain decides, the store keeps, on both engines.

use chrono::{NaiveDate, Utc};
use reform_commands::{CommandError, CommandHandler};
use reform_domain::{
    AgencyId, AgencyTier, Command, Deadline, DocumentHeader, DocumentId, DomainError, Event,
    Period, Pillar, ProgramLevel, Role, TaskCategory, TaskId, TaskRole,
};
use reform_store::{Actor, CommandMetadata};

use crate::support::stores::{on_both_engines, TestStore};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn secretariat() -> CommandMetadata {
    let actor = Actor {
        user_id: "tran.thi.b".into(),
        display_name: "Trần Thị B".into(),
        role: Role::Secretariat,
        agency: None,
    };
    // Entered now, as of 01/03/2023 (reports and completions carry their own day).
    CommandMetadata::new(actor, Utc::now()).on(Some(date(2023, 3, 1)))
}

fn register(id: AgencyId, name: &str) -> Command {
    Command::RegisterAgency {
        agency_id: id,
        name: name.into(),
        short_name: None,
        tier: AgencyTier::Department,
        block: None,
        jurisdiction: "VN-DN".into(),
        parent: None,
    }
}

struct Scenario {
    handler: CommandHandler,
    home_affairs: AgencyId,
    information: AgencyId,
    task: TaskId,
}

impl Scenario {
    /// The lead agency's progress report on the task.
    fn report(&self, percent: u8) -> Command {
        Command::ReportProgress {
            task_id: self.task,
            reporter_agency: self.home_affairs,
            percent,
            note: "Đã trình dự thảo".into(),
            evidence: vec![],
            as_of: date(2023, 5, 1),
        }
    }

    /// The lead agency completes the task.
    fn complete(&self) -> Command {
        Command::CompleteTask {
            task_id: self.task,
            reporter_agency: self.home_affairs,
            output: "Đề án vị trí việc làm đã phê duyệt".into(),
            completed_on: date(2023, 6, 20),
        }
    }
}

/// Two departments, a program, a plan, and one task led by the first.
async fn scenario(t: &TestStore) -> Scenario {
    let handler = CommandHandler::new(t.store.clone());
    let (home_affairs, information) = (AgencyId::generate(), AgencyId::generate());
    let (program, plan, task) = (
        DocumentId::generate(),
        DocumentId::generate(),
        TaskId::generate(),
    );
    let header = |number: &str| DocumentHeader {
        number: number.into(),
        title: "Kế hoạch cải cách hành chính năm 2023".into(),
        issued_on: date(2022, 12, 20),
        issuer: "UBND thành phố Đà Nẵng".into(),
        issuing_agency: None,
        signer: None,
    };
    let commands = vec![
        register(home_affairs, "Sở Nội vụ"),
        register(information, "Sở Thông tin và Truyền thông"),
        Command::IssueProgram {
            document_id: program,
            header: header("1/QĐ-UBND"),
            level: ProgramLevel::Provincial,
            jurisdiction: "VN-DN".into(),
            parent_program: None,
            period: Period {
                from_year: 2021,
                to_year: 2030,
            },
        },
        Command::IssuePlan {
            document_id: plan,
            header: header("280/KH-UBND"),
            implements: program,
            issuing_agency: home_affairs,
            jurisdiction: "VN-DN".into(),
            period: Period {
                from_year: 2023,
                to_year: 2023,
            },
        },
        Command::CreateTask {
            reference: None,
            task_id: task,
            plan,
            parent_task: None,
            directive_point: None,
            category: TaskCategory::Pillar(Pillar::CivilService),
            title: "Xây dựng vị trí việc làm".into(),
            description: None,
            lead: home_affairs,
            coordinators: vec![information],
            deadline: Deadline::On(date(2023, 6, 30)),
            expected_output: "Đề án vị trí việc làm".into(),
            weight: None,
        },
    ];
    for command in commands {
        handler
            .execute(command, secretariat(), None)
            .await
            .expect("scenario command");
    }
    Scenario {
        handler,
        home_affairs,
        information,
        task,
    }
}

on_both_engines!(
    a_refused_command_writes_nothing_and_says_why,
    a_retried_command_is_answered_from_the_record,
    a_stale_expected_version_is_a_conflict,
    a_merger_passes_open_tasks_to_the_successor_once,
    a_handler_behind_another_process_still_decides_on_current_facts,
    a_busy_task_stays_within_the_stream_memory_and_decides_after_eviction,
);

async fn a_refused_command_writes_nothing_and_says_why(t: TestStore) {
    let s = scenario(&t).await;
    let head = t.store.head().await.expect("head");
    let stranger = AgencyId::generate();
    s.handler
        .execute(register(stranger, "Sở Y tế"), secretariat(), None)
        .await
        .expect("register");
    let report = Command::ReportProgress {
        task_id: s.task,
        reporter_agency: stranger,
        percent: 40,
        note: "Đã hoàn thành dự thảo".into(),
        evidence: vec![],
        as_of: date(2023, 5, 1),
    };
    let refused = s.handler.execute(report, secretariat(), None).await;
    match refused {
        Err(CommandError::Rejected(e @ DomainError::NotAParticipant { .. })) => {
            let message = e.to_string();
            assert!(
                message.contains("Sở Y tế") && message.contains("Xây dựng vị trí việc làm"),
                "{message}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        t.store.head().await.expect("head"),
        head + 1,
        "only the registration was written"
    );
}

async fn a_retried_command_is_answered_from_the_record(t: TestStore) {
    let s = scenario(&t).await;
    let metadata = secretariat();
    let report = Command::ReportProgress {
        task_id: s.task,
        reporter_agency: s.information,
        percent: 30,
        note: "Đã khảo sát các phòng".into(),
        evidence: vec!["Công văn 15/STTTT".into()],
        as_of: date(2023, 4, 1),
    };
    let first = s
        .handler
        .execute(report.clone(), metadata.clone(), None)
        .await
        .expect("first");
    assert!(!first.outcome.replayed);
    assert_eq!(first.events.len(), 1);
    let again = s
        .handler
        .execute(report, metadata.clone(), None)
        .await
        .expect("retry");
    assert!(again.outcome.replayed);
    assert!(again.events.is_empty());
    assert_eq!(again.outcome.last_position, first.outcome.last_position);

    // A create retried after it succeeded is refused by the domain ("already exists")
    // yet answered from the record, not as an error.
    let register_metadata = secretariat();
    let newcomer = AgencyId::generate();
    s.handler
        .execute(
            register(newcomer, "Sở Tư pháp"),
            register_metadata.clone(),
            None,
        )
        .await
        .expect("register");
    let retried = s
        .handler
        .execute(register(newcomer, "Sở Tư pháp"), register_metadata, None)
        .await
        .expect("retry");
    assert!(retried.outcome.replayed);

    let stored = t
        .store
        .read_stream(&s.task.stream(), 1)
        .await
        .expect("read");
    assert_eq!(stored.len(), 2, "created and one progress report");
    assert_eq!(stored[1].metadata.command_id, metadata.command_id);
    assert_eq!(stored[1].metadata.actor.display_name, "Trần Thị B");
}

async fn a_stale_expected_version_is_a_conflict(t: TestStore) {
    let s = scenario(&t).await;
    let extend = |days: u32| Command::ExtendDeadline {
        task_id: s.task,
        new_deadline: date(2023, 7, days),
        reason: "Chờ hướng dẫn của Bộ Nội vụ".into(),
    };
    s.handler
        .execute(extend(15), secretariat(), Some(1))
        .await
        .expect("at version 1");
    let stale = s.handler.execute(extend(31), secretariat(), Some(1)).await;
    match stale {
        Err(CommandError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (1, 2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = t
        .store
        .read_stream(&s.task.stream(), 1)
        .await
        .expect("read");
    assert_eq!(stored.len(), 2);
    assert_eq!(
        stored[1].metadata.reason.as_deref(),
        Some("Chờ hướng dẫn của Bộ Nội vụ")
    );
}

async fn a_merger_passes_open_tasks_to_the_successor_once(t: TestStore) {
    let s = scenario(&t).await;
    let successor = AgencyId::generate();
    s.handler
        .execute(
            register(successor, "Sở Nội vụ (sau sắp xếp)"),
            secretariat(),
            None,
        )
        .await
        .expect("register");
    let merge = Command::MergeAgency {
        agency_id: s.home_affairs,
        successor,
        effective_on: date(2025, 3, 1),
        legal_basis: "Nghị quyết 190/2025/QH15".into(),
    };
    let metadata = secretariat();
    let merged = s
        .handler
        .execute(merge.clone(), metadata.clone(), None)
        .await
        .expect("merge");
    assert_eq!(merged.follow_ups.len(), 1, "one open task passes on");

    let task_events = t
        .store
        .read_stream(&s.task.stream(), 1)
        .await
        .expect("read");
    let transfer = task_events.last().expect("transfer event");
    match transfer.decode().expect("decode") {
        Event::TaskTransferred(e) => {
            assert_eq!(
                (e.from_agency, e.to_agency, e.role),
                (s.home_affairs, successor, TaskRole::Lead)
            );
        }
        other => panic!("expected a transfer, got {other:?}"),
    }
    let merger_event = t
        .store
        .read_stream(&s.home_affairs.stream(), 2)
        .await
        .expect("read");
    assert_eq!(
        transfer.metadata.causation_id,
        Some(merger_event[0].event_id)
    );
    assert_eq!(transfer.metadata.correlation_id, metadata.correlation_id);

    // Replaying the merger re-runs the policy, which writes nothing new.
    let head = t.store.head().await.expect("head");
    let replay = s
        .handler
        .execute(merge, metadata, None)
        .await
        .expect("replay");
    assert!(replay.outcome.replayed);
    assert!(replay.follow_ups.iter().all(|o| o.replayed));
    assert_eq!(t.store.head().await.expect("head"), head);

    // The successor's scorecard shows the inherited task apart from its own.
    let model = reform_projections::as_of(t.store.as_ref(), Utc::now())
        .await
        .expect("model");
    let card = reform_projections::queries::scorecard(
        &model,
        successor,
        date(2025, 6, 1),
        &crate::support::da_nang_bands(),
    )
    .expect("scorecard");
    assert_eq!((card.tasks_led, card.tasks_inherited), (0, 1));

    // Work can no longer go to the merged agency.
    let reassign = Command::ReassignTask {
        task_id: s.task,
        new_lead: s.home_affairs,
        coordinators: None,
        reason: "Thử".into(),
    };
    let refused = s.handler.execute(reassign, secretariat(), None).await;
    assert!(
        matches!(
            refused,
            Err(CommandError::Rejected(DomainError::AgencyNotActive { .. }))
        ),
        "{refused:?}"
    );
}

/// Two handlers on one database stand for two server processes, each remembering the
/// streams it used. Facts changed by one must govern the other's next decision.
async fn a_handler_behind_another_process_still_decides_on_current_facts(t: TestStore) {
    let s = scenario(&t).await;
    let other = CommandHandler::new(t.reopen().await);

    // The other process reports progress: our memory of the task is now one behind.
    let report = |percent| s.report(percent);
    other
        .execute(report(40), secretariat(), None)
        .await
        .expect("other process reports");
    let ours = s
        .handler
        .execute(report(60), secretariat(), None)
        .await
        .expect("we report");
    assert_eq!(
        ours.outcome.last_version, 3,
        "appended after the other process's report"
    );

    // The other process completes the task; remembered as open, it must not be
    // cancellable here, and the refusal must be about the task as it is.
    let complete = s.complete();
    other
        .execute(complete, secretariat(), None)
        .await
        .expect("other process completes");
    let cancel = Command::CancelTask {
        task_id: s.task,
        reason: "Không còn phù hợp".into(),
    };
    match s.handler.execute(cancel, secretariat(), None).await {
        Err(CommandError::Rejected(DomainError::TaskStatusForbids { status, .. })) => {
            assert_eq!(status, "completed");
        }
        other => panic!("expected a refusal on the completed task, got {other:?}"),
    }

    // The other process merges the coordinating agency away; we remember it active,
    // yet a new task for it is refused.
    let successor = AgencyId::generate();
    other
        .execute(
            register(successor, "Sở Khoa học và Công nghệ"),
            secretariat(),
            None,
        )
        .await
        .expect("register");
    let merge = Command::MergeAgency {
        agency_id: s.information,
        successor,
        effective_on: date(2025, 3, 1),
        legal_basis: "Nghị quyết 176/2025/QH15".into(),
    };
    other
        .execute(merge, secretariat(), None)
        .await
        .expect("merge");
    let plan = match t
        .store
        .read_stream(&s.task.stream(), 1)
        .await
        .expect("read")[0]
        .decode()
    {
        Ok(Event::TaskCreated(created)) => created.plan,
        other => panic!("expected the task's creation, got {other:?}"),
    };
    let assign = Command::CreateTask {
        reference: None,
        task_id: TaskId::generate(),
        plan,
        parent_task: None,
        directive_point: None,
        category: TaskCategory::Pillar(Pillar::DigitalGovernment),
        title: "Số hóa hồ sơ".into(),
        description: None,
        lead: s.information,
        coordinators: vec![],
        deadline: Deadline::Ongoing,
        expected_output: "Kho dữ liệu số".into(),
        weight: None,
    };
    let refused = s.handler.execute(assign, secretariat(), None).await;
    assert!(
        matches!(
            refused,
            Err(CommandError::Rejected(DomainError::AgencyNotActive { .. }))
        ),
        "{refused:?}"
    );
}

/// A task with 20,000 progress reports, a handler remembering at most four streams:
/// the memory never holds more, whatever is touched; once the busy task is forgotten,
/// the next decision on it is made on its state read back from the store, including
/// what another process did meanwhile, and lands at the right version.
async fn a_busy_task_stays_within_the_stream_memory_and_decides_after_eviction(t: TestStore) {
    let s = scenario(&t).await;
    let report = |percent: u8| s.report(percent);
    // 20,000 reports, written in groups (one transaction each) to keep the test short.
    for group in 0..40_u32 {
        let commands = (0..500_u32)
            .map(|i| {
                (
                    report(u8::try_from((group + i) % 100).unwrap_or(0)),
                    secretariat(),
                )
            })
            .collect();
        s.handler
            .execute_all(commands)
            .await
            .expect("a group of reports");
    }
    let small = CommandHandler::with_stream_cache(t.store.clone(), 4);
    let reported = small
        .execute(report(77), secretariat(), None)
        .await
        .expect("a report on the busy task");
    assert_eq!(reported.outcome.last_version, 20_002);
    assert_eq!(small.cached_streams(), (2, 4), "the task and its reporter");

    // Ten other agencies pass through the memory: it stays at four streams.
    for i in 0..10 {
        small
            .execute(
                register(AgencyId::generate(), &format!("Sở thứ {i}")),
                secretariat(),
                None,
            )
            .await
            .expect("registering");
        assert!(
            small.cached_streams().0 <= 4,
            "{:?}",
            small.cached_streams()
        );
    }

    // Meanwhile another process completes the task. Forgotten here, it is read back:
    // a report is refused on the task as it is, not as last remembered.
    s.handler
        .execute(s.complete(), secretariat(), None)
        .await
        .expect("the other process completes the task");
    match small.execute(report(80), secretariat(), None).await {
        Err(CommandError::Rejected(DomainError::TaskStatusForbids { status, .. })) => {
            assert_eq!(status, "completed");
        }
        other => panic!("expected a refusal on the completed task, got {other:?}"),
    }
    let reopened = small
        .execute(
            Command::ReopenTask {
                task_id: s.task,
                reason: "Bổ sung hồ sơ".into(),
            },
            // Reopened today, after the completion of 20/06/2023.
            secretariat().on(None),
            Some(20_003),
        )
        .await
        .expect("reopening at the version the store holds");
    assert_eq!(reopened.outcome.last_version, 20_004);
    let (world, versions) = small.load(&[s.task.stream()]).await.expect("load");
    assert_eq!(versions, vec![20_004]);
    let task = &world.tasks[&s.task];
    assert_eq!((task.percent, task.lead_percent), (77, 77));
    assert!(
        small.cached_streams().0 <= 4,
        "{:?}",
        small.cached_streams()
    );
}
