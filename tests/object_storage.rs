//! Media on S3-compatible object storage (`MEDIA_S3_*`), against moto's S3 server
//! (`S3_TEST_ENDPOINT`, started by `./scripts/test`; without it these tests fail). Photos and
//! their variants are put once in the bucket's `media/` folder and served through the app with
//! the long cache header, or named at the bucket's public address; a photo taken down leaves
//! nothing behind. Private files (document scans, proposed logos) are kept under `private/`,
//! served by the app to those allowed, and never given a public address.

use crate::support;

use diesel::prelude::*;
use etalase::db::schema::{categories, certifications, product_photos, products, units};
use etalase::services::media::WIDTHS;
use support::s3::TestBucket;
use support::{jpeg, signed_in_as, Browser, TestApp, PDF};

/// The shop on `bucket` (with its public address when `public`), seeded as every test's.
async fn app_on(bucket: &TestBucket, public: bool) -> TestApp {
    let s3 = bucket.settings(public);
    TestApp::spawn_custom(Some(support::small_demo()), move |s| s.media_s3 = Some(s3)).await
}

/// The first unit: (id, province id).
fn first_unit(app: &TestApp) -> (i32, i32) {
    units::table
        .select((units::id, units::province_id))
        .order(units::id.asc())
        .first(&mut *app.conn())
        .unwrap()
}

/// A product of unit `unit_id`, set back to a draft (its staff may change its photos).
fn a_draft_of(app: &TestApp, unit_id: i32) -> i32 {
    let product_id: i32 = products::table
        .filter(products::unit_id.eq(unit_id))
        .order(products::id.asc())
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(products::table.find(product_id))
        .set(products::status.eq("draft"))
        .execute(&mut *app.conn())
        .unwrap();
    product_id
}

