//! The country the benchmark measures: generated once per shape and seed into a
//! SQLite file kept between runs, copied into PostgreSQL by `COPY`, rebuilt.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use reform_commands::CommandHandler;
use sqlx::Row;

use super::NationalBench;
use crate::national::generate_national;

/// The file a shape's country is kept in.
fn cached_country(bench: &NationalBench) -> PathBuf {
    let s = &bench.shape;
    bench.cache_dir.join(format!(
        "national-d{}-c{}-t{}-s{}.db",
        s.departments, s.communes, s.tasks_per_agency, s.seed
    ))
}

/// The country in the cache, generated first when missing (a file without its `.done`
/// mark is an interrupted generation and made again). Returns its URL and, when
/// generated now, how long that took.
pub(super) async fn country(bench: &NationalBench) -> Result<(String, Option<f64>)> {
    std::fs::create_dir_all(&bench.cache_dir)
        .with_context(|| format!("creating {}", bench.cache_dir.display()))?;
    let path = cached_country(bench);
    let done = path.with_extension("db.done");
    let url = format!("sqlite://{}", path.display());
    if done.is_file() {
        println!("country taken from {}", path.display());
        return Ok((url, None));
    }
    for stale in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{stale}", path.display()));
    }
    println!("generating the country into {} …", path.display());
    let started = Instant::now();
    let store = reform_store::open(&url).await?;
    let made = generate_national(&CommandHandler::new(store), &bench.shape).await?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "generated {} tasks through {} commands in {secs:.0} s",
        made.tasks, made.commands
    );
    std::fs::write(&done, format!("{made:?}\n")).context("marking the country done")?;
    Ok((url, Some(secs)))
}

/// The log's columns, in the order both engines' `events` tables take them.
const EVENT_COLUMNS: [&str; 20] = [
    "position",
    "event_id",
    "stream_id",
    "stream_version",
    "event_type",
    "schema_version",
    "payload",
    "actor_id",
    "actor_name",
    "actor_role",
    "actor_agency",
    "occurred_at",
    "recorded_at",
    "command_id",
    "command_size",
    "correlation_id",
    "causation_id",
    "reason",
    "prev_hash",
    "hash",
];

/// One value in `COPY`'s text format.
fn copy_text(value: Option<&str>, out: &mut String) {
    let Some(value) = value else {
        out.push_str("\\N");
        return;
    };
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Copies the SQLite log at `from` into the empty PostgreSQL store at `to`, positions
/// and hashes as they are (the database files each stream as it goes in), and sets the
/// position counter and last hash. Returns the events copied.
pub(super) async fn copy_log(from: &str, to: &str) -> Result<u64> {
    // Migrated, then closed: the store is opened again once the log is in.
    drop(reform_store::PostgresStore::connect(to).await?);
    let lite = sqlx::SqlitePool::connect(from).await?;
    let pg = sqlx::PgPool::connect(to).await?;
    let mut conn = pg.acquire().await?;
    let columns = EVENT_COLUMNS.join(", ");
    let select = format!(
        "SELECT {} FROM events WHERE position > ?1 ORDER BY position LIMIT 20000",
        EVENT_COLUMNS
            .iter()
            .map(|c| format!("CAST({c} AS TEXT)"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut copy = conn
        .copy_in_raw(&format!("COPY events ({columns}) FROM STDIN"))
        .await?;
    let (mut after, mut last_hash, mut copied) = (0i64, None::<String>, 0u64);
    loop {
        let rows = sqlx::query(&select).bind(after).fetch_all(&lite).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get::<String, _>(0)?.parse()?;
        last_hash = last.try_get(19)?;
        let mut text = String::with_capacity(rows.len() * 700);
        for row in &rows {
            for i in 0..EVENT_COLUMNS.len() {
                if i > 0 {
                    text.push('\t');
                }
                copy_text(row.try_get::<Option<String>, _>(i)?.as_deref(), &mut text);
            }
            text.push('\n');
        }
        copied += rows.len() as u64;
        copy.send(text.as_bytes()).await?;
    }
    copy.finish().await?;
    sqlx::query("UPDATE position_counter SET value = $1, last_hash = $2")
        .bind(after)
        .bind(last_hash)
        .execute(&mut *conn)
        .await?;
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    // Back to the pool first: closing a pool waits for its connections.
    drop(conn);
    lite.close().await;
    pg.close().await;
    Ok(copied)
}

/// Rebuilds the read-model tables at `url`; events per second.
pub(super) async fn rebuild(url: &str) -> Result<f64> {
    let store = reform_store::open(url).await?;
    let events = store.head().await?;
    let db = reform_projections::ReadDb::connect(url).await?;
    let started = Instant::now();
    reform_projections::rebuild(store.as_ref(), &db).await?;
    Ok(events as f64 / started.elapsed().as_secs_f64())
}
