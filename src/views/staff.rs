//! View-models of the back-office pages (`templates/pages/staff/`). The layout part (form token,
//! flash message, who is signed in) is `StaffFrame`; each page adds its own struct.

use serde::Serialize;

use super::cards::PhotoView;
use crate::domain::format_rupiah;
use crate::domain::order::{is_pickup, Courier, OrderStatus, ParcelTab, ShipmentStatus};
use crate::domain::time::{date_time_id, Zone};
use crate::domain::units::BrandPicture;
use crate::domain::{Actor, FieldErrors};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::mail_outbox::FailedMail;
use crate::models::order::{PendingPayment, Sender, UnitParcel, UnitShipment};
use crate::models::payment::Refundable;
use crate::models::product::Photo;
use crate::models::unit::Unit;

/// Who is signed in, as the layout shows it.
#[derive(Debug, Serialize)]
pub struct ActorView<'a> {
    pub name: &'a str,
    pub role: &'static str,
    pub is_reviewer: bool,
    /// May open the oversight dashboard (observers and administrators).
    pub can_oversee: bool,
    /// Unit staff who record their unit's payouts.
    pub treasurer: bool,
}

/// What every back-office page carries.
#[derive(Debug, Serialize)]
pub struct StaffFrame<'a> {
    pub csrf_token: String,
    /// Message key of the last action's outcome.
    pub flash: Option<String>,
    pub actor: Option<ActorView<'a>>,
}

impl<'a> StaffFrame<'a> {
    pub fn new(csrf_token: String, flash: Option<String>, actor: Option<&'a Actor>) -> Self {
        Self {
            csrf_token,
            flash,
            actor: actor.map(|a| ActorView {
                name: &a.name,
                role: a.role.code(),
                is_reviewer: a.is_reviewer(),
                can_oversee: a.can_oversee(),
                treasurer: a.treasury_unit().is_some(),
            }),
        }
    }
}

/// Failed mail for the administrators, times in WIB.
#[derive(Debug, Serialize)]
pub struct FailedMailView<'a> {
    pub id: i32,
    pub to: &'a str,
    pub subject: &'a str,
    pub attempts: i32,
    pub error: Option<&'a str>,
    pub failed_at: Option<String>,
    pub created_at: String,
}

/// `mail_failed.html`.
#[derive(Debug, Serialize)]
pub struct MailFailedPage<'a> {
    pub mails: Vec<FailedMailView<'a>>,
}

impl<'a> MailFailedPage<'a> {
    pub fn new(mails: &'a [FailedMail]) -> Self {
        let when = |ts: i64| date_time_id(ts, Zone::Wib);
        Self {
            mails: mails
                .iter()
                .map(|m| FailedMailView {
                    id: m.id,
                    to: &m.to_addr,
                    subject: &m.subject_id,
                    attempts: m.attempts,
                    error: m.last_error.as_deref(),
                    failed_at: m.failed_at.map(when),
                    created_at: when(m.created_at),
                })
                .collect(),
        }
    }
}

/// A parcel a unit prepares and ships.
#[derive(Debug, Serialize)]
pub struct ShipmentView<'a> {
    pub id: i32,
    pub code: &'a str,
    pub buyer: &'a str,
    /// The buyer's phone and address, once the order is paid (before that there is nothing
    /// to send, and no reason to show them).
    pub phone: Option<&'a str>,
    pub address: Option<String>,
    pub paid: bool,
    /// When it was paid, in the unit's zone ("6 Desember 2026, 14.05 WIB").
    pub paid_at: Option<String>,
    /// Where it goes (the buyer's city).
    pub city: &'a str,
    pub service: &'a str,
    pub status: ShipmentStatus,
    /// The tab of the orders page it sits in (the forms come back to it).
    pub tab: ParcelTab,
    /// Picked up at the unit: "ready for pickup" and a handover against the pickup code
    /// instead of a courier.
    pub pickup: bool,
    /// A courier parcel the unit may mark shipped now (paid, being prepared).
    pub can_ship: bool,
    /// Paid and not packed yet: the unit may mark it ready (packed, or ready for pickup).
    pub can_mark_ready: bool,
    /// A pickup parcel ready for the buyer: the unit hands it over against the pickup code.
    pub can_hand_over: bool,
    /// The couriers of the "mark shipped" form, the one to suggest selected.
    pub couriers: Vec<CourierChoice>,
    /// The courier it was handed to, once shipped.
    pub courier: Option<&'static str>,
    pub tracking: Option<&'a str>,
    /// The tracking number as typed when it was refused (kept in the field).
    pub typed_tracking: Option<&'a str>,
    /// Why marking it shipped was refused, in the reader's language.
    pub ship_error: Option<String>,
    /// What to pack: photo, quantity and product name, line by line.
    pub items: Vec<PackLine<'a>>,
    pub pieces: i32,
    pub weight: String,
    pub items_total: String,
    pub wage: String,
    pub pnbp: String,
    pub capital: String,
}

#[derive(Debug, Serialize)]
pub struct PackLine<'a> {
    pub quantity: i32,
    pub name: &'a str,
    /// The product's first photo (320 px wide); None shows a placeholder.
    pub photo: Option<PhotoView>,
}

/// A courier in the "mark shipped" form.
#[derive(Debug, Serialize)]
pub struct CourierChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// A tab of the orders page, with how many parcels it holds.
#[derive(Debug, Serialize)]
pub struct TabView {
    /// `?status=` of its address (`ParcelTab::code`).
    pub code: &'static str,
    pub count: i64,
    pub current: bool,
}

/// A "mark shipped" form that was refused: which parcel, the courier chosen (None when it was
/// not one of the list) and the tracking number as typed.
#[derive(Debug, Clone)]
pub struct ShipAttempt {
    pub shipment_id: i32,
    pub courier: Option<Courier>,
    pub typed: String,
}

