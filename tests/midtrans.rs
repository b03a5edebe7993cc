//! QRIS, bank virtual accounts, Mandiri bill payment and GoPay through Midtrans, against the
//! fake of `support::midtrans` (built from Midtrans' public API reference; its sandbox cannot
//! be reached from here). Every channel: the charge, what the order page shows, the signed
//! notification that marks the order paid, a replay, a forged one, a short amount, expiry,
//! switching channels, refunds. At a fair booth: a dynamic QRIS charge for one sale, recorded
//! as a booth sale once its notification says it was paid in full.

use crate::support;

use std::time::Duration;

use diesel::prelude::*;
use etalase::db::schema::{
    audit_log, booth_charges, booth_sales, mail_outbox, orders, payments, products, webhook_events,
};
use etalase::domain::fair::booth_charge_reference;
use serde_json::Value;
use support::midtrans::{FakeMidtrans, BILLER_CODE};
use support::{Browser, Page, TestApp};

/// Every channel, as the order page's form names them.
const CHANNELS: [&str; 7] = ["qris", "bca", "bni", "bri", "mandiri", "permata", "gopay"];

async fn midtrans_shop() -> (TestApp, FakeMidtrans) {
    let fake = FakeMidtrans::start().await;
    let settings = fake.settings();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.midtrans = Some(settings)
    })
    .await;
    fake.deliver_to(&app.url("/webhook/midtrans"));
    (app, fake)
}

/// `n` published products with stock to spare, one for each order of a test.
fn products_in_stock(app: &TestApp, n: usize) -> Vec<i32> {
    let ids: Vec<i32> = products::table
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(3))
        .order(products::id.asc())
        .select(products::id)
        .limit(n as i64)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(ids.len(), n, "the demo shop has {n} products in stock");
    ids
}

/// Places an order of one `product` to be paid through Midtrans; gives its page's path.
async fn order_online(buyer: &mut Browser<'_>, product: i32) -> String {
    let placed =
        support::shop::place_order_as(buyer, &[(product, 1)], &support::shop::CONTACT, "midtrans")
            .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let path = placed.location();
    assert!(path.starts_with("/pesanan/"), "{path}");
    path
}

/// The order behind a page: (id, total, code).
fn order_of(app: &TestApp, path: &str) -> (i32, i64, String) {
    orders::table
        .filter(orders::secret.eq(path.trim_start_matches("/pesanan/")))
        .select((orders::id, orders::total, orders::code))
        .first(&mut *app.conn())
        .unwrap()
}

fn order_status(app: &TestApp, id: i32) -> String {
    orders::table
        .find(id)
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap()
}

