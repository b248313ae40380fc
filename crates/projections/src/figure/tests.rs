//! Every figure this crate shows, against a fold written here from the events alone.
//!
//! Random histories go through the domain's own `decide` (refused steps are skipped, as
//! a user's refused command writes nothing): plans under programs of every roll-up
//! rule (one through a directive, one under a provincial program), subtasks of
//! subtasks, reports by leads and coordinators, completions early, on time, late and
//! recorded days after the fact, extensions, deadlines amended earlier, reassignments,
//! cancellations, reopenings, mergers with the transfers they owe, new heads. On random
//! days, the model as it stood (the events up to that day) must show, for every task,
//! the percent and status the fold computes — in the roll-up tree of every program,
//! [`ProgressModel::task_figure`] (what `Task` shows), the task list's counts, average
//! and status filter, agency tallies and scorecards, and accountability — and the whole
//! history must answer "overdue on that day" as things stood then.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Days, NaiveDate, Utc};
use proptest::prelude::*;
use reform_domain::{
    chronology, decide, policy, AgencyId, AgencyTier, Block, Command, Deadline, DocumentHeader,
    DocumentId, Event, Period, Person, Pillar, ProgramLevel, RollupRule, TaskCategory, TaskId,
    Timeliness, World,
};

use crate::figure::Standing;
use crate::memo::Memo;
use crate::model::{ProgressModel, TaskRowStatus};
use crate::queries::{
    accountability, agency_tallies, rollup_tree, scorecard, select_tasks, tasks, NodeRef,
    RewardRule, RollupNode, TaskFilter, TaskOrder, NO_FALLBACK,
};

// ---------------------------------------------------------------------------------
// Histories

/// One step of a history; indices pick among what exists (modulo its count).
#[derive(Clone, Debug)]
enum Step {
    Wait(u64),
    Create {
        plan: usize,
        parent: Option<usize>,
        lead: usize,
        coordinator: Option<usize>,
        deadline_in: Option<u64>,
        weight: u32,
    },
    Report {
        task: usize,
        by_lead: bool,
        percent: u8,
    },
    Complete {
        task: usize,
        days_before: u64,
    },
    Extend {
        task: usize,
        days: u64,
    },
    AmendEarlier {
        task: usize,
        days: u64,
    },
    Reassign {
        task: usize,
        lead: usize,
    },
    Cancel {
        task: usize,
    },
    Reopen {
        task: usize,
    },
    Merge {
        agency: usize,
        into: usize,
    },
    Appoint {
        agency: usize,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0u64..20).prop_map(Step::Wait),
        7 => (
            0usize..4,
            prop::option::weighted(0.4, 0usize..64),
            0usize..5,
            prop::option::of(0usize..5),
            prop::option::weighted(0.85, 0u64..90),
            1u32..4,
        )
            .prop_map(|(plan, parent, lead, coordinator, deadline_in, weight)| Step::Create {
                plan,
                parent,
                lead,
                coordinator,
                deadline_in,
                weight,
            }),
        4 => (0usize..64, any::<bool>(), 0u8..=100)
            .prop_map(|(task, by_lead, percent)| Step::Report { task, by_lead, percent }),
        3 => (0usize..64, 0u64..6).prop_map(|(task, days_before)| Step::Complete { task, days_before }),
        1 => (0usize..64, 1u64..40).prop_map(|(task, days)| Step::Extend { task, days }),
        1 => (0usize..64, 1u64..40).prop_map(|(task, days)| Step::AmendEarlier { task, days }),
        1 => (0usize..64, 0usize..5).prop_map(|(task, lead)| Step::Reassign { task, lead }),
        1 => (0usize..64).prop_map(|task| Step::Cancel { task }),
        1 => (0usize..64).prop_map(|task| Step::Reopen { task }),
        1 => (0usize..5, 0usize..5).prop_map(|(agency, into)| Step::Merge { agency, into }),
        1 => (0usize..5).prop_map(|agency| Step::Appoint { agency }),
    ]
}

/// A history: the events the domain accepted, each with its business time, and the
/// names of what was created.
struct History {
    log: Vec<(Event, DateTime<Utc>)>,
    agencies: Vec<AgencyId>,
    programs: Vec<DocumentId>,
    plans: Vec<DocumentId>,
    tasks: Vec<TaskId>,
    first_day: NaiveDate,
    last_day: NaiveDate,
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default()
}

fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

fn plus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

fn minus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

struct Recorder {
    world: World,
    history: History,
    today: NaiveDate,
}

impl Recorder {
    /// Sends a command recorded today as the command handler judges it: the domain
    /// decides it and dates it (a completion by its own day, however late it is
    /// recorded); a refusal writes nothing. Returns whether it was accepted.
    fn send(&mut self, command: Command) -> bool {
        self.send_at(command, at(self.today))
    }

    fn send_at(&mut self, command: Command, now: DateTime<Utc>) -> bool {
        let Ok(events) = decide(&self.world, command.clone()) else {
            return false;
        };
        let Ok(when) = chronology::settle(&self.world, &command, None, now) else {
            return false;
        };
        for event in events {
            self.world.apply_at(&event, when);
            if let Event::AgencyMerged(merger) = &event {
                self.history.log.push((event.clone(), when));
                // The transfers the merger owes, dated as the handler dates them.
                for transfer in policy::transfers_after_merger(&self.world, merger) {
                    self.send_at(transfer, when);
                }
                continue;
            }
            self.history.log.push((event, when));
        }
        true
    }

    fn setup(&mut self, rules: [RollupRule; 3]) {
        let header = |number: &str| DocumentHeader {
            number: number.into(),
            title: format!("Văn bản {number}"),
            issued_on: day0(),
            issuer: "UBND tỉnh".into(),
            issuing_agency: None,
            signer: None,
        };
        for i in 0..5 {
            let agency = AgencyId::generate();
            self.history.agencies.push(agency);
            self.send(Command::RegisterAgency {
                agency_id: agency,
                name: format!("Sở {i}"),
                short_name: None,
                tier: AgencyTier::Department,
                block: Some(Block::Departments),
                jurisdiction: "VN-48".into(),
                parent: None,
            });
            self.send(Command::AppointHead {
                agency_id: agency,
                head: Person {
                    name: format!("Giám đốc {i}.0"),
                    title: None,
                },
                from: day0(),
                decision: None,
            });
        }
        // P0 simple; P1 by rules[0] with a directive under it; P2 a provincial program
        // under P0 by rules[1]; P3 national by rules[2] but with no plans of its own.
        let programs: Vec<DocumentId> = (0..4).map(|_| DocumentId::generate()).collect();
        for (i, program) in programs.iter().enumerate() {
            self.send(Command::IssueProgram {
                document_id: *program,
                header: header(&format!("{i}/QĐ-UBND")),
                level: ProgramLevel::Provincial,
                jurisdiction: "VN-48".into(),
                parent_program: (i == 2).then_some(programs[0]),
                period: Period {
                    from_year: 2021,
                    to_year: 2030,
                },
            });
        }
        for (program, rule) in programs[1..].iter().zip(rules) {
            self.send(Command::SetRollupRule {
                document_id: *program,
                rule,
                reason: "Theo quy chế".into(),
            });
        }
        let directive = DocumentId::generate();
        self.send(Command::IssueDirective {
            document_id: directive,
            header: header("9/CT-UBND"),
            program: Some(programs[1]),
            jurisdiction: "VN-48".into(),
            points: Vec::new(),
        });
        for (i, implements) in [programs[0], programs[1], directive, programs[2]]
            .into_iter()
            .enumerate()
        {
            let plan = DocumentId::generate();
            self.history.plans.push(plan);
            self.send(Command::IssuePlan {
                document_id: plan,
                header: header(&format!("{i}/KH-UBND")),
                implements,
                issuing_agency: self.history.agencies[0],
                jurisdiction: "VN-48".into(),
                period: Period {
                    from_year: 2025,
                    to_year: 2025,
                },
            });
        }
        self.history.programs = programs;
    }

    fn task(&self, i: usize) -> Option<TaskId> {
        let tasks = &self.history.tasks;
        (!tasks.is_empty()).then(|| tasks[i % tasks.len()])
    }

    /// A task with a deadline, and the deadline.
    fn dated(&self, i: usize) -> Option<(TaskId, NaiveDate)> {
        let task = self.task(i)?;
        let deadline = self.world.tasks.get(&task)?.deadline.date()?;
        Some((task, deadline))
    }

