//! Typed view-models that templates render (see `docs/view-contract.md`).

pub mod accounts;
pub mod assets;
pub mod bank_accounts;
pub mod cards;
pub mod charts;
pub mod dashboard;
pub mod fair_sales;
pub mod fairs;
pub mod impact;
pub mod legal;
pub mod oversight;
pub mod pages;
pub mod payouts;
pub mod search_tuning;
pub mod shop;
pub mod sitemap;
pub mod staff;

use serde::Serialize;
use tera::Context;

use crate::i18n::Lang;
use crate::models::catalog::Category;
use crate::services::media::MediaUrls;

#[derive(Debug, Clone, Serialize)]
pub struct OpenGraph {
    pub title: String,
    pub description: String,
    /// Absolute: the page's own picture, or `SHARE_IMAGE`.
    pub image: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// The addresses of one page in each language, for `<link rel="alternate" hreflang>`: the
/// Indonesian one (also the default for readers of other languages) and the English one.
#[derive(Debug, Clone, Serialize)]
pub struct Alternates {
    pub id: String,
    pub en: String,
    pub x_default: String,
}

impl Alternates {
    /// The absolute addresses of the page `path` (unprefixed) under `base_url`.
    pub fn of(base_url: &str, path: &str) -> Self {
        let id = format!("{base_url}{}", Lang::Id.path(path));
        Self {
            en: format!("{base_url}{}", Lang::En.path(path)),
            x_default: id.clone(),
            id,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct NavCategory {
    pub slug: String,
    pub name: String,
}

/// The picture a shared link shows when a page has none of its own (1200×630): the shop's
/// name on its colours.
pub const SHARE_IMAGE: &str = "/static/icons/share.png";

/// What every page needs: language, links, title and social metadata.
pub struct PageFrame<'a> {
    pub lang: Lang,
    pub base_url: &'a str,
    pub current_path: String,
    pub categories: &'a [Category],
    /// Where the page's photos are fetched: `/media/…`, or the bucket's public address.
    pub media: &'a MediaUrls,
}

/// `address` as an absolute one: a path of this site under `base_url`; an address of another
/// site (photos at the bucket's public address) as it is.
pub fn absolute(base_url: &str, address: &str) -> String {
    if address.starts_with("https://") || address.starts_with("http://") {
        address.to_string()
    } else {
        format!("{base_url}{address}")
    }
}

/// `text` escaped for XML and for an HTML attribute (`&`, `<`, `>`, `"`, `'`), leaving `/`
/// as it is (Tera's own escaping writes it as `&#x2F;`).
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

impl PageFrame<'_> {
    /// Starts a page's context with the layout variables filled in. `canonical_path` is the
    /// page's address without the language (`/produk/kopi`): the canonical link names it in
    /// the reader's language (`/en/produk/kopi` in English), and `alternates` both languages.
    /// `lang_prefix` (nothing, or `/en`) starts every link of the page to another one.
    pub fn context(
        &self,
        title: &str,
        description: &str,
        canonical_path: &str,
        image: Option<String>,
        og_kind: &'static str,
    ) -> Context {
        let mut ctx = Context::new();
        let lang = self.lang.code();
        ctx.insert("lang", lang);
        ctx.insert("other_lang", self.lang.other().code());
        ctx.insert("lang_prefix", self.lang.path_prefix());
        ctx.insert("current_path", &self.current_path);
        ctx.insert("site_name", "Etalase");
        let full_title = if title.is_empty() {
            format!("Etalase — {}", self.lang.text("site-tagline"))
        } else {
            format!("{title} — Etalase")
        };
        ctx.insert("title", &full_title);
        ctx.insert("meta_description", description);
        ctx.insert(
            "canonical_url",
            &format!("{}{}", self.base_url, self.lang.path(canonical_path)),
        );
        ctx.insert("alternates", &Alternates::of(self.base_url, canonical_path));
        ctx.insert(
            "og",
            &OpenGraph {
                title: if title.is_empty() {
                    full_title.clone()
                } else {
                    title.to_string()
                },
                description: description.to_string(),
                image: absolute(self.base_url, image.as_deref().unwrap_or(SHARE_IMAGE)),
                kind: og_kind,
            },
        );
        let nav: Vec<NavCategory> = self
            .categories
            .iter()
            .map(|c| NavCategory {
                slug: c.slug.clone(),
                name: c.name(lang).to_string(),
            })
            .collect();
        ctx.insert("nav_categories", &nav);
        ctx
    }
}

impl PageFrame<'_> {
    /// The layout of a back-office page: its canonical link is its own address `path` (the
    /// back office has no English addresses) and it names no other language's page.
    pub fn back_office_context(&self, title: &str, description: &str, path: &str) -> Context {
        let mut ctx = self.context(title, description, path, None, "website");
        ctx.insert("canonical_url", &format!("{}{}", self.base_url, path));
        ctx.remove("alternates");
        ctx
    }
}

/// Splits stored text into paragraphs for templates.
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Cuts text to at most `max` characters on a word boundary, for meta descriptions.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

/// A product's description as a reader of one language gets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Description<'a> {
    pub text: &'a str,
    /// An English reader gets the Indonesian text: the page says so and marks it `lang="id"`.
    pub untranslated: bool,
}

