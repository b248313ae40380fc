//! `reform-dev bench hostile`: what hostile workbooks cost a real `reform serve` in
//! memory. Each file is sent to `importPlanTable` as a dry run, again and again, while
//! the server's resident memory is sampled every few milliseconds; the sample plan's
//! own table, imported the same way, is the baseline. The bounds of the import
//! (`reform_interchange::limits`) are what should keep every hostile file's peak near
//! the baseline's: nothing is allocated for what a file declares, only for what was
//! counted.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use base64::Engine as _;
use reform_domain::Role;
use serde_json::{json, Value};

use super::served::{mib, reform_binary, Memory, ServedProcess};
use crate::hostile;

/// The sample plan's task table, as a province writes it.
const SAMPLE_PLAN: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
));

/// What to run.
#[derive(Clone, Debug)]
pub struct HostileBench {
    /// Times each file is sent.
    pub repeat: usize,
    /// The `reform` binary; the one beside `reform-dev` when `None`.
    pub reform: Option<std::path::PathBuf>,
}

/// One file's figures.
#[derive(Clone, Debug)]
pub struct FileFigures {
    /// What the file is.
    pub name: &'static str,
    /// Its size on the wire.
    pub bytes: usize,
    /// Answers: a report (the sample) or a refusal with `BAD_USER_INPUT`.
    pub answered: usize,
    /// Anything else (another error code, no answer).
    pub unexpected: usize,
    /// The first answer's message, to show what the server said.
    pub said: String,
    /// Resident before the first request.
    pub before: Memory,
    /// Resident after the last answer.
    pub after: Memory,
    /// The most resident memory sampled meanwhile, KiB.
    pub peak_kib: u64,
}

/// The figures: the server idle, then each file, in order.
#[derive(Clone, Debug)]
pub struct HostileFigures {
    /// The server after start, the demo loaded.
    pub idle: Memory,
    /// The sample plan first (the baseline), then each hostile file.
    pub files: Vec<FileFigures>,
    /// `VmHWM` at the end: the most the server was ever resident.
    pub lifetime_peak_kib: u64,
}

const IMPORT: &str = r#"mutation($input: ImportPlanTableInput!) {
  importPlanTable(input: $input) { report { numberedRows created unchanged written } } }"#;

/// Starts a server with the demo, finds the 2024 plan, and sends each file.
pub async fn run_hostile(bench: &HostileBench) -> Result<HostileFigures> {
    let binary = reform_binary(bench.reform.as_deref())?;
    let dir = tempfile::tempdir().context("creating a scratch directory")?;
    let url = format!("sqlite://{}", dir.path().join("hostile.db").display());
    let served = ServedProcess::start(&binary, &url, dir.path(), true).await?;
    let result = measure(bench, &served).await;
    served.stop().await;
    result
}

async fn measure(bench: &HostileBench, served: &ServedProcess) -> Result<HostileFigures> {
    let secretariat = served.token(Role::Secretariat, "hostile-bench", None)?;
    let plans = served
        .ok(
            &secretariat,
            "{ programs { plans { id number } } }",
            json!({}),
        )
        .await?;
    let plan = plans["programs"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "318/KH-UBND")
        .map(|p| p["id"].clone())
        .context("the demo's plan 318/KH-UBND")?;
    let files: Vec<(&'static str, &'static str, Vec<u8>)> = vec![
        (
            "sample plan (csv, baseline)",
            "ke-hoach.csv",
            SAMPLE_PLAN.to_vec(),
        ),
        (
            "a cell at XFD1048576",
            "ke-hoach.xlsx",
            hostile::far_cell_workbook()?,
        ),
        (
            "a zip inflating to 35 MB",
            "ke-hoach.xlsx",
            hostile::inflating_workbook()?,
        ),
        (
            "5,000 × 50 cells filled",
            "ke-hoach.xlsx",
            hostile::many_cells_workbook(5_000)?,
        ),
    ];
    let idle = served.memory()?;
    let mut figures = Vec::new();
    for (name, file_name, bytes) in files {
        figures.push(
            send_repeatedly(
                served,
                &secretariat,
                &plan,
                name,
                file_name,
                &bytes,
                bench.repeat,
            )
            .await?,
        );
    }
    Ok(HostileFigures {
        idle,
        files: figures,
        lifetime_peak_kib: served.memory()?.peak_kib,
    })
}

