//! Several `reform` processes on one database, as deployments run them: two `reform
//! serve` instances behind a balancer, and an operator's `reform import plan` from the
//! command line while they serve. Whatever interleaves, the log's hash chain stays one
//! chain (`reform verify` exits 0) and every acknowledged write is in the log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use reform_domain::{AgencyId, Role};
use serde_json::{json, Value};

use crate::support::process::{reform, token, Served};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
);
const PLAN: &str = "318/KH-UBND";

/// A task of the imported plan: its id, title and the token of its lead's officer.
#[derive(Clone)]
struct Imported {
    id: String,
    title: String,
    officer: String,
}

async fn imported_tasks(server: &Served) -> Vec<Imported> {
    let leader = token(Role::Leader, "chu-tich", None);
    let data = server
        .ok(
            &leader,
            r#"{ tasks(first: 100) {
                 nodes { id title plan { number } lead { uuid } } } }"#,
            json!({}),
        )
        .await;
    let mut officers = HashMap::new();
    data["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["plan"]["number"] == PLAN)
        .map(|t| {
            let lead: uuid::Uuid = t["lead"]["uuid"]
                .as_str()
                .expect("a lead")
                .parse()
                .expect("a uuid");
            let officer = officers
                .entry(lead)
                .or_insert_with(|| {
                    token(
                        Role::Officer,
                        &format!("can-bo-{lead}"),
                        Some(AgencyId(lead)),
                    )
                })
                .clone();
            Imported {
                id: t["id"].as_str().expect("id").to_owned(),
                title: t["title"].as_str().expect("title").to_owned(),
                officer,
            }
        })
        .collect()
}

const REPORT: &str = r#"mutation($input: ReportProgressInput!) {
  reportProgress(input: $input) { version } }"#;

async fn report(server: &Served, task: &Imported, percent: u32, note: &str) -> Value {
    server
        .post(
            &task.officer,
            REPORT,
            json!({ "input": { "taskId": task.id, "percent": percent, "note": note } }),
        )
        .await
}

/// The sample plan table with one task's title changed, as a new file.
fn retitled(dir: &Path, title: &str, suffix: &str) -> PathBuf {
    let text = std::fs::read_to_string(SAMPLE).expect("the sample table");
    assert!(text.contains(title), "the sample holds {title:?}");
    let path = dir.join(format!("retitled-{suffix}.csv"));
    std::fs::write(
        &path,
        text.replacen(title, &format!("{title} ({suffix})"), 1),
    )
    .expect("writing the edited table");
    path
}

/// `reform verify` passes: exit 0 and no flaw named.
fn verify_passes(url: &str, dir: &Path) {
    let (code, out, err) = reform(url, dir, &["verify"]);
    assert_eq!(code, Some(0), "reform verify: {out}{err}");
}

/// How many events of one type the log holds, from `reform audit export`.
fn events_of_type(url: &str, dir: &Path, event_type: &str) -> usize {
    let file = dir.join("audit.jsonl");
    let (code, out, err) = reform(
        url,
        dir,
        &[
            "audit",
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--format",
            "jsonl",
            "--output",
            file.to_str().expect("path"),
        ],
    );
    assert_eq!(code, Some(0), "reform audit export: {out}{err}");
    std::fs::read_to_string(&file)
        .expect("the export")
        .lines()
        .filter(|l| {
            serde_json::from_str::<Value>(l).expect("a JSON line")["event_type"] == event_type
        })
        .count()
}

/// The demo and the sample plan, loaded by the CLI as an operator would.
fn prepared(url: &str, dir: &Path) {
    let (code, out, err) = reform(url, dir, &["demo"]);
    assert_eq!(code, Some(0), "reform demo: {out}{err}");
    let (code, out, err) = reform(url, dir, &["import", "plan", SAMPLE, "--plan", PLAN]);
    assert_eq!(code, Some(0), "reform import plan: {out}{err}");
}

