//! The web app in a real browser (headless Chromium over WebDriver) against a real
//! `reform serve`, on both engines: a provincial leader signs in with a link and sees
//! the six pillars with exactly the percents the API gives; an officer's report through
//! the API changes the overview without a reload. One browser session per engine.
//!
//! `REFORM_SCREENSHOT=/abs/path/overview.png` also saves the overview as the README
//! shows it (`docs/overview.png`).

use std::time::Duration;

use fantoccini::Locator;
use reform_domain::{AgencyId, Role};
use serde_json::{json, Value};

use crate::support::browser::{vi_percent, Browser};
use crate::support::process::{reform, token, Served};
use crate::support::stores::{on_both_engines, TestStore};

const PILLARS: &str =
    "query($id: ID!) { program(id: $id) { pillarProgress { pillar { code } percent } } }";

/// How long the page may take to show what the API says.
const PATIENCE: Duration = Duration::from_secs(20);

/// Each pillar's (code, percent as the page must show it) from the API.
async fn pillars_from_api(served: &Served, token: &str, program: &str) -> Vec<(String, String)> {
    let data = served.ok(token, PILLARS, json!({ "id": program })).await;
    data["program"]["pillarProgress"]
        .as_array()
        .expect("pillars")
        .iter()
        .map(|node| {
            let code = node["pillar"]["code"].as_str().unwrap_or("CROSS_CUTTING");
            (code.to_owned(), vi_percent(&node["percent"]))
        })
        .collect()
}

/// Waits until every pillar's percent on the page is the API's.
async fn page_shows(browser: &Browser, expected: &[(String, String)]) {
    browser
        .wait_until(
            "the overview showing the API's percents",
            PATIENCE,
            || async {
                let mut seen = Vec::new();
                for (code, _) in expected {
                    let shown = browser
                        .text(&format!("li[data-pillar=\"{code}\"] .percent"))
                        .await;
                    seen.push((code.clone(), shown));
                }
                if seen == expected {
                    Ok(())
                } else {
                    Err(format!("{seen:?}, expected {expected:?}"))
                }
            },
        )
        .await;
}

/// An open task of Hoài Đức's plan without subtasks, under a pillar, with room to
/// report more: (task id, its lead's uuid, its pillar).
fn reportable(tasks: &Value) -> (String, AgencyId, String) {
    tasks["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|task| {
            task["completedOn"].is_null()
                && task["status"] != "CANCELLED"
                && task["subtasks"].as_array().is_some_and(Vec::is_empty)
                && task["parent"].is_null()
                && !task["category"]["pillar"].is_null()
                && task["reportedPercent"].as_i64().is_some_and(|p| p < 90)
        })
        .map(|task| {
            let lead = task["lead"]["uuid"].as_str().expect("a lead");
            (
                task["id"].as_str().expect("an id").to_owned(),
                AgencyId(lead.parse().expect("a uuid")),
                task["category"]["pillar"]["code"]
                    .as_str()
                    .expect("a pillar")
                    .to_owned(),
            )
        })
        .expect("an open task under a pillar in the demo")
}

on_both_engines!(a_leader_sees_the_apis_figures_and_they_change_live);

