//! The `reform` binary as a user runs it.

use std::process::Command;

/// Runs `reform` on a database: its exit code, stdout and stderr.
fn reform_code(database_url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reform"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .output()
        .expect("running reform");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `reform` on a database: whether it succeeded, stdout and stderr.
fn reform(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let (code, out, err) = reform_code(database_url, args);
    (code == Some(0), out, err)
}

fn check_demo(url: &str) {
    let (ok, out, err) = reform(url, &["demo"]);
    assert!(ok, "reform demo failed: {err}");
    assert!(out.contains("demo loaded"), "{out}");
    assert!(
        out.contains("0 already on record"),
        "first load writes everything: {out}"
    );
    for pillar in [
        "Cải cách thể chế",
        "Cải cách thủ tục hành chính",
        "Cải cách chế độ công vụ",
    ] {
        assert!(out.contains(pillar), "summary lacks {pillar}: {out}");
    }
    // The Hoài Đức plan: 10 top-level tasks, 2 overdue on 2023-12-20.
    let total: usize = summary_column(&out, 0);
    let overdue: usize = summary_column(&out, 5);
    assert_eq!((total, overdue), (10, 2), "{out}");

    let (ok, again, err) = reform(url, &["demo"]);
    assert!(ok, "second load failed: {err}");
    assert!(
        again.contains(": 0 commands executed"),
        "the demo loads once: {again}"
    );
    assert_eq!(summary_column(&again, 0), 10);

    // `demo --as-of` answers as things stood that day, as `progress --as-of` does:
    // on 30/06/2023 Hoài Đức's tasks were open, none overdue yet but what fell due.
    let (ok, then, err) = reform(url, &["demo", "--as-of", "2023-06-30"]);
    assert!(ok, "demo --as-of failed: {err}");
    let (ok, progress, err) = reform(url, &["progress", "--as-of", "2023-06-30"]);
    assert!(ok, "progress --as-of failed: {err}");
    let table = |out: &str| -> Vec<String> {
        out.lines()
            .skip_while(|l| !l.starts_with("Tiến độ"))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(table(&then), table(&progress), "{then}\n{progress}");
    assert!(then.contains("as of 2023-06-30"), "{then}");
    assert_ne!(
        summary_column(&then, 1) + summary_column(&then, 2) + summary_column(&then, 3),
        summary_column(&again, 1) + summary_column(&again, 2) + summary_column(&again, 3),
        "fewer tasks were completed by 30/06/2023 than by the demo's end: {then}"
    );

    let (ok, tree, err) = reform(url, &["progress", "--as-of", "2023-12-20", "--tree", "2"]);
    assert!(ok, "progress --tree failed: {err}");
    let program = tree
        .lines()
        .find(|l| l.starts_with("Tất cả chương trình"))
        .unwrap_or_else(|| panic!("the root: {tree}"));
    let numbers: Vec<&str> = program.split_whitespace().rev().take(6).collect();
    assert_eq!(
        numbers,
        vec!["0", "1", "2", "4", "10", "87.7"],
        "root: 87.7%, 10 tasks, 4 done, 2 overdue, 1 late: {tree}"
    );
    assert!(
        tree.lines().any(|l| l.starts_with("    280/KH-UBND")),
        "plans at depth 2: {tree}"
    );
}

/// Sums a numeric column (0 = the first number) over the summary's rows.
fn summary_column(out: &str, column: usize) -> usize {
    out.lines()
        .skip_while(|l| !l.starts_with("pillar"))
        .skip(1)
        .filter_map(|l| {
            let numbers: Vec<&str> = l
                .split_whitespace()
                .rev()
                .take(8)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            numbers.get(column).and_then(|n| n.parse::<usize>().ok())
        })
        .sum()
}

#[test]
fn demo_loads_once_and_prints_progress_by_pillar_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    check_demo(&format!(
        "sqlite://{}",
        dir.path().join("reform.db").display()
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_once_and_prints_progress_by_pillar_on_postgres() {
    let Some(url) = crate::support::pg::fresh_database().await else {
        return;
    };
    tokio::task::spawn_blocking(move || check_demo(&url))
        .await
        .expect("demo check");
}

/// `reform verify` on the demo: exit 0 with the count and the head's digest; after an
/// edit made behind the store's back, exit 3 naming the event; `--against` the first
/// digest after a cut tail, exit 3 again.
#[test]
fn reform_verify_names_the_first_tampered_event() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("verify.db").display());
    let (ok, _, err) = reform(&url, &["demo"]);
    assert!(ok, "{err}");
    let run = |args: &[&str]| reform_code(&url, args);
    let (code, out, err) = run(&["verify"]);
    assert_eq!(code, Some(0), "{out}{err}");
    // The demo: the register of jurisdictions (93 events) and the program (166).
    assert!(out.contains("verified 259 events"), "{out}");
    let digest = out
        .lines()
        .find_map(|l| l.strip_prefix("head digest: "))
        .expect("a digest line")
        .to_owned();
    assert!(digest.starts_with("259:"), "{digest}");

    let tamper = |sql: &str| {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async {
            let pool = sqlx::SqlitePool::connect(&url).await.expect("pool");
            for statement in [
                "DROP TRIGGER IF EXISTS events_no_update",
                "DROP TRIGGER IF EXISTS events_no_delete",
                sql,
            ] {
                sqlx::query(statement).execute(&pool).await.expect("tamper");
            }
            pool.close().await;
        });
    };
    tamper("UPDATE events SET actor_name = 'Ai đó' WHERE position = 42");
    let (code, out, err) = run(&["verify"]);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        err.contains("TAMPERED") && err.contains("position 42"),
        "{err}"
    );
    // Cut the tail (the edited event with it): what is left is a valid chain, and only
    // the digest kept from before shows the loss.
    tamper("DELETE FROM events WHERE position >= 40");
    let (code, out, err) = run(&["verify"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, _, err) = run(&["verify", "--against", &digest]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("no longer reaches"), "{err}");
    let (code, _, err) = run(&["verify", "--against", "not-a-digest"]);
    assert_eq!(code, Some(2), "a usage error: {err}");
    assert!(
        err.contains("POSITION:HASH"),
        "a bad digest is a clear error: {err}"
    );
}

/// `reform audit export`: a period's events as JSON lines or CSV with the Vietnamese
/// text intact, each with its chain columns, and the file's SHA-256 printed.
#[test]
fn reform_audit_export_hands_over_a_period_with_its_digest() {
    use sha2::Digest as _;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("export.db").display());
    let (ok, _, err) = reform(&url, &["demo"]);
    assert!(ok, "{err}");
    let jsonl = dir.path().join("all.jsonl");
    let path = jsonl.to_str().expect("a path");
    let (ok, _, err) = reform(
        &url,
        &[
            "audit",
            "export",
            "--from",
            "1945-01-01",
            "--to",
            "2030-12-31",
            "--format",
            "jsonl",
            "--output",
            path,
        ],
    );
    assert!(ok, "{err}");
    let bytes = std::fs::read(&jsonl).expect("the export");
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert_eq!(text.lines().count(), 259);
    assert!(
        text.contains("Văn phòng Ban Chỉ đạo CCHC (demo)"),
        "Vietnamese intact"
    );
    let first: serde_json::Value =
        serde_json::from_str(text.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["position"], 1);
    assert_eq!(first["prev_hash"], reform_store::chain::GENESIS);
    let sha = format!("{:x}", sha2::Sha256::digest(&bytes));
    assert!(err.contains(&format!("file SHA-256: {sha}")), "{err}");
    assert!(
        err.contains("chain digest of the last event: 259:"),
        "{err}"
    );

    // One year as CSV for a spreadsheet: a BOM, a header, the year's events only.
    let (ok, csv, err) = reform(
        &url,
        &[
            "audit",
            "export",
            "--from",
            "2022-01-01",
            "--to",
            "2022-12-31",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let years: Vec<String> = rows
        .records()
        .map(|r| r.expect("a CSV row")[1].chars().take(4).collect())
        .collect();
    assert!(
        !years.is_empty() && years.iter().all(|y| y == "2022"),
        "{years:?}"
    );
    let (ok, _, err) = reform(
        &url,
        &[
            "audit",
            "export",
            "--from",
            "2023-01-01",
            "--to",
            "2022-01-01",
        ],
    );
    assert!(!ok && err.contains("before --from"), "{err}");
}

/// An actor whose token names them `=HYPERLINK("http://x")`, and a reason starting with
/// `@`, recorded through a real server: `reform audit export` in csv puts an apostrophe
/// before those cells, as the plan table's csv does, so a spreadsheet shows them as
/// text; no cell of the file starts like a formula; JSON lines keep the stored text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reform_audit_export_csv_cells_never_open_as_formulas() {
    use crate::support::process::{reform, token, Served};
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("formulas.db").display());
    let name = r#"=HYPERLINK("http://x")"#;
    {
        let served = Served::start(&url, dir.path()).await;
        let secretariat = token(reform_domain::Role::Secretariat, name, None);
        let agency = served
            .ok(
                &secretariat,
                r#"mutation($input: RegisterAgencyInput!) { registerAgency(input: $input) { agency { id } } }"#,
                serde_json::json!({ "input": {
                    "name": "Sở Nội vụ", "tier": "DEPARTMENT", "jurisdiction": "VN-DN" } }),
            )
            .await["registerAgency"]["agency"]["id"]
            .clone();
        served
            .ok(
                &secretariat,
                r#"mutation($input: RenameAgencyInput!) { renameAgency(input: $input) { agency { name } } }"#,
                serde_json::json!({ "input": {
                    "agencyId": agency, "newName": "-Sở Nội vụ thành phố", "effectiveOn": "2025-07-01",
                    "reason": "@all đổi tên theo Nghị quyết" } }),
            )
            .await;
    }
    let export = |format: &str| {
        let (code, out, err) = reform(
            &url,
            dir.path(),
            &[
                "audit",
                "export",
                "--from",
                "2000-01-01",
                "--to",
                "2100-12-31",
                "--format",
                format,
            ],
        );
        assert_eq!(code, Some(0), "{err}");
        out
    };
    let csv = export("csv");
    let mut rows = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = rows.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("a row")).collect();
    assert_eq!(records.len(), 2, "{csv}");
    for record in &records {
        assert_eq!(&record[column("actor_name")], format!("'{name}"));
        assert_eq!(&record[column("actor_id")], format!("'{name}"));
        for cell in record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a cell opens as a formula: {cell:?}"
            );
        }
    }
    assert_eq!(
        &records[1][column("reason")],
        "'@all đổi tên theo Nghị quyết"
    );
    let renamed: serde_json::Value =
        serde_json::from_str(&records[1][column("payload")]).expect("the payload is JSON");
    assert_eq!(renamed["new_name"], "-Sở Nội vụ thành phố");

    let jsonl = export("jsonl");
    let first: serde_json::Value =
        serde_json::from_str(jsonl.lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["actor_name"], name, "JSON lines keep the stored text");
}

