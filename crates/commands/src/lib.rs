//! Where domain commands meet the event store: [`CommandHandler`] loads the streams a
//! command reads, lets the domain decide, appends what it decided with the versions it
//! decided on, and runs the follow-ups the domain's policies ask for.
//!
//! **Every write goes through here, and nothing here writes but through
//! [`EventStore::append`](reform_store::EventStore::append) and
//! [`EventStore::append_all`](reform_store::EventStore::append_all)**: the store keeps
//! the log, this crate keeps the rules' side of a write (re-deciding on a lost race,
//! answering a retry from the record).

mod cache;
mod handler;

pub use cache::DEFAULT_STREAM_CACHE;
pub use handler::{CommandError, CommandHandler, Executed, GroupError};
