//! `GET/POST /kelola/unit`: the unit's profile and brand, for its own staff. A change of the
//! brand name, story, logo or banner is proposed and waits for a reviewer (the public pages
//! keep the approved version); the pickup address, phone and email change at once. A proposed
//! logo or banner is shown only to the unit's staff and its reviewers
//! (`/kelola/unit/{id}/usulan/{logo|banner}`). The unit's static QRIS image for its booth till
//! is set, replaced or removed at once (no review) and served only to the unit's own staff
//! (`/kelola/unit/{id}/qris`).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{
    check_csrf, id_from_path, private_file, see_other, set_flash, staff_context, CsrfOnly, Staff,
    UnitStaff,
};
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::unit::{self, Unit, UnitProfile};
use crate::services::media;
use crate::state::AppState;
use crate::workflows::photos::{
    remove_static_qris, set_brand_picture, set_static_qris, BrandPicture, PhotoOutcome,
};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct UnitForm {
    #[serde(default)]
    brand_name: String,
    #[serde(default)]
    story: String,
    #[serde(default)]
    pickup_address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

impl UnitForm {
    fn validate(&self) -> Result<UnitProfile, FieldErrors> {
        let mut errors = FieldErrors::new();
        let len = |s: &str| s.trim().chars().count();
        if !(2..=80).contains(&len(&self.brand_name)) {
            errors.insert("brand_name", "unit-form-error-brand");
        }
        if !(20..=5000).contains(&len(&self.story)) {
            errors.insert("story", "unit-form-error-story");
        }
        if !(10..=500).contains(&len(&self.pickup_address)) {
            errors.insert("pickup_address", "unit-form-error-pickup");
        }
        let phone = self.phone.trim();
        if phone.len() > 30
            || !phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-'))
        {
            errors.insert("phone", "form-error-phone");
        }
        let email = self.email.trim();
        if !email.is_empty()
            && (email.len() > 254
                || !email
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.')))
        {
            errors.insert("email", "form-error-email");
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(UnitProfile {
            brand_name: self.brand_name.trim().to_string(),
            // Browsers send a textarea's lines ending in CRLF: a story saved unchanged is not a
            // new one to review.
            story: self.story.trim().replace("\r\n", "\n"),
            pickup_address: self.pickup_address.trim().to_string(),
            phone: phone.to_string(),
            email: email.to_string(),
        })
    }
}

async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    unit: &Unit,
    form: &UnitForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(
        state,
        lang,
        req,
        "staff-edit-unit",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = crate::views::staff::UnitFormPage::new(unit, form, errors);
    state.render_view_form("pages/staff/unit_form.html", ctx, &page, !errors.is_empty())
}

/// The unit `unit_id`, its proposal included.
async fn unit_row(state: &AppState, unit_id: i32) -> Result<Unit, AppError> {
    let (u, _, _) = state.db(move |c| Ok(unit::unit_by_id(c, unit_id)?)).await?;
    Ok(u)
}

/// The profile form filled with what the unit has saved: the brand name and story it
/// proposed while they wait for review.
fn saved_form(u: &Unit) -> UnitForm {
    let or_public =
        |proposed: &Option<String>, public: &String| proposed.as_ref().unwrap_or(public).clone();
    UnitForm {
        brand_name: or_public(&u.pending_brand_name, &u.brand_name),
        story: or_public(&u.pending_story, &u.story),
        pickup_address: u.pickup_address.clone(),
        phone: u.phone.clone(),
        email: u.email.clone(),
    }
}

#[get("/kelola/unit")]
pub async fn edit(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let u = unit_row(&state, staff.unit_id()).await?;
    render(
        &state,
        lang,
        &req,
        &staff,
        &u,
        &saved_form(&u),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct UnitPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: UnitForm,
}

#[post("/kelola/unit")]
pub async fn save(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    post: web::Form<UnitPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let unit_id = staff.unit_id();
    match post.form.validate() {
        Err(errors) => {
            let u = unit_row(&state, unit_id).await?;
            render(&state, lang, &req, &staff, &u, &post.form, &errors).await
        }
        Ok(profile) => {
            let actor_id = staff.actor.id;
            let proposed = state
                .db(move |c| Ok(unit::update_profile(c, unit_id, &profile, actor_id)?))
                .await?;
            let flash = if proposed {
                "flash-profile-proposed"
            } else {
                "flash-saved"
            };
            set_flash(&staff.session, flash);
            Ok(see_other("/kelola"))
        }
    }
}

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};

#[derive(MultipartForm)]
pub struct BrandImage {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "16 B")]
    which: Text<String>,
    #[multipart(limit = "11 MiB")]
    image: Option<UploadBytes>,
}

/// `POST /kelola/unit/gambar`: a new logo or banner, through the image pipeline, proposed for
/// review.
#[post("/kelola/unit/gambar")]
pub async fn upload_image(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    upload: Result<MultipartForm<BrandImage>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let outcome = match upload.map(|u| u.into_inner()) {
        Err(_) => PhotoOutcome::Refused("image-error-too-large"),
        Ok(upload) => {
            check_csrf(&staff.session, &upload.csrf_token)?;
            let which = BrandPicture::parse(&upload.which)
                .ok_or_else(|| AppError::BadRequest("logo or banner".into()))?;
            let bytes = upload.image.map(|i| Vec::from(i.data)).unwrap_or_default();
            set_brand_picture(state.shop(), unit_id, staff.actor.id, which, bytes).await?
        }
    };
    let PhotoOutcome::Refused(key) = outcome else {
        set_flash(&staff.session, "flash-profile-proposed");
        return Ok(see_other("/kelola/unit"));
    };
    let u = unit_row(&state, unit_id).await?;
    let errors = FieldErrors::from([("image", key)]);
    render(&state, lang, &req, &staff, &u, &saved_form(&u), &errors).await
}

/// `GET /kelola/unit/{id}/usulan/{logo|banner}`: the logo or banner unit `id` proposed, for
/// its own staff and the reviewers in scope only (403 for anyone else); never cached, never
/// under `/media`.
#[get("/kelola/unit/{id}/usulan/{which}")]
pub async fn proposed_picture(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, which) = path.into_inner();
    let u = unit_row(&state, id_from_path(&id)?).await?;
    if !(staff.actor.can_manage_unit(u.id) || staff.actor.can_review_in(u.province_id)) {
        return Err(AppError::Forbidden);
    }
    let which = BrandPicture::parse(&which).ok_or(AppError::NotFound)?;
    let rel = u.proposed_picture(which).ok_or(AppError::NotFound)?;
    private_file(&media::proposed_store(&state.documents), rel, "image/jpeg").await
}

