//! View-models of the checkout and order pages (`templates/pages/public/checkout*.html`,
//! `order.html`). Each page is one `Serialize` struct; `docs/view-contract.md` lists them.

use serde::Serialize;

use super::cards::PhotoView;
use crate::config::BankAccount;
use crate::domain::format_rupiah;
use crate::domain::midtrans::{Channel, Instructions, OnlinePayment};
use crate::domain::order::{
    is_pickup, parcel_tracking_url, whatsapp_chat_url, CheckoutForm, Contact, Courier,
    ShipmentStatus, ShippingOption,
};
use crate::domain::payment::{CardPayment, PaymentMethod};
use crate::domain::time::Zone;
use crate::domain::{FieldErrors, Quantity};
use crate::i18n::Lang;
use crate::models::cart::CartLine;
use crate::models::catalog::Province;
use crate::models::order::{ItemRow, OrderRow, ShipmentRow, UnitShipping};
use crate::models::product::Photo;

/// `checkout.html`: the contact and address form.
#[derive(Debug, Serialize)]
pub struct ContactPage<'a> {
    pub provinces: Vec<super::Choice<'a>>,
    pub form: &'a CheckoutForm,
    pub errors: &'a FieldErrors,
}

impl<'a> ContactPage<'a> {
    pub fn new(provinces: &'a [Province], form: &'a CheckoutForm, errors: &'a FieldErrors) -> Self {
        Self {
            provinces: provinces
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

/// A cart line of one unit: name, quantity, line total.
#[derive(Debug, Serialize)]
pub struct LineView<'a> {
    pub name: &'a str,
    pub quantity: i32,
    pub total: String,
}

impl<'a> LineView<'a> {
    /// The lines of `unit_id`.
    pub fn of_unit(lines: &'a [CartLine], unit_id: i32) -> Vec<Self> {
        lines
            .iter()
            .filter(|l| l.unit_id == unit_id)
            .map(|l| Self {
                name: &l.name,
                quantity: l.quantity,
                total: format_rupiah(l.line_total()),
            })
            .collect()
    }
}

#[derive(Debug, Serialize)]
pub struct OptionView<'a> {
    pub code: &'a str,
    pub label: &'a str,
    pub fee: String,
    pub days: &'a str,
    pub first: bool,
}

/// One unit's parcel on the shipping page, with its shipping options.
#[derive(Debug, Serialize)]
pub struct ShippingUnit<'a> {
    pub unit_id: i32,
    pub brand: &'a str,
    pub items: String,
    pub lines: Vec<LineView<'a>>,
    pub options: Vec<OptionView<'a>>,
}

/// `checkout_shipping.html`: a shipping choice per unit and the payment method.
#[derive(Debug, Serialize)]
pub struct ShippingPage<'a> {
    pub units: Vec<ShippingUnit<'a>>,
    pub contact: &'a Contact,
    pub items_total: String,
    /// The form's order key (field `kunci`).
    pub idempotency_key: crate::domain::FormKey,
    pub problem: Option<&'a str>,
    /// The cart as shown (field `isi`).
    pub fingerprint: String,
    pub card_payments: bool,
    /// QRIS, virtual accounts and GoPay through Midtrans are offered.
    pub online_payments: bool,
}

impl<'a> ShippingPage<'a> {
    pub fn new(
        contact: &'a Contact,
        lines: &'a [CartLine],
        shipping: &'a UnitShipping,
        problem: Option<&'a str>,
        card_payments: bool,
        online_payments: bool,
        idempotency_key: crate::domain::FormKey,
    ) -> Self {
        let units = shipping
            .iter()
            .map(|(unit_id, (brand, items, options))| ShippingUnit {
                unit_id: *unit_id,
                brand,
                items: format_rupiah(*items),
                lines: LineView::of_unit(lines, *unit_id),
                options: options
                    .iter()
                    .enumerate()
                    .map(|(i, o)| OptionView {
                        code: &o.code,
                        label: &o.label,
                        fee: format_rupiah(o.fee),
                        days: &o.days,
                        first: i == 0,
                    })
                    .collect(),
            })
            .collect();
        Self {
            units,
            contact,
            items_total: format_rupiah(shipping.values().map(|(_, i, _)| *i).sum()),
            idempotency_key,
            problem,
            fingerprint: crate::models::cart::fingerprint(lines),
            card_payments,
            online_payments,
        }
    }
}

