//! The figures of the oversight dashboard (`/kelola/pantau`), each scoped by the filter's
//! province and unit kind: what units list and sell, how far legalization and branding have
//! come, the review desk, sales from the daily roll-ups (`daily_unit_sales`), the products
//! (`daily_product_sales`, `yearly_product_sales`) and units that sold most, and the fairs.
//!
//! What a request reads is already summed: per unit, the snapshot of its legal documents and
//! listings (`unit_oversight`, `unit_category_products`) that `refresh_snapshot` makes again
//! with every run of the roll-up job (every ten minutes, and at start) and `etalase rollup`;
//! per day and unit or product, the roll-ups; per province the review desk's counts. No order
//! line, product, photo or document is counted on a request. The filter's values are typed
//! (dates, ids, enum codes) and written into the SQL as such: nothing a user typed reaches it
//! as text.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use crate::db::schema::{unit_category_products, unit_oversight};
use crate::db::{write_transaction, DbConnection};
use crate::domain::impact::month_of;
use crate::domain::oversight::{
    active_since, expiring_until, iso, median, period_parts, BrandingFacts, OversightFilter,
    MIN_PHOTOS, TOP,
};
use crate::domain::{CertificationKind, CertificationStatus, ProductStatus};
use crate::models::rollup::{note_run, run_of, RollupRun, DAILY};

/// The name of the per-unit snapshot in `rollup_runs`: when it was last refreshed, and the day
/// it counted documents about to expire from.
pub const SNAPSHOT: &str = "unit_oversight";

/// One row of `unit_oversight`: a unit's legal documents and listings as of a refresh.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = unit_oversight)]
pub struct UnitOversight {
    pub unit_id: i32,
    /// Published food and drink products.
    pub food: i32,
    /// Of them, with a valid P-IRT or BPOM MD.
    pub permit: i32,
    /// Of them, with a valid Halal certificate.
    pub halal: i32,
    /// 1 with a valid HKI, else 0.
    pub hki: i32,
    /// Verified documents expiring within `EXPIRY_DAYS` days.
    pub expiring: i32,
    /// Published products.
    pub published: i32,
    /// Of them, with `MIN_PHOTOS` photos and their size.
    pub complete: i32,
}

/// One row of `unit_category_products`: a unit's published products of a category.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = unit_category_products)]
pub struct UnitCategoryProducts {
    pub unit_id: i32,
    pub category_id: i32,
    pub published: i32,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Published products of one category.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct CategoryCount {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name_id: String,
    #[diesel(sql_type = Text)]
    pub name_en: String,
    #[diesel(sql_type = BigInt)]
    pub listed: i64,
}

/// Who takes part: units (switched on) in scope, those with a published product, those that
/// sold within `ACTIVE_DAYS` days up to today; published products, by category.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    pub units: i64,
    pub publishing: i64,
    pub selling: i64,
    pub published: i64,
    pub categories: Vec<CategoryCount>,
}

/// Legalization coverage of a province or a unit: its units (one for a unit), its published
/// food and drink products, how many of them have a valid P-IRT or BPOM MD and a valid Halal
/// certificate, its units with a valid HKI (0 or 1 for a unit), and its verified documents
/// expiring within `EXPIRY_DAYS` days of the day the snapshot was taken.
#[derive(Debug, Clone, Default, PartialEq, Eq, QueryableByName)]
pub struct CoverageRow {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub province: String,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub food: i64,
    #[diesel(sql_type = BigInt)]
    pub permit: i64,
    #[diesel(sql_type = BigInt)]
    pub halal: i64,
    #[diesel(sql_type = BigInt)]
    pub hki: i64,
    #[diesel(sql_type = BigInt)]
    pub expiring: i64,
    /// The province the row belongs to (its own id on a province's row).
    #[diesel(sql_type = Integer)]
    pub province_id: i32,
}

impl CoverageRow {
    /// Something is missing: a food product without a permit or without Halal, no HKI, or a
    /// document about to expire.
    pub fn has_gap(&self) -> bool {
        self.food > self.permit
            || self.food > self.halal
            || self.hki < self.units
            || self.expiring > 0
    }
}

/// Legalization coverage by province (by name) and by unit (the least covered first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub by_province: Vec<CoverageRow>,
    pub by_unit: Vec<CoverageRow>,
}

