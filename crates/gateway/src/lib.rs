//! The reform tracker's GraphQL gateway: the product's front door.
//!
//! **Reads come from memory, writes go through the command handler.** Each server
//! instance keeps a [`LiveView`] of the read-model following the log (so a client of
//! any instance sees what any other committed), answers queries from one snapshot per
//! request, and turns each mutation into one domain command whose actor is the token's.
//! A mutation answers only once the view has reached its own write.

// The layout follows the domain's areas: each area module holds its object types and,
// in submodules, its queries, mutations and subscriptions; `roots` only merges them.
// Below the areas: `scope` (the viewer's scope, time travel), `history`, `send`
// (sending a mutation's command), `relay` (ids, pages), `vocab` (codes and labels),
// `auth` and `error`. No object module imports a mutation module.
// The GraphQL types are published through the schema, not as Rust API.
mod access;
#[allow(unreachable_pub)]
mod agency;
#[allow(unreachable_pub)]
mod audit;
mod auth;
#[allow(unreachable_pub)]
mod document;
mod error;
#[allow(unreachable_pub)]
mod evaluation;
#[allow(unreachable_pub)]
mod history;
#[allow(unreachable_pub)]
mod indicator;
#[allow(unreachable_pub)]
mod jurisdiction;
mod limits;
mod loader;
mod metrics;
#[allow(unreachable_pub)]
mod node;
#[allow(unreachable_pub)]
mod progress;
#[allow(unreachable_pub)]
mod relay;
#[allow(unreachable_pub)]
mod roots;
#[allow(unreachable_pub)]
mod scope;
#[allow(unreachable_pub)]
mod send;
mod server;
mod session;
mod sockets;
#[allow(unreachable_pub)]
mod task;
#[allow(unreachable_pub)]
mod vocab;
mod web;

use async_graphql::Schema;

pub use auth::{claims, Claims, Keys, Viewer, DEFAULT_MAX_TOKEN_DAYS};
pub use error::ApiError;
pub use limits::RateLimit;
pub use roots::{MutationRoot, QueryRoot, SubscriptionRoot};
pub use scope::{Clock, Gateway};
pub use server::{start, Options, Running};
pub use sockets::SocketLimits;

/// The schema type.
pub type ApiSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Query depth allowed (the roll-up tree is five levels deep, with room for fields).
pub const MAX_DEPTH: usize = 16;
/// Query complexity allowed: every field counts, aliases and repeats included.
pub const MAX_COMPLEXITY: usize = 5_000;
/// What a field that folds the log up to an instant (`asOf`) counts towards
/// [`MAX_COMPLEXITY`]: the fold is the whole log's work, so a request holds at most
/// four of them.
pub const TIME_TRAVEL_COST: usize = 1_000;
/// What `compare` counts: two folds.
pub const COMPARE_COST: usize = 2_000;
/// What `verifyAudit` counts: a scan of the whole log, hashing every event.
pub const VERIFY_COST: usize = 2_500;
/// Directives allowed on one field.
pub const MAX_DIRECTIVES: usize = 4;

/// Builds the schema; `introspection: false` also turns field suggestions off.
pub fn schema(gateway: Option<Gateway>, introspection: bool) -> ApiSchema {
    let mut builder = Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .extension(error::ErrorLog)
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
    /// Every type, field, argument, input field and enum value the schema serves says
    /// what it is (introspection's `description`), so a dashboard builder never meets an
    /// unexplained name; the built-in scalars and introspection types aside.
    #[tokio::test]
    async fn every_name_in_the_schema_is_described() {
        let schema = super::schema(None, true);
        let query = r#"{ __schema { types {
            name kind description
            fields(includeDeprecated: true) { name description args { name description } }
            inputFields { name description }
            enumValues(includeDeprecated: true) { name description } } } }"#;
        let response = schema.execute(query).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let data = response.data.into_json().unwrap_or_default();
        let blank = |d: &serde_json::Value| d.as_str().is_none_or(|s| s.trim().is_empty());
        let mut missing = Vec::new();
        for t in data["__schema"]["types"].as_array().into_iter().flatten() {
            let name = t["name"].as_str().unwrap_or_default();
            if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name)
            {
                continue;
            }
            if blank(&t["description"]) {
                missing.push(format!("type {name}"));
            }
            for f in t["fields"].as_array().into_iter().flatten() {
                let field = f["name"].as_str().unwrap_or_default();
                if blank(&f["description"]) {
                    missing.push(format!("field {name}.{field}"));
                }
                for a in f["args"].as_array().into_iter().flatten() {
                    if blank(&a["description"]) {
                        missing.push(format!(
                            "argument {name}.{field}({})",
                            a["name"].as_str().unwrap_or_default()
                        ));
                    }
                }
            }
            for f in t["inputFields"].as_array().into_iter().flatten() {
                if blank(&f["description"]) {
                    missing.push(format!(
                        "input field {name}.{}",
                        f["name"].as_str().unwrap_or_default()
                    ));
                }
            }
            for v in t["enumValues"].as_array().into_iter().flatten() {
                if blank(&v["description"]) {
                    missing.push(format!(
                        "enum value {name}.{}",
                        v["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "{} without a description:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }

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
