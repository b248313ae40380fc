//! Business dates on every change: a province that starts using the tracker in the
//! middle of its 2025 plan enters what happened on the days it happened (`on`), and
//! time travel, scorecards and the audit log answer by those days; acts dated after
//! today, before what they refer to, or out of order on their record are refused
//! with the field to fix, and write nothing. Over GraphQL on a real server, on SQLite
//! and PostgreSQL.

use chrono::{Days, NaiveDate, Utc};
use reform_domain::{AgencyId, Role};
use reform_gateway::Options;
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    a_province_enters_its_plan_in_arrears_and_the_past_answers,
    acts_out_of_time_are_refused_and_write_nothing,
);

const REGISTER: &str = r#"mutation($input: RegisterAgencyInput!) {
  registerAgency(input: $input) { agency { id uuid } } }"#;
const PROGRAM: &str = r#"mutation($input: IssueProgramInput!) {
  issueProgram(input: $input) { program { id } } }"#;
const PLAN: &str = r#"mutation($input: IssuePlanInput!) {
  issuePlan(input: $input) { plan { id } } }"#;
const CREATE: &str = r#"mutation($input: CreateTaskInput!) {
  createTask(input: $input) { task { id } } }"#;
const REPORT: &str = r#"mutation($input: ReportProgressInput!) {
  reportProgress(input: $input) { task { id } } }"#;
const COMPLETE: &str = r#"mutation($input: CompleteTaskInput!) {
  completeTask(input: $input) { task { id } } }"#;
const EXTEND: &str = r#"mutation($input: ExtendDeadlineInput!) {
  extendDeadline(input: $input) { task { id deadline } } }"#;
const ROLLUP: &str = r#"query($program: ID!, $asOf: DateTime) {
  node(id: $program) { ... on Program { rollup(asOf: $asOf) {
    percent counts { total completed overdue }
    children { pillar { code } children { label percent counts { total completed overdue } } } } } } }"#;

/// The province's record as entered: who, what, and the ids to act on.
struct Province {
    program: String,
    plan: String,
    lead: (String, AgencyId),
    procedures: String,
    digitisation: String,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a day")
}

fn header(number: &str, issued_on: NaiveDate) -> Value {
    json!({ "number": number, "title": format!("Văn bản {number}"),
            "issuedOn": issued_on, "issuer": "UBND tỉnh Quảng Trị" })
}

