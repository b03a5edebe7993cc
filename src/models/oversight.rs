//! The figures of the oversight dashboard (`/kelola/pantau`), each an aggregate query scoped
//! by the filter's province and unit kind: what units list and sell, how far legalization and
//! branding have come, the review desk, sales from the daily roll-ups (`daily_unit_sales`),
//! the products and units that sold most, and the fairs. Every row read is already a sum per
//! category, province, unit, month, product, fair or decision; no order line or sale is read
//! to be counted here. The filter's values are typed (dates, ids, enum codes) and written into
//! the SQL as such: nothing a user typed reaches it as text.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use crate::db::DbConnection;
use crate::domain::order::OrderStatus;
use crate::domain::oversight::{
    active_since, expiring_until, iso, median, BrandingFacts, OversightFilter, MIN_PHOTOS, TOP,
};
use crate::domain::{CertificationKind, CertificationStatus, ProductStatus};

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
/// expiring within `EXPIRY_DAYS` days.
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

/// A product sold in the shop in the period: pieces and rupiah.
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
}

/// The dashboard for `filter` on `today` (WIB): current figures (listings, documents, brands,
/// the review backlog) as they stand, sales, decisions and fairs within the filter's period.
pub fn read(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
) -> QueryResult<Oversight> {
    Ok(Oversight {
        activity: activity(conn, filter, today)?,
        coverage: coverage(conn, filter, today)?,
        branding: branding(conn, filter)?,
        review: review_desk(conn, filter)?,
        sales: sales(conn, filter)?,
        fairs: fairs(conn, filter)?,
    })
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

/// ` AND …` limiting roll-up rows `d` (joined to their unit `u`) to the filter's province (as
/// the row keeps it) and unit kind.
fn daily_scope(filter: &OversightFilter) -> String {
    let mut scope = String::new();
    if let Some(id) = filter.province_id {
        scope.push_str(&format!(" AND d.province_id = {id}"));
    }
    if let Some(kind) = filter.unit_kind {
        scope.push_str(&format!(" AND u.kind = '{}'", kind.code()));
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
) -> QueryResult<Activity> {
    let scope = unit_scope(filter);
    let published = ProductStatus::Published.code();
    let units = count(
        conn,
        format!("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM units u WHERE u.active = 1{scope}"),
    )?;
    let listed = |what: &str| {
        format!(
            "SELECT CAST({what} AS BIGINT) AS n FROM products p \
             INNER JOIN units u ON u.id = p.unit_id \
             WHERE p.status = '{published}' AND u.active = 1{scope}"
        )
    };
    let publishing = count(conn, listed("COUNT(DISTINCT p.unit_id)"))?;
    let published_count = count(conn, listed("COUNT(*)"))?;
    let selling = count(
        conn,
        format!(
            "SELECT CAST(COUNT(DISTINCT d.unit_id) AS BIGINT) AS n FROM daily_unit_sales d \
             INNER JOIN units u ON u.id = d.unit_id \
             WHERE d.day >= '{}' AND d.day <= '{}' AND d.orders + d.booth_sales > 0{}",
            iso(active_since(today)),
            iso(today),
            daily_scope(filter)
        ),
    )?;
    let categories: Vec<CategoryCount> = diesel::sql_query(format!(
        "SELECT cat.id AS id, cat.name_id AS name_id, cat.name_en AS name_en, \
         CAST(COUNT(p.id) AS BIGINT) AS listed \
         FROM categories cat \
         LEFT JOIN products p ON p.category_id = cat.id AND p.status = '{published}' \
         AND p.unit_id IN (SELECT u.id FROM units u WHERE u.active = 1{scope}) \
         GROUP BY cat.id, cat.name_id, cat.name_en, cat.sort_order \
         ORDER BY listed DESC, cat.sort_order, cat.id"
    ))
    .load(conn)?;
    Ok(Activity {
        units,
        publishing,
        selling,
        published: published_count,
        categories,
    })
}

/// One row per unit (switched on) in scope: its food products and their permits, its HKI and
/// its documents expiring soon, with its province (`t.province_id`, `t.province`).
fn unit_coverage_sql(filter: &OversightFilter, today: NaiveDate) -> String {
    let scope = unit_scope(filter);
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
    format!(
        "SELECT u.id AS id, u.name AS name, pr.id AS province_id, pr.name AS province, \
         COALESCE(f.food, 0) AS food, COALESCE(f.permit, 0) AS permit, \
         COALESCE(f.halal, 0) AS halal, \
         CASE WHEN EXISTS (SELECT 1 FROM certifications c WHERE c.unit_id = u.id \
         AND c.kind = '{hki}' AND {valid}) THEN 1 ELSE 0 END AS hki, \
         (SELECT COUNT(*) FROM certifications c WHERE c.unit_id = u.id \
         AND c.status = '{verified}' AND c.expired_at IS NULL \
         AND c.expires_on >= '{today}' AND c.expires_on <= '{until}') AS expiring \
         FROM units u \
         INNER JOIN provinces pr ON pr.id = u.province_id \
         LEFT JOIN (SELECT p.unit_id AS unit_id, COUNT(*) AS food, \
         SUM(CASE WHEN EXISTS (SELECT 1 FROM certifications c WHERE c.product_id = p.id \
         AND c.kind IN ({permits}) AND {valid}) THEN 1 ELSE 0 END) AS permit, \
         SUM(CASE WHEN EXISTS (SELECT 1 FROM certifications c WHERE c.product_id = p.id \
         AND c.kind = '{halal}' AND {valid}) THEN 1 ELSE 0 END) AS halal \
         FROM products p INNER JOIN categories cat ON cat.id = p.category_id \
         WHERE p.status = '{published}' AND cat.is_food = 1 \
         AND p.unit_id IN (SELECT u.id FROM units u WHERE u.active = 1{scope}) \
         GROUP BY p.unit_id) f ON f.unit_id = u.id \
         WHERE u.active = 1{scope}"
    )
}

fn coverage(
    conn: &mut DbConnection,
    filter: &OversightFilter,
    today: NaiveDate,
) -> QueryResult<Coverage> {
    let units = unit_coverage_sql(filter, today);
    let by_unit: Vec<CoverageRow> = diesel::sql_query(format!(
        "SELECT t.id AS id, t.name AS name, t.province AS province, \
         t.province_id AS province_id, \
         CAST(1 AS BIGINT) AS units, CAST(t.food AS BIGINT) AS food, \
         CAST(t.permit AS BIGINT) AS permit, CAST(t.halal AS BIGINT) AS halal, \
         CAST(t.hki AS BIGINT) AS hki, CAST(t.expiring AS BIGINT) AS expiring \
         FROM ({units}) t \
         ORDER BY t.food - t.permit DESC, t.food - t.halal DESC, t.hki ASC, \
         t.expiring DESC, t.name ASC, t.id ASC"
    ))
    .load(conn)?;
    // The provinces' rows add up the units' rows: the costly part runs once.
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
    Ok(Coverage {
        by_province: provinces.into_values().collect(),
        by_unit,
    })
}

fn branding(conn: &mut DbConnection, filter: &OversightFilter) -> QueryResult<Vec<BrandingRow>> {
    let scope = unit_scope(filter);
    let published = ProductStatus::Published.code();
    diesel::sql_query(format!(
        "SELECT u.id AS id, u.name AS name, pr.name AS province, \
         CAST(CASE WHEN u.logo_path IS NULL OR u.logo_path = '' THEN 0 ELSE 1 END AS BIGINT) \
         AS logo, \
         CAST(CASE WHEN u.banner_path IS NULL OR u.banner_path = '' THEN 0 ELSE 1 END \
         AS BIGINT) AS banner, \
         CAST(CASE WHEN LENGTH(TRIM(u.story)) > 0 THEN 1 ELSE 0 END AS BIGINT) AS story, \
         CAST((SELECT COUNT(*) FROM products p WHERE p.unit_id = u.id \
         AND p.status = '{published}') AS BIGINT) AS listed, \
         CAST((SELECT COUNT(*) FROM products p WHERE p.unit_id = u.id \
         AND p.status = '{published}' \
         AND p.length_cm > 0 AND p.width_cm > 0 AND p.height_cm > 0 \
         AND (SELECT COUNT(*) FROM product_photos ph WHERE ph.product_id = p.id) \
         >= {MIN_PHOTOS}) AS BIGINT) AS complete \
         FROM units u INNER JOIN provinces pr ON pr.id = u.province_id \
         WHERE u.active = 1{scope} ORDER BY u.name, u.id"
    ))
    .load(conn)
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
    let backlog: Vec<Backlog> = diesel::sql_query(format!(
        "SELECT pr.id AS id, pr.name AS name, \
         CAST((SELECT COUNT(*) FROM products p INNER JOIN units u ON u.id = p.unit_id \
         WHERE p.status = '{submitted}' AND u.province_id = pr.id{kind}) AS BIGINT) \
         AS listings, \
         CAST((SELECT COUNT(*) FROM certifications c INNER JOIN units u ON u.id = c.unit_id \
         WHERE c.status = '{waiting_document}' AND u.province_id = pr.id{kind}) AS BIGINT) \
         AS documents \
         FROM provinces pr WHERE 1 = 1{province} ORDER BY pr.name, pr.id"
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

fn sales(conn: &mut DbConnection, filter: &OversightFilter) -> QueryResult<Sales> {
    let (from, to) = (iso(filter.from), iso(filter.to));
    let scope = daily_scope(filter);
    let months: Vec<MonthRow> = diesel::sql_query(format!(
        "SELECT SUBSTR(d.day, 1, 7) AS month, \
         CAST(SUM(d.orders) AS BIGINT) AS orders, \
         CAST(SUM(d.booth_sales) AS BIGINT) AS booth_sales, \
         CAST(SUM(d.items) AS BIGINT) AS items, CAST(SUM(d.buyers) AS BIGINT) AS buyers, \
         CAST(SUM(d.sales) AS BIGINT) AS sales, CAST(SUM(d.wage) AS BIGINT) AS wage, \
         CAST(SUM(d.pnbp) AS BIGINT) AS pnbp, CAST(SUM(d.capital) AS BIGINT) AS capital \
         FROM daily_unit_sales d INNER JOIN units u ON u.id = d.unit_id \
         WHERE d.day >= '{from}' AND d.day <= '{to}'{scope} \
         GROUP BY SUBSTR(d.day, 1, 7) ORDER BY month"
    ))
    .load(conn)?;
    let top_units: Vec<TopUnit> = diesel::sql_query(format!(
        "SELECT u.id AS id, u.name AS name, pr.name AS province, \
         CAST(SUM(d.orders) AS BIGINT) AS orders, \
         CAST(SUM(d.booth_sales) AS BIGINT) AS booth_sales, \
         CAST(SUM(d.items) AS BIGINT) AS items, CAST(SUM(d.sales) AS BIGINT) AS sales, \
         CAST(SUM(d.wage) AS BIGINT) AS wage \
         FROM daily_unit_sales d INNER JOIN units u ON u.id = d.unit_id \
         INNER JOIN provinces pr ON pr.id = u.province_id \
         WHERE d.day >= '{from}' AND d.day <= '{to}'{scope} \
         GROUP BY u.id, u.name, pr.name \
         ORDER BY sales DESC, items DESC, u.id LIMIT {TOP}"
    ))
    .load(conn)?;
    let sold = quoted(
        OrderStatus::ALL
            .into_iter()
            .filter(|s| s.counts_as_sold())
            .map(OrderStatus::code),
    );
    let (paid_from, paid_until) = filter.seconds();
    let top_products: Vec<TopProduct> = diesel::sql_query(format!(
        "SELECT p.id AS id, p.name AS name, u.name AS unit, \
         CAST(SUM(oi.quantity) AS BIGINT) AS items, \
         CAST(SUM(oi.quantity * oi.unit_price) AS BIGINT) AS sales \
         FROM order_items oi INNER JOIN orders o ON o.id = oi.order_id \
         INNER JOIN products p ON p.id = oi.product_id \
         INNER JOIN units u ON u.id = p.unit_id \
         WHERE o.status IN ({sold}) AND o.paid_at >= {paid_from} AND o.paid_at < {paid_until}{} \
         GROUP BY p.id, p.name, u.name \
         ORDER BY items DESC, sales DESC, p.id LIMIT {TOP}",
        unit_scope(filter)
    ))
    .load(conn)?;
    Ok(Sales {
        months,
        top_products,
        top_units,
    })
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
