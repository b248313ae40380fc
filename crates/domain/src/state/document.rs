//! Documents' state: programs (with their roll-up rule), directives and plans.

use super::World;
use crate::event::{
    DirectiveIssued, DirectivePoint, DocumentAmended, DocumentHeader, Period, PlanIssued,
    ProgramIssued, RollupRuleSet,
};
use crate::ids::{AgencyId, DocumentId};
use crate::vocab::{ProgramLevel, RollupRule};

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

/// Folds [`ProgramIssued`].
pub(super) fn program_issued(world: &mut World, e: &ProgramIssued) {
    world.documents.insert(
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

/// Folds [`DirectiveIssued`].
pub(super) fn directive_issued(world: &mut World, e: &DirectiveIssued) {
    world.documents.insert(
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

/// Folds [`PlanIssued`].
pub(super) fn plan_issued(world: &mut World, e: &PlanIssued) {
    world.documents.insert(
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

/// Folds [`DocumentAmended`].
pub(super) fn amended(world: &mut World, e: &DocumentAmended) {
    if let Some(d) = world.documents.get_mut(&e.document_id) {
        d.amendments += 1;
        if let Some(t) = &e.title {
            d.header.title = t.clone();
        }
        if let Some(s) = &e.signer {
            d.header.signer = Some(s.clone());
        }
        match &mut d.kind {
            DocumentKind::Program { period, .. } | DocumentKind::Plan { period, .. } => {
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

/// Folds [`RollupRuleSet`].
pub(super) fn rollup_rule_set(world: &mut World, e: &RollupRuleSet) {
    if let Some(Document {
        kind: DocumentKind::Program { rollup_rule, .. },
        ..
    }) = world.documents.get_mut(&e.document_id)
    {
        *rollup_rule = e.rule;
    }
}