/// Uploads `photo` to product `product_id` through the staff form; gives the new photo's id
/// and path base.
async fn upload_photo(
    app: &TestApp,
    staff: &mut Browser<'_>,
    product_id: i32,
    photo: &[u8],
) -> (i32, String) {
    let path = format!("/kelola/produk/{product_id}");
    let token = staff.csrf(&path).await;
    let page = staff
        .post_multipart(
            &format!("{path}/foto"),
            &[
                ("csrf_token", &token),
                ("alt", "Tas rotan dilihat dari depan"),
            ],
            Some(("photo", "IMG_0001.jpg", photo)),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    product_photos::table
        .filter(product_photos::product_id.eq(product_id))
        .order(product_photos::position.desc())
        .select((product_photos::id, product_photos::path_base))
        .first(&mut *app.conn())
        .unwrap()
}

/// The keys of the bucket holding the files of the picture `base` (`products/3/ab12`) under
/// `folder` (`media` or `private/unit-profiles`).
async fn picture_keys(bucket: &TestBucket, folder: &str, base: &str) -> Vec<String> {
    let (dir, _) = base.rsplit_once('/').expect("a picture inside a folder");
    bucket
        .keys(&format!("{folder}/{dir}"))
        .await
        .into_iter()
        .filter(|k| k.starts_with(&format!("{folder}/{base}-")))
        .collect()
}

/// GET `path` from the app as bytes: (status, content type, cache control, body).
async fn get_bytes(app: &TestApp, path: &str) -> (u16, String, String, Vec<u8>) {
    let mut res = app
        .client
        .get(app.url(path))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (content_type, cache_control) = (header("content-type"), header("cache-control"));
    let body = res.body().limit(20 * 1024 * 1024).await.expect("a body");
    (
        res.status().as_u16(),
        content_type,
        cache_control,
        body.to_vec(),
    )
}

#[actix_web::test]
async fn a_photo_uploaded_by_unit_staff_is_stored_in_the_bucket_with_every_variant_and_served() {
    let bucket = TestBucket::create().await;
    let app = app_on(&bucket, false).await;
    let (unit_id, _) = first_unit(&app);
    let product_id = a_draft_of(&app, unit_id);
    let mut staff = signed_in_as(&app, "foto@lapas.go.id", "staff", Some(unit_id), None).await;
    let (_, base) = upload_photo(&app, &mut staff, product_id, &jpeg(900, 600)).await;

    let mut expected: Vec<String> = WIDTHS
        .iter()
        .map(|w| format!("media/{base}-{w}.jpg"))
        .collect();
    expected.sort();
    assert_eq!(
        picture_keys(&bucket, "media", &base).await,
        expected,
        "every variant is in the bucket's media/, and nothing else of it"
    );
    for width in WIDTHS {
        let name = format!("{base}-{width}.jpg");
        let object = bucket
            .object(&format!("media/{name}"))
            .await
            .unwrap_or_else(|| panic!("media/{name} is in the bucket"));
        assert_eq!(object.content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(
            object.cache_control.as_deref(),
            Some("public, max-age=31536000, immutable"),
            "the bucket serves it with the app's long cache header"
        );
        let decoded = image::load_from_memory(&object.bytes).expect("a JPEG");
        assert_eq!(decoded.width(), width.min(900), "never upscaled");
        assert!(
            !app.settings.media_dir.join(&name).exists(),
            "nothing is written to the media folder"
        );

        let (status, content_type, cache_control, body) =
            get_bytes(&app, &format!("/media/{name}")).await;
        assert_eq!(status, 200, "/media/{name} is served from the bucket");
        assert_eq!(content_type, "image/jpeg");
        assert!(cache_control.contains("immutable"), "{cache_control}");
        assert_eq!(body, object.bytes, "the app serves the bucket's file");
    }
    assert!(
        bucket.keys("private").await.is_empty(),
        "a photo is public media only"
    );
    let form = staff.get(&format!("/kelola/produk/{product_id}")).await;
    assert!(
        form.body.contains(&format!("/media/{base}-320.jpg")),
        "the staff form shows the photo"
    );
    assert_eq!(
        app.get(&format!("/media/{base}-9999.jpg")).await.status,
        404,
        "a variant that does not exist"
    );
}

#[actix_web::test]
async fn a_photo_taken_down_by_unit_staff_leaves_no_variant_in_the_bucket_and_its_address_answers_404(
) {
    let bucket = TestBucket::create().await;
    let app = app_on(&bucket, false).await;
    let (unit_id, _) = first_unit(&app);
    let product_id = a_draft_of(&app, unit_id);
    let mut staff = signed_in_as(&app, "foto@lapas.go.id", "staff", Some(unit_id), None).await;
    let (kept_id, kept) = upload_photo(&app, &mut staff, product_id, &jpeg(640, 480)).await;
    let (photo_id, base) = upload_photo(&app, &mut staff, product_id, &jpeg(800, 600)).await;
    assert_ne!(kept_id, photo_id);
    assert_eq!(
        picture_keys(&bucket, "media", &base).await.len(),
        WIDTHS.len()
    );
    assert_eq!(app.get(&format!("/media/{base}-480.jpg")).await.status, 200);

    let path = format!("/kelola/produk/{product_id}");
    let token = staff.csrf(&path).await;
    let removed = staff
        .post(
            &format!("{path}/foto/{photo_id}/hapus"),
            &[("csrf_token", &token)],
        )
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let left = picture_keys(&bucket, "media", &base).await;
    assert!(left.is_empty(), "variants left in the bucket: {left:?}");
    for width in WIDTHS {
        assert_eq!(
            app.get(&format!("/media/{base}-{width}.jpg")).await.status,
            404,
            "a photo taken down is not reachable by its address"
        );
    }
    assert_eq!(
        picture_keys(&bucket, "media", &kept).await.len(),
        WIDTHS.len(),
        "the product's other photo stays"
    );
}

#[actix_web::test]
async fn a_document_scan_in_object_storage_is_never_given_a_public_url() {
    let bucket = TestBucket::create().await;
    let app = app_on(&bucket, true).await;
    let public = bucket.public_url();
    let (unit_id, province_id) = first_unit(&app);
    let product_id: i32 = products::table
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq("published"))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    let token = staff.csrf("/kelola/dokumen").await;
    let product = product_id.to_string();
    let page = staff
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", &token),
                ("kind", "HKI"),
                ("number", "IDM000777001"),
                ("issuer", "DJKI Kementerian Hukum"),
                ("issued_on", "2024-01-15"),
                ("expires_on", "2034-01-15"),
                ("product_id", &product),
            ],
            Some(("scan", "sertifikat.pdf", PDF)),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let (id, rel): (i32, Option<String>) = certifications::table
        .filter(certifications::number.eq("IDM000777001"))
        .select((certifications::id, certifications::document_path))
        .first(&mut *app.conn())
        .unwrap();
    let rel = rel.expect("the scan is recorded");

    // In the bucket under private/, nowhere under media/.
    let object = bucket
        .object(&format!("private/{rel}"))
        .await
        .expect("the scan is kept under private/");
    assert_eq!(object.bytes, PDF);
    assert_eq!(object.content_type.as_deref(), Some("application/pdf"));
    assert!(
        object
            .cache_control
            .unwrap_or_default()
            .contains("no-store"),
        "no cache keeps it"
    );
    assert!(bucket.object(&format!("media/{rel}")).await.is_none());
    let media = bucket.keys("media").await;
    assert!(
        media.iter().all(|k| !k.ends_with(".pdf")),
        "no scan among public media: {media:?}"
    );

    // Neither the app's public media nor the bucket hands it to a visitor.
    for path in [
        format!("/media/{rel}"),
        format!("/media/private/{rel}"),
        format!("/media/%2E%2E/private/{rel}"),
    ] {
        assert_eq!(app.get(&path).await.status, 404, "{path}");
    }
    let anonymous = awc::Client::default()
        .get(format!("{public}/private/{rel}"))
        .send()
        .await
        .expect("moto answers");
    assert_ne!(
        anonymous.status().as_u16(),
        200,
        "the bucket itself keeps it private"
    );

    // Pages name it by the app's private address only.
    let scan_path = format!("/kelola/dokumen/{id}/berkas");
    let mut reviewer = signed_in_as(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    )
    .await;
    for (who, page) in [
        ("staff", staff.get("/kelola/dokumen").await),
        ("reviewer", reviewer.get("/kelola/tinjau").await),
    ] {
        assert!(page.body.contains(&scan_path), "{who}: {}", page.body);
        assert!(
            !page.body.contains(&rel),
            "{who}: the file's name is not on the page"
        );
        assert!(
            !page.body.contains(&format!("{public}/private")),
            "{who}: no public address of a private file"
        );
    }
    for browser in [&mut staff, &mut reviewer] {
        let scan = browser.get(&scan_path).await;
        assert_eq!(scan.status, 200);
        assert_eq!(
            scan.body.as_bytes(),
            PDF,
            "the app serves it from the bucket"
        );
        assert_eq!(
            scan.header("cache-control").as_deref(),
            Some("private, no-store")
        );
    }
    assert_eq!(
        app.get(&scan_path).await.status,
        303,
        "a visitor is sent to sign in"
    );
}

