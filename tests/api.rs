//! The GraphQL API as its users meet it: over HTTP, against a real server on loopback,
//! on SQLite and on PostgreSQL.

use chrono::{Days, Utc};
use reform_domain::{AgencyId, Role};
use reform_gateway::Options;
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    secretariat_plans_officers_report_leaders_read,
    bad_requests_get_typed_errors_and_write_nothing,
    subscribers_of_one_instance_see_what_another_committed,
    the_record_around_the_plans_is_kept_through_mutations,
    every_role_is_refused_every_mutation_it_may_not_send,
    the_gateway_judges_and_records_by_its_clock,
    writers_of_one_task_without_a_version_all_succeed,
);

const REGISTER: &str = r#"mutation($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { agency { id uuid name } version replayed }
}"#;

const CREATE_TASK: &str = r#"mutation($input: CreateTaskInput!) {
  createTask(input: $input) {
    clientMutationId replayed version
    task { id title status deadline lead { name } coordinators { name } }
  }
}"#;

async fn register(api: &ApiServer, token: &str, name: &str) -> (String, AgencyId) {
    let data = api
        .ok(
            token,
            REGISTER,
            json!({ "input": {
                "name": name, "tier": "DEPARTMENT", "block": "DEPARTMENTS",
                "jurisdiction": "VN-05"
            }}),
        )
        .await;
    let agency = &data["registerAgency"]["agency"];
    let uuid = agency["uuid"]
        .as_str()
        .expect("uuid")
        .parse()
        .expect("a uuid");
    (
        agency["id"].as_str().expect("id").to_owned(),
        AgencyId(uuid),
    )
}

/// Program, plan and agencies as the secretariat of Sơn La records them.
struct Province {
    program: String,
    plan: String,
    noi_vu: (String, AgencyId),
    tu_phap: (String, AgencyId),
}

async fn province(api: &ApiServer, secretariat: &str) -> Province {
    let noi_vu = register(api, secretariat, "Sở Nội vụ tỉnh Sơn La").await;
    let tu_phap = register(api, secretariat, "Sở Tư pháp tỉnh Sơn La").await;
    let program = api
        .ok(
            secretariat,
            r#"mutation($input: IssueProgramInput!) { issueProgram(input: $input) { program { id number } } }"#,
            json!({ "input": {
                "header": { "number": "1136/QĐ-UBND", "title": "Chương trình CCHC tỉnh Sơn La 2021–2030",
                            "issuedOn": "2021-06-01", "issuer": "UBND tỉnh Sơn La" },
                "level": "PROVINCIAL", "jurisdiction": "VN-05", "fromYear": 2021, "toYear": 2030
            }}),
        )
        .await["issueProgram"]["program"]["id"]
        .as_str()
        .expect("program id")
        .to_owned();
    let plan = api
        .ok(
            secretariat,
            r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { plan { id number implements { id } } } }"#,
            json!({ "input": {
                "header": { "number": "25/KH-UBND", "title": "Kế hoạch CCHC năm 2026",
                            "issuedOn": "2026-01-10", "issuer": "UBND tỉnh Sơn La" },
                "implementsId": program, "issuingAgencyId": noi_vu.0,
                "jurisdiction": "VN-05", "fromYear": 2026, "toYear": 2026
            }}),
        )
        .await["issuePlan"]["plan"]["id"]
        .as_str()
        .expect("plan id")
        .to_owned();
    Province {
        program,
        plan,
        noi_vu,
        tu_phap,
    }
}

fn days_ago(n: u64) -> String {
    (Utc::now().date_naive() - Days::new(n)).to_string()
}

