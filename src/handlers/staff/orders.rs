//! Unit staff see and fulfil only their unit's shipments (`/kelola/pesanan`): tabs by where
//! the parcels stand, packing slips and A6 shipping labels to print, marking a parcel ready,
//! shipped with a courier and its tracking number, or handed over against the buyer's pickup
//! code.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::order::{Courier, ParcelTab};
use crate::domain::time::Zone;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::order::{self, HandOver, ParcelState};
use crate::state::AppState;
use crate::views::staff::{PrintPage, ShipAttempt, ShipmentsPage};
use crate::workflows::orders::{ship_parcel, ShipOutcome};

/// The most parcels printed at once.
const MAX_PRINTED: usize = 100;

/// `?status=` of the orders page: a tab's code.
#[derive(Deserialize, Default)]
pub struct TabQuery {
    #[serde(default)]
    status: String,
}

/// The orders page at `tab`, or back at it.
fn tab_url(tab: ParcelTab) -> String {
    format!("/kelola/pesanan?status={}", tab.code())
}

/// The tab a form came from (its hidden `tab` field), else `fallback`.
fn tab_of_form(raw: &str, fallback: ParcelTab) -> ParcelTab {
    ParcelTab::parse(raw).unwrap_or(fallback)
}

#[get("/kelola/pesanan")]
pub async fn shipments(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let query: TabQuery = crate::handlers::lenient_query(&req);
    let tab = ParcelTab::parse(&query.status).unwrap_or(ParcelTab::ToPack);
    orders_page(&state, lang, &req, &staff, staff.unit_id(), tab, None).await
}

/// Renders tab `tab` of the unit's orders page; with `attempt`, the "mark shipped" form that
/// was refused (422, its message and what was typed shown at its parcel).
async fn orders_page(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    unit_id: i32,
    tab: ParcelTab,
    attempt: Option<ShipAttempt>,
) -> Result<HttpResponse, AppError> {
    let (parcels, counts, sender, photos) = state
        .db(move |c| {
            let parcels = order::unit_parcels(c, unit_id, tab)?;
            let counts = order::unit_tab_counts(c, unit_id)?;
            let sender = order::sender(c, unit_id)?;
            let ids = order::UnitParcel::product_ids(&parcels);
            let photos = crate::models::cart::cover_photos(c, &ids)?;
            Ok((parcels, counts, sender, photos))
        })
        .await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "orders-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let zone = Zone::of_province(&sender.province_iso);
    let page = ShipmentsPage::new(
        lang,
        tab,
        &counts,
        &parcels,
        &photos,
        zone,
        attempt.as_ref(),
    );
    state.render_view_form("pages/staff/orders.html", ctx, &page, attempt.is_some())
}

