//! The merger policy: a merged agency's open tasks pass to its successor.

use reform_domain::{
    decide, policy, AgencyMerged, Command, Deadline, Event, Pillar, TaskCategory, TaskCreated,
    TaskId, TaskRole, TaskTransferred, World,
};
use uuid::Uuid;

use crate::support::*;

const fn task(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(
        0x7A5C_0000_0000_0000_0000_0000_0000_1000 | n,
    ))
}

fn created(
    task_id: TaskId,
    title: &str,
    lead: reform_domain::AgencyId,
    coordinators: Vec<reform_domain::AgencyId>,
) -> Event {
    Event::TaskCreated(TaskCreated {
        reference: None,
        task_id,
        plan: PLAN_2025,
        parent_task: None,
        directive_point: None,
        category: TaskCategory::Pillar(Pillar::DigitalGovernment),
        title: title.to_owned(),
        description: None,
        lead,
        coordinators,
        deadline: Deadline::On(date(2025, 12, 31)),
        expected_output: "Báo cáo kết quả".to_owned(),
        weight: 1,
    })
}

fn merger() -> AgencyMerged {
    let Event::AgencyMerged(m) = tt_tt_merged_into_kh_cn() else {
        unreachable!("a merger")
    };
    m
}

#[test]
fn each_open_task_of_a_merged_agency_passes_to_its_successor() {
    let led = task(1);
    let coordinated = task(2);
    let finished = task(3);
    let cancelled = task(4);
    let unrelated = task(5);
    let history = ha_tinh_and([
        created(
            led,
            "Xây dựng Trung tâm điều hành thông minh",
            SO_TT_TT,
            vec![SO_NOI_VU],
        ),
        created(
            coordinated,
            "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
            SO_NOI_VU,
            vec![SO_TT_TT, SO_KH_CN],
        ),
        created(
            finished,
            "Nâng cấp Cổng dịch vụ công tỉnh",
            SO_TT_TT,
            vec![],
        ),
        created(
            cancelled,
            "Triển khai chữ ký số chuyên dùng",
            SO_TT_TT,
            vec![],
        ),
        created(
            unrelated,
            "Rà soát văn bản quy phạm pháp luật",
            SO_TU_PHAP,
            vec![SO_NOI_VU],
        ),
        Event::TaskCompleted(reform_domain::TaskCompleted {
            task_id: finished,
            completed_by: SO_TT_TT,
            output: "Cổng dịch vụ công phiên bản 2.0".to_owned(),
            completed_on: date(2025, 2, 1),
            timeliness: reform_domain::Timeliness::Early,
            days_late: 0,
        }),
        Event::TaskCancelled(reform_domain::TaskCancelled { task_id: cancelled }),
        tt_tt_merged_into_kh_cn(),
    ]);
    let mut world = World::from_events(&history);

    let commands = policy::transfers_after_merger(&world, &merger());
    let transfer = |task_id| Command::TransferTask {
        task_id,
        from_agency: SO_TT_TT,
        to_agency: SO_KH_CN,
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    };
    assert_eq!(commands, vec![transfer(led), transfer(coordinated)]);

    for (command, role) in commands
        .into_iter()
        .zip([TaskRole::Lead, TaskRole::Coordinator])
    {
        let task_id = match &command {
            Command::TransferTask { task_id, .. } => *task_id,
            other => panic!("not a transfer: {other:?}"),
        };
        let events = decide(&world, command).expect("the policy's commands are accepted");
        assert_eq!(
            events,
            vec![Event::TaskTransferred(TaskTransferred {
                task_id,
                from_agency: SO_TT_TT,
                to_agency: SO_KH_CN,
                role,
                legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
            })]
        );
        events.iter().for_each(|e| world.apply(e));
    }
    assert_eq!(world.tasks[&led].lead, SO_KH_CN);
    assert_eq!(world.tasks[&led].coordinators, vec![SO_NOI_VU]);
    assert_eq!(
        world.tasks[&coordinated].coordinators,
        vec![SO_KH_CN],
        "the successor is listed once"
    );
    assert!(
        policy::transfers_after_merger(&world, &merger()).is_empty(),
        "nothing is left to transfer"
    );
}

#[test]
fn a_merger_of_an_agency_without_tasks_asks_for_nothing() {
    let world = World::from_events(&ha_tinh_and([tt_tt_merged_into_kh_cn()]));
    assert!(policy::transfers_after_merger(&world, &merger()).is_empty());
}