async fn secretariat_plans_officers_report_leaders_read(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv-thu-ky", None);
    let leader = api.token(Role::Leader, "chu-tich", None);
    let auditor = api.token(Role::Auditor, "thanh-tra", None);
    let p = province(&api, &secretariat).await;
    let officer_tp = api.token(Role::Officer, "can-bo-tu-phap", Some(p.tu_phap.1));
    let officer_nv = api.token(Role::Officer, "can-bo-noi-vu", Some(p.noi_vu.1));

    // The secretariat assigns two tasks to Tư pháp, one overdue since 10 days.
    let task = |title: &str, deadline: String, client: &str| {
        json!({ "input": {
            "planId": p.plan, "category": "INSTITUTIONAL", "title": title,
            "leadId": p.tu_phap.0, "coordinatorIds": [p.noi_vu.0],
            "deadline": deadline, "expectedOutput": "Báo cáo kết quả", "clientMutationId": client
        }})
    };
    let created = api
        .ok(
            &secretariat,
            CREATE_TASK,
            task("Rà soát văn bản quy phạm pháp luật", days_ago(10), "t-1"),
        )
        .await;
    let first = created["createTask"]["task"]["id"]
        .as_str()
        .expect("task id")
        .to_owned();
    assert_eq!(created["createTask"]["clientMutationId"], "t-1");
    assert_eq!(created["createTask"]["task"]["status"], "NOT_STARTED");
    assert_eq!(
        created["createTask"]["task"]["lead"]["name"],
        "Sở Tư pháp tỉnh Sơn La"
    );
    let second = api
        .ok(
            &secretariat,
            CREATE_TASK,
            task("Kiểm soát thủ tục hành chính", days_ago(5), "t-2"),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("task id")
        .to_owned();

    // A retried mutation (same clientMutationId) applies once and answers the same.
    let again = api
        .ok(
            &secretariat,
            CREATE_TASK,
            task("Rà soát văn bản quy phạm pháp luật", days_ago(10), "t-1"),
        )
        .await;
    assert_eq!(again["createTask"]["replayed"], true);
    assert_eq!(again["createTask"]["task"]["id"], first.as_str());

    // The lead's officer reports, then completes late.
    let before_reports = Utc::now();
    let report = api
        .ok(
            &officer_tp,
            r#"mutation($input: ReportProgressInput!) { reportProgress(input: $input) { task { percent status } version } }"#,
            json!({ "input": { "taskId": first, "percent": 40, "note": "Đã rà soát 120/300 văn bản" } }),
        )
        .await;
    assert_eq!(report["reportProgress"]["task"]["percent"], 40.0);
    assert_eq!(report["reportProgress"]["task"]["status"], "IN_PROGRESS");
    let done = api
        .ok(
            &officer_tp,
            r#"mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { status percent timeliness { code labelVi } daysLate } } }"#,
            json!({ "input": { "taskId": first, "output": "Báo cáo số 12/BC-STP" } }),
        )
        .await;
    let completed = &done["completeTask"]["task"];
    assert_eq!(completed["status"], "COMPLETED");
    assert_eq!(completed["timeliness"]["code"], "LATE");
    assert_eq!(completed["timeliness"]["labelVi"], "Hoàn thành quá hạn");
    assert_eq!(completed["daysLate"], 10);

    // The coordinator's officer may contribute but not complete; the lead's reports count.
    let (code, error) = api
        .error(
            &officer_nv,
            r#"mutation($input: CompleteTaskInput!) { completeTask(input: $input) { task { id } } }"#,
            json!({ "input": { "taskId": second, "output": "x" } }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "{error}");
    // A leader reads but does not write.
    let (code, _) = api
        .error(
            &leader,
            CREATE_TASK,
            task("Một nhiệm vụ", days_ago(0), "t-3"),
        )
        .await;
    assert_eq!(code, "FORBIDDEN");

    // The leader's headline: institutions 1 task late, 1 overdue; 50% by simple average.
    let query = r#"query($id: ID!, $asOf: DateTime) {
      program(id: $id) {
        number rollupRule { code }
        pillarProgress(asOf: $asOf) { pillar { code labelVi } percent counts { total late overdue } }
        rollup { percent children { label percent children { kind label counts { total } } } }
      }
    }"#;
    let data = api
        .ok(&leader, query, json!({ "id": p.program, "asOf": null }))
        .await;
    let institutions = &data["program"]["pillarProgress"][0];
    assert_eq!(institutions["pillar"]["code"], "INSTITUTIONAL");
    assert_eq!(institutions["pillar"]["labelVi"], "Cải cách thể chế");
    assert_eq!(institutions["counts"]["total"], 2);
    assert_eq!(institutions["counts"]["late"], 1);
    assert_eq!(institutions["counts"]["overdue"], 1);
    assert_eq!(institutions["percent"], 50.0);
    assert_eq!(
        data["program"]["rollup"]["children"][0]["children"][0]["kind"],
        "PLAN"
    );
    // Officers do not read province-wide progress.
    let (code, _) = api
        .error(&officer_tp, query, json!({ "id": p.program, "asOf": null }))
        .await;
    assert_eq!(code, "FORBIDDEN");

    // Tasks as a connection: the officer of Nội vụ sees the tasks it coordinates only.
    let tasks = r#"query($filter: TaskFilterInput) {
      tasks(first: 10, filter: $filter) {
        totalCount counts { overdue late } averagePercent
        edges { cursor node { title overdue daysOverdue } }
        pageInfo { hasNextPage endCursor }
      }
    }"#;
    let listed = api
        .ok(
            &leader,
            tasks,
            json!({ "filter": { "search": "ra soat van ban" } }),
        )
        .await;
    assert_eq!(listed["tasks"]["totalCount"], 1, "{listed}");
    let overdue = api
        .ok(
            &leader,
            tasks,
            json!({ "filter": { "overdueOn": Utc::now().date_naive().to_string() } }),
        )
        .await;
    assert_eq!(overdue["tasks"]["totalCount"], 1);
    assert_eq!(overdue["tasks"]["edges"][0]["node"]["daysOverdue"], 5);

    // History: who changed what, recorded from the tokens, not from any input.
    let history = api
        .ok(
            &auditor,
            r#"query($id: ID!) { task(id: $id) { version history { version eventType actor { userId role { code } } } } }"#,
            json!({ "id": first }),
        )
        .await;
    let entries = history["task"]["history"].as_array().expect("history");
    let seen: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["eventType"].as_str().unwrap_or(""),
                e["actor"]["userId"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("TaskCreated", "snv-thu-ky"),
            ("TaskProgressReported", "can-bo-tu-phap"),
            ("TaskCompleted", "can-bo-tu-phap"),
        ]
    );
    assert_eq!(history["task"]["version"], 3);

    // A baseline comparison of the plan: both tasks added since New Year's Eve; since
    // the reports began, the first one changed status and percent.
    let compare = r#"query($id: ID!, $from: DateTime!, $to: DateTime!) {
      node(id: $id) { ... on Plan { compare(from: $from, to: $to) {
        added { title } removed { title } changed { task { title } changes { field old new } }
      } } }
    }"#;
    let later = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let diff = api
        .ok(
            &leader,
            compare,
            json!({ "id": p.plan, "from": "2025-12-31T00:00:00Z", "to": later }),
        )
        .await;
    let cmp = &diff["node"]["compare"];
    assert_eq!(cmp["added"].as_array().map(Vec::len), Some(2), "{diff}");
    assert_eq!(cmp["changed"], json!([]));
    let diff = api
        .ok(
            &leader,
            compare,
            json!({ "id": p.plan, "from": before_reports.to_rfc3339(), "to": later }),
        )
        .await;
    let cmp = &diff["node"]["compare"];
    assert_eq!(cmp["added"], json!([]), "{diff}");
    assert_eq!(
        cmp["changed"][0]["task"]["title"],
        "Rà soát văn bản quy phạm pháp luật"
    );
    let fields: Vec<(&str, &Value, &Value)> = cmp["changed"][0]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["field"].as_str().unwrap_or(""), &c["old"], &c["new"]))
        .collect();
    assert!(
        fields.contains(&("status", &json!("NOT_STARTED"), &json!("COMPLETED"))),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("percent", &json!(0), &json!(100))),
        "{fields:?}"
    );
    let (code, _) = api
        .error(
            &leader,
            compare,
            json!({ "id": p.plan, "from": later, "to": "2025-12-31T00:00:00Z" }),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");

    // The audit log, newest first, with each change's fields old → new.
    let audit = r#"query($filter: AuditFilterInput, $after: String) {
      auditLog(filter: $filter, first: 2, after: $after) {
        nodes { action operation actor { userId role { code } } entityId entityKind
                changes { field old new } }
        pageInfo { hasNextPage endCursor }
      }
    }"#;
    let page = api
        .ok(&auditor, audit, json!({ "filter": { "entityId": first } }))
        .await;
    let nodes = &page["auditLog"]["nodes"];
    assert_eq!(nodes[0]["action"], "TaskCompleted", "{page}");
    assert_eq!(nodes[0]["operation"], "MODIFY");
    assert_eq!(nodes[0]["actor"]["userId"], "can-bo-tu-phap");
    assert_eq!(nodes[0]["entityId"], first.as_str());
    assert_eq!(nodes[0]["entityKind"], "task");
    let status = nodes[0]["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["field"] == "status"))
        .cloned()
        .expect("the status changed");
    assert_eq!(
        (&status["old"], &status["new"]),
        (&json!("IN_PROGRESS"), &json!("COMPLETED"))
    );
    assert_eq!(nodes[1]["action"], "TaskProgressReported");
    assert_eq!(page["auditLog"]["pageInfo"]["hasNextPage"], true);
    let rest = api
        .ok(
            &auditor,
            audit,
            json!({ "filter": { "entityId": first }, "after": page["auditLog"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(rest["auditLog"]["nodes"][0]["action"], "TaskCreated");
    assert_eq!(rest["auditLog"]["nodes"][0]["operation"], "CREATE");
    assert_eq!(rest["auditLog"]["pageInfo"]["hasNextPage"], false);
    let by_officer = api
        .ok(
            &leader,
            audit,
            json!({ "filter": { "actor": "can-bo-tu-phap", "eventTypes": ["TaskProgressReported"] } }),
        )
        .await;
    assert_eq!(
        by_officer["auditLog"]["nodes"].as_array().map(Vec::len),
        Some(1),
        "{by_officer}"
    );
    let (code, _) = api.error(&officer_tp, audit, json!({})).await;
    assert_eq!(code, "FORBIDDEN");
    let (code, error) = api
        .error(&auditor, audit, json!({ "filter": { "entityId": "junk" } }))
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("entityId"))
    );

    // The auditor checks the hash chain and keeps the digest; officers may not.
    let verified = api
        .ok(
            &auditor,
            r#"{ verifyAudit { intact checked digest breach { position } } }"#,
            json!({}),
        )
        .await;
    let head = t.store.head().await.expect("head");
    assert_eq!(verified["verifyAudit"]["intact"], true, "{verified}");
    assert_eq!(verified["verifyAudit"]["checked"], head);
    let digest = verified["verifyAudit"]["digest"].as_str().expect("digest");
    assert!(digest.starts_with(&format!("{head}:")), "{digest}");
    let again = api
        .ok(
            &auditor,
            r#"query($d: String) { verifyAudit(against: $d) { intact } }"#,
            json!({ "d": digest }),
        )
        .await;
    assert_eq!(again["verifyAudit"]["intact"], true);
    let (code, error) = api
        .error(
            &auditor,
            r#"{ verifyAudit(against: "yesterday") { intact } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("against"))
    );
    let (code, _) = api
        .error(&officer_tp, r#"{ verifyAudit { intact } }"#, json!({}))
        .await;
    assert_eq!(code, "FORBIDDEN");

    // A stale expectedVersion is a CONFLICT that tells the current version.
    let (code, error) = api
        .error(
            &secretariat,
            r#"mutation($input: ExtendDeadlineInput!) { extendDeadline(input: $input) { version } }"#,
            json!({ "input": {
                "taskId": second, "newDeadline": days_ago(0), "reason": "Chờ hướng dẫn của Bộ",
                "expectedVersion": 7
            }}),
        )
        .await;
    assert_eq!(code, "CONFLICT", "{error}");
    assert_eq!(error["extensions"]["currentVersion"], 1);

    // Time travel: before anything was assigned, the pillar had nothing to count.
    let before = api
        .ok(
            &leader,
            query,
            json!({ "id": p.program, "asOf": "2025-12-31T00:00:00Z" }),
        )
        .await;
    assert_eq!(
        before["program"]["pillarProgress"][0]["counts"]["total"], 0,
        "{before}"
    );

    // Accountability: Tư pháp's head answers for one task completed late and one
    // overdue, so is not to be considered for emulation rewards.
    api.ok(
        &secretariat,
        r#"mutation($input: AppointHeadInput!) { appointHead(input: $input) { version } }"#,
        json!({ "input": {
            "agencyId": p.tu_phap.0, "name": "Lò Văn Minh", "title": "Giám đốc Sở",
            "from": days_ago(365), "decision": "123/QĐ-UBND"
        }}),
    )
    .await;
    let accountability = r#"query($asOf: DateTime) {
      accountability(jurisdiction: "VN-05", asOf: $asOf) {
        agency { name } head { name } tasksDue completedLate overdueNow onTimeRate
        noEmulationReward reasons
      }
    }"#;
    let heads = api
        .ok(&leader, accountability, json!({ "asOf": null }))
        .await;
    let heads = heads["accountability"].as_array().expect("a list");
    assert_eq!(heads.len(), 1, "{heads:?}");
    let head = &heads[0];
    assert_eq!(head["agency"]["name"], "Sở Tư pháp tỉnh Sơn La");
    assert_eq!(head["head"]["name"], "Lò Văn Minh");
    assert_eq!(
        (
            &head["tasksDue"],
            &head["completedLate"],
            &head["overdueNow"]
        ),
        (&json!(2), &json!(1), &json!(1))
    );
    assert_eq!(head["onTimeRate"], 0.0);
    assert_eq!(head["noEmulationReward"], true);
    assert!(
        head["reasons"].as_array().is_some_and(|r| !r.is_empty()),
        "{head}"
    );
    // As of before the appointment, nobody answered for anything yet.
    let then = api
        .ok(
            &leader,
            accountability,
            json!({ "asOf": "2025-12-31T00:00:00Z" }),
        )
        .await;
    assert_eq!(then["accountability"], json!([]));
    // Officers do not read accountability.
    let (code, _) = api
        .error(&officer_tp, accountability, json!({ "asOf": null }))
        .await;
    assert_eq!(code, "FORBIDDEN");

    // The dashboard's "who is late": agencies by overdue tasks, most first.
    let late = api
        .ok(
            &leader,
            r#"{ agencies(first: 2, orderBy: { field: OVERDUE_NOW, direction: DESC }) {
                   nodes { name scorecard { overdueNow completedLate } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        late["agencies"]["nodes"],
        json!([
            { "name": "Sở Tư pháp tỉnh Sơn La", "scorecard": { "overdueNow": 1, "completedLate": 1 } },
            { "name": "Sở Nội vụ tỉnh Sơn La", "scorecard": { "overdueNow": 0, "completedLate": 0 } },
        ])
    );

    // node(id) resolves any id, with the same access rules.
    let node = api
        .ok(
            &leader,
            r#"query($id: ID!) { node(id: $id) { id ... on Task { title } } }"#,
            json!({ "id": first }),
        )
        .await;
    assert_eq!(node["node"]["title"], "Rà soát văn bản quy phạm pháp luật");

    // Metrics need no token and count what happened above, by route and by code.
    let response = api
        .http
        .get(format!("{}/metrics", api.url))
        .send()
        .await
        .expect("GET /metrics");
    assert_eq!(response.status().as_u16(), 200);
    let metrics = response.text().await.expect("metrics text");
    for line in [
        r#"reform_http_requests_total{route="/graphql",method="POST",status="200"}"#,
        r#"reform_graphql_errors_total{code="FORBIDDEN"}"#,
        r#"reform_graphql_errors_total{code="CONFLICT"} 1"#,
        "reform_readmodel_position ",
        "reform_store_head ",
    ] {
        assert!(metrics.contains(line), "{line} missing from\n{metrics}");
    }
    api.stop().await;
}

async fn bad_requests_get_typed_errors_and_write_nothing(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    let p = province(&api, &secretariat).await;
    let head = t.store.head().await.expect("head");

    // No token, a forged token: 401 UNAUTHENTICATED.
    let (status, body) = api
        .post(None, json!({ "query": "{ viewer { name } }" }))
        .await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    let forged = reform_gateway::Keys::from_secret(b"not the server's secret, but long")
        .issue(&reform_gateway::claims(Role::Leader, "x", None, None, 1))
        .map_err(|e| e.message())
        .expect("token");
    let (status, _) = api
        .post(Some(&forged), json!({ "query": "{ viewer { name } }" }))
        .await;
    assert_eq!(status, 401);

    // Bodies a browser could send cross-site without a preflight are refused.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = api
            .http
            .post(format!("{}/graphql", api.url))
            .header("content-type", content_type)
            .bearer_auth(&secretariat)
            .body(r#"{"query":"{ viewer { name } }"}"#)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 415, "{content_type}");
    }
    // Batches beyond the limit are refused; small ones run.
    let op = json!({ "query": "{ viewer { name } }" });
    let (status, _) = api
        .post(Some(&secretariat), Value::Array(vec![op.clone(); 11]))
        .await;
    assert_eq!(status, 400);
    let (status, body) = api
        .post(Some(&secretariat), Value::Array(vec![op.clone(); 2]))
        .await;
    assert_eq!(status, 200);
    assert_eq!(body[1]["data"]["viewer"]["name"], "snv");

    // Bad input names the field.
    let (code, error) = api
        .error(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "  ",
                "leadId": p.tu_phap.0, "expectedOutput": "Báo cáo"
            }}),
        )
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("title"))
    );
    let (code, error) = api
        .error(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.program, "category": "INSTITUTIONAL", "title": "Nhiệm vụ",
                "leadId": p.tu_phap.0, "expectedOutput": "Báo cáo"
            }}),
        )
        .await;
    assert_eq!(
        code, "BAD_USER_INPUT",
        "a program's id is not a plan's: {error}"
    );
    assert_eq!(error["extensions"]["field"], "planId");
    let (code, _) = api
        .error(
            &secretariat,
            "{ task(id: \"bm90LWFuLWlk\") { title } }",
            json!({}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    let missing = reform_domain::TaskId::generate();
    let (code, _) = api
        .error(
            &secretariat,
            "query($id: ID!) { task(id: $id) { title } }",
            json!({ "id": task_global_id(missing) }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");
    // A domain refusal: an unknown lead agency.
    let (code, error) = api
        .error(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "Nhiệm vụ",
                "leadId": agency_global_id(AgencyId::generate()), "expectedOutput": "Báo cáo"
            }}),
        )
        .await;
    assert_eq!(code, "NOT_FOUND", "{error}");
    // Connections need `first` or `last`; more than 100 is clamped.
    let (code, _) = api
        .error(&secretariat, "{ tasks { totalCount } }", json!({}))
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    // Depth is limited.
    let deep = format!(
        "{{ tasks(first: 1) {{ nodes {{ {}id{} }} }} }}",
        "parent { ".repeat(20),
        " }".repeat(20)
    );
    let (_, body) = api.post(Some(&secretariat), json!({ "query": deep })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nested too deep"),
        "{body}"
    );

    assert_eq!(
        t.store.head().await.expect("head"),
        head,
        "nothing was written by the refused requests"
    );
    let _ = p.noi_vu;
    for (path, status) in [("livez", 200), ("readyz", 200), ("graphiql", 200)] {
        let response = api
            .http
            .get(format!("{}/{path}", api.url))
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), status, "/{path}");
    }
    api.stop().await;

    // Production: introspection and suggestions off.
    let api = ApiServer::start(
        &t,
        Options {
            introspection: false,
            graphiql: false,
            ..Options::default()
        },
    )
    .await;
    let token = api.token(Role::Leader, "l", None);
    let (_, body) = api
        .post(
            Some(&token),
            json!({ "query": "{ __schema { types { name } } }" }),
        )
        .await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let response = api
        .http
        .get(format!("{}/graphiql", api.url))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status().as_u16(), 404);
    api.stop().await;
}

