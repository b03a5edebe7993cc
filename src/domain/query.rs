//! Query understanding: what a shopper's words say beyond the words themselves, worked out
//! once before either engine is asked (`understand`), so the embedded index and Meilisearch
//! get the same request. "kursi di bawah 1 juta" is the word `kursi` and a price of at most
//! Rp1.000.000; "madu bpom" is `madu` among BPOM-registered products; "oleh oleh khas aceh"
//! is food and crafts of units in Aceh, with no word left to match.
//!
//! Understood are: price phrases (`di bawah 50rb`, `maks 1,5 juta`, `antara 50 - 100 ribu`,
//! `Rp 50.000`, `100rb` alone as an upper bound, `murah` as cheapest first), legal document
//! words (`halal`, `bpom`, `bpom md`, `p-irt`, `svlk`, `sni`, `hki`, the certification codes
//! of `CertificationKind`), regions (province names and what shoppers call them, `khas X`)
//! and occasions (`oleh-oleh`, `hampers`, `kado`, `lebaran`, ...) as categories. The price
//! grammar and the document words are here; regions and occasions are data,
//! `search-config/understanding.json` (`Vocabulary`). Whatever is not understood stays, in
//! order, as the text the engine matches. Each understanding is a `Chip` the page shows; a
//! chip's `key` in `ignored` turns that understanding off (its words are then dropped, as a
//! removed filter).

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::{format_rupiah, CertificationKind, Slug};

/// `search-config/understanding.json` as built into the binary.
const BUILT_IN: &str = include_str!("../../search-config/understanding.json");

/// Prices are understood from Rp1 to below one trillion rupiah (as `Rupiah`).
const PRICE_LIMIT: i64 = 1_000_000_000_000;

/// What one understanding became on the search page: a removable chip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChipKind {
    Price,
    Cheap,
    Certification,
    Region,
    Occasion,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chip {
    /// What `ignored` names to turn this understanding off (`harga`, `murah`,
    /// `sertifikat-halal`, `wilayah-aceh`, `acara-oleh-oleh`).
    pub key: String,
    pub kind: ChipKind,
    pub label_id: String,
    pub label_en: String,
}

impl Chip {
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" {
            &self.label_en
        } else {
            &self.label_id
        }
    }
}

/// A query as understood: the words left for the engine and the filters the rest made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Understood {
    /// The words not understood, in the order typed (empty: every product, filtered).
    pub text: String,
    pub price_min: Option<i64>,
    pub price_max: Option<i64>,
    /// Cheapest first.
    pub cheap: bool,
    /// Certification codes (`HALAL`, `BPOM-MD`, ...), as the search documents hold them.
    pub certifications: Vec<String>,
    /// Province names, as the search documents hold them.
    pub provinces: Vec<String>,
    /// Category names (`categories.name_id`), as the search documents hold them.
    pub categories: Vec<String>,
    /// One per understanding, in the order of the query.
    pub chips: Vec<Chip>,
}

impl Understood {
    /// The words as typed, nothing understood (`asli=1`).
    pub fn literal(text: &str) -> Self {
        Self {
            text: text.to_string(),
            ..Self::default()
        }
    }

    /// Drops the understood price (the shopper set one with the price filter).
    pub fn forget_price(&mut self) {
        self.price_min = None;
        self.price_max = None;
        self.chips.retain(|c| c.kind != ChipKind::Price);
    }

    /// Drops "cheapest first" (the shopper chose a sort).
    pub fn forget_cheap(&mut self) {
        self.cheap = false;
        self.chips.retain(|c| c.kind != ChipKind::Cheap);
    }
}

// ---------------------------------------------------------------------------------------------
// The vocabulary: regions and occasions (data), legal document words (here).

/// A legal document as shoppers name it.
struct Certificate {
    key: &'static str,
    label: &'static str,
    words: &'static [&'static str],
    kinds: &'static [CertificationKind],
}

const CERTIFICATES: [Certificate; 8] = [
    Certificate {
        key: "halal",
        label: "Halal",
        words: &["halal"],
        kinds: &[CertificationKind::Halal],
    },
    Certificate {
        key: "bpom",
        label: "BPOM",
        words: &["bpom", "badan pom"],
        kinds: &[CertificationKind::BpomMd, CertificationKind::BpomNa],
    },
    Certificate {
        key: "bpom-md",
        label: "BPOM MD",
        words: &["bpom md", "md bpom"],
        kinds: &[CertificationKind::BpomMd],
    },
    Certificate {
        key: "bpom-na",
        label: "BPOM NA",
        words: &["bpom na", "na bpom"],
        kinds: &[CertificationKind::BpomNa],
    },
    Certificate {
        key: "pirt",
        label: "P-IRT",
        words: &["p-irt", "spp-irt"],
        kinds: &[CertificationKind::Pirt],
    },
    Certificate {
        key: "svlk",
        label: "SVLK",
        words: &["svlk"],
        kinds: &[CertificationKind::Svlk],
    },
    Certificate {
        key: "sni",
        label: "SNI",
        words: &["sni"],
        kinds: &[CertificationKind::Sni],
    },
    Certificate {
        key: "hki",
        label: "HKI",
        words: &["hki", "haki"],
        kinds: &[CertificationKind::Hki],
    },
];

/// Words taken with a document word after them ("bersertifikat halal").
const CERTIFICATE_PREFIXES: [&str; 12] = [
    "sertifikat",
    "bersertifikat",
    "sertifikasi",
    "bersertifikasi",
    "label",
    "berlabel",
    "logo",
    "izin",
    "ijin",
    "berizin",
    "terdaftar",
    "certified",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Meaning {
    Certificate(usize),
    Region(usize),
    Occasion(usize),
}

#[derive(Debug, Clone)]
struct Region {
    label: String,
    provinces: Vec<String>,
}

#[derive(Debug, Clone)]
struct Occasion {
    code: String,
    label_id: String,
    label_en: String,
    categories: Vec<String>,
}

/// The file's shape (`search-config/understanding.json`).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VocabularyFile {
    regions: Vec<RegionEntry>,
    #[serde(default)]
    region_prefixes: Vec<String>,
    #[serde(default)]
    region_guards: Vec<String>,
    occasions: Vec<OccasionEntry>,
    #[serde(default)]
    catalogue_words: Vec<String>,
    #[serde(default)]
    filler_words: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegionEntry {
    #[serde(default)]
    label: Option<String>,
    provinces: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OccasionEntry {
    code: String,
    label_id: String,
    label_en: String,
    words: Vec<String>,
    categories: Vec<String>,
}

/// What `understand` knows: regions, occasions and the words around them.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    regions: Vec<Region>,
    occasions: Vec<Occasion>,
    /// Every phrase understood (document words, region names, occasion words) as its words,
    /// longest first.
    phrases: Vec<(Vec<String>, Meaning)>,
    region_prefixes: HashSet<String>,
    region_guards: HashSet<String>,
    catalogue_words: HashSet<String>,
    filler_words: HashSet<String>,
}

/// The ways a phrase is typed: as written, with its dashes as spaces or left out, and with
/// its spaces as dashes ("oleh oleh", "oleh-oleh"; "p-irt", "p irt", "pirt").
fn spellings(phrase: &str) -> Vec<Vec<String>> {
    let base = phrase
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut all = vec![
        base.replace('-', " "),
        base.replace('-', ""),
        base.replace(' ', "-"),
        base,
    ];
    all.sort();
    all.dedup();
    all.into_iter()
        .map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|words| !words.is_empty())
        .collect()
}

fn add_phrase(
    seen: &mut HashMap<Vec<String>, Meaning>,
    phrase: &str,
    meaning: Meaning,
) -> Result<(), String> {
    for words in spellings(phrase) {
        if seen.get(&words).is_some_and(|other| *other != meaning) {
            return Err(format!("`{phrase}` is understood in two ways"));
        }
        seen.insert(words, meaning);
    }
    Ok(())
}

