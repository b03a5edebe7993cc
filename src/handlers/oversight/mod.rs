//! Oversight (`/kelola/pantau`): observers, national or regional (fixed to their province, as a
//! Kanwil sees it), and administrators read how far the programme has come (units listing and
//! selling, legalization, branding, the review desk, sales, fairs) for a period, a province and
//! a kind of unit, and export each table as CSV with the same filter. Read-only: nothing here
//! changes anything, and an observer can change nothing anywhere but its own password.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::oversight::{OversightFilter, OversightTable};
use crate::error::AppError;
use crate::handlers::account::{staff_context, Overseer};
use crate::i18n::Lang;
use crate::models::{oversight, unit};
use crate::state::AppState;
use crate::views::oversight::{OversightCsv, OversightPage};

/// The dashboard's query: `dari`, `sampai` (ISO dates), `provinsi` (id), `jenis` (unit kind).
#[derive(Debug, Default, Deserialize)]
pub struct OversightQuery {
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    provinsi: String,
    #[serde(default)]
    jenis: String,
}

/// The filter of the request, a regional observer's province fixed; and today in WIB.
fn filter_of(req: &HttpRequest, account: &Overseer) -> (OversightFilter, NaiveDate) {
    let query: OversightQuery = crate::handlers::lenient_query(req);
    let today = crate::domain::fair::fair_day(chrono::Utc::now());
    let filter = OversightFilter::parse(
        &query.dari,
        &query.sampai,
        &query.provinsi,
        &query.jenis,
        today,
        account.actor.oversight_province(),
    );
    (filter, today)
}

#[get("/kelola/pantau")]
pub async fn dashboard(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    account: Overseer,
) -> Result<HttpResponse, AppError> {
    let (filter, today) = filter_of(&req, &account);
    let (data, provinces) = state
        .read(move |c| Ok((oversight::read(c, &filter, today)?, unit::province_refs(c)?)))
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "oversight-title",
        Some(&account),
        &account.session,
    )
    .await?;
    let page = OversightPage::new(
        lang,
        &filter,
        &data,
        &provinces,
        account.actor.oversight_province(),
    );
    state.render_view("pages/staff/oversight.html", ctx, &page)
}

/// `GET /kelola/pantau/{table}.csv`: one table of the dashboard with the same filter, every
/// row (the per-unit tables with every unit in scope).
#[get("/kelola/pantau/{table}.csv")]
pub async fn export(
    state: web::Data<AppState>,
    req: HttpRequest,
    account: Overseer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let table = OversightTable::from_slug(&path).ok_or(AppError::NotFound)?;
    let (filter, today) = filter_of(&req, &account);
    let data = state
        .read(move |c| Ok(oversight::read(c, &filter, today)?))
        .await?;
    let csv = OversightCsv::new(table, &filter, &data)?;
    let disposition = format!("attachment; filename=\"{}\"", csv.filename);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", disposition))
        .body(csv.body))
}
