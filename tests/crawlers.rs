//! What crawlers, link checkers and browsers ask of the site besides pages: `HEAD`,
//! `robots.txt`, the sitemap, `/favicon.ico` and fingerprinted static files.

use crate::support::{self, Browser, Page, TestApp};
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
        2 * published.len(),
        "every published product, once in each language"
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

/// The `href` of the page's `<link {attrs} href="…">` (`rel="canonical"`,
/// `rel="alternate" hreflang="en"`).
fn link_of(page: &Page, attrs: &str) -> Option<String> {
    let tag = format!("<link {attrs} href=\"");
    let start = page.body.find(&tag)? + tag.len();
    let end = start + page.body[start..].find('"')?;
    Some(page.body[start..end].to_string())
}

/// The `content` of the page's `<meta property="{property}">`.
fn meta_property(page: &Page, property: &str) -> Option<String> {
    let tag = format!("<meta property=\"{property}\" content=\"");
    let start = page.body.find(&tag)? + tag.len();
    let end = start + page.body[start..].find('"')?;
    Some(page.body[start..end].to_string())
}

/// Where the page's links and forms lead on this site, leaving out files (`/static/`,
/// `/media/`) and the language switch (`/bahasa/`).
fn page_links(page: &Page) -> Vec<String> {
    page.attr_values("href")
        .into_iter()
        .chain(page.attr_values("action"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .filter(|h| {
            !["/static/", "/media/", "/bahasa/"]
                .iter()
                .any(|p| h.starts_with(p))
        })
        .collect()
}

/// The canonical link and the three `hreflang` alternates (id, en, x-default) of a page.
fn addresses(page: &Page) -> [Option<String>; 4] {
    [
        link_of(page, "rel=\"canonical\""),
        link_of(page, "rel=\"alternate\" hreflang=\"id\""),
        link_of(page, "rel=\"alternate\" hreflang=\"en\""),
        link_of(page, "rel=\"alternate\" hreflang=\"x-default\""),
    ]
}

#[actix_web::test]
async fn english_pages_have_their_own_urls_and_each_language_names_the_other() {
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| s.page_cache_secs = 60).await;
    let base = app.address.clone();
    let path = app.get("/").await.first_link_under("/produk/");
    let indonesian_url = format!("{base}{path}");
    let english_url = format!("{base}/en{path}");

    let english = app.get(&format!("/en{path}")).await;
    assert_eq!(english.status, 200, "{}", english.body);
    assert!(english.body.contains("<html lang=\"en\">"));
    assert_eq!(
        addresses(&english),
        [
            Some(english_url.clone()),
            Some(indonesian_url.clone()),
            Some(english_url.clone()),
            Some(indonesian_url.clone()),
        ],
        "canonical, then the alternates id, en and x-default"
    );
    assert_eq!(meta_property(&english, "og:url"), Some(english_url.clone()));
    assert_eq!(
        meta_property(&english, "og:locale").as_deref(),
        Some("en_US")
    );
    assert_eq!(english.json_ld()["offers"]["url"], english_url.as_str());

    // Without the cookie the plain address is Indonesian, and names the English one.
    let indonesian = app.get(&path).await;
    assert_eq!(indonesian.status, 200);
    assert!(indonesian.body.contains("<html lang=\"id\">"));
    assert_eq!(
        addresses(&indonesian),
        [
            Some(indonesian_url.clone()),
            Some(indonesian_url.clone()),
            Some(english_url.clone()),
            Some(indonesian_url.clone()),
        ]
    );
    assert_eq!(meta_property(&indonesian, "og:url"), Some(indonesian_url));
    assert!(
        page_links(&indonesian)
            .iter()
            .all(|l| !l.starts_with("/en/")),
        "an Indonesian page stays on Indonesian addresses"
    );

    // Every link and form of an English page leads to English addresses: the navigation, the
    // product cards, the cart form, the footer.
    let home = app.get("/en").await;
    for page in [&english, &home] {
        let links = page_links(page);
        assert!(!links.is_empty());
        let plain: Vec<&String> = links.iter().filter(|l| !l.starts_with("/en/")).collect();
        assert!(
            plain.is_empty(),
            "links off the English addresses: {plain:?}"
        );
        assert!(
            !page.links_under("/en/kategori/").is_empty(),
            "the navigation"
        );
    }
    assert!(
        !home.links_under("/en/produk/").is_empty(),
        "the product cards"
    );
    assert!(home.links_under("/produk/").is_empty());
    assert!(
        english.body.contains("action=\"/en/keranjang\""),
        "the cart form"
    );
    assert!(
        english.body.contains("action=\"/en/cari\""),
        "the search box"
    );

    // The page cache keeps the two languages apart.
    let cached = support::eventually(
        "the English page to come from the page cache",
        std::time::Duration::from_secs(10),
        async || {
            let page = app.get(&format!("/en{path}")).await;
            (page.header("x-cache").as_deref() == Some("hit")).then_some(page)
        },
    )
    .await;
    assert!(cached.body.contains("<html lang=\"en\">"));
    let plain = app.get(&path).await;
    assert!(
        plain.body.contains("<html lang=\"id\">"),
        "never the English page"
    );
    assert_eq!(
        link_of(&plain, "rel=\"canonical\""),
        Some(format!("{base}{path}"))
    );

    // The English address wins over the cookie and the query.
    let page = app
        .get_with_cookie(&format!("/en{path}?lang=id"), Some("lang=id"))
        .await;
    assert!(page.body.contains("<html lang=\"en\">"));
    // Private pages name no other language.
    let cart = app.get("/en/keranjang").await;
    assert_eq!(cart.status, 200);
    assert!(cart.body.contains("<html lang=\"en\">"));
    assert_eq!(link_of(&cart, "rel=\"alternate\" hreflang=\"id\""), None);
}

#[actix_web::test]
async fn a_path_that_only_starts_with_en_is_not_taken_for_english() {
    let app = TestApp::spawn().await;
    for path in ["/enxyz", "/entah", "/en-us/produk/x", "/english"] {
        let page = app.get(path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.body.contains("<html lang=\"id\""),
            "{path}: not English"
        );
    }
    for path in ["/en", "/en/", "/en?ref=iklan"] {
        let home = app.get(path).await;
        assert_eq!(home.status, 200, "{path}");
        assert!(home.body.contains("<html lang=\"en\""), "{path}");
        assert!(
            home.body.contains("Food and Drink"),
            "{path}: the home page"
        );
        assert_eq!(
            link_of(&home, "rel=\"canonical\""),
            Some(format!("{}/en/", app.address)),
            "{path}"
        );
    }
    let search = app.get("/en/cari?q=kopi").await;
    assert_eq!(search.status, 200);
    assert!(search.body.contains("<html lang=\"en\""));
    assert!(!search.links_under("/en/produk/").is_empty());

    // A missing page under `/en` is missing in English.
    let missing = app.get("/en/produk/tidak-ada").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html lang=\"en\""));
    // `HEAD` of an English address, as link checkers ask.
    let head = app.client.head(app.url("/en")).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 200);
}

