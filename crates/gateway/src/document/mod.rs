//! Programs (chương trình), directives (chỉ thị) and plans (kế hoạch): the documents
//! that carry the master program down to tasks.

mod compare;
pub(crate) mod import;
pub(crate) mod mutation;
pub(crate) mod query;
pub(crate) mod table;

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use reform_domain::DocumentId;
use reform_projections::{DocumentRow, DocumentRowKind};

use crate::agency::Agency;
use crate::error::ApiError;
use crate::history::{history, stream_version, HistoryEntry};
use crate::node::Node;
use crate::progress::RollupNodeView;
use crate::relay::{global_id, Kind};
use crate::scope::{Found, Scope};
use crate::task::Task;
use crate::vocab::RollupRuleInfo;

use compare::compare;
pub use compare::Comparison;

/// A program, directive or plan, as its own type.
pub enum Document {
    /// A program.
    Program(Program),
    /// A directive.
    Directive(Directive),
    /// A plan.
    Plan(Plan),
}

impl Document {
    /// The plan, when it is one.
    pub fn into_plan(self) -> Option<Plan> {
        match self {
            Document::Plan(p) => Some(p),
            _ => None,
        }
    }

    /// Its global id, by its kind.
    pub fn global_id(&self) -> ID {
        match self {
            Document::Program(p) => global_id(Kind::Program, p.0.row.document_id.0),
            Document::Directive(d) => global_id(Kind::Directive, d.0.row.document_id.0),
            Document::Plan(p) => global_id(Kind::Plan, p.0.row.document_id.0),
        }
    }
}

impl From<Document> for Node {
    fn from(d: Document) -> Node {
        match d {
            Document::Program(p) => Node::Program(p),
            Document::Directive(d) => Node::Directive(d),
            Document::Plan(p) => Node::Plan(p),
        }
    }
}

/// A document row in a scope.
#[derive(Clone)]
pub struct DocumentData {
    scope: Scope,
    pub(crate) row: DocumentRow,
}

/// A reform program (chương trình): the master program 2021–2030 or a province's.
#[derive(Clone)]
pub struct Program(pub DocumentData);

/// A directive (chỉ thị).
#[derive(Clone)]
pub struct Directive(pub DocumentData);

/// A plan (kế hoạch): assigns tasks to agencies.
#[derive(Clone)]
pub struct Plan(pub DocumentData);

impl Found for Program {
    type Id = DocumentId;
    fn found(scope: &Scope, id: DocumentId) -> Option<Program> {
        match scope.document(id) {
            Ok(Document::Program(p)) => Some(p),
            _ => None,
        }
    }
}

impl Found for Plan {
    type Id = DocumentId;
    fn found(scope: &Scope, id: DocumentId) -> Option<Plan> {
        scope.document(id).ok().and_then(Document::into_plan)
    }
}

/// A document node: a program, directive or plan.
impl Found for Node {
    type Id = DocumentId;
    fn found(scope: &Scope, id: DocumentId) -> Option<Node> {
        scope.document(id).ok().map(Node::from)
    }
}

impl Scope {
    /// A document the viewer may see, as its kind's type.
    pub fn document(&self, id: DocumentId) -> Result<Document, ApiError> {
        let row = self
            .model
            .documents
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no document {id}")))?;
        if !self.viewer.sees_document(&self.model, row) {
            return Err(ApiError::Forbidden(
                "this document is outside your jurisdiction".into(),
            ));
        }
        let doc = DocumentData {
            scope: self.clone(),
            row: row.clone(),
        };
        Ok(match row.kind {
            DocumentRowKind::Program => Document::Program(Program(doc)),
            DocumentRowKind::Directive => Document::Directive(Directive(doc)),
            DocumentRowKind::Plan => Document::Plan(Plan(doc)),
        })
    }
}

