//! `reform-dev bench contention`: acknowledged commands per second as writers are
//! added, on one busy task (every writer reports on the same task, no expected
//! version: each report must be decided on the one before) and on distinct tasks
//! (each writer its own), each against the one-writer figure of the same shape
//! measured in the same run.
//!
//! Writers of one record in one process take turns (the handler's per-stream turns),
//! so a busy task is served one command at a time however many wait; distinct tasks
//! share each commit (group commit), so writers there add throughput.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reform_commands::CommandHandler;
use reform_domain::{AgencyId, Command, TaskId};

use super::workload::{create_task, metadata, setup};
use super::{scratch_databases, Engine};

/// What to run.
#[derive(Clone, Debug)]
pub struct ContentionBench {
    /// Writer counts to measure; the first is the baseline.
    pub writers: Vec<usize>,
    /// How long each (shape, writers) cell runs.
    pub duration: Duration,
    /// Databases to measure.
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on.
    pub postgres_url: Option<String>,
}

/// Where the writers write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// All on one task.
    BusyTask,
    /// Each on its own task.
    DistinctTasks,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::BusyTask => "one busy task",
            Shape::DistinctTasks => "distinct tasks",
        }
    }
}

/// One cell of the table.
#[derive(Clone, Debug)]
pub struct ContentionFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Where they wrote.
    pub shape: Shape,
    /// Concurrent writers.
    pub writers: usize,
    /// Commands acknowledged.
    pub acknowledged: u64,
    /// Commands that failed.
    pub failed: u64,
    /// Acknowledged per second.
    pub per_sec: f64,
    /// Over the first writer count's figure of the same engine and shape.
    pub ratio: f64,
}

/// Runs every (engine, shape, writers) cell.
pub async fn run_contention(bench: &ContentionBench) -> Result<Vec<ContentionFigures>> {
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let databases = scratch_databases(
        bench.engine,
        bench.postgres_url.as_deref(),
        dir.path(),
        "contention.db",
        "contention",
    )
    .await?;
    let most = bench.writers.iter().copied().max().unwrap_or(1).max(1);
    let mut figures = Vec::new();
    for (engine, url) in databases {
        let store = reform_store::open(&url)
            .await
            .with_context(|| format!("opening the {engine} scratch database"))?;
        let handler = CommandHandler::new(store);
        let (plan, agencies) = setup(&handler).await?;
        // One task per writer for the distinct shape, and the busy one; each led by
        // the agency that reports on it.
        let mut tasks = Vec::new();
        for i in 0..=most {
            let lead = agencies[i % agencies.len()];
            let command = create_task(plan, lead, 0, i);
            let Command::CreateTask { task_id, .. } = &command else {
                anyhow::bail!("the workload's task command is not a CreateTask");
            };
            tasks.push((*task_id, lead));
            handler.execute(command, metadata(), None).await?;
        }
        for shape in [Shape::BusyTask, Shape::DistinctTasks] {
            let mut baseline = None;
            for &writers in &bench.writers {
                let (acknowledged, failed, elapsed) =
                    drive(&handler, shape, writers.max(1), &tasks, bench.duration).await?;
                let per_sec = acknowledged as f64 / elapsed.as_secs_f64();
                let base = *baseline.get_or_insert(per_sec);
                figures.push(ContentionFigures {
                    engine,
                    shape,
                    writers,
                    acknowledged,
                    failed,
                    per_sec,
                    ratio: per_sec / base,
                });
            }
        }
    }
    Ok(figures)
}

/// `writers` writers reporting progress back to back for `duration`: acknowledged,
/// failed, and the time taken.
async fn drive(
    handler: &CommandHandler,
    shape: Shape,
    writers: usize,
    tasks: &[(TaskId, AgencyId)],
    duration: Duration,
) -> Result<(u64, u64, Duration)> {
    let (acknowledged, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let started = Instant::now();
    let until = started + duration;
    let workers: Vec<_> = (0..writers)
        .map(|w| {
            let (task, lead) = match shape {
                Shape::BusyTask => tasks[0],
                Shape::DistinctTasks => tasks[1 + w % (tasks.len() - 1).max(1)],
            };
            let handler = handler.clone();
            let (acknowledged, failed) = (acknowledged.clone(), failed.clone());
            tokio::spawn(async move {
                let mut n = 0_u8;
                while Instant::now() < until {
                    n = (n + 1) % 100;
                    let report = Command::ReportProgress {
                        task_id: task,
                        reporter_agency: lead,
                        percent: n,
                        note: format!("Báo cáo của người viết {w}"),
                        evidence: Vec::new(),
                        as_of: chrono::Utc::now().date_naive(),
                    };
                    match handler.execute(report, metadata(), None).await {
                        Ok(_) => acknowledged.fetch_add(1, Ordering::Relaxed),
                        Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.context("a writer panicked")?;
    }
    Ok((
        acknowledged.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        started.elapsed(),
    ))
}

/// The figures as a table, each row with its ratio to the first writer count.
pub fn render_contention(bench: &ContentionBench, figures: &[ContentionFigures]) -> String {
    let mut out = format!(
        "contention benchmark: ReportProgress commands, no expected version, {:.0} s per cell\n\
         {:<11} {:<15} {:>8} {:>13} {:>7} {:>12} {:>9}\n",
        bench.duration.as_secs_f64(),
        "engine",
        "where",
        "writers",
        "acknowledged",
        "failed",
        "commands/s",
        format!("vs {}", bench.writers.first().copied().unwrap_or(1))
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:<15} {:>8} {:>13} {:>7} {:>12.0} {:>8.2}x\n",
            f.engine,
            f.shape.name(),
            f.writers,
            f.acknowledged,
            f.failed,
            f.per_sec,
            f.ratio
        ));
    }
    out
}
