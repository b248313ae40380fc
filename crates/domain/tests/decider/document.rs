//! Programs, directives and plans.

use reform_domain::{
    Command, DirectiveIssued, DirectivePoint, DocumentAmended, DocumentHeader, DocumentId,
    DocumentKind, DomainError, Entity, Event, Period, Pillar, PlanIssued, ProgramLevel,
};

use crate::support::*;

fn issue_program(level: ProgramLevel, parent_program: Option<DocumentId>) -> Command {
    let Event::ProgramIssued(p) = program_ha_tinh() else {
        unreachable!("a program")
    };
    Command::IssueProgram {
        document_id: p.document_id,
        header: p.header,
        level,
        jurisdiction: p.jurisdiction,
        parent_program,
        period: p.period,
    }
}

#[test]
fn the_national_program_is_issued_without_parent() {
    let Event::ProgramIssued(p) = program_76() else {
        unreachable!("a program")
    };
    given(&[])
        .when(Command::IssueProgram {
            document_id: PROGRAM_76,
            header: p.header.clone(),
            level: ProgramLevel::National,
            jurisdiction: "vn".to_owned(),
            parent_program: None,
            period: p.period,
        })
        .then(&[program_76()]);
}

#[test]
fn a_provincial_program_implements_the_national_one() {
    given(&[ha_tinh_agencies(), vec![program_76()]].concat())
        .when(issue_program(ProgramLevel::Provincial, Some(PROGRAM_76)))
        .then(&[program_ha_tinh()]);
}

#[test]
fn a_national_program_has_no_parent_program() {
    given(&[ha_tinh_agencies(), vec![program_76()]].concat())
        .when(issue_program(ProgramLevel::National, Some(PROGRAM_76)))
        .then_invalid("parent_program");
}

#[test]
fn the_parent_program_must_be_on_record_and_be_a_program() {
    given(&ha_tinh_agencies())
        .when(issue_program(ProgramLevel::Provincial, Some(PROGRAM_76)))
        .then_error(DomainError::NotFound {
            entity: Entity::Program,
            id: PROGRAM_76.to_string(),
        });
    let message = given(&ha_tinh())
        .when(Command::IssueProgram {
            document_id: document(4000),
            header: header(
                "15/QĐ-UBND",
                "Chương trình CCHC huyện",
                date(2022, 1, 5),
                "UBND tỉnh Hà Tĩnh",
            ),
            level: ProgramLevel::Provincial,
            jurisdiction: "VN-23".to_owned(),
            parent_program: Some(PLAN_2024),
            period: Period {
                from_year: 2022,
                to_year: 2025,
            },
        })
        .then_invalid("parent_program");
    assert!(
        message.contains("304/KH-UBND") && message.contains("plan"),
        "{message}"
    );
}

#[test]
fn a_document_is_issued_once() {
    given(&ha_tinh())
        .when(issue_program(ProgramLevel::Provincial, Some(PROGRAM_76)))
        .then_error(DomainError::AlreadyExists {
            entity: Entity::Document,
            id: PROGRAM_HA_TINH.to_string(),
        });
}

#[test]
fn a_period_runs_forwards_within_plausible_years() {
    for (period, field) in [
        (
            Period {
                from_year: 2030,
                to_year: 2021,
            },
            "period",
        ),
        (
            Period {
                from_year: 1900,
                to_year: 2030,
            },
            "period.from_year",
        ),
        (
            Period {
                from_year: 2021,
                to_year: 3000,
            },
            "period.to_year",
        ),
    ] {
        let Command::IssueProgram {
            document_id,
            header,
            level,
            jurisdiction,
            parent_program,
            ..
        } = issue_program(ProgramLevel::Provincial, Some(PROGRAM_76))
        else {
            unreachable!("a program")
        };
        given(&[ha_tinh_agencies(), vec![program_76()]].concat())
            .when(Command::IssueProgram {
                document_id,
                header,
                level,
                jurisdiction,
                parent_program,
                period,
            })
            .then_invalid(field);
    }
}

