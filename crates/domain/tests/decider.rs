//! The rules of `reform-domain`, told as `given(events).when(command).then(events | error)`.
//!
//! One test binary for the whole crate (link time matters on small machines); each
//! area of the rules has its own module under `tests/decider/` (`#[path]`, because a
//! crate root looks for its modules beside itself).

#[path = "decider/support.rs"]
mod support;

#[path = "decider/agency.rs"]
mod agency;
#[path = "decider/document.rs"]
mod document;
#[path = "decider/evaluation.rs"]
mod evaluation;
#[path = "decider/generators.rs"]
mod generators;
#[path = "decider/indicator.rs"]
mod indicator;
#[path = "decider/policy.rs"]
mod policy;
#[path = "decider/properties.rs"]
mod properties;
#[path = "decider/schemas.rs"]
mod schemas;
#[path = "decider/task.rs"]
mod task;
#[path = "decider/task_lifecycle.rs"]
mod task_lifecycle;
#[path = "decider/text.rs"]
mod text;
#[path = "decider/wire.rs"]
mod wire;
