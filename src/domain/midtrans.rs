//! Midtrans (its Core API) apart from HTTP: the ways a buyer pays through it, what the buyer is
//! shown for each, the signature of its notifications, amounts as it writes them, and what each
//! transaction status means for a payment (the same rules as Stripe's webhook:
//! `models::payment::apply_webhook`).

use sha2::{Digest, Sha512};

use super::fair::BoothChargeStatus;
use super::payment::WebhookOutcome;

stored_as_text!(Channel);

/// A way to pay through Midtrans, as the buyer picks it on the order page
/// (`payments.channel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Any banking or e-wallet app scans the QR code.
    Qris,
    /// Bank virtual accounts: a number to transfer the exact amount to.
    Bca,
    Bni,
    Bri,
    Permata,
    /// Mandiri bill payment (`echannel`): a company code and a bill key.
    Mandiri,
    /// GoPay: the Gojek app, opened from a phone or scanning a QR code.
    Gopay,
}

impl Channel {
    /// In the order the page offers them.
    pub const ALL: [Channel; 7] = [
        Self::Qris,
        Self::Bca,
        Self::Bni,
        Self::Bri,
        Self::Mandiri,
        Self::Permata,
        Self::Gopay,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Qris => "qris",
            Self::Bca => "bca",
            Self::Bni => "bni",
            Self::Bri => "bri",
            Self::Permata => "permata",
            Self::Mandiri => "mandiri",
            Self::Gopay => "gopay",
        }
    }

    /// The channel of a form value or a stored code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_code(raw)
    }

    /// Its name as buyers know it (a brand: the same in both languages).
    pub fn label(self) -> &'static str {
        match self {
            Self::Qris => "QRIS",
            Self::Bca => "BCA Virtual Account",
            Self::Bni => "BNI Virtual Account",
            Self::Bri => "BRI Virtual Account",
            Self::Permata => "Permata Virtual Account",
            Self::Mandiri => "Mandiri Bill Payment",
            Self::Gopay => "GoPay",
        }
    }

    /// The Core API's `payment_type` of a charge through it.
    pub fn payment_type(self) -> &'static str {
        match self {
            Self::Qris => "qris",
            Self::Bca | Self::Bni | Self::Bri | Self::Permata => "bank_transfer",
            Self::Mandiri => "echannel",
            Self::Gopay => "gopay",
        }
    }

    /// The bank of a virtual account (`bank_transfer.bank`).
    pub fn bank(self) -> Option<&'static str> {
        match self {
            Self::Bca => Some("bca"),
            Self::Bni => Some("bni"),
            Self::Bri => Some("bri"),
            Self::Permata => Some("permata"),
            Self::Qris | Self::Mandiri | Self::Gopay => None,
        }
    }

    /// Whether Midtrans' Refund API takes its payments back (QRIS and GoPay). Virtual accounts
    /// and Mandiri bill payments are refunded by a bank transfer made by hand.
    pub fn refunds_through_api(self) -> bool {
        matches!(self, Self::Qris | Self::Gopay)
    }
}

/// What the buyer does to pay an open charge, as its answer gave it (kept as JSON in
/// `payments.details`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Instructions {
    /// Scan this QRIS payload (drawn as a QR code on the order page).
    Qr { qr_string: String },
    /// Transfer the exact amount to this virtual account number at `bank`.
    VirtualAccount { bank: String, number: String },
    /// Mandiri bill payment: the company (biller) code and the bill key.
    Bill {
        biller_code: String,
        bill_key: String,
    },
    /// GoPay: `deeplink` opens the Gojek app on a phone; `qr` is what a QR code elsewhere
    /// carries (the charge's QRIS payload when it has one, else the deeplink).
    Gopay { deeplink: String, qr: String },
}

impl Instructions {
    /// The kind as the order page names its texts (`order-online-pay-{kind}`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Qr { .. } => "qr",
            Self::VirtualAccount { .. } => "va",
            Self::Bill { .. } => "bill",
            Self::Gopay { .. } => "gopay",
        }
    }
}

/// The Midtrans payment of an unpaid order, as its page needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlinePayment {
    /// The charge open now, and what the buyer does with it; None before a channel is chosen
    /// (or once the last charge was closed).
    pub current: Option<(Channel, Instructions)>,
    /// Midtrans is configured (otherwise the page says the method is unavailable).
    pub available: bool,
    /// The last charge was refused (Midtrans' `deny`).
    pub failed: bool,
}

