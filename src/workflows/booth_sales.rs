//! A unit's staff record a sale at their fair booth, from the till on a phone.

use crate::domain::fair::{self, SaleForm, SaleRefusal, SaleResult};
use crate::error::AppError;
use crate::models::booth_sale::{self, SaleOutcome, SaleProblem, SaleRequest};

use super::Shop;

/// Checks the sale and records it once per key at unit `unit_id`'s booth at event `event_id`,
/// dated by the fair's day (WIB) and drawn from the web shop's stock. A database failure is
/// `AppError::Internal`.
pub async fn record_booth_sale(
    shop: Shop<'_>,
    event_id: i32,
    unit_id: i32,
    actor_id: i32,
    form: &SaleForm,
) -> Result<SaleResult, AppError> {
    let Some(draft) = form.validate() else {
        return Ok(SaleResult::Refused(SaleRefusal::Invalid));
    };
    let sale = SaleRequest {
        event_id,
        unit_id,
        product_id: draft.product_id,
        quantity: draft.quantity,
        method: draft.method,
        key: draft.key,
        actor_id,
        sold_on: fair::fair_day(chrono::Utc::now()),
    };
    let recorded = shop
        .write(move |c| Ok(booth_sale::record_sale(c, &sale)))
        .await?;
    let why = match recorded {
        Ok(SaleOutcome::Recorded { stock_left }) => return Ok(SaleResult::Recorded { stock_left }),
        Ok(SaleOutcome::Duplicate) | Err(SaleProblem::Duplicate) => {
            return Ok(SaleResult::Duplicate)
        }
        Err(SaleProblem::Db(e)) => return Err(AppError::Internal(e)),
        Err(SaleProblem::NotLive) => SaleRefusal::NotLive,
        Err(SaleProblem::NoBooth) => SaleRefusal::NoBooth,
        Err(SaleProblem::NotOurs) => SaleRefusal::NotOurs,
        Err(SaleProblem::AboveStock { available }) => SaleRefusal::AboveStock { available },
        Err(SaleProblem::Invalid) => SaleRefusal::Invalid,
    };
    Ok(SaleResult::Refused(why))
}
