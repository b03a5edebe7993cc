//! `GET/POST /masuk` (sign in, rate limited per address) and `POST /keluar`.

use actix_session::Session;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{check_csrf, described_staff_context, see_other, sign_in, staff_context, CsrfOnly};
use crate::error::AppError;
use crate::handlers::limits::ClientLimiter;
use crate::i18n::Lang;
use crate::models::user;
use crate::state::AppState;
use crate::views::staff::{ForgotPage, LoginPage, ResetPage};
use crate::workflows::account::{check_credentials, reset_password, ResetOutcome, SignIn};

/// Sign-in attempts per client address: a burst of 10, then one every 6 seconds.
///
/// The count lives in this instance's memory (governor), not in the database: several
/// instances behind a load balancer each count on their own, so a client whose attempts are
/// spread over N instances gets up to N times the limit, and a restart forgets it. Each
/// attempt still costs an Argon2 hash; a limit that must hold across instances belongs in
/// front of them (the reverse proxy, or sticky sessions by client address).
#[derive(Clone)]
pub struct LoginLimiter(ClientLimiter);

impl LoginLimiter {
    pub fn new(trust_proxy: bool) -> Self {
        Self(ClientLimiter::per_minute(10, 10, trust_proxy))
    }

    /// Drops the addresses whose limit has fully recovered.
    pub fn prune(&self) {
        self.0.prune();
    }

    /// Whether this client may try a password now (invitations and password changes count
    /// against the same limit).
    pub fn allows(&self, req: &HttpRequest) -> bool {
        self.0.allows(req)
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only paths inside the back office are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/kelola")
                && n.len() <= 200
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_string()
        }
        _ => "/kelola".to_string(),
    }
}

#[get("/masuk")]
pub async fn login_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let query: NextQuery = crate::handlers::lenient_query(&req);
    let ctx = described_staff_context(
        &state,
        lang,
        &req,
        "login-title",
        "login-meta-description",
        None,
        &session,
    )
    .await?;
    let next = safe_next(query.next.as_deref());
    let page = LoginPage {
        next: &next,
        email: "",
        error: None,
    };
    state.render_view("pages/staff/login.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

#[post("/masuk")]
pub async fn login(
    state: web::Data<AppState>,
    limiter: web::Data<LoginLimiter>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&session, &form.csrf_token)?;
    if !limiter.allows(&req) {
        return login_again(&state, lang, &req, &session, &form, "login-rate-limited").await;
    }
    let outcome = check_credentials(state.shop(), &form.email, &form.password).await?;
    let (id, version) = match outcome {
        SignIn::Opened { id, version } => (id, version),
        SignIn::Refused => {
            return login_again(&state, lang, &req, &session, &form, "login-failed").await
        }
        SignIn::UnitSwitchedOff => {
            return login_again(&state, lang, &req, &session, &form, "login-unit-inactive").await
        }
        SignIn::Deactivated => {
            return login_again(&state, lang, &req, &session, &form, "login-deactivated").await
        }
    };
    sign_in(&session, id, version)?;
    Ok(see_other(&safe_next(form.next.as_deref())))
}

/// The sign-in form again with what went wrong; too many attempts answer 429 with a
/// `Retry-After`.
async fn login_again(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    session: &Session,
    form: &LoginForm,
    error: &'static str,
) -> Result<HttpResponse, AppError> {
    let ctx = described_staff_context(
        state,
        lang,
        req,
        "login-title",
        "login-meta-description",
        None,
        session,
    )
    .await?;
    let (next, email) = (
        safe_next(form.next.as_deref()),
        form.email.chars().take(254).collect::<String>(),
    );
    let page = LoginPage {
        next: &next,
        email: &email,
        error: Some(error),
    };
    let mut res = state.render_view("pages/staff/login.html", ctx, &page)?;
    if error == "login-rate-limited" {
        *res.status_mut() = actix_web::http::StatusCode::TOO_MANY_REQUESTS;
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("60"),
        );
    }
    Ok(res)
}

