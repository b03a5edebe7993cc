//! Products, their photos, and the listing queries of the public catalogue.

use diesel::prelude::*;

use crate::db::dialect::{in_ids, row_at_least, row_at_most};
use crate::db::schema::{product_photos, products, provinces, units};
use crate::db::DbConnection;
use crate::domain::legal::MissingDocuments;
use crate::domain::{ListingSort, PageNumber};
use crate::models::certification::BadgeRow;
use crate::models::unit::UnitBrief;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct Product {
    pub id: i32,
    pub unit_id: i32,
    pub category_id: i32,
    pub slug: String,
    pub kind: String,
    pub name: String,
    /// In Indonesian.
    pub description: String,
    /// In English; empty when there is none.
    pub description_en: String,
    pub price: i64,
    pub stock: i32,
    pub weight_g: i32,
    pub length_cm: i32,
    pub width_cm: i32,
    pub height_cm: i32,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::ProductStatus,
    pub return_reason: Option<String>,
    pub featured: i32,
    pub popularity: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns a product card needs.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = products)]
pub struct ProductBrief {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub price: i64,
    pub stock: i32,
    /// For the legal check (`models::legal::badges_and_missing`).
    pub category_id: i32,
    pub kind: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = products)]
pub struct NewProduct {
    pub unit_id: i32,
    pub category_id: i32,
    pub slug: String,
    pub kind: String,
    pub name: String,
    /// In Indonesian.
    pub description: String,
    /// In English; empty when there is none.
    pub description_en: String,
    pub price: i64,
    pub stock: i32,
    pub weight_g: i32,
    pub length_cm: i32,
    pub width_cm: i32,
    pub height_cm: i32,
    pub status: &'static str,
    pub return_reason: Option<String>,
    pub featured: i32,
    pub popularity: i32,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = product_photos)]
pub struct Photo {
    pub id: i32,
    pub product_id: i32,
    pub position: i32,
    pub path_base: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = product_photos)]
pub struct NewPhoto {
    pub product_id: i32,
    pub position: i32,
    pub path_base: String,
    pub alt: String,
    pub width: i32,
    pub height: i32,
}

/// Everything a product card shows.
#[derive(Debug, Clone)]
pub struct CardData {
    pub product: ProductBrief,
    pub unit: UnitBrief,
    pub province_name: String,
    pub photo: Option<Photo>,
    pub badges: Vec<BadgeRow>,
    /// It lacks a document the legal rules ask of it (`models::legal`): shown, not for sale.
    pub awaiting_legal: bool,
}

/// One page of a listing and the total it was cut from.
#[derive(Debug, Clone)]
pub struct ListingPage {
    pub cards: Vec<CardData>,
    pub total: i64,
}

/// Which products a listing shows.
#[derive(Debug, Clone)]
pub enum ListingScope {
    Category(i32),
    Unit(i32),
    Province(i32),
    Featured,
    /// Every word must appear in the name (case-insensitive). The real search engine arrives
    /// with the search issue; this keeps the header search box useful until then.
    NameContains(Vec<String>),
}

