//! Legal documents (legalitas) of products and units.

use diesel::prelude::*;

use crate::db::schema::certifications;
use crate::db::DbConnection;

/// A document as a public badge shows it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certifications)]
pub struct BadgeRow {
    pub product_id: Option<i32>,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub expires_on: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(treat_none_as_default_value = false)]
#[diesel(table_name = certifications)]
pub struct NewCertification {
    pub unit_id: i32,
    pub product_id: Option<i32>,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub document_path: Option<String>,
    pub status: String,
    pub reject_reason: Option<String>,
    pub verified_at: Option<i64>,
    pub created_at: i64,
}

/// Verified documents that have not expired on `today`, of the given products.
/// The rule is `domain::badge_is_public`; this is its SQL form.
pub fn public_badges_for_products(
    conn: &mut DbConnection,
    product_ids: &[i32],
    today: &str,
) -> QueryResult<Vec<BadgeRow>> {
    certifications::table
        .filter(certifications::product_id.eq_any(product_ids))
        .filter(certifications::status.eq("verified"))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .order((certifications::product_id, certifications::kind))
        .select(BadgeRow::as_select())
        .load(conn)
}

/// Public badges of the unit itself (documents not tied to one product, such as NIB).
pub fn public_badges_for_unit(
    conn: &mut DbConnection,
    unit_id: i32,
    today: &str,
) -> QueryResult<Vec<BadgeRow>> {
    certifications::table
        .filter(certifications::unit_id.eq(unit_id))
        .filter(certifications::product_id.is_null())
        .filter(certifications::status.eq("verified"))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .order(certifications::kind)
        .select(BadgeRow::as_select())
        .load(conn)
}

pub fn insert_certifications(
    conn: &mut DbConnection,
    rows: &[NewCertification],
) -> QueryResult<()> {
    for chunk in rows.chunks(500) {
        crate::on_backend!(conn, |c| diesel::insert_into(certifications::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// A document as the review desk lists it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct DocumentRow {
    pub id: i32,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub expires_on: Option<String>,
    pub status: String,
}

/// Every document of a product, whatever its status.
pub fn documents_of_product(
    conn: &mut DbConnection,
    product_id: i32,
) -> QueryResult<Vec<DocumentRow>> {
    certifications::table
        .filter(certifications::product_id.eq(product_id))
        .order(certifications::kind)
        .select((
            certifications::id,
            certifications::kind,
            certifications::number,
            certifications::issuer,
            certifications::expires_on,
            certifications::status,
        ))
        .load(conn)
}
