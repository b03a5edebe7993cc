//! Home, category, product, unit and province pages. They are the same for every visitor in a
//! language, so they are served from the page cache while the catalogue has not changed.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{lenient_query, ListingQuery, Page};
use crate::domain::{ListingSort, PageNumber, Slug};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::product::{ListingPage, ListingScope};
use crate::models::{catalog, certification, product, today_iso, unit};
use crate::state::AppState;
use crate::views::pages::{self, HomeData, ProductData, ProvinceData, UnitData, PER_PAGE};

fn slug_or_404(raw: &str) -> Result<Slug, AppError> {
    Slug::parse(raw).map_err(|_| AppError::NotFound)
}

#[get("/")]
pub async fn home(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let nav = layout.categories.clone();
    let caches = state.caches.clone();
    let data = state
        .read(move |conn| {
            let categories = nav;
            let counts = catalog::published_counts_by_category(conn)?;
            let unit_counts = catalog::unit_counts_by_province(conn)?;
            let featured = product::listing(
                conn,
                &caches.counts,
                ListingScope::Featured,
                ListingSort::Popular,
                PageNumber::parse_or_first(None),
                8,
                &today,
            )?;
            let count_of = |list: &[(i32, i64)], id: i32| {
                list.iter().find(|(k, _)| *k == id).map_or(0, |(_, n)| *n)
            };
            let data = HomeData {
                featured: featured.cards,
                categories: categories
                    .iter()
                    .map(|c| (c.clone(), count_of(&counts, c.id)))
                    .collect(),
                units: unit::busiest_units(conn, 8)?,
                provinces: catalog::all_provinces(conn)?
                    .into_iter()
                    .map(|p| {
                        let n = count_of(&unit_counts, p.id);
                        (p, n)
                    })
                    .collect(),
                unit_count: unit::count_units(conn)?,
                product_count: counts.iter().map(|(_, n)| n).sum(),
            };
            Ok(data)
        })
        .await?;
    let frame = layout.frame();
    state.render_page(key, "pages/public/home.html", &pages::home(&frame, &data))
}

#[get("/kategori/{slug}")]
pub async fn category(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let slug = slug_or_404(&slug)?;
    let query = lenient_query::<ListingQuery>(&req);
    let sort = ListingSort::parse_or_default(query.sort.as_deref());
    let page = PageNumber::parse_or_first(query.page.as_deref());
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let nav = layout.categories.clone();
    let caches = state.caches.clone();
    let (found, listing) = state
        .read(move |conn| {
            let categories = nav;
            let found = categories
                .iter()
                .find(|c| c.slug == slug.as_str())
                .cloned()
                .ok_or(AppError::NotFound)?;
            let listing = product::listing(
                conn,
                &caches.counts,
                ListingScope::Category(found.id),
                sort,
                page,
                PER_PAGE,
                &today,
            )?;
            Ok((found, listing))
        })
        .await?;
    let frame = layout.frame();
    let ctx = pages::category(&frame, &found, &listing, sort, page.get());
    state.render_page(key, "pages/public/category.html", &ctx)
}

#[get("/produk/{slug}")]
pub async fn product_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let slug = slug_or_404(&slug)?;
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let nav = layout.categories.clone();
    let data = state
        .read(move |conn| {
            let categories = nav;
            let p = product::published_by_slug(conn, slug.as_str())?;
            let product_category = categories
                .iter()
                .find(|c| c.id == p.category_id)
                .cloned()
                .ok_or(AppError::NotFound)?;
            let (unit, province_name, province_slug) = unit::unit_by_id(conn, p.unit_id)?;
            let data = ProductData {
                photos: product::photos_of(conn, p.id)?,
                badges: certification::public_badges_for_products(conn, &[p.id], &today)?,
                related: product::related(conn, &p, 4, &today)?,
                product: p,
                category: product_category,
                unit,
                province_name,
                province_slug,
            };
            Ok(data)
        })
        .await?;
    let frame = layout.frame();
    state.render_page(
        key,
        "pages/public/product.html",
        &pages::product(&frame, &data),
    )
}

#[get("/unit/{slug}")]
pub async fn unit_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let slug = slug_or_404(&slug)?;
    let page = PageNumber::parse_or_first(lenient_query::<ListingQuery>(&req).page.as_deref());
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let caches = state.caches.clone();
    let data = state
        .read(move |conn| {
            let (unit, province_name, province_slug) = unit::unit_by_slug(conn, slug.as_str())?;
            let listing: ListingPage = product::listing(
                conn,
                &caches.counts,
                ListingScope::Unit(unit.id),
                ListingSort::default(),
                page,
                PER_PAGE,
                &today,
            )?;
            let data = UnitData {
                badges: certification::public_badges_for_unit(conn, unit.id, &today)?,
                unit,
                province_name,
                province_slug,
                listing,
            };
            Ok(data)
        })
        .await?;
    let frame = layout.frame();
    state.render_page(
        key,
        "pages/public/unit.html",
        &pages::unit(&frame, &data, page.get()),
    )
}

#[get("/provinsi/{slug}")]
pub async fn province_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let slug = slug_or_404(&slug)?;
    let today = today_iso();
    let layout = Page::load(&state, &req).await?;
    let caches = state.caches.clone();
    let data = state
        .read(move |conn| {
            let province = catalog::province_by_slug(conn, slug.as_str())?;
            let data = ProvinceData {
                units: unit::unit_summaries(conn, Some(province.id), 200)?,
                newest: product::listing(
                    conn,
                    &caches.counts,
                    ListingScope::Province(province.id),
                    ListingSort::Newest,
                    PageNumber::parse_or_first(None),
                    12,
                    &today,
                )?
                .cards,
                province,
            };
            Ok(data)
        })
        .await?;
    let frame = layout.frame();
    state.render_page(
        key,
        "pages/public/province.html",
        &pages::province(&frame, &data),
    )
}