fn task_global_id(id: reform_domain::TaskId) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Task:{}", id.0))
}

fn agency_global_id(id: AgencyId) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Agency:{}", id.0))
}

/// A graphql-transport-ws client: connects, sends `connection_init` with `payload`.
async fn subscribe_socket(
    api: &ApiServer,
    init: Value,
    origin: Option<&str>,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    tokio_tungstenite::tungstenite::Error,
> {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    use tokio_tungstenite::tungstenite::Message;

    let mut request = format!("{}/graphql", api.url.replacen("http", "ws", 1))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().expect("header"));
    }
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await?;
    socket
        .send(Message::text(
            json!({ "type": "connection_init", "payload": init }).to_string(),
        ))
        .await?;
    Ok(socket)
}

/// The next JSON message, within 10 seconds; `None` when the socket closed.
async fn next_message(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Option<Value> {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), socket.next())
            .await
            .expect("a message within 10 s")?;
        match message.ok()? {
            Message::Text(text) => return serde_json::from_str(text.as_str()).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

async fn subscribers_of_one_instance_see_what_another_committed(t: TestStore) {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;

    let writer = ApiServer::start(&t, Options::default()).await;
    let reader = ApiServer::another(&t, Options::default()).await;
    let secretariat = writer.token(Role::Secretariat, "snv", None);
    let p = province(&writer, &secretariat).await;
    let leader = reader.token(Role::Leader, "chu-tich", None);
    // The reader follows the shared log: ready once it has reached the head.
    let ready = reader
        .http
        .get(format!("{}/readyz", reader.url))
        .send()
        .await
        .expect("answer");
    assert_eq!(ready.status().as_u16(), 200);

    let mut socket = subscribe_socket(
        &reader,
        json!({ "Authorization": format!("Bearer {leader}") }),
        None,
    )
    .await
    .expect("connects");
    assert_eq!(
        next_message(&mut socket).await.expect("ack")["type"],
        "connection_ack"
    );
    let subscribe = |id: &str, query: &str| {
        Message::text(
            json!({ "id": id, "type": "subscribe", "payload": { "query": query } }).to_string(),
        )
    };
    socket
        .send(subscribe(
            "tasks",
            "subscription { taskEvents { eventType actor { userId } task { title percent } } }",
        ))
        .await
        .expect("subscribe");
    socket
        .send(subscribe(
            "progress",
            &format!(
                "subscription {{ pillarProgressChanged(programId: \"{}\") {{ pillars {{ pillar {{ code }} percent counts {{ total }} }} }} }}",
                p.program
            ),
        ))
        .await
        .expect("subscribe");
    // The progress subscription answers at once with where things stand.
    let first = next_message(&mut socket).await.expect("progress now");
    assert_eq!(first["id"], "progress", "{first}");
    assert_eq!(
        first["payload"]["data"]["pillarProgressChanged"]["pillars"][0]["counts"]["total"], 0,
        "{first}"
    );

    // Writes through the other instance.
    let officer = writer.token(Role::Officer, "can-bo", Some(p.tu_phap.1));
    let task = writer
        .ok(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "Rà soát thủ tục",
                "leadId": p.tu_phap.0, "deadline": days_ago(0), "expectedOutput": "Báo cáo"
            }}),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    writer
        .ok(
            &officer,
            r#"mutation($input: ReportProgressInput!) { reportProgress(input: $input) { version } }"#,
            json!({ "input": { "taskId": task, "percent": 60, "note": "Đang làm" } }),
        )
        .await;

    let mut task_events = Vec::new();
    let mut progress = Vec::new();
    while task_events.len() < 2 || progress.last() != Some(&json!(60.0)) {
        let message = next_message(&mut socket).await.expect("an update");
        assert_eq!(message["type"], "next", "{message}");
        let data = &message["payload"]["data"];
        if message["id"] == "tasks" {
            let e = &data["taskEvents"];
            task_events.push((
                e["eventType"].as_str().unwrap_or("").to_owned(),
                e["actor"]["userId"].as_str().unwrap_or("").to_owned(),
                e["task"]["percent"].clone(),
            ));
        } else {
            progress.push(data["pillarProgressChanged"]["pillars"][0]["percent"].clone());
        }
    }
    let seen: Vec<(&str, &str)> = task_events
        .iter()
        .map(|(kind, actor, _)| (kind.as_str(), actor.as_str()))
        .collect();
    assert_eq!(
        seen,
        vec![("TaskCreated", "snv"), ("TaskProgressReported", "can-bo")],
        "each event in order, with its actor"
    );
    assert_eq!(
        task_events[1].2,
        json!(60.0),
        "the task as it stands after the report"
    );
    let _ = socket.close(None).await;

    // No token in connection_init: the server closes the socket.
    let mut anonymous = subscribe_socket(&reader, json!({}), None)
        .await
        .expect("connects");
    assert!(next_message(&mut anonymous).await.is_none(), "closed");
    // Another site's page may not open a subscription.
    assert!(subscribe_socket(
        &reader,
        json!({ "Authorization": format!("Bearer {leader}") }),
        Some("https://evil.example")
    )
    .await
    .is_err());

    writer.stop().await;
    reader.stop().await;
}

