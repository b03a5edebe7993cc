//! The search page's passes, the same whichever the engine (`page_search`).
//!
//! The first pass sends the words as typed (`as_sent`), with two decisions made from the words
//! of the catalogue and the synonyms (`spelling::Lexicon`): the last word is matched whole
//! when the shop knows it or no word of the catalogue begins with it ("kopi" does not find
//! "kopiah", "beras" not "berasal", "pulsa" not "Pusat" by a typo on its beginning), and the
//! brand is searched only for a word found in brands alone ("wirogunan"; "batik" does not find
//! the eggs of Batik Wirogunan).
//!
//! The second pass (`after_nothing_found`): when the words together find nothing (under
//! `matchingStrategy` `all`, every word must match, without typos on words of five letters
//! or fewer, in the English description or in place names), each word is asked about alone. A
//! word that alone matches nothing is spelled as the nearest word of the catalogue
//! (`spelling::Lexicon`, with the looser typos of `spelling::SECOND_PASS`) or left out,
//! wherever it stands; when the words left still find nothing together, words are left out from
//! the end (Indonesian puts the head noun first) until something is found. Amounts and units
//! alone ("5 kg") and stop words alone are not searched. The page says what was searched
//! instead (`domain::query::WordsDropped`).
//!
//! When even that finds nothing, the page offers queries respelled from words of the catalogue
//! and the synonyms (`did_you_mean`), each searched first: never a product that is not found.

use futures_util::future::join_all;

use super::embedded::index_words;
use super::spelling::Lexicon;
use super::{SearchConfig, SearchEngine, SearchError, SearchRequest, SearchResults, SearchSort};
use crate::domain::query::{is_quantity, respellings, Mended, Respelling, WordsDropped};
use crate::domain::search::{varied_order, SAME_NAME_IN_A_ROW};

/// At most this many words are asked about one by one (the rest are kept).
const WORDS_CHECKED: usize = 6;
/// At most this many words are left out from the end.
const WORDS_SHORTENED: usize = 5;
/// At most this many queries are offered when nothing was found.
const RESPELLINGS: usize = 3;

/// What the second pass found, and what it searched.
#[derive(Debug, Clone, PartialEq)]
pub struct Retried {
    pub results: SearchResults,
    pub searched: WordsDropped,
}

/// What the search page shows for a request.
#[derive(Debug, Clone, PartialEq)]
pub struct PageResults {
    /// The first pass's results, or the second pass's when the first found nothing; on the
    /// first page, ordered by relevance, no more than `SAME_NAME_IN_A_ROW` of a name in a row.
    pub results: SearchResults,
    /// What the second pass searched instead of the words typed.
    pub searched: Option<WordsDropped>,
    /// Queries to offer ("Mungkin maksud Anda"), each found to find something; only when
    /// nothing was found.
    pub respellings: Vec<Respelling>,
}

/// Searches `request` as the search page does: the first pass, the second when the first
/// found nothing, the queries to offer when that found nothing either, and the first page
/// varied. An engine failure on the first pass is the answer; later failures count as nothing
/// found.
pub async fn page_search(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
    lexicon: &Lexicon,
) -> Result<PageResults, SearchError> {
    let mut results = engine.search(&as_sent(request, lexicon)).await?;
    let mut searched = None;
    let mut offered = Vec::new();
    if results.total == 0 && !request.text.is_empty() {
        match after_nothing_found(engine, request, lexicon).await {
            Some(retried) => {
                results = retried.results;
                searched = Some(retried.searched);
            }
            None => offered = did_you_mean(engine, request, lexicon).await,
        }
    }
    if request.page <= 1 && request.sort == SearchSort::Relevance {
        vary(&mut results);
    }
    Ok(PageResults {
        results,
        searched,
        respellings: offered,
    })
}

/// No more than `SAME_NAME_IN_A_ROW` hits of the same name in a row
/// (`domain::search::varied_order`).
fn vary(results: &mut SearchResults) {
    let names: Vec<&str> = results.hits.iter().map(|h| h.name.as_str()).collect();
    let order = varied_order(&names, SAME_NAME_IN_A_ROW);
    let mut hits: Vec<Option<super::Hit>> = results.hits.drain(..).map(Some).collect();
    results.hits = order.into_iter().filter_map(|i| hits[i].take()).collect();
}

/// `request` as the search page sends it to an engine: its last word whole (a space after
/// it) when `lexicon` says so (`Lexicon::ends_whole`), and the brand searched only when a word
/// is found in brands alone (`Lexicon::only_in_brands`).
pub fn as_sent(request: &SearchRequest, lexicon: &Lexicon) -> SearchRequest {
    let words = index_words(&request.text);
    let Some(last) = words.last() else {
        return request.clone();
    };
    let mut sent = request.clone();
    let mut open = !request.text.ends_with(char::is_whitespace);
    if open && lexicon.ends_whole(last) {
        sent.text.push(' ');
        open = false;
    }
    let end = words.len() - 1;
    sent.brand = words
        .iter()
        .enumerate()
        .any(|(i, word)| lexicon.only_in_brands(word, open && i == end));
    sent
}

/// Whether a word typed is a stop word of the settings.
fn is_stop_word(config: &SearchConfig, typed: &str) -> bool {
    matches!(index_words(typed).as_slice(), [word] if config.is_stop_word(word))
}

