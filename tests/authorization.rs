//! Who may use which back-office address. One table lists every GET and POST route under
//! `/kelola` with the accounts it is for; each route is asked by a signed-out visitor, an
//! administrator, a reviewer of unit A's province, an organizer, the staff of unit A and the
//! staff of unit B (another province), a national observer and an observer of unit A's
//! province (read-only: their dashboard, the oversight pages and their own password), and must
//! answer as the table says: the sign-in page for
//! the visitor, the page or the form's outcome for the accounts it is for, 403 for every other
//! role and for another unit's product, parcel, booth or document. Every form also refuses a
//! post without its session's form key and changes nothing. A new route needs a row: a test
//! compares the table with the routes the handlers declare.

use crate::support;

use std::collections::BTreeSet;

use diesel::prelude::*;
use etalase::db::schema::{
    audit_log, booth_charges, booth_sales, booths, certifications, events, fair_applications,
    invitations, legal_rules, mail_outbox, orders, payments, product_photos, products,
    search_synonyms, shipments, units, users,
};
use support::{create_account, Browser, Page, TestApp, PASSWORD, PDF};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Admin,
    /// A reviewer of unit A's province.
    Reviewer,
    Organizer,
    /// The staff of unit A, whose product, parcel, booth and document the table names.
    StaffA,
    /// The staff of unit B, in another province.
    StaffB,
    /// A national observer.
    Observer,
    /// An observer of unit A's province.
    RegionalObserver,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Admin,
    Who::Reviewer,
    Who::Organizer,
    Who::StaffA,
    Who::StaffB,
    Who::Observer,
    Who::RegionalObserver,
];

impl Who {
    /// The account's address; none for the visitor.
    fn email(self) -> Option<&'static str> {
        match self {
            Who::Anonymous => None,
            Who::Admin => Some("admin@kemenimipas.go.id"),
            Who::Reviewer => Some("peninjau@kemenimipas.go.id"),
            Who::Organizer => Some("panitia@kemenimipas.go.id"),
            Who::StaffA => Some("staf.a@lapas.go.id"),
            Who::StaffB => Some("staf.b@rutan.go.id"),
            Who::Observer => Some("pemantau@kemenimipas.go.id"),
            Who::RegionalObserver => Some("pemantau.kanwil@kemenimipas.go.id"),
        }
    }
}

/// Any signed-in account.
const SIGNED_IN: &[Who] = &[
    Who::Admin,
    Who::Reviewer,
    Who::Organizer,
    Who::StaffA,
    Who::StaffB,
    Who::Observer,
    Who::RegionalObserver,
];
const ADMIN: &[Who] = &[Who::Admin];
const REVIEWERS: &[Who] = &[Who::Admin, Who::Reviewer];
const ORGANIZERS: &[Who] = &[Who::Admin, Who::Organizer];
/// The oversight dashboard: observers (national and regional) and the administrators.
const OVERSEERS: &[Who] = &[Who::Admin, Who::Observer, Who::RegionalObserver];
/// The staff of any unit, each for their own unit.
const UNIT_STAFF: &[Who] = &[Who::StaffA, Who::StaffB];
/// Unit A's parcel and booth: its staff only.
const STAFF_A: &[Who] = &[Who::StaffA];
/// Unit A's products: its staff and the administrators.
const MANAGE_A: &[Who] = &[Who::Admin, Who::StaffA];
/// Unit A's document scan: its staff, the administrators and the reviewers of its province.
const DOCUMENT_A: &[Who] = &[Who::Admin, Who::Reviewer, Who::StaffA];
/// The sales report of a fair: the organizers (whole fair) and a unit with a booth there.
const FAIR_REPORT_A: &[Who] = &[Who::Admin, Who::Organizer, Who::StaffA];
/// Unit A's payouts: its staff, whose account the fixture gives the treasurer right (unit B's
/// staff have none).
const TREASURER_A: &[Who] = &[Who::StaffA];

/// What a route answered, as far as who may use it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// 303 to the sign-in page.
    SignIn,
    /// 403.
    Forbidden,
    /// The page (200), or a form's outcome: done (303) or shown again with what is wrong (422).
    Allowed,
}

/// How a route is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    /// An urlencoded form.
    Form,
    /// A multipart form; `key_required`: it cannot be read at all without its `csrf_token`
    /// part (the handler shows the form again, 422, and stores nothing).
    Upload {
        key_required: bool,
    },
}

