//! Tasks: creation, reassignment and transfer after a merger; the fixtures every task
//! test shares.

use chrono::NaiveDate;
use reform_domain::{
    AgencyId, Command, CrossCutting, Deadline, DirectivePointRef, DomainError, Entity, Event,
    Pillar, TaskAmended, TaskCancelled, TaskCategory, TaskCompleted, TaskCreated, TaskId,
    TaskReassigned, TaskRole, TaskStatus, TaskTransferred, Timeliness,
};
use uuid::Uuid;

use crate::support::*;

pub(crate) const fn task(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(
        0x7A5C_0000_0000_0000_0000_0000_0000_0000 | n,
    ))
}

pub(crate) const TTHC: TaskId = task(1);
pub(crate) const TUYEN_TRUYEN: TaskId = task(2);
pub(crate) const SUBTASK: TaskId = task(3);
pub(crate) const UNKNOWN_TASK: TaskId = task(0xDEAD);

pub(crate) const TTHC_TITLE: &str =
    "Rà soát, đơn giản hóa thủ tục hành chính trong lĩnh vực tư pháp";

/// Lead Sở Tư pháp, coordinators Sở Nội vụ and Sở TT&TT, due 30/6/2024.
pub(crate) fn tthc_created() -> TaskCreated {
    TaskCreated {
        reference: None,
        task_id: TTHC,
        plan: PLAN_2024,
        parent_task: None,
        directive_point: Some(DirectivePointRef {
            directive: DIRECTIVE_HA_TINH,
            point: 3,
        }),
        category: TaskCategory::Pillar(Pillar::AdministrativeProcedures),
        title: TTHC_TITLE.to_owned(),
        description: Some("Rà soát 100% thủ tục hành chính thuộc thẩm quyền giải quyết".to_owned()),
        lead: SO_TU_PHAP,
        coordinators: vec![SO_NOI_VU, SO_TT_TT],
        deadline: Deadline::On(date(2024, 6, 30)),
        expected_output: "Báo cáo kết quả rà soát, đề xuất phương án đơn giản hóa".to_owned(),
        weight: 2,
    }
}

/// Ongoing (thường xuyên) communication work led by Sở Nội vụ.
pub(crate) fn tuyen_truyen_created() -> TaskCreated {
    TaskCreated {
        reference: None,
        task_id: TUYEN_TRUYEN,
        plan: PLAN_2024,
        parent_task: None,
        directive_point: None,
        category: TaskCategory::CrossCutting(CrossCutting::Communication),
        title: "Tuyên truyền cải cách hành chính trên báo, đài".to_owned(),
        description: None,
        lead: SO_NOI_VU,
        coordinators: vec![],
        deadline: Deadline::Ongoing,
        expected_output: "Chuyên mục cải cách hành chính".to_owned(),
        weight: 1,
    }
}

pub(crate) fn create(t: TaskCreated) -> Command {
    Command::CreateTask {
        reference: t.reference,
        task_id: t.task_id,
        plan: t.plan,
        parent_task: t.parent_task,
        directive_point: t.directive_point,
        category: t.category,
        title: t.title,
        description: t.description,
        lead: t.lead,
        coordinators: t.coordinators,
        deadline: t.deadline,
        expected_output: t.expected_output,
        weight: Some(t.weight),
    }
}

/// Hà Tĩnh with both tasks created.
pub(crate) fn with_tasks(more: impl IntoIterator<Item = Event>) -> Vec<Event> {
    let mut events = ha_tinh_and([
        Event::TaskCreated(tthc_created()),
        Event::TaskCreated(tuyen_truyen_created()),
    ]);
    events.extend(more);
    events
}

pub(crate) fn progress(task_id: TaskId, by: AgencyId, percent: u8) -> Command {
    Command::ReportProgress {
        task_id,
        reporter_agency: by,
        percent,
        note: "Đã rà soát 45/90 thủ tục".to_owned(),
        evidence: vec!["Báo cáo 12/BC-STP".to_owned()],
        as_of: date(2024, 4, 15),
    }
}

