//! Legal documents: staff attach them (`/kelola/dokumen`), reviewers verify or reject them
//! (`/kelola/tinjau/dokumen/{id}`). Scans are private: kept outside the public media folder
//! and served only to the unit's staff and the reviewers in scope.

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::{
    check_csrf, id_from_path, private_file, see_other, set_flash, staff_context, Staff, UnitStaff,
};
use crate::domain::{DocumentForm, FieldErrors};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::certification;
use crate::models::product;
use crate::state::AppState;
use crate::workflows::documents::{add_document, DocumentOutcome};

#[derive(MultipartForm)]
pub struct DocumentUpload {
    #[multipart(limit = "1 KiB")]
    csrf_token: Text<String>,
    #[multipart(limit = "1 KiB")]
    kind: Option<Text<String>>,
    #[multipart(limit = "1 KiB")]
    number: Option<Text<String>>,
    #[multipart(limit = "1 KiB")]
    issuer: Option<Text<String>>,
    #[multipart(limit = "1 KiB")]
    issued_on: Option<Text<String>>,
    #[multipart(limit = "1 KiB")]
    expires_on: Option<Text<String>>,
    #[multipart(limit = "1 KiB")]
    product_id: Option<Text<String>>,
    #[multipart(limit = "11 MiB")]
    scan: Option<UploadBytes>,
}

impl DocumentUpload {
    /// The form as typed (number and issuer cut to their longest) and the scan's bytes.
    fn typed(self) -> (DocumentForm, Vec<u8>) {
        let form = DocumentForm {
            kind: text(self.kind),
            number: text(self.number).chars().take(60).collect(),
            issuer: text(self.issuer).chars().take(120).collect(),
            issued_on: text(self.issued_on),
            expires_on: text(self.expires_on),
            product_id: text(self.product_id),
        };
        (
            form,
            self.scan.map(|s| Vec::from(s.data)).unwrap_or_default(),
        )
    }
}

fn text(t: Option<Text<String>>) -> String {
    t.map(|t| t.into_inner())
        .unwrap_or_default()
        .trim()
        .to_string()
}

async fn render(
    state: &AppState,
    lang: Lang,
    req: &HttpRequest,
    staff: &Staff,
    unit_id: i32,
    form: &DocumentForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let (documents, products) = state
        .db(move |c| {
            Ok((
                certification::documents_of_unit(c, unit_id)?,
                product::unit_products(c, unit_id)?,
            ))
        })
        .await?;
    let ctx = staff_context(
        state,
        lang,
        req,
        "documents-title",
        Some(staff),
        &staff.session,
    )
    .await?;
    let today = crate::models::today_iso();
    let page =
        crate::views::staff::DocumentsPage::new(lang, &documents, &products, &today, form, errors);
    state.render_view_form("pages/staff/documents.html", ctx, &page, !errors.is_empty())
}

/// `?produk=`: the product a new document is for, chosen in the form (the product form links
/// here).
#[derive(Default, serde::Deserialize)]
struct ForProduct {
    #[serde(default)]
    produk: String,
}

#[get("/kelola/dokumen")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let query: ForProduct = crate::handlers::lenient_query(&req);
    let form = DocumentForm {
        product_id: query.produk.trim().chars().take(12).collect(),
        ..DocumentForm::default()
    };
    render(
        &state,
        lang,
        &req,
        &staff,
        unit_id,
        &form,
        &FieldErrors::new(),
    )
    .await
}

#[post("/kelola/dokumen")]
pub async fn add(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
    upload: Result<MultipartForm<DocumentUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    let Ok(upload) = upload.map(|u| u.into_inner()) else {
        let errors = FieldErrors::from([("scan", "image-error-too-large")]);
        let form = DocumentForm::default();
        return render(&state, lang, &req, &staff, unit_id, &form, &errors).await;
    };
    check_csrf(&staff.session, &upload.csrf_token)?;
    let (form, scan) = upload.typed();
    let (shop, actor_id) = (state.shop(), staff.actor.id);
    match add_document(shop, unit_id, actor_id, &form, scan).await? {
        DocumentOutcome::Invalid(errors) => {
            render(&state, lang, &req, &staff, unit_id, &form, &errors).await
        }
        DocumentOutcome::Submitted => {
            set_flash(&staff.session, "flash-document-added");
            Ok(see_other("/kelola/dokumen"))
        }
    }
}

/// May this account see this document? 404 when missing, 403 outside scope.
async fn document_in_scope(
    state: &AppState,
    staff: &Staff,
    id: i32,
) -> Result<Option<String>, AppError> {
    let owner = state
        .db(move |c| Ok(certification::document_owner(c, id)?))
        .await?;
    let (unit_id, province_id, path) = owner.ok_or(AppError::NotFound)?;
    if staff.actor.can_manage_unit(unit_id) || staff.actor.can_review_in(province_id) {
        Ok(path)
    } else {
        Err(AppError::Forbidden)
    }
}

#[get("/kelola/dokumen/{id}/berkas")]
pub async fn scan_file(
    state: web::Data<AppState>,
    staff: Staff,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let rel = document_in_scope(&state, &staff, id_from_path(&path)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = if rel.ends_with(".pdf") {
        "application/pdf"
    } else {
        "image/jpeg"
    };
    private_file(&state.documents, &rel, content_type).await
}
