//! `search-config/products.json`: Meilisearch index settings, read by both engines.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde::Deserialize;

use crate::domain::query::Vocabulary;
use crate::domain::synonyms::{self, SynonymEntry};
use crate::error::AppError;

/// The file as built into the binary, used when the configured path does not exist.
const BUILT_IN: &str = include_str!("../../search-config/products.json");

/// What the search page understands in a query (`domain::query`), beside the index settings.
pub const UNDERSTANDING_FILE: &str = "understanding.json";

/// `understanding.json` in the folder of the index settings (`SEARCH_CONFIG`), or the built-in
/// copy when it does not exist. A file that exists but does not parse stops start-up with the
/// reason.
pub fn load_vocabulary(search_config: &Path) -> Result<Vocabulary, AppError> {
    let path = search_config.with_file_name(UNDERSTANDING_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Vocabulary::parse(&text)
            .map_err(|e| AppError::Config(format!("search understanding {}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vocabulary::built_in()),
        Err(e) => Err(AppError::Config(format!(
            "search understanding {}: {e}",
            path.display()
        ))),
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchConfig {
    pub searchable_attributes: Vec<String>,
    pub filterable_attributes: Vec<String>,
    pub sortable_attributes: Vec<String>,
    #[serde(default)]
    pub ranking_rules: Vec<String>,
    #[serde(default)]
    pub synonyms: HashMap<String, Vec<String>>,
    #[serde(default)]
    pub stop_words: Vec<String>,
    #[serde(default)]
    pub typo_tolerance: TypoTolerance,
    #[serde(default)]
    pub faceting: Faceting,
    #[serde(default)]
    pub pagination: Pagination,
    /// Which products a query of several words finds. Not an index setting: Meilisearch gets
    /// it with every search (the SDK leaves the key out of the settings it sends).
    #[serde(default)]
    pub matching_strategy: MatchingStrategy,
    /// The file itself, sent as is to Meilisearch.
    #[serde(skip)]
    pub raw: serde_json::Value,
}

/// Meilisearch's `matchingStrategy`: what a query of several words finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchingStrategy {
    /// Only products matching every word (stop words aside).
    All,
    /// Products matching every word; when there are none, words are left out from the end.
    /// Meilisearch's default.
    #[default]
    Last,
    /// Like `Last`, leaving out the word most products hold first.
    Frequency,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TypoTolerance {
    pub enabled: bool,
    pub min_word_size_for_typos: MinWordSize,
    /// Attributes matched without typos.
    #[serde(default)]
    pub disable_on_attributes: Vec<String>,
    /// Query words matched without typos.
    #[serde(default)]
    pub disable_on_words: Vec<String>,
}

impl Default for TypoTolerance {
    fn default() -> Self {
        Self {
            enabled: true,
            min_word_size_for_typos: MinWordSize::default(),
            disable_on_attributes: Vec::new(),
            disable_on_words: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinWordSize {
    pub one_typo: usize,
    pub two_typos: usize,
}

impl Default for MinWordSize {
    /// Meilisearch's defaults.
    fn default() -> Self {
        Self {
            one_typo: 5,
            two_typos: 9,
        }
    }
}

impl MinWordSize {
    /// Typos allowed in a word of `len` characters.
    pub fn typos_for(&self, len: usize) -> u8 {
        if len >= self.two_typos {
            2
        } else if len >= self.one_typo {
            1
        } else {
            0
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Faceting {
    pub max_values_per_facet: usize,
}

impl Default for Faceting {
    fn default() -> Self {
        Self {
            max_values_per_facet: 100,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub max_total_hits: usize,
}

impl Default for Pagination {
    fn default() -> Self {
        Self {
            max_total_hits: 1000,
        }
    }
}

impl SearchConfig {
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut config: SearchConfig =
            serde_json::from_value(raw.clone()).map_err(|e| e.to_string())?;
        config.raw = raw;
        config.synonyms = config
            .synonyms
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_lowercase(),
                    v.into_iter().map(|s| s.to_lowercase()).collect(),
                )
            })
            .collect();
        config.stop_words = config.stop_words.iter().map(|s| s.to_lowercase()).collect();
        let typos = &mut config.typo_tolerance;
        typos.disable_on_words = typos
            .disable_on_words
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
        Ok(config)
    }

    /// Reads `path`, or the built-in copy when it does not exist. A file that exists but does
    /// not parse stops start-up with the reason.
    pub fn load(path: &Path) -> Result<Self, AppError> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse(&text)
                .map_err(|e| AppError::Config(format!("search config {}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::built_in()),
            Err(e) => Err(AppError::Config(format!(
                "search config {}: {e}",
                path.display()
            ))),
        }
    }

    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).expect("the built-in search config parses")
    }

    /// Typos allowed in a word of `len` characters.
    pub fn typos_for(&self, len: usize) -> u8 {
        let t = &self.typo_tolerance;
        if t.enabled {
            t.min_word_size_for_typos.typos_for(len)
        } else {
            0
        }
    }

    /// Typos allowed in the query word `word` (as the index writes it).
    pub fn typos_for_word(&self, word: &str) -> u8 {
        if self
            .typo_tolerance
            .disable_on_words
            .iter()
            .any(|w| w == word)
        {
            0
        } else {
            self.typos_for(word.chars().count())
        }
    }

    /// Whether a searchable attribute matches query words with typos.
    pub fn typos_on(&self, attribute: &str) -> bool {
        self.typo_tolerance.enabled
            && !self
                .typo_tolerance
                .disable_on_attributes
                .iter()
                .any(|a| a == attribute)
    }

    pub fn is_stop_word(&self, word: &str) -> bool {
        self.stop_words.iter().any(|s| s == word)
    }

    /// The file's synonyms of `word` (without those administrators added: see `Synonyms`).
    pub fn synonyms_of(&self, word: &str) -> &[String] {
        self.synonyms.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The file's synonyms and the entries administrators added (`domain::synonyms::merge`).
    pub fn synonyms_with(&self, added: &[SynonymEntry]) -> HashMap<String, Vec<String>> {
        synonyms::merge(&self.synonyms, added)
    }
}

/// The synonyms an engine uses now: the file's and those administrators added. Swapped whole
/// when they change (`SearchEngine::set_added_synonyms`); a search works with the map as it was
/// when it began.
pub struct Synonyms(RwLock<Arc<HashMap<String, Vec<String>>>>);

impl Synonyms {
    /// The file's synonyms alone (until the added ones are read from the database).
    pub fn of_file(config: &SearchConfig) -> Self {
        Self(RwLock::new(Arc::new(config.synonyms.clone())))
    }

    /// The map in force.
    pub fn current(&self) -> Arc<HashMap<String, Vec<String>>> {
        match self.0.read() {
            Ok(map) => map.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `map` in force for the searches that begin from now on.
    pub fn replace(&self, map: HashMap<String, Vec<String>>) {
        let map = Arc::new(map);
        match self.0.write() {
            Ok(mut held) => *held = map,
            Err(poisoned) => *poisoned.into_inner() = map,
        }
    }

    /// Synonyms of `word` in `map` (a map from `current`).
    pub fn of<'m>(map: &'m HashMap<String, Vec<String>>, word: &str) -> &'m [String] {
        map.get(word).map(Vec::as_slice).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_config_has_the_attributes_the_shop_filters_and_sorts_on() {
        let c = SearchConfig::built_in();
        assert_eq!(c.searchable_attributes[0], "name");
        for facet in super::super::FACETS {
            assert!(
                c.filterable_attributes.iter().any(|a| a == facet),
                "{facet} must be filterable"
            );
        }
        for sort in ["price", "created_at"] {
            assert!(c.sortable_attributes.iter().any(|a| a == sort));
        }
        assert_eq!(c.synonyms_of("sendal"), ["sandal"]);
        for (word, synonym) in [
            ("kripik", "keripik"),
            ("sholat", "salat"),
            ("peci", "kopiah"),
            ("sereh", "serai"),
            ("ulos", "tenun"),
            ("songket", "tenun"),
            ("wooden", "kayu"),
            ("dining", "makan"),
            ("table", "meja"),
            ("chair", "kursi"),
            ("rug", "karpet"),
        ] {
            assert!(
                c.synonyms_of(word).iter().any(|s| s == synonym),
                "{word} finds {synonym}"
            );
        }
        assert!(c.is_stop_word("dan"));
        // Five letters get none either ("beras" is not "bekas"): the second pass corrects
        // words that match nothing (search::retry).
        assert_eq!(c.typos_for(5), 0, "no typos on words of five letters");
        assert_eq!(c.typos_for(6), 1);
        assert_eq!(c.typos_for(8), 2);
        for attribute in ["name", "kind", "brand", "category", "description"] {
            assert!(c.typos_on(attribute), "typos on {attribute}");
        }
        for attribute in ["description_en", "unit_name", "city", "province"] {
            assert!(!c.typos_on(attribute), "no typos on {attribute}");
        }
        assert_eq!(c.matching_strategy, MatchingStrategy::All);
    }

    #[test]
    fn a_file_without_a_matching_strategy_means_meilisearchs_default() {
        let c = SearchConfig::parse(
            r#"{"searchableAttributes": ["name"], "filterableAttributes": [],
                "sortableAttributes": []}"#,
        )
        .unwrap();
        assert_eq!(c.matching_strategy, MatchingStrategy::Last);
        assert!(c.typos_on("name"));
        assert_eq!(c.typos_for(5), 1);
        let c = SearchConfig::parse(
            r#"{"searchableAttributes": ["name"], "filterableAttributes": [],
                "sortableAttributes": [], "matchingStrategy": "frequency",
                "typoTolerance": {"enabled": true,
                    "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
                    "disableOnWords": ["Trembesi"]}}"#,
        )
        .unwrap();
        assert_eq!(c.matching_strategy, MatchingStrategy::Frequency);
        assert_eq!(c.typos_for_word("trembesi"), 0);
        assert_eq!(c.typos_for_word("kursi"), 1);
    }

    #[test]
    fn the_understanding_file_beside_the_settings_is_read_or_the_built_in_one_used() {
        let dir = tempfile::tempdir().unwrap();
        let settings = dir.path().join("products.json");
        let built_in = load_vocabulary(&settings).unwrap();
        assert_eq!(built_in.province_names().len(), 38);
        std::fs::write(
            dir.path().join(UNDERSTANDING_FILE),
            r#"{"regions": [{"provinces": ["Bali"]}], "occasions": []}"#,
        )
        .unwrap();
        assert_eq!(
            load_vocabulary(&settings).unwrap().province_names(),
            ["Bali"]
        );
        std::fs::write(dir.path().join(UNDERSTANDING_FILE), "{ not json").unwrap();
        let err = load_vocabulary(&settings).unwrap_err().to_string();
        assert!(err.contains(UNDERSTANDING_FILE), "{err}");
    }

    #[test]
    fn added_synonyms_are_swapped_in_whole_and_searches_under_way_keep_theirs() {
        let c = SearchConfig::built_in();
        let held = Synonyms::of_file(&c);
        let before = held.current();
        assert_eq!(Synonyms::of(&before, "sendal"), ["sandal"]);
        assert!(Synonyms::of(&before, "kupluk").is_empty());
        held.replace(c.synonyms_with(&[SynonymEntry {
            word: "kupluk".into(),
            synonyms: vec!["peci".into()],
            two_way: true,
        }]));
        let after = held.current();
        assert_eq!(Synonyms::of(&after, "kupluk"), ["peci"]);
        assert!(Synonyms::of(&after, "peci").iter().any(|s| s == "kupluk"));
        assert!(
            Synonyms::of(&before, "kupluk").is_empty(),
            "the old map stays as it was"
        );
    }

    #[test]
    fn a_broken_config_file_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("products.json");
        std::fs::write(&path, "{ not json").unwrap();
        let err = SearchConfig::load(&path).unwrap_err().to_string();
        assert!(err.contains("products.json"), "{err}");
    }
}
