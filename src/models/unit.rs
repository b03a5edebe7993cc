//! Units (UPT): a Lapas, Rutan or LPKA with its shop brand.

use diesel::prelude::*;

use crate::db::schema::{products, provinces, units};
use crate::db::DbConnection;

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

pub fn count_units(conn: &mut DbConnection) -> QueryResult<i64> {
    units::table.count().get_result(conn)
}

/// Units of a province (or all units when `province_id` is `None`), by name.
pub fn unit_summaries(
    conn: &mut DbConnection,
    province_id: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<UnitSummary>> {
    let mut query = units::table
        .inner_join(provinces::table)
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
        .filter(products::unit_id.eq_any(&ids))
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

/// Units that have the most published products, for the home page.
pub fn busiest_units(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<UnitSummary>> {
    let top: Vec<(i32, i64)> = products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(products::featured.eq(1))
        .group_by(products::unit_id)
        .select((products::unit_id, diesel::dsl::count_star()))
        .order(diesel::dsl::count_star().desc())
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i32> = top.iter().map(|(id, _)| *id).collect();
    let rows: Vec<(UnitBrief, String)> = units::table
        .inner_join(provinces::table)
        .filter(units::id.eq_any(&ids))
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

/// Unit names by slug, for the unit facet of the search page.
pub fn names_by_slug(
    conn: &mut DbConnection,
    slugs: &[String],
) -> QueryResult<std::collections::HashMap<String, String>> {
    if slugs.is_empty() {
        return Ok(Default::default());
    }
    Ok(units::table
        .filter(units::slug.eq_any(slugs))
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

/// Saves the profile; the unit's products are re-indexed (the brand is searchable) and the
/// change is audited, in one transaction.
pub fn update_profile(
    conn: &mut DbConnection,
    unit_id: i32,
    profile: &UnitProfile,
    actor_id: i32,
) -> QueryResult<()> {
    use crate::db::schema::products;
    crate::db::write_transaction(conn, |conn| {
        let (before, _, _) = unit_by_id(conn, unit_id)?;
        diesel::update(units::table.find(unit_id))
            .set((
                units::brand_name.eq(&profile.brand_name),
                units::story.eq(&profile.story),
                units::pickup_address.eq(&profile.pickup_address),
                units::phone.eq(&profile.phone),
                units::email.eq(&profile.email),
            ))
            .execute(conn)?;
        let ids: Vec<i32> = products::table
            .filter(products::unit_id.eq(unit_id))
            .select(products::id)
            .load(conn)?;
        crate::models::search_outbox::enqueue(conn, &ids)?;
        let view = |brand: &str, story: &str, pickup: &str, phone: &str, email: &str| {
            serde_json::json!({"brand_name": brand, "story": story, "pickup_address": pickup,
                "phone": phone, "email": email})
        };
        crate::models::audit::record(
            conn,
            actor_id,
            "unit.update",
            "unit",
            unit_id,
            Some(&view(
                &before.brand_name,
                &before.story,
                &before.pickup_address,
                &before.phone,
                &before.email,
            )),
            Some(&view(
                &profile.brand_name,
                &profile.story,
                &profile.pickup_address,
                &profile.phone,
                &profile.email,
            )),
        )
    })
}

/// Sets the unit's logo or banner file (`which` is "logo" or "banner").
pub fn set_image(
    conn: &mut DbConnection,
    unit_id: i32,
    which: &str,
    path: &str,
    actor_id: i32,
) -> QueryResult<()> {
    // The unit's page and its products' pages show the logo and banner.
    crate::models::note_catalog_write();
    crate::db::write_transaction(conn, |conn| {
        let target = units::table.find(unit_id);
        if which == "logo" {
            diesel::update(target)
                .set(units::logo_path.eq(Some(path)))
                .execute(conn)?;
        } else {
            diesel::update(target)
                .set(units::banner_path.eq(Some(path)))
                .execute(conn)?;
        }
        crate::models::audit::record(
            conn,
            actor_id,
            &format!("unit.{which}"),
            "unit",
            unit_id,
            None,
            Some(&serde_json::json!({ which: path })),
        )
    })
}
