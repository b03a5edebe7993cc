//! The Meilisearch engine: a small adapter over Meilisearch's HTTP API (version 1.x, checked
//! against exchanges recorded from 1.50.0 in `tests/fixtures/meilisearch-1.50`). It speaks
//! through `awc`, the HTTP client of actix-web, so no second HTTP or TLS stack comes in (see
//! README, "Why no meilisearch-sdk").

use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    FacetCounts, Hit, SearchConfig, SearchDoc, SearchError, SearchFuture, SearchRequest,
    SearchResults, SearchSort, FACETS,
};

pub const INDEX_UID: &str = "products";
const BATCH: usize = 5_000;

pub struct MeiliEngine {
    url: String,
    key: String,
    config: SearchConfig,
}

/// A Meilisearch error body.
#[derive(Debug, Deserialize)]
struct ApiError {
    message: String,
    code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TaskInfo {
    task_uid: u64,
}

#[derive(Debug, Deserialize)]
struct Task {
    status: String,
    error: Option<ApiError>,
}

thread_local! {
    /// awc clients are per thread (not `Send`); one per worker keeps connections alive.
    static CLIENT: awc::Client = awc::Client::builder()
        .timeout(Duration::from_secs(10))
        .finish();
}

impl MeiliEngine {
    pub fn new(url: &str, key: &str, config: SearchConfig) -> Self {
        Self {
            url: url.trim_end_matches('/').to_string(),
            key: key.to_string(),
            config,
        }
    }

    /// One exchange; any status of 400 and above becomes an error naming Meilisearch's code.
    async fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, SearchError> {
        let method = awc::http::Method::from_bytes(method.as_bytes())
            .map_err(|e| SearchError::Internal(e.to_string()))?;
        let url = format!("{}{}", self.url, path);
        let request = CLIENT.with(|c| {
            c.request(method, &url)
                .insert_header(("Authorization", format!("Bearer {}", self.key)))
        });
        let sent = match body {
            Some(body) => request.send_json(&body).await,
            None => request.send().await,
        };
        let mut response = sent.map_err(|e| {
            SearchError::Unavailable(format!(
                "Meilisearch at {} cannot be reached: {e}",
                self.url
            ))
        })?;
        let bytes =
            response.body().limit(64 * 1024 * 1024).await.map_err(|e| {
                SearchError::Unavailable(format!("Meilisearch answer cut short: {e}"))
            })?;
        let status = response.status().as_u16();
        let value: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| {
                SearchError::Unavailable(format!("Meilisearch answered {status} with no JSON: {e}"))
            })?
        };
        if status < 400 {
            return Ok(value);
        }
        Err(error_from_answer(status, &value))
    }

    async fn enqueue(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<u64, SearchError> {
        let value = self.call(method, path, body).await?;
        let info: TaskInfo = serde_json::from_value(value)
            .map_err(|e| SearchError::Internal(format!("task answer: {e}")))?;
        Ok(info.task_uid)
    }

    /// Polls `/tasks/{uid}` until the task has finished; a failed task is an error.
    async fn wait_for_task(&self, uid: u64, allow_code: Option<&str>) -> Result<(), SearchError> {
        let mut delay = Duration::from_millis(20);
        for _ in 0..200 {
            let value = self.call("GET", &format!("/tasks/{uid}"), None).await?;
            let task: Task = serde_json::from_value(value)
                .map_err(|e| SearchError::Internal(format!("task: {e}")))?;
            match task.status.as_str() {
                "succeeded" => return Ok(()),
                "failed" | "canceled" => {
                    let error = task.error.unwrap_or(ApiError {
                        message: format!("task {uid} {}", task.status),
                        code: String::new(),
                    });
                    if allow_code == Some(error.code.as_str()) {
                        return Ok(());
                    }
                    return Err(SearchError::Rejected {
                        code: error.code,
                        message: error.message,
                    });
                }
                _ => {
                    actix_web::rt::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_millis(500));
                }
            }
        }
        Err(SearchError::Unavailable(format!(
            "Meilisearch task {uid} did not finish"
        )))
    }

    fn documents_path() -> String {
        format!("/indexes/{INDEX_UID}/documents")
    }
}

/// The error an answer of status `status` (400 and above) with JSON `body` stands for.
pub fn error_from_answer(status: u16, body: &Value) -> SearchError {
    let error: ApiError = serde_json::from_value(body.clone()).unwrap_or(ApiError {
        message: format!("HTTP {status}"),
        code: String::new(),
    });
    classify(status, error)
}

/// Errors that mean "the engine cannot serve us now" versus "this request is wrong".
fn classify(status: u16, error: ApiError) -> SearchError {
    match error.code.as_str() {
        "invalid_api_key" | "missing_authorization_header" | "index_not_found" => {
            SearchError::Unavailable(format!("{}: {}", error.code, error.message))
        }
        _ if status >= 500 || error.code.is_empty() => {
            SearchError::Unavailable(format!("HTTP {status}: {}", error.message))
        }
        _ => SearchError::Rejected {
            code: error.code,
            message: error.message,
        },
    }
}

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

