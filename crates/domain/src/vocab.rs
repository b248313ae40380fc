//! The program's fixed vocabulary: pillars, task categories, agency tiers and blocks,
//! each an English code on the wire with its Vietnamese label.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal => $vi:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $(#[doc = $en] #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in the order the program lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value with this wire code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The Vietnamese label users read.
            pub fn label_vi(self) -> &'static str {
                match self { $($name::$variant => $vi,)+ }
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }

            /// The stable code used on the wire (`INSTITUTIONAL`).
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }
        }
    };
}

vocabulary!(
    /// The six reform contents of Resolution 76/NQ-CP.
    Pillar {
        Institutional = "INSTITUTIONAL" => "Cải cách thể chế", "Institutional reform";
        AdministrativeProcedures = "ADMINISTRATIVE_PROCEDURES" => "Cải cách thủ tục hành chính", "Administrative procedure reform";
        OrganizationalApparatus = "ORGANIZATIONAL_APPARATUS" => "Cải cách tổ chức bộ máy hành chính nhà nước", "Reform of the administrative apparatus";
        CivilService = "CIVIL_SERVICE" => "Cải cách chế độ công vụ", "Civil service reform";
        PublicFinance = "PUBLIC_FINANCE" => "Cải cách tài chính công", "Public finance reform";
        DigitalGovernment = "DIGITAL_GOVERNMENT" => "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số", "E-government and digital government";
    }
);

vocabulary!(
    /// Work a plan carries that belongs to no pillar.
    CrossCutting {
        Direction = "DIRECTION" => "Công tác chỉ đạo, điều hành cải cách hành chính", "Direction and management of reform";
        Communication = "COMMUNICATION" => "Công tác tuyên truyền cải cách hành chính", "Communication";
        Inspection = "INSPECTION" => "Công tác kiểm tra cải cách hành chính", "Inspection";
    }
);

vocabulary!(
    /// The level of a jurisdiction (cấp đơn vị hành chính). Since 1 July 2025 local
    /// government has two levels, province and commune; districts are kept for history.
    JurisdictionLevel {
        Nation = "NATION" => "Quốc gia", "Nation";
        Province = "PROVINCE" => "Tỉnh, thành phố trực thuộc Trung ương", "Province or centrally-run city";
        District = "DISTRICT" => "Huyện, quận, thị xã, thành phố thuộc tỉnh", "District (abolished on 1 July 2025)";
        Commune = "COMMUNE" => "Xã, phường, đặc khu", "Commune, ward or special zone";
    }
);

vocabulary!(
    /// Where an agency sits in the state apparatus.
    AgencyTier {
        Government = "GOVERNMENT" => "Chính phủ", "Government";
        Ministry = "MINISTRY" => "Bộ, cơ quan ngang bộ", "Ministry";
        ProvincialPeoplesCommittee = "PROVINCIAL_PEOPLES_COMMITTEE" => "UBND tỉnh, thành phố", "Provincial People's Committee";
        Department = "DEPARTMENT" => "Sở, ban, ngành", "Department";
        CentralAgencyInProvince = "CENTRAL_AGENCY_IN_PROVINCE" => "Cơ quan Trung ương đóng trên địa bàn", "Central agency located in the province";
        DistrictPeoplesCommittee = "DISTRICT_PEOPLES_COMMITTEE" => "UBND quận, huyện", "District People's Committee";
        CommunePeoplesCommittee = "COMMUNE_PEOPLES_COMMITTEE" => "UBND xã, phường, thị trấn", "Commune People's Committee";
        DistrictOffice = "DISTRICT_OFFICE" => "Phòng, ban chuyên môn cấp huyện", "District specialised office";
    }
);

vocabulary!(
    /// The block (khối) an agency is ranked in for the PAR INDEX.
    Block {
        CentralAgencies = "CENTRAL_AGENCIES" => "Khối cơ quan Trung ương đóng trên địa bàn", "Central agencies in the province";
        Departments = "DEPARTMENTS" => "Khối sở, ban, ngành", "Departments";
        Districts = "DISTRICTS" => "Khối quận, huyện", "Districts";
        Communes = "COMMUNES" => "Khối xã, phường, thị trấn", "Communes";
        Ministries = "MINISTRIES" => "Khối bộ, cơ quan ngang bộ", "Ministries";
        Provinces = "PROVINCES" => "Khối tỉnh, thành phố", "Provinces";
        DistrictOffices = "DISTRICT_OFFICES" => "Khối phòng, ban chuyên môn", "District offices";
    }
);

