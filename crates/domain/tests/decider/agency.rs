//! Agencies: registration, renaming, heads, mergers and dissolution.

use reform_domain::{
    AgencyDissolved, AgencyHeadAppointed, AgencyMerged, AgencyRegistered, AgencyRenamed,
    AgencyStatus, AgencyTier, Block, Command, DomainError, Entity, Event,
};

use crate::support::*;

fn register(
    agency_id: reform_domain::AgencyId,
    name: &str,
    parent: Option<reform_domain::AgencyId>,
) -> Command {
    Command::RegisterAgency {
        agency_id,
        name: name.to_owned(),
        short_name: Some("Sở Nội vụ".to_owned()),
        tier: AgencyTier::Department,
        block: Some(Block::Departments),
        jurisdiction: "vn-23 ".to_owned(),
        parent,
    }
}

#[test]
fn registering_an_agency_records_it_with_a_normalised_jurisdiction() {
    given(&[registered(
        UBND_HA_TINH,
        UBND_HA_TINH_NAME,
        AgencyTier::ProvincialPeoplesCommittee,
        None,
        None,
    )])
    .when(register(SO_NOI_VU, SO_NOI_VU_NAME, Some(UBND_HA_TINH)))
    .then(&[Event::AgencyRegistered(AgencyRegistered {
        agency_id: SO_NOI_VU,
        name: SO_NOI_VU_NAME.to_owned(),
        short_name: Some("Sở Nội vụ".to_owned()),
        tier: AgencyTier::Department,
        block: Some(Block::Departments),
        jurisdiction: "VN-23".to_owned(),
        parent: Some(UBND_HA_TINH),
    })]);
}

#[test]
fn a_national_agency_without_parent_or_short_name_is_accepted() {
    given(&[])
        .when(Command::RegisterAgency {
            agency_id: agency(100),
            name: "Bộ Nội vụ".to_owned(),
            short_name: Some("   ".to_owned()),
            tier: AgencyTier::Ministry,
            block: Some(Block::Ministries),
            jurisdiction: "VN".to_owned(),
            parent: None,
        })
        .then(&[Event::AgencyRegistered(AgencyRegistered {
            agency_id: agency(100),
            name: "Bộ Nội vụ".to_owned(),
            short_name: None,
            tier: AgencyTier::Ministry,
            block: Some(Block::Ministries),
            jurisdiction: "VN".to_owned(),
            parent: None,
        })]);
}

#[test]
fn registering_an_agency_twice_is_refused() {
    let err = given(&ha_tinh_agencies())
        .when(register(SO_NOI_VU, SO_NOI_VU_NAME, Some(UBND_HA_TINH)))
        .then_err(|e| {
            matches!(
                e,
                DomainError::AlreadyExists {
                    entity: Entity::Agency,
                    ..
                }
            )
        });
    assert_mentions(&err, &[&SO_NOI_VU.to_string(), "already exists"]);
    assert_eq!(err.field(), None);
}

#[test]
fn a_jurisdiction_must_be_vn_or_an_iso_3166_2_vn_code() {
    for bad in [
        "",
        "Hà Tĩnh",
        "VN-",
        "23",
        "VN-DN-01",
        "VN-ĐN",
        "VN-123456789",
    ] {
        let message = given(&[])
            .when(Command::RegisterAgency {
                agency_id: SO_NOI_VU,
                name: SO_NOI_VU_NAME.to_owned(),
                short_name: None,
                tier: AgencyTier::Department,
                block: None,
                jurisdiction: bad.to_owned(),
                parent: None,
            })
            .then_invalid("jurisdiction");
        assert!(
            message.contains("VN-DN"),
            "the message shows a valid example: {message}"
        );
    }
}

#[test]
fn an_agency_name_must_not_be_blank() {
    given(&[])
        .when(register(SO_NOI_VU, "  ", None))
        .then_invalid("name");
}

#[test]
fn an_agency_cannot_be_its_own_parent() {
    given(&[])
        .when(register(SO_NOI_VU, SO_NOI_VU_NAME, Some(SO_NOI_VU)))
        .then_invalid("parent");
}

#[test]
fn the_parent_must_be_on_record() {
    given(&[])
        .when(register(SO_NOI_VU, SO_NOI_VU_NAME, Some(UNKNOWN_AGENCY)))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
}

