//! View-models of the administrators' search pages: the synonyms they add
//! (`/kelola/sinonim`, `templates/pages/staff/synonyms.html`) and what shoppers searched
//! (`/kelola/pencarian`, `templates/pages/staff/search_insights.html`).

use serde::Serialize;

use crate::domain::search_stats::{self, INSIGHT_DAYS};
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
    /// The word the "add a synonym" form is filled in with.
    pub word: String,
}

impl From<&QueryTally> for QueryView {
    fn from(t: &QueryTally) -> Self {
        Self {
            query: t.query.clone(),
            searches: t.searches,
            zero_results: t.zero_results,
            last_count: t.last_count,
            word: search_stats::synonym_word(&t.query).to_string(),
        }
    }
}

/// `search_insights.html`: over the last `days` days, the queries that found nothing most
/// often (each with a form that adds a synonym for its word) and those searched most often.
#[derive(Debug, Serialize)]
pub struct SearchInsightsPage {
    pub days: u64,
    pub zero_results: Vec<QueryView>,
    pub most_searched: Vec<QueryView>,
    pub word_max: usize,
}

impl SearchInsightsPage {
    pub fn new(zero_results: &[QueryTally], most_searched: &[QueryTally]) -> Self {
        Self {
            days: INSIGHT_DAYS,
            zero_results: zero_results.iter().map(QueryView::from).collect(),
            most_searched: most_searched.iter().map(QueryView::from).collect(),
            word_max: WORD_MAX,
        }
    }
}
