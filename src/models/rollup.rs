//! Daily roll-ups (`daily_unit_sales`): per day and unit, what paid shop orders and booth
//! sales came to, so the impact page, the open data and the oversight dashboard read a few
//! rows per unit and day instead of every order line. A day is the day in WIB the money came
//! in: an order's payment (`paid_at`), a booth sale's `sold_on`. An order counts while it
//! `counts_as_sold`, so a refunded or cancelled one counts on no day: rolling its day up again
//! takes it out. `rollup_runs` says when the roll-up last ran and the latest day it covered.
//!
//! The same roll-up keeps, in the same transaction, the day per product
//! (`daily_product_sales`, shop and booth together) and each product's calendar year
//! (`yearly_product_sales`, made again for the products whose day changed), which the
//! oversight dashboard ranks its best-selling products from.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use crate::db::schema::{
    booth_sales, daily_product_sales, daily_unit_sales, order_items, orders, rollup_runs,
    shipments, units, yearly_product_sales,
};
use crate::db::{write_transaction, DbConnection};
use crate::domain::impact::{day_text, days_between, parse_day, wib_day, wib_day_span};
use crate::domain::order::OrderStatus;
use crate::domain::RevenueSplit;
use crate::models::catalog::Province;

/// The name of the daily roll-up in `rollup_runs`.
pub const DAILY: &str = "daily_unit_sales";
/// The name in `rollup_runs` of the product rows the same roll-up keeps since migration 000027
/// (`daily_product_sales`, `yearly_product_sales`): a day rolled up before has none.
pub const PRODUCTS: &str = "daily_product_sales";

/// One row of `daily_unit_sales`: one unit on one day.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = daily_unit_sales)]
pub struct DailyUnitSales {
    /// `YYYY-MM-DD`, the day in WIB.
    pub day: String,
    pub unit_id: i32,
    pub province_id: i32,
    /// `units.kind` as stored.
    pub unit_kind: String,
    /// Paid shop orders with a parcel of the unit.
    pub orders: i32,
    /// Sales at the unit's fair booths.
    pub booth_sales: i32,
    /// Pieces sold, shop and booth.
    pub items: i64,
    /// Rupiah of goods (no shipping fee), shop and booth.
    pub sales: i64,
    /// Distinct shop buyers (by email).
    pub buyers: i32,
    pub wage: i64,
    pub pnbp: i64,
    pub capital: i64,
}

/// One row of `daily_product_sales`: one product on one day.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = daily_product_sales)]
pub struct DailyProductSales {
    /// `YYYY-MM-DD`, the day in WIB.
    pub day: String,
    pub product_id: i32,
    pub unit_id: i32,
    pub province_id: i32,
    /// `units.kind` as stored.
    pub unit_kind: String,
    /// Pieces sold, shop and booth.
    pub items: i64,
    /// Rupiah of goods (lines' quantity times price, booth sales' totals).
    pub sales: i64,
}

/// One row of `yearly_product_sales`: one product in one calendar year (days in WIB).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = yearly_product_sales)]
pub struct YearlyProductSales {
    pub year: i32,
    pub product_id: i32,
    /// The unit, province and kind of the last day it sold that year.
    pub unit_id: i32,
    pub province_id: i32,
    pub unit_kind: String,
    pub items: i64,
    pub sales: i64,
}

/// What one product sold on one day, either in the shop's paid parcels or at booths.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProductTally {
    pub product_id: i32,
    /// The unit that sold it (its parcels', its booth's).
    pub unit_id: i32,
    pub items: i64,
    /// Lines' quantity times price, or booth sales' totals.
    pub sales: i64,
}

/// What a unit's paid parcels of one day came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShopTally {
    pub unit_id: i32,
    pub orders: i64,
    pub buyers: i64,
    pub items: i64,
    /// The parcels' goods (`shipments.items_total`).
    pub sales: i64,
    /// The parcels' shares, as booked when they were ordered.
    pub wage: i64,
    pub pnbp: i64,
    pub capital: i64,
}

