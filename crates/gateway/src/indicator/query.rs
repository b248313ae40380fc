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
    /// Indicators with targets, measurements and their trajectory (RAG), of
    /// `jurisdiction` when given (yours or one in it). With `asOf`, as they stood then.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn indicators(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<Indicator>> {
        let scope = Scope::of(ctx)?;
        // Asking for another province is refused, as for every jurisdiction argument;
        // without one, every indicator the viewer may read (national ones included).
        let jurisdiction = match jurisdiction {
            Some(asked) => scope.jurisdiction_asked(Some(asked))?,
            None => None,
        };
        let scope = scope.at(ctx, as_of).await?;
        let mut rows: Vec<_> = scope
            .model
            .indicators
            .values()
            .filter(|i| {
                scope
                    .model
                    .lies_in(&i.jurisdiction, jurisdiction.as_deref())
            })
            .filter_map(|i| scope.indicator(i.indicator_id).ok())
            .collect();
        rows.sort_by(|a, b| a.row.code.cmp(&b.row.code));
        Ok(rows)
    }
}
