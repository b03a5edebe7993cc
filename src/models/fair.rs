//! Fairs and their booth plans.

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{booths, events};
use crate::db::DbConnection;
use crate::domain::fair::{BoothRow, EventDates, EventDraft, EventStatus, FairDays, MoveRefusal};

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
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::fair::EventStatus,
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
    crate::db::write_transaction(conn, |conn| {
        let base = crate::domain::Slug::from_text(&draft.name).to_string();
        let mut slug = base.clone();
        while diesel::select(diesel::dsl::exists(
            events::table.filter(events::slug.eq(&slug)),
        ))
        .get_result::<bool>(conn)?
        {
            slug = format!("{base}-{}", &crate::models::random_hex(8)[..4]);
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

/// What became of a new booth plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoothPlanSaved {
    Saved,
    /// These booths have a unit assigned or sales recorded and are missing from the new plan:
    /// nothing was changed.
    InUse(Vec<String>),
}

/// Replaces the booth plan of an event, all or nothing. Booths are matched by code: a booth
/// in both plans is updated in place (its assignment and sales stay with it), a new code is
/// added, and a code left out is removed, unless a unit holds it or sales were recorded at it.
pub fn replace_booths(
    conn: &mut DbConnection,
    event_id: i32,
    rows: &[BoothRow],
    actor_id: i32,
) -> QueryResult<BoothPlanSaved> {
    use crate::db::schema::{booth_charges, booth_sales, fair_applications};
    crate::db::write_transaction(conn, |conn| {
        let existing: Vec<(i32, String)> = booths::table
            .filter(booths::event_id.eq(event_id))
            .select((booths::id, booths::code))
            .load(conn)?;
        let gone: Vec<(i32, String)> = existing
            .iter()
            .filter(|(_, code)| !rows.iter().any(|r| &r.code == code))
            .cloned()
            .collect();
        let gone_ids: Vec<i32> = gone.iter().map(|(id, _)| *id).collect();
        let mut held: Vec<i32> = fair_applications::table
            .filter(fair_applications::booth_id.eq_any(gone_ids.clone()))
            .select(fair_applications::booth_id)
            .load::<Option<i32>>(conn)?
            .into_iter()
            .flatten()
            .collect();
        held.extend(
            booth_sales::table
                .filter(booth_sales::booth_id.eq_any(gone_ids.clone()))
                .select(booth_sales::booth_id)
                .distinct()
                .load::<i32>(conn)?,
        );
        held.extend(
            booth_charges::table
                .filter(booth_charges::booth_id.eq_any(gone_ids.clone()))
                .select(booth_charges::booth_id)
                .distinct()
                .load::<i32>(conn)?,
        );
        if !held.is_empty() {
            let mut codes: Vec<String> = gone
                .into_iter()
                .filter(|(id, _)| held.contains(id))
                .map(|(_, code)| code)
                .collect();
            codes.sort();
            return Ok(BoothPlanSaved::InUse(codes));
        }
        diesel::delete(booths::table.filter(booths::id.eq_any(gone_ids))).execute(conn)?;
        for b in rows {
            let values = (
                booths::hall.eq(&b.hall),
                booths::kind.eq(&b.kind),
                booths::width_m.eq(b.width_m),
                booths::depth_m.eq(b.depth_m),
                booths::fee.eq(b.fee),
                booths::x.eq(b.x),
                booths::y.eq(b.y),
            );
            match existing.iter().find(|(_, code)| code == &b.code) {
                Some((id, _)) => {
                    diesel::update(booths::table.find(*id))
                        .set(values)
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(booths::table)
                        .values((
                            booths::event_id.eq(event_id),
                            booths::code.eq(&b.code),
                            values,
                        ))
                        .execute(conn)?;
                }
            }
        }
        crate::models::audit::record(
            conn,
            actor_id,
            "event.booths",
            "event",
            event_id,
            None,
            Some(&serde_json::json!({"booths": rows.len()})),
        )?;
        Ok(BoothPlanSaved::Saved)
    })
}

impl Event {
    /// The fair's days; None when the stored dates do not read as dates.
    pub fn days(&self) -> Option<FairDays> {
        FairDays::parse(&self.starts_on, &self.ends_on)
    }
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Moves an event one step along its states on `today` (WIB): live only on the fair's own
/// days. Gives why not when the move is refused (an unknown event: `NotNextStep`).
pub fn change_event_status(
    conn: &mut DbConnection,
    event_id: i32,
    next: EventStatus,
    today: chrono::NaiveDate,
    actor_id: i32,
) -> QueryResult<Result<(), MoveRefusal>> {
    crate::db::write_transaction(conn, |conn| {
        let Some(event) = event_by_id(conn, event_id)? else {
            return Ok(Err(MoveRefusal::NotNextStep));
        };
        let current = event.status;
        let Some(days) = event.days() else {
            return Ok(Err(MoveRefusal::NotNextStep));
        };
        if let Err(refusal) = current.check_move(next, days, today) {
            return Ok(Err(refusal));
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
        Ok(Ok(()))
    })
}

/// Corrects an event's dates; false once the fair has gone live (or there is no such event).
pub fn change_event_dates(
    conn: &mut DbConnection,
    event_id: i32,
    dates: &EventDates,
    actor_id: i32,
) -> QueryResult<bool> {
    crate::db::write_transaction(conn, |conn| {
        let Some(event) = event_by_id(conn, event_id)? else {
            return Ok(false);
        };
        if !event.status.dates_editable() {
            return Ok(false);
        }
        diesel::update(events::table.find(event_id))
            .set((
                events::starts_on.eq(iso(dates.starts_on)),
                events::ends_on.eq(iso(dates.ends_on)),
                events::applications_open_on.eq(iso(dates.applications_open_on)),
                events::applications_close_on.eq(iso(dates.applications_close_on)),
            ))
            .execute(conn)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "event.dates",
            "event",
            event_id,
            Some(
                &serde_json::json!({"starts_on": event.starts_on, "ends_on": event.ends_on,
                "applications_open_on": event.applications_open_on,
                "applications_close_on": event.applications_close_on}),
            ),
            Some(&serde_json::json!({"starts_on": iso(dates.starts_on),
                "ends_on": iso(dates.ends_on),
                "applications_open_on": iso(dates.applications_open_on),
                "applications_close_on": iso(dates.applications_close_on)})),
        )?;
        Ok(true)
    })
}

// ---- Applications and booth assignments ----------------------------------------------------

use crate::db::schema::{fair_applications, products, units, users};

/// What a unit asks for: the application form once it passed its checks.
pub use crate::domain::fair::ApplicationDraft as Application;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyProblem {
    Closed,
    AlreadyApplied,
}

/// Files a unit's application; refused when the window is closed or the unit already applied.
pub fn apply(
    conn: &mut DbConnection,
    event_id: i32,
    unit_id: i32,
    application: &Application,
    today: &str,
    actor_id: i32,
) -> QueryResult<Result<i32, ApplyProblem>> {
    crate::db::write_transaction(conn, |conn| {
        let Some(event) = event_by_id(conn, event_id)? else {
            return Ok(Err(ApplyProblem::Closed));
        };
        let open = event.status == EventStatus::Open
            && event.applications_open_on.as_str() <= today
            && today <= event.applications_close_on.as_str();
        if !open {
            return Ok(Err(ApplyProblem::Closed));
        }
        let exists: bool = diesel::select(diesel::dsl::exists(
            fair_applications::table
                .filter(fair_applications::event_id.eq(event_id))
                .filter(fair_applications::unit_id.eq(unit_id)),
        ))
        .get_result(conn)?;
        if exists {
            return Ok(Err(ApplyProblem::AlreadyApplied));
        }
        // Only the unit's own published products can be shown.
        let own: Vec<i32> = products::table
            .filter(products::unit_id.eq(unit_id))
            .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
            .filter(products::id.eq_any(&application.product_ids))
            .select(products::id)
            .load(conn)?;
        let ids: Vec<String> = own.iter().map(i32::to_string).collect();
        diesel::insert_into(fair_applications::table)
            .values((
                fair_applications::event_id.eq(event_id),
                fair_applications::unit_id.eq(unit_id),
                fair_applications::booth_kind.eq(&application.booth_kind),
                fair_applications::product_ids.eq(ids.join(",")),
                fair_applications::needs_power.eq(i32::from(application.needs_power)),
                fair_applications::needs_table.eq(i32::from(application.needs_table)),
                fair_applications::contact_name.eq(&application.contact_name),
                fair_applications::contact_phone.eq(&application.contact_phone),
                fair_applications::status
                    .eq(crate::domain::fair::ApplicationStatus::Submitted.code()),
                fair_applications::created_at.eq(crate::models::now_ts()),
            ))
            .execute(conn)?;
        let id: i32 = fair_applications::table
            .filter(fair_applications::event_id.eq(event_id))
            .filter(fair_applications::unit_id.eq(unit_id))
            .select(fair_applications::id)
            .first(conn)?;
        crate::models::audit::record(conn, actor_id, "fair.apply", "application", id, None, None)?;
        Ok(Ok(id))
    })
}

/// An application as organizers review it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ApplicationRow {
    pub id: i32,
    pub unit_name: String,
    pub booth_kind: String,
    pub needs_power: i32,
    pub needs_table: i32,
    pub contact_name: String,
    pub contact_phone: String,
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::fair::ApplicationStatus,
    pub reason: Option<String>,
    pub booth_code: Option<String>,
}

pub fn applications_of(conn: &mut DbConnection, event_id: i32) -> QueryResult<Vec<ApplicationRow>> {
    fair_applications::table
        .inner_join(units::table)
        .left_join(booths::table)
        .filter(fair_applications::event_id.eq(event_id))
        .order(fair_applications::id.asc())
        .select((
            fair_applications::id,
            units::name,
            fair_applications::booth_kind,
            fair_applications::needs_power,
            fair_applications::needs_table,
            fair_applications::contact_name,
            fair_applications::contact_phone,
            fair_applications::status,
            fair_applications::reason,
            booths::code.nullable(),
        ))
        .load(conn)
}

/// (event name, status, booth code, reason) of one of a unit's applications.
/// (event id, event name, event status, application status, booth code, reason).
pub type UnitApplication = (i32, String, String, String, Option<String>, Option<String>);

/// The applications of one unit.
pub fn applications_of_unit(
    conn: &mut DbConnection,
    unit_id: i32,
) -> QueryResult<Vec<UnitApplication>> {
    fair_applications::table
        .inner_join(events::table)
        .left_join(booths::table)
        .filter(fair_applications::unit_id.eq(unit_id))
        .order(fair_applications::id.desc())
        .select((
            events::id,
            events::name,
            events::status,
            fair_applications::status,
            booths::code.nullable(),
            fair_applications::reason,
        ))
        .load(conn)
}

/// An organizer's decision on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve { booth_id: i32 },
    Waitlist,
    Reject { reason: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    NotFound,
    /// The booth is not part of this event.
    WrongBooth,
    /// Another application holds that booth already.
    BoothTaken,
}

/// Records a decision and emails the unit's staff. A booth holds one assignment: the unique
/// booth column refuses a second one even when two organizers assign at the same moment.
pub fn decide(
    conn: &mut DbConnection,
    application_id: i32,
    decision: &Decision,
    actor_id: i32,
    mail: &dyn crate::models::mail_outbox::MailRenderer,
) -> QueryResult<Result<(), DecisionProblem>> {
    let result =
        crate::db::write_transaction(conn, |conn| -> QueryResult<Result<(), DecisionProblem>> {
            let found: Option<(i32, i32)> = fair_applications::table
                .find(application_id)
                .select((fair_applications::event_id, fair_applications::unit_id))
                .first(conn)
                .optional()?;
            let Some((event_id, unit_id)) = found else {
                return Ok(Err(DecisionProblem::NotFound));
            };
            let target = fair_applications::table.find(application_id);
            let (status, note) = match decision {
                Decision::Approve { booth_id } => {
                    let ours: bool = diesel::select(diesel::dsl::exists(
                        booths::table
                            .filter(booths::id.eq(booth_id))
                            .filter(booths::event_id.eq(event_id)),
                    ))
                    .get_result(conn)?;
                    if !ours {
                        return Ok(Err(DecisionProblem::WrongBooth));
                    }
                    diesel::update(target)
                        .set((
                            fair_applications::status
                                .eq(crate::domain::fair::ApplicationStatus::Approved.code()),
                            fair_applications::booth_id.eq(Some(*booth_id)),
                            fair_applications::reason.eq(None::<String>),
                        ))
                        .execute(conn)?;
                    let code: String = booths::table
                        .find(booth_id)
                        .select(booths::code)
                        .first(conn)?;
                    ("approved", code)
                }
                Decision::Waitlist => {
                    diesel::update(target)
                        .set((
                            fair_applications::status
                                .eq(crate::domain::fair::ApplicationStatus::Waitlisted.code()),
                            fair_applications::booth_id.eq(None::<i32>),
                        ))
                        .execute(conn)?;
                    ("waitlisted", String::new())
                }
                Decision::Reject { reason } => {
                    diesel::update(target)
                        .set((
                            fair_applications::status
                                .eq(crate::domain::fair::ApplicationStatus::Rejected.code()),
                            fair_applications::booth_id.eq(None::<i32>),
                            fair_applications::reason.eq(Some(reason)),
                        ))
                        .execute(conn)?;
                    ("rejected", reason.clone())
                }
            };
            let event_name: String = events::table
                .find(event_id)
                .select(events::name)
                .first(conn)?;
            let staff: Vec<String> = users::table
                .filter(users::unit_id.eq(unit_id))
                .filter(users::role.eq("staff"))
                .select(users::email)
                .load(conn)?;
            let event = crate::domain::mail::MailEvent::FairDecision {
                event: event_name,
                decision: status.to_string(),
                note: note.to_string(),
            };
            for to in staff {
                crate::models::mail_outbox::enqueue_event(conn, mail, &to, &event)?;
            }
            crate::models::audit::record(
                conn,
                actor_id,
                &format!("fair.{status}"),
                "application",
                application_id,
                None,
                Some(&serde_json::json!({"status": status, "note": note})),
            )?;
            Ok(Ok(()))
        });
    match result {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(Err(DecisionProblem::BoothTaken)),
        other => other,
    }
}

/// The exhibitor directory: (booth code, unit name, unit slug, showcased product ids).
pub fn exhibitors(
    conn: &mut DbConnection,
    event_id: i32,
) -> QueryResult<Vec<(String, String, String, String)>> {
    fair_applications::table
        .inner_join(units::table)
        .inner_join(booths::table)
        .filter(fair_applications::event_id.eq(event_id))
        .filter(
            fair_applications::status.eq(crate::domain::fair::ApplicationStatus::Approved.code()),
        )
        .order(booths::code.asc())
        .select((
            booths::code,
            units::name,
            units::slug,
            fair_applications::product_ids,
        ))
        .load(conn)
}

/// A product found within an event.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct EventProduct {
    pub name: String,
    pub slug: String,
    pub price: i64,
    pub unit_name: String,
    pub booth_code: String,
}

/// Searches the products of the units exhibiting at an event: every word of `query` must
/// appear in the name (case-insensitive). At most 50, by name.
pub fn search_products(
    conn: &mut DbConnection,
    event_id: i32,
    query: &str,
) -> QueryResult<Vec<EventProduct>> {
    use crate::models::product::{like_pattern, lower};
    let mut q = fair_applications::table
        .inner_join(booths::table)
        .inner_join(units::table.inner_join(products::table))
        .filter(fair_applications::event_id.eq(event_id))
        .filter(
            fair_applications::status.eq(crate::domain::fair::ApplicationStatus::Approved.code()),
        )
        .filter(products::status.eq(crate::domain::ProductStatus::Published.code()))
        .filter(units::active.eq(1))
        .into_boxed();
    for word in query.split_whitespace().take(6) {
        q = q.filter(
            lower(products::name)
                .like(like_pattern(&word.to_lowercase()))
                .escape('\\'),
        );
    }
    q.order(products::name.asc())
        .select((
            products::name,
            products::slug,
            products::price,
            units::name,
            booths::code,
        ))
        .limit(50)
        .load(conn)
}
