pub mod api;
pub mod browser;
pub mod pg;
pub mod process;
pub mod stores;

/// The bands of Đà Nẵng's PAR INDEX 2022 results (announced 21/4/2023), with the cut
/// points its totals fit (90 / 80 / 70 / 60 / 50): a fallback for tests that band
/// results of jurisdictions with no scheme on record.
pub fn da_nang_bands() -> Vec<reform_projections::queries::Band> {
    [
        ("Xuất sắc", 90.0),
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Trung bình khá", 60.0),
        ("Trung bình", 50.0),
        ("Yếu", 0.0),
    ]
    .into_iter()
    .map(|(name, min_total)| reform_projections::queries::Band {
        name: name.to_owned(),
        min_total,
    })
    .collect()
}
