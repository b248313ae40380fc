//! The load: the country writing through the gateways while every gateway's
//! dashboard is asked for back to back, each answer kept with its task count.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use chrono::{Datelike, Utc};
use reform_domain::Role;
use serde_json::{json, Value};

use super::{NationalBench, WriteFigures};
use crate::bench::dashboard::LoadFigures;
use crate::bench::served::{uuid_of, ServedProcess};

/// A task written to during the load.
#[derive(Clone, Debug)]
pub(super) struct OpenTask {
    id: Value,
    plan: Value,
    lead: Value,
    plan_year: Option<i64>,
    officer: String,
    percent: u8,
}

/// A dashboard answer as a client saw it: on which gateway, when asked and answered
/// (since the load began), and the country's task count in it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seen {
    pub(super) gateway: usize,
    pub(super) asked: Duration,
    pub(super) answered: Duration,
    pub(super) tasks: u64,
}

/// Open tasks across the country to write to, each with its lead's officer's token.
pub(super) async fn open_tasks(served: &ServedProcess) -> Result<Vec<OpenTask>> {
    let secretariat = served.token(Role::Secretariat, "bench-secretariat", None)?;
    let data = served
        .ok(
            &secretariat,
            "{ going: tasks(first: 600, filter: { status: IN_PROGRESS }) { nodes { \
               id percent lead { id } plan { id fromYear } } } \
               waiting: tasks(first: 600, filter: { status: NOT_STARTED }) { nodes { \
               id percent lead { id } plan { id fromYear } } } }",
            json!({}),
        )
        .await?;
    let mut pool = Vec::new();
    let nodes = ["going", "waiting"]
        .into_iter()
        .flat_map(|list| data[list]["nodes"].as_array().cloned().unwrap_or_default());
    for node in nodes {
        let lead = node["lead"]["id"].clone();
        let agency = reform_domain::AgencyId(uuid_of(&lead)?);
        pool.push(OpenTask {
            id: node["id"].clone(),
            plan: node["plan"]["id"].clone(),
            plan_year: node["plan"]["fromYear"].as_i64(),
            lead,
            officer: served.token(Role::Officer, "bench-officer", Some(agency))?,
            percent: node["percent"].as_f64().unwrap_or(0.0).clamp(0.0, 98.0) as u8,
        });
    }
    if pool.len() < 50 {
        bail!("only {} open tasks to write to", pool.len());
    }
    Ok(pool)
}

/// What was written and when it was acknowledged: new tasks only, each with the
/// number of new tasks acknowledged by then (the dashboard's count must reach the
/// count before the load plus that).
pub(super) type Acks = Vec<(Duration, u64)>;

/// The dashboard on every gateway (`bench.clients` split over them) while the country
/// writes `bench.writes_per_sec` commands a second through them in turn.
pub(super) async fn measure_under_writes(
    bench: &NationalBench,
    gateways: &[&ServedProcess],
    leader: &str,
    body: &str,
    pool: Vec<OpenTask>,
    tasks_before: u64,
) -> Result<(Vec<LoadFigures>, Vec<Seen>, Acks, WriteFigures)> {
    let warm_up = Duration::from_secs(2);
    let began = Instant::now();
    let measured_from = began + warm_up;
    let until = measured_from + bench.duration;
    let seen = Arc::new(Mutex::new(Vec::<Seen>::new()));
    let per_gateway = (bench.clients / gateways.len()).max(1);
    let mut readers = Vec::new();
    for (g, served) in gateways.iter().enumerate() {
        let http = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(per_gateway)
            .build()?;
        for _ in 0..per_gateway {
            let (http, url, token, body, seen) = (
                http.clone(),
                served.graphql.clone(),
                leader.to_owned(),
                body.to_owned(),
                seen.clone(),
            );
            readers.push(tokio::spawn(async move {
                let (mut latencies, mut failures) = (Vec::new(), 0usize);
                while Instant::now() < until {
                    let asked = Instant::now();
                    let answer = http
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    let count = match answer {
                        Ok(a) if a.status().is_success() => a
                            .json::<Value>()
                            .await
                            .ok()
                            .and_then(|v| v["data"]["tasks"]["totalCount"].as_u64()),
                        _ => None,
                    };
                    let answered = Instant::now();
                    match count {
                        Some(tasks) => {
                            if asked >= measured_from {
                                latencies.push(answered - asked);
                            }
                            seen.lock()
                                .unwrap_or_else(std::sync::PoisonError::into_inner)
                                .push(Seen {
                                    gateway: g,
                                    asked: asked - began,
                                    answered: answered - began,
                                    tasks,
                                });
                        }
                        None if asked >= measured_from => failures += 1,
                        None => {}
                    }
                }
                (g, latencies, failures)
            }));
        }
    }

    let writes = write_country(bench, gateways, pool, began, until).await?;
    let mut latencies = vec![Vec::new(); gateways.len()];
    let mut failures = vec![0; gateways.len()];
    for reader in readers {
        let (g, l, f) = reader.await?;
        latencies[g].extend(l);
        failures[g] += f;
    }
    let secs = bench.duration.as_secs_f64();
    let loads = latencies
        .into_iter()
        .zip(failures)
        .map(|(l, f)| LoadFigures::of("GraphQL dashboard (reform serve)", l, f, secs))
        .collect();
    let seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()));
    let (acks, figures) = writes;
    let acks = acks
        .into_iter()
        .map(|(at, n)| (at, tasks_before + n))
        .collect();
    Ok((loads, seen, acks, figures))
}

