//! The tamper-evident log: every way someone with database access could quietly edit
//! history is detected by `verify`, named at the right event, on both engines. The
//! tests drop the append-only triggers first, as such an attacker would.

use reform_commands::CommandHandler;
use reform_devtools::generate::{generate, Shape};
use reform_store::chain::{self, Breach, Digest};
use reform_store::verify;

use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    an_untouched_log_verifies_and_its_digest_is_stable,
    an_edited_payload_is_named,
    an_edited_actor_is_named,
    a_value_that_no_longer_reads_is_named,
    a_deleted_event_is_named,
    a_forged_event_is_named,
    two_swapped_events_are_named,
    a_cut_tail_fails_against_an_earlier_digest,
    a_rewritten_history_fails_against_an_earlier_digest,
    the_chain_is_built_for_a_log_written_before_it,
    the_database_refuses_to_change_a_hash,
);

/// A small province: a few hundred events.
async fn province(t: &TestStore) -> Digest {
    let handler = CommandHandler::new(t.store.clone());
    let shape = Shape {
        provinces: 1,
        departments: 3,
        communes: 2,
        tasks_per_agency: 3,
        years: 2,
        writers: 3,
        seed: 2026,
    };
    generate(&handler, &shape).await.expect("generate");
    let verified = verify(t.store.as_ref(), None, None, None)
        .await
        .expect("verify");
    assert_eq!(verified.checked, t.store.head().await.expect("head"));
    verified.outcome.expect("an untouched log verifies")
}

fn postgres(t: &TestStore) -> bool {
    t.url.starts_with("postgres")
}

/// Drops the append-only triggers, as an attacker with database access would.
async fn drop_triggers(t: &TestStore) {
    let statements: &[&str] = if postgres(t) {
        &[
            "DROP TRIGGER events_append_only ON events",
            "DROP TRIGGER events_no_truncate ON events",
        ]
    } else {
        &[
            "DROP TRIGGER events_no_update",
            "DROP TRIGGER events_no_delete",
        ]
    };
    for sql in statements {
        t.raw_execute(sql).await.expect("dropping a trigger");
    }
}

async fn tamper(t: &TestStore, sql: &str) {
    drop_triggers(t).await;
    for statement in sql.split(';').filter(|s| !s.trim().is_empty()) {
        t.raw_execute(statement).await.expect("tampering");
    }
}

async fn breach(t: &TestStore, against: Option<Digest>) -> Breach {
    verify(t.store.as_ref(), None, None, against)
        .await
        .expect("verify runs")
        .outcome
        .expect_err("the tampering must be detected")
}

async fn an_untouched_log_verifies_and_its_digest_is_stable(t: TestStore) {
    let digest = province(&t).await;
    let again = verify(t.store.as_ref(), None, None, Some(digest.clone()))
        .await
        .expect("verify");
    assert_eq!(
        again.outcome,
        Ok(digest.clone()),
        "the log passes through its own head"
    );
    let parsed: Digest = digest.to_string().parse().expect("a digest parses back");
    assert_eq!(parsed, digest);
    // A range verifies from the stored hash before it.
    let range = verify(t.store.as_ref(), Some(10), Some(20), None)
        .await
        .expect("verify");
    assert_eq!(range.checked, 11);
    assert_eq!(range.outcome.map(|d| d.position), Ok(20));
}

async fn an_edited_payload_is_named(t: TestStore) {
    province(&t).await;
    tamper(
        &t,
        "UPDATE events SET payload = payload || ' ' WHERE position = 17",
    )
    .await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, 17, "{found}");
    assert!(
        found.problem.contains("content no longer matches"),
        "{found}"
    );
}

async fn an_edited_actor_is_named(t: TestStore) {
    province(&t).await;
    tamper(
        &t,
        "UPDATE events SET actor_name = 'Người khác' WHERE position = 23",
    )
    .await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, 23, "{found}");
    assert!(found.problem.contains("metadata"), "{found}");
}

/// A column edited to something that is not a value of its kind (a role no one has,
/// a time that is no time) is a change like any other, not a failure to read the log.
async fn a_value_that_no_longer_reads_is_named(t: TestStore) {
    province(&t).await;
    tamper(
        &t,
        "UPDATE events SET actor_role = 'KING' WHERE position = 17",
    )
    .await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, 17, "{found}");
    assert!(
        found.problem.contains("no longer matches its hash"),
        "{found}"
    );
    if !postgres(&t) {
        // SQLite keeps times as text, so a time can be edited into words.
        t.raw_execute("UPDATE events SET occurred_at = 'yesterday' WHERE position = 12")
            .await
            .expect("tampering");
        let found = breach(&t, None).await;
        assert_eq!(found.position, 12, "{found}");
        assert!(
            found.problem.contains("no longer matches its hash"),
            "{found}"
        );
    }
}

async fn a_deleted_event_is_named(t: TestStore) {
    province(&t).await;
    tamper(&t, "DELETE FROM events WHERE position = 31").await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, 31, "{found}");
    assert!(found.problem.contains("missing"), "{found}");
}

