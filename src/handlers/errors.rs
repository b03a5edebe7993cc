//! Error pages in the visitor's language, for every error response that is not JSON.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::pages;

pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let keep = keeps_body(res.response());
    let state = res.request().app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| !keep) else {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    };
    let status = res.status();
    // What the client must be told besides the page: when to try again, how to authenticate.
    let kept: Vec<_> = [header::RETRY_AFTER, header::WWW_AUTHENTICATE]
        .into_iter()
        .filter_map(|name| {
            let value = res.response().headers().get(&name)?.clone();
            Some((name, value))
        })
        .collect();
    let (req, _old) = res.into_parts();
    let mut response = error_page(&state, &req, status);
    for (name, value) in kept {
        response.headers_mut().insert(name, value);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body::<B>(),
    ))
}

/// JSON keeps its body, and so does a page a handler rendered itself (a form shown again
/// with its errors, 422, or the sign-in form when attempts are limited, 429).
fn keeps_body<B>(res: &HttpResponse<B>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.starts_with("text/html"))
}

/// The error page of `status` in the visitor's language; a bare page when the template fails.
fn error_page(state: &AppState, req: &HttpRequest, status: StatusCode) -> HttpResponse<BoxBody> {
    let shown = match status.as_u16() {
        404 | 405 => 404,
        403 => 403,
        429 => 429,
        413 => 413,
        400..=499 => 400,
        _ => 500,
    };
    let lang = Lang::of_request(req);
    let path = crate::handlers::current_path(req);
    let ctx = pages::error(lang, shown, &path, &state.base_url);
    let body = match state.templates.render("pages/error.html", &ctx) {
        Ok(html) => html,
        Err(e) => {
            tracing::error!(error = ?e, "error page failed to render");
            format!("<!doctype html><title>{0}</title><h1>{0}</h1>", status)
        }
    };
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// Unknown routes.
pub async fn not_found() -> HttpResponse {
    HttpResponse::NotFound()
        .content_type("text/plain; charset=utf-8")
        .body("not found")
}

/// A form that cannot be read: too large (413, with a page that says how to shorten it) or
/// malformed (400).
pub fn form_error(
    err: actix_web::error::UrlencodedError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::UrlencodedError;
    let status = match err {
        UrlencodedError::Overflow { .. } => actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
        _ => actix_web::http::StatusCode::BAD_REQUEST,
    };
    actix_web::error::InternalError::new(err, status).into()
}