    fn lead_of(&self, task: TaskId) -> Option<AgencyId> {
        self.world.tasks.get(&task).map(|t| t.lead)
    }

    fn play(&mut self, step: &Step) {
        let agencies = self.history.agencies.clone();
        let today = self.today;
        match *step {
            Step::Wait(days) => self.today = plus(self.today, days),
            Step::Create {
                plan,
                parent,
                lead,
                coordinator,
                deadline_in,
                weight,
            } => {
                let parent = parent.and_then(|p| self.task(p));
                let plan = match parent.and_then(|p| self.world.tasks.get(&p)) {
                    Some(p) => p.plan,
                    None => self.history.plans[plan],
                };
                let task = TaskId::generate();
                let accepted = self.send(Command::CreateTask {
                    task_id: task,
                    reference: None,
                    plan,
                    parent_task: parent,
                    directive_point: None,
                    category: TaskCategory::Pillar(Pillar::ALL[lead % Pillar::ALL.len()]),
                    title: format!("Nhiệm vụ {}", self.history.tasks.len()),
                    description: None,
                    lead: agencies[lead],
                    coordinators: coordinator
                        .filter(|c| *c != lead)
                        .map(|c| vec![agencies[c]])
                        .unwrap_or_default(),
                    deadline: deadline_in
                        .map_or(Deadline::Ongoing, |d| Deadline::On(plus(today, d))),
                    expected_output: "Báo cáo".into(),
                    weight: Some(weight),
                });
                if accepted {
                    self.history.tasks.push(task);
                }
            }
            Step::Report {
                task,
                by_lead,
                percent,
            } => {
                let Some(task) = self.task(task) else { return };
                let Some(t) = self.world.tasks.get(&task) else {
                    return;
                };
                let reporter = if by_lead {
                    t.lead
                } else {
                    t.coordinators.first().copied().unwrap_or(t.lead)
                };
                self.send(Command::ReportProgress {
                    task_id: task,
                    reporter_agency: reporter,
                    percent,
                    note: "Báo cáo tiến độ".into(),
                    evidence: Vec::new(),
                    as_of: today,
                });
            }
            Step::Complete { task, days_before } => {
                let Some(task) = self.task(task) else { return };
                let Some(lead) = self.lead_of(task) else {
                    return;
                };
                self.send(Command::CompleteTask {
                    task_id: task,
                    reporter_agency: lead,
                    output: "Đã xong".into(),
                    completed_on: minus(today, days_before),
                });
            }
            Step::Extend { task, days } => {
                let Some((task, current)) = self.dated(task) else {
                    return;
                };
                self.send(Command::ExtendDeadline {
                    task_id: task,
                    new_deadline: plus(current, days),
                    reason: "Gia hạn".into(),
                });
            }
            Step::AmendEarlier { task, days } => {
                let Some((task, current)) = self.dated(task) else {
                    return;
                };
                self.send(Command::AmendTask {
                    task_id: task,
                    title: None,
                    expected_output: None,
                    category: None,
                    deadline: Some(Deadline::On(minus(current, days))),
                    coordinators: None,
                    reason: "Điều chỉnh kế hoạch".into(),
                });
            }
            Step::Reassign { task, lead } => {
                let Some(task) = self.task(task) else { return };
                self.send(Command::ReassignTask {
                    task_id: task,
                    new_lead: agencies[lead],
                    coordinators: None,
                    reason: "Điều chỉnh phân công".into(),
                });
            }
            Step::Cancel { task } => {
                let Some(task) = self.task(task) else { return };
                self.send(Command::CancelTask {
                    task_id: task,
                    reason: "Không còn phù hợp".into(),
                });
            }
            Step::Reopen { task } => {
                let Some(task) = self.task(task) else { return };
                self.send(Command::ReopenTask {
                    task_id: task,
                    reason: "Làm lại".into(),
                });
            }
            Step::Merge { agency, into } => {
                self.send(Command::MergeAgency {
                    agency_id: agencies[agency],
                    successor: agencies[into],
                    effective_on: plus(today, 1),
                    legal_basis: "Nghị quyết sắp xếp".into(),
                });
            }
            Step::Appoint { agency } => {
                self.send(Command::AppointHead {
                    agency_id: agencies[agency],
                    head: Person {
                        name: format!("Giám đốc {agency}.{}", self.history.log.len()),
                        title: None,
                    },
                    from: plus(today, 1),
                    decision: None,
                });
            }
        }
    }
}

