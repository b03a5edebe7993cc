//! Card payments through Stripe (async-stripe against localstripe), webhooks and refunds; the
//! payment settings (the bank accounts buyers transfer into, `/kelola/pembayaran/rekening`).

use crate::support;

use std::time::Duration;

use diesel::prelude::*;
use etalase::db::schema::{mail_outbox, orders, payments, shipments, webhook_events};
use support::shop::{fill_cart, stock_of, to_shipping_step, two_products_of_two_units};
use support::stripe::StripeRelay;
use support::{Browser, TestApp};

async fn stripe_shop() -> (TestApp, StripeRelay) {
    let relay = StripeRelay::start().await;
    let settings = relay.settings();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.stripe = Some(settings)
    })
    .await;
    relay.deliver_to(&app.url("/webhook/stripe")).await;
    (app, relay)
}

/// Places an order for the given lines paid by card; gives the order page's path.
async fn order_by_card(buyer: &mut Browser<'_>, items: &[(i32, i32)]) -> String {
    fill_cart(buyer, items).await;
    let (key, radios) = to_shipping_step(buyer).await;
    let page = buyer.get("/checkout/kirim").await;
    assert!(
        page.body.contains("value=\"kartu\""),
        "card payment is offered when Stripe is configured"
    );
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "kartu")];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    let placed = buyer.post("/checkout/kirim", &fields).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    placed.location()
}

fn order_status(app: &TestApp, code_or_secret: &str) -> String {
    orders::table
        .filter(orders::secret.eq(code_or_secret))
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap()
}

/// Waits until the order behind `path` reaches `status` (webhooks arrive a moment later).
async fn wait_for_status(app: &TestApp, path: &str, status: &str) {
    let secret = path.trim_start_matches("/pesanan/");
    support::eventually(
        &format!("the order to become {status}"),
        Duration::from_secs(20),
        async || {
            let now = order_status(app, secret);
            if now == status {
                Ok(())
            } else {
                Err(format!("it is {now}"))
            }
        },
    )
    .await;
}

fn client_secret_on(page: &support::Page) -> String {
    page.attr_values("data-secret")
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("the order page has a card form: {}", page.body))
}

