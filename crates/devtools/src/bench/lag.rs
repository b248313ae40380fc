//! `reform-dev bench lag`: commands offered at a steady rate while a follower keeps the
//! read-models, and each one's time from commit to the read-model's checkpoint.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reform_commands::CommandHandler;

use super::workload::{create_task, metadata, setup};
use super::{scratch_databases, Engine};

/// What `reform-dev bench lag` runs.
#[derive(Clone, Debug)]
pub struct LagBench {
    /// Commands per second to offer.
    pub rate: u32,
    /// How long to offer them.
    pub seconds: u64,
    /// Databases to measure.
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on; a throwaway cluster when `None`.
    pub postgres_url: Option<String>,
}

/// One engine's lag figures.
#[derive(Clone, Debug)]
pub struct LagFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Commands committed per second, achieved.
    pub achieved_rate: f64,
    /// Commit-to-read-model lag, median, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile, milliseconds.
    pub p99_ms: f64,
    /// Worst, milliseconds.
    pub max_ms: f64,
}

/// Offers commands at a steady rate while a follower keeps the read-models, and
/// measures, per command, the time from its commit to the read-model's checkpoint
/// passing it.
pub async fn run_lag(bench: &LagBench) -> Result<Vec<LagFigures>> {
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let mut figures = Vec::new();
    for (engine, url) in scratch_databases(
        bench.engine,
        bench.postgres_url.as_deref(),
        dir.path(),
        "lag.db",
        "l",
    )
    .await?
    {
        figures.push(measure_lag(engine, bench, &url).await?);
    }
    Ok(figures)
}

/// One engine: the follower and a watcher of its checkpoint started, the commands
/// offered on a ticker, then each one's lag read off the checkpoints seen.
async fn measure_lag(engine: &'static str, bench: &LagBench, url: &str) -> Result<LagFigures> {
    use reform_projections::{Follower, ReadDb, PROGRESS};

    let store = reform_store::open(url)
        .await
        .context("opening the scratch database")?;
    let handler = CommandHandler::new(store.clone());
    let (plan, agencies) = setup(&handler).await?;
    let db = ReadDb::connect(url).await?;
    let follower = Follower::load(store.clone(), db.clone()).await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let following = tokio::spawn(follower.run(stopped));

    // Watch the checkpoint move: (checkpoint, when seen).
    let watching = {
        let db = db.clone();
        let stop = stop.subscribe();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            while !*stop.borrow() {
                let checkpoint = db.checkpoint(PROGRESS).await?;
                seen.push((checkpoint, Instant::now()));
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            anyhow::Ok(seen)
        })
    };

    let started = Instant::now();
    let total = u64::from(bench.rate) * bench.seconds;
    let mut ticker =
        tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(bench.rate.max(1))));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let in_flight = Arc::new(tokio::sync::Semaphore::new(256));
    let mut sent = Vec::with_capacity(total as usize);
    for i in 0..total as usize {
        ticker.tick().await;
        let permit = in_flight
            .clone()
            .acquire_owned()
            .await
            .context("semaphore closed")?;
        let (handler, lead) = (handler.clone(), agencies[i % agencies.len()]);
        sent.push(tokio::spawn(async move {
            let executed = handler
                .execute(create_task(plan, lead, 0, i), metadata(), None)
                .await;
            drop(permit);
            executed.map(|e| (e.outcome.last_position, Instant::now()))
        }));
    }
    let mut committed = Vec::with_capacity(sent.len());
    for s in sent {
        committed.push(s.await.context("a writer panicked")??);
    }
    let achieved_rate = committed.len() as f64 / started.elapsed().as_secs_f64();

    let head = store.head().await?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while db.checkpoint(PROGRESS).await? < head && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    stop.send(true).ok();
    following.await.context("the follower panicked")??;
    let seen = watching.await.context("the watcher panicked")??;

    let mut lags: Vec<f64> = committed
        .iter()
        .filter_map(|(position, at)| {
            let (_, visible) = seen.iter().find(|(checkpoint, _)| checkpoint >= position)?;
            Some(visible.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect();
    anyhow::ensure!(
        lags.len() == committed.len(),
        "some commands never reached the read-model"
    );
    lags.sort_by(f64::total_cmp);
    let at = |q: f64| lags[((lags.len() as f64 - 1.0) * q).round() as usize];
    Ok(LagFigures {
        engine,
        achieved_rate,
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    })
}

/// The lag figures as a table.
pub fn render_lag(bench: &LagBench, figures: &[LagFigures]) -> String {
    let mut out = format!(
        "read-model lag: {} commands/s offered for {} s\n{:<11} {:>12} {:>9} {:>9} {:>9}\n",
        bench.rate, bench.seconds, "engine", "achieved/s", "p50 ms", "p99 ms", "max ms"
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:>12.0} {:>9.1} {:>9.1} {:>9.1}\n",
            f.engine, f.achieved_rate, f.p50_ms, f.p99_ms, f.max_ms
        ));
    }
    out
}
