//! Tasks once assigned: deadlines, progress, completion, reopening and cancellation.

use chrono::NaiveDate;
use reform_domain::{
    Command, Deadline, DomainError, Entity, Event, TaskCompleted, TaskDeadlineExtended, TaskId,
    TaskProgressReported, TaskReopened, TaskStatus, Timeliness,
};

use crate::support::*;
use crate::task::*;

// --- deadlines ---------------------------------------------------------------------

fn extend(task_id: TaskId, new_deadline: NaiveDate) -> Command {
    Command::ExtendDeadline {
        task_id,
        new_deadline,
        reason: "Chờ hướng dẫn của Bộ Tư pháp".to_owned(),
    }
}

#[test]
fn extending_a_deadline_moves_it_later() {
    let world = given(&with_tasks([]))
        .when(extend(TTHC, date(2024, 9, 30)))
        .then(&[Event::TaskDeadlineExtended(TaskDeadlineExtended {
            task_id: TTHC,
            old_deadline: date(2024, 6, 30),
            new_deadline: date(2024, 9, 30),
        })]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.deadline, Deadline::On(date(2024, 9, 30)));
    assert_eq!(task.original_deadline, Deadline::On(date(2024, 6, 30)));
}

#[test]
fn a_deadline_is_only_extended_later() {
    for requested in [date(2024, 6, 30), date(2024, 5, 1)] {
        let err = given(&with_tasks([]))
            .when(extend(TTHC, requested))
            .then_error(DomainError::DeadlineNotLater {
                current: date(2024, 6, 30),
                requested,
            });
        assert_eq!(err.field(), Some("new_deadline"));
        assert_mentions(&err, &["2024-06-30", &requested.to_string()]);
    }
}

#[test]
fn an_ongoing_task_has_no_deadline_to_extend() {
    let message = given(&with_tasks([]))
        .when(extend(TUYEN_TRUYEN, date(2024, 12, 31)))
        .then_invalid("new_deadline");
    assert!(message.contains("ongoing"), "{message}");
}

#[test]
fn an_extension_needs_a_reason_and_an_open_task() {
    given(&with_tasks([]))
        .when(Command::ExtendDeadline {
            task_id: TTHC,
            new_deadline: date(2024, 9, 30),
            reason: String::new(),
        })
        .then_invalid("reason");
    let err = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(extend(TTHC, date(2024, 9, 30)))
    .then_err(|e| {
        matches!(
            e,
            DomainError::TaskStatusForbids {
                status: "completed",
                ..
            }
        )
    });
    assert_mentions(&err, &[TTHC_TITLE, "reopen it before extending"]);
}

// --- progress ----------------------------------------------------------------------

#[test]
fn the_lead_reports_progress() {
    let world = given(&with_tasks([]))
        .when(progress(TTHC, SO_TU_PHAP, 50))
        .then(&[Event::TaskProgressReported(TaskProgressReported {
            task_id: TTHC,
            reported_by: SO_TU_PHAP,
            percent: 50,
            note: "Đã rà soát 45/90 thủ tục".to_owned(),
            evidence: vec!["Báo cáo 12/BC-STP".to_owned()],
            as_of: date(2024, 4, 15),
        })]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.status, TaskStatus::InProgress);
    assert_eq!(task.percent, 50);
    assert_eq!(task.last_reported_on, Some(date(2024, 4, 15)));
}

#[test]
fn a_coordinator_reports_progress_with_up_to_100_percent() {
    given(&with_tasks([]))
        .when(progress(TTHC, SO_NOI_VU, 100))
        .then(&[Event::TaskProgressReported(TaskProgressReported {
            task_id: TTHC,
            reported_by: SO_NOI_VU,
            percent: 100,
            note: "Đã rà soát 45/90 thủ tục".to_owned(),
            evidence: vec!["Báo cáo 12/BC-STP".to_owned()],
            as_of: date(2024, 4, 15),
        })]);
}

#[test]
fn only_the_lead_and_coordinators_report_progress() {
    let err = given(&with_tasks([]))
        .when(progress(TTHC, SO_KH_CN, 10))
        .then_error(DomainError::NotAParticipant {
            task: TTHC,
            task_title: TTHC_TITLE.to_owned(),
            agency: SO_KH_CN,
            agency_name: SO_KH_CN_NAME.to_owned(),
        });
    assert_mentions(&err, &[SO_KH_CN_NAME, TTHC_TITLE]);
    assert_eq!(err.field(), None);
    let err = given(&with_tasks([]))
        .when(progress(TTHC, UNKNOWN_AGENCY, 10))
        .then_err(|e| matches!(e, DomainError::NotAParticipant { .. }));
    assert_mentions(&err, &[&UNKNOWN_AGENCY.to_string(), TTHC_TITLE]);
}

