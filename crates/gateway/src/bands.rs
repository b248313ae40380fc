//! PAR INDEX band schemes as data: set by the secretariat per jurisdiction and year,
//! read by anyone; rankings and band counts follow them.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use reform_domain::{BandDefinition, Command, Role};
use reform_projections::ProgressModel;

use crate::mutation::{in_jurisdiction, send, text};

/// A band as given.
#[derive(InputObject)]
pub struct BandInput {
    /// Its name as printed ("Xuất sắc", "A").
    pub name: String,
    /// The lowest total in it (0 for the last band).
    pub min_total: f64,
}

/// A jurisdiction's bands from a year on.
#[derive(InputObject)]
pub struct SetBandSchemeInput {
    /// VN for the national ranking, VN-DN…
    pub jurisdiction: String,
    /// The first year evaluated with these bands.
    pub from_year: i32,
    /// The bands, in any order; the lowest must start at 0.
    pub bands: Vec<BandInput>,
    /// Why: required when the year already has a scheme (a correction).
    pub reason: Option<String>,
    /// Idempotency key.
    pub client_mutation_id: Option<String>,
}

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
    /// First year.
    pub from_year: i32,
    /// Last year, when a later scheme replaces it.
    pub to_year: Option<i32>,
    /// The bands, best first.
    pub bands: Vec<BandView>,
}

/// What `setBandScheme` returns.
#[derive(SimpleObject)]
pub struct BandSchemePayload {
    /// The id the client sent, echoed.
    pub client_mutation_id: Option<String>,
    /// The jurisdiction's schemes after the change, oldest first.
    pub schemes: Vec<BandScheme>,
    /// The version of the jurisdiction's band record.
    pub version: u64,
    /// Whether this mutation had already been applied.
    pub replayed: bool,
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

/// The band mutations.
#[derive(Default)]
pub struct BandMutations;

#[Object]
impl BandMutations {
    /// Set a jurisdiction's PAR INDEX bands from a year on (secretariat). Rankings,
    /// bands and band counts of that year and later follow at once; setting a year
    /// again is a correction and needs a reason. Every scheme stays in the history.
    async fn set_band_scheme(
        &self,
        ctx: &Context<'_>,
        input: SetBandSchemeInput,
    ) -> async_graphql::Result<BandSchemePayload> {
        let client = input.client_mutation_id.clone();
        let jurisdiction = input.jurisdiction.trim().to_uppercase();
        let reason = input.reason.map(|r| text(r, "reason")).transpose()?;
        let sent = send(
            ctx,
            &[Role::Secretariat],
            "set band schemes",
            client.as_deref(),
            None,
            reason.clone(),
            |scope, _| {
                in_jurisdiction(scope, &jurisdiction, "jurisdiction")?;
                Ok(Command::SetBandScheme {
                    jurisdiction: jurisdiction.clone(),
                    from_year: input.from_year,
                    bands: input
                        .bands
                        .into_iter()
                        .map(|b| BandDefinition {
                            name: b.name,
                            min_total: b.min_total,
                        })
                        .collect(),
                    reason,
                })
            },
        )
        .await?;
        Ok(BandSchemePayload {
            client_mutation_id: client,
            schemes: schemes(&sent.scope.model, Some(&jurisdiction)),
            version: sent.outcome.last_version,
            replayed: sent.outcome.replayed,
        })
    }
}