#[test]
fn a_header_needs_number_title_issuer_and_a_known_issuing_agency() {
    let base = || {
        let Command::IssueProgram { header, .. } =
            issue_program(ProgramLevel::Provincial, Some(PROGRAM_76))
        else {
            unreachable!("a program")
        };
        header
    };
    let cases: [(DocumentHeader, Option<&str>); 4] = [
        (
            DocumentHeader {
                number: " ".to_owned(),
                ..base()
            },
            Some("header.number"),
        ),
        (
            DocumentHeader {
                title: String::new(),
                ..base()
            },
            Some("header.title"),
        ),
        (
            DocumentHeader {
                issuer: "\u{0}".to_owned(),
                ..base()
            },
            Some("header.issuer"),
        ),
        (
            DocumentHeader {
                issuing_agency: Some(UNKNOWN_AGENCY),
                ..base()
            },
            None,
        ),
    ];
    for (header, field) in cases {
        let when =
            given(&[ha_tinh_agencies(), vec![program_76()]].concat()).when(Command::IssueProgram {
                document_id: PROGRAM_HA_TINH,
                header,
                level: ProgramLevel::Provincial,
                jurisdiction: "VN-23".to_owned(),
                parent_program: Some(PROGRAM_76),
                period: Period {
                    from_year: 2021,
                    to_year: 2030,
                },
            });
        match field {
            Some(field) => {
                when.then_invalid(field);
            }
            None => {
                when.then_err(|e| {
                    matches!(
                        e,
                        DomainError::NotFound {
                            entity: Entity::Agency,
                            ..
                        }
                    )
                });
            }
        }
    }
}

// --- directives --------------------------------------------------------------------

fn issue_directive(program: Option<DocumentId>, points: Vec<DirectivePoint>) -> Command {
    let Event::DirectiveIssued(d) = directive_ha_tinh() else {
        unreachable!("a directive")
    };
    Command::IssueDirective {
        document_id: DIRECTIVE_HA_TINH,
        header: d.header,
        program,
        jurisdiction: "VN-23".to_owned(),
        points,
    }
}

fn before_directive() -> Vec<reform_domain::Event> {
    [ha_tinh_agencies(), vec![program_76(), program_ha_tinh()]].concat()
}

#[test]
fn a_directive_is_issued_with_its_points_and_pillars_sorted_without_repeats() {
    let mut points = directive_points();
    points[1].pillars = vec![
        Pillar::CivilService,
        Pillar::OrganizationalApparatus,
        Pillar::CivilService,
    ];
    given(&before_directive())
        .when(issue_directive(Some(PROGRAM_HA_TINH), points))
        .then(&[directive_ha_tinh()]);
}

#[test]
fn a_directive_needs_at_least_one_point() {
    let message = given(&before_directive())
        .when(issue_directive(Some(PROGRAM_HA_TINH), vec![]))
        .then_invalid("points");
    assert!(message.contains("at least one"), "{message}");
}

#[test]
fn directive_points_are_numbered_distinctly_from_one() {
    for numbers in [[1, 2, 2], [0, 1, 2]] {
        let mut points = directive_points();
        for (p, n) in points.iter_mut().zip(numbers) {
            p.number = n;
        }
        given(&before_directive())
            .when(issue_directive(Some(PROGRAM_HA_TINH), points))
            .then_invalid("points");
    }
}

#[test]
fn a_directive_point_says_something() {
    let mut points = directive_points();
    points[2].text = " \n ".to_owned();
    given(&before_directive())
        .when(issue_directive(Some(PROGRAM_HA_TINH), points))
        .then_invalid("points.text");
}

#[test]
fn a_directive_serves_a_program_on_record() {
    given(&before_directive())
        .when(issue_directive(Some(UNKNOWN_DOCUMENT), directive_points()))
        .then_error(DomainError::NotFound {
            entity: Entity::Program,
            id: UNKNOWN_DOCUMENT.to_string(),
        });
    given(&ha_tinh_and([]))
        .when(Command::IssueDirective {
            document_id: document(10),
            header: header(
                "10/CT-UBND",
                "Chỉ thị về kỷ luật, kỷ cương",
                date(2024, 2, 1),
                "UBND tỉnh Hà Tĩnh",
            ),
            program: Some(PLAN_2024),
            jurisdiction: "VN-23".to_owned(),
            points: directive_points(),
        })
        .then_invalid("program");
}

#[test]
fn a_directive_may_serve_no_program() {
    let Event::DirectiveIssued(expected) = directive_ha_tinh() else {
        unreachable!("a directive")
    };
    given(&before_directive())
        .when(issue_directive(None, directive_points()))
        .then(&[Event::DirectiveIssued(DirectiveIssued {
            program: None,
            ..expected
        })]);
}

