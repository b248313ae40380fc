//! The event store on SQLite, embedded: the default, needing no server.
//!
//! SQLite has one writer at a time. Writes open with `BEGIN IMMEDIATE` (a deferred
//! transaction that later upgrades to a write lock fails under contention instead of
//! waiting), WAL lets readers run beside the writer, and a busy timeout absorbs other
//! processes' writes. Positions are `max + 1` inside the write lock, so they are
//! gap-free and visible in order.
//!
//! This module opens the store and answers reads; `log.rs` writes (the write turn, a
//! batch in one transaction), `chain.rs` chains logs written before the hash chain,
//! `bulk.rs` reads the log in bulk through the SQLite C API.

mod bulk;
mod chain;
mod log;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use reform_domain::StreamId;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::chain::{ChainedEvent, Link};
use crate::committer::{self, Pending};
use crate::model::{
    sqlite_time, to_i64, to_u64, AppendOutcome, AppendRequest, AuditFilter, Backend, EventFact,
    RecordedEvent, StoreError,
};
use crate::row::{
    decode_chained, decode_command, decode_event, decode_fact, CHAINED_COLUMNS, COLUMNS,
    COMMAND_RECORD, FACT_COLUMNS,
};
use crate::EventStore;
use bulk::BulkReader;
pub use log::write_turn;

/// The page cache each SQLite connection this process opens may keep, in KiB (the
/// store's pool, its bulk readers and the read-model tables' pool). SQLite's default is
/// 2 MiB a connection, which 12 pooled connections fill slowly as the log grows and drop
/// when the pool recycles one: memory that climbs for an hour and falls back in steps.
/// The hot pages of an append (the B-trees' roots and right edges) and of a stream read
/// fit in far less.
pub(crate) const PAGE_CACHE_KIB: u32 = 512;

/// `PRAGMA cache_size`'s value for [`PAGE_CACHE_KIB`] (negative: KiB, not pages).
pub fn page_cache_pragma() -> String {
    format!("-{PAGE_CACHE_KIB}")
}

/// The page after a position: `?1` the position, `?2` how many.
const AFTER: &str = "FROM events WHERE position > ?1 ORDER BY position LIMIT ?2";

/// A list bound as one JSON text and read back with `json_each`.
fn json_list<T: serde::Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_default()
}

/// The event store on SQLite.
pub struct SqliteStore {
    pool: SqlitePool,
    /// Bulk reads of the log; `None` for an in-memory database.
    bulk: Option<Arc<BulkReader>>,
    writer: mpsc::Sender<Pending>,
    head: watch::Receiver<u64>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://reform.db`),
    /// applies the migrations in `migrations/store/sqlite`, and starts the writer.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Acknowledged means on disk: an audit log must not lose a commit.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            .pragma("cache_size", page_cache_pragma());
        let path = options.get_filename();
        let bulk = (!path.as_os_str().is_empty() && path.as_os_str() != ":memory:")
            .then(|| BulkReader::new(path.to_path_buf()));
        // A file, not a server: nothing is gained by closing an idle connection (sqlx's
        // default after 10 min) or an old one (after 30), and each reopened one builds its
        // caches again; the soak showed RSS stepping up and down at those times.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        crate::migrate::run(sqlx::migrate!("../../migrations/store/sqlite"), &pool).await?;
        chain::backfill(&pool).await?;
        let current: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
            .fetch_one(&pool)
            .await?;
        let (head_tx, head) = watch::channel(to_u64(current));
        let writer = committer::spawn(log::SqliteWriter::new(pool.clone()), head_tx);
        Ok(SqliteStore {
            pool,
            bulk,
            writer,
            head,
        })
    }

    /// Up to `limit` rows of `SELECT columns AFTER`, decoded.
    async fn page<T>(
        &self,
        columns: &str,
        after: u64,
        limit: u32,
        decode: fn(&SqliteRow) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {columns} {AFTER}"))
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }
}

/// The file a pool's connections open.
pub fn path_of(pool: &SqlitePool) -> std::path::PathBuf {
    pool.connect_options().get_filename().to_path_buf()
}

