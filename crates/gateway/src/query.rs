//! The query root: the read-models, as the viewer may see them.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use reform_domain::{AgencyId, DocumentId, IndicatorId, TaskId};
use reform_projections::queries::{self, TaskFilter, TaskOrder};
use reform_projections::{fold_for_search, AgencyRow};

use crate::audit::{AuditEntryConnection, AuditEntryEdge, AuditFilterInput};
use crate::error::ApiError;
use crate::relay::{cursor, page, parse, parse_any, window, Kind, PageArgs, PageInfo};
use crate::types::{
    gateway, Agency, Document, Indicator, Node, Program, Scope, StatusCountsView, Task,
};
use crate::vocab::{AgencyTierCode, BlockCode, BlockInfo, CategoryCode, RoleInfo, TaskStatus};

/// The query root.
pub struct QueryRoot;

/// Who is asking, as the token says.
#[derive(SimpleObject)]
#[graphql(name = "Viewer")]
pub struct ViewerView {
    /// The user id.
    pub user_id: String,
    /// The name recorded on their actions.
    pub name: String,
    /// Their role.
    pub role: RoleInfo,
    /// Their agency.
    pub agency: Option<Agency>,
    /// The jurisdiction they serve; null for all.
    pub jurisdiction: Option<String>,
}

/// Which tasks.
#[derive(InputObject, Default)]
pub struct TaskFilterInput {
    /// Tasks of this plan.
    pub plan_id: Option<ID>,
    /// Tasks of plans under this program.
    pub program_id: Option<ID>,
    /// Pillar or cross-cutting category.
    pub category: Option<CategoryCode>,
    /// Led by this agency.
    pub lead_id: Option<ID>,
    /// Coordinated by this agency.
    pub coordinator_id: Option<ID>,
    /// In this status.
    pub status: Option<TaskStatus>,
    /// Deadline on or after this day.
    pub deadline_from: Option<NaiveDate>,
    /// Deadline on or before this day.
    pub deadline_to: Option<NaiveDate>,
    /// Open and past the deadline on this day.
    pub overdue_on: Option<NaiveDate>,
    /// Words of the title, with or without diacritics ("cai cach" finds "cải cách").
    pub search: Option<String>,
    /// Only top-level tasks (no subtasks).
    pub top_level_only: Option<bool>,
}

/// How to order tasks.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskOrderField {
    /// Earliest deadline first, ongoing work last.
    #[default]
    Deadline,
    /// By title.
    Title,
}

/// A page of tasks, with the size and aggregates of the whole filtered set.
#[derive(SimpleObject)]
pub struct TaskConnection {
    /// The page, with cursors.
    pub edges: Vec<TaskEdge>,
    /// The page's tasks.
    pub nodes: Vec<Task>,
    /// Where the page is.
    pub page_info: PageInfo,
    /// How many tasks the filter admits.
    pub total_count: usize,
    /// Counts by status over the filtered set, as of today.
    pub counts: StatusCountsView,
    /// Average percent over the filtered set, cancelled tasks left out.
    pub average_percent: Option<f64>,
}

/// A task and its cursor.
#[derive(SimpleObject)]
pub struct TaskEdge {
    /// Opaque cursor.
    pub cursor: String,
    /// The task.
    pub node: Task,
}

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

/// The result of checking the event log's hash chain.
#[derive(SimpleObject)]
pub struct AuditVerification {
    /// Whether every event checked is as written, in its place.
    pub intact: bool,
    /// Events checked before the first breach (all of them when intact).
    pub checked: u64,
    /// The head's digest (`POSITION:HASH`), to keep outside the system; null on a breach.
    pub digest: Option<String>,
    /// The first event found wrong.
    pub breach: Option<AuditBreach>,
}

