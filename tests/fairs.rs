//! Fairs: organizers create an event, upload its booth plan and open it; the public sees the
//! event with its plan drawn as an accessible SVG.

use crate::support;

use diesel::prelude::*;
use etalase::db::schema::{booths, units};
use support::{create_account, signed_in_as, Browser, TestApp, PASSWORD};

const PLAN: &str = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n\
                    A-01,Hall A,standard,3,3,1500000,0,0\n\
                    A-02,Hall A,corner,3,3,2000000,3,0\n\
                    B-01,Hall B,food_power,4,3,2500000,0,0\n";

#[actix_web::test]
async fn an_organizer_creates_a_fair_uploads_its_plan_and_opens_it_to_the_public() {
    let app = TestApp::spawn().await;
    let mut organizer =
        signed_in_as(&app, "panitia@kemenimipas.go.id", "organizer", None, None).await;
    let token = organizer.csrf("/kelola/pameran").await;
    let event = |ends: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("name", "IPPA Fest 2025".to_string()),
            ("venue", "Lapangan Banteng".to_string()),
            ("city", "Jakarta".to_string()),
            ("starts_on", "2025-04-21".to_string()),
            ("ends_on", ends.to_string()),
            ("applications_open_on", "2025-02-01".to_string()),
            ("applications_close_on", "2025-03-31".to_string()),
            (
                "description",
                "Pameran tahunan produk pemasyarakatan.".to_string(),
            ),
        ]
    };
    let wrong = event("2025-04-19");
    let refs: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = organizer.post("/kelola/pameran", &refs).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("tidak boleh sebelum tanggal mulai"));
    assert!(
        page.body.contains("value=\"Lapangan Banteng\""),
        "typed values kept"
    );

    let right = event("2025-04-24");
    let refs: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = organizer.post("/kelola/pameran", &refs).await;
    assert_eq!(created.status, 303);
    let path = created.location();
    assert_eq!(
        app.get("/pameran/ippa-fest-2025").await.status,
        404,
        "drafts are private"
    );

    let token = organizer.csrf(&path).await;
    let bad = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n\
               A-01,Hall A,standard,3,3,1500000,0,0\n\
               A-01,Hall A,standard,3,3,1500000,6,0\n\
               A-03,Hall A,standard,3,3,1500000,1,1\n";
    let refused = organizer
        .post_multipart(
            &format!("{path}/stan"),
            &[("csrf_token", &token)],
            Some(("file", "denah.csv", bad.as_bytes())),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Baris 3: Kode stan sudah dipakai"));
    assert!(refused.body.contains("Baris 4: Stan ini bertumpuk"));
    let count =
        |app: &TestApp| -> i64 { booths::table.count().get_result(&mut *app.conn()).unwrap() };
    assert_eq!(count(&app), 0, "nothing half-saved");
    let saved = organizer
        .post_multipart(
            &format!("{path}/stan"),
            &[("csrf_token", &token)],
            Some(("file", "denah.csv", PLAN.as_bytes())),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(count(&app), 3);
    let opened = organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "open")],
        )
        .await;
    assert_eq!(opened.status, 303);
    let skipped = organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "finished")],
        )
        .await;
    assert_eq!(skipped.status, 303);
    assert!(
        organizer
            .get(&path)
            .await
            .body
            .contains("pendaftaran dibuka"),
        "no skipping states"
    );

    let list = app.get("/pameran").await;
    assert!(list.body.contains("/pameran/ippa-fest-2025"));
    let page = app.get("/pameran/ippa-fest-2025").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg role=\"group\""));
    assert_eq!(page.body.matches("<rect class=\"booth").count(), 3);
    assert!(page.body.contains("aria-label=\"Stan A-02, 3 × 3 m\""));
    assert!(
        page.body.contains("id=\"stan-B-01\""),
        "each booth has an anchor"
    );

    // Each booth has a printable sign with a QR code leading back to it.
    let sign = app.get("/pameran/ippa-fest-2025/stan/A-02").await;
    assert_eq!(sign.status, 200);
    assert!(sign.body.contains("Stan A-02"));
    let qr = sign
        .body
        .split("class=\"booth-qr\"")
        .nth(1)
        .expect("the sign has a QR figure");
    let figure = qr.split("</figure>").next().unwrap_or_default();
    assert!(figure.contains("<svg"), "a QR code in the sign's figure");
    assert!(sign.body.contains("/pameran/ippa-fest-2025/stan/A-02"));
    assert_eq!(
        app.get("/pameran/ippa-fest-2025/stan/Z-99").await.status,
        404
    );
    assert_eq!(
        app.get("/pameran/ippa-fest-2025/stan/%3Cx%3E").await.status,
        404
    );
}

