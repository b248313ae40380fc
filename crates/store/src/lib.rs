//! The append-only event store, on SQLite (embedded, the default) or PostgreSQL.
//!
//! **Events are never changed or removed** (the databases' own triggers refuse it);
//! **a reader following [`EventStore::read_all`] never skips an event** (positions
//! become visible strictly in order on both engines); **a command id is executed at
//! most once**. The store knows event types only as names and JSON; the command handler
//! (the `reform-commands` crate) is where domain commands meet it.

mod backfill;
mod batch;
mod canonical;
pub mod chain;
mod committer;
mod model;
mod postgres;
mod row;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use chain::{Breach, ChainedEvent, Digest, Flaw, Link, Verifier};
use futures::StreamExt;
use reform_domain::StreamId;
use tokio::sync::watch;
use uuid::Uuid;

pub use model::{
    Actor, AppendOutcome, AppendRequest, AuditFilter, Backend, CommandMetadata, EventFact,
    EventMetadata, ExpectedVersion, NewEvent, RecordedEvent, StoreError,
};
pub use postgres::PostgresStore;
pub use sqlite::{
    page_cache_pragma as sqlite_page_cache_pragma, path_of as sqlite_path,
    write_turn as sqlite_write_turn, SqliteStore,
};

/// Applying migrations. The store's (`migrations/store/<engine>/`) and the read-models'
/// (`migrations/projections/<engine>/`) share one numbering and sqlx's one table of applied
/// versions, so each side passes over the versions the other applied.
mod migrate {
    use sqlx::migrate::{Migrate, Migrator};

    use crate::model::StoreError;

    /// Applies `migrator`'s migrations not yet applied.
    pub(crate) async fn run<'a, A>(mut migrator: Migrator, pool: A) -> Result<(), StoreError>
    where
        A: sqlx::Acquire<'a>,
        <A::Connection as std::ops::Deref>::Target: Migrate,
    {
        migrator.set_ignore_missing(true);
        migrator.run(pool).await?;
        Ok(())
    }
}

/// The most jurisdiction codes [`EventStore::read_facts_filed_under`] takes at once
/// (a province with its communes and the provinces merged into it is a few hundred).
pub const MAX_FILED_CODES: usize = 20_000;

