//! The program's state as folded from events: [`World`] and [`evolve`].
//!
//! A `World` may hold the whole program (for a summary or a past date) or only the
//! few streams a command needs: the command handler loads [`crate::Command::reads`]
//! and folds them, and [`crate::decide`] judges the command against that.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::chronology::Span;

use crate::event::{
    BandDefinition, Deadline, DirectivePoint, DirectivePointRef, DocumentHeader, DossierCounts,
    Event, ParOutcome, Period, Person, TaskRole,
};
use crate::ids::{AgencyId, DocumentId, IndicatorId, StreamId, TaskId};
use crate::vocab::{
    AgencyTier, Block, Direction, JurisdictionLevel, ProgramLevel, RollupRule, TaskCategory,
    Timeliness,
};

/// Everything known, keyed by identifier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct World {
    /// Agencies.
    pub agencies: BTreeMap<AgencyId, Agency>,
    /// Programs, directives and plans.
    pub documents: BTreeMap<DocumentId, Document>,
    /// Tasks.
    pub tasks: BTreeMap<TaskId, Task>,
    /// Indicators.
    pub indicators: BTreeMap<IndicatorId, Indicator>,
    /// Evaluation records, by agency.
    pub evaluations: BTreeMap<AgencyId, Evaluations>,
    /// PAR INDEX band schemes: by jurisdiction, then by the year they apply from.
    pub band_schemes: BTreeMap<String, BTreeMap<i32, Vec<BandDefinition>>>,
    /// The register of jurisdictions, by code.
    pub jurisdictions: BTreeMap<String, Jurisdiction>,
    /// When each record's acts took place (business time), for the records folded
    /// with their times ([`World::apply_at`]); what [`crate::chronology::settle`]
    /// checks a new act's day against.
    pub times: BTreeMap<StreamId, Span>,
}

/// A jurisdiction of the register.
#[derive(Clone, Debug, PartialEq)]
pub struct Jurisdiction {
    /// Its code (VN, VN-DN…).
    pub code: String,
    /// Its Vietnamese name.
    pub name: String,
    /// Nation, province, district or commune.
    pub level: JurisdictionLevel,
    /// The jurisdiction it lies in.
    pub parent: Option<String>,
    /// The day it came into being.
    pub established_on: NaiveDate,
    /// When it ceased: its successor and the first day of the successor's
    /// responsibility.
    pub merged_into: Option<(String, NaiveDate)>,
}

/// An agency and its history of names and heads.
#[derive(Clone, Debug, PartialEq)]
pub struct Agency {
    /// Identifier.
    pub id: AgencyId,
    /// Current name.
    pub name: String,
    /// Short name.
    pub short_name: Option<String>,
    /// Tier.
    pub tier: AgencyTier,
    /// PAR block.
    pub block: Option<Block>,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Parent agency.
    pub parent: Option<AgencyId>,
    /// Active, merged or dissolved.
    pub status: AgencyStatus,
    /// Heads of agency, oldest first.
    pub heads: Vec<HeadTenure>,
    /// Earlier names with the date each stopped being used.
    pub former_names: Vec<(String, NaiveDate)>,
}

/// Whether an agency still exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgencyStatus {
    /// In existence.
    Active,
    /// Merged into a successor.
    Merged {
        /// The successor.
        successor: AgencyId,
        /// From when.
        on: NaiveDate,
    },
    /// Dissolved.
    Dissolved {
        /// From when.
        on: NaiveDate,
    },
}

/// One head's time in office.
#[derive(Clone, Debug, PartialEq)]
pub struct HeadTenure {
    /// The head.
    pub head: Person,
    /// First day.
    pub from: NaiveDate,
    /// Last day, when the tenure has ended.
    pub to: Option<NaiveDate>,
    /// Appointing decision.
    pub decision: Option<String>,
}

impl Agency {
    /// The head in office now, if any.
    pub fn current_head(&self) -> Option<&HeadTenure> {
        self.heads.last().filter(|h| h.to.is_none())
    }

    /// The head in office on a date.
    pub fn head_on(&self, date: NaiveDate) -> Option<&HeadTenure> {
        self.heads
            .iter()
            .find(|h| h.from <= date && h.to.is_none_or(|to| date <= to))
    }
}

/// A program, directive or plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Identifier.
    pub id: DocumentId,
    /// Number, title, date, issuer, signer.
    pub header: DocumentHeader,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// What kind of document, with its own fields.
    pub kind: DocumentKind,
    /// How many amendments it has had.
    pub amendments: u32,
}

