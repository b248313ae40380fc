//! The agency directory as leaders sort it (by overdue tasks, late completions…), and
//! the heads' accountability.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use reform_domain::AgencyId;
use reform_projections::{fold_for_search, queries, AgencyRow, AgencyRowStatus};

use crate::agency::Agency;
use crate::relay::{page, parse, Kind, PageArgs, PageInfo};
use crate::scope::{gateway, Scope};
use crate::vocab::{AgencyTierCode, BlockCode};

/// Which agencies.
#[derive(InputObject, Default)]
pub struct AgencyFilterInput {
    /// Of this jurisdiction.
    pub jurisdiction: Option<String>,
    /// Of this tier.
    pub tier: Option<AgencyTierCode>,
    /// Ranked in this block.
    pub block: Option<BlockCode>,
    /// `ACTIVE`, `MERGED` or `DISSOLVED`.
    pub status: Option<String>,
    /// Words of the name, with or without diacritics.
    pub search: Option<String>,
}

/// What to order agencies by.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AgencyOrderField {
    /// By name.
    #[default]
    Name,
    /// Led tasks open and past their deadline today.
    OverdueNow,
    /// Led tasks completed late.
    CompletedLate,
    /// Tasks led (their own and inherited).
    TasksLed,
}

/// Which way to order.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OrderDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

/// How to order agencies; ties go by name.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct AgencyOrder {
    /// The figure to order by.
    pub field: AgencyOrderField,
    /// Which way (default ascending).
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// A page of agencies.
#[derive(SimpleObject)]
pub struct AgencyConnection {
    /// The page, with cursors.
    pub edges: Vec<AgencyEdge>,
    /// The page's agencies.
    pub nodes: Vec<Agency>,
    /// Where the page is.
    pub page_info: PageInfo,
    /// How many agencies the filter admits.
    pub total_count: usize,
}

/// An agency and its cursor.
#[derive(SimpleObject)]
pub struct AgencyEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The agency.
    pub node: Agency,
}

/// One head's record for one tenure.
#[derive(SimpleObject)]
#[graphql(name = "HeadAccountability")]
pub struct HeadAccountabilityView {
    /// The agency.
    pub agency: Option<Agency>,
    /// The head; the tenure's `to` is its last day once ended (by a successor, or by
    /// the agency's merger or dissolution).
    pub head: crate::agency::HeadView,
    /// The tenure's last day as counted (today while in office).
    pub counted_to: NaiveDate,
    /// Led tasks the tenure answers for (within the year, when asked): each task
    /// answers to the head in office at its lead agency on its deadline — or, when it
    /// was completed before its deadline, on its completion day.
    pub tasks_due: usize,
    /// Of those, completed early or on time.
    pub completed_in_time: usize,
    /// Of those, completed late.
    pub completed_late: usize,
    /// Of those, open and past the deadline.
    pub overdue_now: usize,
    /// The most days any of those is overdue.
    pub worst_days_overdue: i64,
    /// Share of due tasks completed in time.
    pub on_time_rate: Option<f64>,
    /// PAR band of the year asked, or of the latest year in the tenure.
    pub par_band: Option<String>,
    /// "Do not consider for emulation rewards" (không xét thi đua, khen thưởng).
    pub no_emulation_reward: bool,
    /// Why, one line per reason.
    pub reasons: Vec<String>,
}

/// The agency queries.
#[derive(Default)]
pub struct AgencyQuery;

