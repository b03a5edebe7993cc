//! The findings of the outside security review, one test each (issue: hardening): redirects,
//! JSON in pages, abuse limits, order keys, cross-site posts, headers, booth plans, sign-in
//! timing, form sizes, mail that cannot be delivered, file modes.

use crate::support;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use etalase::db::schema::{
    booths, carts, events, fair_applications, mail_outbox, orders, product_photos, products,
    search_outbox, units,
};
use support::shop::{fill_cart, place_order, to_shipping_step, two_products_of_two_units, CONTACT};
use support::{create_account, signed_in_as, Browser, TestApp, PASSWORD};

#[actix_web::test]
async fn the_language_switch_never_leaves_the_site_whatever_the_next_path_holds() {
    let app = TestApp::spawn_with(None).await;
    for (next, expected) in [
        ("/produk/kopi", "/en/produk/kopi"),
        ("/%09/evil.example", "/en/"),
        ("/%0d%0aSet-Cookie:%20a=b", "/en/"),
        ("//evil.example", "/en/"),
        ("/%5Cevil.example", "/en/"),
        ("https://evil.example", "/en/"),
    ] {
        let page = app.get(&format!("/bahasa/en?next={next}")).await;
        assert_eq!(page.status, 303, "next={next}: {}", page.body);
        assert_eq!(page.header("location").as_deref(), Some(expected), "{next}");
    }
    // Taking `/en` off an address must not leave one that leads to another host.
    for (next, expected) in [
        ("/en/produk/kopi", "/produk/kopi"),
        ("/en//evil.example", "/"),
        ("/en/%5Cevil.example", "/"),
        ("//evil.example", "/"),
    ] {
        let page = app.get(&format!("/bahasa/id?next={next}")).await;
        assert_eq!(page.status, 303, "next={next}: {}", page.body);
        assert_eq!(page.header("location").as_deref(), Some(expected), "{next}");
    }
}

#[actix_web::test]
async fn a_description_or_brand_that_looks_like_html_cannot_break_the_product_page() {
    let app = TestApp::spawn().await;
    let (id, slug, unit_id): (i32, String, i32) = products::table
        .filter(products::status.eq("published"))
        .select((products::id, products::slug, products::unit_id))
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(products::table.find(id))
        .set(products::description.eq("Kopi <!--<script> enak </script> & \u{2028} murah."))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(units::table.find(unit_id))
        .set(units::brand_name.eq("Merek <!--<script>"))
        .execute(&mut *app.conn())
        .unwrap();
    let page = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(page.status, 200);
    let start = page.body.find("application/ld+json\">").unwrap() + 21;
    let end = start + page.body[start..].find("</script>").unwrap();
    let json = &page.body[start..end];
    assert!(
        !json.contains('<') && !json.contains('>') && !json.contains('&'),
        "{json}"
    );
    let ld = page.json_ld();
    assert_eq!(ld["brand"]["name"], "Merek <!--<script>");
    assert!(ld["description"].as_str().unwrap().contains("<!--<script>"));
    assert!(
        page.body.contains("</footer>"),
        "the rest of the page is still there"
    );
}

/// Reserves `quantity` of one product for `contact` by bank transfer; gives the POST's answer.
async fn order_quantity(buyer: &mut Browser<'_>, product: i32, quantity: i32) -> support::Page {
    fill_cart(buyer, &[(product, quantity)]).await;
    let (key, radios) = to_shipping_step(buyer).await;
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "transfer")];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    buyer.post("/checkout/kirim", &fields).await
}

