//! Group commit, the part both databases share: deciding, inside one transaction,
//! which of a batch of appends succeed, at which versions and positions.
//!
//! Many writers' appends are committed together: one transaction and one disk flush
//! for the whole batch, each writer answered only after the commit. Each request is
//! judged on its own (a conflict fails that request, not the batch).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use reform_domain::StreamId;
use uuid::Uuid;

use crate::model::{
    AppendOutcome, AppendRequest, EventMetadata, ExpectedVersion, RecordedEvent, StoreError,
};

/// A command already on record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredCommand {
    pub(crate) command_id: Uuid,
    pub(crate) stream: StreamId,
    pub(crate) first_version: u64,
    pub(crate) last_version: u64,
    pub(crate) first_position: u64,
    pub(crate) last_position: u64,
}

impl StoredCommand {
    /// The record a command's first event makes: it wrote `size` events from there.
    pub(crate) fn from_first_event(
        command_id: Uuid,
        stream: StreamId,
        version: u64,
        position: u64,
        size: u64,
    ) -> Self {
        let extra = size.saturating_sub(1);
        StoredCommand {
            command_id,
            stream,
            first_version: version,
            last_version: version + extra,
            first_position: position,
            last_position: position + extra,
        }
    }

    pub(crate) fn outcome(&self, replayed: bool) -> AppendOutcome {
        AppendOutcome {
            stream: self.stream.clone(),
            first_version: self.first_version,
            last_version: self.last_version,
            first_position: self.first_position,
            last_position: self.last_position,
            replayed,
        }
    }
}

/// What a batch writes, and what each request is answered.
#[derive(Debug, Default)]
pub(crate) struct BatchPlan {
    pub(crate) rows: Vec<RecordedEvent>,
    /// For each row: on a command's first event, how many events the command wrote.
    /// That first event is the command's record (the store's idempotency key).
    pub(crate) command_sizes: Vec<Option<u32>>,
    pub(crate) results: Vec<Result<AppendOutcome, StoreError>>,
    pub(crate) head: u64,
}

impl BatchPlan {
    /// The plan for a group that is written whole or not at all: unchanged when every
    /// request is accepted, and otherwise one that writes nothing and answers each
    /// request with the group's first refusal.
    pub(crate) fn all_or_nothing(mut self, head: u64) -> BatchPlan {
        let Some(first) = self.results.iter().position(Result::is_err) else {
            return self;
        };
        let refusal = self.results.swap_remove(first);
        BatchPlan {
            rows: Vec::new(),
            command_sizes: Vec::new(),
            results: vec![refusal],
            head,
        }
    }
}

/// Plans a batch against the state read inside the transaction: the last position,
/// the versions of the streams involved, and the command ids already executed.
pub(crate) fn plan(
    head: u64,
    mut versions: HashMap<StreamId, u64>,
    mut known: HashMap<Uuid, StoredCommand>,
    requests: &[AppendRequest],
    recorded_at: DateTime<Utc>,
) -> BatchPlan {
    let mut plan = BatchPlan {
        head,
        ..BatchPlan::default()
    };
    for request in requests {
        let result = plan_one(&mut plan, &mut versions, &mut known, request, recorded_at);
        plan.results.push(result);
    }
    plan
}

