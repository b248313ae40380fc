//! The write rule, in one place for every mutation: a command may change only what
//! lies in the actor's jurisdiction (national entities only for a national
//! secretariat), and every other entity it names must be the actor's to write or be
//! national. `send` applies it to every command before it is executed, so no resolver
//! carries a copy of it.

use reform_domain::{
    AgencyId, BandSchemeId, Command, DocumentId, EvaluationsId, IndicatorId, StreamId, TaskId,
    NATIONAL,
};
use reform_projections::ProgressModel;
use uuid::Uuid;

use crate::auth::Viewer;
use crate::error::ApiError;

/// Refuses a change to a record of `jurisdiction` that `viewer` may not write.
pub(crate) fn check_writable(
    viewer: &Viewer,
    model: &ProgressModel,
    jurisdiction: &str,
    what: &str,
) -> Result<(), ApiError> {
    if viewer.may_write(model, jurisdiction) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what} is of {jurisdiction}, outside your jurisdiction"
        )))
    }
}

/// Refuses `command` unless `viewer` may write what it changes and refer to what it
/// names. Entities not on record are left to the domain, which refuses them by name.
pub(crate) fn check(
    viewer: &Viewer,
    model: &ProgressModel,
    command: &Command,
) -> Result<(), ApiError> {
    let target = command.target();
    if let Some(jurisdiction) = written(model, command) {
        check_writable(
            viewer,
            model,
            &jurisdiction,
            &format!("{}'s record", command.name()),
        )?;
    }
    for stream in command.reads().iter().filter(|s| **s != target) {
        if let Some(jurisdiction) = jurisdiction_of(model, stream) {
            if !viewer.may_refer(model, jurisdiction) {
                return Err(ApiError::Forbidden(format!(
                    "{} names {} of {jurisdiction}, outside your jurisdiction",
                    command.name(),
                    what(stream)
                )));
            }
        }
    }
    // A merger hands records to the successor: it must be the actor's to refer to.
    if let Command::MergeJurisdiction { successor, .. } = command {
        let successor = successor.trim().to_uppercase();
        if !viewer.may_refer(model, &successor) {
            return Err(ApiError::Forbidden(format!(
                "{} names the jurisdiction {successor}, outside your jurisdiction",
                command.name()
            )));
        }
    }
    Ok(())
}

/// The jurisdiction of the record a command changes: the one it declares for a new
/// record, the record's own, or for a new task its plan's.
fn written(model: &ProgressModel, command: &Command) -> Option<String> {
    declared(model, command)
        .or_else(|| jurisdiction_of(model, &command.target()).map(str::to_owned))
        .or_else(|| match command {
            Command::CreateTask { plan, .. } => {
                jurisdiction_of(model, &plan.stream()).map(str::to_owned)
            }
            _ => None,
        })
}

/// The jurisdiction a command's new record is written in: the one it declares, and
/// for a jurisdiction of the register its parent (a province is the nation's to
/// establish or merge, a commune its province's).
fn declared(model: &ProgressModel, command: &Command) -> Option<String> {
    let normal = |code: &str| code.trim().to_uppercase();
    match command {
        Command::EstablishJurisdiction { parent, .. } => Some(
            parent
                .as_deref()
                .map_or_else(|| NATIONAL.to_owned(), normal),
        ),
        Command::MergeJurisdiction { code, .. } => Some(
            model
                .jurisdiction(&normal(code))
                .and_then(|j| j.parent.clone())
                .unwrap_or_else(|| NATIONAL.to_owned()),
        ),
        _ => command.declared_jurisdiction().map(normal),
    }
}

/// The jurisdiction of the record a stream holds, as the read-model has it: a task's
/// is its plan's, an evaluation record's its agency's.
fn jurisdiction_of<'m>(model: &'m ProgressModel, stream: &StreamId) -> Option<&'m str> {
    let (category, id) = stream.as_str().split_once('-')?;
    let id = Uuid::parse_str(id).ok()?;
    let of_document = |d: DocumentId| model.documents.get(&d).map(|d| d.jurisdiction.as_str());
    let of_agency = |a: AgencyId| model.agencies.get(&a).map(|a| a.jurisdiction.as_str());
    match category {
        AgencyId::CATEGORY | EvaluationsId::CATEGORY => of_agency(AgencyId(id)),
        DocumentId::CATEGORY => of_document(DocumentId(id)),
        TaskId::CATEGORY => model
            .tasks
            .get(&TaskId(id))
            .and_then(|t| of_document(t.plan_id)),
        IndicatorId::CATEGORY => model
            .indicators
            .get(&IndicatorId(id))
            .map(|i| i.jurisdiction.as_str()),
        BandSchemeId::CATEGORY => model
            .band_schemes
            .get(&BandSchemeId(id))
            .map(|b| b.jurisdiction.as_str()),
        _ => None,
    }
}

/// A stream's record in words, for a refusal.
fn what(stream: &StreamId) -> &'static str {
    match stream.as_str().split_once('-').map(|(c, _)| c) {
        Some(AgencyId::CATEGORY) => "an agency",
        Some(DocumentId::CATEGORY) => "a document",
        Some(TaskId::CATEGORY) => "a task",
        Some(IndicatorId::CATEGORY) => "an indicator",
        _ => "a record",
    }
}