#[actix_web::test]
async fn only_organizers_and_administrators_run_fairs() {
    let app = TestApp::spawn().await;
    let unit: i32 = units::table
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit), None).await;
    assert_eq!(staff.get("/kelola/pameran").await.status, 403);
    let token = staff.csrf("/kelola").await;
    let page = staff
        .post(
            "/kelola/pameran",
            &[("csrf_token", &token), ("name", "Pameran Liar")],
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(app.get("/pameran/tidak-ada").await.status, 404);
}

#[actix_web::test]
async fn units_apply_organizers_decide_and_a_booth_never_holds_two_units() {
    use chrono::{Days, Utc};
    use etalase::db::schema::{booth_sales, fair_applications, mail_outbox, products};
    use etalase::domain::fair::fair_day;
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    let day = |n: u64| {
        today
            .checked_add_days(Days::new(n))
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    let ago = today
        .checked_sub_days(Days::new(10))
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    create_account(&app, "panitia2@kemenimipas.go.id", "organizer", None, None);
    let mut organizer = Browser::new(&app);
    organizer
        .sign_in("panitia@kemenimipas.go.id", PASSWORD)
        .await;
    let token = organizer.csrf("/kelola/pameran").await;
    let (starts, ends, closes) = (day(20), day(23), day(10));
    let created = organizer
        .post(
            "/kelola/pameran",
            &[
                ("csrf_token", &token),
                ("name", "Pameran Ancol 2026"),
                ("venue", "Pantai Ancol"),
                ("city", "Jakarta"),
                ("starts_on", &starts),
                ("ends_on", &ends),
                ("applications_open_on", &ago),
                ("applications_close_on", &closes),
                (
                    "description",
                    "Pameran produk pemasyarakatan di tepi pantai.",
                ),
            ],
        )
        .await;
    let path = created.location();
    let event_id: i32 = path.rsplit('/').next().unwrap().parse().unwrap();
    let token = organizer.csrf(&path).await;
    organizer
        .post_multipart(
            &format!("{path}/stan"),
            &[("csrf_token", &token)],
            Some(("file", "denah.csv", PLAN.as_bytes())),
        )
        .await;
    organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "open")],
        )
        .await;

    // Three units apply, each showing one of its own products.
    let units_with_products: Vec<(i32, i32)> = {
        let rows: Vec<(i32, i32)> = products::table
            .filter(products::status.eq("published"))
            .select((products::unit_id, products::id))
            .order(products::unit_id.asc())
            .load(&mut *app.conn())
            .unwrap();
        let mut seen = std::collections::BTreeMap::new();
        for (u, p) in rows {
            seen.entry(u).or_insert(p);
        }
        seen.into_iter().take(3).collect()
    };
    let mut staff_browsers = Vec::new();
    for (i, (unit, product)) in units_with_products.iter().enumerate() {
        let email = format!("staf{i}@lapas.go.id");
        let mut staff = signed_in_as(&app, &email, "staff", Some(*unit), None).await;
        let page = staff.get("/kelola/pameran-saya").await;
        assert!(page.body.contains("Pameran Ancol 2026"));
        let token = page.csrf_token().unwrap();
        let applied = staff
            .post(
                &format!("/kelola/pameran/{event_id}/daftar"),
                &[
                    ("csrf_token", &token),
                    ("jenis", "standard"),
                    ("produk", &product.to_string()),
                    ("listrik", "1"),
                    ("penanggung_jawab", "Pak Budi"),
                    ("telepon", "0812 3456 7890"),
                ],
            )
            .await;
        assert_eq!(applied.status, 303);
        staff_browsers.push((staff, token));
    }
    let (first_staff, first_token) = &mut staff_browsers[0];
    first_staff
        .post(
            &format!("/kelola/pameran/{event_id}/daftar"),
            &[
                ("csrf_token", first_token.as_str()),
                ("jenis", "corner"),
                ("penanggung_jawab", "Pak Budi"),
                ("telepon", "081234567890"),
            ],
        )
        .await;
    assert!(first_staff
        .get("/kelola/pameran-saya")
        .await
        .body
        .contains("sudah mendaftar"));
    let apps: Vec<(i32, i32)> = fair_applications::table
        .select((fair_applications::id, fair_applications::unit_id))
        .order(fair_applications::id.asc())
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(apps.len(), 3, "one application per unit");
    let booth = |code: &str| -> i32 {
        booths::table
            .filter(booths::code.eq(code))
            .select(booths::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let (a01, a02) = (booth("A-01"), booth("A-02"));
    let decide = |id: i32, what: &str, booth_id: i32, reason: &str| {
        vec![
            ("csrf_token".to_string(), token.clone()),
            ("pameran".to_string(), event_id.to_string()),
            ("keputusan".to_string(), what.to_string()),
            ("stan".to_string(), booth_id.to_string()),
            ("alasan".to_string(), reason.to_string()),
            ("_id".to_string(), id.to_string()),
        ]
    };
    send(&mut organizer, decide(apps[0].0, "setujui", a01, "")).await;
    let taken = send(&mut organizer, decide(apps[1].0, "setujui", a01, "")).await;
    let flash_page = organizer.get(&taken.location()).await;
    assert!(flash_page.body.contains("sudah diberikan ke unit lain"));

    // Two organizers give booth A-02 to two units at the same moment: one wins.
    let mut second = Browser::new(&app);
    second.sign_in("panitia2@kemenimipas.go.id", PASSWORD).await;
    let token2 = second.csrf(&path).await;
    let mut fields2 = decide(apps[2].0, "setujui", a02, "");
    fields2[0].1 = token2;
    let (r1, r2) = futures_util::future::join(
        send(&mut organizer, decide(apps[1].0, "setujui", a02, "")),
        send(&mut second, fields2),
    )
    .await;
    assert!(r1.status == 303 && r2.status == 303, "no server error");
    let holders: i64 = fair_applications::table
        .filter(fair_applications::booth_id.eq(a02))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(holders, 1, "a booth holds one unit");
    let loser = fair_applications::table
        .filter(fair_applications::status.eq("submitted"))
        .select(fair_applications::id)
        .first::<i32>(&mut *app.conn())
        .unwrap();
    send(
        &mut organizer,
        decide(loser, "tolak", 0, "Kuota stan kuliner penuh."),
    )
    .await;
    let decisions: Vec<String> = mail_outbox::table
        .filter(mail_outbox::subject_id.like("Keputusan pameran%"))
        .select(mail_outbox::body_id)
        .load(&mut *app.conn())
        .unwrap();
    assert!(decisions.iter().any(|b| b.contains("Stan Anda: A-01")));
    assert!(decisions
        .iter()
        .any(|b| b.contains("Kuota stan kuliner penuh")));

    let public = app.get("/pameran/pameran-ancol-2026").await;
    assert!(
        public.body.contains("booth-taken"),
        "assigned booths are marked on the plan"
    );
    assert!(
        public.body.contains("href=\"/produk/"),
        "the directory links the products shown"
    );

    // Visitors search the exhibitors' products.
    let (seller_unit, product) = units_with_products[0];
    let (name, slug): (String, String) = products::table
        .find(product)
        .select((products::name, products::slug))
        .first(&mut *app.conn())
        .unwrap();
    let word: String = name.split_whitespace().next().unwrap().to_uppercase();
    let q: String = url::form_urlencoded::byte_serialize(word.as_bytes()).collect();
    let found = app.get(&format!("/pameran/pameran-ancol-2026?q={q}")).await;
    assert!(
        found.body.contains(&format!("href=\"/produk/{slug}\"")),
        "{word}"
    );
    assert!(found.body.contains("#stan-A-01"));
    let none = app.get("/pameran/pameran-ancol-2026?q=zzzqqq").await;
    assert!(none.body.contains("Tidak ada produk peserta yang cocok"));

    // Booth sales: refused before the fair runs, then taken at booth A-01 from a phone.
    let stock = |id: i32| -> i32 {
        products::table
            .find(id)
            .select(products::stock)
            .first(&mut *app.conn())
            .unwrap()
    };
    products_stock_at_least(&app, product, 10);
    let before = stock(product);
    let (seller, seller_token) = &mut staff_browsers[0];
    let seller_token = seller_token.clone();
    let early = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0001",
        product,
        "1",
    )
    .await;
    assert_eq!(early.status, 422);
    assert!(
        early.body.contains("saat pameran berlangsung"),
        "{}",
        early.body
    );
    // The fair comes early: the organizer moves its dates to today (WIB), then opens it.
    organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "closed")],
        )
        .await;
    let wib = fair_day(Utc::now());
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let moved = organizer
        .post(
            &format!("{path}/tanggal"),
            &[
                ("csrf_token", &token),
                ("starts_on", &iso(wib)),
                ("ends_on", &iso(wib + Days::new(3))),
                ("applications_open_on", &iso(wib - Days::new(10))),
                ("applications_close_on", &iso(wib - Days::new(1))),
            ],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "live")],
        )
        .await;
    let till = seller
        .get(&format!("/kelola/pameran/{event_id}/kasir"))
        .await;
    assert_eq!(till.status, 200);
    assert!(till.body.contains("A-01") && till.body.contains(&format!("value=\"{product}\"")));
    let sold = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0001",
        product,
        "2",
    )
    .await;
    assert_eq!(sold.status, 200, "{}", sold.body);
    assert!(sold.body.contains("\"recorded\""));
    assert_eq!(
        stock(product),
        before - 2,
        "a booth sale lowers the web shop's stock"
    );
    // The phone sends the same sale again after the line dropped: counted once.
    let again = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0001",
        product,
        "2",
    )
    .await;
    assert!(again.body.contains("\"duplicate\""));
    assert_eq!(stock(product), before - 2);
    let too_many = (before + 1).to_string();
    let above = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0002",
        product,
        &too_many,
    )
    .await;
    assert_eq!(above.status, 422);
    assert!(
        above.body.contains(&format!("tersisa {}", before - 2)),
        "{}",
        above.body
    );
    let (other_unit_product,): (i32,) = products::table
        .filter(products::unit_id.ne(seller_unit))
        .filter(products::status.eq("published"))
        .select((products::id,))
        .first(&mut *app.conn())
        .unwrap();
    let foreign = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0003",
        other_unit_product,
        "1",
    )
    .await;
    assert!(foreign.body.contains("bukan produk unit Anda"));
    let zero = sell(
        seller,
        event_id,
        &seller_token,
        "kunci-penjualan-0004",
        product,
        "0",
    )
    .await;
    assert!(zero.body.contains("jumlah 1–999"));
    let recorded: i64 = booth_sales::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(recorded, 1, "refused sales leave nothing behind");

    // The booth and the web shop race for the last piece: one of them gets it.
    diesel::update(products::table.find(product))
        .set(products::stock.eq(1))
        .execute(&mut *app.conn())
        .unwrap();
    let mut buyer = Browser::new(&app);
    support::shop::fill_cart(&mut buyer, &[(product, 1)]).await;
    let (key, radios) = support::shop::to_shipping_step(&mut buyer).await;
    let web_fields = [("kunci", key.as_str()), (radios[0].as_str(), "jne-reg")];
    let (web, booth) = futures_util::future::join(
        buyer.post("/checkout/kirim", &web_fields),
        sell(
            seller,
            event_id,
            &seller_token,
            "kunci-penjualan-0005",
            product,
            "1",
        ),
    )
    .await;
    let web_won = web.location().starts_with("/pesanan/");
    let booth_won = booth.body.contains("\"recorded\"");
    assert!(
        web_won != booth_won,
        "exactly one of the two sells the last piece"
    );
    assert_eq!(stock(product), 0);

    // The report: per booth, unit, product and day, with charts and a CSV export.
    let report = organizer
        .get(&format!("/kelola/pameran/{event_id}/laporan"))
        .await;
    assert_eq!(report.status, 200);
    assert!(report.body.contains("<svg class=\"chart\""));
    assert!(report.body.contains(&name));
    assert!(report.body.contains("Per unit"));
    let csv = organizer
        .get(&format!("/kelola/pameran/{event_id}/laporan.csv"))
        .await;
    assert_eq!(
        csv.header("content-type").as_deref(),
        Some("text/csv; charset=utf-8")
    );
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].starts_with("tanggal,stan,unit,produk_id,produk,jumlah"));
    assert_eq!(lines.len(), 1 + if booth_won { 2 } else { 1 });
    assert!(lines[1].contains(",A-01,") && lines[1].contains(",2,"));
    let own = seller
        .get(&format!("/kelola/pameran/{event_id}/laporan"))
        .await;
    assert_eq!(own.status, 200);
    assert!(own.body.contains("Unit Anda") && !own.body.contains("Per unit"));

    // A unit without a booth has no till and no report.
    let loser_unit: i32 = fair_applications::table
        .find(loser)
        .select(fair_applications::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let at = units_with_products
        .iter()
        .position(|(u, _)| *u == loser_unit)
        .unwrap();
    let (outsider, _) = &mut staff_browsers[at];
    assert_eq!(
        outsider
            .get(&format!("/kelola/pameran/{event_id}/kasir"))
            .await
            .status,
        403
    );
    assert_eq!(
        outsider
            .get(&format!("/kelola/pameran/{event_id}/laporan"))
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn a_fair_goes_live_only_from_its_start_date_in_western_indonesia_time_and_its_dates_can_be_corrected_before(
) {
    use chrono::{Days, Utc};
    use etalase::db::schema::{booth_sales, events};
    use etalase::domain::fair::fair_day;
    let app = TestApp::spawn().await;
    let mut organizer =
        signed_in_as(&app, "panitia@kemenimipas.go.id", "organizer", None, None).await;
    // Today as it is in Jakarta; the fair starts in five days.
    let today = fair_day(Utc::now());
    let (path, token) = new_event(
        &mut organizer,
        today + Days::new(5),
        today + Days::new(8),
        today - Days::new(10),
        today + Days::new(1),
    )
    .await;
    let event_id: i32 = path.rsplit('/').next().unwrap().parse().unwrap();
    let status = |app: &TestApp| -> String {
        events::table
            .find(event_id)
            .select(events::status)
            .first(&mut *app.conn())
            .unwrap()
    };
    for step in ["open", "closed"] {
        let moved = organizer
            .post(
                &format!("{path}/status"),
                &[("csrf_token", &token), ("status", step)],
            )
            .await;
        assert_eq!(moved.status, 303);
    }
    let (unit_id, product_id) = give_booth(&app, event_id);

    // Five days early the fair cannot go live, and the organizer is told why.
    let early = organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "live")],
        )
        .await;
    assert_eq!(early.status, 303, "refused without a server error");
    let page = organizer.get(&early.location()).await;
    assert!(
        page.body
            .contains("Pameran belum dapat dimulai: pameran hanya dapat berlangsung dari tanggal mulai sampai tanggal selesai (WIB)"),
        "{}",
        page.body
    );
    assert_eq!(status(&app), "closed");
    organizer.get("/bahasa/en").await;
    organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "live")],
        )
        .await;
    let page = organizer.get(&path).await;
    assert!(
        page.body.contains("The fair cannot go live yet"),
        "{}",
        page.body
    );
    organizer.get("/bahasa/id").await;

    // An event that was already put live too early takes no sale dated before the fair.
    diesel::update(events::table.find(event_id))
        .set(events::status.eq("live"))
        .execute(&mut *app.conn())
        .unwrap();
    let mut seller = signed_in_as(&app, "kasir@lapas.go.id", "staff", Some(unit_id), None).await;
    let till = seller
        .get(&format!("/kelola/pameran/{event_id}/kasir"))
        .await;
    assert!(till.body.contains("saat pameran berlangsung"));
    let seller_token = till.csrf_token().unwrap();
    let refused = sell(
        &mut seller,
        event_id,
        &seller_token,
        "kunci-terlalu-awal-0001",
        product_id,
        "1",
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let sales = |app: &TestApp| -> Vec<String> {
        booth_sales::table
            .select(booth_sales::sold_on)
            .load(&mut *app.conn())
            .unwrap()
    };
    assert!(sales(&app).is_empty(), "no sale dated before the fair");
    diesel::update(events::table.find(event_id))
        .set(events::status.eq("closed"))
        .execute(&mut *app.conn())
        .unwrap();

    // The fair really starts today: the organizer corrects the dates, then it goes live.
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let wrong = organizer
        .post(
            &format!("{path}/tanggal"),
            &[
                ("csrf_token", &token),
                ("starts_on", &iso(today)),
                ("ends_on", &iso(today + Days::new(3))),
                ("applications_open_on", &iso(today - Days::new(10))),
                ("applications_close_on", &iso(today + Days::new(1))),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("ditutup sebelum pameran mulai"));
    let corrected = organizer
        .post(
            &format!("{path}/tanggal"),
            &[
                ("csrf_token", &token),
                ("starts_on", &iso(today)),
                ("ends_on", &iso(today + Days::new(3))),
                ("applications_open_on", &iso(today - Days::new(10))),
                ("applications_close_on", &iso(today - Days::new(1))),
            ],
        )
        .await;
    assert_eq!(corrected.status, 303, "{}", corrected.body);
    assert!(organizer
        .get(&path)
        .await
        .body
        .contains("Tanggal pameran disimpan"));
    organizer
        .post(
            &format!("{path}/status"),
            &[("csrf_token", &token), ("status", "live")],
        )
        .await;
    assert_eq!(status(&app), "live");
    let sold = sell(
        &mut seller,
        event_id,
        &seller_token,
        "kunci-hari-pertama-0001",
        product_id,
        "1",
    )
    .await;
    assert_eq!(sold.status, 200, "{}", sold.body);
    assert_eq!(
        sales(&app),
        vec![iso(today)],
        "dated on the fair's day (WIB)"
    );

    // Once live, the dates stay as they are.
    let page = organizer.get(&path).await;
    assert!(!page.body.contains("/tanggal\""));
    organizer
        .post(
            &format!("{path}/tanggal"),
            &[
                ("csrf_token", &token),
                ("starts_on", &iso(today + Days::new(1))),
                ("ends_on", &iso(today + Days::new(3))),
                ("applications_open_on", &iso(today - Days::new(10))),
                ("applications_close_on", &iso(today - Days::new(1))),
            ],
        )
        .await;
    assert!(organizer
        .get(&path)
        .await
        .body
        .contains("tidak dapat diubah lagi"));
    let starts: String = events::table
        .find(event_id)
        .select(events::starts_on)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(starts, iso(today));
}

#[actix_web::test]
async fn an_organizer_reaches_the_fair_report_from_the_event_page_and_its_total_reads_as_sales() {
    use chrono::{Days, Utc};
    use etalase::domain::fair::fair_day;
    let app = TestApp::spawn().await;
    let mut organizer =
        signed_in_as(&app, "panitia@kemenimipas.go.id", "organizer", None, None).await;
    let today = fair_day(Utc::now());
    let (path, _) = new_event(
        &mut organizer,
        today + Days::new(20),
        today + Days::new(23),
        today - Days::new(1),
        today + Days::new(10),
    )
    .await;
    let page = organizer.get(&path).await;
    let report = format!("{path}/laporan");
    assert!(
        page.links_under("/kelola/pameran/").contains(&report),
        "the event page links to {report}"
    );
    let shown = organizer.get(&report).await;
    assert_eq!(shown.status, 200);
    assert!(shown.body.contains("Total penjualan"), "{}", shown.body);
    assert!(
        !shown.body.contains("Total bayar"),
        "a report is not a bill"
    );
    organizer.get("/bahasa/en").await;
    let english = organizer.get(&report).await;
    assert!(english.body.contains("Total sales"), "{}", english.body);
    assert!(!english.body.contains("Total to pay"));
}

/// Creates an event through the organizer's form; gives its page and the form token.
async fn new_event(
    organizer: &mut Browser<'_>,
    starts: chrono::NaiveDate,
    ends: chrono::NaiveDate,
    opens: chrono::NaiveDate,
    closes: chrono::NaiveDate,
) -> (String, String) {
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let token = organizer.csrf("/kelola/pameran").await;
    let created = organizer
        .post(
            "/kelola/pameran",
            &[
                ("csrf_token", &token),
                ("name", "Pameran Lapangan Banteng"),
                ("venue", "Lapangan Banteng"),
                ("city", "Jakarta"),
                ("starts_on", &iso(starts)),
                ("ends_on", &iso(ends)),
                ("applications_open_on", &iso(opens)),
                ("applications_close_on", &iso(closes)),
                ("description", "Pameran produk pemasyarakatan tahunan."),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location();
    let token = organizer.csrf(&path).await;
    (path, token)
}

#[actix_web::test]
async fn a_units_static_qris_is_uploaded_by_its_staff_shown_on_its_till_and_served_to_no_one_else()
{
    use etalase::db::schema::{audit_log, booth_sales, products};
    let app = TestApp::spawn().await;
    let product: i32 = products::table
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(2))
        .order(products::id.asc())
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    let (event_id, unit_id) = support::fair::live_fair_with_booth(&app, product);
    let other_unit: i32 = units::table
        .filter(units::id.ne(unit_id))
        .order(units::id.asc())
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    create_account(&app, "kasir@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "staf.lain@rutan.go.id",
        "staff",
        Some(other_unit),
        None,
    );
    let mut seller = Browser::new(&app);
    seller.sign_in("kasir@lapas.go.id", PASSWORD).await;
    let till_path = format!("/kelola/pameran/{event_id}/kasir");
    let qris_of = |app: &TestApp| -> Option<String> {
        units::table
            .find(unit_id)
            .select(units::qris_image)
            .first(&mut *app.conn())
            .unwrap()
    };
    let stored = |file: &str| {
        etalase::services::backup::documents_dir(&app.settings)
            .join(etalase::services::media::QRIS_FOLDER)
            .join(file)
    };
    assert!(!seller.get(&till_path).await.body.contains("Tampilkan QRIS"));

    // A file that is not a picture: refused with a clear message, nothing stored.
    let token = seller.csrf("/kelola/unit").await;
    let refused = seller
        .post_multipart(
            "/kelola/unit/qris",
            &[("csrf_token", &token)],
            Some(("image", "qris.pdf", b"%PDF-1.4 bukan gambar\n%%EOF\n")),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains("Berkas ini bukan gambar QRIS: unggah gambar PNG atau JPEG dari bank Anda."),
        "{}",
        refused.body
    );
    assert_eq!(qris_of(&app), None);

    // The bank's PNG: stored privately, shown on the unit's form and on its till.
    let saved = seller
        .post_multipart(
            "/kelola/unit/qris",
            &[("csrf_token", &token)],
            Some(("image", "qris.png", &support::png(600, 800))),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let file = qris_of(&app).expect("the image is stored");
    assert!(file.ends_with(".png"), "{file}");
    assert!(stored(&file).is_file());
    let form = seller.get("/kelola/unit").await;
    assert!(
        form.body.contains("class=\"qris-preview\""),
        "{}",
        form.body
    );
    let till = seller.get(&till_path).await;
    assert!(till.body.contains("Tampilkan QRIS"), "{}", till.body);
    assert!(till.body.contains("<dialog id=\"till-qris\""));
    assert!(
        !till.body.contains("QRIS dinamis"),
        "no dynamic QRIS without Midtrans"
    );
    let address = till
        .attr_values("href")
        .into_iter()
        .find(|href| href.starts_with(&format!("/kelola/unit/{unit_id}/qris")))
        .expect("the till links the image");
    let image = seller.get(&address).await;
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type").as_deref(), Some("image/png"));
    assert!(image
        .header("cache-control")
        .is_some_and(|c| c.contains("no-store")));

    // Nobody else sees it: another unit's staff, a visitor, the public media folder.
    let mut other = Browser::new(&app);
    other.sign_in("staf.lain@rutan.go.id", PASSWORD).await;
    assert_eq!(other.get(&address).await.status, 403);
    let visitor = app.get(&address).await;
    assert_eq!(visitor.status, 303);
    assert!(visitor.location().starts_with("/masuk"));
    assert_eq!(app.get(&format!("/media/{file}")).await.status, 404);

    // "Pembayaran diterima" sends the sale through the till's queue as QRIS.
    let token = till.csrf_token().unwrap();
    let sold = sell(
        &mut seller,
        event_id,
        &token,
        "kunci-qris-statis-0001",
        product,
        "1",
    )
    .await;
    assert_eq!(sold.status, 200, "{}", sold.body);
    let method: String = booth_sales::table
        .filter(booth_sales::idempotency_key.eq("kunci-qris-statis-0001"))
        .select(booth_sales::method)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(method, "qris");

    // Replaced (the old file goes), then removed: the till offers it no more.
    let replaced = seller
        .post_multipart(
            "/kelola/unit/qris",
            &[("csrf_token", &token)],
            Some(("image", "qris.jpg", &support::jpeg(500, 500))),
        )
        .await;
    assert_eq!(replaced.status, 303, "{}", replaced.body);
    let new_file = qris_of(&app).expect("the new image");
    assert!(new_file.ends_with(".jpg") && new_file != file, "{new_file}");
    assert!(!stored(&file).exists(), "the replaced file is removed");
    let removed = seller
        .post("/kelola/unit/qris/hapus", &[("csrf_token", &token)])
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(qris_of(&app), None);
    assert!(!stored(&new_file).exists());
    assert!(!seller.get(&till_path).await.body.contains("Tampilkan QRIS"));
    assert_eq!(seller.get(&address).await.status, 404);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.like("unit.qris.%"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 3, "set, replaced, removed");
}

/// Gives booth A-01 of the event to the first unit with a published product (approved, as the
/// organizer would); gives (unit id, product id).
fn give_booth(app: &TestApp, event_id: i32) -> (i32, i32) {
    use etalase::db::schema::products;
    let product_id: i32 = products::table
        .filter(products::status.eq("published"))
        .order(products::id.asc())
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    products_stock_at_least(app, product_id, 10);
    let unit_id = support::fair::give_booth_a01(app, event_id, product_id, false);
    (unit_id, product_id)
}

/// Ensures a product has at least `n` in stock.
fn products_stock_at_least(app: &TestApp, id: i32, n: i32) {
    use etalase::db::schema::products;
    diesel::update(products::table.find(id).filter(products::stock.lt(n)))
        .set(products::stock.eq(n))
        .execute(&mut *app.conn())
        .unwrap();
}

/// Records a booth sale the way the till's script does (asking for JSON).
async fn sell(
    b: &mut Browser<'_>,
    event_id: i32,
    token: &str,
    key: &str,
    product: i32,
    quantity: &str,
) -> support::Page {
    b.post_with(
        &format!("/kelola/pameran/{event_id}/penjualan"),
        &[
            ("csrf_token", token),
            ("kunci", key),
            ("produk", &product.to_string()),
            ("jumlah", quantity),
            ("cara", "qris"),
        ],
        &[("Accept", "application/json")],
    )
    .await
}

/// Posts an organizer's decision; the last field names the application.
async fn send(b: &mut Browser<'_>, fields: Vec<(String, String)>) -> support::Page {
    let id = fields.last().unwrap().1.clone();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .take(5)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post(&format!("/kelola/pameran/lamaran/{id}"), &refs)
        .await
}