#[actix_web::test]
async fn with_a_public_address_the_shop_names_its_photos_at_the_bucket_and_lets_browsers_load_them()
{
    let bucket = TestBucket::create().await;
    let app = app_on(&bucket, true).await;
    let public = bucket.public_url();
    let (slug, category_id, base): (String, i32, String) = product_photos::table
        .inner_join(products::table.inner_join(units::table))
        .filter(product_photos::position.eq(0))
        .filter(products::status.eq("published"))
        .filter(units::active.eq(1))
        .order(products::id.asc())
        .select((
            products::slug,
            products::category_id,
            product_photos::path_base,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let category: String = categories::table
        .find(category_id)
        .select(categories::slug)
        .first(&mut *app.conn())
        .unwrap();

    let page = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(&format!("{public}/media/{base}-480.jpg 480w")),
        "the photos' srcset names the bucket's public address"
    );
    assert!(
        page.body
            .contains(&format!("content=\"{public}/media/{base}-1280.jpg\"")),
        "og:image is the bucket's address as it is, not under BASE_URL"
    );
    assert!(
        !page.body.contains(&format!("\"/media/{base}")),
        "no photo at the app's own address"
    );
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains(&format!("img-src 'self' data: {}", bucket.endpoint)),
        "browsers may load pictures from the bucket: {csp}"
    );
    let listing = app.get(&format!("/kategori/{category}")).await;
    assert_eq!(listing.status, 200);
    assert!(
        listing
            .body
            .contains(&format!("{public}/media/placeholder/")),
        "product cards too"
    );
    assert!(!listing.body.contains("\"/media/placeholder/"));
}

