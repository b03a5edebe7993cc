//! Fairs: organizers create an event, upload its booth plan and open it; the public sees the
//! event with its plan drawn as an accessible SVG.

mod support;

use diesel::prelude::*;
use etalase::db::schema::{booths, units};
use support::{create_account, Browser, TestApp, PASSWORD};

const PLAN: &str = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n\
                    A-01,Hall A,standard,3,3,1500000,0,0\n\
                    A-02,Hall A,corner,3,3,2000000,3,0\n\
                    B-01,Hall B,food_power,4,3,2500000,0,0\n";

#[actix_web::test]
async fn an_organizer_creates_a_fair_uploads_its_plan_and_opens_it_to_the_public() {
    let app = TestApp::spawn().await;
    create_account(&app, "panitia@kemenimipas.go.id", "organizer", None, None);
    let mut organizer = Browser::new(&app);
    organizer
        .sign_in("panitia@kemenimipas.go.id", PASSWORD)
        .await;
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
}

#[actix_web::test]
async fn only_organizers_and_administrators_run_fairs() {
    let app = TestApp::spawn().await;
    let unit: i32 = units::table
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    create_account(&app, "staf@lapas.go.id", "staff", Some(unit), None);
    let mut staff = Browser::new(&app);
    staff.sign_in("staf@lapas.go.id", PASSWORD).await;
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
