//! Legal documents: staff attach them with a scan, reviewers verify them, badges follow, and
//! the daily job expires old ones and reminds staff 60 and 14 days ahead. The legal status
//! rules: a product without the documents its kind needs waits, shown but not for sale, until
//! a reviewer verifies one; administrators edit the rules.

use crate::support;

use chrono::{Days, Utc};
use diesel::prelude::*;
use etalase::db::schema::{
    audit_log, cart_items, categories, certifications, legal_rules, products, units,
};
use etalase::models::certification::NewCertification;
use etalase::services::expiry;
use support::{create_account, signed_in_as, Browser, TestApp, PASSWORD, PDF};

fn first_unit(app: &TestApp) -> (i32, i32) {
    units::table
        .select((units::id, units::province_id))
        .order(units::id.asc())
        .first(&mut *app.conn())
        .unwrap()
}

fn a_published_product(app: &TestApp, unit_id: i32) -> (i32, String) {
    products::table
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq("published"))
        .select((products::id, products::slug))
        .first(&mut *app.conn())
        .unwrap()
}

fn document_count(app: &TestApp, unit_id: i32) -> i64 {
    certifications::table
        .filter(certifications::unit_id.eq(unit_id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_document_attached_by_staff_shows_as_a_badge_once_a_reviewer_verifies_it() {
    let app = TestApp::spawn().await;
    let (unit_id, province_id) = first_unit(&app);
    let (product_id, slug) = a_published_product(&app, unit_id);
    // Start from a product without documents of its own.
    diesel::delete(certifications::table.filter(certifications::product_id.eq(product_id)))
        .execute(&mut *app.conn())
        .unwrap();
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "rev@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
    let token = staff.csrf("/kelola/dokumen").await;
    let product = product_id.to_string();
    let page = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "HKI"),
                ("number", "IDM000123456"),
                ("issuer", "DJKI Kementerian Hukum"),
                ("issued_on", "2024-01-15"),
                ("expires_on", "2034-01-15"),
                ("product_id", &product),
            ],
            Some(("scan", "sertifikat.pdf", PDF)),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let id: i32 = certifications::table
        .filter(certifications::number.eq("IDM000123456"))
        .select(certifications::id)
        .first(&mut *app.conn())
        .unwrap();
    let listed = staff.get("/kelola/dokumen").await;
    assert!(listed.body.contains("IDM000123456"));
    assert!(listed.body.contains("menunggu verifikasi"));
    let scan = staff.get(&format!("/kelola/dokumen/{id}/berkas")).await;
    assert_eq!(scan.status, 200);
    assert_eq!(
        scan.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(scan.body.starts_with("%PDF-"));
    assert!(!app
        .get(&format!("/produk/{slug}"))
        .await
        .body
        .contains("IDM000123456"));

    let mut reviewer = Browser::new(&app);
    reviewer.sign_in("rev@kemenimipas.go.id", PASSWORD).await;
    let queue = reviewer.get("/kelola/tinjau").await;
    assert!(queue.body.contains("IDM000123456"));
    let token = queue.csrf_token().unwrap();
    assert_eq!(
        reviewer
            .get(&format!("/kelola/dokumen/{id}/berkas"))
            .await
            .status,
        200,
        "the reviewer opens the scan"
    );
    let verified = reviewer
        .post(
            &format!("/kelola/tinjau/dokumen/{id}"),
            &[("csrf_token", &token), ("decision", "verify")],
        )
        .await;
    assert_eq!(verified.status, 303);
    let public = app.get(&format!("/produk/{slug}")).await;
    assert!(
        public.body.contains("IDM000123456"),
        "the badge shows its number"
    );

    // Nobody else sees the scan.
    let (other_unit, _) = units::table
        .filter(units::province_id.ne(province_id))
        .select((units::id, units::province_id))
        .first::<(i32, i32)>(&mut *app.conn())
        .unwrap();
    let mut stranger =
        signed_in_as(&app, "lain@lapas.go.id", "staff", Some(other_unit), None).await;
    assert_eq!(
        stranger
            .get(&format!("/kelola/dokumen/{id}/berkas"))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get(&format!("/kelola/dokumen/{id}/berkas"))
            .await
            .status,
        303,
        "anonymous visitors are sent to sign in"
    );
}

#[actix_web::test]
async fn bad_document_input_is_explained_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (unit_id, _) = first_unit(&app);
    let other_product: i32 = products::table
        .filter(products::unit_id.ne(unit_id))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let before = document_count(&app, unit_id);
    let token = staff.csrf("/kelola/dokumen").await;
    let other = other_product.to_string();
    let page = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "IZIN-PALSU"),
                ("number", "12"),
                ("issuer", ""),
                ("issued_on", "2099-01-01"),
                ("expires_on", "kemarin"),
                ("product_id", &other),
            ],
            Some(("scan", "virus.exe", b"MZ\x90\x00 not a document")),
        )
        .await;
    assert_eq!(page.status, 422);
    for message in [
        "Pilih jenis dokumen",
        "Tulis nomor dokumen",
        "Tulis penerbit dokumen",
        "tidak di masa depan",
        "setelah tanggal terbit",
        "Pilih produk milik unit Anda",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    let page = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "PIRT"),
                ("number", "P-IRT 2063471010123-29"),
                ("issuer", "Dinas Kesehatan"),
                ("issued_on", "2024-03-01"),
                ("expires_on", ""),
            ],
            Some(("scan", "izin.pdf", b"MZ\x90\x00 not a document")),
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Pindaian harus berupa PDF"));
    assert!(
        page.body.contains("value=\"P-IRT 2063471010123-29\""),
        "typed number kept"
    );
    assert_eq!(document_count(&app, unit_id), before, "nothing stored");
}

