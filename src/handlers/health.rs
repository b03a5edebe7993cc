use actix_web::{get, web, HttpResponse};

use crate::state::AppState;

/// `GET /health`: the liveness probe. 200 with the database backend when the database
/// answers, 503 otherwise.
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

/// `GET /ready`: the readiness probe for a load balancer. 200 when the database and the search
/// engine both answer; 503 naming which one does not (the shop still serves pages without
/// search, but an instance whose engine is unreachable should not take new traffic).
#[get("/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let database = match state.db(|conn| Ok(crate::models::ping(conn)?)).await {
        Ok(backend) => backend,
        Err(e) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            "unreachable"
        }
    };
    let search = match state.search.count().await {
        Ok(_) => state.search.name(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness: search engine unavailable");
            "unavailable"
        }
    };
    let ready = database != "unreachable" && search != "unavailable";
    let answer = Ready {
        status: if ready { "ready" } else { "unavailable" },
        database,
        search,
    };
    if ready {
        HttpResponse::Ok().json(answer)
    } else {
        HttpResponse::ServiceUnavailable().json(answer)
    }
}

/// The answer of `/ready`.
#[derive(serde::Serialize)]
struct Ready {
    status: &'static str,
    database: &'static str,
    search: &'static str,
}
