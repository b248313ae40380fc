//! Evaluations: PAR INDEX results in full (fields, self-assessed against appraised,
//! bonus points, band, rank, change on the year before), SIPAS, and one-stop dossier
//! statistics with their derived rates, per agency and added up per period.

pub(crate) mod bands;
pub(crate) mod league;
pub(crate) mod mutation;
pub(crate) mod query;

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::NaiveDate;
use reform_domain::DossierCounts;
use reform_projections::queries::{self, DossierPeriodKind};
use reform_projections::{AgencyRow, ParRow};

use crate::scope::{gateway, Scope};
use crate::vocab::BlockInfo;

/// The figures of form II.06a, with the rates derived from them.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "DossierCounts")]
pub struct DossierCountsView {
    /// Received online.
    pub received_online: u64,
    /// Received in person or by post.
    pub received_in_person: u64,
    /// Carried over from the period before.
    pub carried_over: u64,
    /// Received in all: online + in person + carried over.
    pub received: u64,
    /// Resolved before the deadline.
    pub resolved_early: u64,
    /// Resolved on the deadline.
    pub resolved_on_time: u64,
    /// Resolved after the deadline.
    pub resolved_late: u64,
    /// Resolved in all.
    pub resolved: u64,
    /// In process, within the deadline.
    pub in_process_within_deadline: u64,
    /// In process, past the deadline.
    pub in_process_overdue: u64,
    /// In process in all.
    pub in_process: u64,
    /// Apology letters issued for late dossiers.
    pub apology_letters: u64,
    /// Results digitised, when reported.
    pub digitised: Option<u64>,
    /// Share of new dossiers received online (0–1).
    pub online_share: Option<f64>,
    /// Share of resolved dossiers resolved early or on time (0–1).
    pub on_time_rate: Option<f64>,
    /// Share of received dossiers resolved (0–1).
    pub completion_rate: Option<f64>,
    /// Share of received dossiers whose results were digitised (0–1).
    pub digitised_rate: Option<f64>,
}

impl From<&DossierCounts> for DossierCountsView {
    fn from(c: &DossierCounts) -> Self {
        DossierCountsView {
            received_online: c.received_online,
            received_in_person: c.received_in_person,
            carried_over: c.carried_over,
            received: c.received(),
            resolved_early: c.resolved_early,
            resolved_on_time: c.resolved_on_time,
            resolved_late: c.resolved_late,
            resolved: c.resolved(),
            in_process_within_deadline: c.in_process_within_deadline,
            in_process_overdue: c.in_process_overdue,
            in_process: c.in_process(),
            apology_letters: c.apology_letters,
            digitised: c.digitised,
            online_share: c.online_share(),
            on_time_rate: c.on_time_rate(),
            completion_rate: c.completion_rate(),
            digitised_rate: c.digitised_rate(),
        }
    }
}

/// Calendar periods to add dossier statistics up by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "DossierPeriodKind")]
pub enum PeriodKind {
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Halves of the year (6 tháng).
    HalfYear,
    /// Years.
    Year,
}

impl From<PeriodKind> for DossierPeriodKind {
    fn from(k: PeriodKind) -> Self {
        match k {
            PeriodKind::Month => DossierPeriodKind::Month,
            PeriodKind::Quarter => DossierPeriodKind::Quarter,
            PeriodKind::HalfYear => DossierPeriodKind::HalfYear,
            PeriodKind::Year => DossierPeriodKind::Year,
        }
    }
}

/// Dossier statistics added up over agencies for one period.
#[derive(SimpleObject)]
pub struct DossierTotalView {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Agencies whose reports are in it.
    pub agencies: usize,
    /// Reports added up.
    pub reports: usize,
    /// The sums, and the rates computed on them.
    pub counts: DossierCountsView,
}

/// Dossier statistics per period.
#[derive(SimpleObject)]
pub struct DossierTotalsView {
    /// Periods with reports, oldest first.
    pub periods: Vec<DossierTotalView>,
    /// Reports left out because they span more than one period of the kind asked.
    pub left_out: usize,
}