fn plan_one(
    plan: &mut BatchPlan,
    versions: &mut HashMap<StreamId, u64>,
    known: &mut HashMap<Uuid, StoredCommand>,
    request: &AppendRequest,
    recorded_at: DateTime<Utc>,
) -> Result<AppendOutcome, StoreError> {
    let meta = &request.metadata;
    if let Some(done) = known.get(&meta.command_id) {
        return if done.stream == request.stream {
            Ok(done.outcome(true))
        } else {
            Err(StoreError::CommandIdReused {
                command_id: meta.command_id,
                stream: done.stream.clone(),
            })
        };
    }
    if request.events.is_empty() {
        return Err(StoreError::Invalid(
            "an append needs at least one event".into(),
        ));
    }
    for (stream, seen) in &request.conditions {
        let now = versions.get(stream).copied().unwrap_or(0);
        if now != *seen {
            return Err(StoreError::Conflict {
                stream: stream.clone(),
                expected: ExpectedVersion::Exact(*seen),
                actual: now,
            });
        }
    }
    let actual = versions.get(&request.stream).copied().unwrap_or(0);
    if !request.expected.admits(actual) {
        return Err(StoreError::Conflict {
            stream: request.stream.clone(),
            expected: request.expected,
            actual,
        });
    }
    let metadata = EventMetadata {
        actor: meta.actor.clone(),
        occurred_at: meta.occurred_at,
        recorded_at,
        command_id: meta.command_id,
        correlation_id: meta.correlation_id,
        causation_id: meta.causation_id,
        reason: meta.reason.clone(),
    };
    let first_position = plan.head + 1;
    let count = request.events.len() as u64;
    for (i, e) in request.events.iter().enumerate() {
        plan.command_sizes.push(if i == 0 {
            u32::try_from(count).ok()
        } else {
            None
        });
        let offset = i as u64;
        plan.rows.push(RecordedEvent {
            position: first_position + offset,
            event_id: e.event_id,
            stream_id: request.stream.clone(),
            stream_version: actual + 1 + offset,
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            payload: e.payload.clone(),
            metadata: metadata.clone(),
        });
    }
    plan.head += count;
    versions.insert(request.stream.clone(), actual + count);
    let stored = StoredCommand {
        command_id: meta.command_id,
        stream: request.stream.clone(),
        first_version: actual + 1,
        last_version: actual + count,
        first_position,
        last_position: plan.head,
    };
    let outcome = stored.outcome(false);
    known.insert(meta.command_id, stored);
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, CommandMetadata, NewEvent};

    fn request(stream: &str, expected: ExpectedVersion, n: usize) -> AppendRequest {
        AppendRequest {
            stream: StreamId::from(stream),
            expected,
            conditions: Vec::new(),
            events: (0..n)
                .map(|_| NewEvent {
                    event_id: Uuid::now_v7(),
                    event_type: "TaskCancelled".into(),
                    schema_version: 1,
                    payload: "{}".into(),
                })
                .collect(),
            metadata: CommandMetadata::new(Actor::system(), Utc::now()),
        }
    }

    #[test]
    fn appends_to_one_stream_in_one_batch_chain_their_versions() {
        let a = request("task-a", ExpectedVersion::NoStream, 2);
        let b = request("task-a", ExpectedVersion::Exact(2), 1);
        let p = plan(10, HashMap::new(), HashMap::new(), &[a, b], Utc::now());
        let outcomes: Vec<_> = p
            .results
            .iter()
            .map(|r| r.as_ref().ok().map(|o| (o.first_version, o.last_position)))
            .collect();
        assert_eq!(outcomes, vec![Some((1, 12)), Some((3, 13))]);
        assert_eq!(p.head, 13);
        let versions: Vec<u64> = p.rows.iter().map(|r| r.stream_version).collect();
        assert_eq!(versions, vec![1, 2, 3]);
        assert_eq!(p.command_sizes, vec![Some(2), None, Some(1)]);
    }

    #[test]
    fn an_all_or_nothing_group_with_a_refusal_writes_nothing() {
        let a = request("task-a", ExpectedVersion::NoStream, 1);
        let b = request("task-b", ExpectedVersion::Exact(3), 1);
        let p = plan(7, HashMap::new(), HashMap::new(), &[a, b], Utc::now()).all_or_nothing(7);
        assert!(p.rows.is_empty());
        assert_eq!(p.head, 7);
        assert!(matches!(
            p.results.as_slice(),
            [Err(StoreError::Conflict { actual: 0, .. })]
        ));
        let whole = plan(
            7,
            HashMap::new(),
            HashMap::new(),
            &[request("task-a", ExpectedVersion::NoStream, 2)],
            Utc::now(),
        )
        .all_or_nothing(7);
        assert_eq!((whole.rows.len(), whole.head), (2, 9));
    }

    #[test]
    fn a_conflict_fails_only_its_own_request() {
        let a = request("task-a", ExpectedVersion::Exact(4), 1);
        let b = request("task-b", ExpectedVersion::Any, 1);
        let versions = HashMap::from([(StreamId::from("task-a"), 5)]);
        let p = plan(0, versions, HashMap::new(), &[a, b], Utc::now());
        assert!(matches!(
            p.results[0],
            Err(StoreError::Conflict { actual: 5, .. })
        ));
        assert!(p.results[1].is_ok());
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].position, 1);
    }

    #[test]
    fn a_repeated_command_id_is_answered_from_the_first_result() {
        let a = request("task-a", ExpectedVersion::NoStream, 1);
        let mut again = a.clone();
        again.expected = ExpectedVersion::NoStream;
        let p = plan(0, HashMap::new(), HashMap::new(), &[a, again], Utc::now());
        let first = p.results[0].as_ref().map(|o| o.last_position).ok();
        let second = p.results[1]
            .as_ref()
            .ok()
            .map(|o| (o.last_position, o.replayed));
        assert_eq!(first, Some(1));
        assert_eq!(second, Some((1, true)));
        assert_eq!(p.rows.len(), 1);
    }

    #[test]
    fn a_moved_condition_stream_is_a_conflict_on_that_stream() {
        let mut a = request("task-a", ExpectedVersion::NoStream, 1);
        a.conditions = vec![(StreamId::from("agency-x"), 1)];
        let mut b = request("task-b", ExpectedVersion::NoStream, 1);
        b.conditions = vec![(StreamId::from("agency-x"), 2)];
        let versions = HashMap::from([(StreamId::from("agency-x"), 2)]);
        let p = plan(0, versions, HashMap::new(), &[a, b], Utc::now());
        match &p.results[0] {
            Err(StoreError::Conflict { stream, actual, .. }) => {
                assert_eq!((stream.as_str(), *actual), ("agency-x", 2));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(p.results[1].is_ok());
        assert_eq!(p.rows.len(), 1);
    }
}
