//! The units registry (`/kelola/daftar-unit`), for administrators: the list of units with
//! search and filters, a unit's form (its details and revenue split), switching a unit off and
//! on again, and the import of the official list from CSV: a dry run line by line first, then
//! "Terapkan" applies it all or nothing. (`/kelola/unit` is a unit's own profile, for its
//! staff.)

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::import::FileProblem;
use crate::domain::units::{self as registry, ImportPlan, RegistryFilter, UnitForm};
use crate::domain::{FieldErrors, PageNumber};
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly, Staff,
};
use crate::i18n::Lang;
use crate::models::unit;
use crate::state::AppState;
use crate::views::staff::{RegistryFormPage, RegistryPage, UnitImportPage, REGISTRY_PER_PAGE};

/// The list's query: `q` (name or city), `provinsi` (id), `jenis` (kind), `status`
/// (`aktif`, `nonaktif`), `staf` (`tanpa`: units without active staff), `halaman`.
#[derive(Debug, Default, Deserialize)]
pub struct RegistryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    provinsi: String,
    #[serde(default)]
    jenis: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    staf: String,
    #[serde(default)]
    halaman: Option<String>,
}

#[get("/kelola/daftar-unit")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let query: RegistryQuery = crate::handlers::lenient_query(&req);
    let filter = RegistryFilter::parse(&query.q, &query.provinsi, &query.jenis, &query.status)
        .with_staff_query(&query.staf);
    let page = PageNumber::parse_or_first(query.halaman.as_deref());
    let wanted = filter.clone();
    let (rows, total, provinces) = state
        .read(move |c| {
            let (rows, total) = unit::registry_page(c, &wanted, page, REGISTRY_PER_PAGE)?;
            Ok((rows, total, unit::province_refs(c)?))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "units-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let view = RegistryPage::new(
        lang,
        &rows,
        total,
        &provinces,
        &query.q,
        &filter,
        page.get(),
    );
    state.render_view("pages/staff/units.html", ctx, &view)
}

/// The unit form: a new unit (`unit` None) or a registered one, with what was typed and what
/// is wrong with it (422 then).
async fn render_form(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    unit: Option<&unit::Unit>,
    form: &UnitForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let provinces = state.read(|c| Ok(unit::province_refs(c)?)).await?;
    let title = if unit.is_some() {
        "units-edit-title"
    } else {
        "units-new-title"
    };
    let ctx = staff_context(state, lang, req, title, Some(staff), &staff.session).await?;
    let page = RegistryFormPage::new(lang, &provinces, unit, form, errors);
    state.render_view_form(
        "pages/staff/unit_registry_form.html",
        ctx,
        &page,
        !errors.is_empty(),
    )
}

/// The ids of the provinces a unit may be registered in.
async fn province_ids(state: &AppState) -> Result<Vec<i32>, AppError> {
    let provinces = state.read(|c| Ok(unit::province_refs(c)?)).await?;
    Ok(provinces.iter().map(|p| p.id).collect())
}

#[get("/kelola/daftar-unit/baru")]
pub async fn new_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    render_form(
        &state,
        lang,
        &req,
        &staff,
        None,
        &UnitForm::new_unit(),
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

#[post("/kelola/daftar-unit")]
pub async fn create(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    post: web::Form<UnitPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let draft = match post.form.validate(&province_ids(&state).await?) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_form(&state, lang, &req, &staff, None, &post.form, &errors).await
        }
    };
    let actor_id = staff.actor.id;
    match state
        .db(move |c| Ok(unit::create_unit(c, &draft, actor_id)?))
        .await?
    {
        Ok(id) => {
            set_flash(&staff.session, "units-flash-created");
            Ok(see_other(&format!("/kelola/daftar-unit/{id}")))
        }
        Err(key) => {
            let errors = FieldErrors::from([("name", key)]);
            render_form(&state, lang, &req, &staff, None, &post.form, &errors).await
        }
    }
}