#[actix_web::test]
async fn one_buyer_cannot_hold_a_products_whole_stock_in_unpaid_orders() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    diesel::update(products::table.find(a))
        .set(products::stock.eq(60))
        .execute(&mut *app.conn())
        .unwrap();
    let mut hoarder = Browser::new(&app);
    let refused = order_quantity(&mut hoarder, a, 60).await;
    assert_eq!(refused.status, 303);
    assert_eq!(refused.location(), "/keranjang?pesan=cart-too-many-unpaid");
    assert_eq!(support::shop::stock_of(&app, a), 60, "nothing reserved");
    let cart = hoarder.get("/keranjang?pesan=cart-too-many-unpaid").await;
    assert!(cart.body.contains("belum membayarnya"), "{}", cart.body);

    // Twenty is allowed; one more by the same buyer in another cart is not.
    let mut buyer = Browser::new(&app);
    let placed = order_quantity(&mut buyer, a, 20).await;
    assert!(
        placed.location().starts_with("/pesanan/"),
        "{}",
        placed.location()
    );
    let mut again = Browser::new(&app);
    let refused = order_quantity(&mut again, a, 1).await;
    assert_eq!(refused.location(), "/keranjang?pesan=cart-too-many-unpaid");
    assert_eq!(support::shop::stock_of(&app, a), 40);

    // A bank transfer holds its stock for 12 hours, not 24.
    let (created, expires): (i64, i64) = orders::table
        .select((orders::created_at, orders::payment_expires_at))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(expires - created, 12 * 3600);
}

#[actix_web::test]
async fn cart_changes_and_orders_are_limited_per_client_address() {
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.limits.cart_changes_per_minute = 4;
        s.limits.orders_per_hour = 3;
    })
    .await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let page = buyer
            .post(
                "/keranjang/ubah",
                &[("product_id", &a.to_string()), ("quantity", "1")],
            )
            .await;
        statuses.push(page.status);
    }
    assert_eq!(&statuses[..4], &[303, 303, 303, 303]);
    assert_eq!(statuses[4], 429);
    let limited = buyer
        .post(
            "/keranjang",
            &[("product_id", &b.to_string()), ("quantity", "1")],
        )
        .await;
    assert_eq!(limited.status, 429);
    assert!(limited.body.contains("Terlalu banyak permintaan"));
    assert_eq!(limited.header("retry-after").as_deref(), Some("60"));

    // A burst of one order (a third of three an hour), then 429.
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.limits.orders_per_hour = 3;
    })
    .await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let first = order_quantity(&mut buyer, a, 1).await;
    assert!(first.location().starts_with("/pesanan/"));
    let mut other = Browser::new(&app);
    let second = order_quantity(&mut other, a, 1).await;
    assert_eq!(second.status, 429);
}

#[actix_web::test]
async fn carts_untouched_for_thirty_days_are_deleted_with_their_lines() {
    // Without the background jobs, whose daily round purges idle carts too.
    let app = TestApp::spawn_web_only().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut old = Browser::new(&app);
    fill_cart(&mut old, &[(a, 1)]).await;
    let mut fresh = Browser::new(&app);
    fill_cart(&mut fresh, &[(a, 1)]).await;
    let month_ago = etalase::models::now_ts() - 31 * 24 * 3600;
    let old_id: i32 = carts::table
        .order(carts::id.asc())
        .select(carts::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(carts::table.find(old_id))
        .set(carts::updated_at.eq(month_ago))
        .execute(&mut *app.conn())
        .unwrap();
    let purged = etalase::models::cart::purge_idle(
        &mut app.conn(),
        etalase::models::now_ts() - 30 * 24 * 3600,
    )
    .unwrap();
    assert_eq!(purged, 1);
    let left: Vec<i32> = carts::table
        .select(carts::id)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(left.len(), 1);
    assert!(!left.contains(&old_id));
    assert!(fresh.get("/keranjang").await.body.contains("cart-line"));
}

#[actix_web::test]
async fn two_workers_purging_idle_carts_at_once_take_turns_instead_of_deadlocking() {
    let app = TestApp::spawn_web_only().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    for round in 0..4 {
        // Thirty carts with lines, all a month old.
        for _ in 0..30 {
            let mut shopper = Browser::new(&app);
            fill_cart(&mut shopper, &[(a, 1), (b, 1)]).await;
        }
        let month_ago = etalase::models::now_ts() - 31 * 24 * 3600;
        let idle = diesel::update(carts::table)
            .set(carts::updated_at.eq(month_ago))
            .execute(&mut *app.conn())
            .unwrap();
        let cutoff = etalase::models::now_ts() - 30 * 24 * 3600;
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let purges: Vec<_> = (0..2)
            .map(|_| {
                let pool = app.pool.clone();
                let start = start.clone();
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    start.wait();
                    etalase::models::cart::purge_idle(&mut conn, cutoff)
                })
            })
            .collect();
        let purged: usize = purges
            .into_iter()
            .map(|p| p.join().unwrap().expect("a purge succeeds"))
            .sum();
        assert_eq!(purged, idle, "round {round}: each idle cart deleted once");
        let left: i64 = carts::table.count().get_result(&mut *app.conn()).unwrap();
        assert_eq!(left, 0, "round {round}");
    }
}