#[test]
fn the_parent_must_still_exist() {
    let err = given(&[ha_tinh_agencies(), vec![loc_ha_dissolved()]].concat())
        .when(Command::RegisterAgency {
            agency_id: agency(200),
            name: "Ủy ban nhân dân xã Thạch Châu".to_owned(),
            short_name: None,
            tier: AgencyTier::CommunePeoplesCommittee,
            block: Some(Block::Communes),
            jurisdiction: "VN-23".to_owned(),
            parent: Some(UBND_LOC_HA),
        })
        .then_error(DomainError::AgencyNotActive {
            agency: UBND_LOC_HA,
            name: UBND_LOC_HA_NAME.to_owned(),
            state: "was dissolved on 2025-07-01".to_owned(),
        });
    assert_mentions(&err, &[UBND_LOC_HA_NAME, "2025-07-01", "successor"]);
}

// --- renaming ---------------------------------------------------------------------

#[test]
fn renaming_keeps_the_old_name() {
    let world = given(&ha_tinh_agencies())
        .when(Command::RenameAgency {
            agency_id: SO_KH_CN,
            new_name: "Sở Khoa học, Công nghệ và Chuyển đổi số tỉnh Hà Tĩnh".to_owned(),
            effective_on: date(2025, 3, 1),
            reason: "Hợp nhất theo Nghị quyết 190/2025/QH15".to_owned(),
        })
        .then(&[Event::AgencyRenamed(AgencyRenamed {
            agency_id: SO_KH_CN,
            old_name: SO_KH_CN_NAME.to_owned(),
            new_name: "Sở Khoa học, Công nghệ và Chuyển đổi số tỉnh Hà Tĩnh".to_owned(),
            effective_on: date(2025, 3, 1),
        })]);
    let agency = &world.agencies[&SO_KH_CN];
    assert_eq!(
        agency.name,
        "Sở Khoa học, Công nghệ và Chuyển đổi số tỉnh Hà Tĩnh"
    );
    assert_eq!(
        agency.former_names,
        vec![(SO_KH_CN_NAME.to_owned(), date(2025, 3, 1))]
    );
}

fn rename(agency_id: reform_domain::AgencyId, new_name: &str, reason: &str) -> Command {
    Command::RenameAgency {
        agency_id,
        new_name: new_name.to_owned(),
        effective_on: date(2025, 3, 1),
        reason: reason.to_owned(),
    }
}

#[test]
fn renaming_to_the_same_name_is_refused() {
    let message = given(&ha_tinh_agencies())
        .when(rename(
            SO_NOI_VU,
            &format!("  {SO_NOI_VU_NAME} "),
            "Chuẩn hóa tên",
        ))
        .then_invalid("new_name");
    assert!(message.contains("current name"), "{message}");
}

#[test]
fn renaming_needs_a_reason_and_a_name() {
    given(&ha_tinh_agencies())
        .when(rename(SO_NOI_VU, "Sở Nội vụ", " "))
        .then_invalid("reason");
    given(&ha_tinh_agencies())
        .when(rename(SO_NOI_VU, "", "Chuẩn hóa tên"))
        .then_invalid("new_name");
}

#[test]
fn renaming_an_unknown_or_merged_agency_is_refused() {
    given(&ha_tinh_agencies())
        .when(rename(UNKNOWN_AGENCY, "Sở Nội vụ", "Chuẩn hóa tên"))
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Agency,
                    ..
                }
            )
        });
    let err = given(&ha_tinh_and([tt_tt_merged_into_kh_cn()]))
        .when(rename(SO_TT_TT, "Sở Chuyển đổi số", "Chuẩn hóa tên"))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_TT_TT),
        );
    assert_mentions(
        &err,
        &[SO_TT_TT_NAME, SO_KH_CN_NAME, "merged", "2025-03-01"],
    );
}

// --- heads ------------------------------------------------------------------------

fn appoint(name: &str, from: chrono::NaiveDate) -> Command {
    Command::AppointHead {
        agency_id: SO_NOI_VU,
        head: person(name, "Giám đốc Sở"),
        from,
        decision: Some("1234/QĐ-UBND".to_owned()),
    }
}

