//! Several instances on one database: background jobs that two workers run at the same moment
//! do each piece of work once, and a catalogue change made through one instance drops the
//! cached pages of another within a second (PostgreSQL `LISTEN`/`NOTIFY`). On SQLite, where
//! one process serves, the same steps still behave.

use crate::support::{self, TestApp};

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use chrono::Days;
use diesel::prelude::*;
use etalase::db::schema::{certifications, daily_unit_sales, mail_outbox, orders, products};
use etalase::db::DatabaseUrl;
use etalase::domain::impact::{day_text, wib_day};
use etalase::domain::order::OrderStatus;
use etalase::domain::search::SearchDoc;
use etalase::domain::synonyms::SynonymEntry;
use etalase::jobs::Role;
use etalase::models::certification::NewCertification;
use etalase::models::product::{update_product, ProductEdit};
use etalase::search::{SearchEngine, SearchFuture, SearchRequest, SearchResults};

/// What one worker's round of the jobs did.
#[derive(Debug)]
struct Round {
    expired_products: usize,
    reminders: usize,
    cancelled: usize,
    claimed_void: bool,
    rolled_up: usize,
    snapshot_units: usize,
}

fn verified_document(unit_id: i32, number: &str, expires_on: String) -> NewCertification {
    NewCertification {
        unit_id,
        product_id: None,
        kind: "NIB".into(),
        number: number.into(),
        issuer: "OSS".into(),
        issued_on: "2020-01-01".into(),
        expires_on: Some(expires_on),
        document_path: None,
        status: "verified",
        reject_reason: None,
        verified_at: Some(0),
        created_at: 0,
    }
}

