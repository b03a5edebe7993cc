//! Orders: placing one from a cart (idempotent, stock reserved with a conditional update in
//! the same write transaction), reading one by its secret link, and releasing the stock of
//! orders whose payment time ran out.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{
    cart_items, carts, order_items, orders, products, provinces, shipments, units,
};
use crate::db::DbConnection;
use crate::domain::mail::{MailEvent, MailLine};
use crate::domain::order::{
    chargeable_kg, is_pickup, pickup_code_matches, region_of, shipping_options, volume_grams,
    Contact, Courier, OrderStatus, ParcelTab, ShipmentStatus, ShippingOption, PICKUP,
};
use crate::domain::payment::PaymentMethod;
use crate::domain::RevenueSplit;
use crate::models::cart::{self, CartLine};
use crate::models::mail_outbox::MailRenderer;

use crate::db::write_transaction;

/// Why an order could not be placed; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderProblem {
    EmptyCart,
    /// A line is no longer buyable as it stands (sold out, unpublished, stock too low).
    CartChanged,
    /// Someone bought the last ones first.
    SoldOut(String),
    /// The shipping choice for a unit is not one of its options.
    BadShipping,
    /// The buyer would hold more pieces of a product in unpaid orders than allowed.
    TooManyUnpaid,
    /// A unique constraint refused the write (told by diesel's error kind, never by text):
    /// for an order, another submit with the same key won the race.
    Duplicate(String),
    Db(String),
}

impl From<diesel::result::Error> for OrderProblem {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                info,
            ) => Self::Duplicate(info.message().to_string()),
            other => Self::Db(other.to_string()),
        }
    }
}

/// Per unit: (brand, products total, shipping options).
pub type UnitShipping = BTreeMap<i32, (String, i64, Vec<ShippingOption>)>;

/// An order with its shipments and items.
pub type OrderView = (OrderRow, Vec<ShipmentRow>, Vec<ItemRow>);

/// Shipping options for each unit of the cart, for a destination province.
pub fn shipping_for_cart(
    conn: &mut DbConnection,
    lines: &[CartLine],
    province_id: i32,
) -> QueryResult<UnitShipping> {
    let island: String = provinces::table
        .find(province_id)
        .select(provinces::island_group)
        .first(conn)?;
    let destination = region_of(&island);
    let mut per_unit: BTreeMap<i32, (String, i64, i64, i64, usize)> = BTreeMap::new();
    for line in lines.iter().filter(|l| l.buyable()) {
        let q = i64::from(line.quantity);
        let entry = per_unit.entry(line.unit_id).or_insert((
            line.unit_brand.clone(),
            0,
            0,
            0,
            region_of(&line.origin_island),
        ));
        entry.1 += line.price * q;
        entry.2 += i64::from(line.weight_g) * q;
        entry.3 += volume_grams(
            i64::from(line.length_cm),
            i64::from(line.width_cm),
            i64::from(line.height_cm),
        ) * q;
    }
    Ok(per_unit
        .into_iter()
        .map(|(unit_id, (brand, items, actual, volume, origin))| {
            let kg = chargeable_kg(actual.max(volume), 0, 0, 0);
            (
                unit_id,
                (brand, items, shipping_options(origin, destination, kg)),
            )
        })
        .collect())
}

use crate::domain::{OrderSecret, Secret};

fn order_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 8];
    OsRng.fill_bytes(&mut buf);
    let tail: String = buf
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("ETL-{tail}")
}

/// What placing an order returns: its secret link token and whether it was new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub order_id: i32,
    pub secret: String,
    pub new: bool,
}

/// The order already placed with this key, if any (a repeated submit).
pub fn by_idempotency_key(conn: &mut DbConnection, key: &str) -> QueryResult<Option<Placed>> {
    Ok(orders::table
        .filter(orders::idempotency_key.eq(key))
        .select((orders::id, orders::secret))
        .first::<(i32, String)>(conn)
        .optional()?
        .map(|(order_id, secret)| Placed {
            order_id,
            secret,
            new: false,
        }))
}

/// Pieces of a product this buyer (by email or WhatsApp number) holds in unpaid orders. The
/// buyer's unpaid orders are found through the email and the phone index separately (an `OR`
/// of the two leaves SQLite scanning every unpaid order), then their lines by order.
fn unpaid_quantity(
    conn: &mut DbConnection,
    contact: &Contact,
    product_id: i32,
) -> QueryResult<i64> {
    let pending = OrderStatus::PendingPayment.code();
    let mut unpaid: Vec<i32> = orders::table
        .filter(orders::buyer_email.eq(contact.email.as_str()))
        .filter(orders::status.eq(pending))
        .select(orders::id)
        .load(conn)?;
    unpaid.extend(
        orders::table
            .filter(orders::buyer_phone.eq(contact.phone.as_str()))
            .filter(orders::status.eq(pending))
            .select(orders::id)
            .load::<i32>(conn)?,
    );
    if unpaid.is_empty() {
        return Ok(0);
    }
    unpaid.sort_unstable();
    unpaid.dedup();
    let quantities: Vec<i32> = order_items::table
        .filter(order_items::order_id.eq_any(unpaid))
        .filter(order_items::product_id.eq(product_id))
        .select(order_items::quantity)
        .load(conn)?;
    Ok(quantities.into_iter().map(i64::from).sum())
}

