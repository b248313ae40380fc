//! A synthetic country for benchmarks and scale tests, made through the normal command
//! path: provinces with their People's Committee and departments, a provincial program,
//! a plan a year, and tasks that are reported on, extended, reassigned, completed
//! (early, on time or late) or cancelled; where the plans reach 2025, mergers on
//! 1/7/2025 pass open tasks to successors. Deterministic for a given seed.

use std::sync::Arc;

use anyhow::Result;
use chrono::{Duration, NaiveDate, Utc};
use reform_commands::CommandHandler;
use reform_domain::{
    AgencyId, AgencyTier, Block, Command, CrossCutting, Deadline, DocumentHeader, DocumentId,
    Period, Pillar, ProgramLevel, Role, TaskCategory, TaskId,
};
use reform_store::{Actor, CommandMetadata};

/// How big a country to make.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Provinces.
    pub provinces: usize,
    /// Departments per province.
    pub departments: usize,
    /// Commune People's Committees per province; they lead tasks like departments,
    /// and every second one merges into its neighbour on 1/7/2025.
    pub communes: usize,
    /// Tasks each department leads per plan year.
    pub tasks_per_agency: usize,
    /// Plan years, from 2021.
    pub years: i32,
    /// Concurrent writers.
    pub writers: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

/// What was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generated {
    /// Commands executed.
    pub commands: u64,
    /// Tasks created.
    pub tasks: u64,
}

impl Generated {
    /// Adds what another part made.
    pub fn add(&mut self, other: Generated) {
        self.commands += other.commands;
        self.tasks += other.tasks;
    }
}

/// A small deterministic generator (xorshift64*): no dependency for dice.
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    /// The next pseudo-random number.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// A calendar day (`NaiveDate::MIN` if there is no such day).
pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The reform secretariat's act of `day`, entered now (as a client enters acts in
/// arrears: dated with `on`).
pub(crate) fn secretariat(day: NaiveDate) -> CommandMetadata {
    let actor = Actor {
        user_id: "generator".into(),
        display_name: "Bộ sinh dữ liệu".into(),
        role: Role::Secretariat,
        agency: None,
    };
    CommandMetadata::new(actor, Utc::now()).on(Some(day))
}

/// An officer of `agency`'s act of `day`, entered now.
pub(crate) fn officer(agency: AgencyId, day: NaiveDate) -> CommandMetadata {
    let actor = Actor {
        user_id: format!("officer-{agency}"),
        display_name: "Cán bộ đầu mối".into(),
        role: Role::Officer,
        agency: Some(agency),
    };
    CommandMetadata::new(actor, Utc::now()).on(Some(day))
}

/// A document's header, issued by `issuer` with no agency or signer recorded.
pub(crate) fn header(
    number: String,
    title: String,
    issued_on: NaiveDate,
    issuer: &str,
) -> DocumentHeader {
    DocumentHeader {
        number,
        title,
        issued_on,
        issuer: issuer.into(),
        issuing_agency: None,
        signer: None,
    }
}

/// One province's set-up: its agencies, program and plans.
struct Province {
    /// The provincial People's Committee.
    committee: AgencyId,
    /// Its departments.
    departments: Vec<AgencyId>,
    /// Its communes' People's Committees.
    communes: Vec<AgencyId>,
    /// The plan of each year, and the day it was issued.
    plans: Vec<(i32, DocumentId, NaiveDate)>,
}

