//! What crawlers, link checkers and browsers ask of the site besides pages: `HEAD`,
//! `robots.txt`, the sitemap, `/favicon.ico` and fingerprinted static files.

use crate::support::TestApp;
use diesel::prelude::*;
use etalase::db::schema::products;

#[actix_web::test]
async fn a_head_request_is_answered_like_the_get_without_a_body() {
    let app = TestApp::spawn().await;
    let get = app.get("/").await;
    let mut head = app.client.head(app.url("/")).send().await.expect("HEAD /");
    assert_eq!(head.status().as_u16(), 200);
    assert_eq!(
        head.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        get.header("content-type").as_deref()
    );
    assert!(head.body().await.unwrap().is_empty());
    let missing = app
        .client
        .head(app.url("/produk/tidak-ada"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}

#[actix_web::test]
async fn robots_keeps_crawlers_out_of_private_pages_and_the_sitemap_lists_every_public_one() {
    let app = TestApp::spawn().await;
    let robots = app.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    for private in ["/kelola", "/keranjang", "/checkout", "/pesanan", "/masuk"] {
        assert!(
            robots.body.contains(&format!("Disallow: {private}\n")),
            "{}",
            robots.body
        );
    }
    assert!(robots.body.contains("Sitemap: http://"));

    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("application/xml"));
    assert!(index.body.contains("/sitemap/halaman.xml</loc>"));
    assert!(index.body.contains("/sitemap/produk-1.xml</loc><lastmod>"));

    let pages = app.get("/sitemap/halaman.xml").await;
    for kind in [
        "/kategori/",
        "/provinsi/",
        "/unit/",
        "/pameran</loc>",
        "/bantuan</loc>",
    ] {
        assert!(pages.body.contains(kind), "{kind} in the sitemap");
    }

    let products_file = app.get("/sitemap/produk-1.xml").await;
    assert_eq!(products_file.status, 200);
    let published: Vec<String> = products::table
        .filter(products::status.eq("published"))
        .select(products::slug)
        .load(&mut *app.conn())
        .unwrap();
    let hidden: Vec<String> = products::table
        .filter(products::status.ne("published"))
        .select(products::slug)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(
        products_file.body.matches("<url>").count(),
        published.len(),
        "every published product, once"
    );
    for slug in published.iter().take(20) {
        assert!(products_file
            .body
            .contains(&format!("/produk/{slug}</loc>")));
    }
    for slug in hidden.iter() {
        assert!(
            !products_file
                .body
                .contains(&format!("/produk/{slug}</loc>")),
            "{slug} is not published"
        );
    }
    assert_eq!(app.get("/sitemap/produk-0.xml").await.status, 404);
    assert_eq!(app.get("/sitemap/produk-x.xml").await.status, 404);

    let icon = app.get("/favicon.ico").await;
    assert_eq!(icon.status, 301);
    assert_eq!(
        icon.header("location").as_deref(),
        Some("/static/icons/favicon.svg")
    );
}

#[actix_web::test]
async fn stylesheet_and_scripts_are_fingerprinted_and_kept_a_year_by_browsers() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await;
    let css = home
        .attr_values("href")
        .into_iter()
        .find(|h| h.starts_with("/static/css/site.css?v="))
        .expect("the stylesheet under a versioned address");
    let versioned = app.get(&css).await;
    assert_eq!(versioned.status, 200);
    assert_eq!(
        versioned.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let plain = app.get("/static/css/site.css").await;
    assert_eq!(
        plain.header("cache-control").as_deref(),
        Some("public, max-age=86400")
    );
    assert!(home
        .attr_values("src")
        .iter()
        .any(|s| s.starts_with("/static/js/search-suggest.js?v=")));
}

#[actix_web::test]
async fn pages_and_stylesheets_go_out_compressed_to_browsers_that_ask_and_photos_do_not() {
    let app = TestApp::spawn().await;
    for (path, encoding) in [
        ("/", "br"),
        ("/", "gzip"),
        ("/static/css/site.css", "gzip"),
        ("/static/icons/favicon.svg", "br"),
    ] {
        let res = app
            .client
            .get(app.url(path))
            .insert_header(("Accept-Encoding", encoding))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200, "{path}");
        assert_eq!(
            res.headers()
                .get("content-encoding")
                .and_then(|v| v.to_str().ok()),
            Some(encoding),
            "{path} with {encoding}"
        );
    }
    let plain = app.get("/").await;
    assert_eq!(plain.header("content-encoding"), None, "only when asked");
}

/// The address of a page's `og:image`.
fn share_image(page: &crate::support::Page) -> Option<String> {
    page.body
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_string)
}

#[actix_web::test]
async fn every_public_page_shows_a_picture_when_shared_and_a_product_shows_its_own_photo() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await;
    let unit = home.first_link_under("/unit/");
    for path in ["/", "/pameran", "/cari?q=kopi", "/bantuan", unit.as_str()] {
        let page = app.get(path).await;
        let image = share_image(&page).unwrap_or_else(|| panic!("{path} has an og:image"));
        assert!(
            image.starts_with("http"),
            "{path}: an absolute address, {image}"
        );
    }
    let shared = app.get("/static/icons/share.png").await;
    assert_eq!(shared.status, 200);
    assert_eq!(shared.header("content-type").as_deref(), Some("image/png"));
    let product = app.get(&home.first_link_under("/produk/")).await;
    let image = share_image(&product).unwrap();
    assert!(
        image.contains("/media/"),
        "a product shares its own photo: {image}"
    );
}

#[actix_web::test]
async fn a_phone_can_add_the_shop_to_its_home_screen_with_a_manifest_and_icons() {
    let app = TestApp::spawn().await;
    let home = app.get("/").await;
    let hrefs = home.attr_values("href");
    let manifest = hrefs
        .iter()
        .find(|h| h.starts_with("/static/manifest.webmanifest"))
        .expect("the page links its manifest");
    let touch = hrefs
        .iter()
        .find(|h| h.starts_with("/static/icons/apple-touch-icon.png"))
        .expect("an icon for iPhones");
    let manifest = app.get(manifest).await;
    assert_eq!(manifest.status, 200);
    let json: serde_json::Value = serde_json::from_str(&manifest.body).expect("JSON");
    assert_eq!(json["short_name"], "Etalase");
    assert_eq!(json["start_url"], "/");
    for icon in json["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        assert_eq!(app.get(src).await.status, 200, "{src}");
    }
    let touch = app.get(touch).await;
    assert_eq!(touch.header("content-type").as_deref(), Some("image/png"));
}
