//! Accounts administration (`/kelola/akun`), for administrators: the list of accounts with
//! search and filters, inviting someone (the account waits, without a password, until the
//! invitee chooses one through the mailed link), sending an invitation again, changing an
//! account's name, role and scope, giving a unit's staff the treasurer right (it records the
//! unit's payouts), and deactivating (its sessions end) or reactivating it.
//! Every change is audited. (`etalase user create` still makes an account from the command
//! line, with a password.)

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::domain::accounts::{AccountFilter, AccountForm, InviteForm};
use crate::domain::{FieldErrors, PageNumber};
use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly, Staff,
};
use crate::i18n::Lang;
use crate::models::user::{self, AccountRow};
use crate::state::AppState;
use crate::views::accounts::{AccountPage, AccountsPage, InvitePage, ACCOUNTS_PER_PAGE};
use crate::workflows::account::{invite as invite_account, resend_invitation, InviteOutcome};

/// The list's query: `q` (name or email), `peran` (role code), `status` (`aktif`,
/// `diundang`, `nonaktif`), `halaman`.
#[derive(Debug, Default, Deserialize)]
pub struct AccountsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    peran: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    halaman: Option<String>,
}

#[get("/kelola/akun")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let query: AccountsQuery = crate::handlers::lenient_query(&req);
    let filter = AccountFilter::parse(&query.q, &query.peran, &query.status);
    let page = PageNumber::parse_or_first(query.halaman.as_deref());
    let wanted = filter.clone();
    let (rows, total, names) = state
        .read(move |c| {
            let (rows, total) = user::accounts_page(c, &wanted, page, ACCOUNTS_PER_PAGE)?;
            let names = user::scope_names(c, &rows)?;
            Ok((rows, total, names))
        })
        .await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "accounts-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let view = AccountsPage::new(lang, &rows, &names, total, &query.q, &filter, page.get());
    state.render_view("pages/staff/accounts.html", ctx, &view)
}

/// The invitation form with what was typed and what is wrong with it (422 then).
async fn render_invite(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    form: &InviteForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let choices = state.read(|c| Ok(user::scope_choices(c)?)).await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "accounts-invite-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = InvitePage::new(lang, &choices, form, errors);
    state.render_view_form(
        "pages/staff/account_invite.html",
        ctx,
        &page,
        !errors.is_empty(),
    )
}

#[get("/kelola/akun/undang")]
pub async fn invite_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let form = InviteForm {
        role: "staff".into(),
        ..InviteForm::default()
    };
    render_invite(&state, lang, &req, &staff, &form, &FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct InvitePost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: InviteForm,
}

/// `POST /kelola/akun/undang`: the account is made, invited, and the invitation mailed.
#[post("/kelola/akun/undang")]
pub async fn invite(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    post: web::Form<InvitePost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let choices = state.read(|c| Ok(user::scope_choices(c)?)).await?;
    let (unit_ids, province_ids) = (choices.unit_ids(), choices.province_ids());
    let draft = match post.form.validate(&unit_ids, &province_ids) {
        Ok(draft) => draft,
        Err(errors) => return render_invite(&state, lang, &req, &staff, &post.form, &errors).await,
    };
    match invite_account(state.shop(), draft, staff.actor.id).await? {
        InviteOutcome::Invited(id) => {
            set_flash(&staff.session, "accounts-flash-invited");
            Ok(see_other(&format!("/kelola/akun/{id}")))
        }
        InviteOutcome::Refused(key) => {
            let errors = FieldErrors::from([("email", key)]);
            render_invite(&state, lang, &req, &staff, &post.form, &errors).await
        }
    }
}

