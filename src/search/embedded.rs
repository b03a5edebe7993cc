//! The embedded engine: a tantivy index on disk, used when no Meilisearch is configured. It
//! honours `search-config/products.json` the way Meilisearch does: searchable attributes in
//! order of importance, the matching strategy, typo tolerance (by word length, only on the
//! attributes and words it is not disabled on, a different first letter costing two typos, as
//! `spelling::typo_cost` counts), prefix matching of the last word (a stop word only as the
//! beginning of a longer word), synonyms, stop words, filters on the filterable attributes,
//! sorts and facet counts, and the brand only when the request asks for it
//! (`SearchRequest::brand`, Meilisearch's `attributesToSearchOn`). What still differs from
//! Meilisearch is in the README ("Search").

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery,
    Occur, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Score, Searcher,
    SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

use super::config::{MatchingStrategy, Synonyms};
use super::spelling::{prefix_typo_cost, typo_cost};
use super::{
    FacetCounts, Hit, SearchConfig, SearchDoc, SearchError, SearchFuture, SearchRequest,
    SearchResults, SearchSort, BRAND, FACETS,
};
use crate::domain::synonyms::SynonymEntry;

/// The folder under `DATA_DIR/search`; a new schema gets a new folder (and a full reindex).
pub const INDEX_DIR: &str = "products-v4";
const TOKENIZER: &str = "etalase_folded";
const WRITER_MEMORY: usize = 20_000_000;
/// The clauses of a query, each with how it must occur.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Every this many commits, the mmap cache forgets the files of merged-away segments (see
/// `EmbeddedEngine::forget_deleted_files`).
const PRUNE_EVERY_COMMITS: u32 = 64;

/// Searchable text fields, by the attribute names of the config.
const TEXT_ATTRIBUTES: [&str; 9] = [
    "name",
    "kind",
    "brand",
    "category",
    "unit_name",
    "city",
    "province",
    "description",
    "description_en",
];

