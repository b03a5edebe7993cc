//! The one test harness: `TestApp::spawn()` starts the real application on port 0 with its own
//! database (a fresh SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL`
//! points to a PostgreSQL server) seeded with a small deterministic demo shop.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::Connection;
use etalase::config::Settings;
use etalase::db::{DatabaseUrl, DbConnection, Pool};
use etalase::jobs::Role;
use etalase::seed::{demo_photos, seed_demo, DemoOptions};
use etalase::services::media::MediaStore;
use etalase::startup::{connect_and_migrate, Application};

pub mod fair;
pub mod mail;
pub mod meili;
pub mod midtrans;
pub mod s3;
pub mod shop;
pub mod stripe;

pub struct TestApp {
    pub address: String,
    pub pool: Pool,
    pub client: awc::Client,
    pub settings: Settings,
    _dir: tempfile::TempDir,
    _database: DropDatabase,
}

/// Drops a test's PostgreSQL database (its admin URL and name) when the test ends, passed or
/// failed; nothing on SQLite, whose file goes with the test's folder.
pub struct DropDatabase(Option<(String, String)>);

impl Drop for DropDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.0 {
            if let Ok(mut admin) = diesel::PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Placeholder photos are the same for every test: draw them once per run.
fn shared_media_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-media");
        std::fs::create_dir_all(&dir).expect("create the shared media folder");
        dir
    })
    .clone()
}

pub fn small_demo() -> DemoOptions {
    DemoOptions {
        products: 240,
        units: 60,
        seed: 7,
    }
}

/// A database for one test, migrated and holding `demo` (nothing when `None`): a copy of a
/// template database that the first test of this test binary (and day) to ask for `demo`
/// made, SQLite in `dir` or a new PostgreSQL database. Copying is several times faster than
/// migrating and seeding anew in every test. Templates are kept per build of the test binary
/// (its seed code and migrations) and per day (the seed marks documents against today);
/// `scripts/test` drops the PostgreSQL ones at its end.
pub async fn database_from_template(
    dir: &std::path::Path,
    demo: Option<&DemoOptions>,
) -> (DatabaseUrl, DropDatabase) {
    let key = template_key(demo);
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let template = format!("etalase_tpl_{key}");
            let mut admin = pg_admin(&url);
            // One test makes the template while the others wait for it (a session-level
            // advisory lock named after the template).
            admin
                .batch_execute(&format!("SELECT pg_advisory_lock(hashtext('{template}'))"))
                .expect("lock the template's name");
            #[derive(diesel::QueryableByName)]
            struct Found {
                #[diesel(sql_type = diesel::sql_types::Text)]
                #[allow(dead_code)]
                datname: String,
            }
            let exists = !diesel::RunQueryDsl::load::<Found>(
                diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
                    .bind::<diesel::sql_types::Text, _>(&template),
                &mut admin,
            )
            .expect("look for the template")
            .is_empty();
            if !exists {
                // Made under another name and renamed once whole, so a test that fails
                // half-way never leaves a template others would copy.
                let making = format!("{template}_making");
                for statement in [
                    format!("DROP DATABASE IF EXISTS {making} WITH (FORCE)"),
                    format!("CREATE DATABASE {making}"),
                ] {
                    admin
                        .batch_execute(&statement)
                        .expect("create the template database");
                }
                drop(fill_template(&DatabaseUrl::Postgres(pg_url(&url, &making)), demo).await);
                // Renaming waits for the template's last connection to have gone.
                let deadline = Instant::now() + Duration::from_secs(10);
                while let Err(e) =
                    admin.batch_execute(&format!("ALTER DATABASE {making} RENAME TO {template}"))
                {
                    assert!(Instant::now() < deadline, "name the template: {e}");
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
            admin
                .batch_execute(&format!(
                    "SELECT pg_advisory_unlock(hashtext('{template}'))"
                ))
                .expect("unlock the template's name");
            new_pg_database(&mut admin, url, Some(&template))
        }
        _ => {
            let folder = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("test-db-templates");
            std::fs::create_dir_all(&folder).expect("create the templates folder");
            let template = folder.join(format!("{key}.db"));
            if !template.exists() {
                // Made aside and moved into place whole; two tests racing both make one, and
                // the second move replaces the first with an equal copy.
                let making = folder.join(format!(
                    "{key}.{}.{}.making",
                    std::process::id(),
                    fastrand::u64(..)
                ));
                let copy = making.with_extension("copy");
                let url = DatabaseUrl::Sqlite(making.display().to_string());
                let pool = fill_template(&url, demo).await;
                // One self-contained file (no write-ahead log beside it).
                pool.get()
                    .expect("a connection")
                    .batch_execute(&format!("VACUUM INTO '{}'", copy.display()))
                    .expect("write the template file");
                drop(pool);
                std::fs::rename(&copy, &template).expect("put the template in place");
                for extra in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{extra}", making.display()));
                }
            }
            let path = dir.join("test.db");
            std::fs::copy(&template, &path).expect("copy the template database");
            // Readable by its owner only, like every database file the shop creates.
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                .expect("make the database file private");
            (
                DatabaseUrl::Sqlite(path.display().to_string()),
                DropDatabase(None),
            )
        }
    }
}

