//! README's examples run as written: every shell line and GraphQL block of README.md,
//! against the demo on a real `reform serve` and the `reform` binary. A line the test
//! does not know how to run fails it, so a new example is either run here or named
//! below with the reason it is not.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use reform_domain::Role;
use serde_json::{json, Value};

use crate::support::process::{reform, token, Served, SECRET};

/// A fenced block of README.md: its language, first line number and lines.
struct Block {
    lang: String,
    line: usize,
    lines: Vec<String>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (n, line) in readme.lines().enumerate() {
        match (line.strip_prefix("```"), open.take()) {
            (Some(lang), None) => {
                open = Some(Block {
                    lang: lang.trim().to_owned(),
                    line: n + 2,
                    lines: Vec::new(),
                })
            }
            (Some(_), Some(block)) => blocks.push(block),
            (None, Some(mut block)) => {
                block.lines.push(line.to_owned());
                open = Some(block);
            }
            (None, None) => {}
        }
    }
    blocks
}

/// Shell lines README shows but this test does not run, and why.
const NOT_RUN_HERE: &[(&str, &str)] = &[
    (
        "cargo run --release -- serve",
        "the server under test is that command",
    ),
    ("cargo test --workspace", "the test suite itself"),
    (
        "cargo run --release -p reform-devtools -- bench",
        "benchmarks: run by hand, figures in README",
    ),
    (
        "cargo run --release -p reform-devtools -- generate",
        "builds a large store: covered by the scale tests",
    ),
    (
        "cargo build --release -p reform -p reform-devtools && target/release/reform-dev bench",
        "benchmarks: run by hand, figures in README",
    ),
];

/// The shell to run README's lines in: `cargo run --release [-q] --` is the built
/// binary, `localhost:8080` the server under test.
fn shell(script: &str, dir: &Path, database_url: &str, served: &str) -> (bool, String, String) {
    let binary = env!("CARGO_BIN_EXE_reform");
    let prelude = format!(
        "set -euo pipefail\ncargo() {{ if [ \"$1\" = run ]; then shift; while [ \"$1\" != -- ]; do shift; done; shift; \"{binary}\" \"$@\"; else echo \"cargo $* is not run here\" >&2; return 1; fi; }}\n"
    );
    let script = script.replace("localhost:8080", served);
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .env("DATABASE_URL", database_url)
        .env("REFORM_JWT_SECRET", SECRET)
        .current_dir(dir)
        .output()
        .expect("running bash");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn every_readme_example_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let dir = tempfile::tempdir().expect("temp dir");
    // Examples name files of the repository (tests/data/…) from its root.
    std::os::unix::fs::symlink(root.join("tests"), dir.path().join("tests"))
        .expect("linking tests/");
    let database_url = format!("sqlite://{}", dir.path().join("reform.db").display());
    let (code, demo_out, err) = reform(&database_url, dir.path(), &["demo"]);
    assert_eq!(code, Some(0), "reform demo: {err}");

    // `reform demo` prints the table README shows.
    let all = blocks(&readme);
    let shown = all
        .iter()
        .find(|b| b.lang.is_empty() && b.lines.iter().any(|l| l.starts_with("Tiến độ")))
        .expect("README shows reform demo's table");
    for line in &shown.lines {
        assert!(
            demo_out.contains(line.as_str()),
            "README line {}: {line:?} is not what reform demo prints:\n{demo_out}",
            shown.line
        );
    }

    let served = Served::start(&database_url, dir.path()).await;
    let address = served
        .graphql
        .trim_end_matches("/graphql")
        .trim_start_matches("http://")
        .to_owned();
    let mut ran = 0;
    for block in all.iter().filter(|b| b.lang == "sh") {
        // One script per block (continuations and `TOKEN=$(…)` stay together), each
        // known-not-run line left out.
        let mut script = String::new();
        for line in &block.lines {
            let command = line.trim();
            if command.starts_with('#') || command.is_empty() {
                continue;
            }
            if let Some((_, why)) = NOT_RUN_HERE.iter().find(|(p, _)| command.starts_with(p)) {
                eprintln!("README line {}: not run here ({why})", block.line);
                continue;
            }
            script.push_str(line);
            script.push('\n');
        }
        if script.is_empty() {
            continue;
        }
        // A digest kept from `reform verify`, where README asks for one: that of the
        // position README names, taken with `verify --to` (later examples write more).
        if script.contains("<the 64 hex digits you kept>") {
            let position = script
                .split("--against ")
                .nth(1)
                .and_then(|rest| rest.split(':').next())
                .unwrap_or_default()
                .to_owned();
            let (_, verified, _) =
                reform(&database_url, dir.path(), &["verify", "--to", &position]);
            let hash = verified
                .lines()
                .find_map(|l| l.strip_prefix(&format!("head digest: {position}:")))
                .unwrap_or_else(|| panic!("no digest of position {position}: {verified}"))
                .trim()
                .to_owned();
            script = script.replace("<the 64 hex digits you kept>", &hash);
        }
        let (ok, out, err) = shell(&script, dir.path(), &database_url, &address);
        assert!(
            ok,
            "README line {}:\n{script}\nfailed: {err}\n{out}",
            block.line
        );
        assert!(
            !out.contains("\"errors\""),
            "README line {}: GraphQL errors:\n{out}",
            block.line
        );
        ran += 1;
    }
    assert!(ran >= 7, "only {ran} shell blocks ran");

    // GraphQL blocks, with the ids their variables name taken from the demo.
    let secretariat = token(Role::Secretariat, "readme", None);
    let found = served
        .ok(
            &secretariat,
            r#"{ programs { id number plans { id number } }
                 agencies(first: 5, filter: { search: "Sở Nội vụ thành phố Đà Nẵng" }) { nodes { id name } }
                 tasks(first: 1, filter: { search: "Thanh tra, kiểm tra công tác tổ chức" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let (_, verified, _) = reform(&database_url, dir.path(), &["verify"]);
    let digest = verified
        .lines()
        .find_map(|l| l.strip_prefix("head digest: "))
        .expect("a head digest")
        .trim()
        .to_owned();
    let programs = found["programs"].as_array().cloned().unwrap_or_default();
    let plan = programs
        .iter()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "318/KH-UBND")
        .expect("the demo's plan 318/KH-UBND");
    let variables: BTreeMap<&str, Value> = BTreeMap::from([
        ("program", programs[0]["id"].clone()),
        ("plan", plan["id"].clone()),
        ("lead", found["agencies"]["nodes"][0]["id"].clone()),
        ("task", found["tasks"]["nodes"][0]["id"].clone()),
        ("digest", json!(digest)),
    ]);
    let leader = token(Role::Leader, "readme", None);
    let mut graphql = 0;
    for block in all.iter().filter(|b| b.lang == "graphql") {
        let query = block.lines.join("\n");
        let given: serde_json::Map<String, Value> = variables
            .iter()
            .filter(|(name, _)| query.contains(&format!("${name}:")))
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        let who = if query.trim_start().starts_with("mutation") {
            &secretariat
        } else {
            &leader
        };
        let body = served.post(who, &query, Value::Object(given)).await;
        assert!(
            body.get("errors").is_none() && body["data"].is_object(),
            "README line {}: {body}",
            block.line
        );
        graphql += 1;
    }
    assert!(graphql >= 3, "only {graphql} GraphQL blocks ran");
}