/// `reform import plan` with the sample file, as the README shows it: exit 0 and the
/// report; again, nothing to change; a file with a bad row, exit 3 with the row named
/// and nothing written; `--dry-run` writes nothing; `reform export plan` writes a
/// workbook that imports back unchanged.
#[test]
fn reform_import_plan_takes_the_sample_file_all_or_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("import.db").display());
    let (ok, _, err) = reform(&url, &["demo"]);
    assert!(ok, "{err}");
    let run = |args: &[&str]| reform_code(&url, args);
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
    );
    let head = || -> String {
        let (_, out, _) = run(&["verify"]);
        out.lines()
            .find_map(|l| l.strip_prefix("head digest: "))
            .map(str::to_owned)
            .unwrap_or_default()
    };

    let bad = dir.path().join("bad.csv");
    let text = std::fs::read_to_string(sample).expect("sample");
    std::fs::write(
        &bad,
        text.replace("Quý II/2024,\"Danh mục", "Sớm,\"Danh mục"),
    )
    .expect("bad file");
    let before = head();
    let (code, out, err) = run(&[
        "import",
        "plan",
        bad.to_str().expect("path"),
        "--plan",
        "318/KH-UBND",
    ]);
    assert_eq!(code, Some(3), "{out}{err}");
    assert!(
        out.contains("row 16 (STT 2), Thời gian hoàn thành: \"Sớm\" is not a deadline"),
        "{out}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    let (code, out, _) = run(&[
        "import",
        "plan",
        sample,
        "--plan",
        "318/KH-UBND",
        "--dry-run",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("would import 318/KH-UBND: 37 created"),
        "{out}"
    );
    assert_eq!(head(), before, "neither wrote anything");

    let (code, out, err) = run(&["import", "plan", sample, "--plan", "318/KH-UBND"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("header on row 5: 38 numbered rows (1 is a heading over its sub-rows)"),
        "{out}"
    );
    assert!(
        out.contains("imported 318/KH-UBND: 37 created, 0 amended, 0 unchanged"),
        "{out}"
    );
    let (code, out, _) = run(&["import", "plan", sample, "--plan", "318/KH-UBND"]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains("nothing to change in 318/KH-UBND: 0 created, 0 amended, 37 unchanged"),
        "{out}"
    );

    let workbook = dir.path().join("318.xlsx");
    let (code, _, err) = run(&[
        "export",
        "plan",
        "--plan",
        "318/KH-UBND",
        "--output",
        workbook.to_str().expect("path"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, _) = run(&[
        "import",
        "plan",
        workbook.to_str().expect("path"),
        "--plan",
        "318/KH-UBND",
    ]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("0 created, 0 amended, 37 unchanged"), "{out}");
    // League tables and accountability go out in the same two formats.
    let (code, out, err) = run(&[
        "export",
        "league",
        "--year",
        "2022",
        "--jurisdiction",
        "VN-DN",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with('\u{feff}'), "csv with a byte-order mark");
    assert!(
        out.contains("Số đơn vị theo xếp loại — Xuất sắc: 3; Tốt: 1; Khá: 0; Trung bình khá: 1"),
        "{out}"
    );
    assert!(out.contains("UBND huyện Hoàng Sa,,Không đánh giá"), "{out}");
    let sheet = dir.path().join("accountability.xlsx");
    let (code, _, err) = run(&[
        "export",
        "accountability",
        "--jurisdiction",
        "VN-HN",
        "--as-of",
        "2023-12-20",
        "--output",
        sheet.to_str().expect("path"),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&sheet).expect("a workbook");
    let range = calamine::Reader::worksheet_range(&mut workbook, "Trách nhiệm người đứng đầu")
        .expect("the sheet");
    let flagged: Vec<String> = range
        .rows()
        .filter(|r| r.get(12).map(ToString::to_string).as_deref() == Some("Có"))
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(
        flagged,
        vec!["Đỗ Văn Tuấn", "Lê Minh Đức"],
        "the heads the demo flags"
    );

    let (code, _, err) = run(&["import", "plan", sample, "--plan", "999/KH-UBND"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no plan is numbered \"999/KH-UBND\""), "{err}");
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let (ok, _, err) = reform("mysql://localhost/reform", &["migrate"]);
    assert!(!ok);
    assert!(err.contains("unsupported database URL"), "{err}");
}

/// `reform import plan` of a 2-cell workbook whose second cell is XFD1048576 (half a
/// terabyte as a dense range): the command says the file is too large and exits with
/// an error of its own, not an abort; a file past the size limit is refused before it
/// is read; nothing is written.
#[test]
fn reform_import_plan_refuses_hostile_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("hostile.db").display());
    let (ok, _, err) = reform(&url, &["demo"]);
    assert!(ok, "{err}");
    let head = || {
        let (_, out, _) = reform(&url, &["verify"]);
        out.lines()
            .find_map(|l| l.strip_prefix("head digest: "))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    let before = head();
    let far = dir.path().join("far.xlsx");
    let far_cell = reform_devtools::hostile::far_cell_workbook().expect("the workbook");
    std::fs::write(&far, far_cell).expect("file");
    let huge = dir.path().join("huge.csv");
    std::fs::write(&huge, "STT,Nội dung nhiệm vụ\n".repeat(60_000)).expect("file");
    for (file, says) in [
        (
            &far,
            "has content in cell XFD1048576; the most accepted is 5000 rows × 50 columns",
        ),
        (&huge, "is too large: the most accepted is 716800 bytes"),
    ] {
        for dry_run in [true, false] {
            let mut args = vec![
                "import",
                "plan",
                file.to_str().expect("path"),
                "--plan",
                "318/KH-UBND",
            ];
            if dry_run {
                args.push("--dry-run");
            }
            let (code, out, err) = reform_code(&url, &args);
            assert_eq!(code, Some(1), "an error, not a signal: {out}{err}");
            assert!(err.contains(says), "{err}");
        }
    }
    assert_eq!(head(), before, "nothing was written");
}

/// Two `reform follow` processes on one PostgreSQL database: one holds the projection
/// lease and follows; when it is killed, the other takes over within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_follower_hands_the_read_models_to_another_process() {
    use reform_commands::CommandHandler;
    use reform_projections::{ReadDb, PROGRESS};

    let Some(url) = crate::support::pg::fresh_database().await else {
        return;
    };
    let store = reform_store::open(&url).await.expect("store");
    let handler = CommandHandler::new(store.clone());
    let db = ReadDb::connect(&url).await.expect("read db");
    let admin = sqlx::PgPool::connect(&url).await.expect("admin connection");

    let follow = |name: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_reform"))
            .arg("follow")
            .env("DATABASE_URL", &url)
            .env("PGAPPNAME", name)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starting reform follow")
    };
    let mut followers = [
        ("follower-a", follow("follower-a")),
        ("follower-b", follow("follower-b")),
    ];

    let holder = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
             WHERE l.locktype = 'advisory' AND l.granted \
             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) \
             AND a.application_name LIKE 'follower-%'",
        )
        .fetch_optional(&admin)
        .await
        .expect("asking for the lease holder")
    };
    let caught_up = || async {
        let head = store.head().await.expect("head");
        db.checkpoint(PROGRESS).await.expect("checkpoint") == head
    };
    let first = eventually("a lease holder", || async { holder().await }).await;
    reform_cli::demo::load_demo(&handler).await.expect("demo");
    eventually("the first follower to catch up", || async {
        caught_up().await.then_some(())
    })
    .await;

    let (index, _) = followers
        .iter()
        .enumerate()
        .find(|(_, (n, _))| *n == first)
        .expect("known follower");
    followers[index].1.kill().expect("killing the lease holder");
    followers[index].1.wait().expect("reaping it");

    let more = reform_domain::Command::RegisterAgency {
        agency_id: reform_domain::AgencyId::generate(),
        name: "Sở Khoa học và Công nghệ thành phố Đà Nẵng".into(),
        short_name: None,
        tier: reform_domain::AgencyTier::Department,
        block: Some(reform_domain::Block::Departments),
        jurisdiction: "VN-DN".into(),
        parent: None,
    };
    let actor = reform_store::Actor::system();
    handler
        .execute(
            more,
            reform_store::CommandMetadata::new(actor, chrono::Utc::now()),
            None,
        )
        .await
        .expect("append");
    eventually("the other follower to take over", || async {
        let other = holder().await.filter(|h| *h != first)?;
        caught_up().await.then_some(other)
    })
    .await;
    for (_, child) in &mut followers {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Polls `check` every 100 ms until it yields a value; fails after 20 s.
async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The README's main command: `reform serve` on an empty SQLite file loads the demo,
/// prints where it listens, and answers a token from `reform token` over HTTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reform_serve_answers_with_a_token_from_reform_token() {
    use std::io::BufRead;

    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("reform.db").display());
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_reform"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("DATABASE_URL", &url)
        .env_remove("REFORM_JWT_SECRET")
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starting reform serve");
    let stdout = server.stdout.take().expect("stdout");
    let (found, address) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let mut found = Some(found);
        // Read every line, so the server never writes to a closed pipe.
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(address) = line.strip_prefix("reform: GraphQL API on ") {
                if let Some(found) = found.take() {
                    let _ = found.send(address.to_owned());
                }
            }
        }
    });
    let address = address.await.expect("the server says where it listens");

    let token = std::process::Command::new(env!("CARGO_BIN_EXE_reform"))
        .args(["token", "--role", "leader", "--user", "chu-tich"])
        .env("DATABASE_URL", &url)
        .env_remove("REFORM_JWT_SECRET")
        .current_dir(dir.path())
        .output()
        .expect("reform token");
    assert!(token.status.success());
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();

    let body: serde_json::Value = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client")
        .post(&address)
        .bearer_auth(&token)
        .json(&serde_json::json!({
            "query": "{ viewer { name } parRanking(year: 2022, jurisdiction: \"VN-DN\", block: CENTRAL_AGENCIES) { average bandCounts { band count } } }"
        }))
        .send()
        .await
        .expect("the server answers")
        .json()
        .await
        .expect("JSON");
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(body["data"]["viewer"]["name"], "chu-tich", "{body}");
    let table = &body["data"]["parRanking"][0];
    assert_eq!(
        table["average"], 88.25,
        "Đà Nẵng 2022, central block: {body}"
    );
    assert_eq!(
        table["bandCounts"][0],
        serde_json::json!({ "band": "Xuất sắc", "count": 3 })
    );
}

