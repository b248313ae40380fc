//! `reform bench append`: the decide + append path under concurrent writers, against a
//! plain one-INSERT-per-row loop writing the same rows, in the same run.
//!
//! Each command is a real `CreateTask`: the handler loads the task, plan and agency
//! streams, the domain decides, the store appends with its concurrency check and
//! command-id record. The baseline then inserts exactly the rows those commands
//! stored, one autocommitted INSERT each, with as many writers, into a fresh database.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{NaiveDate, Utc};
use reform_domain::{
    AgencyId, AgencyTier, Command, Deadline, DocumentHeader, DocumentId, Period, Pillar,
    ProgramLevel, Role, TaskCategory, TaskId,
};
use reform_store::{Actor, CommandHandler, CommandMetadata, EventStore, RecordedEvent};

use crate::throwaway_pg;

/// Which databases to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// SQLite only.
    Sqlite,
    /// PostgreSQL only.
    Postgres,
    /// Both.
    Both,
}

/// What to run.
#[derive(Clone, Debug)]
pub struct AppendBench {
    /// Concurrent writers.
    pub writers: usize,
    /// Commands in all (split across writers).
    pub commands: usize,
    /// Databases to measure.
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on; a throwaway cluster when `None`.
    pub postgres_url: Option<String>,
}

/// One engine's figures.
#[derive(Clone, Debug)]
pub struct AppendFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Commands decided and appended per second.
    pub commands_per_sec: f64,
    /// Plain single-row INSERTs per second.
    pub inserts_per_sec: f64,
}

impl AppendFigures {
    /// Commands/s over plain inserts/s.
    pub fn ratio(&self) -> f64 {
        self.commands_per_sec / self.inserts_per_sec
    }
}

/// Runs the benchmark and returns the figures per engine.
pub async fn run_append(bench: &AppendBench) -> Result<Vec<AppendFigures>> {
    let mut figures = Vec::new();
    if matches!(bench.engine, Engine::Sqlite | Engine::Both) {
        let dir = tempfile::tempdir().context("creating a scratch directory")?;
        let url = |name: &str| format!("sqlite://{}", dir.path().join(name).display());
        figures.push(measure("SQLite", bench, &url("commands.db"), &url("plain.db")).await?);
    }
    if matches!(bench.engine, Engine::Postgres | Engine::Both) {
        let tag = uuid::Uuid::new_v4().simple().to_string();
        let (commands, plain) = match &bench.postgres_url {
            Some(server) => (
                throwaway_pg::create_database(server, &format!("reform_bench_{tag}_c")).await?,
                throwaway_pg::create_database(server, &format!("reform_bench_{tag}_p")).await?,
            ),
            None => (
                throwaway_pg::throwaway_database(&format!("reform_bench_{tag}_c")).await?,
                throwaway_pg::throwaway_database(&format!("reform_bench_{tag}_p")).await?,
            ),
        };
        figures.push(measure("PostgreSQL", bench, &commands, &plain).await?);
    }
    Ok(figures)
}

/// A scratch database for each engine asked for, as (engine, URL): SQLite files named
/// `file` in `dir`, PostgreSQL databases on `postgres_url` (a throwaway cluster when
/// `None`) with names ending in `tag`.
async fn scratch_databases(
    engine: Engine,
    postgres_url: Option<&str>,
    dir: &std::path::Path,
    file: &str,
    tag: &str,
) -> Result<Vec<(&'static str, String)>> {
    let mut databases = Vec::new();
    if matches!(engine, Engine::Sqlite | Engine::Both) {
        databases.push(("SQLite", format!("sqlite://{}", dir.join(file).display())));
    }
    if matches!(engine, Engine::Postgres | Engine::Both) {
        let name = format!("reform_bench_{}_{tag}", uuid::Uuid::new_v4().simple());
        let url = match postgres_url {
            Some(server) => throwaway_pg::create_database(server, &name).await?,
            None => throwaway_pg::throwaway_database(&name).await?,
        };
        databases.push(("PostgreSQL", url));
    }
    Ok(databases)
}

/// The figures as a table.
pub fn render(bench: &AppendBench, figures: &[AppendFigures]) -> String {
    let mut out = format!(
        "append benchmark: {} CreateTask commands, {} concurrent writers\n\
         {:<11} {:>14} {:>16} {:>7}\n",
        bench.commands, bench.writers, "engine", "commands/s", "plain inserts/s", "ratio"
    );
    for f in figures {
        out.push_str(&format!(
            "{:<11} {:>14.0} {:>16.0} {:>6.2}x\n",
            f.engine,
            f.commands_per_sec,
            f.inserts_per_sec,
            f.ratio()
        ));
    }
    out
}

