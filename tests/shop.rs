//! The guest cart and checkout.

use crate::support;

use diesel::prelude::*;
use etalase::db::schema::products;
use support::shop::{
    fill_cart, place_order, stock_of, to_shipping_step, two_products_of_two_units, CONTACT,
};
use support::{Browser, TestApp};

#[actix_web::test]
async fn a_guest_cart_holds_products_of_several_units_within_their_stock() {
    let app = TestApp::spawn().await;
    let [(a, slug_a, stock_a), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let page = buyer.get(&format!("/produk/{slug_a}")).await;
    assert!(
        page.body.contains("action=\"/keranjang\""),
        "an add-to-cart form"
    );
    let added = buyer
        .post(
            "/keranjang",
            &[("product_id", &a.to_string()), ("quantity", "2")],
        )
        .await;
    assert_eq!(added.status, 303);
    assert!(added.headers.get_all("set-cookie").any(|c| c
        .to_str()
        .unwrap_or_default()
        .starts_with("etalase_keranjang=")));
    buyer
        .post(
            "/keranjang",
            &[("product_id", &b.to_string()), ("quantity", "1")],
        )
        .await;
    let cart = buyer.get("/keranjang").await;
    assert_eq!(cart.status, 200);
    assert_eq!(
        cart.body.matches("class=\"box cart-group\"").count(),
        2,
        "one group per unit"
    );
    assert!(cart.body.contains("/checkout"));

    let too_many = buyer
        .post(
            "/keranjang/ubah",
            &[
                ("product_id", &a.to_string()),
                ("quantity", &(stock_a + 50).to_string()),
            ],
        )
        .await;
    assert!(too_many.location().contains("cart-capped"));
    let cart = buyer.get(&too_many.location()).await;
    assert!(cart.body.contains("jumlah di keranjang disesuaikan"));
    assert!(cart.body.contains(&format!("value=\"{stock_a}\"")));

    for bad in ["abc", "-1", "99999999999", ""] {
        let page = buyer
            .post(
                "/keranjang",
                &[("product_id", &a.to_string()), ("quantity", bad)],
            )
            .await;
        assert!(page.location().contains("cart-bad-quantity"), "{bad:?}");
    }
    let page = buyer.get("/keranjang?pesan=cart-bad-quantity").await;
    assert!(page.body.contains("Jumlah harus berupa bilangan bulat"));

    // A product taken off the shop while in the cart is flagged and not counted.
    diesel::update(products::table.find(b))
        .set(products::status.eq("archived"))
        .execute(&mut *app.conn())
        .unwrap();
    let cart = buyer.get("/keranjang").await;
    assert!(cart.body.contains("tidak dijual lagi"));
    // And a fresh visitor has an empty cart.
    let empty = app.get("/keranjang").await;
    assert!(empty.body.contains("Keranjang Anda masih kosong"));
}

#[actix_web::test]
async fn a_buyer_orders_from_two_units_in_one_checkout_and_pays_by_bank_transfer() {
    let app = TestApp::spawn().await;
    let [(a, _, stock_a), (b, _, stock_b)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 2), (b, 1)]).await;
    let (key, radios) = to_shipping_step(&mut buyer).await;
    assert_eq!(radios.len(), 2, "one shipping choice per unit");
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "transfer")];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    // The review step shows every total before anything is placed.
    let review = buyer.post("/checkout/tinjau", &fields).await;
    assert_eq!(review.status, 200, "{}", review.body);
    assert!(review.body.contains("Ringkasan pesanan"));
    assert_eq!(review.body.matches("name=\"kirim_").count(), 2);
    assert!(review.body.contains("action=\"/checkout/kirim\""));
    let grand_total: i64 = {
        let at = review.body.find("id=\"grand-total\">").unwrap() + 17;
        review.body[at..]
            .chars()
            .take_while(|c| *c != '<')
            .filter(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap()
    };
    assert_eq!(stock_of(&app, a), stock_a, "reviewing reserves nothing");
    let wrong = buyer
        .post(
            "/checkout/tinjau",
            &[
                ("kunci", key.as_str()),
                ("bayar", "transfer"),
                ("kirim_1", "kapal-api"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong
        .body
        .contains("Pilih cara pengiriman untuk setiap unit"));
    let placed = buyer.post("/checkout/kirim", &fields).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let order_path = placed.location();
    assert!(order_path.starts_with("/pesanan/"));
    let (total, unique_code): (i64, i32) = etalase::db::schema::orders::table
        .select((
            etalase::db::schema::orders::total,
            etalase::db::schema::orders::unique_code,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        total,
        grand_total + i64::from(unique_code),
        "the review's total"
    );
    let again = buyer.post("/checkout/kirim", &fields).await;
    assert_eq!(
        again.location(),
        order_path,
        "a double submit makes one order"
    );
    assert_eq!(stock_of(&app, a), stock_a - 2);
    assert_eq!(stock_of(&app, b), stock_b - 1);

    let order = buyer.get(&order_path).await;
    assert_eq!(order.status, 200);
    assert!(order.body.contains("Menunggu pembayaran"));
    assert!(order.body.contains("Transfer tepat Rp"));
    assert_eq!(order.body.matches("JNE REG").count(), 2);
    assert_eq!(
        order.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let cart = buyer.get("/keranjang").await;
    assert!(
        cart.body.contains("Keranjang Anda masih kosong"),
        "the cart is emptied"
    );
    assert_eq!(
        app.get("/pesanan/0123456789abcdef0123456789abcdef0123456789abcdef")
            .await
            .status,
        404
    );
    assert_eq!(app.get("/pesanan/xyz").await.status, 404);

    // The buyer may cancel while unpaid; the stock comes back at once, and only once.
    let page = buyer.get(&order_path).await;
    assert!(page
        .body
        .contains(&format!("action=\"{order_path}/batal\"")));
    let cancelled = buyer.post(&format!("{order_path}/batal"), &[]).await;
    assert_eq!(cancelled.status, 303);
    assert_eq!(stock_of(&app, a), stock_a);
    assert_eq!(stock_of(&app, b), stock_b);
    buyer.post(&format!("{order_path}/batal"), &[]).await;
    assert_eq!(stock_of(&app, a), stock_a, "cancelling twice releases once");
    assert!(buyer.get(&order_path).await.body.contains("Dibatalkan"));

    // Another order left unpaid past the deadline expires the same way.
    fill_cart(&mut buyer, &[(a, 2), (b, 1)]).await;
    let (key, radios) = to_shipping_step(&mut buyer).await;
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key)];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    let order_path = buyer.post("/checkout/kirim", &fields).await.location();
    assert_eq!(stock_of(&app, a), stock_a - 2);
    // Unpaid past the deadline: the order is cancelled and the stock comes back, once.
    let later = etalase::models::now_ts() + 25 * 3600;
    assert_eq!(
        etalase::models::order::expire_unpaid(&mut app.conn(), later).unwrap(),
        1
    );
    assert_eq!(
        etalase::models::order::expire_unpaid(&mut app.conn(), later).unwrap(),
        0
    );
    assert_eq!(stock_of(&app, a), stock_a);
    assert_eq!(stock_of(&app, b), stock_b);
    assert!(buyer.get(&order_path).await.body.contains("Dibatalkan"));
}

#[actix_web::test]
async fn bad_contact_details_are_explained_and_kept() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let page = buyer
        .post(
            "/checkout",
            &[
                ("name", "S"),
                ("email", "bukan-email"),
                ("phone", "021 555 0101"),
                ("province_id", "999"),
                ("city", ""),
                ("district", ""),
                ("postal_code", "4013"),
                ("address", "pendek"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    for message in [
        "Tulis nama lengkap",
        "Alamat email tidak sah",
        "nomor WhatsApp Indonesia",
        "Pilih provinsi tujuan",
        "Kode pos terdiri dari 5 angka",
        "Tulis alamat lengkap",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(
        page.body.contains("value=\"021 555 0101\""),
        "typed phone kept"
    );
    // A forged shipping choice or a stale form places nothing.
    let (_, radios) = to_shipping_step(&mut buyer).await;
    let forged = buyer
        .post(
            "/checkout/kirim",
            &[
                ("kunci", "0123456789abcdef0123"),
                (radios[0].as_str(), "gratis-ongkir"),
            ],
        )
        .await;
    assert_eq!(forged.status, 422);
    assert!(forged.body.contains("Pilih cara pengiriman"));
    let stale = buyer
        .post(
            "/checkout/kirim",
            &[("kunci", "x"), (radios[0].as_str(), "jne-reg")],
        )
        .await;
    assert_eq!(stale.status, 422);
    let orders: i64 = etalase::db::schema::orders::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(orders, 0);
}

#[actix_web::test]
async fn buyers_racing_for_the_last_units_never_oversell() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    diesel::update(products::table.find(a))
        .set(products::stock.eq(3))
        .execute(&mut *app.conn())
        .unwrap();
    // Twelve buyers, each with the product in the cart, at the last step.
    let mut ready = Vec::new();
    for _ in 0..12 {
        let mut buyer = Browser::new(&app);
        fill_cart(&mut buyer, &[(a, 1)]).await;
        let (key, radios) = to_shipping_step(&mut buyer).await;
        ready.push((buyer, key, radios));
    }
    let attempts = ready.iter_mut().map(|(buyer, key, radios)| {
        let fields: Vec<(String, String)> = vec![
            ("kunci".into(), key.clone()),
            (radios[0].clone(), "ambil".into()),
        ];
        async move {
            let refs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            buyer.post("/checkout/kirim", &refs).await
        }
    });
    let pages = futures_util::future::join_all(attempts).await;
    let placed = pages
        .iter()
        .filter(|p| p.location().starts_with("/pesanan/"))
        .count();
    let refused = pages
        .iter()
        .filter(|p| p.location().contains("checkout-cart-changed"))
        .count();
    assert!(pages.iter().all(|p| p.status < 500), "no server errors");
    assert_eq!(placed, 3, "exactly the stock is sold");
    assert_eq!(refused, 9);
    assert_eq!(stock_of(&app, a), 0);
}

#[actix_web::test]
async fn an_administrator_confirms_the_transfer_and_only_the_units_staff_ship_it() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let unit_of = |id: i32| -> i32 {
        products::table
            .find(id)
            .select(products::unit_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (unit_a, unit_b) = (unit_of(a), unit_of(b));
    support::create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    support::create_account(&app, "a@lapas.go.id", "staff", Some(unit_a), None);
    support::create_account(&app, "b@lapas.go.id", "staff", Some(unit_b), None);
    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1)]).await.location();

    let mut admin = Browser::new(&app);
    admin
        .sign_in("admin@kemenimipas.go.id", support::PASSWORD)
        .await;
    let payments = admin.get("/kelola/pembayaran").await;
    assert!(payments.body.contains("ETL-"));
    let form_at = payments.body.find("/kelola/pembayaran/").unwrap();
    let action: String = payments.body[form_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let token = payments.csrf_token().unwrap();
    let total: i64 = etalase::db::schema::orders::table
        .select(etalase::db::schema::orders::total)
        .first(&mut *app.conn())
        .unwrap();
    // A transfer short of the unique code is refused; the order keeps waiting.
    let short = etalase::views::cards::format_price(total - 1);
    admin
        .post(&action, &[("csrf_token", &token), ("jumlah", &short)])
        .await;
    assert!(admin
        .get("/kelola/pembayaran")
        .await
        .body
        .contains("tidak sama dengan total pesanan"));
    assert!(buyer
        .get(&order_path)
        .await
        .body
        .contains("Menunggu pembayaran"));
    let exact = etalase::views::cards::format_price(total);
    assert_eq!(
        admin
            .post(&action, &[("csrf_token", &token), ("jumlah", &exact)])
            .await
            .status,
        303
    );
    assert!(buyer
        .get(&order_path)
        .await
        .body
        .contains("Pembayaran diterima"));

    let mut staff_b = Browser::new(&app);
    staff_b.sign_in("b@lapas.go.id", support::PASSWORD).await;
    assert!(
        !staff_b.get("/kelola/pesanan").await.body.contains("ETL-"),
        "not B's order"
    );
    let mut staff_a = Browser::new(&app);
    staff_a.sign_in("a@lapas.go.id", support::PASSWORD).await;
    let list = staff_a.get("/kelola/pesanan").await;
    assert!(list.body.contains("Siti Rahmawati"));
    assert!(list.body.contains("PNBP"), "the revenue split is shown");
    let ship_at = list.body.find("/kelola/kiriman/").unwrap();
    let ship_action: String = list.body[ship_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let token_b = staff_b.csrf("/kelola").await;
    let refused = staff_b
        .post(
            &ship_action,
            &[("csrf_token", &token_b), ("tracking", "JNE123456789")],
        )
        .await;
    assert_eq!(refused.status, 403, "another unit cannot ship it");
    let token_a = list.csrf_token().unwrap();
    let shipped = staff_a
        .post(
            &ship_action,
            &[("csrf_token", &token_a), ("tracking", "JNE123456789")],
        )
        .await;
    assert_eq!(shipped.status, 303);
    let order = buyer.get(&order_path).await;
    assert!(order.body.contains("Sudah dikirim"));
    assert!(order.body.contains("JNE123456789"));
    // The buyer confirms the parcel arrived (once; a second confirmation changes nothing).
    assert!(order
        .body
        .contains(&format!("action=\"{order_path}/diterima\"")));
    let received = buyer.post(&format!("{order_path}/diterima"), &[]).await;
    assert_eq!(received.status, 303);
    buyer.post(&format!("{order_path}/diterima"), &[]).await;
    assert!(buyer.get(&order_path).await.body.contains("Sudah diterima"));
    let mails: Vec<String> = etalase::db::schema::mail_outbox::table
        .select(etalase::db::schema::mail_outbox::subject_id)
        .load(&mut *app.conn())
        .unwrap();
    assert!(
        mails.iter().any(|m| m.contains("kami terima")),
        "order received"
    );
    assert!(
        mails.iter().any(|m| m.contains("Pembayaran")),
        "payment confirmed"
    );
    assert!(mails.iter().any(|m| m.contains("dikirim")), "shipped");
    assert!(
        mails.iter().any(|m| m.starts_with("Pesanan baru")),
        "the unit is told"
    );
}

#[actix_web::test]
async fn a_price_change_after_the_review_page_stops_the_order() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let saved = buyer.post("/checkout", &CONTACT).await;
    assert_eq!(saved.status, 303);
    let page = buyer.get("/checkout/kirim").await;
    let value_of = |name: &str| {
        let needle = format!("name=\"{name}\" value=\"");
        let at = page.body.find(&needle).unwrap() + needle.len();
        page.body[at..]
            .chars()
            .take_while(|c| *c != '"')
            .collect::<String>()
    };
    let (key, seen) = (value_of("kunci"), value_of("isi"));
    let radio = page
        .attr_values("name")
        .into_iter()
        .find(|n| n.starts_with("kirim_"))
        .unwrap();
    diesel::update(products::table.find(a))
        .set(products::price.eq(products::price + 10_000))
        .execute(&mut *app.conn())
        .unwrap();
    let placed = buyer
        .post(
            "/checkout/kirim",
            &[("kunci", &key), ("isi", &seen), (radio.as_str(), "ambil")],
        )
        .await;
    assert!(
        placed.location().contains("checkout-cart-changed"),
        "{}",
        placed.location()
    );
    let orders: i64 = etalase::db::schema::orders::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(orders, 0, "no order at a price the buyer did not see");
}

#[actix_web::test]
async fn a_cart_changed_in_another_tab_sends_checkout_back_to_the_cart_with_a_message_saying_so() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let saved = buyer.post("/checkout", &CONTACT).await;
    assert_eq!(saved.status, 303);
    let page = buyer.get("/checkout/kirim").await;
    let value_of = |name: &str| {
        let needle = format!("name=\"{name}\" value=\"");
        let at = page.body.find(&needle).unwrap() + needle.len();
        page.body[at..]
            .chars()
            .take_while(|c| *c != '"')
            .collect::<String>()
    };
    let (key, seen) = (value_of("kunci"), value_of("isi"));
    let radio = page
        .attr_values("name")
        .into_iter()
        .find(|n| n.starts_with("kirim_"))
        .unwrap();
    // In another tab the buyer takes a second piece.
    let changed = buyer
        .post(
            "/keranjang/ubah",
            &[("product_id", &a.to_string()), ("quantity", "2")],
        )
        .await;
    assert_eq!(changed.status, 303);
    // Back in the first tab: "Buat pesanan".
    let placed = buyer
        .post(
            "/checkout/kirim",
            &[("kunci", &key), ("isi", &seen), (radio.as_str(), "ambil")],
        )
        .await;
    assert_eq!(placed.location(), "/keranjang?pesan=checkout-cart-changed");
    let cart = buyer.get(&placed.location()).await;
    assert!(
        cart.body
            .contains("<p class=\"notice\" role=\"status\">Isi keranjang berubah"),
        "{}",
        cart.body
    );
    buyer.get("/bahasa/en").await;
    let english = buyer.get(&placed.location()).await;
    assert!(
        english.body.contains("Your cart changed"),
        "{}",
        english.body
    );

    // Only the shop's own messages are shown, never other text put in the address.
    for foreign in [
        "fairs-live-before-start",
        "cart-stock-low",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "Hadiah+Rp10.000.000%2C+hubungi+0812",
    ] {
        let page = buyer.get(&format!("/keranjang?pesan={foreign}")).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("<p class=\"notice\" role=\"status\">"),
            "{foreign}: {}",
            page.body
        );
    }
}

#[actix_web::test]
async fn a_partly_shipped_order_says_so_and_shows_each_parcels_own_state() {
    use support::shop::{confirm_transfer, order_behind, ship_from_unit};
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1), (b, 1)]).await.location();
    let (order_id, total, parcels) = order_behind(&app, &order_path);
    assert_eq!(parcels.len(), 2, "one parcel per unit");
    confirm_transfer(&app, order_id, total).await;
    ship_from_unit(&app, parcels[0], "JNE0000000001").await;

    let page = buyer.get(&order_path).await;
    let summary = |body: &str| -> String {
        let needle = "id=\"order-summary\">";
        let at = body.find(needle).unwrap() + needle.len();
        body[at..].chars().take_while(|c| *c != '<').collect()
    };
    assert!(
        summary(&page.body).starts_with("Sebagian dikirim"),
        "{}",
        summary(&page.body)
    );
    assert!(!page.body.contains("Sedang disiapkan unit"));
    let boxes: Vec<&str> = page
        .body
        .split("<section class=\"box shipment\">")
        .skip(1)
        .collect();
    assert_eq!(boxes.len(), 2);
    let (sent, waiting) = if boxes[0].contains("JNE0000000001") {
        (boxes[0], boxes[1])
    } else {
        (boxes[1], boxes[0])
    };
    let state = |b: &str| -> String {
        let at = b.find("class=\"shipment-state\">").unwrap();
        b[at..].split("</p>").next().unwrap().to_string()
    };
    assert!(state(sent).contains("<strong>Dikirim</strong>"), "{sent}");
    assert!(state(sent).contains("JNE REG"), "the courier: {sent}");
    assert!(state(sent).contains("Nomor resi: JNE0000000001"), "{sent}");
    assert!(
        state(waiting).contains("<strong>Disiapkan</strong>"),
        "{waiting}"
    );
    assert!(!waiting.contains("Nomor resi"), "{waiting}");
    assert!(
        !page.body.contains("/diterima\""),
        "delivery is confirmed once every parcel has left"
    );
    buyer.get("/bahasa/en").await;
    let english = buyer.get(&order_path).await;
    assert!(summary(&english.body).starts_with("Partly shipped"));
    assert!(english.body.contains("<strong>Being prepared</strong>"));
    buyer.get("/bahasa/id").await;

    // The second parcel leaves: the whole order is shipped.
    ship_from_unit(&app, parcels[1], "JNE0000000002").await;
    let page = buyer.get(&order_path).await;
    assert_eq!(summary(&page.body), "Sudah dikirim.");
    assert_eq!(page.body.matches("<strong>Dikirim</strong>").count(), 2);
}

