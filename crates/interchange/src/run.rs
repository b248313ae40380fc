//! Imports and exports against the event store: load what a plan's table needs,
//! execute the import's commands all or none, read a plan back out.

use reform_commands::{CommandHandler, GroupError};
use reform_domain::{fold_for_search, DocumentId, DocumentKind, StreamId, TaskId, World};
use reform_store::{CommandMetadata, StoreError};
use uuid::Uuid;

use crate::export::{self, ExportError};
use crate::import::{plan_import, ImportError, ImportOptions, ImportReport};
use crate::sheet::{self, Format, SheetError};

/// An import or export that could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The file is not a readable spreadsheet.
    #[error(transparent)]
    Sheet(#[from] SheetError),
    /// The file has no task table, or the plan is wrong.
    #[error(transparent)]
    Import(#[from] ImportError),
    /// Writing the table failed.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The caller may not send one of the commands the rows became (a row naming an
    /// agency of another jurisdiction, say). Nothing was written.
    #[error("{0}")]
    NotAdmitted(String),
    /// The commands were refused when executed (another writer changed the plan
    /// between reading and writing, in a way the rows no longer fit). Nothing was
    /// written.
    #[error("nothing was imported: {0}")]
    Write(#[from] GroupError),
}

/// The plan a user names: its id, or its number as printed ("15/KH-UBND").
pub async fn resolve_plan(handler: &CommandHandler, named: &str) -> Result<DocumentId, RunError> {
    if let Ok(id) = Uuid::parse_str(named.trim()) {
        return Ok(DocumentId(id));
    }
    let streams = handler
        .store()
        .streams_in_category(DocumentId::CATEGORY)
        .await?;
    let (world, _) = handler.load(&streams).await?;
    let wanted = fold_for_search(named);
    let plans: Vec<DocumentId> = world
        .documents
        .values()
        .filter(|d| matches!(d.kind, DocumentKind::Plan { .. }))
        .filter(|d| fold_for_search(&d.header.number) == wanted)
        .map(|d| d.id)
        .collect();
    match plans.as_slice() {
        [one] => Ok(*one),
        [] => Err(ImportError::Plan(format!("no plan is numbered \"{named}\"")).into()),
        _ => Err(ImportError::Plan(format!(
            "several plans are numbered \"{named}\"; give the plan's id"
        ))
        .into()),
    }
}

/// What a plan's table is judged against: the plan, every agency, the plan's tasks.
pub async fn load_plan_world(
    handler: &CommandHandler,
    plan: DocumentId,
) -> Result<World, StoreError> {
    let store = handler.store();
    let mut streams: Vec<StreamId> = vec![plan.stream()];
    streams.extend(
        store
            .streams_in_category(reform_domain::AgencyId::CATEGORY)
            .await?,
    );
    streams.extend(
        store
            .streams_mentioning(TaskId::CATEGORY, &plan.to_string())
            .await?,
    );
    Ok(handler.load(&streams).await?.0)
}

/// Imports a plan's task table: reads the file, compares it with the plan, and
/// executes the commands all or none. Returns the report, with `written` set when the
/// commands were executed; rows in error leave the plan untouched unless
/// `options.partial`.
pub async fn import_plan(
    handler: &CommandHandler,
    plan: DocumentId,
    bytes: &[u8],
    format: Format,
    options: &ImportOptions,
    metadata: &CommandMetadata,
    dry_run: bool,
) -> Result<ImportReport, RunError> {
    import_plan_admitting(
        handler,
        plan,
        bytes,
        format,
        options,
        metadata,
        dry_run,
        |_| Ok(()),
    )
    .await
}

/// [`import_plan`], with every command the rows become put to `admit` first (the
/// API's write rule): one refused, and nothing is written, dry run or not.
#[allow(clippy::too_many_arguments)]
pub async fn import_plan_admitting(
    handler: &CommandHandler,
    plan: DocumentId,
    bytes: &[u8],
    format: Format,
    options: &ImportOptions,
    metadata: &CommandMetadata,
    dry_run: bool,
    admit: impl Fn(&reform_domain::Command) -> Result<(), String>,
) -> Result<ImportReport, RunError> {
    let sheets = sheet::read(bytes, format)?;
    let world = load_plan_world(handler, plan).await?;
    let planned = plan_import(&world, plan, &sheets, options)?;
    for command in &planned.commands {
        admit(command).map_err(RunError::NotAdmitted)?;
    }
    let mut report = planned.report;
    if dry_run || planned.commands.is_empty() {
        return Ok(report);
    }
    let group = planned
        .commands
        .into_iter()
        .map(|command| {
            let mut m = metadata.clone();
            m.command_id = Uuid::now_v7();
            (command, m)
        })
        .collect();
    handler.execute_all(group).await?;
    report.written = true;
    Ok(report)
}

/// A plan's table as a file of the format, each task's progress as `progress` gives
/// it (the read-model's figures).
pub async fn export_plan(
    handler: &CommandHandler,
    plan: DocumentId,
    format: Format,
    progress: &std::collections::HashMap<reform_domain::TaskId, export::TaskProgress>,
) -> Result<Vec<u8>, RunError> {
    let world = load_plan_world(handler, plan).await?;
    let table = export::plan_table(&world, plan, progress)?;
    Ok(export::write(&table, format)?)
}
