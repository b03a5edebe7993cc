//! Checkout rules: order states, chargeable weight, the shipping rate table, and the buyer's
//! contact details (Indonesian WhatsApp numbers, postal codes).

use serde::Serialize;

stored_as_text!(OrderStatus, ShipmentStatus, ParcelTab);

/// Order workflow. Transitions not listed in `can_become` are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Refunded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending_payment",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_code(raw)
    }

    pub fn can_become(self, next: Self) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (PendingPayment, Paid)
                | (PendingPayment, Cancelled)
                | (Paid, Processing)
                | (Paid, Refunded)
                | (Processing, Shipped)
                | (Processing, Refunded)
                | (Shipped, Delivered)
                | (Delivered, Refunded)
        )
    }

    /// Whether the buyer still has to pay (and may cancel).
    pub fn awaits_payment(self) -> bool {
        self == Self::PendingPayment
    }

    /// Whether the buyer may say the order arrived.
    pub fn awaits_delivery(self) -> bool {
        self == Self::Shipped
    }

    /// Whether the order still holds stock that must come back when it ends unpaid.
    pub fn holds_reservation(self) -> bool {
        self == Self::PendingPayment
    }

    /// Whether the order's pieces count as sold: paid, and neither cancelled (or expired
    /// unpaid, which cancels it) nor refunded.
    pub fn counts_as_sold(self) -> bool {
        matches!(
            self,
            Self::Paid | Self::Processing | Self::Shipped | Self::Delivered
        )
    }
}

/// Where one parcel of an order stands (`shipments.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentStatus {
    WaitingPayment,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
}

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 5] = [
        Self::WaitingPayment,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::WaitingPayment => "waiting_payment",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_code(raw)
    }

    /// Whether the unit may ship it now (paid, being prepared).
    pub fn can_ship(self) -> bool {
        self == Self::Processing
    }

    /// Whether the parcel has left the unit.
    pub fn has_left(self) -> bool {
        matches!(self, Self::Shipped | Self::Delivered)
    }
}

impl OrderStatus {
    /// The message key of the order's state as the buyer reads it: an order being prepared
    /// whose parcels have partly left is "partly shipped" until every parcel has left.
    pub fn summary_key(self, shipments: &[ShipmentStatus]) -> &'static str {
        let left = shipments.iter().filter(|s| s.has_left()).count();
        if matches!(self, Self::Paid | Self::Processing) && left > 0 && left < shipments.len() {
            return "order-status-partly_shipped";
        }
        match self {
            Self::PendingPayment => "order-status-pending_payment",
            Self::Paid => "order-status-paid",
            Self::Processing => "order-status-processing",
            Self::Shipped => "order-status-shipped",
            Self::Delivered => "order-status-delivered",
            Self::Cancelled => "order-status-cancelled",
            Self::Refunded => "order-status-refunded",
        }
    }
}

/// A message the cart page shows after a change or when checkout sends the buyer back
/// (`/keranjang?pesan=…`). Only these keys are shown; anything else in the address is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CartNotice {
    Added,
    Updated,
    BadQuantity,
    NotForSale,
    SoldOut,
    Capped,
    Empty,
    /// Checkout found the cart changed (in another tab, or stock ran out) before the order.
    CheckoutCartChanged,
    /// The buyer would hold more of a product in unpaid orders than allowed.
    TooManyUnpaid,
    /// The product waits for the legal documents its kind needs (`domain::legal`).
    AwaitingLegal,
}

impl CartNotice {
    pub const ALL: [CartNotice; 10] = [
        Self::Added,
        Self::Updated,
        Self::BadQuantity,
        Self::NotForSale,
        Self::SoldOut,
        Self::Capped,
        Self::Empty,
        Self::CheckoutCartChanged,
        Self::TooManyUnpaid,
        Self::AwaitingLegal,
    ];

    /// The message key, also the value of `pesan` in the address.
    pub fn key(self) -> &'static str {
        match self {
            Self::Added => "cart-added",
            Self::Updated => "cart-updated",
            Self::BadQuantity => "cart-bad-quantity",
            Self::NotForSale => "cart-not-for-sale",
            Self::SoldOut => "cart-sold-out",
            Self::Capped => "cart-capped",
            Self::Empty => "cart-empty",
            Self::CheckoutCartChanged => "checkout-cart-changed",
            Self::TooManyUnpaid => "cart-too-many-unpaid",
            Self::AwaitingLegal => "cart-awaiting-legal",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.key() == raw)
    }

    /// Where to send the buyer to read it.
    pub fn cart_url(self) -> String {
        format!("/keranjang?pesan={}", self.key())
    }
}

/// The weight a courier charges for, in whole kilograms: the larger of the actual weight and
/// the volume weight (L×W×H/6000), rounded up per kilogram only beyond a 0.3 kg tolerance,
/// and at least 1 kg.
/// Saturates instead of overflowing, whatever the numbers.
pub fn chargeable_kg(actual_g: i64, length_cm: i64, width_cm: i64, height_cm: i64) -> i64 {
    let volume_g = volume_grams(length_cm, width_cm, height_cm);
    let grams = actual_g.max(volume_g).max(0);
    let whole = grams / 1000;
    let rest = grams % 1000;
    let kg = if rest > 300 { whole + 1 } else { whole };
    kg.max(1)
}