#[Object]
impl AgencyQuery {
    /// Agencies in the viewer's jurisdiction, by name, a page at a time.
    #[allow(clippy::too_many_arguments)]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which to list; every field narrows, none lists all.")] filter: Option<
            AgencyFilterInput,
        >,
        #[graphql(desc = "The order; default as documented on the field.")] order_by: Option<
            AgencyOrder,
        >,
        #[graphql(desc = "Return at most this many, from the start (or after `after`); 1 to 100.")]
        first: Option<i32>,
        #[graphql(desc = "The cursor to continue after (a previous page's `endCursor`).")]
        after: Option<String>,
        #[graphql(desc = "Return at most this many, from the end (or before `before`); 1 to 100.")]
        last: Option<i32>,
        #[graphql(desc = "The cursor to continue before (a previous page's `startCursor`).")]
        before: Option<String>,
    ) -> async_graphql::Result<AgencyConnection> {
        let scope = Scope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let search = filter.search.as_deref().map(fold_for_search);
        let mut rows: Vec<_> = scope
            .model
            .agencies
            .values()
            .filter(|a| scope.viewer.sees_agency(&scope.model, a))
            .filter(|a| {
                filter
                    .jurisdiction
                    .as_ref()
                    .is_none_or(|j| &a.jurisdiction == j)
            })
            .filter(|a| {
                filter
                    .tier
                    .is_none_or(|t| a.tier == reform_domain::AgencyTier::from(t))
            })
            .filter(|a| {
                filter
                    .block
                    .is_none_or(|b| a.block == Some(reform_domain::Block::from(b)))
            })
            .filter(|a| {
                // An unknown status admits no agency, as it always has.
                filter
                    .status
                    .as_deref()
                    .is_none_or(|s| AgencyRowStatus::from_code(s) == Some(a.status))
            })
            .filter(|a| {
                search
                    .as_ref()
                    .is_none_or(|s| fold_for_search(&a.name).contains(s.as_str()))
            })
            .collect();
        rows.sort_by(|a, b| (&a.name, a.agency_id).cmp(&(&b.name, b.agency_id)));
        let order = order_by.unwrap_or_default();
        if order.field != AgencyOrderField::Name {
            let tallies = scope.memo.agency_tallies(&scope.model, scope.today);
            let figure = |a: &AgencyRow| {
                let t = tallies.get(&a.agency_id).copied().unwrap_or_default();
                match order.field {
                    AgencyOrderField::OverdueNow => t.overdue_now,
                    AgencyOrderField::CompletedLate => t.completed_late,
                    AgencyOrderField::TasksLed | AgencyOrderField::Name => t.led + t.inherited,
                }
            };
            // Stable sorts: equal figures keep the order by name.
            if order.direction == OrderDirection::Desc {
                rows.sort_by_key(|a| std::cmp::Reverse(figure(a)));
            } else {
                rows.sort_by_key(|a| figure(a));
            }
        } else if order.direction == OrderDirection::Desc {
            rows.reverse();
        }
        let agencies: Vec<Agency> = rows
            .into_iter()
            .filter_map(|a| scope.agency(a.agency_id).ok())
            .collect();
        let total_count = agencies.len();
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let (items, page_info) = page(agencies, |a| a.row.agency_id.to_string(), &args)?;
        let mut edges = Vec::with_capacity(items.len());
        let mut nodes = Vec::with_capacity(items.len());
        for (cursor, agency) in items {
            nodes.push(agency.clone());
            edges.push(AgencyEdge {
                cursor,
                node: agency,
            });
        }
        Ok(AgencyConnection {
            edges,
            nodes,
            page_info,
            total_count,
        })
    }

    /// An agency by its global id.
    async fn agency(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The agency's global id.")] id: ID,
    ) -> async_graphql::Result<Agency> {
        let scope = Scope::of(ctx)?;
        Ok(scope.agency(AgencyId(parse(&id, Kind::Agency, "id")?))?)
    }

    /// Accountability by head of agency: each head's tenure, the tasks it answers for
    /// (falling due in it, or completed in it before their deadline), and the "no
    /// emulation rewards" flag with its reasons. With `asOf`, as it stood then.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn accountability(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
        #[graphql(
            desc = "Only tasks falling due in this year (or completed in it before their deadline)."
        )]
        year: Option<i32>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<HeadAccountabilityView>> {
        let scope = Scope::of(ctx)?;
        scope.require_overview()?;
        let jurisdiction = scope.jurisdiction_asked(jurisdiction)?;
        let scope = scope.at(ctx, as_of).await?;
        let gateway = gateway(ctx)?;
        let rows = queries::accountability(
            &scope.model,
            jurisdiction.as_deref(),
            year,
            scope.today,
            &gateway.bands,
            &gateway.reward_rule,
        );
        Ok(rows
            .into_iter()
            .map(|r| HeadAccountabilityView {
                agency: scope.agency(r.agency_id).ok(),
                head: crate::agency::HeadView::of(&r.head),
                counted_to: r.counted_to,
                tasks_due: r.tasks_due,
                completed_in_time: r.completed_in_time,
                completed_late: r.completed_late,
                overdue_now: r.overdue_now,
                worst_days_overdue: r.worst_days_overdue,
                on_time_rate: r.on_time_rate,
                par_band: r.par_band,
                no_emulation_reward: r.no_emulation_reward,
                reasons: r.reasons,
            })
            .collect())
    }
}
