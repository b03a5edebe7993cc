//! The search page and suggestions on the demo shop, with the embedded engine.

use crate::support;

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use etalase::db::schema::{categories, products, provinces, units};
use etalase::models::product::{update_product, ProductEdit};
use etalase::models::{search_outbox, today_iso};
use etalase::search::config::load_vocabulary;
use etalase::search::SearchDoc;
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
    support::shop::rename_product(&app, id, "Kopi Luwak Istimewa Ciptagelar");
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
    chips_in(page, "active-filters")
}

/// The addresses of the chips in the list of class `list` of a search page (`active-filters`:
/// the filters chosen; `understood-filters`: what the query was understood to say).
fn chips_in(page: &support::Page, list: &str) -> Vec<String> {
    let Some(list) = page
        .body
        .split(&format!("{list}\""))
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

/// The published products as the index holds them (once the outbox is delivered).
fn indexed(app: &TestApp) -> Vec<SearchDoc> {
    search_outbox::documents(&mut app.conn(), None, &today_iso()).unwrap()
}

fn unescaped(href: &str) -> String {
    href.replace("&amp;", "&").replace("&#x2F;", "/")
}

#[actix_web::test]
async fn madu_bpom_finds_honey_registered_with_bpom_first_and_shows_a_bpom_chip() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=madu+bpom").await;
    assert_eq!(page.status, 200);
    let docs = indexed(&app);
    let doc = |link: &String| {
        docs.iter()
            .find(|d| format!("/produk/{}", d.slug) == *link)
            .unwrap_or_else(|| panic!("{link} is a published product"))
    };
    let links = page.links_under("/produk/");
    assert!(!links.is_empty(), "the demo sells honey with a BPOM number");
    // Only products registered with BPOM; the honey first ("madu" is one typo from the
    // English "made" of other descriptions, which rank below).
    for link in &links {
        let d = doc(link);
        assert!(
            d.certifications.iter().any(|c| c.starts_with("BPOM")),
            "{}: {:?}",
            d.name,
            d.certifications
        );
    }
    let honey: Vec<bool> = links
        .iter()
        .map(|l| doc(l).name.to_lowercase().starts_with("madu"))
        .collect();
    assert!(honey[0], "{links:?}");
    assert!(
        honey.windows(2).all(|w| w[0] || !w[1]),
        "honey before anything else: {links:?}"
    );
    let all_honey = docs
        .iter()
        .filter(|d| d.name.to_lowercase().starts_with("madu"))
        .filter(|d| d.certifications.iter().any(|c| c.starts_with("BPOM")))
        .count();
    assert_eq!(
        honey.iter().filter(|h| **h).count(),
        all_honey.min(links.len()),
        "every honey with a BPOM number is found"
    );
    // The chip, named for screen readers, in both languages.
    assert!(page.body.contains("aria-label=\"Hapus filter BPOM\""));
    assert_eq!(chips_in(&page, "understood-filters").len(), 1);
    let english = app.get("/en/cari?q=madu+bpom").await;
    assert!(english.body.contains("aria-label=\"Remove filter BPOM\""));

    // "Search exactly what I typed" understands nothing.
    let literal = page
        .body
        .split("understood-literal\"><a href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(unescaped)
        .expect("a link to search the words as typed");
    assert!(literal.contains("asli=1"), "{literal}");
    let literal = app.get(&literal).await;
    assert_eq!(literal.status, 200);
    assert!(chips_in(&literal, "understood-filters").is_empty());
}

#[actix_web::test]
async fn kursi_di_bawah_1_juta_shows_only_chairs_up_to_a_million_until_its_chip_is_removed() {
    let app = TestApp::spawn().await;
    // Two products named Kursi, on either side of a million.
    let kursi: Vec<(i32, String)> = products::table
        .filter(products::status.eq("published"))
        .filter(products::name.like("%Kursi%"))
        .order(products::id.asc())
        .select((products::id, products::slug))
        .limit(2)
        .load(&mut *app.conn())
        .unwrap();
    assert_eq!(kursi.len(), 2, "the demo sells chairs");
    for ((id, _), price) in kursi.iter().zip([900_000, 1_500_000]) {
        update_product(
            &mut app.conn(),
            *id,
            &ProductEdit {
                price: Some(price),
                ..ProductEdit::default()
            },
        )
        .unwrap();
    }
    let cheap = format!("/produk/{}", kursi[0].1);
    let dear = format!("/produk/{}", kursi[1].1);
    support::eventually(
        "the new prices to be searchable",
        Duration::from_secs(10),
        async || {
            app.get("/cari?q=kursi&harga_min=1400000&harga_max=1600000")
                .await
                .links_under("/produk/")
                .contains(&dear)
        },
    )
    .await;

    let page = app.get("/cari?q=kursi+di+bawah+1+juta").await;
    assert_eq!(page.status, 200);
    let links = page.links_under("/produk/");
    assert!(
        links.contains(&cheap) && !links.contains(&dear),
        "{links:?}"
    );
    assert!(links.iter().all(|l| l.contains("kursi")), "{links:?}");
    let prices: Vec<i64> = page
        .attr_values("data-price")
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(prices.iter().all(|p| *p <= 1_000_000), "{prices:?}");
    assert!(page
        .body
        .contains("aria-label=\"Hapus filter Harga ≤ Rp1.000.000\""));

    // Removing the chip: the same search without the limit.
    let chips = chips_in(&page, "understood-filters");
    assert_eq!(chips.len(), 1, "{chips:?}");
    assert!(chips[0].contains("abaikan=harga"), "{chips:?}");
    let plain = app.get(&chips[0]).await;
    assert_eq!(plain.status, 200);
    assert!(chips_in(&plain, "understood-filters").is_empty());
    let plain_links = plain.links_under("/produk/");
    assert!(
        plain_links.contains(&cheap) && plain_links.contains(&dear),
        "{plain_links:?}"
    );
    assert_eq!(
        plain_links,
        app.get("/cari?q=kursi").await.links_under("/produk/"),
        "the plain result"
    );
}

#[actix_web::test]
async fn oleh_oleh_khas_aceh_finds_food_and_crafts_of_units_in_aceh() {
    let app = TestApp::spawn().await;
    // A food product made in Aceh for sure: one moves to a unit there.
    let aceh_unit: i32 = units::table
        .inner_join(provinces::table)
        .filter(provinces::name.eq("Aceh"))
        .order(units::id.asc())
        .select(units::id)
        .first(&mut *app.conn())
        .expect("a unit in Aceh");
    let (id, slug): (i32, String) = products::table
        .inner_join(categories::table)
        .filter(products::status.eq("published"))
        .filter(categories::name_id.eq("Kuliner"))
        .order(products::id.asc())
        .select((products::id, products::slug))
        .first(&mut *app.conn())
        .unwrap();
    etalase::db::write_transaction(&mut app.conn(), |conn| -> QueryResult<()> {
        diesel::update(products::table.find(id))
            .set(products::unit_id.eq(aceh_unit))
            .execute(conn)?;
        search_outbox::enqueue(conn, &[id])
    })
    .unwrap();
    let moved = format!("/produk/{slug}");
    let page = support::eventually(
        "the product made in Aceh to be found",
        Duration::from_secs(10),
        async || {
            let page = app.get("/cari?q=oleh+oleh+khas+aceh").await;
            page.links_under("/produk/")
                .contains(&moved)
                .then_some(page)
        },
    )
    .await;
    let expected: Vec<String> = indexed(&app)
        .iter()
        .filter(|d| d.province == "Aceh")
        .filter(|d| d.category == "Kuliner" || d.category == "Kerajinan Tangan")
        .map(|d| format!("/produk/{}", d.slug))
        .collect();
    let links = page.links_under("/produk/");
    assert!(
        links.iter().all(|l| expected.contains(l)),
        "{links:?} are not all of {expected:?}"
    );
    assert_eq!(links.len(), expected.len().min(24), "{links:?}");
    for chip in ["Hapus filter Oleh-oleh", "Hapus filter Aceh"] {
        assert!(
            page.body.contains(&format!("aria-label=\"{chip}\"")),
            "{chip}"
        );
    }

    // What the understanding filters on is what the shop stores.
    let vocabulary = load_vocabulary(Path::new("search-config/products.json")).unwrap();
    let shop_categories: Vec<String> = categories::table
        .select(categories::name_id)
        .load(&mut *app.conn())
        .unwrap();
    for name in vocabulary.category_names() {
        assert!(shop_categories.iter().any(|c| c == name), "category {name}");
    }
    let shop_provinces: Vec<String> = provinces::table
        .select(provinces::name)
        .load(&mut *app.conn())
        .unwrap();
    for name in vocabulary.province_names() {
        assert!(shop_provinces.iter().any(|p| p == name), "province {name}");
    }
}

#[actix_web::test]
async fn an_unknown_first_word_is_dropped_and_the_page_says_so_while_unknown_words_alone_find_nothing(
) {
    let app = TestApp::spawn().await;
    // A Lebaran cookie box for sure (the demo may hold some: "Paket Lebaran 3 Toples").
    let (id, slug, _) = a_published_product(&app, "");
    support::shop::rename_product(&app, id, "Paket Lebaran Kue Kering Istimewa");
    let boxed = format!("/produk/{slug}");
    support::eventually(
        "the renamed product to be found",
        Duration::from_secs(10),
        async || {
            app.get("/cari?q=paket+lebaran")
                .await
                .links_under("/produk/")
                .contains(&boxed)
        },
    )
    .await;

    // "zzqx" matches nothing: the lebaran products are shown without it, and the page says so.
    let page = app.get("/cari?q=zzqx+lebaran").await;
    assert_eq!(page.status, 200);
    assert!(
        page.links_under("/produk/").contains(&boxed),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("Menampilkan hasil untuk lebaran (tanpa ‘zzqx’)"),
        "the dropped word is named"
    );
    assert_eq!(
        page.links_under("/produk/"),
        app.get("/cari?q=lebaran").await.links_under("/produk/"),
        "the results of the words kept"
    );
    let english = app.get("/en/cari?q=zzqx+lebaran").await;
    assert!(english
        .body
        .contains("Showing results for lebaran (without ‘zzqx’)"));

    // Words that each match nothing find nothing: the usual empty page.
    let none = app.get("/cari?q=zzqx+qqzz").await;
    assert_eq!(none.status, 200);
    assert!(none.links_under("/produk/").is_empty());
    assert!(none.body.contains("Jelajahi kategori"));
    assert!(!none.body.contains("search-dropped"));

    // Words that all match are searched as before, with no note.
    let all = app.get("/cari?q=paket+lebaran").await;
    assert!(all.links_under("/produk/").contains(&boxed));
    assert!(!all.body.contains("search-dropped"));
    assert!(!all.body.contains("tanpa ‘"));
}

/// The queries a search page offers under "Mungkin maksud Anda": (address, words).
fn offered_queries(page: &support::Page) -> Vec<(String, String)> {
    let Some(list) = page
        .body
        .split("class=\"suggestion-list\"")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
    else {
        return Vec::new();
    };
    list.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| {
            let (href, after) = rest.split_once('"')?;
            let words = after.split_once('>')?.1.split("</a>").next()?;
            Some((unescaped(href), words.to_string()))
        })
        .collect()
}

