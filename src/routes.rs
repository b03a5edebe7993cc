//! The one route table.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::web;

use crate::handlers::{health, public};

pub fn configure(
    cfg: &mut web::ServiceConfig,
    static_dir: &std::path::Path,
    media_dir: &std::path::Path,
) {
    cfg.service(health::health)
        .service(public::catalog::home)
        .service(public::catalog::category)
        .service(public::catalog::product_page)
        .service(public::catalog::unit_page)
        .service(public::catalog::province_page)
        .service(public::language::switch)
        .service(public::search::suggest)
        .service(public::search::search)
        .service(
            web::scope("/static")
                .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "public, max-age=86400")))
                .service(actix_files::Files::new("", static_dir)),
        )
        .service(
            web::scope("/media")
                .wrap(
                    DefaultHeaders::new()
                        .add((header::CACHE_CONTROL, "public, max-age=31536000, immutable")),
                )
                .service(actix_files::Files::new("", media_dir)),
        );
}
