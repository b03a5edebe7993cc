//! Demo data: all 38 provinces, the sample units plus generated ones (about 600 in all),
//! products drawn from the reference product kinds, legal documents in every state, and
//! placeholder photos drawn with the `image` crate. Deterministic for a given seed.

use std::collections::{HashMap, HashSet};

use diesel::Connection;

use crate::db::schema::{categories, provinces};
use crate::db::DbConnection;
use crate::domain::{badge_is_public, CertificationKind, Rupiah, Slug, UnitKind};
use crate::error::AppError;
use crate::models::certification::{insert_certifications, NewCertification};
use crate::models::product::{self, NewPhoto, NewProduct};
use crate::models::unit::{insert_unit, NewUnit};
use crate::services::media::{ensure_placeholder, MediaStore};

mod orders;
pub use orders::{seed_orders, BulkOrders, BulkReport};

const PROVINCES_CSV: &str = include_str!("reference/provinces.csv");
const UNITS_CSV: &str = include_str!("reference/units-sample.csv");
const KINDS_CSV: &str = include_str!("reference/product-kinds.csv");
const CITIES_CSV: &str = include_str!("reference/cities.csv");
const DETAILS_CSV: &str = include_str!("reference/kind-details.csv");

/// 2026-01-01T00:00:00Z: generated timestamps count from here so runs are identical.
const EPOCH: i64 = 1_767_225_600;
/// Generated document dates are relative to this day.
const REFERENCE_DAY: (i32, u32, u32) = (2026, 11, 1);

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub products: usize,
    pub units: usize,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            products: 3000,
            units: 600,
            seed: 2025,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    pub provinces: usize,
    pub units: usize,
    pub products: usize,
    pub certifications: usize,
}

/// Splits one CSV line, honouring double quotes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(csv_fields)
        .collect()
}

struct Kind {
    category: String,
    name: String,
    price_min: i64,
    price_max: i64,
    weight_g: i32,
    certs: Vec<CertificationKind>,
    variants: Vec<String>,
    dims: (i32, i32, i32),
    description_id: String,
    description_en: String,
}

fn kinds() -> Result<Vec<Kind>, AppError> {
    let details: HashMap<String, Vec<String>> = csv_rows(DETAILS_CSV)
        .into_iter()
        .map(|r| (r[0].clone(), r))
        .collect();
    csv_rows(KINDS_CSV)
        .into_iter()
        .map(|r| {
            let bad =
                |what: &str| AppError::Internal(format!("product-kinds.csv: bad {what} in {r:?}"));
            let d = details
                .get(&r[1])
                .ok_or_else(|| bad("kind (missing from kind-details.csv)"))?;
            Ok(Kind {
                category: r[0].clone(),
                name: r[1].clone(),
                price_min: r[2].parse().map_err(|_| bad("price_min"))?,
                price_max: r[3].parse().map_err(|_| bad("price_max"))?,
                weight_g: r[4].parse().map_err(|_| bad("weight"))?,
                certs: r[5]
                    .split(';')
                    .filter(|s| !s.is_empty())
                    .map(CertificationKind::parse)
                    .collect::<Result<_, _>>()
                    .map_err(|_| bad("certification"))?,
                variants: d[1].split('|').map(|s| s.trim().to_string()).collect(),
                dims: (
                    d[2].parse().map_err(|_| bad("length"))?,
                    d[3].parse().map_err(|_| bad("width"))?,
                    d[4].parse().map_err(|_| bad("height"))?,
                ),
                description_id: d[5].clone(),
                description_en: d[6].clone(),
            })
        })
        .collect()
}

