//! Fairs (pameran): event states, the event form, and booth plans read from CSV.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::FieldErrors;

/// The day it is at a fair: Western Indonesia Time (WIB, UTC+7), the time fair dates are
/// set in. Booth sales are dated by it and the fair may be live only on its own days.
pub fn fair_day(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(7)).date_naive()
}

/// Why an event may not move to the state asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefusal {
    /// Not the next step of draft → open → closed → live → finished.
    NotNextStep,
    /// Live before the fair's first day (WIB).
    BeforeStart,
    /// Live after the fair's last day (WIB).
    AfterEnd,
}

/// The days a fair runs, first and last included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FairDays {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl FairDays {
    /// The days of an event as stored (ISO dates); None when they do not read as dates.
    pub fn parse(starts_on: &str, ends_on: &str) -> Option<Self> {
        Some(Self {
            starts_on: date(starts_on)?,
            ends_on: date(ends_on)?,
        })
    }

    /// Whether `day` (WIB) is one of the fair's days.
    pub fn includes(self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

stored_as_text!(EventStatus, ApplicationStatus, BoothChargeStatus);

/// Where a unit's booth application stands (`fair_applications.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    Submitted,
    Approved,
    Waitlisted,
    Rejected,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] = [
        Self::Submitted,
        Self::Approved,
        Self::Waitlisted,
        Self::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Waitlisted => "waitlisted",
            Self::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStatus {
    Draft,
    Open,
    Closed,
    Live,
    Finished,
}

impl EventStatus {
    pub const ALL: [EventStatus; 5] = [
        Self::Draft,
        Self::Open,
        Self::Closed,
        Self::Live,
        Self::Finished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Live => "live",
            Self::Finished => "finished",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::from_code(raw)
    }

    /// Whether booth sales are taken (the fair is live).
    pub fn takes_sales(self) -> bool {
        self == Self::Live
    }

    /// Whether booth sales are taken on `day` (WIB): the fair is live and `day` is one of its
    /// `days` (none when its dates do not read as dates).
    pub fn sells_on(self, days: Option<FairDays>, day: NaiveDate) -> bool {
        self.takes_sales() && days.is_some_and(|d| d.includes(day))
    }

    /// draft → open → closed → live → finished, one step at a time.
    pub fn can_become(self, next: Self) -> bool {
        use EventStatus::*;
        matches!(
            (self, next),
            (Draft, Open) | (Open, Closed) | (Closed, Live) | (Live, Finished)
        )
    }

    /// Whether the event may move to `next` on `today` (WIB): one step at a time, and live
    /// only on the fair's own days.
    pub fn check_move(
        self,
        next: Self,
        days: FairDays,
        today: NaiveDate,
    ) -> Result<(), MoveRefusal> {
        if !self.can_become(next) {
            return Err(MoveRefusal::NotNextStep);
        }
        if next == Self::Live {
            if today < days.starts_on {
                return Err(MoveRefusal::BeforeStart);
            }
            if today > days.ends_on {
                return Err(MoveRefusal::AfterEnd);
            }
        }
        Ok(())
    }

    /// Whether the organizers may still correct the event's dates: until the fair goes live.
    pub fn dates_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Open | Self::Closed)
    }

    /// Whether the public may see the event.
    pub fn is_public(self) -> bool {
        self != Self::Draft
    }
}

/// How a booth sale was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SaleMethod {
    Cash,
    Qris,
}

impl SaleMethod {
    pub fn code(self) -> &'static str {
        match self {
            Self::Cash => "cash",
            Self::Qris => "qris",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "cash" => Some(Self::Cash),
            "qris" => Some(Self::Qris),
            _ => None,
        }
    }
}

/// A booth sale as the till sends it (`kunci`, `produk`, `jumlah`, `cara`).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct SaleForm {
    /// The sale's idempotency key, made by the phone.
    #[serde(default, rename = "kunci")]
    pub key: String,
    /// The product's id.
    #[serde(default, rename = "produk")]
    pub product: String,
    /// How many were sold.
    #[serde(default, rename = "jumlah")]
    pub quantity: String,
    /// `cash` or `qris`.
    #[serde(default, rename = "cara")]
    pub method: String,
}

