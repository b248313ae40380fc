//! PAR INDEX bands: which scheme a jurisdiction evaluates a year with, and the band a
//! total falls in.

use crate::model::ProgressModel;

/// A PAR INDEX band: a name and the lowest total that earns it. Bands differ by
/// jurisdiction and year, so they are data ([`reform_domain::Command::SetBandScheme`]).
pub use reform_domain::BandDefinition as Band;

/// The bands `jurisdiction` evaluates `year` with: its scheme from the latest year not
/// after `year`; `fallback` when it has none on record.
pub fn bands_for<'a>(
    model: &'a ProgressModel,
    jurisdiction: &str,
    year: i32,
    fallback: &'a [Band],
) -> &'a [Band] {
    model
        .band_schemes
        .get(&reform_domain::BandSchemeId::for_jurisdiction(jurisdiction))
        .and_then(|row| row.schemes.range(..=year).next_back())
        .map_or(fallback, |(_, bands)| bands.as_slice())
}

/// The bands of Đà Nẵng's PAR INDEX 2022 results (announced 21/4/2023), with the cut
/// points its totals fit: 90 / 80 / 70 / 60 / 50.
pub fn da_nang_bands() -> Vec<Band> {
    [
        ("Xuất sắc", 90.0),
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Trung bình khá", 60.0),
        ("Trung bình", 50.0),
        ("Yếu", 0.0),
    ]
    .into_iter()
    .map(|(name, min_total)| Band {
        name: name.to_owned(),
        min_total,
    })
    .collect()
}

/// The band a total falls in (bands ordered from best).
pub fn band_of(bands: &[Band], total: f64) -> Option<&Band> {
    bands.iter().find(|b| total >= b.min_total)
}
