//! `reform-dev bench national`: the whole country (the national generator's shape),
//! loaded into a throwaway PostgreSQL and served by several release `reform serve`
//! processes on that one database, measured while the country writes through them:
//! each gateway's dashboard throughput and latency against the HTTP stack's ceiling, a
//! write's time to be visible on every gateway, memory, start time, rebuild on both
//! engines and one province's time travel — figures and ratios against the targets of
//! issue 19, never asserted.
//!
//! Generating the country takes long, so the generated SQLite file is kept between runs
//! (`--cache-dir`, one file per shape and seed) and copied into PostgreSQL row by row
//! with `COPY` (hashes and positions as generated).

mod country;
mod load;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::routing::post;
use axum::Router;
use reform_domain::Role;
use serde_json::{json, Value};

use self::country::{copy_log, country, rebuild};
use self::load::{measure_under_writes, open_tasks, Acks, Seen};
use super::dashboard::{ceiling_handler, drive_figures, serve, LoadFigures, DASHBOARD};
use super::served::{mib, reform_binary, ServedProcess};
use crate::national::NationalShape;
use crate::throwaway_pg;

/// What to measure.
#[derive(Clone, Debug)]
pub struct NationalBench {
    /// The country to generate (or take from the cache).
    pub shape: NationalShape,
    /// `reform serve` processes on the one database.
    pub gateways: usize,
    /// Dashboard clients in all, split evenly over the gateways.
    pub clients: usize,
    /// How long the load is measured (after a two-second warm-up).
    pub duration: Duration,
    /// Commands per second written through the gateways meanwhile.
    pub writes_per_sec: u32,
    /// The province whose time travel is timed.
    pub province: String,
    /// Where generated countries are kept between runs.
    pub cache_dir: PathBuf,
    /// A PostgreSQL server to create the database on (default: a throwaway cluster).
    pub postgres_url: Option<String>,
    /// The `reform` binary (default: the one beside reform-dev).
    pub reform: Option<PathBuf>,
}

/// One gateway's figures.
#[derive(Clone, Debug)]
pub struct GatewayFigures {
    /// From spawning the process to `/readyz` answering 200, seconds.
    pub start_secs: f64,
    /// Its dashboard under the load.
    pub dashboard: LoadFigures,
    /// Write-to-visible latencies of the new tasks on it, ms, sorted.
    pub visible_ms: Vec<f64>,
    /// New tasks acknowledged that no dashboard of this gateway showed before the end.
    pub never_seen: usize,
    /// Resident memory at the end, KiB.
    pub rss_kib: u64,
    /// The most it was resident, KiB.
    pub peak_kib: u64,
}

/// What the country wrote during the measurement.
#[derive(Clone, Debug, Default)]
pub struct WriteFigures {
    /// Progress reports acknowledged.
    pub reports: u64,
    /// Tasks created.
    pub creates: u64,
    /// Tasks completed.
    pub completions: u64,
    /// Writes refused or failed.
    pub failed: u64,
    /// Ticks with no open task free to write to (every one had a write in flight).
    pub not_sent: u64,
    /// Acknowledged per second.
    pub per_sec: f64,
}

