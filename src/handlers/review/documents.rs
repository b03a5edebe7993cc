//! The review desk decides on a unit's legal document: verified, or rejected with a reason.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;

use crate::domain::DocumentDecision;
use crate::error::AppError;
use crate::handlers::account::{check_csrf, id_from_path, see_other, set_flash, Reviewer};
use crate::models::certification;
use crate::state::AppState;
use crate::workflows::review::{decide_document, ReviewOutcome};

#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

#[post("/kelola/tinjau/dokumen/{id}")]
pub async fn decide(
    state: web::Data<AppState>,
    staff: Reviewer,
    path: web::Path<String>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let owner = state
        .db(move |c| Ok(certification::document_owner(c, id)?))
        .await?;
    let (_, province_id, _) = owner.ok_or(AppError::NotFound)?;
    if !staff.actor.can_review_in(province_id) {
        return Err(AppError::Forbidden);
    }
    let decision = DocumentDecision::parse(&form.decision)
        .ok_or_else(|| AppError::BadRequest("unknown decision".into()))?;
    let reason: String = form.reason.trim().chars().take(1000).collect();
    let outcome = decide_document(state.shop(), id, decision, &reason, staff.actor.id).await?;
    let flash = match outcome {
        ReviewOutcome::Decided(done) => done,
        ReviewOutcome::Incomplete(missing) => missing,
        ReviewOutcome::NotAllowed | ReviewOutcome::Changed => "flash-not-allowed",
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/tinjau"))
}
