//! Agencies (cơ quan, đơn vị): the directory, their heads, and each agency's
//! scorecard.

pub(crate) mod mutation;
pub(crate) mod query;

use async_graphql::{ComplexObject, Context, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use reform_domain::AgencyId;
use reform_projections::{queries, AgencyRow, HeadTenure};

use crate::error::ApiError;
use crate::evaluation::DossierPeriodView;
use crate::history::{history, stream_version, HistoryEntry};
use crate::relay::{global_id, Kind};
use crate::scope::{gateway, Found, Scope};
use crate::vocab::{AgencyTierInfo, BlockInfo};

/// An agency (cơ quan, đơn vị).
#[derive(Clone)]
pub struct Agency {
    scope: Scope,
    /// The row.
    pub row: AgencyRow,
}

impl Found for Agency {
    type Id = AgencyId;
    fn found(scope: &Scope, id: AgencyId) -> Option<Agency> {
        scope.agency(id).ok()
    }
}

impl Scope {
    /// An agency of the directory the viewer may see.
    pub fn agency(&self, id: AgencyId) -> Result<Agency, ApiError> {
        let row = self
            .model
            .agencies
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no agency {id}")))?;
        if !self.viewer.sees_agency(&self.model, row) {
            return Err(ApiError::Forbidden(
                "this agency is outside your jurisdiction".into(),
            ));
        }
        Ok(Agency {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// An agency named by a row the viewer already sees (a task's lead): shown whatever
    /// its jurisdiction.
    pub(crate) fn related_agency(&self, id: AgencyId) -> Option<Agency> {
        self.model.agencies.get(&id).map(|row| Agency {
            scope: self.clone(),
            row: row.clone(),
        })
    }
}

/// An agency (cơ quan, đơn vị): a ministry, a provincial People's Committee, a
/// department, a commune… with its names, heads over time, tasks and evaluations.
#[Object]
impl Agency {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Agency, self.row.agency_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.row.agency_id.0
    }
    /// Current name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// Short name.
    async fn short_name(&self) -> Option<&str> {
        self.row.short_name.as_deref()
    }
    /// The kind of agency.
    async fn tier(&self) -> Option<AgencyTierInfo> {
        Some(AgencyTierInfo::from(self.row.tier))
    }
    /// The PAR INDEX block it is ranked in.
    async fn block(&self) -> Option<BlockInfo> {
        self.row.block.map(BlockInfo::from)
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.row.jurisdiction
    }
    /// Its jurisdiction's name in the register ("Thành phố Đà Nẵng"), else the code.
    async fn jurisdiction_name(&self) -> &str {
        self.scope.model.jurisdiction_name(&self.row.jurisdiction)
    }
    /// `ACTIVE`, `MERGED` or `DISSOLVED`.
    async fn status(&self) -> &str {
        self.row.status.code()
    }
    /// The agency it merged into.
    async fn successor(&self) -> Option<Agency> {
        self.row
            .successor_id
            .and_then(|a| self.scope.related_agency(a))
    }
    /// The day it ceased.
    async fn ceased_on(&self) -> Option<NaiveDate> {
        self.row.ceased_on
    }
    /// The agencies merged into it: their records (PAR INDEX results, dossier
    /// statistics) stay theirs, reached from here.
    async fn predecessors(&self) -> Vec<Agency> {
        let mut found: Vec<Agency> = self
            .scope
            .model
            .agencies
            .values()
            .filter(|a| a.successor_id == Some(self.row.agency_id))
            .filter_map(|a| self.scope.related_agency(a.agency_id))
            .collect();
        found.sort_by(|a, b| a.row.name.cmp(&b.row.name));
        found
    }
    /// Its PAR INDEX results, oldest first: per field and in total, self-assessed
    /// against appraised, band under its jurisdiction's scheme for the year, rank in
    /// its block, change on the year before. Published results: every role may read
    /// them.
    async fn par_results(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::evaluation::ParResultView>> {
        crate::evaluation::par_results(ctx, &self.scope, &self.row)
    }
    /// Its SIPAS results (satisfaction surveys), oldest first. Published results:
    /// every role may read them.
    async fn sipas_results(&self) -> async_graphql::Result<Vec<crate::evaluation::SipasView>> {
        Ok(crate::evaluation::sipas(
            &self.scope,
            Some(self.row.agency_id),
            None,
            None,
        ))
    }
    /// Its heads, oldest first; a tenure its agency's merger or dissolution ended
    /// ends the day before.
    async fn heads(&self) -> async_graphql::Result<Vec<HeadView>> {
        self.require_records()?;
        Ok(queries::heads_of(&self.scope.model, self.row.agency_id)
            .iter()
            .map(HeadView::of)
            .collect())
    }
    /// Its one-stop dossier statistics (mẫu II.06a), by period, oldest first; per field
    /// where reported per field.
    async fn dossier_statistics(&self) -> async_graphql::Result<Vec<DossierPeriodView>> {
        self.require_records()?;
        Ok(self
            .scope
            .model
            .records
            .get(&self.row.agency_id)
            .map(|r| r.dossiers.iter().cloned().map(DossierPeriodView).collect())
            .unwrap_or_default())
    }
    /// Tasks led and coordinated, on time, late and overdue, PAR band and rank,
    /// SIPAS, dossier on-time rate. With `asOf`, as it stood then.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn scorecard(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Option<ScorecardView>> {
        self.require_records()?;
        let scope = self.scope.at(ctx, as_of).await?;
        let bands = &gateway(ctx)?.bands;
        let tally = scope.tally(self.row.agency_id);
        Ok(
            queries::scorecard_with(&scope.model, self.row.agency_id, scope.today, bands, tally)
                .map(|card| ScorecardView::new(&scope, card)),
        )
    }
    /// Its version, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.row.agency_id.stream()).await
    }
    /// Everything that happened to it, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        self.require_records()?;
        history(ctx, &self.scope, &self.row.agency_id.stream()).await
    }
}

impl Agency {
    fn require_records(&self) -> Result<(), ApiError> {
        if self
            .scope
            .viewer
            .sees_records_of(&self.scope.model, &self.row)
        {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "an officer sees only their own agency's records".into(),
            ))
        }
    }
}

