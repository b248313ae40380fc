//! Executing domain commands: load what the command reads, let the domain decide,
//! append what it decided, run the follow-ups the domain's policies ask for.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use reform_domain::{chronology, decide, policy, Command, DomainError, Event, StreamId, World};
use uuid::Uuid;

use crate::cache::{CachedStream, StreamCache};
use reform_store::{
    AppendOutcome, AppendRequest, CommandMetadata, EventStore, ExpectedVersion, NewEvent,
    StoreError,
};

/// How often a command without an expected version is re-decided after losing a race.
const MAX_ATTEMPTS: usize = 10;

/// How long a command without an expected version keeps re-deciding races it lost to
/// other processes before the caller is told the record is too busy.
const CONTENTION_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a command did not take effect.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The rules refuse it.
    #[error(transparent)]
    Rejected(#[from] DomainError),
    /// The caller expected another version of the target stream.
    #[error("{stream} is at version {actual}, not the expected {expected}")]
    Conflict {
        /// The stream.
        stream: StreamId,
        /// What the caller expected.
        expected: u64,
        /// Its version now.
        actual: u64,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The caller expected no version, but other processes kept changing the record
    /// for longer than the handler re-decides (a few seconds): try again shortly.
    #[error("{stream} is changing too fast to decide on; try again shortly")]
    Contended {
        /// The stream.
        stream: StreamId,
    },
}

/// Why a group of commands ([`CommandHandler::execute_all`]) did not take effect.
/// Nothing of the group was written.
#[derive(Debug, thiserror::Error)]
#[error("{}{error}", index.map(|i| format!("command {} of the group: ", i + 1)).unwrap_or_default())]
pub struct GroupError {
    /// The command refused (0-based), when one was; `None` for a store failure or a
    /// conflict that outlasted the retries.
    pub index: Option<usize>,
    /// Why.
    pub error: CommandError,
}

/// A command that took effect (or had already, when `outcome.replayed`).
#[derive(Debug)]
pub struct Executed {
    /// Where its events landed.
    pub outcome: AppendOutcome,
    /// The events it caused (empty when replayed).
    pub events: Vec<Event>,
    /// Follow-up commands it set off, e.g. task transfers after a merger.
    pub follow_ups: Vec<AppendOutcome>,
}

/// Runs commands against an event store. Clones share one memory of recently used
/// streams (see the `cache` module): create one handler per store and clone it.
#[derive(Clone)]
pub struct CommandHandler {
    store: Arc<dyn EventStore>,
    cache: Arc<StreamCache>,
    turns: Arc<StreamTurns>,
}

/// Writers of one stream in this process take turns: a command decides and appends
/// while the others wait, so in-process writers never race each other (races with
/// other processes are re-decided).
#[derive(Default)]
struct StreamTurns(
    std::sync::Mutex<std::collections::HashMap<StreamId, Arc<tokio::sync::Mutex<()>>>>,
);

impl StreamTurns {
    /// Waits for `stream`'s turn; the turn ends when the guard is dropped.
    async fn take(&self, stream: &StreamId) -> TurnGuard<'_> {
        let turn = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(stream.clone())
            .or_default()
            .clone();
        let held = turn.clone().lock_owned().await;
        TurnGuard {
            turns: self,
            stream: stream.clone(),
            held: Some(held),
        }
    }
}

/// A stream's turn; dropping it lets the next writer in, and forgets the stream once
/// nobody waits for it (the map holds only streams being written).
struct TurnGuard<'t> {
    turns: &'t StreamTurns,
    stream: StreamId,
    held: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for TurnGuard<'_> {
    fn drop(&mut self) {
        drop(self.held.take());
        let mut map = self
            .turns
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map
            .get(&self.stream)
            .is_some_and(|turn| Arc::strong_count(turn) == 1)
        {
            map.remove(&self.stream);
        }
    }
}

impl CommandHandler {
    /// A handler writing to `store`, remembering up to [`DEFAULT_STREAM_CACHE`]
    /// streams.
    ///
    /// [`DEFAULT_STREAM_CACHE`]: crate::DEFAULT_STREAM_CACHE
    pub fn new(store: Arc<dyn EventStore>) -> Self {
        Self::with_stream_cache(store, crate::DEFAULT_STREAM_CACHE)
    }