async fn the_record_around_the_plans_is_kept_through_mutations(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    let p = province(&api, &secretariat).await;
    let officer = api.token(Role::Officer, "can-bo-tu-phap", Some(p.tu_phap.1));

    // Heads, a new name, evaluations.
    api.ok(
        &secretariat,
        r#"mutation($input: AppointHeadInput!) { appointHead(input: $input) { version } }"#,
        json!({ "input": { "agencyId": p.tu_phap.0, "name": "Lò Văn Tiến", "title": "Giám đốc Sở", "from": "2024-01-01" } }),
    )
    .await;
    api.ok(
        &secretariat,
        r#"mutation($input: RenameAgencyInput!) { renameAgency(input: $input) { agency { name } } }"#,
        json!({ "input": { "agencyId": p.tu_phap.0, "newName": "Sở Tư pháp tỉnh Sơn La (mới)", "effectiveOn": "2025-03-01", "reason": "Quyết định 12/QĐ-UBND" } }),
    )
    .await;
    api.ok(
        &secretariat,
        r#"mutation($input: PublishParIndexInput!) { publishParIndex(input: $input) { version } }"#,
        json!({ "input": { "agencyId": p.tu_phap.0, "year": 2025, "block": "DEPARTMENTS", "total": 86.5, "decision": "Quyết định 300/QĐ-UBND" } }),
    )
    .await;
    api.ok(
        &secretariat,
        r#"mutation($input: PublishSipasInput!) { publishSipas(input: $input) { version } }"#,
        json!({ "input": { "agencyId": p.tu_phap.0, "year": 2025, "satisfactionPercent": 84.2 } }),
    )
    .await;
    // An officer reports their own dossier statistics; unbalanced ones are refused.
    let dossiers = r#"mutation($input: ReportDossierStatisticsInput!) { reportDossierStatistics(input: $input) { version } }"#;
    let counts = |late: u64| {
        json!({
            "receivedOnline": 300, "receivedInPerson": 100, "carriedOver": 0,
            "resolvedEarly": 100, "resolvedOnTime": 180, "resolvedLate": late,
            "inProcessWithinDeadline": 100, "inProcessOverdue": 0, "apologyLetters": 20
        })
    };
    let (code, error) = api
        .error(
            &officer,
            dossiers,
            json!({ "input": { "periodFrom": "2025-01-01", "periodTo": "2025-06-30", "counts": counts(25) } }),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{error}");
    assert_eq!(error["extensions"]["field"], "counts");
    assert!(
        error["message"].as_str().unwrap_or("").contains("405"),
        "{error}"
    );
    api.ok(
        &officer,
        dossiers,
        json!({ "input": { "periodFrom": "2025-01-01", "periodTo": "2025-06-30", "counts": counts(20) } }),
    )
    .await;
    let (code, _) = api
        .error(
            &officer,
            dossiers,
            json!({ "input": { "agencyId": p.noi_vu.0, "periodFrom": "2025-01-01", "periodTo": "2025-06-30", "counts": counts(20) } }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "not another agency's");

    // Sơn La has no band scheme on record (nor the nation for 2025): the result is
    // unbanded until the secretariat records one.
    let band = "query($id: ID!) { agency(id: $id) { scorecard { par { band } } } }";
    let before = api.ok(&officer, band, json!({ "id": p.tu_phap.0 })).await;
    assert_eq!(
        before["agency"]["scorecard"]["par"]["band"],
        Value::Null,
        "{before}"
    );
    api.ok(
        &secretariat,
        r#"mutation($input: SetBandSchemeInput!) { setBandScheme(input: $input) { version } }"#,
        json!({ "input": { "jurisdiction": "VN-05", "fromYear": 2021, "bands": [
            { "name": "Xuất sắc", "minTotal": 90 }, { "name": "Tốt", "minTotal": 80 },
            { "name": "Khá", "minTotal": 70 }, { "name": "Trung bình", "minTotal": 0 } ] } }),
    )
    .await;
    let card = api
        .ok(
            &officer,
            r#"query($id: ID!) { agency(id: $id) { name heads { name } scorecard { par { total band year } sipasPercent dossierOnTimeRate head { name } }
                 dossierStatistics { from to field received resolvedInTime resolvedLate overdue onTimeRate } } }"#,
            json!({ "id": p.tu_phap.0 }),
        )
        .await;
    let agency = &card["agency"];
    assert_eq!(agency["name"], "Sở Tư pháp tỉnh Sơn La (mới)");
    assert_eq!(agency["scorecard"]["par"]["total"], 86.5);
    assert_eq!(agency["scorecard"]["par"]["band"], "Tốt");
    assert_eq!(agency["scorecard"]["sipasPercent"], 84.2);
    assert_eq!(agency["scorecard"]["dossierOnTimeRate"], 280.0 / 300.0);
    assert_eq!(agency["scorecard"]["head"]["name"], "Lò Văn Tiến");
    assert_eq!(
        agency["dossierStatistics"],
        json!([{ "from": "2025-01-01", "to": "2025-06-30", "field": null, "received": 400,
                 "resolvedInTime": 280, "resolvedLate": 20, "overdue": 0,
                 "onTimeRate": 280.0 / 300.0 }])
    );
    let (code, _) = api
        .error(
            &officer,
            r#"query($id: ID!) { agency(id: $id) { scorecard { tasksLed } } }"#,
            json!({ "id": p.noi_vu.0 }),
        )
        .await;
    assert_eq!(
        code, "FORBIDDEN",
        "officers see their own agency's records only"
    );

    // Indicators: define, target, measure, trajectory.
    let indicator = api
        .ok(
            &secretariat,
            r#"mutation($input: DefineIndicatorInput!) { defineIndicator(input: $input) { indicator { id code } } }"#,
            json!({ "input": { "code": "SL_DVC_TOAN_TRINH", "name": "Tỷ lệ hồ sơ trực tuyến toàn trình", "unit": "%",
                               "direction": "HIGHER_IS_BETTER", "baseline": 20.0, "baselineOn": "2021-01-01", "jurisdiction": "VN-05" } }),
        )
        .await["defineIndicator"]["indicator"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    api.ok(
        &secretariat,
        r#"mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { version } }"#,
        json!({ "input": { "indicatorId": indicator, "year": 2025, "value": 80.0 } }),
    )
    .await;
    let measured = api
        .ok(
            &secretariat,
            r#"mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { indicator { trajectory { rag latest { value } target { year } } } } }"#,
            json!({ "input": { "indicatorId": indicator, "measuredOn": "2025-12-31", "value": 81.0, "source": "Cổng DVC" } }),
        )
        .await;
    let trajectory = &measured["recordMeasurement"]["indicator"]["trajectory"];
    assert_eq!(trajectory["rag"], "GREEN", "{measured}");
    assert_eq!(trajectory["target"]["year"], 2025);

    // A directive, an amendment, and a merger whose open tasks pass on.
    let directive = api
        .ok(
            &secretariat,
            r#"mutation($input: IssueDirectiveInput!) { issueDirective(input: $input) { document { id ... on Directive { number program { number } } } } }"#,
            json!({ "input": {
                "header": { "number": "05/CT-UBND", "title": "Chỉ thị về tăng cường kỷ luật, kỷ cương", "issuedOn": "2025-02-01", "issuer": "UBND tỉnh Sơn La" },
                "programId": p.program, "jurisdiction": "VN-05",
                "points": [{ "number": 1, "text": "Siết chặt kỷ luật công vụ", "pillars": ["CIVIL_SERVICE"] }]
            }}),
        )
        .await;
    assert_eq!(
        directive["issueDirective"]["document"]["program"]["number"],
        "1136/QĐ-UBND"
    );
    let amended = api
        .ok(
            &secretariat,
            r#"mutation($input: AmendDocumentInput!) { amendDocument(input: $input) { document { ... on Plan { title } } version } }"#,
            json!({ "input": { "documentId": p.plan, "title": "Kế hoạch CCHC năm 2026 (sửa đổi)", "reason": "Bổ sung nhiệm vụ" } }),
        )
        .await;
    assert_eq!(
        amended["amendDocument"]["document"]["title"],
        "Kế hoạch CCHC năm 2026 (sửa đổi)"
    );
    let task = api
        .ok(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "CIVIL_SERVICE", "title": "Sắp xếp tổ chức",
                "leadId": p.tu_phap.0, "deadline": "2026-12-31", "expectedOutput": "Đề án"
            }}),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    api.ok(
        &secretariat,
        r#"mutation($input: MergeAgencyInput!) { mergeAgency(input: $input) { agency { status successor { name } } } }"#,
        json!({ "input": { "agencyId": p.tu_phap.0, "successorId": p.noi_vu.0, "effectiveOn": "2025-07-01", "legalBasis": "Nghị quyết 1/NQ-HĐND" } }),
    )
    .await;
    let moved = api
        .ok(
            &secretariat,
            r#"query($id: ID!) { task(id: $id) { lead { name } inheritedFrom { name } } }"#,
            json!({ "id": task }),
        )
        .await;
    assert_eq!(moved["task"]["lead"]["name"], "Sở Nội vụ tỉnh Sơn La");
    assert_eq!(
        moved["task"]["inheritedFrom"][0]["name"],
        "Sở Tư pháp tỉnh Sơn La (mới)"
    );
    api.stop().await;
}

