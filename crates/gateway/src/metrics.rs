//! `/metrics`: what an operator scrapes (Prometheus text format). Per server
//! instance: HTTP requests by route and status and their latency, GraphQL errors by
//! code, open subscription sockets, and how far the read-model is behind the log.

use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: String,
}

fn latency_histogram() -> Histogram {
    // 0.5 ms … ~4 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

/// One instance's metrics.
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    errors: Family<CodeLabels, Counter>,
    sockets: Gauge,
    position: Gauge<u64, AtomicU64>,
    head: Gauge<u64, AtomicU64>,
    tables: Gauge<u64, AtomicU64>,
    tables_lag: Gauge<u64, AtomicU64>,
    tables_failures: Gauge<u64, AtomicU64>,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("reform");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route",
            latency.clone(),
        );
        let errors = Family::<CodeLabels, Counter>::default();
        registry.register(
            "graphql_errors",
            "GraphQL errors returned, by extensions.code",
            errors.clone(),
        );
        let sockets = Gauge::default();
        registry.register(
            "subscription_sockets",
            "WebSocket connections open for subscriptions",
            sockets.clone(),
        );
        let position = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "readmodel_position",
            "Last log position folded into this instance's read-model",
            position.clone(),
        );
        let head = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "store_head",
            "Last position committed to the event log, read at scrape time",
            head.clone(),
        );
        let tables = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "readmodel_tables_position",
            "The read-model tables' checkpoint, read at scrape time",
            tables.clone(),
        );
        let tables_lag = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "readmodel_tables_lag_events",
            "Events committed to the log and not yet in the read-model tables",
            tables_lag.clone(),
        );
        let tables_failures = Gauge::<u64, AtomicU64>::default();
        registry.register(
            "readmodel_tables_failures",
            "Times following the log into the tables failed and was resumed after a pause",
            tables_failures.clone(),
        );
        Metrics {
            registry,
            tables,
            tables_lag,
            tables_failures,
            requests,
            latency,
            errors,
            sockets,
            position,
            head,
        }
    }

    /// Counts a GraphQL error by its code.
    pub(crate) fn error(&self, code: &str) {
        self.errors
            .get_or_create(&CodeLabels { code: code.into() })
            .inc();
    }

    /// A subscription socket opened; dropping the guard counts it closed.
    pub(crate) fn socket(&self) -> SocketGuard {
        self.sockets.inc();
        SocketGuard(self.sockets.clone())
    }

    /// The text exposition, with the read-model's position, the log's head, and the
    /// read-model tables' checkpoint and failures (when this server keeps them).
    pub(crate) fn render(
        &self,
        position: u64,
        head: Option<u64>,
        tables: Option<u64>,
        tables_failures: u64,
    ) -> String {
        self.position.set(position);
        if let Some(head) = head {
            self.head.set(head);
        }
        if let Some(tables) = tables {
            self.tables.set(tables);
            if let Some(head) = head {
                self.tables_lag.set(head.saturating_sub(tables));
            }
        }
        self.tables_failures.set(tables_failures);
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}

/// Counts an open socket until dropped.
pub(crate) struct SocketGuard(Gauge);

impl Drop for SocketGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Middleware: counts and times every request by its route (not its raw path, so a
/// scanner cannot grow the label set).
pub(crate) async fn track(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    metrics
        .latency
        .get_or_create(&RouteLabels {
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route,
            method,
            status: response.status().as_u16(),
        })
        .inc();
    response
}
