//! Order mail through a real SMTP server (aiosmtpd, started by `./scripts/test`): the buyer's
//! "order received" with payment instructions and the unit staff's "new order", both in
//! Indonesian then English, text and HTML. A mail server that is down delays mail, never
//! loses it or the order.

use crate::support;

use std::time::Duration;

use diesel::prelude::*;
use etalase::db::schema::{mail_outbox, products};
use etalase::services::mail::{deliver_due, Mailer};
use support::mail::{received, smtp_server};
use support::{create_account, Browser, TestApp};

async fn place_an_order(app: &TestApp, email: &str) -> (String, i32) {
    let (product, unit): (i32, i32) = products::table
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(2))
        .select((products::id, products::unit_id))
        .first(&mut *app.conn())
        .unwrap();
    let mut buyer = Browser::new(app);
    buyer
        .post(
            "/keranjang",
            &[("product_id", &product.to_string()), ("quantity", "1")],
        )
        .await;
    let saved = buyer
        .post(
            "/checkout",
            &[
                ("name", "Budi Santoso"),
                ("email", email),
                ("phone", "081298765432"),
                ("province_id", "12"),
                ("city", "Kota Semarang"),
                ("district", "Tembalang"),
                ("postal_code", "50275"),
                ("address", "Jl. Prof. Sudarto No. 13"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    let page = buyer.get("/checkout/kirim").await;
    let key_at = page.body.find("name=\"kunci\" value=\"").unwrap() + 20;
    let key: String = page.body[key_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let radio = page
        .attr_values("name")
        .into_iter()
        .find(|n| n.starts_with("kirim_"))
        .unwrap();
    let placed = buyer
        .post(
            "/checkout/kirim",
            &[("kunci", &key), (radio.as_str(), "jne-reg")],
        )
        .await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let order = buyer.get(&placed.location()).await;
    let at = order.body.find("ETL-").unwrap();
    (order.body[at..at + 12].to_string(), unit)
}

#[actix_web::test]
async fn order_mail_reaches_the_buyer_and_the_unit_staff_through_smtp() {
    let (url, maildir) = smtp_server();
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.smtp_url = Some(url.clone());
    })
    .await;
    let unit: i32 = products::table
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(2))
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let staff_email = format!("staf-{}@lapas.go.id", fastrand::u32(..));
    create_account(&app, &staff_email, "staff", Some(unit), None);
    let buyer_email = format!("pembeli-{}@contoh.id", fastrand::u32(..));
    let (code, _) = place_an_order(&app, &buyer_email).await;
    let (to_buyer, to_staff) = support::eventually_every(
        &format!("mail for {code} to reach the buyer and the staff"),
        Duration::from_secs(15),
        Duration::from_millis(200),
        async || {
            let to_buyer = received(&maildir, &buyer_email);
            let to_staff = received(&maildir, &staff_email);
            (!to_buyer.is_empty() && !to_staff.is_empty()).then_some((to_buyer, to_staff))
        },
    )
    .await;
    let mail = &to_buyer[0];
    assert!(mail.contains(&code));
    assert!(mail.contains("Transfer tepat Rp"), "payment instructions");
    assert!(mail.contains("English"), "English below Indonesian");
    assert!(mail.contains("text/plain") && mail.contains("text/html"));
    assert!(to_staff[0].contains("Pesanan baru"));
}

#[actix_web::test]
async fn a_mail_server_that_is_down_delays_mail_but_loses_neither_mail_nor_order() {
    let (url, maildir) = smtp_server();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{closed}"));
    })
    .await;
    let buyer_email = format!("sabar-{}@contoh.id", fastrand::u32(..));
    let (code, _) = place_an_order(&app, &buyer_email).await;
    let failed: Vec<(i32, Option<String>)> = support::eventually_every(
        "a failed attempt is recorded",
        Duration::from_secs(10),
        Duration::from_millis(200),
        async || {
            let failed: Vec<(i32, Option<String>)> = mail_outbox::table
                .filter(mail_outbox::to_addr.eq(&buyer_email))
                .select((mail_outbox::attempts, mail_outbox::last_error))
                .load(&mut *app.conn())
                .unwrap();
            failed
                .first()
                .is_some_and(|(a, _)| *a >= 1)
                .then_some(failed)
        },
    )
    .await;
    assert!(failed[0].1.as_deref().unwrap_or_default().contains("SMTP"));
    // The server is back (here: the real one): the waiting mail goes out.
    let working = Mailer::new(app.settings.data_dir.join("unused"), Some(&url)).unwrap();
    let mut delivered = 0;
    for _ in 0..5 {
        diesel::update(mail_outbox::table)
            .set(mail_outbox::next_attempt_at.eq(0i64))
            .execute(&mut *app.conn())
            .unwrap();
        delivered += deliver_due(&mut app.conn(), &working).unwrap();
        if delivered > 0 {
            break;
        }
    }
    assert!(
        delivered >= 1,
        "the waiting mail is sent once the server answers"
    );
    support::eventually(
        "the delayed mail arrives",
        Duration::from_secs(10),
        async || !received(&maildir, &buyer_email).is_empty(),
    )
    .await;
    assert!(received(&maildir, &buyer_email)[0].contains(&code));
}

