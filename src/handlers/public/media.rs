//! `/media/…` when public media are kept in a bucket (`MEDIA_S3_BUCKET`): the file read from
//! the bucket's `media/` folder, with the long cache header of the `/media` scope
//! (`routes.rs`). Only `media/` is reachable: a name with `..` or an empty part answers 404,
//! and private files are kept under `private/`. Media in a folder are served by
//! `actix_files` instead.

use actix_web::{get, web, HttpResponse};

use crate::error::AppError;
use crate::services::media;
use crate::state::AppState;

#[get("/{path:.*}")]
pub async fn file(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let name = path.into_inner();
    let bytes = state
        .media
        .get(&name)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, file = %name, "cannot read a media file from the bucket");
            AppError::internal(e)
        })?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(media::content_type(&name))
        .body(bytes))
}
