//! Administrators (the directorate): bank transfers to confirm, refunds, mail that could not
//! be sent. (The audit log sits with the review desk, behind the same `AdminUser` guard.)

pub mod mail;
pub mod payments;
