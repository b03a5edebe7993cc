//! Fairs and their booth plans.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{booths, events};
use crate::db::DbConnection;
use crate::domain::fair::{BoothRow, EventDraft, EventStatus};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub venue: String,
    pub city: String,
    pub starts_on: String,
    pub ends_on: String,
    pub applications_open_on: String,
    pub applications_close_on: String,
    pub description: String,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = booths)]
pub struct Booth {
    pub id: i32,
    pub code: String,
    pub hall: String,
    pub kind: String,
    pub width_m: i32,
    pub depth_m: i32,
    pub fee: i64,
    pub x: i32,
    pub y: i32,
}

/// Creates a draft event; returns its id.
pub fn create_event(
    conn: &mut DbConnection,
    draft: &EventDraft,
    actor_id: i32,
) -> QueryResult<i32> {
    conn.transaction(|conn| {
        let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let base = crate::domain::Slug::from_text(&draft.name).to_string();
        let mut slug = base.clone();
        while diesel::select(diesel::dsl::exists(
            events::table.filter(events::slug.eq(&slug)),
        ))
        .get_result::<bool>(conn)?
        {
            slug = format!("{base}-{}", &crate::services::images::fresh_name()[..4]);
        }
        diesel::insert_into(events::table)
            .values((
                events::slug.eq(&slug),
                events::name.eq(&draft.name),
                events::venue.eq(&draft.venue),
                events::city.eq(&draft.city),
                events::starts_on.eq(iso(draft.starts_on)),
                events::ends_on.eq(iso(draft.ends_on)),
                events::applications_open_on.eq(iso(draft.applications_open_on)),
                events::applications_close_on.eq(iso(draft.applications_close_on)),
                events::description.eq(&draft.description),
                events::status.eq(EventStatus::Draft.code()),
                events::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let id: i32 = events::table
            .filter(events::slug.eq(&slug))
            .select(events::id)
            .first(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "event.create",
            "event",
            id,
            None,
            Some(&serde_json::json!({"name": draft.name})),
        )?;
        Ok(id)
    })
}

pub fn all_events(conn: &mut DbConnection) -> QueryResult<Vec<Event>> {
    events::table
        .order(events::starts_on.desc())
        .select(Event::as_select())
        .load(conn)
}

pub fn public_events(conn: &mut DbConnection) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::status.ne(EventStatus::Draft.code()))
        .order(events::starts_on.desc())
        .select(Event::as_select())
        .load(conn)
}

pub fn event_by_id(conn: &mut DbConnection, id: i32) -> QueryResult<Option<Event>> {
    events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .optional()
}

pub fn event_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Event>> {
    events::table
        .filter(events::slug.eq(slug))
        .select(Event::as_select())
        .first(conn)
        .optional()
}

pub fn booths_of(conn: &mut DbConnection, event_id: i32) -> QueryResult<Vec<Booth>> {
    booths::table
        .filter(booths::event_id.eq(event_id))
        .order((booths::hall.asc(), booths::code.asc()))
        .select(Booth::as_select())
        .load(conn)
}

/// Replaces the booth plan of an event, all or nothing.
pub fn replace_booths(
    conn: &mut DbConnection,
    event_id: i32,
    rows: &[BoothRow],
    actor_id: i32,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        diesel::delete(booths::table.filter(booths::event_id.eq(event_id))).execute(conn)?;
        for b in rows {
            diesel::insert_into(booths::table)
                .values((
                    booths::event_id.eq(event_id),
                    booths::code.eq(&b.code),
                    booths::hall.eq(&b.hall),
                    booths::kind.eq(&b.kind),
                    booths::width_m.eq(b.width_m),
                    booths::depth_m.eq(b.depth_m),
                    booths::fee.eq(b.fee),
                    booths::x.eq(b.x),
                    booths::y.eq(b.y),
                ))
                .execute(conn)?;
        }
        crate::models::audit::record(
            conn,
            actor_id,
            "event.booths",
            "event",
            event_id,
            None,
            Some(&serde_json::json!({"booths": rows.len()})),
        )
    })
}

/// Moves an event one step along its states; false when not allowed.
pub fn change_event_status(
    conn: &mut DbConnection,
    event_id: i32,
    next: EventStatus,
    actor_id: i32,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        let Some(event) = event_by_id(conn, event_id)? else {
            return Ok(false);
        };
        let current = EventStatus::parse(&event.status).unwrap_or(EventStatus::Draft);
        if !current.can_become(next) {
            return Ok(false);
        }
        diesel::update(events::table.find(event_id))
            .set(events::status.eq(next.code()))
            .execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            &format!("event.{}", next.code()),
            "event",
            event_id,
            Some(&serde_json::json!({"status": event.status})),
            Some(&serde_json::json!({"status": next.code()})),
        )?;
        Ok(true)
    })
}