/// Role × mutation: every mutation a role may not send is FORBIDDEN and writes nothing.
async fn every_role_is_refused_every_mutation_it_may_not_send(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    let p = province(&api, &secretariat).await;
    let task = api
        .ok(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "Nhiệm vụ",
                "leadId": p.tu_phap.0, "deadline": "2026-12-31", "expectedOutput": "Báo cáo"
            }}),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let indicator = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("Indicator:{}", uuid::Uuid::now_v7()))
    };
    let (agency, other) = (p.tu_phap.0.clone(), p.noi_vu.0.clone());
    let header = json!({ "number": "9/KH", "title": "Văn bản", "issuedOn": "2026-01-01", "issuer": "UBND tỉnh" });
    let counts = json!({
        "receivedOnline": 1, "receivedInPerson": 0, "carriedOver": 0, "resolvedEarly": 1,
        "resolvedOnTime": 0, "resolvedLate": 0, "inProcessWithinDeadline": 0,
        "inProcessOverdue": 0, "apologyLetters": 0
    });
    // (mutation, input type, input, roles that may send it)
    let secretariat_only = &[Role::Secretariat][..];
    let officers = &[Role::Officer][..];
    let matrix: Vec<(&str, &str, Value, &[Role])> = vec![
        (
            "registerAgency",
            "RegisterAgencyInput",
            json!({ "name": "Sở X", "tier": "DEPARTMENT", "jurisdiction": "VN-05" }),
            secretariat_only,
        ),
        (
            "renameAgency",
            "RenameAgencyInput",
            json!({ "agencyId": agency, "newName": "Y", "effectiveOn": "2026-01-01", "reason": "r" }),
            secretariat_only,
        ),
        (
            "appointHead",
            "AppointHeadInput",
            json!({ "agencyId": agency, "name": "A", "from": "2026-01-01" }),
            secretariat_only,
        ),
        (
            "mergeAgency",
            "MergeAgencyInput",
            json!({ "agencyId": agency, "successorId": other, "effectiveOn": "2026-01-01", "legalBasis": "l" }),
            secretariat_only,
        ),
        (
            "dissolveAgency",
            "DissolveAgencyInput",
            json!({ "agencyId": agency, "effectiveOn": "2026-01-01", "legalBasis": "l", "reason": "r" }),
            secretariat_only,
        ),
        (
            "issueProgram",
            "IssueProgramInput",
            json!({ "header": header, "level": "PROVINCIAL", "jurisdiction": "VN-05", "fromYear": 2021, "toYear": 2030 }),
            secretariat_only,
        ),
        (
            "issueDirective",
            "IssueDirectiveInput",
            json!({ "header": header, "jurisdiction": "VN-05", "points": [{ "number": 1, "text": "t" }] }),
            secretariat_only,
        ),
        (
            "issuePlan",
            "IssuePlanInput",
            json!({ "header": header, "implementsId": p.program, "issuingAgencyId": agency, "jurisdiction": "VN-05", "fromYear": 2026, "toYear": 2026 }),
            secretariat_only,
        ),
        (
            "establishJurisdiction",
            "EstablishJurisdictionInput",
            json!({ "code": "VN-DN-HV", "name": "Xã Hòa Vang", "level": "COMMUNE", "parent": "VN-DN", "establishedOn": "2025-07-01" }),
            secretariat_only,
        ),
        (
            "mergeJurisdiction",
            "MergeJurisdictionInput",
            json!({ "code": "VN-27", "successor": "VN-DN", "effectiveOn": "2025-07-01", "legalBasis": "202/2025/QH15" }),
            secretariat_only,
        ),
        (
            "amendDocument",
            "AmendDocumentInput",
            json!({ "documentId": p.plan, "title": "T", "reason": "r" }),
            secretariat_only,
        ),
        (
            "setRollupRule",
            "SetRollupRuleInput",
            json!({ "programId": p.program, "rule": "STATUS_BASED", "reason": "r" }),
            secretariat_only,
        ),
        (
            "createTask",
            "CreateTaskInput",
            json!({ "planId": p.plan, "category": "INSTITUTIONAL", "title": "T", "leadId": agency, "expectedOutput": "o" }),
            secretariat_only,
        ),
        (
            "reassignTask",
            "ReassignTaskInput",
            json!({ "taskId": task, "newLeadId": other, "reason": "r" }),
            secretariat_only,
        ),
        (
            "transferTask",
            "TransferTaskInput",
            json!({ "taskId": task, "fromAgencyId": agency, "toAgencyId": other, "legalBasis": "l" }),
            secretariat_only,
        ),
        (
            "extendDeadline",
            "ExtendDeadlineInput",
            json!({ "taskId": task, "newDeadline": "2027-06-30", "reason": "r" }),
            secretariat_only,
        ),
        (
            "reopenTask",
            "TaskReasonInput",
            json!({ "taskId": task, "reason": "r" }),
            secretariat_only,
        ),
        (
            "cancelTask",
            "TaskReasonInput",
            json!({ "taskId": task, "reason": "r" }),
            secretariat_only,
        ),
        (
            "defineIndicator",
            "DefineIndicatorInput",
            json!({ "code": "X_1", "name": "X", "unit": "%", "direction": "HIGHER_IS_BETTER", "jurisdiction": "VN-05" }),
            secretariat_only,
        ),
        (
            "setIndicatorTarget",
            "SetIndicatorTargetInput",
            json!({ "indicatorId": indicator, "year": 2030, "value": 1.0 }),
            secretariat_only,
        ),
        (
            "recordMeasurement",
            "RecordMeasurementInput",
            json!({ "indicatorId": indicator, "measuredOn": "2026-01-01", "value": 1.0 }),
            secretariat_only,
        ),
        (
            "publishParIndex",
            "PublishParIndexInput",
            json!({ "agencyId": agency, "year": 2025, "block": "DEPARTMENTS", "total": 80.0 }),
            secretariat_only,
        ),
        (
            "publishSipas",
            "PublishSipasInput",
            json!({ "agencyId": agency, "year": 2025, "satisfactionPercent": 80.0 }),
            secretariat_only,
        ),
        (
            "setBandScheme",
            "SetBandSchemeInput",
            json!({ "jurisdiction": "VN-05", "fromYear": 2025, "bands": [{ "name": "A", "minTotal": 0 }] }),
            secretariat_only,
        ),
        (
            "importPlanTable",
            "ImportPlanTableInput",
            json!({ "planId": p.plan, "content": "U1RU", "reason": "r" }),
            secretariat_only,
        ),
        (
            "reportProgress",
            "ReportProgressInput",
            json!({ "taskId": task, "percent": 10, "note": "n" }),
            officers,
        ),
        (
            "completeTask",
            "CompleteTaskInput",
            json!({ "taskId": task, "output": "o" }),
            officers,
        ),
        (
            "reportDossierStatistics",
            "ReportDossierStatisticsInput",
            json!({ "agencyId": agency, "periodFrom": "2026-01-01", "periodTo": "2026-01-31", "counts": counts }),
            &[Role::Officer, Role::Secretariat][..],
        ),
    ];
    let mutations = api
        .ok(
            &secretariat,
            "{ __type(name: \"Mutation\") { fields { name } } }",
            json!({}),
        )
        .await;
    let served = mutations["__type"]["fields"].as_array().map_or(0, Vec::len);
    assert_eq!(
        served,
        matrix.len(),
        "the matrix covers every mutation served"
    );

    let head = t.store.head().await.expect("head");
    let tokens = [
        (Role::Leader, api.token(Role::Leader, "l", None)),
        (Role::Auditor, api.token(Role::Auditor, "a", None)),
        (
            Role::Officer,
            api.token(Role::Officer, "o", Some(p.tu_phap.1)),
        ),
        (Role::Secretariat, secretariat.clone()),
    ];
    let mut checked = 0;
    for (name, input_type, input, allowed) in &matrix {
        for (role, token) in &tokens {
            if allowed.contains(role) {
                continue;
            }
            let query = format!(
                "mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename }} }}"
            );
            let (code, error) = api.error(token, &query, json!({ "input": input })).await;
            assert_eq!(code, "FORBIDDEN", "{role:?} sending {name}: {error}");
            checked += 1;
        }
    }
    assert!(checked >= 70, "{checked} refusals checked");
    assert_eq!(t.store.head().await.expect("head"), head, "nothing written");
    api.stop().await;
}

