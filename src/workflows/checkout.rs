//! A buyer places the cart as an order.

use std::collections::BTreeMap;

use crate::domain::bank::BankAccount;
use crate::domain::midtrans::OnlinePayment;
use crate::domain::order::{Contact, OrderStatus};
use crate::domain::payment::{CardPayment, PaymentMethod};
use crate::domain::{IdempotencyKey, OrderSecret, Secret};
use crate::error::AppError;
use crate::models::order::{self, OrderProblem, Placed};
use crate::models::{bank_account, cart, payment, DbConnection};
use crate::services::payments::{Charge, PaymentProvider, Started};

use super::Shop;

/// What the buyer sent from the shipping page.
#[derive(Debug, Clone)]
pub struct PlaceOrder {
    pub cart_id: i32,
    /// The form's idempotency key, already bound to this cart.
    pub key: IdempotencyKey,
    pub payment: PaymentMethod,
    /// Unit id → shipping option code.
    pub choices: BTreeMap<i32, String>,
    /// The cart's fingerprint as the buyer saw it on the review page (empty: not sent).
    pub seen: String,
}

/// The buyer's cart at the shipping and review steps.
pub struct CheckoutCart {
    pub contact: Contact,
    pub lines: Vec<cart::CartLine>,
    /// Per unit: its brand, the items' total and the shipping options to the buyer.
    pub shipping: order::UnitShipping,
}

/// Where the checkout of a cart stands.
pub enum CheckoutStep {
    /// Contact details saved and every line still for sale.
    Ready(Box<CheckoutCart>),
    /// No contact details yet: the first step comes first.
    NeedsContact,
    /// The cart is empty or a line is no longer for sale.
    CartChanged,
}

/// Loads cart `cart_id` with its saved contact details and the shipping options to them. A
/// product that waits for its legal documents (the rules or a document changed since it was
/// added) is taken out of the cart, and the cart counts as changed.
pub async fn checkout_cart(shop: Shop<'_>, cart_id: i32) -> Result<CheckoutStep, AppError> {
    let (contact, lines, shipping, awaiting) = shop
        .write(move |c| {
            let contact: Option<Contact> =
                cart::checkout_json(c, cart_id)?.and_then(|j| serde_json::from_str(&j).ok());
            let lines = cart::lines(c, cart_id)?;
            let ids: Vec<i32> = lines.iter().map(|l| l.product_id).collect();
            let today = crate::models::today_iso();
            let awaiting: Vec<i32> = crate::models::legal::missing_documents(c, &ids, &today)?
                .into_keys()
                .collect();
            if !awaiting.is_empty() {
                cart::remove_products(c, cart_id, &awaiting)?;
            }
            let shipping = match &contact {
                Some(contact) => order::shipping_for_cart(c, &lines, contact.province_id)?,
                None => BTreeMap::new(),
            };
            Ok((contact, lines, shipping, !awaiting.is_empty()))
        })
        .await?;
    let Some(contact) = contact else {
        return Ok(CheckoutStep::NeedsContact);
    };
    if lines.is_empty() || awaiting || lines.iter().any(|l| !l.buyable()) {
        return Ok(CheckoutStep::CartChanged);
    }
    Ok(CheckoutStep::Ready(Box::new(CheckoutCart {
        contact,
        lines,
        shipping,
    })))
}

/// An order as its buyer's page shows it.
pub struct BuyerOrder {
    pub view: order::OrderView,
    /// Its card payment, while it waits for one.
    pub card: Option<CardPayment>,
    /// Its Midtrans payment (QRIS, virtual account, GoPay), while it waits for one.
    pub online: Option<OnlinePayment>,
    /// The account a bank transfer for it goes to (`models::bank_account::payee_for_order`).
    pub payee: BankAccount,
}

/// The order behind secret link `secret`, with the payment it waits for.
pub async fn order_by_secret(
    shop: Shop<'_>,
    secret: &OrderSecret,
) -> Result<Option<BuyerOrder>, AppError> {
    let secret = secret.clone();
    let configured = shop.settings.bank.clone();
    let found = shop
        .write(move |c| {
            let Some(view) = order::by_secret(c, secret.as_str())? else {
                return Ok(None);
            };
            let payee = bank_account::payee_for_order(c, view.0.id, &configured)?;
            let latest = if view.0.payment_method == PaymentMethod::Midtrans.code() {
                payment::of_order(c, view.0.id)?
            } else {
                None
            };
            Ok(Some((view, payee, latest)))
        })
        .await?;
    let Some((view, payee, latest)) = found else {
        return Ok(None);
    };
    let order = &view.0;
    let waiting = order.status == OrderStatus::PendingPayment;
    let card = if waiting && order.payment_method == PaymentMethod::Card.code() {
        Some(card_payment(shop, order).await)
    } else {
        None
    };
    let online = (waiting && order.payment_method == PaymentMethod::Midtrans.code()).then(|| {
        super::midtrans::online_payment(latest.as_ref(), shop.payments.midtrans.is_some())
    });
    Ok(Some(BuyerOrder {
        view,
        card,
        online,
        payee,
    }))
}

