//! Synonyms administrators add and remove (`/kelola/sinonim`): saved with an audit entry, then
//! handed to the search engine at once, without a restart. The embedded engine's next search
//! uses them; Meilisearch is sent its new `synonyms` setting. When Meilisearch cannot be told
//! now, the change is saved all the same, logged, and sent with the settings at its next start
//! (`services::indexer::load_synonyms` before every `prepare`).

use crate::domain::synonyms::{SynonymEntry, SynonymForm};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::models::search_synonym;

use super::Shop;

/// What became of a new entry.
#[derive(Debug)]
pub enum SynonymAdded {
    /// Saved and in force; `engine_told`: false when Meilisearch gets it only at its next start.
    Saved { engine_told: bool },
    /// Nothing saved: what is wrong with the form.
    Invalid(FieldErrors),
}

/// What became of a removal.
#[derive(Debug, PartialEq, Eq)]
pub enum SynonymRemoved {
    Removed {
        engine_told: bool,
    },
    /// There was no such entry (removed already).
    Gone,
}

/// Checks `form` and saves it as `actor_id`'s entry, then hands the engine every entry.
pub async fn add_synonym(
    shop: Shop<'_>,
    form: &SynonymForm,
    actor_id: i32,
) -> Result<SynonymAdded, AppError> {
    let entry = match form.validate(crate::search::words_of) {
        Ok(entry) => entry,
        Err(errors) => return Ok(SynonymAdded::Invalid(errors)),
    };
    let entries = shop
        .write(move |c| {
            search_synonym::add(c, &entry, actor_id)?;
            Ok(search_synonym::entries(c)?)
        })
        .await?;
    let engine_told = hand_to_engine(shop, &entries).await;
    Ok(SynonymAdded::Saved { engine_told })
}

/// Removes entry `id` as `actor_id`, then hands the engine the entries left.
pub async fn remove_synonym(
    shop: Shop<'_>,
    id: i32,
    actor_id: i32,
) -> Result<SynonymRemoved, AppError> {
    let removed = shop
        .write(move |c| {
            if !search_synonym::remove(c, id, actor_id)? {
                return Ok(None);
            }
            Ok(Some(search_synonym::entries(c)?))
        })
        .await?;
    match removed {
        None => Ok(SynonymRemoved::Gone),
        Some(entries) => Ok(SynonymRemoved::Removed {
            engine_told: hand_to_engine(shop, &entries).await,
        }),
    }
}

/// Puts `entries` in force in this process's engine and sends them to Meilisearch; false when
/// Meilisearch could not be told (logged; it gets them at its next start).
async fn hand_to_engine(shop: Shop<'_>, entries: &[SynonymEntry]) -> bool {
    shop.search.set_added_synonyms(entries);
    match shop.search.push_synonyms().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(
                error = %e,
                "synonyms saved but not sent to the search engine; it gets them at its next start"
            );
            false
        }
    }
}