#[actix_web::test]
async fn payment_and_shipping_mail_link_the_order_and_the_last_parcel_says_the_whole_order_is_on_its_way(
) {
    use support::shop::{confirm_transfer, order_behind, ship_from_unit};
    let (url, maildir) = smtp_server();
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.smtp_url = Some(url.clone());
    })
    .await;
    let [(a, _, _), (b, _, _)] = support::shop::two_products_of_two_units(&app);
    let buyer_email = format!("dua-paket-{}@contoh.id", fastrand::u32(..));
    let contact: Vec<(&str, &str)> = support::shop::CONTACT
        .iter()
        .map(|(k, v)| {
            (
                *k,
                if *k == "email" {
                    buyer_email.as_str()
                } else {
                    *v
                },
            )
        })
        .collect();
    let mut buyer = Browser::new(&app);
    let order_path =
        support::shop::place_order_as(&mut buyer, &[(a, 1), (b, 1)], &contact, "transfer")
            .await
            .location();
    let link = app.url(&order_path);
    assert!(link.starts_with("http://") && link.contains("/pesanan/"));
    let (order_id, total, parcels) = order_behind(&app, &order_path);
    assert_eq!(parcels.len(), 2);
    confirm_transfer(&app, order_id, total).await;
    ship_from_unit(&app, parcels[0], "JNE0000000011").await;
    ship_from_unit(&app, parcels[1], "JNE0000000012").await;

    let arrived = |needle: &'static str| arrived(&maildir, &buyer_email, needle);
    let paid = arrived("Pembayaran pesanan").await;
    assert!(
        paid.contains(&link),
        "the payment mail links the order: {paid}"
    );
    let first = arrived("JNE0000000011").await;
    assert!(first.contains(&link), "{first}");
    assert!(first.contains("sebagian pesanan") && first.contains("part of order"));
    assert!(first.contains("masih disiapkan"), "{first}");
    let last = arrived("JNE0000000012").await;
    assert!(last.contains(&link), "{last}");
    assert!(
        last.contains("Seluruh pesanan Anda kini dalam perjalanan")
            && last.contains("Your whole order is now on its way"),
        "{last}"
    );
    assert!(
        !last.contains("sebagian pesanan") && !last.contains("part of order"),
        "the last parcel is not 'part of the order': {last}"
    );
}

/// The first mail to `to` in the Maildir that mentions `needle`, waiting for it to arrive.
async fn arrived(maildir: &std::path::Path, to: &str, needle: &str) -> String {
    support::eventually_every(
        &format!("a mail with {needle} for {to}"),
        Duration::from_secs(20),
        Duration::from_millis(200),
        async || {
            received(maildir, to)
                .into_iter()
                .find(|m| m.contains(needle))
        },
    )
    .await
}

#[actix_web::test]
async fn a_web_instance_without_jobs_leaves_the_order_mail_to_a_worker_that_sends_it() {
    let (url, maildir) = smtp_server();
    let app = TestApp::spawn_as(
        Some(support::small_demo()),
        etalase::jobs::Role::WebOnly,
        |s| s.smtp_url = Some(url.clone()),
    )
    .await;
    let buyer_email = format!("pekerja-{}@contoh.id", fastrand::u32(..));
    let (code, _) = place_an_order(&app, &buyer_email).await;
    let unsent = |app: &TestApp| -> i64 {
        mail_outbox::table
            .filter(mail_outbox::to_addr.eq(&buyer_email))
            .filter(mail_outbox::sent_at.is_null())
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    // The web instance queues the mail and leaves it: its mail sender would have run twice.
    // (A fixed wait, not a poll: the test checks that nothing happens in that time.)
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(unsent(&app), 1, "the order mail waits in the outbox");
    assert!(received(&maildir, &buyer_email).is_empty());

    // A worker on the same database, with a data folder of its own, as on another machine.
    let worker_dir = tempfile::tempdir().unwrap();
    let mut settings = app.settings.clone();
    settings.data_dir = worker_dir.path().to_path_buf();
    let pool = etalase::startup::connect_and_migrate(&settings).unwrap();
    let jobs = etalase::jobs::Jobs::open(&settings, pool).unwrap();
    let worker = actix_web::rt::spawn(etalase::jobs::run_worker(jobs));
    support::eventually(
        "the worker sends the mail",
        Duration::from_secs(30),
        async || unsent(&app) == 0,
    )
    .await;
    worker.abort();
    let mails = received(&maildir, &buyer_email);
    assert_eq!(mails.len(), 1, "sent exactly once");
    assert!(mails[0].contains(&code), "the mail names the order {code}");
}

#[actix_web::test]
async fn two_workers_sending_the_outbox_at_once_send_each_mail_exactly_once() {
    let app = TestApp::spawn_as(None, etalase::jobs::Role::WebOnly, |_| {}).await;
    const MAILS: usize = 40;
    for i in 0..MAILS {
        etalase::models::mail_outbox::enqueue(
            &mut app.conn(),
            &etalase::services::mail::Mail {
                to: format!("pembeli-{i}@contoh.id"),
                subject_id: format!("Surat {i}"),
                subject_en: format!("Mail {i}"),
                body_id: "Isi".into(),
                body_en: "Body".into(),
            },
        )
        .unwrap();
    }
    let outbox = tempfile::tempdir().unwrap();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let pool = app.pool.clone();
            let mailer = Mailer::new(outbox.path().to_path_buf(), None).unwrap();
            std::thread::spawn(move || {
                let mut sent = 0;
                for _ in 0..20 {
                    sent += deliver_due(&mut pool.get().unwrap(), &mailer).unwrap();
                }
                sent
            })
        })
        .collect();
    let sent: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(sent, MAILS, "together the workers sent every mail once");
    let files = std::fs::read_dir(outbox.path()).unwrap().count();
    assert_eq!(files, MAILS, "one message written per mail");
    let unsent: i64 = mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(unsent, 0);
}
