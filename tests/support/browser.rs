//! A real browser for the web app's tests: headless Chromium driven over WebDriver
//! (`fantoccini`) through a `chromedriver` on loopback (`reform_devtools::browser`,
//! which installs Debian's packages when missing and running as root). Without a
//! browser the test is skipped with the reason, unless `CI=true` or
//! `REFORM_REQUIRE_BROWSER=1` makes that a failure. A failing test keeps a screenshot
//! and the page's source under `target/browser-failures/`.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use reform_devtools::browser::ChromeDriver;
use serde_json::{json, Value};

/// Whether a missing browser fails the test rather than skipping it.
pub fn required() -> bool {
    let var = |name| std::env::var(name).unwrap_or_default();
    matches!(var("CI").as_str(), "true" | "1") || var("REFORM_REQUIRE_BROWSER") == "1"
}

/// Where failing tests keep what the browser showed: `target/browser-failures/`.
pub fn failures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), PathBuf::from)
        .join("browser-failures")
}

/// One browser session (and its driver), shared by a test's steps.
pub struct Browser {
    pub client: Client,
    _driver: ChromeDriver,
}

impl Browser {
    /// A headless Chromium at a desktop width, or `None` (with the reason printed)
    /// where browser tests are skipped.
    pub async fn start() -> Option<Browser> {
        let driver = match tokio::task::spawn_blocking(ChromeDriver::start)
            .await
            .expect("starting chromedriver")
        {
            Ok(driver) => driver,
            Err(why) if required() => {
                panic!("a browser is required (CI=true or REFORM_REQUIRE_BROWSER=1) but unavailable: {why:#}")
            }
            Err(why) => {
                eprintln!("skipping browser test: {why:#}");
                return None;
            }
        };
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({ "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-proxy-server", "--lang=vi-VN", "--window-size=1280,1000",
            ] }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .expect("a browser session from chromedriver");
        Some(Browser {
            client,
            _driver: driver,
        })
    }

    /// Runs a test's steps; if they fail, keeps a screenshot and the page source as
    /// `target/browser-failures/NAME.png` and `.html` before failing.
    pub async fn guard<T>(&self, name: &str, steps: impl Future<Output = T>) -> T {
        match AssertUnwindSafe(steps).catch_unwind().await {
            Ok(value) => value,
            Err(panic) => {
                self.keep(name).await;
                std::panic::resume_unwind(panic)
            }
        }
    }

    async fn keep(&self, name: &str) {
        let dir = failures_dir();
        let _ = std::fs::create_dir_all(&dir);
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{name}.png")), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = std::fs::write(dir.join(format!("{name}.html")), html);
        }
        eprintln!(
            "the browser's screen and page source: {}/{name}.png, .html",
            dir.display()
        );
    }

    /// The text of the first element `css` selects, empty when there is none.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits up to `within` for `check` to hold of the page; fails with what it last
    /// saw.
    pub async fn wait_until<F, Fut>(&self, what: &str, within: Duration, check: F)
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        let deadline = Instant::now() + within;
        loop {
            match check().await {
                Ok(()) => return,
                Err(seen) if Instant::now() > deadline => {
                    panic!("{what} did not happen within {within:?}; last seen: {seen}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    /// Runs a script in the page; its return value.
    pub async fn script(&self, source: &str) -> Value {
        self.client
            .execute(source, Vec::new())
            .await
            .expect("the script runs")
    }

    /// Types `text` into the input `css` selects, after clearing it (for a file
    /// input, `text` is the file's absolute path).
    pub async fn fill(&self, css: &str, text: &str) {
        let input = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"));
        if input.attr("type").await.ok().flatten().as_deref() != Some("file") {
            input.clear().await.expect("clearing the input");
        }
        input.send_keys(text).await.expect("typing into the input");
    }

    /// Clicks the element `css` selects.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
            .click()
            .await
            .expect("clicking it");
    }

    /// Signs in with `token` through its link, waiting until `/` names the viewer.
    pub async fn sign_in(&self, base: &str, token: &str, within: Duration) {
        self.client
            .goto(&format!("{base}/sign-in#token={token}"))
            .await
            .expect("the sign-in link");
        // Leaders land on the overview, officers on their agency's tasks.
        let homes = [format!("{base}/"), format!("{base}/nhiem-vu")];
        self.wait_until("landing on the home page", within, || async {
            let url = self.client.current_url().await.map_err(|e| e.to_string())?;
            // Signed in once the header names the viewer (what the page shows under
            // it depends on the role).
            let viewer = self.text("#viewer-name").await;
            if homes.iter().any(|h| h == url.as_str()) && !viewer.is_empty() {
                Ok(())
            } else {
                Err(format!("{url}, viewer: {viewer:?}"))
            }
        })
        .await;
    }

    /// Ends the browser session.
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// A percent as the web app shows it (`Intl.NumberFormat('vi-VN')`, at most two
/// decimals): 88.2857 → "88,29%", 75.0 → "75%"; none → "—".
pub fn vi_percent(value: &Value) -> String {
    let Some(value) = value.as_f64() else {
        return "—".into();
    };
    let fixed = format!("{value:.2}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    format!("{}%", trimmed.replace('.', ","))
}
