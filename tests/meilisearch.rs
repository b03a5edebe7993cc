//! The Meilisearch adapter, checked against exchanges recorded from a real Meilisearch 1.50.0
//! (`tests/fixtures/meilisearch-1.50`), and the outbox surviving a Meilisearch outage.
//!
//! Meilisearch cannot be installed here, so `FakeMeili` stands in for it: it answers the
//! endpoints the adapter uses with bodies shaped exactly like the recorded ones (task objects,
//! error codes, `totalHits` in page mode). Its matching is deliberately simple (every word of
//! `q` in the name or description, filters not evaluated): relevance is the embedded engine's
//! test; here the protocol is under test.

use crate::support;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use diesel::prelude::*;
use etalase::config::MeiliSettings;
use etalase::db::schema::{products, search_outbox};
use etalase::search::meili::{
    error_from_answer, index_settings, parse_search, search_body, MeiliEngine,
};
use etalase::search::{
    SearchConfig, SearchDoc, SearchEngine, SearchError, SearchFilters, SearchRequest, SearchSort,
};
use serde_json::{json, Value};
use support::TestApp;

const KEY: &str = "test-master-key";

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/meilisearch-1.50/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

#[derive(Default)]
struct FakeState {
    index_exists: bool,
    docs: BTreeMap<i64, Value>,
    requests: Vec<(String, String, Value)>,
    next_task: u64,
}

#[derive(Clone, Default)]
struct FakeMeili(Arc<Mutex<FakeState>>);

fn task_answer(state: &mut FakeState, kind: &str) -> HttpResponse {
    let uid = state.next_task;
    state.next_task += 1;
    HttpResponse::Accepted().json(json!({
        "taskUid": uid, "indexUid": "products", "status": "enqueued", "type": kind,
        "enqueuedAt": "2026-11-23T00:54:06.76251723Z"
    }))
}

fn error_answer(status: u16, recorded: &str) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .json(&fixture(recorded)["response"]["body"])
}

async fn answer(fake: web::Data<FakeMeili>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut s = fake.0.lock().unwrap();
    let path = req.path().to_string();
    s.requests
        .push((req.method().to_string(), path.clone(), body.clone()));
    if path == "/health" {
        return HttpResponse::Ok().json(json!({"status": "available"}));
    }
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if auth != Some(&format!("Bearer {KEY}")) {
        return error_answer(403, "04-wrong-key");
    }
    let method = req.method().as_str();
    let docs_path = "/indexes/products/documents";
    match (method, path.as_str()) {
        ("POST", "/indexes") => {
            s.index_exists = true;
            task_answer(&mut s, "indexCreation")
        }
        ("PATCH", "/indexes/products/settings") => task_answer(&mut s, "settingsUpdate"),
        ("GET", p) if p.starts_with("/tasks/") => {
            let uid: u64 = p["/tasks/".len()..].parse().unwrap();
            let mut task = fixture("09-get-task")["response"]["body"].clone();
            task["uid"] = json!(uid);
            HttpResponse::Ok().json(task)
        }
        ("POST", p) if p == docs_path => {
            for doc in body.as_array().unwrap() {
                s.docs.insert(doc["id"].as_i64().unwrap(), doc.clone());
            }
            task_answer(&mut s, "documentAdditionOrUpdate")
        }
        ("DELETE", p) if p == docs_path => {
            s.docs.clear();
            task_answer(&mut s, "documentDeletion")
        }
        ("POST", "/indexes/products/documents/delete-batch") => {
            for id in body.as_array().unwrap() {
                s.docs.remove(&id.as_i64().unwrap());
            }
            task_answer(&mut s, "documentDeletion")
        }
        ("DELETE", p) if p.starts_with(docs_path) => {
            let id: i64 = p[docs_path.len() + 1..].parse().unwrap();
            s.docs.remove(&id);
            task_answer(&mut s, "documentDeletion")
        }
        ("GET", "/indexes/products/stats") => {
            let mut stats = fixture("21-index-stats")["response"]["body"].clone();
            stats["numberOfDocuments"] = json!(s.docs.len());
            HttpResponse::Ok().json(stats)
        }
        ("POST", "/indexes/products/search") => {
            if !s.index_exists {
                return error_answer(404, "03-missing-index-search");
            }
            if let Some(filter) = body["filter"].as_str() {
                if filter.contains("color") {
                    return error_answer(400, "15-search-bad-filter-attribute");
                }
            }
            let words: Vec<String> = body["q"]
                .as_str()
                .unwrap_or_default()
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let hits: Vec<&Value> = s
                .docs
                .values()
                .filter(|d| {
                    let text = format!("{} {}", d["name"], d["description"]).to_lowercase();
                    words.iter().all(|w| text.contains(w.as_str()))
                })
                .collect();
            let per_page = body["hitsPerPage"].as_u64().unwrap_or(20) as usize;
            let page = body["page"].as_u64().unwrap_or(1) as usize;
            let total = hits.len();
            let shown: Vec<Value> = hits
                .iter()
                .skip((page - 1) * per_page)
                .take(per_page)
                .map(|d| json!({"id": d["id"], "slug": d["slug"], "name": d["name"]}))
                .collect();
            HttpResponse::Ok().json(json!({
                "hits": shown, "query": body["q"], "processingTimeMs": 0,
                "hitsPerPage": per_page, "page": page, "totalPages": total.div_ceil(per_page),
                "totalHits": total, "facetDistribution": {}, "facetStats": {},
                "requestUid": "01a205e5-5d22-7120-91f8-a2e9a675db32"
            }))
        }
        _ => HttpResponse::NotFound().json(json!({"message": "not faked", "code": "not_faked"})),
    }
}

