//! The rules: [`decide`] judges a [`Command`] against the [`World`] and returns the
//! events it causes, or the [`DomainError`] that refuses it. Pure and total: no I/O,
//! no clock, no panics.

mod agency;
mod document;
mod jurisdiction;
mod measure;
mod task;

use unicode_normalization::UnicodeNormalization;

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{DocumentHeader, Event, Period, Person};
use crate::ids::{AgencyId, DocumentId};
use crate::state::{Agency, AgencyStatus, Document, World};

/// Longest accepted name or title, in characters.
const MAX_SHORT_TEXT: usize = 500;
/// Longest accepted note or description, in characters.
const MAX_LONG_TEXT: usize = 20_000;

/// Decides what a command causes. The world must hold every stream the command
/// [reads](Command::reads); anything missing is treated as not on record.
pub fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::EstablishJurisdiction { .. } | Command::MergeJurisdiction { .. } => {
            jurisdiction::decide(world, command)
        }
        Command::RegisterAgency { .. }
        | Command::RenameAgency { .. }
        | Command::AppointHead { .. }
        | Command::MergeAgency { .. }
        | Command::DissolveAgency { .. } => agency::decide(world, command),
        Command::IssueProgram { .. }
        | Command::IssueDirective { .. }
        | Command::IssuePlan { .. }
        | Command::AmendDocument { .. }
        | Command::SetRollupRule { .. } => document::decide(world, command),
        Command::CreateTask { .. }
        | Command::AmendTask { .. }
        | Command::ReassignTask { .. }
        | Command::TransferTask { .. }
        | Command::ExtendDeadline { .. }
        | Command::ReportProgress { .. }
        | Command::CompleteTask { .. }
        | Command::ReopenTask { .. }
        | Command::CancelTask { .. } => task::decide(world, command),
        Command::DefineIndicator { .. }
        | Command::SetIndicatorTarget { .. }
        | Command::RecordMeasurement { .. }
        | Command::PublishParIndex { .. }
        | Command::PublishSipas { .. }
        | Command::ReportDossierStatistics { .. }
        | Command::SetBandScheme { .. } => measure::decide(world, command),
    }
}

/// Normalises text to NFC, trims it, and refuses empty or over-long values. Vietnamese
/// typed on different keyboards arrives composed or decomposed; we store it composed
/// so that equal words compare equal byte for byte.
pub(crate) fn text(field: &'static str, value: &str, max: usize) -> Result<String, DomainError> {
    let normalised: String = value.trim().nfc().collect();
    if normalised.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    if normalised.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if normalised
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    if let Some(c) = normalised.chars().find(|c| hidden(*c)) {
        return Err(DomainError::invalid(
            field,
            format!(
                "must not contain invisible or direction-changing characters (U+{:04X}); retype the text or paste it as plain text",
                u32::from(c)
            ),
        ));
    }
    Ok(normalised)
}