/// Makes the country. Agencies, programs and plans are created first, then the tasks'
/// lives are played by `shape.writers` concurrent writers.
pub async fn generate(handler: &CommandHandler, shape: &Shape) -> Result<Generated> {
    let mut made = Generated::default();
    let today = Utc::now().date_naive();
    let national = DocumentId::generate();
    let start = day(2021, 7, 15);
    handler
        .execute(
            Command::IssueProgram {
                document_id: national,
                header: header(
                    "76/NQ-CP".into(),
                    "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030".into(),
                    start,
                    "Chính phủ",
                ),
                level: ProgramLevel::National,
                jurisdiction: "VN".into(),
                parent_program: None,
                period: Period {
                    from_year: 2021,
                    to_year: 2030,
                },
            },
            secretariat(start),
            None,
        )
        .await?;
    made.commands += 1;

    let mut provinces = Vec::with_capacity(shape.provinces);
    for p in 0..shape.provinces {
        let jurisdiction = format!("VN-{:02}", p + 1);
        let setup = day(2021, 8, 1);
        let committee = AgencyId::generate();
        handler
            .execute(
                register(
                    committee,
                    format!("UBND tỉnh số {}", p + 1),
                    AgencyTier::ProvincialPeoplesCommittee,
                    None,
                    &jurisdiction,
                    None,
                ),
                secretariat(setup),
                None,
            )
            .await?;
        let mut departments = Vec::with_capacity(shape.departments);
        for d in 0..shape.departments {
            let id = AgencyId::generate();
            let name = format!("Sở số {} tỉnh số {}", d + 1, p + 1);
            handler
                .execute(
                    register(
                        id,
                        name,
                        AgencyTier::Department,
                        Some(Block::Departments),
                        &jurisdiction,
                        Some(committee),
                    ),
                    secretariat(setup),
                    None,
                )
                .await?;
            departments.push(id);
        }
        let mut communes = Vec::with_capacity(shape.communes);
        for c in 0..shape.communes {
            let id = AgencyId::generate();
            handler
                .execute(
                    register(
                        id,
                        format!("UBND xã số {} tỉnh số {}", c + 1, p + 1),
                        AgencyTier::CommunePeoplesCommittee,
                        Some(Block::Communes),
                        &jurisdiction,
                        Some(committee),
                    ),
                    secretariat(setup),
                    None,
                )
                .await?;
            communes.push(id);
        }
        let program = DocumentId::generate();
        handler
            .execute(
                Command::IssueProgram {
                    document_id: program,
                    header: header(
                        format!("{}/QĐ-UBND", 3000 + p),
                        "Chương trình cải cách hành chính của tỉnh giai đoạn 2021–2030".into(),
                        day(2021, 10, 22),
                        "UBND tỉnh",
                    ),
                    level: ProgramLevel::Provincial,
                    jurisdiction: jurisdiction.clone(),
                    parent_program: Some(national),
                    period: Period {
                        from_year: 2021,
                        to_year: 2030,
                    },
                },
                secretariat(day(2021, 10, 22)),
                None,
            )
            .await?;
        let mut plans = Vec::new();
        for y in 0..shape.years {
            let year = 2021 + y;
            let plan = DocumentId::generate();
            let issued = day(year - 1, 12, 20).max(day(2021, 10, 25));
            if issued > today {
                // Acts are recorded on or after their day: no plan of the future.
                break;
            }
            handler
                .execute(
                    Command::IssuePlan {
                        document_id: plan,
                        header: header(
                            format!("{}/KH-UBND", 100 + y),
                            format!("Kế hoạch cải cách hành chính năm {year}"),
                            issued,
                            "UBND tỉnh",
                        ),
                        implements: program,
                        issuing_agency: committee,
                        jurisdiction: jurisdiction.clone(),
                        period: Period {
                            from_year: year,
                            to_year: year,
                        },
                    },
                    secretariat(issued),
                    None,
                )
                .await?;
            plans.push((year, plan, issued));
        }
        made.commands += 2 + shape.departments as u64 + shape.communes as u64 + plans.len() as u64;
        provinces.push(Province {
            committee,
            departments,
            communes,
            plans,
        });
    }

    // Each writer plays the lives of the tasks of every `writers`-th department.
    let provinces = Arc::new(provinces);
    let mut writers = Vec::new();
    for w in 0..shape.writers.max(1) {
        let (handler, provinces, shape) = (handler.clone(), provinces.clone(), shape.clone());
        writers.push(tokio::spawn(async move {
            let mut dice = Dice(
                shape
                    .seed
                    .wrapping_add(w as u64 + 1)
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    | 1,
            );
            let mut made = Generated::default();
            let mut slot = 0;
            for province in provinces.iter() {
                // Departments coordinate with their neighbour, communes with theirs.
                for group in [&province.departments, &province.communes] {
                    for (d, &lead) in group.iter().enumerate() {
                        slot += 1;
                        if slot % shape.writers.max(1) != w {
                            continue;
                        }
                        // Alone in its group, an agency works with the committee.
                        let partner = if group.len() > 1 {
                            group[(d + 1) % group.len()]
                        } else {
                            province.committee
                        };
                        for &(year, plan, issued) in &province.plans {
                            for t in 0..shape.tasks_per_agency {
                                let life = Life {
                                    plan,
                                    year,
                                    issued,
                                    lead,
                                    partner,
                                    t,
                                    today,
                                };
                                made.commands +=
                                    task_life(&handler, &mut dice, province, &life).await?;
                                made.tasks += 1;
                            }
                        }
                    }
                }
            }
            anyhow::Ok(made)
        }));
    }
    for w in writers {
        let by = w.await??;
        made.commands += by.commands;
        made.tasks += by.tasks;
    }

    // The 2025 reorganisation: where the plans reach 2025, every fourth department is
    // merged into its neighbour on 1/7/2025 and its open tasks pass to the successor.
    if 2021 + shape.years > 2025 && day(2025, 7, 1) <= today {
        let effective_on = day(2025, 7, 1);
        for province in provinces.iter() {
            let departments = province.departments.chunks(4).filter(|c| c.len() == 4);
            let communes = province.communes.chunks(2).filter(|c| c.len() == 2);
            let pairs = departments
                .map(|c| (c[3], c[2]))
                .chain(communes.map(|c| (c[1], c[0])));
            for (merged, successor) in pairs {
                let merger = Command::MergeAgency {
                    agency_id: merged,
                    successor,
                    effective_on,
                    legal_basis: "Nghị quyết 190/2025/QH15".into(),
                };
                let executed = handler
                    .execute(merger, secretariat(effective_on), None)
                    .await?;
                made.commands += 1 + executed.follow_ups.len() as u64;
            }
        }
    }
    Ok(made)
}