/// The three kinds of document.
#[derive(Clone, Debug, PartialEq)]
pub enum DocumentKind {
    /// A reform program.
    Program {
        /// National or provincial.
        level: ProgramLevel,
        /// Parent program.
        parent_program: Option<DocumentId>,
        /// Years.
        period: Period,
        /// How its percentages are made.
        rollup_rule: RollupRule,
    },
    /// A directive.
    Directive {
        /// Program served.
        program: Option<DocumentId>,
        /// Numbered points.
        points: Vec<DirectivePoint>,
    },
    /// A plan.
    Plan {
        /// Program or directive implemented.
        implements: DocumentId,
        /// Issuing agency.
        issuing_agency: AgencyId,
        /// Years.
        period: Period,
    },
}

impl DocumentKind {
    /// "program", "directive" or "plan".
    pub fn name(&self) -> &'static str {
        match self {
            DocumentKind::Program { .. } => "program",
            DocumentKind::Directive { .. } => "directive",
            DocumentKind::Plan { .. } => "plan",
        }
    }
}

/// A task and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Identifier.
    pub id: TaskId,
    /// The plan holding it.
    pub plan: DocumentId,
    /// Parent task.
    pub parent_task: Option<TaskId>,
    /// Number in the plan's task table (STT), if it has one.
    pub reference: Option<String>,
    /// Directive point carried out.
    pub directive_point: Option<DirectivePointRef>,
    /// Pillar or cross-cutting category.
    pub category: TaskCategory,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Lead agency.
    pub lead: AgencyId,
    /// Coordinating agencies.
    pub coordinators: Vec<AgencyId>,
    /// Deadline in force.
    pub deadline: Deadline,
    /// Deadline when the task was created.
    pub original_deadline: Deadline,
    /// Expected output.
    pub expected_output: String,
    /// Roll-up weight.
    pub weight: u32,
    /// Lifecycle status.
    pub status: TaskStatus,
    /// Percent complete: 100 once completed, else the lead's last report.
    pub percent: u8,
    /// The lead agency's last reported percent. Coordinating agencies report their
    /// contributions; only the agency answerable for the task says how far it is.
    pub lead_percent: u8,
    /// Date of the last progress report.
    pub last_reported_on: Option<NaiveDate>,
    /// Agencies the task was inherited from through mergers.
    pub inherited_from: Vec<AgencyId>,
}

/// Where a task is in its lifecycle. "Overdue" is not a status: it depends on the
/// date asked about (see [`Task::is_overdue`]).
#[derive(Clone, Debug, PartialEq)]
pub enum TaskStatus {
    /// Assigned, no progress reported yet.
    NotStarted,
    /// Progress reported.
    InProgress,
    /// Done.
    Completed {
        /// Completion date.
        on: NaiveDate,
        /// Early, on time or late.
        timeliness: Timeliness,
        /// Days after the deadline.
        days_late: u32,
        /// Output delivered.
        output: String,
    },
    /// Cancelled.
    Cancelled,
}

impl TaskStatus {
    /// A short English word for messages.
    pub fn word(&self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not started",
            TaskStatus::InProgress => "in progress",
            TaskStatus::Completed { .. } => "completed",
            TaskStatus::Cancelled => "cancelled",
        }
    }
}

impl Task {
    /// Neither completed nor cancelled.
    pub fn is_open(&self) -> bool {
        matches!(self.status, TaskStatus::NotStarted | TaskStatus::InProgress)
    }

    /// Open and past its deadline on `today` (quá hạn chưa hoàn thành).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.is_open() && self.deadline.date().is_some_and(|d| d < today)
    }

    /// Whether the agency is the lead or a coordinator.
    pub fn involves(&self, agency: AgencyId) -> bool {
        self.lead == agency || self.coordinators.contains(&agency)
    }
}

/// An indicator with its targets and measurements.
#[derive(Clone, Debug, PartialEq)]
pub struct Indicator {
    /// Identifier.
    pub id: IndicatorId,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Direction.
    pub direction: Direction,
    /// Baseline.
    pub baseline: Option<f64>,
    /// Baseline date.
    pub baseline_on: Option<NaiveDate>,
    /// Jurisdiction.
    pub jurisdiction: String,
    /// Program that set it.
    pub program: Option<DocumentId>,
    /// Targets by year.
    pub targets: BTreeMap<i32, f64>,
    /// Measurements in the order recorded.
    pub measurements: Vec<Measurement>,
}