impl Coverage {
    /// Every province's figures added up.
    pub fn totals(&self) -> CoverageRow {
        self.by_province
            .iter()
            .fold(CoverageRow::default(), |mut sum, row| {
                sum.units += row.units;
                sum.food += row.food;
                sum.permit += row.permit;
                sum.halal += row.halal;
                sum.hki += row.hki;
                sum.expiring += row.expiring;
                sum
            })
    }
}

/// What a unit's brand shows (each flag 0 or 1), and its published and complete listings.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct BrandingRow {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub province: String,
    #[diesel(sql_type = BigInt)]
    pub logo: i64,
    #[diesel(sql_type = BigInt)]
    pub banner: i64,
    #[diesel(sql_type = BigInt)]
    pub story: i64,
    #[diesel(sql_type = BigInt)]
    pub listed: i64,
    #[diesel(sql_type = BigInt)]
    pub complete: i64,
}

impl BrandingRow {
    pub fn facts(&self) -> BrandingFacts {
        BrandingFacts {
            logo: self.logo == 1,
            banner: self.banner == 1,
            story: self.story == 1,
            listed: self.listed,
            complete: self.complete,
        }
    }
}

#[derive(QueryableByName)]
struct Backlog {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    listings: i64,
    #[diesel(sql_type = BigInt)]
    documents: i64,
}

#[derive(QueryableByName)]
struct Wait {
    #[diesel(sql_type = Integer)]
    province_id: i32,
    #[diesel(sql_type = BigInt)]
    waited: i64,
}

/// The review desk of one province: listings and documents waiting now, decisions taken in
/// the period and the median wait before them (seconds; None without decisions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub province_id: i32,
    pub province: String,
    pub listings: i64,
    pub documents: i64,
    pub decisions: i64,
    pub median_wait: Option<i64>,
}

/// The review desk by province (those with work waiting or decided), and every decision's
/// figures together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewDesk {
    pub provinces: Vec<ReviewRow>,
    pub listings: i64,
    pub documents: i64,
    pub decisions: i64,
    pub median_wait: Option<i64>,
}

/// One month (`2026-03`) of the daily roll-ups added up. `buyers` adds each unit's distinct
/// buyers of each day.
#[derive(Debug, Clone, Default, PartialEq, Eq, QueryableByName)]
pub struct MonthRow {
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub booth_sales: i64,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub buyers: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub wage: i64,
    #[diesel(sql_type = BigInt)]
    pub pnbp: i64,
    #[diesel(sql_type = BigInt)]
    pub capital: i64,
}

/// A product sold in the period, in the shop and at booths: pieces and rupiah.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TopProduct {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub unit: String,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
}

/// A unit's sales in the period, from the daily roll-ups.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TopUnit {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub province: String,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub booth_sales: i64,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub wage: i64,
}

/// The booth sales of one fair in the period.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct FairRow {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub starts_on: String,
    #[diesel(sql_type = Text)]
    pub ends_on: String,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub takings: i64,
}

/// Sales of the period: by month, the products and units that sold most.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sales {
    pub months: Vec<MonthRow>,
    pub top_products: Vec<TopProduct>,
    pub top_units: Vec<TopUnit>,
}

impl Sales {
    /// Every month added up.
    pub fn totals(&self) -> MonthRow {
        self.months.iter().fold(MonthRow::default(), |mut sum, m| {
            sum.orders += m.orders;
            sum.booth_sales += m.booth_sales;
            sum.items += m.items;
            sum.buyers += m.buyers;
            sum.sales += m.sales;
            sum.wage += m.wage;
            sum.pnbp += m.pnbp;
            sum.capital += m.capital;
            sum
        })
    }
}

/// Everything the dashboard shows for one filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Oversight {
    pub activity: Activity,
    pub coverage: Coverage,
    /// Every unit in scope, by name (the view orders them by score).
    pub branding: Vec<BrandingRow>,
    pub review: ReviewDesk,
    pub sales: Sales,
    pub fairs: Vec<FairRow>,
    /// When the per-unit snapshot (legal documents, listings, products by category) was last
    /// refreshed, and the day it counted from (None: never).
    pub snapshot: Option<RollupRun>,
    /// When the daily roll-ups last ran (None: never).
    pub rollup: Option<RollupRun>,
}