diesel::define_sql_function!(
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Escapes LIKE wildcards so the visitor's text is matched literally.
pub fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

type CardRow = (ProductBrief, UnitBrief, String);

/// Where listing totals and anchors are remembered: the caller's cache
/// (`services::cache::Caches`).
pub trait CountMemo {
    /// The remembered count under `key`, or `load()` remembered and returned.
    fn count_or_load(
        &self,
        key: &str,
        load: Box<dyn FnOnce() -> QueryResult<i64> + '_>,
    ) -> QueryResult<i64>;

    /// The remembered counts under each of `keys`, or, when one is missing, `load()` (a count
    /// per key, in the same order) remembered and returned.
    fn counts_or_load(
        &self,
        keys: &[String],
        load: Box<dyn FnOnce() -> QueryResult<Vec<i64>> + '_>,
    ) -> QueryResult<Vec<i64>>;

    /// The remembered anchors of a listing under `key`, or `load()` remembered and returned.
    fn anchors_or_load(
        &self,
        key: &str,
        load: Box<dyn FnOnce() -> QueryResult<Anchors> + '_>,
    ) -> QueryResult<Anchors>;
}

/// A sorted listing's rows number 0, [`ANCHOR_EVERY`], 2 × [`ANCHOR_EVERY`]…, each as its
/// sort value and id: a deep page starts from the anchor before it (a keyset condition on the
/// index) and skips fewer than [`ANCHOR_EVERY`] rows, instead of every row before it.
pub type Anchors = std::sync::Arc<Vec<(i64, i32)>>;

/// Rows between two anchors: ten pages of 24.
pub const ANCHOR_EVERY: i64 = 240;

/// The most popular cards of a category and the catalogue generation (`db::catalog_generation`)
/// they were read in, remembered by category and day.
pub type RelatedCards = (u64, std::sync::Arc<Vec<CardData>>);

/// Where the related products of product pages are remembered: the caller's cache
/// (`services::cache::TtlCache`). A product page then reads only its own product, photos and
/// documents; a card older than the last catalogue change is never shown.
pub trait RelatedMemo {
    fn get(&self, key: &str) -> Option<RelatedCards>;
    fn put(&self, key: String, cards: RelatedCards);
}

/// Totals are remembered for a few seconds: counting thousands of index entries on every
/// request was the largest cost of a listing page. The rows themselves are always fresh.
///
/// Where a listing's total is remembered, given the units switched off; none for a search by
/// name, whose words are too many to remember.
fn count_key(scope: &ListingScope, hidden: &[i32]) -> Option<String> {
    let key = match scope {
        ListingScope::NameContains(_) => return None,
        other => format!("{other:?}"),
    };
    Some(if hidden.is_empty() {
        key
    } else {
        format!("{key} without units {hidden:?}")
    })
}

/// Published products of each of `category_ids`, in that order: the totals their listings
/// remember, or all of them counted in one statement (and remembered for the listings) when
/// one is missing. The home page shows them; counting every published product on each of its
/// renders was a scan of the whole index.
pub fn category_totals(
    conn: &mut DbConnection,
    counts: &dyn CountMemo,
    category_ids: &[i32],
) -> QueryResult<Vec<i64>> {
    let hidden = crate::models::unit::inactive_ids(conn)?;
    let keys: Vec<String> = category_ids
        .iter()
        .filter_map(|id| count_key(&ListingScope::Category(*id), &hidden))
        .collect();
    counts.counts_or_load(
        &keys,
        Box::new(|| {
            let counted = crate::models::catalog::published_counts_by_category(conn)?;
            Ok(category_ids
                .iter()
                .map(|id| {
                    counted
                        .iter()
                        .find(|(category, _)| category == id)
                        .map_or(0, |(_, n)| *n)
                })
                .collect())
        }),
    )
}

/// A page of published products in a scope, sorted, with the total count.
pub fn listing(
    conn: &mut DbConnection,
    counts: &dyn CountMemo,
    scope: ListingScope,
    sort: ListingSort,
    page: PageNumber,
    per_page: u32,
    today: &str,
) -> QueryResult<ListingPage> {
    // Products of units switched off (usually none) are left out; the remembered totals are
    // kept apart by the units left out.
    let hidden = crate::models::unit::inactive_ids(conn)?;
    let cache_key = count_key(&scope, &hidden);
    // On the concrete connection: the page's ids are a subquery, which the portable
    // connection type cannot box.
    type Row = (ProductBrief, UnitBrief, String, Option<Photo>);
    let (rows, total): (Vec<Row>, i64) = crate::on_backend!(conn, |c| {
        // Published products of the listing's scope, units switched off left out, on any
        // query of the products table: the page's ids, the count and the anchors.
        macro_rules! in_listing {
            ($query:expr) => {{
                let mut query = $query
                    .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
                    .into_boxed();
                if !hidden.is_empty() {
                    query = query.filter(products::unit_id.ne_all(hidden.clone()));
                }
                match &scope {
                    ListingScope::Category(id) => {
                        query = query.filter(products::category_id.eq(*id));
                    }
                    ListingScope::Unit(id) => {
                        query = query.filter(products::unit_id.eq(*id));
                    }
                    ListingScope::Province(id) => {
                        query = query.filter(
                            products::unit_id.eq_any(
                                units::table
                                    .filter(units::province_id.eq(*id))
                                    .select(units::id),
                            ),
                        );
                    }
                    ListingScope::Featured => {
                        query = query.filter(products::featured.eq(1));
                    }
                    ListingScope::NameContains(words) => {
                        for word in words {
                            let pattern = like_pattern(&word.to_lowercase());
                            query = query.filter(lower(products::name).like(pattern).escape('\\'));
                        }
                    }
                }
                query
            }};
        }
        // The page's ids are read from the products table alone, in the order of an index
        // that ends in `id`, so only the products shown are read whole and joined with their
        // unit and province, not the ones a later page skips over.
        let mut ids = in_listing!(products::table.select(products::id));
        // The count reads the products table only (a covering index for the category), never
        // a join: joining every matching row made large listings slow.
        let count = in_listing!(products::table.count());
        // The page's ids and its rows in the same order, ending in `id` like the indexes.
        macro_rules! sorted {
            ($query:expr) => {
                match sort {
                    ListingSort::Popular => {
                        $query.order((products::popularity.desc(), products::id.desc()))
                    }
                    ListingSort::Newest => {
                        $query.order((products::created_at.desc(), products::id.desc()))
                    }
                    ListingSort::PriceAsc => {
                        $query.order((products::price.asc(), products::id.asc()))
                    }
                    ListingSort::PriceDesc => {
                        $query.order((products::price.desc(), products::id.desc()))
                    }
                }
            };
        }
        // A deep page of a remembered listing starts from its anchor (see `Anchors`).
        let offset = page.offset(per_page);
        let anchor = match &cache_key {
            Some(key) if offset >= ANCHOR_EVERY => {
                let memo_key = format!("{key} {sort:?} {}", crate::db::catalog_generation());
                let anchors = counts.anchors_or_load(
                    &memo_key,
                    Box::new(|| {
                        let all: Vec<(i64, i32)> = match sort {
                            ListingSort::Popular => sorted!(in_listing!(products::table)
                                .select((products::popularity, products::id)))
                            .load::<(i32, i32)>(c)?
                            .into_iter()
                            .map(|(value, id)| (i64::from(value), id))
                            .collect(),
                            ListingSort::Newest => sorted!(in_listing!(products::table)
                                .select((products::created_at, products::id)))
                            .load(c)?,
                            ListingSort::PriceAsc | ListingSort::PriceDesc => {
                                sorted!(in_listing!(products::table)
                                    .select((products::price, products::id)))
                                .load(c)?
                            }
                        };
                        Ok(std::sync::Arc::new(
                            all.into_iter().step_by(ANCHOR_EVERY as usize).collect(),
                        ))
                    }),
                )?;
                let block = usize::try_from(offset / ANCHOR_EVERY)
                    .unwrap_or(usize::MAX)
                    .min(anchors.len().saturating_sub(1));
                anchors
                    .get(block)
                    .map(|found| (*found, offset - block as i64 * ANCHOR_EVERY))
            }
            _ => None,
        };
        if let Some((from, _)) = anchor {
            // `(sort value, id)` from the anchor on, in the order of the index.
            ids = match sort {
                ListingSort::Popular => {
                    ids.filter(row_at_most(products::popularity, products::id, from))
                }
                ListingSort::Newest => {
                    ids.filter(row_at_most(products::created_at, products::id, from))
                }
                ListingSort::PriceAsc => {
                    ids.filter(row_at_least(products::price, products::id, from))
                }
                ListingSort::PriceDesc => {
                    ids.filter(row_at_most(products::price, products::id, from))
                }
            };
        }
        let ids = sorted!(ids)
            .limit(i64::from(per_page))
            .offset(anchor.map_or(offset, |(_, skip)| skip));
        // With each product's cover photo (position 0), if it has one.
        let query = products::table
            .inner_join(units::table.inner_join(provinces::table))
            .left_join(
                product_photos::table.on(product_photos::product_id
                    .eq(products::id)
                    .and(product_photos::position.eq(0))),
            )
            .filter(products::id.eq_any(ids))
            .select((
                ProductBrief::as_select(),
                UnitBrief::as_select(),
                provinces::name,
                (
                    product_photos::id,
                    product_photos::product_id,
                    product_photos::position,
                    product_photos::path_base,
                    product_photos::alt,
                    product_photos::width,
                    product_photos::height,
                )
                    .nullable(),
            ))
            .into_boxed();
        let rows: Vec<Row> = sorted!(query).load(c)?;
        let total = match &cache_key {
            Some(key) => counts.count_or_load(key, Box::new(|| count.get_result(c)))?,
            None => count.get_result(c)?,
        };
        (rows, total)
    });
    let (rows, covers): (Vec<CardRow>, Vec<Option<Photo>>) = rows
        .into_iter()
        .map(|(product, unit, province, cover)| ((product, unit, province), cover))
        .unzip();
    let covers: Vec<Photo> = covers.into_iter().flatten().collect();
    Ok(ListingPage {
        cards: finish_cards(conn, rows, &covers, today)?,
        total,
    })
}

/// The `limit` most popular published products of category `category_id`, of units that are
/// switched on.
fn top_of_category(
    conn: &mut DbConnection,
    category_id: i32,
    limit: i64,
) -> QueryResult<Vec<CardRow>> {
    products::table
        .inner_join(units::table.inner_join(provinces::table))
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(units::active.eq(1))
        .filter(products::category_id.eq(category_id))
        .order((products::popularity.desc(), products::id.desc()))
        .select((
            ProductBrief::as_select(),
            UnitBrief::as_select(),
            provinces::name,
        ))
        .limit(limit)
        .load(conn)
}

fn hydrate_cards(
    conn: &mut DbConnection,
    rows: Vec<CardRow>,
    today: &str,
) -> QueryResult<Vec<CardData>> {
    let ids: Vec<i32> = rows.iter().map(|(p, _, _)| p.id).collect();
    let photos: Vec<Photo> = product_photos::table
        .filter(in_ids(product_photos::product_id, &ids))
        .filter(product_photos::position.eq(0))
        .select(Photo::as_select())
        .load(conn)?;
    finish_cards(conn, rows, &photos, today)
}

/// Cards from their rows and their cover photos, with their badges and what the legal rules
/// still ask of them (one statement).
fn finish_cards(
    conn: &mut DbConnection,
    rows: Vec<CardRow>,
    photos: &[Photo],
    today: &str,
) -> QueryResult<Vec<CardData>> {
    let facts: Vec<crate::models::legal::ProductFacts> = rows
        .iter()
        .map(|(p, u, _)| crate::models::legal::ProductFacts {
            id: p.id,
            unit_id: u.id,
            category_id: p.category_id,
            kind: p.kind.clone(),
        })
        .collect();
    let (badges, missing) = crate::models::legal::badges_and_missing(conn, &facts, today)?;
    Ok(assemble_cards(rows, photos, badges, &missing))
}

/// Cards from their rows, the photos loaded for them (the first, position 0, is the cover),
/// their public badges and what the legal rules still ask of them.
fn assemble_cards(
    rows: Vec<CardRow>,
    photos: &[Photo],
    mut badges: Vec<BadgeRow>,
    missing: &std::collections::HashMap<i32, MissingDocuments>,
) -> Vec<CardData> {
    rows.into_iter()
        .map(|(product, unit, province_name)| {
            let photo = photos
                .iter()
                .find(|ph| ph.product_id == product.id && ph.position == 0)
                .cloned();
            let (mine, rest): (Vec<BadgeRow>, Vec<BadgeRow>) = std::mem::take(&mut badges)
                .into_iter()
                .partition(|b| b.product_id == Some(product.id));
            badges = rest;
            CardData {
                awaiting_legal: missing.contains_key(&product.id),
                product,
                unit,
                province_name,
                photo,
                badges: mine,
            }
        })
        .collect()
}

/// What a product page shows.
pub struct ProductPageRows {
    pub product: Product,
    pub unit: crate::models::unit::Unit,
    pub province_name: String,
    pub province_slug: String,
    /// The island group of the unit's province (where its parcels leave from).
    pub island_group: String,
    /// Pieces sold: on the web (orders paid or later) and at fair booths.
    pub sold: i64,
    /// The product's photos, in order.
    pub photos: Vec<Photo>,
    /// The product's public badges.
    pub badges: Vec<BadgeRow>,
    /// What the legal rules still ask of it (empty: it may be sold).
    pub missing_documents: MissingDocuments,
    /// Other published products of its category, most popular first.
    pub related: Vec<CardData>,
}

/// Pieces of the product of the row sold, as an SQL expression on `products.id`: the
/// quantities of its order lines whose order counts as sold (`OrderStatus::counts_as_sold`)
/// plus those of its booth sales, each a subquery read through its product index. The
/// statuses are the domain's own codes, never outside text. Unlike `dsl::sql`, the expression
/// has a static query id, so the product page's main statement stays in the connection's
/// prepared-statement cache and PostgreSQL does not plan it again on every request.
#[derive(Debug, Clone, Copy, diesel::query_builder::QueryId, diesel::expression::ValidGrouping)]
struct PiecesSold;

impl diesel::Expression for PiecesSold {
    type SqlType = diesel::sql_types::BigInt;
}

impl<QS> diesel::AppearsOnTable<QS> for PiecesSold {}
impl<QS> diesel::SelectableExpression<QS> for PiecesSold {}

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for PiecesSold {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(pieces_sold_sql);
        out.push_sql(&SQL);
        Ok(())
    }
}

