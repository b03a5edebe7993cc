//! The public figures of the programme (`/dampak`, the open data, a unit's page): the day a
//! sale counts on, when a unit's money figures may be shown, and the tile map of Indonesia's
//! 38 provinces with its colour steps.

use chrono::NaiveDate;

/// Sales (paid shop orders and booth sales) a unit needs in a period before any money figure
/// of its own is shown: below that, a total could come close to what a few people earned.
pub const MIN_SALES_FOR_MONEY: i64 = 10;

/// Whether a unit with `sales` sales in the period may show its money figures.
pub fn shows_money(sales: i64) -> bool {
    sales >= MIN_SALES_FOR_MONEY
}

/// Western Indonesia Time (UTC+7), the zone the roll-ups date money in.
const WIB_SECONDS: i64 = 7 * 3600;

/// The day in WIB of a moment (UTC unix seconds).
pub fn wib_day(ts: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp(ts.checked_add(WIB_SECONDS)?, 0).map(|t| t.date_naive())
}

/// The moments (UTC unix seconds) of `day` in WIB: from its first second up to, not
/// including, the first second of the next day.
pub fn wib_day_span(day: NaiveDate) -> (i64, i64) {
    let midnight = day
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp());
    let start = midnight - WIB_SECONDS;
    (start, start + 24 * 3600)
}

/// A day written `YYYY-MM-DD`, the form roll-ups store it in; anything else is None.
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// `day` as `YYYY-MM-DD`.
pub fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Every day from `from` to `to`, both included (none when `from` is later).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |d| *d <= to)
}

/// The month (`YYYY-MM`) of a stored day (`YYYY-MM-DD`).
pub fn month_of(day: &str) -> &str {
    day.get(..7).unwrap_or(day)
}

/// Where each province sits on the tile map, one square each in its rough place: the ISO
/// 3166-2 code, the column (west to east) and the row (north to south).
pub const TILES: [(&str, u8, u8); 38] = [
    // Sumatera
    ("ID-AC", 0, 0),
    ("ID-SU", 1, 1),
    ("ID-RI", 2, 1),
    ("ID-KR", 3, 1),
    ("ID-SB", 1, 2),
    ("ID-JA", 2, 2),
    ("ID-BB", 4, 2),
    ("ID-BE", 2, 3),
    ("ID-SS", 3, 3),
    ("ID-LA", 3, 4),
    // Jawa
    ("ID-JK", 5, 3),
    ("ID-BT", 4, 4),
    ("ID-JB", 5, 4),
    ("ID-JT", 6, 4),
    ("ID-YO", 6, 5),
    ("ID-JI", 7, 4),
    // Bali dan Nusa Tenggara
    ("ID-BA", 8, 4),
    ("ID-NB", 9, 4),
    ("ID-NT", 10, 4),
    // Kalimantan
    ("ID-KU", 8, 1),
    ("ID-KB", 6, 2),
    ("ID-KT", 7, 2),
    ("ID-KI", 8, 2),
    ("ID-KS", 7, 3),
    // Sulawesi
    ("ID-GO", 11, 1),
    ("ID-SA", 12, 1),
    ("ID-SR", 9, 2),
    ("ID-ST", 10, 2),
    ("ID-SN", 9, 3),
    ("ID-SG", 10, 3),
    // Maluku
    ("ID-MU", 13, 1),
    ("ID-MA", 13, 3),
    // Papua
    ("ID-PD", 14, 2),
    ("ID-PB", 15, 2),
    ("ID-PA", 17, 2),
    ("ID-PT", 16, 3),
    ("ID-PE", 17, 3),
    ("ID-PS", 17, 4),
];

/// The tile map's size in squares: (columns, rows).
pub const TILE_GRID: (u8, u8) = (18, 6);

/// The square of a province on the tile map, by its ISO code.
pub fn tile_of(iso_code: &str) -> Option<(u8, u8)> {
    TILES
        .iter()
        .find(|(code, _, _)| *code == iso_code)
        .map(|(_, col, row)| (*col, *row))
}

/// The colour steps of the map above "nothing sold" (step 0).
pub const SHADE_STEPS: u8 = 4;

/// The colour step of `value` on a map whose largest value is `max`: 0 for nothing, else 1 to
/// `SHADE_STEPS` by quarters of the largest value (the largest is always the darkest).
pub fn shade_step(value: i64, max: i64) -> u8 {
    if value <= 0 || max <= 0 {
        return 0;
    }
    let steps = i128::from(SHADE_STEPS);
    let (value, max) = (i128::from(value.min(max)), i128::from(max));
    let step = (value * steps + max - 1) / max;
    step.clamp(1, steps) as u8
}