/// What placing an order needs.
#[derive(Clone, Copy)]
pub struct OrderRequest<'a> {
    pub cart_id: i32,
    pub contact: &'a Contact,
    /// Unit id → shipping option code.
    pub choices: &'a BTreeMap<i32, String>,
    pub idempotency_key: &'a str,
    pub payment_expiry_secs: i64,
    /// For the order link in the buyer's mail.
    pub base_url: &'a str,
    /// Renders the mail the order sends.
    pub mail: &'a dyn crate::models::mail_outbox::MailRenderer,
    /// The cart as the buyer saw it; a different one (a price changed) is refused.
    pub expected_fingerprint: Option<&'a str>,
    pub payment: PaymentMethod,
    /// Pieces of one product a buyer (same email or WhatsApp number) may hold unpaid.
    pub max_unpaid_per_product: i32,
    /// The configured transfer account (`BANK_*`), paid into while the payment settings have
    /// no active central account (`models::bank_account::payee_for_units`).
    pub bank: &'a crate::domain::bank::BankAccount,
}

/// Places the cart as one order, one shipment per unit. The same `idempotency_key` always
/// gives the same order (a double submit or a refresh makes one). Stock is taken with
/// `stock = stock - q WHERE stock >= q`: it never goes below zero whatever the concurrency.
pub fn place_order(
    conn: &mut DbConnection,
    request: &OrderRequest,
) -> Result<Placed, OrderProblem> {
    let OrderRequest {
        cart_id,
        contact,
        choices,
        idempotency_key,
        payment_expiry_secs,
        base_url,
        mail,
        expected_fingerprint,
        payment,
        max_unpaid_per_product,
        bank,
    } = *request;
    let existing = |conn: &mut DbConnection| -> QueryResult<Option<(i32, String)>> {
        orders::table
            .filter(orders::idempotency_key.eq(idempotency_key))
            .select((orders::id, orders::secret))
            .first(conn)
            .optional()
    };
    if let Some((order_id, secret)) = existing(conn)? {
        return Ok(Placed {
            order_id,
            secret,
            new: false,
        });
    }
    let placed = write_transaction(conn, |conn| {
        if let Some((order_id, secret)) = existing(conn)? {
            return Ok(Placed {
                order_id,
                secret,
                new: false,
            });
        }
        // Lock the cart: two tabs of one cart place one order (the second finds it empty).
        diesel::update(carts::table.find(cart_id))
            .set(carts::updated_at.eq(crate::models::now_ts()))
            .execute(conn)?;
        let lines = cart::lines(conn, cart_id)?;
        if lines.is_empty() {
            return Err(OrderProblem::EmptyCart);
        }
        if lines.iter().any(|l| !l.buyable())
            || expected_fingerprint.is_some_and(|f| f != cart::fingerprint(&lines))
        {
            return Err(OrderProblem::CartChanged);
        }
        for line in &lines {
            let held = unpaid_quantity(conn, contact, line.product_id)?;
            if held + i64::from(line.quantity) > i64::from(max_unpaid_per_product) {
                return Err(OrderProblem::TooManyUnpaid);
            }
        }
        let shipping = shipping_for_cart(conn, &lines, contact.province_id)?;
        let mut chosen: BTreeMap<i32, ShippingOption> = BTreeMap::new();
        for (unit_id, (_, _, options)) in &shipping {
            let code = choices.get(unit_id).ok_or(OrderProblem::BadShipping)?;
            let option = options
                .iter()
                .find(|o| &o.code == code)
                .ok_or(OrderProblem::BadShipping)?;
            chosen.insert(*unit_id, option.clone());
        }
        for line in &lines {
            let taken = diesel::update(
                products::table
                    .find(line.product_id)
                    .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
                    .filter(products::stock.ge(line.quantity)),
            )
            .set(products::stock.eq(products::stock - line.quantity))
            .execute(conn)?;
            if taken == 0 {
                return Err(OrderProblem::SoldOut(line.name.clone()));
            }
        }
        let items_total: i64 = lines.iter().map(|l| l.price * i64::from(l.quantity)).sum();
        let shipping_total: i64 = chosen.values().map(|o| o.fee).sum();
        // A bank transfer is matched by its exact amount: a code of 1–999 rupiah added on.
        let unique_code = if payment.uses_unique_code() {
            use argon2::password_hash::rand_core::{OsRng, RngCore};
            (OsRng.next_u32() % 999 + 1) as i32
        } else {
            0
        };
        let now = crate::models::now_ts();
        let secret: OrderSecret = crate::models::fresh();
        let secret = secret.as_str();
        let code = order_code();
        diesel::insert_into(orders::table)
            .values((
                orders::code.eq(&code),
                orders::secret.eq(&secret),
                orders::idempotency_key.eq(idempotency_key),
                orders::status.eq(OrderStatus::PendingPayment.code()),
                orders::buyer_name.eq(&contact.name),
                orders::buyer_email.eq(contact.email.as_str()),
                orders::buyer_phone.eq(contact.phone.as_str()),
                orders::province_id.eq(contact.province_id),
                orders::city.eq(&contact.city),
                orders::district.eq(&contact.district),
                orders::postal_code.eq(contact.postal_code.as_str()),
                orders::address.eq(&contact.address),
                orders::items_total.eq(items_total),
                orders::shipping_total.eq(shipping_total),
                orders::unique_code.eq(unique_code),
                orders::total.eq(items_total + shipping_total + i64::from(unique_code)),
                orders::payment_method.eq(payment.code()),
                orders::payment_expires_at.eq(now + payment_expiry_secs),
                orders::created_at.eq(now),
                orders::updated_at.eq(now),
            ))
            .execute(conn)?;
        let order_id: i32 = orders::table
            .filter(orders::secret.eq(&secret))
            .select(orders::id)
            .first(conn)?;
        for (unit_id, option) in &chosen {
            let unit_lines: Vec<&CartLine> =
                lines.iter().filter(|l| l.unit_id == *unit_id).collect();
            let unit_items: i64 = unit_lines
                .iter()
                .map(|l| l.price * i64::from(l.quantity))
                .sum();
            let (wage, pnbp, capital): (i32, i32, i32) = units::table
                .find(unit_id)
                .select((
                    units::split_wage_pct,
                    units::split_pnbp_pct,
                    units::split_capital_pct,
                ))
                .first(conn)?;
            // The database checks that a unit's split adds up to 100; should a row ever break
            // that, the order stops rather than booking money to the wrong share.
            let (share_wage, share_pnbp, share_capital) = RevenueSplit::new(wage, pnbp, capital)
                .map(|s| s.apply(unit_items))
                .map_err(|e| OrderProblem::Db(format!("unit {unit_id} revenue split: {e}")))?;
            let weight_kg = shipping
                .get(unit_id)
                .map(|(_, _, _)| {
                    let actual: i64 = unit_lines
                        .iter()
                        .map(|l| i64::from(l.weight_g) * i64::from(l.quantity))
                        .sum();
                    chargeable_kg(actual, 0, 0, 0)
                })
                .unwrap_or(1);
            diesel::insert_into(shipments::table)
                .values((
                    shipments::order_id.eq(order_id),
                    shipments::unit_id.eq(unit_id),
                    shipments::service.eq(&option.code),
                    shipments::service_label.eq(&option.label),
                    shipments::fee.eq(option.fee),
                    shipments::weight_kg.eq(weight_kg as i32),
                    shipments::items_total.eq(unit_items),
                    shipments::status
                        .eq(crate::domain::order::ShipmentStatus::WaitingPayment.code()),
                    shipments::share_wage.eq(share_wage),
                    shipments::share_pnbp.eq(share_pnbp),
                    shipments::share_capital.eq(share_capital),
                ))
                .execute(conn)?;
            let shipment_id: i32 = shipments::table
                .filter(shipments::order_id.eq(order_id))
                .filter(shipments::unit_id.eq(unit_id))
                .select(shipments::id)
                .first(conn)?;
            for line in unit_lines {
                diesel::insert_into(order_items::table)
                    .values((
                        order_items::order_id.eq(order_id),
                        order_items::shipment_id.eq(shipment_id),
                        order_items::product_id.eq(line.product_id),
                        order_items::name.eq(&line.name),
                        order_items::unit_price.eq(line.price),
                        order_items::quantity.eq(line.quantity),
                    ))
                    .execute(conn)?;
            }
        }
        let total = items_total + shipping_total + i64::from(unique_code);
        // A bank transfer goes to the account the payment settings give for these items.
        let payee = match payment {
            PaymentMethod::BankTransfer => {
                let item_units: Vec<i32> = lines.iter().map(|l| l.unit_id).collect();
                Some(crate::models::bank_account::payee_for_units(
                    conn,
                    &item_units,
                    bank,
                )?)
            }
            PaymentMethod::Card | PaymentMethod::Midtrans => None,
        };
        for (to, event) in order_mails(
            conn,
            &code,
            &order_link(base_url, secret),
            contact,
            &lines,
            &chosen,
            total,
            now + payment_expiry_secs,
            payment,
            payee,
        )? {
            crate::models::mail_outbox::enqueue_event(conn, mail, &to, &event)?;
        }
        diesel::delete(cart_items::table.filter(cart_items::cart_id.eq(cart_id))).execute(conn)?;
        diesel::update(carts::table.find(cart_id))
            .set(carts::checkout_json.eq(None::<String>))
            .execute(conn)?;
        let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
        crate::models::search_outbox::enqueue(conn, &ids)?;
        Ok(Placed {
            order_id,
            secret: secret.to_string(),
            new: true,
        })
    });
    match placed {
        // Two submits with one key raced: the other one won, show its order.
        Err(OrderProblem::Duplicate(e)) => match existing(conn)? {
            Some((order_id, secret)) => Ok(Placed {
                order_id,
                secret,
                new: false,
            }),
            None => Err(OrderProblem::Db(e)),
        },
        other => other,
    }
}