fn pieces_sold_sql() -> String {
    use crate::domain::order::OrderStatus;
    let sold: Vec<String> = OrderStatus::ALL
        .into_iter()
        .filter(|s| s.counts_as_sold())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!(
        "CAST(COALESCE((SELECT SUM(order_items.quantity) FROM order_items \
         INNER JOIN orders ON orders.id = order_items.order_id \
         WHERE order_items.product_id = products.id AND orders.status IN ({})), 0) \
         + COALESCE((SELECT SUM(booth_sales.quantity) FROM booth_sales \
         WHERE booth_sales.product_id = products.id), 0) AS BIGINT)",
        sold.join(", ")
    )
}

/// The published product `slug` with everything its page shows: the product with its unit,
/// province and pieces sold; its related products (the most popular others of its category,
/// remembered in `remembered`); the photos and public badges of all of them, and what the
/// legal rules still ask of each (`models::legal`). Three statements when the related cards
/// are remembered, four when they are read.
pub fn product_page(
    conn: &mut DbConnection,
    remembered: &dyn RelatedMemo,
    slug: &str,
    related_limit: i64,
    today: &str,
) -> QueryResult<ProductPageRows> {
    use crate::models::unit::Unit;
    type PageRow = (Product, Unit, String, String, String, i64);
    let (product, unit, province_name, province_slug, island_group, sold): PageRow =
        products::table
            .inner_join(units::table.inner_join(provinces::table))
            .filter(products::slug.eq(slug))
            .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
            .filter(units::active.eq(1))
            .select((
                Product::as_select(),
                Unit::as_select(),
                provinces::name,
                provinces::slug,
                provinces::island_group,
                PiecesSold,
            ))
            .first(conn)?;
    // The related cards of a category are the same for each of its products: remembered
    // (`RelatedMemo`), one more than shown so that the product itself can be left out.
    let generation = crate::db::catalog_generation();
    let memo_key = format!("{} {today}", product.category_id);
    let kept = remembered
        .get(&memo_key)
        .filter(|(at, _)| *at == generation)
        .map(|(_, cards)| cards);
    let rows = match kept {
        Some(_) => Vec::new(),
        None => top_of_category(conn, product.category_id, related_limit + 1)?,
    };
    let ids: Vec<i32> = std::iter::once(product.id)
        .chain(rows.iter().map(|(p, _, _)| p.id))
        .collect();
    let photos: Vec<Photo> = product_photos::table
        .filter(in_ids(product_photos::product_id, &ids))
        .order((
            product_photos::product_id.asc(),
            product_photos::position.asc(),
        ))
        .select(Photo::as_select())
        .load(conn)?;
    let facts: Vec<crate::models::legal::ProductFacts> =
        std::iter::once(crate::models::legal::ProductFacts {
            id: product.id,
            unit_id: product.unit_id,
            category_id: product.category_id,
            kind: product.kind.clone(),
        })
        .chain(
            rows.iter()
                .map(|(p, u, _)| crate::models::legal::ProductFacts {
                    id: p.id,
                    unit_id: u.id,
                    category_id: p.category_id,
                    kind: p.kind.clone(),
                }),
        )
        .collect();
    let (all_badges, mut missing) = crate::models::legal::badges_and_missing(conn, &facts, today)?;
    let (badges, related_badges): (Vec<BadgeRow>, Vec<BadgeRow>) = all_badges
        .into_iter()
        .partition(|b| b.product_id == Some(product.id));
    let (own_photos, related_photos): (Vec<Photo>, Vec<Photo>) = photos
        .into_iter()
        .partition(|ph| ph.product_id == product.id);
    let missing_documents = missing.remove(&product.id).unwrap_or_default();
    let top = match kept {
        Some(cards) => cards,
        None => {
            let cards = std::sync::Arc::new(assemble_cards(
                rows,
                &related_photos,
                related_badges,
                &missing,
            ));
            remembered.put(memo_key, (generation, cards.clone()));
            cards
        }
    };
    let limit = usize::try_from(related_limit).unwrap_or(0);
    Ok(ProductPageRows {
        missing_documents,
        related: top
            .iter()
            .filter(|card| card.product.id != product.id)
            .take(limit)
            .cloned()
            .collect(),
        product,
        unit,
        province_name,
        province_slug,
        island_group,
        sold,
        photos: own_photos,
        badges,
    })
}

