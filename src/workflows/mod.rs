//! Use cases that span models and outside services, one function each. Handlers and jobs call
//! them with the `Shop` they run in and map the outcome to a page; a workflow knows nothing of
//! HTTP.

pub mod checkout;
pub mod refund;

use crate::config::Settings;
use crate::db::Pool;
use crate::services::mail::MailTemplates;
use crate::services::payments::Payments;

/// What the use cases work with: the database, the outside services and the shop's settings.
#[derive(Clone, Copy)]
pub struct Shop<'a> {
    pub db: &'a Pool,
    pub payments: &'a Payments,
    pub mail: &'a MailTemplates,
    pub settings: &'a Settings,
    /// The public address, for links in mail.
    pub base_url: &'a str,
}
