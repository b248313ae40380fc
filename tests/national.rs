//! The national generator (`reform-dev generate --national`): the register's 63
//! provinces merged into 34 on 1/7/2025, their agencies, plans, tasks with monthly
//! reports, dossier statistics — every act dated its day, none after today — and the
//! same country for the same seed.

use chrono::{Datelike, Utc};
use reform_commands::CommandHandler;
use reform_devtools::national::{generate_national, NationalShape};
use reform_projections::{DocumentRowKind, TaskRowStatus};

use crate::support::stores::TestStore;

fn shape(seed: u64) -> NationalShape {
    NationalShape {
        departments: 1,
        communes: 2,
        tasks_per_agency: 1,
        last_year: 2030,
        writers: 4,
        seed,
    }
}

/// Every event of the log as content alone: stream, version, type and payload.
async fn content(t: &TestStore) -> Vec<(String, u64, String, String)> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = t.store.read_all(after, 5_000).await.expect("the log");
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        after = last;
        all.extend(page.into_iter().map(|e| {
            (
                e.stream_id.as_str().to_owned(),
                e.stream_version,
                e.event_type,
                e.payload,
            )
        }));
    }
    all.sort();
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_generator_makes_the_country_of_the_register() {
    let t = TestStore::sqlite().await;
    let handler = CommandHandler::new(t.store.clone());
    let made = generate_national(&handler, &shape(76))
        .await
        .expect("the country is generated");
    let today = Utc::now().date_naive();
    // 63 provinces, 3 leading agencies each, one task a year 2021–2025; the 34 that
    // remain (with one commune left each) from 2026 to today.
    let years_after = (2026..=today.year()).count() as u64;
    assert_eq!(made.tasks, 63 * 3 * 5 + 34 * 2 * years_after, "{made:?}");

    let model = reform_projections::as_of(t.store.as_ref(), Utc::now())
        .await
        .expect("the model");
    let live: Vec<_> = model
        .jurisdictions
        .values()
        .filter(|j| j.code != "VN" && j.successor.is_none())
        .collect();
    assert_eq!(live.len(), 34, "34 provinces after 1/7/2025");
    // Plans after the reorganisation are the 34 provinces' own.
    for plan in model
        .documents
        .values()
        .filter(|d| d.kind == DocumentRowKind::Plan && d.from_year >= Some(2026))
    {
        assert!(
            live.iter().any(|j| j.code == plan.jurisdiction),
            "{} of {} after the mergers",
            plan.number,
            plan.jurisdiction
        );
    }
    // Open work of a merged province passed to the successor's agencies.
    for task in model.tasks.values().filter(|t| t.is_open()) {
        let lead = &model.agencies[&task.lead_id];
        assert!(
            lead.successor_id.is_none(),
            "an open task is led by a merged agency: {task:?}"
        );
    }
    assert!(
        model
            .tasks
            .values()
            .any(|t| t.status == TaskRowStatus::Completed),
        "tasks are completed"
    );
    assert!(
        model.tasks.values().any(|t| t.last_reported_on.is_some()),
        "tasks are reported on"
    );
    let months = model
        .records
        .values()
        .map(|r| r.dossiers.len())
        .max()
        .unwrap_or(0);
    assert!(months >= 40, "monthly dossier statistics: {months}");
    // No act dated after today, and each record's acts in order.
    let mut after = 0;
    let mut last_of: std::collections::HashMap<String, chrono::DateTime<Utc>> =
        std::collections::HashMap::new();
    loop {
        let page = t.store.read_all(after, 5_000).await.expect("the log");
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        after = last;
        for e in page {
            let at = e.metadata.occurred_at;
            assert!(at.date_naive() <= today, "{} dated {at}", e.event_type);
            let previous = last_of.insert(e.stream_id.as_str().to_owned(), at);
            assert!(
                previous.is_none_or(|p| p <= at),
                "{} of {} dated before the act before it",
                e.event_type,
                e.stream_id.as_str()
            );
        }
    }
    let plans = model
        .documents
        .values()
        .filter(|d| d.kind == DocumentRowKind::Plan)
        .count();
    assert_eq!(
        plans as u64,
        63 * 5 + 34 * years_after,
        "a plan a year per province"
    );

    // The same seed makes the same country.
    let again = TestStore::sqlite().await;
    generate_national(&CommandHandler::new(again.store.clone()), &shape(76))
        .await
        .expect("generated again");
    assert_eq!(content(&t).await, content(&again).await);
}

