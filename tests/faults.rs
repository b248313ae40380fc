//! Faults as an operator meets them, on a real `reform serve` process.

use std::time::Duration;

use reform_domain::Role;
use serde_json::{json, Value};

use crate::support::process::{token, Served};
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(the_tables_follower_outlives_a_database_error);

const REGISTER: &str = r#"mutation($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { version } }"#;

/// `/readyz` as JSON, with its HTTP status.
async fn readyz(served: &Served) -> (u16, Value) {
    let url = served.graphql.replace("/graphql", "/readyz");
    let response = served.http.get(url).send().await.expect("readyz answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

/// `/metrics`' value of one metric.
async fn metric(served: &Served, name: &str) -> Option<f64> {
    let url = served.graphql.replace("/graphql", "/metrics");
    let text = served
        .http
        .get(url)
        .send()
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
}

/// Polls `check` every 200 ms until it holds; fails after 60 s.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The read-model tables' writes fail (their table is gone, as after a bad restore or
/// with the database refusing writes): the API keeps answering and acknowledging
/// writes, `/readyz` says the tables are behind and `/metrics` counts the failures;
/// once the table is back the follower resumes by itself and catches up.
async fn the_tables_follower_outlives_a_database_error(t: TestStore) {
    let dir = tempfile::tempdir().expect("temp dir");
    let served = Served::start_with(&t.url, dir.path(), &["--max-tables-lag", "5"]).await;
    let secretariat = token(Role::Secretariat, "snv", None);
    let register = |n: usize| json!({ "input": { "name": format!("Sở thứ {n}"), "tier": "DEPARTMENT", "jurisdiction": "VN-05" } });
    served.ok(&secretariat, REGISTER, register(0)).await;
    eventually("ready", || async { readyz(&served).await.0 == 200 }).await;

    t.raw_execute("ALTER TABLE rm_agencies RENAME TO rm_agencies_away")
        .await
        .expect("the fault");
    for n in 1..=10 {
        served.ok(&secretariat, REGISTER, register(n)).await;
    }
    eventually("the tables reported behind", || async {
        let (status, body) = readyz(&served).await;
        status == 503 && body["status"] == "read-model tables behind"
    })
    .await;
    eventually("a failure counted", || async {
        metric(&served, "reform_readmodel_tables_failures")
            .await
            .is_some_and(|f| f >= 1.0)
    })
    .await;

    t.raw_execute("ALTER TABLE rm_agencies_away RENAME TO rm_agencies")
        .await
        .expect("the repair");
    eventually("the tables caught up", || async {
        let (status, body) = readyz(&served).await;
        status == 200 && body["tablesLag"] == 0
    })
    .await;
    let lag = metric(&served, "reform_readmodel_tables_lag_events").await;
    assert_eq!(lag, Some(0.0));
    let leader = token(Role::Leader, "lanh-dao", None);
    let names = served
        .ok(
            &leader,
            "{ agencies(first: 100) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        names["agencies"]["totalCount"], 11,
        "every write acknowledged is there"
    );
}

/// PostgreSQL stopped under a running `reform serve` (a private cluster, stopped and
/// started by the test): a mutation is refused UNAVAILABLE with HTTP 503 and
/// Retry-After (never INTERNAL), `/readyz` says 503; once the server is back, writes
/// succeed again by themselves and the read-model tables catch up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_is_unavailable_then_recovers() {
    let cluster =
        match tokio::task::spawn_blocking(reform_devtools::throwaway_pg::Cluster::start_new)
            .await
            .expect("the cluster thread")
        {
            Ok(cluster) => std::sync::Arc::new(cluster),
            Err(why) if crate::support::pg::required() => panic!("PostgreSQL is required: {why:#}"),
            Err(why) => {
                eprintln!("skipping PostgreSQL test: {why:#}");
                return;
            }
        };
    let url = cluster.database("outage").await.expect("a database");
    let dir = tempfile::tempdir().expect("temp dir");
    let served = Served::start(&url, dir.path()).await;
    let secretariat = token(Role::Secretariat, "snv", None);
    let register = |n: usize| {
        json!({ "query": REGISTER, "variables": { "input": {
            "name": format!("Sở thứ {n}"), "tier": "DEPARTMENT", "jurisdiction": "VN-05" } } })
    };
    served
        .ok(&secretariat, REGISTER, register(0)["variables"].clone())
        .await;
    eventually("ready", || async { readyz(&served).await.0 == 200 }).await;

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .expect("the stop thread")
        .expect("PostgreSQL stops");
    let response = served
        .http
        .post(&served.graphql)
        .bearer_auth(&secretariat)
        .json(&register(1))
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert_eq!(readyz(&served).await.0, 503);

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.start())
        .await
        .expect("the start thread")
        .expect("PostgreSQL starts again");
    let mut n = 2;
    eventually("writes succeed again", || {
        n += 1;
        let body = register(n);
        let (served, secretariat) = (&served, &secretariat);
        async move {
            let response = served
                .http
                .post(&served.graphql)
                .bearer_auth(secretariat)
                .json(&body)
                .send()
                .await
                .expect("the server answers");
            response.status().is_success()
                && response
                    .json::<Value>()
                    .await
                    .is_ok_and(|b| b.get("errors").is_none())
        }
    })
    .await;
    eventually("ready again, the tables caught up", || async {
        let (status, body) = readyz(&served).await;
        status == 200 && body["tablesLag"] == 0
    })
    .await;
}