/// One unit's parcel on the review page, with the chosen shipping.
#[derive(Debug, Serialize)]
pub struct ReviewUnit<'a> {
    pub unit_id: i32,
    pub brand: &'a str,
    pub items: String,
    pub lines: Vec<LineView<'a>>,
    pub code: &'a str,
    pub pickup: bool,
    pub label: &'a str,
    pub fee: String,
    pub days: &'a str,
    pub subtotal: String,
}

/// `checkout_review.html`: every total and the button that places the order.
#[derive(Debug, Serialize)]
pub struct ReviewPage<'a> {
    pub units: Vec<ReviewUnit<'a>>,
    pub contact: &'a Contact,
    pub items_total: String,
    pub shipping_total: String,
    pub grand_total: String,
    pub card: bool,
    /// Paid through Midtrans (QRIS, a virtual account or GoPay, chosen on the order page).
    pub online: bool,
    pub bayar: String,
    pub kunci: String,
    pub isi: String,
}

impl<'a> ReviewPage<'a> {
    /// The review of `shipping` with the option chosen per unit (`chosen`, in the same order).
    pub fn new(
        contact: &'a Contact,
        lines: &'a [CartLine],
        chosen: Vec<(i32, &'a str, i64, &'a ShippingOption)>,
        method: PaymentMethod,
        bayar: String,
        kunci: String,
    ) -> Self {
        let items_total: i64 = chosen.iter().map(|(_, _, items, _)| items).sum();
        let shipping_total: i64 = chosen.iter().map(|(_, _, _, o)| o.fee).sum();
        let units = chosen
            .into_iter()
            .map(|(unit_id, brand, items, option)| ReviewUnit {
                unit_id,
                brand,
                items: format_rupiah(items),
                lines: LineView::of_unit(lines, unit_id),
                code: &option.code,
                pickup: option.code == "ambil",
                label: &option.label,
                fee: format_rupiah(option.fee),
                days: &option.days,
                subtotal: format_rupiah(items + option.fee),
            })
            .collect();
        Self {
            units,
            contact,
            items_total: format_rupiah(items_total),
            shipping_total: format_rupiah(shipping_total),
            grand_total: format_rupiah(items_total + shipping_total),
            card: method == PaymentMethod::Card,
            online: method == PaymentMethod::Midtrans,
            bayar,
            kunci,
            isi: crate::models::cart::fingerprint(lines),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OrderLine<'a> {
    pub name: &'a str,
    pub quantity: i32,
    pub price: String,
}

/// One parcel of an order.
#[derive(Debug, Serialize)]
pub struct ParcelView<'a> {
    pub unit_name: &'a str,
    pub service: &'a str,
    pub fee: String,
    pub status: crate::domain::order::ShipmentStatus,
    pub has_left: bool,
    /// The parcel's place on its timeline (prepared, sent, received): how many of the three
    /// steps are reached; None for a cancelled parcel, which has no timeline.
    pub reached: Option<u8>,
    pub tracking: Option<&'a str>,
    /// The courier's page that follows the parcel (opened in a new tab): of the courier the
    /// unit handed it to, else of the buyer's shipping option; None for pickup.
    pub tracking_url: Option<String>,
    /// The courier the unit handed it to, when not the one of the buyer's shipping option.
    pub courier: Option<&'static str>,
    /// Picked up at the unit (at `unit_address`).
    pub pickup: bool,
    /// The code to show the unit's staff, once a pickup parcel is ready and until it is
    /// handed over.
    pub pickup_code: Option<&'a str>,
    pub unit_address: &'a str,
    /// A WhatsApp chat with the unit about this parcel, the order code typed in; None when the
    /// unit's number is not a mobile number.
    pub contact_url: Option<String>,
    pub lines: Vec<OrderLine<'a>>,
}

#[derive(Debug, Serialize)]
pub struct OrderSummary<'a> {
    pub code: &'a str,
    pub status: crate::domain::order::OrderStatus,
    /// Message key of the state as the buyer reads it.
    pub summary: &'static str,
    pub awaits_payment: bool,
    pub awaits_delivery: bool,
    pub items_total: String,
    pub shipping_total: String,
    pub unique_code: i32,
    pub total: String,
    pub buyer_name: &'a str,
    pub address: &'a str,
    pub city: &'a str,
    pub postal_code: &'a str,
    /// The payment deadline in the delivery province's zone.
    pub expires: String,
    /// The same moment as ISO 8601 with the zone's offset, for `<time datetime>`.
    pub expires_iso: String,
    /// An unpaid bank transfer or Midtrans payment: the page counts down to the deadline
    /// (`js/countdown.js`).
    pub counts_down: bool,
}