/// Refuses more codes than [`MAX_FILED_CODES`] at once.
fn filed_codes_bounded(codes: &[String]) -> Result<(), StoreError> {
    if codes.len() > MAX_FILED_CODES {
        return Err(StoreError::Invalid(format!(
            "{} jurisdiction codes asked for at once; at most {MAX_FILED_CODES}",
            codes.len()
        )));
    }
    Ok(())
}

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

    /// Appends several requests in one transaction, all or none: the first refusal
    /// (a conflict, a reused command id) is returned and nothing is written. Later
    /// requests see the versions earlier ones write, so a group may create a stream and
    /// then append to it. Replayed command ids are answered as by [`EventStore::append`].
    async fn append_all(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<AppendOutcome>, StoreError>;

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

    /// The jurisdiction codes streams are filed under, each once, sorted. A stream is
    /// filed when its first event is stored, under its record's jurisdiction: the
    /// payload's `jurisdiction` (agencies, documents, indicators, band schemes), its
    /// plan's for a task, its agency's for evaluations; the register's streams and
    /// anything else under `VN`, the nation. Which province a code lies in (mergers
    /// included) is the reader's question, answered by the register.
    async fn filed_jurisdictions(&self) -> Result<Vec<String>, StoreError>;

    /// What a fold needs ([`EventFact`]) of every event at or before position `upto`
    /// in the streams filed under one of `codes`, in global order: one jurisdiction's
    /// time travel reads its own streams, not the whole log. At most
    /// [`MAX_FILED_CODES`] codes at once.
    async fn read_facts_filed_under(
        &self,
        codes: &[String],
        upto: u64,
    ) -> Result<Vec<EventFact>, StoreError>;

    /// Up to `limit` events after `after`, in order, with their chain columns: what
    /// [`verify`] reads.
    async fn read_chain(&self, after: u64, limit: u32) -> Result<Vec<ChainedEvent>, StoreError>;

    /// Up to `limit` events after `after`, in order, as [`Link`]s: each hashed from its
    /// stored columns where it is read, without building the event. What [`verify`]
    /// reads; engines answer it from their own bulk reads.
    async fn read_links(&self, after: u64, limit: u32) -> Result<Vec<Link>, StoreError> {
        let page = self.read_chain(after, limit).await?;
        tokio::task::spawn_blocking(move || page.iter().map(Link::of).collect())
            .await
            .map_err(|e| StoreError::Engine(format!("a hashing thread failed: {e}")))
    }

    /// Up to `limit` events the filter admits with positions below `before` (all when
    /// `None`), newest first: the audit log, one statement per page.
    async fn read_audit(
        &self,
        filter: &AuditFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

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

/// What a verification found.
#[derive(Clone, Debug)]
pub struct Verification {
    /// Events checked.
    pub checked: u64,
    /// The digest of the last event checked, or the first breach.
    pub outcome: Result<Digest, Breach>,
}

/// Checks the hash chain of the events in `from ..= to` (the whole log by default),
/// and, with `against`, that the log still passes through that earlier digest.
pub async fn verify(
    store: &dyn EventStore,
    from: Option<u64>,
    to: Option<u64>,
    against: Option<Digest>,
) -> Result<Verification, StoreError> {
    let start = from.unwrap_or(1).max(1);
    let mut verifier = if start == 1 {
        Verifier::new()
    } else {
        // Start from the stored hash of the event before the range.
        let before = store.read_chain(start - 2, 1).await?;
        match before.into_iter().next() {
            Some(e) if e.event.position == start - 1 => {
                Verifier::after(start - 1, e.hash.unwrap_or_default())
            }
            _ => {
                return Ok(Verification {
                    checked: 0,
                    outcome: Err(Breach {
                        position: start - 1,
                        problem: "the event before the range is missing".into(),
                    }),
                })
            }
        }
    };
    if let Some(digest) = against {
        verifier = verifier.against(digest);
    }
    // Pages are read and hashed in parallel (each event's hash needs only its own
    // stored predecessor hash), then checked in order, where the links are compared.
    let last = match to {
        Some(to) => to,
        None => store.head().await?,
    };
    let ranges = (start..=last)
        .step_by(VERIFY_PAGE as usize)
        .map(move |first| (first, (first + u64::from(VERIFY_PAGE) - 1).min(last)));
    let mut pages = futures::stream::iter(ranges)
        .map(|(first, end)| async move {
            let mut page = store.read_links(first - 1, VERIFY_PAGE).await?;
            // Reading by count from `first`: where events were deleted it runs on into
            // the next range, which reads them itself.
            page.retain(|link| link.position <= end);
            Ok::<_, StoreError>(page)
        })
        .buffered(VERIFY_PARALLEL);
    while let Some(page) = pages.next().await {
        for link in &page? {
            if let Err(flaw) = verifier.check_link(link) {
                return found(store, &verifier, flaw).await;
            }
        }
    }
    if to.is_none() {
        // Past the head the store knows of (on PostgreSQL, its position counter): rows
        // put there behind the store's back.
        let mut after = last;
        loop {
            let page = store.read_links(after, VERIFY_PAGE).await?;
            let Some(end) = page.last().map(|link| link.position) else {
                break;
            };
            for link in &page {
                if let Err(flaw) = verifier.check_link(link) {
                    return found(store, &verifier, flaw).await;
                }
            }
            after = end;
        }
    }
    Ok(Verification {
        checked: verifier.checked(),
        outcome: verifier.finish(),
    })
}

/// The verification ended by `flaw`, with the changed event named.
async fn found(
    store: &dyn EventStore,
    verifier: &Verifier,
    flaw: Flaw,
) -> Result<Verification, StoreError> {
    let breach = match flaw {
        Flaw::Breach(breach) => breach,
        Flaw::Changed { position } => {
            let event = match store.read_chain(position - 1, 1).await {
                Ok(event) => event,
                Err(StoreError::Corrupt { .. }) => Vec::new(),
                Err(e) => return Err(e),
            };
            match event.first() {
                Some(e) if e.event.position == position => chain::changed(&e.event),
                // Its columns no longer decode as an event at all.
                _ => Breach {
                    position,
                    problem: "its content no longer matches its hash: its stored columns were \
                              changed after it was written"
                        .into(),
                },
            }
        }
    };
    Ok(Verification {
        checked: verifier.checked(),
        outcome: Err(breach),
    })
}

/// Pages read and hashed at once by a verification.
const VERIFY_PARALLEL: usize = 4;

/// Events a verification reads per statement.
const VERIFY_PAGE: u32 = 10_000;
