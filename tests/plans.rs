//! Query plans of the public pages: with 5,000 products, every statement behind home, the
//! category listings (every sort, pages 1 and 8), a product, a unit, a province and the search
//! page must read products, orders and order lines through an index (no full scan), and on
//! PostgreSQL never sort more than ten times the rows its LIMIT returns. The statements are
//! the ones the pages really run, captured with diesel's instrumentation, and each is
//! explained on the database it ran on (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN (ANALYZE,
//! FORMAT JSON)` of the prepared statement with its values on PostgreSQL, in the generic plan
//! the app's connections use). A product page
//! runs at most four statements, a listing at most three once its total is remembered. An idle
//! shop asks its database at most once every ten seconds (the outbox workers are woken, not
//! polling).

use crate::support::{self, TestApp};

use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::connection::{set_default_instrumentation, Instrumentation, InstrumentationEvent};
use diesel::RunQueryDsl;
use diesel::{Connection, ExpressionMethods, QueryDsl};
use etalase::jobs::Role;
use etalase::seed::DemoOptions;
use serde_json::Value;

/// Every statement run by connections made after the hook was set, as diesel shows it:
/// `SQL -- binds: [..]`.
static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn capture() -> Option<Box<dyn Instrumentation>> {
    Some(Box::new(|event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            STATEMENTS.lock().unwrap().push(query.to_string());
        }
    }))
}

/// The tables whose full scan would grow with the shop.
const BIG_TABLES: [&str; 6] = [
    "products",
    "orders",
    "order_items",
    "shipments",
    "carts",
    "cart_items",
];

