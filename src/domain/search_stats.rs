//! What the shop keeps of the searches on `/cari` (`search_queries`): per day, each query's
//! words as the index reads them, how often it was searched, how often it found nothing, how
//! many it found the last time and how often a product was opened from its results (clicks).
//! Nothing about who searched or clicked. Read by `/kelola/pencarian` (the last
//! `INSIGHT_DAYS` days), purged after `KEEP_DAYS` days.

use chrono::{Days, NaiveDate};

/// Days a day's counts are kept.
pub const KEEP_DAYS: u64 = 90;
/// Days the administrators' page adds up.
pub const INSIGHT_DAYS: u64 = 30;
/// Longest query kept, in characters (longer ones are cut at a word).
pub const QUERY_MAX: usize = 100;
/// Searches that found something a query needs before its clicks are judged.
pub const LOW_CLICK_MIN_SEARCHES: i64 = 5;
/// Click-through, in per cent, below which a query's results are opened too rarely.
pub const LOW_CLICK_PERCENT: i64 = 10;

/// Whether a `User-Agent` names a crawler, a link checker or a script: their searches are not
/// counted. A browser's, or none at all, counts.
pub fn is_crawler(user_agent: &str) -> bool {
    const MARKS: [&str; 14] = [
        "bot",
        "crawl",
        "spider",
        "slurp",
        "facebookexternalhit",
        "embedly",
        "preview",
        "headless",
        "lighthouse",
        "curl/",
        "wget/",
        "python-",
        "go-http-client",
        "java/",
    ];
    let ua = user_agent.to_ascii_lowercase();
    MARKS.iter().any(|m| ua.contains(m))
}

/// The query as counted: its words (as the index stores them) joined by one space, cut at a
/// word to at most `QUERY_MAX` characters; None when no word is left.
pub fn counted_query(words: &[String]) -> Option<String> {
    let mut out = String::new();
    for word in words {
        let extra = word.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > QUERY_MAX {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// The word a synonym for a counted query is offered for: its first word.
pub fn synonym_word(query: &str) -> &str {
    query.split(' ').next().unwrap_or_default()
}

/// Whether a query searched `searches` times, `zero_results` of which found nothing, whose
/// results were opened `clicks` times, is a low-click query: at least `LOW_CLICK_MIN_SEARCHES`
/// searches found something and fewer than `LOW_CLICK_PERCENT` per cent of those led to a
/// product. `models::search_query::low_click_queries` asks the database the same.
pub fn is_low_click(searches: i64, zero_results: i64, clicks: i64) -> bool {
    let found = searches - zero_results;
    found >= LOW_CLICK_MIN_SEARCHES && clicks * 100 < found * LOW_CLICK_PERCENT
}

/// Click-through in tenths of a per cent, rounded half up: products opened per search that
/// found something (several may be opened from one search, so it can pass 100 %). None when
/// no search found anything.
pub fn click_through_tenths(searches: i64, zero_results: i64, clicks: i64) -> Option<i64> {
    let found = searches - zero_results;
    (found > 0).then(|| (clicks.max(0) * 1000 + found / 2) / found)
}

/// The first day whose counts are kept on `today`: older days are purged.
pub fn keep_from(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(KEEP_DAYS - 1))
        .unwrap_or(today)
}

/// The first day the administrators' page adds up on `today`.
pub fn insight_from(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_days(Days::new(INSIGHT_DAYS - 1))
        .unwrap_or(today)
}

/// What one query was searched on one day, not yet written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PendingCount {
    pub searches: i32,
    pub zero_results: i32,
    /// What its latest search found.
    pub last_count: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawlers_are_told_apart_from_browsers_and_a_missing_user_agent_counts() {
        assert!(is_crawler(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        ));
        assert!(is_crawler("curl/8.5.0"));
        assert!(is_crawler("python-requests/2.31"));
        assert!(!is_crawler(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
        ));
        assert!(!is_crawler(""));
    }

    #[test]
    fn a_counted_query_is_its_words_cut_at_a_word() {
        let words = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(counted_query(&words("kopi gayo")).unwrap(), "kopi gayo");
        assert_eq!(counted_query(&[]), None);
        let long = words(&"kata ".repeat(40));
        let cut = counted_query(&long).unwrap();
        assert!(
            cut.chars().count() <= QUERY_MAX && cut.ends_with("kata"),
            "{cut}"
        );
        assert_eq!(synonym_word("kopiah hitam"), "kopiah");
    }

    #[test]
    fn a_query_is_low_click_when_five_searches_found_something_and_under_a_tenth_led_to_a_product()
    {
        assert!(is_low_click(12, 0, 1), "1 of 12 is 8.3 %");
        assert!(!is_low_click(10, 0, 1), "1 of 10 is 10 %");
        assert!(!is_low_click(4, 0, 0), "too few searches to judge");
        assert!(!is_low_click(8, 4, 0), "only 4 searches found something");
        assert!(is_low_click(9, 4, 0));
        assert_eq!(click_through_tenths(12, 0, 1), Some(83));
        assert_eq!(click_through_tenths(12, 2, 1), Some(100));
        assert_eq!(click_through_tenths(3, 0, 6), Some(2000));
        assert_eq!(click_through_tenths(3, 3, 0), None);
    }

    #[test]
    fn counts_are_kept_ninety_days_and_thirty_are_shown() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(
            keep_from(today),
            NaiveDate::from_ymd_opt(2026, 10, 3).unwrap()
        );
        assert_eq!(
            insight_from(today),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
    }
}