/// An account's page: what it is, its form and its actions; 422 when the form comes back with
/// errors.
async fn render_account(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    account: &AccountRow,
    form: &AccountForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let one = account.clone();
    let (names, choices) = state
        .read(move |c| {
            Ok((
                user::scope_names(c, std::slice::from_ref(&one))?,
                user::scope_choices(c)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "accounts-edit-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = AccountPage::new(
        lang,
        account,
        &names,
        &choices,
        form,
        errors,
        staff.actor.id,
    );
    state.render_view_form("pages/staff/account.html", ctx, &page, !errors.is_empty())
}

/// The account of the path, or 404.
async fn found_account(state: &AppState, raw: &str) -> Result<AccountRow, AppError> {
    let id = id_from_path(raw)?;
    state
        .read(move |c| Ok(user::account(c, id)?))
        .await?
        .ok_or(AppError::NotFound)
}

#[get("/kelola/akun/{id}")]
pub async fn detail(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let account = found_account(&state, &path).await?;
    let form = AccountForm::of(&account.name, &account.scope());
    render_account(
        &state,
        lang,
        &req,
        &staff,
        &account,
        &form,
        &FieldErrors::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct AccountPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(flatten)]
    form: AccountForm,
}

/// `POST /kelola/akun/{id}`: the account's name, role and scope.
#[post("/kelola/akun/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
    path: web::Path<String>,
    post: web::Form<AccountPost>,
) -> Result<HttpResponse, AppError> {
    let post = post.into_inner();
    check_csrf(&staff.session, &post.csrf_token)?;
    let account = found_account(&state, &path).await?;
    let choices = state.read(|c| Ok(user::scope_choices(c)?)).await?;
    let (unit_ids, province_ids) = (choices.unit_ids(), choices.province_ids());
    let draft = match post.form.validate(&unit_ids, &province_ids) {
        Ok(draft) => draft,
        Err(errors) => {
            return render_account(&state, lang, &req, &staff, &account, &post.form, &errors).await
        }
    };
    let (id, actor_id) = (account.id, staff.actor.id);
    match state
        .db(move |c| Ok(user::update_account(c, id, &draft, actor_id)?))
        .await?
    {
        Ok(()) => {
            set_flash(&staff.session, "flash-saved");
            Ok(see_other(&format!("/kelola/akun/{id}")))
        }
        Err(key) => {
            let errors = FieldErrors::from([("role", key)]);
            render_account(&state, lang, &req, &staff, &account, &post.form, &errors).await
        }
    }
}

/// `POST /kelola/akun/{id}/kirim-ulang`: a new invitation link is mailed; the older ones stop
/// working.
#[post("/kelola/akun/{id}/kirim-ulang")]
pub async fn resend(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let flash = match resend_invitation(state.shop(), id, staff.actor.id).await? {
        Ok(()) => "accounts-flash-resent",
        Err(key) => key,
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&format!("/kelola/akun/{id}")))
}

#[derive(Deserialize)]
pub struct TreasurerPost {
    #[serde(default)]
    csrf_token: String,
    /// `1` gives the right; anything else takes it away.
    #[serde(default)]
    bendahara: String,
}

/// `POST /kelola/akun/{id}/bendahara`: a unit's staff account may record its unit's payouts
/// (`/kelola/setoran`), or no longer may.
#[post("/kelola/akun/{id}/bendahara")]
pub async fn treasurer(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<TreasurerPost>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let account = found_account(&state, &path).await?;
    let (id, on, actor_id) = (account.id, form.bendahara.trim() == "1", staff.actor.id);
    let outcome = state
        .db(move |c| Ok(user::set_treasurer(c, id, on, actor_id)?))
        .await?;
    let flash = match outcome {
        Ok(_) if on => "accounts-flash-treasurer-on",
        Ok(_) => "accounts-flash-treasurer-off",
        Err(key) => key,
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&format!("/kelola/akun/{id}")))
}

/// Deactivates or reactivates an account and goes back to its page.
async fn switch(
    state: &AppState,
    staff: &Staff,
    path: &str,
    csrf_token: &str,
    active: bool,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, csrf_token)?;
    let id = id_from_path(path)?;
    let (actor_id, now) = (staff.actor.id, crate::models::now_ts());
    let outcome = state
        .db(move |c| Ok(user::set_active(c, id, active, actor_id, now)?))
        .await?;
    let flash = match outcome {
        Ok(_) if active => "accounts-flash-reactivated",
        Ok(_) => "accounts-flash-deactivated",
        Err(key) => key,
    };
    set_flash(&staff.session, flash);
    Ok(see_other(&format!("/kelola/akun/{id}")))
}

/// `POST /kelola/akun/{id}/nonaktifkan`: the account can no longer sign in and its sessions
/// end (not one's own account).
#[post("/kelola/akun/{id}/nonaktifkan")]
pub async fn deactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, false).await
}

/// `POST /kelola/akun/{id}/aktifkan`: the account may sign in again (an invited one still
/// needs its invitation: send it again).
#[post("/kelola/akun/{id}/aktifkan")]
pub async fn reactivate(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    switch(&state, &staff, &path, &form.csrf_token, true).await
}
