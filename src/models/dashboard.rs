//! The numbers of the back-office dashboard (`/kelola`): what waits for a unit's staff, the
//! review desk, the fair organizers and the administrators. Each number is one aggregate
//! query (`COUNT` or `SUM` with its `WHERE`), scoped to the account's unit or province; no row
//! is read only to be counted.

use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use crate::db::schema::{
    booth_sales, booths, certifications, events, fair_applications, mail_outbox, orders, payments,
    products, search_outbox, shipments, units,
};
use crate::db::DbConnection;
use crate::domain::dashboard::{
    ProductListFilter, QueueAge, Sections, EXPIRY_NOTICE_DAYS, LOW_STOCK,
};
use crate::domain::fair::{ApplicationStatus, EventStatus};
use crate::domain::order::{OrderStatus, ParcelTab};
use crate::domain::payment::{PaymentMethod, PaymentStatus};
use crate::domain::{CertificationStatus, ProductStatus};
use crate::models::product::{self, StaffRow};
use crate::models::unit::{self, Unit};

/// What waits for a unit's staff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitCounts {
    /// Paid parcels not packed yet (the orders page's "to pack" tab).
    pub to_pack: i64,
    /// Packed parcels waiting for the courier or the buyer (the "ready" tab).
    pub to_ship: i64,
    /// Published listings with `LOW_STOCK` pieces or fewer.
    pub low_stock: i64,
    /// Verified documents that expire within `EXPIRY_NOTICE_DAYS` days.
    pub expiring_documents: i64,
    /// Listings the review desk sent back.
    pub returned: i64,
    /// Booth applications the organizers have not accepted yet (submitted or waitlisted), for
    /// fairs not finished.
    pub fair_pending: i64,
    /// Booth applications accepted, for fairs not finished.
    pub fair_accepted: i64,
}

/// The dashboard of a unit's staff: its unit and numbers, and its products as `filter` lets
/// them through.
#[derive(Debug)]
pub struct UnitDesk {
    pub unit: Unit,
    pub counts: UnitCounts,
    pub filter: ProductListFilter,
    pub products: Vec<StaffRow>,
    /// What the legal rules still ask of `products`, by product id (`models::legal`).
    pub missing_documents: std::collections::HashMap<i32, crate::domain::legal::MissingDocuments>,
}

/// The listing that has waited longest for review.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct OldestListing {
    pub id: i32,
    pub name: String,
    pub unit_name: String,
    /// When it was sent to review (UTC unix seconds).
    pub submitted_at: i64,
}

/// What waits at the review desk of one province (or of all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    /// Listings waiting, by age, in `QueueAge::ALL` order.
    pub queue: Vec<(QueueAge, i64)>,
    pub oldest: Option<OldestListing>,
    /// Legal documents waiting for a decision.
    pub documents: i64,
}

/// Where the fairs stand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairCounts {
    /// Events in each state, in `EventStatus::ALL` order.
    pub events: Vec<(EventStatus, i64)>,
    /// Booth applications waiting for a decision, for fairs not finished.
    pub to_decide: i64,
    /// Booths not given to any unit, at live fairs.
    pub free_booths: i64,
    /// Sales recorded at the fairs' tills today (WIB), across events.
    pub sales_today: i64,
    /// What they came to, in rupiah.
    pub takings_today: i64,
}

/// What waits for the administrators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdminCounts {
    /// Orders paid by bank transfer waiting for the transfer to be confirmed.
    pub transfers_to_confirm: i64,
    /// Refunds asked for and not done yet, and card payments that came for an ended order.
    pub refunds_pending: i64,
    /// Mail given up on.
    pub failed_mail: i64,
    /// Search index updates not delivered yet.
    pub search_backlog: i64,
    /// Units switched on without an active staff account.
    pub units_without_staff: i64,
}

/// Everything one account's dashboard shows: the parts of `Sections` it sees.
#[derive(Debug, Default)]
pub struct Dashboard {
    pub unit: Option<UnitDesk>,
    pub review: Option<ReviewCounts>,
    pub fairs: Option<FairCounts>,
    pub admin: Option<AdminCounts>,
    /// The account may open the oversight dashboard (observers and administrators).
    pub oversight: bool,
}