/// Where the chain breaks and why.
#[derive(SimpleObject)]
pub struct AuditBreach {
    /// The first position found wrong.
    pub position: u64,
    /// What is wrong there.
    pub problem: String,
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
    /// The head.
    pub head: crate::types::HeadView,
    /// The tenure's last day as counted (today while in office).
    pub counted_to: NaiveDate,
    /// Led tasks due within the tenure (and the year, when asked).
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

/// A block's PAR INDEX table for a year.
#[derive(SimpleObject)]
#[graphql(name = "BlockTable")]
pub struct BlockTableView {
    /// The block.
    pub block: Option<BlockInfo>,
    /// Ranked agencies, best first; ties share a rank.
    pub ranked: Vec<LeagueEntryView>,
    /// Agencies not evaluated, with the reason, listed apart.
    pub not_evaluated: Vec<NotEvaluatedView>,
    /// Agencies per band, in band order.
    pub band_counts: Vec<BandCountView>,
    /// Average total of the ranked agencies.
    pub average: Option<f64>,
    /// The block's average the year before.
    pub previous_average: Option<f64>,
    /// Change of the average on the year before.
    pub change: Option<f64>,
}

/// A ranked agency.
#[derive(SimpleObject)]
#[graphql(name = "LeagueEntry")]
pub struct LeagueEntryView {
    /// The agency.
    pub agency: Option<Agency>,
    /// Its name.
    pub name: String,
    /// Total points (may exceed 100 with bonus points).
    pub total: f64,
    /// Rank; ties share one (1, 2, 2, 4).
    pub rank: usize,
    /// Band name.
    pub band: Option<String>,
}

/// An agency listed apart as not evaluated.
#[derive(SimpleObject)]
#[graphql(name = "NotEvaluated")]
pub struct NotEvaluatedView {
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

/// How many agencies fell in a band.
#[derive(SimpleObject)]
#[graphql(name = "BandCount")]
pub struct BandCountView {
    /// The band.
    pub band: String,
    /// How many.
    pub count: usize,
}

#[Object(name = "Query")]
impl QueryRoot {
    /// Who is asking.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<ViewerView> {
        let scope = Scope::of(ctx)?;
        let v = &scope.viewer;
        Ok(ViewerView {
            user_id: v.actor.user_id.clone(),
            name: v.actor.display_name.clone(),
            role: v.actor.role.into(),
            agency: v.actor.agency.and_then(|a| scope.agency(a).ok()),
            jurisdiction: v.jurisdiction.clone(),
        })
    }

    /// Anything by its global id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Node> {
        let scope = Scope::of(ctx)?;
        Ok(resolve_node(&scope, &id)?)
    }

