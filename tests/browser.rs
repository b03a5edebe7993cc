//! Key journeys in headless Chromium, driven through chromedriver's WebDriver protocol.
//! Chromium and chromedriver must be installed (`scripts/test` installs them); when they are
//! missing the test fails, it never passes silently.

use crate::support;

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use support::TestApp;

struct Driver {
    child: Child,
    base: String,
    session: String,
    client: awc::Client,
    _profile: tempfile::TempDir,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Driver {
    async fn start(width: u32, height: u32) -> Driver {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        // Its own process group, so that ending the group ends Chromium too.
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start {chromedriver} (install chromium-driver): {e}")
            });
        let client = awc::Client::builder()
            .timeout(Duration::from_secs(60))
            .finish();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if client.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless", "--no-sandbox", "--disable-gpu",
                         "--disable-background-networking", "--no-first-run",
                         "--disable-dev-shm-usage",
                         format!("--user-data-dir={}", profile.path().display()),
                         format!("--window-size={width},{height}")]
            }
        }}});
        // From here on the guard ends chromedriver and Chromium even if the session fails.
        let mut driver = Driver {
            child,
            base,
            session: String::new(),
            client,
            _profile: profile,
        };
        let mut res = driver
            .client
            .post(format!("{}/session", driver.base))
            .send_json(&caps)
            .await
            .expect("chromedriver answers");
        let body: Value = res.json().limit(1 << 20).await.expect("session JSON");
        driver.session = body["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {body}"))
            .to_string();
        driver
    }

    async fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let req = match method {
            "GET" => self.client.get(url),
            _ => self.client.post(url),
        };
        let mut res = if method == "GET" {
            req.send().await
        } else {
            req.send_json(&body).await
        }
        .expect("webdriver call");
        let v: Value = res.json().limit(32 << 20).await.expect("webdriver JSON");
        v["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({"url": url})).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .call(
                "POST",
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element for `{css}`: {v}"))
            .to_string()
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/click"), json!({}))
            .await;
    }

    async fn type_text(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    /// Clicks a submit button from the page's script (a sticky header can cover it on a phone,
    /// which makes a WebDriver click fail).
    async fn submit(&self, css: &str) {
        let js = format!(
            "const b = document.querySelector({}); b.click(); return !!b;",
            Value::String(css.into())
        );
        assert_eq!(self.script(&js).await, Value::Bool(true), "no button {css}");
    }

    /// Waits (up to 5 s) until the page address satisfies `done`, then for that page to load.
    async fn wait_url(&self, done: impl Fn(&str) -> bool) -> String {
        let mut url = String::new();
        for _ in 0..50 {
            url = self.current_url().await;
            if done(&url) && self.script("return document.readyState;").await == "complete" {
                return url;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page did not change as expected; still at {url}");
    }

    async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.call("GET", &format!("/element/{id}/text"), json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn current_url(&self) -> String {
        self.call("GET", "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Makes the page as wide as a phone's screen, in CSS pixels, with overlay scrollbars as
    /// on a phone. Desktop Chromium keeps its window at least 500 px wide, whatever
    /// `--window-size` asks, so a narrower screen is set through the DevTools protocol (as a
    /// fixed viewport: a mobile one would widen itself to fit a page that overflows).
    async fn emulate_phone(&self, width: u32, height: u32) {
        for (cmd, params) in [
            (
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": height, "deviceScaleFactor": 3,
                    "mobile": false}),
            ),
            ("Emulation.setScrollbarsHidden", json!({"hidden": true})),
        ] {
            let answer = self
                .call(
                    "POST",
                    "/goog/cdp/execute",
                    json!({"cmd": cmd, "params": params}),
                )
                .await;
            assert!(answer.get("error").is_none(), "{cmd} refused: {answer}");
        }
    }

    async fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": []}))
            .await
    }

    /// Opens the sign-in page and signs in as `email` (whoever was signed in before).
    async fn sign_in(&self, app: &TestApp, email: &str, password: &str) {
        self.goto(&app.url("/masuk")).await;
        self.fill_sign_in(email, password).await;
    }

    /// Fills the sign-in form on the page and sends it; waits for the dashboard.
    async fn fill_sign_in(&self, email: &str, password: &str) {
        self.type_text("#login-email", email).await;
        self.type_text("#login-password", password).await;
        self.submit("form[action='/masuk'] button[type=submit]")
            .await;
        self.wait_url(|u| u.ends_with("/kelola")).await;
    }
}

/// Ends the browser whatever happened in the test (a failed assertion unwinds through here):
/// quits the WebDriver session so chromedriver closes Chromium, then ends chromedriver's
/// process group and any process still using this session's profile folder.
impl Drop for Driver {
    fn drop(&mut self) {
        let port = self.base.rsplit(':').next().unwrap_or_default().to_string();
        quit_session(&port, &self.session);
        let pgid = self.child.id();
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        kill_processes_using(self._profile.path());
    }
}

/// `DELETE /session/{id}` over a plain blocking socket (no runtime is left in `drop`).
fn quit_session(port: &str, session: &str) {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(format!("127.0.0.1:{port}")) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
}

/// Kills every process whose command line names `profile` (Chromium and its helpers).
fn kill_processes_using(profile: &std::path::Path) {
    for (pid, _) in live_processes_naming(profile) {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
    }
}

/// Processes whose command line names `path` and that have not ended (zombies excluded).
fn live_processes_naming(path: &std::path::Path) -> Vec<(u32, String)> {
    let needle = path.display().to_string();
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return found;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let zombie = stat
            .rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z'));
        let cmd = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if !zombie && cmd.contains(&needle) {
            found.push((pid, cmd));
        }
    }
    found
}

#[test]
fn a_browser_test_that_fails_still_ends_its_chromium_and_chromedriver() {
    let (tx, rx) = std::sync::mpsc::channel();
    let failed = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let driver = Driver::start(390, 844).await;
            let profile = driver._profile.path().to_path_buf();
            let port = driver.base.rsplit(':').next().unwrap().to_string();
            tx.send((profile.clone(), port)).unwrap();
            assert!(
                !live_processes_naming(&profile).is_empty(),
                "Chromium runs with the session's profile"
            );
            panic!("a failing browser test");
        })
    })
    .join();
    assert!(failed.is_err(), "the test body panicked");
    let (profile, port) = rx.recv().unwrap();
    let left = live_processes_naming(&profile);
    assert!(left.is_empty(), "Chromium outlived its test: {left:?}");
    let driver_left = live_processes_naming(std::path::Path::new(&format!("--port={port}")));
    assert!(
        driver_left.is_empty(),
        "chromedriver outlived its test: {driver_left:?}"
    );
}

