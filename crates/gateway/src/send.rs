//! Sending a mutation's command: the role check, the idempotency key from
//! `clientMutationId`, the expected version, the reason; waiting for the read-model to
//! include the write; and the input parsing every mutation shares.

use std::time::Duration;

use async_graphql::{Context, ID};
use chrono::Utc;
use reform_domain::{AgencyId, Command, Role, TaskId};
use reform_store::{AppendOutcome, CommandMetadata};
use uuid::Uuid;

use crate::error::ApiError;
use crate::relay::{parse, Kind};
use crate::scope::{gateway, Scope};

/// How long a mutation waits for its own write to reach the read-model it answers from.
pub(crate) const READ_YOUR_WRITE: Duration = Duration::from_secs(10);

/// Scopes client mutation ids, so two users' ids never collide.
const CLIENT_NAMESPACE: Uuid = Uuid::from_u128(0x9b1e_0c44_76a0_4f3e_8d2a_2021_2030_0076);

/// Who may send the secretariat's commands.
pub(crate) const SECRETARIAT: &[Role] = &[Role::Secretariat];
/// Who may send an agency officer's commands.
pub(crate) const OFFICER: &[Role] = &[Role::Officer];

/// What a mutation did, and the read-model that includes it.
pub(crate) struct Sent {
    pub(crate) scope: Scope,
    pub(crate) outcome: AppendOutcome,
}

/// Runs `command` for the viewer. `roles` may send it; `new_id` is filled with an id
/// derived from the command id (so a retried mutation names the same new entity).
pub(crate) async fn send(
    ctx: &Context<'_>,
    roles: &[Role],
    what: &str,
    client_mutation_id: Option<&str>,
    expected_version: Option<u64>,
    reason: Option<String>,
    build: impl FnOnce(&Scope, Uuid) -> Result<Command, ApiError>,
) -> Result<Sent, ApiError> {
    let scope = Scope::of(ctx)?;
    scope.viewer.require(roles, what)?;
    let gateway = gateway(ctx)?;
    let mut metadata = CommandMetadata::new(scope.viewer.actor.clone(), Utc::now());
    if let Some(client_id) = client_mutation_id {
        if client_id.is_empty() || client_id.len() > 200 {
            return Err(ApiError::bad_input(
                "clientMutationId",
                "give 1 to 200 characters",
            ));
        }
        let key = format!("{}\u{1f}{client_id}", scope.viewer.actor.user_id);
        metadata.command_id = Uuid::new_v5(&CLIENT_NAMESPACE, key.as_bytes());
        metadata.correlation_id = metadata.command_id;
    }
    metadata.reason = reason;
    let new_id = Uuid::new_v5(&metadata.command_id, b"new entity");
    let command = build(&scope, new_id)?;
    let executed = gateway
        .handler
        .execute(command, metadata, expected_version)
        .await?;
    let last = executed
        .follow_ups
        .iter()
        .map(|o| o.last_position)
        .fold(executed.outcome.last_position, u64::max);
    if !gateway.live.wait_for(last, READ_YOUR_WRITE).await {
        return Err(ApiError::Internal(format!(
            "position {last} was written but the read-model did not reach it in time"
        )));
    }
    let fresh = Scope::with_snapshot(&scope, &gateway.live.snapshot());
    Ok(Sent {
        scope: fresh,
        outcome: executed.outcome,
    })
}

pub(crate) fn text(value: String, field: &str) -> Result<String, ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::bad_input(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

pub(crate) fn agency_id(id: &ID, field: &str) -> Result<AgencyId, ApiError> {
    Ok(AgencyId(parse(id, Kind::Agency, field)?))
}

pub(crate) fn task_id(id: &ID, field: &str) -> Result<TaskId, ApiError> {
    Ok(TaskId(parse(id, Kind::Task, field)?))
}

/// Refuses a secretariat acting outside its jurisdiction.
pub(crate) fn in_jurisdiction(
    scope: &Scope,
    jurisdiction: &str,
    field: &str,
) -> Result<(), ApiError> {
    if scope.viewer.in_scope(jurisdiction) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{field}: {jurisdiction} is outside your jurisdiction"
        )))
    }
}
