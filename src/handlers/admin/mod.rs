//! Administrators (the directorate): bank transfers to confirm, refunds, mail that could not
//! be sent, the audit log, the units registry, the accounts.

pub mod accounts;
pub mod audit;
pub mod mail;
pub mod payments;
pub mod units;
