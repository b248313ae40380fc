//! Appending on SQLite: a batch of appends in one `BEGIN IMMEDIATE` transaction, taken
//! after the file's write turn.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use async_trait::async_trait;
use chrono::{SubsecRound, Utc};
use reform_domain::StreamId;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

use super::{json_list, path_of};
use crate::batch::{self, BatchPlan};
use crate::chain;
use crate::committer::BatchWriter;
use crate::model::{sqlite_time, to_i64, to_u64, AppendRequest, StoreError};
use crate::row::{decode_command, COMMAND_RECORD};

/// The turn in-process writers to one SQLite file take before `BEGIN IMMEDIATE`: the
/// log's writer and the read-model tables' follower then queue here instead of meeting
/// SQLite's busy handler, whose back-off sleeps (up to 100 ms each) made the tail of
/// commit-to-read-model lag. Other processes are still kept apart by SQLite's lock and
/// the busy timeout.
pub fn write_turn(path: &Path) -> Arc<tokio::sync::Mutex<()>> {
    type Turns = Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>;
    static TURNS: OnceLock<Turns> = OnceLock::new();
    let mut turns = TURNS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    // Keyed by the path as given too, so that a writer asking again finds its turn
    // without touching the file system.
    if let Some(turn) = turns.get(path) {
        return Arc::clone(turn);
    }
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let turn = Arc::clone(turns.entry(real).or_default());
    turns.insert(path.to_path_buf(), Arc::clone(&turn));
    turn
}

/// The log's writer on SQLite (see `committer`).
pub(super) struct SqliteWriter {
    pool: SqlitePool,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl SqliteWriter {
    pub(super) fn new(pool: SqlitePool) -> SqliteWriter {
        let turn = write_turn(&path_of(&pool));
        SqliteWriter { pool, turn }
    }
}

#[async_trait]
impl BatchWriter for SqliteWriter {
    async fn write(
        &mut self,
        requests: &[AppendRequest],
        atomic: bool,
    ) -> Result<BatchPlan, StoreError> {
        let turn = Arc::clone(&self.turn);
        let _turn = turn.lock().await;
        let mut connection = self.pool.acquire().await?;
        let written = write_batch(&mut connection, requests, atomic).await;
        if written.is_err() {
            // A failed COMMIT (a full disk) can leave sqlx believing the connection is
            // still inside a transaction, and every later BEGIN on it then fails: the
            // connection is closed rather than returned to the pool, so the next write
            // starts on a fresh one once the trouble has passed.
            connection.close_on_drop();
        }
        written
    }
}

/// Writes one batch in one `BEGIN IMMEDIATE` transaction on `connection`.
async fn write_batch(
    connection: &mut sqlx::SqliteConnection,
    requests: &[AppendRequest],
    atomic: bool,
) -> Result<BatchPlan, StoreError> {
    let mut tx = sqlx::Connection::begin_with(connection, "BEGIN IMMEDIATE").await?;
    let (head, last_hash) = super::chain::last_link(&mut tx).await?;

    let command_ids: Vec<String> = requests
        .iter()
        .map(|r| r.metadata.command_id.to_string())
        .collect();
    let sql = format!(
        "{COMMAND_RECORD} WHERE command_id IN (SELECT value FROM json_each(?1)) \
         AND command_size IS NOT NULL"
    );
    let known = sqlx::query(&sql)
        .bind(json_list(&command_ids))
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| decode_command(r).map(|c| (c.command_id, c)))
        .collect::<Result<HashMap<_, _>, _>>()?;

    let stream_ids: Vec<&str> = requests
        .iter()
        .flat_map(AppendRequest::streams)
        .map(StreamId::as_str)
        .collect();
    let versions = sqlx::query(
        "SELECT s.value, COALESCE((SELECT MAX(stream_version) FROM events e \
         WHERE e.stream_id = s.value), 0) FROM json_each(?1) AS s",
    )
    .bind(json_list(&stream_ids))
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| Ok((StreamId(r.try_get(0)?), to_u64(r.try_get(1)?))))
    .collect::<Result<HashMap<_, _>, sqlx::Error>>()?;

    let mut plan = batch::plan(head, versions, known, requests, Utc::now().trunc_subsecs(6));
    if atomic {
        plan = plan.all_or_nothing(head);
    }
    if plan.rows.is_empty() {
        tx.rollback().await?;
        return Ok(plan);
    }
    let links = chain::chain(last_hash, &plan.rows);
    for ((r, size), (prev_hash, hash)) in plan.rows.iter().zip(&plan.command_sizes).zip(links) {
        let m = &r.metadata;
        sqlx::query(
            "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
             schema_version, payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, \
             recorded_at, command_id, correlation_id, causation_id, reason, command_size, \
             prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
             ?15, ?16, ?17, ?18, ?19, ?20)",
        )
        .bind(to_i64(r.position))
        .bind(r.event_id.to_string())
        .bind(r.stream_id.as_str())
        .bind(to_i64(r.stream_version))
        .bind(r.event_type.as_str())
        .bind(i64::from(r.schema_version))
        .bind(r.payload.as_str())
        .bind(m.actor.user_id.as_str())
        .bind(m.actor.display_name.as_str())
        .bind(m.actor.role.code())
        .bind(m.actor.agency.map(|a| a.0.to_string()))
        .bind(sqlite_time(m.occurred_at))
        .bind(sqlite_time(m.recorded_at))
        .bind(m.command_id.to_string())
        .bind(m.correlation_id.to_string())
        .bind(m.causation_id.map(|c| c.to_string()))
        .bind(m.reason.as_deref())
        .bind(size.map(i64::from))
        .bind(prev_hash)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(plan)
}