/// The command handler folds only the streams a command reads; the refusal must still
/// name the agency, not its identifier.
#[test]
fn a_refused_reporter_is_named_on_the_streams_the_command_reads() {
    let command = progress(TTHC, SO_KH_CN, 10);
    let reads = command.reads();
    let history: Vec<Event> = with_tasks([])
        .into_iter()
        .filter(|e| reads.contains(&e.stream()))
        .collect();
    let err = given(&history)
        .when(command)
        .then_err(|e| matches!(e, DomainError::NotAParticipant { .. }));
    assert_mentions(&err, &[SO_KH_CN_NAME, TTHC_TITLE]);
}

#[test]
fn a_percentage_is_at_most_100() {
    for percent in [101, u8::MAX] {
        let message = given(&with_tasks([]))
            .when(progress(TTHC, SO_TU_PHAP, percent))
            .then_invalid("percent");
        assert!(message.contains(&percent.to_string()), "{message}");
    }
}

#[test]
fn a_progress_report_has_a_note_and_sensible_evidence() {
    let with = |note: &str, evidence: Vec<String>| Command::ReportProgress {
        task_id: TTHC,
        reporter_agency: SO_TU_PHAP,
        percent: 30,
        note: note.to_owned(),
        evidence,
        as_of: date(2024, 4, 15),
    };
    given(&with_tasks([]))
        .when(with("", vec![]))
        .then_invalid("note");
    given(&with_tasks([]))
        .when(with("Đang rà soát", vec![" ".to_owned()]))
        .then_invalid("evidence");
    given(&with_tasks([]))
        .when(with("Đang rà soát", vec!["Công văn 1/STP".to_owned(); 51]))
        .then_invalid("evidence");
}

#[test]
fn no_progress_on_a_completed_task() {
    let err = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(progress(TTHC, SO_TU_PHAP, 100))
    .then_err(|e| matches!(e, DomainError::TaskStatusForbids { .. }));
    assert_mentions(&err, &[TTHC_TITLE, "reopen it to report further progress"]);
}

// --- completion --------------------------------------------------------------------

#[test]
fn completion_is_early_on_time_or_late_against_the_deadline_in_force() {
    for (on, timeliness, days_late) in [
        (date(2024, 6, 29), Timeliness::Early, 0),
        (date(2024, 6, 30), Timeliness::OnTime, 0),
        (date(2024, 7, 1), Timeliness::Late, 1),
        (date(2024, 8, 14), Timeliness::Late, 45),
    ] {
        let world = given(&with_tasks([]))
            .when(complete(TTHC, SO_TU_PHAP, on))
            .then(&[completed(on, timeliness, days_late)]);
        let task = &world.tasks[&TTHC];
        assert_eq!(task.percent, 100);
        assert!(!task.is_open() && !task.is_overdue(date(2025, 1, 1)));
    }
    let extended = Event::TaskDeadlineExtended(TaskDeadlineExtended {
        task_id: TTHC,
        old_deadline: date(2024, 6, 30),
        new_deadline: date(2024, 9, 30),
    });
    given(&with_tasks([extended]))
        .when(complete(TTHC, SO_TU_PHAP, date(2024, 8, 14)))
        .then(&[completed(date(2024, 8, 14), Timeliness::Early, 0)]);
}

#[test]
fn an_ongoing_task_is_completed_on_time() {
    given(&with_tasks([]))
        .when(complete(TUYEN_TRUYEN, SO_NOI_VU, date(2024, 12, 31)))
        .then(&[Event::TaskCompleted(TaskCompleted {
            task_id: TUYEN_TRUYEN,
            completed_by: SO_NOI_VU,
            output: "Báo cáo 45/BC-STP".to_owned(),
            completed_on: date(2024, 12, 31),
            timeliness: Timeliness::OnTime,
            days_late: 0,
        })]);
}