#[actix_web::test]
async fn an_order_key_from_another_cart_never_reveals_that_carts_order() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    let mut victim = Browser::new(&app);
    fill_cart(&mut victim, &[(a, 1)]).await;
    let (key, radios) = to_shipping_step(&mut victim).await;
    let shipping = victim.get("/checkout/kirim").await;
    assert!(
        shipping
            .body
            .contains("method=\"post\" action=\"/checkout/tinjau\""),
        "the key never travels in an address"
    );
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "transfer")];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    let placed = victim.post("/checkout/kirim", &fields).await;
    let victims_order = placed.location();
    assert!(victims_order.starts_with("/pesanan/"));
    // The same key again from the same cart: the same order (a double click).
    assert_eq!(
        victim.post("/checkout/kirim", &fields).await.location(),
        victims_order
    );

    let mut attacker = Browser::new(&app);
    fill_cart(&mut attacker, &[(b, 1)]).await;
    let (_, radios) = to_shipping_step(&mut attacker).await;
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", "transfer")];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    let replay = attacker.post("/checkout/kirim", &fields).await;
    assert_ne!(replay.location(), victims_order);
    assert!(!replay
        .body
        .contains(victims_order.trim_start_matches("/pesanan/")));
}

#[actix_web::test]
async fn posts_from_another_site_are_refused_and_cart_tokens_are_only_made_by_the_shop() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut victim = Browser::new(&app);
    let id = a.to_string();
    let fields = [("product_id", id.as_str()), ("quantity", "1")];
    for headers in [
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Origin", "https://evil.example")],
    ] {
        let page = victim.post_with("/keranjang", &fields, &headers).await;
        assert_eq!(page.status, 403, "{headers:?}");
        assert!(page.body.contains("situs lain"), "{}", page.body);
    }
    assert_eq!(
        carts::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        0
    );
    // The shop's own pages post fine.
    let own = victim
        .post_with("/keranjang", &fields, &[("Sec-Fetch-Site", "same-origin")])
        .await;
    assert_eq!(own.status, 303);
    let own = victim
        .post_with("/keranjang", &fields, &[("Origin", &app.address)])
        .await;
    assert_eq!(own.status, 303);

    // A cart token chosen by someone else is not adopted: the shop makes its own.
    let chosen = "ab".repeat(32);
    let mut res = app
        .client
        .post(app.url("/keranjang"))
        .insert_header(("Cookie", format!("etalase_keranjang={chosen}")))
        .send_form(&fields)
        .await
        .unwrap();
    let _ = res.body().await;
    let set = res
        .headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("etalase_keranjang="))
        .unwrap_or_default()
        .to_string();
    assert!(set.starts_with("etalase_keranjang="), "{set}");
    assert!(!set.contains(&chosen));
    let adopted: i64 = carts::table
        .filter(carts::token.eq(&chosen))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(adopted, 0);
}

fn assert_security_headers(page: &support::Page, what: &str) {
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        !csp.contains("'unsafe-inline'") || csp.contains("stripe"),
        "{what}: {csp}"
    );
    assert_eq!(
        page.header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        page.header("referrer-policy").as_deref(),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert!(page.header("permissions-policy").is_some(), "{what}");
}