/// The buyer's "order received" mail and a "new order" mail to each unit's staff.
#[allow(clippy::too_many_arguments)]
fn order_mails(
    conn: &mut DbConnection,
    code: &str,
    link: &str,
    contact: &Contact,
    lines: &[CartLine],
    chosen: &BTreeMap<i32, ShippingOption>,
    total: i64,
    expires_at: i64,
    payment: PaymentMethod,
    bank: Option<crate::domain::bank::BankAccount>,
) -> QueryResult<Vec<(String, MailEvent)>> {
    use crate::db::schema::{provinces, users};
    let province: Option<String> = provinces::table
        .find(contact.province_id)
        .select(provinces::iso_code)
        .first(conn)
        .optional()?;
    let zone = crate::domain::time::Zone::of_province(province.as_deref().unwrap_or_default());
    let mut mails = vec![(
        contact.email.to_string(),
        MailEvent::OrderReceived {
            code: code.to_string(),
            name: contact.name.clone(),
            lines: lines
                .iter()
                .map(|l| MailLine {
                    quantity: l.quantity,
                    name: l.name.clone(),
                    unit: Some(l.unit_brand.clone()),
                })
                .collect(),
            total,
            card: payment == PaymentMethod::Card,
            online: payment == PaymentMethod::Midtrans,
            bank,
            expires_at,
            zone,
            link: link.to_string(),
        },
    )];
    for (unit_id, option) in chosen {
        let staff: Vec<String> = users::table
            .filter(users::unit_id.eq(unit_id))
            .filter(users::role.eq("staff"))
            .select(users::email)
            .load(conn)?;
        let unit_lines: Vec<MailLine> = lines
            .iter()
            .filter(|l| l.unit_id == *unit_id)
            .map(|l| MailLine {
                quantity: l.quantity,
                name: l.name.clone(),
                unit: None,
            })
            .collect();
        for to in staff {
            mails.push((
                to,
                MailEvent::NewOrder {
                    code: code.to_string(),
                    lines: unit_lines.clone(),
                    shipping: option.label.clone(),
                },
            ));
        }
    }
    Ok(mails)
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct OrderRow {
    pub id: i32,
    pub code: String,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::order::OrderStatus,
    pub buyer_name: String,
    pub buyer_email: String,
    pub buyer_phone: String,
    pub city: String,
    pub postal_code: String,
    pub address: String,
    pub items_total: i64,
    pub shipping_total: i64,
    pub unique_code: i32,
    pub total: i64,
    pub payment_method: String,
    pub payment_expires_at: i64,
    pub created_at: i64,
    /// The province of the delivery address (ISO code), for times in the buyer's zone.
    pub province_iso: String,
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ShipmentRow {
    pub id: i32,
    pub unit_name: String,
    pub service_label: String,
    pub fee: i64,
    pub weight_kg: i32,
    pub items_total: i64,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::order::ShipmentStatus,
    pub tracking_number: Option<String>,
    /// The shipping option's code (`jne-reg`, `pos-reguler`, `ambil`): which courier carries it.
    pub service: String,
    /// The unit's contact number as its staff wrote it (a mobile number has WhatsApp).
    pub unit_phone: String,
    /// The courier the unit handed the parcel to (`Courier::code`), once shipped.
    pub courier: Option<String>,
    /// When the unit packed it: for pickup, since when it waits for the buyer.
    pub packed_at: Option<i64>,
    /// For pickup at the unit, once ready: the code the buyer shows the unit's staff.
    pub pickup_code: Option<String>,
    /// Where the unit is (where a pickup parcel is picked up).
    pub unit_address: String,
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ItemRow {
    pub shipment_id: i32,
    pub name: String,
    pub unit_price: i64,
    pub quantity: i32,
}

pub fn by_secret(conn: &mut DbConnection, secret: &str) -> QueryResult<Option<OrderView>> {
    let order: Option<OrderRow> = orders::table
        .inner_join(crate::db::schema::provinces::table)
        .filter(orders::secret.eq(secret))
        .select((
            orders::id,
            orders::code,
            orders::status,
            orders::buyer_name,
            orders::buyer_email,
            orders::buyer_phone,
            orders::city,
            orders::postal_code,
            orders::address,
            orders::items_total,
            orders::shipping_total,
            orders::unique_code,
            orders::total,
            orders::payment_method,
            orders::payment_expires_at,
            orders::created_at,
            crate::db::schema::provinces::iso_code,
        ))
        .first(conn)
        .optional()?;
    let Some(order) = order else {
        return Ok(None);
    };
    let ships: Vec<ShipmentRow> = shipments::table
        .inner_join(units::table)
        .filter(shipments::order_id.eq(order.id))
        .order(shipments::id.asc())
        .select((
            shipments::id,
            units::name,
            shipments::service_label,
            shipments::fee,
            shipments::weight_kg,
            shipments::items_total,
            shipments::status,
            shipments::tracking_number,
            shipments::service,
            units::phone,
            shipments::courier,
            shipments::packed_at,
            shipments::pickup_code,
            units::pickup_address,
        ))
        .load(conn)?;
    let items: Vec<ItemRow> = order_items::table
        .filter(order_items::order_id.eq(order.id))
        .order(order_items::id.asc())
        .select((
            order_items::shipment_id,
            order_items::name,
            order_items::unit_price,
            order_items::quantity,
        ))
        .load(conn)?;
    Ok(Some((order, ships, items)))
}

/// Cancels one unpaid order and gives its stock back. False when the order was not waiting
/// for payment (already paid, cancelled or expired): stock is released exactly once.
pub fn cancel_unpaid(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<bool> {
    write_transaction(conn, |conn| -> QueryResult<bool> {
        let changed = diesel::update(
            orders::table
                .find(id)
                .filter(orders::status.eq(OrderStatus::PendingPayment.code())),
        )
        .set((
            orders::status.eq(OrderStatus::Cancelled.code()),
            orders::updated_at.eq(now),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let items: Vec<(i32, i32)> = order_items::table
            .filter(order_items::order_id.eq(id))
            .select((order_items::product_id, order_items::quantity))
            .load(conn)?;
        for (product_id, quantity) in &items {
            diesel::update(products::table.find(product_id))
                .set(products::stock.eq(products::stock + quantity))
                .execute(conn)?;
        }
        diesel::update(shipments::table.filter(shipments::order_id.eq(id)))
            .set(shipments::status.eq(crate::domain::order::ShipmentStatus::Cancelled.code()))
            .execute(conn)?;
        let ids: Vec<i32> = items.iter().map(|(p, _)| *p).collect();
        crate::models::search_outbox::enqueue(conn, &ids)?;
        Ok(true)
    })
}

/// Cancels unpaid orders whose payment time has passed and gives their stock back. Returns
/// how many orders were cancelled.
pub fn expire_unpaid(conn: &mut DbConnection, now: i64) -> QueryResult<usize> {
    let due: Vec<i32> = orders::table
        .filter(orders::status.eq(OrderStatus::PendingPayment.code()))
        .filter(orders::payment_expires_at.lt(now))
        .select(orders::id)
        .load(conn)?;
    let mut cancelled = 0;
    for id in due {
        if cancel_unpaid(conn, id, now)? {
            cancelled += 1;
        }
    }
    Ok(cancelled)
}

/// The buyer says the order arrived: shipped → delivered. False when it was not shipped.
pub fn confirm_delivered(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    debug_assert!(OrderStatus::Shipped.can_become(OrderStatus::Delivered));
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            orders::table
                .find(id)
                .filter(orders::status.eq(OrderStatus::Shipped.code())),
        )
        .set((
            orders::status.eq(OrderStatus::Delivered.code()),
            orders::updated_at.eq(crate::models::now_ts()),
        ))
        .execute(conn)?;
        if changed > 0 {
            diesel::update(shipments::table.filter(shipments::order_id.eq(id)).filter(
                shipments::status.eq(crate::domain::order::ShipmentStatus::Shipped.code()),
            ))
            .set(shipments::status.eq(crate::domain::order::ShipmentStatus::Delivered.code()))
            .execute(conn)?;
        }
        Ok(changed > 0)
    })
}

/// The id of the order behind a secret link.
pub fn id_by_secret(conn: &mut DbConnection, secret: &str) -> QueryResult<Option<i32>> {
    orders::table
        .filter(orders::secret.eq(secret))
        .select(orders::id)
        .first(conn)
        .optional()
}

// ---- Back office: payment confirmation and fulfilment ---------------------------------------

/// An order waiting for its bank transfer to be confirmed.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct PendingPayment {
    pub id: i32,
    pub code: String,
    pub buyer_name: String,
    pub total: i64,
    pub payment_expires_at: i64,
}

/// The amount to pay for an order.
pub fn total_of(conn: &mut DbConnection, order_id: i32) -> QueryResult<Option<i64>> {
    orders::table
        .find(order_id)
        .select(orders::total)
        .first(conn)
        .optional()
}

pub fn pending_payments(conn: &mut DbConnection) -> QueryResult<Vec<PendingPayment>> {
    orders::table
        .filter(orders::status.eq(OrderStatus::PendingPayment.code()))
        .filter(orders::payment_method.eq(PaymentMethod::BankTransfer.code()))
        .order(orders::id.asc())
        .select((
            orders::id,
            orders::code,
            orders::buyer_name,
            orders::total,
            orders::payment_expires_at,
        ))
        .limit(500)
        .load(conn)
}

/// A shipment as a unit's staff see it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct UnitShipment {
    pub id: i32,
    pub unit_id: i32,
    pub order_code: String,
    #[diesel(deserialize_as = String)]
    pub order_status: crate::domain::order::OrderStatus,
    pub buyer_name: String,
    pub buyer_phone: String,
    pub city: String,
    pub district: String,
    pub address: String,
    pub postal_code: String,
    /// The delivery province's name.
    pub province: String,
    /// When the order was paid (UTC unix seconds).
    pub paid_at: Option<i64>,
    /// The shipping option's code (`jne-reg`, `ambil`, …).
    pub service: String,
    pub service_label: String,
    pub weight_kg: i32,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::order::ShipmentStatus,
    pub tracking_number: Option<String>,
    /// The courier the unit handed it to (`Courier::code`), once shipped.
    pub courier: Option<String>,
    /// When the unit packed it (marked ready).
    pub packed_at: Option<i64>,
    pub items_total: i64,
    pub share_wage: i64,
    pub share_pnbp: i64,
    pub share_capital: i64,
}

impl UnitShipment {
    /// Whether the buyer has paid (the address and phone are shown only then).
    pub fn is_paid(&self) -> bool {
        self.paid_at.is_some() || self.order_status.counts_as_sold()
    }
}

/// Which shipments `load_shipments` reads.
enum ShipmentScope<'a> {
    /// A unit's, in one tab of its orders page, the latest first.
    Tab(i32, ParcelTab),
    /// These, of any unit, by id.
    Ids(&'a [i32]),
}

/// Shipments with their order's buyer and address: at most 500, one statement.
fn load_shipments(
    conn: &mut DbConnection,
    scope: ShipmentScope<'_>,
) -> QueryResult<Vec<UnitShipment>> {
    let mut query = shipments::table
        .inner_join(orders::table.inner_join(provinces::table))
        .into_boxed();
    match scope {
        ShipmentScope::Tab(unit_id, tab) => {
            query = query
                .filter(shipments::unit_id.eq(unit_id))
                .filter(shipments::status.eq(tab.status().code()))
                .order(shipments::id.desc());
            match tab.packed() {
                Some(true) => query = query.filter(shipments::packed_at.is_not_null()),
                Some(false) => query = query.filter(shipments::packed_at.is_null()),
                None => {}
            }
        }
        ShipmentScope::Ids(ids) => {
            query = query
                .filter(shipments::id.eq_any(ids.to_vec()))
                .order(shipments::id.asc());
        }
    }
    query
        .select((
            shipments::id,
            shipments::unit_id,
            orders::code,
            orders::status,
            orders::buyer_name,
            orders::buyer_phone,
            orders::city,
            orders::district,
            orders::address,
            orders::postal_code,
            provinces::name,
            orders::paid_at,
            shipments::service,
            shipments::service_label,
            shipments::weight_kg,
            shipments::status,
            shipments::tracking_number,
            shipments::courier,
            shipments::packed_at,
            shipments::items_total,
            shipments::share_wage,
            shipments::share_pnbp,
            shipments::share_capital,
        ))
        .limit(500)
        .load(conn)
}

/// One line of a parcel: what to pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelItem {
    pub product_id: i32,
    pub name: String,
    pub quantity: i32,
}

