//! The given/when/then helper and the fixtures the rule tests share: a few real
//! agencies and documents of Hà Tĩnh, Đà Nẵng and Sơn La.

use chrono::NaiveDate;
use reform_domain::{
    decide, AgencyId, AgencyRegistered, AgencyTier, Block, Command, DirectiveIssued,
    DirectivePoint, DocumentHeader, DocumentId, DomainError, Event, Person, Pillar, PlanIssued,
    ProgramIssued, ProgramLevel, StreamId, World,
};
use uuid::Uuid;

// ---------------------------------------------------------------------------------
// given / when / then
// ---------------------------------------------------------------------------------

/// The world folded from what happened before.
pub(crate) struct Given {
    world: World,
}

/// What happened before the command.
pub(crate) fn given(events: &[Event]) -> Given {
    Given {
        world: World::from_events(events),
    }
}

impl Given {
    /// Judges a command against the world.
    pub(crate) fn when(self, command: Command) -> When {
        let result = decide(&self.world, command.clone());
        When {
            world: self.world,
            command,
            result,
        }
    }
}

/// A command and how the rules judged it.
pub(crate) struct When {
    world: World,
    command: Command,
    result: Result<Vec<Event>, DomainError>,
}

impl When {
    /// The command is accepted and causes exactly these events, all in the command's
    /// target stream. Returns the world with them folded in.
    #[track_caller]
    pub(crate) fn then(self, expected: &[Event]) -> World {
        let name = self.command.name();
        let target: StreamId = self.command.target();
        match self.result {
            Ok(events) => {
                assert_eq!(events, expected, "{name} caused other events than expected");
                let mut world = self.world;
                for event in &events {
                    assert_eq!(
                        event.stream(),
                        target,
                        "{name} wrote {} outside its target",
                        event.event_type()
                    );
                    world.apply(event);
                }
                world
            }
            Err(e) => panic!("{name} was refused: {e}\n{e:?}"),
        }
    }

    /// The command is refused with exactly this error.
    #[track_caller]
    pub(crate) fn then_error(self, expected: DomainError) -> DomainError {
        let err = self.then_err(|_| true);
        assert_eq!(err, expected);
        err
    }

    /// The command is refused with an error the predicate accepts (use `matches!`).
    #[track_caller]
    pub(crate) fn then_err(self, expected: impl FnOnce(&DomainError) -> bool) -> DomainError {
        let name = self.command.name();
        match self.result {
            Ok(events) => panic!("{name} was accepted, causing {events:#?}"),
            Err(e) => {
                assert!(
                    expected(&e),
                    "{name} was refused with an unexpected error: {e}\n{e:?}"
                );
                assert!(
                    !e.to_string().trim().is_empty(),
                    "an error must say something"
                );
                e
            }
        }
    }

    /// The command is refused because of one field; returns the message for the user.
    #[track_caller]
    pub(crate) fn then_invalid(self, field: &str) -> String {
        let err = self.then_err(|e| matches!(e, DomainError::InvalidInput { .. }));
        assert_eq!(err.field(), Some(field), "wrong field blamed: {err}");
        let DomainError::InvalidInput { message, .. } = &err else {
            unreachable!("checked above")
        };
        assert!(
            !message.trim().is_empty(),
            "the message must say what to do"
        );
        assert!(
            err.to_string().starts_with(field),
            "the displayed error names the field: {err}"
        );
        message.clone()
    }
}

