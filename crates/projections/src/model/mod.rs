//! The read-model as plain rows ([`rows`]), and the pure fold that keeps them: the same
//! code serves the persisted tables (incremental and rebuild) and time travel (in
//! memory).

use imbl::OrdMap;

use chrono::{DateTime, Utc};
use reform_domain::{
    AgencyId, BandSchemeId, DocumentId, Event, IndicatorId, ParOutcome, RollupRule, TaskId,
    TaskRole,
};

pub use crate::vocab::{AgencyRowStatus, DocumentRowKind, TaskRowStatus};

mod rows;

pub use self::rows::*;

use reform_domain::fold_for_search;

/// A row an event changed, for writing back.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum RowKey {
    Jurisdiction(String),
    Agency(AgencyId),
    Document(DocumentId),
    Task(TaskId),
    Par(AgencyId, i32),
    Records(AgencyId),
    Indicator(IndicatorId),
    Bands(BandSchemeId),
}

/// All rows of the progress read-model.
///
/// The maps are persistent (structure-sharing) so that cloning the model — which a
/// server does each time it folds new events while readers hold the last snapshot —
/// costs a few pointers instead of a copy of every row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProgressModel {
    /// Agencies.
    pub agencies: OrdMap<AgencyId, AgencyRow>,
    /// Documents.
    pub documents: OrdMap<DocumentId, DocumentRow>,
    /// Tasks.
    pub tasks: OrdMap<TaskId, TaskRow>,
    /// PAR results by agency and year.
    pub par: OrdMap<(AgencyId, i32), ParRow>,
    /// Heads, SIPAS and dossier statistics by agency.
    pub records: OrdMap<AgencyId, AgencyRecords>,
    /// Indicators.
    pub indicators: OrdMap<IndicatorId, IndicatorRow>,
    /// PAR INDEX band schemes, by jurisdiction.
    pub band_schemes: OrdMap<BandSchemeId, BandSchemeRow>,
    /// The register of jurisdictions, by code.
    pub jurisdictions: OrdMap<String, JurisdictionRow>,
    /// Each task's subtasks, by id: derived from the tasks' parents (kept by the fold
    /// and rebuilt on load), so it is no row of its own.
    subtasks: OrdMap<TaskId, Vec<TaskId>>,
    /// Each plan's top-level tasks, by id: derived like `subtasks`, so that a plan's
    /// part of a roll-up tree is built from its own tasks, not from a pass over all.
    plan_tasks: OrdMap<DocumentId, Vec<TaskId>>,
}

impl ProgressModel {
    /// The subtasks of `task`, by id.
    pub fn subtasks_of(&self, task: TaskId) -> impl Iterator<Item = &TaskRow> {
        self.subtasks
            .get(&task)
            .into_iter()
            .flatten()
            .filter_map(|id| self.tasks.get(id))
    }

    /// The top-level tasks of `plan`, by id.
    pub fn top_tasks_of(&self, plan: DocumentId) -> impl Iterator<Item = &TaskRow> {
        self.plan_tasks
            .get(&plan)
            .into_iter()
            .flatten()
            .filter_map(|id| self.tasks.get(id))
    }

    /// Records `task` among its parent's subtasks, or its plan's top-level tasks.
    fn index_subtask(&mut self, task: &TaskRow) {
        let siblings = match task.parent_task_id {
            Some(parent) => self.subtasks.entry(parent).or_default(),
            None => self.plan_tasks.entry(task.plan_id).or_default(),
        };
        if let Err(at) = siblings.binary_search(&task.task_id) {
            siblings.insert(at, task.task_id);
        }
    }

    /// Rebuilds the subtask and plan indexes from the tasks' parents and plans (after
    /// loading the rows).
    pub(crate) fn index_subtasks(&mut self) {
        self.subtasks = OrdMap::new();
        self.plan_tasks = OrdMap::new();
        let tasks: Vec<(TaskId, Option<TaskId>, DocumentId)> = self
            .tasks
            .values()
            .map(|t| (t.task_id, t.parent_task_id, t.plan_id))
            .collect();
        for (task, parent, plan) in tasks {
            let siblings = match parent {
                Some(parent) => self.subtasks.entry(parent).or_default(),
                None => self.plan_tasks.entry(plan).or_default(),
            };
            siblings.push(task);
        }
        // The tasks came in id order, so each list is sorted already.
    }

