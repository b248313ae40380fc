//! `reform`: the reform tracker's command line.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use reform_cli::{demo, demo_data, summary};
use reform_projections::{queries, Follower, ProgressModel, ReadDb};
use reform_store::{CommandHandler, DEFAULT_DATABASE_URL};

/// The State Administrative Reform tracker (Resolution 76/NQ-CP, 2021–2030).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// Where the event log lives: sqlite://PATH (created if missing) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,

    /// Log lines as JSON objects (for a log shipper) or as text; `auto` writes JSON
    /// unless stderr is a terminal. RUST_LOG sets what is logged (default: info for
    /// `serve`, warnings otherwise).
    #[arg(
        long,
        env = "REFORM_LOG_FORMAT",
        value_enum,
        default_value = "auto",
        global = true
    )]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Auto,
    Json,
    Text,
}

/// Logs to stderr in the format asked for.
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

#[derive(Subcommand)]
enum Command {
    /// Serve the GraphQL API (POST /graphql, GraphiQL at /graphiql, /livez, /readyz).
    /// An empty store gets the demo data first, unless --no-demo.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "REFORM_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Do not load the demo into an empty store.
        #[arg(long)]
        no_demo: bool,
        /// Production: no introspection, no field suggestions, no GraphiQL.
        #[arg(long)]
        production: bool,
        /// Origins browsers may call the API from (CORS), comma-separated.
        #[arg(
            long = "cors-origin",
            env = "REFORM_CORS_ORIGINS",
            value_delimiter = ','
        )]
        cors_origins: Vec<String>,
        /// The HS256 signing secret (at least 32 characters). Unset: a development
        /// secret is generated into ./.reform-jwt-secret and reused.
        #[arg(long, env = "REFORM_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<String>,
    },
    /// Print a bearer token for the API, signed with the secret `reform serve` uses.
    Token {
        /// leader, secretariat, officer or auditor.
        #[arg(long, value_parser = parse_role)]
        role: reform_domain::Role,
        /// The user's agency: its UUID or its exact name (required for officers).
        #[arg(long)]
        agency: Option<String>,
        /// The user id and name recorded on their actions.
        #[arg(long, default_value = "demo-user")]
        user: String,
        /// The jurisdiction the user serves (e.g. VN-DN); omit for all.
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Days the token stays valid.
        #[arg(long, default_value_t = 30)]
        days: i64,
        /// The HS256 signing secret; unset: the development secret.
        #[arg(long, env = "REFORM_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<String>,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo program through commands (idempotent) and print progress by pillar.
    Demo {
        /// Print the summary as of this date instead of the demo's own date.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Print progress by pillar: now from the read-model, or as it stood on a past date.
    Progress {
        /// Time travel: fold the events up to the end of this day (business time) and
        /// count overdue tasks against it. Default: the read-model now, against today.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Only the plans under this program (its number, e.g. 3504/QĐ-UBND).
        #[arg(long)]
        program: Option<String>,
        /// Print the roll-up tree (program → pillar → plan → task → subtask) down to
        /// this depth instead of the pillar table: 2 = plans, 3 = tasks, 4 = subtasks.
        #[arg(long, value_name = "DEPTH")]
        tree: Option<usize>,
    },
    /// Print the PAR INDEX league tables of a year, by block.
    League {
        /// The year evaluated.
        #[arg(long)]
        year: i32,
        /// Only agencies of this jurisdiction (e.g. VN-DN).
        #[arg(long)]
        jurisdiction: Option<String>,
    },
    /// List tasks from the read-model: by search words, status, lead, overdue day.
    Tasks {
        /// Words the title must contain; diacritics optional ("cai cach").
        #[arg(long)]
        search: Option<String>,
        /// Only tasks open and past their deadline on this day.
        #[arg(long)]
        overdue_on: Option<chrono::NaiveDate>,
        /// NOT_STARTED, IN_PROGRESS, COMPLETED or CANCELLED.
        #[arg(long)]
        status: Option<String>,
        /// A pillar or cross-cutting code, e.g. CIVIL_SERVICE.
        #[arg(long)]
        category: Option<String>,
    },
    /// An agency's scorecard: tasks led (inherited apart), coordinated, on time, late,
    /// overdue; its PAR band and rank, SIPAS, dossier on-time rate, head in office.
    Scorecard {
        /// The agency's name, or the start of it.
        agency: String,
        /// The day to count overdue against (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Accountability by head of agency, with the "no emulation rewards" flag and why.
    Accountability {
        /// Only agencies of this jurisdiction (e.g. VN-HN).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Only tasks due in this year.
        #[arg(long)]
        year: Option<i32>,
        /// The day to count overdue against (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Indicators with their targets, latest measurement and red/amber/green status.
    Indicators {
        /// Only indicators of this jurisdiction ("VN" for the national targets).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Judge as of this day (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Rebuild the read-models from the whole log and swap them in.
    Rebuild,
    /// Keep the read-models current until stopped (Ctrl-C or SIGTERM). Several may run
    /// on one PostgreSQL database: one follows, the others take over when it dies.
    Follow,
    /// Read a table into the tracker: `reform import plan FILE --plan 318/KH-UBND`.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Write a table out as a spreadsheet: `reform export plan --plan 318/KH-UBND`.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The audit trail for inspection.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Check the event log's hash chain: exit 0 printing how many events and the head's
    /// digest, or exit 3 naming the first event that was changed, removed, inserted or
    /// moved (1: the check could not run; 2: bad arguments). Keep the digest outside the system; `--against` it later proves the log
    /// still passes through that head (nothing before it rewritten, nothing cut).
    Verify {
        /// First position to check (default: the start).
        #[arg(long)]
        from: Option<u64>,
        /// Last position to check (default: the head).
        #[arg(long)]
        to: Option<u64>,
        /// A digest printed by an earlier `reform verify` (POSITION:HASH).
        #[arg(long)]
        against: Option<reform_store::chain::Digest>,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// A plan's task table (xlsx or csv: STT | Nội dung nhiệm vụ | Cơ quan chủ trì |
    /// Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm, under pillar sections).
    /// All or nothing: any bad row and nothing is written (exit 3), with every bad row
    /// listed. Importing the same file again changes nothing; changed rows amend.
    Plan {
        /// The spreadsheet.
        file: std::path::PathBuf,
        /// The plan: its number as printed (318/KH-UBND) or its id.
        #[arg(long)]
        plan: String,
        /// Import the valid rows even when some are wrong.
        #[arg(long)]
        partial: bool,
        /// Check the file and print the report; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Why tasks already imported change (recorded on their amendments).
        #[arg(long, default_value = "Cập nhật theo bảng nhiệm vụ của kế hoạch")]
        reason: String,
        /// csv or xlsx (default: from the file's extension, else its content).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// Who imports, recorded on every event (as the secretariat).
        #[arg(long, env = "USER", default_value = "secretariat")]
        user: String,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// A plan's task table in the shape it is imported from, with progress, status and
    /// completion columns and each task's id (so the file can be imported back).
    Plan {
        /// The plan: its number as printed (318/KH-UBND) or its id.
        #[arg(long)]
        plan: String,
        /// csv or xlsx (default: from --output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// Where to write (default: standard output).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// The PAR INDEX league tables of a year, a section per block (as `reform league`).
    League {
        /// The year evaluated.
        #[arg(long)]
        year: i32,
        /// Only agencies of this jurisdiction (e.g. VN-DN).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// csv or xlsx (default: from --output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// Where to write (default: standard output).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Accountability by head of agency (as `reform accountability`).
    Accountability {
        /// Only agencies of this jurisdiction (e.g. VN-HN).
        #[arg(long)]
        jurisdiction: Option<String>,
        /// Only tasks due in this year.
        #[arg(long)]
        year: Option<i32>,
        /// The day to count overdue against (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// csv or xlsx (default: from --output's extension, else csv).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// Where to write (default: standard output).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// Writes a file to `output`, or to standard output.
fn write_out(output: Option<&std::path::Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), bytes)?,
    }
    Ok(())
}

/// The format asked for, else the one `output`'s extension names, else csv.
fn table_format(
    asked: Option<TableFormat>,
    output: Option<&std::path::Path>,
) -> reform_interchange::Format {
    asked.map(Into::into).unwrap_or_else(|| {
        output
            .and_then(|p| reform_interchange::Format::from_name(&p.to_string_lossy()))
            .unwrap_or(reform_interchange::Format::Csv)
    })
}

/// A spreadsheet format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TableFormat {
    Csv,
    Xlsx,
}

impl From<TableFormat> for reform_interchange::Format {
    fn from(f: TableFormat) -> Self {
        match f {
            TableFormat::Csv => reform_interchange::Format::Csv,
            TableFormat::Xlsx => reform_interchange::Format::Xlsx,
        }
    }
}

#[derive(Subcommand)]
enum AuditWhat {
    /// Write the events that happened from FROM to TO (whole days, UTC, both included)
    /// as CSV or JSON lines, each with its hash-chain columns; print the file's SHA-256
    /// and the chain digest of the last event written.
    Export {
        /// First day.
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day.
        #[arg(long)]
        to: chrono::NaiveDate,
        /// csv (UTF-8 with BOM, for spreadsheets) or jsonl.
        #[arg(long, value_enum, default_value = "csv")]
        format: reform_cli::audit_export::Format,
        /// Where to write (default: standard output).
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// The log failed verification (exit code 3, apart from other failures).
#[derive(Debug, thiserror::Error)]
#[error("the event log does not verify: {0}")]
struct Tampered(reform_store::chain::Breach);

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format, matches!(cli.command, Command::Serve { .. }));
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.downcast_ref::<Tampered>().is_some() => {
            eprintln!("TAMPERED: {error:#}");
            ExitCode::from(3)
        }
        Err(error)
            if error
                .downcast_ref::<reform_cli::plan_table::Refused>()
                .is_some() =>
        {
            eprintln!("{error:#}");
            ExitCode::from(3)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Serve {
        listen,
        no_demo,
        production,
        cors_origins,
        jwt_secret,
    } = &cli.command
    {
        let args = reform_cli::serve::ServeArgs {
            listen: *listen,
            demo: !no_demo,
            production: *production,
            cors_origins: cors_origins.clone(),
            secret: jwt_secret.clone(),
        };
        return reform_cli::serve::serve(&cli.database_url, args).await;
    }
    let store = reform_store::open(&cli.database_url)
        .await
        .with_context(|| format!("opening the event store at {}", redact(&cli.database_url)))?;
    let handler = CommandHandler::new(store);
    match cli.command {
        Command::Serve { .. } => unreachable!("handled before the store is opened"),
        Command::Token {
            role,
            agency,
            user,
            jurisdiction,
            days,
            jwt_secret,
        } => {
            let agency = match agency {
                None => None,
                Some(text) => Some(match uuid::Uuid::parse_str(&text) {
                    Ok(uuid) => reform_domain::AgencyId(uuid),
                    Err(_) => {
                        let model = current_model(&handler, &cli.database_url).await?;
                        let wanted = reform_projections::fold_for_search(&text);
                        model
                            .agencies
                            .values()
                            .find(|a| reform_projections::fold_for_search(&a.name) == wanted)
                            .map(|a| a.agency_id)
                            .with_context(|| format!("no agency named {text:?} on record"))?
                    }
                }),
            };
            let token = reform_cli::serve::token(
                role,
                &user,
                agency,
                jurisdiction,
                days,
                jwt_secret.as_deref(),
            )?;
            println!("{token}");
        }
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
            let model = current_model(&handler, &cli.database_url).await?;
            let today = as_of.unwrap_or_else(demo_data::demo_today);
            let lines = queries::pillar_progress(&model, None, today);
            print!("{}", summary::render_progress(&lines, today));
        }
        Command::Progress {
            as_of,
            program,
            tree,
        } => {
            let (model, today) = match as_of {
                Some(day) => {
                    let end_of_day = day
                        .and_hms_micro_opt(23, 59, 59, 999_999)
                        .context("not a date")?
                        .and_utc();
                    (
                        reform_projections::as_of(handler.store().as_ref(), end_of_day).await?,
                        day,
                    )
                }
                None => (
                    current_model(&handler, &cli.database_url).await?,
                    chrono::Utc::now().date_naive(),
                ),
            };
            let program = match program {
                Some(number) => Some(
                    model
                        .documents
                        .values()
                        .find(|d| d.kind == "PROGRAM" && d.number == number)
                        .map(|d| d.document_id)
                        .with_context(|| format!("no program numbered {number} on record"))?,
                ),
                None => None,
            };
            match tree {
                Some(depth) => {
                    let tree = queries::rollup_tree(&model, program, today);
                    print!("{}", summary::render_tree(&model, &tree, depth, today));
                }
                None => {
                    let lines = queries::pillar_progress(&model, program, today);
                    print!("{}", summary::render_progress(&lines, today));
                }
            }
        }
        Command::League { year, jurisdiction } => {
            let model = current_model(&handler, &cli.database_url).await?;
            let tables = queries::league_tables(
                &model,
                year,
                jurisdiction.as_deref(),
                &queries::da_nang_bands(),
            );
            print!("{}", summary::render_league(&tables, year));
        }
        Command::Audit {
            what:
                AuditWhat::Export {
                    from,
                    to,
                    format,
                    output,
                },
        } => {
            if to < from {
                anyhow::bail!("--to ({to}) is before --from ({from})");
            }
            let start = from.and_time(chrono::NaiveTime::MIN).and_utc();
            let end = to
                .succ_opt()
                .context("--to is the last day there is")?
                .and_time(chrono::NaiveTime::MIN)
                .and_utc();
            let store = handler.store().as_ref();
            let exported = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?;
                    let mut file = std::io::BufWriter::new(file);
                    let exported =
                        reform_cli::audit_export::export(store, start, end, format, &mut file)
                            .await?;
                    std::io::Write::flush(&mut file)?;
                    exported
                }
                None => {
                    let stdout = std::io::stdout();
                    reform_cli::audit_export::export(store, start, end, format, stdout.lock())
                        .await?
                }
            };
            eprintln!(
                "exported {} events{} from {from} to {to}",
                exported.events,
                exported
                    .positions
                    .map(|(a, b)| format!(" (positions {a}–{b})"))
                    .unwrap_or_default()
            );
            eprintln!("file SHA-256: {}", exported.file_sha256);
            if let Some(last) = exported.last {
                eprintln!(
                    "chain digest of the last event: {last} (reform verify --against {last})"
                );
            }
        }
        Command::Import {
            what:
                ImportWhat::Plan {
                    file,
                    plan,
                    partial,
                    dry_run,
                    reason,
                    format,
                    user,
                },
        } => {
            let args = reform_cli::plan_table::ImportArgs {
                file,
                plan,
                partial,
                dry_run,
                reason,
                format: format.map(Into::into),
                user,
            };
            print!("{}", reform_cli::plan_table::import(&handler, &args).await?);
        }
        Command::Export {
            what:
                ExportWhat::Plan {
                    plan,
                    format,
                    output,
                },
        } => {
            let format = table_format(format, output.as_deref());
            let id = reform_interchange::resolve_plan(&handler, &plan).await?;
            let bytes = reform_interchange::export_plan(&handler, id, format).await?;
            write_out(output.as_deref(), &bytes)?;
        }
        Command::Export {
            what:
                ExportWhat::League {
                    year,
                    jurisdiction,
                    format,
                    output,
                },
        } => {
            let model = current_model(&handler, &cli.database_url).await?;
            let tables = queries::league_tables(
                &model,
                year,
                jurisdiction.as_deref(),
                &queries::da_nang_bands(),
            );
            let table =
                reform_cli::plan_table::league_table(&tables, year, jurisdiction.as_deref());
            let bytes =
                reform_interchange::export::write(&table, table_format(format, output.as_deref()))?;
            write_out(output.as_deref(), &bytes)?;
        }
        Command::Export {
            what:
                ExportWhat::Accountability {
                    jurisdiction,
                    year,
                    as_of,
                    format,
                    output,
                },
        } => {
            let today = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let rows = accountability_rows(
                &handler,
                &cli.database_url,
                jurisdiction.as_deref(),
                year,
                today,
            )
            .await?;
            let table = reform_cli::plan_table::accountability_table(&rows, today);
            let bytes =
                reform_interchange::export::write(&table, table_format(format, output.as_deref()))?;
            write_out(output.as_deref(), &bytes)?;
        }
        Command::Verify { from, to, against } => {
            let started = std::time::Instant::now();
            let verification =
                reform_store::verify(handler.store().as_ref(), from, to, against.clone()).await?;
            match verification.outcome {
                Ok(digest) => {
                    let elapsed = started.elapsed().as_secs_f64();
                    println!(
                        "verified {} events in {elapsed:.2} s ({:.0} events/s): the hash chain is intact{}",
                        verification.checked,
                        verification.checked as f64 / elapsed.max(1e-9),
                        against
                            .as_ref()
                            .map(|a| format!(" and passes through {a}"))
                            .unwrap_or_default()
                    );
                    println!("head digest: {digest}");
                }
                Err(breach) => return Err(Tampered(breach).into()),
            }
        }
        Command::Follow => {
            let db = ReadDb::connect(&cli.database_url).await?;
            let follower = Follower::load(handler.store().clone(), db).await?;
            let (stop, stopped) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                shutdown_signal().await;
                let _ = stop.send(true);
            });
            eprintln!("following the event log into the read-models; Ctrl-C to stop");
            follower.run(stopped).await?;
        }
        Command::Tasks {
            search,
            overdue_on,
            status,
            category,
        } => {
            let model = current_model(&handler, &cli.database_url).await?;
            let filter = queries::TaskFilter {
                search,
                overdue_on,
                status,
                category,
                ..Default::default()
            };
            let found = queries::tasks(&model, &filter, queries::TaskOrder::Deadline);
            for task in &found {
                let lead = model
                    .agencies
                    .get(&task.lead_id)
                    .map_or("?", |a| a.name.as_str());
                let deadline = task
                    .deadline
                    .map_or("thường xuyên".to_owned(), |d| d.to_string());
                println!(
                    "{deadline:<12} {:<11} {:>3}%  {}  — {lead}",
                    task.status, task.percent, task.title
                );
            }
            println!("{} tasks", found.len());
        }
        Command::Scorecard { agency, as_of } => {
            let model = current_model(&handler, &cli.database_url).await?;
            let today = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let id = model
                .agencies
                .values()
                .find(|a| a.name == agency)
                .or_else(|| {
                    model
                        .agencies
                        .values()
                        .find(|a| a.name.starts_with(&agency))
                })
                .map(|a| a.agency_id)
                .with_context(|| format!("no agency named {agency:?} on record"))?;
            let card = queries::scorecard(&model, id, today, &queries::da_nang_bands())
                .context("the agency has no scorecard")?;
            print!("{}", summary::render_scorecard(&card, today));
        }
        Command::Accountability {
            jurisdiction,
            year,
            as_of,
        } => {
            let today = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let rows = accountability_rows(
                &handler,
                &cli.database_url,
                jurisdiction.as_deref(),
                year,
                today,
            )
            .await?;
            print!("{}", summary::render_accountability(&rows, today));
        }
        Command::Indicators {
            jurisdiction,
            as_of,
        } => {
            let model = current_model(&handler, &cli.database_url).await?;
            let day = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            for t in queries::trajectories(&model, jurisdiction.as_deref(), day) {
                let i = &t.indicator;
                let latest = t.latest.as_ref().map_or("no measurement".to_owned(), |m| {
                    format!("{} {} on {}", m.value, i.unit, m.on)
                });
                let target = t.target.as_ref().map_or(String::new(), |g| {
                    format!(", target {} {} by {}", g.value, i.unit, g.year)
                });
                let rag = t
                    .rag
                    .map_or("—".to_owned(), |r| format!("{r:?}").to_uppercase());
                println!("{:<6} {:<28} {latest}{target} — {}", rag, i.code, i.name);
            }
        }
        Command::Rebuild => {
            let db = ReadDb::connect(&cli.database_url).await?;
            let started = std::time::Instant::now();
            let events = reform_projections::rebuild(handler.store().as_ref(), &db).await?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "rebuilt the read-models from {events} events in {seconds:.2} s ({:.0} events/s)",
                events as f64 / seconds.max(1e-9)
            );
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// The read-model tables brought up to the log's head.
/// The heads' accountability rows on `today`, as `reform accountability` prints them
/// and `reform export accountability` writes them.
async fn accountability_rows(
    handler: &CommandHandler,
    url: &str,
    jurisdiction: Option<&str>,
    year: Option<i32>,
    today: chrono::NaiveDate,
) -> anyhow::Result<Vec<queries::HeadAccountability>> {
    let model = current_model(handler, url).await?;
    Ok(queries::accountability(
        &model,
        jurisdiction,
        year,
        today,
        &queries::da_nang_bands(),
        &queries::RewardRule::default(),
    ))
}

async fn current_model(handler: &CommandHandler, url: &str) -> anyhow::Result<ProgressModel> {
    let db = ReadDb::connect(url).await?;
    let mut follower = Follower::load(handler.store().clone(), db).await?;
    follower
        .catch_up()
        .await
        .context("bringing the read-models up to date")?;
    Ok(follower.model().clone())
}

/// A database URL without its password, for messages.
fn parse_role(text: &str) -> Result<reform_domain::Role, String> {
    reform_domain::Role::from_code(&text.to_uppercase())
        .filter(|r| *r != reform_domain::Role::System)
        .ok_or_else(|| "give leader, secretariat, officer or auditor".to_owned())
}

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
