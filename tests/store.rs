//! The event store's guarantees, on SQLite and on PostgreSQL alike.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use reform_domain::{AgencyId, Role, StreamId};
use reform_store::{
    Actor, AppendRequest, CommandMetadata, EventStore, ExpectedVersion, NewEvent, StoreError,
};
use uuid::Uuid;

use crate::support::stores::{on_both_engines, TestStore};

fn officer() -> Actor {
    Actor {
        user_id: "nguyen.van.a".into(),
        display_name: "Nguyễn Văn A".into(),
        role: Role::Officer,
        agency: Some(AgencyId(Uuid::from_u128(7))),
    }
}

fn event(payload: &str) -> NewEvent {
    NewEvent {
        event_id: Uuid::now_v7(),
        event_type: "TaskProgressReported".into(),
        schema_version: 1,
        payload: payload.into(),
    }
}

fn request(stream: &str, expected: ExpectedVersion, payloads: &[&str]) -> AppendRequest {
    let at = Utc
        .with_ymd_and_hms(2023, 6, 30, 8, 15, 0)
        .single()
        .expect("valid time");
    let mut metadata = CommandMetadata::new(officer(), at);
    metadata.reason = Some("Báo cáo tiến độ quý II".into());
    AppendRequest {
        stream: StreamId::from(stream),
        expected,
        conditions: Vec::new(),
        events: payloads.iter().map(|p| event(p)).collect(),
        metadata,
    }
}

on_both_engines!(
    appended_events_read_back_exactly,
    a_stale_expected_version_is_a_conflict_with_the_actual_version,
    a_repeated_command_id_writes_nothing_and_returns_the_first_result,
    a_command_id_cannot_be_reused_for_another_stream,
    a_moved_condition_stream_refuses_the_append,
    a_group_is_appended_whole_or_not_at_all,
    streams_are_found_by_category_and_by_what_their_events_mention,
    read_all_pages_through_the_log_in_global_order,
    the_database_refuses_to_change_or_delete_events,
    sixteen_writers_and_a_tailing_reader_see_every_event_once,
    the_log_survives_reopening,
);

async fn appended_events_read_back_exactly(t: TestStore) {
    // Composed (NFC) Vietnamese, some emoji and JSON escapes: stored byte for byte.
    let payload =
        r#"{"note":"Cải cách thủ tục hành chính — đã số hoá 88,29% hồ sơ ✅","quote":"\"x\""}"#;
    let req = request(
        "task-a",
        ExpectedVersion::NoStream,
        &[payload, r#"{"n":2}"#],
    );
    let sent_ids: Vec<Uuid> = req.events.iter().map(|e| e.event_id).collect();
    let meta = req.metadata.clone();
    let outcome = t.store.append(req).await.expect("append");
    assert_eq!((outcome.first_version, outcome.last_version), (1, 2));
    assert_eq!((outcome.first_position, outcome.last_position), (1, 2));
    assert!(!outcome.replayed);

    let read = t
        .store
        .read_stream(&StreamId::from("task-a"), 1)
        .await
        .expect("read");
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].payload.as_bytes(), payload.as_bytes());
    assert_eq!(
        read.iter().map(|e| e.event_id).collect::<Vec<_>>(),
        sent_ids
    );
    let m = &read[0].metadata;
    assert_eq!(m.actor, officer());
    assert_eq!(m.occurred_at, meta.occurred_at);
    assert_eq!(m.command_id, meta.command_id);
    assert_eq!(m.correlation_id, meta.correlation_id);
    assert_eq!(m.causation_id, None);
    assert_eq!(m.reason.as_deref(), Some("Báo cáo tiến độ quý II"));
    assert!(
        m.recorded_at >= meta.occurred_at,
        "recorded-at is the server's clock at commit"
    );
    assert_eq!(
        read[0].metadata, read[1].metadata,
        "one command's events share metadata"
    );
    assert_eq!(read[1].stream_version, 2);

    // Reading from a version skips the earlier ones; the canonical bytes are stable.
    let tail = t
        .store
        .read_stream(&StreamId::from("task-a"), 2)
        .await
        .expect("read tail");
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].canonical_bytes(), read[1].canonical_bytes());
    assert_eq!(
        t.store
            .stream_version(&StreamId::from("task-a"))
            .await
            .expect("version"),
        2
    );
    assert_eq!(
        t.store
            .stream_version(&StreamId::from("task-none"))
            .await
            .expect("version"),
        0
    );
    assert_eq!(
        t.store.streams_in_category("task").await.expect("streams"),
        vec![StreamId::from("task-a")]
    );
}

