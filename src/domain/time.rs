//! Indonesia's three time zones and dates written the Indonesian way: "6 Desember 2026,
//! 14.05 WIB" (and in English "6 December 2026, 14:05 WIB"). Times are stored as UTC unix
//! seconds; a reader is shown the zone of their province.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use serde::{Deserialize, Serialize};

/// WIB (UTC+7), WITA (UTC+8), WIT (UTC+9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Zone {
    #[default]
    Wib,
    Wita,
    Wit,
}

impl Zone {
    pub fn hours(self) -> i32 {
        match self {
            Self::Wib => 7,
            Self::Wita => 8,
            Self::Wit => 9,
        }
    }

    pub fn abbreviation(self) -> &'static str {
        match self {
            Self::Wib => "WIB",
            Self::Wita => "WITA",
            Self::Wit => "WIT",
        }
    }

    /// The zone of a province by its ISO 3166-2 code (`ID-JB`); WIB for an unknown code.
    pub fn of_province(iso_code: &str) -> Self {
        match iso_code {
            // Bali, Nusa Tenggara, South, East and North Kalimantan, all of Sulawesi.
            "ID-BA" | "ID-NB" | "ID-NT" | "ID-KS" | "ID-KI" | "ID-KU" | "ID-SA" | "ID-GO"
            | "ID-ST" | "ID-SR" | "ID-SN" | "ID-SG" => Self::Wita,
            // Maluku and Papua.
            "ID-MA" | "ID-MU" | "ID-PA" | "ID-PB" | "ID-PD" | "ID-PT" | "ID-PE" | "ID-PS" => {
                Self::Wit
            }
            _ => Self::Wib,
        }
    }
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn local(ts: i64, zone: Zone) -> Option<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(zone.hours() * 3600)?;
    Some(DateTime::from_timestamp(ts, 0)?.with_timezone(&offset))
}

/// `ts` in `zone` as "day month year, hh<sep>mm ZONE" with the given month names.
fn date_time(ts: i64, zone: Zone, months: &[&str; 12], time_sep: char) -> String {
    local(ts, zone)
        .map(|t| {
            format!(
                "{} {} {}, {:02}{time_sep}{:02} {}",
                t.day(),
                months[t.month0() as usize],
                t.year(),
                t.hour(),
                t.minute(),
                zone.abbreviation()
            )
        })
        .unwrap_or_default()
}

/// "6 Desember 2026, 14.05 WIB" (id-ID writes the time with a dot).
pub fn date_time_id(ts: i64, zone: Zone) -> String {
    date_time(ts, zone, &MONTHS_ID, '.')
}

/// "6 December 2026, 14:05 WIB".
pub fn date_time_en(ts: i64, zone: Zone) -> String {
    date_time(ts, zone, &MONTHS_EN, ':')
}

/// `ts` in `zone` as ISO 8601 with the zone's offset ("2026-12-06T14:05:00+07:00"), the
/// machine-readable twin of `date_time_id` for `<time datetime>`.
pub fn iso8601(ts: i64, zone: Zone) -> String {
    local(ts, zone)
        .map(|t| {
            format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+{:02}:00",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second(),
                zone.hours()
            )
        })
        .unwrap_or_default()
}

fn months(en: bool) -> &'static [&'static str; 12] {
    if en {
        &MONTHS_EN
    } else {
        &MONTHS_ID
    }
}

fn parse_date(iso: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d").ok()
}

/// "19 Maret 2030" (or "19 March 2030") from "2030-03-19"; None when it is not a date.
pub fn long_date(iso: &str, en: bool) -> Option<String> {
    let d = parse_date(iso)?;
    Some(format!(
        "{} {} {}",
        d.day(),
        months(en)[d.month0() as usize],
        d.year()
    ))
}

/// "Desember 2026" (or "December 2026") from a month written "2026-12"; None when it is not
/// one.
pub fn month_name(month: &str, en: bool) -> Option<String> {
    let d = parse_date(&format!("{}-01", month.trim()))?;
    Some(format!("{} {}", months(en)[d.month0() as usize], d.year()))
}