pub(crate) fn complete(task_id: TaskId, by: AgencyId, on: NaiveDate) -> Command {
    Command::CompleteTask {
        task_id,
        reporter_agency: by,
        output: "Báo cáo 45/BC-STP".to_owned(),
        completed_on: on,
    }
}

pub(crate) fn completed(on: NaiveDate, timeliness: Timeliness, days_late: u32) -> Event {
    Event::TaskCompleted(TaskCompleted {
        task_id: TTHC,
        completed_by: SO_TU_PHAP,
        output: "Báo cáo 45/BC-STP".to_owned(),
        completed_on: on,
        timeliness,
        days_late,
    })
}

pub(crate) fn cancelled(task_id: TaskId) -> Event {
    Event::TaskCancelled(TaskCancelled { task_id })
}

// --- creation ----------------------------------------------------------------------

#[test]
fn creating_a_task_assigns_it() {
    let world = given(&ha_tinh())
        .when(create(tthc_created()))
        .then(&[Event::TaskCreated(tthc_created())]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.status, TaskStatus::NotStarted);
    assert_eq!(task.original_deadline, Deadline::On(date(2024, 6, 30)));
    assert!(task.is_overdue(date(2024, 7, 1)));
    assert!(!task.is_overdue(date(2024, 6, 30)));
}

#[test]
fn an_ongoing_task_without_weight_weighs_one_and_is_never_overdue() {
    let Command::CreateTask {
        task_id,
        plan,
        parent_task,
        directive_point,
        category,
        title,
        lead,
        coordinators,
        deadline,
        expected_output,
        ..
    } = create(tuyen_truyen_created())
    else {
        unreachable!("a task")
    };
    let world = given(&ha_tinh())
        .when(Command::CreateTask {
            reference: None,
            task_id,
            plan,
            parent_task,
            directive_point,
            category,
            title,
            description: Some("   ".to_owned()),
            lead,
            coordinators,
            deadline,
            expected_output,
            weight: None,
        })
        .then(&[Event::TaskCreated(tuyen_truyen_created())]);
    assert!(!world.tasks[&TUYEN_TRUYEN].is_overdue(date(2030, 12, 31)));
}

#[test]
fn repeated_coordinators_are_kept_once() {
    let mut command = tthc_created();
    command.coordinators = vec![SO_NOI_VU, SO_TT_TT, SO_NOI_VU];
    given(&ha_tinh())
        .when(create(command))
        .then(&[Event::TaskCreated(tthc_created())]);
}

#[test]
fn a_task_is_created_once() {
    given(&with_tasks([]))
        .when(create(tthc_created()))
        .then_error(DomainError::AlreadyExists {
            entity: Entity::Task,
            id: TTHC.to_string(),
        });
}

#[test]
fn a_task_is_created_in_a_plan_on_record() {
    given(&ha_tinh())
        .when(create(TaskCreated {
            plan: UNKNOWN_DOCUMENT,
            ..tthc_created()
        }))
        .then_error(DomainError::NotFound {
            entity: Entity::Plan,
            id: UNKNOWN_DOCUMENT.to_string(),
        });
    for not_a_plan in [PROGRAM_HA_TINH, DIRECTIVE_HA_TINH] {
        let message = given(&ha_tinh())
            .when(create(TaskCreated {
                plan: not_a_plan,
                ..tthc_created()
            }))
            .then_invalid("plan");
        assert!(message.contains("tasks are created in plans"), "{message}");
    }
}

