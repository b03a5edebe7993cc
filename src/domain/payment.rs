//! How orders are paid, apart from any provider.

stored_as_text!(PaymentStatus);

/// The card payment of an unpaid order, as its page needs it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum CardPayment {
    /// Card payment cannot go on right now (message key).
    Unavailable { problem: &'static str },
    /// Stripe's Payment Element can be mounted with this.
    Ready {
        client_secret: String,
        publishable_key: String,
        js_url: String,
        /// Why the last attempt was declined, if it was.
        failed: Option<String>,
    },
}

impl CardPayment {
    pub const UNAVAILABLE: CardPayment = CardPayment::Unavailable {
        problem: "order-card-unavailable",
    };
}

/// Where a provider payment stands (`payments.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Started at the provider, not paid yet.
    Created,
    Succeeded,
    /// The provider refused it (the buyer may try again).
    Failed,
    /// Paid, but not the amount or currency asked: kept apart for a person to look at.
    AmountMismatch,
    /// Money arrived for an order that had ended: to be refunded.
    NeedsRefund,
    Refunded,
    /// Closed at the provider: the order ended unpaid, the buyer chose another way to pay
    /// (Midtrans), or the provider let it expire.
    Voided,
    /// Closing it at the provider failed (it may have been paid meanwhile).
    VoidFailed,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 8] = [
        Self::Created,
        Self::Succeeded,
        Self::Failed,
        Self::AmountMismatch,
        Self::NeedsRefund,
        Self::Refunded,
        Self::Voided,
        Self::VoidFailed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::AmountMismatch => "amount_mismatch",
            Self::NeedsRefund => "needs_refund",
            Self::Refunded => "refunded",
            Self::Voided => "voided",
            Self::VoidFailed => "void_failed",
        }
    }

    /// A payment that may still be closed at the provider when its order ended unpaid.
    pub const STILL_OPEN: [PaymentStatus; 3] = [Self::Created, Self::Failed, Self::AmountMismatch];
}

/// How an order is paid, as stored in `orders.payment_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PaymentMethod {
    BankTransfer,
    Card,
    /// QRIS, bank virtual accounts, Mandiri bill payment or GoPay, through Midtrans (the
    /// buyer picks the channel on the order page: `domain::midtrans::Channel`).
    Midtrans,
}

impl PaymentMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "stripe",
            Self::Midtrans => "midtrans",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "bank_transfer" => Some(Self::BankTransfer),
            "stripe" => Some(Self::Card),
            "midtrans" => Some(Self::Midtrans),
            _ => None,
        }
    }

    /// The value of the checkout form's `bayar` radio.
    pub fn from_form(raw: &str) -> Option<Self> {
        match raw {
            "transfer" | "" => Some(Self::BankTransfer),
            "kartu" => Some(Self::Card),
            "midtrans" => Some(Self::Midtrans),
            _ => None,
        }
    }

    /// Bank transfers carry a unique code in the amount so staff can match the transfer.
    pub fn uses_unique_code(self) -> bool {
        self == Self::BankTransfer
    }
}

/// Stripe counts rupiah in hundredths (IDR is a two-decimal currency in its API).
pub fn to_stripe_amount(rupiah: i64) -> i64 {
    rupiah * 100
}

/// A verified webhook event (or a Midtrans notification confirmed by a status call), reduced
/// to what the shop acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub id: String,
    pub kind: String,
    pub outcome: WebhookOutcome,
    /// Who sent it: only that provider's payments are looked at.
    pub provider: PaymentMethod,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WebhookOutcome {
    Succeeded {
        reference: String,
        /// In hundredths of the currency (Stripe's minor units; Midtrans' `gross_amount` has
        /// two decimals too).
        amount: i64,
        currency: String,
    },
    Failed {
        reference: String,
        message: Option<String>,
    },
    /// The payment was refunded in full (`charge.refunded`, Midtrans' `refund`).
    Refunded { reference: String, refund: String },
    /// The provider closed the payment unpaid (Midtrans' `cancel` and `expire`): nobody can
    /// pay it any more.
    Closed { reference: String },
    /// An event the shop does not act on.
    Ignored,
}
