//! The directory's changes: registering, renaming, appointing heads, mergers and
//! dissolutions (the secretariat's).

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::NaiveDate;
use reform_domain::{AgencyId, Command, Person};

use crate::agency::Agency;
use crate::send::{agency_id, in_jurisdiction, send, text, Sent, SECRETARIAT};
use crate::vocab::{AgencyTierCode, BlockCode};

/// The agency mutations.
#[derive(Default)]
pub struct AgencyMutation;

/// What a mutation on an agency returns.
#[derive(SimpleObject)]
pub struct AgencyPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The agency after the change.
    pub agency: Option<Agency>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

pub(crate) fn agency_payload(sent: &Sent, client: Option<String>, id: AgencyId) -> AgencyPayload {
    AgencyPayload {
        client_mutation_id: client,
        agency: sent.scope.agency(id).ok(),
        version: sent.outcome.last_version,
        replayed: sent.outcome.replayed,
    }
}

/// Register an agency.
#[derive(InputObject)]
pub struct RegisterAgencyInput {
    /// Official name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// The kind of agency.
    pub tier: AgencyTierCode,
    /// The PAR INDEX block it is ranked in.
    pub block: Option<BlockCode>,
    /// Jurisdiction code (`VN-DN`).
    pub jurisdiction: String,
    /// The agency above it.
    pub parent_id: Option<ID>,
    /// Idempotency key: the same key from the same user applies once.
    pub client_mutation_id: Option<String>,
}

/// Rename an agency.
#[derive(InputObject)]
pub struct RenameAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// Its new name.
    pub new_name: String,
    /// From when.
    pub effective_on: NaiveDate,
    /// Why (the decision).
    pub reason: String,
    /// The agency's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Appoint a head of agency.
#[derive(InputObject)]
pub struct AppointHeadInput {
    /// The agency.
    pub agency_id: ID,
    /// Full name.
    pub name: String,
    /// Title (Giám đốc Sở…).
    pub title: Option<String>,
    /// First day in office.
    pub from: NaiveDate,
    /// The appointing decision.
    pub decision: Option<String>,
    /// The agency's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Merge an agency into its successor; its open tasks pass to the successor.
#[derive(InputObject)]
pub struct MergeAgencyInput {
    /// The agency that ceases.
    pub agency_id: ID,
    /// The agency it merges into.
    pub successor_id: ID,
    /// From when.
    pub effective_on: NaiveDate,
    /// The legal basis (the merging decision).
    pub legal_basis: String,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Dissolve an agency.
#[derive(InputObject)]
pub struct DissolveAgencyInput {
    /// The agency.
    pub agency_id: ID,
    /// From when.
    pub effective_on: NaiveDate,
    /// The legal basis.
    pub legal_basis: String,
    /// Why.
    pub reason: String,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

#[Object]
impl AgencyMutation {
    /// Register an agency (secretariat).
    async fn register_agency(
        &self,
        ctx: &Context<'_>,
        input: RegisterAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "register agencies",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                let agency = AgencyId(new);
                id = Some(agency);
                Ok(Command::RegisterAgency {
                    agency_id: agency,
                    name: text(input.name, "name")?,
                    short_name: input.short_name,
                    tier: input.tier.into(),
                    block: input.block.map(Into::into),
                    jurisdiction: input.jurisdiction,
                    parent: input
                        .parent_id
                        .as_ref()
                        .map(|p| agency_id(p, "parentId"))
                        .transpose()?,
                })
            },
        )
        .await?;
        Ok(AgencyPayload {
            client_mutation_id: client,
            agency: id.and_then(|a| sent.scope.agency(a).ok()),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Rename an agency (secretariat).
    async fn rename_agency(
        &self,
        ctx: &Context<'_>,
        input: RenameAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "rename agencies",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::RenameAgency {
                    agency_id: agency,
                    new_name: text(input.new_name, "newName")?,
                    effective_on: input.effective_on,
                    reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Appoint a head of agency; the previous tenure ends the day before (secretariat).
    async fn appoint_head(
        &self,
        ctx: &Context<'_>,
        input: AppointHeadInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "appoint heads",
            client.as_deref(),
            input.expected_version,
            None,
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::AppointHead {
                    agency_id: agency,
                    head: Person {
                        name: text(input.name, "name")?,
                        title: input.title,
                    },
                    from: input.from,
                    decision: input.decision,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Merge an agency into its successor; its open tasks pass to the successor
    /// (secretariat).
    async fn merge_agency(
        &self,
        ctx: &Context<'_>,
        input: MergeAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "merge agencies",
            client.as_deref(),
            None,
            None,
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::MergeAgency {
                    agency_id: agency,
                    successor: agency_id(&input.successor_id, "successorId")?,
                    effective_on: input.effective_on,
                    legal_basis: text(input.legal_basis, "legalBasis")?,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }

    /// Dissolve an agency (secretariat).
    async fn dissolve_agency(
        &self,
        ctx: &Context<'_>,
        input: DissolveAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "dissolve agencies",
            client.as_deref(),
            None,
            Some(reason.clone()),
            |scope, _| {
                scope.agency(agency)?;
                Ok(Command::DissolveAgency {
                    agency_id: agency,
                    effective_on: input.effective_on,
                    legal_basis: text(input.legal_basis, "legalBasis")?,
                    reason,
                })
            },
        )
        .await?;
        Ok(agency_payload(&sent, client, agency))
    }
}