// --- plans -------------------------------------------------------------------------

pub(crate) fn issue_plan(
    id: DocumentId,
    implements: DocumentId,
    issuing_agency: reform_domain::AgencyId,
) -> Command {
    let Event::PlanIssued(p) = plan(PLAN_2024, 2024) else {
        unreachable!("a plan")
    };
    Command::IssuePlan {
        document_id: id,
        header: p.header,
        implements,
        issuing_agency,
        jurisdiction: p.jurisdiction,
        period: p.period,
    }
}

#[test]
fn a_plan_implements_a_program() {
    given(&before_directive())
        .when(issue_plan(PLAN_2024, PROGRAM_HA_TINH, UBND_HA_TINH))
        .then(&[plan(PLAN_2024, 2024)]);
}

#[test]
fn a_plan_may_implement_a_directive() {
    let Event::PlanIssued(expected) = plan(PLAN_2024, 2024) else {
        unreachable!("a plan")
    };
    given(&ha_tinh_and([]))
        .when(issue_plan(document(2026), DIRECTIVE_HA_TINH, SO_NOI_VU))
        .then(&[Event::PlanIssued(PlanIssued {
            document_id: document(2026),
            implements: DIRECTIVE_HA_TINH,
            issuing_agency: SO_NOI_VU,
            ..expected
        })]);
}

#[test]
fn a_plan_does_not_implement_a_plan() {
    let message = given(&ha_tinh())
        .when(issue_plan(document(2026), PLAN_2024, UBND_HA_TINH))
        .then_invalid("implements");
    assert!(message.contains("304/KH-UBND"), "{message}");
}

#[test]
fn a_plan_implements_something_on_record() {
    given(&ha_tinh())
        .when(issue_plan(document(2026), UNKNOWN_DOCUMENT, UBND_HA_TINH))
        .then_error(DomainError::NotFound {
            entity: Entity::Document,
            id: UNKNOWN_DOCUMENT.to_string(),
        });
}

#[test]
fn a_plan_is_issued_by_an_active_agency() {
    let err = given(&ha_tinh_and([loc_ha_dissolved()]))
        .when(issue_plan(document(2026), PROGRAM_HA_TINH, UBND_LOC_HA))
        .then_err(
            |e| matches!(e, DomainError::AgencyNotActive { agency, .. } if *agency == UBND_LOC_HA),
        );
    assert_mentions(&err, &[UBND_LOC_HA_NAME]);
}

// --- amendments --------------------------------------------------------------------

fn amend(document_id: DocumentId) -> Command {
    Command::AmendDocument {
        document_id,
        amended_by: Some("15/QĐ-UBND".to_owned()),
        title: None,
        signer: None,
        period: None,
        points: None,
        reason: "Điều chỉnh theo Quyết định 282/QĐ-TTg".to_owned(),
    }
}

fn amended(document_id: DocumentId) -> DocumentAmended {
    DocumentAmended {
        document_id,
        amended_by: Some("15/QĐ-UBND".to_owned()),
        title: None,
        signer: None,
        period: None,
        points: None,
    }
}

#[test]
fn amending_a_plans_period_and_title() {
    let Command::AmendDocument {
        document_id,
        amended_by,
        signer,
        points,
        reason,
        ..
    } = amend(PLAN_2025)
    else {
        unreachable!("an amendment")
    };
    let world = given(&ha_tinh())
        .when(Command::AmendDocument {
            document_id,
            amended_by,
            title: Some("Kế hoạch cải cách hành chính năm 2025 (sửa đổi)".to_owned()),
            signer,
            period: Some(Period {
                from_year: 2025,
                to_year: 2026,
            }),
            points,
            reason,
        })
        .then(&[Event::DocumentAmended(DocumentAmended {
            title: Some("Kế hoạch cải cách hành chính năm 2025 (sửa đổi)".to_owned()),
            period: Some(Period {
                from_year: 2025,
                to_year: 2026,
            }),
            ..amended(PLAN_2025)
        })]);
    let doc = &world.documents[&PLAN_2025];
    assert_eq!(doc.amendments, 1);
    assert_eq!(
        doc.header.title,
        "Kế hoạch cải cách hành chính năm 2025 (sửa đổi)"
    );
    assert!(matches!(
        doc.kind,
        DocumentKind::Plan {
            period: Period { to_year: 2026, .. },
            ..
        }
    ));
}

