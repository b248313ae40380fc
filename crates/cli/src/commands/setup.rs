//! Getting a database ready: `reform migrate` and `reform demo`.

use anyhow::Context;
use reform_cli::{demo, demo_data, summary};
use reform_projections::queries;

use crate::args::DemoArgs;
use crate::commands::Tracker;

/// `reform migrate`: opening the store created or upgraded the log's schema, and
/// connecting to the read-model tables theirs; says so, with how many events the log
/// holds.
pub(crate) async fn migrate(tracker: &Tracker) -> anyhow::Result<()> {
    tracker.read_db().await?;
    let head = tracker.store().head().await?;
    println!(
        "database {} is up to date ({head} events)",
        tracker.redacted_url()
    );
    Ok(())
}

/// `reform register`: loads the national register of jurisdictions (idempotent) and
/// lists the provinces it now has.
pub(crate) async fn register(tracker: &Tracker) -> anyhow::Result<()> {
    let load = demo::load_register(tracker.handler())
        .await
        .context("loading the register of jurisdictions")?;
    let model = tracker.current_model().await?;
    let provinces = model.live_children(None);
    println!(
        "register loaded into {}: {} commands executed, {} already on record; {} provinces",
        tracker.redacted_url(),
        load.executed,
        load.already_loaded,
        provinces.len()
    );
    for code in &provinces {
        let merged: Vec<&str> = model
            .jurisdictions
            .values()
            .filter(|j| j.successor.as_deref() == Some(code.as_str()))
            .map(|j| j.name.as_str())
            .collect();
        let formed = if merged.is_empty() {
            String::new()
        } else {
            format!("  (with {})", merged.join(", "))
        };
        println!("{code:<6} {}{formed}", model.jurisdiction_name(code));
    }
    Ok(())
}

/// `reform demo`: loads the demo program through commands (idempotent), then prints
/// progress by pillar as of the demo's day or the one asked for.
pub(crate) async fn demo(tracker: &Tracker, args: DemoArgs) -> anyhow::Result<()> {
    let load = demo::load_demo(tracker.handler())
        .await
        .context("loading the demo")?;
    println!(
        "demo loaded into {}: {} commands executed, {} already on record",
        tracker.redacted_url(),
        load.executed,
        load.already_loaded
    );
    // The demo's record ends on its "today"; another day is answered as it stood then.
    let (model, today) = match args.as_of {
        Some(day) => (super::progress::as_it_stood(tracker, day).await?, day),
        None => (tracker.current_model().await?, demo_data::demo_today()),
    };
    let lines = queries::pillar_progress(&model, None, today);
    print!("{}", summary::render_progress(&lines, today));
    Ok(())
}