impl ShipAttempt {
    /// What to tell the staff, in `lang`.
    fn message(&self, lang: Lang) -> String {
        match self.courier {
            Some(courier) => lang.text_with(
                "orders-error-tracking-courier",
                &[
                    ("number", self.typed.trim().to_string().into()),
                    ("courier", courier.label().into()),
                    (
                        "format",
                        lang.text(&format!("tracking-format-{}", courier.code()))
                            .into(),
                    ),
                ],
            ),
            None => lang.text("orders-error-courier"),
        }
    }
}

/// The lines of a parcel, with the cover photo of each product among `photos`.
fn pack_lines<'a>(parcel: &'a UnitParcel, photos: &[Photo]) -> Vec<PackLine<'a>> {
    parcel
        .items
        .iter()
        .map(|i| PackLine {
            quantity: i.quantity,
            name: &i.name,
            photo: photos
                .iter()
                .find(|p| p.product_id == i.product_id)
                .map(|p| PhotoView::from_photo(p, 320)),
        })
        .collect()
}

/// The buyer's whole address on one line.
fn full_address(s: &UnitShipment) -> String {
    format!(
        "{}, {}, {}, {} {}",
        s.address, s.district, s.city, s.province, s.postal_code
    )
}

/// The courier a parcel was handed to, by its stored code.
fn courier_label(code: Option<&str>) -> Option<&'static str> {
    code.and_then(Courier::parse).map(Courier::label)
}

/// `orders.html`: the unit's parcels in one tab.
#[derive(Debug, Serialize)]
pub struct ShipmentsPage<'a> {
    pub tabs: Vec<TabView>,
    pub tab: ParcelTab,
    /// Whether the unit has any parcel at all (in any tab).
    pub has_parcels: bool,
    pub shipments: Vec<ShipmentView<'a>>,
}

impl<'a> ShipmentsPage<'a> {
    /// Tab `tab` of the orders page: `counts` per tab, its `parcels` with their products'
    /// `photos`, times in `zone` (the unit's), and the refused "mark shipped" form if any.
    pub fn new(
        lang: Lang,
        tab: ParcelTab,
        counts: &[(ParcelTab, i64)],
        parcels: &'a [UnitParcel],
        photos: &[Photo],
        zone: Zone,
        attempt: Option<&'a ShipAttempt>,
    ) -> Self {
        let tabs = counts
            .iter()
            .map(|(t, count)| TabView {
                code: t.code(),
                count: *count,
                current: *t == tab,
            })
            .collect();
        Self {
            tabs,
            tab,
            has_parcels: counts.iter().any(|(_, n)| *n > 0),
            shipments: parcels
                .iter()
                .map(|p| {
                    let s = &p.shipment;
                    let paid = s.is_paid();
                    let pickup = is_pickup(&s.service);
                    let packed = s.packed_at.is_some();
                    let attempt = attempt.filter(|a| a.shipment_id == s.id);
                    let suggested = attempt
                        .and_then(|a| a.courier)
                        .or_else(|| s.courier.as_deref().and_then(Courier::parse))
                        .or_else(|| Courier::of_service(&s.service))
                        .unwrap_or(Courier::Jne);
                    ShipmentView {
                        id: s.id,
                        code: &s.order_code,
                        buyer: &s.buyer_name,
                        phone: paid.then_some(s.buyer_phone.as_str()),
                        address: paid.then(|| full_address(s)),
                        paid,
                        paid_at: s.paid_at.map(|ts| lang.date_time(ts, zone)),
                        city: &s.city,
                        service: &s.service_label,
                        status: s.status,
                        tab: ParcelTab::of(s.status, packed),
                        pickup,
                        can_ship: s.status.can_ship() && !pickup,
                        can_mark_ready: s.status.can_ship() && !packed,
                        can_hand_over: s.status.can_ship() && pickup && packed,
                        couriers: Courier::LISTED
                            .into_iter()
                            .map(|c| CourierChoice {
                                code: c.code(),
                                label: c.label(),
                                selected: c == suggested,
                            })
                            .collect(),
                        courier: courier_label(s.courier.as_deref()),
                        tracking: s.tracking_number.as_deref(),
                        typed_tracking: attempt.map(|a| a.typed.as_str()),
                        ship_error: attempt.map(|a| a.message(lang)),
                        items: pack_lines(p, photos),
                        pieces: p.items.iter().map(|i| i.quantity).sum(),
                        weight: format!("{} kg", s.weight_kg),
                        items_total: format_rupiah(s.items_total),
                        wage: format_rupiah(s.share_wage),
                        pnbp: format_rupiah(s.share_pnbp),
                        capital: format_rupiah(s.share_capital),
                    }
                })
                .collect(),
        }
    }
}

/// The unit as the sender on its labels.
#[derive(Debug, Serialize)]
pub struct SenderView<'a> {
    pub brand: &'a str,
    pub name: &'a str,
    pub address: &'a str,
    pub city: &'a str,
    pub province: &'a str,
    pub phone: &'a str,
}

/// One parcel on a packing slip or a shipping label.
#[derive(Debug, Serialize)]
pub struct PrintedParcel<'a> {
    pub id: i32,
    pub code: &'a str,
    pub buyer: &'a str,
    /// The recipient's phone and whole address, once the order is paid.
    pub phone: Option<&'a str>,
    pub address: Option<String>,
    pub paid: bool,
    pub paid_at: Option<String>,
    pub city: &'a str,
    pub service: &'a str,
    pub pickup: bool,
    pub courier: Option<&'static str>,
    pub tracking: Option<&'a str>,
    pub weight: String,
    pub items: Vec<PackLine<'a>>,
    pub pieces: i32,
    /// The order code as a QR code (SVG markup), on labels.
    pub qr_svg: Option<String>,
}