fn word_set(words: &[String]) -> HashSet<String> {
    words
        .iter()
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

impl Vocabulary {
    /// Reads `search-config/understanding.json`; says what is wrong with it otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: VocabularyFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut seen: HashMap<Vec<String>, Meaning> = HashMap::new();
        for (i, certificate) in CERTIFICATES.iter().enumerate() {
            for word in certificate.words {
                add_phrase(&mut seen, word, Meaning::Certificate(i))?;
            }
        }
        let mut regions = Vec::with_capacity(file.regions.len());
        for entry in file.regions {
            let provinces: Vec<String> = entry
                .provinces
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            let label = match (entry.label, provinces.as_slice()) {
                (_, []) => return Err("a region without provinces".into()),
                (Some(label), _) if !label.trim().is_empty() => label.trim().to_string(),
                (_, [one]) => one.clone(),
                (_, _) => return Err(format!("the region of {provinces:?} needs a label")),
            };
            let meaning = Meaning::Region(regions.len());
            add_phrase(&mut seen, &label, meaning)?;
            for alias in &entry.aliases {
                add_phrase(&mut seen, alias, meaning)?;
            }
            regions.push(Region { label, provinces });
        }
        let mut occasions = Vec::with_capacity(file.occasions.len());
        for entry in file.occasions {
            let code = entry.code.trim().to_string();
            if code.is_empty() || entry.words.is_empty() || entry.categories.is_empty() {
                return Err(format!(
                    "the occasion `{code}` needs a code, words and categories"
                ));
            }
            let meaning = Meaning::Occasion(occasions.len());
            for word in &entry.words {
                add_phrase(&mut seen, word, meaning)?;
            }
            occasions.push(Occasion {
                code,
                label_id: entry.label_id,
                label_en: entry.label_en,
                categories: entry.categories,
            });
        }
        let mut phrases: Vec<(Vec<String>, Meaning)> = seen.into_iter().collect();
        phrases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(Self {
            regions,
            occasions,
            phrases,
            region_prefixes: word_set(&file.region_prefixes),
            region_guards: word_set(&file.region_guards),
            catalogue_words: word_set(&file.catalogue_words),
            filler_words: word_set(&file.filler_words),
        })
    }

    /// The vocabulary built into the binary.
    pub fn built_in() -> Self {
        Self::parse(BUILT_IN).expect("the built-in search-config/understanding.json parses")
    }

    /// Adds words that product names contain: a region or occasion word among them stays a
    /// word to search instead of becoming a filter (unless "khas", "dari"... say it is where the
    /// product comes from).
    pub fn with_catalogue_words(mut self, words: impl IntoIterator<Item = String>) -> Self {
        self.catalogue_words
            .extend(words.into_iter().map(|w| w.trim().to_lowercase()));
        self
    }

    /// Every province a region names (the filter values it can give).
    pub fn province_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for name in self.regions.iter().flat_map(|r| &r.provinces) {
            if !out.contains(&name.as_str()) {
                out.push(name);
            }
        }
        out
    }

    /// Every category an occasion names (the filter values it can give).
    pub fn category_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for name in self.occasions.iter().flat_map(|o| &o.categories) {
            if !out.contains(&name.as_str()) {
                out.push(name);
            }
        }
        out
    }

    /// The longest phrase starting at word `i`: how many words it takes and what it means.
    fn phrase_at(&self, words: &[Word], i: usize) -> Option<(usize, Meaning)> {
        self.phrases
            .iter()
            .find(|(phrase, _)| {
                i + phrase.len() <= words.len()
                    && phrase.iter().zip(&words[i..]).all(|(p, w)| *p == w.norm)
            })
            .map(|(phrase, meaning)| (phrase.len(), *meaning))
    }

    /// A document, region or occasion starting at word `i`, with the words around it that
    /// belong to it; `None` inside when the words are to be searched as they are ("motif
    /// bali", a region or occasion word that product names contain).
    fn meaning_at(&self, words: &[Word], i: usize) -> Option<(Option<Meaning>, usize)> {
        let word = words[i].norm.as_str();
        if self.region_guards.contains(word) {
            if let Some((used, Meaning::Region(_))) = self.phrase_at(words, i + 1) {
                return Some((None, 1 + used));
            }
        }
        if self.region_prefixes.contains(word) {
            if let Some((used, meaning @ Meaning::Region(_))) = self.phrase_at(words, i + 1) {
                return Some((Some(meaning), 1 + used));
            }
        }
        if CERTIFICATE_PREFIXES.contains(&word) {
            if let Some((used, meaning @ Meaning::Certificate(_))) = self.phrase_at(words, i + 1) {
                let end = i + 1 + used;
                return Some((Some(meaning), end + certified_after(words, end) - i));
            }
        }
        let (used, meaning) = self.phrase_at(words, i)?;
        match meaning {
            Meaning::Certificate(_) => {
                Some((Some(meaning), used + certified_after(words, i + used)))
            }
            // "paket lebaran", "kopi lampung": words of product names are searched (a unit's
            // province is searched text too); "khas lampung" above is where it comes from.
            Meaning::Region(_) | Meaning::Occasion(_)
                if words[i..i + used]
                    .iter()
                    .any(|w| self.catalogue_words.contains(&w.norm)) =>
            {
                Some((None, used))
            }
            _ => Some((Some(meaning), used)),
        }
    }

    /// What `ignored` names to turn this understanding off, and its chip.
    fn chip(&self, meaning: Meaning) -> Chip {
        match meaning {
            Meaning::Certificate(c) => {
                let certificate = &CERTIFICATES[c];
                Chip {
                    key: format!("sertifikat-{}", certificate.key),
                    kind: ChipKind::Certification,
                    label_id: certificate.label.to_string(),
                    label_en: certificate.label.to_string(),
                }
            }
            Meaning::Region(r) => {
                let region = &self.regions[r];
                Chip {
                    key: format!("wilayah-{}", Slug::from_text(&region.label).as_str()),
                    kind: ChipKind::Region,
                    label_id: region.label.clone(),
                    label_en: region.label.clone(),
                }
            }
            Meaning::Occasion(o) => {
                let occasion = &self.occasions[o];
                Chip {
                    key: format!("acara-{}", occasion.code),
                    kind: ChipKind::Occasion,
                    label_id: occasion.label_id.clone(),
                    label_en: occasion.label_en.clone(),
                }
            }
        }
    }
}

/// "halal certified": the English word after a document word belongs to it.
fn certified_after(words: &[Word], i: usize) -> usize {
    usize::from(words.get(i).is_some_and(|w| w.norm == "certified"))
}

// ---------------------------------------------------------------------------------------------
// Words.

/// A word of the query: as typed (what the engine gets when it is not understood) and
/// lower-cased without the punctuation around it (what is understood).
struct Word<'a> {
    typed: &'a str,
    norm: String,
}

impl<'a> Word<'a> {
    fn new(typed: &'a str) -> Self {
        let lower = typed.to_lowercase().replace(['–', '—'], "-");
        let norm = lower
            .trim_matches(|c: char| {
                matches!(
                    c,
                    '"' | '\''
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | '!'
                        | '?'
                        | ';'
                        | ':'
                        | ','
                        | '.'
                        | '*'
                        | '“'
                        | '”'
                        | '‘'
                        | '’'
                )
            })
            .to_string();
        Self { typed, norm }
    }
}

/// The query's words; a comparison written against an amount ("<100rb") is two words.
fn words_of(raw: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    for piece in raw.split_whitespace() {
        let mut rest = piece;
        for sign in ["<=", ">=", "≤", "≥", "<", ">"] {
            if let Some(after) = piece.strip_prefix(sign) {
                let amount_follows = after.starts_with(|c: char| c.is_ascii_digit())
                    || after.to_lowercase().starts_with("rp");
                if amount_follows {
                    out.push(Word::new(&piece[..sign.len()]));
                    rest = after;
                }
                break;
            }
        }
        out.push(Word::new(rest));
    }
    out
}