#[test]
fn a_subtask_sits_in_its_parents_plan() {
    let subtask = TaskCreated {
        task_id: SUBTASK,
        parent_task: Some(TTHC),
        title: "Rà soát thủ tục lĩnh vực hộ tịch".to_owned(),
        coordinators: vec![],
        ..tthc_created()
    };
    given(&with_tasks([]))
        .when(create(subtask.clone()))
        .then(&[Event::TaskCreated(subtask.clone())]);
    given(&with_tasks([]))
        .when(create(TaskCreated {
            plan: PLAN_2025,
            directive_point: None,
            ..subtask.clone()
        }))
        .then_invalid("parent_task");
    given(&with_tasks([cancelled(TTHC)]))
        .when(create(subtask.clone()))
        .then_invalid("parent_task");
    given(&ha_tinh())
        .when(create(subtask))
        .then_error(DomainError::NotFound {
            entity: Entity::Task,
            id: TTHC.to_string(),
        });
}

#[test]
fn the_directive_point_must_exist() {
    given(&ha_tinh())
        .when(create(TaskCreated {
            directive_point: Some(DirectivePointRef {
                directive: UNKNOWN_DOCUMENT,
                point: 1,
            }),
            ..tthc_created()
        }))
        .then_error(DomainError::NotFound {
            entity: Entity::Directive,
            id: UNKNOWN_DOCUMENT.to_string(),
        });
    let message = given(&ha_tinh())
        .when(create(TaskCreated {
            directive_point: Some(DirectivePointRef {
                directive: DIRECTIVE_HA_TINH,
                point: 7,
            }),
            ..tthc_created()
        }))
        .then_invalid("directive_point");
    assert!(
        message.contains("09/CT-UBND") && message.contains('7'),
        "{message}"
    );
    let message = given(&ha_tinh())
        .when(create(TaskCreated {
            directive_point: Some(DirectivePointRef {
                directive: PROGRAM_HA_TINH,
                point: 1,
            }),
            ..tthc_created()
        }))
        .then_invalid("directive_point");
    assert!(message.contains("not a directive"), "{message}");
}

#[test]
fn the_lead_cannot_also_coordinate() {
    let message = given(&ha_tinh())
        .when(create(TaskCreated {
            coordinators: vec![SO_NOI_VU, SO_TU_PHAP],
            ..tthc_created()
        }))
        .then_invalid("coordinators");
    assert!(message.contains("lead"), "{message}");
}

#[test]
fn work_goes_to_agencies_on_record() {
    given(&ha_tinh())
        .when(create(TaskCreated {
            lead: UNKNOWN_AGENCY,
            ..tthc_created()
        }))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
    given(&ha_tinh())
        .when(create(TaskCreated {
            coordinators: vec![UNKNOWN_AGENCY],
            ..tthc_created()
        }))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
}

#[test]
fn work_is_not_assigned_to_a_merged_or_dissolved_agency() {
    let world = ha_tinh_and([tt_tt_merged_into_kh_cn(), loc_ha_dissolved()]);
    let err = given(&world)
        .when(create(tthc_created()))
        .then_error(DomainError::AgencyNotActive {
            agency: SO_TT_TT,
            name: SO_TT_TT_NAME.to_owned(),
            state: format!("was merged into \"{SO_KH_CN_NAME}\" on 2025-03-01"),
        });
    assert_mentions(
        &err,
        &[
            SO_TT_TT_NAME,
            SO_KH_CN_NAME,
            "assign the work to its successor",
        ],
    );
    let err = given(&world)
        .when(create(TaskCreated {
            lead: UBND_LOC_HA,
            coordinators: vec![],
            ..tthc_created()
        }))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == UBND_LOC_HA),
        );
    assert_mentions(&err, &[UBND_LOC_HA_NAME, "dissolved"]);
}

#[test]
fn a_weight_is_from_1_to_1000() {
    for weight in [0, 1_001, u32::MAX] {
        let message = given(&ha_tinh())
            .when(create(TaskCreated {
                weight,
                ..tthc_created()
            }))
            .then_invalid("weight");
        assert!(message.contains("1000"), "{message}");
    }
    for weight in [1, 1_000] {
        given(&ha_tinh())
            .when(create(TaskCreated {
                weight,
                ..tthc_created()
            }))
            .then(&[Event::TaskCreated(TaskCreated {
                weight,
                ..tthc_created()
            })]);
    }
}

