//! The hash chain that makes the log tamper-evident.
//!
//! Every event stores the hash of its predecessor (`prev_hash`) and its own
//! (`hash = SHA-256(prev_hash ‖ canonical bytes)`), in global order from
//! [`GENESIS`]. The canonical bytes cover the payload **and** the metadata (actor,
//! times, ids, reason) and the event's place (position, stream, version), so changing
//! any stored column of any event, removing one, inserting one or reordering them
//! breaks the chain at that place. What the chain cannot show by itself is the loss of
//! the newest events, or a rewrite of everything from some point on: for that an
//! auditor keeps a [`Digest`] of a head outside the system and later checks that the
//! log still passes through it ([`Verifier::against`]).

use std::fmt;
use std::str::FromStr;

use sha2::{Digest as _, Sha256};

use crate::model::RecordedEvent;

/// The predecessor of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an event's hash covers: everything stored about it but its position. The
/// position is covered by the chain itself (each event names its predecessor's hash),
/// so a row moved elsewhere keeps a matching hash and is reported as out of place
/// rather than as changed.
#[derive(serde::Serialize)]
struct Canonical<'e> {
    event_id: &'e uuid::Uuid,
    stream_id: &'e reform_domain::StreamId,
    stream_version: u64,
    event_type: &'e str,
    schema_version: u32,
    payload: &'e str,
    metadata: &'e crate::model::EventMetadata,
}

/// `SHA-256(prev ‖ "\n" ‖ canonical JSON of the event but its position)`, lower-case hex.
pub fn link(prev: &str, event: &RecordedEvent) -> String {
    let canonical = Canonical {
        event_id: &event.event_id,
        stream_id: &event.stream_id,
        stream_version: event.stream_version,
        event_type: &event.event_type,
        schema_version: event.schema_version,
        payload: &event.payload,
        metadata: &event.metadata,
    };
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(b"\n");
    // Writing into a hasher cannot fail; a failure would only make the hash differ.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), &canonical);
    format!("{:x}", hasher.finalize())
}

/// Feeds serialised bytes straight into the hasher (no buffer per event).
struct HashWriter<'h>(&'h mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The hashes of `events` (consecutive, in order) chained after `prev`: each event's
/// `(prev_hash, hash)`.
pub fn chain<'e>(
    mut prev: String,
    events: impl IntoIterator<Item = &'e RecordedEvent>,
) -> Vec<(String, String)> {
    events
        .into_iter()
        .map(|event| {
            let hash = link(&prev, event);
            (std::mem::replace(&mut prev, hash.clone()), hash)
        })
        .collect()
}

/// A stored event with its chain columns (`None` before the chain was backfilled).
#[derive(Clone, Debug)]
pub struct ChainedEvent {
    /// The event as stored.
    pub event: RecordedEvent,
    /// The hash it claims for its predecessor.
    pub prev_hash: Option<String>,
    /// Its own hash.
    pub hash: Option<String>,
}

/// A log head an auditor can keep: `POSITION:HASH`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    /// The last position covered.
    pub position: u64,
    /// The hash of the event there ([`GENESIS`] for an empty log).
    pub hash: String,
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.position, self.hash)
    }
}

impl FromStr for Digest {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (position, hash) = s
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("{s:?} is not a digest (POSITION:HASH)"))?;
        let position = position
            .parse()
            .map_err(|_| format!("{position:?} is not a position"))?;
        let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
        if !valid {
            return Err(format!("{hash:?} is not a SHA-256 hash in hex"));
        }
        Ok(Digest {
            position,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

/// What is wrong at one place in the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breach {
    /// Where: the first position found wrong.
    pub position: u64,
    /// What is wrong there, in words an auditor can act on.
    pub problem: String,
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event at position {}: {}", self.position, self.problem)
    }
}

