//! The domain's vocabularies as GraphQL enums (English codes) and objects that carry
//! the Vietnamese and English labels beside the code.

use async_graphql::{Enum, SimpleObject};
use reform_domain::{CrossCutting, Pillar, TaskCategory};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $domain:ident => $code:ident, $object:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $code {
            $(
                #[allow(missing_docs)]
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
        Institutional, AdministrativeProcedures, OrganizationalApparatus, CivilService,
        PublicFinance, DigitalGovernment,
    }
);
vocabulary!(
    /// The kind of agency.
    AgencyTier => AgencyTierCode, AgencyTierInfo {
        Government, Ministry, ProvincialPeoplesCommittee, Department,
        CentralAgencyInProvince, DistrictPeoplesCommittee, CommunePeoplesCommittee,
        DistrictOffice,
    }
);
vocabulary!(
    /// The PAR INDEX block an agency is ranked in.
    Block => BlockCode, BlockInfo {
        CentralAgencies, Departments, Districts, Communes, Ministries, Provinces,
        DistrictOffices,
    }
);
vocabulary!(
    /// How a node's percent is made from its children's.
    RollupRule => RollupRuleCode, RollupRuleInfo { SimpleAverage, WeightedAverage, StatusBased }
);
vocabulary!(
    /// The level of a program.
    ProgramLevel => ProgramLevelCode, ProgramLevelInfo { National, Provincial }
);
vocabulary!(
    /// How a completion stood against the deadline.
    Timeliness => TimelinessCode, TimelinessInfo { Early, OnTime, Late }
);
vocabulary!(
    /// The role a user acts in.
    Role => RoleCode, RoleInfo { Leader, Secretariat, Officer, Auditor, System }
);
vocabulary!(
    /// Whether a higher or a lower value of an indicator is better.
    Direction => DirectionCode, DirectionInfo { HigherIsBetter, LowerIsBetter }
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

impl CategoryCode {
    /// The code the read-model stores (`CIVIL_SERVICE`, `INSPECTION`).
    pub fn stored(self) -> &'static str {
        match TaskCategory::from(self) {
            TaskCategory::Pillar(p) => p.code(),
            TaskCategory::CrossCutting(c) => c.code(),
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

impl CategoryInfo {
    /// From the stored code.
    pub fn from_code(code: &str) -> Option<CategoryInfo> {
        let all = [
            CategoryCode::Institutional,
            CategoryCode::AdministrativeProcedures,
            CategoryCode::OrganizationalApparatus,
            CategoryCode::CivilService,
            CategoryCode::PublicFinance,
            CategoryCode::DigitalGovernment,
            CategoryCode::Direction,
            CategoryCode::Communication,
            CategoryCode::Inspection,
        ];
        let code = all.into_iter().find(|c| c.stored() == code)?;
        let category = TaskCategory::from(code);
        let (label_vi, label_en) = match category {
            TaskCategory::Pillar(p) => (p.label_vi(), p.label_en()),
            TaskCategory::CrossCutting(c) => (c.label_vi(), c.label_en()),
        };
        Some(CategoryInfo {
            code,
            label_vi,
            label_en,
            pillar: category.pillar().map(PillarInfo::from),
        })
    }
}

/// Where a task stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    /// No progress reported yet.
    NotStarted,
    /// Progress reported.
    InProgress,
    /// Completed.
    Completed,
    /// Cancelled.
    Cancelled,
}

impl TaskStatus {
    /// From the stored code.
    pub fn from_code(code: &str) -> TaskStatus {
        match code {
            "IN_PROGRESS" => TaskStatus::InProgress,
            "COMPLETED" => TaskStatus::Completed,
            "CANCELLED" => TaskStatus::Cancelled,
            _ => TaskStatus::NotStarted,
        }
    }

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "NOT_STARTED",
            TaskStatus::InProgress => "IN_PROGRESS",
            TaskStatus::Completed => "COMPLETED",
            TaskStatus::Cancelled => "CANCELLED",
        }
    }
}
