//! Page view-models: each takes what its model query returned and fills a template context.

use serde::Serialize;
use serde_json::json;
use tera::Context;

use super::cards::{format_price, BadgeView, Pagination, PhotoView, ProductCard, UnitCard};
use super::impact::UnitImpactView;
use super::{excerpt, paragraphs, PageFrame};
use std::collections::HashMap;

use crate::domain::order::{chargeable_kg, region_of, shipping_hint};
use crate::domain::query::{Understood, WordsDropped};
use crate::domain::{group_thousands, CertificationKind, ListingSort, UnitKind};
use crate::i18n::Lang;
use crate::models::catalog::{Category, Province};
use crate::models::certification::BadgeRow;
use crate::models::product::{CardData, ListingPage, Photo, Product};
use crate::models::rollup::UnitImpact;
use crate::models::unit::{Unit, UnitSummary};
use crate::search::params::SearchParams;
use crate::search::{SearchResults, SearchSort, PRICE_BANDS};
use crate::services::media::MediaUrls;

pub const PER_PAGE: u32 = 24;

/// `help.html`, `privacy.html`, `about.html`: pages of static text (their Fluent keys start
/// with `page`). `page` also names the template and the keys of the title and description.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct InfoPage {
    pub page: &'static str,
    /// The page's own address, for the canonical link.
    pub path: &'static str,
}

impl InfoPage {
    pub const HELP: InfoPage = InfoPage {
        page: "help",
        path: "/bantuan",
    };
    pub const PRIVACY: InfoPage = InfoPage {
        page: "privacy",
        path: "/privasi",
    };
    pub const ABOUT: InfoPage = InfoPage {
        page: "about",
        path: "/tentang",
    };
}

pub struct HomeData {
    pub featured: Vec<CardData>,
    pub categories: Vec<(Category, i64)>,
    pub units: Vec<UnitSummary>,
    pub provinces: Vec<(Province, i64)>,
    pub unit_count: i64,
    pub product_count: i64,
}

pub fn home(frame: &PageFrame, data: &HomeData) -> Context {
    let lang = frame.lang;
    let mut ctx = frame.context(
        "",
        &lang.text("home-meta-description"),
        "/",
        None,
        "website",
    );
    ctx.insert(
        "featured",
        &ProductCard::list(&data.featured, lang, frame.media),
    );
    let categories: Vec<_> = data
        .categories
        .iter()
        .map(|(c, n)| {
            json!({"slug": c.slug, "name": c.name(lang.code()),
                   "description": c.description(lang.code()), "product_count": n})
        })
        .collect();
    ctx.insert("categories", &categories);
    ctx.insert("units", &UnitCard::list(&data.units, frame.media));
    let provinces: Vec<_> = data
        .provinces
        .iter()
        .map(|(p, n)| json!({"slug": p.slug, "name": p.name, "island_group": p.island_group, "unit_count": n}))
        .collect();
    ctx.insert("provinces", &provinces);
    ctx.insert(
        "stats",
        &json!({"units": data.unit_count, "products": data.product_count, "provinces": data.provinces.len()}),
    );
    ctx
}

#[derive(Serialize)]
struct SortOption {
    value: &'static str,
    label: String,
    selected: bool,
}

/// A link to `path` (which may carry a query already) with the parameters of a listing.
pub fn listing_url(path: &str, sort: ListingSort, page: u32) -> String {
    let mut url = path.to_string();
    let mut sep = if path.contains('?') { '&' } else { '?' };
    if sort != ListingSort::default() {
        url.push_str(&format!("{sep}sort={}", sort.code()));
        sep = '&';
    }
    if page > 1 {
        url.push_str(&format!("{sep}page={page}"));
    }
    url
}

