//! `GET /cari`: search with facets, sorts and pages; `GET /cari/saran`: suggestions for the
//! header search box; `POST /cari/klik`: a result opened. When the engine fails the page still
//! answers: it says so and falls back to matching product names in the database. A first look
//! at a query is counted for `/kelola/pencarian` (its words, the day, how many it found), and
//! so is each product opened from its results; crawlers are not counted.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::Page;
use crate::domain::search_stats;
use crate::error::AppError;
use crate::handlers::limits::ShopLimiters;
use crate::search::params::SearchParams;
use crate::search::{clean_query, SearchRequest};
use crate::state::AppState;
use crate::views::pages::{self, SearchPage, PER_PAGE};
use crate::workflows;

#[get("/cari")]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let params = SearchParams::parse(req.query_string());
    let found = workflows::search::search_page(state.shop(), &params, PER_PAGE).await?;
    workflows::search::count_search(state.shop(), &params, &found, from_crawler(&req));
    let layout = Page::load(&state, &req).await?;
    let ctx = pages::search(
        &layout.frame(),
        &SearchPage {
            params: &params,
            results: &found.results,
            cards: &found.cards,
            suggestions: &found.suggestions,
            unavailable: found.unavailable,
            unit_names: &found.unit_names,
            understood: &found.understood,
            dropped: found.dropped.as_ref(),
        },
    );
    state.render("pages/public/search.html", &ctx)
}

/// Whether the request's `User-Agent` names a crawler or a script (`search_stats::is_crawler`):
/// its searches and clicks are not counted.
fn from_crawler(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(search_stats::is_crawler)
}

/// What the search page's script (`public/js/search-clicks.js`) sends when a result is
/// opened, urlencoded: the query the page shows and the slug of the product opened.
#[derive(Deserialize)]
pub struct ResultOpened {
    #[serde(default)]
    q: String,
    #[serde(default)]
    p: String,
}

/// `POST /cari/klik`: a product opened from the results of `q` adds one click to today's count
/// of that query, when it was counted today (nothing else is ever stored, nor anything about
/// the visitor). Always 204 (429 past the limit of `ShopLimiters::clicks`): the beacon reads
/// no answer. Like the cart's posts it carries no form key (public pages have no session to
/// bind one to): the shop's guard of public posts (`security::same_origin_posts`) refuses one
/// another site sends, and a forged click could only add to a count already there.
#[post("/cari/klik")]
pub async fn click(
    state: web::Data<AppState>,
    limiters: web::Data<ShopLimiters>,
    req: HttpRequest,
    form: web::Form<ResultOpened>,
) -> Result<HttpResponse, AppError> {
    if !limiters.clicks.allows(&req) {
        return Ok(super::cart::too_many_requests());
    }
    workflows::search::count_click(state.shop(), &form.q, &form.p, from_crawler(&req)).await?;
    Ok(HttpResponse::NoContent()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .finish())
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
                    // Asked from an English page (`/en/cari/saran`): English addresses.
                    url: super::same_language(&req, &format!("/produk/{}", h.slug)),
                    name: h.name,
                })
                .collect();
        }
    }
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=60"))
        .json(Suggestions { query, suggestions })
}