async fn a_leader_sees_the_apis_figures_and_they_change_live(t: TestStore) {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let engine = if t.url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let (status, _, err) = reform(&t.url, dir.path(), &["demo"]);
    assert_eq!(status, Some(0), "reform demo: {err}");
    let served = Served::start(&t.url, dir.path()).await;
    let base = served.base();
    let (status, link, err) = reform(
        &t.url,
        dir.path(),
        &[
            "token",
            "--role",
            "leader",
            "--jurisdiction",
            "VN-HN",
            "--user",
            "chu-tich-ha-noi",
            "--link",
            "--base-url",
            &base,
        ],
    );
    assert_eq!(status, Some(0), "reform token --link: {err}");
    let link = link.trim().to_owned();
    let leader = link
        .split_once("#token=")
        .expect("a sign-in link")
        .1
        .to_owned();

    browser
        .guard(&format!("overview-{engine}"), async {
            // Signed out, `/` says how to sign in.
            browser.client.goto(&format!("{base}/")).await.expect("the first page");
            assert_eq!(browser.text("h1").await, "Bạn chưa đăng nhập");

            // The link signs in and lands on the overview, its token gone from the address.
            browser.client.goto(&link).await.expect("the sign-in link");
            browser
                .wait_until("landing on the overview", PATIENCE, || async {
                    let url = browser.client.current_url().await.map_err(|e| e.to_string())?;
                    let title = browser.text("#title").await;
                    if url.as_str() == format!("{base}/") && title.contains("Hà Nội") {
                        Ok(())
                    } else {
                        Err(format!("{url} showing {title:?}"))
                    }
                })
                .await;

            // The six pillars (and cross-cutting work) with the API's percents.
            let programs = served
                .ok(&leader, "{ programs { id parentProgram { id } } }", json!({}))
                .await;
            let program = programs["programs"]
                .as_array()
                .expect("programs")
                .iter()
                .find(|p| p["parentProgram"].is_null())
                .and_then(|p| p["id"].as_str())
                .expect("the national program")
                .to_owned();
            let before = pillars_from_api(&served, &leader, &program).await;
            assert_eq!(before.len(), 7, "six pillars and cross-cutting work: {before:?}");
            assert!(
                before.iter().filter(|(code, _)| code != "CROSS_CUTTING").count() == 6,
                "{before:?}"
            );
            page_shows(&browser, &before).await;
            let headline = served
                .ok(&leader, "query($id: ID!) { program(id: $id) { rollup { percent } } }", json!({ "id": program }))
                .await;
            assert_eq!(
                browser.text("#headline-percent").await,
                vi_percent(&headline["program"]["rollup"]["percent"])
            );

            // The trend has its twelve months, each filled by time travel.
            browser
                .wait_until("the twelve months of the trend", PATIENCE, || async {
                    let rows = browser
                        .client
                        .find_all(Locator::Css("#trend-table tr"))
                        .await
                        .map_err(|e| e.to_string())?;
                    let cells = browser
                        .script("return [...document.querySelectorAll('#trend-table td')].map(c => c.textContent)")
                        .await;
                    let filled = cells
                        .as_array()
                        .is_some_and(|c| c.len() == 12 && c.iter().all(|v| v.as_str().is_some_and(|t| t.ends_with('%'))));
                    if rows.len() == 12 && filled {
                        Ok(())
                    } else {
                        Err(format!("{} rows: {cells}", rows.len()))
                    }
                })
                .await;
            // Hà Nội's overdue agencies, as the API orders them.
            let agencies = served
                .ok(
                    &leader,
                    "{ agencies(first: 10, orderBy: { field: OVERDUE_NOW, direction: DESC }) { nodes { name scorecard { overdueNow } } } }",
                    json!({}),
                )
                .await;
            let expected: Vec<String> = agencies["agencies"]["nodes"]
                .as_array()
                .expect("agencies")
                .iter()
                .filter(|a| a["scorecard"]["overdueNow"].as_i64() > Some(0))
                .map(|a| a["name"].as_str().expect("a name").to_owned())
                .collect();
            assert!(!expected.is_empty(), "the demo has overdue tasks in Hoài Đức");
            let shown = browser
                .script("return [...document.querySelectorAll('#overdue th')].map(c => c.textContent)")
                .await;
            assert_eq!(shown, json!(expected));

            // Nothing came from anywhere but this server.
            let resources = browser
                .script("return performance.getEntriesByType('resource').map(e => e.name)")
                .await;
            for name in resources.as_array().expect("resources") {
                let name = name.as_str().unwrap_or_default();
                assert!(
                    name.starts_with(&format!("{base}/")) || name.starts_with(&base.replacen("http", "ws", 1)),
                    "a request left the origin: {name}"
                );
            }
            let screenshot = std::env::var("REFORM_SCREENSHOT").ok();
            if let Some(path) = &screenshot {
                browser.client.set_window_size(1280, 1900).await.expect("a taller window");
                tokio::time::sleep(Duration::from_millis(500)).await;
                let png = browser.client.screenshot().await.expect("a screenshot");
                std::fs::write(path, png).expect("writing the screenshot");
            }
            // At a phone's width nothing runs off the side of the screen.
            browser.client.set_window_size(390, 1900).await.expect("a phone's width");
            browser
                .wait_until("the page fitting a phone's width", PATIENCE, || async {
                    let widths = browser
                        .script("return [document.documentElement.scrollWidth, window.innerWidth]")
                        .await;
                    match (widths[0].as_i64(), widths[1].as_i64()) {
                        (Some(page), Some(screen)) if screen < 500 && page <= screen => Ok(()),
                        _ => Err(widths.to_string()),
                    }
                })
                .await;
            if let Some(path) = &screenshot {
                let png = browser.client.screenshot().await.expect("a screenshot");
                let phone = path.replace(".png", "-phone.png");
                std::fs::write(phone, png).expect("writing the phone's screenshot");
            }
            browser.client.set_window_size(1280, 1000).await.expect("the window back");

            // An officer reports through the API; the open page follows, no reload.
            browser.script("window.notReloaded = true; return true").await;
            let tasks = served
                .ok(
                    &leader,
                    "{ tasks(first: 100) { nodes { id status completedOn reportedPercent parent { id } subtasks { id } category { pillar { code } } lead { uuid } } } }",
                    json!({}),
                )
                .await;
            let (task, lead, pillar) = reportable(&tasks);
            let officer = token(Role::Officer, "can-bo", Some(lead));
            served
                .ok(
                    &officer,
                    "mutation($i: ReportProgressInput!) { reportProgress(input: $i) { version } }",
                    json!({ "i": { "taskId": task, "percent": 95, "note": "Kiểm thử: gần xong" } }),
                )
                .await;
            let after = pillars_from_api(&served, &leader, &program).await;
            let changed = |list: &[(String, String)]| {
                list.iter().find(|(code, _)| *code == pillar).map(|(_, p)| p.clone())
            };
            assert_ne!(changed(&before), changed(&after), "the report moves {pillar}");
            page_shows(&browser, &after).await;
            assert_eq!(
                browser.script("return window.notReloaded === true").await,
                json!(true),
                "the page changed without a reload"
            );

            // Signing out ends the session: `/` says how to sign in again.
            browser
                .client
                .find(Locator::Id("sign-out"))
                .await
                .expect("the sign-out button")
                .click()
                .await
                .expect("clicking it");
            browser
                .wait_until("the signed-out page", PATIENCE, || async {
                    let h1 = browser.text("h1").await;
                    if h1 == "Bạn chưa đăng nhập" { Ok(()) } else { Err(h1) }
                })
                .await;
        })
        .await;

    // GraphiQL from the bundled files, working with the session (signed in again).
    browser
        .guard(&format!("graphiql-{engine}"), async {
            browser.client.goto(&link).await.expect("the sign-in link");
            browser
                .wait_until("signed in again", PATIENCE, || async {
                    let title = browser.text("#title").await;
                    if title.contains("Hà Nội") { Ok(()) } else { Err(title) }
                })
                .await;
            browser.client.goto(&format!("{base}/graphiql")).await.expect("GraphiQL");
            browser
                .client
                .wait()
                .at_most(PATIENCE)
                .for_element(Locator::Css(".graphiql-container"))
                .await
                .expect("GraphiQL renders from the bundled files under the page's policy");
            let answer = browser
                .script(
                    "return fetch('/graphql', { method: 'POST', credentials: 'same-origin', \
                     headers: { 'Content-Type': 'application/json' }, \
                     body: JSON.stringify({ query: '{ viewer { userId } }' }) }).then(r => r.json())",
                )
                .await;
            assert_eq!(answer["data"]["viewer"]["userId"], "chu-tich-ha-noi", "{answer}");
        })
        .await;
    browser.close().await;
}
