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
        max_token_days: args.max_token_days,
        max_tables_lag: args.max_tables_lag,
        sockets: reform_gateway::SocketLimits {
            max_open: args.max_sockets as usize,
            max_per_peer: args.max_sockets_per_peer as usize,
            max_message_bytes: args.ws_max_message_bytes as usize,
            init_timeout: std::time::Duration::from_secs(args.ws_init_timeout_secs.into()),
            max_subscriptions: args.ws_max_subscriptions as usize,
        },
        rate_limit: std::num::NonZeroU32::new(args.rate_limit_per_second).map(|per_second| {
            reform_gateway::RateLimit {
                per_second,
                burst: std::num::NonZeroU32::new(args.rate_limit_burst)
                    .unwrap_or(std::num::NonZeroU32::MIN),
            }
        }),
        stream_cache: args.stream_cache,
    };
    reform_cli::serve::serve(database_url, args).await
}

/// `reform token`: prints a bearer token for a role (and an officer's agency, found by
/// its UUID or its name), signed with the secret `reform serve` uses; with `--link`, a
/// sign-in link to the web app carrying it. The store is
/// opened only to find an agency named by its name: a token needs only the secret.
pub(crate) async fn token(database_url: &str, args: TokenArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=args.max_token_days).contains(&args.days),
        "--days must be from 1 to {}: the server accepts no longer-lived token (REFORM_MAX_TOKEN_DAYS)",
        args.max_token_days
    );
    let agency = match &args.agency {
        Some(text) => match uuid::Uuid::parse_str(text.trim()) {
            Ok(id) => Some(reform_domain::AgencyId(id)),
            Err(_) => Some(Tracker::open(database_url).await?.agency(text).await?),
        },
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
    if args.link {
        println!(
            "{}",
            reform_cli::serve::sign_in_link(&args.base_url, &token)
        );
    } else {
        println!("{token}");
    }
    Ok(())
}