fn appointed(
    name: &str,
    from: chrono::NaiveDate,
    previous: Option<(&str, chrono::NaiveDate)>,
) -> Event {
    Event::AgencyHeadAppointed(AgencyHeadAppointed {
        agency_id: SO_NOI_VU,
        head: person(name, "Giám đốc Sở"),
        from,
        previous_head: previous.map(|(n, _)| person(n, "Giám đốc Sở")),
        previous_tenure_ended_on: previous.map(|(_, d)| d),
        decision: Some("1234/QĐ-UBND".to_owned()),
    })
}

#[test]
fn the_first_head_has_no_predecessor() {
    let world = given(&ha_tinh_agencies())
        .when(appoint("Nguyễn Văn Hùng", date(2021, 1, 4)))
        .then(&[appointed("Nguyễn Văn Hùng", date(2021, 1, 4), None)]);
    let head = world.agencies[&SO_NOI_VU]
        .current_head()
        .expect("a head in office");
    assert_eq!(head.head.name, "Nguyễn Văn Hùng");
    assert_eq!(head.to, None);
}

#[test]
fn appointing_a_new_head_ends_the_previous_tenure_the_day_before() {
    let world = given(&ha_tinh_and([appointed(
        "Nguyễn Văn Hùng",
        date(2021, 1, 4),
        None,
    )]))
    .when(appoint("Trần Thị Hương", date(2024, 3, 1)))
    .then(&[appointed(
        "Trần Thị Hương",
        date(2024, 3, 1),
        Some(("Nguyễn Văn Hùng", date(2024, 2, 29))),
    )]);
    let agency = &world.agencies[&SO_NOI_VU];
    assert_eq!(agency.heads.len(), 2);
    assert_eq!(agency.heads[0].to, Some(date(2024, 2, 29)));
    assert_eq!(
        agency
            .head_on(date(2024, 2, 29))
            .map(|h| h.head.name.as_str()),
        Some("Nguyễn Văn Hùng")
    );
    assert_eq!(
        agency
            .head_on(date(2024, 3, 1))
            .map(|h| h.head.name.as_str()),
        Some("Trần Thị Hương")
    );
}

#[test]
fn a_new_head_cannot_take_office_before_or_on_the_current_heads_first_day() {
    for from in [date(2020, 12, 31), date(2021, 1, 4)] {
        let message = given(&ha_tinh_and([appointed(
            "Nguyễn Văn Hùng",
            date(2021, 1, 4),
            None,
        )]))
        .when(appoint("Trần Thị Hương", from))
        .then_invalid("from");
        assert!(
            message.contains("Nguyễn Văn Hùng") && message.contains("2021-01-04"),
            "{message}"
        );
    }
}

#[test]
fn a_head_needs_a_name() {
    given(&ha_tinh_agencies())
        .when(appoint(" ", date(2021, 1, 4)))
        .then_invalid("head");
}

#[test]
fn a_merged_agency_gets_no_new_head() {
    given(&ha_tinh_and([tt_tt_merged_into_kh_cn()]))
        .when(Command::AppointHead {
            agency_id: SO_TT_TT,
            head: person("Lê Văn Nam", "Giám đốc Sở"),
            from: date(2025, 4, 1),
            decision: None,
        })
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_TT_TT),
        );
}

#[test]
fn a_merger_or_dissolution_ends_the_heads_tenure_the_day_before() {
    let head = Event::AgencyHeadAppointed(AgencyHeadAppointed {
        agency_id: SO_TT_TT,
        head: person("Lê Văn Nam", "Giám đốc Sở"),
        from: date(2022, 5, 1),
        previous_head: None,
        previous_tenure_ended_on: None,
        decision: None,
    });
    let world = reform_domain::World::from_events(&ha_tinh_and([head, tt_tt_merged_into_kh_cn()]));
    let agency = &world.agencies[&SO_TT_TT];
    assert_eq!(agency.heads[0].to, Some(date(2025, 2, 28)));
    assert!(agency.current_head().is_none());
}

// --- mergers and dissolution -------------------------------------------------------

fn merge(agency_id: reform_domain::AgencyId, successor: reform_domain::AgencyId) -> Command {
    Command::MergeAgency {
        agency_id,
        successor,
        effective_on: date(2025, 3, 1),
        legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
    }
}

