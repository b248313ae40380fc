//! The roll-up tree: program → pillar → plan → task → subtask, each node with its
//! counts by status, its percentage and **how the percentage was made**.
//!
//! The rule is the program's (data, changed by the `RollupRuleSet` event), applied the
//! same way at every level:
//! - a task node is the task's figure ([`crate::figure`], the one every view shows): a
//!   task without (uncancelled) subtasks counts its own standing — its percent, or
//!   under the status-based rule 100 when completed, 50 once progress was reported,
//!   else 0; a completed task counts 100 whatever its subtasks say; any other combines
//!   its subtasks' figures by the rule of its own plan's program;
//! - any other node combines its children's percentages by the rule — simple average,
//!   or average weighted by weight (a node's weight is the sum of its children's, so the
//!   weighted rule weighs every task by its own weight at every level);
//! - cancelled tasks are counted as cancelled and left out of every percentage, and a
//!   node with nothing to count has no percentage (it does not drag its parent to 0).
//!
//! Counts: a plan counts its top-level tasks, a task its subtasks (a task without any,
//! itself), a pillar and the program the sums of their children — so the pillar line is
//! the leader's headline of [`crate::queries::pillar_progress`], which is read off this
//! tree.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use reform_domain::{DocumentId, Pillar, RollupRule, TaskId};

