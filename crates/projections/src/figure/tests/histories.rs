//! Random histories: steps a user might take, played through the domain's own `decide`
//! (a refused step writes nothing), each event kept with its business time.

use super::*;

/// One step of a history; indices pick among what exists (modulo its count).
#[derive(Clone, Debug)]
pub(super) enum Step {
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

pub(super) fn step() -> impl Strategy<Value = Step> {
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
pub(super) struct History {
    pub(super) log: Vec<(Event, DateTime<Utc>)>,
    pub(super) agencies: Vec<AgencyId>,
    pub(super) programs: Vec<DocumentId>,
    pub(super) plans: Vec<DocumentId>,
    pub(super) tasks: Vec<TaskId>,
    pub(super) first_day: NaiveDate,
    pub(super) last_day: NaiveDate,
}

pub(super) fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 2).unwrap_or_default()
}

pub(super) fn at(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(9, 0, 0).unwrap_or_default().and_utc()
}

pub(super) fn plus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days)).unwrap_or(day)
}

pub(super) fn minus(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(days)).unwrap_or(day)
}

pub(super) struct Recorder {
    pub(super) world: World,
    pub(super) history: History,
    pub(super) today: NaiveDate,
}

impl Recorder {
    /// Sends a command recorded today as the command handler judges it: the domain
    /// decides it and dates it (a completion by its own day, however late it is
    /// recorded); a refusal writes nothing. Returns whether it was accepted.
    pub(super) fn send(&mut self, command: Command) -> bool {
        self.send_at(command, at(self.today))
    }

    pub(super) fn send_at(&mut self, command: Command, now: DateTime<Utc>) -> bool {
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

    pub(super) fn setup(&mut self, rules: [RollupRule; 3]) {
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

    pub(super) fn task(&self, i: usize) -> Option<TaskId> {
        let tasks = &self.history.tasks;
        (!tasks.is_empty()).then(|| tasks[i % tasks.len()])
    }

    /// A task with a deadline, and the deadline.
    pub(super) fn dated(&self, i: usize) -> Option<(TaskId, NaiveDate)> {
        let task = self.task(i)?;
        let deadline = self.world.tasks.get(&task)?.deadline.date()?;
        Some((task, deadline))
    }

    pub(super) fn lead_of(&self, task: TaskId) -> Option<AgencyId> {
        self.world.tasks.get(&task).map(|t| t.lead)
    }

    pub(super) fn play(&mut self, step: &Step) {
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

pub(super) fn record(rules: [RollupRule; 3], steps: &[Step]) -> History {
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
