//! The mutation root: one mutation per domain command, one `input` argument each, a
//! payload back. The actor is the token's; `clientMutationId` is the idempotency key;
//! `expectedVersion` guards against acting on a stale read.

use std::time::Duration;

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{NaiveDate, Utc};
use reform_domain::{
    AgencyId, Command, Deadline, DocumentHeader, DocumentId, Period, Role, TaskId,
};
use reform_store::{AppendOutcome, CommandMetadata};
use uuid::Uuid;

use crate::error::ApiError;
use crate::relay::{parse, Kind};
use crate::types::{gateway, Agency, Document, Plan, Program, Scope, Task};
use crate::vocab::{AgencyTierCode, BlockCode, CategoryCode, ProgramLevelCode, RollupRuleCode};

/// How long a mutation waits for its own write to reach the read-model it answers from.
pub(crate) const READ_YOUR_WRITE: Duration = Duration::from_secs(10);

/// Scopes client mutation ids, so two users' ids never collide.
const CLIENT_NAMESPACE: Uuid = Uuid::from_u128(0x9b1e_0c44_76a0_4f3e_8d2a_2021_2030_0076);

/// The mutation root: the planning mutations here and the record's in `records`.
#[derive(async_graphql::MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    PlanningMutations,
    crate::records::RecordMutations,
    crate::tables::TableMutations,
    crate::bands::BandMutations,
);

/// The mutations on plans and tasks.
#[derive(Default)]
pub struct PlanningMutations;

/// What a mutation did, and the read-model that includes it.
pub(crate) struct Sent {
    pub(crate) scope: Scope,
    pub(crate) outcome: AppendOutcome,
}

/// Runs `command` for the viewer. `roles` may send it; `new_id` is filled with an id
/// derived from the command id (so a retried mutation names the same new entity).
pub(crate) async fn send(
    ctx: &Context<'_>,
    roles: &[Role],
    what: &str,
    client_mutation_id: Option<&str>,
    expected_version: Option<u64>,
    reason: Option<String>,
    build: impl FnOnce(&Scope, Uuid) -> Result<Command, ApiError>,
) -> Result<Sent, ApiError> {
    let scope = Scope::of(ctx)?;
    scope.viewer.require(roles, what)?;
    let gateway = gateway(ctx)?;
    let mut metadata = CommandMetadata::new(scope.viewer.actor.clone(), Utc::now());
    if let Some(client_id) = client_mutation_id {
        if client_id.is_empty() || client_id.len() > 200 {
            return Err(ApiError::bad_input(
                "clientMutationId",
                "give 1 to 200 characters",
            ));
        }
        let key = format!("{}\u{1f}{client_id}", scope.viewer.actor.user_id);
        metadata.command_id = Uuid::new_v5(&CLIENT_NAMESPACE, key.as_bytes());
        metadata.correlation_id = metadata.command_id;
    }
    metadata.reason = reason;
    let new_id = Uuid::new_v5(&metadata.command_id, b"new entity");
    let command = build(&scope, new_id)?;
    let executed = gateway
        .handler
        .execute(command, metadata, expected_version)
        .await?;
    let last = executed
        .follow_ups
        .iter()
        .map(|o| o.last_position)
        .fold(executed.outcome.last_position, u64::max);
    if !gateway.live.wait_for(last, READ_YOUR_WRITE).await {
        return Err(ApiError::Internal(format!(
            "position {last} was written but the read-model did not reach it in time"
        )));
    }
    let fresh = Scope::with_snapshot(&scope, &gateway.live.snapshot());
    Ok(Sent {
        scope: fresh,
        outcome: executed.outcome,
    })
}

pub(crate) fn text(value: String, field: &str) -> Result<String, ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::bad_input(field, "must not be empty"))
    } else {
        Ok(value)
    }
}

pub(crate) fn agency_id(id: &ID, field: &str) -> Result<AgencyId, ApiError> {
    Ok(AgencyId(parse(id, Kind::Agency, field)?))
}

pub(crate) fn task_id(id: &ID, field: &str) -> Result<TaskId, ApiError> {
    Ok(TaskId(parse(id, Kind::Task, field)?))
}

/// The caller's own agency (officers act for it).
fn own_agency(scope: &Scope) -> Result<AgencyId, ApiError> {
    scope
        .viewer
        .actor
        .agency
        .ok_or_else(|| ApiError::Forbidden("your token names no agency to report for".into()))
}