/// What a unit's booth sales of one day came to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoothTally {
    pub unit_id: i32,
    pub sales: i64,
    pub items: i64,
    pub total: i64,
}

/// What a roll-up row says of its unit: the province, the kind and the revenue split (for
/// booth sales, which book no split of their own).
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct UnitFacts {
    pub id: i32,
    pub province_id: i32,
    pub kind: String,
    pub wage_pct: i32,
    pub pnbp_pct: i32,
    pub capital_pct: i32,
}

fn count(n: i64) -> i32 {
    i32::try_from(n.max(0)).unwrap_or(i32::MAX)
}

/// The row of `unit` in `rows`, made empty for `day` when it is not there yet.
fn row_of<'a>(
    rows: &'a mut BTreeMap<i32, DailyUnitSales>,
    day: &str,
    unit: &UnitFacts,
) -> &'a mut DailyUnitSales {
    rows.entry(unit.id).or_insert_with(|| DailyUnitSales {
        day: day.to_string(),
        unit_id: unit.id,
        province_id: unit.province_id,
        unit_kind: unit.kind.clone(),
        orders: 0,
        booth_sales: 0,
        items: 0,
        sales: 0,
        buyers: 0,
        wage: 0,
        pnbp: 0,
        capital: 0,
    })
}

/// The rows of `day` from its tallies: one per unit that sold, in unit order. A parcel keeps
/// the shares booked when it was ordered; a unit's booth takings of the day are split by its
/// revenue split (rounding leftovers to capital, as for a parcel). A unit missing from `facts`
/// is left out.
pub fn day_rows(
    day: &str,
    shop: &[ShopTally],
    booth: &[BoothTally],
    facts: &[UnitFacts],
) -> Vec<DailyUnitSales> {
    let mut rows: BTreeMap<i32, DailyUnitSales> = BTreeMap::new();
    for t in shop {
        let Some(unit) = facts.iter().find(|u| u.id == t.unit_id) else {
            continue;
        };
        let row = row_of(&mut rows, day, unit);
        row.orders = row.orders.saturating_add(count(t.orders));
        row.buyers = row.buyers.saturating_add(count(t.buyers));
        row.items += t.items;
        row.sales += t.sales;
        row.wage += t.wage;
        row.pnbp += t.pnbp;
        row.capital += t.capital;
    }
    for b in booth {
        let Some(unit) = facts.iter().find(|u| u.id == b.unit_id) else {
            continue;
        };
        let split = RevenueSplit::new(unit.wage_pct, unit.pnbp_pct, unit.capital_pct)
            .unwrap_or(RevenueSplit::DEFAULT);
        let (wage, pnbp, capital) = split.apply(b.total);
        let row = row_of(&mut rows, day, unit);
        row.booth_sales = row.booth_sales.saturating_add(count(b.sales));
        row.items += b.items;
        row.sales += b.total;
        row.wage += wage;
        row.pnbp += pnbp;
        row.capital += capital;
    }
    rows.into_values().collect()
}

/// The product rows of `day` from its tallies: one per product sold, in product order, its
/// shop and booth tallies added up, with the facts of the unit that sold it (its first
/// tally's). A unit missing from `facts` is left out, as in `day_rows`.
pub fn product_rows(
    day: &str,
    tallies: &[ProductTally],
    facts: &[UnitFacts],
) -> Vec<DailyProductSales> {
    let mut rows: BTreeMap<i32, DailyProductSales> = BTreeMap::new();
    for t in tallies {
        if let Some(row) = rows.get_mut(&t.product_id) {
            row.items += t.items;
            row.sales += t.sales;
            continue;
        }
        let Some(unit) = facts.iter().find(|u| u.id == t.unit_id) else {
            continue;
        };
        rows.insert(
            t.product_id,
            DailyProductSales {
                day: day.to_string(),
                product_id: t.product_id,
                unit_id: unit.id,
                province_id: unit.province_id,
                unit_kind: unit.kind.clone(),
                items: t.items,
                sales: t.sales,
            },
        );
    }
    rows.into_values().collect()
}

