//! `reform-dev bench append`: the decide + append path under concurrent writers, against a
//! plain one-INSERT-per-row loop writing the same rows, in the same run.
//!
//! Each command is a real `CreateTask`: the handler loads the task, plan and agency
//! streams, the domain decides, the store appends with its concurrency check and
//! command-id record. The baseline then inserts exactly the rows those commands
//! stored, one autocommitted INSERT each, with as many writers, into a fresh database.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::Utc;
use reform_commands::CommandHandler;
use reform_store::{EventStore, RecordedEvent};

use super::workload::{create_task, metadata, setup};
use super::Engine;
use crate::throwaway_pg;

/// What to run.
#[derive(Clone, Debug)]
pub struct AppendBench {
    /// Concurrent writers.
    pub writers: usize,
    /// Commands in all (split across writers).
    pub commands: usize,
    /// Databases to measure.
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on; a throwaway cluster when `None`.
    pub postgres_url: Option<String>,
}

/// One engine's figures.
#[derive(Clone, Debug)]
pub struct AppendFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Commands decided and appended per second.
    pub commands_per_sec: f64,
    /// Plain single-row INSERTs per second.
    pub inserts_per_sec: f64,
}

impl AppendFigures {
    /// Commands/s over plain inserts/s.
    pub fn ratio(&self) -> f64 {
        self.commands_per_sec / self.inserts_per_sec
    }
}

/// Runs the benchmark and returns the figures per engine.
pub async fn run_append(bench: &AppendBench) -> Result<Vec<AppendFigures>> {
    let mut figures = Vec::new();
    if matches!(bench.engine, Engine::Sqlite | Engine::Both) {
        let dir = tempfile::tempdir().context("creating a scratch directory")?;
        let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
        figures.push(measure("SQLite", bench, &url("commands.db"), &url("plain.db")).await?);
    }
    if matches!(bench.engine, Engine::Postgres | Engine::Both) {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let (commands, plain) = match &bench.postgres_url {
            Some(server) => (
                throwaway_pg::create_database(server, &format!("reform_bench_{tag}_c")).await?,
                throwaway_pg::create_database(server, &format!("reform_bench_{tag}_p")).await?,
            ),
            None => (
                throwaway_pg::throwaway_database(&format!("reform_bench_{tag}_c")).await?,
                throwaway_pg::throwaway_database(&format!("reform_bench_{tag}_p")).await?,
            ),
        };
        figures.push(measure("PostgreSQL", bench, &commands, &plain).await?);
    }
    Ok(figures)
}

/// The figures as a table.
pub fn render_append(bench: &AppendBench, figures: &[AppendFigures]) -> String {
    let mut out = format!(
        "append benchmark: {} CreateTask commands, {} concurrent writers\n\
         {:<11} {:>14} {:>16} {:>7}\n",
        bench.commands, bench.writers, "engine", "commands/s", "plain inserts/s", "ratio"
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:>14.0} {:>16.0} {:>6.2}x\n",
            f.engine,
            f.commands_per_sec,
            f.inserts_per_sec,
            f.ratio()
        ));
    }
    out
}

/// One engine: the commands timed from `writers` tasks, then the rows they stored
/// inserted plainly into the second database.
async fn measure(
    engine: &'static str,
    bench: &AppendBench,
    commands_url: &str,
    plain_url: &str,
) -> Result<AppendFigures> {
    let store = reform_store::open(commands_url)
        .await
        .context("opening the commands database")?;
    let handler = CommandHandler::new(store.clone());
    let (plan, agencies) = setup(&handler).await?;
    let setup_head = store.head().await?;

    let per_writer = bench.commands.div_ceil(bench.writers.max(1));
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..bench.writers.max(1) {
        let handler = handler.clone();
        let agencies = agencies.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..per_writer {
                let command = create_task(plan, agencies[(w + i) % agencies.len()], w, i);
                handler.execute(command, metadata(), None).await?;
            }
            anyhow::Ok(())
        }));
    }
    for w in writers {
        w.await.context("a writer panicked")??;
    }
    let elapsed = started.elapsed();
    let commands_per_sec = (per_writer * bench.writers.max(1)) as f64 / elapsed.as_secs_f64();

    let rows = read_from(store.as_ref(), setup_head).await?;
    let inserts_per_sec = plain_inserts(plain_url, rows, bench.writers.max(1)).await?;
    Ok(AppendFigures {
        engine,
        commands_per_sec,
        inserts_per_sec,
    })
}

