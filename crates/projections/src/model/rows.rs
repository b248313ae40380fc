//! The read-model's rows: what each agency, document, task, evaluation, indicator and
//! jurisdiction looks like to the views and the tables.

use chrono::NaiveDate;
use reform_domain::{
    AgencyId, AgencyTier, BandDefinition, Block, Direction, DocumentId, IndicatorId,
    JurisdictionLevel, Pillar, RollupRule, TaskCategory, TaskId, Timeliness,
};

use crate::vocab::{AgencyRowStatus, DocumentRowKind, TaskRowStatus};

/// An agency as the views show it.
#[derive(Clone, Debug, PartialEq)]
pub struct AgencyRow {
    /// Identifier.
    pub agency_id: AgencyId,
    /// Current name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Tier.
    pub tier: AgencyTier,
    /// PAR block, if ranked.
    pub block: Option<Block>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Parent agency.
    pub parent_id: Option<AgencyId>,
    /// Active, merged or dissolved.
    pub status: AgencyRowStatus,
    /// Successor after a merger.
    pub successor_id: Option<AgencyId>,
    /// Date it ceased.
    pub ceased_on: Option<NaiveDate>,
}

/// A program, directive or plan.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentRow {
    /// Identifier.
    pub document_id: DocumentId,
    /// Program, directive or plan.
    pub kind: DocumentRowKind,
    /// Number and symbol.
    pub number: String,
    /// Title.
    pub title: String,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Program: parent program. Directive: its program. Plan: what it implements.
    pub parent_id: Option<DocumentId>,
    /// Issuing agency (plans).
    pub issuing_agency_id: Option<AgencyId>,
    /// First year covered.
    pub from_year: Option<i32>,
    /// Last year covered.
    pub to_year: Option<i32>,
    /// Programs: the roll-up rule in force.
    pub rollup_rule: Option<RollupRule>,
}

/// A task with where it stands. "Overdue" is not stored: it depends on the day asked.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskRow {
    /// Identifier.
    pub task_id: TaskId,
    /// Plan.
    pub plan_id: DocumentId,
    /// Parent task.
    pub parent_task_id: Option<TaskId>,
    /// Pillar or cross-cutting work.
    pub category: TaskCategory,
    /// Pillar, when the task belongs to one.
    pub pillar: Option<Pillar>,
    /// Title.
    pub title: String,
    /// Title folded for search.
    pub search: String,
    /// Lead agency.
    pub lead_id: AgencyId,
    /// Coordinating agencies.
    pub coordinator_ids: Vec<AgencyId>,
    /// Deadline; `None` for ongoing work.
    pub deadline: Option<NaiveDate>,
    /// The task's own lifecycle: not started, in progress (progress reported),
    /// completed or cancelled. What the views show is its figure
    /// ([`ProgressModel::task_figure`]), which also weighs its subtasks.
    pub status: TaskRowStatus,
    /// Its own percent: 100 once completed, else the lead's last report. What the
    /// views show is its figure ([`ProgressModel::task_figure`]): a task with subtasks
    /// takes theirs, and the program's roll-up rule applies.
    pub percent: u8,
    /// The lead's last report.
    pub lead_percent: u8,
    /// Roll-up weight.
    pub weight: u32,
    /// Date of the last progress report, by anyone.
    pub last_reported_on: Option<NaiveDate>,
    /// Completion date.
    pub completed_on: Option<NaiveDate>,
    /// Early, on time or late, once completed.
    pub timeliness: Option<Timeliness>,
    /// Days late at completion.
    pub days_late: Option<u32>,
    /// Agencies it was inherited from as lead through mergers (a coordinator's
    /// successor only coordinates it).
    pub inherited_from: Vec<AgencyId>,
    /// Its deadlines and closings by day, for questions about a past day.
    pub history: TaskHistory,
}

impl TaskRow {
    /// Neither completed nor cancelled.
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// Open now and past its deadline on `today`: how the task stands on `today` as
    /// recorded now (see [`TaskRow::overdue_on`] for a past day as it stood then).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.deadline.is_some_and(|d| d < today)
    }

    /// Overdue on `day` as things stood on that day: entered by then, not completed
    /// (by its completion date) or cancelled by then, and past the deadline in force
    /// that day. A task completed on 15/4 against a deadline of 31/3 was overdue on 1/4.
    pub fn overdue_on(&self, day: NaiveDate) -> bool {
        self.history.open_on(day) && self.history.deadline_on(day).is_some_and(|d| d < day)
    }
}

/// A deadline and the day it took effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatedDeadline {
    /// The day it took effect (the business date of the event that set it).
    pub from: NaiveDate,
    /// The deadline; `None` for ongoing work.
    pub deadline: Option<NaiveDate>,
}

/// A closing (completion or cancellation) or reopening and its day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DatedOpening {
    /// The day: a completion's own completion date, else the business date of the
    /// event.
    pub on: NaiveDate,
    /// Whether the task is open from that day (reopened) or not (completed, cancelled).
    pub open: bool,
}