/// How long an unpaid card or Midtrans order holds its stock: `PAYMENT_EXPIRY_HOURS` (1 to
/// 336, default 24), in seconds. A Midtrans charge expires with it (`custom_expiry`).
pub fn card_payment_hold_secs() -> i64 {
    std::env::var("PAYMENT_EXPIRY_HOURS")
        .ok()
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|h| (1..=24 * 14).contains(h))
        .unwrap_or(24)
        * 3600
}

/// Places the order, once per key: a repeated submit gets the order the first one placed.
/// The contact details are those the checkout saved on the cart.
pub async fn place_order(shop: Shop<'_>, request: PlaceOrder) -> Result<Placed, OrderProblem> {
    let expiry = match request.payment {
        PaymentMethod::BankTransfer => shop.settings.limits.transfer_hold_hours * 3600,
        PaymentMethod::Card | PaymentMethod::Midtrans => card_payment_hold_secs(),
    };
    let max_unpaid = shop.settings.limits.max_unpaid_per_product;
    let base_url = shop.base_url.to_string();
    let mail = shop.mail.clone();
    let bank = shop.settings.bank.clone();
    let placed = crate::db::blocking(shop.db, move |c| {
        Ok(place_in(
            c, &request, expiry, max_unpaid, &base_url, &mail, &bank,
        ))
    })
    .await;
    match placed {
        Ok(outcome) => outcome,
        Err(e) => Err(OrderProblem::Db(e.to_string())),
    }
}

fn place_in(
    conn: &mut DbConnection,
    request: &PlaceOrder,
    expiry: i64,
    max_unpaid: i32,
    base_url: &str,
    mail: &crate::services::mail::MailTemplates,
    bank: &BankAccount,
) -> Result<Placed, OrderProblem> {
    if let Some(placed) = order::by_idempotency_key(conn, request.key.as_str())? {
        return Ok(placed);
    }
    let contact: Option<Contact> =
        cart::checkout_json(conn, request.cart_id)?.and_then(|j| serde_json::from_str(&j).ok());
    let Some(contact) = contact else {
        return Err(OrderProblem::CartChanged);
    };
    order::place_order(
        conn,
        &order::OrderRequest {
            cart_id: request.cart_id,
            contact: &contact,
            choices: &request.choices,
            idempotency_key: request.key.as_str(),
            payment_expiry_secs: expiry,
            base_url,
            mail,
            expected_fingerprint: (!request.seen.is_empty()).then_some(request.seen.as_str()),
            payment: request.payment,
            max_unpaid_per_product: max_unpaid,
            bank,
        },
    )
}

/// The card payment of an unpaid order for its page: the Stripe PaymentIntent (made on the
/// first view and remembered), or why card payment cannot go on right now.
pub async fn card_payment(shop: Shop<'_>, order: &order::OrderRow) -> CardPayment {
    let Some(stripe) = shop.payments.stripe.clone() else {
        return CardPayment::UNAVAILABLE;
    };
    let order_id = order.id;
    let known = crate::db::blocking(shop.db, move |c| Ok(payment::of_order(c, order_id)?)).await;
    let existing = match known {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "reading a payment failed");
            return CardPayment::UNAVAILABLE;
        }
    };
    let (client_secret, failed) = match existing {
        Some(p) => (p.client_secret.unwrap_or_default(), p.last_error),
        None => {
            let charge = Charge {
                order_code: order.code.clone(),
                amount: order.total,
                ..Charge::default()
            };
            match stripe.start(&charge).await {
                Ok(Started::Intent {
                    reference,
                    client_secret,
                }) => {
                    let (amount, secret) = (order.total, client_secret.clone());
                    let saved = crate::db::blocking(shop.db, move |c| {
                        Ok(payment::record_intent(
                            c, order_id, &reference, amount, &secret,
                        )?)
                    })
                    .await;
                    if let Err(e) = saved {
                        tracing::error!(error = %e, "recording a payment failed");
                        return CardPayment::UNAVAILABLE;
                    }
                    (client_secret, None)
                }
                Ok(Started::Instructions | Started::Charged { .. }) => (String::new(), None),
                Err(e) => {
                    tracing::warn!(error = %e, order = %order.code, "starting a card payment failed");
                    return CardPayment::UNAVAILABLE;
                }
            }
        }
    };
    CardPayment::Ready {
        client_secret,
        publishable_key: stripe.publishable_key.clone(),
        js_url: stripe.js_url.clone(),
        failed,
    }
}
