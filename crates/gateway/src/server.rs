//! The HTTP side: routes, request checks (JSON only, batch limit, bearer token or
//! session cookie, rate limit), health, the web app's pages and sign-in, and the
//! background tasks that keep the read-models current.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::{BatchRequest, BatchResponse};
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use reform_commands::CommandHandler;
use reform_projections::queries::RewardRule;
use reform_projections::{LiveView, ReadDb, PROGRESS};
use reform_store::EventStore;
use serde_json::json;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::auth::Keys;
use crate::error::ApiError;
use crate::limits::{peer_key, Caller, RateLimit, RateLimiter};
use crate::loader::{Batched, Loader};
use crate::metrics::{track, Metrics};
use crate::scope::Clock;
use crate::sockets::{SocketLimits, Sockets};
use crate::{schema, ApiSchema, Gateway};

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Options {
    /// Serve the schema's introspection (and field suggestions).
    pub introspection: bool,
    /// Serve GraphiQL at `/graphiql`.
    pub graphiql: bool,
    /// Origins allowed by CORS (none: browsers on other origins are refused).
    pub cors_origins: Vec<String>,
    /// Most operations in one batched request.
    pub max_batch: usize,
    /// Largest request body, bytes.
    pub body_limit: usize,
    /// Where "now" comes from (the system clock unless a test fixes it).
    pub clock: Clock,
    /// PAR INDEX bands for results whose jurisdiction has no scheme on record, nor
    /// the nation (none by default: such results are unbanded).
    pub fallback_bands: Vec<reform_projections::queries::Band>,
    /// How many events the read-model tables may lag behind the log before `/readyz`
    /// says not ready.
    pub max_tables_lag: u64,
    /// The bounds on subscription sockets.
    pub sockets: SocketLimits,
    /// Requests to `/graphql` per caller (a token's user, or an address without a
    /// valid token); none: unlimited.
    pub rate_limit: Option<RateLimit>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            introspection: true,
            graphiql: true,
            cors_origins: Vec::new(),
            max_batch: 10,
            body_limit: 1 << 20,
            clock: Clock::system(),
            fallback_bands: Vec::new(),
            max_tables_lag: 10_000,
            sockets: SocketLimits::default(),
            rate_limit: None,
        }
    }
}

pub(crate) struct AppState {
    schema: ApiSchema,
    pub(crate) keys: Keys,
    live: Arc<LiveView>,
    store: Arc<dyn EventStore>,
    pub(crate) options: Options,
    pub(crate) metrics: Arc<Metrics>,
    /// The read-model tables, when this server keeps them.
    tables: Option<ReadDb>,
    /// How many times following the tables failed (and was resumed).
    tables_failures: Arc<std::sync::atomic::AtomicU64>,
    /// Whether writes are failing for now.
    writes: Arc<crate::scope::WriteHealth>,
    /// The subscription sockets open.
    sockets: Arc<Sockets>,
    /// Requests per caller, when limited.
    pub(crate) limiter: Option<Arc<RateLimiter>>,
}

/// How long subscription sockets get, on shutdown, to be sent their close frame.
const SOCKETS_GRACE: Duration = Duration::from_secs(5);

/// The background work of a running server.
pub struct Running {
    /// The read-model the server answers from.
    pub live: Arc<LiveView>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    sockets: Arc<Sockets>,
}

