//! What goes into the store and what comes out.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use reform_domain::{AgencyId, DecodeError, Event, Role, StreamId};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who did something: taken from the caller's credentials, never from user input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// Stable user id (the token's subject).
    pub user_id: String,
    /// Name to show.
    pub display_name: String,
    /// Role the user acted in.
    pub role: Role,
    /// The user's agency, if any.
    pub agency: Option<AgencyId>,
}

impl Actor {
    /// The system itself, for follow-up commands such as transfers after a merger.
    pub fn system() -> Self {
        Actor {
            user_id: "system".into(),
            display_name: "Hệ thống".into(),
            role: Role::System,
            agency: None,
        }
    }
}

/// The metadata every event of one command shares, as the caller gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandMetadata {
    /// Idempotency key: a command id is executed at most once.
    pub command_id: Uuid,
    /// Groups the commands of one user action (defaults to the command id).
    pub correlation_id: Uuid,
    /// The event that caused this command, for follow-ups.
    pub causation_id: Option<Uuid>,
    /// Who.
    pub actor: Actor,
    /// When the caller sent it, by the caller's clock: the events' business time
    /// unless `on` (or the command's own date) names an earlier day. The handler
    /// settles the business time ([`reform_domain::chronology::settle`]) and stores
    /// it as the events' `occurred_at`.
    pub occurred_at: DateTime<Utc>,
    /// The day the act took place, when the caller says it was not today (a decision
    /// signed last week entered now).
    pub on: Option<NaiveDate>,
    /// Why, when the user said.
    pub reason: Option<String>,
}

impl CommandMetadata {
    /// Dated `day`: the act took place then (see [`CommandMetadata::on`]).
    pub fn on(mut self, day: Option<NaiveDate>) -> Self {
        self.on = day;
        self
    }

    /// Metadata for a new command by `actor` at `occurred_at`, with fresh ids.
    pub fn new(actor: Actor, occurred_at: DateTime<Utc>) -> Self {
        let command_id = Uuid::now_v7();
        CommandMetadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor,
            occurred_at: occurred_at.trunc_subsecs(6),
            on: None,
            reason: None,
        }
    }
}

/// The metadata stored with each event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    /// Who.
    pub actor: Actor,
    /// Business time, from the command.
    pub occurred_at: DateTime<Utc>,
    /// Server time at commit.
    pub recorded_at: DateTime<Utc>,
    /// The command that caused it.
    pub command_id: Uuid,
    /// The user action it belongs to.
    pub correlation_id: Uuid,
    /// The event that caused the command, if any.
    pub causation_id: Option<Uuid>,
    /// Why.
    pub reason: Option<String>,
}

impl EventMetadata {
    /// Entered after the day it took place (a decision signed last week recorded
    /// today): the business day is before the day it was recorded.
    pub fn recorded_in_arrears(&self) -> bool {
        self.occurred_at.date_naive() < self.recorded_at.date_naive()
    }
}

/// An event about to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    /// UUIDv7, chosen before the append so that follow-ups can name it as their cause.
    pub event_id: Uuid,
    /// Type name.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: u32,
    /// Canonical JSON payload.
    pub payload: String,
}

impl From<&Event> for NewEvent {
    fn from(event: &Event) -> Self {
        NewEvent {
            event_id: Uuid::now_v7(),
            event_type: event.event_type().to_owned(),
            schema_version: event.schema_version(),
            payload: event.payload_json(),
        }
    }
}

/// A stored event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordedEvent {
    /// Position in the global log, from 1, without gaps.
    pub position: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Stream.
    pub stream_id: StreamId,
    /// Version within the stream, from 1.
    pub stream_version: u64,
    /// Type name.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: u32,
    /// Canonical JSON payload, byte for byte as stored.
    pub payload: String,
    /// Who, when, why.
    pub metadata: EventMetadata,
}

impl RecordedEvent {
    /// The domain event.
    pub fn decode(&self) -> Result<Event, DecodeError> {
        Event::decode(&self.event_type, self.schema_version, &self.payload)
    }

    /// A deterministic serialisation of everything stored about the event (payload and
    /// metadata): the bytes a hash chain covers. Field order is fixed by the struct and
    /// timestamps carry microseconds, the precision both databases keep.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The part of a stored event a fold needs: where it is, what it says, and when it
/// happened. Cheaper to read than a [`RecordedEvent`] (five columns, not seventeen).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFact {
    /// Position in the global log.
    pub position: u64,
    /// Type name.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: u32,
    /// Canonical JSON payload.
    pub payload: String,
    /// Business time.
    pub occurred_at: DateTime<Utc>,
}

