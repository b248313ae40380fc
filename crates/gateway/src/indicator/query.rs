//! Indicators as a leader reads them, as of any day.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use crate::indicator::Indicator;
use crate::scope::Scope;

/// The indicator queries.
#[derive(Default)]
pub struct IndicatorQuery;

#[Object]
impl IndicatorQuery {
    /// Indicators with targets, measurements and their trajectory (RAG). With
    /// `asOf`, as they stood then.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        jurisdiction: Option<String>,
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<Indicator>> {
        let scope = Scope::of(ctx)?;
        let scope = scope.at(ctx, as_of).await?;
        let mut rows: Vec<_> = scope
            .model
            .indicators
            .values()
            .filter(|i| jurisdiction.as_ref().is_none_or(|j| &i.jurisdiction == j))
            .filter_map(|i| scope.indicator(i.indicator_id).ok())
            .collect();
        rows.sort_by(|a, b| a.row.code.cmp(&b.row.code));
        Ok(rows)
    }
}
