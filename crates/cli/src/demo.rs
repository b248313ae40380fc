//! Loading the demo program through commands, exactly as users would send them.

use chrono::{NaiveDate, Utc};
use reform_commands::{CommandError, CommandHandler};
use reform_domain::{Command, Role};
use reform_store::{Actor, CommandMetadata};
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

/// Sends every demo command, after the national register of jurisdictions (see
/// [`load_register`]). Idempotent: safe to run on a store that has the demo, or part
/// of it after an interrupted load.
pub async fn load_demo(handler: &CommandHandler) -> Result<DemoLoad, CommandError> {
    let mut load = load_register(handler).await?;
    let steps = demo_steps().into_iter().enumerate().map(|(index, step)| {
        let day = step.occurred_at.date_naive();
        (index, step.command, day, step.actor)
    });
    send_all(handler, DEMO_COMMANDS, steps, &mut load).await?;
    Ok(load)
}

/// Namespace of the register's command ids.
const REGISTER_COMMANDS: Uuid = Uuid::from_u128(0x0d3e_0000_76a0_4c1d_9a3e_0000_0000_0002);

/// Loads the national register of jurisdictions (the nation, the 63 provinces, the
/// mergers of 1 July 2025 that made them 34), each act at its own date. Idempotent,
/// like the demo: `reform serve` and `reform demo` load it, `reform register` alone.
pub async fn load_register(handler: &CommandHandler) -> Result<DemoLoad, CommandError> {
    let mut load = DemoLoad::default();
    let acts = reform_domain::register::commands()
        .into_iter()
        .enumerate()
        .map(|(index, command)| {
            let day = match &command {
                Command::MergeJurisdiction { effective_on, .. } => *effective_on,
                _ => reform_domain::register::provinces_recorded_from(),
            };
            (index, command, day, DemoActor::Secretariat)
        });
    send_all(handler, REGISTER_COMMANDS, acts, &mut load).await?;
    Ok(load)
}

/// Sends numbered commands with ids fixed by `namespace` and their number, each dated
/// its day as any client dates an act entered in arrears (`on`, or the command's own
/// date when it has one), counting those that wrote and those already on record.
async fn send_all(
    handler: &CommandHandler,
    namespace: Uuid,
    steps: impl Iterator<Item = (usize, Command, NaiveDate, DemoActor)>,
    load: &mut DemoLoad,
) -> Result<(), CommandError> {
    for (index, command, day, actor) in steps {
        let actor = match actor {
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
        let on = command.act_day().is_none().then_some(day);
        let mut metadata = CommandMetadata::new(actor, Utc::now()).on(on);
        metadata.command_id =
            Uuid::new_v5(&namespace, format!("{index}:{}", command.name()).as_bytes());
        metadata.correlation_id = metadata.command_id;
        let name = command.name();
        let executed = handler
            .execute(command, metadata, None)
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
    Ok(())
}