fn record(rules: [RollupRule; 3], steps: &[Step]) -> History {
    let mut recorder = Recorder {
        world: World::default(),
        history: History {
            log: Vec::new(),
            agencies: Vec::new(),
            programs: Vec::new(),
            plans: Vec::new(),
            tasks: Vec::new(),
            first_day: day0(),
            last_day: day0(),
        },
        today: day0(),
    };
    recorder.setup(rules);
    for step in steps {
        recorder.play(step);
    }
    recorder.history.last_day = recorder.today;
    recorder.history
}

// ---------------------------------------------------------------------------------
// The fold written here: the record replayed from the events, then each task's figure
// computed from the rules as the README states them.

#[derive(Clone, Debug, PartialEq)]
enum Life {
    Open,
    Done {
        on: NaiveDate,
        timeliness: Timeliness,
    },
    Cancelled,
}

#[derive(Clone, Debug)]
struct Kept {
    plan: DocumentId,
    parent: Option<TaskId>,
    weight: u32,
    /// Its lead now.
    lead: AgencyId,
    /// Its leads' mergers: (merged agency, successor), in order.
    transfers: Vec<(AgencyId, AgencyId)>,
    lead_report: u8,
    reported: bool,
    life: Life,
    deadline: Option<NaiveDate>,
}

#[derive(Default)]
struct Record {
    tasks: BTreeMap<TaskId, Kept>,
    /// Program or directive each document serves, and each program's rule.
    serves: BTreeMap<DocumentId, DocumentId>,
    rules: BTreeMap<DocumentId, RollupRule>,
    ceased: BTreeMap<AgencyId, NaiveDate>,
    heads: BTreeMap<AgencyId, Vec<(String, NaiveDate)>>,
}

