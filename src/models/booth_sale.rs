//! Sales at fair booths: recorded once per key, drawn from the web shop's stock with the same
//! conditional update, and reported per booth, unit, product and day.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{booth_sales, booths, events, fair_applications, products, units};
use crate::db::write_transaction;
use crate::db::DbConnection;
use crate::domain::fair::{EventStatus, FairDays, SaleMethod};

/// One sale as typed on the booth's phone.
#[derive(Debug, Clone)]
pub struct SaleRequest {
    pub event_id: i32,
    pub unit_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    pub method: SaleMethod,
    /// Made by the phone for this sale; the same key is the same sale.
    pub key: String,
    pub actor_id: i32,
    /// The sale's day at the fair (WIB, `domain::fair::fair_day`).
    pub sold_on: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum SaleOutcome {
    /// Counted now; `stock_left` of the product after it.
    Recorded { stock_left: i32 },
    /// This key was counted before: nothing changed.
    Duplicate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleProblem {
    /// The fair is not running (sales are taken while it is live, on its own days).
    NotLive,
    /// The unit has no booth at this fair.
    NoBooth,
    /// Not one of the unit's products on sale.
    NotOurs,
    /// More than is in stock (`available` left).
    AboveStock {
        available: i32,
    },
    /// The form itself is not a sale (no product, a quantity out of range, an unknown method).
    Invalid,
    /// A unique constraint refused the write (told by diesel's error kind, never by text):
    /// the same sale, sent twice at once, was already counted.
    Duplicate,
    Db(String),
}

impl From<diesel::result::Error> for SaleProblem {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => Self::Duplicate,
            other => Self::Db(other.to_string()),
        }
    }
}

/// The booth a unit was given at an event: (booth id, code).
pub fn unit_booth(
    conn: &mut DbConnection,
    event_id: i32,
    unit_id: i32,
) -> QueryResult<Option<(i32, String)>> {
    fair_applications::table
        .inner_join(booths::table)
        .filter(fair_applications::event_id.eq(event_id))
        .filter(fair_applications::unit_id.eq(unit_id))
        .filter(
            fair_applications::status.eq(crate::domain::fair::ApplicationStatus::Approved.code()),
        )
        .select((booths::id, booths::code))
        .first(conn)
        .optional()
}

/// A product the booth can sell: (id, name, price, stock).
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct SaleProduct {
    pub id: i32,
    pub name: String,
    pub price: i64,
    pub stock: i32,
}

/// The unit's products on sale, those it showcases at the event first.
pub fn sale_products(
    conn: &mut DbConnection,
    event_id: i32,
    unit_id: i32,
) -> QueryResult<Vec<SaleProduct>> {
    let showcased: Option<String> = fair_applications::table
        .filter(fair_applications::event_id.eq(event_id))
        .filter(fair_applications::unit_id.eq(unit_id))
        .select(fair_applications::product_ids)
        .first(conn)
        .optional()?;
    let first: Vec<i32> = showcased
        .unwrap_or_default()
        .split(',')
        .filter_map(|s| s.parse().ok())
        .collect();
    let mut list: Vec<SaleProduct> = products::table
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .order(products::name.asc())
        .select((
            products::id,
            products::name,
            products::price,
            products::stock,
        ))
        .limit(300)
        .load(conn)?;
    list.sort_by_key(|p| !first.contains(&p.id));
    Ok(list)
}

/// Whether event `event_id` takes booth sales on `day` (WIB): it is live and `day` is one of
/// its days.
pub fn takes_sales_on(
    conn: &mut DbConnection,
    event_id: i32,
    day: chrono::NaiveDate,
) -> QueryResult<bool> {
    let event: Option<(String, String, String)> = events::table
        .find(event_id)
        .select((events::status, events::starts_on, events::ends_on))
        .first(conn)
        .optional()?;
    Ok(event.is_some_and(|(status, starts_on, ends_on)| {
        status == EventStatus::Live.code()
            && FairDays::parse(&starts_on, &ends_on).is_some_and(|d| d.includes(day))
    }))
}

/// The price of product `product_id` when it is one of unit `unit_id`'s products on sale.
pub fn price_of_ours(
    conn: &mut DbConnection,
    product_id: i32,
    unit_id: i32,
) -> QueryResult<Option<i64>> {
    products::table
        .find(product_id)
        .filter(products::unit_id.eq(unit_id))
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .select(products::price)
        .first(conn)
        .optional()
}

/// Whether a booth sale was recorded under `key`.
pub fn key_used(conn: &mut DbConnection, key: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        booth_sales::table.filter(booth_sales::idempotency_key.eq(key)),
    ))
    .get_result(conn)
}

