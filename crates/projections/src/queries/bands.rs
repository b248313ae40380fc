//! PAR INDEX bands: which scheme a jurisdiction evaluates a year with, and the band a
//! total falls in.

use crate::model::ProgressModel;

/// A PAR INDEX band: a name and the lowest total that earns it. Bands differ by
/// jurisdiction and year, so they are data ([`reform_domain::Command::SetBandScheme`]).
pub use reform_domain::BandDefinition as Band;

/// No bands beyond those on record: what every deployment passes as the fallback of
/// [`bands_for`] unless configured otherwise.
pub const NO_FALLBACK: &[Band] = &[];

/// The bands `jurisdiction` evaluates `year` with: its own scheme from the latest year
/// not after `year`; else the national scheme for that year; `fallback` when neither
/// is on record (a result is then unbanded, not banded by someone's guess).
pub fn bands_for<'a>(
    model: &'a ProgressModel,
    jurisdiction: &str,
    year: i32,
    fallback: &'a [Band],
) -> &'a [Band] {
    let scheme = |of: &str| {
        model
            .band_schemes
            .get(&reform_domain::BandSchemeId::for_jurisdiction(of))
            .and_then(|row| row.schemes.range(..=year).next_back())
            .map(|(_, bands)| bands.as_slice())
    };
    scheme(jurisdiction)
        .or_else(|| scheme(reform_domain::NATIONAL))
        .unwrap_or(fallback)
}

/// The band a total falls in (bands ordered from best).
pub fn band_of(bands: &[Band], total: f64) -> Option<&Band> {
    bands.iter().find(|b| total >= b.min_total)
}