/// `print_slips.html` and `print_labels.html`: parcels to print, one page each.
#[derive(Debug, Serialize)]
pub struct PrintPage<'a> {
    pub sender: SenderView<'a>,
    pub parcels: Vec<PrintedParcel<'a>>,
}

impl<'a> PrintPage<'a> {
    /// Packing slips of `parcels` sent by `sender` (times in the unit's zone).
    pub fn slips(
        lang: Lang,
        parcels: &'a [UnitParcel],
        sender: &'a Sender,
    ) -> Result<Self, AppError> {
        Self::build(lang, parcels, sender, false)
    }

    /// Shipping labels (A6) of `parcels` sent by `sender`, each with its order code as a QR
    /// code.
    pub fn labels(
        lang: Lang,
        parcels: &'a [UnitParcel],
        sender: &'a Sender,
    ) -> Result<Self, AppError> {
        Self::build(lang, parcels, sender, true)
    }

    fn build(
        lang: Lang,
        parcels: &'a [UnitParcel],
        sender: &'a Sender,
        qr: bool,
    ) -> Result<Self, AppError> {
        let zone = Zone::of_province(&sender.province_iso);
        let mut printed = Vec::with_capacity(parcels.len());
        for p in parcels {
            let s = &p.shipment;
            let paid = s.is_paid();
            let qr_svg = if qr {
                Some(
                    qrcode::QrCode::new(s.order_code.as_bytes())
                        .map_err(AppError::internal)?
                        .render::<qrcode::render::svg::Color>()
                        .min_dimensions(112, 112)
                        .quiet_zone(true)
                        .build(),
                )
            } else {
                None
            };
            printed.push(PrintedParcel {
                id: s.id,
                code: &s.order_code,
                buyer: &s.buyer_name,
                phone: paid.then_some(s.buyer_phone.as_str()),
                address: paid.then(|| full_address(s)),
                paid,
                paid_at: s.paid_at.map(|ts| lang.date_time(ts, zone)),
                city: &s.city,
                service: &s.service_label,
                pickup: is_pickup(&s.service),
                courier: courier_label(s.courier.as_deref()),
                tracking: s.tracking_number.as_deref(),
                weight: format!("{} kg", s.weight_kg),
                items: pack_lines(p, &[]),
                pieces: p.items.iter().map(|i| i.quantity).sum(),
                qr_svg,
            });
        }
        Ok(Self {
            sender: SenderView {
                brand: &sender.brand,
                name: &sender.name,
                address: &sender.address,
                city: &sender.city,
                province: &sender.province,
                phone: &sender.phone,
            },
            parcels: printed,
        })
    }
}

/// A bank transfer to confirm.
#[derive(Debug, Serialize)]
pub struct PendingView<'a> {
    pub id: i32,
    pub code: &'a str,
    pub buyer: &'a str,
    pub total: String,
}

/// A paid order that may be refunded.
#[derive(Debug, Serialize)]
pub struct PaidView<'a> {
    pub id: i32,
    pub code: &'a str,
    pub buyer: &'a str,
    pub status: OrderStatus,
    /// Refunded through the provider (a card; QRIS or GoPay through Midtrans); otherwise the
    /// form asks for the reference of the transfer made by hand.
    pub through_provider: bool,
    pub total: String,
}

/// `payments.html`.
#[derive(Debug, Serialize)]
pub struct PaymentsPage<'a> {
    pub orders: Vec<PendingView<'a>>,
    pub paid: Vec<PaidView<'a>>,
}

impl<'a> PaymentsPage<'a> {
    pub fn new(pending: &'a [PendingPayment], paid: &'a [Refundable]) -> Self {
        Self {
            orders: pending
                .iter()
                .map(|o| PendingView {
                    id: o.id,
                    code: &o.code,
                    buyer: &o.buyer_name,
                    total: format_rupiah(o.total),
                })
                .collect(),
            paid: paid
                .iter()
                .map(|o| PaidView {
                    id: o.id,
                    code: &o.code,
                    buyer: &o.buyer_name,
                    status: o.status,
                    through_provider: o.through_provider,
                    total: format_rupiah(o.total),
                })
                .collect(),
        }
    }
}

/// A unit's document on its documents page.
#[derive(Debug, Serialize)]
pub struct DocumentView<'a> {
    pub id: i32,
    pub kind: &'a str,
    pub number: &'a str,
    pub issuer: &'a str,
    pub expires_on: Option<&'a str>,
    /// Review state, or `expired`.
    pub status: &'static str,
    pub reject_reason: Option<&'a str>,
    pub product_name: Option<&'a str>,
}

/// A kind of document a unit may upload.
#[derive(Debug, Serialize)]
pub struct KindChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub issuer: &'static str,
}

/// `documents.html`: the unit's documents and the upload form.
#[derive(Debug, Serialize)]
pub struct DocumentsPage<'a, F: Serialize> {
    pub documents: Vec<DocumentView<'a>>,
    pub kinds: Vec<KindChoice>,
    pub products: Vec<super::Choice<'a>>,
    pub form: &'a F,
    pub errors: &'a FieldErrors,
}

