//! Dynamic QRIS charges at fair booths, through Midtrans: made for one sale at the till, paid
//! by the buyer scanning the code the till shows, and turned into that booth sale when
//! Midtrans' notification, confirmed by a status call, says the whole total arrived
//! (`workflows::midtrans::confirm_notification`).
//!
//! Stock is checked when a charge is made: more than is left is refused, as a cash sale would
//! be. It is not held meanwhile (a charge lives `domain::fair::BOOTH_CHARGE_MINUTES`). Once the
//! payment arrives the buyer's money is taken, so the sale is recorded even when the stock fell
//! in between (a web order took it) or the fair ended: the stock is set to 0 rather than below
//! and a warning is logged (`booth_sale::record_paid_sale`). Refusing the sale then would leave
//! money taken and nothing in the books.

use diesel::prelude::*;

use crate::db::schema::{booth_charges, products, webhook_events};
use crate::db::{write_transaction, DbConnection};
use crate::domain::fair::{self, BoothChargeStatus};
use crate::domain::midtrans::BoothChange;
use crate::domain::payment::{to_stripe_amount, PaymentMethod};

use super::booth_sale::{self, PaidSale, SaleProblem};

/// One charge as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = booth_charges)]
pub struct BoothCharge {
    pub id: i32,
    /// Its `order_id` at Midtrans (`domain::fair::booth_charge_reference`).
    pub reference: String,
    pub event_id: i32,
    pub unit_id: i32,
    pub booth_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    /// Whole rupiah: the product's price times the quantity when the charge was made.
    pub total: i64,
    /// The till's key of the sale; the booth sale's key once paid.
    pub sale_key: String,
    pub created_by: i32,
    #[diesel(deserialize_as = String)]
    pub status: BoothChargeStatus,
    /// The QRIS payload the buyer scans (None until Midtrans answered the charge).
    pub qr_string: Option<String>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
}

/// A charge and the name of the product it sells.
pub type ChargeLine = (BoothCharge, String);

/// A charge as the till asks for it: one sale, paid by QRIS through Midtrans.
#[derive(Debug, Clone)]
pub struct ChargeRequest {
    pub event_id: i32,
    pub unit_id: i32,
    pub product_id: i32,
    pub quantity: i32,
    /// The till's key of the sale.
    pub key: String,
    pub actor_id: i32,
    /// Today at the fair (WIB).
    pub day: chrono::NaiveDate,
}

/// What asking for a charge did.
#[derive(Debug, Clone)]
pub enum Opened {
    /// A new charge, pending, to be made at Midtrans now.
    New(BoothCharge),
    /// The charge made before for the same sale key (sent twice): nothing new.
    Existing(BoothCharge),
}

/// The charge for the sale `key`, if one was made.
pub fn by_sale_key(conn: &mut DbConnection, key: &str) -> QueryResult<Option<BoothCharge>> {
    booth_charges::table
        .filter(booth_charges::sale_key.eq(key))
        .select(BoothCharge::as_select())
        .first(conn)
        .optional()
}

/// The charge `reference` (Midtrans' `order_id`), if it is one of the booths'.
pub fn by_reference(conn: &mut DbConnection, reference: &str) -> QueryResult<Option<BoothCharge>> {
    booth_charges::table
        .filter(booth_charges::reference.eq(reference))
        .select(BoothCharge::as_select())
        .first(conn)
        .optional()
}

