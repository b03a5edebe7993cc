//! In-process caches. Each instance of the app keeps its own.
//! - `TtlCache`: values that may lag a change by a few seconds (listing totals, the category
//!   list) or a minute (the words of the catalogue a search corrects typos to).
//! - `PageCache`: the public catalogue pages as rendered HTML, for a few seconds, dropped at once
//!   when the catalogue changes through this instance (see `db::note_catalog_write` and
//!   `db::blocking`) and, on PostgreSQL, within a second when it changes through another
//!   instance on the same database (`db::wake::listen`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::web::Bytes;

use crate::domain::search_stats::PendingCount;

#[derive(Debug, Clone)]
pub struct TtlCache<V: Clone> {
    inner: Arc<Mutex<HashMap<String, (V, Instant)>>>,
    ttl: Duration,
}

impl<V: Clone> TtlCache<V> {
    /// Entries beyond this are dropped all at once, so the cache cannot grow without bound.
    const MAX_ENTRIES: usize = 10_000;

    pub fn new(ttl: Duration) -> Self {
        Self {
            inner: Arc::default(),
            ttl,
        }
    }

    pub fn get(&self, key: &str) -> Option<V> {
        let map = self.inner.lock().ok()?;
        map.get(key)
            .filter(|(_, at)| at.elapsed() < self.ttl)
            .map(|(v, _)| v.clone())
    }

    pub fn put(&self, key: String, value: V) {
        if let Ok(mut map) = self.inner.lock() {
            if map.len() >= Self::MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, (value, Instant::now()));
        }
    }

    /// The cached value, or `load()` stored and returned.
    pub fn get_or_try<E>(&self, key: &str, load: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let v = load()?;
        self.put(key.to_string(), v.clone());
        Ok(v)
    }
}

impl crate::models::product::CountMemo for Caches {
    fn count_or_load(
        &self,
        key: &str,
        load: Box<dyn FnOnce() -> diesel::QueryResult<i64> + '_>,
    ) -> diesel::QueryResult<i64> {
        self.counts.get_or_try(key, load)
    }

    fn counts_or_load(
        &self,
        keys: &[String],
        load: Box<dyn FnOnce() -> diesel::QueryResult<Vec<i64>> + '_>,
    ) -> diesel::QueryResult<Vec<i64>> {
        let kept: Option<Vec<i64>> = keys.iter().map(|key| self.counts.get(key)).collect();
        if let Some(kept) = kept {
            return Ok(kept);
        }
        let counted = load()?;
        for (key, n) in keys.iter().zip(&counted) {
            self.counts.put(key.clone(), *n);
        }
        Ok(counted)
    }

    fn anchors_or_load(
        &self,
        key: &str,
        load: Box<dyn FnOnce() -> diesel::QueryResult<crate::models::product::Anchors> + '_>,
    ) -> diesel::QueryResult<crate::models::product::Anchors> {
        self.anchors.get_or_try(key, load)
    }
}

impl crate::models::product::RelatedMemo for TtlCache<crate::models::product::RelatedCards> {
    fn get(&self, key: &str) -> Option<crate::models::product::RelatedCards> {
        TtlCache::get(self, key)
    }

    fn put(&self, key: String, cards: crate::models::product::RelatedCards) {
        TtlCache::put(self, key, cards);
    }
}

/// How long the words of the catalogue are kept (`Caches::lexicon`): a product's new words are
/// corrected to, found from their beginning and told apart as brand words within a minute;
/// they are found whole at once.
const LEXICON_TTL: Duration = Duration::from_secs(60);

/// The caches the public pages share.
#[derive(Debug, Clone)]
pub struct Caches {
    pub counts: TtlCache<i64>,
    /// The anchors of deep listing pages (`models::product::Anchors`), by listing, sort and
    /// catalogue generation.
    pub anchors: TtlCache<crate::models::product::Anchors>,
    pub categories: TtlCache<Arc<Vec<crate::models::catalog::Category>>>,
    /// The words of the catalogue and the synonyms, read for the search page's passes
    /// (`workflows::search`).
    pub lexicon: LexiconKeeper,
    /// The most popular cards of each category, for the related products of product pages.
    pub related: TtlCache<crate::models::product::RelatedCards>,
    /// Every unit's name by its slug, for the unit facet of the search page.
    pub unit_names: TtlCache<Arc<HashMap<String, String>>>,
    /// Searches counted since the counts were last written (`workflows::search`).
    pub searches: SearchTally,
}