/// The payments of an order, oldest first: (reference, status, channel, refund reference).
fn payments_of(app: &TestApp, id: i32) -> Vec<(String, String, Option<String>, Option<String>)> {
    payments::table
        .filter(payments::order_id.eq(id))
        .order(payments::id.asc())
        .select((
            payments::reference,
            payments::status,
            payments::channel,
            payments::refund_reference,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

/// The "payment received" mails of order `code`.
fn paid_mails(app: &TestApp, code: &str) -> i64 {
    mail_outbox::table
        .filter(mail_outbox::subject_id.eq(format!("Pembayaran pesanan {code} diterima")))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// Chooses `channel` on the order page at `path`; gives where the POST sent the buyer.
async fn choose(buyer: &mut Browser<'_>, path: &str, channel: &str) -> String {
    let chosen = buyer
        .post(&format!("{path}/bayar"), &[("cara", channel)])
        .await;
    assert_eq!(chosen.status, 303, "{channel}: {}", chosen.body);
    chosen.location()
}

/// Chooses `channel` and gives the order page that follows, where the charge is shown.
async fn pay_through(buyer: &mut Browser<'_>, path: &str, channel: &str) -> Page {
    let back = choose(buyer, path, channel).await;
    assert_eq!(
        back, path,
        "{channel}: back to the order page, without a problem"
    );
    let page = buyer.get(path).await;
    assert_eq!(page.status, 200);
    page
}

/// What the order page must show for the open charge of `channel`.
fn assert_instructions(page: &Page, channel: &str, charge: &support::midtrans::FakeCharge) {
    let body = &page.body;
    assert!(
        !body.contains("Transfer tepat Rp"),
        "{channel}: no bank transfer text"
    );
    assert!(body.contains("data-countdown"), "{channel}: the countdown");
    assert!(
        body.contains("Ganti cara bayar"),
        "{channel}: the buyer may switch"
    );
    match channel {
        "qris" => {
            assert_eq!(charge.payment_type, "qris");
            assert!(body.contains("class=\"pay-qr-code\""), "{body}");
            assert!(
                body.contains("<svg"),
                "the QR is drawn here, not hot-linked"
            );
            assert!(!body.contains("midtrans.com"), "no image from Midtrans");
        }
        "bca" | "bni" | "bri" | "permata" => {
            assert_eq!(charge.payment_type, "bank_transfer");
            assert_eq!(charge.bank.as_deref(), Some(channel));
            assert!(
                body.contains(&format!("data-copy=\"{}\"", charge.va_number)),
                "{channel}: the VA number with its Salin button: {body}"
            );
            assert!(body.contains("Virtual Account"));
        }
        "mandiri" => {
            assert_eq!(charge.payment_type, "echannel");
            assert!(body.contains(&format!("data-copy=\"{}\"", charge.bill_key)));
            assert!(body.contains(&format!("data-copy=\"{BILLER_CODE}\"")));
        }
        "gopay" => {
            assert_eq!(charge.payment_type, "gopay");
            assert!(
                body.contains("href=\"gojek://gopay/merchanttransfer?tref="),
                "the app's deeplink on a phone: {body}"
            );
            assert!(body.contains("<svg"), "a QR code away from a phone");
        }
        other => panic!("unknown channel {other}"),
    }
}

#[actix_web::test]
async fn every_channel_is_charged_shown_and_paid_once_by_its_signed_notification() {
    let (app, fake) = midtrans_shop().await;
    let hold_minutes = etalase::workflows::checkout::card_payment_hold_secs() / 60;
    let products = products_in_stock(&app, CHANNELS.len());
    let mut visitor = Browser::new(&app);
    support::shop::fill_cart(&mut visitor, &[(products[0], 1)]).await;
    support::shop::to_shipping_step(&mut visitor).await;
    let form = visitor.get("/checkout/kirim").await;
    assert!(
        form.body.contains("value=\"midtrans\""),
        "offered at checkout"
    );
    for (channel, product) in CHANNELS.iter().zip(products) {
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, product).await;
        let (id, total, code) = order_of(&app, &path);
        let (unique_code,): (i32,) = orders::table
            .find(id)
            .select((orders::unique_code,))
            .first(&mut *app.conn())
            .unwrap();
        assert_eq!(unique_code, 0, "no transfer code on a Midtrans order");

        // Before a channel is chosen: every channel offered, nothing charged yet.
        let page = buyer.get(&path).await;
        for c in CHANNELS {
            assert!(page.body.contains(&format!("name=\"cara\" value=\"{c}\"")));
        }
        assert!(fake.charges_of(&code).is_empty());

        let page = pay_through(&mut buyer, &path, channel).await;
        let reference = format!("{code}-1");
        let charge = fake.charge(&reference).expect("a charge at Midtrans");
        assert_eq!(charge.gross_amount, total, "{channel}: the whole total");
        let minutes = charge.expiry_minutes.expect("custom_expiry is sent");
        assert!(
            (hold_minutes - 2..=hold_minutes).contains(&minutes),
            "{channel}: the charge expires with the order's hold ({minutes} of {hold_minutes})"
        );
        assert_instructions(&page, channel, &charge);
        // Choosing the same channel again (a double click) makes no second charge.
        choose(&mut buyer, &path, channel).await;
        assert_eq!(fake.charges_of(&code).len(), 1);

        let (status, body) = fake.pay(&reference).await;
        assert_eq!(status, 200, "{channel}: {body}");
        assert_eq!(body["outcome"], "paid", "{channel}");
        assert_eq!(order_status(&app, id), "paid");
        assert_eq!(payments_of(&app, id)[0].1, "succeeded");
        let page = buyer.get(&path).await;
        assert!(page.body.contains("Pembayaran diterima"), "{channel}");
        assert!(!page.body.contains("name=\"cara\""), "nothing left to pay");

        // Midtrans sends notifications again until it is sure: applied once.
        let (status, body) = fake.notify(&reference).await;
        assert_eq!((status, body["outcome"].as_str()), (200, Some("duplicate")));
        assert_eq!(paid_mails(&app, &code), 1, "{channel}: one mail");
        let events: i64 = webhook_events::table
            .filter(webhook_events::provider.eq("midtrans"))
            .filter(webhook_events::event_type.eq("midtrans.settlement"))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert!(events >= 1);
    }
    assert_eq!(fake.unauthorized(), 0, "every call carried the server key");
}

#[actix_web::test]
async fn forged_misleading_and_unknown_notifications_change_nothing_for_any_channel() {
    let (app, fake) = midtrans_shop().await;
    for (channel, product) in CHANNELS.iter().zip(products_in_stock(&app, CHANNELS.len())) {
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, product).await;
        let (id, total, code) = order_of(&app, &path);
        pay_through(&mut buyer, &path, channel).await;
        let reference = format!("{code}-1");

        // Signed with another key: refused before anything is read or asked.
        let calls = fake.calls().len();
        fake.set(&reference, |c| c.status = "settlement".into());
        let (status, body) = fake.notify_forged(&reference).await;
        assert_eq!(status, 400, "{channel}");
        assert_eq!(body["error"], "bad signature");
        assert_eq!(
            fake.calls().len(),
            calls,
            "no status call for a forged notification"
        );
        fake.set(&reference, |c| c.status = "pending".into());
        let (status, _) = fake.post_raw("order_id=1&status_code=200").await;
        assert_eq!(status, 400, "not a notification");

        // Rightly signed, but claiming a payment Midtrans does not know of: the status call
        // says the charge is pending, and that is what counts.
        let (status, body) = fake.notify_claiming(&reference, "settlement", total).await;
        assert_eq!(status, 200);
        assert_eq!(body["outcome"], "ignored", "{channel}: {body}");
        assert_eq!(order_status(&app, id), "pending_payment");

        // For an order Midtrans never charged, and for a charge of someone else.
        let (status, body) = fake.notify_unknown(&format!("ETL-NOPE{id}-1"), total).await;
        assert_eq!(
            (status, body["outcome"].as_str()),
            (200, Some("unknown-order"))
        );
        let foreign = format!("DASHBOARD-{channel}-{id}");
        fake.add_foreign_charge(&foreign, total);
        let (status, body) = fake.notify(&foreign).await;
        assert_eq!(
            (status, body["outcome"].as_str()),
            (200, Some("unknown-payment"))
        );

        assert_eq!(order_status(&app, id), "pending_payment", "{channel}");
        assert_eq!(paid_mails(&app, &code), 0);
        assert_eq!(payments_of(&app, id)[0].1, "created");
    }
}

#[actix_web::test]
async fn a_short_amount_is_kept_apart_and_never_marks_the_order_paid() {
    let (app, fake) = midtrans_shop().await;
    for (channel, product) in CHANNELS.iter().zip(products_in_stock(&app, CHANNELS.len())) {
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, product).await;
        let (id, total, code) = order_of(&app, &path);
        pay_through(&mut buyer, &path, channel).await;
        let reference = format!("{code}-1");
        let (status, body) = fake.pay_amount(&reference, total - 1).await;
        assert_eq!(status, 200);
        assert_eq!(body["outcome"], "amount-mismatch", "{channel}: {body}");
        assert_eq!(order_status(&app, id), "pending_payment");
        assert_eq!(payments_of(&app, id)[0].1, "amount_mismatch");
        // A notification claiming the whole amount changes nothing: Midtrans' status says
        // what arrived.
        let (_, body) = fake.notify_claiming(&reference, "settlement", total).await;
        assert_eq!(body["outcome"], "duplicate", "{channel}");
        assert_eq!(order_status(&app, id), "pending_payment");
        assert_eq!(paid_mails(&app, &code), 0);
    }
}

#[actix_web::test]
async fn an_expired_charge_is_closed_and_an_order_past_its_hold_cancels_its_charge() {
    let (app, fake) = midtrans_shop().await;
    let payments = etalase::services::payments::Payments::new(None, Some(&fake.settings()))
        .expect("the providers");
    for (channel, product) in CHANNELS.iter().zip(products_in_stock(&app, CHANNELS.len())) {
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, product).await;
        let (id, _, code) = order_of(&app, &path);
        pay_through(&mut buyer, &path, channel).await;

        // Midtrans lets the charge expire (its custom_expiry): closed; the buyer may choose
        // again while the order still holds.
        let first = format!("{code}-1");
        let (status, body) = fake.run_out(&first).await;
        assert_eq!(
            (status, body["outcome"].as_str()),
            (200, Some("closed")),
            "{channel}"
        );
        assert_eq!(payments_of(&app, id)[0].1, "voided");
        let page = buyer.get(&path).await;
        assert!(
            page.body.contains("Pilih caranya"),
            "{channel}: choose again"
        );
        pay_through(&mut buyer, &path, channel).await;
        let second = format!("{code}-2");
        assert_eq!(fake.charge(&second).unwrap().status, "pending");

        // The order's hold runs out: the order is cancelled and its open charge with it.
        diesel::update(orders::table.find(id))
            .set(orders::payment_expires_at.eq(etalase::models::now_ts() - 1))
            .execute(&mut *app.conn())
            .unwrap();
        assert_eq!(
            choose(&mut buyer, &path, "qris").await,
            path,
            "out of time: no new charge"
        );
        assert_eq!(fake.charges_of(&code).len(), 2);
        etalase::models::order::expire_unpaid(&mut app.conn(), etalase::models::now_ts()).unwrap();
        assert_eq!(order_status(&app, id), "cancelled");
        etalase::services::payments::void_ended(&app.pool, &payments).await;
        support::eventually(
            "the open charge to be cancelled at Midtrans",
            Duration::from_secs(20),
            async || {
                let there = fake.charge(&second).unwrap().status;
                let here = payments_of(&app, id)[1].1.clone();
                if there == "cancel" && here == "voided" {
                    Ok(())
                } else {
                    Err(format!("{there} / {here}"))
                }
            },
        )
        .await;
        // Its notification comes after: nothing more to do.
        let (_, body) = fake.notify(&second).await;
        assert_eq!(body["outcome"], "stale-failure", "{channel}");
        assert!(buyer.get(&path).await.body.contains("Dibatalkan"));
    }
}

