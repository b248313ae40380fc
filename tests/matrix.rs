//! The access matrix, generated from the schema: every query field, every field of an
//! entity that carries an agency's or a jurisdiction's records, every mutation and
//! every subscription, asked over HTTP by every role bound to Đà Nẵng (whose records
//! are the ones asked for), to Hà Nội, and to no jurisdiction, and without a token;
//! each answer is compared with `tests/data/access_matrix.tsv`. A field the schema
//! serves without rows there fails the test, and so does a row naming a field it does
//! not serve. On a mismatch the whole observed table is printed, ready to review and
//! paste.
//!
//! Outcomes: `ok` (Đà Nẵng's record is in the answer), `scoped` (an answer without
//! it), an error's code (`FORBIDDEN`, `NOT_FOUND`, `UNAUTHENTICATED`…), and for a
//! mutation `passes:CODE` — past the access check, refused by the domain with `CODE`
//! (each input is harmless: a stale `expectedVersion`, a merged jurisdiction, a
//! correction without a reason, a dry run) — or `passes:ok` for a write that writes
//! nothing. The log's head is the same after every mutation cell as before.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use futures::StreamExt as _;
use reform_commands::CommandHandler;
use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Options};
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(every_field_answers_every_viewer_as_the_table_says);

/// The expected table: field, viewer, outcome, note (tab-separated; `#` starts a comment).
const EXPECTED: &str = include_str!("data/access_matrix.tsv");

/// Entity types whose object-valued fields carry an agency's or a jurisdiction's
/// records (the register's `Jurisdiction` is public, and `…Info` fields are labels).
const ENTITY_TYPES: &[&str] = &[
    "Program",
    "Plan",
    "Directive",
    "Agency",
    "Task",
    "Indicator",
];

/// Requests in flight at once (each viewer's user is its own rate-limit caller).
const IN_FLIGHT: usize = 4;

/// The Đà Nẵng task every task probe reads: lead Sở Nội vụ, coordinator Văn phòng UBND.
const DA_NANG_TASK: &str = "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024";
const HOME_AGENCY: &str = "Sở Nội vụ thành phố Đà Nẵng";
const OTHER_DA_NANG_AGENCY: &str = "Sở Tư pháp thành phố Đà Nẵng";
const HA_NOI_AGENCY: &str = "Phòng Nội vụ huyện Hoài Đức";
const HEAD: &str = "Trần Thị Minh Thư";
const INDICATOR_CODE: &str = "DN_HO_SO_TRUC_TUYEN";
const SIPAS_PERCENT: &str = "87.65";

/// Who asks: a role, the jurisdiction its token names, and an officer's agency.
struct Viewer {
    label: &'static str,
    role: Option<Role>,
    jurisdiction: Option<&'static str>,
    agency: Option<&'static str>,
}

const VIEWERS: &[Viewer] = &[
    viewer("LEADER@VN-DN", Role::Leader, Some("VN-DN"), None),
    viewer("LEADER@VN-HN", Role::Leader, Some("VN-HN"), None),
    viewer("LEADER@national", Role::Leader, None, None),
    viewer("SECRETARIAT@VN-DN", Role::Secretariat, Some("VN-DN"), None),
    viewer("SECRETARIAT@VN-HN", Role::Secretariat, Some("VN-HN"), None),
    viewer("SECRETARIAT@national", Role::Secretariat, None, None),
    viewer(
        "OFFICER@VN-DN",
        Role::Officer,
        Some("VN-DN"),
        Some(HOME_AGENCY),
    ),
    viewer(
        "OFFICER@VN-DN/other-agency",
        Role::Officer,
        Some("VN-DN"),
        Some(OTHER_DA_NANG_AGENCY),
    ),
    viewer(
        "OFFICER@VN-HN",
        Role::Officer,
        Some("VN-HN"),
        Some(HA_NOI_AGENCY),
    ),
    viewer("OFFICER@national", Role::Officer, None, Some(HOME_AGENCY)),
    viewer("AUDITOR@VN-DN", Role::Auditor, Some("VN-DN"), None),
    viewer("AUDITOR@VN-HN", Role::Auditor, Some("VN-HN"), None),
    viewer("AUDITOR@national", Role::Auditor, None, None),
    Viewer {
        label: "no-token",
        role: None,
        jurisdiction: None,
        agency: None,
    },
];