    /// Folds one event in, which happened at `occurred_at` (business time: the day a
    /// deadline changed or a task was cancelled, for [`TaskHistory`]); returns the row
    /// it changed, if any.
    pub(crate) fn apply(&mut self, event: &Event, occurred_at: DateTime<Utc>) -> Option<RowKey> {
        let on = occurred_at.date_naive();
        match event {
            Event::JurisdictionEstablished(e) => {
                self.jurisdictions.insert(
                    e.code.clone(),
                    JurisdictionRow {
                        code: e.code.clone(),
                        name: e.name.clone(),
                        level: e.level,
                        parent: e.parent.clone(),
                        established_on: e.established_on,
                        successor: None,
                        merged_on: None,
                    },
                );
                Some(RowKey::Jurisdiction(e.code.clone()))
            }
            Event::JurisdictionMerged(e) => {
                let j = self.jurisdictions.get_mut(&e.code)?;
                j.successor = Some(e.successor.clone());
                j.merged_on = Some(e.effective_on);
                Some(RowKey::Jurisdiction(e.code.clone()))
            }
            Event::AgencyRegistered(e) => {
                self.agencies.insert(
                    e.agency_id,
                    AgencyRow {
                        agency_id: e.agency_id,
                        name: e.name.clone(),
                        short_name: e.short_name.clone(),
                        tier: e.tier,
                        block: e.block,
                        jurisdiction: e.jurisdiction.clone(),
                        parent_id: e.parent,
                        status: AgencyRowStatus::Active,
                        successor_id: None,
                        ceased_on: None,
                    },
                );
                Some(RowKey::Agency(e.agency_id))
            }
            Event::AgencyRenamed(e) => {
                let a = self.agencies.get_mut(&e.agency_id)?;
                a.name = e.new_name.clone();
                Some(RowKey::Agency(e.agency_id))
            }
            Event::AgencyMerged(e) => {
                let a = self.agencies.get_mut(&e.agency_id)?;
                a.status = AgencyRowStatus::Merged;
                a.successor_id = Some(e.successor);
                a.ceased_on = Some(e.effective_on);
                Some(RowKey::Agency(e.agency_id))
            }
            Event::AgencyDissolved(e) => {
                let a = self.agencies.get_mut(&e.agency_id)?;
                a.status = AgencyRowStatus::Dissolved;
                a.ceased_on = Some(e.effective_on);
                Some(RowKey::Agency(e.agency_id))
            }
            Event::ProgramIssued(e) => self.document(DocumentRow {
                document_id: e.document_id,
                kind: DocumentRowKind::Program,
                number: e.header.number.clone(),
                title: e.header.title.clone(),
                jurisdiction: e.jurisdiction.clone(),
                parent_id: e.parent_program,
                issuing_agency_id: e.header.issuing_agency,
                from_year: Some(e.period.from_year),
                to_year: Some(e.period.to_year),
                rollup_rule: Some(RollupRule::SimpleAverage),
            }),
            Event::DirectiveIssued(e) => self.document(DocumentRow {
                document_id: e.document_id,
                kind: DocumentRowKind::Directive,
                number: e.header.number.clone(),
                title: e.header.title.clone(),
                jurisdiction: e.jurisdiction.clone(),
                parent_id: e.program,
                issuing_agency_id: e.header.issuing_agency,
                from_year: None,
                to_year: None,
                rollup_rule: None,
            }),
            Event::PlanIssued(e) => self.document(DocumentRow {
                document_id: e.document_id,
                kind: DocumentRowKind::Plan,
                number: e.header.number.clone(),
                title: e.header.title.clone(),
                jurisdiction: e.jurisdiction.clone(),
                parent_id: Some(e.implements),
                issuing_agency_id: Some(e.issuing_agency),
                from_year: Some(e.period.from_year),
                to_year: Some(e.period.to_year),
                rollup_rule: None,
            }),
            Event::DocumentAmended(e) => {
                let d = self.documents.get_mut(&e.document_id)?;
                if let Some(t) = &e.title {
                    d.title = t.clone();
                }
                if let Some(p) = e.period {
                    d.from_year = Some(p.from_year);
                    d.to_year = Some(p.to_year);
                }
                Some(RowKey::Document(e.document_id))
            }
            Event::RollupRuleSet(e) => {
                let d = self.documents.get_mut(&e.document_id)?;
                d.rollup_rule = Some(e.rule);
                Some(RowKey::Document(e.document_id))
            }
            Event::TaskCreated(e) => {
                let row = TaskRow {
                    task_id: e.task_id,
                    plan_id: e.plan,
                    parent_task_id: e.parent_task,
                    category: e.category,
                    pillar: e.category.pillar(),
                    title: e.title.clone(),
                    search: fold_for_search(&e.title),
                    lead_id: e.lead,
                    coordinator_ids: e.coordinators.clone(),
                    deadline: e.deadline.date(),
                    status: TaskRowStatus::NotStarted,
                    percent: 0,
                    lead_percent: 0,
                    weight: e.weight,
                    last_reported_on: None,
                    completed_on: None,
                    timeliness: None,
                    days_late: None,
                    inherited_from: Vec::new(),
                    history: TaskHistory::entered(on, e.deadline.date()),
                };
                self.index_subtask(&row);
                self.tasks.insert(e.task_id, row);
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskReassigned(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                t.lead_id = e.to_lead;
                if let Some(c) = &e.coordinators {
                    t.coordinator_ids = c.clone();
                }
                t.coordinator_ids.retain(|c| *c != e.to_lead);
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskTransferred(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                match e.role {
                    TaskRole::Lead => {
                        t.lead_id = e.to_agency;
                        // Inherited as the lead: a coordinator's successor only
                        // coordinates it.
                        t.inherited_from.push(e.from_agency);
                    }
                    TaskRole::Coordinator => {
                        for c in &mut t.coordinator_ids {
                            if *c == e.from_agency {
                                *c = e.to_agency;
                            }
                        }
                    }
                }
                let lead = t.lead_id;
                let mut seen = Vec::new();
                t.coordinator_ids.retain(|c| {
                    let keep = *c != lead && !seen.contains(c);
                    seen.push(*c);
                    keep
                });
                Some(RowKey::Task(e.task_id))
            }
            Event::BandSchemeSet(e) => {
                let id = BandSchemeId::for_jurisdiction(&e.jurisdiction);
                let row = self
                    .band_schemes
                    .entry(id)
                    .or_insert_with(|| BandSchemeRow {
                        jurisdiction: e.jurisdiction.clone(),
                        schemes: Default::default(),
                    });
                row.schemes.insert(e.from_year, e.bands.clone());
                Some(RowKey::Bands(id))
            }
            Event::TaskAmended(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                if let Some(title) = &e.title {
                    t.title = title.clone();
                    t.search = fold_for_search(title);
                }
                if let Some(category) = e.category {
                    t.category = category;
                    t.pillar = category.pillar();
                }
                if let Some(deadline) = e.deadline {
                    t.deadline = deadline.date();
                    t.history.deadlines.push(DatedDeadline {
                        from: on,
                        deadline: t.deadline,
                    });
                }
                if let Some(coordinators) = &e.coordinators {
                    t.coordinator_ids = coordinators.clone();
                }
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskDeadlineExtended(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                t.deadline = Some(e.new_deadline);
                t.history.deadlines.push(DatedDeadline {
                    from: on,
                    deadline: t.deadline,
                });
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskProgressReported(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                if e.reported_by == t.lead_id {
                    t.lead_percent = e.percent;
                    t.percent = e.percent;
                }
                t.last_reported_on = Some(e.as_of);
                if t.status == TaskRowStatus::NotStarted {
                    t.status = TaskRowStatus::InProgress;
                }
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskCompleted(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                t.status = TaskRowStatus::Completed;
                t.percent = 100;
                t.completed_on = Some(e.completed_on);
                t.timeliness = Some(e.timeliness);
                t.days_late = Some(e.days_late);
                t.history.openings.push(DatedOpening {
                    on: e.completed_on,
                    open: false,
                });
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskReopened(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                t.percent = t.lead_percent;
                t.completed_on = None;
                t.timeliness = None;
                t.days_late = None;
                t.status = if t.lead_percent > 0 || t.last_reported_on.is_some() {
                    TaskRowStatus::InProgress
                } else {
                    TaskRowStatus::NotStarted
                };
                t.history.openings.push(DatedOpening { on, open: true });
                Some(RowKey::Task(e.task_id))
            }
            Event::TaskCancelled(e) => {
                let t = self.tasks.get_mut(&e.task_id)?;
                t.status = TaskRowStatus::Cancelled;
                t.history.openings.push(DatedOpening { on, open: false });
                Some(RowKey::Task(e.task_id))
            }
            Event::ParIndexPublished(e) => {
                let (total, reason, self_assessed_total, bonus_points, field_scores) =
                    match &e.outcome {
                        ParOutcome::Scored {
                            total,
                            self_assessed_total,
                            bonus_points,
                            field_scores,
                        } => (
                            Some(*total),
                            None,
                            *self_assessed_total,
                            *bonus_points,
                            field_scores.clone(),
                        ),
                        ParOutcome::NotEvaluated { reason } => {
                            (None, Some(reason.clone()), None, None, Vec::new())
                        }
                    };
                self.par.insert(
                    (e.agency_id, e.year),
                    ParRow {
                        agency_id: e.agency_id,
                        year: e.year,
                        block: e.block,
                        total,
                        not_evaluated_reason: reason,
                        decision: e.decision.clone(),
                        self_assessed_total,
                        bonus_points,
                        field_scores,
                    },
                );
                Some(RowKey::Par(e.agency_id, e.year))
            }
            Event::AgencyHeadAppointed(e) => {
                let records = self.records.entry(e.agency_id).or_default();
                if let (Some(last), Some(end)) =
                    (records.heads.last_mut(), e.previous_tenure_ended_on)
                {
                    last.to.get_or_insert(end);
                }
                records.heads.push(HeadTenure {
                    name: e.head.name.clone(),
                    title: e.head.title.clone(),
                    from: e.from,
                    to: None,
                    decision: e.decision.clone(),
                });
                Some(RowKey::Records(e.agency_id))
            }
            Event::SipasPublished(e) => {
                let records = self.records.entry(e.agency_id).or_default();
                records.sipas.retain(|s| s.year != e.year);
                records.sipas.push(SipasResult {
                    year: e.year,
                    percent: e.satisfaction_percent,
                    respondents: e.respondents,
                });
                records.sipas.sort_by_key(|s| s.year);
                Some(RowKey::Records(e.agency_id))
            }
            Event::DossierStatisticsReported(e) => {
                let records = self.records.entry(e.agency_id).or_default();
                records
                    .dossiers
                    .retain(|d| (d.from, d.to, &d.field) != (e.period_from, e.period_to, &e.field));
                records.dossiers.push(DossierPeriod {
                    from: e.period_from,
                    to: e.period_to,
                    field: e.field.clone(),
                    counts: e.counts.clone(),
                    satisfaction_percent: e.satisfaction_percent,
                });
                records.dossiers.sort_by_key(|d| (d.to, d.from));
                Some(RowKey::Records(e.agency_id))
            }
            Event::IndicatorDefined(e) => {
                self.indicators.insert(
                    e.indicator_id,
                    IndicatorRow {
                        indicator_id: e.indicator_id,
                        code: e.code.clone(),
                        name: e.name.clone(),
                        unit: e.unit.clone(),
                        direction: e.direction,
                        baseline: e.baseline,
                        baseline_on: e.baseline_on,
                        jurisdiction: e.jurisdiction.clone(),
                        targets: Vec::new(),
                        measurements: Vec::new(),
                    },
                );
                Some(RowKey::Indicator(e.indicator_id))
            }
            Event::IndicatorTargetSet(e) => {
                let i = self.indicators.get_mut(&e.indicator_id)?;
                i.targets.retain(|t| t.year != e.year);
                i.targets.push(Target {
                    year: e.year,
                    value: e.value,
                });
                i.targets.sort_by_key(|t| t.year);
                Some(RowKey::Indicator(e.indicator_id))
            }
            Event::IndicatorMeasured(e) => {
                let i = self.indicators.get_mut(&e.indicator_id)?;
                i.measurements.push(MeasuredValue {
                    on: e.measured_on,
                    value: e.value,
                    source: e.source.clone(),
                });
                i.measurements.sort_by_key(|m| m.on);
                Some(RowKey::Indicator(e.indicator_id))
            }
        }
    }

    fn document(&mut self, row: DocumentRow) -> Option<RowKey> {
        let id = row.document_id;
        self.documents.insert(id, row);
        Some(RowKey::Document(id))
    }

    /// The program a document belongs to at the top of its chain (a plan → the
    /// directive it implements → that directive's program → …), following at most as
    /// many links as there are documents.
    pub fn programs_of(&self, document: DocumentId) -> Vec<DocumentId> {
        let mut chain = Vec::new();
        let mut next = Some(document);
        while let Some(id) = next {
            if chain.len() > self.documents.len() {
                break;
            }
            let Some(doc) = self.documents.get(&id) else {
                break;
            };
            if doc.kind == DocumentRowKind::Program {
                chain.push(id);
            }
            next = doc.parent_id;
        }
        chain
    }
}