/// Names a template: this test binary (its path, size and time), the day, and `demo`.
fn template_key(demo: Option<&DemoOptions>) -> String {
    use std::hash::{Hash, Hasher};
    let exe = std::env::current_exe().expect("the test binary's path");
    let meta = std::fs::metadata(&exe).expect("the test binary");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    exe.hash(&mut hasher);
    meta.len().hash(&mut hasher);
    meta.modified().ok().hash(&mut hasher);
    etalase::models::today_iso().hash(&mut hasher);
    demo.map(|d| (d.products, d.units, d.seed))
        .hash(&mut hasher);
    let kind = match demo {
        Some(d) => format!("{}p", d.products),
        None => "empty".into(),
    };
    format!("{kind}_{:016x}", hasher.finish())
}

/// Migrates the database at `url` and seeds `demo` into it.
async fn fill_template(url: &DatabaseUrl, demo: Option<&DemoOptions>) -> Pool {
    let pool = etalase::db::build_pool(url, 1).expect("connect to the template");
    let mut conn = pool.get().expect("a connection");
    etalase::db::run_migrations(&mut conn).expect("migrate the template");
    if let Some(opts) = demo {
        let photos = demo_photos(&MediaStore::new(shared_media_dir()))
            .await
            .expect("draw the demo photos");
        seed_demo(&mut conn, &photos, opts).expect("seed demo data");
    }
    drop(conn);
    pool
}

/// A fresh database URL for one test: SQLite in `dir`, or a new PostgreSQL database.
pub fn fresh_database(dir: &std::path::Path) -> (DatabaseUrl, DropDatabase) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => new_pg_database(&mut pg_admin(&url), url, None),
        _ => (
            DatabaseUrl::Sqlite(dir.join("test.db").display().to_string()),
            DropDatabase(None),
        ),
    }
}

/// A connection to the PostgreSQL server of `TEST_DATABASE_URL` (`url`), for creating and
/// dropping databases.
fn pg_admin(url: &str) -> diesel::PgConnection {
    diesel::PgConnection::establish(url)
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL is unreachable: {e}"))
}

/// `url` with database `name` in place of its own.
fn pg_url(url: &str, name: &str) -> String {
    let (base, _) = url
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL needs a database name");
    format!("{base}/{name}")
}