/// A channel the buyer may pay through (Midtrans).
#[derive(Debug, Serialize)]
pub struct ChannelView {
    pub code: &'static str,
    pub label: &'static str,
    /// The channel of the charge open now.
    pub current: bool,
}

/// What the buyer does to pay the open Midtrans charge.
#[derive(Debug, Serialize)]
pub struct InstructionsView<'a> {
    /// `qr`, `va`, `bill` or `gopay` (`order-online-pay-{kind}`).
    pub kind: &'static str,
    pub label: &'static str,
    /// The QR code to scan, as inline SVG (QRIS; GoPay away from a phone).
    pub qr_svg: Option<String>,
    /// A virtual account number (copied with "Salin").
    pub va_number: Option<&'a str>,
    /// Mandiri bill payment: company code and bill key.
    pub biller_code: Option<&'a str>,
    pub bill_key: Option<&'a str>,
    /// GoPay on a phone: opens the Gojek app.
    pub deeplink: Option<&'a str>,
}

/// The Midtrans part of an unpaid order's page.
#[derive(Debug, Serialize)]
pub struct OnlineView<'a> {
    /// Every channel, in the order offered.
    pub channels: Vec<ChannelView>,
    /// The charge open now; None: the buyer chooses a channel first.
    pub current: Option<InstructionsView<'a>>,
    /// Midtrans can be reached from this shop (configured).
    pub available: bool,
    /// The last charge was refused.
    pub failed: bool,
}

/// A QR code of `data` as inline SVG; None when it does not fit in one.
fn qr_svg(data: &str) -> Option<String> {
    qrcode::QrCode::new(data.as_bytes()).ok().map(|code| {
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build()
    })
}

impl<'a> OnlineView<'a> {
    pub fn new(payment: &'a OnlinePayment) -> Self {
        let current_channel = payment.current.as_ref().map(|(c, _)| *c);
        Self {
            channels: Channel::ALL
                .into_iter()
                .map(|c| ChannelView {
                    code: c.code(),
                    label: c.label(),
                    current: Some(c) == current_channel,
                })
                .collect(),
            current: payment.current.as_ref().map(|(channel, instructions)| {
                let mut view = InstructionsView {
                    kind: instructions.kind(),
                    label: channel.label(),
                    qr_svg: None,
                    va_number: None,
                    biller_code: None,
                    bill_key: None,
                    deeplink: None,
                };
                match instructions {
                    Instructions::Qr { qr_string } => view.qr_svg = qr_svg(qr_string),
                    Instructions::VirtualAccount { number, .. } => {
                        view.va_number = Some(number.as_str())
                    }
                    Instructions::Bill {
                        biller_code,
                        bill_key,
                    } => {
                        view.biller_code = Some(biller_code.as_str());
                        view.bill_key = Some(bill_key.as_str());
                    }
                    Instructions::Gopay { deeplink, qr } => {
                        view.deeplink = Some(deeplink.as_str());
                        view.qr_svg = qr_svg(qr);
                    }
                }
                view
            }),
            available: payment.available,
            failed: payment.failed,
        }
    }
}

/// `order.html`: the order behind its secret link.
#[derive(Debug, Serialize)]
pub struct OrderPage<'a> {
    pub order: OrderSummary<'a>,
    /// The account a bank transfer goes to (`domain::bank::payee`).
    pub bank: &'a BankAccount,
    pub shipments: Vec<ParcelView<'a>>,
    pub secret: &'a str,
    pub card: Option<&'a CardPayment>,
    /// The Midtrans payment of an unpaid order paid that way.
    pub online: Option<OnlineView<'a>>,
    /// Message key of what went wrong when the buyer chose a channel (`?bayar=…`).
    pub online_problem: Option<&'static str>,
    pub return_url: String,
    pub returned_from_card: bool,
}