const fn viewer(
    label: &'static str,
    role: Role,
    jurisdiction: Option<&'static str>,
    agency: Option<&'static str>,
) -> Viewer {
    Viewer {
        label,
        role: Some(role),
        jurisdiction,
        agency,
    }
}

/// One question: a field (`Type.field`), the request that asks it about Đà Nẵng, and
/// the text that shows Đà Nẵng's record is in the answer (none: any answer is `ok`).
struct Probe {
    field: String,
    query: String,
    variables: Value,
    marker: Option<String>,
    mutation: bool,
}

fn read(field: &str, query: &str, variables: Value, marker: Option<&str>) -> Probe {
    Probe {
        field: field.to_owned(),
        query: query.to_owned(),
        variables,
        marker: marker.map(str::to_owned),
        mutation: false,
    }
}

fn send(name: &str, input_type: &str, input: Value) -> Probe {
    Probe {
        field: format!("Mutation.{name}"),
        query: format!(
            "mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename }} }}"
        ),
        variables: json!({ "input": input }),
        marker: None,
        mutation: true,
    }
}

/// The ids the probes name, found as a national leader finds them.
struct Ids {
    national_program: String,
    da_nang_program: String,
    plan: String,
    task: String,
    directive: String,
    indicator: String,
    agencies: BTreeMap<String, (String, AgencyId)>,
    csv: String,
    now: String,
}

impl Ids {
    fn agency(&self, name: &str) -> &str {
        &self.agencies[name].0
    }
}

async fn every_field_answers_every_viewer_as_the_table_says(t: TestStore) {
    reform_cli::demo::load_demo(&CommandHandler::new(t.store.clone()))
        .await
        .expect("demo");
    let api = ApiServer::start(&t, Options::default()).await;
    let ids = da_nang_records(&api).await;
    let probes: Vec<Probe> = reads(&ids).into_iter().chain(mutations(&ids)).collect();
    let tokens: Vec<Option<String>> = VIEWERS.iter().map(|v| token(&api, &ids, v)).collect();

    let served = served_fields(&api).await;
    let probed: BTreeSet<&str> = probes.iter().map(|p| p.field.as_str()).collect();
    let unprobed: Vec<&String> = served
        .iter()
        .filter(|(f, _)| !probed.contains(f.as_str()) && !f.starts_with("Subscription."))
        .map(|(f, _)| f)
        .collect();
    assert!(
        unprobed.is_empty(),
        "fields served without a probe in tests/matrix.rs: {unprobed:?}"
    );

    let head = t.store.head().await.expect("head");
    let cells = probes
        .iter()
        .flat_map(|p| VIEWERS.iter().zip(&tokens).map(move |(v, t)| (p, v, t)));
    let mut observed: BTreeMap<(String, String), String> =
        futures::stream::iter(cells.map(|(probe, viewer, token)| {
            let api = &api;
            async move {
                let (status, body) = api
                    .post(
                        token.as_deref(),
                        json!({ "query": probe.query, "variables": probe.variables }),
                    )
                    .await;
                (
                    (probe.field.clone(), viewer.label.to_owned()),
                    outcome(probe, status, &body),
                )
            }
        }))
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    assert_eq!(
        t.store.head().await.expect("head"),
        head,
        "no cell writes anything"
    );
    // Subscriptions are listed by their rule, not opened here (tests/sockets.rs and
    // tests/api.rs open them): their rows say what the rule is.
    for (field, _) in served
        .iter()
        .filter(|(f, _)| f.starts_with("Subscription."))
    {
        for v in VIEWERS {
            observed.insert((field.clone(), v.label.to_owned()), "listed".to_owned());
        }
    }

    compare(&served, &observed);
    api.stop().await;
}

/// The token a viewer sends (none for `no-token`); each viewer is its own user.
fn token(api: &ApiServer, ids: &Ids, viewer: &Viewer) -> Option<String> {
    let role = viewer.role?;
    let agency = viewer.agency.map(|name| ids.agencies[name].1);
    let claims = claims(
        role,
        viewer.label,
        agency,
        viewer.jurisdiction.map(str::to_owned),
        1,
    );
    Some(
        api.keys
            .issue(&claims)
            .map_err(|e| e.message())
            .expect("a token"),
    )
}

