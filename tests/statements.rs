//! No N+1: the SQL statements a nested dashboard query sends to the database do not
//! grow with the number of rows it returns.
//!
//! A binary of its own, because it counts every statement sqlx logs in the process
//! (a global tracing subscriber): no other test may run beside it.

#[allow(dead_code, unreachable_pub, unused_macros, unused_imports)]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

use reform_domain::Role;
use reform_gateway::Options;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

use support::api::ApiServer;
use support::stores::TestStore;

/// Statements that read streams: what resolving versions and histories sends. The
/// read-model's background polling (`position > …`, `MAX(position)`) is not counted.
static STREAM_READS: AtomicUsize = AtomicUsize::new(0);
/// Every statement, to show the counter sees the database at all.
static ALL: AtomicUsize = AtomicUsize::new(0);
/// The stream-reading statements seen, for the failure message.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Sql(String);

impl Visit for Sql {
    fn record_str(&mut self, field: &Field, value: &str) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.0.push_str(value);
            self.0.push(' ');
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

struct CountStatements;

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        ALL.fetch_add(1, Ordering::SeqCst);
        let mut sql = Sql(String::new());
        event.record(&mut sql);
        if sql.0.contains("WHERE stream_id") {
            STREAM_READS.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut seen) = SEEN.lock() {
                seen.push(sql.0.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
}

fn count_statements() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let filter = tracing_subscriber::filter::Targets::new()
            .with_target("sqlx::query", tracing::Level::TRACE);
        let subscriber = tracing_subscriber::registry().with(CountStatements.with_filter(filter));
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber");
    });
}

/// The leader's dashboard, nested: tasks with their versions, histories, leads and
/// coordinators (with theirs), the program's pillars and plans.
const DASHBOARD: &str = r#"{
  tasks(first: 100) {
    totalCount
    nodes {
      title version
      history { eventType actor { userId } }
      lead { name version scorecard { overdueNow } }
      coordinators { name version }
    }
  }
  programs { number version pillarProgress { percent } plans { number version } }
}"#;

async fn statements_of(api: &ApiServer, token: &str, tasks: usize) -> (usize, Vec<String>) {
    if let Ok(mut seen) = SEEN.lock() {
        seen.clear();
    }
    let before = STREAM_READS.load(Ordering::SeqCst);
    let all_before = ALL.load(Ordering::SeqCst);
    let data = api.ok(token, DASHBOARD, json!({})).await;
    let counted = STREAM_READS.load(Ordering::SeqCst) - before;
    assert_eq!(data["tasks"]["totalCount"], tasks, "{data}");
    let nodes = data["tasks"]["nodes"].as_array().expect("nodes");
    assert!(nodes.iter().all(|t| t["version"].as_u64() >= Some(1)));
    assert!(nodes
        .iter()
        .all(|t| t["history"][0]["eventType"] == "TaskCreated"));
    assert!(
        ALL.load(Ordering::SeqCst) > all_before,
        "the counter saw no statement at all"
    );
    (counted, SEEN.lock().map(|s| s.clone()).unwrap_or_default())
}

async fn add_tasks(api: &ApiServer, token: &str, plan: &str, lead: &str, other: &str, n: usize) {
    for i in 0..n {
        api.ok(
            token,
            r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }"#,
            json!({ "input": {
                "planId": plan, "category": "ADMINISTRATIVE_PROCEDURES",
                "title": format!("Rà soát thủ tục hành chính nhóm {i}"),
                "leadId": lead, "coordinatorIds": [other],
                "deadline": "2030-12-31", "expectedOutput": "Báo cáo"
            }}),
        )
        .await;
    }
}

async fn dashboard_statements_do_not_grow_with_rows(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "thu-ky", None);
    let leader = api.token(Role::Leader, "lanh-dao", None);
    let mut agencies = Vec::new();
    for name in ["Sở Nội vụ tỉnh Lai Châu", "Sở Tư pháp tỉnh Lai Châu"] {
        let data = api
            .ok(
                &secretariat,
                r#"mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) { agency { id } } }"#,
                json!({ "input": { "name": name, "tier": "DEPARTMENT", "block": "DEPARTMENTS", "jurisdiction": "VN-01" } }),
            )
            .await;
        agencies.push(
            data["registerAgency"]["agency"]["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    let program = api
        .ok(
            &secretariat,
            r#"mutation($input: IssueProgramInput!) { issueProgram(input: $input) { program { id } } }"#,
            json!({ "input": {
                "header": { "number": "01/QĐ-UBND", "title": "Chương trình CCHC tỉnh Lai Châu",
                            "issuedOn": "2021-06-01", "issuer": "UBND tỉnh Lai Châu" },
                "level": "PROVINCIAL", "jurisdiction": "VN-01", "fromYear": 2021, "toYear": 2030
            }}),
        )
        .await["issueProgram"]["program"]["id"]
        .as_str()
        .expect("program")
        .to_owned();
    let mut plans = Vec::new();
    for year in [2025, 2026] {
        let data = api
            .ok(
                &secretariat,
                r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { plan { id } } }"#,
                json!({ "input": {
                    "header": { "number": format!("{year}/KH-UBND"), "title": format!("Kế hoạch CCHC năm {year}"),
                                "issuedOn": format!("{year}-01-05"), "issuer": "UBND tỉnh Lai Châu" },
                    "implementsId": program, "issuingAgencyId": agencies[0],
                    "jurisdiction": "VN-01", "fromYear": year, "toYear": year
                }}),
            )
            .await;
        plans.push(
            data["issuePlan"]["plan"]["id"]
                .as_str()
                .expect("plan")
                .to_owned(),
        );
    }

    add_tasks(&api, &secretariat, &plans[0], &agencies[0], &agencies[1], 3).await;
    let (few, seen_few) = statements_of(&api, &leader, 3).await;
    add_tasks(
        &api,
        &secretariat,
        &plans[1],
        &agencies[1],
        &agencies[0],
        37,
    )
    .await;
    let (many, seen_many) = statements_of(&api, &leader, 40).await;

    assert_eq!(
        few, many,
        "3 tasks took {few} statements, 40 took {many}:\n{seen_few:#?}\n{seen_many:#?}"
    );
    // Task versions, histories, lead and coordinator versions, program and plan
    // versions: one batch each at most.
    assert!((1..=6).contains(&many), "{many} statements: {seen_many:#?}");
    api.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_nested_dashboard_query_costs_the_same_statements_for_3_or_40_tasks() {
    count_statements();
    // One engine after the other: the counter is shared by the whole process.
    dashboard_statements_do_not_grow_with_rows(TestStore::sqlite().await).await;
    if let Some(store) = TestStore::postgres().await {
        dashboard_statements_do_not_grow_with_rows(store).await;
    }
}