#[actix_web::test]
async fn a_buyer_pays_by_card_the_signed_webhook_marks_it_paid_and_a_replay_changes_nothing() {
    let (app, relay) = stripe_shop().await;
    let [(a, _, stock_a), (b, _, stock_b)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 2), (b, 1)]).await;
    assert_eq!(stock_of(&app, a), stock_a - 2, "stock is reserved at once");

    let page = buyer.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Bayar Rp"), "{}", page.body);
    assert!(
        !page.body.contains("Transfer tepat"),
        "no bank instructions for a card order"
    );
    assert!(page
        .body
        .contains(&format!("{}/js.stripe.com/v3/", relay.localstripe)));
    let secret = client_secret_on(&page);
    // A second view reuses the same PaymentIntent.
    assert_eq!(client_secret_on(&buyer.get(&path).await), secret);
    let (total, unique_code): (i64, i32) = orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select((orders::total, orders::unique_code))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(unique_code, 0, "card orders carry no transfer code");
    let intent = relay.pay(&secret, "4242424242424242").await;
    let (_, pi) = relay
        .api("GET", &format!("/v1/payment_intents/{intent}"), &[])
        .await;
    assert_eq!(
        pi["amount"].as_i64(),
        Some(total * 100),
        "IDR in hundredths"
    );
    assert_eq!(pi["currency"], "idr");

    wait_for_status(&app, &path, "paid").await;
    let shipment_states: Vec<String> = shipments::table
        .select(shipments::status)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(shipment_states, ["processing", "processing"]);
    let returned = buyer
        .get(&format!(
            "{path}?payment_intent={intent}&redirect_status=succeeded"
        ))
        .await;
    assert!(returned.body.contains("Pembayaran diterima"));
    let paid_mails = || -> i64 {
        mail_outbox::table
            .filter(mail_outbox::subject_id.like("Pembayaran pesanan%"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(paid_mails(), 1);

    // Stripe may send an event twice: the same event id is applied once.
    let ours: Vec<String> = relay
        .delivered()
        .into_iter()
        .filter(|p| p.contains(&intent) && p.contains("payment_intent.succeeded"))
        .collect();
    assert_eq!(ours.len(), 1, "one success event for this intent");
    let (status, body) = relay
        .post_signed(&app.url("/webhook/stripe"), &ours[0])
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["outcome"], "duplicate");
    assert_eq!(paid_mails(), 1, "a replay sends no second mail");
    assert_eq!(stock_of(&app, a), stock_a - 2);
    assert_eq!(stock_of(&app, b), stock_b - 1);
    let events: i64 = webhook_events::table
        .filter(webhook_events::outcome.eq("paid"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(events, 1);
}

#[actix_web::test]
async fn forged_unsigned_or_mismatched_webhooks_are_refused_and_a_late_failure_never_undoes_a_payment(
) {
    let (app, relay) = stripe_shop().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let hook = app.url("/webhook/stripe");
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = secret.split("_secret_").next().unwrap().to_string();
    let (amount,): (i64,) = payments::table
        .filter(payments::reference.eq(&intent))
        .select((payments::amount,))
        .first(&mut *app.conn())
        .unwrap();
    let event = |id: &str, kind: &str, stripe_amount: i64| {
        let mut v = serde_json::json!({
            "id": id, "object": "event", "created": etalase::models::now_ts(),
            "livemode": false, "type": kind, "api_version": "2017-08-15",
            "data": {"object": {"id": intent, "object": "payment_intent", "amount": stripe_amount,
                "currency": "idr", "status": if kind.ends_with("succeeded") { "succeeded" } else { "requires_payment_method" },
                "created": 1, "livemode": false, "metadata": {}, "capture_method": "automatic",
                "last_payment_error": if kind.ends_with("failed") { serde_json::json!({"message": "Kartu ditolak", "type": "card_error"}) } else { serde_json::Value::Null }}}
        });
        support::stripe::fill_gaps(&mut v);
        v.to_string()
    };

    let genuine = event("evt_test_ok", "payment_intent.succeeded", amount * 100);
    let (status, _) = relay.post_raw(&hook, &genuine, None).await;
    assert_eq!(status, 400, "no signature");
    let forged = stripe_webhook::Webhook::generate_test_header(&genuine, "whsec_forger", None);
    let (status, body) = relay.post_raw(&hook, &genuine, Some(&forged)).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad signature");
    let old = stripe_webhook::Webhook::generate_test_header(
        &genuine,
        &relay.webhook_secret,
        Some(etalase::models::now_ts() - 3600),
    );
    let (status, _) = relay.post_raw(&hook, &genuine, Some(&old)).await;
    assert_eq!(status, 400, "a signature an hour old is a replay");
    let (status, _) = relay.post_raw(&hook, "not json", Some("t=1,v1=00")).await;
    assert_eq!(status, 400);
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "pending_payment"
    );

    // Signed, but for less than the order: recorded, not paid.
    let short = event(
        "evt_test_short",
        "payment_intent.succeeded",
        amount * 100 - 100,
    );
    let (status, body) = relay.post_signed(&hook, &short).await;
    assert_eq!(status, 200);
    assert_eq!(body["outcome"], "amount-mismatch");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "pending_payment"
    );

    // A declined card: the order keeps waiting and the page says so.
    let declined = event(
        "evt_test_declined",
        "payment_intent.payment_failed",
        amount * 100,
    );
    let (_, body) = relay.post_signed(&hook, &declined).await;
    assert_eq!(body["outcome"], "failed");
    assert!(buyer.get(&path).await.body.contains("ditolak"));

    // Then the success, then a failure that arrives late: the order stays paid.
    let (_, body) = relay.post_signed(&hook, &genuine).await;
    assert_eq!(body["outcome"], "paid");
    let late = event(
        "evt_test_late",
        "payment_intent.payment_failed",
        amount * 100,
    );
    let (_, body) = relay.post_signed(&hook, &late).await;
    assert_eq!(body["outcome"], "stale-failure");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "paid"
    );
    let (_, body) = relay.post_signed(&hook, &genuine).await;
    assert_eq!(body["outcome"], "duplicate");
}

#[actix_web::test]
async fn a_card_payment_declined_by_the_bank_leaves_the_order_waiting() {
    let (app, relay) = stripe_shop().await;
    let [(a, _, stock_a), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    relay.pay(&secret, "4000000000000341").await;
    support::eventually(
        "a failure event to arrive",
        Duration::from_secs(20),
        async || {
            let state: Option<String> = payments::table
                .select(payments::status)
                .first(&mut *app.conn())
                .optional()
                .unwrap();
            state.as_deref() == Some("failed")
        },
    )
    .await;
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "pending_payment"
    );
    assert_eq!(
        stock_of(&app, a),
        stock_a - 1,
        "still reserved until the deadline"
    );
    assert!(buyer.get(&path).await.body.contains("ditolak"));
}

