//! The event store on PostgreSQL, for production.
//!
//! Positions are handed out under a lock on the single `position_counter` row, held
//! until commit: transactions therefore become visible in position order, and a reader
//! that has seen position N has seen every position below it. Concurrent appends are
//! committed together by the writer task, so the lock costs one round trip per batch,
//! not per append.
//!
//! This module opens the store and answers reads; `log.rs` writes (the one-statement
//! fast path and the locked path), `chain.rs` chains logs written before the hash
//! chain, `bulk.rs` reads the log for verification by `COPY`.

mod bulk;
mod chain;
mod log;

use std::time::Duration;

use async_trait::async_trait;
use reform_domain::StreamId;
use sqlx::postgres::{PgPool, PgPoolOptions, PgRow};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use crate::chain::{ChainedEvent, Link, GENESIS};
use crate::committer::{self, Pending};
use crate::model::{
    to_i64, to_u64, AppendOutcome, AppendRequest, AuditFilter, Backend, EventFact, RecordedEvent,
    StoreError,
};
use crate::row::{
    decode_chained, decode_command, decode_event, decode_fact, CHAINED_COLUMNS, COLUMNS,
    COMMAND_RECORD, FACT_COLUMNS,
};
use crate::EventStore;
use log::{PgWriter, Tip};

/// The page after a position: `$1` the position, `$2` how many.
const AFTER: &str = "FROM events WHERE position > $1 ORDER BY position LIMIT $2";

/// The event store on PostgreSQL.
pub struct PostgresStore {
    pool: PgPool,
    writer: mpsc::Sender<Pending>,
    head: watch::Receiver<u64>,
}

impl PostgresStore {
    /// Connects, applies the migrations in `migrations/store/postgres`, and starts the writer.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // A request that cannot get a connection soon is answered "unavailable"
            // rather than held for the length of an outage.
            .acquire_timeout(Duration::from_secs(3))
            .connect(url)
            .await?;
        Self::from_pool(pool).await
    }

    /// Uses an existing pool (migrating it first).
    pub async fn from_pool(pool: PgPool) -> Result<Self, StoreError> {
        crate::migrate::run(sqlx::migrate!("../../migrations/store/postgres"), &pool).await?;
        chain::backfill(&pool).await?;
        let (current, last_hash): (i64, Option<String>) =
            sqlx::query_as("SELECT value, last_hash FROM position_counter")
                .fetch_one(&pool)
                .await?;
        let (head_tx, head) = watch::channel(to_u64(current));
        let tip = Tip {
            position: to_u64(current),
            hash: last_hash.unwrap_or_else(|| GENESIS.to_owned()),
        };
        let writer = committer::spawn(
            PgWriter {
                pool: pool.clone(),
                tip,
            },
            head_tx,
        );
        Ok(PostgresStore { pool, writer, head })
    }

    /// Up to `limit` rows of `SELECT columns AFTER`, decoded.
    async fn page<T>(
        &self,
        columns: &str,
        after: u64,
        limit: u32,
        decode: fn(&PgRow) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {columns} {AFTER}"))
            .bind(to_i64(after))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode).collect()
    }
}