#[actix_web::test]
async fn a_proposed_logo_waits_under_private_in_the_bucket_and_becomes_public_media_once_approved()
{
    let bucket = TestBucket::create().await;
    let app = app_on(&bucket, true).await;
    let public = bucket.public_url();
    let (unit_id, province_id) = first_unit(&app);
    let mut staff = signed_in_as(&app, "staf@lapas.go.id", "staff", Some(unit_id), None).await;
    support::propose_logo(&mut staff, 300).await;
    let pending: Option<String> = units::table
        .find(unit_id)
        .select(units::pending_logo)
        .first(&mut *app.conn())
        .unwrap();
    let pending = pending.expect("a proposed logo");
    let base = etalase::services::media::variant_base(&pending)
        .expect("a variant file")
        .to_string();
    assert_eq!(
        picture_keys(&bucket, "private/unit-profiles", &base)
            .await
            .len(),
        WIDTHS.len(),
        "the proposal is kept under private/"
    );
    assert!(picture_keys(&bucket, "media", &base).await.is_empty());
    assert_eq!(app.get(&format!("/media/{pending}")).await.status, 404);
    let preview = staff
        .get(&format!("/kelola/unit/{unit_id}/usulan/logo"))
        .await;
    assert_eq!(preview.status, 200, "its staff see it through the app");
    assert!(preview
        .header("cache-control")
        .unwrap_or_default()
        .contains("no-store"));

    let mut reviewer = signed_in_as(
        &app,
        "peninjau@kemenimipas.go.id",
        "reviewer",
        None,
        Some(province_id),
    )
    .await;
    let review = format!("/kelola/tinjau/unit/{unit_id}");
    let page = reviewer.get(&review).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let version = {
        let needle = "name=\"version\" value=\"";
        let at = page.body.find(needle).expect("the version field") + needle.len();
        page.body[at..at + page.body[at..].find('"').unwrap()].to_string()
    };
    let token = page.csrf_token().unwrap();
    let approved = reviewer
        .post(
            &review,
            &[
                ("csrf_token", &token),
                ("version", &version),
                ("decision", "approve"),
                ("check_people", "1"),
            ],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);

    let logo: Option<String> = units::table
        .find(unit_id)
        .select(units::logo_path)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(logo.as_deref(), Some(pending.as_str()));
    assert_eq!(
        picture_keys(&bucket, "media", &base).await.len(),
        WIDTHS.len(),
        "approved, every variant is public media"
    );
    assert!(
        picture_keys(&bucket, "private/unit-profiles", &base)
            .await
            .is_empty(),
        "and the proposal is gone"
    );
    let slug: String = units::table
        .find(unit_id)
        .select(units::slug)
        .first(&mut *app.conn())
        .unwrap();
    let unit_page = app.get(&format!("/unit/{slug}")).await;
    assert!(
        unit_page
            .body
            .contains(&format!("{public}/media/{pending}")),
        "the unit's page names the logo at the bucket's public address"
    );
    assert_eq!(app.get(&format!("/media/{pending}")).await.status, 200);
}