#[test]
fn a_task_has_a_title_and_an_expected_output() {
    given(&ha_tinh())
        .when(create(TaskCreated {
            title: " ".to_owned(),
            ..tthc_created()
        }))
        .then_invalid("title");
    given(&ha_tinh())
        .when(create(TaskCreated {
            expected_output: String::new(),
            ..tthc_created()
        }))
        .then_invalid("expected_output");
    given(&ha_tinh())
        .when(create(TaskCreated {
            title: "x".repeat(501),
            ..tthc_created()
        }))
        .then_invalid("title");
}

// --- reassignment ------------------------------------------------------------------

pub(crate) fn reassign(new_lead: AgencyId, coordinators: Option<Vec<AgencyId>>) -> Command {
    Command::ReassignTask {
        task_id: TTHC,
        new_lead,
        coordinators,
        reason: "Theo chỉ đạo của Chủ tịch UBND tỉnh".to_owned(),
    }
}

#[test]
fn reassigning_to_a_coordinator_drops_it_from_the_coordinators() {
    let world = given(&with_tasks([]))
        .when(reassign(SO_NOI_VU, None))
        .then(&[Event::TaskReassigned(TaskReassigned {
            task_id: TTHC,
            from_lead: SO_TU_PHAP,
            to_lead: SO_NOI_VU,
            coordinators: None,
        })]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.lead, SO_NOI_VU);
    assert_eq!(task.coordinators, vec![SO_TT_TT]);
}

#[test]
fn reassigning_with_new_coordinators() {
    let world = given(&with_tasks([]))
        .when(reassign(SO_KH_CN, Some(vec![SO_TU_PHAP, SO_TU_PHAP])))
        .then(&[Event::TaskReassigned(TaskReassigned {
            task_id: TTHC,
            from_lead: SO_TU_PHAP,
            to_lead: SO_KH_CN,
            coordinators: Some(vec![SO_TU_PHAP]),
        })]);
    assert_eq!(world.tasks[&TTHC].coordinators, vec![SO_TU_PHAP]);
}

#[test]
fn changing_only_the_coordinators_keeps_the_lead() {
    given(&with_tasks([]))
        .when(reassign(SO_TU_PHAP, Some(vec![SO_KH_CN])))
        .then(&[Event::TaskReassigned(TaskReassigned {
            task_id: TTHC,
            from_lead: SO_TU_PHAP,
            to_lead: SO_TU_PHAP,
            coordinators: Some(vec![SO_KH_CN]),
        })]);
}

#[test]
fn reassigning_to_the_current_lead_alone_is_refused() {
    given(&with_tasks([]))
        .when(reassign(SO_TU_PHAP, None))
        .then_invalid("new_lead");
}

#[test]
fn reassigning_needs_a_reason_an_active_lead_and_distinct_coordinators() {
    given(&with_tasks([]))
        .when(Command::ReassignTask {
            task_id: TTHC,
            new_lead: SO_NOI_VU,
            coordinators: None,
            reason: " ".to_owned(),
        })
        .then_invalid("reason");
    given(&with_tasks([tt_tt_merged_into_kh_cn()]))
        .when(reassign(SO_TT_TT, None))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_TT_TT),
        );
    given(&with_tasks([loc_ha_dissolved()]))
        .when(reassign(SO_NOI_VU, Some(vec![UBND_LOC_HA])))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == UBND_LOC_HA),
        );
    given(&with_tasks([]))
        .when(reassign(SO_NOI_VU, Some(vec![SO_NOI_VU])))
        .then_invalid("coordinators");
    given(&with_tasks([]))
        .when(Command::ReassignTask {
            task_id: UNKNOWN_TASK,
            new_lead: SO_NOI_VU,
            coordinators: None,
            reason: "Theo chỉ đạo".to_owned(),
        })
        .then_error(DomainError::NotFound {
            entity: Entity::Task,
            id: UNKNOWN_TASK.to_string(),
        });
}