fn queued_mails(app: &TestApp) -> i64 {
    mail_outbox::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[actix_web::test]
async fn two_workers_running_the_daily_and_payment_jobs_at_once_do_each_piece_of_work_once() {
    // The web only: its own jobs stay out of the way of the two workers below.
    let app = TestApp::spawn_web_only().await;
    let [(product, _, stock), _] = support::shop::two_products_of_two_units(&app);
    let unit_id: i32 = products::table
        .find(product)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let staff = "staf-dua-pekerja@lapas.go.id";
    support::create_account(&app, staff, "staff", Some(unit_id), None);
    let today = chrono::Utc::now().date_naive();
    let day = |n: u64, later: bool| {
        let d = if later {
            today.checked_add_days(Days::new(n))
        } else {
            today.checked_sub_days(Days::new(n))
        };
        d.unwrap().format("%Y-%m-%d").to_string()
    };
    etalase::models::certification::insert_certifications(
        &mut app.conn(),
        &[
            verified_document(unit_id, "NIB-DUA-KEMARIN", day(1, false)),
            verified_document(unit_id, "NIB-DUA-SEPULUH-HARI", day(10, true)),
            verified_document(unit_id, "NIB-DUA-LIMA-PULUH-HARI", day(50, true)),
        ],
    )
    .unwrap();
    // An order whose payment time ran out, with a card payment still open at the provider.
    let mut buyer = support::Browser::new(&app);
    let placed = support::shop::place_order(&mut buyer, &[(product, 2)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order_id, total, _) = support::shop::order_behind(&app, &placed.location());
    assert_eq!(support::shop::stock_of(&app, product), stock - 2);
    let now = etalase::models::now_ts();
    diesel::update(orders::table.find(order_id))
        .set(orders::payment_expires_at.eq(now - 60))
        .execute(&mut *app.conn())
        .unwrap();
    etalase::models::payment::record_intent(
        &mut app.conn(),
        order_id,
        "pi_dua_pekerja",
        total,
        "pi_dua_pekerja_secret",
    )
    .unwrap();
    let payment_id: i32 = etalase::db::schema::payments::table
        .filter(etalase::db::schema::payments::reference.eq("pi_dua_pekerja"))
        .select(etalase::db::schema::payments::id)
        .first(&mut *app.conn())
        .unwrap();
    let ran_out: i64 = orders::table
        .filter(orders::status.eq(OrderStatus::PendingPayment.code()))
        .filter(orders::payment_expires_at.lt(now))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    let mails_before = queued_mails(&app);
    let wib_today = wib_day(now).unwrap();
    let wib_yesterday = wib_today.pred_opt().unwrap();

    // Two workers (two processes, as far as the database can tell: a connection each) run
    // every step at the same moment.
    let barrier = Arc::new(Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                let mail = support::mail_templates();
                barrier.wait();
                let report = etalase::services::expiry::run(&mut conn, today, &mail).unwrap();
                barrier.wait();
                let cancelled = etalase::models::order::expire_unpaid(&mut conn, now).unwrap();
                barrier.wait();
                let claimed_void = etalase::models::payment::claim_void(
                    &mut conn,
                    payment_id,
                    etalase::models::now_ts(),
                )
                .unwrap();
                barrier.wait();
                let rolled_up = etalase::models::rollup::rollup_since(
                    &mut conn,
                    &day_text(wib_yesterday),
                    &day_text(wib_today),
                )
                .unwrap();
                barrier.wait();
                let snapshot_units =
                    etalase::models::oversight::refresh_snapshot(&mut conn, wib_today).unwrap();
                Round {
                    expired_products: report.products_affected,
                    reminders: report.reminders_sent,
                    cancelled,
                    claimed_void,
                    rolled_up,
                    snapshot_units,
                }
            })
        })
        .collect();
    let rounds: Vec<Round> = workers.into_iter().map(|w| w.join().unwrap()).collect();

    // Documents: one worker marked the expired ones (the other found it done or under way).
    assert_eq!(
        rounds.iter().filter(|r| r.expired_products > 0).count(),
        1,
        "{rounds:?}"
    );
    let expired: Option<i64> = certifications::table
        .filter(certifications::number.eq("NIB-DUA-KEMARIN"))
        .select(certifications::expired_at)
        .first(&mut *app.conn())
        .unwrap();
    assert!(expired.is_some(), "yesterday's document is marked expired");
    // Reminders: each queued once, whichever worker queued it.
    let reminded: usize = rounds.iter().map(|r| r.reminders).sum();
    assert_eq!(queued_mails(&app) - mails_before, reminded as i64);
    // The demo unit may hold documents of its own expiring within 60 days: its staff hear of
    // each document once, and of the two added here in particular.
    let to_staff: Vec<String> = mail_outbox::table
        .filter(mail_outbox::to_addr.eq(staff))
        .select(mail_outbox::body_id)
        .load(&mut *app.conn())
        .unwrap();
    for number in ["NIB-DUA-SEPULUH-HARI", "NIB-DUA-LIMA-PULUH-HARI"] {
        let told = to_staff.iter().filter(|b| b.contains(number)).count();
        assert_eq!(told, 1, "the reminder of {number} once: {to_staff:?}");
    }
    let mut distinct = to_staff.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), to_staff.len(), "no reminder twice");
    // Payment expiry: the order cancelled once, its stock given back once.
    assert_eq!(
        rounds.iter().map(|r| r.cancelled as i64).sum::<i64>(),
        ran_out
    );
    assert!(ran_out >= 1);
    assert_eq!(support::shop::stock_of(&app, product), stock);
    // Closing the open payment at its provider: one worker holds it.
    assert_eq!(
        rounds.iter().filter(|r| r.claimed_void).count(),
        1,
        "{rounds:?}"
    );
    // Roll-ups: both runs succeed and agree, and the rows are there once.
    assert_eq!(rounds[0].rolled_up, rounds[1].rolled_up);
    assert_eq!(rounds[0].snapshot_units, rounds[1].snapshot_units);
    let unit_days: i64 = daily_unit_sales::table
        .filter(daily_unit_sales::day.ge(day_text(wib_yesterday)))
        .filter(daily_unit_sales::day.le(day_text(wib_today)))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(unit_days, rounds[0].rolled_up as i64);
    let snapshot: i64 = etalase::db::schema::unit_oversight::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(snapshot, rounds[0].snapshot_units as i64);
}

/// A search engine that only counts what it is sent.
#[derive(Default)]
struct CountingEngine {
    upserted: AtomicUsize,
    deleted: AtomicUsize,
}

