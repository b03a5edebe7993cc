//! Product search. One `SearchEngine` trait, two engines: the embedded on-disk index (tantivy,
//! the default) and Meilisearch (when `MEILI_URL` and `MEILI_MASTER_KEY` are set). Both read
//! the same `search-config/products.json` and index the same `SearchDoc`. When a query finds
//! nothing, the search page tries again the same way on either (`retry`, with the words of the
//! catalogue of `spelling`).
//!
//! Index updates travel through the outbox (`models::search_outbox`, `services::indexer`):
//! a product change writes an outbox row in its own transaction, and the indexer delivers it.

pub mod config;
pub mod embedded;
pub mod meili;
pub mod params;
pub mod retry;
pub mod spelling;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use futures_util::future::LocalBoxFuture;
use serde::Serialize;

pub use crate::domain::search::{price_band, SearchDoc, SearchError, PRICE_BANDS};
use crate::domain::synonyms::SynonymEntry;
pub use config::SearchConfig;

/// The searchable attribute a request searches only when it asks to (`SearchRequest::brand`):
/// a unit's brand ("Batik Wirogunan") is on every product of the unit, eggs and compost too.
pub const BRAND: &str = "brand";

/// The attributes whose value counts the search page shows.
pub const FACETS: [&str; 6] = [
    "category",
    "province",
    "unit_slug",
    "certifications",
    "price_band",
    "in_stock",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSort {
    #[default]
    Relevance,
    PriceAsc,
    PriceDesc,
    Newest,
}

impl SearchSort {
    /// Unknown values fall back to relevance.
    pub fn parse_or_default(raw: Option<&str>) -> Self {
        match raw {
            Some("termurah") => Self::PriceAsc,
            Some("termahal") => Self::PriceDesc,
            Some("terbaru") => Self::Newest,
            _ => Self::Relevance,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Relevance => "relevan",
            Self::PriceAsc => "termurah",
            Self::PriceDesc => "termahal",
            Self::Newest => "terbaru",
        }
    }

    pub const ALL: [SearchSort; 4] = [
        Self::Relevance,
        Self::PriceAsc,
        Self::PriceDesc,
        Self::Newest,
    ];
}

/// Filters: values of one attribute are alternatives (OR); attributes combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchFilters {
    pub categories: Vec<String>,
    pub provinces: Vec<String>,
    pub units: Vec<String>,
    pub certifications: Vec<String>,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    pub in_stock: bool,
}

impl SearchFilters {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub text: String,
    pub filters: SearchFilters,
    pub sort: SearchSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
    /// Count values of `FACETS` among the matches.
    pub facets: bool,
    /// Looser matching: words may be left out (any of them on the embedded engine, from the
    /// end on Meilisearch) and, on the embedded engine, have more typos.
    pub relaxed: bool,
    /// Whether words may match the brand (`BRAND`). The search page searches it only for a
    /// word found in brands alone ("wirogunan"; `retry::as_sent`), so that "batik" does not
    /// find the eggs of the unit whose brand is Batik Wirogunan.
    pub brand: bool,
}

impl SearchRequest {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            filters: SearchFilters::default(),
            sort: SearchSort::Relevance,
            page: 1,
            per_page: 24,
            facets: false,
            relaxed: false,
            brand: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// attribute → value → number of matching products.
pub type FacetCounts = BTreeMap<String, BTreeMap<String, u64>>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    pub total: u64,
    pub facets: FacetCounts,
}

pub type SearchFuture<'a, T> = LocalBoxFuture<'a, Result<T, SearchError>>;