fn verified_document(unit_id: i32, number: &str, expires_on: &str) -> NewCertification {
    NewCertification {
        unit_id,
        product_id: None,
        kind: "NIB".into(),
        number: number.into(),
        issuer: "OSS".into(),
        issued_on: "2020-01-01".into(),
        expires_on: Some(expires_on.into()),
        document_path: None,
        status: "verified",
        reject_reason: None,
        verified_at: Some(0),
        created_at: 0,
    }
}

#[actix_web::test]
async fn the_daily_job_expires_old_documents_and_reminds_staff_60_and_14_days_ahead() {
    let app = TestApp::spawn().await;
    let (unit_id, _) = first_unit(&app);
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let today = Utc::now().date_naive();
    let day = |n: i64| {
        let d = if n >= 0 {
            today.checked_add_days(Days::new(n as u64))
        } else {
            today.checked_sub_days(Days::new((-n) as u64))
        };
        d.unwrap().format("%Y-%m-%d").to_string()
    };
    let docs = [
        verified_document(unit_id, "NIB-KEMARIN", &day(-1)),
        verified_document(unit_id, "NIB-SEPULUH-HARI", &day(10)),
        verified_document(unit_id, "NIB-LIMA-PULUH-HARI", &day(50)),
        verified_document(unit_id, "NIB-SETAHUN", &day(365)),
    ];
    etalase::models::certification::insert_certifications(&mut app.conn(), &docs).unwrap();
    // Reminders go through the mail outbox: the app's sender writes them to its folder.
    let outbox = app.settings.data_dir.join("mail-outbox");
    let reminders = |outbox: &std::path::Path| -> Vec<String> {
        std::fs::read_dir(outbox)
            .map(|dir| {
                dir.map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
                    .filter(|m| m.contains("NIB-"))
                    .collect()
            })
            .unwrap_or_default()
    };

    let report = expiry::run(&mut app.conn(), today, &support::mail_templates()).unwrap();
    let expired: Option<i64> = certifications::table
        .filter(certifications::number.eq("NIB-KEMARIN"))
        .select(certifications::expired_at)
        .first(&mut *app.conn())
        .unwrap();
    assert!(expired.is_some(), "yesterday's document is marked expired");
    assert!(
        report.products_affected > 0,
        "the unit's products lose the badge"
    );
    assert_eq!(report.reminders_sent, 2);
    let mails = support::eventually(
        "two reminder mails in the outbox",
        std::time::Duration::from_secs(20),
        async || {
            let mails = reminders(&outbox);
            if mails.len() < 2 {
                Err(format!("{} mails", mails.len()))
            } else {
                Ok(mails)
            }
        },
    )
    .await;
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().all(|m| m.contains("staf@lapas.go.id")));
    let joined = mails.join("\n");
    assert!(joined.contains("NIB-SEPULUH-HARI") && joined.contains("14 hari"));
    assert!(joined.contains("NIB-LIMA-PULUH-HARI") && joined.contains("60 hari"));
    assert!(joined.contains("English"), "both languages");
    assert!(!joined.contains("NIB-SETAHUN"));

    let again = expiry::run(&mut app.conn(), today, &support::mail_templates()).unwrap();
    assert_eq!(again.reminders_sent, 0, "each reminder goes out once");
    // Forty-six days later the fifty-day document is within 14 days: one more reminder.
    let later = today.checked_add_days(Days::new(46)).unwrap();
    let report = expiry::run(&mut app.conn(), later, &support::mail_templates()).unwrap();
    assert_eq!(report.reminders_sent, 1);
}

