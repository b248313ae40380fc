//! The `reform` command line: the pieces behind each subcommand, kept in a library so
//! that tests drive them directly as well as through the binary.

pub mod audit_export;
pub mod bench;
pub mod bench_dashboard;
pub mod demo;
pub mod demo_data;
pub mod generate;
pub mod plan_table;
pub mod serve;
pub mod summary;
pub mod throwaway_pg;
