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
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

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

/// An open task of Hoài Đức's plan without subtasks, under a pillar, with a deadline
/// and room to report more: (task id, its lead's uuid, its pillar).
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
                && !task["deadline"].is_null()
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

    let (task, lead) = browser
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

            // Under a pillar, its plans and each plan's tasks with the API's figures.
            the_leader_drills_down(&browser, &served, &leader, &program).await;

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
            fits_a_phone(&browser).await;
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
                    "{ tasks(first: 100) { nodes { id status deadline completedOn reportedPercent parent { id } subtasks { id } category { pillar { code } } lead { uuid } } } }",
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
            (task, lead)
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
    let people = People {
        base: &base,
        leader: &leader,
        officer: &token(Role::Officer, "can-bo-bao-cao", Some(lead)),
        secretariat: &token(Role::Secretariat, "van-phong-ubnd", None),
    };
    browser
        .guard(&format!("task-page-{engine}"), async {
            the_leader_opens_a_task_and_its_history(&browser, &served, &people, &task).await;
        })
        .await;
    browser
        .guard(&format!("officer-report-{engine}"), async {
            an_officer_reports_through_the_form(&browser, &served, &people, &task).await;
        })
        .await;
    browser
        .guard(&format!("secretariat-{engine}"), async {
            the_secretariat_extends_a_deadline(&browser, &served, &people, &task).await;
            the_secretariat_uploads_a_plan_table(&browser, &served, &people).await;
        })
        .await;
    browser
        .guard(&format!("reading-pages-{engine}"), async {
            crate::pages::the_reading_pages(&browser, &served, &t.url, dir.path()).await;
        })
        .await;
    browser.close().await;
}

/// The figures a pillar's percent and its plans' percents were made from, as the
/// API's roll-up tree gives them.
const DRILL: &str = "query($id: ID!) { program(id: $id) { rollup { children { pillar { code } \
    children { nodeId percent inputs { nodeId label percent } } } } } }";

/// The leader opens the drill-down of a pillar that has plans: each plan with the API's
/// percent and a link to it, and, under a plan, each task the percent was made from
/// with its figure and a link to its page.
async fn the_leader_drills_down(browser: &Browser, served: &Served, leader: &str, program: &str) {
    let tree = served.ok(leader, DRILL, json!({ "id": program })).await;
    let pillars = tree["program"]["rollup"]["children"]
        .as_array()
        .expect("pillars");
    let pillar = pillars
        .iter()
        .find(|p| {
            p["children"].as_array().is_some_and(|plans| {
                plans
                    .iter()
                    .any(|plan| !plan["inputs"].as_array().is_none_or(Vec::is_empty))
            })
        })
        .expect("a pillar with a plan that has tasks");
    let code = pillar["pillar"]["code"].as_str().unwrap_or("CROSS_CUTTING");
    let plans = pillar["children"].as_array().expect("plans");
    browser
        .click(&format!("details[data-drill=\"{code}\"] > summary"))
        .await;
    browser
        .wait_until("the pillar's plans", PATIENCE, || async {
            let shown = browser
                .script(&format!(
                    "return [...document.querySelectorAll('details[data-drill=\"{code}\"] li.drill-plan')]\
                     .map(li => [li.dataset.plan, li.querySelector('.percent').textContent])"
                ))
                .await;
            let expected: Vec<Value> = plans
                .iter()
                .map(|plan| json!([plan["nodeId"], vi_percent(&plan["percent"])]))
                .collect();
            if shown == json!(expected) {
                Ok(())
            } else {
                Err(format!("{shown}, expected {expected:?}"))
            }
        })
        .await;
    let (index, plan) = plans
        .iter()
        .enumerate()
        .find(|(_, plan)| !plan["inputs"].as_array().is_none_or(Vec::is_empty))
        .expect("a plan with tasks");
    let plan_item = format!(
        "details[data-drill=\"{code}\"] li.drill-plan:nth-child({})",
        index + 1
    );
    let plan_link = browser
        .script(&format!(
            "return document.querySelector('{plan_item} h4 a').getAttribute('href')"
        ))
        .await;
    let plan_id = plan["nodeId"].as_str().expect("a plan id");
    assert_eq!(plan_link, json!(format!("/ke-hoach/{}", plan_id)));
    browser
        .click(&format!("{plan_item} details > summary"))
        .await;
    let rows = browser
        .script(&format!(
            "return [...document.querySelectorAll('{plan_item} table.inputs tbody tr')]\
             .map(tr => [tr.querySelector('a').getAttribute('href'), tr.querySelector('a').textContent, \
                         tr.querySelector('td').textContent])"
        ))
        .await;
    let expected: Vec<Value> = plan["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|input| {
            let id = input["nodeId"].as_str().expect("a task id");
            json!([
                format!("/nhiem-vu/{}", id),
                input["label"],
                vi_percent(&input["percent"])
            ])
        })
        .collect();
    assert_eq!(
        rows,
        json!(expected),
        "the plan's tasks, as the API made its percent of them"
    );
}

