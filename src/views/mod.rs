//! Typed view-models that templates render (see `docs/view-contract.md`).

pub mod cards;
pub mod charts;
pub mod pages;

use serde::Serialize;
use tera::Context;

use crate::i18n::Lang;
use crate::models::catalog::Category;

#[derive(Debug, Clone, Serialize)]
pub struct OpenGraph {
    pub title: String,
    pub description: String,
    pub image: Option<String>,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavCategory {
    pub slug: String,
    pub name: String,
}

/// What every page needs: language, links, title and social metadata.
pub struct PageFrame<'a> {
    pub lang: Lang,
    pub base_url: &'a str,
    pub current_path: String,
    pub categories: &'a [Category],
}

impl PageFrame<'_> {
    /// Starts a page's context with the layout variables filled in.
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
            &format!("{}{}", self.base_url, canonical_path),
        );
        ctx.insert(
            "og",
            &OpenGraph {
                title: if title.is_empty() {
                    full_title.clone()
                } else {
                    title.to_string()
                },
                description: description.to_string(),
                image: image.map(|p| format!("{}{}", self.base_url, p)),
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
