//! Task lives planned from the seed (assignment, monthly reports, an extension, a
//! completion or a cancellation, none after today) and each act sent as a client sends
//! it, dated `on` its day.

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use reform_commands::CommandHandler;
use reform_domain::{
    AgencyId, Command, CrossCutting, Deadline, DocumentId, Pillar, TaskCategory, TaskId,
};

use super::{Names, NationalShape, ProvinceAgencies};
use crate::generate::{day, officer, secretariat, Dice};

/// One act of a task's life, on its day.
#[derive(Clone, Debug)]
pub(super) enum Act {
    Report { percent: u8, by_lead: bool },
    Extend { to: NaiveDate },
    Complete,
    Cancel,
}

/// A task: where it is, who leads it, and its acts after creation in day order.
#[derive(Clone, Debug)]
pub(super) struct TaskPlan {
    pub(super) task: TaskId,
    pub(super) plan: DocumentId,
    pub(super) created: NaiveDate,
    pub(super) lead: AgencyId,
    pub(super) partner: AgencyId,
    pub(super) category: TaskCategory,
    pub(super) deadline: Deadline,
    pub(super) title: String,
    pub(super) acts: Vec<(NaiveDate, Act)>,
}

/// `province`'s plans of `years` (none issued after `today`) and their tasks, each
/// with its life's acts (none after `today`).
pub(super) fn task_plans(
    names: &Names,
    shape: &NationalShape,
    province: &ProvinceAgencies,
    years: std::ops::RangeInclusive<i32>,
    today: NaiveDate,
) -> (Vec<(i32, DocumentId)>, Vec<TaskPlan>) {
    let mut dice = Dice(
        shape
            .seed
            .wrapping_add(u64::from(
                province
                    .code
                    .bytes()
                    .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))),
            ))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            | 1,
    );
    let mut tasks = Vec::new();
    let mut plans = Vec::new();
    let leads: Vec<(usize, AgencyId)> = province.leads().collect();
    for year in years {
        let issued = plan_issued(year);
        if issued > today {
            break;
        }
        let plan = names.document(&format!("{}/plan/{year}", province.code));
        plans.push((year, plan));
        for &(n, lead) in &leads {
            // Each works with its neighbour; alone, with the committee.
            let partner = Some(leads[(n + 1) % leads.len()].1)
                .filter(|p| *p != lead)
                .unwrap_or(province.committee);
            for t in 0..shape.tasks_per_agency {
                let created = day(year, 1, 10).max(issued + Duration::days(1)).min(today);
                let category = match dice.below(9) {
                    6 => TaskCategory::CrossCutting(CrossCutting::Direction),
                    7 => TaskCategory::CrossCutting(CrossCutting::Communication),
                    8 => TaskCategory::CrossCutting(CrossCutting::Inspection),
                    k => TaskCategory::Pillar(Pillar::ALL[k as usize % Pillar::ALL.len()]),
                };
                let due =
                    day(year, 3 + dice.below(10) as u32, 28).max(created + Duration::days(60));
                let ongoing = dice.chance(5);
                let mut acts = Vec::new();
                let mut when = created;
                let mut percent = 0u64;
                let mut deadline = due;
                // Monthly reports until it is done or dropped.
                let fate = dice.below(100);
                let months = 2 + dice.below(8);
                for _ in 0..months {
                    when += Duration::days(28 + dice.below(5) as i64);
                    percent = (percent + 10 + dice.below(20)).min(95);
                    acts.push((
                        when,
                        Act::Report {
                            percent: percent as u8,
                            by_lead: !dice.chance(20),
                        },
                    ));
                }
                if !ongoing && dice.chance(10) {
                    deadline = due + Duration::days(30 + dice.below(60) as i64);
                    acts.push((when, Act::Extend { to: deadline }));
                }
                if fate < 70 {
                    let on = if ongoing {
                        when + Duration::days(10)
                    } else {
                        deadline + Duration::days(dice.below(50) as i64 - 30)
                    };
                    acts.push((on.max(when), Act::Complete));
                } else if fate < 75 {
                    acts.push((when, Act::Cancel));
                }
                acts.retain(|(on, _)| *on <= today);
                tasks.push(TaskPlan {
                    task: TaskId(names.id(&format!("task/{}/{year}/{n}/{t}", province.code))),
                    plan,
                    created,
                    lead,
                    partner,
                    category,
                    deadline: if ongoing {
                        Deadline::Ongoing
                    } else {
                        Deadline::On(due)
                    },
                    title: format!(
                        "Nhiệm vụ cải cách hành chính số {} năm {year}",
                        n * shape.tasks_per_agency + t + 1
                    ),
                    acts,
                });
            }
        }
    }
    (plans, tasks)
}

/// The day a year's plan is issued: 20 December of the year before (the first, once
/// the province's program is on record).
pub(super) fn plan_issued(year: i32) -> NaiveDate {
    day(year - 1, 12, 20).max(day(2021, 10, 25))
}

pub(super) fn create(task: &TaskPlan) -> Command {
    Command::CreateTask {
        reference: None,
        task_id: task.task,
        plan: task.plan,
        parent_task: None,
        directive_point: None,
        category: task.category,
        title: task.title.clone(),
        description: None,
        lead: task.lead,
        coordinators: vec![task.partner],
        deadline: task.deadline,
        expected_output: "Báo cáo kết quả thực hiện".into(),
        weight: Some(1),
    }
}

/// Sends one act of a task's life by its lead and partner as they are now; `false`
/// when the record no longer allows it.
pub(super) async fn send_act(
    handler: &CommandHandler,
    task: &TaskPlan,
    (lead, partner): (AgencyId, AgencyId),
    on: NaiveDate,
    act: &Act,
) -> Result<bool> {
    let (command, metadata) = match act {
        Act::Report { percent, by_lead } => {
            let by = if *by_lead { lead } else { partner };
            (
                Command::ReportProgress {
                    task_id: task.task,
                    reporter_agency: by,
                    percent: *percent,
                    note: "Đã triển khai theo kế hoạch".into(),
                    evidence: Vec::new(),
                    as_of: on,
                },
                officer(by, on),
            )
        }
        Act::Extend { to } => (
            Command::ExtendDeadline {
                task_id: task.task,
                new_deadline: *to,
                reason: "Chờ hướng dẫn của cơ quan cấp trên".into(),
            },
            secretariat(on),
        ),
        Act::Complete => (
            Command::CompleteTask {
                task_id: task.task,
                reporter_agency: lead,
                output: "Đã hoàn thành".into(),
                completed_on: on,
            },
            officer(lead, on),
        ),
        Act::Cancel => (
            Command::CancelTask {
                task_id: task.task,
                reason: "Không còn phù hợp".into(),
            },
            secretariat(on),
        ),
    };
    match handler.execute(command, metadata, None).await {
        Ok(_) => Ok(true),
        // A life planned ahead meets the record as it is: a report after completion,
        // one dated before the merger's transfer; such an act is left out.
        Err(reform_commands::CommandError::Rejected(_)) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
