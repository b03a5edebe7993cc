//! A message to send, apart from how it is sent.

/// One message in both languages: Indonesian first, English second.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub to: String,
    pub subject_id: String,
    pub subject_en: String,
    pub body_id: String,
    pub body_en: String,
}

/// One line of an order as a mail lists it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MailLine {
    pub quantity: i32,
    pub name: String,
    /// The unit's brand, in the buyer's list (the unit's own list leaves it out).
    pub unit: Option<String>,
}

/// What happened that someone must be told by mail. Each kind is a template folder,
/// `templates/emails/<kind>/{subject.txt, body.txt}`, rendered in Indonesian and English with
/// the Fluent strings of `locales/*/mail.ftl` (`services::mail::MailTemplates`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum MailEvent {
    /// To the buyer, when the order is placed: what was ordered and how to pay.
    OrderReceived {
        code: String,
        name: String,
        lines: Vec<MailLine>,
        total: i64,
        /// Paid by card (otherwise by bank transfer, to the shop's account).
        card: bool,
        /// Paid on the order page through Midtrans (QRIS, a virtual account or GoPay).
        #[serde(default)]
        online: bool,
        /// The account to transfer to (`bank::payee`); None for a card payment, and then the
        /// mail names the configured account should it name one.
        #[serde(default)]
        bank: Option<super::bank::BankAccount>,
        expires_at: i64,
        zone: super::time::Zone,
        link: String,
    },
    /// To a unit's staff, when an order holds its products.
    NewOrder {
        code: String,
        lines: Vec<MailLine>,
        shipping: String,
    },
    /// To the buyer, when the payment arrived.
    OrderPaid {
        code: String,
        name: String,
        link: String,
    },
    /// To the buyer, when a parcel leaves.
    ParcelShipped {
        code: String,
        name: String,
        label: String,
        tracking: String,
        link: String,
        /// No parcel of the order is left to send.
        last: bool,
        /// The order is one parcel.
        only: bool,
    },
    /// To the buyer, when the payment was refunded.
    OrderRefunded { code: String, name: String },
    /// To a unit's staff, when an organizer decided on its booth application.
    FairDecision {
        event: String,
        /// `approved`, `waitlisted` or `rejected`.
        decision: String,
        /// The booth (approved) or the reason (rejected).
        note: String,
    },
    /// To a unit's staff, 60 and 14 days before a document expires.
    DocumentExpiring {
        kind: String,
        number: String,
        expires_on: String,
        days: i32,
    },
    /// To an account that asked to reset its password.
    PasswordReset { link: String },
    /// To the buyer who asked for the link to an order again (`/pesanan/cari`).
    OrderLink {
        code: String,
        name: String,
        link: String,
    },
    /// To someone an administrator invited to the back office: the link to choose a first
    /// password, good for seven days and once.
    Invitation {
        name: String,
        link: String,
        expires_at: i64,
        zone: super::time::Zone,
    },
}

impl MailEvent {
    /// The template folder under `templates/emails/`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::OrderReceived { .. } => "order_received",
            Self::NewOrder { .. } => "new_order",
            Self::OrderPaid { .. } => "order_paid",
            Self::ParcelShipped { .. } => "parcel_shipped",
            Self::OrderRefunded { .. } => "order_refunded",
            Self::FairDecision { .. } => "fair_decision",
            Self::DocumentExpiring { .. } => "document_expiring",
            Self::PasswordReset { .. } => "password_reset",
            Self::OrderLink { .. } => "order_link",
            Self::Invitation { .. } => "invitation",
        }
    }
}
