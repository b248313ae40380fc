//! Measures' events: indicators with targets and measurements, PAR INDEX results and their
//! band schemes, SIPAS, one-stop dossier statistics.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, DocumentId, IndicatorId};
use crate::vocab::{Block, Direction};

/// One field of a PAR INDEX evaluation (lĩnh vực), e.g. "Cải cách thể chế".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FieldScore {
    /// Field code or name as in the method (e.g. "INSTITUTIONAL", "DIRECTION").
    pub field: String,
    /// Maximum points of the field.
    pub max_points: f64,
    /// Points the agency gave itself.
    pub self_assessed: Option<f64>,
    /// Points after appraisal (thẩm định).
    pub appraised: f64,
}

/// The outcome of a PAR INDEX evaluation for one agency and year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParOutcome {
    /// Scored. The total may exceed 100 with bonus points.
    Scored {
        /// Scores by field (may be empty when only totals were published).
        field_scores: Vec<FieldScore>,
        /// Bonus points (điểm thưởng) on top of the fields; why a total can exceed 100.
        bonus_points: Option<f64>,
        /// Self-assessed total.
        self_assessed_total: Option<f64>,
        /// Appraised total: the published figure.
        total: f64,
    },
    /// Not evaluated that year (e.g. Hoàng Sa).
    NotEvaluated {
        /// Why not.
        reason: String,
    },
}

/// A one-stop dossier report in the shape of form II.06a. Balances by construction:
/// received = resolved + in process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DossierCounts {
    /// Received online.
    pub received_online: u64,
    /// Received in person or by post.
    pub received_in_person: u64,
    /// Carried over from the previous period.
    pub carried_over: u64,
    /// Resolved before the deadline.
    pub resolved_early: u64,
    /// Resolved on the deadline.
    pub resolved_on_time: u64,
    /// Resolved after the deadline.
    pub resolved_late: u64,
    /// Still in process, within the deadline.
    pub in_process_within_deadline: u64,
    /// Still in process, past the deadline.
    pub in_process_overdue: u64,
    /// Apology letters issued for late dossiers (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    pub apology_letters: u64,
    /// Dossiers whose results were digitised, if reported.
    pub digitised: Option<u64>,
}

impl DossierCounts {
    /// Dossiers received: online + in person + carried over.
    pub fn received(&self) -> u64 {
        self.received_online
            .saturating_add(self.received_in_person)
            .saturating_add(self.carried_over)
    }

    /// Dossiers resolved: early + on time + late.
    pub fn resolved(&self) -> u64 {
        self.resolved_early
            .saturating_add(self.resolved_on_time)
            .saturating_add(self.resolved_late)
    }

    /// Dossiers still in process: within deadline + overdue.
    pub fn in_process(&self) -> u64 {
        self.in_process_within_deadline
            .saturating_add(self.in_process_overdue)
    }

    /// Share of the period's new dossiers received online (carried-over ones left out).
    pub fn online_share(&self) -> Option<f64> {
        ratio(
            self.received_online,
            self.received_online.saturating_add(self.received_in_person),
        )
    }