/// The dashboard for `filter` on `today` (WIB): the units in scope as they are now with their
/// legal documents and listings as of the last snapshot, the review backlog as it stands;
/// sales, decisions and fairs within the filter's period.
pub fn read(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
) -> QueryResult<Oversight> {
    let units = unit_rows(conn, filter)?;
    Ok(Oversight {
        activity: activity(conn, filter, today, &units)?,
        coverage: coverage(&units),
        branding: branding(&units),
        review: review_desk(conn, filter)?,
        sales: sales(conn, filter, today)?,
        fairs: fairs(conn, filter)?,
        snapshot: run_of(conn, SNAPSHOT)?,
        rollup: run_of(conn, DAILY)?,
    })
}

/// A unit in scope (switched on) with its snapshot row (zeros without one yet), its brand's
/// parts read from the unit as it is now.
#[derive(QueryableByName)]
struct UnitRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    province_id: i32,
    #[diesel(sql_type = Text)]
    province: String,
    #[diesel(sql_type = BigInt)]
    logo: i64,
    #[diesel(sql_type = BigInt)]
    banner: i64,
    #[diesel(sql_type = BigInt)]
    story: i64,
    #[diesel(sql_type = BigInt)]
    food: i64,
    #[diesel(sql_type = BigInt)]
    permit: i64,
    #[diesel(sql_type = BigInt)]
    halal: i64,
    #[diesel(sql_type = BigInt)]
    hki: i64,
    #[diesel(sql_type = BigInt)]
    expiring: i64,
    #[diesel(sql_type = BigInt)]
    published: i64,
    #[diesel(sql_type = BigInt)]
    complete: i64,
}

/// Every unit (switched on) in scope, by name: one read of at most a row per unit.
fn unit_rows(conn: &mut DbConnection, filter: &OversightFilter) -> QueryResult<Vec<UnitRow>> {
    let scope = unit_scope(filter);
    let figure = |column: &str| format!("CAST(COALESCE(o.{column}, 0) AS BIGINT) AS {column}");
    let figures = [
        "food",
        "permit",
        "halal",
        "hki",
        "expiring",
        "published",
        "complete",
    ]
    .map(figure)
    .join(", ");
    diesel::sql_query(format!(
        "SELECT u.id AS id, u.name AS name, pr.id AS province_id, pr.name AS province, \
         CAST(CASE WHEN u.logo_path IS NULL OR u.logo_path = '' THEN 0 ELSE 1 END AS BIGINT) \
         AS logo, \
         CAST(CASE WHEN u.banner_path IS NULL OR u.banner_path = '' THEN 0 ELSE 1 END \
         AS BIGINT) AS banner, \
         CAST(CASE WHEN LENGTH(TRIM(u.story)) > 0 THEN 1 ELSE 0 END AS BIGINT) AS story, \
         {figures} \
         FROM units u INNER JOIN provinces pr ON pr.id = u.province_id \
         LEFT JOIN unit_oversight o ON o.unit_id = u.id \
         WHERE u.active = 1{scope} ORDER BY u.name, u.id"
    ))
    .load(conn)
}

/// ` AND …` limiting units `u` to the filter's province and kind.
fn unit_scope(filter: &OversightFilter) -> String {
    let mut scope = String::new();
    if let Some(id) = filter.province_id {
        scope.push_str(&format!(" AND u.province_id = {id}"));
    }
    if let Some(kind) = filter.unit_kind {
        scope.push_str(&format!(" AND u.kind = '{}'", kind.code()));
    }
    scope
}

/// ` AND …` limiting roll-up rows `{alias}` to the filter's province and unit kind, as the rows
/// keep them (no join to the unit needed).
fn rollup_scope(filter: &OversightFilter, alias: &str) -> String {
    let mut scope = String::new();
    if let Some(id) = filter.province_id {
        scope.push_str(&format!(" AND {alias}.province_id = {id}"));
    }
    if let Some(kind) = filter.unit_kind {
        scope.push_str(&format!(" AND {alias}.unit_kind = '{}'", kind.code()));
    }
    scope
}

