//! `GET /metrics` in Prometheus' text format, behind `METRICS_TOKEN`: requests by route pattern
//! and status with their latency, the database pool, the outbox backlogs, the jobs' runs and
//! the page cache. The recorder is one per process: when several tests share a process their
//! counters add up, so counters are compared before and after, and at least.

use crate::support::{self, Page, TestApp};

use std::collections::BTreeMap;
use std::time::Duration;

use diesel::prelude::*;
use etalase::config::MetricsToken;
use etalase::db::schema::{products, search_outbox};
use etalase::jobs::Role;

const TOKEN: &str = "uji-pantau-metrics-0123456789";
const REQUESTS: &str = "etalase_http_requests_total";
const DURATION: &str = "etalase_http_request_duration_seconds";
const PRODUCT_ROUTE: &str = "/produk/{slug}";

/// One sample line: its name, labels and value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

/// A scrape, read line by line.
struct Scrape {
    samples: Vec<Sample>,
}

impl Scrape {
    fn parse(text: &str) -> Self {
        let samples = text
            .lines()
            .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
            .map(|line| {
                let (series, value) = line
                    .rsplit_once(' ')
                    .unwrap_or_else(|| panic!("a value after the series: {line}"));
                let value: f64 = value
                    .parse()
                    .unwrap_or_else(|e| panic!("a number in `{line}`: {e}"));
                let (name, labels) = match series.split_once('{') {
                    Some((name, rest)) => {
                        let inner = rest
                            .strip_suffix('}')
                            .unwrap_or_else(|| panic!("labels closed by }}: {line}"));
                        (name, labels_of(inner))
                    }
                    None => (series, BTreeMap::new()),
                };
                Sample {
                    name: name.to_string(),
                    labels,
                    value,
                }
            })
            .collect();
        Self { samples }
    }

    /// The samples named `name` whose labels include every one of `labels`.
    fn matching<'a>(
        &'a self,
        name: &'a str,
        labels: &'a [(&'a str, &'a str)],
    ) -> impl Iterator<Item = &'a Sample> + 'a {
        self.samples.iter().filter(move |s| {
            s.name == name
                && labels
                    .iter()
                    .all(|(k, v)| s.labels.get(*k).is_some_and(|have| have == v))
        })
    }

    /// The sum of those samples; None when there is none.
    fn sum(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let mut found = self.matching(name, labels).peekable();
        found.peek()?;
        Some(found.map(|s| s.value).sum())
    }

    /// The one sample's value; fails when there is none.
    fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.sum(name, labels)
            .unwrap_or_else(|| panic!("no sample {name} {labels:?}"))
    }
}

/// `key="value",…` (values escaped with `\`) as a map.
fn labels_of(mut rest: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    while let Some((key, after)) = rest.split_once("=\"") {
        let mut value = String::new();
        let mut end = after.len();
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            if escaped {
                value.push(if c == 'n' { '\n' } else { c });
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                end = i + 1;
                break;
            } else {
                value.push(c);
            }
        }
        labels.insert(key.trim_start_matches(',').to_string(), value);
        rest = &after[end..];
    }
    labels
}

/// The demo shop (or an empty one) with a metrics token and the page cache on, without the
/// background jobs that would send its mail.
async fn app_with_token(demo: Option<etalase::seed::DemoOptions>) -> TestApp {
    TestApp::spawn_as(demo, Role::WebOnly, |s| {
        s.metrics_token = MetricsToken::parse(TOKEN);
        s.page_cache_secs = 60;
    })
    .await
}