/// The country's writes: `writes_per_sec` a second until `until`, each through the
/// next gateway in turn — seven in ten a progress report on an open task, two a new
/// task in one of those tasks' plans, one a completion.
async fn write_country(
    bench: &NationalBench,
    gateways: &[&ServedProcess],
    pool: Vec<OpenTask>,
    began: Instant,
    until: Instant,
) -> Result<(Vec<(Duration, u64)>, WriteFigures)> {
    let secretariat = gateways[0].token(Role::Secretariat, "bench-secretariat", None)?;
    let this_year = Utc::now().year();
    // New tasks go into this year's plans (a merged province's plans take none).
    let mut plans: Vec<(Value, Value)> = pool
        .iter()
        .filter(|t| t.plan_year == Some(i64::from(this_year)))
        .map(|t| (t.plan.clone(), t.lead.clone()))
        .collect();
    if plans.is_empty() {
        let latest = pool.iter().filter_map(|t| t.plan_year).max();
        plans = pool
            .iter()
            .filter(|t| t.plan_year == latest)
            .map(|t| (t.plan.clone(), t.lead.clone()))
            .collect();
    }
    let plans = Arc::new(plans);
    let pool = Arc::new(Mutex::new(VecDeque::from(pool)));
    let created = Arc::new(AtomicU64::new(0));
    let acks = Arc::new(Mutex::new(Vec::new()));
    let counts = Arc::new(Mutex::new(WriteFigures::default()));
    let in_flight = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tick = tokio::time::interval(Duration::from_secs(1) / bench.writes_per_sec.max(1));
    let mut n = 0u64;
    let mut running = Vec::new();
    while Instant::now() < until {
        tick.tick().await;
        let Ok(permit) = in_flight.clone().acquire_owned().await else {
            break;
        };
        let Some(mut task) = pool
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop_front()
        else {
            // Every open task has a write in flight: this tick's write is not sent.
            counts.lock().unwrap_or_else(|e| e.into_inner()).not_sent += 1;
            continue;
        };
        let served = gateways[(n as usize) % gateways.len()];
        let kind = n % 10;
        n += 1;
        let (http, url) = (served.http.clone(), served.graphql.clone());
        let (plan, lead) = plans[(n as usize / 10) % plans.len()].clone();
        let (pool, created, acks, counts, secretariat) = (
            pool.clone(),
            created.clone(),
            acks.clone(),
            counts.clone(),
            secretariat.clone(),
        );
        running.push(tokio::spawn(async move {
            let _permit = permit;
            let (token, query, input) = match kind {
                0 => (
                    task.officer.clone(),
                    "mutation($input: CompleteTaskInput!) { completeTask(input: $input) { version } }",
                    json!({ "taskId": task.id, "output": "Báo cáo kết quả" }),
                ),
                1 | 2 => (
                    secretariat,
                    "mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }",
                    json!({ "planId": plan, "leadId": lead,
                            "category": "ADMINISTRATIVE_PROCEDURES",
                            "title": format!("Nhiệm vụ phát sinh năm {this_year}"),
                            "deadline": format!("{this_year}-12-31"),
                            "expectedOutput": "Báo cáo" }),
                ),
                _ => {
                    task.percent = (task.percent + 1).min(99);
                    (
                        task.officer.clone(),
                        "mutation($input: ReportProgressInput!) { reportProgress(input: $input) { version } }",
                        json!({ "taskId": task.id, "percent": task.percent,
                                "note": "Báo cáo tiến độ tháng" }),
                    )
                }
            };
            let answer = http
                .post(&url)
                .bearer_auth(&token)
                .json(&json!({ "query": query, "variables": { "input": input } }))
                .send()
                .await;
            let acknowledged = Instant::now() - began;
            let ok = match answer {
                Ok(a) => a
                    .json::<Value>()
                    .await
                    .is_ok_and(|v| v.get("errors").is_none() && v.get("data").is_some()),
                Err(_) => false,
            };
            let mut counts = counts.lock().unwrap_or_else(|e| e.into_inner());
            match (ok, kind) {
                (false, _) => counts.failed += 1,
                (true, 0) => counts.completions += 1,
                (true, 1 | 2) => {
                    counts.creates += 1;
                    let n = created.fetch_add(1, Ordering::SeqCst) + 1;
                    acks.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((acknowledged, n));
                }
                (true, _) => counts.reports += 1,
            }
            // A completed task is written to no more; the others go back in line.
            if kind != 0 || !ok {
                pool.lock().unwrap_or_else(|e| e.into_inner()).push_back(task);
            }
        }));
    }
    for write in running {
        write.await?;
    }
    let mut figures = counts.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let elapsed = (Instant::now() - began).as_secs_f64();
    figures.per_sec = (figures.reports + figures.creates + figures.completions) as f64 / elapsed;
    let acks = std::mem::take(&mut *acks.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((acks, figures))
}