impl Running {
    /// Closes the subscription sockets (1001, "going away"; each gets a few seconds to
    /// be told), then stops following the log and waits for the tasks to end.
    pub async fn stop(self) {
        self.sockets.close_all(SOCKETS_GRACE).await;
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Loads the read-model (from the tables when given, which a leased follower then
/// keeps current) and starts following the log; returns the routes and the tasks.
pub async fn start(
    handler: CommandHandler,
    tables: Option<ReadDb>,
    keys: Keys,
    options: Options,
) -> Result<(Router, Running), ApiError> {
    let store = handler.store().clone();
    let live = LiveView::load(store.clone(), tables.as_ref()).await?;
    live.catch_up().await?;
    let (stop, stopped) = watch::channel(false);
    let mut tasks = vec![tokio::spawn(live.clone().run(stopped.clone()))];
    let tables_failures = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let writes = Arc::new(crate::scope::WriteHealth::default());
    if let Some(db) = tables.clone() {
        tasks.push(tokio::spawn(reform_projections::follow_for_ever(
            store.clone(),
            db,
            stopped.clone(),
            Arc::new(std::sync::atomic::AtomicU64::new(0)),
            tables_failures.clone(),
        )));
    }
    let limiter = options
        .rate_limit
        .map(|limit| Arc::new(RateLimiter::new(limit)));
    if let Some(limiter) = limiter.clone() {
        tasks.push(tokio::spawn(forget_idle_callers(limiter, stopped.clone())));
    }
    let sockets = Sockets::new(options.sockets.clone());
    let gateway = Gateway {
        handler,
        live: live.clone(),
        bands: options.fallback_bands.clone(),
        reward_rule: RewardRule::default(),
        clock: options.clock.clone(),
        folds: crate::scope::Folds::default(),
        writes: writes.clone(),
    };
    let state = Arc::new(AppState {
        schema: schema(Some(gateway), options.introspection),
        keys,
        live: live.clone(),
        store,
        options,
        metrics: Arc::new(Metrics::new()),
        tables,
        tables_failures,
        writes,
        sockets: sockets.clone(),
        limiter,
    });
    Ok((
        router(state),
        Running {
            live,
            stop,
            tasks,
            sockets,
        },
    ))
}

/// Forgets, every minute, the callers whose buckets have filled again, so the rate
/// limiter holds only recent callers.
async fn forget_idle_callers(limiter: Arc<RateLimiter>, mut stopped: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(crate::limits::FORGET_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => limiter.forget_idle(),
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

fn router(state: Arc<AppState>) -> Router {
    let mut routes = Router::new()
        .route("/graphql", post(graphql).get(websocket))
        .route("/livez", get(livez))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/session", post(crate::session::sign_in))
        .route("/session/sign-out", post(crate::session::sign_out))
        .merge(crate::web::routes());
    if state.options.graphiql {
        routes = routes.route("/graphiql", get(crate::web::graphiql));
    }
    let origins: Vec<HeaderValue> = state
        .options
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .max_age(Duration::from_secs(600));
    let body_limit = state.options.body_limit;
    let tracked = state.metrics.clone();
    routes
        .route_layer(axum::middleware::from_fn_with_state(tracked, track))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(cors)
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %id,
                    )
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// A GraphQL-shaped error outside execution (bad transport, no token, too many
/// requests), with `Retry-After` when the error says when to come back.
pub(crate) fn refuse(status: StatusCode, error: ApiError) -> Response {
    let mut extensions = json!({ "code": error.code() });
    if let Some(seconds) = error.retry_after_secs() {
        extensions["retryAfter"] = json!(seconds);
    }
    let mut response = (
        status,
        Json(json!({
            "errors": [{ "message": error.message(), "extensions": extensions }]
        })),
    )
        .into_response();
    if let Some(seconds) = error.retry_after_secs() {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The peer's address, when the server was started with connection info (`reform
/// serve` is).
pub(crate) type Peer = Option<Extension<ConnectInfo<SocketAddr>>>;

pub(crate) fn peer_address(peer: Peer) -> std::net::IpAddr {
    peer_key(peer.map(|Extension(ConnectInfo(address))| address))
}

async fn graphql(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let refuse = |status: StatusCode, error: ApiError| {
        state.metrics.error(error.code());
        refuse(status, error)
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    // A browser signed in sends its session cookie instead of a header.
    let session = match token {
        Some(_) => None,
        None => crate::session::cookie_token(&headers),
    };
    let viewer = match (token, &session) {
        (Some(token), _) => Some(state.keys.verify(token.trim())),
        (None, Some(cookie)) => Some(crate::session::verify(&state.keys, cookie)),
        (None, None) => None,
    };
    // Counted before any work: against the token's user, or the address when there is
    // no valid token.
    if let Some(limiter) = &state.limiter {
        let caller = match &viewer {
            Some(Ok(viewer)) => Caller::User(viewer.actor.user_id.clone()),
            _ => Caller::Address(peer_address(peer)),
        };
        if let Err(error) = limiter.check(&caller) {
            return refuse(StatusCode::TOO_MANY_REQUESTS, error);
        }
    }
    // JSON only: text/plain, form and multipart bodies are what a browser may send
    // cross-site without a CORS preflight.
    if !is_json(&headers) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::bad_input(
                "Content-Type",
                "send the request as Content-Type: application/json",
            ),
        );
    }
    // A cookie rides along whatever page sent the request: only this server's pages
    // (and allowed origins) may use it.
    if session.is_some() && !crate::session::origin_allowed(&headers, &state.options.cors_origins) {
        return refuse(
            StatusCode::FORBIDDEN,
            ApiError::Forbidden(
                "a signed-in session is used only by this server's pages and allowed origins"
                    .into(),
            ),
        );
    }
    let viewer = match viewer {
        Some(Ok(viewer)) => viewer,
        Some(Err(error)) => return refuse(StatusCode::UNAUTHORIZED, error),
        None => {
            return refuse(
                StatusCode::UNAUTHORIZED,
                ApiError::Unauthenticated(
                    "send a bearer token (Authorization: Bearer …; `reform token` prints one) or sign in with a link (`reform token --link`)"
                        .into(),
                ),
            )
        }
    };
    let request: BatchRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                ApiError::bad_input("body", format!("not a GraphQL request: {e}")),
            )
        }
    };
    if let BatchRequest::Batch(operations) = &request {
        if operations.len() > state.options.max_batch {
            return refuse(
                StatusCode::BAD_REQUEST,
                ApiError::bad_input(
                    "body",
                    format!(
                        "a batch may hold at most {} operations",
                        state.options.max_batch
                    ),
                ),
            );
        }
    }
    let loader = Loader::batched(state.store.clone());
    let request = request
        .data(viewer)
        .data(state.live.snapshot())
        .data(loader.clone());
    let mut response = Batched::new(state.schema.execute_batch(request), loader).await;
    match &mut response {
        BatchResponse::Single(one) => coded(one, &state.metrics),
        BatchResponse::Batch(many) => many.iter_mut().for_each(|r| coded(r, &state.metrics)),
    }
    // A request that failed only because the service cannot answer now is a 503 with
    // Retry-After, so that clients and proxies back off; anything else is a 200 with
    // its errors, as GraphQL has it.
    if let BatchResponse::Single(one) = &response {
        if let Some(seconds) = retry_after(one) {
            let mut answer = (StatusCode::SERVICE_UNAVAILABLE, Json(response)).into_response();
            answer
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
            return answer;
        }
    }
    Json(response).into_response()
}

/// Whether the body is declared JSON (`application/json`, any parameters).
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"))
}

/// The `retryAfter` of a response whose every error is `UNAVAILABLE`.
fn retry_after(response: &async_graphql::Response) -> Option<u64> {
    let mut longest = None;
    for error in &response.errors {
        let extensions = error.extensions.as_ref()?;
        match (extensions.get("code"), extensions.get("retryAfter")) {
            (
                Some(async_graphql::Value::String(code)),
                Some(async_graphql::Value::Number(seconds)),
            ) if code == "UNAVAILABLE" => {
                longest = longest.max(seconds.as_u64());
            }
            _ => return None,
        }
    }
    longest
}

/// Errors raised before execution (syntax, validation, depth and complexity limits)
/// carry no code of ours: they are the request's fault.
fn coded(response: &mut async_graphql::Response, metrics: &Metrics) {
    for error in &mut response.errors {
        crate::error::bounded(&mut error.message);
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_USER_INPUT");
        }
        match extensions.get("code") {
            Some(async_graphql::Value::String(code)) => metrics.error(code),
            _ => metrics.error("BAD_USER_INPUT"),
        }
    }
}

/// The one WebSocket protocol served.
const WS_PROTOCOL: &str = "graphql-transport-ws";

/// Subscriptions over `graphql-transport-ws`: the Origin must be allowed (a browser on
/// another site may not ride the user's network position), the server and the peer
/// must have a socket to spare, and the token comes in `connection_init`
/// (`{"Authorization": "Bearer …"}`), else from the session cookie of the upgrade
/// request; see [`crate::sockets`] for the rest of its life.
async fn websocket(
    State(state): State<Arc<AppState>>,
    peer: Peer,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let refuse = |status: StatusCode, error: ApiError| {
        state.metrics.error(error.code());
        refuse(status, error)
    };
    if !crate::session::origin_allowed(&headers, &state.options.cors_origins) {
        let origin = headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .unwrap_or_default();
        return refuse(
            StatusCode::FORBIDDEN,
            ApiError::Forbidden(format!("origin {origin} may not open subscriptions")),
        );
    }
    let offered = headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|p| p.to_str().ok())
        .unwrap_or_default();
    if !offered.split(',').any(|p| p.trim() == WS_PROTOCOL) {
        return refuse(
            StatusCode::BAD_REQUEST,
            ApiError::bad_input(
                "Sec-WebSocket-Protocol",
                format!("subscriptions speak {WS_PROTOCOL}"),
            ),
        );
    }
    // Refused before the upgrade, so a refused client holds nothing.
    let slot = match state.sockets.claim(peer_address(peer)) {
        Ok(slot) => slot,
        Err(error) => {
            let status = match error {
                ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            return refuse(status, error);
        }
    };
    let session = crate::sockets::Session {
        schema: state.schema.clone(),
        keys: state.keys.clone(),
        cookie: crate::session::cookie_token(&headers),
        store: state.store.clone(),
        slot,
        open: state.metrics.socket(),
    };
    let largest = state.sockets.limits().max_message_bytes;
    upgrade
        .protocols([WS_PROTOCOL])
        .max_message_size(largest)
        .max_frame_size(largest)
        .on_upgrade(move |socket| crate::sockets::serve(socket, session))
}

/// Prometheus metrics; like the health routes, open without a token (serve it on an
/// address only the monitoring network reaches).
async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let head = state.store.head().await.ok();
    let tables = tables_checkpoint(&state).await;
    let failures = state
        .tables_failures
        .load(std::sync::atomic::Ordering::Relaxed);
    let body = state
        .metrics
        .render(state.live.snapshot().position, head, tables, failures);
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

async fn livez() -> &'static str {
    "ok\n"
}

