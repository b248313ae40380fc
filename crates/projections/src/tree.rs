//! The roll-up tree: program → pillar → plan → task → subtask, each node with its
//! counts by status, its percentage and **how the percentage was made**.
//!
//! The rule is the program's (data, changed by the `RollupRuleSet` event), applied the
//! same way at every level:
//! - a task without (uncancelled) subtasks counts its own figure: its percent, or under
//!   the status-based rule 100 when completed, 50 once progress was reported, else 0;
//! - a completed task counts 100 whatever its subtasks say;
//! - any other node combines its children's percentages by the rule — simple average,
//!   or average weighted by weight (a node's weight is the sum of its children's, so the
//!   weighted rule weighs every task by its own weight at every level);
//! - cancelled tasks are counted as cancelled and left out of every percentage, and a
//!   node with nothing to count has no percentage (it does not drag its parent to 0).
//!
//! Counts: a plan counts its top-level tasks, a task its subtasks, a pillar and the
//! program the sums of their children — so the pillar line is the leader's headline of
//! [`crate::queries::pillar_progress`], which is read off this tree.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use reform_domain::{DocumentId, Pillar, RollupRule, TaskId, Timeliness};

use crate::model::{ProgressModel, TaskRow, TaskRowStatus};

/// What a node stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRef {
    /// A program; `None` is every plan on record, whatever program it serves.
    Program(Option<DocumentId>),
    /// A pillar; `None` is cross-cutting work (direction, communication, inspection).
    Pillar(Option<Pillar>),
    /// A plan.
    Plan(DocumentId),
    /// A task or subtask.
    Task(TaskId),
}

/// Tasks by where they stand on the day asked about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    /// Open, not past the deadline, no progress reported.
    pub not_started: usize,
    /// Open, not past the deadline, progress reported.
    pub in_progress: usize,
    /// Open and past the deadline.
    pub overdue: usize,
    /// Completed before the deadline.
    pub early: usize,
    /// Completed on the deadline (or without one).
    pub on_time: usize,
    /// Completed after the deadline.
    pub late: usize,
    /// Cancelled: left out of `counted` and of the percentage.
    pub cancelled: usize,
}

impl StatusCounts {
    /// Tasks that count: every one but the cancelled.
    pub fn counted(&self) -> usize {
        self.not_started + self.in_progress + self.overdue + self.completed()
    }

    /// Completed, whenever.
    pub fn completed(&self) -> usize {
        self.early + self.on_time + self.late
    }

    /// Share of completed tasks completed early or on time, when any are completed.
    pub fn on_time_rate(&self) -> Option<f64> {
        let completed = self.completed();
        (completed > 0).then(|| (self.early + self.on_time) as f64 / completed as f64)
    }

    fn add(&mut self, other: &StatusCounts) {
        self.not_started += other.not_started;
        self.in_progress += other.in_progress;
        self.overdue += other.overdue;
        self.early += other.early;
        self.on_time += other.on_time;
        self.late += other.late;
        self.cancelled += other.cancelled;
    }

    /// Counts one task where it stands on `today`.
    pub fn count(&mut self, task: &TaskRow, today: NaiveDate) {
        if task.status == TaskRowStatus::Cancelled {
            self.cancelled += 1;
        } else if task.status == TaskRowStatus::Completed {
            match task.timeliness {
                Some(Timeliness::Early) => self.early += 1,
                Some(Timeliness::Late) => self.late += 1,
                Some(Timeliness::OnTime) | None => self.on_time += 1,
            }
        } else if task.is_overdue(today) {
            self.overdue += 1;
        } else if task.last_reported_on.is_some() {
            self.in_progress += 1;
        } else {
            self.not_started += 1;
        }
    }
}

/// One figure a node's percentage was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct RollupInput {
    /// The child it came from (for a task's own figure, the task itself).
    pub node: NodeRef,
    /// The child's percentage.
    pub percent: f64,
    /// The child's weight.
    pub weight: u32,
    /// The value the rule took from it (its percentage, or its status's value).
    pub counted: f64,
}

