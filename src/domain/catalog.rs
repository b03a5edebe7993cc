use serde::Serialize;

/// The kind of correctional unit (UPT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnitKind {
    Lapas,
    Rutan,
    Lpka,
    /// Balai Pemasyarakatan: the probation and parole office.
    Bapas,
}

impl UnitKind {
    pub const ALL: [UnitKind; 4] = [Self::Lapas, Self::Rutan, Self::Lpka, Self::Bapas];

    /// The stored code, the short name (`Lapas`, `LPKA`) or the full Indonesian name
    /// (`Rumah Tahanan Negara`), in any case and spacing.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let key = raw
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        match key.as_str() {
            "lapas" | "lembaga pemasyarakatan" => Ok(Self::Lapas),
            "rutan" | "rumah tahanan" | "rumah tahanan negara" => Ok(Self::Rutan),
            "lpka" | "lembaga pembinaan khusus anak" => Ok(Self::Lpka),
            "bapas" | "balai pemasyarakatan" => Ok(Self::Bapas),
            other => Err(format!("unknown unit kind `{other}`")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Lapas => "lapas",
            Self::Rutan => "rutan",
            Self::Lpka => "lpka",
            Self::Bapas => "bapas",
        }
    }

    /// The short name that starts a unit's name (`Lapas Kelas IIA Cilegon`).
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Lapas => "Lapas",
            Self::Rutan => "Rutan",
            Self::Lpka => "LPKA",
            Self::Bapas => "Bapas",
        }
    }

    /// The full name, Indonesian first; the English gloss for `lang = "en"`.
    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Lapas, "en") => "Correctional facility (Lapas)",
            (Self::Rutan, "en") => "Detention centre (Rutan)",
            (Self::Lpka, "en") => "Juvenile facility (LPKA)",
            (Self::Bapas, "en") => "Probation and parole office (Bapas)",
            (Self::Lapas, _) => "Lembaga Pemasyarakatan",
            (Self::Rutan, _) => "Rumah Tahanan Negara",
            (Self::Lpka, _) => "Lembaga Pembinaan Khusus Anak",
            (Self::Bapas, _) => "Balai Pemasyarakatan",
        }
    }
}

/// Listing workflow: draft → submitted → published (or returned with a reason) → archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductStatus {
    Draft,
    Submitted,
    Published,
    Returned,
    Archived,
}

stored_as_text!(ProductStatus, CertificationStatus);

impl ProductStatus {
    pub const ALL: [ProductStatus; 5] = [
        Self::Draft,
        Self::Submitted,
        Self::Published,
        Self::Returned,
        Self::Archived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Published => "published",
            Self::Returned => "returned",
            Self::Archived => "archived",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Ok(match raw {
            "draft" => Self::Draft,
            "submitted" => Self::Submitted,
            "published" => Self::Published,
            "returned" => Self::Returned,
            "archived" => Self::Archived,
            other => return Err(format!("unknown product status `{other}`")),
        })
    }

    /// What unit staff may do with a listing in this status, the main action first: a draft
    /// or a returned listing is saved, sent to review or archived; one waiting for review may
    /// still be saved (the reviewer then looks again); a published one is saved (a changed
    /// text or photo sends it back to review) or archived; an archived one is only restored
    /// as a draft. The product form offers these and nothing else, and the handlers refuse
    /// the rest.
    pub fn staff_actions(self) -> &'static [ListingAction] {
        use ListingAction::*;
        match self {
            Self::Draft | Self::Returned => &[Save, Submit, Archive],
            Self::Submitted => &[Save],
            Self::Published => &[Save, Archive],
            Self::Archived => &[Restore],
        }
    }

    /// Whether unit staff may take `action` on a listing in this status (`staff_actions`).
    pub fn staff_may(self, action: ListingAction) -> bool {
        self.staff_actions().contains(&action)
    }

    /// Whether the workflow allows moving from `self` to `next`.
    pub fn can_become(self, next: Self) -> bool {
        use ProductStatus::*;
        matches!(
            (self, next),
            (Draft, Submitted)
                | (Returned, Submitted)
                | (Submitted, Published)
                | (Submitted, Returned)
                | (Published, Submitted)
                | (Published, Archived)
                | (Draft, Archived)
                | (Returned, Archived)
                | (Archived, Draft)
        )
    }
}