/// Categories: Indonesian name from the reference, English name and descriptions here.
const CATEGORY_TEXTS: [(&str, &str, &str, &str); 7] = [
    ("Kerajinan Tangan", "Handicrafts",
     "Tas anyaman, gerabah, miniatur dan kaligrafi buatan tangan dari bengkel kerja unit pemasyarakatan.",
     "Woven bags, pottery, miniatures and calligraphy handmade in the workshops of correctional units."),
    ("Fesyen dan Tekstil", "Fashion and Textiles",
     "Batik tulis dan cap, tenun ikat, bordir, sandal dan dompet kulit.",
     "Hand-drawn and stamped batik, ikat weaving, embroidery, leather sandals and wallets."),
    ("Mebel dan Kayu", "Furniture and Woodwork",
     "Kursi, meja dan lemari kayu yang dikerjakan oleh tukang kayu di bengkel unit.",
     "Chairs, tables and cabinets built by the carpenters of the unit workshops."),
    ("Seni", "Art", "Lukisan, patung kayu dan karya seni dari bahan daur ulang.",
     "Paintings, wood carvings and art made from recycled materials."),
    ("Kuliner", "Food and Drink",
     "Keripik, kopi, kue, sambal, madu dan minuman dengan izin pangan yang ditampilkan.",
     "Chips, coffee, cookies, sambal, honey and drinks, with their food permits shown."),
    ("Perawatan Diri", "Personal Care", "Sabun herbal dan minyak kayu putih.",
     "Herbal soap and cajeput oil."),
    ("Pertanian dan Perikanan", "Farm and Fishery",
     "Sayur hidroponik, jamur, ikan, telur, pupuk kompos, bibit dan bonsai dari lahan pembinaan.",
     "Hydroponic vegetables, mushrooms, fish, eggs, compost, seedlings and bonsai from the units' farms."),
];

const BRAND_PREFIXES: [&str; 10] = [
    "Karya",
    "Griya Karya",
    "Bengkel Kreasi",
    "Rumah Produksi",
    "Cipta Karya",
    "Sentra Kreasi",
    "Galeri",
    "Kriya",
    "Mandiri Karya",
    "Pusat Kreasi",
];

const STREETS: [&str; 10] = [
    "Jl. Pemasyarakatan",
    "Jl. Merdeka",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Pahlawan",
    "Jl. Gatot Subroto",
    "Jl. Ahmad Yani",
    "Jl. Veteran",
    "Jl. Kartini",
    "Jl. Imam Bonjol",
];

fn unit_story(brand: &str, unit_name: &str, city: &str, crafts: &str) -> String {
    format!(
        "{brand} adalah etalase bengkel kerja {unit_name} di {city}. Di bengkel ini, para peserta \
         program pembinaan kemandirian belajar {crafts} dari instruktur dan mitra usaha, dengan \
         standar mutu yang diperiksa sebelum produk dijual.\n\n\
         Setiap pembelian membantu membiayai pelatihan keterampilan, bahan baku, dan premi kerja \
         sesuai aturan pemasyarakatan. Bagian pendapatan negara (PNBP) disetorkan ke kas negara.\n\n\
         {brand} is the shop of the workshop of {unit_name} in {city}, where training programmes \
         teach {crafts}. Every purchase funds skills training and materials."
    )
}

fn date_iso(days_from_reference: i64) -> String {
    let (y, m, d) = REFERENCE_DAY;
    let base = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    (base + chrono::Duration::days(days_from_reference))
        .format("%Y-%m-%d")
        .to_string()
}

fn add_years(iso: &str, years: i32) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d
            .checked_add_months(chrono::Months::new(12 * years as u32))
            .unwrap_or(d)
            .format("%Y-%m-%d")
            .to_string(),
        Err(_) => iso.to_string(),
    }
}

fn digits(rng: &mut fastrand::Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.u8(0..10))).collect()
}

fn cert_number(kind: CertificationKind, rng: &mut fastrand::Rng) -> String {
    match kind {
        CertificationKind::Nib => digits(rng, 13),
        CertificationKind::Pirt => digits(rng, 15),
        CertificationKind::Halal => format!("ID{}", digits(rng, 14)),
        CertificationKind::BpomMd => format!("MD {}", digits(rng, 12)),
        CertificationKind::BpomNa => format!("NA{}", digits(rng, 11)),
        CertificationKind::Hki => format!("IDM000{}", digits(rng, 6)),
        CertificationKind::Sni => format!("SNI {}:{}", digits(rng, 4), 2018 + rng.i32(0..6)),
        CertificationKind::Svlk => format!("VLK-{}-{}", digits(rng, 5), digits(rng, 3)),
    }
}

