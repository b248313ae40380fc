//! Hostile input over HTTP: each is a typed error naming the field, nothing is
//! written, and the server answers afterwards.

use reform_domain::Role;
use reform_gateway::Options;
use serde_json::json;

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(audit_times_far_outside_the_calendar_compare_as_times);

/// The audit log filtered by times far outside any stored year: after year 262142
/// nothing happened; before it, everything did; on both engines alike.
async fn audit_times_far_outside_the_calendar_compare_as_times(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    api.ok(
        &secretariat,
        REGISTER,
        json!({ "input": { "name": "Sở Nội vụ", "tier": "DEPARTMENT", "jurisdiction": "VN-05" } }),
    )
    .await;
    let auditor = api.token(Role::Auditor, "thanh-tra", None);
    let count = |filter: serde_json::Value| {
        let (api, auditor) = (&api, &auditor);
        async move {
            api.ok(
                auditor,
                "query($f: AuditFilterInput) { auditLog(filter: $f, first: 100) { edges { cursor } } }",
                json!({ "f": filter }),
            )
            .await["auditLog"]["edges"]
                .as_array()
                .map_or(0, Vec::len)
        }
    };
    let all = count(json!({})).await;
    assert!(all > 0);
    assert_eq!(count(json!({ "from": "+262142-12-31T00:00:00Z" })).await, 0);
    assert_eq!(count(json!({ "to": "+262142-12-31T00:00:00Z" })).await, all);
    assert_eq!(count(json!({ "from": "2000-01-01T00:00:00Z" })).await, all);
    assert_eq!(count(json!({ "to": "2000-01-01T00:00:00Z" })).await, 0);
    api.stop().await;
}

const REGISTER: &str = r#"mutation($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { agency { id } } }"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hidden_characters_and_absurd_years_are_refused_by_field() {
    let t = TestStore::sqlite().await;
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "snv", None);
    let agency = |name: &str| json!({ "input": { "name": name, "tier": "DEPARTMENT", "jurisdiction": "VN-05" } });
    let lead = api
        .ok(&secretariat, REGISTER, agency("Sở Nội vụ tỉnh Sơn La"))
        .await["registerAgency"]["agency"]["id"]
        .clone();
    let program = api
        .ok(
            &secretariat,
            r#"mutation($input: IssueProgramInput!) { issueProgram(input: $input) { program { id } } }"#,
            json!({ "input": {
                "header": { "number": "1/QĐ-UBND", "title": "Chương trình CCHC", "issuedOn": "2021-06-01",
                            "issuer": "UBND tỉnh Sơn La" },
                "level": "PROVINCIAL", "jurisdiction": "VN-05", "fromYear": 2021, "toYear": 2030 } }),
        )
        .await["issueProgram"]["program"]["id"]
        .clone();
    let plan = api
        .ok(
            &secretariat,
            r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { plan { id } } }"#,
            json!({ "input": {
                "header": { "number": "2/KH-UBND", "title": "Kế hoạch CCHC năm 2024", "issuedOn": "2024-01-05",
                            "issuer": "UBND tỉnh Sơn La" },
                "implementsId": program, "issuingAgencyId": lead,
                "jurisdiction": "VN-05", "fromYear": 2024, "toYear": 2024 } }),
        )
        .await["issuePlan"]["plan"]["id"]
        .clone();
    let head = t.store.head().await.expect("head");

    let (code, error) = api
        .error(&secretariat, REGISTER, agency("Sở Tư pháp\u{202E}gnaH"))
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("name")),
        "{error}"
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("U+202E"),
        "{error}"
    );

    let task = |title: &str, deadline: &str| {
        json!({ "input": { "planId": plan, "category": "INSTITUTIONAL", "title": title,
                           "leadId": lead, "deadline": deadline, "expectedOutput": "Báo cáo" } })
    };
    let create = r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }"#;
    let (code, error) = api
        .error(
            &secretariat,
            create,
            task("Rà soát\u{200B} văn bản", "2024-12-31"),
        )
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("title")),
        "{error}"
    );
    for year in ["0001", "9999", "+10000"] {
        let (code, error) = api
            .error(
                &secretariat,
                create,
                task("Rà soát văn bản", &format!("{year}-12-31")),
            )
            .await;
        assert_eq!(code, "BAD_USER_INPUT", "{year}: {error}");
    }
    assert_eq!(
        t.store.head().await.expect("head"),
        head,
        "nothing was written"
    );
    api.ok(&secretariat, create, task("Rà soát văn bản", "2024-12-31"))
        .await;
    api.stop().await;
}

/// A 200 KB id or enum value is refused in a message of a few hundred characters,
/// not echoed back whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_input_is_not_echoed_back() {
    let t = TestStore::sqlite().await;
    let api = ApiServer::start(&t, Options::default()).await;
    let leader = api.token(Role::Leader, "lanh-dao", None);
    let huge = "A".repeat(200_000);
    for (query, variables) in [
        (
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": huge }),
        ),
        (
            "query($c: CategoryCode) { tasks(first: 1, filter: { category: $c }) { totalCount } }",
            json!({ "c": huge }),
        ),
    ] {
        let (status, body) = api
            .post(
                Some(&leader),
                json!({ "query": query, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200);
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.len() < 1_000, "{} characters", message.len());
    }
    api.ok(&leader, "{ viewer { name } }", json!({})).await;
    api.stop().await;
}

/// Time travel folds the whole log, so a request may hold at most four folds: five
/// `asOf` aliases are refused before any runs, four are answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn time_travel_is_costed_by_the_fold_it_needs() {
    let t = TestStore::sqlite().await;
    let api = ApiServer::start(&t, Options::default()).await;
    let officer = api.token(
        Role::Officer,
        "can-bo",
        Some(reform_domain::AgencyId::generate()),
    );
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "a{i}: indicators(asOf: \"2024-0{}-01T00:00:00Z\") {{ code }}",
                    i + 1
                )
            })
            .collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let (status, body) = api
        .post(Some(&officer), json!({ "query": aliases(5) }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("complex"),
        "{body}"
    );
    assert!(body["data"].is_null(), "nothing ran: {body}");
    let body = api.ok(&officer, &aliases(4), json!({})).await;
    assert!(body["a3"].is_array(), "{body}");
    api.stop().await;
}