#[async_trait]
impl EventStore for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
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
            "SELECT {COLUMNS} FROM events WHERE stream_id = $1 AND stream_version >= $2 \
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
            "SELECT {COLUMNS} FROM events WHERE stream_id = ANY($1) \
             ORDER BY stream_id, stream_version"
        );
        let ids: Vec<&str> = streams.iter().map(StreamId::as_str).collect();
        let rows = sqlx::query(&sql).bind(&ids).fetch_all(&self.pool).await?;
        rows.iter().map(decode_event).collect()
    }

    async fn filed_jurisdictions(&self) -> Result<Vec<String>, StoreError> {
        // Distinct codes by skipping through the index `stream_jurisdictions_by_code`
        // (a loose index scan), not by reading every stream's row.
        Ok(sqlx::query_scalar(
            "WITH RECURSIVE codes AS ( \
                 (SELECT jurisdiction FROM stream_jurisdictions ORDER BY jurisdiction LIMIT 1) \
                 UNION ALL \
                 SELECT (SELECT s.jurisdiction FROM stream_jurisdictions s \
                         WHERE s.jurisdiction > codes.jurisdiction \
                         ORDER BY s.jurisdiction LIMIT 1) \
                 FROM codes WHERE codes.jurisdiction IS NOT NULL) \
             SELECT jurisdiction FROM codes WHERE jurisdiction IS NOT NULL",
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
             (SELECT stream_id FROM stream_jurisdictions WHERE jurisdiction = ANY($1)) \
             AND position <= $2 ORDER BY position"
        );
        let rows = sqlx::query(&sql)
            .bind(codes)
            .bind(to_i64(upto))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(decode_fact).collect()
    }

    async fn read_all(&self, after: u64, limit: u32) -> Result<Vec<RecordedEvent>, StoreError> {
        self.page(COLUMNS, after, limit, decode_event).await
    }

    async fn read_all_facts(&self, after: u64, limit: u32) -> Result<Vec<EventFact>, StoreError> {
        self.page(FACT_COLUMNS, after, limit, decode_fact).await
    }

    async fn read_audit(
        &self,
        filter: &AuditFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut q = sqlx::QueryBuilder::<sqlx::Postgres>::new(format!(
            "SELECT {COLUMNS} FROM events WHERE position < "
        ));
        q.push_bind(before.map_or(i64::MAX, to_i64));
        if let Some(actor) = &filter.actor {
            q.push(" AND actor_id = ").push_bind(actor.clone());
        }
        if let Some(agency) = filter.agency {
            q.push(" AND actor_agency = ").push_bind(agency.0);
        }
        if let Some(stream) = &filter.stream {
            q.push(" AND stream_id = ")
                .push_bind(stream.as_str().to_owned());
        }
        if !filter.event_types.is_empty() {
            q.push(" AND event_type = ANY(")
                .push_bind(filter.event_types.clone())
                .push(")");
        }
        if let Some(from) = filter.from {
            q.push(" AND occurred_at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            q.push(" AND occurred_at < ").push_bind(to);
        }
        q.push(" ORDER BY position DESC LIMIT ")
            .push_bind(i64::from(limit));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(decode_event).collect()
    }

    async fn read_chain(&self, after: u64, limit: u32) -> Result<Vec<ChainedEvent>, StoreError> {
        self.page(CHAINED_COLUMNS, after, limit, decode_chained)
            .await
    }

    async fn read_links(&self, after: u64, limit: u32) -> Result<Vec<Link>, StoreError> {
        bulk::read_links(&self.pool, after, limit).await
    }

    async fn head(&self) -> Result<u64, StoreError> {
        let v: i64 = sqlx::query_scalar("SELECT value FROM position_counter")
            .fetch_one(&self.pool)
            .await?;
        Ok(to_u64(v))
    }

    async fn stream_version(&self, stream: &StreamId) -> Result<u64, StoreError> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT stream_version FROM events WHERE stream_id = $1 \
             ORDER BY stream_version DESC LIMIT 1",
        )
        .bind(stream.as_str())
        .fetch_optional(&self.pool)
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
             WHERE stream_id = ANY($1) GROUP BY stream_id",
        )
        .bind(&ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(crate::row::versions(rows))
    }

    async fn command_outcome(&self, command_id: Uuid) -> Result<Option<AppendOutcome>, StoreError> {
        let sql = format!("{COMMAND_RECORD} WHERE command_id = $1 AND command_size IS NOT NULL");
        let row = sqlx::query(&sql)
            .bind(command_id)
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
             WHERE split_part(stream_id, '-', 1) = $1 AND stream_version = 1 ORDER BY stream_id",
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
             WHERE split_part(stream_id, '-', 1) = $1 AND strpos(payload, $2) > 0 \
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
