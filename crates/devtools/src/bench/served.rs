//! A real `reform serve` as a child process on loopback, for the benchmarks that
//! watch the server from outside: its resident memory as the kernel counts it
//! (`/proc/<pid>/status`), what a deployment's monitoring would see.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use reform_domain::{AgencyId, Role};
use reform_gateway::{claims, Keys};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

/// The signing secret the benchmarks' servers run with.
const SECRET: &str = "the benchmarks' signing secret, long enough for HS256";

/// The `reform` binary: `given`, else the one beside `reform-dev` (a release build of
/// the workspace puts both in `target/release`).
pub fn reform_binary(given: Option<&Path>) -> Result<PathBuf> {
    let path = match given {
        Some(path) => path.to_path_buf(),
        None => std::env::current_exe()
            .context("finding reform-dev's own path")?
            .with_file_name("reform"),
    };
    if !path.is_file() {
        bail!(
            "no `reform` binary at {}: build it first (cargo build --release -p reform) or give --reform PATH",
            path.display()
        );
    }
    Ok(path)
}

/// Resident memory of a process, KiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory {
    /// Resident now (`VmRSS`).
    pub rss_kib: u64,
    /// The most it has been resident (`VmHWM`).
    pub peak_kib: u64,
    /// Of `rss_kib`, the process's own memory: heap, stacks, SQLite's caches
    /// (`RssAnon`). What a leak would grow.
    pub anon_kib: u64,
    /// Of `rss_kib`, pages of files mapped in: mostly the binary's code, faulted in as
    /// paths run for the first time, and shared, clean, given back under pressure
    /// (`RssFile`).
    pub file_kib: u64,
}

impl Memory {
    /// Of process `pid`, read from `/proc/<pid>/status`.
    pub fn of(pid: u32) -> Result<Memory> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .with_context(|| format!("reading /proc/{pid}/status"))?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
                .with_context(|| format!("no {name} in /proc/{pid}/status"))
        };
        Ok(Memory {
            rss_kib: field("VmRSS:")?,
            peak_kib: field("VmHWM:")?,
            anon_kib: field("RssAnon:")?,
            file_kib: field("RssFile:")?,
        })
    }
}

/// KiB as MiB.
pub fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// A `reform serve` child process on a free loopback port; killed when dropped.
pub struct ServedProcess {
    child: tokio::process::Child,
    pid: u32,
    /// The GraphQL endpoint.
    pub graphql: String,
    /// A client straight to loopback.
    pub http: reqwest::Client,
    keys: Keys,
}

impl ServedProcess {
    /// Starts `binary serve` on `database_url` in `dir` (the demo loaded into an
    /// empty store when `demo`), and waits until it says where it listens.
    pub async fn start(
        binary: &Path,
        database_url: &str,
        dir: &Path,
        demo: bool,
    ) -> Result<ServedProcess> {
        ServedProcess::start_with(binary, database_url, dir, demo, &[]).await
    }

    /// [`ServedProcess::start`] with more environment variables (its settings).
    pub async fn start_with(
        binary: &Path,
        database_url: &str,
        dir: &Path,
        demo: bool,
        settings: &[(&str, &str)],
    ) -> Result<ServedProcess> {
        let mut command = tokio::process::Command::new(binary);
        command.envs(settings.iter().copied());
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(if demo { None } else { Some("--no-demo") })
            .env("DATABASE_URL", database_url)
            .env("REFORM_JWT_SECRET", SECRET)
            .env("RUST_LOG", "warn")
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(
                std::fs::File::create(dir.join("serve.log")).context("creating serve.log")?,
            ))
            .kill_on_drop(true);
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {} serve", binary.display()))?;
        let pid = child.id().context("the server's process id")?;
        let stdout = child.stdout.take().context("the server's stdout")?;
        let (found, address) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let mut found = Some(found);
            // Read every line, so the server never writes to a closed pipe.
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(address) = line.strip_prefix("reform: GraphQL API on ") {
                    if let Some(found) = found.take() {
                        let _ = found.send(address.to_owned());
                    }
                }
            }
        });
        let graphql = tokio::time::timeout(Duration::from_secs(120), address)
            .await
            .context("the server did not start within two minutes (see serve.log)")?
            .context("the server stopped before it listened (see serve.log)")?;
        Ok(ServedProcess {
            child,
            pid,
            graphql,
            http: reqwest::Client::builder().no_proxy().build()?,
            keys: Keys::from_secret(SECRET.as_bytes()),
        })
    }

    /// The keys its tokens are signed with, for claims `token` does not make.
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The server's resident memory now.
    pub fn memory(&self) -> Result<Memory> {
        Memory::of(self.pid)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// A day's token for `role` (an officer's for `agency`).
    pub fn token(&self, role: Role, user: &str, agency: Option<AgencyId>) -> Result<String> {
        self.keys
            .issue(&claims(role, user, agency, None, 1))
            .map_err(|e| anyhow::anyhow!(e.message()))
    }

    /// Sends a query; the whole answer, which may carry `errors`.
    pub async fn post(&self, token: &str, query: &str, variables: Value) -> Result<Value> {
        let response = self
            .http
            .post(&self.graphql)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await?;
        Ok(response.json().await?)
    }

    /// Sends a query that must succeed; its `data`.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Result<Value> {
        let body = self.post(token, query, variables).await?;
        if body.get("errors").is_some() {
            bail!("the server refused a setup request: {body}");
        }
        Ok(body["data"].clone())
    }

    /// Stops the server.
    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// The UUID inside one of the API's opaque global ids (`Agency:<uuid>`, base64), for
/// an officer's token, which names its agency by UUID.
pub fn uuid_of(global_id: &Value) -> Result<uuid::Uuid> {
    let text = global_id.as_str().context("a global id is a string")?;
    let decoded = String::from_utf8(URL_SAFE_NO_PAD.decode(text)?)?;
    let (_, uuid) = decoded
        .split_once(':')
        .with_context(|| format!("{decoded} is not KIND:UUID"))?;
    Ok(uuid::Uuid::parse_str(uuid)?)
}
