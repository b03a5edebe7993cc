//! Legal documents: staff attach them with a scan, reviewers verify them, badges follow, and
//! the daily job expires old ones and reminds staff 60 and 14 days ahead.

use crate::support;

use chrono::{Days, Utc};
use diesel::prelude::*;
use etalase::db::schema::{certifications, products, units};
use etalase::models::certification::NewCertification;
use etalase::services::expiry;
use support::{create_account, Browser, TestApp, PASSWORD};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

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
    create_account(&app, "lain@lapas.go.id", "staff", Some(other_unit), None);
    let mut stranger = Browser::new(&app);
    stranger.sign_in("lain@lapas.go.id", PASSWORD).await;
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
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
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
