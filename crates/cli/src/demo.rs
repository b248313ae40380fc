//! Loading the demo program through commands, exactly as users would send them.

use reform_domain::Role;
use reform_store::{Actor, CommandError, CommandHandler, CommandMetadata};
use uuid::Uuid;

use crate::demo_data::{demo_steps, DemoActor};

/// Namespace of the demo's command ids: the same step always has the same id, so
/// loading the demo again writes nothing twice.
const DEMO_COMMANDS: Uuid = Uuid::from_u128(0x0d3e_0000_76a0_4c1d_9a3e_0000_0000_0001);

/// What loading the demo did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoLoad {
    /// Commands that wrote events now.
    pub executed: usize,
    /// Commands already on record from an earlier load.
    pub already_loaded: usize,
}

/// Sends every demo command. Idempotent: safe to run on a store that has the demo,
/// or part of it after an interrupted load.
pub async fn load_demo(handler: &CommandHandler) -> Result<DemoLoad, CommandError> {
    let mut load = DemoLoad::default();
    for (index, step) in demo_steps().into_iter().enumerate() {
        let actor = match step.actor {
            DemoActor::Secretariat => Actor {
                user_id: "demo-secretariat".into(),
                display_name: "Văn phòng Ban Chỉ đạo CCHC (demo)".into(),
                role: Role::Secretariat,
                agency: None,
            },
            DemoActor::Officer(agency) => Actor {
                user_id: format!("demo-officer-{agency}"),
                display_name: "Cán bộ đầu mối CCHC (demo)".into(),
                role: Role::Officer,
                agency: Some(agency),
            },
        };
        let mut metadata = CommandMetadata::new(actor, step.occurred_at);
        metadata.command_id = Uuid::new_v5(
            &DEMO_COMMANDS,
            format!("{index}:{}", step.command.name()).as_bytes(),
        );
        metadata.correlation_id = metadata.command_id;
        let name = step.command.name();
        let executed = handler
            .execute(step.command, metadata, None)
            .await
            .map_err(|e| {
                tracing::error!(step = index, command = name, error = %e, "demo command failed");
                e
            })?;
        if executed.outcome.replayed {
            load.already_loaded += 1;
        } else {
            load.executed += 1;
        }
    }
    Ok(load)
}
