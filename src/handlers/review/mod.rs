//! The review desk (`/kelola/tinjau`): listings, legal documents and unit profiles waiting for
//! a decision.

pub mod documents;
pub mod units;

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::legal::MissingDocuments;
use crate::domain::ListingDecision;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, Reviewer, Staff,
};
use crate::i18n::Lang;
use crate::models::certification::DocumentRow;
use crate::models::product::{Photo, Product};
use crate::models::{legal, product, today_iso, unit};
use crate::state::AppState;
use crate::views::staff::{ReviewProductPage, ReviewQueuePage};
use crate::workflows::review::{decide_listing, ListingReview, ReviewOutcome};

#[get("/kelola/tinjau")]
pub async fn queue(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Reviewer,
) -> Result<HttpResponse, AppError> {
    let province = staff.actor.province_id;
    let (rows, missing, documents, proposals) = state
        .db(move |c| {
            let rows = product::review_queue(c, province)?;
            let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
            Ok((
                rows,
                legal::missing_documents(c, &ids, &today_iso())?,
                crate::models::certification::pending_documents(c, province)?,
                unit::proposals(c, province)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "staff-review-desk",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = ReviewQueuePage::new(lang, &rows, &missing, &documents, &proposals);
    state.render_view("pages/staff/review_queue.html", ctx, &page)
}

/// A product this reviewer may review: 404 when missing, 403 outside their province.
async fn reviewable(state: &AppState, staff: &Staff, id: i32) -> Result<(), AppError> {
    let owner = state.db(move |c| Ok(product::owner(c, id)?)).await?;
    let (_, province_id) = owner.ok_or(AppError::NotFound)?;
    if staff.actor.can_review_in(province_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A listing under review: the product, its unit's name, its photos and documents, and what
/// the legal rules still ask of it.
type UnderReview = (
    Product,
    String,
    Vec<Photo>,
    Vec<DocumentRow>,
    MissingDocuments,
);

/// The listing `id` as its reviewer sees it (404 when it does not exist).
async fn under_review(state: &AppState, id: i32) -> Result<UnderReview, AppError> {
    state
        .db(move |c| {
            let p = product::by_id(c, id)?.ok_or(diesel::result::Error::NotFound)?;
            let (u, _, _) = unit::unit_by_id(c, p.unit_id)?;
            let photos = product::photos_of(c, id)?;
            let documents = crate::models::certification::documents_of_product(c, id)?;
            let missing = legal::missing_documents(c, &[id], &today_iso())?
                .remove(&id)
                .unwrap_or_default();
            Ok((p, u.name, photos, documents, missing))
        })
        .await
}

async fn render_review(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    id: i32,
    error: Option<&str>,
    reason: &str,
) -> Result<HttpResponse, AppError> {
    let (p, unit_name, photos, documents, missing) = under_review(state, id).await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "review-product-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = ReviewProductPage::new(
        lang, &p, &unit_name, &photos, &documents, &missing, error, reason,
    );
    state.render_view_form(
        "pages/staff/review_product.html",
        ctx,
        &page,
        error.is_some(),
    )
}

#[get("/kelola/tinjau/produk/{id}")]
pub async fn product_review(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Reviewer,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_from_path(&path)?;
    reviewable(&state, &staff, id).await?;
    render_review(&state, lang, &req, &staff, id, None, "").await
}

#[derive(Deserialize)]
pub struct Decision {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    check_people: Option<String>,
    #[serde(default)]
    check_content: Option<String>,
    #[serde(default)]
    check_documents: Option<String>,
    /// The version of the listing the reviewer saw.
    #[serde(default)]
    version: String,
}

impl Decision {
    /// The reviewer's decision on listing `product_id`, with the `reason` given.
    fn review<'a>(
        &self,
        product_id: i32,
        decision: ListingDecision,
        reason: &'a str,
        actor_id: i32,
    ) -> ListingReview<'a> {
        ListingReview {
            product_id,
            decision,
            checklist_complete: self.check_people.is_some()
                && self.check_content.is_some()
                && self.check_documents.is_some(),
            reason,
            seen: self.version.trim().parse::<i64>().ok(),
            actor_id,
        }
    }
}

/// Back to the review desk with a message.
fn back_to_desk(staff: &Staff, flash: &str) -> HttpResponse {
    set_flash(&staff.session, flash);
    see_other("/kelola/tinjau")
}

#[post("/kelola/tinjau/produk/{id}")]
pub async fn decide(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: Reviewer,
    path: web::Path<String>,
    form: web::Form<Decision>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    reviewable(&state, &staff, id).await?;
    let decision = ListingDecision::parse(&form.decision)
        .ok_or_else(|| AppError::BadRequest("unknown decision".into()))?;
    let reason: String = form.reason.trim().chars().take(1000).collect();
    let review = form.review(id, decision, &reason, staff.actor.id);
    let error = match decide_listing(state.shop(), review).await? {
        ReviewOutcome::Decided(done) => return Ok(back_to_desk(&staff, done)),
        ReviewOutcome::NotAllowed => return Ok(back_to_desk(&staff, "flash-not-allowed")),
        ReviewOutcome::Incomplete(missing) => missing,
        ReviewOutcome::Changed => "review-changed",
    };
    render_review(&state, lang, &req, &staff, id, Some(error), &reason).await
}
