//! The command handler's memory of streams it has read or written, so that a command
//! on hot streams (the plan every task is created in, the agency it is assigned to)
//! does not read them again. Never trusted blindly: every append names the version of
//! each stream its decision read, and the store refuses it if any moved, whoever moved
//! it (another process included). A refusal decided on remembered state is re-checked
//! on fresh state before it is given.
//!
//! **Bounded**: a stream is remembered as its state folded on its own (see
//! [`World::absorb`]) and its version, never as its events, so a task with 20,000
//! progress reports takes the room of a task with one; and at most `capacity` streams
//! are remembered, the least recently used forgotten first. A forgotten stream is read
//! from the store again when a command needs it.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use hashlink::LruCache;
use reform_domain::{Event, StreamId, World};

/// Streams remembered when the handler is not told otherwise.
pub const DEFAULT_STREAM_CACHE: usize = 10_000;

/// A stream's state, folded from its events alone, and its version.
#[derive(Clone, Debug, Default)]
pub(crate) struct CachedStream {
    pub(crate) version: u64,
    pub(crate) state: World,
}

impl CachedStream {
    /// A stream folded from its events with their business times, in stream order.
    pub(crate) fn fold<'e>(
        version: u64,
        events: impl IntoIterator<Item = &'e (Event, DateTime<Utc>)>,
    ) -> Self {
        let mut state = World::default();
        for (event, at) in events {
            state.apply_at(event, *at);
        }
        CachedStream { version, state }
    }
}

pub(crate) struct StreamCache {
    streams: Mutex<LruCache<StreamId, Arc<CachedStream>>>,
}

