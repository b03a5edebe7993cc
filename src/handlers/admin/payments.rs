//! Payments in the back office (`/kelola/pembayaran`): administrators confirm bank transfers
//! and refund paid orders.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser,
};
use crate::i18n::Lang;
use crate::models::{order, payment};
use crate::state::AppState;
use crate::workflows::orders::{confirm_transfer, TransferOutcome};

#[get("/kelola/pembayaran")]
pub async fn payments(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let (rows, paid) = state
        .db(|c| Ok((order::pending_payments(c)?, payment::refundable(c)?)))
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "payments-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = crate::views::staff::PaymentsPage::new(&rows, &paid);
    state.render_view("pages/staff/payments.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf_token: String,
    /// The amount on the bank statement, as typed (`Rp 125.123` or `125123`).
    #[serde(default)]
    jumlah: String,
}

/// `POST /kelola/pembayaran/{id}/lunas`: an administrator confirms a bank transfer by typing
/// the amount received; a transfer that does not match the order's total to the rupiah (the
/// unique code) is refused and nothing changes.
#[post("/kelola/pembayaran/{id}/lunas")]
pub async fn confirm(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let flash = match confirm_transfer(state.shop(), id, &form.jumlah, staff.actor.id).await? {
        TransferOutcome::Confirmed => "payments-confirmed",
        TransferOutcome::AmountMismatch => "payments-amount-mismatch",
        TransferOutcome::NotAllowed => "flash-not-allowed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/pembayaran"))
}

#[derive(Deserialize)]
pub struct RefundForm {
    #[serde(default)]
    csrf_token: String,
    /// For a bank transfer: the reference of the transfer back to the buyer.
    #[serde(default)]
    referensi: String,
}

/// `POST /kelola/pembayaran/{id}/kembalikan`: an administrator refunds a paid order. A card
/// payment is refunded through Stripe first; a bank transfer is sent back by hand and its
/// reference recorded.
#[post("/kelola/pembayaran/{id}/kembalikan")]
pub async fn refund(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<RefundForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    use crate::workflows::refund::{refund_order, RefundOutcome};
    let outcome = refund_order(state.shop(), id, staff.actor.id, &form.referensi).await?;
    let flash = match outcome {
        RefundOutcome::Refunded => "payments-refunded",
        RefundOutcome::NotAllowed => "flash-not-allowed",
        RefundOutcome::InProgress => "payments-refund-in-progress",
        RefundOutcome::NeedsReference => "payments-refund-reference",
        RefundOutcome::ProviderFailed => "payments-refund-failed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/pembayaran"))
}