/// What unit staff do with a listing from its form (which ones a status allows:
/// `ProductStatus::staff_actions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingAction {
    /// Save the form, or change the photos.
    Save,
    /// Send it to review.
    Submit,
    /// Take it off the shop.
    Archive,
    /// Bring an archived listing back as a draft.
    Restore,
}

impl ListingAction {
    /// The status the action moves the listing to; `None` for saving, which keeps it (or sends
    /// a published listing back to review: `status_after_edit`).
    pub fn moves_to(self) -> Option<ProductStatus> {
        match self {
            Self::Save => None,
            Self::Submit => Some(ProductStatus::Submitted),
            Self::Archive => Some(ProductStatus::Archived),
            Self::Restore => Some(ProductStatus::Draft),
        }
    }
}

/// Where unit staff move one of a product's photos. The first photo is the main one: cards
/// and the product page show it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoMove {
    /// One place towards the front.
    Up,
    /// One place towards the back.
    Down,
    /// To the front: it becomes the main photo.
    First,
}

impl PhotoMove {
    /// The photos `ids` (in their order) with `photo` moved; `None` when `photo` is not one of
    /// them. Moving the first photo up or to the front, or the last one down, keeps the order.
    pub fn apply(self, ids: &[i32], photo: i32) -> Option<Vec<i32>> {
        let at = ids.iter().position(|id| *id == photo)?;
        let mut order = ids.to_vec();
        match self {
            Self::Up if at > 0 => order.swap(at, at - 1),
            Self::Down if at + 1 < order.len() => order.swap(at, at + 1),
            Self::First => order[..=at].rotate_right(1),
            Self::Up | Self::Down => {}
        }
        Some(order)
    }
}

/// The legal document form as typed, kept as text so a form with errors shows what was typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, Serialize)]
pub struct DocumentForm {
    pub kind: String,
    pub number: String,
    pub issuer: String,
    /// ISO date (`2026-01-31`).
    pub issued_on: String,
    /// ISO date, or empty when the document does not expire.
    pub expires_on: String,
    /// The product it is for, or empty for the whole unit.
    pub product_id: String,
}

/// A document form that passed its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDraft {
    pub kind: CertificationKind,
    pub number: String,
    pub issuer: String,
    pub issued_on: chrono::NaiveDate,
    pub expires_on: Option<chrono::NaiveDate>,
    pub product_id: Option<i32>,
}

impl DocumentForm {
    /// The product chosen, if one is and it reads as an id.
    pub fn product(&self) -> Option<i32> {
        self.product_id.trim().parse().ok()
    }

    /// Checks the form: a known kind, a number and an issuer of three characters or more, an
    /// issue date not in the future, an expiry after it (or none), a product of the unit's
    /// own (`unit_products`) or none, and a scan.
    pub fn validate(
        &self,
        today: chrono::NaiveDate,
        unit_products: &[i32],
        scan_sent: bool,
    ) -> Result<DocumentDraft, super::FieldErrors> {
        let iso = |raw: &str| chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
        let mut errors = super::FieldErrors::new();
        let kind = CertificationKind::parse(self.kind.trim()).ok();
        if kind.is_none() {
            errors.insert("kind", "document-error-kind");
        }
        let (number, issuer) = (self.number.trim(), self.issuer.trim());
        if number.chars().count() < 3 {
            errors.insert("number", "document-error-number");
        }
        if issuer.chars().count() < 3 {
            errors.insert("issuer", "document-error-issuer");
        }
        let issued = iso(&self.issued_on).filter(|d| *d <= today);
        if issued.is_none() {
            errors.insert("issued_on", "document-error-issued");
        }
        let expires = match self.expires_on.trim() {
            "" => Some(None),
            raw => iso(raw).filter(|d| issued.is_none_or(|i| *d > i)).map(Some),
        };
        if expires.is_none() {
            errors.insert("expires_on", "document-error-expires");
        }
        let product_id = match self.product_id.trim() {
            "" => Some(None),
            _ => self
                .product()
                .filter(|id| unit_products.contains(id))
                .map(Some),
        };
        if product_id.is_none() {
            errors.insert("product_id", "document-error-product");
        }
        if !scan_sent {
            errors.insert("scan", "document-error-scan");
        }
        match (kind, issued, expires, product_id) {
            (Some(kind), Some(issued_on), Some(expires_on), Some(product_id))
                if errors.is_empty() =>
            {
                Ok(DocumentDraft {
                    kind,
                    number: number.to_string(),
                    issuer: issuer.to_string(),
                    issued_on,
                    expires_on,
                    product_id,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A reviewer's decision on a listing waiting for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingDecision {
    Approve,
    Return,
}

impl ListingDecision {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "approve" => Some(Self::Approve),
            "return" => Some(Self::Return),
            _ => None,
        }
    }

    /// The state the listing moves to, when the decision may be taken: approving needs the
    /// whole checklist ticked, returning a reason of at least five characters. Otherwise the
    /// key of the message saying what is missing.
    pub fn check(
        self,
        checklist_complete: bool,
        reason: &str,
    ) -> Result<ProductStatus, &'static str> {
        match self {
            Self::Approve if !checklist_complete => Err("review-checklist-incomplete"),
            Self::Approve => Ok(ProductStatus::Published),
            Self::Return if reason.trim().chars().count() < 5 => Err("review-reason-required"),
            Self::Return => Ok(ProductStatus::Returned),
        }
    }

    /// The key of the message shown once the decision is recorded.
    pub fn done_message(self) -> &'static str {
        match self {
            Self::Approve => "flash-approved",
            Self::Return => "flash-returned",
        }
    }
}

/// A reviewer's decision on a legal document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentDecision {
    Verify,
    Reject,
}

