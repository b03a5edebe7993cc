//! The guest cart and checkout.

mod support;

use diesel::prelude::*;
use etalase::db::schema::products;
use support::{Browser, TestApp};

/// Two published, in-stock products of two different units: (id, slug, stock).
fn two_products_of_two_units(app: &TestApp) -> [(i32, String, i32); 2] {
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

#[actix_web::test]
async fn a_guest_cart_holds_products_of_several_units_within_their_stock() {
    let app = TestApp::spawn().await;
    let [(a, slug_a, stock_a), (b, _, _)] = two_products_of_two_units(&app);
    let mut buyer = Browser::new(&app);
    let page = buyer.get(&format!("/produk/{slug_a}")).await;
    assert!(
        page.body.contains("action=\"/keranjang\""),
        "an add-to-cart form"
    );
    let added = buyer
        .post(
            "/keranjang",
            &[("product_id", &a.to_string()), ("quantity", "2")],
        )
        .await;
    assert_eq!(added.status, 303);
    assert!(added
        .header("set-cookie")
        .unwrap()
        .contains("etalase_keranjang="));
    buyer
        .post(
            "/keranjang",
            &[("product_id", &b.to_string()), ("quantity", "1")],
        )
        .await;
    let cart = buyer.get("/keranjang").await;
    assert_eq!(cart.status, 200);
    assert_eq!(
        cart.body.matches("class=\"box cart-group\"").count(),
        2,
        "one group per unit"
    );
    assert!(cart.body.contains("/checkout"));

    let too_many = buyer
        .post(
            "/keranjang/ubah",
            &[
                ("product_id", &a.to_string()),
                ("quantity", &(stock_a + 50).to_string()),
            ],
        )
        .await;
    assert!(too_many.location().contains("cart-capped"));
    let cart = buyer.get(&too_many.location()).await;
    assert!(cart.body.contains("jumlah di keranjang disesuaikan"));
    assert!(cart.body.contains(&format!("value=\"{stock_a}\"")));

    for bad in ["abc", "-1", "99999999999", ""] {
        let page = buyer
            .post(
                "/keranjang",
                &[("product_id", &a.to_string()), ("quantity", bad)],
            )
            .await;
        assert!(page.location().contains("cart-bad-quantity"), "{bad:?}");
    }
    let page = buyer.get("/keranjang?pesan=cart-bad-quantity").await;
    assert!(page.body.contains("Jumlah harus berupa bilangan bulat"));

    // A product taken off the shop while in the cart is flagged and not counted.
    diesel::update(products::table.find(b))
        .set(products::status.eq("archived"))
        .execute(&mut *app.conn())
        .unwrap();
    let cart = buyer.get("/keranjang").await;
    assert!(cart.body.contains("tidak dijual lagi"));
    // And a fresh visitor has an empty cart.
    let empty = app.get("/keranjang").await;
    assert!(empty.body.contains("Keranjang Anda masih kosong"));
}
