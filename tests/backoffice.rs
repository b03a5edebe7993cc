//! The back office: signing in, the staff journey from brand to a published product, the
//! review desk, the scope of every role, CSRF and rate limits, bad input, the audit log, the
//! administrators' units registry and accounts (invitations, deactivation, one's own password),
//! the review of a unit's profile (brand, story, logo, banner), the dashboard of each role and
//! the payouts a unit's treasurer records.

use crate::support;

use std::time::Duration;

use diesel::prelude::*;
use etalase::db::schema::{audit_log, categories, products, provinces, units};
use support::{create_account, jpeg, signed_in_as, Browser, TestApp, PASSWORD};

/// (unit id, province id) of two units in different provinces.
fn two_units(app: &TestApp) -> ((i32, i32), (i32, i32)) {
    let all: Vec<(i32, i32)> = units::table
        .select((units::id, units::province_id))
        .order(units::id.asc())
        .load(&mut *app.conn())
        .unwrap();
    let first = all[0];
    let other = *all.iter().find(|(_, p)| *p != first.1).unwrap();
    (first, other)
}

fn a_product_of(app: &TestApp, unit_id: i32, status: &str) -> i32 {
    products::table
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq(status))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap_or_else(|_| panic!("a {status} product of unit {unit_id}"))
}

