//! The search outbox: index updates waiting for delivery, and the documents they deliver.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{categories, certifications, products, provinces, search_outbox, units};
use crate::db::DbConnection;
use crate::domain::search::{price_band, SearchDoc};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = search_outbox)]
pub struct OutboxRow {
    pub id: i32,
    pub product_id: i32,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = search_outbox)]
struct NewOutboxRow {
    product_id: i32,
    attempts: i32,
    next_attempt_at: i64,
    last_error: Option<String>,
    created_at: i64,
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Asks for these products to be brought up to date in the search index. Call it inside the
/// transaction that changes them; the indexer is woken once it committed.
pub fn enqueue(conn: &mut DbConnection, product_ids: &[i32]) -> QueryResult<()> {
    if product_ids.is_empty() {
        return Ok(());
    }
    crate::models::note_catalog_write();
    crate::db::wake::note_queued(conn, crate::db::wake::Outbox::Search)?;
    let now = now_ms();
    let rows: Vec<NewOutboxRow> = product_ids
        .iter()
        .map(|&product_id| NewOutboxRow {
            product_id,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
        })
        .collect();
    for chunk in rows.chunks(1000) {
        crate::on_backend!(conn, |c| diesel::insert_into(search_outbox::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Rows whose next attempt is due by `until`, soonest first.
pub fn due(conn: &mut DbConnection, until: i64, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    search_outbox::table
        .filter(search_outbox::next_attempt_at.le(until))
        .order((
            search_outbox::next_attempt_at.asc(),
            search_outbox::id.asc(),
        ))
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// How long an indexer holds the rows it claimed before another may take them (an indexer
/// that stopped mid-delivery leaves them to the next one after this).
pub const CLAIM_MS: i64 = 60_000;

/// Claims up to `limit` rows due by `now`, soonest first, for this indexer: their next attempt
/// moves `CLAIM_MS` on, in one write transaction, so indexers of several processes sharing one
/// engine (Meilisearch) never deliver the same row twice. On PostgreSQL the rows are read
/// `FOR UPDATE SKIP LOCKED` (`load_skip_locked!`): indexers claiming at once take different
/// rows without waiting for one another. Delivered rows are then removed; a failed delivery
/// gives them their retry time (`record_failure`).
pub fn claim_due(conn: &mut DbConnection, now: i64, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    crate::db::write_transaction(conn, |conn| {
        let rows: Vec<OutboxRow> = crate::load_skip_locked!(
            conn,
            search_outbox::table
                .filter(search_outbox::next_attempt_at.le(now))
                .order((
                    search_outbox::next_attempt_at.asc(),
                    search_outbox::id.asc(),
                ))
                .limit(limit)
                .select(OutboxRow::as_select())
        )?;
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        for chunk in ids.chunks(1000) {
            diesel::update(search_outbox::table.filter(search_outbox::id.eq_any(chunk)))
                .set(search_outbox::next_attempt_at.eq(now + CLAIM_MS))
                .execute(conn)?;
        }
        Ok(rows)
    })
}

pub fn remove(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<usize> {
    let mut removed = 0;
    for chunk in ids.chunks(1000) {
        removed += diesel::delete(search_outbox::table.filter(search_outbox::id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(removed)
}

/// Waiting time before attempt number `attempts + 1`: 0.5 s doubling up to 30 s.
pub fn backoff_ms(attempts: i32) -> i64 {
    let exp = attempts.clamp(0, 6) as u32;
    (500i64 << exp).min(30_000)
}

/// Records a failed delivery of `rows`; each is tried again after its backoff.
pub fn record_failure(
    conn: &mut DbConnection,
    rows: &[OutboxRow],
    error: &str,
    now: i64,
) -> QueryResult<()> {
    let error: String = error.chars().take(500).collect();
    crate::db::write_transaction(conn, |conn| {
        for row in rows {
            diesel::update(search_outbox::table.find(row.id))
                .set((
                    search_outbox::attempts.eq(row.attempts + 1),
                    search_outbox::next_attempt_at.eq(now + backoff_ms(row.attempts)),
                    search_outbox::last_error.eq(Some(error.clone())),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// How many index updates wait for delivery, due or backing off (one count on the table).
pub fn backlog(conn: &mut DbConnection) -> QueryResult<i64> {
    search_outbox::table.count().get_result(conn)
}

pub fn pending(conn: &mut DbConnection) -> QueryResult<Vec<OutboxRow>> {
    search_outbox::table
        .order(search_outbox::id.asc())
        .select(OutboxRow::as_select())
        .load(conn)
}

type DocRow = (
    (
        i32,
        String,
        String,
        String,
        String,
        String,
        i64,
        i32,
        i32,
        i64,
    ),
    (String, String, String, String),
    String,
    String,
);

/// Search documents of the published products of units switched on among `ids` (all of them
/// when `ids` is `None`), with their verified, unexpired documents on `today`. A product left
/// out is deleted from the index when it was queued.
pub fn documents(
    conn: &mut DbConnection,
    ids: Option<&[i32]>,
    today: &str,
) -> QueryResult<Vec<SearchDoc>> {
    let mut query = products::table
        .inner_join(units::table.inner_join(provinces::table))
        .inner_join(categories::table)
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(units::active.eq(1))
        .select((
            (
                products::id,
                products::slug,
                products::name,
                products::kind,
                products::description,
                products::description_en,
                products::price,
                products::stock,
                products::popularity,
                products::created_at,
            ),
            (units::name, units::slug, units::brand_name, units::city),
            provinces::name,
            categories::name_id,
        ))
        .order(products::id.asc())
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(products::id.eq_any(ids.to_vec()));
    }
    let rows: Vec<DocRow> = query.load(conn)?;
    let mut certs_query = certifications::table
        .filter(certifications::product_id.is_not_null())
        .filter(certifications::status.eq(crate::domain::CertificationStatus::Verified.code()))
        .filter(
            certifications::expires_on
                .is_null()
                .or(certifications::expires_on.ge(today)),
        )
        .select((certifications::product_id, certifications::kind))
        .into_boxed();
    if let Some(ids) = ids {
        certs_query = certs_query.filter(certifications::product_id.eq_any(ids.to_vec()));
    }
    let mut certs: HashMap<i32, Vec<String>> = HashMap::new();
    for (product_id, kind) in certs_query.load::<(Option<i32>, String)>(conn)? {
        if let Some(id) = product_id {
            let list = certs.entry(id).or_default();
            if !list.contains(&kind) {
                list.push(kind);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(
            |(
                (
                    id,
                    slug,
                    name,
                    kind,
                    description,
                    description_en,
                    price,
                    stock,
                    popularity,
                    created_at,
                ),
                (unit_name, unit_slug, brand, city),
                province,
                category,
            )| SearchDoc {
                id: i64::from(id),
                slug,
                name,
                kind,
                brand,
                category,
                unit_name,
                unit_slug,
                city,
                province,
                description,
                description_en,
                certifications: certs.remove(&id).unwrap_or_default(),
                price,
                price_band: price_band(price).to_string(),
                in_stock: stock > 0,
                created_at,
                popularity: i64::from(popularity),
            },
        )
        .collect())
}

/// Ids of what the index holds: the published products of units switched on.
pub fn published_ids(conn: &mut DbConnection) -> QueryResult<Vec<i32>> {
    products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(
            products::unit_id.eq_any(units::table.filter(units::active.eq(1)).select(units::id)),
        )
        .select(products::id)
        .load(conn)
}

/// How many documents the index should hold (as `documents(None)` gives).
pub fn published_count(conn: &mut DbConnection) -> QueryResult<i64> {
    products::table
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(
            products::unit_id.eq_any(units::table.filter(units::active.eq(1)).select(units::id)),
        )
        .count()
        .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn retries_back_off_from_half_a_second_to_thirty_seconds() {
        assert_eq!(backoff_ms(0), 500);
        assert_eq!(backoff_ms(1), 1000);
        assert_eq!(backoff_ms(3), 4000);
        assert_eq!(backoff_ms(50), 30_000);
    }
}
