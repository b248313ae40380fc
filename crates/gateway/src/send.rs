//! Sending a mutation's command: the role check, the idempotency key from
//! `clientMutationId`, the expected version, the reason, the day of the act; waiting for the read-model to
//! include the write; and the input parsing every mutation shares.

use std::time::Duration;

use async_graphql::{Context, ID};
use chrono::NaiveDate;
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

/// A mutation around its command, as the client sent it: who may send it, what it is
/// called in a refusal ("assign tasks"), the idempotency key, the version the change
/// rests on, and why.
pub(crate) struct Envelope {
    roles: &'static [Role],
    what: &'static str,
    client_mutation_id: Option<String>,
    expected_version: Option<u64>,
    reason: Option<String>,
    on: Option<NaiveDate>,
}

impl Envelope {
    /// A mutation `roles` may send, called `what` in a refusal.
    pub(crate) fn new(
        roles: &'static [Role],
        what: &'static str,
        client_mutation_id: Option<String>,
    ) -> Envelope {
        Envelope {
            roles,
            what,
            client_mutation_id,
            expected_version: None,
            reason: None,
            on: None,
        }
    }

    /// The act took place on `day` (when given), not now.
    pub(crate) fn on(mut self, day: Option<NaiveDate>) -> Envelope {
        self.on = day;
        self
    }

    /// Refused unless the target is at `version` (when given).
    pub(crate) fn expecting(mut self, version: Option<u64>) -> Envelope {
        self.expected_version = version;
        self
    }

    /// Recorded with the events as their reason.
    pub(crate) fn because(mut self, reason: impl Into<Option<String>>) -> Envelope {
        self.reason = reason.into();
        self
    }
}

/// What a mutation did: the entity it answers about (`subject`), the outcome, and the
/// read-model that includes the write.
pub(crate) struct Sent<S> {
    pub(crate) scope: Scope,
    pub(crate) outcome: AppendOutcome,
    pub(crate) client_mutation_id: Option<String>,
    pub(crate) subject: S,
}

/// Sends the command `build` makes for the viewer, and answers once the read-model
/// includes it. `build` gets the viewer's scope and an id derived from the command id
/// (so a retried mutation names the same new entity); it returns the command and the
/// entity the payload answers about.
pub(crate) async fn send<S>(
    ctx: &Context<'_>,
    envelope: Envelope,
    build: impl FnOnce(&Scope, Uuid) -> Result<(Command, S), ApiError>,
) -> Result<Sent<S>, ApiError> {
    let scope = Scope::of(ctx)?;
    scope.viewer.require(envelope.roles, envelope.what)?;
    let gateway = gateway(ctx)?;
    let mut metadata = CommandMetadata::new(scope.viewer.actor.clone(), gateway.clock.now());
    if let Some(client_id) = &envelope.client_mutation_id {
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
    metadata.reason = envelope.reason;
    metadata.on = envelope.on;
    let new_id = Uuid::new_v5(&metadata.command_id, b"new entity");
    let (command, subject) = build(&scope, new_id)?;
    crate::access::check(&scope.viewer, &scope.model, &command)?;
    let executed = match gateway
        .handler
        .execute(command, metadata, envelope.expected_version)
        .await
    {
        Ok(executed) => {
            gateway.writes.succeeded();
            executed
        }
        Err(error) => {
            let error = ApiError::from(error);
            if let ApiError::Unavailable { message, .. } = &error {
                gateway.writes.failed(message);
            }
            return Err(error);
        }
    };
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
    Ok(Sent {
        scope: Scope::with_snapshot(&scope, &gateway.live.snapshot()),
        outcome: executed.outcome,
        client_mutation_id: envelope.client_mutation_id,
        subject,
    })
}

/// Defines a mutation's payload, one shape for every entity: the client's id echoed,
/// the entity as the read-model that includes the write shows it, its version, and
/// whether the mutation was a retry. The payload is made `From` the [`Sent`] whose
/// subject is the entity's id ([`Found`]).
macro_rules! payload {
    ($(#[$doc:meta])* $name:ident, $field:ident: $view:ty, $field_doc:literal) => {
        $(#[$doc])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            /// The id the client sent, echoed.
            pub client_mutation_id: Option<String>,
            #[doc = $field_doc]
            pub $field: Option<$view>,
            /// Its version after the change.
            pub version: u64,
            /// Whether this mutation had already been applied.
            pub replayed: bool,
        }

        impl From<$crate::send::Sent<<$view as $crate::scope::Found>::Id>> for $name {
            fn from(sent: $crate::send::Sent<<$view as $crate::scope::Found>::Id>) -> Self {
                $name {
                    $field: <$view as $crate::scope::Found>::found(&sent.scope, sent.subject),
                    client_mutation_id: sent.client_mutation_id,
                    version: sent.outcome.last_version,
                    replayed: sent.outcome.replayed,
                }
            }
        }
    };
}
pub(crate) use payload;

/// Non-blank text, or `BAD_USER_INPUT` naming `field`.
pub(crate) fn text(value: String, field: &str) -> Result<String, ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::bad_input(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

/// An agency's global id, or `BAD_USER_INPUT` naming `field`.
pub(crate) fn agency_id(id: &ID, field: &str) -> Result<AgencyId, ApiError> {
    Ok(AgencyId(parse(id, Kind::Agency, field)?))
}

/// A task's global id, or `BAD_USER_INPUT` naming `field`.
pub(crate) fn task_id(id: &ID, field: &str) -> Result<TaskId, ApiError> {
    Ok(TaskId(parse(id, Kind::Task, field)?))
}