/// The islands a shipping price depends on.
pub fn region_of(island_group: &str) -> usize {
    match island_group {
        "Sumatera" => 0,
        "Jawa" => 1,
        "Bali dan Nusa Tenggara" => 2,
        "Kalimantan" => 3,
        "Sulawesi" => 4,
        "Maluku" => 5,
        _ => 6, // Papua
    }
}

/// Rupiah per kilogram for the regular service, by origin and destination region.
const REGULAR_PER_KG: [[i64; 7]; 7] = [
    // Sum     Jawa    BaliNT  Kalim   Sulaw   Maluku  Papua
    [12_000, 18_000, 26_000, 28_000, 32_000, 45_000, 60_000], // Sumatera
    [18_000, 9_000, 18_000, 24_000, 28_000, 40_000, 55_000],  // Jawa
    [26_000, 18_000, 14_000, 30_000, 28_000, 42_000, 55_000], // Bali dan Nusa Tenggara
    [28_000, 24_000, 30_000, 15_000, 26_000, 40_000, 52_000], // Kalimantan
    [32_000, 28_000, 28_000, 26_000, 14_000, 30_000, 45_000], // Sulawesi
    [45_000, 40_000, 42_000, 40_000, 30_000, 20_000, 35_000], // Maluku
    [60_000, 55_000, 55_000, 52_000, 45_000, 35_000, 22_000], // Papua
];

/// A way to send one shipment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShippingOption {
    pub code: String,
    pub label: String,
    pub fee: i64,
    pub days: String,
}

/// The couriers offered: (code, name, price factor in percent, extra days).
const SERVICES: [(&str, &str, i64, u32); 3] = [
    ("pos-reguler", "POS Indonesia Reguler", 90, 2),
    ("jne-reg", "JNE REG", 100, 0),
    ("jne-yes", "JNE YES (esok sampai)", 180, 0),
];

/// Options for a shipment of `kg` from one region to another, cheapest first, plus pickup at
/// the unit (free).
pub fn shipping_options(origin: usize, destination: usize, kg: i64) -> Vec<ShippingOption> {
    let per_kg = REGULAR_PER_KG[origin.min(6)][destination.min(6)];
    let base_days: u32 = if origin == destination { 2 } else { 3 }
        + u32::from(origin.abs_diff(destination) >= 3) * 2;
    let mut options: Vec<ShippingOption> = SERVICES
        .iter()
        .filter(|(code, ..)| {
            *code != "jne-yes" || origin == destination || origin.abs_diff(destination) == 1
        })
        .map(|(code, name, factor, extra)| {
            let fee = (per_kg * kg * factor / 100 + 499) / 500 * 500;
            let days = if *code == "jne-yes" {
                "1".to_string()
            } else {
                format!("{}–{}", base_days + extra, base_days + extra + 2)
            };
            ShippingOption {
                code: code.to_string(),
                label: name.to_string(),
                fee,
                days,
            }
        })
        .collect();
    options.sort_by_key(|o| o.fee);
    options.push(ShippingOption {
        code: PICKUP.into(),
        label: "Ambil di unit".into(),
        fee: 0,
        days: "0".into(),
    });
    options
}

/// The shipping option of picking the parcel up at the unit (free, no courier).
pub const PICKUP: &str = "ambil";

/// What a product page says about sending one parcel of `kg` from region `origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShippingHint {
    /// The lowest fee of any courier service to any region: what "shipping from Rp…" means.
    pub lowest_fee: i64,
    /// Whether the buyer may also pick the parcel up at the unit.
    pub pickup: bool,
}

/// The shipping hint of a parcel of `kg` from region `origin`, from the same options checkout
/// offers for every destination region.
pub fn shipping_hint(origin: usize, kg: i64) -> ShippingHint {
    let options: Vec<ShippingOption> = (0..REGULAR_PER_KG.len())
        .flat_map(|destination| shipping_options(origin, destination, kg))
        .collect();
    ShippingHint {
        lowest_fee: options
            .iter()
            .filter(|o| o.code != PICKUP)
            .map(|o| o.fee)
            .min()
            .unwrap_or(0),
        pickup: options.iter().any(|o| o.code == PICKUP),
    }
}

#[cfg(test)]
mod shipping_hint_tests {
    use super::*;

    #[test]
    fn shipping_from_is_the_cheapest_courier_fee_to_anywhere_and_pickup_is_offered() {
        // Jawa to Jawa, 1 kg, POS Reguler at 90 % of Rp9.000, rounded up to Rp500.
        let hint = shipping_hint(1, 1);
        assert_eq!(hint.lowest_fee, 8_500);
        assert!(hint.pickup);
        for origin in 0..7 {
            for kg in [1, 3, 12] {
                let hint = shipping_hint(origin, kg);
                for destination in 0..7 {
                    for option in shipping_options(origin, destination, kg) {
                        if option.code != PICKUP {
                            assert!(hint.lowest_fee <= option.fee, "{origin} {kg} {option:?}");
                        }
                    }
                }
                assert!(hint.lowest_fee > 0);
            }
        }
    }