/// Splits diesel's `[a, "b", Some(3), None]` into SQL literals.
fn bind_literals(list: &str) -> Vec<String> {
    let list = list.trim();
    let inner = list
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .unwrap_or(list);
    let mut out = Vec::new();
    let (mut current, mut quoted, mut escaped, mut depth) = (String::new(), false, false, 0);
    for ch in inner.chars() {
        match ch {
            _ if escaped => {
                current.push(ch);
                escaped = false;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' | '(' if !quoted => {
                depth += 1;
                current.push(ch);
            }
            ']' | ')' if !quoted => {
                depth -= 1;
                current.push(ch);
            }
            ',' if !quoted && depth == 0 => out.push(std::mem::take(&mut current)),
            _ => current.push(ch),
        }
    }
    if !inner.trim().is_empty() {
        out.push(current);
    }
    out.iter().map(|raw| literal(raw.trim())).collect()
}

fn literal(raw: &str) -> String {
    let raw = raw
        .strip_prefix("Some(")
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(raw);
    if raw == "None" {
        return "NULL".into();
    }
    if raw.starts_with('[') {
        // An array (`= ANY(..)`): PostgreSQL reads '{1,2,3}' as one.
        let items = raw.trim_matches(|c| c == '[' || c == ']');
        return format!("'{{{}}}'", items.replace(' ', ""));
    }
    if raw.parse::<f64>().is_ok() || raw == "true" || raw == "false" {
        return raw.into();
    }
    format!("'{}'", raw.replace('\'', "''"))
}

/// What is wrong with a PostgreSQL plan (JSON), given the statement's LIMIT.
fn pg_problems(plan: &Value, limit: Option<f64>, out: &mut Vec<String>) {
    let node = plan["Node Type"].as_str().unwrap_or_default();
    let relation = plan["Relation Name"].as_str().unwrap_or_default();
    if node == "Seq Scan" && BIG_TABLES.contains(&relation) {
        out.push(format!("a sequential scan of {relation}"));
    }
    if node == "Sort" || node == "Incremental Sort" {
        if let (Some(limit), Some(input)) = (limit, plan["Plans"].get(0)) {
            let rows = input["Actual Rows"].as_f64().unwrap_or(0.0)
                * input["Actual Loops"].as_f64().unwrap_or(1.0);
            if rows > 10.0 * limit {
                out.push(format!("a sort of {rows} rows for a LIMIT of {limit}"));
            }
        }
    }
    for child in plan["Plans"].as_array().into_iter().flatten() {
        pg_problems(child, limit, out);
    }
}

#[derive(diesel::QueryableByName)]
struct PlanText {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PlanJson {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    plan: String,
}

/// The plan's problems for one captured statement. With `indexes_only`, PostgreSQL is told to
/// avoid sequential scans (`enable_seqscan = off`), so a scan it still makes is one no index
/// could replace, however few rows the table holds in the test.
fn problems(app: &TestApp, statement: &str, indexes_only: bool) -> Vec<String> {
    let (sql, binds) = statement
        .rsplit_once(" -- binds: ")
        .unwrap_or((statement, "[]"));
    let mut conn = app.conn();
    let mut found = Vec::new();
    let mut plan_text = String::new();
    if app.is_postgres() {
        // The app's connections use generic plans (`db::DbManager`): the plan explained is the
        // one every run of the statement uses, whatever its values.
        assert_generic_plans(&mut conn);
        if indexes_only {
            conn.batch_execute("SET enable_seqscan = off").unwrap();
        }
        let values = bind_literals(binds);
        let limit = regex_limit(sql).and_then(|n| values.get(n - 1)?.parse::<f64>().ok());
        conn.batch_execute(&format!("PREPARE plan_check AS {sql}"))
            .unwrap();
        let execute = if values.is_empty() {
            "EXECUTE plan_check".to_string()
        } else {
            format!("EXECUTE plan_check({})", values.join(", "))
        };
        let plan: PlanJson = diesel::sql_query(format!("EXPLAIN (ANALYZE, FORMAT JSON) {execute}"))
            .get_result(&mut *conn)
            .unwrap_or_else(|e| panic!("explain {sql} with {values:?}: {e}"));
        conn.batch_execute("DEALLOCATE plan_check; RESET enable_seqscan")
            .unwrap();
        let plan: Value = serde_json::from_str(&plan.plan).unwrap();
        pg_problems(&plan[0]["Plan"], limit, &mut found);
        plan_text = plan.to_string();
    } else {
        let rows: Vec<PlanText> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load(&mut *conn)
            .unwrap_or_else(|e| panic!("explain {sql}: {e}"));
        // An aggregate over the products (the home page's counts) reads an index alone:
        // visiting the table for each of thousands of rows took the home page 39 ms at 50,000
        // products when SQLite walked them in another index's order.
        let aggregate = sql.contains("GROUP BY") && sql.contains("FROM `products`");
        for row in rows {
            let reads_products = row.detail.starts_with("SEARCH products ")
                || row.detail.starts_with("SCAN products");
            if aggregate && reads_products && !row.detail.contains("COVERING INDEX") {
                found.push(format!(
                    "an aggregate visits each product's row: {}",
                    row.detail
                ));
            }
            let full_scan = BIG_TABLES.iter().any(|t| {
                row.detail == format!("SCAN {t}")
                    || row.detail.starts_with(&format!("SCAN {t} "))
                        && !row.detail.contains("INDEX")
            });
            if full_scan {
                found.push(row.detail.clone());
            }
            plan_text.push_str(&row.detail);
            plan_text.push('\n');
        }
    }
    // Documents without a product (the unit's own) are a few among many: they must come from
    // their partial index. SQLite's statistics cannot see that `product_id IS NULL` matches a
    // whole unit's worth of rows, and walked every unit-wide document of the shop through the
    // product index when that index also held them (BENCHMARKS.md, twelfth session).
    let unit_wide = reads_documents(sql)
        && (sql.contains("`product_id` IS NULL") || sql.contains("\"product_id\" IS NULL"));
    if unit_wide && !plan_text.contains("certifications_unit_wide") {
        found.push(format!(
            "documents without a product not read through certifications_unit_wide:\n{plan_text}"
        ));
    }
    found
}

/// Whether a statement reads the legal documents (`certifications`), on either database.
fn reads_documents(sql: &str) -> bool {
    sql.contains("FROM `certifications`") || sql.contains("FROM \"certifications\"")
}

/// The number of the placeholder after `LIMIT` (`LIMIT $3` → 3).
fn regex_limit(sql: &str) -> Option<usize> {
    let at = sql.find("LIMIT $")?;
    let digits: String = sql[at + 7..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[actix_web::test]
async fn public_pages_read_products_through_indexes_and_sort_no_more_than_they_show() {
    set_default_instrumentation(capture).unwrap();
    let app = TestApp::spawn_as(
        Some(DemoOptions {
            products: 5000,
            ..support::small_demo()
        }),
        Role::WebOnly,
        |s| s.page_cache_secs = 0,
    )
    .await;
    let home = app.get("/").await;
    let first = |prefix: &str| home.first_link_under(prefix);
    let mut paths = vec![
        "/".to_string(),
        first("/produk/"),
        first("/unit/"),
        first("/provinsi/"),
        "/cari?q=kopi".to_string(),
    ];
    let category = first("/kategori/");
    let first_listing = paths.len();
    // Pages 21 and 22 are deep: they start from a remembered anchor (the first deep page
    // reads the anchors, the next one only its rows).
    for sort in ["popular", "newest", "price_asc", "price_desc"] {
        for page in [1, 8, 21, 22] {
            paths.push(format!("{category}?sort={sort}&page={page}"));
        }
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &paths {
        STATEMENTS.lock().unwrap().clear();
        let page = app.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        // The page's statements; the search indexer polls its outbox meanwhile, on its own.
        let statements: Vec<String> = std::mem::take(&mut *STATEMENTS.lock().unwrap())
            .into_iter()
            .filter(|s| !s.contains("search_outbox"))
            .collect();
        // A product page in four statements; a listing in three once its total is
        // remembered (the first load of a category counts it).
        let most = match path.as_str() {
            p if p.starts_with("/produk/") => Some(4),
            p if p.ends_with("page=21") => None,
            p if p.starts_with(&category) && p != paths[first_listing] => Some(3),
            _ => None,
        };
        if let Some(most) = most {
            assert!(
                statements.len() <= most,
                "{path} ran {} statements (at most {most}):\n{}",
                statements.len(),
                statements.join("\n")
            );
        }
        // The cards' documents too: their statement must find a unit's own documents through
        // their index (see `problems`).
        let documents = statements.iter().filter(|s| reads_documents(s));
        for statement in reads_of_big_tables(&statements)
            .into_iter()
            .chain(documents)
        {
            checked += 1;
            // The product page counts pieces sold from order lines, which this shop has none
            // of: PostgreSQL rightly scans an empty table, so such a statement is planned as
            // checkout's are, with no sequential scan where an index could serve.
            let indexes_only = statement.contains("order_items");
            for problem in problems(&app, statement, indexes_only) {
                failures.push(format!("{path}: {problem}\n    in {statement}"));
            }
        }
    }
    assert!(
        checked >= paths.len(),
        "each page's statements were seen ({checked})"
    );
    assert!(
        failures.is_empty(),
        "plans that grow with the shop:\n{}",
        failures.join("\n")
    );
}

/// The captured statements that read one of the tables that grow with the shop.
fn reads_of_big_tables(statements: &[String]) -> Vec<&String> {
    statements
        .iter()
        .filter(|s| {
            s.starts_with("SELECT")
                && BIG_TABLES
                    .iter()
                    .any(|t| s.contains(&format!("{t}`")) || s.contains(&format!("\"{t}\"")))
        })
        .collect()
}

#[actix_web::test]
async fn checkout_and_the_order_page_find_orders_lines_parcels_and_carts_through_indexes() {
    set_default_instrumentation(capture).unwrap();
    let app = TestApp::spawn_web_only().await;
    let [(a, _, _), (b, _, _)] = support::shop::two_products_of_two_units(&app);
    let mut buyer = support::Browser::new(&app);
    STATEMENTS.lock().unwrap().clear();
    let placed = support::shop::place_order(&mut buyer, &[(a, 1), (b, 2)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let order = buyer.get(&placed.location()).await;
    assert_eq!(order.status, 200);
    let statements = std::mem::take(&mut *STATEMENTS.lock().unwrap());
    let reads = reads_of_big_tables(&statements);
    assert!(
        reads.iter().any(|s| s.contains("order_items"))
            && reads.iter().any(|s| s.contains("shipments")),
        "the order page reads its lines and parcels:\n{}",
        statements.join("\n")
    );
    let failures: Vec<String> = reads
        .iter()
        .flat_map(|statement| {
            problems(&app, statement, true)
                .into_iter()
                .map(move |problem| format!("{problem}\n    in {statement}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "checkout or the order page scans a table that grows with every order:\n{}",
        failures.join("\n")
    );
}

/// Waits until no statement has been captured for `quiet` (at most `within`), so start-up work
/// (index check, first rounds of the jobs) is over.
async fn settle(quiet: Duration, within: Duration) {
    let started = Instant::now();
    let mut seen = usize::MAX;
    let mut since = Instant::now();
    while started.elapsed() < within {
        let now_seen = STATEMENTS.lock().unwrap().len();
        if now_seen != seen {
            (seen, since) = (now_seen, Instant::now());
        } else if since.elapsed() >= quiet {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the shop did not settle within {within:?}");
}

#[actix_web::test]
async fn an_idle_shop_asks_its_database_at_most_once_every_ten_seconds() {
    set_default_instrumentation(capture).unwrap();
    // The web with every background job: search indexer, mail sender, payment expiry, daily.
    let app = TestApp::spawn().await;
    settle(Duration::from_secs(2), Duration::from_secs(60)).await;
    STATEMENTS.lock().unwrap().clear();
    let window = Duration::from_secs(30);
    actix_web::rt::time::sleep(window).await;
    let statements = std::mem::take(&mut *STATEMENTS.lock().unwrap());
    assert!(
        statements.len() <= 3,
        "{} statements in {window:?} of idling (at most 3):\n{}",
        statements.len(),
        statements.join("\n")
    );
    // Still awake: an order placed now is mailed at once, not at the next fallback round.
    let [(product, _, _), _] = support::shop::two_products_of_two_units(&app);
    let mut buyer = support::Browser::new(&app);
    let placed = support::shop::place_order(&mut buyer, &[(product, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    support::eventually(
        "the order mail is sent",
        Duration::from_secs(5),
        async || {
            let unsent: i64 = etalase::db::schema::mail_outbox::table
                .filter(etalase::db::schema::mail_outbox::sent_at.is_null())
                .count()
                .get_result(&mut *app.conn())
                .unwrap();
            unsent == 0
        },
    )
    .await;
}

#[actix_web::test]
async fn a_notify_from_elsewhere_wakes_the_outbox_worker_which_polls_slowly_only_while_listening() {
    use etalase::db::wake::{self, Outbox};
    let dir = tempfile::tempdir().unwrap();
    // On SQLite every writer is in this process: nothing to listen to.
    let Some((_, listen_url, _database)) = fresh_postgres_database(dir.path()) else {
        return;
    };
    wake::listen(listen_url.clone());
    // The listener wakes every worker once it listens (rows queued before went unheard).
    wake::wait(Outbox::Search, Duration::from_secs(10)).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    // Listening, the workers hear every queue write and look for themselves every two minutes.
    assert_eq!(wake::fallback(), wake::FALLBACK);
    let mut other = diesel::PgConnection::establish(&listen_url).unwrap();
    diesel::sql_query(format!("NOTIFY {}", Outbox::Search.channel()))
        .execute(&mut other)
        .unwrap();
    let started = Instant::now();
    wake::wait(Outbox::Search, Duration::from_secs(20)).await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "woken after {:?}",
        started.elapsed()
    );

    // The listener's connection is cut: back to 30 s until it has listened again.
    let cut: Vec<PlanText> = diesel::sql_query(
        "SELECT CAST(pg_terminate_backend(pid) AS TEXT) AS detail FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid() \
         AND query LIKE 'LISTEN%'",
    )
    .load(&mut other)
    .unwrap();
    assert_eq!(cut.len(), 1, "the listener's backend is found");
    support::eventually(
        "the workers look every 30 s",
        Duration::from_secs(5),
        async || wake::fallback() == wake::FALLBACK_UNHEARD,
    )
    .await;
    support::eventually(
        "the listener is back",
        Duration::from_secs(15),
        async || wake::fallback() == wake::FALLBACK,
    )
    .await;
}

/// A fresh database and its PostgreSQL address, for a connection of a test's own; `None` when
/// the tests run on SQLite.
fn fresh_postgres_database(
    dir: &std::path::Path,
) -> Option<(etalase::db::DatabaseUrl, String, support::DropDatabase)> {
    let (url, database) = support::fresh_database(dir);
    match url.listen_url() {
        Some(direct) => Some((url, direct, database)),
        None => {
            assert!(matches!(url, etalase::db::DatabaseUrl::Sqlite(_)));
            None
        }
    }
}

/// Fails unless the connection plans prepared statements once, generically (`db::DbManager`).
fn assert_generic_plans(conn: &mut etalase::db::DbConnection) {
    let mode: Vec<PlanText> = diesel::sql_query(
        "SELECT setting AS detail FROM pg_settings WHERE name = 'plan_cache_mode'",
    )
    .load(conn)
    .unwrap();
    assert_eq!(mode[0].detail, "force_generic_plan");
}

/// One step of SQLite's bytecode (`EXPLAIN`).
#[derive(diesel::QueryableByName, Debug)]
struct Opcode {
    #[diesel(sql_type = diesel::sql_types::Text)]
    opcode: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    p1: i32,
}

#[actix_web::test]
async fn plans_never_depend_on_the_values_bound_so_a_kept_statement_is_not_planned_again_on_every_run(
) {
    let app = TestApp::spawn_with(None).await;
    let mut conn = app.conn();
    if app.is_postgres() {
        // PostgreSQL: one generic plan per prepared statement, made once per connection.
        assert_generic_plans(&mut conn);
        return;
    }
    // SQLite without its query planner stability guarantee (`.cargo/config.toml`) folds the
    // value bound to `LIMIT ?` into the program (`Integer 7`) and marks the statement to be
    // prepared again each time the limit is bound, which diesel does on every run.
    let program: Vec<Opcode> = diesel::sql_query("EXPLAIN SELECT id FROM products LIMIT ?")
        .bind::<diesel::sql_types::BigInt, _>(7_i64)
        .load(&mut *conn)
        .unwrap();
    assert!(
        program.iter().any(|op| op.opcode == "Variable"),
        "the limit is read from its parameter when the statement runs: {program:?}"
    );
    assert!(
        !program
            .iter()
            .any(|op| op.opcode == "Integer" && op.p1 == 7),
        "the bound limit was folded into the plan: {program:?}"
    );
}

/// Statements a connection prepared for its cache and statements it ran (`SQL -- binds: ..`),
/// as diesel's instrumentation reports them (`CacheQuery` comes only when a statement is
/// prepared to be kept).
#[derive(Default)]
struct Prepared {
    kept: Vec<String>,
    ran: Vec<String>,
}

static PREPARED: Mutex<Prepared> = Mutex::new(Prepared {
    kept: Vec::new(),
    ran: Vec::new(),
});

fn count_prepared(event: InstrumentationEvent<'_>) {
    let mut seen = PREPARED.lock().unwrap();
    match event {
        InstrumentationEvent::CacheQuery { sql, .. } => seen.kept.push(sql.to_string()),
        InstrumentationEvent::StartQuery { query, .. } => seen.ran.push(query.to_string()),
        _ => {}
    }
}

/// What was prepared to be kept and what ran since the last call.
fn take_prepared() -> Prepared {
    std::mem::take(&mut *PREPARED.lock().unwrap())
}

/// A connection of its own to `app`'s database, whose statements are counted from its first
/// (`count_prepared`).
fn counted_connection(app: &TestApp) -> etalase::db::PooledConn {
    let pool = etalase::db::build_pool(&app.settings.database_url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    conn.set_instrumentation(count_prepared);
    conn
}

/// The statements of `seen` that ran without having been prepared to be kept.
fn not_kept(seen: &Prepared) -> Vec<&String> {
    seen.ran
        .iter()
        .filter(|ran| !seen.kept.iter().any(|sql| ran.starts_with(sql.as_str())))
        .collect()
}

#[actix_web::test]
async fn product_pages_and_listings_prepare_each_statement_once_even_with_lists_of_ids_of_any_length(
) {
    use etalase::db::schema::products;
    use etalase::domain::{ListingSort, PageNumber};
    use etalase::models::product::{self, ListingScope};
    let app = TestApp::spawn().await;
    let caches = etalase::services::cache::Caches::new(Duration::from_secs(60));
    let today = etalase::models::today_iso();
    // Two published products of different categories, so the second page loads other related
    // products (and a list of ids of another length) than the first.
    let picks: Vec<(String, i32)> = products::table
        .filter(products::status.eq("published"))
        .select((products::slug, products::category_id))
        .order(products::id)
        .load(&mut *app.conn())
        .unwrap();
    let first = picks[0].clone();
    let second = picks
        .iter()
        .find(|(_, category)| *category != first.1)
        .expect("a product of another category")
        .clone();
    let mut conn = counted_connection(&app);
    let listing = |conn: &mut etalase::db::DbConnection, category: i32, page: Option<&str>| {
        product::listing(
            conn,
            &caches,
            ListingScope::Category(category),
            ListingSort::Popular,
            PageNumber::parse_or_first(page),
            24,
            &today,
        )
        .unwrap()
    };

    let page = product::product_page(&mut conn, &caches.related, &first.0, 4, &today).unwrap();
    assert!(!page.related.is_empty(), "the page has related products");
    let cards = listing(&mut conn, first.1, None).cards.len();
    assert!(cards > 1, "the listing shows products");
    let seen = take_prepared();
    assert!(seen.ran.len() >= 5, "the pages ran their statements");
    assert_eq!(
        not_kept(&seen),
        Vec::<&String>::new(),
        "every statement of a product page and a listing is prepared to be kept, none is \
         prepared for one run only"
    );

    product::product_page(&mut conn, &caches.related, &second.0, 4, &today).unwrap();
    listing(&mut conn, second.1, Some("2"));
    let seen = take_prepared();
    assert!(seen.ran.len() >= 3, "the second pages ran their statements");
    assert_eq!(
        seen.kept,
        Vec::<String>::new(),
        "a second product page and listing run their statements again from the cache, \
         preparing none"
    );
}

#[actix_web::test]
async fn deep_listing_pages_start_from_an_anchor_and_show_exactly_the_rows_every_sort_puts_there() {
    use etalase::db::schema::{products, units};
    use etalase::domain::{ListingSort, PageNumber};
    use etalase::models::product::{self, ListingScope, ANCHOR_EVERY};
    let app = TestApp::spawn_with(Some(DemoOptions {
        products: 3000,
        units: 60,
        seed: 7,
    }))
    .await;
    let caches = etalase::services::cache::Caches::new(Duration::from_secs(60));
    let today = etalase::models::today_iso();
    let mut counted = counted_connection(&app);
    let conn = &mut *counted;
    // The largest category, several anchors deep.
    // (Products of units switched off are never listed.)
    let sizes: Vec<(i32, i64)> = products::table
        .inner_join(units::table)
        .filter(units::active.eq(1))
        .filter(products::status.eq("published"))
        .group_by(products::category_id)
        .select((products::category_id, diesel::dsl::count_star()))
        .load(conn)
        .unwrap();
    let (category, size) = sizes.into_iter().max_by_key(|(_, n)| *n).unwrap();
    assert!(size > 2 * ANCHOR_EVERY, "{size} products to page through");
    let last_page = (size as u32).div_ceil(24);
    for sort in ListingSort::ALL {
        // Every row of the category in the sort's order, read plainly.
        let rows: Vec<(i32, i32, i64, i64)> = products::table
            .inner_join(units::table)
            .filter(units::active.eq(1))
            .filter(products::status.eq("published"))
            .filter(products::category_id.eq(category))
            .select((
                products::id,
                products::popularity,
                products::created_at,
                products::price,
            ))
            .load(conn)
            .unwrap();
        let mut expected = rows;
        expected.sort_by(|a, b| match sort {
            ListingSort::Popular => (b.1, b.0).cmp(&(a.1, a.0)),
            ListingSort::Newest => (b.2, b.0).cmp(&(a.2, a.0)),
            ListingSort::PriceAsc => (a.3, a.0).cmp(&(b.3, b.0)),
            ListingSort::PriceDesc => (b.3, b.0).cmp(&(a.3, a.0)),
        });
        for page in [1, 10, 11, 12, 21, last_page - 1, last_page, last_page + 3] {
            let listing = product::listing(
                conn,
                &caches,
                ListingScope::Category(category),
                sort,
                PageNumber::parse_or_first(Some(&page.to_string())),
                24,
                &today,
            )
            .unwrap();
            let shown: Vec<i32> = listing.cards.iter().map(|c| c.product.id).collect();
            let from = ((page as usize - 1) * 24).min(expected.len());
            let want: Vec<i32> = expected[from..(from + 24).min(expected.len())]
                .iter()
                .map(|row| row.0)
                .collect();
            assert_eq!(shown, want, "{sort:?}, page {page} of {last_page}");
            assert_eq!(listing.total, size);
        }
    }
    let seen = take_prepared();
    assert_eq!(
        not_kept(&seen),
        Vec::<&String>::new(),
        "every statement of the deep pages (anchors, keyset) is prepared to be kept"
    );
}

#[actix_web::test]
async fn a_postgresql_connection_the_server_closed_fails_once_and_the_pool_then_opens_another() {
    let dir = tempfile::tempdir().unwrap();
    // On SQLite a file, no server to close the connection.
    let Some((url, direct, _database)) = fresh_postgres_database(dir.path()) else {
        return;
    };
    let pool = etalase::db::build_pool(&url, 1).unwrap();
    let backend = |conn: &mut etalase::db::DbConnection| {
        diesel::sql_query("SELECT CAST(pg_backend_pid() AS TEXT) AS detail")
            .load::<PlanText>(conn)
            .map(|rows| rows[0].detail.clone())
    };
    let first = backend(&mut pool.get().unwrap()).unwrap();
    let mut other = diesel::PgConnection::establish(&direct).unwrap();
    diesel::sql_query(format!(
        "SELECT CAST(pg_terminate_backend({first}) AS TEXT) AS detail"
    ))
    .load::<PlanText>(&mut other)
    .unwrap();
    let failed = backend(&mut pool.get().unwrap());
    assert!(
        matches!(
            failed,
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::ClosedConnection,
                _
            ))
        ),
        "{failed:?}"
    );
    let second = backend(&mut pool.get().unwrap()).expect("a new connection serves");
    assert_ne!(first, second);
}