/// A booth sale that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleDraft {
    /// 16 to 64 letters, digits and `-`: the same key is the same sale.
    pub key: String,
    /// The product sold (one of the unit's: the model checks).
    pub product_id: i32,
    /// 1 to 999.
    pub quantity: i32,
    /// How it was paid.
    pub method: SaleMethod,
}

impl SaleForm {
    /// The sale, when its key, product, quantity (1 to 999) and payment method read well;
    /// `None` when the form is not a sale.
    pub fn validate(&self) -> Option<SaleDraft> {
        let key = self.key.trim();
        let key_ok = (16..=64).contains(&key.len())
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        Some(SaleDraft {
            key: key_ok.then(|| key.to_string())?,
            product_id: self.product.trim().parse::<i32>().ok()?,
            quantity: self
                .quantity
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|q| (1..=999).contains(q))?,
            method: SaleMethod::parse(self.method.trim())?,
        })
    }
}

/// Why a booth sale was not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleRefusal {
    /// The form is not a sale (a bad key, no product, a quantity out of 1 to 999, an unknown
    /// payment method).
    Invalid,
    /// The fair is not running (sales are taken while it is live, on its own days).
    NotLive,
    /// The unit has no booth at this fair.
    NoBooth,
    /// Not one of the unit's products on sale.
    NotOurs,
    /// More than is in stock (`available` left).
    AboveStock { available: i32 },
}

/// How a sale sent from a booth's till went: what the till is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaleResult {
    /// Counted now; `stock_left` of the product after it.
    Recorded { stock_left: i32 },
    /// This key was counted before: nothing changed.
    Duplicate,
    /// Not counted: the seller is told why, and the till does not send it again.
    Refused(SaleRefusal),
}

impl SaleResult {
    /// `recorded`, `duplicate` or `refused`, as the till's script reads it.
    pub fn status(self) -> &'static str {
        match self {
            Self::Recorded { .. } => "recorded",
            Self::Duplicate => "duplicate",
            Self::Refused(_) => "refused",
        }
    }

    /// The key of the message telling the seller.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Recorded { .. } => "sales-recorded",
            Self::Duplicate => "sales-duplicate",
            Self::Refused(SaleRefusal::Invalid) => "sales-invalid",
            Self::Refused(SaleRefusal::NotLive) => "sales-not-live",
            Self::Refused(SaleRefusal::NoBooth) => "sales-no-booth",
            Self::Refused(SaleRefusal::NotOurs) => "sales-not-ours",
            Self::Refused(SaleRefusal::AboveStock { .. }) => "sales-above-stock",
        }
    }
}

/// Minutes a dynamic QRIS charge at a booth stays payable (Midtrans' `custom_expiry`): the
/// buyer stands at the booth, so a charge left unpaid ends soon and the seller makes another.
pub const BOOTH_CHARGE_MINUTES: i64 = 15;

/// How every booth charge's reference begins; a shop order's charges begin with its code
/// (`ETL-…`), so a Midtrans notification tells which of the two it is about.
const BOOTH_REFERENCE_PREFIX: &str = "BOOTH-";

/// The reference (Midtrans' `order_id`) of the dynamic QRIS charge for the sale `sale_key` of
/// unit `unit_id` at event `event_id`: `BOOTH-{event}-{unit}-{16 hex digits of the key's
/// SHA-256}`. At most 44 characters, all of them letters, digits and `-`.
pub fn booth_charge_reference(event_id: i32, unit_id: i32, sale_key: &str) -> String {
    use sha2::{Digest, Sha256};
    // A digest, not a cut of the key: two keys that share their first characters (a till's
    // keys often do) must not share a reference.
    let digest = Sha256::digest(sale_key.as_bytes());
    let short: String = digest[..8].iter().map(|b| format!("{b:02X}")).collect();
    format!("{BOOTH_REFERENCE_PREFIX}{event_id}-{unit_id}-{short}")
}

