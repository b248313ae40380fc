//! The incremental memo: after every step, a memo carried from the last snapshot answers
//! every dashboard question as one computed afresh.

use super::*;

/// Asks `memo` of `model` every question a dashboard asks, on `day`: the roll-up tree
/// of all plans and of each program (the country's and the province's), the agency
/// tallies, and task lists under a few filters and both orders.
fn ask(memo: &Memo, model: &ProgressModel, history: &History, day: NaiveDate) -> Answers {
    let mut trees = Vec::new();
    for program in std::iter::once(None).chain(history.programs.iter().copied().map(Some)) {
        for jurisdiction in [None, Some("VN-48"), Some("VN-01")] {
            trees.push(memo.rollup_tree(model, program, jurisdiction, day));
        }
    }
    let filters = [
        TaskFilter::default(),
        TaskFilter {
            jurisdiction: Some("VN-48".into()),
            top_level_only: true,
            ..TaskFilter::default()
        },
        TaskFilter {
            lead: history.agencies.first().copied(),
            ..TaskFilter::default()
        },
        TaskFilter {
            status: Some(TaskRowStatus::InProgress),
            ..TaskFilter::default()
        },
        TaskFilter {
            overdue_on: Some(day),
            ..TaskFilter::default()
        },
    ];
    let mut selections = Vec::new();
    for filter in &filters {
        for order in [TaskOrder::Deadline, TaskOrder::Title] {
            selections.push(memo.tasks(model, filter, order, day));
        }
    }
    Answers {
        trees,
        tallies: memo.agency_tallies(model, day),
        selections,
    }
}

struct Answers {
    trees: Vec<std::sync::Arc<RollupNode>>,
    tallies: std::sync::Arc<std::collections::HashMap<AgencyId, crate::queries::AgencyTally>>,
    selections: Vec<std::sync::Arc<crate::queries::TaskSelection>>,
}

fn same_answers(carried: &Answers, fresh: &Answers) -> Result<(), TestCaseError> {
    prop_assert_eq!(&carried.trees, &fresh.trees);
    prop_assert_eq!(&carried.tallies, &fresh.tallies);
    for (c, f) in carried.selections.iter().zip(&fresh.selections) {
        prop_assert_eq!(&c.ids, &f.ids);
        prop_assert_eq!(c.counts, f.counts);
        prop_assert!(
            close(c.average_percent, f.average_percent),
            "{:?} vs {:?}",
            c.average_percent,
            f.average_percent
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The live view's memo moved along write by write (pages of a few events, each
    /// after the questions were asked) answers every question exactly as a memo
    /// computed afresh from the same model.
    #[test]
    fn an_incremental_memo_answers_as_a_fresh_one(
        rules in [rule(), rule(), rule()],
        steps in prop::collection::vec(step(), 20..80),
        pages in prop::collection::vec(1usize..4, 1..200),
    ) {
        let history = record(rules, &steps);
        let days = [history.last_day, plus(history.first_day, 40)];
        let mut model = ProgressModel::default();
        let mut memo = Memo::default();
        let mut events = history.log.iter();
        let mut sizes = pages.iter().cycle();
        loop {
            let size = *sizes.next().unwrap_or(&1);
            let page: Vec<_> = events.by_ref().take(size).collect();
            if page.is_empty() {
                break;
            }
            for day in days {
                ask(&memo, &model, &history, day);
            }
            let before = model.clone();
            let mut touched = Vec::new();
            for (event, when) in page {
                touched.extend(model.apply(event, *when));
            }
            memo = Memo::carried(&memo, &before, &model, &touched);
            for day in days {
                let carried = ask(&memo, &model, &history, day);
                let fresh = ask(&Memo::default(), &model, &history, day);
                same_answers(&carried, &fresh)?;
            }
        }
    }
}