pub fn category(
    frame: &PageFrame,
    category: &Category,
    listing: &ListingPage,
    sort: ListingSort,
    page: u32,
) -> Context {
    let lang = frame.lang;
    let path = format!("/kategori/{}", category.slug);
    let mut ctx = frame.context(
        category.name(lang.code()),
        &excerpt(category.description(lang.code()), 155),
        &listing_url(&path, sort, page),
        listing
            .cards
            .first()
            .and_then(|c| c.photo.as_ref())
            .map(|p| frame.media.variant(&p.path_base, 720)),
        "website",
    );
    ctx.insert(
        "category",
        &json!({"slug": category.slug, "name": category.name(lang.code()),
                "description": category.description(lang.code())}),
    );
    ctx.insert(
        "breadcrumb_ld",
        &breadcrumb_json_ld(&[
            home_step(frame),
            (
                category.name(lang.code()).to_string(),
                format!("{}{}", frame.base_url, lang.path(&path)),
            ),
        ]),
    );
    ctx.insert(
        "products",
        &ProductCard::list(&listing.cards, lang, frame.media),
    );
    ctx.insert("sort", sort.code());
    let sorts: Vec<SortOption> = ListingSort::ALL
        .iter()
        .map(|s| SortOption {
            value: s.code(),
            label: lang.text(&format!("sort-{}", s.code().replace('_', "-"))),
            selected: *s == sort,
        })
        .collect();
    ctx.insert("sorts", &sorts);
    ctx.insert(
        "pagination",
        &Pagination::new(lang, page, PER_PAGE, listing.total, |n| {
            lang.path(&listing_url(&path, sort, n))
        }),
    );
    ctx
}

pub struct ProductData {
    pub product: Product,
    pub category: Category,
    pub unit: Unit,
    pub province_name: String,
    pub province_slug: String,
    /// The island group of the unit's province, where parcels leave from.
    pub island_group: String,
    /// Pieces sold on the web (orders paid or later) and at fair booths.
    pub sold: i64,
    pub photos: Vec<Photo>,
    pub badges: Vec<BadgeRow>,
    /// What the legal rules still ask of it (empty: it may be sold).
    pub missing_documents: crate::domain::legal::MissingDocuments,
    pub related: Vec<CardData>,
}

fn weight_label(grams: i32) -> String {
    if grams >= 1000 {
        let kg = f64::from(grams) / 1000.0;
        format!("{kg:.1} kg")
            .replace('.', ",")
            .replace(",0 kg", " kg")
    } else {
        format!("{grams} g")
    }
}

/// The first step of every breadcrumb trail: the home page, by name and absolute address (in
/// the reader's language, as every step).
fn home_step(frame: &PageFrame) -> (String, String) {
    (
        frame.lang.text("nav-home"),
        format!("{}{}", frame.base_url, frame.lang.path("/")),
    )
}

/// A schema.org `BreadcrumbList` of `steps` (name, absolute address), numbered from 1, as JSON
/// safe inside a `<script>` element.
fn breadcrumb_json_ld(steps: &[(String, String)]) -> String {
    let items: Vec<serde_json::Value> = steps
        .iter()
        .enumerate()
        .map(|(i, (name, url))| {
            json!({"@type": "ListItem", "position": i + 1, "name": name, "item": url})
        })
        .collect();
    super::json_for_html(&json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    }))
}

/// How many pieces were sold, grouped by thousands as the reader's language writes them
/// (`1.234` in Indonesian, `1,234` in English); None when none were.
fn sold_label(sold: i64, lang: Lang) -> Option<String> {
    let separator = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    (sold > 0).then(|| group_thousands(sold.unsigned_abs(), separator))
}

