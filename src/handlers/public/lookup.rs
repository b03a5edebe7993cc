//! `/pesanan/cari`: a buyer who lost the link to an order asks for it again with the order
//! number and the order's email or WhatsApp number. The link goes only to the order's email,
//! never onto the page, and the answer is the same whether or not such an order exists.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::Page;
use crate::domain::order::OrderLookupForm;
use crate::error::AppError;
use crate::handlers::limits::ShopLimiters;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::shop::OrderLookupPage;

#[get("/pesanan/cari")]
pub async fn lookup_form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    render(&state, lang, &req, OrderLookupPage::blank(false)).await
}

#[post("/pesanan/cari")]
pub async fn lookup_send(
    state: web::Data<AppState>,
    limiters: web::Data<ShopLimiters>,
    lang: Lang,
    req: HttpRequest,
    form: web::Form<OrderLookupForm>,
) -> Result<HttpResponse, AppError> {
    if !limiters.lookups.allows(&req) {
        return Ok(super::cart::too_many_requests());
    }
    let form = form.into_inner();
    match form.validate() {
        Err(errors) => {
            let page = OrderLookupPage {
                form,
                errors,
                sent: false,
            };
            render(&state, lang, &req, page).await
        }
        Ok((code, contact)) => {
            let sent =
                crate::workflows::orders::resend_order_link(state.shop(), code, contact).await?;
            tracing::info!(sent, "order link asked for again");
            render(&state, lang, &req, OrderLookupPage::blank(true)).await
        }
    }
}

async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    page: OrderLookupPage,
) -> Result<HttpResponse, AppError> {
    let layout = Page::load(state, req).await?;
    let title = lang.text("lookup-title");
    let ctx = layout.frame().context(
        &title,
        &lang.text("lookup-intro"),
        "/pesanan/cari",
        None,
        "website",
    );
    let has_errors = !page.errors.is_empty();
    state.render_view_form("pages/public/order_lookup.html", ctx, &page, has_errors)
}
