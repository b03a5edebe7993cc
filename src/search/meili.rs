//! The Meilisearch engine, over `meilisearch-sdk` (checked against exchanges recorded from
//! Meilisearch 1.50.0 in `tests/fixtures/meilisearch-1.50`).
//!
//! The SDK is used without its reqwest client: `AwcHttp` below implements the SDK's `HttpClient`
//! trait over `awc`, the HTTP client of actix-web, so no second HTTP or TLS stack comes in. awc
//! clients are not `Send`, hence the SDK's `futures-unsend` feature (`#[async_trait(?Send)]`).
//!
//! Task waiting polls `GET /tasks/{uid}` through the SDK's `Client::get_task` with an actix
//! timer: the SDK's own `wait_for_task` sleeps on a new OS thread per poll when reqwest/tokio
//! is off, gives up after 5 s by default, and fetches a finished task twice.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use awc::http::header::{AUTHORIZATION, CONTENT_TYPE};
use futures_util::io::{AsyncRead, AsyncReadExt};
use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::{Error, ErrorCode, ErrorType, MeilisearchError};
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::request::{parse_response, HttpClient, Method};
use meilisearch_sdk::search::{
    MatchingStrategies, SearchQuery, SearchResults as MeiliResults, Selectors,
};
use meilisearch_sdk::settings::Settings;
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::config::{MatchingStrategy, Synonyms};
use super::{
    FacetCounts, Hit, SearchConfig, SearchDoc, SearchError, SearchFuture, SearchRequest,
    SearchResults, SearchSort, BRAND, FACETS,
};
use crate::domain::synonyms::SynonymEntry;

pub const INDEX_UID: &str = "products";
const BATCH: usize = 5_000;
const TIMEOUT: Duration = Duration::from_secs(10);
const MAX_ANSWER: usize = 64 * 1024 * 1024;

const RETRIEVED: &[&str] = &["id", "slug", "name"];
const FACET_NAMES: &[&str] = &FACETS;
const PRICE_ASC: &[&str] = &["price:asc"];
const PRICE_DESC: &[&str] = &["price:desc"];
const NEWEST: &[&str] = &["created_at:desc"];

// ---------------------------------------------------------------------------------------------
// The SDK's HTTP client, over awc.

/// `meilisearch_sdk::request::HttpClient` over awc: Bearer key, 10 s timeout, answers of at
/// most 64 MiB. Holds only strings, so it is `Send + Sync + Clone` as the trait asks; an awc
/// client (not `Send`) is made for each exchange, on the thread that awaits it. Meilisearch
/// sits on the private network, where a fresh connection costs a fraction of a millisecond.
#[derive(Debug, Clone)]
pub struct AwcHttp {
    host: String,
    authorization: String,
}

impl AwcHttp {
    pub fn new(host: &str, key: &str) -> Self {
        Self {
            host: host.trim_end_matches('/').to_string(),
            authorization: format!("Bearer {key}"),
        }
    }

    /// One exchange. `url` already carries the query string; `body` is (content type, bytes).
    async fn exchange<Output: DeserializeOwned>(
        &self,
        url: String,
        verb: awc::http::Method,
        body: Option<(String, Vec<u8>)>,
        expected_status_code: u16,
    ) -> Result<Output, Error> {
        let request = awc::Client::builder()
            .timeout(TIMEOUT)
            .finish()
            .request(verb, url.as_str())
            .insert_header((AUTHORIZATION, self.authorization.clone()));
        let sent = match body {
            Some((content_type, bytes)) => {
                request
                    .insert_header((CONTENT_TYPE, content_type))
                    .send_body(bytes)
                    .await
            }
            None => request.send().await,
        };
        let mut response = sent.map_err(|e| {
            Transport::error(format!(
                "Meilisearch at {} cannot be reached: {e}",
                self.host
            ))
        })?;
        let bytes = response
            .body()
            .limit(MAX_ANSWER)
            .await
            .map_err(|e| Transport::error(format!("Meilisearch answer cut short: {e}")))?;
        let status = response.status().as_u16();
        read_answer(
            status,
            expected_status_code,
            &String::from_utf8_lossy(&bytes),
            url,
        )
    }
}

