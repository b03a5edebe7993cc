//! `etalase backup` and `etalase restore`: a shop backed up while buyers place orders through
//! the HTTP app is restored whole (every order committed before the backup, with its lines,
//! shipments and the stock it took); a database in use is not replaced; on PostgreSQL the
//! commands print the pg_dump and pg_restore advice.

use crate::support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use etalase::config::Settings;
use etalase::db::schema::{order_items, orders, products, shipments};
use etalase::db::{build_pool, DatabaseUrl};
use etalase::services::backup;
use support::shop::place_order;
use support::{Browser, TestApp};

type Placed = Vec<(String, Instant)>;

/// A buyer placing one-item orders until told to stop; returns each order's secret and when
/// its placing POST was answered (so after it was committed).
async fn buyer(app: &TestApp, products: Vec<i32>, stop: Arc<AtomicBool>, seed: u64) -> Placed {
    let mut placed = Vec::new();
    let mut rng = fastrand::Rng::with_seed(seed);
    while !stop.load(Ordering::Relaxed) {
        let mut browser = Browser::new(app);
        let product = products[rng.usize(..products.len())];
        let page = place_order(&mut browser, &[(product, 1)]).await;
        assert_eq!(page.status, 303, "placing an order: {}", page.body);
        let secret = page.location().trim_start_matches("/pesanan/").to_string();
        placed.push((secret, Instant::now()));
    }
    placed
}

/// Settings of an empty shop in `dir` (SQLite), to restore into.
fn settings_in(base: &Settings, dir: &Path) -> Settings {
    let mut s = base.clone();
    s.data_dir = dir.to_path_buf();
    s.media_dir = dir.join("media");
    s.database_url = DatabaseUrl::Sqlite(dir.join("etalase.db").display().to_string());
    s
}

fn stocks(conn: &mut etalase::db::DbConnection) -> BTreeMap<i32, i32> {
    products::table
        .select((products::id, products::stock))
        .load::<(i32, i32)>(conn)
        .unwrap()
        .into_iter()
        .collect()
}

/// Checks a restored shop: it opens, every order in it is whole, and the stock it holds is
/// the seeded stock less exactly what its orders took.
fn check_restored(settings: &Settings, seeded: &BTreeMap<i32, i32>, must_hold: &[String]) -> i64 {
    let pool = build_pool(&settings.database_url, 1).unwrap();
    let conn = &mut *pool.get().unwrap();
    let secrets: Vec<String> = orders::table.select(orders::secret).load(conn).unwrap();
    for s in must_hold {
        assert!(
            secrets.contains(s),
            "an order committed before the backup is missing from the restored copy"
        );
    }
    let whole: Vec<(i32, i64)> = orders::table
        .select((orders::id, orders::items_total))
        .load(conn)
        .unwrap();
    for (id, items_total) in &whole {
        let lines: Vec<(i64, i32)> = order_items::table
            .filter(order_items::order_id.eq(id))
            .select((order_items::unit_price, order_items::quantity))
            .load(conn)
            .unwrap();
        assert!(!lines.is_empty(), "order {id} has no lines");
        let sum: i64 = lines.iter().map(|(p, q)| p * i64::from(*q)).sum();
        assert_eq!(sum, *items_total, "order {id}: lines and total disagree");
        let shipped: Vec<i64> = shipments::table
            .filter(shipments::order_id.eq(id))
            .select(shipments::items_total)
            .load(conn)
            .unwrap();
        assert!(!shipped.is_empty(), "order {id} has no shipment");
        assert_eq!(shipped.iter().sum::<i64>(), *items_total);
    }
    let mut taken: BTreeMap<i32, i64> = BTreeMap::new();
    for (product, q) in order_items::table
        .select((order_items::product_id, order_items::quantity))
        .load::<(i32, i32)>(conn)
        .unwrap()
    {
        *taken.entry(product).or_default() += i64::from(q);
    }
    let restored = stocks(conn);
    assert_eq!(restored.len(), seeded.len());
    for (id, stock) in seeded {
        let left = i64::from(restored[id]);
        let took = taken.get(id).copied().unwrap_or(0);
        assert_eq!(
            left + took,
            i64::from(*stock),
            "product {id}: stock and order lines disagree in the restored copy"
        );
    }
    whole.len() as i64
}