#[post("/keluar")]
pub async fn logout(
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&session, &form.csrf_token)?;
    // Signing out ends the session everywhere: a copied cookie stops working too.
    if let Some(uid) = super::session_user(&session) {
        state
            .db(move |c| Ok(user::bump_session_version(c, uid)?))
            .await?;
    }
    session.purge();
    Ok(see_other("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_back_office_paths_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/kelola/\r\nX: y")), "/kelola");
        assert_eq!(safe_next(Some("/kelola/é")), "/kelola");
        assert_eq!(safe_next(Some("/kelola/produk/3")), "/kelola/produk/3");
        assert_eq!(safe_next(Some("https://evil.example")), "/kelola");
        assert_eq!(safe_next(Some("//evil.example")), "/kelola");
        assert_eq!(safe_next(None), "/kelola");
    }
}

// ---- Password reset ----------------------------------------------------------------------

#[get("/masuk/lupa")]
pub async fn forgot_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(&state, lang, &req, "reset-title", None, &session).await?;
    state.render_view("pages/staff/forgot.html", ctx, &ForgotPage { sent: false })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
}

#[post("/masuk/lupa")]
pub async fn forgot(
    state: web::Data<AppState>,
    limiter: web::Data<LoginLimiter>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&session, &form.csrf_token)?;
    if limiter.allows(&req) {
        send_reset_link(&state, &form.email).await?;
    }
    // The same answer whether or not the address has an account.
    let ctx = staff_context(&state, lang, &req, "reset-title", None, &session).await?;
    state.render_view("pages/staff/forgot.html", ctx, &ForgotPage { sent: true })
}

/// Mails a reset link to `email` when it is an account's address; nothing otherwise.
async fn send_reset_link(state: &AppState, email: &str) -> Result<(), AppError> {
    let token = super::csrf_token_value();
    let email: String = email.chars().take(254).collect();
    let link = format!("{}/masuk/atur-ulang?token={token}", state.base_url);
    let mail = state.mail.clone();
    state
        .db(move |c| {
            if let Some(address) = user::create_reset(c, &email, &token, crate::models::now_ts())? {
                crate::models::mail_outbox::enqueue_event(
                    c,
                    &mail,
                    &address,
                    &crate::services::mail::MailEvent::PasswordReset { link },
                )?;
            }
            Ok(())
        })
        .await
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    token: Option<String>,
}

#[get("/masuk/atur-ulang")]
pub async fn reset_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
) -> Result<HttpResponse, AppError> {
    let query: TokenQuery = crate::handlers::lenient_query(&req);
    let token: String = query.token.unwrap_or_default().chars().take(128).collect();
    let check = token.clone();
    let valid = state
        .db(move |c| Ok(user::reset_is_valid(c, &check, crate::models::now_ts())?))
        .await?;
    let ctx = staff_context(&state, lang, &req, "reset-title", None, &session).await?;
    let page = ResetPage {
        token: &token,
        valid,
        error: None,
    };
    state.render_view("pages/staff/reset.html", ctx, &page)
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

#[post("/masuk/atur-ulang")]
pub async fn reset(
    state: web::Data<AppState>,
    limiter: web::Data<LoginLimiter>,
    lang: Lang,
    req: HttpRequest,
    session: Session,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    check_csrf(&session, &form.csrf_token)?;
    let outcome = if limiter.allows(&req) {
        let (password, again) = (&form.password, &form.password_again);
        reset_password(state.shop(), &form.token, password, again).await?
    } else {
        ResetOutcome::Refused("reset-error-token")
    };
    let error = match outcome {
        ResetOutcome::Done => {
            super::set_flash(&session, "flash-password-reset");
            return Ok(see_other("/masuk"));
        }
        ResetOutcome::Refused(key) => key,
    };
    let ctx = staff_context(&state, lang, &req, "reset-title", None, &session).await?;
    let page = ResetPage {
        token: &form.token,
        valid: error != "reset-error-token",
        error: Some(error),
    };
    state.render_view_form("pages/staff/reset.html", ctx, &page, true)
}