/// A new PostgreSQL database for one test on the server of `url`, empty or a copy of
/// `template`, dropped when the guard returned with it goes.
fn new_pg_database(
    admin: &mut diesel::PgConnection,
    url: String,
    template: Option<&str>,
) -> (DatabaseUrl, DropDatabase) {
    let name = format!("etalase_test_{}_{}", std::process::id(), fastrand::u64(..));
    let from = template
        .map(|t| format!(" TEMPLATE {t}"))
        .unwrap_or_default();
    admin
        .batch_execute(&format!("CREATE DATABASE {name}{from}"))
        .expect("create the test database");
    (
        DatabaseUrl::Postgres(pg_url(&url, &name)),
        DropDatabase(Some((url, name))),
    )
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Some(small_demo())).await
    }

    /// `spawn` without the background jobs (`etalase serve --no-jobs`), for tests that do a
    /// job's work themselves or count what the web alone does.
    pub async fn spawn_web_only() -> TestApp {
        Self::spawn_as(Some(small_demo()), Role::WebOnly, |_| {}).await
    }

    /// Starts the app; `demo` seeds the database first (None leaves it empty).
    pub async fn spawn_with(demo: Option<DemoOptions>) -> TestApp {
        Self::spawn_custom(demo, |_| {}).await
    }

    /// Starts the app after `adjust` has changed its settings (for example to use Meilisearch).
    pub async fn spawn_custom(
        demo: Option<DemoOptions>,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestApp {
        Self::spawn_as(demo, Role::WebAndJobs, adjust).await
    }

    /// `spawn_custom` with the background jobs `role` runs beside the web (`Role::WebOnly` is
    /// `etalase serve --no-jobs`).
    pub async fn spawn_as(
        demo: Option<DemoOptions>,
        role: Role,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, database) = database_from_template(dir.path(), demo.as_ref()).await;
        let mut settings = Settings {
            database_url,
            pool_size: 4,
            host: "127.0.0.1".into(),
            port: 0,
            base_url: None,
            data_dir: dir.path().to_path_buf(),
            media_dir: shared_media_dir(),
            media_s3: None,
            workers: Some(2),
            meili: None,
            search_config: PathBuf::from("search-config/products.json"),
            smtp_url: None,
            stripe: None,
            midtrans: None,
            // Tests change the database behind the app's back; the page cache has its own test.
            page_cache_secs: 0,
            page_cache_mb: 32,
            trust_proxy: false,
            // Many tests place orders from one address; the limits have their own tests.
            bank: Default::default(),
            limits: etalase::config::ShopLimits {
                cart_changes_per_minute: 100_000,
                orders_per_hour: 100_000,
                ..Default::default()
            },
            // `/metrics` answers 404 until a test sets a token.
            metrics_token: None,
            metrics_addr: None,
        };
        adjust(&mut settings);
        // The database is already migrated and seeded (a copy of its template): this only
        // checks that no migration is missing.
        let pool = connect_and_migrate(&settings).expect("connect and migrate");
        if demo.is_some() {
            // The demo's photos in the folder the app keeps its media in (drawn once into the
            // shared one; a test of object storage uploads its own).
            demo_photos(&MediaStore::new(settings.media_dir.clone()))
                .await
                .expect("draw the demo photos");
        }
        let app = Application::build(settings.clone(), pool.clone()).expect("build the app");
        let address = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.run_as(role));
        TestApp {
            address,
            pool,
            client: awc::Client::builder()
                .disable_redirects()
                .timeout(std::time::Duration::from_secs(30))
                .finish(),
            settings,
            _dir: dir,
            _database: database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GET a path; returns status, headers and body text.
    pub async fn get(&self, path: &str) -> Page {
        self.get_with_cookie(path, None).await
    }

    pub async fn get_with_cookie(&self, path: &str, cookie: Option<&str>) -> Page {
        let mut req = self.client.get(self.url(path));
        if let Some(c) = cookie {
            req = req.insert_header(("Cookie", c));
        }
        let mut res = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let body = res
            .body()
            .limit(20 * 1024 * 1024)
            .await
            .unwrap_or_else(|e| panic!("body of {path}: {e}"));
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub fn conn(&self) -> etalase::db::PooledConn {
        self.pool.get().expect("a database connection")
    }

    pub fn is_postgres(&self) -> bool {
        matches!(&mut *self.conn(), DbConnection::Postgres(_))
    }
}

pub struct Page {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// Every value of `attr="…"` in the page, in order.
    pub fn attr_values(&self, attr: &str) -> Vec<String> {
        let needle = format!("{attr}=\"");
        self.body
            .match_indices(&needle)
            .filter_map(|(i, _)| {
                let rest = &self.body[i + needle.len()..];
                rest.find('"').map(|end| rest[..end].to_string())
            })
            .collect()
    }

    /// The first link under `prefix`; fails when the page has none.
    pub fn first_link_under(&self, prefix: &str) -> String {
        self.links_under(prefix)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("the page links a page under {prefix}"))
    }

    /// Links to pages under `prefix` (e.g. "/produk/"), in order, without duplicates.
    pub fn links_under(&self, prefix: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for href in self.attr_values("href") {
            if href.starts_with(prefix) && !out.contains(&href) {
                out.push(href);
            }
        }
        out
    }

    /// The JSON inside `<script type="application/ld+json">`.
    pub fn json_ld(&self) -> serde_json::Value {
        let start_tag = "<script type=\"application/ld+json\">";
        let start = self.body.find(start_tag).expect("a JSON-LD script") + start_tag.len();
        let end = self.body[start..]
            .find("</script>")
            .expect("end of JSON-LD")
            + start;
        serde_json::from_str(&self.body[start..end]).expect("valid JSON-LD")
    }
}