#[get("/kelola/daftar-unit/{id}")]
pub async fn edit_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_from_path(&path)?;
    let found = state
        .read(move |c| Ok(unit::registered(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let form = UnitForm::of(&found.details(), found.split());
    render_form(
        &state,
        lang,
        &req,
        &staff,
        Some(&found),
        &form,
        &FieldErrors::new(),
    )
    .await
}

#[post("/kelola/daftar-unit/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
    post: web::Form<UnitPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let id = id_from_path(&path)?;
    let found = state
        .read(move |c| Ok(unit::registered(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = match post.form.validate(&province_ids(&state).await?) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_form(
                &state,
                lang,
                &req,
                &staff,
                Some(&found),
                &post.form,
                &errors,
            )
            .await
        }
    };
    let actor_id = staff.actor.id;
    match state
        .db(move |c| Ok(unit::update_unit(c, id, &draft, actor_id)?))
        .await?
    {
        Ok(()) => {
            set_flash(&staff.session, "flash-saved");
            Ok(see_other(&format!("/kelola/daftar-unit/{id}")))
        }
        Err(key) => {
            let errors = FieldErrors::from([("name", key)]);
            render_form(
                &state,
                lang,
                &req,
                &staff,
                Some(&found),
                &post.form,
                &errors,
            )
            .await
        }
    }
}

/// Switches a unit off or on and goes back to its form.
async fn switch(
    state: &AppState,
    staff: &Staff,
    path: &str,
    csrf_token: &str,
    active: bool,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, csrf_token)?;
    let id = id_from_path(path)?;
    let actor_id = staff.actor.id;
    state
        .db(move |c| Ok(unit::set_active(c, id, active, actor_id)?))
        .await?;
    set_flash(
        &staff.session,
        if active {
            "units-flash-reactivated"
        } else {
            "units-flash-deactivated"
        },
    );
    Ok(see_other(&format!("/kelola/daftar-unit/{id}")))
}

/// `POST /kelola/daftar-unit/{id}/nonaktifkan`: the unit's shop and products leave the public
/// pages and its staff can no longer sign in.
#[post("/kelola/daftar-unit/{id}/nonaktifkan")]
pub async fn deactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, false).await
}

/// `POST /kelola/daftar-unit/{id}/aktifkan`: everything a switch-off took away comes back.
#[post("/kelola/daftar-unit/{id}/aktifkan")]
pub async fn reactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, true).await
}

// ---- Import ------------------------------------------------------------------------------

#[derive(MultipartForm)]
pub struct UnitsUpload {
    /// Optional here so that a form without it is refused as such (403), not as unreadable.
    #[multipart(limit = "1 KiB")]
    csrf_token: Option<Text<String>>,
    #[multipart(limit = "2 MiB")]
    file: Option<UploadBytes>,
    /// The file as text, sent again by the "Terapkan" form.
    #[multipart(limit = "2 MiB")]
    csv_text: Option<Text<String>>,
    /// `1`: apply the file; otherwise a dry run.
    #[multipart(limit = "8 B")]
    terapkan: Option<Text<String>>,
}

/// The import page: the file's problem, or the plan line by line (422 when something is
/// wrong), with the file kept for "Terapkan".
async fn render_import(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    problem: Option<&FileProblem>,
    plan: Option<&ImportPlan>,
    csv_text: &str,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(
        state,
        lang,
        req,
        "units-import-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = UnitImportPage::new(lang, problem, plan, csv_text);
    let refused = problem.is_some() || plan.is_some_and(|p| !p.is_clean());
    state.render_view_form("pages/staff/unit_import.html", ctx, &page, refused)
}

#[get("/kelola/daftar-unit/impor")]
pub async fn import_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    render_import(&state, lang, &req, &staff, None, None, "").await
}

#[get("/kelola/daftar-unit/impor/templat.csv")]
pub async fn import_template(_staff: AdminUser) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"templat-daftar-unit.csv\"",
        ))
        .body(registry::csv_template()))
}

/// `POST /kelola/daftar-unit/impor`: a dry run of the file (what each line would do), or with
/// `terapkan=1` the file applied in one transaction, checked again first: nothing is saved
/// while a line is refused.
#[post("/kelola/daftar-unit/impor")]
pub async fn import(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    upload: Result<MultipartForm<UnitsUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let Ok(upload) = upload.map(|u| u.into_inner()) else {
        let too_large = FileProblem::TooManyRows;
        return render_import(&state, lang, &req, &staff, Some(&too_large), None, "").await;
    };
    let token: &str = match &upload.csrf_token {
        Some(token) => token.as_str(),
        None => "",
    };
    check_csrf(&staff.session, token)?;
    let apply = upload.terapkan.is_some_and(|t| t.as_str() == "1");
    let csv: Vec<u8> = match (upload.file, upload.csv_text) {
        (Some(f), _) if !f.data.is_empty() => Vec::from(f.data),
        (_, Some(t)) => t.into_inner().into_bytes(),
        _ => Vec::new(),
    };
    let rows = match registry::read_csv(&csv) {
        Ok(rows) => rows,
        Err(problem) => {
            return render_import(&state, lang, &req, &staff, Some(&problem), None, "").await
        }
    };
    let actor_id = staff.actor.id;
    let (plan, applied) = if apply {
        state
            .db(move |c| Ok(unit::apply_import(c, &rows, Some(actor_id))?))
            .await?
    } else {
        let plan = state
            .read(move |c| Ok(unit::plan_import(c, &rows)?))
            .await?;
        (plan, false)
    };
    if applied {
        tracing::info!(
            new = plan.new_units(),
            changed = plan.changed(),
            "units imported from CSV"
        );
        set_flash(&staff.session, "units-flash-imported");
        return Ok(see_other("/kelola/daftar-unit"));
    }
    let typed = String::from_utf8_lossy(&csv);
    render_import(&state, lang, &req, &staff, None, Some(&plan), &typed).await
}
