//! What `reform` takes on its command line: the global flags and each subcommand's
//! arguments (clap). Nothing here runs anything; `main.rs` hands each subcommand's
//! arguments to its module under `commands/`.

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use reform_store::DEFAULT_DATABASE_URL;

/// The State Administrative Reform tracker (Resolution 76/NQ-CP, 2021–2030).
#[derive(Parser)]
#[command(version, about)]
pub(crate) struct Cli {
    /// Where the event log lives: sqlite://PATH (created if missing) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub(crate) database_url: String,

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
    pub(crate) log_format: LogFormat,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// How log lines are written to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    // No doc comments on the values: clap would list them in `--help`.
    Auto,
    Json,
    Text,
}

/// The subcommands, in the order `reform --help` lists them.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Serve the GraphQL API (POST /graphql, GraphiQL at /graphiql, /livez, /readyz).
    /// An empty store gets the demo data first, unless --no-demo.
    Serve(ServeArgs),
    /// Print a bearer token for the API, signed with the secret `reform serve` uses.
    Token(TokenArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Load the demo program through commands (idempotent) and print progress by pillar.
    Demo(DemoArgs),
    /// Load the national register of jurisdictions (the 63 provinces, the 1 July 2025
    /// mergers into 34; idempotent) and list the provinces. `serve` and `demo` load it
    /// with the demo; a store served with --no-demo needs it once.
    Register,
    /// Print progress by pillar: now from the read-model, or as it stood on a past date.
    Progress(ProgressArgs),
    /// Print the PAR INDEX league tables of a year, by block.
    League(LeagueArgs),
    /// List tasks from the read-model: by search words, status, lead, overdue day.
    Tasks(TasksArgs),
    /// An agency's scorecard: tasks led (inherited apart), coordinated, on time, late,
    /// overdue; its PAR band and rank, SIPAS, dossier on-time rate, head in office.
    Scorecard(ScorecardArgs),
    /// Accountability by head of agency, with the "no emulation rewards" flag and why.
    Accountability(AccountabilityArgs),
    /// Indicators with their targets, latest measurement and red/amber/green status.
    Indicators(IndicatorsArgs),
    /// Rebuild the read-models from the whole log and swap them in.
    Rebuild,
    /// Keep the read-models current until stopped (Ctrl-C or SIGTERM). Several may run
    /// on one PostgreSQL database: one follows, the others take over when it dies.
    Follow,
    /// Read a table into the tracker: `reform import plan FILE --plan 318/KH-UBND`.
    Import {
        /// Which table.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Write a table out as a spreadsheet: `reform export plan --plan 318/KH-UBND`.
    Export {
        /// Which table.
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The audit trail for inspection.
    Audit {
        /// What to do with it.
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Check the event log's hash chain: exit 0 printing how many events and the head's
    /// digest, or exit 3 naming the first event that was changed, removed, inserted or
    /// moved (1: the check could not run; 2: bad arguments). Keep the digest outside the system; `--against` it later proves the log
    /// still passes through that head (nothing before it rewritten, nothing cut).
    Verify(VerifyArgs),
}

/// `reform serve`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REFORM_LISTEN", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,
    /// Do not load the demo into an empty store.
    #[arg(long)]
    pub(crate) no_demo: bool,
    /// Production: no introspection, no field suggestions, no GraphiQL.
    #[arg(long)]
    pub(crate) production: bool,
    /// Origins browsers may call the API from (CORS), comma-separated.
    #[arg(
        long = "cors-origin",
        env = "REFORM_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub(crate) cors_origins: Vec<String>,
    /// The HS256 signing secret (at least 32 characters). Unset: a development
    /// secret is generated into ./.reform-jwt-secret and reused.
    #[arg(long, env = "REFORM_JWT_SECRET", hide_env_values = true)]
    pub(crate) jwt_secret: Option<String>,
    /// The longest a token may live (from issue to expiry), in days; longer-lived
    /// tokens are refused.
    #[arg(long, env = "REFORM_MAX_TOKEN_DAYS", default_value_t = reform_gateway::DEFAULT_MAX_TOKEN_DAYS)]
    pub(crate) max_token_days: i64,
    /// How many events the read-model tables may lag behind the log before /readyz
    /// says not ready.
    #[arg(long, env = "REFORM_MAX_TABLES_LAG", default_value_t = 10_000)]
    pub(crate) max_tables_lag: u64,
    /// Subscription sockets open at once on this server; beyond, an upgrade is refused
    /// with 503 UNAVAILABLE.
    #[arg(long, env = "REFORM_MAX_SOCKETS", default_value_t = 1_024,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub(crate) max_sockets: u32,
    /// Subscription sockets open at once from one peer address (IPv6: one /64);
    /// beyond, 429 RATE_LIMITED.
    #[arg(long, env = "REFORM_MAX_SOCKETS_PER_PEER", default_value_t = 16,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub(crate) max_sockets_per_peer: u32,
    /// The largest WebSocket message (and frame) a client may send, in bytes; a larger
    /// one closes the socket with 1009.
    #[arg(long, env = "REFORM_WS_MAX_MESSAGE_BYTES", default_value_t = 65_536,
          value_parser = clap::value_parser!(u32).range(1_024..=16 << 20))]
    pub(crate) ws_max_message_bytes: u32,
    /// Seconds a subscription socket may stay open without `connection_init`; then it
    /// is closed with 4408.
    #[arg(long, env = "REFORM_WS_INIT_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=300))]
    pub(crate) ws_init_timeout_secs: u32,
    /// Subscriptions one socket may run at once; a `subscribe` beyond closes the socket
    /// with 4429.
    #[arg(long, env = "REFORM_WS_MAX_SUBSCRIPTIONS", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub(crate) ws_max_subscriptions: u32,
    /// Requests a second to /graphql per caller (a token's user, or an address
    /// without a valid token), sustained; 0 turns rate limiting off.
    #[arg(long, env = "REFORM_RATE_LIMIT_PER_SECOND", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub(crate) rate_limit_per_second: u32,
    /// Requests a caller may send at once after a quiet spell.
    #[arg(long, env = "REFORM_RATE_LIMIT_BURST", default_value_t = 300,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub(crate) rate_limit_burst: u32,
    /// How many records (tasks, agencies, plans…) the command handler remembers the
    /// state of between commands, the least recently used forgotten first; a
    /// forgotten one is read from the database again when a command needs it.
    #[arg(long, env = "REFORM_STREAM_CACHE", default_value_t = reform_commands::DEFAULT_STREAM_CACHE,
          value_parser = parse_stream_cache)]
    pub(crate) stream_cache: usize,
}