#[actix_web::test]
async fn a_shop_backed_up_while_orders_are_placed_is_restored_with_every_committed_order() {
    let app = TestApp::spawn().await;
    let documents = backup::documents_dir(&app.settings);
    std::fs::create_dir_all(documents.join("unit-1")).unwrap();
    std::fs::write(documents.join("unit-1/nib.pdf"), b"%PDF-1.4 scan").unwrap();
    let backups = tempfile::tempdir().unwrap();

    if app.is_postgres() {
        // PostgreSQL is backed up with its own tools: the commands say so, and the folders
        // are still copied.
        let report = backup::backup(&app.settings, &backups.path().join("pg")).unwrap();
        let advice = report.postgres_advice.clone().expect("pg_dump advice");
        assert!(report.database.is_none());
        assert!(advice.contains("pg_dump --format=custom"), "{advice}");
        assert!(advice.contains("pg_restore --clean"), "{advice}");
        let DatabaseUrl::Postgres(url) = &app.settings.database_url else {
            unreachable!()
        };
        let db_name = url.rsplit('/').next().unwrap();
        assert!(advice.contains(db_name), "{advice}");
        assert!(report.to_string().contains("pg_dump"));
        assert_eq!(report.documents.files, 1);
        assert!(report.media.files > 0);
        let dir = tempfile::tempdir().unwrap();
        let mut target = settings_in(&app.settings, dir.path());
        target.database_url = app.settings.database_url.clone();
        let restored = backup::restore(&target, &backups.path().join("pg"), false).unwrap();
        assert_eq!(restored.documents.files, 1);
        assert!(restored
            .postgres_advice
            .is_some_and(|a| a.contains("pg_restore")));
        assert!(restored.database.is_none());
        return;
    }

    // The best-stocked products, so no order fails for want of stock.
    let mut by_stock: Vec<(i32, i32)> = products::table
        .filter(products::status.eq("published"))
        .select((products::id, products::stock))
        .load(&mut *app.conn())
        .unwrap();
    by_stock.sort_by_key(|(_, s)| -s);
    let chosen: Vec<i32> = by_stock.iter().take(20).map(|(id, _)| *id).collect();
    let seeded = stocks(&mut app.conn());

    let stop = Arc::new(AtomicBool::new(false));
    let load = futures_util::future::join_all(
        (0..4).map(|i| buyer(&app, chosen.clone(), stop.clone(), i)),
    );
    let driver = async {
        let count = || -> i64 { orders::table.count().get_result(&mut *app.conn()).unwrap() };
        // Two backups while the buyers keep ordering.
        let mut taken = Vec::new();
        for round in 0..2 {
            let wanted = 6 * (round + 1);
            support::eventually_every(
                "the buyers place orders",
                Duration::from_secs(60),
                Duration::from_millis(50),
                async || count() >= wanted,
            )
            .await;
            let settings = app.settings.clone();
            let dest = backups.path().join(format!("backup-{round}"));
            let started = Instant::now();
            let report =
                actix_web::rt::task::spawn_blocking(move || backup::backup(&settings, &dest))
                    .await
                    .unwrap()
                    .unwrap();
            taken.push((report, started));
        }
        // More orders after the last backup, then stop.
        let after = count() + 4;
        support::eventually_every(
            "the buyers place more orders after the last backup",
            Duration::from_secs(60),
            Duration::from_millis(50),
            async || count() >= after,
        )
        .await;
        stop.store(true, Ordering::Relaxed);
        taken
    };
    let (placed, taken) = futures_util::future::join(load, driver).await;
    let placed: Placed = placed.into_iter().flatten().collect();
    let total: i64 = orders::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(total as usize, placed.len());

    for (i, (report, started)) in taken.iter().enumerate() {
        let db = report.database.expect("a SQLite backup holds the database");
        assert_eq!(report.documents.files, 1);
        assert!(report.media.files > 0);
        let before: Vec<String> = placed
            .iter()
            .filter(|(_, at)| at < started)
            .map(|(s, _)| s.clone())
            .collect();
        let restore_dir = tempfile::tempdir().unwrap();
        let target = settings_in(&app.settings, restore_dir.path());
        let restored = backup::restore(&target, &report.folder, false).unwrap();
        assert_eq!(restored.database, Some(db));
        assert!(restored.previous_database.is_none());
        assert_eq!(restored.media.files, report.media.files);
        assert_eq!(
            std::fs::read(backup::documents_dir(&target).join("unit-1/nib.pdf")).unwrap(),
            b"%PDF-1.4 scan"
        );
        let orders_in_copy = check_restored(&target, &seeded, &before);
        eprintln!(
            "backup {i}: {orders_in_copy} orders in the copy, {} committed before it, {total} \
             placed in all; backup took {:?}",
            before.len(),
            report.took
        );
        assert_eq!(orders_in_copy, db.orders);
        assert!(
            orders_in_copy >= before.len() as i64 && orders_in_copy < total,
            "backup {i}: {orders_in_copy} orders, {} committed before it, {total} in all",
            before.len()
        );
    }
}

