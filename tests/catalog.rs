//! The public catalogue: home, listings, product, unit and province pages, languages, errors.

use crate::support;

use diesel::prelude::*;
use etalase::db::schema::{certifications, products};
use support::TestApp;

fn prices_in(body: &str) -> Vec<i64> {
    // Card prices are marked up as data-price="125000".
    body.match_indices("data-price=\"")
        .filter_map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

#[actix_web::test]
async fn health_reports_ok_and_names_the_database_backend() {
    let app = TestApp::spawn().await;
    let page = app.get("/health").await;
    assert_eq!(page.status, 200);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "ok");
    let expected = if app.is_postgres() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(json["database"], expected);
}

#[actix_web::test]
async fn ready_answers_when_database_and_search_answer_and_refuses_traffic_when_search_is_down() {
    let app = TestApp::spawn().await;
    let page = app.get("/ready").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "ready");
    assert_eq!(json["search"], "embedded");

    // Meilisearch configured but unreachable: still alive, not ready.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.meili = Some(etalase::config::MeiliSettings {
            url: format!("http://127.0.0.1:{closed}"),
            master_key: "a-master-key-of-sixteen".into(),
        });
    })
    .await;
    assert_eq!(app.get("/health").await.status, 200);
    let page = app.get("/ready").await;
    assert_eq!(page.status, 503, "{}", page.body);
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json["status"], "unavailable");
    assert_eq!(json["search"], "unavailable");
    assert_ne!(json["database"], "unreachable");
}

#[actix_web::test]
async fn home_shows_featured_products_categories_units_and_all_provinces_in_indonesian() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"id\""));
    assert!(page.body.contains("Kuliner"));
    assert!(
        !page.links_under("/produk/").is_empty(),
        "featured products are linked"
    );
    assert!(!page.links_under("/unit/").is_empty(), "units are linked");
    assert_eq!(
        page.links_under("/provinsi/").len(),
        38,
        "all 38 provinces are linked"
    );
    assert!(page.links_under("/kategori/").len() >= 7);
}

#[actix_web::test]
async fn english_is_chosen_by_query_and_remembered_by_the_language_switch() {
    let app = TestApp::spawn().await;
    let page = app.get("/?lang=en").await;
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("Food and Drink"));

    let switch = app.get("/bahasa/en?next=/kategori/kuliner").await;
    assert_eq!(switch.status, 303);
    assert_eq!(
        switch.header("location").as_deref(),
        Some("/kategori/kuliner")
    );
    let cookie = switch.header("set-cookie").expect("a language cookie");
    assert!(cookie.starts_with("lang=en"));
    let page = app
        .get_with_cookie("/kategori/kuliner", Some("lang=en"))
        .await;
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(page.body.contains("Food and Drink"));

    let evil = app.get("/bahasa/id?next=//evil.example").await;
    assert_eq!(evil.header("location").as_deref(), Some("/"));
}

#[actix_web::test]
async fn category_listing_sorts_by_price_and_paginates() {
    let app = TestApp::spawn().await;
    let cheap = app.get("/kategori/kuliner?sort=price_asc").await;
    assert_eq!(cheap.status, 200);
    let prices = prices_in(&cheap.body);
    assert!(
        prices.len() >= 10,
        "a full page of food products, got {}",
        prices.len()
    );
    assert!(
        prices.windows(2).all(|w| w[0] <= w[1]),
        "ascending: {prices:?}"
    );

    let dear = app.get("/kategori/kuliner?sort=price_desc").await;
    let prices = prices_in(&dear.body);
    assert!(
        prices.windows(2).all(|w| w[0] >= w[1]),
        "descending: {prices:?}"
    );

    let first = app.get("/kategori/kuliner?sort=price_asc").await;
    let second = app.get("/kategori/kuliner?sort=price_asc&page=2").await;
    assert_eq!(second.status, 200);
    let a = first.links_under("/produk/");
    let b = second.links_under("/produk/");
    assert!(!b.is_empty());
    assert!(
        b.iter().all(|l| !a.contains(l)),
        "page 2 repeats nothing of page 1"
    );
    assert!(first.body.contains("page=2"), "page 1 links to page 2");
}

