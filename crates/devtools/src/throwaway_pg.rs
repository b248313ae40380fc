//! A throwaway PostgreSQL cluster from the machine's own packages, for the tests and
//! for `reform-dev bench` on a machine with no server running.
//!
//! [`throwaway_database`] starts a private cluster lazily, once per process (initdb +
//! pg_ctl on a temporary directory and a free loopback port, as the `postgres` OS user
//! when we are root; PostgreSQL is installed with apt-get if missing), and a detached
//! watchdog stops and deletes it when the process exits.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use sqlx::{Connection, PgConnection};

/// TCP port of this process's throwaway cluster, or why it could not be started.
static CLUSTER: OnceLock<Result<u16, String>> = OnceLock::new();

/// A private cluster of one's own, which a fault test may stop and start again (the
/// shared one of [`throwaway_database`] serves every other test and must stay up).
/// Stopped and deleted when the process exits, like the shared one.
pub struct Cluster {
    root: bool,
    pg_ctl: String,
    data: String,
    log: String,
    options: String,
    dir: String,
    /// Its TCP port on 127.0.0.1.
    pub port: u16,
}

impl Cluster {
    /// Initialises and starts a new cluster.
    pub fn start_new() -> Result<Cluster> {
        start_cluster_at()
    }

    /// The URL of a new database `name` on it.
    pub async fn database(&self, name: &str) -> Result<String> {
        create_database(
            &format!("postgres://postgres@127.0.0.1:{}/postgres", self.port),
            name,
        )
        .await
    }

    /// Stops the server at once, as a crash or an operator would (`-m immediate`).
    pub fn stop(&self) -> Result<()> {
        let stop = [
            self.pg_ctl.as_str(),
            "-D",
            &self.data,
            "stop",
            "-m",
            "immediate",
        ];
        run(&self.dir, &as_postgres(self.root, &stop))
    }

    /// Starts the server again on the same port and data.
    pub fn start(&self) -> Result<()> {
        let start = [
            self.pg_ctl.as_str(),
            "-D",
            &self.data,
            "-l",
            &self.log,
            "-w",
            "-t",
            "60",
            "-o",
            &self.options,
            "start",
        ];
        run(&self.dir, &as_postgres(self.root, &start))
    }
}

/// Creates the database `name` on this process's throwaway cluster, starting that on
/// first use, and returns its URL.
pub async fn throwaway_database(name: &str) -> Result<String> {
    let start = || CLUSTER.get_or_init(|| start_cluster().map_err(|e| format!("{e:#}")));
    let started = tokio::task::spawn_blocking(start).await;
    let port = started
        .context("the PostgreSQL startup thread panicked")?
        .as_ref();
    let port = port.map_err(|why| anyhow::anyhow!("{why}"))?;
    create_database(
        &format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        name,
    )
    .await
}

/// Creates the database `name` on the server `server_url` points at (retrying the connection for
/// a while: a just-started server may still be warming up) and returns the new database's URL.
pub async fn create_database(server_url: &str, name: &str) -> Result<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut conn = loop {
        match PgConnection::connect(server_url).await {
            Ok(conn) => break conn,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e).with_context(|| format!("connecting to {server_url}")),
        }
    };
    let sql = format!(r#"CREATE DATABASE "{name}""#);
    let created = sqlx::raw_sql(&sql).execute(&mut conn).await;
    created.with_context(|| format!("{sql} on {server_url}"))?;
    conn.close().await.context("closing the admin connection")?;
    // Swap the URL's path (the database) for `name`, keeping any `?options`.
    let (base, options) = server_url.split_at(server_url.find('?').unwrap_or(server_url.len()));
    let host = base.find("://").map_or(0, |i| i + 3);
    let path = base[host..].find('/').map_or(base.len(), |i| host + i);
    Ok(format!("{}/{name}{options}", &base[..path]))
}

/// Whether we run as root, whom initdb refuses to serve: then PostgreSQL's programs run as the
/// `postgres` OS user instead.
pub(crate) fn is_root() -> Result<bool> {
    let id = Command::new("id")
        .arg("-u")
        .output()
        .context("running `id -u`")?;
    Ok(String::from_utf8_lossy(&id.stdout).trim() == "0")
}

/// `argv`, run as the `postgres` OS user if we are `root`.
fn as_postgres(root: bool, argv: &[&str]) -> Vec<String> {
    let prefix: &[&str] = if root {
        &["runuser", "-u", "postgres", "--"]
    } else {
        &[]
    };
    prefix.iter().chain(argv).map(ToString::to_string).collect()
}

/// Initializes and starts this process's throwaway cluster; returns its TCP port.
fn start_cluster() -> Result<u16> {
    start_cluster_at().map(|c| c.port)
}

