//! Answers worked out once per model and shared by every reader of it.
//!
//! A [`crate::Snapshot`] never changes, so anything computed from it — the roll-up
//! tree, the per-agency tallies, a filtered and ordered task list — holds for as long
//! as the snapshot is current. A dashboard asked for by many clients at once is then
//! computed by the first of them and read by the rest; the next snapshot starts with
//! an empty [`Memo`].

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use reform_domain::{AgencyId, DocumentId};

use crate::model::ProgressModel;
use crate::queries::{self, AgencyTally, TaskFilter, TaskOrder, TaskSelection};
use crate::tree::RollupNode;

/// Most entries one cache keeps; beyond it, it starts again (filters are the
/// client's to choose, the memory is ours).
const MAX_ENTRIES: usize = 256;

/// A map from question to answer, each answer computed once even when asked for by
/// many readers at the same moment (the others wait for the first).
pub struct Cache<K, V> {
    entries: Mutex<HashMap<K, Arc<OnceLock<Arc<V>>>>>,
}

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Cache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<K: Hash + Eq, V> Cache<K, V> {
    /// The answer to `key`, computed by `compute` unless it already was.
    pub fn get_or_init(&self, key: K, compute: impl FnOnce() -> V) -> Arc<V> {
        let cell = {
            // A poisoned lock only means another reader panicked mid-insert; the map
            // itself is still a valid map.
            let mut entries = self
                .entries
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.entry(key).or_default().clone()
        };
        cell.get_or_init(|| Arc::new(compute())).clone()
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The answers computed from one model.
#[derive(Default)]
pub struct Memo {
    trees: Cache<(Option<DocumentId>, Option<String>, NaiveDate), RollupNode>,
    tallies: Cache<NaiveDate, HashMap<AgencyId, AgencyTally>>,
    tasks: Cache<(TaskFilter, TaskOrder, NaiveDate), TaskSelection>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("trees", &self.trees.len())
            .field("tallies", &self.tallies.len())
            .field("tasks", &self.tasks.len())
            .finish()
    }
}

impl Memo {
    /// [`queries::rollup_tree_in`] of `model`: the tree of the plans of
    /// `jurisdiction` (all when `None`).
    pub fn rollup_tree(
        &self,
        model: &ProgressModel,
        program: Option<DocumentId>,
        jurisdiction: Option<&str>,
        today: NaiveDate,
    ) -> Arc<RollupNode> {
        self.trees
            .get_or_init((program, jurisdiction.map(str::to_owned), today), || {
                queries::rollup_tree_in(model, program, jurisdiction, today)
            })
    }

    /// [`queries::agency_tallies`] of `model`.
    pub fn agency_tallies(
        &self,
        model: &ProgressModel,
        today: NaiveDate,
    ) -> Arc<HashMap<AgencyId, AgencyTally>> {
        self.tallies
            .get_or_init(today, || queries::agency_tallies(model, today))
    }

    /// [`queries::select_tasks`] of `model`.
    pub fn tasks(
        &self,
        model: &ProgressModel,
        filter: &TaskFilter,
        order: TaskOrder,
        today: NaiveDate,
    ) -> Arc<TaskSelection> {
        self.tasks.get_or_init((filter.clone(), order, today), || {
            queries::select_tasks(model, filter, order, today)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_computed_once_and_the_cache_stays_bounded() {
        let cache: Cache<usize, usize> = Cache::default();
        let mut computed = 0;
        for _ in 0..3 {
            let answer = cache.get_or_init(7, || {
                computed += 1;
                49
            });
            assert_eq!(*answer, 49);
        }
        assert_eq!(computed, 1);
        for key in 0..MAX_ENTRIES * 2 {
            cache.get_or_init(key, || key);
        }
        assert!(cache.len() <= MAX_ENTRIES);
        assert_eq!(*cache.get_or_init(3, || 3), 3);
    }
}
