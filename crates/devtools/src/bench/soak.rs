//! `reform-dev bench soak`: a real `reform serve` (the release binary beside
//! `reform-dev`) under a steady mixed load for a long while, its resident memory
//! sampled from `/proc` — what a province's server meets in a working day, compressed:
//! officers reporting over and over on a few busy tasks, the secretariat creating
//! tasks now and then, leaders reading the dashboard and the task list.
//!
//! The figure that matters is growth: resident memory at the end over resident memory
//! after the warm-up (the first tenth of the run). Memory that grows with the data the
//! server must hold (each new task is a row of the in-memory read-model) is expected;
//! memory that grows with the number of events on records it already holds is not.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use reform_domain::{AgencyId, Role};
use serde_json::{json, Value};

use super::served::{mib, reform_binary, uuid_of, Memory, ServedProcess};
use super::{scratch_databases, Engine};

/// What to run.
#[derive(Clone, Debug)]
pub struct SoakBench {
    /// How long the load lasts.
    pub duration: Duration,
    /// How often resident memory is sampled.
    pub sample_every: Duration,
    /// Requests per second asked for, in all (half reads, half writes).
    pub rate: u32,
    /// Concurrent clients sharing that rate.
    pub clients: usize,
    /// Databases to run on (one after the other).
    pub engine: Engine,
    /// A PostgreSQL server to create scratch databases on.
    pub postgres_url: Option<String>,
    /// The `reform` binary; the one beside `reform-dev` when `None`.
    pub reform: Option<std::path::PathBuf>,
    /// Whether one write in ten creates a task (else it is one more report): without,
    /// the server holds the same records all along, and only their events grow.
    pub new_tasks: bool,
}

/// One sample of the server's memory.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// Since the load started.
    pub at: Duration,
    /// Resident then.
    pub memory: Memory,
    /// Requests answered by then.
    pub requests: u64,
}

/// One engine's run.
#[derive(Clone, Debug)]
pub struct SoakFigures {
    /// "SQLite" or "PostgreSQL".
    pub engine: &'static str,
    /// Before the load (the demo loaded, the server idle).
    pub start: Memory,
    /// Every sample, in order; the last is taken after the load stopped.
    pub samples: Vec<Sample>,
    /// Requests answered without error.
    pub served: u64,
    /// Reads among them.
    pub reads: u64,
    /// Writes among them.
    pub writes: u64,
    /// Requests that failed (HTTP error or GraphQL `errors`).
    pub errors: u64,
    /// The first failure's answer, to say what went wrong.
    pub first_error: Option<String>,
    /// Events on the busiest task at the end (its version).
    pub busy_task_events: u64,
    /// Tasks created during the run.
    pub tasks_created: u64,
    /// How long the load lasted.
    pub elapsed: Duration,
}

impl SoakFigures {
    /// Resident memory after the warm-up: the last sample within the first tenth.
    pub fn after_warm_up(&self) -> Memory {
        self.at_fraction(0.1)
    }

    /// The last sample taken by `fraction` of the run (the start if none).
    pub fn at_fraction(&self, fraction: f64) -> Memory {
        let by = self.elapsed.mul_f64(fraction);
        self.samples
            .iter()
            .take_while(|s| s.at <= by + Duration::from_millis(1))
            .last()
            .map_or(self.start, |s| s.memory)
    }

    /// The end's resident memory.
    pub fn end(&self) -> Memory {
        self.samples.last().map_or(self.start, |s| s.memory)
    }

    /// End over after warm-up.
    pub fn growth(&self) -> f64 {
        self.end().rss_kib as f64 / self.after_warm_up().rss_kib.max(1) as f64
    }

    /// End over after warm-up, of the process's own memory (`RssAnon`).
    pub fn anon_growth(&self) -> f64 {
        self.end().anon_kib as f64 / self.after_warm_up().anon_kib.max(1) as f64
    }
}

