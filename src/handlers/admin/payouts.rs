//! Payout tracking for administrators: owed against settled for one month by province and by
//! unit (`/kelola/setoran/rekap?bulan=YYYY-MM`, the month before this one by default), a
//! unit's months and entries (`/kelola/setoran/unit/{id}`, read-only), and closing a month of
//! a unit once it is over.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::fair::fair_day;
use crate::domain::payouts::{Month, PayoutForm};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser,
};
use crate::i18n::Lang;
use crate::models::payout;
use crate::state::AppState;
use crate::views::payouts::{PayoutSummaryPage, PayoutsPage};
use crate::workflows::payouts::close_month;

/// `?bulan=2026-11`: the month the summary shows.
#[derive(Debug, Default, Deserialize)]
pub struct SummaryQuery {
    #[serde(default)]
    bulan: String,
}

#[get("/kelola/setoran/rekap")]
pub async fn summary(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let query: SummaryQuery = crate::handlers::lenient_query(&req);
    let today = fair_day(chrono::Utc::now());
    let this_month = Month::of_day(today);
    let month = Month::parse(&query.bulan)
        .filter(|m| *m <= this_month)
        .unwrap_or_else(|| this_month.previous());
    let rows = state.read(move |c| Ok(payout::summary(c, month)?)).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "payouts-summary-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = PayoutSummaryPage::new(lang, month, &rows, today);
    state.render_view("pages/staff/payouts_summary.html", ctx, &page)
}

#[get("/kelola/setoran/unit/{id}")]
pub async fn unit_ledger(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let unit_id = id_from_path(&path)?;
    let ledger = state
        .read(move |c| Ok(payout::ledger(c, unit_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "payouts-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let today = fair_day(chrono::Utc::now());
    let (form, errors) = (PayoutForm::default(), FieldErrors::new());
    let close_action = format!("/kelola/setoran/unit/{unit_id}/tutup");
    let page = PayoutsPage::new(lang, &ledger, today, false, close_action, &form, &errors);
    state.render_view("pages/staff/payouts.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct ClosePost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    month: String,
}

/// `POST /kelola/setoran/unit/{id}/tutup`: closes `month` of the unit, once it is over.
#[post("/kelola/setoran/unit/{id}/tutup")]
pub async fn close(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    post: web::Form<ClosePost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let unit_id = id_from_path(&path)?;
    state
        .read(move |c| Ok(payout::unit_name(c, unit_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let today = fair_day(chrono::Utc::now());
    let actor_id = staff.actor.id;
    let outcome = close_month(state.shop(), unit_id, &post.month, today, actor_id).await?;
    set_flash(&staff.session, outcome.message());
    Ok(see_other(&format!("/kelola/setoran/unit/{unit_id}")))
}
