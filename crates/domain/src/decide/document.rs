//! Rules for programs, directives and plans.

use std::collections::BTreeSet;

use crate::command::Command;
use crate::error::{DomainError, Entity};
use crate::event::{
    DirectiveIssued, DirectivePoint, DocumentAmended, Event, PlanIssued, ProgramIssued,
    RollupRuleSet,
};
use crate::state::{DocumentKind, World};
use crate::vocab::ProgramLevel;

use super::{
    active_agency, existing_document, header, long, optional_short, period, person,
    registered_jurisdiction, short,
};

pub(super) fn decide(world: &World, command: Command) -> Result<Vec<Event>, DomainError> {
    match command {
        Command::IssueProgram {
            document_id,
            header: h,
            level,
            jurisdiction: j,
            parent_program,
            period: p,
        } => {
            not_on_record(world, document_id)?;
            match (level, parent_program) {
                (ProgramLevel::National, Some(_)) => {
                    return Err(DomainError::invalid(
                        "parent_program",
                        "a national program has no parent program",
                    ))
                }
                (_, Some(parent)) => {
                    let doc = existing_document(world, parent, Entity::Program)?;
                    if !matches!(doc.kind, DocumentKind::Program { .. }) {
                        return Err(DomainError::invalid(
                            "parent_program",
                            format!(
                                "{} is a {}, not a program",
                                doc.header.number,
                                doc.kind.name()
                            ),
                        ));
                    }
                }
                _ => {}
            }
            Ok(vec![Event::ProgramIssued(ProgramIssued {
                document_id,
                header: header(world, &h)?,
                level,
                jurisdiction: registered_jurisdiction(world, &j)?,
                parent_program,
                period: period(p)?,
            })])
        }
        Command::IssueDirective {
            document_id,
            header: h,
            program,
            jurisdiction: j,
            points,
        } => {
            not_on_record(world, document_id)?;
            if let Some(program) = program {
                let doc = existing_document(world, program, Entity::Program)?;
                if !matches!(doc.kind, DocumentKind::Program { .. }) {
                    return Err(DomainError::invalid(
                        "program",
                        format!(
                            "{} is a {}, not a program",
                            doc.header.number,
                            doc.kind.name()
                        ),
                    ));
                }
            }
            Ok(vec![Event::DirectiveIssued(DirectiveIssued {
                document_id,
                header: header(world, &h)?,
                program,
                jurisdiction: registered_jurisdiction(world, &j)?,
                points: directive_points(points)?,
            })])
        }
        Command::IssuePlan {
            document_id,
            header: h,
            implements,
            issuing_agency,
            jurisdiction: j,
            period: p,
        } => {
            not_on_record(world, document_id)?;
            let doc = existing_document(world, implements, Entity::Document)?;
            if matches!(doc.kind, DocumentKind::Plan { .. }) {
                return Err(DomainError::invalid(
                    "implements",
                    format!(
                        "{} is a plan; a plan implements a program or a directive",
                        doc.header.number
                    ),
                ));
            }
            active_agency(world, issuing_agency)?;
            Ok(vec![Event::PlanIssued(PlanIssued {
                document_id,
                header: header(world, &h)?,
                implements,
                issuing_agency,
                jurisdiction: registered_jurisdiction(world, &j)?,
                period: period(p)?,
            })])
        }
        Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer,
            period: p,
            points,
            reason,
        } => {
            let doc = existing_document(world, document_id, Entity::Document)?;
            long("reason", &reason)?;
            if title.is_none() && signer.is_none() && p.is_none() && points.is_none() {
                return Err(DomainError::invalid(
                    "title",
                    "an amendment must change the title, signer, period or points",
                ));
            }
            let is_directive = matches!(doc.kind, DocumentKind::Directive { .. });
            if p.is_some() && is_directive {
                return Err(DomainError::invalid("period", "a directive has no period"));
            }
            if points.is_some() && !is_directive {
                return Err(DomainError::invalid(
                    "points",
                    format!("a {} has no numbered points", doc.kind.name()),
                ));
            }
            Ok(vec![Event::DocumentAmended(DocumentAmended {
                document_id,
                amended_by: optional_short("amended_by", amended_by.as_deref())?,
                title: title.map(|t| short("title", &t)).transpose()?,
                signer: signer.map(|s| person("signer", &s)).transpose()?,
                period: p.map(period).transpose()?,
                points: points.map(directive_points).transpose()?,
            })])
        }
        Command::SetRollupRule {
            document_id,
            rule,
            reason,
        } => {
            let doc = existing_document(world, document_id, Entity::Program)?;
            let DocumentKind::Program {
                rollup_rule: previous,
                ..
            } = doc.kind
            else {
                return Err(DomainError::invalid(
                    "document_id",
                    format!(
                        "{} is a {}; roll-up rules are chosen per program",
                        doc.header.number,
                        doc.kind.name()
                    ),
                ));
            };
            if previous == rule {
                return Err(DomainError::invalid(
                    "rule",
                    format!("program {} already uses {}", doc.header.number, rule.code()),
                ));
            }
            long("reason", &reason)?;
            Ok(vec![Event::RollupRuleSet(RollupRuleSet {
                document_id,
                previous,
                rule,
            })])
        }
        _ => Err(DomainError::invalid("command", "not a document command")),
    }
}

fn not_on_record(world: &World, id: crate::ids::DocumentId) -> Result<(), DomainError> {
    if world.documents.contains_key(&id) {
        Err(DomainError::AlreadyExists {
            entity: Entity::Document,
            id: id.to_string(),
        })
    } else {
        Ok(())
    }
}

fn directive_points(points: Vec<DirectivePoint>) -> Result<Vec<DirectivePoint>, DomainError> {
    if points.is_empty() {
        return Err(DomainError::invalid(
            "points",
            "a directive needs at least one numbered point",
        ));
    }
    let mut numbers = BTreeSet::new();
    points
        .into_iter()
        .map(|p| {
            if p.number == 0 || !numbers.insert(p.number) {
                return Err(DomainError::invalid(
                    "points",
                    format!(
                        "point numbers must be distinct and start at 1; {} is repeated or zero",
                        p.number
                    ),
                ));
            }
            let mut pillars = p.pillars;
            pillars.sort();
            pillars.dedup();
            Ok(DirectivePoint {
                number: p.number,
                text: long("points.text", &p.text)?,
                pillars,
            })
        })
        .collect()
}