#[test]
fn merging_an_agency_records_its_successor() {
    let world = given(&ha_tinh_agencies())
        .when(merge(SO_TT_TT, SO_KH_CN))
        .then(&[Event::AgencyMerged(AgencyMerged {
            agency_id: SO_TT_TT,
            successor: SO_KH_CN,
            effective_on: date(2025, 3, 1),
            legal_basis: "Nghị quyết 190/2025/QH15".to_owned(),
        })]);
    assert_eq!(
        world.agencies[&SO_TT_TT].status,
        AgencyStatus::Merged {
            successor: SO_KH_CN,
            on: date(2025, 3, 1)
        }
    );
}

#[test]
fn an_agency_cannot_be_merged_into_itself() {
    given(&ha_tinh_agencies())
        .when(merge(SO_TT_TT, SO_TT_TT))
        .then_invalid("successor");
}

#[test]
fn an_agency_cannot_be_merged_into_a_merged_agency() {
    let err = given(&ha_tinh_and([tt_tt_merged_into_kh_cn()]))
        .when(merge(SO_TU_PHAP, SO_TT_TT))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_TT_TT),
        );
    assert_mentions(&err, &[SO_TT_TT_NAME, SO_KH_CN_NAME]);
}

#[test]
fn a_merged_agency_cannot_be_merged_again() {
    given(&ha_tinh_and([tt_tt_merged_into_kh_cn()]))
        .when(merge(SO_TT_TT, SO_NOI_VU))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == SO_TT_TT),
        );
}

#[test]
fn a_merger_into_an_unknown_agency_or_without_legal_basis_is_refused() {
    given(&ha_tinh_agencies())
        .when(merge(SO_TT_TT, UNKNOWN_AGENCY))
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Agency,
                    ..
                }
            )
        });
    given(&ha_tinh_agencies())
        .when(Command::MergeAgency {
            agency_id: SO_TT_TT,
            successor: SO_KH_CN,
            effective_on: date(2025, 3, 1),
            legal_basis: String::new(),
        })
        .then_invalid("legal_basis");
}

fn dissolve(reason: &str, legal_basis: &str) -> Command {
    Command::DissolveAgency {
        agency_id: UBND_LOC_HA,
        effective_on: date(2025, 7, 1),
        legal_basis: legal_basis.to_owned(),
        reason: reason.to_owned(),
    }
}

#[test]
fn dissolving_an_agency() {
    let world = given(&ha_tinh_agencies())
        .when(dissolve(
            "Không tổ chức cấp huyện",
            "Luật Tổ chức chính quyền địa phương năm 2025",
        ))
        .then(&[Event::AgencyDissolved(AgencyDissolved {
            agency_id: UBND_LOC_HA,
            effective_on: date(2025, 7, 1),
            legal_basis: "Luật Tổ chức chính quyền địa phương năm 2025".to_owned(),
        })]);
    assert_eq!(
        world.agencies[&UBND_LOC_HA].status,
        AgencyStatus::Dissolved {
            on: date(2025, 7, 1)
        }
    );
}

#[test]
fn dissolving_needs_a_reason_a_legal_basis_and_an_active_agency() {
    given(&ha_tinh_agencies())
        .when(dissolve("", "Luật 2025"))
        .then_invalid("reason");
    given(&ha_tinh_agencies())
        .when(dissolve("Không tổ chức cấp huyện", " "))
        .then_invalid("legal_basis");
    given(&ha_tinh_and([loc_ha_dissolved()]))
        .when(dissolve("Không tổ chức cấp huyện", "Luật 2025"))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == UBND_LOC_HA),
        );
}

#[test]
fn optional_names_are_checked_when_given() {
    given(&[])
        .when(Command::RegisterAgency {
            agency_id: SO_NOI_VU,
            name: SO_NOI_VU_NAME.to_owned(),
            short_name: Some("Sở\u{0}NV".to_owned()),
            tier: AgencyTier::Department,
            block: None,
            jurisdiction: "VN-23".to_owned(),
            parent: None,
        })
        .then_invalid("short_name");
    given(&ha_tinh_agencies())
        .when(Command::AppointHead {
            agency_id: SO_NOI_VU,
            head: person("Nguyễn Văn Hùng", "Giám đốc Sở"),
            from: date(2021, 1, 4),
            decision: Some("1".repeat(501)),
        })
        .then_invalid("decision");
    given(&ha_tinh_agencies())
        .when(Command::AppointHead {
            agency_id: SO_NOI_VU,
            head: person("Nguyễn Văn Hùng", "Giám\u{7}đốc"),
            from: date(2021, 1, 4),
            decision: None,
        })
        .then_invalid("head");
}