struct Fields {
    id: Field,
    slug: Field,
    name_stored: Field,
    /// (attribute, text field) for every searchable attribute.
    text: Vec<(&'static str, Field)>,
    /// Every searchable attribute but the brand in one field, for prefix matching: one
    /// automaton per word instead of one per word and attribute. (The brand is matched on its
    /// own field, when the request searches it.)
    all: Field,
    /// The searchable attributes that allow typos (`typoTolerance.disableOnAttributes` left
    /// out), but the brand, in one field, for typo matching.
    typo: Field,
    /// (attribute, keyword field) for every facet.
    keyword: Vec<(&'static str, Field)>,
    price: Field,
    created_at: Field,
    popularity: Field,
}

fn keyword_field_name(attr: &str) -> String {
    format!("kw_{attr}")
}

fn build_schema() -> (Schema, Fields) {
    let mut sb = Schema::builder();
    let text_opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let id = sb.add_u64_field("id", INDEXED | STORED | FAST);
    let slug = sb.add_text_field("slug", STORED);
    let name_stored = sb.add_text_field("name_stored", STORED);
    let text = TEXT_ATTRIBUTES
        .iter()
        .map(|attr| (*attr, sb.add_text_field(attr, text_opts.clone())))
        .collect();
    let all = sb.add_text_field("all", text_opts.clone());
    let typo = sb.add_text_field("typo", text_opts.clone());
    let keyword = FACETS
        .iter()
        .map(|attr| {
            (
                *attr,
                sb.add_text_field(&keyword_field_name(attr), STRING | FAST),
            )
        })
        .collect();
    let price = sb.add_u64_field("price", INDEXED | FAST);
    let created_at = sb.add_i64_field("created_at", FAST);
    let popularity = sb.add_u64_field("popularity", FAST);
    (
        sb.build(),
        Fields {
            id,
            slug,
            name_stored,
            text,
            all,
            typo,
            keyword,
            price,
            created_at,
            popularity,
        },
    )
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words of `text` as the index stores them: split at anything but letters and digits,
/// words of 40 bytes and more dropped, lower case, accents folded; stop words kept.
pub fn index_words(text: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut words = Vec::new();
    while let Some(token) = stream.next() {
        words.push(token.text.clone());
    }
    words
}

/// A map of synonyms, as `Synonyms::current` gives it.
type SynonymMap = HashMap<String, Vec<String>>;

fn internal(e: impl std::fmt::Display) -> SearchError {
    SearchError::Internal(e.to_string())
}

pub struct EmbeddedEngine {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    /// The index's folder, kept to prune its mmap cache.
    directory: MmapDirectory,
    commits: AtomicU32,
    fields: Fields,
    config: SearchConfig,
    /// The file's synonyms and those administrators added, swapped whole when these change.
    synonyms: Synonyms,
    /// Weight of each searchable attribute, by the order of `searchableAttributes`.
    weights: HashMap<String, f32>,
}

impl EmbeddedEngine {
    /// Opens (or creates) the index in `dir`. An index written with another schema is thrown
    /// away and recreated empty; the caller reindexes when the count does not match.
    pub fn open(dir: &Path, config: SearchConfig) -> Result<Self, SearchError> {
        let (schema, fields) = build_schema();
        let io = |e: std::io::Error| SearchError::Internal(format!("{}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(io)?;
        let open = |schema: Schema| -> Result<(Index, MmapDirectory), SearchError> {
            let directory = MmapDirectory::open(dir).map_err(internal)?;
            let index = Index::open_or_create(directory.clone(), schema).map_err(internal)?;
            Ok((index, directory))
        };
        let (index, directory) = match open(schema.clone()) {
            Ok(index) => index,
            Err(first) => {
                tracing::warn!(error = %first, "search index unreadable, recreating it");
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                open(schema)?
            }
        };
        index.tokenizers().register(TOKENIZER, analyzer());
        let writer = index
            .writer_with_num_threads(1, WRITER_MEMORY)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Unavailable(format!(
                    "the index in {} is in use by another etalase process",
                    dir.display()
                )),
                other => internal(other),
            })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(internal)?;
        let n = config.searchable_attributes.len();
        let weights = config
            .searchable_attributes
            .iter()
            .enumerate()
            .map(|(i, attr)| (attr.clone(), 1.0 + 1.5 * (n - i) as f32))
            .collect();
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            directory,
            commits: AtomicU32::new(0),
            fields,
            synonyms: Synonyms::of_file(&config),
            config,
            weights,
        })
    }

    fn to_document(&self, doc: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_u64(f.id, doc.id.max(0) as u64);
        d.add_text(f.slug, &doc.slug);
        d.add_text(f.name_stored, &doc.name);
        for (attr, field) in &f.text {
            let text = text_of(doc, attr);
            d.add_text(*field, text);
            if self.weights.contains_key(*attr) && *attr != BRAND {
                d.add_text(f.all, text);
                if self.config.typos_on(attr) {
                    d.add_text(f.typo, text);
                }
            }
        }
        for (attr, field) in &f.keyword {
            for value in keyword_values(doc, attr) {
                d.add_text(*field, value);
            }
        }
        d.add_u64(f.price, doc.price.max(0) as u64);
        d.add_i64(f.created_at, doc.created_at);
        d.add_u64(f.popularity, doc.popularity.max(0) as u64);
        d
    }

    fn write(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> tantivy::Result<()>,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(internal)?;
        if let Err(e) = f(&mut writer) {
            let _ = writer.rollback();
            return Err(internal(e));
        }
        writer.commit().map_err(internal)?;
        self.reader.reload().map_err(internal)?;
        drop(writer);
        self.forget_deleted_files();
        Ok(())
    }

    /// tantivy's `MmapDirectory` remembers every file it ever opened (a path and a dead weak
    /// reference each) and forgets them only when asked for its cache statistics. Every order
    /// re-indexes its products, and every commit makes a segment whose files a merge later
    /// deletes, so under steady checkout traffic that memory grew by about 2 MB a minute
    /// (found with jemalloc's heap profile during `bench/soak.sh`; see BENCHMARKS.md). Asking
    /// every `PRUNE_EVERY_COMMITS` commits keeps it to the files of the live segments.
    fn forget_deleted_files(&self) {
        if self
            .commits
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY_COMMITS)
        {
            let _ = self.directory.get_cache_info();
        }
    }

