//! `reform-dev bench verify`: a generated province's hash chain verified end to end,
//! against a bare scan of the same log, and hashing alone against the append rate.

use std::time::Instant;

use anyhow::{Context, Result};
use reform_commands::CommandHandler;

use super::rebuild::RebuildBench;
use super::scratch_databases;

/// What `reform-dev bench verify` runs: a generated log's hash chain checked end to end, against a
/// bare scan of the same log (the floor), and what hashing costs an append. It takes
/// the same shape, engines and server as the rebuild benchmark.
pub type VerifyBench = RebuildBench;

/// One engine's verification figures.
#[derive(Clone, Debug)]
pub struct VerifyFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Events in the log.
    pub events: u64,
    /// Events appended per second while generating (commands through the handler,
    /// hashing included).
    pub append_per_sec: f64,
    /// Events hashed per second, in memory, alone.
    pub hash_per_sec: f64,
    /// A bare `read_all` scan: the floor.
    pub scan_per_sec: f64,
    /// `verify` of the whole log.
    pub verify_per_sec: f64,
}

impl VerifyFigures {
    /// The share of an append's time that hashing takes.
    pub fn hashing_share(&self) -> f64 {
        self.append_per_sec / self.hash_per_sec
    }
}

/// Generates a country per engine, then times a scan, the verification and hashing.
pub async fn run_verify(bench: &VerifyBench) -> Result<Vec<VerifyFigures>> {
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let mut figures = Vec::new();
    for (engine, url) in scratch_databases(
        bench.engine,
        bench.postgres_url.as_deref(),
        dir.path(),
        "country.db",
        "v",
    )
    .await?
    {
        figures.push(measure_verify(engine, bench, &url).await?);
    }
    Ok(figures)
}

/// One engine: generate (timed, for the append rate), scan, settle, verify three
/// times, hash a sample in memory.
async fn measure_verify(
    engine: &'static str,
    bench: &VerifyBench,
    url: &str,
) -> Result<VerifyFigures> {
    let store = reform_store::open(url)
        .await
        .context("opening the scratch database")?;
    let handler = CommandHandler::new(store.clone());
    let started = Instant::now();
    crate::generate::generate(&handler, &bench.shape)
        .await
        .context("generating the country")?;
    let events = store.head().await?;
    let append_per_sec = events as f64 / started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut after = 0;
    let mut sample = Vec::new();
    loop {
        let page = store.read_all(after, 5_000).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        if sample.len() < 100_000 {
            sample.extend(page);
        }
    }
    let scan_per_sec = events as f64 / started.elapsed().as_secs_f64();

    // A log at rest, as an auditor meets it: the bulk load's background work (the WAL
    // checkpoint, PostgreSQL's autovacuum of a million new rows) done first.
    settle(url).await?;
    let mut rates = Vec::new();
    for _ in 0..VERIFY_RUNS {
        let started = Instant::now();
        let verified = reform_store::verify(store.as_ref(), None, None, None).await?;
        rates.push(verified.checked as f64 / started.elapsed().as_secs_f64());
        if let Err(breach) = verified.outcome {
            anyhow::bail!("the generated log does not verify: {breach}");
        }
    }
    rates.sort_by(f64::total_cmp);
    let verify_per_sec = rates[rates.len() / 2];

    let started = Instant::now();
    let links = reform_store::chain::chain(reform_store::chain::GENESIS.to_owned(), &sample);
    let hash_per_sec = links.len() as f64 / started.elapsed().as_secs_f64();
    Ok(VerifyFigures {
        engine,
        events,
        append_per_sec,
        hash_per_sec,
        scan_per_sec,
        verify_per_sec,
    })
}

/// Verifications timed per engine; the median is reported.
const VERIFY_RUNS: usize = 3;

/// Finishes what a bulk load leaves running in the background: SQLite's WAL is
/// checkpointed into the database; PostgreSQL's tables are vacuumed and analysed and a
/// checkpoint is taken (otherwise autovacuum works through the new rows during the
/// measurement).
async fn settle(url: &str) -> Result<()> {
    use sqlx::Executor;
    if url.starts_with("sqlite:") {
        let mut connection = <sqlx::SqliteConnection as sqlx::Connection>::connect(url).await?;
        connection
            .execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .await?;
    } else {
        let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url).await?;
        connection.execute("VACUUM (ANALYZE)").await?;
        // Needs a superuser (or pg_checkpoint): on someone else's server, go without.
        if let Err(e) = connection.execute("CHECKPOINT").await {
            tracing::warn!("no checkpoint before the measurement: {e}");
        }
    }
    Ok(())
}

/// The verification figures as a table.
pub fn render_verify(figures: &[VerifyFigures]) -> String {
    let mut out = format!(
        "verify benchmark (verification: the median of {VERIFY_RUNS} runs, after the load has settled)\n\
         {:<11} {:>9} {:>14} {:>16} {:>7} {:>13} {:>14} {:>13}\n",
        "engine",
        "events",
        "scan events/s",
        "verify events/s",
        "ratio",
        "hash events/s",
        "append ev/s",
        "hash share"
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:>9} {:>14.0} {:>16.0} {:>6.2}x {:>13.0} {:>14.0} {:>12.1}%\n",
            f.engine,
            f.events,
            f.scan_per_sec,
            f.verify_per_sec,
            f.verify_per_sec / f.scan_per_sec,
            f.hash_per_sec,
            f.append_per_sec,
            f.hashing_share() * 100.0
        ));
    }
    out
}