#[actix_web::test]
async fn restore_refuses_a_database_in_use_unless_forced_and_keeps_the_one_it_replaces() {
    let app = TestApp::spawn().await;
    if app.is_postgres() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("nightly");
        let out = etalase_cli(&["backup", folder.to_str().unwrap()], &app.settings);
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("pg_dump --format=custom"), "{text}");
        return;
    }
    let backups = tempfile::tempdir().unwrap();
    let folder = backups.path().join("nightly");
    // Through the command line, as an operator would.
    let out = etalase_cli(&["backup", folder.to_str().unwrap()], &app.settings);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("240 products"), "{text}");
    let again = etalase_cli(&["backup", folder.to_str().unwrap()], &app.settings);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a backup"));

    // The running app has its database open: restoring over it is refused.
    let out = etalase_cli(&["restore", folder.to_str().unwrap()], &app.settings);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is in use") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(app.get("/").await.status, 200, "the shop still serves");

    // A database nobody has open is replaced, and the old one kept beside it.
    let dir = tempfile::tempdir().unwrap();
    let target = settings_in(&app.settings, dir.path());
    backup::restore(&target, &folder, false).unwrap();
    let open = build_pool(&target.database_url, 1).unwrap();
    let refused = backup::restore(&target, &folder, false).unwrap_err();
    assert!(refused.to_string().contains("is in use"), "{refused}");
    drop(open);
    // r2d2 may still be closing the dropped pool's connection on its own thread for a moment.
    let restored = support::eventually(
        "the database no longer in use once its pool is dropped",
        Duration::from_secs(5),
        async || backup::restore(&target, &folder, false),
    )
    .await;
    let kept = restored
        .previous_database
        .expect("the replaced database is kept");
    assert!(kept.is_file());
    // --force replaces it even while it is open.
    let open = build_pool(&target.database_url, 1).unwrap();
    let out = etalase_cli(&["restore", "--force", folder.to_str().unwrap()], &target);
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("240 products"));
    drop(open);
    let count: i64 = products::table
        .count()
        .get_result(&mut *build_pool(&target.database_url, 1).unwrap().get().unwrap())
        .unwrap();
    assert_eq!(count, 240);
}

fn etalase_cli(args: &[&str], settings: &Settings) -> std::process::Output {
    let url = match &settings.database_url {
        DatabaseUrl::Sqlite(path) => format!("sqlite://{path}"),
        DatabaseUrl::Postgres(url) => url.clone(),
    };
    std::process::Command::new(env!("CARGO_BIN_EXE_etalase"))
        .args(args)
        .env("DATABASE_URL", url)
        .env("DATA_DIR", &settings.data_dir)
        .env("MEDIA_DIR", &settings.media_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run etalase")
}
