//! Jurisdictions are data: the register is established and changed through the API,
//! and when Quảng Nam merges into Đà Nẵng (1 July 2025) Quảng Nam's plan, agency and
//! tasks are read and written through Đà Nẵng, named by name, while Quảng Nam takes no
//! new records. Over HTTP, on both engines.

use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Options};
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(a_merged_province_is_read_and_written_through_its_successor);

const ESTABLISH: &str = r#"mutation($input: EstablishJurisdictionInput!) {
    establishJurisdiction(input: $input) { jurisdiction { code name level { code } parent { code } } } }"#;
const MERGE: &str = r#"mutation($input: MergeJurisdictionInput!) {
    mergeJurisdiction(input: $input) { jurisdiction { code successor { code name } mergedOn } } }"#;

fn token(api: &ApiServer, role: Role, jurisdiction: Option<&str>, agency: Option<&str>) -> String {
    let agency = agency.map(|a| AgencyId(a.parse().expect("a uuid")));
    api.keys
        .issue(&claims(
            role,
            "người dùng thử",
            agency,
            jurisdiction.map(str::to_owned),
            1,
        ))
        .map_err(|e| e.message())
        .expect("a token")
}

fn establish(code: &str, name: &str, level: &str, parent: Option<&str>) -> Value {
    json!({ "input": { "code": code, "name": name, "level": level, "parent": parent,
                       "establishedOn": "2008-08-01" } })
}