/// The rows of `year` from day rows of that year in product then day order: each product's
/// pieces and rupiah added up, in the unit, province and kind of its last day.
pub fn year_rows(year: i32, days: &[DailyProductSales]) -> Vec<YearlyProductSales> {
    let mut rows: Vec<YearlyProductSales> = Vec::new();
    for d in days {
        match rows.last_mut() {
            Some(row) if row.product_id == d.product_id => {
                row.items += d.items;
                row.sales += d.sales;
                row.unit_id = d.unit_id;
                row.province_id = d.province_id;
                row.unit_kind.clone_from(&d.unit_kind);
            }
            _ => rows.push(YearlyProductSales {
                year,
                product_id: d.product_id,
                unit_id: d.unit_id,
                province_id: d.province_id,
                unit_kind: d.unit_kind.clone(),
                items: d.items,
                sales: d.sales,
            }),
        }
    }
    rows
}

/// The order states whose money counts.
fn sold_codes() -> Vec<&'static str> {
    OrderStatus::ALL
        .into_iter()
        .filter(|s| s.counts_as_sold())
        .map(|s| s.code())
        .collect()
}

/// What the rows of one day are made from.
struct DayTallies {
    shop: Vec<ShopTally>,
    booth: Vec<BoothTally>,
    /// The shop's tallies per product, then the booths'.
    products: Vec<ProductTally>,
    /// The units they name.
    facts: Vec<UnitFacts>,
}

