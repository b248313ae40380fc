//! The web app's reading pages in a real browser, each against the API's answers to
//! the same viewer (a national leader, so that Hà Nội's tasks and Đà Nẵng's PAR INDEX
//! are both in sight): the agencies' table and its sorting, an agency's scorecard, the
//! PAR INDEX league, SIPAS and dossier statistics, the indicators' statuses, the
//! heads' accountability with the no-reward flags, and the files the export buttons
//! make. Run as a step of `browser::a_leader_sees_the_apis_figures_and_they_change_live`,
//! on its browser session and served process.

use std::path::Path;

use fantoccini::key::Key;
use fantoccini::Locator;
use reform_domain::Role;
use serde_json::{json, Value};

use crate::browser::{fits_a_phone, page_loaded, PATIENCE};
use crate::support::browser::{vi_percent, Browser};
use crate::support::process::{reform, token, Served};

const AGENCIES: &str = "query($order: AgencyOrder) { agencies(first: 50, orderBy: $order) { \
     nodes { id name scorecard { tasksLed completedLate overdueNow asOf par { band rank } } } } }";

const AGENCY_TASKS: &str = "query($lead: ID!, $day: NaiveDate!) { \
     tasks(filter: { leadId: $lead, overdueOn: $day }, orderBy: DEADLINE, first: 100) { nodes { id } } }";

const LEAGUE: &str = "query($year: Int!) { parRanking(year: $year) { block { code } \
     ranked { agency { id } name rank band total } notEvaluated { name } } }";

const INDICATORS: &str = "{ indicators { id code trajectory { rag } } }";

const ACCOUNTABILITY: &str =
    "{ accountability { agency { id } head { name } noEmulationReward reasons } }";

/// The words the indicators page says for each `Rag` (`web/app/js/labels.js`).
fn rag_words(rag: &Value) -> &'static str {
    match rag.as_str() {
        Some("GREEN") => "Đạt tiến độ",
        Some("AMBER") => "Chậm so với lộ trình",
        Some("RED") => "Chậm nhiều so với lộ trình",
        _ => "Chưa đánh giá được (thiếu số liệu gốc, chỉ tiêu hoặc số đo)",
    }
}

