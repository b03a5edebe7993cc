//! The back-office dashboard's rules: which parts an account sees, what "low stock" and
//! "expiring soon" mean, how old a listing waiting for review is, and the filters of a unit's
//! product list that the dashboard's numbers open.

use super::staff::{Actor, Role};

/// A published listing with this many pieces or fewer runs low.
pub const LOW_STOCK: i32 = 3;

/// A verified document expiring within this many days is shown to its unit (the first reminder
/// goes out as early).
pub const EXPIRY_NOTICE_DAYS: u64 = 60;

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// The parts of the dashboard an account sees: one per audience it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    /// Unit staff: the unit whose work it shows.
    pub unit: Option<i32>,
    /// Reviewers and administrators: the review desk.
    pub review: bool,
    /// The province the review desk is limited to (None: every province).
    pub review_province: Option<i32>,
    /// Fair organizers and administrators.
    pub fairs: bool,
    /// Administrators.
    pub admin: bool,
    /// Observers and administrators: the way to the oversight dashboard.
    pub oversight: bool,
}

impl Sections {
    pub fn of(actor: &Actor) -> Self {
        Self {
            unit: actor.unit_id.filter(|_| actor.role == Role::Staff),
            review: actor.is_reviewer(),
            review_province: if actor.role == Role::Reviewer {
                actor.province_id
            } else {
                None
            },
            fairs: matches!(actor.role, Role::Organizer | Role::Admin),
            admin: actor.role == Role::Admin,
            oversight: actor.can_oversee(),
        }
    }
}

/// What a unit's product list is narrowed to: `?status=returned` or `?stok=rendah`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductListFilter {
    #[default]
    All,
    /// Listings the review desk sent back.
    Returned,
    /// Published listings with `LOW_STOCK` pieces or fewer.
    LowStock,
}

impl ProductListFilter {
    /// The filter of the list's query: `status=returned`, or `stok=rendah`; anything else
    /// shows every product.
    pub fn parse(status: &str, stock: &str) -> Self {
        if status.trim() == super::ProductStatus::Returned.code() {
            Self::Returned
        } else if stock.trim() == "rendah" {
            Self::LowStock
        } else {
            Self::All
        }
    }

    /// The address of the list narrowed this way.
    pub fn url(self) -> &'static str {
        match self {
            Self::All => "/kelola",
            Self::Returned => "/kelola?status=returned",
            Self::LowStock => "/kelola?stok=rendah",
        }
    }
}

/// How long a listing has been waiting for review, in the dashboard's three groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAge {
    UnderADay,
    OneToThreeDays,
    OverThreeDays,
}

impl QueueAge {
    pub const ALL: [QueueAge; 3] = [Self::UnderADay, Self::OneToThreeDays, Self::OverThreeDays];

    /// The group of a listing that has waited `secs` seconds.
    pub fn of(secs: i64) -> Self {
        if secs < DAY {
            Self::UnderADay
        } else if secs <= 3 * DAY {
            Self::OneToThreeDays
        } else {
            Self::OverThreeDays
        }
    }

    /// The times a listing of this group was sent to review (`updated_at`) at `now`: after
    /// the first (when there is one), and at or before the second (when there is one).
    pub fn submitted_between(self, now: i64) -> (Option<i64>, Option<i64>) {
        match self {
            Self::UnderADay => (Some(now - DAY), None),
            Self::OneToThreeDays => (Some(now - 3 * DAY - 1), Some(now - DAY)),
            Self::OverThreeDays => (None, Some(now - 3 * DAY - 1)),
        }
    }
}

/// How long something has waited, in the largest unit that fits (rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waited {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