pub fn product(frame: &PageFrame, data: &ProductData) -> Context {
    let lang = frame.lang;
    let p = &data.product;
    let path = format!("/produk/{}", p.slug);
    // The page's own address in the reader's language: shared, and the offer's in JSON-LD.
    let url = format!("{}{}", frame.base_url, lang.path(&path));
    let price = format_price(p.price);
    // The reader's language only; meta, Open Graph and JSON-LD descriptions follow it.
    let text = super::description_for(lang, &p.description, &p.description_en);
    let description = excerpt(text.text, 155);
    let image = data
        .photos
        .first()
        .map(|ph| frame.media.variant(&ph.path_base, 1280));
    let mut ctx = frame.context(&p.name, &description, &path, image.clone(), "product");
    let badges = BadgeView::list(&data.badges, lang);
    let share_text = lang.text_with(
        "share-text",
        &[
            ("name", p.name.clone().into()),
            ("price", price.clone().into()),
            ("url", url.clone().into()),
        ],
    );
    let whatsapp_url = format!(
        "https://wa.me/?text={}",
        url::form_urlencoded::byte_serialize(share_text.as_bytes()).collect::<String>()
    );
    // One piece, as checkout would weigh it, from the unit's region to the cheapest one.
    let shipping = shipping_hint(
        region_of(&data.island_group),
        chargeable_kg(
            i64::from(p.weight_g),
            i64::from(p.length_cm),
            i64::from(p.width_cm),
            i64::from(p.height_cm),
        ),
    );
    ctx.insert(
        "product",
        &json!({
            "id": p.id, "slug": p.slug, "name": p.name, "description": paragraphs(text.text),
            "description_untranslated": text.untranslated,
            "price": price, "price_value": p.price, "stock": p.stock, "in_stock": p.stock > 0,
            "weight_label": weight_label(p.weight_g),
            "dimensions": format!("{} × {} × {} cm", p.length_cm, p.width_cm, p.height_cm),
            "category": {"slug": data.category.slug, "name": data.category.name(lang.code())},
            "unit": {
                "slug": data.unit.slug, "name": data.unit.name, "brand_name": data.unit.brand_name,
                "city": data.unit.city, "province_name": data.province_name,
                "province_slug": data.province_slug, "story": paragraphs(&data.unit.story),
            },
            "photos": data.photos.iter().map(|ph| PhotoView::at(ph, 480, frame.media)).collect::<Vec<_>>(),
            "badges": badges,
            "awaiting_legal": !data.missing_documents.is_empty(),
            "missing_documents": super::legal::missing_lines(lang, &data.missing_documents),
            "whatsapp_url": whatsapp_url,
            "sold": data.sold,
            "sold_label": sold_label(data.sold, lang),
            "shipping": {
                "lowest_fee": format_price(shipping.lowest_fee),
                "pickup": shipping.pickup && !data.unit.pickup_address.trim().is_empty(),
            },
        }),
    );
    // A product waiting for its legal documents cannot be bought either.
    let availability = if p.stock > 0 && data.missing_documents.is_empty() {
        "https://schema.org/InStock"
    } else {
        "https://schema.org/OutOfStock"
    };
    let json_ld = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "name": p.name,
        "description": description,
        "sku": p.slug,
        "image": image.map(|i| super::absolute(frame.base_url, &i)),
        "category": data.category.name(lang.code()),
        "brand": {"@type": "Brand", "name": data.unit.brand_name},
        "offers": {
            "@type": "Offer",
            "url": url,
            "priceCurrency": "IDR",
            "price": p.price,
            "availability": availability,
            "seller": {"@type": "Organization", "name": data.unit.name},
        },
    });
    ctx.insert("json_ld", &super::json_for_html(&json_ld));
    ctx.insert(
        "breadcrumb_ld",
        &breadcrumb_json_ld(&[
            home_step(frame),
            (
                data.category.name(lang.code()).to_string(),
                format!(
                    "{}{}",
                    frame.base_url,
                    lang.path(&format!("/kategori/{}", data.category.slug))
                ),
            ),
            (p.name.clone(), url.clone()),
        ]),
    );
    ctx.insert(
        "related",
        &ProductCard::list(&data.related, lang, frame.media),
    );
    ctx
}

pub struct UnitData {
    pub unit: Unit,
    pub province_name: String,
    pub province_slug: String,
    pub badges: Vec<BadgeRow>,
    pub listing: ListingPage,
    /// Its own sales since its first, from the daily roll-ups.
    pub impact: UnitImpact,
}

