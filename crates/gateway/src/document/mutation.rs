//! Recording programs, directives and plans, amending them and choosing how a
//! program's percentages are made (the secretariat's).

use async_graphql::{Context, InputObject, Object, ID};
use chrono::NaiveDate;
use reform_domain::{AgencyId, Command, DirectivePoint, DocumentHeader, DocumentId, Period};

use crate::document::{Plan, Program};
use crate::error::ApiError;
use crate::node::Node;
use crate::relay::{parse, parse_any, Kind};
use crate::send::{agency_id, payload, send, text, Envelope, SECRETARIAT};
use crate::vocab::{PillarCode, ProgramLevelCode, RollupRuleCode};

/// The document mutations.
#[derive(Default)]
pub struct DocumentMutation;

payload!(
    /// What a mutation on a program returns.
    ProgramPayload,
    program: Program,
    "The program after the change."
);

payload!(
    /// What a mutation on a plan returns.
    PlanPayload,
    plan: Plan,
    "The plan after the change."
);

payload!(
    /// What a mutation on a document returns.
    DocumentPayload,
    document: Node,
    "The program, directive or plan after the change."
);

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
    /// The day it is on record from, when not today (a plan signed in January entered in
    /// March: its issue date):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day it is on record from, when not today (a plan signed in January entered in
    /// March: its issue date):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
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
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// A numbered point of a directive.
#[derive(InputObject)]
pub struct DirectivePointInput {
    /// Its number, from 1.
    pub number: u32,
    /// What it orders.
    pub text: String,
    /// The pillars it serves.
    #[graphql(default)]
    pub pillars: Vec<PillarCode>,
}

/// Record a directive (chỉ thị).
#[derive(InputObject)]
pub struct IssueDirectiveInput {
    /// The document's header.
    pub header: DocumentHeaderInput,
    /// The program it serves.
    pub program_id: Option<ID>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Its numbered points.
    pub points: Vec<DirectivePointInput>,
    /// The day it is on record from, when not today (a plan signed in January entered in
    /// March: its issue date):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

/// Amend a program, directive or plan.
#[derive(InputObject)]
pub struct AmendDocumentInput {
    /// The document.
    pub document_id: ID,
    /// The amending document's number.
    pub amended_by: Option<String>,
    /// The new title.
    pub title: Option<String>,
    /// The new first year.
    pub from_year: Option<i32>,
    /// The new last year.
    pub to_year: Option<i32>,
    /// Why.
    pub reason: String,
    /// The document's version the change rests on.
    pub expected_version: Option<u64>,
    /// The day the act took place, when not today (a decision signed last week):
    /// not after today, nor before the last act on the record it changes or the
    /// records it refers to. Default: now.
    pub on: Option<NaiveDate>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

#[Object]
impl DocumentMutation {
    /// Record a program (secretariat).
    async fn issue_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: IssueProgramInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let envelope =
            Envelope::new(SECRETARIAT, "record programs", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |_, new| {
            let document = DocumentId(new);
            let command = Command::IssueProgram {
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
            };
            Ok((command, document))
        })
        .await?;
        Ok(sent.into())
    }

    /// Record a directive with its numbered points (secretariat).
    async fn issue_directive(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: IssueDirectiveInput,
    ) -> async_graphql::Result<DocumentPayload> {
        let envelope =
            Envelope::new(SECRETARIAT, "record directives", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |_, new| {
            let document = DocumentId(new);
            let command = Command::IssueDirective {
                document_id: document,
                header: input.header.into_header(None)?,
                program: input
                    .program_id
                    .as_ref()
                    .map(|p| parse(p, Kind::Program, "programId").map(DocumentId))
                    .transpose()?,
                jurisdiction: input.jurisdiction,
                points: input
                    .points
                    .into_iter()
                    .map(|p| DirectivePoint {
                        number: p.number,
                        text: p.text,
                        pillars: p.pillars.into_iter().map(Into::into).collect(),
                    })
                    .collect(),
            };
            Ok((command, document))
        })
        .await?;
        Ok(sent.into())
    }

    /// Record a plan implementing a program or directive (secretariat).
    async fn issue_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: IssuePlanInput,
    ) -> async_graphql::Result<PlanPayload> {
        let envelope =
            Envelope::new(SECRETARIAT, "record plans", input.client_mutation_id).on(input.on);
        let sent = send(ctx, envelope, |_, new| {
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
            let command = Command::IssuePlan {
                document_id: document,
                header: input.header.into_header(Some(issuing))?,
                implements,
                issuing_agency: issuing,
                jurisdiction: input.jurisdiction,
                period: Period {
                    from_year: input.from_year,
                    to_year: input.to_year,
                },
            };
            Ok((command, document))
        })
        .await?;
        Ok(sent.into())
    }

    /// Amend a program, directive or plan: title, period (secretariat).
    async fn amend_document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: AmendDocumentInput,
    ) -> async_graphql::Result<DocumentPayload> {
        let document = match parse_any(&input.document_id) {
            Ok((Kind::Program | Kind::Directive | Kind::Plan, uuid)) => DocumentId(uuid),
            _ => {
                return Err(ApiError::bad_input(
                    "documentId",
                    "give the id of a program, directive or plan",
                )
                .into())
            }
        };
        let period = match (input.from_year, input.to_year) {
            (None, None) => None,
            (Some(from_year), Some(to_year)) => Some(Period { from_year, to_year }),
            _ => return Err(ApiError::bad_input("toYear", "give both fromYear and toYear").into()),
        };
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(SECRETARIAT, "amend documents", input.client_mutation_id)
            .on(input.on)
            .expecting(input.expected_version)
            .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.document(document)?;
            let command = Command::AmendDocument {
                document_id: document,
                amended_by: input.amended_by,
                title: input.title,
                signer: None,
                period,
                points: None,
                reason,
            };
            Ok((command, document))
        })
        .await?;
        Ok(sent.into())
    }

    /// Choose a program's roll-up rule (secretariat); the change is kept in history.
    async fn set_rollup_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mutation's fields (see the input type).")] input: SetRollupRuleInput,
    ) -> async_graphql::Result<ProgramPayload> {
        let program = DocumentId(parse(&input.program_id, Kind::Program, "programId")?);
        let reason = text(input.reason, "reason")?;
        let envelope = Envelope::new(
            SECRETARIAT,
            "change roll-up rules",
            input.client_mutation_id,
        )
        .on(input.on)
        .expecting(input.expected_version)
        .because(reason.clone());
        let sent = send(ctx, envelope, |scope, _| {
            scope.document(program)?;
            let command = Command::SetRollupRule {
                document_id: program,
                rule: input.rule.into(),
                reason,
            };
            Ok((command, program))
        })
        .await?;
        Ok(sent.into())
    }
}