#[actix_web::test]
async fn every_page_carries_security_headers_and_private_pages_are_never_stored() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await;
    assert_security_headers(&home, "home");
    assert!(home.header("strict-transport-security").is_none(), "http");
    assert_ne!(home.header("cache-control").as_deref(), Some("no-store"));
    assert!(
        !home.body.contains(" onclick=") && !home.body.contains("<script>"),
        "no inline script"
    );

    let mut admin = signed_in_as(&app, "admin@kemenimipas.go.id", "admin", None, None).await;
    let back_office = admin.get("/kelola").await;
    assert_eq!(back_office.status, 200);
    assert_security_headers(&back_office, "back office");
    assert!(back_office
        .header("cache-control")
        .is_some_and(|v| v.contains("no-store")));

    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let placed = place_order(&mut buyer, &[(a, 1)]).await;
    let order = buyer.get(&placed.location()).await;
    assert_eq!(order.status, 200);
    assert_security_headers(&order, "order page");
    let no_store = |page: &support::Page| {
        page.header("cache-control")
            .is_some_and(|v| v.contains("no-store"))
    };
    assert!(no_store(&order), "order page");
    for path in ["/keranjang", "/masuk", "/checkout"] {
        assert!(no_store(&buyer.get(path).await), "{path}");
    }
    let missing = app.get("/tidak-ada").await;
    assert_security_headers(&missing, "404");

    let https = TestApp::spawn_custom(None, |s| {
        s.base_url = Some("https://etalase.example".into())
    })
    .await;
    let home = https.get("/").await;
    assert!(home
        .header("strict-transport-security")
        .is_some_and(|v| v.contains("max-age=31536000")));
}

/// Uploads a booth plan CSV from the event's back-office page.
async fn upload_plan(organizer: &mut Browser<'_>, page: &str, csv: &str) -> support::Page {
    let token = organizer.csrf(page).await;
    organizer
        .post_multipart(
            &format!("{page}/stan"),
            &[("csrf_token", &token)],
            Some(("file", "denah.csv", csv.as_bytes())),
        )
        .await
}