/// `GET /metrics` with this `Authorization` header, if any.
async fn get_metrics(app: &TestApp, authorization: Option<&str>) -> Page {
    let mut req = app.client.get(app.url("/metrics"));
    if let Some(value) = authorization {
        req = req.insert_header(("Authorization", value));
    }
    let mut res = req.send().await.expect("GET /metrics");
    let body = res
        .body()
        .limit(20 * 1024 * 1024)
        .await
        .expect("the body of /metrics");
    Page {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// A scrape with the right token, which must succeed.
async fn scrape(app: &TestApp) -> Scrape {
    let bearer = format!("Bearer {TOKEN}");
    let page = get_metrics(app, Some(bearer.as_str())).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.header("content-type").as_deref(),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    Scrape::parse(&page.body)
}

#[actix_web::test]
async fn without_a_metrics_token_configured_the_metrics_address_is_not_found() {
    let app = TestApp::spawn_with(None).await;
    assert_eq!(get_metrics(&app, None).await.status, 404);
    let guessed = get_metrics(&app, Some("Bearer apa-saja-yang-cukup-panjang")).await;
    assert_eq!(guessed.status, 404);
    assert!(!guessed.body.contains(REQUESTS), "{}", guessed.body);
}

#[actix_web::test]
async fn metrics_asked_without_the_right_bearer_token_are_refused_with_401() {
    let app = app_with_token(None).await;
    let refused = [
        None,
        Some("Bearer uji-pantau-metrics-salah-sekali".to_string()),
        Some(format!("Bearer {TOKEN}x")),
        Some(format!("Basic {TOKEN}")),
        Some(TOKEN.to_string()),
    ];
    for authorization in refused {
        let page = get_metrics(&app, authorization.as_deref()).await;
        assert_eq!(page.status, 401, "{authorization:?}");
        assert!(
            page.header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer")),
            "a 401 says how to authenticate: {:?}",
            page.headers
        );
        assert!(!page.body.contains(REQUESTS), "{}", page.body);
    }
    // The scheme's case does not matter.
    let lower = format!("bearer {TOKEN}");
    let page = get_metrics(&app, Some(lower.as_str())).await;
    assert_eq!(page.status, 200);
}

#[actix_web::test]
async fn with_the_token_the_metrics_count_requests_by_route_pattern_and_status_and_show_latency_pool_outboxes_and_page_cache(
) {
    let app = app_with_token(Some(support::small_demo())).await;
    let before = scrape(&app).await;

    // A product page twice (the second time from the page cache), a product that does not
    // exist (the same route, 404) and an address no route takes.
    let product = app.get("/").await.first_link_under("/produk/");
    let first = app.get(&product).await;
    assert_eq!(first.status, 200);
    assert_ne!(first.header("x-cache").as_deref(), Some("hit"));
    // Another test in this process may move the catalogue on in between: then ask again.
    let mut product_requests = 1.0;
    support::eventually(
        "the product page answered from the page cache",
        Duration::from_secs(10),
        async || {
            product_requests += 1.0;
            app.get(&product).await.header("x-cache").as_deref() == Some("hit")
        },
    )
    .await;
    assert_eq!(
        app.get("/produk/tidak-ada-produk-seperti-ini").await.status,
        404
    );
    assert_eq!(app.get("/tidak/ada/alamat/seperti/ini").await.status, 404);

    // A mail waiting (no mail sender runs beside this web instance) and a search update not
    // due for a day.
    etalase::models::mail_outbox::enqueue(
        &mut app.conn(),
        &etalase::services::mail::Mail {
            to: "pembeli@contoh.id".into(),
            subject_id: "Surat".into(),
            subject_en: "Mail".into(),
            body_id: "Isi".into(),
            body_en: "Body".into(),
        },
    )
    .expect("queue a mail");
    let product_id: i32 = products::table
        .select(products::id)
        .order(products::id.asc())
        .first(&mut *app.conn())
        .expect("a product");
    let tomorrow_ms = etalase::models::search_outbox::now_ms() + 24 * 3600 * 1000;
    diesel::insert_into(search_outbox::table)
        .values((
            search_outbox::product_id.eq(product_id),
            search_outbox::attempts.eq(3),
            search_outbox::next_attempt_at.eq(tomorrow_ms),
            search_outbox::created_at.eq(tomorrow_ms),
        ))
        .execute(&mut *app.conn())
        .expect("a search update waiting");

    // The indexer delivers what is due meanwhile: look until the backlog read is the table's.
    let after = support::eventually(
        "the search backlog of /metrics is the outbox's",
        Duration::from_secs(10),
        async || {
            let scraped = scrape(&app).await;
            let waiting = etalase::models::search_outbox::backlog(&mut app.conn())
                .expect("count the search outbox");
            let shown = scraped.value("etalase_outbox_pending", &[("outbox", "search")]);
            if shown == waiting as f64 {
                Ok(scraped)
            } else {
                Err(format!("{shown} shown, {waiting} in the table"))
            }
        },
    )
    .await;

    // Requests by route pattern, method and status: never the address asked for.
    let counted = |scraped: &Scrape, route: &str, status: &str| {
        scraped
            .sum(
                REQUESTS,
                &[("route", route), ("method", "GET"), ("status", status)],
            )
            .unwrap_or(0.0)
    };
    let ok = counted(&after, PRODUCT_ROUTE, "200") - counted(&before, PRODUCT_ROUTE, "200");
    assert!(
        ok >= product_requests,
        "{ok} product pages with 200 counted, {product_requests} asked"
    );
    assert!(counted(&after, PRODUCT_ROUTE, "404") - counted(&before, PRODUCT_ROUTE, "404") >= 1.0);
    assert!(counted(&after, "unmatched", "404") - counted(&before, "unmatched", "404") >= 1.0);
    assert!(
        after.matching(REQUESTS, &[]).all(|s| {
            let route = &s.labels["route"];
            route == "unmatched" || !route.contains("tidak-ada")
        }),
        "no series is named after an address"
    );
    assert!(after
        .matching(REQUESTS, &[("route", "/metrics"), ("status", "200")])
        .any(|s| s.value >= 1.0));

    // The latency histogram of the product route: its buckets only grow, the last is every
    // request, and as many as its count.
    let route = [("route", PRODUCT_ROUTE), ("method", "GET")];
    let mut buckets: Vec<(f64, f64)> = after
        .matching(&format!("{DURATION}_bucket"), &route)
        .map(|s| {
            let le = s.labels["le"].as_str();
            let bound = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().expect("a bucket bound")
            };
            (bound, s.value)
        })
        .collect();
    buckets.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(buckets.len(), 12, "11 bounds and +Inf: {buckets:?}");
    assert!(buckets.windows(2).all(|w| w[0].1 <= w[1].1), "{buckets:?}");
    let (last_bound, every) = *buckets.last().expect("a bucket");
    assert_eq!(last_bound, f64::INFINITY);
    assert!(every >= product_requests + 1.0, "{buckets:?}");
    assert_eq!(every, after.value(&format!("{DURATION}_count"), &route));
    assert!(after.value(&format!("{DURATION}_sum"), &route) > 0.0);

    // The pool of this app (DATABASE_POOL_SIZE 4 in the tests).
    let max = after.value("etalase_db_pool_max_connections", &[]);
    let held = after.value("etalase_db_pool_connections", &[]);
    let idle = after.value("etalase_db_pool_idle_connections", &[]);
    assert_eq!(max, f64::from(app.settings.pool_size));
    assert!((1.0..=max).contains(&held), "{held} of {max}");
    assert!((0.0..=held).contains(&idle), "{idle} idle of {held}");

    // The outboxes: the mail waits (nothing sends it here), the search update is not due.
    let unsent =
        etalase::models::mail_outbox::unsent_count(&mut app.conn()).expect("count unsent mail");
    assert!(unsent >= 1);
    assert_eq!(
        after.value("etalase_outbox_pending", &[("outbox", "mail")]),
        unsent as f64
    );
    assert!(after.value("etalase_outbox_pending", &[("outbox", "search")]) >= 1.0);

    // The page cache: at least the product page's hit and its first miss.
    let hits = after.value("etalase_page_cache_hits_total", &[])
        - before.value("etalase_page_cache_hits_total", &[]);
    let misses = after.value("etalase_page_cache_misses_total", &[])
        - before.value("etalase_page_cache_misses_total", &[]);
    assert!(hits >= 1.0, "{hits} hits");
    assert!(misses >= 1.0, "{misses} misses");
    let ratio = hits / (hits + misses);
    assert!(ratio > 0.0 && ratio < 1.0, "hit ratio {ratio}");
}

#[actix_web::test]
async fn the_background_jobs_runs_are_counted_by_job_name() {
    let app = TestApp::spawn_custom(None, |s| {
        s.metrics_token = MetricsToken::parse(TOKEN);
    })
    .await;
    // The daily job and the roll-ups run once at start; the mail sender looks at once too.
    support::eventually(
        "the jobs' first runs are counted",
        Duration::from_secs(20),
        async || {
            let scraped = scrape(&app).await;
            let runs = |job: &str| {
                scraped
                    .sum("etalase_job_runs_total", &[("job", job)])
                    .unwrap_or(0.0)
            };
            let seen: Vec<(&str, f64)> = ["daily", "rollups", "mail_sender", "payment_expiry"]
                .into_iter()
                .map(|job| (job, runs(job)))
                .collect();
            if seen.iter().all(|(_, n)| *n >= 1.0) {
                Ok(())
            } else {
                Err(format!("{seen:?}"))
            }
        },
    )
    .await;
}

#[test]
fn a_metrics_token_too_short_to_be_safe_stops_start_up_saying_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_etalase"))
        .arg("migrate")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("etalase.db").display()),
        )
        .env("DATA_DIR", dir.path())
        .env("METRICS_TOKEN", "pendek")
        .output()
        .expect("run etalase");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("METRICS_TOKEN must be at least 16"), "{err}");
    assert!(err.contains("openssl rand -hex 32"), "{err}");
}

