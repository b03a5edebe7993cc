//! Search that understands Indonesian shoppers (issue 18), with the embedded engine: synonyms
//! administrators add at `/kelola/sinonim`, in force from the next search without a restart,
//! and the queries `/cari` counts for `/kelola/pencarian` (crawlers and follow-up pages left
//! out) with the results opened from them (`POST /cari/klik`, the search page's beacon),
//! purged after 90 days. Meilisearch getting the synonyms is in `meilisearch_live`; the
//! beacon sent by a real browser is in `browser`.

use crate::support;

use std::time::Duration;

use diesel::prelude::*;
use etalase::db::schema::{audit_log, products, search_queries, search_synonyms};
use etalase::models::product::{update_product, ProductEdit};
use support::TestApp;

/// How long an edit may take to reach the embedded index.
const INDEXING: Duration = Duration::from_secs(10);

/// The demo shop with the project's search settings less every synonym naming one of `words`
/// (as a word or a synonym), written to a folder that must outlive the shop.
async fn shop_without_synonyms_of(words: &[&str]) -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("search-config/products.json").unwrap();
    let mut config: serde_json::Value = serde_json::from_str(&text).unwrap();
    config["synonyms"]
        .as_object_mut()
        .expect("synonyms in the settings")
        .retain(|word, list| {
            let named = |w: &str| words.contains(&w);
            !named(word.as_str())
                && !list
                    .as_array()
                    .expect("a list of synonyms")
                    .iter()
                    .any(|s| s.as_str().is_some_and(named))
        });
    let path = dir.path().join("products.json");
    std::fs::write(&path, config.to_string()).unwrap();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.search_config = path;
    })
    .await;
    (dir, app)
}

/// The first `n` published products but the demo's peci: (id, address).
fn published_but_peci(app: &TestApp, n: i64) -> Vec<(i32, String)> {
    products::table
        .filter(products::status.eq("published"))
        .filter(products::name.not_like("Peci%"))
        .order(products::id.asc())
        .select((products::id, products::slug))
        .limit(n)
        .load::<(i32, String)>(&mut *app.conn())
        .unwrap()
        .into_iter()
        .map(|(id, slug)| (id, format!("/produk/{slug}")))
        .collect()
}

fn rename(app: &TestApp, id: i32, name: &str) {
    update_product(
        &mut app.conn(),
        id,
        &ProductEdit {
            name: Some(name.into()),
            description: Some(format!("{name}, dijahit tangan di bengkel kerja.")),
            description_en: Some(format!("{name}, sewn by hand in the workshop.")),
            ..ProductEdit::default()
        },
    )
    .unwrap();
}

async fn found(app: &TestApp, query: &str) -> Vec<String> {
    let page = app.get(&format!("/cari?q={query}")).await;
    assert_eq!(page.status, 200, "/cari?q={query}");
    page.links_under("/produk/")
}

