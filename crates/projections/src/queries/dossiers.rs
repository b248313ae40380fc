//! One-stop dossier statistics added up per calendar period over a set of agencies.

use chrono::NaiveDate;

use crate::model::ProgressModel;

/// Calendar periods dossier statistics are added up by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DossierPeriodKind {
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Halves of the year.
    HalfYear,
    /// Years.
    Year,
}

impl DossierPeriodKind {
    /// The period of this kind that `day` falls in: (first day, last day).
    pub fn containing(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        use chrono::Datelike;
        let months = match self {
            DossierPeriodKind::Month => 1,
            DossierPeriodKind::Quarter => 3,
            DossierPeriodKind::HalfYear => 6,
            DossierPeriodKind::Year => 12,
        };
        let first_month = (day.month0() / months) * months + 1;
        let start = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let end = start
            .checked_add_months(chrono::Months::new(months))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        (start, end)
    }
}

/// Dossier figures added up over agencies for one calendar period.
#[derive(Clone, Debug, PartialEq)]
pub struct DossierTotal {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Agencies whose reports are in it.
    pub agencies: usize,
    /// Reports added up.
    pub reports: usize,
    /// The sum (rates are computed on it, not averaged).
    pub counts: reform_domain::DossierCounts,
}

/// [`dossier_totals`]' answer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DossierTotals {
    /// Periods with reports, oldest first.
    pub periods: Vec<DossierTotal>,
    /// Reports left out because their period spans more than one period of the kind
    /// asked (a January–August report in quarters).
    pub left_out: usize,
}

/// A period being added up: the agencies in it, the reports, their sum so far.
type Bucket = (
    std::collections::BTreeSet<reform_domain::AgencyId>,
    usize,
    Option<reform_domain::DossierCounts>,
);

/// One-stop dossier statistics added up per calendar period over the agencies
/// `include` admits: a province's totals, a block's, one agency's. Agencies' totals
/// (reports without a field) are added, or, with `field`, the reports of that field
/// only, so nothing is counted twice. Only reports from `from` to `to` count.
pub fn dossier_totals(
    model: &ProgressModel,
    include: impl Fn(&crate::model::AgencyRow) -> bool,
    field: Option<&str>,
    kind: DossierPeriodKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> DossierTotals {
    let mut buckets: std::collections::BTreeMap<(NaiveDate, NaiveDate), Bucket> =
        std::collections::BTreeMap::new();
    let mut left_out = 0;
    let wanted = field.map(reform_domain::fold_for_search);
    for (agency, records) in &model.records {
        if !model.agencies.get(agency).is_some_and(&include) {
            continue;
        }
        for report in &records.dossiers {
            let field_matches = match (&wanted, &report.field) {
                (None, None) => true,
                (Some(w), Some(f)) => reform_domain::fold_for_search(f) == *w,
                _ => false,
            };
            if !field_matches
                || from.is_some_and(|d| report.from < d)
                || to.is_some_and(|d| report.to > d)
            {
                continue;
            }
            let bucket = kind.containing(report.from);
            if report.to > bucket.1 {
                left_out += 1;
                continue;
            }
            let entry = buckets.entry(bucket).or_default();
            entry.0.insert(*agency);
            entry.1 += 1;
            // Start from the first report, not from zeros: a sum only has a digitised
            // count when every report in it has one.
            entry.2 = Some(match &entry.2 {
                None => report.counts.clone(),
                Some(sum) => sum.plus(&report.counts),
            });
        }
    }
    DossierTotals {
        periods: buckets
            .into_iter()
            .map(|((from, to), (agencies, reports, counts))| DossierTotal {
                from,
                to,
                agencies: agencies.len(),
                reports,
                counts: counts.unwrap_or_default(),
            })
            .collect(),
        left_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_periods_contain_their_days() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        let cases = [
            (
                DossierPeriodKind::Month,
                day(2024, 2, 10),
                (day(2024, 2, 1), day(2024, 2, 29)),
            ),
            (
                DossierPeriodKind::Quarter,
                day(2024, 5, 1),
                (day(2024, 4, 1), day(2024, 6, 30)),
            ),
            (
                DossierPeriodKind::HalfYear,
                day(2024, 7, 1),
                (day(2024, 7, 1), day(2024, 12, 31)),
            ),
            (
                DossierPeriodKind::Year,
                day(2023, 3, 3),
                (day(2023, 1, 1), day(2023, 12, 31)),
            ),
        ];
        for (kind, inside, period) in cases {
            assert_eq!(kind.containing(inside), period, "{kind:?}");
        }
    }
}