/// A small file system of its own (tmpfs), unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// A tmpfs of `megabytes`, or `None` where the tests may not mount one (not root):
    /// the full-disk test is then skipped with a message; CI runs as root, so it runs.
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("temp dir");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            Some(SmallDisk { dir })
        } else if crate::support::pg::required() {
            panic!("CI must be able to mount a tmpfs for the full-disk test (run as root)");
        } else {
            eprintln!("skipping the full-disk test: mounting a tmpfs needs root");
            None
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// SQLite on a disk that fills up under a running `reform serve`: while it is full,
/// writes get UNAVAILABLE "the disk is full" (HTTP 503) and `/readyz` says not ready;
/// once space is freed, writes succeed again without a restart, and nothing
/// acknowledged is lost (`reform verify` passes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_recovers_from_a_full_disk_by_itself() {
    let Some(disk) = SmallDisk::mount(8) else {
        return;
    };
    let root = disk.dir.path();
    let filler = root.join("filler");
    let url = format!("sqlite://{}", root.join("reform.db").display());
    // The server runs (and logs) outside the small disk; only its database is on it.
    let outside = tempfile::tempdir().expect("temp dir");
    let served = Served::start(&url, outside.path()).await;
    // Most of the disk taken by something else, to be freed later.
    std::fs::write(&filler, vec![7_u8; 5 * 1024 * 1024]).expect("the filler");
    let secretariat = token(Role::Secretariat, "snv", None);
    // Eight writers at once until each is refused, as the disk fills under them.
    let served = std::sync::Arc::new(served);
    let writers: Vec<_> = (0..8_usize)
        .map(|w| {
            let (served, secretariat) = (served.clone(), secretariat.clone());
            tokio::spawn(async move {
                let long = "Sở ".repeat(150);
                for n in 0..2_000 {
                    let body = json!({ "query": REGISTER, "variables": { "input": {
                        "name": format!("{long}{w}-{n}"), "tier": "DEPARTMENT",
                        "jurisdiction": "VN-05" } } });
                    let response = served
                        .http
                        .post(&served.graphql)
                        .bearer_auth(&secretariat)
                        .json(&body)
                        .send()
                        .await
                        .expect("the server answers");
                    let status = response.status().as_u16();
                    let body: Value = response.json().await.expect("JSON");
                    if body.get("errors").is_some() {
                        return (n, Some((status, body)));
                    }
                }
                (2_000, None)
            })
        })
        .collect();
    let mut acknowledged = 0;
    let mut refusals = Vec::new();
    for writer in writers {
        let (written, refusal) = writer.await.expect("a writer");
        acknowledged += written as u64;
        refusals.extend(refusal);
    }
    eprintln!("the disk filled after {acknowledged} acknowledged writes");
    assert_eq!(refusals.len(), 8, "every writer met the full disk");
    for (status, body) in &refusals {
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
            "{body}"
        );
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("the disk is full"),
            "{body}"
        );
        assert_eq!(*status, 503);
    }
    eventually("not ready while writes fail", || async {
        readyz(&served).await.0 == 503
    })
    .await;

    std::fs::remove_file(&filler).expect("freeing space");
    let mut n = 10_000;
    eventually("writes succeed again", || {
        n += 1;
        let body = json!({ "query": REGISTER, "variables": { "input": {
            "name": format!("Sở sau {n}"), "tier": "DEPARTMENT", "jurisdiction": "VN-05" } } });
        let (served, secretariat) = (&served, &secretariat);
        async move {
            let response = served
                .http
                .post(&served.graphql)
                .bearer_auth(secretariat)
                .json(&body)
                .send()
                .await
                .expect("the server answers");
            response
                .json::<Value>()
                .await
                .is_ok_and(|b| b.get("errors").is_none())
        }
    })
    .await;
    eventually("ready again", || async { readyz(&served).await.0 == 200 }).await;
    let leader = token(Role::Leader, "lanh-dao", None);
    let count = served
        .ok(&leader, "{ agencies(first: 1) { totalCount } }", json!({}))
        .await["agencies"]["totalCount"]
        .as_u64()
        .expect("a count");
    assert!(
        count > acknowledged,
        "every acknowledged write is there: {count} > {acknowledged}"
    );
    drop(served);
    let (code, out, err) = crate::support::process::reform(&url, root, &["verify"]);
    assert_eq!(code, Some(0), "{out}{err}");
}