    /// A handler writing to `store` that remembers the state of at most `streams`
    /// streams (the least recently used forgotten first; 0 remembers nothing, and
    /// every command reads what it needs from the store).
    pub fn with_stream_cache(store: Arc<dyn EventStore>, streams: usize) -> Self {
        CommandHandler {
            store,
            cache: Arc::new(StreamCache::new(streams)),
            turns: Arc::default(),
        }
    }

    /// How many streams the handler remembers now, and at most.
    pub fn cached_streams(&self) -> (usize, usize) {
        (self.cache.len(), self.cache.capacity())
    }

    /// The store behind the handler.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Executes `command` once per command id. With `expected_version`, the target
    /// stream must be at that version (else [`CommandError::Conflict`]); without it, a
    /// lost race is re-decided on fresh state.
    pub async fn execute(
        &self,
        command: Command,
        metadata: CommandMetadata,
        expected_version: Option<u64>,
    ) -> Result<Executed, CommandError> {
        let is_merger = matches!(command, Command::MergeAgency { .. });
        let mut executed = self
            .execute_one(command, metadata.clone(), expected_version)
            .await?;
        if is_merger {
            executed.follow_ups = self
                .transfer_tasks_after_merger(&executed.outcome, &metadata)
                .await?;
        }
        Ok(executed)
    }

    /// Executes commands all or none, in order: each is decided on the state the ones
    /// before it leave, and their events are appended in one transaction. The first
    /// refusal is returned with its index and nothing is written; a race with another
    /// writer is re-decided on fresh state. Retrying a group that took effect is refused
    /// by the rules ("already exists"), not answered from the record: give each group
    /// fresh command ids and decide what to send from current state.
    pub async fn execute_all(
        &self,
        commands: Vec<(Command, CommandMetadata)>,
    ) -> Result<Vec<Executed>, GroupError> {
        // A merger sets off task transfers after it commits; a group has no "after".
        if let Some(index) = commands
            .iter()
            .position(|(c, _)| matches!(c, Command::MergeAgency { .. }))
        {
            return Err(GroupError {
                index: Some(index),
                error: DomainError::invalid(
                    "command",
                    "merge agencies one at a time, not in a group",
                )
                .into(),
            });
        }
        let mut streams: Vec<StreamId> = Vec::new();
        for (command, _) in &commands {
            for s in command.reads() {
                if !streams.contains(&s) {
                    streams.push(s);
                }
            }
        }
        let store_failure = |error: StoreError| GroupError {
            index: None,
            error: error.into(),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (mut world, versions) = self.load(&streams).await.map_err(store_failure)?;
            let mut version_of: HashMap<StreamId, u64> =
                streams.iter().cloned().zip(versions).collect();
            let mut requests = Vec::with_capacity(commands.len());
            let mut decided = Vec::with_capacity(commands.len());
            for (index, (command, metadata)) in commands.iter().enumerate() {
                let (at, events) = judge(&world, command, metadata).map_err(|e| GroupError {
                    index: Some(index),
                    error: e.into(),
                })?;
                events.iter().for_each(|e| world.apply_at(e, at));
                let target = command.target();
                let current = version_of.get(&target).copied().unwrap_or(0);
                let mut metadata = metadata.clone();
                metadata.occurred_at = at;
                if metadata.reason.is_none() {
                    metadata.reason = command.reason().map(str::to_owned);
                }
                requests.push(AppendRequest {
                    stream: target.clone(),
                    expected: ExpectedVersion::Exact(current),
                    conditions: command
                        .reads()
                        .into_iter()
                        .skip(1)
                        .map(|s| {
                            let v = version_of.get(&s).copied().unwrap_or(0);
                            (s, v)
                        })
                        .collect(),
                    events: events.iter().map(NewEvent::from).collect(),
                    metadata,
                });
                version_of.insert(target, current + events.len() as u64);
                decided.push(events);
            }
            match self.store.append_all(requests).await {
                Ok(outcomes) => {
                    self.cache.forget(&streams);
                    return Ok(outcomes
                        .into_iter()
                        .zip(decided)
                        .map(|(outcome, events)| Executed {
                            events: if outcome.replayed { Vec::new() } else { events },
                            outcome,
                            follow_ups: Vec::new(),
                        })
                        .collect());
                }
                Err(StoreError::Conflict { .. }) if attempt < MAX_ATTEMPTS => {
                    self.cache.forget(&streams);
                }
                Err(error) => return Err(store_failure(error)),
            }
        }
    }