/// Every event after position `after`, in pages.
async fn read_from(store: &dyn EventStore, after: u64) -> Result<Vec<RecordedEvent>> {
    let mut rows = Vec::new();
    let mut after = after;
    loop {
        let page = store.read_all(after, 5_000).await?;
        let Some(last) = page.last() else {
            return Ok(rows);
        };
        after = last.position;
        rows.extend(page);
    }
}

/// Inserts `rows` into a fresh events table, one autocommitted INSERT per row, from
/// `writers` concurrent tasks. Returns rows per second.
async fn plain_inserts(url: &str, rows: Vec<RecordedEvent>, writers: usize) -> Result<f64> {
    // Migrate the scratch database by opening it as a store, then write around it.
    drop(
        reform_store::open(url)
            .await
            .context("preparing the baseline database")?,
    );
    // Each command's first event records how many events it wrote (the store's
    // idempotency record); the baseline stores the same value.
    // A command's events are consecutive in the log.
    let mut sized: Vec<(RecordedEvent, Option<i32>)> = Vec::with_capacity(rows.len());
    let mut first_of_command = 0;
    for row in rows {
        let same_command = sized
            .last()
            .is_some_and(|(r, _)| r.metadata.command_id == row.metadata.command_id);
        if same_command {
            if let Some((_, Some(size))) = sized.get_mut(first_of_command) {
                *size += 1;
            }
            sized.push((row, None));
        } else {
            first_of_command = sized.len();
            sized.push((row, Some(1)));
        }
    }
    let rows = Arc::new(sized);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    if url.starts_with("sqlite:") {
        let options = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()?
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(writers as u32)
            .connect_with(options)
            .await?;
        for _ in 0..writers {
            let (pool, rows, next) = (pool.clone(), rows.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                while let Some((r, size)) = rows.get(next.fetch_add(1, Ordering::Relaxed)) {
                    sqlite_insert(&pool, r, *size).await?;
                }
                anyhow::Ok(())
            }));
        }
    } else {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(writers as u32)
            .connect(url)
            .await?;
        for _ in 0..writers {
            let (pool, rows, next) = (pool.clone(), rows.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                while let Some((r, size)) = rows.get(next.fetch_add(1, Ordering::Relaxed)) {
                    pg_insert(&pool, r, *size).await?;
                }
                anyhow::Ok(())
            }));
        }
    }
    for t in tasks {
        t.await.context("an inserter panicked")??;
    }
    Ok(rows.len() as f64 / started.elapsed().as_secs_f64())
}

/// The baseline's one statement: a whole event row, as the store would write it.
const INSERT: &str = "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
     schema_version, payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, \
     command_id, correlation_id, causation_id, reason, command_size) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

/// One autocommitted INSERT of `r` on PostgreSQL.
async fn pg_insert(
    pool: &sqlx::PgPool,
    r: &RecordedEvent,
    command_size: Option<i32>,
) -> Result<()> {
    let m = &r.metadata;
    sqlx::query(INSERT)
        .bind(r.position as i64)
        .bind(r.event_id)
        .bind(r.stream_id.as_str())
        .bind(r.stream_version as i64)
        .bind(&r.event_type)
        .bind(r.schema_version as i32)
        .bind(&r.payload)
        .bind(&m.actor.user_id)
        .bind(&m.actor.display_name)
        .bind(m.actor.role.code())
        .bind(m.actor.agency.map(|a| a.0))
        .bind(m.occurred_at)
        .bind(m.recorded_at)
        .bind(m.command_id)
        .bind(m.correlation_id)
        .bind(m.causation_id)
        .bind(m.reason.as_deref())
        .bind(command_size)
        .execute(pool)
        .await?;
    Ok(())
}

/// One autocommitted INSERT of `r` on SQLite (times and ids as the store's text).
async fn sqlite_insert(
    pool: &sqlx::SqlitePool,
    r: &RecordedEvent,
    command_size: Option<i32>,
) -> Result<()> {
    let m = &r.metadata;
    let time = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    sqlx::query(INSERT)
        .bind(r.position as i64)
        .bind(r.event_id.to_string())
        .bind(r.stream_id.as_str())
        .bind(r.stream_version as i64)
        .bind(&r.event_type)
        .bind(i64::from(r.schema_version))
        .bind(&r.payload)
        .bind(&m.actor.user_id)
        .bind(&m.actor.display_name)
        .bind(m.actor.role.code())
        .bind(m.actor.agency.map(|a| a.0.to_string()))
        .bind(time(m.occurred_at))
        .bind(time(m.recorded_at))
        .bind(m.command_id.to_string())
        .bind(m.correlation_id.to_string())
        .bind(m.causation_id.map(|c| c.to_string()))
        .bind(m.reason.as_deref())
        .bind(command_size)
        .execute(pool)
        .await?;
    Ok(())
}
