//! The `reform` binary as a user runs it.

use std::process::Command;

fn reform(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reform"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .output()
        .expect("running reform");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let (ok, _, err) = reform("mysql://localhost/reform", &["migrate"]);
    assert!(!ok);
    assert!(err.contains("unsupported database URL"), "{err}");
}
