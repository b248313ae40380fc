//! `reform-dev bench …`: measurements of the tracker, each against a baseline measured
//! in the same run on the same machine (a plain INSERT loop, a bare scan, a bare axum +
//! SQL server), so that the figures say how far from the floor the real path is.
//!
//! The soak and hostile-workbook benchmarks run the release `reform` binary as a child
//! process (`served`) and read its resident memory from `/proc`; their baselines are
//! the server's own memory after a warm-up and with an ordinary file.
//!
//! The benchmarks make their own scratch databases (SQLite files in a temporary
//! directory; PostgreSQL databases on a server given, else on a throwaway cluster) and
//! never touch the tracker's own database.

pub mod append;
pub mod contention;
pub mod dashboard;
pub mod lag;
pub mod national;
pub mod rebuild;
pub mod served;
pub mod soak;
pub mod verify;
pub mod workbooks;
mod workload;

use anyhow::Result;

use crate::throwaway_pg;

/// Which databases to measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// SQLite only.
    Sqlite,
    /// PostgreSQL only.
    Postgres,
    /// Both.
    Both,
}

/// A scratch database for each engine asked for, as (engine, URL): SQLite files named
/// `file` in `dir`, PostgreSQL databases on `postgres_url` (a throwaway cluster when
/// `None`) with names ending in `tag`.
async fn scratch_databases(
    engine: Engine,
    postgres_url: Option<&str>,
    dir: &std::path::Path,
    file: &str,
    tag: &str,
) -> Result<Vec<(&'static str, String)>> {
    let mut databases = Vec::new();
    if matches!(engine, Engine::Sqlite | Engine::Both) {
        databases.push(("SQLite", format!("sqlite://{}", dir.join(file).display())));
    }
    if matches!(engine, Engine::Postgres | Engine::Both) {
        let name = format!("reform_bench_{}_{tag}", uuid::Uuid::new_v4().simple());
        let url = match postgres_url {
            Some(server) => throwaway_pg::create_database(server, &name).await?,
            None => throwaway_pg::throwaway_database(&name).await?,
        };
        databases.push(("PostgreSQL", url));
    }
    Ok(databases)
}
