//! Keeping the read-model tables: `reform rebuild` and `reform follow`.

use crate::commands::Tracker;

/// `reform rebuild`: the read-models rebuilt from the whole log and swapped in, with
/// the rate.
pub(crate) async fn rebuild(tracker: &Tracker) -> anyhow::Result<()> {
    let db = tracker.read_db().await?;
    let started = std::time::Instant::now();
    let events = reform_projections::rebuild(tracker.store(), &db).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rebuilt the read-models from {events} events in {seconds:.2} s ({:.0} events/s)",
        events as f64 / seconds.max(1e-9)
    );
    Ok(())
}

/// `reform follow`: keeps the read-models current until Ctrl-C or SIGTERM (on
/// PostgreSQL, or waits to take over from the process that holds the lease). A
/// database error ends one attempt, which is logged and retried with back-off, so the
/// follower outlives a database restart or a full disk.
pub(crate) async fn follow(tracker: &Tracker) -> anyhow::Result<()> {
    let db = tracker.read_db().await?;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        reform_cli::serve::shutdown_signal().await;
        let _ = stop.send(true);
    });
    eprintln!("following the event log into the read-models; Ctrl-C to stop");
    reform_projections::follow_for_ever(
        tracker.handler().store().clone(),
        db,
        stopped,
        std::sync::Arc::default(),
        std::sync::Arc::default(),
    )
    .await;
    Ok(())
}
