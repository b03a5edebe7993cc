//! Oversight (`/kelola/pantau`, for observers and administrators): what the dashboard may be
//! narrowed to (a period, a province, a kind of unit), the tables it exports as CSV, and the
//! rules of its figures: shares in per cent, a unit's branding score and what it lacks, the
//! median wait at the review desk, and when a unit's money figures may be shown.

use chrono::{Datelike, Days, NaiveDate};

use super::UnitKind;

const DAY: i64 = 24 * 3600;
/// WIB is UTC+7: the day the directorate, the fairs and the roll-ups keep.
const WIB: i64 = 7 * 3600;

/// A unit counts as selling when it sold something within this many days up to today.
pub const ACTIVE_DAYS: u64 = 90;
/// Verified documents expiring within this many days are counted (the first reminder to the
/// unit goes out as early).
pub const EXPIRY_DAYS: u64 = super::dashboard::EXPIRY_NOTICE_DAYS;
/// Units a "worst first" table shows on the page; its CSV export has every unit.
pub const WORST_SHOWN: usize = 20;
/// Rows of a "top" table.
pub const TOP: i64 = 10;
/// Photos a published listing needs to count towards a unit's branding.
pub const MIN_PHOTOS: i64 = 3;
/// A unit's money figures are shown only from this many sales (shop orders and booth sales)
/// in the period: fewer could point at the few people behind them.
pub const MIN_SALES_FOR_MONEY: i64 = 10;

/// What the dashboard is narrowed to: a period (days in WIB, both included), a province and
/// a kind of unit (None: all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OversightFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub province_id: Option<i32>,
    pub unit_kind: Option<UnitKind>,
}

impl OversightFilter {
    /// The filter of the page's query: `dari` and `sampai` (ISO dates; by default this year up
    /// to `today`; swapped when the first comes after the second), `provinsi` (an id) and
    /// `jenis` (a unit kind). Values that cannot be read are no filter. `fixed_province` (a
    /// regional observer's) wins over any province asked for: the query cannot widen it.
    pub fn parse(
        from: &str,
        to: &str,
        province: &str,
        kind: &str,
        today: NaiveDate,
        fixed_province: Option<i32>,
    ) -> Self {
        let date = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let from = date(from).unwrap_or(year_start);
        let to = date(to).unwrap_or(today);
        let (from, to) = if from <= to { (from, to) } else { (to, from) };
        let asked = province.trim().parse::<i32>().ok().filter(|id| *id > 0);
        let unit_kind = if kind.trim().is_empty() {
            None
        } else {
            UnitKind::parse(kind).ok()
        };
        Self {
            from,
            to,
            province_id: fixed_province.or(asked),
            unit_kind,
        }
    }

    /// The query that asks for this filter again: `dari`, `sampai`, then `provinsi` and
    /// `jenis` when set (the values need no escaping: dates, a number, a code).
    pub fn query(&self) -> String {
        let mut query = format!("dari={}&sampai={}", iso(self.from), iso(self.to));
        if let Some(id) = self.province_id {
            query.push_str(&format!("&provinsi={id}"));
        }
        if let Some(kind) = self.unit_kind {
            query.push_str(&format!("&jenis={}", kind.code()));
        }
        query
    }

    /// The period as UTC unix seconds: from the first second of `from` in WIB up to, not
    /// including, the first second of the day after `to`.
    pub fn seconds(&self) -> (i64, i64) {
        (wib_day_start(self.from), wib_day_start(self.to) + DAY)
    }
}

/// A day as ISO text (`2026-12-06`), the form days are stored in.
pub fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The first second of `day` in WIB, as UTC unix seconds.
pub fn wib_day_start(day: NaiveDate) -> i64 {
    day.signed_duration_since(NaiveDate::default()).num_days() * DAY - WIB
}

/// The first day of the `ACTIVE_DAYS` days that end with `today`.
pub fn active_since(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(ACTIVE_DAYS - 1))
        .unwrap_or(today)
}

/// The last day a document may expire on to count as expiring soon, on `today`.
pub fn expiring_until(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(Days::new(EXPIRY_DAYS))
        .unwrap_or(today)
}

/// A period as the product roll-ups keep it: the calendar years it covers whole, read from the
/// year rows, and the days left over, read from the day rows (ranges, both ends included, in
/// order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodParts {
    pub years: Vec<i32>,
    pub days: Vec<(NaiveDate, NaiveDate)>,
}

/// The parts of the period `from`–`to` on `today`: a year counts as covered whole when the
/// period starts on or before its 1 January and reaches its 31 December, or, for a year not
/// over yet, reaches `today` (nothing is sold on a later day). Adjacent leftover days are one
/// range.
pub fn period_parts(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> PeriodParts {
    let mut parts = PeriodParts::default();
    if from > to {
        return parts;
    }
    for year in from.year()..=to.year() {
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let (start, end) = (from.max(first), to.min(last));
        if start == first && (end == last || end >= today) {
            parts.years.push(year);
            continue;
        }
        match parts.days.last_mut() {
            Some((_, until)) if until.succ_opt() == Some(start) => *until = end,
            _ => parts.days.push((start, end)),
        }
    }
    parts
}

/// `part` of `whole` in whole per cent, rounded half up; None when there is no whole.
pub fn percent(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part.clamp(0, whole) * 100 + whole / 2) / whole)
}