#[test]
fn a_finished_task_is_not_reassigned() {
    let err = given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(reassign(SO_NOI_VU, None))
    .then_err(|e| {
        matches!(
            e,
            DomainError::TaskStatusForbids {
                status: "completed",
                ..
            }
        )
    });
    assert_mentions(&err, &[TTHC_TITLE, "completed", "reopen it"]);
}

// --- transfer after a merger -------------------------------------------------------

pub(crate) fn transfer(task_id: TaskId, from_agency: AgencyId, to_agency: AgencyId) -> Command {
    Command::TransferTask {
        task_id,
        from_agency,
        to_agency,
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    }
}

pub(crate) fn transferred(
    task_id: TaskId,
    from_agency: AgencyId,
    to_agency: AgencyId,
    role: TaskRole,
) -> Event {
    Event::TaskTransferred(TaskTransferred {
        task_id,
        from_agency,
        to_agency,
        role,
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    })
}

#[test]
fn a_merged_coordinator_passes_its_role_to_the_successor() {
    let world = given(&with_tasks([tt_tt_merged_into_kh_cn()]))
        .when(transfer(TTHC, SO_TT_TT, SO_KH_CN))
        .then(&[transferred(TTHC, SO_TT_TT, SO_KH_CN, TaskRole::Coordinator)]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.coordinators, vec![SO_NOI_VU, SO_KH_CN]);
    assert_eq!(task.inherited_from, vec![SO_TT_TT]);
}

#[test]
fn a_merged_lead_passes_the_task_to_the_successor() {
    let merged = reform_domain::AgencyMerged {
        agency_id: SO_TU_PHAP,
        successor: SO_NOI_VU,
        effective_on: date(2025, 3, 1),
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    };
    let world = given(&with_tasks([Event::AgencyMerged(merged)]))
        .when(transfer(TTHC, SO_TU_PHAP, SO_NOI_VU))
        .then(&[transferred(TTHC, SO_TU_PHAP, SO_NOI_VU, TaskRole::Lead)]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.lead, SO_NOI_VU);
    assert_eq!(
        task.coordinators,
        vec![SO_TT_TT],
        "the new lead no longer coordinates"
    );
}

#[test]
fn a_task_passes_only_from_an_agency_merged_into_the_target() {
    let message = given(&with_tasks([]))
        .when(transfer(TTHC, SO_TT_TT, SO_KH_CN))
        .then_invalid("to_agency");
    assert!(message.contains(SO_TT_TT_NAME), "{message}");
    given(&with_tasks([tt_tt_merged_into_kh_cn()]))
        .when(transfer(TTHC, SO_TT_TT, SO_TAI_CHINH))
        .then_invalid("to_agency");
    given(&with_tasks([]))
        .when(transfer(TTHC, UNKNOWN_AGENCY, SO_KH_CN))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
}

#[test]
fn a_task_passes_only_from_an_agency_that_takes_part_in_it() {
    let message = given(&with_tasks([tt_tt_merged_into_kh_cn()]))
        .when(transfer(TUYEN_TRUYEN, SO_TT_TT, SO_KH_CN))
        .then_invalid("from_agency");
    assert!(
        message.contains(SO_TT_TT_NAME) && message.contains("Tuyên truyền cải cách hành chính"),
        "{message}"
    );
}

#[test]
fn a_task_does_not_pass_to_a_successor_that_has_itself_ceased() {
    let kh_cn_merged = reform_domain::AgencyMerged {
        agency_id: SO_KH_CN,
        successor: SO_TAI_CHINH,
        effective_on: date(2025, 7, 1),
        legal_basis: "Nghị quyết 202/2025/QH15".to_owned(),
    };
    given(&with_tasks([
        tt_tt_merged_into_kh_cn(),
        Event::AgencyMerged(kh_cn_merged),
    ]))
    .when(transfer(TTHC, SO_TT_TT, SO_KH_CN))
    .then_err(|e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_KH_CN));
}

