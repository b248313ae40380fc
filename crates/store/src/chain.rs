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

use crate::canonical;
use crate::model::RecordedEvent;

/// The predecessor of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `SHA-256(prev ‖ "\n" ‖ canonical bytes)`, lower-case hex. The canonical bytes cover
/// everything stored about the event but its position (see [`crate::canonical`]): the
/// position is covered by the chain itself (each event names its predecessor's hash),
/// so a row moved elsewhere keeps a matching hash and is reported as out of place
/// rather than as changed.
pub fn link(prev: &str, event: &RecordedEvent) -> String {
    link_in(&mut Vec::with_capacity(1024), prev, event)
}

/// [`link`], with `buffer` as scratch space.
fn link_in(buffer: &mut Vec<u8>, prev: &str, event: &RecordedEvent) -> String {
    // A decoded event's times are never text, so its canonical form cannot fail.
    let hash = canonical::link(buffer, prev, &canonical::Fields::from(event)).unwrap_or_default();
    hex_string(&hash)
}

/// A hash as stored: lower-case hex.
fn hex_string(hash: &[u8; 32]) -> String {
    canonical::hex(hash)
        .iter()
        .map(|&b| char::from(b))
        .collect()
}

/// The hashes of `events` (consecutive, in order) chained after `prev`: each event's
/// `(prev_hash, hash)`.
pub fn chain<'e>(
    mut prev: String,
    events: impl IntoIterator<Item = &'e RecordedEvent>,
) -> Vec<(String, String)> {
    let mut buffer = Vec::with_capacity(1024);
    events
        .into_iter()
        .map(|event| {
            let hash = link_in(&mut buffer, &prev, event);
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

/// A stored event as a verification needs it: its place, its chain columns, and the
/// hash its stored columns give now, computed where it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Its position.
    pub position: u64,
    /// The hash it claims for its predecessor.
    pub prev_hash: Option<String>,
    /// Its own stored hash.
    pub hash: Option<String>,
    /// `SHA-256(prev_hash ‖ canonical bytes of its stored columns)`: `None` without a
    /// `prev_hash`, or when a column no longer reads as its type (which only a change
    /// behind the store's back can do).
    pub computed: Option<[u8; 32]>,
}

impl Link {
    /// The link of a decoded event.
    pub fn of(e: &ChainedEvent) -> Link {
        let mut buffer = Vec::with_capacity(1024);
        Link {
            position: e.event.position,
            computed: e.prev_hash.as_deref().and_then(|prev| {
                canonical::link(&mut buffer, prev, &canonical::Fields::from(&e.event)).ok()
            }),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }

    /// Whether the stored hash is the one the columns give.
    fn matches(&self) -> bool {
        match (&self.computed, &self.hash) {
            (Some(computed), Some(hash)) => canonical::hex(computed) == hash.as_bytes(),
            _ => false,
        }
    }
}

/// What a check of one link found wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// Out of place, missing a hash, or not following its predecessor.
    Breach(Breach),
    /// Its columns no longer give its stored hash: the breach names the event, which a
    /// [`Link`] does not carry ([`changed`] words it).
    Changed {
        /// Where.
        position: u64,
    },
}

/// The breach of an event whose content no longer matches its hash.
pub fn changed(e: &RecordedEvent) -> Breach {
    Breach {
        position: e.position,
        problem: format!(
            "its content no longer matches its hash: the payload or the metadata \
             (actor, times, ids, reason) of {} {} was changed after it was written",
            e.event_type, e.stream_id
        ),
    }
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
        self.check_link(&Link::of(e)).map_err(|flaw| match flaw {
            Flaw::Breach(breach) => breach,
            Flaw::Changed { .. } => changed(&e.event),
        })
    }

    /// Checks the next event from its [`Link`], whose hash can be computed apart (in
    /// parallel, where the rows are read): it needs nothing from the events before.
    pub fn check_link(&mut self, link: &Link) -> Result<(), Flaw> {
        let position = link.position;
        let breach = |problem: String| Flaw::Breach(Breach { position, problem });
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
            return Err(Flaw::Breach(Breach {
                position: self.last_position + 1,
                problem: missing,
            }));
        }
        let (Some(prev), Some(hash)) = (&link.prev_hash, &link.hash) else {
            return Err(breach(
                "it has no hash: it was inserted outside the store, or the chain was never built"
                    .into(),
            ));
        };
        if !link.matches() {
            return Err(Flaw::Changed { position });
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
