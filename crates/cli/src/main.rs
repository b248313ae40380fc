//! `reform`: the reform tracker's command line.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use reform_cli::{bench, demo, demo_data, summary};
use reform_store::{CommandHandler, DEFAULT_DATABASE_URL};

/// The State Administrative Reform tracker (Resolution 76/NQ-CP, 2021–2030).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Where the event log lives: sqlite://PATH (created if missing) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo program through commands (idempotent) and print progress by pillar.
    Demo {
        /// Print the summary as of this date instead of the demo's own date.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Measure the system; prints figures against a baseline measured in the same run.
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
    /// Print progress by pillar, folded from the event log.
    Summary {
        /// The date to count overdue tasks against (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

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
        engine: bench::Engine,
        /// A PostgreSQL server to create scratch databases on (default: a throwaway
        /// cluster started from the machine's PostgreSQL packages).
        #[arg(long, env = "REFORM_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Bench {
        what:
            BenchWhat::Append {
                writers,
                commands,
                engine,
                postgres_url,
            },
    } = cli.command
    {
        let bench = bench::AppendBench {
            writers,
            commands,
            engine,
            postgres_url,
        };
        let figures = bench::run_append(&bench).await?;
        print!("{}", bench::render(&bench, &figures));
        return Ok(());
    }
    let store = reform_store::open(&cli.database_url)
        .await
        .with_context(|| format!("opening the event store at {}", redact(&cli.database_url)))?;
    let handler = CommandHandler::new(store);
    match cli.command {
        Command::Migrate => {
            let head = handler.store().head().await?;
            println!(
                "database {} is up to date ({head} events)",
                redact(&cli.database_url)
            );
        }
        Command::Demo { as_of } => {
            let load = demo::load_demo(&handler)
                .await
                .context("loading the demo")?;
            println!(
                "demo loaded into {}: {} commands executed, {} already on record",
                redact(&cli.database_url),
                load.executed,
                load.already_loaded
            );
            let world = demo::fold_all(&handler).await?;
            let today = as_of.unwrap_or_else(demo_data::demo_today);
            print!(
                "{}",
                summary::render(&summary::pillar_summary(&world, today), today)
            );
        }
        Command::Bench { .. } => unreachable!("handled before the store is opened"),
        Command::Summary { as_of } => {
            let world = demo::fold_all(&handler).await?;
            let today = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            print!(
                "{}",
                summary::render(&summary::pillar_summary(&world, today), today)
            );
        }
    }
    Ok(())
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