/// The description a reader of `lang` is shown: the Indonesian text, or for an English reader
/// the English text when there is one and the Indonesian text otherwise. Never both.
pub fn description_for<'a>(lang: Lang, indonesian: &'a str, english: &'a str) -> Description<'a> {
    match lang {
        Lang::En if !english.trim().is_empty() => Description {
            text: english,
            untranslated: false,
        },
        Lang::En => Description {
            text: indonesian,
            untranslated: true,
        },
        Lang::Id => Description {
            text: indonesian,
            untranslated: false,
        },
    }
}

/// The address of page `page` of a back-office list at `path` with its filters: the search
/// `q` when not empty, then each filter that is set, in order, then `halaman` past the first
/// page. No query at all for the first page of the whole list.
pub fn filtered_list_url(
    path: &str,
    q: &str,
    filters: &[(&str, Option<&str>)],
    page: u32,
) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        s.append_pair("q", q);
    }
    for (name, value) in filters {
        if let Some(value) = value {
            s.append_pair(name, value);
        }
    }
    if page > 1 {
        s.append_pair("halaman", &page.to_string());
    }
    let query = s.finish();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// JSON that is safe inside an HTML `<script>` element: `<`, `>` and `&` (which could close
/// the element or open a comment) and U+2028/U+2029 are written as `\u` escapes, which mean
/// the same to a JSON reader.
pub fn json_for_html(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(ch),
        }
    }
    out
}

/// One option of a select: an id and what it is called.
#[derive(Debug, Serialize)]
pub struct Choice<'a> {
    pub id: i32,
    pub name: &'a str,
}

#[cfg(test)]
mod json_tests {
    use super::json_for_html;

    #[test]
    fn json_in_html_cannot_close_the_script_or_open_a_comment() {
        let v = serde_json::json!({"d": "<!--<script></script> & \u{2028}"});
        let out = json_for_html(&v);
        assert!(
            !out.contains('<') && !out.contains('>') && !out.contains('&'),
            "{out}"
        );
        assert!(!out.contains('\u{2028}'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }
}

#[cfg(test)]
mod description_tests {
    use super::{description_for, Description};
    use crate::i18n::Lang;

    #[test]
    fn each_reader_gets_the_description_in_their_language_or_the_indonesian_one_labelled() {
        let id = "Kopi arabika sangrai medium.";
        let en = "Medium roast arabica coffee.";
        assert_eq!(
            description_for(Lang::Id, id, en),
            Description {
                text: id,
                untranslated: false
            }
        );
        assert_eq!(
            description_for(Lang::En, id, en),
            Description {
                text: en,
                untranslated: false
            }
        );
        assert_eq!(
            description_for(Lang::En, id, " "),
            Description {
                text: id,
                untranslated: true
            }
        );
    }
}