/// Charge `id` with its product's name.
pub fn with_product(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ChargeLine>> {
    booth_charges::table
        .inner_join(products::table)
        .filter(booth_charges::id.eq(id))
        .select((BoothCharge::as_select(), products::name))
        .first(conn)
        .optional()
}

/// The charges of unit `unit_id` at event `event_id` still waiting for the buyer, made at
/// `since` or later (older ones expired at Midtrans), newest first, with their products' names.
pub fn pending_of(
    conn: &mut DbConnection,
    event_id: i32,
    unit_id: i32,
    since: i64,
) -> QueryResult<Vec<ChargeLine>> {
    booth_charges::table
        .inner_join(products::table)
        .filter(booth_charges::event_id.eq(event_id))
        .filter(booth_charges::unit_id.eq(unit_id))
        .filter(booth_charges::status.eq(BoothChargeStatus::Pending.code()))
        .filter(booth_charges::created_at.ge(since))
        .order(booth_charges::id.desc())
        .limit(10)
        .select((BoothCharge::as_select(), products::name))
        .load(conn)
}

/// Opens a charge for a sale at unit `unit_id`'s booth, once per sale key: the fair must be
/// running today, the product one of the unit's on sale, its stock enough (the same checks as
/// a cash sale, `booth_sale::record_sale`). The charge is stored pending before Midtrans is
/// asked, so a payment is never left without its charge.
pub fn open(conn: &mut DbConnection, req: &ChargeRequest) -> Result<Opened, SaleProblem> {
    write_transaction(conn, |conn| {
        if let Some(existing) = by_sale_key(conn, &req.key)? {
            if existing.unit_id != req.unit_id || existing.event_id != req.event_id {
                return Err(SaleProblem::Invalid);
            }
            return Ok(Opened::Existing(existing));
        }
        if booth_sale::key_used(conn, &req.key)? {
            return Err(SaleProblem::Duplicate);
        }
        if !booth_sale::takes_sales_on(conn, req.event_id, req.day)? {
            return Err(SaleProblem::NotLive);
        }
        let (booth_id, _) =
            booth_sale::unit_booth(conn, req.event_id, req.unit_id)?.ok_or(SaleProblem::NoBooth)?;
        let price = booth_sale::price_of_ours(conn, req.product_id, req.unit_id)?
            .ok_or(SaleProblem::NotOurs)?;
        let stock: i32 = products::table
            .find(req.product_id)
            .select(products::stock)
            .first(conn)?;
        if stock < req.quantity {
            return Err(SaleProblem::AboveStock { available: stock });
        }
        let total = price * i64::from(req.quantity);
        if total <= 0 {
            // Midtrans charges nothing of 0 rupiah.
            return Err(SaleProblem::Invalid);
        }
        let reference = fair::booth_charge_reference(req.event_id, req.unit_id, &req.key);
        diesel::insert_into(booth_charges::table)
            .values((
                booth_charges::reference.eq(&reference),
                booth_charges::event_id.eq(req.event_id),
                booth_charges::unit_id.eq(req.unit_id),
                booth_charges::booth_id.eq(booth_id),
                booth_charges::product_id.eq(req.product_id),
                booth_charges::quantity.eq(req.quantity),
                booth_charges::total.eq(total),
                booth_charges::sale_key.eq(&req.key),
                booth_charges::created_by.eq(req.actor_id),
                booth_charges::status.eq(BoothChargeStatus::Pending.code()),
                booth_charges::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let charge = by_reference(conn, &reference)?.ok_or(SaleProblem::Invalid)?;
        Ok(Opened::New(charge))
    })
}

/// Keeps the QRIS payload Midtrans answered charge `id` with.
pub fn set_qr(conn: &mut DbConnection, id: i32, qr_string: &str) -> QueryResult<()> {
    diesel::update(booth_charges::table.find(id))
        .set(booth_charges::qr_string.eq(Some(qr_string)))
        .execute(conn)
        .map(drop)
}

/// Ends pending charge `id` as `status` (expired, cancelled, failed), nothing recorded; true
/// when it was pending. The seller's cancellation (`actor` given) is audited.
pub fn end(
    conn: &mut DbConnection,
    id: i32,
    status: BoothChargeStatus,
    actor: Option<i32>,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            booth_charges::table
                .find(id)
                .filter(booth_charges::status.eq(BoothChargeStatus::Pending.code())),
        )
        .set(booth_charges::status.eq(status.code()))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        if let Some(actor_id) = actor {
            crate::models::audit::record(
                conn,
                actor_id,
                &format!("booth_charge.{}", status.code()),
                "booth_charge",
                id,
                Some(&serde_json::json!({ "status": BoothChargeStatus::Pending })),
                Some(&serde_json::json!({ "status": status })),
            )?;
        }
        Ok(true)
    })
}