/// The run's figures.
#[derive(Clone, Debug)]
pub struct NationalFigures {
    /// Tasks in the country.
    pub tasks: u64,
    /// Events in its log.
    pub events: u64,
    /// Generating it, seconds (`None`: taken from the cache).
    pub generated_secs: Option<f64>,
    /// Copying the log into PostgreSQL, seconds.
    pub load_secs: f64,
    /// Rebuild of the read-model tables, per engine: (engine, events/s).
    pub rebuild: Vec<(&'static str, f64)>,
    /// Time travel over GraphQL: (what, seconds).
    pub time_travel: Vec<(String, f64)>,
    /// The bare axum handler returning the dashboard's bytes, all clients on it.
    pub ceiling: LoadFigures,
    /// Each gateway.
    pub gateways: Vec<GatewayFigures>,
    /// The writes.
    pub writes: WriteFigures,
    /// `/proc/loadavg` before the generation/loading, before the load, after it.
    pub load_average: [String; 3],
}

/// The machine's load average as the kernel says it (1, 5, 15 minutes).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Starts a gateway and waits for `/readyz` to answer 200; with its start time.
async fn start_gateway(binary: &Path, url: &str, dir: &Path) -> Result<(ServedProcess, f64)> {
    std::fs::create_dir_all(dir)?;
    let started = Instant::now();
    // The clients share one leader's token and send back to back: the per-caller rate
    // limit (100/s) would be what is measured.
    let served = ServedProcess::start_with(
        binary,
        url,
        dir,
        false,
        &[("REFORM_RATE_LIMIT_PER_SECOND", "0")],
    )
    .await?;
    let ready = served.graphql.replace("/graphql", "/readyz");
    loop {
        if let Ok(answer) = served.http.get(&ready).send().await {
            if answer.status().is_success() {
                break;
            }
        }
        if started.elapsed() > Duration::from_secs(600) {
            bail!("the gateway was not ready within ten minutes (see serve.log)");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok((served, started.elapsed().as_secs_f64()))
}

/// Runs the whole benchmark: see the module's notes.
pub async fn run_national(bench: &NationalBench) -> Result<NationalFigures> {
    let binary = reform_binary(bench.reform.as_deref())?;
    let load_before = load_average();
    let (sqlite_url, generated_secs) = country(bench).await?;
    let events = reform_store::open(&sqlite_url).await?.head().await?;
    println!("{events} events; rebuilding on SQLite …");
    let mut rebuilt = vec![("SQLite", rebuild(&sqlite_url).await?)];

    let name = format!("reform_bench_{}_national", uuid::Uuid::new_v4().simple());
    let pg_url = match &bench.postgres_url {
        Some(server) => throwaway_pg::create_database(server, &name).await?,
        None => throwaway_pg::throwaway_database(&name).await?,
    };
    println!("copying the log into PostgreSQL …");
    let started = Instant::now();
    let copied = copy_log(&sqlite_url, &pg_url).await?;
    let load_secs = started.elapsed().as_secs_f64();
    println!("{copied} events copied in {load_secs:.0} s; rebuilding on PostgreSQL …");
    rebuilt.push(("PostgreSQL", rebuild(&pg_url).await?));

    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    let mut gateways = Vec::new();
    for i in 0..bench.gateways.max(1) {
        let (served, secs) =
            start_gateway(&binary, &pg_url, &scratch.path().join(format!("g{i}"))).await?;
        println!("gateway {i} ready in {secs:.1} s");
        gateways.push((served, secs));
    }
    let first = &gateways[0].0;
    let leader = first.token(Role::Leader, "bench-leader", None)?;
    let programs = first
        .ok(&leader, "{ programs { id jurisdiction } }", json!({}))
        .await?;
    let program = programs["programs"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|p| p["jurisdiction"] == reform_domain::NATIONAL)
        })
        .map(|p| p["id"].clone())
        .with_context(|| format!("no national program in {programs}"))?;

    let time_travel = time_travel(first, &program, &bench.province).await?;

    let body = json!({ "query": DASHBOARD, "variables": { "program": program } }).to_string();
    let answer = first
        .http
        .post(&first.graphql)
        .bearer_auth(&leader)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await?
        .bytes()
        .await?;
    let parsed: Value = serde_json::from_slice(&answer)?;
    let Some(tasks) = parsed["data"]["tasks"]["totalCount"].as_u64() else {
        bail!("the dashboard did not answer: {parsed}");
    };
    let (ceiling_url, ceiling_server) = serve(
        Router::new()
            .route("/graphql", post(ceiling_handler))
            .with_state(answer),
    )
    .await?;
    let ceiling = {
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(bench.clients)
            .build()?;
        let (url, token, body) = (
            format!("{ceiling_url}/graphql"),
            leader.clone(),
            body.clone(),
        );
        drive_figures(
            "bare axum, the same bytes (ceiling)",
            bench.clients,
            bench.duration,
            move || {
                http.post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.clone())
            },
        )
        .await
    };
    ceiling_server.abort();

    let pool = open_tasks(first).await?;
    let load_during = load_average();
    let served: Vec<&ServedProcess> = gateways.iter().map(|(s, _)| s).collect();
    let (dashboards, seen, acks, writes) =
        measure_under_writes(bench, &served, &leader, &body, pool, tasks).await?;
    let load_after = load_average();

    let mut figures = Vec::new();
    for (g, ((served, start_secs), dashboard)) in gateways.iter().zip(dashboards).enumerate() {
        let (visible_ms, never_seen) = visibility(&seen, &acks, g);
        let memory = served.memory()?;
        figures.push(GatewayFigures {
            start_secs: *start_secs,
            dashboard,
            visible_ms,
            never_seen,
            rss_kib: memory.rss_kib,
            peak_kib: memory.peak_kib,
        });
    }
    for (served, _) in gateways {
        served.stop().await;
    }
    Ok(NationalFigures {
        tasks,
        events,
        generated_secs,
        load_secs,
        rebuild: rebuilt,
        time_travel,
        ceiling,
        gateways: figures,
        writes,
        load_average: [load_before, load_during, load_after],
    })
}

