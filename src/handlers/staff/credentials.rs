//! Choosing a password: the first one, through the invitation link an administrator had
//! mailed (`/undangan/{token}`, before signing in: the invitee is signed in once it is set),
//! and a new one for one's own account (`/kelola/kata-sandi`, any signed-in account, only with
//! the current password). Both count against the sign-in limit of the client.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::auth::LoginLimiter;
use super::{check_csrf, see_other, set_flash, sign_in, staff_context, AnyAccount};
use crate::domain::accounts::InvitationCheck;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::accounts::{InvitationPage, PasswordPage};
use crate::workflows::account::{
    accept_invitation, change_password, check_invitation, AcceptOutcome, PasswordChange,
};

/// The token of the invitation's address, cut to a sane length.
fn token_of(path: web::Path<String>) -> String {
    path.into_inner().chars().take(128).collect()
}

/// The status of the page of a link that does not work: 404 when no invitation has that key,
/// 410 when it was used or has expired.
fn closed_status(check: InvitationCheck) -> StatusCode {
    match check {
        InvitationCheck::Unknown => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    }
}

/// The invitation page: the form while the link works, otherwise why it does not.
#[allow(clippy::too_many_arguments)]
async fn render_invitation(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    session: &Session,
    token: &str,
    check: InvitationCheck,
    account: Option<&(String, String)>,
    error: Option<&'static str>,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(state, lang, req, "invitation-title", None, session).await?;
    let page = InvitationPage {
        token,
        valid: check == InvitationCheck::Open,
        problem: check.problem(),
        error,
        name: account.map(|(name, _)| name.as_str()),
        email: account.map(|(_, email)| email.as_str()),
    };
    let mut res =
        state.render_view_form("pages/staff/invitation.html", ctx, &page, error.is_some())?;
    if check != InvitationCheck::Open {
        *res.status_mut() = closed_status(check);
    }
    Ok(res)
}

#[get("/undangan/{token}")]
pub async fn invitation_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token_of(path);
    let (check, account) = check_invitation(state.shop(), &token).await?;
    render_invitation(
        &state,
        lang,
        &req,
        &session,
        &token,
        check,
        account.as_ref(),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct InvitationPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// `POST /undangan/{token}`: the first password, typed twice. Once it is set the link is used
/// up and the invitee is signed in.
#[post("/undangan/{token}")]
pub async fn invitation_accept(
    state: web::Data<AppState>,
    limiter: web::Data<LoginLimiter>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
    path: web::Path<String>,
    form: web::Form<InvitationPost>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&session, &form.csrf_token)?;
    let token = token_of(path);
    let outcome = if limiter.allows(&req) {
        accept_invitation(state.shop(), &token, &form.password, &form.password_again).await?
    } else {
        AcceptOutcome::Refused("login-rate-limited")
    };
    let error = match outcome {
        AcceptOutcome::SignedIn { id, version } => {
            sign_in(&session, id, version)?;
            set_flash(&session, "invitation-flash-welcome");
            return Ok(see_other("/kelola"));
        }
        AcceptOutcome::LinkClosed(check) => {
            return render_invitation(&state, lang, &req, &session, &token, check, None, None).await
        }
        AcceptOutcome::Refused(key) => key,
    };
    let (check, account) = check_invitation(state.shop(), &token).await?;
    render_invitation(
        &state,
        lang,
        &req,
        &session,
        &token,
        check,
        account.as_ref(),
        Some(error),
    )
    .await
}

#[get("/kelola/kata-sandi")]
pub async fn password_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AnyAccount,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "password-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = PasswordPage {
        error: None,
        current_wrong: false,
    };
    state.render_view("pages/staff/password.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct PasswordPost {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// `POST /kelola/kata-sandi`: a new password with the current one. Every other session of the
/// account ends; this one goes on.
#[post("/kelola/kata-sandi")]
pub async fn password_save(
    state: web::Data<AppState>,
    limiter: web::Data<LoginLimiter>,
    lang: Lang,
    req: HttpRequest,
    staff: AnyAccount,
    form: web::Form<PasswordPost>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&staff.session, &form.csrf_token)?;
    let outcome = if limiter.allows(&req) {
        change_password(
            state.shop(),
            staff.actor.id,
            &form.current_password,
            &form.password,
            &form.password_again,
        )
        .await?
    } else {
        PasswordChange::Refused("login-rate-limited")
    };
    let error = match outcome {
        PasswordChange::Done { version } => {
            sign_in(&staff.session, staff.actor.id, version)?;
            set_flash(&staff.session, "password-flash-changed");
            return Ok(see_other("/kelola/kata-sandi"));
        }
        PasswordChange::Refused(key) => key,
    };
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "password-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = PasswordPage {
        error: Some(error),
        current_wrong: error == "password-error-current",
    };
    state.render_view_form("pages/staff/password.html", ctx, &page, true)
}
