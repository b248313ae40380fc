//! Assigning, moving, reporting on and closing tasks: the secretariat assigns and
//! extends, officers report and complete for their own agency.

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use reform_domain::{AgencyId, Command, Deadline, DocumentId, TaskId};

use crate::error::ApiError;
use crate::relay::{parse, Kind};
use crate::scope::Scope;
use crate::send::{agency_id, payload, send, task_id, text, Envelope, OFFICER, SECRETARIAT};
use crate::task::Task;
use crate::vocab::CategoryCode;

/// The task mutations.
#[derive(Default)]
pub struct TaskMutation;

payload!(
    /// What a mutation on a task returns.
    TaskPayload,
    task: Task,
    "The task after the change."
);

/// The caller's own agency (officers act for it).
fn own_agency(scope: &Scope) -> Result<AgencyId, ApiError> {
    scope
        .viewer
        .actor
        .agency
        .ok_or_else(|| ApiError::Forbidden("your token names no agency to report for".into()))
}

/// The task a mutation acts on, checked to be the viewer's to see.
fn visible_task(scope: &Scope, id: &ID) -> Result<TaskId, ApiError> {
    let task = task_id(id, "taskId")?;
    scope.task(task)?;
    Ok(task)
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Pass a task from a merged agency to its successor.
#[derive(InputObject)]
pub struct TransferTaskInput {
    /// The task.
    pub task_id: ID,
    /// The agency it passes from.
    pub from_agency_id: ID,
    /// The agency it passes to.
    pub to_agency_id: ID,
    /// The legal basis.
    pub legal_basis: String,
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

#[Object]
impl TaskMutation {
    /// Assign a task under a plan (secretariat).
    async fn create_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: CreateTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let envelope =
            Envelope::new(SECRETARIAT, "assign tasks", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |scope, new| {
            let plan = DocumentId(parse(&input.plan_id, Kind::Plan, "planId")?);
            scope.document(plan)?;
            let task = TaskId(new);
            let command = Command::CreateTask {
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
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Give a task to another lead agency (secretariat).
    async fn reassign_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: ReassignTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, "reassign tasks", input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            let task = visible_task(scope, &input.task_id)?;
            let command = Command::ReassignTask {
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
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Pass a task from a merged agency to its successor (secretariat).
    async fn transfer_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: TransferTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let task = task_id(&input.task_id, "taskId")?;
        let envelope =
            Envelope::new(SECRETARIAT, "transfer tasks", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |scope, _| {
            scope.task(task)?;
            let command = Command::TransferTask {
                task_id: task,
                from_agency: agency_id(&input.from_agency_id, "fromAgencyId")?,
                to_agency: agency_id(&input.to_agency_id, "toAgencyId")?,
                legal_basis: text(input.legal_basis, "legalBasis")?,
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Move a task's deadline later (secretariat).
    async fn extend_deadline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: ExtendDeadlineInput,
    ) -> async_graphql::Result<TaskPayload> {
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, "extend deadlines", input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            let task = visible_task(scope, &input.task_id)?;
            let command = Command::ExtendDeadline {
                task_id: task,
                new_deadline: input.new_deadline,
                reason,
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Report progress on a task for the officer's own agency (lead: sets the percent;
    /// coordinator: a contribution).
    async fn report_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: ReportProgressInput,
    ) -> async_graphql::Result<TaskPayload> {
        let percent = u8::try_from(input.percent)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| ApiError::bad_input("percent", "give a percent from 0 to 100"))?;
        let envelope = Envelope::new(OFFICER, "report progress", input.client_mutation_id)
            .expecting(input.expected_version);
        let sent = send(ctx, envelope, |scope, _| {
            let task = visible_task(scope, &input.task_id)?;
            let command = Command::ReportProgress {
                task_id: task,
                reporter_agency: own_agency(scope)?,
                percent,
                note: text(input.note, "note")?,
                evidence: input.evidence,
                as_of: input.as_of.unwrap_or(scope.today),
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Mark a task done, for the officer's own agency, which must lead it.
    async fn complete_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: CompleteTaskInput,
    ) -> async_graphql::Result<TaskPayload> {
        let envelope = Envelope::new(OFFICER, "complete tasks", input.client_mutation_id)
            .expecting(input.expected_version);
        let sent = send(ctx, envelope, |scope, _| {
            let task = visible_task(scope, &input.task_id)?;
            let command = Command::CompleteTask {
                task_id: task,
                reporter_agency: own_agency(scope)?,
                output: text(input.output, "output")?,
                completed_on: input.completed_on.unwrap_or(scope.today),
            };
            Ok((command, task))
        })
        .await?;
        Ok(sent.into())
    }

    /// Reopen a completed task (secretariat).
    async fn reopen_task(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: TaskReasonInput,
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
        #[graphql(desc = "The mutation's fields (see the input type).")] input: TaskReasonInput,
    ) -> async_graphql::Result<TaskPayload> {
        self.task_with_reason(ctx, input, "cancel tasks", |task_id, reason| {
            Command::CancelTask { task_id, reason }
        })
        .await
    }
}

impl TaskMutation {
    /// A secretariat's command on one task that needs only a reason.
    async fn task_with_reason(
        &self,
        ctx: &Context<'_>,
        input: TaskReasonInput,
        what: &'static str,
        command: impl FnOnce(TaskId, String) -> Command,
    ) -> async_graphql::Result<TaskPayload> {
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, what, input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            let task = visible_task(scope, &input.task_id)?;
            Ok((command(task, reason), task))
        })
        .await?;
        Ok(sent.into())
    }
}
