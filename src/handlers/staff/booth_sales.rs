//! Booth sales at a fair and the event report.
//! - `/kelola/pameran/{id}/kasir`: the unit's till on a phone. Each sale carries a key made on
//!   the phone; `public/js/booth-till.js` keeps sales in a local queue and sends them again
//!   until the server has answered, so a dropped connection loses none and counts none twice.
//! - `/kelola/pameran/{id}/laporan` (and `.csv`): sales per booth, unit, product and day, for
//!   organizers (all units) and a unit's staff (their own).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::fair::{self, SaleForm, SaleResult};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::booth_sale::{self, SaleLine, SaleProduct};
use crate::models::fair as model;
use crate::state::AppState;
use crate::views::fair_sales::{ReportPage, SaleAnswer, SalesCsv, TillPage};
use crate::workflows::booth_sales::record_booth_sale;

/// What a unit's till shows: the event, the unit's booth code there, the products it sells
/// and its last ten sales, newest first.
type Till = (model::Event, String, Vec<SaleProduct>, Vec<SaleLine>);

/// The till of unit `unit_id` at event `event_id`: 404 without the event, 403 when the unit has
/// no booth there.
async fn till_of(state: &AppState, event_id: i32, unit_id: i32) -> Result<Till, AppError> {
    let loaded = state
        .db(move |c| {
            let Some(event) = model::event_by_id(c, event_id)? else {
                return Ok(None);
            };
            let booth = booth_sale::unit_booth(c, event_id, unit_id)?;
            let products = booth_sale::sale_products(c, event_id, unit_id)?;
            let mut recent = booth_sale::sale_lines(c, event_id, Some(unit_id))?;
            recent.reverse();
            recent.truncate(10);
            Ok(Some((event, booth, products, recent)))
        })
        .await?;
    let (event, booth, products, recent) = loaded.ok_or(AppError::NotFound)?;
    let (_, booth_code) = booth.ok_or(AppError::Forbidden)?;
    Ok((event, booth_code, products, recent))
}

#[get("/kelola/pameran/{id}/kasir")]
pub async fn till(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let event_id = id_from_path(&path)?;
    let (event, booth, products, recent) = till_of(&state, event_id, staff.unit_id()).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "sales-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let live = event
        .status
        .sells_on(event.days(), fair::fair_day(chrono::Utc::now()));
    let key = super::csrf_token_value();
    let page = TillPage::new(&event, &booth, live, &products, &recent, key);
    state.render_view("pages/staff/booth_till.html", ctx, &page)
}

/// A sale as the till posts it: the form token and the sale.
#[derive(Deserialize)]
pub struct SalePost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: SaleForm,
}

/// `POST /kelola/pameran/{id}/penjualan`: records one sale. The till's script asks for JSON
/// (`recorded`, `duplicate`: done; `refused`: tell the seller, do not send again); a plain
/// form post gets the till page back with a message.
#[post("/kelola/pameran/{id}/penjualan")]
pub async fn record(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    path: web::Path<String>,
    post: web::Form<SalePost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let event_id = id_from_path(&path)?;
    let (shop, unit_id, actor_id) = (state.shop(), staff.unit_id(), staff.actor.id);
    let result = record_booth_sale(shop, event_id, unit_id, actor_id, &post.form).await?;
    Ok(answer(&staff, lang, &req, event_id, result))
}

/// Tells the till how a sale went: JSON to its script (422 when refused), else the till page
/// again with the message.
fn answer(
    staff: &Staff,
    lang: Lang,
    req: &HttpRequest,
    event_id: i32,
    result: SaleResult,
) -> HttpResponse {
    let wants_json = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    if wants_json {
        let mut res = match result {
            SaleResult::Refused(_) => HttpResponse::UnprocessableEntity(),
            _ => HttpResponse::Ok(),
        };
        return res.json(SaleAnswer::new(lang, result));
    }
    set_flash(&staff.session, result.message_key());
    see_other(&format!("/kelola/pameran/{event_id}/kasir"))
}

/// The sales an account may see in an event's report: organizers every unit's, staff their
/// own unit's (when it has a booth there). Gives the event, the unit (None: all) and the lines.
async fn report_sales(
    state: &AppState,
    staff: &Staff,
    event_id: i32,
) -> Result<(model::Event, Option<i32>, Vec<booth_sale::SaleLine>), AppError> {
    let unit = match staff.actor.role {
        Role::Organizer | Role::Admin => None,
        _ => Some(staff.own_unit()?),
    };
    let found = state
        .db(move |c| {
            let Some(event) = model::event_by_id(c, event_id)? else {
                return Ok(None);
            };
            if let Some(unit_id) = unit {
                if booth_sale::unit_booth(c, event_id, unit_id)?.is_none() {
                    return Err(AppError::Forbidden);
                }
            }
            Ok(Some((event, booth_sale::sale_lines(c, event_id, unit)?)))
        })
        .await?;
    let (event, lines) = found.ok_or(AppError::NotFound)?;
    Ok((event, unit, lines))
}

#[get("/kelola/pameran/{id}/laporan")]
pub async fn report(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let event_id = id_from_path(&path)?;
    let (event, unit, lines) = report_sales(&state, &staff, event_id).await?;
    let report = booth_sale::summarize(&lines);
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "report-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = ReportPage::new(lang, &event, unit.is_none(), &report);
    state.render_view("pages/staff/fair_report.html", ctx, &page)
}

#[get("/kelola/pameran/{id}/laporan.csv")]
pub async fn report_csv(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let event_id = id_from_path(&path)?;
    let (event, _, lines) = report_sales(&state, &staff, event_id).await?;
    let csv = SalesCsv::new(&event, &lines)?;
    let disposition = format!("attachment; filename=\"{}\"", csv.filename);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", disposition))
        .body(csv.body))
}