/// A node of the roll-up tree.
#[derive(Clone, Debug, PartialEq)]
pub struct RollupNode {
    /// What it stands for.
    pub node: NodeRef,
    /// Counts by status (see the module's notes on what each level counts).
    pub counts: StatusCounts,
    /// Percent complete by `rule`; `None` when nothing beneath counts.
    pub percent: Option<f64>,
    /// The rule that made `percent`.
    pub rule: RollupRule,
    /// The figures `percent` was made from.
    pub inputs: Vec<RollupInput>,
    /// Weight: a task's own, else the sum of the counted children's.
    pub weight: u32,
    /// Children: pillars in the order of the master program then cross-cutting work,
    /// plans by number, tasks by title.
    pub children: Vec<RollupNode>,
}

impl RollupNode {
    /// Share of completed tasks completed early or on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        self.counts.on_time_rate()
    }

    /// The node for `node` at any depth beneath (or this one).
    pub fn find(&self, node: NodeRef) -> Option<&RollupNode> {
        if self.node == node {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(node))
    }

    fn combine(node: NodeRef, rule: RollupRule, children: Vec<RollupNode>) -> RollupNode {
        let mut counts = StatusCounts::default();
        for child in &children {
            counts.add(&child.counts);
        }
        let inputs: Vec<RollupInput> = children
            .iter()
            .filter_map(|c| {
                c.percent.map(|percent| RollupInput {
                    node: c.node,
                    percent,
                    weight: c.weight,
                    counted: percent,
                })
            })
            .collect();
        RollupNode {
            node,
            counts,
            percent: roll_up(rule, &inputs),
            rule,
            weight: inputs.iter().map(|i| i.weight).sum(),
            inputs,
            children,
        }
    }
}

/// Combines the inputs by the rule; `None` when there are none (or all weigh nothing).
pub fn roll_up(rule: RollupRule, inputs: &[RollupInput]) -> Option<f64> {
    let (sum, weights) = inputs.iter().fold((0.0, 0.0), |(sum, weights), i| {
        let weight = if rule == RollupRule::WeightedAverage {
            f64::from(i.weight)
        } else {
            1.0
        };
        (sum + i.counted * weight, weights + weight)
    });
    (weights > 0.0).then(|| sum / weights)
}

/// The roll-up rule of `program`; the default (simple average) across programs.
pub fn rule_of(model: &ProgressModel, program: Option<DocumentId>) -> RollupRule {
    program
        .and_then(|p| model.documents.get(&p))
        .and_then(|d| d.rollup_rule)
        .unwrap_or(RollupRule::SimpleAverage)
}

/// The roll-up tree of `program` (every plan on record when `None`) as of `today`.
/// Every pillar and the cross-cutting line appear, even when empty.
pub fn rollup_tree(
    model: &ProgressModel,
    program: Option<DocumentId>,
    today: NaiveDate,
) -> RollupNode {
    rollup_tree_in(model, program, None, today)
}

/// Whether a record of `jurisdiction` lies in `within` by its code alone (itself, or a
/// code under it, `VN-DN-…`); everything lies in `None`, the whole country. For codes
/// not in the register: [`ProgressModel::lies_in`] is the rule.
pub(crate) fn lies_in_by_code(jurisdiction: &str, within: Option<&str>) -> bool {
    within.is_none_or(|w| {
        jurisdiction == w
            || jurisdiction
                .strip_prefix(w)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// [`rollup_tree`] made only of the plans of `jurisdiction` (every plan when `None`):
/// a province's roll-up of the national program is computed from its own plans, not
/// filtered from the country's.
pub fn rollup_tree_in(
    model: &ProgressModel,
    program: Option<DocumentId>,
    jurisdiction: Option<&str>,
    today: NaiveDate,
) -> RollupNode {
    let rule = rule_of(model, program);
    let mut subtasks: HashMap<TaskId, Vec<&TaskRow>> = HashMap::new();
    // Pillar index → plan → top-level tasks.
    let mut tops: BTreeMap<usize, BTreeMap<DocumentId, Vec<&TaskRow>>> = BTreeMap::new();
    let cross_cutting = Pillar::ALL.len();
    let mut in_program: HashMap<DocumentId, bool> = HashMap::new();
    for task in model.tasks.values() {
        let belongs = *in_program.entry(task.plan_id).or_insert_with(|| {
            program.is_none_or(|p| model.programs_of(task.plan_id).contains(&p))
                && model
                    .documents
                    .get(&task.plan_id)
                    .is_some_and(|plan| model.lies_in(&plan.jurisdiction, jurisdiction))
        });
        if !belongs {
            continue;
        }
        match task.parent_task_id {
            Some(parent) => subtasks.entry(parent).or_default().push(task),
            None => {
                let pillar = task
                    .pillar
                    .and_then(|pillar| Pillar::ALL.iter().position(|p| *p == pillar))
                    .unwrap_or(cross_cutting);
                tops.entry(pillar)
                    .or_default()
                    .entry(task.plan_id)
                    .or_default()
                    .push(task);
            }
        }
    }
    let builder = Builder {
        rule,
        today,
        subtasks: &subtasks,
    };
    let pillars = (0..=cross_cutting)
        .map(|index| {
            let mut plans: Vec<RollupNode> = tops
                .get(&index)
                .into_iter()
                .flatten()
                .map(|(plan, tasks)| builder.plan(*plan, tasks))
                .collect();
            plans.sort_by(|a, b| plan_number(model, a).cmp(plan_number(model, b)));
            RollupNode::combine(
                NodeRef::Pillar(Pillar::ALL.get(index).copied()),
                rule,
                plans,
            )
        })
        .collect();
    RollupNode::combine(NodeRef::Program(program), rule, pillars)
}

fn plan_number<'m>(model: &'m ProgressModel, node: &RollupNode) -> &'m str {
    match node.node {
        NodeRef::Plan(id) => model.documents.get(&id).map_or("", |d| d.number.as_str()),
        _ => "",
    }
}

struct Builder<'m> {
    rule: RollupRule,
    today: NaiveDate,
    subtasks: &'m HashMap<TaskId, Vec<&'m TaskRow>>,
}

