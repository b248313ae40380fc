//! Agency tallies: what the tasks an agency leads or coordinates add up to on a day.

use chrono::NaiveDate;

use crate::figure::{Standing, TaskFigure};
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
    /// Counts a led task by where its figure stands.
    fn add_led(&mut self, task: &TaskRow, figure: &TaskFigure) {
        if task.inherited_from.is_empty() {
            self.led += 1;
        } else {
            self.inherited += 1;
        }
        match figure.standing {
            Standing::Early | Standing::OnTime => self.completed_in_time += 1,
            Standing::Late => {
                self.completed_late += 1;
                self.days_late += u64::from(task.days_late.unwrap_or(0));
            }
            Standing::Overdue => self.overdue_now += 1,
            Standing::NotStarted | Standing::InProgress | Standing::Cancelled => {}
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
        let figure = model.task_figure(task, today);
        tallies
            .entry(task.lead_id)
            .or_default()
            .add_led(task, &figure);
        for coordinator in &task.coordinator_ids {
            tallies.entry(*coordinator).or_default().coordinated += 1;
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
            tally.add_led(task, &model.task_figure(task, today));
        }
        if task.coordinator_ids.contains(&agency) {
            tally.coordinated += 1;
        }
    }
    tally
}
