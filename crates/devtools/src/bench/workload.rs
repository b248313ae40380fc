//! The workload the append and lag benchmarks send: a program, a plan and a few
//! agencies, then real `CreateTask` commands against them from the secretariat.

use anyhow::Result;
use chrono::{NaiveDate, Utc};
use reform_commands::CommandHandler;
use reform_domain::{
    AgencyId, AgencyTier, Command, Deadline, DocumentHeader, DocumentId, Period, Pillar,
    ProgramLevel, Role, TaskCategory, TaskId,
};
use reform_store::{Actor, CommandMetadata};

/// The benchmark's actor (the secretariat), acting now.
pub(super) fn metadata() -> CommandMetadata {
    let actor = Actor {
        user_id: "bench".into(),
        display_name: "Benchmark".into(),
        role: Role::Secretariat,
        agency: None,
    };
    CommandMetadata::new(actor, Utc::now())
}

/// A calendar day (`NaiveDate::MIN` if there is no such day).
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The `i`-th `CreateTask` of writer `writer`: a task in `plan` led by `lead`, its
/// pillar in turn.
pub(super) fn create_task(plan: DocumentId, lead: AgencyId, writer: usize, i: usize) -> Command {
    Command::CreateTask {
        reference: None,
        task_id: TaskId::generate(),
        plan,
        parent_task: None,
        directive_point: None,
        category: TaskCategory::Pillar(Pillar::ALL[(writer + i) % Pillar::ALL.len()]),
        title: format!("Rà soát, đơn giản hóa thủ tục hành chính — đợt {writer}.{i}"),
        description: None,
        lead,
        coordinators: Vec::new(),
        deadline: Deadline::On(date(2025, 12, 31)),
        expected_output: "Báo cáo kết quả rà soát".into(),
        weight: None,
    }
}

/// A program, a plan and a few agencies to assign tasks to (not timed).
pub(super) async fn setup(handler: &CommandHandler) -> Result<(DocumentId, Vec<AgencyId>)> {
    let agencies: Vec<AgencyId> = (0..4).map(|_| AgencyId::generate()).collect();
    for (i, agency) in agencies.iter().enumerate() {
        let command = Command::RegisterAgency {
            agency_id: *agency,
            name: format!("Sở thử nghiệm số {i}"),
            short_name: None,
            tier: AgencyTier::Department,
            block: None,
            jurisdiction: "VN-DN".into(),
            parent: None,
        };
        handler.execute(command, metadata(), None).await?;
    }
    let header = |number: &str| DocumentHeader {
        number: number.into(),
        title: "Văn bản thử nghiệm".into(),
        issued_on: date(2021, 7, 15),
        issuer: "UBND thành phố".into(),
        issuing_agency: None,
        signer: None,
    };
    let program = DocumentId::generate();
    let period = Period {
        from_year: 2021,
        to_year: 2025,
    };
    handler
        .execute(
            Command::IssueProgram {
                document_id: program,
                header: header("1/QĐ-UBND"),
                level: ProgramLevel::Provincial,
                jurisdiction: "VN-DN".into(),
                parent_program: None,
                period,
            },
            metadata(),
            None,
        )
        .await?;
    let plan = DocumentId::generate();
    handler
        .execute(
            Command::IssuePlan {
                document_id: plan,
                header: header("2/KH-UBND"),
                implements: program,
                issuing_agency: agencies[0],
                jurisdiction: "VN-DN".into(),
                period,
            },
            metadata(),
            None,
        )
        .await?;
    Ok((plan, agencies))
}
