//! Guest carts: a random token in a cookie names a cart row; items reference products.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{cart_items, carts, product_photos, products, provinces, units};
use crate::db::DbConnection;
use crate::domain::{CartToken, Quantity, Secret};

/// The cart of a token, created when `create` is set and it does not exist yet.
pub fn cart_id(
    conn: &mut DbConnection,
    token: &CartToken,
    create: bool,
) -> QueryResult<Option<i32>> {
    let token = token.as_str();
    let found: Option<i32> = carts::table
        .filter(carts::token.eq(token))
        .select(carts::id)
        .first(conn)
        .optional()?;
    if found.is_some() || !create {
        return Ok(found);
    }
    let now = crate::models::now_ts();
    diesel::insert_into(carts::table)
        .values((
            carts::token.eq(token),
            carts::created_at.eq(now),
            carts::updated_at.eq(now),
        ))
        .execute(conn)?;
    carts::table
        .filter(carts::token.eq(token))
        .select(carts::id)
        .first(conn)
        .optional()
}

/// The cart named by the visitor's cookie when it exists; otherwise a new cart under a token
/// made here (a token the client chose is never adopted). Gives (cart id, token, new).
pub fn open_or_create(
    conn: &mut DbConnection,
    known: Option<&CartToken>,
) -> QueryResult<(i32, CartToken, bool)> {
    if let Some(token) = known {
        if let Some(id) = cart_id(conn, token, false)? {
            return Ok((id, token.clone(), false));
        }
    }
    let token: CartToken = crate::models::fresh();
    let id = cart_id(conn, &token, true)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((id, token, true))
}

/// Deletes carts untouched since `before` (unix seconds), with their lines; gives how many.
pub fn purge_idle(conn: &mut DbConnection, before: i64) -> QueryResult<usize> {
    crate::db::write_transaction(conn, |conn| {
        // Two workers purging at once (the daily job of two instances) take turns.
        crate::db::dialect::wait_job_lock(conn, crate::db::dialect::Job::CartPurge)?;
        let idle = carts::table
            .filter(carts::updated_at.lt(before))
            .select(carts::id);
        diesel::delete(cart_items::table.filter(cart_items::cart_id.eq_any(idle))).execute(conn)?;
        diesel::delete(carts::table.filter(carts::updated_at.lt(before))).execute(conn)
    })
}

/// Why a quantity was not taken as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartRefusal {
    NotForSale,
    OutOfStock,
    /// Only this many are in stock; the cart holds that many now.
    Capped(i32),
    /// The product lacks a legal document its kind needs (`models::legal`): shown in the
    /// shop, not for sale until a reviewer verified one.
    AwaitingLegal,
}

/// Sets the quantity of a product in the cart (0 removes it). Quantities above the stock are
/// lowered to the stock; a product waiting for its legal documents is refused (and taken out
/// of the cart if it was in).
pub fn set_quantity(
    conn: &mut DbConnection,
    cart_id: i32,
    product_id: i32,
    quantity: Quantity,
    add: bool,
) -> QueryResult<Result<i32, CartRefusal>> {
    let quantity = quantity.get();
    // A write transaction from its first statement: adding to carts while others check out
    // must wait for the lock, not fail.
    crate::db::write_transaction(conn, |conn| {
        let product: Option<(String, i32, i32)> = products::table
            .inner_join(units::table)
            .filter(products::id.eq(product_id))
            .select((products::status, products::stock, units::active))
            .first(conn)
            .optional()?;
        let current: i32 = cart_items::table
            .filter(cart_items::cart_id.eq(cart_id))
            .filter(cart_items::product_id.eq(product_id))
            .select(cart_items::quantity)
            .first(conn)
            .optional()?
            .unwrap_or(0);
        let wanted = if add { current + quantity } else { quantity };
        let remove = |conn: &mut DbConnection| {
            diesel::delete(
                cart_items::table
                    .filter(cart_items::cart_id.eq(cart_id))
                    .filter(cart_items::product_id.eq(product_id)),
            )
            .execute(conn)
        };
        // A product of a unit switched off is not for sale either.
        let Some((status, stock, _)) = product.filter(|(s, _, active)| {
            s == crate::domain::ProductStatus::Published.code() && *active == 1
        }) else {
            remove(conn)?;
            return Ok(Err(CartRefusal::NotForSale));
        };
        let _ = status;
        if wanted <= 0 {
            remove(conn)?;
            return Ok(Ok(0));
        }
        let today = crate::models::today_iso();
        if !crate::models::legal::missing_documents(conn, &[product_id], &today)?.is_empty() {
            remove(conn)?;
            return Ok(Err(CartRefusal::AwaitingLegal));
        }
        if stock <= 0 {
            remove(conn)?;
            return Ok(Err(CartRefusal::OutOfStock));
        }
        let kept = wanted.min(stock);
        if current == 0 {
            diesel::insert_into(cart_items::table)
                .values((
                    cart_items::cart_id.eq(cart_id),
                    cart_items::product_id.eq(product_id),
                    cart_items::quantity.eq(kept),
                    cart_items::added_at.eq(crate::models::now_ts()),
                ))
                .execute(conn)?;
        } else {
            diesel::update(
                cart_items::table
                    .filter(cart_items::cart_id.eq(cart_id))
                    .filter(cart_items::product_id.eq(product_id)),
            )
            .set(cart_items::quantity.eq(kept))
            .execute(conn)?;
        }
        diesel::update(carts::table.find(cart_id))
            .set(carts::updated_at.eq(crate::models::now_ts()))
            .execute(conn)?;
        Ok(if kept < wanted {
            Err(CartRefusal::Capped(kept))
        } else {
            Ok(kept)
        })
    })
}