/// A head of agency's time in office.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "HeadTenure")]
pub struct HeadView {
    /// Name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day, once ended (by a successor's appointment, or by the agency's merger
    /// or dissolution).
    pub to: Option<NaiveDate>,
    /// Appointing decision.
    pub decision: Option<String>,
}

impl HeadView {
    /// From a tenure of the read-model.
    pub fn of(h: &HeadTenure) -> Self {
        HeadView {
            name: h.name.clone(),
            title: h.title.clone(),
            from: h.from,
            to: h.to,
            decision: h.decision.clone(),
        }
    }
}

/// An agency's scorecard.
#[derive(SimpleObject)]
#[graphql(complex, name = "Scorecard")]
pub struct ScorecardView {
    /// Tasks it leads that were its own from the start (cancelled left out).
    pub tasks_led: usize,
    /// Tasks it leads inherited from merged agencies, counted apart.
    pub tasks_inherited: usize,
    /// Tasks it coordinates.
    pub tasks_coordinated: usize,
    /// Led tasks completed early or on time.
    pub completed_in_time: usize,
    /// Led tasks completed late.
    pub completed_late: usize,
    /// Led tasks open and past their deadline on the day asked about.
    pub overdue_now: usize,
    /// Average days late of its late completions.
    pub average_days_late: Option<f64>,
    /// Its latest PAR INDEX result.
    pub par: Option<ParStandingView>,
    /// Its latest SIPAS satisfaction, percent.
    pub sipas_percent: Option<f64>,
    /// The year of that SIPAS result.
    pub sipas_year: Option<i32>,
    /// Share of dossiers resolved on time in its latest reported period.
    pub dossier_on_time_rate: Option<f64>,
    /// The last day of that period.
    pub dossier_period_to: Option<NaiveDate>,
    /// The head in office on the day asked about; for an agency that has ceased
    /// (merged, dissolved), its last head.
    pub head: Option<HeadView>,
    #[graphql(skip)]
    scope: Scope,
}

#[ComplexObject]
impl ScorecardView {
    /// The day it is judged on.
    async fn as_of(&self) -> NaiveDate {
        self.scope.today
    }
}

impl ScorecardView {
    fn new(scope: &Scope, card: queries::Scorecard) -> Self {
        ScorecardView {
            tasks_led: card.tasks_led,
            tasks_inherited: card.tasks_inherited,
            tasks_coordinated: card.tasks_coordinated,
            completed_in_time: card.completed_in_time,
            completed_late: card.completed_late,
            overdue_now: card.overdue_now,
            average_days_late: card.average_days_late,
            par: card.par.map(|p| ParStandingView {
                year: p.year,
                block: Some(BlockInfo::from(p.block)),
                total: p.total,
                band: p.band,
                rank: p.rank,
            }),
            sipas_percent: card.sipas.as_ref().map(|s| s.percent),
            sipas_year: card.sipas.as_ref().map(|s| s.year),
            dossier_on_time_rate: card.dossier_on_time_rate.map(|(_, r)| r),
            dossier_period_to: card.dossier_on_time_rate.map(|(d, _)| d),
            head: card.head.as_ref().map(HeadView::of),
            scope: scope.clone(),
        }
    }
}

/// A PAR INDEX result in its block.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "ParStanding")]
pub struct ParStandingView {
    /// The year evaluated.
    pub year: i32,
    /// The block.
    pub block: Option<BlockInfo>,
    /// Total points; null when not evaluated.
    pub total: Option<f64>,
    /// Band name (Xuất sắc, Tốt…).
    pub band: Option<String>,
    /// Rank within the block; ties share a rank.
    pub rank: Option<usize>,
}