/// Searches counted in memory, by query and day, and written together every few seconds
/// (`workflows::search::write_search_counts`): one statement per query searched, not one per
/// search, so counting costs a search page nothing measurable. A crash loses the last few
/// seconds of counts, which only ever feed the insights of the last 30 days.
#[derive(Debug, Clone, Default)]
pub struct SearchTally {
    pending: Arc<Mutex<HashMap<(String, String), PendingCount>>>,
}

impl SearchTally {
    /// Queries kept at most before further ones wait for the next write (the counts are
    /// written every few seconds; this only bounds memory under a flood of distinct texts).
    const MAX_QUERIES: usize = 10_000;

    /// Counts one search of `query` on `day` that found `found` products.
    pub fn add(&self, query: String, day: String, found: u64) {
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        let key = (query, day);
        if pending.len() >= Self::MAX_QUERIES && !pending.contains_key(&key) {
            return;
        }
        let count = pending.entry(key).or_default();
        count.searches = count.searches.saturating_add(1);
        count.zero_results = count.zero_results.saturating_add(i32::from(found == 0));
        count.last_count = i32::try_from(found).unwrap_or(i32::MAX);
    }

    /// Everything counted so far, leaving nothing.
    pub fn take(&self) -> Vec<(String, String, PendingCount)> {
        let Ok(mut pending) = self.pending.lock() else {
            return Vec::new();
        };
        std::mem::take(&mut *pending)
            .into_iter()
            .map(|((query, day), count)| (query, day, count))
            .collect()
    }

    /// Puts back counts that could not be written, added to any counted since.
    pub fn restore(&self, counts: Vec<(String, String, PendingCount)>) {
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        for (query, day, count) in counts {
            match pending.entry((query, day)) {
                // Counted again since: its latest count is the newer one.
                std::collections::hash_map::Entry::Occupied(mut kept) => {
                    let kept = kept.get_mut();
                    kept.searches = kept.searches.saturating_add(count.searches);
                    kept.zero_results = kept.zero_results.saturating_add(count.zero_results);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(count);
                }
            }
        }
    }
}

/// The catalogue's words and when they were read.
type KeptWords = (Instant, Arc<crate::search::spelling::Lexicon>);

/// The words of the catalogue (`search::spelling::Lexicon`), read once at start and again in
/// the background when a search finds them older than a minute: reading them walks the whole
/// catalogue, which no search should wait for, so a search meanwhile uses the kept copy.
#[derive(Clone, Default)]
pub struct LexiconKeeper {
    kept: Arc<std::sync::RwLock<Option<KeptWords>>>,
    refreshing: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for LexiconKeeper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LexiconKeeper").finish_non_exhaustive()
    }
}

impl LexiconKeeper {
    /// The kept words, and whether they are older than `LEXICON_TTL`.
    pub fn get(&self) -> Option<(Arc<crate::search::spelling::Lexicon>, bool)> {
        let kept = self.kept.read().ok()?;
        kept.as_ref()
            .map(|(at, words)| (words.clone(), at.elapsed() >= LEXICON_TTL))
    }

    pub fn put(&self, words: Arc<crate::search::spelling::Lexicon>) {
        if let Ok(mut kept) = self.kept.write() {
            *kept = Some((Instant::now(), words));
        }
    }

    /// True for the one caller that is to read the words again; false while another does.
    pub fn start_refresh(&self) -> bool {
        !self
            .refreshing
            .swap(true, std::sync::atomic::Ordering::AcqRel)
    }

    pub fn end_refresh(&self) {
        self.refreshing
            .store(false, std::sync::atomic::Ordering::Release);
    }
}

impl Caches {
    pub fn new(ttl: Duration) -> Self {
        Self {
            counts: TtlCache::new(ttl),
            anchors: TtlCache::new(ttl),
            categories: TtlCache::new(ttl),
            lexicon: LexiconKeeper::default(),
            related: TtlCache::new(ttl),
            unit_names: TtlCache::new(ttl),
            searches: SearchTally::default(),
        }
    }

    /// Every unit's name by its slug, from the cache when it is fresh (a renamed unit shows
    /// its new name in the search page's unit filter within `ttl`).
    pub fn unit_name_map(
        &self,
        conn: &mut crate::db::DbConnection,
    ) -> diesel::QueryResult<Arc<HashMap<String, String>>> {
        self.unit_names.get_or_try("all", || {
            crate::models::unit::all_names_by_slug(conn).map(Arc::new)
        })
    }