#[actix_web::test]
async fn switching_channels_cancels_the_open_charge_first_and_a_paid_one_is_never_switched() {
    let (app, fake) = midtrans_shop().await;
    let products = products_in_stock(&app, CHANNELS.len() + 1);
    for (i, channel) in CHANNELS.iter().enumerate() {
        let next = CHANNELS[(i + 1) % CHANNELS.len()];
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, products[i]).await;
        let (id, _, code) = order_of(&app, &path);
        pay_through(&mut buyer, &path, channel).await;
        let page = pay_through(&mut buyer, &path, next).await;
        let (first, second) = (format!("{code}-1"), format!("{code}-2"));
        assert_eq!(
            fake.charge(&first).unwrap().status,
            "cancel",
            "{channel} → {next}"
        );
        let open = fake
            .charge(&second)
            .expect("a charge through the new channel");
        assert_eq!(open.status, "pending");
        assert_instructions(&page, next, &open);
        let rows = payments_of(&app, id);
        assert_eq!(
            rows.iter()
                .map(|r| (r.1.as_str(), r.2.as_deref()))
                .collect::<Vec<_>>(),
            [("voided", Some(*channel)), ("created", Some(next))]
        );
        // The old charge's notification cannot undo anything; the new one pays.
        let (_, body) = fake.notify(&first).await;
        assert_eq!(body["outcome"], "stale-failure");
        let (_, body) = fake.pay(&second).await;
        assert_eq!(body["outcome"], "paid", "{channel} → {next}");
        assert_eq!(order_status(&app, id), "paid");
    }

    // Paid meanwhile (the notification still on its way): the charge cannot be cancelled,
    // so the page says the method cannot change now, and no second charge is made.
    let mut buyer = Browser::new(&app);
    let path = order_online(&mut buyer, products[CHANNELS.len()]).await;
    let (id, _, code) = order_of(&app, &path);
    pay_through(&mut buyer, &path, "bca").await;
    let first = format!("{code}-1");
    fake.set(&first, |c| c.status = "settlement".into());
    let back = choose(&mut buyer, &path, "qris").await;
    assert_eq!(back, format!("{path}?bayar=ganti-gagal"));
    assert!(buyer
        .get(&back)
        .await
        .body
        .contains("Cara bayar belum bisa diganti"));
    assert_eq!(fake.charges_of(&code).len(), 1);
    let (_, body) = fake.notify(&first).await;
    assert_eq!(body["outcome"], "paid");
    assert_eq!(order_status(&app, id), "paid");
}