/// Whether `phrase` is written at word `i`.
fn phrase_is_at(words: &[Word], i: usize, phrase: &[&str]) -> bool {
    !phrase.is_empty()
        && i + phrase.len() <= words.len()
        && phrase.iter().zip(&words[i..]).all(|(p, w)| w.norm == *p)
}

/// The longest of `phrases` written at word `i`, as how many words it takes.
fn longest_at(words: &[Word], i: usize, phrases: &[&[&str]]) -> Option<usize> {
    phrases
        .iter()
        .filter(|p| phrase_is_at(words, i, p))
        .map(|p| p.len())
        .max()
}

// ---------------------------------------------------------------------------------------------
// Prices.

/// A number as typed, the Indonesian or the English way (`50.000`, `1.500.000`, `1,5`,
/// `1.5`, `50,000`): its digits without separators and how many of them are decimals. A
/// single separator followed by exactly three digits separates thousands; otherwise it is
/// the decimal point. With both, the one written last is the decimal point.
fn number(s: &str) -> Option<(i128, u32)> {
    let digit_ends =
        s.starts_with(|c: char| c.is_ascii_digit()) && s.ends_with(|c: char| c.is_ascii_digit());
    if !digit_ends
        || s.len() > 24
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let dots = s.matches('.').count();
    let commas = s.matches(',').count();
    let (thousands, decimal) = match (dots, commas) {
        (0, 0) => (None, None),
        (_, 0) if dots > 1 || grouped(s, '.') => (Some('.'), None),
        (_, 0) => (None, Some('.')),
        (0, _) if commas > 1 || grouped(s, ',') => (Some(','), None),
        (0, _) => (None, Some(',')),
        _ if s.rfind(',') > s.rfind('.') => (Some('.'), Some(',')),
        _ => (Some(','), Some('.')),
    };
    let (whole, fraction) = match decimal {
        Some(point) => {
            if s.matches(point).count() != 1 {
                return None;
            }
            s.split_once(point)?
        }
        None => (s, ""),
    };
    let whole = match thousands {
        Some(separator) => {
            if !grouped(whole, separator) {
                return None;
            }
            whole.replace(separator, "")
        }
        None => whole.to_string(),
    };
    let all_digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole.as_str()) || !all_digits(fraction) {
        return None;
    }
    if whole.len() + fraction.len() > 18 {
        return None;
    }
    let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
    Some((digits, fraction.len() as u32))
}

