//! Photo uploads: the pipeline turns photos upright, strips every bit of metadata (GPS
//! included), writes JPEG and WebP variants, and refuses anything that is not a safe picture
//! with a message on the form. Staff order a product's photos (the first is the main one, shown
//! first on its card and page), only for their own unit's products.

use crate::support;

use diesel::prelude::*;
use etalase::db::schema::{product_photos, products, units};
use support::{create_account, jpeg, signed_in_as, Browser, TestApp, PASSWORD};

/// A JPEG carrying an EXIF block: orientation 6 (rotate 90° clockwise) and a GPS position.
fn jpeg_with_exif_gps(width: u32, height: u32) -> Vec<u8> {
    let mut tiff: Vec<u8> = Vec::new();
    tiff.extend_from_slice(b"II\x2a\x00");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    // IFD0: two entries.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&6u16.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0x8825u16.to_le_bytes()); // GPS IFD pointer
    tiff.extend_from_slice(&4u16.to_le_bytes()); // LONG
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&38u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 38: latitude reference "S" and a position marker string.
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x0001u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes()); // ASCII
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"S\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"GPS-SECRET-LAPAS-POSITION");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let plain = jpeg(width, height);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid PNG header announcing 30,000 × 30,000 pixels (900 megapixels).
fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&30_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    out.extend_from_slice(&((idat.len() - 4) as u32).to_be_bytes());
    out.extend_from_slice(idat);
    out.extend_from_slice(&crc32(idat).to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(b"IEND");
    out.extend_from_slice(&crc32(b"IEND").to_be_bytes());
    out
}

struct Setup<'a> {
    staff: Browser<'a>,
    product_id: i32,
}

async fn staff_with_a_draft(app: &TestApp) -> Setup<'_> {
    let unit_id: i32 = units::table
        .select(units::id)
        .order(units::id.asc())
        .first(&mut *app.conn())
        .unwrap();
    create_account(app, "foto@lapas.go.id", "staff", Some(unit_id), None);
    let product_id: i32 = products::table
        .filter(products::unit_id.eq(unit_id))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(products::table.find(product_id))
        .set(products::status.eq("draft"))
        .execute(&mut *app.conn())
        .unwrap();
    let mut staff = Browser::new(app);
    staff.sign_in("foto@lapas.go.id", PASSWORD).await;
    Setup { staff, product_id }
}