/// Refuses a secretariat acting outside its jurisdiction.
pub(crate) fn in_jurisdiction(
    scope: &Scope,
    jurisdiction: &str,
    field: &str,
) -> Result<(), ApiError> {
    if scope.viewer.in_scope(jurisdiction) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{field}: {jurisdiction} is outside your jurisdiction"
        )))
    }
}

/// The task a mutation acts on, checked to be the viewer's to see.
fn visible_task(scope: &Scope, id: &ID) -> Result<TaskId, ApiError> {
    let task = task_id(id, "taskId")?;
    scope.task(task)?;
    Ok(task)
}

/// What a mutation on a task returns.
#[derive(SimpleObject)]
pub struct TaskPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The task after the change.
    pub task: Option<Task>,
    /// The task's version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied (a retry): nothing new written.
    pub replayed: bool,
}

/// What a mutation on an agency returns.
#[derive(SimpleObject)]
pub struct AgencyPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The agency after the change.
    pub agency: Option<Agency>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

/// What a mutation on a program returns.
#[derive(SimpleObject)]
pub struct ProgramPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The program after the change.
    pub program: Option<Program>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

/// What a mutation on a plan returns.
#[derive(SimpleObject)]
pub struct PlanPayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The plan after the change.
    pub plan: Option<Plan>,
    /// Its version after the change.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
}

pub(crate) fn task_payload(sent: &Sent, client: Option<String>, id: TaskId) -> TaskPayload {
    TaskPayload {
        client_mutation_id: client,
        task: sent.scope.task(id).ok(),
        version: sent.outcome.last_version,
        replayed: sent.outcome.replayed,
    }
}

fn document_of(sent: &Sent, id: DocumentId) -> Option<Document> {
    sent.scope.document(id).ok()
}

/// A document's header as printed on it.
#[derive(InputObject)]
pub struct DocumentHeaderInput {
    /// Number and symbol (số/ký hiệu), e.g. "280/KH-UBND".
    pub number: String,
    /// Title (trích yếu).
    pub title: String,
    /// Date of issue.
    pub issued_on: NaiveDate,
    /// The issuing body as printed, e.g. "UBND huyện Hoài Đức".
    pub issuer: String,
}

impl DocumentHeaderInput {
    pub(crate) fn into_header(
        self,
        issuing_agency: Option<AgencyId>,
    ) -> Result<DocumentHeader, ApiError> {
        Ok(DocumentHeader {
            number: text(self.number, "header.number")?,
            title: text(self.title, "header.title")?,
            issued_on: self.issued_on,
            issuer: text(self.issuer, "header.issuer")?,
            issuing_agency,
            signer: None,
        })
    }
}

/// Register an agency.
#[derive(InputObject)]
pub struct RegisterAgencyInput {
    /// Official name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// The kind of agency.
    pub tier: AgencyTierCode,
    /// The PAR INDEX block it is ranked in.
    pub block: Option<BlockCode>,
    /// Jurisdiction code (`VN-DN`).
    pub jurisdiction: String,
    /// The agency above it.
    pub parent_id: Option<ID>,
    /// Idempotency key: the same key from the same user applies once.
    pub client_mutation_id: Option<String>,
}