/// `reform token`.
#[derive(Args)]
pub(crate) struct TokenArgs {
    /// leader, secretariat, officer or auditor.
    #[arg(long, value_parser = parse_role)]
    pub(crate) role: reform_domain::Role,
    /// The user's agency: its UUID or its name (required for officers).
    #[arg(long)]
    pub(crate) agency: Option<String>,
    /// The user id and name recorded on their actions.
    #[arg(long, default_value = "demo-user")]
    pub(crate) user: String,
    /// The jurisdiction the user serves (e.g. VN-DN); omit for all.
    #[arg(long)]
    pub(crate) jurisdiction: Option<String>,
    /// Days the token stays valid.
    #[arg(long, default_value_t = 30)]
    pub(crate) days: i64,
    /// The longest lifetime the server accepts (as `serve --max-token-days`).
    #[arg(long, env = "REFORM_MAX_TOKEN_DAYS", default_value_t = reform_gateway::DEFAULT_MAX_TOKEN_DAYS)]
    pub(crate) max_token_days: i64,
    /// The HS256 signing secret; unset: the development secret.
    #[arg(long, env = "REFORM_JWT_SECRET", hide_env_values = true)]
    pub(crate) jwt_secret: Option<String>,
    /// Print a sign-in link for the web app instead of the bare token.
    #[arg(long)]
    pub(crate) link: bool,
    /// The server's address as the user's browser reaches it, for `--link`.
    #[arg(long, default_value = "http://127.0.0.1:8080", value_parser = parse_base_url, requires = "link")]
    pub(crate) base_url: String,
}

/// `--base-url`: an `http://` or `https://` address, without a trailing slash.
fn parse_base_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .unwrap_or_default();
    if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
        return Err(
            "give the server's address, e.g. http://127.0.0.1:8080 or https://cchc.example.gov.vn"
                .into(),
        );
    }
    Ok(url.to_owned())
}

/// The most streams the handler may be told to remember: a bound, so that a typo
/// cannot ask for unbounded memory.
const MAX_STREAM_CACHE: usize = 1_000_000;

/// `--stream-cache`: a count from 0 to [`MAX_STREAM_CACHE`].
fn parse_stream_cache(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n <= MAX_STREAM_CACHE)
        .ok_or_else(|| format!("give a number of streams from 0 to {MAX_STREAM_CACHE}"))
}

/// A role a person's token may carry, from its name in any case (not the system's).
fn parse_role(text: &str) -> Result<reform_domain::Role, String> {
    reform_domain::Role::from_code(&text.to_uppercase())
        .filter(|r| *r != reform_domain::Role::System)
        .ok_or_else(|| "give leader, secretariat, officer or auditor".to_owned())
}