/// One measurement of an indicator.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// Date.
    pub on: NaiveDate,
    /// Value.
    pub value: f64,
    /// Source.
    pub source: Option<String>,
}

/// An agency's published evaluations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluations {
    /// PAR INDEX by year.
    pub par: BTreeMap<i32, ParResult>,
    /// SIPAS percent by year.
    pub sipas: BTreeMap<i32, f64>,
    /// Dossier statistics by (period start, period end, field).
    pub dossiers: BTreeMap<(NaiveDate, NaiveDate, Option<String>), DossierReport>,
}

/// A PAR INDEX result in force.
#[derive(Clone, Debug, PartialEq)]
pub struct ParResult {
    /// Block ranked in.
    pub block: Block,
    /// Scores or "not evaluated".
    pub outcome: ParOutcome,
    /// Publishing decision.
    pub decision: Option<String>,
}

/// A dossier report in force.
#[derive(Clone, Debug, PartialEq)]
pub struct DossierReport {
    /// The counts.
    pub counts: DossierCounts,
    /// Satisfaction percent.
    pub satisfaction_percent: Option<f64>,
}

/// Folds one event into the state. Total: an event about something the state does not
/// hold (a partial world) changes nothing.
pub fn evolve(mut world: World, event: &Event) -> World {
    world.apply(event);
    world
}

impl World {
    /// Adds the state of other streams, each folded on its own. Every event changes
    /// only the record of its own stream (an agency, a document, a task, an indicator,
    /// an agency's evaluations, a jurisdiction's band schemes or its
    /// place in the register) and reads nothing else,
    /// so streams folded apart and absorbed give the world their events folded
    /// together, in any order. This is what lets the command handler remember a
    /// stream's state instead of its events.
    pub fn absorb(&mut self, part: World) {
        let World {
            agencies,
            documents,
            tasks,
            indicators,
            evaluations,
            band_schemes,
            jurisdictions,
            times,
        } = part;
        self.jurisdictions.extend(jurisdictions);
        for (stream, span) in times {
            self.times
                .entry(stream)
                .and_modify(|s| {
                    s.include(span.first);
                    s.include(span.last);
                })
                .or_insert(span);
        }
        self.agencies.extend(agencies);
        self.documents.extend(documents);
        self.tasks.extend(tasks);
        self.indicators.extend(indicators);
        self.evaluations.extend(evaluations);
        for (jurisdiction, schemes) in band_schemes {
            self.band_schemes
                .entry(jurisdiction)
                .or_default()
                .extend(schemes);
        }
    }

    /// Folds a sequence of events into a fresh state.
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> World {
        let mut world = World::default();
        for e in events {
            world.apply(e);
        }
        world
    }

    /// Folds one event in place that took place at `at` (business time), keeping the
    /// span of its record's acts.
    pub fn apply_at(&mut self, event: &Event, at: DateTime<Utc>) {
        self.apply(event);
        self.times
            .entry(event.stream())
            .and_modify(|s| s.include(at))
            .or_insert(Span {
                first: at,
                last: at,
            });
    }