async fn a_stale_expected_version_is_a_conflict_with_the_actual_version(t: TestStore) {
    t.store
        .append(request("task-a", ExpectedVersion::NoStream, &["{}", "{}"]))
        .await
        .expect("first");
    let stale = t
        .store
        .append(request("task-a", ExpectedVersion::Exact(1), &["{}"]))
        .await;
    match stale {
        Err(StoreError::Conflict {
            actual,
            expected,
            stream,
        }) => {
            assert_eq!(actual, 2);
            assert_eq!(expected, ExpectedVersion::Exact(1));
            assert_eq!(stream, StreamId::from("task-a"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let exists = t
        .store
        .append(request("task-a", ExpectedVersion::NoStream, &["{}"]))
        .await;
    assert!(
        matches!(exists, Err(StoreError::Conflict { actual: 2, .. })),
        "{exists:?}"
    );
    // Expecting a version the stream has not reached is a conflict too, not a gap.
    let ahead = t
        .store
        .append(request("task-b", ExpectedVersion::Exact(1), &["{}"]))
        .await;
    assert!(
        matches!(ahead, Err(StoreError::Conflict { actual: 0, .. })),
        "{ahead:?}"
    );
    assert_eq!(
        t.store.head().await.expect("head"),
        2,
        "a refused append writes nothing"
    );
    let ok = t
        .store
        .append(request("task-a", ExpectedVersion::Exact(2), &["{}"]))
        .await
        .expect("in order");
    assert_eq!(ok.last_version, 3);
    let any = t
        .store
        .append(request("task-a", ExpectedVersion::Any, &["{}"]))
        .await
        .expect("any");
    assert_eq!(any.last_version, 4);
}

async fn a_repeated_command_id_writes_nothing_and_returns_the_first_result(t: TestStore) {
    let req = request("task-a", ExpectedVersion::NoStream, &["{}", "{}"]);
    let first = t.store.append(req.clone()).await.expect("first");
    t.store
        .append(request("task-b", ExpectedVersion::NoStream, &["{}"]))
        .await
        .expect("other");
    // The retry even carries a stale expected version: it is answered, not judged.
    let again = t.store.append(req.clone()).await.expect("replay");
    assert!(again.replayed);
    assert_eq!(
        (
            again.first_version,
            again.last_version,
            again.first_position,
            again.last_position
        ),
        (
            first.first_version,
            first.last_version,
            first.first_position,
            first.last_position
        )
    );
    assert_eq!(t.store.head().await.expect("head"), 3);
    let known = t
        .store
        .command_outcome(req.metadata.command_id)
        .await
        .expect("lookup")
        .expect("on record");
    assert_eq!(known.last_position, first.last_position);
    assert!(t
        .store
        .command_outcome(Uuid::now_v7())
        .await
        .expect("lookup")
        .is_none());
}

async fn a_command_id_cannot_be_reused_for_another_stream(t: TestStore) {
    let req = request("task-a", ExpectedVersion::Any, &["{}"]);
    t.store.append(req.clone()).await.expect("first");
    let mut other = req;
    other.stream = StreamId::from("task-b");
    let refused = t.store.append(other).await;
    assert!(
        matches!(refused, Err(StoreError::CommandIdReused { .. })),
        "{refused:?}"
    );
    let empty = t
        .store
        .append(request("task-c", ExpectedVersion::Any, &[]))
        .await;
    assert!(matches!(empty, Err(StoreError::Invalid(_))), "{empty:?}");
    assert_eq!(t.store.head().await.expect("head"), 1);
}

async fn a_moved_condition_stream_refuses_the_append(t: TestStore) {
    t.store
        .append(request("agency-x", ExpectedVersion::NoStream, &["{}"]))
        .await
        .expect("agency");
    let mut stale = request("task-a", ExpectedVersion::NoStream, &["{}"]);
    stale.conditions = vec![(StreamId::from("agency-x"), 0)];
    match t.store.append(stale).await {
        Err(StoreError::Conflict {
            stream,
            expected,
            actual,
        }) => {
            assert_eq!(stream, StreamId::from("agency-x"));
            assert_eq!((expected, actual), (ExpectedVersion::Exact(0), 1));
        }
        other => panic!("expected a conflict on the condition, got {other:?}"),
    }
    assert_eq!(t.store.head().await.expect("head"), 1, "nothing written");

    let mut current = request("task-a", ExpectedVersion::NoStream, &["{}"]);
    current.conditions = vec![
        (StreamId::from("agency-x"), 1),
        (StreamId::from("plan-none"), 0),
    ];
    let ok = t.store.append(current).await.expect("conditions hold");
    assert_eq!(ok.last_position, 2);

    // A second process moves the condition stream; the first process's next append,
    // planned on what it last knew, must still be refused.
    let other = t.reopen().await;
    other
        .append(request("agency-x", ExpectedVersion::Exact(1), &["{}"]))
        .await
        .expect("other process");
    let mut behind = request("task-b", ExpectedVersion::NoStream, &["{}"]);
    behind.conditions = vec![(StreamId::from("agency-x"), 1)];
    let refused = t.store.append(behind).await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { actual: 2, .. })),
        "{refused:?}"
    );
    assert_eq!(t.store.head().await.expect("head"), 3);
}

async fn a_group_is_appended_whole_or_not_at_all(t: TestStore) {
    t.store
        .append(request("agency-x", ExpectedVersion::NoStream, &["{}"]))
        .await
        .expect("agency");
    // The third request expects a version task-b does not have: nothing of the
    // group is written, not even the two before it.
    let refused = t
        .store
        .append_all(vec![
            request("task-a", ExpectedVersion::NoStream, &["{}", "{}"]),
            request("task-a", ExpectedVersion::Exact(2), &["{}"]),
            request("task-b", ExpectedVersion::Exact(1), &["{}"]),
        ])
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict { actual: 0, .. })),
        "{refused:?}"
    );
    assert_eq!(t.store.head().await.expect("head"), 1, "nothing written");
    assert_eq!(
        t.store
            .stream_version(&StreamId::from("task-a"))
            .await
            .expect("version"),
        0
    );

    // A whole group: later requests see what earlier ones wrote, positions are
    // contiguous, and a single append after it lands behind it.
    let mut conditioned = request("task-b", ExpectedVersion::NoStream, &["{}"]);
    conditioned.conditions = vec![(StreamId::from("agency-x"), 1)];
    let outcomes = t
        .store
        .append_all(vec![
            request("task-a", ExpectedVersion::NoStream, &["{}", "{}"]),
            request("task-a", ExpectedVersion::Exact(2), &["{}"]),
            conditioned,
        ])
        .await
        .expect("group");
    let landed: Vec<_> = outcomes
        .iter()
        .map(|o| {
            (
                o.stream.as_str(),
                o.first_version,
                o.first_position,
                o.last_position,
            )
        })
        .collect();
    assert_eq!(
        landed,
        vec![
            ("task-a", 1, 2, 3),
            ("task-a", 3, 4, 4),
            ("task-b", 1, 5, 5)
        ]
    );
    let after = t
        .store
        .append(request("task-b", ExpectedVersion::Exact(1), &["{}"]))
        .await
        .expect("after the group");
    assert_eq!(after.last_position, 6);
    let positions: Vec<u64> = t
        .store
        .read_all(0, 100)
        .await
        .expect("read")
        .iter()
        .map(|e| e.position)
        .collect();
    assert_eq!(positions, (1..=6).collect::<Vec<_>>());
}