pub fn unit(frame: &PageFrame, data: &UnitData, page: u32) -> Context {
    let lang = frame.lang;
    let u = &data.unit;
    let path = format!("/unit/{}", u.slug);
    let kind = UnitKind::parse(&u.kind).ok();
    let mut ctx = frame.context(
        &format!("{} — {}", u.brand_name, u.name),
        &excerpt(&u.story, 155),
        &listing_url(&path, ListingSort::default(), page),
        u.banner_path.as_deref().map(|b| frame.media.file(b)),
        "website",
    );
    ctx.insert(
        "unit",
        &json!({
            "slug": u.slug, "name": u.name, "class": u.class, "brand_name": u.brand_name,
            "kind_label": kind.map(|k| k.label(lang.code())).unwrap_or_default(),
            "story": paragraphs(&u.story), "city": u.city, "province_name": data.province_name,
            "province_slug": data.province_slug, "pickup_address": u.pickup_address,
            "logo": u.logo_path.as_deref().map(|l| frame.media.file(l)),
            "banner": u.banner_path.as_deref().map(|b| frame.media.file(b)),
            "badges": BadgeView::list(&data.badges, lang),
        }),
    );
    ctx.insert("unit_impact", &UnitImpactView::new(lang, &data.impact));
    ctx.insert(
        "products",
        &ProductCard::list(&data.listing.cards, lang, frame.media),
    );
    ctx.insert("product_count", &data.listing.total);
    ctx.insert(
        "pagination",
        &Pagination::new(lang, page, PER_PAGE, data.listing.total, |n| {
            lang.path(&listing_url(&path, ListingSort::default(), n))
        }),
    );
    ctx
}

pub struct ProvinceData {
    pub province: Province,
    pub units: Vec<UnitSummary>,
    pub newest: Vec<CardData>,
}

pub fn province(frame: &PageFrame, data: &ProvinceData) -> Context {
    let lang = frame.lang;
    let p = &data.province;
    let description = lang.text_with(
        "province-meta-description",
        &[
            ("province", p.name.clone().into()),
            ("units", (data.units.len() as i64).into()),
        ],
    );
    let mut ctx = frame.context(
        &p.name,
        &description,
        &format!("/provinsi/{}", p.slug),
        None,
        "website",
    );
    ctx.insert(
        "province",
        &json!({"slug": p.slug, "name": p.name, "island_group": p.island_group}),
    );
    ctx.insert("units", &UnitCard::list(&data.units, frame.media));
    ctx.insert(
        "products",
        &ProductCard::list(&data.newest, lang, frame.media),
    );
    ctx
}

/// What the search handler found, for the page.
pub struct SearchPage<'a> {
    pub params: &'a SearchParams,
    pub results: &'a SearchResults,
    pub cards: &'a [CardData],
    /// Queries offered when nothing was found ("Mungkin maksud Anda"), each finding something.
    pub suggestions: &'a [String],
    /// The engine failed; the cards come from matching names in the database.
    pub unavailable: bool,
    pub unit_names: &'a HashMap<String, String>,
    /// What the query was understood to say, as searched.
    pub understood: &'a Understood,
    /// The words left out because alone they matched nothing.
    pub dropped: Option<&'a WordsDropped>,
}

#[derive(Serialize)]
struct FacetOption {
    value: String,
    label: String,
    count: u64,
    selected: bool,
}

#[derive(Serialize)]
struct FacetGroup {
    param: &'static str,
    title: String,
    options: Vec<FacetOption>,
}

const FACET_OPTIONS_SHOWN: usize = 12;

fn band_label(code: &str) -> String {
    match PRICE_BANDS.iter().find(|(c, _, _)| *c == code) {
        Some((_, 0, Some(hi))) => format!("≤ {}", format_price(*hi)),
        Some((_, lo, Some(hi))) => format!("{} – {}", format_price(*lo), format_price(*hi)),
        Some((_, lo, None)) => format!("≥ {}", format_price(*lo)),
        None => code.to_string(),
    }
}

