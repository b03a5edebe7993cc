//! What crawlers and browsers ask of every site: `robots.txt`, `sitemap.xml` and the icon at
//! `/favicon.ico`.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};

use crate::error::AppError;
use crate::state::AppState;

/// Back office, cart, checkout and order pages are private or worthless to an index.
#[get("/robots.txt")]
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(crate::views::sitemap::robots_txt(&state.base_url))
}

/// Browsers ask for `/favicon.ico` whatever the page names: send them to the SVG icon.
#[get("/favicon.ico")]
pub async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/static/icons/favicon.svg"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .finish()
}

/// The sitemap index: the page of fixed pages (home, categories, provinces, units, fairs) and
/// one page per block of product ids.
#[get("/sitemap.xml")]
pub async fn sitemap_index(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let blocks = state
        .read(|c| Ok(crate::models::sitemap::product_blocks(c)?))
        .await?;
    Ok(xml(crate::views::sitemap::index(&state.base_url, blocks)))
}

#[get("/sitemap/halaman.xml")]
pub async fn sitemap_pages(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let pages = state
        .read(|c| Ok(crate::models::sitemap::fixed_pages(c)?))
        .await?;
    Ok(xml(crate::views::sitemap::urlset(&state.base_url, &pages)))
}

#[get("/sitemap/produk-{block}.xml")]
pub async fn sitemap_products(
    state: web::Data<AppState>,
    block: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let block: i32 = block
        .parse()
        .ok()
        .filter(|b| (1..=100_000).contains(b))
        .ok_or(AppError::NotFound)?;
    let pages = state
        .read(move |c| Ok(crate::models::sitemap::product_block(c, block)?))
        .await?;
    Ok(xml(crate::views::sitemap::urlset(&state.base_url, &pages)))
}

fn xml(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}