impl Record {
    /// The events, replayed in order.
    fn replay<'e>(events: impl IntoIterator<Item = &'e Event>) -> Record {
        let mut r = Record::default();
        for event in events {
            match event {
                Event::ProgramIssued(e) => {
                    r.rules.insert(e.document_id, RollupRule::SimpleAverage);
                }
                Event::RollupRuleSet(e) => {
                    r.rules.insert(e.document_id, e.rule);
                }
                Event::DirectiveIssued(e) => {
                    if let Some(p) = e.program {
                        r.serves.insert(e.document_id, p);
                    }
                }
                Event::PlanIssued(e) => {
                    r.serves.insert(e.document_id, e.implements);
                }
                Event::AgencyMerged(e) => {
                    r.ceased.insert(e.agency_id, e.effective_on);
                }
                Event::AgencyHeadAppointed(e) => {
                    r.heads
                        .entry(e.agency_id)
                        .or_default()
                        .push((e.head.name.clone(), e.from));
                }
                Event::TaskCreated(e) => {
                    r.tasks.insert(
                        e.task_id,
                        Kept {
                            plan: e.plan,
                            parent: e.parent_task,
                            weight: e.weight,
                            lead: e.lead,
                            transfers: Vec::new(),
                            lead_report: 0,
                            reported: false,
                            life: Life::Open,
                            deadline: e.deadline.date(),
                        },
                    );
                }
                Event::TaskReassigned(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.lead = e.to_lead;
                    }
                }
                Event::TaskTransferred(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        if e.role == reform_domain::TaskRole::Lead {
                            t.lead = e.to_agency;
                            t.transfers.push((e.from_agency, e.to_agency));
                        }
                    }
                }
                Event::TaskDeadlineExtended(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.deadline = Some(e.new_deadline);
                    }
                }
                Event::TaskAmended(e) => {
                    if let (Some(t), Some(d)) = (r.tasks.get_mut(&e.task_id), e.deadline) {
                        t.deadline = d.date();
                    }
                }
                Event::TaskProgressReported(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.reported = true;
                        if t.lead == e.reported_by {
                            t.lead_report = e.percent;
                        }
                    }
                }
                Event::TaskCompleted(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.life = Life::Done {
                            on: e.completed_on,
                            timeliness: e.timeliness,
                        };
                    }
                }
                Event::TaskCancelled(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.life = Life::Cancelled;
                    }
                }
                Event::TaskReopened(e) => {
                    if let Some(t) = r.tasks.get_mut(&e.task_id) {
                        t.life = Life::Open;
                    }
                }
                _ => {}
            }
        }
        r
    }

    /// The rule of the program nearest above `document`.
    fn rule(&self, document: DocumentId) -> RollupRule {
        let mut at = document;
        for _ in 0..8 {
            if let Some(rule) = self.rules.get(&at) {
                return *rule;
            }
            match self.serves.get(&at) {
                Some(up) => at = *up,
                None => break,
            }
        }
        RollupRule::SimpleAverage
    }

    fn subtasks(&self, task: TaskId) -> impl Iterator<Item = (&TaskId, &Kept)> {
        self.tasks
            .iter()
            .filter(move |(_, t)| t.parent == Some(task))
    }

    /// Percent and status (NotStarted, InProgress, Completed, Cancelled).
    fn figure(&self, id: TaskId) -> (Option<f64>, TaskRowStatus) {
        let t = &self.tasks[&id];
        match t.life {
            Life::Cancelled => return (None, TaskRowStatus::Cancelled),
            Life::Done { .. } => return (Some(100.0), TaskRowStatus::Completed),
            Life::Open => {}
        }
        let rule = self.rule(t.plan);
        let subs: Vec<(f64, u32, TaskRowStatus)> = self
            .subtasks(id)
            .filter_map(|(sid, s)| {
                let (p, status) = self.figure(*sid);
                p.map(|p| (p, s.weight, status))
            })
            .collect();
        let begun = t.reported || subs.iter().any(|(_, _, s)| *s != TaskRowStatus::NotStarted);
        let status = if begun {
            TaskRowStatus::InProgress
        } else {
            TaskRowStatus::NotStarted
        };
        if subs.is_empty() {
            let own = match rule {
                RollupRule::StatusBased if t.reported => 50.0,
                RollupRule::StatusBased => 0.0,
                _ => f64::from(t.lead_report),
            };
            return (Some(own), status);
        }
        let weigh = |w: u32| {
            if rule == RollupRule::WeightedAverage {
                f64::from(w)
            } else {
                1.0
            }
        };
        let total: f64 = subs.iter().map(|(p, w, _)| p * weigh(*w)).sum();
        let weights: f64 = subs.iter().map(|(_, w, _)| weigh(*w)).sum();
        (Some(total / weights), status)
    }

    fn standing(&self, id: TaskId, day: NaiveDate) -> Standing {
        let t = &self.tasks[&id];
        match t.life {
            Life::Cancelled => Standing::Cancelled,
            Life::Done {
                timeliness: Timeliness::Early,
                ..
            } => Standing::Early,
            Life::Done {
                timeliness: Timeliness::OnTime,
                ..
            } => Standing::OnTime,
            Life::Done {
                timeliness: Timeliness::Late,
                ..
            } => Standing::Late,
            Life::Open if t.deadline.is_some_and(|d| d < day) => Standing::Overdue,
            Life::Open => match self.figure(id).1 {
                TaskRowStatus::InProgress => Standing::InProgress,
                _ => Standing::NotStarted,
            },
        }
    }

    /// The agency that led `id` on `day`: its lead, or the merged agency it passed
    /// from, if that one still existed on that day (a reassignment carries no date, so
    /// it counts from the start).
    fn lead_on(&self, id: TaskId, day: NaiveDate) -> AgencyId {
        let t = &self.tasks[&id];
        let mut lead = t.lead;
        for (from, to) in t.transfers.iter().rev() {
            if *to == lead && self.ceased.get(from).is_some_and(|c| day < *c) {
                lead = *from;
            }
        }
        lead
    }

    /// Each head of `agency` with the tenure's first and last day as counted on `day`.
    fn tenures(&self, agency: AgencyId, day: NaiveDate) -> Vec<(String, NaiveDate, NaiveDate)> {
        let heads = self.heads.get(&agency).cloned().unwrap_or_default();
        let last_day = self.ceased.get(&agency).and_then(|c| c.pred_opt());
        heads
            .iter()
            .enumerate()
            .map(|(i, (name, from))| {
                let to = [
                    heads.get(i + 1).and_then(|(_, next)| next.pred_opt()),
                    last_day,
                    Some(day),
                ]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(day);
                (name.clone(), *from, to)
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------
// The surfaces

fn model_until(history: &History, day: NaiveDate) -> ProgressModel {
    let mut model = ProgressModel::default();
    for (event, when) in &history.log {
        if when.date_naive() <= day {
            model.apply(event, *when);
        }
    }
    model
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

fn tree_figures(node: &RollupNode, out: &mut BTreeMap<TaskId, Option<f64>>) {
    if let NodeRef::Task(id) = node.node {
        out.insert(id, node.percent);
    }
    for child in &node.children {
        tree_figures(child, out);
    }
}

/// Every surface of `model` (the record as it stood at the end of `day`) on `day`
/// against the fold of the same events.
fn surfaces_agree(history: &History, day: NaiveDate) -> Result<(), TestCaseError> {
    let model = model_until(history, day);
    let record = Record::replay(
        history
            .log
            .iter()
            .filter(|(_, when)| when.date_naive() <= day)
            .map(|(e, _)| e),
    );
    prop_assert_eq!(model.tasks.len(), record.tasks.len());

    // Task (what `Task.percent` / `status` / `overdue` show).
    let mut expected_counts = crate::queries::StatusCounts::default();
    let mut percents = Vec::new();
    for (id, row) in &model.tasks {
        let figure = model.task_figure(row, day);
        let (percent, status) = record.figure(*id);
        let standing = record.standing(*id, day);
        prop_assert!(
            close(figure.percent, percent),
            "{id}: {figure:?} vs {percent:?}"
        );
        prop_assert_eq!(figure.status, status, "{}", id);
        prop_assert_eq!(figure.standing, standing, "{}", id);
        prop_assert_eq!(model.task_status(row), status);
        expected_counts.count(&figure);
        percents.extend(percent);
    }

    // The roll-up tree, of every plan and of each program: the same figure per task.
    let mut trees = vec![rollup_tree(&model, None, day)];
    for program in &history.programs {
        trees.push(rollup_tree(&model, Some(*program), day));
    }
    let mut in_all = BTreeMap::new();
    tree_figures(&trees[0], &mut in_all);
    prop_assert_eq!(in_all.len(), model.tasks.len());
    for tree in &trees {
        let mut shown = BTreeMap::new();
        tree_figures(tree, &mut shown);
        for (id, percent) in shown {
            prop_assert!(close(percent, record.figure(id).0), "tree: {id}");
            let node = tree.find(NodeRef::Task(id)).map(|n| n.counts);
            if record.subtasks(id).next().is_none() {
                // A task without subtasks counts itself, where it stands.
                let mut own = crate::queries::StatusCounts::default();
                own.count(&model.task_figure(&model.tasks[&id], day));
                prop_assert_eq!(node, Some(own));
            }
        }
    }

    // The task list: counts, average, and the status filter.
    let all = select_tasks(&model, &TaskFilter::default(), TaskOrder::Deadline, day);
    prop_assert_eq!(all.counts, expected_counts);
    let average =
        (!percents.is_empty()).then(|| percents.iter().sum::<f64>() / percents.len() as f64);
    prop_assert!(
        close(all.average_percent, average),
        "{:?} vs {:?}",
        all.average_percent,
        average
    );
    for status in TaskRowStatus::ALL {
        let filter = TaskFilter {
            status: Some(*status),
            ..TaskFilter::default()
        };
        let listed: BTreeSet<TaskId> = tasks(&model, &filter, TaskOrder::Title)
            .iter()
            .map(|t| t.task_id)
            .collect();
        let expected: BTreeSet<TaskId> = record
            .tasks
            .keys()
            .filter(|id| record.figure(**id).1 == *status)
            .copied()
            .collect();
        prop_assert_eq!(listed, expected, "status {:?}", status);
    }

    // Agency tallies and scorecards: the led tasks by where they stand.
    let tallies = agency_tallies(&model, day);
    for agency in &history.agencies {
        let led: Vec<Standing> = record
            .tasks
            .iter()
            .filter(|(_, t)| t.lead == *agency && t.life != Life::Cancelled)
            .map(|(id, _)| record.standing(*id, day))
            .collect();
        let count = |f: fn(&Standing) -> bool| led.iter().filter(|s| f(s)).count();
        let expected = (
            count(|s| matches!(s, Standing::Early | Standing::OnTime)),
            count(|s| *s == Standing::Late),
            count(|s| *s == Standing::Overdue),
        );
        let tally = tallies.get(agency).copied().unwrap_or_default();
        prop_assert_eq!(
            (
                tally.completed_in_time,
                tally.completed_late,
                tally.overdue_now
            ),
            expected
        );
        let card = scorecard(&model, *agency, day, NO_FALLBACK);
        prop_assert!(card.is_some());
        if let Some(card) = card {
            prop_assert_eq!(
                (
                    card.completed_in_time,
                    card.completed_late,
                    card.overdue_now
                ),
                expected
            );
            // The head in office, or the last one of an agency that has ceased.
            let last_day = record
                .ceased
                .get(agency)
                .and_then(|c| c.pred_opt())
                .map_or(day, |last| last.min(day));
            let head = record
                .tenures(*agency, last_day)
                .into_iter()
                .find(|(_, from, to)| *from <= last_day && last_day <= *to)
                .map(|(name, _, _)| name);
            prop_assert_eq!(card.head.map(|h| h.name), head);
        }
    }

    // Accountability: each tenure answers for its led tasks falling due in it, or
    // completed in it before their deadline, by where they stand.
    let rows = accountability(&model, None, None, day, NO_FALLBACK, &RewardRule::default());
    for agency in &history.agencies {
        for (name, from, to) in record.tenures(*agency, day) {
            if to < from {
                continue;
            }
            let answered: Vec<Standing> = record
                .tasks
                .iter()
                .filter(|(_, t)| t.life != Life::Cancelled)
                .filter_map(|(id, t)| {
                    let deadline = t.deadline?;
                    let answered_on = match t.life {
                        Life::Done { on, .. } => on.min(deadline),
                        _ => deadline,
                    };
                    (from <= answered_on
                        && answered_on <= to
                        && record.lead_on(*id, answered_on) == *agency)
                        .then(|| record.standing(*id, day))
                })
                .collect();
            let count = |f: fn(&Standing) -> bool| answered.iter().filter(|s| f(s)).count();
            let row = rows
                .iter()
                .find(|r| r.agency_id == *agency && r.head.name == name && r.head.from == from);
            prop_assert!(row.is_some(), "no row for {name}");
            if let Some(row) = row {
                prop_assert_eq!(row.counted_to, to);
                prop_assert_eq!(
                    (
                        row.tasks_due,
                        row.completed_in_time,
                        row.completed_late,
                        row.overdue_now
                    ),
                    (
                        answered.len(),
                        count(|s| matches!(s, Standing::Early | Standing::OnTime)),
                        count(|s| *s == Standing::Late),
                        count(|s| *s == Standing::Overdue),
                    ),
                    "{}",
                    name
                );
            }
        }
    }
    Ok(())
}

/// "Overdue on `day`" over the whole history: the tasks open on that day (a
/// completion counting from its completion date) and past the deadline in force then.
fn overdue_as_it_stood(history: &History, day: NaiveDate) -> Result<(), TestCaseError> {
    let model = model_until(history, history.last_day);
    let effective = |event: &Event, when: &DateTime<Utc>| match event {
        Event::TaskCompleted(e) => e.completed_on,
        _ => when.date_naive(),
    };
    let record = Record::replay(
        history
            .log
            .iter()
            .filter(|(e, when)| effective(e, when) <= day)
            .map(|(e, _)| e),
    );
    let expected: BTreeSet<TaskId> = record
        .tasks
        .iter()
        .filter(|(_, t)| t.life == Life::Open && t.deadline.is_some_and(|d| d < day))
        .map(|(id, _)| *id)
        .collect();
    let filter = TaskFilter {
        overdue_on: Some(day),
        ..TaskFilter::default()
    };
    let listed: BTreeSet<TaskId> = tasks(&model, &filter, TaskOrder::Deadline)
        .iter()
        .map(|t| t.task_id)
        .collect();
    prop_assert_eq!(listed, expected, "overdue on {}", day);
    Ok(())
}

fn rule() -> impl Strategy<Value = RollupRule> {
    prop::sample::select(RollupRule::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// On random days, every surface shows each task's percent and status as the fold
    /// computes them, and "overdue on a day" is answered as things stood that day.
    #[test]
    fn every_surface_shows_the_figure_the_events_give(
        rules in [rule(), rule(), rule()],
        steps in prop::collection::vec(step(), 20..100),
        picks in prop::collection::vec(0u64..1000, 4),
    ) {
        let history = record(rules, &steps);
        let span = (history.last_day - history.first_day).num_days().max(0) as u64 + 3;
        for pick in picks {
            let day = plus(history.first_day, pick % span);
            surfaces_agree(&history, day)?;
            overdue_as_it_stood(&history, day)?;
        }
        surfaces_agree(&history, history.last_day)?;
    }
}

// ---------------------------------------------------------------------------------
// The incremental memo

/// Asks `memo` of `model` every question a dashboard asks, on `day`: the roll-up tree
/// of all plans and of each program (the country's and the province's), the agency
/// tallies, and task lists under a few filters and both orders.
fn ask(memo: &Memo, model: &ProgressModel, history: &History, day: NaiveDate) -> Answers {
    let mut trees = Vec::new();
    for program in std::iter::once(None).chain(history.programs.iter().copied().map(Some)) {
        for jurisdiction in [None, Some("VN-48"), Some("VN-01")] {
            trees.push(memo.rollup_tree(model, program, jurisdiction, day));
        }
    }
    let filters = [
        TaskFilter::default(),
        TaskFilter {
            jurisdiction: Some("VN-48".into()),
            top_level_only: true,
            ..TaskFilter::default()
        },
        TaskFilter {
            lead: history.agencies.first().copied(),
            ..TaskFilter::default()
        },
        TaskFilter {
            status: Some(TaskRowStatus::InProgress),
            ..TaskFilter::default()
        },
        TaskFilter {
            overdue_on: Some(day),
            ..TaskFilter::default()
        },
    ];
    let mut selections = Vec::new();
    for filter in &filters {
        for order in [TaskOrder::Deadline, TaskOrder::Title] {
            selections.push(memo.tasks(model, filter, order, day));
        }
    }
    Answers {
        trees,
        tallies: memo.agency_tallies(model, day),
        selections,
    }
}

struct Answers {
    trees: Vec<std::sync::Arc<RollupNode>>,
    tallies: std::sync::Arc<std::collections::HashMap<AgencyId, crate::queries::AgencyTally>>,
    selections: Vec<std::sync::Arc<crate::queries::TaskSelection>>,
}

fn same_answers(carried: &Answers, fresh: &Answers) -> Result<(), TestCaseError> {
    prop_assert_eq!(&carried.trees, &fresh.trees);
    prop_assert_eq!(&carried.tallies, &fresh.tallies);
    for (c, f) in carried.selections.iter().zip(&fresh.selections) {
        prop_assert_eq!(&c.ids, &f.ids);
        prop_assert_eq!(c.counts, f.counts);
        prop_assert!(
            close(c.average_percent, f.average_percent),
            "{:?} vs {:?}",
            c.average_percent,
            f.average_percent
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The live view's memo moved along write by write (pages of a few events, each
    /// after the questions were asked) answers every question exactly as a memo
    /// computed afresh from the same model.
    #[test]
    fn an_incremental_memo_answers_as_a_fresh_one(
        rules in [rule(), rule(), rule()],
        steps in prop::collection::vec(step(), 20..80),
        pages in prop::collection::vec(1usize..4, 1..200),
    ) {
        let history = record(rules, &steps);
        let days = [history.last_day, plus(history.first_day, 40)];
        let mut model = ProgressModel::default();
        let mut memo = Memo::default();
        let mut events = history.log.iter();
        let mut sizes = pages.iter().cycle();
        loop {
            let size = *sizes.next().unwrap_or(&1);
            let page: Vec<_> = events.by_ref().take(size).collect();
            if page.is_empty() {
                break;
            }
            for day in days {
                ask(&memo, &model, &history, day);
            }
            let before = model.clone();
            let mut touched = Vec::new();
            for (event, when) in page {
                touched.extend(model.apply(event, *when));
            }
            memo = Memo::carried(&memo, &before, &model, &touched);
            for day in days {
                let carried = ask(&memo, &model, &history, day);
                let fresh = ask(&Memo::default(), &model, &history, day);
                same_answers(&carried, &fresh)?;
            }
        }
    }
}