/// Cards of the published products among `ids`, in the order of `ids` (search results).
pub fn cards_by_ids(
    conn: &mut DbConnection,
    ids: &[i32],
    today: &str,
) -> QueryResult<Vec<CardData>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The status is checked here, not in SQL: with `status = ?` in the WHERE clause SQLite
    // walks the status index over every published product instead of looking the ids up.
    let loaded: Vec<(ProductBrief, UnitBrief, String, String, i32)> = products::table
        .inner_join(units::table.inner_join(provinces::table))
        .filter(in_ids(products::id, ids))
        .select((
            ProductBrief::as_select(),
            UnitBrief::as_select(),
            provinces::name,
            products::status,
            units::active,
        ))
        .load(conn)?;
    // A unit switched off takes its products off the public pages, even before the search
    // index has dropped them.
    let mut rows: Vec<CardRow> = loaded
        .into_iter()
        .filter(|(_, _, _, status, active)| {
            status == crate::domain::ProductStatus::Published.code() && *active == 1
        })
        .map(|(p, u, province, _, _)| (p, u, province))
        .collect();
    rows.sort_by_key(|(p, _, _)| ids.iter().position(|id| *id == p.id));
    hydrate_cards(conn, rows, today)
}

/// A change to a product's listing; fields left `None` keep their value.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = products)]
pub struct ProductEdit {
    pub name: Option<String>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    pub price: Option<i64>,
    pub stock: Option<i32>,
    pub status: Option<&'static str>,
}