async fn streams_are_found_by_category_and_by_what_their_events_mention(t: TestStore) {
    let agency = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    let mentions = format!("{{\"lead\":\"{agency}\"}}");
    t.store
        .append(request("task-a", ExpectedVersion::Any, &["{}", &mentions]))
        .await
        .expect("a");
    t.store
        .append(request("task-b", ExpectedVersion::Any, &["{}"]))
        .await
        .expect("b");
    t.store
        .append(request("plan-c", ExpectedVersion::Any, &[&mentions]))
        .await
        .expect("c");
    let tasks = t.store.streams_in_category("task").await.expect("category");
    assert_eq!(
        tasks,
        vec![StreamId::from("task-a"), StreamId::from("task-b")]
    );
    let mentioning = t
        .store
        .streams_mentioning("task", agency)
        .await
        .expect("mentions");
    assert_eq!(
        mentioning,
        vec![StreamId::from("task-a")],
        "other categories and other tasks are left out"
    );
}

async fn read_all_pages_through_the_log_in_global_order(t: TestStore) {
    for i in 0..10 {
        let stream = format!("task-{}", i % 3);
        t.store
            .append(request(
                &stream,
                ExpectedVersion::Any,
                &[&format!("{{\"i\":{i}}}")],
            ))
            .await
            .expect("append");
    }
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = t.store.read_all(after, 4).await.expect("page");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 4);
        after = page.last().map(|e| e.position).unwrap_or(after);
        seen.extend(page.into_iter().map(|e| (e.position, e.payload)));
    }
    let expected: Vec<(u64, String)> = (0..10).map(|i| (i + 1, format!("{{\"i\":{i}}}"))).collect();
    assert_eq!(seen, expected);
    assert_eq!(t.store.head().await.expect("head"), 10);
}

