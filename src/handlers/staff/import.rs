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
use crate::models::product;
use crate::state::AppState;

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
    let unit_id = staff.unit_id();
    let Ok(upload) = upload else {
        return render(
            &state,
            lang,
            &req,
            &staff,
            Some(&FileProblem::TooManyRows),
            None,
            "",
        )
        .await;
    };
    let upload = upload.into_inner();
    check_csrf(&staff.session, &upload.csrf_token)?;
    let bytes: Vec<u8> = match (upload.file, upload.csv_text) {
        (Some(f), _) if !f.data.is_empty() => f.data.to_vec(),
        (_, Some(t)) => t.into_inner().into_bytes(),
        _ => Vec::new(),
    };
    let confirmed = upload.confirm.is_some_and(|c| c.as_str() == "1");
    let caches = state.caches.clone();
    let categories = state.read(move |c| Ok(caches.category_list(c)?)).await?;
    let names: Vec<(i32, String, String)> = categories
        .iter()
        .map(|c| (c.id, c.slug.clone(), c.name_id.clone()))
        .collect();
    let check = match import::check_csv(&bytes, &names) {
        Ok(check) => check,
        Err(problem) => return render(&state, lang, &req, &staff, Some(&problem), None, "").await,
    };
    if check.valid.is_empty() && check.problems.is_empty() {
        return render(
            &state,
            lang,
            &req,
            &staff,
            Some(&FileProblem::Empty),
            None,
            "",
        )
        .await;
    }
    if !check.problems.is_empty() && !confirmed {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return render(&state, lang, &req, &staff, None, Some(&check), &text).await;
    }
    let actor_id = staff.actor.id;
    let drafts = check.valid;
    // A form without a key (an old page, a script) still imports, under a fresh key.
    let key = upload
        .kunci
        .map(|k| k.into_inner())
        .and_then(|k| FormKey::parse(&k))
        .unwrap_or_else(crate::models::fresh);
    let n = state
        .db(move |c| {
            Ok(product::create_drafts(
                c,
                unit_id,
                &drafts,
                actor_id,
                key.as_str(),
            )?)
        })
        .await?;
    tracing::info!(imported = n, unit_id, "products imported from CSV");
    set_flash(&staff.session, "flash-imported");
    Ok(see_other("/kelola"))
}
