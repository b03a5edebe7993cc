//! A reviewer decides on a listing or a legal document waiting for review.

use crate::domain::{DocumentDecision, ListingDecision};
use crate::error::AppError;
use crate::models::{certification, product};

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
