//! Typos as Meilisearch counts them, and the words of the catalogue a word that matches nothing
//! is corrected to in the second pass of a search (`search::retry`), or suggested from when even
//! that finds nothing ("Mungkin maksud Anda"). The embedded engine counts the typos of its first
//! pass with `typo_cost` too, so both engines agree on what a typo is. The words also tell the
//! search page whether the last word typed is whole and whether a word is found in brands alone
//! (`retry::as_sent`).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;

use super::config::MinWordSize;
use super::embedded::index_words;
use super::{SearchConfig, SearchDoc, BRAND};

/// Typos the second pass allows when it corrects a word: one from four letters, two from
/// eight. The first pass (`typoTolerance` of `search-config/products.json`) allows none below
/// five letters and none in the English description or place names.
pub const SECOND_PASS: MinWordSize = MinWordSize {
    one_typo: 4,
    two_typos: 8,
};

/// Typos allowed between a word that matches nothing and the words suggested for it when even
/// the second pass found nothing: one from three letters, two from six. Every suggestion is
/// searched before it is shown.
pub const DID_YOU_MEAN: MinWordSize = MinWordSize {
    one_typo: 3,
    two_typos: 6,
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
/// stop words and words holding digits), each with the number of products that hold it, and
/// the words of the synonyms (known words, though no product holds them: "beras").
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashMap<String, u32>,
    /// The words of every attribute but the brand, in order (for the words a word begins).
    own: BTreeSet<String>,
    /// The words of the brands, in order.
    brands: BTreeSet<String>,
    /// The words of the synonyms.
    known: HashSet<String>,
    /// `typoTolerance.enabled`: when it is off, nothing is corrected either.
    typos: bool,
    /// `typoTolerance.disableOnWords`: never corrected.
    exact: HashSet<String>,
}

/// Whether a word of `set` begins with `word` (`word` itself counting with `itself`).
fn begins(set: &BTreeSet<String>, word: &str, itself: bool) -> bool {
    let from = if itself {
        Bound::Included(word)
    } else {
        Bound::Excluded(word)
    };
    set.range::<str, _>((from, Bound::Unbounded))
        .next()
        .is_some_and(|w| w.starts_with(word))
}

