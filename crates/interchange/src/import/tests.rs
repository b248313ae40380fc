//! The import's unit tests: headings, numbers, deadlines and agencies as read.

use super::table::{dotted_number, is_column_number, roman_heading, split_agencies, sub_letter};
use super::*;

#[test]
fn headings_are_recognised_with_or_without_diacritics() {
    let cases = [
        ("STT", Column::Number),
        ("TT", Column::Number),
        ("Nội dung nhiệm vụ", Column::Task),
        ("noi dung cong viec", Column::Task),
        ("Cơ quan chủ trì", Column::Lead),
        ("Đơn vị chủ trì thực hiện", Column::Lead),
        ("co quan phoi hop", Column::Coordinators),
        ("Thời gian hoàn thành", Column::Deadline),
        ("Thời hạn", Column::Deadline),
        ("Sản phẩm", Column::Output),
        ("Kết quả/Sản phẩm", Column::Output),
        ("Mã nhiệm vụ", Column::Id),
    ];
    for (heading, column) in cases {
        assert_eq!(Column::of_heading(heading), Some(column), "{heading}");
    }
    for other in ["Tiến độ (%)", "Trạng thái", "Ngày hoàn thành", "Ghi chú"] {
        assert_eq!(Column::of_heading(other), None, "{other}");
    }
}

#[test]
fn section_titles_name_their_pillar() {
    let cases = [
        (
            "CẢI CÁCH THỂ CHẾ",
            TaskCategory::Pillar(Pillar::Institutional),
        ),
        (
            "Cải cách thủ tục hành chính",
            TaskCategory::Pillar(Pillar::AdministrativeProcedures),
        ),
        (
            "CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC",
            TaskCategory::Pillar(Pillar::OrganizationalApparatus),
        ),
        (
            "Cải cách chế độ công vụ",
            TaskCategory::Pillar(Pillar::CivilService),
        ),
        (
            "Cải cách tài chính công",
            TaskCategory::Pillar(Pillar::PublicFinance),
        ),
        (
            "Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
            TaskCategory::Pillar(Pillar::DigitalGovernment),
        ),
        (
            "Công tác chỉ đạo, điều hành",
            TaskCategory::CrossCutting(CrossCutting::Direction),
        ),
        (
            "CÔNG TÁC TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH",
            TaskCategory::CrossCutting(CrossCutting::Communication),
        ),
        (
            "Công tác kiểm tra cải cách hành chính",
            TaskCategory::CrossCutting(CrossCutting::Inspection),
        ),
    ];
    for (title, category) in cases {
        assert_eq!(category_of_heading(title), Some(category), "{title}");
    }
    assert_eq!(category_of_heading("Tổ chức thực hiện"), None);
}

#[test]
fn numbers_letters_and_roman_sections_are_told_apart() {
    assert_eq!(dotted_number("1"), Some("1".into()));
    assert_eq!(dotted_number("2.1."), Some("2.1".into()));
    assert_eq!(dotted_number("02.01"), Some("2.1".into()));
    assert_eq!(dotted_number("2..1"), None);
    assert_eq!(dotted_number("II"), None);
    assert_eq!(sub_letter("a)"), Some('a'));
    assert_eq!(sub_letter("B"), None);
    let texts = ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"];
    assert_eq!(
        roman_heading("II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", &texts),
        Some(("II".into(), "CẢI CÁCH THỦ TỤC HÀNH CHÍNH".into()))
    );
    let merged = ["I. CẢI CÁCH THỂ CHẾ"];
    assert_eq!(
        roman_heading("I. CẢI CÁCH THỂ CHẾ", "I. CẢI CÁCH THỂ CHẾ", &merged),
        Some(("I".into(), "CẢI CÁCH THỂ CHẾ".into()))
    );
    assert_eq!(roman_heading("1", "Rà soát", &["1", "Rà soát"]), None);
    assert!(is_column_number("(3)"));
}

#[test]
fn coordinator_cells_split_into_names() {
    assert_eq!(
        split_agencies("Sở Tư pháp, Sở Nội vụ; UBND các huyện\nSở Tài chính"),
        vec!["Sở Tư pháp", "Sở Nội vụ", "UBND các huyện", "Sở Tài chính"]
    );
    assert_eq!(
        split_agencies("Các sở, ban, ngành; Văn phòng UBND tỉnh"),
        vec!["Các sở, ban, ngành", "Văn phòng UBND tỉnh"]
    );
    assert!(split_agencies("  ").is_empty());
}