#[actix_web::test]
async fn the_header_badge_counts_the_pieces_in_the_cart_and_empties_once_the_order_is_placed() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let count = |buyer: &Browser<'_>| {
        buyer
            .cookie_header()
            .unwrap_or_default()
            .split("; ")
            .find_map(|c| c.strip_prefix("etalase_jumlah=").map(str::to_string))
    };
    fill_cart(&mut buyer, &[(a, 2), (b, 1)]).await;
    assert_eq!(count(&buyer).as_deref(), Some("3"));
    // The badge is drawn by a script from that cookie: every page loads it.
    let home = buyer.get("/").await;
    assert!(home.body.contains("/static/js/cart-count.js"));
    let placed = place_order(&mut buyer, &[]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert_eq!(count(&buyer).as_deref(), Some("0"));
}

#[actix_web::test]
async fn a_buyer_who_lost_the_order_link_gets_it_by_mail_and_a_stranger_learns_nothing() {
    use etalase::db::schema::{mail_outbox, orders};
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let placed = place_order(&mut buyer, &[(a, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let secret = placed
        .location()
        .trim_start_matches("/pesanan/")
        .to_string();
    let code: String = orders::table
        .filter(orders::secret.eq(&secret))
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    let link_mails = || -> Vec<(String, String)> {
        mail_outbox::table
            .filter(mail_outbox::subject_id.like(format!("Tautan pesanan {code}%")))
            .select((mail_outbox::to_addr, mail_outbox::body_id))
            .load(&mut *app.conn())
            .unwrap()
    };

    let mut someone = Browser::new(&app);
    let form = someone.get("/pesanan/cari").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("name=\"code\"") && form.body.contains("name=\"contact\""));
    assert!(
        app.get("/").await.body.contains("href=\"/pesanan/cari\""),
        "linked from every page"
    );

    // The order number as typed on a phone, the email in capitals: the link goes by mail.
    let tail = code.trim_start_matches("ETL-").to_lowercase();
    let answer = someone
        .post(
            "/pesanan/cari",
            &[("code", &tail), ("contact", "SITI@contoh.id")],
        )
        .await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.contains("sudah kami kirim ke email pemesan"));
    assert!(!answer.body.contains(&secret), "never on the page");
    let mails = link_mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "siti@contoh.id");
    assert!(mails[0].1.contains(&format!("/pesanan/{secret}")));

    // The WhatsApp number works too; a stranger's contact gets the same answer and no mail.
    someone
        .post(
            "/pesanan/cari",
            &[("code", &code), ("contact", "0812 3456 7890")],
        )
        .await;
    assert_eq!(link_mails().len(), 2);
    let stranger = someone
        .post(
            "/pesanan/cari",
            &[("code", &code), ("contact", "orang@lain.id")],
        )
        .await;
    assert_eq!(stranger.status, 200);
    assert!(stranger.body.contains("sudah kami kirim ke email pemesan"));
    assert_eq!(link_mails().len(), 2);

    // Text that is not an order number or a contact is named, and kept in the form.
    let bad = someone
        .post("/pesanan/cari", &[("code", "12"), ("contact", "siti")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(bad.body.contains("value=\"siti\""));

    // Guessing is slowed down: a client gets a handful of tries at once.
    let mut refused = false;
    for _ in 0..10 {
        let page = someone
            .post(
                "/pesanan/cari",
                &[("code", "ETL-AAAAAAAA"), ("contact", "a@b.id")],
            )
            .await;
        if page.status == 429 {
            refused = true;
            break;
        }
    }
    assert!(refused, "too many lookups are refused");
}

#[actix_web::test]
async fn unit_staff_see_what_to_pack_and_the_buyers_address_only_once_the_order_is_paid() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let (unit, name): (i32, String) = products::table
        .find(a)
        .select((products::unit_id, products::name))
        .first(&mut *app.conn())
        .unwrap();
    support::create_account(&app, "gudang@lapas.go.id", "staff", Some(unit), None);
    let mut buyer = Browser::new(&app);
    let placed = place_order(&mut buyer, &[(a, 2)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let mut staff = Browser::new(&app);
    staff.sign_in("gudang@lapas.go.id", support::PASSWORD).await;
    let list = staff.get("/kelola/pesanan").await;
    assert_eq!(list.status, 200);
    let escaped = name
        .replace('&', "&amp;")
        .replace('\'', "&#x27;")
        .replace('"', "&quot;")
        .replace('/', "&#x2F;");
    assert!(
        list.body
            .contains(&format!("<strong>2 ×</strong> {escaped}")),
        "the parcel lists what to pack"
    );
    assert!(list.body.contains("Siti Rahmawati"));
    assert!(
        !list.body.contains("Jl. Ganesha"),
        "no address before the order is paid"
    );
    let (order_id, total, _) = support::shop::order_behind(&app, &placed.location());
    support::shop::confirm_transfer(&app, order_id, total).await;
    let paid = staff.get("/kelola/pesanan").await;
    assert!(paid.body.contains("Jl. Ganesha"), "the address to ship to");
}
