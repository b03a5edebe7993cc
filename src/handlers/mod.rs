//! Thin handlers grouped by audience.

pub mod account;
pub mod admin;
pub mod errors;
pub mod health;
pub mod limits;
pub mod metrics;
pub mod organizer;
pub mod oversight;
pub mod public;
pub mod review;
pub mod security;
pub mod staff;
pub mod webhooks;

use actix_web::{web, HttpRequest};
use serde::de::DeserializeOwned;

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

/// The query parameters of a page; a query string that cannot be parsed at all gives the
/// defaults, so junk never fails a page.
pub fn lenient_query<T: DeserializeOwned + Default>(req: &HttpRequest) -> T {
    web::Query::<T>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// A `HEAD` request is answered as the `GET` of the same address: the routes name `GET` only,
/// and actix-http leaves the body out of the answer to a `HEAD` by itself (it reads the method
/// off the wire, not off the request changed here). Link checkers and crawlers ask `HEAD`.
pub async fn head_as_get(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

/// `/en` and every path under it (`/en/produk/x`, `/en/cari?q=kopi`) are the English
/// addresses of the site's pages: the request is answered as the same path without `/en`,
/// marked English by its address (`i18n::EnglishByUrl`, which `Lang::of_request` puts before
/// the query and the cookie). `/enxyz` is left alone. Runs before routing, so the same
/// handlers answer both addresses.
pub async fn english_addresses(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    use actix_web::HttpMessage;
    if let Some(bare) = crate::i18n::english_path(req.path()).map(str::to_owned) {
        let path_and_query = match req.uri().query() {
            Some(query) => format!("{bare}?{query}"),
            None => bare,
        };
        if let Ok(rewritten) = actix_web::http::uri::PathAndQuery::try_from(path_and_query) {
            let mut parts = req.uri().clone().into_parts();
            parts.path_and_query = Some(rewritten);
            if let Ok(uri) = actix_web::http::Uri::from_parts(parts) {
                req.match_info_mut().get_mut().update(&uri);
                req.head_mut().uri = uri;
                req.extensions_mut().insert(crate::i18n::EnglishByUrl);
            }
        }
    }
    next.call(req).await
}
