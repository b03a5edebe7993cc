//! Booth sales at a fair and the event report.
//! - `/kelola/pameran/{id}/kasir`: the unit's till on a phone. Each sale carries a key made on
//!   the phone; `public/js/booth-till.js` keeps sales in a local queue and sends them again
//!   until the server has answered, so a dropped connection loses none and counts none twice.
//! - `/kelola/pameran/{id}/laporan` (and `.csv`): sales per booth, unit, product and day, for
//!   organizers (all units) and a unit's staff (their own).
//! - QRIS at the till: with the unit's static image (`/kelola/unit/{id}/qris`), shown
//!   full-screen by the script, the sale goes through the queue as any other; a dynamic charge
//!   through Midtrans (`POST /kelola/pameran/{id}/tagihan`) is shown with its own code, polled
//!   at `…/tagihan/{charge}/status` (its page `…/tagihan/{charge}` without script) and may be
//!   cancelled (`…/batal`); its sale is recorded when Midtrans' notification says it was paid.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, CsrfOnly, Staff, UnitStaff,
};
use crate::domain::fair::{self, SaleForm, SaleRefusal, SaleResult, BOOTH_CHARGE_MINUTES};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::booth_charge::{self, ChargeLine};
use crate::models::booth_sale::{self, SaleLine, SaleProduct};
use crate::models::fair as model;
use crate::state::AppState;
use crate::views::fair_sales::{
    ChargeAnswer, ChargePage, ReportPage, SaleAnswer, SalesCsv, TillPage, TillQris,
};
use crate::workflows::booth_sales::{
    booth_charge_of, cancel_booth_charge, open_booth_charge, record_booth_sale, ChargeOutcome,
};

/// What a unit's till shows.
struct Till {
    event: model::Event,
    /// The unit's booth code there.
    booth: String,
    /// The products it sells.
    products: Vec<SaleProduct>,
    /// Its last ten sales, newest first.
    recent: Vec<SaleLine>,
    /// Its static QRIS image, if any.
    qris_image: Option<String>,
    /// Its dynamic QRIS charges still waiting for the buyer.
    charges: Vec<ChargeLine>,
}

/// The till of unit `unit_id` at event `event_id`: 404 without the event, 403 when the unit has
/// no booth there.
async fn till_of(state: &AppState, event_id: i32, unit_id: i32) -> Result<Till, AppError> {
    let since = crate::models::now_ts() - 2 * BOOTH_CHARGE_MINUTES * 60;
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
            let qris_image = crate::models::unit::qris_image(c, unit_id)?;
            let charges = booth_charge::pending_of(c, event_id, unit_id, since)?;
            Ok(Some((event, booth, products, recent, qris_image, charges)))
        })
        .await?;
    let (event, booth, products, recent, qris_image, charges) = loaded.ok_or(AppError::NotFound)?;
    let (_, booth) = booth.ok_or(AppError::Forbidden)?;
    Ok(Till {
        event,
        booth,
        products,
        recent,
        qris_image,
        charges,
    })
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
    let till = till_of(&state, event_id, staff.unit_id()).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "sales-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let live = till
        .event
        .status
        .sells_on(till.event.days(), fair::fair_day(chrono::Utc::now()));
    let key = super::csrf_token_value();
    let qris = TillQris {
        unit_id: staff.unit_id(),
        static_image: till.qris_image.as_deref(),
        dynamic: state.payments.midtrans.is_some(),
        pending: &till.charges,
    };
    let page = TillPage::new(
        &till.event,
        &till.booth,
        live,
        &till.products,
        &till.recent,
        key,
        qris,
    );
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

/// Whether the till's script asked (for JSON) rather than a plain form.
fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
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
    if wants_json(req) {
        let mut res = match result {
            SaleResult::Refused(_) => HttpResponse::UnprocessableEntity(),
            _ => HttpResponse::Ok(),
        };
        return res.json(SaleAnswer::new(lang, result));
    }
    set_flash(&staff.session, result.message_key());
    see_other(&format!("/kelola/pameran/{event_id}/kasir"))
}

