//! Reactions the program owes to some events: pure functions from state to the
//! follow-up commands the command handler then sends.

use crate::command::Command;
use crate::event::AgencyMerged;
use crate::state::World;

/// When an agency is merged, each of its open tasks passes to the successor
/// (NQ 190/2025/QH15): one [`Command::TransferTask`] per task where the merged agency
/// is lead or coordinator. `world` must hold the tasks to consider.
pub fn transfers_after_merger(world: &World, merger: &AgencyMerged) -> Vec<Command> {
    world
        .tasks
        .values()
        .filter(|t| t.is_open() && t.involves(merger.agency_id))
        .map(|t| Command::TransferTask {
            task_id: t.id,
            from_agency: merger.agency_id,
            to_agency: merger.successor,
            legal_basis: merger.legal_basis.clone(),
        })
        .collect()
}
