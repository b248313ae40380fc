//! The read-model tables (`rm_*`) and `projection_checkpoints`, on SQLite or
//! PostgreSQL, created by this crate's own migrations (`migrations/projections/<engine>/`).
//!
//! Each engine has one module (`sqlite.rs`, `postgres.rs`): how it connects, its
//! transactions and locks, and how it moves rows (SQLite: multi-row `VALUES`;
//! PostgreSQL: `UNNEST` arrays, and `COPY` for a rebuild's tasks). What both do alike
//! is written once and called by both: the tables' columns and each row as its column
//! values, both ways (`tables.rs`, read back through `cells.rs`), and below
//! (`OnConnection`) the checkpoint, emptying the tables and loading every row, generic
//! over sqlx's `Database` (their SQL is the same on both).

mod cells;
mod postgres;
mod sqlite;
mod tables;

use std::collections::BTreeSet;

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row, Type};

use crate::model::{ProgressModel, RowKey};
use crate::ProjectionError;
use tables::{Kind, Value, Values, TABLES};

/// The name the progress read-model's checkpoint is kept under.
pub const PROGRESS: &str = "progress";

/// A connection pool to the database holding the read-models (the event store's).
#[derive(Clone, Debug)]
pub enum ReadDb {
    /// SQLite.
    Sqlite(sqlx::SqlitePool),
    /// PostgreSQL.
    Postgres(sqlx::PgPool),
}

impl ReadDb {
    /// Connects to the database a URL names and applies the read-models' migrations.
    pub async fn connect(url: &str) -> Result<ReadDb, ProjectionError> {
        if url.starts_with("sqlite:") {
            Ok(ReadDb::Sqlite(sqlite::connect(url).await?))
        } else {
            Ok(ReadDb::Postgres(postgres::connect(url).await?))
        }
    }

    /// The position up to which `name` has applied the log.
    pub async fn checkpoint(&self, name: &str) -> Result<u64, ProjectionError> {
        match self {
            ReadDb::Sqlite(pool) => {
                let mut connection = pool.acquire().await?;
                sendable(OnConnection::<sqlx::Sqlite>(&mut connection).checkpoint(name)).await
            }
            ReadDb::Postgres(pool) => {
                let mut connection = pool.acquire().await?;
                sendable(OnConnection::<sqlx::Postgres>(&mut connection).checkpoint(name)).await
            }
        }
    }

    /// Every row of the progress read-model, with its checkpoint. Read in one
    /// transaction so rows and checkpoint agree.
    pub async fn load(&self) -> Result<(ProgressModel, u64), ProjectionError> {
        match self {
            ReadDb::Sqlite(pool) => sqlite::load(pool).await,
            ReadDb::Postgres(pool) => postgres::load(pool).await,
        }
    }

    /// Writes the rows a batch changed and moves the checkpoint from `from` to `to`, in
    /// one transaction: each event's effect is applied exactly once.
    pub(crate) async fn write_batch(
        &self,
        model: &ProgressModel,
        keys: &BTreeSet<RowKey>,
        from: u64,
        to: u64,
    ) -> Result<(), ProjectionError> {
        let rows = tables::changed(model, keys);
        match self {
            ReadDb::Sqlite(pool) => sqlite::write_batch(pool, rows, from, to).await,
            ReadDb::Postgres(pool) => postgres::write_batch(pool, rows, from, to).await,
        }
    }

    /// Replaces every row with `model` (built up to `position`) in one transaction:
    /// readers see the old tables or the new ones, never a half-built state.
    pub(crate) async fn replace_all(
        &self,
        model: &ProgressModel,
        position: u64,
    ) -> Result<(), ProjectionError> {
        let rows = tables::all(model);
        match self {
            ReadDb::Sqlite(pool) => sqlite::replace_all(pool, rows, position).await,
            ReadDb::Postgres(pool) => postgres::replace_all(pool, rows, position).await,
        }
    }
}