/// `reform demo`.
#[derive(Args)]
pub(crate) struct DemoArgs {
    /// Print the summary as of this date instead of the demo's own date.
    #[arg(long)]
    pub(crate) as_of: Option<NaiveDate>,
}

/// `reform progress`.
#[derive(Args)]
pub(crate) struct ProgressArgs {
    /// Time travel: fold the events up to the end of this day (business time) and
    /// count overdue tasks against it. Default: the read-model now, against today.
    #[arg(long)]
    pub(crate) as_of: Option<NaiveDate>,
    /// Only the plans under this program (its number, e.g. 3504/QĐ-UBND).
    #[arg(long)]
    pub(crate) program: Option<String>,
    /// Print the roll-up tree (program → pillar → plan → task → subtask) down to
    /// this depth instead of the pillar table: 2 = plans, 3 = tasks, 4 = subtasks.
    #[arg(long, value_name = "DEPTH")]
    pub(crate) tree: Option<usize>,
}

/// `reform league`.
#[derive(Args)]
pub(crate) struct LeagueArgs {
    /// The year evaluated.
    #[arg(long)]
    pub(crate) year: i32,
    /// Only agencies of this jurisdiction (e.g. VN-DN).
    #[arg(long)]
    pub(crate) jurisdiction: Option<String>,
}

/// `reform tasks`.
#[derive(Args)]
pub(crate) struct TasksArgs {
    /// Words the title must contain; diacritics optional ("cai cach").
    #[arg(long)]
    pub(crate) search: Option<String>,
    /// Only tasks overdue on this day as things stood then: open that day (even if
    /// completed since) and past the deadline in force that day.
    #[arg(long)]
    pub(crate) overdue_on: Option<NaiveDate>,
    /// Only tasks with this status, as the list shows it (a task whose subtasks have
    /// begun is in progress).
    #[arg(long, ignore_case = true, value_parser = task_status())]
    pub(crate) status: Option<reform_projections::TaskRowStatus>,
    /// Only tasks of this pillar or cross-cutting work.
    #[arg(long, ignore_case = true, value_parser = task_category())]
    pub(crate) category: Option<reform_domain::TaskCategory>,
}

/// A task status by its code, refusing any other with the list of codes.
fn task_status() -> impl clap::builder::TypedValueParser<Value = reform_projections::TaskRowStatus>
{
    use clap::builder::TypedValueParser;
    use reform_projections::TaskRowStatus;
    clap::builder::PossibleValuesParser::new(TaskRowStatus::ALL.iter().map(|s| s.code())).try_map(
        |code: String| TaskRowStatus::from_code(&code.to_uppercase()).ok_or("not a task status"),
    )
}

/// A pillar or cross-cutting code, refusing any other with the list of codes.
fn task_category() -> impl clap::builder::TypedValueParser<Value = reform_domain::TaskCategory> {
    use clap::builder::TypedValueParser;
    use reform_domain::{CrossCutting, Pillar, TaskCategory};
    let codes = Pillar::ALL
        .iter()
        .map(|p| p.code())
        .chain(CrossCutting::ALL.iter().map(|c| c.code()));
    clap::builder::PossibleValuesParser::new(codes).try_map(|code: String| {
        TaskCategory::from_code(&code.to_uppercase()).ok_or("not a category")
    })
}

/// `reform scorecard`.
#[derive(Args)]
pub(crate) struct ScorecardArgs {
    /// The agency's name, or the start of it.
    pub(crate) agency: String,
    /// The day to count overdue against (default: today).
    #[arg(long)]
    pub(crate) as_of: Option<NaiveDate>,
}

/// `reform accountability`, and the rows `reform export accountability` writes.
#[derive(Args)]
pub(crate) struct AccountabilityArgs {
    /// Only agencies of this jurisdiction (e.g. VN-HN).
    #[arg(long)]
    pub(crate) jurisdiction: Option<String>,
    /// Only tasks due in this year.
    #[arg(long)]
    pub(crate) year: Option<i32>,
    /// The day to count overdue against (default: today).
    #[arg(long)]
    pub(crate) as_of: Option<NaiveDate>,
}

/// `reform indicators`.
#[derive(Args)]
pub(crate) struct IndicatorsArgs {
    /// Only indicators of this jurisdiction ("VN" for the national targets).
    #[arg(long)]
    pub(crate) jurisdiction: Option<String>,
    /// Judge as of this day (default: today).
    #[arg(long)]
    pub(crate) as_of: Option<NaiveDate>,
}

/// `reform verify`.
#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// First position to check (default: the start).
    #[arg(long)]
    pub(crate) from: Option<u64>,
    /// Last position to check (default: the head).
    #[arg(long)]
    pub(crate) to: Option<u64>,
    /// A digest printed by an earlier `reform verify` (POSITION:HASH).
    #[arg(long)]
    pub(crate) against: Option<reform_store::chain::Digest>,
}