/// "November 2026" (the same in English: "November 2026"; "Desember 2026" / "December
/// 2026"); `month` is 1 to 12, anything else gives the year alone.
pub fn month_year(year: i32, month: u32, en: bool) -> String {
    match months(en).get((month as usize).wrapping_sub(1)) {
        Some(name) => format!("{name} {year}"),
        None => year.to_string(),
    }
}

/// Two dates as one span, naming the month and year once where they are shared:
/// "20–23 Desember 2026", "28 November – 2 Desember 2026", "30 Desember 2026 – 2 Januari 2027".
pub fn date_range(from: &str, to: &str, en: bool) -> Option<String> {
    let (a, b) = (parse_date(from)?, parse_date(to)?);
    let m = months(en);
    Some(if a == b {
        long_date(from, en)?
    } else if a.year() == b.year() && a.month() == b.month() {
        format!(
            "{}–{} {} {}",
            a.day(),
            b.day(),
            m[b.month0() as usize],
            b.year()
        )
    } else if a.year() == b.year() {
        format!(
            "{} {} – {} {} {}",
            a.day(),
            m[a.month0() as usize],
            b.day(),
            m[b.month0() as usize],
            b.year()
        )
    } else {
        format!("{} – {}", long_date(from, en)?, long_date(to, en)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_spans_are_written_out_in_the_readers_language() {
        assert_eq!(long_date("2030-03-19", false).unwrap(), "19 Maret 2030");
        assert_eq!(long_date("2030-03-19", true).unwrap(), "19 March 2030");
        assert_eq!(long_date("19/03/2030", false), None);
        assert_eq!(month_name("2026-12", false).unwrap(), "Desember 2026");
        assert_eq!(month_name("2027-01", true).unwrap(), "January 2027");
        assert_eq!(month_name("2026-13", false), None);
        assert_eq!(month_year(2026, 12, false), "Desember 2026");
        assert_eq!(month_year(2027, 1, true), "January 2027");
        assert_eq!(month_year(2027, 13, true), "2027");
        assert_eq!(
            date_range("2026-12-20", "2026-12-23", false).unwrap(),
            "20–23 Desember 2026"
        );
        assert_eq!(
            date_range("2026-11-28", "2026-12-02", false).unwrap(),
            "28 November – 2 Desember 2026"
        );
        assert_eq!(
            date_range("2026-12-30", "2027-01-02", true).unwrap(),
            "30 December 2026 – 2 January 2027"
        );
        assert_eq!(
            date_range("2026-12-20", "2026-12-20", false).unwrap(),
            "20 Desember 2026"
        );
        assert_eq!(month_name("2030-03", false).unwrap(), "Maret 2030");
        assert_eq!(month_name("2030-03", true).unwrap(), "March 2030");
    }

    #[test]
    fn times_are_written_in_the_readers_zone_the_indonesian_way() {
        // 2026-12-06 07:05 UTC
        let ts = 1_796_540_700;
        assert_eq!(date_time_id(ts, Zone::Wib), "6 Desember 2026, 14.05 WIB");
        assert_eq!(date_time_id(ts, Zone::Wita), "6 Desember 2026, 15.05 WITA");
        assert_eq!(date_time_en(ts, Zone::Wit), "6 December 2026, 16:05 WIT");
        assert_eq!(iso8601(ts, Zone::Wib), "2026-12-06T14:05:00+07:00");
        assert_eq!(iso8601(ts + 59, Zone::Wita), "2026-12-06T15:05:59+08:00");
        assert_eq!(
            iso8601(1_796_597_940, Zone::Wit),
            "2026-12-07T07:59:00+09:00"
        );
        // Late evening UTC is the next day in the east.
        assert_eq!(
            date_time_id(1_796_597_940, Zone::Wit),
            "7 Desember 2026, 07.59 WIT"
        );
    }

    #[test]
    fn provinces_map_to_their_zones() {
        assert_eq!(Zone::of_province("ID-JB"), Zone::Wib);
        assert_eq!(Zone::of_province("ID-KB"), Zone::Wib);
        assert_eq!(Zone::of_province("ID-BA"), Zone::Wita);
        assert_eq!(Zone::of_province("ID-SN"), Zone::Wita);
        assert_eq!(Zone::of_province("ID-PA"), Zone::Wit);
        assert_eq!(Zone::of_province("ID-MA"), Zone::Wit);
        assert_eq!(Zone::of_province("??"), Zone::Wib);
    }
}
