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
        self.led_by(task, figure, true);
    }

    /// Counts a led task in (`add`) or takes it back out.
    fn led_by(&mut self, task: &TaskRow, figure: &TaskFigure, add: bool) {
        let step = |n: &mut usize| {
            *n = if add { *n + 1 } else { n.saturating_sub(1) };
        };
        if task.inherited_from.is_empty() {
            step(&mut self.led);
        } else {
            step(&mut self.inherited);
        }
        match figure.standing {
            Standing::Early | Standing::OnTime => step(&mut self.completed_in_time),
            Standing::Late => {
                step(&mut self.completed_late);
                let days = u64::from(task.days_late.unwrap_or(0));
                self.days_late = if add {
                    self.days_late + days
                } else {
                    self.days_late.saturating_sub(days)
                };
            }
            Standing::Overdue => step(&mut self.overdue_now),
            Standing::NotStarted | Standing::InProgress | Standing::Cancelled => {}
        }
    }

    fn is_empty(&self) -> bool {
        *self == AgencyTally::default()
    }

    /// Average days late of the late completions.
    pub fn average_days_late(&self) -> Option<f64> {
        (self.completed_late > 0).then(|| self.days_late as f64 / self.completed_late as f64)
    }
}

/// Counts `task` of `model` (by its figure on `today`) into the tallies of the agencies
/// it involves (`add`), or takes it back out; an agency left with nothing is dropped,
/// as a fresh [`agency_tallies`] would not have it. What a write does to the tallies
/// of the agencies its tasks involve, before and after it.
pub(crate) fn retally(
    tallies: &mut std::collections::HashMap<reform_domain::AgencyId, AgencyTally>,
    model: &ProgressModel,
    task: &TaskRow,
    today: NaiveDate,
    add: bool,
) {
    if task.status == TaskRowStatus::Cancelled {
        return;
    }
    let figure = model.task_figure(task, today);
    let lead = tallies.entry(task.lead_id).or_default();
    lead.led_by(task, &figure, add);
    if lead.is_empty() {
        tallies.remove(&task.lead_id);
    }
    for coordinator in &task.coordinator_ids {
        let tally = tallies.entry(*coordinator).or_default();
        tally.coordinated = if add {
            tally.coordinated + 1
        } else {
            tally.coordinated.saturating_sub(1)
        };
        if tally.is_empty() {
            tallies.remove(coordinator);
        }
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