    /// All categories (for the navigation and filters), from the cache when it is fresh.
    pub fn category_list(
        &self,
        conn: &mut crate::db::DbConnection,
    ) -> diesel::QueryResult<Arc<Vec<crate::models::catalog::Category>>> {
        self.categories.get_or_try("all", || {
            crate::models::catalog::all_categories(conn).map(Arc::new)
        })
    }
}

struct CachedPage {
    body: Bytes,
    generation: u64,
    at: Instant,
}

#[derive(Default)]
struct PageStore {
    pages: HashMap<String, CachedPage>,
    bytes: usize,
    /// The catalogue generation of the pages kept, and when they were last swept.
    generation: u64,
    swept: Option<Instant>,
}

impl PageStore {
    /// Drops every page that can no longer be served: all of them when the catalogue moved
    /// on, else those older than `ttl`. Run on each `put` at most once per `ttl`, and at once
    /// when the generation changed, so dead pages never pile up to the budget. (Under orders,
    /// which change stock and so the generation many times a second, the store used to fill
    /// its whole budget with pages nobody could be served, and the soak's memory rose with it.)
    fn sweep(&mut self, generation: u64, ttl: Duration) {
        if generation != self.generation {
            self.generation = generation;
            self.pages = HashMap::new();
            self.bytes = 0;
            self.swept = Some(Instant::now());
            return;
        }
        if self.swept.is_some_and(|at| at.elapsed() < ttl) {
            return;
        }
        self.swept = Some(Instant::now());
        self.pages.retain(|_, p| p.at.elapsed() < ttl);
        self.bytes = self.pages.values().map(|p| p.body.len()).sum();
    }
}

/// Rendered public pages, by language and address, for `ttl` and within `budget` bytes.
#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Mutex<PageStore>>,
    ttl: Duration,
    budget: usize,
}

/// Where a page would be cached, and the catalogue generation before its data was read.
pub struct PageKey {
    key: String,
    generation: u64,
}

impl PageCache {
    pub fn new(ttl: Duration, budget: usize) -> Self {
        Self {
            inner: Arc::default(),
            ttl,
            budget,
        }
    }

    /// Moves on whenever a write changed what catalogue pages show (`db::blocking`), here or in
    /// another process on the same PostgreSQL database (`db::wake::listen`); cached pages from
    /// an older generation are never served.
    fn generation(&self) -> u64 {
        crate::db::catalog_generation()
    }

    /// The key of a page; None when the cache is off.
    pub fn key(&self, lang: &str, uri: &str) -> Option<PageKey> {
        (!self.ttl.is_zero()).then(|| PageKey {
            key: format!("{lang} {uri}"),
            generation: self.generation(),
        })
    }

    /// The page under `key` if it is still current; counted as a hit or a miss
    /// (`services::metrics`).
    pub fn get(&self, key: &PageKey) -> Option<Bytes> {
        let found = self.lookup(key);
        crate::services::metrics::page_cache_lookup(found.is_some());
        found
    }

    fn lookup(&self, key: &PageKey) -> Option<Bytes> {
        let store = self.inner.lock().ok()?;
        store
            .pages
            .get(&key.key)
            .filter(|p| p.generation == self.generation() && p.at.elapsed() < self.ttl)
            .map(|p| p.body.clone())
    }

