//! Jurisdictions are the trust boundary for writes: a secretariat bound to a province
//! changes only that province's records and names only its own or national ones;
//! national records only a national secretariat changes. Over HTTP, on the demo, on
//! both engines; every refusal is FORBIDDEN and writes nothing.

use reform_commands::CommandHandler;
use reform_domain::Role;
use reform_gateway::{claims, Options};
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    a_provincial_secretariat_writes_only_its_own_province,
    the_national_program_reads_province_by_province,
);

/// Tokens the server must refuse, each with 401 in its own words (never the token
/// library's), and the server still answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_refused_in_the_servers_words() {
    use base64::Engine as _;
    let t = TestStore::sqlite().await;
    let api = ApiServer::start(&t, Options::default()).await;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let now = chrono::Utc::now().timestamp();
    let unsigned = format!(
        "{}.{}.",
        b64(&json!({ "alg": "none", "typ": "JWT" })),
        b64(&json!({ "sub": "x", "name": "x", "role": "LEADER", "iat": now, "exp": now + 60 }))
    );
    let long_lived = api
        .keys
        .issue(&claims(Role::Leader, "x", None, None, 365))
        .map_err(|e| e.message())
        .expect("token");
    let mut early = claims(Role::Leader, "x", None, None, 1);
    early.nbf = Some(now + 3_600);
    let early = api
        .keys
        .issue(&early)
        .map_err(|e| e.message())
        .expect("token");
    for (what, token, says) in [
        ("alg none", unsigned.as_str(), "the token is not valid"),
        (
            "a year-long token",
            long_lived.as_str(),
            "longer than the 30 days",
        ),
        (
            "a token valid from an hour on",
            early.as_str(),
            "the token is not valid",
        ),
    ] {
        let (status, body) = api
            .post(Some(token), json!({ "query": "{ viewer { name } }" }))
            .await;
        assert_eq!(status, 401, "{what}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{what}: {body}");
        assert!(
            !message.contains("variant") && !message.contains("Invalid"),
            "{what}: {body}"
        );
    }
    let fine = api.token(Role::Leader, "x", None);
    assert_eq!(
        api.ok(&fine, "{ viewer { name } }", json!({})).await["viewer"]["name"],
        "x"
    );
    api.stop().await;
}

/// Ids the demo gives, found as a national leader would find them.
struct Demo {
    national_program: String,
    ha_tinh_program: String,
    da_nang_plan: String,
    national_indicator: String,
    da_nang_agency: String,
    other_da_nang_agency: String,
    ha_noi_agency: String,
}