/// Records a booth sale once per key. Stock is taken with `stock = stock - q WHERE stock >= q`
/// in the same transaction as the sale, as web orders do: the two never oversell together.
pub fn record_sale(
    conn: &mut DbConnection,
    sale: &SaleRequest,
) -> Result<SaleOutcome, SaleProblem> {
    let seen = |conn: &mut DbConnection| -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            booth_sales::table.filter(booth_sales::idempotency_key.eq(&sale.key)),
        ))
        .get_result(conn)
    };
    if seen(conn)? {
        return Ok(SaleOutcome::Duplicate);
    }
    let result = write_transaction(conn, |conn| {
        if seen(conn)? {
            return Ok(SaleOutcome::Duplicate);
        }
        if !takes_sales_on(conn, sale.event_id, sale.sold_on)? {
            return Err(SaleProblem::NotLive);
        }
        let (booth_id, _) =
            unit_booth(conn, sale.event_id, sale.unit_id)?.ok_or(SaleProblem::NoBooth)?;
        let price =
            price_of_ours(conn, sale.product_id, sale.unit_id)?.ok_or(SaleProblem::NotOurs)?;
        let taken = diesel::update(
            products::table
                .find(sale.product_id)
                .filter(products::stock.ge(sale.quantity)),
        )
        .set(products::stock.eq(products::stock - sale.quantity))
        .execute(conn)?;
        let stock_left: i32 = products::table
            .find(sale.product_id)
            .select(products::stock)
            .first(conn)?;
        if taken == 0 {
            return Err(SaleProblem::AboveStock {
                available: stock_left,
            });
        }
        diesel::insert_into(booth_sales::table)
            .values((
                booth_sales::event_id.eq(sale.event_id),
                booth_sales::unit_id.eq(sale.unit_id),
                booth_sales::booth_id.eq(booth_id),
                booth_sales::product_id.eq(sale.product_id),
                booth_sales::quantity.eq(sale.quantity),
                booth_sales::unit_price.eq(price),
                booth_sales::total.eq(price * i64::from(sale.quantity)),
                booth_sales::method.eq(sale.method.code()),
                booth_sales::idempotency_key.eq(&sale.key),
                booth_sales::recorded_by.eq(sale.actor_id),
                booth_sales::sold_on.eq(sale.sold_on.format("%Y-%m-%d").to_string()),
                booth_sales::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        crate::models::search_outbox::enqueue(conn, &[sale.product_id])?;
        Ok(SaleOutcome::Recorded { stock_left })
    });
    match result {
        // The same sale sent twice at once: the other copy was counted.
        Err(SaleProblem::Duplicate) => Ok(SaleOutcome::Duplicate),
        other => other,
    }
}

/// A booth sale whose money was already taken: a dynamic QRIS charge that Midtrans confirmed
/// paid (`models::booth_charge`). Its amounts are the charge's, whatever the product costs now.
#[derive(Debug, Clone)]
pub struct PaidSale {
    pub event_id: i32,
    pub unit_id: i32,
    /// The booth the charge was made at.
    pub booth_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    /// The charge's total, whole rupiah (the price times the quantity when it was made).
    pub total: i64,
    /// The charge's sale key: the same key is the same sale.
    pub key: String,
    /// Who made the charge.
    pub actor_id: i32,
    /// The day the charge was made at the fair (WIB).
    pub sold_on: chrono::NaiveDate,
}

/// Records a paid booth sale once per key, as QRIS. Unlike `record_sale` nothing is refused:
/// the buyer has paid, so the sale counts even when the fair ended meanwhile or the stock fell
/// below the quantity since the charge was made (a web order took it): the stock is then set to
/// 0 rather than below, and a warning is logged for the unit to look into. Call it inside the
/// transaction that marks the charge paid.
pub fn record_paid_sale(conn: &mut DbConnection, sale: &PaidSale) -> QueryResult<SaleOutcome> {
    write_transaction(conn, |conn| {
        if key_used(conn, &sale.key)? {
            return Ok(SaleOutcome::Duplicate);
        }
        let taken = diesel::update(
            products::table
                .find(sale.product_id)
                .filter(products::stock.ge(sale.quantity)),
        )
        .set(products::stock.eq(products::stock - sale.quantity))
        .execute(conn)?;
        if taken == 0 {
            let stock: i32 = products::table
                .find(sale.product_id)
                .select(products::stock)
                .first(conn)?;
            tracing::warn!(
                product = sale.product_id,
                unit = sale.unit_id,
                stock,
                quantity = sale.quantity,
                key = %sale.key,
                "a paid QRIS booth sale takes more than is left in stock; the stock is set to 0"
            );
            diesel::update(products::table.find(sale.product_id))
                .set(products::stock.eq(0))
                .execute(conn)?;
        }
        let stock_left: i32 = products::table
            .find(sale.product_id)
            .select(products::stock)
            .first(conn)?;
        let quantity = sale.quantity.max(1);
        diesel::insert_into(booth_sales::table)
            .values((
                booth_sales::event_id.eq(sale.event_id),
                booth_sales::unit_id.eq(sale.unit_id),
                booth_sales::booth_id.eq(sale.booth_id),
                booth_sales::product_id.eq(sale.product_id),
                booth_sales::quantity.eq(quantity),
                booth_sales::unit_price.eq(sale.total / i64::from(quantity)),
                booth_sales::total.eq(sale.total),
                booth_sales::method.eq(SaleMethod::Qris.code()),
                booth_sales::idempotency_key.eq(&sale.key),
                booth_sales::recorded_by.eq(sale.actor_id),
                booth_sales::sold_on.eq(sale.sold_on.format("%Y-%m-%d").to_string()),
                booth_sales::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        crate::models::search_outbox::enqueue(conn, &[sale.product_id])?;
        Ok(SaleOutcome::Recorded { stock_left })
    })
}

/// One sale line for reports and the CSV export.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct SaleLine {
    pub sold_on: String,
    pub booth: String,
    pub unit: String,
    pub product_id: i32,
    pub product: String,
    pub quantity: i32,
    pub unit_price: i64,
    pub total: i64,
    pub method: String,
}

/// Sales of an event (of one unit when `unit_id` is given), oldest first.
pub fn sale_lines(
    conn: &mut DbConnection,
    event_id: i32,
    unit_id: Option<i32>,
) -> QueryResult<Vec<SaleLine>> {
    let mut query = booth_sales::table
        .inner_join(booths::table)
        .inner_join(units::table)
        .inner_join(products::table)
        .filter(booth_sales::event_id.eq(event_id))
        .into_boxed();
    if let Some(unit_id) = unit_id {
        query = query.filter(booth_sales::unit_id.eq(unit_id));
    }
    query
        .order(booth_sales::id.asc())
        .select((
            booth_sales::sold_on,
            booths::code,
            units::name,
            products::id,
            products::name,
            booth_sales::quantity,
            booth_sales::unit_price,
            booth_sales::total,
            booth_sales::method,
        ))
        .load(conn)
}

/// A row of a report: what was sold under one label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub label: String,
    pub quantity: i64,
    pub total: i64,
}

/// An event's sales summed up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub sales: usize,
    pub quantity: i64,
    pub total: i64,
    pub cash: i64,
    pub qris: i64,
    pub by_booth: Vec<Tally>,
    pub by_unit: Vec<Tally>,
    /// Best sellers first (by revenue).
    pub by_product: Vec<Tally>,
    /// In date order.
    pub by_day: Vec<Tally>,
}

