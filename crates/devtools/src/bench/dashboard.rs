//! `reform-dev bench dashboard`: the leader's dashboard query over HTTP under concurrent
//! clients, against the ceiling of this machine's HTTP stack — a bare axum handler
//! returning the same response bytes, serialised beforehand, to the same requests —
//! measured in the same run.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use reform_commands::CommandHandler;
use reform_domain::Role;
use reform_gateway::{claims, Keys, Options};
use serde_json::{json, Value};

use crate::generate::{generate, Shape};

/// What to measure.
#[derive(Clone, Debug)]
pub struct DashboardBench {
    /// The synthetic province (generation is not timed).
    pub shape: Shape,
    /// Concurrent clients, each sending its next request when the last is answered.
    pub clients: usize,
    /// How long each server is measured (after a one-second warm-up).
    pub duration: Duration,
    /// Tasks created per second during the third measurement (each one a new
    /// snapshot whose dashboard is computed afresh).
    pub writes_per_sec: u32,
}

/// One server under load.
#[derive(Clone, Debug)]
pub struct LoadFigures {
    /// What was measured.
    pub name: &'static str,
    /// Requests answered with 200 in the measured window.
    pub requests: usize,
    /// Requests that failed.
    pub failures: usize,
    /// Answered per second.
    pub per_sec: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th-percentile latency, ms.
    pub p99_ms: f64,
}

/// The run's figures.
#[derive(Clone, Debug)]
pub struct DashboardFigures {
    /// Tasks in the province.
    pub tasks: u64,
    /// Events in its log.
    pub events: u64,
    /// The GraphQL gateway.
    pub gateway: LoadFigures,
    /// The bare axum handler returning the same bytes: the ceiling.
    pub ceiling: LoadFigures,
    /// The gateway again, while tasks are being created.
    pub under_writes: LoadFigures,
    /// Tasks created during that measurement.
    pub written: usize,
}

/// The dashboard as a leader's app asks for it: pillar progress, the ten agencies
/// with most overdue tasks, and the totals.
pub const DASHBOARD: &str = r#"query Dashboard($program: ID!) {
  program(id: $program) {
    pillarProgress { pillar { code } percent counts { total overdue late } }
  }
  agencies(first: 10, orderBy: { field: OVERDUE_NOW, direction: DESC }) {
    nodes { name scorecard { overdueNow completedLate } }
  }
  tasks(first: 1) {
    totalCount
    counts { notStarted inProgress overdue early onTime late cancelled }
    averagePercent
  }
}"#;

/// The ceiling: the gateway's answer, serialised beforehand, returned as it is.
pub(crate) async fn ceiling_handler(State(answer): State<Bytes>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], answer)
}
/// Serves `router` on a free loopback port; returns its base URL and the server task.
pub(crate) async fn serve(router: Router) -> Result<(String, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding a loopback port")?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "bench server stopped");
        }
    });
    Ok((format!("http://{address}"), server))
}

