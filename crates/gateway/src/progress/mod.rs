//! Progress as leaders read it: the roll-up tree from program to subtask, each node
//! with its counts, percent, the rule that made it and its inputs.

pub(crate) mod subscription;

use std::sync::Arc;

use async_graphql::{Object, SimpleObject, ID};
use reform_projections::queries::{self, NodeRef, RollupNode};

use crate::relay::{global_id, Kind};
use crate::scope::Scope;
use crate::vocab::{PillarInfo, RollupRuleInfo};

/// What a roll-up node stands for.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RollupKind {
    /// A program (or every plan on record).
    Program,
    /// A pillar, or cross-cutting work.
    Pillar,
    /// A plan.
    Plan,
    /// A task or subtask.
    Task,
}

/// Tasks by where they stand.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "StatusCounts")]
pub struct StatusCountsView {
    /// Open, not past the deadline, not begun (as `Task.status` shows it).
    pub not_started: usize,
    /// Open, not past the deadline, begun (progress reported on it or on a subtask,
    /// or a subtask completed).
    pub in_progress: usize,
    /// Open and past the deadline.
    pub overdue: usize,
    /// Completed before the deadline.
    pub early: usize,
    /// Completed on the deadline.
    pub on_time: usize,
    /// Completed after the deadline.
    pub late: usize,
    /// Cancelled: left out of `total` and of every percent.
    pub cancelled: usize,
    /// All but the cancelled.
    pub total: usize,
    /// Completed, whenever.
    pub completed: usize,
}

impl From<queries::StatusCounts> for StatusCountsView {
    fn from(c: queries::StatusCounts) -> Self {
        StatusCountsView {
            not_started: c.not_started,
            in_progress: c.in_progress,
            overdue: c.overdue,
            early: c.early,
            on_time: c.on_time,
            late: c.late,
            cancelled: c.cancelled,
            total: c.counted(),
            completed: c.completed(),
        }
    }
}

/// One figure a percent was made from.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "RollupInput")]
pub struct RollupInputView {
    /// The child it came from (a task's own figure names the task).
    pub node_id: Option<ID>,
    /// The child's label.
    pub label: String,
    /// The child's percent.
    pub percent: f64,
    /// The child's weight.
    pub weight: u32,
    /// The value the rule took from it.
    pub counted: f64,
}

/// A node of the roll-up tree: the shared tree and the way down to the node.
pub struct RollupNodeView {
    scope: Scope,
    root: Arc<RollupNode>,
    path: Vec<usize>,
}

impl RollupNodeView {
    /// The root of `tree`, seen through `scope`.
    pub fn new(scope: Scope, tree: Arc<RollupNode>) -> Self {
        RollupNodeView {
            scope,
            root: tree,
            path: Vec::new(),
        }
    }

    /// The node itself.
    fn node(&self) -> &RollupNode {
        let mut node = self.root.as_ref();
        for i in &self.path {
            match node.children.get(*i) {
                Some(child) => node = child,
                None => break,
            }
        }
        node
    }

    fn child(&self, i: usize) -> RollupNodeView {
        let mut path = self.path.clone();
        path.push(i);
        RollupNodeView {
            scope: self.scope.clone(),
            root: self.root.clone(),
            path,
        }
    }

    /// Whether it is a pillar's node (or cross-cutting work's).
    pub fn is_pillar(&self) -> bool {
        matches!(self.node().node, NodeRef::Pillar(_))
    }

    /// Every child, whatever the viewer may see (pillars and plans).
    pub fn children_unfiltered(&self) -> Vec<RollupNodeView> {
        (0..self.node().children.len())
            .map(|i| self.child(i))
            .collect()
    }

    fn label_of(scope: &Scope, node: NodeRef) -> String {
        let model = &scope.model;
        match node {
            NodeRef::Program(None) => "Tất cả chương trình".into(),
            NodeRef::Program(Some(id)) | NodeRef::Plan(id) => model
                .documents
                .get(&id)
                .map_or_else(String::new, |d| format!("{} {}", d.number, d.title)),
            NodeRef::Pillar(Some(p)) => p.label_vi().into(),
            NodeRef::Pillar(None) => "Nhiệm vụ chung (chỉ đạo, tuyên truyền, kiểm tra)".into(),
            NodeRef::Task(id) => model
                .tasks
                .get(&id)
                .map_or_else(String::new, |t| t.title.clone()),
        }
    }

    fn id_of(node: NodeRef) -> Option<ID> {
        match node {
            NodeRef::Program(Some(id)) => Some(global_id(Kind::Program, id.0)),
            NodeRef::Plan(id) => Some(global_id(Kind::Plan, id.0)),
            NodeRef::Task(id) => Some(global_id(Kind::Task, id.0)),
            NodeRef::Program(None) | NodeRef::Pillar(_) => None,
        }
    }
}

/// A node of the roll-up tree (program → pillar → plan → task → subtask): its counts by
/// status, its percent by the program's rule, and the inputs that percent was made from.
#[Object(name = "RollupNode")]
impl RollupNodeView {
    /// What it stands for.
    async fn kind(&self) -> RollupKind {
        match self.node().node {
            NodeRef::Program(_) => RollupKind::Program,
            NodeRef::Pillar(_) => RollupKind::Pillar,
            NodeRef::Plan(_) => RollupKind::Plan,
            NodeRef::Task(_) => RollupKind::Task,
        }
    }
    /// The program, plan or task's global id; null for pillars.
    async fn node_id(&self) -> Option<ID> {
        Self::id_of(self.node().node)
    }
    /// The pillar, for pillar nodes (null also for cross-cutting work).
    async fn pillar(&self) -> Option<PillarInfo> {
        match self.node().node {
            NodeRef::Pillar(p) => p.map(PillarInfo::from),
            _ => None,
        }
    }
    /// What to call it.
    async fn label(&self) -> String {
        Self::label_of(&self.scope, self.node().node)
    }
    /// Counts by status: a plan counts its top-level tasks, a task its subtasks (a
    /// task without any, itself), a pillar and the program the sums of their children.
    async fn counts(&self) -> StatusCountsView {
        self.node().counts.into()
    }
    /// Percent complete by `rule`; null when nothing beneath counts.
    async fn percent(&self) -> Option<f64> {
        self.node().percent
    }
    /// Share of completed tasks completed early or on time.
    async fn on_time_rate(&self) -> Option<f64> {
        self.node().on_time_rate()
    }
    /// The rule that made `percent`.
    async fn rule(&self) -> RollupRuleInfo {
        self.node().rule.into()
    }
    /// Its weight: a task's own, else the sum of its counted children's.
    async fn weight(&self) -> u32 {
        self.node().weight
    }
    /// The figures `percent` was made from.
    async fn inputs(&self) -> Vec<RollupInputView> {
        self.node()
            .inputs
            .iter()
            .map(|i| RollupInputView {
                node_id: Self::id_of(i.node),
                label: Self::label_of(&self.scope, i.node),
                percent: i.percent,
                weight: i.weight,
                counted: i.counted,
            })
            .collect()
    }
    /// Its children: pillars, plans by number, tasks by title. Tasks the viewer may
    /// not see are left out.
    async fn children(&self) -> Vec<RollupNodeView> {
        self.node()
            .children
            .iter()
            .enumerate()
            .filter(|(_, c)| match c.node {
                NodeRef::Task(id) => self
                    .scope
                    .model
                    .tasks
                    .get(&id)
                    .is_some_and(|t| self.scope.viewer.sees_task(&self.scope.model, t)),
                _ => true,
            })
            .map(|(i, _)| self.child(i))
            .collect()
    }
}
