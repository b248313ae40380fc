//! Plans' task tables in and out of spreadsheets, as provinces write them.
//!
//! [`sheet`] reads csv and xlsx into grids of text; [`import`] turns a grid into the
//! commands that bring a plan in line with it (pure: it judges every row with the
//! domain's own rules against a [`reform_domain::World`], so the report lists every
//! bad row before anything is written); [`run`] loads that world from the store and
//! executes the commands all or none; [`export`] writes a plan (or any table) back
//! out in the same shape.

pub mod agencies;
pub mod deadline;
pub mod export;
pub mod import;
pub mod run;
pub mod sheet;

pub use export::{neutralised, plan_table, Cell, ExportError, Row, Table, TaskProgress};
pub use import::{
    plan_import, Column, ImportError, ImportOptions, ImportPlan, ImportReport, Problem,
};
pub use run::{
    export_plan, import_plan, import_plan_admitting, load_plan_world, resolve_plan, RunError,
};
pub use sheet::{limits, Format, Sheet, SheetError};