async fn demo_ids(api: &ApiServer) -> Demo {
    let leader = api.token(Role::Leader, "lanh-dao-trung-uong", None);
    let data = api
        .ok(
            &leader,
            r#"{ programs { id number jurisdiction plans { id number jurisdiction } }
                 agencies(first: 100) { nodes { id name jurisdiction } }
                 indicators { id jurisdiction } }"#,
            json!({}),
        )
        .await;
    let programs = data["programs"].as_array().expect("programs");
    let program = |number: &str| {
        programs
            .iter()
            .find(|p| p["number"] == number)
            .map(|p| p["id"].as_str().expect("id").to_owned())
            .unwrap_or_else(|| panic!("program {number}: {data}"))
    };
    let da_nang_plan = programs
        .iter()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "318/KH-UBND")
        .map(|p| p["id"].as_str().expect("id").to_owned())
        .expect("the Đà Nẵng plan");
    let agencies = data["agencies"]["nodes"].as_array().expect("agencies");
    let in_province = |code: &str| -> Vec<String> {
        agencies
            .iter()
            .filter(|a| a["jurisdiction"] == code)
            .map(|a| a["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let da_nang = in_province("VN-DN");
    Demo {
        national_program: program("76/NQ-CP"),
        ha_tinh_program: program("3504/QĐ-UBND"),
        da_nang_plan,
        national_indicator: data["indicators"]
            .as_array()
            .and_then(|all| all.iter().find(|i| i["jurisdiction"] == "VN"))
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .expect("a national indicator"),
        da_nang_agency: da_nang[0].clone(),
        other_da_nang_agency: da_nang[1].clone(),
        ha_noi_agency: in_province("VN-HN")[0].clone(),
    }
}

fn task_input(d: &Demo, lead: &str, client: &str) -> Value {
    json!({ "input": {
        "planId": d.da_nang_plan, "category": "INSTITUTIONAL", "title": "Rà soát văn bản",
        "leadId": lead, "deadline": "2024-12-31", "expectedOutput": "Báo cáo",
        "clientMutationId": client
    }})
}

async fn a_provincial_secretariat_writes_only_its_own_province(t: TestStore) {
    reform_cli::demo::load_demo(&CommandHandler::new(t.store.clone()))
        .await
        .expect("demo");
    let api = ApiServer::start(&t, Options::default()).await;
    let d = demo_ids(&api).await;
    let da_nang = api
        .keys
        .issue(&claims(
            Role::Secretariat,
            "snv-da-nang",
            None,
            Some("VN-DN".into()),
            1,
        ))
        .map_err(|e| e.message())
        .expect("a token");
    let head = t.store.head().await.expect("head");

    let refused: Vec<(&str, &str, Value)> = vec![
        (
            "the national band scheme",
            r#"mutation($input: SetBandSchemeInput!) { setBandScheme(input: $input) { version } }"#,
            json!({ "input": { "jurisdiction": "VN", "fromYear": 2025,
                               "bands": [{ "name": "A", "minTotal": 90 }] } }),
        ),
        (
            "the national program's roll-up rule",
            r#"mutation($input: SetRollupRuleInput!) { setRollupRule(input: $input) { version } }"#,
            json!({ "input": { "programId": d.national_program, "rule": "WEIGHTED_AVERAGE",
                               "reason": "thử" } }),
        ),
        (
            "an amendment of the national program",
            r#"mutation($input: AmendDocumentInput!) { amendDocument(input: $input) { version } }"#,
            json!({ "input": { "documentId": d.national_program, "amendedBy": "1/QĐ",
                               "title": "Đổi tên", "reason": "thử" } }),
        ),
        (
            "a national indicator's target",
            r#"mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { version } }"#,
            json!({ "input": { "indicatorId": d.national_indicator, "year": 2030, "value": 1.0 } }),
        ),
        (
            "a national indicator's measurement",
            r#"mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { version } }"#,
            json!({ "input": { "indicatorId": d.national_indicator, "measuredOn": "2025-01-01",
                               "value": 1.0, "source": "thử" } }),
        ),
        (
            "a national agency",
            r#"mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) { version } }"#,
            json!({ "input": { "name": "Bộ Thử", "tier": "MINISTRY", "jurisdiction": "VN" } }),
        ),
        (
            "a plan implementing another province's program",
            r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { version } }"#,
            json!({ "input": {
                "header": { "number": "9/KH-UBND", "title": "Kế hoạch", "issuedOn": "2025-01-02",
                            "issuer": "UBND thành phố Đà Nẵng" },
                "implementsId": d.ha_tinh_program, "issuingAgencyId": d.da_nang_agency,
                "jurisdiction": "VN-DN", "fromYear": 2025, "toYear": 2025 } }),
        ),
        (
            "a task of its plan led by another province's agency",
            r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }"#,
            task_input(&d, &d.ha_noi_agency, "ha-noi-lead"),
        ),
        (
            "a merger into another province's agency",
            r#"mutation($input: MergeAgencyInput!) { mergeAgency(input: $input) { version } }"#,
            json!({ "input": { "agencyId": d.da_nang_agency, "successorId": d.ha_noi_agency,
                               "effectiveOn": "2025-07-01", "legalBasis": "thử" } }),
        ),
    ];
    for (what, query, variables) in refused {
        let (code, error) = api.error(&da_nang, query, variables).await;
        assert_eq!(code, "FORBIDDEN", "{what}: {error}");
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("outside your jurisdiction"),
            "{what}: {error}"
        );
    }
    assert_eq!(
        t.store.head().await.expect("head"),
        head,
        "no refusal wrote anything"
    );

    // Its own province, naming its own agencies and the national program: accepted.
    let own = api
        .ok(
            &da_nang,
            r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { task { lead { jurisdiction } } } }"#,
            {
                let mut input = task_input(&d, &d.da_nang_agency, "da-nang-lead");
                input["input"]["coordinatorIds"] = json!([d.other_da_nang_agency]);
                input
            },
        )
        .await;
    assert_eq!(own["createTask"]["task"]["lead"]["jurisdiction"], "VN-DN");
    let plan = api
        .ok(
            &da_nang,
            r#"mutation($input: IssuePlanInput!) { issuePlan(input: $input) { plan { jurisdiction } } }"#,
            json!({ "input": {
                "header": { "number": "10/KH-UBND", "title": "Kế hoạch CCHC năm 2025",
                            "issuedOn": "2025-01-02", "issuer": "UBND thành phố Đà Nẵng" },
                "implementsId": d.national_program, "issuingAgencyId": d.da_nang_agency,
                "jurisdiction": "VN-DN", "fromYear": 2025, "toYear": 2025 } }),
        )
        .await;
    assert_eq!(plan["issuePlan"]["plan"]["jurisdiction"], "VN-DN");

    // An officer sees their agency's tasks of a plan, not the plan's whole table.
    let officer_agency: uuid::Uuid = api
        .ok(
            &api.token(Role::Leader, "x", None),
            "query($id: ID!) { agency(id: $id) { uuid } }",
            json!({ "id": d.da_nang_agency }),
        )
        .await["agency"]["uuid"]
        .as_str()
        .expect("uuid")
        .parse()
        .expect("a uuid");
    let officer = api.token(
        Role::Officer,
        "can-bo",
        Some(reform_domain::AgencyId(officer_agency)),
    );
    let (code, error) = api
        .error(
            &officer,
            "query($id: ID!) { node(id: $id) { ... on Plan { taskTable(format: CSV) { fileName } } } }",
            json!({ "id": d.da_nang_plan }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "{error}");

    // Published evaluations are everyone's to read; another agency's scorecard is not.
    let other = json!({ "id": d.other_da_nang_agency });
    api.ok(
        &officer,
        "query($id: ID!) { agency(id: $id) { parResults { year } sipasResults { year } } }",
        other.clone(),
    )
    .await;
    let (code, error) = api
        .error(
            &officer,
            "query($id: ID!) { agency(id: $id) { scorecard { overdueNow } } }",
            other,
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "{error}");

    // A national secretariat may change national records.
    let national = api.token(Role::Secretariat, "bo-noi-vu", None);
    api.ok(
        &national,
        r#"mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { version } }"#,
        json!({ "input": { "indicatorId": d.national_indicator, "year": 2030, "value": 90.0 } }),
    )
    .await;
    api.stop().await;
}

