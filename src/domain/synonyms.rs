//! Synonyms administrators add at `/kelola/sinonim`, beside those of
//! `search-config/products.json`, and how both make the synonyms the engines use.
//!
//! The file says it the way Meilisearch does: `"word": ["synonym", …]` is one way (searching
//! the word also finds the synonyms); a pair both ways is written twice (`sendal` → `sandal`
//! and `sandal` → `sendal`), English words only one way (`chair` → `kursi`). An added entry is
//! the same: `word` finds its `synonyms`; when `two_way` it is a group, each of its words finding
//! every other (`peci`, `kopiah`, `songkok`). Words are one word each, as the engine's tokenizer
//! stores them (lower case, accents folded), so that both engines match them alike.

use std::collections::HashMap;

use super::FieldErrors;

/// Longest word, in characters (the embedded index drops words of 40 bytes and more).
pub const WORD_MAX: usize = 30;
/// Most synonyms of one entry.
pub const SYNONYMS_MAX: usize = 10;

/// A saved entry: `word` finds `synonyms` too; `two_way`: each synonym finds the word and the
/// other synonyms as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymEntry {
    pub word: String,
    pub synonyms: Vec<String>,
    pub two_way: bool,
}

impl SynonymEntry {
    /// The synonyms as stored: words joined by commas (a word has no comma).
    pub fn synonyms_code(&self) -> String {
        self.synonyms.join(",")
    }

    /// The synonyms of a stored `code`, empty pieces dropped.
    pub fn parse_synonyms(code: &str) -> Vec<String> {
        code.split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The administrators' form as typed: `word`, `synonyms` (separated by commas) and the
/// `two_way` checkbox (`1` when ticked).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SynonymForm {
    #[serde(default)]
    pub word: String,
    #[serde(default)]
    pub synonyms: String,
    #[serde(default)]
    pub two_way: String,
}

impl SynonymForm {
    /// An empty form, both ways ticked.
    pub fn blank() -> Self {
        Self {
            two_way: "1".into(),
            ..Self::default()
        }
    }

    pub fn is_two_way(&self) -> bool {
        self.two_way == "1"
    }

