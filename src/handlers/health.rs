use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// `GET /health`: 200 with the database backend when the database answers, 503 otherwise.
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let checked = state.db(|conn| Ok(crate::models::ping(conn)?)).await;
    match checked {
        Ok(backend) => HttpResponse::Ok().json(Health {
            status: "ok",
            database: backend,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable().json(Health {
                status: "unavailable",
                database: "unreachable",
            })
        }
    }
}

/// The answer of `/health`.
#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
}
