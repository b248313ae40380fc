//! `reform-dev bench rebuild`: a generated province's log scanned bare (the floor),
//! then the read-models rebuilt from it, then a time travel to 30/06/2023, per engine.

use std::time::Instant;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use reform_commands::CommandHandler;

use super::{scratch_databases, Engine};

/// What `reform-dev bench rebuild` runs.
#[derive(Clone, Debug)]
pub struct RebuildBench {
    /// The synthetic country to generate (not timed).
    pub shape: crate::generate::Shape,
    /// Databases to measure.
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on; a throwaway cluster when `None`.
    pub postgres_url: Option<String>,
}

/// One engine's rebuild figures.
#[derive(Clone, Debug)]
pub struct RebuildFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Events in the log.
    pub events: u64,
    /// A bare `read_all` scan of the log: the floor.
    pub scan_per_sec: f64,
    /// A full rebuild (read, decode, fold, swap the tables in).
    pub rebuild_per_sec: f64,
    /// Time travel: the model as of 30/06/2023, seconds.
    pub time_travel_secs: f64,
}

/// Generates a country per engine, then times a scan, a rebuild and a time travel.
pub async fn run_rebuild(bench: &RebuildBench) -> Result<Vec<RebuildFigures>> {
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let mut figures = Vec::new();
    for (engine, url) in scratch_databases(
        bench.engine,
        bench.postgres_url.as_deref(),
        dir.path(),
        "country.db",
        "r",
    )
    .await?
    {
        figures.push(measure_rebuild(engine, bench, &url).await?);
    }
    Ok(figures)
}

/// One engine: generate (not timed), scan, rebuild, travel.
async fn measure_rebuild(
    engine: &'static str,
    bench: &RebuildBench,
    url: &str,
) -> Result<RebuildFigures> {
    let store = reform_store::open(url)
        .await
        .context("opening the scratch database")?;
    let handler = CommandHandler::new(store.clone());
    crate::generate::generate(&handler, &bench.shape)
        .await
        .context("generating the country")?;
    let events = store.head().await?;

    let started = Instant::now();
    let mut after = 0;
    loop {
        let page = store.read_all(after, reform_projections::BATCH).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
    }
    let scan_per_sec = events as f64 / started.elapsed().as_secs_f64();

    let db = reform_projections::ReadDb::connect(url).await?;
    let started = Instant::now();
    reform_projections::rebuild(store.as_ref(), &db).await?;
    let rebuild_per_sec = events as f64 / started.elapsed().as_secs_f64();

    let instant = NaiveDate::from_ymd_opt(2023, 6, 30)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .context("a valid instant")?
        .and_utc();
    let started = Instant::now();
    reform_projections::as_of(store.as_ref(), instant).await?;
    let time_travel_secs = started.elapsed().as_secs_f64();
    Ok(RebuildFigures {
        engine,
        events,
        scan_per_sec,
        rebuild_per_sec,
        time_travel_secs,
    })
}

/// The rebuild figures as a table.
pub fn render_rebuild(figures: &[RebuildFigures]) -> String {
    let mut out = format!(
        "rebuild benchmark\n{:<11} {:>9} {:>14} {:>17} {:>7} {:>16}\n",
        "engine", "events", "scan events/s", "rebuild events/s", "ratio", "time travel (s)"
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:>9} {:>14.0} {:>17.0} {:>6.2}x {:>16.2}\n",
            f.engine,
            f.events,
            f.scan_per_sec,
            f.rebuild_per_sec,
            f.rebuild_per_sec / f.scan_per_sec,
            f.time_travel_secs
        ));
    }
    out
}
