//! Product cards, unit cards, photos, badges and pagination.

use serde::Serialize;

use crate::domain::{format_rupiah, CertificationKind};
use crate::i18n::Lang;
use crate::models::certification::BadgeRow;
use crate::models::product::{CardData, Photo};
use crate::models::unit::UnitSummary;
use crate::services::media::MediaUrls;

#[derive(Debug, Clone, Serialize)]
pub struct PhotoView {
    pub src: String,
    pub srcset: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

impl PhotoView {
    /// A photo at the app's own addresses (`/media/…`): the back office's.
    pub fn from_photo(photo: &Photo, default_width: u32) -> Self {
        Self::at(photo, default_width, &MediaUrls::default())
    }

    /// A photo at the addresses `urls` gives (the bucket's public address when there is one):
    /// the shop's pages.
    pub fn at(photo: &Photo, default_width: u32, urls: &MediaUrls) -> Self {
        Self {
            src: urls.variant(&photo.path_base, default_width),
            srcset: urls.srcset(&photo.path_base),
            alt: photo.alt.clone(),
            width: photo.width,
            height: photo.height,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BadgeView {
    pub code: &'static str,
    pub label: &'static str,
    pub number: String,
    pub issuer: String,
    pub expires_on: Option<String>,
}

impl BadgeView {
    pub fn from_row(row: &BadgeRow, lang: Lang) -> Option<Self> {
        let kind = CertificationKind::parse(&row.kind).ok()?;
        Some(Self {
            code: kind.code(),
            label: kind.label(lang.code()),
            number: row.number.clone(),
            issuer: row.issuer.clone(),
            expires_on: row.expires_on.clone(),
        })
    }

    pub fn list(rows: &[BadgeRow], lang: Lang) -> Vec<Self> {
        rows.iter()
            .filter_map(|r| Self::from_row(r, lang))
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub price: String,
    pub price_value: i64,
    pub unit_name: String,
    pub unit_slug: String,
    pub city: String,
    pub province_name: String,
    pub in_stock: bool,
    pub stock: i32,
    pub photo: Option<PhotoView>,
    pub badges: Vec<BadgeView>,
    /// It lacks a document the legal rules ask of it: "Menunggu legalitas", not for sale.
    pub awaiting_legal: bool,
}

impl ProductCard {
    pub fn from_data(data: &CardData, lang: Lang, urls: &MediaUrls) -> Self {
        Self {
            slug: data.product.slug.clone(),
            name: data.product.name.clone(),
            price: format_price(data.product.price),
            price_value: data.product.price,
            unit_name: data.unit.brand_name.clone(),
            unit_slug: data.unit.slug.clone(),
            city: data.unit.city.clone(),
            province_name: data.province_name.clone(),
            in_stock: data.product.stock > 0,
            stock: data.product.stock,
            photo: data.photo.as_ref().map(|p| PhotoView::at(p, 320, urls)),
            badges: BadgeView::list(&data.badges, lang),
            awaiting_legal: data.awaiting_legal,
        }
    }

    pub fn list(data: &[CardData], lang: Lang, urls: &MediaUrls) -> Vec<Self> {
        data.iter()
            .map(|d| Self::from_data(d, lang, urls))
            .collect()
    }
}

/// Prices, totals and fees, with dots between thousands (`Rp0` for a free shipment).
pub fn format_price(amount: i64) -> String {
    format_rupiah(amount)
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitCard {
    pub slug: String,
    pub name: String,
    pub brand_name: String,
    pub city: String,
    pub province_name: String,
    pub product_count: i64,
    pub logo: Option<String>,
}

impl UnitCard {
    pub fn list(units: &[UnitSummary], urls: &MediaUrls) -> Vec<Self> {
        units
            .iter()
            .map(|u| Self {
                slug: u.unit.slug.clone(),
                name: u.unit.name.clone(),
                brand_name: u.unit.brand_name.clone(),
                city: u.unit.city.clone(),
                province_name: u.province_name.clone(),
                product_count: u.product_count,
                logo: u.unit.logo_path.as_deref().map(|logo| urls.file(logo)),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: u32,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub page: u32,
    pub total_pages: u32,
    pub total_items: i64,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

impl Pagination {
    /// `url_for(n)` builds the link of page n (keeping the other query parameters).
    pub fn new(
        page: u32,
        per_page: u32,
        total_items: i64,
        url_for: impl Fn(u32) -> String,
    ) -> Self {
        let total_pages = ((total_items.max(0) as u64).div_ceil(u64::from(per_page)) as u32).max(1);
        let mut pages = Vec::new();
        let mut last_shown = 0;
        for n in 1..=total_pages {
            let near = n.abs_diff(page) <= 2;
            if n == 1 || n == total_pages || near {
                if last_shown != 0 && n > last_shown + 1 {
                    pages.push(PageLink {
                        number: 0,
                        url: String::new(),
                        current: false,
                        gap: true,
                    });
                }
                pages.push(PageLink {
                    number: n,
                    url: url_for(n),
                    current: n == page,
                    gap: false,
                });
                last_shown = n;
            }
        }
        Self {
            page,
            total_pages,
            total_items,
            prev_url: (page > 1).then(|| url_for(page - 1)),
            next_url: (page < total_pages).then(|| url_for(page + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_ends_neighbours_and_gaps() {
        let p = Pagination::new(10, 24, 24 * 30, |n| format!("?page={n}"));
        let numbers: Vec<u32> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 8, 9, 10, 11, 12, 0, 30]);
        assert_eq!(p.prev_url.as_deref(), Some("?page=9"));
        assert_eq!(p.next_url.as_deref(), Some("?page=11"));
    }

    #[test]
    fn pagination_of_an_empty_listing_has_one_page() {
        let p = Pagination::new(1, 24, 0, |n| format!("?page={n}"));
        assert_eq!(p.total_pages, 1);
        assert!(p.next_url.is_none() && p.prev_url.is_none());
    }
}
