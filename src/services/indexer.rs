//! Delivers the search outbox to the engine, with retries and backoff, and rebuilds the whole
//! index on demand (`etalase reindex`) or when the index and the database disagree at start.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::db::wake::{self, Outbox};
use crate::db::{DbConnection, Pool};
use crate::error::AppError;
use crate::models::search_outbox::{self, now_ms};
use crate::models::search_synonym;
use crate::models::today_iso;
use crate::search::embedded::EmbeddedEngine;
use crate::search::{Engine, SearchError};

const BATCH: i64 = 500;

pub use crate::db::blocking as with_db;

/// Delivers the due outbox rows once; returns how many rows were delivered.
pub async fn deliver_due(pool: &Pool, engine: &Engine) -> Result<usize, AppError> {
    Ok(deliver(pool, engine).await?.delivered)
}

/// What one round of the indexer did.
pub struct Delivery {
    pub delivered: usize,
    /// When the next waiting row comes due (milliseconds since the epoch), if one comes due
    /// within `db::wake::fallback()`.
    pub next_due: Option<i64>,
}

/// Delivers the due outbox rows once, and says when the next row comes due. The rows are
/// looked at first (a read: an idle shop writes nothing), then those due are claimed
/// (`search_outbox::claim_due`), so that indexers of several processes never deliver the same
/// row twice.
pub async fn deliver(pool: &Pool, engine: &Engine) -> Result<Delivery, AppError> {
    let now = now_ms();
    let horizon = now + wake::fallback().as_millis() as i64;
    let waiting = with_db(pool, move |c| Ok(search_outbox::due(c, horizon, BATCH)?)).await?;
    let full = waiting.len() as i64 == BATCH;
    let later = waiting.iter().position(|r| r.next_attempt_at > now);
    let next_due = match later {
        Some(i) => Some(waiting[i].next_attempt_at),
        // A full batch may have left more due rows behind it: go again at once.
        None if full => Some(now),
        None => None,
    };
    if later == Some(0) || waiting.is_empty() {
        return Ok(Delivery {
            delivered: 0,
            next_due,
        });
    }
    // Another indexer may have claimed some or all of them meanwhile.
    let rows = with_db(pool, move |c| Ok(search_outbox::claim_due(c, now, BATCH)?)).await?;
    if rows.is_empty() {
        return Ok(Delivery {
            delivered: 0,
            next_due,
        });
    }
    let mut ids: Vec<i32> = rows.iter().map(|r| r.product_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let wanted = ids.clone();
    let docs = with_db(pool, move |c| {
        Ok(search_outbox::documents(c, Some(&wanted), &today_iso())?)
    })
    .await?;
    let published: HashSet<i64> = docs.iter().map(|d| d.id).collect();
    let gone: Vec<i64> = ids
        .iter()
        .map(|&id| i64::from(id))
        .filter(|id| !published.contains(id))
        .collect();
    let delivered: Result<(), SearchError> = async {
        if !docs.is_empty() {
            engine.upsert(docs).await?;
        }
        if !gone.is_empty() {
            engine.delete(gone).await?;
        }
        Ok(())
    }
    .await;
    let n = rows.len();
    match delivered {
        Ok(()) => {
            let row_ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
            with_db(pool, move |c| Ok(search_outbox::remove(c, &row_ids)?)).await?;
            Ok(Delivery {
                delivered: n,
                next_due,
            })
        }
        Err(e) => {
            let message = e.to_string();
            tracing::warn!(error = %message, rows = n, "search update not delivered, will retry");
            with_db(pool, move |c| {
                Ok(search_outbox::record_failure(c, &rows, &message, now_ms())?)
            })
            .await?;
            Err(AppError::Search(e))
        }
    }
}

/// The indexer: brings the index in line with the database if they disagree, then delivers
/// the outbox for as long as the server runs. Between rounds it sleeps until a product is
/// queued (`db::wake`), the next retry comes due, or `wake::fallback()` has passed.
///
/// The outbox is delivered even while that first check has not succeeded (the engine was
/// down at start, or went down during the rebuild): the waiting rows then record their
/// attempts and the engine's error for the administrators, and the check is tried again on
/// every round until it succeeds.
pub async fn run(pool: Pool, engine: Engine) {
    let mut synced = false;
    loop {
        if !synced {
            match sync_if_needed(&pool, &engine).await {
                Ok(_) => synced = true,
                Err(e) => tracing::warn!(error = %e, "search index not checked yet, will retry"),
            }
        }
        let retry = now_ms() + RETRY_CHECK_MS;
        let next_due = match deliver(&pool, &engine).await {
            Ok(d) => {
                if d.delivered > 0 {
                    tracing::debug!(delivered = d.delivered, "search index updated");
                }
                d.next_due
            }
            // The failed rows were given a later attempt: look again for when.
            Err(AppError::Search(_)) => Some(retry),
            Err(e) => {
                tracing::error!(error = %e, "search outbox failed");
                Some(retry)
            }
        };
        let next_due = match next_due {
            Some(due) if !synced => Some(due.min(retry)),
            None if !synced => Some(retry),
            due => due,
        };
        wake::wait(Outbox::Search, wake::sleep_until(next_due, now_ms())).await;
    }
}

/// After a failure, how soon the indexer looks again (the rows' own backoff decides when they
/// are tried).
const RETRY_CHECK_MS: i64 = 500;

/// Hands the engine the synonyms administrators added (`search_synonyms`), before its settings
/// are applied: Meilisearch then gets them with the settings file, even when it missed a
/// change (it was down when an administrator made it).
pub async fn load_synonyms(pool: &Pool, engine: &Engine) -> Result<(), AppError> {
    let added = with_db(pool, |c| Ok(search_synonym::entries(c)?)).await?;
    engine.set_added_synonyms(&added);
    Ok(())
}

/// Reindexes when the engine does not hold as many documents as there are published products.
pub async fn sync_if_needed(pool: &Pool, engine: &Engine) -> Result<bool, AppError> {
    load_synonyms(pool, engine).await?;
    engine.prepare().await?;
    let indexed = engine.count().await?;
    let published = with_db(pool, |c| Ok(search_outbox::published_count(c)?)).await?;
    if indexed == published as u64 {
        return Ok(false);
    }
    tracing::info!(
        indexed,
        published,
        "search index out of date, rebuilding it"
    );
    reindex(pool, engine).await?;
    Ok(true)
}

/// Rebuilds the whole index from the database. Outbox rows written before the rebuild began
/// are settled by it; later ones stay for the indexer.
pub async fn reindex(pool: &Pool, engine: &Engine) -> Result<(usize, Duration), AppError> {
    let started = Instant::now();
    load_synonyms(pool, engine).await?;
    let (docs, settled) = with_db(pool, |c| {
        let settled: Vec<i32> = search_outbox::pending(c)?.iter().map(|r| r.id).collect();
        Ok((search_outbox::documents(c, None, &today_iso())?, settled))
    })
    .await?;
    let n = docs.len();
    engine.replace_all(docs).await?;
    with_db(pool, move |c| Ok(search_outbox::remove(c, &settled)?)).await?;
    Ok((n, started.elapsed()))
}

/// The same check for the embedded engine, synchronously, before the server starts: the
/// first search then already finds every product.
pub fn sync_embedded(conn: &mut DbConnection, engine: &EmbeddedEngine) -> Result<(), AppError> {
    let published = search_outbox::published_count(conn)? as u64;
    if engine.count_now() != published {
        let started = Instant::now();
        let docs = search_outbox::documents(conn, None, &today_iso())?;
        engine.replace_all_now(&docs)?;
        let settled: Vec<i32> = search_outbox::pending(conn)?.iter().map(|r| r.id).collect();
        search_outbox::remove(conn, &settled)?;
        tracing::info!(
            documents = docs.len(),
            ms = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
    }
    Ok(())
}

/// Queues every published product for the indexer of a running server.
pub fn queue_everything(conn: &mut DbConnection) -> Result<usize, AppError> {
    let ids = search_outbox::published_ids(conn)?;
    search_outbox::enqueue(conn, &ids)?;
    Ok(ids.len())
}
