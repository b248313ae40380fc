//! Stores under test: each test in `store` runs once on SQLite and once on PostgreSQL.

use std::sync::Arc;

use reform_store::{EventStore, PostgresStore, SqliteStore};
use tempfile::TempDir;

/// A store on a fresh, empty database, with its URL for raw access.
pub struct TestStore {
    pub store: Arc<dyn EventStore>,
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestStore {
    /// A store on a new SQLite file in a temporary directory.
    pub async fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("events.db").display());
        let store = SqliteStore::connect(&url).await.expect("opening SQLite");
        TestStore {
            store: Arc::new(store),
            url,
            _dir: Some(dir),
        }
    }

    /// A store on a new PostgreSQL database, or `None` where PostgreSQL tests are skipped.
    pub async fn postgres() -> Option<TestStore> {
        let url = super::pg::fresh_database().await?;
        let store = PostgresStore::connect(&url)
            .await
            .expect("opening PostgreSQL");
        Some(TestStore {
            store: Arc::new(store),
            url,
            _dir: None,
        })
    }

    /// Opens the same database again, as a second process would.
    pub async fn reopen(&self) -> Arc<dyn EventStore> {
        reform_store::open(&self.url)
            .await
            .expect("reopening the store")
    }

    /// Runs raw SQL against the database, as someone with database access could.
    pub async fn raw_execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        if self.url.starts_with("sqlite:") {
            let pool = sqlx::SqlitePool::connect(&self.url).await?;
            let done = sqlx::query(sql)
                .execute(&pool)
                .await
                .map(|r| r.rows_affected());
            pool.close().await;
            done
        } else {
            let pool = sqlx::PgPool::connect(&self.url).await?;
            let done = sqlx::query(sql)
                .execute(&pool)
                .await
                .map(|r| r.rows_affected());
            pool.close().await;
            done
        }
    }
}

/// Defines `mod NAME { sqlite, postgres }` running `NAME(TestStore)` on each engine.
macro_rules! on_both_engines {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn sqlite() {
                    super::$name($crate::support::stores::TestStore::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn postgres() {
                    if let Some(store) = $crate::support::stores::TestStore::postgres().await {
                        super::$name(store).await;
                    }
                }
            }
        )+
    };
}
pub(crate) use on_both_engines;