/// Applies the read-models' migrations. They share sqlx's table of applied versions
/// (and one numbering) with the event store's, so each side passes over the other's.
async fn migrate<'a, A>(
    mut migrator: sqlx::migrate::Migrator,
    pool: A,
) -> Result<(), ProjectionError>
where
    A: sqlx::Acquire<'a>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    migrator.set_ignore_missing(true);
    migrator
        .run(pool)
        .await
        .map_err(|e| ProjectionError::Database(sqlx::Error::Migrate(Box::new(e))))
}

/// `future`, boxed where its engine is known. The functions below are generic over the
/// engine with higher-ranked bounds, and a future holding one cannot be shown `Send`
/// where it is spawned (a known limit of the compiler); boxed here, it is shown once, for the
/// concrete engine.
fn sendable<'a, T>(
    future: impl std::future::Future<Output = T> + Send + 'a,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>> {
    Box::pin(future)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The read-model tables on one connection of either engine: what both run alike,
/// the same SQL on both, generic over sqlx's `Database` (its bounds stated once here).
struct OnConnection<'c, DB: Database>(&'c mut DB::Connection);

impl<DB> OnConnection<'_, DB>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'r> i64: Decode<'r, DB>,
    for<'r> Option<String>: Decode<'r, DB> + Type<DB>,
    for<'r> Option<i64>: Decode<'r, DB> + Type<DB>,
    for<'r> Option<f64>: Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    /// The position up to which `name` has applied the log (0 before its first batch).
    async fn checkpoint(&mut self, name: &str) -> Result<u64, ProjectionError> {
        let row = sqlx::query("SELECT position FROM projection_checkpoints WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *self.0)
            .await?;
        let position: Option<i64> = row.map(|r| r.try_get(0)).transpose()?;
        Ok(position.map_or(0, |p| u64::try_from(p).unwrap_or(0)))
    }

    /// Sets the checkpoint of `name` to `to`: from `from` only (refused if someone
    /// else moved it), or from wherever it was with `None` (a rebuild).
    async fn set_checkpoint(
        &mut self,
        name: &str,
        from: Option<u64>,
        to: u64,
    ) -> Result<(), ProjectionError> {
        let Some(from) = from else {
            sqlx::query(
                "INSERT INTO projection_checkpoints (name, position) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET position = excluded.position",
            )
            .bind(name)
            .bind(to_i64(to))
            .execute(&mut *self.0)
            .await?;
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .execute(&mut *self.0)
        .await?;
        // RETURNING, not the count of rows affected: sqlx has no engine-neutral count.
        let moved = sqlx::query(
            "UPDATE projection_checkpoints SET position = $1 WHERE name = $2 AND position = $3 \
             RETURNING position",
        )
        .bind(to_i64(to))
        .bind(name)
        .bind(to_i64(from))
        .fetch_optional(&mut *self.0)
        .await?;
        if moved.is_none() {
            return Err(ProjectionError::CheckpointMoved {
                name: name.to_owned(),
                expected: from,
            });
        }
        Ok(())
    }

    /// Empties every table, to be filled again in the same transaction.
    async fn clear(&mut self) -> Result<(), ProjectionError> {
        for table in TABLES {
            sqlx::query(&format!("DELETE FROM {}", table.name))
                .execute(&mut *self.0)
                .await?;
        }
        Ok(())
    }

    /// Every row of every table, and the progress checkpoint, read on this connection
    /// (in the caller's transaction, so the two agree).
    async fn load(&mut self) -> Result<(ProgressModel, u64), ProjectionError> {
        let position = self.checkpoint(PROGRESS).await?;
        let mut model = ProgressModel::default();
        for table in TABLES {
            for row in sqlx::query(&table.select()).fetch_all(&mut *self.0).await? {
                let mut values = Values::with_capacity(table.columns.len());
                for (i, (_, kind)) in table.columns.iter().enumerate() {
                    values.push(match kind {
                        Kind::Text => Value::Text(row.try_get(i)?),
                        Kind::Int => Value::Int(row.try_get(i)?),
                        Kind::Real => Value::Real(row.try_get(i)?),
                    });
                }
                table.load(&mut model, values)?;
            }
        }
        model.index_subtasks();
        Ok((model, position))
    }
}
