//! Typos as Meilisearch counts them, and the words of the catalogue a word that matches nothing
//! is corrected to in the second pass of a search (`search::retry`). The embedded engine counts
//! the typos of its first pass with `typo_cost` too, so both engines agree on what a typo is.

use std::collections::{HashMap, HashSet};

use super::config::MinWordSize;
use super::embedded::index_words;
use super::{SearchConfig, SearchDoc};

/// Typos the second pass allows when it corrects a word: one from four letters, two from
/// eight. The first pass (`typoTolerance` of `search-config/products.json`) allows none below
/// five letters and none in the English description or place names.
pub const SECOND_PASS: MinWordSize = MinWordSize {
    one_typo: 4,
    two_typos: 8,
};

/// Edits between `a` and `b`: insertions, deletions, substitutions and swaps of two
/// neighbouring letters, each one edit (the "optimal string alignment" distance, as the
/// Levenshtein automata of Meilisearch and tantivy count with transpositions).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let w = b.len() + 1;
    // d[i * w + j]: edits between the first i letters of a and the first j of b.
    let mut d: Vec<usize> = (0..(a.len() + 1) * w)
        .map(|k| {
            if k < w {
                k
            } else if k.is_multiple_of(w) {
                k / w
            } else {
                0
            }
        })
        .collect();
    for i in 1..=a.len() {
        for j in 1..w {
            let at = i * w + j;
            let substitution = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[at - w] + 1)
                .min(d[at - 1] + 1)
                .min(d[at - w - 1] + substitution);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[at - 2 * w - 2] + 1);
            }
            d[at] = best;
        }
    }
    d[a.len() * w + b.len()]
}

fn cost(typed: &[char], word: &[char], max: u8) -> Option<u8> {
    if typed.len().abs_diff(word.len()) > usize::from(max) {
        return None;
    }
    // A typo on the first letter counts twice (Meilisearch: a word of one typo must begin
    // with the letter typed).
    let first_differs = usize::from(typed.first() != word.first());
    u8::try_from(edit_distance(typed, word) + first_differs)
        .ok()
        .filter(|c| *c <= max)
}

/// Typos between the query word `typed` (its letters) and the indexed word `word`, as
/// Meilisearch counts them: the edits between them, and one more when their first letters
/// differ. `None` beyond `max`.
pub fn typo_cost(typed: &[char], word: &str, max: u8) -> Option<u8> {
    if typed.len().abs_diff(word.chars().count()) > usize::from(max) {
        return None;
    }
    let word: Vec<char> = word.chars().collect();
    cost(typed, &word, max)
}

/// Typos between `typed` and the nearest beginning of `word`: the last word of a query, which
/// may be the beginning of a longer word. Counted as `typo_cost` does.
pub fn prefix_typo_cost(typed: &[char], word: &str, max: u8) -> Option<u8> {
    let word: Vec<char> = word.chars().collect();
    let shortest = typed.len().saturating_sub(usize::from(max));
    let longest = (typed.len() + usize::from(max)).min(word.len());
    (shortest..=longest)
        .filter_map(|n| cost(typed, &word[..n], max))
        .min()
}

/// A word the second pass corrects or corrects to: two letters or more, no digits.
fn correctable(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(char::is_alphabetic)
}

/// The words of the catalogue (every searchable attribute, as the index writes them, without
/// stop words and words holding digits), each with the number of products that hold it.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashMap<String, u32>,
    /// `typoTolerance.enabled`: when it is off, nothing is corrected either.
    typos: bool,
    /// `typoTolerance.disableOnWords`: never corrected.
    exact: HashSet<String>,
}

