//! Anything with a global id (the `Node` interface), found by it; and who is asking.

use async_graphql::{Context, Interface, Object, SimpleObject, ID};
use reform_domain::{AgencyId, DocumentId, IndicatorId, TaskId};

use crate::agency::Agency;
use crate::document::{Directive, Plan, Program};
use crate::error::ApiError;
use crate::indicator::Indicator;
use crate::relay::{parse_any, Kind};
use crate::scope::Scope;
use crate::task::Task;
use crate::vocab::RoleInfo;

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The global id: opaque, stable, the same in every query and mutation."
))]
pub enum Node {
    /// A program.
    Program(Program),
    /// A directive.
    Directive(Directive),
    /// A plan.
    Plan(Plan),
    /// A task.
    Task(Task),
    /// An agency.
    Agency(Agency),
    /// An indicator.
    Indicator(Indicator),
}

/// Who is asking, as the token says.
#[derive(SimpleObject)]
#[graphql(name = "Viewer")]
pub struct ViewerView {
    /// The user id.
    pub user_id: String,
    /// The name recorded on their actions.
    pub name: String,
    /// Their role.
    pub role: RoleInfo,
    /// Their agency.
    pub agency: Option<Agency>,
    /// The jurisdiction they serve; null for all.
    pub jurisdiction: Option<String>,
}

/// The queries that find anything by its id, and the viewer.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Who is asking.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<ViewerView> {
        let scope = Scope::of(ctx)?;
        let v = &scope.viewer;
        Ok(ViewerView {
            user_id: v.actor.user_id.clone(),
            name: v.actor.display_name.clone(),
            role: v.actor.role.into(),
            agency: v.actor.agency.and_then(|a| scope.agency(a).ok()),
            jurisdiction: v.jurisdiction.clone(),
        })
    }

    /// Anything by its global id.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The global id of a program, directive, plan, task, agency, indicator or jurisdiction."
        )]
        id: ID,
    ) -> async_graphql::Result<Node> {
        let scope = Scope::of(ctx)?;
        Ok(resolve_node(&scope, &id)?)
    }

    /// Several things by their global ids, in order (at most 100).
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        let scope = Scope::of(ctx)?;
        if ids.len() > crate::relay::MAX_PAGE {
            return Err(ApiError::bad_input("ids", "at most 100 ids at once").into());
        }
        Ok(ids.iter().map(|id| resolve_node(&scope, id).ok()).collect())
    }
}

fn resolve_node(scope: &Scope, id: &ID) -> Result<Node, ApiError> {
    let (kind, uuid) = parse_any(id)?;
    Ok(match kind {
        Kind::Program | Kind::Directive | Kind::Plan => scope.document(DocumentId(uuid))?.into(),
        Kind::Task => Node::Task(scope.task(TaskId(uuid))?),
        Kind::Agency => Node::Agency(scope.agency(AgencyId(uuid))?),
        Kind::Indicator => Node::Indicator(scope.indicator(IndicatorId(uuid))?),
    })
}