    /// Checks the form. `words` splits a text into words as the search index stores them
    /// (`search::words_of`): the word and each synonym must be exactly one word of at most
    /// `WORD_MAX` characters; there is one synonym at least, `SYNONYMS_MAX` at most, other
    /// than the word (repeats are dropped).
    pub fn validate(
        &self,
        words: impl Fn(&str) -> Vec<String>,
    ) -> Result<SynonymEntry, FieldErrors> {
        let mut errors = FieldErrors::new();
        let raw_word = self.word.trim();
        let word = if raw_word.is_empty() {
            errors.insert("word", "synonyms-error-word-empty");
            None
        } else if raw_word.chars().count() > WORD_MAX {
            errors.insert("word", "synonyms-error-word-long");
            None
        } else {
            match words(raw_word).as_slice() {
                [one] => Some(one.clone()),
                _ => {
                    errors.insert("word", "synonyms-error-word-one");
                    None
                }
            }
        };
        let pieces: Vec<&str> = self
            .synonyms
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let mut synonyms: Vec<String> = Vec::new();
        if pieces.is_empty() {
            errors.insert("synonyms", "synonyms-error-synonyms-empty");
        } else if pieces.len() > SYNONYMS_MAX {
            errors.insert("synonyms", "synonyms-error-synonyms-many");
        } else {
            for &piece in &pieces {
                let one = match words(piece).as_slice() {
                    [one] if piece.chars().count() <= WORD_MAX => one.clone(),
                    _ => {
                        errors.insert("synonyms", "synonyms-error-synonyms-word");
                        break;
                    }
                };
                if !synonyms.contains(&one) && word.as_ref() != Some(&one) {
                    synonyms.push(one);
                }
            }
            if !errors.contains_key("synonyms") && synonyms.is_empty() && word.is_some() {
                errors.insert("synonyms", "synonyms-error-synonyms-same");
            }
        }
        match word {
            Some(word) if errors.is_empty() => Ok(SynonymEntry {
                word,
                synonyms,
                two_way: self.is_two_way(),
            }),
            _ => Err(errors),
        }
    }
}

/// The synonyms the engines use: the file's (`file`, as it is) and the added entries'. An entry
/// adds `word` → its synonyms; a two-way entry also each synonym → the word and the others. A
/// word's list keeps the file's synonyms first, then the added ones in the order of `added`,
/// each once and never the word itself.
pub fn merge(
    file: &HashMap<String, Vec<String>>,
    added: &[SynonymEntry],
) -> HashMap<String, Vec<String>> {
    let mut out = file.clone();
    let mut add = |word: &str, synonym: &str| {
        if word == synonym {
            return;
        }
        let list = out.entry(word.to_string()).or_default();
        if !list.iter().any(|s| s == synonym) {
            list.push(synonym.to_string());
        }
    };
    for entry in added {
        for synonym in &entry.synonyms {
            add(&entry.word, synonym);
        }
        if entry.two_way {
            for synonym in &entry.synonyms {
                add(synonym, &entry.word);
                for other in &entry.synonyms {
                    add(synonym, other);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words as the index stores them, near enough for these tests.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('é', "e").replace('ó', "o"))
            .collect()
    }

    fn form(word: &str, synonyms: &str, two_way: bool) -> SynonymForm {
        SynonymForm {
            word: word.into(),
            synonyms: synonyms.into(),
            two_way: if two_way { "1".into() } else { String::new() },
        }
    }

    #[test]
    fn a_form_gives_one_lower_case_word_and_its_synonyms_without_repeats() {
        let entry = form("  Peci ", "Kopiah, songkok;kopiah\nPECI, Songkók", true)
            .validate(words)
            .unwrap();
        assert_eq!(
            entry,
            SynonymEntry {
                word: "peci".into(),
                synonyms: vec!["kopiah".into(), "songkok".into()],
                two_way: true,
            }
        );
        assert_eq!(entry.synonyms_code(), "kopiah,songkok");
        assert_eq!(
            SynonymEntry::parse_synonyms("kopiah,songkok,"),
            ["kopiah", "songkok"]
        );
        assert!(
            !form("kurzi", "kursi", false)
                .validate(words)
                .unwrap()
                .two_way
        );
    }

    #[test]
    fn every_bad_field_has_its_own_message() {
        let err = |w: &str, s: &str| form(w, s, true).validate(words).unwrap_err();
        assert_eq!(err("", "kopiah")["word"], "synonyms-error-word-empty");
        assert_eq!(
            err(&"a".repeat(200), "kopiah")["word"],
            "synonyms-error-word-long"
        );
        assert_eq!(
            err("meja makan", "dining")["word"],
            "synonyms-error-word-one"
        );
        assert_eq!(err("%%%", "kopiah")["word"], "synonyms-error-word-one");
        assert_eq!(
            err("peci", " , ")["synonyms"],
            "synonyms-error-synonyms-empty"
        );
        assert_eq!(
            err("peci", "kopiah hitam")["synonyms"],
            "synonyms-error-synonyms-word"
        );
        assert_eq!(
            err("peci", &"x".repeat(31))["synonyms"],
            "synonyms-error-synonyms-word"
        );
        let many: Vec<String> = (0..=SYNONYMS_MAX).map(|i| format!("kata{i}")).collect();
        assert_eq!(
            err("peci", &many.join(","))["synonyms"],
            "synonyms-error-synonyms-many"
        );
        assert_eq!(
            err("peci", "Peci")["synonyms"],
            "synonyms-error-synonyms-same"
        );
        let both = err("", "");
        assert!(both.contains_key("word") && both.contains_key("synonyms"));
    }

    #[test]
    fn added_entries_join_the_files_synonyms_one_way_or_as_a_group() {
        let file: HashMap<String, Vec<String>> = [
            ("sendal".to_string(), vec!["sandal".to_string()]),
            ("chair".to_string(), vec!["kursi".to_string()]),
        ]
        .into();
        assert_eq!(merge(&file, &[]), file, "nothing added: the file as it is");
        let merged = merge(
            &file,
            &[
                SynonymEntry {
                    word: "peci".into(),
                    synonyms: vec!["kopiah".into(), "songkok".into()],
                    two_way: true,
                },
                SynonymEntry {
                    word: "chair".into(),
                    synonyms: vec!["kursi".into(), "bangku".into()],
                    two_way: false,
                },
            ],
        );
        assert_eq!(merged["peci"], ["kopiah", "songkok"]);
        assert_eq!(merged["kopiah"], ["peci", "songkok"]);
        assert_eq!(merged["songkok"], ["peci", "kopiah"]);
        assert_eq!(
            merged["chair"],
            ["kursi", "bangku"],
            "the file's first, once"
        );
        assert!(!merged.contains_key("bangku"), "one way only");
        assert_eq!(merged["sendal"], ["sandal"]);
    }
}
