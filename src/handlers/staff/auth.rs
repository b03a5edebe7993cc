//! `GET/POST /masuk` (sign in, rate limited per address) and `POST /keluar`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_session::Session;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;

use super::{check_csrf, see_other, sign_in, staff_context};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::user;
use crate::state::AppState;

/// Sign-in attempts per client address: a burst of 10, then one every 6 seconds.
#[derive(Clone)]
pub struct LoginLimiter(Arc<DefaultKeyedRateLimiter<IpAddr>>);

impl Default for LoginLimiter {
    fn default() -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(10).expect("non-zero"))
            .allow_burst(NonZeroU32::new(10).expect("non-zero"));
        Self(Arc::new(RateLimiter::keyed(quota)))
    }
}

impl LoginLimiter {
    fn allows(&self, req: &HttpRequest) -> bool {
        let ip = req
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        self.0.check_key(&ip).is_ok()
    }
}

#[derive(Deserialize, Default)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only paths inside the back office are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/kelola") && !n.starts_with("//") => n.to_string(),
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
    let query: NextQuery = crate::handlers::public::lenient_query(&req);
    let mut ctx = staff_context(&state, lang, &req, "login-title", None, &session).await?;
    ctx.insert("next", &safe_next(query.next.as_deref()));
    ctx.insert("email", "");
    ctx.insert("error", &None::<String>);
    state.render("pages/staff/login.html", &ctx)
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
    let (status, error) = if !limiter.allows(&req) {
        (
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            "login-rate-limited",
        )
    } else {
        let email: String = form.email.chars().take(254).collect();
        let password: String = form.password.chars().take(200).collect();
        let found = state
            .db(move |c| {
                let record = user::login_record(c, &email)?;
                Ok(record.filter(|(_, hash)| user::password_matches(hash, &password)))
            })
            .await?;
        if let Some((id, _)) = found {
            sign_in(&session, id)?;
            return Ok(see_other(&safe_next(form.next.as_deref())));
        }
        (actix_web::http::StatusCode::OK, "login-failed")
    };
    let mut ctx = staff_context(&state, lang, &req, "login-title", None, &session).await?;
    ctx.insert("next", &safe_next(form.next.as_deref()));
    ctx.insert("email", &form.email.chars().take(254).collect::<String>());
    ctx.insert("error", error);
    let mut res = state.render("pages/staff/login.html", &ctx)?;
    *res.status_mut() = status;
    if status == actix_web::http::StatusCode::TOO_MANY_REQUESTS {
        res.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static("60"),
        );
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

#[post("/keluar")]
pub async fn logout(session: Session, form: web::Form<CsrfOnly>) -> Result<HttpResponse, AppError> {
    check_csrf(&session, &form.csrf_token)?;
    session.purge();
    Ok(see_other("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_back_office_paths_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/kelola/produk/3")), "/kelola/produk/3");
        assert_eq!(safe_next(Some("https://evil.example")), "/kelola");
        assert_eq!(safe_next(Some("//evil.example")), "/kelola");
        assert_eq!(safe_next(None), "/kelola");
    }
}
