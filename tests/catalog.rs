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
        Some("/en/kategori/kuliner"),
        "the same page at its English address"
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

/// Gives the first published product `indonesian` and `english` as its descriptions; returns
/// the address of its page.
fn a_product_described_as(app: &TestApp, indonesian: &str, english: &str) -> String {
    let (id, slug): (i32, String) = products::table
        .filter(products::status.eq("published"))
        .order(products::id.asc())
        .select((products::id, products::slug))
        .first(&mut *app.conn())
        .unwrap();
    diesel::update(products::table.find(id))
        .set((
            products::description.eq(indonesian),
            products::description_en.eq(english),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    format!("/produk/{slug}")
}

#[actix_web::test]
async fn a_product_page_shows_its_description_in_the_readers_language_only() {
    let app = TestApp::spawn().await;
    let indonesian = "Kopi arabika Gayo disangrai sedang di bengkel kerja unit.";
    let english = "Gayo arabica coffee, medium roasted in the workshop of the unit.";
    let path = a_product_described_as(&app, indonesian, english);
    let mut reader = support::Browser::new(&app);

    let page = reader.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"id\""));
    assert!(
        page.body.contains(&format!("<p>{indonesian}</p>")),
        "the Indonesian paragraph is shown"
    );
    assert!(
        !page.body.contains("arabica coffee"),
        "no English text anywhere on the Indonesian page"
    );
    assert!(page.body.contains(&format!(
        "<meta name=\"description\" content=\"{indonesian}\">"
    )));
    assert_eq!(page.json_ld()["description"], indonesian);
    assert!(!page.body.contains("<div lang=\"id\">"), "nothing to label");

    let switch = reader.get(&format!("/bahasa/en?next={path}")).await;
    assert_eq!(switch.status, 303);
    assert_eq!(switch.location(), format!("/en{path}"));
    let page = reader.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"en\""));
    assert!(
        page.body.contains(&format!("<p>{english}</p>")),
        "the English paragraph is shown"
    );
    assert!(
        !page.body.contains("disangrai sedang"),
        "no Indonesian text anywhere on the English page"
    );
    assert!(!page.body.contains("Description in Indonesian"));
    assert!(page.body.contains(&format!(
        "<meta name=\"description\" content=\"{english}\">"
    )));
    assert!(page.body.contains(&format!(
        "<meta property=\"og:description\" content=\"{english}\">"
    )));
    assert_eq!(page.json_ld()["description"], english);
}

#[actix_web::test]
async fn an_english_reader_of_a_product_without_english_text_sees_the_indonesian_text_labelled() {
    let app = TestApp::spawn().await;
    let indonesian = "Tas rotan dianyam tangan oleh bengkel kerja unit.";
    let path = a_product_described_as(&app, indonesian, "");

    let page = app.get_with_cookie(&path, Some("lang=en")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"en\""));
    let label = page
        .body
        .find("Description in Indonesian")
        .expect("the Indonesian text is labelled");
    let block = page
        .body
        .find("<div lang=\"id\">")
        .expect("the Indonesian text is marked as Indonesian for screen readers");
    let text = page
        .body
        .find(&format!("<p>{indonesian}</p>"))
        .expect("the Indonesian text is shown");
    assert!(label < block && block < text, "label, then the marked text");
    assert_eq!(page.json_ld()["description"], indonesian);
    assert!(page.body.contains(&format!(
        "<meta name=\"description\" content=\"{indonesian}\">"
    )));

    let page = app.get(&path).await;
    assert!(page.body.contains(&format!("<p>{indonesian}</p>")));
    assert!(
        !page.body.contains("Deskripsi dalam bahasa Indonesia"),
        "Indonesian readers need no label"
    );
    assert!(!page.body.contains("<div lang=\"id\">"));
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