/// The tallies of `day`: the parcels and lines of the orders paid within it (in WIB) that
/// still count, its booth sales, and the units they name.
///
/// The orders are found by state and payment time together (`orders_status_paid`): SQLite,
/// which keeps no statistics, otherwise chose the index on the state alone and walked every
/// counted order of every day.
fn tallies(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<DayTallies> {
    let (start, end) = wib_day_span(day);
    type ParcelRow = (i32, i64, i64, i64, i64, i64, i64);
    let parcels: Vec<ParcelRow> = shipments::table
        .inner_join(orders::table)
        .filter(orders::paid_at.ge(start))
        .filter(orders::paid_at.lt(end))
        .filter(orders::status.eq_any(sold_codes()))
        .group_by(shipments::unit_id)
        .select((
            shipments::unit_id,
            sql::<BigInt>("CAST(COUNT(DISTINCT shipments.order_id) AS BIGINT)"),
            sql::<BigInt>("CAST(COUNT(DISTINCT orders.buyer_email) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(shipments.items_total) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(shipments.share_wage) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(shipments.share_pnbp) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(shipments.share_capital) AS BIGINT)"),
        ))
        .load(conn)?;
    // A product's lines are all in parcels of its own unit: the largest unit id is that one.
    let lines: Vec<(i32, i32, i64, i64)> = order_items::table
        .inner_join(shipments::table.inner_join(orders::table))
        .filter(orders::paid_at.ge(start))
        .filter(orders::paid_at.lt(end))
        .filter(orders::status.eq_any(sold_codes()))
        .group_by(order_items::product_id)
        .select((
            order_items::product_id,
            sql::<Integer>("MAX(shipments.unit_id)"),
            sql::<BigInt>("CAST(SUM(order_items.quantity) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(order_items.quantity * order_items.unit_price) AS BIGINT)"),
        ))
        .load(conn)?;
    let booth_lines: Vec<(i32, i32, i64, i64, i64)> = booth_sales::table
        .filter(booth_sales::sold_on.eq(day_text(day)))
        .group_by((booth_sales::unit_id, booth_sales::product_id))
        .select((
            booth_sales::unit_id,
            booth_sales::product_id,
            sql::<BigInt>("CAST(COUNT(*) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(booth_sales.quantity) AS BIGINT)"),
            sql::<BigInt>("CAST(SUM(booth_sales.total) AS BIGINT)"),
        ))
        .load(conn)?;
    let mut products: Vec<ProductTally> = lines
        .iter()
        .map(|&(product_id, unit_id, items, sales)| ProductTally {
            product_id,
            unit_id,
            items,
            sales,
        })
        .collect();
    products.extend(
        booth_lines
            .iter()
            .map(|&(unit_id, product_id, _, items, total)| ProductTally {
                product_id,
                unit_id,
                items,
                sales: total,
            }),
    );
    let shop: Vec<ShopTally> = parcels
        .into_iter()
        .map(
            |(unit_id, order_count, buyers, sales, wage, pnbp, capital)| ShopTally {
                unit_id,
                orders: order_count,
                buyers,
                items: lines
                    .iter()
                    .filter(|line| line.1 == unit_id)
                    .map(|line| line.2)
                    .sum(),
                sales,
                wage,
                pnbp,
                capital,
            },
        )
        .collect();
    let mut booth: BTreeMap<i32, BoothTally> = BTreeMap::new();
    for &(unit_id, _, sales, items, total) in &booth_lines {
        let tally = booth.entry(unit_id).or_insert_with(|| BoothTally {
            unit_id,
            ..BoothTally::default()
        });
        tally.sales += sales;
        tally.items += items;
        tally.total += total;
    }
    let booth: Vec<BoothTally> = booth.into_values().collect();
    let mut ids: Vec<i32> = shop
        .iter()
        .map(|t| t.unit_id)
        .chain(booth.iter().map(|b| b.unit_id))
        .chain(products.iter().map(|p| p.unit_id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let facts: Vec<UnitFacts> = if ids.is_empty() {
        Vec::new()
    } else {
        units::table
            .filter(units::id.eq_any(&ids))
            .select((
                units::id,
                units::province_id,
                units::kind,
                units::split_wage_pct,
                units::split_pnbp_pct,
                units::split_capital_pct,
            ))
            .load(conn)?
    };
    Ok(DayTallies {
        shop,
        booth,
        products,
        facts,
    })
}

/// Inside a roll-up's transaction: records that the roll-up `name` (`DAILY`, or the oversight
/// snapshot) ran at `now` and covered `day` (a later day than the one it recorded; never an
/// earlier one). The run's row is written first, in one statement, so a second roll-up started
/// at the same moment (the job of another process, the command line) waits here until this one
/// has committed.
pub(crate) fn note_run(
    conn: &mut DbConnection,
    name: &str,
    day: &str,
    now: i64,
) -> QueryResult<()> {
    use diesel::dsl::case_when;
    use diesel::upsert::excluded;
    crate::on_backend!(conn, |c| diesel::insert_into(rollup_runs::table)
        .values((
            rollup_runs::name.eq(name),
            rollup_runs::last_day.eq(day),
            rollup_runs::updated_at.eq(now),
        ))
        .on_conflict(rollup_runs::name)
        .do_update()
        .set((
            rollup_runs::updated_at.eq(excluded(rollup_runs::updated_at)),
            rollup_runs::last_day.eq(case_when(
                rollup_runs::last_day.lt(excluded(rollup_runs::last_day)),
                excluded(rollup_runs::last_day),
            )
            .otherwise(rollup_runs::last_day)),
        ))
        .execute(c))
    .map(drop)
}

fn not_a_day(raw: &str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("not a day (YYYY-MM-DD): {raw:?}").into())
}

/// Rolls `day` (`YYYY-MM-DD`, in WIB) up again from the orders and booth sales, in one write
/// transaction: the day's unit rows and product rows are each deleted and inserted afresh when
/// they differ from what is stored (so running it twice changes nothing), the year rows of the
/// products whose day changed are made again, and the run is recorded. Gives how many units
/// sold that day.
pub fn rollup_day(conn: &mut DbConnection, day: &str) -> QueryResult<usize> {
    let date = parse_day(day).ok_or_else(|| not_a_day(day))?;
    let day = day_text(date);
    let now = crate::models::now_ts();
    write_transaction(conn, |conn| {
        note_run(conn, DAILY, &day, now)?;
        note_run(conn, PRODUCTS, &day, now)?;
        let tallies = tallies(conn, date)?;
        let fresh = day_rows(&day, &tallies.shop, &tallies.booth, &tallies.facts);
        let stored: Vec<DailyUnitSales> = daily_unit_sales::table
            .filter(daily_unit_sales::day.eq(&day))
            .order(daily_unit_sales::unit_id.asc())
            .select(DailyUnitSales::as_select())
            .load(conn)?;
        if stored != fresh {
            diesel::delete(daily_unit_sales::table.filter(daily_unit_sales::day.eq(&day)))
                .execute(conn)?;
            for chunk in fresh.chunks(500) {
                crate::on_backend!(conn, |c| diesel::insert_into(daily_unit_sales::table)
                    .values(chunk)
                    .execute(c))?;
            }
            // A unit's page shows its sold count: cached pages of it are stale now.
            crate::models::note_catalog_write();
        }
        let products = product_rows(&day, &tallies.products, &tallies.facts);
        let stored_products: Vec<DailyProductSales> = daily_product_sales::table
            .filter(daily_product_sales::day.eq(&day))
            .order(daily_product_sales::product_id.asc())
            .select(DailyProductSales::as_select())
            .load(conn)?;
        if stored_products != products {
            diesel::delete(daily_product_sales::table.filter(daily_product_sales::day.eq(&day)))
                .execute(conn)?;
            for chunk in products.chunks(500) {
                crate::on_backend!(conn, |c| diesel::insert_into(daily_product_sales::table)
                    .values(chunk)
                    .execute(c))?;
            }
            let mut changed: Vec<i32> = stored_products
                .iter()
                .chain(&products)
                .map(|row| row.product_id)
                .collect();
            changed.sort_unstable();
            changed.dedup();
            rebuild_years(conn, date.year(), &changed)?;
        }
        Ok(fresh.len())
    })
}

/// Inside a roll-up's transaction: makes the rows of `products` in `year` again from their
/// day rows of that year (a product with none left has no row).
fn rebuild_years(conn: &mut DbConnection, year: i32, products: &[i32]) -> QueryResult<()> {
    let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    for chunk in products.chunks(500) {
        let ids: Vec<i32> = chunk.to_vec();
        let days: Vec<DailyProductSales> = daily_product_sales::table
            .filter(daily_product_sales::product_id.eq_any(&ids))
            .filter(daily_product_sales::day.ge(&first))
            .filter(daily_product_sales::day.le(&last))
            .order((
                daily_product_sales::product_id.asc(),
                daily_product_sales::day.asc(),
            ))
            .select(DailyProductSales::as_select())
            .load(conn)?;
        diesel::delete(
            yearly_product_sales::table
                .filter(yearly_product_sales::year.eq(year))
                .filter(yearly_product_sales::product_id.eq_any(&ids)),
        )
        .execute(conn)?;
        let rows = year_rows(year, &days);
        if !rows.is_empty() {
            crate::on_backend!(conn, |c| diesel::insert_into(yearly_product_sales::table)
                .values(rows.as_slice())
                .execute(c))?;
        }
    }
    Ok(())
}

/// Rolls up every day from `from_day` to `to_day` (`YYYY-MM-DD`, both included), each day in
/// a transaction of its own (a long rebuild never holds the write lock for long). Gives the
/// number of unit-days rolled up.
pub fn rollup_since(conn: &mut DbConnection, from_day: &str, to_day: &str) -> QueryResult<usize> {
    let from = parse_day(from_day).ok_or_else(|| not_a_day(from_day))?;
    let to = parse_day(to_day).ok_or_else(|| not_a_day(to_day))?;
    let mut rows = 0;
    for day in days_between(from, to) {
        rows += rollup_day(conn, &day_text(day))?;
    }
    Ok(rows)
}

/// When the daily roll-up last ran.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct RollupRun {
    /// The latest day it covered (`YYYY-MM-DD`).
    pub last_day: String,
    /// When it last ran (UTC unix seconds).
    pub updated_at: i64,
}

pub fn last_run(conn: &mut DbConnection) -> QueryResult<Option<RollupRun>> {
    run_of(conn, DAILY)
}

/// When the roll-up or refresh `name` (`DAILY`, `models::oversight::SNAPSHOT`) last ran.
pub fn run_of(conn: &mut DbConnection, name: &str) -> QueryResult<Option<RollupRun>> {
    rollup_runs::table
        .find(name)
        .select((rollup_runs::last_day, rollup_runs::updated_at))
        .first(conn)
        .optional()
}

/// The first day (WIB) anything was paid for in the shop or sold at a booth.
pub fn first_sale_day(conn: &mut DbConnection) -> QueryResult<Option<NaiveDate>> {
    let paid: Option<i64> = orders::table
        .select(diesel::dsl::min(orders::paid_at))
        .first(conn)?;
    let booth: Option<String> = booth_sales::table
        .select(diesel::dsl::min(booth_sales::sold_on))
        .first(conn)?;
    let paid = paid.and_then(wib_day);
    let booth = booth.as_deref().and_then(parse_day);
    Ok(match (paid, booth) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    })
}