/// A unit's parcel with what goes in it.
#[derive(Debug)]
pub struct UnitParcel {
    pub shipment: UnitShipment,
    pub items: Vec<ParcelItem>,
}

impl UnitParcel {
    /// The products in the parcel, for their photos (`cart::cover_photos`).
    pub fn product_ids(parcels: &[UnitParcel]) -> Vec<i32> {
        let mut ids: Vec<i32> = parcels
            .iter()
            .flat_map(|p| p.items.iter().map(|i| i.product_id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

/// Each shipment with its lines: one more statement.
fn with_items(
    conn: &mut DbConnection,
    shipments: Vec<UnitShipment>,
) -> QueryResult<Vec<UnitParcel>> {
    let ids: Vec<i32> = shipments.iter().map(|s| s.id).collect();
    let mut items: BTreeMap<i32, Vec<ParcelItem>> = BTreeMap::new();
    if !ids.is_empty() {
        let rows: Vec<(i32, i32, String, i32)> = order_items::table
            .filter(order_items::shipment_id.eq_any(ids))
            .order(order_items::id.asc())
            .select((
                order_items::shipment_id,
                order_items::product_id,
                order_items::name,
                order_items::quantity,
            ))
            .load(conn)?;
        for (shipment_id, product_id, name, quantity) in rows {
            items.entry(shipment_id).or_default().push(ParcelItem {
                product_id,
                name,
                quantity,
            });
        }
    }
    Ok(shipments
        .into_iter()
        .map(|shipment| UnitParcel {
            items: items.remove(&shipment.id).unwrap_or_default(),
            shipment,
        })
        .collect())
}

/// The unit's latest parcels in one tab of its orders page, each with its lines: two
/// statements.
pub fn unit_parcels(
    conn: &mut DbConnection,
    unit_id: i32,
    tab: ParcelTab,
) -> QueryResult<Vec<UnitParcel>> {
    let shipments = load_shipments(conn, ShipmentScope::Tab(unit_id, tab))?;
    with_items(conn, shipments)
}

/// The parcels `ids` (of any unit: the caller checks whose they are), by id, with their
/// lines.
pub fn parcels_by_ids(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<UnitParcel>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let shipments = load_shipments(conn, ShipmentScope::Ids(ids))?;
    with_items(conn, shipments)
}

/// How many of the unit's parcels each tab of its orders page holds, in `ParcelTab::ALL`
/// order: two statements.
pub fn unit_tab_counts(
    conn: &mut DbConnection,
    unit_id: i32,
) -> QueryResult<Vec<(ParcelTab, i64)>> {
    let by_status: Vec<(String, i64)> = shipments::table
        .filter(shipments::unit_id.eq(unit_id))
        .group_by(shipments::status)
        .select((shipments::status, diesel::dsl::count_star()))
        .load(conn)?;
    let packed: i64 = shipments::table
        .filter(shipments::unit_id.eq(unit_id))
        .filter(shipments::status.eq(ShipmentStatus::Processing.code()))
        .filter(shipments::packed_at.is_not_null())
        .count()
        .get_result(conn)?;
    let of = |status: ShipmentStatus| -> i64 {
        by_status
            .iter()
            .find(|(code, _)| code == status.code())
            .map_or(0, |(_, n)| *n)
    };
    Ok(ParcelTab::ALL
        .into_iter()
        .map(|tab| {
            let count = match tab.packed() {
                Some(true) => packed,
                Some(false) => (of(tab.status()) - packed).max(0),
                None => of(tab.status()),
            };
            (tab, count)
        })
        .collect())
}

/// The unit as the sender of its parcels.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Sender {
    pub name: String,
    pub brand: String,
    pub address: String,
    pub city: String,
    pub province: String,
    pub phone: String,
    /// The unit's province (ISO code), for times in its zone (WIB, WITA or WIT).
    pub province_iso: String,
}

pub fn sender(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Sender> {
    units::table
        .inner_join(provinces::table)
        .filter(units::id.eq(unit_id))
        .select((
            units::name,
            units::brand_name,
            units::pickup_address,
            units::city,
            provinces::name,
            units::phone,
            provinces::iso_code,
        ))
        .first(conn)
}

/// Where a parcel stands, for the unit's actions on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelState {
    pub unit_id: i32,
    pub service: String,
    pub status: ShipmentStatus,
    pub packed: bool,
}

impl ParcelState {
    /// The tab of the unit's orders page that shows it.
    pub fn tab(&self) -> ParcelTab {
        ParcelTab::of(self.status, self.packed)
    }
}

pub fn parcel_state(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ParcelState>> {
    let row: Option<(i32, String, String, Option<i64>)> = shipments::table
        .find(id)
        .select((
            shipments::unit_id,
            shipments::service,
            shipments::status,
            shipments::packed_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(unit_id, service, status, packed_at)| {
        Some(ParcelState {
            unit_id,
            service,
            status: ShipmentStatus::parse(&status)?,
            packed: packed_at.is_some(),
        })
    }))
}

/// A fresh pickup code: six random digits from the operating system.
fn fresh_pickup_code() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    format!("{:06}", OsRng.next_u32() % 1_000_000)
}

/// The unit marks a paid parcel packed: ready for the courier or, for pickup at the unit,
/// ready to be picked up, with a fresh pickup code the buyer's order page shows. False when
/// the parcel was not paid and unpacked.
pub fn mark_ready(conn: &mut DbConnection, shipment_id: i32, actor_id: i32) -> QueryResult<bool> {
    write_transaction(conn, |conn| -> QueryResult<bool> {
        let service: Option<String> = shipments::table
            .find(shipment_id)
            .select(shipments::service)
            .first(conn)
            .optional()?;
        let Some(service) = service else {
            return Ok(false);
        };
        let code = is_pickup(&service).then(fresh_pickup_code);
        let changed = diesel::update(
            shipments::table
                .find(shipment_id)
                .filter(shipments::status.eq(ShipmentStatus::Processing.code()))
                .filter(shipments::packed_at.is_null()),
        )
        .set((
            shipments::packed_at.eq(Some(crate::models::now_ts())),
            shipments::pickup_code.eq(code.as_deref()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        crate::models::audit::record(
            conn,
            actor_id,
            "shipment.ready",
            "shipment",
            shipment_id,
            None,
            Some(&serde_json::json!({"pickup": code.is_some()})),
        )?;
        Ok(true)
    })
}

/// How handing a pickup parcel over went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOver {
    /// The buyer has it: the parcel is delivered.
    Delivered,
    /// Nothing changed: the code typed is not the parcel's pickup code.
    WrongCode,
    /// Nothing changed: not a pickup parcel ready to be picked up.
    NotAllowed,
}

/// The unit hands a pickup parcel to the buyer who shows its pickup code (`typed`): the parcel
/// is delivered, and the order once none of its parcels is still at a unit (delivered when
/// they all are, else shipped).
pub fn hand_over(
    conn: &mut DbConnection,
    shipment_id: i32,
    typed: &str,
    actor_id: i32,
) -> QueryResult<HandOver> {
    write_transaction(conn, |conn| -> QueryResult<HandOver> {
        type Row = (i32, String, String, Option<i64>, Option<String>);
        let row: Option<Row> = shipments::table
            .find(shipment_id)
            .select((
                shipments::order_id,
                shipments::service,
                shipments::status,
                shipments::packed_at,
                shipments::pickup_code,
            ))
            .first(conn)
            .optional()?;
        let Some((order_id, service, status, packed_at, Some(code))) = row else {
            return Ok(HandOver::NotAllowed);
        };
        if !is_pickup(&service)
            || status != ShipmentStatus::Processing.code()
            || packed_at.is_none()
        {
            return Ok(HandOver::NotAllowed);
        }
        if !pickup_code_matches(&code, typed) {
            return Ok(HandOver::WrongCode);
        }
        let changed = diesel::update(
            shipments::table
                .find(shipment_id)
                .filter(shipments::status.eq(ShipmentStatus::Processing.code())),
        )
        .set(shipments::status.eq(ShipmentStatus::Delivered.code()))
        .execute(conn)?;
        if changed == 0 {
            return Ok(HandOver::NotAllowed);
        }
        let parcels: Vec<String> = shipments::table
            .filter(shipments::order_id.eq(order_id))
            .select(shipments::status)
            .load(conn)?;
        let delivered = ShipmentStatus::Delivered.code();
        let left = [ShipmentStatus::Shipped.code(), delivered];
        let next = if parcels.iter().all(|s| s == delivered) {
            OrderStatus::Delivered
        } else if parcels.iter().all(|s| left.contains(&s.as_str())) {
            OrderStatus::Shipped
        } else {
            OrderStatus::Processing
        };
        diesel::update(orders::table.find(order_id).filter(
            orders::status.eq_any([OrderStatus::Paid.code(), OrderStatus::Processing.code()]),
        ))
        .set((
            orders::status.eq(next.code()),
            orders::updated_at.eq(crate::models::now_ts()),
        ))
        .execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "shipment.handed_over",
            "shipment",
            shipment_id,
            None,
            Some(&serde_json::json!({"status": ShipmentStatus::Delivered})),
        )?;
        Ok(HandOver::Delivered)
    })
}

/// The buyer's secret order page, absolute (`BASE_URL/pesanan/{secret}`), for mail.
pub fn order_link(base_url: &str, secret: &str) -> String {
    format!("{}/pesanan/{secret}", base_url.trim_end_matches('/'))
}

/// Queues the mail with the link to order `code` for the buyer, when `contact` is the email or
/// WhatsApp number the order was placed with. True when a mail was queued; the buyer's page
/// says the same either way, so the answer never tells whether an order exists.
pub fn resend_link(
    conn: &mut DbConnection,
    code: &str,
    contact: &crate::domain::order::OrderContact,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<bool> {
    use crate::domain::order::OrderContact;
    let by_code = orders::table.filter(orders::code.eq(code)).into_boxed();
    let found: Option<(String, String, String)> = match contact {
        OrderContact::Email(email) => by_code.filter(orders::buyer_email.eq(email.as_str())),
        OrderContact::Phone(phone) => by_code.filter(orders::buyer_phone.eq(phone.as_str())),
    }
    .select((orders::buyer_email, orders::buyer_name, orders::secret))
    .first(conn)
    .optional()?;
    let Some((to, name, secret)) = found else {
        return Ok(false);
    };
    let event = MailEvent::OrderLink {
        code: code.to_string(),
        name,
        link: order_link(base_url, &secret),
    };
    crate::models::mail_outbox::enqueue_event(conn, mail, &to, &event)?;
    Ok(true)
}

/// Who to tell about an order: (code, email, name, link to the buyer's order page).
fn buyer_of(
    conn: &mut DbConnection,
    order_id: i32,
    base_url: &str,
) -> QueryResult<(String, String, String, String)> {
    let (code, email, name, secret): (String, String, String, String) = orders::table
        .find(order_id)
        .select((
            orders::code,
            orders::buyer_email,
            orders::buyer_name,
            orders::secret,
        ))
        .first(conn)?;
    Ok((code, email, name, order_link(base_url, &secret)))
}

/// Confirms the bank transfer of an order: paid, its shipments ready to prepare, the buyer
/// told (with a link to the order page under `base_url`). False when the order was not
/// waiting for payment.
pub fn confirm_payment(
    conn: &mut DbConnection,
    order_id: i32,
    actor_id: i32,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        mark_paid(conn, order_id, Some(actor_id), base_url, mail)
    })
}

/// Inside a transaction: pending payment → paid, shipments to prepare, the buyer told with a
/// link to the order page under `base_url`, the change audited (`actor` None when the payment
/// provider reported it). False when the order was not waiting for payment.
pub fn mark_paid(
    conn: &mut DbConnection,
    order_id: i32,
    actor: Option<i32>,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<bool> {
    let now = crate::models::now_ts();
    let changed = diesel::update(
        orders::table
            .find(order_id)
            .filter(orders::status.eq(OrderStatus::PendingPayment.code())),
    )
    .set((
        orders::status.eq(OrderStatus::Paid.code()),
        orders::paid_at.eq(Some(now)),
        orders::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(shipments::table.filter(shipments::order_id.eq(order_id)))
        .set(shipments::status.eq(crate::domain::order::ShipmentStatus::Processing.code()))
        .execute(conn)?;
    let (code, email, name, link) = buyer_of(conn, order_id, base_url)?;
    crate::models::mail_outbox::enqueue_event(
        conn,
        mail,
        &email,
        &MailEvent::OrderPaid { code, name, link },
    )?;
    if let Some(actor_id) = actor {
        crate::models::audit::record(
            conn,
            actor_id,
            "order.paid",
            "order",
            order_id,
            Some(&serde_json::json!({"status": OrderStatus::PendingPayment})),
            Some(&serde_json::json!({"status": "paid"})),
        )?;
    }
    Ok(true)
}

/// Marks a shipment sent with `courier` under its tracking number; the order is `shipped` once
/// none of its shipments is still at a unit. The buyer is told, with a link to the order page
/// under `base_url`: which part left, or that the whole order is on its way. False when the
/// shipment was not being prepared, or is picked up at the unit (handed over instead).
pub fn ship(
    conn: &mut DbConnection,
    shipment_id: i32,
    courier: Courier,
    tracking: &str,
    actor_id: i32,
    base_url: &str,
    mail: &dyn MailRenderer,
) -> QueryResult<bool> {
    write_transaction(conn, |conn| {
        let changed = diesel::update(
            shipments::table
                .find(shipment_id)
                .filter(shipments::status.eq(ShipmentStatus::Processing.code()))
                .filter(shipments::service.ne(PICKUP)),
        )
        .set((
            shipments::status.eq(ShipmentStatus::Shipped.code()),
            shipments::tracking_number.eq(Some(tracking)),
            shipments::courier.eq(Some(courier.code())),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let (order_id, label): (i32, String) = shipments::table
            .find(shipment_id)
            .select((shipments::order_id, shipments::service_label))
            .first(conn)?;
        // Parcels still at a unit (a pickup parcel handed over has left too).
        let open: i64 = shipments::table
            .filter(shipments::order_id.eq(order_id))
            .filter(shipments::status.ne_all([
                ShipmentStatus::Shipped.code(),
                ShipmentStatus::Delivered.code(),
            ]))
            .count()
            .get_result(conn)?;
        let now = crate::models::now_ts();
        let next = if open == 0 {
            OrderStatus::Shipped
        } else {
            OrderStatus::Processing
        };
        diesel::update(orders::table.find(order_id).filter(orders::status.eq_any([
            crate::domain::order::OrderStatus::Paid.code(),
            crate::domain::order::OrderStatus::Processing.code(),
        ])))
        .set((orders::status.eq(next.code()), orders::updated_at.eq(now)))
        .execute(conn)?;
        let parcels: i64 = shipments::table
            .filter(shipments::order_id.eq(order_id))
            .count()
            .get_result(conn)?;
        let (code, email, name, link) = buyer_of(conn, order_id, base_url)?;
        crate::models::mail_outbox::enqueue_event(
            conn,
            mail,
            &email,
            &MailEvent::ParcelShipped {
                code,
                name,
                label,
                tracking: tracking.to_string(),
                link,
                last: open == 0,
                only: parcels == 1,
            },
        )?;
        crate::models::audit::record(
            conn,
            actor_id,
            "shipment.shipped",
            "shipment",
            shipment_id,
            None,
            Some(&serde_json::json!({"tracking": tracking, "courier": courier.code()})),
        )?;
        Ok(true)
    })
}