#[actix_web::test]
async fn an_administrator_refunds_a_card_payment_through_stripe_and_unsent_stock_returns() {
    let (app, relay) = stripe_shop().await;
    let [(a, _, stock_a), _] = two_products_of_two_units(&app);
    support::create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 2)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = relay.pay(&secret, "4242424242424242").await;
    wait_for_status(&app, &path, "paid").await;

    let mut admin = Browser::new(&app);
    admin
        .sign_in("admin@kemenimipas.go.id", support::PASSWORD)
        .await;
    let page = admin.get("/kelola/pembayaran").await;
    assert!(
        !page.body.contains("/lunas\""),
        "card orders are not confirmed by hand"
    );
    let action: String = {
        let at = page.body.find("/kembalikan\"").expect("a refund button");
        let start = page.body[..at].rfind('"').unwrap() + 1;
        page.body[start..at + "/kembalikan".len()].to_string()
    };
    let token = page.csrf_token().unwrap();
    let done = admin.post(&action, &[("csrf_token", &token)]).await;
    assert_eq!(done.status, 303);
    assert!(admin
        .get("/kelola/pembayaran")
        .await
        .body
        .contains("Dana dikembalikan"));
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "refunded"
    );
    assert_eq!(
        stock_of(&app, a),
        stock_a,
        "goods not sent go back on the shelf"
    );
    let (status, refunds) = relay
        .api("GET", &format!("/v1/refunds?payment_intent={intent}"), &[])
        .await;
    assert_eq!(status, 200, "{refunds}");
    let list = refunds["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "one refund at Stripe");
    let (reference,): (Option<String>,) = payments::table
        .select((payments::refund_reference,))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(reference.as_deref(), list[0]["id"].as_str());
    // Refunding twice does nothing more.
    admin.post(&action, &[("csrf_token", &token)]).await;
    let (_, refunds) = relay
        .api("GET", &format!("/v1/refunds?payment_intent={intent}"), &[])
        .await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1);
    assert_eq!(stock_of(&app, a), stock_a);
}

#[actix_web::test]
async fn when_stripe_cannot_be_reached_the_card_order_is_kept_and_the_page_says_so() {
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.stripe = Some(etalase::services::payments::StripeSettings {
            secret_key: support::stripe::SECRET_KEY.into(),
            publishable_key: support::stripe::PUBLISHABLE_KEY.into(),
            webhook_secret: "whsec_unused".into(),
            // Nothing listens on the discard port.
            api_base: Some("http://127.0.0.1:9".into()),
            js_url: "http://127.0.0.1:9/v3/".into(),
        })
    })
    .await;
    let [(a, _, stock_a), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let page = buyer.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Pembayaran kartu sedang tidak tersedia"));
    assert_eq!(stock_of(&app, a), stock_a - 1);
    // Later, when Stripe answers again, the same page offers the card form (not tested here:
    // the intent is made on the first view that reaches Stripe).
}

