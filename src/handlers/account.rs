//! Accounts in the back office: sessions in an encrypted, signed cookie (actix-session), the
//! form token every POST carries, flash messages, and the extractors that say who may use a
//! handler (`Staff` for any signed-in account that works in the back office, every role but
//! the read-only observers; `AnyAccount` for any at all; `AdminUser`, `Organizer`, `Reviewer`,
//! `UnitStaff`, `Treasurer`, `Overseer` for one audience). Every audience under `handlers/`
//! uses these.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::domain::Actor;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::user;
use crate::state::AppState;
use crate::views::PageFrame;

const SESSION_USER: &str = "uid";
const SESSION_CSRF: &str = "csrf";
const SESSION_FLASH: &str = "flash";
const SESSION_VERSION: &str = "ver";
const SESSION_ISSUED: &str = "iat";
/// A sign-in lasts this long, whatever the cookie says.
const SESSION_HOURS: i64 = 8;

/// 32 random bytes from the operating system, as hex.
pub fn csrf_token_value() -> String {
    crate::models::random_hex(32)
}

/// The form token of this session, made on first use.
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(token)) = session.get::<String>(SESSION_CSRF) {
        return token;
    }
    let token = csrf_token_value();
    let _ = session.insert(SESSION_CSRF, &token);
    token
}