/// The body of `POST /indexes/products/search` for a request.
pub fn search_body(request: &SearchRequest) -> Value {
    let mut body = json!({ "q": request.text });
    if let Some(filter) = filter_expression(request) {
        body["filter"] = json!(filter);
    }
    if request.facets {
        body["facets"] = json!(FACETS);
    }
    let sort = match request.sort {
        SearchSort::Relevance => None,
        SearchSort::PriceAsc => Some("price:asc"),
        SearchSort::PriceDesc => Some("price:desc"),
        SearchSort::Newest => Some("created_at:desc"),
    };
    if let Some(sort) = sort {
        body["sort"] = json!([sort]);
    }
    body["hitsPerPage"] = json!(request.per_page.clamp(1, 100));
    body["page"] = json!(request.page.max(1));
    body["attributesToRetrieve"] = json!(["id", "slug", "name"]);
    if request.relaxed {
        body["matchingStrategy"] = json!("last");
    }
    body
}

/// Reads a search answer (page mode gives `totalHits`, offset mode `estimatedTotalHits`).
pub fn parse_search(value: &Value) -> Result<SearchResults, SearchError> {
    let bad = |what: &str| SearchError::Internal(format!("search answer without {what}"));
    let hits = value["hits"]
        .as_array()
        .ok_or_else(|| bad("hits"))?
        .iter()
        .map(|h| {
            Ok(Hit {
                id: h["id"].as_i64().ok_or_else(|| bad("hit id"))?,
                slug: h["slug"].as_str().unwrap_or_default().to_string(),
                name: h["name"].as_str().unwrap_or_default().to_string(),
            })
        })
        .collect::<Result<Vec<_>, SearchError>>()?;
    let total = value["totalHits"]
        .as_u64()
        .or_else(|| value["estimatedTotalHits"].as_u64())
        .ok_or_else(|| bad("totalHits"))?;
    let facets: FacetCounts = match value.get("facetDistribution") {
        Some(Value::Object(map)) => map
            .iter()
            .map(|(attr, values)| {
                let counts = values
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter_map(|(k, v)| v.as_u64().map(|n| (k.clone(), n)))
                            .collect()
                    })
                    .unwrap_or_default();
                (attr.clone(), counts)
            })
            .collect(),
        _ => FacetCounts::new(),
    };
    Ok(SearchResults {
        hits,
        total,
        facets,
    })
}

impl super::SearchEngine for MeiliEngine {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn prepare(&self) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            let uid = self
                .enqueue(
                    "POST",
                    "/indexes",
                    Some(json!({ "uid": INDEX_UID, "primaryKey": "id" })),
                )
                .await?;
            self.wait_for_task(uid, Some("index_already_exists"))
                .await?;
            let uid = self
                .enqueue(
                    "PATCH",
                    &format!("/indexes/{INDEX_UID}/settings"),
                    Some(self.config.raw.clone()),
                )
                .await?;
            self.wait_for_task(uid, None).await
        })
    }

    fn search<'a>(&'a self, request: &'a SearchRequest) -> SearchFuture<'a, SearchResults> {
        Box::pin(async move {
            let value = self
                .call(
                    "POST",
                    &format!("/indexes/{INDEX_UID}/search"),
                    Some(search_body(request)),
                )
                .await?;
            parse_search(&value)
        })
    }

    fn upsert(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            for chunk in docs.chunks(BATCH) {
                self.enqueue("POST", &Self::documents_path(), Some(json!(chunk)))
                    .await?;
            }
            Ok(())
        })
    }

    fn delete(&self, ids: Vec<i64>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            match ids.as_slice() {
                [] => Ok(()),
                [one] => self
                    .enqueue("DELETE", &format!("{}/{one}", Self::documents_path()), None)
                    .await
                    .map(drop),
                many => self
                    .enqueue(
                        "POST",
                        &format!("{}/delete-batch", Self::documents_path()),
                        Some(json!(many)),
                    )
                    .await
                    .map(drop),
            }
        })
    }

    fn replace_all(&self, docs: Vec<SearchDoc>) -> SearchFuture<'_, ()> {
        Box::pin(async move {
            self.prepare().await?;
            let mut last = self
                .enqueue("DELETE", &Self::documents_path(), None)
                .await?;
            for chunk in docs.chunks(BATCH) {
                last = self
                    .enqueue("POST", &Self::documents_path(), Some(json!(chunk)))
                    .await?;
            }
            self.wait_for_task(last, None).await
        })
    }

    fn count(&self) -> SearchFuture<'_, u64> {
        Box::pin(async move {
            let value = self
                .call("GET", &format!("/indexes/{INDEX_UID}/stats"), None)
                .await?;
            value["numberOfDocuments"]
                .as_u64()
                .ok_or_else(|| SearchError::Internal("stats without numberOfDocuments".into()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SearchFilters;

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
}
