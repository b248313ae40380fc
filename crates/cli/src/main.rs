//! `reform`: the reform tracker's command line. This file parses the command line and
//! hands each subcommand to its module under `commands/`; nothing else happens here.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;
use reform_cli::plan_table::Refused;

use args::{AuditWhat, Cli, Command, ExportWhat, ImportWhat, LogFormat};
use commands::{
    accountability, audit, indicators, league, plan_tables, progress, read_models, scorecard,
    serving, setup, tasks, Tracker,
};

/// Runs the command line and turns the outcome into the exit code: 3 for a log that
/// does not verify or an import refused for its rows (nothing written), 1 for any other
/// error, 2 (clap's) for bad arguments.
#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format, matches!(cli.command, Command::Serve(_)));
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.downcast_ref::<audit::Tampered>().is_some() => {
            eprintln!("TAMPERED: {error:#}");
            ExitCode::from(3)
        }
        Err(error) if error.downcast_ref::<Refused>().is_some() => {
            eprintln!("{error:#}");
            ExitCode::from(3)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the subcommand asked for. Every one but `serve` works on the store opened from
/// `--database-url` (created and migrated if need be).
async fn run(cli: Cli) -> anyhow::Result<()> {
    let url = cli.database_url.as_str();
    let open = || Tracker::open(url);
    match cli.command {
        Command::Serve(args) => serving::serve(url, args).await,
        Command::Token(args) => serving::token(url, args).await,
        Command::Migrate => setup::migrate(&open().await?).await,
        Command::Demo(args) => setup::demo(&open().await?, args).await,
        Command::Register => setup::register(&open().await?).await,
        Command::Progress(args) => progress::progress(&open().await?, args).await,
        Command::League(args) => league::league(&open().await?, args).await,
        Command::Tasks(args) => tasks::tasks(&open().await?, args).await,
        Command::Scorecard(args) => scorecard::scorecard(&open().await?, args).await,
        Command::Accountability(args) => accountability::accountability(&open().await?, args).await,
        Command::Indicators(args) => indicators::indicators(&open().await?, args).await,
        Command::Rebuild => read_models::rebuild(&open().await?).await,
        Command::Follow => read_models::follow(&open().await?).await,
        Command::Import { what } => match what {
            ImportWhat::Plan(args) => plan_tables::import(&open().await?, args).await,
        },
        Command::Export { what } => match what {
            ExportWhat::Plan(args) => plan_tables::export(&open().await?, args).await,
            ExportWhat::League { league, sheet } => {
                league::export(&open().await?, league, sheet).await
            }
            ExportWhat::Accountability {
                accountability,
                sheet,
            } => accountability::export(&open().await?, accountability, sheet).await,
        },
        Command::Audit { what } => match what {
            AuditWhat::Export(args) => audit::export(&open().await?, args).await,
        },
        Command::Verify(args) => audit::verify(&open().await?, args).await,
    }
}

/// Logs to stderr in the format asked for: RUST_LOG's filter, else info while serving
/// and warnings otherwise.
fn init_logging(format: LogFormat, serving: bool) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| if serving { "info" } else { "warn" }.into());
    let json = match format {
        LogFormat::Json => true,
        LogFormat::Text => false,
        LogFormat::Auto => !std::io::stderr().is_terminal(),
    };
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        logs.json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.init();
    }
}
