//! The daily roll-ups and what is built on them: the public impact page (`/dampak`), the open
//! data (`/data/dampak.csv`, `/data/dampak.json`) and a unit's own sales on its page, checked
//! against figures worked out by hand from the orders and booth sales the tests make; the
//! product roll-ups (a product's day and year) against the order lines and booth sales.

use std::collections::BTreeMap;

use diesel::prelude::*;
use etalase::db::schema::{
    booth_sales, daily_product_sales, daily_unit_sales, order_items, orders, products, provinces,
    shipments, units, yearly_product_sales,
};
use etalase::domain::fair::{fair_day, SaleMethod};
use etalase::domain::{format_rupiah, RevenueSplit};
use etalase::models::booth_sale::{record_sale, SaleOutcome, SaleRequest};
use etalase::models::rollup::{self, DailyProductSales, DailyUnitSales, YearlyProductSales};

use crate::support::shop::{order_behind, place_order_as, two_products_of_two_units, CONTACT};
use crate::support::{self, Browser, Page, TestApp};

const ADMIN: &str = "admin.dampak@kemenimipas.go.id";

/// Today in WIB, as roll-ups write days.
fn today() -> String {
    etalase::domain::impact::day_text(fair_day(chrono::Utc::now()))
}

/// What a figure of a page says: the text of the element marked `data-figure="{key}"`.
fn figure(page: &Page, key: &str) -> Option<String> {
    let needle = format!("data-figure=\"{key}\">");
    let at = page.body.find(&needle)? + needle.len();
    let end = at + page.body[at..].find('<')?;
    Some(page.body[at..end].to_string())
}

/// A unit as the figures need it, found by one of its products, with that product's price.
struct UnitOf {
    id: i32,
    slug: String,
    kind: String,
    province_id: i32,
    iso: String,
    province_slug: String,
    province_name: String,
    split: RevenueSplit,
    price: i64,
}

fn unit_of(app: &TestApp, product_id: i32) -> UnitOf {
    type Row = (i64, i32, String, String, i32, i32, i32, i32);
    let (price, id, slug, kind, province_id, wage, pnbp, capital): Row = products::table
        .inner_join(units::table)
        .filter(products::id.eq(product_id))
        .select((
            products::price,
            units::id,
            units::slug,
            units::kind,
            units::province_id,
            units::split_wage_pct,
            units::split_pnbp_pct,
            units::split_capital_pct,
        ))
        .first(&mut *app.conn())
        .unwrap();
    let (iso, province_slug, province_name): (String, String, String) = provinces::table
        .find(province_id)
        .select((provinces::iso_code, provinces::slug, provinces::name))
        .first(&mut *app.conn())
        .unwrap();
    UnitOf {
        id,
        slug,
        kind,
        province_id,
        iso,
        province_slug,
        province_name,
        split: RevenueSplit::new(wage, pnbp, capital).unwrap(),
        price,
    }
}

/// The wage, PNBP and capital shares of amounts each split on its own (a parcel each, or a
/// day's booth takings), as the rounding rule says: shares rounded down, leftovers to capital.
fn shares(split: RevenueSplit, amounts: &[i64]) -> (i64, i64, i64) {
    amounts.iter().fold((0, 0, 0), |(w, p, c), amount| {
        let (wage, pnbp, capital) = split.apply(*amount);
        (w + wage, p + pnbp, c + capital)
    })
}

fn set_stock(app: &TestApp, product_id: i32, stock: i32) {
    diesel::update(products::table.find(product_id))
        .set(products::stock.eq(stock))
        .execute(&mut *app.conn())
        .unwrap();
}

/// A buyer with `email` orders `items` by bank transfer; an administrator confirms the
/// transfer when `pay`. Gives the order's id.
async fn order(app: &TestApp, email: &str, items: &[(i32, i32)], admin: i32, pay: bool) -> i32 {
    let contact = CONTACT.map(|(name, value)| {
        if name == "email" {
            (name, email)
        } else {
            (name, value)
        }
    });
    let mut buyer = Browser::new(app);
    let placed = place_order_as(&mut buyer, items, &contact, "transfer").await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order_id, _, _) = order_behind(app, &placed.location());
    if pay {
        let paid = etalase::models::order::confirm_payment(
            &mut app.conn(),
            order_id,
            admin,
            &app.url(""),
            &support::mail_templates(),
        )
        .unwrap();
        assert!(paid, "order {order_id} paid");
    }
    order_id
}

