//! View-models of the administrators' search pages: the synonyms they add
//! (`/kelola/sinonim`, `templates/pages/staff/synonyms.html`) and what shoppers searched
//! (`/kelola/pencarian`, `templates/pages/staff/search_insights.html`).

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::impact::day_text;
use crate::domain::search_stats::{self, INSIGHT_DAYS, LOW_CLICK_MIN_SEARCHES, LOW_CLICK_PERCENT};
use crate::domain::synonyms::{SynonymForm, SYNONYMS_MAX, WORD_MAX};
use crate::domain::time::Zone;
use crate::domain::FieldErrors;
use crate::i18n::Lang;
use crate::models::search_query::QueryTally;
use crate::models::search_synonym::SynonymRow;

/// An entry of the list.
#[derive(Debug, Serialize)]
pub struct SynonymView {
    pub id: i32,
    pub word: String,
    /// The synonyms, joined by ", ".
    pub synonyms: String,
    /// Each synonym also finds the word (and the others).
    pub two_way: bool,
    /// When it was added, in WIB.
    pub added: String,
}

/// `synonyms.html`: the entries, each with its remove button, and the form for a new one (what
/// was typed and what is wrong with it).
#[derive(Debug, Serialize)]
pub struct SynonymsPage<'a> {
    pub synonyms: Vec<SynonymView>,
    pub form: &'a SynonymForm,
    pub two_way: bool,
    pub errors: &'a FieldErrors,
    pub word_max: usize,
    pub synonyms_max: usize,
}

impl<'a> SynonymsPage<'a> {
    pub fn new(
        lang: Lang,
        rows: &[SynonymRow],
        form: &'a SynonymForm,
        errors: &'a FieldErrors,
    ) -> Self {
        Self {
            synonyms: rows
                .iter()
                .map(|row| {
                    let entry = row.entry();
                    SynonymView {
                        id: row.id,
                        word: entry.word,
                        synonyms: entry.synonyms.join(", "),
                        two_way: entry.two_way,
                        added: lang.date_time(row.created_at, Zone::Wib),
                    }
                })
                .collect(),
            two_way: form.is_two_way(),
            form,
            errors,
            word_max: WORD_MAX,
            synonyms_max: SYNONYMS_MAX,
        }
    }
}

/// A query of the last days, added up.
#[derive(Debug, Serialize)]
pub struct QueryView {
    pub query: String,
    pub searches: i64,
    pub zero_results: i64,
    /// What its latest search found.
    pub last_count: i64,
    /// Products opened from its results.
    pub clicks: i64,
    /// Products opened per search that found something, as the reader's language writes a
    /// share ("8,3%", "8.3%"); empty when no search found anything.
    pub click_through: String,
    /// The word the "add a synonym" form is filled in with.
    pub word: String,
}

impl QueryView {
    pub fn new(lang: Lang, t: &QueryTally) -> Self {
        Self {
            query: t.query.clone(),
            searches: t.searches,
            zero_results: t.zero_results,
            last_count: t.last_count,
            clicks: t.clicks,
            click_through: search_stats::click_through_tenths(t.searches, t.zero_results, t.clicks)
                .map(|tenths| share(lang, tenths))
                .unwrap_or_default(),
            word: search_stats::synonym_word(&t.query).to_string(),
        }
    }
}

/// A share given in tenths of a per cent as `lang` writes it: "8,3%" or "8.3%", "50%".
fn share(lang: Lang, tenths: i64) -> String {
    let mark = match lang {
        Lang::Id => ',',
        Lang::En => '.',
    };
    match tenths % 10 {
        0 => format!("{}%", tenths / 10),
        rest => format!("{}{mark}{rest}%", tenths / 10),
    }
}

/// `search_insights.html`: over the last `days` days (`first_day` to `last_day`, WIB), the
/// queries that found nothing most often (each with a form that adds a synonym for its word),
/// those whose results are rarely opened (`search_stats::is_low_click`, the same form), and
/// those searched most often.
#[derive(Debug, Serialize)]
pub struct SearchInsightsPage {
    pub days: u64,
    /// The first and last day added up, `YYYY-MM-DD` (shown with `date_range`).
    pub first_day: String,
    pub last_day: String,
    pub zero_results: Vec<QueryView>,
    pub low_clicks: Vec<QueryView>,
    pub most_searched: Vec<QueryView>,
    /// What makes a query low-click: searches that found something, and the click-through
    /// under which it is listed (in per cent).
    pub low_click_searches: i64,
    pub low_click_percent: i64,
    pub word_max: usize,
}

/// What the insights page lists, as the models read it.
pub struct Tallies<'a> {
    pub zero_results: &'a [QueryTally],
    pub low_clicks: &'a [QueryTally],
    pub most_searched: &'a [QueryTally],
}

impl SearchInsightsPage {
    /// The tallies of the WIB days `from` to `to`.
    pub fn new(lang: Lang, from: NaiveDate, to: NaiveDate, tallies: &Tallies<'_>) -> Self {
        let views = |rows: &[QueryTally]| -> Vec<QueryView> {
            rows.iter().map(|t| QueryView::new(lang, t)).collect()
        };
        Self {
            days: INSIGHT_DAYS,
            first_day: day_text(from),
            last_day: day_text(to),
            zero_results: views(tallies.zero_results),
            low_clicks: views(tallies.low_clicks),
            most_searched: views(tallies.most_searched),
            low_click_searches: LOW_CLICK_MIN_SEARCHES,
            low_click_percent: LOW_CLICK_PERCENT,
            word_max: WORD_MAX,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_through_is_written_with_the_readers_decimal_mark() {
        assert_eq!(share(Lang::Id, 83), "8,3%");
        assert_eq!(share(Lang::En, 83), "8.3%");
        assert_eq!(share(Lang::Id, 500), "50%");
        assert_eq!(share(Lang::En, 0), "0%");
    }
}