    /// Several things by their global ids, in order (at most 100).
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        let scope = Scope::of(ctx)?;
        if ids.len() > crate::relay::MAX_PAGE {
            return Err(ApiError::bad_input("ids", "at most 100 ids at once").into());
        }
        Ok(ids.iter().map(|id| resolve_node(&scope, id).ok()).collect())
    }

    /// Programs in the viewer's jurisdiction (and the national ones), by number.
    async fn programs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Program>> {
        let scope = Scope::of(ctx)?;
        let mut programs: Vec<Program> = scope
            .model
            .documents
            .values()
            .filter(|d| d.kind == "PROGRAM")
            .filter_map(|d| match scope.document(d.document_id) {
                Ok(Document::Program(p)) => Some(p),
                _ => None,
            })
            .collect();
        programs.sort_by(|a, b| a.0.row.number.cmp(&b.0.row.number));
        Ok(programs)
    }

    /// A program by its global id.
    async fn program(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Program> {
        let scope = Scope::of(ctx)?;
        match scope.document(DocumentId(parse(&id, Kind::Program, "id")?))? {
            Document::Program(p) => Ok(p),
            _ => Err(ApiError::NotFound("no such program".into()).into()),
        }
    }

    /// Tasks the viewer may see, filtered and ordered, a page at a time.
    #[allow(clippy::too_many_arguments)]
    async fn tasks(
        &self,
        ctx: &Context<'_>,
        filter: Option<TaskFilterInput>,
        order_by: Option<TaskOrderField>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<TaskConnection> {
        let scope = Scope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let (jurisdiction, involving) = scope.viewer.task_visibility();
        let wanted = TaskFilter {
            jurisdiction,
            involving,
            top_level_only: filter.top_level_only.unwrap_or(false),
            plan: optional(&filter.plan_id, Kind::Plan, "planId")?.map(DocumentId),
            program: optional(&filter.program_id, Kind::Program, "programId")?.map(DocumentId),
            category: filter.category.map(|c| c.stored().to_owned()),
            lead: optional(&filter.lead_id, Kind::Agency, "leadId")?.map(AgencyId),
            coordinator: optional(&filter.coordinator_id, Kind::Agency, "coordinatorId")?
                .map(AgencyId),
            status: filter.status.map(|s| s.code().to_owned()),
            deadline_from: filter.deadline_from,
            deadline_to: filter.deadline_to,
            overdue_on: filter.overdue_on,
            search: filter.search.clone(),
        };
        let order = match order_by.unwrap_or_default() {
            TaskOrderField::Deadline => TaskOrder::Deadline,
            TaskOrderField::Title => TaskOrder::Title,
        };
        // Computed once per snapshot and filter: a dashboard's totals cost one lookup.
        let selection = scope.memo.tasks(&scope.model, &wanted, order, scope.today);
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let (range, page_info) = window(&selection.ids, ToString::to_string, &args)?;
        let mut edges = Vec::with_capacity(range.len());
        let mut nodes = Vec::with_capacity(range.len());
        for id in &selection.ids[range] {
            let task = scope.task(*id)?;
            nodes.push(task.clone());
            edges.push(TaskEdge {
                cursor: cursor(&id.to_string()),
                node: task,
            });
        }
        Ok(TaskConnection {
            edges,
            nodes,
            page_info,
            total_count: selection.ids.len(),
            counts: selection.counts.into(),
            average_percent: selection.average_percent,
        })
    }

    /// A task by its global id.
    async fn task(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Task> {
        let scope = Scope::of(ctx)?;
        Ok(scope.task(TaskId(parse(&id, Kind::Task, "id")?))?)
    }

    /// Agencies in the viewer's jurisdiction, by name, a page at a time.
    #[allow(clippy::too_many_arguments)]
    async fn agencies(
        &self,
        ctx: &Context<'_>,
        filter: Option<AgencyFilterInput>,
        order_by: Option<AgencyOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AgencyConnection> {
        let scope = Scope::of(ctx)?;
        let filter = filter.unwrap_or_default();
        let search = filter.search.as_deref().map(fold_for_search);
        let mut rows: Vec<_> = scope
            .model
            .agencies
            .values()
            .filter(|a| scope.viewer.sees_agency(a))
            .filter(|a| {
                filter
                    .jurisdiction
                    .as_ref()
                    .is_none_or(|j| &a.jurisdiction == j)
            })
            .filter(|a| {
                filter
                    .tier
                    .is_none_or(|t| a.tier == reform_domain::AgencyTier::from(t).code())
            })
            .filter(|a| {
                filter.block.is_none_or(|b| {
                    a.block.as_deref() == Some(reform_domain::Block::from(b).code())
                })
            })
            .filter(|a| filter.status.as_ref().is_none_or(|s| &a.status == s))
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
    async fn agency(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Agency> {
        let scope = Scope::of(ctx)?;
        Ok(scope.agency(AgencyId(parse(&id, Kind::Agency, "id")?))?)
    }

    /// Accountability by head of agency: each head's tenure, what fell due in it, and
    /// the "no emulation rewards" flag with its reasons. With `asOf`, as it stood then.
    async fn accountability(
        &self,
        ctx: &Context<'_>,
        jurisdiction: Option<String>,
        year: Option<i32>,
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<HeadAccountabilityView>> {
        let scope = Scope::of(ctx)?;
        scope.require_overview()?;
        let jurisdiction = scoped_jurisdiction(&scope, jurisdiction)?;
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
                head: crate::types::HeadView::of(&r.head),
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

    /// One-stop dossier statistics (form II.06a) added up per month, quarter, half-year
    /// or year over the agencies of a jurisdiction (yours, if your token names one) whose
    /// records you may see: the province's totals, with the rates computed on the sums.
    /// Agencies' totals are added, or with `field` that field's reports only.
    #[allow(clippy::too_many_arguments)]
    async fn dossier_totals(
        &self,
        ctx: &Context<'_>,
        jurisdiction: Option<String>,
        field: Option<String>,
        #[graphql(default_with = "crate::evaluations::PeriodKind::Quarter")]
        period: crate::evaluations::PeriodKind,
        from: Option<chrono::NaiveDate>,
        to: Option<chrono::NaiveDate>,
    ) -> async_graphql::Result<crate::evaluations::DossierTotalsView> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scoped_jurisdiction(&scope, jurisdiction)?;
        Ok(crate::evaluations::totals(
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
        year: i32,
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<Vec<crate::evaluations::SipasView>> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scoped_jurisdiction(&scope, jurisdiction)?;
        Ok(crate::evaluations::sipas(
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
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<Vec<crate::bands::BandScheme>> {
        let scope = Scope::of(ctx)?;
        let asked = jurisdiction.map(|j| j.trim().to_uppercase());
        // National schemes are everyone's to read.
        let jurisdiction = match asked.as_deref() {
            Some(reform_domain::NATIONAL) => asked,
            _ => scoped_jurisdiction(&scope, asked)?,
        };
        Ok(crate::bands::schemes(&scope.model, jurisdiction.as_deref()))
    }

    /// PAR INDEX league tables of a year by block: ranks (ties share one), bands,
    /// not-evaluated agencies apart, the block average and its change.
    async fn par_ranking(
        &self,
        ctx: &Context<'_>,
        year: i32,
        jurisdiction: Option<String>,
        block: Option<BlockCode>,
    ) -> async_graphql::Result<Vec<BlockTableView>> {
        let scope = Scope::of(ctx)?;
        let jurisdiction = scoped_jurisdiction(&scope, jurisdiction)?;
        let gateway = gateway(ctx)?;
        let block = block.map(|b| reform_domain::Block::from(b).code());
        Ok(
            queries::league_tables(&scope.model, year, jurisdiction.as_deref(), &gateway.bands)
                .into_iter()
                .filter(|t| block.is_none_or(|b| t.block == b))
                .map(|t| BlockTableView {
                    block: BlockInfo::from_code(&t.block),
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

    /// The audit log, newest first: who changed what, when and why, each entry with
    /// the fields it changed (old → new). Auditors and leaders; a leader bound to a
    /// jurisdiction sees the entries of its entities only (a page may then hold fewer
    /// than `first`).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        first: i32,
        after: Option<String>,
    ) -> async_graphql::Result<AuditEntryConnection> {
        let scope = Scope::of(ctx)?;
        scope.viewer.require(
            &[reform_domain::Role::Auditor, reform_domain::Role::Leader],
            "read the audit log",
        )?;
        let filter = filter.unwrap_or_default().to_filter()?;
        if !(0..=100).contains(&first) {
            return Err(ApiError::bad_input("first", "between 0 and 100").into());
        }
        let before = match &after {
            None => None,
            Some(c) => Some(
                crate::relay::cursor_key(c, "after")?
                    .parse::<u64>()
                    .map_err(|_| ApiError::bad_input("after", "not a cursor this API gave out"))?,
            ),
        };
        let store = gateway(ctx)?.handler.store().clone();
        // One more than asked tells whether there is a next page.
        let limit = u32::try_from(first).unwrap_or(0) + 1;
        let mut events = store
            .read_audit(&filter, before, limit)
            .await
            .map_err(ApiError::from)?;
        let has_next_page = events.len() > usize::try_from(first).unwrap_or(0);
        events.truncate(usize::try_from(first).unwrap_or(0));
        let mut streams: Vec<reform_domain::StreamId> =
            events.iter().map(|e| e.stream_id.clone()).collect();
        streams.sort();
        streams.dedup();
        let histories = store.read_streams(&streams).await.map_err(ApiError::from)?;
        let end = events.last().map(|e| e.position);
        let entries = crate::audit::entries(&scope, events, &histories)?;
        let edges: Vec<AuditEntryEdge> = entries
            .into_iter()
            .map(|node| AuditEntryEdge {
                cursor: cursor(&node.position.to_string()),
                node,
            })
            .collect();
        Ok(AuditEntryConnection {
            nodes: edges.iter().map(|e| e.node.clone()).collect(),
            page_info: PageInfo {
                has_next_page,
                has_previous_page: before.is_some(),
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: end.map(|p| cursor(&p.to_string())),
            },
            edges,
        })
    }

    /// Checks the event log's hash chain end to end (auditors and leaders): whether
    /// it is intact, how many events were checked and the head's digest — or the first
    /// event found changed, removed, inserted or moved. With `against` (a digest kept
    /// from an earlier check), also whether the log still passes through it.
    async fn verify_audit(
        &self,
        ctx: &Context<'_>,
        against: Option<String>,
    ) -> async_graphql::Result<AuditVerification> {
        let scope = Scope::of(ctx)?;
        scope.viewer.require(
            &[reform_domain::Role::Auditor, reform_domain::Role::Leader],
            "verify the audit log",
        )?;
        let against = against
            .map(|d| d.parse::<reform_store::chain::Digest>())
            .transpose()
            .map_err(|e| ApiError::bad_input("against", e))?;
        let store = gateway(ctx)?.handler.store().clone();
        let verification = reform_store::verify(store.as_ref(), None, None, against)
            .await
            .map_err(ApiError::from)?;
        Ok(match verification.outcome {
            Ok(digest) => AuditVerification {
                intact: true,
                checked: verification.checked,
                digest: Some(digest.to_string()),
                breach: None,
            },
            Err(breach) => AuditVerification {
                intact: false,
                checked: verification.checked,
                digest: None,
                breach: Some(AuditBreach {
                    position: breach.position,
                    problem: breach.problem,
                }),
            },
        })
    }

    /// Indicators with targets, measurements and their trajectory (RAG). With
    /// `asOf`, as they stood then.
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

fn optional(id: &Option<ID>, kind: Kind, field: &str) -> Result<Option<uuid::Uuid>, ApiError> {
    id.as_ref().map(|id| parse(id, kind, field)).transpose()
}

/// The jurisdiction a viewer asks about: theirs when they serve one (asking about
/// another is refused), else what they asked.
fn scoped_jurisdiction(scope: &Scope, asked: Option<String>) -> Result<Option<String>, ApiError> {
    match (&scope.viewer.jurisdiction, asked) {
        (Some(mine), Some(asked)) if *mine != asked => Err(ApiError::Forbidden(format!(
            "you serve {mine}, not {asked}"
        ))),
        (Some(mine), _) => Ok(Some(mine.clone())),
        (None, asked) => Ok(asked),
    }
}

fn resolve_node(scope: &Scope, id: &ID) -> Result<Node, ApiError> {
    let (kind, uuid) = parse_any(id)?;
    Ok(match kind {
        Kind::Program | Kind::Directive | Kind::Plan => scope.document(DocumentId(uuid))?.into(),
        Kind::Task => Node::Task(scope.task(TaskId(uuid))?),
        Kind::Agency => Node::Agency(scope.agency(AgencyId(uuid))?),
        Kind::Indicator => Node::Indicator(scope.indicator(IndicatorId(uuid))?),
    })
}
