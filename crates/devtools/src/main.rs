//! `reform-dev`: the developer's tools beside `reform` — the benchmarks and a synthetic
//! country for scale tests. They take the flags `reform bench …` and `reform generate`
//! took before they left the shipped binary.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use reform_devtools::bench::{append, dashboard, lag, rebuild, verify, Engine};
use reform_devtools::generate::{generate, Shape};
use reform_store::{CommandHandler, DEFAULT_DATABASE_URL};

/// The reform tracker's developer tools: benchmarks and synthetic data.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Where `generate` writes: sqlite://PATH (created if missing) or postgres://…
    /// (the benchmarks make scratch databases of their own).
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    /// Which tool.
    #[command(subcommand)]
    command: Tool,
}

/// The tools.
#[derive(Subcommand)]
enum Tool {
    /// Measure the system; prints figures against a baseline measured in the same run.
    Bench {
        /// Which benchmark.
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Make a synthetic country through the normal command path (for scale tests).
    Generate {
        /// How big a country.
        #[command(flatten)]
        shape: ShapeArgs,
    },
}

/// The size of a synthetic country.
#[derive(Args, Clone, Debug)]
struct ShapeArgs {
    /// Provinces.
    #[arg(long, default_value_t = 1)]
    provinces: usize,
    /// Departments per province.
    #[arg(long, default_value_t = 40)]
    departments: usize,
    /// Commune People's Committees per province (they lead tasks too; pairs of them
    /// merge on 1/7/2025).
    #[arg(long, default_value_t = 0)]
    communes: usize,
    /// Tasks each department leads per plan year.
    #[arg(long, default_value_t = 250)]
    tasks_per_agency: usize,
    /// Plan years from 2021.
    #[arg(long, default_value_t = 5)]
    years: i32,
    /// Concurrent writers.
    #[arg(long, default_value_t = 8)]
    writers: usize,
    /// Seed of the pseudo-random choices.
    #[arg(long, default_value_t = 76)]
    seed: u64,
}

impl ShapeArgs {
    /// The shape the generator takes.
    fn shape(&self) -> Shape {
        Shape {
            provinces: self.provinces,
            departments: self.departments,
            communes: self.communes,
            tasks_per_agency: self.tasks_per_agency,
            years: self.years,
            writers: self.writers,
            seed: self.seed,
        }
    }
}

/// The benchmarks.
#[derive(Subcommand)]
enum BenchWhat {
    /// Decide + append with concurrent writers vs. plain one-INSERT-per-row, per engine.
    Append {
        /// Concurrent writers.
        #[arg(long, default_value_t = 8)]
        writers: usize,
        /// Commands in all.
        #[arg(long, default_value_t = 4_000)]
        commands: usize,
        /// Which databases to measure.
        #[arg(long, value_enum, default_value = "both")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on (default: a throwaway
        /// cluster started from the machine's PostgreSQL packages).
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Offer commands at a steady rate while a follower keeps the read-models; print the
    /// commit-to-read-model lag (p50, p99, max), per engine.
    Lag {
        /// Commands per second.
        #[arg(long, default_value_t = 1_000)]
        rate: u32,
        /// Seconds to run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Which databases to measure.
        #[arg(long, value_enum, default_value = "both")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on.
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Generate a synthetic province, then time a bare scan of the log, `verify` of
    /// its hash chain, and hashing alone against the generation's append rate.
    Verify {
        /// The province to generate (not timed but for its append rate).
        #[command(flatten)]
        shape: ShapeArgs,
        /// Which databases to measure.
        #[arg(long, value_enum, default_value = "both")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on.
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Generate a province, then load the leader's dashboard query over HTTP with
    /// concurrent clients, and in the same run a bare axum + SQL floor of the same
    /// numbers: throughput, p50/p99 latency and the ratio.
    Dashboard {
        /// Tasks in the province (spread over 40 departments and 5 plan years).
        #[arg(long, default_value_t = 100_000)]
        tasks: usize,
        /// Concurrent clients.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Seconds each server is measured (after a one-second warm-up).
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Tasks created per second while the dashboard is measured a third time.
        #[arg(long, default_value_t = 10)]
        writes_per_sec: u32,
    },
    /// Generate a synthetic province, then time a bare scan of the log, a rebuild of the
    /// read-models and a time travel, per engine.
    Rebuild {
        /// The province to generate (not timed).
        #[command(flatten)]
        shape: ShapeArgs,
        /// Which databases to measure.
        #[arg(long, value_enum, default_value = "both")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on.
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let done = match cli.command {
        Tool::Bench { what } => bench(what).await,
        Tool::Generate { shape } => generate_country(&cli.database_url, &shape.shape()).await,
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one benchmark and prints its table.
async fn bench(what: BenchWhat) -> anyhow::Result<()> {
    let table = match what {
        BenchWhat::Append {
            writers,
            commands,
            engine,
            postgres_url,
        } => {
            let bench = append::AppendBench {
                writers,
                commands,
                engine,
                postgres_url,
            };
            append::render_append(&bench, &append::run_append(&bench).await?)
        }
        BenchWhat::Lag {
            rate,
            seconds,
            engine,
            postgres_url,
        } => {
            let bench = lag::LagBench {
                rate,
                seconds,
                engine,
                postgres_url,
            };
            lag::render_lag(&bench, &lag::run_lag(&bench).await?)
        }
        BenchWhat::Rebuild {
            shape,
            engine,
            postgres_url,
        } => {
            let bench = rebuild::RebuildBench {
                shape: shape.shape(),
                engine,
                postgres_url,
            };
            rebuild::render_rebuild(&rebuild::run_rebuild(&bench).await?)
        }
        BenchWhat::Verify {
            shape,
            engine,
            postgres_url,
        } => {
            let bench = verify::VerifyBench {
                shape: shape.shape(),
                engine,
                postgres_url,
            };
            verify::render_verify(&verify::run_verify(&bench).await?)
        }
        BenchWhat::Dashboard {
            tasks,
            clients,
            seconds,
            writes_per_sec,
        } => {
            let bench = dashboard_bench(tasks, clients, seconds, writes_per_sec);
            dashboard::render_dashboard(&bench, &dashboard::run_dashboard(&bench).await?)
        }
    };
    print!("{table}");
    Ok(())
}

/// The dashboard benchmark's province: `tasks` spread over 40 departments and five
/// plan years.
fn dashboard_bench(
    tasks: usize,
    clients: usize,
    seconds: u64,
    writes_per_sec: u32,
) -> dashboard::DashboardBench {
    let (departments, years) = (40, 5);
    dashboard::DashboardBench {
        shape: Shape {
            provinces: 1,
            departments,
            communes: 0,
            tasks_per_agency: (tasks / (departments * years as usize)).max(1),
            years,
            writers: 8,
            seed: 76,
        },
        clients: clients.max(1),
        duration: Duration::from_secs(seconds.max(1)),
        writes_per_sec,
    }
}

/// `reform-dev generate`: a synthetic country into the database at `url`.
async fn generate_country(url: &str, shape: &Shape) -> anyhow::Result<()> {
    let store = reform_store::open(url)
        .await
        .context("opening the event store")?;
    let handler = CommandHandler::new(store);
    let started = Instant::now();
    let made = generate(&handler, shape).await?;
    println!(
        "generated {} tasks through {} commands in {:.1} s",
        made.tasks,
        made.commands,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