/// `1.500.000`: one to three digits, then groups of exactly three.
fn grouped(s: &str, separator: char) -> bool {
    let mut groups = s.split(separator);
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// `rb`, `ribu`, `k` (thousand); `jt`, `juta` (million).
fn multiplier_of(word: &str) -> Option<i64> {
    match word {
        "rb" | "rbu" | "ribu" | "rebu" | "ribuan" | "k" => Some(1_000),
        "jt" | "juta" | "jutaan" | "jeti" => Some(1_000_000),
        _ => None,
    }
}

/// An amount as typed: digits, a multiplier and whether "Rp" was written.
#[derive(Debug, Clone, Copy)]
struct Amount {
    digits: i128,
    decimals: u32,
    multiplier: Option<i64>,
    rupiah: bool,
}

impl Amount {
    /// Written as money: with "Rp" or a multiplier (a bare number is a price only where a
    /// price is asked for).
    fn is_money(&self) -> bool {
        self.rupiah || self.multiplier.is_some()
    }

    /// In rupiah. Where a price is asked for, a bare number below a thousand means thousands
    /// ("di bawah 50" is Rp50.000).
    fn value(&self, price_asked: bool) -> Option<i64> {
        let scaled = self
            .digits
            .checked_mul(i128::from(self.multiplier.unwrap_or(1)))?
            / 10i128.checked_pow(self.decimals)?;
        let value = if price_asked && !self.is_money() && scaled < 1_000 {
            scaled * 1_000
        } else {
            scaled
        };
        (1..i128::from(PRICE_LIMIT))
            .contains(&value)
            .then_some(value as i64)
    }
}

/// An amount in one word: `50000`, `50.000`, `rp50.000`, `100rb`, `1,5jt`, `50k`, `sejuta`.
fn amount_word(word: &str) -> Option<Amount> {
    if word == "sejuta" {
        return Some(Amount {
            digits: 1,
            decimals: 0,
            multiplier: Some(1_000_000),
            rupiah: false,
        });
    }
    let (rupiah, rest) = match word.strip_prefix("rp").or_else(|| word.strip_prefix("idr")) {
        Some(rest) => (true, rest.trim_start_matches(['.', ':'])),
        None => (false, word),
    };
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (digits, suffix) = rest.split_at(end);
    let (digits, decimals) = number(digits)?;
    let multiplier = match suffix {
        "" => None,
        suffix => Some(multiplier_of(suffix)?),
    };
    Some(Amount {
        digits,
        decimals,
        multiplier,
        rupiah,
    })
}

/// An amount starting at word `i` ("rp 50.000", "50 ribu", "1,5 juta", "100rb rupiah") and
/// how many words it takes.
fn amount_at(words: &[Word], i: usize) -> Option<(Amount, usize)> {
    let first = words.get(i)?.norm.as_str();
    let (mut amount, mut used) = if first == "rp" || first == "idr" {
        let mut amount = amount_word(&words.get(i + 1)?.norm)?;
        amount.rupiah = true;
        (amount, 2)
    } else {
        (amount_word(first)?, 1)
    };
    if amount.multiplier.is_none() {
        if let Some(m) = words.get(i + used).and_then(|w| multiplier_of(&w.norm)) {
            amount.multiplier = Some(m);
            used += 1;
        }
    }
    if words
        .get(i + used)
        .is_some_and(|w| w.norm == "rupiah" || w.norm == "idr")
    {
        amount.rupiah = true;
        used += 1;
    }
    Some((amount, used))
}

/// Words between the two ends of a range ("50 - 100rb", "1 sampai 2 juta").
const RANGE_SEPARATORS: [&str; 7] = ["-", "sampai", "hingga", "s/d", "sd", "to", "until"];

/// "1-2 juta", "50 - 100rb": a lower end written bare takes the upper end's multiplier, when
/// that keeps it below the upper end ("500 - 1 juta" is Rp500.000 to Rp1.000.000).
fn with_multiplier_of(low: Amount, high: &Amount) -> Amount {
    if low.is_money() {
        return low;
    }
    let widened = Amount {
        multiplier: high.multiplier,
        ..low
    };
    match (widened.value(false), high.value(false)) {
        (Some(a), Some(b)) if a <= b => widened,
        _ => low,
    }
}

/// A range starting at word `i`: "50-100rb" in one word, or "50rb - 100rb", "1 sampai 2
/// juta" ("50 dan 100 ribu" too after "antara"); its ends and how many words it takes.
fn range_at(words: &[Word], i: usize, after_between: bool) -> Option<(Amount, Amount, usize)> {
    let word = words.get(i)?.norm.as_str();
    if let Some((low, high)) = word.split_once('-') {
        if let (Some(low), Some(mut high)) = (amount_word(low), amount_word(high)) {
            let mut used = 1;
            if high.multiplier.is_none() {
                if let Some(m) = words.get(i + 1).and_then(|w| multiplier_of(&w.norm)) {
                    high.multiplier = Some(m);
                    used += 1;
                }
            }
            return Some((with_multiplier_of(low, &high), high, used));
        }
    }
    let (low, low_used) = amount_at(words, i)?;
    let separator = words.get(i + low_used)?.norm.as_str();
    let separates = RANGE_SEPARATORS.contains(&separator)
        || (after_between && (separator == "dan" || separator == "and"));
    if !separates {
        return None;
    }
    let (high, high_used) = amount_at(words, i + low_used + 1)?;
    Some((
        with_multiplier_of(low, &high),
        high,
        low_used + 1 + high_used,
    ))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    AtMost,
    AtLeast,
    Between,
}

/// Words that ask for a price, and which bound the amount after them sets.
const COMPARISONS: &[(&[&str], Bound)] = &[
    (&["di", "bawah"], Bound::AtMost),
    (&["dibawah"], Bound::AtMost),
    (&["kurang", "dari"], Bound::AtMost),
    (&["tidak", "lebih", "dari"], Bound::AtMost),
    (&["tak", "lebih", "dari"], Bound::AtMost),
    (&["maks"], Bound::AtMost),
    (&["max"], Bound::AtMost),
    (&["maksimal"], Bound::AtMost),
    (&["maksimum"], Bound::AtMost),
    (&["maximum"], Bound::AtMost),
    (&["paling", "mahal"], Bound::AtMost),
    (&["sampai"], Bound::AtMost),
    (&["hingga"], Bound::AtMost),
    (&["budget"], Bound::AtMost),
    (&["bujet"], Bound::AtMost),
    (&["sekitar"], Bound::AtMost),
    (&["kisaran"], Bound::AtMost),
    (&["around"], Bound::AtMost),
    (&["under"], Bound::AtMost),
    (&["below"], Bound::AtMost),
    (&["less", "than"], Bound::AtMost),
    (&["up", "to"], Bound::AtMost),
    (&["<"], Bound::AtMost),
    (&["<="], Bound::AtMost),
    (&["≤"], Bound::AtMost),
    (&["di", "atas"], Bound::AtLeast),
    (&["diatas"], Bound::AtLeast),
    (&["lebih", "dari"], Bound::AtLeast),
    (&["minimal"], Bound::AtLeast),
    (&["minimum"], Bound::AtLeast),
    (&["min"], Bound::AtLeast),
    (&["mulai"], Bound::AtLeast),
    (&["mulai", "dari"], Bound::AtLeast),
    (&["above"], Bound::AtLeast),
    (&["over"], Bound::AtLeast),
    (&["more", "than"], Bound::AtLeast),
    (&[">"], Bound::AtLeast),
    (&[">="], Bound::AtLeast),
    (&["≥"], Bound::AtLeast),
    (&["antara"], Bound::Between),
    (&["between"], Bound::Between),
    (&["range"], Bound::Between),
];

/// Words for "cheapest first".
const CHEAP: &[&[&str]] = &[
    &["murah"],
    &["termurah"],
    &["paling", "murah"],
    &["harga", "murah"],
    &["murah", "meriah"],
    &["murmer"],
    &["cheap"],
    &["cheapest"],
];

/// A price phrase starting at word `i`: the lowest and highest price it asks for and how many
/// words it takes. "harga" before it belongs to it and makes a bare number a price.
fn price_at(words: &[Word], i: usize) -> Option<(Option<i64>, Option<i64>, usize)> {
    let lead = usize::from(
        words
            .get(i)
            .is_some_and(|w| w.norm == "harga" || w.norm == "price"),
    );
    let start = i + lead;
    let comparison = COMPARISONS
        .iter()
        .filter(|(phrase, _)| phrase_is_at(words, start, phrase))
        .max_by_key(|(phrase, _)| phrase.len());
    let Some((phrase, bound)) = comparison else {
        // No comparison: a range, or one amount as the most to pay ("100rb", "Rp 50.000").
        let asked = lead == 1;
        if let Some((low, high, used)) = range_at(words, start, false) {
            if asked || low.is_money() || high.is_money() {
                let (low, high) = (low.value(true)?, high.value(true)?);
                return Some((Some(low.min(high)), Some(low.max(high)), start + used - i));
            }
        }
        let (amount, used) = amount_at(words, start)?;
        if !(asked || amount.is_money()) {
            return None;
        }
        return Some((None, Some(amount.value(asked)?), start + used - i));
    };
    let at = start + phrase.len();
    if let Some((low, high, used)) = range_at(words, at, *bound == Bound::Between) {
        let (low, high) = (low.value(true)?, high.value(true)?);
        return Some((Some(low.min(high)), Some(low.max(high)), at + used - i));
    }
    if *bound == Bound::Between {
        return None;
    }
    let (amount, used) = amount_at(words, at)?;
    let value = amount.value(true)?;
    let (min, max) = match bound {
        Bound::AtLeast => (Some(value), None),
        _ => (None, Some(value)),
    };
    Some((min, max, at + used - i))
}

fn price_chip(min: Option<i64>, max: Option<i64>) -> Chip {
    let range = match (min, max) {
        (Some(low), Some(high)) => format!("{}–{}", format_rupiah(low), format_rupiah(high)),
        (Some(low), None) => format!("≥ {}", format_rupiah(low)),
        (None, Some(high)) => format!("≤ {}", format_rupiah(high)),
        (None, None) => String::new(),
    };
    Chip {
        key: "harga".into(),
        kind: ChipKind::Price,
        label_id: format!("Harga {range}"),
        label_en: format!("Price {range}"),
    }
}

fn cheap_chip() -> Chip {
    Chip {
        key: "murah".into(),
        kind: ChipKind::Cheap,
        label_id: "Termurah dulu".into(),
        label_en: "Cheapest first".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Understanding.

enum Finding {
    Price { min: Option<i64>, max: Option<i64> },
    Cheap,
    Meant(Meaning),
}

/// What `raw` says: its price, documents, regions and occasions as filters, the rest as the
/// words to search.
pub fn understand(raw: &str, vocabulary: &Vocabulary) -> Understood {
    understand_except(raw, vocabulary, &[])
}

/// `understand`, with the understandings whose chip keys are in `ignored` turned off: their
/// words are dropped and they filter nothing (a removed chip).
pub fn understand_except(raw: &str, vocabulary: &Vocabulary, ignored: &[String]) -> Understood {
    let words = words_of(raw);
    let mut kept: Vec<&Word> = Vec::new();
    let mut found: Vec<Finding> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if let Some((min, max, used)) = price_at(&words, i) {
            found.push(Finding::Price { min, max });
            i += used;
        } else if let Some(used) = longest_at(&words, i, CHEAP) {
            found.push(Finding::Cheap);
            i += used;
        } else if let Some((meaning, used)) = vocabulary.meaning_at(&words, i) {
            match meaning {
                Some(meaning) => found.push(Finding::Meant(meaning)),
                None => kept.extend(&words[i..i + used]),
            }
            i += used;
        } else {
            kept.push(&words[i]);
            i += 1;
        }
    }

    let mut understood = Understood::default();
    let (mut min, mut max) = (None, None);
    let mut price_at_chip: Option<usize> = None;
    for finding in &found {
        let chip = match finding {
            Finding::Price { .. } => price_chip(None, None),
            Finding::Cheap => cheap_chip(),
            Finding::Meant(meaning) => vocabulary.chip(*meaning),
        };
        if ignored.contains(&chip.key) {
            continue;
        }
        let again = understood.chips.iter().any(|c| c.key == chip.key);
        match finding {
            Finding::Price {
                min: low,
                max: high,
            } => {
                min = low.or(min);
                max = high.or(max);
            }
            Finding::Cheap => understood.cheap = true,
            Finding::Meant(Meaning::Certificate(c)) => {
                for kind in CERTIFICATES[*c].kinds {
                    push_new(&mut understood.certifications, kind.code());
                }
            }
            Finding::Meant(Meaning::Region(r)) => {
                for province in &vocabulary.regions[*r].provinces {
                    push_new(&mut understood.provinces, province);
                }
            }
            Finding::Meant(Meaning::Occasion(o)) => {
                for category in &vocabulary.occasions[*o].categories {
                    push_new(&mut understood.categories, category);
                }
            }
        }
        if !again {
            if chip.kind == ChipKind::Price {
                price_at_chip = Some(understood.chips.len());
            }
            understood.chips.push(chip);
        }
    }
    if let (Some(low), Some(high)) = (min, max) {
        if low > high {
            (min, max) = (Some(high), Some(low));
        }
    }
    understood.price_min = min;
    understood.price_max = max;
    if let Some(at) = price_at_chip {
        understood.chips[at] = price_chip(min, max);
    }

    // Understanding that leaves only "dan", "untuk", "harga"... searches every product.
    let only_fillers = kept
        .iter()
        .all(|w| w.norm.is_empty() || vocabulary.filler_words.contains(&w.norm));
    understood.text = if !found.is_empty() && only_fillers {
        String::new()
    } else {
        kept.iter().map(|w| w.typed).collect::<Vec<_>>().join(" ")
    };
    understood
}

/// What a query that found nothing was searched as instead, for the page to say: its words
/// corrected ("kopu gayo" is searched as `kopi gayo`) or left out ("zzqx lebaran" is searched as
/// `lebaran`, without `zzqx`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordsDropped {
    /// The words searched, in the order typed.
    pub searched: Vec<String>,
    /// The words left out, in the order typed (none when words were only corrected).
    pub dropped: Vec<String>,
}

/// The words of a query that found nothing, mended word by word: each kept as typed, replaced
/// by a correction or left out, in the order typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mended {
    typed: Vec<String>,
    /// What each typed word is searched as; `None`: left out.
    searched: Vec<Option<String>>,
}

