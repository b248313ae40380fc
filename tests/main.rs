//! End-to-end tests: one binary (link time matters on two cores).
#![allow(unreachable_pub)] // test support modules are shared within this binary only

mod support;

mod access;
mod api;
mod audit;
mod browser;
mod cli;
mod commands;
mod dates;
mod evaluations;
mod faults;
mod figures;
mod hostile;
mod import;
mod jurisdictions;
mod matrix;
mod national;
mod pages;
mod processes;
mod projections;
mod readme;
mod sockets;
mod store;
mod web;

use sqlx::{Connection, PgConnection};

/// Each call to `fresh_database` yields its own empty, connectable database.
#[tokio::test]
async fn postgres_harness_gives_distinct_databases() {
    let Some(first) = support::pg::fresh_database().await else {
        return;
    };
    let Some(second) = support::pg::fresh_database().await else {
        return;
    };
    assert_ne!(first, second, "each call must hand out its own database");
    let mut names = Vec::new();
    for url in [&first, &second] {
        let mut conn = PgConnection::connect(url)
            .await
            .expect("connecting to a fresh database");
        let one: i32 = sqlx::query_scalar("SELECT 1")
            .fetch_one(&mut conn)
            .await
            .expect("SELECT 1");
        assert_eq!(one, 1);
        let name: String = sqlx::query_scalar("SELECT current_database()")
            .fetch_one(&mut conn)
            .await
            .expect("asking for the current database");
        names.push(name);
        conn.close().await.expect("closing the test connection");
    }
    assert_ne!(
        names[0], names[1],
        "the two URLs must lead to different databases"
    );
}