/// What a task's record said on each day: when it was entered, each deadline from the
/// day it took effect, each closing and reopening — so that "overdue on 1/4" is
/// answered as things stood on 1/4, not as they stand now. Entries are kept in the
/// order recorded; on a day, the last one recorded whose day has come holds.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TaskHistory {
    /// The day it was entered (the business date of its creation).
    pub entered_on: NaiveDate,
    /// Its deadlines, the creation's first.
    pub deadlines: Vec<DatedDeadline>,
    /// Its closings and reopenings.
    pub openings: Vec<DatedOpening>,
}

impl TaskHistory {
    pub(super) fn entered(on: NaiveDate, deadline: Option<NaiveDate>) -> TaskHistory {
        TaskHistory {
            entered_on: on,
            deadlines: vec![DatedDeadline { from: on, deadline }],
            openings: Vec::new(),
        }
    }

    /// The deadline in force on `day`; `None` for ongoing work or before it was entered.
    pub fn deadline_on(&self, day: NaiveDate) -> Option<NaiveDate> {
        self.deadlines
            .iter()
            .rev()
            .find(|d| d.from <= day)
            .and_then(|d| d.deadline)
    }

    /// Whether it was on record and open (neither completed nor cancelled) on `day`.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.entered_on <= day
            && self
                .openings
                .iter()
                .rev()
                .find(|o| o.on <= day)
                .is_none_or(|o| o.open)
    }
}

/// A published PAR INDEX result.
#[derive(Clone, Debug, PartialEq)]
pub struct ParRow {
    /// Agency.
    pub agency_id: AgencyId,
    /// Year evaluated.
    pub year: i32,
    /// Block.
    pub block: Block,
    /// Total points; `None` when not evaluated.
    pub total: Option<f64>,
    /// Why not evaluated.
    pub not_evaluated_reason: Option<String>,
    /// Publishing decision.
    pub decision: Option<String>,
    /// The agency's own total, before appraisal.
    pub self_assessed_total: Option<f64>,
    /// Bonus points in the total.
    pub bonus_points: Option<f64>,
    /// Scores per field (lĩnh vực), self-assessed and appraised.
    pub field_scores: Vec<reform_domain::FieldScore>,
}

/// One head of agency's time in office.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HeadTenure {
    /// Name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day, once ended (a merger or dissolution also ends it: see the agency row).
    pub to: Option<NaiveDate>,
    /// Appointing decision.
    pub decision: Option<String>,
}

/// A SIPAS result.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SipasResult {
    /// Year surveyed.
    pub year: i32,
    /// Satisfaction, percent.
    pub percent: f64,
    /// People surveyed, when reported.
    #[serde(default)]
    pub respondents: Option<u64>,
}

/// One-stop dossier statistics for a period (the counts the views use).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DossierPeriod {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Field, when reported per field.
    pub field: Option<String>,
    /// The report's figures (form II.06a).
    pub counts: reform_domain::DossierCounts,
    /// Satisfaction percent, if surveyed.
    pub satisfaction_percent: Option<f64>,
}

impl DossierPeriod {
    /// Share of resolved dossiers resolved early or on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        self.counts.on_time_rate()
    }
}

/// An agency's heads, SIPAS results and dossier statistics.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AgencyRecords {
    /// Heads, oldest first.
    pub heads: Vec<HeadTenure>,
    /// SIPAS by year.
    pub sipas: Vec<SipasResult>,
    /// Dossier statistics by period.
    pub dossiers: Vec<DossierPeriod>,
}

/// A yearly target.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// The year (reached by 31 December).
    pub year: i32,
    /// The value.
    pub value: f64,
}

/// A measurement.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MeasuredValue {
    /// The day it speaks for.
    pub on: NaiveDate,
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: Option<String>,
}

/// A jurisdiction of the register.
#[derive(Clone, Debug, PartialEq)]
pub struct JurisdictionRow {
    /// Its code (VN, VN-DN…).
    pub code: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Nation, province, district or commune.
    pub level: JurisdictionLevel,
    /// The jurisdiction it lies in.
    pub parent: Option<String>,
    /// The day it came into being.
    pub established_on: NaiveDate,
    /// The jurisdiction it merged into.
    pub successor: Option<String>,
    /// The first day of the successor's responsibility.
    pub merged_on: Option<NaiveDate>,
}

/// A jurisdiction's PAR INDEX band schemes.
#[derive(Clone, Debug, PartialEq)]
pub struct BandSchemeRow {
    /// The jurisdiction (VN, VN-DN…).
    pub jurisdiction: String,
    /// Its schemes by the first year each applies to, bands best first.
    pub schemes: std::collections::BTreeMap<i32, Vec<BandDefinition>>,
}

/// An indicator with its targets and measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRow {
    /// Identifier.
    pub indicator_id: IndicatorId,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Whether higher or lower is better.
    pub direction: Direction,
    /// Baseline value.
    pub baseline: Option<f64>,
    /// Baseline date.
    pub baseline_on: Option<NaiveDate>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Targets by year, ascending.
    pub targets: Vec<Target>,
    /// Measurements, by date.
    pub measurements: Vec<MeasuredValue>,
}