impl FakeMeili {
    /// Serves on `port` (0 picks one); returns the port and the handle that stops it.
    fn start(&self, port: u16) -> (u16, ServerHandle) {
        let data = web::Data::new(self.clone());
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("fake port");
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(answer))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        (port, handle)
    }

    fn requests(&self) -> Vec<(String, String, Value)> {
        std::mem::take(&mut self.0.lock().unwrap().requests)
    }

    fn doc(&self, id: i64) -> Option<Value> {
        self.0.lock().unwrap().docs.get(&id).cloned()
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap().docs.len()
    }
}

fn sample_doc() -> SearchDoc {
    let recorded = &fixture("08-add-documents")["request"]["body"][1];
    SearchDoc {
        id: 2,
        slug: "keripik-singkong-balado".into(),
        name: recorded["name"].as_str().unwrap().into(),
        kind: "Keripik singkong".into(),
        brand: recorded["brand"].as_str().unwrap().into(),
        category: recorded["category"].as_str().unwrap().into(),
        unit_name: recorded["unit_name"].as_str().unwrap().into(),
        unit_slug: recorded["unit_slug"].as_str().unwrap().into(),
        city: recorded["city"].as_str().unwrap().into(),
        province: recorded["province"].as_str().unwrap().into(),
        description: recorded["description"].as_str().unwrap().into(),
        description_en: "Spicy-sweet cassava chips.".into(),
        certifications: vec!["PIRT".into()],
        price: 18_000,
        price_band: "0-50000".into(),
        in_stock: true,
        created_at: 1_751_000_000,
        popularity: 75,
    }
}

#[actix_web::test]
async fn the_adapter_sends_the_requests_meilisearch_documents() {
    let fake = FakeMeili::default();
    let (port, _handle) = fake.start(0);
    let config = SearchConfig::load(std::path::Path::new("search-config/products.json")).unwrap();
    let engine = MeiliEngine::new(&format!("http://127.0.0.1:{port}"), KEY, config.clone());

    engine.prepare().await.unwrap();
    let sent = fake.requests();
    let create = fixture("05-create-index");
    assert_eq!(sent[0].0, create["request"]["method"]);
    assert_eq!(sent[0].1, create["request"]["path"]);
    assert_eq!(sent[0].2, create["request"]["body"]);
    assert_eq!(sent[1].1, "/tasks/0", "waits for the index");
    assert_eq!(sent[2].0, "PATCH");
    assert_eq!(sent[2].1, fixture("06-update-settings")["request"]["path"]);
    // The settings file, read into the SDK's `Settings` (which writes the typo-tolerance
    // attributes the file leaves out as null: Meilisearch's defaults).
    assert_eq!(
        sent[2].2,
        serde_json::to_value(index_settings(&config).unwrap()).unwrap(),
        "the settings file is sent through the SDK"
    );
    assert_eq!(sent[3].1, "/tasks/1");

    engine.upsert(vec![sample_doc()]).await.unwrap();
    let sent = fake.requests();
    let add = fixture("08-add-documents");
    assert_eq!(
        (sent[0].0.as_str(), &sent[0].1),
        (
            "POST",
            &add["request"]["path"].as_str().unwrap().to_string()
        )
    );
    let ours = sent[0].2[0].as_object().unwrap();
    for key in add["request"]["body"][1].as_object().unwrap().keys() {
        assert!(
            ours.contains_key(key),
            "documents carry the recorded attribute {key}"
        );
    }
    assert_eq!(ours["name"], add["request"]["body"][1]["name"]);

    engine.delete(vec![6]).await.unwrap();
    let sent = fake.requests();
    let delete = fixture("18-delete-document");
    assert_eq!(sent[0].0, delete["request"]["method"]);
    assert_eq!(sent[0].1, delete["request"]["path"]);

    let request = SearchRequest {
        text: "keripik".into(),
        filters: SearchFilters {
            categories: vec!["Kuliner".into()],
            price_max: Some(20_000),
            in_stock: true,
            ..SearchFilters::default()
        },
        sort: SearchSort::PriceAsc,
        page: 1,
        per_page: 2,
        facets: true,
        relaxed: false,
        brand: true,
    };
    let results = engine.search(&request).await.unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, 2);
    let sent = fake.requests();
    let recorded = &fixture("13-search-facets-filter-sort-paged")["request"];
    assert_eq!(sent[0].1, recorded["path"]);
    let body = &sent[0].2;
    assert_eq!(body["q"], recorded["body"]["q"]);
    assert_eq!(
        body["filter"],
        "category = \"Kuliner\" AND price <= 20000 AND in_stock = true"
    );
    assert_eq!(body["sort"], recorded["body"]["sort"]);
    assert_eq!(body["hitsPerPage"], recorded["body"]["hitsPerPage"]);
    assert_eq!(body["page"], recorded["body"]["page"]);
    assert_eq!(body, &search_body(&request, &config));

    assert_eq!(engine.count().await.unwrap(), 1);
    assert_eq!(
        fake.requests()[0].1,
        fixture("21-index-stats")["request"]["path"]
    );
}

