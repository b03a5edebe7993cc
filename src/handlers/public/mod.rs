//! Public shop pages.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod fairs;
pub mod impact;
pub mod info;
pub mod language;
pub mod lookup;
pub mod media;
pub mod search;
pub mod site;

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::error::AppError;

use crate::i18n::Lang;
use crate::models::catalog::Category;
use crate::services::media::MediaUrls;
use crate::state::AppState;
use crate::views::PageFrame;
use serde::Deserialize;

/// Query parameters of listings; kept as text so junk falls back instead of failing.
#[derive(Debug, Deserialize, Default)]
pub struct ListingQuery {
    pub sort: Option<String>,
    pub page: Option<String>,
}

pub use super::{current_path, lenient_query};

/// The address `path` (unprefixed) as a redirect after a form gives it: under `/en` when the
/// form was sent to an English address, else as it is (the cookie still says the language).
pub fn same_language(req: &HttpRequest, path: &str) -> String {
    format!("{}{path}", crate::i18n::url_prefix(req))
}

/// What every public page starts from: the visitor's language, the address asked for and
/// the categories of the navigation (from the cache). Take it as a handler argument; its
/// `context` is the layout part of the page's template context.
pub struct Page {
    pub lang: Lang,
    /// Path and query without `lang=`.
    pub path: String,
    pub categories: Arc<Vec<Category>>,
    base_url: Arc<str>,
    media: MediaUrls,
}

impl Page {
    pub fn frame(&self) -> PageFrame<'_> {
        PageFrame {
            lang: self.lang,
            base_url: &self.base_url,
            current_path: self.path.clone(),
            categories: &self.categories,
            media: &self.media,
        }
    }

    /// The layout context: title, description, canonical path, share image, Open Graph kind.
    pub fn context(
        &self,
        title: &str,
        description: &str,
        canonical_path: &str,
        image: Option<String>,
        og_kind: &'static str,
    ) -> tera::Context {
        self.frame()
            .context(title, description, canonical_path, image, og_kind)
    }
}

impl Page {
    /// The page frame of this request (what the extractor gives, for code that has the
    /// state and the request at hand).
    pub async fn load(state: &AppState, req: &HttpRequest) -> Result<Self, AppError> {
        Ok(Page {
            lang: Lang::of_request(req),
            path: current_path(req),
            categories: state.categories().await?,
            base_url: state.base_url.clone(),
            media: state.media_urls.clone(),
        })
    }
}

impl FromRequest for Page {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| AppError::Internal("no app state".into()))?;
            Page::load(&state, &req).await
        })
    }
}