/// The parcel behind `/kelola/kiriman/{id}/…` when it is one of the signed-in staff's unit:
/// 404 for none, 403 for another unit's or any other role.
async fn own_parcel(state: &AppState, staff: &Staff, id: i32) -> Result<ParcelState, AppError> {
    let parcel = state
        .db(move |c| Ok(order::parcel_state(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if staff.actor.role != Role::Staff || staff.actor.unit_id != Some(parcel.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(parcel)
}

#[derive(Deserialize)]
pub struct ShipForm {
    #[serde(default)]
    csrf_token: String,
    /// A `Courier::code`; empty: the courier of the buyer's shipping option.
    #[serde(default)]
    courier: String,
    #[serde(default)]
    tracking: String,
    /// The tab the form was sent from.
    #[serde(default)]
    tab: String,
}

#[post("/kelola/kiriman/{id}/kirim")]
pub async fn ship(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<ShipForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let parcel = own_parcel(&state, &staff, id).await?;
    let outcome = ship_parcel(
        state.shop(),
        id,
        &parcel.service,
        &form.courier,
        &form.tracking,
        staff.actor.id,
    )
    .await?;
    let back = tab_of_form(&form.tab, parcel.tab());
    let courier = match outcome {
        ShipOutcome::Shipped => {
            set_flash(&staff.session, "orders-shipped");
            return Ok(see_other(&tab_url(back)));
        }
        ShipOutcome::NotAllowed => {
            set_flash(&staff.session, "flash-not-allowed");
            return Ok(see_other(&tab_url(back)));
        }
        ShipOutcome::BadTracking(courier) => Some(courier),
        ShipOutcome::NoCourier => None::<Courier>,
    };
    // The form comes back at the parcel's tab, with the message and what was typed.
    let attempt = ShipAttempt {
        shipment_id: id,
        courier,
        typed: form.tracking.chars().take(60).collect(),
    };
    orders_page(
        &state,
        lang,
        &req,
        &staff,
        parcel.unit_id,
        parcel.tab(),
        Some(attempt),
    )
    .await
}

/// A button's form: its token and the tab it was sent from.
#[derive(Deserialize)]
pub struct TabForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    tab: String,
}

/// The unit marks a paid parcel packed: ready for the courier ("Siap dikirim") or, for pickup
/// at the unit, ready to be picked up, which gives the buyer a pickup code.
#[post("/kelola/kiriman/{id}/siap")]
pub async fn mark_ready(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<TabForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let parcel = own_parcel(&state, &staff, id).await?;
    let actor_id = staff.actor.id;
    let ready = state
        .db(move |c| Ok(order::mark_ready(c, id, actor_id)?))
        .await?;
    let flash = match (ready, crate::domain::order::is_pickup(&parcel.service)) {
        (true, true) => "orders-pickup-ready-done",
        (true, false) => "orders-ready-done",
        (false, _) => "flash-not-allowed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&tab_url(tab_of_form(&form.tab, parcel.tab()))))
}

#[derive(Deserialize)]
pub struct HandOverForm {
    #[serde(default)]
    csrf_token: String,
    /// The pickup code the buyer shows.
    #[serde(default)]
    kode: String,
    #[serde(default)]
    tab: String,
}

/// The unit hands a pickup parcel to the buyer who shows its pickup code.
#[post("/kelola/kiriman/{id}/serahkan")]
pub async fn hand_over(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<HandOverForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let parcel = own_parcel(&state, &staff, id).await?;
    let (actor_id, typed) = (staff.actor.id, form.kode.clone());
    let outcome = state
        .db(move |c| Ok(order::hand_over(c, id, &typed, actor_id)?))
        .await?;
    let flash = match outcome {
        HandOver::Delivered => "orders-handed-over",
        HandOver::WrongCode => "orders-pickup-wrong-code",
        HandOver::NotAllowed => "flash-not-allowed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&tab_url(tab_of_form(&form.tab, parcel.tab()))))
}

/// The parcels chosen to print (`?id=1&id=2`): the staff's unit's own, by id. None chosen
/// sends the staff back to the orders page; another unit's parcel is 403, an unknown one 404.
enum Printed {
    Parcels(Vec<order::UnitParcel>, order::Sender),
    NoneChosen,
}

async fn printed_parcels(
    state: &AppState,
    req: &HttpRequest,
    unit_id: i32,
) -> Result<Printed, AppError> {
    let pairs: Vec<(String, String)> = crate::handlers::lenient_query(req);
    let mut ids: Vec<i32> = pairs
        .into_iter()
        .filter(|(key, _)| key == "id")
        .map(|(_, value)| value.trim().parse::<i32>().ok().filter(|id| *id > 0))
        .collect::<Option<Vec<i32>>>()
        .ok_or(AppError::NotFound)?;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Printed::NoneChosen);
    }
    if ids.len() > MAX_PRINTED {
        return Err(AppError::NotFound);
    }
    let (parcels, sender) = state
        .db(move |c| {
            let parcels = order::parcels_by_ids(c, &ids)?;
            if parcels.len() != ids.len() {
                return Err(AppError::NotFound);
            }
            if parcels.iter().any(|p| p.shipment.unit_id != unit_id) {
                return Err(AppError::Forbidden);
            }
            Ok((parcels, order::sender(c, unit_id)?))
        })
        .await?;
    Ok(Printed::Parcels(parcels, sender))
}

/// Packing slips of the chosen parcels, to print: each parcel's lines with a box to tick.
#[get("/kelola/pesanan/slip")]
pub async fn packing_slips(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let Printed::Parcels(parcels, sender) = printed_parcels(&state, &req, staff.unit_id()).await?
    else {
        set_flash(&staff.session, "orders-print-none");
        return Ok(see_other("/kelola/pesanan"));
    };
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "slip-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = PrintPage::slips(lang, &parcels, &sender)?;
    state.render_view("pages/staff/print_slips.html", ctx, &page)
}

/// A6 shipping labels of the chosen parcels, to print: sender, recipient, the order code as a
/// QR code, the courier service and the weight.
#[get("/kelola/pesanan/label")]
pub async fn shipping_labels(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let Printed::Parcels(parcels, sender) = printed_parcels(&state, &req, staff.unit_id()).await?
    else {
        set_flash(&staff.session, "orders-print-none");
        return Ok(see_other("/kelola/pesanan"));
    };
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "label-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = PrintPage::labels(lang, &parcels, &sender)?;
    state.render_view("pages/staff/print_labels.html", ctx, &page)
}