/// The two interleavings that forked PostgreSQL's chain, step by step, then many
/// writers on two servers while the CLI re-imports the plan: the chain stays whole
/// and every acknowledged report is in the log.
async fn writers_in_several_processes_keep_one_chain(url: String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path().to_owned();
    let setup = (url.clone(), dir.clone());
    let reports_before = tokio::task::spawn_blocking(move || {
        prepared(&setup.0, &setup.1);
        events_of_type(&setup.0, &setup.1, "TaskProgressReported")
    })
    .await
    .expect("set-up");
    let a = Served::start(&url, &dir).await;
    let b = Served::start(&url, &dir).await;
    let tasks = imported_tasks(&a).await;
    assert_eq!(tasks.len(), 37, "the sample's tasks");
    let mut acknowledged = 0;
    let mut reported = |body: Value| {
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        acknowledged += 1;
    };

    // Server A writes, server B writes to the same task, A again.
    let t = &tasks[0];
    reported(report(&a, t, 10, "A").await);
    reported(report(&b, t, 20, "B").await);
    reported(report(&a, t, 30, "A again").await);
    let check = (url.clone(), dir.clone());
    tokio::task::spawn_blocking(move || verify_passes(&check.0, &check.1))
        .await
        .expect("verify");

    // A server reports, the CLI re-imports the task's title changed, the server again.
    let t = &tasks[1];
    reported(report(&a, t, 15, "before the import").await);
    let edited = retitled(&dir, &t.title, "sửa 1");
    let (cli_url, cli_dir) = (url.clone(), dir.clone());
    let (code, out, err) = tokio::task::spawn_blocking(move || {
        reform(
            &cli_url,
            &cli_dir,
            &[
                "import",
                "plan",
                edited.to_str().expect("path"),
                "--plan",
                PLAN,
            ],
        )
    })
    .await
    .expect("import");
    assert_eq!(code, Some(0), "re-import: {out}{err}");
    assert!(out.contains("1 amended"), "{out}");
    reported(report(&a, t, 25, "after the import").await);
    let check = (url.clone(), dir.clone());
    tokio::task::spawn_blocking(move || verify_passes(&check.0, &check.1))
        .await
        .expect("verify");

    // Mixed load: three clients on each server report on a handful of busy tasks while
    // the CLI re-imports the table with titles of those tasks changing back and forth.
    let busy: Vec<Imported> = tasks.iter().take(6).cloned().collect();
    let imports = {
        let (url, dir, titles) = (
            url.clone(),
            dir.clone(),
            busy.iter().map(|t| t.title.clone()).collect::<Vec<_>>(),
        );
        tokio::task::spawn_blocking(move || {
            for round in 0..6 {
                let title = &titles[round % titles.len()];
                let file = retitled(&dir, title, &format!("vòng {round}"));
                let (code, out, err) = reform(
                    &url,
                    &dir,
                    &[
                        "import",
                        "plan",
                        file.to_str().expect("path"),
                        "--plan",
                        PLAN,
                    ],
                );
                assert_eq!(code, Some(0), "re-import round {round}: {out}{err}");
            }
        })
    };
    let (a, b) = (std::sync::Arc::new(a), std::sync::Arc::new(b));
    let mut clients = Vec::new();
    for client in 0..6_u32 {
        let server = if client % 2 == 0 {
            a.clone()
        } else {
            b.clone()
        };
        let busy = busy.clone();
        clients.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..40_u32 {
                let task = &busy[((client + i) as usize) % busy.len()];
                let body = report(&server, task, (client * 7 + i) % 100, "tải hỗn hợp").await;
                assert!(body.get("errors").is_none(), "unexpected errors: {body}");
                ok += 1;
            }
            ok
        }));
    }
    for client in clients {
        acknowledged += client.await.expect("a client");
    }
    imports.await.expect("the imports");
    drop((a, b));

    tokio::task::spawn_blocking(move || {
        verify_passes(&url, &dir);
        assert_eq!(
            events_of_type(&url, &dir, "TaskProgressReported") - reports_before,
            acknowledged,
            "every acknowledged report is in the log, once"
        );
    })
    .await
    .expect("the final checks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_in_several_processes_keep_one_chain_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("reform.db").display());
    writers_in_several_processes_keep_one_chain(url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writers_in_several_processes_keep_one_chain_on_postgres() {
    if let Some(url) = crate::support::pg::fresh_database().await {
        writers_in_several_processes_keep_one_chain(url).await;
    }
}
