//! The back office (`/masuk`, `/kelola/…`): staff, reviewers, organizers and administrators.
//! Sessions live in an encrypted, signed cookie (actix-session); every form carries a CSRF
//! token kept in that session; every action is checked against the account's scope.

pub mod auth;
pub mod booth_sales;
pub mod credentials;
pub mod documents;
pub mod fairs;
pub mod import;
pub mod orders;
pub mod payouts;
pub mod products;
pub mod unit;

pub use super::account::*;
