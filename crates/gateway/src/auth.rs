//! Who is asking: HS256 bearer tokens, and what each role may see and do
//! (leaders read their jurisdiction; the secretariat plans and assigns; officers act for
//! their own agency; auditors read history). The server enforces these on every field;
//! nothing trusts the input.

use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reform_domain::{AgencyId, Role};
use reform_projections::{AgencyRow, DocumentRow, ProgressModel, TaskRow};
use reform_store::Actor;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

/// The national jurisdiction: its documents are everyone's.
pub(crate) use reform_domain::NATIONAL;

/// What a token says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's stable id.
    pub sub: String,
    /// The name to show in the record.
    pub name: String,
    /// `LEADER`, `SECRETARIAT`, `OFFICER` or `AUDITOR`.
    pub role: String,
    /// The user's agency (required for officers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<uuid::Uuid>,
    /// The jurisdiction the user serves (`VN-DN`); absent or `VN` for all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Not valid before (seconds since the epoch), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// The longest a token may live (from `iat` to `exp`) unless the server is told
/// otherwise: a leaked token is good for a month at most.
pub const DEFAULT_MAX_TOKEN_DAYS: i64 = 30;

/// The signing secret, as keys.
#[derive(Clone)]
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    max_lifetime: Duration,
}

impl Keys {
    /// Keys from a shared secret (HS256).
    pub fn from_secret(secret: &[u8]) -> Keys {
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            max_lifetime: Duration::days(DEFAULT_MAX_TOKEN_DAYS),
        }
    }

    /// The same keys, refusing tokens that live longer than `days`.
    pub fn with_max_lifetime_days(mut self, days: i64) -> Keys {
        self.max_lifetime = Duration::days(days);
        self
    }

    /// The longest lifetime accepted, in days.
    pub fn max_lifetime_days(&self) -> i64 {
        self.max_lifetime.num_days()
    }

    /// A signed token for `claims`.
    pub fn issue(&self, claims: &Claims) -> Result<String, ApiError> {
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("signing a token: {e}")))
    }

    /// The viewer a bearer token stands for.
    pub fn verify(&self, token: &str) -> Result<Viewer, ApiError> {
        self.verify_expiring(token).map(|(viewer, _)| viewer)
    }

    /// The viewer a bearer token stands for, and when the token expires (a
    /// subscription ends then).
    pub(crate) fn verify_expiring(
        &self,
        token: &str,
    ) -> Result<(Viewer, chrono::DateTime<Utc>), ApiError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub", "iat"]);
        validation.validate_nbf = true;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|error| {
                // The library's words (its parser's, the algorithm it saw) are for the
                // log; the client learns only that the token is refused.
                tracing::info!(%error, "a bearer token was refused");
                ApiError::Unauthenticated(
                    "the token is not valid (expired, not yet valid, or not signed by this server)"
                        .into(),
                )
            })?
            .claims;
        if claims.exp - claims.iat > self.max_lifetime.num_seconds() {
            return Err(ApiError::Unauthenticated(format!(
                "the token lives longer than the {} days this server accepts; ask for a new one",
                self.max_lifetime.num_days()
            )));
        }
        let expires = chrono::DateTime::from_timestamp(claims.exp, 0)
            .ok_or_else(|| ApiError::Unauthenticated("the token's expiry is not a time".into()))?;
        Ok((Viewer::from_claims(claims)?, expires))
    }
}

/// Claims for a new token valid for `days`.
pub fn claims(
    role: Role,
    user: &str,
    agency: Option<AgencyId>,
    jurisdiction: Option<String>,
    days: i64,
) -> Claims {
    let now = Utc::now();
    Claims {
        sub: user.to_owned(),
        name: user.to_owned(),
        role: role.code().to_owned(),
        agency: agency.map(|a| a.0),
        jurisdiction,
        iat: now.timestamp(),
        exp: (now + Duration::days(days)).timestamp(),
        nbf: None,
    }
}

/// The authenticated user of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    /// Recorded as the actor of every command they send.
    pub actor: Actor,
    /// The jurisdiction they serve; `None` for all.
    pub jurisdiction: Option<String>,
}

impl Viewer {
    fn from_claims(claims: Claims) -> Result<Viewer, ApiError> {
        let role = Role::from_code(&claims.role)
            .filter(|r| *r != Role::System)
            .ok_or_else(|| {
                ApiError::Unauthenticated(format!("the token's role {:?} is unknown", claims.role))
            })?;
        let agency = claims.agency.map(AgencyId);
        if role == Role::Officer && agency.is_none() {
            return Err(ApiError::Unauthenticated(
                "an officer's token must name the officer's agency".into(),
            ));
        }
        Ok(Viewer {
            actor: Actor {
                user_id: claims.sub,
                display_name: claims.name,
                role,
                agency,
            },
            jurisdiction: claims.jurisdiction.filter(|j| j != NATIONAL),
        })
    }

    /// The role they act in.
    pub fn role(&self) -> Role {
        self.actor.role
    }

