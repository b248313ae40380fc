//! Heads' tenures as counted: who is in office on a day, and when a tenure ends. Shared
//! by the scorecard (the head in office), accountability (what a tenure answers for)
//! and the API's list of heads.

use chrono::NaiveDate;

use crate::model::{HeadTenure, ProgressModel};

/// The heads of `agency`, oldest first, each tenure's last day filled in where the
/// agency's end (a merger or dissolution) ended it: the record keeps only the ends
/// that appointments gave.
pub fn heads_of(model: &ProgressModel, agency: reform_domain::AgencyId) -> Vec<HeadTenure> {
    let last_day = last_day(model, agency);
    model
        .records
        .get(&agency)
        .map(|r| {
            r.heads
                .iter()
                .map(|h| HeadTenure {
                    to: [h.to, last_day.filter(|d| *d >= h.from)]
                        .into_iter()
                        .flatten()
                        .min(),
                    ..h.clone()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The head of `agency` in office on `today` — for an agency that has ceased, on its
/// last day, so a merged agency's scorecard still names its last head.
pub(super) fn current_head(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    today: NaiveDate,
) -> Option<HeadTenure> {
    let day = last_day(model, agency).map_or(today, |last| last.min(today));
    heads_of(model, agency)
        .into_iter()
        .find(|h| h.from <= day && h.to.is_none_or(|to| to >= day))
}

/// The last day of a tenure as counted on `today`: its own end, the day before the
/// agency ceased, or today.
pub(super) fn tenure_end(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    head: &HeadTenure,
    today: NaiveDate,
) -> NaiveDate {
    [head.to, last_day(model, agency), Some(today)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today)
}

/// The last day `agency` existed: the day before it ceased, if it has.
fn last_day(model: &ProgressModel, agency: reform_domain::AgencyId) -> Option<NaiveDate> {
    model
        .agencies
        .get(&agency)
        .and_then(|a| a.ceased_on)
        .and_then(|d| d.pred_opt())
}