    pub fn upsert_now(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        self.write(|w| {
            for doc in docs {
                w.delete_term(Term::from_field_u64(self.fields.id, doc.id.max(0) as u64));
                w.add_document(self.to_document(doc))?;
            }
            Ok(())
        })
    }

    pub fn delete_now(&self, ids: &[i64]) -> Result<(), SearchError> {
        self.write(|w| {
            for id in ids {
                w.delete_term(Term::from_field_u64(self.fields.id, (*id).max(0) as u64));
            }
            Ok(())
        })
    }

    /// Replaces everything, then merges the index into one segment: a search walks each
    /// segment's dictionary once per typo or prefix automaton, so fewer segments are faster.
    pub fn replace_all_now(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        self.write(|w| {
            w.delete_all_documents()?;
            for doc in docs {
                w.add_document(self.to_document(doc))?;
            }
            Ok(())
        })?;
        let mut writer = self.writer.lock().map_err(internal)?;
        // The writer's own merge policy may be merging some of the new segments already; a
        // merge naming a segment it took fails, so the segments are read again and the merge
        // tried again. Still failing, the index is correct, only in more segments.
        for attempt in 1..=5 {
            let segments = writer.index().searchable_segment_ids().map_err(internal)?;
            if segments.len() <= 1 {
                break;
            }
            match writer.merge(&segments).wait() {
                Ok(_) => break,
                Err(e) if attempt == 5 => {
                    tracing::warn!(error = %e, "the reindexed search index was left in several segments");
                }
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(100)),
            }
        }
        drop(writer);
        self.reader.reload().map_err(internal)
    }

    pub fn count_now(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The file's synonyms and `added` from the next search on.
    pub fn set_added_synonyms_now(&self, added: &[SynonymEntry]) {
        self.synonyms.replace(self.config.synonyms_with(added));
    }

    /// The words of a query as Meilisearch reads them (as the index writes them, at most ten),
    /// each with whether it may be the beginning of a longer word: only the last, unless the
    /// query ends with a space. Stop words are left out, but for a last word that may begin a
    /// longer word (Meilisearch does not index stop words, yet matches such a word as the
    /// beginning of longer ones, whatever it is).
    fn query_words(&self, text: &str) -> Vec<(String, bool)> {
        let open = !text.ends_with(char::is_whitespace);
        let words = index_words(text);
        let last = words.len().saturating_sub(1);
        let mut words: Vec<(String, bool)> = words
            .into_iter()
            .enumerate()
            .map(|(i, word)| (word, open && i == last))
            .filter(|(word, prefix)| *prefix || !self.config.is_stop_word(word))
            .collect();
        words.truncate(10);
        words
    }

    /// Words of `field` (the `typo` field: the attributes that allow typos) within `typos`
    /// of `word`, as Meilisearch counts them (`spelling::typo_cost`), by number of typos; the
    /// word itself aside. With `prefix`, words that begin with a word within `typos` of `word`.
    fn typo_terms(
        &self,
        searcher: &Searcher,
        field: Field,
        word: &str,
        typos: u8,
        prefix: bool,
    ) -> Result<BTreeMap<u8, Vec<Term>>, SearchError> {
        let term = Term::from_field_text(field, word);
        let fuzzy = if prefix {
            FuzzyTermQuery::new_prefix(term, typos, true)
        } else {
            FuzzyTermQuery::new(term, typos, true)
        };
        let automaton = fuzzy.automaton().map_err(internal)?;
        let letters: Vec<char> = word.chars().collect();
        let mut found: BTreeMap<String, u8> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(internal)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(internal)?;
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if found.contains_key(candidate) {
                    continue;
                }
                let cost = if prefix {
                    prefix_typo_cost(&letters, candidate, typos)
                } else {
                    typo_cost(&letters, candidate, typos)
                };
                if let Some(cost) = cost.filter(|c| *c > 0) {
                    found.insert(candidate.to_string(), cost);
                }
            }
        }
        let mut by_typos: BTreeMap<u8, Vec<Term>> = BTreeMap::new();
        for (candidate, cost) in found {
            by_typos
                .entry(cost)
                .or_default()
                .push(Term::from_field_text(field, &candidate));
        }
        Ok(by_typos)
    }

    /// Indexed words (other than stop words, which Meilisearch does not index) that begin with
    /// the stop word `word` ending a query.
    fn after_stop_word(&self, searcher: &Searcher, word: &str) -> Result<Vec<Term>, SearchError> {
        let field = self.fields.all;
        let automaton = FuzzyTermQuery::new_prefix(Term::from_field_text(field, word), 0, true)
            .automaton()
            .map_err(internal)?;
        let mut words: BTreeSet<String> = BTreeSet::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field).map_err(internal)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(internal)?;
            while stream.advance() {
                let Ok(candidate) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if !self.config.is_stop_word(candidate) {
                    words.insert(candidate.to_string());
                }
            }
        }
        Ok(words
            .iter()
            .map(|word| Term::from_field_text(field, word))
            .collect())
    }

    /// One word in any searchable attribute (the brand only with `brand`): exact (and
    /// synonyms), with typos where the settings allow them, or, with `prefix`, as the beginning
    /// of a longer word (the last word, the visitor may still be typing it). `relaxed` allows
    /// typos in every attribute, two from three letters.
    fn word_query(
        &self,
        searcher: &Searcher,
        word: &str,
        prefix: bool,
        relaxed: bool,
        brand: bool,
        synonyms: &SynonymMap,
    ) -> Result<Box<dyn Query>, SearchError> {
        let top = self.weights.values().copied().fold(1.0f32, f32::max);
        if prefix && self.config.is_stop_word(word) {
            let terms = self.after_stop_word(searcher, word)?;
            return Ok(Box::new(BoostQuery::new(
                Box::new(TermSetQuery::new(terms)),
                top * 0.8,
            )));
        }
        let len = word.chars().count();
        let typos = if relaxed {
            self.config.typos_for(len).max(if len >= 3 { 2 } else { 0 })
        } else {
            self.config.typos_for_word(word)
        };
        let mut variants = vec![(word.to_string(), 1.0f32)];
        for syn in Synonyms::of(synonyms, word) {
            for part in index_words(syn) {
                if !self.config.is_stop_word(&part) {
                    variants.push((part, 0.9));
                }
            }
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // Exact words (and synonyms), weighted by the attribute they are found in.
        for (attr, field) in &self.fields.text {
            let Some(weight) = self.weights.get(*attr).copied() else {
                continue; // not searchable in this config
            };
            if *attr == BRAND && !brand {
                continue;
            }
            for (variant, factor) in &variants {
                let term = Term::from_field_text(*field, variant);
                // A constant score per attribute, as Meilisearch's attribute rule ranks: how
                // often the word occurs and how long the field is do not reorder products
                // matching in the same attributes; popularity then does.
                clauses.push((
                    Occur::Should,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                        weight * factor * 2.0,
                    )),
                ));
            }
        }
        // Typos and prefixes score below exact words, whatever the attribute; two typos below
        // one.
        let all = Term::from_field_text(self.fields.all, word);
        if relaxed && typos > 0 {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new(all.clone(), typos, true)),
                    top * 0.5,
                )),
            ));
        } else if typos > 0 {
            for (cost, terms) in self.typo_terms(searcher, self.fields.typo, word, typos, false)? {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermSetQuery::new(terms)),
                        top * if cost > 1 { 0.4 } else { 0.5 },
                    )),
                ));
            }
        }
        if prefix {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new_prefix(all.clone(), 0, true)),
                    top * 0.8,
                )),
            ));
            // A word being typed that starts a product name ranks that name first.
            if let Some((_, name)) = self.fields.text.iter().find(|(a, _)| *a == "name") {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(FuzzyTermQuery::new_prefix(
                            Term::from_field_text(*name, word),
                            0,
                            true,
                        )),
                        top,
                    )),
                ));
            }
            if relaxed {
                if len >= 5 && typos > 0 {
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new_prefix(all, 1, true)),
                            top * 0.3,
                        )),
                    ));
                }
            } else if typos > 0 {
                for terms in self
                    .typo_terms(searcher, self.fields.typo, word, typos, true)?
                    .into_values()
                {
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermSetQuery::new(terms)),
                            top * 0.3,
                        )),
                    ));
                }
            }
        }
        if brand && !relaxed {
            clauses.extend(self.brand_near(searcher, word, prefix, typos)?);
        }
        // A word scores by its best match (the attribute, exact before synonym before typo),
        // as Meilisearch's typo, attribute and exactness rules rank; other matches of the same
        // word only break ties. Summing them let a typo of a synonym outrank the word itself.
        Ok(Box::new(DisjunctionMaxQuery::with_tie_breaker(
            clauses.into_iter().map(|(_, q)| q).collect(),
            0.1,
        )))
    }

    /// The brand's words within `typos` of `word` (where the settings allow typos on it) and,
    /// with `prefix`, those that begin with `word`: what the `all` and `typo` fields, which
    /// leave the brand out, find in the other attributes. Scored as there.
    fn brand_near(
        &self,
        searcher: &Searcher,
        word: &str,
        prefix: bool,
        typos: u8,
    ) -> Result<Clauses, SearchError> {
        let mut clauses: Clauses = Vec::new();
        let Some(weight) = self.weights.get(BRAND).copied() else {
            return Ok(clauses);
        };
        let Some((_, field)) = self.fields.text.iter().find(|(a, _)| *a == BRAND) else {
            return Ok(clauses);
        };
        let field = *field;
        if typos > 0 && self.config.typos_on(BRAND) {
            for (cost, terms) in self.typo_terms(searcher, field, word, typos, false)? {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermSetQuery::new(terms)),
                        weight * if cost > 1 { 0.4 } else { 0.5 },
                    )),
                ));
            }
        }
        if prefix {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(FuzzyTermQuery::new_prefix(
                        Term::from_field_text(field, word),
                        0,
                        true,
                    )),
                    weight * 0.8,
                )),
            ));
            if typos > 0 && self.config.typos_on(BRAND) {
                for terms in self
                    .typo_terms(searcher, field, word, typos, true)?
                    .into_values()
                {
                    clauses.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(TermSetQuery::new(terms)),
                            weight * 0.3,
                        )),
                    ));
                }
            }
        }
        Ok(clauses)
    }

    fn filter_queries(&self, request: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &request.filters;
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (attr, values) in [
            ("category", &f.categories),
            ("province", &f.provinces),
            ("unit_slug", &f.units),
            ("certifications", &f.certifications),
        ] {
            if values.is_empty() {
                continue;
            }
            let field = self.keyword(attr);
            let terms: Vec<Term> = values
                .iter()
                .map(|v| Term::from_field_text(field, v))
                .collect();
            out.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        if f.in_stock {
            out.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.keyword("in_stock"), "true"),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if f.price_min.is_some() || f.price_max.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(p) => {
                    Bound::Included(Term::from_field_u64(self.fields.price, p.max(0) as u64))
                }
                None => Bound::Unbounded,
            };
            out.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(f.price_min), bound(f.price_max))),
            ));
        }
        out
    }

    fn keyword(&self, attr: &str) -> Field {
        self.fields
            .keyword
            .iter()
            .find(|(a, _)| *a == attr)
            .map(|(_, f)| *f)
            .expect("every facet has a keyword field")
    }

    fn build_query(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        words: &[(String, bool)],
        synonyms: &SynonymMap,
    ) -> Result<Box<dyn Query>, SearchError> {
        let mut clauses = self.filter_queries(request);
        if words.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        } else {
            let occur = if request.relaxed {
                Occur::Should
            } else {
                Occur::Must
            };
            let mut text: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(words.len());
            for (word, prefix) in words {
                text.push((
                    occur,
                    self.word_query(
                        searcher,
                        word,
                        *prefix,
                        request.relaxed,
                        request.brand,
                        synonyms,
                    )?,
                ));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(text))));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// Which of `words` the most products hold (the first of those that tie).
    fn most_frequent(
        &self,
        searcher: &Searcher,
        words: &[(String, bool)],
    ) -> Result<usize, SearchError> {
        let mut most = (0, 0u64);
        for (i, (word, _)) in words.iter().enumerate() {
            let held = searcher
                .doc_freq(&Term::from_field_text(self.fields.all, word))
                .map_err(internal)?;
            if held > most.1 {
                most = (i, held);
            }
        }
        Ok(most.0)
    }

    pub fn search_now(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        // The synonyms in force when the search began, whatever changes meanwhile.
        let synonyms = self.synonyms.current();
        let mut words = self.query_words(&request.text);
        loop {
            let query = self.build_query(&searcher, request, &words, &synonyms)?;
            let results = self.run(&searcher, request, query.as_ref())?;
            if results.total > 0 || words.len() <= 1 || request.relaxed {
                return Ok(results);
            }
            // Every word together finds nothing. `all`: that is the answer (the search page
            // then tries again, `search::retry`). `last` and `frequency` leave out a word,
            // the last or the one most products hold, and search again (Meilisearch also ranks
            // products matching fewer words after those matching all; here they are sought
            // only when none match all).
            match self.config.matching_strategy {
                MatchingStrategy::All => return Ok(results),
                MatchingStrategy::Last => {
                    words.pop();
                }
                MatchingStrategy::Frequency => {
                    let most = self.most_frequent(&searcher, &words)?;
                    words.remove(most);
                }
            }
        }
    }

    fn run(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        query: &dyn Query,
    ) -> Result<SearchResults, SearchError> {
        let per_page = request.per_page.clamp(1, 100) as usize;
        let max_total = self.config.pagination.max_total_hits.max(1);
        let offset = ((request.page.max(1) - 1) as usize * per_page).min(max_total);
        let limit = per_page.min(max_total - offset).max(1);
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let counter = FacetCounter {
            fields: if request.facets {
                FACETS.iter().map(|attr| keyword_field_name(attr)).collect()
            } else {
                Vec::new()
            },
        };
        // One pass over the matches: the page, the total and the facet counts.
        let (addresses, total, counts): (Vec<DocAddress>, usize, Vec<HashMap<String, u64>>) =
            match request.sort {
                SearchSort::Relevance => {
                    let c = top.order_by((
                        (SortBySimilarityScore, Order::Desc),
                        (
                            SortByStaticFastValue::<u64>::for_field("popularity"),
                            Order::Desc,
                        ),
                    ));
                    let (docs, total, counts) = searcher
                        .search(query, &(c, Count, counter))
                        .map_err(internal)?;
                    (docs.into_iter().map(|(_, a)| a).collect(), total, counts)
                }
                SearchSort::PriceAsc | SearchSort::PriceDesc => {
                    let order = if request.sort == SearchSort::PriceAsc {
                        Order::Asc
                    } else {
                        Order::Desc
                    };
                    let c = top.order_by_fast_field::<u64>("price", order);
                    let (docs, total, counts) = searcher
                        .search(query, &(c, Count, counter))
                        .map_err(internal)?;
                    (docs.into_iter().map(|(_, a)| a).collect(), total, counts)
                }
                SearchSort::Newest => {
                    let c = top.order_by_fast_field::<i64>("created_at", Order::Desc);
                    let (docs, total, counts) = searcher
                        .search(query, &(c, Count, counter))
                        .map_err(internal)?;
                    (docs.into_iter().map(|(_, a)| a).collect(), total, counts)
                }
            };
        let hits = if offset >= max_total {
            Vec::new()
        } else {
            addresses
                .into_iter()
                .map(|a| self.hit(searcher, a))
                .collect::<Result<_, _>>()?
        };
        let max = self.config.faceting.max_values_per_facet;
        let facets: FacetCounts = FACETS
            .iter()
            .zip(counts)
            .map(|(attr, values)| {
                let mut values: Vec<(String, u64)> = values.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                values.truncate(max);
                (
                    attr.to_string(),
                    values.into_iter().collect::<BTreeMap<_, _>>(),
                )
            })
            .collect();
        Ok(SearchResults {
            hits,
            total: total as u64,
            facets,
        })
    }

    fn hit(&self, searcher: &Searcher, address: DocAddress) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address).map_err(internal)?;
        let text = |f: Field| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        Ok(Hit {
            id: doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default() as i64,
            slug: text(self.fields.slug),
            name: text(self.fields.name_stored),
        })
    }
}