/// The middle of `values` (sorted here): the mean of the two middle ones, rounded down, for
/// an even count; None for none.
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]).div_euclid(2)
    } else {
        values[mid]
    })
}

/// A wait of `secs` seconds in tenths of a day, rounded half up (`1.5` days is 15).
pub fn tenths_of_days(secs: i64) -> i64 {
    (secs.max(0) * 10 + DAY / 2) / DAY
}

/// Whether a unit's money figures may be shown, with `sales` sales in the period.
pub fn money_shown(sales: i64) -> bool {
    sales >= MIN_SALES_FOR_MONEY
}

/// The tables of the dashboard, each exported at `/kelola/pantau/{slug}.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OversightTable {
    /// Published products by category.
    Categories,
    /// Legalization coverage by province.
    CoverageByProvince,
    /// Legalization coverage by unit, the least covered first.
    CoverageByUnit,
    /// Branding completeness by unit, the lowest score first.
    Branding,
    /// The review desk by province.
    ReviewDesk,
    /// Sales by month.
    Monthly,
    /// The products sold most, in the shop and at fair booths.
    TopProducts,
    /// The units that sold most.
    TopUnits,
    /// Booth sales by fair.
    Fairs,
}

impl OversightTable {
    pub const ALL: [OversightTable; 9] = [
        Self::Categories,
        Self::CoverageByProvince,
        Self::CoverageByUnit,
        Self::Branding,
        Self::ReviewDesk,
        Self::Monthly,
        Self::TopProducts,
        Self::TopUnits,
        Self::Fairs,
    ];

    /// Its name in the export's address and file name.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Categories => "kategori",
            Self::CoverageByProvince => "legalitas-provinsi",
            Self::CoverageByUnit => "legalitas-unit",
            Self::Branding => "merek",
            Self::ReviewDesk => "meja-tinjau",
            Self::Monthly => "penjualan-bulanan",
            Self::TopProducts => "produk-teratas",
            Self::TopUnits => "unit-teratas",
            Self::Fairs => "pameran",
        }
    }

    /// The table an export's address names.
    pub fn from_slug(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.slug() == raw)
    }
}

/// What a unit's brand shows: its logo, banner and story, and how many of its published
/// listings there are and how many of them have `MIN_PHOTOS` photos and their dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BrandingFacts {
    pub logo: bool,
    pub banner: bool,
    pub story: bool,
    pub listed: i64,
    pub complete: i64,
}

/// What a unit's brand lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandingGap {
    Logo,
    Banner,
    Story,
    /// No published listing at all.
    NoListings,
    /// This many published listings lack photos or dimensions.
    Incomplete(i64),
}

impl BrandingFacts {
    /// 0–100: a quarter each for the logo, the banner and the story, and the last quarter in
    /// the share of published listings that are complete (rounded down; none listed gives
    /// nothing of it).
    pub fn score(&self) -> i64 {
        let part = |has: bool| if has { 25 } else { 0 };
        let listings = if self.listed > 0 {
            25 * self.complete.clamp(0, self.listed) / self.listed
        } else {
            0
        };
        part(self.logo) + part(self.banner) + part(self.story) + listings
    }

