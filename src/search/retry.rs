//! The second pass of a search, the same whichever the engine: when the words of a query
//! together find nothing (under `matchingStrategy` `all`, every word must match, without typos
//! on words of four letters or fewer, in the English description or in place names), each word
//! is asked about alone. A word that alone matches nothing is spelled as the nearest word of
//! the catalogue (`spelling::Lexicon`, with the looser typos of `spelling::SECOND_PASS`) or left
//! out, wherever it stands; when the words left still find nothing together, words are left out
//! from the end (Indonesian puts the head noun first) until something is found. The page says
//! what was searched instead (`domain::query::WordsDropped`).

use futures_util::future::join_all;

use super::embedded::index_words;
use super::spelling::Lexicon;
use super::{SearchConfig, SearchEngine, SearchRequest, SearchResults};
use crate::domain::query::{Mended, WordsDropped};

/// At most this many words are asked about one by one (the rest are kept).
const WORDS_CHECKED: usize = 6;
/// At most this many words are left out from the end.
const WORDS_SHORTENED: usize = 5;

/// What the second pass found, and what it searched.
#[derive(Debug, Clone, PartialEq)]
pub struct Retried {
    pub results: SearchResults,
    pub searched: WordsDropped,
}

/// Whether a word typed is a stop word of the settings.
fn is_stop_word(config: &SearchConfig, typed: &str) -> bool {
    matches!(index_words(typed).as_slice(), [word] if config.is_stop_word(word))
}

/// The second pass for `request`, whose words together found nothing: what it finds and what
/// it searched, or `None` when there were no words, every word alone matches nothing and none
/// could be corrected (nothing is shown, as for any query that finds nothing), or nothing
/// mended finds anything. Stop words are kept as typed (the engines leave them out). An engine
/// failure on a word alone keeps the word; on a search of mended words, the next is tried.
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
        // word too, the others whole (a query ending with a space ends with a whole word).
        let alone: Vec<SearchRequest> = asked
            .iter()
            .map(|i| SearchRequest {
                text: if *i + 1 == words.len() {
                    words[*i].clone()
                } else {
                    format!("{} ", words[*i])
                },
                page: 1,
                per_page: 1,
                facets: false,
                relaxed: false,
                ..request.clone()
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
        if let Some(found) = search_mended(engine, request, &mended).await {
            return Some(found);
        }
    }
    for _ in 0..WORDS_SHORTENED {
        if !mended.drop_last() {
            break;
        }
        if let Some(found) = search_mended(engine, request, &mended).await {
            return Some(found);
        }
    }
    None
}

/// `request` with the words of `mended`, when it finds something.
async fn search_mended(
    engine: &dyn SearchEngine,
    request: &SearchRequest,
    mended: &Mended,
) -> Option<Retried> {
    let again = SearchRequest {
        text: mended.words().join(" "),
        ..request.clone()
    };
    let results = engine.search(&again).await.ok()?;
    (results.total > 0).then(|| Retried {
        results,
        searched: mended.note(),
    })
}
