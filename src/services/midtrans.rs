//! Midtrans' Core API (docs.midtrans.com): charges for QRIS, bank virtual accounts, Mandiri
//! bill payment and GoPay; the status call that confirms every notification before the shop
//! acts on it; cancel and expire; refunds with the shop's idempotency key. Midtrans answers
//! most outcomes with a `status_code` in the JSON body, so both it and the HTTP status are
//! read. Calls go out through awc (actix's client, as Meilisearch's do) over rustls; a client
//! is made per call, because awc's is tied to one thread and the provider is shared.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::LocalBoxFuture;
use serde_json::{json, Value};

use crate::config::MidtransSettings;
use crate::domain::midtrans::{self, Channel, Instructions, Transaction};
use crate::domain::payment::PaymentMethod;

use super::payments::{Charge, PaymentError, PaymentProvider, Started};

/// The Core API with the shop's server key.
pub struct Midtrans {
    server_key: String,
    api_base: String,
    tls: Arc<rustls::ClientConfig>,
}

impl std::fmt::Debug for Midtrans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Midtrans")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// The TLS settings of calls to Midtrans: rustls with *ring* (already in the tree through
/// async-stripe) and the Mozilla roots of webpki-roots.
fn tls_config() -> Result<rustls::ClientConfig, PaymentError> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| PaymentError::Provider(format!("midtrans TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The `status_code` Midtrans writes in its answers ("201": a charge is waiting to be paid).
fn code_of(answer: &Value) -> &str {
    answer["status_code"].as_str().unwrap_or_default()
}

/// Why a call was refused, for the log and the payment's `last_error`.
fn refused(call: &str, http: u16, answer: &Value) -> PaymentError {
    PaymentError::Provider(format!(
        "midtrans {call}: HTTP {http}, status {} ({})",
        code_of(answer),
        answer["status_message"].as_str().unwrap_or_default()
    ))
}

/// The body of a Core API charge through `channel` (Charge Transactions; the objects
/// `bank_transfer`, `echannel`, `qris`, `gopay` and `custom_expiry`).
fn charge_body(charge: &Charge, channel: Channel) -> Value {
    let mut body = json!({
        "payment_type": channel.payment_type(),
        "transaction_details": {
            "order_id": charge.reference,
            "gross_amount": charge.amount,
        },
        "custom_expiry": {
            "expiry_duration": charge.expiry_minutes,
            "unit": "minute",
        },
    });
    match channel {
        Channel::Qris => body["qris"] = json!({ "acquirer": "gopay" }),
        Channel::Gopay => {
            body["gopay"] = json!({
                "enable_callback": !charge.return_url.is_empty(),
                "callback_url": charge.return_url,
            })
        }
        Channel::Mandiri => {
            body["echannel"] = json!({
                "bill_info1": "Pesanan",
                "bill_info2": charge.order_code,
            })
        }
        Channel::Bca | Channel::Bni | Channel::Bri | Channel::Permata => {
            body["bank_transfer"] = json!({ "bank": channel.bank() })
        }
    }
    body
}

/// What the buyer does to pay, from a charge's answer: `qr_string` (QRIS), `va_numbers`
/// (BCA, BNI, BRI) or `permata_va_number`, `biller_code` and `bill_key` (Mandiri), the
/// `deeplink-redirect` action (GoPay). None when the answer lacks them.
fn instructions(channel: Channel, answer: &Value) -> Option<Instructions> {
    let text = |v: &Value| {
        v.as_str()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let va_number = || {
        let numbers = answer["va_numbers"].as_array()?;
        numbers
            .iter()
            .find(|n| n["bank"].as_str() == channel.bank())
            .or_else(|| numbers.first())
            .and_then(|n| text(&n["va_number"]))
    };
    match channel {
        Channel::Qris => Some(Instructions::Qr {
            qr_string: text(&answer["qr_string"])?,
        }),
        Channel::Bca | Channel::Bni | Channel::Bri | Channel::Permata => {
            let number = if channel == Channel::Permata {
                text(&answer["permata_va_number"]).or_else(va_number)
            } else {
                va_number()
            };
            Some(Instructions::VirtualAccount {
                bank: channel.bank().unwrap_or_default().to_string(),
                number: number?,
            })
        }
        Channel::Mandiri => Some(Instructions::Bill {
            biller_code: text(&answer["biller_code"])?,
            bill_key: text(&answer["bill_key"])?,
        }),
        Channel::Gopay => {
            let deeplink = answer["actions"]
                .as_array()?
                .iter()
                .find(|a| a["name"].as_str() == Some("deeplink-redirect"))
                .and_then(|a| text(&a["url"]))?;
            let qr = text(&answer["qr_string"]).unwrap_or_else(|| deeplink.clone());
            Some(Instructions::Gopay { deeplink, qr })
        }
    }
}

impl Midtrans {
    pub fn new(settings: &MidtransSettings) -> Result<Self, PaymentError> {
        Ok(Self {
            server_key: settings.server_key.clone(),
            api_base: settings.api_base.trim_end_matches('/').to_string(),
            tls: Arc::new(tls_config()?),
        })
    }

    fn client(&self) -> awc::Client {
        awc::Client::builder()
            .connector(awc::Connector::new().rustls_0_23(self.tls.clone()))
            .timeout(Duration::from_secs(20))
            .finish()
    }

    /// One call to `path` under the API base, with Basic auth (the server key and an empty
    /// password) and `body` as JSON when given: the HTTP status and the JSON answer (null when
    /// it is not JSON).
    async fn call(
        &self,
        post: bool,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(u16, Value), PaymentError> {
        let url = format!("{}{path}", self.api_base);
        let client = self.client();
        let req = if post {
            client.post(url)
        } else {
            client.get(url)
        };
        let req = req
            .basic_auth(&self.server_key, "")
            .insert_header(("Accept", "application/json"));
        let sent = match body {
            Some(body) => req.send_json(body).await,
            None => req.send().await,
        };
        let mut res = sent.map_err(|e| PaymentError::Provider(format!("midtrans: {e}")))?;
        let status = res.status().as_u16();
        let bytes = res
            .body()
            .limit(1 << 20)
            .await
            .map_err(|e| PaymentError::Provider(format!("midtrans answer: {e}")))?;
        Ok((
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        ))
    }

    /// The order id of a notification whose `signature_key` is right (checked in constant
    /// time before anything else of it is read); else why it is refused.
    pub fn verify_notification(&self, body: &[u8]) -> Result<String, PaymentError> {
        #[derive(serde::Deserialize)]
        struct Signed {
            order_id: String,
            status_code: String,
            gross_amount: String,
            signature_key: String,
        }
        let signed: Signed = serde_json::from_slice(body)
            .map_err(|_| PaymentError::BadWebhook("not a Midtrans notification".into()))?;
        let expected = midtrans::signature(
            &signed.order_id,
            &signed.status_code,
            &signed.gross_amount,
            &self.server_key,
        );
        if !midtrans::signature_matches(&expected, &signed.signature_key) {
            return Err(PaymentError::BadWebhook("bad signature".into()));
        }
        Ok(signed.order_id)
    }

    /// The transaction `order_id` as Midtrans has it now (Get Transaction Status); None when
    /// Midtrans knows no such transaction (or the id is not one the shop could have made).
    pub async fn status(&self, order_id: &str) -> Result<Option<Transaction>, PaymentError> {
        if !midtrans::plain_order_id(order_id) {
            return Ok(None);
        }
        let (http, answer) = self
            .call(false, &format!("/v2/{order_id}/status"), None)
            .await?;
        if http == 404 || code_of(&answer) == "404" {
            return Ok(None);
        }
        if !(200..300).contains(&http) || answer["transaction_status"].is_null() {
            return Err(refused("status", http, &answer));
        }
        serde_json::from_value(answer)
            .map(Some)
            .map_err(|e| PaymentError::Provider(format!("midtrans status: {e}")))
    }

    /// Asks Midtrans to `action` (`cancel` or `expire`) transaction `order_id`; true when it
    /// did.
    async fn close(&self, order_id: &str, action: &str) -> Result<bool, PaymentError> {
        let (http, answer) = self
            .call(true, &format!("/v2/{order_id}/{action}"), None)
            .await?;
        // Cancel answers "200"; expire "407" ("transaction has expired").
        let done = match action {
            "expire" => matches!(code_of(&answer), "200" | "407"),
            _ => code_of(&answer) == "200",
        };
        if !done {
            tracing::info!(%order_id, http, answer = %answer, action, "midtrans refused");
        }
        Ok((200..300).contains(&http) && done)
    }
}

impl PaymentProvider for Midtrans {
    fn method(&self) -> PaymentMethod {
        PaymentMethod::Midtrans
    }

    /// Charges through the channel the buyer chose, payable until the order's hold ends
    /// (`custom_expiry`).
    fn start<'a>(
        &'a self,
        charge: &'a Charge,
    ) -> LocalBoxFuture<'a, Result<Started, PaymentError>> {
        Box::pin(async move {
            let channel = charge
                .channel
                .ok_or_else(|| PaymentError::Provider("midtrans: no channel chosen".into()))?;
            let body = charge_body(charge, channel);
            let (http, answer) = self.call(true, "/v2/charge", Some(&body)).await?;
            if !(200..300).contains(&http) || !matches!(code_of(&answer), "200" | "201") {
                return Err(refused("charge", http, &answer));
            }
            let instructions = instructions(channel, &answer).ok_or_else(|| {
                PaymentError::Provider("midtrans charge: no payment details in the answer".into())
            })?;
            Ok(Started::Charged {
                reference: charge.reference.clone(),
                channel,
                instructions,
            })
        })
    }

    /// Refunds through the Refund API; Midtrans applies one `refund_key` once. Only QRIS and
    /// GoPay payments can be refunded so (`Channel::refunds_through_api`): the refund
    /// workflow sends the others back by hand.
    fn refund<'a>(
        &'a self,
        reference: &'a str,
        amount: i64,
        idempotency_key: &'a str,
    ) -> LocalBoxFuture<'a, Result<String, PaymentError>> {
        Box::pin(async move {
            if !midtrans::plain_order_id(reference) {
                return Err(PaymentError::Provider(format!(
                    "midtrans refund: `{reference}` is not a charge of this shop"
                )));
            }
            let body = json!({
                "refund_key": idempotency_key,
                "amount": amount,
                "reason": "Pengembalian dana pesanan",
            });
            let (http, answer) = self
                .call(true, &format!("/v2/{reference}/refund"), Some(&body))
                .await?;
            if !(200..300).contains(&http) || code_of(&answer) != "200" {
                return Err(refused("refund", http, &answer));
            }
            Ok(answer["refund_key"]
                .as_str()
                .filter(|k| !k.is_empty())
                .unwrap_or(idempotency_key)
                .to_string())
        })
    }

    /// Cancels the charge, or expires it when Midtrans will not cancel it. One that is already
    /// closed (cancelled, expired, refused) or unknown counts as closed; one that was paid
    /// meanwhile does not (its notification flags the money for refund).
    fn void<'a>(&'a self, reference: &'a str) -> LocalBoxFuture<'a, Result<(), PaymentError>> {
        Box::pin(async move {
            if !midtrans::plain_order_id(reference) {
                return Ok(());
            }
            if self.close(reference, "cancel").await? || self.close(reference, "expire").await? {
                return Ok(());
            }
            match self.status(reference).await? {
                None => Ok(()),
                Some(t)
                    if matches!(
                        t.transaction_status.as_str(),
                        "cancel" | "expire" | "deny" | "failure"
                    ) =>
                {
                    Ok(())
                }
                Some(t) => Err(PaymentError::Provider(format!(
                    "midtrans: the charge is {} and cannot be closed",
                    t.transaction_status
                ))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_channel_asks_for_its_own_payment_type_and_expires_with_the_order() {
        let charge = Charge {
            order_code: "ETL-7Q2KX8MA".into(),
            amount: 125_000,
            reference: "ETL-7Q2KX8MA-1".into(),
            channel: Some(Channel::Bca),
            expiry_minutes: 1440,
            return_url: "https://etalase.id/pesanan/abc".into(),
        };
        let bca = charge_body(&charge, Channel::Bca);
        assert_eq!(bca["payment_type"], "bank_transfer");
        assert_eq!(bca["bank_transfer"]["bank"], "bca");
        assert_eq!(bca["transaction_details"]["order_id"], "ETL-7Q2KX8MA-1");
        assert_eq!(bca["transaction_details"]["gross_amount"], 125_000);
        assert_eq!(bca["custom_expiry"]["expiry_duration"], 1440);
        assert_eq!(bca["custom_expiry"]["unit"], "minute");
        assert_eq!(
            charge_body(&charge, Channel::Mandiri)["payment_type"],
            "echannel"
        );
        assert_eq!(
            charge_body(&charge, Channel::Qris)["qris"]["acquirer"],
            "gopay"
        );
        let gopay = charge_body(&charge, Channel::Gopay);
        assert_eq!(
            gopay["gopay"]["callback_url"],
            "https://etalase.id/pesanan/abc"
        );
    }

    #[test]
    fn the_answer_of_each_channel_gives_the_buyer_what_to_pay_with() {
        let va = json!({"status_code": "201",
            "va_numbers": [{"bank": "bca", "va_number": "12345678901"}]});
        assert_eq!(
            instructions(Channel::Bca, &va),
            Some(Instructions::VirtualAccount {
                bank: "bca".into(),
                number: "12345678901".into()
            })
        );
        let permata = json!({"status_code": "201", "permata_va_number": "263001000000000"});
        assert!(matches!(
            instructions(Channel::Permata, &permata),
            Some(Instructions::VirtualAccount { number, .. }) if number == "263001000000000"
        ));
        let bill = json!({"status_code": "201", "bill_key": "778899", "biller_code": "70012"});
        assert_eq!(
            instructions(Channel::Mandiri, &bill),
            Some(Instructions::Bill {
                biller_code: "70012".into(),
                bill_key: "778899".into()
            })
        );
        let deeplink = "gojek://gopay/merchanttransfer?tref=1";
        let gopay = json!({"status_code": "201", "actions": [
            {"name": "generate-qr-code", "method": "GET", "url": "https://x/qr-code"},
            {"name": "deeplink-redirect", "method": "GET", "url": deeplink}
        ]});
        assert_eq!(
            instructions(Channel::Gopay, &gopay),
            Some(Instructions::Gopay {
                deeplink: deeplink.into(),
                qr: deeplink.into()
            })
        );
        // An answer without the details is no charge the buyer can pay.
        assert_eq!(
            instructions(Channel::Qris, &json!({"status_code": "201"})),
            None
        );
        assert_eq!(instructions(Channel::Bni, &json!({"va_numbers": []})), None);
    }

    #[test]
    fn a_notification_is_read_only_with_the_right_signature() {
        let provider = Midtrans::new(&MidtransSettings {
            server_key: "SB-Mid-server-right".into(),
            api_base: "http://127.0.0.1:9".into(),
        })
        .unwrap();
        let body = |key: &str| {
            json!({
                "order_id": "ETL-7Q2KX8MA-1", "status_code": "200",
                "gross_amount": "125000.00", "transaction_status": "settlement",
                "signature_key": midtrans::signature("ETL-7Q2KX8MA-1", "200", "125000.00", key),
            })
            .to_string()
        };
        assert_eq!(
            provider
                .verify_notification(body("SB-Mid-server-right").as_bytes())
                .unwrap(),
            "ETL-7Q2KX8MA-1"
        );
        assert!(matches!(
            provider.verify_notification(body("SB-Mid-server-forged").as_bytes()),
            Err(PaymentError::BadWebhook(m)) if m == "bad signature"
        ));
        assert!(matches!(
            provider.verify_notification(b"order_id=1"),
            Err(PaymentError::BadWebhook(_))
        ));
    }
}