/// A cart line with what the cart page and checkout need.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct CartLine {
    pub product_id: i32,
    pub slug: String,
    pub name: String,
    pub price: i64,
    pub stock: i32,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::ProductStatus,
    pub weight_g: i32,
    pub length_cm: i32,
    pub width_cm: i32,
    pub height_cm: i32,
    pub quantity: i32,
    pub unit_id: i32,
    pub unit_name: String,
    pub unit_brand: String,
    pub origin_island: String,
    /// 1, or 0 when the unit is switched off: its products cannot be bought.
    pub unit_active: i32,
}

impl CartLine {
    /// Why this line cannot be bought as it stands (a message key), if it cannot.
    pub fn problem(&self) -> Option<&'static str> {
        if self.status != crate::domain::ProductStatus::Published || self.unit_active != 1 {
            Some("cart-not-for-sale")
        } else if self.stock <= 0 {
            Some("cart-sold-out")
        } else if self.stock < self.quantity {
            Some("cart-stock-low")
        } else {
            None
        }
    }

    /// Price × quantity, in rupiah.
    pub fn line_total(&self) -> i64 {
        self.price * i64::from(self.quantity)
    }

    /// Whether this line can be bought as it stands.
    pub fn buyable(&self) -> bool {
        self.status == crate::domain::ProductStatus::Published
            && self.unit_active == 1
            && self.stock >= self.quantity
            && self.quantity > 0
    }
}

pub fn lines(conn: &mut DbConnection, cart_id: i32) -> QueryResult<Vec<CartLine>> {
    cart_items::table
        .inner_join(products::table.inner_join(units::table.inner_join(provinces::table)))
        .filter(cart_items::cart_id.eq(cart_id))
        .order((units::id.asc(), cart_items::id.asc()))
        .select((
            products::id,
            products::slug,
            products::name,
            products::price,
            products::stock,
            products::status,
            products::weight_g,
            products::length_cm,
            products::width_cm,
            products::height_cm,
            cart_items::quantity,
            units::id,
            units::name,
            units::brand_name,
            provinces::island_group,
            units::active,
        ))
        .load(conn)
}

/// The cover photo (the first, at position 0) of each of `product_ids` that has one, in one
/// query for all the lines of a cart.
pub fn cover_photos(
    conn: &mut DbConnection,
    product_ids: &[i32],
) -> QueryResult<Vec<crate::models::product::Photo>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    product_photos::table
        .filter(product_photos::product_id.eq_any(product_ids))
        .filter(product_photos::position.eq(0))
        .select(crate::models::product::Photo::as_select())
        .load(conn)
}

/// Takes products `product_ids` out of cart `cart_id`; gives how many lines went.
pub fn remove_products(
    conn: &mut DbConnection,
    cart_id: i32,
    product_ids: &[i32],
) -> QueryResult<usize> {
    diesel::delete(
        cart_items::table
            .filter(cart_items::cart_id.eq(cart_id))
            .filter(cart_items::product_id.eq_any(product_ids)),
    )
    .execute(conn)
}

/// The pieces in cart `cart_id` (the header badge's number).
pub fn item_count(conn: &mut DbConnection, cart_id: i32) -> QueryResult<i64> {
    let total: Option<i64> = cart_items::table
        .filter(cart_items::cart_id.eq(cart_id))
        .select(diesel::dsl::sum(cart_items::quantity))
        .first(conn)?;
    Ok(total.unwrap_or(0))
}

pub fn save_checkout(conn: &mut DbConnection, cart_id: i32, json: &str) -> QueryResult<()> {
    diesel::update(carts::table.find(cart_id))
        .set(carts::checkout_json.eq(Some(json)))
        .execute(conn)
        .map(drop)
}

pub fn checkout_json(conn: &mut DbConnection, cart_id: i32) -> QueryResult<Option<String>> {
    carts::table
        .find(cart_id)
        .select(carts::checkout_json)
        .first(conn)
}

/// What the buyer was shown: products, prices and quantities. Placing an order with a
/// different fingerprint is refused (a price changed in between).
pub fn fingerprint(lines: &[CartLine]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for l in lines {
        hasher.update(format!("{}:{}:{};", l.product_id, l.price, l.quantity));
    }
    crate::domain::to_hex(&hasher.finalize()[..12])
}
