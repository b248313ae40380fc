//! The demo data set: a small, realistic slice of Vietnam's State Administrative Reform
//! program 2021–2030, told as the commands that would have built it.
//!
//! Figures come from published news of the provinces (cited where used: Hà Tĩnh
//! 18/5/2023, Hoài Đức 20/9/2023, Đà Nẵng 21/4/2023, Sơn La 4/1/2022);
//! where the sources say nothing the values are invented but plausible, and are marked
//! `(plausible)` in comments. Everything goes through [`Command`]s, so loading the demo
//! exercises the same rules as real use.
//!
//! Identifiers are UUIDv5 of [`DEMO_NAMESPACE`] and a stable key ("agency/<name>",
//! "document/<jurisdiction>/<number>", "task/<plan>/<code>"), so loading the demo twice
//! names the same entities.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use reform_domain::{
    AgencyId, AgencyTier, BandDefinition, Block, Command, CrossCutting, Deadline, Direction,
    DirectivePoint, DocumentHeader, DocumentId, DossierCounts, IndicatorId, ParOutcome, Period,
    Person, Pillar, ProgramLevel, TaskCategory, TaskId,
};
use uuid::Uuid;

/// Targets of an indicator: (year, value).
type YearTargets = &'static [(i32, f64)];

/// Namespace of every demo identifier.
const DEMO_NAMESPACE: Uuid = Uuid::from_u128(0x0de3_0076_2021_5030_8a1c_4c43_4843_0076);

/// Who sends a demo command: the secretariat, or an officer of the named agency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoActor {
    /// The reform secretariat (Sở Nội vụ): registers, records, assigns, publishes.
    Secretariat,
    /// An officer of this agency: reports progress, completions, dossier statistics.
    Officer(AgencyId),
}

/// One demo command with the business time it happened at and who sent it.
#[derive(Clone, Debug)]
pub struct DemoStep {
    /// The command.
    pub command: Command,
    /// When it happened (business time).
    pub occurred_at: DateTime<Utc>,
    /// Who sent it.
    pub actor: DemoActor,
}

/// The date the demo's figures describe ("today" for the demo).
pub fn demo_today() -> NaiveDate {
    date(2023, 12, 20)
}

/// The demo, in the order it must be sent: sorted by `occurred_at` (non-decreasing);
/// steps with the same time keep the order they were written in, which respects every
/// dependency (an agency before its head, a plan before its tasks…).
pub fn demo_steps() -> Vec<DemoStep> {
    let mut demo = Demo::default();
    programs(&mut demo);
    agencies(&mut demo);
    heads(&mut demo);
    ha_tinh_directive(&mut demo);
    hoai_duc_plan(&mut demo);
    hoai_duc_tasks(&mut demo);
    da_nang_plan(&mut demo);
    band_schemes(&mut demo);
    da_nang_par_index(&mut demo);
    dossier_statistics(&mut demo);
    indicators(&mut demo);
    let mut steps = demo.steps;
    steps.sort_by_key(|s| s.occurred_at); // stable: equal times keep their written order
    steps
}

// ---------------------------------------------------------------------------------------
// Helpers

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

/// 09:00 in Vietnam (UTC+7) on the given day.
fn morning(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::from_hms_opt(2, 0, 0).expect("valid demo time"))
        .and_utc()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    morning(date(y, m, d))
}

fn demo_uuid(kind: &str, key: &str) -> Uuid {
    Uuid::new_v5(&DEMO_NAMESPACE, format!("{kind}/{key}").as_bytes())
}

/// An agency, keyed by its full registered name (unique in the demo).
fn agency(name: &str) -> AgencyId {
    AgencyId(demo_uuid("agency", name))
}

/// A document, keyed by jurisdiction and number (numbers repeat across issuers).
fn document(key: &str) -> DocumentId {
    DocumentId(demo_uuid("document", key))
}

/// A task of the Hoài Đức plan, keyed by its row code ("T01").
fn task(code: &str) -> TaskId {
    TaskId(demo_uuid("task", &format!("{HOAI_DUC_PLAN}/{code}")))
}

fn person(name: &str, title: &str) -> Person {
    Person {
        name: name.to_owned(),
        title: Some(title.to_owned()),
    }
}

fn text(s: &str) -> String {
    s.to_owned()
}

#[derive(Default)]
struct Demo {
    steps: Vec<DemoStep>,
}

impl Demo {
    fn by_secretariat(&mut self, occurred_at: DateTime<Utc>, command: Command) {
        self.steps.push(DemoStep {
            command,
            occurred_at,
            actor: DemoActor::Secretariat,
        });
    }

    fn by_officer(&mut self, occurred_at: DateTime<Utc>, agency: AgencyId, command: Command) {
        self.steps.push(DemoStep {
            command,
            occurred_at,
            actor: DemoActor::Officer(agency),
        });
    }
}

// ---------------------------------------------------------------------------------------
// Names used in more than one place

const NATIONAL_PROGRAM: &str = "VN/76/NQ-CP";
const HA_TINH_PROGRAM: &str = "VN-23/3504/QĐ-UBND";
/// Number and date not given in Hà Tĩnh's news of 18/5/2023: "10/CT-UBND" of 17/5/2023 (plausible).
const HA_TINH_DIRECTIVE: &str = "VN-23/10/CT-UBND";
const HOAI_DUC_PLAN: &str = "VN-HN/Hoài Đức/280/KH-UBND";
/// Đà Nẵng's 2024 plan: recorded without tasks, which come from its table
/// (`tests/data/ke-hoach-cchc-2024-da-nang.csv`, `reform import plan`).
const DA_NANG_PLAN_2024: &str = "VN-DN/318/KH-UBND";
/// The number Đà Nẵng's 2024 plan is printed under (plausible).
pub const DA_NANG_PLAN_2024_NUMBER: &str = "318/KH-UBND";

const HT_UBND: &str = "UBND tỉnh Hà Tĩnh";
const HT_SNV: &str = "Sở Nội vụ tỉnh Hà Tĩnh";
const SL_UBND: &str = "UBND tỉnh Sơn La";
const DN_UBND: &str = "UBND thành phố Đà Nẵng";

const HD_UBND: &str = "UBND huyện Hoài Đức";
const HD_VP: &str = "Văn phòng HĐND và UBND huyện Hoài Đức";
const HD_NV: &str = "Phòng Nội vụ huyện Hoài Đức";
const HD_TP: &str = "Phòng Tư pháp huyện Hoài Đức";
const HD_TCKH: &str = "Phòng Tài chính – Kế hoạch huyện Hoài Đức";
const HD_VHTT: &str = "Phòng Văn hóa và Thông tin huyện Hoài Đức";
const HD_TTR: &str = "Thanh tra huyện Hoài Đức";
const HD_MOT_CUA: &str = "Bộ phận Tiếp nhận và Trả kết quả huyện Hoài Đức";
const HD_TTVH: &str = "Trung tâm Văn hóa – Thông tin và Thể thao huyện Hoài Đức";
const HD_XA: &str = "UBND các xã, thị trấn huyện Hoài Đức";

/// Đà Nẵng's central agencies (Đà Nẵng's PAR INDEX 2022 announcement of 21/4/2023; scores of the middle three are plausible):
/// (name, short name, 2022 total, 2021 total (plausible; they average 86.33 = 88.25 − 1.92)).
const DN_CENTRAL: [(&str, &str, f64, f64); 5] = [
    (
        "Công an thành phố Đà Nẵng",
        "Công an thành phố",
        98.81,
        97.52,
    ),
    ("Kho bạc Nhà nước Đà Nẵng", "Kho bạc Nhà nước", 96.14, 94.80),
    (
        "Cục Hải quan thành phố Đà Nẵng",
        "Cục Hải quan",
        92.12,
        90.11,
    ),
    (
        "Bảo hiểm xã hội thành phố Đà Nẵng",
        "Bảo hiểm xã hội",
        86.92,
        83.47,
    ),
    ("Cục Thuế thành phố Đà Nẵng", "Cục Thuế", 67.26, 65.75),
];

