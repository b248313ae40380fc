//! `importPlanTable`: a plan's task table from xlsx or csv, all or nothing, with the
//! report row by row.

use async_graphql::{Context, ErrorExtensions, InputObject, Object, SimpleObject, ID};
use base64::Engine as _;
use reform_domain::{DocumentId, Role};
use reform_interchange::{Format, ImportOptions, ImportReport, Problem};
use reform_store::CommandMetadata;

use crate::document::table::{api_error, TableFormat};
use crate::document::Plan;
use crate::error::ApiError;
use crate::relay::{parse, Kind};
use crate::scope::{gateway, Scope};
use crate::send::text;

/// Largest file accepted, decoded (the request body is capped at 1 MiB anyway).
const MAX_FILE_BYTES: usize = reform_interchange::limits::FILE_BYTES;

/// A plan's task table to read in.
#[derive(InputObject)]
pub struct ImportPlanTableInput {
    /// The plan.
    pub plan_id: ID,
    /// The file's bytes, base64-encoded (at most 700 KiB decoded).
    pub content: String,
    /// The file's format; default: from `fileName`'s extension, else from the content.
    pub format: Option<TableFormat>,
    /// The file's name, for its extension and the record.
    pub file_name: Option<String>,
    /// Import the valid rows even when some are wrong (default: all or nothing).
    #[graphql(default)]
    pub partial: bool,
    /// Check the file and report; write nothing.
    #[graphql(default)]
    pub dry_run: bool,
    /// Why tasks already imported change (recorded on their amendments).
    pub reason: String,
    /// The day the table's changes took place, when not today (a plan signed in
    /// January entered in March: its issue date). Default: now.
    pub on: Option<chrono::NaiveDate>,
    /// Echoed back.
    pub client_mutation_id: Option<String>,
}

/// One problem with one row.
#[derive(SimpleObject)]
#[graphql(name = "TableRowProblem")]
pub struct RowProblem {
    /// The row as the spreadsheet numbers it (from 1).
    pub row: usize,
    /// The row's STT as written.
    pub number: Option<String>,
    /// The column's heading (Cơ quan chủ trì…).
    pub column: Option<String>,
    /// What is wrong, and what to do.
    pub message: String,
    /// Registered agency names close to an unknown one.
    pub suggestions: Vec<String>,
}

impl From<&Problem> for RowProblem {
    fn from(p: &Problem) -> Self {
        RowProblem {
            row: p.row,
            number: p.number.clone(),
            column: p.column.map(|c| c.label().to_owned()),
            message: p.message.clone(),
            suggestions: p.suggestions.clone(),
        }
    }
}

/// What an import found and did.
#[derive(SimpleObject)]
pub struct TableImportReport {
    /// The worksheet read ("" for csv).
    pub sheet: String,
    /// The header's row.
    pub header_row: usize,
    /// Numbered rows read.
    pub numbered_rows: usize,
    /// Numbered rows that are headings over sub-rows, not tasks.
    pub headings: usize,
    /// Rows that created a task.
    pub created: usize,
    /// Rows that amended or reassigned a task imported before.
    pub amended: usize,
    /// Rows already as the plan has them.
    pub unchanged: usize,
    /// Invalid rows left out of a partial import.
    pub skipped: usize,
    /// Rows in error.
    pub errors: Vec<RowProblem>,
    /// Rows read with a caveat.
    pub warnings: Vec<RowProblem>,
    /// Whether anything was written.
    pub written: bool,
}

impl From<&ImportReport> for TableImportReport {
    fn from(r: &ImportReport) -> Self {
        TableImportReport {
            sheet: r.sheet.clone(),
            header_row: r.header_row,
            numbered_rows: r.task_rows,
            headings: r.headings,
            created: r.created,
            amended: r.amended,
            unchanged: r.unchanged,
            skipped: r.skipped,
            errors: r.errors.iter().map(RowProblem::from).collect(),
            warnings: r.warnings.iter().map(RowProblem::from).collect(),
            written: r.written,
        }
    }
}

/// What `importPlanTable` returns.
#[derive(SimpleObject)]
pub struct ImportPlanTablePayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The report.
    pub report: TableImportReport,
    /// The plan after the import.
    pub plan: Option<Plan>,
}

/// The import mutation.
#[derive(Default)]
pub struct TableMutations;

