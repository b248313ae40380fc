//! A headless browser for the tests, from the machine's own packages: Debian's
//! `chromium` and `chromium-driver` (installed with apt-get when missing and we are
//! root, as the throwaway PostgreSQL is), and a `chromedriver` on a free loopback port
//! that a WebDriver client (the tests use `fantoccini`) drives. The driver is stopped
//! when dropped, and by a watchdog when the test process dies first.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::throwaway_pg::{apt_install, find_program, is_root};

/// A running `chromedriver` on loopback.
pub struct ChromeDriver {
    child: Child,
    /// The WebDriver endpoint, `http://127.0.0.1:PORT`.
    pub url: String,
}

impl ChromeDriver {
    /// Starts `chromedriver` on a free loopback port once Chromium and its driver are
    /// installed (with apt-get, when missing and we are root); fails, saying why, when
    /// they cannot be had or the driver does not answer within 30 s.
    pub fn start() -> Result<ChromeDriver> {
        let driver = find_or_install()?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
        let port = listener.local_addr().context("finding a free port")?.port();
        drop(listener);
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", driver.display()))?;
        spawn_watchdog(child.id())?;
        let mut started = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = started.child.try_wait().context("watching chromedriver")? {
                bail!("chromedriver exited at start ({status})");
            }
            if Instant::now() > deadline {
                bail!("chromedriver did not listen on port {port} within 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(started)
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One install at a time in this process: tests on both engines start a browser at
/// once.
static INSTALLING: Mutex<()> = Mutex::new(());

/// chromedriver (beside Chromium, which it starts), both installed with apt-get when
/// missing and we are root.
fn find_or_install() -> Result<PathBuf> {
    let locate = || find_program("chromium").and(find_program("chromedriver"));
    let _turn = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(found) = locate() {
        return Ok(found);
    }
    if !is_root()? {
        bail!("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    }
    eprintln!("Chromium is not installed; installing chromium and chromium-driver with apt-get...");
    apt_install(&["chromium", "chromium-driver"]).context("installing Chromium")?;
    locate().context("apt-get installed chromium, yet chromium and chromedriver are not on PATH")
}

/// A detached process that stops the driver (and so its browser) once this test
/// process is gone, however it ended.
fn spawn_watchdog(driver: u32) -> Result<()> {
    use std::os::unix::process::CommandExt as _;
    let pid = std::process::id();
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; kill {driver} >/dev/null 2>&1"
    );
    Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .context("spawning the watchdog that stops chromedriver when the tests exit")?;
    Ok(())
}