impl Mended {
    /// Keeps each word that alone matches something (`matched[i]` answers for `words[i]`; a
    /// word without an answer, beyond `matched`, is kept), replaces one that does not by its
    /// correction (`corrections[i]`) and leaves it out, wherever it stands, when there is none.
    pub fn new(words: &[String], matched: &[bool], corrections: &[Option<String>]) -> Self {
        let searched = words
            .iter()
            .enumerate()
            .map(|(i, word)| {
                if matched.get(i).copied().unwrap_or(true) {
                    Some(word.clone())
                } else {
                    corrections.get(i).cloned().flatten()
                }
            })
            .collect();
        Self {
            typed: words.to_vec(),
            searched,
        }
    }

    /// The words to search, in the order typed.
    pub fn words(&self) -> Vec<String> {
        self.searched.iter().flatten().cloned().collect()
    }

    /// Whether the words to search differ from those typed.
    pub fn changed(&self) -> bool {
        self.searched
            .iter()
            .zip(&self.typed)
            .any(|(searched, typed)| searched.as_ref() != Some(typed))
    }

    /// Leaves out the last word still searched, unless it is the only one: Indonesian puts the
    /// head noun first, so "tas motif bali" becomes "tas motif", then "tas". False when nothing
    /// was left out.
    pub fn drop_last(&mut self) -> bool {
        if self.searched.iter().flatten().count() < 2 {
            return false;
        }
        match self.searched.iter_mut().rev().find(|s| s.is_some()) {
            Some(last) => {
                *last = None;
                true
            }
            None => false,
        }
    }

    /// What the page says: the words searched and those left out.
    pub fn note(&self) -> WordsDropped {
        WordsDropped {
            searched: self.words(),
            dropped: self
                .typed
                .iter()
                .zip(&self.searched)
                .filter(|(_, searched)| searched.is_none())
                .map(|(typed, _)| typed.clone())
                .collect(),
        }
    }
}

/// Units written after an amount ("5 kg", "250 g", "60 ml", "2 m", "60 x 90").
const MEASURES: [&str; 20] = [
    "kg", "g", "gr", "gram", "ons", "mg", "ml", "l", "lt", "ltr", "liter", "litre", "cc", "cm",
    "mm", "m", "meter", "pcs", "pc", "x",
];

/// Whether a word of a query says only how much ("5", "1,5", "5kg", "kg", "250g"): words
/// that, searched without the rest, find whatever has that size ("beras 5 kg" is not a sack
/// of compost).
pub fn is_quantity(word: &str) -> bool {
    let word = word.to_lowercase();
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',');
    (unit.is_empty() && !word.is_empty()) || MEASURES.contains(&unit)
}

/// A query to offer when nothing was found ("Mungkin maksud Anda: kopi"): words typed that
/// match nothing respelled as words of the shop or left out, the others kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respelling {
    /// A word as typed and what it becomes (`None`: left out).
    pub changes: Vec<(String, Option<String>)>,
}