impl<'a, F: Serialize> DocumentsPage<'a, F> {
    pub fn new(
        lang: crate::i18n::Lang,
        documents: &'a [crate::models::certification::UnitDocument],
        products: &'a [crate::models::product::StaffRow],
        today: &str,
        form: &'a F,
        errors: &'a FieldErrors,
    ) -> Self {
        Self {
            documents: documents
                .iter()
                .map(|d| DocumentView {
                    id: d.id,
                    kind: &d.kind,
                    number: &d.number,
                    issuer: &d.issuer,
                    expires_on: d.expires_on.as_deref(),
                    status: crate::domain::document_state(
                        d.status,
                        d.expires_on.as_deref(),
                        d.expired_at.is_some(),
                        today,
                    ),
                    reject_reason: d.reject_reason.as_deref(),
                    product_name: d.product_name.as_deref(),
                })
                .collect(),
            kinds: crate::domain::CertificationKind::ALL
                .iter()
                .map(|k| KindChoice {
                    code: k.code(),
                    label: k.label(lang.code()),
                    issuer: k.issuer(),
                })
                .collect(),
            products: products
                .iter()
                .map(|p| super::Choice {
                    id: p.id,
                    name: &p.name,
                })
                .collect(),
            form,
            errors,
        }
    }
}

/// `import.html`: the CSV import, checked before anything is saved.
#[derive(Debug, Serialize)]
pub struct ImportPage<'a> {
    /// Message key of what is wrong with the file as a whole.
    pub file_problem: Option<&'static str>,
    pub missing_columns: String,
    pub columns: String,
    pub problems: &'a [crate::domain::import::RowProblem],
    pub valid_count: usize,
    pub bad_count: usize,
    pub csv_text: &'a str,
    pub import_key: crate::domain::FormKey,
}

/// `login.html`.
#[derive(Debug, Serialize)]
pub struct LoginPage<'a> {
    /// The back-office path to go on to after signing in.
    pub next: &'a str,
    pub email: &'a str,
    pub error: Option<&'a str>,
}

/// `forgot.html`: asking for a reset link, or being told it was sent.
#[derive(Debug, Serialize)]
pub struct ForgotPage {
    pub sent: bool,
}

/// `reset.html`: choosing a new password with the mailed token.
#[derive(Debug, Serialize)]
pub struct ResetPage<'a> {
    pub token: &'a str,
    pub valid: bool,
    pub error: Option<&'a str>,
}

/// A listing waiting for review.
#[derive(Debug, Serialize)]
pub struct QueueRowView<'a> {
    pub id: i32,
    pub name: &'a str,
    pub unit_name: &'a str,
    pub province_name: &'a str,
    /// What the legal rules still ask of it, in words (one line per rule): published
    /// without it, it shows as "Menunggu legalitas" and cannot be bought.
    pub missing_documents: Vec<String>,
}

/// A unit whose proposed profile waits for review.
#[derive(Debug, Serialize)]
pub struct ProposalRowView<'a> {
    pub id: i32,
    pub unit_name: &'a str,
    pub province_name: &'a str,
    /// Message keys of what the proposal changes: brand, story, logo, banner.
    pub changes: Vec<&'static str>,
}

impl<'a> ProposalRowView<'a> {
    fn new(unit: &'a Unit, province_name: &'a str) -> Self {
        let parts = [
            (unit.pending_brand_name.is_some(), "unit-form-brand"),
            (unit.pending_story.is_some(), "unit-form-story"),
            (unit.pending_logo.is_some(), "unit-picture-logo"),
            (unit.pending_banner.is_some(), "unit-picture-banner"),
        ];
        Self {
            id: unit.id,
            unit_name: &unit.name,
            province_name,
            changes: parts
                .into_iter()
                .filter_map(|(changed, key)| changed.then_some(key))
                .collect(),
        }
    }
}

/// `review_queue.html`: listings, documents and unit profiles waiting for this reviewer.
#[derive(Debug, Serialize)]
pub struct ReviewQueuePage<'a> {
    pub queue: Vec<QueueRowView<'a>>,
    pub documents: &'a [crate::models::certification::PendingDocument],
    pub proposals: Vec<ProposalRowView<'a>>,
}

impl<'a> ReviewQueuePage<'a> {
    pub fn new(
        lang: crate::i18n::Lang,
        rows: &'a [crate::models::product::QueueRow],
        missing: &std::collections::HashMap<i32, crate::domain::legal::MissingDocuments>,
        documents: &'a [crate::models::certification::PendingDocument],
        proposals: &'a [(Unit, String)],
    ) -> Self {
        Self {
            queue: rows
                .iter()
                .map(|r| QueueRowView {
                    id: r.id,
                    name: &r.name,
                    unit_name: &r.unit_name,
                    province_name: &r.province_name,
                    missing_documents: missing
                        .get(&r.id)
                        .map(|m| super::legal::missing_lines(lang, m))
                        .unwrap_or_default(),
                })
                .collect(),
            documents,
            proposals: proposals
                .iter()
                .map(|(unit, province)| ProposalRowView::new(unit, province))
                .collect(),
        }
    }
}

/// Where the staff of unit `unit_id` and its reviewers see the logo or banner it proposed
/// (never public media).
pub fn proposed_picture_url(unit_id: i32, which: BrandPicture) -> String {
    format!("/kelola/unit/{unit_id}/usulan/{}", which.code())
}

/// A logo or banner on the unit's form: the public one and the one proposed.
#[derive(Debug, Serialize)]
pub struct PictureView {
    /// `logo` or `banner`.
    pub which: &'static str,
    /// The public picture's address.
    pub current: Option<String>,
    /// The proposed picture's preview address.
    pub proposed: Option<String>,
}

impl PictureView {
    fn of(unit: &Unit, which: BrandPicture) -> Self {
        Self {
            which: which.code(),
            current: unit.picture(which).map(crate::services::media::file_url),
            proposed: unit
                .proposed_picture(which)
                .map(|_| proposed_picture_url(unit.id, which)),
        }
    }
}

