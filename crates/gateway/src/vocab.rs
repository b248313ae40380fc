//! The domain's vocabularies as GraphQL enums (English codes) and objects that carry
//! the Vietnamese and English labels beside the code.

use async_graphql::{Enum, SimpleObject};
use reform_domain::{CrossCutting, Pillar, TaskCategory};
use reform_projections::TaskRowStatus;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $domain:ident => $code:ident, $object:ident { $($variant:ident: $desc:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $code {
            $(
                #[doc = $desc]
                $variant
            ),+
        }

        impl From<$code> for reform_domain::$domain {
            fn from(code: $code) -> Self {
                match code {
                    $($code::$variant => reform_domain::$domain::$variant),+
                }
            }
        }

        impl From<reform_domain::$domain> for $code {
            fn from(value: reform_domain::$domain) -> Self {
                match value {
                    $(reform_domain::$domain::$variant => $code::$variant),+
                }
            }
        }

        $(#[$doc])*
        #[derive(SimpleObject, Clone, Debug)]
        pub struct $object {
            /// The code.
            pub code: $code,
            /// Vietnamese label.
            pub label_vi: &'static str,
            /// English label.
            pub label_en: &'static str,
        }

        impl From<reform_domain::$domain> for $object {
            fn from(value: reform_domain::$domain) -> Self {
                $object {
                    code: value.into(),
                    label_vi: value.label_vi(),
                    label_en: value.label_en(),
                }
            }
        }

        impl $object {
            /// From a stored code; `None` when the code is unknown.
            #[allow(dead_code)]
            pub fn from_code(code: &str) -> Option<Self> {
                reform_domain::$domain::from_code(code).map(Self::from)
            }
        }
    };
}

vocabulary!(
    /// One of the six reform pillars of Resolution 76/NQ-CP.
    Pillar => PillarCode, PillarInfo {
        Institutional: "Institutional reform (Cải cách thể chế).",
        AdministrativeProcedures: "Administrative procedure reform (Cải cách thủ tục hành chính).",
        OrganizationalApparatus: "Reform of the administrative apparatus (Cải cách tổ chức bộ máy hành chính nhà nước).",
        CivilService: "Civil service reform (Cải cách chế độ công vụ).",
        PublicFinance: "Public finance reform (Cải cách tài chính công).",
        DigitalGovernment: "E-government and digital government (Xây dựng và phát triển Chính phủ điện tử, Chính phủ số).",
    }
);
vocabulary!(
    /// The kind of agency.
    AgencyTier => AgencyTierCode, AgencyTierInfo {
        Government: "Government (Chính phủ).",
        Ministry: "Ministry (Bộ, cơ quan ngang bộ).",
        ProvincialPeoplesCommittee: "Provincial People's Committee (UBND tỉnh, thành phố).",
        Department: "Department (Sở, ban, ngành).",
        CentralAgencyInProvince: "Central agency located in the province (Cơ quan Trung ương đóng trên địa bàn).",
        DistrictPeoplesCommittee: "District People's Committee (UBND quận, huyện).",
        CommunePeoplesCommittee: "Commune People's Committee (UBND xã, phường, thị trấn).",
        DistrictOffice: "District specialised office (Phòng, ban chuyên môn cấp huyện).",
    }
);
vocabulary!(
    /// The PAR INDEX block an agency is ranked in.
    Block => BlockCode, BlockInfo {
        CentralAgencies: "Central agencies in the province (Khối cơ quan Trung ương đóng trên địa bàn).",
        Departments: "Departments (Khối sở, ban, ngành).",
        Districts: "Districts (Khối quận, huyện).",
        Communes: "Communes (Khối xã, phường, thị trấn).",
        Ministries: "Ministries (Khối bộ, cơ quan ngang bộ).",
        Provinces: "Provinces (Khối tỉnh, thành phố).",
        DistrictOffices: "District offices (Khối phòng, ban chuyên môn).",
    }
);
vocabulary!(
    /// How a node's percent is made from its children's.
    RollupRule => RollupRuleCode, RollupRuleInfo {
        SimpleAverage: "Simple average of the children (Trung bình cộng).",
        WeightedAverage: "Average weighted by task weight (Trung bình có trọng số).",
        StatusBased: "By status: not started 0%, in progress 50%, completed 100% (Theo trạng thái).",
    }
);
vocabulary!(
    /// The level of a program.
    ProgramLevel => ProgramLevelCode, ProgramLevelInfo {
        National: "National (Trung ương).",
        Provincial: "Provincial (Tỉnh, thành phố).",
    }
);
vocabulary!(
    /// How a completion stood against the deadline.
    Timeliness => TimelinessCode, TimelinessInfo {
        Early: "Completed early (Hoàn thành trước hạn).",
        OnTime: "Completed on time (Hoàn thành đúng hạn).",
        Late: "Completed late (Hoàn thành quá hạn).",
    }
);
vocabulary!(
    /// The role a user acts in.
    Role => RoleCode, RoleInfo {
        Leader: "Leader (Lãnh đạo).",
        Secretariat: "Reform secretariat: Cơ quan thường trực, Sở Nội vụ.",
        Officer: "Agency officer (Cán bộ đơn vị).",
        Auditor: "Auditor (Thanh tra, kiểm toán).",
        System: "System (Hệ thống).",
    }
);
vocabulary!(
    /// The level of a jurisdiction (cấp đơn vị hành chính).
    JurisdictionLevel => JurisdictionLevelCode, JurisdictionLevelInfo {
        Nation: "Nation (Quốc gia).",
        Province: "Province or centrally-run city (Tỉnh, thành phố trực thuộc Trung ương).",
        District: "District, abolished on 1 July 2025 (Huyện, quận, thị xã, thành phố thuộc tỉnh).",
        Commune: "Commune, ward or special zone (Xã, phường, đặc khu).",
    }
);
vocabulary!(
    /// Whether a higher or a lower value of an indicator is better.
    Direction => DirectionCode, DirectionInfo {
        HigherIsBetter: "Higher is better (Càng cao càng tốt).",
        LowerIsBetter: "Lower is better (Càng thấp càng tốt).",
    }
);

/// What a task serves: a pillar, or cross-cutting work.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CategoryCode {
    /// Cải cách thể chế.
    Institutional,
    /// Cải cách thủ tục hành chính.
    AdministrativeProcedures,
    /// Cải cách tổ chức bộ máy hành chính nhà nước.
    OrganizationalApparatus,
    /// Cải cách chế độ công vụ.
    CivilService,
    /// Cải cách tài chính công.
    PublicFinance,
    /// Xây dựng và phát triển Chính phủ điện tử, Chính phủ số.
    DigitalGovernment,
    /// Công tác chỉ đạo, điều hành.
    Direction,
    /// Công tác tuyên truyền.
    Communication,
    /// Công tác kiểm tra.
    Inspection,
}

