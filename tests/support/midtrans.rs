//! Midtrans for tests: a fake of its Core API and of its HTTP notifications, started in this
//! process on a free port. Midtrans' sandbox cannot be reached from here, so the fake is built
//! from the public API reference (docs.midtrans.com); each request and answer it handles names
//! the page it follows. It
//! - checks the Basic auth of every call: the server key as user name, an empty password;
//! - keeps charges in memory and answers charge, status, cancel, expire and refund as the
//!   reference describes (Midtrans writes its outcome in the body's `status_code`);
//! - sends the app signed notifications when the test says money arrived or a charge expired,
//!   and on demand replays, forged signatures, wrong amounts and unknown orders.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha512};

/// The sandbox-style server key the app is configured with.
pub const SERVER_KEY: &str = "SB-Mid-server-etalase-test";

/// The biller (company) code of Mandiri bill payments in the reference's examples.
pub const BILLER_CODE: &str = "70012";

/// One charge as the fake keeps it.
#[derive(Debug, Clone)]
pub struct FakeCharge {
    pub order_id: String,
    pub transaction_id: String,
    pub payment_type: String,
    /// The virtual account's bank (`bank_transfer.bank`).
    pub bank: Option<String>,
    /// What was asked, in rupiah (`transaction_details.gross_amount`).
    pub gross_amount: i64,
    /// What arrived, when not what was asked (the status call reports it).
    pub paid_amount: Option<i64>,
    /// `transaction_status`: pending, settlement, cancel, expire, refund, partial_refund.
    pub status: String,
    /// `custom_expiry.expiry_duration` in minutes, as asked.
    pub expiry_minutes: Option<i64>,
    pub va_number: String,
    pub bill_key: String,
    pub qr_string: String,
    pub deeplink: String,
    /// Refunds made: (refund_key, amount).
    pub refunds: Vec<(String, i64)>,
    pub transaction_time: String,
}

impl FakeCharge {
    /// The amount the status call and notifications report.
    fn reported_amount(&self) -> i64 {
        self.paid_amount.unwrap_or(self.gross_amount)
    }
}

#[derive(Default)]
struct Shared {
    server_key: String,
    charges: BTreeMap<String, FakeCharge>,
    /// Calls refused for want of the right Basic auth.
    unauthorized: usize,
    /// Every call received: `METHOD /path`.
    calls: Vec<String>,
    /// When set, the status call answers 500 (Midtrans unreachable for a moment).
    status_down: bool,
    next: u64,
}

/// The fake, and the client that sends its notifications to the app.
pub struct FakeMidtrans {
    pub address: String,
    pub server_key: String,
    shared: Arc<Mutex<Shared>>,
    client: awc::Client,
    /// The app's `/webhook/midtrans`.
    target: RefCell<Option<String>>,
}

/// `YYYY-MM-DD HH:MM:SS` in Jakarta time, as Midtrans writes `transaction_time`.
fn now_text() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// SHA-512 of the four fields and the key, in lowercase hex: written here on its own (not the
/// app's function), so a mistake in the app's check cannot hide behind the same mistake.
fn sign(order_id: &str, status_code: &str, gross_amount: &str, key: &str) -> String {
    let digest = Sha512::digest(format!("{order_id}{status_code}{gross_amount}{key}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `status_code` Midtrans gives each transaction status in notifications and status
/// answers (Transaction Status, and Status Codes: 200 success, 201 pending, 202 denied or
/// expired).
fn status_code_of(status: &str) -> &'static str {
    match status {
        "pending" => "201",
        "deny" | "expire" | "failure" => "202",
        _ => "200",
    }
}

/// A Midtrans error answer: the HTTP status and the body's `status_code` agree.
fn error(code: u16, message: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(code).unwrap())
        .json(json!({"status_code": code.to_string(), "status_message": message}))
}

struct State {
    shared: Arc<Mutex<Shared>>,
}

/// Checks `Authorization: Basic base64(server_key + ":")` (API reference, "Authorization"
/// under Overview / HTTP(S) Header). A wrong or missing key answers 401 as Midtrans does.
#[allow(clippy::result_large_err)] // a test server's refusal, built once per bad request
fn authorized(req: &HttpRequest, state: &State) -> Result<(), HttpResponse> {
    let mut shared = state.shared.lock().unwrap();
    shared
        .calls
        .push(format!("{} {}", req.method(), req.path()));
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:", shared.server_key))
    );
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if given == expected {
        Ok(())
    } else {
        shared.unauthorized += 1;
        Err(error(
            401,
            "Access denied due to unauthorized transaction, please check client or server key",
        ))
    }
}

