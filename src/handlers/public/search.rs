//! `GET /cari`: search with facets, sorts and pages; `GET /cari/saran`: suggestions for the
//! header search box. When the engine fails the page still answers: it says so and falls back
//! to matching product names in the database.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;

use super::Page;
use crate::error::AppError;
use crate::models::product::{self, ListingScope};
use crate::models::{today_iso, unit};
use crate::search::params::SearchParams;
use crate::search::{clean_query, Hit, SearchRequest, SearchResults};
use crate::state::AppState;
use crate::views::pages::{self, SearchPage, PER_PAGE};

/// Words for the database fallback: at most five, letters and digits only.
fn fallback_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(5)
        .collect()
}

#[get("/cari")]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = SearchParams::parse(req.query_string());
    let request = params.request(PER_PAGE);
    let searched = state.search.search(&request).await;
    let (results, unavailable) = match searched {
        Ok(results) => (Some(results), false),
        Err(e) => {
            tracing::warn!(error = %e, "search engine failed, falling back to name matching");
            (None, true)
        }
    };
    // Nothing found: look for close matches with looser matching.
    let suggestions: Vec<Hit> = match &results {
        Some(r) if r.total == 0 && !params.text.is_empty() => {
            let relaxed = SearchRequest {
                per_page: 4,
                relaxed: true,
                ..SearchRequest::new(&params.text)
            };
            state
                .search
                .search(&relaxed)
                .await
                .map(|r| r.hits)
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let caches = state.caches.clone();
    let ids: Vec<i32> = results
        .as_ref()
        .map(|r| r.hits.iter().map(|h| h.id as i32).collect())
        .unwrap_or_default();
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
    let words = fallback_words(&params.text);
    let page_number = crate::domain::PageNumber::parse_or_first(Some(&params.page.to_string()));
    let (cards, fallback_total, unit_names) = state
        .read(move |conn| {
            let unit_names = unit::names_by_slug(conn, &unit_slugs)?;
            if unavailable {
                if words.is_empty() {
                    return Ok((Vec::new(), 0, unit_names));
                }
                let listing = product::listing(
                    conn,
                    &caches.counts,
                    ListingScope::NameContains(words),
                    crate::domain::ListingSort::Popular,
                    page_number,
                    PER_PAGE,
                    &today,
                )?;
                return Ok((listing.cards, listing.total, unit_names));
            }
            let cards = product::cards_by_ids(conn, &ids, &today)?;
            Ok((cards, 0, unit_names))
        })
        .await?;
    let results = results.unwrap_or_else(|| SearchResults {
        total: fallback_total as u64,
        ..SearchResults::default()
    });
    let frame = layout.frame();
    let ctx = pages::search(
        &frame,
        &SearchPage {
            params: &params,
            results: &results,
            cards: &cards,
            suggestions: &suggestions,
            unavailable,
            unit_names: &unit_names,
        },
    );
    state.render("pages/public/search.html", &ctx)
}

#[derive(Serialize)]
struct Suggestion {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Suggestions {
    query: String,
    suggestions: Vec<Suggestion>,
}

/// `GET /cari/saran?q=`: up to six product names for search-as-you-type. Always JSON; an
/// unavailable engine gives an empty list.
#[get("/cari/saran")]
pub async fn suggest(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let params = SearchParams::parse(req.query_string());
    let query = clean_query(&params.text);
    let mut suggestions = Vec::new();
    if query.chars().count() >= 2 {
        let request = SearchRequest {
            per_page: 6,
            ..SearchRequest::new(&query)
        };
        if let Ok(results) = state.search.search(&request).await {
            suggestions = results
                .hits
                .into_iter()
                .map(|h| Suggestion {
                    url: format!("/produk/{}", h.slug),
                    name: h.name,
                })
                .collect();
        }
    }
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(Suggestions { query, suggestions })
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
