//! Agency tallies: what the tasks an agency leads or coordinates add up to on a day.

use chrono::NaiveDate;

use reform_domain::Timeliness;

use crate::model::{ProgressModel, TaskRow, TaskRowStatus};

/// What one agency's tasks add up to on a day: the task half of its scorecard.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AgencyTally {
    /// Tasks it leads that were its own from the start (cancelled ones left out).
    pub led: usize,
    /// Tasks it leads that it inherited from merged agencies.
    pub inherited: usize,
    /// Tasks it coordinates (cancelled ones left out).
    pub coordinated: usize,
    /// Led tasks completed early or on time.
    pub completed_in_time: usize,
    /// Led tasks completed late.
    pub completed_late: usize,
    /// Days late summed over the late completions.
    pub days_late: u64,
    /// Led tasks open and past their deadline on the day.
    pub overdue_now: usize,
}

impl AgencyTally {
    fn add(&mut self, task: &TaskRow, led: bool, today: NaiveDate) {
        if !led {
            self.coordinated += 1;
            return;
        }
        if task.inherited_from.is_empty() {
            self.led += 1;
        } else {
            self.inherited += 1;
        }
        if task.status == TaskRowStatus::Completed {
            if task.timeliness == Some(Timeliness::Late) {
                self.completed_late += 1;
                self.days_late += u64::from(task.days_late.unwrap_or(0));
            } else {
                self.completed_in_time += 1;
            }
        }
        if task.is_overdue(today) {
            self.overdue_now += 1;
        }
    }

    /// Average days late of the late completions.
    pub fn average_days_late(&self) -> Option<f64> {
        (self.completed_late > 0).then(|| self.days_late as f64 / self.completed_late as f64)
    }
}

/// Every agency's [`AgencyTally`] on `today`, in one pass over the tasks.
pub fn agency_tallies(
    model: &ProgressModel,
    today: NaiveDate,
) -> std::collections::HashMap<reform_domain::AgencyId, AgencyTally> {
    let mut tallies = std::collections::HashMap::<_, AgencyTally>::new();
    for task in model
        .tasks
        .values()
        .filter(|t| t.status != TaskRowStatus::Cancelled)
    {
        tallies
            .entry(task.lead_id)
            .or_default()
            .add(task, true, today);
        for coordinator in &task.coordinator_ids {
            tallies
                .entry(*coordinator)
                .or_default()
                .add(task, false, today);
        }
    }
    tallies
}

/// One agency's [`AgencyTally`] on `today`.
pub fn agency_tally(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    today: NaiveDate,
) -> AgencyTally {
    let mut tally = AgencyTally::default();
    for task in model
        .tasks
        .values()
        .filter(|t| t.status != TaskRowStatus::Cancelled)
    {
        if task.lead_id == agency {
            tally.add(task, true, today);
        }
        if task.coordinator_ids.contains(&agency) {
            tally.add(task, false, today);
        }
    }
    tally
}