/// Initializes and starts a cluster in a new temporary directory.
fn start_cluster_at() -> Result<Cluster> {
    let root = is_root()?;
    let bin = find_bin_dir(root)?;
    let (pid, unique) = (std::process::id(), uuid::Uuid::new_v4().simple());
    let dir = std::env::temp_dir().join(format!("reform-pg-{pid}-{unique}"));
    let dir = dir
        .to_str()
        .context("the temporary directory's path is not UTF-8")?;
    let [data, sockets, log] =
        ["data", "sockets", "server.log"].map(|name| format!("{dir}/{name}"));
    std::fs::create_dir_all(&sockets).with_context(|| format!("creating {sockets}"))?;
    if root {
        run(dir, &["chown", "-R", "postgres:", dir])?;
    }
    let (initdb, pg_ctl) = (format!("{bin}/initdb"), format!("{bin}/pg_ctl"));
    // Spawned before anything can fail half-way, so that every outcome is cleaned up at exit.
    spawn_watchdog(
        dir,
        &as_postgres(root, &[&pg_ctl, "-D", &data, "stop", "-m", "immediate"]),
    )?;

    // --no-sync only skips initdb's final flush; the server itself runs with fsync on.
    let init = [
        &initdb, "-D", &data, "-E", "UTF8", "--locale", "C", "-A", "trust", "-U", "postgres", "-N",
    ];
    run(dir, &as_postgres(root, &init))?;
    for attempt in 1.. {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
        let port = listener.local_addr().context("finding a free port")?.port();
        drop(listener);
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=on -c max_connections=200",
            shell_join(&[&sockets])
        );
        let start = [
            &pg_ctl, "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options, "start",
        ];
        let Err(e) = run(dir, &as_postgres(root, &start)) else {
            return Ok(Cluster {
                root,
                pg_ctl: pg_ctl.clone(),
                data: data.clone(),
                log: log.clone(),
                options,
                dir: dir.to_owned(),
                port,
            });
        };
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        // Someone took the port between our probe and the server's bind: try another.
        if !(attempt < 3 && log.contains("could not bind")) {
            bail!(
                "could not start PostgreSQL in {dir}: {e:#}\nserver log tail:\n{}",
                tail(&log)
            );
        }
    }
    unreachable!("the loop above only ends by returning")
}

/// Detached process that, once this test process is gone, runs `stop` and deletes `dir`.
fn spawn_watchdog(dir: &str, stop: &[String]) -> Result<()> {
    use std::os::unix::process::CommandExt as _;
    let pid = std::process::id();
    let (stop, dir) = (shell_join(stop), shell_join(&[dir]));
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {dir}"
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0) // so that a Ctrl-C aimed at the tests does not kill the watchdog too
        .spawn()
        .context("spawning the watchdog that stops PostgreSQL when the tests exit")?;
    Ok(())
}

/// Directory holding `initdb` and `pg_ctl`: the newest `/usr/lib/postgresql/*/bin`, else from
/// `PATH`. Installs PostgreSQL with apt-get when it is missing and we are root.
fn find_bin_dir(root: bool) -> Result<String> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let locate = || {
        let installed = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten();
        let newest = installed
            .filter_map(|entry| {
                let version = entry.file_name().into_string().ok()?;
                let version: Result<Vec<u32>, _> = version.split('.').map(str::parse).collect();
                Some((version.ok()?, entry.path().join("bin")))
            })
            .filter(|(_, bin)| has_tools(bin))
            .max()
            .map(|(_, bin)| bin);
        let found = newest.or_else(|| Some(find_program("initdb")?.parent()?.to_path_buf()));
        found
            .filter(|dir| has_tools(dir))
            .and_then(|dir| dir.to_str().map(String::from))
    };
    if let Some(dir) = locate() {
        return Ok(dir);
    }
    if !root {
        bail!("PostgreSQL's initdb and pg_ctl are in neither /usr/lib/postgresql/*/bin nor PATH");
    }
    eprintln!("PostgreSQL is not installed; installing it with apt-get...");
    apt_install(&["postgresql"]).context("installing PostgreSQL")?;
    locate().context(
        "apt-get installed postgresql, yet initdb and pg_ctl are still nowhere to be found",
    )
}

/// Installs Debian `packages` (as root), waiting up to ten minutes for apt's locks
/// when another install (the browser tests', say) holds them.
pub(crate) fn apt_install(packages: &[&str]) -> Result<()> {
    let install = format!(
        "export DEBIAN_FRONTEND=noninteractive; \
         apt-get -o DPkg::Lock::Timeout=600 update && \
         apt-get -o DPkg::Lock::Timeout=600 install -y {}",
        shell_join(packages)
    );
    run("/", &["sh", "-c", &install])
}

/// Runs `argv` in `cwd`; fails with the tail of its output when it does not succeed.
fn run(cwd: &str, argv: &[impl AsRef<str>]) -> Result<()> {
    let argv: Vec<&str> = argv.iter().map(AsRef::as_ref).collect();
    let (program, args) = argv.split_first().context("empty command line")?;
    let shown = argv.join(" ");
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("running `{shown}`"))?;
    if !out.status.success() {
        let output = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
        bail!("`{shown}` failed ({}):\n{}", out.status, tail(&output));
    }
    Ok(())
}

/// An executable named `name` on `PATH`.
pub(crate) fn find_program(name: &str) -> Option<PathBuf> {
    let dirs = std::env::split_paths(&std::env::var_os("PATH")?).collect::<Vec<_>>();
    dirs.iter().map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// The last 30 lines of `text`.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// `argv` as one POSIX shell command line, each word single-quoted.
fn shell_join(argv: &[impl AsRef<str>]) -> String {
    let quoted: Vec<String> = argv
        .iter()
        .map(|a| format!("'{}'", a.as_ref().replace('\'', r"'\''")))
        .collect();
    quoted.join(" ")
}
