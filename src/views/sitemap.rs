//! `robots.txt` and the sitemap files, as text (XML escaped; addresses are absolute).

use crate::i18n::Lang;
use crate::models::sitemap::Entry;

use super::escape_xml;

fn day(ts: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(ts, 0).map(|t| t.format("%Y-%m-%d").to_string())
}

/// Private pages at both their addresses (`/keranjang` and `/en/keranjang`).
pub fn robots_txt(base_url: &str) -> String {
    let mut out = String::from("User-agent: *\n");
    for lang in [Lang::Id, Lang::En] {
        for private in [
            "/kelola",
            "/masuk",
            "/undangan",
            "/keranjang",
            "/checkout",
            "/pesanan",
            "/cari/saran",
            "/bahasa",
        ] {
            out.push_str(&format!("Disallow: {}\n", lang.path(private)));
        }
    }
    out.push_str(&format!("\nSitemap: {base_url}/sitemap.xml\n"));
    out
}

/// The sitemap index: the fixed pages, then one file per block of products.
pub fn index(base_url: &str, product_blocks: Vec<(i32, i64)>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    out.push_str(&format!(
        "<sitemap><loc>{}/sitemap/halaman.xml</loc></sitemap>\n",
        escape_xml(base_url)
    ));
    for (block, lastmod) in product_blocks {
        out.push_str(&format!(
            "<sitemap><loc>{}/sitemap/produk-{block}.xml</loc>",
            escape_xml(base_url)
        ));
        if let Some(day) = day(lastmod) {
            out.push_str(&format!("<lastmod>{day}</lastmod>"));
        }
        out.push_str("</sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// One sitemap file: each page at its Indonesian and at its English address, each naming
/// both (and the Indonesian one as the default) as `xhtml:link` alternates.
pub fn urlset(base_url: &str, entries: &[Entry]) -> String {
    let mut out = String::with_capacity(900 * entries.len() + 300);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let base = escape_xml(base_url);
    for e in entries {
        let id = format!("{base}{}", escape_xml(&Lang::Id.path(&e.path)));
        let en = format!("{base}{}", escape_xml(&Lang::En.path(&e.path)));
        let lastmod = e
            .lastmod
            .and_then(day)
            .map(|day| format!("<lastmod>{day}</lastmod>"))
            .unwrap_or_default();
        for loc in [&id, &en] {
            out.push_str(&format!(
                "<url><loc>{loc}</loc>{lastmod}\
                 <xhtml:link rel=\"alternate\" hreflang=\"id\" href=\"{id}\"/>\
                 <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{en}\"/>\
                 <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{id}\"/>\
                 </url>\n"
            ));
        }
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_addresses_are_absolute_escaped_and_dated() {
        let body = urlset(
            "https://etalase.id",
            &[Entry {
                path: "/produk/kopi-&-teh".into(),
                lastmod: Some(1_796_540_700),
            }],
        );
        assert!(body.contains(
            "<url><loc>https://etalase.id/produk/kopi-&amp;-teh</loc><lastmod>2026-12-06</lastmod>\
             <xhtml:link rel=\"alternate\" hreflang=\"id\" href=\"https://etalase.id/produk/kopi-&amp;-teh\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://etalase.id/en/produk/kopi-&amp;-teh\"/>\
             <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://etalase.id/produk/kopi-&amp;-teh\"/>\
             </url>"
        ));
        assert!(body.contains(
            "<url><loc>https://etalase.id/en/produk/kopi-&amp;-teh</loc><lastmod>2026-12-06</lastmod>"
        ));
        assert_eq!(body.matches("<url>").count(), 2, "one address per language");
        let robots = robots_txt("https://etalase.id");
        assert!(robots.contains("Disallow: /kelola\n"));
        assert!(robots.contains("Disallow: /en/keranjang\n"));
        assert!(robots.ends_with("Sitemap: https://etalase.id/sitemap.xml\n"));
    }
}