impl From<CategoryCode> for TaskCategory {
    fn from(code: CategoryCode) -> Self {
        match code {
            CategoryCode::Institutional => TaskCategory::Pillar(Pillar::Institutional),
            CategoryCode::AdministrativeProcedures => {
                TaskCategory::Pillar(Pillar::AdministrativeProcedures)
            }
            CategoryCode::OrganizationalApparatus => {
                TaskCategory::Pillar(Pillar::OrganizationalApparatus)
            }
            CategoryCode::CivilService => TaskCategory::Pillar(Pillar::CivilService),
            CategoryCode::PublicFinance => TaskCategory::Pillar(Pillar::PublicFinance),
            CategoryCode::DigitalGovernment => TaskCategory::Pillar(Pillar::DigitalGovernment),
            CategoryCode::Direction => TaskCategory::CrossCutting(CrossCutting::Direction),
            CategoryCode::Communication => TaskCategory::CrossCutting(CrossCutting::Communication),
            CategoryCode::Inspection => TaskCategory::CrossCutting(CrossCutting::Inspection),
        }
    }
}

impl From<TaskCategory> for CategoryCode {
    fn from(category: TaskCategory) -> Self {
        match category {
            TaskCategory::Pillar(Pillar::Institutional) => CategoryCode::Institutional,
            TaskCategory::Pillar(Pillar::AdministrativeProcedures) => {
                CategoryCode::AdministrativeProcedures
            }
            TaskCategory::Pillar(Pillar::OrganizationalApparatus) => {
                CategoryCode::OrganizationalApparatus
            }
            TaskCategory::Pillar(Pillar::CivilService) => CategoryCode::CivilService,
            TaskCategory::Pillar(Pillar::PublicFinance) => CategoryCode::PublicFinance,
            TaskCategory::Pillar(Pillar::DigitalGovernment) => CategoryCode::DigitalGovernment,
            TaskCategory::CrossCutting(CrossCutting::Direction) => CategoryCode::Direction,
            TaskCategory::CrossCutting(CrossCutting::Communication) => CategoryCode::Communication,
            TaskCategory::CrossCutting(CrossCutting::Inspection) => CategoryCode::Inspection,
        }
    }
}

/// A task's category with its labels, and its pillar when it serves one.
#[derive(SimpleObject, Clone, Debug)]
pub struct CategoryInfo {
    /// The code.
    pub code: CategoryCode,
    /// Vietnamese label.
    pub label_vi: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// The pillar; null for cross-cutting work.
    pub pillar: Option<PillarInfo>,
}

impl From<TaskCategory> for CategoryInfo {
    fn from(category: TaskCategory) -> Self {
        CategoryInfo {
            code: category.into(),
            label_vi: category.label_vi(),
            label_en: category.label_en(),
            pillar: category.pillar().map(PillarInfo::from),
        }
    }
}

/// Where a task stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    /// Not begun: no progress reported on it or on a subtask.
    NotStarted,
    /// Begun: progress reported on it or on a subtask, or a subtask completed.
    InProgress,
    /// Completed.
    Completed,
    /// Cancelled.
    Cancelled,
}

impl From<TaskRowStatus> for TaskStatus {
    fn from(status: TaskRowStatus) -> Self {
        match status {
            TaskRowStatus::NotStarted => TaskStatus::NotStarted,
            TaskRowStatus::InProgress => TaskStatus::InProgress,
            TaskRowStatus::Completed => TaskStatus::Completed,
            TaskRowStatus::Cancelled => TaskStatus::Cancelled,
        }
    }
}

impl From<TaskStatus> for TaskRowStatus {
    fn from(status: TaskStatus) -> Self {
        match status {
            TaskStatus::NotStarted => TaskRowStatus::NotStarted,
            TaskStatus::InProgress => TaskRowStatus::InProgress,
            TaskStatus::Completed => TaskRowStatus::Completed,
            TaskStatus::Cancelled => TaskRowStatus::Cancelled,
        }
    }
}
