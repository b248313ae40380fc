//! Each agency's monthly one-stop dossier statistics.

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate};
use reform_commands::CommandHandler;
use reform_domain::{Command, DossierCounts};

use super::ProvinceAgencies;
use crate::generate::{day, officer};

/// Each department's and commune's one-stop dossier statistics for every month that
/// ends in `from..until`; returns the commands sent.
pub(super) async fn dossiers(
    handler: &CommandHandler,
    province: &ProvinceAgencies,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<u64> {
    let mut sent = 0;
    let mut month = day(from.year(), from.month(), 1);
    while let Some(next) = month.checked_add_months(chrono::Months::new(1)) {
        let last = next - Duration::days(1);
        if last >= until {
            break;
        }
        if last >= from {
            for (n, agency) in province.leads() {
                let received = 40 + (n as u64 * 7 + u64::from(month.month()) * 13) % 60;
                let counts = DossierCounts {
                    received_online: received / 2,
                    received_in_person: received - received / 2,
                    carried_over: 0,
                    resolved_early: received / 4,
                    resolved_on_time: received / 2,
                    resolved_late: received / 8,
                    in_process_within_deadline: received
                        - received / 4
                        - received / 2
                        - received / 8,
                    in_process_overdue: 0,
                    apology_letters: received / 8,
                    digitised: Some(received / 2),
                };
                let command = Command::ReportDossierStatistics {
                    agency_id: agency,
                    period_from: month,
                    period_to: last,
                    field: None,
                    counts,
                    satisfaction_percent: None,
                    reason: None,
                };
                match handler.execute(command, officer(agency, last), None).await {
                    Ok(_) => sent += 1,
                    // A merged agency reports no more.
                    Err(reform_commands::CommandError::Rejected(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        month = next;
    }
    Ok(sent)
}