fn facet_group(
    param: &'static str,
    title: String,
    counts: Option<&std::collections::BTreeMap<String, u64>>,
    selected: &[String],
    label: impl Fn(&str) -> String,
) -> FacetGroup {
    let mut values: Vec<(String, u64)> = counts
        .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
        .unwrap_or_default();
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values.truncate(FACET_OPTIONS_SHOWN);
    for s in selected {
        if !values.iter().any(|(v, _)| v == s) {
            values.push((s.clone(), 0));
        }
    }
    FacetGroup {
        param,
        title,
        options: values
            .into_iter()
            .map(|(value, count)| FacetOption {
                label: label(&value),
                selected: selected.contains(&value),
                value,
                count,
            })
            .collect(),
    }
}

pub fn search(frame: &PageFrame, page: &SearchPage) -> Context {
    let lang = frame.lang;
    let params = page.params;
    let q = params.text.as_str();
    let title = if q.is_empty() {
        lang.text("search-title")
    } else {
        lang.text_with("search-title-for", &[("query", q.to_string().into())])
    };
    let description = if q.is_empty() {
        lang.text("search-meta-description")
    } else {
        lang.text_with(
            "search-meta-description-for",
            &[("query", excerpt(q, 60).into())],
        )
    };
    let mut ctx = frame.context(&title, &description, "/cari", None, "website");
    ctx.insert("q", q);
    ctx.insert(
        "products",
        &ProductCard::list(page.cards, lang, frame.media),
    );
    ctx.insert("total", &page.results.total);
    ctx.insert("unavailable", &page.unavailable);
    ctx.insert("filtered", &!params.filters.is_empty());
    // The same search with the query respelled (its filters and understanding kept).
    let suggestions: Vec<_> = page
        .suggestions
        .iter()
        .map(|query| {
            let respelled = SearchParams {
                text: query.clone(),
                page: 1,
                ..params.clone()
            };
            json!({"query": query, "url": lang.path(&respelled.url(1))})
        })
        .collect();
    ctx.insert("suggestions", &suggestions);
    ctx.insert("dropped_note", &page.dropped.map(|d| dropped_note(lang, d)));
    // "murah" in the query sorts cheapest first unless a sort was chosen.
    let sort = if page.understood.cheap {
        SearchSort::PriceAsc
    } else {
        params.sort
    };
    let sorts: Vec<_> = SearchSort::ALL
        .iter()
        .map(|s| {
            let key = match s {
                SearchSort::Relevance => "sort-relevance",
                SearchSort::PriceAsc => "sort-price-asc",
                SearchSort::PriceDesc => "sort-price-desc",
                SearchSort::Newest => "sort-newest",
            };
            json!({"code": s.code(), "label": lang.text(key), "selected": *s == sort})
        })
        .collect();
    ctx.insert("sorts", &sorts);
    let understood = understood_chips(lang, params, page.understood);
    // "Search exactly what I typed", offered while something was understood.
    let literal_url = (!understood.is_empty()).then(|| {
        let literal = SearchParams {
            literal: true,
            ignored: Vec::new(),
            ..params.clone()
        };
        lang.path(&literal.url(1))
    });
    ctx.insert("understood_chips", &understood);
    ctx.insert("literal_url", &literal_url);
    ctx.insert("literal", &params.literal);
    ctx.insert("ignored", &params.ignored);
    let facets = &page.results.facets;
    let f = &params.filters;
    let category_name = |name_id: &str| {
        frame
            .categories
            .iter()
            .find(|c| c.name_id == name_id)
            .map(|c| c.name(lang.code()).to_string())
            .unwrap_or_else(|| name_id.to_string())
    };
    let groups = vec![
        facet_group(
            "kategori",
            lang.text("facet-category"),
            facets.get("category"),
            &f.categories,
            category_name,
        ),
        facet_group(
            "sertifikat",
            lang.text("facet-certification"),
            facets.get("certifications"),
            &f.certifications,
            |code| {
                CertificationKind::parse(code)
                    .map(|k| k.label(lang.code()).to_string())
                    .unwrap_or_else(|_| code.to_string())
            },
        ),
        facet_group(
            "provinsi",
            lang.text("facet-province"),
            facets.get("province"),
            &f.provinces,
            str::to_string,
        ),
        facet_group(
            "unit",
            lang.text("facet-unit"),
            facets.get("unit_slug"),
            &f.units,
            |slug| {
                page.unit_names
                    .get(slug)
                    .cloned()
                    .unwrap_or_else(|| slug.to_string())
            },
        ),
    ];
    let active = active_filters(lang, params, &groups);
    ctx.insert("active_count", &active.len());
    ctx.insert("active_filters", &active);
    ctx.insert("facet_groups", &groups);
    let band_counts = facets.get("price_band");
    let bands: Vec<_> = PRICE_BANDS
        .iter()
        .map(|(code, _, _)| {
            json!({"value": code, "label": band_label(code),
                   "count": band_counts.and_then(|m| m.get(*code)).copied().unwrap_or(0),
                   "selected": params.band.as_deref() == Some(*code)})
        })
        .collect();
    ctx.insert("price_bands", &bands);
    ctx.insert("price_min", &f.price_min.filter(|_| params.band.is_none()));
    ctx.insert("price_max", &f.price_max.filter(|_| params.band.is_none()));
    ctx.insert("in_stock", &f.in_stock);
    ctx.insert(
        "in_stock_count",
        &facets
            .get("in_stock")
            .and_then(|m| m.get("true"))
            .copied()
            .unwrap_or(0),
    );
    ctx.insert("sort", sort.code());
    let clear = SearchParams {
        text: params.text.clone(),
        ..SearchParams::default()
    };
    ctx.insert("clear_url", &lang.path(&clear.url(1)));
    let shown_total = page.results.total.min(MAX_SEARCH_RESULTS);
    ctx.insert(
        "pagination",
        &Pagination::new(lang, params.page, PER_PAGE, shown_total as i64, |n| {
            lang.path(&params.url(n))
        }),
    );
    ctx
}

