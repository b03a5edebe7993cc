//! Security headers on every answer, and the same-origin check of public forms.
//!
//! Every page gets a Content-Security-Policy without inline script, `frame-ancestors 'none'`,
//! `nosniff`, a strict referrer policy and a permissions policy; HSTS when the shop is served
//! over https. Back-office, sign-in, invitation, cart, checkout and order pages are never
//! stored by a browser or proxy. A handler that sets its own policy (the card payment page)
//! keeps it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};

use crate::state::AppState;

/// The policy of every page: only this site's scripts, styles, images and connections.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-src 'none'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/// The policy of a page that mounts Stripe's Payment Element: Stripe.js from `js_url`, its
/// frames, and its API (`api_base` when the shop talks to another Stripe address).
pub fn csp_with_stripe(js_url: &str, api_base: Option<&str>) -> String {
    let origin = |u: &str| {
        url::Url::parse(u)
            .ok()
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null")
            .unwrap_or_default()
    };
    let js = origin(js_url);
    let api = api_base.map(origin).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' {js}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: https://*.stripe.com; font-src 'self'; \
         connect-src 'self' https://api.stripe.com {api}; \
         frame-src {js} https://js.stripe.com https://hooks.stripe.com; \
         frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
    )
}

/// Pages with personal data or a signed-in view: never kept in a cache.
fn private_path(path: &str) -> bool {
    [
        "/kelola",
        "/masuk",
        "/undangan",
        "/keluar",
        "/keranjang",
        "/checkout",
        "/pesanan",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

fn set_default(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    if !headers.contains_key(&name) {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let private = private_path(req.path());
    let (https, photos_from) = match req.app_data::<web::Data<AppState>>() {
        Some(s) => (
            s.base_url.starts_with("https://"),
            s.media_urls.origin().map(str::to_string),
        ),
        None => (false, None),
    };
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    set_policies(h, https, photos_from.as_deref());
    if private && !no_store(h) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// `CSP` with pictures also allowed from `origin` (the bucket's public address of photos,
/// `MEDIA_S3_PUBLIC_URL`).
pub fn csp_with_photos_from(origin: &str) -> String {
    CSP.replacen(
        "img-src 'self' data:",
        &format!("img-src 'self' data: {origin}"),
        1,
    )
}

/// The policies every answer carries unless its handler set them: CSP (pictures also from
/// `photos_from`, the origin of the bucket's public address, when photos are served there),
/// `nosniff`, no framing, the referrer and permissions policies, and HSTS when served over
/// https.
fn set_policies(h: &mut HeaderMap, https: bool, photos_from: Option<&str>) {
    match photos_from {
        Some(origin) if !h.contains_key(header::CONTENT_SECURITY_POLICY) => {
            let policy = HeaderValue::from_str(&csp_with_photos_from(origin))
                .unwrap_or_else(|_| HeaderValue::from_static(CSP));
            h.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        _ => set_default(h, header::CONTENT_SECURITY_POLICY, CSP),
    }
    set_default(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(h, header::X_FRAME_OPTIONS, "DENY");
    set_default(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set_default(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(self), usb=(), interest-cohort=()",
    );
    if https {
        set_default(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
}

/// Whether the answer already forbids storing it (`Cache-Control: no-store`).
fn no_store(h: &HeaderMap) -> bool {
    h.get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"))
}

/// A POST sent by another site's page, told by `Sec-Fetch-Site` or `Origin`. Requests without
/// either header (older browsers, scripts, webhooks) pass: cookies are `SameSite=Lax`, so a
/// cross-site form post carries no cart or session anyway.
pub fn cross_site(req: &actix_web::HttpRequest, base_url: &str) -> bool {
    if req.method() != Method::POST {
        return false;
    }
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some(origin) => {
            let own = req.connection_info();
            let host_origin = format!("{}://{}", own.scheme(), own.host());
            origin != base_url.trim_end_matches('/') && origin != host_origin
        }
    }
}

/// Public form posts from another site are refused before any handler runs (webhooks, which
/// are signed, are exempt).
pub async fn same_origin_posts(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::EitherBody<impl MessageBody>>, Error> {
    let base = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.base_url.to_string())
        .unwrap_or_default();
    if !req.path().starts_with("/webhook/") && cross_site(req.request(), &base) {
        let lang = crate::i18n::Lang::of_request(req.request());
        let res = HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body(lang.text("error-cross-site"));
        return Ok(req.into_response(res).map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}