/// `POST /kelola/pameran/{id}/tagihan`: a dynamic QRIS charge through Midtrans for the sale on
/// the till's form (`kunci`, `produk`, `jumlah`; always QRIS). The till's script asks for JSON
/// (`ChargeAnswer`: the charge with its code to scan; `refused` and why, 422); a plain form
/// post goes on to the charge's page, or back to the till with the message.
#[post("/kelola/pameran/{id}/tagihan")]
pub async fn open_charge(
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
    let outcome = open_booth_charge(shop, event_id, unit_id, actor_id, &post.form).await?;
    let key = outcome.message_key();
    match outcome {
        ChargeOutcome::Open(line) => {
            if wants_json(&req) {
                return Ok(HttpResponse::Ok().json(ChargeAnswer::of(lang, &line, key, true)));
            }
            let page = format!("/kelola/pameran/{event_id}/tagihan/{}", line.0.id);
            Ok(see_other(&page))
        }
        refused => {
            if wants_json(&req) {
                let available = match refused {
                    ChargeOutcome::Refused(SaleRefusal::AboveStock { available }) => available,
                    _ => 0,
                };
                let body = ChargeAnswer::refused(lang, key, available);
                return Ok(HttpResponse::UnprocessableEntity().json(body));
            }
            set_flash(&staff.session, key);
            Ok(see_other(&format!("/kelola/pameran/{event_id}/kasir")))
        }
    }
}

/// The event and charge ids of a charge's address.
fn charge_ids(path: &(String, String)) -> Result<(i32, i32), AppError> {
    Ok((id_from_path(&path.0)?, id_from_path(&path.1)?))
}

/// The charge `charge_id` of event `event_id` of the staff's own unit: 404 when there is none
/// at that event, 403 when it is another unit's.
async fn own_charge(
    state: &AppState,
    staff: &UnitStaff,
    event_id: i32,
    charge_id: i32,
) -> Result<ChargeLine, AppError> {
    booth_charge_of(state.shop(), event_id, staff.unit_id(), charge_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /kelola/pameran/{id}/tagihan/{charge}`: a dynamic QRIS charge for a till without
/// script: its code to scan while it waits, where it stands, a "check status" button (this
/// page again) and "cancel".
#[get("/kelola/pameran/{id}/tagihan/{charge}")]
pub async fn charge_page(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (event_id, charge_id) = charge_ids(&path)?;
    let line = own_charge(&state, &staff, event_id, charge_id).await?;
    let event = state
        .read(move |c| Ok(model::event_by_id(c, event_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "charge-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = ChargePage::new(&event, &line);
    state.render_view("pages/staff/booth_charge.html", ctx, &page)
}

/// `GET /kelola/pameran/{id}/tagihan/{charge}/status`: where a dynamic QRIS charge stands, as
/// JSON for the till's script, which asks every 3 seconds (`ChargeAnswer`, without the code).
#[get("/kelola/pameran/{id}/tagihan/{charge}/status")]
pub async fn charge_status(
    state: web::Data<AppState>,
    lang: Lang,
    staff: UnitStaff,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (event_id, charge_id) = charge_ids(&path)?;
    let line = own_charge(&state, &staff, event_id, charge_id).await?;
    let key = line.0.status.message_key();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(ChargeAnswer::of(lang, &line, key, false)))
}

/// `POST /kelola/pameran/{id}/tagihan/{charge}/batal`: the seller cancels a charge still
/// waiting (at Midtrans first). JSON to the till's script (`ChargeAnswer`); a plain form post
/// goes back to the charge's page with the message.
#[post("/kelola/pameran/{id}/tagihan/{charge}/batal")]
pub async fn cancel_charge(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    path: web::Path<(String, String)>,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let (event_id, charge_id) = charge_ids(&path)?;
    let (shop, unit_id, actor_id) = (state.shop(), staff.unit_id(), staff.actor.id);
    let outcome = cancel_booth_charge(shop, event_id, unit_id, actor_id, charge_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if wants_json(&req) {
        let line = own_charge(&state, &staff, event_id, charge_id).await?;
        let body = ChargeAnswer::of(lang, &line, outcome.message_key(), false);
        return Ok(HttpResponse::Ok().json(body));
    }
    set_flash(&staff.session, outcome.message_key());
    Ok(see_other(&format!(
        "/kelola/pameran/{event_id}/tagihan/{charge_id}"
    )))
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
