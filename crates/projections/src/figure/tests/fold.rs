//! The fold written here: the record replayed from the events, then each task's figure
//! computed from the rules as the README states them.

use super::*;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Life {
    Open,
    Done {
        on: NaiveDate,
        timeliness: Timeliness,
    },
    Cancelled,
}

#[derive(Clone, Debug)]
pub(super) struct Kept {
    pub(super) plan: DocumentId,
    pub(super) parent: Option<TaskId>,
    pub(super) weight: u32,
    /// Its lead now.
    pub(super) lead: AgencyId,
    /// Its leads' mergers: (merged agency, successor), in order.
    pub(super) transfers: Vec<(AgencyId, AgencyId)>,
    pub(super) lead_report: u8,
    pub(super) reported: bool,
    pub(super) life: Life,
    pub(super) deadline: Option<NaiveDate>,
}

#[derive(Default)]
pub(super) struct Record {
    pub(super) tasks: BTreeMap<TaskId, Kept>,
    /// Program or directive each document serves, and each program's rule.
    pub(super) serves: BTreeMap<DocumentId, DocumentId>,
    pub(super) rules: BTreeMap<DocumentId, RollupRule>,
    pub(super) ceased: BTreeMap<AgencyId, NaiveDate>,
    pub(super) heads: BTreeMap<AgencyId, Vec<(String, NaiveDate)>>,
}

impl Record {
    /// The events, replayed in order.
    pub(super) fn replay<'e>(events: impl IntoIterator<Item = &'e Event>) -> Record {
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
    pub(super) fn rule(&self, document: DocumentId) -> RollupRule {
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

    pub(super) fn subtasks(&self, task: TaskId) -> impl Iterator<Item = (&TaskId, &Kept)> {
        self.tasks
            .iter()
            .filter(move |(_, t)| t.parent == Some(task))
    }

    /// Percent and status (NotStarted, InProgress, Completed, Cancelled).
    pub(super) fn figure(&self, id: TaskId) -> (Option<f64>, TaskRowStatus) {
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

    pub(super) fn standing(&self, id: TaskId, day: NaiveDate) -> Standing {
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
    pub(super) fn lead_on(&self, id: TaskId, day: NaiveDate) -> AgencyId {
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
    pub(super) fn tenures(
        &self,
        agency: AgencyId,
        day: NaiveDate,
    ) -> Vec<(String, NaiveDate, NaiveDate)> {
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
