//! `dashboard.html` (`/kelola`): for each part of the back office an account works in, its
//! numbers as cards, each card a link to the list behind the number; below them, for unit
//! staff, the unit's products (narrowed by the filter a card opened).

use chrono::NaiveDate;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Serialize;

use crate::domain::dashboard::{ProductListFilter, QueueAge, Waited};
use crate::domain::fair::EventStatus;
use crate::domain::order::ParcelTab;
use crate::domain::time::long_date;
use crate::domain::units::{ActiveFilter, WITHOUT_STAFF};
use crate::domain::{format_rupiah, group_thousands};
use crate::i18n::Lang;
use crate::models::dashboard::{AdminCounts, Dashboard, FairCounts, ReviewCounts, UnitDesk};

/// A number on the dashboard; the whole card links to the list behind it.
#[derive(Debug, Serialize)]
pub struct StatCard {
    /// Message key of what it counts; it also names the card (`data-stat`).
    pub label: &'static str,
    /// The number as the reader's language writes it ("1.234", "1,234"); none is "0".
    pub value: String,
    /// A line under the label (today's takings), if any.
    pub detail: Option<String>,
    /// The list behind the number; None when there is no page to open.
    pub href: Option<String>,
    /// Work waits: the card stands out. A zero never does.
    pub todo: bool,
}

impl StatCard {
    /// `count` things `label` names, behind `href`; work to do when `todo` and there are any.
    fn new(lang: Lang, label: &'static str, count: i64, href: Option<String>, todo: bool) -> Self {
        let separator = match lang {
            Lang::Id => '.',
            Lang::En => ',',
        };
        Self {
            label,
            value: group_thousands(count.unsigned_abs(), separator),
            detail: None,
            href,
            todo: todo && count > 0,
        }
    }
}

/// The unit of a staff account, on its dashboard.
#[derive(Debug, Serialize)]
pub struct UnitRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub brand_name: &'a str,
}

/// A listing on the unit's dashboard.
#[derive(Debug, Serialize)]
pub struct StaffProductView<'a> {
    pub id: i32,
    pub name: &'a str,
    pub status: crate::domain::ProductStatus,
    pub price: String,
    pub stock: i32,
    pub return_reason: Option<&'a str>,
    /// What the legal rules still ask of it, in words (one line per rule): while any is
    /// missing it shows as "Menunggu legalitas" and cannot be bought.
    pub missing_documents: Vec<String>,
}

/// The part of unit staff: what waits for their unit, and its products.
#[derive(Debug, Serialize)]
pub struct UnitDashboard<'a> {
    pub unit: UnitRef<'a>,
    pub cards: Vec<StatCard>,
    pub products: Vec<StaffProductView<'a>>,
    /// Message key saying what the product list is narrowed to; None when it lists them all.
    pub filter: Option<&'static str>,
}

impl<'a> UnitDashboard<'a> {
    fn new(lang: Lang, desk: &'a UnitDesk) -> Self {
        let c = &desk.counts;
        let orders = |tab: ParcelTab| Some(format!("/kelola/pesanan?status={}", tab.code()));
        let list = |filter: ProductListFilter| Some(filter.url().to_string());
        let fairs = || Some("/kelola/pameran-saya".to_string());
        Self {
            unit: UnitRef {
                name: &desk.unit.name,
                slug: &desk.unit.slug,
                brand_name: &desk.unit.brand_name,
            },
            cards: vec![
                StatCard::new(
                    lang,
                    "dashboard-to-pack",
                    c.to_pack,
                    orders(ParcelTab::ToPack),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-to-ship",
                    c.to_ship,
                    orders(ParcelTab::Ready),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-low-stock",
                    c.low_stock,
                    list(ProductListFilter::LowStock),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-expiring",
                    c.expiring_documents,
                    Some("/kelola/dokumen".to_string()),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-returned",
                    c.returned,
                    list(ProductListFilter::Returned),
                    true,
                ),
                // Waiting for the organizers, not for the unit: shown, never urged.
                StatCard::new(
                    lang,
                    "dashboard-fair-pending",
                    c.fair_pending,
                    fairs(),
                    false,
                ),
                StatCard::new(
                    lang,
                    "dashboard-fair-accepted",
                    c.fair_accepted,
                    fairs(),
                    false,
                ),
            ],
            products: desk
                .products
                .iter()
                .map(|r| StaffProductView {
                    id: r.id,
                    name: &r.name,
                    status: r.status,
                    price: format_rupiah(r.price),
                    stock: r.stock,
                    return_reason: r.return_reason.as_deref(),
                    missing_documents: desk
                        .missing_documents
                        .get(&r.id)
                        .map(|m| super::legal::missing_lines(lang, m))
                        .unwrap_or_default(),
                })
                .collect(),
            filter: match desk.filter {
                ProductListFilter::All => None,
                ProductListFilter::Returned => Some("dashboard-filter-returned"),
                ProductListFilter::LowStock => Some("dashboard-filter-low-stock"),
            },
        }
    }
}