#[test]
fn only_the_lead_completes_a_task() {
    let err = given(&with_tasks([]))
        .when(complete(TTHC, SO_NOI_VU, date(2024, 6, 1)))
        .then_error(DomainError::NotTheLead {
            task: TTHC,
            task_title: TTHC_TITLE.to_owned(),
            agency: SO_NOI_VU,
        });
    assert_mentions(&err, &[TTHC_TITLE, "coordinating agencies report progress"]);
}

#[test]
fn a_completion_states_its_output_and_happens_once() {
    given(&with_tasks([]))
        .when(Command::CompleteTask {
            task_id: TTHC,
            reporter_agency: SO_TU_PHAP,
            output: "  ".to_owned(),
            completed_on: date(2024, 6, 1),
        })
        .then_invalid("output");
    let err = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(complete(TTHC, SO_TU_PHAP, date(2024, 6, 2)))
    .then_err(|e| {
        matches!(
            e,
            DomainError::TaskStatusForbids {
                status: "completed",
                ..
            }
        )
    });
    assert_mentions(&err, &[TTHC_TITLE, "cannot be completed again"]);
}

// --- reopen and cancel -------------------------------------------------------------

fn reopen(task_id: TaskId) -> Command {
    Command::ReopenTask {
        task_id,
        reason: "Kết quả chưa đạt yêu cầu".to_owned(),
    }
}

fn cancel(task_id: TaskId) -> Command {
    Command::CancelTask {
        task_id,
        reason: "Nhiệm vụ không còn phù hợp".to_owned(),
    }
}

#[test]
fn a_completed_task_can_be_reopened() {
    let world = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(reopen(TTHC))
    .then(&[Event::TaskReopened(TaskReopened { task_id: TTHC })]);
    assert!(world.tasks[&TTHC].is_open());
}

#[test]
fn a_cancelled_task_can_be_reopened_where_it_stood() {
    let report = Event::TaskProgressReported(TaskProgressReported {
        task_id: TTHC,
        reported_by: SO_TU_PHAP,
        percent: 40,
        note: "Đang rà soát".to_owned(),
        evidence: vec![],
        as_of: date(2024, 3, 1),
    });
    let world = given(&with_tasks([report, cancelled(TTHC)]))
        .when(reopen(TTHC))
        .then(&[Event::TaskReopened(TaskReopened { task_id: TTHC })]);
    assert_eq!(world.tasks[&TTHC].status, TaskStatus::InProgress);
    assert_eq!(world.tasks[&TTHC].percent, 40);
    let world = given(&with_tasks([cancelled(TUYEN_TRUYEN)]))
        .when(reopen(TUYEN_TRUYEN))
        .then(&[Event::TaskReopened(TaskReopened {
            task_id: TUYEN_TRUYEN,
        })]);
    assert_eq!(world.tasks[&TUYEN_TRUYEN].status, TaskStatus::NotStarted);
}

#[test]
fn only_completed_or_cancelled_tasks_are_reopened() {
    let err = given(&with_tasks([])).when(reopen(TTHC)).then_err(|e| {
        matches!(
            e,
            DomainError::TaskStatusForbids {
                status: "not started",
                ..
            }
        )
    });
    assert_mentions(
        &err,
        &[
            TTHC_TITLE,
            "only completed or cancelled tasks can be reopened",
        ],
    );
    given(&with_tasks([cancelled(TTHC)]))
        .when(Command::ReopenTask {
            task_id: TTHC,
            reason: String::new(),
        })
        .then_invalid("reason");
    given(&with_tasks([]))
        .when(reopen(UNKNOWN_TASK))
        .then_error(DomainError::NotFound {
            entity: Entity::Task,
            id: UNKNOWN_TASK.to_string(),
        });
}

#[test]
fn cancelling_a_task() {
    let world = given(&with_tasks([]))
        .when(cancel(TTHC))
        .then(&[cancelled(TTHC)]);
    assert_eq!(world.tasks[&TTHC].status, TaskStatus::Cancelled);
    assert!(!world.tasks[&TTHC].is_overdue(date(2025, 1, 1)));
}

#[test]
fn a_cancellation_needs_a_reason_and_an_open_task() {
    given(&with_tasks([]))
        .when(Command::CancelTask {
            task_id: TTHC,
            reason: " ".to_owned(),
        })
        .then_invalid("reason");
    let err = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(cancel(TTHC))
    .then_err(|e| {
        matches!(
            e,
            DomainError::TaskStatusForbids {
                status: "completed",
                ..
            }
        )
    });
    assert_mentions(&err, &["reopen it first"]);
}

