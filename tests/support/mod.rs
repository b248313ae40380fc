pub mod api;
pub mod hostile;
pub mod pg;
pub mod stores;