/// Whether a Midtrans `order_id` names a booth charge (not a shop order's charge).
pub fn is_booth_reference(order_id: &str) -> bool {
    order_id.starts_with(BOOTH_REFERENCE_PREFIX)
}

/// Where a dynamic QRIS charge at a booth stands (`booth_charges.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoothChargeStatus {
    /// Made at Midtrans; the buyer has not paid yet.
    Pending,
    /// Paid in full: the booth sale is recorded.
    Paid,
    /// Not paid within `BOOTH_CHARGE_MINUTES`.
    Expired,
    /// Cancelled by the seller (or never made: Midtrans refused it).
    Cancelled,
    /// Refused by Midtrans or the buyer's bank (`deny`, `failure`).
    Failed,
    /// Money arrived but not the charge's total: nothing is recorded; someone looks at it by
    /// hand.
    Mismatch,
}

impl BoothChargeStatus {
    pub const ALL: [Self; 6] = [
        Self::Pending,
        Self::Paid,
        Self::Expired,
        Self::Cancelled,
        Self::Failed,
        Self::Mismatch,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Expired => "expired",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
            Self::Mismatch => "mismatch",
        }
    }

    /// Still waiting for the buyer.
    pub fn is_pending(self) -> bool {
        self == Self::Pending
    }

    /// Over without a sale: nobody pays it any more.
    pub fn is_ended(self) -> bool {
        !matches!(self, Self::Pending | Self::Paid)
    }

    /// The key of the message telling the seller where the charge stands.
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Pending => "charge-status-pending",
            Self::Paid => "charge-status-paid",
            Self::Expired => "charge-status-expired",
            Self::Cancelled => "charge-status-cancelled",
            Self::Failed => "charge-status-failed",
            Self::Mismatch => "charge-status-mismatch",
        }
    }
}

/// The event form as typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub applications_open_on: String,
    #[serde(default)]
    pub applications_close_on: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    pub name: String,
    pub venue: String,
    pub city: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub applications_open_on: NaiveDate,
    pub applications_close_on: NaiveDate,
    pub description: String,
}

fn date(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The dates of an event as typed, on their own: organizers correct them until the fair
/// goes live.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DatesForm {
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub applications_open_on: String,
    #[serde(default)]
    pub applications_close_on: String,
}

/// An event's dates, in order: the application window closes before the fair starts, and
/// the fair ends on or after its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventDates {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub applications_open_on: NaiveDate,
    pub applications_close_on: NaiveDate,
}

impl DatesForm {
    pub fn validate(&self) -> Result<EventDates, FieldErrors> {
        let mut errors = FieldErrors::new();
        let dates = self.check(&mut errors);
        dates.filter(|_| errors.is_empty()).ok_or(errors)
    }

    /// Adds the dates' problems to `errors`; gives the dates when they are right.
    fn check(&self, errors: &mut FieldErrors) -> Option<EventDates> {
        let (starts, ends) = (date(&self.starts_on), date(&self.ends_on));
        let (opens, closes) = (
            date(&self.applications_open_on),
            date(&self.applications_close_on),
        );
        let days_ok = matches!((starts, ends), (Some(s), Some(e)) if e >= s);
        if !days_ok {
            errors.insert("ends_on", "fair-error-dates");
        }
        let window_ok =
            matches!((opens, closes, starts), (Some(o), Some(c), Some(s)) if o <= c && c < s);
        if !window_ok {
            errors.insert("applications_close_on", "fair-error-window");
        }
        match (starts, ends, opens, closes) {
            (Some(s), Some(e), Some(o), Some(c)) if days_ok && window_ok => Some(EventDates {
                starts_on: s,
                ends_on: e,
                applications_open_on: o,
                applications_close_on: c,
            }),
            _ => None,
        }
    }
}