/// The fields every transaction answer and notification shares (Get Transaction Status;
/// HTTP(S) Notification / Webhooks, "Sample notification" per payment method), with the
/// method's own: `va_numbers` or `permata_va_number`, `bill_key` and `biller_code`, `acquirer`.
fn transaction_json(charge: &FakeCharge, key: &str) -> Value {
    let gross = format!("{}.00", charge.reported_amount());
    let code = status_code_of(&charge.status);
    let mut v = json!({
        "transaction_time": charge.transaction_time,
        "transaction_status": charge.status,
        "transaction_id": charge.transaction_id,
        "status_message": "midtrans payment notification",
        "status_code": code,
        "signature_key": sign(&charge.order_id, code, &gross, key),
        "payment_type": charge.payment_type,
        "order_id": charge.order_id,
        "merchant_id": "G000000000",
        "gross_amount": gross,
        "fraud_status": "accept",
        "currency": "IDR",
    });
    match (charge.payment_type.as_str(), charge.bank.as_deref()) {
        ("bank_transfer", Some("permata")) => {
            v["permata_va_number"] = json!(charge.va_number);
        }
        ("bank_transfer", Some(bank)) => {
            v["va_numbers"] = json!([{"bank": bank, "va_number": charge.va_number}]);
        }
        ("echannel", _) => {
            v["bill_key"] = json!(charge.bill_key);
            v["biller_code"] = json!(BILLER_CODE);
        }
        ("qris", _) => v["acquirer"] = json!("gopay"),
        _ => {}
    }
    if charge.status == "settlement" || charge.status.contains("refund") {
        v["settlement_time"] = json!(charge.transaction_time);
    }
    if !charge.refunds.is_empty() {
        let refunded: i64 = charge.refunds.iter().map(|(_, a)| a).sum();
        v["refund_amount"] = json!(format!("{refunded}.00"));
        v["refunds"] = charge
            .refunds
            .iter()
            .enumerate()
            .map(|(i, (key, amount))| {
                json!({"refund_chargeback_id": i + 1, "refund_amount": format!("{amount}.00"),
                    "created_at": charge.transaction_time, "reason": "", "refund_key": key})
            })
            .collect();
    }
    v
}

