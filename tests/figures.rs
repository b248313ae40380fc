//! Figures a leader can trust: each task shows one percent and one status wherever a
//! number is shown — `Task`, the task list and its aggregates, the roll-up tree,
//! scorecards, the command line, the exported table — "overdue on a day" is answered
//! as things stood that day, and heads answer for early completions. Over GraphQL on
//! a real server and through the `reform` binary, on SQLite and PostgreSQL.

use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use reform_commands::CommandHandler;
use reform_domain::{
    AgencyId, AgencyTier, Block, Command, Deadline, DocumentHeader, DocumentId, Period, Person,
    Pillar, ProgramLevel, Role, TaskCategory, TaskId,
};
use reform_gateway::{Clock, Options};
use reform_store::{Actor, CommandMetadata};
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::process::reform;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    a_task_with_subtasks_shows_their_figure_everywhere,
    overdue_on_a_day_is_answered_as_things_stood_that_day,
    heads_answer_for_early_completions_on_both_sides_of_a_tenure,
    every_surface_shows_each_generated_task_alike,
);

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).expect("a day of 2025")
}

fn at(on: NaiveDate) -> DateTime<Utc> {
    on.and_hms_opt(9, 0, 0).expect("nine o'clock").and_utc()
}

/// The secretariat's desk: commands sent through the handler on the business day
/// they happened, as `reform import` and the demo send them.
struct Desk {
    handler: CommandHandler,
}

impl Desk {
    fn new(t: &TestStore) -> Desk {
        Desk {
            handler: CommandHandler::new(t.store.clone()),
        }
    }

    async fn send(&self, on: NaiveDate, command: Command) {
        self.handler
            .execute(command, CommandMetadata::new(Actor::system(), at(on)), None)
            .await
            .expect("the command is accepted");
    }

    async fn agency(&self, name: &str, head: &str) -> AgencyId {
        let agency = AgencyId::generate();
        self.send(
            day(1, 2),
            Command::RegisterAgency {
                agency_id: agency,
                name: name.into(),
                short_name: None,
                tier: AgencyTier::Department,
                block: Some(Block::Departments),
                jurisdiction: "VN-48".into(),
                parent: None,
            },
        )
        .await;
        let in_office = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a day");
        self.appoint(day(1, 2), agency, head, in_office).await;
        agency
    }

    /// Recorded on `recorded`, in office from `from`.
    async fn appoint(&self, recorded: NaiveDate, agency: AgencyId, head: &str, from: NaiveDate) {
        self.send(
            recorded,
            Command::AppointHead {
                agency_id: agency,
                head: Person {
                    name: head.into(),
                    title: Some("Giám đốc".into()),
                },
                from,
                decision: None,
            },
        )
        .await;
    }

    /// A program and plans of 2025 numbered `numbers`, issued by `issuer`.
    async fn plans(&self, issuer: AgencyId, numbers: &[&str]) -> (DocumentId, Vec<DocumentId>) {
        let header = |number: &str| DocumentHeader {
            number: number.into(),
            title: format!("Văn bản {number}"),
            issued_on: day(1, 2),
            issuer: "UBND thành phố Đà Nẵng".into(),
            issuing_agency: None,
            signer: None,
        };
        let program = DocumentId::generate();
        self.send(
            day(1, 2),
            Command::IssueProgram {
                document_id: program,
                header: header("100/QĐ-UBND"),
                level: ProgramLevel::Provincial,
                jurisdiction: "VN-48".into(),
                parent_program: None,
                period: Period {
                    from_year: 2021,
                    to_year: 2030,
                },
            },
        )
        .await;
        let mut plans = Vec::new();
        for number in numbers {
            let plan = DocumentId::generate();
            self.send(
                day(1, 3),
                Command::IssuePlan {
                    document_id: plan,
                    header: header(number),
                    implements: program,
                    issuing_agency: issuer,
                    jurisdiction: "VN-48".into(),
                    period: Period {
                        from_year: 2025,
                        to_year: 2025,
                    },
                },
            )
            .await;
            plans.push(plan);
        }
        (program, plans)
    }