/// The gateway reads the time only through its clock: a fixed clock decides what is
/// overdue and the recorded time of the commands it sends.
async fn the_gateway_judges_and_records_by_its_clock(t: TestStore) {
    let at: chrono::DateTime<Utc> = "2030-01-01T08:00:00Z".parse().expect("an instant");
    let options = Options {
        clock: reform_gateway::Clock::fixed(at),
        ..Options::default()
    };
    let api = ApiServer::start(&t, options).await;
    let secretariat = api.token(Role::Secretariat, "snv-thu-ky", None);
    let p = province(&api, &secretariat).await;
    let created = api
        .ok(
            &secretariat,
            r#"mutation($input: CreateTaskInput!) {
                 createTask(input: $input) { task { overdue daysOverdue history { recordedAt occurredAt } } } }"#,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "Rà soát thủ tục",
                "leadId": p.tu_phap.0, "deadline": "2029-06-30", "expectedOutput": "Báo cáo"
            }}),
        )
        .await;
    let task = &created["createTask"]["task"];
    assert_eq!(task["overdue"], true, "{created}");
    assert_eq!(task["daysOverdue"], 185, "30/6/2029 to 1/1/2030: {created}");
    assert_eq!(
        task["history"][0]["occurredAt"], "2030-01-01T08:00:00+00:00",
        "{created}"
    );
    api.stop().await;
}