/// Every `<script type="application/ld+json">` of a page, parsed, in order.
fn json_ld_scripts(page: &support::Page) -> Vec<serde_json::Value> {
    let start_tag = "<script type=\"application/ld+json\">";
    page.body
        .match_indices(start_tag)
        .map(|(at, _)| {
            let from = at + start_tag.len();
            let end = from + page.body[from..].find("</script>").expect("end of JSON-LD");
            serde_json::from_str(&page.body[from..end]).expect("valid JSON-LD")
        })
        .collect()
}

/// The page's `BreadcrumbList`: (position, name, address) of each step.
fn breadcrumbs_of(page: &support::Page) -> Vec<(i64, String, String)> {
    let scripts = json_ld_scripts(page);
    let list = scripts
        .iter()
        .find(|ld| ld["@type"] == "BreadcrumbList")
        .unwrap_or_else(|| panic!("a BreadcrumbList among {scripts:?}"));
    assert_eq!(list["@context"], "https://schema.org");
    list["itemListElement"]
        .as_array()
        .expect("itemListElement is a list")
        .iter()
        .map(|item| {
            assert_eq!(item["@type"], "ListItem");
            (
                item["position"].as_i64().expect("a position"),
                item["name"].as_str().expect("a name").to_string(),
                item["item"].as_str().expect("an address").to_string(),
            )
        })
        .collect()
}

/// The value of the page's `<meta name="description">`.
fn meta_description(page: &support::Page) -> String {
    let tag = "<meta name=\"description\" content=\"";
    let from = page.body.find(tag).expect("a meta description") + tag.len();
    let end = from + page.body[from..].find('"').expect("end of the description");
    page.body[from..end].to_string()
}

/// The text of the page's `<title>`.
fn title_of(page: &support::Page) -> String {
    let from = page.body.find("<title>").expect("a title") + "<title>".len();
    let end = from
        + page.body[from..]
            .find("</title>")
            .expect("end of the title");
    page.body[from..end].to_string()
}

