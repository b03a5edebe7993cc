//! Paid orders in bulk, for load benchmarks (`etalase seed-orders`, `bench/oversight.sh`):
//! written straight into `orders`, `shipments` and `order_items` in one transaction, bypassing
//! checkout (no stock taken, no mail, no payment rows). Each order has one parcel of one unit
//! with one to three lines of its published products, paid at a moment of the last `days`
//! days; a few are refunded. Deterministic for a given seed, apart from the order codes.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{order_items, orders, products, provinces, shipments, units};
use crate::db::DbConnection;
use crate::domain::order::{OrderStatus, ShipmentStatus};
use crate::domain::{ProductStatus, RevenueSplit};
use crate::error::AppError;

/// How many order lines to add, over how many days back from now.
#[derive(Debug, Clone)]
pub struct BulkOrders {
    pub lines: usize,
    pub days: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    pub orders: usize,
    pub lines: usize,
}

#[derive(Insertable)]
#[diesel(table_name = orders)]
#[diesel(treat_none_as_default_value = false)]
struct NewOrder {
    code: String,
    secret: String,
    idempotency_key: String,
    status: String,
    buyer_name: String,
    buyer_email: String,
    buyer_phone: String,
    province_id: i32,
    city: String,
    district: String,
    postal_code: String,
    address: String,
    items_total: i64,
    shipping_total: i64,
    unique_code: i32,
    total: i64,
    payment_method: String,
    payment_expires_at: i64,
    paid_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

#[derive(Insertable)]
#[diesel(table_name = shipments)]
struct NewShipment {
    order_id: i32,
    unit_id: i32,
    service: String,
    service_label: String,
    fee: i64,
    weight_kg: i32,
    items_total: i64,
    status: String,
    share_wage: i64,
    share_pnbp: i64,
    share_capital: i64,
}

#[derive(Insertable)]
#[diesel(table_name = order_items)]
struct NewOrderItem {
    order_id: i32,
    shipment_id: i32,
    product_id: i32,
    name: String,
    unit_price: i64,
    quantity: i32,
}

/// One order planned: its unit, status and lines (product index, quantity).
struct Planned {
    unit_id: i32,
    status: OrderStatus,
    lines: Vec<(usize, i32)>,
}

const FEE: i64 = 9_000;
const CHUNK: usize = 1_000;

/// Adds about `opts.lines` order lines as paid orders (see the module). Refuses a database
/// without published products.
pub fn seed_orders(conn: &mut DbConnection, opts: &BulkOrders) -> Result<BulkReport, AppError> {
    type ProductRow = (i32, i32, i64, String);
    let catalogue: Vec<ProductRow> = products::table
        .filter(products::status.eq(ProductStatus::Published.code()))
        .order(products::id.asc())
        .select((
            products::id,
            products::unit_id,
            products::price,
            products::name,
        ))
        .load(conn)?;
    if catalogue.is_empty() {
        return Err(AppError::BadRequest(
            "no published products to order: seed the demo shop first".into(),
        ));
    }
    let splits: HashMap<i32, RevenueSplit> = units::table
        .select((
            units::id,
            units::split_wage_pct,
            units::split_pnbp_pct,
            units::split_capital_pct,
        ))
        .load::<(i32, i32, i32, i32)>(conn)?
        .into_iter()
        .map(|(id, w, p, c)| {
            (
                id,
                RevenueSplit::new(w, p, c).unwrap_or(RevenueSplit::DEFAULT),
            )
        })
        .collect();
    let province_ids: Vec<i32> = provinces::table.select(provinces::id).load(conn)?;
    let mut by_unit: HashMap<i32, Vec<usize>> = HashMap::new();
    for (i, p) in catalogue.iter().enumerate() {
        by_unit.entry(p.1).or_default().push(i);
    }

    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut planned: Vec<Planned> = Vec::with_capacity(opts.lines / 2 + 1);
    let mut line_count = 0;
    while line_count < opts.lines {
        let first = rng.usize(0..catalogue.len());
        let unit_id = catalogue[first].1;
        let same_unit = &by_unit[&unit_id];
        let mut lines = vec![(first, rng.i32(1..=3))];
        for _ in 1..rng.usize(1..=3) {
            let other = same_unit[rng.usize(0..same_unit.len())];
            if lines.iter().all(|(p, _)| *p != other) {
                lines.push((other, rng.i32(1..=3)));
            }
        }
        let status = match rng.u32(0..100) {
            0..=69 => OrderStatus::Delivered,
            70..=79 => OrderStatus::Shipped,
            80..=89 => OrderStatus::Processing,
            90..=95 => OrderStatus::Paid,
            _ => OrderStatus::Refunded,
        };
        line_count += lines.len();
        planned.push(Planned {
            unit_id,
            status,
            lines,
        });
    }

    let now = crate::models::now_ts();
    let span = i64::from(opts.days.max(1)) * 24 * 3600;
    let tag = crate::models::random_hex(4);
    let code_of = |n: usize| format!("BNC-{tag}-{n:07}");
    let items_total = |plan: &Planned| -> i64 {
        plan.lines
            .iter()
            .map(|(p, q)| catalogue[*p].2 * i64::from(*q))
            .sum()
    };
    let new_orders: Vec<NewOrder> = planned
        .iter()
        .enumerate()
        .map(|(n, plan)| {
            let paid = now - rng.i64(0..span);
            let items = items_total(plan);
            let buyer = rng.u32(0..20_000);
            NewOrder {
                code: code_of(n),
                secret: crate::models::random_hex(32),
                idempotency_key: format!("bench-{tag}-{n}"),
                status: plan.status.code().to_string(),
                buyer_name: format!("Pembeli {buyer}"),
                buyer_email: format!("pembeli{buyer}@contoh.id"),
                buyer_phone: format!("+62812{buyer:07}"),
                province_id: province_ids[rng.usize(0..province_ids.len())],
                city: "Kota Bandung".into(),
                district: "Coblong".into(),
                postal_code: "40132".into(),
                address: "Jl. Ganesha No. 10".into(),
                items_total: items,
                shipping_total: FEE,
                unique_code: 0,
                total: items + FEE,
                payment_method: "transfer".into(),
                payment_expires_at: paid + 3600,
                paid_at: Some(paid),
                created_at: paid - 600,
                updated_at: paid,
            }
        })
        .collect();

    crate::db::write_transaction(conn, |conn| {
        for chunk in new_orders.chunks(CHUNK) {
            crate::on_backend!(conn, |c| diesel::insert_into(orders::table)
                .values(chunk)
                .execute(c))?;
        }
        let pattern = format!("BNC-{tag}-%");
        let order_ids: HashMap<String, i32> = orders::table
            .filter(orders::code.like(&pattern))
            .select((orders::code, orders::id))
            .load::<(String, i32)>(conn)?
            .into_iter()
            .collect();
        let id_of = |n: usize| -> Result<i32, AppError> {
            order_ids
                .get(&code_of(n))
                .copied()
                .ok_or_else(|| AppError::Internal(format!("order {} was not stored", code_of(n))))
        };
        let mut new_shipments: Vec<NewShipment> = Vec::with_capacity(planned.len());
        for (n, plan) in planned.iter().enumerate() {
            let items = items_total(plan);
            let split = splits
                .get(&plan.unit_id)
                .copied()
                .unwrap_or(RevenueSplit::DEFAULT);
            let (share_wage, share_pnbp, share_capital) = split.apply(items);
            let status = match plan.status {
                OrderStatus::Delivered => ShipmentStatus::Delivered,
                OrderStatus::Shipped => ShipmentStatus::Shipped,
                OrderStatus::Refunded => ShipmentStatus::Cancelled,
                _ => ShipmentStatus::Processing,
            };
            new_shipments.push(NewShipment {
                order_id: id_of(n)?,
                unit_id: plan.unit_id,
                service: "jne-reg".into(),
                service_label: "JNE REG".into(),
                fee: FEE,
                weight_kg: 1,
                items_total: items,
                status: status.code().to_string(),
                share_wage,
                share_pnbp,
                share_capital,
            });
        }
        for chunk in new_shipments.chunks(CHUNK) {
            crate::on_backend!(conn, |c| diesel::insert_into(shipments::table)
                .values(chunk)
                .execute(c))?;
        }
        let shipment_ids: HashMap<i32, i32> = shipments::table
            .inner_join(orders::table)
            .filter(orders::code.like(&pattern))
            .select((shipments::order_id, shipments::id))
            .load::<(i32, i32)>(conn)?
            .into_iter()
            .collect();
        let mut new_items: Vec<NewOrderItem> = Vec::with_capacity(line_count);
        for (n, plan) in planned.iter().enumerate() {
            let order_id = id_of(n)?;
            let shipment_id = *shipment_ids.get(&order_id).ok_or_else(|| {
                AppError::Internal(format!("the parcel of order {order_id} was not stored"))
            })?;
            for (p, quantity) in &plan.lines {
                let (product_id, _, price, name) = &catalogue[*p];
                new_items.push(NewOrderItem {
                    order_id,
                    shipment_id,
                    product_id: *product_id,
                    name: name.clone(),
                    unit_price: *price,
                    quantity: *quantity,
                });
            }
        }
        for chunk in new_items.chunks(CHUNK) {
            crate::on_backend!(conn, |c| diesel::insert_into(order_items::table)
                .values(chunk)
                .execute(c))?;
        }
        Ok::<(), AppError>(())
    })?;
    crate::db::refresh_statistics(conn)?;
    Ok(BulkReport {
        orders: planned.len(),
        lines: line_count,
    })
}
