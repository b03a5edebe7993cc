//! Payment providers behind one trait: bank transfer (the embedded default: the buyer transfers
//! a unique amount, staff confirm it), Stripe (PaymentIntents through async-stripe; the buyer
//! pays on the order page with Stripe's Payment Element; webhooks tell the outcome) and
//! Midtrans (`services::midtrans`: QRIS, bank virtual accounts and GoPay charged through its
//! Core API; notifications tell the outcome, confirmed by a status call).

use std::sync::Arc;

use futures_util::future::LocalBoxFuture;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::payment_intent::{CancelPaymentIntent, CreatePaymentIntent};
use stripe_core::refund::CreateRefund;
use stripe_webhook::{EventObject, Webhook, WebhookError};

pub use super::midtrans::Midtrans;
pub use crate::config::{MidtransSettings, StripeSettings};
use crate::domain::midtrans::{Channel, Instructions};
pub use crate::domain::payment::{to_stripe_amount, PaymentMethod, WebhookEvent, WebhookOutcome};

/// What a provider is asked to collect.
#[derive(Debug, Clone, Default)]
pub struct Charge {
    pub order_code: String,
    /// Whole rupiah.
    pub amount: i64,
    /// The charge's own name at the provider, when the shop gives it (Midtrans' `order_id`:
    /// `domain::midtrans::charge_reference`); Stripe names its PaymentIntents itself.
    pub reference: String,
    /// How the buyer pays it (Midtrans); None for a provider with one way.
    pub channel: Option<Channel>,
    /// Minutes it stays payable: until the order's payment hold ends (Midtrans).
    pub expiry_minutes: i64,
    /// The order page, where a payment app sends the buyer back (GoPay).
    pub return_url: String,
}

/// How the buyer goes on paying.
#[derive(Debug, Clone, PartialEq)]
pub enum Started {
    /// Pay by following the instructions on the order page (bank transfer).
    Instructions,
    /// Pay through the provider's page element with this client secret.
    Intent {
        reference: String,
        client_secret: String,
    },
    /// Pay the charge `reference` through `channel` as `instructions` say (Midtrans).
    Charged {
        reference: String,
        channel: Channel,
        instructions: Instructions,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    /// The provider could not be reached or refused the request.
    #[error("payment provider: {0}")]
    Provider(String),
    /// A refund that people make by hand (a bank transfer back to the buyer).
    #[error("refund by hand")]
    Manual,
    /// A webhook whose signature, timestamp or body is not acceptable.
    #[error("webhook refused: {0}")]
    BadWebhook(String),
}

impl From<StripeError> for PaymentError {
    fn from(e: StripeError) -> Self {
        PaymentError::Provider(e.to_string())
    }
}

/// One way to take money. Futures are boxed so providers can sit behind `dyn`; they run on
/// the actix thread that awaits them (not `Send`: Midtrans calls out through awc, whose client
/// belongs to one thread).
pub trait PaymentProvider: Send + Sync {
    fn method(&self) -> PaymentMethod;
    /// Starts collecting a charge. Calling it again for the same order gives the same payment
    /// (Stripe); Midtrans makes a new charge for each `reference`.
    fn start<'a>(&'a self, charge: &'a Charge)
        -> LocalBoxFuture<'a, Result<Started, PaymentError>>;
    /// Refunds `amount` rupiah of a payment; gives the refund's reference.
    /// Refunds `amount`; the provider applies one `idempotency_key` once, however often asked.
    fn refund<'a>(
        &'a self,
        reference: &'a str,
        amount: i64,
        idempotency_key: &'a str,
    ) -> LocalBoxFuture<'a, Result<String, PaymentError>>;
    /// Closes a payment that must not be paid any more (its order ended unpaid).
    fn void<'a>(&'a self, reference: &'a str) -> LocalBoxFuture<'a, Result<(), PaymentError>>;
}

/// Bank transfer: the money arrives outside the system; staff confirm it and refund by hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct BankTransfer;

impl PaymentProvider for BankTransfer {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::BankTransfer
    }

    fn start<'a>(
        &'a self,
        _charge: &'a Charge,
    ) -> LocalBoxFuture<'a, Result<Started, PaymentError>> {
        Box::pin(async { Ok(Started::Instructions) })
    }

    fn refund<'a>(
        &'a self,
        _reference: &'a str,
        _amount: i64,
        _idempotency_key: &'a str,
    ) -> LocalBoxFuture<'a, Result<String, PaymentError>> {
        Box::pin(async { Err(PaymentError::Manual) })
    }

    /// Nothing to close: an unpaid transfer simply never comes (or is refunded by hand).
    fn void<'a>(&'a self, _reference: &'a str) -> LocalBoxFuture<'a, Result<(), PaymentError>> {
        Box::pin(async { Ok(()) })
    }
}

pub struct Stripe {
    client: Client,
    pub publishable_key: String,
    pub js_url: String,
    webhook_secret: String,
}

