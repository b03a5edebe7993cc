//! Fair organizers (and administrators): events, booth plans, applications.

pub mod fairs;
