//! Orders in the back office: unit staff ship parcels, administrators confirm bank transfers.

use crate::domain::order::{is_pickup, tracking_for, transfer_amount, Courier};
use crate::error::AppError;
use crate::models::order;

use super::Shop;

/// How marking a parcel shipped went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipOutcome {
    /// Marked shipped; the buyer is told by mail.
    Shipped,
    /// Nothing changed: no courier of the list was chosen (and the buyer's shipping option
    /// names none).
    NoCourier,
    /// Nothing changed: the tracking number does not have the shape of this courier's.
    BadTracking(Courier),
    /// Nothing changed: the parcel was not being prepared, or is picked up at the unit.
    NotAllowed,
}

/// Marks parcel `shipment_id` (shipping option `service`) sent with the courier of code
/// `courier` (as sent by the form; empty: the courier of the buyer's shipping option) under
/// its tracking number (as typed), and tells the buyer, with a link to their order page.
pub async fn ship_parcel(
    shop: Shop<'_>,
    shipment_id: i32,
    service: &str,
    courier: &str,
    tracking: &str,
    actor_id: i32,
) -> Result<ShipOutcome, AppError> {
    if is_pickup(service) {
        return Ok(ShipOutcome::NotAllowed);
    }
    let courier = if courier.trim().is_empty() {
        Courier::of_service(service).filter(|c| *c != Courier::Other)
    } else {
        Courier::parse(courier)
    };
    let Some(courier) = courier else {
        return Ok(ShipOutcome::NoCourier);
    };
    let Some(tracking) = tracking_for(courier, tracking) else {
        return Ok(ShipOutcome::BadTracking(courier));
    };
    let (base_url, mail) = (shop.base_url.to_string(), shop.mail.clone());
    let shipped = shop
        .write(move |c| {
            Ok(order::ship(
                c,
                shipment_id,
                courier,
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
