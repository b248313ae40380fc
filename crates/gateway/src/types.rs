//! The object types of the schema: read-model rows seen through a [`Scope`] (one
//! consistent model, the day "overdue" is judged against, and who is asking).

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Interface, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, Utc};
use reform_domain::{AgencyId, DocumentId, Role, StreamId, TaskId};
use reform_projections::queries::{self, NodeRef, RollupNode};
use reform_projections::{
    AgencyRow, DocumentRow, HeadTenure, IndicatorRow, Memo, ProgressModel, Snapshot, TaskRow,
};

use crate::auth::Viewer;
use crate::error::ApiError;
use crate::loader::{Loader, RequestLoader};
use crate::relay::{global_id, Kind};
use crate::vocab::{
    AgencyTierInfo, BlockInfo, CategoryInfo, DirectionInfo, PillarInfo, RoleInfo, RollupRuleInfo,
    TaskStatus, TimelinessInfo,
};
use crate::Gateway;

/// One consistent read-model, the day it is judged on, and the viewer.
#[derive(Clone)]
pub struct Scope(Arc<ScopeData>);

/// What a [`Scope`] holds.
pub struct ScopeData {
    /// The model.
    pub model: Arc<ProgressModel>,
    /// Answers already computed from `model`.
    pub memo: Arc<Memo>,
    /// The day "overdue" is judged against: today, or the day travelled to.
    pub today: NaiveDate,
    /// Who is asking.
    pub viewer: Viewer,
}

impl std::ops::Deref for Scope {
    type Target = ScopeData;
    fn deref(&self) -> &ScopeData {
        &self.0
    }
}

impl Scope {
    /// The request's scope: its viewer (else `UNAUTHENTICATED`) and the snapshot it
    /// started on.
    pub fn of(ctx: &Context<'_>) -> Result<Scope, ApiError> {
        let viewer = ctx.data_opt::<Viewer>().cloned().ok_or_else(|| {
            ApiError::Unauthenticated(
                "send a bearer token (Authorization: Bearer …); `reform token` prints one".into(),
            )
        })?;
        let snapshot = match ctx.data_opt::<Snapshot>() {
            Some(snapshot) => snapshot.clone(),
            None => gateway(ctx)?.live.snapshot(),
        };
        Ok(Scope::new(&snapshot, Utc::now().date_naive(), viewer))
    }

    /// A scope over `snapshot`, judged on `today`, for `viewer`.
    pub fn new(snapshot: &Snapshot, today: NaiveDate, viewer: Viewer) -> Scope {
        Scope(Arc::new(ScopeData {
            model: snapshot.model.clone(),
            memo: snapshot.memo.clone(),
            today,
            viewer,
        }))
    }

    /// The same viewer and day over another snapshot (after a mutation).
    pub fn with_snapshot(scope: &Scope, snapshot: &Snapshot) -> Scope {
        Scope::new(snapshot, scope.today, scope.viewer.clone())
    }

    /// This scope travelled to `instant` (business time), when given: the model folded
    /// from the events up to it, judged on its day.
    pub async fn at(
        &self,
        ctx: &Context<'_>,
        instant: Option<DateTime<Utc>>,
    ) -> Result<Scope, ApiError> {
        let Some(instant) = instant else {
            return Ok(self.clone());
        };
        let store = gateway(ctx)?.handler.store().clone();
        let model = reform_projections::as_of(store.as_ref(), instant).await?;
        let snapshot = Snapshot::new(Arc::new(model), 0);
        Ok(Scope::new(
            &snapshot,
            instant.date_naive(),
            self.viewer.clone(),
        ))
    }

    /// The roll-up tree of `program` (all plans when `None`) on this scope's day,
    /// computed once per snapshot.
    pub fn rollup_tree(&self, program: Option<DocumentId>) -> Arc<RollupNode> {
        self.memo.rollup_tree(&self.model, program, self.today)
    }

    /// An agency's task tally on this scope's day.
    pub fn tally(&self, agency: AgencyId) -> queries::AgencyTally {
        self.memo
            .agency_tallies(&self.model, self.today)
            .get(&agency)
            .copied()
            .unwrap_or_default()
    }

