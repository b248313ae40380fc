//! The State Administrative Reform program (Resolution 76/NQ-CP) as commands, events
//! and rules.
//!
//! **This crate does no I/O and reads no clock**: [`decide`] judges a [`Command`]
//! against a [`World`] folded from events by [`evolve`]; time arrives inside commands.
//! Storage, HTTP and GraphQL live in other crates and convert to and from these types
//! at their edge.

#![warn(missing_docs)]

pub mod chronology;
mod command;
mod decide;
mod error;
mod event;
mod fold;
mod ids;
pub mod policy;
pub mod register;
mod state;
mod vocab;

/// The jurisdiction code of national bodies and documents, which every province sees.
pub const NATIONAL: &str = "VN";

pub use command::Command;
pub use decide::decide;
pub use error::{DomainError, Entity, ErrorKind};
pub use event::*;
pub use fold::fold_for_search;
pub use ids::{
    AgencyId, BandSchemeId, DocumentId, EvaluationsId, IndicatorId, JurisdictionId, StreamId,
    TaskId,
};
pub use state::{
    evolve, Agency, AgencyStatus, Document, DocumentKind, DossierReport, Evaluations, HeadTenure,
    Indicator, Jurisdiction, Measurement, ParResult, Task, TaskStatus, World,
};
pub use vocab::{
    AgencyTier, Block, CrossCutting, Direction, JurisdictionLevel, Pillar, ProgramLevel, Role,
    RollupRule, TaskCategory, Timeliness,
};
