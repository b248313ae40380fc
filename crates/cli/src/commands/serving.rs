//! Opening the API: `reform serve`, and `reform token` for the people who call it.

use crate::args::{ServeArgs, TokenArgs};
use crate::commands::Tracker;

/// `reform serve`: the GraphQL API on the store at `database_url` until stopped. It
/// opens the store itself (and loads the demo into an empty one unless told not to).
pub(crate) async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let args = reform_cli::serve::ServeArgs {
        listen: args.listen,
        demo: !args.no_demo,
        production: args.production,
        cors_origins: args.cors_origins,
        secret: args.jwt_secret,
    };
    reform_cli::serve::serve(database_url, args).await
}

/// `reform token`: prints a bearer token for a role (and an officer's agency, found by
/// its UUID or its name), signed with the secret `reform serve` uses.
pub(crate) async fn token(tracker: &Tracker, args: TokenArgs) -> anyhow::Result<()> {
    let agency = match &args.agency {
        Some(text) => Some(tracker.agency(text).await?),
        None => None,
    };
    let token = reform_cli::serve::token(
        args.role,
        &args.user,
        agency,
        args.jurisdiction,
        args.days,
        args.jwt_secret.as_deref(),
    )?;
    println!("{token}");
    Ok(())
}