/// A visitor that keeps cookies between requests (awc has no cookie jar) and can send forms.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    cookies: std::collections::BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: Default::default(),
        }
    }

    pub fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| {
            self.cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn keep_cookies(&mut self, headers: &awc::http::header::HeaderMap) {
        for value in headers.get_all("set-cookie") {
            let Ok(text) = value.to_str() else { continue };
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.to_lowercase().contains("max-age=0") {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies.insert(name.trim().into(), value.trim().into());
                }
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let cookie = self.cookie_header();
        let page = self.app.get_with_cookie(path, cookie.as_deref()).await;
        self.keep_cookies(&page.headers);
        page
    }

    /// POSTs `fields` as a urlencoded form.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, fields, &[]).await
    }

    /// POSTs `fields` as a urlencoded form with extra request headers.
    pub async fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = self.app.client.post(self.app.url(path));
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        if let Some(c) = self.cookie_header() {
            req = req.insert_header(("Cookie", c));
        }
        let mut res = req
            .send_form(&fields)
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let body = res.body().limit(20 * 1024 * 1024).await.expect("body");
        let page = Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        self.keep_cookies(&page.headers);
        page
    }

    /// The CSRF token of a form page.
    pub async fn csrf(&mut self, path: &str) -> String {
        let page = self.get(path).await;
        page.csrf_token()
            .unwrap_or_else(|| panic!("no CSRF token on {path} ({})", page.status))
    }

    /// Signs in through the form; panics unless it succeeds.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        let token = self.csrf("/masuk").await;
        let page = self
            .post(
                "/masuk",
                &[
                    ("csrf_token", &token),
                    ("email", email),
                    ("password", password),
                ],
            )
            .await;
        assert_eq!(page.status, 303, "signing in as {email}: {}", page.body);
    }
}

impl Page {
    pub fn csrf_token(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf_token\" value=\"")?;
        let rest = &self.body[at + "name=\"csrf_token\" value=\"".len()..];
        rest.find('"').map(|end| rest[..end].to_string())
    }

    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }
}

/// Creates an account directly in the database; returns its id.
pub fn create_account(
    app: &TestApp,
    email: &str,
    role: &str,
    unit_id: Option<i32>,
    province_id: Option<i32>,
) -> i32 {
    let user = etalase::models::user::new_account(
        email,
        "Akun Uji",
        role,
        "kata-sandi-rahasia",
        unit_id,
        province_id,
        0,
    )
    .expect("a valid account");
    etalase::models::user::insert_user(&mut app.conn(), &user).expect("insert account")
}

