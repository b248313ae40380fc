//! `reform serve` and `reform token`: the GraphQL API on a store, and the tokens that
//! open it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use reform_commands::CommandHandler;
use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Keys, Options};
use reform_projections::ReadDb;

use crate::demo;

/// Where the development secret is kept when `REFORM_JWT_SECRET` is unset.
pub const DEV_SECRET_FILE: &str = ".reform-jwt-secret";

/// The signing secret: `REFORM_JWT_SECRET` when set (production), else a development
/// secret generated once into `file` (readable by the owner only) and reused, so that
/// `reform token` and `reform serve` agree. Returns the keys and whether the secret is
/// the development one.
pub fn signing_keys(from_env: Option<&str>, file: &Path) -> anyhow::Result<(Keys, bool)> {
    if let Some(secret) = from_env {
        anyhow::ensure!(
            secret.len() >= 32,
            "REFORM_JWT_SECRET must be at least 32 characters"
        );
        return Ok((Keys::from_secret(secret.as_bytes()), false));
    }
    let secret = match std::fs::read_to_string(file) {
        Ok(secret) if secret.trim().len() >= 32 => secret.trim().to_owned(),
        _ => {
            let secret = format!(
                "{}{}",
                uuid::Uuid::new_v4().simple(),
                uuid::Uuid::new_v4().simple()
            );
            write_private(file, &secret)
                .with_context(|| format!("writing the development secret to {}", file.display()))?;
            secret
        }
    };
    Ok((Keys::from_secret(secret.as_bytes()), true))
}

/// Writes the secret to `file`, readable by its owner only (on Unix).
fn write_private(file: &Path, secret: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(file)?.write_all(secret.as_bytes())
}

/// Prints a status line; a closed stdout must not bring the server down.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// How `reform serve` runs.
#[derive(Clone, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Load the demo when the store is empty.
    pub demo: bool,
    /// Production: no introspection, no suggestions, no GraphiQL.
    pub production: bool,
    /// CORS allow-list.
    pub cors_origins: Vec<String>,
    /// `REFORM_JWT_SECRET`.
    pub secret: Option<String>,
    /// The longest a token may live, in days.
    pub max_token_days: i64,
    /// The read-model tables' lag beyond which /readyz says not ready, in events.
    pub max_tables_lag: u64,
    /// The bounds on subscription sockets.
    pub sockets: reform_gateway::SocketLimits,
    /// Requests per caller to /graphql; none: unlimited.
    pub rate_limit: Option<reform_gateway::RateLimit>,
    /// Streams the command handler remembers the state of, at most.
    pub stream_cache: usize,
}

/// Serves the API until Ctrl-C or SIGTERM, then shuts down gracefully.
pub async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        !args.production || args.secret.is_some(),
        "--production needs REFORM_JWT_SECRET (at least 32 characters): a production server never runs on the development secret"
    );
    anyhow::ensure!(
        args.max_token_days >= 1,
        "--max-token-days must be at least 1"
    );
    let store = reform_store::open(database_url).await?;
    let handler = CommandHandler::with_stream_cache(store, args.stream_cache);
    if args.demo && handler.store().head().await? == 0 {
        let load = demo::load_demo(&handler)
            .await
            .context("loading the demo")?;
        say!("empty store: demo loaded ({} commands)", load.executed);
    }
    let (keys, development) =
        signing_keys(args.secret.as_deref(), &PathBuf::from(DEV_SECRET_FILE))?;
    let keys = keys.with_max_lifetime_days(args.max_token_days);
    let tables = ReadDb::connect(database_url).await?;
    let options = Options {
        introspection: !args.production,
        graphiql: !args.production,
        cors_origins: args.cors_origins.clone(),
        max_tables_lag: args.max_tables_lag,
        sockets: args.sockets.clone(),
        rate_limit: args.rate_limit,
        ..Options::default()
    };
    let (router, running) = reform_gateway::start(handler, Some(tables), keys.clone(), options)
        .await
        .map_err(|e| anyhow::anyhow!("starting the gateway: {}", e.message()))?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    say!("reform: GraphQL API on http://{address}/graphql");
    // What a browser on this machine reaches (a wildcard address is not one to visit).
    let mut visible = address;
    if visible.ip().is_unspecified() {
        visible.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let base = format!("http://{visible}");
    say!("reform: web app on {base}/");
    if !args.production {
        say!("reform: GraphiQL on {base}/graphiql");
    }
    if development {
        say!(
            "reform: REFORM_JWT_SECRET is unset; using the development secret in {DEV_SECRET_FILE}"
        );
        let days = args.max_token_days.min(30);
        let leader = keys.issue(&claims(Role::Leader, "lanh-dao", None, None, days));
        if let Ok(token) = leader {
            say!("reform: a leader's token for trying it out ({days} days):\n  Authorization: Bearer {token}");
        }
        let demo_leader = keys.issue(&claims(
            Role::Leader,
            DEMO_LEADER,
            None,
            Some(DEMO_PROVINCE.to_owned()),
            days,
        ));
        if let Ok(token) = demo_leader {
            say!(
                "reform: sign in to the web app as a leader of Hà Nội ({days} days):\n  {}",
                sign_in_link(&base, &token)
            );
        }
    }
    say!("reform: more tokens with `reform token --role leader|secretariat|officer|auditor [--agency ID] [--link]`");
    // With each peer's address: subscription sockets and rate limits count by it.
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("serving")?;
    // Upgraded sockets outlive the HTTP shutdown: they are told to close (1001) here.
    running.stop().await;
    say!("reform: stopped");
    Ok(())
}

/// The user `serve`'s demo sign-in link signs in: a leader of [`DEMO_PROVINCE`].
pub const DEMO_LEADER: &str = "lanh-dao-ha-noi";
/// The province of the demo leader: Hà Nội, whose Hoài Đức plan the demo follows.
pub const DEMO_PROVINCE: &str = "VN-HN";

/// The web app's sign-in link for `token` on the server at `base` (`http://host:port`):
/// the token rides in the fragment, which browsers never send, so it stays out of
/// every server's and proxy's logs.
pub fn sign_in_link(base: &str, token: &str) -> String {
    format!("{}/sign-in#token={token}", base.trim_end_matches('/'))
}

/// Resolves on Ctrl-C or SIGTERM: when `reform serve` and `reform follow` stop.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}

/// A token for `role`, signed with the same secret `reform serve` uses.
pub fn token(
    role: Role,
    user: &str,
    agency: Option<AgencyId>,
    jurisdiction: Option<String>,
    days: i64,
    secret: Option<&str>,
) -> anyhow::Result<String> {
    anyhow::ensure!(
        role != Role::System,
        "tokens are for people, not the system role"
    );
    anyhow::ensure!(
        role != Role::Officer || agency.is_some(),
        "an officer's token needs --agency (the officer's agency)"
    );
    let (keys, _) = signing_keys(secret, &PathBuf::from(DEV_SECRET_FILE))?;
    keys.issue(&claims(role, user, agency, jurisdiction, days))
        .map_err(|e| anyhow::anyhow!(e.message()))
}
