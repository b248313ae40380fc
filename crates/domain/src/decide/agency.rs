//! Rules for agencies: registration, names, heads, mergers and dissolution.

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{
    AgencyDissolved, AgencyHeadAppointed, AgencyMerged, AgencyRegistered, AgencyRenamed, Event,
};
use crate::state::World;

use super::{active_agency, optional_short, person, registered_jurisdiction, short};

pub(super) fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::RegisterAgency {
            agency_id,
            name,
            short_name,
            tier,
            block,
            jurisdiction: j,
            parent,
        } => {
            if world.agencies.contains_key(&agency_id) {
                return Err(DomainError::AlreadyExists {
                    entity: Entity::Agency,
                    id: agency_id.to_string(),
                });
            }
            if let Some(p) = parent {
                if p == agency_id {
                    return Err(DomainError::invalid(
                        "parent",
                        "an agency cannot be its own parent",
                    ));
                }
                active_agency(world, p)?;
            }
            Ok(vec![Event::AgencyRegistered(AgencyRegistered {
                agency_id,
                name: short("name", &name)?,
                short_name: optional_short("short_name", short_name.as_deref())?,
                tier,
                block,
                jurisdiction: registered_jurisdiction(world, &j)?,
                parent,
            })])
        }
        Command::RenameAgency {
            agency_id,
            new_name,
            effective_on,
            reason,
        } => {
            let agency = active_agency(world, agency_id)?;
            short("reason", &reason)?;
            let new_name = short("new_name", &new_name)?;
            if new_name == agency.name {
                return Err(DomainError::invalid(
                    "new_name",
                    "is the agency's current name",
                ));
            }
            Ok(vec![Event::AgencyRenamed(AgencyRenamed {
                agency_id,
                old_name: agency.name.clone(),
                new_name,
                effective_on,
            })])
        }
        Command::AppointHead {
            agency_id,
            head,
            from,
            decision,
        } => {
            let agency = active_agency(world, agency_id)?;
            let previous = agency.current_head();
            if let Some(p) = previous {
                if from <= p.from {
                    return Err(DomainError::invalid(
                        "from",
                        format!(
                            "{} has headed the agency since {}; a new head must take office after that date",
                            p.head.name, p.from
                        ),
                    ));
                }
            }
            Ok(vec![Event::AgencyHeadAppointed(AgencyHeadAppointed {
                agency_id,
                head: person("head", &head)?,
                from,
                previous_head: previous.map(|p| p.head.clone()),
                previous_tenure_ended_on: previous.map(|_| from.pred_opt().unwrap_or(from)),
                decision: optional_short("decision", decision.as_deref())?,
            })])
        }
        Command::MergeAgency {
            agency_id,
            successor,
            effective_on,
            legal_basis,
        } => {
            if agency_id == successor {
                return Err(DomainError::invalid(
                    "successor",
                    "an agency cannot be merged into itself",
                ));
            }
            active_agency(world, agency_id)?;
            active_agency(world, successor)?;
            Ok(vec![Event::AgencyMerged(AgencyMerged {
                agency_id,
                successor,
                effective_on,
                legal_basis: short("legal_basis", &legal_basis)?,
            })])
        }
        Command::DissolveAgency {
            agency_id,
            effective_on,
            legal_basis,
            reason,
        } => {
            active_agency(world, agency_id)?;
            short("reason", &reason)?;
            Ok(vec![Event::AgencyDissolved(AgencyDissolved {
                agency_id,
                effective_on,
                legal_basis: short("legal_basis", &legal_basis)?,
            })])
        }
        _ => Err(DomainError::invalid("command", "not an agency command")),
    }
}