/// What the clients work on, found through the API after the demo loaded.
struct Targets {
    /// Open tasks with their lead agency's officer token; the first is the busy one.
    tasks: Vec<(Value, String)>,
    /// A plan and a lead for new tasks.
    plan: Value,
    lead: Value,
    /// A provincial program for the dashboard.
    program: Value,
    secretariat: String,
    leader: String,
    new_tasks: bool,
}

/// Runs the soak on each engine asked for.
pub async fn run_soak(bench: &SoakBench) -> Result<Vec<SoakFigures>> {
    let binary = reform_binary(bench.reform.as_deref())?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let databases = scratch_databases(
        bench.engine,
        bench.postgres_url.as_deref(),
        dir.path(),
        "soak.db",
        "soak",
    )
    .await?;
    let mut figures = Vec::new();
    for (engine, url) in databases {
        let served = ServedProcess::start(&binary, &url, dir.path(), true).await?;
        let result = soak(engine, bench, &served).await;
        served.stop().await;
        figures.push(result?);
    }
    Ok(figures)
}

async fn targets(served: &ServedProcess, new_tasks: bool) -> Result<Targets> {
    let leader = served.token(Role::Leader, "soak-leader", None)?;
    let secretariat = served.token(Role::Secretariat, "soak-secretariat", None)?;
    let data = served
        .ok(
            &leader,
            r#"{ programs { id jurisdiction }
                 tasks(first: 100) { nodes { id status lead { id } plan { id } } } }"#,
            json!({}),
        )
        .await?;
    let program = data["programs"]
        .as_array()
        .and_then(|p| {
            p.iter()
                .find(|p| p["jurisdiction"] != reform_domain::NATIONAL)
        })
        .map(|p| p["id"].clone())
        .context("no provincial program in the demo")?;
    let open: Vec<&Value> = data["tasks"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["status"] == "NOT_STARTED" || t["status"] == "IN_PROGRESS")
        .collect();
    let first = open.first().context("no open task in the demo")?;
    let mut tasks = Vec::new();
    for task in &open {
        let agency = AgencyId(uuid_of(&task["lead"]["id"])?);
        let officer = served.token(Role::Officer, "soak-officer", Some(agency))?;
        tasks.push((task["id"].clone(), officer));
    }
    Ok(Targets {
        plan: first["plan"]["id"].clone(),
        lead: first["lead"]["id"].clone(),
        tasks,
        program,
        secretariat,
        leader,
        new_tasks,
    })
}

const REPORT: &str =
    "mutation($input: ReportProgressInput!) { reportProgress(input: $input) { version } }";
const CREATE: &str = "mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }";
const TASK_LIST: &str = r#"query($search: String) {
  tasks(first: 20, filter: { search: $search }) { totalCount nodes { title percent status deadline } } }"#;
const SEARCHES: [&str; 4] = ["cai cach", "ra soat", "ke hoach", "so"];
const TASK: &str = "query($id: ID!) { task(id: $id) { title percent version } }";

/// The `n`-th request of the mix (a cycle of 20): 10 reads — the dashboard, the task
/// list, one task — and 10 writes — nine progress reports (half of them on the busy
/// task) and one new task (a tenth report without `new_tasks`).
fn request(targets: &Targets, n: u64) -> (bool, &str, &'static str, Value) {
    let slot = n % 20;
    let pick = |k: u64| &targets.tasks[(k % targets.tasks.len() as u64) as usize];
    match slot {
        0..=3 => (
            false,
            &targets.leader,
            super::dashboard::DASHBOARD,
            json!({ "program": targets.program }),
        ),
        4..=7 => (
            false,
            &targets.leader,
            TASK_LIST,
            json!({ "search": SEARCHES[(n / 20 % 4) as usize] }),
        ),
        8..=9 => (
            false,
            &targets.leader,
            TASK,
            json!({ "id": pick(n / 20).0 }),
        ),
        10..=19 if slot < 19 || !targets.new_tasks => {
            let (task, officer) = if slot % 2 == 0 {
                &targets.tasks[0]
            } else {
                pick(n / 20 + slot)
            };
            (
                true,
                officer,
                REPORT,
                json!({ "input": { "taskId": task, "percent": n % 100,
                                   "note": format!("Báo cáo tiến độ lần {n}") } }),
            )
        }
        _ => (
            true,
            &targets.secretariat,
            CREATE,
            json!({ "input": {
                "planId": targets.plan, "leadId": targets.lead, "category": "ADMINISTRATIVE_PROCEDURES",
                "title": format!("Nhiệm vụ phát sinh {n}"), "deadline": "2030-12-31",
                "expectedOutput": "Báo cáo" } }),
        ),
    }
}