#[actix_web::test]
async fn a_bank_transfer_refund_needs_the_reference_of_the_transfer_back() {
    let app = TestApp::spawn().await;
    let [(a, _, stock_a), _] = two_products_of_two_units(&app);
    let admin_id = support::create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let (key, radios) = to_shipping_step(&mut buyer).await;
    let form = buyer.get("/checkout/kirim").await;
    assert!(
        !form.body.contains("value=\"kartu\""),
        "no card option without Stripe"
    );
    let refused = buyer
        .post(
            "/checkout/kirim",
            &[
                ("kunci", &key),
                ("bayar", "kartu"),
                (radios[0].as_str(), "jne-reg"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Pilih cara pembayaran"));
    let path = buyer
        .post(
            "/checkout/kirim",
            &[
                ("kunci", &key),
                ("bayar", "transfer"),
                (radios[0].as_str(), "jne-reg"),
            ],
        )
        .await
        .location();
    let id: i32 = orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select(orders::id)
        .first(&mut *app.conn())
        .unwrap();
    etalase::models::order::confirm_payment(
        &mut app.conn(),
        id,
        admin_id,
        &app.url(""),
        &support::mail_templates(),
    )
    .unwrap();

    let mut admin = Browser::new(&app);
    admin
        .sign_in("admin@kemenimipas.go.id", support::PASSWORD)
        .await;
    let token = admin.csrf("/kelola/pembayaran").await;
    let action = format!("/kelola/pembayaran/{id}/kembalikan");
    admin.post(&action, &[("csrf_token", &token)]).await;
    assert!(admin
        .get("/kelola/pembayaran")
        .await
        .body
        .contains("Isi nomor bukti transfer"));
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "paid"
    );
    let token = admin.csrf("/kelola/pembayaran").await;
    admin
        .post(
            &action,
            &[("csrf_token", &token), ("referensi", "BRI-778812")],
        )
        .await;
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "refunded"
    );
    assert_eq!(stock_of(&app, a), stock_a);
    let mails: i64 = mail_outbox::table
        .filter(mail_outbox::subject_id.like("Dana pesanan%"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(mails, 1);
}

#[actix_web::test]
async fn the_payment_and_shipment_mails_of_a_card_order_reach_the_buyer_through_smtp() {
    use etalase::db::schema::products;
    let (smtp_url, maildir) = support::mail::smtp_server();
    let relay = StripeRelay::start().await;
    let settings = relay.settings();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.stripe = Some(settings);
        s.smtp_url = Some(smtp_url);
    })
    .await;
    relay.deliver_to(&app.url("/webhook/stripe")).await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let unit: i32 = products::table
        .find(a)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let staff_email = format!("gudang-{}@lapas.go.id", fastrand::u32(..));
    support::create_account(&app, &staff_email, "staff", Some(unit), None);
    let buyer_email = format!("kartu-{}@contoh.id", fastrand::u32(..));
    let mut buyer = Browser::new(&app);
    let mut contact: Vec<(&str, &str)> = support::shop::CONTACT.to_vec();
    contact.retain(|(k, _)| *k != "email");
    contact.push(("email", &buyer_email));
    let path = support::shop::place_order_as(&mut buyer, &[(a, 1)], &contact, "kartu")
        .await
        .location();
    let code: String = orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    let secret = client_secret_on(&buyer.get(&path).await);
    relay.pay(&secret, "4242424242424242").await;
    wait_for_status(&app, &path, "paid").await;

    let mut staff = Browser::new(&app);
    staff.sign_in(&staff_email, support::PASSWORD).await;
    let list = staff.get("/kelola/pesanan").await;
    let action = list
        .attr_values("action")
        .into_iter()
        .find(|a| a.ends_with("/kirim"))
        .expect("a shipment to send");
    let token = list.csrf_token().unwrap();
    staff
        .post(
            &action,
            &[("csrf_token", &token), ("tracking", "JNE-0012345678")],
        )
        .await;
    wait_for_status(&app, &path, "shipped").await;

    let mails = support::eventually_every(
        &format!("payment and shipment mail for {code} to arrive"),
        Duration::from_secs(20),
        Duration::from_millis(200),
        async || {
            let mails = support::mail::received(&maildir, &buyer_email);
            let paid = mails
                .iter()
                .any(|m| m.contains(&format!("Pembayaran pesanan {code} diterima")));
            let shipped = mails
                .iter()
                .any(|m| m.contains("JNE-0012345678") && m.contains("text/html"));
            if paid && shipped {
                Ok(mails)
            } else {
                Err(format!("{} mails", mails.len()))
            }
        },
    )
    .await;
    assert!(
        mails.iter().any(|m| m.contains("Bayar Rp")),
        "the order mail asks for a card payment"
    );
}

#[actix_web::test]
async fn cancelling_a_card_order_closes_its_payment_intent_and_a_late_payment_is_flagged_for_refund(
) {
    let (app, relay) = stripe_shop().await;
    let [(a, _, stock_a), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = secret.split("_secret_").next().unwrap().to_string();
    let cancelled = buyer.post(&format!("{path}/batal"), &[]).await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(stock_of(&app, a), stock_a, "the stock comes back");
    support::eventually(
        "the intent to be cancelled",
        Duration::from_secs(20),
        async || {
            let (_, pi) = relay
                .api("GET", &format!("/v1/payment_intents/{intent}"), &[])
                .await;
            let status: String = payments::table
                .select(payments::status)
                .first(&mut *app.conn())
                .unwrap();
            if pi["status"] == "canceled" && status == "voided" {
                Ok(())
            } else {
                Err(format!("{} / {status}", pi["status"]))
            }
        },
    )
    .await;
    assert!(
        !buyer.get(&path).await.body.contains("data-secret"),
        "no card form any more"
    );

    // Money that still arrives for the ended order is flagged, not taken as payment.
    let (amount,): (i64,) = payments::table
        .select((payments::amount,))
        .first(&mut *app.conn())
        .unwrap();
    let mut late = serde_json::json!({
        "id": "evt_test_after_cancel", "object": "event", "created": etalase::models::now_ts(),
        "livemode": false, "type": "payment_intent.succeeded",
        "data": {"object": {"id": intent, "object": "payment_intent", "amount": amount * 100,
            "currency": "idr", "status": "succeeded", "created": 1, "livemode": false,
            "metadata": {}, "capture_method": "automatic"}}
    });
    support::stripe::fill_gaps(&mut late);
    let (status, body) = relay
        .post_signed(&app.url("/webhook/stripe"), &late.to_string())
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["outcome"], "needs-refund");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "cancelled"
    );
}