async fn measure(
    engine: &'static str,
    bench: &AppendBench,
    commands_url: &str,
    plain_url: &str,
) -> Result<AppendFigures> {
    let store = reform_store::open(commands_url)
        .await
        .context("opening the commands database")?;
    let handler = CommandHandler::new(store.clone());
    let (plan, agencies) = setup(&handler).await?;
    let setup_head = store.head().await?;

    let per_writer = bench.commands.div_ceil(bench.writers.max(1));
    let started = Instant::now();
    let mut writers = Vec::new();
    for w in 0..bench.writers.max(1) {
        let handler = handler.clone();
        let agencies = agencies.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..per_writer {
                let command = create_task(plan, agencies[(w + i) % agencies.len()], w, i);
                handler.execute(command, metadata(), None).await?;
            }
            anyhow::Ok(())
        }));
    }
    for w in writers {
        w.await.context("a writer panicked")??;
    }
    let elapsed = started.elapsed();
    let commands_per_sec = (per_writer * bench.writers.max(1)) as f64 / elapsed.as_secs_f64();

    let rows = read_from(store.as_ref(), setup_head).await?;
    let inserts_per_sec = plain_inserts(plain_url, rows, bench.writers.max(1)).await?;
    Ok(AppendFigures {
        engine,
        commands_per_sec,
        inserts_per_sec,
    })
}

fn metadata() -> CommandMetadata {
    let actor = Actor {
        user_id: "bench".into(),
        display_name: "Benchmark".into(),
        role: Role::Secretariat,
        agency: None,
    };
    CommandMetadata::new(actor, Utc::now())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn create_task(plan: DocumentId, lead: AgencyId, writer: usize, i: usize) -> Command {
    Command::CreateTask {
        reference: None,
        task_id: TaskId::generate(),
        plan,
        parent_task: None,
        directive_point: None,
        category: TaskCategory::Pillar(Pillar::ALL[(writer + i) % Pillar::ALL.len()]),
        title: format!("Rà soát, đơn giản hóa thủ tục hành chính — đợt {writer}.{i}"),
        description: None,
        lead,
        coordinators: Vec::new(),
        deadline: Deadline::On(date(2025, 12, 31)),
        expected_output: "Báo cáo kết quả rà soát".into(),
        weight: None,
    }
}

/// A program, a plan and a few agencies to assign tasks to (not timed).
async fn setup(handler: &CommandHandler) -> Result<(DocumentId, Vec<AgencyId>)> {
    let agencies: Vec<AgencyId> = (0..4).map(|_| AgencyId::generate()).collect();
    for (i, agency) in agencies.iter().enumerate() {
        let command = Command::RegisterAgency {
            agency_id: *agency,
            name: format!("Sở thử nghiệm số {i}"),
            short_name: None,
            tier: AgencyTier::Department,
            block: None,
            jurisdiction: "VN-DN".into(),
            parent: None,
        };
        handler.execute(command, metadata(), None).await?;
    }
    let header = |number: &str| DocumentHeader {
        number: number.into(),
        title: "Văn bản thử nghiệm".into(),
        issued_on: date(2021, 7, 15),
        issuer: "UBND thành phố".into(),
        issuing_agency: None,
        signer: None,
    };
    let program = DocumentId::generate();
    let period = Period {
        from_year: 2021,
        to_year: 2025,
    };
    handler
        .execute(
            Command::IssueProgram {
                document_id: program,
                header: header("1/QĐ-UBND"),
                level: ProgramLevel::Provincial,
                jurisdiction: "VN-DN".into(),
                parent_program: None,
                period,
            },
            metadata(),
            None,
        )
        .await?;
    let plan = DocumentId::generate();
    handler
        .execute(
            Command::IssuePlan {
                document_id: plan,
                header: header("2/KH-UBND"),
                implements: program,
                issuing_agency: agencies[0],
                jurisdiction: "VN-DN".into(),
                period,
            },
            metadata(),
            None,
        )
        .await?;
    Ok((plan, agencies))
}

async fn read_from(store: &dyn EventStore, after: u64) -> Result<Vec<RecordedEvent>> {
    let mut rows = Vec::new();
    let mut after = after;
    loop {
        let page = store.read_all(after, 5_000).await?;
        let Some(last) = page.last() else {
            return Ok(rows);
        };
        after = last.position;
        rows.extend(page);
    }
}

/// Inserts `rows` into a fresh events table, one autocommitted INSERT per row, from
/// `writers` concurrent tasks. Returns rows per second.
async fn plain_inserts(url: &str, rows: Vec<RecordedEvent>, writers: usize) -> Result<f64> {
    // Migrate the scratch database by opening it as a store, then write around it.
    drop(
        reform_store::open(url)
            .await
            .context("preparing the baseline database")?,
    );
    // Each command's first event records how many events it wrote (the store's
    // idempotency record); the baseline stores the same value.
    // A command's events are consecutive in the log.
    let mut sized: Vec<(RecordedEvent, Option<i32>)> = Vec::with_capacity(rows.len());
    let mut first_of_command = 0;
    for row in rows {
        let same_command = sized
            .last()
            .is_some_and(|(r, _)| r.metadata.command_id == row.metadata.command_id);
        if same_command {
            if let Some((_, Some(size))) = sized.get_mut(first_of_command) {
                *size += 1;
            }
            sized.push((row, None));
        } else {
            first_of_command = sized.len();
            sized.push((row, Some(1)));
        }
    }
    let rows = Arc::new(sized);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    if url.starts_with("sqlite:") {
        let options = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()?
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(writers as u32)
            .connect_with(options)
            .await?;
        for _ in 0..writers {
            let (pool, rows, next) = (pool.clone(), rows.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                while let Some((r, size)) = rows.get(next.fetch_add(1, Ordering::Relaxed)) {
                    sqlite_insert(&pool, r, *size).await?;
                }
                anyhow::Ok(())
            }));
        }
    } else {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(writers as u32)
            .connect(url)
            .await?;
        for _ in 0..writers {
            let (pool, rows, next) = (pool.clone(), rows.clone(), next.clone());
            tasks.push(tokio::spawn(async move {
                while let Some((r, size)) = rows.get(next.fetch_add(1, Ordering::Relaxed)) {
                    pg_insert(&pool, r, *size).await?;
                }
                anyhow::Ok(())
            }));
        }
    }
    for t in tasks {
        t.await.context("an inserter panicked")??;
    }
    Ok(rows.len() as f64 / started.elapsed().as_secs_f64())
}

