//! Synonyms administrators added (`search_synonyms`; the entry itself is `domain::synonyms`).
//! Adding and removing one is audited; the engines are handed the new set by
//! `workflows::synonyms`.

use diesel::prelude::*;

use crate::db::schema::search_synonyms;
use crate::db::DbConnection;
use crate::domain::synonyms::SynonymEntry;

/// A saved entry.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = search_synonyms)]
pub struct SynonymRow {
    pub id: i32,
    pub word: String,
    /// Words joined by commas.
    pub synonyms: String,
    /// 1: a group, each word finding the others; 0: `word` finds the synonyms.
    pub two_way: i32,
    pub created_by: Option<i32>,
    pub created_at: i64,
}

impl SynonymRow {
    pub fn entry(&self) -> SynonymEntry {
        SynonymEntry {
            word: self.word.clone(),
            synonyms: SynonymEntry::parse_synonyms(&self.synonyms),
            two_way: self.two_way == 1,
        }
    }
}

/// Every entry, by word (then oldest first).
pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<SynonymRow>> {
    search_synonyms::table
        .order((search_synonyms::word.asc(), search_synonyms::id.asc()))
        .select(SynonymRow::as_select())
        .load(conn)
}

/// Every entry as the engines take them, oldest first.
pub fn entries(conn: &mut DbConnection) -> QueryResult<Vec<SynonymEntry>> {
    let rows: Vec<SynonymRow> = search_synonyms::table
        .order(search_synonyms::id.asc())
        .select(SynonymRow::as_select())
        .load(conn)?;
    Ok(rows.iter().map(SynonymRow::entry).collect())
}

/// What the audit log keeps of an entry.
fn audit_view(entry: &SynonymEntry) -> serde_json::Value {
    serde_json::json!({
        "word": entry.word, "synonyms": entry.synonyms, "two_way": entry.two_way,
    })
}

/// Saves an entry an administrator wrote; audited. Gives its id.
pub fn add(conn: &mut DbConnection, entry: &SynonymEntry, actor_id: i32) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        diesel::insert_into(search_synonyms::table)
            .values((
                search_synonyms::word.eq(&entry.word),
                search_synonyms::synonyms.eq(entry.synonyms_code()),
                search_synonyms::two_way.eq(i32::from(entry.two_way)),
                search_synonyms::created_by.eq(Some(actor_id)),
                search_synonyms::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        // The newest of this word by this administrator: this one, whatever others insert.
        let id: i32 = search_synonyms::table
            .filter(search_synonyms::word.eq(&entry.word))
            .filter(search_synonyms::created_by.eq(actor_id))
            .order(search_synonyms::id.desc())
            .select(search_synonyms::id)
            .first(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "search_synonym.add",
            "search_synonym",
            id,
            None,
            Some(&audit_view(entry)),
        )?;
        Ok(id)
    })
}

/// Removes entry `id`; audited. False when there is no such entry (removed already).
pub fn remove(conn: &mut DbConnection, id: i32, actor_id: i32) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let Some(before) = search_synonyms::table
            .find(id)
            .select(SynonymRow::as_select())
            .first(conn)
            .optional()?
        else {
            return Ok(false);
        };
        diesel::delete(search_synonyms::table.find(id)).execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "search_synonym.remove",
            "search_synonym",
            id,
            Some(&audit_view(&before.entry())),
            None,
        )?;
        Ok(true)
    })
}
