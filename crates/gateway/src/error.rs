//! Every failure a client can see, each with a stable `extensions.code`.
//! Database text never reaches a client: it is replaced by a reference, and the
//! [`ErrorLog`] extension logs the detail under that reference. Conversions here have
//! no side effects.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextSubscribe,
};
use async_graphql::{ErrorExtensions, Response, ServerError};
use futures::stream::{BoxStream, StreamExt};
use reform_commands::CommandError;
use reform_domain::{DomainError, ErrorKind};
use reform_store::StoreError;

/// A failure as the API reports it. (Deliberately not `Display`: every conversion to a
/// GraphQL error goes through the `From` below, which adds the code.)
#[derive(Debug)]
pub enum ApiError {
    /// No token, or one that does not verify.
    Unauthenticated(String),
    /// The role or agency may not do this.
    Forbidden(String),
    /// The input is wrong; `field` names the input field.
    BadUserInput {
        /// The input field, in the API's camelCase.
        field: Option<String>,
        /// What is wrong, in words the user can act on.
        message: String,
    },
    /// Nothing with that identifier is visible.
    NotFound(String),
    /// The state changed, or does not allow this.
    Conflict {
        /// What is wrong.
        message: String,
        /// The version the target stands at now, when a version was expected.
        current_version: Option<u64>,
    },
    /// The service cannot answer now (too busy, or a resource is down); the client
    /// should try again after `retry_after_secs`.
    Unavailable {
        /// What is unavailable.
        message: String,
        /// When to try again, in seconds.
        retry_after_secs: u64,
    },
    /// This caller (a token's user, or an address without a valid token) sent more
    /// than its share; it may try again after `retry_after_secs`.
    RateLimited {
        /// What was limited.
        message: String,
        /// When to try again, in seconds.
        retry_after_secs: u64,
    },
    /// Something failed on our side; the text is logged, not shown.
    Internal(String),
}

impl ApiError {
    /// Bad input in `field`.
    pub fn bad_input(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadUserInput {
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// The message a client sees (never an internal error's detail).
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m) | ApiError::Forbidden(m) | ApiError::NotFound(m) => {
                m.clone()
            }
            ApiError::BadUserInput { message, .. }
            | ApiError::Conflict { message, .. }
            | ApiError::Unavailable { message, .. }
            | ApiError::RateLimited { message, .. } => message.clone(),
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    /// The `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::Unavailable { .. } => "UNAVAILABLE",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    /// When the client may try again, in seconds, for the errors that say so.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ApiError::Unavailable {
                retry_after_secs, ..
            }
            | ApiError::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        }
    }
}

/// What an internal error was, kept beside the client's error (never serialised) for
/// [`ErrorLog`] to log under the reference the client was given.
#[derive(Debug)]
pub(crate) struct InternalDetail {
    /// The reference quoted to the client.
    pub(crate) reference: uuid::Uuid,
    /// What failed, for the operators.
    pub(crate) detail: String,
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        let converted = match &error {
            ApiError::Internal(detail) => {
                let reference = uuid::Uuid::now_v7();
                let mut e = async_graphql::Error::new(format!(
                    "internal error; quote reference {reference} to the operators"
                ));
                e.source = Some(Arc::new(InternalDetail {
                    reference,
                    detail: detail.clone(),
                }));
                e
            }
            other => async_graphql::Error::new(other.message()),
        };
        converted.extend_with(|_, e| {
            e.set("code", error.code());
            match &error {
                ApiError::BadUserInput {
                    field: Some(field), ..
                } => e.set("field", field.as_str()),
                ApiError::Conflict {
                    current_version: Some(v),
                    ..
                } => e.set("currentVersion", *v),
                ApiError::Unavailable {
                    retry_after_secs, ..
                }
                | ApiError::RateLimited {
                    retry_after_secs, ..
                } => e.set("retryAfter", *retry_after_secs),
                _ => {}
            }
        })
    }
}

/// Logs the detail of every internal error a response carries, under the reference
/// its client was given: for queries, mutations and every item of a subscription.
pub(crate) struct ErrorLog;

impl ExtensionFactory for ErrorLog {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorLog)
    }
}

fn log_internal(errors: &[ServerError]) {
    for error in errors {
        if let Some(internal) = error.source::<InternalDetail>() {
            tracing::error!(
                reference = %internal.reference,
                detail = internal.detail,
                "internal error"
            );
        }
    }
}

#[async_trait::async_trait]
impl Extension for ErrorLog {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        log_internal(&response.errors);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .inspect(|response| log_internal(&response.errors))
            .boxed()
    }
}

