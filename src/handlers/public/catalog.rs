//! Home, category, product, unit and province pages. They are the same for every visitor in a
//! language, so they are served from the page cache while the catalogue has not changed.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{lenient_query, ListingQuery, Page};
use crate::domain::{ListingSort, PageNumber, Slug};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::catalog::Category;
use crate::models::product::{ListingPage, ListingScope};
use crate::models::{catalog, certification, product, rollup, today_iso, unit, DbConnection};
use crate::services::cache::{Caches, PageKey};
use crate::state::AppState;
use crate::views::pages::{self, HomeData, ProductData, ProvinceData, UnitData, PER_PAGE};
use crate::views::PageFrame;

fn slug_or_404(raw: &str) -> Result<Slug, AppError> {
    Slug::parse(raw).map_err(|_| AppError::NotFound)
}

/// A catalogue page that was not in the cache: reads its data with `load` (handed the
/// navigation categories), fills `template` with the context `view` builds and keeps the
/// rendered page under `key` (taken before the data was read).
pub(super) async fn render_cached<T, L, V>(
    state: &AppState,
    req: &HttpRequest,
    key: Option<PageKey>,
    template: &str,
    load: L,
    view: V,
) -> Result<HttpResponse, AppError>
where
    T: Send + 'static,
    L: FnOnce(&mut DbConnection, &[Category]) -> Result<T, AppError> + Send + 'static,
    V: FnOnce(&PageFrame<'_>, &T) -> tera::Context,
{
    let layout = Page::load(state, req).await?;
    let nav = layout.categories.clone();
    let data = state.read(move |conn| load(conn, nav.as_slice())).await?;
    let frame = layout.frame();
    state.render_page(key, template, &view(&frame, &data))
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
    let caches = state.caches.clone();
    render_cached(
        &state,
        &req,
        key,
        "pages/public/home.html",
        move |conn, nav| home_data(conn, nav, &caches, &today),
        pages::home,
    )
    .await
}

/// The home page: featured products, the categories and provinces with their counts, the
/// busiest units.
fn home_data(
    conn: &mut DbConnection,
    categories: &[Category],
    caches: &Caches,
    today: &str,
) -> Result<HomeData, AppError> {
    let ids: Vec<i32> = categories.iter().map(|c| c.id).collect();
    let counts = product::category_totals(conn, caches, &ids)?;
    let unit_counts = catalog::unit_counts_by_province(conn)?;
    let featured = product::listing(
        conn,
        caches,
        ListingScope::Featured,
        ListingSort::Popular,
        PageNumber::parse_or_first(None),
        8,
        today,
    )?;
    let count_of =
        |list: &[(i32, i64)], id: i32| list.iter().find(|(k, _)| *k == id).map_or(0, |(_, n)| *n);
    Ok(HomeData {
        featured: featured.cards,
        categories: categories
            .iter()
            .cloned()
            .zip(counts.iter().copied())
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
        product_count: counts.iter().sum(),
    })
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
    let caches = state.caches.clone();
    render_cached(
        &state,
        &req,
        key,
        "pages/public/category.html",
        move |conn, nav| category_listing(conn, nav, &caches, &slug, sort, page, &today),
        move |frame, (found, listing): &(Category, ListingPage)| {
            pages::category(frame, found, listing, sort, page.get())
        },
    )
    .await
}

/// The category page: the category `slug` (one of the navigation's `categories`) and one page
/// of its products.
fn category_listing(
    conn: &mut DbConnection,
    categories: &[Category],
    caches: &Caches,
    slug: &Slug,
    sort: ListingSort,
    page: PageNumber,
    today: &str,
) -> Result<(Category, ListingPage), AppError> {
    let found = categories
        .iter()
        .find(|c| c.slug == slug.as_str())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let listing = product::listing(
        conn,
        caches,
        ListingScope::Category(found.id),
        sort,
        page,
        PER_PAGE,
        today,
    )?;
    Ok((found, listing))
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
    let caches = state.caches.clone();
    render_cached(
        &state,
        &req,
        key,
        "pages/public/product.html",
        move |conn, nav| product_data(conn, &caches, nav, &slug, &today),
        pages::product,
    )
    .await
}

/// The product page: the published product `slug` with its category, unit, pieces sold,
/// photos, badges and related products.
fn product_data(
    conn: &mut DbConnection,
    caches: &Caches,
    categories: &[Category],
    slug: &Slug,
    today: &str,
) -> Result<ProductData, AppError> {
    let rows = product::product_page(conn, &caches.related, slug.as_str(), 4, today)?;
    let product_category = categories
        .iter()
        .find(|c| c.id == rows.product.category_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok(ProductData {
        photos: rows.photos,
        badges: rows.badges,
        missing_documents: rows.missing_documents,
        related: rows.related,
        product: rows.product,
        category: product_category,
        unit: rows.unit,
        province_name: rows.province_name,
        province_slug: rows.province_slug,
        island_group: rows.island_group,
        sold: rows.sold,
    })
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
    let caches = state.caches.clone();
    render_cached(
        &state,
        &req,
        key,
        "pages/public/unit.html",
        move |conn, _| unit_data(conn, &caches, &slug, page, &today),
        move |frame, data| pages::unit(frame, data, page.get()),
    )
    .await
}

/// The unit page: the unit `slug` (404 when it is switched off), its badges, its own sales
/// (from the daily roll-ups) and one page of its products.
fn unit_data(
    conn: &mut DbConnection,
    caches: &Caches,
    slug: &Slug,
    page: PageNumber,
    today: &str,
) -> Result<UnitData, AppError> {
    let (unit, province_name, province_slug) = unit::public_unit_by_slug(conn, slug.as_str())?;
    let listing: ListingPage = product::listing(
        conn,
        caches,
        ListingScope::Unit(unit.id),
        ListingSort::default(),
        page,
        PER_PAGE,
        today,
    )?;
    Ok(UnitData {
        badges: certification::public_badges_for_unit(conn, unit.id, today)?,
        impact: rollup::unit_impact(conn, unit.id)?,
        unit,
        province_name,
        province_slug,
        listing,
    })
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
    let caches = state.caches.clone();
    render_cached(
        &state,
        &req,
        key,
        "pages/public/province.html",
        move |conn, _| province_data(conn, &caches, &slug, &today),
        pages::province,
    )
    .await
}

/// The province page: the province `slug`, its units and its newest products.
fn province_data(
    conn: &mut DbConnection,
    caches: &Caches,
    slug: &Slug,
    today: &str,
) -> Result<ProvinceData, AppError> {
    let province = catalog::province_by_slug(conn, slug.as_str())?;
    Ok(ProvinceData {
        units: unit::unit_summaries(conn, Some(province.id), 200)?,
        newest: product::listing(
            conn,
            caches,
            ListingScope::Province(province.id),
            ListingSort::Newest,
            PageNumber::parse_or_first(None),
            12,
            today,
        )?
        .cards,
        province,
    })
}