#[actix_web::test]
async fn a_product_page_says_how_many_were_sold_on_the_web_and_at_booths() {
    use etalase::domain::fair::SaleMethod;
    use etalase::models::booth_sale::{record_sale, SaleOutcome, SaleRequest};
    use support::shop::{confirm_transfer, order_behind, place_order, two_products_of_two_units};
    let app = TestApp::spawn().await;
    let [(id, slug, _), _] = two_products_of_two_units(&app);
    diesel::update(products::table.find(id))
        .set(products::stock.eq(20))
        .execute(&mut *app.conn())
        .unwrap();
    let path = format!("/produk/{slug}");
    let sold_line = |page: &support::Page| -> Option<String> {
        let at = page.body.find("<p class=\"sold\">")? + "<p class=\"sold\">".len();
        let end = at + page.body[at..].find("</p>")?;
        Some(page.body[at..end].to_string())
    };
    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(sold_line(&page), None, "nothing sold yet, nothing said");

    // Two pieces ordered: not sold while the order waits for its payment.
    let mut buyer = support::Browser::new(&app);
    let placed = place_order(&mut buyer, &[(id, 2)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert_eq!(
        sold_line(&app.get(&path).await),
        None,
        "an unpaid order is not a sale"
    );
    let (order_id, total, _) = order_behind(&app, &placed.location());
    confirm_transfer(&app, order_id, total).await;
    assert_eq!(
        sold_line(&app.get(&path).await).as_deref(),
        Some("Terjual 2")
    );

    // Three more at a fair booth.
    let (event_id, unit_id) = support::fair::live_fair_with_booth(&app, id);
    let seller = support::create_account(
        &app,
        "kasir-terjual@lapas.go.id",
        "staff",
        Some(unit_id),
        None,
    );
    let recorded = record_sale(
        &mut app.conn(),
        &SaleRequest {
            event_id,
            unit_id,
            product_id: id,
            quantity: 3,
            method: SaleMethod::Cash,
            key: "penjualan-uji-terjual-1".into(),
            actor_id: seller,
            sold_on: etalase::domain::fair::fair_day(chrono::Utc::now()),
        },
    );
    assert!(
        matches!(recorded, Ok(SaleOutcome::Recorded { .. })),
        "{recorded:?}"
    );
    let page = app.get(&path).await;
    assert_eq!(sold_line(&page).as_deref(), Some("Terjual 5"));
    let price = page.body.find("class=\"price\"").expect("the price");
    let sold = page.body.find("class=\"sold\"").unwrap();
    assert!(sold > price && sold - price < 200, "said beside the price");
    let english = app.get(&format!("{path}?lang=en")).await;
    assert_eq!(sold_line(&english).as_deref(), Some("5 sold"));
}

#[actix_web::test]
async fn a_product_page_says_where_it_ships_from_and_the_lowest_shipping_price() {
    use etalase::db::schema::{provinces, units};
    use etalase::domain::format_rupiah;
    use etalase::domain::order::{chargeable_kg, region_of, shipping_options};
    let app = TestApp::spawn().await;
    let [(id, slug, _), _] = support::shop::two_products_of_two_units(&app);
    type Row = (i32, i32, i32, i32, String, String, String);
    let (weight, length, width, height, city, province, island): Row = products::table
        .inner_join(units::table.inner_join(provinces::table))
        .filter(products::id.eq(id))
        .select((
            products::weight_g,
            products::length_cm,
            products::width_cm,
            products::height_cm,
            units::city,
            provinces::name,
            provinces::island_group,
        ))
        .first(&mut *app.conn())
        .unwrap();
    // One piece, weighed as checkout weighs it, to the region where it costs least, by the
    // cheapest courier (picking it up at the unit is not shipping).
    let kg = chargeable_kg(
        i64::from(weight),
        i64::from(length),
        i64::from(width),
        i64::from(height),
    );
    let origin = region_of(&island);
    let lowest = (0..7)
        .flat_map(|destination| shipping_options(origin, destination, kg))
        .filter(|o| o.code != "ambil")
        .map(|o| o.fee)
        .min()
        .expect("a courier");
    assert!(lowest > 0);

    let page = app.get(&format!("/produk/{slug}")).await;
    assert_eq!(page.status, 200);
    let said = format!(
        "Dikirim dari {city}, {province} · ongkir mulai {}",
        format_rupiah(lowest)
    );
    assert!(page.body.contains(&said), "{said}");
    assert!(
        page.body.contains("bisa juga diambil di unit"),
        "the unit offers pickup"
    );
    let hint = page
        .body
        .find("class=\"ship-hint\"")
        .expect("a shipping hint");
    let form = page
        .body
        .find("class=\"add-to-cart\"")
        .expect("the buy box");
    assert!(hint > form, "under the buy box");

    let english = app.get(&format!("/produk/{slug}?lang=en")).await;
    let said = format!(
        "Ships from {city}, {province} · shipping from {}",
        format_rupiah(lowest)
    );
    assert!(english.body.contains(&said), "{said}");
}

#[actix_web::test]
async fn a_product_page_describes_its_breadcrumbs_for_search_engines() {
    let app = TestApp::spawn().await;
    let listing = app.get("/kategori/kuliner").await;
    assert_eq!(listing.status, 200);
    let canonical_of = |page: &support::Page| -> String {
        let tag = "<link rel=\"canonical\" href=\"";
        let from = page.body.find(tag).expect("a canonical link") + tag.len();
        page.body[from..from + page.body[from..].find('"').unwrap()].to_string()
    };
    let category_url = canonical_of(&listing);
    let home_url = category_url
        .trim_end_matches("/kategori/kuliner")
        .to_string()
        + "/";
    assert!(home_url.starts_with("http"), "absolute: {home_url}");
    assert_eq!(
        breadcrumbs_of(&listing),
        vec![
            (1_i64, "Beranda".to_string(), home_url.clone()),
            (2_i64, "Kuliner".to_string(), category_url.clone()),
        ]
    );

    let link = listing.first_link_under("/produk/");
    let page = app.get(&link).await;
    assert_eq!(page.status, 200);
    let product = page.json_ld();
    assert_eq!(
        product["@type"], "Product",
        "the product's own JSON-LD comes first"
    );
    let name = product["name"].as_str().unwrap().to_string();
    let product_url = canonical_of(&page);
    assert_eq!(product["offers"]["url"], product_url.as_str());
    assert_eq!(
        breadcrumbs_of(&page),
        vec![
            (1_i64, "Beranda".to_string(), home_url.clone()),
            (2_i64, "Kuliner".to_string(), category_url.clone()),
            (3_i64, name.clone(), product_url),
        ]
    );

    let english = app.get(&format!("{link}?lang=en")).await;
    let names: Vec<String> = breadcrumbs_of(&english)
        .into_iter()
        .map(|(_, n, _)| n)
        .collect();
    assert_eq!(
        names,
        vec!["Home".to_string(), "Food and Drink".to_string(), name]
    );
}

#[actix_web::test]
async fn search_fair_and_sign_in_pages_describe_themselves_instead_of_repeating_their_title() {
    let app = TestApp::spawn().await;
    for path in [
        "/cari",
        "/cari?q=kopi",
        "/pameran",
        "/masuk",
        "/cari?lang=en",
        "/pameran?lang=en",
        "/masuk?lang=en",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        let title = title_of(&page);
        let bare = title.trim_end_matches(" — Etalase");
        let description = meta_description(&page);
        assert!(
            description.chars().count() > 60 && description != bare && description != title,
            "{path}: {description:?} only repeats {title:?}"
        );
    }
    let searched = meta_description(&app.get("/cari?q=kopi").await);
    assert!(
        searched.contains("“kopi”"),
        "the query is named: {searched}"
    );
    let english = meta_description(&app.get("/pameran?lang=en").await);
    assert!(english.contains("booth plan"), "{english}");
}

/// The number in a count such as "1.234 produk".
fn count_in(text: &str) -> i64 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a count in {text:?}"))
}

/// The count in the first paragraph of class `class` in `html`.
fn count_of_class(html: &str, class: &str) -> i64 {
    let text = html
        .split(&format!("class=\"{class}\">"))
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .unwrap_or_else(|| panic!("a paragraph of class {class}"));
    count_in(text)
}

/// The count the home page shows on the card of category `slug`.
fn home_count(body: &str, slug: &str) -> i64 {
    let card = body
        .split("class=\"card category-card\"")
        .skip(1) // the navigation links every category too
        .find(|card| card.contains(&format!("href=\"/kategori/{slug}\"")))
        .unwrap_or_else(|| panic!("a card for {slug}"));
    count_of_class(card, "category-count")
}

/// The total a category listing shows.
fn listing_total(body: &str) -> i64 {
    count_of_class(body, "result-count")
}

#[actix_web::test]
async fn the_home_page_counts_each_category_as_its_listing_does_whichever_is_seen_first() {
    let app = TestApp::spawn().await;
    // The listing first: its total is remembered, and the home page reads it from there.
    let listing = listing_total(&app.get("/kategori/kuliner").await.body);
    let home = app.get("/").await;
    assert_eq!(home.status, 200);
    assert_eq!(home_count(&home.body, "kuliner"), listing);
    let mut conn = app.conn();
    let published: i64 = products::table
        .filter(
            products::category_id.eq_any(
                etalase::db::schema::categories::table
                    .filter(etalase::db::schema::categories::slug.eq("mebel-dan-kayu"))
                    .select(etalase::db::schema::categories::id),
            ),
        )
        .filter(products::status.eq("published"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    drop(conn);
    // The home page first: it counts every category at once, and a listing shows the same.
    assert_eq!(home_count(&home.body, "mebel-dan-kayu"), published);
    let furniture = app.get("/kategori/mebel-dan-kayu").await;
    assert_eq!(listing_total(&furniture.body), published);
}
