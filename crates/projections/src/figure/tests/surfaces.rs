//! Every surface of the model on a day against the fold of the same events, and
//! "overdue on a day" over the whole history.

use super::*;

pub(super) fn model_until(history: &History, day: NaiveDate) -> ProgressModel {
    let mut model = ProgressModel::default();
    for (event, when) in &history.log {
        if when.date_naive() <= day {
            model.apply(event, *when);
        }
    }
    model
}

pub(super) fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

pub(super) fn tree_figures(node: &RollupNode, out: &mut BTreeMap<TaskId, Option<f64>>) {
    if let NodeRef::Task(id) = node.node {
        out.insert(id, node.percent);
    }
    for child in &node.children {
        tree_figures(child, out);
    }
}

/// Every surface of `model` (the record as it stood at the end of `day`) on `day`
/// against the fold of the same events.
pub(super) fn surfaces_agree(history: &History, day: NaiveDate) -> Result<(), TestCaseError> {
    let model = model_until(history, day);
    let record = Record::replay(
        history
            .log
            .iter()
            .filter(|(_, when)| when.date_naive() <= day)
            .map(|(e, _)| e),
    );
    prop_assert_eq!(model.tasks.len(), record.tasks.len());

    // Task (what `Task.percent` / `status` / `overdue` show).
    let mut expected_counts = crate::queries::StatusCounts::default();
    let mut percents = Vec::new();
    for (id, row) in &model.tasks {
        let figure = model.task_figure(row, day);
        let (percent, status) = record.figure(*id);
        let standing = record.standing(*id, day);
        prop_assert!(
            close(figure.percent, percent),
            "{id}: {figure:?} vs {percent:?}"
        );
        prop_assert_eq!(figure.status, status, "{}", id);
        prop_assert_eq!(figure.standing, standing, "{}", id);
        prop_assert_eq!(model.task_status(row), status);
        expected_counts.count(&figure);
        percents.extend(percent);
    }

    // The roll-up tree, of every plan and of each program: the same figure per task.
    let mut trees = vec![rollup_tree(&model, None, day)];
    for program in &history.programs {
        trees.push(rollup_tree(&model, Some(*program), day));
    }
    let mut in_all = BTreeMap::new();
    tree_figures(&trees[0], &mut in_all);
    prop_assert_eq!(in_all.len(), model.tasks.len());
    for tree in &trees {
        let mut shown = BTreeMap::new();
        tree_figures(tree, &mut shown);
        for (id, percent) in shown {
            prop_assert!(close(percent, record.figure(id).0), "tree: {id}");
            let node = tree.find(NodeRef::Task(id)).map(|n| n.counts);
            if record.subtasks(id).next().is_none() {
                // A task without subtasks counts itself, where it stands.
                let mut own = crate::queries::StatusCounts::default();
                own.count(&model.task_figure(&model.tasks[&id], day));
                prop_assert_eq!(node, Some(own));
            }
        }
    }

    // The task list: counts, average, and the status filter.
    let all = select_tasks(&model, &TaskFilter::default(), TaskOrder::Deadline, day);
    prop_assert_eq!(all.counts, expected_counts);
    let average =
        (!percents.is_empty()).then(|| percents.iter().sum::<f64>() / percents.len() as f64);
    prop_assert!(
        close(all.average_percent, average),
        "{:?} vs {:?}",
        all.average_percent,
        average
    );
    for status in TaskRowStatus::ALL {
        let filter = TaskFilter {
            status: Some(*status),
            ..TaskFilter::default()
        };
        let listed: BTreeSet<TaskId> = tasks(&model, &filter, TaskOrder::Title)
            .iter()
            .map(|t| t.task_id)
            .collect();
        let expected: BTreeSet<TaskId> = record
            .tasks
            .keys()
            .filter(|id| record.figure(**id).1 == *status)
            .copied()
            .collect();
        prop_assert_eq!(listed, expected, "status {:?}", status);
    }

    // Agency tallies and scorecards: the led tasks by where they stand.
    let tallies = agency_tallies(&model, day);
    for agency in &history.agencies {
        let led: Vec<Standing> = record
            .tasks
            .iter()
            .filter(|(_, t)| t.lead == *agency && t.life != Life::Cancelled)
            .map(|(id, _)| record.standing(*id, day))
            .collect();
        let count = |f: fn(&Standing) -> bool| led.iter().filter(|s| f(s)).count();
        let expected = (
            count(|s| matches!(s, Standing::Early | Standing::OnTime)),
            count(|s| *s == Standing::Late),
            count(|s| *s == Standing::Overdue),
        );
        let tally = tallies.get(agency).copied().unwrap_or_default();
        prop_assert_eq!(
            (
                tally.completed_in_time,
                tally.completed_late,
                tally.overdue_now
            ),
            expected
        );
        let card = scorecard(&model, *agency, day, NO_FALLBACK);
        prop_assert!(card.is_some());
        if let Some(card) = card {
            prop_assert_eq!(
                (
                    card.completed_in_time,
                    card.completed_late,
                    card.overdue_now
                ),
                expected
            );
            // The head in office, or the last one of an agency that has ceased.
            let last_day = record
                .ceased
                .get(agency)
                .and_then(|c| c.pred_opt())
                .map_or(day, |last| last.min(day));
            let head = record
                .tenures(*agency, last_day)
                .into_iter()
                .find(|(_, from, to)| *from <= last_day && last_day <= *to)
                .map(|(name, _, _)| name);
            prop_assert_eq!(card.head.map(|h| h.name), head);
        }
    }

    // Accountability: each tenure answers for its led tasks falling due in it, or
    // completed in it before their deadline, by where they stand.
    let rows = accountability(&model, None, None, day, NO_FALLBACK, &RewardRule::default());
    for agency in &history.agencies {
        for (name, from, to) in record.tenures(*agency, day) {
            if to < from {
                continue;
            }
            let answered: Vec<Standing> = record
                .tasks
                .iter()
                .filter(|(_, t)| t.life != Life::Cancelled)
                .filter_map(|(id, t)| {
                    let deadline = t.deadline?;
                    let answered_on = match t.life {
                        Life::Done { on, .. } => on.min(deadline),
                        _ => deadline,
                    };
                    (from <= answered_on
                        && answered_on <= to
                        && record.lead_on(*id, answered_on) == *agency)
                        .then(|| record.standing(*id, day))
                })
                .collect();
            let count = |f: fn(&Standing) -> bool| answered.iter().filter(|s| f(s)).count();
            let row = rows
                .iter()
                .find(|r| r.agency_id == *agency && r.head.name == name && r.head.from == from);
            prop_assert!(row.is_some(), "no row for {name}");
            if let Some(row) = row {
                prop_assert_eq!(row.counted_to, to);
                prop_assert_eq!(
                    (
                        row.tasks_due,
                        row.completed_in_time,
                        row.completed_late,
                        row.overdue_now
                    ),
                    (
                        answered.len(),
                        count(|s| matches!(s, Standing::Early | Standing::OnTime)),
                        count(|s| *s == Standing::Late),
                        count(|s| *s == Standing::Overdue),
                    ),
                    "{}",
                    name
                );
            }
        }
    }
    Ok(())
}

