//! Oversight (`/kelola/pantau`): national and regional observers and the administrators read
//! the programme's figures for a period, a province and a kind of unit, and download each
//! table as CSV. A shop with three units in two provinces, known products, documents, review
//! decisions, daily roll-up rows and booth sales: every figure checked against a hand count;
//! a regional observer sees its province only, whatever it asks, and can change nothing. The
//! per-unit snapshot the dashboard reads matches the live count and moves only when refreshed;
//! the best-selling products ranked from the product roll-ups are those the order lines say.

use crate::support;

use std::collections::BTreeMap;

use diesel::prelude::*;
use etalase::db::schema::{
    audit_log, booth_sales, booths, categories, certifications, daily_unit_sales, events, products,
    provinces, units, users,
};
use etalase::db::DbConnection;
use etalase::domain::oversight::OversightFilter;
use etalase::jobs::Role;
use etalase::models::certification::{insert_certifications, NewCertification};
use etalase::models::oversight::{self as figures, UnitOversight};
use etalase::models::product::{insert_photos, insert_products, NewPhoto, NewProduct};
use etalase::models::unit::{insert_unit, NewUnit};
use support::{create_account, Browser, Page, TestApp, PASSWORD};

const NATIONAL: &str = "pemantau.nasional@kemenimipas.go.id";
const REGIONAL: &str = "pemantau.kanwil@kemenimipas.go.id";
const ADMIN: &str = "admin.pantau@kemenimipas.go.id";
/// The period every figure below is counted in: the year 2020.
const YEAR: &str = "dari=2020-01-01&sampai=2020-12-31";

/// What the shop holds: two provinces (id, name) and the ids the tests ask about.
struct Shop {
    p1: (i32, String),
    p2: (i32, String),
    /// A submitted listing of unit two (province one).
    waiting_listing: i32,
    /// A listing of unit one.
    listing_one: i32,
}

/// Noon UTC of a day (19.00 WIB, the same day).
fn noon(y: i32, m: u32, d: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|day| day.and_hms_opt(12, 0, 0))
        .expect("a date")
        .and_utc()
        .timestamp()
}

/// Today in WIB, the day the dashboard and the roll-ups count from.
fn today() -> chrono::NaiveDate {
    etalase::domain::fair::fair_day(chrono::Utc::now())
}