use crate::figure::{own_percent, Standing, TaskFigure};
use crate::model::{DocumentRowKind, ProgressModel, TaskRow};

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
    /// Open, not past the deadline, not begun (by the task's figure).
    pub not_started: usize,
    /// Open, not past the deadline, begun: progress reported on it or on a subtask, or
    /// a subtask completed.
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

    /// Takes back one [`StatusCounts::count`] of `figure`.
    pub(crate) fn uncount(&mut self, figure: &TaskFigure) {
        let count = self.slot(figure);
        *count = count.saturating_sub(1);
    }

    /// Counts one task where its figure says it stands.
    pub fn count(&mut self, figure: &TaskFigure) {
        *self.slot(figure) += 1;
    }

    fn slot(&mut self, figure: &TaskFigure) -> &mut usize {
        match figure.standing {
            Standing::NotStarted => &mut self.not_started,
            Standing::InProgress => &mut self.in_progress,
            Standing::Overdue => &mut self.overdue,
            Standing::Early => &mut self.early,
            Standing::OnTime => &mut self.on_time,
            Standing::Late => &mut self.late,
            Standing::Cancelled => &mut self.cancelled,
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
    /// plans by number, tasks by title. Shared: a tree made after a write reuses the
    /// nodes of the plans the write did not touch.
    pub children: Vec<Arc<RollupNode>>,
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

    fn combine(node: NodeRef, rule: RollupRule, children: Vec<Arc<RollupNode>>) -> RollupNode {
        let mut counts = StatusCounts::default();
        for child in &children {
            counts.add(&child.counts);
        }
        let inputs = counted_inputs(&children);
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

/// The children that have a percent, as the inputs of their parent's.
fn counted_inputs(children: &[Arc<RollupNode>]) -> Vec<RollupInput> {
    children
        .iter()
        .filter_map(|c| {
            c.percent.map(|percent| RollupInput {
                node: c.node,
                percent,
                weight: c.weight,
                counted: percent,
            })
        })
        .collect()
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
    rollup_tree_from(model, program, jurisdiction, &|plan, rule| {
        Arc::new(plan_nodes(model, plan, rule, today))
    })
}

/// One plan's part of a roll-up tree: its node under each pillar (by index in
/// [`Pillar::ALL`], cross-cutting work last) that its top-level tasks serve, combined
/// by the tree's rule. A tree is assembled from these; a server keeps them between
/// snapshots for the plans a write did not touch ([`crate::memo`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct PlanNodes(pub(crate) BTreeMap<usize, Arc<RollupNode>>);

/// [`PlanNodes`] of `plan` on `today`, combined by `rule` (the rule of the tree it goes
/// into; its tasks' figures are made by their own program's rule).
pub(crate) fn plan_nodes(
    model: &ProgressModel,
    plan: DocumentId,
    rule: RollupRule,
    today: NaiveDate,
) -> PlanNodes {
    let cross_cutting = Pillar::ALL.len();
    let mut by_pillar: BTreeMap<usize, Vec<&TaskRow>> = BTreeMap::new();
    for task in model.top_tasks_of(plan) {
        let pillar = task
            .pillar
            .and_then(|pillar| Pillar::ALL.iter().position(|p| *p == pillar))
            .unwrap_or(cross_cutting);
        by_pillar.entry(pillar).or_default().push(task);
    }
    let builder = Builder { model, rule, today };
    PlanNodes(
        by_pillar
            .into_iter()
            .map(|(pillar, tasks)| (pillar, Arc::new(builder.plan(plan, &tasks))))
            .collect(),
    )
}

/// The tree of `program`'s plans lying in `jurisdiction`, each plan's part given by
/// `nodes_of(plan, rule)`: plans by number under each pillar, every pillar and the
/// cross-cutting line present even when empty.
pub(crate) fn rollup_tree_from(
    model: &ProgressModel,
    program: Option<DocumentId>,
    jurisdiction: Option<&str>,
    nodes_of: &dyn Fn(DocumentId, RollupRule) -> Arc<PlanNodes>,
) -> RollupNode {
    let rule = rule_of(model, program);
    let mut plans: Vec<(&str, DocumentId)> = model
        .documents
        .values()
        .filter(|d| {
            d.kind == DocumentRowKind::Plan
                && program.is_none_or(|p| model.programs_of(d.document_id).contains(&p))
                && model.lies_in(&d.jurisdiction, jurisdiction)
        })
        .map(|d| (d.number.as_str(), d.document_id))
        .collect();
    // Plans by number; the id (the map's order before) breaks ties.
    plans.sort_unstable();
    let cross_cutting = Pillar::ALL.len();
    let mut pillars: Vec<Vec<Arc<RollupNode>>> = vec![Vec::new(); cross_cutting + 1];
    for (_, plan) in plans {
        for (pillar, node) in &nodes_of(plan, rule).0 {
            if let Some(plans) = pillars.get_mut(*pillar) {
                plans.push(node.clone());
            }
        }
    }
    let pillars = pillars
        .into_iter()
        .enumerate()
        .map(|(index, plans)| {
            Arc::new(RollupNode::combine(
                NodeRef::Pillar(Pillar::ALL.get(index).copied()),
                rule,
                plans,
            ))
        })
        .collect();
    RollupNode::combine(NodeRef::Program(program), rule, pillars)
}

struct Builder<'m> {
    model: &'m ProgressModel,
    rule: RollupRule,
    today: NaiveDate,
}

impl Builder<'_> {
    fn plan(&self, plan: DocumentId, tasks: &[&TaskRow]) -> RollupNode {
        let mut seen = HashSet::with_capacity(tasks.len());
        // A task's figure is made by its own program's rule, whatever tree shows it.
        let task_rule = self.model.plan_rule(plan);
        let children = self.tasks(task_rule, tasks, &mut seen);
        let mut counts = StatusCounts::default();
        for built in &children {
            counts.count(&built.figure);
        }
        let children = children.into_iter().map(|built| built.node).collect();
        let mut node = RollupNode::combine(NodeRef::Plan(plan), self.rule, children);
        node.counts = counts;
        node
    }

    fn tasks(
        &self,
        rule: RollupRule,
        tasks: &[&TaskRow],
        seen: &mut HashSet<TaskId>,
    ) -> Vec<BuiltTask> {
        let mut tasks = tasks.to_vec();
        // Ids are unique, so an unstable sort gives the same order.
        tasks.sort_unstable_by(|a, b| (&a.title, a.task_id).cmp(&(&b.title, b.task_id)));
        let mut nodes = Vec::with_capacity(tasks.len());
        for task in tasks {
            if seen.insert(task.task_id) {
                nodes.push(self.task(rule, task, seen));
            }
        }
        nodes
    }

    /// A task's node and figure, made from its subtasks' (the figure by
    /// [`TaskFigure::of`], as every other view makes it).
    fn task(&self, rule: RollupRule, task: &TaskRow, seen: &mut HashSet<TaskId>) -> BuiltTask {
        let subtasks: Vec<&TaskRow> = self.model.subtasks_of(task.task_id).collect();
        let children = self.tasks(rule, &subtasks, seen);
        let figure = TaskFigure::of(
            rule,
            task,
            children
                .iter()
                .map(|built| (built.task_id, &built.figure, built.node.weight)),
            self.today,
        );
        let mut counts = StatusCounts::default();
        if children.is_empty() {
            counts.count(&figure);
        }
        for built in &children {
            counts.count(&built.figure);
        }
        let children: Vec<Arc<RollupNode>> = children.into_iter().map(|built| built.node).collect();
        let node = NodeRef::Task(task.task_id);
        let inputs = if figure.from_subtasks {
            counted_inputs(&children)
        } else if figure.percent.is_some() {
            vec![RollupInput {
                node,
                percent: f64::from(task.percent),
                weight: task.weight,
                counted: own_percent(rule, task),
            }]
        } else {
            Vec::new()
        };
        BuiltTask {
            task_id: task.task_id,
            node: Arc::new(RollupNode {
                node,
                counts,
                percent: figure.percent,
                rule,
                inputs,
                weight: task.weight,
                children,
            }),
            figure,
        }
    }
}

/// A task's node with the figure it shows, while its parent is being built.
struct BuiltTask {
    task_id: TaskId,
    node: Arc<RollupNode>,
    figure: TaskFigure,
}
