//! Public shop pages.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod fairs;
pub mod language;
pub mod payments;
pub mod search;

use actix_web::HttpRequest;

use crate::i18n::Lang;
use crate::models::catalog::Category;
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

/// The layout frame of a public page.
pub fn frame<'a>(
    state: &'a AppState,
    lang: Lang,
    req: &HttpRequest,
    categories: &'a [Category],
) -> PageFrame<'a> {
    PageFrame {
        lang,
        base_url: &state.base_url,
        current_path: current_path(req),
        categories,
    }
}