/// The values of step `step` (1 to `SHADE_STEPS`) when the largest is `max`, both included:
/// what the map's legend says of it. None when no whole number falls in the step.
pub fn step_range(step: u8, max: i64) -> Option<(i64, i64)> {
    if step == 0 || step > SHADE_STEPS || max <= 0 {
        return None;
    }
    let steps = i128::from(SHADE_STEPS);
    let max = i128::from(max);
    let low = (i128::from(step) - 1) * max / steps + 1;
    let high = i128::from(step) * max / steps;
    (low <= high).then_some((low as i64, high as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_counts_on_its_day_in_western_indonesia() {
        // 2026-12-06 16:59:59 UTC is 23:59:59 WIB; a second later it is the 7th in Jakarta.
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let (start, end) = wib_day_span(day);
        assert_eq!(wib_day(start), Some(day));
        assert_eq!(wib_day(end - 1), Some(day));
        assert_eq!(wib_day(end), day.succ_opt());
        assert_eq!(wib_day(start - 1), day.pred_opt());
        assert_eq!(end - start, 86_400);
        assert_eq!(start, 1_796_490_000);
    }

    #[test]
    fn days_are_read_only_in_their_stored_form_and_listed_inclusively() {
        let d = parse_day("2026-02-28").unwrap();
        assert_eq!(day_text(d), "2026-02-28");
        for bad in ["2026-02-30", "28-02-2026", "2026-2-28", "", "2026-02-28x"] {
            assert_eq!(parse_day(bad), None, "{bad:?}");
        }
        let march = parse_day("2026-03-02").unwrap();
        let listed: Vec<String> = days_between(d, march).map(day_text).collect();
        assert_eq!(listed, ["2026-02-28", "2026-03-01", "2026-03-02"]);
        assert_eq!(days_between(march, d).count(), 0);
        assert_eq!(month_of("2026-03-02"), "2026-03");
    }

    #[test]
    fn money_figures_of_a_unit_need_ten_sales() {
        assert!(!shows_money(0));
        assert!(!shows_money(9));
        assert!(shows_money(10));
        assert!(shows_money(250));
    }

    #[test]
    fn every_province_has_a_square_of_its_own_on_the_map() {
        let reference = std::fs::read_to_string("src/seed/reference/provinces.csv").unwrap();
        let codes: Vec<&str> = reference
            .lines()
            .skip(1)
            .filter_map(|l| l.split(',').next())
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(codes.len(), 38);
        for code in &codes {
            assert!(tile_of(code).is_some(), "{code} has no square");
        }
        let mut squares: Vec<(u8, u8)> = TILES.iter().map(|(_, c, r)| (*c, *r)).collect();
        squares.sort_unstable();
        squares.dedup();
        assert_eq!(squares.len(), 38, "two provinces share a square");
        assert!(TILES
            .iter()
            .all(|(_, c, r)| *c < TILE_GRID.0 && *r < TILE_GRID.1));
        assert_eq!(tile_of("ID-XX"), None);
    }

    #[test]
    fn colour_steps_split_the_largest_value_into_quarters() {
        assert_eq!(shade_step(0, 100), 0);
        assert_eq!(shade_step(5, 0), 0);
        assert_eq!(shade_step(1, 100), 1);
        assert_eq!(shade_step(25, 100), 1);
        assert_eq!(shade_step(26, 100), 2);
        assert_eq!(shade_step(75, 100), 3);
        assert_eq!(shade_step(76, 100), 4);
        assert_eq!(shade_step(100, 100), 4);
        assert_eq!(shade_step(i64::MAX, i64::MAX), 4);
        assert_eq!(step_range(1, 100), Some((1, 25)));
        assert_eq!(step_range(4, 100), Some((76, 100)));
        assert_eq!(step_range(0, 100), None);
        assert_eq!(step_range(5, 100), None);
        // Every value falls in the step whose range holds it.
        for max in [1, 3, 7, 10, 1_000_003] {
            for value in [1, max / 3, max / 2, max - 1, max] {
                if value < 1 {
                    continue;
                }
                let step = shade_step(value, max);
                let (low, high) = step_range(step, max).unwrap();
                assert!(
                    low <= value && value <= high,
                    "{value} of {max}: step {step}"
                );
            }
        }
    }
}