/// A document in a state drawn by `roll` (0–99): mostly verified and valid, some expired,
/// some waiting for review, a few rejected.
fn make_cert(
    kind: CertificationKind,
    unit_id: i32,
    product_id: Option<i32>,
    roll: u32,
    rng: &mut fastrand::Rng,
) -> NewCertification {
    let years = kind.validity_years();
    let (issued_on, status) = match roll {
        0..=79 => (date_iso(-rng.i64(30..700)), "verified"),
        80..=89 => (
            // issued long enough ago to have expired already
            date_iso(-(i64::from(years.unwrap_or(5)) * 365 + rng.i64(20..200))),
            "verified",
        ),
        90..=96 => (date_iso(-rng.i64(1..30)), "submitted"),
        _ => (date_iso(-rng.i64(1..60)), "rejected"),
    };
    let expires_on = years.map(|y| add_years(&issued_on, y));
    NewCertification {
        unit_id,
        product_id,
        kind: kind.code().to_string(),
        number: cert_number(kind, rng),
        issuer: kind.issuer().to_string(),
        issued_on,
        expires_on,
        document_path: None,
        status,
        reject_reason: (status == "rejected")
            .then(|| "Pindaian dokumen tidak terbaca / the scan is unreadable".to_string()),
        verified_at: (status == "verified").then_some(EPOCH),
        created_at: EPOCH,
    }
}

/// Makes `cert` a document a reviewer verified and that runs for years yet (issued about a
/// year before the reference day), keeping its number.
fn make_valid(cert: &mut NewCertification, kind: CertificationKind, product_id: i32) {
    let issued_on = date_iso(-300 - i64::from(product_id % 100));
    cert.expires_on = kind.validity_years().map(|y| add_years(&issued_on, y));
    cert.issued_on = issued_on;
    cert.status = "verified";
    cert.reject_reason = None;
    cert.verified_at = Some(EPOCH);
}

/// A verified, valid document of `kind` for product `product_id`, made without the random
/// generator (so the rest of the demo data stays as it was).
fn valid_cert(kind: CertificationKind, unit_id: i32, product_id: i32) -> NewCertification {
    let mut cert = NewCertification {
        unit_id,
        product_id: Some(product_id),
        kind: kind.code().to_string(),
        number: format!("{}-{product_id:06}", kind.code()),
        issuer: kind.issuer().to_string(),
        issued_on: String::new(),
        expires_on: None,
        document_path: None,
        status: "verified",
        reject_reason: None,
        verified_at: Some(EPOCH),
        created_at: EPOCH,
    };
    make_valid(&mut cert, kind, product_id);
    cert
}

fn unit_kind_and_class(rng: &mut fastrand::Rng) -> (UnitKind, &'static str) {
    match rng.u32(0..100) {
        0..=59 => (
            UnitKind::Lapas,
            ["I", "IIA", "IIB", "IIB", "III"][rng.usize(0..5)],
        ),
        60..=92 => (UnitKind::Rutan, ["I", "IIA", "IIB", "IIB"][rng.usize(0..4)]),
        _ => (UnitKind::Lpka, ["I", "II"][rng.usize(0..2)]),
    }
}

fn unit_display_name(kind: UnitKind, class: &str, city: &str) -> String {
    format!("{} Kelas {class} {city}", kind.short_name())
}

/// The 38 provinces of the reference list, which every shop needs (units are registered in
/// them, buyers' addresses name them): inserts those missing, all of them into an empty
/// database, and returns how many that was. `etalase serve --no-seed` and `etalase units
/// import` call it, so a production database gets its provinces without demo data.
pub fn ensure_provinces(conn: &mut DbConnection) -> Result<usize, AppError> {
    use diesel::prelude::*;
    crate::db::write_transaction(conn, |conn| {
        let have: HashSet<String> = provinces::table
            .select(provinces::iso_code)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let mut inserted = 0;
        for r in csv_rows(PROVINCES_CSV) {
            if have.contains(&r[0]) {
                continue;
            }
            diesel::insert_into(provinces::table)
                .values((
                    provinces::iso_code.eq(&r[0]),
                    provinces::slug.eq(Slug::from_text(&r[1]).as_str()),
                    provinces::name.eq(&r[1]),
                    provinces::island_group.eq(&r[2]),
                ))
                .execute(conn)?;
            inserted += 1;
        }
        Ok(inserted)
    })
}

