//! Unit staff import products from a CSV file: every row is checked, and nothing is imported
//! while some rows have problems unless the staff confirm importing the rows that are right.

use crate::domain::import::{self, FileProblem, ImportCheck};
use crate::domain::{FormKey, Secret};
use crate::error::AppError;
use crate::models::product;

use super::Shop;

/// How an import went.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportOutcome {
    /// This many products were created as drafts (none again for a form sent twice).
    Imported(usize),
    /// Nothing could be read from the file.
    Unreadable(FileProblem),
    /// Some rows have problems: shown by line, waiting for the staff to confirm.
    NeedsConfirmation(ImportCheck),
}

/// What the staff sent.
pub struct ImportRequest {
    pub unit_id: i32,
    pub actor_id: i32,
    /// The CSV file's bytes.
    pub csv: Vec<u8>,
    /// The staff confirmed importing only the rows that are right.
    pub confirmed: bool,
    /// The form's key: one import per key.
    pub key: FormKey,
}

/// Checks the file against the shop's categories and, when it may, creates the drafts.
pub async fn import_products(
    shop: Shop<'_>,
    request: &ImportRequest,
) -> Result<ImportOutcome, AppError> {
    let caches = shop.caches.clone();
    let categories = shop.read(move |c| Ok(caches.category_list(c)?)).await?;
    let names: Vec<(i32, String, String)> = categories
        .iter()
        .map(|c| (c.id, c.slug.clone(), c.name_id.clone()))
        .collect();
    let check = match import::check_csv(&request.csv, &names) {
        Ok(check) => check,
        Err(problem) => return Ok(ImportOutcome::Unreadable(problem)),
    };
    if check.valid.is_empty() && check.problems.is_empty() {
        return Ok(ImportOutcome::Unreadable(FileProblem::Empty));
    }
    if !check.problems.is_empty() && !request.confirmed {
        return Ok(ImportOutcome::NeedsConfirmation(check));
    }
    let (unit_id, actor_id, key) = (request.unit_id, request.actor_id, request.key.clone());
    let drafts = check.valid;
    let n = shop
        .write(move |c| {
            let n = product::create_drafts(c, unit_id, &drafts, actor_id, key.as_str())?;
            // A large import changes the table enough for the planner to need to know.
            if n >= 100 {
                crate::db::refresh_statistics(c)?;
            }
            Ok(n)
        })
        .await?;
    tracing::info!(imported = n, unit_id, "products imported from CSV");
    Ok(ImportOutcome::Imported(n))
}