/// `reform token` needs only the secret: no database is opened or created, even an
/// unreachable one; a lifetime beyond what the server accepts is refused. `reform
/// serve --production` refuses to start on the development secret and prints no token.
#[test]
fn tokens_need_only_the_secret_and_production_needs_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = |args: &[&str], secret: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reform"));
        command
            .args(args)
            .env("DATABASE_URL", "postgres://nobody:wrong@127.0.0.1:1/none")
            .env_remove("REFORM_JWT_SECRET")
            .env_remove("REFORM_MAX_TOKEN_DAYS")
            .current_dir(dir.path());
        if let Some(secret) = secret {
            command.env("REFORM_JWT_SECRET", secret);
        }
        let out = command.output().expect("running reform");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let secret = "a production secret of more than thirty-two characters";
    let (code, out, err) = run(&["token", "--role", "leader"], Some(secret));
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.trim().split('.').count(), 3, "a JWT: {out}");
    assert!(
        !dir.path().join("reform.db").exists(),
        "no database was created"
    );
    let (code, _, err) = run(
        &["token", "--role", "leader", "--days", "365"],
        Some(secret),
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("--days must be from 1 to 30"), "{err}");

    let (code, out, err) = run(
        &[
            "serve",
            "--production",
            "--listen",
            "127.0.0.1:0",
            "--no-demo",
        ],
        None,
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("--production needs REFORM_JWT_SECRET"),
        "{err}"
    );
    assert!(!out.contains("Bearer"), "no token printed: {out}");
}
