//! Vietnamese text: composed (NFC) or decomposed input is stored composed and trimmed.

use reform_domain::{decide, AgencyTier, Block, Command, DomainError, Event, World};
use unicode_normalization::UnicodeNormalization;

use crate::support::*;

const BAN_CHI_DAO: &str = "Ban Chỉ đạo Cải cách hành chính tỉnh Hà Tĩnh";

fn register(name: String) -> Command {
    Command::RegisterAgency {
        agency_id: agency(300),
        name,
        short_name: Some("Ban Chỉ đạo CCHC".nfd().collect()),
        tier: AgencyTier::Department,
        block: Some(Block::Departments),
        jurisdiction: "VN-23".to_owned(),
        parent: Some(UBND_HA_TINH),
    }
}

fn registered_name(events: &[Event]) -> &str {
    match events {
        [Event::AgencyRegistered(e)] => &e.name,
        other => panic!("expected one AgencyRegistered, got {other:?}"),
    }
}

#[test]
fn decomposed_input_is_stored_composed() {
    let decomposed: String = BAN_CHI_DAO.nfd().collect();
    assert_ne!(
        decomposed.as_bytes(),
        BAN_CHI_DAO.as_bytes(),
        "the test input really is decomposed"
    );
    let events = decide(
        &World::from_events(&ha_tinh_agencies()),
        register(decomposed),
    )
    .expect("accepted");
    assert_eq!(registered_name(&events).as_bytes(), BAN_CHI_DAO.as_bytes());
    let Event::AgencyRegistered(e) = &events[0] else {
        unreachable!("checked above")
    };
    assert_eq!(e.short_name.as_deref(), Some("Ban Chỉ đạo CCHC"));
}

#[test]
fn surrounding_whitespace_is_trimmed() {
    let events = decide(
        &World::from_events(&ha_tinh_agencies()),
        register(format!(" \t{BAN_CHI_DAO}   \n")),
    )
    .expect("accepted");
    assert_eq!(registered_name(&events), BAN_CHI_DAO);
}

#[test]
fn a_decomposed_title_of_a_task_is_stored_composed() {
    let title = "Cải cách thủ tục hành chính lĩnh vực đất đai";
    let events = decide(
        &World::from_events(&ha_tinh()),
        Command::CreateTask {
            reference: None,
            task_id: reform_domain::TaskId(uuid::Uuid::from_u128(
                0x7A5C_0000_0000_0000_0000_0000_0000_0300,
            )),
            plan: PLAN_2024,
            parent_task: None,
            directive_point: None,
            category: reform_domain::TaskCategory::Pillar(
                reform_domain::Pillar::AdministrativeProcedures,
            ),
            title: format!("{}  ", title.nfd().collect::<String>()),
            description: Some("Rà soát\nđơn giản hóa".nfd().collect()),
            lead: SO_TU_PHAP,
            coordinators: vec![],
            deadline: reform_domain::Deadline::On(date(2024, 12, 31)),
            expected_output: "Quyết định công bố".nfd().collect(),
            weight: None,
        },
    )
    .expect("accepted");
    let [Event::TaskCreated(e)] = events.as_slice() else {
        panic!("one TaskCreated: {events:?}")
    };
    assert_eq!(e.title, title);
    assert_eq!(
        e.description.as_deref(),
        Some("Rà soát\nđơn giản hóa"),
        "newlines are kept in long text"
    );
    assert_eq!(e.expected_output, "Quyết định công bố");
}

#[test]
fn renaming_to_the_decomposed_current_name_is_no_rename() {
    given(&ha_tinh_agencies())
        .when(Command::RenameAgency {
            agency_id: SO_NOI_VU,
            new_name: SO_NOI_VU_NAME.nfd().collect(),
            effective_on: date(2025, 1, 1),
            reason: "Chuẩn hóa".to_owned(),
        })
        .then_invalid("new_name");
}

#[test]
fn control_characters_are_refused() {
    for bad in [
        "Ban\u{0}Chỉ đạo",
        "Ban\u{7}Chỉ đạo",
        "Ban\rChỉ đạo",
        "Ban\u{85}Chỉ đạo",
    ] {
        let message = given(&ha_tinh_agencies())
            .when(register(bad.to_owned()))
            .then_invalid("name");
        assert!(message.contains("control"), "{message}");
    }
}

#[test]
fn names_are_limited_in_characters_not_bytes() {
    let longest = "ệ".repeat(500);
    assert_eq!(longest.len(), 1_500);
    let events = decide(
        &World::from_events(&ha_tinh_agencies()),
        register(longest.clone()),
    )
    .expect("accepted");
    assert_eq!(registered_name(&events), longest);
    let message = given(&ha_tinh_agencies())
        .when(register("ệ".repeat(501)))
        .then_invalid("name");
    assert!(message.contains("500"), "{message}");
}

#[test]
fn blank_is_empty() {
    for blank in ["", " ", "\u{3000}", "\n\t"] {
        let err = given(&ha_tinh_agencies()).when(register(blank.to_owned())).then_err(|e| {
            matches!(e, DomainError::InvalidInput { field: "name", message } if message.contains("empty"))
        });
        assert_eq!(err.field(), Some("name"));
    }
}

#[test]
fn invisible_and_direction_changing_characters_are_refused() {
    let world = World::from_events(&ha_tinh_agencies());
    for (hidden, code) in [
        ('\u{202E}', "U+202E"),
        ('\u{200B}', "U+200B"),
        ('\u{FEFF}', "U+FEFF"),
        ('\u{2066}', "U+2066"),
    ] {
        let name = format!("Ban Chỉ đạo{hidden} CCHC");
        match decide(&world, register(name)) {
            Err(DomainError::InvalidInput { field, message }) => {
                assert_eq!(field, "name");
                assert!(message.contains(code), "{message}");
            }
            other => panic!("{code} was accepted: {other:?}"),
        }
    }
}