    #[test]
    fn only_paid_orders_that_were_not_refunded_count_as_sold() {
        use OrderStatus::*;
        let sold: Vec<OrderStatus> = OrderStatus::ALL
            .into_iter()
            .filter(|s| s.counts_as_sold())
            .collect();
        assert_eq!(sold, vec![Paid, Processing, Shipped, Delivered]);
    }
}

/// A WhatsApp number in Indonesia, normalized to `+62…`: 08…, 628… or +628…, 10 to 13 digits
/// after the leading 0.
/// Text that has passed its check: made only by `parse`, read back from JSON through the same
/// check, written as the plain text.
macro_rules! checked_text {
    ($(#[$doc:meta])* $name:ident, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The checked value, or None when `raw` does not pass.
            pub fn parse(raw: &str) -> Option<Self> {
                $check(raw).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                Self::parse(&raw).ok_or_else(|| format!(concat!("not ", stringify!($name), ": {}"), raw))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

checked_text!(
    /// An email address a mail server will take (`domain::email_address`).
    Email,
    super::email_address
);
checked_text!(
    /// An Indonesian WhatsApp number, as `62…` digits (`whatsapp_number`).
    WhatsAppNumber,
    whatsapp_number
);
checked_text!(
    /// A five-digit Indonesian postal code (`postal_code`).
    PostalCode,
    postal_code
);

pub fn whatsapp_number(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')'))
        .collect();
    let rest = digits
        .strip_prefix("+62")
        .or_else(|| digits.strip_prefix("62"))
        .or_else(|| digits.strip_prefix('0'))?;
    let ok = rest.starts_with('8')
        && rest.chars().all(|c| c.is_ascii_digit())
        && (9..=12).contains(&rest.len());
    ok.then(|| format!("+62{rest}"))
}

pub fn postal_code(raw: &str) -> Option<String> {
    let code = raw.trim();
    (code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()) && !code.starts_with('0'))
        .then(|| code.to_string())
}

/// How many of a product a buyer asks for in the cart: a whole number from 0 (take it out)
/// to 10,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(i32);

impl Quantity {
    pub const MAX: i32 = 10_000;

    /// A quantity as typed in a form; `None` when it is not a whole number in range.
    pub fn parse(raw: &str) -> Option<Self> {
        raw.trim()
            .parse::<i32>()
            .ok()
            .filter(|q| (0..=Self::MAX).contains(q))
            .map(Self)
    }

    pub fn get(self) -> i32 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

/// A courier's tracking number as typed: its letters, digits and `-` (at most 40 of them);
/// `None` when fewer than five are left.
pub fn tracking_number(raw: &str) -> Option<String> {
    let kept: String = raw
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(40)
        .collect();
    (kept.len() >= 5).then_some(kept)
}

/// `text` as one value of a URL's query (`application/x-www-form-urlencoded`, the encoding
/// the shop's other links use): nothing in it can end the value or add a parameter.
fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A courier that carries the shop's parcels, known from the first part of a shipping option
/// code (`jne-reg`, `jne-yes` → JNE; `pos-reguler` → POS Indonesia) or chosen by the unit when
/// it marks a parcel shipped (`Courier::LISTED`, stored by `code` in `shipments.courier`).
/// A shipping option of a courier the shop does not know is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Courier {
    Jne,
    Pos,
    Jnt,
    SiCepat,
    AnterAja,
    LionParcel,
    NinjaXpress,
    IdExpress,
    Other,
}

impl Courier {
    /// The couriers a unit may hand a parcel to, in the order the "mark shipped" form lists
    /// them.
    pub const LISTED: [Courier; 8] = [
        Self::Jne,
        Self::Jnt,
        Self::SiCepat,
        Self::Pos,
        Self::AnterAja,
        Self::LionParcel,
        Self::NinjaXpress,
        Self::IdExpress,
    ];

    /// The code stored in `shipments.courier` and sent by the form.
    pub fn code(self) -> &'static str {
        match self {
            Self::Jne => "jne",
            Self::Pos => "pos",
            Self::Jnt => "jnt",
            Self::SiCepat => "sicepat",
            Self::AnterAja => "anteraja",
            Self::LionParcel => "lion",
            Self::NinjaXpress => "ninja",
            Self::IdExpress => "idexpress",
            Self::Other => "other",
        }
    }

    /// The courier's own name (the same in every language).
    pub fn label(self) -> &'static str {
        match self {
            Self::Jne => "JNE",
            Self::Pos => "Pos Indonesia",
            Self::Jnt => "J&T Express",
            Self::SiCepat => "SiCepat",
            Self::AnterAja => "AnterAja",
            Self::LionParcel => "Lion Parcel",
            Self::NinjaXpress => "Ninja Xpress",
            Self::IdExpress => "ID Express",
            Self::Other => "—",
        }
    }

    /// One of the listed couriers by its code; None for anything else (`other` included).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::LISTED.into_iter().find(|c| c.code() == code)
    }

    /// The courier of shipping option `code`; None for pickup at the unit (`ambil`), which no
    /// courier carries.
    pub fn of_service(code: &str) -> Option<Self> {
        let name = code
            .trim()
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        Some(match name.as_str() {
            PICKUP | "" => return None,
            "jne" => Self::Jne,
            "pos" => Self::Pos,
            "jnt" | "j&t" => Self::Jnt,
            "sicepat" => Self::SiCepat,
            "anteraja" => Self::AnterAja,
            "lion" => Self::LionParcel,
            "ninja" => Self::NinjaXpress,
            "ide" | "idexpress" => Self::IdExpress,
            _ => Self::Other,
        })
    }

    /// The public page that follows parcel `number` (URL-encoded). JNE has its own tracking
    /// page that takes the number in the address; the others are looked up on cekresi.com,
    /// which reads the courier from the number.
    pub fn tracking_url(self, number: &str) -> String {
        let number = query_value(number.trim());
        match self {
            Self::Jne => format!("https://www.jne.co.id/tracking-package?awb={number}"),
            Self::Pos
            | Self::Jnt
            | Self::SiCepat
            | Self::AnterAja
            | Self::LionParcel
            | Self::NinjaXpress
            | Self::IdExpress
            | Self::Other => format!("https://cekresi.com/?noresi={number}"),
        }
    }

    /// Whether `number` (letters and digits only, upper case, dashes already taken out) has
    /// the shape of this courier's tracking numbers (air waybills). Lenient where couriers
    /// vary: the point is to catch a number typed for another courier or cut short.
    fn fits(self, number: &str) -> bool {
        let len = number.len();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let starts_with_letter = number
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic());
        match self {
            // CGK1234567890, 0123456789012345: 10 to 16 letters and digits.
            Self::Jne => (10..=16).contains(&len),
            // JP1234567890 (also JD…, JX…): J, a letter, then 10 to 13 digits.
            Self::Jnt => {
                let bytes = number.as_bytes();
                len >= 12
                    && bytes[0] == b'J'
                    && bytes[1].is_ascii_alphabetic()
                    && digits(&number[2..])
                    && (10..=13).contains(&(len - 2))
            }
            // 000123456789: 12 digits.
            Self::SiCepat => len == 12 && digits(number),
            // RR123456789ID, P2412000123456: starts with a letter, 10 to 20 characters.
            Self::Pos => starts_with_letter && (10..=20).contains(&len),
            // 10001234567890: digits starting with 1, 10 to 16 of them.
            Self::AnterAja => number.starts_with('1') && digits(number) && (10..=16).contains(&len),
            Self::LionParcel | Self::IdExpress => (10..=20).contains(&len),
            Self::NinjaXpress => (10..=25).contains(&len),
            Self::Other => (8..=40).contains(&len),
        }
    }
}

