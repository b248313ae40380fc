//! The national register of jurisdictions as commands: the nation, the 63 provinces
//! and centrally-run cities as they stood before 1 July 2025 (ISO 3166-2:VN codes), and
//! the mergers of Nghị quyết 202/2025/QH15 that made them 34. A merged unit keeps its
//! old code; the new unit keeps the code and name of the first unit it was formed from.
//!
//! Loading it is idempotent when each command is sent with a fixed command id (see
//! the CLI's demo and `reform register load`).

use chrono::NaiveDate;

use crate::command::Command;
use crate::vocab::JurisdictionLevel;
use crate::NATIONAL;

/// The resolution that merged the provinces.
pub const MERGER_RESOLUTION: &str = "202/2025/QH15";

/// The provinces and centrally-run cities before 1 July 2025: (code, name).
pub const PROVINCES_BEFORE_2025: &[(&str, &str)] = &[
    ("VN-HN", "Thành phố Hà Nội"),
    ("VN-SG", "Thành phố Hồ Chí Minh"),
    ("VN-HP", "Thành phố Hải Phòng"),
    ("VN-DN", "Thành phố Đà Nẵng"),
    ("VN-CT", "Thành phố Cần Thơ"),
    ("VN-26", "Thành phố Huế"),
    ("VN-01", "Tỉnh Lai Châu"),
    ("VN-02", "Tỉnh Lào Cai"),
    ("VN-03", "Tỉnh Hà Giang"),
    ("VN-04", "Tỉnh Cao Bằng"),
    ("VN-05", "Tỉnh Sơn La"),
    ("VN-06", "Tỉnh Yên Bái"),
    ("VN-07", "Tỉnh Tuyên Quang"),
    ("VN-09", "Tỉnh Lạng Sơn"),
    ("VN-13", "Tỉnh Quảng Ninh"),
    ("VN-14", "Tỉnh Hòa Bình"),
    ("VN-18", "Tỉnh Ninh Bình"),
    ("VN-20", "Tỉnh Thái Bình"),
    ("VN-21", "Tỉnh Thanh Hóa"),
    ("VN-22", "Tỉnh Nghệ An"),
    ("VN-23", "Tỉnh Hà Tĩnh"),
    ("VN-24", "Tỉnh Quảng Bình"),
    ("VN-25", "Tỉnh Quảng Trị"),
    ("VN-27", "Tỉnh Quảng Nam"),
    ("VN-28", "Tỉnh Kon Tum"),
    ("VN-29", "Tỉnh Quảng Ngãi"),
    ("VN-30", "Tỉnh Gia Lai"),
    ("VN-31", "Tỉnh Bình Định"),
    ("VN-32", "Tỉnh Phú Yên"),
    ("VN-33", "Tỉnh Đắk Lắk"),
    ("VN-34", "Tỉnh Khánh Hòa"),
    ("VN-35", "Tỉnh Lâm Đồng"),
    ("VN-36", "Tỉnh Ninh Thuận"),
    ("VN-37", "Tỉnh Tây Ninh"),
    ("VN-39", "Tỉnh Đồng Nai"),
    ("VN-40", "Tỉnh Bình Thuận"),
    ("VN-41", "Tỉnh Long An"),
    ("VN-43", "Tỉnh Bà Rịa – Vũng Tàu"),
    ("VN-44", "Tỉnh An Giang"),
    ("VN-45", "Tỉnh Đồng Tháp"),
    ("VN-46", "Tỉnh Tiền Giang"),
    ("VN-47", "Tỉnh Kiên Giang"),
    ("VN-49", "Tỉnh Vĩnh Long"),
    ("VN-50", "Tỉnh Bến Tre"),
    ("VN-51", "Tỉnh Trà Vinh"),
    ("VN-52", "Tỉnh Sóc Trăng"),
    ("VN-53", "Tỉnh Bắc Kạn"),
    ("VN-54", "Tỉnh Bắc Giang"),
    ("VN-55", "Tỉnh Bạc Liêu"),
    ("VN-56", "Tỉnh Bắc Ninh"),
    ("VN-57", "Tỉnh Bình Dương"),
    ("VN-58", "Tỉnh Bình Phước"),
    ("VN-59", "Tỉnh Cà Mau"),
    ("VN-61", "Tỉnh Hải Dương"),
    ("VN-63", "Tỉnh Hà Nam"),
    ("VN-66", "Tỉnh Hưng Yên"),
    ("VN-67", "Tỉnh Nam Định"),
    ("VN-68", "Tỉnh Phú Thọ"),
    ("VN-69", "Tỉnh Thái Nguyên"),
    ("VN-70", "Tỉnh Vĩnh Phúc"),
    ("VN-71", "Tỉnh Điện Biên"),
    ("VN-72", "Tỉnh Đắk Nông"),
    ("VN-73", "Tỉnh Hậu Giang"),
];

