//! The read-model tables on SQLite: in the event store's file, written in
//! `BEGIN IMMEDIATE` transactions after the file's write turn (shared with the log's
//! writer, so the two queue instead of meeting SQLite's busy handler), rows in
//! multi-row `VALUES`.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::{Sqlite, SqliteConnection};

use super::tables::{Value, Values, TABLES};
use super::{migrate, sendable, OnConnection, PROGRESS};
use crate::model::ProgressModel;
use crate::ProjectionError;

/// Rows per multi-row INSERT (20 columns × 500 is well under SQLite's 32,766 bound
/// parameters).
const CHUNK: usize = 500;

pub(super) async fn connect(url: &str) -> Result<SqlitePool, ProjectionError> {
    let options = SqliteConnectOptions::from_str(url)?
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", reform_store::sqlite_page_cache_pragma());
    // Kept open for the process's life, as the store's pool is (see there).
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await?;
    migrate(sqlx::migrate!("../../migrations/projections/sqlite"), &pool).await?;
    Ok(pool)
}

pub(super) async fn load(pool: &SqlitePool) -> Result<(ProgressModel, u64), ProjectionError> {
    let mut tx = pool.begin().await?;
    let loaded = sendable(OnConnection::<Sqlite>(&mut tx).load()).await?;
    tx.commit().await?;
    Ok(loaded)
}

pub(super) async fn write_batch(
    pool: &SqlitePool,
    rows: [Vec<Values>; 8],
    from: u64,
    to: u64,
) -> Result<(), ProjectionError> {
    let turn = reform_store::sqlite_write_turn(&reform_store::sqlite_path(pool));
    let _turn = turn.lock().await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    upsert(&mut tx, rows).await?;
    sendable(OnConnection::<Sqlite>(&mut tx).set_checkpoint(PROGRESS, Some(from), to)).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn replace_all(
    pool: &SqlitePool,
    rows: [Vec<Values>; 8],
    position: u64,
) -> Result<(), ProjectionError> {
    let turn = reform_store::sqlite_write_turn(&reform_store::sqlite_path(pool));
    let _turn = turn.lock().await;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    sendable(OnConnection::<Sqlite>(&mut tx).clear()).await?;
    upsert(&mut tx, rows).await?;
    sendable(OnConnection::<Sqlite>(&mut tx).set_checkpoint(PROGRESS, None, position)).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes `rows` (by table, in [`TABLES`] order): one multi-row upsert per table and
/// chunk.
async fn upsert(
    connection: &mut SqliteConnection,
    rows: [Vec<Values>; 8],
) -> Result<(), ProjectionError> {
    for (table, rows) in TABLES.iter().zip(rows) {
        for chunk in rows.chunks(CHUNK) {
            let mut q = sqlx::QueryBuilder::<Sqlite>::new(table.insert_into());
            q.push_values(chunk, |mut b, values| {
                for value in values {
                    match value {
                        Value::Text(v) => b.push_bind(v.clone()),
                        Value::Int(v) => b.push_bind(*v),
                        Value::Real(v) => b.push_bind(*v),
                    };
                }
            });
            q.push(table.on_conflict());
            q.build().execute(&mut *connection).await?;
        }
    }
    Ok(())
}
