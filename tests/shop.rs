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
    // The first form's action (the navigation links to `/kelola/pembayaran/rekening` too).
    let form_at = payments.body.find("action=\"/kelola/pembayaran/").unwrap() + 8;
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
    assert!(state(sent).contains("Nomor resi: <a "), "linked: {sent}");
    assert!(state(sent).contains(">JNE0000000001<"), "{sent}");
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
    // An unpaid parcel waits under "Belum dibayar"; the page opens at "Perlu dikemas".
    let list = staff.get("/kelola/pesanan?status=belum-dibayar").await;
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

/// The `<li class="cart-line">` of product `id` on a cart page.
fn cart_line(body: &str, id: i32) -> String {
    let field = format!("id=\"qty-{id}\"");
    body.split("<li class=\"cart-line\">")
        .skip(1)
        .find(|line| line.contains(&field))
        .unwrap_or_else(|| panic!("no cart line of product {id}: {body}"))
        .split("</li>")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The attributes and text of the button in `line` whose text holds `name`.
fn button_named(line: &str, name: &str) -> String {
    line.split("<button")
        .skip(1)
        .map(|b| b.split("</button>").next().unwrap_or_default())
        .find(|b| b.contains(name))
        .unwrap_or_else(|| panic!("no button {name:?} in {line}"))
        .to_string()
}

/// The value of `name="…"` in a piece of markup.
fn attribute(markup: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = markup.find(&needle)? + needle.len();
    markup[at..].split('"').next().map(str::to_string)
}

/// Text as Tera writes it into a page.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[actix_web::test]
async fn the_cart_shows_each_line_with_its_photo_and_steppers_that_work_without_javascript() {
    use etalase::db::schema::product_photos;
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    diesel::update(products::table.find(a))
        .set(products::stock.eq(10))
        .execute(&mut *app.conn())
        .unwrap();
    // The second product has no photo: its line shows the placeholder.
    diesel::delete(product_photos::table.filter(product_photos::product_id.eq(b)))
        .execute(&mut *app.conn())
        .unwrap();
    let cover: String = product_photos::table
        .filter(product_photos::product_id.eq(a))
        .filter(product_photos::position.eq(0))
        .select(product_photos::path_base)
        .first(&mut *app.conn())
        .unwrap();
    let name: String = products::table
        .find(a)
        .select(products::name)
        .first(&mut *app.conn())
        .unwrap();
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 2), (b, 1)]).await;

    let cart = buyer.get("/keranjang").await;
    assert_eq!(cart.status, 200);
    let line = cart_line(&cart.body, a);
    let img = line
        .split("<img")
        .nth(1)
        .unwrap_or_else(|| panic!("a photo: {line}"));
    let img = img.split('>').next().unwrap_or_default();
    assert_eq!(
        attribute(img, "src"),
        Some(format!("/media/{cover}-320.jpg")),
        "the first photo, 320 px: {img}"
    );
    for attr in ["width", "height", "alt"] {
        assert!(attribute(img, attr).is_some(), "{attr}: {img}");
    }
    let placeholder = cart_line(&cart.body, b);
    assert!(
        placeholder.contains("class=\"no-photo\"") && !placeholder.contains("<img"),
        "{placeholder}"
    );

    // "+" and "−" name the product for screen readers and send the line's own small form.
    let plus = button_named(&line, "Tambah jumlah");
    assert!(
        plus.contains(&format!("Tambah jumlah {}", html_escaped(&name))),
        "{plus}"
    );
    assert_eq!(attribute(&plus, "name").as_deref(), Some("quantity"));
    assert_eq!(attribute(&plus, "value").as_deref(), Some("3"));
    let form_id = attribute(&plus, "form").expect("the + button's form");
    let form_at = line
        .find(&format!("id=\"{form_id}\""))
        .unwrap_or_else(|| panic!("the form {form_id} is in the line: {line}"));
    let form = line[form_at..].split("</form>").next().unwrap_or_default();
    assert!(form.contains("action=\"/keranjang/ubah\""), "{form}");
    assert!(
        form.contains(&format!("name=\"product_id\" value=\"{a}\"")),
        "{form}"
    );
    assert_eq!(
        form.matches("name=\"quantity\"").count(),
        1,
        "only its buttons send a quantity (Hapus sends 0): {form}"
    );
    let minus = button_named(&line, "Kurangi jumlah");
    assert!(
        minus.contains(&format!("Kurangi jumlah {}", html_escaped(&name))),
        "{minus}"
    );
    assert_eq!(attribute(&minus, "value").as_deref(), Some("1"));
    assert_eq!(attribute(&minus, "form"), Some(form_id));

    // What a browser without JavaScript sends for "+": the line's form and the button's value.
    let quantity_of = |body: &str, id: i32| -> Option<String> {
        let line = cart_line(body, id);
        let field = line
            .split("<input")
            .find(|t| t.contains(&format!("id=\"qty-{id}\"")))?
            .to_string();
        attribute(&field, "value")
    };
    let stepped = buyer
        .post(
            "/keranjang/ubah",
            &[("product_id", &a.to_string()), ("quantity", "3")],
        )
        .await;
    assert_eq!(stepped.status, 303);
    assert!(stepped.location().contains("cart-updated"));
    let cart = buyer.get(&stepped.location()).await;
    assert_eq!(quantity_of(&cart.body, a).as_deref(), Some("3"));
    let minus = button_named(&cart_line(&cart.body, a), "Kurangi jumlah");
    assert_eq!(attribute(&minus, "value").as_deref(), Some("2"));
    let stepped = buyer
        .post(
            "/keranjang/ubah",
            &[("product_id", &a.to_string()), ("quantity", "2")],
        )
        .await;
    assert!(stepped.location().contains("cart-updated"));
    let cart = buyer.get("/keranjang").await;
    assert_eq!(quantity_of(&cart.body, a).as_deref(), Some("2"));

    // "−" stops at 1 (Hapus takes a line out); "+" stops at the stock.
    let at_one = button_named(&cart_line(&cart.body, b), "Kurangi jumlah");
    assert!(
        at_one.contains(" disabled") && attribute(&at_one, "value").is_none(),
        "{at_one}"
    );
    diesel::update(products::table.find(a))
        .set(products::stock.eq(2))
        .execute(&mut *app.conn())
        .unwrap();
    let cart = buyer.get("/keranjang").await;
    let at_stock = button_named(&cart_line(&cart.body, a), "Tambah jumlah");
    assert!(
        at_stock.contains(" disabled") && attribute(&at_stock, "value").is_none(),
        "{at_stock}"
    );

    // The typed quantity and its "Ubah" button still work.
    let line = cart_line(&cart.body, a);
    let typed_form = line.split("</form>").next().unwrap_or_default();
    assert!(
        typed_form.contains(&format!("id=\"qty-{a}\"")) && typed_form.contains(">Ubah</button>"),
        "{typed_form}"
    );
    let typed = buyer
        .post(
            "/keranjang/ubah",
            &[("product_id", &a.to_string()), ("quantity", "1")],
        )
        .await;
    assert!(typed.location().contains("cart-updated"));
    let cart = buyer.get("/keranjang").await;
    assert_eq!(quantity_of(&cart.body, a).as_deref(), Some("1"));

    // The summary's button counts the pieces checkout will order, in both languages.
    assert!(cart.body.contains(">Checkout (2)</a>"), "{}", cart.body);
    buyer.get("/bahasa/en").await;
    let english = buyer.get("/keranjang").await;
    assert!(english.body.contains(">Checkout (2)</a>"));
    assert!(english.body.contains("Increase the quantity of"));
}

