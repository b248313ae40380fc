//! What happened to an entity: its events as history entries (who, role, when, why,
//! the fields changed old → new), and its version for `expectedVersion`, read through
//! the request's loader.

use async_graphql::{Context, Enum, Json, SimpleObject, ID};
use chrono::{DateTime, Utc};
use reform_domain::{Role, StreamId};
use reform_projections::audit::{FieldChange, Operation};

use crate::error::ApiError;
use crate::loader::{Loader, RequestLoader};
use crate::relay::{global_id, Kind};
use crate::scope::{gateway, Scope};
use crate::vocab::RoleInfo;

/// The request's loader, or a fresh one (a schema executed without the server).
fn loader(ctx: &Context<'_>) -> Result<RequestLoader, ApiError> {
    match ctx.data_opt::<RequestLoader>() {
        Some(loader) => Ok(loader.clone()),
        None => Ok(Loader::immediate(gateway(ctx)?.handler.store().clone())),
    }
}

pub(crate) async fn stream_version(
    ctx: &Context<'_>,
    stream: &StreamId,
) -> async_graphql::Result<u64> {
    Ok(loader(ctx)?.version(stream.clone()).await?)
}

/// The history of one stream as the viewer may read it, oldest first.
pub(crate) async fn history(
    ctx: &Context<'_>,
    scope: &Scope,
    stream: &StreamId,
) -> async_graphql::Result<Vec<HistoryEntry>> {
    scope.viewer.require(
        &[
            Role::Leader,
            Role::Secretariat,
            Role::Auditor,
            Role::Officer,
        ],
        "read history",
    )?;
    let events = loader(ctx)?.history(stream.clone()).await?;
    let mut changes = reform_projections::audit::changes(&events).map_err(ApiError::from)?;
    Ok(events
        .into_iter()
        .map(|e| HistoryEntry {
            position: e.position,
            version: e.stream_version,
            event_type: e.event_type.clone(),
            occurred_at: e.metadata.occurred_at,
            recorded_at: e.metadata.recorded_at,
            recorded_in_arrears: e.metadata.recorded_in_arrears(),
            operation: reform_projections::audit::Operation::of(&e.event_type).into(),
            changes: changes
                .remove(&e.position)
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            actor: ActorView::of(&e.metadata.actor),
            reason: e.metadata.reason,
            command_id: e.metadata.command_id,
            correlation_id: e.metadata.correlation_id,
            payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}

/// One event in an entity's history.
#[derive(SimpleObject, Clone, Debug)]
pub struct HistoryEntry {
    /// Position in the whole log.
    pub position: u64,
    /// Version of the entity after it.
    pub version: u64,
    /// The event's type (`TaskDeadlineExtended`…).
    pub event_type: String,
    /// The kind of change.
    pub operation: crate::history::AuditOperation,
    /// The fields it changed, old → new, as the read-model shows them.
    pub changes: Vec<crate::history::FieldChangeView>,
    /// Business time.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Recorded on a later day than it took place (entered in arrears).
    pub recorded_in_arrears: bool,
    /// Who.
    pub actor: ActorView,
    /// Why, when given.
    pub reason: Option<String>,
    /// The command that caused it.
    pub command_id: uuid::Uuid,
    /// The user action it belongs to.
    pub correlation_id: uuid::Uuid,
    /// What it says (the event's payload).
    pub payload: serde_json::Value,
}

/// Who did something, as recorded from their token.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Actor")]
pub struct ActorView {
    /// The user id.
    pub user_id: String,
    /// The name shown.
    pub name: String,
    /// The role acted in.
    pub role: RoleInfo,
    /// The user's agency.
    pub agency_id: Option<ID>,
}

impl ActorView {
    /// The view of a recorded actor.
    pub fn of(actor: &reform_store::Actor) -> ActorView {
        ActorView {
            user_id: actor.user_id.clone(),
            name: actor.display_name.clone(),
            role: actor.role.into(),
            agency_id: actor.agency.map(|a| global_id(Kind::Agency, a.0)),
        }
    }
}

/// How an event changed its entity.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditOperation {
    /// The entity came into being.
    Create,
    /// Something about it changed.
    Modify,
    /// It was cancelled, dissolved or withdrawn.
    Remove,
    /// It was reopened.
    Restore,
    /// It passed to another agency.
    Transfer,
}

impl From<Operation> for AuditOperation {
    fn from(o: Operation) -> Self {
        match o {
            Operation::Create => AuditOperation::Create,
            Operation::Modify => AuditOperation::Modify,
            Operation::Remove => AuditOperation::Remove,
            Operation::Restore => AuditOperation::Restore,
            Operation::Transfer => AuditOperation::Transfer,
        }
    }
}

/// One field an event changed.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "FieldChange")]
pub struct FieldChangeView {
    /// The field of the entity as the read-model shows it (`deadline`, `status`…).
    pub field: String,
    /// Before (null when created).
    pub old: Json<serde_json::Value>,
    /// After (null when removed).
    pub new: Json<serde_json::Value>,
}

impl From<FieldChange> for FieldChangeView {
    fn from(c: FieldChange) -> Self {
        FieldChangeView {
            field: c.field,
            old: Json(c.old),
            new: Json(c.new),
        }
    }
}