/// The dashboard of the parts `sections` names, `today` being the date in WIB and `now` the
/// time (UTC unix seconds); the unit's product list narrowed by `filter`.
pub fn read(
    conn: &mut DbConnection,
    sections: &Sections,
    filter: ProductListFilter,
    today: NaiveDate,
    now: i64,
) -> QueryResult<Dashboard> {
    let iso = today.format("%Y-%m-%d").to_string();
    let unit = match sections.unit {
        Some(unit_id) => Some(unit_desk(conn, unit_id, filter, today)?),
        None => None,
    };
    let review = if sections.review {
        Some(review_counts(conn, sections.review_province, now)?)
    } else {
        None
    };
    let fairs = if sections.fairs {
        Some(fair_counts(conn, &iso)?)
    } else {
        None
    };
    let admin = if sections.admin {
        Some(admin_counts(conn)?)
    } else {
        None
    };
    Ok(Dashboard {
        unit,
        review,
        fairs,
        admin,
        oversight: sections.oversight,
    })
}

fn unit_desk(
    conn: &mut DbConnection,
    unit_id: i32,
    filter: ProductListFilter,
    today: NaiveDate,
) -> QueryResult<UnitDesk> {
    let (unit, _, _) = unit::unit_by_id(conn, unit_id)?;
    let counts = unit_counts(conn, unit_id, today)?;
    let products = product::unit_products_in(conn, unit_id, filter)?;
    let ids: Vec<i32> = products.iter().map(|p| p.id).collect();
    let missing_documents =
        crate::models::legal::missing_documents(conn, &ids, &crate::models::today_iso())?;
    Ok(UnitDesk {
        unit,
        counts,
        filter,
        products,
        missing_documents,
    })
}

/// What waits for the staff of `unit_id` on `today` (WIB).
pub fn unit_counts(
    conn: &mut DbConnection,
    unit_id: i32,
    today: NaiveDate,
) -> QueryResult<UnitCounts> {
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let until = today
        .checked_add_days(Days::new(EXPIRY_NOTICE_DAYS))
        .unwrap_or(today);
    let (from, until) = (iso(today), iso(until));
    Ok(UnitCounts {
        to_pack: parcels_in(conn, unit_id, ParcelTab::ToPack)?,
        to_ship: parcels_in(conn, unit_id, ParcelTab::Ready)?,
        low_stock: products::table
            .filter(products::unit_id.eq(unit_id))
            .filter(products::status.eq(ProductStatus::Published.code()))
            .filter(products::stock.le(LOW_STOCK))
            .count()
            .get_result(conn)?,
        expiring_documents: certifications::table
            .filter(certifications::unit_id.eq(unit_id))
            .filter(certifications::status.eq(CertificationStatus::Verified.code()))
            .filter(certifications::expired_at.is_null())
            .filter(certifications::expires_on.ge(from.as_str()))
            .filter(certifications::expires_on.le(until.as_str()))
            .count()
            .get_result(conn)?,
        returned: products::table
            .filter(products::unit_id.eq(unit_id))
            .filter(products::status.eq(ProductStatus::Returned.code()))
            .count()
            .get_result(conn)?,
        fair_pending: applications_of_unit(
            conn,
            unit_id,
            &[ApplicationStatus::Submitted, ApplicationStatus::Waitlisted],
        )?,
        fair_accepted: applications_of_unit(conn, unit_id, &[ApplicationStatus::Approved])?,
    })
}

/// How many of the unit's parcels are in `tab` of its orders page.
fn parcels_in(conn: &mut DbConnection, unit_id: i32, tab: ParcelTab) -> QueryResult<i64> {
    let mut query = shipments::table
        .filter(shipments::unit_id.eq(unit_id))
        .filter(shipments::status.eq(tab.status().code()))
        .count()
        .into_boxed();
    match tab.packed() {
        Some(true) => query = query.filter(shipments::packed_at.is_not_null()),
        Some(false) => query = query.filter(shipments::packed_at.is_null()),
        None => {}
    }
    query.get_result(conn)
}

/// How many of the unit's booth applications, for fairs not finished, are in one of `states`.
fn applications_of_unit(
    conn: &mut DbConnection,
    unit_id: i32,
    states: &[ApplicationStatus],
) -> QueryResult<i64> {
    let codes: Vec<&'static str> = states.iter().map(|s| s.code()).collect();
    fair_applications::table
        .inner_join(events::table)
        .filter(fair_applications::unit_id.eq(unit_id))
        .filter(fair_applications::status.eq_any(codes))
        .filter(events::status.ne(EventStatus::Finished.code()))
        .count()
        .get_result(conn)
}