/// "Menampilkan hasil untuk kopi toraja (tanpa ‘xyz’)": the words searched and those left out,
/// or "Menampilkan hasil untuk kopi gayo" when words were only corrected.
fn dropped_note(lang: Lang, dropped: &WordsDropped) -> String {
    let query = dropped.searched.join(" ");
    if dropped.dropped.is_empty() {
        return lang.text_with("search-corrected", &[("query", query.into())]);
    }
    let left_out: Vec<String> = dropped.dropped.iter().map(|w| format!("‘{w}’")).collect();
    lang.text_with(
        "search-dropped",
        &[
            ("query", query.into()),
            ("dropped", left_out.join(", ").into()),
        ],
    )
}

/// A filter that is on, as a chip that leads to the same search without it.
#[derive(Serialize)]
struct ActiveFilter {
    label: String,
    remove_url: String,
}

/// Every filter that is on (facet values, the price range, in stock), each with the address of
/// the same search without it (first page, same sort).
fn active_filters(lang: Lang, params: &SearchParams, groups: &[FacetGroup]) -> Vec<ActiveFilter> {
    let without = |change: &dyn Fn(&mut SearchParams)| {
        let mut p = params.clone();
        change(&mut p);
        lang.path(&p.url(1))
    };
    let mut active = Vec::new();
    for g in groups {
        for o in g.options.iter().filter(|o| o.selected) {
            let remove_url = without(&|p: &mut SearchParams| {
                let f = &mut p.filters;
                let values = match g.param {
                    "kategori" => &mut f.categories,
                    "sertifikat" => &mut f.certifications,
                    "provinsi" => &mut f.provinces,
                    _ => &mut f.units,
                };
                values.retain(|v| *v != o.value);
            });
            active.push(ActiveFilter {
                label: o.label.clone(),
                remove_url,
            });
        }
    }
    let f = &params.filters;
    let price = match (&params.band, f.price_min, f.price_max) {
        (Some(band), _, _) => Some(band_label(band)),
        (None, Some(lo), Some(hi)) => Some(format!("{} – {}", format_price(lo), format_price(hi))),
        (None, Some(lo), None) => Some(format!("≥ {}", format_price(lo))),
        (None, None, Some(hi)) => Some(format!("≤ {}", format_price(hi))),
        (None, None, None) => None,
    };
    if let Some(label) = price {
        active.push(ActiveFilter {
            label,
            remove_url: without(&|p: &mut SearchParams| {
                p.band = None;
                p.filters.price_min = None;
                p.filters.price_max = None;
            }),
        });
    }
    if f.in_stock {
        active.push(ActiveFilter {
            label: lang.text("facet-in-stock"),
            remove_url: without(&|p: &mut SearchParams| p.filters.in_stock = false),
        });
    }
    active
}

