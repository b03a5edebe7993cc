//! Paying an order through Midtrans. The buyer picks a channel on the order page: a charge
//! through it is made, payable until the order's hold ends, and the charge open through
//! another channel is cancelled first (only one way to pay is ever open). Midtrans'
//! notifications are confirmed by a status call, then applied once with the Stripe webhook's
//! rules (`models::payment::apply_webhook`). A notification about a fair booth's dynamic QRIS
//! charge (`BOOTH-…`, `workflows::booth_sales::open_booth_charge`) is confirmed the same way
//! and applied to that charge: paid in full, its booth sale is recorded once
//! (`models::booth_charge::apply_notification`).

use crate::domain::fair;
use crate::domain::midtrans::{self, Channel, OnlinePayment};
use crate::domain::order::OrderStatus;
use crate::domain::payment::{PaymentMethod, PaymentStatus, WebhookEvent};
use crate::domain::{OrderSecret, Secret};
use crate::error::AppError;
use crate::models::booth_charge;
use crate::models::order;
use crate::models::payment::{self, PaymentRow};
use crate::services::payments::{Charge, PaymentProvider, Started};

use super::Shop;

/// What choosing a channel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelOutcome {
    /// A charge through it is open (a new one, or the one already open through it).
    Charged,
    /// The order does not wait for a Midtrans payment (paid, ended, out of time, or paid
    /// another way).
    NotPayable,
    /// The charge open through another channel could not be cancelled (it may have been paid
    /// meanwhile): it stays, and no new one is made.
    SwitchRefused,
    /// Midtrans is not configured, refused the charge or could not be reached.
    Unavailable,
}

/// The Midtrans payment of an order for its page, from its latest charge: the one open now
/// and what the buyer does with it, or whether the last one was refused.
pub fn online_payment(latest: Option<&PaymentRow>, available: bool) -> OnlinePayment {
    let open = latest.filter(|p| p.status == PaymentStatus::Created);
    OnlinePayment {
        current: open.and_then(|p| Some((p.channel()?, p.instructions()?))),
        available,
        failed: latest.is_some_and(|p| p.status == PaymentStatus::Failed),
    }
}

/// The buyer of the order behind `secret` pays through `channel`; None when there is no such
/// order.
pub async fn choose_channel(
    shop: Shop<'_>,
    secret: &OrderSecret,
    channel: Channel,
) -> Result<Option<ChannelOutcome>, AppError> {
    let lookup = secret.clone();
    let found = shop
        .write(move |c| {
            let Some((order, _, _)) = order::by_secret(c, lookup.as_str())? else {
                return Ok(None);
            };
            let latest = payment::of_order(c, order.id)?;
            let attempts = payment::count_of_order(c, order.id)?;
            Ok(Some((order, latest, attempts)))
        })
        .await?;
    let Some((order, latest, attempts)) = found else {
        return Ok(None);
    };
    let now = crate::models::now_ts();
    if order.payment_method != PaymentMethod::Midtrans.code()
        || order.status != OrderStatus::PendingPayment
        || order.payment_expires_at <= now
    {
        return Ok(Some(ChannelOutcome::NotPayable));
    }
    let Some(provider) = shop.payments.midtrans.clone() else {
        return Ok(Some(ChannelOutcome::Unavailable));
    };
    if let Some(open) = latest.filter(|p| p.status == PaymentStatus::Created) {
        if open.channel() == Some(channel) {
            // Sent twice, or the page was old: that charge stays.
            return Ok(Some(ChannelOutcome::Charged));
        }
        if let Err(e) = provider.void(&open.reference).await {
            tracing::warn!(
                error = %e,
                reference = %open.reference,
                "switching: cancelling a Midtrans charge failed"
            );
            return Ok(Some(ChannelOutcome::SwitchRefused));
        }
        let id = open.id;
        shop.write(move |c| Ok(payment::set_voided(c, id, None)?))
            .await?;
    }
    let charge = Charge {
        order_code: order.code.clone(),
        amount: order.total,
        reference: midtrans::charge_reference(&order.code, attempts + 1),
        channel: Some(channel),
        expiry_minutes: midtrans::expiry_minutes(order.payment_expires_at, now),
        return_url: order::order_link(shop.base_url, secret.as_str()),
    };
    match provider.start(&charge).await {
        Ok(Started::Charged {
            reference,
            channel,
            instructions,
        }) => {
            let (order_id, amount) = (order.id, order.total);
            shop.write(move |c| {
                Ok(payment::record_charge(
                    c,
                    order_id,
                    &reference,
                    amount,
                    channel,
                    &instructions,
                )?)
            })
            .await?;
            tracing::info!(order = %order.code, channel = channel.code(), "midtrans charge made");
            Ok(Some(ChannelOutcome::Charged))
        }
        Ok(_) => Ok(Some(ChannelOutcome::Unavailable)),
        Err(e) => {
            tracing::warn!(error = %e, order = %order.code, "making a Midtrans charge failed");
            Ok(Some(ChannelOutcome::Unavailable))
        }
    }
}

/// What a notification led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationOutcome {
    /// The confirmed state was applied (or recognised as applied before): what happened, as
    /// recorded (`paid`, `duplicate`, `amount-mismatch`, `closed`, …).
    Applied(String),
    /// Midtrans' status call knows no such transaction.
    UnknownOrder,
    /// The status call failed: nothing was done (Midtrans sends the notification again).
    Unconfirmed,
}

/// Acts on a notification about charge `order_id` whose signature was checked: the state is
/// asked of Midtrans (never taken from the notification), then applied once, in one
/// transaction with its effect: to a shop order's payment, or to a booth charge when
/// `order_id` names one.
pub async fn confirm_notification(
    shop: Shop<'_>,
    order_id: &str,
) -> Result<NotificationOutcome, AppError> {
    let Some(provider) = shop.payments.midtrans.clone() else {
        return Ok(NotificationOutcome::UnknownOrder);
    };
    let transaction = match provider.status(order_id).await {
        Ok(Some(t)) if t.order_id == order_id => t,
        Ok(_) => return Ok(NotificationOutcome::UnknownOrder),
        Err(e) => {
            tracing::warn!(error = %e, %order_id, "confirming a Midtrans notification failed");
            return Ok(NotificationOutcome::Unconfirmed);
        }
    };
    if fair::is_booth_reference(order_id) {
        let (event_id, kind, reference, change) = (
            transaction.event_id(),
            format!("midtrans.{}", transaction.transaction_status),
            transaction.order_id.clone(),
            transaction.booth_change(),
        );
        let outcome = shop
            .write(move |c| {
                Ok(booth_charge::apply_notification(
                    c, &event_id, &kind, &reference, &change,
                )?)
            })
            .await?;
        return Ok(NotificationOutcome::Applied(outcome));
    }
    let event = WebhookEvent {
        id: transaction.event_id(),
        kind: format!("midtrans.{}", transaction.transaction_status),
        outcome: transaction.outcome(),
        provider: PaymentMethod::Midtrans,
    };
    let (base_url, mail) = (shop.base_url.to_string(), shop.mail.clone());
    let outcome = shop
        .write(move |c| Ok(payment::apply_webhook(c, &event, &base_url, &mail)?))
        .await?;
    Ok(NotificationOutcome::Applied(outcome))
}