impl Respelling {
    /// `text` (the query the changes were made for, or one holding its words) with its words
    /// changed; words the changes do not name are kept.
    pub fn apply(&self, text: &str) -> String {
        text.split_whitespace()
            .filter_map(
                |word| match self.changes.iter().find(|(typed, _)| typed == word) {
                    Some((_, instead)) => instead.clone(),
                    None => Some(word.to_string()),
                },
            )
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Up to `max` respellings of `words`, a query that found nothing, from what is near each word
/// (`near[i]` for `words[i]`, nearest first; `None`: the word is kept; empty: nothing is near,
/// the word is left out): the first takes the nearest of each word, the next the second
/// nearest where there is one, and so on, each once. None when nothing is near any word.
pub fn respellings(words: &[String], near: &[Option<Vec<String>>], max: usize) -> Vec<Respelling> {
    let most = near.iter().flatten().map(Vec::len).max().unwrap_or(0);
    let mut out: Vec<Respelling> = Vec::new();
    for k in 0..most {
        if out.len() >= max {
            break;
        }
        let changes = words
            .iter()
            .zip(near)
            .filter_map(|(word, near)| {
                let near = near.as_ref()?;
                Some((word.clone(), near.get(k).or(near.last()).cloned()))
            })
            .collect();
        let respelling = Respelling { changes };
        if !out.contains(&respelling) {
            out.push(respelling);
        }
    }
    out
}

fn push_new(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::built_in()
    }

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    fn dropped(searched: &[&str], dropped: &[&str]) -> WordsDropped {
        WordsDropped {
            searched: owned(searched),
            dropped: owned(dropped),
        }
    }

    #[test]
    fn words_that_match_nothing_are_dropped_wherever_they_stand() {
        let words = owned(&["zzqx", "kopi", "xyz", "toraja"]);
        let mended = Mended::new(&words, &[false, true, false, true], &[]);
        assert!(mended.changed());
        assert_eq!(mended.words(), owned(&["kopi", "toraja"]));
        assert_eq!(
            mended.note(),
            dropped(&["kopi", "toraja"], &["zzqx", "xyz"])
        );
        let words = owned(&["teak", "dining", "table"]);
        let mended = Mended::new(&words, &[false, true, true], &[]);
        assert_eq!(
            mended.note(),
            dropped(&["dining", "table"], &["teak"]),
            "the head noun stays"
        );
    }

    #[test]
    fn words_all_matching_or_all_matching_nothing_are_kept_or_dropped_together() {
        let words = owned(&["kopi", "gayo"]);
        let all = Mended::new(&words, &[true, true], &[]);
        assert!(!all.changed());
        assert_eq!(all.note(), dropped(&["kopi", "gayo"], &[]));
        let none = Mended::new(&words, &[false, false], &[]);
        assert!(none.words().is_empty());
        assert_eq!(none.note(), dropped(&[], &["kopi", "gayo"]));
        assert!(Mended::new(&[], &[], &[]).words().is_empty());
    }

    #[test]
    fn words_not_asked_about_are_kept() {
        let words = owned(&["a", "b", "c"]);
        let mended = Mended::new(&words, &[false], &[]);
        assert_eq!(mended.note(), dropped(&["b", "c"], &["a"]));
    }

    #[test]
    fn a_word_matching_nothing_is_searched_as_its_correction_when_there_is_one() {
        let words = owned(&["kopu", "gayo", "zzqx"]);
        let corrections = [Some("kopi".to_string()), None, None];
        let mended = Mended::new(&words, &[false, true, false], &corrections);
        assert!(mended.changed());
        assert_eq!(mended.words(), owned(&["kopi", "gayo"]));
        assert_eq!(mended.note(), dropped(&["kopi", "gayo"], &["zzqx"]));
        let only_corrected = Mended::new(&words[..2], &[false, true], &corrections);
        assert_eq!(only_corrected.note(), dropped(&["kopi", "gayo"], &[]));
    }

    #[test]
    fn words_are_left_out_from_the_end_down_to_the_first() {
        let words = owned(&["tas", "motif", "zzqx", "bali"]);
        let mut mended = Mended::new(&words, &[true, true, false, true], &[]);
        assert!(mended.drop_last());
        assert_eq!(mended.note(), dropped(&["tas", "motif"], &["zzqx", "bali"]));
        assert!(mended.drop_last());
        assert_eq!(
            mended.note(),
            dropped(&["tas"], &["motif", "zzqx", "bali"]),
            "in the order typed"
        );
        assert!(!mended.drop_last(), "the first word stays");
        assert_eq!(mended.words(), owned(&["tas"]));
    }

    #[test]
    fn amounts_and_units_alone_are_quantities_and_words_are_not() {
        for word in ["5", "1,5", "250.000", "5kg", "KG", "250g", "60", "ml", "x"] {
            assert!(is_quantity(word), "{word}");
        }
        for word in ["beras", "kopi", "kg5", "gayo", "", "5 kg"] {
            assert!(!is_quantity(word), "{word}");
        }
    }

    #[test]
    fn respellings_take_the_nearest_words_first_then_the_next_and_leave_out_the_rest() {
        let words = owned(&["zzqx", "kpi", "gayo"]);
        let near = [Some(Vec::new()), Some(owned(&["kopi", "kapi"])), None];
        let found = respellings(&words, &near, 3);
        let texts: Vec<String> = found.iter().map(|r| r.apply("zzqx kpi gayo")).collect();
        assert_eq!(texts, ["kopi gayo", "kapi gayo"]);
        assert_eq!(respellings(&words, &near, 1).len(), 1);
        // Nothing near any word: nothing to offer (leaving words out is the second pass's).
        let none = [Some(Vec::new()), None, None];
        assert!(respellings(&words, &none, 3).is_empty());
        assert!(respellings(&[], &[], 3).is_empty());
    }

    #[test]
    fn a_respelling_changes_the_words_it_names_in_the_query_as_typed() {
        let respelling = Respelling {
            changes: vec![("lukisn".into(), Some("lukisan".into()))],
        };
        assert_eq!(respelling.apply("lukisn murah"), "lukisan murah");
        assert_eq!(respelling.apply("kopi"), "kopi");
    }

    fn u(raw: &str) -> Understood {
        understand(raw, &vocabulary())
    }

    fn keys(understood: &Understood) -> Vec<&str> {
        understood.chips.iter().map(|c| c.key.as_str()).collect()
    }

    // Prices.

    #[test]
    fn a_chair_under_one_million_is_the_word_kursi_and_a_price_of_at_most_a_million() {
        let q = u("kursi di bawah 1 juta");
        assert_eq!(q.text, "kursi");
        assert_eq!((q.price_min, q.price_max), (None, Some(1_000_000)));
        assert_eq!(q.chips[0].label_id, "Harga ≤ Rp1.000.000");
        assert_eq!(q.chips[0].label_en, "Price ≤ Rp1.000.000");
        assert_eq!(q.chips[0].kind, ChipKind::Price);
    }

    #[test]
    fn dibawah_maks_maksimal_and_kurang_dari_all_set_the_highest_price() {
        for raw in [
            "batik dibawah 500rb",
            "batik maks 500rb",
            "batik maks. 500rb",
            "batik maksimal 500 ribu",
            "batik kurang dari 500.000",
            "batik max 500k",
            "batik under 500k",
        ] {
            let q = u(raw);
            assert_eq!(q.text, "batik", "{raw}");
            assert_eq!(q.price_max, Some(500_000), "{raw}");
            assert_eq!(q.price_min, None, "{raw}");
        }
    }

    #[test]
    fn a_less_than_sign_works_written_apart_or_against_the_amount() {
        assert_eq!(u("kopi < 60rb").price_max, Some(60_000));
        assert_eq!(u("kopi <60rb").price_max, Some(60_000));
        assert_eq!(u("kopi <60rb").text, "kopi");
        assert_eq!(u("kopi <= 60rb").price_max, Some(60_000));
        assert_eq!(u("kopi ≤ 60rb").price_max, Some(60_000));
    }

    #[test]
    fn thousands_are_written_rb_ribu_k_or_against_the_number() {
        for raw in [
            "100rb", "100 rb", "100 ribu", "100ribu", "100k", "100 k", "100rb.",
        ] {
            assert_eq!(u(raw).price_max, Some(100_000), "{raw}");
            assert_eq!(u(raw).text, "", "{raw}");
        }
    }

    #[test]
    fn millions_are_written_jt_or_juta_with_decimals_the_indonesian_or_english_way() {
        assert_eq!(u("2jt").price_max, Some(2_000_000));
        assert_eq!(u("2 juta").price_max, Some(2_000_000));
        assert_eq!(u("1,5 juta").price_max, Some(1_500_000));
        assert_eq!(u("1.5jt").price_max, Some(1_500_000));
        assert_eq!(u("2,25 jt").price_max, Some(2_250_000));
        assert_eq!(u("sejuta").price_max, Some(1_000_000));
    }

    #[test]
    fn an_amount_alone_with_rb_or_rp_is_the_most_the_shopper_will_pay() {
        let q = u("tas 100rb");
        assert_eq!(q.text, "tas");
        assert_eq!((q.price_min, q.price_max), (None, Some(100_000)));
    }

    #[test]
    fn rupiah_amounts_are_read_with_or_without_a_space_and_with_thousands_dots() {
        for raw in [
            "Rp 50.000",
            "rp50000",
            "Rp50.000",
            "rp. 50.000",
            "50.000 rupiah",
            "IDR 50,000",
        ] {
            assert_eq!(u(raw).price_max, Some(50_000), "{raw}");
            assert_eq!(u(raw).text, "", "{raw}");
        }
    }

    #[test]
    fn ranges_are_read_with_antara_a_dash_or_sampai_and_share_the_multiplier() {
        for raw in [
            "antara 50 - 100 ribu",
            "antara 50rb dan 100rb",
            "50-100rb",
            "50rb-100rb",
            "50rb - 100rb",
            "50 sampai 100 ribu",
            "harga 50.000-100.000",
            "between 50k and 100k",
        ] {
            let q = u(raw);
            assert_eq!(
                (q.price_min, q.price_max),
                (Some(50_000), Some(100_000)),
                "{raw}"
            );
            assert_eq!(q.text, "", "{raw}");
            assert_eq!(q.chips[0].label_id, "Harga Rp50.000–Rp100.000", "{raw}");
        }
        let q = u("1-2 juta");
        assert_eq!(
            (q.price_min, q.price_max),
            (Some(1_000_000), Some(2_000_000))
        );
        let q = u("500 - 1 juta");
        assert_eq!((q.price_min, q.price_max), (Some(500_000), Some(1_000_000)));
    }

    #[test]
    fn a_reversed_range_is_turned_around() {
        let q = u("antara 200rb dan 100rb");
        assert_eq!((q.price_min, q.price_max), (Some(100_000), Some(200_000)));
    }

    #[test]
    fn di_atas_and_minimal_set_the_lowest_price() {
        let q = u("lukisan di atas 2 juta");
        assert_eq!(q.text, "lukisan");
        assert_eq!((q.price_min, q.price_max), (Some(2_000_000), None));
        assert_eq!(q.chips[0].label_id, "Harga ≥ Rp2.000.000");
        assert_eq!(u("lukisan minimal 2jt").price_min, Some(2_000_000));
    }

    #[test]
    fn a_bare_number_after_a_price_word_below_a_thousand_means_thousands() {
        assert_eq!(u("kopi di bawah 50").price_max, Some(50_000));
        assert_eq!(u("kopi harga 75").price_max, Some(75_000));
        assert_eq!(u("kopi di bawah 50000").price_max, Some(50_000));
    }

    #[test]
    fn numbers_without_money_words_stay_words_to_search() {
        for raw in [
            "kopi 250 g",
            "kaos ukuran 40-45",
            "miniatur kapal 60 cm",
            "telur 10 butir",
        ] {
            let q = u(raw);
            assert_eq!(q.text, raw, "{raw}");
            assert!(q.chips.is_empty(), "{raw}");
        }
    }

    #[test]
    fn a_price_word_without_an_amount_stays_a_word() {
        let q = u("lemari di bawah tangga");
        assert_eq!(q.text, "lemari di bawah tangga");
        assert_eq!(q.price_max, None);
        assert!(q.chips.is_empty());
    }

    #[test]
    fn absurd_amounts_are_not_prices() {
        assert_eq!(u("kursi di bawah 0").price_max, None);
        assert_eq!(u("99999999999999jt").price_max, None);
        assert_eq!(u("1.2.3rb").price_max, None);
    }

    #[test]
    fn murah_sorts_cheapest_first_with_its_own_chip() {
        let q = u("kopi murah");
        assert_eq!(q.text, "kopi");
        assert!(q.cheap);
        assert_eq!((q.price_min, q.price_max), (None, None));
        assert_eq!(q.chips[0].label_id, "Termurah dulu");
        assert_eq!(q.chips[0].label_en, "Cheapest first");
        for raw in [
            "kopi paling murah",
            "kopi termurah",
            "kopi harga murah",
            "cheap kopi",
        ] {
            assert!(u(raw).cheap, "{raw}");
            assert_eq!(u(raw).text, "kopi", "{raw}");
        }
    }

    #[test]
    fn cheap_and_a_price_limit_go_together() {
        let q = u("keripik murah di bawah 20rb");
        assert_eq!(q.text, "keripik");
        assert!(q.cheap);
        assert_eq!(q.price_max, Some(20_000));
        assert_eq!(keys(&q), ["murah", "harga"]);
    }

    // Legal documents.

    #[test]
    fn madu_bpom_is_honey_among_bpom_registered_products() {
        let q = u("madu bpom");
        assert_eq!(q.text, "madu");
        assert_eq!(q.certifications, ["BPOM-MD", "BPOM-NA"]);
        assert_eq!(q.chips[0].label_id, "BPOM");
        assert_eq!(q.chips[0].kind, ChipKind::Certification);
    }

    #[test]
    fn bpom_md_and_bpom_na_name_one_registration() {
        assert_eq!(u("madu bpom md").certifications, ["BPOM-MD"]);
        assert_eq!(u("madu bpom-md").text, "madu");
        assert_eq!(u("sabun bpom na").certifications, ["BPOM-NA"]);
    }

    #[test]
    fn every_document_word_gives_its_certification_code() {
        for (raw, code) in [
            ("keripik halal", "HALAL"),
            ("keripik pirt", "PIRT"),
            ("keripik p-irt", "PIRT"),
            ("keripik p irt", "PIRT"),
            ("keripik P-IRT", "PIRT"),
            ("kursi svlk", "SVLK"),
            ("batik sni", "SNI"),
            ("batik hki", "HKI"),
            ("batik haki", "HKI"),
        ] {
            let q = u(raw);
            assert_eq!(q.certifications, [code], "{raw}");
            assert_eq!(q.text.split(' ').count(), 1, "{raw}: {}", q.text);
            assert!(CertificationKind::parse(code).is_ok());
        }
    }

    #[test]
    fn a_word_that_announces_a_document_goes_with_it() {
        let q = u("kue bersertifikat halal");
        assert_eq!(q.text, "kue");
        assert_eq!(q.certifications, ["HALAL"]);
        let q = u("halal certified cookies");
        assert_eq!(q.text, "cookies");
        // Without a document after it, the word is searched.
        assert_eq!(u("label baju").text, "label baju");
    }

    #[test]
    fn two_documents_give_two_chips_and_a_repeated_one_counts_once() {
        let q = u("madu halal bpom halal");
        assert_eq!(q.certifications, ["HALAL", "BPOM-MD", "BPOM-NA"]);
        assert_eq!(keys(&q), ["sertifikat-halal", "sertifikat-bpom"]);
    }

    // Regions.

    #[test]
    fn a_province_name_of_several_words_is_a_province_filter() {
        let q = u("kopi sumatera utara");
        assert_eq!(q.text, "kopi");
        assert_eq!(q.provinces, ["Sumatera Utara"]);
        assert_eq!(q.chips[0].label_id, "Sumatera Utara");
        assert_eq!(q.chips[0].key, "wilayah-sumatera-utara");
        let q = u("tenun nusa tenggara timur");
        assert_eq!(q.text, "tenun");
        assert_eq!(q.provinces, ["Nusa Tenggara Timur"]);
    }

    #[test]
    fn what_shoppers_call_a_region_leads_to_its_province() {
        for (raw, province) in [
            ("batik jogja", "DI Yogyakarta"),
            ("batik yogya", "DI Yogyakarta"),
            ("batik jogjakarta", "DI Yogyakarta"),
            ("batik diy", "DI Yogyakarta"),
            ("batik solo", "Jawa Tengah"),
            ("batik ntt", "Nusa Tenggara Timur"),
            ("batik ntb", "Nusa Tenggara Barat"),
            ("batik sumut", "Sumatera Utara"),
            ("batik sumbar", "Sumatera Barat"),
            ("batik sumsel", "Sumatera Selatan"),
            ("batik jabar", "Jawa Barat"),
            ("batik jateng", "Jawa Tengah"),
            ("batik jatim", "Jawa Timur"),
            ("batik kalbar", "Kalimantan Barat"),
            ("batik kalteng", "Kalimantan Tengah"),
            ("batik kalsel", "Kalimantan Selatan"),
            ("batik kaltim", "Kalimantan Timur"),
            ("batik sulsel", "Sulawesi Selatan"),
            ("batik sulut", "Sulawesi Utara"),
            ("batik sulteng", "Sulawesi Tengah"),
            ("batik sultra", "Sulawesi Tenggara"),
            ("batik nad", "Aceh"),
            ("batik papua", "Papua"),
            ("batik jakarta", "DKI Jakarta"),
            ("batik dki", "DKI Jakarta"),
            ("Batik DKI Jakarta", "DKI Jakarta"),
        ] {
            let q = u(raw);
            assert_eq!(q.provinces, [province], "{raw}");
            assert_eq!(q.text.to_lowercase(), "batik", "{raw}");
        }
    }

    #[test]
    fn the_longest_region_name_wins() {
        assert_eq!(u("noken papua barat daya").provinces, ["Papua Barat Daya"]);
        assert_eq!(u("noken papua barat").provinces, ["Papua Barat"]);
        assert_eq!(u("noken papua").provinces, ["Papua"]);
    }

    #[test]
    fn jabodetabek_is_three_provinces_under_one_chip() {
        let q = u("kaos jabodetabek");
        assert_eq!(q.text, "kaos");
        assert_eq!(q.provinces, ["DKI Jakarta", "Jawa Barat", "Banten"]);
        assert_eq!(q.chips.len(), 1);
        assert_eq!(q.chips[0].label_id, "Jabodetabek");
    }

    #[test]
    fn khas_and_dari_before_a_region_go_with_it() {
        let q = u("kopi khas aceh");
        assert_eq!(q.text, "kopi");
        assert_eq!(q.provinces, ["Aceh"]);
        assert_eq!(u("kopi dari aceh").text, "kopi");
        assert_eq!(u("kopi asal bali").provinces, ["Bali"]);
        // Without a region after it, khas is searched.
        assert_eq!(u("rasa khas").text, "rasa khas");
    }

    #[test]
    fn a_region_name_that_product_names_contain_stays_a_word_unless_khas_says_it_is_the_origin() {
        // "Kopi bubuk Robusta Lampung" is made anywhere; the unit's province is searched too.
        let q = u("kopi robusta lampung");
        assert_eq!(q.text, "kopi robusta lampung");
        assert!(q.provinces.is_empty() && q.chips.is_empty());
        assert_eq!(u("peci aceh").text, "peci aceh");
        assert_eq!(u("kopi khas lampung").provinces, ["Lampung"]);
        assert_eq!(u("sabun dari bali").provinces, ["Bali"]);
        assert_eq!(u("oleh-oleh di aceh").provinces, ["Aceh"]);
    }

    #[test]
    fn a_region_after_motif_is_a_pattern_and_stays_a_word() {
        let q = u("tas motif bali");
        assert_eq!(q.text, "tas motif bali");
        assert!(q.provinces.is_empty());
        assert!(q.chips.is_empty());
    }

    // Occasions.

    #[test]
    fn oleh_oleh_khas_aceh_is_food_and_crafts_of_aceh_with_nothing_left_to_match() {
        let q = u("oleh oleh khas aceh");
        assert_eq!(q.text, "");
        assert_eq!(q.categories, ["Kuliner", "Kerajinan Tangan"]);
        assert_eq!(q.provinces, ["Aceh"]);
        assert_eq!(keys(&q), ["acara-oleh-oleh", "wilayah-aceh"]);
        for raw in ["oleh-oleh", "Oleh-Oleh", "oleh2", "buah tangan"] {
            assert_eq!(u(raw).categories, ["Kuliner", "Kerajinan Tangan"], "{raw}");
        }
    }

    #[test]
    fn every_occasion_word_leads_to_categories_and_leaves_the_text() {
        for (raw, category) in [
            ("hampers", "Kuliner"),
            ("parsel", "Kuliner"),
            ("parcel", "Kuliner"),
            ("kado", "Kerajinan Tangan"),
            ("hadiah", "Seni"),
            ("gift", "Kerajinan Tangan"),
            ("souvenir", "Kerajinan Tangan"),
            ("cenderamata", "Seni"),
            ("cendera mata", "Seni"),
            ("idul fitri", "Kuliner"),
            ("natal", "Kuliner"),
            ("pernikahan", "Fesyen dan Tekstil"),
            ("nikahan", "Kerajinan Tangan"),
            ("wedding", "Seni"),
            ("seragam", "Fesyen dan Tekstil"),
        ] {
            let q = u(raw);
            assert!(q.categories.iter().any(|c| c == category), "{raw}: {q:?}");
            assert_eq!(q.text, "", "{raw}");
            assert_eq!(q.chips[0].kind, ChipKind::Occasion, "{raw}");
        }
    }

    #[test]
    fn an_occasion_word_that_product_names_contain_stays_a_word_to_search() {
        let q = u("kue lebaran");
        assert_eq!(q.text, "kue lebaran");
        assert!(q.categories.is_empty());
        let own = vocabulary().with_catalogue_words(["Natal".to_string()]);
        let q = understand("pohon natal", &own);
        assert_eq!(q.text, "pohon natal");
        assert!(q.chips.is_empty());
    }

    #[test]
    fn occasion_chips_speak_both_languages() {
        let q = u("kado");
        assert_eq!(q.chips[0].label("id"), "Kado");
        assert_eq!(q.chips[0].label("en"), "Gifts");
    }

    // Text and chips.

    #[test]
    fn what_is_not_understood_stays_in_order_as_typed() {
        let q = u("Kopi Gayo halal Arabika di bawah 100rb NTT Flores");
        assert_eq!(q.text, "Kopi Gayo Arabika Flores");
        assert_eq!(q.certifications, ["HALAL"]);
        assert_eq!(q.price_max, Some(100_000));
        assert_eq!(q.provinces, ["Nusa Tenggara Timur"]);
    }

    #[test]
    fn a_query_with_nothing_to_understand_is_left_as_it_is() {
        for raw in [
            "kopi gayo",
            "sendal jepit anyaman",
            "",
            "batik tulis motif parang",
        ] {
            let q = u(raw);
            assert_eq!(q, Understood::literal(raw), "{raw}");
        }
    }

    #[test]
    fn filler_words_alone_are_not_searched_once_the_rest_was_understood() {
        let q = u("cari kado untuk natal");
        assert_eq!(q.text, "");
        assert_eq!(keys(&q), ["acara-kado", "acara-natal"]);
        // A query of filler words only, understood in nothing, is searched as typed.
        assert_eq!(u("dan").text, "dan");
    }

    #[test]
    fn a_removed_chip_filters_nothing_and_its_words_go_with_it() {
        let vocabulary = vocabulary();
        let ignored = ["harga".to_string()];
        let q = understand_except("kursi di bawah 1 juta", &vocabulary, &ignored);
        assert_eq!(q.text, "kursi");
        assert_eq!(q.price_max, None);
        assert!(q.chips.is_empty());

        let ignored = ["sertifikat-bpom".to_string()];
        let q = understand_except("madu halal bpom", &vocabulary, &ignored);
        assert_eq!(q.text, "madu");
        assert_eq!(q.certifications, ["HALAL"]);
        assert_eq!(keys(&q), ["sertifikat-halal"]);

        let ignored = ["wilayah-aceh".to_string(), "murah".to_string()];
        let q = understand_except("oleh oleh khas aceh murah", &vocabulary, &ignored);
        assert!(q.provinces.is_empty() && !q.cheap);
        assert_eq!(q.categories, ["Kuliner", "Kerajinan Tangan"]);
    }

    #[test]
    fn forgetting_the_price_or_the_cheap_sort_drops_their_chips() {
        let mut q = u("kopi murah di bawah 50rb halal");
        q.forget_price();
        q.forget_cheap();
        assert_eq!((q.price_min, q.price_max, q.cheap), (None, None, false));
        assert_eq!(keys(&q), ["sertifikat-halal"]);
    }

    #[test]
    fn punctuation_around_words_does_not_hide_them() {
        let q = u("madu (bpom), di bawah 150rb!");
        assert_eq!(q.certifications, ["BPOM-MD", "BPOM-NA"]);
        assert_eq!(q.price_max, Some(150_000));
        assert_eq!(q.text, "madu");
    }

    #[test]
    fn odd_input_never_panics_and_prices_stay_in_bounds() {
        let long = "9".repeat(300);
        for raw in [
            "< > <= - -- rp rp. idr jt juta rb",
            "rp-",
            "1,,5jt",
            ".5jt",
            "5.jt",
            "—",
            "antara",
            "antara 5",
            "antara 5 dan",
            "di bawah",
            "harga",
            "khas",
            "motif",
            "bersertifikat",
            "😀 murah 😀",
            long.as_str(),
            "1e9jt",
            "0,000001jt",
        ] {
            let q = u(raw);
            for v in [q.price_min, q.price_max].into_iter().flatten() {
                assert!((1..PRICE_LIMIT).contains(&v), "{raw}: {v}");
            }
        }
    }

    // The vocabulary.

    #[test]
    fn the_built_in_vocabulary_names_every_province_of_the_reference_list_as_stored() {
        let names = vocabulary()
            .province_names()
            .into_iter()
            .map(str::to_string)
            .collect::<HashSet<_>>();
        let reference = include_str!("../seed/reference/provinces.csv");
        let stored: HashSet<String> = reference
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').nth(1))
            .map(str::to_string)
            .collect();
        assert_eq!(stored.len(), 38);
        assert_eq!(names, stored);
        for name in &stored {
            let q = u(&format!("khas {}", name.to_lowercase()));
            assert_eq!(q.provinces, [name.as_str()], "{name}");
        }
    }

    #[test]
    fn a_vocabulary_that_means_one_phrase_two_ways_is_refused() {
        let twice =
            r#"{"regions": [{"provinces": ["Bali"], "aliases": ["halal"]}], "occasions": []}"#;
        assert!(Vocabulary::parse(twice).unwrap_err().contains("halal"));
        let unlabelled = r#"{"regions": [{"provinces": ["Bali", "Banten"]}], "occasions": []}"#;
        assert!(Vocabulary::parse(unlabelled).is_err());
        assert!(Vocabulary::parse("{").is_err());
    }
}