pub const PASSWORD: &str = "kata-sandi-rahasia";

/// Creates an account (as [`create_account`]) and signs it in through the form; gives its
/// browser.
pub async fn signed_in_as<'a>(
    app: &'a TestApp,
    email: &str,
    role: &str,
    unit_id: Option<i32>,
    province_id: Option<i32>,
) -> Browser<'a> {
    create_account(app, email, role, unit_id, province_id);
    let mut browser = Browser::new(app);
    browser.sign_in(email, PASSWORD).await;
    browser
}

/// An administrator of the shop (`keuangan@kemenimipas.go.id`), signed in.
pub async fn finance_admin(app: &TestApp) -> Browser<'_> {
    signed_in_as(app, "keuangan@kemenimipas.go.id", "admin", None, None).await
}

/// The unit's staff (signed in as `staff`) propose a new logo of `side` × `side` pixels at
/// `/kelola/unit/gambar`, which waits for a reviewer; gives the form key of `/kelola/unit`.
pub async fn propose_logo(staff: &mut Browser<'_>, side: u32) -> String {
    let key = staff.csrf("/kelola/unit").await;
    let proposed = staff
        .post_multipart(
            "/kelola/unit/gambar",
            &[("csrf_token", &key), ("which", "logo")],
            Some(("image", "logo.jpg", &jpeg(side, side))),
        )
        .await;
    assert_eq!(proposed.status, 303, "{}", proposed.body);
    key
}

/// An active BRI account inserted straight into the database: the central account (`unit_id`
/// None) or the own account of unit `unit_id`, held by `holder`; gives its id.
pub fn insert_bank_account(app: &TestApp, unit_id: Option<i32>, holder: &str) -> i32 {
    use diesel::prelude::*;
    use etalase::db::schema::bank_accounts;
    diesel::insert_into(bank_accounts::table)
        .values((
            bank_accounts::unit_id.eq(unit_id),
            bank_accounts::bank_name.eq("BRI"),
            bank_accounts::account_number.eq("0123-01-000111-30-5"),
            bank_accounts::holder.eq(holder),
            bank_accounts::active.eq(1),
            bank_accounts::created_at.eq(0_i64),
            bank_accounts::updated_at.eq(0_i64),
        ))
        .execute(&mut *app.conn())
        .expect("insert a bank account");
    bank_accounts::table
        .order(bank_accounts::id.desc())
        .select(bank_accounts::id)
        .first(&mut *app.conn())
        .expect("the bank account just inserted")
}

/// Every order line (product, pieces, unit price) of the orders that still count as sold and
/// were paid from `start` to before `end` (unix seconds), straight from the tables: what the
/// roll-up and dashboard tests compare their figures with.
pub fn counted_lines(app: &TestApp, start: i64, end: i64) -> Vec<(i32, i32, i64)> {
    use diesel::prelude::*;
    use etalase::db::schema::{order_items, orders, shipments};
    let counted: Vec<&str> = etalase::domain::order::OrderStatus::ALL
        .into_iter()
        .filter(|s| s.counts_as_sold())
        .map(|s| s.code())
        .collect();
    order_items::table
        .inner_join(shipments::table.inner_join(orders::table))
        .filter(orders::status.eq_any(counted))
        .filter(orders::paid_at.ge(start))
        .filter(orders::paid_at.lt(end))
        .select((
            order_items::product_id,
            order_items::quantity,
            order_items::unit_price,
        ))
        .load(&mut *app.conn())
        .expect("the counted order lines")
}

/// A small PDF, as a scanned document.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";

