//! A reviewer decides on a listing, a legal document or a unit's proposed profile waiting for
//! review.

use crate::domain::units::ProfileDecision;
use crate::domain::{DocumentDecision, ListingDecision};
use crate::error::AppError;
use crate::models::{certification, product, unit};
use crate::services::media::{self, MediaStore};

use super::Shop;

/// How a decision on a listing went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// Recorded; the key of the message saying so.
    Decided(&'static str),
    /// Something the decision needs is missing (the key of the message saying what).
    Incomplete(&'static str),
    /// The listing changed while the reviewer had it open; they should look again.
    Changed,
    /// The listing is not waiting for this decision (decided meanwhile, or withdrawn).
    NotAllowed,
}

/// What the reviewer sent.
pub struct ListingReview<'a> {
    pub product_id: i32,
    pub decision: ListingDecision,
    /// Every box of the checklist is ticked.
    pub checklist_complete: bool,
    /// The reason given to the unit (required to return a listing).
    pub reason: &'a str,
    /// The version of the listing the reviewer saw (its `updated_at`).
    pub seen: Option<i64>,
    pub actor_id: i32,
}

/// Moves the listing to the state the decision asks for, if it is still the version seen.
pub async fn decide_listing(
    shop: Shop<'_>,
    review: ListingReview<'_>,
) -> Result<ReviewOutcome, AppError> {
    let next = match review
        .decision
        .check(review.checklist_complete, review.reason)
    {
        Ok(next) => next,
        Err(missing) => return Ok(ReviewOutcome::Incomplete(missing)),
    };
    let ListingReview {
        product_id,
        seen,
        actor_id,
        ..
    } = review;
    let reason = review.reason.to_string();
    let moved = shop
        .write(move |c| {
            Ok(product::change_status(
                c,
                product_id,
                next,
                Some(&reason),
                seen,
                actor_id,
            )?)
        })
        .await?;
    Ok(match (moved, seen) {
        (true, _) => ReviewOutcome::Decided(review.decision.done_message()),
        (false, Some(_)) => ReviewOutcome::Changed,
        (false, None) => ReviewOutcome::NotAllowed,
    })
}

/// Verifies or rejects legal document `document_id` (one submitted and not yet decided).
pub async fn decide_document(
    shop: Shop<'_>,
    document_id: i32,
    decision: DocumentDecision,
    reason: &str,
    actor_id: i32,
) -> Result<ReviewOutcome, AppError> {
    if let Err(missing) = decision.check(reason) {
        return Ok(ReviewOutcome::Incomplete(missing));
    }
    let verify = decision == DocumentDecision::Verify;
    let reason = reason.to_string();
    let done = shop
        .write(move |c| {
            Ok(certification::decide_document(
                c,
                document_id,
                verify,
                Some(&reason),
                actor_id,
            )?)
        })
        .await?;
    Ok(if done {
        ReviewOutcome::Decided(decision.done_message())
    } else {
        ReviewOutcome::NotAllowed
    })
}

/// What the reviewer sent about a unit's proposed profile.
pub struct ProfileReview<'a> {
    pub unit_id: i32,
    pub decision: ProfileDecision,
    /// The reviewer ticked that no resident's face or name shows.
    pub no_resident_shown: bool,
    /// The reason given to the unit (required to send the proposal back).
    pub reason: &'a str,
    /// The version of the proposal the reviewer saw (its `pending_changed_at`).
    pub seen: Option<i64>,
    pub actor_id: i32,
}

/// Approves or sends back what unit `unit_id` proposes of its profile, if it is still the
/// version seen. Approving copies the proposed pictures into public media first, then removes
/// the public pictures they replace (their addresses answer 404 from then on) and the private
/// files; sending back removes the proposed pictures.
pub async fn decide_unit_profile(
    shop: Shop<'_>,
    review: ProfileReview<'_>,
) -> Result<ReviewOutcome, AppError> {
    if let Err(missing) = review
        .decision
        .check(review.no_resident_shown, review.reason)
    {
        return Ok(ReviewOutcome::Incomplete(missing));
    }
    let ProfileReview {
        unit_id,
        decision,
        seen,
        actor_id,
        ..
    } = review;
    let (current, _, _) = shop
        .read(move |c| Ok(unit::unit_by_id(c, unit_id)?))
        .await?;
    let Some(version) = current.pending_changed_at else {
        return Ok(ReviewOutcome::NotAllowed);
    };
    let Some(seen) = seen.filter(|seen| *seen == version) else {
        return Ok(ReviewOutcome::Changed);
    };
    let private = media::proposed_store(shop.documents);
    let public = shop.media;
    let decided = match decision {
        ProfileDecision::Approve => {
            let proposed: Vec<String> = [current.pending_logo, current.pending_banner]
                .into_iter()
                .flatten()
                .collect();
            if !publish(&private, public, &proposed).await? {
                return Ok(ReviewOutcome::Changed);
            }
            let approved = shop
                .write(move |c| Ok(unit::approve_proposal(c, unit_id, seen, actor_id)?))
                .await?;
            let Some(before) = approved else {
                // Changed meanwhile: the copies are nobody's pictures.
                remove_pictures(public, &proposed).await;
                return Ok(ReviewOutcome::Changed);
            };
            let own = format!("units/{unit_id}/");
            let replaced: Vec<String> = [
                (before.pending_logo.is_some(), before.logo_path),
                (before.pending_banner.is_some(), before.banner_path),
            ]
            .into_iter()
            .filter_map(|(swapped, old)| old.filter(|old| swapped && old.starts_with(&own)))
            .filter(|old| !proposed.contains(old))
            .collect();
            remove_pictures(public, &replaced).await;
            remove_pictures(&private, &proposed).await;
            true
        }
        ProfileDecision::Return => {
            let reason = review.reason.to_string();
            let returned = shop
                .write(move |c| Ok(unit::return_proposal(c, unit_id, seen, &reason, actor_id)?))
                .await?;
            match returned {
                Some(before) => {
                    let proposed: Vec<String> = [before.pending_logo, before.pending_banner]
                        .into_iter()
                        .flatten()
                        .collect();
                    remove_pictures(&private, &proposed).await;
                    true
                }
                None => false,
            }
        }
    };
    Ok(if decided {
        ReviewOutcome::Decided(decision.done_message())
    } else {
        ReviewOutcome::Changed
    })
}

/// Copies every variant of the proposed pictures `files` from the private store into public
/// media. False, with nothing left in public media, when one of them is gone (replaced
/// meanwhile); an error of a store, with nothing left in public media either.
async fn publish(
    private: &MediaStore,
    public: &MediaStore,
    files: &[String],
) -> Result<bool, AppError> {
    for (i, file) in files.iter().enumerate() {
        let copied = match media::variant_base(file) {
            Some(base) => match private.exists(file).await {
                Ok(true) => private.copy_variants(base, public).await.map(|_| true),
                Ok(false) => Ok(false),
                Err(e) => Err(e),
            },
            None => Ok(false),
        };
        match copied {
            Ok(true) => {}
            Ok(false) => {
                remove_pictures(public, &files[..i]).await;
                return Ok(false);
            }
            Err(e) => {
                remove_pictures(public, &files[..=i]).await;
                return Err(AppError::internal(e));
            }
        }
    }
    Ok(true)
}

/// Removes every variant of the pictures `files` from `store`.
async fn remove_pictures(store: &MediaStore, files: &[String]) {
    for file in files {
        store.remove_picture(file).await;
    }
}