/// Checks a log read in order, event by event.
#[derive(Debug)]
pub struct Verifier {
    /// The last position seen (the range's start before any).
    last_position: u64,
    /// The hash stored at the last position seen.
    last_hash: String,
    checked: u64,
    against: Option<Digest>,
    reached_anchor: bool,
}

impl Verifier {
    /// Verifies from the start of the log.
    pub fn new() -> Verifier {
        Verifier::after(0, GENESIS.to_owned())
    }

    /// Verifies the events after `position`, whose stored hash is `hash`.
    pub fn after(position: u64, hash: String) -> Verifier {
        Verifier {
            last_position: position,
            last_hash: hash,
            checked: 0,
            against: None,
            reached_anchor: false,
        }
    }

    /// Also requires the log to pass through `digest` (an earlier head).
    pub fn against(mut self, digest: Digest) -> Verifier {
        self.reached_anchor = digest.position == self.last_position
            && (digest.position == 0 || digest.hash == self.last_hash);
        self.against = Some(digest);
        self
    }

    /// Checks the next event; the first breach ends the verification.
    pub fn check(&mut self, e: &ChainedEvent) -> Result<(), Breach> {
        let computed = e.prev_hash.as_deref().map(|prev| link(prev, &e.event));
        self.check_linked(e, computed.as_deref())
    }

    /// [`Verifier::check`] with the event's hash already computed from its stored
    /// predecessor hash (`link(prev_hash, event)`, `None` without one): the hashing,
    /// which needs nothing from the events before, can then run in parallel.
    pub fn check_linked(&mut self, e: &ChainedEvent, computed: Option<&str>) -> Result<(), Breach> {
        let position = e.event.position;
        let breach = |problem: String| Breach { position, problem };
        if position != self.last_position + 1 {
            let missing = if position > self.last_position + 1 {
                format!(
                    "positions {} to {} are missing: events were deleted",
                    self.last_position + 1,
                    position - 1
                )
            } else {
                format!(
                    "it comes after position {}: out of order",
                    self.last_position
                )
            };
            return Err(Breach {
                position: self.last_position + 1,
                problem: missing,
            });
        }
        let (Some(prev), Some(hash)) = (&e.prev_hash, &e.hash) else {
            return Err(breach(
                "it has no hash: it was inserted outside the store, or the chain was never built"
                    .into(),
            ));
        };
        if computed != Some(hash.as_str()) {
            return Err(breach(format!(
                "its content no longer matches its hash: the payload or the metadata \
                 (actor, times, ids, reason) of {} {} was changed after it was written",
                e.event.event_type, e.event.stream_id
            )));
        }
        if *prev != self.last_hash {
            return Err(breach(format!(
                "it does not follow the event at position {}: its recorded predecessor's \
                 hash differs, so events were inserted, removed or reordered here",
                self.last_position
            )));
        }
        if let Some(anchor) = &self.against {
            if anchor.position == position {
                if anchor.hash != *hash {
                    return Err(breach(format!(
                        "the log does not pass through the digest {anchor}: the event there now \
                         has hash {hash}, so history up to it was rewritten"
                    )));
                }
                self.reached_anchor = true;
            }
        }
        self.last_position = position;
        self.last_hash.clone_from(hash);
        self.checked += 1;
        Ok(())
    }

    /// After the last event: the head's digest, or the breach of a digest the log no
    /// longer reaches (its tail was cut).
    pub fn finish(&self) -> Result<Digest, Breach> {
        if let Some(anchor) = &self.against {
            if !self.reached_anchor {
                return Err(Breach {
                    position: anchor.position,
                    problem: format!(
                        "the log ends at position {} and no longer reaches the digest {anchor}: \
                         events at its end were removed",
                        self.last_position
                    ),
                });
            }
        }
        Ok(self.head())
    }

    /// The digest of what was checked so far.
    pub fn head(&self) -> Digest {
        Digest {
            position: self.last_position,
            hash: self.last_hash.clone(),
        }
    }

    /// Events checked.
    pub fn checked(&self) -> u64 {
        self.checked
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new()
    }
}