/// "Overdue on `day`" over the whole history: the tasks open on that day (a
/// completion counting from its completion date) and past the deadline in force then.
pub(super) fn overdue_as_it_stood(history: &History, day: NaiveDate) -> Result<(), TestCaseError> {
    let model = model_until(history, history.last_day);
    let effective = |event: &Event, when: &DateTime<Utc>| match event {
        Event::TaskCompleted(e) => e.completed_on,
        _ => when.date_naive(),
    };
    let record = Record::replay(
        history
            .log
            .iter()
            .filter(|(e, when)| effective(e, when) <= day)
            .map(|(e, _)| e),
    );
    let expected: BTreeSet<TaskId> = record
        .tasks
        .iter()
        .filter(|(_, t)| t.life == Life::Open && t.deadline.is_some_and(|d| d < day))
        .map(|(id, _)| *id)
        .collect();
    let filter = TaskFilter {
        overdue_on: Some(day),
        ..TaskFilter::default()
    };
    let listed: BTreeSet<TaskId> = tasks(&model, &filter, TaskOrder::Deadline)
        .iter()
        .map(|t| t.task_id)
        .collect();
    prop_assert_eq!(listed, expected, "overdue on {}", day);
    Ok(())
}

pub(super) fn rule() -> impl Strategy<Value = RollupRule> {
    prop::sample::select(RollupRule::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// On random days, every surface shows each task's percent and status as the fold
    /// computes them, and "overdue on a day" is answered as things stood that day.
    #[test]
    fn every_surface_shows_the_figure_the_events_give(
        rules in [rule(), rule(), rule()],
        steps in prop::collection::vec(step(), 20..100),
        picks in prop::collection::vec(0u64..1000, 4),
    ) {
        let history = record(rules, &steps);
        let span = (history.last_day - history.first_day).num_days().max(0) as u64 + 3;
        for pick in picks {
            let day = plus(history.first_day, pick % span);
            surfaces_agree(&history, day)?;
            overdue_as_it_stood(&history, day)?;
        }
        surfaces_agree(&history, history.last_day)?;
    }
}
