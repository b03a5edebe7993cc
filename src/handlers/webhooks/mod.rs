//! Calls from payment providers: signed, never from a browser, exempt from the same-origin
//! check.

pub mod midtrans;
pub mod stripe;
