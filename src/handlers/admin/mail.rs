//! `/kelola/surat`: mail the shop gave up on (a malformed address, or a mail server that kept
//! refusing), for administrators, with a way to queue it again.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::handlers::account::{
    check_csrf, id_from_path, see_other, set_flash, staff_context, AdminUser, CsrfOnly,
};
use crate::i18n::Lang;
use crate::models::mail_outbox;
use crate::state::AppState;

#[get("/kelola/surat")]
pub async fn failed(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: AdminUser,
) -> Result<HttpResponse, AppError> {
    let mails = state.db(|c| Ok(mail_outbox::failed(c, 200)?)).await?;
    let ctx = staff_context(
        &state,
        lang,
        &req,
        "mail-failed-title",
        Some(&staff),
        &staff.session,
    )
    .await?;
    let page = crate::views::staff::MailFailedPage::new(&mails);
    state.render_view("pages/staff/mail_failed.html", ctx, &page)
}

#[post("/kelola/surat/{id}/ulang")]
pub async fn retry(
    state: web::Data<AppState>,
    staff: AdminUser,
    path: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    check_csrf(&staff.session, &form.csrf_token)?;
    let id = id_from_path(&path)?;
    let now = crate::models::now_ts();
    let queued = state
        .db(move |c| Ok(mail_outbox::retry(c, id, now)?))
        .await?;
    set_flash(
        &staff.session,
        if queued {
            "mail-failed-requeued"
        } else {
            "flash-not-allowed"
        },
    );
    Ok(see_other("/kelola/surat"))
}
