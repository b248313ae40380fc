//! The register: the jurisdictions under one, live or merged.

use async_graphql::{Context, Object};

use crate::jurisdiction::Jurisdiction;
use crate::scope::Scope;

/// The register's queries.
#[derive(Default)]
pub struct JurisdictionQuery;

#[Object]
impl JurisdictionQuery {
    /// The jurisdictions directly under `parent` (the nation's provinces when none), by
    /// code; merged ones only with `includeMerged` (the 63 provinces before 1 July
    /// 2025, say). The register is public: every signed-in role reads it.
    async fn jurisdictions(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The jurisdiction whose children to list; default the provinces (children of VN)."
        )]
        parent: Option<String>,
        #[graphql(
            default = false,
            desc = "Include the jurisdictions merged into others."
        )]
        include_merged: bool,
    ) -> async_graphql::Result<Vec<Jurisdiction>> {
        let scope = Scope::of(ctx)?;
        let parent = parent.map_or_else(
            || reform_domain::NATIONAL.to_owned(),
            |p| p.trim().to_uppercase(),
        );
        Ok(scope
            .model
            .jurisdictions
            .values()
            .filter(|j| j.parent.as_deref() == Some(parent.as_str()))
            .filter(|j| include_merged || j.successor.is_none())
            .filter_map(|j| scope.jurisdiction(&j.code))
            .collect())
    }

    /// One jurisdiction of the register by its code.
    async fn jurisdiction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its code (VN, VN-DN, VN-DN-HV…).")] code: String,
    ) -> async_graphql::Result<Option<Jurisdiction>> {
        Ok(Scope::of(ctx)?.jurisdiction(&code))
    }
}
