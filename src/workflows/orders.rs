//! Orders in the back office: unit staff ship parcels, administrators confirm bank transfers.

use crate::domain::order::{tracking_number, transfer_amount};
use crate::error::AppError;
use crate::models::order;

use super::Shop;

/// How marking a parcel shipped went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipOutcome {
    /// Marked shipped; the buyer is told by mail.
    Shipped,
    /// Nothing changed: the tracking number does not read as one.
    BadTracking,
    /// Nothing changed: the parcel was not being prepared.
    NotAllowed,
}

/// Marks parcel `shipment_id` sent with the courier's tracking number (as typed) and tells the
/// buyer, with a link to their order page.
pub async fn ship_parcel(
    shop: Shop<'_>,
    shipment_id: i32,
    tracking: &str,
    actor_id: i32,
) -> Result<ShipOutcome, AppError> {
    let Some(tracking) = tracking_number(tracking) else {
        return Ok(ShipOutcome::BadTracking);
    };
    let (base_url, mail) = (shop.base_url.to_string(), shop.mail.clone());
    let shipped = shop
        .write(move |c| {
            Ok(order::ship(
                c,
                shipment_id,
                &tracking,
                actor_id,
                &base_url,
                &mail,
            )?)
        })
        .await?;
    Ok(if shipped {
        ShipOutcome::Shipped
    } else {
        ShipOutcome::NotAllowed
    })
}

/// How confirming a bank transfer went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferOutcome {
    /// The order is paid; the buyer is told by mail.
    Confirmed,
    /// Nothing changed: the amount received is not the order's total to the rupiah.
    AmountMismatch,
    /// Nothing changed: the order was not waiting for payment.
    NotAllowed,
}

/// Confirms the bank transfer of order `order_id` when `received` (the amount on the bank
/// statement, as typed) is its total to the rupiah, its unique code included. A missing order
/// is `AppError::NotFound`.
pub async fn confirm_transfer(
    shop: Shop<'_>,
    order_id: i32,
    received: &str,
    actor_id: i32,
) -> Result<TransferOutcome, AppError> {
    let received = transfer_amount(received);
    let total = shop
        .write(move |c| Ok(order::total_of(c, order_id)?))
        .await?;
    if received != Some(total.ok_or(AppError::NotFound)?) {
        return Ok(TransferOutcome::AmountMismatch);
    }
    let (base_url, mail) = (shop.base_url.to_string(), shop.mail.clone());
    let confirmed = shop
        .write(move |c| {
            Ok(order::confirm_payment(
                c, order_id, actor_id, &base_url, &mail,
            )?)
        })
        .await?;
    Ok(if confirmed {
        TransferOutcome::Confirmed
    } else {
        TransferOutcome::NotAllowed
    })
}

/// Sends the link to order `code` again, to the email the order was placed with, when
/// `contact` is that email or the order's WhatsApp number. Whether it was sent is for the
/// logs only: the buyer is told the same either way.
pub async fn resend_order_link(
    shop: Shop<'_>,
    code: String,
    contact: crate::domain::order::OrderContact,
) -> Result<bool, AppError> {
    let (base_url, mail) = (shop.base_url.to_string(), shop.mail.clone());
    shop.write(move |c| Ok(order::resend_link(c, &code, &contact, &base_url, &mail)?))
        .await
}