/// Record a program.
#[derive(InputObject)]
pub struct IssueProgramInput {
    /// The document's header.
    pub header: DocumentHeaderInput,
    /// National or provincial.
    pub level: ProgramLevelCode,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// The program it serves.
    pub parent_program_id: Option<ID>,
    /// First year covered.
    pub from_year: i32,
    /// Last year covered.
    pub to_year: i32,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Record a plan.
#[derive(InputObject)]
pub struct IssuePlanInput {
    /// The document's header.
    pub header: DocumentHeaderInput,
    /// The program or directive it implements.
    pub implements_id: ID,
    /// The agency that issued it.
    pub issuing_agency_id: ID,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// First year covered.
    pub from_year: i32,
    /// Last year covered.
    pub to_year: i32,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Choose how a program's percentages are made.
#[derive(InputObject)]
pub struct SetRollupRuleInput {
    /// The program.
    pub program_id: ID,
    /// The rule.
    pub rule: RollupRuleCode,
    /// Why.
    pub reason: String,
    /// The program's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Assign a task.
#[derive(InputObject)]
pub struct CreateTaskInput {
    /// The plan assigning it.
    pub plan_id: ID,
    /// The task it is a subtask of.
    pub parent_task_id: Option<ID>,
    /// Its number in the plan's task table (STT: "1", "2.3").
    pub reference: Option<String>,
    /// The pillar or cross-cutting work it serves.
    pub category: CategoryCode,
    /// What is to be done.
    pub title: String,
    /// More detail.
    pub description: Option<String>,
    /// The lead agency (chủ trì).
    pub lead_id: ID,
    /// Coordinating agencies (phối hợp).
    #[graphql(default)]
    pub coordinator_ids: Vec<ID>,
    /// The deadline; omit for ongoing work (thường xuyên).
    pub deadline: Option<NaiveDate>,
    /// The expected output (sản phẩm).
    pub expected_output: String,
    /// Roll-up weight (default 1).
    pub weight: Option<u32>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Give a task to another lead agency.
#[derive(InputObject)]
pub struct ReassignTaskInput {
    /// The task.
    pub task_id: ID,
    /// The new lead agency.
    pub new_lead_id: ID,
    /// The new coordinating agencies; omit to keep them.
    pub coordinator_ids: Option<Vec<ID>>,
    /// Why.
    pub reason: String,
    /// The task's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Move a task's deadline later.
#[derive(InputObject)]
pub struct ExtendDeadlineInput {
    /// The task.
    pub task_id: ID,
    /// The new deadline.
    pub new_deadline: NaiveDate,
    /// Why.
    pub reason: String,
    /// The task's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Report progress on a task, for the officer's own agency.
#[derive(InputObject)]
pub struct ReportProgressInput {
    /// The task.
    pub task_id: ID,
    /// Percent complete, 0–100.
    pub percent: i32,
    /// What was done.
    pub note: String,
    /// Links or references to evidence.
    #[graphql(default)]
    pub evidence: Vec<String>,
    /// The day the report speaks for (default today).
    pub as_of: Option<NaiveDate>,
    /// The task's version the report rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Mark a task done, for the officer's own (lead) agency.
#[derive(InputObject)]
pub struct CompleteTaskInput {
    /// The task.
    pub task_id: ID,
    /// What was produced.
    pub output: String,
    /// The day it was completed (default today).
    pub completed_on: Option<NaiveDate>,
    /// The task's version the completion rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Reopen or cancel a task.
#[derive(InputObject)]
pub struct TaskReasonInput {
    /// The task.
    pub task_id: ID,
    /// Why.
    pub reason: String,
    /// The task's version the change rests on.
    pub expected_version: Option<u64>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

const SECRETARIAT: &[Role] = &[Role::Secretariat];
const OFFICER: &[Role] = &[Role::Officer];

#[Object]
impl PlanningMutations {
    /// Register an agency (secretariat).
    async fn register_agency(
        &self,
        ctx: &Context<'_>,
        input: RegisterAgencyInput,
    ) -> async_graphql::Result<AgencyPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "register agencies",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                let agency = AgencyId(new);
                id = Some(agency);
                Ok(Command::RegisterAgency {
                    agency_id: agency,
                    name: text(input.name, "name")?,
                    short_name: input.short_name,
                    tier: input.tier.into(),
                    block: input.block.map(Into::into),
                    jurisdiction: input.jurisdiction,
                    parent: input
                        .parent_id
                        .as_ref()
                        .map(|p| agency_id(p, "parentId"))
                        .transpose()?,
                })
            },
        )
        .await?;
        Ok(AgencyPayload {
            client_mutation_id: client,
            agency: id.and_then(|a| sent.scope.agency(a).ok()),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Record a program (secretariat).
    async fn issue_program(
        &self,
        ctx: &Context<'_>,
        input: IssueProgramInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "record programs",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                let document = DocumentId(new);
                id = Some(document);
                Ok(Command::IssueProgram {
                    document_id: document,
                    header: input.header.into_header(None)?,
                    level: input.level.into(),
                    jurisdiction: input.jurisdiction,
                    parent_program: input
                        .parent_program_id
                        .as_ref()
                        .map(|p| parse(p, Kind::Program, "parentProgramId").map(DocumentId))
                        .transpose()?,
                    period: Period {
                        from_year: input.from_year,
                        to_year: input.to_year,
                    },
                })
            },
        )
        .await?;
        let program = match id.and_then(|d| document_of(&sent, d)) {
            Some(Document::Program(p)) => Some(p),
            _ => None,
        };
        Ok(ProgramPayload {
            client_mutation_id: client,
            program,
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Record a plan implementing a program or directive (secretariat).
    async fn issue_plan(
        &self,
        ctx: &Context<'_>,
        input: IssuePlanInput,
    ) -> async_graphql::Result<PlanPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "record plans",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                in_jurisdiction(scope, &input.jurisdiction, "jurisdiction")?;
                let implements = match crate::relay::parse_any(&input.implements_id) {
                    Ok((Kind::Program | Kind::Directive, uuid)) => DocumentId(uuid),
                    _ => {
                        return Err(ApiError::bad_input(
                            "implementsId",
                            "give the id of a program or a directive",
                        ))
                    }
                };
                let issuing = agency_id(&input.issuing_agency_id, "issuingAgencyId")?;
                let document = DocumentId(new);
                id = Some(document);
                Ok(Command::IssuePlan {
                    document_id: document,
                    header: input.header.into_header(Some(issuing))?,
                    implements,
                    issuing_agency: issuing,
                    jurisdiction: input.jurisdiction,
                    period: Period {
                        from_year: input.from_year,
                        to_year: input.to_year,
                    },
                })
            },
        )
        .await?;
        let plan = match id.and_then(|d| document_of(&sent, d)) {
            Some(Document::Plan(p)) => Some(p),
            _ => None,
        };
        Ok(PlanPayload {
            client_mutation_id: client,
            plan,
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Choose a program's roll-up rule (secretariat); the change is kept in history.
    async fn set_rollup_rule(
        &self,
        ctx: &Context<'_>,
        input: SetRollupRuleInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let client = input.client_mutation_id.clone();
        let program = DocumentId(parse(&input.program_id, Kind::Program, "programId")?);
        let reason = text(input.reason, "reason")?;
        let sent = send(
            ctx,
            SECRETARIAT,
            "change roll-up rules",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                scope.document(program)?;
                Ok(Command::SetRollupRule {
                    document_id: program,
                    rule: input.rule.into(),
                    reason,
                })
            },
        )
        .await?;
        let program = match document_of(&sent, program) {
            Some(Document::Program(p)) => Some(p),
            _ => None,
        };
        Ok(ProgramPayload {
            client_mutation_id: client,
            program,
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }

    /// Assign a task under a plan (secretariat).
    async fn create_task(
        &self,
        ctx: &Context<'_>,
        input: CreateTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "assign tasks",
            client.as_deref(),
            None,
            None,
            |scope, new| {
                let plan = DocumentId(parse(&input.plan_id, Kind::Plan, "planId")?);
                scope.document(plan)?;
                let task = TaskId(new);
                id = Some(task);
                Ok(Command::CreateTask {
                    task_id: task,
                    reference: input.reference.clone(),
                    plan,
                    parent_task: input
                        .parent_task_id
                        .as_ref()
                        .map(|p| task_id(p, "parentTaskId"))
                        .transpose()?,
                    directive_point: None,
                    category: input.category.into(),
                    title: text(input.title, "title")?,
                    description: input.description,
                    lead: agency_id(&input.lead_id, "leadId")?,
                    coordinators: input
                        .coordinator_ids
                        .iter()
                        .map(|c| agency_id(c, "coordinatorIds"))
                        .collect::<Result<_, _>>()?,
                    deadline: input.deadline.map_or(Deadline::Ongoing, Deadline::On),
                    expected_output: text(input.expected_output, "expectedOutput")?,
                    weight: input.weight,
                })
            },
        )
        .await?;
        Ok(match id {
            Some(task) => task_payload(&sent, client, task),
            None => return Err(ApiError::Internal("no task id".into()).into()),
        })
    }

    /// Give a task to another lead agency (secretariat).
    async fn reassign_task(
        &self,
        ctx: &Context<'_>,
        input: ReassignTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let reason = text(input.reason, "reason")?;
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "reassign tasks",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                let task = visible_task(scope, &input.task_id)?;
                id = Some(task);
                Ok(Command::ReassignTask {
                    task_id: task,
                    new_lead: agency_id(&input.new_lead_id, "newLeadId")?,
                    coordinators: input
                        .coordinator_ids
                        .as_ref()
                        .map(|ids| {
                            ids.iter()
                                .map(|c| agency_id(c, "coordinatorIds"))
                                .collect::<Result<_, _>>()
                        })
                        .transpose()?,
                    reason,
                })
            },
        )
        .await?;
        Ok(task_payload(
            &sent,
            client,
            id.unwrap_or(TaskId(Uuid::nil())),
        ))
    }

    /// Move a task's deadline later (secretariat).
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        input: ExtendDeadlineInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let reason = text(input.reason, "reason")?;
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            "extend deadlines",
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                let task = visible_task(scope, &input.task_id)?;
                id = Some(task);
                Ok(Command::ExtendDeadline {
                    task_id: task,
                    new_deadline: input.new_deadline,
                    reason,
                })
            },
        )
        .await?;
        Ok(task_payload(
            &sent,
            client,
            id.unwrap_or(TaskId(Uuid::nil())),
        ))
    }