/// The read-model tables' checkpoint, when this server keeps tables and the database
/// answers within a second.
async fn tables_checkpoint(state: &AppState) -> Option<u64> {
    let db = state.tables.as_ref()?;
    tokio::time::timeout(Duration::from_secs(1), db.checkpoint(PROGRESS))
        .await
        .ok()?
        .ok()
}

/// Ready when the store answers, the in-memory read-model has reached its head, and
/// the read-model tables (when kept) are within `max_tables_lag` events of it.
async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    let head = tokio::time::timeout(Duration::from_secs(1), state.store.head())
        .await
        .unwrap_or_else(|_| {
            Err(reform_store::StoreError::Engine(
                "no answer within a second".into(),
            ))
        });
    let head = match head {
        Ok(head) => head,
        Err(error) => {
            tracing::warn!(%error, "readiness: the event store does not answer");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "store unreachable" })),
            )
                .into_response();
        }
    };
    let caught_up = state.live.wait_for(head, Duration::from_millis(500)).await;
    let position = state.live.snapshot().position;
    let tables = match &state.tables {
        None => None,
        Some(_) => Some(tables_checkpoint(&state).await),
    };
    let tables_lag = tables.map(|t| t.map(|t| head.saturating_sub(t)));
    let failing = state.writes.failing();
    let word = match tables_lag {
        _ if failing.is_some() => "writes failing",
        _ if !caught_up => "catching up",
        Some(None) => "read-model tables unreachable",
        Some(Some(lag)) if lag > state.options.max_tables_lag => "read-model tables behind",
        _ => "ready",
    };
    let status = if word == "ready" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": word, "position": position, "head": head,
            "tables": tables.flatten(), "tablesLag": tables_lag.flatten(),
            "writesFailing": failing,
        })),
    )
        .into_response()
}
