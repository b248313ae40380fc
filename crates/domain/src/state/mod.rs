//! The program's state as folded from events: [`World`] and [`evolve`].
//!
//! A `World` may hold the whole program (for a summary or a past date) or only the
//! few streams a command needs: the command handler loads [`crate::Command::reads`]
//! and folds them, and [`crate::decide`] judges the command against that.
//!
//! Each area's records and how its events change them live in a module of their own
//! (agency, document, task, jurisdiction, measure, as the rules are in `decide/`);
//! [`World::apply`] only sends each event to its area.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

mod agency;
mod document;
mod jurisdiction;
mod measure;
mod task;

pub use agency::{Agency, AgencyStatus, HeadTenure};
pub use document::{Document, DocumentKind};
pub use jurisdiction::Jurisdiction;
pub use measure::{DossierReport, Evaluations, Indicator, Measurement, ParResult};
pub use task::{Task, TaskStatus};

use crate::chronology::Span;
use crate::event::{BandDefinition, Event};
use crate::ids::{AgencyId, DocumentId, IndicatorId, StreamId, TaskId};

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
            Event::JurisdictionEstablished(e) => jurisdiction::established(self, e),
            Event::JurisdictionMerged(e) => jurisdiction::merged(self, e),
            Event::AgencyRegistered(e) => agency::registered(self, e),
            Event::AgencyRenamed(e) => agency::renamed(self, e),
            Event::AgencyHeadAppointed(e) => agency::head_appointed(self, e),
            Event::AgencyMerged(e) => agency::merged(self, e),
            Event::AgencyDissolved(e) => agency::dissolved(self, e),
            Event::ProgramIssued(e) => document::program_issued(self, e),
            Event::DirectiveIssued(e) => document::directive_issued(self, e),
            Event::PlanIssued(e) => document::plan_issued(self, e),
            Event::DocumentAmended(e) => document::amended(self, e),
            Event::RollupRuleSet(e) => document::rollup_rule_set(self, e),
            Event::TaskCreated(e) => task::created(self, e),
            Event::TaskReassigned(e) => task::reassigned(self, e),
            Event::TaskTransferred(e) => task::transferred(self, e),
            Event::TaskAmended(e) => task::amended(self, e),
            Event::TaskDeadlineExtended(e) => task::deadline_extended(self, e),
            Event::TaskProgressReported(e) => task::progress_reported(self, e),
            Event::TaskCompleted(e) => task::completed(self, e),
            Event::TaskReopened(e) => task::reopened(self, e),
            Event::TaskCancelled(e) => task::cancelled(self, e),
            Event::BandSchemeSet(e) => measure::band_scheme_set(self, e),
            Event::IndicatorDefined(e) => measure::indicator_defined(self, e),
            Event::IndicatorTargetSet(e) => measure::indicator_target_set(self, e),
            Event::IndicatorMeasured(e) => measure::indicator_measured(self, e),
            Event::ParIndexPublished(e) => measure::par_index_published(self, e),
            Event::SipasPublished(e) => measure::sipas_published(self, e),
            Event::DossierStatisticsReported(e) => measure::dossier_statistics_reported(self, e),
        }
    }
}