/// Saves a change and, in the same transaction, asks for the search index to follow it.
pub fn update_product(conn: &mut DbConnection, id: i32, edit: &ProductEdit) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let changed = diesel::update(products::table.find(id))
            .set((edit, products::updated_at.eq(crate::models::now_ts())))
            .execute(conn)?;
        if changed == 0 {
            return Err(diesel::result::Error::NotFound);
        }
        crate::models::search_outbox::enqueue(conn, &[id])
    })
}

/// A product's photos, in order.
pub fn photos_of(conn: &mut DbConnection, product_id: i32) -> QueryResult<Vec<Photo>> {
    product_photos::table
        .filter(product_photos::product_id.eq(product_id))
        .order(product_photos::position.asc())
        .select(Photo::as_select())
        .load(conn)
}

/// The path base of every product photo, for work on the files behind them.
pub fn photo_bases(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    product_photos::table
        .select(product_photos::path_base)
        .distinct()
        .load(conn)
}

pub fn count_all(conn: &mut DbConnection) -> QueryResult<i64> {
    products::table.count().get_result(conn)
}

/// Inserts products in one statement per chunk; returns nothing, look ids up by slug.
pub fn insert_products(conn: &mut DbConnection, rows: &[NewProduct]) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(products::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn insert_photos(conn: &mut DbConnection, rows: &[NewPhoto]) -> QueryResult<()> {
    for chunk in rows.chunks(1000) {
        crate::on_backend!(conn, |c| diesel::insert_into(product_photos::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// (slug, id) of every product, to link rows inserted in bulk.
pub fn ids_by_slug(conn: &mut DbConnection) -> QueryResult<Vec<(String, i32)>> {
    products::table
        .select((products::slug, products::id))
        .load(conn)
}

/// Slugs of published products of units switched on, for benchmarks and sitemaps.
pub fn published_slugs(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<String>> {
    let hidden = crate::models::unit::inactive_ids(conn)?;
    let mut query = products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .order(products::id.asc())
        .select(products::slug)
        .limit(limit)
        .into_boxed();
    if !hidden.is_empty() {
        query = query.filter(products::unit_id.ne_all(hidden));
    }
    query.load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_totals_are_keyed_by_scope_and_units_switched_off_and_searches_are_never_cached() {
        assert_ne!(
            count_key(&ListingScope::Category(3), &[]),
            count_key(&ListingScope::Unit(3), &[])
        );
        assert_ne!(
            count_key(&ListingScope::Category(3), &[]),
            count_key(&ListingScope::Category(3), &[7])
        );
        assert!(count_key(&ListingScope::NameContains(vec!["kopi".into()]), &[]).is_none());
    }

    #[test]
    fn like_patterns_match_wildcards_literally() {
        assert_eq!(like_pattern("50%_off"), "%50\\%\\_off%");
    }
}

// ---- Back office -------------------------------------------------------------------------

/// A row of the staff product list.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct StaffRow {
    pub id: i32,
    pub slug: String,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::ProductStatus,
    pub price: i64,
    pub stock: i32,
    pub return_reason: Option<String>,
    pub is_food: i32,
}

/// Every product of a unit, newest first, archived ones last.
pub fn unit_products(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Vec<StaffRow>> {
    use crate::domain::dashboard::ProductListFilter;
    unit_products_in(conn, unit_id, ProductListFilter::All)
}

/// The products of a unit that `filter` lets through (the dashboard's list), newest first,
/// archived ones last.
pub fn unit_products_in(
    conn: &mut DbConnection,
    unit_id: i32,
    filter: crate::domain::dashboard::ProductListFilter,
) -> QueryResult<Vec<StaffRow>> {
    use crate::db::schema::categories;
    use crate::domain::dashboard::{ProductListFilter, LOW_STOCK};
    use crate::domain::ProductStatus;
    let mut query = products::table
        .inner_join(categories::table)
        .filter(products::unit_id.eq(unit_id))
        .order(products::id.desc())
        .select((
            products::id,
            products::slug,
            products::name,
            products::status,
            products::price,
            products::stock,
            products::return_reason,
            categories::is_food,
        ))
        .into_boxed();
    match filter {
        ProductListFilter::All => {}
        ProductListFilter::Returned => {
            query = query.filter(products::status.eq(ProductStatus::Returned.code()));
        }
        ProductListFilter::LowStock => {
            query = query
                .filter(products::status.eq(ProductStatus::Published.code()))
                .filter(products::stock.le(LOW_STOCK));
        }
    }
    let mut rows: Vec<StaffRow> = query.load(conn)?;
    rows.sort_by_key(|r| r.status == ProductStatus::Archived);
    Ok(rows)
}

pub fn by_id(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Product>> {
    products::table
        .find(id)
        .select(Product::as_select())
        .first(conn)
        .optional()
}

fn audit_view(p: &Product) -> serde_json::Value {
    serde_json::json!({
        "name": p.name, "description": p.description, "description_en": p.description_en,
        "category_id": p.category_id,
        "price": p.price, "stock": p.stock, "weight_g": p.weight_g, "status": p.status,
        "return_reason": p.return_reason,
    })
}

/// A slug from the name that no other product has: the name itself, or the name with a short
/// random suffix (one or two lookups, however many products share the name).
fn free_slug(conn: &mut DbConnection, name: &str) -> QueryResult<String> {
    let base: String = crate::domain::Slug::from_text(name)
        .to_string()
        .chars()
        .take(100)
        .collect();
    let base = base.trim_end_matches('-').to_string();
    let base = if base.is_empty() {
        "produk".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    loop {
        let taken: bool = diesel::select(diesel::dsl::exists(
            products::table.filter(products::slug.eq(&candidate)),
        ))
        .get_result(conn)?;
        if !taken {
            return Ok(candidate);
        }
        candidate = format!("{base}-{}", &crate::models::random_hex(8)[..6]);
    }
}

/// Creates a draft product for a unit; returns its id.
pub fn create_draft(
    conn: &mut DbConnection,
    unit_id: i32,
    draft: &crate::domain::ProductDraft,
    kind: &str,
    actor_id: i32,
) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        let now = crate::models::now_ts();
        let slug = free_slug(conn, &draft.name)?;
        diesel::insert_into(products::table)
            .values(NewProduct {
                unit_id,
                category_id: draft.category_id,
                slug: slug.clone(),
                kind: kind.to_string(),
                name: draft.name.clone(),
                description: draft.description.clone(),
                description_en: draft.description_en.clone(),
                price: draft.price,
                stock: draft.stock,
                weight_g: draft.weight_g,
                length_cm: draft.length_cm,
                width_cm: draft.width_cm,
                height_cm: draft.height_cm,
                status: crate::domain::ProductStatus::Draft.code(),
                return_reason: None,
                featured: 0,
                popularity: 0,
                created_at: now,
                updated_at: now,
            })
            .execute(conn)?;
        let id: i32 = products::table
            .filter(products::slug.eq(&slug))
            .select(products::id)
            .first(conn)?;
        let created = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "product.create",
            "product",
            id,
            None,
            Some(&audit_view(&created)),
        )?;
        Ok(id)
    })
}

/// Saves an edited product. A published product whose text or category changed goes back to
/// review; price, stock, weight and size changes do not. Returns the new status.
pub fn save_draft(
    conn: &mut DbConnection,
    id: i32,
    draft: &crate::domain::ProductDraft,
    stock_was: Option<i32>,
    actor_id: i32,
) -> QueryResult<Option<crate::domain::ProductStatus>> {
    use crate::domain::status_after_edit;
    crate::db::write_transaction(conn, |conn| {
        let before = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        let text_changed = before.name != draft.name
            || before.description != draft.description
            || before.description_en != draft.description_en
            || before.category_id != draft.category_id;
        let current = before.status;
        let status = status_after_edit(current, text_changed);
        // Stock changes only when the user changed it, and only from the value they saw:
        // orders placed meanwhile must not be overwritten (that would oversell).
        let stock_was = stock_was.unwrap_or(before.stock);
        if draft.stock != stock_was {
            let set = diesel::update(
                products::table
                    .find(id)
                    .filter(products::stock.eq(stock_was)),
            )
            .set(products::stock.eq(draft.stock))
            .execute(conn)?;
            if set == 0 {
                return Ok(None);
            }
        }
        diesel::update(products::table.find(id))
            .set((
                products::name.eq(&draft.name),
                products::description.eq(&draft.description),
                products::description_en.eq(&draft.description_en),
                products::category_id.eq(draft.category_id),
                products::price.eq(draft.price),
                products::weight_g.eq(draft.weight_g),
                products::length_cm.eq(draft.length_cm),
                products::width_cm.eq(draft.width_cm),
                products::height_cm.eq(draft.height_cm),
                products::status.eq(status.code()),
            ))
            .execute(conn)?;
        touch(conn, id)?;
        let after = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        crate::models::search_outbox::enqueue(conn, &[id])?;
        crate::models::audit::record(
            conn,
            actor_id,
            "product.update",
            "product",
            id,
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(Some(status))
    })
}

/// Moves a product along the workflow (submit, publish, return with a reason, archive).
/// Returns false, changing nothing, when the workflow does not allow the move.
/// `seen` is the `updated_at` of the listing the reviewer looked at: when it changed since,
/// nothing happens (the reviewer must look again).
pub fn change_status(
    conn: &mut DbConnection,
    id: i32,
    next: crate::domain::ProductStatus,
    reason: Option<&str>,
    seen: Option<i64>,
    actor_id: i32,
) -> QueryResult<bool> {
    use crate::domain::ProductStatus;
    crate::db::write_transaction(conn, |conn| {
        let before = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        let current = before.status;
        if !current.can_become(next) || seen.is_some_and(|s| s != before.updated_at) {
            return Ok(false);
        }
        let reason = if next == ProductStatus::Returned {
            reason.map(str::to_string)
        } else {
            None
        };
        diesel::update(products::table.find(id))
            .set((
                products::status.eq(next.code()),
                products::return_reason.eq(reason),
                products::updated_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let after = by_id(conn, id)?.ok_or(diesel::result::Error::NotFound)?;
        crate::models::search_outbox::enqueue(conn, &[id])?;
        crate::models::audit::record(
            conn,
            actor_id,
            &format!("product.{}", next.code()),
            "product",
            id,
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(true)
    })
}

/// A submitted product waiting for review, with where it comes from.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct QueueRow {
    pub id: i32,
    pub name: String,
    pub price: i64,
    pub updated_at: i64,
    pub unit_name: String,
    pub province_id: i32,
    pub province_name: String,
}

/// Submitted products, oldest first, of one province (None: every province).
pub fn review_queue(
    conn: &mut DbConnection,
    province_id: Option<i32>,
) -> QueryResult<Vec<QueueRow>> {
    let mut query = products::table
        .inner_join(units::table.inner_join(provinces::table))
        .filter(products::status.eq(crate::domain::ProductStatus::Submitted.code()))
        .order(products::updated_at.asc())
        .select((
            products::id,
            products::name,
            products::price,
            products::updated_at,
            units::name,
            provinces::id,
            provinces::name,
        ))
        .into_boxed();
    if let Some(p) = province_id {
        query = query.filter(units::province_id.eq(p));
    }
    query.load(conn)
}

/// The unit and province of a product, for scope checks.
pub fn owner(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(i32, i32)>> {
    products::table
        .inner_join(units::table)
        .filter(products::id.eq(id))
        .select((products::unit_id, units::province_id))
        .first(conn)
        .optional()
}

/// Puts a product that is published back into review (its photos or text changed).
fn back_to_review_if_published(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::update(
        products::table
            .find(id)
            .filter(products::status.eq(crate::domain::ProductStatus::Published.code())),
    )
    .set(products::status.eq(crate::domain::ProductStatus::Submitted.code()))
    .execute(conn)?;
    touch(conn, id)
}

/// A new version of the listing for the review desk: `updated_at` always moves forward, even
/// twice in one second.
fn touch(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    let current: i64 = products::table
        .find(id)
        .select(products::updated_at)
        .first(conn)?;
    diesel::update(products::table.find(id))
        .set(products::updated_at.eq(crate::models::now_ts().max(current + 1)))
        .execute(conn)
        .map(drop)
}

/// Adds a processed photo at the end of a product's photos.
pub fn add_photo(
    conn: &mut DbConnection,
    product_id: i32,
    path_base: &str,
    alt: &str,
    width: i32,
    height: i32,
    actor_id: i32,
) -> QueryResult<()> {
    crate::db::write_transaction(conn, |conn| {
        let last: Option<i32> = product_photos::table
            .filter(product_photos::product_id.eq(product_id))
            .select(diesel::dsl::max(product_photos::position))
            .first(conn)?;
        diesel::insert_into(product_photos::table)
            .values(NewPhoto {
                product_id,
                position: last.map_or(0, |p| p + 1),
                path_base: path_base.to_string(),
                alt: alt.to_string(),
                width,
                height,
            })
            .execute(conn)?;
        back_to_review_if_published(conn, product_id)?;
        crate::models::search_outbox::enqueue(conn, &[product_id])?;
        crate::models::audit::record(
            conn,
            actor_id,
            "photo.add",
            "product",
            product_id,
            None,
            Some(&serde_json::json!({"path_base": path_base, "alt": alt})),
        )
    })
}

/// Removes a photo of a product; returns its path base (None when it is not that product's)
/// so the caller can delete the files once the change is committed.
pub fn delete_photo(
    conn: &mut DbConnection,
    product_id: i32,
    photo_id: i32,
    actor_id: i32,
) -> QueryResult<Option<String>> {
    crate::db::write_transaction(conn, |conn| {
        let path_base: Option<String> = product_photos::table
            .filter(product_photos::id.eq(photo_id))
            .filter(product_photos::product_id.eq(product_id))
            .select(product_photos::path_base)
            .first(conn)
            .optional()?;
        let removed = diesel::delete(
            product_photos::table
                .filter(product_photos::id.eq(photo_id))
                .filter(product_photos::product_id.eq(product_id)),
        )
        .execute(conn)?;
        if removed == 0 {
            return Ok(None);
        }
        // Close the gap so the first photo is always at position 0.
        let ids: Vec<i32> = product_photos::table
            .filter(product_photos::product_id.eq(product_id))
            .order(product_photos::position.asc())
            .select(product_photos::id)
            .load(conn)?;
        for (i, id) in ids.iter().enumerate() {
            diesel::update(product_photos::table.find(id))
                .set(product_photos::position.eq(i as i32))
                .execute(conn)?;
        }
        back_to_review_if_published(conn, product_id)?;
        crate::models::search_outbox::enqueue(conn, &[product_id])?;
        crate::models::audit::record(
            conn,
            actor_id,
            "photo.delete",
            "product",
            product_id,
            Some(&serde_json::json!({"photo_id": photo_id})),
            None,
        )?;
        Ok(path_base)
    })
}

/// Moves photo `photo_id` of product `product_id` as `to` says: one place up or down, or to
/// the front, where the main photo is. Returns false, changing nothing, when the product has no
/// such photo. The positions are written again from 0, so the main photo is always the one at
/// position 0 (what cards and the cart show; the product page shows them in order).
pub fn move_photo(
    conn: &mut DbConnection,
    product_id: i32,
    photo_id: i32,
    to: crate::domain::PhotoMove,
    actor_id: Option<i32>,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let ids: Vec<i32> = product_photos::table
            .filter(product_photos::product_id.eq(product_id))
            .order(product_photos::position.asc())
            .select(product_photos::id)
            .load(conn)?;
        let Some(order) = to.apply(&ids, photo_id) else {
            return Ok(false);
        };
        if order == ids {
            return Ok(true);
        }
        // Park the positions out of the way first: (product_id, position) is unique.
        for (i, id) in order.iter().enumerate() {
            diesel::update(product_photos::table.find(id))
                .set(product_photos::position.eq(-(i as i32) - 1))
                .execute(conn)?;
        }
        for (i, id) in order.iter().enumerate() {
            diesel::update(product_photos::table.find(id))
                .set(product_photos::position.eq(i as i32))
                .execute(conn)?;
        }
        back_to_review_if_published(conn, product_id)?;
        // The cover may have changed, and a published product went back to review: the index
        // follows.
        crate::models::search_outbox::enqueue(conn, &[product_id])?;
        crate::models::audit::record(
            conn,
            actor_id,
            "photo.move",
            "product",
            product_id,
            Some(&serde_json::json!({"photos": ids})),
            Some(&serde_json::json!({"photos": order})),
        )?;
        Ok(true)
    })
}

/// Creates many drafts at once, all or nothing; returns how many.
/// Imports drafts once per form key: the same key again (a double submit, a refresh) imports
/// nothing and gives the number the first import made.
pub fn create_drafts(
    conn: &mut DbConnection,
    unit_id: i32,
    drafts: &[crate::domain::ProductDraft],
    actor_id: i32,
    key: &str,
) -> QueryResult<usize> {
    use crate::db::schema::import_batches;
    let done = |conn: &mut DbConnection| -> QueryResult<Option<i32>> {
        import_batches::table
            .find(key)
            .select(import_batches::products)
            .first(conn)
            .optional()
    };
    let result = crate::db::write_transaction(conn, |conn| {
        if let Some(n) = done(conn)? {
            return Ok(n as usize);
        }
        diesel::insert_into(import_batches::table)
            .values((
                import_batches::idempotency_key.eq(key),
                import_batches::unit_id.eq(unit_id),
                import_batches::products.eq(drafts.len() as i32),
                import_batches::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        for draft in drafts {
            create_draft(conn, unit_id, draft, &draft.name, actor_id)?;
        }
        Ok(drafts.len())
    });
    match result {
        // The same form sent twice at once: the other copy imported it.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(done(conn)?.unwrap_or(0) as usize),
        other => other,
    }
}