impl EventForm {
    /// The date fields of the form.
    pub fn dates(&self) -> DatesForm {
        DatesForm {
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            applications_open_on: self.applications_open_on.clone(),
            applications_close_on: self.applications_close_on.clone(),
        }
    }

    pub fn validate(&self) -> Result<EventDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |s: &str, min: usize, max: usize| {
            let t = s.trim();
            (min..=max)
                .contains(&t.chars().count())
                .then(|| t.to_string())
        };
        let name = text(&self.name, 3, 120);
        if name.is_none() {
            errors.insert("name", "fair-error-name");
        }
        let venue = text(&self.venue, 3, 120);
        if venue.is_none() {
            errors.insert("venue", "fair-error-venue");
        }
        let city = text(&self.city, 2, 80);
        if city.is_none() {
            errors.insert("city", "fair-error-city");
        }
        let description = text(&self.description, 10, 5000);
        if description.is_none() {
            errors.insert("description", "fair-error-description");
        }
        let dates = self.dates().check(&mut errors);
        match (name, venue, city, description, dates) {
            (Some(name), Some(venue), Some(city), Some(description), Some(d))
                if errors.is_empty() =>
            {
                Ok(EventDraft {
                    name,
                    venue,
                    city,
                    starts_on: d.starts_on,
                    ends_on: d.ends_on,
                    applications_open_on: d.applications_open_on,
                    applications_close_on: d.applications_close_on,
                    description,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The first value of `name` among a form's fields, trimmed; empty when it is missing.
pub fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// A unit's booth application as sent (`jenis`, `produk` repeated, `listrik`, `meja`,
/// `penanggung_jawab`, `telepon`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationForm {
    pub booth_kind: String,
    /// The products to showcase, by id (the first 50 that read as ids).
    pub product_ids: Vec<i32>,
    pub needs_power: bool,
    pub needs_table: bool,
    pub contact_name: String,
    pub contact_phone: String,
}

/// A booth application that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ApplicationDraft {
    /// One of `BOOTH_KINDS`.
    pub booth_kind: String,
    pub product_ids: Vec<i32>,
    pub needs_power: bool,
    pub needs_table: bool,
    /// Two characters or more, kept to 100.
    pub contact_name: String,
    /// A WhatsApp number as `+62…`.
    pub contact_phone: String,
}

impl ApplicationForm {
    /// Reads the form from its fields in the order sent; `produk` may repeat.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let field = |name: &str| form_value(pairs, name).to_string();
        Self {
            booth_kind: field("jenis"),
            product_ids: pairs
                .iter()
                .filter(|(k, _)| k == "produk")
                .filter_map(|(_, v)| v.parse().ok())
                .take(50)
                .collect(),
            needs_power: field("listrik") == "1",
            needs_table: field("meja") == "1",
            contact_name: field("penanggung_jawab"),
            contact_phone: field("telepon"),
        }
    }

    /// Checks the booth kind, the person in charge and their WhatsApp number.
    pub fn validate(&self) -> Result<ApplicationDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let booth_kind = self.booth_kind.trim();
        if !BOOTH_KINDS.contains(&booth_kind) {
            errors.insert("jenis", "fairs-apply-invalid");
        }
        let contact_name: String = self.contact_name.trim().chars().take(100).collect();
        if contact_name.chars().count() < 2 {
            errors.insert("penanggung_jawab", "fairs-apply-invalid");
        }
        let contact_phone = super::order::whatsapp_number(self.contact_phone.trim());
        if contact_phone.is_none() {
            errors.insert("telepon", "fairs-apply-invalid");
        }
        match contact_phone {
            Some(contact_phone) if errors.is_empty() => Ok(ApplicationDraft {
                booth_kind: booth_kind.to_string(),
                product_ids: self.product_ids.clone(),
                needs_power: self.needs_power,
                needs_table: self.needs_table,
                contact_name,
                contact_phone,
            }),
            _ => Err(errors),
        }
    }
}

/// An organizer's decision on a unit's application as sent from the event page.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct DecisionForm {
    /// `setujui` (approve), `tunggu` (waitlist) or `tolak` (reject).
    #[serde(default, rename = "keputusan")]
    pub decision: String,
    /// The id of the booth given (to approve).
    #[serde(default, rename = "stan")]
    pub booth: String,
    /// Why (to reject).
    #[serde(default, rename = "alasan")]
    pub reason: String,
}

