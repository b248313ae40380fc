//! Heads' tenures as counted: who is in office on a day, and when a tenure ends. Shared
//! by the scorecard (the head in office) and accountability (what fell due in a tenure).

use chrono::NaiveDate;

use crate::model::ProgressModel;

/// The head of `agency` in office on `today`, by [`tenure_end`].
pub(super) fn current_head(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    records: &crate::model::AgencyRecords,
    today: NaiveDate,
) -> Option<crate::model::HeadTenure> {
    records
        .heads
        .iter()
        .find(|h| h.from <= today && tenure_end(model, agency, h, today) >= today)
        .cloned()
}

/// The last day of a tenure: its own end, the day before the agency ceased, or today.
pub(super) fn tenure_end(
    model: &ProgressModel,
    agency: reform_domain::AgencyId,
    head: &crate::model::HeadTenure,
    today: NaiveDate,
) -> NaiveDate {
    let ceased = model
        .agencies
        .get(&agency)
        .and_then(|a| a.ceased_on)
        .and_then(|d| d.pred_opt());
    [head.to, ceased, Some(today)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today)
}