/// Đà Nẵng's 21 departments and their 2022 totals. Seed 002 gives Sở Nội vụ, Sở TT&TT,
/// Sở VH&TT and Sở Y tế; the other 17 are plausible, fitting 3 / 10 / 7 / 1 per band.
const DN_DEPARTMENTS: [(&str, &str, f64); 21] = [
    ("Sở Nội vụ thành phố Đà Nẵng", "Sở Nội vụ", 101.19),
    (
        "Sở Thông tin và Truyền thông thành phố Đà Nẵng",
        "Sở Thông tin và Truyền thông",
        95.44,
    ),
    (
        "Sở Văn hóa và Thể thao thành phố Đà Nẵng",
        "Sở Văn hóa và Thể thao",
        91.04,
    ),
    ("Sở Tư pháp thành phố Đà Nẵng", "Sở Tư pháp", 88.73),
    (
        "Văn phòng UBND thành phố Đà Nẵng",
        "Văn phòng UBND thành phố",
        88.12,
    ),
    (
        "Sở Kế hoạch và Đầu tư thành phố Đà Nẵng",
        "Sở Kế hoạch và Đầu tư",
        87.45,
    ),
    ("Sở Tài chính thành phố Đà Nẵng", "Sở Tài chính", 86.38),
    (
        "Sở Khoa học và Công nghệ thành phố Đà Nẵng",
        "Sở Khoa học và Công nghệ",
        85.91,
    ),
    ("Sở Du lịch thành phố Đà Nẵng", "Sở Du lịch", 84.67),
    ("Sở Công Thương thành phố Đà Nẵng", "Sở Công Thương", 83.54),
    ("Sở Ngoại vụ thành phố Đà Nẵng", "Sở Ngoại vụ", 82.80),
    (
        "Ban Quản lý Khu công nghệ cao và các khu công nghiệp Đà Nẵng",
        "Ban Quản lý Khu công nghệ cao và các khu công nghiệp",
        81.96,
    ),
    (
        "Sở Giáo dục và Đào tạo thành phố Đà Nẵng",
        "Sở Giáo dục và Đào tạo",
        80.57,
    ),
    (
        "Sở Lao động – Thương binh và Xã hội thành phố Đà Nẵng",
        "Sở Lao động – Thương binh và Xã hội",
        79.42,
    ),
    ("Thanh tra thành phố Đà Nẵng", "Thanh tra thành phố", 78.15),
    (
        "Sở Nông nghiệp và Phát triển nông thôn thành phố Đà Nẵng",
        "Sở Nông nghiệp và Phát triển nông thôn",
        77.03,
    ),
    (
        "Sở Giao thông vận tải thành phố Đà Nẵng",
        "Sở Giao thông vận tải",
        75.88,
    ),
    (
        "Ban Quản lý An toàn thực phẩm thành phố Đà Nẵng",
        "Ban Quản lý An toàn thực phẩm",
        74.61,
    ),
    ("Sở Xây dựng thành phố Đà Nẵng", "Sở Xây dựng", 72.94),
    (
        "Sở Tài nguyên và Môi trường thành phố Đà Nẵng",
        "Sở Tài nguyên và Môi trường",
        71.27,
    ),
    ("Sở Y tế thành phố Đà Nẵng", "Sở Y tế", 62.46),
];

/// Đà Nẵng's eight districts and their 2022 totals; `None` = not evaluated (Hoàng Sa).
/// Thanh Khê and Cẩm Lệ are plausible (the 2022 announcement puts them in [80, 86.06)).
const DN_DISTRICTS: [(&str, Option<f64>); 8] = [
    ("UBND quận Sơn Trà", Some(88.29)),
    ("UBND quận Hải Châu", Some(86.51)),
    ("UBND quận Ngũ Hành Sơn", Some(86.06)),
    ("UBND quận Thanh Khê", Some(84.37)),
    ("UBND quận Cẩm Lệ", Some(82.12)),
    ("UBND quận Liên Chiểu", Some(76.32)),
    ("UBND huyện Hòa Vang", Some(73.34)),
    ("UBND huyện Hoàng Sa", None),
];

// ---------------------------------------------------------------------------------------
// Programs

fn programs(demo: &mut Demo) {
    demo.by_secretariat(
        at(2021, 7, 15),
        Command::IssueProgram {
            document_id: document(NATIONAL_PROGRAM),
            header: DocumentHeader {
                number: text("76/NQ-CP"),
                title: text(
                    "Nghị quyết ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030",
                ),
                issued_on: date(2021, 7, 15),
                issuer: text("Chính phủ"),
                issuing_agency: None,
                signer: None, // not published
            },
            level: ProgramLevel::National,
            jurisdiction: text("VN"),
            parent_program: None,
            period: Period { from_year: 2021, to_year: 2030 },
        },
    );
    demo.by_secretariat(
        at(2021, 10, 22),
        Command::IssueProgram {
            document_id: document(HA_TINH_PROGRAM),
            header: DocumentHeader {
                number: text("3504/QĐ-UBND"),
                title: text(
                    "Quyết định ban hành Chương trình tổng thể cải cách hành chính nhà nước tỉnh Hà Tĩnh giai đoạn 2021 - 2030",
                ),
                issued_on: date(2021, 10, 22),
                issuer: text(HT_UBND),
                issuing_agency: Some(agency(HT_UBND)),
                signer: None, // not published
            },
            level: ProgramLevel::Provincial,
            jurisdiction: text("VN-23"),
            parent_program: Some(document(NATIONAL_PROGRAM)),
            period: Period { from_year: 2021, to_year: 2030 },
        },
    );
}

// ---------------------------------------------------------------------------------------
// Agencies and heads

fn agencies(demo: &mut Demo) {
    // Recorded when the tracker was set up, the day after 76/NQ-CP (plausible).
    let when = at(2021, 7, 16);
    let mut register =
        |name: &str, short: Option<&str>, tier, block, jurisdiction: &str, parent: Option<&str>| {
            demo.by_secretariat(
                when,
                Command::RegisterAgency {
                    agency_id: agency(name),
                    name: text(name),
                    short_name: short.map(text),
                    tier,
                    block,
                    jurisdiction: text(jurisdiction),
                    parent: parent.map(agency),
                },
            );
        };
    use AgencyTier::{
        CentralAgencyInProvince, CommunePeoplesCommittee, Department, DistrictOffice,
        DistrictPeoplesCommittee, ProvincialPeoplesCommittee,
    };

    // Hà Tĩnh (VN-23).
    register(
        HT_UBND,
        None,
        ProvincialPeoplesCommittee,
        None,
        "VN-23",
        None,
    );
    register(
        HT_SNV,
        Some("Sở Nội vụ"),
        Department,
        Some(Block::Departments),
        "VN-23",
        Some(HT_UBND),
    );

    // Hà Nội (VN-HN): Hoài Đức and the bodies its plan names. UBND thành phố Hà Nội is
    // not modelled, so the district has no parent.
    register(
        HD_UBND,
        Some("UBND huyện"),
        DistrictPeoplesCommittee,
        None,
        "VN-HN",
        None,
    );
    let offices = [
        (HD_VP, "Văn phòng HĐND và UBND huyện"),
        (HD_NV, "Phòng Nội vụ"),
        (HD_TP, "Phòng Tư pháp"),
        (HD_TCKH, "Phòng Tài chính – Kế hoạch"),
        (HD_VHTT, "Phòng Văn hóa và Thông tin"),
        (HD_TTR, "Thanh tra huyện"),
        (HD_MOT_CUA, "Bộ phận Một cửa huyện"),
        (HD_TTVH, "Trung tâm Văn hóa – Thông tin và Thể thao"),
    ];
    for (name, short) in offices {
        register(
            name,
            Some(short),
            DistrictOffice,
            None,
            "VN-HN",
            Some(HD_UBND),
        );
    }
    // The plan assigns work to "UBND các xã, thị trấn" as one addressee.
    register(
        HD_XA,
        Some("UBND các xã, thị trấn"),
        CommunePeoplesCommittee,
        None,
        "VN-HN",
        Some(HD_UBND),
    );

    // Sơn La (VN-05).
    register(
        SL_UBND,
        None,
        ProvincialPeoplesCommittee,
        None,
        "VN-05",
        None,
    );

    // Đà Nẵng (VN-DN): the city and its three PAR INDEX blocks.
    register(
        DN_UBND,
        None,
        ProvincialPeoplesCommittee,
        None,
        "VN-DN",
        None,
    );
    for (name, short, _, _) in DN_CENTRAL {
        register(
            name,
            Some(short),
            CentralAgencyInProvince,
            Some(Block::CentralAgencies),
            "VN-DN",
            Some(DN_UBND),
        );
    }
    for (name, short, _) in DN_DEPARTMENTS {
        register(
            name,
            Some(short),
            Department,
            Some(Block::Departments),
            "VN-DN",
            Some(DN_UBND),
        );
    }
    for (name, _) in DN_DISTRICTS {
        register(
            name,
            None,
            DistrictPeoplesCommittee,
            Some(Block::Districts),
            "VN-DN",
            Some(DN_UBND),
        );
    }
}