/// One province's pillar progress at three past instants, asked by its leader (each a
/// fold of its own: the kept folds are by instant), then the whole country's at one,
/// asked by a national leader: wall time of each GraphQL answer.
async fn time_travel(
    served: &ServedProcess,
    program: &Value,
    province: &str,
) -> Result<Vec<(String, f64)>> {
    let query = "query($program: ID!, $at: DateTime!) { program(id: $program) { \
                 pillarProgress(asOf: $at) { percent counts { total } } } }";
    let provincial = served
        .keys()
        .issue(&reform_gateway::claims(
            Role::Leader,
            "bench-provincial-leader",
            None,
            Some(province.to_owned()),
            1,
        ))
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let national = served.token(Role::Leader, "bench-leader", None)?;
    let mut timings = Vec::new();
    for (who, token, at) in [
        (province, &provincial, "2023-06-30T23:59:59Z"),
        (province, &provincial, "2025-06-30T23:59:59Z"),
        (province, &provincial, "2025-12-31T23:59:59Z"),
        ("the whole country", &national, "2025-06-30T23:59:59Z"),
    ] {
        let started = Instant::now();
        let answer = served
            .post(token, query, json!({ "program": program, "at": at }))
            .await?;
        let secs = started.elapsed().as_secs_f64();
        if answer.get("errors").is_some() {
            bail!("time travel of {who} refused: {answer}");
        }
        timings.push((format!("{who} as of {}", &at[..10]), secs));
    }
    Ok(timings)
}

/// For gateway `g`: each new task's time from its acknowledgement to the answer of the
/// first dashboard asked after it on `g` whose count includes it (ms, sorted), and how
/// many no dashboard of `g` showed before the end.
fn visibility(seen: &[Seen], acks: &Acks, g: usize) -> (Vec<f64>, usize) {
    let mut mine: Vec<&Seen> = seen.iter().filter(|s| s.gateway == g).collect();
    mine.sort_by_key(|s| s.asked);
    let mut latencies = Vec::new();
    let mut never = 0;
    for &(acked, needed) in acks {
        let first = mine.partition_point(|s| s.asked < acked);
        match mine[first..].iter().find(|s| s.tasks >= needed) {
            Some(s) => latencies.push((s.answered - acked).as_secs_f64() * 1000.0),
            None => never += 1,
        }
    }
    latencies.sort_by(f64::total_cmp);
    (latencies, never)
}

/// The `q` quantile of sorted values (NaN when empty).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1);
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