/// Refuses a form whose token is not this session's (compared in constant time).
pub fn check_csrf(session: &Session, submitted: &str) -> Result<(), AppError> {
    let expected = session
        .get::<String>(SESSION_CSRF)
        .ok()
        .flatten()
        .unwrap_or_default();
    let same = !expected.is_empty()
        && expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn set_flash(session: &Session, key: &str) {
    let _ = session.insert(SESSION_FLASH, key);
}

fn take_flash(session: &Session) -> Option<String> {
    let flash = session.get::<String>(SESSION_FLASH).ok().flatten();
    if flash.is_some() {
        session.remove(SESSION_FLASH);
    }
    flash
}

pub fn sign_in(session: &Session, user_id: i32, version: i32) -> Result<(), AppError> {
    // A new session on sign-in: no fixation, and a fresh CSRF token.
    session.renew();
    session.remove(SESSION_CSRF);
    session
        .insert(SESSION_USER, user_id)
        .and_then(|_| session.insert(SESSION_VERSION, version))
        .and_then(|_| session.insert(SESSION_ISSUED, crate::models::now_ts()))
        .map_err(AppError::internal)
}

/// The account id of a signed-in session, if any.
pub fn session_user(session: &Session) -> Option<i32> {
    session.get::<i32>(SESSION_USER).ok().flatten()
}

/// A signed-in account (not an observer, as an extractor). Without one the request is sent to
/// the sign-in page.
pub struct Staff {
    pub actor: Actor,
    pub session: Session,
}

impl Staff {
    /// The unit a staff account works for; 403 for every other role.
    pub fn own_unit(&self) -> Result<i32, AppError> {
        match (self.actor.role, self.actor.unit_id) {
            (crate::domain::Role::Staff, Some(id)) => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// A form that carries nothing but its CSRF token (a button that changes something).
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf_token: String,
}

/// The signed-in account of a request, whatever its role (observers too). Without a session,
/// or with one from before a sign-out, a password reset or a deactivation, the request is sent
/// to the sign-in page.
fn signed_in(req: &HttpRequest) -> LocalBoxFuture<'static, Result<Staff, AppError>> {
    let req = req.clone();
    Box::pin(async move {
        let session = req.get_session();
        let next = crate::handlers::current_path(&req);
        let Some(uid) = session.get::<i32>(SESSION_USER).ok().flatten() else {
            return Err(AppError::LoginRequired(next));
        };
        let version = session.get::<i32>(SESSION_VERSION).ok().flatten();
        let issued = session
            .get::<i64>(SESSION_ISSUED)
            .ok()
            .flatten()
            .unwrap_or(0);
        if crate::models::now_ts() - issued > SESSION_HOURS * 3600 {
            session.purge();
            return Err(AppError::LoginRequired(next));
        }
        let state = req
            .app_data::<web::Data<AppState>>()
            .ok_or_else(|| AppError::Internal("no app state".into()))?
            .clone();
        match state.db(move |c| Ok(user::actor(c, uid)?)).await? {
            // A session from before a sign-out or password reset no longer counts.
            Some((actor, current)) if Some(current) == version => Ok(Staff { actor, session }),
            _ => {
                session.purge();
                Err(AppError::LoginRequired(next))
            }
        }
    })
}

/// Any account that works in the back office: an observer, who only reads the oversight
/// dashboard, gets 403 here (see `AnyAccount` for the pages every account has).
impl FromRequest for Staff {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let account = signed_in(req);
        Box::pin(async move {
            let staff = account.await?;
            if staff.actor.is_observer() {
                Err(AppError::Forbidden)
            } else {
                Ok(staff)
            }
        })
    }
}

/// Guard extractors: a signed-in account of one audience, so each route says who it is for.
/// Each derefs to `Staff`; any other signed-in role gets 403, and no session goes to sign-in.
/// Each names the roles it lets in: an observer passes only `AnyAccount` and `Overseer`.
macro_rules! audience_guard {
    ($(#[$doc:meta])* $name:ident, |$actor:ident| $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub Staff);

        impl std::ops::Deref for $name {
            type Target = Staff;
            fn deref(&self) -> &Staff {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = AppError;
            type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let staff = signed_in(req);
                Box::pin(async move {
                    let staff = staff.await?;
                    let $actor = &staff.actor;
                    if $allowed {
                        Ok($name(staff))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

audience_guard!(
    /// An administrator (the directorate).
    AdminUser,
    |actor| actor.role == crate::domain::Role::Admin
);
audience_guard!(
    /// A fair organizer, or an administrator.
    Organizer,
    |actor| matches!(
        actor.role,
        crate::domain::Role::Organizer | crate::domain::Role::Admin
    )
);
audience_guard!(
    /// The staff of one unit.
    UnitStaff,
    |actor| actor.role == crate::domain::Role::Staff && actor.unit_id.is_some()
);
impl UnitStaff {
    /// The unit this account works for (the guard let only accounts with a unit through).
    pub fn unit_id(&self) -> i32 {
        self.0.actor.unit_id.unwrap_or_default()
    }
}

audience_guard!(
    /// A document and listing reviewer (reviewers and administrators).
    Reviewer,
    |actor| actor.is_reviewer()
);
audience_guard!(
    /// An observer (national, or regional) or an administrator: the oversight dashboard.
    Overseer,
    |actor| actor.can_oversee()
);

/// Any signed-in account, observers too: the dashboard (`/kelola`) and one's own password, the
/// only pages an observer has besides the oversight dashboard. Derefs to `Staff`.
pub struct AnyAccount(pub Staff);

impl std::ops::Deref for AnyAccount {
    type Target = Staff;
    fn deref(&self) -> &Staff {
        &self.0
    }
}

impl FromRequest for AnyAccount {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let account = signed_in(req);
        Box::pin(async move { Ok(AnyAccount(account.await?)) })
    }
}

audience_guard!(
    /// The treasurer of one unit: its staff with the right to record its payouts.
    Treasurer,
    |actor| actor.treasury_unit().is_some()
);
impl Treasurer {
    /// The unit whose payouts this account records (the guard let only treasurers through).
    pub fn unit_id(&self) -> i32 {
        self.0.actor.treasury_unit().unwrap_or_default()
    }
}

/// The layout context of a back-office page (its meta description repeats its title: search
/// engines are not shown these pages).
pub async fn staff_context(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    title_key: &str,
    staff: Option<&Staff>,
    session: &Session,
) -> Result<tera::Context, AppError> {
    described_staff_context(state, lang, req, title_key, title_key, staff, session).await
}

/// `staff_context` with a meta description of its own (message `description_key`), for the
/// back-office pages anyone may land on (the sign-in page).
pub async fn described_staff_context(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    title_key: &str,
    description_key: &str,
    staff: Option<&Staff>,
    session: &Session,
) -> Result<tera::Context, AppError> {
    let caches = state.caches.clone();
    let categories = state.read(move |c| Ok(caches.category_list(c)?)).await?;
    let frame = PageFrame {
        lang,
        base_url: &state.base_url,
        current_path: crate::handlers::current_path(req),
        categories: &categories,
        media: &state.media_urls,
    };
    let title = lang.text(title_key);
    let description = lang.text(description_key);
    let mut ctx = frame.back_office_context(&title, &description, req.path());
    let layout = crate::views::staff::StaffFrame::new(
        csrf_token(session),
        take_flash(session),
        staff.map(|s| &s.actor),
    );
    ctx.extend(tera::Context::from_serialize(&layout)?);
    Ok(ctx)
}

/// 303 See Other to `location` (after a successful POST).
pub fn see_other(location: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// A private file kept in `store` (a document scan, a proposed logo, a unit's static QRIS):
/// read from the folder or the bucket's `private/` folder and sent as `content_type`, never
/// cached and never sniffed; it never has a public address. A name that would leave the store,
/// or a file that is gone, is a 404; a store that cannot be read, a 500.
pub async fn private_file(
    store: &crate::services::media::MediaStore,
    rel: &str,
    content_type: &'static str,
) -> Result<actix_web::HttpResponse, AppError> {
    let bytes = store
        .get(rel)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cannot read a private file");
            AppError::internal(e)
        })?
        .ok_or(AppError::NotFound)?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}

/// The product id from the path, or 404 for anything that is not a positive number.
pub fn id_from_path(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(AppError::NotFound)
}