const INSERT: &str = "INSERT INTO events (position, event_id, stream_id, stream_version, event_type, \
     schema_version, payload, actor_id, actor_name, actor_role, actor_agency, occurred_at, recorded_at, \
     command_id, correlation_id, causation_id, reason, command_size) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";

async fn pg_insert(
    pool: &sqlx::PgPool,
    r: &RecordedEvent,
    command_size: Option<i32>,
) -> Result<()> {
    let m = &r.metadata;
    sqlx::query(INSERT)
        .bind(r.position as i64)
        .bind(r.event_id)
        .bind(r.stream_id.as_str())
        .bind(r.stream_version as i64)
        .bind(&r.event_type)
        .bind(r.schema_version as i32)
        .bind(&r.payload)
        .bind(&m.actor.user_id)
        .bind(&m.actor.display_name)
        .bind(m.actor.role.code())
        .bind(m.actor.agency.map(|a| a.0))
        .bind(m.occurred_at)
        .bind(m.recorded_at)
        .bind(m.command_id)
        .bind(m.correlation_id)
        .bind(m.causation_id)
        .bind(m.reason.as_deref())
        .bind(command_size)
        .execute(pool)
        .await?;
    Ok(())
}

async fn sqlite_insert(
    pool: &sqlx::SqlitePool,
    r: &RecordedEvent,
    command_size: Option<i32>,
) -> Result<()> {
    let m = &r.metadata;
    let time = |t: chrono::DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    sqlx::query(INSERT)
        .bind(r.position as i64)
        .bind(r.event_id.to_string())
        .bind(r.stream_id.as_str())
        .bind(r.stream_version as i64)
        .bind(&r.event_type)
        .bind(i64::from(r.schema_version))
        .bind(&r.payload)
        .bind(&m.actor.user_id)
        .bind(&m.actor.display_name)
        .bind(m.actor.role.code())
        .bind(m.actor.agency.map(|a| a.0.to_string()))
        .bind(time(m.occurred_at))
        .bind(time(m.recorded_at))
        .bind(m.command_id.to_string())
        .bind(m.correlation_id.to_string())
        .bind(m.causation_id.map(|c| c.to_string()))
        .bind(m.reason.as_deref())
        .bind(command_size)
        .execute(pool)
        .await?;
    Ok(())
}

/// What `reform bench rebuild` runs.
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

/// What `reform bench lag` runs.
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

/// `reform bench verify`: a generated log's hash chain checked end to end, against a
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
