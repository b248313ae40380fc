//! The register of jurisdictions: establishing the nation, provinces and communes, the
//! 1 July 2025 mergers, and what new records may name once the register is loaded.

use chrono::NaiveDate;
use reform_domain::{
    AgencyId, AgencyRegistered, AgencyTier, Command, DomainError, Entity, ErrorKind, Event,
    JurisdictionEstablished, JurisdictionLevel, JurisdictionMerged,
};

use crate::support::given;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

fn established(code: &str, level: JurisdictionLevel, parent: Option<&str>) -> Event {
    Event::JurisdictionEstablished(JurisdictionEstablished {
        code: code.to_owned(),
        name: format!("Đơn vị {code}"),
        level,
        parent: parent.map(str::to_owned),
        established_on: day(2008, 8, 1),
        legal_basis: None,
    })
}

fn establish(code: &str, level: JurisdictionLevel, parent: Option<&str>) -> Command {
    Command::EstablishJurisdiction {
        code: code.to_owned(),
        name: format!("Đơn vị {code}"),
        level,
        parent: parent.map(str::to_owned),
        established_on: day(2008, 8, 1),
        legal_basis: None,
    }
}

fn merge(code: &str, successor: &str, on: NaiveDate) -> Command {
    Command::MergeJurisdiction {
        code: code.to_owned(),
        successor: successor.to_owned(),
        effective_on: on,
        legal_basis: "202/2025/QH15".to_owned(),
    }
}

/// The nation, Đà Nẵng, Quảng Nam and a commune of Quảng Nam.
fn register() -> Vec<Event> {
    use JurisdictionLevel::*;
    vec![
        established("VN", Nation, None),
        established("VN-DN", Province, Some("VN")),
        established("VN-27", Province, Some("VN")),
        established("VN-27-HA", Commune, Some("VN-27")),
    ]
}

fn register_agency(jurisdiction: &str) -> Command {
    Command::RegisterAgency {
        agency_id: AgencyId(uuid::Uuid::from_u128(7)),
        name: "Sở Nội vụ".to_owned(),
        short_name: None,
        tier: AgencyTier::Department,
        block: None,
        jurisdiction: jurisdiction.to_owned(),
        parent: None,
    }
}

#[test]
fn a_province_lies_in_the_nation_and_a_commune_in_its_province() {
    use JurisdictionLevel::*;
    let mut nation = establish(" vn", Nation, None);
    if let Command::EstablishJurisdiction { name, .. } = &mut nation {
        *name = "Đơn vị VN".to_owned();
    }
    given(&[])
        .when(nation)
        .then(&[established("VN", Nation, None)]);
    given(&register()[..1])
        .when(establish("VN-DN", Province, Some("VN")))
        .then(&[established("VN-DN", Province, Some("VN"))]);
    given(&register())
        .when(establish("VN-DN-HV", Commune, Some("VN-DN")))
        .then(&[established("VN-DN-HV", Commune, Some("VN-DN"))]);
}

#[test]
fn the_register_refuses_what_does_not_fit_its_tree() {
    use JurisdictionLevel::*;
    // A code not under its parent's.
    given(&register())
        .when(establish("VN-23", Commune, Some("VN-DN")))
        .then_invalid("code");
    // A province in a province, a commune in a commune.
    given(&register())
        .when(establish("VN-DN-X", Province, Some("VN-DN")))
        .then_invalid("parent");
    given(&register())
        .when(establish("VN-27-HA-1", Commune, Some("VN-27-HA")))
        .then_invalid("parent");
    // No parent, an unknown parent, a second nation, twice the same code.
    given(&register())
        .when(establish("VN-23", Province, None))
        .then_invalid("parent");
    let err = given(&register())
        .when(establish("VN-23-A", Commune, Some("VN-23")))
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Jurisdiction,
                    ..
                }
            )
        });
    assert_eq!(err.kind(), ErrorKind::NotFound);
    given(&register())
        .when(establish("VN-23", Nation, None))
        .then_invalid("level");
    given(&register())
        .when(establish("VN-DN", Province, Some("VN")))
        .then_err(|e| matches!(e, DomainError::AlreadyExists { .. }));
}

#[test]
fn quang_nam_merges_into_da_nang_and_takes_no_new_records() {
    let mut history = register();
    history.push(Event::JurisdictionMerged(JurisdictionMerged {
        code: "VN-27".to_owned(),
        successor: "VN-DN".to_owned(),
        effective_on: day(2025, 7, 1),
        legal_basis: "202/2025/QH15".to_owned(),
    }));
    given(&register())
        .when(merge("VN-27", "VN-DN", day(2025, 7, 1)))
        .then(&history[4..]);

    // After the merger Quảng Nam takes no new records; the refusal names the successor.
    let err = given(&history)
        .when(register_agency("VN-27"))
        .then_err(|e| matches!(e, DomainError::JurisdictionCeased { .. }));
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert!(err.to_string().contains("VN-DN"), "{err}");
    given(&history)
        .when(register_agency("VN-DN"))
        .then(&[Event::AgencyRegistered(AgencyRegistered {
            agency_id: AgencyId(uuid::Uuid::from_u128(7)),
            name: "Sở Nội vụ".to_owned(),
            short_name: None,
            tier: AgencyTier::Department,
            block: None,
            jurisdiction: "VN-DN".to_owned(),
            parent: None,
        })]);
    // Merging again, or into what has merged, is refused.
    given(&history)
        .when(merge("VN-27", "VN-DN", day(2025, 7, 1)))
        .then_err(|e| matches!(e, DomainError::JurisdictionCeased { .. }));
    given(&history)
        .when(merge("VN-DN", "VN-27", day(2025, 7, 1)))
        .then_err(|e| matches!(e, DomainError::JurisdictionCeased { .. }));
}

#[test]
fn a_merger_keeps_the_tree_acyclic_and_its_dates_in_order() {
    // Into a commune of its own: the commune would lie in itself.
    given(&register())
        .when(merge("VN-27", "VN-27-HA", day(2025, 7, 1)))
        .then_invalid("successor");
    given(&register())
        .when(merge("VN-27", "VN-27", day(2025, 7, 1)))
        .then_invalid("successor");
    given(&register())
        .when(merge("VN-27", "VN-DN", day(2008, 8, 1)))
        .then_invalid("effective_on");
    given(&register())
        .when(merge("VN", "VN-DN", day(2025, 7, 1)))
        .then_invalid("code");
}

#[test]
fn once_the_register_is_loaded_new_records_name_registered_jurisdictions() {
    given(&register())
        .when(register_agency("VN-23"))
        .then_invalid("jurisdiction");
    // Without a register, a province code stands for itself; a code under one must
    // always be registered.
    assert!(reform_domain::decide(&Default::default(), register_agency("VN-23")).is_ok());
    given(&[])
        .when(register_agency("VN-23-A"))
        .then_invalid("jurisdiction");
}