// ---- Legal status rules --------------------------------------------------------------------

/// A document of product `product_id` in state `status`, running until `expires_on`.
fn product_document(
    unit_id: i32,
    product_id: i32,
    kind: &str,
    number: &str,
    status: &'static str,
    expires_on: &str,
) -> NewCertification {
    NewCertification {
        unit_id,
        product_id: Some(product_id),
        kind: kind.into(),
        number: number.into(),
        issuer: "Dinas Kesehatan".into(),
        issued_on: "2024-01-02".into(),
        expires_on: Some(expires_on.into()),
        document_path: None,
        status,
        reject_reason: None,
        verified_at: Some(0),
        created_at: 0,
    }
}

/// The day `days` from today (UTC, as documents are judged), as ISO text.
fn utc_day(days: i64) -> String {
    let today = Utc::now().date_naive();
    (today + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The first published product in stock of category `category`: (id, slug, unit id, province
/// id, kind), with its own documents removed.
fn a_product_without_documents(app: &TestApp, category: &str) -> (i32, String, i32, i32, String) {
    let found: (i32, String, i32, i32, String) = products::table
        .inner_join(categories::table)
        .inner_join(units::table)
        .filter(categories::slug.eq(category))
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(2))
        .order(products::id.asc())
        .select((
            products::id,
            products::slug,
            products::unit_id,
            units::province_id,
            products::kind,
        ))
        .first(&mut *app.conn())
        .unwrap_or_else(|_| panic!("a published product of {category} in stock"));
    diesel::delete(certifications::table.filter(certifications::product_id.eq(found.0)))
        .execute(&mut *app.conn())
        .unwrap();
    found
}

/// The product page down to its description: the product itself, not its related products.
fn product_part(page: &support::Page) -> &str {
    let end = page
        .body
        .find("class=\"product-details\"")
        .unwrap_or(page.body.len());
    &page.body[..end]
}

/// Puts product `id` in a cart; gives where the shop sent the buyer.
async fn add_to_cart(buyer: &mut Browser<'_>, id: i32) -> String {
    let page = buyer
        .post(
            "/keranjang",
            &[("product_id", &id.to_string()), ("quantity", "1")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location()
}

fn in_carts(app: &TestApp, id: i32) -> i64 {
    cart_items::table
        .filter(cart_items::product_id.eq(id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

const FOOD_PERMIT: &str = "Izin Pangan Industri Rumah Tangga (P-IRT) atau Terdaftar BPOM (MD)";

#[actix_web::test]
async fn a_food_product_without_a_food_permit_waits_for_its_legal_documents_until_a_reviewer_verifies_its_p_irt(
) {
    let app = TestApp::spawn().await;
    let (id, slug, unit_id, province_id, _) = a_product_without_documents(&app, "kuliner");
    // Halal, but no P-IRT or BPOM-MD registration: the one it has ran out yesterday.
    etalase::models::certification::insert_certifications(
        &mut app.conn(),
        &[
            product_document(
                unit_id,
                id,
                "HALAL",
                "ID00110000000042",
                "verified",
                &utc_day(900),
            ),
            product_document(
                unit_id,
                id,
                "PIRT",
                "PIRT-KEDALUWARSA",
                "verified",
                &utc_day(-1),
            ),
        ],
    )
    .unwrap();
    // The most popular food product: the first card of its category.
    diesel::update(products::table.find(id))
        .set(products::popularity.eq(1_000_000))
        .execute(&mut *app.conn())
        .unwrap();

    // Shown, marked, and what it waits for instead of the buy button.
    let page = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(page.status, 200);
    let product = product_part(&page);
    assert!(product.contains("Menunggu legalitas"), "{product}");
    assert!(product.contains(FOOD_PERMIT), "the missing permit is named");
    assert!(!product.contains("class=\"add-to-cart\""), "no buy button");
    let listing = app.get("/kategori/kuliner").await;
    let card_at = listing
        .body
        .find(&format!("/produk/{slug}\""))
        .expect("the product's card leads its category");
    let card = &listing.body[card_at..];
    let card = &card[..card.find("</article>").unwrap()];
    assert!(
        card.contains("Menunggu legalitas"),
        "the card is marked: {card}"
    );

    // Not for sale: the cart refuses it with a message.
    let mut buyer = Browser::new(&app);
    let refused = add_to_cart(&mut buyer, id).await;
    assert!(refused.contains("cart-awaiting-legal"), "{refused}");
    let cart = buyer.get(&refused).await;
    assert!(cart
        .body
        .contains("Produk ini masih menunggu dokumen legalitasnya dan belum bisa dibeli."));
    assert_eq!(in_carts(&app, id), 0);

    // The unit's staff and the reviewer see exactly what is missing.
    create_account(
        &app,
        "staf.pangan@lapas.go.id",
        "staff",
        Some(unit_id),
        None,
    );
    create_account(
        &app,
        "peninjau.pangan@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("staf.pangan@lapas.go.id", PASSWORD).await;
    let form = staff.get(&format!("/kelola/produk/{id}")).await;
    assert!(form.body.contains(FOOD_PERMIT), "on the product form");
    let dashboard = staff.get("/kelola").await;
    assert!(dashboard.body.contains("Dokumen yang belum ada:"));
    assert!(dashboard.body.contains(FOOD_PERMIT), "on the dashboard");
    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau.pangan@kemenimipas.go.id", PASSWORD)
        .await;
    let review = reviewer.get(&format!("/kelola/tinjau/produk/{id}")).await;
    assert_eq!(review.status, 200);
    assert!(review.body.contains(FOOD_PERMIT), "on the review page");

    // A valid P-IRT, attached by the staff: waiting for review, it does not count yet.
    let token = staff.csrf("/kelola/dokumen").await;
    let attached = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "PIRT"),
                ("number", "2063471010123-29"),
                ("issuer", "Dinas Kesehatan Kota"),
                ("issued_on", &utc_day(-30)),
                ("expires_on", &utc_day(5 * 365)),
                ("product_id", &id.to_string()),
            ],
            Some(("scan", "pirt.pdf", PDF)),
        )
        .await;
    assert_eq!(attached.status, 303, "{}", attached.body);
    let page = app.get(&format!("/produk/{slug}")).await;
    assert!(product_part(&page).contains("Menunggu legalitas"));
    let document: i32 = certifications::table
        .filter(certifications::number.eq("2063471010123-29"))
        .select(certifications::id)
        .first(&mut *app.conn())
        .unwrap();
    let token = reviewer.csrf("/kelola/tinjau").await;
    let verified = reviewer
        .post(
            &format!("/kelola/tinjau/dokumen/{document}"),
            &[("csrf_token", &token), ("decision", "verify")],
        )
        .await;
    assert_eq!(verified.status, 303);

    // Verified: for sale.
    let page = app.get(&format!("/produk/{slug}")).await;
    let product = product_part(&page);
    assert!(!product.contains("Menunggu legalitas"), "{product}");
    assert!(product.contains("class=\"add-to-cart\""));
    let added = add_to_cart(&mut buyer, id).await;
    assert!(added.contains("cart-added"), "{added}");
    assert_eq!(in_carts(&app, id), 1);
    assert!(!staff
        .get(&format!("/kelola/produk/{id}"))
        .await
        .body
        .contains(FOOD_PERMIT));
}

/// GETs `path` until it comes from the page cache.
async fn cached(app: &TestApp, path: &str) -> support::Page {
    support::eventually(
        &format!("{path} to come from the page cache"),
        std::time::Duration::from_secs(10),
        async || {
            let page = app.get(path).await;
            (page.header("x-cache").as_deref() == Some("hit")).then_some(page)
        },
    )
    .await
}

fn rule_audits(app: &TestApp) -> Vec<String> {
    audit_log::table
        .filter(audit_log::entity.eq("legal_rule"))
        .order(audit_log::id.asc())
        .select(audit_log::action)
        .load(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_administrator_adds_and_removes_a_legal_rule_and_cached_shop_pages_follow_at_once() {
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| s.page_cache_secs = 60).await;
    // A handicraft: no rule covers its category, and it has no SNI mark.
    let (id, slug, unit_id, _, kind) = a_product_without_documents(&app, "kerajinan-tangan");
    let path = format!("/produk/{slug}");
    assert!(product_part(&app.get(&path).await).contains("class=\"add-to-cart\""));
    cached(&app, &path).await;

    create_account(&app, "admin.aturan@kemenimipas.go.id", "admin", None, None);
    create_account(
        &app,
        "staf.aturan@lapas.go.id",
        "staff",
        Some(unit_id),
        None,
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("staf.aturan@lapas.go.id", PASSWORD).await;
    assert_eq!(staff.get("/kelola/aturan-legalitas").await.status, 403);
    let mut admin = Browser::new(&app);
    admin
        .sign_in("admin.aturan@kemenimipas.go.id", PASSWORD)
        .await;
    let rules = admin.get("/kelola/aturan-legalitas").await;
    assert_eq!(rules.status, 200);
    assert!(rules.body.contains(FOOD_PERMIT), "the default food rule");
    assert!(rules.body.contains("Bersertifikat Halal"));
    assert!(rules.body.contains("Kayu Legal (SVLK)"));
    let token = rules.csrf_token().unwrap();

    // A rule without a document nor a kind, from a day that does not exist: explained, kept.
    let refused = admin
        .post(
            "/kelola/aturan-legalitas",
            &[
                ("csrf_token", &token),
                ("scope", "kind"),
                ("kind", ""),
                ("applies_from", "2027-02-30"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Tulis jenis produk"));
    assert!(refused
        .body
        .contains("Centang paling sedikit satu dokumen."));
    assert!(
        refused.body.contains("value=\"2027-02-30\""),
        "typed date kept"
    );
    assert!(rule_audits(&app).is_empty());

    // Products of this kind need an SNI mark from now on.
    let added = admin
        .post(
            "/kelola/aturan-legalitas",
            &[
                ("csrf_token", &token),
                ("scope", "kind"),
                ("kind", &kind),
                ("documents", "SNI"),
                ("applies_from", ""),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(added.location(), "/kelola/aturan-legalitas");
    let page = app.get(&path).await;
    assert_eq!(
        page.header("x-cache"),
        None,
        "the rule dropped the cached page"
    );
    let product = product_part(&page);
    assert!(product.contains("Menunggu legalitas"), "{product}");
    assert!(product.contains("Standar Nasional Indonesia (SNI)"));
    let mut buyer = Browser::new(&app);
    assert!(add_to_cart(&mut buyer, id)
        .await
        .contains("cart-awaiting-legal"));
    assert!(staff
        .get(&format!("/kelola/produk/{id}"))
        .await
        .body
        .contains("Standar Nasional Indonesia (SNI)"));

    // Removed: for sale again at once.
    let rule: i32 = legal_rules::table
        .filter(legal_rules::target.eq(&kind))
        .select(legal_rules::id)
        .first(&mut *app.conn())
        .unwrap();
    cached(&app, &path).await;
    let removed = admin
        .post(
            &format!("/kelola/aturan-legalitas/{rule}/hapus"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(removed.status, 303);
    let page = app.get(&path).await;
    assert!(!product_part(&page).contains("Menunggu legalitas"));
    assert!(add_to_cart(&mut buyer, id).await.contains("cart-added"));
    assert_eq!(rule_audits(&app), ["legal_rule.add", "legal_rule.remove"]);
    let after = admin.get("/kelola/aturan-legalitas").await;
    assert!(!after.body.contains(&format!("id=\"aturan-{rule}\"")));
}