/// The first day the roll-up job rolls up when it starts: the last day a run covered (which
/// it may have left before the day was over), or, never run, the first day anything sold;
/// never later than `today`. A database rolled up before the product rows existed (no
/// `PRODUCTS` run yet) is rolled up again from the first sale, once.
pub fn catch_up_from(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<NaiveDate> {
    let covered = |run: Option<RollupRun>| run.and_then(|r| parse_day(&r.last_day));
    let units = covered(run_of(conn, DAILY)?);
    let products = covered(run_of(conn, PRODUCTS)?);
    let from = match (units, products) {
        (Some(units), Some(products)) => Some(units.min(products)),
        _ => first_sale_day(conn)?,
    };
    Ok(from.map_or(today, |d| d.min(today)))
}

/// One month and province of the roll-ups summed (`units`: distinct units that sold).
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct MonthProvince {
    /// `YYYY-MM`.
    #[diesel(sql_type = Text)]
    pub month: String,
    #[diesel(sql_type = Integer)]
    pub province_id: i32,
    #[diesel(sql_type = BigInt)]
    pub units: i64,
    #[diesel(sql_type = BigInt)]
    pub orders: i64,
    #[diesel(sql_type = BigInt)]
    pub booth_sales: i64,
    #[diesel(sql_type = BigInt)]
    pub items: i64,
    #[diesel(sql_type = BigInt)]
    pub sales: i64,
    /// Buyers counted once per unit and day.
    #[diesel(sql_type = BigInt)]
    pub buyers: i64,
    #[diesel(sql_type = BigInt)]
    pub wage: i64,
    #[diesel(sql_type = BigInt)]
    pub pnbp: i64,
    #[diesel(sql_type = BigInt)]
    pub capital: i64,
}

/// Every month and province with sales, in month then province order: one grouped read of
/// the roll-ups.
pub fn by_month_and_province(conn: &mut DbConnection) -> QueryResult<Vec<MonthProvince>> {
    diesel::sql_query(
        "SELECT substr(day, 1, 7) AS month, province_id, \
         CAST(COUNT(DISTINCT unit_id) AS BIGINT) AS units, \
         CAST(SUM(orders) AS BIGINT) AS orders, \
         CAST(SUM(booth_sales) AS BIGINT) AS booth_sales, \
         CAST(SUM(items) AS BIGINT) AS items, \
         CAST(SUM(sales) AS BIGINT) AS sales, \
         CAST(SUM(buyers) AS BIGINT) AS buyers, \
         CAST(SUM(wage) AS BIGINT) AS wage, \
         CAST(SUM(pnbp) AS BIGINT) AS pnbp, \
         CAST(SUM(capital) AS BIGINT) AS capital \
         FROM daily_unit_sales GROUP BY substr(day, 1, 7), province_id ORDER BY 1, 2",
    )
    .load(conn)
}

/// How many units sold anything on or after `from` (None: since the first sale).
pub fn units_selling(conn: &mut DbConnection, from: Option<NaiveDate>) -> QueryResult<i64> {
    let mut query = daily_unit_sales::table
        .select(sql::<BigInt>(
            "CAST(COUNT(DISTINCT daily_unit_sales.unit_id) AS BIGINT)",
        ))
        .into_boxed();
    if let Some(from) = from {
        query = query.filter(daily_unit_sales::day.ge(day_text(from)));
    }
    query.get_result(conn)
}

/// How many units of each province sold anything, since the first sale: (province id, units).
pub fn units_selling_by_province(conn: &mut DbConnection) -> QueryResult<Vec<(i32, i64)>> {
    daily_unit_sales::table
        .group_by(daily_unit_sales::province_id)
        .select((
            daily_unit_sales::province_id,
            sql::<BigInt>("CAST(COUNT(DISTINCT daily_unit_sales.unit_id) AS BIGINT)"),
        ))
        .load(conn)
}

/// What the public impact page and the open data are built from.
#[derive(Debug, Clone)]
pub struct ImpactRows {
    pub months: Vec<MonthProvince>,
    /// Every province, selling or not (the map has a square for each).
    pub provinces: Vec<Province>,
    pub units_since_launch: i64,
    /// Units that sold since `year_start`.
    pub units_this_year: i64,
    pub units_by_province: Vec<(i32, i64)>,
    pub run: Option<RollupRun>,
}

/// The impact figures, the year counted from `year_start` (1 January, WIB).
pub fn impact(conn: &mut DbConnection, year_start: NaiveDate) -> QueryResult<ImpactRows> {
    Ok(ImpactRows {
        months: by_month_and_province(conn)?,
        provinces: crate::models::catalog::all_provinces(conn)?,
        units_since_launch: units_selling(conn, None)?,
        units_this_year: units_selling(conn, Some(year_start))?,
        units_by_province: units_selling_by_province(conn)?,
        run: last_run(conn)?,
    })
}

/// A unit's own figures since its first sale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitImpact {
    /// Paid shop orders and booth sales.
    pub sales: i64,
    /// Pieces sold.
    pub items: i64,
    /// The wage share of what it sold.
    pub wage: i64,
}

