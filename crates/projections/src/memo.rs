//! Answers worked out once per model and shared by every reader of it.
//!
//! A [`crate::Snapshot`] never changes, so anything computed from it — the roll-up
//! tree, the per-agency tallies, a filtered and ordered task list — holds for as long
//! as the snapshot is current. A dashboard asked for by many clients at once is then
//! computed by the first of them and read by the rest.
//!
//! **Incremental**: the next snapshot does not start from nothing. When the events
//! folded in between touched only tasks (reports, completions, new tasks: nearly every
//! write), [`Memo::carried`] moves the answers along — each plan's part of the roll-up
//! trees is kept unless one of its tasks changed, the tallies and the task lists take
//! out the changed tasks as they stood and put them back as they stand — so a write
//! costs the tasks it touched (with their parents), the plans they are in and one pass
//! over the plans to assemble a tree, not a pass over every task. Any other event (a
//! document, an agency, the register) starts an empty memo, answered from scratch.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::NaiveDate;
use reform_domain::{AgencyId, DocumentId, RollupRule, TaskId};

use crate::model::{ProgressModel, RowKey, TaskRow};
use crate::queries::{self, Admission, AgencyTally, TaskFilter, TaskOrder, TaskSelection};
use crate::tree::{plan_nodes, rollup_tree_from, PlanNodes, RollupNode};

/// Most entries one cache keeps; beyond it, it starts again (filters are the
/// client's to choose, the memory is ours).
const MAX_ENTRIES: usize = 256;

/// Most plans' parts of roll-up trees kept (the country has some tens of thousands
/// of plans over the program's years).
const MAX_PLANS: usize = 200_000;

/// A map from question to answer, each answer computed once even when asked for by
/// many readers at the same moment (the others wait for the first).
pub struct Cache<K, V> {
    entries: Mutex<HashMap<K, Arc<OnceLock<Arc<V>>>>>,
    capacity: usize,
}

impl<K, V> Default for Cache<K, V> {
    fn default() -> Self {
        Cache::with_capacity(MAX_ENTRIES)
    }
}

