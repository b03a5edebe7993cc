//! What the sitemap lists: the addresses of public pages, with when a product last changed.
//! Products are listed by blocks of ids, so each sitemap file is one range read on the primary
//! key however large the shop grows.

use diesel::prelude::*;

use crate::db::schema::{categories, events, products, provinces, units};
use crate::db::DbConnection;
use crate::domain::fair::EventStatus;
use crate::domain::ProductStatus;

/// Product ids per sitemap file (the protocol allows 50,000 addresses per file).
pub const BLOCK: i32 = 10_000;

/// One address of the sitemap: a path and, when known, its last change (seconds since the
/// epoch).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub path: String,
    pub lastmod: Option<i64>,
}

#[derive(QueryableByName)]
struct Block {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    block: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    lastmod: i64,
}

/// The blocks of product ids that hold a published product of a unit switched on (numbered
/// from 1), each with its latest change.
pub fn product_blocks(conn: &mut DbConnection) -> QueryResult<Vec<(i32, i64)>> {
    let rows: Vec<Block> = diesel::sql_query(format!(
        "SELECT CAST((id - 1) / {BLOCK} + 1 AS INTEGER) AS block, \
         CAST(MAX(updated_at) AS BIGINT) AS lastmod \
         FROM products WHERE status = '{}' \
         AND unit_id NOT IN (SELECT id FROM units WHERE active = 0) GROUP BY 1 ORDER BY 1",
        ProductStatus::Published.code()
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|b| (b.block, b.lastmod)).collect())
}

/// The published products of block `block` (of units switched on).
pub fn product_block(conn: &mut DbConnection, block: i32) -> QueryResult<Vec<Entry>> {
    let first = (block - 1) * BLOCK + 1;
    let hidden = crate::models::unit::inactive_ids(conn)?;
    let mut query = products::table
        .filter(products::id.between(first, first + BLOCK - 1))
        .filter(products::status.eq(ProductStatus::Published.code()))
        .order(products::id.asc())
        .select((products::slug, products::updated_at))
        .into_boxed();
    if !hidden.is_empty() {
        query = query.filter(products::unit_id.ne_all(hidden));
    }
    let rows: Vec<(String, i64)> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(slug, updated)| Entry {
            path: format!("/produk/{slug}"),
            lastmod: Some(updated),
        })
        .collect())
}

/// Home, the fair list, help, about, privacy and the impact page, every category, province,
/// unit and public fair.
pub fn fixed_pages(conn: &mut DbConnection) -> QueryResult<Vec<Entry>> {
    let entry = |path: String| Entry {
        path,
        lastmod: None,
    };
    let mut pages: Vec<Entry> = [
        "/", "/pameran", "/bantuan", "/tentang", "/privasi", "/dampak",
    ]
    .into_iter()
    .map(|p| entry(p.into()))
    .collect();
    let slugs = |table: &str, rows: Vec<String>| -> Vec<Entry> {
        rows.into_iter()
            .map(|slug| entry(format!("/{table}/{slug}")))
            .collect()
    };
    pages.extend(slugs(
        "kategori",
        categories::table
            .order(categories::id)
            .select(categories::slug)
            .load(conn)?,
    ));
    pages.extend(slugs(
        "provinsi",
        provinces::table
            .order(provinces::id)
            .select(provinces::slug)
            .load(conn)?,
    ));
    pages.extend(slugs(
        "unit",
        units::table
            .filter(units::active.eq(1))
            .order(units::id)
            .select(units::slug)
            .load(conn)?,
    ));
    pages.extend(slugs(
        "pameran",
        events::table
            .filter(events::status.ne(EventStatus::Draft.code()))
            .order(events::id)
            .select(events::slug)
            .load(conn)?,
    ));
    Ok(pages)
}