#[actix_web::test]
async fn the_language_switch_leads_to_the_other_languages_address() {
    let app = TestApp::spawn().await;
    let path = app.get("/").await.first_link_under("/produk/");
    let switch_of = |page: &Page, to: &str| -> String {
        page.attr_values("href")
            .into_iter()
            .find(|h| h.starts_with(&format!("/bahasa/{to}?next=")))
            .unwrap_or_else(|| panic!("a switch to {to}"))
    };
    let mut reader = Browser::new(&app);
    let page = reader.get(&path).await;
    assert!(page.body.contains("<html lang=\"id\">"));

    let to_english = reader.get(&switch_of(&page, "en")).await;
    assert_eq!(to_english.status, 303);
    assert_eq!(to_english.location(), format!("/en{path}"));
    let english = reader.get(&to_english.location()).await;
    assert!(english.body.contains("<html lang=\"en\">"));

    let to_indonesian = reader.get(&switch_of(&english, "id")).await;
    assert_eq!(to_indonesian.status, 303);
    assert_eq!(to_indonesian.location(), path);
    let indonesian = reader.get(&path).await;
    assert!(
        indonesian.body.contains("<html lang=\"id\">"),
        "the cookie says Indonesian again"
    );

    // The query goes along.
    let search = reader.get("/en/cari?q=kopi").await;
    let back = reader.get(&switch_of(&search, "id")).await;
    assert_eq!(back.location(), "/cari?q=kopi");
    let again = reader.get("/bahasa/en?next=/cari%3Fq%3Dkopi").await;
    assert_eq!(again.location(), "/en/cari?q=kopi");
    // Back-office pages keep their one address.
    let staff = reader.get("/bahasa/en?next=/masuk").await;
    assert_eq!(staff.location(), "/masuk");
}