#[test]
fn a_transfer_names_its_legal_basis_and_concerns_open_tasks() {
    given(&with_tasks([tt_tt_merged_into_kh_cn()]))
        .when(Command::TransferTask {
            task_id: TTHC,
            from_agency: SO_TT_TT,
            to_agency: SO_KH_CN,
            legal_basis: String::new(),
        })
        .then_invalid("legal_basis");
    given(&with_tasks([tt_tt_merged_into_kh_cn(), cancelled(TTHC)]))
        .when(transfer(TTHC, SO_TT_TT, SO_KH_CN))
        .then_err(|e| {
            matches!(
                e,
                DomainError::TaskStatusForbids {
                    status: "cancelled",
                    ..
                }
            )
        });
}

#[test]
fn a_description_is_at_most_20000_characters() {
    let message = given(&ha_tinh())
        .when(create(TaskCreated {
            description: Some("ệ".repeat(20_001)),
            ..tthc_created()
        }))
        .then_invalid("description");
    assert!(message.contains("20000"), "{message}");
}

#[test]
fn a_reassignment_that_changes_nothing_is_refused() {
    let message = given(&with_tasks([]))
        .when(reassign(SO_TU_PHAP, Some(vec![SO_TT_TT, SO_NOI_VU])))
        .then_invalid("coordinators");
    assert!(message.contains("already"), "{message}");
}

// --- amendment with the plan ------------------------------------------------------

const AMENDMENT_REASON: &str = "Kế hoạch sửa đổi ngày 02/4/2024";

/// An amendment; `of` makes the command for a task.
#[derive(Default)]
struct Amend {
    title: Option<String>,
    expected_output: Option<String>,
    category: Option<TaskCategory>,
    deadline: Option<Deadline>,
    coordinators: Option<Vec<AgencyId>>,
    reason: Option<String>,
}

impl Amend {
    fn of(self, task_id: TaskId) -> Command {
        Command::AmendTask {
            task_id,
            title: self.title,
            expected_output: self.expected_output,
            category: self.category,
            deadline: self.deadline,
            coordinators: self.coordinators,
            reason: self.reason.unwrap_or_else(|| AMENDMENT_REASON.to_owned()),
        }
    }
}

#[test]
fn a_task_keeps_its_number_in_the_plans_table() {
    let numbered = TaskCreated {
        reference: Some("2.1".to_owned()),
        ..tthc_created()
    };
    let world = given(&ha_tinh())
        .when(create(numbered.clone()))
        .then(&[Event::TaskCreated(numbered.clone())]);
    assert_eq!(world.tasks[&TTHC].reference.as_deref(), Some("2.1"));
    for bad in ["", "2. 1", &"1".repeat(33)] {
        given(&ha_tinh())
            .when(create(TaskCreated {
                reference: Some(bad.to_owned()),
                ..tthc_created()
            }))
            .then_invalid("reference");
    }
}

