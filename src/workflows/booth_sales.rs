//! A unit's staff record a sale at their fair booth, from the till on a phone: cash and QRIS
//! (the unit's static code) are recorded at once; a dynamic QRIS charge through Midtrans is
//! made for the sale and recorded when Midtrans says it was paid (`models::booth_charge`).

use crate::domain::fair::{
    self, BoothChargeStatus, SaleForm, SaleMethod, SaleRefusal, SaleResult, BOOTH_CHARGE_MINUTES,
};
use crate::domain::midtrans::{Channel, Instructions};
use crate::error::AppError;
use crate::models::booth_charge::{self, ChargeLine, ChargeRequest, Opened};
use crate::models::booth_sale::{self, SaleOutcome, SaleProblem, SaleRequest};
use crate::services::payments::{Charge, PaymentProvider, Started};

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
        Err(other) => refusal(other),
    };
    Ok(SaleResult::Refused(why))
}

/// What the seller is told of a sale the model refused (not a duplicate, not a failure).
fn refusal(problem: SaleProblem) -> SaleRefusal {
    match problem {
        SaleProblem::NotLive => SaleRefusal::NotLive,
        SaleProblem::NoBooth => SaleRefusal::NoBooth,
        SaleProblem::NotOurs => SaleRefusal::NotOurs,
        SaleProblem::AboveStock { available } => SaleRefusal::AboveStock { available },
        SaleProblem::Invalid | SaleProblem::Duplicate | SaleProblem::Db(_) => SaleRefusal::Invalid,
    }
}

/// What asking for a dynamic QRIS charge at the till did.
#[derive(Debug, Clone)]
pub enum ChargeOutcome {
    /// A charge is open to pay (made now, or the one made before for the same sale key,
    /// whatever became of it): the buyer scans its code.
    Open(ChargeLine),
    /// Not made; the seller is told why, as for a cash sale.
    Refused(SaleRefusal),
    /// A sale was recorded under this key already.
    AlreadySold,
    /// Midtrans is not configured, refused the charge or could not be reached.
    Unavailable,
}

impl ChargeOutcome {
    /// The key of the message telling the seller why no charge is shown.
    pub fn message_key(&self) -> &'static str {
        match self {
            Self::Open((charge, _)) => charge.status.message_key(),
            Self::Refused(why) => SaleResult::Refused(*why).message_key(),
            Self::AlreadySold => SaleResult::Duplicate.message_key(),
            Self::Unavailable => "charge-unavailable",
        }
    }
}

/// Makes a dynamic QRIS charge through Midtrans for the sale `form` at unit `unit_id`'s booth
/// at event `event_id`: the same checks as a cash sale (the fair running today, one of the
/// unit's products, enough stock), then a Core API `qris` charge of the whole total, payable
/// for `BOOTH_CHARGE_MINUTES`. Whatever payment method the form names, the sale will be QRIS.
/// The same sale key again gives the charge made before. The sale itself is recorded when
/// Midtrans' notification says the charge was paid (`workflows::midtrans`).
pub async fn open_booth_charge(
    shop: Shop<'_>,
    event_id: i32,
    unit_id: i32,
    actor_id: i32,
    form: &SaleForm,
) -> Result<ChargeOutcome, AppError> {
    let as_qris = SaleForm {
        method: SaleMethod::Qris.code().to_string(),
        ..form.clone()
    };
    let Some(draft) = as_qris.validate() else {
        return Ok(ChargeOutcome::Refused(SaleRefusal::Invalid));
    };
    let Some(provider) = shop.payments.midtrans.clone() else {
        return Ok(ChargeOutcome::Unavailable);
    };
    let request = ChargeRequest {
        event_id,
        unit_id,
        product_id: draft.product_id,
        quantity: draft.quantity,
        key: draft.key.clone(),
        actor_id,
        day: fair::fair_day(chrono::Utc::now()),
    };
    let opened = shop
        .write(move |c| Ok(booth_charge::open(c, &request)))
        .await?;
    let charge = match opened {
        Ok(Opened::New(charge)) => charge,
        Ok(Opened::Existing(charge)) => return open_line(shop, charge.id).await,
        Err(SaleProblem::Duplicate) => {
            // The same sale sent twice at once (the other copy made the charge), or a sale
            // recorded under this key before.
            let key = draft.key;
            let made = shop
                .read(move |c| Ok(booth_charge::by_sale_key(c, &key)?))
                .await?;
            return match made {
                Some(charge) if charge.unit_id == unit_id => open_line(shop, charge.id).await,
                _ => Ok(ChargeOutcome::AlreadySold),
            };
        }
        Err(SaleProblem::Db(e)) => return Err(AppError::Internal(e)),
        Err(other) => return Ok(ChargeOutcome::Refused(refusal(other))),
    };
    let asked = Charge {
        order_code: charge.reference.clone(),
        amount: charge.total,
        reference: charge.reference.clone(),
        channel: Some(Channel::Qris),
        expiry_minutes: BOOTH_CHARGE_MINUTES,
        return_url: String::new(),
    };
    let qr = match provider.start(&asked).await {
        Ok(Started::Charged {
            instructions: Instructions::Qr { qr_string },
            ..
        }) => Some(qr_string),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(
                error = %e,
                charge = %charge.reference,
                "making a booth QRIS charge failed"
            );
            None
        }
    };
    let id = charge.id;
    let Some(qr) = qr else {
        // Never shown to a buyer; should Midtrans have made it after all, its payment still
        // finds the charge and records the sale.
        shop.write(move |c| {
            Ok(booth_charge::end(
                c,
                id,
                BoothChargeStatus::Cancelled,
                None,
            )?)
        })
        .await?;
        return Ok(ChargeOutcome::Unavailable);
    };
    shop.write(move |c| Ok(booth_charge::set_qr(c, id, &qr)?))
        .await?;
    tracing::info!(charge = %charge.reference, total = charge.total, "booth QRIS charge made");
    open_line(shop, id).await
}