async fn a_forged_event_is_named(t: TestStore) {
    let digest = province(&t).await;
    let head = digest.position;
    // A copy of an earlier event, given the next position and a fresh id, claiming
    // to follow the head.
    let event_id = if postgres(&t) {
        "gen_random_uuid()".to_owned()
    } else {
        "'0190c3a8-0000-7000-8000-000000000001'".to_owned()
    };
    tamper(
        &t,
        &format!(
            "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, schema_version, \
             payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, \
             correlation_id, causation_id, reason, prev_hash, hash) \
             SELECT {next}, {event_id}, stream_id, stream_version + 1000, event_type, schema_version, payload, \
             actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, command_id, \
             correlation_id, causation_id, reason, '{last}', hash FROM events WHERE position = 5",
            next = head + 1,
            last = digest.hash,
        ),
    )
    .await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, head + 1, "{found}");
    assert!(
        found.problem.contains("content no longer matches"),
        "{found}"
    );
}

async fn two_swapped_events_are_named(t: TestStore) {
    province(&t).await;
    tamper(
        &t,
        "UPDATE events SET position = -1 WHERE position = 40; \
         UPDATE events SET position = 40 WHERE position = 41; \
         UPDATE events SET position = 41 WHERE position = -1",
    )
    .await;
    let found = breach(&t, None).await;
    assert_eq!(found.position, 40, "{found}");
    assert!(found.problem.contains("does not follow"), "{found}");
}

async fn a_cut_tail_fails_against_an_earlier_digest(t: TestStore) {
    let digest = province(&t).await;
    tamper(
        &t,
        &format!(
            "DELETE FROM events WHERE position > {}",
            digest.position - 3
        ),
    )
    .await;
    // What is left is a valid chain: only the auditor's digest shows the loss.
    let alone = verify(t.store.as_ref(), None, None, None)
        .await
        .expect("verify");
    assert_eq!(alone.outcome.map(|d| d.position), Ok(digest.position - 3));
    let found = breach(&t, Some(digest.clone())).await;
    assert_eq!(found.position, digest.position, "{found}");
    assert!(found.problem.contains("no longer reaches"), "{found}");
}

async fn a_rewritten_history_fails_against_an_earlier_digest(t: TestStore) {
    let digest = province(&t).await;
    // Edit an event, then recompute every hash from there on: a consistent chain.
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = t.store.read_chain(after, 1000).await.expect("read");
        let Some(last) = page.last() else { break };
        after = last.event.position;
        events.extend(page);
    }
    let target = 12usize;
    let mut forged = events[target - 1].event.clone();
    forged.metadata.reason = Some("đã sửa".into());
    let rewritten: Vec<_> = std::iter::once(forged)
        .chain(events[target..].iter().map(|e| e.event.clone()))
        .collect();
    let prev = events[target - 2].hash.clone().expect("hash");
    let links = chain::chain(prev, &rewritten);
    let mut sql = format!("UPDATE events SET reason = 'đã sửa' WHERE position = {target};");
    for (event, (prev_hash, hash)) in rewritten.iter().zip(&links) {
        sql.push_str(&format!(
            "UPDATE events SET prev_hash = '{prev_hash}', hash = '{hash}' WHERE position = {};",
            event.position
        ));
    }
    tamper(&t, &sql).await;
    let alone = verify(t.store.as_ref(), None, None, None)
        .await
        .expect("verify");
    assert!(
        alone.outcome.is_ok(),
        "a consistent rewrite passes on its own"
    );
    let found = breach(&t, Some(digest.clone())).await;
    assert_eq!(found.position, digest.position, "{found}");
    assert!(found.problem.contains("rewritten"), "{found}");
}

async fn the_chain_is_built_for_a_log_written_before_it(t: TestStore) {
    let digest = province(&t).await;
    // As the log stood before the chain existed.
    drop_triggers(&t).await;
    t.raw_execute("UPDATE events SET prev_hash = NULL, hash = NULL")
        .await
        .expect("unchain");
    if postgres(&t) {
        t.raw_execute("UPDATE position_counter SET last_hash = NULL")
            .await
            .expect("unchain the counter");
    }
    // Opening the store again builds the same chain (it is a function of the events).
    let reopened = t.reopen().await;
    let verified = verify(reopened.as_ref(), None, None, Some(digest.clone()))
        .await
        .expect("verify");
    assert_eq!(verified.outcome, Ok(digest.clone()));
    // And appends continue the chain.
    let handler = CommandHandler::new(reopened.clone());
    let shape = Shape {
        provinces: 1,
        departments: 2,
        communes: 0,
        tasks_per_agency: 1,
        years: 1,
        writers: 2,
        seed: 7,
    };
    generate(&handler, &shape).await.expect("generate more");
    let more = verify(reopened.as_ref(), None, None, Some(digest.clone()))
        .await
        .expect("verify");
    let head = more.outcome.expect("still intact");
    assert!(head.position > digest.position);
}

async fn the_database_refuses_to_change_a_hash(t: TestStore) {
    province(&t).await;
    let refused = t
        .raw_execute("UPDATE events SET hash = prev_hash WHERE position = 3")
        .await;
    assert!(refused.is_err(), "a set hash is as final as the event");
    let refused = t
        .raw_execute("UPDATE events SET payload = payload, hash = NULL WHERE position = 3")
        .await;
    assert!(refused.is_err());
}