/// `unit_form.html`: the profile form (the brand and story proposed when they wait for
/// review), where the proposal stands, and the pictures.
#[derive(Debug, Serialize)]
pub struct UnitFormPage<'a, F: Serialize> {
    pub form: &'a F,
    pub errors: &'a FieldErrors,
    /// A change of brand, story, logo or banner waits for review.
    pub pending: bool,
    /// Why a reviewer sent the last proposal back, until the unit proposes another.
    pub return_reason: Option<&'a str>,
    pub pictures: Vec<PictureView>,
    /// The address of the unit's static QRIS image for its booth till (only its staff are
    /// served it); None when it has none.
    pub qris: Option<String>,
}

impl<'a, F: Serialize> UnitFormPage<'a, F> {
    pub fn new(unit: &'a Unit, form: &'a F, errors: &'a FieldErrors) -> Self {
        Self {
            form,
            errors,
            pending: unit.has_proposal(),
            return_reason: unit.profile_return_reason.as_deref(),
            qris: unit
                .qris_image
                .as_deref()
                .map(|file| crate::views::fair_sales::static_qris_address(unit.id, file)),
            pictures: BrandPicture::ALL
                .into_iter()
                .map(|which| PictureView::of(unit, which))
                .collect(),
        }
    }
}

/// One side of a unit's profile under review: as public now, or as it would be once approved.
#[derive(Debug, Serialize)]
pub struct ProfileSide<'a> {
    /// `current` or `proposed` (its heading).
    pub side: &'static str,
    pub brand_name: &'a str,
    pub story: &'a str,
    pub logo: Option<String>,
    pub banner: Option<String>,
    /// What differs from the public profile (nothing, on the public side).
    pub changed: ProfileChanges,
}

/// What a proposal changes.
#[derive(Debug, Default, Serialize)]
pub struct ProfileChanges {
    pub brand_name: bool,
    pub story: bool,
    pub logo: bool,
    pub banner: bool,
}

/// The unit whose profile is under review.
#[derive(Debug, Serialize)]
pub struct UnitUnderReview<'a> {
    pub id: i32,
    pub name: &'a str,
    pub province_name: &'a str,
}

/// The text proposed, or the public one when nothing is.
fn or_public<'a>(proposed: &'a Option<String>, public: &'a str) -> &'a str {
    proposed.as_deref().unwrap_or(public)
}

/// `review_unit.html`: a unit's public profile beside the one it proposes.
#[derive(Debug, Serialize)]
pub struct ReviewUnitPage<'a> {
    pub unit: UnitUnderReview<'a>,
    /// A proposal waits; without one the page says so and has no form.
    pub pending: bool,
    /// `pending_changed_at` of what the reviewer sees: a decision on an older version is
    /// refused.
    pub version: i64,
    /// The public profile, then the proposed one.
    pub sides: [ProfileSide<'a>; 2],
    pub error: Option<&'a str>,
    pub reason: &'a str,
}

impl<'a> ReviewUnitPage<'a> {
    /// `unit` of province `province_name` for its reviewer; `error` and `reason` of a decision
    /// that came back.
    pub fn new(
        unit: &'a Unit,
        province_name: &'a str,
        error: Option<&'a str>,
        reason: &'a str,
    ) -> Self {
        let public = |which| unit.picture(which).map(crate::services::media::file_url);
        let after = |which| match unit.proposed_picture(which) {
            Some(_) => Some(proposed_picture_url(unit.id, which)),
            None => public(which),
        };
        Self {
            unit: UnitUnderReview {
                id: unit.id,
                name: &unit.name,
                province_name,
            },
            pending: unit.has_proposal(),
            version: unit.pending_changed_at.unwrap_or_default(),
            sides: [
                ProfileSide {
                    side: "current",
                    brand_name: &unit.brand_name,
                    story: &unit.story,
                    logo: public(BrandPicture::Logo),
                    banner: public(BrandPicture::Banner),
                    changed: ProfileChanges::default(),
                },
                ProfileSide {
                    side: "proposed",
                    brand_name: or_public(&unit.pending_brand_name, &unit.brand_name),
                    story: or_public(&unit.pending_story, &unit.story),
                    logo: after(BrandPicture::Logo),
                    banner: after(BrandPicture::Banner),
                    changed: ProfileChanges {
                        brand_name: unit.pending_brand_name.is_some(),
                        story: unit.pending_story.is_some(),
                        logo: unit.pending_logo.is_some(),
                        banner: unit.pending_banner.is_some(),
                    },
                },
            ],
            error,
            reason,
        }
    }
}

/// The listing under review.
#[derive(Debug, Serialize)]
pub struct ReviewedProduct<'a> {
    pub id: i32,
    pub name: &'a str,
    pub stock: i32,
    /// In Indonesian.
    pub description: &'a str,
    /// In English; empty when there is none. Reviewers see both.
    pub description_en: &'a str,
    pub status: crate::domain::ProductStatus,
    /// `updated_at` of what the reviewer sees: a decision on an older version is refused.
    pub version: i64,
}

/// `review_product.html`.
#[derive(Debug, Serialize)]
pub struct ReviewProductPage<'a> {
    pub product: ReviewedProduct<'a>,
    pub price: String,
    pub unit_name: &'a str,
    pub photos: Vec<super::cards::PhotoView>,
    pub documents: &'a [crate::models::certification::DocumentRow],
    /// What the legal rules still ask of it, in words (one line per rule).
    pub missing_documents: Vec<String>,
    pub error: Option<&'a str>,
    pub reason: &'a str,
}