/// A tracking number typed for a parcel handed to `courier`: trimmed and in upper case, when
/// it is letters and digits (dashes allowed between them, as some couriers print them), at
/// least 8 of them, and of the courier's shape (`Courier::fits`); `None` for anything else
/// (spaces inside, other signs, too short, another courier's number).
pub fn tracking_for(courier: Courier, raw: &str) -> Option<String> {
    let typed = raw.trim().to_ascii_uppercase();
    let clean = !typed.is_empty()
        && typed.len() <= 40
        && typed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !typed.starts_with('-')
        && !typed.ends_with('-')
        && !typed.contains("--");
    if !clean {
        return None;
    }
    let compact: String = typed.chars().filter(|c| *c != '-').collect();
    (compact.len() >= 8 && courier.fits(&compact)).then_some(typed)
}

/// Where the buyer follows a parcel sent with shipping option `service` under tracking number
/// `number`; None for a parcel picked up at the unit or without a number.
pub fn tracking_url(service: &str, number: &str) -> Option<String> {
    if number.trim().is_empty() {
        return None;
    }
    Courier::of_service(service).map(|c| c.tracking_url(number))
}

/// Where the buyer follows a parcel under tracking number `number`: on the page of the courier
/// the unit handed it to (`courier`, a `Courier::code` from `shipments.courier`), else of the
/// courier of shipping option `service` (`tracking_url`).
pub fn parcel_tracking_url(courier: Option<&str>, service: &str, number: &str) -> Option<String> {
    if number.trim().is_empty() {
        return None;
    }
    match courier.and_then(Courier::parse) {
        Some(chosen) => Some(chosen.tracking_url(number)),
        None => tracking_url(service, number),
    }
}

/// Whether shipping option `service` is pickup at the unit (no courier, a pickup code).
pub fn is_pickup(service: &str) -> bool {
    service.trim() == PICKUP
}

