//! The committed JSON Schemas in `schema/events/` match the event payloads.
//!
//! Regenerate them with
//! `UPDATE_SCHEMAS=1 cargo test -p reform-domain --test decider event_schemas`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use reform_domain::{schemas, Event};

const REGENERATE: &str =
    "UPDATE_SCHEMAS=1 cargo test -p reform-domain --test decider event_schemas";

fn schema_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/events/")).to_path_buf()
}

fn generated() -> Vec<(String, String)> {
    schemas()
        .into_iter()
        .map(|(name, schema)| {
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
            text.push('\n');
            (format!("{name}.json"), text)
        })
        .collect()
}

fn committed_files(dir: &Path) -> BTreeSet<String> {
    match fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| {
                e.expect("reading schema/events/")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".json"))
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}

#[test]
fn every_event_type_has_a_schema() {
    let names: Vec<&str> = schemas().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, Event::TYPES);
}

#[test]
fn event_schemas_match_committed_files() {
    let dir = schema_dir();
    let generated = generated();
    let expected: BTreeSet<String> = generated.iter().map(|(file, _)| file.clone()).collect();

    if std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1") {
        fs::create_dir_all(&dir).expect("creating schema/events/");
        for (file, text) in &generated {
            fs::write(dir.join(file), text).expect("writing a schema");
        }
        for extra in committed_files(&dir).difference(&expected) {
            fs::remove_file(dir.join(extra)).expect("removing a stale schema");
        }
        return;
    }

    let mut problems = Vec::new();
    for (file, text) in &generated {
        match fs::read_to_string(dir.join(file)) {
            Ok(committed) if committed == *text => {}
            Ok(_) => problems.push(format!("schema/events/{file} differs from the code")),
            Err(_) => problems.push(format!("schema/events/{file} is missing")),
        }
    }
    for extra in committed_files(&dir).difference(&expected) {
        problems.push(format!("schema/events/{extra} belongs to no event type"));
    }
    assert!(
        problems.is_empty(),
        "the committed event schemas drifted from the code:\n  {}\nRegenerate them with `{REGENERATE}`, review the diff and commit it.",
        problems.join("\n  ")
    );
}