/// The refund form of order `id` on the payments page, as HTML.
fn refund_form(page: &Page, id: i32) -> String {
    let action = format!("action=\"/kelola/pembayaran/{id}/kembalikan\"");
    let at = page
        .body
        .find(&action)
        .expect("a refund form for the order");
    let end = page.body[at..].find("</form>").unwrap() + at;
    page.body[at..end].to_string()
}

#[actix_web::test]
async fn qris_and_gopay_are_refunded_through_midtrans_once_and_transfers_by_hand() {
    let (app, fake) = midtrans_shop().await;
    let mut admin = support::finance_admin(&app).await;
    for (channel, product) in CHANNELS.iter().zip(products_in_stock(&app, CHANNELS.len())) {
        let mut buyer = Browser::new(&app);
        let path = order_online(&mut buyer, product).await;
        let (id, total, code) = order_of(&app, &path);
        pay_through(&mut buyer, &path, channel).await;
        let reference = format!("{code}-1");
        let (_, body) = fake.pay(&reference).await;
        assert_eq!(body["outcome"], "paid");
        let page = admin.get("/kelola/pembayaran").await;
        let form = refund_form(&page, id);
        let action = format!("/kelola/pembayaran/{id}/kembalikan");
        let token = page.csrf_token().unwrap();
        if matches!(*channel, "qris" | "gopay") {
            assert!(
                !form.contains("name=\"referensi\""),
                "{channel}: through Midtrans"
            );
            // Two clicks: the request is written down first, Midtrans refunds once.
            admin.post(&action, &[("csrf_token", &token)]).await;
            admin.post(&action, &[("csrf_token", &token)]).await;
            let charge = fake.charge(&reference).unwrap();
            let key = etalase::models::payment::refund_key(&code);
            assert_eq!(charge.refunds, [(key.clone(), total)], "{channel}");
            assert_eq!(charge.status, "refund");
            assert_eq!(order_status(&app, id), "refunded");
            assert_eq!(payments_of(&app, id)[0].3.as_deref(), Some(key.as_str()));
            // Midtrans' own notification of the refund finds it done.
            let (_, body) = fake.notify(&reference).await;
            assert_eq!(body["outcome"], "already-refunded", "{channel}");
        } else {
            // The Refund API takes no bank transfer: sent back by hand, with its reference.
            assert!(form.contains("name=\"referensi\""), "{channel}: by hand");
            admin.post(&action, &[("csrf_token", &token)]).await;
            assert!(admin
                .get("/kelola/pembayaran")
                .await
                .body
                .contains("Isi nomor bukti transfer"));
            assert_eq!(order_status(&app, id), "paid");
            let token = admin.csrf("/kelola/pembayaran").await;
            admin
                .post(
                    &action,
                    &[("csrf_token", &token), ("referensi", "TRF-778812")],
                )
                .await;
            assert_eq!(order_status(&app, id), "refunded", "{channel}");
            assert_eq!(
                payments_of(&app, id)[0].3.as_deref(),
                Some("manual:TRF-778812")
            );
            assert!(fake.charge(&reference).unwrap().refunds.is_empty());
        }
    }
    assert!(
        !fake
            .calls()
            .iter()
            .any(|c| c.ends_with("/refund") && !c.contains("-1/")),
        "refunds only of charges the shop made"
    );
}

