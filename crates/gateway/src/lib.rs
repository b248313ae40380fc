//! The reform tracker's GraphQL gateway: the product's front door.
//!
//! **Reads come from memory, writes go through the command handler.** Each server
//! instance keeps a [`LiveView`] of the read-model following the log (so a client of
//! any instance sees what any other committed), answers queries from one snapshot per
//! request, and turns each mutation into one domain command whose actor is the token's.
//! A mutation answers only once the view has reached its own write.

#[allow(unreachable_pub)]
mod audit;
mod auth;
#[allow(unreachable_pub)]
mod bands;
mod error;
#[allow(unreachable_pub)]
mod evaluations;
mod loader;
mod metrics;
// The GraphQL types are published through the schema, not as Rust API.
#[allow(unreachable_pub)]
mod mutation;
#[allow(unreachable_pub)]
mod query;
#[allow(unreachable_pub)]
mod records;
#[allow(unreachable_pub)]
mod relay;
mod server;
#[allow(unreachable_pub)]
mod subscription;
#[allow(unreachable_pub)]
mod tables;
#[allow(unreachable_pub)]
mod types;
#[allow(unreachable_pub)]
mod vocab;

use std::sync::Arc;

use async_graphql::Schema;
use reform_projections::queries::{Band, RewardRule};
use reform_projections::LiveView;
use reform_store::CommandHandler;

pub use auth::{claims, Claims, Keys, Viewer};
pub use error::ApiError;
pub use mutation::MutationRoot;
pub use query::QueryRoot;
pub use server::{start, Options, Running};
pub use subscription::SubscriptionRoot;

/// The schema type.
pub type ApiSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// What every resolver shares.
pub struct Gateway {
    /// Runs commands.
    pub handler: CommandHandler,
    /// The read-model in memory.
    pub live: Arc<LiveView>,
    /// PAR INDEX bands.
    pub bands: Vec<Band>,
    /// The emulation-reward rule of the accountability view.
    pub reward_rule: RewardRule,
}

/// Query depth allowed (the roll-up tree is five levels deep, with room for fields).
pub const MAX_DEPTH: usize = 16;
/// Query complexity allowed: every field counts, aliases and repeats included.
pub const MAX_COMPLEXITY: usize = 5_000;
/// Directives allowed on one field.
pub const MAX_DIRECTIVES: usize = 4;

/// Builds the schema; `introspection: false` also turns field suggestions off.
pub fn schema(gateway: Option<Gateway>, introspection: bool) -> ApiSchema {
    let mut builder = Schema::build(QueryRoot, MutationRoot::default(), SubscriptionRoot)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_directives(MAX_DIRECTIVES);
    if !introspection {
        builder = builder.disable_introspection().disable_suggestions();
    }
    if let Some(gateway) = gateway {
        builder = builder.data(gateway);
    }
    builder.finish()
}

/// The schema's SDL, as committed in `schema/schema.graphql`.
pub fn sdl() -> String {
    schema(None, true).sdl()
}

#[cfg(test)]
mod tests {
    /// The committed SDL is the served one. `UPDATE_SCHEMAS=1 cargo test -p
    /// reform-gateway` rewrites it after a deliberate change.
    #[test]
    fn the_committed_sdl_is_the_served_one() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema/schema.graphql");
        let served = super::sdl();
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &served).expect("writing schema/schema.graphql");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == served,
            "schema/schema.graphql differs from the served schema; run UPDATE_SCHEMAS=1 cargo test -p reform-gateway"
        );
    }
}
