//! The search page: the query understood (`domain::query`, once, whichever the engine), the
//! engine's answer as `search::retry::page_search` gets it (the last word whole when the shop
//! knows it, brands searched only for words found in brands alone, the second pass when the
//! words together find nothing, no more than three products of a name in a row on the first
//! page, and, when nothing is found, queries respelled from the words of the catalogue and the
//! synonyms that do find something) and, when the engine fails, products whose names hold the
//! words typed (so the page still answers).

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::query::{Understood, WordsDropped};
use crate::domain::{impact, search_stats, Slug};
use crate::error::AppError;
use crate::models::product::{self, CardData, ListingScope};
use crate::models::{search_outbox, search_query, today_iso};
use crate::search::params::SearchParams;
use crate::search::retry::page_search;
use crate::search::spelling::Lexicon;
use crate::search::SearchResults;

use super::Shop;

/// What the search page shows.
pub struct Found {
    pub results: SearchResults,
    /// The products of this page, in the engine's order.
    pub cards: Vec<CardData>,
    /// Queries offered when nothing was found ("Mungkin maksud Anda"), as typed with words
    /// respelled; each finds something.
    pub suggestions: Vec<String>,
    /// The engine failed; the cards come from matching names in the database.
    pub unavailable: bool,
    /// Names of the units in the unit facet and the unit filter, by slug.
    pub unit_names: HashMap<String, String>,
    /// What the query was understood to say (its chips), as searched.
    pub understood: Understood,
    /// What was searched instead of the words typed, which together found nothing: words
    /// corrected or left out.
    pub dropped: Option<WordsDropped>,
}

/// Words for the database fallback: at most five, letters and digits only.
fn fallback_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(5)
        .collect()
}

/// Searches for `params`, `per_page` products a page.
pub async fn search_page(
    shop: Shop<'_>,
    params: &SearchParams,
    per_page: u32,
) -> Result<Found, AppError> {
    let understood = params.understand(shop.vocabulary);
    let request = params.request_with(per_page, &understood);
    // Without words, nothing is decided from the words of the catalogue.
    let lexicon = if request.text.is_empty() {
        Arc::new(Lexicon::default())
    } else {
        lexicon(shop).await?
    };
    let (results, dropped, suggestions) =
        match page_search(&**shop.search, &request, &lexicon).await {
            Ok(page) => {
                let mut suggestions: Vec<String> = Vec::new();
                for respelling in &page.respellings {
                    let query = respelling.apply(&params.text);
                    if !query.is_empty() && query != params.text && !suggestions.contains(&query) {
                        suggestions.push(query);
                    }
                }
                (Some(page.results), page.searched, suggestions)
            }
            Err(e) => {
                tracing::warn!(error = %e, "search engine failed, falling back to name matching");
                (None, None, Vec::new())
            }
        };
    let unit_slugs: Vec<String> = results
        .as_ref()
        .and_then(|r| r.facets.get("unit_slug"))
        .map(|m| {
            m.keys()
                .cloned()
                .chain(params.filters.units.clone())
                .collect()
        })
        .unwrap_or_default();
    let ids: Vec<i32> = results
        .as_ref()
        .map(|r| r.hits.iter().map(|h| h.id as i32).collect())
        .unwrap_or_default();
    // Without the engine, the products whose names hold the words typed (those left once
    // understood, or all of them when none is left).
    let words = if request.text.is_empty() {
        &params.text
    } else {
        &request.text
    };
    let by_name = results
        .is_none()
        .then(|| (fallback_words(words), params.page.to_string()));
    let caches = shop.caches.clone();
    let today = today_iso();
    // One database hop for the unit names and the cards.
    let (unit_names, cards, name_total) = shop
        .read(move |c| {
            let all_names = caches.unit_name_map(c)?;
            let unit_names: HashMap<String, String> = unit_slugs
                .iter()
                .filter_map(|slug| Some((slug.clone(), all_names.get(slug)?.clone())))
                .collect();
            let Some((words, page)) = by_name else {
                return Ok((unit_names, product::cards_by_ids(c, &ids, &today)?, 0));
            };
            if words.is_empty() {
                return Ok((unit_names, Vec::new(), 0));
            }
            let listing = product::listing(
                c,
                &caches,
                ListingScope::NameContains(words),
                crate::domain::ListingSort::Popular,
                crate::domain::PageNumber::parse_or_first(Some(&page)),
                per_page,
                &today,
            )?;
            Ok((unit_names, listing.cards, listing.total))
        })
        .await?;
    let unavailable = results.is_none();
    let results = results.unwrap_or_else(|| SearchResults {
        total: name_total as u64,
        ..SearchResults::default()
    });
    Ok(Found {
        results,
        cards,
        suggestions,
        unavailable,
        unit_names,
        understood,
        dropped,
    })
}

/// The words of the published catalogue and of the synonyms in force, for the search page's
/// passes: the kept copy (read again in the background when older than a minute), or, before
/// any was kept, read now on a database thread.
async fn lexicon(shop: Shop<'_>) -> Result<Arc<Lexicon>, AppError> {
    let keeper = &shop.caches.lexicon;
    if let Some((kept, stale)) = keeper.get() {
        if stale && keeper.start_refresh() {
            let (pool, keeper) = (shop.db.clone(), keeper.clone());
            let (config, synonyms) = (shop.search.config().clone(), shop.search.synonyms());
            actix_web::rt::spawn(async move {
                let read =
                    crate::db::blocking(&pool, move |c| Ok(read_lexicon(c, &config, &synonyms)?))
                        .await;
                match read {
                    Ok(words) => keeper.put(Arc::new(words)),
                    Err(e) => {
                        tracing::warn!(error = %e, "the catalogue's words were not read again")
                    }
                }
                keeper.end_refresh();
            });
        }
        return Ok(kept);
    }
    let (config, synonyms) = (shop.search.config().clone(), shop.search.synonyms());
    let words = Arc::new(
        shop.read(move |c| Ok(read_lexicon(c, &config, &synonyms)?))
            .await?,
    );
    keeper.put(words.clone());
    Ok(words)
}