/// `reform import …`.
#[derive(Subcommand)]
pub(crate) enum ImportWhat {
    /// A plan's task table (xlsx or csv: STT | Nội dung nhiệm vụ | Cơ quan chủ trì |
    /// Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm, under pillar sections).
    /// All or nothing: any bad row and nothing is written (exit 3), with every bad row
    /// listed. Importing the same file again changes nothing; changed rows amend.
    Plan(ImportPlanArgs),
}

/// `reform import plan`.
#[derive(Args)]
pub(crate) struct ImportPlanArgs {
    /// The spreadsheet.
    pub(crate) file: PathBuf,
    /// The plan: its number as printed (318/KH-UBND) or its id.
    #[arg(long)]
    pub(crate) plan: String,
    /// Import the valid rows even when some are wrong.
    #[arg(long)]
    pub(crate) partial: bool,
    /// Check the file and print the report; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Why tasks already imported change (recorded on their amendments).
    #[arg(long, default_value = "Cập nhật theo bảng nhiệm vụ của kế hoạch")]
    pub(crate) reason: String,
    /// csv or xlsx (default: from the file's extension, else its content).
    #[arg(long, value_enum)]
    pub(crate) format: Option<TableFormat>,
    /// Who imports, recorded on every event (as the secretariat).
    #[arg(long, env = "USER", default_value = "secretariat")]
    pub(crate) user: String,
    /// The day the table's changes took place (YYYY-MM-DD), when not today: a plan
    /// signed in January entered in March is dated its issue date. Default: now.
    #[arg(long)]
    pub(crate) on: Option<chrono::NaiveDate>,
}

/// `reform export …`.
#[derive(Subcommand)]
pub(crate) enum ExportWhat {
    /// A plan's task table in the shape it is imported from, with progress, status and
    /// completion columns and each task's id (so the file can be imported back).
    Plan(ExportPlanArgs),
    /// The PAR INDEX league tables of a year, a section per block (as `reform league`).
    League {
        /// Which year and agencies.
        #[command(flatten)]
        league: LeagueArgs,
        /// Where and how to write it.
        #[command(flatten)]
        sheet: SheetArgs,
    },
    /// Accountability by head of agency (as `reform accountability`).
    Accountability {
        /// Which heads and tasks.
        #[command(flatten)]
        accountability: AccountabilityArgs,
        /// Where and how to write it.
        #[command(flatten)]
        sheet: SheetArgs,
    },
}

/// `reform export plan`.
#[derive(Args)]
pub(crate) struct ExportPlanArgs {
    /// The plan: its number as printed (318/KH-UBND) or its id.
    #[arg(long)]
    pub(crate) plan: String,
    /// Where and how to write it.
    #[command(flatten)]
    pub(crate) sheet: SheetArgs,
}

/// Where an exported sheet goes, and in which format.
#[derive(Args)]
pub(crate) struct SheetArgs {
    /// csv or xlsx (default: from --output's extension, else csv).
    #[arg(long, value_enum)]
    pub(crate) format: Option<TableFormat>,
    /// Where to write (default: standard output).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

/// A spreadsheet format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum TableFormat {
    // No doc comments on the values: clap would list them in `--help`.
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

/// `reform audit …`.
#[derive(Subcommand)]
pub(crate) enum AuditWhat {
    /// Write the events that happened from FROM to TO (whole days, UTC, both included)
    /// as CSV or JSON lines, each with its hash-chain columns; print the file's SHA-256
    /// and the chain digest of the last event written.
    Export(AuditExportArgs),
}

/// `reform audit export`.
#[derive(Args)]
pub(crate) struct AuditExportArgs {
    /// First day.
    #[arg(long)]
    pub(crate) from: NaiveDate,
    /// Last day.
    #[arg(long)]
    pub(crate) to: NaiveDate,
    /// csv (UTF-8 with BOM, for spreadsheets) or jsonl.
    #[arg(long, value_enum, default_value = "csv")]
    pub(crate) format: reform_cli::audit_export::Format,
    /// Where to write (default: standard output).
    #[arg(long)]
    pub(crate) output: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::parse_base_url;

    #[test]
    fn a_base_url_is_an_http_address_without_a_trailing_slash() {
        assert_eq!(
            parse_base_url("http://127.0.0.1:8080/").as_deref(),
            Ok("http://127.0.0.1:8080")
        );
        assert_eq!(
            parse_base_url(" https://cchc.example.gov.vn ").as_deref(),
            Ok("https://cchc.example.gov.vn")
        );
        for bad in [
            "127.0.0.1:8080",
            "ftp://host",
            "http://",
            "http://host/path",
            "http://a b",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }
}