#[actix_web::test]
async fn recorded_search_answers_are_read_in_both_pagination_modes() {
    let paged =
        parse_search(&fixture("13-search-facets-filter-sort-paged")["response"]["body"]).unwrap();
    assert_eq!(paged.total, 2);
    assert_eq!(paged.hits.iter().map(|h| h.id).collect::<Vec<_>>(), [6, 2]);
    assert_eq!(paged.hits[0].name, "Kripik Pisang Manis");
    assert_eq!(paged.facets["category"]["Kuliner"], 2);
    assert_eq!(paged.facets["certifications"]["PIRT"], 1);

    let simple = parse_search(&fixture("10-search-simple")["response"]["body"]).unwrap();
    assert_eq!(simple.total, 1, "estimatedTotalHits in offset mode");
    assert_eq!(simple.hits[0].id, 1);
    let typo = parse_search(&fixture("11-search-typo")["response"]["body"]).unwrap();
    assert_eq!(typo.hits[0].id, 1);
    let synonym = parse_search(&fixture("12-search-synonym")["response"]["body"]).unwrap();
    assert_eq!(synonym.hits[0].id, 3);
    let facets =
        parse_search(&fixture("14-search-empty-query-facets")["response"]["body"]).unwrap();
    assert_eq!(facets.total, 6);
    assert_eq!(facets.facets["category"]["Kuliner"], 3);
}

#[actix_web::test]
async fn recorded_errors_are_told_apart_as_refused_requests_or_an_unavailable_engine() {
    for (name, status) in [
        ("15-search-bad-filter-attribute", 400),
        ("16-search-bad-sort", 400),
        ("17-search-bad-filter-syntax", 400),
    ] {
        let body = &fixture(name)["response"]["body"];
        match error_from_answer(status, body) {
            SearchError::Rejected { code, .. } => assert_eq!(code, body["code"].as_str().unwrap()),
            other => panic!("{name}: {other:?}"),
        }
    }
    for (name, status) in [("03-missing-index-search", 404), ("04-wrong-key", 403)] {
        let body = &fixture(name)["response"]["body"];
        assert!(
            matches!(error_from_answer(status, body), SearchError::Unavailable(_)),
            "{name}"
        );
    }
    // And from a live exchange: a wrong key.
    let fake = FakeMeili::default();
    let (port, _handle) = fake.start(0);
    let engine = MeiliEngine::new(
        &format!("http://127.0.0.1:{port}"),
        "wrong",
        SearchConfig::built_in(),
    );
    let err = engine
        .search(&SearchRequest::new("kopi"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("invalid_api_key"), "{err}");
}

/// The outbox rows of one product. (The start-up document job may queue other products at any
/// moment, so the test looks only at the one it edits.)
fn outbox_rows(app: &TestApp, product_id: i32) -> Vec<(i32, Option<String>)> {
    search_outbox::table
        .filter(search_outbox::product_id.eq(product_id))
        .select((search_outbox::attempts, search_outbox::last_error))
        .load(&mut *app.conn())
        .unwrap()
}

/// The demo shop with its search on a Meilisearch at `port` (which may not answer yet).
async fn shop_on_meilisearch(port: u16) -> TestApp {
    TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.meili = Some(MeiliSettings {
            url: format!("http://127.0.0.1:{port}"),
            master_key: KEY.into(),
        });
    })
    .await
}

