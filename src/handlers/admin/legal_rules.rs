//! Legal status rules (`/kelola/aturan-legalitas`), for administrators: which documents the
//! products of a category or of a kind need before they may be sold (`domain::legal`). The
//! list, a new rule, removing one; every change is audited and moves the catalogue generation
//! on (the "Menunggu legalitas" badges and buy buttons follow at once).

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::domain::fair::form_value;
use crate::domain::legal::LegalRuleForm;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly, Staff,
};
use crate::i18n::Lang;
use crate::models::legal;
use crate::state::AppState;
use crate::views::legal::LegalRulesPage;

/// Where the list is, and where every change goes back to.
const LIST: &str = "/kelola/aturan-legalitas";

/// The rules and the form for a new one as typed, with what is wrong with it (422 then).
async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    form: &LegalRuleForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let caches = state.caches.clone();
    let (rules, categories) = state
        .read(move |c| Ok((legal::rules(c)?, caches.category_list(c)?)))
        .await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "legal-rules-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = LegalRulesPage::new(lang, &rules, &categories, form, errors);
    state.render_view_form(
        "pages/staff/legal_rules.html",
        ctx,
        &page,
        !errors.is_empty(),
    )
}

#[get("/kelola/aturan-legalitas")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let form = LegalRuleForm {
        scope: "category".into(),
        ..LegalRuleForm::default()
    };
    render(&state, lang, &req, &staff, &form, &FieldErrors::new()).await
}

/// `POST /kelola/aturan-legalitas`: a new rule (`scope`, `category` or `kind`, `documents`
/// repeated, `applies_from`).
#[post("/kelola/aturan-legalitas")]
pub async fn add(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    // Repeated `documents` fields: the form is read as pairs.
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    check_csrf(&staff.session, form_value(&pairs, "csrf_token"))?;
    let form = LegalRuleForm::from_pairs(&pairs);
    let caches = state.caches.clone();
    let categories = state.read(move |c| Ok(caches.category_list(c)?)).await?;
    let slugs: Vec<&str> = categories.iter().map(|c| c.slug.as_str()).collect();
    let rule = match form.validate(&slugs) {
        Ok(rule) => rule,
        Err(errors) => return render(&state, lang, &req, &staff, &form, &errors).await,
    };
    let actor_id = staff.actor.id;
    state
        .db(move |c| Ok(legal::add_rule(c, &rule, actor_id)?))
        .await?;
    set_flash(&staff.session, "legal-rules-flash-added");
    Ok(see_other(LIST))
}

/// `POST /kelola/aturan-legalitas/{id}/hapus`: the rule no longer applies.
#[post("/kelola/aturan-legalitas/{id}/hapus")]
pub async fn remove(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let actor_id = staff.actor.id;
    let removed = state
        .db(move |c| Ok(legal::remove_rule(c, id, actor_id)?))
        .await?;
    set_flash(
        &staff.session,
        if removed {
            "legal-rules-flash-removed"
        } else {
            "legal-rules-flash-gone"
        },
    );
    Ok(see_other(LIST))
}