fn heads(demo: &mut Demo) {
    // (agency, name, title, in office from, decision, recorded on).
    // Võ Trọng Hải and Lê Trung Chinh are public record (elected 16/4/2021 and 9/12/2020);
    // the Hoài Đức office heads, their dates and decisions are invented (plausible).
    #[rustfmt::skip]
    let appointments = [
        (HT_UBND, "Võ Trọng Hải", "Chủ tịch UBND tỉnh", date(2021, 4, 16), None, date(2021, 7, 16)),
        (DN_UBND, "Lê Trung Chinh", "Chủ tịch UBND thành phố", date(2020, 12, 9), None, date(2021, 7, 16)),
        (HD_VP, "Lê Minh Đức", "Chánh Văn phòng HĐND và UBND huyện", date(2020, 3, 1), None, date(2021, 7, 16)),
        (HD_TP, "Trần Thị Lan", "Trưởng phòng Tư pháp", date(2019, 9, 1), None, date(2021, 7, 16)),
        (HD_NV, "Nguyễn Thị Thu Hà", "Trưởng phòng Nội vụ", date(2018, 6, 1), None, date(2021, 7, 16)),
        // The head of Phòng Nội vụ changed in 2023: T01's late completion and T10's
        // overdue fall to the new head.
        (
            HD_NV,
            "Đỗ Văn Tuấn",
            "Trưởng phòng Nội vụ",
            date(2023, 8, 1),
            Some("Quyết định số 1520/QĐ-UBND"),
            date(2023, 8, 1),
        ),
    ];
    for (name, head, title, from, decision, recorded) in appointments {
        demo.by_secretariat(
            morning(recorded),
            Command::AppointHead {
                agency_id: agency(name),
                head: person(head, title),
                from,
                decision: decision.map(text),
            },
        );
    }
}

// ---------------------------------------------------------------------------------------
// Hà Tĩnh directive (Hà Tĩnh's news of 18/5/2023)

fn ha_tinh_directive(demo: &mut Demo) {
    use Pillar::{
        AdministrativeProcedures, CivilService, DigitalGovernment, Institutional,
        OrganizationalApparatus, PublicFinance,
    };
    // Points 1, 3, 5 and 6 are mostly cross-cutting (direction, communication), which
    // has no pillar; their pillar lists hold only the pillars they touch.
    let points: [(&str, &[Pillar]); 6] = [
        (
            "Thứ nhất: Quán triệt, thể chế hóa chủ trương về CCHC, lấy người dân làm trung tâm; tuyên truyền sâu rộng, sơ kết, tổng kết hằng năm và khen thưởng kịp thời.",
            &[Institutional],
        ),
        (
            "Thứ hai: Đề cao trách nhiệm người đứng đầu; kiểm tra, đánh giá CCHC; siết kỷ luật, kỷ cương; ứng dụng CNTT đánh giá Chỉ số CCHC, đo lường sự hài lòng; nhân rộng sáng kiến.",
            &[CivilService],
        ),
        (
            "Thứ ba: Tăng cường vai trò cơ quan thường trực Ban Chỉ đạo CCHC tỉnh; phân công, phối hợp rõ trách nhiệm; lấy kết quả CCHC làm tiêu chí thi đua, khen thưởng.",
            &[],
        ),
        (
            "Thứ tư: Triển khai nhiệm vụ trọng tâm, đột phá: cải cách thể chế, TTHC, tổ chức bộ máy, chế độ công vụ, tài chính công và xây dựng chính quyền điện tử, chính quyền số.",
            &[
                Institutional,
                AdministrativeProcedures,
                OrganizationalApparatus,
                CivilService,
                PublicFinance,
                DigitalGovernment,
            ],
        ),
        (
            "Thứ năm: Phối hợp với Mặt trận Tổ quốc, các đoàn thể tuyên truyền, vận động Nhân dân tham gia CCHC; phát huy giám sát, phản biện xã hội.",
            &[],
        ),
        (
            "Thứ sáu: Thủ trưởng các sở, ngành, cơ quan Trung ương và chủ tịch UBND các cấp quán triệt, cụ thể hóa chỉ thị để tổ chức thực hiện nghiêm túc, hiệu quả.",
            &[],
        ),
    ];
    let points = (1..)
        .zip(points)
        .map(|(number, (text, pillars))| DirectivePoint {
            number,
            text: text.to_owned(),
            pillars: pillars.to_vec(),
        })
        .collect();
    demo.by_secretariat(
        at(2023, 5, 17),
        Command::IssueDirective {
            document_id: document(HA_TINH_DIRECTIVE),
            header: DocumentHeader {
                number: text("10/CT-UBND"), // plausible
                title: text(
                    "Chỉ thị về việc đẩy mạnh thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 tỉnh Hà Tĩnh",
                ),
                issued_on: date(2023, 5, 17), // plausible: "vừa ký ban hành" on 18/5/2023
                issuer: text(HT_UBND),
                issuing_agency: Some(agency(HT_UBND)),
                signer: Some(person("Nguyễn Hồng Lĩnh", "Phó Chủ tịch Thường trực UBND tỉnh")),
            },
            program: Some(document(HA_TINH_PROGRAM)),
            jurisdiction: text("VN-23"),
            points,
        },
    );
}

// ---------------------------------------------------------------------------------------
// Đà Nẵng's 2024 plan (plausible): its tasks are imported from its table

fn da_nang_plan(demo: &mut Demo) {
    // Plans for a year are issued in the December before it.
    demo.by_secretariat(
        at(2023, 12, 15),
        Command::IssuePlan {
            document_id: document(DA_NANG_PLAN_2024),
            header: DocumentHeader {
                number: text(DA_NANG_PLAN_2024_NUMBER),
                title: text("Kế hoạch cải cách hành chính năm 2024 của thành phố Đà Nẵng"),
                issued_on: date(2023, 12, 15),
                issuer: text(DN_UBND),
                issuing_agency: Some(agency(DN_UBND)),
                signer: None,
            },
            implements: document(NATIONAL_PROGRAM),
            issuing_agency: agency(DN_UBND),
            jurisdiction: text("VN-DN"),
            period: Period {
                from_year: 2024,
                to_year: 2024,
            },
        },
    );
}

