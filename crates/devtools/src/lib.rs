//! The reform tracker's developer tools, apart from the shipped `reform` binary: the
//! benchmarks (`reform-dev bench …`), a synthetic country made through the normal
//! command path (`reform-dev generate`, and the scale tests' data), and a throwaway
//! PostgreSQL cluster for the tests and benchmarks on a machine without a server, and
//! the hostile workbooks the tests and the memory benchmark feed the import, and a
//! headless Chromium behind chromedriver for the browser tests.
//!
//! Nothing here is part of the product: `reform` depends on this crate only for its
//! tests.

pub mod bench;
pub mod browser;
pub mod generate;
pub mod hostile;
pub mod national;
pub mod throwaway_pg;