impl Lexicon {
    /// The words of `docs` and of the file's synonyms, under the settings of `config`.
    pub fn of_documents<'a>(
        docs: impl IntoIterator<Item = &'a SearchDoc>,
        config: &SearchConfig,
    ) -> Self {
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut own: BTreeSet<String> = BTreeSet::new();
        let mut brands: BTreeSet<String> = BTreeSet::new();
        for doc in docs {
            let mut held: HashSet<String> = HashSet::new();
            for (attribute, text) in [
                ("name", &doc.name),
                ("kind", &doc.kind),
                (BRAND, &doc.brand),
                ("category", &doc.category),
                ("unit_name", &doc.unit_name),
                ("city", &doc.city),
                ("province", &doc.province),
                ("description", &doc.description),
                ("description_en", &doc.description_en),
            ] {
                for word in index_words(text) {
                    if !correctable(&word) || config.is_stop_word(&word) {
                        continue;
                    }
                    if attribute == BRAND {
                        brands.insert(word.clone());
                    } else {
                        own.insert(word.clone());
                    }
                    held.insert(word);
                }
            }
            for word in held {
                *words.entry(word).or_insert(0) += 1;
            }
        }
        let lexicon = Self {
            words,
            own,
            brands,
            known: HashSet::new(),
            typos: config.typo_tolerance.enabled,
            exact: config
                .typo_tolerance
                .disable_on_words
                .iter()
                .cloned()
                .collect(),
        };
        lexicon.with_synonyms(&config.synonyms, config)
    }

    /// Adds the words of `synonyms` (each word and its synonyms) as known words: the
    /// administrators' beside the file's.
    pub fn with_synonyms(
        mut self,
        synonyms: &HashMap<String, Vec<String>>,
        config: &SearchConfig,
    ) -> Self {
        for (word, others) in synonyms {
            for text in std::iter::once(word).chain(others) {
                self.known.extend(
                    index_words(text)
                        .into_iter()
                        .filter(|w| correctable(w) && !config.is_stop_word(w)),
                );
            }
        }
        self
    }

    /// Whether `word` (as the index writes it) is a word of the catalogue or of the synonyms.
    pub fn knows(&self, word: &str) -> bool {
        self.words.contains_key(word) || self.known.contains(word)
    }

    /// Whether the last word of a query, `word` (as the index writes it), is searched whole
    /// rather than as the beginning of a longer word: when it is a word the shop knows ("kopi"
    /// does not find "kopiah", "beras" not "berasal") or no word of the catalogue begins with
    /// it (then only a typo could match as a beginning: "pulsa" would find "Pusat"). Words
    /// holding digits are left as they are.
    pub fn ends_whole(&self, word: &str) -> bool {
        correctable(word)
            && (self.knows(word)
                || !(begins(&self.own, word, false) || begins(&self.brands, word, false)))
    }

    /// Whether the query word `word` (as the index writes it) is found in brands alone:
    /// "wirogunan" (Batik Wirogunan), not "batik", which product names hold too. With
    /// `prefix`, whether words of brands and of nothing else begin with it.
    pub fn only_in_brands(&self, word: &str, prefix: bool) -> bool {
        if prefix {
            begins(&self.brands, word, true) && !begins(&self.own, word, true)
        } else {
            self.brands.contains(word) && !self.own.contains(word)
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
    /// catalogue or of the synonyms already ("beras" is not corrected to "bekas"), is not one
    /// word (as the index splits it), holds a digit, may not have typos, or has no such
    /// neighbour.
    pub fn correct(&self, typed: &str) -> Option<String> {
        let words = index_words(typed);
        let [word] = words.as_slice() else {
            return None;
        };
        if !self.typos || !correctable(word) || self.knows(word) || self.exact.contains(word) {
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

    /// Up to `n` words of the catalogue or of the synonyms near the query word `typed`, within
    /// the typos of `DID_YOU_MEAN`, nearest first (then the words more products hold, then in
    /// alphabetical order): what "did you mean" offers when even the second pass found
    /// nothing. None for a word the shop knows, a word holding digits or not one word.
    pub fn suggestions(&self, typed: &str, n: usize) -> Vec<String> {
        let words = index_words(typed);
        let [word] = words.as_slice() else {
            return Vec::new();
        };
        if !self.typos || !correctable(word) || self.knows(word) || self.exact.contains(word) {
            return Vec::new();
        }
        let letters: Vec<char> = word.chars().collect();
        let max = DID_YOU_MEAN.typos_for(letters.len());
        if max == 0 {
            return Vec::new();
        }
        let synonyms_only = self
            .known
            .iter()
            .filter(|w| !self.words.contains_key(*w))
            .map(|w| (w, 0));
        let mut near: Vec<(u8, u32, &String)> = self
            .words
            .iter()
            .map(|(w, held)| (w, *held))
            .chain(synonyms_only)
            .filter_map(|(candidate, held)| {
                typo_cost(&letters, candidate, max).map(|typos| (typos, held, candidate))
            })
            .collect();
        near.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| b.1.cmp(&a.1))
                .then_with(|| a.2.cmp(b.2))
        });
        near.into_iter()
            .take(n)
            .map(|(_, _, word)| word.clone())
            .collect()
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

    #[test]
    fn a_word_of_the_synonyms_is_known_and_never_corrected_to_another() {
        let config = SearchConfig::built_in();
        let docs = [doc(
            1,
            "Karpet Kain Perca",
            "Karpet dari kain perca bekas.",
            "",
        )];
        let lexicon = Lexicon::of_documents(&docs, &config);
        // "beras" (rice) is no product's word, but the synonyms' ("rice" finds it).
        assert!(lexicon.knows("beras") && lexicon.knows("rice") && lexicon.knows("bekas"));
        assert_eq!(lexicon.correct("beras"), None, "not the used cloth");
        assert_eq!(lexicon.correct("bekaz").as_deref(), Some("bekas"));
        let added = HashMap::from([("tanjak".to_string(), vec!["peci".to_string()])]);
        assert!(!lexicon.knows("tanjak"));
        assert!(lexicon.with_synonyms(&added, &config).knows("tanjak"));
    }

    #[test]
    fn a_last_word_is_whole_when_the_shop_knows_it_or_nothing_begins_with_it() {
        let config = SearchConfig::built_in();
        let docs = [
            doc(1, "Kopi Gayo", "Kopi arabika.", ""),
            doc(2, "Kopiah Hitam", "Kopiah beludru.", ""),
            doc(3, "Songket", "Kain berasal dari Palembang.", ""),
        ];
        let lexicon = Lexicon::of_documents(&docs, &config);
        assert!(lexicon.ends_whole("kopi"), "a word of the catalogue");
        assert!(lexicon.ends_whole("beras"), "a word of the synonyms");
        assert!(lexicon.ends_whole("pulsa"), "no word begins with it");
        assert!(!lexicon.ends_whole("kop"), "kopi and kopiah begin with it");
        assert!(!lexicon.ends_whole("bera"), "berasal begins with it");
        assert!(!lexicon.ends_whole("250g"), "digits are left alone");
    }

    #[test]
    fn a_word_found_in_brands_alone_is_told_apart_from_one_products_hold_too() {
        let config = SearchConfig::built_in();
        let mut egg = doc(1, "Telur Ayam Kampung", "Telur segar.", "");
        egg.brand = "Batik Wirogunan".into();
        let batik = doc(2, "Batik Tulis", "Kain batik tulis.", "");
        let lexicon = Lexicon::of_documents(&[egg, batik], &config);
        assert!(lexicon.only_in_brands("wirogunan", false));
        assert!(lexicon.only_in_brands("wiro", true));
        assert!(
            !lexicon.only_in_brands("batik", false),
            "a product name holds it"
        );
        assert!(!lexicon.only_in_brands("bat", true));
        assert!(!lexicon.only_in_brands("telur", false));
        assert!(!lexicon.only_in_brands("zzqx", false));
    }

    #[test]
    fn suggestions_are_near_words_of_the_catalogue_and_the_synonyms_nearest_first() {
        let config = SearchConfig::built_in();
        let docs = [
            doc(1, "Kopi Gayo", "Kopi arabika.", ""),
            doc(2, "Kopi Robusta", "Kopi sangrai.", ""),
            doc(3, "Lukisan Kanvas", "Lukisan cat minyak.", ""),
        ];
        let lexicon = Lexicon::of_documents(&docs, &config);
        // Three letters get one typo here (none in the second pass).
        assert_eq!(lexicon.suggestions("kpi", 3), ["kopi"]);
        // Two typos from six letters.
        assert_eq!(lexicon.suggestions("lukisaaan", 3), ["lukisan"]);
        // A word of the synonyms is suggested too: searching it tells whether to show it.
        assert!(lexicon
            .suggestions("berass", 3)
            .contains(&"beras".to_string()));
        assert!(lexicon.suggestions("zzqxv", 3).is_empty());
        assert!(lexicon.suggestions("kopi", 3).is_empty(), "a known word");
        assert!(lexicon.suggestions("ko", 3).is_empty(), "two letters");
        assert_eq!(lexicon.suggestions("kpi", 0), Vec::<String>::new());
    }
}
