//! Properties of the decider over arbitrary command sequences, nonsense included:
//!
//! (a) `decide` never panics;
//! (b) folding the event log is deterministic: `World::from_events(log)` equals the world
//!     built one event at a time, every time;
//! (c) every event survives `payload_json` + `Event::decode` unchanged;
//! (d) every event a command causes belongs to the command's target stream;
//! and, beyond the brief: `decide` judges a command the same on the streams it
//! [`reads`](Command::reads) as on the whole world, and the merger policy's commands
//! are accepted right after the merger.
//!
//! Commands come from [`crate::generators`]: small pools of identifiers, so that
//! sequences build real histories (a plan, then a task in it, then progress on it…) as
//! well as refusals.

use std::collections::VecDeque;

use proptest::prelude::*;
use reform_domain::{decide, policy, Command, Event, World};

use crate::generators::commands;

// --- the properties ------------------------------------------------------------------

/// Runs each command against the world so far, folding what is accepted; after a
/// merger, also runs the transfers the merger policy asks for, as the command handler
/// does. Checks (a) and (d) on the way, and that the policy's commands are accepted;
/// returns the world and the event log.
fn run(commands: Vec<Command>) -> Result<(World, Vec<Event>), TestCaseError> {
    let mut world = World::default();
    let mut log = Vec::new();
    let mut queue: VecDeque<(Command, bool)> = commands.into_iter().map(|c| (c, false)).collect();
    while let Some((command, from_policy)) = queue.pop_front() {
        let target = command.target();
        let name = command.name();
        let first = decide(&world, command.clone());
        prop_assert_eq!(
            &first,
            &decide(&world, command.clone()),
            "{} is judged the same way twice",
            name
        );
        // The command handler folds only the streams the command reads: that must be enough.
        let reads = command.reads();
        let partial =
            World::from_events(log.iter().filter(|e: &&Event| reads.contains(&e.stream())));
        let judged_on_reads = decide(&partial, command.clone());
        match (&first, &judged_on_reads) {
            (Ok(_), _) | (_, Ok(_)) => {
                prop_assert_eq!(&first, &judged_on_reads, "{} reads too little", name)
            }
            (Err(a), Err(b)) => prop_assert!(
                std::mem::discriminant(a) == std::mem::discriminant(b) && a.field() == b.field(),
                "{} reads too little: {} on the whole world, {} on what it reads",
                name,
                a,
                b
            ),
        }
        match first {
            Ok(events) => {
                prop_assert!(!events.is_empty(), "{} was accepted without events", name);
                for event in events {
                    prop_assert_eq!(
                        event.stream(),
                        target.clone(),
                        "{} wrote {} elsewhere",
                        name,
                        event.event_type()
                    );
                    world.apply(&event);
                    if let Event::AgencyMerged(merger) = &event {
                        // Right after the merger, before anything else happens.
                        for transfer in policy::transfers_after_merger(&world, merger)
                            .into_iter()
                            .rev()
                        {
                            queue.push_front((transfer, true));
                        }
                    }
                    log.push(event);
                }
            }
            Err(err) => {
                prop_assert!(
                    !from_policy,
                    "the merger policy asked for {:?}, which was refused: {}",
                    command,
                    err
                );
                prop_assert!(
                    !err.to_string().trim().is_empty(),
                    "{} was refused in silence",
                    name
                );
                let _ = err.field();
            }
        }
    }
    Ok((world, log))
}

/// What every world folded from accepted events keeps true.
fn check_invariants(world: &World) -> Result<(), TestCaseError> {
    for task in world.tasks.values() {
        prop_assert!(
            !task.coordinators.contains(&task.lead),
            "task {} lists its lead as coordinator",
            task.title
        );
        let mut seen = task.coordinators.clone();
        seen.sort();
        seen.dedup();
        prop_assert_eq!(
            seen.len(),
            task.coordinators.len(),
            "task {} repeats a coordinator",
            task.title
        );
        prop_assert!(task.percent <= 100);
        prop_assert!((1..=1_000).contains(&task.weight));
    }
    for evaluations in world.evaluations.values() {
        for report in evaluations.dossiers.values() {
            let c = &report.counts;
            prop_assert_eq!(
                c.received(),
                c.resolved() + c.in_process(),
                "dossier counts balance"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// (a), (b) and (d).
    #[test]
    fn the_decider_is_total_and_its_log_folds_back_to_the_same_world(commands in commands()) {
        let (world, log) = run(commands)?;
        prop_assert_eq!(&World::from_events(&log), &world);
        prop_assert_eq!(&World::from_events(&log), &world);
        let mut evolved = World::default();
        for event in &log {
            evolved = reform_domain::evolve(evolved, event);
        }
        prop_assert_eq!(&evolved, &world);
        check_invariants(&world)?;
    }

    /// The command handler remembers each stream's state folded on its own: absorbed
    /// together, in any order, they are the log folded in order.
    #[test]
    fn streams_folded_apart_and_absorbed_are_the_log_folded_together(commands in commands()) {
        let (world, log) = run(commands)?;
        let mut apart: std::collections::BTreeMap<_, World> = std::collections::BTreeMap::new();
        for event in &log {
            apart.entry(event.stream()).or_default().apply(event);
        }
        let mut forwards = World::default();
        apart.values().cloned().for_each(|part| forwards.absorb(part));
        prop_assert_eq!(&forwards, &world);
        let mut backwards = World::default();
        apart.into_values().rev().for_each(|part| backwards.absorb(part));
        prop_assert_eq!(&backwards, &world);
    }

    /// (c): what the store keeps is what was decided.
    #[test]
    fn every_event_survives_its_stored_json(commands in commands()) {
        let (_, log) = run(commands)?;
        for event in &log {
            let payload = event.payload_json();
            let decoded = Event::decode(event.event_type(), event.schema_version(), &payload);
            prop_assert_eq!(decoded.as_ref(), Ok(event), "{} does not round-trip through {}", event.event_type(), payload);
        }
    }
}

/// The generators are not so hostile that nothing is ever accepted: a property that
/// holds over empty logs proves little.
#[test]
fn sequences_build_real_histories() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let (mut tasks, mut events, mut event_types) = (0, 0, std::collections::BTreeSet::new());
    for _ in 0..200 {
        let commands = commands()
            .new_tree(&mut runner)
            .expect("a sequence")
            .current();
        let (world, log) = run(commands).expect("the properties hold");
        tasks += world.tasks.len();
        events += log.len();
        event_types.extend(log.iter().map(Event::event_type));
    }
    assert!(
        events > 1_000,
        "only {events} events accepted in 200 sequences"
    );
    assert!(tasks > 100, "only {tasks} tasks created in 200 sequences");
    let missing: Vec<_> = Event::TYPES
        .iter()
        .filter(|t| !event_types.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "the generators never produce {missing:?}"
    );
}
