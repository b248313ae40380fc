//! Business time: the day an act took place, checked against the records it touches
//! ([`chronology::settle`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use reform_domain::chronology::{settle, start_of};
use reform_domain::{DomainError, Event, TaskCreated, World};

use crate::support::*;
use crate::task::{complete, create, progress, tthc_created, TTHC};

/// The caller's clock: 10:00 UTC on 1 December 2024.
fn now() -> DateTime<Utc> {
    start_of(date(2024, 12, 1)) + Duration::hours(10)
}

/// Hà Tĩnh's agencies and documents, each recorded on `day`, then `more` on their
/// own days.
fn recorded(day: NaiveDate, more: &[(Event, NaiveDate)]) -> World {
    let mut world = World::default();
    for event in ha_tinh() {
        world.apply_at(&event, start_of(day));
    }
    for (event, on) in more {
        world.apply_at(event, start_of(*on));
    }
    world
}

fn refused(result: Result<DateTime<Utc>, DomainError>, field: &str, needle: &str) {
    match result {
        Err(DomainError::InvalidInput { field: f, message }) => {
            assert_eq!(f, field, "{message}");
            assert!(message.contains(needle), "{message:?} lacks {needle:?}");
        }
        other => panic!("expected {field} refused ({needle}), got {other:?}"),
    }
}

#[test]
fn an_act_without_a_day_is_dated_now() {
    let world = recorded(date(2024, 1, 10), &[]);
    assert_eq!(
        settle(&world, &create(tthc_created()), None, now()),
        Ok(now())
    );
}

#[test]
fn an_act_dated_today_keeps_the_time_it_was_sent() {
    let world = recorded(date(2024, 1, 10), &[]);
    let today = now().date_naive();
    assert_eq!(
        settle(&world, &create(tthc_created()), Some(today), now()),
        Ok(now())
    );
}

#[test]
fn an_act_entered_in_arrears_is_dated_its_day() {
    let world = recorded(date(2024, 1, 10), &[]);
    assert_eq!(
        settle(
            &world,
            &create(tthc_created()),
            Some(date(2024, 2, 1)),
            now()
        ),
        Ok(start_of(date(2024, 2, 1)))
    );
}

#[test]
fn no_act_is_dated_after_today() {
    let world = recorded(date(2024, 1, 10), &[]);
    refused(
        settle(
            &world,
            &create(tthc_created()),
            Some(date(2024, 12, 2)),
            now(),
        ),
        "on",
        "after today (2024-12-01)",
    );
    // A completion's own day is its act's day, and is held to the same rule.
    let world = recorded(
        date(2024, 1, 10),
        &[(Event::TaskCreated(tthc_created()), date(2024, 2, 1))],
    );
    refused(
        settle(
            &world,
            &complete(TTHC, SO_TU_PHAP, date(2025, 1, 1)),
            None,
            now(),
        ),
        "completed_on",
        "after today",
    );
}

#[test]
fn an_act_is_not_dated_before_what_it_refers_to() {
    // The plan and its agencies were recorded as of 10/01/2024: a task it assigns
    // cannot have been assigned on 05/01.
    let world = recorded(date(2024, 1, 10), &[]);
    refused(
        settle(
            &world,
            &create(tthc_created()),
            Some(date(2024, 1, 5)),
            now(),
        ),
        "on",
        "before the",
    );
    // On the day itself it may, dated no earlier than what it refers to.
    assert_eq!(
        settle(
            &world,
            &create(tthc_created()),
            Some(date(2024, 1, 10)),
            now()
        ),
        Ok(start_of(date(2024, 1, 10)))
    );
}

#[test]
fn a_records_history_is_kept_in_order() {
    let world = recorded(
        date(2024, 1, 10),
        &[(Event::TaskCreated(tthc_created()), date(2024, 2, 1))],
    );
    // A report of 15/04 recorded; a completion dated 10/03 would come before it.
    let mut world = world;
    let report = reform_domain::decide(&world, progress(TTHC, SO_TU_PHAP, 40)).expect("accepted");
    for event in &report {
        world.apply_at(event, start_of(date(2024, 4, 15)));
    }
    refused(
        settle(
            &world,
            &complete(TTHC, SO_TU_PHAP, date(2024, 3, 10)),
            None,
            now(),
        ),
        "completed_on",
        "last act on this task (2024-04-15)",
    );
    assert_eq!(
        settle(
            &world,
            &complete(TTHC, SO_TU_PHAP, date(2024, 4, 20)),
            None,
            now()
        ),
        Ok(start_of(date(2024, 4, 20)))
    );
}

#[test]
fn a_commands_own_day_is_its_acts_day() {
    // A batch dated with one `on` dates the acts without a day of their own; a
    // completion keeps its `completed_on`.
    let world = recorded(
        date(2024, 1, 10),
        &[(Event::TaskCreated(tthc_created()), date(2024, 2, 1))],
    );
    let command = complete(TTHC, SO_TU_PHAP, date(2024, 4, 20));
    assert_eq!(
        settle(&world, &command, Some(date(2024, 2, 2)), now()),
        Ok(start_of(date(2024, 4, 20)))
    );
}

#[test]
fn records_folded_without_times_constrain_nothing() {
    // A world folded without business times (tests, old callers): any past day goes.
    let world = World::from_events(&ha_tinh());
    assert_eq!(
        settle(
            &world,
            &create(tthc_created()),
            Some(date(2020, 1, 1)),
            now()
        ),
        Ok(start_of(date(2020, 1, 1)))
    );
}

#[test]
fn a_plan_sets_no_deadline_before_its_issue_date() {
    // PLAN_2024 was issued on 20/12/2023 (support::plan); 2023 is within its years.
    let message = given(&ha_tinh())
        .when(create(TaskCreated {
            deadline: reform_domain::Deadline::On(date(2023, 12, 1)),
            ..tthc_created()
        }))
        .then_invalid("deadline");
    assert!(message.contains("before plan"), "{message}");
}

#[test]
fn a_document_is_on_record_from_its_issue_date() {
    // The 2024 plan was issued on 20/12/2023: it may be entered now, or as of its
    // issue date, not as of a day before it was signed.
    let world = recorded(date(2023, 1, 10), &[]);
    let plan = crate::document::issue_plan(
        reform_domain::DocumentId::generate(),
        PROGRAM_HA_TINH,
        UBND_HA_TINH,
    );
    assert_eq!(settle(&world, &plan, None, now()), Ok(now()));
    assert_eq!(
        settle(&world, &plan, Some(date(2023, 12, 20)), now()),
        Ok(start_of(date(2023, 12, 20)))
    );
    refused(
        settle(&world, &plan, Some(date(2023, 12, 19)), now()),
        "issued_on",
        "a document is on record from its issue date",
    );
}
