//! The review desk decides on a unit's legal document: verified, or rejected with a reason.

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;

use crate::error::AppError;
use crate::handlers::account::{check_csrf, id_from_path, see_other, set_flash, Reviewer};
use crate::models::certification;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DocumentDecision {
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
    form: web::Form<DocumentDecision>,
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
    let reason: String = form.reason.trim().chars().take(1000).collect();
    let verify = match form.decision.as_str() {
        "verify" => true,
        "reject" if reason.chars().count() >= 5 => false,
        "reject" => {
            set_flash(&staff.session, "review-reason-required");
            return Ok(see_other("/kelola/tinjau"));
        }
        _ => return Err(AppError::BadRequest("unknown decision".into())),
    };
    let actor_id = staff.actor.id;
    let done = state
        .db(move |c| {
            Ok(certification::decide_document(
                c,
                id,
                verify,
                Some(&reason),
                actor_id,
            )?)
        })
        .await?;
    set_flash(
        &staff.session,
        match (done, verify) {
            (false, _) => "flash-not-allowed",
            (true, true) => "flash-document-verified",
            (true, false) => "flash-document-rejected",
        },
    );
    Ok(see_other("/kelola/tinjau"))
}
