//! Units (UPT): a Lapas, Rutan, LPKA or Bapas with its shop brand, and the registry the
//! administrators keep of them (`/kelola/daftar-unit`, `etalase units import`). A unit
//! switched off (`active` = 0) is left out of every public page and its staff cannot sign in.
//! What a unit's staff change of its brand, story, logo or banner is proposed first
//! (`pending_*`) and becomes public once a reviewer approves it.

use diesel::prelude::*;

use crate::db::dialect::in_ids;
use crate::db::schema::{products, provinces, units};
use crate::db::DbConnection;
use crate::domain::units::{
    self as registry, BrandPicture, CsvUnit, ImportPlan, LineOutcome, ProvinceRef, RegisteredUnit,
    RegistryFilter, UnitDetails, UnitDraft,
};
use crate::domain::{RevenueSplit, UnitKind};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct Unit {
    pub id: i32,
    pub slug: String,
    pub kind: String,
    pub class: String,
    pub name: String,
    pub city: String,
    pub province_id: i32,
    pub brand_name: String,
    pub story: String,
    pub logo_path: Option<String>,
    pub banner_path: Option<String>,
    pub pickup_address: String,
    pub phone: String,
    pub email: String,
    pub split_wage_pct: i32,
    pub split_pnbp_pct: i32,
    pub split_capital_pct: i32,
    pub created_at: i64,
    /// 1, or 0 when switched off.
    pub active: i32,
    /// The brand name the unit's staff propose, waiting for review.
    pub pending_brand_name: Option<String>,
    /// The story the unit's staff propose, waiting for review.
    pub pending_story: Option<String>,
    /// The logo proposed: the file it will have in public media, kept privately until then.
    pub pending_logo: Option<String>,
    /// The banner proposed, as `pending_logo`.
    pub pending_banner: Option<String>,
    /// When the proposal last changed (the version a reviewer decides on); None when nothing
    /// waits for review.
    pub pending_changed_at: Option<i64>,
    /// Why a reviewer sent the last proposal back, until the unit proposes another.
    pub profile_return_reason: Option<String>,
    /// The unit's static QRIS image for its fair booths: its file under the private
    /// `booth-qris/` folder (`services::media::qris_store`), never public.
    pub qris_image: Option<String>,
}

impl Unit {
    pub fn is_active(&self) -> bool {
        self.active == 1
    }

    /// A change of brand, story, logo or banner waits for review.
    pub fn has_proposal(&self) -> bool {
        self.pending_changed_at.is_some()
    }

    /// The public logo or banner file, if any.
    pub fn picture(&self, which: BrandPicture) -> Option<&str> {
        match which {
            BrandPicture::Logo => self.logo_path.as_deref(),
            BrandPicture::Banner => self.banner_path.as_deref(),
        }
    }

    /// The logo or banner file proposed, if any (kept privately until approved).
    pub fn proposed_picture(&self, which: BrandPicture) -> Option<&str> {
        match which {
            BrandPicture::Logo => self.pending_logo.as_deref(),
            BrandPicture::Banner => self.pending_banner.as_deref(),
        }
    }

    /// What the registry says about the unit.
    pub fn details(&self) -> UnitDetails {
        UnitDetails {
            name: self.name.clone(),
            // The database allows only the kinds there are.
            kind: UnitKind::parse(&self.kind).unwrap_or(UnitKind::Lapas),
            class: self.class.clone(),
            province_id: self.province_id,
            city: self.city.clone(),
            address: self.pickup_address.clone(),
            phone: self.phone.clone(),
        }
    }

    pub fn split(&self) -> RevenueSplit {
        RevenueSplit {
            wage_pct: self.split_wage_pct,
            pnbp_pct: self.split_pnbp_pct,
            capital_pct: self.split_capital_pct,
        }
    }
}

/// What a unit card or a product card shows of its unit.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct UnitBrief {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub brand_name: String,
    pub city: String,
    pub logo_path: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = units)]
