use actix_web::{get, web, HttpResponse};
use serde_json::json;

use crate::state::AppState;

/// `GET /health`: 200 with the database backend when the database answers, 503 otherwise.
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let checked = state.db(|conn| Ok(crate::models::ping(conn)?)).await;
    match checked {
        Ok(backend) => HttpResponse::Ok().json(json!({"status": "ok", "database": backend})),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unreachable"}))
        }
    }
}
