//! `GET /cari?q=`: the header search box. Matches words in product names until the search
//! engine issue brings ranking, typos, synonyms and facets.

use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{frame, lenient_query};
use crate::domain::{ListingSort, PageNumber};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::product::{self, ListingScope};
use crate::models::{catalog, today_iso};
use crate::state::AppState;
use crate::views::pages::{self, PER_PAGE};

#[derive(Debug, Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
    sort: Option<String>,
}

/// At most five words of letters and digits, each at most 40 characters; the whole query is
/// cut at 200 characters. Symbols only give no words.
pub fn search_words(q: &str) -> Vec<String> {
    q.chars()
        .take(200)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(40).collect::<String>().to_lowercase())
        .take(5)
        .collect()
}

#[get("/cari")]
pub async fn search(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let query: SearchQuery = lenient_query(&req);
    let text: String = query.q.unwrap_or_default().chars().take(200).collect();
    let words = search_words(&text);
    let sort = ListingSort::parse_or_default(query.sort.as_deref());
    let page = PageNumber::parse_or_first(query.page.as_deref());
    let today = today_iso();
    let caches = state.caches.clone();
    let (categories, listing) = state
        .db(move |conn| {
            let categories = catalog::categories_cached(conn, &caches.categories)?;
            let listing = if words.is_empty() {
                None
            } else {
                Some(product::listing(
                    conn,
                    &caches.counts,
                    ListingScope::NameContains(words),
                    sort,
                    page,
                    PER_PAGE,
                    &today,
                )?)
            };
            Ok((categories, listing))
        })
        .await?;
    let frame = frame(&state, lang, &req, &categories);
    let ctx = pages::search(&frame, text.trim(), listing.as_ref(), sort, page.get());
    state.render("pages/public/search.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::search_words;

    #[test]
    fn search_words_drop_symbols_and_cap_length_and_count() {
        assert_eq!(search_words("Kopi  GAYO!!"), vec!["kopi", "gayo"]);
        assert!(search_words("%%% ___ '\"; --").is_empty());
        assert_eq!(search_words("a b c d e f g").len(), 5);
        assert!(search_words(&"x".repeat(5000))[0].len() <= 40);
    }
}