impl<'a> ReviewProductPage<'a> {
    /// The listing `product` of unit `unit_name` for its reviewer, with its photos, its legal
    /// documents and what the legal rules still ask of it; `error` and `reason` of a decision
    /// that came back.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: crate::i18n::Lang,
        product: &'a crate::models::product::Product,
        unit_name: &'a str,
        photos: &[crate::models::product::Photo],
        documents: &'a [crate::models::certification::DocumentRow],
        missing: &crate::domain::legal::MissingDocuments,
        error: Option<&'a str>,
        reason: &'a str,
    ) -> Self {
        Self {
            product: ReviewedProduct {
                id: product.id,
                name: &product.name,
                stock: product.stock,
                description: &product.description,
                description_en: &product.description_en,
                status: product.status,
                version: product.updated_at,
            },
            price: super::cards::format_price(product.price),
            unit_name,
            photos: photos
                .iter()
                .map(|ph| super::cards::PhotoView::from_photo(ph, 320))
                .collect(),
            documents,
            missing_documents: super::legal::missing_lines(lang, missing),
            error,
            reason,
        }
    }
}

/// An entry of the audit log, in WIB.
#[derive(Debug, Serialize)]
pub struct AuditView<'a> {
    pub when: String,
    pub user_name: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<i32>,
    pub before_json: Option<&'a str>,
    pub after_json: Option<&'a str>,
}

/// `audit.html`.
#[derive(Debug, Serialize)]
pub struct AuditPage<'a> {
    pub entries: Vec<AuditView<'a>>,
}

