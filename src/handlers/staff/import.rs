//! Bulk import of products from CSV (`/kelola/impor`): a downloadable template, a check of
//! every row with problems reported by line, and nothing imported while there are problems
//! unless the user confirms importing the rows that are right.

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::{check_csrf, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::import::{self, FileProblem, ImportCheck};
use crate::domain::{FormKey, Secret};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::workflows::import::{import_products, ImportOutcome, ImportRequest};

#[derive(MultipartForm)]
pub struct ImportUpload {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "2 MiB")]
    file: Option<UploadBytes>,
    /// The file as text, sent again by the confirmation form.
    #[multipart(limit = "2 MiB")]
    csv_text: Option<Text<String>>,
    #[multipart(limit = "8 B")]
    confirm: Option<Text<String>>,
    /// The form's own key: one import per key.
    #[multipart(limit = "128 B")]
    kunci: Option<Text<String>>,
}

async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    problem: Option<&FileProblem>,
    check: Option<&ImportCheck>,
    csv_text: &str,
) -> Result<HttpResponse, AppError> {
    let ctx = staff_context(
        state,
        lang,
        req,
        "import-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let page = crate::views::staff::ImportPage {
        file_problem: problem.map(FileProblem::message_key),
        missing_columns: match problem {
            Some(FileProblem::MissingColumns(m)) => m.join(", "),
            _ => String::new(),
        },
        columns: import::COLUMNS.join(", "),
        problems: check.map(|c| c.problems.as_slice()).unwrap_or_default(),
        valid_count: check.map_or(0, |c| c.valid.len()),
        bad_count: check.map_or(0, |c| c.problems.len()),
        csv_text,
        import_key: crate::models::fresh(),
    };
    state.render_view_form(
        "pages/staff/import.html",
        ctx,
        &page,
        problem.is_some() || check.is_some_and(|c| !c.problems.is_empty()),
    )
}

#[get("/kelola/impor")]
pub async fn form(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    render(&state, lang, &req, &staff, None, None, "").await
}

#[get("/kelola/impor/templat.csv")]
pub async fn template(_staff: UnitStaff) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"templat-produk-etalase.csv\"",
        ))
        .body(import::template()))
}

#[post("/kelola/impor")]
pub async fn upload(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    upload: Result<MultipartForm<ImportUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let Ok(upload) = upload.map(|u| u.into_inner()) else {
        let too_large = FileProblem::TooManyRows;
        return render(&state, lang, &req, &staff, Some(&too_large), None, "").await;
    };
    check_csrf(&staff.session, &upload.csrf_token)?;
    let csv: Vec<u8> = match (upload.file, upload.csv_text) {
        (Some(f), _) if !f.data.is_empty() => Vec::from(f.data),
        (_, Some(t)) => t.into_inner().into_bytes(),
        _ => Vec::new(),
    };
    let request = ImportRequest {
        unit_id: staff.unit_id(),
        actor_id: staff.actor.id,
        confirmed: upload.confirm.is_some_and(|c| c.as_str() == "1"),
        // A form without a key (an old page, a script) still imports, under a fresh key.
        key: (upload.kunci.and_then(|k| FormKey::parse(&k))).unwrap_or_else(crate::models::fresh),
        csv,
    };
    match import_products(state.shop(), &request).await? {
        ImportOutcome::Unreadable(problem) => {
            render(&state, lang, &req, &staff, Some(&problem), None, "").await
        }
        ImportOutcome::NeedsConfirmation(check) => {
            // The file comes back as text, for the confirmation form to send again.
            let typed = String::from_utf8_lossy(&request.csv);
            render(&state, lang, &req, &staff, None, Some(&check), &typed).await
        }
        ImportOutcome::Imported(_) => {
            set_flash(&staff.session, "flash-imported");
            Ok(see_other("/kelola"))
        }
    }
}