/// Today in WIB moved by `days`, as ISO text.
fn today_plus(days: i64) -> String {
    (today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// A unit; `pictures`: with its logo and banner.
fn unit(slug: &str, kind: &str, name: &str, province: i32, story: &str, pictures: bool) -> NewUnit {
    NewUnit {
        slug: slug.into(),
        kind: kind.into(),
        class: "IIA".into(),
        name: name.into(),
        city: "Kota Uji".into(),
        province_id: province,
        brand_name: format!("Merek {slug}"),
        story: story.into(),
        logo_path: pictures.then(|| format!("units/{slug}/logo")),
        banner_path: pictures.then(|| format!("units/{slug}/banner")),
        pickup_address: "Jl. Pemasyarakatan No. 1".into(),
        phone: "0211234567".into(),
        email: format!("{slug}@lapas.go.id"),
        split_wage_pct: 35,
        split_pnbp_pct: 40,
        split_capital_pct: 25,
        created_at: 0,
    }
}

fn product(unit_id: i32, category_id: i32, slug: &str, status: &'static str) -> NewProduct {
    // Only the craft of unit one has its size (and, below, three photos).
    let size = if slug == "kriya-satu" { 20 } else { 0 };
    NewProduct {
        unit_id,
        category_id,
        slug: slug.into(),
        kind: "Uji".into(),
        name: format!("Produk {slug}"),
        description: "Produk uji pemantauan.".into(),
        description_en: String::new(),
        price: 25_000,
        stock: 10,
        weight_g: 250,
        length_cm: size,
        width_cm: size,
        height_cm: size,
        status,
        return_reason: None,
        featured: 0,
        popularity: 0,
        created_at: 0,
        updated_at: 0,
    }
}

fn document(
    unit_id: i32,
    product_id: Option<i32>,
    kind: &str,
    expires_on: Option<String>,
    status: &'static str,
    created_at: i64,
) -> NewCertification {
    NewCertification {
        unit_id,
        product_id,
        kind: kind.into(),
        number: format!("{kind}-{unit_id}-{}", product_id.unwrap_or(0)),
        issuer: "Penerbit Uji".into(),
        issued_on: "2023-01-01".into(),
        expires_on,
        document_path: None,
        status,
        reject_reason: None,
        verified_at: (status == "verified").then_some(0),
        created_at,
    }
}

fn id_of_product(app: &TestApp, slug: &str) -> i32 {
    products::table
        .filter(products::slug.eq(slug))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap()
}

/// The shop every test reads, and its accounts: a national observer, an observer of province
/// one, an administrator.
///
/// - Province one: unit one (Lapas; logo, banner, story; food products F1 with a valid P-IRT
///   and Halal, F2 whose P-IRT ran out, and a craft with its size and three photos; a brand
///   HKI) and unit two (Rutan; nothing of its brand; food product F3 with a valid BPOM MD, and
///   a food listing waiting for review).
/// - Province two: unit three (Lapas; a story; a craft without its size; an SNI expiring in 30
///   days, decided four days after it was sent; an NIB waiting for review).
/// - Review decisions in 2020: F1 published two days after it was sent, F3 returned after one.
/// - Daily roll-ups in 2020 (March and April), one row today for unit one and one 100 days
///   ago for unit three; booth sales of units one and three at one fair in March 2020.
/// - The per-unit snapshot refreshed once all that is in, as the roll-up job does.
fn shop(app: &TestApp) -> Shop {
    let mut conn = app.conn();
    etalase::seed::ensure_provinces(&mut conn).expect("the provinces");
    let both: Vec<(i32, String)> = provinces::table
        .order(provinces::id.asc())
        .select((provinces::id, provinces::name))
        .limit(2)
        .load(&mut *conn)
        .unwrap();
    let (p1, p2) = (both[0].clone(), both[1].clone());
    for (slug, name, is_food, sort) in [("kuliner", "Kuliner", 1, 0), ("kriya", "Kriya", 0, 1)] {
        diesel::insert_into(categories::table)
            .values((
                categories::slug.eq(slug),
                categories::name_id.eq(name),
                categories::name_en.eq(name),
                categories::description_id.eq("Kategori uji."),
                categories::description_en.eq("A test category."),
                categories::is_food.eq(is_food),
                categories::sort_order.eq(sort),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    let category = |slug: &str, conn: &mut etalase::db::PooledConn| -> i32 {
        categories::table
            .filter(categories::slug.eq(slug))
            .select(categories::id)
            .first(&mut **conn)
            .unwrap()
    };
    let (food, craft) = (category("kuliner", &mut conn), category("kriya", &mut conn));
    let [u1, u2, u3] = [
        unit(
            "lapas-pantau-satu",
            "lapas",
            "Lapas Pantau Satu",
            p1.0,
            "Cerita.",
            true,
        ),
        unit(
            "rutan-pantau-dua",
            "rutan",
            "Rutan Pantau Dua",
            p1.0,
            "",
            false,
        ),
        unit(
            "lapas-pantau-tiga",
            "lapas",
            "Lapas Pantau Tiga",
            p2.0,
            "Cerita.",
            false,
        ),
    ]
    .map(|new| insert_unit(&mut conn, &new).unwrap());
    insert_products(
        &mut conn,
        &[
            product(u1, food, "pangan-satu", "published"),
            product(u1, food, "pangan-dua", "published"),
            product(u1, craft, "kriya-satu", "published"),
            product(u2, food, "pangan-tiga", "published"),
            product(u2, food, "pangan-menunggu", "submitted"),
            product(u3, craft, "kriya-tiga", "published"),
        ],
    )
    .unwrap();
    drop(conn);
    let [f1, f2, k1, f3, waiting, k3] = [
        "pangan-satu",
        "pangan-dua",
        "kriya-satu",
        "pangan-tiga",
        "pangan-menunggu",
        "kriya-tiga",
    ]
    .map(|slug| id_of_product(app, slug));
    let mut conn = app.conn();
    insert_photos(
        &mut conn,
        &(0..3)
            .map(|position| NewPhoto {
                product_id: k1,
                position,
                path_base: format!("placeholder/kriya-satu-{position}"),
                alt: "Kriya satu".into(),
                width: 1280,
                height: 1280,
            })
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let valid = Some("2099-01-01".to_string());
    let sni_sent = noon(2020, 5, 1);
    insert_certifications(
        &mut conn,
        &[
            document(u1, Some(f1), "PIRT", valid.clone(), "verified", 0),
            document(u1, Some(f1), "HALAL", None, "verified", 0),
            document(
                u1,
                Some(f2),
                "PIRT",
                Some("2020-01-01".into()),
                "verified",
                0,
            ),
            document(u2, Some(f3), "BPOM-MD", valid.clone(), "verified", 0),
            document(u1, None, "HKI", valid, "verified", 0),
            document(
                u3,
                Some(k3),
                "SNI",
                Some(today_plus(30)),
                "verified",
                sni_sent,
            ),
            document(u3, None, "NIB", None, "submitted", 0),
        ],
    )
    .unwrap();
    let sni: i32 = certifications::table
        .filter(certifications::kind.eq("SNI"))
        .select(certifications::id)
        .first(&mut *conn)
        .unwrap();
    for (entity, id, action, at) in [
        ("product", f1, "product.submitted", noon(2020, 3, 1)),
        ("product", f1, "product.published", noon(2020, 3, 3)),
        ("product", f3, "product.submitted", noon(2020, 3, 10)),
        ("product", f3, "product.returned", noon(2020, 3, 11)),
        ("document", sni, "document.verify", noon(2020, 5, 5)),
    ] {
        diesel::insert_into(audit_log::table)
            .values((
                audit_log::action.eq(action),
                audit_log::entity.eq(entity),
                audit_log::entity_id.eq(Some(id)),
                audit_log::created_at.eq(at),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    // Orders, booth sales, items, sales, buyers, wage, PNBP, capital.
    let (one, two, three) = (
        (u1, p1.0, "lapas"),
        (u2, p1.0, "rutan"),
        (u3, p2.0, "lapas"),
    );
    for (day, unit, figures) in [
        (
            "2020-03-05".to_string(),
            one,
            [3, 0, 5, 500_000, 3, 175_000, 200_000, 125_000],
        ),
        (
            "2020-03-20".to_string(),
            two,
            [1, 2, 4, 120_000, 1, 42_000, 48_000, 30_000],
        ),
        (
            "2020-04-02".to_string(),
            three,
            [6, 5, 20, 1_000_000, 6, 350_000, 400_000, 250_000],
        ),
        (
            "2020-04-15".to_string(),
            one,
            [2, 0, 2, 80_000, 2, 28_000, 32_000, 20_000],
        ),
        (
            today_plus(0),
            one,
            [1, 0, 1, 10_000, 1, 3_500, 4_000, 2_500],
        ),
        (
            today_plus(-100),
            three,
            [1, 0, 1, 10_000, 1, 3_500, 4_000, 2_500],
        ),
    ] {
        insert_day(&mut conn, &day, unit, figures);
    }
    drop(conn);
    create_account(app, NATIONAL, "observer", None, None);
    create_account(app, REGIONAL, "observer", None, Some(p1.0));
    let admin = create_account(app, ADMIN, "admin", None, None);
    let mut conn = app.conn();
    diesel::insert_into(events::table)
        .values((
            events::slug.eq("pameran-uji-pantau"),
            events::name.eq("Pameran Uji Pantau"),
            events::venue.eq("Lapangan Banteng"),
            events::city.eq("Jakarta"),
            events::starts_on.eq("2020-03-10"),
            events::ends_on.eq("2020-03-12"),
            events::applications_open_on.eq("2020-02-01"),
            events::applications_close_on.eq("2020-03-01"),
            events::description.eq("Pameran uji."),
            events::status.eq("finished"),
            events::created_at.eq(0_i64),
        ))
        .execute(&mut *conn)
        .unwrap();
    let event: i32 = events::table
        .filter(events::slug.eq("pameran-uji-pantau"))
        .select(events::id)
        .first(&mut *conn)
        .unwrap();
    diesel::insert_into(booths::table)
        .values((
            booths::event_id.eq(event),
            booths::code.eq("A-01"),
            booths::hall.eq("Hall A"),
            booths::kind.eq("standard"),
            booths::width_m.eq(3),
            booths::depth_m.eq(3),
            booths::fee.eq(0_i64),
            booths::x.eq(0),
            booths::y.eq(0),
        ))
        .execute(&mut *conn)
        .unwrap();
    let booth: i32 = booths::table
        .filter(booths::event_id.eq(event))
        .select(booths::id)
        .first(&mut *conn)
        .unwrap();
    for (unit_id, product_id, quantity, total, key) in [
        (u1, k1, 2_i32, 50_000_i64, "pantau-0001"),
        (u3, k3, 1, 30_000, "pantau-0002"),
    ] {
        diesel::insert_into(booth_sales::table)
            .values((
                booth_sales::event_id.eq(event),
                booth_sales::unit_id.eq(unit_id),
                booth_sales::booth_id.eq(booth),
                booth_sales::product_id.eq(product_id),
                booth_sales::quantity.eq(quantity),
                booth_sales::unit_price.eq(total / i64::from(quantity)),
                booth_sales::total.eq(total),
                booth_sales::method.eq("cash"),
                booth_sales::idempotency_key.eq(key),
                booth_sales::recorded_by.eq(admin),
                booth_sales::sold_on.eq("2020-03-11"),
                booth_sales::created_at.eq(noon(2020, 3, 11)),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    figures::refresh_snapshot(&mut conn, today()).expect("the oversight snapshot");
    Shop {
        p1,
        p2,
        waiting_listing: waiting,
        listing_one: f1,
    }
}

/// A daily roll-up row of `unit` (id, province, kind): `figures` are its orders, booth sales,
/// items, sales, buyers, wage, PNBP and capital.
fn insert_day(conn: &mut DbConnection, day: &str, unit: (i32, i32, &str), figures: [i64; 8]) {
    let [orders, booth, items, sales, buyers, wage, pnbp, capital] = figures;
    diesel::insert_into(daily_unit_sales::table)
        .values((
            daily_unit_sales::day.eq(day),
            daily_unit_sales::unit_id.eq(unit.0),
            daily_unit_sales::province_id.eq(unit.1),
            daily_unit_sales::unit_kind.eq(unit.2),
            daily_unit_sales::orders.eq(orders as i32),
            daily_unit_sales::booth_sales.eq(booth as i32),
            daily_unit_sales::items.eq(items),
            daily_unit_sales::sales.eq(sales),
            daily_unit_sales::buyers.eq(buyers as i32),
            daily_unit_sales::wage.eq(wage),
            daily_unit_sales::pnbp.eq(pnbp),
            daily_unit_sales::capital.eq(capital),
        ))
        .execute(conn)
        .unwrap();
}

/// The shop without background jobs: nothing changes its data but the requests sent.
async fn app() -> TestApp {
    TestApp::spawn_as(None, Role::WebOnly, |_| {}).await
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in(email, PASSWORD).await;
    browser
}

/// The number on the dashboard card `label`.
fn stat(page: &Page, label: &str) -> String {
    let at = page
        .body
        .find(&format!("data-stat=\"{label}\""))
        .unwrap_or_else(|| panic!("no card {label}"));
    let rest = &page.body[at..];
    let open = "class=\"stat-number\">";
    let start = rest.find(open).expect("the card's number") + open.len();
    let end = rest[start..].find('<').expect("the number's end");
    rest[start..start + end].trim().to_string()
}

/// The table `name` (`data-table`) of a page, up to its end.
fn table<'p>(page: &'p Page, name: &str) -> &'p str {
    let at = page
        .body
        .find(&format!("data-table=\"{name}\""))
        .unwrap_or_else(|| panic!("no table {name}"));
    let rest = &page.body[at..];
    &rest[..rest.find("</table>").expect("the table's end")]
}

/// The rows of a CSV file, its header first.
fn csv_rows(page: &Page) -> Vec<Vec<String>> {
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/csv")),
        "a CSV file"
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(page.body.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[actix_web::test]
async fn a_national_observer_sees_every_province_and_each_figure_and_csv_matches_a_hand_count() {
    let app = app().await;
    let shop = shop(&app);
    let mut observer = signed_in(&app, NATIONAL).await;

    // Its dashboard leads to the oversight pages, and its menu has nothing else to open.
    let home = observer.get("/kelola").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("href=\"/kelola/pantau\""));
    for elsewhere in [
        "/kelola/pesanan",
        "/kelola/tinjau",
        "/kelola/akun",
        "/kelola/pameran",
    ] {
        assert!(
            !home.body.contains(&format!("href=\"{elsewhere}\"")),
            "no link to {elsewhere}"
        );
    }

    let page = observer.get(&format!("/kelola/pantau?{YEAR}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let expected = [
        // Three active units, all with something published; unit one sold today, unit
        // three last sold 100 days ago.
        ("oversight-units", "3"),
        ("oversight-units-publishing", "3"),
        ("oversight-units-selling", "1"),
        ("oversight-products-published", "5"),
        // F1 and F3 of three food products have a permit, F1 alone Halal; unit one of three
        // has an HKI; the SNI expires in 30 days.
        ("oversight-food-permit", "67%"),
        ("oversight-food-halal", "33%"),
        ("oversight-brands-hki", "33%"),
        ("oversight-expiring", "1"),
        // Unit one 25 + 25 + 25 + 25 × 1/3 (8) = 83, unit two 0, unit three 25: 108 / 3.
        ("oversight-branding-average", "36"),
        ("oversight-branding-complete", "0"),
        // Waits of two, one and four days: the median is two.
        ("oversight-review-listings", "1"),
        ("oversight-review-documents", "1"),
        ("oversight-review-decisions", "3"),
        ("oversight-review-median", "2,0 hari"),
        // The four 2020 rows added up.
        ("oversight-orders", "12"),
        ("oversight-booth-sales", "7"),
        ("oversight-items", "31"),
        ("oversight-buyers", "12"),
        ("oversight-sales", "Rp1.700.000"),
        ("oversight-wage", "Rp595.000"),
        ("oversight-pnbp", "Rp680.000"),
        ("oversight-capital", "Rp425.000"),
    ];
    for (label, value) in expected {
        assert_eq!(stat(&page, label), value, "{label}");
    }
    let categories = table(&page, "kategori");
    assert!(categories.contains("<th scope=\"row\">Kuliner</th><td>3</td>"));
    assert!(categories.contains("<th scope=\"row\">Kriya</th><td>2</td>"));
    let by_province = table(&page, "legalitas-provinsi");
    assert!(by_province.contains(&shop.p1.1) && by_province.contains(&shop.p2.1));
    assert!(by_province.contains("2 (67%)"), "{by_province}");
    let review = table(&page, "meja-tinjau");
    assert!(
        review.contains("1,5 hari") && review.contains("4,0 hari"),
        "{review}"
    );
    // The least complete brand first.
    let branding = table(&page, "merek");
    let (two, three, one) = (
        branding.find("Rutan Pantau Dua").expect("unit two"),
        branding.find("Lapas Pantau Tiga").expect("unit three"),
        branding.find("Lapas Pantau Satu").expect("unit one"),
    );
    assert!(two < three && three < one, "{branding}");
    assert!(branding.contains("83/100"));
    // Only unit three made ten sales: the money of the others is not shown.
    let units = table(&page, "unit-teratas");
    assert!(units.contains("Rp1.000.000") && units.contains("Rp350.000"));
    assert!(!units.contains("Rp580.000"), "{units}");
    let fairs = table(&page, "pameran");
    assert!(
        fairs.contains("Pameran Uji Pantau") && fairs.contains("Rp80.000"),
        "{fairs}"
    );

    let months = observer
        .get(&format!("/kelola/pantau/penjualan-bulanan.csv?{YEAR}"))
        .await;
    assert_eq!(
        csv_rows(&months),
        vec![
            row(&[
                "bulan",
                "pesanan",
                "penjualan_stan",
                "barang",
                "pembeli",
                "penjualan_rp",
                "upah_rp",
                "pnbp_rp",
                "modal_rp",
            ]),
            row(&["2020-03", "4", "2", "9", "4", "620000", "217000", "248000", "155000"]),
            row(&["2020-04", "8", "5", "22", "8", "1080000", "378000", "432000", "270000"]),
        ]
    );
    let top = observer
        .get(&format!("/kelola/pantau/unit-teratas.csv?{YEAR}"))
        .await;
    let (p1, p2) = (shop.p1.1.as_str(), shop.p2.1.as_str());
    assert_eq!(
        csv_rows(&top),
        vec![
            row(&[
                "unit",
                "provinsi",
                "pesanan",
                "penjualan_stan",
                "barang",
                "penjualan_rp",
                "upah_rp",
            ]),
            row(&["Lapas Pantau Tiga", p2, "6", "5", "20", "1000000", "350000"]),
            row(&["Lapas Pantau Satu", p1, "5", "0", "7", "", ""]),
            row(&["Rutan Pantau Dua", p1, "1", "2", "4", "", ""]),
        ]
    );
    let unknown = observer
        .get(&format!("/kelola/pantau/pengguna.csv?{YEAR}"))
        .await;
    assert_eq!(unknown.status, 404);

    // A national observer narrows the figures to a province, or to a kind of unit.
    let second = observer
        .get(&format!("/kelola/pantau?{YEAR}&provinsi={}", shop.p2.0))
        .await;
    assert_eq!(stat(&second, "oversight-units"), "1");
    assert_eq!(stat(&second, "oversight-sales"), "Rp1.000.000");
    let rutan = observer
        .get(&format!("/kelola/pantau?{YEAR}&jenis=rutan"))
        .await;
    assert_eq!(stat(&rutan, "oversight-units"), "1");
    assert_eq!(stat(&rutan, "oversight-sales"), "Rp120.000");
    assert_eq!(stat(&rutan, "oversight-review-listings"), "1");
}

#[actix_web::test]
async fn a_regional_observer_sees_only_its_province_whatever_it_asks_and_every_post_it_tries_is_refused(
) {
    let app = app().await;
    let shop = shop(&app);
    let mut observer = signed_in(&app, REGIONAL).await;

    // Asking for the other province still shows its own.
    let page = observer
        .get(&format!("/kelola/pantau?{YEAR}&provinsi={}", shop.p2.0))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    for (label, value) in [
        ("oversight-units", "2"),
        ("oversight-products-published", "4"),
        ("oversight-food-permit", "67%"),
        ("oversight-brands-hki", "50%"),
        ("oversight-expiring", "0"),
        // Units one (83) and two (0).
        ("oversight-branding-average", "41"),
        ("oversight-review-documents", "0"),
        ("oversight-review-decisions", "2"),
        ("oversight-review-median", "1,5 hari"),
        ("oversight-orders", "6"),
        ("oversight-items", "11"),
        ("oversight-sales", "Rp700.000"),
        ("oversight-wage", "Rp245.000"),
    ] {
        assert_eq!(stat(&page, label), value, "{label}");
    }
    assert!(
        !page.body.contains("Lapas Pantau Tiga"),
        "unit three is elsewhere"
    );
    assert!(!table(&page, "legalitas-provinsi").contains(&shop.p2.1));
    assert!(table(&page, "pameran").contains("Rp50.000"));
    assert!(
        !page.body.contains("name=\"provinsi\""),
        "no province to choose"
    );
    assert!(page.body.contains(&shop.p1.1));

    let months = observer
        .get(&format!(
            "/kelola/pantau/penjualan-bulanan.csv?{YEAR}&provinsi={}",
            shop.p2.0
        ))
        .await;
    let rows = csv_rows(&months);
    assert_eq!(
        rows[1..],
        [
            row(&["2020-03", "4", "2", "9", "4", "620000", "217000", "248000", "155000"]),
            row(&["2020-04", "2", "0", "2", "2", "80000", "28000", "32000", "20000"]),
        ]
    );
    let coverage = observer
        .get(&format!(
            "/kelola/pantau/legalitas-unit.csv?{YEAR}&provinsi={}",
            shop.p2.0
        ))
        .await;
    let units: Vec<String> = csv_rows(&coverage)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    // Unit one's F2 lacks a permit; unit two's food has one (but no Halal).
    assert_eq!(
        units,
        ["Lapas Pantau Satu", "Rutan Pantau Dua"],
        "the least covered first"
    );

    // Nothing else of the back office opens, and nothing changes.
    for path in [
        "/kelola/produk/baru",
        "/kelola/tinjau",
        "/kelola/akun",
        "/kelola/pameran",
    ] {
        assert_eq!(observer.get(path).await.status, 403, "GET {path}");
    }
    let before = snapshot(&app);
    let key = observer.csrf("/kelola/kata-sandi").await;
    let listing = shop.listing_one.to_string();
    let waiting = shop.waiting_listing.to_string();
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        ("/kelola/produk".into(), vec![("name", "Produk Pemantau")]),
        (
            format!("/kelola/produk/{listing}"),
            vec![("name", "Diubah Pemantau")],
        ),
        (format!("/kelola/produk/{listing}/arsipkan"), vec![]),
        (
            format!("/kelola/tinjau/produk/{waiting}"),
            vec![("decision", "return"), ("reason", "Foto kurang jelas.")],
        ),
        (
            "/kelola/unit".into(),
            vec![("brand_name", "Merek Pemantau")],
        ),
        (
            "/kelola/akun/undang".into(),
            vec![
                ("email", "baru@lapas.go.id"),
                ("name", "Akun Baru"),
                ("role", "admin"),
            ],
        ),
        ("/kelola/daftar-unit".into(), vec![("name", "Lapas Baru")]),
        ("/kelola/pameran".into(), vec![("name", "Pameran Baru")]),
        (
            "/kelola/pembayaran/rekening".into(),
            vec![("bank_name", "BRI")],
        ),
    ];
    for (path, fields) in &posts {
        let mut form = vec![("csrf_token", key.as_str())];
        form.extend(fields.iter().copied());
        let answer = observer.post(path, &form).await;
        assert_eq!(answer.status, 403, "POST {path}: {}", answer.body);
    }
    assert_eq!(snapshot(&app), before, "an observer changed something");
    // Its own password is the one thing it may change (here with a wrong current one).
    let refused = observer
        .post(
            "/kelola/kata-sandi",
            &[
                ("csrf_token", &key),
                ("current_password", "bukan-kata-sandinya"),
                ("password", "kata-sandi-baru-123"),
                ("password_again", "kata-sandi-baru-123"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
}

/// What an observer could have changed: products, accounts, audit entries.
fn snapshot(app: &TestApp) -> (Vec<(i32, String, String)>, i64, i64) {
    let mut conn = app.conn();
    let products: Vec<(i32, String, String)> = products::table
        .order(products::id.asc())
        .select((products::id, products::name, products::status))
        .load(&mut *conn)
        .unwrap();
    let accounts: i64 = users::table.count().get_result(&mut *conn).unwrap();
    let audit: i64 = audit_log::table.count().get_result(&mut *conn).unwrap();
    (products, accounts, audit)
}

#[actix_web::test]
async fn administrators_invite_national_and_regional_observers_and_read_the_dashboard_too() {
    let app = app().await;
    let shop = shop(&app);
    let mut admin = signed_in(&app, ADMIN).await;
    let page = admin.get(&format!("/kelola/pantau?{YEAR}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(stat(&page, "oversight-sales"), "Rp1.700.000");
    assert!(
        page.body.contains("name=\"provinsi\""),
        "every province to choose from"
    );

    let form = admin.get("/kelola/akun/undang").await;
    assert!(
        form.body.contains("<option value=\"observer\""),
        "the observer role"
    );
    let key = form.csrf_token().expect("the form's key");
    let p1 = shop.p1.0.to_string();
    for (email, province) in [
        ("kanwil.pantau@kemenimipas.go.id", p1.as_str()),
        ("pusat.pantau@kemenimipas.go.id", ""),
    ] {
        let sent = admin
            .post(
                "/kelola/akun/undang",
                &[
                    ("csrf_token", &key),
                    ("email", email),
                    ("name", "Pemantau Baru"),
                    ("role", "observer"),
                    ("unit_id", ""),
                    ("province_id", province),
                ],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.body);
        let (role, scope): (String, Option<i32>) = users::table
            .filter(users::email.eq(email))
            .select((users::role, users::province_id))
            .first(&mut *app.conn())
            .unwrap();
        assert_eq!(role, "observer");
        assert_eq!(scope, province.parse::<i32>().ok(), "{email}");
    }
}

fn id_of_unit(app: &TestApp, slug: &str) -> i32 {
    units::table
        .filter(units::slug.eq(slug))
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_snapshot_holds_each_units_documents_and_listings_as_counted_live_and_moves_only_when_refreshed(
) {
    let app = app().await;
    shop(&app);
    let day = today();
    let stored = figures::snapshot(&mut app.conn()).unwrap();
    assert_eq!(stored, figures::live_units(&mut app.conn(), day).unwrap());
    let [one, two, three] = ["lapas-pantau-satu", "rutan-pantau-dua", "lapas-pantau-tiga"]
        .map(|slug| id_of_unit(&app, slug));
    // Food, with a permit, with Halal, HKI, documents expiring, published, complete.
    let unit_row = |unit_id: i32, counts: [i32; 7]| {
        let [food, permit, halal, hki, expiring, published, complete] = counts;
        UnitOversight {
            unit_id,
            food,
            permit,
            halal,
            hki,
            expiring,
            published,
            complete,
        }
    };
    assert_eq!(
        stored,
        vec![
            // F1 (P-IRT and Halal), F2 (its P-IRT ran out), the craft with its size and three
            // photos; a brand HKI.
            unit_row(one, [2, 1, 1, 1, 0, 3, 1]),
            // F3 (BPOM MD); the listing waiting for review is not published.
            unit_row(two, [1, 1, 0, 0, 0, 1, 0]),
            // A craft without its size; the SNI expires in 30 days.
            unit_row(three, [0, 0, 0, 0, 1, 1, 0]),
        ]
    );

    let mut observer = signed_in(&app, NATIONAL).await;
    let path = format!("/kelola/pantau?{YEAR}");
    let before = observer.get(&path).await;
    assert_eq!(stat(&before, "oversight-food-permit"), "67%");
    assert_eq!(stat(&before, "oversight-branding-average"), "36");
    assert!(
        before
            .body
            .contains("Legalitas, merek, dan produk tayang diperbarui <time datetime=\""),
        "when the snapshot was taken"
    );

    // Unit three's craft gets its size and three photos, F2 a valid P-IRT.
    let (k3, f2) = (
        id_of_product(&app, "kriya-tiga"),
        id_of_product(&app, "pangan-dua"),
    );
    diesel::update(products::table.find(k3))
        .set((
            products::length_cm.eq(30),
            products::width_cm.eq(20),
            products::height_cm.eq(10),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    insert_photos(
        &mut app.conn(),
        &(0..3)
            .map(|position| NewPhoto {
                product_id: k3,
                position,
                path_base: format!("placeholder/kriya-tiga-{position}"),
                alt: "Kriya tiga".into(),
                width: 1280,
                height: 1280,
            })
            .collect::<Vec<_>>(),
    )
    .unwrap();
    insert_certifications(
        &mut app.conn(),
        &[document(
            one,
            Some(f2),
            "PIRT",
            Some("2099-01-01".into()),
            "verified",
            0,
        )],
    )
    .unwrap();

    // The live count moves at once; the dashboard's figures wait for the next refresh.
    assert_ne!(
        figures::live_units(&mut app.conn(), day).unwrap(),
        figures::snapshot(&mut app.conn()).unwrap()
    );
    let stale = observer.get(&path).await;
    assert_eq!(stat(&stale, "oversight-food-permit"), "67%");
    assert_eq!(stat(&stale, "oversight-branding-average"), "36");
    assert_eq!(figures::refresh_snapshot(&mut app.conn(), day).unwrap(), 3);
    assert_eq!(
        figures::snapshot(&mut app.conn()).unwrap(),
        figures::live_units(&mut app.conn(), day).unwrap()
    );
    let fresh = observer.get(&path).await;
    // Three food products of three with a permit; unit three 25 + 25: (83 + 0 + 50) / 3.
    assert_eq!(stat(&fresh, "oversight-food-permit"), "100%");
    assert_eq!(stat(&fresh, "oversight-branding-average"), "44");

    // Refreshing again changes nothing.
    let kept = figures::snapshot(&mut app.conn()).unwrap();
    assert_eq!(figures::refresh_snapshot(&mut app.conn(), day).unwrap(), 3);
    assert_eq!(figures::snapshot(&mut app.conn()).unwrap(), kept);
}

/// The ten products that sold most from `from` to `to` (ISO days, WIB) as the order lines of
/// the orders that still count say, by pieces, rupiah, then id: the rows of the CSV export
/// (name, unit, pieces, rupiah).
fn best_sellers_by_hand(app: &TestApp, from: &str, to: &str) -> Vec<Vec<String>> {
    let (start, end) = OversightFilter::parse(from, to, "", "", today(), None).seconds();
    let lines = support::counted_lines(app, start, end);
    let mut sums: BTreeMap<i32, (i64, i64)> = BTreeMap::new();
    for (product, quantity, price) in lines {
        let sum = sums.entry(product).or_default();
        sum.0 += i64::from(quantity);
        sum.1 += i64::from(quantity) * price;
    }
    let mut ranked: Vec<(i32, i64, i64)> = sums
        .into_iter()
        .map(|(id, (items, sales))| (id, items, sales))
        .collect();
    ranked.sort_by_key(|&(id, items, sales)| {
        (std::cmp::Reverse(items), std::cmp::Reverse(sales), id)
    });
    ranked
        .into_iter()
        .take(10)
        .map(|(id, items, sales)| {
            let (name, unit): (String, String) = products::table
                .inner_join(units::table)
                .filter(products::id.eq(id))
                .select((products::name, units::name))
                .first(&mut *app.conn())
                .unwrap();
            vec![name, unit, items.to_string(), sales.to_string()]
        })
        .collect()
}

#[actix_web::test]
async fn the_best_selling_products_are_those_the_counted_order_lines_say_for_a_whole_year_and_for_part_of_one(
) {
    use chrono::Datelike;
    let app = TestApp::spawn_web_only().await;
    etalase::seed::seed_orders(
        &mut app.conn(),
        &etalase::seed::BulkOrders {
            lines: 600,
            days: 40,
            seed: 11,
        },
    )
    .unwrap();
    let iso = |day: chrono::NaiveDate| day.format("%Y-%m-%d").to_string();
    let today = today();
    let first = etalase::models::rollup::first_sale_day(&mut app.conn())
        .unwrap()
        .expect("a first sale");
    etalase::models::rollup::rollup_since(&mut app.conn(), &iso(first), &iso(today)).unwrap();
    create_account(&app, NATIONAL, "observer", None, None);
    let mut observer = signed_in(&app, NATIONAL).await;
    let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap();
    let last_december = chrono::NaiveDate::from_ymd_opt(today.year() - 1, 12, 1).unwrap();
    let days_ago = |n: i64| today - chrono::Duration::days(n);
    for (from, to) in [
        // This year up to today: the year rows, in rank order.
        (year_start, today),
        // A week: the day rows.
        (days_ago(10), days_ago(3)),
        // From last December: those days' rows and this year's rows added up.
        (last_december, today),
    ] {
        let (from, to) = (iso(from), iso(to));
        let csv = observer
            .get(&format!(
                "/kelola/pantau/produk-teratas.csv?dari={from}&sampai={to}"
            ))
            .await;
        let rows = csv_rows(&csv);
        assert_eq!(rows[0], row(&["produk", "unit", "barang", "penjualan_rp"]));
        let expected = best_sellers_by_hand(&app, &from, &to);
        assert!(!expected.is_empty(), "{from} – {to}: something sold");
        assert_eq!(rows[1..], expected[..], "{from} – {to}");
    }
}
