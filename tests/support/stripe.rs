//! Stripe for tests: localstripe (PyPI), started by `scripts/test` at `LOCALSTRIPE_URL`, behind
//! a small relay of our own. localstripe leaves out fields that async-stripe requires (a
//! PaymentIntent's `amount_capturable`, `amount_received`, `confirmation_method`,
//! `payment_method_types`; an event's `pending_webhooks`), expands `latest_charge` where Stripe
//! sends an id, and has no Checkout Sessions (the shop uses PaymentIntents, so none are
//! needed). The relay fills those gaps in both directions:
//! - API calls from the app go through it to localstripe, and the answers come back completed;
//! - localstripe's webhooks go through it to the app, completed and signed again with the same
//!   signing secret, so the app verifies every signature for real.
//!
//! The test also plays Stripe.js: it attaches a test card to the PaymentIntent and confirms it
//! on localstripe, as the Payment Element would in the buyer's browser.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

pub const SECRET_KEY: &str = "sk_test_etalase";
pub const PUBLISHABLE_KEY: &str = "pk_test_etalase";

/// localstripe's address; the tests that need it fail loudly without it.
pub fn localstripe_url() -> String {
    std::env::var("LOCALSTRIPE_URL").unwrap_or_else(|_| {
        panic!(
            "LOCALSTRIPE_URL is not set: run the tests with ./scripts/test, which starts \
             localstripe (pip install localstripe)"
        )
    })
}

#[derive(Default)]
struct Shared {
    /// Where webhooks go (the app's `/webhook/stripe`).
    target: Option<String>,
    /// Every completed event payload passed on, for replay tests.
    delivered: Vec<String>,
    /// The id of this relay's webhook at localstripe, once registered.
    webhook_id: Option<String>,
}

pub struct StripeRelay {
    pub address: String,
    pub localstripe: String,
    pub webhook_secret: String,
    shared: Arc<Mutex<Shared>>,
    client: awc::Client,
}