/// A pickup code as the buyer reads it out or the staff type it: six digits (spaces and
/// dashes between them ignored); `None` otherwise.
pub fn pickup_code(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Whether `typed` is the pickup code `stored` (compared in constant time).
pub fn pickup_code_matches(stored: &str, typed: &str) -> bool {
    let Some(typed) = pickup_code(typed) else {
        return false;
    };
    stored.len() == typed.len()
        && stored
            .bytes()
            .zip(typed.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// The tabs of a unit's orders page (`/kelola/pesanan?status=…`): where a parcel stands for
/// the staff who prepare it. A paid parcel is "to pack" until the staff mark it ready (packed
/// and waiting for the courier, or, for pickup, for the buyer), then "ready".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParcelTab {
    ToPack,
    Ready,
    Sent,
    Done,
    Cancelled,
    Unpaid,
}

impl ParcelTab {
    pub const ALL: [ParcelTab; 6] = [
        Self::ToPack,
        Self::Ready,
        Self::Sent,
        Self::Done,
        Self::Cancelled,
        Self::Unpaid,
    ];

    /// The value of `status` in the page's address (also the end of its message key).
    pub fn code(self) -> &'static str {
        match self {
            Self::ToPack => "perlu-dikemas",
            Self::Ready => "siap-dikirim",
            Self::Sent => "dikirim",
            Self::Done => "selesai",
            Self::Cancelled => "dibatalkan",
            Self::Unpaid => "belum-dibayar",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_code(raw.trim())
    }

    /// The parcels' state in this tab.
    pub fn status(self) -> ShipmentStatus {
        match self {
            Self::ToPack | Self::Ready => ShipmentStatus::Processing,
            Self::Sent => ShipmentStatus::Shipped,
            Self::Done => ShipmentStatus::Delivered,
            Self::Cancelled => ShipmentStatus::Cancelled,
            Self::Unpaid => ShipmentStatus::WaitingPayment,
        }
    }

    /// Some(true) for packed parcels only, Some(false) for unpacked ones, None for either.
    pub fn packed(self) -> Option<bool> {
        match self {
            Self::ToPack => Some(false),
            Self::Ready => Some(true),
            _ => None,
        }
    }

    /// The tab of a parcel in state `status`, `packed` or not.
    pub fn of(status: ShipmentStatus, packed: bool) -> Self {
        match status {
            ShipmentStatus::Processing if packed => Self::Ready,
            ShipmentStatus::Processing => Self::ToPack,
            ShipmentStatus::Shipped => Self::Sent,
            ShipmentStatus::Delivered => Self::Done,
            ShipmentStatus::Cancelled => Self::Cancelled,
            ShipmentStatus::WaitingPayment => Self::Unpaid,
        }
    }
}

#[cfg(test)]
mod unit_orders_tests {
    use super::*;

    #[test]
    fn a_tracking_number_must_have_its_couriers_shape() {
        use Courier::*;
        assert_eq!(
            tracking_for(Jne, " cgk1234567890 ").as_deref(),
            Some("CGK1234567890")
        );
        assert_eq!(
            tracking_for(Jne, "JNE-0012345678").as_deref(),
            Some("JNE-0012345678"),
            "dashes between the characters are kept"
        );
        assert_eq!(tracking_for(Jne, "CGK12345"), None, "too short for JNE");
        assert_eq!(tracking_for(Jne, &"1".repeat(17)), None, "too long for JNE");
        assert!(tracking_for(Jnt, "JP1234567890").is_some());
        assert!(tracking_for(Jnt, "jd0012345678").is_some());
        assert_eq!(tracking_for(Jnt, "JNE0000000001"), None);
        assert_eq!(tracking_for(Jnt, "1234567890123"), None);
        assert!(tracking_for(SiCepat, "000123456789").is_some());
        assert_eq!(tracking_for(SiCepat, "00012345678"), None, "11 digits");
        assert_eq!(tracking_for(SiCepat, "JNE0000000001"), None);
        assert!(tracking_for(Pos, "RR123456789ID").is_some());
        assert!(tracking_for(Pos, "P2412000123456").is_some());
        assert_eq!(
            tracking_for(Pos, "1234567890123"),
            None,
            "starts with a letter"
        );
        assert!(tracking_for(AnterAja, "10001234567890").is_some());
        assert_eq!(tracking_for(AnterAja, "20001234567890"), None);
        assert_eq!(tracking_for(AnterAja, "1000ABC4567890"), None);
        assert!(tracking_for(LionParcel, "11LP1677123456").is_some());
        assert!(tracking_for(NinjaXpress, "NLIDAP1234567890").is_some());
        assert!(tracking_for(IdExpress, "IDE701234567890").is_some());
        for courier in Courier::LISTED {
            for garbage in [
                "",
                "   ",
                "1234567",
                "JP 1234567890",
                "CGK/1234567890",
                "-CGK1234567890",
                "CGK--1234567890",
                "<script>12345",
            ] {
                assert_eq!(
                    tracking_for(courier, garbage),
                    None,
                    "{courier:?} {garbage:?}"
                );
            }
        }
    }

    #[test]
    fn the_listed_couriers_are_read_back_from_their_codes() {
        for courier in Courier::LISTED {
            assert_eq!(Courier::parse(courier.code()), Some(courier));
            assert!(!courier.label().is_empty());
        }
        assert_eq!(Courier::parse("other"), None);
        assert_eq!(Courier::parse("kapal"), None);
        assert_eq!(Courier::of_service("anteraja-reg"), Some(Courier::AnterAja));
        assert_eq!(
            Courier::of_service("lion-regpack"),
            Some(Courier::LionParcel)
        );
    }

    #[test]
    fn the_buyers_tracking_link_follows_the_courier_the_unit_chose() {
        assert_eq!(
            parcel_tracking_url(Some("jnt"), "jne-reg", "JP1234567890").as_deref(),
            Some("https://cekresi.com/?noresi=JP1234567890")
        );
        assert_eq!(
            parcel_tracking_url(Some("jne"), "pos-reguler", "CGK1234567890").as_deref(),
            Some("https://www.jne.co.id/tracking-package?awb=CGK1234567890")
        );
        assert_eq!(
            parcel_tracking_url(None, "jne-reg", "CGK1234567890").as_deref(),
            Some("https://www.jne.co.id/tracking-package?awb=CGK1234567890"),
            "without a chosen courier, the service's"
        );
        assert_eq!(parcel_tracking_url(Some("jne"), "jne-reg", " "), None);
    }

    #[test]
    fn a_pickup_code_is_six_digits_and_must_match() {
        assert_eq!(pickup_code(" 012 345 ").as_deref(), Some("012345"));
        assert_eq!(pickup_code("12345"), None);
        assert_eq!(pickup_code("12345a"), None);
        assert!(pickup_code_matches("012345", "012-345"));
        assert!(!pickup_code_matches("012345", "012346"));
        assert!(!pickup_code_matches("012345", ""));
        assert!(is_pickup(" ambil ") && !is_pickup("jne-reg"));
    }

    #[test]
    fn every_parcel_state_has_one_tab_and_the_tabs_read_back_from_the_address() {
        for tab in ParcelTab::ALL {
            assert_eq!(ParcelTab::parse(tab.code()), Some(tab));
            let packed = tab.packed().unwrap_or(false);
            assert_eq!(ParcelTab::of(tab.status(), packed), tab);
        }
        assert_eq!(ParcelTab::parse("paid"), None);
        assert_eq!(
            ParcelTab::of(ShipmentStatus::Processing, false),
            ParcelTab::ToPack
        );
        assert_eq!(
            ParcelTab::of(ShipmentStatus::Processing, true),
            ParcelTab::Ready
        );
    }
}

/// A `wa.me` link that opens a WhatsApp chat with `phone` with `text` already typed; None
/// unless `phone` is an Indonesian mobile number (`whatsapp_number`: 08…, 628…, +62 8…, with
/// spaces, dashes, dots or brackets): a landline has no WhatsApp. wa.me takes the number as
/// digits with the country code and no `+`.
pub fn whatsapp_chat_url(phone: &str, text: &str) -> Option<String> {
    let number = whatsapp_number(phone.trim())?;
    let digits = number.trim_start_matches('+');
    Some(format!("https://wa.me/{digits}?text={}", query_value(text)))
}

/// The amount on a bank statement as typed (`Rp 125.123` or `125123`): whole rupiah from 1 to
/// 10 billion; `None` otherwise.
pub fn transfer_amount(raw: &str) -> Option<i64> {
    let typed = raw.trim().trim_start_matches("Rp").trim();
    super::whole_number(typed, 1, 10_000_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_order_link_is_asked_for_with_the_order_number_and_its_email_or_whatsapp_number() {
        let form = |code: &str, contact: &str| OrderLookupForm {
            code: code.into(),
            contact: contact.into(),
        };
        let (code, contact) = form(" etl-7q2k abcd ", "Siti@Contoh.id")
            .validate()
            .unwrap();
        assert_eq!(code, "ETL-7Q2KABCD");
        assert!(matches!(contact, OrderContact::Email(_)));
        let (code, contact) = form("7Q2KABCD", "0812-3456-7890").validate().unwrap();
        assert_eq!(code, "ETL-7Q2KABCD");
        assert!(matches!(contact, OrderContact::Phone(_)));
        let errors = form("ETL-12", "bukan").validate().unwrap_err();
        assert_eq!(errors.get("code"), Some(&"lookup-error-code"));
        assert_eq!(errors.get("contact"), Some(&"lookup-error-contact"));
    }

    #[test]
    fn a_tracking_number_keeps_letters_digits_and_dashes_and_needs_five_of_them() {
        assert_eq!(
            tracking_number(" JNE-0012 345 ").as_deref(),
            Some("JNE-0012345")
        );
        assert_eq!(tracking_number("AB/1<>"), None);
        assert_eq!(tracking_number(&"X".repeat(50)).map(|t| t.len()), Some(40));
    }

    #[test]
    fn a_tracking_number_links_to_its_couriers_page_and_pickup_has_none() {
        assert_eq!(
            tracking_url("jne-reg", "JNE0000000001").as_deref(),
            Some("https://www.jne.co.id/tracking-package?awb=JNE0000000001")
        );
        assert_eq!(
            tracking_url("jne-yes", " CGK-12 34 ").as_deref(),
            Some("https://www.jne.co.id/tracking-package?awb=CGK-12+34"),
            "trimmed and URL-encoded"
        );
        assert_eq!(
            tracking_url("pos-reguler", "P2412000123").as_deref(),
            Some("https://cekresi.com/?noresi=P2412000123")
        );
        assert_eq!(
            tracking_url("jnt-ez", "JD0012&x=1").as_deref(),
            Some("https://cekresi.com/?noresi=JD0012%26x%3D1"),
            "nothing of the number can add a parameter"
        );
        assert_eq!(Courier::of_service("JNE-REG"), Some(Courier::Jne));
        assert_eq!(Courier::of_service("pos-reguler"), Some(Courier::Pos));
        assert_eq!(Courier::of_service("sicepat-reg"), Some(Courier::SiCepat));
        assert_eq!(Courier::of_service("kapal-api"), Some(Courier::Other));
        assert_eq!(Courier::of_service("ambil"), None, "picked up at the unit");
        assert_eq!(tracking_url("ambil", "AMBIL-001"), None);
        assert_eq!(tracking_url("jne-reg", "  "), None);
        // Every courier the shop offers has a page.
        for option in shipping_options(1, 1, 1) {
            let url = tracking_url(&option.code, "ABC12345");
            assert_eq!(url.is_none(), option.code == PICKUP, "{}", option.code);
        }
    }

    #[test]
    fn a_units_mobile_number_becomes_a_whatsapp_link_with_the_message_encoded() {
        assert_eq!(
            whatsapp_chat_url("+62 812-3456 7890", "Pesanan ETL-7Q2KABCD, paket JNE REG")
                .as_deref(),
            Some("https://wa.me/6281234567890?text=Pesanan+ETL-7Q2KABCD%2C+paket+JNE+REG")
        );
        assert_eq!(
            whatsapp_chat_url("0812.3456.789", "a&b=c?").as_deref(),
            Some("https://wa.me/628123456789?text=a%26b%3Dc%3F")
        );
        assert_eq!(
            whatsapp_chat_url("(0812) 3456 7890", "é").as_deref(),
            Some("https://wa.me/6281234567890?text=%C3%A9"),
            "UTF-8, byte by byte"
        );
        assert_eq!(whatsapp_chat_url("(021) 555-0101", "x"), None, "a landline");
        assert_eq!(whatsapp_chat_url("", "x"), None);
        assert_eq!(whatsapp_chat_url("+1 415 555 0101", "x"), None);
        assert_eq!(query_value("a b/+%"), "a+b%2F%2B%25");
    }

    #[test]
    fn a_transfer_amount_reads_whole_rupiah_with_or_without_its_prefix_and_dots() {
        assert_eq!(transfer_amount(" Rp 125.123 "), Some(125_123));
        assert_eq!(transfer_amount("125123"), Some(125_123));
        assert_eq!(transfer_amount("Rp 0"), None);
        assert_eq!(transfer_amount("Rp 12,5"), None);
        assert_eq!(transfer_amount(""), None);
    }

    #[test]
    fn an_order_is_partly_shipped_until_every_parcel_has_left() {
        use ShipmentStatus::*;
        let processing = OrderStatus::Processing;
        assert_eq!(
            processing.summary_key(&[Shipped, Processing]),
            "order-status-partly_shipped"
        );
        assert_eq!(
            processing.summary_key(&[Processing, Processing]),
            "order-status-processing"
        );
        assert_eq!(
            OrderStatus::Shipped.summary_key(&[Shipped, Shipped]),
            "order-status-shipped"
        );
        assert_eq!(
            OrderStatus::Refunded.summary_key(&[Shipped, Cancelled]),
            "order-status-refunded"
        );
        assert!(Delivered.has_left() && !Processing.has_left());
    }

    #[test]
    fn the_cart_shows_only_known_messages_from_its_address() {
        for notice in CartNotice::ALL {
            assert_eq!(CartNotice::parse(notice.key()), Some(notice));
        }
        assert_eq!(
            CartNotice::parse("checkout-cart-changed"),
            Some(CartNotice::CheckoutCartChanged)
        );
        assert_eq!(CartNotice::parse("cart-stock-low"), None);
        assert_eq!(CartNotice::parse("cart-title"), None);
        assert_eq!(CartNotice::parse("<script>"), None);
    }

    #[test]
    fn orders_move_only_along_the_allowed_transitions() {
        use OrderStatus::*;
        assert!(PendingPayment.can_become(Paid));
        assert!(PendingPayment.can_become(Cancelled));
        assert!(Paid.can_become(Processing));
        assert!(Processing.can_become(Shipped));
        assert!(Shipped.can_become(Delivered));
        assert!(!PendingPayment.can_become(Shipped));
        assert!(!Cancelled.can_become(Paid));
        assert!(!Delivered.can_become(PendingPayment));
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn chargeable_weight_takes_volume_tolerance_and_minimum_into_account() {
        assert_eq!(chargeable_kg(250, 0, 0, 0), 1, "minimum 1 kg");
        assert_eq!(chargeable_kg(1_300, 0, 0, 0), 1, "0.3 kg tolerance");
        assert_eq!(chargeable_kg(1_301, 0, 0, 0), 2);
        assert_eq!(
            chargeable_kg(500, 40, 30, 30),
            6,
            "volume 6 kg beats 0.5 kg"
        );
        assert_eq!(chargeable_kg(12_000, 10, 10, 10), 12);
    }

    #[test]
    fn shipping_costs_more_further_away_and_pickup_is_free() {
        let near = shipping_options(1, 1, 2);
        let far = shipping_options(1, 6, 2);
        let fee = |opts: &[ShippingOption], code: &str| {
            opts.iter().find(|o| o.code == code).map(|o| o.fee)
        };
        assert!(fee(&far, "jne-reg") > fee(&near, "jne-reg"));
        assert_eq!(fee(&near, "jne-reg"), Some(18_000));
        assert_eq!(fee(&near, "ambil"), Some(0));
        assert!(
            fee(&far, "jne-yes").is_none(),
            "no next-day service to Papua"
        );
        assert_eq!(near.last().unwrap().code, "ambil");
    }

    #[test]
    fn indonesian_whatsapp_numbers_and_postal_codes_are_checked() {
        assert_eq!(
            whatsapp_number("0812-3456-7890").as_deref(),
            Some("+6281234567890")
        );
        assert_eq!(
            whatsapp_number("+62 812 3456 789").as_deref(),
            Some("+628123456789")
        );
        assert_eq!(
            whatsapp_number("62812345678").as_deref(),
            Some("+62812345678")
        );
        assert_eq!(whatsapp_number("6281234567"), None, "too short");
        assert_eq!(whatsapp_number("021-555-0101"), None, "a landline");
        assert_eq!(whatsapp_number("08123"), None);
        assert_eq!(whatsapp_number("+1 415 555 0101"), None);
        assert_eq!(postal_code("10110").as_deref(), Some("10110"));
        assert_eq!(postal_code("1011"), None);
        assert_eq!(postal_code("ABCDE"), None);
    }
}

/// Volume weight in grams of one item (L×W×H/6000 kg).
/// Saturates instead of overflowing.
pub fn volume_grams(length_cm: i64, width_cm: i64, height_cm: i64) -> i64 {
    let cm3 = length_cm
        .max(0)
        .saturating_mul(width_cm.max(0))
        .saturating_mul(height_cm.max(0));
    // cm³ × 1000 / 6000 = cm³ / 6, without the overflow of multiplying first.
    cm3 / 6
}

/// The buyer's contact and address as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CheckoutForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub province_id: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub district: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
}

/// The form that sends a lost order link again: the order number and the order's email or
/// WhatsApp number, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
pub struct OrderLookupForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub contact: String,
}

/// How a buyer proves an order is theirs: the email or the WhatsApp number it was placed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderContact {
    Email(Email),
    Phone(WhatsAppNumber),
}

impl OrderLookupForm {
    /// The order code as the shop writes it (`ETL-` and eight letters or digits, the prefix
    /// optional when typed) and the contact; or what does not read.
    pub fn validate(&self) -> Result<(String, OrderContact), super::FieldErrors> {
        let mut errors = super::FieldErrors::new();
        let typed: String = self
            .code
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let tail = typed.strip_prefix("ETL-").unwrap_or(&typed);
        let code = (tail.len() == 8 && tail.chars().all(|c| c.is_ascii_alphanumeric()))
            .then(|| format!("ETL-{tail}"));
        if code.is_none() {
            errors.insert("code", "lookup-error-code");
        }
        let contact = if self.contact.contains('@') {
            Email::parse(&self.contact).map(OrderContact::Email)
        } else {
            WhatsAppNumber::parse(&self.contact).map(OrderContact::Phone)
        };
        if contact.is_none() {
            errors.insert("contact", "lookup-error-contact");
        }
        match (code, contact) {
            (Some(code), Some(contact)) if errors.is_empty() => Ok((code, contact)),
            _ => Err(errors),
        }
    }
}

/// Contact and address that passed validation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: Email,
    pub phone: WhatsAppNumber,
    pub province_id: i32,
    pub city: String,
    pub district: String,
    pub postal_code: PostalCode,
    pub address: String,
}