impl Stripe {
    pub fn new(settings: &StripeSettings) -> Result<Self, PaymentError> {
        let mut builder = ClientBuilder::new(settings.secret_key.clone())
            .request_strategy(RequestStrategy::ExponentialBackoff(2))
            .timeout(std::time::Duration::from_secs(20));
        if let Some(base) = &settings.api_base {
            builder = builder.url(format!("{}/", base.trim_end_matches('/')));
        }
        Ok(Self {
            client: builder.build()?,
            publishable_key: settings.publishable_key.clone(),
            js_url: settings.js_url.clone(),
            webhook_secret: settings.webhook_secret.clone(),
        })
    }

    /// Checks the `Stripe-Signature` header against the signing secret (and its timestamp
    /// against the clock) before reading the event.
    pub fn verify_event(
        &self,
        payload: &str,
        signature: &str,
    ) -> Result<WebhookEvent, PaymentError> {
        let event = Webhook::construct_event(payload, signature, &self.webhook_secret).map_err(
            |e| match e {
                WebhookError::BadSignature => PaymentError::BadWebhook("bad signature".into()),
                WebhookError::BadTimestamp(t) => {
                    PaymentError::BadWebhook(format!("timestamp {t} too far from now"))
                }
                other => PaymentError::BadWebhook(other.to_string()),
            },
        )?;
        let outcome = match event.data.object {
            EventObject::PaymentIntentSucceeded(pi) => WebhookOutcome::Succeeded {
                reference: pi.id.to_string(),
                amount: pi.amount_received,
                currency: pi.currency.to_string(),
            },
            EventObject::PaymentIntentPaymentFailed(pi) => WebhookOutcome::Failed {
                reference: pi.id.to_string(),
                message: pi.last_payment_error.and_then(|e| e.message),
            },
            // Whoever started it (this shop, or someone in Stripe's dashboard), a full refund
            // is recorded once it is known to Stripe.
            EventObject::ChargeRefunded(charge) if charge.refunded => {
                match charge.payment_intent.as_ref().map(|pi| pi.id().to_string()) {
                    Some(reference) => WebhookOutcome::Refunded {
                        refund: charge
                            .refunds
                            .as_ref()
                            .and_then(|list| list.data.first())
                            .map(|r| r.id.to_string())
                            .unwrap_or_else(|| format!("charge:{}", charge.id)),
                        reference,
                    },
                    None => WebhookOutcome::Ignored,
                }
            }
            _ => WebhookOutcome::Ignored,
        };
        Ok(WebhookEvent {
            id: event.id.to_string(),
            kind: event.type_.to_string(),
            outcome,
            provider: PaymentMethod::Card,
        })
    }
}

impl PaymentProvider for Stripe {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::Card
    }

    fn start<'a>(
        &'a self,
        charge: &'a Charge,
    ) -> LocalBoxFuture<'a, Result<Started, PaymentError>> {
        Box::pin(async move {
            let metadata: std::collections::HashMap<String, String> =
                [("order_code".to_string(), charge.order_code.clone())].into();
            // One intent per order, even when two page views ask at once. Payment methods are
            // left to the Stripe dashboard (Payment Element shows the ones enabled there).
            let key = IdempotencyKey::new(format!("etalase-order-{}", charge.order_code))
                .map_err(|e| PaymentError::Provider(e.to_string()))?;
            let pi = CreatePaymentIntent::new(
                to_stripe_amount(charge.amount),
                stripe_types::Currency::IDR,
            )
            .metadata(metadata)
            .customize()
            .request_strategy(RequestStrategy::Idempotent(key))
            .send(&self.client)
            .await?;
            let client_secret = pi
                .client_secret
                .ok_or_else(|| PaymentError::Provider("no client secret".into()))?;
            Ok(Started::Intent {
                reference: pi.id.to_string(),
                client_secret,
            })
        })
    }

    fn refund<'a>(
        &'a self,
        reference: &'a str,
        amount: i64,
        idempotency_key: &'a str,
    ) -> LocalBoxFuture<'a, Result<String, PaymentError>> {
        Box::pin(async move {
            let key = IdempotencyKey::new(idempotency_key)
                .map_err(|e| PaymentError::Provider(e.to_string()))?;
            let refund = CreateRefund::new()
                .payment_intent(reference)
                .amount(to_stripe_amount(amount))
                .customize()
                .request_strategy(RequestStrategy::Idempotent(key))
                .send(&self.client)
                .await?;
            Ok(refund.id.to_string())
        })
    }

    fn void<'a>(&'a self, reference: &'a str) -> LocalBoxFuture<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            CancelPaymentIntent::new(reference)
                .send(&self.client)
                .await?;
            Ok(())
        })
    }
}

