use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{get, http::header, web, HttpResponse};
use serde::Deserialize;

use crate::error::AppError;
use crate::i18n::{Lang, LANG_COOKIE};

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only paths on this site are followed, never another host.
fn safe_next(next: Option<&str>) -> &str {
    next.and_then(crate::domain::local_path).unwrap_or("/")
}

/// `GET /bahasa/{code}?next=/path`: remembers the language and goes back.
#[get("/bahasa/{code}")]
pub async fn switch(
    code: web::Path<String>,
    query: Option<web::Query<Next>>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::parse(&code).ok_or(AppError::NotFound)?;
    let next = query.as_ref().and_then(|q| q.next.as_deref());
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .max_age(Duration::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .finish();
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, safe_next(next)))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn language_switch_never_redirects_to_another_host() {
        assert_eq!(safe_next(Some("/produk/a")), "/produk/a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\nX: y")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
