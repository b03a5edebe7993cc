//! A fair to sell at: an event running today with booth A-01 given to a unit.

use diesel::prelude::*;
use etalase::db::schema::{booths, events, fair_applications, products};

use super::TestApp;

/// A live fair, IPPA Fest 2025, running today (as days go in Jakarta, WIB), where the unit of
/// `product_id` holds booth A-01, approved as an organizer would; gives (event id, unit id).
pub fn live_fair_with_booth(app: &TestApp, product_id: i32) -> (i32, i32) {
    // The fair runs today, as days go in Jakarta (WIB).
    let today = etalase::domain::fair::fair_day(chrono::Utc::now());
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%Y-%m-%d")
            .to_string()
    };
    diesel::insert_into(events::table)
        .values((
            events::slug.eq("ippa-fest-2025"),
            events::name.eq("IPPA Fest 2025"),
            events::venue.eq("Lapangan Banteng"),
            events::city.eq("Jakarta"),
            events::starts_on.eq(day(-1)),
            events::ends_on.eq(day(2)),
            events::applications_open_on.eq(day(-30)),
            events::applications_close_on.eq(day(-2)),
            events::description.eq("Pameran produk pemasyarakatan."),
            events::status.eq("live"),
            events::created_at.eq(0i64),
        ))
        .execute(&mut *app.conn())
        .unwrap();
    let event_id: i32 = events::table
        .filter(events::slug.eq("ippa-fest-2025"))
        .select(events::id)
        .first(&mut *app.conn())
        .unwrap();
    let unit_id = give_booth_a01(app, event_id, product_id, true);
    (event_id, unit_id)
}

/// Gives booth A-01 (Hall A, standard, 3 × 3 m) of event `event_id` to the unit of
/// `product_id`, by an application for that product approved as an organizer would
/// (`needs_table`: whether the application asks for a table); gives the unit id.
pub fn give_booth_a01(app: &TestApp, event_id: i32, product_id: i32, needs_table: bool) -> i32 {
    let unit_id: i32 = products::table
        .find(product_id)
        .select(products::unit_id)
        .first(&mut *app.conn())
        .unwrap();
    let mut conn = app.conn();
    diesel::insert_into(booths::table)
        .values((
            booths::event_id.eq(event_id),
            booths::code.eq("A-01"),
            booths::hall.eq("Hall A"),
            booths::kind.eq("standard"),
            booths::width_m.eq(3),
            booths::depth_m.eq(3),
            booths::fee.eq(1_500_000i64),
            booths::x.eq(0),
            booths::y.eq(0),
        ))
        .execute(&mut *conn)
        .unwrap();
    let booth_id: i32 = booths::table
        .filter(booths::event_id.eq(event_id))
        .select(booths::id)
        .first(&mut *conn)
        .unwrap();
    diesel::insert_into(fair_applications::table)
        .values((
            fair_applications::event_id.eq(event_id),
            fair_applications::unit_id.eq(unit_id),
            fair_applications::booth_kind.eq("standard"),
            fair_applications::product_ids.eq(product_id.to_string()),
            fair_applications::needs_power.eq(0),
            fair_applications::needs_table.eq(i32::from(needs_table)),
            fair_applications::contact_name.eq("Pak Budi"),
            fair_applications::contact_phone.eq("081234567890"),
            fair_applications::status.eq("approved"),
            fair_applications::booth_id.eq(Some(booth_id)),
            fair_applications::created_at.eq(0i64),
        ))
        .execute(&mut *conn)
        .unwrap();
    unit_id
}