#[Object]
impl TableMutations {
    /// Read a plan's task table (xlsx or csv: STT | Nội dung nhiệm vụ | Cơ quan chủ
    /// trì | Cơ quan phối hợp | Thời gian hoàn thành | Sản phẩm, under pillar
    /// sections) into the plan, for the secretariat. All or nothing unless `partial`:
    /// wrong rows fail the mutation with `BAD_USER_INPUT` and every problem in
    /// `extensions.problems`. Importing the same file again changes nothing; changed
    /// rows amend their tasks.
    async fn import_plan_table(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: ImportPlanTableInput,
    ) -> async_graphql::Result<ImportPlanTablePayload> {
        let scope = Scope::of(ctx)?;
        scope
            .viewer
            .require(&[Role::Secretariat], "import plans' task tables")?;
        let plan = DocumentId(parse(&input.plan_id, Kind::Plan, "planId")?);
        let Some(found) = scope.document(plan)?.into_plan() else {
            return Err(ApiError::bad_input("planId", "is not a plan").into());
        };
        crate::access::check_writable(
            &scope.viewer,
            &scope.model,
            &found.0.row.jurisdiction,
            "the plan",
        )?;
        let reason = text(input.reason, "reason")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(input.content.trim())
            .map_err(|_| ApiError::bad_input("content", "is not base64"))?;
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ApiError::bad_input(
                "content",
                format!(
                    "the file has {} bytes; the most accepted is {MAX_FILE_BYTES}",
                    bytes.len()
                ),
            )
            .into());
        }
        let format = input
            .format
            .map(Format::from)
            .or_else(|| input.file_name.as_deref().and_then(Format::from_name))
            .unwrap_or_else(|| Format::sniff(&bytes));
        let gateway = gateway(ctx)?;
        let mut metadata = CommandMetadata::new(scope.viewer.actor.clone(), gateway.clock.now());
        metadata.reason = Some(reason.clone());
        metadata.on = input.on;
        let options = ImportOptions {
            partial: input.partial,
            reason,
        };
        let (viewer, model) = (&scope.viewer, &scope.model);
        let report = reform_interchange::import_plan_admitting(
            &gateway.handler,
            plan,
            &bytes,
            format,
            &options,
            &metadata,
            input.dry_run,
            |command| crate::access::check(viewer, model, command).map_err(|e| e.message()),
        )
        .await
        .map_err(api_error)?;
        if !report.errors.is_empty() && !report.written && !input.dry_run {
            return Err(rejected(&report));
        }
        let scope = if report.written {
            let head = gateway
                .handler
                .store()
                .head()
                .await
                .map_err(ApiError::from)?;
            if !gateway
                .live
                .wait_for(head, crate::send::READ_YOUR_WRITE)
                .await
            {
                return Err(ApiError::Internal(format!(
                    "position {head} was written but the read-model did not reach it in time"
                ))
                .into());
            }
            Scope::with_snapshot(&scope, &gateway.live.snapshot())
        } else {
            scope
        };
        Ok(ImportPlanTablePayload {
            client_mutation_id: input.client_mutation_id,
            report: TableImportReport::from(&report),
            plan: scope.document(plan).ok().and_then(|d| d.into_plan()),
        })
    }
}

/// Rows in error, as one typed error listing them all.
fn rejected(report: &ImportReport) -> async_graphql::Error {
    let first: Vec<String> = report
        .errors
        .iter()
        .take(3)
        .map(ToString::to_string)
        .collect();
    let more = report.errors.len().saturating_sub(first.len());
    let message = format!(
        "nothing was imported: {} row problem(s): {}{}",
        report.errors.len(),
        first.join("; "),
        if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        }
    );
    let problems: Vec<async_graphql::Value> = report
        .errors
        .iter()
        .map(|p| {
            let mut object = async_graphql::indexmap::IndexMap::new();
            object.insert(
                async_graphql::Name::new("row"),
                async_graphql::Value::from(p.row as u64),
            );
            object.insert(
                async_graphql::Name::new("number"),
                p.number
                    .clone()
                    .map_or(async_graphql::Value::Null, async_graphql::Value::from),
            );
            object.insert(
                async_graphql::Name::new("column"),
                p.column.map_or(async_graphql::Value::Null, |c| {
                    async_graphql::Value::from(c.label())
                }),
            );
            object.insert(
                async_graphql::Name::new("message"),
                async_graphql::Value::from(p.message.clone()),
            );
            object.insert(
                async_graphql::Name::new("suggestions"),
                async_graphql::Value::List(
                    p.suggestions
                        .iter()
                        .cloned()
                        .map(async_graphql::Value::from)
                        .collect(),
                ),
            );
            async_graphql::Value::Object(object)
        })
        .collect();
    async_graphql::Error::from(ApiError::bad_input("content", message))
        .extend_with(|_, e| e.set("problems", async_graphql::Value::List(problems.clone())))
}