#[actix_web::test]
async fn the_sitemap_lists_english_addresses_and_robots_keeps_english_private_pages_out() {
    let app = TestApp::spawn().await;
    let base = app.address.clone();
    let robots = app.get("/robots.txt").await;
    for private in [
        "/en/kelola",
        "/en/masuk",
        "/en/keranjang",
        "/en/checkout",
        "/en/pesanan",
        "/en/cari/saran",
    ] {
        assert!(
            robots.body.contains(&format!("Disallow: {private}\n")),
            "{}",
            robots.body
        );
    }
    for open in ["Disallow: /en\n", "Disallow: /en/\n", "Disallow: /\n"] {
        assert!(
            !robots.body.contains(open),
            "English pages are open to crawlers"
        );
    }

    let pages = app.get("/sitemap/halaman.xml").await;
    assert_eq!(pages.status, 200);
    assert!(pages
        .body
        .contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let locs: Vec<String> = pages
        .body
        .split("<loc>")
        .skip(1)
        .filter_map(|rest| rest.split("</loc>").next())
        .map(str::to_string)
        .collect();
    let english: Vec<&String> = locs
        .iter()
        .filter(|l| l.starts_with(&format!("{base}/en/")))
        .collect();
    assert_eq!(english.len() * 2, locs.len(), "each page at both addresses");
    let alternates = |path: &str| {
        format!(
            "<xhtml:link rel=\"alternate\" hreflang=\"id\" href=\"{base}{path}\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}/en{path}\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{base}{path}\"/>"
        )
    };
    for path in ["/kategori/kuliner", "/pameran", "/"] {
        for loc in [format!("{base}{path}"), format!("{base}/en{path}")] {
            assert!(
                pages
                    .body
                    .contains(&format!("<url><loc>{loc}</loc>{}</url>", alternates(path))),
                "{loc} with its alternates"
            );
        }
    }
    // The English addresses listed are English pages that name themselves canonical.
    for loc in english.iter().take(6) {
        let page = app.get(loc.trim_start_matches(base.as_str())).await;
        assert_eq!(page.status, 200, "{loc}");
        assert!(page.body.contains("<html lang=\"en\">"), "{loc}");
        assert_eq!(
            link_of(&page, "rel=\"canonical\"").as_deref(),
            Some(loc.as_str())
        );
    }

    let products_file = app.get("/sitemap/produk-1.xml").await;
    let slug: String = products::table
        .filter(products::status.eq("published"))
        .select(products::slug)
        .first(&mut *app.conn())
        .unwrap();
    assert!(products_file
        .body
        .contains(&format!("<loc>{base}/en/produk/{slug}</loc>")));
    assert!(products_file.body.contains(&format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}/en/produk/{slug}\"/>"
    )));
}