#[test]
fn amending_a_directives_points_and_signer() {
    let mut points = directive_points();
    points.push(DirectivePoint {
        number: 4,
        text: "Thứ tư, đẩy mạnh chuyển đổi số".to_owned(),
        pillars: vec![Pillar::DigitalGovernment],
    });
    let signer = person("Võ Trọng Hải", "Chủ tịch UBND tỉnh");
    let Command::AmendDocument {
        document_id,
        amended_by,
        title,
        period,
        reason,
        ..
    } = amend(DIRECTIVE_HA_TINH)
    else {
        unreachable!("an amendment")
    };
    let world = given(&ha_tinh())
        .when(Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer: Some(signer.clone()),
            period,
            points: Some(points.clone()),
            reason,
        })
        .then(&[Event::DocumentAmended(DocumentAmended {
            signer: Some(signer.clone()),
            points: Some(points.clone()),
            ..amended(DIRECTIVE_HA_TINH)
        })]);
    let doc = &world.documents[&DIRECTIVE_HA_TINH];
    assert_eq!(doc.header.signer, Some(signer));
    assert_eq!(
        doc.kind,
        DocumentKind::Directive {
            program: Some(PROGRAM_HA_TINH),
            points
        }
    );
}

#[test]
fn an_amendment_changes_something() {
    let message = given(&ha_tinh())
        .when(amend(PLAN_2024))
        .then_invalid("title");
    assert!(
        message.contains("title, signer, period or points"),
        "{message}"
    );
}

#[test]
fn an_amendment_needs_a_reason_and_a_document_on_record() {
    let Command::AmendDocument {
        document_id,
        amended_by,
        signer,
        period,
        points,
        ..
    } = amend(PLAN_2024)
    else {
        unreachable!("an amendment")
    };
    given(&ha_tinh())
        .when(Command::AmendDocument {
            document_id,
            amended_by,
            title: Some("Kế hoạch".to_owned()),
            signer,
            period,
            points,
            reason: String::new(),
        })
        .then_invalid("reason");
    given(&ha_tinh())
        .when(amend(UNKNOWN_DOCUMENT))
        .then_error(DomainError::NotFound {
            entity: Entity::Document,
            id: UNKNOWN_DOCUMENT.to_string(),
        });
}

#[test]
fn a_directive_has_no_period_and_a_plan_no_points() {
    let with_period = |id| match amend(id) {
        Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer,
            points,
            reason,
            ..
        } => Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer,
            period: Some(Period {
                from_year: 2023,
                to_year: 2025,
            }),
            points,
            reason,
        },
        _ => unreachable!("an amendment"),
    };
    let with_points = |id| match amend(id) {
        Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer,
            period,
            reason,
            ..
        } => Command::AmendDocument {
            document_id,
            amended_by,
            title,
            signer,
            period,
            points: Some(directive_points()),
            reason,
        },
        _ => unreachable!("an amendment"),
    };
    given(&ha_tinh())
        .when(with_period(DIRECTIVE_HA_TINH))
        .then_invalid("period");
    let message = given(&ha_tinh())
        .when(with_points(PLAN_2024))
        .then_invalid("points");
    assert!(message.contains("plan"), "{message}");
    given(&ha_tinh())
        .when(with_points(PROGRAM_HA_TINH))
        .then_invalid("points");
}

#[test]
fn amended_values_are_checked_like_new_ones() {
    let with = |title: Option<&str>,
                period: Option<Period>,
                points: Option<Vec<DirectivePoint>>,
                id| match amend(id) {
        Command::AmendDocument {
            document_id,
            amended_by,
            signer,
            reason,
            ..
        } => Command::AmendDocument {
            document_id,
            amended_by,
            title: title.map(str::to_owned),
            signer,
            period,
            points,
            reason,
        },
        _ => unreachable!("an amendment"),
    };
    given(&ha_tinh())
        .when(with(Some("  "), None, None, PLAN_2024))
        .then_invalid("title");
    given(&ha_tinh())
        .when(with(
            None,
            Some(Period {
                from_year: 2026,
                to_year: 2025,
            }),
            None,
            PLAN_2024,
        ))
        .then_invalid("period");
    given(&ha_tinh())
        .when(with(None, None, Some(vec![]), DIRECTIVE_HA_TINH))
        .then_invalid("points");
}