/// Narrows the window to a phone's width and waits until nothing on the page runs
/// off the side of the screen (the window stays narrow).
pub(crate) async fn fits_a_phone(browser: &Browser) {
    browser
        .client
        .set_window_size(390, 1900)
        .await
        .expect("a phone's width");
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
}

/// Who signs in for the task pages' steps: the server's address and their tokens.
struct People<'a> {
    base: &'a str,
    leader: &'a str,
    officer: &'a str,
    secretariat: &'a str,
}

const TASK_PAGE: &str = "query($id: ID!) { task(id: $id) { title percent deadline version \
     history { eventType actor { name } changes { field old new } } } }";

const PLAN_TASKS: &str = "query($id: ID!) { node(id: $id) { ... on Plan { tasks { id } } } }";

/// The task as the API gives it to `token`.
async fn task_from_api(served: &Served, token: &str, task: &str) -> Value {
    served.ok(token, TASK_PAGE, json!({ "id": task })).await["task"].clone()
}

/// The ids of a plan's top-level tasks as the API lists them.
async fn plan_tasks(served: &Served, token: &str, plan: &str) -> Value {
    let data = served.ok(token, PLAN_TASKS, json!({ "id": plan })).await;
    let ids = data["node"]["tasks"].as_array().expect("tasks").iter();
    Value::Array(ids.map(|t| t["id"].clone()).collect())
}

/// Waits for the page at an address under `path` to have laid out its answers
/// (`main[data-loaded]`), failing with the page's error box if it shows one.
pub(crate) async fn page_loaded(browser: &Browser, path: &str) {
    browser
        .wait_until(
            &format!("the page {path}… with its figures"),
            PATIENCE,
            || async {
                let url = browser
                    .client
                    .current_url()
                    .await
                    .map_err(|e| e.to_string())?;
                let loaded = browser
                    .script("return document.getElementById('main')?.dataset.loaded !== undefined")
                    .await;
                let error = browser.text("#error").await;
                if !error.is_empty() {
                    return Err(format!("{url} shows an error: {error}"));
                }
                if url.path().starts_with(path) && loaded == json!(true) {
                    Ok(())
                } else {
                    Err(format!("{url}, loaded: {loaded}"))
                }
            },
        )
        .await;
}

/// Submits a form and waits until its line `css` (`.done` or `.form-error`) says
/// what `holds` expects; fails with both lines.
async fn submit_and_see(browser: &Browser, button: &str, css: &str, holds: impl Fn(&str) -> bool) {
    let form = button
        .split_whitespace()
        .next()
        .unwrap_or(button)
        .to_owned();
    browser.click(button).await;
    browser
        .wait_until(&format!("{css} after {button}"), PATIENCE, || async {
            let seen = browser.text(&format!("{form} {css}")).await;
            if holds(&seen) {
                Ok(())
            } else {
                let done = browser.text(&format!("{form} .done")).await;
                let alert = browser.text(&format!("{form} .form-error")).await;
                Err(format!("done: {done:?}, refusal: {alert:?}"))
            }
        })
        .await;
}

/// Sets a date input (typed dates follow the browser's locale; the value does not).
async fn set_date(browser: &Browser, id: &str, day: &str) {
    browser
        .script(&format!(
            "document.getElementById('{id}').value = '{day}'; return true"
        ))
        .await;
}