async fn the_database_refuses_to_change_or_delete_events(t: TestStore) {
    t.store
        .append(request(
            "task-a",
            ExpectedVersion::Any,
            &["{\"percent\":50}"],
        ))
        .await
        .expect("append");
    let update = t
        .raw_execute("UPDATE events SET payload = '{\"percent\":100}'")
        .await;
    let delete = t.raw_execute("DELETE FROM events").await;
    for (what, result) in [("UPDATE", update), ("DELETE", delete)] {
        let error = result.expect_err("the database must refuse").to_string();
        assert!(
            error.contains("append-only"),
            "{what} refused for the wrong reason: {error}"
        );
    }
    if t.url.starts_with("postgres") {
        let error = t
            .raw_execute("TRUNCATE events")
            .await
            .expect_err("TRUNCATE refused")
            .to_string();
        assert!(error.contains("append-only"), "{error}");
    }
    let read = t
        .store
        .read_stream(&StreamId::from("task-a"), 1)
        .await
        .expect("read");
    assert_eq!(read[0].payload, "{\"percent\":50}");
}

/// PostgreSQL makes transactions visible in commit order, not in the order their
/// positions were handed out; a naive "position > last seen" reader then skips events.
/// Sixteen writers on two store instances race while a reader follows the log: it must
/// see each event once.
async fn sixteen_writers_and_a_tailing_reader_see_every_event_once(t: TestStore) {
    const WRITERS: usize = 16;
    const APPENDS: usize = 40;
    let total = (WRITERS * APPENDS * 2) as u64;

    let reader_store = t.reopen().await;
    let reader = tokio::spawn(async move {
        let mut seen = Vec::new();
        let mut after = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        while (seen.len() as u64) < total && tokio::time::Instant::now() < deadline {
            let page = reader_store.read_all(after, 37).await.expect("read_all");
            if page.is_empty() {
                tokio::time::sleep(Duration::from_millis(2)).await;
                continue;
            }
            for e in page {
                assert_eq!(
                    e.position,
                    after + 1,
                    "the reader skipped or repeated a position"
                );
                after = e.position;
                seen.push(e.event_id);
            }
        }
        seen
    });

    // Half the writers go through a second store on the same database, as a second
    // server process would: each has its own writer task and its own idea of the head.
    let second = t.reopen().await;
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store: Arc<dyn EventStore> = if w % 2 == 0 {
            t.store.clone()
        } else {
            second.clone()
        };
        writers.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..APPENDS {
                let stream = format!("task-w{w}-{}", i % 4);
                let req = request(&stream, ExpectedVersion::Any, &["{}", "{}"]);
                ids.extend(req.events.iter().map(|e| e.event_id));
                store.append(req).await.expect("append");
            }
            ids
        }));
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.expect("writer"));
    }
    let seen = reader.await.expect("reader");
    assert_eq!(seen.len() as u64, total, "the reader must see every event");
    let unique: HashSet<Uuid> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no event may be seen twice");
    assert_eq!(unique, written);
    assert_eq!(t.store.head().await.expect("head"), total);
}

async fn the_log_survives_reopening(t: TestStore) {
    t.store
        .append(request("task-a", ExpectedVersion::Any, &["{}", "{}", "{}"]))
        .await
        .expect("append");
    let again = t.reopen().await;
    assert_eq!(again.head().await.expect("head"), 3);
    let next = again
        .append(request("task-a", ExpectedVersion::Exact(3), &["{}"]))
        .await
        .expect("append");
    assert_eq!((next.last_version, next.last_position), (4, 4));
}