/// `POST /v2/charge` (Core API: Charge Transactions; the payment-method pages "Bank
/// Transfer", "QRIS" and "E-Wallet" for each `payment_type`'s request object and answer;
/// "Custom Expiry" for `custom_expiry`). Answers `status_code` "201" with what the buyer pays
/// with; an `order_id` used before answers "406" (Midtrans never takes one twice).
async fn charge(req: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    if let Err(refused) = authorized(&req, &state) {
        return refused;
    }
    let Ok(asked) = serde_json::from_slice::<Value>(&body) else {
        return error(400, "Bad request: the body is not JSON");
    };
    let order_id = asked["transaction_details"]["order_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(gross) = asked["transaction_details"]["gross_amount"]
        .as_i64()
        .filter(|g| *g > 0)
    else {
        return error(400, "transaction_details.gross_amount is required");
    };
    if order_id.is_empty() || order_id.len() > 50 {
        return error(400, "transaction_details.order_id is required");
    }
    let payment_type = asked["payment_type"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let bank = asked["bank_transfer"]["bank"].as_str().map(str::to_string);
    match (payment_type.as_str(), bank.as_deref()) {
        ("bank_transfer", Some("bca" | "bni" | "bri" | "permata"))
        | ("echannel", _)
        | ("qris", _)
        | ("gopay", _) => {}
        _ => return error(400, "Payment type or bank is not supported"),
    }
    if payment_type == "echannel"
        && (asked["echannel"]["bill_info1"].as_str().is_none()
            || asked["echannel"]["bill_info2"].as_str().is_none())
    {
        return error(400, "echannel.bill_info1 and bill_info2 are required");
    }
    let mut shared = state.shared.lock().unwrap();
    if shared.charges.contains_key(&order_id) {
        return error(
            406,
            "The request could not be completed due to a conflict with the current state of \
             the target resource, please try again",
        );
    }
    shared.next += 1;
    let n = shared.next;
    let transaction_id = format!("{n:08x}-5b6a-401e-894b-{:012x}", fastrand::u64(..) >> 16);
    let charge = FakeCharge {
        order_id: order_id.clone(),
        transaction_id: transaction_id.clone(),
        payment_type: payment_type.clone(),
        bank: bank.clone(),
        gross_amount: gross,
        paid_amount: None,
        status: "pending".into(),
        expiry_minutes: asked["custom_expiry"]["expiry_duration"].as_i64(),
        va_number: match bank.as_deref() {
            Some("permata") => format!("8562{n:011}"),
            Some("bca") => format!("12345{n:06}"),
            _ => format!("988{n:013}"),
        },
        bill_key: format!("{n:012}"),
        // A QRIS payload (EMVCo tags) naming this charge and its amount.
        qr_string: format!(
            "00020101021226620014COM.GO-JEK.WWW01189360091430000{n:05}\
             5204581253033605405{gross}5802ID5907ETALASE6007JAKARTA6304ABCD"
        ),
        deeplink: format!(
            "gojek://gopay/merchanttransfer?tref={transaction_id}&amount={gross}&activity=GP:RR"
        ),
        refunds: Vec::new(),
        transaction_time: now_text(),
    };
    let key = shared.server_key.clone();
    shared.charges.insert(order_id, charge.clone());
    let mut answer = transaction_json(&charge, &key);
    // A charge's answer carries no signature and says what was created.
    answer.as_object_mut().unwrap().remove("signature_key");
    answer["status_code"] = json!("201");
    answer["status_message"] = json!(match payment_type.as_str() {
        "qris" => "QRIS transaction is created",
        "gopay" => "GoPay transaction is created",
        _ => "Success, Bank Transfer transaction is created",
    });
    let api = "https://api.sandbox.midtrans.com/v2";
    match payment_type.as_str() {
        "qris" => {
            let qr = format!("{api}/qris/{transaction_id}/qr-code");
            answer["actions"] = json!([{"name": "generate-qr-code", "method": "GET", "url": qr}]);
            answer["qr_string"] = json!(charge.qr_string);
        }
        "gopay" => {
            // E-Wallet: GoPay's answer names the QR code only as an image address.
            let (qr, status_url, cancel_url) = (
                format!("{api}/gopay/{transaction_id}/qr-code"),
                format!("{api}/{transaction_id}/status"),
                format!("{api}/{transaction_id}/cancel"),
            );
            answer["actions"] = json!([
                {"name": "generate-qr-code", "method": "GET", "url": qr},
                {"name": "deeplink-redirect", "method": "GET", "url": charge.deeplink},
                {"name": "get-status", "method": "GET", "url": status_url},
                {"name": "cancel", "method": "POST", "url": cancel_url}
            ]);
        }
        _ => {}
    }
    HttpResponse::Ok().json(answer)
}

/// `GET /v2/{order_id}/status` (Get Transaction Status): the transaction as it stands, or
/// "404" ("Transaction doesn't exist.").
async fn status(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    if let Err(refused) = authorized(&req, &state) {
        return refused;
    }
    let order_id = req.match_info().get("order_id").unwrap_or_default();
    let shared = state.shared.lock().unwrap();
    if shared.status_down {
        return error(500, "Sorry, we encountered internal server error");
    }
    match shared.charges.get(order_id) {
        Some(charge) => {
            let mut v = transaction_json(charge, &shared.server_key);
            v["status_message"] = json!("Success, transaction is found");
            HttpResponse::Ok().json(v)
        }
        None => error(404, "Transaction doesn't exist."),
    }
}

/// `POST /v2/{order_id}/cancel` (Cancel Transaction): a pending (or captured) charge becomes
/// `cancel`, answer "200"; any other answers "412" ("Merchant cannot modify the status of the
/// transaction").
async fn cancel(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    close(req, state, "cancel").await
}

/// `POST /v2/{order_id}/expire` (Expire Transaction): a pending charge becomes `expire`,
/// answer "407" ("Success, transaction has expired"); any other answers "412".
async fn expire(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    close(req, state, "expire").await
}

async fn close(req: HttpRequest, state: web::Data<State>, action: &str) -> HttpResponse {
    if let Err(refused) = authorized(&req, &state) {
        return refused;
    }
    let order_id = req.match_info().get("order_id").unwrap_or_default();
    let mut shared = state.shared.lock().unwrap();
    let key = shared.server_key.clone();
    let Some(charge) = shared.charges.get_mut(order_id) else {
        return error(404, "Transaction doesn't exist.");
    };
    let allowed = match action {
        "cancel" => matches!(charge.status.as_str(), "pending" | "capture"),
        _ => charge.status == "pending",
    };
    if !allowed {
        return error(412, "Merchant cannot modify the status of the transaction");
    }
    charge.status = action.to_string();
    let mut v = transaction_json(charge, &key);
    v.as_object_mut().unwrap().remove("signature_key");
    if action == "cancel" {
        v["status_code"] = json!("200");
        v["status_message"] = json!("Success, transaction is canceled");
    } else {
        v["status_code"] = json!("407");
        v["status_message"] = json!("Success, transaction has expired");
    }
    HttpResponse::Ok().json(v)
}

/// `POST /v2/{order_id}/refund` (Refund Transaction): for a settled QRIS or GoPay charge
/// (the Refund API takes no bank transfer), `refund_key` identifies the refund: the same key
/// again answers the same refund without a second one. Body: `refund_key`, `amount` (default
/// the whole), `reason`. Answers "200" with `refund_chargeback_id`, `refund_amount`,
/// `refund_key`; a charge that cannot be refunded "412".
async fn refund(req: HttpRequest, body: web::Bytes, state: web::Data<State>) -> HttpResponse {
    if let Err(refused) = authorized(&req, &state) {
        return refused;
    }
    let asked: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let order_id = req.match_info().get("order_id").unwrap_or_default();
    let mut shared = state.shared.lock().unwrap();
    let Some(charge) = shared.charges.get_mut(order_id) else {
        return error(404, "Transaction doesn't exist.");
    };
    let refund_key = asked["refund_key"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| format!("midtrans-{}", charge.refunds.len() + 1));
    let answer = |charge: &FakeCharge, id: usize, amount: i64| {
        json!({
            "status_code": "200",
            "status_message": "Success, refund request is approved",
            "transaction_id": charge.transaction_id,
            "order_id": charge.order_id,
            "gross_amount": format!("{}.00", charge.gross_amount),
            "currency": "IDR",
            "payment_type": charge.payment_type,
            "transaction_time": charge.transaction_time,
            "transaction_status": charge.status,
            "refund_chargeback_id": id,
            "refund_amount": format!("{amount}.00"),
            "refund_key": charge.refunds[id - 1].0,
        })
    };
    if let Some(i) = charge.refunds.iter().position(|(k, _)| *k == refund_key) {
        let amount = charge.refunds[i].1;
        return HttpResponse::Ok().json(answer(charge, i + 1, amount));
    }
    if !matches!(
        charge.payment_type.as_str(),
        "qris" | "gopay" | "credit_card"
    ) {
        return error(412, "Payment type is not supported for refund");
    }
    if !matches!(charge.status.as_str(), "settlement" | "partial_refund") {
        return error(412, "Merchant cannot modify the status of the transaction");
    }
    let refunded: i64 = charge.refunds.iter().map(|(_, a)| a).sum();
    let left = charge.reported_amount() - refunded;
    let amount = asked["amount"].as_i64().unwrap_or(left);
    if amount <= 0 || amount > left {
        return error(412, "Refund amount is larger than the transaction amount");
    }
    charge.refunds.push((refund_key, amount));
    charge.status = if amount == left {
        "refund".into()
    } else {
        "partial_refund".into()
    };
    let id = charge.refunds.len();
    HttpResponse::Ok().json(answer(charge, id, amount))
}

impl FakeMidtrans {
    /// Starts the fake with its own server key.
    pub async fn start() -> FakeMidtrans {
        Self::start_with_key(SERVER_KEY).await
    }

    pub async fn start_with_key(server_key: &str) -> FakeMidtrans {
        let shared = Arc::new(Mutex::new(Shared {
            server_key: server_key.to_string(),
            ..Default::default()
        }));
        let state = web::Data::new(State {
            shared: shared.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/v2/charge", web::post().to(charge))
                .route("/v2/{order_id}/status", web::get().to(status))
                .route("/v2/{order_id}/cancel", web::post().to(cancel))
                .route("/v2/{order_id}/expire", web::post().to(expire))
                .route("/v2/{order_id}/refund", web::post().to(refund))
        })
        .workers(1)
        .bind(("127.0.0.1", 0))
        .expect("bind the fake Midtrans");
        let port = server.addrs()[0].port();
        actix_web::rt::spawn(server.run());
        FakeMidtrans {
            address: format!("http://127.0.0.1:{port}"),
            server_key: server_key.to_string(),
            shared,
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            target: RefCell::new(None),
        }
    }

    /// The app's Midtrans settings: the fake's address and server key.
    pub fn settings(&self) -> etalase::config::MidtransSettings {
        etalase::config::MidtransSettings {
            server_key: self.server_key.clone(),
            api_base: self.address.clone(),
        }
    }

    /// Where notifications go (the app's `/webhook/midtrans`), as the Payment Notification URL
    /// of Midtrans' dashboard says.
    pub fn deliver_to(&self, url: &str) {
        *self.target.borrow_mut() = Some(url.to_string());
    }

    /// The charge made under `order_id`.
    pub fn charge(&self, order_id: &str) -> Option<FakeCharge> {
        self.shared.lock().unwrap().charges.get(order_id).cloned()
    }

    /// The charges of an order (`{order code}-{n}`), oldest first.
    pub fn charges_of(&self, order_code: &str) -> Vec<FakeCharge> {
        let prefix = format!("{order_code}-");
        let mut found: Vec<FakeCharge> = self
            .shared
            .lock()
            .unwrap()
            .charges
            .values()
            .filter(|c| c.order_id.starts_with(&prefix))
            .cloned()
            .collect();
        found.sort_by_key(|c| {
            c.order_id
                .rsplit('-')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
        });
        found
    }

    /// How many calls came without the right Basic auth.
    pub fn unauthorized(&self) -> usize {
        self.shared.lock().unwrap().unauthorized
    }

    /// Every call received, as `METHOD /path`.
    pub fn calls(&self) -> Vec<String> {
        self.shared.lock().unwrap().calls.clone()
    }

    /// Makes the status call fail (true) or work again (false).
    pub fn status_down(&self, down: bool) {
        self.shared.lock().unwrap().status_down = down;
    }

    /// Changes charge `order_id` as Midtrans would without being asked (a payment, an expiry),
    /// without telling the app.
    pub fn set(&self, order_id: &str, change: impl FnOnce(&mut FakeCharge)) {
        let mut shared = self.shared.lock().unwrap();
        let charge = shared
            .charges
            .get_mut(order_id)
            .unwrap_or_else(|| panic!("the fake has no charge {order_id}"));
        change(charge);
    }

    /// A charge made at Midtrans by someone else (the dashboard), unknown to the app.
    pub fn add_foreign_charge(&self, order_id: &str, amount: i64) {
        let mut shared = self.shared.lock().unwrap();
        shared.charges.insert(
            order_id.to_string(),
            FakeCharge {
                order_id: order_id.to_string(),
                transaction_id: format!("foreign-{order_id}"),
                payment_type: "qris".into(),
                bank: None,
                gross_amount: amount,
                paid_amount: None,
                status: "settlement".into(),
                expiry_minutes: None,
                va_number: String::new(),
                bill_key: String::new(),
                qr_string: String::new(),
                deeplink: String::new(),
                refunds: Vec::new(),
                transaction_time: now_text(),
            },
        );
    }

    /// The notification Midtrans sends for charge `order_id` as it stands, signed.
    pub fn notification(&self, order_id: &str) -> Value {
        let shared = self.shared.lock().unwrap();
        let charge = shared
            .charges
            .get(order_id)
            .unwrap_or_else(|| panic!("the fake has no charge {order_id}"));
        transaction_json(charge, &shared.server_key)
    }

    /// Posts `body` to the app as Midtrans does (HTTP(S) Notification / Webhooks: a POST with
    /// `Content-Type: application/json`); gives the app's status and JSON answer.
    pub async fn post(&self, body: &Value) -> (u16, Value) {
        self.post_raw(&body.to_string()).await
    }

    pub async fn post_raw(&self, body: &str) -> (u16, Value) {
        let target = self
            .target
            .borrow()
            .clone()
            .expect("deliver_to names the app's webhook first");
        let mut res = self
            .client
            .post(target)
            .insert_header(("Content-Type", "application/json"))
            .send_body(body.to_string())
            .await
            .expect("the app answers");
        let status = res.status().as_u16();
        let answer: Value = res.json().await.unwrap_or(Value::Null);
        (status, answer)
    }

    /// Sends the notification of charge `order_id` as it stands (again: a replay).
    pub async fn notify(&self, order_id: &str) -> (u16, Value) {
        let body = self.notification(order_id);
        self.post(&body).await
    }

    /// The buyer paid charge `order_id` in full: it settles and Midtrans notifies the app.
    pub async fn pay(&self, order_id: &str) -> (u16, Value) {
        self.set(order_id, |c| c.status = "settlement".into());
        self.notify(order_id).await
    }

    /// Charge `order_id` settles for `amount` rupiah (not what was asked), and the app is told.
    pub async fn pay_amount(&self, order_id: &str, amount: i64) -> (u16, Value) {
        self.set(order_id, |c| {
            c.status = "settlement".into();
            c.paid_amount = Some(amount);
        });
        self.notify(order_id).await
    }

    /// Charge `order_id` reaches its `custom_expiry` unpaid, and the app is told.
    pub async fn run_out(&self, order_id: &str) -> (u16, Value) {
        self.set(order_id, |c| c.status = "expire".into());
        self.notify(order_id).await
    }

    /// The notification of charge `order_id` signed with another key than the app's.
    pub async fn notify_forged(&self, order_id: &str) -> (u16, Value) {
        let mut body = self.notification(order_id);
        let forged = sign(
            order_id,
            body["status_code"].as_str().unwrap(),
            body["gross_amount"].as_str().unwrap(),
            "SB-Mid-server-forger",
        );
        body["signature_key"] = json!(forged);
        self.post(&body).await
    }

    /// A notification for charge `order_id`, rightly signed, that claims `status` and
    /// `gross_amount` whatever the charge holds: the app must believe the status call, not it.
    pub async fn notify_claiming(&self, order_id: &str, status: &str, gross: i64) -> (u16, Value) {
        let mut body = self.notification(order_id);
        let code = status_code_of(status);
        let gross = format!("{gross}.00");
        body["transaction_status"] = json!(status);
        body["status_code"] = json!(code);
        body["signature_key"] = json!(sign(order_id, code, &gross, &self.server_key));
        body["gross_amount"] = json!(gross);
        self.post(&body).await
    }

    /// A rightly signed settlement notification for an `order_id` Midtrans never charged.
    pub async fn notify_unknown(&self, order_id: &str, gross: i64) -> (u16, Value) {
        let gross = format!("{gross}.00");
        let body = json!({
            "transaction_time": now_text(),
            "transaction_status": "settlement",
            "transaction_id": "00000000-0000-4000-8000-000000000000",
            "status_message": "midtrans payment notification",
            "status_code": "200",
            "signature_key": sign(order_id, "200", &gross, &self.server_key),
            "payment_type": "qris",
            "order_id": order_id,
            "merchant_id": "G000000000",
            "gross_amount": gross,
            "fraud_status": "accept",
            "currency": "IDR",
        });
        self.post(&body).await
    }
}