/// Shared counters of the clients.
#[derive(Default)]
struct Counters {
    next: AtomicU64,
    reads: AtomicU64,
    writes: AtomicU64,
    created: AtomicU64,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl Counters {
    fn served(&self) -> u64 {
        self.reads.load(Ordering::Relaxed) + self.writes.load(Ordering::Relaxed)
    }
}

async fn soak(
    engine: &'static str,
    bench: &SoakBench,
    served: &ServedProcess,
) -> Result<SoakFigures> {
    let targets = Arc::new(targets(served, bench.new_tasks).await?);
    let start = served.memory()?;
    let counters = Arc::new(Counters::default());
    let clients = bench.clients.max(1);
    let started = Instant::now();
    let until = started + bench.duration;
    // Each client sends its share of the rate on its own clock; a request slower than
    // its interval delays the next rather than piling up.
    let interval = Duration::from_secs_f64(clients as f64 / f64::from(bench.rate.max(1)));
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (targets, counters) = (targets.clone(), counters.clone());
            let (http, url) = (served.http.clone(), served.graphql.clone());
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(interval);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                while Instant::now() < until {
                    tick.tick().await;
                    let n = counters.next.fetch_add(1, Ordering::Relaxed);
                    let (write, token, query, variables) = request(&targets, n);
                    let answer = http
                        .post(&url)
                        .bearer_auth(token)
                        .json(&json!({ "query": query, "variables": variables }))
                        .send()
                        .await;
                    let failure = match answer {
                        Ok(response) => match response.json::<Value>().await {
                            Ok(body) if body.get("errors").is_none() => None,
                            Ok(body) => Some(body.to_string()),
                            Err(e) => Some(e.to_string()),
                        },
                        Err(e) => Some(e.to_string()),
                    };
                    match failure {
                        None if write => {
                            counters.writes.fetch_add(1, Ordering::Relaxed);
                            if query == CREATE {
                                counters.created.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        None => {
                            counters.reads.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(error) => {
                            counters.errors.fetch_add(1, Ordering::Relaxed);
                            let mut first = counters
                                .first_error
                                .lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner);
                            first.get_or_insert(error);
                        }
                    }
                }
            })
        })
        .collect();

    let mut samples = Vec::new();
    let mut sampler = tokio::time::interval(bench.sample_every);
    sampler.tick().await;
    let mut tenth = 1;
    loop {
        sampler.tick().await;
        let at = started.elapsed();
        if at >= bench.duration {
            break;
        }
        samples.push(Sample {
            at,
            memory: served.memory()?,
            requests: counters.served(),
        });
        // A line now and then, so a long run shows it is alive.
        if at >= bench.duration.mul_f64(f64::from(tenth) / 10.0) {
            tenth += 1;
            eprintln!(
                "{engine}: {:>5.0} s, RSS {:.1} MiB (anon {:.1}), {} requests, {} errors",
                at.as_secs_f64(),
                mib(samples.last().map_or(0, |s| s.memory.rss_kib)),
                mib(samples.last().map_or(0, |s| s.memory.anon_kib)),
                counters.served(),
                counters.errors.load(Ordering::Relaxed)
            );
        }
    }
    for worker in workers {
        worker.await.context("a client panicked")?;
    }
    let elapsed = started.elapsed();
    samples.push(Sample {
        at: elapsed,
        memory: served.memory()?,
        requests: counters.served(),
    });
    let busy = served
        .ok(&targets.leader, TASK, json!({ "id": targets.tasks[0].0 }))
        .await?;
    let first_error = counters
        .first_error
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    Ok(SoakFigures {
        engine,
        start,
        samples,
        served: counters.served(),
        reads: counters.reads.load(Ordering::Relaxed),
        writes: counters.writes.load(Ordering::Relaxed),
        errors: counters.errors.load(Ordering::Relaxed),
        first_error,
        busy_task_events: busy["task"]["version"].as_u64().unwrap_or(0),
        tasks_created: counters.created.load(Ordering::Relaxed),
        elapsed,
    })
}