/// What a cell's answer is, in the table's words.
fn outcome(probe: &Probe, status: u16, body: &Value) -> String {
    let code = body["errors"][0]["extensions"]["code"].as_str();
    match (code, probe.mutation) {
        (Some(code), false) => code.to_owned(),
        (Some(code @ ("FORBIDDEN" | "UNAUTHENTICATED")), true) => code.to_owned(),
        (Some(code), true) => format!("passes:{code}"),
        (None, _) if status != 200 || body.get("errors").is_some() => format!("HTTP {status}"),
        (None, true) => "passes:ok".to_owned(),
        (None, false) => match &probe.marker {
            Some(marker) if !body["data"].to_string().contains(marker.as_str()) => {
                "scoped".to_owned()
            }
            _ => "ok".to_owned(),
        },
    }
}

/// Every field the table must cover, by introspection: the roots' fields, and the
/// entity types' object-valued fields. Each with its description's first line.
async fn served_fields(api: &ApiServer) -> BTreeMap<String, String> {
    let leader = api.token(Role::Leader, "introspection", None);
    let mut fields = BTreeMap::new();
    let roots = ["Query", "Mutation", "Subscription"];
    for type_name in roots.iter().chain(ENTITY_TYPES) {
        let data = api
            .ok(
                &leader,
                r#"query($name: String!) { __type(name: $name) { fields {
                     name description type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"#,
                json!({ "name": type_name }),
            )
            .await;
        for field in data["__type"]["fields"].as_array().expect("fields") {
            let (kind, named) = named_type(&field["type"]);
            let carries_records =
                matches!(kind, "OBJECT" | "INTERFACE" | "UNION") && !named.ends_with("Info");
            if roots.contains(type_name) || carries_records {
                let description = field["description"].as_str().unwrap_or_default();
                fields.insert(
                    format!("{type_name}.{}", field["name"].as_str().expect("a name")),
                    description.lines().next().unwrap_or_default().to_owned(),
                );
            }
        }
    }
    fields
}

/// A field type's kind and name under its lists and non-nulls.
fn named_type(mut ty: &Value) -> (&str, &str) {
    while ty["ofType"].is_object() {
        ty = &ty["ofType"];
    }
    (
        ty["kind"].as_str().unwrap_or_default(),
        ty["name"].as_str().unwrap_or_default(),
    )
}

/// Compares the observed cells with the table; on any difference prints the observed
/// table (with the table's notes) and fails naming each difference.
fn compare(served: &BTreeMap<String, String>, observed: &BTreeMap<(String, String), String>) {
    let mut expected: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (number, line) in EXPECTED.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let [field, viewer, outcome, note @ ..] = cells.as_slice() else {
            problems.push(format!("line {}: fewer than three cells", number + 1));
            continue;
        };
        let key = ((*field).to_owned(), (*viewer).to_owned());
        let row = ((*outcome).to_owned(), note.join("\t"));
        if expected.insert(key, row).is_some() {
            problems.push(format!("line {}: {field} × {viewer} twice", number + 1));
        }
    }
    let viewers: BTreeSet<&str> = VIEWERS.iter().map(|v| v.label).collect();
    for (field, viewer) in expected.keys() {
        if !served.contains_key(field) {
            problems.push(format!("{field}: the schema serves no such field"));
        }
        if !viewers.contains(viewer.as_str()) {
            problems.push(format!("{field} × {viewer}: no such viewer"));
        }
    }
    let missing: BTreeSet<&str> = observed
        .keys()
        .filter(|key| !expected.contains_key(*key))
        .map(|(field, _)| field.as_str())
        .collect();
    if !missing.is_empty() {
        problems.push(format!("fields without rows for every viewer: {missing:?}"));
    }
    for (key, got) in observed {
        if let Some((want, _)) = expected.get(key) {
            if want != got {
                problems.push(format!(
                    "{} × {}: expected {want}, observed {got}",
                    key.0, key.1
                ));
            }
        }
    }
    if problems.is_empty() {
        return;
    }
    let mut table = String::from("# field\tviewer\toutcome\tnote\n");
    for (key, got) in observed {
        let note = expected.get(key).map_or_else(
            || served.get(&key.0).cloned().unwrap_or_default(),
            |(_, note)| note.clone(),
        );
        table.push_str(&format!("{}\t{}\t{got}\t{note}\n", key.0, key.1));
    }
    println!("---- the observed access matrix ----\n{table}---- end ----");
    panic!(
        "the access matrix differs from tests/data/access_matrix.tsv:\n{}",
        problems.join("\n")
    );
}

