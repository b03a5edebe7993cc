//! Unit staff at fairs (`/kelola/pameran-saya`): apply for a booth while applications are
//! open, and see their applications.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, UnitStaff};
use crate::domain::fair::{form_value, ApplicationForm};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::fair as model;
use crate::models::product;
use crate::state::AppState;
use crate::views::fair_sales::MyFairsPage;
use crate::workflows::fairs::{apply_for_booth, ApplyOutcome};

#[get("/kelola/pameran-saya")]
pub async fn my_fairs(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let (events, mine, products) = state
        .db(move |c| {
            Ok((
                model::public_events(c)?,
                model::applications_of_unit(c, unit_id)?,
                product::unit_products(c, unit_id)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "fairs-mine",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = MyFairsPage::new(&events, &mine, &products);
    state.render_view("pages/staff/my_fairs.html", ctx, &page)
}

#[post("/kelola/pameran/{id}/daftar")]
pub async fn apply(
    state: web::Data<AppState>,
    staff: UnitStaff,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let event_id = id_from_path(&path)?;
    // Repeated `produk` fields: the form is read as pairs.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    check_csrf(&staff.session, form_value(&pairs, "csrf_token"))?;
    let form = ApplicationForm::from_pairs(&pairs);
    let (shop, unit_id, actor_id) = (state.shop(), staff.unit_id(), staff.actor.id);
    let flash = match apply_for_booth(shop, event_id, unit_id, actor_id, &form).await? {
        ApplyOutcome::Applied => "fairs-applied",
        ApplyOutcome::Invalid(_) => "fairs-apply-invalid",
        ApplyOutcome::Closed => "fairs-apply-closed",
        ApplyOutcome::AlreadyApplied => "fairs-apply-twice",
    };
    set_flash(&staff.session, flash);
    Ok(see_other("/kelola/pameran-saya"))
}