const NATIONAL_ROLLUP: &str = r#"query($id: ID!, $j: String) { program(id: $id) {
  pillarProgress(jurisdiction: $j) { counts { total } }
  rollup(jurisdiction: $j) { counts { total } children { label children { label kind } } }
  progressByJurisdiction { jurisdiction progress { counts { total } percent } } } }"#;

fn total(nodes: &Value) -> u64 {
    nodes
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["counts"]["total"].as_u64().expect("a total"))
        .sum()
}

/// A provincial leader's roll-up of the national program is made of their own
/// province's plans, and names no other province's; they may not ask for another
/// province's; a national leader reads the whole country and province by province.
async fn the_national_program_reads_province_by_province(t: TestStore) {
    let handler = CommandHandler::new(t.store.clone());
    reform_cli::demo::load_demo(&handler).await.expect("demo");
    // Đà Nẵng's 2024 plan gets its tasks, so both provinces have some.
    let plan = reform_interchange::resolve_plan(&handler, "318/KH-UBND")
        .await
        .expect("the plan");
    let sample = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
    ))
    .expect("the sample table");
    let actor = reform_store::Actor {
        user_id: "snv".into(),
        display_name: "Sở Nội vụ".into(),
        role: Role::Secretariat,
        agency: None,
    };
    reform_interchange::import_plan(
        &handler,
        plan,
        &sample,
        reform_interchange::Format::Csv,
        &reform_interchange::ImportOptions {
            partial: false,
            reason: "Kế hoạch 318/KH-UBND".into(),
        },
        &reform_store::CommandMetadata::new(actor, chrono::Utc::now()),
        false,
    )
    .await
    .expect("the import");
    let api = ApiServer::start(&t, Options::default()).await;
    let d = demo_ids(&api).await;
    let leader = |jurisdiction: Option<&str>| {
        api.keys
            .issue(&claims(
                Role::Leader,
                "lanh-dao",
                None,
                jurisdiction.map(str::to_owned),
                1,
            ))
            .map_err(|e| e.message())
            .expect("a token")
    };
    let (national, da_nang, ha_noi) = (leader(None), leader(Some("VN-DN")), leader(Some("VN-HN")));
    let ask = |token: String, j: Option<&str>| {
        let api = &api;
        let id = d.national_program.clone();
        let j = j.map(str::to_owned);
        async move {
            api.ok(&token, NATIONAL_ROLLUP, json!({ "id": id, "j": j }))
                .await["program"]
                .clone()
        }
    };
    let country = ask(national.clone(), None).await;
    let by_province = country["progressByJurisdiction"]
        .as_array()
        .expect("provinces");
    let codes: Vec<&str> = by_province
        .iter()
        .map(|p| p["jurisdiction"].as_str().expect("code"))
        .collect();
    assert!(codes.contains(&"VN-DN"), "{country}");
    let province_total = |code: &str| {
        by_province
            .iter()
            .find(|p| p["jurisdiction"] == code)
            .map_or(0, |p| {
                p["progress"]["counts"]["total"].as_u64().expect("total")
            })
    };
    assert_eq!(
        total(&country["pillarProgress"]),
        by_province
            .iter()
            .map(|p| p["progress"]["counts"]["total"].as_u64().expect("total"))
            .sum::<u64>(),
        "the country is the sum of its provinces: {country}"
    );

    let own = ask(da_nang.clone(), None).await;
    assert_eq!(
        total(&own["pillarProgress"]),
        province_total("VN-DN"),
        "{own}"
    );
    assert!(
        province_total("VN-DN") > 0 && province_total("VN-HN") > 0,
        "{country}"
    );
    let of_da_nang = ask(national.clone(), Some("VN-DN")).await;
    for field in ["pillarProgress", "rollup"] {
        assert_eq!(
            own[field], of_da_nang[field],
            "Đà Nẵng's leader reads what a national leader reads of Đà Nẵng"
        );
    }
    let codes: Vec<&Value> = own["progressByJurisdiction"]
        .as_array()
        .expect("provinces")
        .iter()
        .map(|p| &p["jurisdiction"])
        .collect();
    assert_eq!(codes, vec!["VN-DN"], "{own}");

    let other = ask(ha_noi.clone(), None).await;
    assert!(
        !other.to_string().contains("318/KH-UBND"),
        "Hà Nội's roll-up names no plan of Đà Nẵng: {other}"
    );
    assert_eq!(total(&other["pillarProgress"]), province_total("VN-HN"));
    let (code, error) = api
        .error(
            &ha_noi,
            NATIONAL_ROLLUP,
            json!({ "id": d.national_program, "j": "VN-DN" }),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "{error}");
    api.stop().await;
}