vocabulary!(
    /// Whether a higher or a lower value of an indicator is better.
    Direction {
        HigherIsBetter = "HIGHER_IS_BETTER" => "Càng cao càng tốt", "Higher is better";
        LowerIsBetter = "LOWER_IS_BETTER" => "Càng thấp càng tốt", "Lower is better";
    }
);

vocabulary!(
    /// Whether a program is the Government's or a province's.
    ProgramLevel {
        National = "NATIONAL" => "Trung ương", "National";
        Provincial = "PROVINCIAL" => "Tỉnh, thành phố", "Provincial";
    }
);

vocabulary!(
    /// How a program's percentages are made from its tasks' (a program's choice, kept
    /// as data and changed by an event, so a change of rule is visible in history).
    RollupRule {
        SimpleAverage = "SIMPLE_AVERAGE" => "Trung bình cộng", "Simple average of the children";
        WeightedAverage = "WEIGHTED_AVERAGE" => "Trung bình có trọng số", "Average weighted by task weight";
        StatusBased = "STATUS_BASED" => "Theo trạng thái", "By status: not started 0%, in progress 50%, completed 100%";
    }
);

vocabulary!(
    /// How a finished task met its deadline.
    Timeliness {
        Early = "EARLY" => "Hoàn thành trước hạn", "Completed early";
        OnTime = "ON_TIME" => "Hoàn thành đúng hạn", "Completed on time";
        Late = "LATE" => "Hoàn thành quá hạn", "Completed late";
    }
);

vocabulary!(
    /// What a user may do. Kept in event metadata; enforced by the gateway.
    Role {
        Leader = "LEADER" => "Lãnh đạo", "Leader";
        Secretariat = "SECRETARIAT" => "Cơ quan thường trực (Sở Nội vụ)", "Reform secretariat";
        Officer = "OFFICER" => "Cán bộ đơn vị", "Agency officer";
        Auditor = "AUDITOR" => "Thanh tra, kiểm toán", "Auditor";
        System = "SYSTEM" => "Hệ thống", "System";
    }
);

/// What a task contributes to: one of the six pillars or cross-cutting work.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", content = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskCategory {
    /// Work under one reform pillar.
    Pillar(Pillar),
    /// Direction, communication or inspection.
    CrossCutting(CrossCutting),
}

impl TaskCategory {
    /// The Vietnamese label.
    pub fn label_vi(self) -> &'static str {
        match self {
            TaskCategory::Pillar(p) => p.label_vi(),
            TaskCategory::CrossCutting(c) => c.label_vi(),
        }
    }

    /// The English label.
    pub fn label_en(self) -> &'static str {
        match self {
            TaskCategory::Pillar(p) => p.label_en(),
            TaskCategory::CrossCutting(c) => c.label_en(),
        }
    }

    /// The stable code of the pillar or cross-cutting work (`CIVIL_SERVICE`,
    /// `INSPECTION`); the two vocabularies share no code.
    pub fn code(self) -> &'static str {
        match self {
            TaskCategory::Pillar(p) => p.code(),
            TaskCategory::CrossCutting(c) => c.code(),
        }
    }

    /// The category with this code, if any.
    pub fn from_code(code: &str) -> Option<TaskCategory> {
        Pillar::from_code(code)
            .map(TaskCategory::Pillar)
            .or_else(|| CrossCutting::from_code(code).map(TaskCategory::CrossCutting))
    }

    /// The pillar, if the task belongs to one.
    pub fn pillar(self) -> Option<Pillar> {
        match self {
            TaskCategory::Pillar(p) => Some(p),
            TaskCategory::CrossCutting(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_codes_round_trip_and_do_not_collide() {
        let all = Pillar::ALL.iter().map(|p| TaskCategory::Pillar(*p)).chain(
            CrossCutting::ALL
                .iter()
                .map(|c| TaskCategory::CrossCutting(*c)),
        );
        for category in all {
            assert_eq!(TaskCategory::from_code(category.code()), Some(category));
        }
        assert_eq!(TaskCategory::from_code("CANCELED"), None);
    }
}