/// Adds what async-stripe requires and localstripe leaves out, in every object of a payload.
pub fn fill_gaps(value: &mut Value) {
    match value {
        Value::Array(items) => items.iter_mut().for_each(fill_gaps),
        Value::Object(map) => {
            for child in map.values_mut() {
                fill_gaps(child);
            }
            match map.get("object").and_then(Value::as_str) {
                Some("event") => {
                    map.entry("pending_webhooks").or_insert(json!(0));
                }
                Some("payment_intent") => {
                    let succeeded = map.get("status").and_then(Value::as_str) == Some("succeeded");
                    let amount = map.get("amount").cloned().unwrap_or(json!(0));
                    map.entry("amount_capturable").or_insert(json!(0));
                    map.entry("amount_received").or_insert(if succeeded {
                        amount
                    } else {
                        json!(0)
                    });
                    map.entry("confirmation_method")
                        .or_insert(json!("automatic"));
                    map.entry("payment_method_types").or_insert(json!(["card"]));
                    // Stripe sends the charge's id here unless asked to expand it.
                    if let Some(charge) = map.get("latest_charge").and_then(|c| c.get("id")) {
                        let id = charge.clone();
                        map.insert("latest_charge".into(), id);
                    }
                    map.remove("charges");
                    map.remove("next_action");
                    if let Some(Value::Object(error)) = map.get_mut("last_payment_error") {
                        error.entry("type").or_insert(json!("card_error"));
                        if let Some(charge) = error.get("charge").cloned() {
                            if !charge.is_string() {
                                error.remove("charge");
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

async fn forward_api(
    req: HttpRequest,
    body: web::Bytes,
    relay: web::Data<RelayState>,
    client: web::Data<awc::Client>,
) -> HttpResponse {
    let url = format!(
        "{}{}{}",
        relay.localstripe,
        req.path(),
        if req.query_string().is_empty() {
            String::new()
        } else {
            format!("?{}", req.query_string())
        }
    );
    let mut out = client.request(req.method().clone(), url);
    for name in [
        "authorization",
        "content-type",
        "idempotency-key",
        "stripe-version",
    ] {
        if let Some(v) = req.headers().get(name) {
            out = out.insert_header((name, v.clone()));
        }
    }
    let mut res = match out.send_body(body).await {
        Ok(res) => res,
        Err(e) => return HttpResponse::BadGateway().body(format!("localstripe: {e}")),
    };
    let status = res.status();
    let bytes = res.body().limit(4 << 20).await.unwrap_or_default();
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut v) => {
            fill_gaps(&mut v);
            v.to_string()
        }
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    };
    HttpResponse::build(status)
        .content_type("application/json")
        .body(body)
}

async fn forward_webhook(
    body: web::Bytes,
    relay: web::Data<RelayState>,
    client: web::Data<awc::Client>,
) -> HttpResponse {
    let Ok(mut event) = serde_json::from_slice::<Value>(&body) else {
        return HttpResponse::BadRequest().finish();
    };
    fill_gaps(&mut event);
    let payload = event.to_string();
    let target = {
        let mut shared = relay.shared.lock().unwrap();
        shared.delivered.push(payload.clone());
        shared.target.clone()
    };
    let Some(target) = target else {
        return HttpResponse::ServiceUnavailable().finish();
    };
    let signature = stripe_webhook::Webhook::generate_test_header(&payload, &relay.secret, None);
    match client
        .post(target)
        .insert_header(("Stripe-Signature", signature))
        .insert_header(("Content-Type", "application/json"))
        .send_body(payload)
        .await
    {
        Ok(res) => HttpResponse::build(res.status()).finish(),
        Err(e) => HttpResponse::BadGateway().body(e.to_string()),
    }
}

struct RelayState {
    localstripe: String,
    secret: String,
    shared: Arc<Mutex<Shared>>,
}

/// localstripe delivers every event to every webhook it knows, one after the other, and has
/// no way to delete one: when a test ends, its webhook is pointed at a closed port, which
/// refuses at once, so the relays of finished tests never hold up the events of running ones.
impl Drop for StripeRelay {
    fn drop(&mut self) {
        use std::io::{Read, Write};
        let Some(id) = self.shared.lock().ok().and_then(|s| s.webhook_id.clone()) else {
            return;
        };
        let Some(host) = self.localstripe.strip_prefix("http://") else {
            return;
        };
        let Ok(mut stream) = std::net::TcpStream::connect(host) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
        let body = "url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&secret=whsec_closed";
        let request = format!(
            "POST /_config/webhooks/{id} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(request.as_bytes()).is_ok() {
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer);
        }
    }
}

impl StripeRelay {
    /// Starts a relay in front of localstripe with a signing secret of its own.
    pub async fn start() -> StripeRelay {
        let localstripe = localstripe_url();
        let webhook_secret = format!("whsec_test_{}", fastrand::u64(..));
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = web::Data::new(RelayState {
            localstripe: localstripe.clone(),
            secret: webhook_secret.clone(),
            shared: shared.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(web::Data::new(awc::Client::default()))
                .app_data(web::PayloadConfig::new(4 << 20))
                .route("/hook", web::post().to(forward_webhook))
                .default_service(web::to(forward_api))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind the Stripe relay");
        let port = server.addrs()[0].port();
        actix_web::rt::spawn(server.run());
        StripeRelay {
            address: format!("http://127.0.0.1:{port}"),
            localstripe,
            webhook_secret,
            shared,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(20))
                .finish(),
        }
    }

    /// The app's Stripe settings: API calls through the relay, Stripe.js from localstripe.
    pub fn settings(&self) -> etalase::services::payments::StripeSettings {
        etalase::services::payments::StripeSettings {
            secret_key: SECRET_KEY.into(),
            publishable_key: PUBLISHABLE_KEY.into(),
            webhook_secret: self.webhook_secret.clone(),
            api_base: Some(self.address.clone()),
            js_url: format!("{}/js.stripe.com/v3/", self.localstripe),
        }
    }

    /// Sends localstripe's webhooks through the relay to `target`.
    pub async fn deliver_to(&self, target: &str) {
        let id = format!("relay{}", fastrand::u64(..));
        {
            let mut shared = self.shared.lock().unwrap();
            shared.target = Some(target.to_string());
            shared.webhook_id = Some(id.clone());
        }
        let res = self
            .client
            .post(format!("{}/_config/webhooks/{id}", self.localstripe))
            .send_form(&[
                ("url", format!("{}/hook", self.address)),
                ("secret", self.webhook_secret.clone()),
            ])
            .await
            .expect("localstripe is reachable");
        assert!(res.status().is_success(), "register the webhook");
    }

    /// Payloads passed on so far.
    pub fn delivered(&self) -> Vec<String> {
        self.shared.lock().unwrap().delivered.clone()
    }

    /// Calls localstripe's API directly (as Stripe.js or the dashboard would).
    pub async fn api(&self, method: &str, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let url = format!("{}{path}", self.localstripe);
        let req = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url),
        }
        .insert_header(("Authorization", format!("Bearer {SECRET_KEY}")));
        let mut res = if method == "GET" {
            req.send().await
        } else {
            req.send_form(&form).await
        }
        .expect("localstripe answers");
        let status = res.status().as_u16();
        let body: Value = res.json().limit(4 << 20).await.unwrap_or(Value::Null);
        (status, body)
    }

    /// What the buyer's browser does on the order page: a card attached to the PaymentIntent
    /// behind `client_secret`, then confirmed. Gives the PaymentIntent's id.
    pub async fn pay(&self, client_secret: &str, card_number: &str) -> String {
        let intent = client_secret
            .split("_secret_")
            .next()
            .expect("a client secret names its intent")
            .to_string();
        let (status, pm) = self
            .api(
                "POST",
                "/v1/payment_methods",
                &[
                    ("type", "card"),
                    ("card[number]", card_number),
                    ("card[exp_month]", "12"),
                    ("card[exp_year]", "2030"),
                    ("card[cvc]", "123"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{pm}");
        let pm = pm["id"].as_str().expect("a payment method id").to_string();
        let (status, body) = self
            .api(
                "POST",
                &format!("/v1/payment_intents/{intent}"),
                &[("payment_method", &pm)],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        // A declined card answers 402 here; the webhook tells the shop either way.
        self.api(
            "POST",
            &format!("/v1/payment_intents/{intent}/confirm"),
            &[],
        )
        .await;
        intent
    }

    /// Signs `payload` with the app's secret, as Stripe would, and posts it to the app.
    pub async fn post_signed(&self, app_url: &str, payload: &str) -> (u16, Value) {
        let signature =
            stripe_webhook::Webhook::generate_test_header(payload, &self.webhook_secret, None);
        self.post_raw(app_url, payload, Some(&signature)).await
    }

    pub async fn post_raw(
        &self,
        app_url: &str,
        payload: &str,
        signature: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .post(app_url)
            .insert_header(("Content-Type", "application/json"));
        if let Some(signature) = signature {
            req = req.insert_header(("Stripe-Signature", signature));
        }
        let mut res = req
            .send_body(payload.to_string())
            .await
            .expect("the app answers");
        let status = res.status().as_u16();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        (status, body)
    }
}