/// What the query was understood to say, as a chip that leads to the same search with that
/// understanding turned off (`abaikan`), its link named "Hapus filter …" for screen readers.
#[derive(Serialize)]
struct UnderstoodChip {
    label: String,
    remove_url: String,
    remove_label: String,
}

fn understood_chips(
    lang: Lang,
    params: &SearchParams,
    understood: &Understood,
) -> Vec<UnderstoodChip> {
    understood
        .chips
        .iter()
        .map(|chip| {
            let label = chip.label(lang.code()).to_string();
            let mut without = params.clone();
            without.ignored.push(chip.key.clone());
            UnderstoodChip {
                remove_url: lang.path(&without.url(1)),
                remove_label: lang.text_with(
                    "search-understood-remove",
                    &[("label", label.clone().into())],
                ),
                label,
            }
        })
        .collect()
}

/// Pages beyond this many results are not offered (Meilisearch's `maxTotalHits`).
const MAX_SEARCH_RESULTS: u64 = 5_000;

/// The error page; it has no navigation categories so it never needs the database.
pub fn error(lang: Lang, status: u16, path: &str, base_url: &str) -> Context {
    let frame = PageFrame {
        lang,
        base_url,
        current_path: path.to_string(),
        categories: &[],
        media: &MediaUrls::default(),
    };
    let title = lang.text(&format!("error-{status}-title"));
    let mut ctx = frame.context(&title, &title, path, None, "website");
    // An error is no page of its own in either language.
    ctx.remove("alternates");
    ctx.insert("status", &status);
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_written_the_indonesian_way() {
        assert_eq!(weight_label(400), "400 g");
        assert_eq!(weight_label(1500), "1,5 kg");
        assert_eq!(weight_label(2000), "2 kg");
    }

    #[test]
    fn pieces_sold_are_grouped_by_thousands_in_the_readers_language_and_none_is_not_said() {
        assert_eq!(sold_label(0, Lang::Id), None);
        assert_eq!(sold_label(12, Lang::Id).as_deref(), Some("12"));
        assert_eq!(sold_label(1_234, Lang::Id).as_deref(), Some("1.234"));
        assert_eq!(sold_label(1_234, Lang::En).as_deref(), Some("1,234"));
    }

    #[test]
    fn breadcrumbs_are_numbered_from_one_in_order() {
        let json = breadcrumb_json_ld(&[
            ("Beranda".to_string(), "https://etalase.id/".to_string()),
            (
                "Kuliner & <Kopi>".to_string(),
                "https://etalase.id/kategori/kuliner".to_string(),
            ),
        ]);
        assert!(!json.contains('<') && !json.contains('&'), "{json}");
        let ld: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(ld["@type"], "BreadcrumbList");
        assert_eq!(ld["itemListElement"][0]["position"], 1);
        assert_eq!(ld["itemListElement"][1]["position"], 2);
        assert_eq!(ld["itemListElement"][1]["name"], "Kuliner & <Kopi>");
        assert_eq!(
            ld["itemListElement"][1]["item"],
            "https://etalase.id/kategori/kuliner"
        );
    }

    #[test]
    fn listing_urls_leave_out_default_sort_and_first_page() {
        assert_eq!(
            listing_url("/kategori/kuliner", ListingSort::Popular, 1),
            "/kategori/kuliner"
        );
        assert_eq!(
            listing_url("/kategori/kuliner", ListingSort::PriceAsc, 3),
            "/kategori/kuliner?sort=price_asc&page=3"
        );
        assert_eq!(
            listing_url("/cari?q=kopi", ListingSort::Newest, 2),
            "/cari?q=kopi&sort=newest&page=2"
        );
    }
}
