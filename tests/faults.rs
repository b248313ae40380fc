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
