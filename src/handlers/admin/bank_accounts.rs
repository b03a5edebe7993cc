//! Payment settings (`/kelola/pembayaran/rekening`), for administrators: the bank accounts
//! buyers transfer into, the central one first and then the units' own; adding an account,
//! changing one, deactivating it and making it active again. A scope (central, or one unit)
//! has at most one active account. Every change is audited. Which account an order shows is
//! `domain::bank::payee`; without an active central account the `BANK_*` settings are used.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::bank::BankAccountForm;
use crate::domain::FieldErrors;
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly, Staff,
};
use crate::i18n::Lang;
use crate::models::bank_account::{self, BankAccountRow};
use crate::state::AppState;
use crate::views::bank_accounts::{BankAccountFormPage, BankAccountsPage};

/// Where the list is, and where every change goes back to.
const LIST: &str = "/kelola/pembayaran/rekening";

#[get("/kelola/pembayaran/rekening")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let accounts = state.read(|c| Ok(bank_account::list(c)?)).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "bank-accounts-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = BankAccountsPage::new(lang, &accounts, &state.settings.bank);
    state.render_view("pages/staff/bank_accounts.html", ctx, &page)
}

/// The account form: a new account (`account` None) or a saved one, with what was typed and
/// what is wrong with it (422 then).
async fn render_form(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    account: Option<&BankAccountRow>,
    form: &BankAccountForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let units = state.read(|c| Ok(bank_account::unit_choices(c)?)).await?;
    let title = if account.is_some() {
        "bank-accounts-edit-title"
    } else {
        "bank-accounts-new-title"
    };
    let ctx = staff_context(state, lang, req, title, Some(staff), &staff.session).await?;
    let page = BankAccountFormPage::new(&units, account, form, errors);
    state.render_view_form(
        "pages/staff/bank_account_form.html",
        ctx,
        &page,
        !errors.is_empty(),
    )
}

/// The ids of the units an account may belong to.
async fn unit_ids(state: &AppState) -> Result<Vec<i32>, AppError> {
    let units = state.read(|c| Ok(bank_account::unit_choices(c)?)).await?;
    Ok(units.iter().map(|(id, _)| *id).collect())
}

/// The account of the path, or 404.
async fn found_account(state: &AppState, raw: &str) -> Result<BankAccountRow, AppError> {
    let id = id_from_path(raw)?;
    state
        .read(move |c| Ok(bank_account::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)
}

#[get("/kelola/pembayaran/rekening/baru")]
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
        &BankAccountForm::default(),
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct BankAccountPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: BankAccountForm,
}

/// `POST /kelola/pembayaran/rekening`: a new active account, central or of a unit.
#[post("/kelola/pembayaran/rekening")]
pub async fn create(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    post: web::Form<BankAccountPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let draft = match post.form.validate(&unit_ids(&state).await?) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_form(&state, lang, &req, &staff, None, &post.form, &errors).await
        }
    };
    let actor_id = staff.actor.id;
    match state
        .db(move |c| Ok(bank_account::create(c, &draft, actor_id)?))
        .await?
    {
        Ok(_) => {
            set_flash(&staff.session, "bank-accounts-flash-created");
            Ok(see_other(LIST))
        }
        Err(key) => {
            let errors = FieldErrors::from([("unit_id", key)]);
            render_form(&state, lang, &req, &staff, None, &post.form, &errors).await
        }
    }
}

#[get("/kelola/pembayaran/rekening/{id}")]
pub async fn edit_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = found_account(&state, &path).await?;
    let form = BankAccountForm::of(account.unit_id, &account.account());
    render_form(
        &state,
        lang,
        &req,
        &staff,
        Some(&account),
        &form,
        &FieldErrors::new(),
    )
    .await
}

/// `POST /kelola/pembayaran/rekening/{id}`: the account's scope, bank, number and holder.
#[post("/kelola/pembayaran/rekening/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
    post: web::Form<BankAccountPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let account = found_account(&state, &path).await?;
    let draft = match post.form.validate(&unit_ids(&state).await?) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_form(
                &state,
                lang,
                &req,
                &staff,
                Some(&account),
                &post.form,
                &errors,
            )
            .await
        }
    };
    let (id, actor_id) = (account.id, staff.actor.id);
    match state
        .db(move |c| Ok(bank_account::update(c, id, &draft, actor_id)?))
        .await?
    {
        Ok(()) => {
            set_flash(&staff.session, "flash-saved");
            Ok(see_other(LIST))
        }
        Err(key) => {
            let errors = FieldErrors::from([("unit_id", key)]);
            render_form(
                &state,
                lang,
                &req,
                &staff,
                Some(&account),
                &post.form,
                &errors,
            )
            .await
        }
    }
}

/// Deactivates an account or makes it active again, and goes back to the list.
async fn switch(
    state: &AppState,
    staff: &Staff,
    path: &str,
    csrf_token: &str,
    active: bool,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, csrf_token)?;
    let id = found_account(state, path).await?.id;
    let actor_id = staff.actor.id;
    let outcome = state
        .db(move |c| Ok(bank_account::set_active(c, id, active, actor_id)?))
        .await?;
    let flash = match outcome {
        Ok(_) if active => "bank-accounts-flash-reactivated",
        Ok(_) => "bank-accounts-flash-deactivated",
        Err(key) => key,
    };
    set_flash(&staff.session, flash);
    Ok(see_other(LIST))
}

/// `POST /kelola/pembayaran/rekening/{id}/nonaktifkan`: buyers are no longer shown the
/// account; orders show the next one the rule gives (the central account, or the `BANK_*`
/// settings).
#[post("/kelola/pembayaran/rekening/{id}/nonaktifkan")]
pub async fn deactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, false).await
}

/// `POST /kelola/pembayaran/rekening/{id}/aktifkan`: the account is paid into again, unless
/// its scope has another active account meanwhile.
#[post("/kelola/pembayaran/rekening/{id}/aktifkan")]
pub async fn reactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, true).await
}