/// The listing that has waited longest for review.
#[derive(Debug, Serialize)]
pub struct OldestView<'a> {
    pub id: i32,
    pub name: &'a str,
    pub unit_name: &'a str,
    /// How long it has waited, in words ("4 hari").
    pub waited: String,
}

/// The part of reviewers: the queue by age, the oldest listing in it, documents waiting.
#[derive(Debug, Serialize)]
pub struct ReviewDashboard<'a> {
    pub cards: Vec<StatCard>,
    pub oldest: Option<OldestView<'a>>,
}

impl<'a> ReviewDashboard<'a> {
    fn new(lang: Lang, counts: &'a ReviewCounts, now: i64) -> Self {
        let desk = || Some("/kelola/tinjau".to_string());
        let mut cards: Vec<StatCard> = counts
            .queue
            .iter()
            .map(|(age, n)| {
                let label = match age {
                    QueueAge::UnderADay => "dashboard-queue-under-a-day",
                    QueueAge::OneToThreeDays => "dashboard-queue-one-to-three-days",
                    QueueAge::OverThreeDays => "dashboard-queue-over-three-days",
                };
                StatCard::new(lang, label, *n, desk(), true)
            })
            .collect();
        cards.push(StatCard::new(
            lang,
            "dashboard-documents-waiting",
            counts.documents,
            Some("/kelola/tinjau#dokumen".to_string()),
            true,
        ));
        Self {
            cards,
            oldest: counts.oldest.as_ref().map(|o| OldestView {
                id: o.id,
                name: &o.name,
                unit_name: &o.unit_name,
                waited: waited(lang, now - o.submitted_at),
            }),
        }
    }
}

/// `secs` seconds in words, in the largest unit that fits: "45 menit", "5 jam", "4 hari".
fn waited(lang: Lang, secs: i64) -> String {
    let (key, count) = match Waited::of(secs) {
        Waited::Minutes(n) => ("dashboard-waited-minutes", n),
        Waited::Hours(n) => ("dashboard-waited-hours", n),
        Waited::Days(n) => ("dashboard-waited-days", n),
    };
    lang.text_with(key, &[("count", FluentValue::from(count))])
}

/// The part of fair organizers: events by state, applications, free booths, today's till.
#[derive(Debug, Serialize)]
pub struct FairDashboard {
    pub cards: Vec<StatCard>,
    /// Today in WIB, the fairs' time, written out ("6 Desember 2026").
    pub today: String,
}

impl FairDashboard {
    fn new(lang: Lang, counts: &FairCounts, today: NaiveDate) -> Self {
        let fairs = || Some("/kelola/pameran".to_string());
        let mut cards: Vec<StatCard> = counts
            .events
            .iter()
            .map(|(status, n)| {
                let label = match status {
                    EventStatus::Draft => "dashboard-events-draft",
                    EventStatus::Open => "dashboard-events-open",
                    EventStatus::Closed => "dashboard-events-closed",
                    EventStatus::Live => "dashboard-events-live",
                    EventStatus::Finished => "dashboard-events-finished",
                };
                StatCard::new(lang, label, *n, fairs(), false)
            })
            .collect();
        cards.push(StatCard::new(
            lang,
            "dashboard-applications-to-decide",
            counts.to_decide,
            fairs(),
            true,
        ));
        cards.push(StatCard::new(
            lang,
            "dashboard-free-booths",
            counts.free_booths,
            fairs(),
            false,
        ));
        let mut till = StatCard::new(
            lang,
            "dashboard-till-today",
            counts.sales_today,
            fairs(),
            false,
        );
        till.detail = Some(format_rupiah(counts.takings_today));
        cards.push(till);
        let iso = today.format("%Y-%m-%d").to_string();
        Self {
            cards,
            today: long_date(&iso, lang == Lang::En).unwrap_or(iso),
        }
    }
}