impl DocumentDecision {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "verify" => Some(Self::Verify),
            "reject" => Some(Self::Reject),
            _ => None,
        }
    }

    /// Whether the decision may be taken: rejecting needs a reason of at least five
    /// characters (the key of the message saying so otherwise).
    pub fn check(self, reason: &str) -> Result<(), &'static str> {
        match self {
            Self::Reject if reason.trim().chars().count() < 5 => Err("review-reason-required"),
            _ => Ok(()),
        }
    }

    /// The key of the message shown once the decision is recorded.
    pub fn done_message(self) -> &'static str {
        match self {
            Self::Verify => "flash-document-verified",
            Self::Reject => "flash-document-rejected",
        }
    }
}

/// A legal document kind (legalitas produk), see `reference/certifications.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CertificationKind {
    Nib,
    Pirt,
    Halal,
    BpomMd,
    BpomNa,
    Hki,
    Sni,
    Svlk,
}

impl CertificationKind {
    pub const ALL: [CertificationKind; 8] = [
        Self::Nib,
        Self::Pirt,
        Self::Halal,
        Self::BpomMd,
        Self::BpomNa,
        Self::Hki,
        Self::Sni,
        Self::Svlk,
    ];

    pub fn parse(raw: &str) -> Result<Self, String> {
        let up = raw.trim().to_ascii_uppercase();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == up)
            .ok_or_else(|| format!("unknown certification kind `{raw}`"))
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Nib => "NIB",
            Self::Pirt => "PIRT",
            Self::Halal => "HALAL",
            Self::BpomMd => "BPOM-MD",
            Self::BpomNa => "BPOM-NA",
            Self::Hki => "HKI",
            Self::Sni => "SNI",
            Self::Svlk => "SVLK",
        }
    }

    pub fn label(self, lang: &str) -> &'static str {
        match (self, lang) {
            (Self::Nib, "en") => "Business ID (NIB)",
            (Self::Pirt, "en") => "Home-industry food permit (P-IRT)",
            (Self::Halal, "en") => "Halal certified",
            (Self::BpomMd, "en") => "BPOM registered food (MD)",
            (Self::BpomNa, "en") => "BPOM cosmetic notification (NA)",
            (Self::Hki, "en") => "Registered trademark/design (HKI)",
            (Self::Sni, "en") => "Indonesian National Standard (SNI)",
            (Self::Svlk, "en") => "Legal timber (SVLK)",
            (Self::Nib, _) => "Nomor Induk Berusaha (NIB)",
            (Self::Pirt, _) => "Izin Pangan Industri Rumah Tangga (P-IRT)",
            (Self::Halal, _) => "Bersertifikat Halal",
            (Self::BpomMd, _) => "Terdaftar BPOM (MD)",
            (Self::BpomNa, _) => "Notifikasi Kosmetik BPOM (NA)",
            (Self::Hki, _) => "Merek/Desain Terdaftar (HKI)",
            (Self::Sni, _) => "Standar Nasional Indonesia (SNI)",
            (Self::Svlk, _) => "Kayu Legal (SVLK)",
        }
    }

    /// Typical validity in years from the issue date; `None` means it does not expire.
    pub fn validity_years(self) -> Option<i32> {
        match self {
            Self::Nib => None,
            Self::Pirt | Self::BpomMd => Some(5),
            Self::Halal => Some(4),
            Self::BpomNa => Some(3),
            Self::Hki => Some(10),
            Self::Sni => Some(4),
            Self::Svlk => Some(6),
        }
    }

    /// The body that issues this kind of document.
    pub fn issuer(self) -> &'static str {
        match self {
            Self::Nib => "OSS / BKPM",
            Self::Pirt => "Dinas Kesehatan",
            Self::Halal => "BPJPH Kementerian Agama",
            Self::BpomMd | Self::BpomNa => "BPOM",
            Self::Hki => "DJKI Kementerian Hukum",
            Self::Sni => "Lembaga Sertifikasi Produk",
            Self::Svlk => "Lembaga Verifikasi Legalitas Kayu",
        }
    }

    /// Food needs one of these, verified, before buyers can trust it.
    pub fn is_food_permit(self) -> bool {
        matches!(self, Self::Pirt | Self::BpomMd)
    }
}