fn photo_count(app: &TestApp, product_id: i32) -> i64 {
    product_photos::table
        .filter(product_photos::product_id.eq(product_id))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_uploaded_photo_is_turned_upright_stripped_of_gps_and_stored_in_every_size() {
    let app = TestApp::spawn().await;
    let Setup {
        mut staff,
        product_id,
    } = staff_with_a_draft(&app).await;
    let path = format!("/kelola/produk/{product_id}");
    let token = staff.csrf(&path).await;
    let before = photo_count(&app, product_id);
    let upload = jpeg_with_exif_gps(400, 200);
    assert!(upload.windows(4).any(|w| w == b"Exif"));
    let page = staff
        .post_multipart(
            &format!("{path}/foto"),
            &[
                ("csrf_token", &token),
                ("alt", "Tas rotan dilihat dari depan"),
            ],
            Some(("photo", "IMG_0001.jpg", &upload)),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(photo_count(&app, product_id), before + 1);
    let (base, width, height): (String, i32, i32) = product_photos::table
        .filter(product_photos::product_id.eq(product_id))
        .order(product_photos::position.desc())
        .select((
            product_photos::path_base,
            product_photos::width,
            product_photos::height,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!((width, height), (200, 400), "EXIF orientation 6 applied");
    for width in etalase::services::media::WIDTHS {
        assert!(
            !app.settings
                .media_dir
                .join(format!("{base}-{width}.webp"))
                .exists(),
            "no WebP copy nobody asks for"
        );
        let file = app.settings.media_dir.join(format!("{base}-{width}.jpg"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{file:?} has EXIF");
        assert!(
            !bytes.windows(10).any(|w| w == b"GPS-SECRET"),
            "{file:?} keeps the GPS block"
        );
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (200, 400));
    }
    let served = app.get(&format!("/media/{base}-480.jpg")).await;
    assert_eq!(served.status, 200);
    assert!(served
        .header("cache-control")
        .unwrap()
        .contains("immutable"));
    let form = staff.get(&path).await;
    assert!(form.body.contains("Tas rotan dilihat dari depan"));

    // Taking the photo down removes its files too.
    let photo_id: i32 = product_photos::table
        .filter(product_photos::path_base.eq(&base))
        .select(product_photos::id)
        .first(&mut *app.conn())
        .unwrap();
    let token = form.csrf_token().unwrap();
    let removed = staff
        .post(
            &format!("{path}/foto/{photo_id}/hapus"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert!(!app
        .settings
        .media_dir
        .join(format!("{base}-480.jpg"))
        .exists());
    assert_eq!(app.get(&format!("/media/{base}-480.jpg")).await.status, 404);
}

#[actix_web::test]
async fn unsafe_or_broken_uploads_are_refused_on_the_form_and_store_nothing() {
    let app = TestApp::spawn().await;
    let Setup {
        mut staff,
        product_id,
    } = staff_with_a_draft(&app).await;
    let path = format!("/kelola/produk/{product_id}");
    let token = staff.csrf(&path).await;
    let before = photo_count(&app, product_id);
    let mut truncated = jpeg(300, 200);
    truncated.truncate(truncated.len() / 3);
    let oversized = vec![0xFFu8; 10 * 1024 * 1024 + 1000];
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    let bomb = png_bomb();
    let good = jpeg(300, 200);
    let cases: Vec<(&str, &[u8], &str, &str)> = vec![
        (
            "a PDF named .jpg",
            &pdf,
            "Foto depan",
            "bukan foto JPEG, PNG atau WebP",
        ),
        (
            "a truncated JPEG",
            &truncated,
            "Foto depan",
            "rusak atau tidak dapat dibaca",
        ),
        (
            "a decompression bomb",
            &bomb,
            "Foto depan",
            "terlalu besar ukurannya",
        ),
        (
            "a file over 10 MB",
            &oversized,
            "Foto depan",
            "Berkas terlalu besar",
        ),
        ("no description", &good, "", "Tulis keterangan foto"),
        ("an empty file", b"", "Foto depan", "Pilih berkas foto"),
    ];
    for (what, bytes, alt, message) in cases {
        let page = staff
            .post_multipart(
                &format!("{path}/foto"),
                &[("csrf_token", &token), ("alt", alt)],
                Some(("photo", "foto.jpg", bytes)),
            )
            .await;
        assert_eq!(page.status, 422, "{what}");
        assert!(page.body.contains(message), "{what}: expected {message:?}");
        if !alt.is_empty() {
            assert!(
                page.body.contains(&format!("value=\"{alt}\"")),
                "{what}: alt kept"
            );
        }
    }
    assert_eq!(photo_count(&app, product_id), before, "nothing stored");
    // And without the form token nothing is even looked at.
    let page = staff
        .post_multipart(
            &format!("{path}/foto"),
            &[("csrf_token", "forged"), ("alt", "Foto depan")],
            Some(("photo", "foto.jpg", &good)),
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(photo_count(&app, product_id), before);
}

/// A published product of a unit that is switched on, with two photos or more: (product id,
/// unit id, the unit's province id, slug).
fn a_published_product_with_two_photos(app: &TestApp) -> (i32, i32, i32, String) {
    product_photos::table
        .inner_join(products::table.inner_join(units::table))
        .filter(product_photos::position.eq(1))
        .filter(products::status.eq("published"))
        .filter(units::active.eq(1))
        .order(products::id.asc())
        .select((products::id, units::id, units::province_id, products::slug))
        .first(&mut *app.conn())
        .unwrap()
}

/// A product's photos in their order: (id, path base).
fn photo_order(app: &TestApp, product_id: i32) -> Vec<(i32, String)> {
    product_photos::table
        .filter(product_photos::product_id.eq(product_id))
        .order(product_photos::position.asc())
        .select((product_photos::id, product_photos::path_base))
        .load(&mut *app.conn())
        .unwrap()
}

fn status_of(app: &TestApp, product_id: i32) -> String {
    products::table
        .find(product_id)
        .select(products::status)
        .first(&mut *app.conn())
        .unwrap()
}

/// Where `base` first shows in `body`; fails when it does not.
fn first_at(body: &str, base: &str) -> usize {
    body.find(base)
        .unwrap_or_else(|| panic!("{base} is not on the page"))
}

#[actix_web::test]
async fn a_staff_member_makes_the_second_photo_the_main_one_and_the_product_page_and_its_card_show_it_first(
) {
    let app = TestApp::spawn().await;
    let (product_id, unit_id, province_id, slug) = a_published_product_with_two_photos(&app);
    // The most popular of its unit, so its card is on the first page of the unit's shop.
    diesel::update(products::table.find(product_id))
        .set(products::popularity.eq(2_000_000_000))
        .execute(&mut *app.conn())
        .unwrap();
    let before = photo_order(&app, product_id);
    let (main, second) = (before[0].clone(), before[1].clone());
    create_account(&app, "foto@lapas.go.id", "staff", Some(unit_id), None);
    create_account(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    );
    let mut staff = Browser::new(&app);
    staff.sign_in("foto@lapas.go.id", PASSWORD).await;
    let path = format!("/kelola/produk/{product_id}");
    let form = staff.get(&path).await;
    let make_main = |photo: i32| format!("{path}/foto/{photo}/utama");
    assert!(form.body.contains(&make_main(second.0)));
    assert!(
        !form.body.contains(&make_main(main.0)),
        "the main photo is not offered to become the main one"
    );
    let token = form.csrf_token().unwrap();
    let made = staff
        .post(&make_main(second.0), &[("csrf_token", &token)])
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location(), path);
    let after = photo_order(&app, product_id);
    assert_eq!(after[..2], [second.clone(), main.clone()]);
    assert_eq!(after.len(), before.len());
    let form = staff.get(&path).await;
    assert!(
        form.body
            .contains("Produk kembali ditinjau sebelum tayang lagi"),
        "a published listing whose photos change goes back to review"
    );
    assert!(first_at(&form.body, &second.1) < first_at(&form.body, &main.1));
    assert_eq!(status_of(&app, product_id), "submitted");

    // Approved again, the shop shows the new main photo first.
    let mut reviewer = Browser::new(&app);
    reviewer
        .sign_in("peninjau@kemenimipas.go.id", PASSWORD)
        .await;
    let review_path = format!("/kelola/tinjau/produk/{product_id}");
    let token = reviewer.csrf(&review_path).await;
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
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert_eq!(status_of(&app, product_id), "published");
    let page = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(page.status, 200);
    assert!(
        first_at(&page.body, &second.1) < first_at(&page.body, &main.1),
        "the product page shows the new main photo first"
    );
    let unit_slug: String = units::table
        .find(unit_id)
        .select(units::slug)
        .first(&mut *app.conn())
        .unwrap();
    let shop = app.get(&format!("/unit/{unit_slug}")).await;
    let card_at = first_at(&shop.body, &format!("href=\"/produk/{slug}\""));
    let card_end = card_at + first_at(&shop.body[card_at..], "</article>");
    let card = &shop.body[card_at..card_end];
    assert!(
        card.contains(&second.1),
        "the card shows the new main photo: {card}"
    );
    assert!(!card.contains(&main.1), "{card}");
}

#[actix_web::test]
async fn moving_a_photo_up_changes_the_order_the_form_shows_and_moving_it_down_puts_it_back() {
    let app = TestApp::spawn().await;
    let (product_id, unit_id, _, _) = a_published_product_with_two_photos(&app);
    diesel::update(products::table.find(product_id))
        .set(products::status.eq("draft"))
        .execute(&mut *app.conn())
        .unwrap();
    let before = photo_order(&app, product_id);
    let n = before.len();
    let (earlier, last) = (before[n - 2].clone(), before[n - 1].clone());
    let mut staff = signed_in_as(&app, "foto@lapas.go.id", "staff", Some(unit_id), None).await;
    let path = format!("/kelola/produk/{product_id}");
    let form = staff.get(&path).await;
    assert!(first_at(&form.body, &earlier.1) < first_at(&form.body, &last.1));
    assert!(
        !form.body.contains(&format!("{path}/foto/{}/turun", last.0)),
        "the last photo cannot move further back"
    );
    let token = form.csrf_token().unwrap();
    let moved = staff
        .post(
            &format!("{path}/foto/{}/naik", last.0),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let form = staff.get(&path).await;
    assert!(form.body.contains("Urutan foto diubah."));
    assert!(
        first_at(&form.body, &last.1) < first_at(&form.body, &earlier.1),
        "one place up"
    );
    let order = photo_order(&app, product_id);
    assert_eq!((&order[n - 2], &order[n - 1]), (&last, &earlier));
    let back = staff
        .post(
            &format!("{path}/foto/{}/turun", last.0),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(photo_order(&app, product_id), before);
    assert_eq!(
        status_of(&app, product_id),
        "draft",
        "a draft stays a draft"
    );
}

#[actix_web::test]
async fn another_units_staff_are_refused_reordering_a_products_photos_and_nothing_moves() {
    let app = TestApp::spawn().await;
    let (product_id, unit_id, _, _) = a_published_product_with_two_photos(&app);
    let other_unit: i32 = units::table
        .filter(units::id.ne(unit_id))
        .filter(units::active.eq(1))
        .order(units::id.asc())
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut staff = signed_in_as(&app, "lain@lapas.go.id", "staff", Some(other_unit), None).await;
    let token = staff.csrf("/kelola").await;
    let before = photo_order(&app, product_id);
    let photo = before[1].0;
    for action in ["utama", "naik", "turun", "hapus"] {
        let page = staff
            .post(
                &format!("/kelola/produk/{product_id}/foto/{photo}/{action}"),
                &[("csrf_token", &token)],
            )
            .await;
        assert_eq!(page.status, 403, "{action}");
    }
    assert_eq!(photo_order(&app, product_id), before, "nothing moved");
    assert_eq!(status_of(&app, product_id), "published");
}