/// `signature_key` of a notification: SHA-512 of order id, status code, gross amount and the
/// server key, written one after the other, in lowercase hex (HTTP(S) Notification /
/// Webhooks, docs.midtrans.com).
pub fn signature(
    order_id: &str,
    status_code: &str,
    gross_amount: &str,
    server_key: &str,
) -> String {
    let mut hasher = Sha512::new();
    hasher.update(order_id.as_bytes());
    hasher.update(status_code.as_bytes());
    hasher.update(gross_amount.as_bytes());
    hasher.update(server_key.as_bytes());
    super::to_hex(&hasher.finalize()[..])
}

/// Whether `given` is the signature `expected` (compared in constant time, whatever `given`
/// holds; uppercase hex is taken too).
pub fn signature_matches(expected: &str, given: &str) -> bool {
    let given = given.trim().to_ascii_lowercase();
    !expected.is_empty()
        && expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// An amount as Midtrans writes it (`"125000.00"`) in hundredths of a rupiah, the unit the
/// shop compares payments in (`domain::payment::to_stripe_amount`); None when it is not one.
pub fn hundredths(gross_amount: &str) -> Option<i64> {
    let raw = gross_amount.trim();
    let (whole, cents) = match raw.split_once('.') {
        Some((whole, cents)) => (whole, cents),
        None => (raw, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(cents.is_empty() || (cents.len() <= 2 && digits(cents))) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = match cents.len() {
        0 => 0,
        1 => cents.parse::<i64>().ok()? * 10,
        _ => cents.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(cents)
}

/// Whole rupiah as Midtrans writes an amount: `125000.00`.
pub fn gross_amount(rupiah: i64) -> String {
    format!("{rupiah}.00")
}

/// Minutes a charge stays payable (`custom_expiry.expiry_duration`): until the order's payment
/// hold ends at `expires_at`, at least one.
pub fn expiry_minutes(expires_at: i64, now: i64) -> i64 {
    ((expires_at - now) / 60).max(1)
}

/// The reference of the `attempt`-th charge of an order (its `order_id` at Midtrans, which
/// never takes the same one twice): `ETL-7Q2KX8MA-1`, `ETL-7Q2KX8MA-2`, …
pub fn charge_reference(order_code: &str, attempt: i64) -> String {
    format!("{order_code}-{attempt}")
}

/// Whether `order_id` can name a charge of this shop at Midtrans (its characters: letters,
/// digits, `-`, `_`, `.` and `~`; at most 50): anything else is never put into an address.
pub fn plain_order_id(order_id: &str) -> bool {
    !order_id.is_empty()
        && order_id.len() <= 50
        && order_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        && order_id != "."
        && order_id != ".."
}

/// A transaction as Midtrans' status call tells it (Get Transaction Status), reduced to what
/// the shop reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Transaction {
    pub order_id: String,
    #[serde(default)]
    pub transaction_id: String,
    pub transaction_status: String,
    #[serde(default)]
    pub fraud_status: Option<String>,
    pub gross_amount: String,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub payment_type: String,
    #[serde(default)]
    pub refunds: Vec<RefundRecord>,
}

/// One refund of a transaction, as the status call lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct RefundRecord {
    #[serde(default)]
    pub refund_key: Option<String>,
    #[serde(default)]
    pub refund_chargeback_id: Option<i64>,
}

impl Transaction {
    /// The id under which this state is stored once (`webhook_events`): a notification sent
    /// again for the same state is a replay.
    pub fn event_id(&self) -> String {
        let id = if self.transaction_id.is_empty() {
            &self.order_id
        } else {
            &self.transaction_id
        };
        format!("midtrans:{id}:{}", self.transaction_status)
    }

    /// What this state means for the payment `order_id` names:
    /// - `settlement`, and `capture` unless held for review, are money received (amount and
    ///   currency are checked against the payment when it is applied);
    /// - `deny` and `failure` are a refusal (the buyer may choose again);
    /// - `cancel` and `expire` close the charge unpaid;
    /// - `refund` is a full refund;
    /// - `pending`, `authorize`, a held `capture` and `partial_refund` change nothing (the shop
    ///   refunds whole orders only).
    pub fn outcome(&self) -> WebhookOutcome {
        let reference = self.order_id.clone();
        match self.transaction_status.as_str() {
            "settlement" => self.received(reference),
            "capture" if self.fraud_status.as_deref().unwrap_or("accept") == "accept" => {
                self.received(reference)
            }
            "deny" | "failure" => WebhookOutcome::Failed {
                reference,
                message: Some(format!("midtrans: {}", self.transaction_status)),
            },
            "cancel" | "expire" => WebhookOutcome::Closed { reference },
            "refund" => {
                let refund = self
                    .refunds
                    .last()
                    .and_then(|r| {
                        r.refund_key
                            .clone()
                            .or_else(|| r.refund_chargeback_id.map(|id| id.to_string()))
                    })
                    .unwrap_or_else(|| format!("midtrans:{}", self.transaction_id));
                WebhookOutcome::Refunded { reference, refund }
            }
            _ => WebhookOutcome::Ignored,
        }
    }

    /// Money received: the amount in hundredths (an unreadable one never matches), the
    /// currency in lowercase (IDR when Midtrans leaves it out: it charges nothing else).
    fn received(&self, reference: String) -> WebhookOutcome {
        WebhookOutcome::Succeeded {
            reference,
            amount: hundredths(&self.gross_amount).unwrap_or(-1),
            currency: self
                .currency
                .as_deref()
                .unwrap_or("IDR")
                .to_ascii_lowercase(),
        }
    }
}

/// What a confirmed transaction state means for a dynamic QRIS charge at a fair booth
/// (`domain::fair::is_booth_reference`): the same reading as `Transaction::outcome`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoothChange {
    /// Money received: the amount in hundredths and the currency in lowercase (checked against
    /// the charge before the sale is recorded).
    Paid { amount: i64, currency: String },
    /// Over unpaid: expired, cancelled, or refused.
    Ended(BoothChargeStatus),
    /// Nothing to do (`pending`, a held `capture`, refunds: a booth sale is not refunded here).
    Nothing,
}

impl Transaction {
    /// What this state means for a booth charge.
    pub fn booth_change(&self) -> BoothChange {
        match self.outcome() {
            WebhookOutcome::Succeeded {
                amount, currency, ..
            } => BoothChange::Paid { amount, currency },
            WebhookOutcome::Failed { .. } => BoothChange::Ended(BoothChargeStatus::Failed),
            WebhookOutcome::Closed { .. } if self.transaction_status == "expire" => {
                BoothChange::Ended(BoothChargeStatus::Expired)
            }
            WebhookOutcome::Closed { .. } => BoothChange::Ended(BoothChargeStatus::Cancelled),
            WebhookOutcome::Refunded { .. } | WebhookOutcome::Ignored => BoothChange::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transaction(status: &str, gross: &str) -> Transaction {
        Transaction {
            order_id: "ETL-7Q2KX8MA-1".into(),
            transaction_id: "9aed5972-5b6a-401e-894b-a32c91ed1a3a".into(),
            transaction_status: status.into(),
            fraud_status: Some("accept".into()),
            gross_amount: gross.into(),
            currency: Some("IDR".into()),
            payment_type: "bank_transfer".into(),
            refunds: Vec::new(),
        }
    }

    #[test]
    fn the_signature_is_sha512_of_the_four_fields_and_is_checked_whole() {
        const KEY: &str = "SB-Mid-server-etalase";
        let sig = signature("ETL-7Q2KX8MA-1", "200", "125000.00", KEY);
        assert_eq!(sig.len(), 128);
        assert!(sig
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(sig, signature("ETL-7Q2KX8MA-1", "200", "125000.00", KEY));
        assert!(signature_matches(&sig, &sig));
        assert!(signature_matches(&sig, &sig.to_ascii_uppercase()));
        assert!(!signature_matches(&sig, &sig[..127]));
        assert!(!signature_matches(&sig, ""));
        let other_key = signature("ETL-7Q2KX8MA-1", "200", "125000.00", "another key");
        assert!(!signature_matches(&sig, &other_key));
        let other_amount = signature("ETL-7Q2KX8MA-1", "200", "12500.00", KEY);
        assert!(!signature_matches(&sig, &other_amount));
    }

    #[test]
    fn amounts_are_read_to_the_hundredth_and_nothing_else_passes() {
        assert_eq!(hundredths("125000.00"), Some(12_500_000));
        assert_eq!(hundredths("125000"), Some(12_500_000));
        assert_eq!(hundredths("125000.5"), Some(12_500_050));
        assert_eq!(hundredths("124999.99"), Some(12_499_999));
        for bad in ["", "12.345", "-5.00", "1e5", "12,00", " .00", "abc"] {
            assert_eq!(hundredths(bad), None, "{bad}");
        }
        assert_eq!(gross_amount(125_000), "125000.00");
        assert_eq!(hundredths(&gross_amount(125_000)), Some(125_000 * 100));
    }

    #[test]
    fn statuses_map_onto_what_the_shop_does() {
        assert_eq!(
            transaction("settlement", "125000.00").outcome(),
            WebhookOutcome::Succeeded {
                reference: "ETL-7Q2KX8MA-1".into(),
                amount: 12_500_000,
                currency: "idr".into()
            }
        );
        let mut held = transaction("capture", "125000.00");
        held.fraud_status = Some("challenge".into());
        assert_eq!(held.outcome(), WebhookOutcome::Ignored);
        assert!(matches!(
            transaction("deny", "125000.00").outcome(),
            WebhookOutcome::Failed { .. }
        ));
        for closed in ["cancel", "expire"] {
            assert!(matches!(
                transaction(closed, "125000.00").outcome(),
                WebhookOutcome::Closed { .. }
            ));
        }
        for nothing in ["pending", "partial_refund", "authorize"] {
            assert_eq!(
                transaction(nothing, "125000.00").outcome(),
                WebhookOutcome::Ignored
            );
        }
        let mut refunded = transaction("refund", "125000.00");
        refunded.refunds = vec![RefundRecord {
            refund_key: Some("etalase-refund-ETL-7Q2KX8MA".into()),
            refund_chargeback_id: Some(1),
        }];
        assert_eq!(
            refunded.outcome(),
            WebhookOutcome::Refunded {
                reference: "ETL-7Q2KX8MA-1".into(),
                refund: "etalase-refund-ETL-7Q2KX8MA".into()
            }
        );
        assert_eq!(
            refunded.event_id(),
            "midtrans:9aed5972-5b6a-401e-894b-a32c91ed1a3a:refund"
        );
        // An amount Midtrans wrote oddly never passes for the order's.
        assert!(matches!(
            transaction("settlement", "oops").outcome(),
            WebhookOutcome::Succeeded { amount: -1, .. }
        ));
    }

    #[test]
    fn a_booth_charge_is_paid_by_settlement_and_ended_by_expiry_cancellation_or_refusal() {
        assert_eq!(
            transaction("settlement", "25000.00").booth_change(),
            BoothChange::Paid {
                amount: 2_500_000,
                currency: "idr".into()
            }
        );
        assert_eq!(
            transaction("expire", "25000.00").booth_change(),
            BoothChange::Ended(BoothChargeStatus::Expired)
        );
        assert_eq!(
            transaction("cancel", "25000.00").booth_change(),
            BoothChange::Ended(BoothChargeStatus::Cancelled)
        );
        assert_eq!(
            transaction("deny", "25000.00").booth_change(),
            BoothChange::Ended(BoothChargeStatus::Failed)
        );
        for nothing in ["pending", "refund", "partial_refund"] {
            assert_eq!(
                transaction(nothing, "25000.00").booth_change(),
                BoothChange::Nothing
            );
        }
    }

    #[test]
    fn channels_round_trip_and_know_how_they_are_charged_and_refunded() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::parse("ovo"), None);
        assert_eq!(Channel::Permata.payment_type(), "bank_transfer");
        assert_eq!(Channel::Permata.bank(), Some("permata"));
        assert_eq!(Channel::Mandiri.payment_type(), "echannel");
        assert!(Channel::Qris.refunds_through_api() && Channel::Gopay.refunds_through_api());
        assert!(!Channel::Bca.refunds_through_api() && !Channel::Mandiri.refunds_through_api());
        assert_eq!(charge_reference("ETL-7Q2KX8MA", 2), "ETL-7Q2KX8MA-2");
        assert_eq!(expiry_minutes(1_000 + 24 * 3600, 1_000), 24 * 60);
        assert_eq!(expiry_minutes(1_000, 2_000), 1);
        assert!(plain_order_id("ETL-7Q2KX8MA-1"));
        let long = "x".repeat(51);
        for bad in ["", "..", "a/b", "a?b", "a b", long.as_str()] {
            assert!(!plain_order_id(bad), "{bad}");
        }
    }

    #[test]
    fn instructions_keep_their_kind_in_json() {
        let va = Instructions::VirtualAccount {
            bank: "bca".into(),
            number: "12345678901".into(),
        };
        let json = serde_json::to_string(&va).unwrap();
        assert!(json.contains("\"kind\":\"virtual_account\""), "{json}");
        assert_eq!(serde_json::from_str::<Instructions>(&json).unwrap(), va);
        assert_eq!(va.kind(), "va");
    }
}
