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
    pub status: &'static str,
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
        .filter(certifications::status.eq(crate::domain::CertificationStatus::Verified.code()))
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
        .filter(certifications::status.eq(crate::domain::CertificationStatus::Verified.code()))
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
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::CertificationStatus,
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

// ---- Back office: documents, review and expiry ----------------------------------------------

use crate::db::schema::{products, units, users};

/// Adds a document (status `submitted`) and audits it; returns its id.
pub fn add_document(
    conn: &mut DbConnection,
    doc: &NewCertification,
    actor_id: i32,
) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        diesel::insert_into(certifications::table)
            .values(doc)
            .execute(conn)?;
        let id: i32 = certifications::table
            .order(certifications::id.desc())
            .select(certifications::id)
            .first(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "document.add",
            "document",
            id,
            None,
            Some(&serde_json::json!({"kind": doc.kind, "number": doc.number,
                "product_id": doc.product_id, "expires_on": doc.expires_on})),
        )?;
        Ok(id)
    })
}

/// A document of a unit as its staff list it.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct UnitDocument {
    pub id: i32,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub expires_on: Option<String>,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::CertificationStatus,
    pub reject_reason: Option<String>,
    pub expired_at: Option<i64>,
    pub product_name: Option<String>,
}

pub fn documents_of_unit(conn: &mut DbConnection, unit_id: i32) -> QueryResult<Vec<UnitDocument>> {
    certifications::table
        .left_join(products::table)
        .filter(certifications::unit_id.eq(unit_id))
        .order(certifications::id.desc())
        .select((
            certifications::id,
            certifications::kind,
            certifications::number,
            certifications::issuer,
            certifications::expires_on,
            certifications::status,
            certifications::reject_reason,
            certifications::expired_at,
            products::name.nullable(),
        ))
        .limit(500)
        .load(conn)
}

/// A document waiting for a reviewer.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct PendingDocument {
    pub id: i32,
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub unit_name: String,
    pub product_name: Option<String>,
}

pub fn pending_documents(
    conn: &mut DbConnection,
    province_id: Option<i32>,
) -> QueryResult<Vec<PendingDocument>> {
    let mut query = certifications::table
        .inner_join(units::table)
        .left_join(products::table)
        .filter(certifications::status.eq(crate::domain::CertificationStatus::Submitted.code()))
        .order(certifications::id.asc())
        .select((
            certifications::id,
            certifications::kind,
            certifications::number,
            certifications::issuer,
            certifications::issued_on,
            certifications::expires_on,
            units::name,
            products::name.nullable(),
        ))
        .into_boxed();
    if let Some(p) = province_id {
        query = query.filter(units::province_id.eq(p));
    }
    query.load(conn)
}