impl Builder<'_> {
    fn plan(&self, plan: DocumentId, tasks: &[&TaskRow]) -> RollupNode {
        let mut seen = HashSet::with_capacity(tasks.len());
        let children = self.tasks(tasks, &mut seen);
        let mut node = RollupNode::combine(NodeRef::Plan(plan), self.rule, children);
        node.counts = StatusCounts::default();
        for task in tasks {
            node.counts.count(task, self.today);
        }
        node
    }

    fn tasks(&self, tasks: &[&TaskRow], seen: &mut HashSet<TaskId>) -> Vec<RollupNode> {
        let mut tasks = tasks.to_vec();
        // Ids are unique, so an unstable sort gives the same order.
        tasks.sort_unstable_by(|a, b| (&a.title, a.task_id).cmp(&(&b.title, b.task_id)));
        let mut nodes = Vec::with_capacity(tasks.len());
        for task in tasks {
            if seen.insert(task.task_id) {
                nodes.push(self.task(task, seen));
            }
        }
        nodes
    }

    fn task(&self, task: &TaskRow, seen: &mut HashSet<TaskId>) -> RollupNode {
        let subtasks = self
            .subtasks
            .get(&task.task_id)
            .map_or(&[][..], Vec::as_slice);
        let children = self.tasks(subtasks, seen);
        let mut counts = StatusCounts::default();
        for sub in subtasks {
            counts.count(sub, self.today);
        }
        let node = NodeRef::Task(task.task_id);
        if task.status == TaskRowStatus::Cancelled {
            return RollupNode {
                node,
                counts,
                percent: None,
                rule: self.rule,
                inputs: Vec::new(),
                weight: task.weight,
                children,
            };
        }
        let derived =
            task.status != TaskRowStatus::Completed && children.iter().any(|c| c.percent.is_some());
        if derived {
            let mut rolled = RollupNode::combine(node, self.rule, children);
            rolled.counts = counts;
            rolled.weight = task.weight;
            return rolled;
        }
        let own = counted(self.rule, task);
        RollupNode {
            node,
            counts,
            percent: Some(own),
            rule: self.rule,
            inputs: vec![RollupInput {
                node,
                percent: f64::from(task.percent),
                weight: task.weight,
                counted: own,
            }],
            weight: task.weight,
            children,
        }
    }
}

/// The value a rule takes from a task's own standing.
fn counted(rule: RollupRule, task: &TaskRow) -> f64 {
    match rule {
        RollupRule::SimpleAverage | RollupRule::WeightedAverage => f64::from(task.percent),
        RollupRule::StatusBased if task.status == TaskRowStatus::Completed => 100.0,
        RollupRule::StatusBased if task.last_reported_on.is_some() => 50.0,
        RollupRule::StatusBased => 0.0,
    }
}