/// Characters that change how text reads without showing: bidirectional controls
/// (a right-to-left override makes "gpj.exe" read "exe.jpg"), zero-width spaces and
/// joiners, the byte-order mark. None belongs in Vietnamese administrative text.
fn hidden(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A required name or title.
pub(crate) fn short(field: &'static str, value: &str) -> Result<String, DomainError> {
    text(field, value, MAX_SHORT_TEXT)
}

/// A required note or description.
pub(crate) fn long(field: &'static str, value: &str) -> Result<String, DomainError> {
    text(field, value, MAX_LONG_TEXT)
}

/// An optional name: blank counts as absent.
pub(crate) fn optional_short(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, DomainError> {
    match value {
        Some(v) if !v.trim().is_empty() => short(field, v).map(Some),
        _ => Ok(None),
    }
}

/// An optional description: blank counts as absent.
pub(crate) fn optional_long(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, DomainError> {
    match value {
        Some(v) if !v.trim().is_empty() => long(field, v).map(Some),
        _ => Ok(None),
    }
}

/// A jurisdiction code: "VN", an ISO 3166-2:VN subdivision like "VN-DN", "VN-23", or
/// a code under one ("VN-HN-HD"), each part at most 8 letters or digits.
pub(crate) fn jurisdiction(value: &str) -> Result<String, DomainError> {
    let code = value.trim().to_uppercase();
    let mut parts = code.split('-');
    let valid = parts.next() == Some(crate::NATIONAL)
        && code.split('-').count() <= 4
        && parts.all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    if valid {
        Ok(code)
    } else {
        Err(DomainError::invalid(
            "jurisdiction",
            format!("\"{value}\" is not a jurisdiction code; use \"VN\" or an ISO 3166-2:VN code such as \"VN-DN\""),
        ))
    }
}

/// The jurisdiction a new record is put in: a valid code that, once the register is
/// loaded (the nation is on record), must be in it; never one that has merged into
/// another. Without a register a province code stands for itself, as before
/// jurisdictions were data; a code under a province must always be registered.
pub(crate) fn registered_jurisdiction(world: &World, value: &str) -> Result<String, DomainError> {
    let code = jurisdiction(value)?;
    match world.jurisdictions.get(&code) {
        Some(j) => match &j.merged_into {
            Some((successor, effective_on)) => Err(DomainError::JurisdictionCeased {
                code,
                successor: successor.clone(),
                effective_on: *effective_on,
            }),
            None => Ok(code),
        },
        None if world.jurisdictions.contains_key(crate::NATIONAL)
            || code.split('-').count() > 2 =>
        {
            Err(DomainError::invalid(
                "jurisdiction",
                format!("\"{code}\" is not in the register of jurisdictions"),
            ))
        }
        None => Ok(code),
    }
}

/// A year the program can speak of.
pub(crate) fn year(field: &'static str, value: i32) -> Result<i32, DomainError> {
    if (1945..=2100).contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            format!("{value} is not a plausible year (1945–2100)"),
        ))
    }
}

/// A finite number within bounds.
pub(crate) fn number(
    field: &'static str,
    value: f64,
    min: f64,
    max: f64,
) -> Result<f64, DomainError> {
    if value.is_finite() && (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(DomainError::invalid(
            field,
            format!("{value} must be a number from {min} to {max}"),
        ))
    }
}

pub(crate) fn period(value: Period) -> Result<Period, DomainError> {
    year("period.from_year", value.from_year)?;
    year("period.to_year", value.to_year)?;
    if value.from_year > value.to_year {
        return Err(DomainError::invalid(
            "period",
            format!(
                "the period starts in {} after it ends in {}",
                value.from_year, value.to_year
            ),
        ));
    }
    Ok(value)
}

pub(crate) fn person(field: &'static str, value: &Person) -> Result<Person, DomainError> {
    Ok(Person {
        name: short(field, &value.name)?,
        title: optional_short(field, value.title.as_deref())?,
    })
}

pub(crate) fn header(world: &World, value: &DocumentHeader) -> Result<DocumentHeader, DomainError> {
    if let Some(agency) = value.issuing_agency {
        existing_agency(world, agency)?;
    }
    Ok(DocumentHeader {
        number: short("header.number", &value.number)?,
        title: short("header.title", &value.title)?,
        issued_on: value.issued_on,
        issuer: short("header.issuer", &value.issuer)?,
        issuing_agency: value.issuing_agency,
        signer: value
            .signer
            .as_ref()
            .map(|s| person("header.signer", s))
            .transpose()?,
    })
}

/// An agency on record, whatever its status.
pub(crate) fn existing_agency(world: &World, id: AgencyId) -> Result<&Agency, DomainError> {
    world.agencies.get(&id).ok_or(DomainError::NotFound {
        entity: Entity::Agency,
        id: id.to_string(),
    })
}

/// An agency that can be given work: on record and neither merged nor dissolved.
pub(crate) fn active_agency(world: &World, id: AgencyId) -> Result<&Agency, DomainError> {
    let agency = existing_agency(world, id)?;
    let state = match agency.status {
        AgencyStatus::Active => return Ok(agency),
        AgencyStatus::Merged { successor, on } => {
            let successor = world
                .agencies
                .get(&successor)
                .map_or(successor.to_string(), |s| s.name.clone());
            format!("was merged into \"{successor}\" on {on}")
        }
        AgencyStatus::Dissolved { on } => format!("was dissolved on {on}"),
    };
    Err(DomainError::AgencyNotActive {
        agency: id,
        name: agency.name.clone(),
        state,
    })
}

/// A document on record.
pub(crate) fn existing_document(
    world: &World,
    id: DocumentId,
    entity: Entity,
) -> Result<&Document, DomainError> {
    world.documents.get(&id).ok_or(DomainError::NotFound {
        entity,
        id: id.to_string(),
    })
}