/// A signed-event body as Stripe sends it, around `object`.
fn stripe_event(id: &str, kind: &str, object: serde_json::Value) -> String {
    let mut v = serde_json::json!({
        "id": id, "object": "event", "created": etalase::models::now_ts(),
        "livemode": false, "type": kind, "api_version": "2017-08-15",
        "data": {"object": object}
    });
    support::stripe::fill_gaps(&mut v);
    v.to_string()
}

#[actix_web::test]
async fn a_payment_counts_only_what_stripe_received_not_what_was_asked() {
    let (app, relay) = stripe_shop().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let hook = app.url("/webhook/stripe");
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = secret.split("_secret_").next().unwrap().to_string();
    let (amount,): (i64,) = payments::table
        .filter(payments::reference.eq(&intent))
        .select((payments::amount,))
        .first(&mut *app.conn())
        .unwrap();
    // Asked for the whole total, received one rupiah less.
    let short = stripe_event(
        "evt_test_received_short",
        "payment_intent.succeeded",
        serde_json::json!({"id": intent, "object": "payment_intent", "amount": amount * 100,
            "amount_received": amount * 100 - 100, "currency": "idr", "status": "succeeded",
            "created": 1, "livemode": false, "metadata": {}, "capture_method": "automatic"}),
    );
    let (status, body) = relay.post_signed(&hook, &short).await;
    assert_eq!(status, 200);
    assert_eq!(body["outcome"], "amount-mismatch");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "pending_payment"
    );
}

#[actix_web::test]
async fn a_refund_is_asked_once_and_a_refund_stripe_made_without_an_answer_is_reconciled() {
    let (app, relay) = stripe_shop().await;
    let [(a, _, stock_a), (b, _, _)] = two_products_of_two_units(&app);
    let mut admin =
        support::signed_in_as(&app, "admin@kemenimipas.go.id", "admin", None, None).await;

    // Two clicks at once: one refund at Stripe.
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(a, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = relay.pay(&secret, "4242424242424242").await;
    wait_for_status(&app, &path, "paid").await;
    let order_id: i32 = orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select(orders::id)
        .first(&mut *app.conn())
        .unwrap();
    let token = admin.csrf("/kelola/pembayaran").await;
    let action = format!("/kelola/pembayaran/{order_id}/kembalikan");
    let cookie = admin.cookie_header().unwrap();
    let click = || {
        let req = app
            .client
            .post(app.url(&action))
            .insert_header(("Cookie", cookie.clone()));
        let token = token.clone();
        async move {
            req.send_form(&[("csrf_token", token)])
                .await
                .unwrap()
                .status()
        }
    };
    let (one, two) = futures_util::join!(click(), click());
    assert_eq!((one.as_u16(), two.as_u16()), (303, 303));
    let (_, refunds) = relay
        .api("GET", &format!("/v1/refunds?payment_intent={intent}"), &[])
        .await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1, "{refunds}");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "refunded"
    );
    assert_eq!(support::shop::stock_of(&app, a), stock_a);

    // The shop asked Stripe, Stripe refunded, and the shop never heard back (it crashed):
    // the request was written down first, and `charge.refunded` completes it.
    let mut buyer = Browser::new(&app);
    let path = order_by_card(&mut buyer, &[(b, 1)]).await;
    let secret = client_secret_on(&buyer.get(&path).await);
    let intent = relay.pay(&secret, "4242424242424242").await;
    wait_for_status(&app, &path, "paid").await;
    let (order_id, code, amount): (i32, String, i64) = orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select((orders::id, orders::code, orders::total))
        .first(&mut *app.conn())
        .unwrap();
    let admin_id: i32 = etalase::db::schema::users::table
        .select(etalase::db::schema::users::id)
        .first(&mut *app.conn())
        .unwrap();
    assert!(etalase::models::payment::request_refund(
        &mut app.conn(),
        order_id,
        admin_id,
        etalase::models::now_ts()
    )
    .unwrap());
    assert_eq!(
        etalase::models::payment::refund_key(&code),
        format!("etalase-refund-{code}")
    );
    // A second request within the minute is refused: the page says a refund is under way.
    let token = admin.csrf("/kelola/pembayaran").await;
    admin
        .post(
            &format!("/kelola/pembayaran/{order_id}/kembalikan"),
            &[("csrf_token", &token)],
        )
        .await;
    assert!(admin
        .get("/kelola/pembayaran")
        .await
        .body
        .contains("sedang diproses"));
    let refunded = stripe_event(
        "evt_test_charge_refunded",
        "charge.refunded",
        serde_json::json!({"id": "ch_test_refunded", "object": "charge",
            "amount": amount * 100, "amount_captured": amount * 100,
            "amount_refunded": amount * 100, "billing_details": {}, "captured": true,
            "created": 1, "currency": "idr", "disputed": false, "livemode": false,
            "metadata": {}, "paid": true, "refunded": true, "status": "succeeded",
            "payment_intent": intent}),
    );
    let (status, body) = relay
        .post_signed(&app.url("/webhook/stripe"), &refunded)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["outcome"], "refunded");
    assert_eq!(
        order_status(&app, path.trim_start_matches("/pesanan/")),
        "refunded"
    );
    let (_, again) = relay
        .post_signed(&app.url("/webhook/stripe"), &refunded)
        .await;
    assert_eq!(again["outcome"], "duplicate");
}

