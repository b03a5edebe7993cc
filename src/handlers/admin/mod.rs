//! Administrators (the directorate): bank transfers to confirm, refunds, the payment settings
//! (the bank accounts buyers transfer into), mail that could not be sent, the audit log, the
//! units registry, the accounts, the legal status rules, the units' payouts, search synonyms
//! and what shoppers searched.

pub mod accounts;
pub mod audit;
pub mod bank_accounts;
pub mod legal_rules;
pub mod mail;
pub mod payments;
pub mod payouts;
pub mod search_tuning;
pub mod units;