/// The most characters of a client's input an error message quotes back.
pub(crate) const MAX_QUOTED: usize = 40;

/// The longest error message a response carries; anything longer (a library's error
/// echoing a huge input) is cut there.
pub(crate) const MAX_MESSAGE: usize = 400;

/// A client's input quoted in an error message: at most [`MAX_QUOTED`] characters,
/// with the length of the rest, so a 200 KB id does not come back whole.
pub(crate) fn quoted(input: &str) -> String {
    let shown: String = input.chars().take(MAX_QUOTED).collect();
    let rest = input.chars().count().saturating_sub(MAX_QUOTED);
    if rest == 0 {
        format!("{shown:?}")
    } else {
        format!("{shown:?}… ({rest} more characters)")
    }
}

/// A message cut to [`MAX_MESSAGE`] characters.
pub(crate) fn bounded(message: &mut String) {
    if let Some((cut, _)) = message.char_indices().nth(MAX_MESSAGE) {
        message.truncate(cut);
        message.push('…');
    }
}

/// `snake_case` (the domain's field names) to `camelCase` (the API's).
pub(crate) fn camel(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Each kind of refusal has its code; a new kind must be given one to compile.
impl From<DomainError> for ApiError {
    fn from(error: DomainError) -> Self {
        let message = error.to_string();
        match error.kind() {
            ErrorKind::NotFound => ApiError::NotFound(message),
            ErrorKind::Conflict => ApiError::Conflict {
                message,
                current_version: None,
            },
            ErrorKind::NotYours => ApiError::Forbidden(message),
            ErrorKind::Invalid => ApiError::BadUserInput {
                field: error.field().map(camel),
                message,
            },
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if let Some(reason) = error.unavailable() {
            return ApiError::Unavailable {
                message: format!("{reason}; try again shortly"),
                retry_after_secs: 5,
            };
        }
        match error {
            StoreError::Conflict { actual, .. } => ApiError::Conflict {
                message: format!(
                    "the record changed while your command was decided (now at version {actual}); reload and try again"
                ),
                current_version: Some(actual),
            },
            StoreError::CommandIdReused { .. } => ApiError::BadUserInput {
                field: Some("clientMutationId".into()),
                message: "this clientMutationId was already used for another mutation".into(),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::Rejected(e) => e.into(),
            CommandError::Conflict {
                expected, actual, ..
            } => ApiError::Conflict {
                message: format!(
                    "expected version {expected}, but the record is at version {actual}; reload and try again"
                ),
                current_version: Some(actual),
            },
            CommandError::Store(e) => e.into(),
            CommandError::Contended { .. } => ApiError::Unavailable {
                message: "the record is changing too fast to decide on; try again shortly"
                    .into(),
                retry_after_secs: 1,
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<reform_projections::ProjectionError> for ApiError {
    fn from(error: reform_projections::ProjectionError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_as_the_api_names_them() {
        assert_eq!(camel("new_deadline"), "newDeadline");
        assert_eq!(camel("title"), "title");
    }

    #[test]
    fn internal_errors_do_not_show_their_text() {
        let error: async_graphql::Error =
            ApiError::Internal("relation \"events\" does not exist".into()).into();
        assert!(!error.message.contains("events"), "{}", error.message);
        let detail = error
            .source
            .as_ref()
            .and_then(|s| s.downcast_ref::<InternalDetail>())
            .expect("the detail, for the log");
        assert!(detail.detail.contains("events"));
        assert!(error.message.contains(&detail.reference.to_string()));
        let shown = serde_json::to_string(&error).expect("json");
        assert!(!shown.contains("relation"), "{shown}");
        assert!(shown.contains("INTERNAL"), "{shown}");
    }

    #[test]
    fn every_kind_of_refusal_has_its_code() {
        let cases = [
            (
                DomainError::invalid("title", "must not be empty"),
                "BAD_USER_INPUT",
            ),
            (
                DomainError::NotFound {
                    entity: reform_domain::Entity::Task,
                    id: "x".into(),
                },
                "NOT_FOUND",
            ),
            (
                DomainError::AlreadyExists {
                    entity: reform_domain::Entity::Task,
                    id: "x".into(),
                },
                "CONFLICT",
            ),
            (
                DomainError::NotTheLead {
                    task: reform_domain::TaskId::generate(),
                    task_title: "t".into(),
                    agency: reform_domain::AgencyId::generate(),
                },
                "FORBIDDEN",
            ),
        ];
        for (error, code) in cases {
            assert_eq!(ApiError::from(error).code(), code);
        }
    }
}