fn text_of<'a>(doc: &'a SearchDoc, attr: &str) -> &'a str {
    match attr {
        "name" => &doc.name,
        "brand" => &doc.brand,
        "category" => &doc.category,
        "unit_name" => &doc.unit_name,
        "city" => &doc.city,
        "province" => &doc.province,
        "kind" => &doc.kind,
        "description" => &doc.description,
        "description_en" => &doc.description_en,
        _ => "",
    }
}

fn keyword_values<'a>(doc: &'a SearchDoc, attr: &str) -> Vec<&'a str> {
    match attr {
        "category" => vec![&doc.category],
        "province" => vec![&doc.province],
        "unit_slug" => vec![&doc.unit_slug],
        "certifications" => doc.certifications.iter().map(String::as_str).collect(),
        "price_band" => vec![&doc.price_band],
        "in_stock" => vec![if doc.in_stock { "true" } else { "false" }],
        _ => Vec::new(),
    }
}

impl super::SearchEngine for EmbeddedEngine {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn config(&self) -> &SearchConfig {
        &self.config
    }

    fn prepare(&self) -> SearchFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }

    fn search<'a>(&'a self, request: &'a SearchRequest) -> SearchFuture<'a, SearchResults> {
        // A search is a few milliseconds of CPU at most: run it where it is awaited.
        Box::pin(async move { self.search_now(request) })
    }

    fn upsert(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move { self.upsert_now(&docs) })
    }

    fn delete(&self, ids: Vec<i64>) -> SearchFuture<'_, ()> {
        Box::pin(async move { self.delete_now(&ids) })
    }

    fn replace_all(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move { self.replace_all_now(&docs) })
    }

    fn count(&self) -> SearchFuture<'_, u64> {
        Box::pin(async move { Ok(self.count_now()) })
    }

    fn set_added_synonyms(&self, added: &[SynonymEntry]) {
        self.set_added_synonyms_now(added);
    }

    fn synonyms(&self) -> std::sync::Arc<SynonymMap> {
        self.synonyms.current()
    }
}