// ---- Payment settings: the bank accounts buyers transfer into ----------------------------

use etalase::db::schema::{audit_log, bank_accounts, products};
use support::shop::place_order;

/// The list of payment accounts, where every change goes back to.
const ACCOUNTS: &str = "/kelola/pembayaran/rekening";

/// Sends the form of a new account (`unit` empty: the central account); gives the answer.
async fn add_bank_account(
    admin: &mut Browser<'_>,
    unit: &str,
    bank: &str,
    number: &str,
    holder: &str,
) -> support::Page {
    let token = admin.csrf("/kelola/pembayaran/rekening/baru").await;
    admin
        .post(
            ACCOUNTS,
            &[
                ("csrf_token", &token),
                ("unit_id", unit),
                ("bank", bank),
                ("number", number),
                ("holder", holder),
            ],
        )
        .await
}

/// (id, unit, number, active) of every saved account, by id.
fn saved_accounts(app: &TestApp) -> Vec<(i32, Option<i32>, String, i32)> {
    bank_accounts::table
        .order(bank_accounts::id.asc())
        .select((
            bank_accounts::id,
            bank_accounts::unit_id,
            bank_accounts::account_number,
            bank_accounts::active,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

fn unit_of(app: &TestApp, product_id: i32) -> i32 {
    products::table
        .find(product_id)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap()
}

/// How many audit entries of `action` there are on account `id`.
fn bank_audits(app: &TestApp, action: &str, id: i32) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::entity.eq("bank_account"))
        .filter(audit_log::entity_id.eq(id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// The Indonesian body of the "order received" mail of the order behind `order_path`.
fn order_received_mail(app: &TestApp, order_path: &str) -> String {
    let code: String = orders::table
        .filter(orders::secret.eq(order_path.trim_start_matches("/pesanan/")))
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    mail_outbox::table
        .filter(mail_outbox::subject_id.eq(format!("Pesanan {code} kami terima")))
        .select(mail_outbox::body_id)
        .first(&mut *app.conn())
        .unwrap_or_else(|_| panic!("the mail of order {code}"))
}

/// The account number an order page shows to transfer to.
fn pay_value(number: &str) -> String {
    format!("<span class=\"pay-value\">{number}</span>")
}

/// Text as Tera writes it into HTML.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[actix_web::test]
async fn an_administrator_adds_a_central_account_and_the_buyers_order_page_and_mail_show_it() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let configured = etalase::config::BankAccount::default();
    let mut admin = support::finance_admin(&app).await;
    let empty = admin.get(ACCOUNTS).await;
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains(&configured.number),
        "without a central account the page names the configured one: {}",
        empty.body
    );
    assert!(
        admin
            .get("/kelola/pembayaran")
            .await
            .body
            .contains("href=\"/kelola/pembayaran/rekening\""),
        "the administrators' navigation links the payment accounts"
    );

    let added = add_bank_account(
        &mut admin,
        "",
        "Mandiri",
        "137-00-1234567-8",
        "Direktorat Jenderal Pemasyarakatan",
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.location(), ACCOUNTS);
    let list = admin.get(ACCOUNTS).await;
    assert!(list.body.contains("Rekening ditambahkan"), "{}", list.body);
    assert!(list.body.contains("137-00-1234567-8"));
    assert!(
        !list.body.contains(&configured.number),
        "an active central account takes the configured one's place"
    );
    let saved = saved_accounts(&app);
    assert_eq!(
        saved,
        [(saved[0].0, None, "137-00-1234567-8".to_string(), 1)]
    );
    assert_eq!(bank_audits(&app, "bank_account.create", saved[0].0), 1);

    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1), (b, 1)]).await.location();
    let page = buyer.get(&order_path).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&pay_value("137-00-1234567-8")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Direktorat Jenderal Pemasyarakatan"));
    assert!(!page.body.contains(&configured.number), "{}", page.body);
    let mail = order_received_mail(&app, &order_path);
    assert!(
        mail.contains(
            "ke rekening Bank Mandiri 137-00-1234567-8 a.n. Direktorat Jenderal Pemasyarakatan"
        ),
        "{mail}"
    );
}

