//! Legal documents: staff attach them (`/kelola/dokumen`), reviewers verify or reject them
//! (`/kelola/tinjau/dokumen/{id}`). Scans are private: kept outside the public media folder
//! and served only to the unit's staff and the reviewers in scope.

use actix_multipart::form::{bytes::Bytes as UploadBytes, text::Text, MultipartForm};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{check_csrf, id_from_path, see_other, set_flash, staff_context, Staff, UnitStaff};
use crate::domain::{CertificationKind, FieldErrors};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::certification::{self, NewCertification};
use crate::models::product;
use crate::services::images;
use crate::state::AppState;

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

/// The document form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DocumentForm {
    kind: String,
    number: String,
    issuer: String,
    issued_on: String,
    expires_on: String,
    product_id: String,
}

fn text(t: Option<Text<String>>) -> String {
    t.map(|t| t.into_inner())
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn iso_date(raw: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
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

#[get("/kelola/dokumen")]
pub async fn list(
    state: web::Data<AppState>,
    lang: Lang,
    req: HttpRequest,
    staff: UnitStaff,
) -> Result<HttpResponse, AppError> {
    let unit_id = staff.unit_id();
    render(
        &state,
        lang,
        &req,
        &staff,
        unit_id,
        &DocumentForm::default(),
        &FieldErrors::new(),
    )
    .await
}

/// Stores a scan privately: a PDF as it is, a picture re-encoded (metadata dropped).
fn store_scan(dir: &std::path::Path, unit_id: i32, bytes: &[u8]) -> Result<String, &'static str> {
    if bytes.is_empty() {
        return Err("document-error-scan");
    }
    if bytes.len() > images::MAX_BYTES {
        return Err("image-error-too-large");
    }
    let name = images::fresh_name();
    let (rel, data) = if bytes.starts_with(b"%PDF-") {
        (format!("{unit_id}/{name}.pdf"), bytes.to_vec())
    } else {
        let out = images::with_decode_slot(|| {
            let img = images::decode_upload(bytes)?;
            let img = if img.width() > 2000 {
                img.resize(2000, u32::MAX, image::imageops::FilterType::Triangle)
            } else {
                img
            };
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
                .encode_image(&img.to_rgb8())
                .map_err(|_| images::ImageRejection::Corrupt)?;
            Ok(out)
        })
        .map_err(|r| match r {
            images::ImageRejection::NotAnImage => "document-error-scan-type",
            other => other.message_key(),
        })?;
        (format!("{unit_id}/{name}.jpg"), out)
    };
    let store = crate::services::media::MediaStore::new(dir.to_path_buf());
    store.put(&rel, &data).map_err(|_| "image-error-corrupt")?;
    Ok(rel)
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
    let Ok(upload) = upload else {
        let mut errors = FieldErrors::new();
        errors.insert("scan", "image-error-too-large");
        return render(
            &state,
            lang,
            &req,
            &staff,
            unit_id,
            &DocumentForm::default(),
            &errors,
        )
        .await;
    };
    let upload = upload.into_inner();
    check_csrf(&staff.session, &upload.csrf_token)?;
    let form = DocumentForm {
        kind: text(upload.kind),
        number: text(upload.number).chars().take(60).collect(),
        issuer: text(upload.issuer).chars().take(120).collect(),
        issued_on: text(upload.issued_on),
        expires_on: text(upload.expires_on),
        product_id: text(upload.product_id),
    };
    let mut errors = FieldErrors::new();
    let kind = CertificationKind::parse(&form.kind).ok();
    if kind.is_none() {
        errors.insert("kind", "document-error-kind");
    }
    if form.number.chars().count() < 3 {
        errors.insert("number", "document-error-number");
    }
    if form.issuer.chars().count() < 3 {
        errors.insert("issuer", "document-error-issuer");
    }
    let today = chrono::Utc::now().date_naive();
    let issued = iso_date(&form.issued_on).filter(|d| *d <= today);
    if issued.is_none() {
        errors.insert("issued_on", "document-error-issued");
    }
    let expires = if form.expires_on.is_empty() {
        Some(None)
    } else {
        iso_date(&form.expires_on)
            .filter(|d| issued.is_none_or(|i| *d > i))
            .map(Some)
    };
    if expires.is_none() {
        errors.insert("expires_on", "document-error-expires");
    }
    let product_id = if form.product_id.is_empty() {
        Some(None)
    } else {
        let id = form.product_id.parse::<i32>().ok();
        let owner = match id {
            Some(id) => state.db(move |c| Ok(product::owner(c, id)?)).await?,
            None => None,
        };
        match (id, owner) {
            (Some(id), Some((owner_unit, _))) if owner_unit == unit_id => Some(Some(id)),
            _ => None,
        }
    };
    if product_id.is_none() {
        errors.insert("product_id", "document-error-product");
    }
    let scan_bytes = upload.scan.map(|s| s.data).unwrap_or_default();
    if scan_bytes.is_empty() {
        errors.insert("scan", "document-error-scan");
    }
    if !errors.is_empty() {
        return render(&state, lang, &req, &staff, unit_id, &form, &errors).await;
    }
    let dir = state.documents_dir.clone();
    let stored = web::block(move || store_scan(&dir, unit_id, &scan_bytes)).await?;
    let path = match stored {
        Ok(path) => path,
        Err(key) => {
            errors.insert("scan", key);
            return render(&state, lang, &req, &staff, unit_id, &form, &errors).await;
        }
    };
    let doc = NewCertification {
        unit_id,
        product_id: product_id.flatten(),
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        number: form.number.clone(),
        issuer: form.issuer.clone(),
        issued_on: form.issued_on.clone(),
        expires_on: expires.flatten().map(|d| d.format("%Y-%m-%d").to_string()),
        document_path: Some(path),
        status: crate::domain::CertificationStatus::Submitted.code(),
        reject_reason: None,
        verified_at: None,
        created_at: crate::models::now_ts(),
    };
    let actor_id = staff.actor.id;
    state
        .db(move |c| Ok(certification::add_document(c, &doc, actor_id)?))
        .await?;
    set_flash(&staff.session, "flash-document-added");
    Ok(see_other("/kelola/dokumen"))
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
    if rel.contains("..") {
        return Err(AppError::NotFound);
    }
    let file = state.documents_dir.join(&rel);
    let bytes = web::block(move || std::fs::read(file))
        .await?
        .map_err(|_| AppError::NotFound)?;
    let content_type = if rel.ends_with(".pdf") {
        "application/pdf"
    } else {
        "image/jpeg"
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Cache-Control", "private, no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes))
}