#[test]
fn a_signer_is_checked_like_any_person() {
    let Command::IssueDirective {
        document_id,
        header,
        program,
        jurisdiction,
        points,
    } = issue_directive(Some(PROGRAM_HA_TINH), directive_points())
    else {
        unreachable!("a directive")
    };
    given(&before_directive())
        .when(Command::IssueDirective {
            document_id,
            header: DocumentHeader {
                signer: Some(person("", "Chủ tịch UBND tỉnh")),
                ..header
            },
            program,
            jurisdiction,
            points,
        })
        .then_invalid("header.signer");
    let with =
        |amended_by: &str, signer: Option<reform_domain::Person>| match amend(DIRECTIVE_HA_TINH) {
            Command::AmendDocument {
                document_id,
                title,
                period,
                points,
                reason,
                ..
            } => Command::AmendDocument {
                document_id,
                amended_by: Some(amended_by.to_owned()),
                title,
                signer,
                period,
                points,
                reason,
            },
            _ => unreachable!("an amendment"),
        };
    given(&ha_tinh())
        .when(with(
            "15/QĐ-UBND",
            Some(person("Võ\u{0}Trọng Hải", "Chủ tịch")),
        ))
        .then_invalid("signer");
    given(&ha_tinh())
        .when(with(
            &"15/QĐ-UBND".repeat(60),
            Some(person("Võ Trọng Hải", "Chủ tịch")),
        ))
        .then_invalid("amended_by");
}

#[test]
fn a_directive_is_issued_once_in_a_jurisdiction() {
    given(&ha_tinh())
        .when(issue_directive(Some(PROGRAM_HA_TINH), directive_points()))
        .then_error(DomainError::AlreadyExists {
            entity: Entity::Document,
            id: DIRECTIVE_HA_TINH.to_string(),
        });
    let Command::IssueDirective {
        document_id,
        header,
        program,
        points,
        ..
    } = issue_directive(Some(PROGRAM_HA_TINH), directive_points())
    else {
        unreachable!("a directive")
    };
    given(&before_directive())
        .when(Command::IssueDirective {
            document_id,
            header,
            program,
            jurisdiction: "Hà Tĩnh".to_owned(),
            points,
        })
        .then_invalid("jurisdiction");
}

#[test]
fn a_plan_is_issued_by_an_agency_on_record() {
    given(&ha_tinh())
        .when(issue_plan(document(2026), PROGRAM_HA_TINH, UNKNOWN_AGENCY))
        .then_error(DomainError::NotFound {
            entity: Entity::Agency,
            id: UNKNOWN_AGENCY.to_string(),
        });
}

// --- roll-up rules -------------------------------------------------------------------

fn set_rule(document_id: DocumentId, rule: reform_domain::RollupRule) -> Command {
    Command::SetRollupRule {
        document_id,
        rule,
        reason: "Ban Chỉ đạo thống nhất tính tiến độ theo trọng số nhiệm vụ".to_owned(),
    }
}

#[test]
fn a_program_chooses_its_roll_up_rule_and_the_change_is_recorded() {
    use reform_domain::{RollupRule, RollupRuleSet};
    let world = given(&[program_76()])
        .when(set_rule(PROGRAM_76, RollupRule::WeightedAverage))
        .then(&[Event::RollupRuleSet(RollupRuleSet {
            document_id: PROGRAM_76,
            previous: RollupRule::SimpleAverage,
            rule: RollupRule::WeightedAverage,
        })]);
    assert!(matches!(
        world.documents[&PROGRAM_76].kind,
        DocumentKind::Program {
            rollup_rule: RollupRule::WeightedAverage,
            ..
        }
    ));
}

#[test]
fn a_roll_up_rule_is_a_programs_changed_with_a_reason() {
    use reform_domain::RollupRule;
    given(&[program_76()])
        .when(set_rule(PROGRAM_76, RollupRule::SimpleAverage))
        .then_invalid("rule");
    given(&ha_tinh())
        .when(set_rule(PLAN_2024, RollupRule::StatusBased))
        .then_invalid("document_id");
    given(&[program_76()])
        .when(Command::SetRollupRule {
            document_id: PROGRAM_76,
            rule: RollupRule::StatusBased,
            reason: " ".to_owned(),
        })
        .then_invalid("reason");
    given(&[])
        .when(set_rule(PROGRAM_76, RollupRule::StatusBased))
        .then_err(|e| {
            matches!(
                e,
                DomainError::NotFound {
                    entity: Entity::Program,
                    ..
                }
            )
        });
}