/// The part of administrators: payments, mail, search and units that need a hand.
#[derive(Debug, Serialize)]
pub struct AdminDashboard {
    pub cards: Vec<StatCard>,
}

impl AdminDashboard {
    fn new(lang: Lang, counts: &AdminCounts) -> Self {
        let payments = || Some("/kelola/pembayaran".to_string());
        let unstaffed = super::filtered_list_url(
            "/kelola/daftar-unit",
            "",
            &[
                ("status", Some(ActiveFilter::Active.code())),
                ("staf", Some(WITHOUT_STAFF)),
            ],
            1,
        );
        Self {
            cards: vec![
                StatCard::new(
                    lang,
                    "dashboard-transfers",
                    counts.transfers_to_confirm,
                    payments(),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-refunds",
                    counts.refunds_pending,
                    payments(),
                    true,
                ),
                StatCard::new(
                    lang,
                    "dashboard-failed-mail",
                    counts.failed_mail,
                    Some("/kelola/surat".to_string()),
                    true,
                ),
                // Delivered by the background worker within seconds; no page lists it.
                StatCard::new(
                    lang,
                    "dashboard-search-backlog",
                    counts.search_backlog,
                    None,
                    false,
                ),
                StatCard::new(
                    lang,
                    "dashboard-units-without-staff",
                    counts.units_without_staff,
                    Some(unstaffed),
                    true,
                ),
            ],
        }
    }
}

/// `dashboard.html`: the parts of the dashboard the account sees (None for the others).
#[derive(Debug, Serialize)]
pub struct DashboardPage<'a> {
    pub unit: Option<UnitDashboard<'a>>,
    pub review: Option<ReviewDashboard<'a>>,
    pub fairs: Option<FairDashboard>,
    pub admin: Option<AdminDashboard>,
    /// A link to the oversight dashboard (observers and administrators).
    pub oversight: bool,
}

impl<'a> DashboardPage<'a> {
    /// The dashboard of `data`, read on `today` (WIB) at `now` (UTC unix seconds).
    pub fn new(lang: Lang, data: &'a Dashboard, today: NaiveDate, now: i64) -> Self {
        Self {
            unit: data
                .unit
                .as_ref()
                .map(|desk| UnitDashboard::new(lang, desk)),
            review: data
                .review
                .as_ref()
                .map(|counts| ReviewDashboard::new(lang, counts, now)),
            fairs: data
                .fairs
                .as_ref()
                .map(|counts| FairDashboard::new(lang, counts, today)),
            admin: data
                .admin
                .as_ref()
                .map(|counts| AdminDashboard::new(lang, counts)),
            oversight: data.oversight,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_stands_out_only_with_work_to_do_and_writes_its_number_in_the_readers_language() {
        let none = StatCard::new(Lang::Id, "dashboard-to-pack", 0, None, true);
        assert_eq!(none.value, "0");
        assert!(!none.todo, "a zero is shown calmly");
        let many = StatCard::new(Lang::Id, "dashboard-to-pack", 1234, None, true);
        assert_eq!(many.value, "1.234");
        assert!(many.todo);
        assert_eq!(
            StatCard::new(Lang::En, "dashboard-to-pack", 1234, None, true).value,
            "1,234"
        );
        let accepted = StatCard::new(Lang::Id, "dashboard-fair-accepted", 2, None, false);
        assert!(!accepted.todo, "waiting for others is not work to do");
    }

    #[test]
    fn the_administrators_card_of_units_without_staff_opens_the_registry_filtered_so() {
        let page = AdminDashboard::new(Lang::Id, &AdminCounts::default());
        let card = page
            .cards
            .iter()
            .find(|c| c.label == "dashboard-units-without-staff")
            .unwrap();
        assert_eq!(
            card.href.as_deref(),
            Some("/kelola/daftar-unit?status=aktif&staf=tanpa")
        );
    }
}
