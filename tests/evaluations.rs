//! Evaluations over the API: PAR INDEX bands as data (set, corrected, re-ranked), on
//! both engines.

use reform_cli::demo::load_demo;
use reform_commands::CommandHandler;
use reform_domain::{AgencyId, Role};
use reform_gateway::Options;
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(
    band_changes_re_rank_and_earlier_years_keep_their_bands,
    par_results_and_dossier_totals_read_as_published,
);

const RANKING: &str = r#"query($year: Int!) {
  parRanking(year: $year, jurisdiction: "VN-DN", block: CENTRAL_AGENCIES) {
    ranked { name total rank band }
    bandCounts { band count }
  }
}"#;

const SET: &str = r#"mutation($input: SetBandSchemeInput!) {
  setBandScheme(input: $input) {
    version replayed
    schemes { jurisdiction fromYear toYear bands { name minTotal } }
  }
}"#;

/// Band → count, leaving out empty bands.
fn counts(data: &Value) -> Vec<(String, u64)> {
    data["parRanking"][0]["bandCounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["count"].as_u64() != Some(0))
        .map(|c| {
            (
                c["band"].as_str().unwrap_or("").to_owned(),
                c["count"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn owned(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|(b, n)| ((*b).to_owned(), *n)).collect()
}

async fn band_changes_re_rank_and_earlier_years_keep_their_bands(t: TestStore) {
    load_demo(&CommandHandler::new(t.store.clone()))
        .await
        .expect("demo");
    let api = ApiServer::start(&t, Options::default()).await;
    let leader = api.token(Role::Leader, "lanh.dao", None);
    let secretariat = api.token(Role::Secretariat, "tran.thi.b", None);

    // The demo's scheme for Đà Nẵng reproduces its published 2022 league table
    // (Đà Nẵng's PAR INDEX 2022 results, announced 21/4/2023).
    let before = api.ok(&leader, RANKING, json!({ "year": 2022 })).await;
    assert_eq!(
        counts(&before),
        owned(&[("Xuất sắc", 3), ("Tốt", 1), ("Trung bình khá", 1)]),
        "{before}"
    );
    let schemes = api
        .ok(
            &leader,
            "{ bandSchemes { jurisdiction fromYear toYear bands { name } } }",
            json!({}),
        )
        .await;
    let listed: Vec<(String, i64)> = schemes["bandSchemes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["jurisdiction"].as_str().unwrap_or("").to_owned(),
                s["fromYear"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![("VN".to_owned(), 2024), ("VN-DN".to_owned(), 2021)]
    );

    // A stricter scheme from 2022 on: 2022 re-ranks into it, 2021 keeps the old one.
    let stricter = json!({ "input": {
        "jurisdiction": "vn-dn", "fromYear": 2022, "clientMutationId": "bands-2022",
        "bands": [
            { "name": "Tốt", "minTotal": 85 }, { "name": "Xuất sắc", "minTotal": 95 },
            { "name": "Khá", "minTotal": 65 }, { "name": "Yếu", "minTotal": 0 }
        ]
    }});
    let officer = api.token(Role::Officer, "can.bo", Some(AgencyId::generate()));
    let (code, _) = api.error(&officer, SET, stricter.clone()).await;
    assert_eq!(code, "FORBIDDEN");
    let set = api.ok(&secretariat, SET, stricter.clone()).await;
    let payload = &set["setBandScheme"];
    assert_eq!(payload["replayed"], false);
    assert_eq!(payload["schemes"][0]["toYear"], 2021, "{payload}");
    assert_eq!(
        payload["schemes"][1]["bands"][0]["name"], "Xuất sắc",
        "best first"
    );
    let again = api.ok(&secretariat, SET, stricter).await;
    assert_eq!(
        again["setBandScheme"]["replayed"], true,
        "the same clientMutationId"
    );

    let after = api.ok(&leader, RANKING, json!({ "year": 2022 })).await;
    assert_eq!(
        counts(&after),
        owned(&[("Xuất sắc", 2), ("Tốt", 2), ("Khá", 1)]),
        "{after}"
    );
    let ranked = &after["parRanking"][0]["ranked"];
    assert_eq!(
        ranked[2]["band"], "Tốt",
        "92.12 is no longer Xuất sắc: {ranked}"
    );
    assert_eq!(ranked[2]["rank"], 3, "ranks do not depend on bands");
    let earlier = api.ok(&leader, RANKING, json!({ "year": 2021 })).await;
    assert!(
        counts(&earlier).iter().any(|(b, _)| b == "Trung bình khá"),
        "2021 keeps the scheme from 2021: {earlier}"
    );

    // Changing 2022 again is a correction: it needs a reason.
    let corrected = |reason: Option<&str>| {
        json!({ "input": {
            "jurisdiction": "VN-DN", "fromYear": 2022, "reason": reason,
            "bands": [ { "name": "Xuất sắc", "minTotal": 90 }, { "name": "Chưa đạt", "minTotal": 0 } ]
        }})
    };
    let (code, error) = api.error(&secretariat, SET, corrected(None)).await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("reason")),
        "{error}"
    );
    let (code, error) = api
        .error(
            &secretariat,
            SET,
            json!({ "input": {
                "jurisdiction": "VN-DN", "fromYear": 2023,
                "bands": [ { "name": "Tốt", "minTotal": 80 } ]
            }}),
        )
        .await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("bands.minTotal")),
        "{error}"
    );
    api.ok(
        &secretariat,
        SET,
        corrected(Some("Quyết định 45/QĐ-UBND điều chỉnh mức xếp loại")),
    )
    .await;
    let last = api.ok(&leader, RANKING, json!({ "year": 2022 })).await;
    assert_eq!(
        counts(&last),
        owned(&[("Xuất sắc", 3), ("Chưa đạt", 2)]),
        "{last}"
    );

    // The history of the scheme is the audit log's.
    let audit = api.token(Role::Auditor, "thanh.tra", None);
    let log = api
        .ok(
            &audit,
            r#"{ auditLog(filter: { eventTypes: ["BandSchemeSet"] }, first: 10) { edges { node { reason } } } }"#,
            json!({}),
        )
        .await;
    let entries = log["auditLog"]["edges"].as_array().map(Vec::len);
    assert_eq!(
        entries,
        Some(4),
        "two demo schemes, the stricter one, the correction: {log}"
    );
    api.stop().await;
}

const AGENCY: &str = r#"query($name: String!) {
  agencies(first: 5, filter: { search: $name }) {
    nodes {
      id name successor { name } predecessors { name }
      parResults { year block { code } total selfAssessedTotal adjustment bonusPoints
                   fieldScores { field maxPoints selfAssessed appraised adjustment }
                   notEvaluatedReason band rank change }
      dossierStatistics { from to received onTimeRate counts { onlineShare completionRate digitisedRate apologyLetters } satisfactionPercent }
    }
  }
}"#;

const PUBLISH: &str = r#"mutation($input: PublishParIndexInput!) {
  publishParIndex(input: $input) { version }
}"#;