impl Browser<'_> {
    /// POSTs a multipart form: text fields and one file field.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let boundary = "----etalase-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, filename, data)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: image/jpeg\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut req = self.app.client.post(self.app.url(path)).insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        ));
        if let Some(c) = self.cookie_header() {
            req = req.insert_header(("Cookie", c));
        }
        let mut res = req
            .send_body(body)
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let body = res.body().limit(20 * 1024 * 1024).await.expect("body");
        let page = Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        self.keep_cookies(&page.headers);
        page
    }
}

/// A plain JPEG photo of the given size.
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img =
        image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 255) as u8, 90, 160]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&img)
        .expect("encode a JPEG");
    out
}

/// A plain PNG picture of the given size (as a bank gives a static QRIS image).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let dark = (x / 20 + y / 20) % 2 == 0;
        image::Rgb(if dark { [0, 0, 0] } else { [255, 255, 255] })
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode a PNG");
    out
}

/// The shop's mail templates with the demo bank account, for tests that call models directly.
pub fn mail_templates() -> etalase::services::mail::MailTemplates {
    etalase::services::mail::MailTemplates::load(Default::default()).expect("mail templates")
}

/// What one look of [`eventually`] gives: `true`, `Some(value)` or `Ok(value)` ends the wait;
/// `false`, `None` or `Err(seen)` means "not yet" (an `Err` says what was seen instead, for the
/// message when the wait gives up).
pub trait Polled {
    type Value;
    fn done(self) -> Result<Self::Value, String>;
}

impl Polled for bool {
    type Value = ();
    fn done(self) -> Result<(), String> {
        if self {
            Ok(())
        } else {
            Err(String::new())
        }
    }
}

impl<T> Polled for Option<T> {
    type Value = T;
    fn done(self) -> Result<T, String> {
        self.ok_or_else(String::new)
    }
}

impl<T, E: std::fmt::Display> Polled for Result<T, E> {
    type Value = T;
    fn done(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

/// How often [`eventually`] looks again.
pub const POLL_EVERY: Duration = Duration::from_millis(100);

/// Runs `check` every [`POLL_EVERY`] until it gives `true`/`Some(value)`/`Ok(value)`, and
/// returns that value; panics naming `what` (and how long it waited) once `within` has passed.
/// The first look is immediate. `check` is an async closure (`async || ...`), so it may borrow
/// the test's state, even mutably, and keep counters between looks.
pub async fn eventually<R: Polled>(
    what: &str,
    within: Duration,
    check: impl AsyncFnMut() -> R,
) -> R::Value {
    eventually_every(what, within, POLL_EVERY, check).await
}

/// [`eventually`], looking again every `every`.
pub async fn eventually_every<R: Polled>(
    what: &str,
    within: Duration,
    every: Duration,
    mut check: impl AsyncFnMut() -> R,
) -> R::Value {
    let started = Instant::now();
    loop {
        let seen = match check().await.done() {
            Ok(value) => return value,
            Err(seen) => seen,
        };
        let waited = started.elapsed();
        if waited >= within {
            let seen = if seen.is_empty() {
                String::new()
            } else {
                format!(" (last seen: {seen})")
            };
            panic!("gave up after {waited:.1?} (limit {within:?}) waiting for: {what}{seen}");
        }
        actix_web::rt::time::sleep(every).await;
    }
}

/// Three units of the official list, as the units registry imports them (at
/// `/kelola/daftar-unit/impor` and with `etalase units import`): provinces by name, by ISO code
/// and in lower case, a class written with its word, a Bapas, one without a phone.
pub const THREE_UNITS_CSV: &str = "nama,jenis,kelas,provinsi,kota,alamat,telepon\n\
    Lapas Kelas IIB Uji Satu,Lapas,IIB,Jawa Barat,Kota Uji,Jl. Uji No. 1,0261 555 0101\n\
    Rutan Kelas IIA Uji Dua,rutan,Kelas IIA,ID-JT,Kota Dua,Jl. Dua No. 2,+62 24 555 0102\n\
    Bapas Kelas I Uji Tiga,Bapas,I,bali,Denpasar,Jl. Tiga No. 3,\n";