/// `etalase worker` serves no pages, yet it runs the jobs: on `METRICS_ADDR` it answers
/// `/metrics` with the same token, and its job runs are counted there.
#[actix_web::test]
async fn the_worker_answers_metrics_on_its_own_address_with_its_job_runs() {
    let app = TestApp::spawn_as(None, Role::WebOnly, |_| {}).await;
    let database_url = match app.settings.database_url.clone() {
        etalase::db::DatabaseUrl::Postgres(url) => url,
        etalase::db::DatabaseUrl::Sqlite(path) => format!("sqlite://{path}"),
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let dir = tempfile::tempdir().unwrap();
    let mut worker = std::process::Command::new(env!("CARGO_BIN_EXE_etalase"))
        .arg("worker")
        .env("DATABASE_URL", &database_url)
        .env("DATA_DIR", dir.path())
        .env("MEDIA_DIR", &app.settings.media_dir)
        .env("METRICS_TOKEN", TOKEN)
        .env("METRICS_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .env_remove("MEILI_URL")
        .env_remove("MEILI_MASTER_KEY")
        .env_remove("SMTP_URL")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start a worker");
    let address = format!("http://127.0.0.1:{port}/metrics");
    let scraped = support::eventually(
        "the worker's /metrics counting a run of its mail sender",
        Duration::from_secs(30),
        async || {
            let mut res = app
                .client
                .get(&address)
                .insert_header(("Authorization", format!("Bearer {TOKEN}")))
                .send()
                .await
                .ok()?;
            let body = res.body().limit(4 * 1024 * 1024).await.ok()?;
            let scrape = Scrape::parse(std::str::from_utf8(&body).ok()?);
            let runs = scrape.sum("etalase_job_runs_total", &[("job", "mail_sender")])?;
            (runs >= 1.0).then_some(scrape)
        },
    )
    .await;
    assert!(
        scraped
            .sum("etalase_outbox_pending", &[("outbox", "mail")])
            .is_some(),
        "the worker counts the mail outbox too"
    );
    let refused = app.client.get(&address).send().await.unwrap();
    assert_eq!(refused.status(), 401, "no token, no metrics");
    let _ = worker.kill();
    let _ = worker.wait();
}