/// Charge `id` as the till shows it.
async fn open_line(shop: Shop<'_>, id: i32) -> Result<ChargeOutcome, AppError> {
    let line = shop
        .read(move |c| Ok(booth_charge::with_product(c, id)?))
        .await?;
    Ok(line.map_or(ChargeOutcome::Unavailable, ChargeOutcome::Open))
}

/// The charge `charge_id` of event `event_id` as unit `unit_id`'s till shows it: None when
/// there is no such charge at that event, `Err(Forbidden)` when it is another unit's.
pub async fn booth_charge_of(
    shop: Shop<'_>,
    event_id: i32,
    unit_id: i32,
    charge_id: i32,
) -> Result<Option<ChargeLine>, AppError> {
    let line = shop
        .read(move |c| Ok(booth_charge::with_product(c, charge_id)?))
        .await?;
    match line {
        Some((charge, _)) if charge.event_id != event_id => Ok(None),
        Some((charge, _)) if charge.unit_id != unit_id => Err(AppError::Forbidden),
        other => Ok(other),
    }
}

/// What the seller's cancellation of a charge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// Cancelled at Midtrans first, then here: nobody can pay it any more.
    Cancelled,
    /// Midtrans would not cancel it: it was paid meanwhile, and the sale is recorded.
    Paid,
    /// It was not waiting for a payment any more (paid, expired or cancelled before).
    NotPending,
    /// Midtrans is not configured or could not be reached: the charge stays as it was.
    Unavailable,
}

impl CancelOutcome {
    /// The key of the message telling the seller.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Cancelled => "charge-cancelled",
            Self::Paid => "charge-status-paid",
            Self::NotPending => "charge-not-pending",
            Self::Unavailable => "charge-cancel-failed",
        }
    }
}

/// Cancels charge `charge_id` of unit `unit_id` at event `event_id` for seller `actor_id`:
/// Midtrans is asked first (cancel, else expire: `PaymentProvider::void`); only once it closed
/// the charge is it marked cancelled here (audited). When Midtrans refuses because the buyer
/// paid meanwhile, the payment is confirmed and applied at once, as its notification would be.
/// None when there is no such charge at that event; `Err(Forbidden)` for another unit's.
pub async fn cancel_booth_charge(
    shop: Shop<'_>,
    event_id: i32,
    unit_id: i32,
    actor_id: i32,
    charge_id: i32,
) -> Result<Option<CancelOutcome>, AppError> {
    let Some((charge, _)) = booth_charge_of(shop, event_id, unit_id, charge_id).await? else {
        return Ok(None);
    };
    if !charge.status.is_pending() {
        return Ok(Some(CancelOutcome::NotPending));
    }
    let Some(provider) = shop.payments.midtrans.clone() else {
        return Ok(Some(CancelOutcome::Unavailable));
    };
    if let Err(e) = provider.void(&charge.reference).await {
        tracing::warn!(
            error = %e,
            charge = %charge.reference,
            "cancelling a booth QRIS charge failed"
        );
        super::midtrans::confirm_notification(shop, &charge.reference).await?;
        let now = booth_charge_of(shop, event_id, unit_id, charge_id).await?;
        let paid = now.is_some_and(|(c, _)| c.status == BoothChargeStatus::Paid);
        return Ok(Some(if paid {
            CancelOutcome::Paid
        } else {
            CancelOutcome::Unavailable
        }));
    }
    let id = charge.id;
    let ended = shop
        .write(move |c| {
            Ok(booth_charge::end(
                c,
                id,
                BoothChargeStatus::Cancelled,
                Some(actor_id),
            )?)
        })
        .await?;
    Ok(Some(if ended {
        CancelOutcome::Cancelled
    } else {
        CancelOutcome::NotPending
    }))
}