/// Review state of a legal document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificationStatus {
    Submitted,
    Verified,
    Rejected,
}

impl CertificationStatus {
    pub const ALL: [CertificationStatus; 3] = [Self::Submitted, Self::Verified, Self::Rejected];

    pub fn code(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
        }
    }
}

/// A document shows as a public badge only when verified and not expired on `today`
/// (ISO dates compare correctly as text).
pub fn badge_is_public(status: &str, expires_on: Option<&str>, today: &str) -> bool {
    status == CertificationStatus::Verified.code() && expires_on.is_none_or(|d| d >= today)
}

/// Whether a verified document has run out: the expiry job marked it, or its date is before
/// `today` (the job has not run yet today).
pub fn document_expired(expires_on: Option<&str>, expired_marked: bool, today: &str) -> bool {
    expired_marked || expires_on.is_some_and(|d| d < today)
}

/// How a document stands for its unit: its review state, or `expired` once a verified one ran
/// out (the state's message key suffix).
pub fn document_state(
    status: CertificationStatus,
    expires_on: Option<&str>,
    expired_marked: bool,
    today: &str,
) -> &'static str {
    if status == CertificationStatus::Verified
        && document_expired(expires_on, expired_marked, today)
    {
        "expired"
    } else {
        status.code()
    }
}

/// How a unit's revenue is split; the three shares add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RevenueSplit {
    pub wage_pct: i32,
    pub pnbp_pct: i32,
    pub capital_pct: i32,
}

impl RevenueSplit {
    /// The split a unit starts with when it is registered (by the form, which shows it, or by
    /// the CSV import, which has no split columns): 35 % wages, 40 % PNBP, 25 % capital.
    /// Administrators change it per unit; a shipment keeps the split of when it was ordered.
    pub const DEFAULT: RevenueSplit = RevenueSplit {
        wage_pct: 35,
        pnbp_pct: 40,
        capital_pct: 25,
    };

    pub fn new(wage_pct: i32, pnbp_pct: i32, capital_pct: i32) -> Result<Self, String> {
        let parts = [wage_pct, pnbp_pct, capital_pct];
        if parts.iter().any(|p| !(0..=100).contains(p)) || parts.iter().sum::<i32>() != 100 {
            return Err(
                "pembagian hasil harus berjumlah 100% / the split must add up to 100%".into(),
            );
        }
        Ok(Self {
            wage_pct,
            pnbp_pct,
            capital_pct,
        })
    }

    /// Splits an amount; rounding leftovers go to capital so the parts always add up.
    pub fn apply(self, amount: i64) -> (i64, i64, i64) {
        let wage = amount * i64::from(self.wage_pct) / 100;
        let pnbp = amount * i64::from(self.pnbp_pct) / 100;
        (wage, pnbp, amount - wage - pnbp)
    }
}

