//! Use cases that span models and outside services, one function each. Handlers and jobs call
//! them with the `Shop` they run in and map the outcome to a page; a workflow knows nothing of
//! HTTP.

pub mod account;
pub mod booth_sales;
pub mod checkout;
pub mod documents;
pub mod fairs;
pub mod import;
pub mod midtrans;
pub mod orders;
pub mod payouts;
pub mod photos;
pub mod products;
pub mod refund;
pub mod review;
pub mod search;
pub mod synonyms;

use crate::config::Settings;
use crate::db::{DbConnection, Pool};
use crate::error::AppError;
use crate::services::cache::Caches;
use crate::services::mail::MailTemplates;
use crate::services::media::MediaStore;
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
    /// The search engine (embedded or Meilisearch).
    pub search: &'a crate::search::Engine,
    /// What search queries are understood to say (`search-config/understanding.json`).
    pub vocabulary: &'a crate::domain::query::Vocabulary,
    /// Listing totals and the category list, remembered for a few seconds.
    pub caches: &'a Caches,
    /// Public media (product photos and their variants, approved logos and banners).
    pub media: &'a MediaStore,
    /// Private files (document scans, proposed logos and banners, QRIS images), apart from
    /// public media: never given a public address.
    pub documents: &'a MediaStore,
}

impl Shop<'_> {
    /// Database work that may write, on the blocking pool (`db::blocking`).
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::blocking(self.db, f).await
    }

    /// Read-only database work for a page (`db::read`).
    pub async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        crate::db::read(self.db, self.settings.database_url.is_sqlite(), f).await
    }
}