/// Booth sales of `product_id` at `fair` (event, unit) by `seller`, one per quantity.
fn sell_at_booth(
    app: &TestApp,
    fair: (i32, i32),
    seller: i32,
    product_id: i32,
    quantities: &[i32],
) {
    for (n, quantity) in quantities.iter().enumerate() {
        let recorded = record_sale(
            &mut app.conn(),
            &SaleRequest {
                event_id: fair.0,
                unit_id: fair.1,
                product_id,
                quantity: *quantity,
                method: if n % 2 == 0 {
                    SaleMethod::Cash
                } else {
                    SaleMethod::Qris
                },
                key: format!("dampak-{product_id}-{}-{n}", quantities.len()),
                actor_id: seller,
                sold_on: fair_day(chrono::Utc::now()),
            },
        );
        assert!(
            matches!(recorded, Ok(SaleOutcome::Recorded { .. })),
            "{recorded:?}"
        );
    }
}

fn stored_rows(app: &TestApp) -> Vec<DailyUnitSales> {
    daily_unit_sales::table
        .order((daily_unit_sales::day.asc(), daily_unit_sales::unit_id.asc()))
        .select(DailyUnitSales::as_select())
        .load(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_impact_page_the_open_data_and_the_unit_pages_add_up_the_paid_sales_of_the_day() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    set_stock(&app, a, 500);
    set_stock(&app, b, 500);
    let admin = support::create_account(&app, ADMIN, "admin", None, None);
    let day = today();

    // Unit A sells 2 + 1 + 1 pieces in three paid orders (two of them Siti's) and 10 pieces
    // in 7 booth sales: 10 sales. Unit B sells 1 + 3 pieces in two paid orders: 2 sales.
    // Dewi's order is paid and then refunded; Eko's is never paid.
    let siti = "siti.dampak@contoh.id";
    order(&app, siti, &[(a, 2), (b, 1)], admin, true).await;
    order(&app, "budi.dampak@contoh.id", &[(a, 1)], admin, true).await;
    order(&app, siti, &[(a, 1)], admin, true).await;
    order(&app, "rina.dampak@contoh.id", &[(b, 3)], admin, true).await;
    let refunded = order(&app, "dewi.dampak@contoh.id", &[(a, 4)], admin, true).await;
    order(&app, "eko.dampak@contoh.id", &[(a, 1)], admin, false).await;
    let fair = support::fair::live_fair_with_booth(&app, a);
    let cashier = support::create_account(
        &app,
        "kasir.dampak@lapas.go.id",
        "staff",
        Some(fair.1),
        None,
    );
    let booth = [1, 2, 1, 1, 3, 1, 1];
    sell_at_booth(&app, fair, cashier, a, &booth);

    let (ua, ub) = (unit_of(&app, a), unit_of(&app, b));
    assert_eq!(ua.id, fair.1);
    let (pa, pb) = (ua.price, ub.price);

    // Rolled up while Dewi's order still counts: her 4 pieces are in.
    assert_eq!(rollup::rollup_day(&mut app.conn(), &day).unwrap(), 2);
    let before: Vec<(i32, i32, i64)> = stored_rows(&app)
        .iter()
        .map(|r| (r.unit_id, r.orders, r.items))
        .collect();
    assert!(before.contains(&(ua.id, 4, 4 + 4 + 10)), "{before:?}");

    // The refund takes it out when the day is rolled up again.
    refund_by_transfer(&app, refunded, "BRI-550011").await;
    let status: String = orders::table
        .find(refunded)
        .select(orders::status)
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(status, "refunded");
    assert_eq!(rollup::rollup_day(&mut app.conn(), &day).unwrap(), 2);

    // The rows, worked out by hand.
    let (wage_a, pnbp_a, capital_a) = shares(ua.split, &[2 * pa, pa, pa, 10 * pa]);
    let (wage_b, pnbp_b, capital_b) = shares(ub.split, &[pb, 3 * pb]);
    let row_a = DailyUnitSales {
        day: day.clone(),
        unit_id: ua.id,
        province_id: ua.province_id,
        unit_kind: ua.kind.clone(),
        orders: 3,
        booth_sales: 7,
        items: 4 + 10,
        sales: 14 * pa,
        buyers: 2,
        wage: wage_a,
        pnbp: pnbp_a,
        capital: capital_a,
    };
    let row_b = DailyUnitSales {
        day: day.clone(),
        unit_id: ub.id,
        province_id: ub.province_id,
        unit_kind: ub.kind.clone(),
        orders: 2,
        booth_sales: 0,
        items: 4,
        sales: 4 * pb,
        buyers: 2,
        wage: wage_b,
        pnbp: pnbp_b,
        capital: capital_b,
    };
    let mut expected = vec![row_a, row_b];
    expected.sort_by_key(|r| r.unit_id);
    assert_eq!(stored_rows(&app), expected);
    let run = rollup::last_run(&mut app.conn())
        .unwrap()
        .expect("the run is recorded");
    assert!(run.last_day >= day, "{run:?}");

    // The impact page: since launch and this year alike (everything sold today).
    let page = app.get("/dampak").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<h1").count(), 1);
    let (sales, wage) = (14 * pa + 4 * pb, wage_a + wage_b);
    for period in ["launch", "year"] {
        let of = |key: &str| figure(&page, &format!("{period}-{key}"));
        assert_eq!(of("items").as_deref(), Some("18"), "{period}");
        assert_eq!(of("buyers").as_deref(), Some("4"), "{period}");
        assert_eq!(of("units").as_deref(), Some("2"), "{period}");
        assert_eq!(of("sales"), Some(format_rupiah(sales)), "{period}");
        assert_eq!(of("wage"), Some(format_rupiah(wage)), "{period}");
        assert_eq!(of("pnbp"), Some(format_rupiah(pnbp_a + pnbp_b)), "{period}");
        assert_eq!(
            of("capital"),
            Some(format_rupiah(capital_a + capital_b)),
            "{period}"
        );
    }
    assert!(page.body.contains("Diperbarui <time datetime=\""));
    assert!(page.body.contains("WIB</time>"));

    // By province: the table, the map's tooltips and the open data.
    struct ProvinceSum {
        slug: String,
        name: String,
        units: i64,
        items: i64,
        sales: i64,
        wage: i64,
        pnbp: i64,
    }
    let mut by_province: BTreeMap<String, ProvinceSum> = BTreeMap::new();
    for (unit, items, sales, wage, pnbp) in [
        (&ua, 14, 14 * pa, wage_a, pnbp_a),
        (&ub, 4, 4 * pb, wage_b, pnbp_b),
    ] {
        let sum = by_province
            .entry(unit.iso.clone())
            .or_insert_with(|| ProvinceSum {
                slug: unit.province_slug.clone(),
                name: unit.province_name.clone(),
                units: 0,
                items: 0,
                sales: 0,
                wage: 0,
                pnbp: 0,
            });
        sum.units += 1;
        sum.items += items;
        sum.sales += sales;
        sum.wage += wage;
        sum.pnbp += pnbp;
    }
    for p in by_province.values() {
        let at = page
            .body
            .find(&format!("<tr data-province=\"{}\">", p.slug))
            .unwrap_or_else(|| panic!("a row of {}", p.name));
        let row = &page.body[at..at + page.body[at..].find("</tr>").unwrap()];
        for cell in [
            p.units.to_string(),
            p.items.to_string(),
            format_rupiah(p.sales),
            format_rupiah(p.wage),
            format_rupiah(p.pnbp),
        ] {
            assert!(row.contains(&format!("<td>{cell}</td>")), "{cell} in {row}");
        }
        assert!(
            page.body.contains(&format!(
                "<title>{}: {} barang terjual, {}</title>",
                p.name,
                p.items,
                format_rupiah(p.sales)
            )),
            "the map's square of {}",
            p.name
        );
    }

    let month = &day[..7];
    let csv = app.get("/data/dampak.csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv
        .header("link")
        .unwrap()
        .contains("creativecommons.org/licenses/by/4.0"));
    let mut lines = vec![
        "bulan,kode_provinsi,provinsi,unit,barang_terjual,penjualan,bagian_upah,bagian_pnbp"
            .to_string(),
    ];
    let mut json_rows = Vec::new();
    for (iso, p) in &by_province {
        lines.push(format!(
            "{month},{iso},{},{},{},{},{},{}",
            p.name, p.units, p.items, p.sales, p.wage, p.pnbp
        ));
        json_rows.push(serde_json::json!({
            "bulan": month, "kode_provinsi": iso, "provinsi": p.name, "unit": p.units,
            "barang_terjual": p.items, "penjualan": p.sales, "bagian_upah": p.wage,
            "bagian_pnbp": p.pnbp,
        }));
    }
    assert_eq!(csv.body.lines().collect::<Vec<_>>(), lines);

    let json = app.get("/data/dampak.json").await;
    assert_eq!(json.status, 200);
    assert!(json
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let data: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(data["license"], "CC BY 4.0");
    assert_eq!(data["currency"], "IDR");
    assert!(data["updated_at"].as_str().unwrap().ends_with("+07:00"));
    assert_eq!(data["rows"], serde_json::Value::Array(json_rows));

    // A unit's page: its own count, and its wage share once it has 10 sales.
    let page_a = app.get(&format!("/unit/{}", ua.slug)).await;
    assert_eq!(figure(&page_a, "unit-sold").as_deref(), Some("14"));
    assert_eq!(figure(&page_a, "unit-wage"), Some(format_rupiah(wage_a)));
    let page_b = app.get(&format!("/unit/{}", ub.slug)).await;
    assert_eq!(figure(&page_b, "unit-sold").as_deref(), Some("4"));
    assert_eq!(
        figure(&page_b, "unit-wage"),
        None,
        "2 sales: no money figure"
    );

    // The English page says the same.
    let english = app.get("/en/dampak").await;
    assert_eq!(english.status, 200);
    assert!(english.body.contains("<html lang=\"en\">"));
    assert!(english.body.contains("Impact of sales"));
    assert_eq!(figure(&english, "launch-wage"), Some(format_rupiah(wage)));

    // Rolling the day up again changes nothing.
    let csv_before = csv.body.clone();
    assert_eq!(rollup::rollup_day(&mut app.conn(), &day).unwrap(), 2);
    assert_eq!(
        rollup::rollup_since(&mut app.conn(), &day, &day).unwrap(),
        2
    );
    assert_eq!(stored_rows(&app), expected);
    assert_eq!(app.get("/data/dampak.csv").await.body, csv_before);
}

#[actix_web::test]
async fn a_unit_shows_how_many_pieces_it_sold_but_its_wage_share_only_from_its_tenth_sale() {
    let app = TestApp::spawn().await;
    let [(a, _, _), _] = two_products_of_two_units(&app);
    set_stock(&app, a, 100);
    let fair = support::fair::live_fair_with_booth(&app, a);
    let cashier =
        support::create_account(&app, "kasir.premi@lapas.go.id", "staff", Some(fair.1), None);
    let unit = unit_of(&app, a);
    let path = format!("/unit/{}", unit.slug);
    let day = today();

    let page = app.get(&path).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        figure(&page, "unit-sold"),
        None,
        "nothing sold, nothing said"
    );

    sell_at_booth(&app, fair, cashier, a, &[1; 9]);
    rollup::rollup_day(&mut app.conn(), &day).unwrap();
    let page = app.get(&path).await;
    assert_eq!(figure(&page, "unit-sold").as_deref(), Some("9"));
    assert_eq!(figure(&page, "unit-wage"), None, "9 sales: no money figure");
    assert!(!page.body.contains("Bagian upah"));

    // The tenth sale (two pieces) shows the wage share of all eleven pieces.
    sell_at_booth(&app, fair, cashier, a, &[2]);
    rollup::rollup_day(&mut app.conn(), &day).unwrap();
    let (wage, _, _) = unit.split.apply(11 * unit.price);
    let page = app.get(&path).await;
    assert_eq!(figure(&page, "unit-sold").as_deref(), Some("11"));
    assert_eq!(figure(&page, "unit-wage"), Some(format_rupiah(wage)));
    let english = app.get(&format!("/en{path}")).await;
    assert!(english.body.contains("Wage share (premi)"));
    assert_eq!(figure(&english, "unit-wage"), Some(format_rupiah(wage)));
}

#[actix_web::test]
async fn before_the_first_sale_the_impact_page_and_the_open_data_answer_with_nothing_sold() {
    let app = TestApp::spawn().await;
    let page = app.get("/dampak").await;
    assert_eq!(page.status, 200);
    assert_eq!(figure(&page, "launch-items").as_deref(), Some("0"));
    assert_eq!(figure(&page, "launch-wage").as_deref(), Some("Rp0"));
    assert!(page.body.contains("Belum ada penjualan"));
    let main = &page.body[..page.body.find("<footer").unwrap()].to_lowercase();
    assert!(
        !main.contains("warga binaan") && !main.contains("wbp"),
        "the page speaks of workshops and units, never of their people"
    );

    let english = app.get("/en/dampak").await;
    assert_eq!(english.status, 200);
    assert!(english.body.contains("No sales yet"));
    let canonical = format!(
        "<link rel=\"canonical\" href=\"{}/en/dampak\">",
        app.address
    );
    assert!(english.body.contains(&canonical));

    let csv = app.get("/data/dampak.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.body,
        "bulan,kode_provinsi,provinsi,unit,barang_terjual,penjualan,bagian_upah,bagian_pnbp\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/data/dampak.json").await.body).unwrap();
    assert_eq!(json["license"], "CC BY 4.0");
    assert_eq!(json["rows"], serde_json::json!([]));

    // The home page and every footer lead to it; the sitemap lists it.
    let home = app.get("/").await;
    assert!(home.links_under("/dampak").contains(&"/dampak".to_string()));
    let en_home = app.get("/en").await;
    assert!(en_home
        .links_under("/en/dampak")
        .contains(&"/en/dampak".to_string()));
    let sitemap = app.get("/sitemap/halaman.xml").await;
    assert!(sitemap.body.contains("/dampak</loc>"));
}