const REPORT: &str = r#"mutation($input: ReportDossierStatisticsInput!) {
  reportDossierStatistics(input: $input) { version }
}"#;

const TOTALS: &str = r#"query($period: DossierPeriodKind!, $field: String) {
  dossierTotals(jurisdiction: "VN-DN", period: $period, field: $field, from: "2024-01-01", to: "2024-12-31") {
    leftOut
    periods { from to agencies reports counts { received resolved inProcess onTimeRate onlineShare completionRate digitisedRate digitised } }
  }
}"#;

async fn agency(api: &ApiServer, token: &str, name: &str) -> Value {
    let data = api.ok(token, AGENCY, json!({ "name": name })).await;
    data["agencies"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("{name}: {data}"))
}

fn dossiers(
    online: u64,
    in_person: u64,
    early: u64,
    late: u64,
    open: u64,
    digitised: Option<u64>,
) -> Value {
    json!({
        "receivedOnline": online, "receivedInPerson": in_person, "carriedOver": 0,
        "resolvedEarly": early, "resolvedOnTime": 0, "resolvedLate": late,
        "inProcessWithinDeadline": open, "inProcessOverdue": 0,
        "apologyLetters": late, "digitised": digitised
    })
}

async fn par_results_and_dossier_totals_read_as_published(t: TestStore) {
    load_demo(&CommandHandler::new(t.store.clone()))
        .await
        .expect("demo");
    let api = ApiServer::start(&t, Options::default()).await;
    let leader = api.token(Role::Leader, "lanh.dao", None);
    let secretariat = api.token(Role::Secretariat, "tran.thi.b", None);

    // Above 100 with bonus points, first of 21 departments.
    let noi_vu = agency(&api, &leader, "Sở Nội vụ thành phố Đà Nẵng").await;
    let y2022 = &noi_vu["parResults"][0];
    assert_eq!(
        (y2022["year"].as_i64(), y2022["total"].as_f64()),
        (Some(2022), Some(101.19))
    );
    assert_eq!(
        (y2022["band"].as_str(), y2022["rank"].as_u64()),
        (Some("Xuất sắc"), Some(1))
    );
    // Not evaluated: apart, with the reason.
    let hoang_sa = agency(&api, &leader, "UBND huyện Hoàng Sa").await;
    assert!(
        hoang_sa["parResults"][0]["notEvaluatedReason"].is_string(),
        "{hoang_sa}"
    );
    assert!(hoang_sa["parResults"][0]["rank"].is_null());

    // 2023: field by field, self-assessed against appraised.
    let id = noi_vu["id"].clone();
    let publish = json!({ "input": {
        "agencyId": id, "year": 2023, "block": "DEPARTMENTS", "total": 93.5,
        "selfAssessedTotal": 97.0, "bonusPoints": 1.5,
        "fieldScores": [
            { "field": "Cải cách thể chế", "maxPoints": 50, "selfAssessed": 49, "appraised": 46 },
            { "field": "Cải cách thủ tục hành chính", "maxPoints": 50, "selfAssessed": 47, "appraised": 46 }
        ]
    }});
    api.ok(&secretariat, PUBLISH, publish.clone()).await;
    let noi_vu = agency(&api, &leader, "Sở Nội vụ thành phố Đà Nẵng").await;
    let y2023 = &noi_vu["parResults"][1];
    assert_eq!(y2023["adjustment"].as_f64(), Some(-3.5), "{y2023}");
    assert_eq!(y2023["fieldScores"][0]["adjustment"].as_f64(), Some(-3.0));
    let change = y2023["change"].as_f64().expect("change on 2022");
    assert!((change - (93.5 - 101.19)).abs() < 1e-9, "{change}");
    // Publishing 2023 again is a correction: refused without a reason, taken with one.
    let (code, error) = api.error(&secretariat, PUBLISH, publish.clone()).await;
    assert_eq!(
        (code.as_str(), &error["extensions"]["field"]),
        ("BAD_USER_INPUT", &json!("reason")),
        "{error}"
    );
    let mut corrected = publish;
    corrected["input"]["reason"] = json!("Kết quả thẩm định lại theo Quyết định 77/QĐ-UBND");
    corrected["input"]["total"] = json!(94.5);
    corrected["input"]["bonusPoints"] = json!(2.5);
    api.ok(&secretariat, PUBLISH, corrected).await;

    // SIPAS: per agency and year, with the change on the year before.
    let sipas =
        r#"mutation($input: PublishSipasInput!) { publishSipas(input: $input) { version } }"#;
    let so_y_te = agency(&api, &leader, "Sở Y tế thành phố Đà Nẵng").await["id"].clone();
    for (who, year, percent) in [
        (&id, 2023, 86.5),
        (&id, 2024, 90.25),
        (&so_y_te, 2024, 82.0),
    ] {
        api.ok(
            &secretariat,
            sipas,
            json!({ "input": { "agencyId": who, "year": year, "satisfactionPercent": percent, "respondents": 1200 } }),
        )
        .await;
    }
    let read = api
        .ok(
            &leader,
            r#"{ sipas(year: 2024, jurisdiction: "VN-DN") { name satisfactionPercent respondents change } }"#,
            json!({}),
        )
        .await;
    let rows = read["sipas"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2, "{read}");
    assert_eq!(rows[0]["name"], "Sở Nội vụ thành phố Đà Nẵng", "best first");
    assert_eq!(rows[0]["change"].as_f64(), Some(3.75));
    assert!(rows[1]["change"].is_null());
    assert_eq!(rows[1]["respondents"], 1200);

    // Dossier statistics of two departments: January to March monthly, and one
    // department's whole first quarter in one report.
    let tu_phap = agency(&api, &leader, "Sở Tư pháp thành phố Đà Nẵng").await["id"].clone();
    let y_te = agency(&api, &leader, "Sở Y tế thành phố Đà Nẵng").await["id"].clone();
    for (month, last) in [(1, 31), (2, 29), (3, 31)] {
        let input = json!({ "input": {
            "agencyId": tu_phap, "periodFrom": format!("2024-{month:02}-01"),
            "periodTo": format!("2024-{month:02}-{last}"),
            "counts": dossiers(80, 20, 95, 5, 0, Some(90))
        }});
        api.ok(&secretariat, REPORT, input).await;
    }
    api.ok(
        &secretariat,
        REPORT,
        json!({ "input": {
            "agencyId": y_te, "periodFrom": "2024-01-01", "periodTo": "2024-03-31",
            "counts": dossiers(150, 150, 250, 30, 20, None)
        }}),
    )
    .await;
    // Per field too, which the totals do not count twice.
    api.ok(
        &secretariat,
        REPORT,
        json!({ "input": {
            "agencyId": y_te, "periodFrom": "2024-01-01", "periodTo": "2024-03-31",
            "field": "Khám bệnh, chữa bệnh", "counts": dossiers(50, 50, 90, 10, 0, None)
        }}),
    )
    .await;
    // An unbalanced report is refused with its numbers.
    let mut unbalanced = dossiers(80, 20, 95, 5, 0, None);
    unbalanced["resolvedEarly"] = json!(90);
    let (code, error) = api
        .error(
            &secretariat,
            REPORT,
            json!({ "input": { "agencyId": tu_phap, "periodFrom": "2024-04-01", "periodTo": "2024-04-30", "counts": unbalanced }}),
        )
        .await;
    assert_eq!(code, "BAD_USER_INPUT", "{error}");
    let message = error["message"].as_str().unwrap_or("");
    assert!(
        message.contains("100") && message.contains("95"),
        "{message}"
    );

    let quarter = api
        .ok(&leader, TOTALS, json!({ "period": "QUARTER" }))
        .await;
    let totals = &quarter["dossierTotals"];
    assert_eq!(totals["leftOut"], 0);
    let q1 = &totals["periods"][0];
    assert_eq!(
        (q1["from"].as_str(), q1["to"].as_str()),
        (Some("2024-01-01"), Some("2024-03-31"))
    );
    assert_eq!(
        (q1["agencies"].as_u64(), q1["reports"].as_u64()),
        (Some(2), Some(4))
    );
    let c = &q1["counts"];
    assert_eq!(
        (
            c["received"].as_u64(),
            c["resolved"].as_u64(),
            c["inProcess"].as_u64()
        ),
        (Some(600), Some(580), Some(20))
    );
    // Rates on the sums: (3·95 + 250) / 580 on time; (3·80 + 150) / 600 online.
    let rate = |v: &Value| v.as_f64().expect("a rate");
    assert!((rate(&c["onTimeRate"]) - 535.0 / 580.0).abs() < 1e-9, "{c}");
    assert!(
        (rate(&c["onlineShare"]) - 390.0 / 600.0).abs() < 1e-9,
        "{c}"
    );
    assert!(
        c["digitisedRate"].is_null(),
        "Sở Y tế did not report digitisation: {c}"
    );
    // By month: the quarterly report fits no month and is counted apart.
    let months = api.ok(&leader, TOTALS, json!({ "period": "MONTH" })).await;
    let totals = &months["dossierTotals"];
    assert_eq!(totals["leftOut"], 1, "{totals}");
    assert_eq!(totals["periods"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        totals["periods"][1]["counts"]["digitisedRate"].as_f64(),
        Some(0.9)
    );
    // One field.
    let field = api
        .ok(
            &leader,
            TOTALS,
            json!({ "period": "YEAR", "field": "khám bệnh, chữa bệnh" }),
        )
        .await;
    assert_eq!(
        field["dossierTotals"]["periods"][0]["counts"]["received"],
        100
    );
    api.stop().await;
}
