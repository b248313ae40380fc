//! The audit log over GraphQL: who changed what, when and why, with each change's
//! fields old → new, newest first; and the hash chain's verification.

pub(crate) mod query;

use async_graphql::{InputObject, SimpleObject, ID};
use chrono::{DateTime, Utc};
use reform_domain::{AgencyId, BandSchemeId, DocumentId, IndicatorId, StreamId, TaskId};
use reform_projections::audit::Operation;
use reform_store::{AuditFilter, RecordedEvent};

use crate::error::ApiError;
use crate::history::{ActorView, AuditOperation, FieldChangeView};
use crate::relay::{global_id, parse_any, Kind, PageInfo};
use crate::scope::Scope;

/// One entry of the audit log: one event.
#[derive(SimpleObject, Clone, Debug)]
pub struct AuditEntry {
    /// Position in the log.
    pub position: u64,
    /// What was done: the event's type (`TaskDeadlineExtended`…).
    pub action: String,
    /// The kind of change.
    pub operation: AuditOperation,
    /// Who, as recorded from their token.
    pub actor: ActorView,
    /// When it happened (business time).
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Recorded on a later day than it took place (entered in arrears).
    pub recorded_in_arrears: bool,
    /// Why, when given.
    pub reason: Option<String>,
    /// The command that caused it.
    pub command_id: uuid::Uuid,
    /// The user action it belongs to.
    pub correlation_id: uuid::Uuid,
    /// The entity's global id (null for entities the API has no type for).
    pub entity_id: Option<ID>,
    /// The entity's kind: `task`, `agency`, `document`, `indicator`, `evaluations`.
    pub entity_kind: String,
    /// The fields it changed, old → new.
    pub changes: Vec<FieldChangeView>,
}

/// Which events.
#[derive(InputObject, Default)]
pub struct AuditFilterInput {
    /// Recorded by this user (the token's subject).
    pub actor: Option<String>,
    /// Recorded by someone acting for this agency.
    pub agency_id: Option<ID>,
    /// About this entity (a task, agency, program, directive, plan or indicator).
    pub entity_id: Option<ID>,
    /// Of these types (`TaskDeadlineExtended`…).
    pub event_types: Option<Vec<String>>,
    /// Happened at or after.
    pub from: Option<DateTime<Utc>>,
    /// Happened before.
    pub to: Option<DateTime<Utc>>,
}

impl AuditFilterInput {
    /// The store's filter.
    pub fn to_filter(&self) -> Result<AuditFilter, ApiError> {
        let stream = match &self.entity_id {
            None => None,
            Some(id) => {
                let (kind, uuid) = parse_any(id)
                    .map_err(|_| ApiError::bad_input("entityId", "not an id this API gave out"))?;
                Some(match kind {
                    Kind::Task => TaskId(uuid).stream(),
                    Kind::Agency => AgencyId(uuid).stream(),
                    Kind::Indicator => IndicatorId(uuid).stream(),
                    Kind::Program | Kind::Directive | Kind::Plan => DocumentId(uuid).stream(),
                })
            }
        };
        let agency = match &self.agency_id {
            None => None,
            Some(id) => Some(AgencyId(crate::relay::parse(id, Kind::Agency, "agencyId")?)),
        };
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if to <= from {
                return Err(ApiError::bad_input("to", "must be after `from`"));
            }
        }
        Ok(AuditFilter {
            actor: self.actor.clone(),
            agency,
            stream,
            event_types: self.event_types.clone().unwrap_or_default(),
            from: self.from,
            to: self.to,
        })
    }
}

/// A page of the audit log, newest first.
#[derive(SimpleObject)]
pub struct AuditEntryConnection {
    /// The page, with cursors.
    pub edges: Vec<AuditEntryEdge>,
    /// The page's entries.
    pub nodes: Vec<AuditEntry>,
    /// Where the page is.
    pub page_info: PageInfo,
}

/// An entry and its cursor.
#[derive(SimpleObject)]
pub struct AuditEntryEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The entry.
    pub node: AuditEntry,
}

/// The entity a stream belongs to: its kind and, when the API has a type for it and
/// the viewer may see it, its global id; `None` when the viewer may not see it.
fn entity(scope: &Scope, stream: &StreamId) -> Option<(String, Option<ID>)> {
    let (category, rest) = stream.as_str().split_once('-')?;
    let uuid = uuid::Uuid::parse_str(rest).ok()?;
    let id = match category {
        "task" => scope
            .task(TaskId(uuid))
            .ok()
            .map(|_| global_id(Kind::Task, uuid)),
        "agency" | "evaluations" => scope
            .agency(AgencyId(uuid))
            .ok()
            .map(|_| global_id(Kind::Agency, uuid)),
        "indicator" => scope
            .indicator(IndicatorId(uuid))
            .ok()
            .map(|_| global_id(Kind::Indicator, uuid)),
        "document" => scope.document(DocumentId(uuid)).ok().map(|d| d.global_id()),
        // The register is public; a band scheme is its jurisdiction's.
        "jurisdiction" => return Some((category.to_owned(), None)),
        "bands" => {
            let scheme = scope.model.band_schemes.get(&BandSchemeId(uuid))?;
            return scope
                .viewer
                .in_scope(&scope.model, &scheme.jurisdiction)
                .then(|| (category.to_owned(), None));
        }
        _ => None,
    };
    // Entities of other jurisdictions are left out for viewers bound to one.
    if id.is_none() && scope.viewer.jurisdiction.is_some() {
        return None;
    }
    Some((category.to_owned(), id))
}

/// The entries for `events` (newest first) the viewer may see, with their changes
/// computed from `histories` (the full streams of those events).
pub fn entries(
    scope: &Scope,
    events: Vec<RecordedEvent>,
    histories: &[RecordedEvent],
) -> Result<Vec<AuditEntry>, ApiError> {
    let mut changes = reform_projections::audit::changes(histories)?;
    Ok(events
        .into_iter()
        .filter_map(|e| {
            let (entity_kind, entity_id) = entity(scope, &e.stream_id)?;
            Some(AuditEntry {
                position: e.position,
                operation: Operation::of(&e.event_type).into(),
                actor: ActorView::of(&e.metadata.actor),
                occurred_at: e.metadata.occurred_at,
                recorded_at: e.metadata.recorded_at,
                recorded_in_arrears: e.metadata.recorded_in_arrears(),
                reason: e.metadata.reason,
                command_id: e.metadata.command_id,
                correlation_id: e.metadata.correlation_id,
                entity_id,
                entity_kind,
                changes: changes
                    .remove(&e.position)
                    .unwrap_or_default()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                action: e.event_type,
            })
        })
        .collect())
}
