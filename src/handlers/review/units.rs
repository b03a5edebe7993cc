//! The review desk decides on what a unit proposes of its profile (`/kelola/tinjau/unit/{id}`):
//! its brand, story, logo and banner as public now, beside the proposal; approved, or sent back
//! with a reason the unit's staff see on their form.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::back_to_desk;
use crate::domain::units::ProfileDecision;
use crate::error::AppError;
use crate::handlers::account::{check_csrf, id_from_path, staff_context, Reviewer, Staff};
use crate::i18n::Lang;
use crate::models::unit::{self, Unit};
use crate::state::AppState;
use crate::views::staff::ReviewUnitPage;
use crate::workflows::review::{decide_unit_profile, ProfileReview, ReviewOutcome};

/// Unit `id` with its province's name, if this reviewer may review it: 404 when missing, 403
/// outside their province.
async fn in_scope(state: &AppState, staff: &Staff, id: i32) -> Result<(Unit, String), AppError> {
    let (u, province_name, _) = state.db(move |c| Ok(unit::unit_by_id(c, id)?)).await?;
    if staff.actor.can_review_in(u.province_id) {
        Ok((u, province_name))
    } else {
        Err(AppError::Forbidden)
    }
}

async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    id: i32,
    error: Option<&str>,
    reason: &str,
) -> Result<HttpResponse, AppError> {
    let (u, province_name) = in_scope(state, staff, id).await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "review-profile-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = ReviewUnitPage::new(&u, &province_name, error, reason);
    state.render_view_form("pages/staff/review_unit.html", ctx, &page, error.is_some())
}

#[get("/kelola/tinjau/unit/{id}")]
pub async fn profile_review(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Reviewer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_from_path(&path)?;
    render(&state, lang, &req, &staff, id, None, "").await
}

#[derive(Deserialize)]
pub struct ProfileDecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    /// Ticked: no resident's face or name shows.
    #[serde(default)]
    check_people: Option<String>,
    /// The version of the proposal the reviewer saw.
    #[serde(default)]
    version: String,
}

#[post("/kelola/tinjau/unit/{id}")]
pub async fn decide(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Reviewer,
    path: web::Path<String>,
    form: web::Form<ProfileDecisionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    in_scope(&state, &staff, id).await?;
    let decision = ProfileDecision::parse(&form.decision)
        .ok_or_else(|| AppError::BadRequest("unknown decision".into()))?;
    let reason: String = form.reason.trim().chars().take(1000).collect();
    let review = ProfileReview {
        unit_id: id,
        decision,
        no_resident_shown: form.check_people.is_some(),
        reason: &reason,
        seen: form.version.trim().parse::<i64>().ok(),
        actor_id: staff.actor.id,
    };
    let error = match decide_unit_profile(state.shop(), review).await? {
        ReviewOutcome::Decided(done) => return Ok(back_to_desk(&staff, done)),
        ReviewOutcome::NotAllowed => return Ok(back_to_desk(&staff, "flash-not-allowed")),
        ReviewOutcome::Incomplete(missing) => missing,
        ReviewOutcome::Changed => "review-profile-stale",
    };
    render(&state, lang, &req, &staff, id, Some(error), &reason).await
}