impl Waited {
    /// `secs` seconds (a clock running a little behind counts as none).
    pub fn of(secs: i64) -> Self {
        let secs = secs.max(0);
        if secs < HOUR {
            Self::Minutes(secs / 60)
        } else if secs < DAY {
            Self::Hours(secs / HOUR)
        } else {
            Self::Days(secs / DAY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: Option<i32>, province: Option<i32>) -> Actor {
        Actor {
            id: 1,
            name: "x".into(),
            role,
            unit_id: unit,
            province_id: province,
            treasurer: false,
        }
    }

    #[test]
    fn each_role_sees_the_parts_of_the_dashboard_of_its_audiences() {
        let staff = Sections::of(&actor(Role::Staff, Some(4), None));
        assert_eq!(staff.unit, Some(4));
        assert!(!staff.review && !staff.fairs && !staff.admin);
        let reviewer = Sections::of(&actor(Role::Reviewer, None, Some(7)));
        assert_eq!((reviewer.unit, reviewer.review), (None, true));
        assert_eq!(reviewer.review_province, Some(7));
        assert!(!reviewer.fairs && !reviewer.admin);
        let organizer = Sections::of(&actor(Role::Organizer, None, None));
        assert!(organizer.fairs && !organizer.review && !organizer.admin);
        let admin = Sections::of(&actor(Role::Admin, None, Some(7)));
        assert!(admin.admin && admin.fairs && admin.review && admin.oversight);
        assert_eq!((admin.unit, admin.review_province), (None, None));
        let observer = Sections::of(&actor(Role::Observer, None, Some(7)));
        assert!(observer.oversight);
        assert!(!observer.review && !observer.fairs && !observer.admin);
        assert_eq!((observer.unit, observer.review_province), (None, None));
        assert!(!reviewer.oversight && !organizer.oversight && !staff.oversight);
    }

    #[test]
    fn the_product_list_filter_reads_its_query_and_ignores_junk() {
        use ProductListFilter::*;
        assert_eq!(ProductListFilter::parse("returned", ""), Returned);
        assert_eq!(ProductListFilter::parse("", " rendah "), LowStock);
        assert_eq!(ProductListFilter::parse("published", "tinggi"), All);
        for filter in [All, Returned, LowStock] {
            let query = filter.url().split_once('?').map_or("", |(_, q)| q);
            let value = |name: &str| {
                query
                    .strip_prefix(name)
                    .and_then(|rest| rest.strip_prefix('='))
                    .unwrap_or_default()
            };
            assert_eq!(
                ProductListFilter::parse(value("status"), value("stok")),
                filter
            );
        }
    }

    #[test]
    fn a_listing_falls_in_exactly_the_age_group_whose_submission_window_holds_it() {
        let now = 1_796_540_700;
        for waited in [
            0,
            60,
            DAY - 1,
            DAY,
            DAY + 1,
            2 * DAY,
            3 * DAY - 1,
            3 * DAY,
            3 * DAY + 1,
            40 * DAY,
        ] {
            let submitted = now - waited;
            let holding: Vec<QueueAge> = QueueAge::ALL
                .into_iter()
                .filter(|age| {
                    let (after, until) = age.submitted_between(now);
                    after.is_none_or(|a| submitted > a) && until.is_none_or(|u| submitted <= u)
                })
                .collect();
            assert_eq!(holding, vec![QueueAge::of(waited)], "waited {waited} s");
        }
        assert_eq!(QueueAge::of(DAY - 1), QueueAge::UnderADay);
        assert_eq!(QueueAge::of(3 * DAY), QueueAge::OneToThreeDays);
        assert_eq!(QueueAge::of(3 * DAY + 1), QueueAge::OverThreeDays);
    }

    #[test]
    fn a_wait_is_told_in_minutes_hours_or_days() {
        assert_eq!(Waited::of(-5), Waited::Minutes(0));
        assert_eq!(Waited::of(59 * 60 + 59), Waited::Minutes(59));
        assert_eq!(Waited::of(HOUR), Waited::Hours(1));
        assert_eq!(Waited::of(DAY - 1), Waited::Hours(23));
        assert_eq!(Waited::of(3 * DAY + 5 * HOUR), Waited::Days(3));
    }
}