fn product_count(app: &TestApp, unit_id: i32) -> i64 {
    products::table
        .filter(products::unit_id.eq(unit_id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn staff_edit_their_brand_list_a_product_and_a_reviewer_publishes_it() {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );

    let mut staff = Browser::new(&app);
    assert_eq!(
        staff.get("/kelola").await.location(),
        "/masuk?next=%2Fkelola"
    );
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let dashboard = staff.get("/kelola").await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("/kelola/produk/baru"));

    let token = staff.csrf("/kelola/unit").await;
    let saved = staff
        .post(
            "/kelola/unit",
            &[
                ("csrf_token", &token),
                ("brand_name", "Karya Tangan Mandiri"),
                (
                    "story",
                    "Bengkel kerja kami membuat kerajinan kayu dan anyaman sejak 2015.",
                ),
                ("pickup_address", "Jl. Pemasyarakatan No. 1, Kota Contoh"),
                ("phone", "+62 21 555-0101"),
                ("email", "bengkel@lapas.go.id"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    let token = staff.csrf("/kelola/produk/baru").await;
    let category = "1";
    let created = staff
        .post(
            "/kelola/produk",
            &[
                ("csrf_token", &token),
                ("name", "Tas Rotan Anyaman Mandiri"),
                (
                    "description",
                    "Tas rotan dianyam tangan di bengkel kerja unit.",
                ),
                ("category_id", category),
                ("price", "175.000"),
                ("stock", "8"),
                ("weight_g", "700"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let edit_path = created.location();
    let id: i32 = edit_path.rsplit('/').next().unwrap().parse().unwrap();
    // A logo for the shop, a photo and a legal document for the product.
    support::propose_logo(&mut staff, 300).await;
    let token = staff.csrf(&edit_path).await;
    let photo = staff
        .post_multipart(
            &format!("{edit_path}/foto"),
            &[("csrf_token", &token), ("alt", "Tas rotan dari samping")],
            Some(("photo", "tas.jpg", &jpeg(800, 600))),
        )
        .await;
    assert_eq!(photo.status, 303, "{}", photo.body);
    let id_text = id.to_string();
    let document = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "HKI"),
                ("number", "IDM-TAS-0042"),
                ("issuer", "DJKI"),
                ("issued_on", "2025-02-01"),
                ("product_id", &id_text),
            ],
            Some(("scan", "hki.pdf", b"%PDF-1.4\n%%EOF\n")),
        )
        .await;
    assert_eq!(document.status, 303, "{}", document.body);
    let submitted = staff
        .post(&format!("{edit_path}/ajukan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(submitted.status, 303);
    let slug: String = products::table
        .find(id)
        .select(products::slug)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        app.get(&format!("/produk/{slug}")).await.status,
        404,
        "not public yet"
    );

    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let queue = reviewer.get("/kelola/tinjau").await;
    assert!(queue.body.contains("Tas Rotan Anyaman Mandiri"));
    let review_path = format!("/kelola/tinjau/produk/{id}");
    let token = reviewer.csrf(&review_path).await;
    let unchecked = reviewer
        .post(
            &review_path,
            &[("csrf_token", &token), ("decision", "approve")],
        )
        .await;
    assert_eq!(unchecked.status, 422, "the checklist must be ticked");
    assert!(unchecked.body.contains("Centang semua butir"));
    let approved = reviewer
        .post(
            &review_path,
            &[
                ("csrf_token", &token),
                ("decision", "approve"),
                ("check_people", "1"),
                ("check_content", "1"),
                ("check_documents", "1"),
            ],
        )
        .await;
    assert_eq!(approved.status, 303);
    let queue = reviewer.get("/kelola/tinjau").await;
    let document_id: i32 = etalase::db::schema::certifications::table
        .filter(etalase::db::schema::certifications::number.eq("IDM-TAS-0042"))
        .select(etalase::db::schema::certifications::id)
        .first(&mut *app.conn())
        .unwrap();
    let verified = reviewer
        .post(
            &format!("/kelola/tinjau/dokumen/{document_id}"),
            &[
                ("csrf_token", &queue.csrf_token().unwrap()),
                ("decision", "verify"),
            ],
        )
        .await;
    assert_eq!(verified.status, 303);

    // The new brand and logo wait for a reviewer too.
    let waiting = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(waiting.status, 200);
    assert!(
        !waiting.body.contains("Karya Tangan Mandiri"),
        "the brand waits for review"
    );
    approve_profile(&mut reviewer, unit_id).await;

    let public = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("Tas Rotan Anyaman Mandiri"));
    assert!(
        public.body.contains("Karya Tangan Mandiri"),
        "the new brand shows"
    );
    assert!(
        public.body.contains("IDM-TAS-0042"),
        "the verified badge shows"
    );
    assert!(
        public.body.contains("Tas rotan dari samping"),
        "the photo shows with its alt"
    );
    assert!(
        public.body.contains(&format!("/media/products/{id}/")),
        "served from media"
    );
    let unit_slug: String = units::table
        .find(unit_id)
        .select(units::slug)
        .first(&mut *app.conn())
        .unwrap();
    let shop = app.get(&format!("/unit/{unit_slug}")).await;
    assert!(
        shop.body.contains(&format!("/media/units/{unit_id}/logo-")),
        "the new logo shows"
    );
    support::eventually_every(
        "searchable soon",
        Duration::from_secs(2),
        Duration::from_millis(50),
        async || {
            app.get("/cari?q=rotan+anyaman+mandiri")
                .await
                .links_under("/produk/")
                .contains(&format!("/produk/{slug}"))
        },
    )
    .await;

    // A text edit of the published product sends it back to review; a stock change does not.
    let token = staff.csrf(&edit_path).await;
    let fields = |name: &'static str, stock: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("name", name.to_string()),
            (
                "description",
                "Tas rotan dianyam tangan di bengkel kerja unit.".to_string(),
            ),
            ("category_id", category.to_string()),
            ("price", "175000".to_string()),
            ("stock", stock.to_string()),
            ("weight_g", "700".to_string()),
        ]
    };
    let stock_only = fields("Tas Rotan Anyaman Mandiri", "3");
    let refs: Vec<(&str, &str)> = stock_only.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(staff.post(&edit_path, &refs).await.status, 303);
    let status = |app: &TestApp| -> String {
        products::table
            .find(id)
            .select(products::status)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(status(&app), "published");
    let renamed = fields("Tas Rotan Anyaman Baru", "3");
    let refs: Vec<(&str, &str)> = renamed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(staff.post(&edit_path, &refs).await.status, 303);
    assert_eq!(status(&app), "submitted");
}

#[actix_web::test]
async fn every_role_is_refused_outside_its_scope() {
    let app = TestApp::spawn().await;
    let ((unit_a, province_a), (unit_b, province_b)) = two_units(&app);
    create_account(&app, "a@lapas.go.id", "staff", Some(unit_a), None);
    create_account(
        &app,
        "rev-a@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_a),
    );
    create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let other_product = a_product_of(&app, unit_b, "published");
    let submitted_b = {
        let id = a_product_of(&app, unit_b, "published");
        diesel::update(products::table.find(id))
            .set(products::status.eq("submitted"))
            .execute(&mut *app.conn())
            .unwrap();
        id
    };
    let _ = province_b;

    let mut staff = Browser::new(&app);
    staff.sign_in("a@lapas.go.id", PASSWORD).await;
    let token = staff.csrf("/kelola").await;
    let mut refused = Vec::new();
    for path in [
        format!("/kelola/produk/{other_product}"),
        "/kelola/tinjau".to_string(),
        format!("/kelola/tinjau/produk/{submitted_b}"),
        "/kelola/audit".to_string(),
    ] {
        refused.push((path.clone(), staff.get(&path).await.status));
    }
    for path in [
        format!("/kelola/produk/{other_product}"),
        format!("/kelola/produk/{other_product}/ajukan"),
        format!("/kelola/produk/{other_product}/arsipkan"),
        format!("/kelola/tinjau/produk/{submitted_b}"),
    ] {
        let page = staff
            .post(
                &path,
                &[
                    ("csrf_token", &token),
                    ("name", "Dibajak"),
                    ("decision", "approve"),
                ],
            )
            .await;
        refused.push((format!("POST {path}"), page.status));
    }

    let mut reviewer = Browser::new(&app);
    reviewer.sign_in("rev-a@kemenimipas.go.id", PASSWORD).await;
    let token = reviewer.csrf("/kelola").await;
    for path in [
        format!("/kelola/tinjau/produk/{submitted_b}"),
        "/kelola/unit".to_string(),
        "/kelola/produk/baru".to_string(),
        format!("/kelola/produk/{other_product}"),
        "/kelola/audit".to_string(),
    ] {
        refused.push((format!("reviewer {path}"), reviewer.get(&path).await.status));
    }
    let page = reviewer
        .post(
            &format!("/kelola/tinjau/produk/{submitted_b}"),
            &[("csrf_token", &token), ("decision", "approve")],
        )
        .await;
    refused.push(("reviewer POST other province".into(), page.status));

    let mut organizer = Browser::new(&app);
    organizer
        .sign_in("panitia@kemenimipas.go.id", PASSWORD)
        .await;
    for path in [
        "/kelola/tinjau".to_string(),
        "/kelola/unit".to_string(),
        "/kelola/produk/baru".to_string(),
        format!("/kelola/produk/{other_product}"),
        "/kelola/audit".to_string(),
    ] {
        refused.push((
            format!("organizer {path}"),
            organizer.get(&path).await.status,
        ));
    }

    let wrong: Vec<_> = refused.iter().filter(|(_, s)| *s != 403).collect();
    assert!(wrong.is_empty(), "expected 403 for all, got {wrong:?}");
    let status: String = products::table
        .find(other_product)
        .select(products::name)
        .first(&mut *app.conn())
        .unwrap();
    assert_ne!(status, "Dibajak", "nothing changed");
    assert_eq!(
        staff.get("/kelola/produk/99999999").await.status,
        404,
        "a missing product is 404"
    );
    assert_eq!(staff.get("/kelola/produk/abc").await.status, 404);
}

#[actix_web::test]
async fn forms_without_the_session_token_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let before = product_count(&app, unit_id);
    for token in ["", "0000", "forged-token-from-another-site"] {
        let page = staff
            .post(
                "/kelola/produk",
                &[
                    ("csrf_token", token),
                    ("name", "Produk Palsu"),
                    ("description", "Dikirim dari situs lain tanpa token."),
                    ("category_id", "1"),
                    ("price", "1000"),
                    ("stock", "1"),
                    ("weight_g", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, 403, "token {token:?}");
    }
    assert_eq!(product_count(&app, unit_id), before);
    // Signing in needs the token too.
    let mut stranger = Browser::new(&app);
    let page = stranger
        .post(
            "/masuk",
            &[("email", "staf@lapas.go.id"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[actix_web::test]
async fn bad_product_input_is_explained_on_the_form_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let before = product_count(&app, unit_id);
    let token = staff.csrf("/kelola/produk/baru").await;
    let page = staff
        .post(
            "/kelola/produk",
            &[
                ("csrf_token", &token),
                ("name", "Keripik Tempe <b>Renyah</b>"),
                ("description", "pendek"),
                ("category_id", "999"),
                ("price", "dua ribu"),
                ("stock", "-3"),
                ("weight_g", "0"),
                ("length_cm", "abc"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    for message in [
        "Harga harus berupa angka rupiah",
        "Stok harus berupa bilangan bulat",
        "Deskripsi harus 10",
        "Pilih kategori",
        "Berat harus berupa",
        "Ukuran harus berupa",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(page.body.contains("value=\"dua ribu\""), "typed price kept");
    assert!(
        page.body
            .contains("Keripik Tempe &lt;b&gt;Renyah&lt;&#x2F;b&gt;"),
        "escaped, kept"
    );
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert_eq!(product_count(&app, unit_id), before, "nothing created");
}

#[actix_web::test]
async fn the_product_form_saves_an_english_description_and_refuses_one_too_long_keeping_both_texts()
{
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let blank = staff.get("/kelola/produk/baru").await;
    assert!(blank
        .body
        .contains("Deskripsi dalam bahasa Inggris (opsional)"));
    assert!(blank.body.contains("name=\"description_en\""));
    let token = blank.csrf_token().unwrap();
    let indonesian = "Tas rotan dianyam tangan di bengkel kerja unit.";
    let english = "Rattan bag, hand woven in the workshop of the unit.";
    let fields = |indonesian: &str, english: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf_token", token.clone()),
            ("stock_was", "8".to_string()),
            ("name", "Tas Rotan Dua Bahasa".to_string()),
            ("description", indonesian.to_string()),
            ("description_en", english.to_string()),
            ("category_id", "1".to_string()),
            ("price", "175.000".to_string()),
            ("stock", "8".to_string()),
            ("weight_g", "700".to_string()),
        ]
    };
    let created = fields(indonesian, english);
    let refs: Vec<(&str, &str)> = created.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = staff.post("/kelola/produk", &refs).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let path = page.location();
    let id: i32 = path.rsplit('/').next().unwrap().parse().unwrap();
    let stored = |app: &TestApp| -> (String, String) {
        products::table
            .find(id)
            .select((products::description, products::description_en))
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(stored(&app), (indonesian.to_string(), english.to_string()));
    let form = staff.get(&path).await;
    assert!(
        form.body.contains(&format!(">{english}</textarea>")),
        "the saved English text is in its field"
    );

    // Too long: refused with the message, and both texts come back as typed.
    let changed = "Tas rotan dianyam tangan, kini dengan tali kulit sapi.";
    let too_long = "x".repeat(5001);
    let edited = fields(changed, &too_long);
    let refs: Vec<(&str, &str)> = edited.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = staff.post(&path, &refs).await;
    assert_eq!(page.status, 422);
    assert!(page
        .body
        .contains("Deskripsi dalam bahasa Inggris paling banyak 5.000 karakter"));
    assert!(page.body.contains("aria-describedby=\"e-description-en\""));
    assert!(
        page.body.contains(&format!(">{changed}</textarea>")),
        "Indonesian kept"
    );
    assert!(
        page.body.contains(&format!(">{too_long}</textarea>")),
        "English kept"
    );
    assert_eq!(
        stored(&app),
        (indonesian.to_string(), english.to_string()),
        "nothing saved"
    );

    // Reviewers see both texts.
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    diesel::update(products::table.find(id))
        .set(products::status.eq("submitted"))
        .execute(&mut *app.conn())
        .unwrap();
    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let review = reviewer.get(&format!("/kelola/tinjau/produk/{id}")).await;
    assert_eq!(review.status, 200);
    assert!(review.body.contains(indonesian));
    assert!(review
        .body
        .contains(&format!("<dd lang=\"en\">{english}</dd>")));
}

#[actix_web::test]
async fn sign_in_refuses_wrong_passwords_and_slows_down_repeated_attempts() {
    let app = TestApp::spawn().await;
    create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    let mut visitor = Browser::new(&app);
    let token = visitor.csrf("/masuk").await;
    let wrong = visitor
        .post(
            "/masuk",
            &[
                ("csrf_token", &token),
                ("email", "admin@kemenimipas.go.id"),
                ("password", "bukan-kata-sandinya"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("Email atau kata sandi salah"));
    assert!(
        wrong.body.contains("value=\"admin@kemenimipas.go.id\""),
        "email kept"
    );
    assert_eq!(visitor.get("/kelola").await.status, 303, "still signed out");
    let mut limited = false;
    for _ in 0..12 {
        let page = visitor
            .post(
                "/masuk",
                &[
                    ("csrf_token", &token),
                    ("email", "admin@kemenimipas.go.id"),
                    ("password", "tebak-tebakan"),
                ],
            )
            .await;
        if page.status == 429 {
            assert!(page.body.contains("Terlalu banyak percobaan"));
            assert_eq!(page.header("retry-after").as_deref(), Some("60"));
            limited = true;
            break;
        }
    }
    assert!(limited, "repeated attempts are limited");
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_sign_in_limit_counts_each_forwarded_client() {
    async fn attempts(app: &TestApp, client: &str) -> Vec<u16> {
        let mut visitor = Browser::new(app);
        let token = visitor.csrf("/masuk").await;
        let forwarded = format!("203.0.113.9, {client}");
        let mut statuses = Vec::new();
        for _ in 0..11 {
            let page = visitor
                .post_with(
                    "/masuk",
                    &[
                        ("csrf_token", &token),
                        ("email", "siapa@contoh.id"),
                        ("password", "salah-sekali"),
                    ],
                    &[("X-Forwarded-For", &forwarded)],
                )
                .await;
            statuses.push(page.status);
        }
        statuses
    }
    let proxied =
        TestApp::spawn_custom(Some(support::small_demo()), |s| s.trust_proxy = true).await;
    assert!(attempts(&proxied, "198.51.100.1").await.contains(&429));
    let other = attempts(&proxied, "198.51.100.2").await;
    assert!(
        !other[..10].contains(&429),
        "another client has its own limit: {other:?}"
    );
    // Without a trusted proxy the header is ignored: every request counts against the peer.
    let direct = TestApp::spawn().await;
    assert!(attempts(&direct, "198.51.100.1").await.contains(&429));
    assert_eq!(attempts(&direct, "198.51.100.2").await[0], 429);
}

#[actix_web::test]
async fn administrators_read_the_audit_log_of_staff_and_reviewer_actions() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let id = a_product_of(&app, unit_id, "published");
    let path = format!("/kelola/produk/{id}");
    let token = staff.csrf(&path).await;
    let archived = staff
        .post(&format!("{path}/arsipkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(archived.status, 303);
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@kemenimipas.go.id", PASSWORD).await;
    let log = admin.get("/kelola/audit").await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("product.archived"));
    assert!(
        log.body
            .contains("&quot;status&quot;:&quot;published&quot;"),
        "before"
    );
    assert!(
        log.body.contains("&quot;status&quot;:&quot;archived&quot;"),
        "after"
    );
    // Signing out ends the session, even for a copy of the cookie.
    let copied = admin.cookie_header().unwrap();
    let token = admin.csrf("/kelola").await;
    assert_eq!(
        admin
            .post("/keluar", &[("csrf_token", &token)])
            .await
            .status,
        303
    );
    assert_eq!(admin.get("/kelola/audit").await.status, 303);
    let replayed = app.get_with_cookie("/kelola/audit", Some(&copied)).await;
    assert_eq!(
        replayed.status, 303,
        "a copied cookie stops working at sign-out"
    );
}

#[actix_web::test]
async fn a_csv_import_reports_bad_rows_by_line_and_imports_only_after_confirmation() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let template = staff.get("/kelola/impor/templat.csv").await;
    assert_eq!(template.status, 200);
    assert!(template
        .header("content-type")
        .unwrap()
        .starts_with("text/csv"));
    assert!(template.body.starts_with("nama,kategori,deskripsi,harga"));

    let before = product_count(&app, unit_id);
    let token = staff.csrf("/kelola/impor").await;
    let csv = "nama;kategori;deskripsi;harga;stok;berat_gram\n\
               Kopi Bubuk Impor;Kuliner;Kopi robusta sangrai gelap dari unit.;55.000;10;250\n\
               X;tidak-ada;pendek;gratis;-1;0\n\
               Lukisan Impor Sawah;seni;Lukisan cat minyak di atas kanvas.;750000;1;2000\n";
    let report = staff
        .post_multipart(
            "/kelola/impor",
            &[("csrf_token", &token)],
            Some(("file", "produk.csv", csv.as_bytes())),
        )
        .await;
    assert_eq!(report.status, 422);
    assert!(report
        .body
        .contains("Belum ada yang diimpor: 1 baris bermasalah, 2 baris benar"));
    assert!(
        report.body.contains("<td>3</td>"),
        "the bad row is named by its line"
    );
    assert!(report.body.contains("Harga harus berupa angka rupiah"));
    assert_eq!(product_count(&app, unit_id), before, "nothing imported yet");

    for (bytes, message) in [
        (
            b"nama,harga\nKopi,1000\n".to_vec(),
            "Kolom wajib tidak ada: kategori",
        ),
        (
            b"nama,kategori\n\xff\xfe\x00 broken".to_vec(),
            "bukan teks UTF-8",
        ),
        (Vec::new(), "Berkas kosong"),
    ] {
        let page = staff
            .post_multipart(
                "/kelola/impor",
                &[("csrf_token", &token)],
                Some(("file", "produk.csv", &bytes)),
            )
            .await;
        assert_eq!(page.status, 422, "{message}");
        assert!(page.body.contains(message), "{message}");
    }
    assert_eq!(product_count(&app, unit_id), before);

    // The confirmation form carries its own key: sent twice, it imports once.
    let key_at = report.body.find("name=\"kunci\" value=\"").unwrap() + 20;
    let key: String = report.body[key_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    for _ in 0..2 {
        let confirmed = staff
            .post_multipart(
                "/kelola/impor",
                &[
                    ("csrf_token", &token),
                    ("confirm", "1"),
                    ("kunci", &key),
                    ("csv_text", csv),
                ],
                None,
            )
            .await;
        assert_eq!(confirmed.status, 303, "{}", confirmed.body);
    }
    assert_eq!(product_count(&app, unit_id), before + 2, "imported once");
    let imported: Vec<String> = products::table
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq("draft"))
        .select(products::name)
        .load(&mut *app.conn())
        .unwrap();
    assert!(imported.contains(&"Kopi Bubuk Impor".to_string()));
    assert!(imported.contains(&"Lukisan Impor Sawah".to_string()));
}

#[actix_web::test]
async fn a_csv_import_reads_the_english_description_from_the_deskripsi_en_column() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let template = staff.get("/kelola/impor/templat.csv").await;
    assert!(template
        .body
        .lines()
        .next()
        .unwrap()
        .ends_with(",deskripsi_en"));
    let token = staff.csrf("/kelola/impor").await;
    let csv = "nama;kategori;deskripsi;harga;stok;berat_gram;deskripsi_en\n\
               Kopi Bubuk Dua Bahasa;Kuliner;Kopi robusta sangrai gelap dari unit.;55.000;10;250;Dark roast robusta coffee from the unit.\n\
               Kopi Bubuk Satu Bahasa;Kuliner;Kopi robusta sangrai sedang dari unit.;50.000;10;250;\n";
    let imported = staff
        .post_multipart(
            "/kelola/impor",
            &[("csrf_token", &token)],
            Some(("file", "produk.csv", csv.as_bytes())),
        )
        .await;
    assert_eq!(imported.status, 303, "{}", imported.body);
    let english = |name: &str| -> String {
        products::table
            .filter(products::unit_id.eq(unit_id))
            .filter(products::name.eq(name))
            .select(products::description_en)
            .first(&mut *app.conn())
            .unwrap()
    };
    assert_eq!(
        english("Kopi Bubuk Dua Bahasa"),
        "Dark roast robusta coffee from the unit."
    );
    assert_eq!(english("Kopi Bubuk Satu Bahasa"), "");
}

#[actix_web::test]
async fn a_forgotten_password_is_reset_through_an_emailed_link_used_once() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let outbox = app.settings.data_dir.join("mail-outbox");
    let mut visitor = Browser::new(&app);
    let token = visitor.csrf("/masuk/lupa").await;
    let unknown = visitor
        .post(
            "/masuk/lupa",
            &[("csrf_token", &token), ("email", "siapa@contoh.id")],
        )
        .await;
    assert_eq!(unknown.status, 200);
    assert!(unknown.body.contains("Jika alamat itu terdaftar"));
    assert!(!outbox.exists() || std::fs::read_dir(&outbox).unwrap().count() == 0);
    let known = visitor
        .post(
            "/masuk/lupa",
            &[("csrf_token", &token), ("email", "STAF@lapas.go.id")],
        )
        .await;
    assert_eq!(known.body, unknown.body, "the same answer either way");
    // The mail goes through the mail outbox; the sender writes it within a second or two.
    let mails: Vec<String> = support::eventually(
        "the reset mail is sent",
        Duration::from_secs(10),
        async || {
            let found: Vec<String> = std::fs::read_dir(&outbox)
                .map(|d| {
                    d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                        .filter(|m| m.contains("token="))
                        .collect()
                })
                .unwrap_or_default();
            (!found.is_empty()).then_some(found)
        },
    )
    .await;
    assert_eq!(mails.len(), 1);
    let mail = mails[0].replace("=\r\n", "").replace("=3D", "=");
    assert!(mail.contains("staf@lapas.go.id"));
    let at = mail.find("token=").expect("a reset link") + "token=".len();
    let reset_token: String = mail[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(reset_token.len(), 64);

    let path = format!("/masuk/atur-ulang?token={reset_token}");
    let form_token = visitor.csrf(&path).await;
    for (a, b, message) in [
        ("kata-sandi-baru-1", "kata-sandi-beda-2", "tidak sama"),
        ("pendek", "pendek", "paling sedikit 10"),
    ] {
        let page = visitor
            .post(
                "/masuk/atur-ulang",
                &[
                    ("csrf_token", &form_token),
                    ("token", &reset_token),
                    ("password", a),
                    ("password_again", b),
                ],
            )
            .await;
        assert_eq!(page.status, 422);
        assert!(page.body.contains(message), "{message}");
    }
    let done = visitor
        .post(
            "/masuk/atur-ulang",
            &[
                ("csrf_token", &form_token),
                ("token", &reset_token),
                ("password", "kata-sandi-baru-sekali"),
                ("password_again", "kata-sandi-baru-sekali"),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    Browser::new(&app)
        .sign_in("staf@lapas.go.id", "kata-sandi-baru-sekali")
        .await;
    let reused = visitor
        .post(
            "/masuk/atur-ulang",
            &[
                ("csrf_token", &form_token),
                ("token", &reset_token),
                ("password", "kata-sandi-lain-lagi"),
                ("password_again", "kata-sandi-lain-lagi"),
            ],
        )
        .await;
    assert_eq!(reused.status, 422);
    assert!(reused.body.contains("tidak berlaku lagi"));
}

#[actix_web::test]
async fn an_edit_never_overwrites_stock_sold_meanwhile_and_reviewers_see_the_latest_version() {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "rev@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let id = a_product_of(&app, unit_id, "published");
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let path = format!("/kelola/produk/{id}");
    let form = staff.get(&path).await;
    let token = form.csrf_token().unwrap();
    let value = |name: &str| {
        let field = form.body.find(&format!("name=\"{name}\"")).unwrap();
        let at = field + form.body[field..].find("value=\"").unwrap() + 7;
        form.body[at..]
            .chars()
            .take_while(|c| *c != '"')
            .collect::<String>()
    };
    let (stock_was, name, price) = (value("stock_was"), value("name"), value("price"));
    let (description, description_en, category): (String, String, i32) = products::table
        .find(id)
        .select((
            products::description,
            products::description_en,
            products::category_id,
        ))
        .first(&mut *app.conn())
        .unwrap();
    // An order takes one while the form is open.
    diesel::update(products::table.find(id))
        .set(products::stock.eq(products::stock - 1))
        .execute(&mut *app.conn())
        .unwrap();
    let stock_now = |app: &TestApp| -> i32 {
        products::table
            .find(id)
            .select(products::stock)
            .first(&mut *app.conn())
            .unwrap()
    };
    let sold_meanwhile = stock_now(&app);
    let category = category.to_string();
    let more = (stock_was.parse::<i32>().unwrap() + 5).to_string();
    let fields = |name: &str, stock_was: &str, stock: &str| {
        vec![
            ("csrf_token", token.clone()),
            ("stock_was", stock_was.to_string()),
            ("name", name.to_string()),
            ("description", description.clone()),
            ("description_en", description_en.clone()),
            ("category_id", category.clone()),
            ("price", price.clone()),
            ("stock", stock.to_string()),
            ("weight_g", "300".to_string()),
        ]
    };
    let changed = fields(&name, &stock_was, &more);
    let refs: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = staff.post(&path, &refs).await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Stok berubah karena ada pesanan"));
    assert_eq!(stock_now(&app), sold_meanwhile, "nothing overwritten");
    // Saving with the stock untouched keeps the sold unit sold.
    let untouched = fields(&name, &stock_was, &stock_was);
    let refs: Vec<(&str, &str)> = untouched.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(staff.post(&path, &refs).await.status, 303);
    assert_eq!(stock_now(&app), sold_meanwhile);

    // A reviewer approves only the version they saw.
    diesel::update(products::table.find(id))
        .set(products::status.eq("submitted"))
        .execute(&mut *app.conn())
        .unwrap();
    let mut reviewer = Browser::new(&app);
    reviewer.sign_in("rev@kemenimipas.go.id", PASSWORD).await;
    let review_path = format!("/kelola/tinjau/produk/{id}");
    let review = reviewer.get(&review_path).await;
    let rtoken = review.csrf_token().unwrap();
    let at = review.body.find("name=\"version\" value=\"").unwrap() + 23;
    let version: String = review.body[at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let now = stock_now(&app).to_string();
    let renamed = fields("Nama Diganti Diam-diam", &now, &now);
    let refs: Vec<(&str, &str)> = renamed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(staff.post(&path, &refs).await.status, 303);
    let decision = reviewer
        .post(
            &review_path,
            &[
                ("csrf_token", &rtoken),
                ("version", &version),
                ("decision", "approve"),
                ("check_people", "1"),
                ("check_content", "1"),
                ("check_documents", "1"),
            ],
        )
        .await;
    assert_eq!(decision.status, 422);
    assert!(decision.body.contains("diubah unit saat Anda meninjaunya"));
    assert!(
        decision.body.contains("Nama Diganti Diam-diam"),
        "the latest version is shown"
    );
    let status: String = products::table
        .find(id)
        .select(products::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "submitted", "not published unseen");
}

/// The status of product `id`.
fn status_of(app: &TestApp, id: i32) -> String {
    products::table
        .find(id)
        .select(products::status)
        .first(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_product_form_offers_only_the_actions_of_the_products_status() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let offers = |body: &str, id: i32, action: &str| {
        body.contains(&format!("action=\"/kelola/produk/{id}/{action}\""))
    };
    let save = ">Simpan</button>";

    // Published: save and archive (apart, in red), never submit.
    let published = a_product_of(&app, unit_id, "published");
    let form = staff.get(&format!("/kelola/produk/{published}")).await;
    assert_eq!(form.status, 200);
    assert!(offers(&form.body, published, "arsipkan"));
    assert!(form.body.contains("class=\"danger-zone\""));
    assert!(!offers(&form.body, published, "ajukan"));
    assert!(!offers(&form.body, published, "pulihkan"));
    assert!(form.body.contains(save));

    // A new draft: save, submit (secondary) and archive.
    let token = form.csrf_token().unwrap();
    let created = staff
        .post(
            "/kelola/produk",
            &[
                ("csrf_token", &token),
                ("name", "Keset Sabut Kelapa"),
                ("description", "Keset dari sabut kelapa, dianyam rapat."),
                ("category_id", "1"),
                ("price", "45.000"),
                ("stock", "12"),
                ("weight_g", "900"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location();
    let draft: i32 = path.rsplit('/').next().unwrap().parse().unwrap();
    let form = staff.get(&path).await;
    assert!(offers(&form.body, draft, "ajukan"));
    assert!(form
        .body
        .contains("form=\"product-submit\" class=\"secondary\""));
    assert!(offers(&form.body, draft, "arsipkan"));
    assert!(!offers(&form.body, draft, "pulihkan"));
    assert!(form.body.contains(save));
    for section in [
        "1. Informasi",
        "2. Harga &amp; stok",
        "3. Foto",
        "4. Ukuran &amp; berat",
    ] {
        assert!(form.body.contains(section), "{section}");
    }
    assert!(form
        .body
        .contains(&format!("/kelola/dokumen?produk={draft}")));

    // Waiting for review: it may still be saved, but neither submitted again nor archived.
    let submitted = staff
        .post(&format!("{path}/ajukan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(submitted.status, 303);
    assert_eq!(status_of(&app, draft), "submitted");
    let form = staff.get(&path).await;
    assert!(!offers(&form.body, draft, "ajukan"));
    assert!(!offers(&form.body, draft, "arsipkan"));
    assert!(form.body.contains(save));

    // Archived: only restored, its fields shown but not editable.
    let archived = staff
        .post(
            &format!("/kelola/produk/{published}/arsipkan"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(archived.status, 303);
    let form = staff.get(&format!("/kelola/produk/{published}")).await;
    assert!(form.body.contains("Produk diarsipkan."));
    assert!(offers(&form.body, published, "pulihkan"));
    assert!(!offers(&form.body, published, "arsipkan"));
    assert!(!offers(&form.body, published, "ajukan"));
    assert!(!form.body.contains(save));
    assert!(form.body.contains("class=\"form-sections\" disabled"));
    let restored = staff
        .post(
            &format!("/kelola/produk/{published}/pulihkan"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(restored.status, 303);
    assert_eq!(status_of(&app, published), "draft");
    let form = staff.get(&format!("/kelola/produk/{published}")).await;
    assert!(form.body.contains("Produk dipulihkan sebagai draf."));
    assert!(offers(&form.body, published, "ajukan"));
}

#[actix_web::test]
async fn an_action_the_products_status_does_not_allow_is_refused_with_a_message_and_changes_nothing(
) {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let id = a_product_of(&app, unit_id, "published");
    let path = format!("/kelola/produk/{id}");
    let token = staff.csrf(&path).await;
    let not_allowed = "Perubahan status itu tidak bisa dilakukan sekarang.";
    for action in ["ajukan", "pulihkan"] {
        let page = staff
            .post(&format!("{path}/{action}"), &[("csrf_token", &token)])
            .await;
        assert_eq!(page.status, 303, "{action}: {}", page.body);
        assert_eq!(page.location(), path);
        assert_eq!(status_of(&app, id), "published", "{action}");
        let form = staff.get(&path).await;
        assert!(form.body.contains(not_allowed), "{action}");
    }

    // An archived product is neither saved nor are its photos changed.
    diesel::update(products::table.find(id))
        .set(products::status.eq("archived"))
        .execute(&mut *app.conn())
        .unwrap();
    let name_before: String = products::table
        .find(id)
        .select(products::name)
        .first(&mut *app.conn())
        .unwrap();
    let saved = staff
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("name", "Nama Baru Produk Arsip"),
                (
                    "description",
                    "Deskripsi baru untuk produk yang diarsipkan.",
                ),
                ("category_id", "1"),
                ("price", "10000"),
                ("stock", "1"),
                ("weight_g", "100"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let name_after: String = products::table
        .find(id)
        .select(products::name)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(name_after, name_before);
    let form = staff.get(&path).await;
    assert!(form
        .body
        .contains("Produk dengan status ini tidak dapat diubah."));
    let photo: Option<i32> = etalase::db::schema::product_photos::table
        .filter(etalase::db::schema::product_photos::product_id.eq(id))
        .select(etalase::db::schema::product_photos::id)
        .first(&mut *app.conn())
        .optional()
        .unwrap();
    if let Some(photo) = photo {
        let page = staff
            .post(
                &format!("{path}/foto/{photo}/hapus"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(page.status, 303);
        let still: i64 = etalase::db::schema::product_photos::table
            .filter(etalase::db::schema::product_photos::id.eq(photo))
            .count()
            .get_result(&mut *app.conn())
            .unwrap();
        assert_eq!(still, 1, "the photo of an archived product stays");
    }
    assert_eq!(status_of(&app, id), "archived");
}

// ---- The units registry ------------------------------------------------------------------

/// An administrator, signed in.
async fn signed_in_admin(app: &TestApp) -> Browser<'_> {
    signed_in_as(app, "admin@kemenimipas.go.id", "admin", None, None).await
}

fn unit_count(app: &TestApp) -> i64 {
    units::table.count().get_result(&mut *app.conn()).unwrap()
}

fn split_of(app: &TestApp, unit_id: i32) -> (i32, i32, i32) {
    units::table
        .find(unit_id)
        .select((
            units::split_wage_pct,
            units::split_pnbp_pct,
            units::split_capital_pct,
        ))
        .first(&mut *app.conn())
        .unwrap()
}

fn province_id(app: &TestApp, iso_code: &str) -> i32 {
    provinces::table
        .filter(provinces::iso_code.eq(iso_code))
        .select(provinces::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// Audit entries of `action` on units (on unit `unit_id` when given).
fn unit_audits(
    app: &TestApp,
    action: &str,
    unit_id: Option<i32>,
) -> Vec<(Option<String>, Option<String>)> {
    let mut query = audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::entity.eq("unit"))
        .order(audit_log::id.asc())
        .select((audit_log::before_json, audit_log::after_json))
        .into_boxed();
    if let Some(id) = unit_id {
        query = query.filter(audit_log::entity_id.eq(id));
    }
    query.load(&mut *app.conn()).unwrap()
}

#[actix_web::test]
async fn an_administrator_creates_a_unit_and_edits_its_split_and_a_split_not_adding_up_to_100_is_refused_keeping_what_was_typed(
) {
    let app = TestApp::spawn().await;
    let mut admin = signed_in_admin(&app).await;
    let dashboard = admin.get("/kelola").await;
    assert!(
        dashboard.body.contains("href=\"/kelola/daftar-unit\""),
        "the administrators' menu links the registry"
    );
    let list = admin.get("/kelola/daftar-unit").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("href=\"/kelola/daftar-unit/baru\""));
    assert!(list.body.contains("href=\"/kelola/daftar-unit/impor\""));

    let jb = province_id(&app, "ID-JB").to_string();
    let token = admin.csrf("/kelola/daftar-unit/baru").await;
    let created = admin
        .post(
            "/kelola/daftar-unit",
            &[
                ("csrf_token", &token),
                ("name", "Lapas Kelas IIB Registri"),
                ("kind", "lapas"),
                ("class", "Kelas IIB"),
                ("province_id", &jb),
                ("city", "Kota Registri"),
                ("address", "Jl. Pemasyarakatan No. 7, Kota Registri"),
                ("phone", "(0261) 555-0101"),
                ("wage_pct", "35"),
                ("pnbp_pct", "40"),
                ("capital_pct", "25"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let path = created.location();
    let id: i32 = path.rsplit('/').next().unwrap().parse().unwrap();
    let (name, class, phone, address, active): (String, String, String, String, i32) = units::table
        .find(id)
        .select((
            units::name,
            units::class,
            units::phone,
            units::pickup_address,
            units::active,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), class.as_str(), phone.as_str(), active),
        ("Lapas Kelas IIB Registri", "IIB", "0261 555-0101", 1)
    );
    assert_eq!(address, "Jl. Pemasyarakatan No. 7, Kota Registri");
    assert_eq!(split_of(&app, id), (35, 40, 25));
    assert_eq!(unit_audits(&app, "unit.create", Some(id)).len(), 1);

    // The list finds it by name or city, and its filters narrow it.
    let link = format!("href=\"{path}\"");
    assert!(admin
        .get("/kelola/daftar-unit?q=registri")
        .await
        .body
        .contains(&link));
    let narrowed = admin
        .get(&format!(
            "/kelola/daftar-unit?q=kota+registri&provinsi={jb}&jenis=lapas&status=aktif"
        ))
        .await;
    assert!(narrowed.body.contains(&link));
    for other in [
        "/kelola/daftar-unit?q=registri&status=nonaktif",
        "/kelola/daftar-unit?q=registri&jenis=rutan",
    ] {
        assert!(!admin.get(other).await.body.contains(&link), "{other}");
    }

    // A split that does not add up to 100 is refused, and everything typed comes back.
    let form = admin.get(&path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"Lapas Kelas IIB Registri\""));
    let token = form.csrf_token().unwrap();
    let edit = |wage: &str, pnbp: &str, capital: &str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf_token", token.clone()),
            ("name", "Lapas Kelas IIB Registri".into()),
            ("kind", "lapas".into()),
            ("class", "IIB".into()),
            ("province_id", jb.clone()),
            ("city", "Kota Registri Baru".into()),
            ("address", "Jl. Pemasyarakatan No. 7, Kota Registri".into()),
            ("phone", "0261 555-0101".into()),
            ("wage_pct", wage.into()),
            ("pnbp_pct", pnbp.into()),
            ("capital_pct", capital.into()),
        ]
    };
    let refused = edit("50", "30", "30");
    let refs: Vec<(&str, &str)> = refused.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = admin.post(&path, &refs).await;
    assert_eq!(page.status, 422);
    assert!(page
        .body
        .contains("Upah, PNBP, dan modal harus berjumlah tepat 100%."));
    for kept in [
        "name=\"wage_pct\" value=\"50\"",
        "name=\"pnbp_pct\" value=\"30\"",
        "name=\"capital_pct\" value=\"30\"",
        "value=\"Kota Registri Baru\"",
    ] {
        assert!(page.body.contains(kept), "{kept} is kept");
    }
    assert_eq!(split_of(&app, id), (35, 40, 25), "nothing saved");
    assert!(unit_audits(&app, "unit.edit", Some(id)).is_empty());

    let saved = edit("45", "35", "20");
    let refs: Vec<(&str, &str)> = saved.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = admin.post(&path, &refs).await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(split_of(&app, id), (45, 35, 20));
    let audits = unit_audits(&app, "unit.edit", Some(id));
    assert_eq!(audits.len(), 1);
    let (before, after) = &audits[0];
    assert!(before.as_deref().unwrap().contains("\"split_wage_pct\":35"));
    assert!(after.as_deref().unwrap().contains("\"split_wage_pct\":45"));
    assert!(after
        .as_deref()
        .unwrap()
        .contains("\"city\":\"Kota Registri Baru\""));
}

#[actix_web::test]
async fn an_administrator_imports_three_units_from_csv_after_a_dry_run_that_lists_them_and_a_file_with_one_bad_line_changes_nothing(
) {
    let app = TestApp::spawn().await;
    let mut admin = signed_in_admin(&app).await;
    let before = unit_count(&app);
    let token = admin.csrf("/kelola/daftar-unit/impor").await;
    let template = admin.get("/kelola/daftar-unit/impor/templat.csv").await;
    assert_eq!(template.status, 200);
    assert!(template
        .body
        .starts_with("nama,jenis,kelas,provinsi,kota,alamat,telepon\n"));

    let dry = admin
        .post_multipart(
            "/kelola/daftar-unit/impor",
            &[("csrf_token", &token)],
            Some(("file", "unit.csv", support::THREE_UNITS_CSV.as_bytes())),
        )
        .await;
    assert_eq!(dry.status, 200, "{}", dry.body);
    for name in [
        "Lapas Kelas IIB Uji Satu",
        "Rutan Kelas IIA Uji Dua",
        "Bapas Kelas I Uji Tiga",
    ] {
        assert!(dry.body.contains(name), "{name} is listed");
    }
    assert!(dry
        .body
        .contains("3 unit baru, 0 berubah, 0 tetap, 0 baris salah."));
    assert!(dry.body.contains("name=\"terapkan\""));
    assert!(dry.body.contains(">Terapkan</button>"));
    assert_eq!(unit_count(&app), before, "a dry run changes nothing");

    let applied = admin
        .post_multipart(
            "/kelola/daftar-unit/impor",
            &[
                ("csrf_token", &token),
                ("terapkan", "1"),
                ("csv_text", support::THREE_UNITS_CSV),
            ],
            None,
        )
        .await;
    assert_eq!(applied.status, 303, "{}", applied.body);
    assert_eq!(applied.location(), "/kelola/daftar-unit");
    assert_eq!(unit_count(&app), before + 3);
    let (kind, class, province, active): (String, String, String, i32) = units::table
        .inner_join(provinces::table)
        .filter(units::name.eq("Bapas Kelas I Uji Tiga"))
        .select((
            units::kind,
            units::class,
            provinces::iso_code,
            units::active,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (kind.as_str(), class.as_str(), province.as_str(), active),
        ("bapas", "I", "ID-BA", 1)
    );
    let rutan: i32 = units::table
        .filter(units::name.eq("Rutan Kelas IIA Uji Dua"))
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(split_of(&app, rutan), (35, 40, 25), "the default split");
    assert_eq!(unit_audits(&app, "unit.import.create", None).len(), 3);
    let list = admin.get("/kelola/daftar-unit?q=uji").await;
    assert!(list.body.contains("Rutan Kelas IIA Uji Dua"));

    // The same file again changes nothing, and offers nothing to apply.
    let again = admin
        .post_multipart(
            "/kelola/daftar-unit/impor",
            &[("csrf_token", &token)],
            Some(("file", "unit.csv", support::THREE_UNITS_CSV.as_bytes())),
        )
        .await;
    assert_eq!(again.status, 200);
    assert!(again
        .body
        .contains("0 unit baru, 0 berubah, 3 tetap, 0 baris salah."));
    assert!(!again.body.contains("name=\"terapkan\""));

    // One bad line: nothing of the file is applied, not even its right lines.
    let bad = "nama;jenis;kelas;provinsi;kota;alamat;telepon\n\
               Lapas Kelas IIB Uji Satu;Lapas;IIB;Jawa Barat;Kota Uji;Jl. Uji No. 1;0261 555 0199\n\
               Penjara Uji Empat;penjara;IIA;Atlantis;Kota Empat;Jl. Empat No. 4;\n\
               Lapas Kelas III Uji Lima;Lapas;III;ID-JB;Kota Lima;Jl. Lima No. 5;\n";
    let report = admin
        .post_multipart(
            "/kelola/daftar-unit/impor",
            &[("csrf_token", &token)],
            Some(("file", "unit.csv", bad.as_bytes())),
        )
        .await;
    assert_eq!(report.status, 422);
    assert!(
        report.body.contains("<td>3</td>"),
        "the bad line is named by its number"
    );
    assert!(report
        .body
        .contains("Pilih jenis unit: Lapas, Rutan, LPKA, atau Bapas."));
    assert!(report.body.contains("Pilih provinsi (Kanwil) yang ada"));
    assert!(report
        .body
        .contains("1 unit baru, 1 berubah, 0 tetap, 1 baris salah."));
    assert!(!report.body.contains("name=\"terapkan\""));
    let forced = admin
        .post_multipart(
            "/kelola/daftar-unit/impor",
            &[("csrf_token", &token), ("terapkan", "1"), ("csv_text", bad)],
            None,
        )
        .await;
    assert_eq!(forced.status, 422, "applying is checked again");
    assert_eq!(unit_count(&app), before + 3, "no unit added");
    let phone: String = units::table
        .filter(units::name.eq("Lapas Kelas IIB Uji Satu"))
        .select(units::phone)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(phone, "0261 555 0101", "no unit changed");
    assert!(unit_audits(&app, "unit.import.edit", None).is_empty());
}

/// Where a unit and one of its products show to the public: the unit page's and the product
/// page's status, the product in its category listing, the unit on its province page, the unit
/// and the product in the sitemap.
async fn shown_publicly(
    app: &TestApp,
    unit_slug: &str,
    product_slug: &str,
    category_slug: &str,
    province_slug: &str,
) -> (u16, u16, bool, bool, bool, bool) {
    let unit = format!("/unit/{unit_slug}");
    let product = format!("/produk/{product_slug}");
    let listing = app.get(&format!("/kategori/{category_slug}")).await;
    let province = app.get(&format!("/provinsi/{province_slug}")).await;
    let pages = app.get("/sitemap/halaman.xml").await.body;
    let products_map = app.get("/sitemap/produk-1.xml").await.body;
    (
        app.get(&unit).await.status,
        app.get(&product).await.status,
        listing.links_under("/produk/").contains(&product),
        province.links_under("/unit/").contains(&unit),
        pages.contains(&format!("{unit}</loc>")),
        products_map.contains(&format!("{product}</loc>")),
    )
}

/// Whether searching for `words` finds the page `link` (on its first page of results).
async fn search_finds(app: &TestApp, words: &str, link: &str) -> bool {
    let query: String = url::form_urlencoded::byte_serialize(words.as_bytes()).collect();
    app.get(&format!("/cari?q={query}"))
        .await
        .links_under("/produk/")
        .iter()
        .any(|l| l == link)
}

#[actix_web::test]
async fn switching_a_unit_off_takes_its_shop_and_products_off_the_public_pages_and_refuses_its_staff_and_switching_it_on_restores_both(
) {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let product_id = a_product_of(&app, unit_id, "published");
    // A name only this product has, and the first place in its category.
    support::shop::rename_product(&app, product_id, "Vas Tanah Liat Kenari Registri");
    diesel::update(products::table.find(product_id))
        .set(products::popularity.eq(1_000_000))
        .execute(&mut *app.conn())
        .unwrap();
    let (unit_slug, product_slug, category_slug, province_slug): (String, String, String, String) =
        products::table
            .inner_join(units::table.inner_join(provinces::table))
            .inner_join(categories::table)
            .filter(products::id.eq(product_id))
            .select((
                units::slug,
                products::slug,
                categories::slug,
                provinces::slug,
            ))
            .first(&mut *app.conn())
            .unwrap();
    let slugs = (
        unit_slug.as_str(),
        product_slug.as_str(),
        category_slug.as_str(),
        province_slug.as_str(),
    );
    let product = format!("/produk/{product_slug}");
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let mut admin = signed_in_admin(&app).await;

    assert_eq!(
        shown_publicly(&app, slugs.0, slugs.1, slugs.2, slugs.3).await,
        (200, 200, true, true, true, true)
    );
    support::eventually(
        "the product is searchable",
        Duration::from_secs(10),
        async || search_finds(&app, "kenari registri", &product).await,
    )
    .await;

    let edit = format!("/kelola/daftar-unit/{unit_id}");
    let token = admin.csrf(&edit).await;
    let off = admin
        .post(&format!("{edit}/nonaktifkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(off.location(), edit);
    assert_eq!(
        shown_publicly(&app, slugs.0, slugs.1, slugs.2, slugs.3).await,
        (404, 404, false, false, false, false)
    );
    support::eventually(
        "search no longer finds the product",
        Duration::from_secs(10),
        async || !search_finds(&app, "kenari registri", &product).await,
    )
    .await;
    let page = admin.get(&edit).await;
    assert!(page.body.contains(&format!("action=\"{edit}/aktifkan\"")));
    assert!(admin
        .get("/kelola/daftar-unit?status=nonaktif")
        .await
        .body
        .contains(&format!("href=\"{edit}\"")));

    // Its staff are signed out and cannot sign in again, and are told why.
    assert_eq!(staff.get("/kelola").await.status, 303);
    let mut again = Browser::new(&app);
    let login = again.csrf("/masuk").await;
    let refused = again
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "staf@lapas.go.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("Unit Anda sedang dinonaktifkan"));
    assert_eq!(again.get("/kelola").await.status, 303, "not signed in");
    let wrong = again
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "staf@lapas.go.id"),
                ("password", "bukan-kata-sandinya"),
            ],
        )
        .await;
    assert!(
        wrong.body.contains("Email atau kata sandi salah."),
        "without the password nothing is said about the unit"
    );

    let token = admin.csrf(&edit).await;
    let on = admin
        .post(&format!("{edit}/aktifkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(on.status, 303);
    assert_eq!(
        shown_publicly(&app, slugs.0, slugs.1, slugs.2, slugs.3).await,
        (200, 200, true, true, true, true)
    );
    support::eventually(
        "the product is searchable again",
        Duration::from_secs(10),
        async || search_finds(&app, "kenari registri", &product).await,
    )
    .await;
    Browser::new(&app)
        .sign_in("staf@lapas.go.id", PASSWORD)
        .await;
    assert_eq!(unit_audits(&app, "unit.deactivate", Some(unit_id)).len(), 1);
    assert_eq!(unit_audits(&app, "unit.reactivate", Some(unit_id)).len(), 1);
}

#[actix_web::test]
async fn every_units_registry_route_answers_403_to_unit_staff_reviewers_and_organizers_and_sends_a_signed_out_visitor_to_sign_in(
) {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    create_account(&app, "nasional@kemenimipas.go.id", "reviewer", None, None);
    create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let unit = format!("/kelola/daftar-unit/{unit_id}");
    let pages = [
        "/kelola/daftar-unit".to_string(),
        "/kelola/daftar-unit?q=lapas&status=nonaktif".to_string(),
        "/kelola/daftar-unit/baru".to_string(),
        unit.clone(),
        "/kelola/daftar-unit/impor".to_string(),
        "/kelola/daftar-unit/impor/templat.csv".to_string(),
    ];
    let forms = [
        "/kelola/daftar-unit".to_string(),
        unit.clone(),
        format!("{unit}/nonaktifkan"),
        format!("{unit}/aktifkan"),
        "/kelola/daftar-unit/impor".to_string(),
    ];
    let mut wrong = Vec::new();
    for email in [
        "staf@lapas.go.id",
        "peninjau@kemenimipas.go.id",
        "nasional@kemenimipas.go.id",
        "panitia@kemenimipas.go.id",
    ] {
        let mut who = Browser::new(&app);
        who.sign_in(email, PASSWORD).await;
        let token = who.csrf("/kelola").await;
        for path in &pages {
            let status = who.get(path).await.status;
            if status != 403 {
                wrong.push(format!("{email} GET {path}: {status}"));
            }
        }
        for path in &forms {
            let status = who
                .post(
                    path,
                    &[
                        ("csrf_token", &token),
                        ("name", "Dibajak"),
                        ("terapkan", "1"),
                    ],
                )
                .await
                .status;
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
    for path in &forms {
        let page = visitor.post(path, &[("name", "Dibajak")]).await;
        if page.status != 303 || !page.location().starts_with("/masuk?next=") {
            wrong.push(format!(
                "visitor POST {path}: {} {}",
                page.status,
                page.location()
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(
        app.get("/kelola/daftar-unit").await.location(),
        "/masuk?next=%2Fkelola%2Fdaftar-unit"
    );
    let name: String = units::table
        .find(unit_id)
        .select(units::name)
        .first(&mut *app.conn())
        .unwrap();
    assert_ne!(name, "Dibajak", "nothing changed");
    let mut admin = signed_in_admin(&app).await;
    for path in &pages {
        assert_eq!(
            admin.get(path).await.status,
            200,
            "an administrator opens {path}"
        );
    }
}

#[actix_web::test]
async fn every_units_registry_form_refuses_a_post_without_the_csrf_token_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    let mut admin = signed_in_admin(&app).await;
    // The session has a token of its own; the posts below do not carry it.
    admin.csrf("/kelola/daftar-unit").await;
    let before = unit_count(&app);
    let province = province_id.to_string();
    let unit = format!("/kelola/daftar-unit/{unit_id}");
    for token in ["", "0000", "forged-token-from-another-site"] {
        let form = [
            ("csrf_token", token),
            ("name", "Lapas Kelas I Palsu"),
            ("kind", "lapas"),
            ("class", "I"),
            ("province_id", province.as_str()),
            ("city", "Kota Palsu"),
            ("address", "Jl. Palsu No. 1"),
            ("phone", ""),
            ("wage_pct", "35"),
            ("pnbp_pct", "40"),
            ("capital_pct", "25"),
        ];
        for path in [
            "/kelola/daftar-unit".to_string(),
            unit.clone(),
            format!("{unit}/nonaktifkan"),
            format!("{unit}/aktifkan"),
        ] {
            let with_field = admin.post(&path, &form).await.status;
            let without_field = admin.post(&path, &form[1..]).await.status;
            assert_eq!(
                (with_field, without_field),
                (403, 403),
                "POST {path} with {token:?}"
            );
        }
        for fields in [
            vec![
                ("csrf_token", token),
                ("terapkan", "1"),
                ("csv_text", support::THREE_UNITS_CSV),
            ],
            vec![("terapkan", "1"), ("csv_text", support::THREE_UNITS_CSV)],
        ] {
            let page = admin
                .post_multipart("/kelola/daftar-unit/impor", &fields, None)
                .await;
            assert_eq!(page.status, 403, "import with {fields:?}");
        }
    }
    assert_eq!(unit_count(&app), before);
    let (name, active): (String, i32) = units::table
        .find(unit_id)
        .select((units::name, units::active))
        .first(&mut *app.conn())
        .unwrap();
    assert_ne!(name, "Lapas Kelas I Palsu");
    assert_eq!(active, 1);
}

// ---- Accounts ----------------------------------------------------------------------------

use etalase::db::schema::{invitations, users};

/// Id, `active`, `invited` and last sign-in of the account of `email`.
fn account_of(app: &TestApp, email: &str) -> (i32, i32, i32, Option<i64>) {
    users::table
        .filter(users::email.eq(email))
        .select((
            users::id,
            users::active,
            users::invited,
            users::last_sign_in_at,
        ))
        .first(&mut *app.conn())
        .unwrap_or_else(|_| panic!("an account for {email}"))
}

/// How many audit entries of `action` there are on account `user_id`.
fn account_audits(app: &TestApp, action: &str, user_id: i32) -> usize {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::entity.eq("user"))
        .filter(audit_log::entity_id.eq(user_id))
        .count()
        .get_result::<i64>(&mut *app.conn())
        .unwrap() as usize
}

/// The invitation tokens mailed to `email` (the files the mail sender wrote), once there are
/// at least `at_least` of them.
async fn mailed_invitations(app: &TestApp, email: &str, at_least: usize) -> Vec<String> {
    let outbox = app.settings.data_dir.join("mail-outbox");
    support::eventually(
        "the invitation mail is sent",
        Duration::from_secs(10),
        async || {
            let mails: Vec<String> = std::fs::read_dir(&outbox)
                .map(|d| {
                    d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                        .collect()
                })
                .unwrap_or_default();
            let mut tokens: Vec<String> = Vec::new();
            for mail in mails {
                let mail = mail.replace("=\r\n", "").replace("=3D", "=");
                if !mail.contains(email) {
                    continue;
                }
                for (at, found) in mail.match_indices("/undangan/") {
                    let token: String = mail[at + found.len()..]
                        .chars()
                        .take_while(char::is_ascii_hexdigit)
                        .collect();
                    if token.len() == 64 && !tokens.contains(&token) {
                        tokens.push(token);
                    }
                }
            }
            (tokens.len() >= at_least).then_some(tokens)
        },
    )
    .await
}

/// Sends the invitation form as `admin`.
async fn send_invitation(admin: &mut Browser<'_>, fields: &[(&str, &str)]) -> support::Page {
    let token = admin.csrf("/kelola/akun/undang").await;
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    admin.post("/kelola/akun/undang", &form).await
}

/// Chooses `password` (twice) through invitation `token`.
async fn accept_invitation(
    visitor: &mut Browser<'_>,
    token: &str,
    password: &str,
) -> support::Page {
    let path = format!("/undangan/{token}");
    let form_token = visitor.csrf("/masuk").await;
    visitor
        .post(
            &path,
            &[
                ("csrf_token", &form_token),
                ("password", password),
                ("password_again", password),
            ],
        )
        .await
}

#[actix_web::test]
async fn an_administrator_invites_a_staff_member_whose_mailed_link_sets_a_password_and_signs_them_in_and_works_only_once(
) {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let unit = unit_id.to_string();
    let mut admin = signed_in_admin(&app).await;
    assert!(admin
        .get("/kelola")
        .await
        .body
        .contains("href=\"/kelola/akun\""));
    let form = admin.get("/kelola/akun/undang").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("<option value=\"{unit}\"")));

    // Unit staff need their unit: the form comes back with what was typed.
    let refused = send_invitation(
        &mut admin,
        &[
            ("email", "siti.baru@lapas.go.id"),
            ("name", "Siti Rahma Baru"),
            ("role", "staff"),
            ("unit_id", ""),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body
        .contains("Staf unit perlu satu unit yang terdaftar."));
    assert!(refused.body.contains("value=\"Siti Rahma Baru\""));
    assert!(refused.body.contains("value=\"siti.baru@lapas.go.id\""));

    let invited = send_invitation(
        &mut admin,
        &[
            ("email", "Siti.Baru@lapas.go.id"),
            ("name", "Siti Rahma Baru"),
            ("role", "staff"),
            ("unit_id", &unit),
        ],
    )
    .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let (id, active, waiting, last) = account_of(&app, "siti.baru@lapas.go.id");
    assert_eq!(invited.location(), format!("/kelola/akun/{id}"));
    assert_eq!((active, waiting, last), (1, 1, None));
    let page = admin.get(&invited.location()).await;
    assert!(page.body.contains("Undangan dikirim."), "the flash");
    assert!(page
        .body
        .contains(&format!("action=\"/kelola/akun/{id}/kirim-ulang\"")));
    let listed = admin.get("/kelola/akun?status=diundang").await;
    assert!(listed.body.contains("siti.baru@lapas.go.id"));
    assert!(listed.body.contains("Belum pernah"));
    assert!(!admin
        .get("/kelola/akun?status=aktif")
        .await
        .body
        .contains("siti.baru@lapas.go.id"));
    let again = send_invitation(
        &mut admin,
        &[
            ("email", "siti.baru@lapas.go.id"),
            ("name", "Siti Lagi"),
            ("role", "staff"),
            ("unit_id", &unit),
        ],
    )
    .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("Alamat email ini sudah punya akun."));

    // Until the invitee chose a password, none opens the account.
    let mut invitee = Browser::new(&app);
    let login = invitee.csrf("/masuk").await;
    let locked = invitee
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "siti.baru@lapas.go.id"),
                ("password", ""),
            ],
        )
        .await;
    assert!(locked.body.contains("Email atau kata sandi salah."));

    let tokens = mailed_invitations(&app, "siti.baru@lapas.go.id", 1).await;
    assert_eq!(tokens.len(), 1);
    let link = format!("/undangan/{}", tokens[0]);
    let open = invitee.get(&link).await;
    assert_eq!(open.status, 200);
    assert!(open.body.contains("siti.baru@lapas.go.id"));
    let form_token = open.csrf_token().unwrap();
    let mismatch = invitee
        .post(
            &link,
            &[
                ("csrf_token", &form_token),
                ("password", "kata-sandi-baru-1"),
                ("password_again", "kata-sandi-beda-2"),
            ],
        )
        .await;
    assert_eq!(mismatch.status, 422);
    assert!(mismatch.body.contains("tidak sama"));
    let done = invitee
        .post(
            &link,
            &[
                ("csrf_token", &form_token),
                ("password", "kata-sandi-pertama"),
                ("password_again", "kata-sandi-pertama"),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/kelola");
    let dashboard = invitee.get("/kelola").await;
    assert_eq!(dashboard.status, 200, "signed in");
    assert!(dashboard.body.contains("Selamat datang!"));
    let (_, active, waiting, last) = account_of(&app, "siti.baru@lapas.go.id");
    assert_eq!((active, waiting), (1, 0));
    assert!(last.is_some(), "the sign-in is noted");
    Browser::new(&app)
        .sign_in("siti.baru@lapas.go.id", "kata-sandi-pertama")
        .await;

    // The link works once.
    let mut stranger = Browser::new(&app);
    let used = stranger.get(&link).await;
    assert_eq!(used.status, 410);
    assert!(used.body.contains("sudah dipakai"));
    let reused = accept_invitation(&mut stranger, &tokens[0], "kata-sandi-pembajak").await;
    assert_eq!(reused.status, 410);
    assert_eq!(stranger.get("/kelola").await.status, 303, "not signed in");
    Browser::new(&app)
        .sign_in("siti.baru@lapas.go.id", "kata-sandi-pertama")
        .await;
    assert!(admin
        .get("/kelola/akun?status=aktif&peran=staff")
        .await
        .body
        .contains("siti.baru@lapas.go.id"));
    assert_eq!(account_audits(&app, "account.invite", id), 1);
    assert_eq!(account_audits(&app, "account.invitation.accept", id), 1);
}

#[actix_web::test]
async fn an_expired_invitation_is_refused_with_a_message_and_one_sent_again_replaces_it() {
    let app = TestApp::spawn().await;
    let ((_, province_id), _) = two_units(&app);
    let province = province_id.to_string();
    let mut admin = signed_in_admin(&app).await;
    let email = "peninjau.baru@kemenimipas.go.id";
    let invited = send_invitation(
        &mut admin,
        &[
            ("email", email),
            ("name", "Budi Peninjau"),
            ("role", "reviewer"),
            ("province_id", &province),
        ],
    )
    .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    let (id, _, _, _) = account_of(&app, email);
    let first = mailed_invitations(&app, email, 1).await.remove(0);
    diesel::update(invitations::table.filter(invitations::user_id.eq(id)))
        .set(invitations::expires_at.eq(0i64))
        .execute(&mut *app.conn())
        .unwrap();

    let mut invitee = Browser::new(&app);
    let expired = invitee.get(&format!("/undangan/{first}")).await;
    assert_eq!(expired.status, 410);
    assert!(
        expired.body.contains("sudah kedaluwarsa"),
        "{}",
        expired.body
    );
    assert!(!expired.body.contains("name=\"password\""), "no form");
    let english = app.get(&format!("/undangan/{first}?lang=en")).await;
    assert_eq!(english.status, 410);
    assert!(english.body.contains("has expired"));
    let refused = accept_invitation(&mut invitee, &first, "kata-sandi-terlambat").await;
    assert_eq!(refused.status, 410);
    assert!(refused.body.contains("sudah kedaluwarsa"));
    assert_eq!(account_of(&app, email).2, 1, "still invited");
    for unknown in ["0".repeat(64), "bukan-token".to_string()] {
        let page = invitee.get(&format!("/undangan/{unknown}")).await;
        assert_eq!(page.status, 404, "{unknown}");
        assert!(page.body.contains("tidak dikenal"));
    }

    // Sent again: a new link, and the old one is used up.
    let account = format!("/kelola/akun/{id}");
    let token = admin.csrf(&account).await;
    let resent = admin
        .post(&format!("{account}/kirim-ulang"), &[("csrf_token", &token)])
        .await;
    assert_eq!(resent.status, 303);
    assert_eq!(resent.location(), account);
    assert!(admin
        .get(&account)
        .await
        .body
        .contains("Undangan baru dikirim"));
    let tokens = mailed_invitations(&app, email, 2).await;
    let second = tokens.iter().find(|t| **t != first).unwrap().clone();
    let old = invitee.get(&format!("/undangan/{first}")).await;
    assert_eq!(old.status, 410);
    assert!(old.body.contains("sudah dipakai atau sudah diganti"));
    let done = accept_invitation(&mut invitee, &second, "kata-sandi-kedua").await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        invitee.get("/kelola/tinjau").await.status,
        200,
        "a reviewer"
    );
    assert_eq!(account_of(&app, email).2, 0);
    assert_eq!(account_audits(&app, "account.invite.resend", id), 1);
    // An account that accepted has nothing to resend.
    let token = admin.csrf(&account).await;
    admin
        .post(&format!("{account}/kirim-ulang"), &[("csrf_token", &token)])
        .await;
    assert!(admin
        .get(&account)
        .await
        .body
        .contains("tidak sedang menunggu undangan"));
    assert_eq!(account_audits(&app, "account.invite.resend", id), 1);
}

#[actix_web::test]
async fn a_deactivated_account_cannot_sign_in_and_its_open_session_ends() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let staff_id = create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    assert_eq!(staff.get("/kelola").await.status, 200);
    assert!(
        account_of(&app, "staf@lapas.go.id").3.is_some(),
        "last sign-in"
    );
    let mut admin = signed_in_admin(&app).await;
    let (admin_id, _, _, _) = account_of(&app, "admin@kemenimipas.go.id");

    let list = admin.get("/kelola/akun?peran=staff&q=lapas.go").await;
    assert!(list.body.contains("staf@lapas.go.id"));
    assert!(list
        .body
        .contains(&format!("href=\"/kelola/akun/{staff_id}\"")));
    assert!(!list.body.contains("admin@kemenimipas.go.id"));

    // An administrator can neither deactivate nor demote themselves.
    let own = format!("/kelola/akun/{admin_id}");
    let own_page = admin.get(&own).await;
    assert!(!own_page
        .body
        .contains(&format!("action=\"{own}/nonaktifkan\"")));
    let token = own_page.csrf_token().unwrap();
    let refused = admin
        .post(&format!("{own}/nonaktifkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(refused.status, 303);
    assert!(admin
        .get(&own)
        .await
        .body
        .contains("tidak dapat menonaktifkan akun Anda sendiri"));
    let token = admin.csrf(&own).await;
    let demoted = admin
        .post(
            &own,
            &[
                ("csrf_token", &token),
                ("name", "Akun Uji"),
                ("role", "reviewer"),
            ],
        )
        .await;
    assert_eq!(demoted.status, 422);
    assert!(demoted
        .body
        .contains("tidak dapat mengubah peran akun Anda sendiri"));
    assert_eq!(account_of(&app, "admin@kemenimipas.go.id").1, 1);
    assert_eq!(
        admin.get("/kelola/akun").await.status,
        200,
        "still an administrator"
    );

    let page = format!("/kelola/akun/{staff_id}");
    let token = admin.csrf(&page).await;
    let off = admin
        .post(&format!("{page}/nonaktifkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(off.status, 303);
    assert_eq!(off.location(), page);
    assert_eq!(account_of(&app, "staf@lapas.go.id").1, 0);
    // The open session ends at once.
    let ended = staff.get("/kelola").await;
    assert_eq!(ended.status, 303);
    assert!(ended.location().starts_with("/masuk?next="));
    // The right password is told why; a wrong one is told nothing more.
    let mut again = Browser::new(&app);
    let login = again.csrf("/masuk").await;
    let refused = again
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "staf@lapas.go.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status, 200);
    assert!(refused.body.contains("sudah dinonaktifkan"));
    assert_eq!(again.get("/kelola").await.status, 303, "not signed in");
    let wrong = again
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "staf@lapas.go.id"),
                ("password", "bukan-kata-sandinya"),
            ],
        )
        .await;
    assert!(wrong.body.contains("Email atau kata sandi salah."));
    assert!(admin
        .get("/kelola/akun?status=nonaktif")
        .await
        .body
        .contains("staf@lapas.go.id"));
    assert!(!admin
        .get("/kelola/akun?status=aktif")
        .await
        .body
        .contains("staf@lapas.go.id"));

    let token = admin.csrf(&page).await;
    let on = admin
        .post(&format!("{page}/aktifkan"), &[("csrf_token", &token)])
        .await;
    assert_eq!(on.status, 303);
    Browser::new(&app)
        .sign_in("staf@lapas.go.id", PASSWORD)
        .await;
    assert_eq!(account_audits(&app, "account.deactivate", staff_id), 1);
    assert_eq!(account_audits(&app, "account.reactivate", staff_id), 1);
    assert_eq!(account_audits(&app, "account.deactivate", admin_id), 0);
}

#[actix_web::test]
async fn an_account_changes_its_own_password_only_with_the_current_one() {
    let app = TestApp::spawn().await;
    let ((_, province_id), _) = two_units(&app);
    let id = create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut here = Browser::new(&app);
    here.sign_in("peninjau@kemenimipas.go.id", PASSWORD).await;
    let mut elsewhere = Browser::new(&app);
    elsewhere
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let form = here.get("/kelola/kata-sandi").await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("href=\"/kelola/kata-sandi\""),
        "in the menu"
    );
    let token = form.csrf_token().unwrap();
    for (current, new, again, message) in [
        (
            "bukan-kata-sandinya",
            "kata-sandi-baru-sekali",
            "kata-sandi-baru-sekali",
            "Kata sandi sekarang salah.",
        ),
        (
            PASSWORD,
            "kata-sandi-baru-sekali",
            "kata-sandi-beda-sekali",
            "tidak sama",
        ),
        (PASSWORD, "pendek", "pendek", "paling sedikit 10"),
    ] {
        let page = here
            .post(
                "/kelola/kata-sandi",
                &[
                    ("csrf_token", &token),
                    ("current_password", current),
                    ("password", new),
                    ("password_again", again),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{message}");
        assert!(page.body.contains(message), "{message}");
    }
    assert_eq!(
        elsewhere.get("/kelola").await.status,
        200,
        "nothing changed"
    );
    let changed = here
        .post(
            "/kelola/kata-sandi",
            &[
                ("csrf_token", &token),
                ("current_password", PASSWORD),
                ("password", "kata-sandi-baru-sekali"),
                ("password_again", "kata-sandi-baru-sekali"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    assert_eq!(changed.location(), "/kelola/kata-sandi");
    let after = here.get("/kelola/kata-sandi").await;
    assert_eq!(after.status, 200, "this session goes on");
    assert!(after.body.contains("Kata sandi diganti."));
    assert_eq!(
        elsewhere.get("/kelola").await.status,
        303,
        "the other one ended"
    );
    let mut old = Browser::new(&app);
    let login = old.csrf("/masuk").await;
    let refused = old
        .post(
            "/masuk",
            &[
                ("csrf_token", &login),
                ("email", "peninjau@kemenimipas.go.id"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert!(refused.body.contains("Email atau kata sandi salah."));
    Browser::new(&app)
        .sign_in("peninjau@kemenimipas.go.id", "kata-sandi-baru-sekali")
        .await;
    assert_eq!(account_audits(&app, "account.password.change", id), 1);
    let logged: Vec<(Option<String>, Option<String>)> = audit_log::table
        .filter(audit_log::action.eq("account.password.change"))
        .select((audit_log::before_json, audit_log::after_json))
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(logged, vec![(None, None)], "no hash in the audit log");
}

#[actix_web::test]
async fn every_accounts_route_answers_403_to_non_administrators_and_sends_a_signed_out_visitor_to_sign_in(
) {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), _) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    create_account(&app, "nasional@kemenimipas.go.id", "reviewer", None, None);
    let target = create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let account = format!("/kelola/akun/{target}");
    let pages = [
        "/kelola/akun".to_string(),
        "/kelola/akun?q=lapas&peran=staff&status=nonaktif".to_string(),
        "/kelola/akun/undang".to_string(),
        account.clone(),
    ];
    let forms = [
        "/kelola/akun/undang".to_string(),
        account.clone(),
        format!("{account}/kirim-ulang"),
        format!("{account}/nonaktifkan"),
        format!("{account}/aktifkan"),
    ];
    let mut wrong = Vec::new();
    for email in [
        "staf@lapas.go.id",
        "peninjau@kemenimipas.go.id",
        "nasional@kemenimipas.go.id",
        "panitia@kemenimipas.go.id",
    ] {
        let mut who = Browser::new(&app);
        who.sign_in(email, PASSWORD).await;
        let token = who.csrf("/kelola").await;
        for path in &pages {
            let status = who.get(path).await.status;
            if status != 403 {
                wrong.push(format!("{email} GET {path}: {status}"));
            }
        }
        for path in &forms {
            let status = who
                .post(
                    path,
                    &[
                        ("csrf_token", &token),
                        ("email", "dibajak@contoh.id"),
                        ("name", "Dibajak"),
                        ("role", "admin"),
                    ],
                )
                .await
                .status;
            if status != 403 {
                wrong.push(format!("{email} POST {path}: {status}"));
            }
        }
        // Their own password is theirs to change.
        let status = who.get("/kelola/kata-sandi").await.status;
        if status != 200 {
            wrong.push(format!("{email} GET /kelola/kata-sandi: {status}"));
        }
    }
    let mut visitor = Browser::new(&app);
    for path in pages
        .iter()
        .chain(["/kelola/kata-sandi".to_string()].iter())
    {
        let page = visitor.get(path).await;
        if page.status != 303 || !page.location().starts_with("/masuk?next=") {
            wrong.push(format!(
                "visitor GET {path}: {} {}",
                page.status,
                page.location()
            ));
        }
    }
    for path in forms
        .iter()
        .chain(["/kelola/kata-sandi".to_string()].iter())
    {
        let page = visitor.post(path, &[("name", "Dibajak")]).await;
        if page.status != 303 || !page.location().starts_with("/masuk?next=") {
            wrong.push(format!(
                "visitor POST {path}: {} {}",
                page.status,
                page.location()
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(
        app.get("/kelola/akun").await.location(),
        "/masuk?next=%2Fkelola%2Fakun"
    );
    let (name, role, active): (String, String, i32) = users::table
        .find(target)
        .select((users::name, users::role, users::active))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), role.as_str(), active),
        ("Akun Uji", "organizer", 1)
    );
    let accounts: i64 = users::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(accounts, 4, "nobody was invited");
    let mut admin = signed_in_admin(&app).await;
    for path in &pages {
        assert_eq!(
            admin.get(path).await.status,
            200,
            "an administrator opens {path}"
        );
    }
}

#[actix_web::test]
async fn every_accounts_form_refuses_a_post_without_the_csrf_token_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let ((unit_id, _), _) = two_units(&app);
    let target = create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let unit = unit_id.to_string();
    let mut admin = signed_in_admin(&app).await;
    let invited = send_invitation(
        &mut admin,
        &[
            ("email", "diundang@lapas.go.id"),
            ("name", "Diundang"),
            ("role", "staff"),
            ("unit_id", &unit),
        ],
    )
    .await;
    assert_eq!(invited.status, 303);
    let (invited_id, _, _, _) = account_of(&app, "diundang@lapas.go.id");
    let invitation = mailed_invitations(&app, "diundang@lapas.go.id", 1)
        .await
        .remove(0);
    let link = format!("/undangan/{invitation}");
    // The sessions have tokens of their own; the posts below do not carry them.
    admin.csrf("/kelola/akun").await;
    let mut invitee = Browser::new(&app);
    assert_eq!(invitee.get(&link).await.status, 200);
    let account = format!("/kelola/akun/{target}");
    let resend = format!("/kelola/akun/{invited_id}/kirim-ulang");
    let before: i64 = users::table.count().get_result(&mut *app.conn()).unwrap();
    for token in ["", "0000", "forged-token-from-another-site"] {
        let form = [
            ("csrf_token", token),
            ("email", "palsu@contoh.id"),
            ("name", "Dibajak"),
            ("role", "admin"),
            ("unit_id", ""),
            ("current_password", PASSWORD),
            ("password", "kata-sandi-palsu-1"),
            ("password_again", "kata-sandi-palsu-1"),
        ];
        for path in [
            "/kelola/akun/undang".to_string(),
            account.clone(),
            resend.clone(),
            format!("{account}/nonaktifkan"),
            format!("{account}/aktifkan"),
            "/kelola/kata-sandi".to_string(),
        ] {
            let with_field = admin.post(&path, &form).await.status;
            let without_field = admin.post(&path, &form[1..]).await.status;
            assert_eq!(
                (with_field, without_field),
                (403, 403),
                "POST {path} with {token:?}"
            );
        }
        let with_field = invitee.post(&link, &form).await.status;
        let without_field = invitee.post(&link, &form[1..]).await.status;
        assert_eq!((with_field, without_field), (403, 403), "POST {link}");
    }
    let after: i64 = users::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(after, before, "nobody was invited");
    let (name, role, active): (String, String, i32) = users::table
        .find(target)
        .select((users::name, users::role, users::active))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        (name.as_str(), role.as_str(), active),
        ("Akun Uji", "staff", 1)
    );
    assert_eq!(
        account_of(&app, "diundang@lapas.go.id").2,
        1,
        "still invited"
    );
    assert_eq!(invitee.get(&link).await.status, 200, "the link still works");
    assert_eq!(account_audits(&app, "account.invite.resend", invited_id), 0);
    Browser::new(&app)
        .sign_in("admin@kemenimipas.go.id", PASSWORD)
        .await;
}

// ---- Unit profile review -----------------------------------------------------------------

/// The value of the form field `name` on a page.
fn field_value(page: &support::Page, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = page
        .body
        .find(&needle)
        .unwrap_or_else(|| panic!("a {name} field on the page"));
    let rest = &page.body[at + needle.len()..];
    rest[..rest.find('"').expect("the end of the value")].to_string()
}

/// The reviewer approves what unit `unit_id` proposes of its profile, ticking that no
/// resident shows.
async fn approve_profile(reviewer: &mut Browser<'_>, unit_id: i32) {
    let path = format!("/kelola/tinjau/unit/{unit_id}");
    let page = reviewer.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let (token, version) = (page.csrf_token().unwrap(), field_value(&page, "version"));
    let approved = reviewer
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("decision", "approve"),
                ("check_people", "1"),
            ],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
}

/// (public logo, proposed logo) of unit `unit_id`: files under the media folder, or where the
/// proposed one will be once approved.
fn logos_of(app: &TestApp, unit_id: i32) -> (Option<String>, Option<String>) {
    units::table
        .find(unit_id)
        .select((units::logo_path, units::pending_logo))
        .first(&mut *app.conn())
        .unwrap()
}

/// The unit's staff save the profile form with `brand` and `story` (the rest as saved).
async fn save_profile(staff: &mut Browser<'_>, brand: &str, story: &str) -> support::Page {
    let form = staff.get("/kelola/unit").await;
    let token = form.csrf_token().unwrap();
    staff
        .post(
            "/kelola/unit",
            &[
                ("csrf_token", &token),
                ("brand_name", brand),
                ("story", story),
                ("pickup_address", "Jl. Pemasyarakatan No. 1, Kota Contoh"),
                ("phone", "+62 21 555-0101"),
                ("email", "bengkel@lapas.go.id"),
            ],
        )
        .await
}

#[actix_web::test]
async fn a_changed_logo_stays_private_until_a_reviewer_approves_it_and_then_the_old_one_is_gone() {
    let app = TestApp::spawn().await;
    let ((unit_id, province_id), (other_unit, _)) = two_units(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(&app, "lain@lapas.go.id", "staff", Some(other_unit), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let unit_slug: String = units::table
        .find(unit_id)
        .select(units::slug)
        .first(&mut *app.conn())
        .unwrap();
    let unit_page = format!("/unit/{unit_slug}");

    // A first logo, approved, is the public one.
    support::propose_logo(&mut staff, 300).await;
    approve_profile(&mut reviewer, unit_id).await;
    let (old, none) = logos_of(&app, unit_id);
    assert_eq!(none, None, "nothing waits after the approval");
    let old_url = format!("/media/{}", old.expect("an approved logo"));
    assert!(app.get(&unit_page).await.body.contains(&old_url));
    assert_eq!(app.get(&old_url).await.status, 200);

    // A second logo waits for review, kept privately: the public page keeps the old one.
    support::propose_logo(&mut staff, 400).await;
    let (public, proposed) = logos_of(&app, unit_id);
    assert_eq!(public.map(|p| format!("/media/{p}")), Some(old_url.clone()));
    let new_url = format!("/media/{}", proposed.expect("a proposed logo"));
    let shop = app.get(&unit_page).await;
    assert!(
        shop.body.contains(&old_url),
        "the public page keeps the approved logo"
    );
    assert!(!shop.body.contains(&new_url));
    assert_eq!(
        app.get(&new_url).await.status,
        404,
        "the proposed logo is not in public media"
    );
    assert!(staff
        .get("/kelola/unit")
        .await
        .body
        .contains("Menunggu tinjauan"));

    // Its preview is for the unit's staff and the reviewers in scope only.
    let preview = format!("/kelola/unit/{unit_id}/usulan/logo");
    let seen = reviewer.get(&preview).await;
    assert_eq!(seen.status, 200);
    assert_eq!(seen.header("content-type").as_deref(), Some("image/jpeg"));
    assert!(!seen.body.is_empty());
    assert!(seen
        .header("cache-control")
        .unwrap_or_default()
        .contains("no-store"));
    assert_eq!(
        staff.get(&preview).await.status,
        200,
        "the unit's own staff"
    );
    let mut stranger = Browser::new(&app);
    stranger.sign_in("lain@lapas.go.id", PASSWORD).await;
    assert_eq!(
        stranger.get(&preview).await.status,
        403,
        "the staff of another unit"
    );
    assert_eq!(
        app.get(&preview).await.status,
        303,
        "a visitor is sent to sign in"
    );
    let desk = reviewer.get("/kelola/tinjau").await;
    assert!(desk
        .body
        .contains(&format!("/kelola/tinjau/unit/{unit_id}")));
    let side_by_side = reviewer
        .get(&format!("/kelola/tinjau/unit/{unit_id}"))
        .await;
    assert!(side_by_side.body.contains(&old_url) && side_by_side.body.contains(&preview));

    // Approved: the new logo is public and the old one is gone.
    approve_profile(&mut reviewer, unit_id).await;
    let shop = app.get(&unit_page).await;
    assert!(shop.body.contains(&new_url), "the approved logo shows");
    assert!(!shop.body.contains(&old_url));
    assert_eq!(app.get(&new_url).await.status, 200);
    assert_eq!(
        app.get(&old_url).await.status,
        404,
        "the replaced logo is deleted"
    );
    assert_eq!(
        reviewer.get(&preview).await.status,
        404,
        "nothing is proposed any more"
    );
    assert!(!staff
        .get("/kelola/unit")
        .await
        .body
        .contains("Menunggu tinjauan"));
    assert_eq!(
        unit_audits(&app, "unit.profile.approve", Some(unit_id)).len(),
        2
    );
    assert_eq!(
        unit_audits(&app, "unit.logo.propose", Some(unit_id)).len(),
        2
    );
}

#[actix_web::test]
async fn a_story_sent_back_never_reaches_the_public_page_and_its_reason_shows_on_the_staff_form_and_a_new_brand_waits_for_approval(
) {
    let app = TestApp::spawn().await;
    // A unit with a published product, so the product page shows its brand too.
    let (product_slug, unit_id): (String, i32) = products::table
        .filter(products::status.eq("published"))
        .order(products::id.asc())
        .select((products::slug, products::unit_id))
        .first(&mut *app.conn())
        .unwrap();
    let (unit_slug, province_id, old_story): (String, i32, String) = units::table
        .find(unit_id)
        .select((units::slug, units::province_id, units::story))
        .first(&mut *app.conn())
        .unwrap();
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let unit_page = format!("/unit/{unit_slug}");
    let product_page = format!("/produk/{product_slug}");
    let brand_now: String = units::table
        .find(unit_id)
        .select(units::brand_name)
        .first(&mut *app.conn())
        .unwrap();

    // A new story waits for review; the form shows it, the public page does not.
    let story = "Cerita baru bengkel kerja yang menyebut nama lengkap seorang peserta.";
    let saved = save_profile(&mut staff, &brand_now, story).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(!app.get(&unit_page).await.body.contains(story));
    let form = staff.get("/kelola/unit").await;
    assert!(form.body.contains("Menunggu tinjauan"));
    assert!(
        form.body.contains(story),
        "the form keeps what was proposed"
    );

    // Sending it back needs the session's token and a reason.
    let path = format!("/kelola/tinjau/unit/{unit_id}");
    let page = reviewer.get(&path).await;
    assert!(page.body.contains(story), "the reviewer reads the proposal");
    let (token, version) = (page.csrf_token().unwrap(), field_value(&page, "version"));
    let reason = "Cerita menyebut nama peserta, hapus namanya lalu kirim lagi.";
    let forged = reviewer
        .post(
            &path,
            &[
                ("csrf_token", "forged-token"),
                ("version", &version),
                ("decision", "return"),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    let without_reason = reviewer
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("decision", "return"),
            ],
        )
        .await;
    assert_eq!(without_reason.status, 422);
    assert!(without_reason.body.contains("Tulis alasan"));
    let unchecked = reviewer
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("decision", "approve"),
            ],
        )
        .await;
    assert_eq!(
        unchecked.status, 422,
        "approving needs the no-resident check"
    );
    let returned = reviewer
        .post(
            &path,
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("decision", "return"),
                ("reason", reason),
            ],
        )
        .await;
    assert_eq!(returned.status, 303, "{}", returned.body);

    assert!(
        !app.get(&unit_page).await.body.contains(story),
        "never public"
    );
    let (story_now, waiting): (String, Option<String>) = units::table
        .find(unit_id)
        .select((units::story, units::pending_story))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((story_now, waiting), (old_story.clone(), None));
    let form = staff.get("/kelola/unit").await;
    assert!(form.body.contains(reason), "the staff read why");
    assert!(!form.body.contains("Menunggu tinjauan"));
    let audits = unit_audits(&app, "unit.profile.return", Some(unit_id));
    assert_eq!(audits.len(), 1);
    assert!(audits[0]
        .1
        .as_deref()
        .unwrap_or_default()
        .contains("hapus namanya"));

    // A new brand waits too, on the unit's page and its products' pages, until approved.
    let brand = "Karya Mandiri Baru";
    let saved = save_profile(&mut staff, brand, &old_story).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    for page in [&unit_page, &product_page] {
        let shown = app.get(page).await;
        assert_eq!(shown.status, 200);
        assert!(
            !shown.body.contains(brand),
            "{page} keeps the approved brand"
        );
    }
    assert!(
        !staff.get("/kelola/unit").await.body.contains(reason),
        "a new proposal replaces the reason"
    );
    let desk = reviewer.get("/kelola/tinjau").await;
    assert!(desk.body.contains(&path), "the review desk lists the unit");
    approve_profile(&mut reviewer, unit_id).await;
    for page in [&unit_page, &product_page] {
        assert!(
            app.get(page).await.body.contains(brand),
            "{page} shows the approved brand"
        );
    }
    let stored: (String, String, Option<i64>) = units::table
        .find(unit_id)
        .select((units::brand_name, units::story, units::pending_changed_at))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(stored, (brand.to_string(), old_story, None));
}

// ---- Dashboards per role --------------------------------------------------------------------

use etalase::db::schema::{
    booth_sales, booths, certifications, events, fair_applications, mail_outbox, orders, payments,
};
use etalase::models::certification::{insert_certifications, NewCertification};
use support::shop::{confirm_transfer, order_behind, place_order, two_products_of_two_units};

/// A number on the dashboard as the page shows it.
#[derive(Debug)]
struct DashboardCard {
    number: String,
    href: Option<String>,
    todo: bool,
}

/// The card of the dashboard `page` that counts `label` (its message key, in `data-stat`).
fn dashboard_card(page: &support::Page, label: &str) -> DashboardCard {
    let body = &page.body;
    let at = body
        .find(&format!("data-stat=\"{label}\""))
        .unwrap_or_else(|| panic!("no card {label} on the dashboard: {body}"));
    let tag = &body[body[..at].rfind('<').unwrap()..at];
    let number = body[at..]
        .split("class=\"stat-number\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the card {label} has no number"))
        .trim()
        .to_string();
    DashboardCard {
        number,
        href: tag
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(|href| href.replace("&amp;", "&")),
        todo: tag.contains("stat-card--todo"),
    }
}

/// Checks the number and the link of each card `(label, number, link)` of `page`.
fn assert_cards(page: &support::Page, cards: &[(&str, &str, Option<&str>)]) {
    for (label, number, href) in cards {
        let card = dashboard_card(page, label);
        assert_eq!(card.number, *number, "{label}");
        assert_eq!(card.href.as_deref(), *href, "{label}");
    }
}

/// (unit id, province id) of the unit with the most products.
fn busiest_unit(app: &TestApp) -> (i32, i32) {
    let counts: Vec<(i32, i64)> = products::table
        .group_by(products::unit_id)
        .select((products::unit_id, diesel::dsl::count_star()))
        .load(&mut *app.conn())
        .unwrap();
    let (unit_id, _) = counts.into_iter().max_by_key(|(id, n)| (*n, -*id)).unwrap();
    let province_id: i32 = units::table
        .find(unit_id)
        .select(units::province_id)
        .first(&mut *app.conn())
        .unwrap();
    (unit_id, province_id)
}

/// The ids of a unit's products, in order.
fn products_of(app: &TestApp, unit_id: i32) -> Vec<i32> {
    let ids: Vec<i32> = products::table
        .filter(products::unit_id.eq(unit_id))
        .order(products::id.asc())
        .select(products::id)
        .load(&mut *app.conn())
        .unwrap();
    assert!(ids.len() >= 4, "unit {unit_id} has four products at least");
    ids
}

/// A fair in state `status`; gives its id.
fn insert_event(app: &TestApp, slug: &str, status: &str) -> i32 {
    diesel::insert_into(events::table)
        .values((
            events::slug.eq(slug),
            events::name.eq(format!("Pameran {slug}")),
            events::venue.eq("Lapangan Banteng"),
            events::city.eq("Jakarta"),
            events::starts_on.eq("2030-04-21"),
            events::ends_on.eq("2030-04-24"),
            events::applications_open_on.eq("2030-03-01"),
            events::applications_close_on.eq("2030-04-01"),
            events::description.eq("Pameran produk pemasyarakatan."),
            events::status.eq(status),
            events::created_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    events::table
        .filter(events::slug.eq(slug))
        .select(events::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// A booth application of `unit_id` to `event_id`, in state `status`, without a booth.
fn apply_for_booth(app: &TestApp, event_id: i32, unit_id: i32, status: &str) {
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
            fair_applications::status.eq(status),
            fair_applications::created_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();
}

/// A legal document of `unit_id` in state `status`, expiring on `expires_on`.
fn unit_document(
    unit_id: i32,
    number: &str,
    status: &'static str,
    expires_on: String,
) -> NewCertification {
    NewCertification {
        unit_id,
        product_id: None,
        kind: "HKI".into(),
        number: number.into(),
        issuer: "DJKI".into(),
        issued_on: "2024-01-02".into(),
        expires_on: Some(expires_on),
        document_path: None,
        status,
        reject_reason: None,
        verified_at: (status == "verified").then_some(0),
        created_at: 0,
    }
}

/// The day `days` from today in WIB, as ISO text.
fn wib_day(days: i64) -> String {
    let today = etalase::domain::fair::fair_day(chrono::Utc::now());
    (today + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[actix_web::test]
async fn unit_staff_see_what_waits_for_their_unit_as_numbers_that_open_the_lists_behind_them() {
    let app = TestApp::spawn().await;
    let (unit_id, _) = busiest_unit(&app);
    let (brand, name): (String, String) = units::table
        .find(unit_id)
        .select((units::brand_name, units::name))
        .first(&mut *app.conn())
        .unwrap();
    // Another unit, by another name (the demo's units may share one).
    let other_unit: i32 = units::table
        .filter(units::id.ne(unit_id))
        .filter(units::name.ne(&name))
        .order(units::id.asc())
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    // The unit's products: one sold, two running low (2 and 3 left), one sent back by review,
    // the rest drafts.
    let ids = products_of(&app, unit_id);
    let (sold, low, returned, lowest) = (ids[0], ids[1], ids[2], ids[3]);
    let set = |id: i32, status: &str, stock: i32, reason: Option<&str>| {
        diesel::update(products::table.find(id))
            .set((
                products::status.eq(status),
                products::stock.eq(stock),
                products::return_reason.eq(reason),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    };
    for id in &ids[4..] {
        set(*id, "draft", 20, None);
    }
    set(sold, "published", 50, None);
    set(low, "published", 2, None);
    set(returned, "returned", 1, Some("Foto kurang jelas"));
    set(lowest, "published", 3, None);
    // Its documents: one expiring in 10 days; one in 100 days, one waiting for review and one
    // expired already do not count.
    diesel::delete(certifications::table.filter(certifications::unit_id.eq(unit_id)))
        .execute(&mut *app.conn())
        .unwrap();
    // Without its documents the product sold could wait for them (`tests/documents.rs`):
    // the legal rules are not what this dashboard counts.
    diesel::delete(etalase::db::schema::legal_rules::table)
        .execute(&mut *app.conn())
        .unwrap();
    insert_certifications(
        &mut app.conn(),
        &[
            unit_document(unit_id, "DOK-10", "verified", wib_day(10)),
            unit_document(unit_id, "DOK-100", "verified", wib_day(100)),
            unit_document(unit_id, "DOK-30", "submitted", wib_day(30)),
            unit_document(unit_id, "DOK-LEWAT", "verified", wib_day(-3)),
        ],
    )
    .unwrap();
    create_account(&app, "staf-a@lapas.go.id", "staff", Some(unit_id), None);
    create_account(&app, "staf-b@lapas.go.id", "staff", Some(other_unit), None);

    // Three orders: two paid (one of them packed since), one not paid yet.
    let mut parcels = Vec::new();
    for n in 0..3 {
        let mut buyer = Browser::new(&app);
        let placed = place_order(&mut buyer, &[(sold, 1)]).await;
        assert_eq!(placed.status, 303, "{}", placed.body);
        let (order_id, total, shipments) = order_behind(&app, &placed.location());
        if n < 2 {
            confirm_transfer(&app, order_id, total).await;
        }
        parcels.push(shipments[0]);
    }
    let mut staff = Browser::new(&app);
    staff.sign_in("staf-a@lapas.go.id", PASSWORD).await;
    let token = staff.csrf("/kelola/pesanan").await;
    let ready = staff
        .post(
            &format!("/kelola/kiriman/{}/siap", parcels[1]),
            &[("csrf_token", &token), ("tab", "perlu-dikemas")],
        )
        .await;
    assert_eq!(ready.status, 303);
    // Fairs: accepted at a live one, waiting at an open one; a finished fair does not count.
    let (_, fair_unit) = support::fair::live_fair_with_booth(&app, sold);
    assert_eq!(fair_unit, unit_id);
    let open = insert_event(&app, "pameran-buka", "open");
    apply_for_booth(&app, open, unit_id, "submitted");
    let finished = insert_event(&app, "pameran-selesai", "finished");
    apply_for_booth(&app, finished, unit_id, "submitted");

    let dashboard = staff.get("/kelola").await;
    assert_eq!(dashboard.status, 200);
    assert_cards(
        &dashboard,
        &[
            (
                "dashboard-to-pack",
                "1",
                Some("/kelola/pesanan?status=perlu-dikemas"),
            ),
            (
                "dashboard-to-ship",
                "1",
                Some("/kelola/pesanan?status=siap-dikirim"),
            ),
            ("dashboard-low-stock", "2", Some("/kelola?stok=rendah")),
            ("dashboard-expiring", "1", Some("/kelola/dokumen")),
            ("dashboard-returned", "1", Some("/kelola?status=returned")),
            ("dashboard-fair-pending", "1", Some("/kelola/pameran-saya")),
            ("dashboard-fair-accepted", "1", Some("/kelola/pameran-saya")),
        ],
    );
    assert!(dashboard_card(&dashboard, "dashboard-to-pack").todo);
    assert!(
        !dashboard_card(&dashboard, "dashboard-fair-accepted").todo,
        "nothing for the unit to do"
    );
    assert!(dashboard.body.contains(&format!("{brand} · {name}</h2>")));
    for other_part in ["dashboard-queue-under-a-day", "dashboard-transfers"] {
        assert!(!dashboard.body.contains(other_part), "{other_part}");
    }
    // The unit's products stay below the cards; each number opens its list.
    let listed = |page: &support::Page| -> Vec<i32> {
        ids.iter()
            .copied()
            .filter(|id| page.body.contains(&format!("/kelola/produk/{id}\"")))
            .collect()
    };
    assert_eq!(listed(&dashboard), ids);
    let (cards_at, table_at) = (
        dashboard.body.find("stat-grid").unwrap(),
        dashboard.body.find("staff-table").unwrap(),
    );
    assert!(cards_at < table_at, "the products below the cards");
    assert_eq!(
        listed(&staff.get("/kelola?stok=rendah").await),
        [low, lowest]
    );
    let sent_back = staff.get("/kelola?status=returned").await;
    assert_eq!(listed(&sent_back), [returned]);
    assert!(sent_back.body.contains("Foto kurang jelas"));
    let parcel = |id: i32| format!("id=\"kiriman-{id}\"");
    let to_pack = staff.get("/kelola/pesanan?status=perlu-dikemas").await;
    assert!(to_pack.body.contains(&parcel(parcels[0])));
    assert!(!to_pack.body.contains(&parcel(parcels[1])));
    let to_ship = staff.get("/kelola/pesanan?status=siap-dikirim").await;
    assert!(to_ship.body.contains(&parcel(parcels[1])));
    assert!(staff.get("/kelola/dokumen").await.body.contains("DOK-10"));

    // The staff of another unit see their own numbers, calmly at zero, never this unit's.
    let mut other = Browser::new(&app);
    other.sign_in("staf-b@lapas.go.id", PASSWORD).await;
    let theirs = other.get("/kelola").await;
    assert_eq!(theirs.status, 200);
    for label in [
        "dashboard-to-pack",
        "dashboard-to-ship",
        "dashboard-fair-pending",
        "dashboard-fair-accepted",
    ] {
        let card = dashboard_card(&theirs, label);
        assert_eq!(card.number, "0", "{label}");
        assert!(!card.todo, "{label}: a zero stands out not");
    }
    assert!(listed(&theirs).is_empty());
    assert!(!theirs.body.contains(&format!("{brand} · {name}</h2>")));
    assert!(listed(&other.get("/kelola?stok=rendah").await).is_empty());
}

#[actix_web::test]
async fn a_reviewer_sees_the_queue_of_their_province_by_age_and_the_listing_waiting_longest() {
    let app = TestApp::spawn().await;
    let (unit_id, province_id) = busiest_unit(&app);
    let unit_name: String = units::table
        .find(unit_id)
        .select(units::name)
        .first(&mut *app.conn())
        .unwrap();
    let (far_product, far_unit): (i32, i32) = products::table
        .inner_join(units::table)
        .filter(units::province_id.ne(province_id))
        .order(products::id.asc())
        .select((products::id, products::unit_id))
        .first(&mut *app.conn())
        .unwrap();
    // Nothing waits at the desk but what this test puts there.
    diesel::update(products::table.filter(products::status.eq("submitted")))
        .set(products::status.eq("draft"))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(certifications::table.filter(certifications::status.eq("submitted")))
        .set(certifications::status.eq("rejected"))
        .execute(&mut *app.conn())
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    let submit = |id: i32, name: &str, hours_ago: i64| {
        diesel::update(products::table.find(id))
            .set((
                products::status.eq("submitted"),
                products::name.eq(name),
                products::updated_at.eq(now - hours_ago * 3600),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    };
    let ids = products_of(&app, unit_id);
    submit(ids[0], "Tas Anyaman Baru", 2);
    submit(ids[1], "Tas Anyaman Kemarin", 48);
    submit(ids[2], "Tas Anyaman Lama", 5 * 24);
    submit(ids[3], "Tas Anyaman Tertua", 10 * 24);
    submit(far_product, "Kursi Rotan Terlama", 20 * 24);
    insert_certifications(
        &mut app.conn(),
        &[
            unit_document(unit_id, "DOK-DEKAT", "submitted", wib_day(400)),
            unit_document(far_unit, "DOK-JAUH", "submitted", wib_day(400)),
        ],
    )
    .unwrap();
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);

    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let desk = reviewer.get("/kelola").await;
    assert_eq!(desk.status, 200);
    assert_cards(
        &desk,
        &[
            ("dashboard-queue-under-a-day", "1", Some("/kelola/tinjau")),
            (
                "dashboard-queue-one-to-three-days",
                "1",
                Some("/kelola/tinjau"),
            ),
            (
                "dashboard-queue-over-three-days",
                "2",
                Some("/kelola/tinjau"),
            ),
            (
                "dashboard-documents-waiting",
                "1",
                Some("/kelola/tinjau#dokumen"),
            ),
        ],
    );
    assert!(dashboard_card(&desk, "dashboard-queue-over-three-days").todo);
    let oldest = format!(
        "<a href=\"/kelola/tinjau/produk/{}\">Tas Anyaman Tertua</a> · {unit_name} · \
         sudah menunggu 10 hari",
        ids[3]
    );
    assert!(desk.body.contains(&oldest), "{}", desk.body);
    assert!(
        !desk.body.contains("Kursi Rotan Terlama"),
        "another province"
    );
    for other_part in [
        "dashboard-to-pack",
        "dashboard-transfers",
        "dashboard-till-today",
    ] {
        assert!(!desk.body.contains(other_part), "{other_part}");
    }
    // The desk the cards open lists the same listings and documents.
    let queue = reviewer.get("/kelola/tinjau").await;
    for name in [
        "Tas Anyaman Baru",
        "Tas Anyaman Kemarin",
        "Tas Anyaman Lama",
        "Tas Anyaman Tertua",
        "DOK-DEKAT",
    ] {
        assert!(queue.body.contains(name), "{name}");
    }
    assert!(!queue.body.contains("Kursi Rotan Terlama") && !queue.body.contains("DOK-JAUH"));
    assert!(queue.body.contains("id=\"dokumen\""));

    // An administrator reviews for every province.
    let mut admin = Browser::new(&app);
    admin.sign_in("admin@kemenimipas.go.id", PASSWORD).await;
    let national = admin.get("/kelola").await;
    assert_cards(
        &national,
        &[
            ("dashboard-queue-under-a-day", "1", Some("/kelola/tinjau")),
            (
                "dashboard-queue-over-three-days",
                "3",
                Some("/kelola/tinjau"),
            ),
            (
                "dashboard-documents-waiting",
                "2",
                Some("/kelola/tinjau#dokumen"),
            ),
        ],
    );
    assert!(national.body.contains("Kursi Rotan Terlama</a>"));
    assert!(national.body.contains("sudah menunggu 20 hari"));
}

#[actix_web::test]
async fn administrators_see_payments_mail_search_and_unstaffed_units_to_look_after_with_a_link_to_each_list(
) {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    // Two orders by bank transfer, one confirmed, whose card payment also came late and must
    // go back.
    let mut placed_orders = Vec::new();
    for _ in 0..2 {
        let mut buyer = Browser::new(&app);
        let placed = place_order(&mut buyer, &[(a, 1)]).await;
        assert_eq!(placed.status, 303, "{}", placed.body);
        let (order_id, total, _) = order_behind(&app, &placed.location());
        placed_orders.push((order_id, total));
    }
    let (paid, paid_total) = placed_orders[0];
    confirm_transfer(&app, paid, paid_total).await;
    let waiting_code: String = orders::table
        .find(placed_orders[1].0)
        .select(orders::code)
        .first(&mut *app.conn())
        .unwrap();
    diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(paid),
            payments::provider.eq("stripe"),
            payments::reference.eq("pi_datang_terlambat"),
            payments::amount.eq(paid_total),
            payments::status.eq("needs_refund"),
            payments::created_at.eq(0i64),
            payments::updated_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    // A mail given up on.
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::to_addr.eq("bukan alamat"),
            mail_outbox::subject_id.eq("Surat uji yang gagal"),
            mail_outbox::subject_en.eq("A test mail that failed"),
            mail_outbox::body_id.eq("Isi"),
            mail_outbox::body_en.eq("Body"),
            mail_outbox::attempts.eq(12),
            mail_outbox::next_attempt_at.eq(0i64),
            mail_outbox::last_error.eq(Some("alamat tidak sah")),
            mail_outbox::created_at.eq(0i64),
            mail_outbox::failed_at.eq(Some(1i64)),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    // Units: one staffed; one whose staff were only invited and one whose staff were
    // deactivated count as unstaffed; one switched off does not count.
    let all_units: Vec<(i32, i32)> = units::table
        .order(units::id.asc())
        .select((units::id, units::province_id))
        .load(&mut *app.conn())
        .unwrap();
    let [staffed, invited, deactivated, off] =
        [all_units[0], all_units[1], all_units[2], all_units[3]];
    create_account(&app, "staf@lapas.go.id", "staff", Some(staffed.0), None);
    let invitee = create_account(&app, "diundang@lapas.go.id", "staff", Some(invited.0), None);
    diesel::update(users::table.find(invitee))
        .set(users::invited.eq(1))
        .execute(&mut *app.conn())
        .unwrap();
    let gone = create_account(
        &app,
        "pergi@lapas.go.id",
        "staff",
        Some(deactivated.0),
        None,
    );
    diesel::update(users::table.find(gone))
        .set(users::active.eq(0))
        .execute(&mut *app.conn())
        .unwrap();
    diesel::update(units::table.find(off.0))
        .set(units::active.eq(0))
        .execute(&mut *app.conn())
        .unwrap();
    let active_units: i64 = units::table
        .filter(units::active.eq(1))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    let unstaffed = (active_units - 1).to_string();
    // A live fair with booth A-01 given and B-02 free; two till sales today, one yesterday.
    let (event_id, fair_unit) = support::fair::live_fair_with_booth(&app, a);
    diesel::insert_into(booths::table)
        .values((
            booths::event_id.eq(event_id),
            booths::code.eq("B-02"),
            booths::hall.eq("Hall B"),
            booths::kind.eq("standard"),
            booths::width_m.eq(3),
            booths::depth_m.eq(3),
            booths::fee.eq(1_500_000i64),
            booths::x.eq(4),
            booths::y.eq(0),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let booth_a01: i32 = booths::table
        .filter(booths::event_id.eq(event_id))
        .filter(booths::code.eq("A-01"))
        .select(booths::id)
        .first(&mut *app.conn())
        .unwrap();
    let admin_id = create_account(&app, "admin@kemenimipas.go.id", "admin", None, None);
    for (key, total, day) in [
        ("penjualan-uji-satu-0001", 15_000i64, wib_day(0)),
        ("penjualan-uji-dua-00002", 30_000, wib_day(0)),
        ("penjualan-uji-kemarin-3", 99_000, wib_day(-1)),
    ] {
        diesel::insert_into(booth_sales::table)
            .values((
                booth_sales::event_id.eq(event_id),
                booth_sales::unit_id.eq(fair_unit),
                booth_sales::booth_id.eq(booth_a01),
                booth_sales::product_id.eq(a),
                booth_sales::quantity.eq(1),
                booth_sales::unit_price.eq(total),
                booth_sales::total.eq(total),
                booth_sales::method.eq("cash"),
                booth_sales::idempotency_key.eq(key),
                booth_sales::recorded_by.eq(admin_id),
                booth_sales::sold_on.eq(day),
                booth_sales::created_at.eq(0i64),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }

    let mut admin = Browser::new(&app);
    admin.sign_in("admin@kemenimipas.go.id", PASSWORD).await;
    let board = admin.get("/kelola").await;
    assert_eq!(board.status, 200);
    let registry = "/kelola/daftar-unit?status=aktif&staf=tanpa";
    assert_cards(
        &board,
        &[
            ("dashboard-transfers", "1", Some("/kelola/pembayaran")),
            ("dashboard-refunds", "1", Some("/kelola/pembayaran")),
            ("dashboard-failed-mail", "1", Some("/kelola/surat")),
            (
                "dashboard-units-without-staff",
                unstaffed.as_str(),
                Some(registry),
            ),
            ("dashboard-events-draft", "0", Some("/kelola/pameran")),
            ("dashboard-events-live", "1", Some("/kelola/pameran")),
            ("dashboard-free-booths", "1", Some("/kelola/pameran")),
            ("dashboard-till-today", "2", Some("/kelola/pameran")),
        ],
    );
    assert!(board
        .body
        .contains("<span class=\"stat-detail\">Rp45.000</span>"));
    assert!(dashboard_card(&board, "dashboard-transfers").todo);
    assert!(!dashboard_card(&board, "dashboard-events-draft").todo);
    // The search outbox has no page: its card is a number, not a link.
    assert_eq!(
        dashboard_card(&board, "dashboard-search-backlog").href,
        None
    );
    assert!(
        board
            .body
            .contains("data-stat=\"dashboard-queue-under-a-day\""),
        "administrators review too"
    );

    // Each link opens the list behind its number.
    let payments_page = admin.get("/kelola/pembayaran").await;
    assert!(payments_page.body.contains(&waiting_code));
    assert!(admin
        .get("/kelola/surat")
        .await
        .body
        .contains("Surat uji yang gagal"));
    let unstaffed_list = admin.get(registry).await;
    assert!(
        unstaffed_list.body.contains(&format!(">{unstaffed} unit<")),
        "{}",
        unstaffed_list.body
    );
    assert!(unstaffed_list.body.contains("value=\"tanpa\" selected"));
    for (unit, listed) in [
        (staffed, false),
        (invited, true),
        (deactivated, true),
        (off, false),
    ] {
        let page = admin.get(&format!("{registry}&provinsi={}", unit.1)).await;
        assert_eq!(
            page.body
                .contains(&format!("/kelola/daftar-unit/{}\"", unit.0)),
            listed,
            "unit {}",
            unit.0
        );
    }

    // An organizer sees the fairs only.
    let mut organizer =
        signed_in_as(&app, "panitia@kemenimipas.go.id", "organizer", None, None).await;
    let fairs = organizer.get("/kelola").await;
    assert_cards(
        &fairs,
        &[
            ("dashboard-till-today", "2", Some("/kelola/pameran")),
            ("dashboard-free-booths", "1", Some("/kelola/pameran")),
        ],
    );
    for other_part in [
        "dashboard-transfers",
        "dashboard-queue-under-a-day",
        "dashboard-to-pack",
    ] {
        assert!(!fairs.body.contains(other_part), "{other_part}");
    }
}

// ---- Payouts ---------------------------------------------------------------------------------

/// The text of each cell (`<td>`) of the table row `id` of `page`, in order.
fn row_cells(page: &support::Page, id: &str) -> Vec<String> {
    let at = page
        .body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("a row {id} on the page: {}", page.body));
    let row = &page.body[at..];
    let row = &row[..row.find("</tr>").expect("the end of the row")];
    row.split("<td>")
        .skip(1)
        .map(|cell| {
            cell.split("</td>")
                .next()
                .unwrap_or_default()
                .trim()
                .to_string()
        })
        .collect()
}

/// Owed and settled of the month row `month` of a payouts page: wage owed, wage paid, PNBP
/// owed, PNBP deposited.
fn month_cells(page: &support::Page, month: &str) -> Vec<String> {
    row_cells(page, &format!("bulan-{month}"))
        .into_iter()
        .take(4)
        .collect()
}

/// Owned form fields as `Browser::post` takes them.
fn form_fields(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn payout_count(app: &TestApp) -> i64 {
    etalase::db::schema::payouts::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

fn audits_of(app: &TestApp, action: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_treasurer_records_wage_payouts_and_pnbp_deposits_against_what_paid_orders_owe_and_a_closed_month_takes_only_corrections(
) {
    use etalase::domain::format_rupiah as rp;
    use etalase::domain::payouts::Month;
    let app = TestApp::spawn().await;
    let [(product, _, _), (other_product, _, _)] = two_products_of_two_units(&app);
    let (unit_id, price): (i32, i64) = products::table
        .find(product)
        .select((products::unit_id, products::price))
        .first(&mut *app.conn())
        .unwrap();
    let other_unit: i32 = products::table
        .find(other_product)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let (wage_pct, pnbp_pct): (i32, i32) = units::table
        .find(unit_id)
        .select((units::split_wage_pct, units::split_pnbp_pct))
        .first(&mut *app.conn())
        .unwrap();
    let today = etalase::domain::fair::fair_day(chrono::Utc::now());
    let this_month = Month::of_day(today);
    let (now, last) = (this_month.code(), this_month.previous().code());

    // Three orders of one piece: one paid this month, one paid last month (WIB), one unpaid.
    let mut paid = Vec::new();
    for n in 0..3 {
        let mut buyer = Browser::new(&app);
        let placed = place_order(&mut buyer, &[(product, 1)]).await;
        assert_eq!(placed.status, 303, "{}", placed.body);
        let (order_id, total, _) = order_behind(&app, &placed.location());
        if n < 2 {
            confirm_transfer(&app, order_id, total).await;
            paid.push(order_id);
        }
    }
    let last_month_start = this_month.previous().wib_bounds().0;
    diesel::update(orders::table.find(paid[1]))
        .set(orders::paid_at.eq(Some(last_month_start + 3600)))
        .execute(&mut *app.conn())
        .unwrap();
    // What one piece owes: the unit's split of its price.
    let wage = price * i64::from(wage_pct) / 100;
    let pnbp = price * i64::from(pnbp_pct) / 100;

    // The administrators give two staff accounts, of two units, the treasurer right.
    let treasurer = create_account(&app, "bendahara@lapas.go.id", "staff", Some(unit_id), None);
    create_account(&app, "staf.biasa@lapas.go.id", "staff", Some(unit_id), None);
    let other_treasurer = create_account(
        &app,
        "bendahara.lain@rutan.go.id",
        "staff",
        Some(other_unit),
        None,
    );
    let mut admin =
        signed_in_as(&app, "admin.setoran@kemenimipas.go.id", "admin", None, None).await;
    for account in [treasurer, other_treasurer] {
        let token = admin.csrf(&format!("/kelola/akun/{account}")).await;
        let made = admin
            .post(
                &format!("/kelola/akun/{account}/bendahara"),
                &[("csrf_token", &token), ("bendahara", "1")],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
    }
    let account = admin.get(&format!("/kelola/akun/{treasurer}")).await;
    assert!(account.body.contains("Cabut hak bendahara"));
    assert_eq!(audits_of(&app, "account.treasurer"), 2);

    // Other staff of the unit, and another unit's treasurer, are refused.
    let mut plain = Browser::new(&app);
    plain.sign_in("staf.biasa@lapas.go.id", PASSWORD).await;
    assert_eq!(plain.get("/kelola/setoran").await.status, 403);
    let key = plain.csrf("/kelola").await;
    let post = plain.post("/kelola/setoran", &[("csrf_token", &key)]).await;
    assert_eq!(post.status, 403);
    let mut other = Browser::new(&app);
    other.sign_in("bendahara.lain@rutan.go.id", PASSWORD).await;
    let path = format!("/kelola/setoran/unit/{unit_id}");
    assert_eq!(other.get(&path).await.status, 403);

    // Each month owes what its paid orders owe; nothing is settled yet.
    let mut keeper = Browser::new(&app);
    keeper.sign_in("bendahara@lapas.go.id", PASSWORD).await;
    let page = keeper.get("/kelola/setoran").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(month_cells(&page, &now), [rp(wage), rp(0), rp(pnbp), rp(0)]);
    assert_eq!(
        month_cells(&page, &last),
        [rp(wage), rp(0), rp(pnbp), rp(0)]
    );
    let key = page.csrf_token().unwrap();

    // Last month's wage share paid out; its PNBP deposit refused for a bad NTPN, then saved.
    let paid_on = today.format("%Y-%m-%d").to_string();
    let (wage_text, pnbp_text) = (wage.to_string(), pnbp.to_string());
    let entry = |kind: &'static str, amount: &str, ntpn: &str| -> Vec<(String, String)> {
        [
            ("csrf_token", key.as_str()),
            ("month", last.as_str()),
            ("kind", kind),
            ("amount", amount),
            ("paid_on", paid_on.as_str()),
            ("ntpn", ntpn),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let wage_entry = entry("wage", &wage_text, "");
    let saved = keeper
        .post("/kelola/setoran", &form_fields(&wage_entry))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let bad = entry("pnbp", &pnbp_text, "NTPN-12345");
    let refused = keeper.post("/kelola/setoran", &form_fields(&bad)).await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .body
        .contains("NTPN terdiri atas 16 huruf atau angka, tanpa spasi."));
    assert!(
        refused.body.contains("value=\"NTPN-12345\""),
        "typed NTPN kept"
    );
    assert!(
        refused.body.contains(&format!("value=\"{pnbp}\"")),
        "typed amount kept"
    );
    assert!(refused.body.contains(&format!("value=\"{last}\" selected")));
    assert_eq!(payout_count(&app), 1, "nothing stored");
    let good = entry("pnbp", &pnbp_text, "0a1b2c3d4e5f6789");
    let saved = keeper.post("/kelola/setoran", &form_fields(&good)).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = keeper.get("/kelola/setoran").await;
    assert_eq!(
        month_cells(&page, &last),
        [rp(wage), rp(wage), rp(pnbp), rp(pnbp)]
    );
    assert_eq!(month_cells(&page, &now), [rp(wage), rp(0), rp(pnbp), rp(0)]);
    assert!(page.body.contains("0A1B2C3D4E5F6789"));
    assert_eq!(audits_of(&app, "payout.record"), 2);

    // This month is not over and stays open; last month closes.
    for month in [&now, &last] {
        let closed = keeper
            .post(
                "/kelola/setoran/tutup",
                &[("csrf_token", &key), ("month", month)],
            )
            .await;
        assert_eq!(closed.status, 303);
        let said = keeper.get("/kelola/setoran").await;
        let flash = if month == &now {
            "Bulan itu belum berakhir dan belum bisa ditutup."
        } else {
            "Bulan ditutup; selanjutnya hanya koreksi yang diterima."
        };
        assert!(said.body.contains(flash), "{flash}");
    }
    assert_eq!(audits_of(&app, "payout.close_month"), 1);

    // A closed month takes no new entry...
    let late = entry("wage", "1000", "");
    let refused = keeper.post("/kelola/setoran", &form_fields(&late)).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Bulan ini sudah ditutup"));
    assert_eq!(payout_count(&app), 2);

    // ...but a correction, which replaces the entry it corrects.
    let wage_id: i32 = etalase::db::schema::payouts::table
        .filter(etalase::db::schema::payouts::kind.eq("wage"))
        .select(etalase::db::schema::payouts::id)
        .first(&mut *app.conn())
        .unwrap();
    let form = keeper
        .get(&format!("/kelola/setoran?koreksi={wage_id}"))
        .await;
    assert!(form
        .body
        .contains(&format!("name=\"corrects\" value=\"{wage_id}\"")));
    assert!(
        form.body.contains(&format!("value=\"{wage}\"")),
        "its amount to start from"
    );
    let mut correction = entry("wage", &(wage - 1_000).to_string(), "");
    correction.push(("corrects".into(), wage_id.to_string()));
    let fixed = keeper
        .post("/kelola/setoran", &form_fields(&correction))
        .await;
    assert_eq!(fixed.status, 303, "{}", fixed.body);
    let page = keeper.get("/kelola/setoran").await;
    assert_eq!(
        month_cells(&page, &last),
        [rp(wage), rp(wage - 1_000), rp(pnbp), rp(pnbp)]
    );
    assert_eq!(audits_of(&app, "payout.correct"), 1);
    // The entry replaced cannot be corrected again (the correction can), by this unit or
    // another.
    let again = keeper
        .post("/kelola/setoran", &form_fields(&correction))
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("Catatan ini tidak bisa dikoreksi"));
    let latest: i32 = etalase::db::schema::payouts::table
        .filter(etalase::db::schema::payouts::corrects_id.eq(Some(wage_id)))
        .select(etalase::db::schema::payouts::id)
        .first(&mut *app.conn())
        .unwrap();
    let other_key = other.csrf("/kelola/setoran").await;
    let mut foreign = correction.clone();
    foreign[0].1 = other_key;
    foreign.retain(|(k, _)| k != "corrects");
    foreign.push(("corrects".into(), latest.to_string()));
    let refused = other.post("/kelola/setoran", &form_fields(&foreign)).await;
    assert_eq!(refused.status, 422, "another unit's entry");
    assert_eq!(payout_count(&app), 3);

    // The administrators' summary of last month: owed against settled, by unit and in all.
    let summary = admin
        .get(&format!("/kelola/setoran/rekap?bulan={last}"))
        .await;
    assert_eq!(summary.status, 200);
    assert_eq!(
        row_cells(&summary, "rekap-total"),
        [rp(wage), rp(wage - 1_000), rp(pnbp), rp(pnbp)]
    );
    assert!(summary.body.contains(&format!("href=\"{path}\"")));
    let unit_page = admin.get(&path).await;
    assert_eq!(unit_page.status, 200);
    assert_eq!(
        month_cells(&unit_page, &last),
        [rp(wage), rp(wage - 1_000), rp(pnbp), rp(pnbp)]
    );
    assert!(
        !unit_page.body.contains("action=\"/kelola/setoran\""),
        "no entry form"
    );
}