/// A count as the page shows it (`Intl.NumberFormat('vi-VN')`): 3899 → "3.899".
fn vi_count(value: &Value) -> String {
    let digits = value.as_i64().expect("a count").to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

/// The ids of the agencies' rows, in the page's order.
async fn shown_agencies(browser: &Browser) -> Value {
    browser
        .script("return [...document.querySelectorAll('#agencies tr')].map(r => r.dataset.agency)")
        .await
}

/// The ids of the agencies in the API's order.
async fn agencies_in_order(served: &Served, viewer: &str, order: Value) -> (Value, Value) {
    let data = served.ok(viewer, AGENCIES, json!({ "order": order })).await;
    let nodes = data["agencies"]["nodes"].clone();
    let ids = nodes
        .as_array()
        .expect("agencies")
        .iter()
        .map(|a| a["id"].clone())
        .collect();
    (ids, nodes)
}

/// Waits until the table lists the API's agencies in the API's order, the header
/// `field` saying so in `aria-sort`.
async fn sorted_as_the_api(browser: &Browser, expected: &Value, field: &str, sort: &str) {
    browser
        .wait_until(&format!("the agencies by {field}, {sort}"), PATIENCE, || async {
            let shown = shown_agencies(browser).await;
            let aria = browser
                .script(&format!(
                    "return document.querySelector('th[data-sort={field}]').getAttribute('aria-sort')"
                ))
                .await;
            if &shown == expected && aria == json!(sort) {
                Ok(())
            } else {
                Err(format!("{aria}: {shown}"))
            }
        })
        .await;
}

/// From now on, the page keeps each file it offers (the Blob its link is made of)
/// in `window.savedFiles` and stops the download itself, so that nothing lands in
/// the user's home.
async fn keep_saved_files(browser: &Browser) {
    browser
        .script(
            "window.savedFiles = []; const make = URL.createObjectURL.bind(URL); \
             URL.createObjectURL = (blob) => { window.savedFiles.push(blob); return make(blob); }; \
             document.addEventListener('click', (e) => { \
               if (e.target.matches('a[download]')) { window.savedNames = e.target.download; e.preventDefault(); } \
             }, true); return true",
        )
        .await;
}

/// The file the page offered, as (name, media type, text with its byte-order mark
/// kept).
async fn saved_file(browser: &Browser) -> (String, String, String) {
    browser
        .wait_until("a file offered", PATIENCE, || async {
            let n = browser.script("return window.savedFiles.length").await;
            if n == json!(1) {
                Ok(())
            } else {
                Err(n.to_string())
            }
        })
        .await;
    let file = browser
        .script(
            "const blob = window.savedFiles[0]; return blob.arrayBuffer().then(b => \
             [window.savedNames, blob.type, new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)])",
        )
        .await;
    let text = |i: usize| file[i].as_str().unwrap_or_default().to_owned();
    (text(0), text(1), text(2))
}

/// Every reading page against the API, as a national leader; the secretariat first
/// records a SIPAS result and a measurement, so that those sections show figures.
pub(crate) async fn the_reading_pages(
    browser: &Browser,
    served: &Served,
    database_url: &str,
    dir: &Path,
) {
    let base = served.base();
    let leader = token(Role::Leader, "lanh-dao-quoc-gia", None);
    let secretariat = token(Role::Secretariat, "van-phong-bo-noi-vu", None);
    let (by_name, _) = agencies_in_order(served, &leader, json!(null)).await;
    let league = served.ok(&leader, LEAGUE, json!({ "year": 2022 })).await;
    let best = league["parRanking"][0]["ranked"][0].clone();
    served
        .ok(
            &secretariat,
            "mutation($i: PublishSipasInput!) { publishSipas(input: $i) { version } }",
            json!({ "i": { "agencyId": best["agency"]["id"], "year": 2022,
                "satisfactionPercent": 87.65, "respondents": 1200 } }),
        )
        .await;
    let indicators = served.ok(&leader, INDICATORS, json!({})).await;
    let cut = indicators["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["code"] == "BIZ_REG_CUT")
        .expect("the demo's BIZ_REG_CUT");
    served
        .ok(
            &secretariat,
            "mutation($i: RecordMeasurementInput!) { recordMeasurement(input: $i) { version } }",
            json!({ "i": { "indicatorId": cut["id"], "measuredOn": "2023-12-31", "value": 4.5,
                "source": "Kiểm thử" } }),
        )
        .await;

    browser.sign_in(&base, &leader, PATIENCE).await;

    // Cơ quan: the API's agencies by name, each row its scorecard's figures.
    browser
        .client
        .goto(&format!("{base}/co-quan"))
        .await
        .expect("the agencies");
    page_loaded(browser, "/co-quan").await;
    assert_eq!(
        shown_agencies(browser).await,
        by_name,
        "by name, as the API"
    );
    let (by_overdue, nodes) = agencies_in_order(
        served,
        &leader,
        json!({ "field": "OVERDUE_NOW", "direction": "DESC" }),
    )
    .await;
    let busiest = &nodes[0];
    assert!(
        busiest["scorecard"]["overdueNow"].as_i64() > Some(0),
        "the demo has overdue tasks: {busiest}"
    );
    let id = busiest["id"].as_str().expect("an id");
    let cell = |figure: &str| {
        let css = format!("#agencies tr[data-agency=\"{id}\"] [data-figure={figure}]");
        async move { browser.text(&css).await }
    };
    let card = &busiest["scorecard"];
    assert_eq!(cell("overdueNow").await, vi_count(&card["overdueNow"]));
    assert_eq!(
        cell("completedLate").await,
        vi_count(&card["completedLate"])
    );
    assert_eq!(cell("tasksLed").await, vi_count(&card["tasksLed"]));

    // Sorting by a header: a click, then the keyboard on the same button.
    assert_ne!(by_overdue, by_name, "the orders differ in the demo");
    browser.click("th[data-sort=OVERDUE_NOW] button").await;
    sorted_as_the_api(browser, &by_overdue, "OVERDUE_NOW", "descending").await;
    let (ascending, _) = agencies_in_order(
        served,
        &leader,
        json!({ "field": "OVERDUE_NOW", "direction": "ASC" }),
    )
    .await;
    browser
        .client
        .find(Locator::Css("th[data-sort=OVERDUE_NOW] button"))
        .await
        .expect("the header's button")
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("pressing Enter on it");
    sorted_as_the_api(browser, &ascending, "OVERDUE_NOW", "ascending").await;
    assert!(browser
        .client
        .current_url()
        .await
        .expect("an address")
        .as_str()
        .ends_with("/co-quan?sort=OVERDUE_NOW&dir=ASC"));
    fits_a_phone(browser).await;
    browser
        .client
        .set_window_size(1280, 1000)
        .await
        .expect("the window back");

    // The agency's scorecard: its figures and the tasks overdue today, as the API's.
    browser
        .click(&format!("#agencies tr[data-agency=\"{id}\"] a"))
        .await;
    page_loaded(browser, "/co-quan/").await;
    assert_eq!(
        browser.text("#title").await,
        busiest["name"].as_str().unwrap_or_default()
    );
    assert_eq!(
        browser.text("[data-fact=overdueNow] dd").await,
        vi_count(&card["overdueNow"])
    );
    let overdue = served
        .ok(
            &leader,
            AGENCY_TASKS,
            json!({ "lead": id, "day": card["asOf"] }),
        )
        .await;
    let expected: Vec<Value> = overdue["tasks"]["nodes"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| t["id"].clone())
        .collect();
    assert!(!expected.is_empty());
    let shown = browser
        .script("return [...document.querySelectorAll('#overdue tr')].map(r => r.dataset.task)")
        .await;
    assert_eq!(
        shown,
        json!(expected),
        "the overdue list, linking to each task"
    );

    // Đánh giá: the latest year's league by block with the API's ranks and bands.
    browser
        .client
        .goto(&format!("{base}/danh-gia"))
        .await
        .expect("the evaluations");
    page_loaded(browser, "/danh-gia").await;
    assert_eq!(
        browser
            .script("return document.getElementById('par-year').value")
            .await,
        json!("2022")
    );
    for table in league["parRanking"].as_array().expect("blocks") {
        let code = table["block"]["code"].as_str().expect("a block");
        let expected: Vec<Value> = table["ranked"]
            .as_array()
            .expect("ranked")
            .iter()
            .map(|e| {
                json!([
                    e["agency"]["id"],
                    e["rank"].to_string(),
                    e["band"].as_str().unwrap_or("—")
                ])
            })
            .collect();
        let shown = browser
            .script(&format!(
                "return [...document.querySelectorAll('[data-block={code}] tr[data-rank]')]\
                 .map(r => [r.dataset.agency, r.querySelector('.rank').textContent, r.querySelector('.band').textContent])"
            ))
            .await;
        assert_eq!(shown, json!(expected), "block {code}");
    }
    let sipas = browser
        .text(&format!(
            "#sipas tr[data-agency=\"{}\"] .satisfaction",
            best["agency"]["id"].as_str().unwrap_or_default()
        ))
        .await;
    assert_eq!(sipas, vi_percent(&json!(87.65)));
    let dossiers = served
        .ok(
            &leader,
            "{ dossierTotals(period: YEAR) { periods { from } } }",
            json!({}),
        )
        .await;
    let periods = dossiers["dossierTotals"]["periods"]
        .as_array()
        .expect("periods")
        .len();
    assert!(periods > 0, "the demo's dossier statistics");
    assert_eq!(
        browser
            .script("return [document.querySelectorAll('#dossiers tr').length, document.querySelectorAll('#dossier-chart canvas').length]")
            .await,
        json!([periods, 1]),
        "a row per period and the chart"
    );

    // The league's export is the file `reform export league` writes.
    keep_saved_files(browser).await;
    browser.click("#export-league").await;
    let (name, kind, text) = saved_file(browser).await;
    assert_eq!(name, "par-index-2022.csv");
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(text.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let (status, cli, err) = reform(
        database_url,
        dir,
        &["export", "league", "--year", "2022", "--format", "csv"],
    );
    assert_eq!(status, Some(0), "reform export league: {err}");
    assert_eq!(text, cli, "the browser's league file is the CLI's");
    let ranked_line = format!(
        "{},{},{},{},",
        best["rank"],
        best["name"].as_str().unwrap_or_default(),
        best["total"],
        best["band"].as_str().unwrap_or_default()
    );
    assert!(text.contains(&ranked_line), "{ranked_line} in {text}");

    // Chỉ số: each indicator's status in the API's words, BIZ_REG_CUT judged now.
    browser
        .client
        .goto(&format!("{base}/chi-so"))
        .await
        .expect("the indicators");
    page_loaded(browser, "/chi-so").await;
    let indicators = served.ok(&leader, INDICATORS, json!({})).await;
    let list = indicators["indicators"].as_array().expect("indicators");
    let judged = list
        .iter()
        .find(|i| i["code"] == "BIZ_REG_CUT")
        .expect("BIZ_REG_CUT");
    assert!(judged["trajectory"]["rag"].is_string(), "{judged}");
    for indicator in list {
        let code = indicator["code"].as_str().expect("a code");
        let shown = browser
            .text(&format!("[data-indicator=\"{code}\"] .rag"))
            .await;
        assert_eq!(shown, rag_words(&indicator["trajectory"]["rag"]), "{code}");
    }
    let charts = browser
        .script(
            "return document.querySelectorAll('[data-indicator=\"BIZ_REG_CUT\"] canvas').length",
        )
        .await;
    assert_eq!(charts, json!(1), "its trajectory drawn");

    // Trách nhiệm người đứng đầu: the API's heads in order, each no-reward flag with
    // its reasons.
    browser
        .client
        .goto(&format!("{base}/trach-nhiem"))
        .await
        .expect("the accountability");
    page_loaded(browser, "/trach-nhiem").await;
    let heads = served.ok(&leader, ACCOUNTABILITY, json!({})).await;
    let heads = heads["accountability"].as_array().expect("heads");
    let flags: Vec<Value> = heads
        .iter()
        .map(|h| {
            json!(h["noEmulationReward"]
                .as_bool()
                .expect("a flag")
                .to_string())
        })
        .collect();
    assert!(
        flags.contains(&json!("true")),
        "the demo has a head not to be rewarded"
    );
    let shown = browser
        .script("return [...document.querySelectorAll('#heads tr')].map(r => r.dataset.noReward)")
        .await;
    assert_eq!(shown, json!(flags));
    let texts = browser
        .script("return [...document.querySelectorAll('#heads tr')].map(r => r.textContent)")
        .await;
    for (head, text) in heads.iter().zip(texts.as_array().expect("rows")) {
        let text = text.as_str().unwrap_or_default();
        assert!(
            text.contains(head["head"]["name"].as_str().unwrap_or_default()),
            "{text}"
        );
        for reason in head["reasons"].as_array().expect("reasons") {
            assert!(
                text.contains(reason.as_str().unwrap_or_default()),
                "{reason} in {text}"
            );
        }
        assert_eq!(
            text.contains("Không xét thi đua, khen thưởng"),
            head["noEmulationReward"] == json!(true),
            "{text}"
        );
    }

    // Its export is `reform export accountability`'s file, but for the title's day.
    keep_saved_files(browser).await;
    browser.click("#export").await;
    let (name, _, text) = saved_file(browser).await;
    assert_eq!(name, "trach-nhiem-nguoi-dung-dau.csv");
    let (status, cli, err) = reform(
        database_url,
        dir,
        &["export", "accountability", "--format", "csv"],
    );
    assert_eq!(status, Some(0), "reform export accountability: {err}");
    let body = |csv: &str| csv.lines().skip(1).map(str::to_owned).collect::<Vec<_>>();
    assert!(text.starts_with('\u{feff}'));
    assert_eq!(body(&text), body(&cli), "the browser's rows are the CLI's");

    // A plan's task table, saved from its page, is the API's file (as the CLI's).
    let plans = served
        .ok(&leader, "{ programs { plans { id number } } }", json!({}))
        .await;
    let plan = plans["programs"]
        .as_array()
        .expect("programs")
        .iter()
        .flat_map(|p| p["plans"].as_array().cloned().unwrap_or_default())
        .find(|p| p["number"] == "280/KH-UBND")
        .expect("Hoài Đức's plan 280/KH-UBND in the demo");
    browser
        .client
        .goto(&format!(
            "{base}/ke-hoach/{}",
            plan["id"].as_str().unwrap_or_default()
        ))
        .await
        .expect("the plan's page");
    page_loaded(browser, "/ke-hoach/").await;
    keep_saved_files(browser).await;
    browser.click("#export-csv").await;
    let (name, kind, text) = saved_file(browser).await;
    assert!(
        name.ends_with(".csv") && kind.starts_with("text/csv"),
        "{name}: {kind}"
    );
    let (status, cli, err) = reform(
        database_url,
        dir,
        &["export", "plan", "--plan", "280/KH-UBND", "--format", "csv"],
    );
    assert_eq!(status, Some(0), "reform export plan: {err}");
    assert_eq!(text, cli, "the plan's table as the CLI writes it");
}
