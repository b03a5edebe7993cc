//! `POST /webhook/stripe`: Stripe tells the outcome of a payment. The signature is checked
//! with the signing secret before anything is read; each event is applied once.

use actix_web::{post, web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::models::payment;
use crate::services::payments::PaymentError;
use crate::state::AppState;

#[post("/webhook/stripe")]
pub async fn stripe_webhook(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let Some(stripe) = state.payments.stripe.clone() else {
        return Err(AppError::NotFound);
    };
    let refuse = |why: &str| {
        tracing::warn!(why, "stripe webhook refused");
        Ok(HttpResponse::BadRequest().json(WebhookAnswer::Refused { error: why }))
    };
    let Some(signature) = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
    else {
        return refuse("missing Stripe-Signature header");
    };
    let Ok(payload) = std::str::from_utf8(&body) else {
        return refuse("body is not UTF-8");
    };
    let event = match stripe.verify_event(payload, signature) {
        Ok(event) => event,
        Err(PaymentError::BadWebhook(why)) => return refuse(&why),
        Err(other) => return refuse(&other.to_string()),
    };
    let id = event.id.clone();
    let (base_url, mail) = (state.base_url.clone(), state.mail.clone());
    let outcome = state
        .db(move |c| Ok(payment::apply_webhook(c, &event, &base_url, &mail)?))
        .await?;
    tracing::info!(event = %id, %outcome, "stripe webhook applied");
    Ok(HttpResponse::Ok().json(WebhookAnswer::Received {
        received: true,
        outcome: &outcome,
    }))
}

/// What the webhook answers Stripe: `{"received": true, "outcome": …}` or `{"error": …}`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum WebhookAnswer<'a> {
    Received { received: bool, outcome: &'a str },
    Refused { error: &'a str },
}