/// The figures as tables, each against its target.
pub fn render_national(bench: &NationalBench, f: &NationalFigures) -> String {
    let s = &bench.shape;
    let mut out = format!(
        "national benchmark: {} tasks, {} events (departments {}, communes {}, tasks per agency {}, seed {})\n\
         generation: {}; copy into PostgreSQL: {:.0} s\n\
         load average (1/5/15 min): before {}, at the load {}, after {}\n\n",
        f.tasks,
        f.events,
        s.departments,
        s.communes,
        s.tasks_per_agency,
        s.seed,
        f.generated_secs
            .map_or("taken from the cache".into(), |t| format!("{t:.0} s")),
        f.load_secs,
        f.load_average[0],
        f.load_average[1],
        f.load_average[2],
    );
    let per = (bench.clients / f.gateways.len().max(1)).max(1);
    out.push_str(&format!(
        "{} gateways on one PostgreSQL database, {} dashboard clients each ({} in all), \
         {:.0} s measured, {} writes/s asked: {:.1}/s acknowledged ({} reports, {} new tasks, \
         {} completions, {} failed, {} not sent: no open task free)\n\n",
        f.gateways.len(),
        per,
        per * f.gateways.len(),
        bench.duration.as_secs_f64(),
        bench.writes_per_sec,
        f.writes.per_sec,
        f.writes.reports,
        f.writes.creates,
        f.writes.completions,
        f.writes.failed,
        f.writes.not_sent
    ));
    out.push_str(&format!(
        "{:<34} {:>9} {:>7} {:>8} {:>8} {:>8} {:>8} {:>10} {:>10} {:>9} {:>8}\n",
        "server",
        "requests",
        "failed",
        "req/s",
        "p50 ms",
        "p99 ms",
        "ceiling×",
        "visible p50",
        "visible p99",
        "RSS MiB",
        "start s"
    ));
    for (g, gw) in f.gateways.iter().enumerate() {
        let l = &gw.dashboard;
        out.push_str(&format!(
            "{:<34} {:>9} {:>7} {:>8.0} {:>8.2} {:>8.2} {:>8.2} {:>10.1} {:>10.1} {:>9.0} {:>8.1}\n",
            format!("gateway {g} (reform serve)"),
            l.requests,
            l.failures,
            l.per_sec,
            l.p50_ms,
            l.p99_ms,
            l.per_sec / f.ceiling.per_sec,
            quantile(&gw.visible_ms, 0.5),
            quantile(&gw.visible_ms, 0.99),
            mib(gw.rss_kib),
            gw.start_secs
        ));
    }
    let all: f64 = f.gateways.iter().map(|g| g.dashboard.per_sec).sum();
    out.push_str(&format!(
        "{:<34} {:>9} {:>7} {:>8.0} {:>8.2} {:>8.2}\n",
        f.ceiling.name,
        f.ceiling.requests,
        f.ceiling.failures,
        f.ceiling.per_sec,
        f.ceiling.p50_ms,
        f.ceiling.p99_ms
    ));
    out.push_str(&format!(
        "gateways together: {all:.0} req/s = {:.2}× the ceiling ({} clients on it alone)\n\n",
        all / f.ceiling.per_sec,
        bench.clients
    ));
    let worst = |pick: &dyn Fn(&GatewayFigures) -> f64| {
        f.gateways.iter().map(pick).fold(f64::NAN, f64::max)
    };
    let mut rows: Vec<(String, String, String, bool)> = vec![
        (
            "dashboard p99 (worst gateway)".into(),
            format!("{:.1} ms", worst(&|g| g.dashboard.p99_ms)),
            "≤ 25 ms".into(),
            worst(&|g| g.dashboard.p99_ms) <= 25.0,
        ),
        (
            "throughput, gateways together / ceiling".into(),
            format!("{:.2}×", all / f.ceiling.per_sec),
            "≥ 0.3×".into(),
            all / f.ceiling.per_sec >= 0.3,
        ),
        (
            "write to visible p99 (worst gateway)".into(),
            format!("{:.1} ms", worst(&|g| quantile(&g.visible_ms, 0.99))),
            "≤ 100 ms".into(),
            worst(&|g| quantile(&g.visible_ms, 0.99)) <= 100.0,
        ),
        (
            "RSS per gateway (largest; peak)".into(),
            format!(
                "{:.0} MiB; {:.0} MiB",
                worst(&|g| mib(g.rss_kib)),
                worst(&|g| mib(g.peak_kib))
            ),
            "≤ 2 GB".into(),
            worst(&|g| mib(g.peak_kib)) <= 2048.0,
        ),
        (
            "start from the tables to ready (slowest)".into(),
            format!("{:.1} s", worst(&|g| g.start_secs)),
            "≤ 10 s".into(),
            worst(&|g| g.start_secs) <= 10.0,
        ),
    ];
    for (engine, per_sec) in &f.rebuild {
        rows.push((
            format!("rebuild, {engine}"),
            format!("{per_sec:.0} events/s"),
            "≥ 250,000 events/s".into(),
            *per_sec >= 250_000.0,
        ));
    }
    for (what, secs) in &f.time_travel {
        let province = !what.starts_with("the whole country");
        rows.push((
            format!("time travel, {what}"),
            format!("{secs:.2} s"),
            if province { "≤ 1 s" } else { "(no target)" }.into(),
            !province || *secs <= 1.0,
        ));
    }
    out.push_str(&format!(
        "{:<48} {:>24} {:>22}  met\n",
        "figure", "measured", "target"
    ));
    for (what, measured, target, met) in rows {
        out.push_str(&format!(
            "{what:<48} {measured:>24} {target:>22}  {}\n",
            if met { "yes" } else { "NO" }
        ));
    }
    let never: Vec<String> = f
        .gateways
        .iter()
        .map(|g| g.never_seen.to_string())
        .collect();
    out.push_str(&format!(
        "new tasks never seen on a dashboard before the end, per gateway: {}\n",
        never.join(", ")
    ));
    out
}