/// Sort orders of a product listing; unknown values fall back to the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListingSort {
    #[default]
    Popular,
    Newest,
    PriceAsc,
    PriceDesc,
}

impl ListingSort {
    pub const ALL: [ListingSort; 4] =
        [Self::Popular, Self::Newest, Self::PriceAsc, Self::PriceDesc];

    pub fn parse_or_default(raw: Option<&str>) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| Some(s.code()) == raw)
            .unwrap_or_default()
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Popular => "popular",
            Self::Newest => "newest",
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
        }
    }
}

/// A 1-based page number; anything unparsable, zero or negative is page 1, and pages are capped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(u32);

impl PageNumber {
    pub const MAX: u32 = 10_000;

    pub fn parse_or_first(raw: Option<&str>) -> Self {
        let n = raw
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, i64::from(Self::MAX));
        Self(n as u32)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    pub fn offset(self, per_page: u32) -> i64 {
        i64::from(self.0 - 1) * i64::from(per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document_form() -> DocumentForm {
        DocumentForm {
            kind: "pirt".into(),
            number: " 2063471010123-29 ".into(),
            issuer: "Dinas Kesehatan Kab. Sleman".into(),
            issued_on: "2025-03-01".into(),
            expires_on: "2030-03-01".into(),
            product_id: "7".into(),
        }
    }

    #[test]
    fn a_document_form_is_accepted_only_with_a_known_kind_sane_dates_a_product_of_the_unit_and_a_scan(
    ) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let draft = document_form().validate(today, &[7], true).unwrap();
        assert_eq!(draft.kind, CertificationKind::Pirt);
        assert_eq!(draft.number, "2063471010123-29");
        assert_eq!(draft.product_id, Some(7));
        let no_expiry = DocumentForm {
            expires_on: String::new(),
            product_id: String::new(),
            ..document_form()
        };
        let draft = no_expiry.validate(today, &[], true).unwrap();
        assert_eq!((draft.expires_on, draft.product_id), (None, None));

        let fields = |form: DocumentForm, products: &[i32], scan: bool| {
            let errors = form.validate(today, products, scan).unwrap_err();
            let mut keys: Vec<String> = errors.keys().map(|k| k.to_string()).collect();
            keys.sort();
            keys
        };
        assert_eq!(fields(document_form(), &[8], true), ["product_id"]);
        assert_eq!(fields(document_form(), &[7], false), ["scan"]);
        let wrong = DocumentForm {
            kind: "sertifikat-bebas".into(),
            number: "12".into(),
            issuer: " ".into(),
            issued_on: "2027-01-01".into(),
            expires_on: "2026-01-01".into(),
            product_id: "tujuh".into(),
        };
        // (An expiry is judged against the issue date only once that date is right.)
        assert_eq!(
            fields(wrong, &[7], true),
            ["issued_on", "issuer", "kind", "number", "product_id"]
        );
        let expires_before_issue = DocumentForm {
            expires_on: "2025-02-01".into(),
            ..document_form()
        };
        assert_eq!(fields(expires_before_issue, &[7], true), ["expires_on"]);
        let not_a_date = DocumentForm {
            expires_on: "31-12-2030".into(),
            ..document_form()
        };
        assert_eq!(fields(not_a_date, &[7], true), ["expires_on"]);
    }

    #[test]
    fn approving_a_listing_needs_the_whole_checklist_and_returning_it_needs_a_reason() {
        use ListingDecision::*;
        assert_eq!(ListingDecision::parse("approve"), Some(Approve));
        assert_eq!(ListingDecision::parse("delete"), None);
        assert_eq!(Approve.check(true, ""), Ok(ProductStatus::Published));
        assert_eq!(
            Approve.check(false, "bagus"),
            Err("review-checklist-incomplete")
        );
        assert_eq!(
            Return.check(false, "Foto buram"),
            Ok(ProductStatus::Returned)
        );
        assert_eq!(Return.check(true, "  ok  "), Err("review-reason-required"));
        assert_eq!(DocumentDecision::Verify.check(""), Ok(()));
        assert_eq!(
            DocumentDecision::Reject.check("buram"),
            Ok(()),
            "five characters are enough"
        );
        assert_eq!(
            DocumentDecision::Reject.check(" tak "),
            Err("review-reason-required")
        );
        assert_eq!(DocumentDecision::parse("approve"), None);
    }

    #[test]
    fn only_verified_unexpired_documents_are_public_badges() {
        let today = "2026-11-23";
        assert!(badge_is_public("verified", None, today));
        assert!(badge_is_public("verified", Some("2026-11-23"), today));
        assert!(!badge_is_public("verified", Some("2026-11-22"), today));
        assert!(!badge_is_public("submitted", Some("2030-01-01"), today));
        assert!(!badge_is_public("rejected", None, today));
    }

    #[test]
    fn revenue_split_must_add_up_and_never_loses_a_rupiah() {
        assert!(RevenueSplit::new(50, 30, 30).is_err());
        let split = RevenueSplit::new(35, 40, 25).unwrap();
        let (a, b, c) = split.apply(100_001);
        assert_eq!(a + b + c, 100_001);
    }

    #[test]
    fn bad_page_numbers_fall_back_to_the_first_page() {
        assert_eq!(PageNumber::parse_or_first(Some("-1")).get(), 1);
        assert_eq!(PageNumber::parse_or_first(Some("abc")).get(), 1);
        assert_eq!(PageNumber::parse_or_first(Some("3")).get(), 3);
        assert_eq!(
            PageNumber::parse_or_first(Some("99999999999")).get(),
            PageNumber::MAX
        );
    }

    #[test]
    fn unknown_sort_falls_back_to_popular() {
        assert_eq!(
            ListingSort::parse_or_default(Some("junk")),
            ListingSort::Popular
        );
        assert_eq!(
            ListingSort::parse_or_default(Some("price_asc")),
            ListingSort::PriceAsc
        );
    }

    #[test]
    fn staff_are_offered_only_the_listing_actions_the_workflow_allows() {
        use ListingAction::*;
        for status in ProductStatus::ALL {
            for action in status.staff_actions() {
                if let Some(next) = action.moves_to() {
                    assert!(status.can_become(next), "{status:?} offers {action:?}");
                }
            }
        }
        assert_eq!(
            ProductStatus::Draft.staff_actions(),
            [Save, Submit, Archive]
        );
        assert!(ProductStatus::Returned.staff_may(Submit));
        assert!(ProductStatus::Published.staff_may(Archive));
        assert!(!ProductStatus::Published.staff_may(Submit));
        assert!(ProductStatus::Published.staff_may(Save));
        assert!(!ProductStatus::Submitted.staff_may(Submit));
        assert!(!ProductStatus::Submitted.staff_may(Archive));
        assert_eq!(ProductStatus::Archived.staff_actions(), [Restore]);
        assert!(!ProductStatus::Archived.staff_may(Save));
        assert!(!ProductStatus::Draft.staff_may(Restore));
    }

    #[test]
    fn a_photo_moves_one_place_or_to_the_front_and_an_unknown_photo_moves_nothing() {
        let ids = [11, 12, 13];
        assert_eq!(PhotoMove::Up.apply(&ids, 12), Some(vec![12, 11, 13]));
        assert_eq!(PhotoMove::Down.apply(&ids, 12), Some(vec![11, 13, 12]));
        assert_eq!(PhotoMove::First.apply(&ids, 13), Some(vec![13, 11, 12]));
        assert_eq!(PhotoMove::First.apply(&ids, 12), Some(vec![12, 11, 13]));
        assert_eq!(PhotoMove::Up.apply(&ids, 11), Some(ids.to_vec()));
        assert_eq!(PhotoMove::First.apply(&ids, 11), Some(ids.to_vec()));
        assert_eq!(PhotoMove::Down.apply(&ids, 13), Some(ids.to_vec()));
        assert_eq!(PhotoMove::Up.apply(&ids, 99), None);
        assert_eq!(PhotoMove::First.apply(&[], 11), None);
    }

    #[test]
    fn product_workflow_refuses_publishing_a_draft_directly() {
        assert!(!ProductStatus::Draft.can_become(ProductStatus::Published));
        assert!(ProductStatus::Submitted.can_become(ProductStatus::Published));
        assert!(ProductStatus::Submitted.can_become(ProductStatus::Returned));
    }
}