fn synonym_rows(app: &TestApp) -> i64 {
    search_synonyms::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn an_administrator_makes_peci_and_kopiah_synonyms_and_the_next_search_for_peci_finds_a_kopiah(
) {
    let (_config, app) = shop_without_synonyms_of(&["peci", "kopiah"]).await;
    // Two products become a kopiah and a peci: the kopiah nowhere says peci, nor the peci
    // kopiah.
    let two = published_but_peci(&app, 2);
    assert_eq!(two.len(), 2, "two published products in the demo");
    let ((kopiah_id, kopiah), (peci_id, peci)) = (two[0].clone(), two[1].clone());
    rename(&app, kopiah_id, "Kopiah Beludru Hitam");
    rename(&app, peci_id, "Peci Beludru Merah");
    support::eventually("both renamed products are indexed", INDEXING, async || {
        let both = found(&app, "beludru").await;
        both.contains(&kopiah) && both.contains(&peci)
    })
    .await;
    assert!(
        !found(&app, "peci").await.contains(&kopiah),
        "no synonym yet"
    );
    assert!(
        !found(&app, "kopiah").await.contains(&peci),
        "no synonym yet"
    );

    let mut admin = support::finance_admin(&app).await;
    let key = admin.csrf("/kelola/sinonim").await;
    let saved = admin
        .post(
            "/kelola/sinonim",
            &[
                ("csrf_token", key.as_str()),
                ("word", " Peci "),
                ("synonyms", "Kopiah"),
                ("two_way", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), "/kelola/sinonim");

    // At once, without a restart, and both ways.
    assert!(found(&app, "peci").await.contains(&kopiah));
    assert!(found(&app, "kopiah").await.contains(&peci));
    let list = admin.get("/kelola/sinonim").await;
    assert_eq!(list.status, 200);
    assert!(list
        .body
        .contains("Sinonim disimpan dan langsung berlaku di pencarian"));
    assert!(
        list.body.contains("<th scope=\"row\">peci</th>"),
        "saved as the index writes it"
    );
    assert!(list.body.contains("<td>kopiah</td>"));
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("search_synonym.add"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 1);

    // Removed: the next search is as before.
    let id: i32 = search_synonyms::table
        .select(search_synonyms::id)
        .first(&mut *app.conn())
        .unwrap();
    let key = list.csrf_token().expect("a form key");
    let removed = admin
        .post(
            &format!("/kelola/sinonim/{id}/hapus"),
            &[("csrf_token", key.as_str())],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert!(!found(&app, "peci").await.contains(&kopiah));
    assert_eq!(synonym_rows(&app), 0);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("search_synonym.remove"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 1);
}

#[actix_web::test]
async fn synonyms_and_search_insights_are_for_administrators_only() {
    let app = TestApp::spawn_with(None).await;
    for (email, role) in [
        ("panitia@kemenimipas.go.id", "organizer"),
        ("pemantau@kemenimipas.go.id", "observer"),
    ] {
        let mut other = support::signed_in_as(&app, email, role, None, None).await;
        for path in ["/kelola/sinonim", "/kelola/pencarian"] {
            assert_eq!(other.get(path).await.status, 403, "{role} GET {path}");
        }
        let key = other.csrf("/kelola").await;
        let sent = other
            .post(
                "/kelola/sinonim",
                &[
                    ("csrf_token", key.as_str()),
                    ("word", "peci"),
                    ("synonyms", "kopiah"),
                ],
            )
            .await;
        assert_eq!(sent.status, 403, "{role} POST");
    }
    assert_eq!(synonym_rows(&app), 0, "nothing saved");
    let mut admin = support::finance_admin(&app).await;
    for path in ["/kelola/sinonim", "/kelola/pencarian"] {
        assert_eq!(
            admin.get(path).await.status,
            200,
            "administrator GET {path}"
        );
    }
}

#[actix_web::test]
async fn a_synonym_without_a_word_or_with_a_word_of_200_characters_is_refused_with_a_clear_message()
{
    let app = TestApp::spawn_with(None).await;
    let mut admin = support::finance_admin(&app).await;
    let long = "k".repeat(200);
    for (word, synonyms, message) in [
        ("", "kopiah", "Tulis kata yang dicari pembeli."),
        (long.as_str(), "kopiah", "Kata terlalu panjang"),
        ("meja makan", "dining", "Tulis satu kata saja"),
        ("peci", "", "Tulis paling sedikit satu sinonim."),
        ("peci", "kopiah hitam", "Setiap sinonim harus satu kata"),
    ] {
        let key = admin.csrf("/kelola/sinonim").await;
        let page = admin
            .post(
                "/kelola/sinonim",
                &[
                    ("csrf_token", key.as_str()),
                    ("word", word),
                    ("synonyms", synonyms),
                    ("two_way", "1"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{word:.20} / {synonyms}: {}", page.body);
        assert!(
            page.body.contains(message),
            "{word:.20} / {synonyms}: says {message:?}"
        );
        assert!(page.body.contains("aria-invalid=\"true\""));
        if !synonyms.is_empty() {
            assert!(
                page.body.contains(&format!("value=\"{synonyms}\"")),
                "what was typed is kept"
            );
        }
    }
    assert_eq!(synonym_rows(&app), 0, "nothing saved");
    let audited: i64 = audit_log::table
        .filter(audit_log::entity.eq("search_synonym"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 0);
}

/// The counts of `query` (searches, zero results, last count), one row a day.
fn counts_of(app: &TestApp, query: &str) -> Vec<(i32, i32, i32)> {
    search_queries::table
        .filter(search_queries::query.eq(query))
        .select((
            search_queries::searches,
            search_queries::zero_results,
            search_queries::last_count,
        ))
        .load(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_query_that_finds_nothing_is_counted_and_shown_with_a_form_that_adds_a_synonym() {
    let app = TestApp::spawn().await;
    // Not counted: a crawler, a further page, a filter chosen in the sidebar, a sort chosen.
    let crawled = app
        .client
        .get(app.url("/cari?q=zzqxwv"))
        .insert_header((
            "User-Agent",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(crawled.status(), 200);
    for path in [
        "/cari?q=zzqxwv&page=2",
        "/cari?q=zzqxwv&kategori=Kuliner",
        "/cari?q=zzqxwv&urut=termurah",
    ] {
        assert_eq!(app.get(path).await.status, 200, "{path}");
    }
    // A shopper's first look: counted as the index writes the words.
    assert_eq!(app.get("/cari?q=ZZQXWV").await.status, 200);
    support::eventually("the query is counted", INDEXING, async || {
        counts_of(&app, "zzqxwv") == [(1, 1, 0)]
    })
    .await;
    // A query that finds something: counted without a zero. Once it is in, so would the
    // others have been.
    assert!(!found(&app, "kopi").await.is_empty());
    let kopi = support::eventually("kopi is counted", INDEXING, async || {
        counts_of(&app, "kopi").first().copied()
    })
    .await;
    assert_eq!((kopi.0, kopi.1), (1, 0));
    assert!(kopi.2 > 0, "how many it found");
    assert_eq!(counts_of(&app, "zzqxwv"), [(1, 1, 0)], "counted once");

    let mut admin = support::finance_admin(&app).await;
    let insights = admin.get("/kelola/pencarian").await;
    assert_eq!(insights.status, 200);
    let from = insights
        .body
        .find("id=\"zero-heading\"")
        .expect("the zero-result list");
    let to = insights
        .body
        .find("id=\"most-heading\"")
        .expect("the most-searched list");
    let zero = &insights.body[from..to];
    assert!(zero.contains("<th scope=\"row\">zzqxwv</th>"), "{zero}");
    assert!(
        !zero.contains("<th scope=\"row\">kopi</th>"),
        "kopi found something"
    );
    assert!(
        zero.contains("name=\"word\" value=\"zzqxwv\""),
        "the word is filled in"
    );
    assert!(zero.contains("action=\"/kelola/sinonim\""));
    assert!(
        insights.body.contains("<th scope=\"row\">kopi</th>"),
        "most searched"
    );

    // One step: the synonym is saved and the page is shown again.
    let key = insights.csrf_token().expect("a form key");
    let saved = admin
        .post(
            "/kelola/sinonim",
            &[
                ("csrf_token", key.as_str()),
                ("dari", "pencarian"),
                ("word", "zzqxwv"),
                ("synonyms", "kopi"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), "/kelola/pencarian");
    let two_way: i32 = search_synonyms::table
        .filter(search_synonyms::word.eq("zzqxwv"))
        .select(search_synonyms::two_way)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        two_way, 0,
        "the query's word finds the synonym, not the reverse"
    );
    assert!(
        !found(&app, "zzqxwv").await.is_empty(),
        "now it finds coffee"
    );
}

#[actix_web::test]
async fn the_daily_purge_removes_search_counts_older_than_90_days() {
    let app = TestApp::spawn_with(None).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    for (query, day) in [
        ("lama", "2026-10-02"),
        ("batas", "2026-10-03"),
        ("baru", "2026-12-31"),
    ] {
        etalase::models::search_query::count(&mut app.conn(), query, day, 0).unwrap();
    }
    let purged = etalase::models::search_query::purge_old(&mut app.conn(), today).unwrap();
    assert_eq!(purged, 1);
    let mut left: Vec<String> = search_queries::table
        .select(search_queries::query)
        .load(&mut *app.conn())
        .unwrap();
    left.sort();
    assert_eq!(left, ["baru", "batas"], "90 days are kept, today included");
}

/// A phone's browser, as a shopper's `User-Agent` reads.
const PHONE: &str =
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";
/// Google's crawler.
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// Today in WIB, as the counts write the day.
fn today() -> String {
    etalase::domain::impact::wib_day(etalase::models::now_ts())
        .map(etalase::domain::impact::day_text)
        .expect("today")
}

/// The clicks counted for `query`, one a day.
fn clicks_of(app: &TestApp, query: &str) -> Vec<i32> {
    search_queries::table
        .filter(search_queries::query.eq(query))
        .select(search_queries::clicks)
        .load(&mut *app.conn())
        .unwrap()
}

fn counted_rows(app: &TestApp) -> i64 {
    search_queries::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// The slug of a published product of the demo.
fn a_published_slug(app: &TestApp) -> String {
    products::table
        .filter(products::status.eq("published"))
        .order(products::id.asc())
        .select(products::slug)
        .first(&mut *app.conn())
        .unwrap()
}

/// What the search page's script sends when the product `slug` is opened from the results of
/// `query`, from a browser naming itself `user_agent`; gives the status.
async fn open_result(app: &TestApp, query: &str, slug: &str, user_agent: &str) -> u16 {
    app.client
        .post(app.url("/cari/klik"))
        .insert_header(("User-Agent", user_agent))
        .insert_header(("Sec-Fetch-Site", "same-origin"))
        .send_form(&[("q", query), ("p", slug)])
        .await
        .expect("POST /cari/klik")
        .status()
        .as_u16()
}

#[actix_web::test]
async fn a_product_opened_from_the_search_results_counts_one_click_for_the_query() {
    let app = TestApp::spawn().await;
    let page = app.get("/cari?q=Kopi").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-search-query=\"Kopi\""),
        "the results name their query for the script"
    );
    assert!(page
        .attr_values("src")
        .iter()
        .any(|s| s.starts_with("/static/js/search-clicks.js?v=")));
    let result = page.first_link_under("/produk/");
    assert!(!result.contains('?'), "a plain product address: {result}");
    support::eventually("the search is counted", INDEXING, async || {
        !counts_of(&app, "kopi").is_empty()
    })
    .await;

    let slug = result.trim_start_matches("/produk/");
    assert_eq!(open_result(&app, "Kopi", slug, PHONE).await, 204);
    assert_eq!(
        clicks_of(&app, "kopi"),
        [1],
        "counted for the query as counted"
    );
    assert_eq!(open_result(&app, "kopi", slug, PHONE).await, 204);
    assert_eq!(clicks_of(&app, "kopi"), [2]);
    assert_eq!(counted_rows(&app), 1, "no other row");
}

#[actix_web::test]
async fn a_click_for_a_query_never_searched_or_a_product_that_is_not_for_sale_stores_nothing() {
    let app = TestApp::spawn().await;
    let slug = a_published_slug(&app);
    assert_eq!(
        open_result(&app, "zzqxwv tidak pernah dicari", &slug, PHONE).await,
        204
    );
    assert_eq!(
        counted_rows(&app),
        0,
        "a click never inserts the text it names"
    );

    etalase::models::search_query::count(&mut app.conn(), "kopi", &today(), 12).unwrap();
    for product in ["bukan-produk-toko-ini", "../../etc/passwd", ""] {
        assert_eq!(
            open_result(&app, "kopi", product, PHONE).await,
            204,
            "{product}"
        );
    }
    assert_eq!(open_result(&app, "", &slug, PHONE).await, 204);
    let empty = app
        .client
        .post(app.url("/cari/klik"))
        .send_form(&[("x", "1")])
        .await
        .expect("POST /cari/klik")
        .status()
        .as_u16();
    assert_eq!(empty, 204, "a beacon without fields is ignored too");
    assert_eq!(clicks_of(&app, "kopi"), [0]);
    assert_eq!(counted_rows(&app), 1);
}

#[actix_web::test]
async fn a_crawlers_click_on_a_search_result_is_not_counted() {
    let app = TestApp::spawn().await;
    let slug = a_published_slug(&app);
    etalase::models::search_query::count(&mut app.conn(), "kopi", &today(), 12).unwrap();
    assert_eq!(open_result(&app, "kopi", &slug, GOOGLEBOT).await, 204);
    assert_eq!(open_result(&app, "kopi", &slug, "curl/8.5.0").await, 204);
    assert_eq!(clicks_of(&app, "kopi"), [0], "crawlers are not counted");
    assert_eq!(open_result(&app, "kopi", &slug, PHONE).await, 204);
    assert_eq!(clicks_of(&app, "kopi"), [1], "a shopper's is");
}

#[actix_web::test]
async fn a_query_searched_often_with_results_but_rarely_opened_is_listed_with_its_click_through() {
    let app = TestApp::spawn().await;
    let slug = a_published_slug(&app);
    let day = today();
    // taplak: 12 searches found 8 products, one opened (8.3 %). kopi: 6 searches, 3 opened
    // (50 %). lampu: 3 searches, too few to judge.
    for (query, searches, found) in [("taplak", 12, 8), ("kopi", 6, 30), ("lampu", 3, 5)] {
        for _ in 0..searches {
            etalase::models::search_query::count(&mut app.conn(), query, &day, found).unwrap();
        }
    }
    assert_eq!(open_result(&app, "taplak", &slug, PHONE).await, 204);
    for _ in 0..3 {
        assert_eq!(open_result(&app, "kopi", &slug, PHONE).await, 204);
    }

    let mut admin = support::finance_admin(&app).await;
    let insights = admin.get("/kelola/pencarian").await;
    assert_eq!(insights.status, 200);
    assert!(
        insights.body.contains("(hari menurut WIB)"),
        "the period is named in WIB days"
    );
    let from = insights
        .body
        .find("id=\"low-click-heading\"")
        .expect("the low-click list");
    let to = insights
        .body
        .find("id=\"most-heading\"")
        .expect("the most-searched list");
    let low = &insights.body[from..to];
    let row_start = low.find("<tr id=\"jarang-1\">").expect("a low-click row");
    let row = &low[row_start..row_start + low[row_start..].find("</tr>").unwrap()];
    assert!(row.contains("<th scope=\"row\">taplak</th>"), "{row}");
    for cell in ["12", "8", "1", "8,3%"] {
        assert!(
            row.contains(&format!("<td class=\"count-cell\">{cell}</td>")),
            "{cell} in {row}"
        );
    }
    assert!(
        row.contains("action=\"/kelola/sinonim\"")
            && row.contains("name=\"dari\" value=\"pencarian\"")
            && row.contains("name=\"word\" value=\"taplak\""),
        "the one-step synonym form, filled in: {row}"
    );
    assert!(
        !low.contains("<th scope=\"row\">kopi</th>"),
        "kopi's results are opened"
    );
    assert!(
        !low.contains("<th scope=\"row\">lampu</th>"),
        "lampu was searched too rarely to judge"
    );
    assert!(!low.contains("jarang-2"), "one low-click query");

    let english = admin.get("/kelola/pencarian?lang=en").await;
    assert!(
        english.body.contains("<td class=\"count-cell\">8.3%</td>"),
        "the click-through in English"
    );
}