/// Registers two agencies as of 02/01/2025, records the province's program as of the
/// same day and its 2025 plan as of its issue date (10/01/2025), and assigns two tasks
/// on 15/01/2025 — all entered today.
async fn enter_the_province(api: &ApiServer, secretariat: &str) -> Province {
    let mut agencies = Vec::new();
    for (name, tier) in [
        ("UBND tỉnh Quảng Trị", "PROVINCIAL_PEOPLES_COMMITTEE"),
        ("Sở Tư pháp tỉnh Quảng Trị", "DEPARTMENT"),
    ] {
        let data = api
            .ok(
                secretariat,
                REGISTER,
                json!({ "input": { "name": name, "tier": tier, "jurisdiction": "VN-25",
                                   "on": day(2025, 1, 2) } }),
            )
            .await;
        let agency = &data["registerAgency"]["agency"];
        let uuid: uuid::Uuid = agency["uuid"]
            .as_str()
            .and_then(|u| u.parse().ok())
            .expect("the agency's uuid");
        agencies.push((
            agency["id"].as_str().expect("an id").to_owned(),
            AgencyId(uuid),
        ));
    }
    let program = api
        .ok(
            secretariat,
            PROGRAM,
            json!({ "input": { "header": header("1420/QĐ-UBND", day(2021, 10, 22)),
                               "level": "PROVINCIAL", "jurisdiction": "VN-25",
                               "fromYear": 2021, "toYear": 2030, "on": day(2025, 1, 2) } }),
        )
        .await["issueProgram"]["program"]["id"]
        .as_str()
        .expect("a program")
        .to_owned();
    let plan = api
        .ok(
            secretariat,
            PLAN,
            json!({ "input": { "header": header("05/KH-UBND", day(2025, 1, 10)),
                               "implementsId": program, "issuingAgencyId": agencies[0].0,
                               "jurisdiction": "VN-25", "fromYear": 2025, "toYear": 2025,
                               "on": day(2025, 1, 10) } }),
        )
        .await["issuePlan"]["plan"]["id"]
        .as_str()
        .expect("a plan")
        .to_owned();
    let mut tasks = Vec::new();
    for (title, category, deadline) in [
        (
            "Rà soát thủ tục hành chính",
            "ADMINISTRATIVE_PROCEDURES",
            day(2025, 6, 30),
        ),
        ("Số hóa hồ sơ", "DIGITAL_GOVERNMENT", day(2025, 3, 31)),
    ] {
        let data = api
            .ok(
                secretariat,
                CREATE,
                json!({ "input": { "planId": plan, "category": category, "title": title,
                                   "leadId": agencies[1].0, "deadline": deadline,
                                   "expectedOutput": "Báo cáo kết quả",
                                   "on": day(2025, 1, 15) } }),
            )
            .await;
        tasks.push(
            data["createTask"]["task"]["id"]
                .as_str()
                .expect("a task")
                .to_owned(),
        );
    }
    let [procedures, digitisation] = <[String; 2]>::try_from(tasks).expect("two tasks");
    Province {
        program,
        plan,
        lead: agencies.swap_remove(1),
        procedures,
        digitisation,
    }
}

/// The plan 05/KH-UBND under each pillar of a program's tree: the pillar, the plan's
/// percent and counts there.
fn plans_under(tree: &Value) -> Vec<(String, Value, Value)> {
    let empty = Vec::new();
    let pillars = tree["children"].as_array().unwrap_or(&empty);
    pillars
        .iter()
        .flat_map(|pillar| {
            let plans = pillar["children"].as_array().cloned().unwrap_or_default();
            plans
                .into_iter()
                .filter(|p| {
                    p["label"]
                        .as_str()
                        .is_some_and(|l| l.starts_with("05/KH-UBND"))
                })
                .map(move |plan| {
                    (
                        pillar["pillar"]["code"].as_str().unwrap_or("").to_owned(),
                        plan["percent"].clone(),
                        plan["counts"].clone(),
                    )
                })
        })
        .collect()
}

async fn rollup(api: &ApiServer, token: &str, program: &str, as_of: &str) -> Value {
    api.ok(token, ROLLUP, json!({ "program": program, "asOf": as_of }))
        .await["node"]["rollup"]
        .clone()
}

