//! Public shop pages.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod fairs;
pub mod language;
pub mod payments;
pub mod search;

use actix_web::{web, HttpRequest};
use serde::de::DeserializeOwned;

use crate::i18n::Lang;
use crate::models::catalog::Category;
use crate::state::AppState;
use crate::views::PageFrame;
use serde::Deserialize;

/// Query parameters of listings; kept as text so junk falls back instead of failing.
#[derive(Debug, Deserialize, Default)]
pub struct ListingQuery {
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// The query parameters of a page; a query string that cannot be parsed at all gives the
/// defaults, so junk never fails a page.
pub fn lenient_query<T: DeserializeOwned + Default>(req: &HttpRequest) -> T {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// Path and query of the request without `lang=`, for the language switch and error pages
/// (a `lang` left in the query would override the language the visitor just chose).
pub fn current_path(req: &HttpRequest) -> String {
    let kept: Vec<&str> = req
        .query_string()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    if kept.is_empty() {
        req.path().to_string()
    } else {
        format!("{}?{}", req.path(), kept.join("&"))
    }
}

/// The layout frame of a public page.
pub fn frame<'a>(
    state: &'a AppState,
    lang: Lang,
    req: &HttpRequest,
    categories: &'a [Category],
) -> PageFrame<'a> {
    PageFrame {
        lang,
        base_url: &state.base_url,
        current_path: current_path(req),
        categories,
    }
}