    /// Report progress on a task for the officer's own agency (lead: sets the percent;
    /// coordinator: a contribution).
    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        input: ReportProgressInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let percent = u8::try_from(input.percent)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| ApiError::bad_input("percent", "give a percent from 0 to 100"))?;
        let mut id = None;
        let sent = send(
            ctx,
            OFFICER,
            "report progress",
            client.as_deref(),
            input.expected_version,
            None,
            |scope, _| {
                let task = visible_task(scope, &input.task_id)?;
                id = Some(task);
                Ok(Command::ReportProgress {
                    task_id: task,
                    reporter_agency: own_agency(scope)?,
                    percent,
                    note: text(input.note, "note")?,
                    evidence: input.evidence,
                    as_of: input.as_of.unwrap_or(scope.today),
                })
            },
        )
        .await?;
        Ok(task_payload(
            &sent,
            client,
            id.unwrap_or(TaskId(Uuid::nil())),
        ))
    }

    /// Mark a task done, for the officer's own agency, which must lead it.
    async fn complete_task(
        &self,
        ctx: &Context<'_>,
        input: CompleteTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let mut id = None;
        let sent = send(
            ctx,
            OFFICER,
            "complete tasks",
            client.as_deref(),
            input.expected_version,
            None,
            |scope, _| {
                let task = visible_task(scope, &input.task_id)?;
                id = Some(task);
                Ok(Command::CompleteTask {
                    task_id: task,
                    reporter_agency: own_agency(scope)?,
                    output: text(input.output, "output")?,
                    completed_on: input.completed_on.unwrap_or(scope.today),
                })
            },
        )
        .await?;
        Ok(task_payload(
            &sent,
            client,
            id.unwrap_or(TaskId(Uuid::nil())),
        ))
    }