    /// Refuses unless their role is one of `roles`.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), ApiError> {
        if roles.contains(&self.role()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the {} role may not {what}",
                self.role().label_en().to_lowercase()
            )))
        }
    }

    /// Whether something of `jurisdiction` is theirs to read: national records, and
    /// what lies in their jurisdiction by the register (its communes, and the
    /// provinces merged into it).
    pub fn in_scope(&self, model: &ProgressModel, jurisdiction: &str) -> bool {
        jurisdiction == NATIONAL || model.lies_in(jurisdiction, self.jurisdiction.as_deref())
    }

    /// Whether they may change something of `jurisdiction`: a viewer bound to a
    /// jurisdiction writes only what lies in it; national records only an unbound,
    /// national viewer.
    pub fn may_write(&self, model: &ProgressModel, jurisdiction: &str) -> bool {
        model.lies_in(jurisdiction, self.jurisdiction.as_deref())
    }

    /// Whether a command of theirs may name something of `jurisdiction`: what they
    /// may write, and national records (a province's plan implements the national
    /// program).
    pub fn may_refer(&self, model: &ProgressModel, jurisdiction: &str) -> bool {
        self.may_write(model, jurisdiction) || jurisdiction == NATIONAL
    }

    /// Documents: everything in their jurisdiction (and national ones).
    pub fn sees_document(&self, model: &ProgressModel, document: &DocumentRow) -> bool {
        self.in_scope(model, &document.jurisdiction)
    }

    /// Agencies: the directory of their jurisdiction (names, tiers, blocks).
    pub fn sees_agency(&self, model: &ProgressModel, agency: &AgencyRow) -> bool {
        self.in_scope(model, &agency.jurisdiction)
    }

    /// Published evaluations (PAR INDEX and SIPAS results, league tables): the
    /// Ministry of Home Affairs and the provinces announce them publicly, so every
    /// signed-in role reads them for the agencies of its directory.
    pub fn sees_published_results_of(&self, model: &ProgressModel, agency: &AgencyRow) -> bool {
        self.sees_agency(model, agency)
    }

    /// An agency's records that are not published (scorecard, heads, dossier
    /// statistics, history): officers only their own agency's.
    pub fn sees_records_of(&self, model: &ProgressModel, agency: &AgencyRow) -> bool {
        match self.role() {
            Role::Officer => self.actor.agency == Some(agency.agency_id),
            _ => self.sees_agency(model, agency),
        }
    }

    /// The tasks they may see as a filter: (plans of this jurisdiction, tasks
    /// involving this agency). Agrees with [`Viewer::sees_task`].
    pub fn task_visibility(&self) -> (Option<String>, Option<AgencyId>) {
        match self.role() {
            Role::Officer => (None, self.actor.agency),
            _ => (self.jurisdiction.clone(), None),
        }
    }

    /// Tasks: officers those their agency leads or coordinates; others those of plans
    /// in their jurisdiction.
    pub fn sees_task(&self, model: &ProgressModel, task: &TaskRow) -> bool {
        match self.role() {
            Role::Officer => self
                .actor
                .agency
                .is_some_and(|mine| task.lead_id == mine || task.coordinator_ids.contains(&mine)),
            _ => model
                .documents
                .get(&task.plan_id)
                .is_some_and(|plan| self.sees_document(model, plan)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_a_forged_one_does_not() {
        let keys = Keys::from_secret(b"a secret of enough length for tests");
        let agency = AgencyId::generate();
        let token = keys
            .issue(&claims(Role::Officer, "lan", Some(agency), None, 1))
            .expect("token");
        let viewer = keys.verify(&token).expect("valid");
        assert_eq!(viewer.role(), Role::Officer);
        assert_eq!(viewer.actor.agency, Some(agency));

        let other = Keys::from_secret(b"another secret entirely, also long");
        assert!(matches!(
            other.verify(&token),
            Err(ApiError::Unauthenticated(_))
        ));
        let expired = keys
            .issue(&claims(Role::Leader, "an", None, None, -2))
            .expect("token");
        assert!(matches!(
            keys.verify(&expired),
            Err(ApiError::Unauthenticated(_))
        ));
        // Longer-lived than the server accepts, or not valid yet: refused, in the
        // server's words.
        let long = keys
            .issue(&claims(Role::Leader, "an", None, None, 31))
            .expect("token");
        match keys.verify(&long) {
            Err(ApiError::Unauthenticated(m)) => assert!(m.contains("30 days"), "{m}"),
            other => panic!("a 31-day token: {other:?}"),
        }
        assert!(keys
            .clone()
            .with_max_lifetime_days(31)
            .verify(&long)
            .is_ok());
        let mut later = claims(Role::Leader, "an", None, None, 1);
        later.nbf = Some(later.iat + 3_600);
        let later = keys.issue(&later).expect("token");
        assert!(
            keys.verify(&later).is_err(),
            "not valid before an hour from now"
        );
        let forged = format!("{}x", &token[..token.len() - 1]);
        match keys.verify(&forged) {
            Err(ApiError::Unauthenticated(m)) => {
                assert!(m.starts_with("the token is not valid"), "{m}")
            }
            other => panic!("a forged token: {other:?}"),
        }
        let officer_without_agency = keys
            .issue(&claims(Role::Officer, "x", None, None, 1))
            .expect("token");
        assert!(keys.verify(&officer_without_agency).is_err());
    }
}