/// A decision on an application that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationDecision {
    Approve {
        booth_id: i32,
    },
    Waitlist,
    /// With the reason told to the unit (five characters or more, kept to 500).
    Reject {
        reason: String,
    },
}

/// Why a decision was not taken as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionRefusal {
    /// Not one of the three decisions.
    Unknown,
    /// Something the decision needs is missing: the key of the message saying what.
    Missing(&'static str),
}

impl DecisionForm {
    /// The decision: an approval needs a booth, a rejection a reason.
    pub fn validate(&self) -> Result<ApplicationDecision, DecisionRefusal> {
        let reason: String = self.reason.trim().chars().take(500).collect();
        match self.decision.as_str() {
            "setujui" => self
                .booth
                .parse::<i32>()
                .map(|booth_id| ApplicationDecision::Approve { booth_id })
                .map_err(|_| DecisionRefusal::Missing("fairs-choose-booth")),
            "tunggu" => Ok(ApplicationDecision::Waitlist),
            "tolak" if reason.chars().count() >= 5 => Ok(ApplicationDecision::Reject { reason }),
            "tolak" => Err(DecisionRefusal::Missing("review-reason-required")),
            _ => Err(DecisionRefusal::Unknown),
        }
    }
}

/// One booth of a plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BoothRow {
    pub code: String,
    pub hall: String,
    /// `standard`, `corner` or `food_power`.
    pub kind: String,
    pub width_m: i32,
    pub depth_m: i32,
    pub fee: i64,
    /// Position on the plan, in metres from the top-left corner of the hall.
    pub x: i32,
    pub y: i32,
}

/// The kinds of booth a plan offers and a unit may ask for.
pub const BOOTH_KINDS: [&str; 3] = ["standard", "corner", "food_power"];

pub const BOOTH_COLUMNS: [&str; 8] = [
    "kode", "hall", "jenis", "lebar_m", "dalam_m", "biaya", "x", "y",
];