/// One jurisdiction's roll-up of a program.
#[derive(async_graphql::SimpleObject)]
pub struct JurisdictionProgress {
    /// The jurisdiction's code (`VN-DN`).
    pub jurisdiction: String,
    /// Its name in the register ("Thành phố Đà Nẵng"), else its code.
    pub name: String,
    /// The program's roll-up made of that jurisdiction's plans (with those of the
    /// provinces merged into it).
    pub progress: RollupNodeView,
}

impl Program {
    /// The program's roll-up for `jurisdiction` as asked (the viewer's by default; a
    /// viewer bound to a province may not ask for another), at `as_of` when given.
    async fn rollup_of(
        &self,
        ctx: &Context<'_>,
        as_of: Option<DateTime<Utc>>,
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<RollupNodeView> {
        self.0.scope.require_overview()?;
        let jurisdiction = self.0.scope.jurisdiction_asked(jurisdiction)?;
        let scope = self
            .0
            .scope
            .at_in(ctx, as_of, jurisdiction.as_deref())
            .await?;
        let tree = scope.rollup_tree_in(Some(self.0.row.document_id), jurisdiction.as_deref());
        Ok(RollupNodeView::new(scope, tree))
    }
}

/// A reform program (chương trình): the national master program 76/NQ-CP or a
/// province's own, with its pillar progress and roll-up tree.
#[Object]
impl Program {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Program, self.0.row.document_id.0)
    }
    /// The raw identifier (UUID), as the command line and events name it.
    async fn uuid(&self) -> uuid::Uuid {
        self.0.row.document_id.0
    }
    /// Number and symbol (số/ký hiệu).
    async fn number(&self) -> &str {
        &self.0.row.number
    }
    /// Title (trích yếu).
    async fn title(&self) -> &str {
        &self.0.row.title
    }
    /// Jurisdiction code (`VN`, `VN-DN`…).
    async fn jurisdiction(&self) -> &str {
        &self.0.row.jurisdiction
    }
    /// Its jurisdiction's name in the register ("Thành phố Đà Nẵng"), else the code.
    async fn jurisdiction_name(&self) -> &str {
        self.0
            .scope
            .model
            .jurisdiction_name(&self.0.row.jurisdiction)
    }
    /// First year covered.
    async fn from_year(&self) -> Option<i32> {
        self.0.row.from_year
    }
    /// Last year covered.
    async fn to_year(&self) -> Option<i32> {
        self.0.row.to_year
    }
    /// The parent program (a province's program serves the national one).
    async fn parent_program(&self) -> Option<Program> {
        match self.0.row.parent_id.map(|p| self.0.scope.document(p)) {
            Some(Ok(Document::Program(p))) => Some(p),
            _ => None,
        }
    }
    /// The roll-up rule in force.
    async fn rollup_rule(&self) -> Option<RollupRuleInfo> {
        self.0.row.rollup_rule.map(RollupRuleInfo::from)
    }
    /// Progress by pillar, then cross-cutting work: the leader's headline, made of
    /// the plans of `jurisdiction` (default: the viewer's; the whole country for a
    /// national viewer). With `asOf`, as it stood then (time travel).
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn pillar_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<Vec<RollupNodeView>> {
        Ok(self
            .rollup_of(ctx, as_of, jurisdiction)
            .await?
            .children_unfiltered())
    }
    /// The roll-up tree: program → pillar → plan → task → subtask, each node with its
    /// counts, percent and how the percent was made, made of the plans of
    /// `jurisdiction` (default: the viewer's; the whole country for a national viewer).
    /// With `asOf`, as it stood then.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn rollup(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
        #[graphql(
            desc = "A jurisdiction code (VN-DN…): yours or one within it; default the viewer's."
        )]
        jurisdiction: Option<String>,
    ) -> async_graphql::Result<RollupNodeView> {
        self.rollup_of(ctx, as_of, jurisdiction).await
    }
    /// The program's progress province by province (each province with plans under
    /// it, by code, a merged province's plans counted under its successor): the league
    /// of provinces a national leader asks for. A viewer bound to a province gets its
    /// own only.
    #[graphql(
        complexity = "child_complexity + if as_of.is_some() { crate::TIME_TRAVEL_COST } else { 1 }"
    )]
    async fn progress_by_jurisdiction(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Answer as the record stood at this instant (time travel, by business time); default now."
        )]
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<JurisdictionProgress>> {
        self.0.scope.require_overview()?;
        let scope = self.0.scope.at(ctx, as_of).await?;
        let program = self.0.row.document_id;
        let model = &scope.model;
        // Each plan counts for the province it belongs to today (Quảng Nam's for Đà
        // Nẵng after 1 July 2025); national plans only in the country's own roll-up.
        let provinces: std::collections::BTreeSet<String> = model
            .documents
            .values()
            .filter(|d| {
                d.kind == DocumentRowKind::Plan
                    && d.jurisdiction != reform_domain::NATIONAL
                    && model.programs_of(d.document_id).contains(&program)
            })
            .map(|d| model.province_of(&d.jurisdiction))
            .filter(|province| scope.viewer.may_write(model, province))
            .collect();
        Ok(provinces
            .into_iter()
            .map(|jurisdiction| {
                let tree = scope.rollup_tree_in(Some(program), Some(&jurisdiction));
                JurisdictionProgress {
                    name: model.jurisdiction_name(&jurisdiction).to_owned(),
                    jurisdiction,
                    progress: RollupNodeView::new(scope.clone(), tree),
                }
            })
            .collect())
    }
    /// What changed in its tasks between two instants: tasks added, cancelled, and
    /// changed with their fields old → new (a baseline comparison).
    #[graphql(complexity = "crate::COMPARE_COST + child_complexity")]
    async fn compare(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier instant.")] from: DateTime<Utc>,
        #[graphql(desc = "The later instant.")] to: DateTime<Utc>,
    ) -> async_graphql::Result<Comparison> {
        let id = self.0.row.document_id;
        compare(ctx, &self.0.scope, from, to, move |model, t| {
            model.programs_of(t.plan_id).contains(&id)
        })
        .await
    }
    /// The plans under it (directly or through a directive), by number.
    async fn plans(&self) -> Vec<Plan> {
        let scope = &self.0.scope;
        let id = self.0.row.document_id;
        let mut plans: Vec<Plan> = scope
            .model
            .documents
            .values()
            .filter(|d| {
                d.kind == DocumentRowKind::Plan
                    && scope.model.programs_of(d.document_id).contains(&id)
            })
            .filter(|d| scope.viewer.sees_document(&scope.model, d))
            .map(|d| {
                Plan(DocumentData {
                    scope: scope.clone(),
                    row: d.clone(),
                })
            })
            .collect();
        plans.sort_by(|a, b| a.0.row.number.cmp(&b.0.row.number));
        plans
    }
    /// Its version: the number of events in its stream, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.0.row.document_id.stream()).await
    }
    /// Everything that happened to it, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        history(ctx, &self.0.scope, &self.0.row.document_id.stream()).await
    }
}