impl StreamCache {
    /// A memory of at most `capacity` streams (0: remember nothing).
    pub(crate) fn new(capacity: usize) -> Self {
        StreamCache {
            streams: Mutex::new(LruCache::new(capacity)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, LruCache<StreamId, Arc<CachedStream>>> {
        // A panic elsewhere while holding the lock leaves a map that is still valid.
        self.streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, stream: &StreamId) -> Option<Arc<CachedStream>> {
        self.lock().get(stream).cloned()
    }

    pub(crate) fn put(&self, stream: StreamId, cached: Arc<CachedStream>) {
        self.lock().insert(stream, cached);
    }

    /// Folds events just appended at `first_version`, dated `at`, into the remembered
    /// state, if they follow it (a stream not remembered starts empty only at version 1).
    pub(crate) fn extend(
        &self,
        stream: &StreamId,
        first_version: u64,
        appended: &[Event],
        at: DateTime<Utc>,
    ) {
        let mut streams = self.lock();
        let base = streams.peek(stream).map_or(0, |c| c.version);
        if base + 1 != first_version {
            streams.remove(stream);
            return;
        }
        // Readers may hold the remembered state; they keep theirs (copy on write).
        let mut cached = streams.remove(stream).unwrap_or_default();
        let entry = Arc::make_mut(&mut cached);
        appended.iter().for_each(|e| entry.state.apply_at(e, at));
        entry.version = base + appended.len() as u64;
        streams.insert(stream.clone(), cached);
    }

    pub(crate) fn forget(&self, streams: &[StreamId]) {
        let mut cached = self.lock();
        for s in streams {
            cached.remove(s);
        }
    }

    /// How many streams are remembered now.
    pub(crate) fn len(&self) -> usize {
        self.lock().len()
    }

    /// How many streams may be remembered at most.
    pub(crate) fn capacity(&self) -> usize {
        self.lock().capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use reform_domain::{
        AgencyId, Deadline, DocumentId, Pillar, TaskCategory, TaskCreated, TaskId,
        TaskProgressReported, TaskStatus,
    };

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, d).unwrap_or(NaiveDate::MIN)
    }

    fn at() -> DateTime<Utc> {
        reform_domain::chronology::start_of(day(1))
    }

    fn created(task: TaskId, lead: AgencyId) -> Event {
        Event::TaskCreated(TaskCreated {
            task_id: task,
            reference: None,
            plan: DocumentId::generate(),
            parent_task: None,
            directive_point: None,
            category: TaskCategory::Pillar(Pillar::ALL[0]),
            title: "Rà soát thủ tục".into(),
            description: None,
            lead,
            coordinators: Vec::new(),
            deadline: Deadline::On(day(31)),
            expected_output: "Báo cáo".into(),
            weight: 1,
        })
    }

    fn reported(task: TaskId, lead: AgencyId, percent: u8) -> Event {
        Event::TaskProgressReported(TaskProgressReported {
            task_id: task,
            reported_by: lead,
            percent,
            note: "Đã thực hiện".into(),
            evidence: Vec::new(),
            as_of: day(2),
        })
    }

    /// A task reported on 20,000 times is one remembered stream holding one task, at
    /// version 20,001, with the last report's percent; the memory never holds more
    /// streams than its capacity, however many are touched, and the busiest stream
    /// stays while it is in use.
    #[test]
    fn a_busy_stream_is_remembered_as_its_state_within_the_bound() {
        let cache = StreamCache::new(8);
        let (task, lead) = (TaskId::generate(), AgencyId::generate());
        let busy = task.stream();
        cache.extend(&busy, 1, &[created(task, lead)], at());
        for i in 0..20_000_u32 {
            let percent = u8::try_from(i % 100).unwrap_or(0);
            cache.extend(
                &busy,
                u64::from(i) + 2,
                &[reported(task, lead, percent)],
                at(),
            );
            // Other streams come and go meanwhile.
            let other = TaskId::generate();
            cache.extend(&other.stream(), 1, &[created(other, lead)], at());
            assert!(cache.len() <= 8, "{} streams held", cache.len());
            assert!(cache.get(&busy).is_some(), "the stream in use stays");
        }
        let held = cache.get(&busy).expect("remembered");
        assert_eq!(held.version, 20_001);
        assert_eq!(held.state.tasks.len(), 1, "one task, not 20,001 events");
        let state = &held.state.tasks[&task];
        assert_eq!(
            (state.percent, state.status.clone()),
            (99, TaskStatus::InProgress)
        );
        assert_eq!(cache.len(), 8);
        assert_eq!(cache.capacity(), 8);
    }

    /// Events that do not follow what is remembered (another writer got there first,
    /// or the stream was forgotten) make the memory forget the stream rather than
    /// hold a state with a gap.
    #[test]
    fn events_that_do_not_follow_are_not_folded_in() {
        let cache = StreamCache::new(4);
        let (task, lead) = (TaskId::generate(), AgencyId::generate());
        let stream = task.stream();
        cache.extend(&stream, 2, &[reported(task, lead, 10)], at());
        assert!(
            cache.get(&stream).is_none(),
            "version 2 does not start a stream"
        );
        cache.extend(&stream, 1, &[created(task, lead)], at());
        cache.extend(&stream, 3, &[reported(task, lead, 10)], at());
        assert!(cache.get(&stream).is_none(), "a gap forgets the stream");
    }

    /// A reader keeps the state it was given while a writer folds the next event in.
    #[test]
    fn readers_keep_their_state_while_the_stream_moves_on() {
        let cache = StreamCache::new(4);
        let (task, lead) = (TaskId::generate(), AgencyId::generate());
        let stream = task.stream();
        cache.extend(&stream, 1, &[created(task, lead)], at());
        let before = cache.get(&stream).expect("remembered");
        cache.extend(&stream, 2, &[reported(task, lead, 40)], at());
        assert_eq!((before.version, before.state.tasks[&task].percent), (1, 0));
        let after = cache.get(&stream).expect("remembered");
        assert_eq!((after.version, after.state.tasks[&task].percent), (2, 40));
    }

    /// Capacity 0 remembers nothing.
    #[test]
    fn a_memory_of_no_streams_holds_none() {
        let cache = StreamCache::new(0);
        let (task, lead) = (TaskId::generate(), AgencyId::generate());
        cache.extend(&task.stream(), 1, &[created(task, lead)], at());
        assert_eq!(cache.len(), 0);
    }
}