/// Reads a booth plan: `kode,hall,jenis,lebar_m,dalam_m,biaya,x,y`. Every problem is reported
/// by line; codes must be unique (A-01 style) and booths in one hall must not overlap.
pub fn parse_booths(bytes: &[u8]) -> Result<Vec<BoothRow>, Vec<(u64, &'static str)>> {
    let text = std::str::from_utf8(
        bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(bytes),
    )
    .map_err(|_| vec![(0, "import-error-encoding")])?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| vec![(0, "import-error-unreadable")])?
        .iter()
        .map(|h| h.to_lowercase())
        .collect();
    if BOOTH_COLUMNS
        .iter()
        .any(|c| !headers.iter().any(|h| h == c))
    {
        return Err(vec![(1, "fair-error-booth-columns")]);
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap_or(0);
    let mut problems = Vec::new();
    let mut booths: Vec<BoothRow> = Vec::new();
    let mut codes = BTreeSet::new();
    for (i, record) in reader.records().enumerate() {
        let line = (i + 2) as u64;
        let Ok(record) = record else {
            problems.push((line, "import-error-row-unreadable"));
            continue;
        };
        if i >= 2000 {
            problems.push((line, "import-error-too-many"));
            break;
        }
        let field = |name: &str| record.get(col(name)).unwrap_or_default().to_string();
        let code = field("kode").to_uppercase();
        let code_ok = (2..=12).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !code_ok {
            problems.push((line, "fair-error-booth-code"));
            continue;
        }
        if !codes.insert(code.clone()) {
            problems.push((line, "fair-error-booth-duplicate"));
            continue;
        }
        let kind = field("jenis").to_lowercase();
        if !BOOTH_KINDS.contains(&kind.as_str()) {
            problems.push((line, "fair-error-booth-kind"));
            continue;
        }
        let num = |name: &str, max: i64| {
            field(name)
                .parse::<i64>()
                .ok()
                .filter(|v| (0..=max).contains(v))
        };
        let (Some(w), Some(d), Some(fee), Some(x), Some(y)) = (
            num("lebar_m", 50).filter(|v| *v > 0),
            num("dalam_m", 50).filter(|v| *v > 0),
            num("biaya", 1_000_000_000),
            num("x", 1000),
            num("y", 1000),
        ) else {
            problems.push((line, "fair-error-booth-numbers"));
            continue;
        };
        let booth = BoothRow {
            code,
            hall: field("hall").chars().take(40).collect(),
            kind,
            width_m: w as i32,
            depth_m: d as i32,
            fee,
            x: x as i32,
            y: y as i32,
        };
        let overlaps = booths.iter().any(|b| {
            b.hall == booth.hall
                && booth.x < b.x + b.width_m
                && b.x < booth.x + booth.width_m
                && booth.y < b.y + b.depth_m
                && b.y < booth.y + booth.depth_m
        });
        if overlaps {
            problems.push((line, "fair-error-booth-overlap"));
            continue;
        }
        booths.push(booth);
    }
    if booths.is_empty() && problems.is_empty() {
        problems.push((0, "import-error-empty"));
    }
    if problems.is_empty() {
        Ok(booths)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_move_one_step_at_a_time() {
        use EventStatus::*;
        assert!(Draft.can_become(Open));
        assert!(Live.can_become(Finished));
        assert!(!Draft.can_become(Live));
        assert!(!Finished.can_become(Open));
        assert!(!Draft.is_public() && Open.is_public());
    }

    #[test]
    fn a_fair_goes_live_only_on_its_own_days_in_western_indonesia_time() {
        use EventStatus::*;
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days = FairDays::parse("2025-04-21", "2025-04-24").unwrap();
        assert_eq!(
            Closed.check_move(Live, days, d("2025-04-16")),
            Err(MoveRefusal::BeforeStart)
        );
        assert_eq!(Closed.check_move(Live, days, d("2025-04-21")), Ok(()));
        assert_eq!(Closed.check_move(Live, days, d("2025-04-24")), Ok(()));
        assert_eq!(
            Closed.check_move(Live, days, d("2025-04-25")),
            Err(MoveRefusal::AfterEnd)
        );
        assert_eq!(
            Open.check_move(Live, days, d("2025-04-22")),
            Err(MoveRefusal::NotNextStep)
        );
        assert_eq!(Draft.check_move(Open, days, d("2025-01-01")), Ok(()));
        // 17:00 UTC on the 20th is already midnight of the 21st in Jakarta.
        let evening = DateTime::parse_from_rfc3339("2025-04-20T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(fair_day(evening), d("2025-04-21"));
        assert_eq!(
            fair_day(evening - chrono::Duration::seconds(1)),
            d("2025-04-20")
        );
        assert!(Closed.dates_editable() && !Live.dates_editable());
    }

    #[test]
    fn booth_sales_are_taken_only_while_the_fair_is_live_and_on_its_own_days() {
        use EventStatus::*;
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let days = FairDays::parse("2025-04-21", "2025-04-24");
        assert!(Live.sells_on(days, d("2025-04-21")));
        assert!(Live.sells_on(days, d("2025-04-24")));
        assert!(!Live.sells_on(days, d("2025-04-25")));
        assert!(!Closed.sells_on(days, d("2025-04-22")));
        assert!(!Live.sells_on(None, d("2025-04-22")));
    }

    #[test]
    fn a_booth_sale_needs_a_key_a_product_a_quantity_of_one_to_999_and_a_known_method() {
        let sale = |key: &str, product: &str, quantity: &str, method: &str| {
            SaleForm {
                key: key.into(),
                product: product.into(),
                quantity: quantity.into(),
                method: method.into(),
            }
            .validate()
        };
        let key = "kunci-penjualan-0001";
        assert_eq!(
            sale(" kunci-penjualan-0001 ", "7", " 2 ", "qris"),
            Some(SaleDraft {
                key: key.into(),
                product_id: 7,
                quantity: 2,
                method: SaleMethod::Qris,
            })
        );
        assert!(sale(key, "7", "999", "cash").is_some());
        assert_eq!(sale("pendek", "7", "2", "qris"), None);
        assert_eq!(sale("kunci penjualan 0001", "7", "2", "qris"), None);
        assert_eq!(sale("k".repeat(65).as_str(), "7", "2", "qris"), None);
        assert_eq!(sale(key, "x", "2", "qris"), None);
        assert_eq!(sale(key, "7", "0", "qris"), None);
        assert_eq!(sale(key, "7", "1000", "qris"), None);
        assert_eq!(sale(key, "7", "2", "hutang"), None);
    }

    #[test]
    fn a_till_is_told_whether_a_sale_was_recorded_a_duplicate_or_refused_and_why() {
        let recorded = SaleResult::Recorded { stock_left: 3 };
        assert_eq!(
            (recorded.status(), recorded.message_key()),
            ("recorded", "sales-recorded")
        );
        assert_eq!(SaleResult::Duplicate.status(), "duplicate");
        let above = SaleResult::Refused(SaleRefusal::AboveStock { available: 1 });
        assert_eq!(
            (above.status(), above.message_key()),
            ("refused", "sales-above-stock")
        );
        assert_eq!(
            SaleResult::Refused(SaleRefusal::NotLive).message_key(),
            "sales-not-live"
        );
    }

    #[test]
    fn a_booth_charge_reference_names_the_event_the_unit_and_the_sale_and_fits_midtrans() {
        let key = "3f2b9c1e-8a4d-4f6b-9c2e-7d1a5b8e0f42";
        let reference = booth_charge_reference(12, 345, key);
        assert!(reference.starts_with("BOOTH-12-345-"), "{reference}");
        assert_eq!(reference.len(), "BOOTH-12-345-".len() + 16, "{reference}");
        assert_eq!(
            reference,
            booth_charge_reference(12, 345, key),
            "the same key, the same one"
        );
        assert_ne!(
            booth_charge_reference(12, 345, "kunci-tagihan-0001"),
            booth_charge_reference(12, 345, "kunci-tagihan-0002"),
            "keys alike in their first characters get references of their own"
        );
        assert!(is_booth_reference(&reference));
        assert!(!is_booth_reference("ETL-7Q2KX8MA-1"));
        let longest = booth_charge_reference(i32::MAX, i32::MAX, &"f".repeat(64));
        assert!(longest.len() <= 50, "{longest}");
        assert!(longest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        for s in BoothChargeStatus::ALL {
            assert_eq!(BoothChargeStatus::from_code(s.code()), Some(s));
        }
        assert!(BoothChargeStatus::Pending.is_pending());
        assert!(!BoothChargeStatus::Paid.is_ended() && !BoothChargeStatus::Pending.is_ended());
        assert!(BoothChargeStatus::Expired.is_ended() && BoothChargeStatus::Mismatch.is_ended());
    }

    #[test]
    fn event_dates_must_be_in_order() {
        let mut form = EventForm {
            name: "IPPA Fest 2025".into(),
            venue: "Lapangan Banteng".into(),
            city: "Jakarta".into(),
            starts_on: "2025-04-21".into(),
            ends_on: "2025-04-24".into(),
            applications_open_on: "2025-02-01".into(),
            applications_close_on: "2025-03-31".into(),
            description: "Pameran produk pemasyarakatan tahunan.".into(),
        };
        assert!(form.validate().is_ok());
        form.ends_on = "2025-04-20".into();
        assert!(form.validate().unwrap_err().contains_key("ends_on"));
        form.ends_on = "2025-04-24".into();
        form.applications_close_on = "2025-04-22".into();
        assert!(form
            .validate()
            .unwrap_err()
            .contains_key("applications_close_on"));
    }

    fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_application_form_reads_repeated_products_and_ticked_boxes() {
        let form = ApplicationForm::from_pairs(&pairs(&[
            ("jenis", " corner "),
            ("produk", "7"),
            ("produk", "x"),
            ("produk", "9"),
            ("listrik", "1"),
            ("penanggung_jawab", "  Pak Budi "),
            ("telepon", "0812 3456 7890"),
        ]));
        assert_eq!(form.booth_kind, "corner");
        assert_eq!(form.product_ids, vec![7, 9]);
        assert!(form.needs_power && !form.needs_table);
        assert_eq!(form.contact_name, "Pak Budi");
        assert_eq!(form_value(&pairs(&[("a", " b ")]), "a"), "b");
        assert_eq!(form_value(&pairs(&[]), "a"), "");
    }

    #[test]
    fn an_application_needs_a_known_booth_kind_a_contact_person_and_a_whatsapp_number() {
        let mut form = ApplicationForm {
            booth_kind: "standard".into(),
            product_ids: vec![3],
            needs_power: false,
            needs_table: true,
            contact_name: "Pak Budi".into(),
            contact_phone: "0812 3456 7890".into(),
        };
        let draft = form.validate().unwrap();
        assert_eq!(draft.contact_phone, "+6281234567890");
        assert_eq!(draft.product_ids, vec![3]);
        form.contact_name = "x".repeat(150);
        assert_eq!(form.validate().unwrap().contact_name.chars().count(), 100);
        form.booth_kind = "istana".into();
        form.contact_name = "B".into();
        form.contact_phone = "12345".into();
        let errors = form.validate().unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            vec!["jenis", "penanggung_jawab", "telepon"]
        );
    }

    #[test]
    fn an_approval_needs_a_booth_and_a_rejection_a_reason() {
        let form = |decision: &str, booth: &str, reason: &str| DecisionForm {
            decision: decision.into(),
            booth: booth.into(),
            reason: reason.into(),
        };
        assert_eq!(
            form("setujui", "4", "").validate(),
            Ok(ApplicationDecision::Approve { booth_id: 4 })
        );
        assert_eq!(
            form("setujui", "", "").validate(),
            Err(DecisionRefusal::Missing("fairs-choose-booth"))
        );
        assert_eq!(
            form("tunggu", "", "").validate(),
            Ok(ApplicationDecision::Waitlist)
        );
        assert_eq!(
            form("tolak", "", " Kuota ").validate(),
            Ok(ApplicationDecision::Reject {
                reason: "Kuota".into()
            })
        );
        assert_eq!(
            form("tolak", "", " ok ").validate(),
            Err(DecisionRefusal::Missing("review-reason-required"))
        );
        assert_eq!(
            form("hapus", "", "").validate(),
            Err(DecisionRefusal::Unknown)
        );
    }

    #[test]
    fn booth_plans_refuse_duplicate_codes_and_overlaps_by_line() {
        let good = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n\
                    A-01,A,standard,3,3,1500000,0,0\nA-02,A,corner,3,3,2000000,3,0\n";
        assert_eq!(parse_booths(good.as_bytes()).unwrap().len(), 2);
        let bad = "kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n\
                   A-01,A,standard,3,3,1500000,0,0\na-01,A,standard,3,3,1500000,9,0\n\
                   A-03,A,standard,3,3,1500000,1,1\nA-04,A,istana,3,3,1,20,0\n";
        let problems = parse_booths(bad.as_bytes()).unwrap_err();
        assert_eq!(
            problems,
            vec![
                (3, "fair-error-booth-duplicate"),
                (4, "fair-error-booth-overlap"),
                (5, "fair-error-booth-kind")
            ]
        );
    }
}