/// Đà Nẵng's records the probes read, beside the demo's: plan 318/KH-UBND's tasks (its
/// 2024 table), a program, a directive, an indicator, and for Sở Nội vụ a head, a
/// dossier report and a SIPAS result; written by the national secretariat.
async fn da_nang_records(api: &ApiServer) -> Ids {
    let leader = api.token(Role::Leader, "lanh-dao-trung-uong", None);
    let secretariat = api.token(Role::Secretariat, "bo-noi-vu", None);
    let data = api
        .ok(
            &leader,
            r#"{ programs { id number plans { id number } }
                 agencies(first: 100) { nodes { id uuid name } } }"#,
            json!({}),
        )
        .await;
    let programs = data["programs"].as_array().expect("programs");
    let id_of = |v: &Value| v["id"].as_str().expect("an id").to_owned();
    let national_program = programs
        .iter()
        .find(|p| p["number"] == "76/NQ-CP")
        .map(id_of)
        .expect("the national program");
    let plan = programs
        .iter()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "318/KH-UBND")
        .map(|p| id_of(&p))
        .expect("Đà Nẵng's 2024 plan");
    let agencies: BTreeMap<String, (String, AgencyId)> = data["agencies"]["nodes"]
        .as_array()
        .expect("agencies")
        .iter()
        .map(|a| {
            let uuid = a["uuid"].as_str().expect("uuid").parse().expect("a uuid");
            (
                a["name"].as_str().expect("name").to_owned(),
                (id_of(a), AgencyId(uuid)),
            )
        })
        .collect();
    for name in [HOME_AGENCY, OTHER_DA_NANG_AGENCY, HA_NOI_AGENCY] {
        assert!(agencies.contains_key(name), "{name} is in the demo");
    }
    let home = agencies[HOME_AGENCY].0.clone();
    let csv = base64::engine::general_purpose::STANDARD.encode(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
        ))
        .expect("the sample table"),
    );
    let header = |number: &str, title: &str| {
        json!({ "number": number, "title": title, "issuedOn": "2024-03-01",
                "issuer": "UBND thành phố Đà Nẵng" })
    };
    let writes = [
        (
            r#"mutation($input: ImportPlanTableInput!) { importPlanTable(input: $input) { plan { id } } }"#,
            json!({ "planId": plan, "content": csv, "format": "CSV", "reason": "Kế hoạch 318/KH-UBND" }),
        ),
        (
            r#"mutation($input: IssueProgramInput!) { issueProgram(input: $input) { program { id } } }"#,
            json!({ "header": header("1032/QĐ-UBND", "Chương trình CCHC thành phố Đà Nẵng 2021–2030"),
                    "level": "PROVINCIAL", "jurisdiction": "VN-DN", "fromYear": 2021, "toYear": 2030 }),
        ),
        (
            r#"mutation($input: IssueDirectiveInput!) { issueDirective(input: $input) { document { id } } }"#,
            json!({ "header": header("05/CT-UBND", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính"),
                    "programId": national_program, "jurisdiction": "VN-DN",
                    "points": [{ "number": 1, "text": "Rà soát thủ tục hành chính" }] }),
        ),
        (
            r#"mutation($input: DefineIndicatorInput!) { defineIndicator(input: $input) { indicator { id } } }"#,
            json!({ "code": INDICATOR_CODE, "name": "Tỷ lệ hồ sơ trực tuyến toàn trình",
                    "unit": "%", "direction": "HIGHER_IS_BETTER", "jurisdiction": "VN-DN" }),
        ),
        (
            r#"mutation($input: AppointHeadInput!) { appointHead(input: $input) { version } }"#,
            json!({ "agencyId": home, "name": HEAD, "title": "Giám đốc Sở", "from": "2024-01-01" }),
        ),
        (
            r#"mutation($input: ReportDossierStatisticsInput!) { reportDossierStatistics(input: $input) { version } }"#,
            json!({ "agencyId": home, "periodFrom": "2024-01-01", "periodTo": "2024-03-31",
                    "counts": dossier_counts(0) }),
        ),
        (
            r#"mutation($input: PublishSipasInput!) { publishSipas(input: $input) { version } }"#,
            json!({ "agencyId": home, "year": 2023, "satisfactionPercent": 87.65 }),
        ),
    ];
    let mut answers = Vec::new();
    for (query, input) in writes {
        answers.push(api.ok(&secretariat, query, json!({ "input": input })).await);
    }
    let indicator = answers[3]["defineIndicator"]["indicator"]["id"]
        .as_str()
        .expect("indicator id")
        .to_owned();
    for (query, input) in [
        (
            r#"mutation($input: SetIndicatorTargetInput!) { setIndicatorTarget(input: $input) { version } }"#,
            json!({ "indicatorId": indicator, "year": 2025, "value": 80.0 }),
        ),
        (
            r#"mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { version } }"#,
            json!({ "indicatorId": indicator, "measuredOn": "2024-12-31", "value": 62.5, "source": "Sở Nội vụ" }),
        ),
    ] {
        api.ok(&secretariat, query, json!({ "input": input })).await;
    }
    let task = api
        .ok(
            &leader,
            "query($plan: ID!) { tasks(first: 100, filter: { planId: $plan }) { nodes { id title } } }",
            json!({ "plan": plan }),
        )
        .await["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["title"] == DA_NANG_TASK)
        .map(id_of)
        .expect("the imported task");
    Ids {
        national_program,
        da_nang_program: id_of(&answers[1]["issueProgram"]["program"]),
        plan,
        task,
        directive: id_of(&answers[2]["issueDirective"]["document"]),
        indicator,
        agencies,
        csv,
        now: chrono::Utc::now().to_rfc3339(),
    }
}

/// A quarter's dossier counts of Sở Nội vụ; `unbalanced` more received than handled.
fn dossier_counts(unbalanced: u64) -> Value {
    json!({
        "receivedOnline": 120 + unbalanced, "receivedInPerson": 30, "carriedOver": 0,
        "resolvedEarly": 100, "resolvedOnTime": 40, "resolvedLate": 2,
        "inProcessWithinDeadline": 8, "inProcessOverdue": 0, "apologyLetters": 2
    })
}

/// A read of every query field and of every entity field that carries records.
fn reads(ids: &Ids) -> Vec<Probe> {
    let plan = || json!({ "id": ids.plan });
    let task = || json!({ "id": ids.task });
    let home = || json!({ "id": ids.agency(HOME_AGENCY) });
    let program = || json!({ "id": ids.national_program });
    let span =
        || json!({ "id": ids.national_program, "from": "2023-01-01T00:00:00Z", "to": ids.now });
    let plan_span = || json!({ "id": ids.plan, "from": "2023-01-01T00:00:00Z", "to": ids.now });
    let directive = || json!({ "id": ids.directive });
    let indicator = || json!({ "id": ids.indicator });
    let none = || json!({});
    let plan_number = Some("318/KH-UBND");
    let task_title = Some(DA_NANG_TASK);
    vec![
        // Query.
        read("Query.viewer", "{ viewer { role { code } jurisdiction } }", none(), None),
        read("Query.node", "query($id: ID!) { node(id: $id) { ... on Plan { number } } }", plan(), plan_number),
        read("Query.nodes", "query($id: ID!) { nodes(ids: [$id]) { ... on Plan { number } } }", plan(), plan_number),
        read("Query.programs", "{ programs { number plans { number } } }", none(), plan_number),
        read("Query.program", "query($id: ID!) { program(id: $id) { plans { number } } }", program(), plan_number),
        read("Query.tasks", "{ tasks(first: 100) { nodes { title } } }", none(), task_title),
        read("Query.task", "query($id: ID!) { task(id: $id) { title } }", task(), task_title),
        read("Query.agencies", "{ agencies(first: 100) { nodes { name } } }", none(), Some(HOME_AGENCY)),
        read("Query.agency", "query($id: ID!) { agency(id: $id) { name } }", home(), Some(HOME_AGENCY)),
        read("Query.accountability", r#"{ accountability(jurisdiction: "VN-DN") { head { name } } }"#, none(), Some(HEAD)),
        read("Query.dossierTotals", r#"{ dossierTotals(jurisdiction: "VN-DN", period: YEAR) { periods { reports } } }"#, none(), Some("reports\":1")),
        read("Query.sipas", r#"{ sipas(year: 2023, jurisdiction: "VN-DN") { name satisfactionPercent } }"#, none(), Some(SIPAS_PERCENT)),
        read("Query.bandSchemes", r#"{ bandSchemes(jurisdiction: "VN-DN") { jurisdiction } }"#, none(), Some("VN-DN")),
        read("Query.parRanking", r#"{ parRanking(year: 2022, jurisdiction: "VN-DN") { ranked { agency { name } } } }"#, none(), Some(HOME_AGENCY)),
        read("Query.auditLog", "query($id: ID!) { auditLog(first: 5, filter: { entityId: $id }) { nodes { action } } }", task(), Some("TaskCreated")),
        read("Query.verifyAudit", "{ verifyAudit { intact } }", none(), None),
        read("Query.indicators", r#"{ indicators(jurisdiction: "VN-DN") { code } }"#, none(), Some(INDICATOR_CODE)),
        read("Query.jurisdictions", "{ jurisdictions { code } }", none(), Some("VN-DN")),
        read("Query.jurisdiction", r#"{ jurisdiction(code: "VN-DN") { name } }"#, none(), Some("Đà Nẵng")),
        // The national program, as far as it is made of Đà Nẵng's plans.
        read("Program.parentProgram", "query($id: ID!) { program(id: $id) { parentProgram { number } } }", program(), None),
        read("Program.pillarProgress", r#"query($id: ID!) { program(id: $id) { pillarProgress(jurisdiction: "VN-DN") { counts { total } } } }"#, program(), None),
        read("Program.rollup", r#"query($id: ID!) { program(id: $id) { rollup(jurisdiction: "VN-DN") { children { children { label } } } } }"#, program(), plan_number),
        read("Program.progressByJurisdiction", "query($id: ID!) { program(id: $id) { progressByJurisdiction { jurisdiction } } }", program(), Some("VN-DN")),
        read("Program.compare", "query($id: ID!, $from: DateTime!, $to: DateTime!) { program(id: $id) { compare(from: $from, to: $to) { added { title } } } }", span(), task_title),
        read("Program.plans", "query($id: ID!) { program(id: $id) { plans { number } } }", program(), plan_number),
        read("Program.history", "query($id: ID!) { program(id: $id) { history { eventType } } }", json!({ "id": ids.da_nang_program }), Some("Issued")),
        // Đà Nẵng's plan.
        read("Plan.issuingAgency", "query($id: ID!) { node(id: $id) { ... on Plan { issuingAgency { name } } } }", plan(), Some("Đà Nẵng")),
        read("Plan.implements", "query($id: ID!) { node(id: $id) { ... on Plan { implements { id } } } }", plan(), None),
        read("Plan.compare", "query($id: ID!, $from: DateTime!, $to: DateTime!) { node(id: $id) { ... on Plan { compare(from: $from, to: $to) { added { title } } } } }", plan_span(), task_title),
        read("Plan.taskTable", "query($id: ID!) { node(id: $id) { ... on Plan { taskTable(format: CSV) { fileName } } } }", plan(), None),
        read("Plan.tasks", "query($id: ID!) { node(id: $id) { ... on Plan { tasks { title } } } }", plan(), task_title),
        read("Plan.history", "query($id: ID!) { node(id: $id) { ... on Plan { history { eventType } } } }", plan(), Some("Issued")),
        // Đà Nẵng's directive.
        read("Directive.program", "query($id: ID!) { node(id: $id) { ... on Directive { program { number } } } }", directive(), Some("76/NQ-CP")),
        read("Directive.history", "query($id: ID!) { node(id: $id) { ... on Directive { history { eventType } } } }", directive(), Some("Issued")),
        // Sở Nội vụ thành phố Đà Nẵng.
        read("Agency.successor", "query($id: ID!) { agency(id: $id) { successor { name } } }", home(), None),
        read("Agency.predecessors", "query($id: ID!) { agency(id: $id) { predecessors { name } } }", home(), None),
        read("Agency.parResults", "query($id: ID!) { agency(id: $id) { parResults { total } } }", home(), Some("101.19")),
        read("Agency.sipasResults", "query($id: ID!) { agency(id: $id) { sipasResults { satisfactionPercent } } }", home(), Some(SIPAS_PERCENT)),
        read("Agency.heads", "query($id: ID!) { agency(id: $id) { heads { name } } }", home(), Some(HEAD)),
        read("Agency.dossierStatistics", "query($id: ID!) { agency(id: $id) { dossierStatistics { received } } }", home(), Some("150")),
        read("Agency.scorecard", "query($id: ID!) { agency(id: $id) { scorecard { tasksLed } } }", home(), None),
        read("Agency.history", "query($id: ID!) { agency(id: $id) { history { eventType } } }", home(), Some("HeadAppointed")),
        // Đà Nẵng's task.
        read("Task.plan", "query($id: ID!) { task(id: $id) { plan { number } } }", task(), plan_number),
        read("Task.parent", "query($id: ID!) { task(id: $id) { parent { title } } }", task(), None),
        read("Task.subtasks", "query($id: ID!) { task(id: $id) { subtasks { title } } }", task(), None),
        read("Task.lead", "query($id: ID!) { task(id: $id) { lead { name } } }", task(), Some(HOME_AGENCY)),
        read("Task.coordinators", "query($id: ID!) { task(id: $id) { coordinators { name } } }", task(), Some("Văn phòng")),
        read("Task.inheritedFrom", "query($id: ID!) { task(id: $id) { inheritedFrom { name } } }", task(), None),
        read("Task.history", "query($id: ID!) { task(id: $id) { history { eventType } } }", task(), Some("TaskCreated")),
        // Đà Nẵng's indicator.
        read("Indicator.targets", "query($id: ID!) { node(id: $id) { ... on Indicator { targets { value } } } }", indicator(), Some("80")),
        read("Indicator.measurements", "query($id: ID!) { node(id: $id) { ... on Indicator { measurements { value } } } }", indicator(), Some("62.5")),
        read("Indicator.trajectory", "query($id: ID!) { node(id: $id) { ... on Indicator { trajectory { rag } } } }", indicator(), None),
    ]
}

/// Every mutation, sent about Đà Nẵng's records with an input the domain refuses (or
/// a dry run), so a role the access rule lets through meets the domain and nothing is
/// written.
fn mutations(ids: &Ids) -> Vec<Probe> {
    let home = ids.agency(HOME_AGENCY);
    let other = ids.agency(OTHER_DA_NANG_AGENCY);
    let stale = 999;
    let header = json!({ "number": "9/KH-UBND", "title": "Văn bản", "issuedOn": "2025-08-01",
                         "issuer": "UBND thành phố Đà Nẵng" });
    let too_long = "x".repeat(501);
    vec![
        // Records of Quảng Nam, merged into Đà Nẵng: its to write, refused as ceased.
        send(
            "registerAgency",
            "RegisterAgencyInput",
            json!({ "name": "Sở Thử nghiệm", "tier": "DEPARTMENT", "jurisdiction": "VN-27" }),
        ),
        send(
            "renameAgency",
            "RenameAgencyInput",
            json!({ "agencyId": home, "newName": "Sở Nội vụ", "effectiveOn": "2025-01-01", "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "appointHead",
            "AppointHeadInput",
            json!({ "agencyId": home, "name": "A", "from": "2025-01-01", "expectedVersion": stale }),
        ),
        send(
            "mergeAgency",
            "MergeAgencyInput",
            json!({ "agencyId": home, "successorId": home, "effectiveOn": "2025-01-01", "legalBasis": "l" }),
        ),
        send(
            "dissolveAgency",
            "DissolveAgencyInput",
            json!({ "agencyId": home, "effectiveOn": "2025-01-01", "legalBasis": "l", "reason": too_long }),
        ),
        send(
            "issueProgram",
            "IssueProgramInput",
            json!({ "header": header, "level": "PROVINCIAL", "jurisdiction": "VN-27", "fromYear": 2021, "toYear": 2030 }),
        ),
        send(
            "issueDirective",
            "IssueDirectiveInput",
            json!({ "header": header, "jurisdiction": "VN-27", "points": [{ "number": 1, "text": "t" }] }),
        ),
        send(
            "issuePlan",
            "IssuePlanInput",
            json!({ "header": header, "implementsId": ids.national_program, "issuingAgencyId": home, "jurisdiction": "VN-27", "fromYear": 2026, "toYear": 2026 }),
        ),
        send(
            "amendDocument",
            "AmendDocumentInput",
            json!({ "documentId": ids.plan, "title": "T", "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "setRollupRule",
            "SetRollupRuleInput",
            json!({ "programId": ids.da_nang_program, "rule": "STATUS_BASED", "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "importPlanTable",
            "ImportPlanTableInput",
            json!({ "planId": ids.plan, "content": ids.csv, "format": "CSV", "dryRun": true, "reason": "r" }),
        ),
        send(
            "createTask",
            "CreateTaskInput",
            json!({ "planId": ids.plan, "category": "INSTITUTIONAL", "title": "T", "leadId": home, "deadline": "2090-12-31", "expectedOutput": "o" }),
        ),
        send(
            "reassignTask",
            "ReassignTaskInput",
            json!({ "taskId": ids.task, "newLeadId": other, "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "transferTask",
            "TransferTaskInput",
            json!({ "taskId": ids.task, "fromAgencyId": home, "toAgencyId": other, "legalBasis": "l" }),
        ),
        send(
            "extendDeadline",
            "ExtendDeadlineInput",
            json!({ "taskId": ids.task, "newDeadline": "2030-06-30", "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "reportProgress",
            "ReportProgressInput",
            json!({ "taskId": ids.task, "percent": 10, "note": "n", "expectedVersion": stale }),
        ),
        send(
            "completeTask",
            "CompleteTaskInput",
            json!({ "taskId": ids.task, "output": "o", "expectedVersion": stale }),
        ),
        send(
            "reopenTask",
            "TaskReasonInput",
            json!({ "taskId": ids.task, "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "cancelTask",
            "TaskReasonInput",
            json!({ "taskId": ids.task, "reason": "r", "expectedVersion": stale }),
        ),
        send(
            "defineIndicator",
            "DefineIndicatorInput",
            json!({ "code": INDICATOR_CODE, "name": "X", "unit": "%", "direction": "HIGHER_IS_BETTER", "jurisdiction": "VN-DN" }),
        ),
        send(
            "setIndicatorTarget",
            "SetIndicatorTargetInput",
            json!({ "indicatorId": ids.indicator, "year": 1900, "value": 1.0 }),
        ),
        send(
            "recordMeasurement",
            "RecordMeasurementInput",
            json!({ "indicatorId": ids.indicator, "measuredOn": "2025-01-01", "value": 1.0, "source": too_long }),
        ),
        send(
            "publishParIndex",
            "PublishParIndexInput",
            json!({ "agencyId": home, "year": 2022, "block": "DEPARTMENTS", "total": 80.0 }),
        ),
        send(
            "publishSipas",
            "PublishSipasInput",
            json!({ "agencyId": home, "year": 2023, "satisfactionPercent": 80.0 }),
        ),
        send(
            "reportDossierStatistics",
            "ReportDossierStatisticsInput",
            json!({ "agencyId": home, "periodFrom": "2024-04-01", "periodTo": "2024-06-30", "counts": dossier_counts(5) }),
        ),
        send(
            "setBandScheme",
            "SetBandSchemeInput",
            json!({ "jurisdiction": "VN-DN", "fromYear": 2021, "bands": [{ "name": "A", "minTotal": 0 }] }),
        ),
        send(
            "establishJurisdiction",
            "EstablishJurisdictionInput",
            json!({ "code": "VN-27-TK", "name": "Xã Tam Kỳ", "level": "COMMUNE", "parent": "VN-27", "establishedOn": "2025-08-01" }),
        ),
        send(
            "mergeJurisdiction",
            "MergeJurisdictionInput",
            json!({ "code": "VN-27", "successor": "VN-DN", "effectiveOn": "2025-07-01", "legalBasis": "202/2025/QH15" }),
        ),
    ]
}
