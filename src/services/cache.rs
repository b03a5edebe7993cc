//! A small in-process cache with a time to live, for values that may lag a change by a few
//! seconds (listing totals, the category list). Each instance of the app keeps its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// The caches the public pages share.
#[derive(Debug, Clone)]
pub struct Caches {
    pub counts: TtlCache<i64>,
    pub categories: TtlCache<Arc<Vec<crate::models::catalog::Category>>>,
}

impl Caches {
    pub fn new(ttl: Duration) -> Self {
        Self {
            counts: TtlCache::new(ttl),
            categories: TtlCache::new(ttl),
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
}