/// Generates the province, starts both servers on loopback and loads each in turn.
pub async fn run_dashboard(bench: &DashboardBench) -> Result<DashboardFigures> {
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let url = format!("sqlite://{}", dir.path().join("province.db").display());
    let store = reform_store::open(&url).await?;
    let handler = CommandHandler::new(store.clone());
    let made = generate(&handler, &bench.shape)
        .await
        .context("generating the province")?;
    let events = store.head().await?;
    let tables = reform_projections::ReadDb::connect(&url).await?;
    reform_projections::rebuild(store.as_ref(), &tables).await?;

    let keys = Keys::from_secret(b"the dashboard bench's secret, long enough");
    let gateway_keys = keys.clone();
    let token = keys_token(&keys, Role::Leader)?;
    let (router, running) = reform_gateway::start(handler, Some(tables), keys, Options::default())
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let (gateway_url, gateway_server) = serve(router).await?;

    let http = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(bench.clients)
        .build()?;
    let program = provincial_program(&http, &gateway_url, &token).await?;
    let body = json!({ "query": DASHBOARD, "variables": { "program": program } }).to_string();
    // The gateway answers correctly before it is timed; its answer is what the
    // ceiling returns.
    let answer = http
        .post(format!("{gateway_url}/graphql"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await?
        .bytes()
        .await?;
    let first: Value = serde_json::from_slice(&answer)?;
    if first.get("errors").is_some() || first["data"]["tasks"]["totalCount"] != made.tasks {
        bail!("the dashboard query did not answer as expected: {first}");
    }
    let ceiling = Router::new()
        .route("/graphql", post(ceiling_handler))
        .with_state(answer);
    let (ceiling_url, ceiling_server) = serve(ceiling).await?;

    let gateway_request = {
        let (http, url, token, body) = (
            http.clone(),
            gateway_url.clone(),
            token.clone(),
            body.clone(),
        );
        move || {
            http.post(format!("{url}/graphql"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body.clone())
        }
    };
    // The same request, to the ceiling.
    let ceiling_request = {
        let (http, url, token, body) = (http.clone(), ceiling_url.clone(), token.clone(), body);
        move || {
            http.post(format!("{url}/graphql"))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(body.clone())
        }
    };
    let gateway = load(
        "GraphQL dashboard (reform serve)",
        bench,
        gateway_request.clone(),
    )
    .await;
    let ceiling = load(
        "bare axum, the same bytes (ceiling)",
        bench,
        ceiling_request,
    )
    .await;

    // The same dashboard while the secretariat creates tasks: every write is a new
    // snapshot, so the dashboard is recomputed that often.
    let secretariat = keys_token(&gateway_keys, Role::Secretariat)?;
    let writer = tokio::spawn(write_tasks(
        http.clone(),
        gateway_url.clone(),
        secretariat,
        bench.writes_per_sec,
        bench.duration + Duration::from_secs(1),
    ));
    let under_writes = load(
        "GraphQL dashboard, tasks being created",
        bench,
        gateway_request,
    )
    .await;
    let written = writer.await.unwrap_or(Ok(0))?;

    gateway_server.abort();
    ceiling_server.abort();
    running.stop().await;
    Ok(DashboardFigures {
        tasks: made.tasks,
        events,
        gateway,
        ceiling,
        under_writes,
        written,
    })
}

/// A token for `role`, signed with the gateway's keys, valid a day.
fn keys_token(keys: &Keys, role: Role) -> Result<String> {
    keys.issue(&claims(role, "bench", None, None, 1))
        .map_err(|e| anyhow::anyhow!(e.message()))
}

/// Creates `per_sec` tasks a second for `duration` through the API; returns how many.
async fn write_tasks(
    http: reqwest::Client,
    url: String,
    token: String,
    per_sec: u32,
    duration: Duration,
) -> Result<usize> {
    if per_sec == 0 {
        return Ok(0);
    }
    let graphql = |query: &str, variables: Value| {
        http.post(format!("{url}/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
    };
    let some: Value = graphql(
        r#"{ tasks(first: 1) { nodes { plan { id } } }
             agencies(first: 1, filter: { status: "ACTIVE", tier: DEPARTMENT }) { nodes { id } } }"#,
        json!({}),
    )
    .await?
    .json()
    .await?;
    let plan = some["data"]["tasks"]["nodes"][0]["plan"]["id"].clone();
    let lead = some["data"]["agencies"]["nodes"][0]["id"].clone();
    let mut tick = tokio::time::interval(Duration::from_secs(1) / per_sec);
    let until = Instant::now() + duration;
    let mut written = 0;
    while Instant::now() < until {
        tick.tick().await;
        let created: Value = graphql(
            "mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }",
            json!({ "input": {
                "planId": plan, "leadId": lead, "category": "ADMINISTRATIVE_PROCEDURES",
                "title": format!("Nhiệm vụ phát sinh {written}"), "deadline": "2030-12-31",
                "expectedOutput": "Báo cáo"
            }}),
        )
        .await?
        .json()
        .await?;
        if created.get("errors").is_some() {
            bail!("creating a task failed: {created}");
        }
        written += 1;
    }
    Ok(written)
}

/// The id of the province's program, asked of the gateway.
async fn provincial_program(http: &reqwest::Client, url: &str, token: &str) -> Result<String> {
    let programs: Value = http
        .post(format!("{url}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": "{ programs { id jurisdiction } }" }))
        .send()
        .await?
        .json()
        .await?;
    programs["data"]["programs"]
        .as_array()
        .and_then(|list| {
            list.iter()
                .find(|p| p["jurisdiction"] != reform_domain::NATIONAL)
        })
        .and_then(|p| p["id"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("no provincial program in {programs}"))
}

/// `bench.clients` clients, each sending a request as soon as its last is answered:
/// a one-second warm-up, then `bench.duration` measured.
async fn load<F>(name: &'static str, bench: &DashboardBench, request: F) -> LoadFigures
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + Sync + 'static,
{
    drive_figures(name, bench.clients, bench.duration, request).await
}

/// `clients` clients, each sending a request as soon as its last is answered: a
/// one-second warm-up, then `duration` measured.
pub(crate) async fn drive_figures<F>(
    name: &'static str,
    clients: usize,
    duration: Duration,
    request: F,
) -> LoadFigures
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + Sync + 'static,
{
    let _ = drive(clients, Duration::from_secs(1), request.clone()).await;
    let started = Instant::now();
    let (latencies, failures) = drive(clients, duration, request).await;
    LoadFigures::of(name, latencies, failures, started.elapsed().as_secs_f64())
}

impl LoadFigures {
    /// The figures of `latencies` answered and `failures` failed in `secs` seconds.
    pub(crate) fn of(
        name: &'static str,
        mut latencies: Vec<Duration>,
        failures: usize,
        secs: f64,
    ) -> LoadFigures {
        latencies.sort_unstable();
        let quantile = |q: f64| {
            let i = ((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1);
            latencies
                .get(i.min(latencies.len().saturating_sub(1)))
                .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
        };
        LoadFigures {
            name,
            requests: latencies.len(),
            failures,
            per_sec: latencies.len() as f64 / secs,
            p50_ms: quantile(0.50),
            p99_ms: quantile(0.99),
        }
    }
}

/// `clients` clients sending requests back to back for `duration`: every answered
/// request's latency, and how many failed.
async fn drive<F>(clients: usize, duration: Duration, request: F) -> (Vec<Duration>, usize)
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + Sync + 'static,
{
    let until = Instant::now() + duration;
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut failures = 0;
                while Instant::now() < until {
                    let sent = Instant::now();
                    let ok = match request().send().await {
                        Ok(response) if response.status().is_success() => {
                            response.bytes().await.is_ok()
                        }
                        _ => false,
                    };
                    if ok {
                        latencies.push(sent.elapsed());
                    } else {
                        failures += 1;
                    }
                }
                (latencies, failures)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut failures = 0;
    for worker in workers {
        if let Ok((latencies, failed)) = worker.await {
            all.extend(latencies);
            failures += failed;
        }
    }
    (all, failures)
}

/// The figures as a table, with the ratio and the targets.
pub fn render_dashboard(bench: &DashboardBench, f: &DashboardFigures) -> String {
    let mut out = format!(
        "dashboard benchmark: {} tasks ({} events) on SQLite, {} clients, {:.0} s per server\n\
         {:<36} {:>9} {:>8} {:>9} {:>8} {:>8}\n",
        f.tasks,
        f.events,
        bench.clients,
        bench.duration.as_secs_f64(),
        "server",
        "requests",
        "failed",
        "req/s",
        "p50 ms",
        "p99 ms"
    );
    for l in [&f.gateway, &f.ceiling, &f.under_writes] {
        out.push_str(&format!(
            "{:<36} {:>9} {:>8} {:>9.0} {:>8.2} {:>8.2}\n",
            l.name, l.requests, l.failures, l.per_sec, l.p50_ms, l.p99_ms
        ));
    }
    out.push_str(&format!(
        "throughput ratio (dashboard / ceiling): {:.2}x, while tasks are created {:.2}x   \
         targets: p99 <= 25 ms, ratio >= 0.3x\n\
         third row: {} tasks created through the API meanwhile ({}/s asked)\n",
        f.gateway.per_sec / f.ceiling.per_sec,
        f.under_writes.per_sec / f.ceiling.per_sec,
        f.written,
        bench.writes_per_sec
    ));
    out
}
