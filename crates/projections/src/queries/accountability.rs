//! Accountability by head of agency: what fell due in each tenure, and whether the head
//! should be considered for emulation rewards.

use chrono::NaiveDate;

use crate::figure::Standing;
use crate::model::{ProgressModel, TaskRow, TaskRowStatus};

use super::bands::{band_of, bands_for, Band};
use super::tenures::{heads_of, tenure_end};

/// When a head should not be considered for emulation rewards (thi đua, khen thưởng).
/// Provinces set their own practice, so the thresholds are data.
#[derive(Clone, Debug, PartialEq)]
pub struct RewardRule {
    /// Any task overdue by more than this many days disqualifies.
    pub max_days_overdue: i64,
    /// Below this share of due tasks completed early or on time disqualifies.
    pub min_on_time_rate: f64,
    /// A PAR band below this one disqualifies (bands ordered from best).
    pub min_band: Option<String>,
}

impl Default for RewardRule {
    /// The practice described by Hà Tĩnh's directive on administrative reform (reform
    /// results as a criterion for emulation and rewards) and Đà Nẵng's PAR INDEX 2022
    /// announcement: no task overdue more than 30 days, at least 80% on time, PAR band
    /// Khá or better.
    fn default() -> Self {
        RewardRule {
            max_days_overdue: 30,
            min_on_time_rate: 0.8,
            min_band: Some("Khá".into()),
        }
    }
}

/// One head's record for one tenure.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadAccountability {
    /// The agency.
    pub agency_id: reform_domain::AgencyId,
    /// Its name.
    pub agency_name: String,
    /// The head and the tenure (its end filled in when the agency's end ended it).
    pub head: crate::model::HeadTenure,
    /// The tenure's last day as counted (today while in office).
    pub counted_to: NaiveDate,
    /// Led tasks the tenure answers for (see [`answerable_on`]), within the year
    /// when asked: those falling due in it, and those completed in it before their
    /// deadline.
    pub tasks_due: usize,
    /// Of those, completed early or on time.
    pub completed_in_time: usize,
    /// Of those, completed late.
    pub completed_late: usize,
    /// Of those, open and past the deadline today.
    pub overdue_now: usize,
    /// The most days any of those is overdue today.
    pub worst_days_overdue: i64,
    /// Share of due tasks completed in time.
    pub on_time_rate: Option<f64>,
    /// PAR band of the year asked, or of the latest year in the tenure.
    pub par_band: Option<String>,
    /// Whether the head should not be considered for emulation rewards.
    pub no_emulation_reward: bool,
    /// Why, one line per reason.
    pub reasons: Vec<String>,
}

/// The agency that led `task` on `day`: its lead, or — walking back its mergers — the
/// merged agency it was inherited from, if that one had not yet ceased on `day`.
/// (A reassignment carries no date in the read-model, so it counts from the start.)
pub fn lead_on(model: &ProgressModel, task: &TaskRow, day: NaiveDate) -> reform_domain::AgencyId {
    let mut lead = task.lead_id;
    for from in task.inherited_from.iter().rev() {
        let led_then = model
            .agencies
            .get(from)
            .is_some_and(|a| a.successor_id == Some(lead) && a.ceased_on.is_some_and(|c| day < c));
        if led_then {
            lead = *from;
        }
    }
    lead
}

/// The day a task is answered for, by the head in office that day at the agency that
/// led it then ([`lead_on`]): its deadline — or, when it was completed before its
/// deadline, its completion, so an early completion is credited to the head who
/// delivered it, even if another is in office when the deadline comes (or the agency
/// has ceased by then). Tasks without a deadline are answered for by no one.
pub fn answerable_on(task: &TaskRow) -> Option<NaiveDate> {
    let deadline = task.deadline?;
    Some(match task.completed_on {
        Some(done) if task.status == TaskRowStatus::Completed => done.min(deadline),
        _ => deadline,
    })
}

