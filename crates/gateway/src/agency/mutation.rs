//! The directory's changes: registering, renaming, appointing heads, mergers and
//! dissolutions (the secretariat's).

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use reform_domain::{AgencyId, Command, Person};

use crate::agency::Agency;
use crate::send::{agency_id, payload, send, text, Envelope, SECRETARIAT};
use crate::vocab::{AgencyTierCode, BlockCode};

/// The agency mutations.
#[derive(Default)]
pub struct AgencyMutation;

payload!(
    /// What a mutation on an agency returns.
    AgencyPayload,
    agency: Agency,
    "The agency after the change."
);

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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

#[Object]
impl AgencyMutation {
    /// Register an agency (secretariat).
    async fn register_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: RegisterAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let envelope =
            Envelope::new(SECRETARIAT, "register agencies", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |_, new| {
            let agency = AgencyId(new);
            let command = Command::RegisterAgency {
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
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Rename an agency (secretariat).
    async fn rename_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: RenameAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, "rename agencies", input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::RenameAgency {
                agency_id: agency,
                new_name: text(input.new_name, "newName")?,
                effective_on: input.effective_on,
                reason,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Appoint a head of agency; the previous tenure ends the day before (secretariat).
    async fn appoint_head(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: AppointHeadInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let envelope = Envelope::new(SECRETARIAT, "appoint heads", input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version);
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::AppointHead {
                agency_id: agency,
                head: Person {
                    name: text(input.name, "name")?,
                    title: input.title,
                },
                from: input.from,
                decision: input.decision,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Merge an agency into its successor; its open tasks pass to the successor
    /// (secretariat).
    async fn merge_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: MergeAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let envelope =
            Envelope::new(SECRETARIAT, "merge agencies", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::MergeAgency {
                agency_id: agency,
                successor: agency_id(&input.successor_id, "successorId")?,
                effective_on: input.effective_on,
                legal_basis: text(input.legal_basis, "legalBasis")?,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }

    /// Dissolve an agency (secretariat).
    async fn dissolve_agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: DissolveAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let agency = agency_id(&input.agency_id, "agencyId")?;
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, "dissolve agencies", input.client_mutation_id)
            .on(input.on)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.agency(agency)?;
            let command = Command::DissolveAgency {
                agency_id: agency,
                effective_on: input.effective_on,
                legal_basis: text(input.legal_basis, "legalBasis")?,
                reason,
            };
            Ok((command, agency))
        })
        .await?;
        Ok(sent.into())
    }
}
