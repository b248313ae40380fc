//! Evaluations as a leader reads them: league tables, SIPAS, band schemes and dossier
//! totals per period.

use async_graphql::{Context, Object};
use reform_projections::queries;

use crate::evaluation::league::{BandCountView, BlockTableView, LeagueEntryView, NotEvaluatedView};
use crate::scope::{gateway, Scope};
use crate::vocab::{BlockCode, BlockInfo};

/// The evaluation queries.
#[derive(Default)]
pub struct EvaluationQuery;

#[Object]
impl EvaluationQuery {
    /// One-stop dossier statistics (form II.06a) added up per month, quarter, half-year
    /// or year over the agencies of a jurisdiction (yours, if your token names one) whose
    /// records you may see: the province's totals, with the rates computed on the sums.
    /// Agencies' totals are added, or with `field` that field's reports only.
    #[allow(clippy::too_many_arguments)]
    async fn dossier_totals(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
        #[graphql(
            desc = "Only this field of the statistics (e.g. \"Đất đai\"); default all fields."
        )]
        field: Option<String>,
        #[graphql(
            default_with = "crate::evaluation::PeriodKind::Quarter",
            desc = "How to add up the periods: by MONTH, QUARTER or YEAR."
        )]
        period: crate::evaluation::PeriodKind,
        #[graphql(desc = "Periods from this day.")] from: Option<chrono::NaiveDate>,
        #[graphql(desc = "Periods to this day.")] to: Option<chrono::NaiveDate>,
    ) -> async_graphql::Result<crate::evaluation::DossierTotalsView> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scope.jurisdiction_asked(jurisdiction)?;
        Ok(crate::evaluation::totals(
            &scope,
            jurisdiction.as_deref(),
            field.as_deref(),
            period,
            from,
            to,
        ))
    }

    /// SIPAS results of a year, best first, in a jurisdiction (yours, if your token
    /// names one): the province's own index is its People's Committee's result.
    async fn sipas(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The survey year.")] year: i32,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<Vec<crate::evaluation::SipasView>> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scope.jurisdiction_asked(jurisdiction)?;
        Ok(crate::evaluation::sipas(
            &scope,
            None,
            Some(year),
            jurisdiction.as_deref(),
        ))
    }

    /// PAR INDEX band schemes: of one jurisdiction (yours, if your token names one),
    /// or of all, oldest first.
    async fn band_schemes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<Vec<crate::evaluation::bands::BandScheme>> {
        let scope = Scope::of(ctx)?;
        let asked = jurisdiction.map(|j| j.trim().to_uppercase());
        // National schemes are everyone's to read.
        let jurisdiction = match asked.as_deref() {
            Some(reform_domain::NATIONAL) => asked,
            _ => scope.jurisdiction_asked(asked)?,
        };
        Ok(crate::evaluation::bands::schemes(
            &scope.model,
            jurisdiction.as_deref(),
        ))
    }

    /// PAR INDEX league tables of a year by block: ranks (ties share one), bands,
    /// not-evaluated agencies apart, the block average and its change.
    async fn par_ranking(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The PAR INDEX year.")] year: i32,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
        #[graphql(desc = "Only this block's table.")] block: Option<BlockCode>,
    ) -> async_graphql::Result<Vec<BlockTableView>> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scope.jurisdiction_asked(jurisdiction)?;
        let gateway = gateway(ctx)?;
        let block = block.map(reform_domain::Block::from);
        Ok(
            queries::league_tables(&scope.model, year, jurisdiction.as_deref(), &gateway.bands)
                .into_iter()
                .filter(|t| block.is_none_or(|b| t.block == b))
                .map(|t| BlockTableView {
                    block: Some(BlockInfo::from(t.block)),
                    change: t.change(),
                    ranked: t
                        .ranked
                        .into_iter()
                        .map(|e| LeagueEntryView {
                            agency: scope.agency(e.agency_id).ok(),
                            name: e.name,
                            total: e.total,
                            rank: e.rank,
                            band: e.band,
                        })
                        .collect(),
                    not_evaluated: t
                        .not_evaluated
                        .into_iter()
                        .map(|(name, reason)| NotEvaluatedView { name, reason })
                        .collect(),
                    band_counts: t
                        .band_counts
                        .into_iter()
                        .map(|(band, count)| BandCountView { band, count })
                        .collect(),
                    average: t.average,
                    previous_average: t.previous_average,
                })
                .collect(),
        )
    }
}
