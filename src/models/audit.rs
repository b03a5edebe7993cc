//! The audit log: who did what to which record, before and after.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{audit_log, users};
use crate::db::DbConnection;

#[derive(Insertable)]
#[diesel(table_name = audit_log)]
struct NewEntry<'a> {
    user_id: Option<i32>,
    action: &'a str,
    entity: &'a str,
    entity_id: Option<i32>,
    before_json: Option<String>,
    after_json: Option<String>,
    created_at: i64,
}

/// Records an action; call it in the transaction that makes the change. `user_id` is None for
/// what the shop did by itself (a provider's notification).
pub fn record(
    conn: &mut DbConnection,
    user_id: impl Into<Option<i32>>,
    action: &str,
    entity: &str,
    entity_id: i32,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values(NewEntry {
            user_id: user_id.into(),
            action,
            entity,
            entity_id: Some(entity_id),
            before_json: before.map(|v| v.to_string()),
            after_json: after.map(|v| v.to_string()),
            created_at: crate::models::now_ts(),
        })
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Entry {
    pub id: i32,
    pub user_name: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: i64,
}

pub fn recent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Entry>> {
    audit_log::table
        .left_join(users::table)
        .order(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::id,
            users::name.nullable(),
            audit_log::action,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::before_json,
            audit_log::after_json,
            audit_log::created_at,
        ))
        .load(conn)
}
