//! Payout tracking for a unit's treasurer (`/kelola/setoran`): per month, what the unit owes of
//! its sales' wage and PNBP shares against what it recorded as paid out and deposited; the
//! form that records an entry or a correction (`?koreksi=ID` starts one from entry ID); and
//! closing a month that is over. Other staff of the unit, and every other role, get 403.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, see_other, set_flash, staff_context, Staff, Treasurer};
use crate::domain::fair::fair_day;
use crate::domain::payouts::PayoutForm;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::payout;
use crate::state::AppState;
use crate::views::payouts::PayoutsPage;
use crate::workflows::payouts::close_month;

/// The treasurer's page, where every form goes back to.
const PAGE: &str = "/kelola/setoran";

/// `?koreksi=ID`: the form corrects entry ID of the unit.
#[derive(Debug, Default, Deserialize)]
pub struct PayoutsQuery {
    #[serde(default)]
    koreksi: String,
}

/// The unit's page with the form as typed and what is wrong with it (422 then).
async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    unit_id: i32,
    form: &PayoutForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let ledger = state
        .read(move |c| Ok(payout::ledger(c, unit_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "payouts-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let today = fair_day(chrono::Utc::now());
    let close_action = format!("{PAGE}/tutup");
    let page = PayoutsPage::new(lang, &ledger, today, true, close_action, form, errors);
    state.render_view_form("pages/staff/payouts.html", ctx, &page, !errors.is_empty())
}

#[get("/kelola/setoran")]
pub async fn ledger_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Treasurer,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let query: PayoutsQuery = crate::handlers::lenient_query(&req);
    let mut form = PayoutForm::default();
    // A correction starts from the entry it replaces: its month, kind, amount, day and NTPN.
    if let Ok(id) = query.koreksi.trim().parse::<i32>() {
        let found = state
            .read(move |c| Ok(payout::entry_of(c, unit_id, id)?))
            .await?;
        if let Some(row) = found {
            form = PayoutForm {
                month: row.month,
                kind: row.kind.code().to_string(),
                amount: row.amount.to_string(),
                paid_on: row.paid_on,
                ntpn: row.ntpn.unwrap_or_default(),
                corrects: row.id.to_string(),
            };
        }
    }
    render(
        &state,
        lang,
        &req,
        &staff,
        unit_id,
        &form,
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct PayoutPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: PayoutForm,
}

/// `POST /kelola/setoran`: an entry (or a correction, with `corrects`) of the unit; refused
/// with the form as typed when a field is wrong, the month is closed or the entry to correct
/// cannot be.
#[post("/kelola/setoran")]
pub async fn record(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Treasurer,
    post: web::Form<PayoutPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let unit_id = staff.unit_id();
    let today = fair_day(chrono::Utc::now());
    let draft = match post.form.validate(today) {
        Ok(draft) => draft,
        Err(errors) => {
            return render(&state, lang, &req, &staff, unit_id, &post.form, &errors).await
        }
    };
    let actor_id = staff.actor.id;
    match state
        .db(move |c| Ok(payout::record(c, unit_id, &draft, actor_id)?))
        .await?
    {
        Ok(_) => {
            set_flash(&staff.session, "payouts-flash-recorded");
            Ok(see_other(PAGE))
        }
        Err(refusal) => {
            let errors = FieldErrors::from([refusal.field_error()]);
            render(&state, lang, &req, &staff, unit_id, &post.form, &errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct ClosePost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    month: String,
}

/// `POST /kelola/setoran/tutup`: closes `month` of the unit, once it is over.
#[post("/kelola/setoran/tutup")]
pub async fn close(
    state: web::Data<AppState>,
    staff: Treasurer,
    post: web::Form<ClosePost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let today = fair_day(chrono::Utc::now());
    let (unit_id, actor_id) = (staff.unit_id(), staff.actor.id);
    let outcome = close_month(state.shop(), unit_id, &post.month, today, actor_id).await?;
    set_flash(&staff.session, outcome.message());
    Ok(see_other(PAGE))
}