// ---------------------------------------------------------------------------------------
// Hoài Đức plan 280/KH-UBND and its tasks (Hoài Đức's news of 20/9/2023; leads, deadlines, statuses plausible)

fn hoai_duc_plan(demo: &mut Demo) {
    // The plan dates from 28/12/2020 but is recorded once the national program it
    // implements is on record (Hà Nội's own program is not modelled).
    demo.by_secretariat(
        at(2021, 7, 20),
        Command::IssuePlan {
            document_id: document(HOAI_DUC_PLAN),
            header: DocumentHeader {
                number: text("280/KH-UBND"),
                title: text("Kế hoạch Cải cách hành chính huyện Hoài Đức giai đoạn 2020-2025"),
                issued_on: date(2020, 12, 28),
                issuer: text(HD_UBND),
                issuing_agency: Some(agency(HD_UBND)),
                signer: None, // not published
            },
            implements: document(NATIONAL_PROGRAM),
            issuing_agency: agency(HD_UBND),
            jurisdiction: text("VN-HN"),
            period: Period {
                from_year: 2020,
                to_year: 2025,
            },
        },
    );
}

fn hoai_duc_tasks(demo: &mut Demo) {
    use CrossCutting::{Communication, Direction as Directing, Inspection};
    use Pillar::{
        AdministrativeProcedures, CivilService, DigitalGovernment, Institutional,
        OrganizationalApparatus, PublicFinance,
    };
    use TaskCategory::{CrossCutting as Cc, Pillar as P};
    let on = |y, m, d| Deadline::On(date(y, m, d));

    // (code, category, title, lead, coordinators, deadline, expected output, the news's "x là" direction).
    #[rustfmt::skip]
    let tasks = [
        ("T01", Cc(Directing),
            "Tham mưu Huyện ủy ban hành Đề án đẩy mạnh cải cách hành chính huyện Hoài Đức đến năm 2025",
            HD_NV, &[HD_VP, HD_TP][..], on(2023, 10, 31),
            "Đề án đẩy mạnh CCHC huyện Hoài Đức đến năm 2025 được Huyện ủy ban hành", Some("Ba là")),
        ("T02", Cc(Directing),
            "Khảo sát sự hài lòng của người dân, tổ chức và xác định Chỉ số CCHC năm 2023 các cơ quan, đơn vị thuộc huyện",
            HD_NV, &[HD_VP, HD_MOT_CUA, HD_XA][..], on(2023, 12, 31),
            "Báo cáo kết quả khảo sát; Quyết định công bố Chỉ số CCHC năm 2023", Some("Bốn là")),
        ("T03", P(Institutional),
            "Rà soát văn bản quy phạm pháp luật, văn bản quản lý do HĐND, UBND huyện ban hành năm 2023",
            HD_TP, &[HD_VP][..], on(2023, 9, 30),
            "Báo cáo kết quả rà soát, kiến nghị sửa đổi, bãi bỏ", None),
        ("T04", P(AdministrativeProcedures),
            "Thường xuyên rà soát, cập nhật Bộ quy trình tiếp nhận, giải quyết TTHC huyện, xã, thị trấn",
            HD_VP, &[HD_TP, HD_XA][..], Deadline::Ongoing,
            "Quyết định phê duyệt Bộ quy trình nội bộ giải quyết TTHC được cập nhật", Some("Năm là")),
        ("T05", P(OrganizationalApparatus),
            "Kiện toàn, chấn chỉnh tổ chức, nhân sự Bộ phận Tiếp nhận và trả kết quả TTHC huyện, xã, thị trấn",
            HD_VP, &[HD_NV, HD_XA][..], on(2023, 8, 31),
            "Quyết định kiện toàn Bộ phận Một cửa huyện; danh sách công chức được cử", Some("Năm là")),
        ("T06", P(PublicFinance),
            "Áp dụng thanh toán phí, lệ phí không dùng tiền mặt tại 100% Bộ phận Một cửa huyện, xã, thị trấn",
            HD_TCKH, &[HD_VP, HD_XA][..], on(2023, 6, 30),
            "100% Bộ phận Một cửa áp dụng thanh toán không dùng tiền mặt; báo cáo kết quả", None),
        // First deadline 30/9/2023 (plausible), extended to 30/11/2023 below.
        ("T07", P(DigitalGovernment),
            "Số hóa hồ sơ, kết quả giải quyết TTHC và tăng tỷ lệ dịch vụ công trực tuyến toàn trình",
            HD_VP, &[HD_MOT_CUA, HD_VHTT, HD_XA][..], on(2023, 9, 30),
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC đạt 100%", Some("Mười là")),
        ("T08", P(CivilService),
            "Thực hiện điều động, luân chuyển, chuyển đổi vị trí công tác và đánh giá, xếp loại CBCC theo tháng, quý, năm",
            HD_NV, &[HD_XA][..], on(2023, 12, 31),
            "Quyết định chuyển đổi vị trí công tác năm 2023; kết quả đánh giá, xếp loại năm 2023", Some("Sáu là")),
        ("T09", Cc(Communication),
            "Tuyên truyền về CCHC và hiệu quả của dịch vụ công trực tuyến tới cán bộ, đảng viên và Nhân dân",
            HD_VHTT, &[HD_TTVH, HD_NV, HD_XA][..], Deadline::Ongoing,
            "Chuyên mục CCHC trên Cổng thông tin điện tử huyện và hệ thống truyền thanh", Some("Bảy là")),
        ("T10", Cc(Inspection),
            "Thanh tra, kiểm tra công tác tổ chức cán bộ, công vụ; chấn chỉnh kỷ luật, kỷ cương hành chính",
            HD_NV, &[HD_TTR, HD_VP][..], on(2023, 10, 31),
            "Kết luận kiểm tra công vụ năm 2023 tại các cơ quan, xã, thị trấn", Some("Chín là")),
    ];
    // The year's task table is entered in January (plausible).
    for (code, category, title, lead, coordinators, deadline, output, direction) in tasks {
        demo.by_secretariat(
            at(2023, 1, 16),
            Command::CreateTask {
                reference: None,
                task_id: task(code),
                plan: document(HOAI_DUC_PLAN),
                parent_task: None,
                directive_point: None,
                category,
                title: text(title),
                description: direction.map(|d| {
                    format!("Triển khai định hướng \"{d}\" của UBND huyện về CCHC năm 2023")
                }),
                lead: agency(lead),
                coordinators: coordinators.iter().map(|c| agency(c)).collect(),
                deadline,
                expected_output: text(output),
                weight: None,
            },
        );
    }
    // A weighted subtask of T02 (the news's "cuộc thi sáng kiến, giải pháp CCHC").
    demo.by_secretariat(
        at(2023, 9, 20),
        Command::CreateTask {
            reference: None,
            task_id: task("T02.1"),
            plan: document(HOAI_DUC_PLAN),
            parent_task: Some(task("T02")),
            directive_point: None,
            category: Cc(Directing),
            title: text("Tổ chức cuộc thi sáng kiến, giải pháp cải cách hành chính năm 2023"),
            description: None,
            lead: agency(HD_NV),
            coordinators: vec![agency(HD_VHTT)],
            deadline: on(2023, 11, 30),
            expected_output: text(
                "Quyết định công nhận, khen thưởng sáng kiến, giải pháp CCHC năm 2023",
            ),
            weight: Some(2),
        },
    );

    // Progress reports (all plausible): (task, reporting agency, %, as of, note, evidence).
    #[rustfmt::skip]
    let reports = [
        ("T06", HD_TCKH, 50, date(2023, 5, 10),
            "Đã triển khai thanh toán không dùng tiền mặt tại Bộ phận Một cửa huyện và một số xã, thị trấn",
            &["Báo cáo số 85/BC-TCKH"][..]),
        ("T06", HD_XA, 80, date(2023, 6, 12),
            "Các xã, thị trấn đã bố trí tài khoản, mã QR thu phí, lệ phí tại Bộ phận Một cửa",
            &["Báo cáo số 112/BC-UBND"][..]),
        ("T04", HD_VP, 50, date(2023, 5, 15),
            "Cập nhật quy trình nội bộ đối với các TTHC mới được UBND thành phố công bố",
            &["Quyết định số 1135/QĐ-UBND"][..]),
        ("T09", HD_VHTT, 50, date(2023, 6, 30),
            "Đăng tin, bài về CCHC trên Cổng thông tin điện tử huyện; hướng dẫn sử dụng dịch vụ công trực tuyến",
            &["Báo cáo số 140/BC-VHTT"][..]),
        ("T01", HD_NV, 30, date(2023, 6, 30),
            "Xây dựng đề cương Đề án, xin ý kiến các phòng, ban chuyên môn",
            &["Công văn số 215/NV-CCHC"][..]),
        ("T05", HD_VP, 60, date(2023, 7, 20),
            "Dự thảo Quyết định kiện toàn Bộ phận Một cửa huyện; rà soát danh sách công chức được cử",
            &["Tờ trình số 96/TTr-VP"][..]),
        ("T03", HD_TP, 50, date(2023, 7, 31),
            "Đã rà soát các văn bản do HĐND, UBND huyện ban hành 6 tháng đầu năm",
            &["Báo cáo số 178/BC-TP"][..]),
        ("T07", HD_VP, 88, date(2023, 8, 31),
            "Số hóa 88,29% hồ sơ, kết quả giải quyết TTHC 8 tháng đầu năm 2023",
            &["Báo cáo số 312/BC-UBND"][..]),
        ("T10", HD_NV, 30, date(2023, 9, 15),
            "Ban hành kế hoạch kiểm tra công vụ năm 2023; đã kiểm tra 4 cơ quan chuyên môn",
            &["Kế hoạch số 198/KH-UBND"][..]),
        ("T09", HD_TTVH, 60, date(2023, 9, 30),
            "Phát các chương trình chuyên đề về CCHC trên hệ thống truyền thanh huyện, xã",
            &["Báo cáo số 52/BC-TTVH"][..]),
        ("T02.1", HD_VHTT, 40, date(2023, 10, 10),
            "Phát động cuộc thi trên Cổng thông tin điện tử huyện; tiếp nhận bài dự thi",
            &["Thông báo số 77/TB-VHTT"][..]),
        ("T01", HD_TP, 60, date(2023, 10, 10),
            "Góp ý, thẩm định dự thảo Đề án",
            &["Văn bản số 58/TP-VB"][..]),
        ("T08", HD_NV, 50, date(2023, 10, 15),
            "Ban hành kế hoạch chuyển đổi vị trí công tác năm 2023; đánh giá, xếp loại CBCC theo tháng",
            &["Kế hoạch số 236/KH-UBND"][..]),
        ("T02", HD_NV, 30, date(2023, 10, 20),
            "Phát phiếu khảo sát sự hài lòng tại Bộ phận Một cửa huyện, xã",
            &["Kế hoạch số 215/KH-UBND"][..]),
        ("T01", HD_NV, 80, date(2023, 10, 31),
            "Trình Ban Thường vụ Huyện ủy dự thảo Đề án; chờ ý kiến",
            &["Tờ trình số 310/TTr-NV"][..]),
        ("T07", HD_MOT_CUA, 91, date(2023, 10, 31),
            "Số hóa bổ sung hồ sơ tồn tại Bộ phận Một cửa huyện",
            &["Báo cáo số 27/BC-BPMC"][..]),
        ("T04", HD_VP, 75, date(2023, 11, 15),
            "Cập nhật Bộ quy trình nội bộ theo các quyết định công bố TTHC mới của UBND thành phố Hà Nội",
            &["Quyết định số 2988/QĐ-UBND"][..]),
        ("T10", HD_TTR, 50, date(2023, 11, 20),
            "Kiểm tra công vụ tại 8 xã, thị trấn; chưa ban hành kết luận",
            &["Biên bản kiểm tra ngày 17/11/2023"][..]),
        ("T09", HD_VHTT, 70, date(2023, 11, 30),
            "Duy trì chuyên mục CCHC trên Cổng thông tin điện tử huyện",
            &["Báo cáo số 205/BC-VHTT"][..]),
        ("T02", HD_NV, 60, date(2023, 12, 8),
            "Tổng hợp phiếu khảo sát; dự thảo báo cáo kết quả và Chỉ số CCHC năm 2023",
            &["Báo cáo số 402/BC-NV"][..]),
        ("T08", HD_NV, 70, date(2023, 12, 10),
            "Hoàn thành chuyển đổi vị trí công tác; đang tổng hợp đánh giá, xếp loại cả năm",
            &["Quyết định số 3355/QĐ-UBND"][..]),
        ("T07", HD_VP, 94, date(2023, 12, 15),
            "Đạt 94% hồ sơ được số hóa; còn hồ sơ đất đai tồn đọng chưa số hóa",
            &["Báo cáo số 455/BC-UBND"][..]),
    ];
    for (code, reporter, percent, as_of, note, evidence) in reports {
        demo.by_officer(
            morning(as_of),
            agency(reporter),
            Command::ReportProgress {
                task_id: task(code),
                reporter_agency: agency(reporter),
                percent,
                note: text(note),
                evidence: evidence.iter().map(|e| text(e)).collect(),
                as_of,
            },
        );
    }

    // Completions by the lead (plausible): T06, T05 and T02.1 early, T03 on the deadline
    // day (on time), T01 24 days late. T07 and T10 stay open past their deadlines.
    #[rustfmt::skip]
    let completions = [
        ("T06", HD_TCKH, date(2023, 6, 20),
            "100% Bộ phận Một cửa huyện, xã, thị trấn áp dụng thanh toán phí, lệ phí không dùng tiền mặt (Báo cáo số 131/BC-TCKH)"),
        ("T05", HD_VP, date(2023, 8, 15),
            "Quyết định số 2150/QĐ-UBND kiện toàn Bộ phận Tiếp nhận và Trả kết quả huyện; danh sách công chức được cử"),
        ("T03", HD_TP, date(2023, 9, 30),
            "Báo cáo số 245/BC-TP về kết quả rà soát văn bản năm 2023, kiến nghị bãi bỏ 2 văn bản"),
        ("T01", HD_NV, date(2023, 11, 24),
            "Đề án đẩy mạnh cải cách hành chính huyện Hoài Đức đến năm 2025 được Ban Thường vụ Huyện ủy ban hành"),
        ("T02.1", HD_NV, date(2023, 11, 28),
            "Quyết định số 3120/QĐ-UBND công nhận, khen thưởng 15 sáng kiến, giải pháp CCHC năm 2023"),
    ];
    for (code, lead, completed_on, output) in completions {
        demo.by_officer(
            morning(completed_on),
            agency(lead),
            Command::CompleteTask {
                task_id: task(code),
                reporter_agency: agency(lead),
                output: text(output),
                completed_on,
            },
        );
    }

    demo.by_secretariat(
        at(2023, 9, 25),
        Command::ExtendDeadline {
            task_id: task("T07"),
            new_deadline: date(2023, 11, 30),
            reason: text(
                "Hệ thống thông tin giải quyết TTHC của thành phố nâng cấp chức năng số hóa; cần thêm thời gian số hóa hồ sơ tồn đọng",
            ),
        },
    );
}

// ---------------------------------------------------------------------------------------
// Đà Nẵng PAR INDEX (announced 21/4/2023)

fn band_schemes(demo: &mut Demo) {
    let scheme = |cuts: &[(&str, f64)]| -> Vec<BandDefinition> {
        cuts.iter()
            .map(|(name, min_total)| BandDefinition {
                name: text(name),
                min_total: *min_total,
            })
            .collect()
    };
    // Đà Nẵng's bands (the announcement names them; its 2022 scores fit these cut points).
    demo.by_secretariat(
        at(2022, 4, 1), // plausible
        Command::SetBandScheme {
            jurisdiction: text("VN-DN"),
            from_year: 2021,
            bands: scheme(&[
                ("Xuất sắc", 90.0),
                ("Tốt", 80.0),
                ("Khá", 70.0),
                ("Trung bình khá", 60.0),
                ("Trung bình", 50.0),
                ("Yếu", 0.0),
            ]),
            reason: None,
        },
    );
    // The national ranking of ministries and provinces from 2024: group A ≥ 90%,
    // B 80–90% (the national SIPAS grading); below 80% is named C here (plausible).
    demo.by_secretariat(
        at(2023, 12, 1), // plausible
        Command::SetBandScheme {
            jurisdiction: text("VN"),
            from_year: 2024,
            bands: scheme(&[("A", 90.0), ("B", 80.0), ("C", 0.0)]),
            reason: None,
        },
    );
}

fn da_nang_par_index(demo: &mut Demo) {
    let mut publish =
        |when: DateTime<Utc>, name: &str, year: i32, block: Block, outcome: ParOutcome| {
            demo.by_secretariat(
                when,
                Command::PublishParIndex {
                    agency_id: agency(name),
                    year,
                    block,
                    outcome,
                    decision: None,
                    reason: None,
                },
            );
        };
    let scored = |total: f64| ParOutcome::Scored {
        bonus_points: None,
        field_scores: Vec::new(),
        self_assessed_total: None,
        total,
    };

    // 2021, central block only (plausible scores and date; their average fits the
    // announcement's "+1.92 on 2021").
    for (name, _, _, total_2021) in DN_CENTRAL {
        publish(
            at(2022, 4, 12),
            name,
            2021,
            Block::CentralAgencies,
            scored(total_2021),
        );
    }
    // 2022, announced at the conference of 21/4/2023.
    let when = at(2023, 4, 21);
    for (name, _, total, _) in DN_CENTRAL {
        publish(when, name, 2022, Block::CentralAgencies, scored(total));
    }
    for (name, _, total) in DN_DEPARTMENTS {
        publish(when, name, 2022, Block::Departments, scored(total));
    }
    for (name, total) in DN_DISTRICTS {
        let outcome = match total {
            Some(t) => scored(t),
            None => ParOutcome::NotEvaluated {
                reason: text(
                    "Không đánh giá, xếp hạng chỉ số cải cách hành chính năm 2022 đối với UBND huyện Hoàng Sa",
                ),
            },
        };
        publish(when, name, 2022, Block::Districts, outcome);
    }
}

// ---------------------------------------------------------------------------------------
// One-stop dossier statistics (form II.06a)

fn dossier_statistics(demo: &mut Demo) {
    // Sơn La, provincial level, 1/1–14/12/2021 (Sơn La's news of 4/1/2022): received 48,537,
    // online 15,227, resolved 47,380, in process (within deadline) 1,157, 99.9% early or
    // on time. Plausible: the in-person / carried-over split, the early / on-time / late
    // split and the apology letters.
    demo.by_officer(
        at(2021, 12, 15),
        agency(SL_UBND),
        Command::ReportDossierStatistics {
            agency_id: agency(SL_UBND),
            period_from: date(2021, 1, 1),
            period_to: date(2021, 12, 14),
            field: None,
            counts: DossierCounts {
                received_online: 15_227,
                received_in_person: 32_268,
                carried_over: 1_042,
                resolved_early: 9_815,
                resolved_on_time: 37_518,
                resolved_late: 47,
                in_process_within_deadline: 1_157,
                in_process_overdue: 0,
                apology_letters: 47,
                digitised: None,
            },
            satisfaction_percent: None,
            reason: None,
        },
    );
    // Hoài Đức, 1/1–31/8/2023 (Hoài Đức's news of 20/9/2023): 3,899 received and resolved, 3,887 early or on
    // time, 12 late, satisfaction ≈99%, digitisation 88.29% (3,442 of 3,899 = 88.28%, the
    // nearest whole count). Plausible: the channel split, the early / on-time split and
    // the apology letters.
    demo.by_officer(
        at(2023, 9, 5),
        agency(HD_UBND),
        Command::ReportDossierStatistics {
            agency_id: agency(HD_UBND),
            period_from: date(2023, 1, 1),
            period_to: date(2023, 8, 31),
            field: None,
            counts: DossierCounts {
                received_online: 905,
                received_in_person: 2_960,
                carried_over: 34,
                resolved_early: 1_342,
                resolved_on_time: 2_545,
                resolved_late: 12,
                in_process_within_deadline: 0,
                in_process_overdue: 0,
                apology_letters: 12,
                digitised: Some(3_442),
            },
            satisfaction_percent: Some(99.0),
            reason: None,
        },
    );
}

// ---------------------------------------------------------------------------------------
// Indicators

fn indicators(demo: &mut Demo) {
    // The 76/NQ-CP targets. Baseline 0 at 31/5/2020 where the resolution measures cuts
    // against that date. The 2025 satisfaction targets (90 and 85) are from memory of
    // the resolution, not from published figures.
    #[rustfmt::skip]
    let national: [(&str, &str, Option<f64>, YearTargets); 8] = [
        ("BIZ_REG_CUT", "Tỷ lệ cắt giảm, đơn giản hóa quy định liên quan đến hoạt động kinh doanh",
            Some(0.0), &[(2025, 20.0)]),
        ("BIZ_COMPLIANCE_COST_CUT", "Tỷ lệ cắt giảm chi phí tuân thủ quy định liên quan đến hoạt động kinh doanh",
            Some(0.0), &[(2025, 20.0)]),
        ("ONLINE_L34_RATE", "Tỷ lệ thủ tục hành chính được cung cấp dịch vụ công trực tuyến mức độ 3, 4",
            None, &[(2025, 80.0), (2030, 90.0)]),
        ("NPSP_INTEGRATION_RATE",
            "Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4 được tích hợp, công khai trên Cổng Dịch vụ công quốc gia",
            None, &[(2025, 80.0)]),
        ("ONLINE_PAYMENT_RATE",
            "Tỷ lệ thủ tục hành chính có yêu cầu nghĩa vụ tài chính được thanh toán trực tuyến",
            None, &[(2025, 80.0)]),
        ("EID_USER_RATE",
            "Tỷ lệ người dân, doanh nghiệp sử dụng dịch vụ công trực tuyến được định danh và xác thực điện tử",
            None, &[(2025, 100.0)]),
        ("SATISFACTION_TTHC", "Mức độ hài lòng của người dân, doanh nghiệp về giải quyết thủ tục hành chính",
            None, &[(2025, 90.0), (2030, 95.0)]),
        ("SATISFACTION_LAND_CONSTR_INVEST",
            "Mức độ hài lòng về giải quyết thủ tục hành chính lĩnh vực đất đai, xây dựng, đầu tư",
            None, &[(2025, 85.0), (2030, 90.0)]),
    ];
    let when = at(2021, 7, 16);
    for (code, name, baseline, targets) in national {
        demo.by_secretariat(
            when,
            Command::DefineIndicator {
                code: text(code),
                name: text(name),
                unit: text("%"),
                direction: Direction::HigherIsBetter,
                baseline,
                baseline_on: baseline.map(|_| date(2020, 5, 31)),
                jurisdiction: text("VN"),
                program: Some(document(NATIONAL_PROGRAM)),
            },
        );
        for &(year, value) in targets {
            demo.by_secretariat(
                when,
                Command::SetIndicatorTarget {
                    indicator_id: IndicatorId::for_code(code),
                    year,
                    value,
                },
            );
        }
    }

    // Local indicators with real figures from the provinces' news. They measure something other
    // than the national ratios (e.g. the share of Sơn La's online services at level 4,
    // not the share of procedures online), so they are indicators of their own.
    // (code, name, jurisdiction, measured on, value, source, recorded on)
    #[rustfmt::skip]
    let local = [
        ("SON_LA_ONLINE_SERVICES_L4_SHARE",
            "Tỷ lệ dịch vụ công trực tuyến cấp tỉnh đạt mức độ 4 (tỉnh Sơn La)", "VN-05",
            date(2021, 12, 14), 82.44,
            "277/336 dịch vụ công trực tuyến cấp tỉnh đạt mức độ 4 (Sơn La, 04/01/2022)", date(2021, 12, 15)),
        ("SON_LA_ONLINE_DOC_ISSUANCE",
            "Tỷ lệ văn bản phát hành trên môi trường mạng (tỉnh Sơn La)", "VN-05",
            date(2021, 12, 31), 100.0,
            "Sơn La, 04/01/2022: tỷ lệ ban hành văn bản trên môi trường mạng đạt 100%", date(2022, 1, 4)),
        ("HOAI_DUC_DIGITISATION_RATE",
            "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính (huyện Hoài Đức)", "VN-HN",
            date(2023, 8, 31), 88.29,
            "Cổng thông tin điện tử huyện Hoài Đức, 20/9/2023: số hóa 88,29% hồ sơ, kết quả", date(2023, 9, 20)),
    ];
    for (code, name, jurisdiction, measured_on, value, source, recorded) in local {
        demo.by_secretariat(
            morning(recorded),
            Command::DefineIndicator {
                code: text(code),
                name: text(name),
                unit: text("%"),
                direction: Direction::HigherIsBetter,
                baseline: None,
                baseline_on: None,
                jurisdiction: text(jurisdiction),
                program: None,
            },
        );
        demo.by_secretariat(
            morning(recorded),
            Command::RecordMeasurement {
                indicator_id: IndicatorId::for_code(code),
                measured_on,
                value,
                source: Some(text(source)),
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use reform_domain::{
        decide, DocumentKind, DossierReport, ParResult, TaskStatus, Timeliness, World,
    };

    use super::*;

    /// Folds every step through the rules, failing on the first refusal.
    fn folded() -> World {
        let mut world = World::default();
        for (i, step) in demo_steps().into_iter().enumerate() {
            let name = step.command.name();
            match decide(&world, step.command.clone()) {
                Ok(events) => events.iter().for_each(|e| world.apply(e)),
                Err(e) => panic!(
                    "step {i} ({name}, {}) was refused: {e}\n{:#?}",
                    step.occurred_at, step.command
                ),
            }
        }
        world
    }

    fn band(score: f64) -> &'static str {
        match score {
            s if s >= 90.0 => "Xuất sắc",
            s if s >= 80.0 => "Tốt",
            s if s >= 70.0 => "Khá",
            s if s >= 60.0 => "Trung bình khá",
            _ => "dưới Trung bình khá",
        }
    }

    /// The Đà Nẵng results of a block and year: scored totals and how many were not evaluated.
    fn block_results(world: &World, block: Block, year: i32) -> (Vec<f64>, usize) {
        let results: Vec<&ParResult> = world
            .agencies
            .values()
            .filter(|a| a.jurisdiction == "VN-DN")
            .filter_map(|a| world.evaluations.get(&a.id)?.par.get(&year))
            .filter(|r| r.block == block)
            .collect();
        let totals = results
            .iter()
            .filter_map(|r| match r.outcome {
                ParOutcome::Scored { total, .. } => Some(total),
                ParOutcome::NotEvaluated { .. } => None,
            })
            .collect::<Vec<_>>();
        let not_evaluated = results.len() - totals.len();
        (totals, not_evaluated)
    }

    fn bands(totals: &[f64]) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for t in totals {
            *counts.entry(band(*t)).or_default() += 1;
        }
        counts
    }

    fn average(totals: &[f64]) -> String {
        format!("{:.2}", totals.iter().sum::<f64>() / totals.len() as f64)
    }

    fn dossier(world: &World, name: &str) -> DossierReport {
        let reports = &world
            .evaluations
            .get(&agency(name))
            .expect("evaluations on record")
            .dossiers;
        assert_eq!(reports.len(), 1, "{name} has one dossier report");
        reports.values().next().expect("one report").clone()
    }

    #[test]
    fn every_step_is_accepted_in_order() {
        let steps = demo_steps();
        assert!(
            steps
                .windows(2)
                .all(|w| w[0].occurred_at <= w[1].occurred_at),
            "occurred_at must not decrease"
        );
        assert!(
            steps
                .iter()
                .all(|s| s.occurred_at.date_naive() <= demo_today()),
            "nothing after demo_today()"
        );
        folded();
    }

    #[test]
    fn loading_twice_names_the_same_entities() {
        let (a, b) = (demo_steps(), demo_steps());
        assert_eq!(a.len(), b.len());
        assert!(a
            .iter()
            .zip(&b)
            .all(|(x, y)| x.command == y.command && x.occurred_at == y.occurred_at));
    }

    #[test]
    fn officers_send_only_their_own_reports() {
        for step in demo_steps() {
            let expected = match &step.command {
                Command::ReportProgress {
                    reporter_agency, ..
                }
                | Command::CompleteTask {
                    reporter_agency, ..
                } => DemoActor::Officer(*reporter_agency),
                Command::ReportDossierStatistics { agency_id, .. } => {
                    DemoActor::Officer(*agency_id)
                }
                _ => DemoActor::Secretariat,
            };
            assert_eq!(step.actor, expected, "{}", step.command.name());
        }
    }

    #[test]
    fn business_dates_do_not_postdate_the_step() {
        for step in demo_steps() {
            let day = step.occurred_at.date_naive();
            let dates: Vec<NaiveDate> = match &step.command {
                Command::IssueProgram { header, .. }
                | Command::IssueDirective { header, .. }
                | Command::IssuePlan { header, .. } => vec![header.issued_on],
                Command::AppointHead { from, .. } => vec![*from],
                Command::ReportProgress { as_of, .. } => vec![*as_of],
                Command::CompleteTask { completed_on, .. } => vec![*completed_on],
                Command::RecordMeasurement { measured_on, .. } => vec![*measured_on],
                Command::ReportDossierStatistics { period_to, .. } => vec![*period_to],
                _ => vec![],
            };
            assert!(
                dates.iter().all(|d| *d <= day),
                "{} on {day} speaks of {dates:?}",
                step.command.name()
            );
        }
    }

    #[test]
    fn vietnamese_text_is_composed() {
        // NFC Vietnamese has a precomposed form for every letter, so a combining mark
        // (U+0300–U+036F) can only come from decomposed text.
        for step in demo_steps() {
            let json = serde_json::to_string(&step.command).expect("commands serialise");
            assert!(
                !json.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
                "decomposed text in {json}"
            );
        }
    }

    #[test]
    fn agencies_programs_and_heads() {
        let world = folded();
        let in_jurisdiction = |j: &str| {
            world
                .agencies
                .values()
                .filter(|a| a.jurisdiction == j)
                .count()
        };
        assert_eq!(world.agencies.len(), 48);
        assert_eq!(in_jurisdiction("VN-DN"), 1 + 5 + 21 + 8);
        assert_eq!(in_jurisdiction("VN-HN"), 10);
        for (block, n) in [
            (Block::CentralAgencies, 5),
            (Block::Departments, 21),
            (Block::Districts, 8),
        ] {
            let count = world
                .agencies
                .values()
                .filter(|a| {
                    a.jurisdiction == "VN-DN"
                        && a.block == Some(block)
                        && a.parent == Some(agency(DN_UBND))
                })
                .count();
            assert_eq!(count, n, "{block:?}");
        }
        let names: BTreeSet<&str> = world.agencies.values().map(|a| a.name.as_str()).collect();
        assert_eq!(names.len(), world.agencies.len(), "agency names are unique");

        let ha_tinh = &world.documents[&document(HA_TINH_PROGRAM)];
        assert!(matches!(
            ha_tinh.kind,
            DocumentKind::Program { level: ProgramLevel::Provincial, parent_program: Some(p), .. }
                if p == document(NATIONAL_PROGRAM)
        ));
        let DocumentKind::Directive { points, .. } =
            &world.documents[&document(HA_TINH_DIRECTIVE)].kind
        else {
            panic!("the Hà Tĩnh directive is a directive");
        };
        assert_eq!(points.len(), 6);
        assert_eq!(points[3].pillars.len(), 6, "Thứ tư covers all six pillars");

        let heads = &world.agencies[&agency(HD_NV)].heads;
        assert_eq!(heads.len(), 2);
        assert_eq!(heads[0].to, Some(date(2023, 7, 31)));
        let t01_done = date(2023, 11, 24);
        assert_eq!(
            world.agencies[&agency(HD_NV)]
                .head_on(t01_done)
                .map(|h| h.head.name.as_str()),
            Some("Đỗ Văn Tuấn")
        );
    }

    #[test]
    fn hoai_duc_plan_has_ten_tasks_two_overdue() {
        let world = folded();
        let today = demo_today();
        let plan = document(HOAI_DUC_PLAN);
        let tasks: Vec<_> = world.tasks.values().filter(|t| t.plan == plan).collect();
        let top: Vec<_> = tasks.iter().filter(|t| t.parent_task.is_none()).collect();
        let sub: Vec<_> = tasks.iter().filter(|t| t.parent_task.is_some()).collect();
        assert_eq!(top.len(), 10);
        assert_eq!(sub.len(), 1);
        assert_eq!((sub[0].parent_task, sub[0].weight), (Some(task("T02")), 2));

        let overdue: BTreeSet<TaskId> = tasks
            .iter()
            .filter(|t| t.is_overdue(today))
            .map(|t| t.id)
            .collect();
        assert_eq!(overdue, BTreeSet::from([task("T07"), task("T10")]));

        let timeliness = |code: &str| match &world.tasks[&task(code)].status {
            TaskStatus::Completed {
                timeliness,
                days_late,
                ..
            } => Some((*timeliness, *days_late)),
            _ => None,
        };
        assert_eq!(timeliness("T01"), Some((Timeliness::Late, 24)));
        assert_eq!(timeliness("T03"), Some((Timeliness::OnTime, 0)));
        assert_eq!(timeliness("T05"), Some((Timeliness::Early, 0)));
        assert_eq!(timeliness("T06"), Some((Timeliness::Early, 0)));
        assert_eq!(timeliness("T02.1"), Some((Timeliness::Early, 0)));
        let done = top.iter().filter(|t| !t.is_open()).count();
        assert_eq!(done, 4);

        let not_yet_due: BTreeSet<TaskId> = top
            .iter()
            .filter(|t| t.is_open() && t.deadline.date().is_some_and(|d| d >= today))
            .map(|t| t.id)
            .collect();
        assert_eq!(not_yet_due, BTreeSet::from([task("T02"), task("T08")]));
        let ongoing = top
            .iter()
            .filter(|t| t.deadline == Deadline::Ongoing)
            .count();
        assert_eq!(ongoing, 2);

        let t07 = &world.tasks[&task("T07")];
        assert_eq!(t07.original_deadline, Deadline::On(date(2023, 9, 30)));
        assert_eq!(t07.deadline, Deadline::On(date(2023, 11, 30)));
        // T10: the lead reported 30%; the inspectorate's 50% is a contribution.
        assert_eq!((t07.percent, world.tasks[&task("T10")].percent), (94, 30));
    }

    #[test]
    fn da_nang_par_index_2022() {
        let world = folded();
        let (central, none) = block_results(&world, Block::CentralAgencies, 2022);
        assert_eq!((central.len(), none), (5, 0));
        assert_eq!(average(&central), "88.25");
        assert_eq!(
            bands(&central),
            BTreeMap::from([("Xuất sắc", 3), ("Tốt", 1), ("Trung bình khá", 1)])
        );

        let (central_2021, _) = block_results(&world, Block::CentralAgencies, 2021);
        assert_eq!(average(&central_2021), "86.33");
        let change = central.iter().sum::<f64>() / 5.0 - central_2021.iter().sum::<f64>() / 5.0;
        assert_eq!(format!("{change:.2}"), "1.92");

        let (departments, _) = block_results(&world, Block::Departments, 2022);
        assert_eq!(departments.len(), 21);
        assert_eq!(
            bands(&departments),
            BTreeMap::from([
                ("Xuất sắc", 3),
                ("Tốt", 10),
                ("Khá", 7),
                ("Trung bình khá", 1)
            ])
        );
        assert!(
            departments.iter().any(|t| (t - 101.19).abs() < 1e-9),
            "Sở Nội vụ's bonus points"
        );

        let (districts, not_evaluated) = block_results(&world, Block::Districts, 2022);
        assert_eq!((districts.len(), not_evaluated), (7, 1));
        assert_eq!(bands(&districts), BTreeMap::from([("Tốt", 5), ("Khá", 2)]));
    }

    #[test]
    fn dossier_statistics_balance() {
        let world = folded();
        for name in [HD_UBND, SL_UBND] {
            let c = dossier(&world, name).counts;
            assert_eq!(
                c.received(),
                c.resolved() + c.in_process(),
                "{name} balances"
            );
            assert!(
                c.apology_letters <= c.resolved_late + c.in_process_overdue,
                "{name}: one letter per late dossier"
            );
        }
        let hd = dossier(&world, HD_UBND);
        let c = &hd.counts;
        assert_eq!(
            (c.received(), c.resolved(), c.in_process()),
            (3_899, 3_899, 0)
        );
        assert_eq!(
            (c.resolved_early + c.resolved_on_time, c.resolved_late),
            (3_887, 12)
        );
        assert_eq!(hd.satisfaction_percent, Some(99.0));

        let sl = dossier(&world, SL_UBND).counts;
        assert_eq!(
            (sl.received(), sl.resolved(), sl.in_process()),
            (48_537, 47_380, 1_157)
        );
        assert_eq!(sl.received_online, 15_227);
        let early_or_on_time =
            (sl.resolved_early + sl.resolved_on_time) as f64 / sl.resolved() as f64 * 100.0;
        assert_eq!(format!("{early_or_on_time:.1}"), "99.9");
    }

    #[test]
    fn indicators_and_targets() {
        let world = folded();
        let national: Vec<_> = world
            .indicators
            .values()
            .filter(|i| i.jurisdiction == "VN")
            .collect();
        assert_eq!(national.len(), 8);
        assert!(national
            .iter()
            .all(|i| i.program == Some(document(NATIONAL_PROGRAM)) && !i.targets.is_empty()));
        let online = &world.indicators[&IndicatorId::for_code("ONLINE_L34_RATE")];
        assert_eq!(online.targets, BTreeMap::from([(2025, 80.0), (2030, 90.0)]));
        let measured = world
            .indicators
            .values()
            .filter(|i| !i.measurements.is_empty())
            .count();
        assert_eq!(measured, 3);
        assert!(
            world.evaluations.values().all(|e| e.sipas.is_empty()),
            "no SIPAS figure published"
        );
    }
}
