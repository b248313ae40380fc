//! Evaluations over the API: PAR INDEX bands as data (set, corrected, re-ranked), on
//! both engines.

use reform_cli::demo::load_demo;
use reform_domain::{AgencyId, Role};
use reform_gateway::Options;
use reform_store::CommandHandler;
use serde_json::{json, Value};

use crate::support::api::ApiServer;
use crate::support::stores::{on_both_engines, TestStore};

on_both_engines!(band_changes_re_rank_and_earlier_years_keep_their_bands);

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

    // The demo's scheme for Đà Nẵng reproduces the 2022 table DOMAIN.md gives.
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
