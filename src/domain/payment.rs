//! How orders are paid, apart from any provider.

/// How an order is paid, as stored in `orders.payment_method`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PaymentMethod {
    BankTransfer,
    Card,
}

impl PaymentMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::BankTransfer => "bank_transfer",
            Self::Card => "stripe",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "bank_transfer" => Some(Self::BankTransfer),
            "stripe" => Some(Self::Card),
            _ => None,
        }
    }

    /// The value of the checkout form's `bayar` radio.
    pub fn from_form(raw: &str) -> Option<Self> {
        match raw {
            "transfer" | "" => Some(Self::BankTransfer),
            "kartu" => Some(Self::Card),
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

/// A verified webhook event, reduced to what the shop acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    pub id: String,
    pub kind: String,
    pub outcome: WebhookOutcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WebhookOutcome {
    Succeeded {
        reference: String,
        /// In Stripe's minor units.
        amount: i64,
        currency: String,
    },
    Failed {
        reference: String,
        message: Option<String>,
    },
    /// The payment was refunded in full (`charge.refunded`).
    Refunded { reference: String, refund: String },
    /// An event the shop does not act on.
    Ignored,
}