pub fn unit_impact(conn: &mut DbConnection, unit_id: i32) -> QueryResult<UnitImpact> {
    let (sales, items, wage): (i64, i64, i64) = daily_unit_sales::table
        .filter(daily_unit_sales::unit_id.eq(unit_id))
        .select((
            sql::<BigInt>(
                "CAST(COALESCE(SUM(daily_unit_sales.orders + daily_unit_sales.booth_sales), 0) \
                 AS BIGINT)",
            ),
            sql::<BigInt>("CAST(COALESCE(SUM(daily_unit_sales.items), 0) AS BIGINT)"),
            sql::<BigInt>("CAST(COALESCE(SUM(daily_unit_sales.wage), 0) AS BIGINT)"),
        ))
        .get_result(conn)?;
    Ok(UnitImpact { sales, items, wage })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i32, province_id: i32, split: (i32, i32, i32)) -> UnitFacts {
        UnitFacts {
            id,
            province_id,
            kind: "lapas".into(),
            wage_pct: split.0,
            pnbp_pct: split.1,
            capital_pct: split.2,
        }
    }

    #[test]
    fn a_day_row_adds_a_units_parcels_to_its_booth_takings_split_by_its_revenue_split() {
        let units = [unit(7, 12, (35, 40, 25)), unit(3, 11, (40, 40, 20))];
        let shop = [ShopTally {
            unit_id: 7,
            orders: 2,
            buyers: 2,
            items: 3,
            sales: 150_000,
            wage: 52_500,
            pnbp: 60_000,
            capital: 37_500,
        }];
        let booth = [
            BoothTally {
                unit_id: 7,
                sales: 4,
                items: 5,
                total: 100_001,
            },
            BoothTally {
                unit_id: 3,
                sales: 1,
                items: 1,
                total: 20_000,
            },
            // A unit that is not in the registry any more is left out.
            BoothTally {
                unit_id: 99,
                sales: 1,
                items: 1,
                total: 5_000,
            },
        ];
        let rows = day_rows("2026-12-06", &shop, &booth, &units);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            DailyUnitSales {
                day: "2026-12-06".into(),
                unit_id: 3,
                province_id: 11,
                unit_kind: "lapas".into(),
                orders: 0,
                booth_sales: 1,
                items: 1,
                sales: 20_000,
                buyers: 0,
                wage: 8_000,
                pnbp: 8_000,
                capital: 4_000,
            }
        );
        let seven = &rows[1];
        assert_eq!((seven.orders, seven.booth_sales, seven.buyers), (2, 4, 2));
        assert_eq!((seven.items, seven.sales), (8, 250_001));
        // 35 % and 40 % of 100.001 rounded down; the leftover rupiah goes to capital.
        assert_eq!(seven.wage, 52_500 + 35_000);
        assert_eq!(seven.pnbp, 60_000 + 40_000);
        assert_eq!(seven.capital, 37_500 + 25_001);
        assert_eq!(seven.wage + seven.pnbp + seven.capital, seven.sales);
    }

    #[test]
    fn a_day_without_sales_has_no_rows() {
        assert!(day_rows("2026-12-06", &[], &[], &[unit(1, 1, (35, 40, 25))]).is_empty());
        assert!(product_rows("2026-12-06", &[], &[unit(1, 1, (35, 40, 25))]).is_empty());
    }

    #[test]
    fn a_products_day_adds_its_shop_lines_to_its_booth_sales_in_product_order() {
        let units = [unit(7, 12, (35, 40, 25)), unit(3, 11, (40, 40, 20))];
        let tally = |product_id, unit_id, items, sales| ProductTally {
            product_id,
            unit_id,
            items,
            sales,
        };
        let rows = product_rows(
            "2026-12-06",
            &[
                tally(70, 7, 3, 75_000),
                tally(30, 3, 1, 20_000),
                // Booth sales of product 70, and of a unit no longer in the registry.
                tally(70, 7, 2, 50_000),
                tally(99, 99, 1, 5_000),
            ],
            &units,
        );
        assert_eq!(
            rows,
            vec![
                DailyProductSales {
                    day: "2026-12-06".into(),
                    product_id: 30,
                    unit_id: 3,
                    province_id: 11,
                    unit_kind: "lapas".into(),
                    items: 1,
                    sales: 20_000,
                },
                DailyProductSales {
                    day: "2026-12-06".into(),
                    product_id: 70,
                    unit_id: 7,
                    province_id: 12,
                    unit_kind: "lapas".into(),
                    items: 5,
                    sales: 125_000,
                },
            ]
        );
    }

    #[test]
    fn a_products_year_adds_its_days_up_in_the_province_of_its_last_day() {
        let day = |day: &str, product_id, province_id, items, sales| DailyProductSales {
            day: day.into(),
            product_id,
            unit_id: 7,
            province_id,
            unit_kind: "lapas".into(),
            items,
            sales,
        };
        let rows = year_rows(
            2026,
            &[
                day("2026-02-01", 4, 11, 1, 10_000),
                day("2026-03-01", 4, 12, 2, 20_000),
                day("2026-01-05", 9, 11, 5, 50_000),
            ],
        );
        assert_eq!(
            rows,
            vec![
                YearlyProductSales {
                    year: 2026,
                    product_id: 4,
                    unit_id: 7,
                    province_id: 12,
                    unit_kind: "lapas".into(),
                    items: 3,
                    sales: 30_000,
                },
                YearlyProductSales {
                    year: 2026,
                    product_id: 9,
                    unit_id: 7,
                    province_id: 11,
                    unit_kind: "lapas".into(),
                    items: 5,
                    sales: 50_000,
                },
            ]
        );
        assert!(year_rows(2026, &[]).is_empty());
    }
}
