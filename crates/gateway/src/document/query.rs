//! Programs as a leader finds them.

use async_graphql::{Context, Object, ID};
use reform_domain::DocumentId;

use crate::document::{Document, Program};
use crate::error::ApiError;
use crate::relay::{parse, Kind};
use crate::scope::Scope;

/// The document queries.
#[derive(Default)]
pub struct DocumentQuery;

#[Object]
impl DocumentQuery {
    /// Programs in the viewer's jurisdiction (and the national ones), by number.
    async fn programs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Program>> {
        let scope = Scope::of(ctx)?;
        let mut programs: Vec<Program> = scope
            .model
            .documents
            .values()
            .filter(|d| d.kind == reform_projections::DocumentRowKind::Program)
            .filter_map(|d| match scope.document(d.document_id) {
                Ok(Document::Program(p)) => Some(p),
                _ => None,
            })
            .collect();
        programs.sort_by(|a, b| a.0.row.number.cmp(&b.0.row.number));
        Ok(programs)
    }

    /// A program by its global id.
    async fn program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program's global id.")] id: ID,
    ) -> async_graphql::Result<Program> {
        let scope = Scope::of(ctx)?;
        match scope.document(DocumentId(parse(&id, Kind::Program, "id")?))? {
            Document::Program(p) => Ok(p),
            _ => Err(ApiError::NotFound("no such program".into()).into()),
        }
    }
}