/// Sums sale lines up per booth, unit, product and day.
pub fn summarize(lines: &[SaleLine]) -> Report {
    fn add(map: &mut BTreeMap<String, Tally>, label: &str, line: &SaleLine) {
        let t = map.entry(label.to_string()).or_insert_with(|| Tally {
            label: label.to_string(),
            ..Tally::default()
        });
        t.quantity += i64::from(line.quantity);
        t.total += line.total;
    }
    let (mut booth, mut unit, mut product, mut day) = (
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
        BTreeMap::new(),
    );
    let mut report = Report::default();
    for line in lines {
        report.sales += 1;
        report.quantity += i64::from(line.quantity);
        report.total += line.total;
        if line.method == SaleMethod::Qris.code() {
            report.qris += line.total;
        } else {
            report.cash += line.total;
        }
        add(&mut booth, &format!("{} · {}", line.booth, line.unit), line);
        add(&mut unit, &line.unit, line);
        add(&mut product, &line.product, line);
        add(&mut day, &line.sold_on, line);
    }
    let by_total = |map: BTreeMap<String, Tally>| {
        let mut v: Vec<Tally> = map.into_values().collect();
        v.sort_by(|a, b| b.total.cmp(&a.total).then(a.label.cmp(&b.label)));
        v
    };
    report.by_booth = booth.into_values().collect();
    report.by_unit = by_total(unit);
    report.by_product = by_total(product);
    report.by_day = day.into_values().collect();
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        day: &str,
        booth: &str,
        product: &str,
        quantity: i32,
        price: i64,
        method: &str,
    ) -> SaleLine {
        SaleLine {
            sold_on: day.into(),
            booth: booth.into(),
            unit: format!("Unit {booth}"),
            product_id: 1,
            product: product.into(),
            quantity,
            unit_price: price,
            total: price * i64::from(quantity),
            method: method.into(),
        }
    }

    #[test]
    fn a_report_sums_per_booth_product_and_day_with_best_sellers_first() {
        let lines = [
            line("2025-04-21", "A-01", "Kopi", 2, 50_000, "cash"),
            line("2025-04-21", "A-02", "Batik", 1, 300_000, "qris"),
            line("2025-04-22", "A-01", "Kopi", 1, 50_000, "qris"),
        ];
        let r = summarize(&lines);
        assert_eq!((r.sales, r.quantity, r.total), (3, 4, 450_000));
        assert_eq!((r.cash, r.qris), (100_000, 350_000));
        assert_eq!(r.by_product[0].label, "Batik");
        assert_eq!(r.by_product[1].total, 150_000);
        assert_eq!(
            r.by_day.iter().map(|d| d.total).collect::<Vec<_>>(),
            [400_000, 50_000]
        );
        assert_eq!(r.by_booth[0].label, "A-01 · Unit A-01");
        assert_eq!(r.by_booth[0].quantity, 3);
    }
}
