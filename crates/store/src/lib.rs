//! The append-only event store, on SQLite (embedded, the default) or PostgreSQL.
//!
//! **Events are never changed or removed** (the databases' own triggers refuse it);
//! **a reader following [`EventStore::read_all`] never skips an event** (positions
//! become visible strictly in order on both engines); **a command id is executed at
//! most once**. The store knows event types only as names and JSON; [`CommandHandler`]
//! is where domain commands meet it.

mod batch;
mod cache;
mod committer;
mod handler;
mod model;
mod postgres;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use reform_domain::StreamId;
use tokio::sync::watch;
use uuid::Uuid;

pub use handler::{CommandError, CommandHandler, Executed};
pub use model::{
    Actor, AppendOutcome, AppendRequest, Backend, CommandMetadata, EventFact, EventMetadata,
    ExpectedVersion, NewEvent, RecordedEvent, StoreError,
};
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// The database used when none is configured: a SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://reform.db";

/// An append-only log of events in streams, with a global order.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Which database this is.
    fn backend(&self) -> Backend;

    /// Appends events to one stream if its version is as expected. Replaying a command
    /// id returns the first append's outcome and writes nothing.
    async fn append(&self, request: AppendRequest) -> Result<AppendOutcome, StoreError>;

    /// A stream's events from `from_version` (1 = from the start), in order.
    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The events of several streams at once (one round trip), by stream then version.
    async fn read_streams(&self, streams: &[StreamId]) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events with positions after `after`, in global order. Following it
    /// (calling again with the last position seen) visits every event exactly once.
    async fn read_all(&self, after: u64, limit: u32) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Like [`EventStore::read_all`], but only what a fold needs ([`EventFact`]): for
    /// rebuilding read-models and time travel.
    async fn read_all_facts(&self, after: u64, limit: u32) -> Result<Vec<EventFact>, StoreError>;

    /// The last committed position (0 when empty).
    async fn head(&self) -> Result<u64, StoreError>;

    /// A stream's version (0 when it does not exist).
    async fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError>;

    /// The versions of several streams at once (one round trip); streams that do not
    /// exist are left out.
    async fn stream_versions(
        &self,
        streams: &[StreamId],
    ) -> Result<Vec<(StreamId, u64)>, StoreError>;

    /// The outcome of a command already executed, if it was.
    async fn command_outcome(&self, command_id: Uuid) -> Result<Option<AppendOutcome>, StoreError>;

    /// The streams of a category (`task`), sorted.
    async fn streams_in_category(&self, category: &str) -> Result<Vec<StreamId>, StoreError>;

    /// The streams of a category any of whose payloads contains `needle` (an entity's
    /// id): a superset of the streams that refer to it, found without loading the rest.
    async fn streams_mentioning(
        &self,
        category: &str,
        needle: &str,
    ) -> Result<Vec<StreamId>, StoreError>;

    /// The last position this process committed, updated after each commit: followers
    /// wait on it instead of polling. Commits by other processes are seen by polling
    /// [`EventStore::head`].
    fn watch_head(&self) -> watch::Receiver<u64>;
}

/// Opens the store a database URL names: `sqlite://PATH` (created if missing) or
/// `postgres://…`. Migrations are applied on the way.
pub async fn open(url: &str) -> Result<Arc<dyn EventStore>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}