/// Whether `words` hold something to search for: a word that is neither a stop word nor an
/// amount or a unit alone.
fn worth_searching(config: &SearchConfig, words: &[String]) -> bool {
    words
        .iter()
        .any(|w| !is_quantity(w) && !is_stop_word(config, w))
}

/// The second pass for `request`, whose words together found nothing: what it finds and what
/// it searched, or `None` when there were no words, every word alone matches nothing and none
/// could be corrected (nothing is shown, as for any query that finds nothing), only amounts,
/// units and stop words are left, or nothing mended finds anything. Stop words are kept as
/// typed (the engines leave them out). An engine failure on a word alone keeps the word; on a
/// search of mended words, the next is tried.
pub async fn after_nothing_found(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
    lexicon: &Lexicon,
) -> Option<Retried> {
    let words: Vec<String> = request
        .text
        .split_whitespace()
        .map(str::to_string)
        .collect();
    if words.is_empty() {
        return None;
    }
    let config = engine.config();
    let mut matched = vec![true; words.len()];
    if let [only] = words.as_slice() {
        // The query itself found nothing.
        matched[0] = is_stop_word(config, only);
    } else {
        let asked: Vec<usize> = (0..words.len())
            .filter(|i| !is_stop_word(config, &words[*i]))
            .take(WORDS_CHECKED)
            .collect();
        // A word is asked about as the query matches it: the last as the beginning of a longer
        // word too (unless it is whole), the others whole.
        let alone: Vec<SearchRequest> = asked
            .iter()
            .map(|i| {
                let text = if *i + 1 == words.len() {
                    words[*i].clone()
                } else {
                    format!("{} ", words[*i])
                };
                let one = SearchRequest {
                    text,
                    page: 1,
                    per_page: 1,
                    facets: false,
                    relaxed: false,
                    ..request.clone()
                };
                as_sent(&one, lexicon)
            })
            .collect();
        let answers = join_all(alone.iter().map(|r| engine.search(r))).await;
        for (i, answer) in asked.iter().zip(&answers) {
            matched[*i] = !matches!(answer, Ok(r) if r.total == 0);
        }
    }
    let corrections: Vec<Option<String>> = words
        .iter()
        .zip(&matched)
        .map(|(word, matched)| {
            if *matched {
                None
            } else {
                lexicon.correct(word)
            }
        })
        .collect();
    let mut mended = Mended::new(&words, &matched, &corrections);
    if mended.words().is_empty() {
        return None;
    }
    if mended.changed() {
        if let Some(found) = search_mended(engine, request, &mended, lexicon).await {
            return Some(found);
        }
    }
    for _ in 0..WORDS_SHORTENED {
        if !mended.drop_last() {
            break;
        }
        if let Some(found) = search_mended(engine, request, &mended, lexicon).await {
            return Some(found);
        }
    }
    None
}

/// `request` with the words of `mended`, when they are worth searching and find something.
async fn search_mended(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
    mended: &Mended,
    lexicon: &Lexicon,
) -> Option<Retried> {
    let words = mended.words();
    if !worth_searching(engine.config(), &words) {
        return None;
    }
    let again = SearchRequest {
        text: words.join(" "),
        ..request.clone()
    };
    let results = engine.search(&as_sent(&again, lexicon)).await.ok()?;
    (results.total > 0).then(|| Retried {
        results,
        searched: mended.note(),
    })
}

/// Queries to offer for `request`, which found nothing even in the second pass: each word the
/// shop does not know respelled as a word of the catalogue or of the synonyms near it
/// (`Lexicon::suggestions`) or left out, the other words kept; at most `RESPELLINGS`, and only
/// those that find something with the request's filters.
pub async fn did_you_mean(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
    lexicon: &Lexicon,
) -> Vec<Respelling> {
    let config = engine.config();
    let words: Vec<String> = request
        .text
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // The first words only, as the second pass asks about them (the rest are kept).
    let near: Vec<Option<Vec<String>>> = words
        .iter()
        .enumerate()
        .map(|(i, typed)| match index_words(typed).as_slice() {
            [word]
                if i < WORDS_CHECKED
                    && word.chars().count() >= 2
                    && word.chars().all(char::is_alphabetic)
                    && !lexicon.knows(word)
                    && !config.is_stop_word(word) =>
            {
                Some(lexicon.suggestions(typed, RESPELLINGS))
            }
            _ => None,
        })
        .collect();
    let candidates: Vec<(Respelling, SearchRequest)> = respellings(&words, &near, RESPELLINGS)
        .into_iter()
        .filter_map(|respelling| {
            let text = respelling.apply(&request.text);
            let probe = SearchRequest {
                text,
                page: 1,
                per_page: 1,
                facets: false,
                relaxed: false,
                ..request.clone()
            };
            let words: Vec<String> = probe.text.split_whitespace().map(str::to_string).collect();
            worth_searching(config, &words).then(|| (respelling, as_sent(&probe, lexicon)))
        })
        .collect();
    let answers = join_all(candidates.iter().map(|(_, probe)| engine.search(probe))).await;
    candidates
        .into_iter()
        .zip(answers)
        .filter(|(_, answer)| matches!(answer, Ok(r) if r.total > 0))
        .map(|((respelling, _), _)| respelling)
        .collect()
}