    pub fn put(&self, key: PageKey, body: Bytes) {
        if body.len() > self.budget / 8 {
            return;
        }
        let now = self.generation();
        if key.generation != now {
            // Read before a change committed: it could never be served.
            return;
        }
        let Ok(mut store) = self.inner.lock() else {
            return;
        };
        store.sweep(now, self.ttl);
        if store.bytes + body.len() > self.budget {
            store.swept = None;
            store.sweep(now, self.ttl);
            if store.bytes + body.len() > self.budget {
                store.pages = HashMap::new();
                store.bytes = 0;
            }
        }
        store.bytes += body.len();
        if let Some(old) = store.pages.insert(
            key.key,
            CachedPage {
                body,
                generation: key.generation,
                at: Instant::now(),
            },
        ) {
            store.bytes -= old.body.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_remembered_until_the_ttl_runs_out() {
        let cache: TtlCache<i64> = TtlCache::new(Duration::from_millis(50));
        assert_eq!(cache.get("a"), None);
        cache.put("a".into(), 42);
        assert_eq!(cache.get("a"), Some(42));
        let loaded: Result<i64, ()> = cache.get_or_try("a", || Ok(7));
        assert_eq!(loaded, Ok(42));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(cache.get("a"), None);
        assert_eq!(cache.get_or_try::<()>("a", || Ok(7)), Ok(7));
    }

    #[test]
    fn pages_past_their_time_are_dropped_by_the_next_page_stored_not_kept_until_the_budget_fills() {
        let cache = PageCache::new(Duration::from_millis(50), 1_000_000);
        for i in 0..20 {
            let k = cache.key("id", &format!("/p/{i}")).unwrap();
            cache.put(k, Bytes::from(vec![b'x'; 100]));
        }
        assert_eq!(cache.inner.lock().unwrap().bytes, 2000);
        std::thread::sleep(Duration::from_millis(60));
        let k = cache.key("id", "/p/fresh").unwrap();
        cache.put(k, Bytes::from_static(b"fresh"));
        let store = cache.inner.lock().unwrap();
        assert_eq!(store.pages.len(), 1);
        assert_eq!(store.bytes, 5);
    }

    #[test]
    fn a_cached_page_is_dropped_when_the_catalogue_changes_and_kept_within_its_budget() {
        let cache = PageCache::new(Duration::from_secs(60), 1000);
        let key = cache.key("id", "/produk/kopi").unwrap();
        cache.put(key, Bytes::from_static(b"<html>kopi</html>"));
        let again = cache.key("id", "/produk/kopi").unwrap();
        assert_eq!(
            cache.get(&again).as_deref(),
            Some(&b"<html>kopi</html>"[..])
        );
        assert!(cache
            .get(&cache.key("en", "/produk/kopi").unwrap())
            .is_none());
        // A page read before a change committed carries the older generation.
        let before = cache.key("id", "/produk/teh").unwrap();
        crate::db::catalog_committed();
        cache.put(before, Bytes::from_static(b"old"));
        assert!(cache
            .get(&cache.key("id", "/produk/teh").unwrap())
            .is_none());
        assert!(cache
            .get(&cache.key("id", "/produk/kopi").unwrap())
            .is_none());
        // Never more than the budget.
        for i in 0..50 {
            let k = cache.key("id", &format!("/p/{i}")).unwrap();
            cache.put(k, Bytes::from(vec![b'x'; 100]));
        }
        assert!(cache.inner.lock().unwrap().bytes <= 1000);
        // Once the catalogue moves on, the next page stored drops every older one at once.
        crate::db::catalog_committed();
        let k = cache.key("id", "/p/new").unwrap();
        cache.put(k, Bytes::from_static(b"new"));
        assert_eq!(cache.inner.lock().unwrap().pages.len(), 1);
        assert_eq!(cache.inner.lock().unwrap().bytes, 3);
        assert!(PageCache::new(Duration::ZERO, 1000)
            .key("id", "/")
            .is_none());
    }

    #[test]
    fn the_search_tally_adds_up_by_query_and_day_and_puts_back_what_was_not_written() {
        let tally = SearchTally::default();
        tally.add("kopi".into(), "2026-12-07".into(), 12);
        tally.add("kopi".into(), "2026-12-07".into(), 10);
        tally.add("zzq".into(), "2026-12-07".into(), 0);
        tally.add("kopi".into(), "2026-12-08".into(), 9);
        let mut taken = tally.take();
        taken.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        let pending = |searches, zero_results, last_count| PendingCount {
            searches,
            zero_results,
            last_count,
        };
        assert_eq!(
            taken,
            vec![
                ("kopi".into(), "2026-12-07".into(), pending(2, 0, 10)),
                ("kopi".into(), "2026-12-08".into(), pending(1, 0, 9)),
                ("zzq".into(), "2026-12-07".into(), pending(1, 1, 0)),
            ]
        );
        assert!(tally.take().is_empty(), "taken once");
        // A write failed meanwhile another search came: both are kept, the newer count wins.
        tally.add("zzq".into(), "2026-12-07".into(), 3);
        tally.restore(taken);
        let mut again = tally.take();
        again.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        assert_eq!(
            again[2],
            ("zzq".into(), "2026-12-07".into(), pending(2, 1, 3))
        );
        assert_eq!(again[0].2, pending(2, 0, 10));
    }
}
