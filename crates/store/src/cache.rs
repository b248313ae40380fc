//! The command handler's memory of streams it has read or written, so that a command
//! on hot streams (the plan every task is created in, the agency it is assigned to)
//! does not read them again. Never trusted blindly: every append names the version of
//! each stream its decision read, and the store refuses it if any moved, whoever moved
//! it (another process included). A refusal decided on remembered state is re-checked
//! on fresh state before it is given.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use reform_domain::{Event, StreamId};

/// Streams remembered at most; past this the memory starts afresh.
const MAX_STREAMS: usize = 10_000;

/// A stream's events, each with its global position, and its version.
#[derive(Debug, Default)]
pub(crate) struct CachedStream {
    pub(crate) version: u64,
    pub(crate) events: Vec<(u64, Event)>,
}

#[derive(Default)]
pub(crate) struct StreamCache {
    streams: Mutex<HashMap<StreamId, Arc<CachedStream>>>,
}

impl StreamCache {
    fn lock(&self) -> MutexGuard<'_, HashMap<StreamId, Arc<CachedStream>>> {
        // A panic elsewhere while holding the lock leaves a map that is still valid.
        self.streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn get(&self, stream: &StreamId) -> Option<Arc<CachedStream>> {
        self.lock().get(stream).cloned()
    }

    pub(crate) fn put(&self, stream: StreamId, cached: CachedStream) {
        let mut streams = self.lock();
        if streams.len() >= MAX_STREAMS && !streams.contains_key(&stream) {
            streams.clear();
        }
        streams.insert(stream, Arc::new(cached));
    }

    /// Adds events just appended at `first_version`, if they follow what is remembered.
    pub(crate) fn extend(
        &self,
        stream: &StreamId,
        first_version: u64,
        appended: Vec<(u64, Event)>,
    ) {
        let mut streams = self.lock();
        let base = streams.get(stream).map_or(0, |c| c.version);
        if base + 1 != first_version {
            streams.remove(stream);
            return;
        }
        let mut events = streams
            .get(stream)
            .map(|c| c.events.clone())
            .unwrap_or_default();
        let version = base + appended.len() as u64;
        events.extend(appended);
        if streams.len() >= MAX_STREAMS && !streams.contains_key(stream) {
            streams.clear();
        }
        streams.insert(stream.clone(), Arc::new(CachedStream { version, events }));
    }

    pub(crate) fn forget(&self, streams: &[StreamId]) {
        let mut cached = self.lock();
        for s in streams {
            cached.remove(s);
        }
    }
}
