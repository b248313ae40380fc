//! The audit trail: `reform verify` checks the log's hash chain, `reform audit export`
//! hands a period's events over for inspection.

use anyhow::Context;
use chrono::{NaiveDate, NaiveTime};

use crate::args::{AuditExportArgs, VerifyArgs};
use crate::commands::Tracker;

/// The log failed verification (exit code 3, apart from other failures).
#[derive(Debug, thiserror::Error)]
#[error("the event log does not verify: {0}")]
pub(crate) struct Tampered(reform_store::chain::Breach);

/// `reform verify`: checks the hash chain over the positions asked for (and that it
/// passes through `--against`), printing how many events and the head's digest;
/// `Err(Tampered)` names the first event that breaks it.
pub(crate) async fn verify(tracker: &Tracker, args: VerifyArgs) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let against = args.against;
    let verification =
        reform_store::verify(tracker.store(), args.from, args.to, against.clone()).await?;
    let digest = verification.outcome.map_err(Tampered)?;
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "verified {} events in {elapsed:.2} s ({:.0} events/s): the hash chain is intact{}",
        verification.checked,
        verification.checked as f64 / elapsed.max(1e-9),
        against
            .as_ref()
            .map(|a| format!(" and passes through {a}"))
            .unwrap_or_default()
    );
    println!("head digest: {digest}");
    Ok(())
}

/// `reform audit export`: writes the events that happened from `--from` to `--to`
/// (whole days, UTC) with their chain columns, and prints on stderr how many, the
/// file's SHA-256 and the chain digest of the last one.
pub(crate) async fn export(tracker: &Tracker, args: AuditExportArgs) -> anyhow::Result<()> {
    let (from, to) = (args.from, args.to);
    if to < from {
        anyhow::bail!("--to ({to}) is before --from ({from})");
    }
    let start = midnight(from);
    let end = midnight(to.succ_opt().context("--to is the last day there is")?);
    let store = tracker.store();
    let exported = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut file = std::io::BufWriter::new(file);
            let exported =
                reform_cli::audit_export::export(store, start, end, args.format, &mut file).await?;
            std::io::Write::flush(&mut file)?;
            exported
        }
        None => {
            let stdout = std::io::stdout();
            reform_cli::audit_export::export(store, start, end, args.format, stdout.lock()).await?
        }
    };
    eprintln!(
        "exported {} events{} from {from} to {to}",
        exported.events,
        exported
            .positions
            .map(|(a, b)| format!(" (positions {a}–{b})"))
            .unwrap_or_default()
    );
    eprintln!("file SHA-256: {}", exported.file_sha256);
    if let Some(last) = exported.last {
        eprintln!("chain digest of the last event: {last} (reform verify --against {last})");
    }
    Ok(())
}

/// The first instant of `day`, UTC.
fn midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}
