//! Booth sales at a fair and the event report.
//! - `/kelola/pameran/{id}/kasir`: the unit's till on a phone. Each sale carries a key made on
//!   the phone; `public/js/booth-till.js` keeps sales in a local queue and sends them again
//!   until the server has answered, so a dropped connection loses none and counts none twice.
//! - `/kelola/pameran/{id}/laporan` (and `.csv`): sales per booth, unit, product and day, for
//!   organizers (all units) and a unit's staff (their own).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::fair::{self, SaleMethod};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::booth_sale::{self, SaleOutcome, SaleProblem, SaleRequest};
use crate::models::fair as model;
use crate::state::AppState;
use crate::views::fair_sales::{ReportPage, SaleAnswer, TillPage};

#[get("/kelola/pameran/{id}/kasir")]
pub async fn till(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let event_id = id_from_path(&path)?;
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
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "sales-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let today = fair::fair_day(chrono::Utc::now());
    let running = event.status.takes_sales() && event.days().is_some_and(|d| d.includes(today));
    let page = TillPage::new(
        &event,
        &booth_code,
        running,
        &products,
        &recent,
        super::csrf_token_value(),
    );
    state.render_view("pages/staff/booth_till.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct SaleForm {
    #[serde(default)]
    csrf_token: String,
    /// The sale's idempotency key, made by the phone.
    #[serde(default)]
    kunci: String,
    #[serde(default)]
    produk: String,
    #[serde(default)]
    jumlah: String,
    /// `cash` or `qris`.
    #[serde(default)]
    cara: String,
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
    form: web::Form<SaleForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let unit_id = staff.unit_id();
    let event_id = id_from_path(&path)?;
    let wants_json = req
        .headers()
        .get("accept")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"));
    let key = form.kunci.trim().to_string();
    let quantity = form.jumlah.trim().parse::<i32>().ok();
    let parsed = (
        (16..=64).contains(&key.len())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        form.produk.trim().parse::<i32>().ok(),
        quantity.filter(|q| (1..=999).contains(q)),
        SaleMethod::parse(form.cara.trim()),
    );
    let (true, Some(product_id), Some(quantity), Some(method)) = parsed else {
        return Ok(answer(
            &staff,
            lang,
            wants_json,
            event_id,
            Err(SaleProblem::Invalid),
        ));
    };
    let sale = SaleRequest {
        event_id,
        unit_id,
        product_id,
        quantity,
        method,
        key,
        actor_id: staff.actor.id,
        sold_on: fair::fair_day(chrono::Utc::now()),
    };
    let outcome = state
        .db(move |c| Ok(booth_sale::record_sale(c, &sale)))
        .await?;
    if let Err(SaleProblem::Db(e)) = &outcome {
        return Err(AppError::Internal(e.clone()));
    }
    Ok(answer(&staff, lang, wants_json, event_id, outcome))
}

fn answer(
    staff: &Staff,
    lang: Lang,
    wants_json: bool,
    event_id: i32,
    outcome: Result<SaleOutcome, SaleProblem>,
) -> HttpResponse {
    let (status, key, stock_left, available) = match &outcome {
        Ok(SaleOutcome::Recorded { stock_left }) => {
            ("recorded", "sales-recorded", Some(*stock_left), None)
        }
        Ok(SaleOutcome::Duplicate) | Err(SaleProblem::Duplicate) => {
            ("duplicate", "sales-duplicate", None, None)
        }
        Err(SaleProblem::NotLive) => ("refused", "sales-not-live", None, None),
        Err(SaleProblem::NoBooth) => ("refused", "sales-no-booth", None, None),
        Err(SaleProblem::NotOurs) => ("refused", "sales-not-ours", None, None),
        Err(SaleProblem::AboveStock { available }) => {
            ("refused", "sales-above-stock", None, Some(*available))
        }
        Err(SaleProblem::Invalid) | Err(SaleProblem::Db(_)) => {
            ("refused", "sales-invalid", None, None)
        }
    };
    if wants_json {
        let message = lang.text_with(key, &[("available", available.unwrap_or(0).into())]);
        let mut res = if status == "refused" {
            HttpResponse::UnprocessableEntity()
        } else {
            HttpResponse::Ok()
        };
        return res.json(SaleAnswer {
            status,
            message,
            stock_left,
        });
    }
    set_flash(&staff.session, key);
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
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "tanggal",
        "stan",
        "unit",
        "produk_id",
        "produk",
        "jumlah",
        "harga_satuan",
        "total",
        "cara_bayar",
    ];
    out.write_record(header).map_err(AppError::internal)?;
    // A name that starts like a formula is kept as text by spreadsheets.
    let cell = |s: &str| {
        if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    };
    for l in &lines {
        out.write_record([
            l.sold_on.as_str(),
            &cell(&l.booth),
            &cell(&l.unit),
            &l.product_id.to_string(),
            &cell(&l.product),
            &l.quantity.to_string(),
            &l.unit_price.to_string(),
            &l.total.to_string(),
            &l.method,
        ])
        .map_err(AppError::internal)?;
    }
    let body = out.into_inner().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"laporan-{}.csv\"", event.slug),
        ))
        .body(body))
}