/// Closes the provider payments of orders that ended unpaid (expired or cancelled by the
/// buyer): Stripe's PaymentIntents are cancelled, Midtrans' charges cancelled or expired, so
/// nobody can pay for them any more. A payment that still arrives is flagged for refund by the
/// webhook or notification. Gives how many were closed.
pub async fn void_ended(pool: &crate::db::Pool, payments: &Payments) -> usize {
    let providers: Vec<&'static str> = [PaymentMethod::Card, PaymentMethod::Midtrans]
        .into_iter()
        .filter(|m| payments.offers(*m))
        .map(PaymentMethod::code)
        .collect();
    if providers.is_empty() {
        return 0;
    }
    let open = match crate::db::blocking(pool, move |c| {
        Ok(crate::models::payment::open_for_ended_orders(
            c, &providers,
        )?)
    })
    .await
    {
        Ok(open) => open,
        Err(e) => {
            tracing::error!(error = %e, "listing payments to close failed");
            return 0;
        }
    };
    let mut closed = 0;
    for (id, provider, reference) in open {
        let Some(provider) = PaymentMethod::parse(&provider).and_then(|m| payments.provider(m))
        else {
            continue;
        };
        // Another worker (or a buyer's cancellation) may be closing it this moment: only the
        // one that claims it calls the provider.
        let now = crate::models::now_ts();
        match crate::db::blocking(pool, move |c| {
            Ok(crate::models::payment::claim_void(c, id, now)?)
        })
        .await
        {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::error!(error = %e, "claiming a payment to close failed");
                continue;
            }
        }
        let outcome = provider.void(&reference).await;
        if let Err(e) = &outcome {
            tracing::warn!(error = %e, %reference, "closing a payment at its provider failed");
        } else {
            closed += 1;
        }
        let error = outcome.err().map(|e| e.to_string());
        let saved = crate::db::blocking(pool, move |c| {
            Ok(crate::models::payment::set_voided(c, id, error.as_deref())?)
        })
        .await;
        if let Err(e) = saved {
            tracing::error!(error = %e, "recording a closed payment failed");
        }
    }
    closed
}

/// The providers this shop runs with.
#[derive(Clone)]
pub struct Payments {
    pub bank: Arc<BankTransfer>,
    pub stripe: Option<Arc<Stripe>>,
    pub midtrans: Option<Arc<Midtrans>>,
}

impl Payments {
    pub fn new(
        stripe: Option<&StripeSettings>,
        midtrans: Option<&MidtransSettings>,
    ) -> Result<Self, PaymentError> {
        Ok(Self {
            bank: Arc::new(BankTransfer),
            stripe: stripe.map(Stripe::new).transpose()?.map(Arc::new),
            midtrans: midtrans.map(Midtrans::new).transpose()?.map(Arc::new),
        })
    }

    pub fn provider(&self, method: PaymentMethod) -> Option<Arc<dyn PaymentProvider>> {
        match method {
            PaymentMethod::BankTransfer => Some(self.bank.clone()),
            PaymentMethod::Card => self.stripe.clone().map(|s| s as Arc<dyn PaymentProvider>),
            PaymentMethod::Midtrans => self.midtrans.clone().map(|m| m as Arc<dyn PaymentProvider>),
        }
    }

    pub fn offers(&self, method: PaymentMethod) -> bool {
        self.provider(method).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_form_values_map_to_stored_methods() {
        assert_eq!(PaymentMethod::from_form("kartu"), Some(PaymentMethod::Card));
        assert_eq!(
            PaymentMethod::from_form("transfer").map(PaymentMethod::code),
            Some("bank_transfer")
        );
        assert_eq!(PaymentMethod::from_form("bitcoin"), None);
        assert_eq!(PaymentMethod::parse("stripe"), Some(PaymentMethod::Card));
    }

    #[test]
    fn rupiah_go_to_stripe_in_hundredths() {
        assert_eq!(to_stripe_amount(125_000), 12_500_000);
    }

    #[test]
    fn a_webhook_signed_with_another_secret_is_refused() {
        let stripe = Stripe::new(&StripeSettings {
            secret_key: "sk_test_x".into(),
            publishable_key: "pk_test_x".into(),
            webhook_secret: "whsec_right".into(),
            api_base: Some("http://127.0.0.1:9".into()),
            js_url: String::new(),
        })
        .unwrap();
        let payload = r#"{"id":"evt_1","object":"event","created":1,"livemode":false,"pending_webhooks":0,"type":"payment_intent.succeeded","data":{"object":{}}}"#;
        let header = Webhook::generate_test_header(payload, "whsec_wrong", None);
        assert!(matches!(
            stripe.verify_event(payload, &header),
            Err(PaymentError::BadWebhook(m)) if m == "bad signature"
        ));
        let stale = Webhook::generate_test_header(payload, "whsec_right", Some(1000));
        assert!(matches!(
            stripe.verify_event(payload, &stale),
            Err(PaymentError::BadWebhook(m)) if m.contains("timestamp")
        ));
    }
}