fn verb_of<Q, B>(method: &Method<Q, B>) -> awc::http::Method {
    match method {
        Method::Get { .. } => awc::http::Method::GET,
        Method::Delete { .. } => awc::http::Method::DELETE,
        Method::Post { .. } => awc::http::Method::POST,
        Method::Put { .. } => awc::http::Method::PUT,
        Method::Patch { .. } => awc::http::Method::PATCH,
    }
}

#[async_trait(?Send)]
impl HttpClient for AwcHttp {
    /// JSON bodies go out as they are (the trait's default would pass them through an
    /// `AsyncRead` first, and unwraps the serialization).
    async fn request<Query, Body, Output>(
        &self,
        url: &str,
        method: Method<Query, Body>,
        expected_status_code: u16,
    ) -> Result<Output, Error>
    where
        Query: Serialize + Send + Sync,
        Body: Serialize + Send + Sync,
        Output: DeserializeOwned + 'static + Send,
    {
        let verb = verb_of(&method);
        // yaup writes the leading `?` itself, and nothing for `()`.
        let url = format!("{url}{}", yaup::to_string(method.query())?);
        let body = match method.into_body() {
            Some(body) => Some(("application/json".to_string(), serde_json::to_vec(&body)?)),
            None => None,
        };
        self.exchange(url, verb, body, expected_status_code).await
    }

    async fn stream_request<
        Query: Serialize + Send + Sync,
        Body: AsyncRead + Send + Sync + 'static,
        Output: DeserializeOwned + 'static,
    >(
        &self,
        url: &str,
        method: Method<Query, Body>,
        content_type: &str,
        expected_status_code: u16,
    ) -> Result<Output, Error> {
        let verb = verb_of(&method);
        let url = format!("{url}{}", yaup::to_string(method.query())?);
        let body = match method.into_body() {
            Some(reader) => {
                let mut reader = Box::pin(reader);
                let mut bytes = Vec::new();
                reader
                    .read_to_end(&mut bytes)
                    .await
                    .map_err(|e| Error::Other(Box::new(e)))?;
                Some((content_type.to_string(), bytes))
            }
            None => None,
        };
        self.exchange(url, verb, body, expected_status_code).await
    }
}

/// Meilisearch could not be reached, or its answer was cut short.
#[derive(Debug)]
struct Transport(String);

impl Transport {
    fn error(message: String) -> Error {
        Error::Other(Box::new(Transport(message)))
    }
}

impl fmt::Display for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Transport {}

/// A Meilisearch error whose code this SDK version does not list (its `ErrorCode` would turn
/// it into `unknown`): kept with its real code and the HTTP status.
#[derive(Debug)]
struct UnlistedError {
    status: u16,
    code: String,
    kind: String,
    message: String,
}

impl fmt::Display for UnlistedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for UnlistedError {}

/// A Meilisearch error body, as sent.
#[derive(Deserialize)]
struct RawError {
    message: String,
    code: String,
    #[serde(rename = "type", default)]
    kind: String,
}

fn sdk_lists(code: &str) -> bool {
    !matches!(
        serde_json::from_value::<ErrorCode>(Value::String(code.to_string())),
        Ok(ErrorCode::Unknown) | Err(_)
    )
}