/// The error's text mentions every one of `words` (a name, a title, a date…).
#[track_caller]
pub(crate) fn assert_mentions(err: &DomainError, words: &[&str]) {
    let text = err.to_string();
    for word in words {
        assert!(
            text.contains(word),
            "expected \"{word}\" in the message: {text}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Dates and people
// ---------------------------------------------------------------------------------

/// A calendar date.
#[track_caller]
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

pub(crate) fn person(name: &str, title: &str) -> Person {
    Person {
        name: name.to_owned(),
        title: Some(title.to_owned()),
    }
}

// ---------------------------------------------------------------------------------
// Agencies
// ---------------------------------------------------------------------------------

pub(crate) const fn agency(n: u128) -> AgencyId {
    AgencyId(Uuid::from_u128(
        0xA6E0_0000_0000_0000_0000_0000_0000_0000 | n,
    ))
}

pub(crate) const UBND_HA_TINH: AgencyId = agency(1);
pub(crate) const SO_NOI_VU: AgencyId = agency(2);
pub(crate) const SO_TU_PHAP: AgencyId = agency(3);
pub(crate) const SO_TT_TT: AgencyId = agency(4);
pub(crate) const SO_KH_CN: AgencyId = agency(5);
pub(crate) const UBND_LOC_HA: AgencyId = agency(6);
pub(crate) const SO_TAI_CHINH: AgencyId = agency(7);
/// Never registered.
pub(crate) const UNKNOWN_AGENCY: AgencyId = agency(0xDEAD);

pub(crate) const UBND_HA_TINH_NAME: &str = "Ủy ban nhân dân tỉnh Hà Tĩnh";
pub(crate) const SO_NOI_VU_NAME: &str = "Sở Nội vụ tỉnh Hà Tĩnh";
pub(crate) const SO_TU_PHAP_NAME: &str = "Sở Tư pháp tỉnh Hà Tĩnh";
pub(crate) const SO_TT_TT_NAME: &str = "Sở Thông tin và Truyền thông tỉnh Hà Tĩnh";
pub(crate) const SO_KH_CN_NAME: &str = "Sở Khoa học và Công nghệ tỉnh Hà Tĩnh";
pub(crate) const UBND_LOC_HA_NAME: &str = "Ủy ban nhân dân huyện Lộc Hà";
pub(crate) const SO_TAI_CHINH_NAME: &str = "Sở Tài chính tỉnh Hà Tĩnh";

/// An `AgencyRegistered` event in Hà Tĩnh (VN-23).
pub(crate) fn registered(
    id: AgencyId,
    name: &str,
    tier: AgencyTier,
    block: Option<Block>,
    parent: Option<AgencyId>,
) -> Event {
    Event::AgencyRegistered(AgencyRegistered {
        agency_id: id,
        name: name.to_owned(),
        short_name: None,
        tier,
        block,
        jurisdiction: "VN-23".to_owned(),
        parent,
    })
}

fn department(id: AgencyId, name: &str) -> Event {
    registered(
        id,
        name,
        AgencyTier::Department,
        Some(Block::Departments),
        Some(UBND_HA_TINH),
    )
}

/// The provincial People's Committee and its departments, all active.
pub(crate) fn ha_tinh_agencies() -> Vec<Event> {
    vec![
        registered(
            UBND_HA_TINH,
            UBND_HA_TINH_NAME,
            AgencyTier::ProvincialPeoplesCommittee,
            None,
            None,
        ),
        department(SO_NOI_VU, SO_NOI_VU_NAME),
        department(SO_TU_PHAP, SO_TU_PHAP_NAME),
        department(SO_TT_TT, SO_TT_TT_NAME),
        department(SO_KH_CN, SO_KH_CN_NAME),
        registered(
            UBND_LOC_HA,
            UBND_LOC_HA_NAME,
            AgencyTier::DistrictPeoplesCommittee,
            Some(Block::Districts),
            Some(UBND_HA_TINH),
        ),
        department(SO_TAI_CHINH, SO_TAI_CHINH_NAME),
    ]
}

/// 2025: the Department of Information and Communications merged into Science and
/// Technology (from 1/3/2025).
pub(crate) fn tt_tt_merged_into_kh_cn() -> Event {
    Event::AgencyMerged(reform_domain::AgencyMerged {
        agency_id: SO_TT_TT,
        successor: SO_KH_CN,
        effective_on: date(2025, 3, 1),
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    })
}

/// 1/7/2025: district People's Committees were abolished.
pub(crate) fn loc_ha_dissolved() -> Event {
    Event::AgencyDissolved(reform_domain::AgencyDissolved {
        agency_id: UBND_LOC_HA,
        effective_on: date(2025, 7, 1),
        legal_basis: "Luật Tổ chức chính quyền địa phương năm 2025".to_owned(),
    })
}

// ---------------------------------------------------------------------------------
// Documents (document numbers of the directive and plans are illustrative)
// ---------------------------------------------------------------------------------

pub(crate) const fn document(n: u128) -> DocumentId {
    DocumentId(Uuid::from_u128(
        0xD0C0_0000_0000_0000_0000_0000_0000_0000 | n,
    ))
}

pub(crate) const PROGRAM_76: DocumentId = document(76);
pub(crate) const PROGRAM_HA_TINH: DocumentId = document(3504);
pub(crate) const DIRECTIVE_HA_TINH: DocumentId = document(9);
pub(crate) const PLAN_2024: DocumentId = document(2024);
pub(crate) const PLAN_2025: DocumentId = document(2025);
pub(crate) const UNKNOWN_DOCUMENT: DocumentId = document(0xDEAD);

pub(crate) fn header(
    number: &str,
    title: &str,
    issued_on: NaiveDate,
    issuer: &str,
) -> DocumentHeader {
    DocumentHeader {
        number: number.to_owned(),
        title: title.to_owned(),
        issued_on,
        issuer: issuer.to_owned(),
        issuing_agency: None,
        signer: None,
    }
}

pub(crate) fn program_76() -> Event {
    Event::ProgramIssued(ProgramIssued {
        document_id: PROGRAM_76,
        header: header(
            "76/NQ-CP",
            "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030",
            date(2021, 7, 15),
            "Chính phủ",
        ),
        level: ProgramLevel::National,
        jurisdiction: "VN".to_owned(),
        parent_program: None,
        period: reform_domain::Period {
            from_year: 2021,
            to_year: 2030,
        },
    })
}

pub(crate) fn program_ha_tinh() -> Event {
    Event::ProgramIssued(ProgramIssued {
        document_id: PROGRAM_HA_TINH,
        header: DocumentHeader {
            issuing_agency: Some(UBND_HA_TINH),
            ..header(
                "3504/QĐ-UBND",
                "Chương trình tổng thể cải cách hành chính nhà nước tỉnh Hà Tĩnh giai đoạn 2021–2030",
                date(2021, 10, 22),
                "UBND tỉnh Hà Tĩnh",
            )
        },
        level: ProgramLevel::Provincial,
        jurisdiction: "VN-23".to_owned(),
        parent_program: Some(PROGRAM_76),
        period: reform_domain::Period { from_year: 2021, to_year: 2030 },
    })
}

pub(crate) fn directive_points() -> Vec<DirectivePoint> {
    vec![
        DirectivePoint {
            number: 1,
            text: "Thứ nhất, tăng cường công tác chỉ đạo, điều hành cải cách hành chính".to_owned(),
            pillars: vec![],
        },
        DirectivePoint {
            number: 2,
            text: "Thứ hai, đề cao trách nhiệm người đứng đầu".to_owned(),
            pillars: vec![Pillar::OrganizationalApparatus, Pillar::CivilService],
        },
        DirectivePoint {
            number: 3,
            text: "Thứ ba, đẩy mạnh cải cách thủ tục hành chính".to_owned(),
            pillars: vec![Pillar::AdministrativeProcedures],
        },
    ]
}

pub(crate) fn directive_ha_tinh() -> Event {
    Event::DirectiveIssued(DirectiveIssued {
        document_id: DIRECTIVE_HA_TINH,
        header: DocumentHeader {
            issuing_agency: Some(UBND_HA_TINH),
            signer: Some(person("Nguyễn Hồng Lĩnh", "Phó Chủ tịch Thường trực UBND tỉnh")),
            ..header(
                "09/CT-UBND",
                "Về việc đẩy mạnh thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021–2030 tỉnh Hà Tĩnh",
                date(2023, 5, 18),
                "UBND tỉnh Hà Tĩnh",
            )
        },
        program: Some(PROGRAM_HA_TINH),
        jurisdiction: "VN-23".to_owned(),
        points: directive_points(),
    })
}

pub(crate) fn plan(id: DocumentId, year: i32) -> Event {
    Event::PlanIssued(PlanIssued {
        document_id: id,
        header: header(
            &format!("{}/KH-UBND", 300 + year - 2020),
            &format!("Kế hoạch cải cách hành chính năm {year}"),
            date(year - 1, 12, 20),
            "UBND tỉnh Hà Tĩnh",
        ),
        implements: PROGRAM_HA_TINH,
        issuing_agency: UBND_HA_TINH,
        jurisdiction: "VN-23".to_owned(),
        period: reform_domain::Period {
            from_year: year,
            to_year: year,
        },
    })
}

/// Agencies, the national and provincial programs, the directive and two annual plans.
pub(crate) fn ha_tinh() -> Vec<Event> {
    let mut events = ha_tinh_agencies();
    events.extend([
        program_76(),
        program_ha_tinh(),
        directive_ha_tinh(),
        plan(PLAN_2024, 2024),
        plan(PLAN_2025, 2025),
    ]);
    events
}

/// `ha_tinh()` followed by more events.
pub(crate) fn ha_tinh_and(more: impl IntoIterator<Item = Event>) -> Vec<Event> {
    let mut events = ha_tinh();
    events.extend(more);
    events
}