async fn a_merged_province_is_read_and_written_through_its_successor(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let national = token(&api, Role::Secretariat, None, None);
    let da_nang = token(&api, Role::Secretariat, Some("VN-DN"), None);
    let quang_nam = token(&api, Role::Secretariat, Some("VN-27"), None);

    // The register, as the national secretariat establishes it.
    for (code, name, level, parent) in [
        ("VN", "Việt Nam", "NATION", None),
        ("VN-DN", "Thành phố Đà Nẵng", "PROVINCE", Some("VN")),
        ("VN-27", "Tỉnh Quảng Nam", "PROVINCE", Some("VN")),
        ("VN-23", "Tỉnh Hà Tĩnh", "PROVINCE", Some("VN")),
    ] {
        let data = api
            .ok(&national, ESTABLISH, establish(code, name, level, parent))
            .await;
        assert_eq!(data["establishJurisdiction"]["jurisdiction"]["name"], name);
    }
    // A province's secretariat establishes its own communes, not provinces, nor
    // another province's communes.
    let commune = api
        .ok(
            &da_nang,
            ESTABLISH,
            establish("VN-DN-HV", "Xã Hòa Vang", "COMMUNE", Some("VN-DN")),
        )
        .await;
    assert_eq!(
        commune["establishJurisdiction"]["jurisdiction"]["parent"]["code"],
        "VN-DN"
    );
    for (what, input) in [
        (
            "a province",
            establish("VN-99", "Tỉnh Thử", "PROVINCE", Some("VN")),
        ),
        (
            "a commune of Quảng Nam",
            establish("VN-27-TK", "Xã Tam Kỳ", "COMMUNE", Some("VN-27")),
        ),
    ] {
        let (code, error) = api.error(&da_nang, ESTABLISH, input).await;
        assert_eq!(code, "FORBIDDEN", "{what}: {error}");
    }
    let (code, error) = api
        .error(
            &da_nang,
            MERGE,
            json!({ "input": { "code": "VN-27", "successor": "VN-DN",
                               "effectiveOn": "2025-07-01", "legalBasis": "202/2025/QH15" } }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "a province merging another: {error}");

    // Quảng Nam's plan under the national program, with a task its department leads,
    // before the merger.
    let program = api
        .ok(
            &national,
            r#"mutation($input: IssueProgramInput!) { issueProgram(input: $input) { program { id } } }"#,
            json!({ "input": {
                "header": { "number": "76/NQ-CP", "title": "Chương trình tổng thể CCHC 2021-2030",
                            "issuedOn": "2021-07-15", "issuer": "Chính phủ" },
                "level": "NATIONAL", "jurisdiction": "VN", "fromYear": 2021, "toYear": 2030 } }),
        )
        .await["issueProgram"]["program"]["id"]
        .as_str()
        .expect("program id")
        .to_owned();
    let department = api
        .ok(
            &quang_nam,
            r#"mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) { agency { id uuid } } }"#,
            json!({ "input": { "name": "Sở Nội vụ tỉnh Quảng Nam", "tier": "DEPARTMENT",
                               "jurisdiction": "VN-27" } }),
        )
        .await["registerAgency"]["agency"]
        .clone();
    let department_id = department["id"].as_str().expect("id").to_owned();
    let plan = api
        .ok(
            &quang_nam,
            r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { plan { id } } }"#,
            json!({ "input": {
                "header": { "number": "21/KH-UBND", "title": "Kế hoạch CCHC năm 2025 tỉnh Quảng Nam",
                            "issuedOn": "2025-01-10", "issuer": "UBND tỉnh Quảng Nam" },
                "implementsId": program, "issuingAgencyId": department_id,
                "jurisdiction": "VN-27", "fromYear": 2025, "toYear": 2025 } }),
        )
        .await["issuePlan"]["plan"]["id"]
        .as_str()
        .expect("plan id")
        .to_owned();
    let task = api
        .ok(
            &quang_nam,
            r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { task { id } } }"#,
            json!({ "input": {
                "planId": plan, "category": "INSTITUTIONAL", "title": "Rà soát văn bản quy phạm pháp luật",
                "leadId": department_id, "deadline": "2025-12-31", "expectedOutput": "Báo cáo" } }),
        )
        .await["createTask"]["task"]["id"]
        .as_str()
        .expect("task id")
        .to_owned();
    let officer = token(
        &api,
        Role::Officer,
        None,
        Some(department["uuid"].as_str().expect("uuid")),
    );
    api.ok(
        &officer,
        r#"mutation($input: ReportProgressInput!) { reportProgress(input: $input) { version } }"#,
        json!({ "input": { "taskId": task, "percent": 40, "note": "Đã rà soát 40%" } }),
    )
    .await;

    // Before the merger Đà Nẵng may not open Quảng Nam's plan.
    let da_nang_leader = token(&api, Role::Leader, Some("VN-DN"), None);
    let open_plan = r#"query($id: ID!) { node(id: $id) { ... on Plan { number jurisdiction jurisdictionName } } }"#;
    let (code, _) = api
        .error(&da_nang_leader, open_plan, json!({ "id": plan }))
        .await;
    assert_eq!(code, "FORBIDDEN");

    // The merger, by the national secretariat.
    let merged = api
        .ok(
            &national,
            MERGE,
            json!({ "input": { "code": "VN-27", "successor": "VN-DN",
                               "effectiveOn": "2025-07-01", "legalBasis": "202/2025/QH15" } }),
        )
        .await;
    assert_eq!(
        merged["mergeJurisdiction"]["jurisdiction"]["successor"]["name"],
        "Thành phố Đà Nẵng"
    );

    // Now Đà Nẵng's leader opens the plan (its history still says Quảng Nam), lists
    // its task, and counts it in the program's roll-up.
    let opened = api
        .ok(&da_nang_leader, open_plan, json!({ "id": plan }))
        .await;
    assert_eq!(opened["node"]["jurisdiction"], "VN-27");
    assert_eq!(opened["node"]["jurisdictionName"], "Tỉnh Quảng Nam");
    let tasks = api
        .ok(
            &da_nang_leader,
            "{ tasks(first: 10) { totalCount nodes { title } } }",
            json!({}),
        )
        .await;
    assert_eq!(tasks["tasks"]["totalCount"], 1, "{tasks}");
    let rollup = api
        .ok(
            &da_nang_leader,
            "query($id: ID!) { node(id: $id) { ... on Program { rollup { percent } } } }",
            json!({ "id": program }),
        )
        .await;
    assert_eq!(rollup["node"]["rollup"]["percent"], 40.0, "{rollup}");

    // The national leader's league of provinces names Đà Nẵng, with Quảng Nam's plan
    // in it, and no row for Quảng Nam.
    let leader = token(&api, Role::Leader, None, None);
    let league = api
        .ok(
            &leader,
            "query($id: ID!) { node(id: $id) { ... on Program { progressByJurisdiction { jurisdiction name progress { percent } } } } }",
            json!({ "id": program }),
        )
        .await;
    assert_eq!(
        league["node"]["progressByJurisdiction"],
        json!([{ "jurisdiction": "VN-DN", "name": "Thành phố Đà Nẵng", "progress": { "percent": 40.0 } }]),
        "{league}"
    );
    // A Hà Tĩnh leader still sees none of it.
    let ha_tinh = token(&api, Role::Leader, Some("VN-23"), None);
    let theirs = api
        .ok(&ha_tinh, "{ tasks(first: 10) { totalCount } }", json!({}))
        .await;
    assert_eq!(theirs["tasks"]["totalCount"], 0);

    // Đà Nẵng's secretariat now writes Quảng Nam's task; Quảng Nam takes no new records.
    let amended = api
        .ok(
            &da_nang,
            r#"mutation($input: ExtendDeadlineInput!) { extendDeadline(input: $input) { version } }"#,
            json!({ "input": { "taskId": task, "newDeadline": "2026-03-31",
                               "reason": "Sáp nhập tỉnh" } }),
        )
        .await;
    assert!(amended["extendDeadline"]["version"].as_u64().is_some());
    let (code, error) = api
        .error(
            &national,
            r#"mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) { version } }"#,
            json!({ "input": { "name": "Sở Tư pháp tỉnh Quảng Nam", "tier": "DEPARTMENT",
                               "jurisdiction": "VN-27" } }),
        )
        .await;
    assert_eq!(code, "CONFLICT", "{error}");
    assert!(
        error["message"].as_str().unwrap_or("").contains("VN-DN"),
        "{error}"
    );

    // The audit log: the register's changes are public; Quảng Nam's task is read by
    // Đà Nẵng's auditor now, never by Hà Tĩnh's.
    let audit = "{ auditLog(first: 100) { nodes { action entityKind } } }";
    let actions = |data: &Value| -> Vec<String> {
        data["auditLog"]["nodes"]
            .as_array()
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|n| n["action"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let da_nang_auditor = token(&api, Role::Auditor, Some("VN-DN"), None);
    let seen = actions(&api.ok(&da_nang_auditor, audit, json!({})).await);
    for action in ["JurisdictionMerged", "TaskProgressReported", "TaskCreated"] {
        assert!(seen.iter().any(|a| a == action), "{action} in {seen:?}");
    }
    let ha_tinh_auditor = token(&api, Role::Auditor, Some("VN-23"), None);
    let seen = actions(&api.ok(&ha_tinh_auditor, audit, json!({})).await);
    assert!(seen.iter().any(|a| a == "JurisdictionMerged"), "{seen:?}");
    assert!(
        !seen
            .iter()
            .any(|a| a.starts_with("Task") || a == "PlanIssued"),
        "{seen:?}"
    );

    // The register reads as 34 provinces would: live ones by default, merged on ask.
    let register = api
        .ok(
            &leader,
            "{ live: jurisdictions { code } all: jurisdictions(includeMerged: true) { code successor { code } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        register["live"],
        json!([{ "code": "VN-23" }, { "code": "VN-DN" }])
    );
    assert_eq!(register["all"].as_array().map(Vec::len), Some(3));
    api.stop().await;
}