    /// Reopen a completed task (secretariat).
    async fn reopen_task(
        &self,
        ctx: &Context<'_>,
        input: TaskReasonInput,
    ) -> async_graphql::Result<TaskPayload> {
        self.task_with_reason(ctx, input, "reopen tasks", |task_id, reason| {
            Command::ReopenTask { task_id, reason }
        })
        .await
    }

    /// Cancel a task (secretariat); it stays on record, out of every percent.
    async fn cancel_task(
        &self,
        ctx: &Context<'_>,
        input: TaskReasonInput,
    ) -> async_graphql::Result<TaskPayload> {
        self.task_with_reason(ctx, input, "cancel tasks", |task_id, reason| {
            Command::CancelTask { task_id, reason }
        })
        .await
    }
}

impl PlanningMutations {
    async fn task_with_reason(
        &self,
        ctx: &Context<'_>,
        input: TaskReasonInput,
        what: &str,
        command: impl FnOnce(TaskId, String) -> Command,
    ) -> async_graphql::Result<TaskPayload> {
        let client = input.client_mutation_id.clone();
        let reason = text(input.reason, "reason")?;
        let mut id = None;
        let sent = send(
            ctx,
            SECRETARIAT,
            what,
            client.as_deref(),
            input.expected_version,
            Some(reason.clone()),
            |scope, _| {
                let task = visible_task(scope, &input.task_id)?;
                id = Some(task);
                Ok(command(task, reason))
            },
        )
        .await?;
        Ok(task_payload(
            &sent,
            client,
            id.unwrap_or(TaskId(Uuid::nil())),
        ))
    }
}