    /// A task the viewer may see.
    pub fn task(&self, id: TaskId) -> Result<Task, ApiError> {
        let row = self
            .model
            .tasks
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no task {id}")))?;
        if !self.viewer.sees_task(&self.model, row) {
            return Err(ApiError::Forbidden(
                "this task belongs to another agency or jurisdiction".into(),
            ));
        }
        Ok(Task {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// An agency of the directory the viewer may see.
    pub fn agency(&self, id: AgencyId) -> Result<Agency, ApiError> {
        let row = self
            .model
            .agencies
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no agency {id}")))?;
        if !self.viewer.sees_agency(row) {
            return Err(ApiError::Forbidden(
                "this agency is outside your jurisdiction".into(),
            ));
        }
        Ok(Agency {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// An agency named by a row the viewer already sees (a task's lead): shown whatever
    /// its jurisdiction.
    fn related_agency(&self, id: AgencyId) -> Option<Agency> {
        self.model.agencies.get(&id).map(|row| Agency {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// A document the viewer may see, as its kind's type.
    pub fn document(&self, id: DocumentId) -> Result<Document, ApiError> {
        let row = self
            .model
            .documents
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no document {id}")))?;
        if !self.viewer.sees_document(row) {
            return Err(ApiError::Forbidden(
                "this document is outside your jurisdiction".into(),
            ));
        }
        let doc = DocumentData {
            scope: self.clone(),
            row: row.clone(),
        };
        Ok(match row.kind.as_str() {
            "PROGRAM" => Document::Program(Program(doc)),
            "DIRECTIVE" => Document::Directive(Directive(doc)),
            _ => Document::Plan(Plan(doc)),
        })
    }

    /// An indicator the viewer may see.
    pub fn indicator(&self, id: reform_domain::IndicatorId) -> Result<Indicator, ApiError> {
        let row = self
            .model
            .indicators
            .get(&id)
            .ok_or_else(|| ApiError::NotFound(format!("no indicator {id}")))?;
        if !self.viewer.in_scope(&row.jurisdiction) {
            return Err(ApiError::Forbidden(
                "this indicator is outside your jurisdiction".into(),
            ));
        }
        Ok(Indicator {
            scope: self.clone(),
            row: row.clone(),
        })
    }

    /// The tasks the viewer may see, of those given.
    pub fn visible_tasks<'m>(&self, rows: impl IntoIterator<Item = &'m TaskRow>) -> Vec<Task> {
        rows.into_iter()
            .filter(|t| self.viewer.sees_task(&self.model, t))
            .map(|t| Task {
                scope: self.clone(),
                row: t.clone(),
            })
            .collect()
    }

    /// Refuses the leaders' views (progress, roll-ups, accountability) to officers.
    pub fn require_overview(&self) -> Result<(), ApiError> {
        self.viewer.require(
            &[Role::Leader, Role::Secretariat, Role::Auditor],
            "read province-wide progress",
        )
    }
}

/// The gateway's shared state.
pub fn gateway<'c>(ctx: &Context<'c>) -> Result<&'c Gateway, ApiError> {
    ctx.data::<Gateway>()
        .map_err(|_| ApiError::Internal("the schema was built without its gateway".into()))
}

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID"))]
pub enum Node {
    /// A program.
    Program(Program),
    /// A directive.
    Directive(Directive),
    /// A plan.
    Plan(Plan),
    /// A task.
    Task(Task),
    /// An agency.
    Agency(Agency),
    /// An indicator.
    Indicator(Indicator),
}

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

#[Object]
impl Program {
    /// Global id.
    async fn id(&self) -> ID {
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
        self.0
            .row
            .rollup_rule
            .as_deref()
            .and_then(RollupRuleInfo::from_code)
    }
    /// Progress by pillar, then cross-cutting work: the leader's headline. With
    /// `asOf`, as it stood then (time travel).
    async fn pillar_progress(
        &self,
        ctx: &Context<'_>,
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<RollupNodeView>> {
        self.0.scope.require_overview()?;
        let scope = self.0.scope.at(ctx, as_of).await?;
        let tree = scope.rollup_tree(Some(self.0.row.document_id));
        Ok(RollupNodeView::new(scope, tree).children_unfiltered())
    }
    /// The roll-up tree: program → pillar → plan → task → subtask, each node with its
    /// counts, percent and how the percent was made. With `asOf`, as it stood then.
    async fn rollup(
        &self,
        ctx: &Context<'_>,
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<RollupNodeView> {
        self.0.scope.require_overview()?;
        let scope = self.0.scope.at(ctx, as_of).await?;
        let tree = scope.rollup_tree(Some(self.0.row.document_id));
        Ok(RollupNodeView::new(scope, tree))
    }
    /// What changed in its tasks between two instants: tasks added, cancelled, and
    /// changed with their fields old → new (a baseline comparison).
    async fn compare(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
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
            .filter(|d| d.kind == "PLAN" && scope.model.programs_of(d.document_id).contains(&id))
            .filter(|d| scope.viewer.sees_document(d))
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

#[Object]
impl Directive {
    /// Global id.
    async fn id(&self) -> ID {
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

#[Object]
impl Plan {
    /// Global id.
    async fn id(&self) -> ID {
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
    async fn compare(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> async_graphql::Result<Comparison> {
        let id = self.0.row.document_id;
        compare(ctx, &self.0.scope, from, to, move |_, t| t.plan_id == id).await
    }
    /// Its task table as a spreadsheet, in the shape `importPlanTable` reads (with
    /// progress, status, completion date and each task's id added): read from the
    /// event log, so it is current to the last write.
    async fn task_table(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "crate::tables::TableFormat::Xlsx")]
        format: crate::tables::TableFormat,
    ) -> async_graphql::Result<crate::tables::TableFile> {
        crate::tables::task_table(ctx, self.0.row.document_id, &self.0.row.number, format).await
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

/// A task (nhiệm vụ) a plan assigns to a lead agency, with coordinating agencies.
#[derive(Clone)]
pub struct Task {
    scope: Scope,
    /// The row.
    pub row: TaskRow,
}

#[Object]
impl Task {
    /// Global id.
    async fn id(&self) -> ID {
        global_id(Kind::Task, self.row.task_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.row.task_id.0
    }
    /// What is to be done.
    async fn title(&self) -> &str {
        &self.row.title
    }
    /// The pillar or cross-cutting work it serves.
    async fn category(&self) -> Option<CategoryInfo> {
        CategoryInfo::from_code(&self.row.category)
    }
    /// The plan that assigned it.
    async fn plan(&self) -> Option<Plan> {
        match self.scope.document(self.row.plan_id) {
            Ok(Document::Plan(p)) => Some(p),
            _ => None,
        }
    }
    /// The task it is a subtask of.
    async fn parent(&self) -> Option<Task> {
        self.row
            .parent_task_id
            .and_then(|p| self.scope.task(p).ok())
    }
    /// Its subtasks the viewer may see, by title.
    async fn subtasks(&self) -> Vec<Task> {
        let id = self.row.task_id;
        let mut subtasks = self.scope.visible_tasks(
            self.scope
                .model
                .tasks
                .values()
                .filter(|t| t.parent_task_id == Some(id)),
        );
        subtasks.sort_by(|a, b| a.row.title.cmp(&b.row.title));
        subtasks
    }
    /// The lead agency (chủ trì).
    async fn lead(&self) -> Option<Agency> {
        self.scope.related_agency(self.row.lead_id)
    }
    /// The coordinating agencies (phối hợp).
    async fn coordinators(&self) -> Vec<Agency> {
        self.row
            .coordinator_ids
            .iter()
            .filter_map(|a| self.scope.related_agency(*a))
            .collect()
    }
    /// The deadline; null for ongoing work (thường xuyên).
    async fn deadline(&self) -> Option<NaiveDate> {
        self.row.deadline
    }
    /// Where it stands.
    async fn status(&self) -> TaskStatus {
        TaskStatus::from_code(&self.row.status)
    }
    /// Percent complete: 100 once completed, else the lead agency's last report.
    async fn percent(&self) -> u8 {
        self.row.percent
    }
    /// Roll-up weight.
    async fn weight(&self) -> u32 {
        self.row.weight
    }
    /// The day of the last progress report, by any participant.
    async fn last_reported_on(&self) -> Option<NaiveDate> {
        self.row.last_reported_on
    }
    /// The day it was completed.
    async fn completed_on(&self) -> Option<NaiveDate> {
        self.row.completed_on
    }
    /// Early, on time or late, once completed.
    async fn timeliness(&self) -> Option<TimelinessInfo> {
        self.row
            .timeliness
            .as_deref()
            .and_then(TimelinessInfo::from_code)
    }
    /// Days late at completion.
    async fn days_late(&self) -> Option<u32> {
        self.row.days_late
    }
    /// Open and past the deadline on the day asked about.
    async fn overdue(&self) -> bool {
        self.row.is_overdue(self.scope.today)
    }
    /// Days past the deadline on the day asked about, while open.
    async fn days_overdue(&self) -> Option<i64> {
        self.row
            .deadline
            .filter(|_| self.row.is_overdue(self.scope.today))
            .map(|d| (self.scope.today - d).num_days())
    }
    /// Agencies it was inherited from through mergers.
    async fn inherited_from(&self) -> Vec<Agency> {
        self.row
            .inherited_from
            .iter()
            .filter_map(|a| self.scope.related_agency(*a))
            .collect()
    }
    /// Its version: the number of events in its stream, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.row.task_id.stream()).await
    }
    /// Everything that happened to it, oldest first: who, when, why, what.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        history(ctx, &self.scope, &self.row.task_id.stream()).await
    }
}

/// The request's loader, or a fresh one (a schema executed without the server).
fn loader(ctx: &Context<'_>) -> Result<RequestLoader, ApiError> {
    match ctx.data_opt::<RequestLoader>() {
        Some(loader) => Ok(loader.clone()),
        None => Ok(Loader::immediate(gateway(ctx)?.handler.store().clone())),
    }
}

async fn stream_version(ctx: &Context<'_>, stream: &StreamId) -> async_graphql::Result<u64> {
    Ok(loader(ctx)?.version(stream.clone()).await?)
}

async fn history(
    ctx: &Context<'_>,
    scope: &Scope,
    stream: &StreamId,
) -> async_graphql::Result<Vec<HistoryEntry>> {
    scope.viewer.require(
        &[
            Role::Leader,
            Role::Secretariat,
            Role::Auditor,
            Role::Officer,
        ],
        "read history",
    )?;
    let events = loader(ctx)?.history(stream.clone()).await?;
    let mut changes = reform_projections::audit::changes(&events).map_err(ApiError::from)?;
    Ok(events
        .into_iter()
        .map(|e| HistoryEntry {
            position: e.position,
            version: e.stream_version,
            event_type: e.event_type.clone(),
            occurred_at: e.metadata.occurred_at,
            recorded_at: e.metadata.recorded_at,
            operation: reform_projections::audit::Operation::of(&e.event_type).into(),
            changes: changes
                .remove(&e.position)
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            actor: ActorView::of(&e.metadata.actor),
            reason: e.metadata.reason,
            command_id: e.metadata.command_id,
            correlation_id: e.metadata.correlation_id,
            payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
        })
        .collect())
}

/// One event in an entity's history.
#[derive(SimpleObject, Clone, Debug)]
pub struct HistoryEntry {
    /// Position in the whole log.
    pub position: u64,
    /// Version of the entity after it.
    pub version: u64,
    /// The event's type (`TaskDeadlineExtended`…).
    pub event_type: String,
    /// The kind of change.
    pub operation: crate::audit::AuditOperation,
    /// The fields it changed, old → new, as the read-model shows them.
    pub changes: Vec<crate::audit::FieldChangeView>,
    /// Business time.
    pub occurred_at: DateTime<Utc>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Who.
    pub actor: ActorView,
    /// Why, when given.
    pub reason: Option<String>,
    /// The command that caused it.
    pub command_id: uuid::Uuid,
    /// The user action it belongs to.
    pub correlation_id: uuid::Uuid,
    /// What it says (the event's payload).
    pub payload: serde_json::Value,
}

/// Who did something, as recorded from their token.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Actor")]
pub struct ActorView {
    /// The user id.
    pub user_id: String,
    /// The name shown.
    pub name: String,
    /// The role acted in.
    pub role: RoleInfo,
    /// The user's agency.
    pub agency_id: Option<ID>,
}

impl ActorView {
    /// The view of a recorded actor.
    pub fn of(actor: &reform_store::Actor) -> ActorView {
        ActorView {
            user_id: actor.user_id.clone(),
            name: actor.display_name.clone(),
            role: actor.role.into(),
            agency_id: actor.agency.map(|a| global_id(Kind::Agency, a.0)),
        }
    }
}

/// An agency (cơ quan, đơn vị).
#[derive(Clone)]
pub struct Agency {
    scope: Scope,
    /// The row.
    pub row: AgencyRow,
}

#[Object]
impl Agency {
    /// Global id.
    async fn id(&self) -> ID {
        global_id(Kind::Agency, self.row.agency_id.0)
    }
    /// The raw identifier (UUID).
    async fn uuid(&self) -> uuid::Uuid {
        self.row.agency_id.0
    }
    /// Current name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// Short name.
    async fn short_name(&self) -> Option<&str> {
        self.row.short_name.as_deref()
    }
    /// The kind of agency.
    async fn tier(&self) -> Option<AgencyTierInfo> {
        AgencyTierInfo::from_code(&self.row.tier)
    }
    /// The PAR INDEX block it is ranked in.
    async fn block(&self) -> Option<BlockInfo> {
        self.row.block.as_deref().and_then(BlockInfo::from_code)
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.row.jurisdiction
    }
    /// `ACTIVE`, `MERGED` or `DISSOLVED`.
    async fn status(&self) -> &str {
        &self.row.status
    }
    /// The agency it merged into.
    async fn successor(&self) -> Option<Agency> {
        self.row
            .successor_id
            .and_then(|a| self.scope.related_agency(a))
    }
    /// The day it ceased.
    async fn ceased_on(&self) -> Option<NaiveDate> {
        self.row.ceased_on
    }
    /// The agencies merged into it: their records (PAR INDEX results, dossier
    /// statistics) stay theirs, reached from here.
    async fn predecessors(&self) -> Vec<Agency> {
        let mut found: Vec<Agency> = self
            .scope
            .model
            .agencies
            .values()
            .filter(|a| a.successor_id == Some(self.row.agency_id))
            .filter_map(|a| self.scope.related_agency(a.agency_id))
            .collect();
        found.sort_by(|a, b| a.row.name.cmp(&b.row.name));
        found
    }
    /// Its PAR INDEX results, oldest first: per field and in total, self-assessed
    /// against appraised, band under its jurisdiction's scheme for the year, rank in
    /// its block, change on the year before.
    async fn par_results(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::evaluations::ParResultView>> {
        crate::evaluations::par_results(ctx, &self.scope, &self.row)
    }
    /// Its SIPAS results (satisfaction surveys), oldest first.
    async fn sipas_results(&self) -> async_graphql::Result<Vec<crate::evaluations::SipasView>> {
        self.require_records()?;
        Ok(crate::evaluations::sipas(
            &self.scope,
            Some(self.row.agency_id),
            None,
            None,
        ))
    }
    /// Its heads, oldest first.
    async fn heads(&self) -> async_graphql::Result<Vec<HeadView>> {
        self.require_records()?;
        Ok(self
            .scope
            .model
            .records
            .get(&self.row.agency_id)
            .map(|r| r.heads.iter().map(HeadView::of).collect())
            .unwrap_or_default())
    }
    /// Its one-stop dossier statistics (mẫu II.06a), by period, oldest first; per field
    /// where reported per field.
    async fn dossier_statistics(&self) -> async_graphql::Result<Vec<DossierPeriodView>> {
        self.require_records()?;
        Ok(self
            .scope
            .model
            .records
            .get(&self.row.agency_id)
            .map(|r| r.dossiers.iter().cloned().map(DossierPeriodView).collect())
            .unwrap_or_default())
    }
    /// Tasks led and coordinated, on time, late and overdue, PAR band and rank,
    /// SIPAS, dossier on-time rate. With `asOf`, as it stood then.
    async fn scorecard(
        &self,
        ctx: &Context<'_>,
        as_of: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Option<ScorecardView>> {
        self.require_records()?;
        let scope = self.scope.at(ctx, as_of).await?;
        let bands = &gateway(ctx)?.bands;
        let tally = scope.tally(self.row.agency_id);
        Ok(
            queries::scorecard_with(&scope.model, self.row.agency_id, scope.today, bands, tally)
                .map(|card| ScorecardView::new(&scope, card)),
        )
    }
    /// Its version, for `expectedVersion`.
    async fn version(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        stream_version(ctx, &self.row.agency_id.stream()).await
    }
    /// Everything that happened to it, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<HistoryEntry>> {
        self.require_records()?;
        history(ctx, &self.scope, &self.row.agency_id.stream()).await
    }
}

impl Agency {
    fn require_records(&self) -> Result<(), ApiError> {
        if self.scope.viewer.sees_records_of(&self.row) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "an officer sees only their own agency's records".into(),
            ))
        }
    }
}

/// A head of agency's time in office.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "HeadTenure")]
pub struct HeadView {
    /// Name.
    pub name: String,
    /// Title.
    pub title: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day, once ended.
    pub to: Option<NaiveDate>,
    /// Appointing decision.
    pub decision: Option<String>,
}

impl HeadView {
    /// From a tenure of the read-model.
    pub fn of(h: &HeadTenure) -> Self {
        HeadView {
            name: h.name.clone(),
            title: h.title.clone(),
            from: h.from,
            to: h.to,
            decision: h.decision.clone(),
        }
    }
}

/// An agency's scorecard.
#[derive(SimpleObject)]
#[graphql(complex, name = "Scorecard")]
pub struct ScorecardView {
    /// Tasks it leads that were its own from the start (cancelled left out).
    pub tasks_led: usize,
    /// Tasks it leads inherited from merged agencies, counted apart.
    pub tasks_inherited: usize,
    /// Tasks it coordinates.
    pub tasks_coordinated: usize,
    /// Led tasks completed early or on time.
    pub completed_in_time: usize,
    /// Led tasks completed late.
    pub completed_late: usize,
    /// Led tasks open and past their deadline on the day asked about.
    pub overdue_now: usize,
    /// Average days late of its late completions.
    pub average_days_late: Option<f64>,
    /// Its latest PAR INDEX result.
    pub par: Option<ParStandingView>,
    /// Its latest SIPAS satisfaction, percent.
    pub sipas_percent: Option<f64>,
    /// The year of that SIPAS result.
    pub sipas_year: Option<i32>,
    /// Share of dossiers resolved on time in its latest reported period.
    pub dossier_on_time_rate: Option<f64>,
    /// The last day of that period.
    pub dossier_period_to: Option<NaiveDate>,
    /// The head in office on the day asked about.
    pub head: Option<HeadView>,
    #[graphql(skip)]
    scope: Scope,
}

#[ComplexObject]
impl ScorecardView {
    /// The day it is judged on.
    async fn as_of(&self) -> NaiveDate {
        self.scope.today
    }
}

impl ScorecardView {
    fn new(scope: &Scope, card: queries::Scorecard) -> Self {
        ScorecardView {
            tasks_led: card.tasks_led,
            tasks_inherited: card.tasks_inherited,
            tasks_coordinated: card.tasks_coordinated,
            completed_in_time: card.completed_in_time,
            completed_late: card.completed_late,
            overdue_now: card.overdue_now,
            average_days_late: card.average_days_late,
            par: card.par.map(|p| ParStandingView {
                year: p.year,
                block: BlockInfo::from_code(&p.block),
                total: p.total,
                band: p.band,
                rank: p.rank,
            }),
            sipas_percent: card.sipas.as_ref().map(|s| s.percent),
            sipas_year: card.sipas.as_ref().map(|s| s.year),
            dossier_on_time_rate: card.dossier_on_time_rate.map(|(_, r)| r),
            dossier_period_to: card.dossier_on_time_rate.map(|(d, _)| d),
            head: card.head.as_ref().map(HeadView::of),
            scope: scope.clone(),
        }
    }
}

/// A PAR INDEX result in its block.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "ParStanding")]
pub struct ParStandingView {
    /// The year evaluated.
    pub year: i32,
    /// The block.
    pub block: Option<BlockInfo>,
    /// Total points; null when not evaluated.
    pub total: Option<f64>,
    /// Band name (Xuất sắc, Tốt…).
    pub band: Option<String>,
    /// Rank within the block; ties share a rank.
    pub rank: Option<usize>,
}

/// An indicator with its targets and measurements.
#[derive(Clone)]
pub struct Indicator {
    scope: Scope,
    pub(crate) row: IndicatorRow,
}

#[Object]
impl Indicator {
    /// Global id.
    async fn id(&self) -> ID {
        global_id(Kind::Indicator, self.row.indicator_id.0)
    }
    /// Code.
    async fn code(&self) -> &str {
        &self.row.code
    }
    /// Name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// Unit.
    async fn unit(&self) -> &str {
        &self.row.unit
    }
    /// Whether higher or lower is better.
    async fn direction(&self) -> Option<DirectionInfo> {
        DirectionInfo::from_code(&self.row.direction)
    }
    /// Jurisdiction code.
    async fn jurisdiction(&self) -> &str {
        &self.row.jurisdiction
    }
    /// Baseline value.
    async fn baseline(&self) -> Option<f64> {
        self.row.baseline
    }
    /// Baseline date.
    async fn baseline_on(&self) -> Option<NaiveDate> {
        self.row.baseline_on
    }
    /// Targets by year.
    async fn targets(&self) -> Vec<TargetView> {
        self.row
            .targets
            .iter()
            .map(|t| TargetView {
                year: t.year,
                value: t.value,
            })
            .collect()
    }
    /// Measurements by date.
    async fn measurements(&self) -> Vec<MeasurementView> {
        self.row
            .measurements
            .iter()
            .map(|m| MeasurementView {
                on: m.on,
                value: m.value,
                source: m.source.clone(),
            })
            .collect()
    }
    /// Red / amber / green against the straight line from baseline to target, on the
    /// day asked about.
    async fn trajectory(&self) -> TrajectoryView {
        let t = queries::trajectory(&self.row, self.scope.today);
        TrajectoryView {
            latest: t.latest.map(|m| MeasurementView {
                on: m.on,
                value: m.value,
                source: m.source,
            }),
            target: t.target.map(|t| TargetView {
                year: t.year,
                value: t.value,
            }),
            expected: t.expected,
            rag: t.rag.map(|r| match r {
                queries::Rag::Green => Rag::Green,
                queries::Rag::Amber => Rag::Amber,
                queries::Rag::Red => Rag::Red,
            }),
        }
    }
}

/// A yearly target.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Target")]
pub struct TargetView {
    /// The year (reached by 31 December).
    pub year: i32,
    /// The value.
    pub value: f64,
}

/// A measurement.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Measurement")]
pub struct MeasurementView {
    /// The day it speaks for.
    pub on: NaiveDate,
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: Option<String>,
}

/// Red, amber or green.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rag {
    /// On or ahead of the trajectory.
    Green,
    /// Slightly behind.
    Amber,
    /// Well behind.
    Red,
}

/// Where an indicator stands against its trajectory.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(name = "Trajectory")]
pub struct TrajectoryView {
    /// The latest measurement.
    pub latest: Option<MeasurementView>,
    /// The target it is judged against.
    pub target: Option<TargetView>,
    /// Where the straight line stood on the latest measurement's day.
    pub expected: Option<f64>,
    /// The judgement; null without a baseline, a target or a measurement.
    pub rag: Option<Rag>,
}

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
    /// Open, not past the deadline, no progress reported.
    pub not_started: usize,
    /// Open, not past the deadline, progress reported.
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
    /// Counts by status: a plan counts its top-level tasks, a task its subtasks, a
    /// pillar and the program the sums of their children.
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

/// One-stop dossier statistics of one period.
pub struct DossierPeriodView(reform_projections::DossierPeriod);

#[Object(name = "DossierPeriod")]
impl DossierPeriodView {
    /// First day.
    async fn from(&self) -> NaiveDate {
        self.0.from
    }
    /// Last day.
    async fn to(&self) -> NaiveDate {
        self.0.to
    }
    /// The field (lĩnh vực), when reported per field; null for the agency's total.
    async fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    /// Dossiers received.
    async fn received(&self) -> u64 {
        self.0.counts.received()
    }
    /// Resolved early or on time.
    async fn resolved_in_time(&self) -> u64 {
        self.0
            .counts
            .resolved_early
            .saturating_add(self.0.counts.resolved_on_time)
    }
    /// Resolved late.
    async fn resolved_late(&self) -> u64 {
        self.0.counts.resolved_late
    }
    /// Still in process and past their deadline.
    async fn overdue(&self) -> u64 {
        self.0.counts.in_process_overdue
    }
    /// Share of resolved dossiers resolved in time.
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_rate()
    }
    /// Every figure of the report, with the rates derived from them.
    async fn counts(&self) -> crate::evaluations::DossierCountsView {
        (&self.0.counts).into()
    }
    /// Satisfaction percent, if surveyed.
    async fn satisfaction_percent(&self) -> Option<f64> {
        self.0.satisfaction_percent
    }
}

/// What changed in a program's or plan's tasks between two instants.
#[derive(async_graphql::SimpleObject)]
pub struct Comparison {
    /// The earlier instant.
    pub from: DateTime<Utc>,
    /// The later instant.
    pub to: DateTime<Utc>,
    /// Tasks that did not exist at `from`, as they stand at `to`.
    pub added: Vec<Task>,
    /// Tasks cancelled in between, as they stand at `to`.
    pub removed: Vec<Task>,
    /// Tasks that changed in between, with the fields old → new.
    pub changed: Vec<TaskComparison>,
}

/// One task's changes between two instants.
#[derive(async_graphql::SimpleObject)]
pub struct TaskComparison {
    /// The task as it stands at the later instant.
    pub task: Task,
    /// What changed, old → new.
    pub changes: Vec<crate::audit::FieldChangeView>,
}

/// Compares the tasks `belongs` admits as they stood at `from` and at `to` (like a
/// baseline comparison): both models are folded from the log.
async fn compare(
    ctx: &Context<'_>,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    belongs: impl Fn(&ProgressModel, &TaskRow) -> bool,
) -> async_graphql::Result<Comparison> {
    scope.require_overview()?;
    if to <= from {
        return Err(ApiError::bad_input("to", "must be after `from`").into());
    }
    let then = scope.at(ctx, Some(from)).await?;
    let now = scope.at(ctx, Some(to)).await?;
    let (mut added, mut removed, mut changed) = (Vec::new(), Vec::new(), Vec::new());
    for row in now.model.tasks.values().filter(|t| belongs(&now.model, t)) {
        let Ok(task) = now.task(row.task_id) else {
            continue;
        };
        match then.model.tasks.get(&row.task_id) {
            None => added.push(task),
            Some(before) if row.status == "CANCELLED" && before.status != "CANCELLED" => {
                removed.push(task);
            }
            Some(before) => {
                let changes = reform_projections::audit::diff_rows(Some(before), Some(row));
                if !changes.is_empty() {
                    changed.push(TaskComparison {
                        task,
                        changes: changes.into_iter().map(Into::into).collect(),
                    });
                }
            }
        }
    }
    let by_title =
        |a: &Task, b: &Task| (&a.row.title, a.row.task_id).cmp(&(&b.row.title, b.row.task_id));
    added.sort_by(by_title);
    removed.sort_by(by_title);
    changed.sort_by(|a, b| by_title(&a.task, &b.task));
    Ok(Comparison {
        from,
        to,
        added,
        removed,
        changed,
    })
}
