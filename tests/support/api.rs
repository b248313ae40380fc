//! A real gateway on loopback, and a client that speaks GraphQL over HTTP to it.

use reform_commands::CommandHandler;
use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Keys, Options, Running};
use reform_projections::ReadDb;
use serde_json::{json, Value};

use super::stores::TestStore;

/// A gateway serving a test store on 127.0.0.1, on a port of its own.
pub struct ApiServer {
    pub url: String,
    pub keys: Keys,
    pub http: reqwest::Client,
    running: Option<Running>,
    server: tokio::task::JoinHandle<()>,
}

impl ApiServer {
    pub async fn start(t: &TestStore, options: Options) -> ApiServer {
        Self::start_on(t.store.clone(), t, options).await
    }

    /// A second instance: its own store connection on the same database, as another
    /// process would have.
    pub async fn another(t: &TestStore, options: Options) -> ApiServer {
        Self::start_on(t.reopen().await, t, options).await
    }

    async fn start_on(
        store: std::sync::Arc<dyn reform_store::EventStore>,
        t: &TestStore,
        options: Options,
    ) -> ApiServer {
        let handler = CommandHandler::new(store);
        let tables = ReadDb::connect(&t.url).await.expect("read-model tables");
        let keys = Keys::from_secret(b"the test secret, long enough for HS256");
        let (router, running) = reform_gateway::start(handler, Some(tables), keys.clone(), options)
            .await
            .map_err(|e| e.message())
            .expect("gateway starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serving");
        });
        ApiServer {
            url: format!("http://{address}"),
            keys,
            // Straight to loopback, whatever proxy the environment names.
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("an HTTP client"),
            running: Some(running),
            server,
        }
    }

    /// A token for `role` (officers name their agency), valid for a day.
    pub fn token(&self, role: Role, user: &str, agency: Option<AgencyId>) -> String {
        self.keys
            .issue(&claims(role, user, agency, None, 1))
            .map_err(|e| e.message())
            .expect("token")
    }

    /// POSTs a query; returns the HTTP status and the JSON body.
    pub async fn post(&self, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut request = self
            .http
            .post(format!("{}/graphql", self.url))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// Runs a query that must succeed; returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self
            .post(
                Some(token),
                json!({ "query": query, "variables": variables }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Runs a query that must fail; returns the first error's code and the error.
    pub async fn error(&self, token: &str, query: &str, variables: Value) -> (String, Value) {
        let (_, body) = self
            .post(
                Some(token),
                json!({ "query": query, "variables": variables }),
            )
            .await;
        let error = body["errors"][0].clone();
        assert!(!error.is_null(), "expected an error: {body}");
        (
            error["extensions"]["code"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
            error,
        )
    }

    pub async fn stop(mut self) {
        self.server.abort();
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }
}