/// What waits at the review desk of `province_id` (None: every province) at `now`.
pub fn review_counts(
    conn: &mut DbConnection,
    province_id: Option<i32>,
    now: i64,
) -> QueryResult<ReviewCounts> {
    let mut queue: Vec<(QueueAge, i64)> = Vec::with_capacity(QueueAge::ALL.len());
    for age in QueueAge::ALL {
        let (after, until) = age.submitted_between(now);
        let mut query = products::table
            .inner_join(units::table)
            .filter(products::status.eq(ProductStatus::Submitted.code()))
            .count()
            .into_boxed();
        if let Some(p) = province_id {
            query = query.filter(units::province_id.eq(p));
        }
        if let Some(t) = after {
            query = query.filter(products::updated_at.gt(t));
        }
        if let Some(t) = until {
            query = query.filter(products::updated_at.le(t));
        }
        let count: i64 = query.get_result(conn)?;
        queue.push((age, count));
    }
    let mut oldest = products::table
        .inner_join(units::table)
        .filter(products::status.eq(ProductStatus::Submitted.code()))
        .order((products::updated_at.asc(), products::id.asc()))
        .select((
            products::id,
            products::name,
            units::name,
            products::updated_at,
        ))
        .into_boxed();
    let mut documents = certifications::table
        .inner_join(units::table)
        .filter(certifications::status.eq(CertificationStatus::Submitted.code()))
        .count()
        .into_boxed();
    if let Some(p) = province_id {
        oldest = oldest.filter(units::province_id.eq(p));
        documents = documents.filter(units::province_id.eq(p));
    }
    Ok(ReviewCounts {
        queue,
        oldest: oldest.first::<OldestListing>(conn).optional()?,
        documents: documents.get_result(conn)?,
    })
}

/// Where the fairs stand on `today` (WIB, as ISO text).
pub fn fair_counts(conn: &mut DbConnection, today: &str) -> QueryResult<FairCounts> {
    let by_status: Vec<(String, i64)> = events::table
        .group_by(events::status)
        .select((events::status, diesel::dsl::count_star()))
        .load(conn)?;
    let per_state: Vec<(EventStatus, i64)> = EventStatus::ALL
        .into_iter()
        .map(|status| {
            let count = by_status
                .iter()
                .find(|(code, _)| code == status.code())
                .map_or(0, |(_, n)| *n);
            (status, count)
        })
        .collect();
    let to_decide: i64 = fair_applications::table
        .inner_join(events::table)
        .filter(fair_applications::status.eq(ApplicationStatus::Submitted.code()))
        .filter(events::status.ne(EventStatus::Finished.code()))
        .count()
        .get_result(conn)?;
    // A booth is given to the application that holds it (a waitlisted or rejected one lets
    // go of it).
    let free_booths: i64 = booths::table
        .filter(
            booths::event_id.eq_any(
                events::table
                    .filter(events::status.eq(EventStatus::Live.code()))
                    .select(events::id),
            ),
        )
        .filter(
            booths::id.nullable().ne_all(
                fair_applications::table
                    .filter(fair_applications::booth_id.is_not_null())
                    .select(fair_applications::booth_id),
            ),
        )
        .count()
        .get_result(conn)?;
    let (sales_today, takings_today): (i64, i64) = booth_sales::table
        .filter(booth_sales::sold_on.eq(today))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "CAST(COALESCE(SUM(booth_sales.total), 0) AS BIGINT)",
            ),
        ))
        .get_result(conn)?;
    Ok(FairCounts {
        events: per_state,
        to_decide,
        free_booths,
        sales_today,
        takings_today,
    })
}

/// What waits for the administrators.
pub fn admin_counts(conn: &mut DbConnection) -> QueryResult<AdminCounts> {
    Ok(AdminCounts {
        // The same orders as the payments page lists.
        transfers_to_confirm: orders::table
            .filter(orders::status.eq(OrderStatus::PendingPayment.code()))
            .filter(orders::payment_method.eq(PaymentMethod::BankTransfer.code()))
            .count()
            .get_result(conn)?,
        refunds_pending: payments::table
            .filter(
                payments::status.eq(PaymentStatus::NeedsRefund.code()).or(
                    payments::refund_requested_at
                        .is_not_null()
                        .and(payments::status.ne(PaymentStatus::Refunded.code())),
                ),
            )
            .count()
            .get_result(conn)?,
        failed_mail: mail_outbox::table
            .filter(mail_outbox::failed_at.is_not_null())
            .filter(mail_outbox::sent_at.is_null())
            .count()
            .get_result(conn)?,
        search_backlog: search_outbox::table.count().get_result(conn)?,
        units_without_staff: unit::active_without_staff_count(conn)?,
    })
}