#[actix_web::test]
async fn bad_listing_parameters_fall_back_instead_of_failing() {
    let app = TestApp::spawn().await;
    for query in [
        "?page=-1",
        "?sort=junk",
        "?page=abc&sort=%00",
        "?page=99999999999999999999",
        "?page=500",
        "?sort=price_asc&sort=price_desc",
        "?%zz=1",
    ] {
        let page = app.get(&format!("/kategori/kuliner{query}")).await;
        assert_eq!(page.status, 200, "query {query}");
    }
}

#[actix_web::test]
async fn product_page_shows_price_unit_share_link_and_structured_data() {
    let app = TestApp::spawn().await;
    let listing = app.get("/kategori/fesyen-dan-tekstil").await;
    let link = listing.links_under("/produk/")[0].clone();
    let page = app.get(&link).await;
    assert_eq!(page.status, 200);

    let ld = page.json_ld();
    assert_eq!(ld["@type"], "Product");
    assert_eq!(ld["offers"]["priceCurrency"], "IDR");
    let price = ld["offers"]["price"].as_i64().unwrap();
    let slug = link.trim_start_matches("/produk/");
    let stored: i64 = products::table
        .filter(products::slug.eq(slug))
        .select(products::price)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(price, stored);
    let shown = etalase::domain::Rupiah::new(stored).unwrap().to_string();
    assert!(page.body.contains(&shown), "price {shown} is shown");

    assert!(page.body.contains("property=\"og:title\""));
    assert!(page.body.contains("property=\"og:image\""));
    assert!(page
        .attr_values("href")
        .iter()
        .any(|h| h.starts_with("https://wa.me/?text=")));
    assert!(!page.links_under("/unit/").is_empty());
    assert!(page.body.contains("srcset=\"/media/placeholder/"));
}

#[actix_web::test]
async fn legal_badges_show_only_verified_documents_that_have_not_expired() {
    let app = TestApp::spawn().await;
    let today = etalase::models::today_iso();
    let rows: Vec<(String, String, Option<String>, String)> = certifications::table
        .inner_join(products::table.on(certifications::product_id.eq(products::id.nullable())))
        .filter(products::status.eq("published"))
        .select((
            products::slug,
            certifications::status,
            certifications::expires_on,
            certifications::number,
        ))
        .load(&mut *app.conn())
        .unwrap();
    let shown = rows
        .iter()
        .find(|r| etalase::domain::badge_is_public(&r.1, r.2.as_deref(), &today))
        .expect("a product with a valid document");
    let expired = rows
        .iter()
        .find(|r| r.1 == "verified" && r.2.as_deref().is_some_and(|d| d < today.as_str()))
        .expect("a product with an expired document");
    let pending = rows
        .iter()
        .find(|r| r.1 == "submitted")
        .expect("a product with a document waiting for review");

    let page = app.get(&format!("/produk/{}", shown.0)).await;
    assert!(
        page.body.contains(&shown.3),
        "verified number {} is shown",
        shown.3
    );
    let page = app.get(&format!("/produk/{}", expired.0)).await;
    assert!(!page.body.contains(&expired.3), "expired number is hidden");
    let page = app.get(&format!("/produk/{}", pending.0)).await;
    assert!(
        !page.body.contains(&pending.3),
        "unverified number is hidden"
    );
}

#[actix_web::test]
async fn unit_and_province_pages_show_the_brand_story_and_products() {
    let app = TestApp::spawn().await;
    let page = app.get("/unit/lapas-kelas-i-sukamiskin").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Lapas Kelas I Sukamiskin"));
    assert!(page.body.contains("Bandung"));
    assert!(page.body.contains("bengkel kerja"));
    let province = app.get("/provinsi/jawa-barat").await;
    assert_eq!(province.status, 200);
    assert!(province
        .links_under("/unit/")
        .contains(&"/unit/lapas-kelas-i-sukamiskin".to_string()));
}

#[actix_web::test]
async fn unknown_pages_give_a_localized_not_found_page() {
    let app = TestApp::spawn().await;
    for path in [
        "/produk/tidak-ada",
        "/kategori/tidak-ada",
        "/unit/tidak-ada",
        "/provinsi/tidak-ada",
        "/halaman/yang/tidak/ada",
        "/produk/..%2F..%2Fetc",
        "/produk/%F0%9F%98%80",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.body.contains("<html lang=\"id\""),
            "{path} is an HTML page"
        );
        assert!(
            page.body.contains("tidak ditemukan"),
            "{path} says so in Indonesian"
        );
    }
    let page = app.get("/produk/tidak-ada?lang=en").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("not found"));
}