#[test]
fn a_cancelled_task_takes_nothing_but_a_reopen() {
    let world = with_tasks([tt_tt_merged_into_kh_cn(), cancelled(TTHC)]);
    for command in [
        reassign(SO_NOI_VU, None),
        transfer(TTHC, SO_TT_TT, SO_KH_CN),
        extend(TTHC, date(2024, 9, 30)),
        progress(TTHC, SO_TU_PHAP, 10),
        complete(TTHC, SO_TU_PHAP, date(2024, 6, 1)),
        cancel(TTHC),
    ] {
        let err = given(&world)
            .when(command)
            .then_error(DomainError::TaskStatusForbids {
                task: TTHC,
                task_title: TTHC_TITLE.to_owned(),
                status: "cancelled",
                hint: "nothing may be done to a cancelled task but reopen it",
            });
        assert_mentions(&err, &[TTHC_TITLE, "cancelled"]);
    }
    given(&world)
        .when(reopen(TTHC))
        .then(&[Event::TaskReopened(TaskReopened { task_id: TTHC })]);
}

#[test]
fn commands_on_an_unknown_task_say_so() {
    for command in [
        extend(UNKNOWN_TASK, date(2024, 9, 30)),
        progress(UNKNOWN_TASK, SO_TU_PHAP, 10),
        complete(UNKNOWN_TASK, SO_TU_PHAP, date(2024, 6, 1)),
        cancel(UNKNOWN_TASK),
        transfer(UNKNOWN_TASK, SO_TT_TT, SO_KH_CN),
    ] {
        let err = given(&with_tasks([]))
            .when(command)
            .then_error(DomainError::NotFound {
                entity: Entity::Task,
                id: UNKNOWN_TASK.to_string(),
            });
        assert_mentions(&err, &["register it first"]);
    }
}

#[test]
fn only_the_lead_says_how_far_a_task_is() {
    let lead = Event::TaskProgressReported(TaskProgressReported {
        task_id: TTHC,
        reported_by: SO_TU_PHAP,
        percent: 60,
        note: "Đã rà soát 54/90 thủ tục".to_owned(),
        evidence: vec![],
        as_of: date(2024, 4, 1),
    });
    let world = given(&with_tasks([lead]))
        .when(progress(TTHC, SO_NOI_VU, 30))
        .then(&[Event::TaskProgressReported(TaskProgressReported {
            task_id: TTHC,
            reported_by: SO_NOI_VU,
            percent: 30,
            note: "Đã rà soát 45/90 thủ tục".to_owned(),
            evidence: vec!["Báo cáo 12/BC-STP".to_owned()],
            as_of: date(2024, 4, 15),
        })]);
    let task = &world.tasks[&TTHC];
    assert_eq!(
        task.percent, 60,
        "a coordinator's contribution does not set the task's percent"
    );
    assert_eq!(task.status, TaskStatus::InProgress);
}

#[test]
fn a_reopened_completed_task_stands_where_its_lead_last_reported() {
    let lead = Event::TaskProgressReported(TaskProgressReported {
        task_id: TTHC,
        reported_by: SO_TU_PHAP,
        percent: 80,
        note: "Gần xong".to_owned(),
        evidence: vec![],
        as_of: date(2024, 6, 1),
    });
    let done = completed(date(2024, 6, 29), Timeliness::Early, 0);
    let world = given(&with_tasks([lead, done]))
        .when(reopen(TTHC))
        .then(&[Event::TaskReopened(TaskReopened { task_id: TTHC })]);
    assert_eq!(world.tasks[&TTHC].percent, 80);
    assert_eq!(world.tasks[&TTHC].status, TaskStatus::InProgress);
}

#[test]
fn a_deadline_moves_by_years_not_centuries() {
    let message = given(&with_tasks([]))
        .when(extend(TTHC, date(9999, 12, 31)))
        .then_invalid("new_deadline");
    assert!(message.contains("check the year"), "{message}");
    given(&with_tasks([]))
        .when(extend(TTHC, date(2026, 6, 30)))
        .then(&[Event::TaskDeadlineExtended(TaskDeadlineExtended {
            task_id: TTHC,
            old_deadline: date(2024, 6, 30),
            new_deadline: date(2026, 6, 30),
        })]);
}
