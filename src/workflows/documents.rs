//! Unit staff attach a legal document (a permit, a certificate) with its scan.

use crate::domain::{CertificationStatus, DocumentForm, FieldErrors};
use crate::error::AppError;
use crate::models::certification::{self, NewCertification};
use crate::models::product;
use crate::services::images;

use super::Shop;

/// How attaching a document went.
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentOutcome {
    /// Stored and waiting for a reviewer.
    Submitted,
    /// Nothing was stored; what is wrong, by field.
    Invalid(FieldErrors),
}

/// Checks the form, keeps the scan privately and records the document for review.
pub async fn add_document(
    shop: Shop<'_>,
    unit_id: i32,
    actor_id: i32,
    form: &DocumentForm,
    scan: Vec<u8>,
) -> Result<DocumentOutcome, AppError> {
    // A product is the unit's own only if it says so.
    let chosen = form.product();
    let owner = match chosen {
        Some(id) => shop.read(move |c| Ok(product::owner(c, id)?)).await?,
        None => None,
    };
    let unit_products: Vec<i32> = chosen
        .filter(|_| owner.is_some_and(|(unit, _)| unit == unit_id))
        .into_iter()
        .collect();
    let today = chrono::Utc::now().date_naive();
    let draft = match form.validate(today, &unit_products, !scan.is_empty()) {
        Ok(draft) => draft,
        Err(errors) => return Ok(DocumentOutcome::Invalid(errors)),
    };
    let encoded = actix_web::web::block(move || images::encode_scan(unit_id, &scan))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (path, data) = match encoded {
        Ok(encoded) => encoded,
        Err(key) => {
            let mut errors = FieldErrors::new();
            errors.insert("scan", key);
            return Ok(DocumentOutcome::Invalid(errors));
        }
    };
    // Private: kept in the documents store, never given a public address.
    shop.documents.put(&path, data).await.map_err(|e| {
        tracing::error!(error = %e, "storing a document scan failed");
        AppError::internal(e)
    })?;
    let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let doc = NewCertification {
        unit_id,
        product_id: draft.product_id,
        kind: draft.kind.code().to_string(),
        number: draft.number,
        issuer: draft.issuer,
        issued_on: iso(draft.issued_on),
        expires_on: draft.expires_on.map(iso),
        document_path: Some(path),
        status: CertificationStatus::Submitted.code(),
        reject_reason: None,
        verified_at: None,
        created_at: crate::models::now_ts(),
    };
    shop.write(move |c| Ok(certification::add_document(c, &doc, actor_id)?))
        .await?;
    Ok(DocumentOutcome::Submitted)
}
