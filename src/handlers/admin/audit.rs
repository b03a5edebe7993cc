//! The audit log: who changed what, and when (WIB).

use actix_web::{get, web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::handlers::account::{staff_context, AdminUser};
use crate::i18n::Lang;
use crate::models::audit;
use crate::state::AppState;
use crate::views::staff::AuditPage;

#[get("/kelola/audit")]
pub async fn audit_log(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let entries = state.db(|c| Ok(audit::recent(c, 200)?)).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "staff-audit",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = AuditPage::new(lang, &entries);
    state.render_view("pages/staff/audit.html", ctx, &page)
}
