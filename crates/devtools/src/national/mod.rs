//! A synthetic country at national scale, made through the normal command path with
//! each act dated its business day: the register of jurisdictions (the 63 provinces
//! and the mergers of 1 July 2025 that made them 34), in every province its People's
//! Committee, departments and communes, its program and a plan a year, tasks that are
//! reported on monthly, extended, completed or cancelled, and each agency's monthly
//! one-stop dossier statistics. On 1 July 2025 the provinces merge as the register
//! says — each merged province's committee and departments into the successor's, and
//! every second commune into its neighbour — the open tasks pass to the successors and
//! their lives go on under them; plans of later years are the 34 provinces' own.
//!
//! Deterministic for a seed: every id, command and day comes from the seed (only the
//! order in which concurrent writers' commands reach the log varies). No act is dated
//! after today.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use reform_commands::CommandHandler;
use reform_domain::register::{
    reorganised_on, MERGERS_2025, MERGER_RESOLUTION, PROVINCES_BEFORE_2025,
};
use reform_domain::{AgencyId, AgencyTier, Block, Command, DocumentId, Period, ProgramLevel};
use uuid::Uuid;

use crate::generate::{day, header, register, secretariat, Generated};

mod dossiers;
mod lives;

use self::dossiers::dossiers;
use self::lives::{create, plan_issued, send_act, task_plans, Act, TaskPlan};

/// How big a country to make.
#[derive(Clone, Debug)]
pub struct NationalShape {
    /// Departments per province.
    pub departments: usize,
    /// Commune People's Committees per province.
    pub communes: usize,
    /// Tasks each department or commune leads per plan year.
    pub tasks_per_agency: usize,
    /// The last plan year (plans run from 2021; none is issued after today).
    pub last_year: i32,
    /// Concurrent writers (each plays whole provinces).
    pub writers: usize,
    /// Seed of every id and choice.
    pub seed: u64,
}

/// The first day of the 2025 reorganisation, as the register has it.
fn cutover() -> NaiveDate {
    reorganised_on()
}

/// One province's agencies.
#[derive(Clone, Debug)]
struct ProvinceAgencies {
    code: &'static str,
    name: &'static str,
    committee: AgencyId,
    departments: Vec<AgencyId>,
    communes: Vec<AgencyId>,
}

impl ProvinceAgencies {
    fn leads(&self) -> impl Iterator<Item = (usize, AgencyId)> + '_ {
        self.departments
            .iter()
            .chain(&self.communes)
            .copied()
            .enumerate()
    }
}

/// A province as played: its agencies, its plans (year, id) and their tasks.
type Played = (ProvinceAgencies, Vec<(i32, DocumentId)>, Vec<TaskPlan>);

/// What one phase of [`play`] sends.
#[derive(Clone, Copy)]
struct Phase {
    /// Register the agencies, program and plans, and create the tasks.
    set_up: bool,
    /// The tasks' acts dated in this window.
    acts: (NaiveDate, NaiveDate),
    /// Monthly dossier statistics of the months ending in this window.
    dossiers: Option<(NaiveDate, NaiveDate)>,
}

/// Ids drawn from the seed: the same seed names the same records.
struct Names(Uuid);

impl Names {
    fn new(seed: u64) -> Names {
        Names(Uuid::new_v5(
            &Uuid::NAMESPACE_OID,
            format!("reform-national/{seed}").as_bytes(),
        ))
    }

    fn id(&self, what: &str) -> Uuid {
        Uuid::new_v5(&self.0, what.as_bytes())
    }

    fn agency(&self, what: &str) -> AgencyId {
        AgencyId(self.id(&format!("agency/{what}")))
    }

    fn document(&self, what: &str) -> DocumentId {
        DocumentId(self.id(&format!("document/{what}")))
    }
}

