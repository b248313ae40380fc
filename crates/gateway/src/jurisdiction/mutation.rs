//! Changing the register: establishing a jurisdiction and merging one into another.
//! A province is the national secretariat's to establish or merge, a commune its
//! province's secretariat's (the write rule in `access`).

use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use reform_domain::Command;

use crate::jurisdiction::Jurisdiction;
use crate::send::{payload, send, text, Envelope, SECRETARIAT};
use crate::vocab::JurisdictionLevelCode;

/// A jurisdiction to establish.
#[derive(InputObject)]
pub struct EstablishJurisdictionInput {
    /// Its code: an ISO 3166-2:VN code under VN, or the parent's code and one more
    /// part (VN-DN-HV).
    pub code: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Province, district or commune (the nation is established once).
    pub level: JurisdictionLevelCode,
    /// The jurisdiction it lies in.
    pub parent: Option<String>,
    /// The day it came into being.
    pub established_on: NaiveDate,
    /// The resolution that established it.
    pub legal_basis: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// A jurisdiction that ceases by merging into another.
#[derive(InputObject)]
pub struct MergeJurisdictionInput {
    /// The jurisdiction that ceases.
    pub code: String,
    /// The one that takes over its plans, agencies and results.
    pub successor: String,
    /// The first day of the successor's responsibility.
    pub effective_on: NaiveDate,
    /// The resolution, e.g. "202/2025/QH15".
    pub legal_basis: String,
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

payload!(
    /// What the register's mutations return.
    JurisdictionPayload,
    jurisdiction: Jurisdiction,
    "The jurisdiction as it now stands."
);

/// The register's mutations.
#[derive(Default)]
pub struct JurisdictionMutation;

#[Object]
impl JurisdictionMutation {
    /// Establish a jurisdiction (secretariat: the nation's for a province, the
    /// province's for its communes).
    async fn establish_jurisdiction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: EstablishJurisdictionInput,
    ) -> async_graphql::Result<JurisdictionPayload> {
        let envelope = Envelope::new(
            SECRETARIAT,
            "change the register of jurisdictions",
            input.client_mutation_id,
        );
        let code = input.code.trim().to_uppercase();
        let sent = send(ctx, envelope, |_, _| {
            let command = Command::EstablishJurisdiction {
                code: code.clone(),
                name: text(input.name, "name")?,
                level: input.level.into(),
                parent: input.parent,
                established_on: input.established_on,
                legal_basis: input.legal_basis,
            };
            Ok((command, code.clone()))
        })
        .await?;
        Ok(sent.into())
    }

    /// Merge a jurisdiction into its successor (secretariat, as for establishing):
    /// its plans, agencies and results count for the successor from then on, and
    /// keep its code in their history.
    async fn merge_jurisdiction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")]
        input: MergeJurisdictionInput,
    ) -> async_graphql::Result<JurisdictionPayload> {
        let legal_basis = text(input.legal_basis, "legalBasis")?;
        let envelope = Envelope::new(
            SECRETARIAT,
            "change the register of jurisdictions",
            input.client_mutation_id,
        )
        .on(input.on)
        .because(legal_basis.clone());
        let code = input.code.trim().to_uppercase();
        let sent = send(ctx, envelope, |_, _| {
            let command = Command::MergeJurisdiction {
                code: code.clone(),
                successor: input.successor,
                effective_on: input.effective_on,
                legal_basis,
            };
            Ok((command, code.clone()))
        })
        .await?;
        Ok(sent.into())
    }
}
