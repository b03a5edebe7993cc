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

/// Back-office pages have one address in both languages (the cookie says which).
fn back_office(path: &str) -> bool {
    let bare = path.split('?').next().unwrap_or(path);
    ["/kelola", "/masuk", "/keluar"]
        .iter()
        .any(|p| bare == *p || bare.starts_with(&format!("{p}/")))
}

/// Where the switch to `lang` leads: the same page at its address in `lang` (`/produk/a` ↔
/// `/en/produk/a`), checked again once the prefix is changed (taking `/en` off `/en//host`
/// would leave `//host`); the home page of `lang` when `next` is not a path on this site.
fn destination(lang: Lang, next: Option<&str>) -> String {
    let page = crate::i18n::unprefixed(safe_next(next));
    let address = if back_office(&page) {
        page
    } else {
        lang.path(&page)
    };
    match crate::domain::local_path(&address) {
        Some(path) => path.to_string(),
        None => lang.path("/"),
    }
}

/// `GET /bahasa/{code}?next=/path`: remembers the language and goes to the page asked for at
/// its address in that language.
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
        .insert_header((header::LOCATION, destination(lang, next)))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::{destination, safe_next};
    use crate::i18n::Lang;

    #[test]
    fn language_switch_never_redirects_to_another_host() {
        assert_eq!(safe_next(Some("/produk/a")), "/produk/a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\nX: y")), "/");
        assert_eq!(safe_next(None), "/");
        for lang in [Lang::Id, Lang::En] {
            for next in [
                "/en//evil.example",
                "//evil.example",
                "https://evil.example",
            ] {
                let to = destination(lang, Some(next));
                assert!(
                    to.starts_with('/') && !to.starts_with("//"),
                    "{next} → {to}"
                );
            }
        }
        assert_eq!(destination(Lang::Id, Some("/en//evil.example")), "/");
    }

    #[test]
    fn the_switch_leads_to_the_same_page_at_its_address_in_the_other_language() {
        assert_eq!(destination(Lang::En, Some("/produk/a")), "/en/produk/a");
        assert_eq!(destination(Lang::En, Some("/en/produk/a")), "/en/produk/a");
        assert_eq!(destination(Lang::Id, Some("/en/produk/a")), "/produk/a");
        assert_eq!(destination(Lang::Id, Some("/produk/a")), "/produk/a");
        assert_eq!(
            destination(Lang::En, Some("/cari?q=kopi")),
            "/en/cari?q=kopi"
        );
        assert_eq!(destination(Lang::Id, Some("/en?q=kopi")), "/?q=kopi");
        assert_eq!(destination(Lang::En, None), "/en/");
        assert_eq!(destination(Lang::Id, None), "/");
        assert_eq!(destination(Lang::En, Some("//evil.example")), "/en/");
        assert_eq!(
            destination(Lang::En, Some("/kelola/produk")),
            "/kelola/produk"
        );
        assert_eq!(
            destination(Lang::En, Some("/masuk?next=/kelola")),
            "/masuk?next=/kelola"
        );
        assert_eq!(destination(Lang::Id, Some("/en/kelola")), "/kelola");
        assert_eq!(destination(Lang::En, Some("/kelolaan")), "/en/kelolaan");
    }
}