/// What an answer of status `status` and body `text` means, where `expected` was awaited: the
/// SDK's own reading (`parse_response`), except that error codes the SDK does not know keep
/// their name.
fn read_answer<Output: DeserializeOwned>(
    status: u16,
    expected: u16,
    text: &str,
    url: String,
) -> Result<Output, Error> {
    if status != expected && status >= 400 {
        if let Ok(raw) = serde_json::from_str::<RawError>(text) {
            if !sdk_lists(&raw.code) {
                return Err(Error::Other(Box::new(UnlistedError {
                    status,
                    code: raw.code,
                    kind: raw.kind,
                    message: raw.message,
                })));
            }
        }
    }
    let text = if text.trim().is_empty() { "null" } else { text };
    parse_response(status, expected, text, url)
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// The error an answer of status `status` (400 and above) with JSON `body` stands for.
pub fn error_from_answer(status: u16, body: &Value) -> SearchError {
    // Expecting status 0 makes every real status an error answer.
    match read_answer::<Value>(status, 0, &body.to_string(), String::new()) {
        Err(error) => error_from_sdk(error),
        Ok(_) => SearchError::Internal(format!("HTTP {status} is not an error")),
    }
}

/// The SDK's errors as the shop tells them apart: "the engine cannot serve us now"
/// (`Unavailable`) versus "this request is wrong" (`Rejected`).
pub fn error_from_sdk(error: Error) -> SearchError {
    match error {
        Error::Meilisearch(e) => classify(e),
        Error::MeilisearchCommunication(e) => SearchError::Unavailable(format!(
            "HTTP {}: {}",
            e.status_code,
            e.message
                .as_deref()
                .unwrap_or("no Meilisearch error in the answer")
        )),
        Error::Timeout => {
            SearchError::Unavailable("a Meilisearch task did not finish in time".into())
        }
        Error::ParseError(e) => {
            SearchError::Internal(format!("Meilisearch answer not understood: {e}"))
        }
        Error::Other(boxed) => {
            let inner: &(dyn std::error::Error + Send + Sync + 'static) = &*boxed;
            if let Some(transport) = inner.downcast_ref::<Transport>() {
                SearchError::Unavailable(transport.0.clone())
            } else if let Some(e) = inner.downcast_ref::<UnlistedError>() {
                if e.status >= 500 || matches!(e.kind.as_str(), "auth" | "internal" | "system") {
                    SearchError::Unavailable(format!("HTTP {}: {e}", e.status))
                } else {
                    SearchError::Rejected {
                        code: e.code.clone(),
                        message: e.message.clone(),
                    }
                }
            } else {
                SearchError::Internal(inner.to_string())
            }
        }
        other => SearchError::Internal(other.to_string()),
    }
}

/// Wrong key, missing index and Meilisearch's own failures (type `internal`, or `system`, which
/// the SDK reads as `Unknown`) mean the engine is unavailable; the rest refuse this request.
fn classify(e: MeilisearchError) -> SearchError {
    let code = e.error_code.to_string();
    let unavailable = matches!(
        e.error_code,
        ErrorCode::InvalidApiKey | ErrorCode::MissingAuthorizationHeader | ErrorCode::IndexNotFound
    ) || matches!(
        e.error_type,
        ErrorType::Auth | ErrorType::Internal | ErrorType::Unknown
    );
    if unavailable {
        SearchError::Unavailable(format!("{code}: {}", e.error_message))
    } else {
        SearchError::Rejected {
            code,
            message: e.error_message,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests and answers.

/// A filter value in Meilisearch's filter syntax: always quoted, quotes and backslashes escaped.
fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The `filter` expression for the request, or `None` when nothing is filtered.
pub fn filter_expression(request: &SearchRequest) -> Option<String> {
    let f = &request.filters;
    let mut parts = Vec::new();
    for (attr, values) in [
        ("category", &f.categories),
        ("province", &f.provinces),
        ("unit_slug", &f.units),
        ("certifications", &f.certifications),
    ] {
        match values.as_slice() {
            [] => {}
            [one] => parts.push(format!("{attr} = {}", quote(one))),
            many => parts.push(format!(
                "{attr} IN [{}]",
                many.iter().map(|v| quote(v)).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    if let Some(min) = f.price_min {
        parts.push(format!("price >= {min}"));
    }
    if let Some(max) = f.price_max {
        parts.push(format!("price <= {max}"));
    }
    if f.in_stock {
        parts.push("in_stock = true".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

fn sort_rules(sort: SearchSort) -> Option<&'static [&'static str]> {
    match sort {
        SearchSort::Relevance => None,
        SearchSort::PriceAsc => Some(PRICE_ASC),
        SearchSort::PriceDesc => Some(PRICE_DESC),
        SearchSort::Newest => Some(NEWEST),
    }
}

/// The SDK's name for a matching strategy.
fn strategy(strategy: MatchingStrategy) -> MatchingStrategies {
    match strategy {
        MatchingStrategy::All => MatchingStrategies::ALL,
        MatchingStrategy::Last => MatchingStrategies::LAST,
        MatchingStrategy::Frequency => MatchingStrategies::FREQUENCY,
    }
}

/// The searchable attributes but the brand, for a request that does not search it
/// (`attributesToSearchOn`); `None` when every searchable attribute is searched.
fn searched_on<'c>(request: &SearchRequest, config: &'c SearchConfig) -> Option<Vec<&'c str>> {
    (!request.brand).then(|| {
        config
            .searchable_attributes
            .iter()
            .map(String::as_str)
            .filter(|a| *a != BRAND)
            .collect()
    })
}

/// The SDK query for a request (page mode: `totalHits` in the answer), with the matching
/// strategy of the settings (`last` for the looser search) and the attributes searched on.
fn search_query<'a>(
    index: &'a Index<AwcHttp>,
    request: &'a SearchRequest,
    filter: Option<&'a str>,
    attributes: Option<&'a [&'a str]>,
    config: &SearchConfig,
) -> SearchQuery<'a, AwcHttp> {
    let mut query = SearchQuery::new(index);
    query
        .with_query(&request.text)
        .with_hits_per_page(request.per_page.clamp(1, 100) as usize)
        .with_page(request.page.max(1) as usize)
        .with_attributes_to_retrieve(Selectors::Some(RETRIEVED));
    if let Some(filter) = filter {
        query.with_filter(filter);
    }
    if let Some(attributes) = attributes {
        query.with_attributes_to_search_on(attributes);
    }
    if request.facets {
        query.with_facets(Selectors::Some(FACET_NAMES));
    }
    if let Some(sort) = sort_rules(request.sort) {
        query.with_sort(sort);
    }
    query.with_matching_strategy(if request.relaxed {
        MatchingStrategies::LAST
    } else {
        strategy(config.matching_strategy)
    });
    query
}

/// The body of `POST /indexes/products/search` for a request under `config`, as the SDK
/// serializes it.
pub fn search_body(request: &SearchRequest, config: &SearchConfig) -> Value {
    let client = Client::new_with_client("", None::<&str>, AwcHttp::new("", ""));
    let index = client.index(INDEX_UID);
    let filter = filter_expression(request);
    let attributes = searched_on(request, config);
    serde_json::to_value(search_query(
        &index,
        request,
        filter.as_deref(),
        attributes.as_deref(),
        config,
    ))
    .expect("a search query serializes")
}

/// The attributes a hit is read with (`attributesToRetrieve`).
#[derive(Debug, Deserialize)]
struct HitFields {
    id: i64,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
}

fn results_from(answer: MeiliResults<HitFields>) -> Result<SearchResults, SearchError> {
    // Page mode gives `totalHits`, offset mode `estimatedTotalHits`.
    let total = answer
        .total_hits
        .or(answer.estimated_total_hits)
        .ok_or_else(|| SearchError::Internal("search answer without totalHits".into()))?
        as u64;
    let hits = answer
        .hits
        .into_iter()
        .map(|h| Hit {
            id: h.result.id,
            slug: h.result.slug,
            name: h.result.name,
        })
        .collect();
    let facets: FacetCounts = answer
        .facet_distribution
        .unwrap_or_default()
        .into_iter()
        .map(|(attr, values)| {
            let counts: BTreeMap<String, u64> =
                values.into_iter().map(|(v, n)| (v, n as u64)).collect();
            (attr, counts)
        })
        .collect();
    Ok(SearchResults {
        hits,
        total,
        facets,
    })
}

/// Reads a search answer with the SDK's `SearchResults`.
pub fn parse_search(value: &Value) -> Result<SearchResults, SearchError> {
    let answer: MeiliResults<HitFields> = serde_json::from_value(value.clone())
        .map_err(|e| SearchError::Internal(format!("search answer: {e}")))?;
    results_from(answer)
}

/// `search-config/products.json` as the SDK's `Settings`. The body sent is the file, except
/// that the SDK writes `typoTolerance.disableOnAttributes` and `disableOnWords` as `null`
/// (Meilisearch's defaults) when the file leaves them out, and drops keys it does not know
/// (`matchingStrategy`, which is sent with every search instead).
pub fn index_settings(config: &SearchConfig) -> Result<Settings, SearchError> {
    serde_json::from_value(config.raw.clone()).map_err(|e| {
        SearchError::Internal(format!(
            "search config does not fit Meilisearch settings: {e}"
        ))
    })
}

// ---------------------------------------------------------------------------------------------
// The engine.

pub struct MeiliEngine {
    client: Client<AwcHttp>,
    index: Index<AwcHttp>,
    config: SearchConfig,
    /// The file's synonyms and those administrators added: what `prepare` and
    /// `push_synonyms` send as the `synonyms` setting.
    synonyms: Synonyms,
}

impl MeiliEngine {
    pub fn new(url: &str, key: &str, config: SearchConfig) -> Self {
        let url = url.trim_end_matches('/');
        let client = Client::new_with_client(url, Some(key), AwcHttp::new(url, key));
        let index = client.index(INDEX_UID);
        Self {
            client,
            index,
            synonyms: Synonyms::of_file(&config),
            config,
        }
    }

    /// Polls `/tasks/{uid}` until the task has finished; a failed task is an error, unless it
    /// failed with `allow`.
    async fn wait_for_task(
        &self,
        task: TaskInfo,
        allow: Option<ErrorCode>,
    ) -> Result<(), SearchError> {
        let mut delay = Duration::from_millis(20);
        for _ in 0..200 {
            match self.client.get_task(&task).await.map_err(error_from_sdk)? {
                Task::Succeeded { .. } => return Ok(()),
                Task::Failed { content } => {
                    let error = content.error;
                    if allow.as_ref() == Some(&error.error_code) {
                        return Ok(());
                    }
                    return Err(SearchError::Rejected {
                        code: error.error_code.to_string(),
                        message: error.error_message,
                    });
                }
                Task::Enqueued { .. } | Task::Processing { .. } => {
                    actix_web::rt::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_millis(500));
                }
            }
        }
        Err(SearchError::Unavailable(format!(
            "Meilisearch task {} did not finish",
            task.task_uid
        )))
    }
}

impl super::SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn config(&self) -> &SearchConfig {
        &self.config
    }

    /// Creates the index and applies the settings file, with the synonyms administrators
    /// added beside the file's (so a change Meilisearch missed is applied at the next start).
    fn prepare(&self) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            let mut settings = index_settings(&self.config)?;
            settings.synonyms = Some((*self.synonyms.current()).clone());
            let task = self
                .client
                .create_index(INDEX_UID, Some("id"))
                .await
                .map_err(error_from_sdk)?;
            self.wait_for_task(task, Some(ErrorCode::IndexAlreadyExists))
                .await?;
            let task = self
                .index
                .set_settings(&settings)
                .await
                .map_err(error_from_sdk)?;
            self.wait_for_task(task, None).await
        })
    }

    fn search<'a>(&'a self, request: &'a SearchRequest) -> SearchFuture<'a, SearchResults> {
        Box::pin(async move {
            let filter = filter_expression(request);
            let attributes = searched_on(request, &self.config);
            let query = search_query(
                &self.index,
                request,
                filter.as_deref(),
                attributes.as_deref(),
                &self.config,
            );
            let answer = self
                .index
                .execute_query::<HitFields>(&query)
                .await
                .map_err(error_from_sdk)?;
            results_from(answer)
        })
    }

    fn upsert(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            for chunk in docs.chunks(BATCH) {
                self.index
                    .add_or_replace(chunk, None)
                    .await
                    .map_err(error_from_sdk)?;
            }
            Ok(())
        })
    }

    fn delete(&self, ids: Vec<i64>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            match ids.as_slice() {
                [] => Ok(()),
                [one] => self
                    .index
                    .delete_document(*one)
                    .await
                    .map(drop)
                    .map_err(error_from_sdk),
                many => self
                    .index
                    .delete_documents(many)
                    .await
                    .map(drop)
                    .map_err(error_from_sdk),
            }
        })
    }

    fn replace_all(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            self.prepare().await?;
            let mut last = self
                .index
                .delete_all_documents()
                .await
                .map_err(error_from_sdk)?;
            for chunk in docs.chunks(BATCH) {
                last = self
                    .index
                    .add_or_replace(chunk, None)
                    .await
                    .map_err(error_from_sdk)?;
            }
            self.wait_for_task(last, None).await
        })
    }

    fn count(&self) -> SearchFuture<'_, u64> {
        Box::pin(async move {
            let stats = self.index.get_stats().await.map_err(error_from_sdk)?;
            Ok(stats.number_of_documents as u64)
        })
    }

    fn set_added_synonyms(&self, added: &[SynonymEntry]) {
        self.synonyms.replace(self.config.synonyms_with(added));
    }

    fn synonyms(&self) -> std::sync::Arc<std::collections::HashMap<String, Vec<String>>> {
        self.synonyms.current()
    }

    /// `PUT /indexes/products/settings/synonyms` with the synonyms now held. Meilisearch queues
    /// the change and applies it shortly; this does not wait for it (the next `prepare` sends
    /// the whole settings again anyway).
    fn push_synonyms(&self) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            let synonyms = self.synonyms.current();
            self.index
                .set_synonyms(&synonyms)
                .await
                .map(drop)
                .map_err(error_from_sdk)
        })
    }

    /// Asks for the version, which needs the key: a wrong or missing key is refused by code.
    fn refuses_access(&self) -> futures_util::future::LocalBoxFuture<'_, Option<String>> {
        Box::pin(async move {
            match self.client.get_version().await {
                Err(Error::Meilisearch(e))
                    if matches!(
                        e.error_code,
                        ErrorCode::InvalidApiKey | ErrorCode::MissingAuthorizationHeader
                    ) =>
                {
                    Some(format!(
                        "Meilisearch at {} refuses MEILI_MASTER_KEY ({}): set the key the \
                         server was started with",
                        self.client.get_host(),
                        e.error_code
                    ))
                }
                _ => None,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchFilters;
    use serde_json::json;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/tests/fixtures/meilisearch-1.50/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn filter_values_are_quoted_and_alternatives_use_in() {
        let mut r = SearchRequest::new("keripik");
        r.filters = SearchFilters {
            categories: vec!["Kuliner".into()],
            provinces: vec!["Jawa \"Tengah\"".into(), "Bali".into()],
            price_max: Some(20_000),
            in_stock: true,
            ..SearchFilters::default()
        };
        assert_eq!(
            filter_expression(&r).unwrap(),
            "category = \"Kuliner\" AND province IN [\"Jawa \\\"Tengah\\\"\", \"Bali\"] \
             AND price <= 20000 AND in_stock = true"
        );
        assert_eq!(filter_expression(&SearchRequest::new("x")), None);
    }

    #[test]
    fn the_sdk_query_serializes_to_the_body_the_hand_written_adapter_sent() {
        let mut r = SearchRequest::new("keripik");
        r.filters.categories = vec!["Kuliner".into()];
        r.sort = SearchSort::PriceAsc;
        r.per_page = 2;
        r.facets = true;
        r.relaxed = true;
        let config = SearchConfig::built_in();
        assert_eq!(
            search_body(&r, &config),
            json!({
                "q": "keripik",
                "filter": "category = \"Kuliner\"",
                "facets": FACETS,
                "sort": ["price:asc"],
                "hitsPerPage": 2,
                "page": 1,
                "attributesToRetrieve": ["id", "slug", "name"],
                "matchingStrategy": "last"
            })
        );
        assert_eq!(
            search_body(&SearchRequest::new(""), &config),
            json!({
                "q": "", "hitsPerPage": 24, "page": 1,
                "attributesToRetrieve": ["id", "slug", "name"],
                "matchingStrategy": "all"
            })
        );
    }

    #[test]
    fn a_request_that_does_not_search_the_brand_names_every_other_searchable_attribute() {
        let config = SearchConfig::built_in();
        let mut r = SearchRequest::new("batik");
        r.brand = false;
        let body = search_body(&r, &config);
        let on: Vec<&str> = body["attributesToSearchOn"]
            .as_array()
            .expect("attributesToSearchOn")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            on,
            [
                "name",
                "kind",
                "category",
                "unit_name",
                "city",
                "province",
                "description",
                "description_en"
            ]
        );
        let all = search_body(&SearchRequest::new("batik"), &config);
        assert!(all.get("attributesToSearchOn").is_none());
    }

    #[test]
    fn the_settings_sent_are_the_file_with_a_typo_default_spelled_out_and_no_matching_strategy() {
        let config = SearchConfig::built_in();
        let mut expected = config.raw.clone();
        expected["typoTolerance"]["disableOnWords"] = Value::Null;
        expected
            .as_object_mut()
            .unwrap()
            .remove("matchingStrategy")
            .expect("the file names its matching strategy");
        let sent = serde_json::to_value(index_settings(&config).unwrap()).unwrap();
        assert_eq!(sent, expected);
    }

    #[test]
    fn recorded_task_objects_are_read_by_the_sdk() {
        for name in ["06-settings-task-succeeded", "08-documents-task-succeeded"] {
            let task: Task = serde_json::from_value(fixture(name)).unwrap();
            assert!(matches!(task, Task::Succeeded { .. }), "{name}");
        }
        let task: Task =
            serde_json::from_value(fixture("09-get-task")["response"]["body"].clone()).unwrap();
        assert!(matches!(task, Task::Succeeded { .. }));
        for name in [
            "05-create-index",
            "06-update-settings",
            "18-delete-document",
        ] {
            let info: TaskInfo =
                serde_json::from_value(fixture(name)["response"]["body"].clone()).unwrap();
            assert_eq!(info.task_uid, fixture(name)["response"]["body"]["taskUid"]);
        }
        let stats: meilisearch_sdk::indexes::IndexStats =
            serde_json::from_value(fixture("21-index-stats")["response"]["body"].clone()).unwrap();
        assert_eq!(stats.number_of_documents, 5);
    }

    #[test]
    fn codes_the_sdk_does_not_list_keep_their_name_and_server_failures_are_unavailable() {
        let body = json!({
            "message": "m", "code": "invalid_search_ranking_score_threshold",
            "type": "invalid_request", "link": "https://docs.meilisearch.com/errors"
        });
        assert_eq!(
            error_from_answer(400, &body),
            SearchError::Rejected {
                code: "invalid_search_ranking_score_threshold".into(),
                message: "m".into()
            }
        );
        let internal = json!({
            "message": "boom", "code": "internal", "type": "internal",
            "link": "https://docs.meilisearch.com/errors"
        });
        assert!(matches!(
            error_from_answer(500, &internal),
            SearchError::Unavailable(_)
        ));
        assert!(matches!(
            error_from_answer(502, &Value::Null),
            SearchError::Unavailable(_)
        ));
    }
}