#[actix_web::test]
async fn the_rolled_up_days_add_up_to_every_counted_order_of_the_benchmark_generator() {
    let app = TestApp::spawn().await;
    let report = etalase::seed::seed_orders(
        &mut app.conn(),
        &etalase::seed::BulkOrders {
            lines: 600,
            days: 40,
            seed: 5,
        },
    )
    .unwrap();
    assert!(report.lines >= 600 && report.orders >= 200, "{report:?}");
    let first = rollup::first_sale_day(&mut app.conn())
        .unwrap()
        .expect("a first sale");
    let (first, last) = (etalase::domain::impact::day_text(first), today());
    assert!(first < last, "{first} is before {last}");
    rollup::rollup_since(&mut app.conn(), &first, &last).unwrap();

    // Every order the generator made that still counts (not refunded), summed straight from
    // the orders, against the sums of the roll-ups over all days.
    let counted = ["paid", "processing", "shipped", "delivered"];
    let parcels: Vec<(i64, i64, i64, i64)> = shipments::table
        .inner_join(orders::table)
        .filter(orders::status.eq_any(counted))
        .select((
            shipments::items_total,
            shipments::share_wage,
            shipments::share_pnbp,
            shipments::share_capital,
        ))
        .load(&mut *app.conn())
        .unwrap();
    let pieces: Vec<i32> = order_items::table
        .inner_join(shipments::table.inner_join(orders::table))
        .filter(orders::status.eq_any(counted))
        .select(order_items::quantity)
        .load(&mut *app.conn())
        .unwrap();
    let refunded: i64 = orders::table
        .filter(orders::status.eq("refunded"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert!(refunded > 0, "some orders were refunded");
    let rows = stored_rows(&app);
    assert!(rows.iter().all(|r| r.day >= first && r.day <= last));
    assert!(rows.iter().all(|r| r.booth_sales == 0));
    let sum = |f: fn(&DailyUnitSales) -> i64| rows.iter().map(f).sum::<i64>();
    assert_eq!(sum(|r| i64::from(r.orders)), parcels.len() as i64);
    assert_eq!(
        sum(|r| r.items),
        pieces.iter().map(|q| i64::from(*q)).sum::<i64>()
    );
    assert_eq!(sum(|r| r.sales), parcels.iter().map(|p| p.0).sum::<i64>());
    assert_eq!(sum(|r| r.wage), parcels.iter().map(|p| p.1).sum::<i64>());
    assert_eq!(sum(|r| r.pnbp), parcels.iter().map(|p| p.2).sum::<i64>());
    assert_eq!(sum(|r| r.capital), parcels.iter().map(|p| p.3).sum::<i64>());
}

fn stored_product_days(app: &TestApp) -> Vec<DailyProductSales> {
    daily_product_sales::table
        .order((
            daily_product_sales::day.asc(),
            daily_product_sales::product_id.asc(),
        ))
        .select(DailyProductSales::as_select())
        .load(&mut *app.conn())
        .unwrap()
}

fn stored_product_years(app: &TestApp) -> Vec<YearlyProductSales> {
    yearly_product_sales::table
        .order((
            yearly_product_sales::year.asc(),
            yearly_product_sales::product_id.asc(),
        ))
        .select(YearlyProductSales::as_select())
        .load(&mut *app.conn())
        .unwrap()
}

/// An administrator refunds bank-transfer order `order` with the transfer back's reference.
async fn refund_by_transfer(app: &TestApp, order: i32, reference: &str) {
    let mut finance = Browser::new(app);
    finance.sign_in(ADMIN, support::PASSWORD).await;
    let token = finance.csrf("/kelola/pembayaran").await;
    let done = finance
        .post(
            &format!("/kelola/pembayaran/{order}/kembalikan"),
            &[("csrf_token", &token), ("referensi", reference)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
}

/// Pieces and rupiah per product of `day` (WIB) as the order lines of the orders that still
/// count and the booth sales say, straight from them.
fn sold_by_hand(app: &TestApp, day: &str) -> BTreeMap<i32, (i64, i64)> {
    let date = etalase::domain::impact::parse_day(day).unwrap();
    let (start, end) = etalase::domain::impact::wib_day_span(date);
    let lines = support::counted_lines(app, start, end);
    let booth: Vec<(i32, i32, i64)> = booth_sales::table
        .filter(booth_sales::sold_on.eq(day))
        .select((
            booth_sales::product_id,
            booth_sales::quantity,
            booth_sales::total,
        ))
        .load(&mut *app.conn())
        .unwrap();
    let mut sold: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
    for (product, quantity, price) in lines {
        let sum = sold.entry(product).or_default();
        sum.0 += i64::from(quantity);
        sum.1 += i64::from(quantity) * price;
    }
    for (product, quantity, total) in booth {
        let sum = sold.entry(product).or_default();
        sum.0 += i64::from(quantity);
        sum.1 += total;
    }
    sold
}

#[actix_web::test]
async fn a_products_day_counts_paid_lines_and_booth_sales_but_not_refunded_or_unpaid_orders() {
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = two_products_of_two_units(&app);
    set_stock(&app, a, 500);
    set_stock(&app, b, 500);
    let admin = support::create_account(&app, ADMIN, "admin", None, None);
    let day = today();

    // A: 2 pieces paid, 5 paid then refunded, 7 never paid, 1 + 2 at a booth. B: 1 + 3 paid.
    order(
        &app,
        "sari.produk@contoh.id",
        &[(a, 2), (b, 1)],
        admin,
        true,
    )
    .await;
    order(&app, "tono.produk@contoh.id", &[(b, 3)], admin, true).await;
    let refunded = order(&app, "wati.produk@contoh.id", &[(a, 5)], admin, true).await;
    order(&app, "yudi.produk@contoh.id", &[(a, 7)], admin, false).await;
    let fair = support::fair::live_fair_with_booth(&app, a);
    let cashier = support::create_account(
        &app,
        "kasir.produk@lapas.go.id",
        "staff",
        Some(fair.1),
        None,
    );
    sell_at_booth(&app, fair, cashier, a, &[1, 2]);
    let (ua, ub) = (unit_of(&app, a), unit_of(&app, b));
    let row = |unit: &UnitOf, product_id: i32, items: i64| DailyProductSales {
        day: day.clone(),
        product_id,
        unit_id: unit.id,
        province_id: unit.province_id,
        unit_kind: unit.kind.clone(),
        items,
        sales: items * unit.price,
    };
    let by_product = |rows: Vec<DailyProductSales>| {
        let mut rows = rows;
        rows.sort_by_key(|r| r.product_id);
        rows
    };

    // Rolled up while Wati's order still counts: her 5 pieces are in.
    rollup::rollup_day(&mut app.conn(), &day).unwrap();
    assert_eq!(
        stored_product_days(&app),
        by_product(vec![row(&ua, a, 2 + 5 + 3), row(&ub, b, 4)])
    );

    // The refund takes them out when the day is rolled up again; the year follows.
    refund_by_transfer(&app, refunded, "BRI-550012").await;
    rollup::rollup_day(&mut app.conn(), &day).unwrap();
    let expected = by_product(vec![row(&ua, a, 2 + 3), row(&ub, b, 4)]);
    assert_eq!(stored_product_days(&app), expected);

    // What the order lines and the booth sales say, counted straight from them.
    let by_hand: BTreeMap<i32, (i64, i64)> = expected
        .iter()
        .map(|r| (r.product_id, (r.items, r.sales)))
        .collect();
    assert_eq!(sold_by_hand(&app, &day), by_hand);

    // Everything sold today: the year's rows are the day's.
    let year: i32 = day[..4].parse().unwrap();
    let years: Vec<YearlyProductSales> = expected
        .iter()
        .map(|r| YearlyProductSales {
            year,
            product_id: r.product_id,
            unit_id: r.unit_id,
            province_id: r.province_id,
            unit_kind: r.unit_kind.clone(),
            items: r.items,
            sales: r.sales,
        })
        .collect();
    assert_eq!(stored_product_years(&app), years);

    // Rolling the day up again, alone or as a range, changes nothing.
    rollup::rollup_day(&mut app.conn(), &day).unwrap();
    rollup::rollup_since(&mut app.conn(), &day, &day).unwrap();
    assert_eq!(stored_product_days(&app), expected);
    assert_eq!(stored_product_years(&app), years);
}

#[actix_web::test]
async fn rolling_up_an_earlier_day_again_records_the_run_but_keeps_the_latest_day_covered() {
    // Without the jobs, whose roll-up would record today meanwhile.
    let app = TestApp::spawn_web_only().await;
    let conn = &mut *app.conn();
    let mut roll_up = |day: &str| {
        rollup::rollup_day(conn, day).unwrap();
        rollup::last_run(conn)
            .unwrap()
            .expect("the run is recorded")
    };
    let first = roll_up("2026-03-10");
    assert_eq!(first.last_day, "2026-03-10");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again = roll_up("2026-03-02");
    assert_eq!(
        again.last_day, "2026-03-10",
        "an earlier day never moves it back"
    );
    assert!(again.updated_at > first.updated_at, "{first:?}, {again:?}");
    assert_eq!(
        roll_up("2026-03-11").last_day,
        "2026-03-11",
        "a later day moves it on"
    );
}
