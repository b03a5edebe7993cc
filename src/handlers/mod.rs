//! Thin handlers grouped by audience.

pub mod errors;
pub mod health;
pub mod public;
pub mod staff;
