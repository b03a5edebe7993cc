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

    /// The same photo with `src` and `srcset` escaped for an attribute, for a template that
    /// prints them with `| safe` instead of filtering them on every render.
    pub fn escaped_addresses(self) -> Self {
        Self {
            src: super::escape_xml(&self.src),
            srcset: super::escape_xml(&self.srcset),
            ..self
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

/// A product in a grid: a listing shows 24, so what the template needs is ready here, in the
/// page's language (links, place, stock text, at most three badges, the photo's attributes
/// escaped), and the template only prints it. Tera looks up every `{{ p.x }}` anew and a
/// `fluent(…)` call formats a message: both cost far more per card than these fields.
#[derive(Debug, Clone, Serialize)]
pub struct ProductCard {
    /// The product page in the page's language (`/en/produk/…` in English).
    pub href: String,
    pub name: String,
    pub price: String,
    pub price_value: i64,
    /// The unit's page in the page's language.
    pub unit_href: String,
    pub unit_name: String,
    /// "City, Province".
    pub place: String,
    pub in_stock: bool,
    /// "Stok: 12" or "Habis".
    pub stock_label: String,
    /// Its addresses escaped for an attribute (`| safe` in the template).
    pub photo: Option<PhotoView>,
    /// The first three badges.
    pub badges: Vec<BadgeView>,
    /// It lacks a document the legal rules ask of it: "Menunggu legalitas", not for sale.
    pub awaiting_legal: bool,
}

/// Badges a card shows; the product page lists them all.
const CARD_BADGES: usize = 3;

impl ProductCard {
    pub fn from_data(data: &CardData, lang: Lang, urls: &MediaUrls) -> Self {
        let product = &data.product;
        Self {
            href: lang.path(&format!("/produk/{}", product.slug)),
            name: product.name.clone(),
            price: format_price(product.price),
            price_value: product.price,
            unit_href: lang.path(&format!("/unit/{}", data.unit.slug)),
            unit_name: data.unit.brand_name.clone(),
            place: format!("{}, {}", data.unit.city, data.province_name),
            in_stock: product.stock > 0,
            stock_label: if product.stock > 0 {
                lang.text_with("stock-count", &[("count", product.stock.into())])
            } else {
                lang.text("stock-out")
            },
            photo: data
                .photo
                .as_ref()
                .map(|p| PhotoView::at(p, 320, urls).escaped_addresses()),
            badges: data
                .badges
                .iter()
                .filter_map(|r| BadgeView::from_row(r, lang))
                .take(CARD_BADGES)
                .collect(),
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
    /// "Halaman 3", for screen readers.
    pub label: String,
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
    /// `url_for(n)` builds the link of page n (keeping the other query parameters); the
    /// links' labels are in `lang`.
    pub fn new(
        lang: Lang,
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
                        label: String::new(),
                    });
                }
                pages.push(PageLink {
                    number: n,
                    url: url_for(n),
                    current: n == page,
                    gap: false,
                    label: lang.text_with("pagination-page", &[("page", n.into())]),
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
        let p = Pagination::new(Lang::Id, 10, 24, 24 * 30, |n| format!("?page={n}"));
        let numbers: Vec<u32> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 8, 9, 10, 11, 12, 0, 30]);
        assert_eq!(p.prev_url.as_deref(), Some("?page=9"));
        assert_eq!(p.next_url.as_deref(), Some("?page=11"));
        assert!(p.pages[2].label.starts_with("Halaman") && p.pages[2].label.contains('8'));
    }

    fn card_data(stock: i32, badge_kinds: &[&str]) -> CardData {
        use crate::models::product::ProductBrief;
        use crate::models::unit::UnitBrief;
        CardData {
            product: ProductBrief {
                id: 7,
                slug: "kopi-gayo".into(),
                name: "Kopi Gayo".into(),
                price: 85_000,
                stock,
                category_id: 1,
                kind: "coffee".into(),
            },
            unit: UnitBrief {
                id: 3,
                slug: "lapas-takengon".into(),
                name: "Lapas Takengon".into(),
                brand_name: "Gayo Karya".into(),
                city: "Takengon".into(),
                logo_path: None,
            },
            province_name: "Aceh".into(),
            photo: Some(Photo {
                id: 1,
                product_id: 7,
                position: 0,
                path_base: "products/7/a".into(),
                alt: "Kopi".into(),
                width: 800,
                height: 600,
            }),
            badges: badge_kinds
                .iter()
                .map(|k| BadgeRow {
                    product_id: Some(7),
                    kind: (*k).into(),
                    number: "1".into(),
                    issuer: "BPOM".into(),
                    expires_on: None,
                })
                .collect(),
            awaiting_legal: false,
        }
    }

    #[test]
    fn a_card_links_to_pages_in_its_language_and_says_its_place_and_stock() {
        let urls = MediaUrls::default();
        let id = ProductCard::from_data(&card_data(12, &[]), Lang::Id, &urls);
        assert_eq!(id.href, "/produk/kopi-gayo");
        assert_eq!(id.unit_href, "/unit/lapas-takengon");
        assert_eq!(id.place, "Takengon, Aceh");
        assert!(id.stock_label.contains("Stok") && id.stock_label.contains("12"));
        let en = ProductCard::from_data(&card_data(0, &[]), Lang::En, &urls);
        assert_eq!(en.href, "/en/produk/kopi-gayo");
        assert_eq!(en.unit_href, "/en/unit/lapas-takengon");
        assert!(!en.in_stock);
        assert_eq!(en.stock_label, "Sold out");
    }

    #[test]
    fn a_card_shows_three_badges_at_most_and_its_photo_addresses_escaped_for_an_attribute() {
        let card = ProductCard::from_data(
            &card_data(1, &["NIB", "PIRT", "HALAL", "HKI"]),
            Lang::Id,
            &MediaUrls::public("https://cdn.example.id/x?a=1&b=2"),
        );
        let codes: Vec<_> = card.badges.iter().map(|b| b.code).collect();
        assert_eq!(codes, ["NIB", "PIRT", "HALAL"]);
        let photo = card.photo.expect("the card has its photo");
        assert_eq!(
            photo.src,
            "https://cdn.example.id/x?a=1&amp;b=2/media/products/7/a-320.jpg"
        );
        assert!(!photo.srcset.contains("&b") && photo.srcset.contains("&amp;b=2"));
    }

    #[test]
    fn xml_escaping_covers_the_five_characters_and_leaves_slashes() {
        assert_eq!(
            crate::views::escape_xml(r#"<a href="/x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;/x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn pagination_of_an_empty_listing_has_one_page() {
        let p = Pagination::new(Lang::Id, 1, 24, 0, |n| format!("?page={n}"));
        assert_eq!(p.total_pages, 1);
        assert!(p.next_url.is_none() && p.prev_url.is_none());
    }
}