/// One row of the table: a route, the address it is asked at and who may use it.
struct Route {
    kind: Kind,
    /// As the handler declares it (`/kelola/produk/{id}`).
    pattern: &'static str,
    path: String,
    /// A form's fields beside its key.
    fields: Vec<(&'static str, String)>,
    allowed: &'static [Who],
}

/// `pattern` with its `{…}` parts replaced by `args`, in order.
fn fill(pattern: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    let mut args = args.iter();
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a closing brace");
        out.push_str(&rest[..open]);
        out.push_str(
            args.next()
                .expect("an argument for each part of the pattern"),
        );
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

impl Route {
    fn new(kind: Kind, pattern: &'static str, args: &[&str], allowed: &'static [Who]) -> Self {
        Self {
            kind,
            pattern,
            path: fill(pattern, args),
            fields: Vec::new(),
            allowed,
        }
    }

    fn get(pattern: &'static str, args: &[&str], allowed: &'static [Who]) -> Self {
        Self::new(Kind::Get, pattern, args, allowed)
    }

    fn post(pattern: &'static str, args: &[&str], allowed: &'static [Who]) -> Self {
        Self::new(Kind::Form, pattern, args, allowed)
    }

    fn upload(
        pattern: &'static str,
        args: &[&str],
        key_required: bool,
        allowed: &'static [Who],
    ) -> Self {
        Self::new(Kind::Upload { key_required }, pattern, args, allowed)
    }

    /// The address with a query (`?id=3`).
    fn query(mut self, query: &str) -> Self {
        self.path.push_str(query);
        self
    }

    /// A form's fields beside its key.
    fn with(mut self, fields: &[(&'static str, &str)]) -> Self {
        self.fields.extend(
            fields
                .iter()
                .map(|(name, value)| (*name, value.to_string())),
        );
        self
    }

    fn method(&self) -> &'static str {
        match self.kind {
            Kind::Get => "GET",
            Kind::Form | Kind::Upload { .. } => "POST",
        }
    }

    fn expected(&self, who: Who) -> Answer {
        if who == Who::Anonymous {
            Answer::SignIn
        } else if self.allowed.contains(&who) {
            Answer::Allowed
        } else {
            Answer::Forbidden
        }
    }

    /// What `page` says, or None for an answer the table has no place for (404, 400, 500…).
    fn answer(&self, page: &Page) -> Option<Answer> {
        match (page.status, self.kind) {
            (303, _) if page.location().starts_with("/masuk?next=") => Some(Answer::SignIn),
            (403, _) => Some(Answer::Forbidden),
            (200, _) => Some(Answer::Allowed),
            (303 | 422, Kind::Form | Kind::Upload { .. }) => Some(Answer::Allowed),
            _ => None,
        }
    }

    /// Asks the route as `browser`, with form key `key` (none: the field is left out).
    async fn send(&self, browser: &mut Browser<'_>, key: Option<&str>) -> Page {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        if let Some(key) = key {
            fields.push(("csrf_token", key));
        }
        fields.extend(
            self.fields
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        match self.kind {
            Kind::Get => browser.get(&self.path).await,
            Kind::Form => browser.post(&self.path, &fields).await,
            Kind::Upload { .. } => browser.post_multipart(&self.path, &fields, None).await,
        }
    }
}

/// What the table names: unit A's product (with its first photo), a live fair where unit A
/// holds booth A-01 (and its application), a paid order with unit A's parcel, a product under
/// review in A's province and one of unit B, unit C and an account for the registry and the
/// account forms, a queued mail, unit A's static QRIS image and a QRIS charge waiting at its
/// booth.
#[derive(Debug, Default)]
struct Fixture {
    product_a: i32,
    photo_a: i32,
    submitted_a: i32,
    product_b: i32,
    unit_c: i32,
    event: i32,
    application: i32,
    order: i32,
    parcel: i32,
    mail: i32,
    account: i32,
    /// Unit A, whose staff proposed a new logo that waits for review.
    unit_a: i32,
    /// Unit C's own bank account.
    bank_account: i32,
    /// A legal status rule (products of kind "Bonsai" need an HKI registration).
    legal_rule: i32,
    /// A dynamic QRIS charge waiting at unit A's booth.
    booth_charge: i32,
    /// A search synonym an administrator added ("songkok" finds "peci").
    synonym: i32,
}

/// Every back-office route, with `fx`'s and `document`'s ids in its address. Forms are sent
/// empty or with what makes them harmless (a refused decision, a status that is not the next
/// step), so that each role's answer says only whether it was let in.
fn routes(fx: &Fixture, document: i32) -> Vec<Route> {
    let [pa, photo, sub, pb, unit_c, ev, application, order, parcel, mail, account, doc, unit_a, bank, rule, charge, synonym] =
        [
            fx.product_a,
            fx.photo_a,
            fx.submitted_a,
            fx.product_b,
            fx.unit_c,
            fx.event,
            fx.application,
            fx.order,
            fx.parcel,
            fx.mail,
            fx.account,
            document,
            fx.unit_a,
            fx.bank_account,
            fx.legal_rule,
            fx.booth_charge,
            fx.synonym,
        ]
        .map(|id| id.to_string());
    let printed = format!("?id={parcel}");
    vec![
        // Pages.
        Route::get("/kelola", &[], SIGNED_IN),
        Route::get("/kelola/kata-sandi", &[], SIGNED_IN),
        Route::get("/kelola/produk/baru", &[], UNIT_STAFF),
        Route::get("/kelola/produk/{id}", &[&pa], MANAGE_A),
        Route::get("/kelola/unit", &[], UNIT_STAFF),
        Route::get("/kelola/dokumen", &[], UNIT_STAFF),
        Route::get("/kelola/dokumen/{id}/berkas", &[&doc], DOCUMENT_A),
        Route::get("/kelola/impor", &[], UNIT_STAFF),
        Route::get("/kelola/impor/templat.csv", &[], UNIT_STAFF),
        Route::get("/kelola/pesanan", &[], UNIT_STAFF),
        Route::get("/kelola/pesanan/slip", &[], STAFF_A).query(&printed),
        Route::get("/kelola/pesanan/label", &[], STAFF_A).query(&printed),
        Route::get("/kelola/pameran-saya", &[], UNIT_STAFF),
        Route::get("/kelola/pameran/{id}/kasir", &[&ev], STAFF_A),
        Route::get("/kelola/pameran/{id}/laporan", &[&ev], FAIR_REPORT_A),
        Route::get("/kelola/pameran/{id}/laporan.csv", &[&ev], FAIR_REPORT_A),
        Route::get("/kelola/pameran", &[], ORGANIZERS),
        Route::get("/kelola/pameran/{id}", &[&ev], ORGANIZERS),
        Route::get("/kelola/tinjau", &[], REVIEWERS),
        Route::get("/kelola/tinjau/produk/{id}", &[&sub], REVIEWERS),
        // Outside the reviewer's province.
        Route::get("/kelola/tinjau/produk/{id}", &[&pb], ADMIN),
        Route::get("/kelola/pembayaran", &[], ADMIN),
        Route::get("/kelola/audit", &[], ADMIN),
        Route::get("/kelola/surat", &[], ADMIN),
        Route::get("/kelola/daftar-unit", &[], ADMIN),
        Route::get("/kelola/daftar-unit/baru", &[], ADMIN),
        Route::get("/kelola/daftar-unit/impor", &[], ADMIN),
        Route::get("/kelola/daftar-unit/impor/templat.csv", &[], ADMIN),
        Route::get("/kelola/daftar-unit/{id}", &[&unit_c], ADMIN),
        Route::get("/kelola/akun", &[], ADMIN),
        Route::get("/kelola/akun/undang", &[], ADMIN),
        Route::get("/kelola/akun/{id}", &[&account], ADMIN),
        Route::get("/kelola/pembayaran/rekening", &[], ADMIN),
        Route::get("/kelola/pembayaran/rekening/baru", &[], ADMIN),
        Route::get("/kelola/pembayaran/rekening/{id}", &[&bank], ADMIN),
        Route::get("/kelola/tinjau/unit/{id}", &[&unit_a], REVIEWERS),
        Route::get(
            "/kelola/unit/{id}/usulan/{which}",
            &[&unit_a, "logo"],
            DOCUMENT_A,
        ),
        Route::get("/kelola/pantau", &[], OVERSEERS),
        // A filter the regional observer's province overrides.
        Route::get("/kelola/pantau", &[], OVERSEERS)
            .query("?provinsi=1&jenis=rutan&dari=2020-01-01"),
        Route::get(
            "/kelola/pantau/{table}.csv",
            &["penjualan-bulanan"],
            OVERSEERS,
        ),
        Route::get("/kelola/pantau/{table}.csv", &["merek"], OVERSEERS),
        Route::get("/kelola/aturan-legalitas", &[], ADMIN),
        Route::get("/kelola/sinonim", &[], ADMIN),
        Route::get("/kelola/pencarian", &[], ADMIN),
        Route::get("/kelola/setoran", &[], TREASURER_A),
        Route::get("/kelola/setoran/rekap", &[], ADMIN),
        Route::get("/kelola/setoran/unit/{id}", &[&unit_a], ADMIN),
        // Unit A's static QRIS image (the fixture uploads one) and its waiting booth charge.
        Route::get("/kelola/unit/{id}/qris", &[&unit_a], STAFF_A),
        Route::get(
            "/kelola/pameran/{id}/tagihan/{charge}",
            &[&ev, &charge],
            STAFF_A,
        ),
        Route::get(
            "/kelola/pameran/{id}/tagihan/{charge}/status",
            &[&ev, &charge],
            STAFF_A,
        ),
        // Forms.
        Route::post("/kelola/kata-sandi", &[], SIGNED_IN),
        Route::post("/kelola/produk", &[], UNIT_STAFF),
        Route::post("/kelola/produk/{id}", &[&pa], MANAGE_A),
        Route::upload("/kelola/produk/{id}/foto", &[&pa], true, MANAGE_A),
        // The first photo moved up stays where it is.
        Route::post(
            "/kelola/produk/{id}/foto/{photo}/{action}",
            &[&pa, &photo, "naik"],
            MANAGE_A,
        ),
        Route::post("/kelola/unit", &[], UNIT_STAFF),
        Route::upload("/kelola/unit/gambar", &[], true, UNIT_STAFF).with(&[("which", "logo")]),
        // Sent without a file: refused on the form, nothing stored.
        Route::upload("/kelola/unit/qris", &[], true, UNIT_STAFF),
        // After the image's GET row above: unit A's image is removed here.
        Route::post("/kelola/unit/qris/hapus", &[], UNIT_STAFF),
        Route::upload("/kelola/dokumen", &[], true, UNIT_STAFF),
        Route::upload("/kelola/impor", &[], true, UNIT_STAFF),
        Route::post("/kelola/kiriman/{id}/kirim", &[&parcel], STAFF_A),
        Route::post("/kelola/kiriman/{id}/siap", &[&parcel], STAFF_A),
        Route::post("/kelola/kiriman/{id}/serahkan", &[&parcel], STAFF_A),
        Route::post("/kelola/pameran/{id}/daftar", &[&ev], UNIT_STAFF),
        // Let in, and refused at a fair where the unit holds no booth (checked below).
        Route::post("/kelola/pameran/{id}/penjualan", &[&ev], UNIT_STAFF),
        // Sent empty (and Midtrans is not configured here): refused with a message.
        Route::post("/kelola/pameran/{id}/tagihan", &[&ev], UNIT_STAFF),
        // Midtrans is not configured here: the charge stays, the seller is told.
        Route::post(
            "/kelola/pameran/{id}/tagihan/{charge}/batal",
            &[&ev, &charge],
            STAFF_A,
        ),
        Route::post("/kelola/pameran", &[], ORGANIZERS),
        Route::post("/kelola/pameran/{id}/status", &[&ev], ORGANIZERS).with(&[("status", "draft")]),
        Route::post("/kelola/pameran/{id}/tanggal", &[&ev], ORGANIZERS),
        Route::upload("/kelola/pameran/{id}/stan", &[&ev], true, ORGANIZERS),
        Route::post("/kelola/pameran/lamaran/{id}", &[&application], ORGANIZERS).with(&[
            ("pameran", &ev),
            ("keputusan", "tolak"),
            ("alasan", "x"),
        ]),
        Route::post("/kelola/tinjau/produk/{id}", &[&sub], REVIEWERS)
            .with(&[("decision", "return")]),
        Route::post("/kelola/tinjau/produk/{id}", &[&pb], ADMIN).with(&[("decision", "return")]),
        Route::post("/kelola/tinjau/dokumen/{id}", &[&doc], REVIEWERS)
            .with(&[("decision", "reject")]),
        Route::post("/kelola/pembayaran/{id}/lunas", &[&order], ADMIN),
        Route::post("/kelola/pembayaran/{id}/kembalikan", &[&order], ADMIN),
        Route::post("/kelola/surat/{id}/ulang", &[&mail], ADMIN),
        Route::post("/kelola/daftar-unit", &[], ADMIN),
        Route::post("/kelola/daftar-unit/{id}", &[&unit_c], ADMIN),
        Route::post("/kelola/daftar-unit/{id}/nonaktifkan", &[&unit_c], ADMIN),
        Route::post("/kelola/daftar-unit/{id}/aktifkan", &[&unit_c], ADMIN),
        Route::upload("/kelola/daftar-unit/impor", &[], false, ADMIN),
        Route::post("/kelola/akun/undang", &[], ADMIN),
        Route::post("/kelola/akun/{id}", &[&account], ADMIN),
        Route::post("/kelola/akun/{id}/kirim-ulang", &[&account], ADMIN),
        Route::post("/kelola/akun/{id}/nonaktifkan", &[&account], ADMIN),
        Route::post("/kelola/akun/{id}/aktifkan", &[&account], ADMIN),
        Route::post("/kelola/pembayaran/rekening", &[], ADMIN),
        Route::post("/kelola/pembayaran/rekening/{id}", &[&bank], ADMIN),
        Route::post(
            "/kelola/pembayaran/rekening/{id}/nonaktifkan",
            &[&bank],
            ADMIN,
        ),
        Route::post("/kelola/pembayaran/rekening/{id}/aktifkan", &[&bank], ADMIN),
        Route::post("/kelola/tinjau/unit/{id}", &[&unit_a], REVIEWERS)
            .with(&[("decision", "return")]),
        Route::post("/kelola/produk/{id}/pulihkan", &[&pa], MANAGE_A),
        // The archived product is the last change to it.
        Route::post("/kelola/produk/{id}/ajukan", &[&pa], MANAGE_A),
        Route::post("/kelola/produk/{id}/arsipkan", &[&pa], MANAGE_A),
        Route::post("/kelola/akun/{id}/bendahara", &[&account], ADMIN),
        // Sent empty: a rule without documents, shown again.
        Route::post("/kelola/aturan-legalitas", &[], ADMIN),
        Route::post("/kelola/aturan-legalitas/{id}/hapus", &[&rule], ADMIN),
        // Sent empty: an entry without a word, shown again.
        Route::post("/kelola/sinonim", &[], ADMIN),
        Route::post("/kelola/sinonim/{id}/hapus", &[&synonym], ADMIN),
        // Sent empty: an entry without a month, shown again; no month to close.
        Route::post("/kelola/setoran", &[], TREASURER_A),
        Route::post("/kelola/setoran/tutup", &[], TREASURER_A),
        Route::post("/kelola/setoran/unit/{id}/tutup", &[&unit_a], ADMIN),
    ]
}

/// Every back-office route the handlers declare (`#[get("/kelola…")]`, `#[post("/kelola…")]`),
/// as (method, pattern).
fn declared_routes() -> BTreeSet<(String, String)> {
    let handlers = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/handlers");
    let mut found = BTreeSet::new();
    for audience in ["staff", "review", "organizer", "admin", "oversight"] {
        let dir = handlers.join(audience);
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for line in text.lines() {
                for (method, opening) in [("GET", "#[get(\""), ("POST", "#[post(\"")] {
                    let Some(rest) = line.trim().strip_prefix(opening) else {
                        continue;
                    };
                    let pattern = rest.split('"').next().unwrap_or_default();
                    if pattern.starts_with("/kelola") {
                        found.insert((method.to_string(), pattern.to_string()));
                    }
                }
            }
        }
    }
    found
}

/// The demo shop without background jobs: nothing changes its data but the requests sent.
async fn back_office() -> TestApp {
    TestApp::spawn_web_only().await
}

/// Builds what the table names, and the accounts of `EVERYONE`.
async fn fixture(app: &TestApp) -> Fixture {
    let (product_a, photo_a, unit_a): (i32, i32, i32) = product_photos::table
        .inner_join(products::table)
        .filter(products::status.eq("published"))
        .filter(products::stock.gt(2))
        .order((products::id.asc(), product_photos::position.asc()))
        .select((products::id, product_photos::id, products::unit_id))
        .first(&mut *app.conn())
        .expect("a published product with a photo");
    let province_a: i32 = units::table
        .find(unit_a)
        .select(units::province_id)
        .first(&mut *app.conn())
        .unwrap();
    let (product_b, unit_b): (i32, i32) = products::table
        .inner_join(units::table)
        .filter(units::province_id.ne(province_a))
        .order(products::id.asc())
        .select((products::id, products::unit_id))
        .first(&mut *app.conn())
        .expect("a product of a unit in another province");
    let unit_c: i32 = units::table
        .filter(units::id.ne(unit_a))
        .filter(units::id.ne(unit_b))
        .order(units::id.asc())
        .select(units::id)
        .first(&mut *app.conn())
        .unwrap();
    let submitted_a: i32 = products::table
        .inner_join(units::table)
        .filter(units::province_id.eq(province_a))
        .filter(products::id.ne(product_a))
        .order(products::id.asc())
        .select(products::id)
        .first(&mut *app.conn())
        .expect("a second product in unit A's province");
    diesel::update(products::table.find(submitted_a))
        .set(products::status.eq("submitted"))
        .execute(&mut *app.conn())
        .unwrap();
    for who in EVERYONE {
        let (role, unit, province) = match who {
            Who::Anonymous => continue,
            Who::Admin => ("admin", None, None),
            Who::Reviewer => ("reviewer", None, Some(province_a)),
            Who::Organizer => ("organizer", None, None),
            Who::StaffA => ("staff", Some(unit_a), None),
            Who::StaffB => ("staff", Some(unit_b), None),
            Who::Observer => ("observer", None, None),
            Who::RegionalObserver => ("observer", None, Some(province_a)),
        };
        let email = who.email().expect("an account");
        create_account(app, email, role, unit, province);
    }
    let account = create_account(app, "sasaran@lapas.go.id", "staff", Some(unit_c), None);
    let (event, _) = support::fair::live_fair_with_booth(app, product_a);
    let application: i32 = fair_applications::table
        .filter(fair_applications::event_id.eq(event))
        .select(fair_applications::id)
        .first(&mut *app.conn())
        .unwrap();
    let mut buyer = Browser::new(app);
    let placed = support::shop::place_order(&mut buyer, &[(product_a, 1)]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    let (order, total, parcels) = support::shop::order_behind(app, &placed.location());
    support::shop::confirm_transfer(app, order, total).await;
    let mail: i32 = mail_outbox::table
        .order(mail_outbox::id.asc())
        .select(mail_outbox::id)
        .first(&mut *app.conn())
        .expect("the order's mail, queued");
    // Unit A proposes a new logo, which waits for a reviewer.
    let mut staff_a = Browser::new(app);
    staff_a
        .sign_in(Who::StaffA.email().expect("an account"), PASSWORD)
        .await;
    let key = support::propose_logo(&mut staff_a, 240).await;
    // Unit A's static QRIS image for its booth till.
    let qris = staff_a
        .post_multipart(
            "/kelola/unit/qris",
            &[("csrf_token", &key)],
            Some(("image", "qris.png", &support::png(300, 300))),
        )
        .await;
    assert_eq!(qris.status, 303, "{}", qris.body);
    // A dynamic QRIS charge waiting at unit A's booth, as the till makes them with Midtrans.
    let booth_id: i32 = booths::table
        .filter(booths::event_id.eq(event))
        .select(booths::id)
        .first(&mut *app.conn())
        .expect("unit A's booth");
    let price_a: i64 = products::table
        .find(product_a)
        .select(products::price)
        .first(&mut *app.conn())
        .unwrap();
    let staff_a_id: i32 = users::table
        .filter(users::email.eq(Who::StaffA.email().expect("an account")))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::insert_into(booth_charges::table)
        .values((
            booth_charges::reference.eq(format!("BOOTH-{event}-{unit_a}-FIXTURE")),
            booth_charges::event_id.eq(event),
            booth_charges::unit_id.eq(unit_a),
            booth_charges::booth_id.eq(booth_id),
            booth_charges::product_id.eq(product_a),
            booth_charges::quantity.eq(1),
            booth_charges::total.eq(price_a),
            booth_charges::sale_key.eq("kunci-tagihan-fixture-0001"),
            booth_charges::created_by.eq(staff_a_id),
            booth_charges::status.eq("pending"),
            booth_charges::qr_string.eq(Some("00020101021226620014COM.GO-JEK.WWW0118")),
            booth_charges::created_at.eq(etalase::models::now_ts()),
        ))
        .execute(&mut *app.conn())
        .expect("a booth charge of unit A");
    let booth_charge: i32 = booth_charges::table
        .filter(booth_charges::sale_key.eq("kunci-tagihan-fixture-0001"))
        .select(booth_charges::id)
        .first(&mut *app.conn())
        .unwrap();
    let bank_account = support::insert_bank_account(app, Some(unit_c), "Unit C");
    // Unit A's staff keep its books; a rule for the table to remove.
    diesel::update(users::table.filter(users::email.eq(Who::StaffA.email().expect("an account"))))
        .set(users::treasurer.eq(1))
        .execute(&mut *app.conn())
        .expect("unit A's staff made treasurer");
    diesel::insert_into(legal_rules::table)
        .values((
            legal_rules::scope.eq("kind"),
            legal_rules::target.eq("Bonsai"),
            legal_rules::documents.eq("HKI"),
            legal_rules::created_at.eq(0_i64),
        ))
        .execute(&mut *app.conn())
        .expect("a legal rule");
    let legal_rule: i32 = legal_rules::table
        .filter(legal_rules::target.eq("Bonsai"))
        .select(legal_rules::id)
        .first(&mut *app.conn())
        .unwrap();
    diesel::insert_into(search_synonyms::table)
        .values((
            search_synonyms::word.eq("songkok"),
            search_synonyms::synonyms.eq("peci"),
            search_synonyms::two_way.eq(1),
            search_synonyms::created_at.eq(0_i64),
        ))
        .execute(&mut *app.conn())
        .expect("a search synonym");
    let synonym: i32 = search_synonyms::table
        .filter(search_synonyms::word.eq("songkok"))
        .select(search_synonyms::id)
        .first(&mut *app.conn())
        .unwrap();
    Fixture {
        synonym,
        booth_charge,
        legal_rule,
        unit_a,
        bank_account,
        product_a,
        photo_a,
        submitted_a,
        product_b,
        unit_c,
        event,
        application,
        order,
        parcel: parcels[0],
        mail,
        account,
    }
}

/// A browser for each of `EVERYONE` (signed in, but the visitor) with its session's form key.
async fn sessions(app: &TestApp) -> Vec<(Who, Browser<'_>, String)> {
    let mut out = Vec::new();
    for who in EVERYONE {
        let mut browser = Browser::new(app);
        let key = match who.email() {
            Some(email) => {
                browser.sign_in(email, PASSWORD).await;
                browser.csrf("/kelola").await
            }
            // The visitor's session has a key too: it does not open the back office.
            None => browser.csrf("/masuk").await,
        };
        out.push((who, browser, key));
    }
    out
}

/// The browser of `who` and its form key.
fn session<'s, 'a>(
    sessions: &'s mut [(Who, Browser<'a>, String)],
    who: Who,
) -> (&'s mut Browser<'a>, String) {
    let (_, browser, key) = sessions
        .iter_mut()
        .find(|(w, _, _)| *w == who)
        .expect("a session for each role");
    (browser, key.clone())
}

/// Unit A's staff attach a document with its scan to `product`; gives its id.
async fn add_document(app: &TestApp, staff_a: &mut Browser<'_>, key: &str, product: i32) -> i32 {
    let product = product.to_string();
    let page = staff_a
        .post_multipart(
            "/kelola/dokumen",
            &[
                ("csrf_token", key),
                ("kind", "HKI"),
                ("number", "IDM000424242"),
                ("issuer", "DJKI Kementerian Hukum"),
                ("issued_on", "2024-01-15"),
                ("expires_on", "2034-01-15"),
                ("product_id", &product),
            ],
            Some(("scan", "sertifikat.pdf", PDF)),
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    certifications::table
        .filter(certifications::number.eq("IDM000424242"))
        .select(certifications::id)
        .first(&mut *app.conn())
        .unwrap()
}

fn sale_count(app: &TestApp) -> i64 {
    booth_sales::table
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// What the back office can change, table by table, as text.
fn fingerprint(app: &TestApp) -> Vec<String> {
    let mut conn = app.conn();
    let mut out = Vec::new();
    let rows: Vec<(i32, String, i32, String, i64, i64)> = products::table
        .order(products::id.asc())
        .select((
            products::id,
            products::status,
            products::stock,
            products::name,
            products::price,
            products::updated_at,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("products {rows:?}"));
    let rows: Vec<(i32, i32, i32, String)> = product_photos::table
        .order(product_photos::id.asc())
        .select((
            product_photos::id,
            product_photos::product_id,
            product_photos::position,
            product_photos::alt,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("product_photos {rows:?}"));
    let rows: Vec<(i32, String, Option<String>, Option<i64>)> = certifications::table
        .order(certifications::id.asc())
        .select((
            certifications::id,
            certifications::status,
            certifications::reject_reason,
            certifications::verified_at,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("certifications {rows:?}"));
    type UserRow = (
        i32,
        String,
        String,
        Option<i32>,
        Option<i32>,
        i32,
        i32,
        i32,
        String,
    );
    let rows: Vec<UserRow> = users::table
        .order(users::id.asc())
        .select((
            users::id,
            users::name,
            users::role,
            users::unit_id,
            users::province_id,
            users::session_version,
            users::active,
            users::invited,
            users::password_hash,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("users {rows:?}"));
    type UnitRow = (
        i32,
        String,
        String,
        String,
        String,
        i32,
        Option<String>,
        Option<String>,
        i32,
    );
    let rows: Vec<UnitRow> = units::table
        .order(units::id.asc())
        .select((
            units::id,
            units::name,
            units::brand_name,
            units::story,
            units::phone,
            units::active,
            units::logo_path,
            units::banner_path,
            units::split_wage_pct,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("units {rows:?}"));
    type ShipmentRow = (
        i32,
        String,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<ShipmentRow> = shipments::table
        .order(shipments::id.asc())
        .select((
            shipments::id,
            shipments::status,
            shipments::tracking_number,
            shipments::courier,
            shipments::packed_at,
            shipments::pickup_code,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("shipments {rows:?}"));
    let rows: Vec<(i32, String, Option<i64>, i64)> = orders::table
        .order(orders::id.asc())
        .select((
            orders::id,
            orders::status,
            orders::paid_at,
            orders::updated_at,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("orders {rows:?}"));
    type PaymentRow = (i32, String, Option<String>, Option<i64>, i64);
    let rows: Vec<PaymentRow> = payments::table
        .order(payments::id.asc())
        .select((
            payments::id,
            payments::status,
            payments::refund_reference,
            payments::refund_requested_at,
            payments::updated_at,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("payments {rows:?}"));
    type EventRow = (i32, String, String, String, String, String, String);
    let rows: Vec<EventRow> = events::table
        .order(events::id.asc())
        .select((
            events::id,
            events::name,
            events::status,
            events::starts_on,
            events::ends_on,
            events::applications_open_on,
            events::applications_close_on,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("events {rows:?}"));
    let rows: Vec<(i32, i32, String, i64)> = booths::table
        .order(booths::id.asc())
        .select((booths::id, booths::event_id, booths::code, booths::fee))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("booths {rows:?}"));
    let rows: Vec<(i32, String, Option<String>, Option<i32>)> = fair_applications::table
        .order(fair_applications::id.asc())
        .select((
            fair_applications::id,
            fair_applications::status,
            fair_applications::reason,
            fair_applications::booth_id,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("fair_applications {rows:?}"));
    type MailRow = (i32, i32, i64, Option<i64>, Option<i64>);
    let rows: Vec<MailRow> = mail_outbox::table
        .order(mail_outbox::id.asc())
        .select((
            mail_outbox::id,
            mail_outbox::attempts,
            mail_outbox::next_attempt_at,
            mail_outbox::failed_at,
            mail_outbox::sent_at,
        ))
        .load(&mut *conn)
        .unwrap();
    out.push(format!("mail_outbox {rows:?}"));
    let counts: [i64; 3] = [
        booth_sales::table.count().get_result(&mut *conn).unwrap(),
        invitations::table.count().get_result(&mut *conn).unwrap(),
        audit_log::table.count().get_result(&mut *conn).unwrap(),
    ];
    out.push(format!("booth_sales, invitations, audit_log {counts:?}"));
    out
}

/// The tables whose text differs between two fingerprints.
fn changed_tables(before: &[String], after: &[String]) -> String {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.split(' ').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn the_route_table_names_every_back_office_route_the_handlers_declare_and_no_other() {
    let tabled: BTreeSet<(String, String)> = routes(&Fixture::default(), 0)
        .iter()
        .map(|r| (r.method().to_string(), r.pattern.to_string()))
        .collect();
    let declared = declared_routes();
    assert!(declared.len() > 60, "the handlers were read: {declared:?}");
    let missing: Vec<_> = declared.difference(&tabled).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the table of tests/authorization.rs: {missing:?}"
    );
    let stale: Vec<_> = tabled.difference(&declared).collect();
    assert!(
        stale.is_empty(),
        "rows of routes no handler declares: {stale:?}"
    );
}

#[actix_web::test]
async fn every_back_office_route_answers_each_role_and_each_unit_as_the_route_table_says() {
    let app = back_office().await;
    let fx = fixture(&app).await;
    let mut sessions = sessions(&app).await;
    let document = {
        let (staff_a, key) = session(&mut sessions, Who::StaffA);
        add_document(&app, staff_a, &key, fx.product_a).await
    };

    // Unit B's staff may use a till, but sell nothing at a fair where B holds no booth; unit
    // A's staff sell the same product at their booth.
    let sale = format!("/kelola/pameran/{}/penjualan", fx.event);
    let product = fx.product_a.to_string();
    let (stock, sales) = (
        support::shop::stock_of(&app, fx.product_a),
        sale_count(&app),
    );
    for (who, kunci, status, sold) in [
        (Who::StaffB, "penjualan-unit-lain-0001", 422, 0),
        (Who::StaffA, "penjualan-unit-sendiri-0001", 200, 1),
    ] {
        let (browser, key) = session(&mut sessions, who);
        let page = browser
            .post_with(
                &sale,
                &[
                    ("csrf_token", &key),
                    ("kunci", kunci),
                    ("produk", &product),
                    ("jumlah", "1"),
                    ("cara", "cash"),
                ],
                &[("Accept", "application/json")],
            )
            .await;
        assert_eq!(page.status, status, "{who:?} sells: {}", page.body);
        assert_eq!(support::shop::stock_of(&app, fx.product_a), stock - sold);
        assert_eq!(sale_count(&app), sales + i64::from(sold));
    }

    let mut wrong = Vec::new();
    for route in routes(&fx, document) {
        for (who, browser, key) in sessions.iter_mut() {
            let page = route.send(browser, Some(key.as_str())).await;
            let expected = route.expected(*who);
            if route.answer(&page) != Some(expected) {
                wrong.push(format!(
                    "{who:?} {} {}: expected {expected:?}, got {} {}",
                    route.method(),
                    route.path,
                    page.status,
                    page.location()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn every_back_office_form_refuses_a_post_without_its_sessions_form_key_and_changes_nothing() {
    let app = back_office().await;
    let fx = fixture(&app).await;
    let mut sessions = sessions(&app).await;
    let document = {
        let (staff_a, key) = session(&mut sessions, Who::StaffA);
        add_document(&app, staff_a, &key, fx.product_a).await
    };
    // A key the app gave, but to another session.
    let foreign = Browser::new(&app).csrf("/masuk").await;
    let mut before = fingerprint(&app);
    let mut wrong = Vec::new();
    for route in routes(&fx, document) {
        let Some(&who) = route.allowed.first() else {
            continue;
        };
        if route.kind == Kind::Get {
            continue;
        }
        let (browser, _) = session(&mut sessions, who);
        let without = route.send(browser, None).await.status;
        let foreign_key = route.send(browser, Some(foreign.as_str())).await.status;
        let expected = match route.kind {
            Kind::Upload { key_required: true } => (422, 403),
            _ => (403, 403),
        };
        if (without, foreign_key) != expected {
            wrong.push(format!(
                "{who:?} POST {}: without a key / with another session's key: expected \
                 {expected:?}, got ({without}, {foreign_key})",
                route.path
            ));
        }
        let after = fingerprint(&app);
        if after != before {
            wrong.push(format!(
                "{who:?} POST {} without its key changed: {}",
                route.path,
                changed_tables(&before, &after)
            ));
            before = after;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