impl<'a> AuditPage<'a> {
    pub fn new(lang: crate::i18n::Lang, entries: &'a [crate::models::audit::Entry]) -> Self {
        Self {
            entries: entries
                .iter()
                .map(|e| AuditView {
                    // The directorate reads the log in Jakarta time.
                    when: lang.date_time(e.created_at, Zone::Wib),
                    user_name: e.user_name.as_deref(),
                    action: &e.action,
                    entity: &e.entity,
                    entity_id: e.entity_id,
                    before_json: e.before_json.as_deref(),
                    after_json: e.after_json.as_deref(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CategoryChoice {
    pub id: i32,
    pub name: String,
}

/// A photo of the listing being edited, in its place (the first is the main photo).
#[derive(Debug, Serialize)]
pub struct PhotoThumb {
    pub id: i32,
    pub alt: String,
    /// The 320 px variant.
    pub src: String,
    /// Every variant, for `srcset`.
    pub srcset: String,
}

/// What the product form offers, from the listing's status (`ProductStatus::staff_actions`);
/// a new listing is only saved.
#[derive(Debug, Serialize)]
pub struct FormActions {
    /// Save the form (the primary action) and change the photos.
    pub save: bool,
    pub submit: bool,
    /// Archive (a danger action, apart from the others).
    pub archive: bool,
    pub restore: bool,
}

impl FormActions {
    /// The actions of a listing in `status`, or of a new one (`None`).
    pub fn of(status: Option<crate::domain::ProductStatus>) -> Self {
        use crate::domain::ListingAction;
        let may = |action: ListingAction| {
            status.map_or(action == ListingAction::Save, |s| s.staff_may(action))
        };
        Self {
            save: may(ListingAction::Save),
            submit: may(ListingAction::Submit),
            archive: may(ListingAction::Archive),
            restore: may(ListingAction::Restore),
        }
    }
}

/// A legal document of the listing being edited.
#[derive(Debug, Serialize)]
pub struct ProductDocumentView<'a> {
    pub id: i32,
    /// The kind's name in the reader's language.
    pub kind: &'a str,
    pub number: &'a str,
    pub expires_on: Option<&'a str>,
    /// Review state, or `expired` (the suffix of its `doc-status-` message).
    pub status: &'static str,
}

/// What the product form shows besides the form: the categories and, for a listing being
/// edited, its photos (in order) and legal documents.
pub struct ProductFormRows {
    pub categories: std::sync::Arc<Vec<crate::models::catalog::Category>>,
    pub photos: Vec<Photo>,
    pub documents: Vec<crate::models::certification::DocumentRow>,
    /// What the legal rules still ask of the listing being edited.
    pub missing: crate::domain::legal::MissingDocuments,
}

/// `product_form.html`: a new listing, or one being edited, in five sections (information,
/// price and stock, photos, size and weight, legal documents) and the actions its status
/// allows.
#[derive(Debug, Serialize)]
pub struct ProductFormPage<'a> {
    pub categories: Vec<CategoryChoice>,
    pub form: &'a crate::domain::ProductForm,
    pub errors: &'a FieldErrors,
    pub product_id: Option<i32>,
    pub status: Option<crate::domain::ProductStatus>,
    pub actions: FormActions,
    /// Message key of what the status means for the form (in review, archived).
    pub status_note: Option<&'static str>,
    pub stock_now: Option<i32>,
    pub return_reason: Option<String>,
    pub photos: Vec<PhotoThumb>,
    /// The photo description typed with a refused upload.
    pub photo_alt: String,
    pub max_upload_mb: usize,
    pub documents: Vec<ProductDocumentView<'a>>,
    /// What the legal rules still ask of it, in words (one line per rule): while any is
    /// missing it shows as "Menunggu legalitas" and cannot be bought.
    pub missing_documents: Vec<String>,
}

impl<'a> ProductFormPage<'a> {
    /// The form of `product` (None: a new one) as typed, with what is wrong with it; `today`
    /// (ISO) tells which documents have run out.
    pub fn new(
        lang: crate::i18n::Lang,
        rows: &'a ProductFormRows,
        product: Option<&crate::models::product::Product>,
        today: &str,
        form: &'a crate::domain::ProductForm,
        errors: &'a FieldErrors,
    ) -> Self {
        use crate::domain::ProductStatus;
        use crate::services::media;
        let status = product.map(|p| p.status);
        Self {
            categories: rows
                .categories
                .iter()
                .map(|c| CategoryChoice {
                    id: c.id,
                    name: c.name(lang.code()).to_string(),
                })
                .collect(),
            form,
            errors,
            product_id: product.map(|p| p.id),
            status,
            actions: FormActions::of(status),
            status_note: match status {
                Some(ProductStatus::Submitted) => Some("product-note-in-review"),
                Some(ProductStatus::Archived) => Some("product-note-archived"),
                _ => None,
            },
            stock_now: product.map(|p| p.stock),
            return_reason: product.and_then(|p| p.return_reason.clone()),
            photos: rows
                .photos
                .iter()
                .map(|ph| PhotoThumb {
                    id: ph.id,
                    alt: ph.alt.clone(),
                    src: media::variant_url(&ph.path_base, 320),
                    srcset: media::srcset(&ph.path_base),
                })
                .collect(),
            photo_alt: String::new(),
            max_upload_mb: crate::services::images::MAX_BYTES / 1024 / 1024,
            documents: rows
                .documents
                .iter()
                .map(|d| ProductDocumentView {
                    id: d.id,
                    kind: crate::domain::CertificationKind::parse(&d.kind)
                        .map_or(d.kind.as_str(), |k| k.label(lang.code())),
                    number: &d.number,
                    expires_on: d.expires_on.as_deref(),
                    status: crate::domain::document_state(
                        d.status,
                        d.expires_on.as_deref(),
                        false,
                        today,
                    ),
                })
                .collect(),
            missing_documents: super::legal::missing_lines(lang, &rows.missing),
        }
    }
}

// ---- The units registry (`/kelola/daftar-unit`) -----------------------------------------

/// Units on a page of the registry.
pub const REGISTRY_PER_PAGE: u32 = 50;

/// A kind of unit, as the registry's selects offer it.
#[derive(Debug, Serialize)]
pub struct KindOption {
    pub code: &'static str,
    pub short_name: &'static str,
    pub label: &'static str,
}

/// Every kind of unit, for a select.
pub(crate) fn kind_options(lang: crate::i18n::Lang) -> Vec<KindOption> {
    crate::domain::UnitKind::ALL
        .iter()
        .map(|k| KindOption {
            code: k.code(),
            short_name: k.short_name(),
            label: k.label(lang.code()),
        })
        .collect()
}

/// A unit in the registry's list.
#[derive(Debug, Serialize)]
pub struct RegistryRowView<'a> {
    pub id: i32,
    pub slug: &'a str,
    pub name: &'a str,
    /// `Lapas`, `Rutan`, `LPKA`, `Bapas`.
    pub kind: &'static str,
    pub class: &'a str,
    pub city: &'a str,
    pub province: &'a str,
    pub active: bool,
    /// Wages / PNBP / capital, in per cent: `35/40/25`.
    pub split: String,
}

/// The list's filters as typed, for the form to show them again.
#[derive(Debug, Serialize)]
pub struct RegistryFilterView {
    pub q: String,
    pub province_id: Option<i32>,
    pub kind: Option<&'static str>,
    pub status: Option<&'static str>,
    /// `tanpa` when only units without active staff are listed.
    pub staff: Option<&'static str>,
    /// Some filter is on.
    pub any: bool,
}

/// `units.html`: the registry, searched and filtered, a page at a time.
#[derive(Debug, Serialize)]
pub struct RegistryPage<'a> {
    pub units: Vec<RegistryRowView<'a>>,
    pub total: i64,
    pub filters: RegistryFilterView,
    pub provinces: Vec<super::Choice<'a>>,
    pub kinds: Vec<KindOption>,
    pub pagination: super::cards::Pagination,
}

impl<'a> RegistryPage<'a> {
    /// `q` is the search as typed; `filter` what was read from it and the other parameters.
    pub fn new(
        lang: crate::i18n::Lang,
        rows: &'a [crate::models::unit::RegistryRow],
        total: i64,
        provinces: &'a [crate::domain::units::ProvinceRef],
        q: &str,
        filter: &crate::domain::units::RegistryFilter,
        page: u32,
    ) -> Self {
        let q: String = q.trim().chars().take(100).collect();
        let kind = filter.kind.map(|k| k.code());
        let status = filter.active.map(|a| a.code());
        let staff = filter
            .without_staff
            .then_some(crate::domain::units::WITHOUT_STAFF);
        let province = filter.province_id.map(|id| id.to_string());
        let link = |n: u32| {
            super::filtered_list_url(
                "/kelola/daftar-unit",
                &q,
                &[
                    ("provinsi", province.as_deref()),
                    ("jenis", kind),
                    ("status", status),
                    ("staf", staff),
                ],
                n,
            )
        };
        let pagination = super::cards::Pagination::new(lang, page, REGISTRY_PER_PAGE, total, link);
        Self {
            units: rows
                .iter()
                .map(|r| RegistryRowView {
                    id: r.id,
                    slug: &r.slug,
                    name: &r.name,
                    kind: crate::domain::UnitKind::parse(&r.kind)
                        .map(|k| k.short_name())
                        .unwrap_or_default(),
                    class: &r.class,
                    city: &r.city,
                    province: &r.province_name,
                    active: r.active == 1,
                    split: format!(
                        "{}/{}/{}",
                        r.split_wage_pct, r.split_pnbp_pct, r.split_capital_pct
                    ),
                })
                .collect(),
            total,
            filters: RegistryFilterView {
                any: !q.is_empty()
                    || filter.province_id.is_some()
                    || kind.is_some()
                    || status.is_some()
                    || staff.is_some(),
                q,
                province_id: filter.province_id,
                kind,
                status,
                staff,
            },
            provinces: provinces
                .iter()
                .map(|p| super::Choice {
                    id: p.id,
                    name: &p.name,
                })
                .collect(),
            kinds: kind_options(lang),
            pagination,
        }
    }
}

/// The unit being edited, beside its form.
#[derive(Debug, Serialize)]
pub struct RegisteredUnitView<'a> {
    pub id: i32,
    pub slug: &'a str,
    pub name: &'a str,
    pub active: bool,
}

/// `unit_registry_form.html`: a new unit, or a registered one with its switch.
#[derive(Debug, Serialize)]
pub struct RegistryFormPage<'a> {
    pub form: &'a crate::domain::units::UnitForm,
    pub errors: &'a FieldErrors,
    pub provinces: Vec<super::Choice<'a>>,
    /// The province chosen in the form, if it reads as an id.
    pub province_id: Option<i32>,
    pub kinds: Vec<KindOption>,
    pub unit: Option<RegisteredUnitView<'a>>,
}