    /// Folds the given streams into a world, returning it with each stream's version.
    pub async fn load(&self, streams: &[StreamId]) -> Result<(World, Vec<u64>), StoreError> {
        let mut recorded = self.store.read_streams(streams).await?;
        let versions = streams
            .iter()
            .map(|s| {
                recorded
                    .iter()
                    .filter(|e| &e.stream_id == s)
                    .map(|e| e.stream_version)
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // Fold in global order: the order the facts were recorded in.
        recorded.sort_by_key(|e| e.position);
        let mut world = World::default();
        for event in &recorded {
            let decoded = event.decode().map_err(|e| StoreError::Corrupt {
                position: event.position,
                message: e.to_string(),
            })?;
            world.apply_at(&decoded, event.metadata.occurred_at);
        }
        Ok((world, versions))
    }

    /// Like [`CommandHandler::load`], from memory where it can. Streams not in memory
    /// are read from the store when `fetch` is set, and otherwise assumed empty: a
    /// command creating something new then needs no read at all, and the append's
    /// version check refuses it if the assumption was wrong. Returns also whether any
    /// stream came from memory or assumption rather than the store.
    async fn load_cached(
        &self,
        streams: &[StreamId],
        fetch: bool,
    ) -> Result<(World, Vec<u64>, bool), StoreError> {
        let mut found: Vec<Option<Arc<CachedStream>>> =
            streams.iter().map(|s| self.cache.get(s)).collect();
        let used_cache = !fetch || found.iter().any(Option::is_some);
        let missing: Vec<StreamId> = streams
            .iter()
            .zip(&found)
            .filter(|(_, c)| c.is_none())
            .map(|(s, _)| s.clone())
            .collect();
        if fetch && !missing.is_empty() {
            let mut fetched: HashMap<StreamId, (u64, Vec<DatedEvent>)> = HashMap::new();
            for recorded in self.store.read_streams(&missing).await? {
                let event = recorded.decode().map_err(|e| StoreError::Corrupt {
                    position: recorded.position,
                    message: e.to_string(),
                })?;
                let (version, events) = fetched.entry(recorded.stream_id.clone()).or_default();
                // A stream's events come in its own order; keep the highest version.
                *version = (*version).max(recorded.stream_version);
                events.push((event, recorded.metadata.occurred_at));
            }
            for (stream, slot) in streams.iter().zip(found.iter_mut()) {
                if slot.is_none() {
                    let (version, events) = fetched.remove(stream).unwrap_or_default();
                    let cached = Arc::new(CachedStream::fold(version, &events));
                    self.cache.put(stream.clone(), cached.clone());
                    *slot = Some(cached);
                }
            }
        }
        let versions = found
            .iter()
            .map(|c| c.as_ref().map_or(0, |c| c.version))
            .collect();
        // Each stream's state is its own record's: absorbed together they are the
        // streams' events folded in global order.
        let mut world = World::default();
        for cached in found.into_iter().flatten() {
            world.absorb(cached.state.clone());
        }
        Ok((world, versions, used_cache))
    }

    async fn execute_one(
        &self,
        command: Command,
        mut metadata: CommandMetadata,
        expected_version: Option<u64>,
    ) -> Result<Executed, CommandError> {
        if metadata.reason.is_none() {
            metadata.reason = command.reason().map(str::to_owned);
        }
        let target = command.target();
        let reads = command.reads();
        let _turn = self.turns.take(&target).await;
        let started = tokio::time::Instant::now();
        if expected_version.is_some() {
            // The caller's expectation is judged against the store, not our memory.
            self.cache.forget(std::slice::from_ref(&target));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let fetch = attempt > 1 || expected_version.is_some();
            let (world, versions, used_cache) = self.load_cached(&reads, fetch).await?;
            let current = versions.first().copied().unwrap_or(0);
            if let Some(expected) = expected_version {
                if expected != current {
                    if let Some(outcome) = self.store.command_outcome(metadata.command_id).await? {
                        return Ok(Executed {
                            outcome,
                            events: Vec::new(),
                            follow_ups: Vec::new(),
                        });
                    }
                    return Err(CommandError::Conflict {
                        stream: target,
                        expected,
                        actual: current,
                    });
                }
            }
            let (at, events) = match judge(&world, &command, &metadata) {
                Ok(judged) => judged,
                // Remembered state may be behind: refuse only on what the store holds.
                Err(_) if used_cache => {
                    self.cache.forget(&reads);
                    continue;
                }
                // A retried command may be refused by the state it created itself
                // ("task already exists"): answer it from the record instead. The
                // store answers retries of accepted commands in the append below.
                Err(refusal) => match self.store.command_outcome(metadata.command_id).await? {
                    Some(outcome) => {
                        return Ok(Executed {
                            outcome,
                            events: Vec::new(),
                            follow_ups: Vec::new(),
                        })
                    }
                    None => return Err(refusal.into()),
                },
            };
            let request = AppendRequest {
                stream: target.clone(),
                expected: ExpectedVersion::Exact(current),
                conditions: reads
                    .iter()
                    .cloned()
                    .zip(versions.iter().copied())
                    .skip(1)
                    .collect(),
                events: events.iter().map(NewEvent::from).collect(),
                metadata: CommandMetadata {
                    occurred_at: at,
                    ..metadata.clone()
                },
            };
            match self.store.append(request).await {
                Ok(outcome) if outcome.replayed => {
                    self.cache.forget(std::slice::from_ref(&target));
                    return Ok(Executed {
                        outcome,
                        events: Vec::new(),
                        follow_ups: Vec::new(),
                    });
                }
                Ok(outcome) => {
                    self.cache
                        .extend(&target, outcome.first_version, &events, at);
                    return Ok(Executed {
                        outcome,
                        events,
                        follow_ups: Vec::new(),
                    });
                }
                Err(StoreError::Conflict { stream, actual, .. }) => {
                    self.cache.forget(&reads);
                    let on_target = stream == target;
                    if expected_version.is_none() {
                        // No version was asked for: a lost race is re-decided, for a
                        // while, never reported as a conflict.
                        if attempt >= MAX_ATTEMPTS && started.elapsed() >= CONTENTION_DEADLINE {
                            return Err(CommandError::Contended { stream });
                        }
                        if attempt >= 3 {
                            let pause = (attempt as u64 * 2).min(50);
                            tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                        }
                        continue;
                    }
                    if on_target || attempt >= MAX_ATTEMPTS {
                        let expected = if on_target {
                            current
                        } else {
                            versions[reads.iter().position(|r| *r == stream).unwrap_or(0)]
                        };
                        return Err(CommandError::Conflict {
                            stream,
                            expected,
                            actual,
                        });
                    }
                }
                Err(other) => return Err(other.into()),
            }
        }
    }

    /// Passes the merged agency's open tasks to its successor, one command per task.
    /// Command ids derive from the merger event and the task, so running this again
    /// (after a crash, or when the merger command is replayed) writes nothing twice.
    async fn transfer_tasks_after_merger(
        &self,
        merger: &AppendOutcome,
        metadata: &CommandMetadata,
    ) -> Result<Vec<AppendOutcome>, CommandError> {
        let recorded = self
            .store
            .read_stream(&merger.stream, merger.first_version)
            .await?;
        let Some((cause, merged_at, Event::AgencyMerged(merged))) = recorded.iter().find_map(|r| {
            r.decode()
                .ok()
                .map(|e| (r.event_id, r.metadata.occurred_at, e))
        }) else {
            return Ok(Vec::new());
        };
        // Only tasks whose events name the merged agency can involve it.
        let tasks = self
            .store
            .streams_mentioning(
                reform_domain::TaskId::CATEGORY,
                &merged.agency_id.to_string(),
            )
            .await?;
        let (world, _) = self.load(&tasks).await?;
        let mut outcomes = Vec::new();
        for command in policy::transfers_after_merger(&world, &merged) {
            let follow_up = CommandMetadata {
                command_id: Uuid::new_v5(&cause, command.target().as_str().as_bytes()),
                correlation_id: metadata.correlation_id,
                causation_id: Some(cause),
                actor: metadata.actor.clone(),
                // As of the merger (or just after the task's own latest act).
                occurred_at: merged_at,
                on: None,
                reason: None,
            };
            outcomes.push(self.execute_one(command, follow_up, None).await?.outcome);
        }
        Ok(outcomes)
    }
}

/// An event and its business time.
type DatedEvent = (Event, DateTime<Utc>);

/// Settles when the command's act took place and decides it on `world`: its events and
/// their business time, or the refusal.
fn judge(
    world: &World,
    command: &Command,
    metadata: &CommandMetadata,
) -> Result<(DateTime<Utc>, Vec<Event>), DomainError> {
    // The rules first: a refusal by the record's state says more than one by its date.
    let events = decide(world, command.clone())?;
    let at = chronology::settle(world, command, metadata.on, metadata.occurred_at)?;
    Ok((at, events))
}
