//! `/pameran`: fairs and their floor plans, drawn as an accessible SVG.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::Page;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::fair;
use crate::state::AppState;
use crate::views::fairs::{BoothSignPage, Exhibitor, FairPage, FairsPage, ShownProduct};
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
    let ctx = frame.context(&title, &title, "/pameran", None, "website");
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
    let slug = crate::domain::Slug::parse(&path).map_err(|_| AppError::NotFound)?;
    let layout = Page::load(&state, &req).await?;
    let wanted: String = query.q.trim().chars().take(80).collect();
    let searched = wanted.clone();
    let (event, booths, exhibitors, found) = state
        .read(move |c| {
            let event = fair::event_by_slug(c, slug.as_str())?;
            let (booths, exhibitors) = match &event {
                Some(e) => (fair::booths_of(c, e.id)?, exhibitor_view(c, e.id)?),
                None => (Vec::new(), Default::default()),
            };
            let found = match &event {
                Some(e) if !searched.is_empty() => fair::search_products(c, e.id, &searched)?,
                _ => Vec::new(),
            };
            Ok((event, booths, exhibitors, found))
        })
        .await?;
    let event = event
        .filter(|e| e.status != crate::domain::fair::EventStatus::Draft)
        .ok_or(AppError::NotFound)?;
    let frame = layout.frame();
    let path = format!("/pameran/{}", event.slug);
    let ctx = frame.context(&event.name, &event.description, &path, None, "website");
    let page = FairPage::new(&event, &booths, &exhibitors, &wanted, &found);
    state.render_view("pages/public/fair.html", ctx, &page)
}

/// Booth code → the unit showing there and its showcased products (name, slug).
fn exhibitor_view(
    conn: &mut crate::models::DbConnection,
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
    let slug = crate::domain::Slug::parse(&slug).map_err(|_| AppError::NotFound)?;
    let code: String = code.to_uppercase();
    if !(2..=12).contains(&code.len())
        || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::NotFound);
    }
    let layout = Page::load(&state, &req).await?;
    let wanted = code.clone();
    let found = state
        .read(move |c| {
            let event = fair::event_by_slug(c, slug.as_str())?
                .filter(|e| e.status != crate::domain::fair::EventStatus::Draft);
            let found = match event {
                Some(e) => {
                    let booth = fair::booths_of(c, e.id)?
                        .into_iter()
                        .find(|b| b.code == wanted);
                    let exhibitor = exhibitor_view(c, e.id)?.remove(&wanted);
                    booth.map(|b| (e, b, exhibitor))
                }
                None => None,
            };
            Ok(found)
        })
        .await?;
    let (event, booth, exhibitor) = found.ok_or(AppError::NotFound)?;
    let path = format!("/pameran/{}/stan/{}", event.slug, booth.code);
    let url = format!("{}{}", state.base_url, path);
    let qr = qrcode::QrCode::new(url.as_bytes())
        .map_err(AppError::internal)?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let frame = layout.frame();
    let title = format!("{} · {}", booth.code, event.name);
    let ctx = frame.context(&title, &event.description, &path, None, "website");
    let page = BoothSignPage {
        event: &event,
        booth: &booth,
        exhibitor: exhibitor.as_ref(),
        qr_svg: qr,
        url,
    };
    state.render_view("pages/public/booth.html", ctx, &page)
}