/// Accountability by head of agency: each head's tenure, the tasks it answers for
/// ([`answerable_on`]), and the "do not consider for emulation rewards" flag with its
/// reasons by `rule`. Tasks are counted by their figures on `today`.
pub fn accountability(
    model: &ProgressModel,
    jurisdiction: Option<&str>,
    year: Option<i32>,
    today: NaiveDate,
    bands: &[Band],
    rule: &RewardRule,
) -> Vec<HeadAccountability> {
    // Each task answers to the agency that led it on the day it is answered for, so a
    // task inherited in a merger counts for the merged agency's head if it fell due
    // (or was completed early) before.
    let mut answerable: std::collections::HashMap<
        reform_domain::AgencyId,
        Vec<(NaiveDate, &TaskRow, Standing)>,
    > = std::collections::HashMap::new();
    for task in model
        .tasks
        .values()
        .filter(|t| t.status != TaskRowStatus::Cancelled)
    {
        if let Some(day) = answerable_on(task) {
            let standing = model.task_figure(task, today).standing;
            answerable
                .entry(lead_on(model, task, day))
                .or_default()
                .push((day, task, standing));
        }
    }
    let mut out = Vec::new();
    for agency in model.records.keys() {
        let Some(row) = model.agencies.get(agency) else {
            continue;
        };
        if !model.lies_in(&row.jurisdiction, jurisdiction) {
            continue;
        }
        for head in heads_of(model, *agency) {
            let counted_to = tenure_end(model, *agency, &head, today);
            if counted_to < head.from {
                continue;
            }
            let in_scope = |d: NaiveDate| {
                d >= head.from
                    && d <= counted_to
                    && year.is_none_or(|y| chrono::Datelike::year(&d) == y)
            };
            let due: Vec<(&TaskRow, Standing)> = answerable
                .get(agency)
                .into_iter()
                .flatten()
                .filter(|(day, _, _)| in_scope(*day))
                .map(|(_, task, standing)| (*task, *standing))
                .collect();
            let completed_in_time = due
                .iter()
                .filter(|(_, s)| matches!(s, Standing::Early | Standing::OnTime))
                .count();
            let completed_late = due.iter().filter(|(_, s)| *s == Standing::Late).count();
            let overdue: Vec<i64> = due
                .iter()
                .filter(|(_, s)| *s == Standing::Overdue)
                .filter_map(|(t, _)| t.deadline.map(|d| (today - d).num_days()))
                .collect();
            let on_time_rate =
                (!due.is_empty()).then(|| completed_in_time as f64 / due.len() as f64);
            let par_band = model
                .par
                .values()
                .filter(|p| p.agency_id == *agency)
                .filter(|p| match year {
                    Some(y) => p.year == y,
                    None => {
                        p.year >= chrono::Datelike::year(&head.from)
                            && p.year <= chrono::Datelike::year(&counted_to)
                    }
                })
                .max_by_key(|p| p.year)
                .and_then(|p| Some((p.total?, bands_for(model, &row.jurisdiction, p.year, bands))));
            // The rule's band is looked up in the scheme the result was banded by.
            let band_rank = |name: &str| {
                par_band.and_then(|(_, scheme)| scheme.iter().position(|b| b.name == name))
            };
            let par_band = par_band
                .and_then(|(total, scheme)| band_of(scheme, total))
                .map(|b| b.name.clone());
            let worst_days_overdue = overdue.iter().copied().max().unwrap_or(0);
            let mut reasons = Vec::new();
            if worst_days_overdue > rule.max_days_overdue {
                reasons.push(format!(
                    "a task is overdue by {worst_days_overdue} days (more than {})",
                    rule.max_days_overdue
                ));
            }
            if let Some(rate) = on_time_rate.filter(|r| *r < rule.min_on_time_rate) {
                reasons.push(format!(
                    "{:.0}% of due tasks done on time (less than {:.0}%)",
                    rate * 100.0,
                    rule.min_on_time_rate * 100.0
                ));
            }
            if let (Some(band), Some(min)) = (&par_band, &rule.min_band) {
                if let (Some(b), Some(m)) = (band_rank(band), band_rank(min)) {
                    if b > m {
                        reasons.push(format!("PAR INDEX band {band} is below {min}"));
                    }
                }
            }
            out.push(HeadAccountability {
                agency_id: *agency,
                agency_name: row.name.clone(),
                head,
                counted_to,
                tasks_due: due.len(),
                completed_in_time,
                completed_late,
                overdue_now: overdue.len(),
                worst_days_overdue,
                on_time_rate,
                par_band,
                no_emulation_reward: !reasons.is_empty(),
                reasons,
            });
        }
    }
    out.sort_by(|a, b| (&a.agency_name, a.head.from).cmp(&(&b.agency_name, b.head.from)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::NO_FALLBACK;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn agency(name: &str) -> crate::model::AgencyRow {
        crate::model::AgencyRow {
            agency_id: reform_domain::AgencyId::generate(),
            name: name.into(),
            short_name: None,
            tier: reform_domain::AgencyTier::Department,
            block: Some(reform_domain::Block::Departments),
            jurisdiction: "VN-01".into(),
            parent_id: None,
            status: crate::model::AgencyRowStatus::Active,
            successor_id: None,
            ceased_on: None,
        }
    }

    fn open_task(title: &str, lead: reform_domain::AgencyId, deadline: NaiveDate) -> TaskRow {
        TaskRow {
            task_id: reform_domain::TaskId::generate(),
            plan_id: reform_domain::DocumentId::generate(),
            parent_task_id: None,
            category: reform_domain::TaskCategory::Pillar(reform_domain::Pillar::Institutional),
            pillar: Some(reform_domain::Pillar::Institutional),
            title: title.into(),
            search: title.into(),
            lead_id: lead,
            coordinator_ids: Vec::new(),
            deadline: Some(deadline),
            status: TaskRowStatus::NotStarted,
            percent: 0,
            lead_percent: 0,
            weight: 1,
            last_reported_on: None,
            completed_on: None,
            timeliness: None,
            days_late: None,
            inherited_from: Vec::new(),
            history: crate::model::TaskHistory::default(),
        }
    }

    /// Sở A merges into Sở B on 1/7/2025, its overdue task passing to B. The task fell
    /// due in March under A's head, so it is A's head who answers for it, not B's.
    #[test]
    fn a_task_inherited_in_a_merger_answers_to_the_head_in_office_when_it_fell_due() {
        let mut a = agency("Sở A");
        let b = agency("Sở B");
        a.status = crate::model::AgencyRowStatus::Merged;
        a.successor_id = Some(b.agency_id);
        a.ceased_on = Some(day(2025, 7, 1));
        let mut inherited = open_task("Rà soát thủ tục", b.agency_id, day(2025, 3, 31));
        inherited.inherited_from = vec![a.agency_id];
        let own = open_task("Số hoá hồ sơ", b.agency_id, day(2025, 9, 30));
        let mut model = ProgressModel::default();
        for (row, head) in [(&a, "Nguyễn Văn An"), (&b, "Trần Thị Bình")] {
            model.agencies.insert(row.agency_id, row.clone());
            model.records.insert(
                row.agency_id,
                crate::model::AgencyRecords {
                    heads: vec![crate::model::HeadTenure {
                        name: head.into(),
                        title: None,
                        from: day(2021, 1, 1),
                        to: None,
                        decision: None,
                    }],
                    ..Default::default()
                },
            );
        }
        for t in [&inherited, &own] {
            model.tasks.insert(t.task_id, t.clone());
        }
        assert_eq!(lead_on(&model, &inherited, day(2025, 3, 31)), a.agency_id);
        assert_eq!(lead_on(&model, &inherited, day(2025, 7, 1)), b.agency_id);

        let rows = accountability(
            &model,
            None,
            None,
            day(2025, 12, 31),
            NO_FALLBACK,
            &RewardRule::default(),
        );
        let of = |name: &str| {
            rows.iter()
                .find(|r| r.head.name == name)
                .map(|r| (r.tasks_due, r.overdue_now, r.counted_to))
        };
        assert_eq!(of("Nguyễn Văn An"), Some((1, 1, day(2025, 6, 30))));
        assert_eq!(of("Trần Thị Bình"), Some((1, 1, day(2025, 12, 31))));
    }
}