/// Applies, once, the state Midtrans confirmed for booth charge `reference`: `event_id` (the
/// state's id, `Transaction::event_id`) is stored in `webhook_events` with what happened, in
/// the same transaction, so a replay changes nothing (`duplicate`). Gives what happened:
/// - `paid`: the whole total arrived; the charge is paid and its booth sale recorded, as QRIS,
///   under the charge's sale key and in the name of the seller who made the charge;
/// - `already-paid`: paid before (the sale exists);
/// - `amount-mismatch`: another amount or currency arrived: the charge is marked so and
///   nothing is recorded (someone looks at it by hand);
/// - `expired`, `cancelled`, `failed`: the pending charge ended without a sale;
/// - `ignored`: nothing to do (still pending, or ended before);
/// - `unknown-payment`: no booth charge has that reference (as for a shop order's).
pub fn apply_notification(
    conn: &mut DbConnection,
    event_id: &str,
    kind: &str,
    reference: &str,
    change: &BoothChange,
) -> QueryResult<String> {
    write_transaction(conn, |conn| {
        let seen: Option<String> = webhook_events::table
            .find(event_id)
            .select(webhook_events::outcome)
            .first(conn)
            .optional()?;
        if seen.is_some() {
            return Ok("duplicate".to_string());
        }
        let outcome = apply_change(conn, reference, change)?;
        diesel::insert_into(webhook_events::table)
            .values((
                webhook_events::event_id.eq(event_id),
                webhook_events::provider.eq(PaymentMethod::Midtrans.code()),
                webhook_events::event_type.eq(kind),
                webhook_events::outcome.eq(&outcome),
                webhook_events::received_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        Ok(outcome)
    })
}

fn apply_change(
    conn: &mut DbConnection,
    reference: &str,
    change: &BoothChange,
) -> QueryResult<String> {
    let Some(charge) = by_reference(conn, reference)? else {
        return Ok("unknown-payment".into());
    };
    let (amount, currency) = match change {
        BoothChange::Nothing => return Ok("ignored".into()),
        BoothChange::Ended(status) => {
            let outcome = if end(conn, charge.id, *status, None)? {
                status.code()
            } else {
                "ignored"
            };
            return Ok(outcome.to_string());
        }
        BoothChange::Paid { amount, currency } => (*amount, currency.as_str()),
    };
    if charge.status == BoothChargeStatus::Paid {
        return Ok("already-paid".into());
    }
    if currency != "idr" || amount != to_stripe_amount(charge.total) {
        diesel::update(booth_charges::table.find(charge.id))
            .set(booth_charges::status.eq(BoothChargeStatus::Mismatch.code()))
            .execute(conn)?;
        tracing::warn!(
            charge = %charge.reference,
            received = amount,
            %currency,
            expected = to_stripe_amount(charge.total),
            "a booth QRIS payment does not match its charge; no sale recorded"
        );
        return Ok("amount-mismatch".into());
    }
    // The conditional update takes the charge's row first: of two notifications at once, the
    // second waits and then finds it paid.
    let now = crate::models::now_ts();
    let changed = diesel::update(
        booth_charges::table
            .find(charge.id)
            .filter(booth_charges::status.ne(BoothChargeStatus::Paid.code())),
    )
    .set((
        booth_charges::status.eq(BoothChargeStatus::Paid.code()),
        booth_charges::paid_at.eq(Some(now)),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok("already-paid".into());
    }
    if charge.status != BoothChargeStatus::Pending {
        tracing::warn!(
            charge = %charge.reference,
            was = charge.status.code(),
            "a booth QRIS charge was paid after it ended; the sale is recorded"
        );
    }
    let made =
        chrono::DateTime::from_timestamp(charge.created_at, 0).unwrap_or_else(chrono::Utc::now);
    let sale = PaidSale {
        event_id: charge.event_id,
        unit_id: charge.unit_id,
        booth_id: charge.booth_id,
        product_id: charge.product_id,
        quantity: charge.quantity,
        total: charge.total,
        key: charge.sale_key.clone(),
        actor_id: charge.created_by,
        sold_on: fair::fair_day(made),
    };
    booth_sale::record_paid_sale(conn, &sale)?;
    Ok("paid".into())
}
