//! What search is about, apart from any engine: the document both engines index, the price
//! bands counted as a facet, and the ways a search can fail.

use serde::{Deserialize, Serialize};

/// The document both engines index: a published product. Field names are Meilisearch's
/// attribute names (see `search-config/products.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The product kind staff chose (`products.kind`: "Tas anyaman pandan").
    #[serde(default)]
    pub kind: String,
    pub brand: String,
    pub category: String,
    pub unit_name: String,
    pub unit_slug: String,
    pub city: String,
    pub province: String,
    /// The Indonesian description.
    pub description: String,
    /// The English description (empty when there is none): an attribute of its own, so that
    /// typos can be allowed on the Indonesian text and not on the English one.
    #[serde(default)]
    pub description_en: String,
    /// Codes of verified, unexpired documents (`HALAL`, `PIRT`, ...).
    pub certifications: Vec<String>,
    pub price: i64,
    /// One of `PRICE_BANDS`, so price ranges can be counted like any other facet.
    pub price_band: String,
    pub in_stock: bool,
    pub created_at: i64,
    pub popularity: i64,
}

/// Price ranges offered as a facet: (code, lowest price, highest price), in rupiah.
pub const PRICE_BANDS: [(&str, i64, Option<i64>); 5] = [
    ("0-50000", 0, Some(50_000)),
    ("50000-100000", 50_001, Some(100_000)),
    ("100000-250000", 100_001, Some(250_000)),
    ("250000-1000000", 250_001, Some(1_000_000)),
    ("1000000-", 1_000_001, None),
];

pub fn price_band(price: i64) -> &'static str {
    PRICE_BANDS
        .iter()
        .find(|(_, lo, hi)| price >= *lo && hi.is_none_or(|h| price <= h))
        .map(|(code, _, _)| *code)
        .unwrap_or(PRICE_BANDS[0].0)
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SearchError {
    /// The engine cannot be reached or refuses to work (down, wrong key, index missing).
    #[error("search engine unavailable: {0}")]
    Unavailable(String),
    /// The engine refused this request (Meilisearch error code and message).
    #[error("search engine refused the request ({code}): {message}")]
    Rejected { code: String, message: String },
    #[error("search engine failure: {0}")]
    Internal(String),
}
