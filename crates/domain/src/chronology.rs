//! Business time: the day an act took place, which is not the day it was recorded. A
//! secretariat enters a decision signed last week; a province starts using the tracker
//! in the middle of its plan. Each command may say the day of its act (`on`); some say
//! it in their own fields (a report's `as_of`, a completion's `completed_on`, a
//! jurisdiction's establishment). [`settle`] checks that day against the records the command
//! reads and gives the instant its events are dated with; time travel, scorecards and
//! accountability then fold by that instant.
//!
//! The rules, so that a record's history can be replayed day by day:
//! - an act is not dated after today (the caller's clock), and a document is not on
//!   record before its issue date;
//! - nor before anything it refers to came into being (a task before its plan, an
//!   agency before its jurisdiction);
//! - nor before the last act already on the record it changes (a record's history is
//!   in order: a deadline extended on 10/3 cannot follow a report of 20/3).
//!
//! Without a day, the act is dated now. An act dated today is dated now too, so that
//! acts of one day keep the order they were recorded in.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::command::Command;
use crate::error::DomainError;
use crate::ids::StreamId;
use crate::state::World;

/// When a record's acts took place: its first (it came into being) and its latest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The business time of its first event.
    pub first: DateTime<Utc>,
    /// The business time of its latest event.
    pub last: DateTime<Utc>,
}

impl Span {
    /// Widens the span to an event at `at`.
    pub fn include(&mut self, at: DateTime<Utc>) {
        self.first = self.first.min(at);
        self.last = self.last.max(at);
    }
}

impl Command {
    /// The day the command's own fields give for its act, and that field's name: a
    /// report's `as_of`, a completion's `completed_on`, a jurisdiction's
    /// establishment. Other acts take the caller's `on`, or now.
    pub fn act_day(&self) -> Option<(&'static str, NaiveDate)> {
        match self {
            Command::ReportProgress { as_of, .. } => Some(("as_of", *as_of)),
            Command::CompleteTask { completed_on, .. } => Some(("completed_on", *completed_on)),
            Command::EstablishJurisdiction { established_on, .. } => {
                Some(("established_on", *established_on))
            }
            _ => None,
        }
    }

    /// The issue date of the document the command records: it is recorded on or after
    /// that day (a plan signed on 10/01 is on record from 10/01 at the earliest). Its
    /// act is dated with `on` like any other, so that the agencies it names may be
    /// recorded after it was signed.
    fn issued_on(&self) -> Option<NaiveDate> {
        match self {
            Command::IssueProgram { header, .. }
            | Command::IssueDirective { header, .. }
            | Command::IssuePlan { header, .. } => Some(header.issued_on),
            _ => None,
        }
    }
}

/// The instant a day's act is dated with when it is not today: the day's start (UTC).
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

/// Settles the business time of `command`'s events: the day in the command's own
/// fields, or the one the caller gave (`on`), or `now`; checked against the spans of the
/// records in `world` (see the module's rules). The instant is never earlier than an
/// event of a record the command reads, so a fold up to any instant holds everything
/// an act it includes rests on.
pub fn settle(
    world: &World,
    command: &Command,
    on: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, DomainError> {
    // A command's own day is its act's: `on` dates the acts that carry none (a
    // caller may date a whole batch, reports and completions included, with one `on`).
    let (field, day) = match command.act_day() {
        Some((field, day)) => (field, Some(day)),
        None => ("on", on),
    };
    if let Some(issued) = command.issued_on() {
        let recorded = day.unwrap_or(now.date_naive());
        if issued > recorded {
            return Err(DomainError::invalid(
                "issued_on",
                format!(
                    "{issued} is after the day the document is recorded as of ({recorded}); a document is on record from its issue date, not before"
                ),
            ));
        }
    }
    let target = command.target();
    // What the act rests on: the target's latest act, and the time each other record
    // it reads came into being.
    let reads = command.reads();
    let floors: Vec<(&StreamId, DateTime<Utc>, bool)> = reads
        .iter()
        .filter_map(|s| {
            let span = world.times.get(s)?;
            let own_record = *s == target;
            Some((
                s,
                if own_record { span.last } else { span.first },
                own_record,
            ))
        })
        .collect();
    let floor = floors.iter().map(|(_, at, _)| *at).max();
    let today = now.date_naive();
    let at = match day {
        None => now,
        Some(day) if day > today => {
            return Err(DomainError::invalid(
                field,
                format!("{day} is after today ({today}); record an act on or after its day"),
            ))
        }
        Some(day) if day == today => now,
        Some(day) => {
            if let Some((stream, at, own_record)) =
                floors.iter().find(|(_, at, _)| at.date_naive() > day)
            {
                let since = at.date_naive();
                let what = what_record(stream);
                return Err(DomainError::invalid(
                    field,
                    if *own_record {
                        format!(
                            "{day} is before the last act on this {what} ({since}); its history is kept in order, so date this act {since} or later"
                        )
                    } else {
                        format!(
                            "{day} is before the {what} it refers to is on record ({since}); date the act {since} or later, or record the {what} as of an earlier day"
                        )
                    },
                ));
            }
            start_of(day)
        }
    };
    Ok(floor.map_or(at, |floor| at.max(floor)))
}

/// A record's kind as a refusal names it.
fn what_record(stream: &StreamId) -> &'static str {
    match stream.category() {
        "agency" => "agency",
        "document" => "document",
        "task" => "task",
        "indicator" => "indicator",
        "jurisdiction" => "jurisdiction",
        "evaluations" => "agency's evaluations",
        "bands" => "band scheme",
        _ => "record",
    }
}