    /// Folds one event in place (the same as [`evolve`], without moving the state).
    pub fn apply(&mut self, event: &Event) {
        match event {
            Event::JurisdictionEstablished(e) => {
                self.jurisdictions.insert(
                    e.code.clone(),
                    Jurisdiction {
                        code: e.code.clone(),
                        name: e.name.clone(),
                        level: e.level,
                        parent: e.parent.clone(),
                        established_on: e.established_on,
                        merged_into: None,
                    },
                );
            }
            Event::JurisdictionMerged(e) => {
                if let Some(j) = self.jurisdictions.get_mut(&e.code) {
                    j.merged_into = Some((e.successor.clone(), e.effective_on));
                }
            }
            Event::AgencyRegistered(e) => {
                self.agencies.insert(
                    e.agency_id,
                    Agency {
                        id: e.agency_id,
                        name: e.name.clone(),
                        short_name: e.short_name.clone(),
                        tier: e.tier,
                        block: e.block,
                        jurisdiction: e.jurisdiction.clone(),
                        parent: e.parent,
                        status: AgencyStatus::Active,
                        heads: Vec::new(),
                        former_names: Vec::new(),
                    },
                );
            }
            Event::AgencyRenamed(e) => {
                if let Some(a) = self.agencies.get_mut(&e.agency_id) {
                    a.former_names
                        .push((std::mem::take(&mut a.name), e.effective_on));
                    a.name = e.new_name.clone();
                }
            }
            Event::AgencyHeadAppointed(e) => {
                if let Some(a) = self.agencies.get_mut(&e.agency_id) {
                    if let (Some(last), Some(end)) =
                        (a.heads.last_mut(), e.previous_tenure_ended_on)
                    {
                        last.to.get_or_insert(end);
                    }
                    a.heads.push(HeadTenure {
                        head: e.head.clone(),
                        from: e.from,
                        to: None,
                        decision: e.decision.clone(),
                    });
                }
            }
            Event::AgencyMerged(e) => {
                if let Some(a) = self.agencies.get_mut(&e.agency_id) {
                    a.status = AgencyStatus::Merged {
                        successor: e.successor,
                        on: e.effective_on,
                    };
                    end_tenure(a, e.effective_on);
                }
            }
            Event::AgencyDissolved(e) => {
                if let Some(a) = self.agencies.get_mut(&e.agency_id) {
                    a.status = AgencyStatus::Dissolved { on: e.effective_on };
                    end_tenure(a, e.effective_on);
                }
            }
            Event::ProgramIssued(e) => {
                self.documents.insert(
                    e.document_id,
                    Document {
                        id: e.document_id,
                        header: e.header.clone(),
                        jurisdiction: e.jurisdiction.clone(),
                        kind: DocumentKind::Program {
                            level: e.level,
                            parent_program: e.parent_program,
                            period: e.period,
                            rollup_rule: RollupRule::SimpleAverage,
                        },
                        amendments: 0,
                    },
                );
            }
            Event::DirectiveIssued(e) => {
                self.documents.insert(
                    e.document_id,
                    Document {
                        id: e.document_id,
                        header: e.header.clone(),
                        jurisdiction: e.jurisdiction.clone(),
                        kind: DocumentKind::Directive {
                            program: e.program,
                            points: e.points.clone(),
                        },
                        amendments: 0,
                    },
                );
            }
            Event::PlanIssued(e) => {
                self.documents.insert(
                    e.document_id,
                    Document {
                        id: e.document_id,
                        header: e.header.clone(),
                        jurisdiction: e.jurisdiction.clone(),
                        kind: DocumentKind::Plan {
                            implements: e.implements,
                            issuing_agency: e.issuing_agency,
                            period: e.period,
                        },
                        amendments: 0,
                    },
                );
            }
            Event::DocumentAmended(e) => {
                if let Some(d) = self.documents.get_mut(&e.document_id) {
                    d.amendments += 1;
                    if let Some(t) = &e.title {
                        d.header.title = t.clone();
                    }
                    if let Some(s) = &e.signer {
                        d.header.signer = Some(s.clone());
                    }
                    match &mut d.kind {
                        DocumentKind::Program { period, .. }
                        | DocumentKind::Plan { period, .. } => {
                            if let Some(p) = e.period {
                                *period = p;
                            }
                        }
                        DocumentKind::Directive { points, .. } => {
                            if let Some(p) = &e.points {
                                *points = p.clone();
                            }
                        }
                    }
                }
            }
            Event::RollupRuleSet(e) => {
                if let Some(Document {
                    kind: DocumentKind::Program { rollup_rule, .. },
                    ..
                }) = self.documents.get_mut(&e.document_id)
                {
                    *rollup_rule = e.rule;
                }
            }
            Event::TaskCreated(e) => {
                self.tasks.insert(
                    e.task_id,
                    Task {
                        id: e.task_id,
                        plan: e.plan,
                        parent_task: e.parent_task,
                        reference: e.reference.clone(),
                        directive_point: e.directive_point,
                        category: e.category,
                        title: e.title.clone(),
                        description: e.description.clone(),
                        lead: e.lead,
                        coordinators: e.coordinators.clone(),
                        deadline: e.deadline,
                        original_deadline: e.deadline,
                        expected_output: e.expected_output.clone(),
                        weight: e.weight,
                        status: TaskStatus::NotStarted,
                        percent: 0,
                        lead_percent: 0,
                        last_reported_on: None,
                        inherited_from: Vec::new(),
                    },
                );
            }
            Event::TaskReassigned(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    t.lead = e.to_lead;
                    if let Some(c) = &e.coordinators {
                        t.coordinators = c.clone();
                    }
                    t.coordinators.retain(|c| *c != e.to_lead);
                }
            }
            Event::TaskTransferred(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    match e.role {
                        TaskRole::Lead => t.lead = e.to_agency,
                        TaskRole::Coordinator => {
                            for c in &mut t.coordinators {
                                if *c == e.from_agency {
                                    *c = e.to_agency;
                                }
                            }
                        }
                    }
                    let lead = t.lead;
                    let mut seen = Vec::with_capacity(t.coordinators.len());
                    t.coordinators.retain(|c| {
                        *c != lead && !seen.contains(c) && {
                            seen.push(*c);
                            true
                        }
                    });
                    t.inherited_from.push(e.from_agency);
                }
            }
            Event::TaskAmended(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    if let Some(title) = &e.title {
                        t.title = title.clone();
                    }
                    if let Some(output) = &e.expected_output {
                        t.expected_output = output.clone();
                    }
                    if let Some(category) = e.category {
                        t.category = category;
                    }
                    if let Some(deadline) = e.deadline {
                        t.deadline = deadline;
                    }
                    if let Some(coordinators) = &e.coordinators {
                        t.coordinators = coordinators.clone();
                    }
                }
            }
            Event::TaskDeadlineExtended(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    t.deadline = Deadline::On(e.new_deadline);
                }
            }
            Event::TaskProgressReported(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    if e.reported_by == t.lead {
                        t.lead_percent = e.percent;
                        t.percent = e.percent;
                    }
                    t.last_reported_on = Some(e.as_of);
                    if t.status == TaskStatus::NotStarted {
                        t.status = TaskStatus::InProgress;
                    }
                }
            }
            Event::TaskCompleted(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    t.percent = 100;
                    t.status = TaskStatus::Completed {
                        on: e.completed_on,
                        timeliness: e.timeliness,
                        days_late: e.days_late,
                        output: e.output.clone(),
                    };
                }
            }
            Event::TaskReopened(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    t.percent = t.lead_percent;
                    t.status = if t.lead_percent > 0 || t.last_reported_on.is_some() {
                        TaskStatus::InProgress
                    } else {
                        TaskStatus::NotStarted
                    };
                }
            }
            Event::TaskCancelled(e) => {
                if let Some(t) = self.tasks.get_mut(&e.task_id) {
                    t.status = TaskStatus::Cancelled;
                }
            }
            Event::BandSchemeSet(e) => {
                self.band_schemes
                    .entry(e.jurisdiction.clone())
                    .or_default()
                    .insert(e.from_year, e.bands.clone());
            }
            Event::IndicatorDefined(e) => {
                self.indicators.insert(
                    e.indicator_id,
                    Indicator {
                        id: e.indicator_id,
                        code: e.code.clone(),
                        name: e.name.clone(),
                        unit: e.unit.clone(),
                        direction: e.direction,
                        baseline: e.baseline,
                        baseline_on: e.baseline_on,
                        jurisdiction: e.jurisdiction.clone(),
                        program: e.program,
                        targets: BTreeMap::new(),
                        measurements: Vec::new(),
                    },
                );
            }
            Event::IndicatorTargetSet(e) => {
                if let Some(i) = self.indicators.get_mut(&e.indicator_id) {
                    i.targets.insert(e.year, e.value);
                }
            }
            Event::IndicatorMeasured(e) => {
                if let Some(i) = self.indicators.get_mut(&e.indicator_id) {
                    i.measurements.push(Measurement {
                        on: e.measured_on,
                        value: e.value,
                        source: e.source.clone(),
                    });
                }
            }
            Event::ParIndexPublished(e) => {
                self.evaluations.entry(e.agency_id).or_default().par.insert(
                    e.year,
                    ParResult {
                        block: e.block,
                        outcome: e.outcome.clone(),
                        decision: e.decision.clone(),
                    },
                );
            }
            Event::SipasPublished(e) => {
                self.evaluations
                    .entry(e.agency_id)
                    .or_default()
                    .sipas
                    .insert(e.year, e.satisfaction_percent);
            }
            Event::DossierStatisticsReported(e) => {
                self.evaluations
                    .entry(e.agency_id)
                    .or_default()
                    .dossiers
                    .insert(
                        (e.period_from, e.period_to, e.field.clone()),
                        DossierReport {
                            counts: e.counts.clone(),
                            satisfaction_percent: e.satisfaction_percent,
                        },
                    );
            }
        }
    }
}

/// A merged or dissolved agency's head leaves office the day before it ceases.
fn end_tenure(agency: &mut Agency, ceased_on: NaiveDate) {
    if let Some(last) = agency.heads.last_mut() {
        if last.to.is_none() {
            last.to = Some(ceased_on.pred_opt().unwrap_or(ceased_on).max(last.from));
        }
    }
}