impl SearchEngine for CountingEngine {
    fn name(&self) -> &'static str {
        "counting"
    }

    fn config(&self) -> &etalase::search::config::SearchConfig {
        static CONFIG: std::sync::OnceLock<etalase::search::config::SearchConfig> =
            std::sync::OnceLock::new();
        CONFIG.get_or_init(|| {
            etalase::search::config::SearchConfig::load(std::path::Path::new(
                "search-config/products.json",
            ))
            .unwrap()
        })
    }

    fn prepare(&self) -> SearchFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }

    fn search<'a>(&'a self, _request: &'a SearchRequest) -> SearchFuture<'a, SearchResults> {
        Box::pin(async { Ok(SearchResults::default()) })
    }

    fn upsert(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        self.upserted.fetch_add(docs.len(), Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }

    fn delete(&self, ids: Vec<i64>) -> SearchFuture<'_, ()> {
        self.deleted.fetch_add(ids.len(), Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }

    fn replace_all(&self, _docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }

    fn count(&self) -> SearchFuture<'_, u64> {
        Box::pin(async { Ok(0) })
    }

    fn set_added_synonyms(&self, _added: &[SynonymEntry]) {}
}

#[actix_web::test]
async fn two_indexers_delivering_the_search_outbox_at_once_deliver_each_update_once() {
    // A worker's jobs without an indexer (the embedded index stays with the web instance) and
    // no products: only the two indexers below take rows from the outbox.
    let app = TestApp::spawn_as(None, Role::Worker, |_| {}).await;
    const UPDATES: usize = 1_200;
    // Products the database does not hold: each update is delivered as a deletion.
    let ids: Vec<i32> = (1..=UPDATES as i32).map(|i| 1_000_000 + i).collect();
    etalase::models::search_outbox::enqueue(&mut app.conn(), &ids).unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let indexers: Vec<_> = (0..2)
        .map(|_| {
            let counting = Arc::new(CountingEngine::default());
            let engine: etalase::search::Engine = counting.clone();
            let (pool, barrier) = (app.pool.clone(), barrier.clone());
            let running = std::thread::spawn(move || {
                actix_web::rt::System::new().block_on(async move {
                    barrier.wait();
                    let mut delivered = 0;
                    loop {
                        let round = etalase::services::indexer::deliver(&pool, &engine)
                            .await
                            .unwrap();
                        delivered += round.delivered;
                        if round.delivered == 0 && round.next_due.is_none() {
                            return delivered;
                        }
                    }
                })
            });
            (counting, running)
        })
        .collect();
    let mut delivered = 0;
    let mut sent = 0;
    for (counting, running) in indexers {
        delivered += running.join().unwrap();
        sent += counting.deleted.load(Ordering::SeqCst);
        assert_eq!(counting.upserted.load(Ordering::SeqCst), 0);
    }
    assert_eq!(
        delivered, UPDATES,
        "together the indexers took every row once"
    );
    assert_eq!(sent, UPDATES, "the engines were sent each update once");
    let left = etalase::models::search_outbox::pending(&mut app.conn()).unwrap();
    assert!(left.is_empty(), "{} rows left", left.len());
}