    /// Share of resolved dossiers resolved early or on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(
            self.resolved_early.saturating_add(self.resolved_on_time),
            self.resolved(),
        )
    }

    /// Share of received dossiers resolved in the period.
    pub fn completion_rate(&self) -> Option<f64> {
        ratio(self.resolved(), self.received())
    }

    /// Share of received dossiers whose results were digitised, when reported.
    pub fn digitised_rate(&self) -> Option<f64> {
        ratio(self.digitised?, self.received())
    }

    /// Two reports added up, as for a province's total. Digitised counts add up only
    /// when both report them.
    pub fn plus(&self, other: &DossierCounts) -> DossierCounts {
        DossierCounts {
            received_online: self.received_online.saturating_add(other.received_online),
            received_in_person: self
                .received_in_person
                .saturating_add(other.received_in_person),
            carried_over: self.carried_over.saturating_add(other.carried_over),
            resolved_early: self.resolved_early.saturating_add(other.resolved_early),
            resolved_on_time: self.resolved_on_time.saturating_add(other.resolved_on_time),
            resolved_late: self.resolved_late.saturating_add(other.resolved_late),
            in_process_within_deadline: self
                .in_process_within_deadline
                .saturating_add(other.in_process_within_deadline),
            in_process_overdue: self
                .in_process_overdue
                .saturating_add(other.in_process_overdue),
            apology_letters: self.apology_letters.saturating_add(other.apology_letters),
            digitised: self
                .digitised
                .zip(other.digitised)
                .map(|(a, b)| a.saturating_add(b)),
        }
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A PAR INDEX band: its name as printed ("Xuất sắc", "A") and the lowest total
/// that earns it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDefinition {
    /// Name.
    pub name: String,
    /// Lowest total in the band (0 for the last band).
    pub min_total: f64,
}

payloads! {
    /// A jurisdiction's PAR INDEX bands from a year on (until a later year's scheme).
    BandSchemeSet {
        /// VN for the national scheme, VN-DN…
        jurisdiction: String,
        /// The first year evaluated with these bands.
        from_year: i32,
        /// The bands, best first.
        bands: Vec<BandDefinition>,
        /// True when it replaces a scheme set for the same year.
        correction: bool,
    }
    /// An indicator was defined.
    IndicatorDefined {
        /// The indicator.
        indicator_id: IndicatorId,
        /// Stable code, e.g. "ONLINE_PROCEDURES_L34".
        code: String,
        /// Name.
        name: String,
        /// Unit, e.g. "%".
        unit: String,
        /// Higher or lower is better.
        direction: Direction,
        /// Baseline value.
        baseline: Option<f64>,
        /// Date of the baseline.
        baseline_on: Option<NaiveDate>,
        /// Jurisdiction code.
        jurisdiction: String,
        /// The program that set it.
        program: Option<DocumentId>,
    }
    /// A target was set for an indicator for a year (replacing any earlier one).
    IndicatorTargetSet {
        /// The indicator.
        indicator_id: IndicatorId,
        /// The year.
        year: i32,
        /// The target value.
        value: f64,
    }
    /// An indicator was measured.
    IndicatorMeasured {
        /// The indicator.
        indicator_id: IndicatorId,
        /// Date the measurement speaks for.
        measured_on: NaiveDate,
        /// The value.
        value: f64,
        /// Where it comes from.
        source: Option<String>,
    }
    /// A PAR INDEX result was published for an agency and year.
    ParIndexPublished {
        /// The agency.
        agency_id: AgencyId,
        /// The year evaluated.
        year: i32,
        /// The block it was ranked in.
        block: Block,
        /// Scores or "not evaluated".
        outcome: ParOutcome,
        /// The publishing decision, e.g. "1234/QĐ-UBND".
        decision: Option<String>,
        /// True when it replaces an earlier publication for the same year.
        correction: bool,
    }
    /// A SIPAS (satisfaction) result was published.
    SipasPublished {
        /// The agency (a province's People's Committee, a ministry…).
        agency_id: AgencyId,
        /// The year surveyed.
        year: i32,
        /// Satisfaction index, percent.
        satisfaction_percent: f64,
        /// Respondents, if known.
        respondents: Option<u64>,
        /// True when it replaces an earlier publication for the same year.
        correction: bool,
    }
    /// One-stop dossier statistics were reported for a period.
    DossierStatisticsReported {
        /// The reporting agency.
        agency_id: AgencyId,
        /// First day of the period.
        period_from: NaiveDate,
        /// Last day of the period.
        period_to: NaiveDate,
        /// Field (lĩnh vực), when reported per field.
        field: Option<String>,
        /// The counts.
        counts: DossierCounts,
        /// Satisfaction percent, if surveyed.
        satisfaction_percent: Option<f64>,
        /// True when it replaces an earlier report for the same period and field.
        correction: bool,
    }
}