/// A directive (chỉ thị) and its numbered points, which tasks may implement.
#[Object]
impl Directive {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Directive, self.0.row.document_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.0.row.document_id.0
    }
    /// Number and symbol (số/ký hiệu).
    async fn number(&self) -> &str {
        &self.0.row.number
    }
    /// Title (trích yếu).
    async fn title(&self) -> &str {
        &self.0.row.title
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.0.row.jurisdiction
    }
    /// Its jurisdiction's name in the register ("Thành phố Đà Nẵng"), else the code.
    async fn jurisdiction_name(&self) -> &str {
        self.0
            .scope
            .model
            .jurisdiction_name(&self.0.row.jurisdiction)
    }
    /// The program it serves.
    async fn program(&self) -> Option<Program> {
        match self.0.row.parent_id.map(|p| self.0.scope.document(p)) {
            Some(Ok(Document::Program(p))) => Some(p),
            _ => None,
        }
    }
    /// Its version, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.0.row.document_id.stream()).await
    }
    /// Everything that happened to it, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        history(ctx, &self.0.scope, &self.0.row.document_id.stream()).await
    }
}

/// A plan (kế hoạch) that implements a program or directive and assigns tasks to
/// agencies; its task table can be imported and exported.
#[Object]
impl Plan {
    /// Global id.
    pub(crate) async fn id(&self) -> ID {
        global_id(Kind::Plan, self.0.row.document_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.0.row.document_id.0
    }
    /// Number and symbol (số/ký hiệu).
    async fn number(&self) -> &str {
        &self.0.row.number
    }
    /// Title (trích yếu).
    async fn title(&self) -> &str {
        &self.0.row.title
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.0.row.jurisdiction
    }
    /// Its jurisdiction's name in the register ("Thành phố Đà Nẵng"), else the code.
    async fn jurisdiction_name(&self) -> &str {
        self.0
            .scope
            .model
            .jurisdiction_name(&self.0.row.jurisdiction)
    }
    /// First year covered.
    async fn from_year(&self) -> Option<i32> {
        self.0.row.from_year
    }
    /// Last year covered.
    async fn to_year(&self) -> Option<i32> {
        self.0.row.to_year
    }
    /// The issuing agency.
    async fn issuing_agency(&self) -> Option<Agency> {
        self.0
            .row
            .issuing_agency_id
            .and_then(|a| self.0.scope.related_agency(a))
    }
    /// The program or directive it implements.
    async fn implements(&self) -> Option<Node> {
        self.0
            .row
            .parent_id
            .and_then(|p| self.0.scope.document(p).ok())
            .map(Node::from)
    }
    /// What changed in its tasks between two instants: tasks added, cancelled, and
    /// changed with their fields old → new (a baseline comparison).
    #[graphql(complexity = "crate::COMPARE_COST + child_complexity")]
    async fn compare(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The earlier instant.")] from: DateTime<Utc>,
        #[graphql(desc = "The later instant.")] to: DateTime<Utc>,
    ) -> async_graphql::Result<Comparison> {
        let id = self.0.row.document_id;
        compare(ctx, &self.0.scope, from, to, move |_, t| t.plan_id == id).await
    }
    /// Its task table as a spreadsheet, in the shape `importPlanTable` reads (with
    /// progress, status, completion date and each task's id added): the rows read from
    /// the event log, so current to the last write, and each task's progress and status
    /// as `Task.percent` and `Task.status` show them. The whole table holds every
    /// agency's tasks, so officers are refused it (`tasks` lists theirs).
    async fn task_table(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "crate::document::table::TableFormat::Xlsx",
            desc = "The file format: XLSX or CSV."
        )]
        format: crate::document::table::TableFormat,
    ) -> async_graphql::Result<crate::document::table::TableFile> {
        self.0.scope.viewer.require(
            &[
                reform_domain::Role::Leader,
                reform_domain::Role::Secretariat,
                reform_domain::Role::Auditor,
            ],
            "read a plan's whole task table (it holds other agencies' tasks)",
        )?;
        crate::document::table::task_table(
            ctx,
            &self.0.scope,
            self.0.row.document_id,
            &self.0.row.number,
            format,
        )
        .await
    }
    /// Its top-level tasks the viewer may see, by title (subtasks hang below them).
    async fn tasks(&self) -> Vec<Task> {
        let scope = &self.0.scope;
        let id = self.0.row.document_id;
        let mut tasks = scope.visible_tasks(
            scope
                .model
                .tasks
                .values()
                .filter(|t| t.plan_id == id && t.parent_task_id.is_none()),
        );
        tasks.sort_by(|a, b| a.row.title.cmp(&b.row.title));
        tasks
    }
    /// Its version, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.0.row.document_id.stream()).await
    }
    /// Everything that happened to it, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        history(ctx, &self.0.scope, &self.0.row.document_id.stream()).await
    }
}
