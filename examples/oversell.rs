//! The oversell race (run by `bench/oversell.sh`): 200 buyers, each with the same product in
//! the cart and at the last checkout step, place their orders at the same moment against a
//! product with 10 in stock. Prints orders created, units sold, stock left, errors and the
//! p50/p99 latency of placing the order.
//!
//!   DATABASE_URL=sqlite://... cargo run --release --example oversell -- 200 10

use std::time::{Duration, Instant};

use diesel::prelude::*;
use etalase::config::Settings;
use etalase::db::schema::{orders, products};
use etalase::seed::{demo_photos, seed_demo, DemoOptions};
use etalase::services::media::MediaStore;
use etalase::startup::{connect_and_migrate, Application};

struct Buyer {
    cookie: String,
    key: String,
    radio: String,
}

fn cookie_of(res: &awc::ClientResponse<impl Sized>) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("etalase_keranjang="))
        .map(|c| c.split(';').next().unwrap_or_default().to_string())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let buyers: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let stock: i32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(10);
    let settings = Settings::from_env().expect("settings");
    let pool = connect_and_migrate(&settings).expect("database");
    {
        let mut conn = pool.get().expect("connection");
        let empty: i64 = products::table.count().get_result(&mut conn).unwrap();
        if empty == 0 {
            let media = MediaStore::new(settings.media_dir.clone());
            let photos = actix_web::rt::System::new()
                .block_on(demo_photos(&media))
                .expect("demo photos");
            seed_demo(
                &mut conn,
                &photos,
                &DemoOptions {
                    products: 300,
                    units: 60,
                    seed: 7,
                },
            )
            .expect("seed");
        }
    }
    let product: i32 = products::table
        .filter(products::status.eq("published"))
        .select(products::id)
        .first(&mut pool.get().unwrap())
        .unwrap();
    diesel::update(products::table.find(product))
        .set(products::stock.eq(stock))
        .execute(&mut pool.get().unwrap())
        .unwrap();
    let orders_before: i64 = orders::table
        .count()
        .get_result(&mut pool.get().unwrap())
        .unwrap();

    actix_web::rt::System::new().block_on(async move {
        let mut settings = settings.clone();
        settings.port = 0;
        settings.pool_size = 16;
        // Every buyer of the race comes from this one address: the per-client limits would
        // stop most of them before the race this measures.
        settings.limits.cart_changes_per_minute = 1_000_000;
        settings.limits.orders_per_hour = 1_000_000;
        // They also share one email address (a race with more stock than the unpaid cap).
        settings.limits.max_unpaid_per_product = i32::MAX;
        let app = Application::build(settings, pool.clone()).expect("app");
        let base = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run());
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(Duration::from_secs(60))
            .finish();
        // Everybody fills a cart and reaches the last step first.
        let mut ready = Vec::with_capacity(buyers);
        for _ in 0..buyers {
            let res = client
                .post(format!("{base}/keranjang"))
                .send_form(&[("product_id", product.to_string()), ("quantity", "1".into())])
                .await
                .expect("add to cart");
            let cookie = cookie_of(&res).expect("a cart cookie");
            client
                .post(format!("{base}/checkout"))
                .insert_header(("Cookie", cookie.clone()))
                .send_form(&[
                    ("name", "Pembeli Uji"),
                    ("email", "uji@contoh.id"),
                    ("phone", "081234567890"),
                    ("province_id", "11"),
                    ("city", "Kota Bandung"),
                    ("district", "Coblong"),
                    ("postal_code", "40132"),
                    ("address", "Jl. Ganesha No. 10"),
                ])
                .await
                .expect("contact");
            let mut page = client
                .get(format!("{base}/checkout/kirim"))
                .insert_header(("Cookie", cookie.clone()))
                .send()
                .await
                .expect("shipping step");
            let body = String::from_utf8_lossy(&page.body().limit(1 << 22).await.unwrap())
                .into_owned();
            let at = body.find("name=\"kunci\" value=\"").expect("key") + 20;
            let key: String = body[at..].chars().take_while(|c| *c != '"').collect();
            let at = body.find("name=\"kirim_").expect("a shipping choice") + 6;
            let radio: String = body[at..].chars().take_while(|c| *c != '"').collect();
            ready.push(Buyer { cookie, key, radio });
        }
        // Then all of them place the order at once.
        let started = Instant::now();
        let attempts = ready.into_iter().map(|b| {
            let client = client.clone();
            let url = format!("{base}/checkout/kirim");
            async move {
                let t = Instant::now();
                let res = client
                    .post(url)
                    .insert_header(("Cookie", b.cookie))
                    .send_form(&[("kunci".to_string(), b.key), (b.radio, "ambil".to_string())])
                    .await;
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                match res {
                    Ok(r) => {
                        let location = r
                            .headers()
                            .get("location")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string();
                        (r.status().as_u16(), location, ms)
                    }
                    Err(_) => (0, String::new(), ms),
                }
            }
        });
        let results = futures_util::future::join_all(attempts).await;
        let wall = started.elapsed();
        let mut latencies: Vec<f64> = results.iter().map(|r| r.2).collect();
        latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        let created = results.iter().filter(|r| r.1.starts_with("/pesanan/")).count();
        let refused = results
            .iter()
            .filter(|r| r.1.contains("checkout-cart-changed"))
            .count();
        let server_errors = results.iter().filter(|r| r.0 >= 500 || r.0 == 0).count();
        let mut conn = pool.get().unwrap();
        let left: i32 = products::table
            .find(product)
            .select(products::stock)
            .first(&mut conn)
            .unwrap();
        let orders_after: i64 = orders::table.count().get_result(&mut conn).unwrap();
        println!(
            "buyers {buyers} stock {stock}: orders created {created} (database: {}), units sold {}, \
             stock left {left}, refused {refused}, 5xx/errors {server_errors}, \
             place-order p50 {:.1} ms p99 {:.1} ms, all in {:.2} s",
            orders_after - orders_before,
            stock - left,
            pct(0.5),
            pct(0.99),
            wall.as_secs_f64()
        );
        let ok = created == stock as usize && left == 0 && server_errors == 0;
        if !ok {
            eprintln!("OVERSOLD OR FAILED");
            std::process::exit(1);
        }
    });
}