/// `'a', 'b'`: codes for an `IN (…)` (codes of the program's own, never typed text).
fn quoted<S: AsRef<str>>(codes: impl IntoIterator<Item = S>) -> String {
    codes
        .into_iter()
        .map(|c| format!("'{}'", c.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(conn: &mut DbConnection, sql: String) -> QueryResult<i64> {
    let row: Count = diesel::sql_query(sql).get_result(conn)?;
    Ok(row.n)
}

fn activity(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
    units: &[UnitRow],
) -> QueryResult<Activity> {
    let selling = count(
        conn,
        format!(
            "SELECT CAST(COUNT(DISTINCT d.unit_id) AS BIGINT) AS n FROM daily_unit_sales d \
             WHERE d.day >= '{}' AND d.day <= '{}' AND d.orders + d.booth_sales > 0{}",
            iso(active_since(today)),
            iso(today),
            rollup_scope(filter, "d")
        ),
    )?;
    let categories: Vec<CategoryCount> = diesel::sql_query(format!(
        "SELECT cat.id AS id, cat.name_id AS name_id, cat.name_en AS name_en, \
         CAST(COALESCE(c.listed, 0) AS BIGINT) AS listed \
         FROM categories cat \
         LEFT JOIN (SELECT ucp.category_id AS category_id, SUM(ucp.published) AS listed \
         FROM unit_category_products ucp INNER JOIN units u ON u.id = ucp.unit_id \
         WHERE u.active = 1{} GROUP BY ucp.category_id) c ON c.category_id = cat.id \
         ORDER BY listed DESC, cat.sort_order, cat.id",
        unit_scope(filter)
    ))
    .load(conn)?;
    Ok(Activity {
        units: units.len() as i64,
        publishing: units.iter().filter(|u| u.published > 0).count() as i64,
        selling,
        published: units.iter().map(|u| u.published).sum(),
        categories,
    })
}

/// Legalization coverage of the units in scope, the least covered first (by name among
/// equals), and of their provinces added up from them.
fn coverage(units: &[UnitRow]) -> Coverage {
    let mut by_unit: Vec<CoverageRow> = units
        .iter()
        .map(|u| CoverageRow {
            id: u.id,
            name: u.name.clone(),
            province: u.province.clone(),
            units: 1,
            food: u.food,
            permit: u.permit,
            halal: u.halal,
            hki: u.hki,
            expiring: u.expiring,
            province_id: u.province_id,
        })
        .collect();
    // A stable sort: the units come by name, which orders equals.
    by_unit.sort_by_key(|r| {
        (
            std::cmp::Reverse(r.food - r.permit),
            std::cmp::Reverse(r.food - r.halal),
            r.hki,
            std::cmp::Reverse(r.expiring),
        )
    });
    let mut provinces: std::collections::BTreeMap<(String, i32), CoverageRow> =
        std::collections::BTreeMap::new();
    for u in &by_unit {
        let row = provinces
            .entry((u.province.clone(), u.province_id))
            .or_insert_with(|| CoverageRow {
                id: u.province_id,
                name: u.province.clone(),
                province: u.province.clone(),
                units: 0,
                food: 0,
                permit: 0,
                halal: 0,
                hki: 0,
                expiring: 0,
                province_id: u.province_id,
            });
        row.units += 1;
        row.food += u.food;
        row.permit += u.permit;
        row.halal += u.halal;
        row.hki += u.hki;
        row.expiring += u.expiring;
    }
    Coverage {
        by_province: provinces.into_values().collect(),
        by_unit,
    }
}

/// The brand of every unit in scope, by name.
fn branding(units: &[UnitRow]) -> Vec<BrandingRow> {
    units
        .iter()
        .map(|u| BrandingRow {
            id: u.id,
            name: u.name.clone(),
            province: u.province.clone(),
            logo: u.logo,
            banner: u.banner,
            story: u.story,
            listed: u.published,
            complete: u.complete,
        })
        .collect()
}

/// Every unit's legal documents and listings as they stand on `today` (WIB), switched on or
/// not, in unit order: what the snapshot keeps. Costly (it looks at every published product,
/// its photos and its documents): the roll-up job runs it, never a request. Products with a
/// valid document and photo counts are joined as sets, not asked for product by product (and
/// PostgreSQL's estimate stays below where it would compile the query first).
pub fn live_units(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<UnitOversight>> {
    let (today, until) = (iso(today), iso(expiring_until(today)));
    let verified = CertificationStatus::Verified.code();
    let valid =
        format!("c.status = '{verified}' AND (c.expires_on IS NULL OR c.expires_on >= '{today}')");
    let permits = quoted(
        CertificationKind::ALL
            .into_iter()
            .filter(|k| k.is_food_permit())
            .map(CertificationKind::code),
    );
    let (halal, hki) = (
        CertificationKind::Halal.code(),
        CertificationKind::Hki.code(),
    );
    let published = ProductStatus::Published.code();
    diesel::sql_query(format!(
        "SELECT u.id AS unit_id, \
         CAST(COALESCE(f.food, 0) AS INTEGER) AS food, \
         CAST(COALESCE(f.permit, 0) AS INTEGER) AS permit, \
         CAST(COALESCE(f.halal, 0) AS INTEGER) AS halal, \
         CAST(CASE WHEN EXISTS (SELECT 1 FROM certifications c WHERE c.unit_id = u.id \
         AND c.kind = '{hki}' AND {valid}) THEN 1 ELSE 0 END AS INTEGER) AS hki, \
         CAST((SELECT COUNT(*) FROM certifications c WHERE c.unit_id = u.id \
         AND c.status = '{verified}' AND c.expired_at IS NULL \
         AND c.expires_on >= '{today}' AND c.expires_on <= '{until}') AS INTEGER) AS expiring, \
         CAST(COALESCE(l.published, 0) AS INTEGER) AS published, \
         CAST(COALESCE(l.complete, 0) AS INTEGER) AS complete \
         FROM units u \
         LEFT JOIN (SELECT p.unit_id AS unit_id, COUNT(*) AS food, \
         SUM(CASE WHEN vp.product_id IS NULL THEN 0 ELSE 1 END) AS permit, \
         SUM(CASE WHEN vh.product_id IS NULL THEN 0 ELSE 1 END) AS halal \
         FROM products p INNER JOIN categories cat ON cat.id = p.category_id \
         LEFT JOIN (SELECT DISTINCT c.product_id AS product_id FROM certifications c \
         WHERE c.kind IN ({permits}) AND {valid}) vp ON vp.product_id = p.id \
         LEFT JOIN (SELECT DISTINCT c.product_id AS product_id FROM certifications c \
         WHERE c.kind = '{halal}' AND {valid}) vh ON vh.product_id = p.id \
         WHERE p.status = '{published}' AND cat.is_food = 1 \
         GROUP BY p.unit_id) f ON f.unit_id = u.id \
         LEFT JOIN (SELECT p.unit_id AS unit_id, COUNT(*) AS published, \
         SUM(CASE WHEN p.length_cm > 0 AND p.width_cm > 0 AND p.height_cm > 0 \
         AND COALESCE(ph.photos, 0) >= {MIN_PHOTOS} THEN 1 ELSE 0 END) AS complete \
         FROM products p \
         LEFT JOIN (SELECT ph.product_id AS product_id, COUNT(*) AS photos \
         FROM product_photos ph GROUP BY ph.product_id) ph ON ph.product_id = p.id \
         WHERE p.status = '{published}' GROUP BY p.unit_id) l ON l.unit_id = u.id \
         ORDER BY u.id"
    ))
    .load(conn)
}

/// Every unit's published products per category as they stand, in unit then category order
/// (pairs without one left out).
pub fn live_categories(conn: &mut DbConnection) -> QueryResult<Vec<UnitCategoryProducts>> {
    let published = ProductStatus::Published.code();
    diesel::sql_query(format!(
        "SELECT p.unit_id AS unit_id, p.category_id AS category_id, \
         CAST(COUNT(*) AS INTEGER) AS published FROM products p \
         WHERE p.status = '{published}' GROUP BY p.unit_id, p.category_id \
         ORDER BY p.unit_id, p.category_id"
    ))
    .load(conn)
}

/// The snapshot as stored, in unit order.
pub fn snapshot(conn: &mut DbConnection) -> QueryResult<Vec<UnitOversight>> {
    unit_oversight::table
        .order(unit_oversight::unit_id.asc())
        .select(UnitOversight::as_select())
        .load(conn)
}

/// Makes the per-unit snapshot the dashboard reads (`unit_oversight`,
/// `unit_category_products`) again as things stand on `today` (WIB): computed first, then
/// written in one short write transaction where it changed, and the refresh recorded in
/// `rollup_runs` (`SNAPSHOT`; its day is the one documents about to expire are counted from).
/// Gives the number of units.
pub fn refresh_snapshot(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<usize> {
    let units = live_units(conn, today)?;
    let categories = live_categories(conn)?;
    let day = iso(today);
    let now = crate::models::now_ts();
    write_transaction(conn, |conn| {
        note_run(conn, SNAPSHOT, &day, now)?;
        if snapshot(conn)? != units {
            diesel::delete(unit_oversight::table).execute(conn)?;
            for chunk in units.chunks(500) {
                crate::on_backend!(conn, |c| diesel::insert_into(unit_oversight::table)
                    .values(chunk)
                    .execute(c))?;
            }
        }
        let stored: Vec<UnitCategoryProducts> = unit_category_products::table
            .order((
                unit_category_products::unit_id.asc(),
                unit_category_products::category_id.asc(),
            ))
            .select(UnitCategoryProducts::as_select())
            .load(conn)?;
        if stored != categories {
            diesel::delete(unit_category_products::table).execute(conn)?;
            for chunk in categories.chunks(500) {
                crate::on_backend!(conn, |c| diesel::insert_into(unit_category_products::table)
                    .values(chunk)
                    .execute(c))?;
            }
        }
        Ok(units.len())
    })
}

/// The review desk: what waits now in each province of the filter, and for each decision on a
/// listing or a document taken in the period how long it waited. A listing waited from its
/// last change before the decision (what the desk's queue counts from); a document from when
/// it was sent.
fn review_desk(conn: &mut DbConnection, filter: &OversightFilter) -> QueryResult<ReviewDesk> {
    let kind = filter
        .unit_kind
        .map(|k| format!(" AND u.kind = '{}'", k.code()))
        .unwrap_or_default();
    let province = filter
        .province_id
        .map(|id| format!(" AND pr.id = {id}"))
        .unwrap_or_default();
    let submitted = ProductStatus::Submitted.code();
    let waiting_document = CertificationStatus::Submitted.code();
    // Grouped once per kind of work, not counted again for every province.
    let backlog: Vec<Backlog> = diesel::sql_query(format!(
        "SELECT pr.id AS id, pr.name AS name, \
         CAST(COALESCE(l.n, 0) AS BIGINT) AS listings, \
         CAST(COALESCE(w.n, 0) AS BIGINT) AS documents \
         FROM provinces pr \
         LEFT JOIN (SELECT u.province_id AS province_id, COUNT(*) AS n FROM products p \
         INNER JOIN units u ON u.id = p.unit_id WHERE p.status = '{submitted}'{kind} \
         GROUP BY u.province_id) l ON l.province_id = pr.id \
         LEFT JOIN (SELECT u.province_id AS province_id, COUNT(*) AS n FROM certifications c \
         INNER JOIN units u ON u.id = c.unit_id WHERE c.status = '{waiting_document}'{kind} \
         GROUP BY u.province_id) w ON w.province_id = pr.id \
         WHERE 1 = 1{province} ORDER BY pr.name, pr.id"
    ))
    .load(conn)?;
    let (from, until) = filter.seconds();
    let scope = unit_scope(filter);
    // The audit actions of a listing decision, as `product::change_status` records them.
    let decisions = quoted(
        [ProductStatus::Published, ProductStatus::Returned]
            .map(|status| format!("product.{}", status.code())),
    );
    let waits: Vec<Wait> = diesel::sql_query(format!(
        "SELECT t.province_id AS province_id, CAST(t.decided_at - t.since AS BIGINT) AS waited \
         FROM (SELECT u.province_id AS province_id, d.created_at AS decided_at, \
         (SELECT MAX(s.created_at) FROM audit_log s WHERE s.entity = 'product' \
         AND s.entity_id = d.entity_id AND s.id < d.id) AS since \
         FROM audit_log d \
         INNER JOIN products p ON p.id = d.entity_id \
         INNER JOIN units u ON u.id = p.unit_id \
         WHERE d.entity = 'product' AND d.action IN ({decisions}) \
         AND d.created_at >= {from} AND d.created_at < {until}{scope}) t \
         WHERE t.since IS NOT NULL \
         UNION ALL \
         SELECT u.province_id AS province_id, CAST(d.created_at - c.created_at AS BIGINT) \
         AS waited \
         FROM audit_log d \
         INNER JOIN certifications c ON c.id = d.entity_id \
         INNER JOIN units u ON u.id = c.unit_id \
         WHERE d.entity = 'document' \
         AND d.action IN ('document.verify', 'document.reject') \
         AND d.created_at >= {from} AND d.created_at < {until}{scope}"
    ))
    .load(conn)?;
    let mut every: Vec<i64> = waits.iter().map(|w| w.waited).collect();
    let mut desk = ReviewDesk {
        decisions: every.len() as i64,
        median_wait: median(&mut every),
        ..ReviewDesk::default()
    };
    for row in backlog {
        let mut mine: Vec<i64> = waits
            .iter()
            .filter(|w| w.province_id == row.id)
            .map(|w| w.waited)
            .collect();
        desk.listings += row.listings;
        desk.documents += row.documents;
        if row.listings == 0 && row.documents == 0 && mine.is_empty() {
            continue;
        }
        desk.provinces.push(ReviewRow {
            province_id: row.id,
            province: row.name,
            listings: row.listings,
            documents: row.documents,
            decisions: mine.len() as i64,
            median_wait: median(&mut mine),
        });
    }
    Ok(desk)
}

/// One day of the daily roll-ups added up.
#[derive(QueryableByName)]
struct DayRow {
    #[diesel(sql_type = Text)]
    day: String,
    #[diesel(sql_type = BigInt)]
    orders: i64,
    #[diesel(sql_type = BigInt)]
    booth_sales: i64,
    #[diesel(sql_type = BigInt)]
    items: i64,
    #[diesel(sql_type = BigInt)]
    buyers: i64,
    #[diesel(sql_type = BigInt)]
    sales: i64,
    #[diesel(sql_type = BigInt)]
    wage: i64,
    #[diesel(sql_type = BigInt)]
    pnbp: i64,
    #[diesel(sql_type = BigInt)]
    capital: i64,
}

fn sales(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
) -> QueryResult<Sales> {
    let (from, to) = (iso(filter.from), iso(filter.to));
    let scope = rollup_scope(filter, "d");
    // Grouped by day, the order the roll-ups' keys keep (no sort), then by month here.
    let days: Vec<DayRow> = diesel::sql_query(format!(
        "SELECT d.day AS day, \
         CAST(SUM(d.orders) AS BIGINT) AS orders, \
         CAST(SUM(d.booth_sales) AS BIGINT) AS booth_sales, \
         CAST(SUM(d.items) AS BIGINT) AS items, CAST(SUM(d.buyers) AS BIGINT) AS buyers, \
         CAST(SUM(d.sales) AS BIGINT) AS sales, CAST(SUM(d.wage) AS BIGINT) AS wage, \
         CAST(SUM(d.pnbp) AS BIGINT) AS pnbp, CAST(SUM(d.capital) AS BIGINT) AS capital \
         FROM daily_unit_sales d \
         WHERE d.day >= '{from}' AND d.day <= '{to}'{scope} \
         GROUP BY d.day ORDER BY d.day"
    ))
    .load(conn)?;
    let mut months: Vec<MonthRow> = Vec::new();
    for d in &days {
        let month = month_of(&d.day);
        if months.last().map(|m| m.month.as_str()) != Some(month) {
            months.push(MonthRow {
                month: month.to_string(),
                ..MonthRow::default()
            });
        }
        if let Some(m) = months.last_mut() {
            m.orders += d.orders;
            m.booth_sales += d.booth_sales;
            m.items += d.items;
            m.buyers += d.buyers;
            m.sales += d.sales;
            m.wage += d.wage;
            m.pnbp += d.pnbp;
            m.capital += d.capital;
        }
    }
    // Ranked on the roll-up rows alone; only the ten are joined to their units.
    let top_units: Vec<TopUnit> = diesel::sql_query(format!(
        "SELECT u.id AS id, u.name AS name, pr.name AS province, t.orders AS orders, \
         t.booth_sales AS booth_sales, t.items AS items, t.sales AS sales, t.wage AS wage \
         FROM (SELECT d.unit_id AS unit_id, CAST(SUM(d.orders) AS BIGINT) AS orders, \
         CAST(SUM(d.booth_sales) AS BIGINT) AS booth_sales, \
         CAST(SUM(d.items) AS BIGINT) AS items, CAST(SUM(d.sales) AS BIGINT) AS sales, \
         CAST(SUM(d.wage) AS BIGINT) AS wage \
         FROM daily_unit_sales d \
         WHERE d.day >= '{from}' AND d.day <= '{to}'{scope} \
         GROUP BY d.unit_id ORDER BY sales DESC, items DESC, d.unit_id LIMIT {TOP}) t \
         INNER JOIN units u ON u.id = t.unit_id \
         INNER JOIN provinces pr ON pr.id = u.province_id \
         ORDER BY t.sales DESC, t.items DESC, t.unit_id"
    ))
    .load(conn)?;
    Ok(Sales {
        months,
        top_products: top_products(conn, filter, today)?,
        top_units,
    })
}

/// The products that sold most in the period, shop and booths together, by pieces then
/// rupiah. A period of one whole year (this year up to today included) walks the year rows in
/// rank order and stops after `TOP`; any other adds up the year rows of the years it covers
/// whole and the day rows of the days around them.
fn top_products(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
) -> QueryResult<Vec<TopProduct>> {
    let parts = period_parts(filter.from, filter.to, today);
    let (by_year, by_day) = (rollup_scope(filter, "y"), rollup_scope(filter, "d"));
    let ranked = if let ([year], []) = (parts.years.as_slice(), parts.days.as_slice()) {
        format!(
            "SELECT y.product_id AS product_id, y.items AS items, y.sales AS sales \
             FROM yearly_product_sales y WHERE y.year = {year}{by_year} \
             ORDER BY y.items DESC, y.sales DESC, y.product_id LIMIT {TOP}"
        )
    } else {
        let mut sources: Vec<String> = Vec::new();
        if !parts.years.is_empty() {
            let years = parts
                .years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            sources.push(format!(
                "SELECT y.product_id AS product_id, y.items AS items, y.sales AS sales \
                 FROM yearly_product_sales y WHERE y.year IN ({years}){by_year}"
            ));
        }
        for (first, last) in &parts.days {
            sources.push(format!(
                "SELECT d.product_id AS product_id, d.items AS items, d.sales AS sales \
                 FROM daily_product_sales d \
                 WHERE d.day >= '{}' AND d.day <= '{}'{by_day}",
                iso(*first),
                iso(*last)
            ));
        }
        if sources.is_empty() {
            return Ok(Vec::new());
        }
        format!(
            "SELECT t.product_id AS product_id, CAST(SUM(t.items) AS BIGINT) AS items, \
             CAST(SUM(t.sales) AS BIGINT) AS sales FROM ({}) t \
             GROUP BY t.product_id ORDER BY items DESC, sales DESC, t.product_id LIMIT {TOP}",
            sources.join(" UNION ALL ")
        )
    };
    diesel::sql_query(format!(
        "SELECT p.id AS id, p.name AS name, u.name AS unit, r.items AS items, \
         r.sales AS sales \
         FROM ({ranked}) r INNER JOIN products p ON p.id = r.product_id \
         INNER JOIN units u ON u.id = p.unit_id \
         ORDER BY r.items DESC, r.sales DESC, r.product_id"
    ))
    .load(conn)
}

fn fairs(conn: &mut DbConnection, filter: &OversightFilter) -> QueryResult<Vec<FairRow>> {
    let (from, to) = (iso(filter.from), iso(filter.to));
    let scope = unit_scope(filter);
    diesel::sql_query(format!(
        "SELECT e.id AS id, e.name AS name, e.starts_on AS starts_on, e.ends_on AS ends_on, \
         CAST(COUNT(DISTINCT bs.unit_id) AS BIGINT) AS units, \
         CAST(COUNT(*) AS BIGINT) AS sales, CAST(SUM(bs.quantity) AS BIGINT) AS items, \
         CAST(SUM(bs.total) AS BIGINT) AS takings \
         FROM booth_sales bs INNER JOIN events e ON e.id = bs.event_id \
         INNER JOIN units u ON u.id = bs.unit_id \
         WHERE bs.sold_on >= '{from}' AND bs.sold_on <= '{to}'{scope} \
         GROUP BY e.id, e.name, e.starts_on, e.ends_on \
         ORDER BY e.starts_on DESC, e.id DESC"
    ))
    .load(conn)
}