/// Makes the country: see the module's notes.
pub async fn generate_national(
    handler: &CommandHandler,
    shape: &NationalShape,
) -> Result<Generated> {
    let today = Utc::now().date_naive();
    let names = Names::new(shape.seed);
    let mut made = Generated::default();

    // The register's nation and provinces; their mergers come on 1/7/2025, after what
    // happened in the provinces before it.
    let (establish, merge): (Vec<Command>, Vec<Command>) = reform_domain::register::commands()
        .into_iter()
        .partition(|c| matches!(c, Command::EstablishJurisdiction { .. }));
    for command in establish {
        handler
            .execute(command, secretariat(today).on(None), None)
            .await?;
        made.commands += 1;
    }
    let national = names.document("76/NQ-CP");
    handler
        .execute(
            Command::IssueProgram {
                document_id: national,
                header: header(
                    "76/NQ-CP".into(),
                    "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030".into(),
                    day(2021, 7, 15),
                    "Chính phủ",
                ),
                level: ProgramLevel::National,
                jurisdiction: reform_domain::NATIONAL.into(),
                parent_program: None,
                period: Period {
                    from_year: 2021,
                    to_year: 2030,
                },
            },
            secretariat(day(2021, 7, 15)),
            None,
        )
        .await?;
    made.commands += 1;

    let provinces: Vec<ProvinceAgencies> = PROVINCES_BEFORE_2025
        .iter()
        .map(|(code, name)| ProvinceAgencies {
            code,
            name,
            committee: names.agency(&format!("{code}/committee")),
            departments: (0..shape.departments)
                .map(|d| names.agency(&format!("{code}/department/{d}")))
                .collect(),
            communes: (0..shape.communes)
                .map(|c| names.agency(&format!("{code}/commune/{c}")))
                .collect(),
        })
        .collect();
    let merged_into: BTreeMap<&str, &str> = MERGERS_2025
        .iter()
        .flat_map(|(successor, merged)| merged.iter().map(move |m| (*m, *successor)))
        .collect();

    // Before the reorganisation: every province, its plans of 2021–2025 and the acts
    // of their tasks dated before 1/7/2025.
    let last_year = shape.last_year.min(today.year());
    let before: Vec<Played> = provinces
        .iter()
        .map(|p| {
            let years = 2021..=last_year.min(cutover().year());
            let (plans, tasks) = task_plans(&names, shape, p, years, today);
            (p.clone(), plans, tasks)
        })
        .collect();
    let tomorrow = today + Duration::days(1);
    let cut = cutover().min(tomorrow);
    let phase = Phase {
        set_up: true,
        acts: (NaiveDate::MIN, cut),
        dossiers: Some((day(2022, 1, 1), cut)),
    };
    let no_merger = BTreeMap::new();
    made.add(play(handler, shape, &names, &before, national, phase, &no_merger).await?);

    // The reorganisation: the register's mergers, then the agencies'.
    if cutover() <= today {
        for command in merge {
            handler
                .execute(command, secretariat(cutover()), None)
                .await?;
            made.commands += 1;
        }
        let find = |code: &str| provinces.iter().find(|p| p.code == code);
        let mut pairs: Vec<(AgencyId, AgencyId)> = Vec::new();
        let mut successor_of: BTreeMap<AgencyId, AgencyId> = BTreeMap::new();
        for province in &provinces {
            if let Some(successor) = merged_into.get(province.code).and_then(|c| find(c)) {
                pairs.push((province.committee, successor.committee));
                pairs.extend(
                    province
                        .departments
                        .iter()
                        .copied()
                        .zip(successor.departments.iter().copied()),
                );
                // Each commune joins the successor's commune that remains (the even
                // ones: the odd ones join their neighbour below).
                pairs.extend(province.communes.iter().enumerate().filter_map(|(k, c)| {
                    successor.communes.get(k - k % 2).map(|into| (*c, *into))
                }));
            } else {
                // Every second commune joins its neighbour.
                pairs.extend(
                    province
                        .communes
                        .chunks(2)
                        .filter(|c| c.len() == 2)
                        .map(|c| (c[1], c[0])),
                );
            }
        }
        for (agency, successor) in pairs {
            successor_of.insert(agency, successor);
            let executed = handler
                .execute(
                    Command::MergeAgency {
                        agency_id: agency,
                        successor,
                        effective_on: cutover(),
                        legal_basis: MERGER_RESOLUTION.into(),
                    },
                    secretariat(cutover()),
                    None,
                )
                .await?;
            made.commands += 1 + executed.follow_ups.len() as u64;
        }
        // The same tasks' acts from 1/7/2025 on, under whoever leads them now.
        let phase = Phase {
            set_up: false,
            acts: (cutover(), tomorrow),
            dossiers: Some((cutover(), tomorrow)),
        };
        made.add(
            play(
                handler,
                shape,
                &names,
                &before,
                national,
                phase,
                &successor_of,
            )
            .await?,
        );

        // Later years: the 34 provinces' own plans.
        let after: Vec<Played> = provinces
            .iter()
            .filter(|p| !merged_into.contains_key(p.code))
            .map(|p| {
                let mut live = p.clone();
                live.communes = p.communes.iter().step_by(2).copied().collect();
                let years = cutover().year() + 1..=last_year;
                let (plans, tasks) = task_plans(&names, shape, &live, years, today);
                (live, plans, tasks)
            })
            .collect();
        let phase = Phase {
            set_up: true,
            acts: (NaiveDate::MIN, tomorrow),
            dossiers: None,
        };
        made.add(play(handler, shape, &names, &after, national, phase, &no_merger).await?);
    }
    Ok(made)
}