impl EventFact {
    /// The domain event.
    pub fn decode(&self) -> Result<Event, DecodeError> {
        Event::decode(&self.event_type, self.schema_version, &self.payload)
    }
}

/// What the writer expects the stream's version to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// Don't check.
    Any,
    /// The stream must not exist yet.
    NoStream,
    /// The stream must be at exactly this version (0 = no stream).
    Exact(u64),
}

impl AppendRequest {
    /// Every stream whose version the append depends on: its own and its conditions'.
    pub(crate) fn streams(&self) -> impl Iterator<Item = &StreamId> {
        std::iter::once(&self.stream).chain(self.conditions.iter().map(|(s, _)| s))
    }
}

impl ExpectedVersion {
    pub(crate) fn admits(self, actual: u64) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => v == actual,
        }
    }
}

/// A request to append events to one stream.
#[derive(Clone, Debug)]
pub struct AppendRequest {
    /// The stream.
    pub stream: StreamId,
    /// The concurrency check.
    pub expected: ExpectedVersion,
    /// Other streams the decision read, each with the version it saw: the append is
    /// refused with a conflict if any has moved since, so no decision rests on facts
    /// that changed under it (an agency dissolved while work was assigned to it).
    pub conditions: Vec<(StreamId, u64)>,
    /// The events, at least one.
    pub events: Vec<NewEvent>,
    /// Shared metadata.
    pub metadata: CommandMetadata,
}

/// Where an append landed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppendOutcome {
    /// The stream.
    pub stream: StreamId,
    /// Version of the first event written.
    pub first_version: u64,
    /// Version of the last event written: the stream's version after the append.
    pub last_version: u64,
    /// Global position of the first event.
    pub first_position: u64,
    /// Global position of the last event.
    pub last_position: u64,
    /// True when the command id had already been executed and nothing was written.
    pub replayed: bool,
}

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// The store could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer changed the stream first.
    #[error("stream {stream} is at version {actual}, not the expected {expected:?}")]
    Conflict {
        /// The stream.
        stream: StreamId,
        /// What the writer expected.
        expected: ExpectedVersion,
        /// The stream's version now.
        actual: u64,
    },
    /// The command id was already used for a different stream.
    #[error("command id {command_id} was already used for stream {stream}")]
    CommandIdReused {
        /// The command id.
        command_id: Uuid,
        /// The stream it was used for.
        stream: StreamId,
    },
    /// The request itself is malformed (no events, bad payload).
    #[error("invalid append: {0}")]
    Invalid(String),
    /// A stored event could not be read back.
    #[error("stored event at position {position} is unreadable: {message}")]
    Corrupt {
        /// Where.
        position: u64,
        /// What.
        message: String,
    },
    /// The database URL is not one we support.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    /// The database failed. The text is for logs, never for clients.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database failed outside sqlx (the SQLite bulk reader). The text is for
    /// logs, never for clients.
    #[error("database error: {0}")]
    Engine(String),
    /// Migrations failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The store's writer task has stopped (the process is shutting down).
    #[error("the event store is shutting down")]
    Closed,
}

impl StoreError {
    /// Why the store cannot be used right now, when that is the trouble and it may pass
    /// (the database is down or restarting, the pool found no connection in time, the
    /// disk is full): the caller should try again shortly rather than report a fault.
    pub fn unavailable(&self) -> Option<&'static str> {
        let StoreError::Database(error) = self else {
            return None;
        };
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed => {
                Some("the database cannot be reached")
            }
            sqlx::Error::Io(_) => Some("the database cannot be reached"),
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                // PostgreSQL: connection exceptions (08…), shutting down or starting
                // up (57P01–57P03), disk full (53100). SQLite: SQLITE_FULL (13).
                if code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03") {
                    Some("the database cannot be reached")
                } else if code == "53100" || code == "13" {
                    Some("the disk is full")
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// Formats a timestamp the way SQLite stores it: RFC 3339, UTC, microseconds.
pub(crate) fn sqlite_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A stored (signed) count or position; negative never occurs and reads as 0.
pub(crate) fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A count or position as the databases store it (signed 64-bit).
pub(crate) fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Which events an audit asks for; every field narrows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Recorded by this user.
    pub actor: Option<String>,
    /// Recorded by someone acting for this agency.
    pub agency: Option<AgencyId>,
    /// Of this entity's stream.
    pub stream: Option<StreamId>,
    /// Of these types (any, when empty).
    pub event_types: Vec<String>,
    /// Happened (business time) at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Happened before this instant.
    pub to: Option<DateTime<Utc>>,
}