/// What a viewer of `province` is shown of `model` on `day`: its roll-up tree, the
/// register, and its own and the national documents, tasks, agencies, their tallies
/// and records, by the full model's register (`within`).
fn shown_to(
    model: &reform_projections::ProgressModel,
    within: &reform_projections::ProgressModel,
    province: &str,
    day: chrono::NaiveDate,
) -> String {
    use reform_projections::queries;
    let ours = |code: &str| code == reform_domain::NATIONAL || within.lies_in(code, Some(province));
    let documents: Vec<_> = model
        .documents
        .values()
        .filter(|d| ours(&d.jurisdiction))
        .collect();
    let plans_of = |task: &reform_projections::TaskRow| {
        model
            .documents
            .get(&task.plan_id)
            .is_some_and(|d| ours(&d.jurisdiction))
    };
    let tasks: Vec<_> = model.tasks.values().filter(|t| plans_of(t)).collect();
    let agencies: Vec<_> = model
        .agencies
        .values()
        .filter(|a| ours(&a.jurisdiction))
        .collect();
    let tallies = queries::agency_tallies(model, day);
    let tallied: Vec<_> = agencies
        .iter()
        .map(|a| (a.agency_id, tallies.get(&a.agency_id).copied()))
        .collect();
    let records: Vec<_> = agencies
        .iter()
        .map(|a| model.records.get(&a.agency_id))
        .collect();
    let tree = queries::rollup_tree_in(model, None, Some(province), day);
    format!(
        "{tree:?}\n{:?}\n{documents:?}\n{tasks:?}\n{agencies:?}\n{tallied:?}\n{records:?}",
        model.jurisdictions
    )
}

/// One province's time travel reads its own streams through the store's index by
/// jurisdiction, and shows its viewer what the whole log's fold shows: before and
/// after the 1/7/2025 mergers, for a province that took others in, one unchanged and
/// one that ceased — also once the index is dropped and rebuilt by its migration, as
/// for a log written before it.
async fn one_province_time_travel_equals_the_whole_fold(t: TestStore) {
    use chrono::TimeZone;
    let handler = CommandHandler::new(t.store.clone());
    generate_national(&handler, &shape(19))
        .await
        .expect("the country is generated");
    let now = Utc::now();
    let instants = [
        Utc.with_ymd_and_hms(2023, 6, 30, 23, 59, 59).unwrap(),
        Utc.with_ymd_and_hms(2025, 6, 30, 23, 59, 59).unwrap(),
        Utc.with_ymd_and_hms(2025, 7, 1, 23, 59, 59).unwrap(),
        now,
    ];
    let register = reform_projections::as_of(t.store.as_ref(), now)
        .await
        .expect("the whole fold");
    // Đà Nẵng took Quảng Nam in; Hà Nội is unchanged; Quảng Nam ceased.
    assert_eq!(
        register
            .jurisdiction("VN-27")
            .and_then(|j| j.successor.as_deref()),
        Some("VN-DN")
    );
    same_as_the_whole_fold(t.store.as_ref(), &register, &instants, now).await;

    // As for a log written before the index: dropped, then filed again on open.
    let filed = t.store.filed_jurisdictions().await.expect("codes");
    assert!(filed.iter().any(|c| c == "VN-27") && filed.iter().any(|c| c == "VN"));
    let drop = if t.url.starts_with("sqlite:") {
        "DROP TRIGGER events_file_stream; DROP TABLE stream_jurisdictions; \
         DELETE FROM _sqlx_migrations WHERE version = 9"
    } else {
        "DROP TRIGGER events_file_stream ON events; DROP FUNCTION file_stream(); \
         DROP TABLE stream_jurisdictions; DELETE FROM _sqlx_migrations WHERE version = 9"
    };
    for statement in drop.split("; ") {
        t.raw_execute(statement).await.expect("dropping the index");
    }
    let reopened = t.reopen().await;
    assert_eq!(reopened.filed_jurisdictions().await.expect("codes"), filed);
    same_as_the_whole_fold(reopened.as_ref(), &register, &instants, now).await;
}

/// Each province's fold at each instant against the whole log's.
async fn same_as_the_whole_fold(
    store: &dyn reform_store::EventStore,
    register: &reform_projections::ProgressModel,
    instants: &[chrono::DateTime<Utc>],
    now: chrono::DateTime<Utc>,
) {
    for &instant in instants {
        let whole = reform_projections::as_of(store, instant)
            .await
            .expect("the whole fold");
        for province in ["VN-DN", "VN-HN", "VN-27"] {
            let one = reform_projections::as_of_in(store, instant, province)
                .await
                .expect("one province's fold");
            let day = instant.date_naive();
            assert_eq!(
                shown_to(&one, register, province, day),
                shown_to(&whole, register, province, day),
                "{province} as of {instant}"
            );
            if instant == now {
                assert!(
                    one.tasks.len() * 10 < whole.tasks.len(),
                    "{province}: {} of {} tasks folded",
                    one.tasks.len(),
                    whole.tasks.len()
                );
                assert!(!one.tasks.is_empty(), "{province} has tasks");
            }
        }
    }
}

crate::support::stores::on_both_engines!(one_province_time_travel_equals_the_whole_fold);
