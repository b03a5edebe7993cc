//! `/bantuan`, `/privasi` and `/tentang`: help for buyers, the privacy notice and the
//! programme. The text is static and lives in the Fluent files; the page only names itself.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::Page;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::pages::InfoPage;

#[get("/bantuan")]
pub async fn help(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    show(&state, &req, InfoPage::HELP).await
}

#[get("/privasi")]
pub async fn privacy(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    show(&state, &req, InfoPage::PRIVACY).await
}

#[get("/tentang")]
pub async fn about(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    show(&state, &req, InfoPage::ABOUT).await
}

/// The layout with the page's title and description (`{page}-title`,
/// `{page}-meta-description`), rendered with `pages/public/{page}.html`.
async fn show(
    state: &AppState,
    req: &HttpRequest,
    page: InfoPage,
) -> Result<HttpResponse, AppError> {
    let layout = Page::load(state, req).await?;
    let title = layout.lang.text(&format!("{}-title", page.page));
    let description = layout.lang.text(&format!("{}-meta-description", page.page));
    let ctx = layout.context(&title, &description, page.path, None, "website");
    state.render_view(&format!("pages/public/{}.html", page.page), ctx, &page)
}