/// Sends one file `repeat` times (a dry run each), sampling the server's memory
/// every 2 ms meanwhile.
async fn send_repeatedly(
    served: &ServedProcess,
    token: &str,
    plan: &Value,
    name: &'static str,
    file_name: &str,
    bytes: &[u8],
    repeat: usize,
) -> Result<FileFigures> {
    let content = base64::engine::general_purpose::STANDARD.encode(bytes);
    let before = served.memory()?;
    let (peak, sampling) = (
        Arc::new(AtomicU64::new(before.rss_kib)),
        Arc::new(AtomicBool::new(true)),
    );
    let sampler = {
        let (peak, sampling, pid) = (peak.clone(), sampling.clone(), served.pid());
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(memory) = Memory::of(pid) {
                    peak.fetch_max(memory.rss_kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    let (mut answered, mut unexpected, mut said) = (0, 0, String::new());
    for _ in 0..repeat.max(1) {
        let body = served
            .post(
                token,
                IMPORT,
                json!({ "input": {
                    "planId": plan, "content": content, "fileName": file_name,
                    "dryRun": true, "reason": "Đo bộ nhớ"
                }}),
            )
            .await;
        let (expected, message) = match &body {
            Ok(body) => match body["errors"][0]["extensions"]["code"].as_str() {
                None if body["data"]["importPlanTable"]["report"].is_object() => (
                    true,
                    format!(
                        "{} numbered rows read",
                        body["data"]["importPlanTable"]["report"]["numberedRows"]
                    ),
                ),
                Some("BAD_USER_INPUT") => (
                    true,
                    body["errors"][0]["message"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                ),
                _ => (false, body.to_string()),
            },
            Err(error) => (false, error.to_string()),
        };
        if expected {
            answered += 1;
        } else {
            unexpected += 1;
        }
        if said.is_empty() {
            said = message.chars().take(160).collect();
        }
    }
    // One more sampling period, so the last answer's memory is seen.
    tokio::time::sleep(Duration::from_millis(10)).await;
    sampling.store(false, Ordering::Relaxed);
    sampler.await.context("the memory sampler panicked")?;
    let after = served.memory()?;
    Ok(FileFigures {
        name,
        bytes: bytes.len(),
        answered,
        unexpected,
        said,
        before,
        after,
        peak_kib: peak.load(Ordering::Relaxed).max(after.rss_kib),
    })
}

/// The figures as a table: each file's RSS before, after and at its peak, and the
/// peak's rise over the rise the sample plan caused.
pub fn render_hostile(bench: &HostileBench, f: &HostileFigures) -> String {
    let mut out = format!(
        "hostile workbooks benchmark: importPlanTable (dry run) on reform serve, each file {} times, \
         RSS sampled every 2 ms\nserver idle (demo loaded): {:.1} MiB\n\
         {:<28} {:>9} {:>9} {:>9} {:>10} {:>10} {:>9} {:>10}\n",
        bench.repeat,
        mib(f.idle.rss_kib),
        "file",
        "bytes",
        "answered",
        "unexpect",
        "before MiB",
        "after MiB",
        "peak MiB",
        "peak/base"
    );
    let base_peak = f.files.first().map_or(1, |b| b.peak_kib.max(1));
    for file in &f.files {
        out.push_str(&format!(
            "{:<28} {:>9} {:>9} {:>9} {:>10.1} {:>10.1} {:>9.1} {:>9.2}x\n",
            file.name,
            file.bytes,
            file.answered,
            file.unexpected,
            mib(file.before.rss_kib),
            mib(file.after.rss_kib),
            mib(file.peak_kib),
            file.peak_kib as f64 / base_peak as f64
        ));
    }
    out.push_str(&format!(
        "the most the server was ever resident (VmHWM): {:.1} MiB\n",
        mib(f.lifetime_peak_kib)
    ));
    for file in &f.files {
        out.push_str(&format!("{}: {}\n", file.name, file.said));
    }
    out
}