/// What the shop needs from a search engine. Futures are not `Send`: they run on the actix
/// worker that awaits them.
pub trait SearchEngine: Send + Sync {
    fn name(&self) -> &'static str;
    /// The settings it searches with (`search-config/products.json`).
    fn config(&self) -> &SearchConfig;
    /// Creates the index and applies the settings (idempotent).
    fn prepare(&self) -> SearchFuture<'_, ()>;
    fn search<'a>(&'a self, request: &'a SearchRequest) -> SearchFuture<'a, SearchResults>;
    /// Adds or replaces documents by id.
    fn upsert(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()>;
    fn delete(&self, ids: Vec<i64>) -> SearchFuture<'_, ()>;
    /// Replaces the whole index with `docs` (a full reindex).
    fn replace_all(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()>;
    /// Number of indexed documents.
    fn count(&self) -> SearchFuture<'_, u64>;
    /// Why the engine refuses to work with this configuration at all (a wrong key), checked
    /// at start-up; `None` when it accepts it or cannot be reached now (the shop then serves
    /// with the fallback until it can).
    fn refuses_access(&self) -> LocalBoxFuture<'_, Option<String>> {
        Box::pin(async { None })
    }
    /// The synonyms administrators added (`search_synonyms`), to use beside the file's from
    /// now on, replacing those handed before. The embedded engine's next search uses them;
    /// Meilisearch gets them with `push_synonyms` and with every `prepare`.
    fn set_added_synonyms(&self, added: &[SynonymEntry]);
    /// Sends the synonyms now held to an engine that keeps its own settings (Meilisearch: its
    /// `synonyms` setting, a task it applies shortly). Nothing to send for the embedded one.
    fn push_synonyms(&self) -> SearchFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }
    /// The synonyms in force now: the file's and those administrators added.
    fn synonyms(&self) -> Arc<HashMap<String, Vec<String>>> {
        Arc::new(self.config().synonyms.clone())
    }
}

pub type Engine = Arc<dyn SearchEngine>;

/// An opened engine; `embedded` is set when it is the embedded one (it can be brought up to
/// date synchronously before the server starts).
pub struct OpenedEngine {
    pub engine: Engine,
    pub embedded: Option<Arc<embedded::EmbeddedEngine>>,
}

/// The engine the settings ask for: Meilisearch when configured, else the embedded index under
/// `DATA_DIR/search`.
pub fn open_engine(
    settings: &crate::config::Settings,
) -> Result<OpenedEngine, crate::error::AppError> {
    let config = SearchConfig::load(&settings.search_config)?;
    match &settings.meili {
        Some(meili) => Ok(OpenedEngine {
            engine: Arc::new(meili::MeiliEngine::new(
                &meili.url,
                &meili.master_key,
                config,
            )),
            embedded: None,
        }),
        None => {
            let dir = settings.data_dir.join("search").join(embedded::INDEX_DIR);
            let engine = Arc::new(embedded::EmbeddedEngine::open(&dir, config)?);
            Ok(OpenedEngine {
                engine: engine.clone(),
                embedded: Some(engine),
            })
        }
    }
}

/// The words of `text` as the search index stores them (lower case, accents folded, split at
/// anything but letters and digits): how synonyms and counted queries are written.
pub fn words_of(text: &str) -> Vec<String> {
    embedded::index_words(text)
}

/// The visitor's text as the engines get it: at most 200 characters, trimmed; symbols alone
/// give an empty query.
pub fn clean_query(raw: &str) -> String {
    let cut: String = raw.chars().take(200).collect();
    if cut.chars().any(char::is_alphanumeric) {
        cut.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_price_falls_in_exactly_one_band() {
        assert_eq!(price_band(0), "0-50000");
        assert_eq!(price_band(50_000), "0-50000");
        assert_eq!(price_band(50_001), "50000-100000");
        assert_eq!(price_band(250_000), "100000-250000");
        assert_eq!(price_band(1_000_000), "250000-1000000");
        assert_eq!(price_band(9_000_000), "1000000-");
    }

    #[test]
    fn queries_are_cut_at_200_characters_and_symbols_alone_are_empty() {
        assert_eq!(clean_query("  kopi   gayo "), "kopi gayo");
        assert_eq!(clean_query("%%% ' \" ;--"), "");
        assert_eq!(clean_query(&"a".repeat(500)).chars().count(), 200);
    }

    #[test]
    fn unknown_sorts_fall_back_to_relevance() {
        assert_eq!(
            SearchSort::parse_or_default(Some("junk")),
            SearchSort::Relevance
        );
        assert_eq!(
            SearchSort::parse_or_default(Some("termurah")),
            SearchSort::PriceAsc
        );
    }
}