#[actix_web::test]
async fn a_refund_midtrans_made_while_the_shop_never_heard_back_is_recorded_by_its_notification() {
    let (app, fake) = midtrans_shop().await;
    let product = products_in_stock(&app, 1)[0];
    let admin_id = support::create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    let mut buyer = Browser::new(&app);
    let path = order_online(&mut buyer, product).await;
    let (id, total, code) = order_of(&app, &path);
    pay_through(&mut buyer, &path, "qris").await;
    let reference = format!("{code}-1");
    fake.pay(&reference).await;
    // The shop wrote the request down, asked Midtrans, and crashed before the answer.
    assert!(etalase::models::payment::request_refund(
        &mut app.conn(),
        id,
        admin_id,
        etalase::models::now_ts()
    )
    .unwrap());
    let key = etalase::models::payment::refund_key(&code);
    fake.set(&reference, |c| {
        c.refunds.push((key.clone(), total));
        c.status = "refund".into();
    });
    let (_, body) = fake.notify(&reference).await;
    assert_eq!(body["outcome"], "refunded");
    assert_eq!(order_status(&app, id), "refunded");
    assert_eq!(payments_of(&app, id)[0].3.as_deref(), Some(key.as_str()));
    let (_, body) = fake.notify(&reference).await;
    assert_eq!(body["outcome"], "duplicate");
}

#[actix_web::test]
async fn a_notification_whose_status_call_fails_is_refused_with_503_and_applied_when_sent_again() {
    let (app, fake) = midtrans_shop().await;
    let product = products_in_stock(&app, 1)[0];
    let mut buyer = Browser::new(&app);
    let path = order_online(&mut buyer, product).await;
    let (id, _, code) = order_of(&app, &path);
    pay_through(&mut buyer, &path, "bri").await;
    let reference = format!("{code}-1");
    fake.status_down(true);
    let (status, _) = fake.pay(&reference).await;
    assert_eq!(status, 503, "Midtrans sends it again");
    assert_eq!(order_status(&app, id), "pending_payment");
    let stored: i64 = webhook_events::table
        .filter(webhook_events::provider.eq("midtrans"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, 0, "nothing stored before the state is confirmed");
    fake.status_down(false);
    let (status, body) = fake.notify(&reference).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("paid")));
    assert_eq!(order_status(&app, id), "paid");
}

#[actix_web::test]
async fn money_that_arrives_after_the_buyer_cancelled_is_flagged_for_refund() {
    let (app, fake) = midtrans_shop().await;
    let product = products_in_stock(&app, 1)[0];
    let mut buyer = Browser::new(&app);
    let path = order_online(&mut buyer, product).await;
    let (id, _, code) = order_of(&app, &path);
    pay_through(&mut buyer, &path, "gopay").await;
    let reference = format!("{code}-1");
    let cancelled = buyer.post(&format!("{path}/batal"), &[]).await;
    assert_eq!(cancelled.status, 303);
    support::eventually(
        "the charge to be cancelled at Midtrans",
        Duration::from_secs(20),
        async || {
            let there = fake.charge(&reference).unwrap().status;
            let here = payments_of(&app, id)[0].1.clone();
            if there == "cancel" && here == "voided" {
                Ok(())
            } else {
                Err(format!("{there} / {here}"))
            }
        },
    )
    .await;
    // It settled anyway (the buyer's app had already sent it): flagged, the order stays
    // cancelled, and an administrator sees it among the refunds.
    fake.set(&reference, |c| c.status = "settlement".into());
    let (_, body) = fake.notify(&reference).await;
    assert_eq!(body["outcome"], "needs-refund");
    assert_eq!(order_status(&app, id), "cancelled");
    let mut admin = support::finance_admin(&app).await;
    let page = admin.get("/kelola/pembayaran").await;
    let form = refund_form(&page, id);
    assert!(
        !form.contains("name=\"referensi\""),
        "GoPay goes back through Midtrans"
    );
}