/// The newest entry of the timeline: (event type, its text).
async fn newest_entry(browser: &Browser) -> (String, String) {
    let entry = browser
        .script("const li = document.querySelector('#history > li'); return li ? [li.dataset.event, li.textContent] : ['', '']")
        .await;
    (
        entry[0].as_str().unwrap_or_default().to_owned(),
        entry[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// The leader searches the list without diacritics, opens the task from its row and
/// sees its figures and its history, newest first, as the API gives them.
async fn the_leader_opens_a_task_and_its_history(
    browser: &Browser,
    served: &Served,
    people: &People<'_>,
    task: &str,
) {
    let api = task_from_api(served, people.leader, task).await;
    let title = api["title"].as_str().expect("a title");
    browser
        .client
        .goto(&format!("{}/nhiem-vu", people.base))
        .await
        .expect("the task list");
    page_loaded(browser, "/nhiem-vu").await;
    let words: Vec<&str> = title.split_whitespace().take(4).collect();
    browser
        .fill("#search", &reform_domain::fold_for_search(&words.join(" ")))
        .await;
    browser.click("#filters button[type=submit]").await;
    let row = format!("#tasks tr[data-task=\"{task}\"] a");
    browser
        .wait_until(
            "the task found by words without diacritics",
            PATIENCE,
            || async {
                let url = browser
                    .client
                    .current_url()
                    .await
                    .map_err(|e| e.to_string())?;
                let shown = browser.text(&row).await;
                if shown == title && url.query().is_some_and(|q| q.starts_with("q=")) {
                    Ok(())
                } else {
                    Err(format!("{url}: {shown:?}"))
                }
            },
        )
        .await;
    browser.click(&row).await;
    page_loaded(browser, "/nhiem-vu/").await;
    assert_eq!(browser.text("#title").await, title);
    assert_eq!(
        browser.text("[data-fact=percent] dd").await,
        vi_percent(&api["percent"])
    );
    let history = api["history"].as_array().expect("a history");
    let order = browser
        .script(
            "return [...document.querySelectorAll('#history > li')].map(li => li.dataset.event)",
        )
        .await;
    let mut expected: Vec<Value> = history.iter().map(|e| e["eventType"].clone()).collect();
    expected.reverse();
    assert_eq!(order, json!(expected), "one entry per event, newest first");
    let newest = history.last().expect("an event");
    let (_, text) = newest_entry(browser).await;
    assert!(
        text.contains(newest["actor"]["name"].as_str().expect("a name")),
        "{text}"
    );
    assert!(
        text.contains("Diễn ra:") && text.contains("Ghi nhận:"),
        "{text}"
    );
    // The task's page and the list both fit a phone's width.
    fits_a_phone(browser).await;
    browser.client.back().await.expect("back to the list");
    page_loaded(browser, "/nhiem-vu").await;
    fits_a_phone(browser).await;
    browser
        .client
        .set_window_size(1280, 1000)
        .await
        .expect("the window back");
}

/// The lead's officer reports through the form on the task's page (a day to come
/// refused first, as the API words it); the leader's task page then shows it.
async fn an_officer_reports_through_the_form(
    browser: &Browser,
    served: &Served,
    people: &People<'_>,
    task: &str,
) {
    let page = format!("{}/nhiem-vu/{task}", people.base);
    browser.sign_in(people.base, people.officer, PATIENCE).await;
    // An officer's link lands on the tasks of their agency, not on the overview.
    let landed = browser.client.current_url().await.expect("a page");
    assert_eq!(landed.path(), "/nhiem-vu", "an officer's home");
    // An officer's list opens on their agency's tasks.
    browser
        .client
        .goto(&format!("{}/nhiem-vu", people.base))
        .await
        .expect("the list");
    page_loaded(browser, "/nhiem-vu").await;
    assert!(browser
        .text("#title")
        .await
        .starts_with("Nhiệm vụ của đơn vị"));
    assert!(!browser
        .text(&format!("#tasks tr[data-task=\"{task}\"]"))
        .await
        .is_empty());

    browser.client.goto(&page).await.expect("the task's page");
    page_loaded(browser, "/nhiem-vu/").await;
    let before = task_from_api(served, people.leader, task).await;
    browser.fill("#report-percent", "97").await;
    browser
        .fill("#report-note", "Kiểm thử: đã trình dự thảo")
        .await;
    browser
        .fill("#report-evidence", "https://vanban.example.gov.vn/123")
        .await;
    set_date(browser, "report-as-of", "2999-01-01").await;
    submit_and_see(
        browser,
        "#report-form button[type=submit]",
        ".form-error",
        |alert| alert.contains("(asOf)") && alert.contains("is after today"),
    )
    .await;
    let unchanged = task_from_api(served, people.leader, task).await;
    assert_eq!(
        unchanged["version"], before["version"],
        "a refusal writes nothing"
    );

    set_date(browser, "report-as-of", "").await;
    submit_and_see(
        browser,
        "#report-form button[type=submit]",
        ".done",
        |done| done.starts_with("Đã ghi nhận"),
    )
    .await;
    let after = task_from_api(served, people.leader, task).await;
    let newest = after["history"]
        .as_array()
        .and_then(|h| h.last())
        .expect("an event");
    assert_eq!(newest["eventType"], "TaskProgressReported");
    assert_eq!(newest["actor"]["name"], "can-bo-bao-cao");

    browser.sign_in(people.base, people.leader, PATIENCE).await;
    browser.client.goto(&page).await.expect("the task's page");
    page_loaded(browser, "/nhiem-vu/").await;
    assert_eq!(
        browser.text("[data-fact=percent] dd").await,
        vi_percent(&after["percent"])
    );
    assert_eq!(browser.text("[data-fact=reported] dd").await, "97%");
    let (kind, text) = newest_entry(browser).await;
    assert_eq!(kind, "TaskProgressReported");
    assert!(
        text.contains("can-bo-bao-cao") && text.contains("97"),
        "{text}"
    );
    assert!(
        browser.text("#report").await.is_empty(),
        "a leader has no report form"
    );
}

/// The secretariat's refused and then granted extension of the task's deadline.
async fn the_secretariat_extends_a_deadline(
    browser: &Browser,
    served: &Served,
    people: &People<'_>,
    task: &str,
) {
    browser
        .sign_in(people.base, people.secretariat, PATIENCE)
        .await;
    browser
        .client
        .goto(&format!("{}/nhiem-vu/{task}", people.base))
        .await
        .expect("the task's page");
    page_loaded(browser, "/nhiem-vu/").await;
    set_date(browser, "extend-deadline", "2000-01-01").await;
    browser.fill("#extend-reason", "Kiểm thử: lùi hạn").await;
    submit_and_see(
        browser,
        "#extend-form button[type=submit]",
        ".form-error",
        |alert| alert.contains("(newDeadline)") && alert.contains("must be later"),
    )
    .await;
    let before = task_from_api(served, people.leader, task).await;
    let later = before["deadline"]
        .as_str()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .expect("the task has a deadline")
        + chrono::Days::new(30);
    set_date(browser, "extend-deadline", &later.to_string()).await;
    submit_and_see(
        browser,
        "#extend-form button[type=submit]",
        ".done",
        |done| done.starts_with("Đã gia hạn"),
    )
    .await;
    let after = task_from_api(served, people.leader, task).await;
    assert_eq!(after["deadline"], json!(later.to_string()));
    assert_eq!(
        browser.text("[data-fact=deadline] dd").await,
        later.format("%d/%m/%Y").to_string()
    );
    assert_eq!(newest_entry(browser).await.0, "TaskDeadlineExtended");
}

/// The secretariat uploads the sample plan table into 318/KH-UBND: checked first,
/// then imported, the report shown; the plan's page then lists the API's tasks.
async fn the_secretariat_uploads_a_plan_table(
    browser: &Browser,
    served: &Served,
    people: &People<'_>,
) {
    let plans = served
        .ok(
            people.secretariat,
            "{ programs { plans { id number } } }",
            json!({}),
        )
        .await;
    let plan = plans["programs"]
        .as_array()
        .expect("programs")
        .iter()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "318/KH-UBND")
        .expect("Đà Nẵng's plan 318/KH-UBND in the demo");
    let id = plan["id"].as_str().expect("an id");
    assert_eq!(
        plan_tasks(served, people.secretariat, id).await,
        json!([]),
        "recorded without tasks"
    );
    browser
        .client
        .goto(&format!("{}/ke-hoach", people.base))
        .await
        .expect("the plans");
    page_loaded(browser, "/ke-hoach").await;
    browser.click(&format!("tr[data-plan=\"{id}\"] a")).await;
    page_loaded(browser, "/ke-hoach/").await;
    assert_eq!(browser.text("#title").await, "Kế hoạch 318/KH-UBND");
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/ke-hoach-cchc-2024-da-nang.csv"
    );
    let sample = std::fs::canonicalize(sample).expect("the sample plan table");
    browser
        .fill("#upload-file", &sample.display().to_string())
        .await;
    browser.fill("#upload-reason", "Kế hoạch 318/KH-UBND").await;
    let import_disabled = "return document.getElementById('import').disabled";
    assert_eq!(
        browser.script(import_disabled).await,
        json!(true),
        "checked before imported"
    );
    submit_and_see(browser, "#upload-form #dry-run", ".done", |done| {
        done.starts_with("Kiểm tra xong")
    })
    .await;
    let count = |key: &'static str| async move {
        browser
            .text(&format!("#report-counts [data-count={key}] dd"))
            .await
    };
    assert_eq!(count("created").await, "37");
    assert_eq!(count("numberedRows").await, "38");
    let problems = browser
        .script("return document.querySelectorAll('#problems tr').length")
        .await;
    assert!(
        problems.as_u64() > Some(0),
        "the sample's caveats, row by row"
    );
    assert_eq!(
        plan_tasks(served, people.secretariat, id).await,
        json!([]),
        "a dry run writes nothing"
    );

    submit_and_see(browser, "#upload-form #import", ".done", |done| {
        done.starts_with("Đã nhập: 37 nhiệm vụ tạo mới")
    })
    .await;
    assert_eq!(
        browser.script(import_disabled).await,
        json!(true),
        "imported once"
    );
    let expected = plan_tasks(served, people.secretariat, id).await;
    assert!(
        expected.as_array().is_some_and(|t| !t.is_empty()),
        "{expected}"
    );
    let shown = browser
        .script("return [...document.querySelectorAll('#tasks tr')].map(r => r.dataset.task)")
        .await;
    assert_eq!(shown, expected, "the plan's page lists the API's tasks");
}