/// Reads the catalogue's words once, at start, so no search waits for them.
pub fn prime_lexicon(
    conn: &mut crate::db::DbConnection,
    keeper: &crate::services::cache::LexiconKeeper,
    engine: &crate::search::Engine,
) -> diesel::QueryResult<()> {
    let words = read_lexicon(conn, engine.config(), &engine.synonyms())?;
    keeper.put(Arc::new(words));
    Ok(())
}

/// Every published product's searchable words, and the synonyms.
fn read_lexicon(
    conn: &mut crate::db::DbConnection,
    config: &crate::search::SearchConfig,
    synonyms: &HashMap<String, Vec<String>>,
) -> diesel::QueryResult<Lexicon> {
    let docs = search_outbox::documents(conn, None, &today_iso())?;
    Ok(Lexicon::of_documents(&docs, config).with_synonyms(synonyms, config))
}

/// Counts the search of `params` that gave `found`, when it is
/// a first look at a query: text typed, its first page, no filter chosen in the sidebar, no
/// sort chosen and nothing of its understanding turned off (following a facet or a page of
/// the same query is not searching again); not for a crawler, nor when the engine failed.
/// The count is kept in memory (`services::cache::SearchTally`) and written with the others
/// every `SEARCH_COUNTS_EVERY` (`write_search_counts`), so a search writes nothing to the
/// database. What is kept is the query's words, the day and how many it found; nothing about
/// who searched.
pub fn count_search(shop: Shop<'_>, params: &SearchParams, found: &Found, crawler: bool) {
    let first_look = params.page == 1
        && params.filters.is_empty()
        && !params.sort_chosen
        && !params.literal
        && params.ignored.is_empty();
    if crawler || found.unavailable || !first_look {
        return;
    }
    let Some(query) = counted(&params.text) else {
        return;
    };
    let Some(day) = impact::wib_day(crate::models::now_ts()).map(impact::day_text) else {
        return;
    };
    shop.caches.searches.add(query, day, found.results.total);
}

/// How often the searches counted in memory are written (`write_search_counts`).
pub const SEARCH_COUNTS_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// Writes the searches counted since the last write (`services::cache::SearchTally`), in one
/// transaction; nothing when none was counted. Counts that could not be written are kept for
/// the next write.
pub async fn write_search_counts(
    pool: &crate::db::Pool,
    tally: &crate::services::cache::SearchTally,
) -> Result<(), AppError> {
    let counts = tally.take();
    if counts.is_empty() {
        return Ok(());
    }
    let kept = counts.clone();
    let written =
        crate::db::blocking(pool, move |c| Ok(search_query::count_many(c, &counts)?)).await;
    if written.is_err() {
        tally.restore(kept);
    }
    written
}

/// Writes the searches counted in memory every `SEARCH_COUNTS_EVERY`, for as long as the
/// server runs.
pub async fn keep_writing_search_counts(
    pool: crate::db::Pool,
    tally: crate::services::cache::SearchTally,
) {
    loop {
        actix_web::rt::time::sleep(SEARCH_COUNTS_EVERY).await;
        if let Err(e) = write_search_counts(&pool, &tally).await {
            tracing::warn!(error = %e, "searches were not counted; trying again");
        }
    }
}

/// The query as it is counted (`search_stats::counted_query`) from the text of `q`, typed or
/// sent back by the search page's script: cleaned as `SearchParams` cleans it, then its words
/// as the index stores them.
fn counted(text: &str) -> Option<String> {
    search_stats::counted_query(&crate::search::words_of(&crate::search::clean_query(text)))
}

/// Counts a product opened from the search results (`POST /cari/klik`): `text` is the query
/// the results page shows, `product` the slug of the product opened. One click is added to
/// today's (WIB) count of that query (`models::search_query::count_click`) when the query was
/// counted today and the product is published; anything else, or a crawler, changes nothing.
/// Nothing about who clicked is kept. Gives whether it was counted.
pub async fn count_click(
    shop: Shop<'_>,
    text: &str,
    product: &str,
    crawler: bool,
) -> Result<bool, AppError> {
    if crawler {
        return Ok(false);
    }
    let (Some(query), Ok(product)) = (counted(text), Slug::parse(product.trim())) else {
        return Ok(false);
    };
    let Some(day) = impact::wib_day(crate::models::now_ts()).map(impact::day_text) else {
        return Ok(false);
    };
    // The query searched a moment ago is written first, so its click finds it.
    write_search_counts(shop.db, &shop.caches.searches).await?;
    shop.write(move |c| Ok(search_query::count_click(c, &query, &day, &product)?))
        .await
}

#[cfg(test)]
mod tests {
    use super::fallback_words;

    #[test]
    fn fallback_words_drop_symbols_and_cap_length_and_count() {
        assert_eq!(fallback_words("Kopi  GAYO!!"), vec!["kopi", "gayo"]);
        assert!(fallback_words("%%% ___ '\"; --").is_empty());
        assert_eq!(fallback_words("a b c d e f g").len(), 5);
        assert!(fallback_words(&"x".repeat(5000))[0].len() <= 40);
    }
}