#[test]
fn the_test_script_names_a_process_its_run_left_behind() {
    let mark = format!("leftover-check-{}", std::process::id());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/leftovers.py");
    let named = |mark: &str| {
        let out = Command::new("python3")
            .args([script, mark])
            .output()
            .expect("python3 runs scripts/leftovers.py");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let mut straggler = Command::new("sleep")
        .arg("37.5")
        .env("ETALASE_TEST_RUN", &mark)
        .spawn()
        .unwrap();
    let listed = named(&mark);
    let _ = straggler.kill();
    let _ = straggler.wait();
    assert!(
        listed.contains(&format!("{} sleep 37.5", straggler.id())),
        "the straggler is named with its command: {listed:?}"
    );
    assert_eq!(named(&mark), "", "an ended process is not named");
    assert_eq!(
        named("another-run"),
        "",
        "other runs' processes are not named"
    );
}

#[actix_web::test]
async fn a_phone_visitor_goes_from_home_to_a_category_to_a_product_and_switches_to_english() {
    let app = TestApp::spawn().await;
    let driver = Driver::start(390, 844).await;

    driver.goto(&app.url("/")).await;
    assert!(driver.text("h1").await.len() > 3);
    // No horizontal scrolling on a phone.
    let overflow = driver
        .script("return document.documentElement.scrollWidth <= window.innerWidth + 1;")
        .await;
    assert_eq!(
        overflow,
        Value::Bool(true),
        "the home page fits a 390 px screen"
    );

    driver.click("a[href='/kategori/kuliner']").await;
    assert!(driver.current_url().await.ends_with("/kategori/kuliner"));
    assert!(driver.text("h1").await.contains("Kuliner"));

    driver.click("main a[href^='/produk/']").await;
    assert!(driver.current_url().await.contains("/produk/"));
    let body = driver.text("main").await;
    assert!(body.contains("Rp"), "the product page shows a price");
    let images_loaded = driver
        .script("const i = document.querySelector('main img'); return !!i && i.complete && i.naturalWidth > 0;")
        .await;
    assert_eq!(images_loaded, Value::Bool(true), "the product photo loads");

    driver.click("a[href^='/bahasa/en']").await;
    let lang = driver.script("return document.documentElement.lang;").await;
    assert_eq!(lang, Value::String("en".into()));
    assert!(
        driver.current_url().await.contains("/produk/"),
        "stays on the product"
    );
}

#[actix_web::test]
async fn every_form_field_has_a_label_and_every_image_has_alt_text() {
    let app = TestApp::spawn().await;
    let driver = Driver::start(1280, 900).await;
    for path in [
        "/",
        "/kategori/kuliner",
        "/unit/lapas-kelas-i-sukamiskin",
        "/cari?q=kopi",
    ] {
        driver.goto(&app.url(path)).await;
        let unlabelled = driver
            .script(
                "return [...document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')]\
                 .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length;",
            )
            .await;
        assert_eq!(unlabelled, json!(0), "{path}: fields without labels");
        let no_alt = driver
            .script("return [...document.querySelectorAll('img')].filter(i => !i.hasAttribute('alt')).length;")
            .await;
        assert_eq!(no_alt, json!(0), "{path}: images without alt");
        let h1s = driver
            .script("return document.querySelectorAll('h1').length;")
            .await;
        assert_eq!(h1s, json!(1), "{path}: one h1");
    }
}

#[actix_web::test]
async fn unit_staff_sign_in_and_list_a_product_from_a_phone() {
    let app = TestApp::spawn().await;
    let unit_id: i32 = {
        use diesel::prelude::*;
        etalase::db::schema::units::table
            .select(etalase::db::schema::units::id)
            .order(etalase::db::schema::units::id.asc())
            .first(&mut *app.conn())
            .unwrap()
    };
    support::create_account(&app, "staf@lapas.go.id", "staff", Some(unit_id), None);
    let driver = Driver::start(390, 844).await;
    driver.goto(&app.url("/kelola")).await;
    assert!(
        driver.current_url().await.contains("/masuk"),
        "sent to sign in"
    );
    driver
        .fill_sign_in("staf@lapas.go.id", support::PASSWORD)
        .await;

    driver.goto(&app.url("/kelola/produk/baru")).await;
    driver
        .type_text("#f-name", "Gantungan Kunci Kayu Jati")
        .await;
    driver
        .script("document.querySelector('#f-category').selectedIndex = 1; return true;")
        .await;
    driver
        .type_text(
            "#f-description",
            "Gantungan kunci dari sisa kayu jati, diampelas halus.",
        )
        .await;
    driver.type_text("#f-price", "15.000").await;
    driver.type_text("#f-stock", "30").await;
    driver.type_text("#f-weight", "20").await;
    driver
        .submit("form[action='/kelola/produk'] button[type=submit]")
        .await;
    let product_page = driver
        .wait_url(|u| {
            u.rsplit('/')
                .next()
                .is_some_and(|last| last.parse::<i32>().is_ok())
        })
        .await;
    let main = driver.text("main").await;
    assert!(main.contains("Perubahan disimpan"), "{main}");
    let fits = driver
        .script("return document.documentElement.scrollWidth <= window.innerWidth + 1;")
        .await;
    assert_eq!(fits, Value::Bool(true), "the product form fits a phone");
    // The saved draft's form: its sections and the action bar pass axe-core too.
    driver.look_at((390, 844), "staff-product-form").await;
    // Sending it to review is a button of the phone's action bar, bound to its own form.
    driver.submit("button[form='product-submit']").await;
    let mut main = String::new();
    for _ in 0..50 {
        main = driver.text("main").await;
        if main.contains("Produk diajukan untuk ditinjau") {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(main.contains("Produk diajukan untuk ditinjau"), "{main}");
    assert_eq!(driver.current_url().await, product_page);
}

#[actix_web::test]
async fn typing_in_the_header_search_box_offers_products() {
    let app = TestApp::spawn().await;
    let driver = Driver::start(390, 844).await;
    driver.goto(&app.url("/")).await;
    driver.type_text("#site-search", "kop").await;
    let mut shown = Value::Null;
    for _ in 0..40 {
        shown = driver
            .script("const l = document.getElementById('site-search-suggestions'); return !l.hidden && l.querySelectorAll('a').length > 0;")
            .await;
        if shown == Value::Bool(true) {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(shown, Value::Bool(true), "suggestions appear");
    let first = driver.text("#site-search-suggestions a").await;
    assert!(first.to_lowercase().starts_with("kop"), "{first}");
    let expanded = driver
        .script("return document.getElementById('site-search').getAttribute('aria-expanded');")
        .await;
    assert_eq!(expanded, Value::String("true".into()));
}

/// A phone's browser, as its `User-Agent` reads.
const PHONE_BROWSER: &str =
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36";

#[actix_web::test]
async fn a_shopper_who_opens_a_search_result_counts_one_click_for_the_query_from_a_plain_product_link(
) {
    use diesel::prelude::*;
    use etalase::db::schema::search_queries;
    let app = TestApp::spawn().await;
    let driver = Driver::start(390, 844).await;
    // Headless Chromium names itself "HeadlessChrome", which the shop does not count: here it
    // shops as a phone's browser.
    let answer = driver
        .call(
            "POST",
            "/goog/cdp/execute",
            json!({"cmd": "Emulation.setUserAgentOverride",
                "params": {"userAgent": PHONE_BROWSER}}),
        )
        .await;
    assert!(answer.get("error").is_none(), "the user agent: {answer}");
    let clicks = || -> Option<i32> {
        search_queries::table
            .filter(search_queries::query.eq("kopi"))
            .select(search_queries::clicks)
            .first(&mut *app.conn())
            .optional()
            .unwrap()
    };
    driver.goto(&app.url("/cari?q=kopi")).await;
    support::eventually(
        "the search is counted",
        Duration::from_secs(10),
        async || clicks() == Some(0),
    )
    .await;
    let href = driver
        .script(
            "return document.querySelector('ul.product-grid a.card-link').getAttribute('href');",
        )
        .await;
    let href = href.as_str().expect("a result").to_string();
    assert!(
        href.starts_with("/produk/") && !href.contains('?'),
        "a plain product address: {href}"
    );
    driver.submit("ul.product-grid a.card-link").await;
    driver.wait_url(|u| u.ends_with(&href)).await;
    support::eventually(
        "the click is counted",
        Duration::from_secs(10),
        async || clicks() == Some(1),
    )
    .await;
}

#[actix_web::test]
async fn a_booth_sale_typed_while_the_signal_is_gone_is_sent_later_and_counted_once() {
    use diesel::prelude::*;
    use etalase::db::schema::{booth_sales, products};
    let app = TestApp::spawn().await;
    let [(product_id, _, stock_before), _] = support::shop::two_products_of_two_units(&app);
    let (event_id, unit_id) = support::fair::live_fair_with_booth(&app, product_id);
    support::create_account(&app, "kasir@lapas.go.id", "staff", Some(unit_id), None);
    let sales = || -> i64 {
        booth_sales::table
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    let stock = || -> i32 {
        products::table
            .find(product_id)
            .select(products::stock)
            .first(&mut *app.conn())
            .unwrap()
    };
    let driver = Driver::start(390, 844).await;
    driver
        .sign_in(&app, "kasir@lapas.go.id", support::PASSWORD)
        .await;
    driver
        .goto(&app.url(&format!("/kelola/pameran/{event_id}/kasir")))
        .await;
    assert!(driver.text("main").await.contains("A-01"));

    // The signal drops; the seller records a sale of two.
    let offline = |on: bool| {
        json!({"network_conditions": {"offline": on, "latency": 0,
            "download_throughput": -1, "upload_throughput": -1}})
    };
    driver
        .call("POST", "/chromium/network_conditions", offline(true))
        .await;
    driver
        .script(&format!(
            "document.getElementById('till-product').value = '{product_id}';\
             document.getElementById('till-quantity').value = '2'; return true;"
        ))
        .await;
    driver.submit("#till button[type=submit]").await;
    let mut queued = String::new();
    for _ in 0..50 {
        queued = driver.text("#till-queue").await;
        if queued.contains("1 penjualan menunggu") {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(queued.contains("1 penjualan menunggu"), "{queued}");
    assert!(driver
        .text("#till-status")
        .await
        .contains("Tidak ada sinyal"));
    assert_eq!(sales(), 0, "nothing reached the server");
    let kept = driver
        .script("return localStorage.getItem(document.getElementById('till').dataset.queue);")
        .await;
    let kept = kept.as_str().unwrap_or_default().to_string();
    assert!(
        kept.contains("\"jumlah\":\"2\""),
        "the sale waits on the phone: {kept}"
    );

    // The signal returns: the waiting sale goes out, once.
    driver
        .call("POST", "/chromium/network_conditions", offline(false))
        .await;
    driver
        .script("window.dispatchEvent(new Event('online')); return true;")
        .await;
    let mut status = String::new();
    for _ in 0..50 {
        status = driver.text("#till-status").await;
        if status.contains("Penjualan dicatat") {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(status.contains("Penjualan dicatat"), "{status}");
    assert_eq!(sales(), 1);
    assert_eq!(stock(), stock_before - 2);

    // The answer was lost on the way back and the phone sends the same sale again.
    driver
        .script(&format!(
            "localStorage.setItem(document.getElementById('till').dataset.queue, {});\
             window.dispatchEvent(new Event('online')); return true;",
            Value::String(kept.clone())
        ))
        .await;
    for _ in 0..50 {
        status = driver.text("#till-status").await;
        if status.contains("sudah tercatat") {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(status.contains("sudah tercatat"), "{status}");
    assert_eq!(sales(), 1, "a replayed sale is counted once");
    assert_eq!(stock(), stock_before - 2);
}

#[actix_web::test]
async fn a_booth_sign_and_its_address_caption_fit_a_390_px_phone_without_sideways_scrolling() {
    // The sign prints the shop's public address, as in production.
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.base_url = Some("https://etalase.kemenimipas.go.id".into());
    })
    .await;
    let [(product, _, _), _] = support::shop::two_products_of_two_units(&app);
    support::fair::live_fair_with_booth(&app, product);
    let driver = Driver::start(390, 844).await;
    driver.emulate_phone(390, 844).await;
    driver
        .goto(&app.url("/pameran/ippa-fest-2025/stan/A-01"))
        .await;
    assert_eq!(
        driver
            .script("return document.documentElement.clientWidth;")
            .await,
        json!(390),
        "a 390 px screen"
    );
    let caption = driver.text(".booth-qr figcaption").await;
    assert!(
        caption.contains("/pameran/ippa-fest-2025/stan/A-01"),
        "the caption gives the sign's address: {caption}"
    );
    let widths = driver
        .script(
            "const d = document.documentElement; \
             const c = document.querySelector('.booth-qr figcaption'); \
             return [d.scrollWidth, d.clientWidth, c.scrollWidth, c.clientWidth];",
        )
        .await;
    let w: Vec<i64> = widths
        .as_array()
        .unwrap_or_else(|| panic!("widths: {widths}"))
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert!(
        w[0] <= w[1],
        "the page scrolls sideways: {} px wide in a {} px window",
        w[0],
        w[1]
    );
    assert!(
        w[2] <= w[3],
        "the address overflows its caption: {} px in a {} px box",
        w[2],
        w[3]
    );
}

impl Driver {
    /// The viewport as a PNG (WebDriver's screenshot).
    async fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let data = self.call("GET", "/screenshot", json!({})).await;
        base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("a base64 screenshot"))
            .expect("valid base64")
    }

    /// Checks that the page does not scroll sideways and that axe-core finds no
    /// accessibility violation on it, then saves its screenshot as
    /// `target/tmp/journey/{width}x{height}/{step}.png` for people to look at.
    async fn look_at(&self, size: (u32, u32), step: &str) {
        let problems = self.problems_of("journey", size, step).await;
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Saves the page's screenshot as `target/tmp/{folder}/{width}x{height}/{step}.png` and
    /// gives what is wrong with it, one line each: the violations axe-core finds, and a
    /// sideways scroll.
    async fn problems_of(&self, folder: &str, size: (u32, u32), step: &str) -> Vec<String> {
        let at = format!("{step} at {}x{}", size.0, size.1);
        let mut problems: Vec<String> = self
            .axe_violations(&axe_source())
            .await
            .into_iter()
            .map(|v| format!("{at}: axe-core violation {v}"))
            .collect();
        let fits = self
            .script("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let (scroll, inner) = (fits[0].as_i64().unwrap(), fits[1].as_i64().unwrap());
        if scroll > inner + 1 {
            problems.push(format!(
                "{at} scrolls sideways: {scroll} px wide in {inner} px"
            ));
        }
        let png = self.screenshot().await;
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 2_000,
            "{step}: a real picture"
        );
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(folder)
            .join(format!("{}x{}", size.0, size.1));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{step}.png")), png).unwrap();
        problems
    }

    /// Waits (up to 5 s) until `js` returns true.
    async fn wait_for(&self, what: &str, js: &str) {
        for _ in 0..50 {
            if self.script(js).await == Value::Bool(true) {
                return;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("waited in vain for {what}");
    }
}

/// The buyer's whole journey at one screen size: home, a search narrowed by a filter, two
/// products of two units added from their pages (without leaving them), the cart, the three
/// checkout steps and the order page; every page fits the screen, has no accessibility
/// violation (axe-core) and is photographed.
async fn buyer_journey(size: (u32, u32)) {
    let app = TestApp::spawn().await;
    let [(a, slug_a, stock_a), (b, slug_b, stock_b)] =
        support::shop::two_products_of_two_units(&app);
    let name_a: String = {
        use diesel::prelude::*;
        use etalase::db::schema::products;
        products::table
            .find(a)
            .select(products::name)
            .first(&mut *app.conn())
            .unwrap()
    };
    let driver = Driver::start(size.0, size.1).await;
    if size.0 < 500 {
        driver.emulate_phone(size.0, size.1).await;
    }
    driver.goto(&app.url("/")).await;
    driver.look_at(size, "01-home").await;

    // Search from the header, then narrow to what is in stock with the filter form.
    driver.type_text("#site-search", &name_a).await;
    driver.submit("form.site-search button[type=submit]").await;
    driver.wait_url(|u| u.contains("/cari?")).await;
    driver
        .script(
            "const f = document.querySelector('form.facets'); \
             f.querySelector('input[name=stok]').checked = true; f.submit(); return true;",
        )
        .await;
    driver.wait_url(|u| u.contains("stok=1")).await;
    let chips = driver.text(".active-filters").await;
    assert!(!chips.is_empty(), "the filter shows as a chip");
    driver.look_at(size, "02-search-filtered").await;
    let product_link = format!("main a[href='/produk/{slug_a}']");
    driver.find(&product_link).await;
    driver
        .script(&format!(
            "document.querySelector(\"{product_link}\").click(); return true;"
        ))
        .await;
    driver
        .wait_url(|u| u.contains(&format!("/produk/{slug_a}")))
        .await;
    driver.look_at(size, "03-product").await;

    // Adding keeps the buyer on the page: a toast, and the header's count goes up.
    for (n, slug) in [(1, &slug_a), (2, &slug_b)] {
        if n == 2 {
            driver.goto(&app.url(&format!("/produk/{slug}"))).await;
        }
        driver.submit("form.add-to-cart button[type=submit]").await;
        driver
            .wait_for(
                "the toast",
                "const t = document.getElementById('cart-toast'); \
                 return !t.hidden && t.textContent.length > 0;",
            )
            .await;
        let count = driver.text(".cart-link .cart-count").await;
        assert!(
            count.starts_with(&n.to_string()),
            "badge {count:?} after {n}"
        );
        assert!(driver
            .current_url()
            .await
            .contains(&format!("/produk/{slug}")));
    }
    driver.look_at(size, "04-product-added").await;

    driver.submit(".cart-link").await;
    driver.wait_url(|u| u.contains("/keranjang")).await;
    let groups = driver
        .script("return document.querySelectorAll('.cart-group').length;")
        .await;
    assert_eq!(groups, json!(2), "one group per unit");
    driver.look_at(size, "05-cart").await;

    driver.goto(&app.url("/checkout")).await;
    for (field, value) in [
        ("#c-name", "Siti Rahmawati"),
        ("#c-email", "siti@contoh.id"),
        ("#c-phone", "0812 3456 7890"),
        ("#c-city", "Kota Bandung"),
        ("#c-district", "Coblong"),
        ("#c-postal_code", "40132"),
        ("#c-address", "Jl. Ganesha No. 10, RT 01/RW 02"),
    ] {
        driver.type_text(field, value).await;
    }
    driver
        .script("const s = document.getElementById('c-province_id'); s.value = '11'; return true;")
        .await;
    driver.look_at(size, "06-checkout-address").await;
    driver
        .submit("form[action='/checkout'] button[type=submit]")
        .await;
    driver.wait_url(|u| u.ends_with("/checkout/kirim")).await;
    driver.look_at(size, "07-checkout-shipping").await;
    driver
        .submit("form[action='/checkout/tinjau'] button[type=submit]")
        .await;
    driver.wait_url(|u| u.contains("/checkout/tinjau")).await;
    let review = driver.text("main").await;
    assert!(review.contains("Ringkasan pesanan"), "{review}");
    let total = driver.text("#grand-total").await;
    assert!(total.starts_with("Rp"), "{total}");
    driver.look_at(size, "08-checkout-review").await;
    driver
        .submit("form[action='/checkout/kirim'] button[type=submit]")
        .await;
    driver.wait_url(|u| u.contains("/pesanan/")).await;
    let order = driver.text("main").await;
    assert!(order.contains("Menunggu pembayaran"), "{order}");
    assert!(order.contains("Transfer tepat"), "{order}");
    driver.look_at(size, "09-order").await;
    assert_eq!(support::shop::stock_of(&app, a), stock_a - 1);
    assert_eq!(support::shop::stock_of(&app, b), stock_b - 1);
}

#[actix_web::test]
async fn a_phone_buyer_searches_filters_fills_one_cart_from_two_units_and_orders_on_fitting_pages()
{
    buyer_journey((390, 844)).await;
}

#[actix_web::test]
async fn a_desktop_buyer_searches_filters_fills_one_cart_from_two_units_and_orders_on_fitting_pages(
) {
    buyer_journey((1366, 768)).await;
}

/// axe-core's script, from `AXE_CORE_JS` (`scripts/test` installs the npm package `axe-core`
/// and sets it). Without it the test fails: accessibility is not optional.
fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .expect("AXE_CORE_JS names axe.min.js (npm axe-core); ./scripts/test sets it");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

impl Driver {
    /// axe-core's violations on the current page, one line each (rule, impact, nodes).
    async fn axe_violations(&self, axe: &str) -> Vec<String> {
        self.script(&format!("{axe}\n;return true;")).await;
        let found = self
            .call(
                "POST",
                "/execute/async",
                json!({
                    "script": "const done = arguments[arguments.length - 1];\
                        axe.run(document, {resultTypes: ['violations']}).then(r => done(\
                          r.violations.map(v => v.id + ' (' + v.impact + '): ' +\
                            v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))));",
                    "args": []
                }),
            )
            .await;
        found
            .as_array()
            .unwrap_or_else(|| panic!("axe did not run: {found}"))
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }
}

#[actix_web::test]
async fn the_buyers_pages_have_no_accessibility_violations_on_a_phone_or_a_desktop() {
    let app = TestApp::spawn().await;
    let axe = axe_source();
    let [(a, slug_a, _), (b, _, _)] = support::shop::two_products_of_two_units(&app);
    let home = app.get("/").await;
    let first = |prefix: &str| home.first_link_under(prefix);
    // An order page, placed through the shop.
    let mut buyer = support::Browser::new(&app);
    let placed = support::shop::place_order(&mut buyer, &[(a, 1), (b, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    // A live fair where the product's unit holds a booth: the fair list and its page.
    support::fair::live_fair_with_booth(&app, a);
    let fair = app.get("/pameran").await.first_link_under("/pameran/");
    let mut pages = vec![
        "/".to_string(),
        first("/kategori/"),
        format!("/produk/{slug_a}"),
        first("/unit/"),
        first("/provinsi/"),
        "/cari?q=kopi".to_string(),
        "/cari?q=zzzqqxx".to_string(),
        "/cari".to_string(),
        "/keranjang".to_string(),
        "/pameran".to_string(),
        fair,
        "/masuk".to_string(),
        "/pesanan/cari".to_string(),
        "/bantuan".to_string(),
        "/privasi".to_string(),
        "/tentang".to_string(),
        "/dampak".to_string(),
        "/halaman-yang-tidak-ada".to_string(),
        placed.location(),
    ];
    pages.dedup();
    let mut failures = Vec::new();
    for (width, height) in [(390, 844), (1366, 768)] {
        let driver = Driver::start(width, height).await;
        for path in &pages {
            driver.goto(&app.url(path)).await;
            for v in driver.axe_violations(&axe).await {
                failures.push(format!("{width} px {path}: {v}"));
            }
        }
        // A filled cart and the first checkout step, with this browser's own cart.
        driver.goto(&app.url(&format!("/produk/{slug_a}"))).await;
        driver.submit("form.add-to-cart button[type=submit]").await;
        driver
            .wait_for(
                "the toast",
                "return !document.getElementById('cart-toast').hidden;",
            )
            .await;
        for v in driver.axe_violations(&axe).await {
            failures.push(format!("{width} px product with its toast: {v}"));
        }
        driver.goto(&app.url("/keranjang")).await;
        for v in driver.axe_violations(&axe).await {
            failures.push(format!("{width} px filled cart: {v}"));
        }
        driver.goto(&app.url("/checkout")).await;
        for v in driver.axe_violations(&axe).await {
            failures.push(format!("{width} px checkout: {v}"));
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
}

// ---- The back office -----------------------------------------------------------------------

/// The back office of a shop where a unit holds a booth at a live fair, has a paid parcel to
/// pack and a product of its province under review: each role, its account and every page it
/// works on, as (screenshot name, path).
async fn back_office_pages(
    app: &TestApp,
) -> Vec<(&'static str, &'static str, Vec<(String, String)>)> {
    use diesel::prelude::*;
    use etalase::db::schema::{products, units};
    use etalase::domain::order::ParcelTab;
    let (admin, reviewer, organizer, staff) = (
        "admin.tur@kemenimipas.go.id",
        "peninjau.tur@kemenimipas.go.id",
        "panitia.tur@kemenimipas.go.id",
        "staf.tur@lapas.go.id",
    );
    let (observer, regional_observer) = (
        "pemantau.tur@kemenimipas.go.id",
        "pemantau.kanwil.tur@kemenimipas.go.id",
    );
    let [(product, _, _), _] = support::shop::two_products_of_two_units(app);
    let (event, unit) = support::fair::live_fair_with_booth(app, product);
    let province: i32 = units::table
        .find(unit)
        .select(units::province_id)
        .first(&mut *app.conn())
        .unwrap();
    let account = support::create_account(app, staff, "staff", Some(unit), None);
    let admin_id = support::create_account(app, admin, "admin", None, None);
    support::create_account(app, reviewer, "reviewer", None, Some(province));
    support::create_account(app, organizer, "organizer", None, None);
    support::create_account(app, observer, "observer", None, None);
    support::create_account(app, regional_observer, "observer", None, Some(province));
    let mut buyer = support::Browser::new(app);
    let placed = support::shop::place_order(&mut buyer, &[(product, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order, total, parcels) = support::shop::order_behind(app, &placed.location());
    support::shop::confirm_transfer(app, order, total).await;
    let parcel = parcels[0];
    let submitted: i32 = products::table
        .inner_join(units::table)
        .filter(units::province_id.eq(province))
        .filter(products::id.ne(product))
        .order(products::id.asc())
        .select(products::id)
        .first(&mut *app.conn())
        .expect("a second product in the unit's province");
    diesel::update(products::table.find(submitted))
        .set(products::status.eq("submitted"))
        .execute(&mut *app.conn())
        .unwrap();

    // The unit proposes a new logo, which waits for the reviewer; the shop has a central
    // bank account.
    let mut unit_staff = support::Browser::new(app);
    unit_staff.sign_in(staff, support::PASSWORD).await;
    support::propose_logo(&mut unit_staff, 240).await;
    let bank_account = support::insert_bank_account(app, None, "Etalase Pemasyarakatan");
    // The unit's staff member keeps its books: the paid order owes this month.
    diesel::update(etalase::db::schema::users::table.find(account))
        .set(etalase::db::schema::users::treasurer.eq(1))
        .execute(&mut *app.conn())
        .unwrap();
    // A synonym an administrator added, and a search that found nothing.
    etalase::models::search_synonym::add(
        &mut app.conn(),
        &etalase::domain::synonyms::SynonymEntry {
            word: "songkok".into(),
            synonyms: vec!["peci".into(), "kopiah".into()],
            two_way: true,
        },
        admin_id,
    )
    .unwrap();
    let today = etalase::domain::impact::wib_day(etalase::models::now_ts())
        .map(etalase::domain::impact::day_text)
        .unwrap();
    etalase::models::search_query::count(&mut app.conn(), "tanjak", &today, 0).unwrap();
    let this_month = etalase::domain::payouts::Month::of_day(etalase::domain::fair::fair_day(
        chrono::Utc::now(),
    ))
    .code();

    let page = |name: &str, path: &str| (name.to_string(), path.to_string());
    let review_unit = format!("/kelola/tinjau/unit/{unit}");
    let product_edit = format!("/kelola/produk/{product}");
    let review = format!("/kelola/tinjau/produk/{submitted}");
    let fair = format!("/kelola/pameran/{event}");
    let report = format!("/kelola/pameran/{event}/laporan");
    let admin_pages = vec![
        page("dashboard", "/kelola"),
        page("product-edit", &product_edit),
        page("review-queue", "/kelola/tinjau"),
        page("review-product", &review),
        page("review-unit", &review_unit),
        page("fairs", "/kelola/pameran"),
        page("fair", &fair),
        page("fair-report", &report),
        page("payments", "/kelola/pembayaran"),
        page("bank-accounts", "/kelola/pembayaran/rekening"),
        page("bank-account-new", "/kelola/pembayaran/rekening/baru"),
        page(
            "bank-account",
            &format!("/kelola/pembayaran/rekening/{bank_account}"),
        ),
        page("units-unstaffed", "/kelola/daftar-unit?staf=tanpa"),
        page("audit", "/kelola/audit"),
        page("failed-mail", "/kelola/surat"),
        page("units", "/kelola/daftar-unit"),
        page("unit-new", "/kelola/daftar-unit/baru"),
        page("unit-edit", &format!("/kelola/daftar-unit/{unit}")),
        page("units-import", "/kelola/daftar-unit/impor"),
        page("accounts", "/kelola/akun"),
        page("account-invite", "/kelola/akun/undang"),
        page("account", &format!("/kelola/akun/{account}")),
        page("oversight", "/kelola/pantau"),
        page("legal-rules", "/kelola/aturan-legalitas"),
        page("synonyms", "/kelola/sinonim"),
        page("search-insights", "/kelola/pencarian"),
        page(
            "payouts-summary",
            &format!("/kelola/setoran/rekap?bulan={this_month}"),
        ),
        page("payouts-unit", &format!("/kelola/setoran/unit/{unit}")),
        page("password", "/kelola/kata-sandi"),
    ];
    let reviewer_pages = vec![
        page("dashboard", "/kelola"),
        page("review-queue", "/kelola/tinjau"),
        page("review-product", &review),
        page("review-unit", &review_unit),
        page("password", "/kelola/kata-sandi"),
    ];
    let organizer_pages = vec![
        page("dashboard", "/kelola"),
        page("fairs", "/kelola/pameran"),
        page("fair", &fair),
        page("fair-report", &report),
        page("password", "/kelola/kata-sandi"),
    ];
    let mut staff_pages = vec![
        page("dashboard", "/kelola"),
        page("product-new", "/kelola/produk/baru"),
        page("product-edit", &product_edit),
        page("documents", "/kelola/dokumen"),
        page("products-low-stock", "/kelola?stok=rendah"),
    ];
    for tab in ParcelTab::ALL {
        staff_pages.push(page(
            &format!("orders-{}", tab.code()),
            &format!("/kelola/pesanan?status={}", tab.code()),
        ));
    }
    staff_pages.extend([
        page("packing-slip", &format!("/kelola/pesanan/slip?id={parcel}")),
        page("label", &format!("/kelola/pesanan/label?id={parcel}")),
        page("unit", "/kelola/unit"),
        page("import", "/kelola/impor"),
        page("my-fairs", "/kelola/pameran-saya"),
        page("booth-till", &format!("/kelola/pameran/{event}/kasir")),
        page("fair-report", &report),
        page("payouts", "/kelola/setoran"),
        page("password", "/kelola/kata-sandi"),
    ]);
    let observer_pages = vec![
        page("dashboard", "/kelola"),
        page("oversight", "/kelola/pantau"),
        page(
            "oversight-lapas",
            "/kelola/pantau?jenis=lapas&dari=2026-01-01",
        ),
        page("password", "/kelola/kata-sandi"),
    ];
    let regional_observer_pages = vec![
        page("dashboard", "/kelola"),
        page("oversight", "/kelola/pantau"),
        page("password", "/kelola/kata-sandi"),
    ];
    vec![
        ("admin", admin, admin_pages),
        ("reviewer", reviewer, reviewer_pages),
        ("organizer", organizer, organizer_pages),
        ("staff", staff, staff_pages),
        ("observer", observer, observer_pages),
        (
            "regional-observer",
            regional_observer,
            regional_observer_pages,
        ),
    ]
}

/// Each role signs in and opens every back-office page it works on at one screen size: each
/// opens (no sign-in, no error page), fits the screen, has no accessibility violation
/// (axe-core) and is photographed as `target/tmp/backoffice/{width}x{height}/{role}-{page}.png`.
async fn back_office_tour(size: (u32, u32)) {
    let app = TestApp::spawn().await;
    let roles = back_office_pages(&app).await;
    let driver = Driver::start(size.0, size.1).await;
    if size.0 < 500 {
        driver.emulate_phone(size.0, size.1).await;
    }
    let mut problems = Vec::new();
    for (role, email, pages) in &roles {
        driver.sign_in(&app, email, support::PASSWORD).await;
        for (name, path) in pages {
            driver.goto(&app.url(path)).await;
            assert_eq!(
                driver.current_url().await,
                app.url(path),
                "the {role} opens {path}"
            );
            let staff_page = driver
                .script("return !!document.querySelector('nav.staff-nav');")
                .await;
            assert_eq!(
                staff_page,
                Value::Bool(true),
                "the {role} sees {path}, not an error page"
            );
            let step = format!("{role}-{name}");
            problems.extend(driver.problems_of("backoffice", size, &step).await);
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems on the back-office pages:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[actix_web::test]
async fn every_back_office_page_of_every_role_fits_a_390_px_phone_without_accessibility_violations()
{
    back_office_tour((390, 844)).await;
}

#[actix_web::test]
async fn every_back_office_page_of_every_role_fits_a_desktop_without_accessibility_violations() {
    back_office_tour((1366, 768)).await;
}

#[actix_web::test]
async fn an_administrator_imports_units_and_invites_their_staff_who_lists_a_product_and_a_unit_ships_a_paid_order_from_a_phone(
) {
    use diesel::prelude::*;
    use etalase::db::schema::{products, shipments, units};
    let (smtp, maildir) = support::mail::smtp_server();
    let app = TestApp::spawn_custom(Some(support::small_demo()), |s| {
        s.smtp_url = Some(smtp.clone());
    })
    .await;
    // A paid order with a parcel of the seller's unit to pack.
    let [(product, _, _), _] = support::shop::two_products_of_two_units(&app);
    let (seller_unit, product_name): (i32, String) = products::table
        .find(product)
        .select((products::unit_id, products::name))
        .first(&mut *app.conn())
        .unwrap();
    let seller = format!("gudang-{}@lapas.go.id", fastrand::u32(..));
    support::create_account(&app, &seller, "staff", Some(seller_unit), None);
    let admin = "admin.impor@kemenimipas.go.id";
    support::create_account(&app, admin, "admin", None, None);
    let mut buyer = support::Browser::new(&app);
    let placed = support::shop::place_order(&mut buyer, &[(product, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order, total, parcels) = support::shop::order_behind(&app, &placed.location());
    support::shop::confirm_transfer(&app, order, total).await;
    let parcel = parcels[0];

    let driver = Driver::start(390, 844).await;
    driver.emulate_phone(390, 844).await;
    driver.sign_in(&app, admin, support::PASSWORD).await;

    // Three units from a CSV file: a dry run lists three lines to add, then they are applied.
    let names = [
        "Lapas Kelas IIB Uji Satu",
        "Rutan Kelas IIA Uji Dua",
        "Bapas Kelas I Uji Tiga",
    ];
    let imported = || -> i64 {
        units::table
            .filter(units::name.eq_any(names))
            .count()
            .get_result(&mut *app.conn())
            .unwrap()
    };
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("unit.csv");
    std::fs::write(&csv, support::THREE_UNITS_CSV).unwrap();
    driver.goto(&app.url("/kelola/daftar-unit/impor")).await;
    driver
        .type_text("#units-file", &csv.display().to_string())
        .await;
    driver
        .submit("form.staff-form[action='/kelola/daftar-unit/impor'] button[type=submit]")
        .await;
    driver
        .wait_for(
            "the import plan",
            "return document.readyState === 'complete' \
             && !!document.getElementById('plan-heading');",
        )
        .await;
    let plan = "section[aria-labelledby=plan-heading]";
    let lines = driver
        .script(&format!(
            "return [document.querySelectorAll('{plan} tbody tr').length, \
             document.querySelectorAll('{plan} tbody .badge-success').length];"
        ))
        .await;
    assert_eq!(lines, json!([3, 3]), "three lines, each a unit to add");
    let summary = driver.text(plan).await;
    assert!(
        summary.contains("3 unit baru, 0 berubah, 0 tetap, 0 baris salah."),
        "{summary}"
    );
    for name in names {
        assert!(summary.contains(name), "{name} is listed: {summary}");
    }
    assert_eq!(imported(), 0, "a dry run changes nothing");
    driver
        .submit(&format!("{plan} form button[type=submit]"))
        .await;
    driver
        .wait_url(|u| u.ends_with("/kelola/daftar-unit"))
        .await;
    assert_eq!(imported(), 3, "the three units are added");
    let new_unit: i32 = units::table
        .filter(units::name.eq(names[0]))
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();

    // A staff member of one of them is invited.
    let invitee = format!("budi.{}@lapas.go.id", fastrand::u32(..));
    driver.goto(&app.url("/kelola/akun/undang")).await;
    driver.type_text("#a-email", &invitee).await;
    driver.type_text("#a-name", "Budi Santoso").await;
    driver
        .script(&format!(
            "document.getElementById('a-role').value = 'staff'; \
             document.getElementById('a-unit').value = '{new_unit}'; return true;"
        ))
        .await;
    driver
        .submit("form[action='/kelola/akun/undang'] button[type=submit]")
        .await;
    driver
        .wait_url(|u| {
            u.rsplit('/')
                .next()
                .is_some_and(|last| last.parse::<i32>().is_ok())
        })
        .await;
    let main = driver.text("main").await;
    assert!(main.contains("Undangan dikirim."), "{main}");

    // The invitee opens the mailed link and chooses a password, which signs them in.
    let mail = support::eventually_every(
        "the invitation mail",
        Duration::from_secs(20),
        Duration::from_millis(200),
        async || {
            support::mail::received(&maildir, &invitee)
                .into_iter()
                .next()
        },
    )
    .await;
    let at = mail
        .find("/undangan/")
        .expect("the mail links the invitation")
        + "/undangan/".len();
    let token: String = mail[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    assert_eq!(token.len(), 64, "{mail}");
    driver.goto(&app.url(&format!("/undangan/{token}"))).await;
    let main = driver.text("main").await;
    assert!(main.contains(&invitee), "{main}");
    let password = "kata-sandi-budi-baru";
    driver.type_text("#invitation-password", password).await;
    driver
        .type_text("#invitation-password-again", password)
        .await;
    driver
        .submit("form[action^='/undangan/'] button[type=submit]")
        .await;
    driver.wait_url(|u| u.ends_with("/kelola")).await;
    let main = driver.text("main").await;
    assert!(main.contains("Selamat datang!"), "{main}");

    // Signed out, they sign in with it and list a product for their unit.
    driver
        .submit("form[action='/keluar'] button[type=submit]")
        .await;
    driver.wait_url(|u| !u.contains("/kelola")).await;
    driver.sign_in(&app, &invitee, password).await;
    driver.goto(&app.url("/kelola/produk/baru")).await;
    driver.type_text("#f-name", "Keset Sabut Kelapa").await;
    driver
        .script("document.querySelector('#f-category').selectedIndex = 1; return true;")
        .await;
    driver
        .type_text(
            "#f-description",
            "Keset dari sabut kelapa, dianyam rapat dan tahan lama.",
        )
        .await;
    driver.type_text("#f-price", "45.000").await;
    driver.type_text("#f-stock", "12").await;
    driver.type_text("#f-weight", "800").await;
    driver
        .submit("form[action='/kelola/produk'] button[type=submit]")
        .await;
    driver
        .wait_url(|u| {
            u.rsplit('/')
                .next()
                .is_some_and(|last| last.parse::<i32>().is_ok())
        })
        .await;
    let main = driver.text("main").await;
    assert!(main.contains("Perubahan disimpan"), "{main}");
    let listed: (String, i64) = products::table
        .filter(products::unit_id.eq(new_unit))
        .filter(products::name.eq("Keset Sabut Kelapa"))
        .select((products::status, products::price))
        .first(&mut *app.conn())
        .expect("the product of the new unit");
    assert_eq!(listed, ("draft".to_string(), 45_000));

    // The seller's staff find the paid parcel to pack, with its items, print its label and
    // mark it shipped with JNE and a tracking number of JNE's shape.
    driver.sign_in(&app, &seller, support::PASSWORD).await;
    driver.goto(&app.url("/kelola/pesanan")).await;
    let tab = driver.text(".order-tabs a[aria-current=page]").await;
    assert!(tab.starts_with("Perlu dikemas"), "{tab}");
    let card = format!("#kiriman-{parcel}");
    let items = driver.text(&format!("{card} .pack-list")).await;
    assert!(
        items.contains("1 ×") && items.contains(&product_name),
        "{items}"
    );
    let code = driver.text(&format!("{card} .parcel-head strong")).await;
    driver
        .submit(&format!(
            "{card} a[href='/kelola/pesanan/label?id={parcel}']"
        ))
        .await;
    driver
        .wait_url(|u| u.contains("/kelola/pesanan/label?id="))
        .await;
    assert_eq!(driver.text(&format!("#label-{parcel}")).await, code);
    driver.goto(&app.url("/kelola/pesanan")).await;
    driver
        .script(&format!(
            "document.getElementById('courier-{parcel}').value = 'jne'; return true;"
        ))
        .await;
    driver
        .type_text(&format!("#tracking-{parcel}"), "CGK1234567890")
        .await;
    driver
        .submit(&format!("{card} form.ship-form button[type=submit]"))
        .await;
    driver.wait_url(|u| u.contains("status=")).await;
    let main = driver.text("main").await;
    assert!(main.contains("Kiriman ditandai dikirim"), "{main}");
    let shipped: (String, Option<String>, Option<String>) = shipments::table
        .find(parcel)
        .select((
            shipments::status,
            shipments::tracking_number,
            shipments::courier,
        ))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(
        shipped,
        (
            "shipped".to_string(),
            Some("CGK1234567890".to_string()),
            Some("jne".to_string())
        )
    );
}

/// Unit staff change their logo twice in the browser: each new logo stays off the public pages
/// until a reviewer of the province approves it on the side-by-side page, and the logo it
/// replaces is then gone (404).
#[actix_web::test]
async fn a_new_unit_logo_stays_private_until_a_reviewer_approves_it_and_the_replaced_one_is_gone() {
    use diesel::prelude::*;
    use etalase::db::schema::{products, units};
    let app = TestApp::spawn().await;
    let unit: i32 = products::table
        .filter(products::status.eq("published"))
        .order(products::id.asc())
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let (slug, province): (String, i32) = units::table
        .find(unit)
        .select((units::slug, units::province_id))
        .first(&mut *app.conn())
        .unwrap();
    let (staff, reviewer) = ("logo.staf@lapas.go.id", "logo.peninjau@kemenimipas.go.id");
    support::create_account(&app, staff, "staff", Some(unit), None);
    support::create_account(&app, reviewer, "reviewer", None, Some(province));
    let logos = || -> (Option<String>, Option<String>) {
        units::table
            .find(unit)
            .select((units::logo_path, units::pending_logo))
            .first(&mut *app.conn())
            .unwrap()
    };
    let folder = tempfile::tempdir().unwrap();
    let driver = Driver::start(1366, 768).await;
    let mut replaced: Option<String> = logos().0;
    for (round, side) in [(1, 200), (2, 260)] {
        let file = folder.path().join(format!("logo-{round}.jpg"));
        std::fs::write(&file, support::jpeg(side, side)).unwrap();
        driver.sign_in(&app, staff, support::PASSWORD).await;
        driver.goto(&app.url("/kelola/unit")).await;
        driver
            .type_text("#u-logo", &file.display().to_string())
            .await;
        driver.submit("#u-logo ~ button[type=submit]").await;
        support::eventually_every(
            "the proposed logo",
            Duration::from_secs(10),
            Duration::from_millis(100),
            async || logos().1,
        )
        .await;
        driver
            .wait_for(
                "the unit form again",
                "return document.readyState === 'complete' \
                 && document.body.innerText.includes('Menunggu tinjauan');",
            )
            .await;
        // Not public yet: the unit's page keeps the approved logo, or none.
        let (public, proposed) = logos();
        assert_eq!(
            public, replaced,
            "round {round}: the public logo is unchanged"
        );
        let shop = app.get(&format!("/unit/{slug}")).await;
        assert_eq!(shop.status, 200);
        let proposed = proposed.unwrap();
        let stem = std::path::Path::new(&proposed)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap()
            .to_string();
        assert!(!shop.body.contains(&stem), "round {round}: {}", shop.body);
        assert_eq!(
            app.get(&format!("/media/{proposed}")).await.status,
            404,
            "round {round}: the proposed file is not under /media"
        );

        // The reviewer compares and approves.
        driver.sign_in(&app, reviewer, support::PASSWORD).await;
        driver
            .goto(&app.url(&format!("/kelola/tinjau/unit/{unit}")))
            .await;
        let compared = driver.text("main").await;
        assert!(compared.contains("Tayang sekarang"), "{compared}");
        driver
            .script(
                "document.querySelector('input[name=check_people]').checked = true; return true;",
            )
            .await;
        driver.submit("button[name=decision][value=approve]").await;
        let (public, pending) = support::eventually_every(
            "the approved logo",
            Duration::from_secs(10),
            Duration::from_millis(100),
            async || match logos() {
                (Some(public), None) if Some(&public) != replaced.as_ref() => {
                    Some((public, None::<String>))
                }
                _ => None,
            },
        )
        .await;
        assert!(pending.is_none());
        let shop = app.get(&format!("/unit/{slug}")).await;
        assert!(
            shop.body.contains(&format!("/media/{public}")),
            "round {round}: the unit's page shows the approved logo"
        );
        assert_eq!(app.get(&format!("/media/{public}")).await.status, 200);
        if let Some(old) = &replaced {
            assert_eq!(
                app.get(&format!("/media/{old}")).await.status,
                404,
                "round {round}: the replaced logo is deleted"
            );
        }
        replaced = Some(public);
    }
}

/// The impact page with something sold (a paid order of two units and a booth sale, rolled
/// up), in both languages, at a phone's and a desktop's size: it fits, axe-core finds no
/// violation, and it is photographed as `target/tmp/impact/{width}x{height}/{step}.png`.
#[actix_web::test]
async fn the_impact_page_with_sales_fits_a_phone_and_a_desktop_without_accessibility_violations() {
    use etalase::domain::fair::{fair_day, SaleMethod};
    use etalase::models::booth_sale::{record_sale, SaleRequest};
    let app = TestApp::spawn().await;
    let [(a, _, _), (b, _, _)] = support::shop::two_products_of_two_units(&app);
    let mut buyer = support::Browser::new(&app);
    let placed = support::shop::place_order(&mut buyer, &[(a, 1), (b, 2)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order_id, total, _) = support::shop::order_behind(&app, &placed.location());
    support::shop::confirm_transfer(&app, order_id, total).await;
    let (event_id, unit_id) = support::fair::live_fair_with_booth(&app, a);
    let seller = support::create_account(
        &app,
        "kasir.dampak.tur@lapas.go.id",
        "staff",
        Some(unit_id),
        None,
    );
    let sold_on = fair_day(chrono::Utc::now());
    record_sale(
        &mut app.conn(),
        &SaleRequest {
            event_id,
            unit_id,
            product_id: a,
            quantity: 1,
            method: SaleMethod::Cash,
            key: "tur-dampak-1".into(),
            actor_id: seller,
            sold_on,
        },
    )
    .expect("a booth sale");
    let day = etalase::domain::impact::day_text(sold_on);
    assert!(etalase::models::rollup::rollup_day(&mut app.conn(), &day).unwrap() >= 1);
    let mut problems = Vec::new();
    for size in [(390, 844), (1366, 768)] {
        let driver = Driver::start(size.0, size.1).await;
        if size.0 < 500 {
            driver.emulate_phone(size.0, size.1).await;
        }
        for (step, path) in [("dampak", "/dampak"), ("dampak-en", "/en/dampak")] {
            driver.goto(&app.url(path)).await;
            problems.extend(driver.problems_of("impact", size, step).await);
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems on the impact page:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A phone buyer pays one order by QRIS and another by a BCA virtual account through Midtrans
/// (the fake of `support::midtrans`): checkout offers it, the order page draws the QR code or
/// shows the account number with its "Salin" button and the countdown, and once the fake sends
/// its signed notification the page says the payment arrived. Each page fits the phone and has
/// no accessibility violation.
#[actix_web::test]
async fn a_phone_buyer_pays_one_order_by_qris_and_another_by_virtual_account_through_midtrans() {
    use diesel::prelude::*;
    use etalase::db::schema::orders;
    let fake = support::midtrans::FakeMidtrans::start().await;
    let settings = fake.settings();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.midtrans = Some(settings)
    })
    .await;
    fake.deliver_to(&app.url("/webhook/midtrans"));
    let [(_, slug_a, _), (_, slug_b, _)] = support::shop::two_products_of_two_units(&app);
    let size = (390, 844);
    let driver = Driver::start(size.0, size.1).await;
    driver.emulate_phone(size.0, size.1).await;
    for (channel, slug) in [("qris", &slug_a), ("bca", &slug_b)] {
        driver.goto(&app.url(&format!("/produk/{slug}"))).await;
        driver.submit("form.add-to-cart button[type=submit]").await;
        driver
            .wait_for(
                "the toast",
                "return !document.getElementById('cart-toast').hidden;",
            )
            .await;
        driver.goto(&app.url("/checkout")).await;
        for (field, value) in [
            ("#c-name", "Siti Rahmawati"),
            ("#c-email", "siti@contoh.id"),
            ("#c-phone", "0812 3456 7890"),
            ("#c-city", "Kota Bandung"),
            ("#c-district", "Coblong"),
            ("#c-postal_code", "40132"),
            ("#c-address", "Jl. Ganesha No. 10, RT 01/RW 02"),
        ] {
            driver
                .script(&format!(
                    "document.querySelector('{field}').value = ''; return true;"
                ))
                .await;
            driver.type_text(field, value).await;
        }
        driver
            .script(
                "const s = document.getElementById('c-province_id'); s.value = '11'; return true;",
            )
            .await;
        driver
            .submit("form[action='/checkout'] button[type=submit]")
            .await;
        driver.wait_url(|u| u.ends_with("/checkout/kirim")).await;
        driver
            .script(
                "document.querySelector('input[name=bayar][value=midtrans]').click(); return true;",
            )
            .await;
        driver
            .submit("form[action='/checkout/tinjau'] button[type=submit]")
            .await;
        driver.wait_url(|u| u.contains("/checkout/tinjau")).await;
        assert!(driver.text("main").await.contains("QRIS"));
        driver
            .submit("form[action='/checkout/kirim'] button[type=submit]")
            .await;
        let order_url = driver.wait_url(|u| u.contains("/pesanan/")).await;
        let secret = order_url
            .rsplit("/pesanan/")
            .next()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let code: String = orders::table
            .filter(orders::secret.eq(&secret))
            .select(orders::code)
            .first(&mut *app.conn())
            .unwrap();
        assert!(driver.text("main").await.contains("Pilih caranya"));
        driver
            .look_at(size, &format!("midtrans-{channel}-1-choose"))
            .await;

        driver
            .script(&format!(
                "document.querySelector('input[name=cara][value={channel}]').click(); return true;"
            ))
            .await;
        driver.submit("form.pay-channels button[type=submit]").await;
        driver
            .wait_for(
                "the payment instructions",
                "return document.readyState === 'complete' \
                 && !!document.querySelector('.pay-details');",
            )
            .await;
        let charge = fake
            .charge(&format!("{code}-1"))
            .expect("a charge at Midtrans");
        match channel {
            "qris" => {
                let drawn = driver
                    .script("return !!document.querySelector('.pay-qr-code svg');")
                    .await;
                assert_eq!(drawn, json!(true), "the QR code is drawn on the page");
            }
            _ => {
                assert_eq!(driver.text("#va-number").await, charge.va_number);
                let copy = driver
                    .script(
                        "const b = document.querySelector('#va-number ~ button.copy'); \
                         return !!b && !b.hidden;",
                    )
                    .await;
                assert_eq!(copy, json!(true), "the Salin button shows with JavaScript");
            }
        }
        let countdown = driver
            .script("return !document.querySelector('[data-countdown] .countdown').hidden;")
            .await;
        assert_eq!(countdown, json!(true), "the time left to pay");
        driver
            .look_at(size, &format!("midtrans-{channel}-2-pay"))
            .await;

        // The buyer pays in their app; Midtrans tells the shop.
        let (status, body) = fake.pay(&charge.order_id).await;
        assert_eq!(
            (status, body["outcome"].as_str()),
            (200, Some("paid")),
            "{body}"
        );
        driver.goto(&order_url).await;
        let order = driver.text("main").await;
        assert!(order.contains("Pembayaran diterima"), "{order}");
        driver
            .look_at(size, &format!("midtrans-{channel}-3-paid"))
            .await;
    }
}

// ---- QRIS at the booth till ----------------------------------------------------------------

/// A booth to sell at: a live fair (`support::fair`) where the unit of a published product in
/// stock holds booth A-01, and an account of that unit's staff.
struct TillBooth {
    event: i32,
    unit: i32,
    product: i32,
    /// The product's name and price, as the till offers it, and its stock before any sale.
    name: String,
    price: i64,
    stock: i32,
}

impl TillBooth {
    /// The booth, with `seller` an account of the unit's staff.
    fn open(app: &TestApp, seller: &str) -> TillBooth {
        use diesel::prelude::*;
        use etalase::db::schema::products;
        let [(product, _, stock), _] = support::shop::two_products_of_two_units(app);
        let (event, unit) = support::fair::live_fair_with_booth(app, product);
        support::create_account(app, seller, "staff", Some(unit), None);
        let (name, price): (String, i64) = products::table
            .find(product)
            .select((products::name, products::price))
            .first(&mut *app.conn())
            .unwrap();
        TillBooth {
            event,
            unit,
            product,
            name,
            price,
            stock,
        }
    }

    /// The till's address.
    fn till(&self) -> String {
        format!("/kelola/pameran/{}/kasir", self.event)
    }

    /// The fair's booth sales, oldest first: (product, quantity, total, method).
    fn sales(&self, app: &TestApp) -> Vec<(i32, i32, i64, String)> {
        use diesel::prelude::*;
        use etalase::db::schema::booth_sales;
        booth_sales::table
            .filter(booth_sales::event_id.eq(self.event))
            .order(booth_sales::id.asc())
            .select((
                booth_sales::product_id,
                booth_sales::quantity,
                booth_sales::total,
                booth_sales::method,
            ))
            .load(&mut *app.conn())
            .unwrap()
    }

    /// A sale of `quantity` of the product as the till's recent sales list it, paid by
    /// `method` as they name it (`QRIS`).
    fn recent_line(&self, quantity: i32, method: &str) -> String {
        let total = etalase::domain::format_rupiah(self.price * i64::from(quantity));
        format!("{quantity} × {} · {total} · {method}", self.name)
    }
}

impl Driver {
    /// Makes the page `width` × `height` CSS pixels at one device pixel each, as a desktop
    /// screen: a session at a phone's size moves to a desktop's keeping what it shows (an open
    /// dialog, a charge being polled).
    async fn emulate_desktop(&self, width: u32, height: u32) {
        let cmd = "Emulation.setDeviceMetricsOverride";
        let answer = self
            .call(
                "POST",
                "/goog/cdp/execute",
                json!({"cmd": cmd, "params": {"width": width, "height": height,
                    "deviceScaleFactor": 1, "mobile": false}}),
            )
            .await;
        assert!(answer.get("error").is_none(), "{cmd} refused: {answer}");
    }

    /// On the till: chooses `product`, types `quantity` and picks QRIS as the way to pay.
    async fn fill_till_for_qris(&self, product: i32, quantity: &str) {
        let chosen = self
            .script(&format!(
                "const s = document.getElementById('till-product'); s.value = '{product}'; \
                 s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value;"
            ))
            .await;
        assert_eq!(chosen, json!(product.to_string()), "the till sells it");
        self.script("document.getElementById('till-quantity').value = ''; return true;")
            .await;
        self.type_text("#till-quantity", quantity).await;
        self.submit("#till input[name=cara][value=qris]").await;
        let picked = self
            .script("return document.querySelector('#till input[name=cara]:checked').value;")
            .await;
        assert_eq!(picked, json!("qris"));
    }

    /// The text of the till's list of recent sales; empty when it lists none (or the page is
    /// still loading).
    async fn recent_sales(&self) -> String {
        self.script(
            "const h = [...document.querySelectorAll('h2')]\
               .find(h => h.textContent.trim() === 'Penjualan terakhir'); \
             const l = h && h.nextElementSibling; \
             return l && l.tagName === 'UL' ? l.innerText : '';",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
    }
}

/// The unit's static QRIS image (uploaded at `/kelola/unit`) on a phone: once QRIS is chosen
/// for two of a product, "Tampilkan QRIS" shows it full-screen with the amount to pay, in a
/// dialog that fits the screen without accessibility violations (photographed as
/// `target/tmp/till/390x844/static-qris.png`); "Pembayaran diterima" closes it and records the
/// sale, as QRIS, once, through the till's queue.
#[actix_web::test]
async fn a_seller_shows_the_units_static_qris_full_screen_on_a_phone_and_records_the_sale_once_paid(
) {
    let app = TestApp::spawn().await;
    let seller = "kasir.qris@lapas.go.id";
    let booth = TillBooth::open(&app, seller);
    // The unit's staff upload the QRIS image their bank gave them.
    let mut staff = support::Browser::new(&app);
    staff.sign_in(seller, support::PASSWORD).await;
    let token = staff.csrf("/kelola/unit").await;
    let uploaded = staff
        .post_multipart(
            "/kelola/unit/qris",
            &[("csrf_token", &token)],
            Some(("image", "qris.png", &support::png(600, 800))),
        )
        .await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);

    let size = (390, 844);
    let driver = Driver::start(size.0, size.1).await;
    driver.emulate_phone(size.0, size.1).await;
    driver.sign_in(&app, seller, support::PASSWORD).await;
    driver.goto(&app.url(&booth.till())).await;
    let offered = "return !document.getElementById('till-qris-show').hidden;";
    assert_eq!(
        driver.script(offered).await,
        json!(false),
        "no QRIS to show while cash is chosen"
    );
    driver.fill_till_for_qris(booth.product, "2").await;
    assert_eq!(driver.script(offered).await, json!(true), "QRIS is chosen");
    let button = driver.text("#till-qris-show").await;
    assert!(button.contains("Tampilkan QRIS"), "{button}");

    driver.submit("#till-qris-show").await;
    driver
        .wait_for(
            "the open QRIS dialog with its image loaded",
            "const d = document.getElementById('till-qris'); \
             const i = d.querySelector('img.till-qris-image'); \
             return d.open && i.complete && i.naturalWidth === 600;",
        )
        .await;
    assert_eq!(
        driver.text("#till-qris-amount").await,
        etalase::domain::format_rupiah(booth.price * 2),
        "the amount to pay, written as the page writes prices"
    );
    let item = driver.text("#till-qris-item").await;
    assert!(item.contains(&format!("2 × {}", booth.name)), "{item}");
    let rects = driver
        .script(
            "const d = document.getElementById('till-qris').getBoundingClientRect(); \
             const i = document.querySelector('#till-qris img.till-qris-image')\
               .getBoundingClientRect(); \
             return [d.left, d.width, d.height, window.innerWidth, window.innerHeight, \
               i.left, i.right, i.width];",
        )
        .await;
    let r: Vec<f64> = rects
        .as_array()
        .unwrap_or_else(|| panic!("sizes: {rects}"))
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        r[0].abs() <= 1.0 && (r[1] - r[3]).abs() <= 1.0 && (r[2] - r[4]).abs() <= 1.0,
        "the dialog fills the screen ([left, width, height] of it, then of the screen): {rects}"
    );
    assert!(
        r[5] >= 0.0 && r[6] <= r[3] + 1.0 && r[7] >= 200.0,
        "the image fits the screen and is large enough to scan: {rects}"
    );
    let problems = driver.problems_of("till", size, "static-qris").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The buyer's app says it paid: the seller confirms.
    driver.submit("#till-qris-paid").await;
    driver
        .wait_for(
            "the sale recorded and the dialog closed",
            "const s = document.getElementById('till-status'); \
             return !document.getElementById('till-qris').open && !s.hidden \
               && s.textContent.includes('Penjualan dicatat');",
        )
        .await;
    assert_eq!(
        booth.sales(&app),
        vec![(booth.product, 2, booth.price * 2, "qris".to_string())]
    );
    assert_eq!(
        support::shop::stock_of(&app, booth.product),
        booth.stock - 2
    );
    let waiting = driver
        .script("return localStorage.getItem(document.getElementById('till').dataset.queue);")
        .await;
    assert_eq!(waiting, json!("[]"), "nothing waits on the phone");

    // The till again: the sale among the recent ones, still counted once.
    driver.goto(&app.url(&booth.till())).await;
    let recent = driver.recent_sales().await;
    assert!(recent.contains(&booth.recent_line(2, "QRIS")), "{recent}");
    assert_eq!(booth.sales(&app).len(), 1, "the sale is counted once");
}

/// A dynamic QRIS charge through Midtrans (the fake of `support::midtrans`) on a phone: "QRIS
/// dinamis (Midtrans)" makes one charge for two of a product and shows its code, drawn by the
/// server as inline SVG, in a dialog that fits a phone and a desktop without accessibility
/// violations (photographed as `target/tmp/till/{390x844,1366x768}/dynamic-qris.png`). Once
/// the fake settles it and sends its signed notification, the dialog's poll says "Terbayar"
/// within 10 s; the sale is recorded once, and "Selesai" shows it among the recent sales.
#[actix_web::test]
async fn a_seller_takes_a_dynamic_qris_payment_at_the_booth_and_sees_it_paid() {
    let fake = support::midtrans::FakeMidtrans::start().await;
    let settings = fake.settings();
    let app = TestApp::spawn_custom(Some(support::small_demo()), move |s| {
        s.midtrans = Some(settings)
    })
    .await;
    fake.deliver_to(&app.url("/webhook/midtrans"));
    let seller = "kasir.dinamis@lapas.go.id";
    let booth = TillBooth::open(&app, seller);
    let phone = (390, 844);
    let driver = Driver::start(phone.0, phone.1).await;
    driver.emulate_phone(phone.0, phone.1).await;
    driver.sign_in(&app, seller, support::PASSWORD).await;
    driver.goto(&app.url(&booth.till())).await;
    let button = driver.text("#till-dynamic").await;
    assert!(button.contains("QRIS dinamis (Midtrans)"), "{button}");
    driver.fill_till_for_qris(booth.product, "2").await;

    driver.submit("#till-dynamic").await;
    driver
        .wait_for(
            "the charge dialog with its code",
            "const d = document.getElementById('till-charge'); \
             return d.open && !!d.querySelector('#till-charge-code svg');",
        )
        .await;
    assert_eq!(
        driver.text("#till-charge-amount").await,
        etalase::domain::format_rupiah(booth.price * 2)
    );
    let item = driver.text("#till-charge-item").await;
    assert!(item.contains(&format!("2 × {}", booth.name)), "{item}");
    let state = driver.text("#till-charge-state").await;
    assert!(state.contains("Menunggu pembayaran"), "{state}");
    let charges = fake.charges_of(&format!("BOOTH-{}-{}", booth.event, booth.unit));
    assert_eq!(charges.len(), 1, "one charge at Midtrans: {charges:?}");
    let charge = &charges[0];
    assert_eq!(
        (charge.payment_type.as_str(), charge.gross_amount),
        ("qris", booth.price * 2)
    );
    assert!(
        booth.sales(&app).is_empty(),
        "nothing recorded before the money arrives"
    );
    let mut problems = driver.problems_of("till", phone, "dynamic-qris").await;
    let desktop = (1366, 768);
    driver.emulate_desktop(desktop.0, desktop.1).await;
    problems.extend(driver.problems_of("till", desktop, "dynamic-qris").await);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    driver.emulate_phone(phone.0, phone.1).await;

    // The buyer pays in their app; Midtrans tells the shop, and the till's poll sees it.
    let (status, body) = fake.pay(&charge.order_id).await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("paid")),
        "{body}"
    );
    support::eventually_every(
        "the till to say the charge is paid",
        Duration::from_secs(10),
        Duration::from_millis(250),
        async || {
            let state = driver
                .script("return document.getElementById('till-charge-state').textContent;")
                .await;
            let state = state.as_str().unwrap_or_default().to_string();
            if state.contains("Terbayar") {
                Ok(state)
            } else {
                Err(state)
            }
        },
    )
    .await;
    let shown = driver
        .script(
            "return ['till-charge', 'till-charge-code', 'till-charge-done', 'till-charge-cancel']\
               .map(id => { const e = document.getElementById(id); \
                 return id === 'till-charge' ? e.open : !e.hidden; });",
        )
        .await;
    assert_eq!(
        shown,
        json!([true, false, true, false]),
        "open, its code gone, Selesai instead of Batalkan"
    );
    assert_eq!(
        booth.sales(&app),
        vec![(booth.product, 2, booth.price * 2, "qris".to_string())]
    );
    assert_eq!(
        support::shop::stock_of(&app, booth.product),
        booth.stock - 2
    );

    // Done: the till shows again with the sale among the recent ones and no charge waiting.
    driver.submit("#till-charge-done").await;
    let line = booth.recent_line(2, "QRIS");
    support::eventually(
        "the paid sale among the recent ones",
        Duration::from_secs(10),
        async || {
            let recent = driver.recent_sales().await;
            if recent.contains(&line) {
                Ok(())
            } else {
                Err(recent)
            }
        },
    )
    .await;
    let waiting = driver
        .script("return !!document.querySelector('.till-charges');")
        .await;
    assert_eq!(waiting, json!(false), "no charge left waiting");
    assert_eq!(booth.sales(&app).len(), 1, "the sale is counted once");
}