#[actix_web::test]
async fn a_booth_plan_uploaded_again_after_assignments_keeps_them_or_says_why_not() {
    let app = TestApp::spawn().await;
    create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let unit_id: i32 = units::table
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::insert_into(events::table)
        .values((
            events::slug.eq("ippa-fest-2026"),
            events::name.eq("IPPA Fest 2026"),
            events::venue.eq("Lapangan Banteng"),
            events::city.eq("Jakarta"),
            events::starts_on.eq("2026-04-21"),
            events::ends_on.eq("2026-04-24"),
            events::applications_open_on.eq("2026-03-01"),
            events::applications_close_on.eq("2026-04-01"),
            events::description.eq("Pameran produk pemasyarakatan."),
            events::status.eq("open"),
            events::created_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let event_id: i32 = events::table
        .select(events::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut organizer = Browser::new(&app);
    organizer
        .sign_in("panitia@kemenimipas.go.id", PASSWORD)
        .await;
    let page = format!("/kelola/pameran/{event_id}");
    let plan = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\nA-01,Hall A,standard,3,3,1500000,0,0\nA-02,Hall A,standard,3,3,1500000,4,0\n";
    let first = upload_plan(&mut organizer, &page, plan).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let a01: i32 = booths::table
        .filter(booths::code.eq("A-01"))
        .select(booths::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::insert_into(fair_applications::table)
        .values((
            fair_applications::event_id.eq(event_id),
            fair_applications::unit_id.eq(unit_id),
            fair_applications::booth_kind.eq("standard"),
            fair_applications::product_ids.eq(""),
            fair_applications::needs_power.eq(0),
            fair_applications::needs_table.eq(1),
            fair_applications::contact_name.eq("Pak Budi"),
            fair_applications::contact_phone.eq("081234567890"),
            fair_applications::status.eq("approved"),
            fair_applications::booth_id.eq(Some(a01)),
            fair_applications::created_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();

    // A plan without the assigned booth: refused with a message, nothing changed.
    let without =
        "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\nA-02,Hall A,standard,3,3,1500000,4,0\n";
    let refused = upload_plan(&mut organizer, &page, without).await;
    assert!(refused.status < 500, "{}", refused.body);
    assert!(refused.body.contains("tidak boleh hilang dari denah"));
    assert_eq!(
        booths::table
            .count()
            .get_result::<i64>(&mut *app.conn())
            .unwrap(),
        2
    );

    // The same codes with a bigger A-01 and a new A-03: saved, the assignment stays.
    let changed = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\nA-01,Hall A,corner,4,3,2000000,0,0\nA-02,Hall A,standard,3,3,1500000,5,0\nA-03,Hall A,standard,3,3,1500000,9,0\n";
    let saved = upload_plan(&mut organizer, &page, changed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (id, width, kind): (i32, i32, String) = booths::table
        .filter(booths::code.eq("A-01"))
        .select((booths::id, booths::width_m, booths::kind))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((id, width, kind.as_str()), (a01, 4, "corner"));
    let held: Option<i32> = fair_applications::table
        .select(fair_applications::booth_id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(held, Some(a01));
}

#[actix_web::test]
async fn moving_a_photo_sends_the_product_to_the_search_index_again() {
    let app = TestApp::spawn().await;
    // A published product with a second photo, and a name search finds.
    let (product_id, photo_id, slug, name): (i32, i32, String, String) = product_photos::table
        .inner_join(products::table)
        .filter(product_photos::position.eq(1))
        .filter(products::status.eq("published"))
        .select((
            products::id,
            product_photos::id,
            products::slug,
            products::name,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let suggested = |app: &TestApp| {
        let url = app.url(&format!(
            "/cari/saran?q={}",
            url::form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        ));
        let slug = slug.clone();
        let client = app.client.clone();
        async move {
            let mut res = client.get(url).send().await.unwrap();
            let body = res.body().await.unwrap();
            // The whole address, quoted: another product's slug may begin with this one's.
            String::from_utf8_lossy(&body).contains(&format!("\"/produk/{slug}\""))
        }
    };
    support::eventually(
        "the product is in the index at first",
        Duration::from_secs(15),
        async || suggested(&app).await,
    )
    .await;
    // Moving a photo sends the product back to review; search must follow, or a suggestion
    // leads to a page that is gone.
    assert!(etalase::models::product::move_photo(
        &mut app.conn(),
        product_id,
        photo_id,
        etalase::domain::PhotoMove::Up,
        None,
    )
    .unwrap());
    let status: String = products::table
        .find(product_id)
        .select(products::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "submitted");
    let queued: i64 = search_outbox::table
        .filter(search_outbox::product_id.eq(product_id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    support::eventually(
        &format!("the index to stop offering a product under review (outbox rows: {queued})"),
        Duration::from_secs(15),
        async || !suggested(&app).await,
    )
    .await;
    assert_eq!(app.get(&format!("/produk/{slug}")).await.status, 404);
}

/// Signs in with a wrong password; gives how long the answer took.
async fn failed_sign_in(visitor: &mut Browser<'_>, token: &str, email: &str) -> Duration {
    let start = Instant::now();
    let page = visitor
        .post(
            "/masuk",
            &[
                ("csrf_token", token),
                ("email", email),
                ("password", "salah-sekali-123"),
            ],
        )
        .await;
    assert_eq!(page.status, 200);
    start.elapsed()
}

#[actix_web::test]
async fn signing_in_takes_as_long_for_an_unknown_address_as_for_a_wrong_password() {
    let app = TestApp::spawn_with(None).await;
    create_account(&app, "staf@lapas.go.id", "admin", None, None);
    let mut visitor = Browser::new(&app);
    let token = visitor.csrf("/masuk").await;
    let mut known = Duration::ZERO;
    let mut unknown = Duration::ZERO;
    for _ in 0..3 {
        known += failed_sign_in(&mut visitor, &token, "staf@lapas.go.id").await;
        unknown += failed_sign_in(&mut visitor, &token, "tidak-ada@lapas.go.id").await;
    }
    assert!(
        unknown * 2 >= known,
        "unknown {unknown:?} vs known {known:?}: the answer time tells which accounts exist"
    );
}

/// A staff account of the first unit, signed in.
async fn staff_of_first_unit(app: &TestApp) -> Browser<'_> {
    let unit_id: i32 = units::table
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    signed_in_as(app, "staf@lapas.go.id", "staff", Some(unit_id), None).await
}

#[actix_web::test]
async fn a_five_thousand_character_description_in_any_script_fits_the_form() {
    let app = TestApp::spawn().await;
    let mut staff = staff_of_first_unit(&app).await;
    let token = staff.csrf("/kelola/produk/baru").await;
    let description = "é".repeat(5000);
    let created = staff
        .post(
            "/kelola/produk",
            &[
                ("csrf_token", &token),
                ("name", "Kain Tenun Ikat Panjang"),
                ("description", &description),
                ("category_id", "1"),
                ("price", "175.000"),
                ("stock", "8"),
                ("weight_g", "700"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.status);
    let saved: String = products::table
        .filter(products::name.eq("Kain Tenun Ikat Panjang"))
        .select(products::description)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(saved.chars().count(), 5000);
    // Far beyond any field: a page that says what to do, in Indonesian.
    let huge = "x".repeat(400 * 1024);
    let page = staff
        .post(
            "/kelola/produk",
            &[("csrf_token", &token), ("description", &huge)],
        )
        .await;
    assert_eq!(page.status, 413);
    assert!(page.body.contains("Isian terlalu panjang"), "{}", page.body);
}

#[actix_web::test]
async fn mail_that_cannot_be_delivered_is_given_up_and_shown_to_administrators() {
    let app = TestApp::spawn().await;
    // Checkout refuses an address a mail server would refuse.
    let [(a, _, _), _] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    fill_cart(&mut buyer, &[(a, 1)]).await;
    let mut contact = CONTACT.to_vec();
    contact[1] = ("email", "siti rahma@contoh.id");
    let page = buyer.post("/checkout", &contact).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("aria-invalid") || page.body.contains("field-error"));

    // A mail with a malformed address (from before this check) is given up at once.
    etalase::models::mail_outbox::enqueue(
        &mut app.conn(),
        &etalase::services::mail::Mail {
            to: "bukan alamat".into(),
            subject_id: "Pesanan uji".into(),
            subject_en: "Test order".into(),
            body_id: "Isi".into(),
            body_en: "Body".into(),
        },
    )
    .unwrap();
    // Queued behind the app's back: wake the sender as `db::blocking` does after a write.
    etalase::db::wake::wake(etalase::db::wake::Outbox::Mail);
    let failed = support::eventually_every(
        "the undeliverable mail is given up (failed_at set)",
        Duration::from_secs(20),
        Duration::from_millis(200),
        async || {
            let row: (i32, Option<i64>, Option<i64>) = mail_outbox::table
                .filter(mail_outbox::to_addr.eq("bukan alamat"))
                .select((
                    mail_outbox::attempts,
                    mail_outbox::failed_at,
                    mail_outbox::sent_at,
                ))
                .first(&mut *app.conn())
                .unwrap();
            if row.1.is_some() {
                Ok(row)
            } else {
                Err(format!("attempts {}, sent_at {:?}", row.0, row.2))
            }
        },
    )
    .await;
    assert_eq!(failed.0, 1, "tried once, not forever");
    assert!(failed.1.is_some() && failed.2.is_none());
    assert_eq!(
        etalase::models::mail_outbox::unsent_count(&mut app.conn()).unwrap(),
        0
    );

    let mut admin = signed_in_as(&app, "admin@kemenimipas.go.id", "admin", None, None).await;
    let list = admin.get("/kelola/surat").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("bukan alamat") && list.body.contains("Pesanan uji"));
    // Staff may not see it.
    let mut staff = staff_of_first_unit(&app).await;
    assert_eq!(staff.get("/kelola/surat").await.status, 403);
}

#[actix_web::test]
async fn the_database_session_key_and_data_folder_are_private_to_the_shop() {
    use std::os::unix::fs::PermissionsExt;
    let outer = tempfile::tempdir().unwrap();
    let data = outer.path().join("data");
    let data_for_app = data.clone();
    let app = TestApp::spawn_custom(None, move |s| {
        if let etalase::db::DatabaseUrl::Sqlite(_) = s.database_url {
            s.database_url = etalase::db::DatabaseUrl::Sqlite(
                data_for_app.join("etalase.db").display().to_string(),
            );
        }
        s.data_dir = data_for_app;
    })
    .await;
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&data), 0o700, "data folder");
    assert_eq!(mode(&data.join("session.key")), 0o600, "session key");
    if !app.is_postgres() {
        assert_eq!(mode(&data.join("etalase.db")), 0o600, "database");
    }
}