async fn a_province_enters_its_plan_in_arrears_and_the_past_answers(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "so-noi-vu", None);
    let leader = api.token(Role::Leader, "chu-tich", None);
    let province = enter_the_province(&api, &secretariat).await;
    let officer = api.token(Role::Officer, "can-bo", Some(province.lead.1));

    // The officer reports as of 01/03 and completes the first task on 20/06, today.
    api.ok(
        &officer,
        REPORT,
        json!({ "input": { "taskId": province.procedures, "percent": 40,
                           "note": "Đã rà soát 40/100 thủ tục", "asOf": day(2025, 3, 1) } }),
    )
    .await;
    api.ok(
        &officer,
        COMPLETE,
        json!({ "input": { "taskId": province.procedures, "output": "Báo cáo 12/BC-STP",
                           "completedOn": day(2025, 6, 20) } }),
    )
    .await;

    // Before the plan was on record the program has no task; at the end of 2025 the
    // plan holds both: the procedures task completed on time, the digitisation task
    // overdue since 31/03; in mid-March the first stood at its report of 01/03.
    let before = rollup(&api, &leader, &province.program, "2025-01-09T12:00:00Z").await;
    assert_eq!(before["counts"]["total"], 0, "{before}");
    assert!(
        plans_under(&before).is_empty(),
        "no plan before 10/01: {before}"
    );
    let year_end = rollup(&api, &leader, &province.program, "2025-12-31T23:59:59Z").await;
    assert_eq!(
        year_end["counts"],
        json!({ "total": 2, "completed": 1, "overdue": 1 }),
        "{year_end}"
    );
    assert_eq!(
        plans_under(&year_end),
        vec![
            (
                "ADMINISTRATIVE_PROCEDURES".to_owned(),
                json!(100.0),
                json!({ "total": 1, "completed": 1, "overdue": 0 })
            ),
            (
                "DIGITAL_GOVERNMENT".to_owned(),
                json!(0.0),
                json!({ "total": 1, "completed": 0, "overdue": 1 })
            ),
        ],
        "{year_end}"
    );
    let march = rollup(&api, &leader, &province.program, "2025-03-15T00:00:00Z").await;
    assert_eq!(
        plans_under(&march),
        vec![
            (
                "ADMINISTRATIVE_PROCEDURES".to_owned(),
                json!(40.0),
                json!({ "total": 1, "completed": 0, "overdue": 0 })
            ),
            (
                "DIGITAL_GOVERNMENT".to_owned(),
                json!(0.0),
                json!({ "total": 1, "completed": 0, "overdue": 0 })
            ),
        ],
        "{march}"
    );

    // The lead agency's scorecard as of 28/02/2025 exists: it was on record then.
    let scorecard = api
        .ok(
            &leader,
            r#"query($id: ID!) { agency(id: $id) {
                 scorecard(asOf: "2025-02-28T23:59:59Z") { tasksLed completedInTime overdueNow } } }"#,
            json!({ "id": province.lead.0 }),
        )
        .await;
    assert_eq!(
        scorecard["agency"]["scorecard"],
        json!({ "tasksLed": 2, "completedInTime": 0, "overdueNow": 0 }),
        "{scorecard}"
    );

    // The audit log shows both times and marks what was entered in arrears.
    let auditor = api.token(Role::Auditor, "kiem-toan", None);
    let log = api
        .ok(
            &auditor,
            r#"query($task: ID!) { auditLog(first: 10, filter: { entityId: $task }) {
                 nodes { action occurredAt recordedAt recordedInArrears } } }"#,
            json!({ "task": province.procedures }),
        )
        .await;
    let entries = log["auditLog"]["nodes"]
        .as_array()
        .expect("entries")
        .clone();
    let by_action = |action: &str| {
        entries
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} in {log}"))
            .clone()
    };
    let today = Utc::now().date_naive().to_string();
    for (action, occurred) in [
        ("TaskCreated", "2025-01-15"),
        ("TaskProgressReported", "2025-03-01"),
        ("TaskCompleted", "2025-06-20"),
    ] {
        let entry = by_action(action);
        assert!(
            entry["occurredAt"]
                .as_str()
                .is_some_and(|at| at.starts_with(occurred)),
            "{action}: {entry}"
        );
        assert!(
            entry["recordedAt"]
                .as_str()
                .is_some_and(|at| at.starts_with(&today)),
            "{action}: {entry}"
        );
        assert_eq!(entry["recordedInArrears"], true, "{action}: {entry}");
    }

    // An act without a day is dated now, and not in arrears.
    api.ok(
        &secretariat,
        EXTEND,
        json!({ "input": { "taskId": province.digitisation, "newDeadline": day(2026, 12, 31),
                           "reason": "Chờ kinh phí" } }),
    )
    .await;
    let log = api
        .ok(
            &auditor,
            r#"query($task: ID!) { auditLog(first: 1, filter: { entityId: $task }) {
                 nodes { action occurredAt recordedInArrears } } }"#,
            json!({ "task": province.digitisation }),
        )
        .await;
    let latest = &log["auditLog"]["nodes"][0];
    assert_eq!(latest["action"], "TaskDeadlineExtended", "{log}");
    assert_eq!(latest["recordedInArrears"], false, "{log}");
    assert!(
        latest["occurredAt"]
            .as_str()
            .is_some_and(|at| at.starts_with(&today)),
        "{log}"
    );
    api.stop().await;
}