#[actix_web::test]
async fn a_wrong_server_key_leaves_the_order_waiting_and_the_page_says_why() {
    let fake = FakeMidtrans::start().await;
    let mut settings = fake.settings();
    settings.server_key = "SB-Mid-server-wrong".into();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.midtrans = Some(settings)
    })
    .await;
    fake.deliver_to(&app.url("/webhook/midtrans"));
    let product = products_in_stock(&app, 1)[0];
    let mut buyer = Browser::new(&app);
    let path = order_online(&mut buyer, product).await;
    let (id, _, code) = order_of(&app, &path);
    let back = choose(&mut buyer, &path, "qris").await;
    assert_eq!(back, format!("{path}?bayar=gagal"));
    assert!(buyer
        .get(&back)
        .await
        .body
        .contains("sedang tidak tersedia"));
    assert!(fake.unauthorized() >= 1, "Midtrans refused the key");
    assert!(fake.charges_of(&code).is_empty());
    assert!(payments_of(&app, id).is_empty());
    // Notifications signed with Midtrans' key are not the shop's: refused.
    fake.add_foreign_charge(&format!("{code}-1"), 1000);
    let (status, _) = fake.notify(&format!("{code}-1")).await;
    assert_eq!(status, 400);
    assert_eq!(order_status(&app, id), "pending_payment");
}

#[actix_web::test]
async fn without_midtrans_neither_checkout_nor_the_webhook_offers_it() {
    let app = TestApp::spawn().await;
    let product = products_in_stock(&app, 1)[0];
    let mut buyer = Browser::new(&app);
    support::shop::fill_cart(&mut buyer, &[(product, 1)]).await;
    support::shop::to_shipping_step(&mut buyer).await;
    let form = buyer.get("/checkout/kirim").await;
    assert!(!form.body.contains("value=\"midtrans\""));
    let hook = app
        .client
        .post(app.url("/webhook/midtrans"))
        .insert_header(("Content-Type", "application/json"))
        .send_body("{}")
        .await
        .unwrap();
    assert_eq!(hook.status().as_u16(), 404);
}

// ---- Fair booths: dynamic QRIS --------------------------------------------------------------

/// A live fair where the unit of a product in stock holds booth A-01, and a seller of that
/// unit (`kasir@lapas.go.id`): (event id, unit id, product id, the seller's account id).
fn fair_with_seller(app: &TestApp) -> (i32, i32, i32, i32) {
    let product = products_in_stock(app, 1)[0];
    let (event, unit) = support::fair::live_fair_with_booth(app, product);
    let seller = support::create_account(app, "kasir@lapas.go.id", "staff", Some(unit), None);
    (event, unit, product, seller)
}

/// Asks for a dynamic QRIS charge of `quantity` × `product` for the sale `key`, as the till's
/// script does (the method chosen on the form does not matter); gives the status and answer.
async fn charge_at_booth(
    seller: &mut Browser<'_>,
    event: i32,
    key: &str,
    product: i32,
    quantity: &str,
) -> (u16, Value) {
    let token = seller.csrf(&format!("/kelola/pameran/{event}/kasir")).await;
    let product = product.to_string();
    let page = seller
        .post_with(
            &format!("/kelola/pameran/{event}/tagihan"),
            &[
                ("csrf_token", &token),
                ("kunci", key),
                ("produk", &product),
                ("jumlah", quantity),
                ("cara", "cash"),
            ],
            &[("Accept", "application/json")],
        )
        .await;
    let answer = serde_json::from_str(&page.body).unwrap_or(Value::Null);
    (page.status, answer)
}

