//! `POST /webhook/stripe`: Stripe tells the outcome of a payment. The signature is checked
//! with the signing secret before anything is read; each event is applied once.

use actix_web::{post, web, HttpRequest, HttpResponse};

use crate::domain::payment::WebhookEvent;
use crate::error::AppError;
use crate::models::payment;
use crate::services::payments::{PaymentError, Stripe};
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
    let event = match verified_event(&stripe, &req, &body) {
        Ok(event) => event,
        Err(why) => {
            tracing::warn!(why = why.as_str(), "stripe webhook refused");
            return Ok(HttpResponse::BadRequest().json(WebhookAnswer::Refused { error: &why }));
        }
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

/// The event Stripe sent, once its `Stripe-Signature` is checked against the signing secret;
/// else why it is refused.
fn verified_event(stripe: &Stripe, req: &HttpRequest, body: &[u8]) -> Result<WebhookEvent, String> {
    let signature = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .ok_or("missing Stripe-Signature header")?;
    let payload = std::str::from_utf8(body).map_err(|_| "body is not UTF-8")?;
    stripe
        .verify_event(payload, signature)
        .map_err(|e| match e {
            PaymentError::BadWebhook(why) => why,
            other => other.to_string(),
        })
}

/// What the webhook answers Stripe: `{"received": true, "outcome": …}` or `{"error": …}`.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum WebhookAnswer<'a> {
    Received { received: bool, outcome: &'a str },
    Refused { error: &'a str },
}
