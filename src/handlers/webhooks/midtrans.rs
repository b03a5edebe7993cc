//! `POST /webhook/midtrans`: Midtrans tells that a charge changed. The `signature_key` is
//! checked with the server key before anything else is read; then the state is asked of
//! Midtrans itself (the status call) and applied once. Midtrans sends a notification again
//! until it gets a 2xx, so a status call that fails answers 503.

use actix_web::{post, web, HttpResponse};

use crate::error::AppError;
use crate::services::payments::PaymentError;
use crate::state::AppState;
use crate::workflows::midtrans::{confirm_notification, NotificationOutcome};

#[post("/webhook/midtrans")]
pub async fn midtrans_webhook(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let Some(midtrans) = state.payments.midtrans.clone() else {
        return Err(AppError::NotFound);
    };
    let order_id = match midtrans.verify_notification(&body) {
        Ok(order_id) => order_id,
        Err(e) => {
            let why = match e {
                PaymentError::BadWebhook(why) => why,
                other => other.to_string(),
            };
            tracing::warn!(why = why.as_str(), "midtrans notification refused");
            return Ok(HttpResponse::BadRequest().json(Answer::Refused { error: &why }));
        }
    };
    let outcome = match confirm_notification(state.shop(), &order_id).await? {
        NotificationOutcome::Applied(outcome) => outcome,
        NotificationOutcome::UnknownOrder => "unknown-order".to_string(),
        NotificationOutcome::Unconfirmed => {
            return Ok(HttpResponse::ServiceUnavailable().json(Answer::Refused {
                error: "the status call failed; send it again",
            }));
        }
    };
    tracing::info!(%order_id, %outcome, "midtrans notification applied");
    Ok(HttpResponse::Ok().json(Answer::Received {
        received: true,
        outcome: &outcome,
    }))
}

/// What the notification answers Midtrans: `{"received": true, "outcome": …}` or
/// `{"error": …}`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Answer<'a> {
    Received { received: bool, outcome: &'a str },
    Refused { error: &'a str },
}