/// What the till's script reads at `url` (a charge's state), as JSON.
async fn polled(seller: &mut Browser<'_>, url: &Value) -> Value {
    let page = seller.get(url.as_str().expect("an address")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    serde_json::from_str(&page.body).expect("JSON")
}

/// The booth sales recorded under `key`: (quantity, total, method, recorded by).
fn booth_sales_under(app: &TestApp, key: &str) -> Vec<(i32, i64, String, i32)> {
    booth_sales::table
        .filter(booth_sales::idempotency_key.eq(key))
        .select((
            booth_sales::quantity,
            booth_sales::total,
            booth_sales::method,
            booth_sales::recorded_by,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

/// The status of booth charge `reference`, as stored.
fn booth_charge_status(app: &TestApp, reference: &str) -> String {
    booth_charges::table
        .filter(booth_charges::reference.eq(reference))
        .select(booth_charges::status)
        .first(&mut *app.conn())
        .unwrap()
}

fn price_of(app: &TestApp, product: i32) -> i64 {
    products::table
        .find(product)
        .select(products::price)
        .first(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_dynamic_qris_charge_at_a_booth_is_made_at_midtrans_and_its_sale_recorded_once_when_paid()
{
    let (app, fake) = midtrans_shop().await;
    let (event, unit, product, seller_id) = fair_with_seller(&app);
    let mut seller = Browser::new(&app);
    seller.sign_in("kasir@lapas.go.id", support::PASSWORD).await;
    let till_path = format!("/kelola/pameran/{event}/kasir");
    let till = seller.get(&till_path).await;
    assert!(
        till.body.contains("QRIS dinamis (Midtrans)"),
        "offered when Midtrans is configured"
    );
    let (price, stock) = (
        price_of(&app, product),
        support::shop::stock_of(&app, product),
    );

    let key = "kunci-tagihan-qris-0001";
    let (status, answer) = charge_at_booth(&mut seller, event, key, product, "2").await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "pending", "{answer}");
    assert!(
        answer["charge"]["qr_svg"]
            .as_str()
            .is_some_and(|svg| svg.contains("<svg")),
        "the code is drawn here, not hot-linked: {answer}"
    );
    let reference = booth_charge_reference(event, unit, key);
    let charge = fake.charge(&reference).expect("a charge at Midtrans");
    assert_eq!(charge.payment_type, "qris");
    assert_eq!(charge.gross_amount, price * 2, "the whole total");
    assert_eq!(charge.expiry_minutes, Some(15), "a short custom_expiry");
    assert!(
        booth_sales_under(&app, key).is_empty(),
        "nothing recorded before the money arrives"
    );
    assert_eq!(support::shop::stock_of(&app, product), stock);

    // Sent again (the answer was lost on the way): the same charge, no second one.
    let (status, again) = charge_at_booth(&mut seller, event, key, product, "2").await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["charge"]["id"], answer["charge"]["id"]);
    let charges_made = fake
        .calls()
        .iter()
        .filter(|c| c.as_str() == "POST /v2/charge")
        .count();
    assert_eq!(charges_made, 1);

    // Without script: the charge's page with its code and a button to check; the till lists
    // it while it waits; the script's poll says it waits.
    let page = answer["charge"]["page"].as_str().unwrap().to_string();
    let shown = seller.get(&page).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("<svg"), "{}", shown.body);
    assert!(shown.body.contains("Periksa status"));
    assert!(shown.body.contains("Batalkan tagihan"));
    assert!(seller
        .get(&till_path)
        .await
        .links_under(&page)
        .contains(&page));
    let state = polled(&mut seller, &answer["charge"]["status_url"]).await;
    assert_eq!(state["status"], "pending");
    assert!(
        state["charge"]["qr_svg"].is_null(),
        "a poll carries no code"
    );

    // Paid: the notification, confirmed by the status call, records the sale once, as QRIS,
    // in the seller's name, and takes the stock.
    let (status, body) = fake.pay(&reference).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("paid")),
        "{body}"
    );
    assert_eq!(
        booth_sales_under(&app, key),
        vec![(2, price * 2, "qris".to_string(), seller_id)]
    );
    assert_eq!(support::shop::stock_of(&app, product), stock - 2);
    let state = polled(&mut seller, &answer["charge"]["status_url"]).await;
    assert_eq!(state["status"], "paid");
    assert!(
        state["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Terbayar"),
        "{state}"
    );

    // A replay changes nothing.
    let (status, body) = fake.notify(&reference).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("duplicate")));
    assert_eq!(booth_sales_under(&app, key).len(), 1);
    assert_eq!(support::shop::stock_of(&app, product), stock - 2);
    let till = seller.get(&till_path).await;
    assert!(!till.body.contains(&page), "no longer waiting");
    assert!(
        till.body.contains("2 × "),
        "in the recent sales: {}",
        till.body
    );
}