#[async_trait]
impl EventStore for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn append(&self, request: AppendRequest) -> Result<AppendOutcome, StoreError> {
        committer::append_one(&self.writer, request).await
    }

    async fn append_all(
        &self,
        requests: Vec<AppendRequest>,
    ) -> Result<Vec<AppendOutcome>, StoreError> {
        committer::append_group(&self.writer, requests).await
    }

    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE stream_id = ?1 AND stream_version >= ?2 \
             ORDER BY stream_version"
        );
        let rows = sqlx::query(&sql)
            .bind(stream.as_str())
            .bind(to_i64(from_version))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_event).collect()
    }

    async fn read_streams(&self, streams: &[StreamId]) -> Result<Vec<RecordedEvent>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM events WHERE stream_id IN (SELECT value FROM json_each(?1)) \
             ORDER BY stream_id, stream_version"
        );
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows = sqlx::query(&sql)
            .bind(json_list(&ids))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_event).collect()
    }

    async fn filed_jurisdictions(&self) -> Result<Vec<String>, StoreError> {
        // Distinct codes straight off the index `stream_jurisdictions_by_code`.
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT jurisdiction FROM stream_jurisdictions ORDER BY jurisdiction",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    async fn read_facts_filed_under(
        &self,
        codes: &[String],
        upto: u64,
    ) -> Result<Vec<EventFact>, StoreError> {
        crate::filed_codes_bounded(codes)?;
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM events WHERE stream_id IN \
             (SELECT stream_id FROM stream_jurisdictions \
              WHERE jurisdiction IN (SELECT value FROM json_each(?1))) \
             AND position <= ?2 ORDER BY position"
        );
        let rows = sqlx::query(&sql)
            .bind(json_list(codes))
            .bind(to_i64(upto))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_fact).collect()
    }

    async fn read_all(&self, after: u64, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        self.page(COLUMNS, after, limit, decode_event).await
    }

    async fn read_all_facts(&self, after: u64, limit: u32) -> Result<Vec<EventFact>, StoreError> {
        match &self.bulk {
            Some(bulk) => {
                bulk.page(FACT_COLUMNS, after, limit, |r| decode_fact(r))
                    .await
            }
            None => self.page(FACT_COLUMNS, after, limit, decode_fact).await,
        }
    }

    async fn read_audit(
        &self,
        filter: &AuditFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(format!(
            "SELECT {COLUMNS} FROM events WHERE position < "
        ));
        q.push_bind(before.map_or(i64::MAX, to_i64));
        if let Some(actor) = &filter.actor {
            q.push(" AND actor_id = ").push_bind(actor.clone());
        }
        if let Some(agency) = filter.agency {
            q.push(" AND actor_agency = ")
                .push_bind(agency.0.to_string());
        }
        if let Some(stream) = &filter.stream {
            q.push(" AND stream_id = ")
                .push_bind(stream.as_str().to_owned());
        }
        if !filter.event_types.is_empty() {
            q.push(" AND event_type IN (SELECT value FROM json_each(")
                .push_bind(json_list(&filter.event_types))
                .push("))");
        }
        // Stored times are text with four-digit years, which sorts as time; a bound
        // outside years 0–9999 would not ("+262142-…" sorts before "2024-…"), so it
        // is settled here: past every storable time, a lower bound matches nothing
        // and an upper bound bounds nothing; before them all, the reverse.
        let storable = |t: DateTime<Utc>| (0..=9999).contains(&t.year());
        if let Some(from) = filter.from {
            if from.year() > 9999 {
                return Ok(Vec::new());
            }
            if storable(from) {
                q.push(" AND occurred_at >= ").push_bind(sqlite_time(from));
            }
        }
        if let Some(to) = filter.to {
            if to.year() < 0 {
                return Ok(Vec::new());
            }
            if storable(to) {
                q.push(" AND occurred_at < ").push_bind(sqlite_time(to));
            }
        }
        q.push(" ORDER BY position DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(decode_event).collect()
    }

    async fn read_chain(&self, after: u64, limit: u32) -> Result<Vec<ChainedEvent>, StoreError> {
        match &self.bulk {
            Some(bulk) => {
                bulk.page(CHAINED_COLUMNS, after, limit, |r| decode_chained(r))
                    .await
            }
            None => {
                self.page(CHAINED_COLUMNS, after, limit, decode_chained)
                    .await
            }
        }
    }

    async fn read_links(&self, after: u64, limit: u32) -> Result<Vec<Link>, StoreError> {
        match &self.bulk {
            Some(bulk) => bulk.links(after, limit).await,
            None => {
                let page = self.read_chain(after, limit).await?;
                Ok(page.iter().map(Link::of).collect())
            }
        }
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let v: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(to_u64(v))
    }

    async fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT MAX(stream_version) FROM events WHERE stream_id = ?1")
                .bind(stream.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(v.map_or(0, to_u64))
    }

    async fn stream_versions(
        &self,
        streams: &[StreamId],
    ) -> Result<Vec<(StreamId, u64)>, StoreError> {
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT stream_id, MAX(stream_version) FROM events \
             WHERE stream_id IN (SELECT value FROM json_each(?1)) GROUP BY stream_id",
        )
        .bind(json_list(&ids))
        .fetch_all(&self.pool)
        .await?;
        Ok(crate::row::versions(rows))
    }

    async fn command_outcome(&self, command_id: Uuid) -> Result<Option<AppendOutcome>, StoreError> {
        let sql = format!("{COMMAND_RECORD} WHERE command_id = ?1 AND command_size IS NOT NULL");
        let row = sqlx::query(&sql)
            .bind(command_id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .as_ref()
            .map(decode_command)
            .transpose()?
            .map(|c| c.outcome(true)))
    }

    async fn streams_in_category(&self, category: &str) -> Result<Vec<StreamId>, StoreError> {
        // The expression of the partial index `events_stream_category`.
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT stream_id FROM events \
             WHERE substr(stream_id, 1, instr(stream_id, '-') - 1) = ?1 AND stream_version = 1 \
             ORDER BY stream_id",
        )
        .bind(category)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(StreamId).collect())
    }

    async fn streams_mentioning(
        &self,
        category: &str,
        needle: &str,
    ) -> Result<Vec<StreamId>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT stream_id FROM events \
             WHERE substr(stream_id, 1, instr(stream_id, '-') - 1) = ?1 AND instr(payload, ?2) > 0 \
             ORDER BY stream_id",
        )
        .bind(category)
        .bind(needle)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids.into_iter().map(StreamId).collect())
    }

    fn watch_head(&self) -> watch::Receiver<u64> {
        self.head.clone()
    }
}
