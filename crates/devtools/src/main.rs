//! `reform-dev`: the developer's tools beside `reform` — the benchmarks and a synthetic
//! country for scale tests. They take the flags `reform bench …` and `reform generate`
//! took before they left the shipped binary.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use reform_commands::CommandHandler;
use reform_devtools::bench::{
    append, contention, dashboard, lag, national, rebuild, soak, verify, workbooks, Engine,
};
use reform_devtools::generate::{generate, Shape};
use reform_store::DEFAULT_DATABASE_URL;

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
        /// The whole country instead: the register's 63 provinces merged into 34 on
        /// 1/7/2025, each with `--departments` departments and `--communes` communes
        /// leading `--tasks-per-agency` tasks a plan year, monthly reports and dossier
        /// statistics, plans from 2021 to today (`--provinces` and `--years` do not
        /// apply).
        #[arg(long)]
        national: bool,
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
    /// The whole country (the national generator's shape, kept in `--cache-dir` between
    /// runs) in a throwaway PostgreSQL, served by `--gateways` release `reform serve`
    /// processes while the country writes through them: each gateway's dashboard
    /// against the HTTP stack's ceiling, write-to-visible latency, RSS, start time,
    /// rebuild on both engines and one province's time travel, against the targets.
    National {
        /// Departments per province.
        #[arg(long, default_value_t = 20)]
        departments: usize,
        /// Commune People's Committees per province (every second one merges on
        /// 1/7/2025).
        #[arg(long, default_value_t = 44)]
        communes: usize,
        /// Tasks each department or commune leads per plan year.
        #[arg(long, default_value_t = 20)]
        tasks_per_agency: usize,
        /// Concurrent writers of the generator.
        #[arg(long, default_value_t = 8)]
        writers: usize,
        /// Seed of the country.
        #[arg(long, default_value_t = 76)]
        seed: u64,
        /// `reform serve` processes on the one database.
        #[arg(long, default_value_t = 2)]
        gateways: usize,
        /// Dashboard clients in all, split evenly over the gateways.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Seconds the load is measured (after a two-second warm-up); the ceiling is
        /// measured as long.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Commands per second the country writes through the gateways meanwhile.
        #[arg(long, default_value_t = 50)]
        writes_per_sec: u32,
        /// The province whose time travel is timed.
        #[arg(long, default_value = "VN-DN")]
        province: String,
        /// Where generated countries are kept between runs.
        #[arg(long, default_value = "target/bench-cache")]
        cache_dir: std::path::PathBuf,
        /// A PostgreSQL server to create the database on (default: a throwaway cluster).
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// The `reform` binary to run (default: the one beside reform-dev).
        #[arg(long)]
        reform: Option<std::path::PathBuf>,
    },
    /// A real `reform serve` (the release binary beside reform-dev) under a steady mixed
    /// read and write load; its resident memory at the start, each tenth and the end,
    /// the growth after warm-up, requests served and errors.
    Soak {
        /// How long the load lasts, in minutes.
        #[arg(long, default_value_t = 30.0)]
        minutes: f64,
        /// Seconds between samples of the server's memory.
        #[arg(long, default_value_t = 10)]
        sample_secs: u64,
        /// Requests per second asked for, in all (half reads, half writes).
        #[arg(long, default_value_t = 100)]
        rate: u32,
        /// Concurrent clients sharing that rate.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Which database (both: one run after the other).
        #[arg(long, value_enum, default_value = "sqlite")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on.
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// The `reform` binary to run (default: the one beside reform-dev).
        #[arg(long)]
        reform: Option<std::path::PathBuf>,
        /// Send no task creations, only reports and reads: the records stay the same,
        /// only their events grow.
        #[arg(long)]
        no_new_tasks: bool,
    },
    /// Acknowledged commands per second with more and more concurrent writers, on one
    /// busy task and on distinct tasks, against one writer, per engine.
    Contention {
        /// Writer counts; the first is the baseline.
        #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
        writers: Vec<usize>,
        /// Seconds each count is measured.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Which databases to measure.
        #[arg(long, value_enum, default_value = "both")]
        engine: Engine,
        /// A PostgreSQL server to create scratch databases on.
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Hostile workbooks sent to a real `reform serve` as dry-run imports; its
    /// resident memory before, after and at the peak, against the sample plan's table.
    Hostile {
        /// Times each file is sent.
        #[arg(long, default_value_t = 20)]
        repeat: usize,
        /// The `reform` binary to run (default: the one beside reform-dev).
        #[arg(long)]
        reform: Option<std::path::PathBuf>,
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
        Tool::Generate { shape, national } => {
            generate_country(&cli.database_url, &shape, national).await
        }
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
        BenchWhat::National {
            departments,
            communes,
            tasks_per_agency,
            writers,
            seed,
            gateways,
            clients,
            seconds,
            writes_per_sec,
            province,
            cache_dir,
            postgres_url,
            reform,
        } => {
            let bench = national::NationalBench {
                shape: reform_devtools::national::NationalShape {
                    departments: departments.clamp(1, 200),
                    communes: communes.min(2_000),
                    tasks_per_agency: tasks_per_agency.clamp(1, 1_000),
                    last_year: 2030,
                    writers: writers.clamp(1, 64),
                    seed,
                },
                gateways: gateways.clamp(1, 16),
                clients: clients.clamp(1, 1_024),
                duration: Duration::from_secs(seconds.clamp(1, 3_600)),
                writes_per_sec: writes_per_sec.clamp(1, 10_000),
                province: province.trim().to_uppercase(),
                cache_dir,
                postgres_url,
                reform,
            };
            national::render_national(&bench, &national::run_national(&bench).await?)
        }
        BenchWhat::Soak {
            minutes,
            sample_secs,
            rate,
            clients,
            engine,
            postgres_url,
            reform,
            no_new_tasks,
        } => {
            anyhow::ensure!(
                minutes > 0.0 && minutes <= 24.0 * 60.0,
                "--minutes must be more than 0 and at most a day"
            );
            let bench = soak::SoakBench {
                duration: Duration::from_secs_f64(minutes * 60.0),
                sample_every: Duration::from_secs(sample_secs.clamp(1, 3_600)),
                rate: rate.clamp(1, 10_000),
                clients: clients.clamp(1, 256),
                engine,
                postgres_url,
                reform,
                new_tasks: !no_new_tasks,
            };
            soak::render_soak(&bench, &soak::run_soak(&bench).await?)
        }
        BenchWhat::Contention {
            writers,
            seconds,
            engine,
            postgres_url,
        } => {
            anyhow::ensure!(
                !writers.is_empty() && writers.iter().all(|w| (1..=1_000).contains(w)),
                "--writers takes counts from 1 to 1000, e.g. 1,8,32"
            );
            let bench = contention::ContentionBench {
                writers,
                duration: Duration::from_secs(seconds.clamp(1, 3_600)),
                engine,
                postgres_url,
            };
            contention::render_contention(&bench, &contention::run_contention(&bench).await?)
        }
        BenchWhat::Hostile { repeat, reform } => {
            let bench = workbooks::HostileBench {
                repeat: repeat.clamp(1, 10_000),
                reform,
            };
            workbooks::render_hostile(&bench, &workbooks::run_hostile(&bench).await?)
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
async fn generate_country(url: &str, shape: &ShapeArgs, national: bool) -> anyhow::Result<()> {
    let store = reform_store::open(url)
        .await
        .context("opening the event store")?;
    let handler = CommandHandler::new(store);
    let started = Instant::now();
    let made = if national {
        let shape = reform_devtools::national::NationalShape {
            departments: shape.departments,
            communes: shape.communes,
            tasks_per_agency: shape.tasks_per_agency,
            last_year: 2030,
            writers: shape.writers,
            seed: shape.seed,
        };
        reform_devtools::national::generate_national(&handler, &shape).await?
    } else {
        generate(&handler, &shape.shape()).await?
    };
    println!(
        "generated {} tasks through {} commands in {:.1} s",
        made.tasks,
        made.commands,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