#[actix_web::test]
async fn the_order_page_links_the_tracking_number_to_the_couriers_page_and_the_unit_on_whatsapp() {
    use etalase::db::schema::{orders, shipments, units};
    use support::shop::{confirm_transfer, order_behind, ship_from_unit};
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1), (b, 1)]).await.location();
    let (order_id, total, parcels) = order_behind(&app, &order_path);
    assert_eq!(parcels.len(), 2);
    let unit_of = |shipment: i32| -> i32 {
        shipments::table
            .find(shipment)
            .select(shipments::unit_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    // The first parcel's unit has a mobile number; the second's only a landline.
    diesel::update(units::table.find(unit_of(parcels[0])))
        .set(units::phone.eq("0812-7000-1234"))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(units::table.find(unit_of(parcels[1])))
        .set(units::phone.eq("(021) 555-0101"))
        .execute(&mut *app.conn())
        .unwrap();
    let code: String = orders::table
        .find(order_id)
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    confirm_transfer(&app, order_id, total).await;
    ship_from_unit(&app, parcels[0], "JNE0000000001").await;

    let page = buyer.get(&order_path).await;
    let boxes: Vec<&str> = page
        .body
        .split("<section class=\"box shipment\">")
        .skip(1)
        .map(|b| b.split("</section>").next().unwrap_or_default())
        .collect();
    assert_eq!(boxes.len(), 2, "one box per parcel, in the parcels' order");
    let (sent, waiting) = (boxes[0], boxes[1]);
    assert!(
        sent.contains(
            "<a href=\"https://www.jne.co.id/tracking-package?awb=JNE0000000001\" \
             target=\"_blank\" rel=\"noopener noreferrer\">JNE0000000001<"
        ),
        "the JNE number opens JNE's tracking page in a new tab: {sent}"
    );
    assert!(
        !waiting.contains("tracking-package") && !waiting.contains("cekresi"),
        "nothing to track before it leaves: {waiting}"
    );

    let chat = "href=\"https://wa.me/6281270001234?text=";
    let at = sent
        .find(chat)
        .unwrap_or_else(|| panic!("a WhatsApp link to the unit: {sent}"))
        + chat.len();
    let text: String = sent[at..].chars().take_while(|c| *c != '"').collect();
    assert!(text.starts_with("Halo+"), "{text}");
    assert!(text.contains(&code), "the order code is typed in: {text}");
    assert!(text.contains("JNE+REG"), "and the parcel: {text}");
    assert!(
        !text.contains(' ') && !text.contains('&'),
        "URL-encoded: {text}"
    );
    let tag = sent[at..].split('>').next().unwrap_or_default();
    assert!(
        tag.contains("target=\"_blank\" rel=\"noopener noreferrer\""),
        "{tag}"
    );
    assert!(sent.contains("Hubungi unit lewat WhatsApp"));
    assert!(
        !waiting.contains("wa.me"),
        "a landline has no WhatsApp: {waiting}"
    );

    buyer.get("/bahasa/en").await;
    let english = buyer.get(&order_path).await;
    assert!(english.body.contains("Contact the unit on WhatsApp"));
    assert!(english.body.contains("?text=Hello+"));
}

#[actix_web::test]
async fn the_order_page_counts_down_to_the_payment_deadline() {
    use etalase::db::schema::{orders, provinces};
    use etalase::domain::time::{date_time_id, Zone};
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1)]).await.location();
    let (order_id, total, _) = support::shop::order_behind(&app, &order_path);
    let (expires, province): (i64, String) = orders::table
        .inner_join(provinces::table)
        .filter(orders::id.eq(order_id))
        .select((orders::payment_expires_at, provinces::iso_code))
        .first(&mut *app.conn())
        .unwrap();
    let zone = Zone::of_province(&province);

    let page = buyer.get(&order_path).await;
    let datetimes = page.attr_values("datetime");
    assert_eq!(datetimes.len(), 1, "one <time>: {datetimes:?}");
    let deadline = chrono::DateTime::parse_from_rfc3339(&datetimes[0])
        .unwrap_or_else(|e| panic!("{}: {e}", datetimes[0]));
    assert_eq!(deadline.timestamp(), expires, "the order's deadline");
    assert_eq!(
        deadline.offset().local_minus_utc(),
        zone.hours() * 3600,
        "in the delivery province's zone"
    );
    assert!(
        page.body.contains(&format!(
            "<time datetime=\"{}\">{}</time>",
            datetimes[0],
            date_time_id(expires, zone)
        )),
        "without JavaScript the deadline is written out: {}",
        page.body
    );
    assert!(
        page.body
            .contains("<script src=\"/static/js/countdown.js?v="),
        "the countdown script, by its fingerprinted address"
    );
    assert_eq!(
        page.attr_values("data-left"),
        vec!["sisa waktu {h} jam {m} menit".to_string()],
        "the script's texts come from the page"
    );
    assert_eq!(
        page.attr_values("data-left-minutes"),
        vec!["sisa waktu {m} menit".to_string()]
    );
    assert_eq!(page.attr_values("data-over").len(), 1);
    let script = app.get("/static/js/countdown.js").await;
    assert_eq!(script.status, 200);
    assert!(
        !script.body.contains("sisa") && !script.body.contains("jam "),
        "no language in the script"
    );

    buyer.get("/bahasa/en").await;
    let english = buyer.get(&order_path).await;
    assert_eq!(
        english.attr_values("data-left"),
        vec!["{h} h {m} min left".to_string()]
    );
    buyer.get("/bahasa/id").await;

    // Once paid there is nothing to count down.
    support::shop::confirm_transfer(&app, order_id, total).await;
    let paid = buyer.get(&order_path).await;
    assert!(!paid.body.contains("countdown.js"));
    assert!(paid.attr_values("datetime").is_empty());
}