#[actix_web::test]
async fn a_single_unit_order_shows_the_units_own_account_and_a_two_unit_order_the_central_one() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let unit_a = unit_of(&app, a);
    let unit = unit_a.to_string();
    let mut admin = support::finance_admin(&app).await;
    let central = add_bank_account(&mut admin, "", "BNI", "0099 1234 5678", "Etalase Pusat").await;
    assert_eq!(central.status, 303, "{}", central.body);
    let own = add_bank_account(
        &mut admin,
        &unit,
        "BRI",
        "0123-01-000777-50-3",
        "Koperasi Lapas Uji",
    )
    .await;
    assert_eq!(own.status, 303, "{}", own.body);
    // A second active account for the same unit is refused, keeping what was typed.
    let second = add_bank_account(&mut admin, &unit, "BCA", "555 666 7777", "Koperasi Dua").await;
    assert_eq!(second.status, 422);
    assert!(
        second
            .body
            .contains("Cakupan ini sudah punya rekening aktif"),
        "{}",
        second.body
    );
    assert!(second.body.contains("value=\"555 666 7777\""));
    assert_eq!(saved_accounts(&app).len(), 2);
    let list = admin.get(ACCOUNTS).await.body;
    let unit_name: String = etalase::db::schema::units::table
        .find(unit_a)
        .select(etalase::db::schema::units::name)
        .first(&mut *app.conn())
        .unwrap();
    let (central_at, unit_at) = (
        list.find("0099 1234 5678")
            .expect("the central account is listed"),
        list.find("0123-01-000777-50-3")
            .expect("the unit's account is listed"),
    );
    assert!(central_at < unit_at, "the central account comes first");
    assert!(
        list[central_at..unit_at].contains(&escaped(&unit_name)),
        "the unit's account is listed under the unit's name"
    );

    let mut one_unit = Browser::new(&app);
    let single = place_order(&mut one_unit, &[(a, 1)]).await.location();
    let page = one_unit.get(&single).await;
    assert!(
        page.body.contains(&pay_value("0123-01-000777-50-3")),
        "{}",
        page.body
    );
    assert!(page.body.contains("Koperasi Lapas Uji"));
    assert!(order_received_mail(&app, &single)
        .contains("ke rekening Bank BRI 0123-01-000777-50-3 a.n. Koperasi Lapas Uji"));

    let mut two_units = Browser::new(&app);
    let mixed = place_order(&mut two_units, &[(a, 1), (b, 1)])
        .await
        .location();
    let page = two_units.get(&mixed).await;
    assert!(
        page.body.contains(&pay_value("0099 1234 5678")),
        "{}",
        page.body
    );
    assert!(!page.body.contains("0123-01-000777-50-3"));
    assert!(order_received_mail(&app, &mixed)
        .contains("ke rekening Bank BNI 0099 1234 5678 a.n. Etalase Pusat"));

    // Deactivated, the unit's account gives way to the central one.
    let own_id = saved_accounts(&app)
        .into_iter()
        .find(|(_, unit, _, _)| *unit == Some(unit_a))
        .unwrap()
        .0;
    let token = admin.csrf(&format!("{ACCOUNTS}/{own_id}")).await;
    let off = admin
        .post(
            &format!("{ACCOUNTS}/{own_id}/nonaktifkan"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(bank_audits(&app, "bank_account.deactivate", own_id), 1);
    let page = one_unit.get(&single).await;
    assert!(
        page.body.contains(&pay_value("0099 1234 5678")),
        "{}",
        page.body
    );
}

#[actix_web::test]
async fn unit_staff_and_organizers_get_403_on_the_payment_accounts_pages_and_posts() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let unit_a = unit_of(&app, a);
    let mut admin = support::finance_admin(&app).await;
    let added = add_bank_account(&mut admin, "", "Mandiri", "137-00-1234567-8", "Pusat").await;
    assert_eq!(added.status, 303, "{}", added.body);
    let id = saved_accounts(&app)[0].0;
    support::create_account(&app, "staf@lapas.go.id", "staff", Some(unit_a), None);
    support::create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let account = format!("{ACCOUNTS}/{id}");
    let pages = [
        ACCOUNTS.to_string(),
        format!("{ACCOUNTS}/baru"),
        account.clone(),
    ];
    let forms = [
        ACCOUNTS.to_string(),
        account.clone(),
        format!("{account}/nonaktifkan"),
        format!("{account}/aktifkan"),
    ];
    let unit = unit_a.to_string();
    let mut wrong = Vec::new();
    for email in ["staf@lapas.go.id", "panitia@kemenimipas.go.id"] {
        let mut who = Browser::new(&app);
        who.sign_in(email, support::PASSWORD).await;
        let token = who.csrf("/kelola").await;
        for path in &pages {
            let status = who.get(path).await.status;
            if status != 403 {
                wrong.push(format!("{email} GET {path}: {status}"));
            }
        }
        for path in &forms {
            let fields = [
                ("csrf_token", token.as_str()),
                ("unit_id", unit.as_str()),
                ("bank", "Bank Dibajak"),
                ("number", "999-999-999"),
                ("holder", "Dibajak"),
            ];
            let status = who.post(path, &fields).await.status;
            if status != 403 {
                wrong.push(format!("{email} POST {path}: {status}"));
            }
        }
    }
    let mut visitor = Browser::new(&app);
    for path in &pages {
        let page = visitor.get(path).await;
        if page.status != 303 || !page.location().starts_with("/masuk?next=") {
            wrong.push(format!(
                "visitor GET {path}: {} {}",
                page.status,
                page.location()
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(
        saved_accounts(&app),
        [(id, None, "137-00-1234567-8".to_string(), 1)],
        "nothing changed"
    );
    for path in &pages {
        assert_eq!(
            admin.get(path).await.status,
            200,
            "an administrator opens {path}"
        );
    }
}

#[actix_web::test]
async fn a_payment_account_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut admin = support::finance_admin(&app).await;
    let added = add_bank_account(&mut admin, "", "Mandiri", "137-00-1234567-8", "Pusat").await;
    assert_eq!(added.status, 303, "{}", added.body);
    let id = saved_accounts(&app)[0].0;
    // The session has a token of its own; the posts below do not carry it.
    admin.csrf(ACCOUNTS).await;
    let account = format!("{ACCOUNTS}/{id}");
    for token in ["", "0000", "forged-token-from-another-site"] {
        let form = [
            ("csrf_token", token),
            ("unit_id", ""),
            ("bank", "Bank Palsu"),
            ("number", "999-999-999"),
            ("holder", "Palsu"),
        ];
        for path in [
            ACCOUNTS.to_string(),
            account.clone(),
            format!("{account}/nonaktifkan"),
            format!("{account}/aktifkan"),
        ] {
            let with_field = admin.post(&path, &form).await.status;
            let without_field = admin.post(&path, &form[1..]).await.status;
            assert_eq!(
                (with_field, without_field),
                (403, 403),
                "POST {path} with {token:?}"
            );
        }
    }
    assert_eq!(
        saved_accounts(&app),
        [(id, None, "137-00-1234567-8".to_string(), 1)]
    );
    assert_eq!(bank_audits(&app, "bank_account.edit", id), 0);
}

#[actix_web::test]
async fn a_bad_account_number_is_refused_with_the_message_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let mut admin = support::finance_admin(&app).await;
    for number in ["12ab-3456", "12-34", "1234567890 1234567890 1234567890 1"] {
        let page = add_bank_account(
            &mut admin,
            "",
            "Bank Syariah Indonesia",
            number,
            "Koperasi Lapas Uji",
        )
        .await;
        assert_eq!(page.status, 422, "{number}");
        assert!(
            page.body.contains(
                "Nomor rekening hanya boleh berisi angka, spasi, dan tanda hubung, dengan 5 \
                 sampai 30 angka."
            ),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(&format!("value=\"{number}\"")),
            "{number}"
        );
        assert!(page.body.contains("value=\"Bank Syariah Indonesia\""));
        assert!(page.body.contains("value=\"Koperasi Lapas Uji\""));
        assert!(page.body.contains("aria-invalid=\"true\""));
    }
    let blank = add_bank_account(&mut admin, "", " ", "137-00-1234567-8", "").await;
    assert_eq!(blank.status, 422);
    assert!(blank.body.contains("Isi nama bank"), "{}", blank.body);
    assert!(blank.body.contains("Isi nama pemilik rekening"));
    assert!(blank.body.contains("value=\"137-00-1234567-8\""));
    let token = admin.csrf(ACCOUNTS).await;
    let english = admin
        .post(
            &format!("{ACCOUNTS}?lang=en"),
            &[
                ("csrf_token", token.as_str()),
                ("unit_id", ""),
                ("bank", "Mandiri"),
                ("number", "no number"),
                ("holder", "Koperasi Lapas Uji"),
            ],
        )
        .await;
    assert_eq!(english.status, 422);
    assert!(
        english.body.contains(
            "An account number may hold only digits, spaces and dashes, with 5 to 30 digits."
        ),
        "{}",
        english.body
    );
    assert!(saved_accounts(&app).is_empty(), "nothing was saved");
}