#[derive(MultipartForm)]
pub struct QrisImage {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "11 MiB")]
    image: Option<UploadBytes>,
}

/// `POST /kelola/unit/qris`: the unit's static QRIS image (the PNG or JPEG its bank gave it),
/// set or replaced at once: checked and re-encoded as every upload, never reviewed, never
/// public. A file that is not a picture is refused with the reason on the form (422).
#[post("/kelola/unit/qris")]
pub async fn upload_qris(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    upload: Result<MultipartForm<QrisImage>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let outcome = match upload.map(|u| u.into_inner()) {
        Err(_) => PhotoOutcome::Refused("image-error-too-large"),
        Ok(upload) => {
            check_csrf(&staff.session, &upload.csrf_token)?;
            let bytes = upload.image.map(|i| Vec::from(i.data)).unwrap_or_default();
            set_static_qris(state.shop(), unit_id, staff.actor.id, bytes).await?
        }
    };
    let PhotoOutcome::Refused(key) = outcome else {
        set_flash(&staff.session, "booth-qris-saved");
        return Ok(see_other("/kelola/unit"));
    };
    let u = unit_row(&state, unit_id).await?;
    let errors = FieldErrors::from([("qris", key)]);
    render(&state, lang, &req, &staff, &u, &saved_form(&u), &errors).await
}

/// `POST /kelola/unit/qris/hapus`: removes the unit's static QRIS image (the till then offers
/// cash, and dynamic QRIS when Midtrans is configured).
#[post("/kelola/unit/qris/hapus")]
pub async fn remove_qris(
    state: web::Data<AppState>,
    staff: UnitStaff,
    post: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &post.csrf_token)?;
    let removed = remove_static_qris(state.shop(), staff.unit_id(), staff.actor.id).await?;
    let flash = if removed {
        "booth-qris-removed"
    } else {
        "booth-qris-none"
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/unit"))
}

/// `GET /kelola/unit/{id}/qris`: unit `id`'s static QRIS image, for its own staff only (403 for
/// any other account, the sign-in page without one); never under `/media`, never cached. The
/// till loads it with its page, so it still shows when the signal drops.
#[get("/kelola/unit/{id}/qris")]
pub async fn static_qris(
    state: web::Data<AppState>,
    staff: UnitStaff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_from_path(&path)?;
    if id != staff.unit_id() {
        return Err(AppError::Forbidden);
    }
    let rel = unit_row(&state, id)
        .await?
        .qris_image
        .ok_or(AppError::NotFound)?;
    let content_type = if rel.ends_with(".png") {
        "image/png"
    } else {
        "image/jpeg"
    };
    private_file(&media::qris_store(&state.documents), &rel, content_type).await
}