/// Adds up the dossier statistics of the agencies the viewer may see the records of.
pub(crate) fn totals(
    scope: &Scope,
    jurisdiction: Option<&str>,
    field: Option<&str>,
    kind: PeriodKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> DossierTotalsView {
    let sums = queries::dossier_totals(
        &scope.model,
        |a: &AgencyRow| {
            scope.viewer.sees_records_of(&scope.model, a)
                && scope.model.lies_in(&a.jurisdiction, jurisdiction)
        },
        field,
        kind.into(),
        from,
        to,
    );
    DossierTotalsView {
        periods: sums
            .periods
            .iter()
            .map(|p| DossierTotalView {
                from: p.from,
                to: p.to,
                agencies: p.agencies,
                reports: p.reports,
                counts: DossierCountsView::from(&p.counts),
            })
            .collect(),
        left_out: sums.left_out,
    }
}

/// One field's score.
#[derive(SimpleObject)]
pub struct FieldScoreView {
    /// The field (lĩnh vực).
    pub field: String,
    /// Its maximum points.
    pub max_points: f64,
    /// The agency's own score, when reported.
    pub self_assessed: Option<f64>,
    /// The score after appraisal.
    pub appraised: f64,
    /// Appraised − self-assessed.
    pub adjustment: Option<f64>,
}

/// A PAR INDEX result for one year.
#[derive(SimpleObject)]
pub struct ParResultView {
    /// The year evaluated.
    pub year: i32,
    /// The block it is ranked in.
    pub block: Option<BlockInfo>,
    /// Total after appraisal (may exceed 100 with bonus points); null when not evaluated.
    pub total: Option<f64>,
    /// The agency's own total.
    pub self_assessed_total: Option<f64>,
    /// Total − self-assessed total: what the appraisal changed.
    pub adjustment: Option<f64>,
    /// Bonus points in the total.
    pub bonus_points: Option<f64>,
    /// Scores per field.
    pub field_scores: Vec<FieldScoreView>,
    /// Why not evaluated.
    pub not_evaluated_reason: Option<String>,
    /// The decision that published it.
    pub decision: Option<String>,
    /// Its band under the jurisdiction's scheme for that year.
    pub band: Option<String>,
    /// Rank within its block and jurisdiction that year; ties share a rank.
    pub rank: Option<usize>,
    /// Total − the year before's total.
    pub change: Option<f64>,
}

/// An agency's PAR INDEX results, oldest first.
pub(crate) fn par_results(
    ctx: &Context<'_>,
    scope: &Scope,
    agency: &AgencyRow,
) -> async_graphql::Result<Vec<ParResultView>> {
    let fallback = &gateway(ctx)?.bands;
    let model = &scope.model;
    let mut rows: Vec<&ParRow> = model
        .par
        .values()
        .filter(|p| p.agency_id == agency.agency_id)
        .collect();
    rows.sort_by_key(|p| p.year);
    Ok(rows
        .iter()
        .map(|p| {
            let band = p.total.and_then(|t| {
                queries::band_of(
                    queries::bands_for(model, &agency.jurisdiction, p.year, fallback),
                    t,
                )
                .map(|b| b.name.clone())
            });
            let rank = p.total.and_then(|_| {
                queries::league_tables(model, p.year, Some(&agency.jurisdiction), fallback)
                    .into_iter()
                    .find(|t| t.block == p.block)
                    .and_then(|t| {
                        t.ranked
                            .into_iter()
                            .find(|e| e.agency_id == agency.agency_id)
                    })
                    .map(|e| e.rank)
            });
            let previous = model
                .par
                .get(&(agency.agency_id, p.year - 1))
                .and_then(|r| r.total);
            ParResultView {
                year: p.year,
                block: Some(BlockInfo::from(p.block)),
                total: p.total,
                self_assessed_total: p.self_assessed_total,
                adjustment: p.total.zip(p.self_assessed_total).map(|(t, s)| t - s),
                bonus_points: p.bonus_points,
                field_scores: p
                    .field_scores
                    .iter()
                    .map(|f| FieldScoreView {
                        field: f.field.clone(),
                        max_points: f.max_points,
                        self_assessed: f.self_assessed,
                        appraised: f.appraised,
                        adjustment: f.self_assessed.map(|s| f.appraised - s),
                    })
                    .collect(),
                not_evaluated_reason: p.not_evaluated_reason.clone(),
                decision: p.decision.clone(),
                band,
                rank,
                change: p.total.zip(previous).map(|(t, b)| t - b),
            }
        })
        .collect())
}

/// A SIPAS result: citizens' satisfaction with an agency's services in a year.
#[derive(SimpleObject)]
pub struct SipasView {
    /// The agency surveyed (a province's People's Committee for the province's index).
    pub agency: Option<crate::agency::Agency>,
    /// Its name.
    pub name: String,
    /// Its jurisdiction.
    pub jurisdiction: String,
    /// Its jurisdiction's name in the register, else the code.
    pub jurisdiction_name: String,
    /// The year surveyed.
    pub year: i32,
    /// Satisfaction, percent.
    pub satisfaction_percent: f64,
    /// People surveyed, when reported.
    pub respondents: Option<u64>,
    /// Percentage points on the year before.
    pub change: Option<f64>,
}

/// SIPAS results of the agencies the viewer may see the records of: of one agency, or
/// of a year (best first), in a jurisdiction.
pub(crate) fn sipas(
    scope: &Scope,
    agency: Option<reform_domain::AgencyId>,
    year: Option<i32>,
    jurisdiction: Option<&str>,
) -> Vec<SipasView> {
    let model = &scope.model;
    let mut out = Vec::new();
    for (id, records) in &model.records {
        let Some(row) = model.agencies.get(id) else {
            continue;
        };
        if agency.is_some_and(|a| a != *id)
            || !model.lies_in(&row.jurisdiction, jurisdiction)
            || !scope.viewer.sees_published_results_of(model, row)
        {
            continue;
        }
        for s in records
            .sipas
            .iter()
            .filter(|s| year.is_none_or(|y| s.year == y))
        {
            let before = records.sipas.iter().find(|b| b.year == s.year - 1);
            out.push(SipasView {
                agency: scope.agency(*id).ok(),
                name: row.name.clone(),
                jurisdiction: row.jurisdiction.clone(),
                jurisdiction_name: model.jurisdiction_name(&row.jurisdiction).to_owned(),
                year: s.year,
                satisfaction_percent: s.percent,
                respondents: s.respondents,
                change: before.map(|b| s.percent - b.percent),
            });
        }
    }
    out.sort_by(|a, b| {
        a.year
            .cmp(&b.year)
            .then_with(|| b.satisfaction_percent.total_cmp(&a.satisfaction_percent))
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

/// One-stop dossier statistics of one period.
pub struct DossierPeriodView(pub(crate) reform_projections::DossierPeriod);

/// One-stop dossier statistics (hồ sơ một cửa) of one agency for one reported period.
#[Object(name = "DossierPeriod")]
impl DossierPeriodView {
    /// First day.
    async fn from(&self) -> NaiveDate {
        self.0.from
    }
    /// Last day.
    async fn to(&self) -> NaiveDate {
        self.0.to
    }
    /// The field (lĩnh vực), when reported per field; null for the agency's total.
    async fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    /// Dossiers received.
    async fn received(&self) -> u64 {
        self.0.counts.received()
    }
    /// Resolved early or on time.
    async fn resolved_in_time(&self) -> u64 {
        self.0
            .counts
            .resolved_early
            .saturating_add(self.0.counts.resolved_on_time)
    }
    /// Resolved late.
    async fn resolved_late(&self) -> u64 {
        self.0.counts.resolved_late
    }
    /// Still in process and past their deadline.
    async fn overdue(&self) -> u64 {
        self.0.counts.in_process_overdue
    }
    /// Share of resolved dossiers resolved in time.
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_rate()
    }
    /// Every figure of the report, with the rates derived from them.
    async fn counts(&self) -> crate::evaluation::DossierCountsView {
        (&self.0.counts).into()
    }
    /// Satisfaction percent, if surveyed.
    async fn satisfaction_percent(&self) -> Option<f64> {
        self.0.satisfaction_percent
    }
}
