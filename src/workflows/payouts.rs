//! Closing a month of a unit's payouts (`domain::payouts`), by its treasurer or an
//! administrator, once the month is over: from then on it takes corrections only.

use chrono::NaiveDate;

use crate::domain::payouts::{self, Month};
use crate::error::AppError;
use crate::models::payout;

use super::Shop;

/// How closing a month went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthClosing {
    Closed,
    AlreadyClosed,
    /// The month is not over yet.
    NotOver,
    /// Not a month (`YYYY-MM`).
    BadMonth,
}

impl MonthClosing {
    /// The message key saying so.
    pub fn message(self) -> &'static str {
        match self {
            Self::Closed => "payouts-flash-closed",
            Self::AlreadyClosed => "payouts-flash-already-closed",
            Self::NotOver => "payouts-flash-not-over",
            Self::BadMonth => "payouts-error-month",
        }
    }
}

/// Closes month `month` (as sent, `YYYY-MM`) of unit `unit_id` on `today` (WIB); audited.
pub async fn close_month(
    shop: Shop<'_>,
    unit_id: i32,
    month: &str,
    today: NaiveDate,
    actor_id: i32,
) -> Result<MonthClosing, AppError> {
    let Some(month) = Month::parse(month) else {
        return Ok(MonthClosing::BadMonth);
    };
    if !payouts::may_close(month, today) {
        return Ok(MonthClosing::NotOver);
    }
    let closed = shop
        .write(move |c| Ok(payout::close_month(c, unit_id, month, actor_id)?))
        .await?;
    Ok(if closed {
        MonthClosing::Closed
    } else {
        MonthClosing::AlreadyClosed
    })
}