    async fn task(
        &self,
        on: NaiveDate,
        plan: DocumentId,
        parent: Option<TaskId>,
        title: &str,
        lead: AgencyId,
        deadline: NaiveDate,
    ) -> TaskId {
        let task = TaskId::generate();
        self.send(
            on,
            Command::CreateTask {
                task_id: task,
                reference: None,
                plan,
                parent_task: parent,
                directive_point: None,
                category: TaskCategory::Pillar(Pillar::AdministrativeProcedures),
                title: title.into(),
                description: None,
                lead,
                coordinators: Vec::new(),
                deadline: Deadline::On(deadline),
                expected_output: "Báo cáo kết quả".into(),
                weight: None,
            },
        )
        .await;
        task
    }

    async fn report(&self, on: NaiveDate, task: TaskId, by: AgencyId, percent: u8) {
        self.send(
            on,
            Command::ReportProgress {
                task_id: task,
                reporter_agency: by,
                percent,
                note: "Báo cáo tiến độ".into(),
                evidence: Vec::new(),
                as_of: on,
            },
        )
        .await;
    }

    /// Recorded on `recorded`, completed on `completed_on`.
    async fn complete(&self, recorded: NaiveDate, task: TaskId, by: AgencyId, on: NaiveDate) {
        self.send(
            recorded,
            Command::CompleteTask {
                task_id: task,
                reporter_agency: by,
                output: "Đã hoàn thành".into(),
                completed_on: on,
            },
        )
        .await;
    }

    async fn extend(&self, on: NaiveDate, task: TaskId, to: NaiveDate) {
        self.send(
            on,
            Command::ExtendDeadline {
                task_id: task,
                new_deadline: to,
                reason: "Gia hạn theo đề nghị của cơ quan chủ trì".into(),
            },
        )
        .await;
    }
}

/// A gateway whose clock stands at nine on `today`.
async fn server_on(t: &TestStore, today: NaiveDate) -> ApiServer {
    ApiServer::start(
        t,
        Options {
            clock: Clock::fixed(at(today)),
            ..Options::default()
        },
    )
    .await
}

const TASKS: &str = r#"query($filter: TaskFilterInput) {
  tasks(first: 100, filter: $filter) {
    totalCount averagePercent
    counts { notStarted inProgress overdue early onTime late cancelled total }
    nodes { id uuid title percent status overdue percentFromSubtasks reportedPercent
            plan { id number } lead { uuid } }
  }
}"#;

/// The task list's nodes by uuid.
fn by_uuid(list: &Value) -> BTreeMap<String, Value> {
    list["tasks"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["uuid"].as_str().expect("uuid").to_owned(), n.clone()))
        .collect()
}

/// Every task node of a roll-up tree, by global id: (percent, counts).
fn tree_tasks(node: &Value, out: &mut BTreeMap<String, (Value, Value)>) {
    if node["kind"] == "TASK" {
        out.insert(
            node["nodeId"].as_str().expect("a task's id").to_owned(),
            (node["percent"].clone(), node["counts"].clone()),
        );
    }
    for child in node["children"].as_array().into_iter().flatten() {
        tree_tasks(child, out);
    }
}

const ROLLUP: &str = r#"query {
  programs { id rollup { ...node children { ...node children { ...node children { ...node
    children { ...node children { ...node } } } } } } }
}
fragment node on RollupNode { kind nodeId percent counts { total completed overdue inProgress notStarted } }"#;

/// A plan's exported table (csv) as rows of cells, from `Plan.taskTable`.
async fn task_table(api: &ApiServer, token: &str, plan: &str) -> Vec<Vec<String>> {
    let data = api
        .ok(
            token,
            r#"query($id: ID!) { node(id: $id) { ... on Plan { taskTable(format: CSV) { content } } } }"#,
            json!({ "id": plan }),
        )
        .await;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(
            data["node"]["taskTable"]["content"]
                .as_str()
                .expect("content"),
        )
        .expect("base64");
    csv_rows(&bytes)
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("a csv row").iter().map(str::to_owned).collect())
        .collect()
}