/// The mergers of 1 July 2025: (the new unit's code, the codes merged into it).
pub const MERGERS_2025: &[(&str, &[&str])] = &[
    ("VN-07", &["VN-03"]),
    ("VN-02", &["VN-06"]),
    ("VN-69", &["VN-53"]),
    ("VN-68", &["VN-70", "VN-14"]),
    ("VN-56", &["VN-54"]),
    ("VN-66", &["VN-20"]),
    ("VN-HP", &["VN-61"]),
    ("VN-18", &["VN-63", "VN-67"]),
    ("VN-25", &["VN-24"]),
    ("VN-DN", &["VN-27"]),
    ("VN-29", &["VN-28"]),
    ("VN-30", &["VN-31"]),
    ("VN-34", &["VN-36"]),
    ("VN-35", &["VN-72", "VN-40"]),
    ("VN-33", &["VN-32"]),
    ("VN-SG", &["VN-57", "VN-43"]),
    ("VN-39", &["VN-58"]),
    ("VN-37", &["VN-41"]),
    ("VN-CT", &["VN-52", "VN-73"]),
    ("VN-49", &["VN-50", "VN-51"]),
    ("VN-45", &["VN-46"]),
    ("VN-59", &["VN-55"]),
    ("VN-44", &["VN-47"]),
];

/// The day the register's provinces are recorded from: the 63 units as they stood
/// after Hà Tây joined Hà Nội (1 August 2008).
pub fn provinces_recorded_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2008, 8, 1).expect("a valid date")
}

/// The day the mergers took effect.
pub fn reorganised_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("a valid date")
}

/// The register as commands, in an order the rules accept: the nation, each province,
/// then each merger.
pub fn commands() -> Vec<Command> {
    let nation = Command::EstablishJurisdiction {
        code: NATIONAL.to_owned(),
        name: "Việt Nam".to_owned(),
        level: JurisdictionLevel::Nation,
        parent: None,
        established_on: NaiveDate::from_ymd_opt(1945, 9, 2).expect("a valid date"),
        legal_basis: None,
    };
    let provinces =
        PROVINCES_BEFORE_2025
            .iter()
            .map(|(code, name)| Command::EstablishJurisdiction {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                level: JurisdictionLevel::Province,
                parent: Some(NATIONAL.to_owned()),
                established_on: provinces_recorded_from(),
                legal_basis: None,
            });
    let mergers = MERGERS_2025.iter().flat_map(|(successor, merged)| {
        merged.iter().map(|code| Command::MergeJurisdiction {
            code: (*code).to_owned(),
            successor: (*successor).to_owned(),
            effective_on: reorganised_on(),
            legal_basis: MERGER_RESOLUTION.to_owned(),
        })
    });
    std::iter::once(nation)
        .chain(provinces)
        .chain(mergers)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn sixty_three_provinces_become_thirty_four() {
        let codes: BTreeSet<_> = PROVINCES_BEFORE_2025.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes.len(), 63);
        let merged: Vec<_> = MERGERS_2025.iter().flat_map(|(_, m)| m.iter()).collect();
        let successors: BTreeSet<_> = MERGERS_2025.iter().map(|(s, _)| *s).collect();
        assert_eq!(MERGERS_2025.len(), 23, "23 new units");
        assert_eq!(merged.len(), 29, "formed from 52 = 23 + 29");
        assert_eq!(merged.iter().collect::<BTreeSet<_>>().len(), 29);
        for code in merged.iter().map(|c| **c).chain(successors.iter().copied()) {
            assert!(codes.contains(code), "{code} is a province");
            assert!(
                !(successors.contains(code) && merged.contains(&&code)),
                "{code} both merges and takes over"
            );
        }
        assert_eq!(codes.len() - merged.len(), 34);
    }
}