/// (unit id, province id, document file) of a document, for scope checks and downloads.
pub fn document_owner(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(i32, i32, Option<String>)>> {
    certifications::table
        .inner_join(units::table)
        .filter(certifications::id.eq(id))
        .select((
            certifications::unit_id,
            units::province_id,
            certifications::document_path,
        ))
        .first(conn)
        .optional()
}

/// The products whose public badges depend on a document: its product, or every product of
/// its unit for a unit-wide document.
fn affected_products(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<i32>> {
    let (unit_id, product_id): (i32, Option<i32>) = certifications::table
        .find(id)
        .select((certifications::unit_id, certifications::product_id))
        .first(conn)?;
    match product_id {
        Some(p) => Ok(vec![p]),
        None => products::table
            .filter(products::unit_id.eq(unit_id))
            .select(products::id)
            .load(conn),
    }
}

/// Verifies or rejects (with a reason) a submitted document. False when it was not waiting.
pub fn decide_document(
    conn: &mut DbConnection,
    id: i32,
    verify: bool,
    reason: Option<&str>,
    actor_id: i32,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let now = crate::models::now_ts();
        let changed = diesel::update(certifications::table.find(id).filter(
            certifications::status.eq(crate::domain::CertificationStatus::Submitted.code()),
        ))
        .set((
            certifications::status.eq(if verify {
                crate::domain::CertificationStatus::Verified
            } else {
                crate::domain::CertificationStatus::Rejected
            }
            .code()),
            certifications::reject_reason.eq(if verify { None } else { reason }),
            certifications::verified_at.eq(if verify { Some(now) } else { None }),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        let affected = affected_products(conn, id)?;
        crate::models::search_outbox::enqueue(conn, &affected)?;
        crate::models::audit::record(
            conn,
            actor_id,
            if verify {
                "document.verify"
            } else {
                "document.reject"
            },
            "document",
            id,
            Some(&serde_json::json!({"status": "submitted"})),
            Some(
                &serde_json::json!({"status": if verify { crate::domain::CertificationStatus::Verified } else { crate::domain::CertificationStatus::Rejected },
                "reason": reason}),
            ),
        )?;
        Ok(true)
    })
}

/// Marks verified documents whose date has passed as expired; returns the products whose
/// badges changed. Several workers may run it at once: one does the round, and the others,
/// finding its lock taken (`db::dialect::try_job_lock`) or, after it committed, nothing left
/// to mark, change nothing and return no products.
pub fn mark_expired(conn: &mut DbConnection, today: &str, now: i64) -> QueryResult<Vec<i32>> {
    use crate::db::dialect::{try_job_lock, Job};
    crate::db::write_transaction(conn, |conn| {
        if !try_job_lock(conn, Job::DocumentExpiry)? {
            return Ok(Vec::new());
        }
        let ids: Vec<i32> = certifications::table
            .filter(certifications::status.eq(crate::domain::CertificationStatus::Verified.code()))
            .filter(certifications::expired_at.is_null())
            .filter(certifications::expires_on.lt(today))
            .select(certifications::id)
            .load(conn)?;
        let mut affected = Vec::new();
        for id in &ids {
            diesel::update(certifications::table.find(id))
                .set(certifications::expired_at.eq(Some(now)))
                .execute(conn)?;
            affected.extend(affected_products(conn, *id)?);
        }
        affected.sort_unstable();
        affected.dedup();
        crate::models::search_outbox::enqueue(conn, &affected)?;
        Ok(affected)
    })
}

/// A reminder to send: the document, how many days are left at most, and who to tell.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub id: i32,
    pub kind: String,
    pub number: String,
    pub expires_on: String,
    pub days: i32,
    pub recipients: Vec<String>,
}

/// Verified documents expiring within 60 (or 14) days whose reminder has not gone out yet.
pub fn due_reminders(
    conn: &mut DbConnection,
    today: &str,
    in_14: &str,
    in_60: &str,
) -> QueryResult<Vec<Reminder>> {
    type Row = (i32, i32, String, String, Option<String>, i32, i32);
    let rows: Vec<Row> = certifications::table
        .filter(certifications::status.eq(crate::domain::CertificationStatus::Verified.code()))
        .filter(certifications::expired_at.is_null())
        .filter(certifications::expires_on.ge(today))
        .filter(certifications::expires_on.le(in_60))
        .select((
            certifications::id,
            certifications::unit_id,
            certifications::kind,
            certifications::number,
            certifications::expires_on,
            certifications::reminded_60,
            certifications::reminded_14,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (id, unit_id, kind, number, expires_on, r60, r14) in rows {
        let expires_on = expires_on.unwrap_or_default();
        let days = if expires_on.as_str() <= in_14 {
            if r14 != 0 {
                continue;
            }
            14
        } else {
            if r60 != 0 {
                continue;
            }
            60
        };
        let recipients: Vec<String> = users::table
            .filter(users::unit_id.eq(unit_id))
            .filter(users::role.eq("staff"))
            .select(users::email)
            .load(conn)?;
        out.push(Reminder {
            id,
            kind,
            number,
            expires_on,
            days,
            recipients,
        });
    }
    Ok(out)
}

/// Records that the reminder for `days` (60 or 14) was sent; a 14-day reminder also settles
/// the 60-day one.
/// Marks the reminder sent; false when another worker marked it first (the update only
/// matches a reminder not yet marked), so exactly one of several workers sends it.
pub fn mark_reminded(conn: &mut DbConnection, id: i32, days: i32) -> QueryResult<bool> {
    let target = certifications::table.find(id);
    let changed = if days <= 14 {
        diesel::update(target.filter(certifications::reminded_14.eq(0)))
            .set((
                certifications::reminded_14.eq(1),
                certifications::reminded_60.eq(1),
            ))
            .execute(conn)?
    } else {
        diesel::update(target.filter(certifications::reminded_60.eq(0)))
            .set(certifications::reminded_60.eq(1))
            .execute(conn)?
    };
    Ok(changed == 1)
}