pub struct NewUnit {
    pub slug: String,
    pub kind: String,
    pub class: String,
    pub name: String,
    pub city: String,
    pub province_id: i32,
    pub brand_name: String,
    pub story: String,
    pub logo_path: Option<String>,
    pub banner_path: Option<String>,
    pub pickup_address: String,
    pub phone: String,
    pub email: String,
    pub split_wage_pct: i32,
    pub split_pnbp_pct: i32,
    pub split_capital_pct: i32,
    pub created_at: i64,
}

/// A unit with its province name and its count of published products.
#[derive(Debug, Clone)]
pub struct UnitSummary {
    pub unit: UnitBrief,
    pub province_name: String,
    pub product_count: i64,
}

pub fn unit_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<(Unit, String, String)> {
    units::table
        .inner_join(provinces::table)
        .filter(units::slug.eq(slug))
        .select((Unit::as_select(), provinces::name, provinces::slug))
        .first(conn)
}

/// The unit `slug` as its public page shows it; `NotFound` when there is none or it is
/// switched off.
pub fn public_unit_by_slug(
    conn: &mut DbConnection,
    slug: &str,
) -> QueryResult<(Unit, String, String)> {
    units::table
        .inner_join(provinces::table)
        .filter(units::slug.eq(slug))
        .filter(units::active.eq(1))
        .select((Unit::as_select(), provinces::name, provinces::slug))
        .first(conn)
}

/// Ids of the units switched off (usually none): public listings leave their products out.
/// Remembered for this catalogue generation and at most five seconds (switching a unit off
/// or on queues its products for the search index, which moves the generation on), so a
/// listing does not pay a statement for a list that is nearly always empty.
pub fn inactive_ids(conn: &mut DbConnection) -> QueryResult<Vec<i32>> {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static REMEMBERED: Mutex<Option<(u64, Instant, Vec<i32>)>> = Mutex::new(None);
    let generation = crate::db::catalog_generation();
    if let Ok(guard) = REMEMBERED.lock() {
        if let Some((g, at, ids)) = guard.as_ref() {
            if *g == generation && at.elapsed() < Duration::from_secs(5) {
                return Ok(ids.clone());
            }
        }
    }
    let ids: Vec<i32> = units::table
        .filter(units::active.eq(0))
        .select(units::id)
        .load(conn)?;
    if let Ok(mut guard) = REMEMBERED.lock() {
        *guard = Some((generation, Instant::now(), ids.clone()));
    }
    Ok(ids)
}

/// Every registered unit, switched on or off.
pub fn registered_count(conn: &mut DbConnection) -> QueryResult<i64> {
    units::table.count().get_result(conn)
}

/// Units the public pages show (those switched on).
pub fn count_units(conn: &mut DbConnection) -> QueryResult<i64> {
    units::table
        .filter(units::active.eq(1))
        .count()
        .get_result(conn)
}