impl Lexicon {
    /// The words of `docs`, under the settings of `config`.
    pub fn of_documents<'a>(
        docs: impl IntoIterator<Item = &'a SearchDoc>,
        config: &SearchConfig,
    ) -> Self {
        let mut words: HashMap<String, u32> = HashMap::new();
        for doc in docs {
            let mut held: HashSet<String> = HashSet::new();
            for text in [
                &doc.name,
                &doc.kind,
                &doc.brand,
                &doc.category,
                &doc.unit_name,
                &doc.city,
                &doc.province,
                &doc.description,
                &doc.description_en,
            ] {
                held.extend(
                    index_words(text)
                        .into_iter()
                        .filter(|w| correctable(w) && !config.is_stop_word(w)),
                );
            }
            for word in held {
                *words.entry(word).or_insert(0) += 1;
            }
        }
        Self {
            words,
            typos: config.typo_tolerance.enabled,
            exact: config
                .typo_tolerance
                .disable_on_words
                .iter()
                .cloned()
                .collect(),
        }
    }

    /// How many different words the catalogue holds.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The word of the catalogue nearest to the query word `typed`, within the typos of
    /// `SECOND_PASS` counted as `typo_cost` does: fewest typos first, then the word most
    /// products hold, then the first in alphabetical order. `None` when `typed` is a word of the
    /// catalogue already, is not one word (as the index splits it), holds a digit, may not have
    /// typos, or has no such neighbour.
    pub fn correct(&self, typed: &str) -> Option<String> {
        let words = index_words(typed);
        let [word] = words.as_slice() else {
            return None;
        };
        if !self.typos
            || !correctable(word)
            || self.words.contains_key(word)
            || self.exact.contains(word)
        {
            return None;
        }
        let letters: Vec<char> = word.chars().collect();
        let max = SECOND_PASS.typos_for(letters.len());
        if max == 0 {
            return None;
        }
        self.words
            .iter()
            .filter_map(|(candidate, held)| {
                typo_cost(&letters, candidate, max).map(|typos| (typos, *held, candidate))
            })
            .min_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| b.1.cmp(&a.1))
                    .then_with(|| a.2.cmp(b.2))
            })
            .map(|(_, _, word)| word.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(word: &str) -> Vec<char> {
        word.chars().collect()
    }

    fn doc(id: i64, name: &str, description: &str, description_en: &str) -> SearchDoc {
        SearchDoc {
            id,
            slug: format!("p-{id}"),
            name: name.into(),
            kind: String::new(),
            brand: "Karya Kerobokan".into(),
            category: "Kuliner".into(),
            unit_name: "Lapas Kelas IIA Kerobokan".into(),
            unit_slug: "lapas-kerobokan".into(),
            city: "Kerobokan".into(),
            province: "Bali".into(),
            description: description.into(),
            description_en: description_en.into(),
            certifications: Vec::new(),
            price: 10_000,
            price_band: "0-50000".into(),
            in_stock: true,
            created_at: 0,
            popularity: 0,
        }
    }

    #[test]
    fn typos_are_counted_as_meilisearch_counts_them() {
        assert_eq!(typo_cost(&letters("kopu"), "kopi", 1), Some(1));
        assert_eq!(typo_cost(&letters("batk"), "batik", 1), Some(1));
        assert_eq!(typo_cost(&letters("sabnu"), "sabun", 1), Some(1), "a swap");
        assert_eq!(typo_cost(&letters("kopi"), "kopi", 1), Some(0));
        assert_eq!(typo_cost(&letters("tremsi"), "trembesi", 1), None);
        // A different first letter costs two typos.
        assert_eq!(typo_cost(&letters("jukisan"), "lukisan", 1), None);
        assert_eq!(typo_cost(&letters("jukisan"), "lukisan", 2), Some(2));
        assert_eq!(typo_cost(&letters("ukisan"), "lukisan", 2), Some(2));
        assert_eq!(
            prefix_typo_cost(&letters("hidropn"), "hidroponik", 1),
            Some(1)
        );
        assert_eq!(
            prefix_typo_cost(&letters("hidrop"), "hidroponik", 1),
            Some(0)
        );
        assert_eq!(
            prefix_typo_cost(&letters("hidrpon"), "hidroponik", 1),
            Some(1)
        );
        assert_eq!(prefix_typo_cost(&letters("kursi"), "kur", 1), None);
    }

    #[test]
    fn a_word_of_the_catalogue_near_enough_corrects_one_that_matches_nothing() {
        let config = SearchConfig::built_in();
        let docs = [
            doc(
                1,
                "Kopi Bubuk Gayo",
                "Kopi arabika gayo.",
                "Ground Gayo coffee.",
            ),
            doc(2, "Kopi Robusta", "Biji kopi robusta.", ""),
            doc(3, "Batik Tulis", "Kain batik tulis dan pewarna alam.", ""),
            doc(4, "Kopiah Hitam", "Kopiah beludru.", ""),
        ];
        let lexicon = Lexicon::of_documents(&docs, &config);
        assert!(!lexicon.is_empty());
        // Four letters: one typo in the second pass (none in the first).
        assert_eq!(lexicon.correct("kopu").as_deref(), Some("kopi"));
        assert_eq!(lexicon.correct("Batk").as_deref(), Some("batik"));
        // The English description and place names count too.
        assert_eq!(lexicon.correct("cofee").as_deref(), Some("coffee"));
        assert_eq!(lexicon.correct("kerobkan").as_deref(), Some("kerobokan"));
        // Known words, short words, numbers, several words and far words are left alone.
        assert_eq!(lexicon.correct("kopi"), None);
        assert_eq!(lexicon.correct("kpi"), None, "three letters get no typo");
        assert_eq!(lexicon.correct("250g"), None);
        assert_eq!(lexicon.correct("p-irt"), None);
        assert_eq!(lexicon.correct("zzqx"), None);
        assert_eq!(
            lexicon.correct("dann"),
            None,
            "stop words are not words to correct to"
        );
        // A different first letter costs two typos: not for a word of four letters.
        assert_eq!(lexicon.correct("lopi"), None);
    }

    #[test]
    fn the_nearest_word_wins_then_the_word_more_products_hold() {
        let config = SearchConfig::built_in();
        let docs = [
            doc(1, "Kopi Gayo", "", ""),
            doc(2, "Kopi Toraja", "", ""),
            doc(3, "Kapi Hias", "", ""),
        ];
        let lexicon = Lexicon::of_documents(&docs, &config);
        // "kopu" is one typo from "kopi"; "kapi" is two, beyond the one a word of four letters
        // may have.
        assert_eq!(lexicon.correct("kopu").as_deref(), Some("kopi"));
        // "kxpi" is one typo from both: "kopi" is held by more products.
        assert_eq!(lexicon.correct("kxpi").as_deref(), Some("kopi"));
    }
}
