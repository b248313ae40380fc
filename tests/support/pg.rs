//! PostgreSQL for the tests: each test gets its own empty database.
//!
//! The server is the one `REFORM_TEST_DATABASE_URL` names if set; otherwise a private
//! throwaway cluster (see `reform_devtools::throwaway_pg`). When no PostgreSQL can be
//! had the test is skipped, unless `CI=true` or `REFORM_REQUIRE_POSTGRES=1` makes that
//! a failure.

use reform_devtools::throwaway_pg::{create_database, throwaway_database};

/// URL of a fresh, empty database for one test, or `None` when PostgreSQL tests must be
/// skipped. Panics when PostgreSQL is required but unavailable, and when
/// `REFORM_TEST_DATABASE_URL` is set but unusable.
pub async fn fresh_database() -> Option<String> {
    let name = format!("reform_test_{}", uuid::Uuid::new_v4().simple());
    if let Ok(server) = std::env::var("REFORM_TEST_DATABASE_URL") {
        let url = create_database(&server, &name).await;
        return Some(url.unwrap_or_else(|e| panic!("REFORM_TEST_DATABASE_URL is unusable: {e:#}")));
    }
    match throwaway_database(&name).await {
        Ok(url) => Some(url),
        Err(why) if required() => {
            panic!("PostgreSQL is required (CI=true or REFORM_REQUIRE_POSTGRES=1) but unavailable: {why:#}")
        }
        Err(why) => {
            eprintln!("skipping PostgreSQL test: {why:#}");
            None
        }
    }
}

/// Whether a missing PostgreSQL is a test failure rather than a reason to skip.
pub fn required() -> bool {
    let var = |name| std::env::var(name).unwrap_or_default();
    matches!(var("CI").as_str(), "true" | "1") || var("REFORM_REQUIRE_POSTGRES") == "1"
}
