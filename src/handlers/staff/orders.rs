//! Unit staff see and fulfil only their unit's shipments (`/kelola/pesanan`).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::order;
use crate::state::AppState;
use crate::workflows::orders::{ship_parcel, ShipOutcome};

#[get("/kelola/pesanan")]
pub async fn shipments(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let rows = state
        .db(move |c| Ok(order::unit_parcels(c, unit_id)?))
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "orders-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = crate::views::staff::ShipmentsPage::new(&rows);
    state.render_view("pages/staff/orders.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct ShipForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    tracking: String,
}

#[post("/kelola/kiriman/{id}/kirim")]
pub async fn ship(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
    form: web::Form<ShipForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let owner = state.db(move |c| Ok(order::shipment_owner(c, id)?)).await?;
    let (unit_id, _) = owner.ok_or(AppError::NotFound)?;
    if staff.actor.role != Role::Staff || staff.actor.unit_id != Some(unit_id) {
        return Err(AppError::Forbidden);
    }
    let flash = match ship_parcel(state.shop(), id, &form.tracking, staff.actor.id).await? {
        ShipOutcome::Shipped => "orders-shipped",
        ShipOutcome::BadTracking => "orders-error-tracking",
        ShipOutcome::NotAllowed => "flash-not-allowed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/pesanan"))
}
