//! What each subcommand does, a module per question the user asks; `main.rs` only
//! parses the command line and calls one function here. What they share: the tracker's
//! database opened for a command ([`Tracker`]), agencies found by name
//! ([`agency_named`]), and sheets written to a file or standard output.

pub(crate) mod accountability;
pub(crate) mod audit;
pub(crate) mod indicators;
pub(crate) mod league;
pub(crate) mod plan_tables;
pub(crate) mod progress;
pub(crate) mod read_models;
pub(crate) mod scorecard;
pub(crate) mod serving;
pub(crate) mod setup;
pub(crate) mod tasks;

use std::path::Path;

use anyhow::Context;
use chrono::NaiveDate;
use reform_commands::CommandHandler;
use reform_domain::AgencyId;
use reform_projections::{fold_for_search, Follower, ProgressModel, ReadDb};
use reform_store::EventStore;

use crate::args::{SheetArgs, TableFormat};

/// The tracker's database as a subcommand uses it: the event log behind its command
/// handler, and the URL the read-model tables live at (the same database).
pub(crate) struct Tracker {
    /// Commands in, events out, over the opened event store.
    handler: CommandHandler,
    /// The `--database-url` it was opened from.
    url: String,
}

impl Tracker {
    /// Opens (creating and migrating if need be) the event store at `url`.
    pub(crate) async fn open(url: &str) -> anyhow::Result<Self> {
        let store = reform_store::open(url)
            .await
            .with_context(|| format!("opening the event store at {}", redact(url)))?;
        Ok(Self {
            handler: CommandHandler::new(store),
            url: url.to_owned(),
        })
    }

    /// The command handler, for subcommands that write.
    pub(crate) fn handler(&self) -> &CommandHandler {
        &self.handler
    }

    /// The event log itself.
    pub(crate) fn store(&self) -> &dyn EventStore {
        self.handler.store().as_ref()
    }

    /// The database URL without its password, for messages.
    pub(crate) fn redacted_url(&self) -> String {
        redact(&self.url)
    }

    /// The read-model tables.
    pub(crate) async fn read_db(&self) -> anyhow::Result<ReadDb> {
        Ok(ReadDb::connect(&self.url).await?)
    }

    /// A follower of the log into the read-model tables, loaded from its checkpoint.
    pub(crate) async fn follower(&self) -> anyhow::Result<Follower> {
        let db = self.read_db().await?;
        Ok(Follower::load(self.handler.store().clone(), db).await?)
    }

    /// The read-model tables brought up to the log's head.
    pub(crate) async fn current_model(&self) -> anyhow::Result<ProgressModel> {
        let mut follower = self.follower().await?;
        follower
            .catch_up()
            .await
            .context("bringing the read-models up to date")?;
        Ok(follower.model().clone())
    }

    /// The agency `text` names on the command line: its UUID as is, else the agency
    /// [`agency_named`] it in the current read-model.
    pub(crate) async fn agency(&self, text: &str) -> anyhow::Result<AgencyId> {
        match uuid::Uuid::parse_str(text) {
            Ok(uuid) => Ok(AgencyId(uuid)),
            Err(_) => agency_named(&self.current_model().await?, text),
        }
    }
}

/// The agency on record that `name` names: the one with exactly that name, else the
/// one whose name is the same but for case and diacritics, else the only one whose
/// name (so folded) starts with it. Every subcommand that takes an agency's name finds
/// it here.
pub(crate) fn agency_named(model: &ProgressModel, name: &str) -> anyhow::Result<AgencyId> {
    let agencies = || model.agencies.values();
    if let Some(exact) = agencies().find(|a| a.name == name) {
        return Ok(exact.agency_id);
    }
    let wanted = fold_for_search(name);
    if let Some(same) = agencies().find(|a| fold_for_search(&a.name) == wanted) {
        return Ok(same.agency_id);
    }
    let starting: Vec<_> = agencies()
        .filter(|a| !wanted.is_empty() && fold_for_search(&a.name).starts_with(&wanted))
        .collect();
    match starting.as_slice() {
        [only] => Ok(only.agency_id),
        [] => anyhow::bail!("no agency named {name:?} on record"),
        several => {
            let names: Vec<&str> = several.iter().map(|a| a.name.as_str()).collect();
            anyhow::bail!(
                "{} agencies' names start with {name:?} ({}); give more of the name",
                names.len(),
                names.join("; ")
            )
        }
    }
}

/// The day asked for, else today (UTC).
pub(crate) fn day_or_today(asked: Option<NaiveDate>) -> NaiveDate {
    asked.unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// The format a sheet is asked in, else the one its output file's extension names,
/// else csv.
pub(crate) fn sheet_format(sheet: &SheetArgs) -> reform_interchange::Format {
    let by_name = |p: &Path| reform_interchange::Format::from_name(&p.to_string_lossy());
    sheet.format.map(TableFormat::into).unwrap_or_else(|| {
        sheet
            .output
            .as_deref()
            .and_then(by_name)
            .unwrap_or(reform_interchange::Format::Csv)
    })
}

/// Writes a sheet's bytes to its output file (saying so on stderr), or to standard
/// output.
pub(crate) fn write_sheet(sheet: &SheetArgs, bytes: &[u8]) -> anyhow::Result<()> {
    match &sheet.output {
        Some(path) => {
            std::fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {} ({} bytes)", path.display(), bytes.len());
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), bytes)?,
    }
    Ok(())
}

/// A database URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
