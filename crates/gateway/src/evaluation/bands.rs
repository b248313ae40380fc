//! PAR INDEX band schemes as data: a jurisdiction's bands from a year on.

use async_graphql::SimpleObject;
use reform_projections::ProgressModel;

/// A band.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Band")]
pub struct BandView {
    /// Name.
    pub name: String,
    /// Lowest total in the band.
    pub min_total: f64,
}

/// The bands a jurisdiction evaluates some years with.
#[derive(SimpleObject, Clone)]
pub struct BandScheme {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// Its name in the register, else the code.
    pub jurisdiction_name: String,
    /// First year.
    pub from_year: i32,
    /// Last year, when a later scheme replaces it.
    pub to_year: Option<i32>,
    /// The bands, best first.
    pub bands: Vec<BandView>,
}

/// The schemes of one jurisdiction (all when `None`), oldest first.
pub(crate) fn schemes(model: &ProgressModel, jurisdiction: Option<&str>) -> Vec<BandScheme> {
    let mut out = Vec::new();
    for row in model
        .band_schemes
        .values()
        .filter(|r| jurisdiction.is_none_or(|j| r.jurisdiction == j))
    {
        let years: Vec<&i32> = row.schemes.keys().collect();
        for (i, (from_year, bands)) in row.schemes.iter().enumerate() {
            out.push(BandScheme {
                jurisdiction: row.jurisdiction.clone(),
                jurisdiction_name: model.jurisdiction_name(&row.jurisdiction).to_owned(),
                from_year: *from_year,
                to_year: years.get(i + 1).map(|next| **next - 1),
                bands: bands
                    .iter()
                    .map(|b| BandView {
                        name: b.name.clone(),
                        min_total: b.min_total,
                    })
                    .collect(),
            });
        }
    }
    out.sort_by(|a, b| {
        (a.jurisdiction.as_str(), a.from_year).cmp(&(b.jurisdiction.as_str(), b.from_year))
    });
    out
}
