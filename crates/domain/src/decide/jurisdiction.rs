//! The register of jurisdictions: the nation, its provinces, their districts (until
//! 1 July 2025) and communes, and the mergers that made 63 provinces 34.

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{Event, JurisdictionEstablished, JurisdictionMerged};
use crate::state::{Jurisdiction, World};
use crate::vocab::JurisdictionLevel;

use super::{jurisdiction, optional_short, short};

pub(super) fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::EstablishJurisdiction {
            code,
            name,
            level,
            parent,
            established_on,
            legal_basis,
        } => {
            let code = jurisdiction(&code)?;
            if world.jurisdictions.contains_key(&code) {
                return Err(DomainError::AlreadyExists {
                    entity: Entity::Jurisdiction,
                    id: code,
                });
            }
            let parent = match (level, parent) {
                (JurisdictionLevel::Nation, None) if code == crate::NATIONAL => None,
                (JurisdictionLevel::Nation, _) => {
                    return Err(DomainError::invalid(
                        "level",
                        format!("only {} is the nation, with no parent", crate::NATIONAL),
                    ))
                }
                (_, None) => {
                    return Err(DomainError::invalid(
                        "parent",
                        "a province, district or commune lies in a parent jurisdiction",
                    ))
                }
                (level, Some(parent)) => {
                    let parent = live(world, &jurisdiction(&parent)?)?;
                    if !may_contain(parent.level, level) {
                        return Err(DomainError::invalid(
                            "parent",
                            format!(
                                "a {} cannot lie in a {}",
                                level.label_en().to_lowercase(),
                                parent.level.label_en().to_lowercase()
                            ),
                        ));
                    }
                    if code
                        .strip_prefix(&parent.code)
                        .and_then(|r| r.strip_prefix('-'))
                        .is_none_or(|r| r.contains('-'))
                    {
                        return Err(DomainError::invalid(
                            "code",
                            format!("a code under {} reads {}-…", parent.code, parent.code),
                        ));
                    }
                    if established_on < parent.established_on {
                        return Err(DomainError::invalid(
                            "established_on",
                            format!(
                                "{} was established on {}, after this date",
                                parent.code, parent.established_on
                            ),
                        ));
                    }
                    Some(parent.code.clone())
                }
            };
            Ok(vec![Event::JurisdictionEstablished(
                JurisdictionEstablished {
                    code,
                    name: short("name", &name)?,
                    level,
                    parent,
                    established_on,
                    legal_basis: optional_short("legal_basis", legal_basis.as_deref())?,
                },
            )])
        }
        Command::MergeJurisdiction {
            code,
            successor,
            effective_on,
            legal_basis,
        } => {
            let merged = live(world, &jurisdiction(&code)?)?;
            let successor = live(world, &jurisdiction(&successor)?)?;
            if merged.level == JurisdictionLevel::Nation {
                return Err(DomainError::invalid("code", "the nation does not merge"));
            }
            // A jurisdiction under the merged one would lie in itself through it.
            if successor.code == merged.code
                || successor
                    .code
                    .strip_prefix(&merged.code)
                    .is_some_and(|rest| rest.starts_with('-'))
            {
                return Err(DomainError::invalid(
                    "successor",
                    format!("{} lies in {} itself", successor.code, merged.code),
                ));
            }
            for j in [merged, successor] {
                if effective_on <= j.established_on {
                    return Err(DomainError::invalid(
                        "effective_on",
                        format!(
                            "{} was established on {}; a merger takes effect after that",
                            j.code, j.established_on
                        ),
                    ));
                }
            }
            Ok(vec![Event::JurisdictionMerged(JurisdictionMerged {
                code: merged.code.clone(),
                successor: successor.code.clone(),
                effective_on,
                legal_basis: short("legal_basis", &legal_basis)?,
            })])
        }
        _ => Err(DomainError::invalid(
            "command",
            "not a jurisdiction command",
        )),
    }
}

/// A jurisdiction on record that has not merged into another.
fn live<'w>(world: &'w World, code: &str) -> Result<&'w Jurisdiction, DomainError> {
    let j = world
        .jurisdictions
        .get(code)
        .ok_or_else(|| DomainError::NotFound {
            entity: Entity::Jurisdiction,
            id: code.to_owned(),
        })?;
    match &j.merged_into {
        Some((successor, effective_on)) => Err(DomainError::JurisdictionCeased {
            code: j.code.clone(),
            successor: successor.clone(),
            effective_on: *effective_on,
        }),
        None => Ok(j),
    }
}

/// Whether a jurisdiction of level `outer` may hold one of level `inner`: provinces lie
/// in the nation, districts in provinces, communes in provinces or (before 1 July
/// 2025) districts.
fn may_contain(outer: JurisdictionLevel, inner: JurisdictionLevel) -> bool {
    use JurisdictionLevel::*;
    matches!(
        (outer, inner),
        (Nation, Province) | (Province, District) | (Province, Commune) | (District, Commune)
    )
}