/// 32 officers' reports on one task at once, none sending `expectedVersion`: each is
/// applied (writers of one stream take turns in the process; a lost race is re-decided,
/// never a CONFLICT); a stale `expectedVersion` still gets CONFLICT.
async fn writers_of_one_task_without_a_version_all_succeed(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    let p = province(&api, &secretariat).await;
    let task = api
        .ok(
            &secretariat,
            CREATE_TASK,
            json!({ "input": {
                "planId": p.plan, "category": "INSTITUTIONAL", "title": "Rà soát văn bản",
                "leadId": p.tu_phap.0, "deadline": days_ago(0), "expectedOutput": "Báo cáo"
            }}),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("task id")
        .to_owned();
    let officer = api.token(Role::Officer, "can-bo", Some(p.tu_phap.1));
    let report =
        r#"mutation($input: ReportProgressInput!) { reportProgress(input: $input) { version } }"#;
    let api = std::sync::Arc::new(api);
    let writers: Vec<_> = (0..32_u32)
        .map(|i| {
            let (api, officer, task) = (api.clone(), officer.clone(), task.clone());
            tokio::spawn(async move {
                api.post(
                    Some(&officer),
                    json!({ "query": report, "variables": { "input": {
                        "taskId": task, "percent": i % 100, "note": format!("báo cáo {i}") } } }),
                )
                .await
            })
        })
        .collect();
    for writer in writers {
        let (status, body) = writer.await.expect("a writer");
        assert_eq!(status, 200);
        assert!(body.get("errors").is_none(), "every report applies: {body}");
    }
    let version = api
        .ok(
            &officer,
            "query($id: ID!) { task(id: $id) { version } }",
            json!({ "id": task }),
        )
        .await["task"]["version"]
        .as_u64();
    assert_eq!(version, Some(33), "created, then 32 reports");
    let (code, error) = api
        .error(
            &officer,
            report,
            json!({ "input": { "taskId": task, "percent": 50, "note": "cũ", "expectedVersion": 5 } }),
        )
        .await;
    assert_eq!(code, "CONFLICT", "{error}");
    if let Ok(api) = std::sync::Arc::try_unwrap(api) {
        api.stop().await;
    }
}