/// The exported row of the task with this id: (percent, status).
fn exported(rows: &[Vec<String>], uuid: &str) -> Option<(String, String)> {
    rows.iter()
        .find(|r| r.last().map(String::as_str) == Some(uuid))
        .map(|r| (r[6].clone(), r[7].clone()))
}

/// Sở Nội vụ's plan 12/KH-UBND: "Số hoá hồ sơ" with two subtasks at 60% and 20% and no
/// report of its own, beside a task completed early; Sở Tư pháp's plan 13/KH-UBND has a
/// task of the same title. The parent is 40% in progress on every surface.
async fn a_task_with_subtasks_shows_their_figure_everywhere(t: TestStore) {
    let desk = Desk::new(&t);
    let noi_vu = desk.agency("Sở Nội vụ", "Nguyễn Văn An").await;
    let tu_phap = desk.agency("Sở Tư pháp", "Trần Thị Bình").await;
    let (_, plans) = desk.plans(noi_vu, &["12/KH-UBND", "13/KH-UBND"]).await;
    let title = "Số hoá hồ sơ, kết quả giải quyết thủ tục hành chính";
    let parent = desk
        .task(day(1, 10), plans[0], None, title, noi_vu, day(12, 31))
        .await;
    let land = desk
        .task(
            day(1, 10),
            plans[0],
            Some(parent),
            "Hồ sơ đất đai",
            noi_vu,
            day(9, 30),
        )
        .await;
    let civil = desk
        .task(
            day(1, 10),
            plans[0],
            Some(parent),
            "Hồ sơ hộ tịch",
            noi_vu,
            day(9, 30),
        )
        .await;
    let rules = desk
        .task(
            day(1, 10),
            plans[0],
            None,
            "Ban hành quy chế số hoá",
            noi_vu,
            day(3, 31),
        )
        .await;
    let twin = desk
        .task(day(1, 10), plans[1], None, title, tu_phap, day(12, 31))
        .await;
    desk.report(day(2, 1), land, noi_vu, 60).await;
    desk.report(day(2, 1), civil, noi_vu, 20).await;
    desk.complete(day(3, 20), rules, noi_vu, day(3, 20)).await;

    let api = server_on(&t, day(5, 1)).await;
    let leader = api.token(Role::Leader, "chu-tich", None);
    let list = api.ok(&leader, TASKS, json!({})).await;
    let nodes = by_uuid(&list);
    let node = |id: TaskId| nodes[&id.to_string()].clone();
    let p = node(parent);
    assert_eq!(
        (
            &p["percent"],
            &p["status"],
            &p["percentFromSubtasks"],
            &p["reportedPercent"]
        ),
        (&json!(40.0), &json!("IN_PROGRESS"), &json!(true), &json!(0)),
        "{p}"
    );
    assert_eq!(
        (&node(land)["percent"], &node(civil)["percent"]),
        (&json!(60.0), &json!(20.0))
    );
    assert_eq!(node(twin)["status"], "NOT_STARTED");

    // The list of the plan's top-level tasks: its counts and average are those figures.
    let plan_id = p["plan"]["id"].clone();
    let top = api
        .ok(
            &leader,
            TASKS,
            json!({ "filter": { "planId": plan_id, "topLevelOnly": true } }),
        )
        .await;
    assert_eq!(
        top["tasks"]["averagePercent"],
        json!(70.0),
        "(40 + 100) / 2"
    );
    let counts = &top["tasks"]["counts"];
    assert_eq!(
        (&counts["inProgress"], &counts["early"], &counts["total"]),
        (&json!(1), &json!(1), &json!(2))
    );
    let in_progress = api
        .ok(
            &leader,
            TASKS,
            json!({ "filter": { "status": "IN_PROGRESS", "topLevelOnly": true } }),
        )
        .await;
    assert_eq!(
        by_uuid(&in_progress).keys().collect::<Vec<_>>(),
        vec![&parent.to_string()]
    );

    // The roll-up tree: the same figure for every task; a task without subtasks counts
    // itself (the completed one is 1 task, 1 done).
    let trees = api.ok(&leader, ROLLUP, json!({})).await;
    let mut shown = BTreeMap::new();
    tree_tasks(&trees["programs"][0]["rollup"], &mut shown);
    assert_eq!(shown.len(), 5);
    for n in nodes.values() {
        let (percent, _) = &shown[n["id"].as_str().expect("id")];
        assert_eq!(percent, &n["percent"], "{n}");
    }
    let (_, rules_counts) = &shown[node(rules)["id"].as_str().expect("id")];
    assert_eq!(
        (&rules_counts["total"], &rules_counts["completed"]),
        (&json!(1), &json!(1))
    );

    // The exported table: the same percent and status.
    let rows = task_table(&api, &leader, plan_id.as_str().expect("plan id")).await;
    assert_eq!(
        exported(&rows, &parent.to_string()),
        Some(("40".to_owned(), "Đang thực hiện".to_owned()))
    );
    assert_eq!(
        exported(&rows, &rules.to_string()),
        Some(("100".to_owned(), "Hoàn thành trước hạn".to_owned()))
    );
    api.stop().await;

    // The command line: the list shows the figure and tells the two plans apart.
    let dir = tempfile::tempdir().expect("a directory");
    let (code, out, err) = reform(&t.url, dir.path(), &["tasks", "--search", "so hoa ket qua"]);
    assert_eq!(code, Some(0), "{err}");
    let line = |plan: &str| {
        out.lines()
            .find(|l| l.contains(plan) && l.contains(title))
            .unwrap_or_else(|| panic!("no line of {plan}: {out}"))
            .to_owned()
    };
    let mine = line("12/KH-UBND");
    assert!(
        mine.contains("IN_PROGRESS") && mine.contains(" 40.0 "),
        "{mine}"
    );
    assert!(line("13/KH-UBND").contains("NOT_STARTED"), "{out}");
    assert!(out.ends_with("2 tasks\n"), "{out}");
    let (code, out, err) = reform(&t.url, dir.path(), &["tasks", "--status", "in_progress"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(title) && out.contains("Hồ sơ đất đai") && out.ends_with("3 tasks\n"),
        "{out}"
    );
    // A status no task can have is refused, with the ones it may have.
    let (code, out, err) = reform(&t.url, dir.path(), &["tasks", "--status", "bogus"]);
    assert_eq!(code, Some(2), "{out}");
    for status in ["NOT_STARTED", "IN_PROGRESS", "COMPLETED", "CANCELLED"] {
        assert!(err.contains(status), "{err}");
    }
    let (code, _, err) = reform(&t.url, dir.path(), &["tasks", "--category", "PILLAR_7"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("ADMINISTRATIVE_PROCEDURES"), "{err}");
    // The tree counts a completed task without subtasks as one task, done.
    let (code, tree, err) = reform(&t.url, dir.path(), &["progress", "--tree", "4"]);
    assert_eq!(code, Some(0), "{err}");
    let columns = tree_line(&tree, "Ban hành quy chế số hoá");
    assert_eq!(&columns[..3], ["100.0", "1", "1"], "{tree}");
    assert_eq!(&tree_line(&tree, title)[..3], ["40.0", "2", "0"], "{tree}");
    // The exported plan: the same figure.
    let (code, csv, err) = reform(
        &t.url,
        dir.path(),
        &["export", "plan", "--plan", "12/KH-UBND", "--format", "csv"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        exported(&csv_rows(csv.as_bytes()), &parent.to_string()),
        Some(("40".to_owned(), "Đang thực hiện".to_owned()))
    );
}

/// The columns after a tree line's label: %, tasks, done, overdue, late, cancelled.
fn tree_line(tree: &str, label: &str) -> Vec<String> {
    let line = tree
        .lines()
        .find(|l| l.contains(label))
        .unwrap_or_else(|| panic!("no line for {label}: {tree}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    words[words.len() - 6..]
        .iter()
        .map(|w| (*w).to_owned())
        .collect()
}

/// Four tasks due 31/3 (one entered only on 5/4) and how each stood on 1/4 and 16/4:
/// completed on 15/4 (recorded the day after), extended before 1/4, extended after it,
/// entered late.
async fn overdue_on_a_day_is_answered_as_things_stood_that_day(t: TestStore) {
    let desk = Desk::new(&t);
    let noi_vu = desk.agency("Sở Nội vụ", "Nguyễn Văn An").await;
    let (_, plans) = desk.plans(noi_vu, &["12/KH-UBND"]).await;
    let task = |title: &'static str, on: NaiveDate| {
        let desk = &desk;
        let plan = plans[0];
        async move { desk.task(on, plan, None, title, noi_vu, day(3, 31)).await }
    };
    let completed_late = task("Hoàn thành muộn", day(1, 10)).await;
    let extended_before = task("Gia hạn trước", day(1, 10)).await;
    let extended_after = task("Gia hạn sau", day(1, 10)).await;
    task("Nhập muộn", day(4, 5)).await;
    desk.extend(day(3, 20), extended_before, day(4, 30)).await;
    desk.extend(day(4, 10), extended_after, day(6, 30)).await;
    desk.complete(day(4, 16), completed_late, noi_vu, day(4, 15))
        .await;

    let api = server_on(&t, day(5, 1)).await;
    let leader = api.token(Role::Leader, "chu-tich", None);
    let overdue_on = |on: &str| {
        let api = &api;
        let leader = &leader;
        let on = on.to_owned();
        async move {
            let list = api
                .ok(leader, TASKS, json!({ "filter": { "overdueOn": on } }))
                .await;
            let mut titles: Vec<String> = by_uuid(&list)
                .values()
                .map(|n| n["title"].as_str().expect("title").to_owned())
                .collect();
            titles.sort();
            titles
        }
    };
    assert_eq!(
        overdue_on("2025-04-01").await,
        ["Gia hạn sau", "Hoàn thành muộn"]
    );
    assert_eq!(overdue_on("2025-04-16").await, ["Nhập muộn"]);
    assert_eq!(
        overdue_on("2025-03-31").await,
        Vec::<String>::new(),
        "due that day"
    );
    // Today (1/5) the list's own counts agree with the filter on today.
    let today = api.ok(&leader, TASKS, json!({})).await;
    assert_eq!(
        today["tasks"]["counts"]["overdue"],
        json!(overdue_on("2025-05-01").await.len())
    );
    api.stop().await;

    let dir = tempfile::tempdir().expect("a directory");
    let (code, out, err) = reform(&t.url, dir.path(), &["tasks", "--overdue-on", "2025-04-01"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Hoàn thành muộn") && out.contains("Gia hạn sau"),
        "{out}"
    );
    assert!(out.ends_with("2 tasks\n"), "{out}");
}

const ACCOUNTABILITY: &str = r#"query {
  accountability {
    agency { uuid } head { name from to } countedTo tasksDue completedInTime completedLate overdueNow
  }
}"#;

/// Sở Xây dựng completes a task early (20/2, due 30/6) and merges into Sở Giao thông on
/// 1/3: its head answers for it, his tenure ends on 28/2, and the merged agency's
/// scorecard still names him. Sở Tài chính changes heads on 1/4: tasks completed early
/// are credited to the head in office at completion, on either side of the boundary;
/// late and open ones to the head in office at the deadline.
async fn heads_answer_for_early_completions_on_both_sides_of_a_tenure(t: TestStore) {
    let desk = Desk::new(&t);
    let xay_dung = desk.agency("Sở Xây dựng", "Lê Văn Cường").await;
    let giao_thong = desk.agency("Sở Giao thông vận tải", "Phạm Thị Dung").await;
    let tai_chinh = desk.agency("Sở Tài chính", "Hoàng Văn Em").await;
    let (_, plans) = desk.plans(tai_chinh, &["12/KH-UBND"]).await;
    let plan = plans[0];
    let early = desk
        .task(day(1, 10), plan, None, "Quy hoạch", xay_dung, day(6, 30))
        .await;
    desk.complete(day(2, 20), early, xay_dung, day(2, 20)).await;
    desk.send(
        day(2, 25),
        Command::MergeAgency {
            agency_id: xay_dung,
            successor: giao_thong,
            effective_on: day(3, 1),
            legal_basis: "Nghị quyết sắp xếp các sở".into(),
        },
    )
    .await;

    let before = desk
        .task(
            day(1, 10),
            plan,
            None,
            "Xong sớm, trước khi đổi",
            tai_chinh,
            day(6, 30),
        )
        .await;
    let after = desk
        .task(
            day(1, 10),
            plan,
            None,
            "Xong sớm, sau khi đổi",
            tai_chinh,
            day(6, 30),
        )
        .await;
    let late = desk
        .task(day(1, 10), plan, None, "Xong muộn", tai_chinh, day(3, 31))
        .await;
    desk.task(day(1, 10), plan, None, "Chưa xong", tai_chinh, day(4, 1))
        .await;
    desk.complete(day(3, 25), before, tai_chinh, day(3, 25))
        .await;
    desk.appoint(day(3, 28), tai_chinh, "Vũ Thị Giang", day(4, 1))
        .await;
    desk.complete(day(4, 2), after, tai_chinh, day(4, 2)).await;
    desk.complete(day(4, 5), late, tai_chinh, day(4, 5)).await;

    let api = server_on(&t, day(7, 15)).await;
    let leader = api.token(Role::Leader, "chu-tich", None);
    let rows = api.ok(&leader, ACCOUNTABILITY, json!({})).await;
    let row = |name: &str| -> Value {
        rows["accountability"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["head"]["name"] == name)
            .unwrap_or_else(|| panic!("no row for {name}: {rows}"))
            .clone()
    };
    let figures = |r: &Value| {
        (
            r["tasksDue"].clone(),
            r["completedInTime"].clone(),
            r["completedLate"].clone(),
            r["overdueNow"].clone(),
        )
    };
    let cuong = row("Lê Văn Cường");
    assert_eq!(
        figures(&cuong),
        (json!(1), json!(1), json!(0), json!(0)),
        "{cuong}"
    );
    assert_eq!(
        (&cuong["head"]["to"], &cuong["countedTo"]),
        (&json!("2025-02-28"), &json!("2025-02-28"))
    );
    assert_eq!(
        figures(&row("Phạm Thị Dung")),
        (json!(0), json!(0), json!(0), json!(0))
    );
    // 25/3 early → the outgoing head; 5/4 late against 31/3 → the outgoing head too.
    assert_eq!(
        figures(&row("Hoàng Văn Em")),
        (json!(2), json!(1), json!(1), json!(0))
    );
    // 2/4 early → the incoming head; due 1/4 and open → hers, overdue.
    assert_eq!(
        figures(&row("Vũ Thị Giang")),
        (json!(2), json!(1), json!(0), json!(1))
    );
    assert_eq!(row("Hoàng Văn Em")["head"]["to"], "2025-03-31");

    // The merged agency: its heads end with it, and its scorecard names its last head.
    let agency = api
        .ok(
            &leader,
            r#"query { agencies(first: 10, filter: { status: "MERGED" }) { nodes {
                 name heads { name to } scorecard { completedInTime head { name to } } } } }"#,
            json!({}),
        )
        .await;
    let merged = &agency["agencies"]["nodes"][0];
    assert_eq!(merged["name"], "Sở Xây dựng");
    assert_eq!(
        merged["heads"],
        json!([{ "name": "Lê Văn Cường", "to": "2025-02-28" }])
    );
    assert_eq!(
        merged["scorecard"],
        json!({ "completedInTime": 1, "head": { "name": "Lê Văn Cường", "to": "2025-02-28" } })
    );
    api.stop().await;

    let dir = tempfile::tempdir().expect("a directory");
    let (code, out, err) = reform(
        &t.url,
        dir.path(),
        &["accountability", "--as-of", "2025-07-15"],
    );
    assert_eq!(code, Some(0), "{err}");
    let line = out
        .lines()
        .find(|l| l.contains("Lê Văn Cường"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("2024-01-01 → 2025-02-28") && line.contains("due 1, in time 1"),
        "{line}"
    );
}

/// A generated province (reports, extensions, reassignments, completions early and
/// late, cancellations, the 2025 mergers) with subtasks added under some of its tasks:
/// every task shows the same percent and status in the task list, the roll-up tree,
/// the exported tables and `reform tasks`; the list's counts and average are those of
/// its tasks; each scorecard counts its agency's led tasks as they stand.
async fn every_surface_shows_each_generated_task_alike(t: TestStore) {
    use reform_devtools::generate::{generate, Shape};

    let desk = Desk::new(&t);
    let shape = Shape {
        provinces: 1,
        departments: 3,
        communes: 0,
        tasks_per_agency: 2,
        years: 5,
        writers: 2,
        seed: 16,
    };
    generate(&desk.handler, &shape).await.expect("generate");
    // Subtasks under the open top-level tasks, reported on by their leads.
    let model = reform_projections::as_of(t.store.as_ref(), at(day(12, 31)))
        .await
        .expect("the model");
    let parents: Vec<_> = model
        .tasks
        .values()
        .filter(|t| t.parent_task_id.is_none() && t.is_open())
        .take(6)
        .cloned()
        .collect();
    assert!(parents.len() >= 3, "open tasks to add subtasks to");
    for (i, parent) in parents.iter().enumerate() {
        let deadline = parent.deadline.unwrap_or(day(12, 31));
        for (j, percent) in [(0, 30 + 10 * i as u8), (1, 5 * i as u8)] {
            let sub = desk
                .task(
                    day(12, 1),
                    parent.plan_id,
                    Some(parent.task_id),
                    &format!("{} — phần {}", parent.title, j + 1),
                    parent.lead_id,
                    deadline,
                )
                .await;
            if percent > 0 {
                desk.report(day(12, 2), sub, parent.lead_id, percent).await;
            }
        }
    }

    let api = ApiServer::start(&t, Options::default()).await;
    let leader = api.token(Role::Leader, "chu-tich", None);
    // Every task, a page at a time.
    let mut nodes: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    let totals = loop {
        let page = api
            .ok(
                &leader,
                r#"query($after: String) { tasks(first: 100, after: $after) {
                     totalCount averagePercent pageInfo { hasNextPage endCursor }
                     counts { notStarted inProgress overdue early onTime late cancelled }
                     nodes { id uuid title percent status overdue timeliness { code }
                             plan { id number } lead { uuid } } } }"#,
                json!({ "after": after }),
            )
            .await;
        let tasks = &page["tasks"];
        nodes.extend(tasks["nodes"].as_array().expect("nodes").iter().cloned());
        if tasks["pageInfo"]["hasNextPage"] != json!(true) {
            break tasks.clone();
        }
        after = tasks["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    };
    assert_eq!(totals["totalCount"], json!(nodes.len()));
    assert!(nodes.len() > 30, "{}", nodes.len());

    // The list's counts and average are those of its tasks as each shows itself.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut percents = Vec::new();
    for n in &nodes {
        let standing = match (n["status"].as_str(), n["overdue"] == json!(true)) {
            (_, true) => "overdue",
            (Some("NOT_STARTED"), _) => "notStarted",
            (Some("IN_PROGRESS"), _) => "inProgress",
            (Some("CANCELLED"), _) => "cancelled",
            _ => match n["timeliness"]["code"].as_str() {
                Some("EARLY") => "early",
                Some("LATE") => "late",
                _ => "onTime",
            },
        };
        *counts.entry(standing).or_default() += 1;
        percents.extend(n["percent"].as_f64());
    }
    for (field, count) in totals["counts"].as_object().expect("counts") {
        assert_eq!(
            count,
            &json!(counts.get(field.as_str()).copied().unwrap_or(0)),
            "{field}"
        );
    }
    let average = percents.iter().sum::<f64>() / percents.len() as f64;
    let shown = totals["averagePercent"].as_f64().expect("an average");
    assert!((shown - average).abs() < 1e-9, "{shown} vs {average}");
    assert!(nodes
        .iter()
        .any(|n| n["status"] == "IN_PROGRESS" && n["percent"] != json!(0.0)));

    // The roll-up tree shows each task's percent.
    let trees = api.ok(&leader, ROLLUP, json!({})).await;
    let mut in_tree = BTreeMap::new();
    for program in trees["programs"].as_array().expect("programs") {
        tree_tasks(&program["rollup"], &mut in_tree);
    }
    for n in &nodes {
        let (percent, _) = in_tree
            .get(n["id"].as_str().expect("id"))
            .unwrap_or_else(|| panic!("not in the tree: {n}"));
        assert_eq!(percent, &n["percent"], "{n}");
    }

    // Each plan's exported table shows each task's percent and status.
    let mut plans: BTreeMap<String, String> = BTreeMap::new();
    for n in &nodes {
        plans.insert(
            n["plan"]["id"].as_str().expect("plan id").to_owned(),
            n["plan"]["number"].as_str().expect("number").to_owned(),
        );
    }
    let mut rows = Vec::new();
    for plan in plans.keys() {
        rows.extend(task_table(&api, &leader, plan).await);
    }
    for n in &nodes {
        let (percent, status) = exported(&rows, n["uuid"].as_str().expect("uuid"))
            .unwrap_or_else(|| panic!("not exported: {n}"));
        match n["percent"].as_f64() {
            Some(p) => {
                let cell: f64 = percent.parse().expect("a number");
                assert!((cell - p).abs() < 0.005, "{percent} vs {n}");
            }
            None => assert_eq!(percent, "", "{n}"),
        }
        let label = match (n["status"].as_str(), n["timeliness"]["code"].as_str()) {
            (Some("NOT_STARTED"), _) => "Chưa thực hiện",
            (Some("IN_PROGRESS"), _) => "Đang thực hiện",
            (Some("CANCELLED"), _) => "Đã hủy",
            (_, Some("EARLY")) => "Hoàn thành trước hạn",
            (_, Some("LATE")) => "Hoàn thành quá hạn",
            _ => "Hoàn thành đúng hạn",
        };
        assert_eq!(status, label, "{n}");
    }

    // Each scorecard counts its agency's led tasks as they stand.
    let cards = api
        .ok(
            &leader,
            r#"query { agencies(first: 100) { nodes { uuid
                 scorecard { completedInTime completedLate overdueNow } } } }"#,
            json!({}),
        )
        .await;
    for agency in cards["agencies"]["nodes"].as_array().expect("agencies") {
        let led: Vec<&Value> = nodes
            .iter()
            .filter(|n| n["lead"]["uuid"] == agency["uuid"] && n["status"] != "CANCELLED")
            .collect();
        let count = |f: &dyn Fn(&Value) -> bool| led.iter().filter(|n| f(n)).count();
        let completed = |n: &Value| n["status"] == "COMPLETED";
        assert_eq!(
            agency["scorecard"],
            json!({
                "completedInTime": count(&|n| completed(n) && n["timeliness"]["code"] != "LATE"),
                "completedLate": count(&|n| completed(n) && n["timeliness"]["code"] == "LATE"),
                "overdueNow": count(&|n| n["overdue"] == json!(true)),
            }),
            "{agency}"
        );
    }
    api.stop().await;

    // `reform tasks`: each line's status and percent, by plan and title.
    let dir = tempfile::tempdir().expect("a directory");
    let (code, out, err) = reform(&t.url, dir.path(), &["tasks"]);
    assert_eq!(code, Some(0), "{err}");
    let mut printed: Vec<String> = out
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with(" tasks"))
        .map(|l| {
            let rest = l.strip_prefix("thường xuyên").unwrap_or(l);
            let words: Vec<&str> = rest.split_whitespace().collect();
            let start = usize::from(!l.starts_with("thường xuyên"));
            let title = l
                .split_once(&format!(" {} ", words[start + 2]))
                .map_or("", |(_, t)| t)
                .trim_start();
            let title = title.rsplit_once(" — ").map_or(title, |(t, _)| t);
            format!(
                "{} {} {} {}",
                words[start + 2],
                title,
                words[start],
                words[start + 1]
            )
        })
        .collect();
    let mut expected: Vec<String> = nodes
        .iter()
        .map(|n| {
            let percent = n["percent"]
                .as_f64()
                .map_or("—".to_owned(), |p| format!("{p:.1}"));
            format!(
                "{} {} {} {percent}",
                n["plan"]["number"].as_str().unwrap_or(""),
                n["title"].as_str().unwrap_or(""),
                n["status"].as_str().unwrap_or("")
            )
        })
        .collect();
    printed.sort();
    expected.sort();
    assert_eq!(printed, expected);
}
