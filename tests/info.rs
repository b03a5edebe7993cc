//! The pages of static text linked from the footer: help (`/bantuan`), the privacy notice
//! (`/privasi`) and the programme (`/tentang`).

use crate::support::{Page, TestApp};

/// The page without its footer (whose privacy note speaks of the programme's people).
fn above_footer(page: &Page) -> &str {
    let end = page.body.find("<footer").expect("a footer");
    &page.body[..end]
}

/// The address of `<link rel="canonical">`.
fn canonical(page: &Page) -> String {
    let tag = "<link rel=\"canonical\" href=\"";
    let start = page.body.find(tag).expect("a canonical link") + tag.len();
    let end = start + page.body[start..].find('"').expect("end of the address");
    page.body[start..end].to_string()
}

#[actix_web::test]
async fn the_help_privacy_and_about_pages_answer_in_both_languages_and_every_footer_links_them() {
    let app = TestApp::spawn().await;
    let pages = [
        (
            "/bantuan",
            "<title>Bantuan belanja",
            "beberapa unit sekaligus",
            "One cart may hold products from several units at once.",
        ),
        (
            "/privasi",
            "<title>Pemberitahuan privasi",
            "selama diwajibkan oleh ketentuan pengelolaan keuangan negara",
            "We use no advertising or tracking cookies.",
        ),
        (
            "/tentang",
            "<title>Tentang program",
            "Lembaga Pembinaan Khusus Anak (LPKA)",
            "juvenile development centres (LPKA)",
        ),
    ];
    for (path, title, indonesian, english) in pages {
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.body.contains("<html lang=\"id\">"), "{path}");
        assert!(page.body.contains(title), "{path}: the title");
        assert!(page.body.contains(indonesian), "{path}: {indonesian}");
        assert_eq!(page.body.matches("<h1").count(), 1, "{path}: one h1");
        assert!(canonical(&page).ends_with(path), "{path}: canonical");
        let main = above_footer(&page).to_lowercase();
        assert!(
            !main.contains("warga binaan") && !main.contains("wbp"),
            "{path} speaks of the workshops and units, never of their people"
        );

        let page = app.get(&format!("{path}?lang=en")).await;
        assert_eq!(page.status, 200, "{path}?lang=en");
        assert!(page.body.contains("<html lang=\"en\">"), "{path}?lang=en");
        assert!(page.body.contains(english), "{path}?lang=en: {english}");
        assert!(!page.body.contains(indonesian), "{path}?lang=en is English");
    }

    let privacy = app.get("/privasi").await;
    assert!(privacy.body.contains("27 Tahun 2022"), "the law it follows");
    let help = app.get("/bantuan").await;
    assert!(
        help.body
            .contains("<a href=\"/pesanan/cari\">Cari tautan pesanan saya</a>"),
        "help leads to the lost-order page"
    );

    // An English page links the English addresses.
    for (home, prefix, labels) in [
        ("/", "", ["Bantuan", "Privasi", "Tentang program"]),
        (
            "/?lang=en",
            "/en",
            ["Help", "Privacy", "About the programme"],
        ),
        ("/en", "/en", ["Help", "Privacy", "About the programme"]),
    ] {
        let page = app.get(home).await;
        assert_eq!(page.status, 200);
        for (path, label) in ["/bantuan", "/privasi", "/tentang"].iter().zip(labels) {
            assert!(
                page.body
                    .contains(&format!("<a href=\"{prefix}{path}\">{label}</a>")),
                "{home}: the footer links {prefix}{path}"
            );
        }
    }
    let category = app.get("/kategori/kuliner").await;
    for path in ["/bantuan", "/privasi", "/tentang"] {
        assert!(
            category.links_under(path).contains(&path.to_string()),
            "every page's footer links {path}"
        );
    }
}
