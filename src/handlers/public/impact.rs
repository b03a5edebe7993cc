//! The impact page (`/dampak`) and its open data (`/data/dampak.csv`, `/data/dampak.json`):
//! the daily roll-ups summed. The page is the same for every visitor in a language, so it is
//! served from the page cache while the roll-ups have not changed.

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};

use super::catalog::render_cached;
use crate::domain::impact::wib_day;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::{now_ts, rollup};
use crate::state::AppState;
use crate::views::impact::{self, ImpactPage, OpenData, LICENSE_URL};

/// 1 January of this year, as days go in Jakarta (WIB).
fn year_start() -> Result<NaiveDate, AppError> {
    wib_day(now_ts())
        .and_then(|today| NaiveDate::from_ymd_opt(today.year(), 1, 1))
        .ok_or_else(|| AppError::Internal("the clock gives no date".into()))
}

#[get("/dampak")]
pub async fn impact_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let key = state.page_key(lang, &req);
    if let Some(hit) = state.cached_page(key.as_ref()) {
        return Ok(hit);
    }
    let from = year_start()?;
    render_cached(
        &state,
        &req,
        key,
        "pages/public/impact.html",
        move |conn, _| {
            let rows = rollup::impact(conn, from)?;
            Ok(ImpactPage::new(lang, &rows, from.year()))
        },
        impact::context,
    )
    .await
}

/// The open data, read from the roll-ups.
async fn open_data(state: &AppState) -> Result<OpenData, AppError> {
    let base_url = state.base_url.clone();
    let from = year_start()?;
    state
        .read(move |conn| Ok(OpenData::new(&rollup::impact(conn, from)?, &base_url)))
        .await
}

/// The headers every open data file is sent with: its licence, and a few minutes in caches
/// (the roll-ups move every ten).
fn open_data_response(content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut res = HttpResponse::Ok();
    res.content_type(content_type)
        .insert_header((header::LINK, format!("<{LICENSE_URL}>; rel=\"license\"")))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    res
}

#[get("/data/dampak.csv")]
pub async fn open_data_csv(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let body = open_data(&state).await?.csv()?;
    Ok(open_data_response("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"dampak.csv\"",
        ))
        .body(body))
}

#[get("/data/dampak.json")]
pub async fn open_data_json(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let body = open_data(&state).await?.json()?;
    Ok(open_data_response("application/json").body(body))
}