/// The figures: RSS at the start, at each tenth of the run and at the end, the growth
/// ratio, requests served and errors.
pub fn render_soak(bench: &SoakBench, figures: &[SoakFigures]) -> String {
    let mut out = format!(
        "soak benchmark: reform serve (the demo loaded), {:.1} min at {} requests/s asked from {} clients \
         (half reads: dashboard, task list, a task; half writes: progress reports, half on one busy task, \
         {}); RSS every {} s\n",
        bench.duration.as_secs_f64() / 60.0,
        bench.rate,
        bench.clients,
        if bench.new_tasks {
            "and a new task in every 20 requests"
        } else {
            "no new tasks"
        },
        bench.sample_every.as_secs()
    );
    for f in figures {
        out.push_str(&format!(
            "\n{}\n{:<16} {:>9} {:>9} {:>9} {:>10}\n{:<16} {:>9.1} {:>9.1} {:>9.1} {:>10}\n",
            f.engine,
            "when",
            "RSS MiB",
            "anon",
            "file",
            "requests",
            "start (idle)",
            mib(f.start.rss_kib),
            mib(f.start.anon_kib),
            mib(f.start.file_kib),
            0
        ));
        for tenth in 1..=10 {
            let by = f.elapsed.mul_f64(f64::from(tenth) / 10.0);
            let sample = f
                .samples
                .iter()
                .take_while(|s| s.at <= by + Duration::from_millis(1))
                .last();
            if let Some(s) = sample {
                out.push_str(&format!(
                    "{:<16} {:>9.1} {:>9.1} {:>9.1} {:>10}\n",
                    format!("{tenth}/10 ({:.0} s)", s.at.as_secs_f64()),
                    mib(s.memory.rss_kib),
                    mib(s.memory.anon_kib),
                    mib(s.memory.file_kib),
                    s.requests
                ));
            }
        }
        out.push_str(&format!(
            "{:<16} {:>9.1} {:>9.1} {:>9.1} {:>10}\n",
            "end",
            mib(f.end().rss_kib),
            mib(f.end().anon_kib),
            mib(f.end().file_kib),
            f.served
        ));
        out.push_str(&format!(
            "served {} requests in {:.0} s ({:.1}/s): {} reads, {} writes ({} new tasks; the busy task has {} events); errors: {}\n\
             RSS after warm-up (1/10) {:.1} MiB, end {:.1} MiB, peak (VmHWM) {:.1} MiB; growth end / after warm-up: {:.2}x\n\
             of which the process's own (RssAnon) after warm-up {:.1} MiB, end {:.1} MiB: {:.2}x\n",
            f.served,
            f.elapsed.as_secs_f64(),
            f.served as f64 / f.elapsed.as_secs_f64(),
            f.reads,
            f.writes,
            f.tasks_created,
            f.busy_task_events,
            f.errors,
            mib(f.after_warm_up().rss_kib),
            mib(f.end().rss_kib),
            mib(f.end().peak_kib),
            f.growth(),
            mib(f.after_warm_up().anon_kib),
            mib(f.end().anon_kib),
            f.anon_growth()
        ));
        if let Some(error) = &f.first_error {
            let cut: String = error.chars().take(300).collect();
            out.push_str(&format!("first error: {cut}\n"));
        }
    }
    out
}
