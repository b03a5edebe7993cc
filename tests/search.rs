//! The search page and suggestions on the demo shop, with the embedded engine.

use crate::support;

use std::time::{Duration, Instant};

use diesel::prelude::*;
use etalase::db::schema::products;
use etalase::models::product::{update_product, ProductEdit};
use support::TestApp;

fn a_published_product(app: &TestApp, name_start: &str) -> (i32, String, String) {
    products::table
        .filter(products::status.eq("published"))
        .filter(products::name.like(format!("{name_start}%")))
        .order(products::id.asc())
        .select((products::id, products::slug, products::name))
        .first(&mut *app.conn())
        .expect("a published product with that name")
}

#[actix_web::test]
async fn a_search_ranks_matching_products_and_shows_facets_with_counts() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=kopi").await;
    assert_eq!(page.status, 200);
    let links = page.links_under("/produk/");
    assert!(!links.is_empty(), "coffee is found");
    assert!(links[0].contains("kopi"), "a coffee comes first: {links:?}");
    for facet in [
        "name=\"kategori\"",
        "name=\"harga\"",
        "name=\"stok\"",
        "name=\"urut\"",
    ] {
        assert!(page.body.contains(facet), "facet {facet} shown");
    }
    assert!(page.body.contains("value=\"Kuliner\""), "coffee is food");
    assert!(page.body.contains("class=\"facet-count\""));
}

#[actix_web::test]
async fn filters_and_sorts_narrow_and_order_the_results() {
    let app = TestApp::spawn().await;
    let all = app.get("/cari?q=&kategori=Kuliner").await;
    assert_eq!(all.status, 200);
    let cheap = app
        .get("/cari?kategori=Kuliner&harga=0-50000&urut=termurah")
        .await;
    let prices: Vec<i64> = cheap
        .attr_values("data-price")
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(!prices.is_empty(), "cheap food exists in the demo");
    assert!(prices.iter().all(|p| *p <= 50_000), "{prices:?}");
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let dear = app.get("/cari?kategori=Kuliner&urut=termahal").await;
    let prices: Vec<i64> = dear
        .attr_values("data-price")
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] >= w[1]), "{prices:?}");
    assert!(dear.body.contains("facet-clear"), "filters can be cleared");
}

#[actix_web::test]
async fn bad_queries_filters_and_price_ranges_give_a_normal_page() {
    let app = TestApp::spawn().await;
    let long = "kopi".repeat(80);
    for q in [
        "/cari".to_string(),
        "/cari?q=".into(),
        format!("/cari?q={long}"),
        "/cari?q=%25%25%25%27%22%3B--".into(),
        "/cari?q=%F0%9F%98%80".into(),
        "/cari?q=kopi&warna=merah&kategori=Tidak%20Ada".into(),
        "/cari?q=kopi&harga_min=abc&harga_max=-5".into(),
        "/cari?q=kopi&harga_min=90000&harga_max=10000".into(),
        "/cari?q=kopi&harga=junk&urut=junk&page=-3".into(),
        "/cari?q=kopi&page=99999".into(),
        "/cari?q=a%22%20OR%20category%20%3D%20%22x".into(),
    ] {
        let page = app.get(&q).await;
        assert_eq!(page.status, 200, "{}", &q[..q.len().min(60)]);
        assert!(page.body.contains("<h1>"), "a normal page for {q}");
    }
}

#[actix_web::test]
async fn no_results_offer_close_matches_and_categories() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=kopiii%20zzzqqq").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/kategori/"), "categories are offered");
    let none = app.get("/cari?q=qqqqxxxx").await;
    assert!(none.links_under("/produk/").is_empty());
    assert!(none.body.contains("Jelajahi kategori"));
}

#[actix_web::test]
async fn suggestions_answer_json_for_search_as_you_type() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari/saran?q=kop").await;
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    let list = json["suggestions"].as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 6);
    assert!(list[0]["url"].as_str().unwrap().starts_with("/produk/"));
    assert!(list[0]["name"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("kop"));
    for q in ["", "k", "%25%25", &"x".repeat(400)] {
        let page = app.get(&format!("/cari/saran?q={q}")).await;
        assert_eq!(page.status, 200);
        let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        assert!(json["suggestions"].is_array());
    }
}

#[actix_web::test]
async fn english_words_find_indonesian_products_and_the_page_speaks_english() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=coffee&lang=en").await;
    assert_eq!(page.status, 200);
    let links = page.links_under("/en/produk/");
    assert!(!links.is_empty() && links[0].contains("kopi"), "{links:?}");
    assert!(page.body.contains("Filter results"));
}

#[actix_web::test]
async fn a_product_edit_appears_in_search_within_a_second() {
    let app = TestApp::spawn().await;
    let (id, slug, _) = a_published_product(&app, "Kopi");
    let changed_at = Instant::now();
    update_product(
        &mut app.conn(),
        id,
        &ProductEdit {
            name: Some("Kopi Luwak Istimewa Ciptagelar".into()),
            ..ProductEdit::default()
        },
    )
    .unwrap();
    // The second is counted from the edit, not from the first look.
    support::eventually_every(
        "the edit to be searchable within a second",
        Duration::from_secs(1).saturating_sub(changed_at.elapsed()),
        Duration::from_millis(50),
        async || {
            app.get("/cari?q=ciptagelar")
                .await
                .links_under("/produk/")
                .contains(&format!("/produk/{slug}"))
        },
    )
    .await;
    // Taking the product off the shop removes it from search too.
    update_product(
        &mut app.conn(),
        id,
        &ProductEdit {
            status: Some("archived"),
            ..ProductEdit::default()
        },
    )
    .unwrap();
    support::eventually_every(
        "the archived product to leave search within a second",
        Duration::from_secs(1),
        Duration::from_millis(50),
        async || {
            app.get("/cari?q=ciptagelar")
                .await
                .links_under("/produk/")
                .is_empty()
        },
    )
    .await;
}

/// The addresses of the active-filter chips of a search page.
fn chip_links(page: &support::Page) -> Vec<String> {
    let Some(list) = page
        .body
        .split("active-filters\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
    else {
        return Vec::new();
    };
    list.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&").replace("&#x2F;", "/"))
        .collect()
}

#[actix_web::test]
async fn each_filter_that_is_on_is_a_chip_that_leads_to_the_same_search_without_it() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=kopi&stok=1&harga=0-50000").await;
    assert_eq!(page.status, 200);
    let chips = chip_links(&page);
    // One chip per filter ("clear all" is a link of its own, `<a class=…`).
    assert_eq!(chips.len(), 2, "{chips:?}");
    assert!(chips.iter().all(|c| c.contains("q=kopi")), "{chips:?}");
    let without_stock = chips
        .iter()
        .find(|c| !c.contains("stok=") && c.contains("harga=0-50000"))
        .expect("a chip that drops the stock filter");
    let without_price = chips
        .iter()
        .find(|c| c.contains("stok=1") && !c.contains("harga"))
        .expect("a chip that drops the price filter");
    for next in [without_stock, without_price] {
        let page = app.get(next).await;
        assert_eq!(page.status, 200, "{next}");
        assert_eq!(chip_links(&page).len(), 1, "one chip left: {next}");
    }
}
