//! Provider payments of orders (Stripe PaymentIntents, Midtrans charges), webhook events and
//! notifications applied exactly once, and refunds.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{order_items, orders, payments, products, shipments, webhook_events};
use crate::db::write_transaction;
use crate::db::DbConnection;
use crate::domain::midtrans::{Channel, Instructions};
use crate::domain::order::OrderStatus;
use crate::domain::payment::{
    to_stripe_amount, PaymentMethod, PaymentStatus, WebhookEvent, WebhookOutcome,
};
use crate::models::mail_outbox::MailRenderer;
use crate::models::order::mark_paid;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: i32,
    pub order_id: i32,
    pub provider: String,
    pub reference: String,
    pub amount: i64,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::payment::PaymentStatus,
    pub client_secret: Option<String>,
    pub last_error: Option<String>,
    pub refund_reference: Option<String>,
    /// Midtrans: the channel code (`Channel::code`).
    pub channel: Option<String>,
    /// Midtrans: what the buyer does to pay (`Instructions` as JSON).
    pub details: Option<String>,
}

impl PaymentRow {
    /// The Midtrans channel of this charge.
    pub fn channel(&self) -> Option<Channel> {
        self.channel.as_deref().and_then(Channel::parse)
    }

    /// What the buyer does to pay this Midtrans charge.
    pub fn instructions(&self) -> Option<Instructions> {
        self.details
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
    }
}

/// The provider payment of an order, if one was started.
pub fn of_order(conn: &mut DbConnection, order_id: i32) -> QueryResult<Option<PaymentRow>> {
    payments::table
        .filter(payments::order_id.eq(order_id))
        .order(payments::id.desc())
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()
}

/// Remembers the PaymentIntent made for an order (once: the provider gives the same intent for
/// the same order, so a second call finds the row).
pub fn record_intent(
    conn: &mut DbConnection,
    order_id: i32,
    reference: &str,
    amount: i64,
    client_secret: &str,
) -> QueryResult<()> {
    let now = crate::models::now_ts();
    let exists: i64 = payments::table
        .filter(payments::reference.eq(reference))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let inserted = diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(order_id),
            payments::provider.eq(PaymentMethod::Card.code()),
            payments::reference.eq(reference),
            payments::amount.eq(amount),
            payments::status.eq(crate::domain::payment::PaymentStatus::Created.code()),
            payments::client_secret.eq(Some(client_secret)),
            payments::created_at.eq(now),
            payments::updated_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        // Two page views raced with the same intent: the other one recorded it.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(()),
        other => other.map(|_| ()),
    }
}

/// How many charges order `order_id` has had (Midtrans names the next one after it).
pub fn count_of_order(conn: &mut DbConnection, order_id: i32) -> QueryResult<i64> {
    payments::table
        .filter(payments::order_id.eq(order_id))
        .count()
        .get_result(conn)
}