/// The `RegisterAgency` command for an agency of the generated country.
pub(crate) fn register(
    id: AgencyId,
    name: String,
    tier: AgencyTier,
    block: Option<Block>,
    jurisdiction: &str,
    parent: Option<AgencyId>,
) -> Command {
    Command::RegisterAgency {
        agency_id: id,
        name,
        short_name: None,
        tier,
        block,
        jurisdiction: jurisdiction.into(),
        parent,
    }
}

/// Whose task, in which plan, and the day the generator stops at.
struct Life {
    plan: DocumentId,
    year: i32,
    /// The plan's issue date: its tasks are assigned from then on.
    issued: NaiveDate,
    lead: AgencyId,
    partner: AgencyId,
    /// The task's number among the lead's in the plan.
    t: usize,
    /// No act is dated after today.
    today: NaiveDate,
}

/// One task from its assignment (10 January of the plan's year, or the day after the
/// plan's issue when that is later) to its end, each act after the one before it and
/// none after today; returns the commands sent.
async fn task_life(
    handler: &CommandHandler,
    dice: &mut Dice,
    province: &Province,
    life: &Life,
) -> Result<u64> {
    let &Life {
        plan,
        year,
        issued,
        lead,
        partner,
        t,
        today,
    } = life;
    let task = TaskId::generate();
    let created = day(year, 1, 10).max(issued + Duration::days(1)).min(today);
    let category = match dice.below(9) {
        6 => TaskCategory::CrossCutting(CrossCutting::Direction),
        7 => TaskCategory::CrossCutting(CrossCutting::Communication),
        8 => TaskCategory::CrossCutting(CrossCutting::Inspection),
        n => TaskCategory::Pillar(Pillar::ALL[n as usize % Pillar::ALL.len()]),
    };
    let deadline = day(year, 3 + dice.below(10) as u32, 28).max(created + Duration::days(60));
    let ongoing = dice.chance(5);
    handler
        .execute(
            Command::CreateTask {
                reference: None,
                task_id: task,
                plan,
                parent_task: None,
                directive_point: None,
                category,
                title: format!(
                    "Cải cách thủ tục hành chính, nhiệm vụ số {} năm {year}",
                    t + 1
                ),
                description: None,
                lead,
                coordinators: vec![partner],
                deadline: if ongoing {
                    Deadline::Ongoing
                } else {
                    Deadline::On(deadline)
                },
                expected_output: "Báo cáo kết quả thực hiện".into(),
                weight: Some(1 + dice.below(3) as u32),
            },
            secretariat(created),
            None,
        )
        .await?;
    let mut sent = 1;
    let mut when = created;
    let mut lead_now = lead;
    let mut due = deadline;
    for r in 0..1 + dice.below(3) {
        when += Duration::days(20 + dice.below(40) as i64);
        if when > today {
            return Ok(sent);
        }
        let reporter = if dice.chance(25) { partner } else { lead_now };
        handler
            .execute(
                Command::ReportProgress {
                    task_id: task,
                    reporter_agency: reporter,
                    percent: (20 * (r + 1) + dice.below(20)).min(95) as u8,
                    note: "Đã triển khai theo kế hoạch".into(),
                    evidence: vec![format!("Báo cáo số {}/BC", 100 + r)],
                    as_of: when,
                },
                officer(reporter, when),
                None,
            )
            .await?;
        sent += 1;
    }
    if !ongoing && dice.chance(10) {
        let new_deadline = due + Duration::days(30 + dice.below(60) as i64);
        handler
            .execute(
                Command::ExtendDeadline {
                    task_id: task,
                    new_deadline,
                    reason: "Chờ hướng dẫn của cơ quan cấp trên".into(),
                },
                secretariat(when),
                None,
            )
            .await?;
        due = new_deadline;
        sent += 1;
    }
    if dice.chance(3) {
        lead_now = province.committee;
        handler
            .execute(
                Command::ReassignTask {
                    task_id: task,
                    new_lead: lead_now,
                    coordinators: None,
                    reason: "Theo chỉ đạo của Chủ tịch UBND tỉnh".into(),
                },
                secretariat(when),
                None,
            )
            .await?;
        sent += 1;
    }
    let fate = dice.below(100);
    if fate < 70 {
        let completed_on = if ongoing {
            when + Duration::days(10)
        } else {
            due + Duration::days(dice.below(50) as i64 - 30)
        };
        let completed_on = completed_on.max(when);
        if completed_on > today {
            return Ok(sent);
        }
        handler
            .execute(
                Command::CompleteTask {
                    task_id: task,
                    reporter_agency: lead_now,
                    output: "Đã hoàn thành".into(),
                    completed_on,
                },
                officer(lead_now, completed_on),
                None,
            )
            .await?;
        sent += 1;
    } else if fate < 75 {
        handler
            .execute(
                Command::CancelTask {
                    task_id: task,
                    reason: "Không còn phù hợp".into(),
                },
                secretariat(when),
                None,
            )
            .await?;
        sent += 1;
    }
    Ok(sent)
}