/// Counts the values of several keyword fast fields among the matching documents.
struct FacetCounter {
    fields: Vec<String>,
}

struct FacetSegment {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u64>>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<HashMap<String, u64>>;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let columns = self
            .fields
            .iter()
            .map(|f| reader.fast_fields().str(f))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let counts = columns
            .iter()
            .map(|c| vec![0; c.as_ref().map(|c| c.num_terms()).unwrap_or(0)])
            .collect();
        Ok(FacetSegment { columns, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<HashMap<String, u64>>>,
    ) -> tantivy::Result<Vec<HashMap<String, u64>>> {
        let mut out = vec![HashMap::new(); self.fields.len()];
        for fruit in fruits {
            for (slot, counts) in out.iter_mut().zip(fruit) {
                for (k, v) in counts {
                    *slot.entry(k).or_insert(0) += v;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Vec<HashMap<String, u64>>;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(c) = column {
                for ord in c.ords().values_for_doc(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(column, counts)| {
                let mut out = HashMap::new();
                if let Some(c) = column {
                    // One walk through the dictionary for all counted values, in order.
                    let ords: Vec<u64> = (0..counts.len() as u64)
                        .filter(|o| counts[*o as usize] > 0)
                        .collect();
                    let mut values = ords.iter();
                    let _ = c.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                        if let Some(ord) = values.next() {
                            out.insert(
                                String::from_utf8_lossy(bytes).into_owned(),
                                counts[*ord as usize],
                            );
                        }
                    });
                }
                out
            })
            .collect()
    }
}
