//! A plan's task table as a spreadsheet file (`Plan.taskTable`), in the shape the
//! import reads.

use async_graphql::{Context, Enum, SimpleObject};
use base64::Engine as _;
use reform_domain::DocumentId;
use reform_interchange::{Format, RunError, TaskProgress};

use crate::error::ApiError;
use crate::scope::{gateway, Scope};

/// A spreadsheet format.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "TableFormat")]
pub enum TableFormat {
    /// Comma-separated values, UTF-8 (with a byte-order mark on export).
    Csv,
    /// Excel workbook.
    Xlsx,
}

impl From<TableFormat> for Format {
    fn from(f: TableFormat) -> Self {
        match f {
            TableFormat::Csv => Format::Csv,
            TableFormat::Xlsx => Format::Xlsx,
        }
    }
}

/// A file to hand to the user.
#[derive(SimpleObject)]
pub struct TableFile {
    /// A name to save it under.
    pub file_name: String,
    /// Its media type.
    pub content_type: String,
    /// Its bytes, base64-encoded.
    pub content: String,
}

pub(crate) fn api_error(error: RunError) -> async_graphql::Error {
    let api = match error {
        RunError::Sheet(e) => ApiError::bad_input("content", e.to_string()),
        RunError::NotAdmitted(m) => ApiError::Forbidden(m),
        RunError::Import(reform_interchange::ImportError::Plan(m)) => ApiError::NotFound(m),
        RunError::Import(e) => ApiError::bad_input("content", e.to_string()),
        RunError::Export(e) => ApiError::Internal(e.to_string()),
        RunError::Store(e) => e.into(),
        RunError::Write(group) => group.error.into(),
    };
    api.into()
}

/// A plan's task table as a file, each task's progress its figure in `scope` (as
/// `Task.percent` and `Task.status` show it).
pub(crate) async fn task_table(
    ctx: &Context<'_>,
    scope: &Scope,
    plan: DocumentId,
    number: &str,
    format: TableFormat,
) -> async_graphql::Result<TableFile> {
    let gateway = gateway(ctx)?;
    let progress = scope
        .model
        .tasks
        .values()
        .filter(|t| t.plan_id == plan)
        .map(|t| {
            let figure = scope.model.task_figure(t, scope.today);
            let (percent, begun) = (figure.percent, figure.is_begun());
            (t.task_id, TaskProgress { percent, begun })
        })
        .collect();
    let bytes = reform_interchange::export_plan(&gateway.handler, plan, format.into(), &progress)
        .await
        .map_err(api_error)?;
    let stem: String = number
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let (extension, content_type) = match format {
        TableFormat::Csv => ("csv", "text/csv; charset=utf-8"),
        TableFormat::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    };
    Ok(TableFile {
        file_name: format!("ke-hoach-{stem}.{extension}"),
        content_type: content_type.to_owned(),
        content: base64::engine::general_purpose::STANDARD.encode(bytes),
    })
}