/// The legal status rules a new shop starts with (`domain::legal::default_rules`), saved
/// when there is no rule at all; gives how many were saved. `etalase serve` calls it at start
/// and the demo data seeds them, so an administrator edits them from the first day (a shop
/// whose administrators removed every rule gets the defaults back at its next start).
pub fn ensure_legal_rules(conn: &mut DbConnection) -> Result<usize, AppError> {
    Ok(crate::models::legal::ensure_defaults(
        conn,
        &crate::domain::legal::default_rules(),
    )?)
}

/// The demo shop's placeholder photos: two looks per product kind, in the order of the kinds.
pub struct DemoPhotos(Vec<[String; 2]>);

/// Draws the demo shop's placeholder photos into `media` unless they are there already (two
/// looks per product kind, shared by the products of that kind); `seed_demo` names them. The
/// drawing runs on the blocking threads.
pub async fn demo_photos(media: &MediaStore) -> Result<DemoPhotos, AppError> {
    let kinds = kinds()?;
    let mut photo_bases: Vec<[String; 2]> = Vec::with_capacity(kinds.len());
    for (i, kind) in kinds.iter().enumerate() {
        let cat_index = CATEGORY_TEXTS
            .iter()
            .position(|c| c.0 == kind.category)
            .unwrap_or(0) as u16;
        let hue = (cat_index * 51 + (i as u16) * 9) % 360;
        let slug = Slug::from_text(&kind.name);
        let mut pair = [String::new(), String::new()];
        for (v, slot) in pair.iter_mut().enumerate() {
            *slot = ensure_placeholder(media, &format!("{slug}-{v}"), hue, (i * 2 + v) as u32)
                .await
                .map_err(|e| AppError::Internal(format!("placeholder photo: {e}")))?;
        }
        photo_bases.push(pair);
    }
    Ok(DemoPhotos(photo_bases))
}