#[actix_web::test]
async fn a_misspelling_that_finds_nothing_offers_a_query_of_the_shops_words_and_nonsense_none() {
    let app = TestApp::spawn().await;
    // Three letters get no typo, even in the second pass: nothing is found, "kopi" is offered.
    let page = app.get("/cari?q=kpi").await;
    assert_eq!(page.status, 200);
    assert!(page.links_under("/produk/").is_empty(), "nothing found");
    assert!(page.body.contains("Mungkin maksud Anda:"));
    let offered = offered_queries(&page);
    assert!(
        offered
            .iter()
            .any(|(href, words)| words == "kopi" && href == "/cari?q=kopi"),
        "{offered:?}"
    );
    assert!(offered.len() <= 3, "{offered:?}");
    for (href, _) in &offered {
        let again = app.get(href).await;
        assert!(
            !again.links_under("/produk/").is_empty(),
            "{href} finds something"
        );
    }
    let english = app.get("/en/cari?q=kpi").await;
    assert!(english.body.contains("Did you mean:"));
    assert!(
        offered_queries(&english)
            .iter()
            .any(|(href, _)| href == "/en/cari?q=kopi"),
        "English addresses"
    );

    // Nonsense finds no product and is offered nothing, no product either.
    for nonsense in ["qqqqxxxx", "zzqx+qqzz", "xkcdqzv"] {
        let none = app.get(&format!("/cari?q={nonsense}")).await;
        assert_eq!(none.status, 200);
        assert!(none.links_under("/produk/").is_empty(), "{nonsense}");
        assert!(offered_queries(&none).is_empty(), "{nonsense}");
        assert!(!none.body.contains("suggestion-list"), "{nonsense}");
        assert!(none.body.contains("Jelajahi kategori"));
    }
}