#[actix_web::test]
async fn a_booth_charge_above_the_stock_is_refused_and_a_forged_short_expired_or_unknown_notification_records_no_sale(
) {
    let (app, fake) = midtrans_shop().await;
    let (event, unit, product, _) = fair_with_seller(&app);
    let mut seller = Browser::new(&app);
    seller.sign_in("kasir@lapas.go.id", support::PASSWORD).await;
    let stock = support::shop::stock_of(&app, product);
    let sales = |app: &TestApp| -> i64 {
        booth_sales::table
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };

    // More than is in stock: refused with the till's message, nothing charged.
    let above = (stock + 1).to_string();
    let (status, answer) = charge_at_booth(
        &mut seller,
        event,
        "kunci-tagihan-stok-0001",
        product,
        &above,
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["status"], "refused");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("Stok tidak cukup: tersisa {stock}")),
        "{answer}"
    );
    assert!(fake.charges_of(&format!("BOOTH-{event}-{unit}")).is_empty());

    // Forged, then paid short: refused, then kept apart; no sale either way.
    let short_key = "kunci-tagihan-kurang-0001";
    let (status, _) = charge_at_booth(&mut seller, event, short_key, product, "1").await;
    assert_eq!(status, 200);
    let short = booth_charge_reference(event, unit, short_key);
    let total = fake.charge(&short).expect("charged").gross_amount;
    fake.set(&short, |c| c.status = "settlement".into());
    let (status, body) = fake.notify_forged(&short).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "bad signature");
    assert_eq!(booth_charge_status(&app, &short), "pending");
    let (status, body) = fake.pay_amount(&short, total - 1).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("amount-mismatch")),
        "{body}"
    );
    assert!(booth_sales_under(&app, short_key).is_empty());
    assert_eq!(booth_charge_status(&app, &short), "mismatch");

    // Left unpaid: it expires, and the till's poll says so.
    let late_key = "kunci-tagihan-habis-0001";
    let (status, answer) = charge_at_booth(&mut seller, event, late_key, product, "1").await;
    assert_eq!(status, 200);
    let late = booth_charge_reference(event, unit, late_key);
    let (status, body) = fake.run_out(&late).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("expired")));
    assert!(booth_sales_under(&app, late_key).is_empty());
    assert_eq!(booth_charge_status(&app, &late), "expired");
    let state = polled(&mut seller, &answer["charge"]["status_url"]).await;
    assert_eq!(state["status"], "expired");

    // References of no booth charge answer as those of no order do.
    let (status, body) = fake
        .notify_unknown(&format!("BOOTH-{event}-{unit}-TIDAKADA"), 10_000)
        .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("unknown-order"))
    );
    let foreign = format!("BOOTH-{event}-{unit}-DASHBOARD");
    fake.add_foreign_charge(&foreign, 10_000);
    let (status, body) = fake.notify(&foreign).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("unknown-payment"))
    );

    assert_eq!(sales(&app), 0, "no booth sale at all");
    assert_eq!(support::shop::stock_of(&app, product), stock);
}

#[actix_web::test]
async fn a_seller_cancels_a_waiting_booth_charge_at_midtrans_first_and_one_paid_meanwhile_is_recorded_instead(
) {
    let (app, fake) = midtrans_shop().await;
    let (event, unit, product, _) = fair_with_seller(&app);
    let mut seller = Browser::new(&app);
    seller.sign_in("kasir@lapas.go.id", support::PASSWORD).await;
    let token = seller.csrf(&format!("/kelola/pameran/{event}/kasir")).await;

    // Still waiting: cancelled at Midtrans, then here; audited; nothing recorded.
    let key = "kunci-tagihan-batal-0001";
    let (_, answer) = charge_at_booth(&mut seller, event, key, product, "1").await;
    let reference = booth_charge_reference(event, unit, key);
    let cancel_url = answer["charge"]["cancel_url"].as_str().unwrap().to_string();
    let cancelled = seller
        .post_with(
            &cancel_url,
            &[("csrf_token", &token)],
            &[("Accept", "application/json")],
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let cancelled: Value = serde_json::from_str(&cancelled.body).unwrap();
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    assert!(fake
        .calls()
        .contains(&format!("POST /v2/{reference}/cancel")));
    assert_eq!(fake.charge(&reference).unwrap().status, "cancel");
    assert_eq!(booth_charge_status(&app, &reference), "cancelled");
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("booth_charge.cancelled"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 1);
    // Midtrans' own notification of the cancellation changes nothing more.
    let (status, body) = fake.notify(&reference).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("ignored")));
    assert!(booth_sales_under(&app, key).is_empty());

    // Paid a moment before the seller pressed cancel (its notification not yet here): Midtrans
    // will not cancel it, so the payment is confirmed and the sale recorded at once.
    let paid_key = "kunci-tagihan-batal-0002";
    let (status, answer) = charge_at_booth(&mut seller, event, paid_key, product, "1").await;
    assert_eq!(status, 200, "{answer}");
    let paid = booth_charge_reference(event, unit, paid_key);
    fake.set(&paid, |c| c.status = "settlement".into());
    let cancel_url = answer["charge"]["cancel_url"].as_str().unwrap().to_string();
    let refused = seller.post(&cancel_url, &[("csrf_token", &token)]).await;
    assert_eq!(refused.status, 303, "{}", refused.body);
    assert_eq!(booth_charge_status(&app, &paid), "paid");
    assert_eq!(booth_sales_under(&app, paid_key).len(), 1);
    let page = seller.get(&refused.location()).await;
    assert!(page.body.contains("Terbayar"), "{}", page.body);
    let (_, body) = fake.notify(&paid).await;
    assert_eq!(
        body["outcome"], "duplicate",
        "its late notification: {body}"
    );
    assert_eq!(booth_sales_under(&app, paid_key).len(), 1);
}