/// Seeds the demo shop into an empty database, its products showing `pictures`. Refuses when
/// products already exist.
pub fn seed_demo(
    conn: &mut DbConnection,
    pictures: &DemoPhotos,
    opts: &DemoOptions,
) -> Result<SeedReport, AppError> {
    if product::count_all(conn)? > 0 {
        return Err(AppError::BadRequest(
            "the database already has products; seed into an empty database".into(),
        ));
    }
    let kinds = kinds()?;
    if pictures.0.len() != kinds.len() {
        return Err(AppError::Internal(
            "the demo photos were drawn for other product kinds".into(),
        ));
    }
    let photo_bases = &pictures.0;
    let mut rng = fastrand::Rng::with_seed(opts.seed);
    let mut report = SeedReport::default();

    conn.transaction::<_, AppError, _>(|conn| {
        use diesel::prelude::*;
        // Provinces (a database started without demo data may have them already).
        ensure_provinces(conn)?;
        report.provinces = csv_rows(PROVINCES_CSV).len();
        let province_ids: HashMap<String, i32> = provinces::table
            .select((provinces::iso_code, provinces::id))
            .load::<(String, i32)>(conn)?
            .into_iter()
            .collect();

        // Categories.
        for (i, (id_name, en_name, id_desc, en_desc)) in CATEGORY_TEXTS.iter().enumerate() {
            diesel::insert_into(categories::table)
                .values((
                    categories::slug.eq(Slug::from_text(id_name).as_str()),
                    categories::name_id.eq(id_name),
                    categories::name_en.eq(en_name),
                    categories::description_id.eq(id_desc),
                    categories::description_en.eq(en_desc),
                    categories::is_food.eq(i32::from(*id_name == "Kuliner")),
                    categories::sort_order.eq(i as i32),
                ))
                .execute(conn)?;
        }
        let category_ids: HashMap<String, i32> = categories::table
            .select((categories::name_id, categories::id))
            .load::<(String, i32)>(conn)?
            .into_iter()
            .collect();
        ensure_legal_rules(conn)?;
        // What the rules ask of each kind: a published product of the demo has it, valid.
        let today = crate::models::today_iso();
        let rules = crate::domain::legal::default_rules();
        let asked: Vec<Vec<CertificationKind>> = kinds
            .iter()
            .map(|k| {
                let category = Slug::from_text(&k.category);
                crate::domain::legal::asked_of(&rules, category.as_str(), &k.name)
            })
            .collect();

        // Units: the reference sample first, then generated ones across all provinces.
        let cities: Vec<(String, String)> = csv_rows(CITIES_CSV)
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let mut planned: Vec<(UnitKind, String, String, String, String)> = Vec::new();
        for r in csv_rows(UNITS_CSV) {
            let kind = UnitKind::parse(&r[0]).map_err(AppError::Internal)?;
            planned.push((kind, r[1].clone(), r[2].clone(), r[3].clone(), r[4].clone()));
        }
        let mut used_names: HashSet<String> = planned.iter().map(|p| p.2.clone()).collect();
        let mut attempts = 0;
        while planned.len() < opts.units && attempts < opts.units * 20 {
            attempts += 1;
            let (iso, city) = &cities[rng.usize(0..cities.len())];
            let (kind, class) = unit_kind_and_class(&mut rng);
            let name = unit_display_name(kind, class, city);
            if used_names.insert(name.clone()) {
                planned.push((kind, class.to_string(), name, city.clone(), iso.clone()));
            }
        }
        let crafts_by_kind = [
            "batik dan tenun",
            "kerajinan kayu dan mebel",
            "kuliner dan kopi",
            "kerajinan tangan",
            "pertanian dan perikanan",
            "sabun dan perawatan diri",
        ];
        let mut unit_ids: Vec<(i32, String)> = Vec::with_capacity(planned.len());
        let mut used_slugs: HashSet<String> = HashSet::new();
        for (kind, class, name, city, iso) in &planned {
            let province_id = *province_ids
                .get(iso)
                .ok_or_else(|| AppError::Internal(format!("unknown province {iso}")))?;
            let mut slug = Slug::from_text(name).to_string();
            while !used_slugs.insert(slug.clone()) {
                slug.push_str("-2");
            }
            let brand = format!(
                "{} {}",
                BRAND_PREFIXES[rng.usize(0..BRAND_PREFIXES.len())],
                city
            );
            let crafts = crafts_by_kind[rng.usize(0..crafts_by_kind.len())];
            let (wage, pnbp) = [(35, 40), (40, 40), (30, 50), (45, 35)][rng.usize(0..4)];
            let id = insert_unit(
                conn,
                &NewUnit {
                    slug: slug.clone(),
                    kind: kind.code().to_string(),
                    class: class.clone(),
                    name: name.clone(),
                    city: city.clone(),
                    province_id,
                    story: unit_story(&brand, name, city, crafts),
                    brand_name: brand,
                    logo_path: None,
                    banner_path: None,
                    pickup_address: format!(
                        "{} No. {}, {}",
                        STREETS[rng.usize(0..STREETS.len())],
                        rng.u32(1..200),
                        city
                    ),
                    phone: format!(
                        "+62 8{} {} {}",
                        rng.u32(11..99),
                        digits(&mut rng, 4),
                        digits(&mut rng, 4)
                    ),
                    email: format!("toko.{slug}@etalase.id"),
                    split_wage_pct: wage,
                    split_pnbp_pct: pnbp,
                    split_capital_pct: 100 - wage - pnbp,
                    created_at: EPOCH,
                },
            )?;
            unit_ids.push((id, name.clone()));
        }
        report.units = unit_ids.len();

        // Unit-level business identity numbers.
        let mut certs: Vec<NewCertification> = Vec::new();
        for (id, _) in &unit_ids {
            if rng.u32(0..100) < 85 {
                let roll = rng.u32(0..80);
                certs.push(make_cert(CertificationKind::Nib, *id, None, roll, &mut rng));
            }
        }

        // Products.
        let mut new_products: Vec<NewProduct> = Vec::with_capacity(opts.products);
        let mut meta: Vec<(usize, i32)> = Vec::with_capacity(opts.products); // kind index, unit id
        for i in 0..opts.products {
            let k = rng.usize(0..kinds.len());
            let kind = &kinds[k];
            let (unit_id, unit_name) = &unit_ids[rng.usize(0..unit_ids.len())];
            let variant = &kind.variants[rng.usize(0..kind.variants.len())];
            let name = format!("{} {}", kind.name, variant);
            let slug = format!("{}-{}", Slug::from_text(&name), i + 1);
            let step = 500;
            let span = (kind.price_max - kind.price_min) / step;
            let price = Rupiah::new(kind.price_min + rng.i64(0..=span.max(0)) * step)
                .map_err(AppError::Internal)?;
            let status = match rng.u32(0..100) {
                0..=91 => "published",
                92..=95 => "submitted",
                96..=97 => "draft",
                _ => "returned",
            };
            let created = EPOCH + rng.i64(0..300 * 86_400);
            // Each language in its own column: a page shows the reader's language only.
            let description = kind.description_id.replace("{unit}", unit_name);
            let description_en = kind.description_en.replace("{unit}", unit_name);
            new_products.push(NewProduct {
                unit_id: *unit_id,
                category_id: *category_ids.get(&kind.category).ok_or_else(|| {
                    AppError::Internal(format!("unknown category {}", kind.category))
                })?,
                slug,
                kind: kind.name.clone(),
                name,
                description,
                description_en,
                price: price.amount(),
                stock: if rng.u32(0..100) < 8 {
                    0
                } else {
                    rng.i32(1..150)
                },
                weight_g: (kind.weight_g * rng.i32(80..121) / 100).max(1),
                length_cm: kind.dims.0,
                width_cm: kind.dims.1,
                height_cm: kind.dims.2,
                status,
                return_reason: (status == "returned").then(|| {
                    "Foto produk kurang jelas, mohon unggah ulang / the photo is unclear"
                        .to_string()
                }),
                featured: i32::from(status == "published" && rng.u32(0..100) < 3),
                popularity: rng.i32(0..1000),
                created_at: created,
                updated_at: created,
            });
            meta.push((k, *unit_id));
        }
        product::insert_products(conn, &new_products)?;
        report.products = new_products.len();
        let ids: HashMap<String, i32> = product::ids_by_slug(conn)?.into_iter().collect();

        let mut photos: Vec<NewPhoto> = Vec::with_capacity(new_products.len() * 2);
        for (p, (k, unit_id)) in new_products.iter().zip(&meta) {
            let pid = *ids
                .get(&p.slug)
                .ok_or_else(|| AppError::Internal(format!("product {} was not stored", p.slug)))?;
            let first = rng.usize(0..2);
            for pos in 0..rng.usize(1..3) {
                let base = &photo_bases[*k][(first + pos) % 2];
                photos.push(NewPhoto {
                    product_id: pid,
                    position: pos as i32,
                    path_base: base.clone(),
                    alt: format!("{} — foto {}", p.name, pos + 1),
                    width: 1280,
                    height: 960,
                });
            }
            for kind in &kinds[*k].certs {
                let roll = rng.u32(0..100);
                // A published product has what the legal rules ask of its kind (it could not
                // be bought otherwise); a product not published yet may lack it, expired,
                // waiting or rejected, and staff and reviewers see what is missing.
                let keep = p.status == "published" && asked[*k].contains(kind);
                if roll >= 93 {
                    if keep {
                        certs.push(valid_cert(*kind, *unit_id, pid));
                    }
                    continue;
                }
                let mut cert = make_cert(*kind, *unit_id, Some(pid), roll * 100 / 93, &mut rng);
                if keep && !badge_is_public(cert.status, cert.expires_on.as_deref(), &today) {
                    make_valid(&mut cert, *kind, pid);
                }
                certs.push(cert);
            }
        }
        product::insert_photos(conn, &photos)?;
        insert_certifications(conn, &certs)?;
        report.certifications = certs.len();
        Ok(())
    })?;
    crate::db::refresh_statistics(conn)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_files_cover_every_kind_and_province() {
        let kinds = kinds().unwrap();
        assert_eq!(kinds.len(), 38);
        assert!(kinds
            .iter()
            .all(|k| k.variants.len() >= 3 && k.price_min < k.price_max));
        let provinces: HashSet<String> = csv_rows(PROVINCES_CSV)
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(provinces.len(), 38);
        let with_cities: HashSet<String> = csv_rows(CITIES_CSV)
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
        assert_eq!(provinces, with_cities);
    }

    #[test]
    fn csv_fields_understand_quotes() {
        assert_eq!(
            csv_fields(r#"a,"b, c","d ""e""""#),
            vec!["a", "b, c", "d \"e\""]
        );
    }
}