impl CheckoutForm {
    pub fn validate(&self, province_ids: &[i32]) -> Result<Contact, super::FieldErrors> {
        let mut errors = super::FieldErrors::new();
        let text = |s: &str, min: usize, max: usize| {
            let t = s.trim();
            (min..=max)
                .contains(&t.chars().count())
                .then(|| t.to_string())
        };
        let name = text(&self.name, 2, 100);
        if name.is_none() {
            errors.insert("name", "checkout-error-name");
        }
        let email = Email::parse(&self.email);
        if email.is_none() {
            errors.insert("email", "form-error-email");
        }
        let phone = WhatsAppNumber::parse(&self.phone);
        if phone.is_none() {
            errors.insert("phone", "checkout-error-phone");
        }
        let province_id = self
            .province_id
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|p| province_ids.contains(p));
        if province_id.is_none() {
            errors.insert("province_id", "checkout-error-province");
        }
        let city = text(&self.city, 2, 80);
        if city.is_none() {
            errors.insert("city", "checkout-error-city");
        }
        let district = text(&self.district, 2, 80);
        if district.is_none() {
            errors.insert("district", "checkout-error-district");
        }
        let postal = PostalCode::parse(&self.postal_code);
        if postal.is_none() {
            errors.insert("postal_code", "checkout-error-postal");
        }
        let address = text(&self.address, 10, 300);
        if address.is_none() {
            errors.insert("address", "checkout-error-address");
        }
        match (
            name,
            email,
            phone,
            province_id,
            city,
            district,
            postal,
            address,
        ) {
            (
                Some(name),
                Some(email),
                Some(phone),
                Some(province_id),
                Some(city),
                Some(district),
                Some(postal_code),
                Some(address),
            ) if errors.is_empty() => Ok(Contact {
                name,
                email,
                phone,
                province_id,
                city,
                district,
                postal_code,
                address,
            }),
            _ => Err(errors),
        }
    }
}