    /// What keeps the score from 100, in the order the score counts it.
    pub fn gaps(&self) -> Vec<BrandingGap> {
        let mut gaps = Vec::new();
        if !self.logo {
            gaps.push(BrandingGap::Logo);
        }
        if !self.banner {
            gaps.push(BrandingGap::Banner);
        }
        if !self.story {
            gaps.push(BrandingGap::Story);
        }
        if self.listed <= 0 {
            gaps.push(BrandingGap::NoListings);
        } else if self.complete < self.listed {
            gaps.push(BrandingGap::Incomplete(self.listed - self.complete.max(0)));
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> NaiveDate {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_filter_defaults_to_this_year_swaps_a_reversed_period_and_ignores_junk() {
        let today = day("2026-12-06");
        let plain = OversightFilter::parse("", "", "", "", today, None);
        assert_eq!((plain.from, plain.to), (day("2026-01-01"), today));
        assert_eq!((plain.province_id, plain.unit_kind), (None, None));
        assert_eq!(plain.query(), "dari=2026-01-01&sampai=2026-12-06");
        let reversed = OversightFilter::parse("2026-06-30", "2026-03-01", "7", "LPKA", today, None);
        assert_eq!(
            (reversed.from, reversed.to),
            (day("2026-03-01"), day("2026-06-30"))
        );
        assert_eq!(reversed.province_id, Some(7));
        assert_eq!(reversed.unit_kind, Some(UnitKind::Lpka));
        assert_eq!(
            reversed.query(),
            "dari=2026-03-01&sampai=2026-06-30&provinsi=7&jenis=lpka"
        );
        let junk = OversightFilter::parse("kemarin", "31/12/2026", "-3", "penjara", today, None);
        assert_eq!(junk, plain);
    }

    #[test]
    fn a_regional_observers_province_cannot_be_widened_nor_changed_by_the_query() {
        let today = day("2026-12-06");
        for asked in ["", "8", "0", "semua"] {
            let filter = OversightFilter::parse("", "", asked, "", today, Some(7));
            assert_eq!(filter.province_id, Some(7), "asked {asked:?}");
        }
    }

    #[test]
    fn the_period_runs_from_midnight_wib_of_the_first_day_to_midnight_after_the_last() {
        // 2026-12-06 00:00 WIB is 2026-12-05 17:00 UTC.
        assert_eq!(wib_day_start(day("2026-12-06")), 1_796_490_000);
        let filter =
            OversightFilter::parse("2026-12-06", "2026-12-07", "", "", day("2026-12-31"), None);
        assert_eq!(filter.seconds(), (1_796_490_000, 1_796_490_000 + 2 * DAY));
        assert_eq!(active_since(day("2026-12-06")), day("2026-09-08"));
        assert_eq!(expiring_until(day("2026-12-06")), day("2027-02-04"));
    }

    #[test]
    fn a_period_reads_the_years_it_covers_whole_and_the_days_around_them() {
        let today = day("2026-12-06");
        let parts = |from: &str, to: &str| period_parts(day(from), day(to), today);
        // This year up to today, and the whole of last year: one year each.
        assert_eq!(parts("2026-01-01", "2026-12-06").years, vec![2026]);
        assert!(parts("2026-01-01", "2026-12-06").days.is_empty());
        assert_eq!(parts("2026-01-01", "2026-12-31").years, vec![2026]);
        assert_eq!(
            parts("2025-01-01", "2025-12-31"),
            PeriodParts {
                years: vec![2025],
                days: Vec::new()
            }
        );
        // A month, and a year that stops before today: days.
        assert_eq!(
            parts("2026-03-01", "2026-03-31"),
            PeriodParts {
                years: Vec::new(),
                days: vec![(day("2026-03-01"), day("2026-03-31"))]
            }
        );
        assert_eq!(
            parts("2026-01-01", "2026-12-05").days,
            vec![(day("2026-01-01"), day("2026-12-05"))]
        );
        // The last 365 days: the end of last year as days, this year whole.
        assert_eq!(
            parts("2025-12-07", "2026-12-06"),
            PeriodParts {
                years: vec![2026],
                days: vec![(day("2025-12-07"), day("2025-12-31"))]
            }
        );
        // Across a new year without a whole year: one range of days.
        assert_eq!(
            parts("2024-06-01", "2025-03-31").days,
            vec![(day("2024-06-01"), day("2025-03-31"))]
        );
        assert!(parts("2024-06-01", "2025-03-31").years.is_empty());
        // Whole years between two part years.
        assert_eq!(
            parts("2022-07-01", "2026-02-01"),
            PeriodParts {
                years: vec![2023, 2024, 2025],
                days: vec![
                    (day("2022-07-01"), day("2022-12-31")),
                    (day("2026-01-01"), day("2026-02-01"))
                ]
            }
        );
        assert_eq!(
            period_parts(day("2026-02-01"), day("2026-01-01"), today),
            PeriodParts::default()
        );
    }

    #[test]
    fn shares_medians_and_waits_are_rounded_as_the_dashboard_shows_them() {
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(0, 5), Some(0));
        assert_eq!(percent(9, 4), Some(100), "never above the whole");
        assert_eq!(percent(0, 0), None);
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 10]), Some(3));
        assert_eq!(tenths_of_days(DAY + DAY / 2), 15);
        assert_eq!(tenths_of_days(DAY / 20 - 1), 0);
        assert_eq!(tenths_of_days(-5), 0);
        assert!(!money_shown(9) && money_shown(10));
    }

    #[test]
    fn every_table_is_found_by_its_slug() {
        for table in OversightTable::ALL {
            assert_eq!(OversightTable::from_slug(table.slug()), Some(table));
        }
        assert_eq!(OversightTable::from_slug("users"), None);
    }

    #[test]
    fn a_brand_scores_a_quarter_for_each_part_and_names_what_it_lacks() {
        let full = BrandingFacts {
            logo: true,
            banner: true,
            story: true,
            listed: 4,
            complete: 4,
        };
        assert_eq!(full.score(), 100);
        assert!(full.gaps().is_empty());
        let half_listings = BrandingFacts {
            banner: false,
            complete: 2,
            ..full
        };
        assert_eq!(half_listings.score(), 25 + 25 + 12);
        assert_eq!(
            half_listings.gaps(),
            vec![BrandingGap::Banner, BrandingGap::Incomplete(2)]
        );
        let bare = BrandingFacts::default();
        assert_eq!(bare.score(), 0);
        assert_eq!(
            bare.gaps(),
            vec![
                BrandingGap::Logo,
                BrandingGap::Banner,
                BrandingGap::Story,
                BrandingGap::NoListings
            ]
        );
    }
}