#[actix_web::test]
async fn adding_from_the_product_page_script_keeps_the_buyer_on_the_page_with_a_message_and_the_count(
) {
    let app = TestApp::spawn().await;
    let [(a, slug, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let page = buyer.get(&format!("/produk/{slug}")).await;
    assert!(page.body.contains("id=\"cart-toast\""), "the toast's place");
    assert!(page.body.contains("/static/js/add-to-cart.js?v="));
    assert!(page.body.contains("data-cart-link=\"Lihat keranjang\""));

    let json = [("Accept", "application/json")];
    let id = a.to_string();
    let added = buyer
        .post_with(
            "/keranjang",
            &[("product_id", &id), ("quantity", "2")],
            &json,
        )
        .await;
    assert_eq!(added.status, 200, "no redirect for the script");
    assert_eq!(
        added.header("cache-control").as_deref(),
        Some("no-store"),
        "an answer about one buyer's cart is never cached"
    );
    let answer: serde_json::Value = serde_json::from_str(&added.body).unwrap();
    assert_eq!(answer["added"], true);
    assert_eq!(answer["message"], "Produk ditambahkan ke keranjang.");
    assert_eq!(answer["pieces"], 2);
    assert_eq!(answer["cart_url"], "/keranjang");
    let cookies = buyer.cookie_header().unwrap_or_default();
    assert!(cookies.contains("etalase_keranjang="), "{cookies}");
    assert!(cookies.contains("etalase_jumlah=2"), "{cookies}");
    let cart = buyer.get("/keranjang").await;
    assert!(
        cart.body.contains(&format!("/produk/{slug}")),
        "in the cart"
    );

    // Refused, in the buyer's language, and nothing is added.
    buyer.get("/bahasa/en").await;
    let refused = buyer
        .post_with(
            "/keranjang",
            &[("product_id", &id), ("quantity", "dua")],
            &json,
        )
        .await;
    let answer: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(answer["added"], false, "{}", refused.body);
    assert!(
        !answer["message"].as_str().unwrap_or_default().is_empty()
            && answer["message"] != "Product added to your cart.",
        "{}",
        refused.body
    );
    assert!(answer["pieces"].is_null(), "{}", refused.body);
    assert!(
        buyer
            .cookie_header()
            .unwrap_or_default()
            .contains("etalase_jumlah=2"),
        "the cart is as it was"
    );

    // Without the script the same form still goes to the cart.
    let plain = buyer
        .post("/keranjang", &[("product_id", &id), ("quantity", "1")])
        .await;
    assert_eq!(plain.status, 303);
    assert!(plain.location().starts_with("/keranjang?pesan=cart-added"));
}

// ---- Unit orders: tabs, printing, couriers, pickup -------------------------------------------

/// A paid order of `quantity` of product `product` (JNE REG), with its unit's staff signed in
/// as `email`: (staff, buyer's order page, order code, shipment id).
async fn paid_parcel<'a>(
    app: &'a TestApp,
    product: i32,
    quantity: i32,
    email: &str,
) -> (Browser<'a>, Browser<'a>, String, String, i32) {
    use etalase::db::schema::orders;
    use support::shop::{confirm_transfer, order_behind};
    let unit: i32 = products::table
        .find(product)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    support::create_account(app, email, "staff", Some(unit), None);
    let mut buyer = Browser::new(app);
    let placed = place_order(&mut buyer, &[(product, quantity)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let order_path = placed.location();
    let (order_id, total, parcels) = order_behind(app, &order_path);
    let code: String = orders::table
        .find(order_id)
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    confirm_transfer(app, order_id, total).await;
    let mut staff = Browser::new(app);
    staff.sign_in(email, support::PASSWORD).await;
    (staff, buyer, order_path, code, parcels[0])
}

/// A parcel's state in the database: (status, tracking number, courier, packed, pickup code).
type ParcelRow = (String, Option<String>, Option<String>, bool, Option<String>);

fn parcel_row(app: &TestApp, shipment: i32) -> ParcelRow {
    use etalase::db::schema::shipments;
    let (status, tracking, courier, packed_at, code): (
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    ) = shipments::table
        .find(shipment)
        .select((
            shipments::status,
            shipments::tracking_number,
            shipments::courier,
            shipments::packed_at,
            shipments::pickup_code,
        ))
        .first(&mut *app.conn())
        .unwrap();
    (status, tracking, courier, packed_at.is_some(), code)
}

/// The tab link of `status` as the orders page writes it when it is the current one.
fn current_tab(status: &str) -> String {
    format!("<a href=\"/kelola/pesanan?status={status}\" aria-current=\"page\">")
}

#[actix_web::test]
async fn unit_staff_find_a_paid_parcel_under_perlu_dikemas_with_its_items_and_under_no_other_tab() {
    use etalase::db::schema::product_photos;
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let name: String = products::table
        .find(a)
        .select(products::name)
        .first(&mut *app.conn())
        .unwrap();
    let cover: String = product_photos::table
        .filter(product_photos::product_id.eq(a))
        .filter(product_photos::position.eq(0))
        .select(product_photos::path_base)
        .first(&mut *app.conn())
        .unwrap();
    let (mut staff, _, _, code, _) = paid_parcel(&app, a, 3, "kemas@lapas.go.id").await;

    for address in ["/kelola/pesanan", "/kelola/pesanan?status=perlu-dikemas"] {
        let page = staff.get(address).await;
        assert_eq!(page.status, 200, "{address}");
        assert!(
            page.body.contains(&code),
            "{address}: the parcel is to pack"
        );
        assert!(
            page.body.contains(&format!(
                "{}Perlu dikemas <span class=\"tab-count\">1</span></a>",
                current_tab("perlu-dikemas")
            )),
            "{address}: the tab is current and counts the parcel"
        );
        assert!(page
            .body
            .contains("Siap dikirim <span class=\"tab-count\">0</span>"));
    }
    let page = staff.get("/kelola/pesanan?status=perlu-dikemas").await;
    assert!(
        page.body
            .contains(&format!("<strong>3 ×</strong> {}", html_escaped(&name))),
        "what to pack, with the quantity"
    );
    assert!(
        page.body.contains(&format!(
            "class=\"pack-thumb\" src=\"/media/{cover}-320.jpg\""
        )),
        "the product's first photo, 320 px"
    );
    assert!(page.body.contains("Tujuan Kota Bandung"), "the destination");
    let paid_at = page
        .body
        .split("· dibayar ")
        .nth(1)
        .and_then(|rest| rest.split(" ·").next())
        .unwrap_or_else(|| panic!("the paid time: {}", page.body));
    assert!(
        ["WIB", "WITA", "WIT"]
            .iter()
            .any(|zone| paid_at.ends_with(zone)),
        "in the unit's zone: {paid_at}"
    );
    assert!(page.body.contains("Jl. Ganesha"), "paid: the address shows");

    for other in [
        "siap-dikirim",
        "dikirim",
        "selesai",
        "dibatalkan",
        "belum-dibayar",
    ] {
        let page = staff.get(&format!("/kelola/pesanan?status={other}")).await;
        assert_eq!(page.status, 200, "{other}");
        assert!(!page.body.contains(&code), "not under {other}");
        assert!(
            page.body.contains(&current_tab(other)),
            "{other} is current"
        );
    }
}

#[actix_web::test]
async fn a_shipping_label_of_their_own_parcel_shows_the_recipient_and_a_qr_code_and_another_units_parcel_answers_403(
) {
    use etalase::db::schema::{shipments, units};
    use support::shop::{confirm_transfer, order_behind};
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let unit_a: i32 = products::table
        .find(a)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let brand: String = units::table
        .find(unit_a)
        .select(units::brand_name)
        .first(&mut *app.conn())
        .unwrap();
    support::create_account(&app, "label@lapas.go.id", "staff", Some(unit_a), None);
    let mut buyer = Browser::new(&app);
    let order_path = place_order(&mut buyer, &[(a, 1), (b, 2)]).await.location();
    let (order_id, total, parcels) = order_behind(&app, &order_path);
    let unit_of = |shipment: i32| -> i32 {
        shipments::table
            .find(shipment)
            .select(shipments::unit_id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (own, foreign) = if unit_of(parcels[0]) == unit_a {
        (parcels[0], parcels[1])
    } else {
        (parcels[1], parcels[0])
    };
    let mut staff = Browser::new(&app);
    staff.sign_in("label@lapas.go.id", support::PASSWORD).await;

    // Before payment the label names the buyer but not where they live.
    let unpaid = staff.get(&format!("/kelola/pesanan/label?id={own}")).await;
    assert_eq!(unpaid.status, 200);
    assert!(unpaid.body.contains("Siti Rahmawati"));
    assert!(!unpaid.body.contains("Jl. Ganesha"), "no address unpaid");

    confirm_transfer(&app, order_id, total).await;
    let label = staff.get(&format!("/kelola/pesanan/label?id={own}")).await;
    assert_eq!(label.status, 200);
    let sheet = label
        .body
        .split("<article class=\"shipping-label\"")
        .nth(1)
        .unwrap_or_else(|| panic!("a label: {}", label.body));
    for recipient in [
        "Siti Rahmawati",
        "+6281234567890",
        "Jl. Ganesha No. 10",
        "Coblong",
        "Kota Bandung",
        "40132",
    ] {
        assert!(sheet.contains(recipient), "the recipient: {recipient}");
    }
    assert!(sheet.contains(&html_escaped(&brand)), "the unit sends it");
    assert!(sheet.contains("<svg") && sheet.contains("Kode QR pesanan ETL-"));
    let weight: i32 = shipments::table
        .find(own)
        .select(shipments::weight_kg)
        .first(&mut *app.conn())
        .unwrap();
    assert!(sheet.contains("JNE REG") && sheet.contains(&format!("Berat {weight} kg")));
    assert!(label.body.contains("data-print"), "a print button");

    let slip = staff.get(&format!("/kelola/pesanan/slip?id={own}")).await;
    assert_eq!(slip.status, 200);
    assert!(slip.body.contains("class=\"slip-table\""));
    assert!(
        slip.body.contains("type=\"checkbox\""),
        "a box to tick per line"
    );

    // Another unit's parcel, alone or among the staff's own, is not theirs to print.
    for query in [format!("id={foreign}"), format!("id={own}&id={foreign}")] {
        for page in ["label", "slip"] {
            let refused = staff.get(&format!("/kelola/pesanan/{page}?{query}")).await;
            assert_eq!(refused.status, 403, "{page}?{query}");
        }
    }
    assert_eq!(
        staff.get("/kelola/pesanan/label?id=999999").await.status,
        404
    );
    assert_eq!(staff.get("/kelola/pesanan/label?id=abc").await.status, 404);
    let none = staff.get("/kelola/pesanan/label").await;
    assert_eq!(none.status, 303, "nothing chosen: back to the orders");
}

#[actix_web::test]
async fn a_tracking_number_that_does_not_fit_the_courier_is_refused_and_kept_and_a_fitting_one_ships_the_parcel_with_a_link_to_that_courier(
) {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let (mut staff, mut buyer, order_path, code, parcel) =
        paid_parcel(&app, a, 1, "resi@lapas.go.id").await;
    let list = staff.get("/kelola/pesanan").await;
    let token = list.csrf_token().unwrap();
    let action = format!("/kelola/kiriman/{parcel}/kirim");
    assert!(list.body.contains(&format!("action=\"{action}\"")));
    assert!(
        list.body
            .contains("<option value=\"jne\" selected>JNE</option>"),
        "the buyer's JNE REG suggests JNE"
    );

    let refused = staff
        .post(
            &action,
            &[
                ("csrf_token", &token),
                ("courier", "sicepat"),
                ("tracking", "JNE0000000001"),
                ("tab", "perlu-dikemas"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Nomor resi “JNE0000000001” tidak sesuai format SiCepat"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"JNE0000000001\""),
        "what was typed is kept"
    );
    assert!(refused
        .body
        .contains("<option value=\"sicepat\" selected>SiCepat</option>"));
    assert_eq!(
        parcel_row(&app, parcel),
        ("processing".to_string(), None, None, false, None)
    );
    let spaced = staff
        .post(
            &action,
            &[
                ("csrf_token", &token),
                ("courier", "jnt"),
                ("tracking", "JP 1234567890"),
            ],
        )
        .await;
    assert_eq!(spaced.status, 422, "no spaces inside a number");

    let shipped = staff
        .post(
            &action,
            &[
                ("csrf_token", &token),
                ("courier", "jnt"),
                ("tracking", " jp1234567890 "),
                ("tab", "perlu-dikemas"),
            ],
        )
        .await;
    assert_eq!(shipped.status, 303, "{}", shipped.body);
    assert_eq!(shipped.location(), "/kelola/pesanan?status=perlu-dikemas");
    let (status, tracking, courier, _, _) = parcel_row(&app, parcel);
    assert_eq!(status, "shipped");
    assert_eq!(tracking.as_deref(), Some("JP1234567890"));
    assert_eq!(courier.as_deref(), Some("jnt"));
    let sent = staff.get("/kelola/pesanan?status=dikirim").await;
    assert!(sent.body.contains(&code), "the parcel moved to Dikirim");
    assert!(sent.body.contains("JP1234567890 · J&amp;T Express"));
    assert!(!staff
        .get("/kelola/pesanan?status=perlu-dikemas")
        .await
        .body
        .contains(&code));

    let order = buyer.get(&order_path).await;
    assert!(
        order.body.contains(
            "<a href=\"https://cekresi.com/?noresi=JP1234567890\" target=\"_blank\" \
             rel=\"noopener noreferrer\">JP1234567890<"
        ),
        "the J&T number is followed where J&T numbers are, not on JNE's page: {}",
        order.body
    );
    assert!(!order.body.contains("jne.co.id"));
    assert!(order.body.contains("dikirim lewat J&amp;T Express"));
}

#[actix_web::test]
async fn a_pickup_parcel_is_marked_ready_shows_the_buyer_a_pickup_code_and_is_handed_over_only_against_it(
) {
    use etalase::db::schema::orders;
    use support::shop::{confirm_transfer, order_behind};
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let unit: i32 = products::table
        .find(a)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    support::create_account(&app, "ambil@lapas.go.id", "staff", Some(unit), None);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let (key, radios) = to_shipping_step(&mut buyer).await;
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "transfer")];
    for r in &radios {
        fields.push((r.as_str(), "ambil"));
    }
    let order_path = buyer.post("/checkout/kirim", &fields).await.location();
    let (order_id, total, parcels) = order_behind(&app, &order_path);
    let parcel = parcels[0];
    confirm_transfer(&app, order_id, total).await;
    let mut staff = Browser::new(&app);
    staff.sign_in("ambil@lapas.go.id", support::PASSWORD).await;

    let list = staff.get("/kelola/pesanan").await;
    let token = list.csrf_token().unwrap();
    assert!(list.body.contains("Siap diambil"), "{}", list.body);
    assert!(
        !list
            .body
            .contains(&format!("/kelola/kiriman/{parcel}/kirim")),
        "no courier for a pickup"
    );
    assert!(!buyer
        .get(&order_path)
        .await
        .body
        .contains("Kode pengambilan"));

    let ready = staff
        .post(
            &format!("/kelola/kiriman/{parcel}/siap"),
            &[("csrf_token", &token), ("tab", "perlu-dikemas")],
        )
        .await;
    assert_eq!(ready.status, 303);
    let (status, _, _, packed, code) = parcel_row(&app, parcel);
    assert_eq!((status.as_str(), packed), ("processing", true));
    let code = code.expect("a pickup code");
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    let order = buyer.get(&order_path).await;
    assert!(
        order
            .body
            .contains(&format!("id=\"pickup-code\">{code}</strong>")),
        "the buyer's page shows the code: {}",
        order.body
    );

    let waiting = staff.get("/kelola/pesanan?status=siap-dikirim").await;
    let hand_over = format!("/kelola/kiriman/{parcel}/serahkan");
    assert!(waiting.body.contains(&format!("action=\"{hand_over}\"")));
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let refused = staff
        .post(
            &hand_over,
            &[
                ("csrf_token", &token),
                ("kode", wrong),
                ("tab", "siap-dikirim"),
            ],
        )
        .await;
    assert_eq!(refused.status, 303);
    let told = staff.get(&refused.location()).await;
    assert!(
        told.body.contains("Kode pengambilan salah"),
        "{}",
        told.body
    );
    assert_eq!(parcel_row(&app, parcel).0, "processing", "not handed over");

    let handed = staff
        .post(
            &hand_over,
            &[
                ("csrf_token", &token),
                ("kode", &code),
                ("tab", "siap-dikirim"),
            ],
        )
        .await;
    assert_eq!(handed.status, 303);
    assert_eq!(parcel_row(&app, parcel).0, "delivered");
    let order_status: String = orders::table
        .find(order_id)
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(order_status, "delivered");
    let order = buyer.get(&order_path).await;
    assert!(order.body.contains("Sudah diterima."));
    assert!(
        !order.body.contains("id=\"pickup-code\""),
        "the code is spent"
    );
    assert!(staff
        .get("/kelola/pesanan?status=selesai")
        .await
        .body
        .contains(&format!("/kelola/pesanan/label?id={parcel}")));
}

#[actix_web::test]
async fn the_unit_order_forms_refuse_a_post_without_the_csrf_token_or_from_another_unit_and_change_nothing(
) {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let (mut staff, _, _, _, parcel) = paid_parcel(&app, a, 1, "token@lapas.go.id").await;
    // The session has a token of its own; the posts below do not carry it.
    staff.csrf("/kelola/pesanan").await;
    let forms: [(String, Vec<(&str, &str)>); 3] = [
        (
            format!("/kelola/kiriman/{parcel}/kirim"),
            vec![("courier", "jne"), ("tracking", "CGK1234567890")],
        ),
        (format!("/kelola/kiriman/{parcel}/siap"), vec![]),
        (
            format!("/kelola/kiriman/{parcel}/serahkan"),
            vec![("kode", "123456")],
        ),
    ];
    for token in ["", "0000", "forged-token-from-another-site"] {
        for (path, fields) in &forms {
            let mut with_token = vec![("csrf_token", token)];
            with_token.extend(fields.iter().copied());
            assert_eq!(
                staff.post(path, &with_token).await.status,
                403,
                "{path} {token:?}"
            );
            assert_eq!(staff.post(path, fields).await.status, 403, "{path}");
        }
    }
    // Another unit's staff, with their own valid token.
    let other_unit: i32 = products::table
        .find(b)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let mut other =
        support::signed_in_as(&app, "lain@lapas.go.id", "staff", Some(other_unit), None).await;
    let token = other.csrf("/kelola/pesanan").await;
    for (path, fields) in &forms {
        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend(fields.iter().copied());
        assert_eq!(other.post(path, &with_token).await.status, 403, "{path}");
    }
    assert_eq!(
        parcel_row(&app, parcel),
        ("processing".to_string(), None, None, false, None)
    );
}