#[test]
fn an_amendment_records_only_what_changed() {
    let world = given(&with_tasks([]))
        .when(Command::AmendTask {
            task_id: TTHC,
            title: Some(format!(" {TTHC_TITLE} ")),
            expected_output: Some("Quyết định phê duyệt phương án đơn giản hóa".to_owned()),
            category: Some(TaskCategory::Pillar(Pillar::AdministrativeProcedures)),
            // Earlier than before: a plan may bring a deadline forward.
            deadline: Some(Deadline::On(date(2024, 3, 31))),
            coordinators: Some(vec![SO_TT_TT, SO_NOI_VU]),
            reason: AMENDMENT_REASON.to_owned(),
        })
        .then(&[Event::TaskAmended(TaskAmended {
            task_id: TTHC,
            title: None,
            expected_output: Some("Quyết định phê duyệt phương án đơn giản hóa".to_owned()),
            category: None,
            deadline: Some(Deadline::On(date(2024, 3, 31))),
            coordinators: None,
        })]);
    let task = &world.tasks[&TTHC];
    assert_eq!(task.deadline, Deadline::On(date(2024, 3, 31)));
    assert_eq!(task.original_deadline, Deadline::On(date(2024, 6, 30)));
    assert_eq!(
        task.expected_output,
        "Quyết định phê duyệt phương án đơn giản hóa"
    );

    let message = given(&with_tasks([]))
        .when(
            Amend {
                title: Some(TTHC_TITLE.to_owned()),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then_invalid("task_id");
    assert!(message.contains("changes nothing"), "{message}");
}

#[test]
fn an_amendment_to_ongoing_work_and_new_coordinators_is_checked() {
    let world = given(&with_tasks([]))
        .when(
            Amend {
                deadline: Some(Deadline::Ongoing),
                coordinators: Some(vec![SO_NOI_VU]),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then(&[Event::TaskAmended(TaskAmended {
            task_id: TTHC,
            title: None,
            expected_output: None,
            category: None,
            deadline: Some(Deadline::Ongoing),
            coordinators: Some(vec![SO_NOI_VU]),
        })]);
    assert_eq!(world.tasks[&TTHC].coordinators, vec![SO_NOI_VU]);
    given(&with_tasks([]))
        .when(
            Amend {
                coordinators: Some(vec![SO_TU_PHAP]),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then_invalid("coordinators");
    given(&with_tasks([]))
        .when(
            Amend {
                coordinators: Some(vec![UNKNOWN_AGENCY]),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Agency,
                    ..
                }
            )
        });
}

#[test]
fn cancelled_tasks_and_completed_deadlines_are_not_amended() {
    given(&with_tasks([cancelled(TTHC)]))
        .when(
            Amend {
                title: Some("Nội dung mới".to_owned()),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then_invalid("task_id");
    given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(
        Amend {
            deadline: Some(Deadline::On(date(2024, 5, 1))),
            ..Amend::default()
        }
        .of(TTHC),
    )
    .then_invalid("deadline");
    given(&with_tasks([completed(
        date(2024, 6, 1),
        Timeliness::Early,
        0,
    )]))
    .when(
        Amend {
            title: Some("Rà soát, đơn giản hóa TTHC lĩnh vực tư pháp".to_owned()),
            ..Amend::default()
        }
        .of(TTHC),
    )
    .then(&[Event::TaskAmended(TaskAmended {
        task_id: TTHC,
        title: Some("Rà soát, đơn giản hóa TTHC lĩnh vực tư pháp".to_owned()),
        expected_output: None,
        category: None,
        deadline: None,
        coordinators: None,
    })]);
    given(&with_tasks([]))
        .when(
            Amend {
                title: Some("Nội dung mới".to_owned()),
                reason: Some(" ".to_owned()),
                ..Amend::default()
            }
            .of(TTHC),
        )
        .then_invalid("reason");
    given(&with_tasks([]))
        .when(
            Amend {
                title: Some("Nội dung mới".to_owned()),
                ..Amend::default()
            }
            .of(UNKNOWN_TASK),
        )
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Task,
                    ..
                }
            )
        });
}

#[test]
fn a_deadline_lies_in_the_years_its_plan_may_set() {
    // The 2024 plan may set deadlines from 2023 to 2034; a typo of a year may not.
    for day in [
        NaiveDate::from_ymd_opt(0, 6, 30),
        NaiveDate::from_ymd_opt(9999, 6, 30),
        NaiveDate::from_ymd_opt(2022, 12, 31),
        NaiveDate::from_ymd_opt(2035, 1, 1),
    ] {
        let day = day.expect("a date");
        let message = given(&ha_tinh())
            .when(create(TaskCreated {
                deadline: Deadline::On(day),
                ..tthc_created()
            }))
            .then_invalid("deadline");
        assert!(message.contains("check the year"), "{day}: {message}");
    }
    given(&ha_tinh())
        .when(create(TaskCreated {
            deadline: Deadline::On(date(2025, 12, 31)),
            ..tthc_created()
        }))
        .then(&[Event::TaskCreated(TaskCreated {
            deadline: Deadline::On(date(2025, 12, 31)),
            ..tthc_created()
        })]);
}
