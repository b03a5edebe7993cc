//! Shared steps of the shop journeys: a cart with products of two units, the checkout form.

use diesel::prelude::*;
use etalase::db::schema::products;

use super::{Browser, TestApp};

/// Two published, in-stock products of two different units: (id, slug, stock).
pub fn two_products_of_two_units(app: &TestApp) -> [(i32, String, i32); 2] {
    let rows: Vec<(i32, String, i32, i32)> = products::table
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(3))
        .select((
            products::id,
            products::slug,
            products::stock,
            products::unit_id,
        ))
        .order(products::id.asc())
        .load(&mut *app.conn())
        .unwrap();
    let first = rows[0].clone();
    let second = rows.iter().find(|r| r.3 != first.3).unwrap().clone();
    [(first.0, first.1, first.2), (second.0, second.1, second.2)]
}

pub async fn fill_cart(buyer: &mut Browser<'_>, items: &[(i32, i32)]) {
    for (id, q) in items {
        let page = buyer
            .post(
                "/keranjang",
                &[
                    ("product_id", &id.to_string()),
                    ("quantity", &q.to_string()),
                ],
            )
            .await;
        assert!(
            page.location().contains("cart-added"),
            "{}",
            page.location()
        );
    }
}

pub const CONTACT: [(&str, &str); 8] = [
    ("name", "Siti Rahmawati"),
    ("email", "siti@contoh.id"),
    ("phone", "0812-3456-7890"),
    ("province_id", "11"),
    ("city", "Kota Bandung"),
    ("district", "Coblong"),
    ("postal_code", "40132"),
    ("address", "Jl. Ganesha No. 10, RT 01/RW 02"),
];

/// Goes through checkout to the shipping step; returns the form's idempotency key (with the
/// cart fingerprint, as `key&isi=…` is awkward: the key field carries both, see `place`).
pub async fn to_shipping_step(buyer: &mut Browser<'_>) -> (String, Vec<String>) {
    to_shipping_step_as(buyer, &CONTACT).await
}

/// `to_shipping_step` with other contact details.
pub async fn to_shipping_step_as(
    buyer: &mut Browser<'_>,
    contact: &[(&str, &str)],
) -> (String, Vec<String>) {
    let saved = buyer.post("/checkout", contact).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = buyer.get("/checkout/kirim").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let key_at = page.body.find("name=\"kunci\" value=\"").unwrap() + 20;
    let key: String = page.body[key_at..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    let radios: Vec<String> = page
        .attr_values("name")
        .into_iter()
        .filter(|n| n.starts_with("kirim_"))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    (key, radios)
}

pub fn stock_of(app: &TestApp, id: i32) -> i32 {
    products::table
        .find(id)
        .select(products::stock)
        .first(&mut *app.conn())
        .unwrap()
}

/// Fills the cart with `items`, goes through checkout and places the order by bank transfer,
/// JNE REG for every unit; gives the answer to the placing POST.
pub async fn place_order(buyer: &mut Browser<'_>, items: &[(i32, i32)]) -> super::Page {
    place_order_as(buyer, items, &CONTACT, "transfer").await
}

/// `place_order` with other contact details and payment (`bayar`: `transfer` or `kartu`).
pub async fn place_order_as(
    buyer: &mut Browser<'_>,
    items: &[(i32, i32)],
    contact: &[(&str, &str)],
    bayar: &str,
) -> super::Page {
    fill_cart(buyer, items).await;
    let (key, radios) = to_shipping_step_as(buyer, contact).await;
    let mut fields: Vec<(&str, &str)> = vec![("kunci", &key), ("bayar", bayar)];
    for r in &radios {
        fields.push((r.as_str(), "jne-reg"));
    }
    buyer.post("/checkout/kirim", &fields).await
}

/// The order behind a buyer's order page (`/pesanan/{secret}`): (id, total, shipment ids in
/// order).
pub fn order_behind(app: &TestApp, order_path: &str) -> (i32, i64, Vec<i32>) {
    use etalase::db::schema::{orders, shipments};
    let secret = order_path.trim_start_matches("/pesanan/");
    let (id, total): (i32, i64) = orders::table
        .filter(orders::secret.eq(secret))
        .select((orders::id, orders::total))
        .first(&mut *app.conn())
        .unwrap();
    let parcels: Vec<i32> = shipments::table
        .filter(shipments::order_id.eq(id))
        .order(shipments::id.asc())
        .select(shipments::id)
        .load(&mut *app.conn())
        .unwrap();
    (id, total, parcels)
}

/// An administrator confirms the bank transfer of an order at `/kelola/pembayaran`.
pub async fn confirm_transfer(app: &TestApp, order_id: i32, total: i64) {
    let email = format!("admin-{order_id}@kemenimipas.go.id");
    super::create_account(app, &email, "admin", None, None);
    let mut admin = Browser::new(app);
    admin.sign_in(&email, super::PASSWORD).await;
    let token = admin.csrf("/kelola/pembayaran").await;
    let amount = etalase::views::cards::format_price(total);
    let done = admin
        .post(
            &format!("/kelola/pembayaran/{order_id}/lunas"),
            &[("csrf_token", &token), ("jumlah", &amount)],
        )
        .await;
    assert_eq!(done.status, 303);
}

/// Staff of the shipment's unit send it at `/kelola/pesanan` with a tracking number.
pub async fn ship_from_unit(app: &TestApp, shipment_id: i32, tracking: &str) {
    use etalase::db::schema::shipments;
    let unit: i32 = shipments::table
        .find(shipment_id)
        .select(shipments::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let email = format!("kirim-{shipment_id}@lapas.go.id");
    super::create_account(app, &email, "staff", Some(unit), None);
    let mut staff = Browser::new(app);
    staff.sign_in(&email, super::PASSWORD).await;
    let token = staff.csrf("/kelola/pesanan").await;
    let done = staff
        .post(
            &format!("/kelola/kiriman/{shipment_id}/kirim"),
            &[("csrf_token", &token), ("tracking", tracking)],
        )
        .await;
    assert_eq!(done.status, 303);
}

/// Renames product `id` through the model, as staff editing its listing would.
pub fn rename_product(app: &TestApp, id: i32, name: &str) {
    use etalase::models::product::{update_product, ProductEdit};
    update_product(
        &mut app.conn(),
        id,
        &ProductEdit {
            name: Some(name.into()),
            ..ProductEdit::default()
        },
    )
    .unwrap();
}
