//! `reform progress`: how far the reform has come, by pillar or as the roll-up tree,
//! now or as it stood on a past day.

use anyhow::Context;
use chrono::NaiveDate;
use reform_cli::summary;
use reform_domain::DocumentId;
use reform_projections::{queries, DocumentRowKind, ProgressModel};

use crate::args::ProgressArgs;
use crate::commands::Tracker;

/// Prints progress by pillar (or the roll-up tree to `--tree` levels), of every plan or
/// of one program's: from the read-model against today, or folded up to the end of
/// `--as-of` and judged against that day.
pub(crate) async fn progress(tracker: &Tracker, args: ProgressArgs) -> anyhow::Result<()> {
    let (model, today) = match args.as_of {
        Some(day) => (as_it_stood(tracker, day).await?, day),
        None => (
            tracker.current_model().await?,
            chrono::Utc::now().date_naive(),
        ),
    };
    let program = match &args.program {
        Some(number) => Some(program_numbered(&model, number)?),
        None => None,
    };
    match args.tree {
        Some(depth) => {
            let tree = queries::rollup_tree(&model, program, today);
            print!("{}", summary::render_tree(&model, &tree, depth, today));
        }
        None => {
            let lines = queries::pillar_progress(&model, program, today);
            print!("{}", summary::render_progress(&lines, today));
        }
    }
    Ok(())
}

/// Time travel: the model folded from the events up to the end of `day` (business time).
pub(crate) async fn as_it_stood(
    tracker: &Tracker,
    day: NaiveDate,
) -> anyhow::Result<ProgressModel> {
    let end_of_day = day
        .and_hms_micro_opt(23, 59, 59, 999_999)
        .context("not a date")?
        .and_utc();
    Ok(reform_projections::as_of(tracker.store(), end_of_day).await?)
}

/// The program on record with this number (e.g. 3504/QĐ-UBND).
fn program_numbered(model: &ProgressModel, number: &str) -> anyhow::Result<DocumentId> {
    model
        .documents
        .values()
        .find(|d| d.kind == DocumentRowKind::Program && d.number == number)
        .map(|d| d.document_id)
        .with_context(|| format!("no program numbered {number} on record"))
}