impl<K, V> Cache<K, V> {
    /// A cache of at most `capacity` answers.
    pub fn with_capacity(capacity: usize) -> Self {
        Cache {
            entries: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<OnceLock<Arc<V>>>>> {
        // A poisoned lock only means another reader panicked mid-insert; the map
        // itself is still a valid map.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> {
    /// The answers computed so far.
    fn computed(&self) -> Vec<(K, Arc<V>)> {
        self.lock()
            .iter()
            .filter_map(|(k, cell)| cell.get().map(|v| (k.clone(), v.clone())))
            .collect()
    }

    /// Keeps `value` as the answer to `key`.
    fn put(&self, key: K, value: Arc<V>) {
        let cell = OnceLock::new();
        let _ = cell.set(value);
        let mut entries = self.lock();
        if entries.len() < self.capacity {
            entries.insert(key, Arc::new(cell));
        }
    }
}

impl<K: Hash + Eq, V> Cache<K, V> {
    /// The answer to `key`, computed by `compute` unless it already was.
    pub fn get_or_init(&self, key: K, compute: impl FnOnce() -> V) -> Arc<V> {
        let cell = {
            let mut entries = self.lock();
            if entries.len() >= self.capacity && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.entry(key).or_default().clone()
        };
        cell.get_or_init(|| Arc::new(compute())).clone()
    }

    /// How many answers are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The answers computed from one model.
pub struct Memo {
    trees: Cache<(Option<DocumentId>, Option<String>, NaiveDate), RollupNode>,
    plans: Cache<(DocumentId, RollupRule, NaiveDate), PlanNodes>,
    tallies: Cache<NaiveDate, HashMap<AgencyId, AgencyTally>>,
    tasks: Cache<(TaskFilter, TaskOrder, NaiveDate), TaskSelection>,
}

impl Default for Memo {
    fn default() -> Self {
        Memo {
            trees: Cache::default(),
            plans: Cache::with_capacity(MAX_PLANS),
            tallies: Cache::default(),
            tasks: Cache::default(),
        }
    }
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("trees", &self.trees.len())
            .field("plans", &self.plans.len())
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
                rollup_tree_from(model, program, jurisdiction, &|plan, rule| {
                    self.plans
                        .get_or_init((plan, rule, today), || plan_nodes(model, plan, rule, today))
                })
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

impl Memo {
    /// The memo of `after`, the model `before` with events folded in that changed the
    /// rows `touched`, moved along from `previous` (the memo of `before`): see the
    /// module's notes. Equal, answer for answer, to an empty memo of `after` (a
    /// property test in `figure::tests` checks it).
    pub(crate) fn carried(
        previous: &Memo,
        before: &ProgressModel,
        after: &ProgressModel,
        touched: &[RowKey],
    ) -> Memo {
        let mut changed: BTreeSet<TaskId> = BTreeSet::new();
        for key in touched {
            let RowKey::Task(task) = key else {
                return Memo::default();
            };
            // A task's figure is made from its subtasks': its parents change with it.
            for model in [before, after] {
                let mut path: Vec<TaskId> = Vec::new();
                let mut next = Some(*task);
                while let Some(id) = next.filter(|id| !path.contains(id)) {
                    path.push(id);
                    next = model.tasks.get(&id).and_then(|t| t.parent_task_id);
                }
                changed.extend(path);
            }
        }
        if changed.is_empty() {
            return Memo {
                trees: carry_all(&previous.trees),
                plans: carry_all(&previous.plans),
                tallies: carry_all(&previous.tallies),
                tasks: carry_all(&previous.tasks),
            };
        }
        let memo = Memo::default();
        let plans: BTreeSet<DocumentId> = changed
            .iter()
            .flat_map(|id| [before.tasks.get(id), after.tasks.get(id)])
            .flatten()
            .map(|t| t.plan_id)
            .collect();
        // Only the latest day's parts: yesterday's are not asked again.
        let kept = previous.plans.computed();
        let latest = kept.iter().map(|((_, _, day), _)| *day).max();
        for ((plan, rule, day), nodes) in kept {
            if !plans.contains(&plan) && Some(day) == latest {
                memo.plans.put((plan, rule, day), nodes);
            }
        }
        let rows = |model: &ProgressModel| -> Vec<TaskRow> {
            changed
                .iter()
                .filter_map(|id| model.tasks.get(id).cloned())
                .collect()
        };
        let (old_rows, new_rows) = (rows(before), rows(after));
        for (day, tallies) in previous.tallies.computed() {
            let mut tallies = (*tallies).clone();
            for task in &old_rows {
                queries::retally(&mut tallies, before, task, day, false);
            }
            for task in &new_rows {
                queries::retally(&mut tallies, after, task, day, true);
            }
            memo.tallies.put(day, Arc::new(tallies));
        }
        for ((filter, order, day), selection) in previous.tasks.computed() {
            let admission = Admission::new(&filter);
            let mut selection = (*selection).clone();
            let mut out: HashSet<TaskId> = HashSet::new();
            for task in old_rows.iter().filter(|t| admission.admits(before, t)) {
                selection.count(&before.task_figure(task, day), false);
                out.insert(task.task_id);
            }
            selection.ids.retain(|id| !out.contains(id));
            for task in new_rows.iter().filter(|t| admission.admits(after, t)) {
                selection.count(&after.task_figure(task, day), true);
                let at = selection.ids.partition_point(|id| {
                    after
                        .tasks
                        .get(id)
                        .is_some_and(|row| order.compare(row, task).is_lt())
                });
                selection.ids.insert(at, task.task_id);
            }
            memo.tasks.put((filter, order, day), Arc::new(selection));
        }
        memo
    }
}

/// Every computed answer of `cache`, kept as they are.
fn carry_all<K: Hash + Eq + Clone, V>(cache: &Cache<K, V>) -> Cache<K, V> {
    let carried = Cache::with_capacity(cache.capacity);
    for (key, value) in cache.computed() {
        carried.put(key, value);
    }
    carried
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