async fn acts_out_of_time_are_refused_and_write_nothing(t: TestStore) {
    let api = ApiServer::start(&t, Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "so-noi-vu", None);
    let province = enter_the_province(&api, &secretariat).await;
    let officer = api.token(Role::Officer, "can-bo", Some(province.lead.1));
    api.ok(
        &officer,
        REPORT,
        json!({ "input": { "taskId": province.digitisation, "percent": 30,
                           "note": "Đã số hóa 30%", "asOf": day(2025, 3, 1) } }),
    )
    .await;
    let head = t.store.head().await.expect("the head");
    let tomorrow = Utc::now()
        .date_naive()
        .checked_add_days(Days::new(1))
        .expect("tomorrow");

    let task = |on: NaiveDate, deadline: NaiveDate| {
        json!({ "input": { "planId": province.plan, "category": "ADMINISTRATIVE_PROCEDURES",
                           "title": "Nhiệm vụ mới", "leadId": province.lead.0,
                           "deadline": deadline, "expectedOutput": "Báo cáo", "on": on } })
    };
    let extension = |on: NaiveDate| {
        json!({ "input": { "taskId": province.digitisation, "newDeadline": day(2025, 9, 30),
                           "reason": "Gia hạn", "on": on } })
    };
    let refusals: Vec<(&str, &str, Value, &str, &str)> = vec![
        (
            "an act dated tomorrow",
            CREATE,
            task(tomorrow, day(2025, 12, 31)),
            "on",
            "after today",
        ),
        (
            "a task assigned before its plan was on record",
            CREATE,
            task(day(2025, 1, 5), day(2025, 12, 31)),
            "on",
            "before the document it refers to is on record (2025-01-10)",
        ),
        (
            "a deadline before the plan was issued",
            CREATE,
            task(day(2025, 1, 15), day(2025, 1, 8)),
            "deadline",
            "before plan 05/KH-UBND was issued",
        ),
        (
            "an extension dated before the report already on the task",
            EXTEND,
            extension(day(2025, 2, 15)),
            "on",
            "before the last act on this task (2025-03-01)",
        ),
        (
            "a plan on record before it was signed",
            PLAN,
            json!({ "input": { "header": header("06/KH-UBND", day(2025, 2, 1)),
                               "implementsId": province.program,
                               "issuingAgencyId": province.lead.0, "jurisdiction": "VN-25",
                               "fromYear": 2025, "toYear": 2025, "on": day(2025, 1, 20) } }),
            "issuedOn",
            "a document is on record from its issue date",
        ),
    ];
    for (what, mutation, variables, field, needle) in refusals {
        let (status, body) = api
            .post(
                Some(&secretariat),
                json!({ "query": mutation, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200, "{what}: {body}");
        let error = &body["errors"][0];
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{what}: {body}"
        );
        assert_eq!(error["extensions"]["field"], field, "{what}: {body}");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains(needle)),
            "{what}: {body}"
        );
    }
    let completion = api
        .post(
            Some(&officer),
            json!({ "query": COMPLETE, "variables": { "input": {
                "taskId": province.procedures, "output": "Xong", "completedOn": tomorrow } } }),
        )
        .await
        .1;
    assert_eq!(
        completion["errors"][0]["extensions"]["field"], "completedOn",
        "{completion}"
    );
    assert_eq!(
        t.store.head().await.expect("the head"),
        head,
        "refused acts write nothing"
    );

    // Dated after the report, the extension is taken.
    let extended = api
        .ok(&secretariat, EXTEND, extension(day(2025, 3, 2)))
        .await;
    assert_eq!(
        extended["extendDeadline"]["task"]["deadline"], "2025-09-30",
        "{extended}"
    );
    api.stop().await;
}
