//! The rules of `reform-domain`, told as `given(events).when(command).then(events | error)`.
//!
//! One test binary for the whole crate (link time matters on small machines); each
//! area of the rules has its own module beside this file.

mod support;

mod agency;
mod chronology;
mod document;
mod evaluation;
mod generators;
mod indicator;
mod jurisdiction;
mod policy;
mod properties;
mod schemas;
mod task;
mod task_lifecycle;
mod text;
mod wire;
