//! The read-model tables on PostgreSQL: rows written as one `UNNEST` statement per
//! table (one parse, however many rows), a rebuild's tasks by `COPY`, loads in one
//! repeatable-read snapshot, and rebuilds that lock the checkpoint table so that a
//! follower cannot interleave.

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres};

use super::tables::{Kind, Value, Values, TABLES, TASKS_AT};
use super::{migrate, sendable, OnConnection, PROGRESS};
use crate::model::ProgressModel;
use crate::ProjectionError;

pub(super) async fn connect(url: &str) -> Result<PgPool, ProjectionError> {
    let pool = PgPoolOptions::new().max_connections(4).connect(url).await?;
    migrate(
        sqlx::migrate!("../../migrations/projections/postgres"),
        &pool,
    )
    .await?;
    Ok(pool)
}

pub(super) async fn load(pool: &PgPool) -> Result<(ProgressModel, u64), ProjectionError> {
    let mut tx = pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?;
    let loaded = sendable(OnConnection::<Postgres>(&mut tx).load()).await?;
    tx.commit().await?;
    Ok(loaded)
}

pub(super) async fn write_batch(
    pool: &PgPool,
    rows: [Vec<Values>; 8],
    from: u64,
    to: u64,
) -> Result<(), ProjectionError> {
    let mut tx = pool.begin().await?;
    for (table, rows) in TABLES.iter().zip(rows) {
        upsert(&mut tx, table, rows).await?;
    }
    sendable(OnConnection::<Postgres>(&mut tx).set_checkpoint(PROGRESS, Some(from), to)).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn replace_all(
    pool: &PgPool,
    mut rows: [Vec<Values>; 8],
    position: u64,
) -> Result<(), ProjectionError> {
    let mut tx = pool.begin().await?;
    // Rebuilds and the follower must not interleave.
    sqlx::query("LOCK TABLE projection_checkpoints IN EXCLUSIVE MODE")
        .execute(&mut *tx)
        .await?;
    sendable(OnConnection::<Postgres>(&mut tx).clear()).await?;
    // The tables are empty: tasks, the bulk, go in by COPY.
    let tasks = std::mem::take(&mut rows[TASKS_AT]);
    for (table, rows) in TABLES.iter().zip(rows) {
        upsert(&mut tx, table, rows).await?;
    }
    copy(&mut tx, TABLES[TASKS_AT], &tasks).await?;
    sendable(OnConnection::<Postgres>(&mut tx).set_checkpoint(PROGRESS, None, position)).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes `rows` into `table` in one statement: each column bound as one array.
async fn upsert(
    connection: &mut PgConnection,
    table: &super::tables::Table,
    rows: Vec<Values>,
) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    let arrays: Vec<String> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            let ty = match kind {
                Kind::Text => "text",
                Kind::Int => "bigint",
                Kind::Real => "float8",
            };
            format!("${}::{ty}[]", i + 1)
        })
        .collect();
    let sql = format!(
        "{}SELECT * FROM UNNEST({}){}",
        table.insert_into(),
        arrays.join(", "),
        table.on_conflict()
    );
    let mut query = sqlx::query(&sql);
    for (i, (_, kind)) in table.columns.iter().enumerate() {
        let column = rows.iter().map(|values| values.get(i));
        query = match kind {
            Kind::Text => query.bind(
                column
                    .map(|v| match v {
                        Some(Value::Text(text)) => text.clone(),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Int => query.bind(
                column
                    .map(|v| match v {
                        Some(Value::Int(int)) => *int,
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Kind::Real => query.bind(
                column
                    .map(|v| match v {
                        Some(Value::Real(real)) => *real,
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
        };
    }
    query.execute(&mut *connection).await?;
    Ok(())
}

/// Loads rows into the (empty) `table` with `COPY … FROM STDIN`.
async fn copy(
    connection: &mut PgConnection,
    table: &super::tables::Table,
    rows: &[Values],
) -> Result<(), ProjectionError> {
    const FLUSH_AT: usize = 1 << 20;
    let mut copy = connection
        .copy_in_raw(&format!(
            "COPY {} ({}) FROM STDIN (FORMAT csv)",
            table.name,
            table.column_list()
        ))
        .await?;
    let mut buffer = String::with_capacity(FLUSH_AT + 4096);
    for values in rows {
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                buffer.push(',');
            }
            csv_field(&mut buffer, value);
        }
        buffer.push('\n');
        if buffer.len() >= FLUSH_AT {
            copy.send(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        copy.send(buffer.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// One CSV field: NULL is an unquoted empty field; a value is quoted.
fn csv_field(out: &mut String, value: &Value) {
    let text = match value {
        Value::Text(Some(text)) => text.replace('"', "\"\""),
        Value::Int(Some(int)) => int.to_string(),
        Value::Real(Some(real)) => real.to_string(),
        Value::Text(None) | Value::Int(None) | Value::Real(None) => return,
    };
    out.push('"');
    out.push_str(&text);
    out.push('"');
}
