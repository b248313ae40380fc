//! The `reform` command line: the pieces behind the subcommands, kept in a library so
//! that tests drive them directly as well as through the binary. The benchmarks, the
//! synthetic data and the tests' throwaway PostgreSQL are in `reform-devtools`, not here.

pub mod audit_export;
pub mod demo;
pub mod demo_data;
pub mod plan_table;
pub mod serve;
pub mod summary;