/// Renames product `id` through the model rather than the web, and wakes the indexer as
/// `db::blocking` does.
fn rename_for_the_outbox(app: &TestApp, id: i32) {
    support::shop::rename_product(app, id, "Tas Rotan Tahan Banting");
    etalase::db::wake::wake(etalase::db::wake::Outbox::Search);
}

/// Waits until the update of product `id` has been tried at least twice; its outbox rows.
async fn retried_twice(app: &TestApp, id: i32, what: &str) -> Vec<(i32, Option<String>)> {
    support::eventually(what, Duration::from_secs(30), async || {
        let rows = outbox_rows(app, id);
        assert_eq!(rows.len(), 1, "the update waits in the outbox");
        if rows[0].0 >= 2 {
            Ok(rows)
        } else {
            Err(format!("{} attempts", rows[0].0))
        }
    })
    .await
}

#[actix_web::test]
async fn the_outbox_keeps_updates_while_meilisearch_is_down_and_delivers_them_after() {
    let fake = FakeMeili::default();
    let (port, handle) = fake.start(0);
    let app = shop_on_meilisearch(port).await;
    let published: i64 = products::table
        .filter(products::status.eq("published"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    support::eventually_every(
        "initial index",
        Duration::from_secs(30),
        Duration::from_millis(50),
        async || fake.count() as i64 == published,
    )
    .await;

    handle.stop(false).await;
    let (id, slug): (i32, String) = products::table
        .filter(products::status.eq("published"))
        .select((products::id, products::slug))
        .first(&mut *app.conn())
        .unwrap();
    rename_for_the_outbox(&app, id);
    // Two attempts take 1.5 s of back-off; the deadline leaves room for a loaded CI machine.
    let rows = retried_twice(&app, id, "retries happen").await;
    assert!(rows[0]
        .1
        .as_deref()
        .unwrap_or_default()
        .contains("cannot be reached"));
    // The shop keeps serving; search says it is unavailable and falls back to names.
    assert_eq!(app.get("/").await.status, 200);
    assert_eq!(app.get(&format!("/produk/{slug}")).await.status, 200);
    let page = app.get("/cari?q=rotan%20tahan%20banting").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mesin pencari sedang tidak tersedia"));
    assert!(page
        .links_under("/produk/")
        .contains(&format!("/produk/{slug}")));

    let (_, _handle) = fake.start(port);
    support::eventually(
        "the update arrives once Meilisearch is back",
        Duration::from_secs(30),
        async || {
            let delivered = fake
                .doc(i64::from(id))
                .is_some_and(|d| d["name"] == "Tas Rotan Tahan Banting");
            delivered && outbox_rows(&app, id).is_empty()
        },
    )
    .await;
    let page = app.get("/cari?q=tahan%20banting").await;
    assert!(!page.body.contains("Mesin pencari sedang tidak tersedia"));
    assert!(page
        .links_under("/produk/")
        .contains(&format!("/produk/{slug}")));
}

#[actix_web::test]
async fn an_indexer_started_while_meilisearch_is_down_records_every_retry_and_rebuilds_once_it_is_up(
) {
    // A port nothing listens on (yet).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = shop_on_meilisearch(port).await;
    let published: i64 = products::table
        .filter(products::status.eq("published"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    let id: i32 = products::table
        .filter(products::status.eq("published"))
        .select(products::id)
        .first(&mut *app.conn())
        .unwrap();
    rename_for_the_outbox(&app, id);
    // The index was never checked, yet the waiting update is tried and its error kept.
    let rows = retried_twice(&app, id, "retries happen before the first check").await;
    assert!(
        rows[0]
            .1
            .as_deref()
            .unwrap_or_default()
            .contains("cannot be reached"),
        "{rows:?}"
    );

    let fake = FakeMeili::default();
    let (_, _handle) = fake.start(port);
    support::eventually(
        "the whole index and the update arrive once Meilisearch is up",
        Duration::from_secs(30),
        async || {
            fake.count() as i64 == published
                && fake
                    .doc(i64::from(id))
                    .is_some_and(|d| d["name"] == "Tas Rotan Tahan Banting")
                && outbox_rows(&app, id).is_empty()
        },
    )
    .await;
}