impl<'a> OrderPage<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: Lang,
        order: &'a OrderRow,
        shipments: &'a [ShipmentRow],
        items: &'a [ItemRow],
        bank: &'a BankAccount,
        secret: &'a str,
        card: Option<&'a CardPayment>,
        online: Option<&'a OnlinePayment>,
        online_problem: Option<&'static str>,
        base_url: &str,
        returned_from_card: bool,
    ) -> Self {
        let parcels: Vec<_> = shipments.iter().map(|s| s.status).collect();
        let zone = Zone::of_province(&order.province_iso);
        // Bank transfers and Midtrans charges run out with the order's hold; a card is paid
        // at once or declined.
        let timed = matches!(
            PaymentMethod::parse(&order.payment_method),
            Some(PaymentMethod::BankTransfer | PaymentMethod::Midtrans)
        );
        Self {
            order: OrderSummary {
                code: &order.code,
                status: order.status,
                summary: order.status.summary_key(&parcels),
                awaits_payment: order.status.awaits_payment(),
                awaits_delivery: order.status.awaits_delivery(),
                items_total: format_rupiah(order.items_total),
                shipping_total: format_rupiah(order.shipping_total),
                unique_code: order.unique_code,
                total: format_rupiah(order.total),
                buyer_name: &order.buyer_name,
                address: &order.address,
                city: &order.city,
                postal_code: &order.postal_code,
                expires: lang.date_time(order.payment_expires_at, zone),
                expires_iso: crate::domain::time::iso8601(order.payment_expires_at, zone),
                counts_down: order.status.awaits_payment() && timed,
            },
            bank,
            shipments: shipments
                .iter()
                .map(|s| ParcelView {
                    unit_name: &s.unit_name,
                    service: &s.service_label,
                    fee: format_rupiah(s.fee),
                    status: s.status,
                    has_left: s.status.has_left(),
                    reached: match s.status {
                        ShipmentStatus::WaitingPayment => Some(0),
                        ShipmentStatus::Processing => Some(1),
                        ShipmentStatus::Shipped => Some(2),
                        ShipmentStatus::Delivered => Some(3),
                        ShipmentStatus::Cancelled => None,
                    },
                    tracking: s.tracking_number.as_deref(),
                    tracking_url: s.tracking_number.as_deref().and_then(|number| {
                        parcel_tracking_url(s.courier.as_deref(), &s.service, number)
                    }),
                    courier: s
                        .courier
                        .as_deref()
                        .and_then(Courier::parse)
                        .filter(|c| Some(*c) != Courier::of_service(&s.service))
                        .map(Courier::label),
                    pickup: is_pickup(&s.service),
                    pickup_code: if s.status == ShipmentStatus::Processing {
                        s.pickup_code.as_deref()
                    } else {
                        None
                    },
                    unit_address: &s.unit_address,
                    contact_url: whatsapp_chat_url(
                        &s.unit_phone,
                        &lang.text_with(
                            "order-contact-unit-text",
                            &[
                                ("code", order.code.clone().into()),
                                ("unit", s.unit_name.clone().into()),
                                ("service", s.service_label.clone().into()),
                            ],
                        ),
                    ),
                    lines: items
                        .iter()
                        .filter(|i| i.shipment_id == s.id)
                        .map(|i| OrderLine {
                            name: &i.name,
                            quantity: i.quantity,
                            price: format_rupiah(i.unit_price),
                        })
                        .collect(),
                })
                .collect(),
            secret,
            card,
            online: online.map(OnlineView::new),
            online_problem,
            return_url: format!("{base_url}{}", lang.path(&format!("/pesanan/{secret}"))),
            returned_from_card,
        }
    }
}

/// A line of the cart page.
#[derive(Debug, Serialize)]
pub struct CartLineView<'a> {
    pub product_id: i32,
    pub slug: &'a str,
    pub name: &'a str,
    pub price: String,
    pub quantity: i32,
    pub stock: i32,
    pub total: String,
    /// Message key when the line cannot be bought as it stands.
    pub problem: Option<&'static str>,
    /// The product's first photo (320 px wide); None shows the placeholder.
    pub photo: Option<PhotoView>,
    /// The quantity the "−" button asks for; None (disabled) at 1, where "Hapus" takes the
    /// line out, or when nothing is in stock.
    pub decrease_to: Option<i32>,
    /// The quantity the "+" button asks for; None (disabled) once the line holds the stock.
    pub increase_to: Option<i32>,
}