/// Plays the provinces' records with `writers` writers (each takes whole provinces),
/// as `phase` says; an agency merged away acts through its successor.
async fn play(
    handler: &CommandHandler,
    shape: &NationalShape,
    names: &Names,
    provinces: &[Played],
    national: DocumentId,
    phase: Phase,
    successor_of: &BTreeMap<AgencyId, AgencyId>,
) -> Result<Generated> {
    let provinces = Arc::new(provinces.to_vec());
    let successor_of = Arc::new(successor_of.clone());
    let mut writers = Vec::new();
    for w in 0..shape.writers.max(1) {
        let (handler, provinces, shape) = (handler.clone(), provinces.clone(), shape.clone());
        let successor_of = successor_of.clone();
        let programs: Vec<DocumentId> = provinces
            .iter()
            .map(|(p, _, _)| names.document(&format!("{}/program", p.code)))
            .collect();
        writers.push(tokio::spawn(async move {
            let mut made = Generated::default();
            let now = |agency: AgencyId| successor_of.get(&agency).copied().unwrap_or(agency);
            for (i, (province, plans, tasks)) in provinces.iter().enumerate() {
                if i % shape.writers.max(1) != w {
                    continue;
                }
                if phase.set_up {
                    made.add(
                        set_up_province(&handler, province, national, programs[i], plans).await?,
                    );
                    for task in tasks {
                        handler
                            .execute(create(task), secretariat(task.created), None)
                            .await?;
                        made.commands += 1;
                        made.tasks += 1;
                    }
                }
                // Acts in day order across the province's tasks, as its agencies
                // report month by month.
                let (from, until) = phase.acts;
                let mut acts: Vec<(NaiveDate, usize, &Act)> = tasks
                    .iter()
                    .enumerate()
                    .flat_map(|(k, t)| t.acts.iter().map(move |(on, act)| (*on, k, act)))
                    .filter(|(on, _, _)| *on >= from && *on < until)
                    .collect();
                acts.sort_by_key(|(on, k, _)| (*on, *k));
                for (on, k, act) in acts {
                    let task = &tasks[k];
                    if send_act(&handler, task, (now(task.lead), now(task.partner)), on, act)
                        .await?
                    {
                        made.commands += 1;
                    }
                }
                if let Some((from, until)) = phase.dossiers {
                    made.commands += dossiers(&handler, province, from, until).await?;
                }
            }
            anyhow::Ok(made)
        }));
    }
    let mut made = Generated::default();
    for w in writers {
        made.add(w.await??);
    }
    Ok(made)
}

/// A province's agencies (registered 1/8/2021), program (22/10/2021) and plans.
async fn set_up_province(
    handler: &CommandHandler,
    province: &ProvinceAgencies,
    national: DocumentId,
    program: DocumentId,
    plans: &[(i32, DocumentId)],
) -> Result<Generated> {
    let mut made = Generated::default();
    let registered = day(2021, 8, 1);
    let mut agencies = vec![register(
        province.committee,
        format!("UBND {}", province.name),
        AgencyTier::ProvincialPeoplesCommittee,
        None,
        province.code,
        None,
    )];
    for (d, id) in province.departments.iter().enumerate() {
        agencies.push(register(
            *id,
            format!("Sở số {} {}", d + 1, province.name),
            AgencyTier::Department,
            Some(Block::Departments),
            province.code,
            Some(province.committee),
        ));
    }
    for (c, id) in province.communes.iter().enumerate() {
        agencies.push(register(
            *id,
            format!("UBND xã số {} {}", c + 1, province.name),
            AgencyTier::CommunePeoplesCommittee,
            Some(Block::Communes),
            province.code,
            Some(province.committee),
        ));
    }
    for command in agencies {
        match handler
            .execute(command, secretariat(registered), None)
            .await
        {
            Ok(_) => made.commands += 1,
            // A live province's plans of later years find its agencies on record.
            Err(reform_commands::CommandError::Rejected(
                reform_domain::DomainError::AlreadyExists { .. },
            )) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let issue_program = Command::IssueProgram {
        document_id: program,
        header: header(
            format!("CT-{}/QĐ-UBND", province.code),
            format!(
                "Chương trình cải cách hành chính {} giai đoạn 2021–2030",
                province.name
            ),
            day(2021, 10, 22),
            "UBND tỉnh",
        ),
        level: ProgramLevel::Provincial,
        jurisdiction: province.code.into(),
        parent_program: Some(national),
        period: Period {
            from_year: 2021,
            to_year: 2030,
        },
    };
    match handler
        .execute(issue_program, secretariat(day(2021, 10, 22)), None)
        .await
    {
        Ok(_) => made.commands += 1,
        Err(reform_commands::CommandError::Rejected(
            reform_domain::DomainError::AlreadyExists { .. },
        )) => {}
        Err(e) => return Err(e.into()),
    }
    for &(year, plan) in plans {
        let issued = plan_issued(year);
        handler
            .execute(
                Command::IssuePlan {
                    document_id: plan,
                    header: header(
                        format!("{}/KH-UBND", 100 + year - 2020),
                        format!(
                            "Kế hoạch cải cách hành chính năm {year} — {}",
                            province.name
                        ),
                        issued,
                        "UBND tỉnh",
                    ),
                    implements: program,
                    issuing_agency: province.committee,
                    jurisdiction: province.code.into(),
                    period: Period {
                        from_year: year,
                        to_year: year,
                    },
                },
                secretariat(issued),
                None,
            )
            .await?;
        made.commands += 1;
    }
    Ok(made)
}
