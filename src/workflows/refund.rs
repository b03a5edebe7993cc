//! An administrator refunds a paid order.

use crate::models::payment::{self, RefundTarget};
use crate::services::payments::PaymentError;

use super::Shop;

/// How a refund went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    /// Refunded and recorded; the buyer is told by mail.
    Refunded,
    /// Not a paid order that may be refunded (or it changed meanwhile).
    NotAllowed,
    /// A refund of this order through its provider was already asked for.
    InProgress,
    /// A bank transfer is sent back by hand: the reference of that transfer is needed.
    NeedsReference,
    /// The payment provider refused or could not be reached; nothing was recorded.
    ProviderFailed,
}

/// Refunds order `order_id` for administrator `actor_id`. A card payment, and a QRIS or GoPay
/// payment through Midtrans, is refunded through the provider, after the request is written
/// down (so a crash in between is reconciled by the provider's `charge.refunded` or `refund`
/// notification, or by asking again with the same idempotency key, and a double click asks
/// once). A bank transfer, and a Midtrans virtual account or bill payment (Midtrans' Refund
/// API does not take them), is sent back by hand: `manual_reference` is the reference of that
/// transfer (letters, digits, `-` and `/`; at least four).
pub async fn refund_order(
    shop: Shop<'_>,
    order_id: i32,
    actor_id: i32,
    manual_reference: &str,
) -> Result<RefundOutcome, crate::error::AppError> {
    let target =
        crate::db::blocking(shop.db, move |c| Ok(payment::refund_target(c, order_id)?)).await?;
    let Some(RefundTarget {
        method,
        reference,
        amount,
        code,
        through_provider,
    }) = target
    else {
        return Ok(RefundOutcome::NotAllowed);
    };
    // By hand, nothing is asked of a provider (one no longer configured included).
    let provider = if through_provider {
        Some(shop.payments.provider(method).ok_or_else(|| {
            crate::error::AppError::Internal("payment provider not configured".into())
        })?)
    } else {
        None
    };
    if through_provider {
        let now = crate::models::now_ts();
        let first = crate::db::blocking(shop.db, move |c| {
            Ok(payment::request_refund(c, order_id, actor_id, now)?)
        })
        .await?;
        if !first {
            return Ok(RefundOutcome::InProgress);
        }
    }
    let asked = match &provider {
        Some(provider) => {
            provider
                .refund(
                    reference.as_deref().unwrap_or_default(),
                    amount,
                    &payment::refund_key(&code),
                )
                .await
        }
        None => Err(PaymentError::Manual),
    };
    let refund_reference = match asked {
        Ok(r) => r,
        Err(PaymentError::Manual) => {
            let given: String = manual_reference
                .trim()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '/')
                .take(60)
                .collect();
            if given.len() < 4 {
                return Ok(RefundOutcome::NeedsReference);
            }
            format!("manual:{given}")
        }
        Err(e) => {
            tracing::warn!(error = %e, order = order_id, "refund failed at the provider");
            return Ok(RefundOutcome::ProviderFailed);
        }
    };
    let mail = shop.mail.clone();
    let done = crate::db::blocking(shop.db, move |c| {
        Ok(payment::record_refund(
            c,
            order_id,
            &refund_reference,
            Some(actor_id),
            &mail,
        )?)
    })
    .await?;
    Ok(if done {
        RefundOutcome::Refunded
    } else {
        RefundOutcome::NotAllowed
    })
}