/// Units of a province (or all units when `province_id` is `None`), by name.
pub fn unit_summaries(
    conn: &mut DbConnection,
    province_id: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<UnitSummary>> {
    let mut query = units::table
        .inner_join(provinces::table)
        .filter(units::active.eq(1))
        .select((UnitBrief::as_select(), provinces::name))
        .order(units::name.asc())
        .limit(limit)
        .into_boxed();
    if let Some(pid) = province_id {
        query = query.filter(units::province_id.eq(pid));
    }
    let rows: Vec<(UnitBrief, String)> = query.load(conn)?;
    with_product_counts(conn, rows)
}

/// Attaches each unit's count of published products, in one grouped query.
fn with_product_counts(
    conn: &mut DbConnection,
    rows: Vec<(UnitBrief, String)>,
) -> QueryResult<Vec<UnitSummary>> {
    let ids: Vec<i32> = rows.iter().map(|(u, _)| u.id).collect();
    let counts: Vec<(i32, i64)> = products::table
        .filter(in_ids(products::unit_id, &ids))
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .group_by(products::unit_id)
        .select((products::unit_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(unit, province_name)| {
            let product_count = counts
                .iter()
                .find(|(id, _)| *id == unit.id)
                .map_or(0, |(_, n)| *n);
            UnitSummary {
                unit,
                province_name,
                product_count,
            }
        })
        .collect())
}

/// Units that have the most published products, for the home page (switched-off units are
/// left out).
pub fn busiest_units(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<UnitSummary>> {
    let hidden = inactive_ids(conn)?;
    let top: Vec<(i32, i64)> = products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(products::featured.eq(1))
        .filter(products::unit_id.ne_all(&hidden))
        .group_by(products::unit_id)
        .select((products::unit_id, diesel::dsl::count_star()))
        .order(diesel::dsl::count_star().desc())
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i32> = top.iter().map(|(id, _)| *id).collect();
    let rows: Vec<(UnitBrief, String)> = units::table
        .inner_join(provinces::table)
        .filter(in_ids(units::id, &ids))
        .select((UnitBrief::as_select(), provinces::name))
        .load(conn)?;
    // Keep the order of the ranking.
    let ranked: Vec<(UnitBrief, String)> = ids
        .iter()
        .filter_map(|id| rows.iter().find(|(u, _)| u.id == *id).cloned())
        .collect();
    with_product_counts(conn, ranked)
}

pub fn insert_unit(conn: &mut DbConnection, unit: &NewUnit) -> QueryResult<i32> {
    diesel::insert_into(units::table)
        .values(unit)
        .execute(conn)?;
    units::table
        .filter(units::slug.eq(&unit.slug))
        .select(units::id)
        .first(conn)
}

pub fn unit_by_id(conn: &mut DbConnection, id: i32) -> QueryResult<(Unit, String, String)> {
    units::table
        .inner_join(provinces::table)
        .filter(units::id.eq(id))
        .select((Unit::as_select(), provinces::name, provinces::slug))
        .first(conn)
}

/// Every unit's name by its slug.
pub fn all_names_by_slug(
    conn: &mut DbConnection,
) -> QueryResult<std::collections::HashMap<String, String>> {
    Ok(units::table
        .select((units::slug, units::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// What unit staff may change about their unit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UnitProfile {
    pub brand_name: String,
    pub story: String,
    pub pickup_address: String,
    pub phone: String,
    pub email: String,
}

/// What the audit log keeps of a unit's profile, public and proposed.
fn profile_view(u: &Unit) -> serde_json::Value {
    serde_json::json!({
        "brand_name": u.brand_name, "story": u.story, "logo": u.logo_path,
        "banner": u.banner_path, "pickup_address": u.pickup_address, "phone": u.phone,
        "email": u.email, "pending_brand_name": u.pending_brand_name,
        "pending_story": u.pending_story, "pending_logo": u.pending_logo,
        "pending_banner": u.pending_banner,
    })
}

/// Saves the profile form. The pickup address, phone and email take effect at once; a brand
/// name or story that differs from the public one is proposed and waits for review (one the
/// same as the public one withdraws what was proposed of it). Audited, in one transaction.
/// True when the proposal changed and waits for review.
pub fn update_profile(
    conn: &mut DbConnection,
    unit_id: i32,
    profile: &UnitProfile,
    actor_id: i32,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let before = unit_row(conn, unit_id)?;
        let brand = registry::proposed_text(&before.brand_name, &profile.brand_name);
        let story = registry::proposed_text(&before.story, &profile.story);
        let proposal_changed = brand != before.pending_brand_name || story != before.pending_story;
        let waiting = brand.is_some()
            || story.is_some()
            || before.pending_logo.is_some()
            || before.pending_banner.is_some();
        diesel::update(units::table.find(unit_id))
            .set((
                units::pickup_address.eq(&profile.pickup_address),
                units::phone.eq(&profile.phone),
                units::email.eq(&profile.email),
                units::pending_brand_name.eq(brand),
                units::pending_story.eq(story),
            ))
            .execute(conn)?;
        if proposal_changed {
            let (now, previous) = (crate::models::now_ts(), before.pending_changed_at);
            let version = waiting.then(|| registry::next_proposal_version(now, previous));
            diesel::update(units::table.find(unit_id))
                .set((
                    units::pending_changed_at.eq(version),
                    units::profile_return_reason.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        // The unit's page shows the pickup address.
        crate::models::note_catalog_write();
        let after = unit_row(conn, unit_id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "unit.update",
            "unit",
            unit_id,
            Some(&profile_view(&before)),
            Some(&profile_view(&after)),
        )?;
        Ok(proposal_changed && waiting)
    })
}

/// Proposes `path` as the unit's logo or banner: the file it will have in public media, kept
/// privately until a reviewer approves it with the rest of the proposal. Audited. Gives the
/// picture it replaces in the proposal, whose files the caller removes.
pub fn propose_picture(
    conn: &mut DbConnection,
    unit_id: i32,
    which: BrandPicture,
    path: &str,
    actor_id: i32,
) -> QueryResult<Option<String>> {
    crate::db::write_transaction(conn, |conn| {
        let before = unit_row(conn, unit_id)?;
        let replaced = before.proposed_picture(which).map(str::to_string);
        match which {
            BrandPicture::Logo => diesel::update(units::table.find(unit_id))
                .set(units::pending_logo.eq(Some(path)))
                .execute(conn)?,
            BrandPicture::Banner => diesel::update(units::table.find(unit_id))
                .set(units::pending_banner.eq(Some(path)))
                .execute(conn)?,
        };
        let (now, previous) = (crate::models::now_ts(), before.pending_changed_at);
        let version = registry::next_proposal_version(now, previous);
        diesel::update(units::table.find(unit_id))
            .set((
                units::pending_changed_at.eq(Some(version)),
                units::profile_return_reason.eq(None::<String>),
            ))
            .execute(conn)?;
        let key = which.code();
        let was = replaced.as_deref().map(|p| serde_json::json!({ key: p }));
        crate::models::audit::record(
            conn,
            actor_id,
            &format!("unit.{key}.propose"),
            "unit",
            unit_id,
            was.as_ref(),
            Some(&serde_json::json!({ key: path })),
        )?;
        Ok(replaced)
    })
}

/// The file of unit `unit_id`'s static QRIS image, if it has one.
pub fn qris_image(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Option<String>> {
    Ok(units::table
        .find(unit_id)
        .select(units::qris_image)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

/// Sets the unit's static QRIS image to `path` (a file of the private QRIS store), or removes
/// it (`None`). Not reviewed and never public: only the unit's own staff see it, on their
/// booth till. Audited. Gives the file it replaces, which the caller removes.
pub fn set_qris_image(
    conn: &mut DbConnection,
    unit_id: i32,
    path: Option<&str>,
    actor_id: i32,
) -> QueryResult<Option<String>> {
    crate::db::write_transaction(conn, |conn| {
        let before: Option<String> = units::table
            .find(unit_id)
            .select(units::qris_image)
            .first(conn)?;
        if before.is_none() && path.is_none() {
            return Ok(None);
        }
        diesel::update(units::table.find(unit_id))
            .set(units::qris_image.eq(path))
            .execute(conn)?;
        let action = if path.is_some() {
            "unit.qris.set"
        } else {
            "unit.qris.remove"
        };
        crate::models::audit::record(
            conn,
            actor_id,
            action,
            "unit",
            unit_id,
            before
                .as_deref()
                .map(|p| serde_json::json!({ "qris_image": p }))
                .as_ref(),
            path.map(|p| serde_json::json!({ "qris_image": p }))
                .as_ref(),
        )?;
        Ok(before)
    })
}

/// Units whose proposal waits for review, the longest waiting first, with their province's
/// name: of one province, or of all when `province_id` is `None`.
pub fn proposals(
    conn: &mut DbConnection,
    province_id: Option<i32>,
) -> QueryResult<Vec<(Unit, String)>> {
    let mut query = units::table
        .inner_join(provinces::table)
        .filter(units::pending_changed_at.is_not_null())
        .order((units::pending_changed_at.asc(), units::id.asc()))
        .select((Unit::as_select(), provinces::name))
        .into_boxed();
    if let Some(p) = province_id {
        query = query.filter(units::province_id.eq(p));
    }
    query.load(conn)
}

/// Makes the proposal of version `seen` public: its brand and story, and its pictures (whose
/// files the caller has copied into public media first). The unit's products are queued for
/// the search index when the brand changes; audited. Gives the unit as it was, so the caller
/// removes the pictures replaced and the private files; None when the proposal is not that
/// version any more (changed, withdrawn or decided meanwhile).
pub fn approve_proposal(
    conn: &mut DbConnection,
    unit_id: i32,
    seen: i64,
    actor_id: i32,
) -> QueryResult<Option<Unit>> {
    crate::db::write_transaction(conn, |conn| {
        let before = unit_row(conn, unit_id)?;
        if before.pending_changed_at != Some(seen) {
            return Ok(None);
        }
        let text = |proposed: &Option<String>, public: &String| {
            proposed.as_ref().unwrap_or(public).clone()
        };
        let brand = text(&before.pending_brand_name, &before.brand_name);
        let story = text(&before.pending_story, &before.story);
        let picture = |proposed: &Option<String>, public: &Option<String>| {
            proposed.clone().or_else(|| public.clone())
        };
        let logo = picture(&before.pending_logo, &before.logo_path);
        let banner = picture(&before.pending_banner, &before.banner_path);
        let changed = diesel::update(
            units::table
                .find(unit_id)
                .filter(units::pending_changed_at.eq(seen)),
        )
        .set((
            units::brand_name.eq(brand),
            units::story.eq(story),
            units::logo_path.eq(logo),
            units::banner_path.eq(banner),
            units::pending_brand_name.eq(None::<String>),
            units::pending_story.eq(None::<String>),
            units::pending_logo.eq(None::<String>),
            units::pending_banner.eq(None::<String>),
            units::pending_changed_at.eq(None::<i64>),
            units::profile_return_reason.eq(None::<String>),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(None);
        }
        if before.pending_brand_name.is_some() {
            // The brand is searchable.
            let ids = product_ids_of(conn, unit_id)?;
            crate::models::search_outbox::enqueue(conn, &ids)?;
        }
        // The unit's page and its products' pages show the brand, story, logo and banner.
        crate::models::note_catalog_write();
        let after = unit_row(conn, unit_id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "unit.profile.approve",
            "unit",
            unit_id,
            Some(&profile_view(&before)),
            Some(&profile_view(&after)),
        )?;
        Ok(Some(before))
    })
}

/// Sends the proposal of version `seen` back to the unit with `reason`: none of it becomes
/// public, and the unit's form shows the reason. Audited. Gives the unit as it was, so the
/// caller removes the proposed pictures' files; None when the proposal is not that version any
/// more.
pub fn return_proposal(
    conn: &mut DbConnection,
    unit_id: i32,
    seen: i64,
    reason: &str,
    actor_id: i32,
) -> QueryResult<Option<Unit>> {
    crate::db::write_transaction(conn, |conn| {
        let before = unit_row(conn, unit_id)?;
        if before.pending_changed_at != Some(seen) {
            return Ok(None);
        }
        let changed = diesel::update(
            units::table
                .find(unit_id)
                .filter(units::pending_changed_at.eq(seen)),
        )
        .set((
            units::pending_brand_name.eq(None::<String>),
            units::pending_story.eq(None::<String>),
            units::pending_logo.eq(None::<String>),
            units::pending_banner.eq(None::<String>),
            units::pending_changed_at.eq(None::<i64>),
            units::profile_return_reason.eq(Some(reason)),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(None);
        }
        crate::models::audit::record(
            conn,
            actor_id,
            "unit.profile.return",
            "unit",
            unit_id,
            Some(&profile_view(&before)),
            Some(&serde_json::json!({ "reason": reason })),
        )?;
        Ok(Some(before))
    })
}

// ---- The registry ------------------------------------------------------------------------

/// The units an active staff account works for (signed up, not deactivated), as a subquery of
/// unit ids: `units::id.nullable().ne_all(active_staff_units!())` keeps the units nobody staffs.
/// The registry's `staf=tanpa` filter and the administrators' dashboard count the same units.
macro_rules! active_staff_units {
    () => {
        $crate::db::schema::users::table
            .filter($crate::db::schema::users::role.eq($crate::domain::Role::Staff.code()))
            .filter($crate::db::schema::users::active.eq(1))
            .filter($crate::db::schema::users::invited.eq(0))
            .filter($crate::db::schema::users::unit_id.is_not_null())
            .select($crate::db::schema::users::unit_id)
    };
}

/// Units switched on that no active staff account works for: nobody can sell there.
pub fn active_without_staff_count(conn: &mut DbConnection) -> QueryResult<i64> {
    units::table
        .filter(units::active.eq(1))
        .filter(units::id.nullable().ne_all(active_staff_units!()))
        .count()
        .get_result(conn)
}

/// A unit in the administrators' list.
#[derive(Debug, Clone, Queryable)]
pub struct RegistryRow {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub class: String,
    pub city: String,
    pub active: i32,
    pub split_wage_pct: i32,
    pub split_pnbp_pct: i32,
    pub split_capital_pct: i32,
    pub province_name: String,
}

/// One page of the units `filter` lets through, by name, and how many there are in all. The
/// ids are read first (the registry holds a few hundred units), then the rows of the page.
pub fn registry_page(
    conn: &mut DbConnection,
    filter: &RegistryFilter,
    page: crate::domain::PageNumber,
    per_page: u32,
) -> QueryResult<(Vec<RegistryRow>, i64)> {
    use crate::domain::units::ActiveFilter;
    use crate::models::product::{like_pattern, lower};
    let mut query = units::table
        .select(units::id)
        .order((units::name.asc(), units::id.asc()))
        .into_boxed();
    for word in &filter.words {
        let pattern = like_pattern(word);
        query = query.filter(
            lower(units::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(units::city).like(pattern).escape('\\')),
        );
    }
    if let Some(id) = filter.province_id {
        query = query.filter(units::province_id.eq(id));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(units::kind.eq(kind.code()));
    }
    match filter.active {
        Some(ActiveFilter::Active) => query = query.filter(units::active.eq(1)),
        Some(ActiveFilter::Inactive) => query = query.filter(units::active.eq(0)),
        None => {}
    }
    if filter.without_staff {
        query = query.filter(units::id.nullable().ne_all(active_staff_units!()));
    }
    let ids: Vec<i32> = query.load(conn)?;
    let shown: Vec<i32> = ids
        .iter()
        .skip(usize::try_from(page.offset(per_page)).unwrap_or(usize::MAX))
        .take(per_page as usize)
        .copied()
        .collect();
    let mut rows: Vec<RegistryRow> = units::table
        .inner_join(provinces::table)
        .filter(units::id.eq_any(&shown))
        .select((
            units::id,
            units::slug,
            units::name,
            units::kind,
            units::class,
            units::city,
            units::active,
            units::split_wage_pct,
            units::split_pnbp_pct,
            units::split_capital_pct,
            provinces::name,
        ))
        .load(conn)?;
    rows.sort_by_key(|r| shown.iter().position(|id| *id == r.id));
    Ok((rows, ids.len() as i64))
}

/// Every province as the registry names them (by id, ISO code or name).
pub fn province_refs(conn: &mut DbConnection) -> QueryResult<Vec<ProvinceRef>> {
    let rows: Vec<(i32, String, String)> = provinces::table
        .order(provinces::id.asc())
        .select((provinces::id, provinces::iso_code, provinces::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, iso_code, name)| ProvinceRef { id, iso_code, name })
        .collect())
}

/// The unit `id` as the registry's form shows it, switched off or not.
pub fn registered(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Unit>> {
    units::table
        .find(id)
        .select(Unit::as_select())
        .first(conn)
        .optional()
}

/// Every registered unit, as the import compares its lines with them.
pub fn registered_units(conn: &mut DbConnection) -> QueryResult<Vec<RegisteredUnit>> {
    let rows: Vec<Unit> = units::table.select(Unit::as_select()).load(conn)?;
    Ok(rows
        .iter()
        .map(|u| RegisteredUnit {
            id: u.id,
            details: u.details(),
        })
        .collect())
}

/// Whether another unit (not `except`) of the province has this name, in any case.
fn name_taken(
    conn: &mut DbConnection,
    province_id: i32,
    name: &str,
    except: Option<i32>,
) -> QueryResult<bool> {
    let names: Vec<(i32, String)> = units::table
        .filter(units::province_id.eq(province_id))
        .select((units::id, units::name))
        .load(conn)?;
    let key = registry::name_key(name);
    Ok(names
        .iter()
        .any(|(id, n)| Some(*id) != except && registry::name_key(n) == key))
}

/// A slug from the name that no unit has: the name itself, or the name with `-2`, `-3`, …
fn free_slug(conn: &mut DbConnection, name: &str) -> QueryResult<String> {
    let base = crate::domain::Slug::from_text(name).as_str().to_string();
    let mut candidate = base.clone();
    for n in 2.. {
        let taken: bool = diesel::select(diesel::dsl::exists(
            units::table.filter(units::slug.eq(&candidate)),
        ))
        .get_result(conn)?;
        if !taken {
            break;
        }
        candidate = format!("{base}-{n}");
    }
    Ok(candidate)
}

/// What the audit log keeps of a unit.
fn audit_view(u: &Unit) -> serde_json::Value {
    serde_json::json!({
        "name": u.name, "kind": u.kind, "class": u.class, "province_id": u.province_id,
        "city": u.city, "address": u.pickup_address, "phone": u.phone,
        "split_wage_pct": u.split_wage_pct, "split_pnbp_pct": u.split_pnbp_pct,
        "split_capital_pct": u.split_capital_pct, "active": u.active,
    })
}

fn unit_row(conn: &mut DbConnection, id: i32) -> QueryResult<Unit> {
    units::table.find(id).select(Unit::as_select()).first(conn)
}

fn product_ids_of(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Vec<i32>> {
    products::table
        .filter(products::unit_id.eq(unit_id))
        .select(products::id)
        .load(conn)
}

/// Adds a unit (its brand is its name until its staff choose one) and audits it as `action`.
fn insert_registered(
    conn: &mut DbConnection,
    details: &UnitDetails,
    split: RevenueSplit,
    actor_id: Option<i32>,
    action: &str,
) -> QueryResult<i32> {
    let slug = free_slug(conn, &details.name)?;
    let id = insert_unit(
        conn,
        &NewUnit {
            slug,
            kind: details.kind.code().to_string(),
            class: details.class.clone(),
            name: details.name.clone(),
            city: details.city.clone(),
            province_id: details.province_id,
            brand_name: details.name.clone(),
            story: String::new(),
            logo_path: None,
            banner_path: None,
            pickup_address: details.address.clone(),
            phone: details.phone.clone(),
            email: String::new(),
            split_wage_pct: split.wage_pct,
            split_pnbp_pct: split.pnbp_pct,
            split_capital_pct: split.capital_pct,
            created_at: crate::models::now_ts(),
        },
    )?;
    crate::models::note_catalog_write();
    let after = unit_row(conn, id)?;
    crate::models::audit::record(
        conn,
        actor_id,
        action,
        "unit",
        id,
        None,
        Some(&audit_view(&after)),
    )?;
    Ok(id)
}

/// Saves a unit's details and, when given, its split (shipments already ordered keep the split
/// they were booked with); audits the change as `action`. When what search documents carry of
/// the unit changes (its name, city or province), its products are queued for the index.
fn update_registered(
    conn: &mut DbConnection,
    id: i32,
    details: &UnitDetails,
    split: Option<RevenueSplit>,
    actor_id: Option<i32>,
    action: &str,
) -> QueryResult<()> {
    let before = unit_row(conn, id)?;
    diesel::update(units::table.find(id))
        .set((
            units::name.eq(&details.name),
            units::kind.eq(details.kind.code()),
            units::class.eq(&details.class),
            units::province_id.eq(details.province_id),
            units::city.eq(&details.city),
            units::pickup_address.eq(&details.address),
            units::phone.eq(&details.phone),
        ))
        .execute(conn)?;
    if let Some(split) = split {
        diesel::update(units::table.find(id))
            .set((
                units::split_wage_pct.eq(split.wage_pct),
                units::split_pnbp_pct.eq(split.pnbp_pct),
                units::split_capital_pct.eq(split.capital_pct),
            ))
            .execute(conn)?;
    }
    let after = unit_row(conn, id)?;
    if before.name != after.name
        || before.city != after.city
        || before.province_id != after.province_id
    {
        let ids = product_ids_of(conn, id)?;
        crate::models::search_outbox::enqueue(conn, &ids)?;
    }
    crate::models::note_catalog_write();
    crate::models::audit::record(
        conn,
        actor_id,
        action,
        "unit",
        id,
        Some(&audit_view(&before)),
        Some(&audit_view(&after)),
    )
}

/// Registers a unit from the administrators' form; refused (the message key) when the
/// province already has a unit of that name.
pub fn create_unit(
    conn: &mut DbConnection,
    draft: &UnitDraft,
    actor_id: i32,
) -> QueryResult<Result<i32, &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        let d = &draft.details;
        if name_taken(conn, d.province_id, &d.name, None)? {
            return Ok(Err("units-error-duplicate"));
        }
        insert_registered(conn, d, draft.split, Some(actor_id), "unit.create").map(Ok)
    })
}

/// Saves the administrators' form for unit `id` (`NotFound` when there is none); refused (the
/// message key) when another unit of the province has that name.
pub fn update_unit(
    conn: &mut DbConnection,
    id: i32,
    draft: &UnitDraft,
    actor_id: i32,
) -> QueryResult<Result<(), &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        let d = &draft.details;
        if name_taken(conn, d.province_id, &d.name, Some(id))? {
            return Ok(Err("units-error-duplicate"));
        }
        update_registered(conn, id, d, Some(draft.split), Some(actor_id), "unit.edit").map(Ok)
    })
}

/// Switches unit `id` on or off (`NotFound` when there is none); false when it already was.
/// Its products are queued for the search index, which drops or takes them back, and the
/// catalogue's cached pages are dropped.
pub fn set_active(
    conn: &mut DbConnection,
    id: i32,
    active: bool,
    actor_id: i32,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let (was, now) = (i32::from(!active), i32::from(active));
        let changed = diesel::update(units::table.find(id).filter(units::active.eq(was)))
            .set(units::active.eq(now))
            .execute(conn)?;
        if changed == 0 {
            // Already so, or no such unit.
            unit_row(conn, id)?;
            return Ok(false);
        }
        let ids = product_ids_of(conn, id)?;
        crate::models::search_outbox::enqueue(conn, &ids)?;
        crate::models::note_catalog_write();
        crate::models::audit::record(
            conn,
            actor_id,
            if active {
                "unit.reactivate"
            } else {
                "unit.deactivate"
            },
            "unit",
            id,
            Some(&serde_json::json!({ "active": was })),
            Some(&serde_json::json!({ "active": now })),
        )?;
        Ok(true)
    })
}

/// What importing `rows` would do to the registry as it stands.
pub fn plan_import(conn: &mut DbConnection, rows: &[CsvUnit]) -> QueryResult<ImportPlan> {
    let provinces = province_refs(conn)?;
    let registered = registered_units(conn)?;
    Ok(registry::plan_import(rows, &provinces, &registered))
}

/// Plans the import again, against the registry inside the transaction, and applies it only
/// when no line is refused: all of it, or nothing. New units get the default split; changed
/// ones keep theirs. Every unit added or changed is audited (`actor_id` is `None` for the
/// command line). Gives the plan and whether it was applied.
pub fn apply_import(
    conn: &mut DbConnection,
    rows: &[CsvUnit],
    actor_id: Option<i32>,
) -> QueryResult<(ImportPlan, bool)> {
    crate::db::write_transaction(conn, |conn| {
        let plan = plan_import(conn, rows)?;
        if !plan.is_clean() {
            return Ok((plan, false));
        }
        for line in &plan.lines {
            match &line.outcome {
                LineOutcome::New(details) => {
                    insert_registered(
                        conn,
                        details,
                        RevenueSplit::DEFAULT,
                        actor_id,
                        "unit.import.create",
                    )?;
                }
                LineOutcome::Changed {
                    unit_id, details, ..
                } => {
                    update_registered(conn, *unit_id, details, None, actor_id, "unit.import.edit")?;
                }
                LineOutcome::Unchanged { .. } | LineOutcome::Refused(_) => {}
            }
        }
        Ok((plan, true))
    })
}
