//! `reform` as separate processes, as deployments run it: one-shot commands, and
//! `reform serve` instances on loopback that die with the test.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Keys};
use serde_json::{json, Value};

pub const SECRET: &str = "the multi-process test secret, long enough for HS256";

/// Runs `reform` to completion on a database: exit code, stdout, stderr.
pub fn reform(database_url: &str, dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_reform"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("REFORM_JWT_SECRET", SECRET)
        .current_dir(dir)
        .output()
        .expect("running reform");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `reform serve` process on loopback; killed when dropped.
pub struct Served {
    child: Child,
    /// The GraphQL endpoint's URL.
    pub graphql: String,
    /// A client straight to loopback.
    pub http: reqwest::Client,
    /// Every line the server has printed so far.
    pub printed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Served {
    pub async fn start(database_url: &str, dir: &Path) -> Served {
        Self::start_with(database_url, dir, &[]).await
    }

    /// A server started with extra `serve` flags.
    pub async fn start_with(database_url: &str, dir: &Path, flags: &[&str]) -> Served {
        Self::spawn(database_url, dir, flags, Some(SECRET)).await
    }

    /// A server as a developer first runs it: no `REFORM_JWT_SECRET`, so it makes its
    /// development secret in `dir` and prints tokens and the demo sign-in link.
    pub async fn start_development(database_url: &str, dir: &Path) -> Served {
        Self::spawn(database_url, dir, &[], None).await
    }

    async fn spawn(database_url: &str, dir: &Path, flags: &[&str], secret: Option<&str>) -> Served {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reform"));
        command
            .args(["serve", "--listen", "127.0.0.1:0", "--no-demo"])
            .args(flags)
            .env("DATABASE_URL", database_url)
            .env_remove("REFORM_JWT_SECRET");
        if let Some(secret) = secret {
            command.env("REFORM_JWT_SECRET", secret);
        }
        let mut child = command
            .env("RUST_LOG", "warn")
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(
                std::fs::File::create(dir.join(format!("serve-{}.log", uuid::Uuid::new_v4())))
                    .map_or_else(|_| Stdio::null(), Stdio::from),
            )
            .spawn()
            .expect("starting reform serve");
        let stdout = child.stdout.take().expect("stdout");
        let (found, address) = tokio::sync::oneshot::channel();
        let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = printed.clone();
        std::thread::spawn(move || {
            let mut found = Some(found);
            // Read every line, so the server never writes to a closed pipe.
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                lines
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(line.clone());
                if let Some(address) = line.strip_prefix("reform: GraphQL API on ") {
                    if let Some(found) = found.take() {
                        let _ = found.send(address.to_owned());
                    }
                }
            }
        });
        let graphql = tokio::time::timeout(std::time::Duration::from_secs(60), address)
            .await
            .expect("the server starts within a minute")
            .expect("the server says where it listens");
        Served {
            child,
            graphql,
            http: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("an HTTP client"),
            printed,
        }
    }

    /// The server's address, `http://127.0.0.1:PORT`, as a browser reaches it.
    pub fn base(&self) -> String {
        self.graphql.trim_end_matches("/graphql").to_owned()
    }

    /// Sends a query; returns the whole body.
    pub async fn post(&self, token: &str, query: &str, variables: Value) -> Value {
        self.http
            .post(&self.graphql)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers")
            .json()
            .await
            .expect("a JSON body")
    }

    /// Sends a query that must succeed; returns `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.post(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }
}

impl Served {
    /// Sends SIGTERM, as a service manager stopping the server does.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(status.success(), "kill -TERM {}", self.child.id());
    }

    /// The process's exit status once it has exited, waiting up to `within`.
    pub async fn exited(&mut self, within: std::time::Duration) -> std::process::ExitStatus {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server's status") {
                return status;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "reform serve did not exit within {within:?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn token(role: Role, user: &str, agency: Option<AgencyId>) -> String {
    Keys::from_secret(SECRET.as_bytes())
        .issue(&claims(role, user, agency, None, 1))
        .map_err(|e| e.message())
        .expect("a token")
}