impl CartLineView<'_> {
    /// The "−" step: one less, and never more than the stock (a line above the stock steps
    /// down to it); none below 1 or for a sold-out product.
    fn decrease_to(line: &CartLine) -> Option<i32> {
        (line.quantity > 1 && line.stock > 0).then(|| (line.quantity - 1).min(line.stock))
    }

    /// The "+" step: one more while the stock (and a cart's largest quantity) allows, for a
    /// product on sale.
    fn increase_to(line: &CartLine) -> Option<i32> {
        let most = line.stock.min(Quantity::MAX);
        (line.status == crate::domain::ProductStatus::Published && line.quantity < most)
            .then_some(line.quantity + 1)
    }
}

/// One unit's lines in the cart, with the subtotal of what can be bought.
#[derive(Debug, Serialize)]
pub struct CartGroup<'a> {
    pub unit_name: &'a str,
    pub brand: &'a str,
    pub lines: Vec<CartLineView<'a>>,
    pub subtotal: i64,
    pub subtotal_text: String,
}

/// `cart.html`.
#[derive(Debug, Serialize)]
pub struct CartPage<'a> {
    pub groups: Vec<CartGroup<'a>>,
    pub total: String,
    pub can_checkout: bool,
    /// The pieces that checkout will order (the lines that can be bought): "Checkout (N)".
    pub pieces: i64,
    pub has_problems: bool,
    /// Message key of a change the shop reports (`domain::order::CartNotice`).
    pub notice: Option<&'static str>,
}

impl<'a> CartPage<'a> {
    /// `lines` come ordered by unit; `photos` are their products' cover photos
    /// (`models::cart::cover_photos`).
    pub fn new(
        lines: &'a [CartLine],
        photos: &[Photo],
        notice: Option<&'static str>,
        urls: &crate::services::media::MediaUrls,
    ) -> Self {
        let mut groups: Vec<CartGroup<'a>> = Vec::new();
        let mut current = None;
        for line in lines {
            if current != Some(line.unit_id) {
                current = Some(line.unit_id);
                groups.push(CartGroup {
                    unit_name: &line.unit_name,
                    brand: &line.unit_brand,
                    lines: Vec::new(),
                    subtotal: 0,
                    subtotal_text: String::new(),
                });
            }
            let group = groups.last_mut().expect("a group was just pushed");
            if line.buyable() {
                group.subtotal += line.line_total();
            }
            group.lines.push(CartLineView {
                product_id: line.product_id,
                slug: &line.slug,
                name: &line.name,
                price: format_rupiah(line.price),
                quantity: line.quantity,
                stock: line.stock,
                total: format_rupiah(line.line_total()),
                problem: line.problem(),
                photo: photos
                    .iter()
                    .find(|p| p.product_id == line.product_id)
                    .map(|p| PhotoView::at(p, 320, urls)),
                decrease_to: CartLineView::decrease_to(line),
                increase_to: CartLineView::increase_to(line),
            });
        }
        for group in &mut groups {
            group.subtotal_text = format_rupiah(group.subtotal);
        }
        let total = lines
            .iter()
            .filter(|l| l.buyable())
            .map(CartLine::line_total)
            .sum();
        Self {
            groups,
            total: format_rupiah(total),
            can_checkout: lines.iter().any(CartLine::buyable),
            pieces: lines
                .iter()
                .filter(|l| l.buyable())
                .map(|l| i64::from(l.quantity))
                .sum(),
            has_problems: lines.iter().any(|l| !l.buyable()),
            notice,
        }
    }
}

/// `/pesanan/cari`: the form that sends a lost order link again, and the same answer after
/// every accepted request.
#[derive(Debug, serde::Serialize)]
pub struct OrderLookupPage {
    pub form: crate::domain::order::OrderLookupForm,
    pub errors: crate::domain::FieldErrors,
    pub sent: bool,
}

impl OrderLookupPage {
    /// The empty form; `sent` after a request was taken.
    pub fn blank(sent: bool) -> Self {
        Self {
            form: Default::default(),
            errors: Default::default(),
            sent,
        }
    }
}