#[actix_web::test]
async fn drafts_and_products_under_review_are_not_public() {
    let app = TestApp::spawn().await;
    let hidden: Vec<String> = products::table
        .filter(products::status.ne("published"))
        .select(products::slug)
        .limit(3)
        .load(&mut *app.conn())
        .unwrap();
    assert!(!hidden.is_empty());
    for slug in hidden {
        assert_eq!(app.get(&format!("/produk/{slug}")).await.status, 404);
    }
}

#[actix_web::test]
async fn static_files_and_photos_are_served_with_cache_headers() {
    let app = TestApp::spawn().await;
    let css = app.get("/static/css/site.css").await;
    assert_eq!(css.status, 200);
    let page = app.get("/kategori/seni").await;
    let src = page
        .attr_values("src")
        .into_iter()
        .find(|s| s.starts_with("/media/"))
        .expect("a photo");
    let photo = app.get(&src).await;
    assert_eq!(photo.status, 200);
    assert!(photo.header("cache-control").unwrap().contains("immutable"));
    assert_eq!(photo.header("content-type").as_deref(), Some("image/jpeg"));
}

#[actix_web::test]
async fn the_search_box_finds_products_by_name_and_survives_any_input() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=KOPI").await;
    assert_eq!(page.status, 200);
    let links = page.links_under("/produk/");
    assert!(!links.is_empty(), "coffee is found whatever the case");
    assert!(links.iter().all(|l| l.contains("kopi")), "{links:?}");
    let long = "a".repeat(5000);
    for q in [
        "",
        "%25%25%25",
        "%27%22%3B--",
        "_",
        &long,
        "%F0%9F%98%80",
        "kopi&page=-3&sort=junk",
    ] {
        let page = app.get(&format!("/cari?q={q}")).await;
        assert_eq!(page.status, 200, "q={}", &q[..q.len().min(20)]);
    }
    let none = app.get("/cari?q=zzzzqqq").await;
    assert!(
        none.body.contains("/kategori/"),
        "no results suggests categories"
    );
}

#[actix_web::test]
async fn catalogue_pages_come_from_the_page_cache_until_a_sale_changes_the_stock() {
    use support::shop::{place_order, stock_of, two_products_of_two_units};
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| s.page_cache_secs = 60).await;
    let [(id, slug, stock), _] = two_products_of_two_units(&app);
    let path = format!("/produk/{slug}");
    let first = app.get(&path).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-cache"), None, "rendered the first time");
    // The start-up jobs (documents expiring today) change the catalogue once at first, which
    // drops cached pages: a hit may take a moment. A change can only cause a miss, never a
    // stale hit.
    let second = eventually_cached(&app, &path).await;
    assert_eq!(second.body, first.body);
    assert!(second.body.contains(&format!("max=\"{stock}\"")));
    let english = app.get(&format!("{path}?lang=en")).await;
    assert_eq!(
        english.header("x-cache"),
        None,
        "each language is its own page"
    );
    assert!(english.body.contains("lang=\"en\""));
    assert_eq!(app.get("/").await.header("x-cache"), None);
    eventually_cached(&app, "/").await;

    // A purchase through the shop changes the stock: the next view is fresh.
    let mut buyer = support::Browser::new(&app);
    let placed = place_order(&mut buyer, &[(id, 2)]).await;
    assert_eq!(placed.status, 303);
    assert_eq!(stock_of(&app, id), stock - 2);
    let after = app.get(&path).await;
    assert_eq!(
        after.header("x-cache"),
        None,
        "the sale dropped the cached page"
    );
    assert!(after.body.contains(&format!("max=\"{}\"", stock - 2)));
    assert_eq!(
        app.get("/").await.header("x-cache"),
        None,
        "every page is dropped"
    );
    // Pages for a visitor's own things are never cached.
    let cart = buyer.get("/keranjang").await;
    assert_eq!(cart.header("x-cache"), None);
}

/// GETs `path` until it comes from the page cache (within 10 seconds: the 50 tries of 100 ms it
/// had before, with room for the requests themselves).
async fn eventually_cached(app: &TestApp, path: &str) -> support::Page {
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
