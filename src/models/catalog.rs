//! Provinces and categories: small reference tables.

use diesel::prelude::*;

use crate::db::schema::{categories, products, provinces, units};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = provinces)]
pub struct Province {
    pub id: i32,
    pub iso_code: String,
    pub slug: String,
    pub name: String,
    pub island_group: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i32,
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
    pub description_id: String,
    pub description_en: String,
    pub is_food: i32,
    pub sort_order: i32,
}

impl Category {
    pub fn name(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.name_en
        } else {
            &self.name_id
        }
    }

    pub fn description(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.description_en
        } else {
            &self.description_id
        }
    }
}

pub fn all_categories(conn: &mut DbConnection) -> QueryResult<Vec<Category>> {
    categories::table
        .order(categories::sort_order.asc())
        .select(Category::as_select())
        .load(conn)
}

/// Published products per category id (of units switched on).
pub fn published_counts_by_category(conn: &mut DbConnection) -> QueryResult<Vec<(i32, i64)>> {
    let hidden = crate::models::unit::inactive_ids(conn)?;
    let mut query = products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .group_by(products::category_id)
        .select((products::category_id, diesel::dsl::count_star()))
        .into_boxed();
    // Only when some unit is off: `unit_id != ALL('{}')` keeps PostgreSQL from counting
    // from the (status, category_id) index alone.
    if !hidden.is_empty() {
        query = query.filter(products::unit_id.ne_all(hidden));
    }
    query.load(conn)
}

pub fn all_provinces(conn: &mut DbConnection) -> QueryResult<Vec<Province>> {
    provinces::table
        .order(provinces::id.asc())
        .select(Province::as_select())
        .load(conn)
}

pub fn province_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Province> {
    provinces::table
        .filter(provinces::slug.eq(slug))
        .select(Province::as_select())
        .first(conn)
}

/// Units switched on per province id.
pub fn unit_counts_by_province(conn: &mut DbConnection) -> QueryResult<Vec<(i32, i64)>> {
    units::table
        .filter(units::active.eq(1))
        .group_by(units::province_id)
        .select((units::province_id, diesel::dsl::count_star()))
        .load(conn)
}
