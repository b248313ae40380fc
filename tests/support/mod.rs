pub mod api;
pub mod pg;
pub mod stores;