impl<'a> RegistryFormPage<'a> {
    pub fn new(
        lang: crate::i18n::Lang,
        provinces: &'a [crate::domain::units::ProvinceRef],
        unit: Option<&'a crate::models::unit::Unit>,
        form: &'a crate::domain::units::UnitForm,
        errors: &'a FieldErrors,
    ) -> Self {
        Self {
            form,
            errors,
            provinces: provinces
                .iter()
                .map(|p| super::Choice {
                    id: p.id,
                    name: &p.name,
                })
                .collect(),
            province_id: form.province_id.trim().parse().ok(),
            kinds: kind_options(lang),
            unit: unit.map(|u| RegisteredUnitView {
                id: u.id,
                slug: &u.slug,
                name: &u.name,
                active: u.is_active(),
            }),
        }
    }
}

/// A line of a units file and what importing it would do (or did), in the reader's language.
/// The page shows these lines and `etalase units import` prints them, the same.
#[derive(Debug, Clone, Serialize)]
pub struct ImportLineView {
    pub line: u64,
    pub name: String,
    pub province: String,
    /// `new`, `changed`, `unchanged` or `refused`.
    pub outcome: &'static str,
    /// What the outcome is called: "baru", "berubah", …
    pub outcome_label: String,
    /// The fields that change, or what is wrong with the line.
    pub notes: Vec<String>,
}

impl ImportLineView {
    pub fn new(lang: crate::i18n::Lang, line: &crate::domain::units::PlanLine) -> Self {
        use crate::domain::units::LineOutcome;
        let outcome = line.outcome.code();
        let notes = match &line.outcome {
            LineOutcome::Changed { fields, .. } => {
                fields.iter().map(|key| lang.text(key)).collect()
            }
            LineOutcome::Refused(keys) => keys.iter().map(|key| lang.text(key)).collect(),
            LineOutcome::New(_) | LineOutcome::Unchanged { .. } => Vec::new(),
        };
        Self {
            line: line.line,
            name: line.name.clone(),
            province: line.province.clone(),
            outcome,
            outcome_label: lang.text(&format!("units-import-outcome-{outcome}")),
            notes,
        }
    }

    /// The line as text: `baris 3: berubah — Lapas Kelas I Sukamiskin (Jawa Barat): kota, telepon`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        let mut out = format!(
            "{} {}: {} — {} ({})",
            lang.text("units-import-line").to_lowercase(),
            self.line,
            self.outcome_label,
            self.name,
            self.province
        );
        if !self.notes.is_empty() {
            out.push_str(": ");
            out.push_str(&self.notes.join("; "));
        }
        out
    }
}

/// How many lines of a plan do what.
#[derive(Debug, Clone, Serialize)]
pub struct ImportCounts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub refused: usize,
}

impl ImportCounts {
    pub fn of(plan: &crate::domain::units::ImportPlan) -> Self {
        Self {
            new: plan.new_units(),
            changed: plan.changed(),
            unchanged: plan.unchanged(),
            refused: plan.refused(),
        }
    }

    /// The counts in a sentence, as the page and the command line say them.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        use fluent_templates::fluent_bundle::FluentValue;
        let n = |count: usize| FluentValue::from(count as i64);
        lang.text_with(
            "units-import-counts",
            &[
                ("new", n(self.new)),
                ("changed", n(self.changed)),
                ("unchanged", n(self.unchanged)),
                ("refused", n(self.refused)),
            ],
        )
    }
}

/// `unit_import.html`: the import of the official list, its dry run line by line, and the
/// button that applies it when no line is refused.
#[derive(Debug, Serialize)]
pub struct UnitImportPage<'a> {
    pub columns: String,
    /// Message key of what is wrong with the file as a whole.
    pub file_problem: Option<&'static str>,
    pub missing_columns: String,
    pub lines: Vec<ImportLineView>,
    pub counts: Option<ImportCounts>,
    /// The counts in a sentence.
    pub summary: Option<String>,
    /// No line is refused and something would change: the file may be applied.
    pub can_apply: bool,
    /// The file sent again by the "Terapkan" form.
    pub csv_text: &'a str,
}

impl<'a> UnitImportPage<'a> {
    pub fn new(
        lang: crate::i18n::Lang,
        problem: Option<&crate::domain::import::FileProblem>,
        plan: Option<&crate::domain::units::ImportPlan>,
        csv_text: &'a str,
    ) -> Self {
        use crate::domain::import::FileProblem;
        Self {
            columns: crate::domain::units::CSV_COLUMNS.join(","),
            file_problem: problem.map(crate::domain::units::file_problem_key),
            missing_columns: match problem {
                Some(FileProblem::MissingColumns(m)) => m.join(", "),
                _ => String::new(),
            },
            lines: plan
                .map(|p| {
                    p.lines
                        .iter()
                        .map(|l| ImportLineView::new(lang, l))
                        .collect()
                })
                .unwrap_or_default(),
            counts: plan.map(ImportCounts::of),
            summary: plan.map(|p| ImportCounts::of(p).summary(lang)),
            can_apply: plan.is_some_and(|p| p.is_clean() && p.new_units() + p.changed() > 0),
            csv_text,
        }
    }
}
