//! `GET /metrics` for Prometheus, behind `METRICS_TOKEN`, and the middleware that counts and
//! times every request (`services::metrics` says what is recorded).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::state::AppState;

/// `GET /metrics`: everything recorded, in Prometheus' text format (0.0.4). 404 when no
/// `METRICS_TOKEN` is configured (as any unknown address), 401 without
/// `Authorization: Bearer <token>`.
#[get("/metrics")]
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(token) = &state.settings.metrics_token else {
        return Err(AppError::NotFound);
    };
    if let Some(refused) = refused(&req, token) {
        return Ok(refused);
    }
    let backlogs = state
        .read(|c| Ok(crate::services::metrics::backlogs(c)?))
        .await;
    Ok(rendered(state.metrics.render(&state.db, backlogs)))
}

/// 401 for a request without the token, `None` for one that carries it.
fn refused(req: &HttpRequest, token: &crate::config::MetricsToken) -> Option<HttpResponse> {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    (!token.admits(authorization)).then(|| {
        HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
            .finish()
    })
}

fn rendered(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// The `/metrics` server of `etalase worker` (`METRICS_ADDR`, same token as the web's): the
/// worker runs the jobs, so their runs and failures are counted in its process.
pub fn worker_server(
    addr: &str,
    token: crate::config::MetricsToken,
    pool_metrics: crate::services::metrics::PoolMetrics,
) -> std::io::Result<actix_web::dev::Server> {
    let data = web::Data::new((token, pool_metrics));
    Ok(actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(data.clone())
            .route("/metrics", web::get().to(worker_scrape))
    })
    .workers(1)
    .bind(addr)?
    .run())
}

async fn worker_scrape(
    req: HttpRequest,
    data: web::Data<(
        crate::config::MetricsToken,
        crate::services::metrics::PoolMetrics,
    )>,
) -> HttpResponse {
    if let Some(refused) = refused(&req, &data.0) {
        return refused;
    }
    let pool_metrics = data.1.clone();
    match web::block(move || pool_metrics.render_now()).await {
        Ok(body) => rendered(body),
        Err(e) => {
            tracing::warn!(error = %e, "worker metrics not rendered");
            HttpResponse::ServiceUnavailable().finish()
        }
    }
}

/// Counts every request by its route pattern (`/produk/{slug}`, never the address asked for,
/// so the number of series stays bounded; `unmatched` when no route took it), method and
/// status, and times it until the answer's head is ready. It wraps everything but the request
/// log, so it sees the status the visitor gets (after the error pages) and the route of an
/// English address (`/en/produk/x` is routed as `/produk/{slug}`).
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = method_label(req.method());
    let answered = next.call(req).await;
    let (route, status) = match &answered {
        Ok(res) => (res.request().match_pattern(), res.status()),
        Err(e) => (None, e.error_response().status()),
    };
    crate::services::metrics::record_request(route, method, status.as_u16(), started.elapsed());
    answered
}

/// The method as a label: the usual ones by name, anything else as `other` (a client may send
/// any token as a method).
fn method_label(method: &Method) -> &'static str {
    match method.as_str() {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}