/// Remembers a Midtrans charge made for an order: its reference (Midtrans' `order_id`), the
/// channel and what the buyer does to pay it.
pub fn record_charge(
    conn: &mut DbConnection,
    order_id: i32,
    reference: &str,
    amount: i64,
    channel: Channel,
    instructions: &Instructions,
) -> QueryResult<()> {
    let now = crate::models::now_ts();
    let details = serde_json::to_string(instructions)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(payments::table)
        .values((
            payments::order_id.eq(order_id),
            payments::provider.eq(PaymentMethod::Midtrans.code()),
            payments::reference.eq(reference),
            payments::amount.eq(amount),
            payments::status.eq(PaymentStatus::Created.code()),
            payments::channel.eq(Some(channel.code())),
            payments::details.eq(Some(details)),
            payments::created_at.eq(now),
            payments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Applies a verified webhook event once. A replay (same event id) changes nothing; events may
/// come in any order: a late failure never undoes a success. Gives what happened, as recorded.
/// Mail to the buyer links the order page under `base_url`.
pub fn apply_webhook(
    conn: &mut DbConnection,
    event: &WebhookEvent,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<String> {
    write_transaction(conn, |conn| {
        let seen: Option<String> = webhook_events::table
            .find(&event.id)
            .select(webhook_events::outcome)
            .first(conn)
            .optional()?;
        if seen.is_some() {
            return Ok("duplicate".to_string());
        }
        let outcome = apply_outcome(conn, event, base_url, mail)?;
        diesel::insert_into(webhook_events::table)
            .values((
                webhook_events::event_id.eq(&event.id),
                webhook_events::provider.eq(event.provider.code()),
                webhook_events::event_type.eq(&event.kind),
                webhook_events::outcome.eq(&outcome),
                webhook_events::received_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        Ok(outcome)
    })
}

fn apply_outcome(
    conn: &mut DbConnection,
    event: &WebhookEvent,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<String> {
    let outcome = &event.outcome;
    let reference = match outcome {
        WebhookOutcome::Succeeded { reference, .. }
        | WebhookOutcome::Failed { reference, .. }
        | WebhookOutcome::Refunded { reference, .. }
        | WebhookOutcome::Closed { reference } => reference,
        WebhookOutcome::Ignored => return Ok("ignored".into()),
    };
    let payment: Option<PaymentRow> = payments::table
        .filter(payments::reference.eq(reference))
        .filter(payments::provider.eq(event.provider.code()))
        .select(PaymentRow::as_select())
        .first(conn)
        .optional()?;
    let Some(payment) = payment else {
        return Ok("unknown-payment".into());
    };
    let now = crate::models::now_ts();
    let set_status = |conn: &mut DbConnection, status: &str, error: Option<&str>| {
        diesel::update(payments::table.find(payment.id))
            .set((
                payments::status.eq(status),
                payments::last_error.eq(error),
                payments::updated_at.eq(now),
            ))
            .execute(conn)
    };
    match outcome {
        WebhookOutcome::Succeeded {
            amount, currency, ..
        } => {
            if matches!(
                payment.status,
                PaymentStatus::Succeeded | PaymentStatus::Refunded
            ) {
                return Ok("already-paid".into());
            }
            if currency != "idr" || *amount != to_stripe_amount(payment.amount) {
                let note = format!("received {amount} {currency}");
                set_status(conn, "amount_mismatch", Some(&note))?;
                tracing::warn!(payment = payment.id, %note, "payment amount does not match");
                return Ok("amount-mismatch".into());
            }
            if mark_paid(conn, payment.order_id, None, base_url, mail)? {
                set_status(conn, "succeeded", None)?;
                Ok("paid".into())
            } else {
                // The order ended (cancelled, expired) before the money came: it goes back.
                set_status(
                    conn,
                    "needs_refund",
                    Some("order no longer waiting for payment"),
                )?;
                tracing::warn!(payment = payment.id, "payment for an order that ended");
                Ok("needs-refund".into())
            }
        }
        WebhookOutcome::Failed { message, .. } => {
            if !PaymentStatus::STILL_OPEN.contains(&payment.status) {
                return Ok("stale-failure".into());
            }
            let message: Option<String> = message.as_ref().map(|m| m.chars().take(300).collect());
            set_status(conn, "failed", message.as_deref())?;
            Ok("failed".into())
        }
        WebhookOutcome::Closed { .. } => {
            // Closed unpaid at the provider; one that was paid (or closed) already stays so.
            if !PaymentStatus::STILL_OPEN.contains(&payment.status) {
                return Ok("stale-failure".into());
            }
            set_status(conn, PaymentStatus::Voided.code(), None)?;
            Ok("closed".into())
        }
        WebhookOutcome::Refunded { refund, .. } => {
            if payment.status == PaymentStatus::Refunded {
                return Ok("already-refunded".into());
            }
            let actor: Option<i32> = payments::table
                .find(payment.id)
                .select(payments::refund_requested_by)
                .first(conn)?;
            if record_refund(conn, payment.order_id, refund, actor, mail)? {
                Ok("refunded".into())
            } else {
                Ok("refund-not-applicable".into())
            }
        }
        WebhookOutcome::Ignored => Ok("ignored".into()),
    }
}

/// Notes, before the provider is asked, that an administrator refunds this order's card
/// payment. Only one request at a time: false when another was made less than a minute ago
/// (a double click) or the payment cannot be refunded. The provider call that follows carries
/// `refund_key`, so asking again after a crash refunds once; `charge.refunded` records it if
/// the shop never heard the answer.
pub fn request_refund(
    conn: &mut DbConnection,
    order_id: i32,
    actor_id: i32,
    now: i64,
) -> QueryResult<bool> {
    diesel::update(
        payments::table
            .filter(payments::order_id.eq(order_id))
            .filter(payments::status.eq_any([
                crate::domain::payment::PaymentStatus::Succeeded.code(),
                crate::domain::payment::PaymentStatus::NeedsRefund.code(),
            ]))
            .filter(
                payments::refund_requested_at
                    .is_null()
                    .or(payments::refund_requested_at.lt(now - 60)),
            ),
    )
    .set((
        payments::refund_requested_at.eq(Some(now)),
        payments::refund_requested_by.eq(Some(actor_id)),
        payments::updated_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The idempotency key of the refund of an order at the provider.
pub fn refund_key(order_code: &str) -> String {
    format!("etalase-refund-{order_code}")
}

/// Payments of `providers` (`PaymentMethod::code`) still open for orders that ended unpaid:
/// (payment id, provider, reference).
pub fn open_for_ended_orders(
    conn: &mut DbConnection,
    providers: &[&str],
) -> QueryResult<Vec<(i32, String, String)>> {
    payments::table
        .inner_join(orders::table)
        .filter(orders::status.eq(OrderStatus::Cancelled.code()))
        .filter(payments::provider.eq_any(providers.to_vec()))
        .filter(payments::status.eq_any(open_to_void()))
        .select((payments::id, payments::provider, payments::reference))
        .limit(100)
        .load(conn)
}

/// The statuses of a payment that is still open at its provider.
fn open_to_void() -> [&'static str; 3] {
    [
        crate::domain::payment::PaymentStatus::Created.code(),
        crate::domain::payment::PaymentStatus::Failed.code(),
        crate::domain::payment::PaymentStatus::AmountMismatch.code(),
    ]
}

/// How long a worker closing a payment at its provider holds it before another may try (one
/// that stopped mid-call leaves it to the next after this).
pub const VOID_CLAIM_SECS: i64 = 120;

/// Claims an open payment of an ended order for closing at its provider: true for exactly one
/// of several workers asking at once (the update only matches while the payment is open and
/// nobody holds it), which then has it for `VOID_CLAIM_SECS`: its `updated_at` is moved that
/// far on until `set_voided` records the outcome. Works the same on SQLite and PostgreSQL.
pub fn claim_void(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<bool> {
    diesel::update(
        payments::table
            .find(id)
            .filter(payments::status.eq_any(open_to_void()))
            .filter(payments::updated_at.le(now)),
    )
    .set(payments::updated_at.eq(now + VOID_CLAIM_SECS))
    .execute(conn)
    .map(|n| n == 1)
}

/// Records that a payment was closed at the provider (`voided`), or why it could not be
/// (`void_failed`: the provider refused, for example because it was paid meanwhile; the
/// webhook of that payment flags it for refund).
pub fn set_voided(conn: &mut DbConnection, id: i32, error: Option<&str>) -> QueryResult<()> {
    diesel::update(
        payments::table
            .find(id)
            .filter(payments::status.eq_any(open_to_void())),
    )
    .set((
        payments::status.eq(if error.is_some() {
            "void_failed"
        } else {
            "voided"
        }),
        payments::last_error.eq(error),
        payments::updated_at.eq(crate::models::now_ts()),
    ))
    .execute(conn)
    .map(|_| ())
}

/// An order an administrator may refund.
#[derive(Debug, Clone, Serialize)]
pub struct Refundable {
    pub id: i32,
    pub code: String,
    pub buyer_name: String,
    pub status: crate::domain::order::OrderStatus,
    pub payment_method: String,
    pub total: i64,
    /// Refunded through the provider's API (a card; QRIS or GoPay through Midtrans); else
    /// sent back by hand, with the reference of that transfer.
    pub through_provider: bool,
}

/// Whether a payment by `method` (through Midtrans `channel`) goes back through the provider's
/// refund API rather than by a transfer made by hand.
pub fn refunds_through_provider(method: PaymentMethod, channel: Option<Channel>) -> bool {
    match method {
        PaymentMethod::Card => true,
        PaymentMethod::Midtrans => channel.is_some_and(Channel::refunds_through_api),
        PaymentMethod::BankTransfer => false,
    }
}

/// Paid orders (not yet refunded), newest first, and cancelled ones whose provider payment
/// came late and must go back.
pub fn refundable(conn: &mut DbConnection) -> QueryResult<Vec<Refundable>> {
    let late: Vec<i32> = payments::table
        .filter(payments::status.eq(crate::domain::payment::PaymentStatus::NeedsRefund.code()))
        .select(payments::order_id)
        .load(conn)?;
    type Row = (i32, String, String, String, String, i64);
    let rows: Vec<Row> = orders::table
        .filter(
            orders::status
                .eq_any(["paid", "processing", "shipped", "delivered"])
                .or(orders::id.eq_any(late)),
        )
        .order(orders::id.desc())
        .select((
            orders::id,
            orders::code,
            orders::buyer_name,
            orders::status,
            orders::payment_method,
            orders::total,
        ))
        .limit(200)
        .load(conn)?;
    let online: Vec<i32> = rows
        .iter()
        .filter(|r| r.4 == PaymentMethod::Midtrans.code())
        .map(|r| r.0)
        .collect();
    // The channel of each Midtrans order's money: its paid (or late) charge.
    let channels: Vec<(i32, Option<String>)> = payments::table
        .filter(payments::order_id.eq_any(online))
        .filter(payments::status.eq_any([
            PaymentStatus::Succeeded.code(),
            PaymentStatus::NeedsRefund.code(),
        ]))
        .select((payments::order_id, payments::channel))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, code, buyer_name, status, payment_method, total)| {
            let method = PaymentMethod::parse(&payment_method)?;
            let channel = channels
                .iter()
                .find(|(order, _)| *order == id)
                .and_then(|(_, c)| c.as_deref())
                .and_then(Channel::parse);
            Some(Refundable {
                id,
                code,
                buyer_name,
                status: OrderStatus::parse(&status)?,
                through_provider: refunds_through_provider(method, channel),
                payment_method,
                total,
            })
        })
        .collect())
}

/// What a refund is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundTarget {
    pub method: PaymentMethod,
    /// The provider's payment (none for a bank transfer).
    pub reference: Option<String>,
    pub amount: i64,
    pub code: String,
    /// Refunded through the provider's API (`refunds_through_provider`), else by hand.
    pub through_provider: bool,
}

/// What a refund needs to know before asking the provider. None when the order cannot be
/// refunded.
pub fn refund_target(conn: &mut DbConnection, order_id: i32) -> QueryResult<Option<RefundTarget>> {
    let order: Option<(String, String, i64, String)> = orders::table
        .find(order_id)
        .select((
            orders::status,
            orders::payment_method,
            orders::total,
            orders::code,
        ))
        .first(conn)
        .optional()?;
    let Some((status, method, total, code)) = order else {
        return Ok(None);
    };
    let Some(method) = PaymentMethod::parse(&method) else {
        return Ok(None);
    };
    let payment = of_order(conn, order_id)?;
    let late = payment
        .as_ref()
        .is_some_and(|p| p.status == PaymentStatus::NeedsRefund);
    let paid = OrderStatus::parse(&status).is_some_and(|s| s.can_become(OrderStatus::Refunded));
    if !paid && !late {
        return Ok(None);
    }
    match method {
        PaymentMethod::Card | PaymentMethod::Midtrans => Ok(payment
            .filter(|p| {
                matches!(
                    p.status,
                    PaymentStatus::Succeeded | PaymentStatus::NeedsRefund
                )
            })
            .map(|p| RefundTarget {
                method,
                through_provider: refunds_through_provider(method, p.channel()),
                reference: Some(p.reference),
                amount: p.amount,
                code,
            })),
        PaymentMethod::BankTransfer => Ok(Some(RefundTarget {
            method,
            reference: None,
            amount: total,
            code,
            through_provider: false,
        })),
    }
}

/// Records a refund made with the provider (or by hand): the order becomes `refunded`, stock
/// not yet shipped goes back, the buyer is told. False when the order changed meanwhile.
pub fn record_refund(
    conn: &mut DbConnection,
    order_id: i32,
    refund_reference: &str,
    actor_id: Option<i32>,
    mail: &dyn MailRenderer,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let now = crate::models::now_ts();
        let (status, code, email, name): (String, String, String, String) = orders::table
            .find(order_id)
            .select((
                orders::status,
                orders::code,
                orders::buyer_email,
                orders::buyer_name,
            ))
            .first(conn)?;
        let late = payments::table
            .filter(payments::order_id.eq(order_id))
            .filter(payments::status.eq(crate::domain::payment::PaymentStatus::NeedsRefund.code()))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        let current = OrderStatus::parse(&status);
        if late {
            // A cancelled order: its stock already went back when it was cancelled.
        } else if current.is_some_and(|s| s.can_become(OrderStatus::Refunded)) {
            let changed = diesel::update(
                orders::table
                    .find(order_id)
                    .filter(orders::status.eq(&status)),
            )
            .set((
                orders::status.eq(OrderStatus::Refunded.code()),
                orders::updated_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Ok(false);
            }
            // Goods not sent yet go back on the shelf.
            let unsent: Vec<(i32, i32)> = order_items::table
                .inner_join(shipments::table)
                .filter(order_items::order_id.eq(order_id))
                .filter(shipments::status.eq_any([
                    crate::domain::order::ShipmentStatus::WaitingPayment.code(),
                    crate::domain::order::ShipmentStatus::Processing.code(),
                ]))
                .select((order_items::product_id, order_items::quantity))
                .load(conn)?;
            for (product_id, quantity) in &unsent {
                diesel::update(products::table.find(product_id))
                    .set(products::stock.eq(products::stock + quantity))
                    .execute(conn)?;
            }
            diesel::update(
                shipments::table
                    .filter(shipments::order_id.eq(order_id))
                    .filter(shipments::status.eq_any([
                        crate::domain::order::ShipmentStatus::WaitingPayment.code(),
                        crate::domain::order::ShipmentStatus::Processing.code(),
                    ])),
            )
            .set(shipments::status.eq(crate::domain::order::ShipmentStatus::Cancelled.code()))
            .execute(conn)?;
            let ids: Vec<i32> = unsent.iter().map(|(p, _)| *p).collect();
            crate::models::search_outbox::enqueue(conn, &ids)?;
        } else {
            return Ok(false);
        }
        // The payment that brought the money (an order's closed Midtrans charges stay so).
        diesel::update(
            payments::table
                .filter(payments::order_id.eq(order_id))
                .filter(payments::status.eq_any([
                    PaymentStatus::Succeeded.code(),
                    PaymentStatus::NeedsRefund.code(),
                ])),
        )
        .set((
            payments::status.eq(PaymentStatus::Refunded.code()),
            payments::refund_reference.eq(Some(refund_reference)),
            payments::updated_at.eq(now),
        ))
        .execute(conn)?;
        crate::models::mail_outbox::enqueue_event(
            conn,
            mail,
            &email,
            &crate::domain::mail::MailEvent::OrderRefunded { code, name },
        )?;
        crate::models::audit::record(
            conn,
            actor_id,
            "order.refunded",
            "order",
            order_id,
            Some(&serde_json::json!({"status": status})),
            Some(&serde_json::json!({"status": "refunded", "refund": refund_reference})),
        )?;
        Ok(true)
    })
}
