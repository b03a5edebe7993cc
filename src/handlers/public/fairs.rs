//! `/pameran`: fairs and their floor plans, drawn as an accessible SVG.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::Page;
use crate::domain::fair::EventStatus;
use crate::domain::Slug;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::fair::{self, Booth, Event, EventProduct};
use crate::models::DbConnection;
use crate::state::AppState;
use crate::views::fairs::{
    booth_path, BoothSignPage, Exhibitor, FairPage, FairsPage, ShownProduct,
};
use std::collections::HashMap;

#[get("/pameran")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let layout = Page::load(&state, &req).await?;
    let events = state.read(move |c| Ok(fair::public_events(c)?)).await?;
    let frame = layout.frame();
    let title = lang.text("fairs-public-title");
    let description = lang.text("fairs-meta-description");
    let ctx = frame.context(&title, &description, "/pameran", None, "website");
    state.render_view(
        "pages/public/fairs.html",
        ctx,
        &FairsPage { events: &events },
    )
}

/// `?q=`: search the products of the event's exhibitors.
#[derive(serde::Deserialize, Default)]
pub struct EventQuery {
    #[serde(default)]
    q: String,
}

#[get("/pameran/{slug}")]
pub async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<EventQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    let layout = Page::load(&state, &req).await?;
    let wanted: String = query.q.trim().chars().take(80).collect();
    let searched = wanted.clone();
    let (event, booths, exhibitors, found) =
        state.read(move |c| fair_data(c, &slug, &searched)).await?;
    let event = event
        .filter(|e| e.status != EventStatus::Draft)
        .ok_or(AppError::NotFound)?;
    let frame = layout.frame();
    let path = format!("/pameran/{}", event.slug);
    let ctx = frame.context(&event.name, &event.description, &path, None, "website");
    let page = FairPage::new(&event, &booths, &exhibitors, &wanted, &found);
    state.render_view("pages/public/fair.html", ctx, &page)
}

/// What the fair page reads: the event, its booths, who shows at them and the products found.
type FairData = (
    Option<Event>,
    Vec<Booth>,
    HashMap<String, Exhibitor>,
    Vec<EventProduct>,
);

/// The event `slug` (any status) with its booths, its exhibitors and, when `searched` is not
/// empty, its exhibitors' products matching it.
fn fair_data(c: &mut DbConnection, slug: &Slug, searched: &str) -> Result<FairData, AppError> {
    let event = fair::event_by_slug(c, slug.as_str())?;
    let (booths, exhibitors) = match &event {
        Some(e) => (fair::booths_of(c, e.id)?, exhibitor_view(c, e.id)?),
        None => (Vec::new(), Default::default()),
    };
    let found = match &event {
        Some(e) if !searched.is_empty() => fair::search_products(c, e.id, searched)?,
        _ => Vec::new(),
    };
    Ok((event, booths, exhibitors, found))
}

/// Booth code → the unit showing there and its showcased products (name, slug).
fn exhibitor_view(
    conn: &mut DbConnection,
    event_id: i32,
) -> Result<HashMap<String, Exhibitor>, AppError> {
    let mut out = HashMap::new();
    for (code, unit_name, unit_slug, ids) in fair::exhibitors(conn, event_id)? {
        let ids: Vec<i32> = ids.split(',').filter_map(|i| i.parse().ok()).collect();
        let today = crate::models::today_iso();
        let products: Vec<_> = crate::models::product::cards_by_ids(conn, &ids, &today)?
            .iter()
            .map(|c| ShownProduct {
                name: c.product.name.clone(),
                slug: c.product.slug.clone(),
            })
            .collect();
        out.insert(
            code,
            Exhibitor {
                name: unit_name,
                slug: unit_slug,
                products,
            },
        );
    }
    Ok(out)
}

/// `GET /pameran/{slug}/stan/{code}`: a booth's own page, printable as the sign at the booth,
/// with a QR code that leads back to it.
#[get("/pameran/{slug}/stan/{code}")]
pub async fn booth_sign(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let slug = Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let code = booth_code(&code)?;
    let layout = Page::load(&state, &req).await?;
    let found = state.read(move |c| booth_data(c, &slug, &code)).await?;
    let (event, booth, exhibitor) = found.ok_or(AppError::NotFound)?;
    let page = BoothSignPage::new(&event, &booth, exhibitor.as_ref(), &state.base_url)?;
    let frame = layout.frame();
    let title = format!("{} · {}", booth.code, event.name);
    let path = booth_path(&event, &booth);
    let ctx = frame.context(&title, &event.description, &path, None, "website");
    state.render_view("pages/public/booth.html", ctx, &page)
}

/// A booth code from the address, in capitals: 2 to 12 letters, digits or dashes, else 404.
fn booth_code(raw: &str) -> Result<String, AppError> {
    let code = raw.to_uppercase();
    if !(2..=12).contains(&code.len())
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::NotFound);
    }
    Ok(code)
}

/// The booth `code` of the event `slug` (not a draft) and the unit showing there; None when
/// there is no such event or booth.
fn booth_data(
    c: &mut DbConnection,
    slug: &Slug,
    code: &str,
) -> Result<Option<(Event, Booth, Option<Exhibitor>)>, AppError> {
    let event = fair::event_by_slug(c, slug.as_str())?.filter(|e| e.status != EventStatus::Draft);
    let Some(e) = event else {
        return Ok(None);
    };
    let booth = fair::booths_of(c, e.id)?
        .into_iter()
        .find(|b| b.code == code);
    let exhibitor = exhibitor_view(c, e.id)?.remove(code);
    Ok(booth.map(|b| (e, b, exhibitor)))
}
