//! Thin handlers grouped by audience.

pub mod errors;
pub mod health;
pub mod limits;
pub mod public;
pub mod security;
pub mod staff;