/// A second instance of the shop: `etalase serve --no-jobs` in a process of its own, with its
/// own pool, caches and listener, on the same database. Stopped when dropped.
struct OtherInstance {
    child: Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl OtherInstance {
    fn start(app: &TestApp, database_url: &str) -> OtherInstance {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new(env!("CARGO_BIN_EXE_etalase"))
            .args(["serve", "--no-seed", "--no-jobs"])
            .env("DATABASE_URL", database_url)
            .env("DATA_DIR", dir.path())
            .env("MEDIA_DIR", &app.settings.media_dir)
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("WORKERS", "1")
            .env("DATABASE_POOL_SIZE", "4")
            .env("PAGE_CACHE_SECONDS", "60")
            .env("SESSION_KEY", "ab".repeat(64))
            .env("RUST_LOG", "warn")
            .env_remove("MEILI_URL")
            .env_remove("MEILI_MASTER_KEY")
            .env_remove("SMTP_URL")
            .env_remove("BASE_URL")
            .env_remove("STRIPE_SECRET_KEY")
            .env_remove("MIDTRANS_SERVER_KEY")
            .stdout(Stdio::null())
            .spawn()
            .expect("start a second instance");
        OtherInstance {
            child,
            address: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// GETs `path`: the `X-Cache` header and the body, or what went wrong.
    async fn get(&self, app: &TestApp, path: &str) -> Result<(Option<String>, String), String> {
        let mut res = app
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = res
            .body()
            .limit(20 * 1024 * 1024)
            .await
            .map_err(|e| e.to_string())?;
        if res.status() != 200 {
            return Err(format!("status {}", res.status()));
        }
        let cache = res
            .headers()
            .get("x-cache")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        Ok((cache, String::from_utf8_lossy(&body).into_owned()))
    }
}

impl Drop for OtherInstance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Connections to the test's database whose listener hears catalogue changes: their last
/// statement, done, was `LISTEN etalase_catalog` or a catalogue `NOTIFY`.
fn catalogue_listeners(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let channel = etalase::db::wake::CATALOG_CHANNEL;
    diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND state = 'idle' AND (query LIKE 'LISTEN {channel}%' OR query LIKE 'NOTIFY {channel}%')"
    ))
    .get_result::<Count>(&mut *app.conn())
    .unwrap()
    .n
}

/// Renames a product through `app` the way its pages and jobs write: `db::blocking` on its
/// pool, which moves the catalogue generation on once the change committed.
async fn rename_through(app: &TestApp, id: i32, name: &str) {
    let edit = ProductEdit {
        name: Some(name.into()),
        ..ProductEdit::default()
    };
    etalase::db::blocking(&app.pool, move |c| Ok(update_product(c, id, &edit)?))
        .await
        .unwrap();
}

#[actix_web::test]
async fn a_change_through_one_instance_drops_the_cached_pages_of_another_within_a_second() {
    let app = TestApp::spawn_as(Some(support::small_demo()), Role::WebOnly, |s| {
        s.page_cache_secs = 60
    })
    .await;
    let [(id, slug, _), _] = support::shop::two_products_of_two_units(&app);
    let path = format!("/produk/{slug}");
    let DatabaseUrl::Postgres(database_url) = app.settings.database_url.clone() else {
        // SQLite: one process serves, and a change made through it drops its pages at once.
        support::eventually(
            "the product page to come from the page cache",
            Duration::from_secs(10),
            async || app.get(&path).await.header("x-cache").as_deref() == Some("hit"),
        )
        .await;
        rename_through(&app, id, "Vas Tanah Liat Kenari Baru").await;
        let page = app.get(&path).await;
        assert_eq!(page.header("x-cache"), None, "the change dropped the page");
        assert!(page.body.contains("Vas Tanah Liat Kenari Baru"));
        return;
    };
    support::eventually(
        "the first instance to listen for catalogue changes",
        Duration::from_secs(10),
        async || catalogue_listeners(&app) == 1,
    )
    .await;
    let other = OtherInstance::start(&app, &database_url);
    support::eventually(
        "the second instance to answer",
        Duration::from_secs(60),
        async || other.get(&app, "/health").await.map(|_| ()),
    )
    .await;
    // Once listening, it has dropped what it cached before (it may have missed changes).
    support::eventually(
        "the second instance to listen for catalogue changes",
        Duration::from_secs(10),
        async || catalogue_listeners(&app) == 2,
    )
    .await;
    let cached = support::eventually(
        "the product page to come from the second instance's page cache",
        Duration::from_secs(10),
        async || match other.get(&app, &path).await {
            Ok((Some(hit), body)) if hit == "hit" => Ok(body),
            Ok((cache, _)) => Err(format!("x-cache {cache:?}")),
            Err(e) => Err(e),
        },
    )
    .await;
    // Changed behind both instances' backs (no notification): the second one keeps serving
    // its cached page, so only being told can make it drop it.
    diesel::update(products::table.find(id))
        .set(products::name.eq("Nama Diganti Diam Diam"))
        .execute(&mut *app.conn())
        .unwrap();
    let (cache, body) = other.get(&app, &path).await.unwrap();
    assert_eq!(cache.as_deref(), Some("hit"));
    assert_eq!(body, cached);

    // Through the first instance: the second one shows the change within a second.
    rename_through(&app, id, "Vas Tanah Liat Kenari Baru").await;
    let cache = support::eventually_every(
        "the second instance to show the new name",
        Duration::from_secs(1),
        Duration::from_millis(50),
        async || match other.get(&app, &path).await {
            Ok((cache, body)) if body.contains("Vas Tanah Liat Kenari Baru") => Ok(cache),
            Ok(_) => Err("the old page".to_string()),
            Err(e) => Err(e),
        },
    )
    .await;
    assert_eq!(cache, None, "rendered afresh");
}
