//! View-models of the booth till and the fair report (`templates/pages/staff/booth_till.html`,
//! `fair_report.html`).

use serde::Serialize;

use crate::domain::fair::{
    BoothChargeStatus, DatesForm, EventStatus, SaleRefusal, SaleResult, BOOTH_COLUMNS,
};
use crate::domain::{format_rupiah, FieldErrors, ProductStatus};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::booth_charge::ChargeLine;
use crate::models::booth_sale::{Report, SaleLine, SaleProduct, Tally};
use crate::models::fair::{ApplicationRow, Booth, Event, UnitApplication};
use crate::models::product::StaffRow;

#[derive(Debug, Serialize)]
pub struct TillProduct<'a> {
    pub id: i32,
    pub name: &'a str,
    pub price: String,
    /// Whole rupiah, for the till's script to show the amount to pay.
    pub price_value: i64,
    pub stock: i32,
}

#[derive(Debug, Serialize)]
pub struct RecentSale<'a> {
    pub product: &'a str,
    pub quantity: i32,
    pub total: String,
    pub method: &'a str,
}

/// How a unit's till takes QRIS: its static image, and dynamic charges through Midtrans.
#[derive(Debug, Clone, Copy)]
pub struct TillQris<'a> {
    pub unit_id: i32,
    /// The unit's static QRIS image (its stored file), if it uploaded one.
    pub static_image: Option<&'a str>,
    /// Midtrans is configured: dynamic QRIS charges can be made.
    pub dynamic: bool,
    /// The unit's charges still waiting for the buyer.
    pub pending: &'a [ChargeLine],
}

/// The address the unit's own staff open its static QRIS image at, named by the stored file
/// (`?v=`): a new image is never taken for the old one.
pub fn static_qris_address(unit_id: i32, file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    let version = name.split('.').next().unwrap_or(name);
    format!("/kelola/unit/{unit_id}/qris?v={version}")
}

/// `booth_till.html`: the phone till of a unit's booth.
#[derive(Debug, Serialize)]
pub struct TillPage<'a> {
    pub event: &'a Event,
    pub booth: &'a str,
    /// The fair runs today: sales are taken.
    pub live: bool,
    pub products: Vec<TillProduct<'a>>,
    pub recent: Vec<RecentSale<'a>>,
    /// The sale form's idempotency key.
    pub key: String,
    /// The address of the unit's static QRIS image; None when it has none.
    pub static_qris: Option<String>,
    /// Dynamic QRIS through Midtrans is offered.
    pub dynamic_qris: bool,
    /// Dynamic QRIS charges waiting for the buyer, newest first.
    pub charges: Vec<ChargeView<'a>>,
}

impl<'a> TillPage<'a> {
    pub fn new(
        event: &'a Event,
        booth: &'a str,
        live: bool,
        products: &'a [SaleProduct],
        recent: &'a [SaleLine],
        key: String,
        qris: TillQris<'a>,
    ) -> Self {
        Self {
            event,
            booth,
            live,
            static_qris: qris
                .static_image
                .map(|file| static_qris_address(qris.unit_id, file)),
            dynamic_qris: qris.dynamic,
            charges: qris
                .pending
                .iter()
                .map(|line| ChargeView::new(line, false))
                .collect(),
            products: products
                .iter()
                .map(|p| TillProduct {
                    id: p.id,
                    name: &p.name,
                    price: format_rupiah(p.price),
                    price_value: p.price,
                    stock: p.stock,
                })
                .collect(),
            recent: recent
                .iter()
                .map(|s| RecentSale {
                    product: &s.product,
                    quantity: s.quantity,
                    total: format_rupiah(s.total),
                    method: &s.method,
                })
                .collect(),
            key,
        }
    }
}

/// What the till answers a sale sent by its script: `{"status", "message", "stock_left"}`.
#[derive(Debug, Serialize)]
pub struct SaleAnswer {
    pub status: &'static str,
    pub message: String,
    pub stock_left: Option<i32>,
}

impl SaleAnswer {
    /// What the till's script is told of a sale, the message in `lang` (with the stock left
    /// when there was too little).
    pub fn new(lang: Lang, result: SaleResult) -> Self {
        let (stock_left, available) = match result {
            SaleResult::Recorded { stock_left } => (Some(stock_left), 0),
            SaleResult::Refused(SaleRefusal::AboveStock { available }) => (None, available),
            _ => (None, 0),
        };
        Self {
            status: result.status(),
            message: lang.text_with(result.message_key(), &[("available", available.into())]),
            stock_left,
        }
    }
}

/// A QR code of `data` as inline SVG, drawn here (never an image from Midtrans); None when it
/// does not fit in one.
fn qr_svg(data: &str) -> Option<String> {
    qrcode::QrCode::new(data.as_bytes()).ok().map(|code| {
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(280, 280)
            .quiet_zone(true)
            .build()
    })
}

/// A dynamic QRIS charge at the till (`booth_charge.html`, the till's list and its script).
#[derive(Debug, Serialize)]
pub struct ChargeView<'a> {
    pub id: i32,
    pub event_id: i32,
    pub product: &'a str,
    pub quantity: i32,
    pub total: String,
    pub status: BoothChargeStatus,
    /// The message key of where it stands.
    pub status_key: &'static str,
    pub pending: bool,
    pub paid: bool,
    /// Over without a sale (expired, cancelled, refused, another amount).
    pub ended: bool,
    /// The code the buyer scans, as inline SVG, while it waits for the buyer (when asked for).
    pub qr_svg: Option<String>,
    /// Its page (without script), its state as JSON, and where the seller cancels it.
    pub page: String,
    pub status_url: String,
    pub cancel_url: String,
}

impl<'a> ChargeView<'a> {
    /// The charge of `line`; its QR code drawn when `with_qr` and it is still pending.
    pub fn new(line: &'a ChargeLine, with_qr: bool) -> Self {
        let (charge, product) = line;
        let page = format!("/kelola/pameran/{}/tagihan/{}", charge.event_id, charge.id);
        Self {
            id: charge.id,
            event_id: charge.event_id,
            product,
            quantity: charge.quantity,
            total: format_rupiah(charge.total),
            status: charge.status,
            status_key: charge.status.message_key(),
            pending: charge.status.is_pending(),
            paid: charge.status == BoothChargeStatus::Paid,
            ended: charge.status.is_ended(),
            qr_svg: charge
                .qr_string
                .as_deref()
                .filter(|_| with_qr && charge.status.is_pending())
                .and_then(qr_svg),
            status_url: format!("{page}/status"),
            cancel_url: format!("{page}/batal"),
            page,
        }
    }
}

/// `booth_charge.html`: one dynamic QRIS charge, for a till without script: its code to scan,
/// where it stands, "check status" and "cancel".
#[derive(Debug, Serialize)]
pub struct ChargePage<'a> {
    pub event: &'a Event,
    pub charge: ChargeView<'a>,
}

impl<'a> ChargePage<'a> {
    pub fn new(event: &'a Event, line: &'a ChargeLine) -> Self {
        Self {
            event,
            charge: ChargeView::new(line, true),
        }
    }
}

/// What the till's script is told of a dynamic QRIS charge: `{"status", "message",
/// "charge"}`. `status` is the charge's (`pending`, `paid`, …), or `refused` when none was made.
#[derive(Debug, Serialize)]
pub struct ChargeAnswer<'a> {
    pub status: &'static str,
    pub message: String,
    pub charge: Option<ChargeView<'a>>,
}

impl<'a> ChargeAnswer<'a> {
    /// The charge of `line` with the message `message_key` in `lang`; its QR code when
    /// `with_qr` (not for each poll of its state).
    pub fn of(lang: Lang, line: &'a ChargeLine, message_key: &str, with_qr: bool) -> Self {
        Self {
            status: line.0.status.code(),
            message: lang.text(message_key),
            charge: Some(ChargeView::new(line, with_qr)),
        }
    }

    /// No charge was made: the message `message_key` in `lang` (`available`: the stock left,
    /// when there was too little).
    pub fn refused(lang: Lang, message_key: &str, available: i32) -> Self {
        Self {
            status: "refused",
            message: lang.text_with(message_key, &[("available", available.into())]),
            charge: None,
        }
    }
}

/// The CSV export of an event's sales (`laporan-{slug}.csv`), one line per sale.
#[derive(Debug)]
pub struct SalesCsv {
    /// The file's name, for `Content-Disposition`.
    pub filename: String,
    /// The file (UTF-8).
    pub body: Vec<u8>,
}

impl SalesCsv {
    /// The sale `lines` of `event` under the Indonesian column names; a name that starts like
    /// a formula is kept as text by spreadsheets.
    pub fn new(event: &Event, lines: &[SaleLine]) -> Result<Self, AppError> {
        let mut out = csv::Writer::from_writer(Vec::new());
        let header = [
            "tanggal",
            "stan",
            "unit",
            "produk_id",
            "produk",
            "jumlah",
            "harga_satuan",
            "total",
            "cara_bayar",
        ];
        out.write_record(header).map_err(AppError::internal)?;
        let cell = |s: &str| {
            if s.starts_with(['=', '+', '-', '@']) {
                format!("'{s}")
            } else {
                s.to_string()
            }
        };
        for l in lines {
            out.write_record([
                l.sold_on.as_str(),
                &cell(&l.booth),
                &cell(&l.unit),
                &l.product_id.to_string(),
                &cell(&l.product),
                &l.quantity.to_string(),
                &l.unit_price.to_string(),
                &l.total.to_string(),
                &l.method,
            ])
            .map_err(AppError::internal)?;
        }
        Ok(Self {
            filename: format!("laporan-{}.csv", event.slug),
            body: out.into_inner().map_err(AppError::internal)?,
        })
    }
}

#[derive(Debug, Serialize)]
pub struct Totals {
    pub sales: usize,
    pub quantity: i64,
    pub total: String,
    pub cash: String,
    pub qris: String,
}

#[derive(Debug, Serialize)]
pub struct TallyRow<'a> {
    pub label: &'a str,
    pub quantity: i64,
    pub total: String,
}

/// One table of the report: its title and column heading (message keys) and rows.
#[derive(Debug, Serialize)]
pub struct TallyTable<'a> {
    pub title: &'static str,
    pub column: &'static str,
    pub rows: Vec<TallyRow<'a>>,
}

impl<'a> TallyTable<'a> {
    fn new(title: &'static str, column: &'static str, tallies: &'a [Tally]) -> Self {
        Self {
            title,
            column,
            rows: tallies
                .iter()
                .map(|t| TallyRow {
                    label: &t.label,
                    quantity: t.quantity,
                    total: format_rupiah(t.total),
                })
                .collect(),
        }
    }
}

/// `fair_report.html`: an event's sales, of one unit or of every unit.
#[derive(Debug, Serialize)]
pub struct ReportPage<'a> {
    pub event: &'a Event,
    pub whole_event: bool,
    pub totals: Totals,
    pub tables: Vec<TallyTable<'a>>,
    /// SVG bar charts (escaped when built).
    pub chart_days: String,
    pub chart_top: String,
}

impl<'a> ReportPage<'a> {
    pub fn new(lang: Lang, event: &'a Event, whole_event: bool, report: &'a Report) -> Self {
        let money = |v: i64| format_rupiah(v);
        let mut tables = vec![
            TallyTable::new("report-by-booth", "report-booth", &report.by_booth),
            TallyTable::new("report-by-product", "sales-product", &report.by_product),
            TallyTable::new("report-by-day", "report-day", &report.by_day),
        ];
        if whole_event {
            tables.insert(
                1,
                TallyTable::new("report-by-unit", "report-unit", &report.by_unit),
            );
        }
        let bars = |list: &[Tally], n: usize| -> Vec<(String, i64)> {
            list.iter()
                .take(n)
                .map(|t| (t.label.clone(), t.total))
                .collect()
        };
        Self {
            event,
            whole_event,
            totals: Totals {
                sales: report.sales,
                quantity: report.quantity,
                total: money(report.total),
                cash: money(report.cash),
                qris: money(report.qris),
            },
            tables,
            chart_days: super::charts::bar_chart(
                "by-day",
                &lang.text("report-by-day"),
                &bars(&report.by_day, usize::MAX),
                money,
            ),
            chart_top: super::charts::bar_chart(
                "top",
                &lang.text("report-top"),
                &bars(&report.by_product, 10),
                money,
            ),
        }
    }
}

/// `staff/fairs.html`: every event and the form for a new one.
#[derive(Debug, Serialize)]
pub struct EventsPage<'a> {
    pub events: &'a [Event],
    pub form: &'a crate::domain::fair::EventForm,
    pub errors: &'a crate::domain::FieldErrors,
}

#[derive(Debug, Serialize)]
pub struct FreeBooth<'a> {
    pub id: i32,
    pub code: &'a str,
    pub kind: &'a str,
}

#[derive(Debug, Serialize)]
pub struct PlanProblem {
    pub line: u64,
    pub key: &'static str,
}

/// `staff/fair.html`: one event for its organizer.
#[derive(Debug, Serialize)]
pub struct EventPage<'a> {
    pub event: &'a Event,
    pub event_public: bool,
    pub booths: &'a [Booth],
    pub free_booths: Vec<FreeBooth<'a>>,
    pub applications: &'a [ApplicationRow],
    /// Codes of the states the event may move to next.
    pub next_statuses: Vec<&'static str>,
    pub dates_editable: bool,
    pub dates: DatesForm,
    pub date_errors: FieldErrors,
    /// Lines of a refused booth plan.
    pub problems: Vec<PlanProblem>,
    pub columns: String,
}

impl<'a> EventPage<'a> {
    /// The event with its booths (those no application holds offered to approve) and
    /// applications; `dates` as typed with their errors when that form was refused (else the
    /// stored dates), and the `problems` of a refused booth plan by line.
    pub fn new(
        event: &'a Event,
        booths: &'a [Booth],
        applications: &'a [ApplicationRow],
        dates: Option<(&DatesForm, &FieldErrors)>,
        problems: &[(u64, &'static str)],
    ) -> Self {
        let taken: Vec<&str> = applications
            .iter()
            .filter_map(|a| a.booth_code.as_deref())
            .collect();
        let (dates, date_errors) = match dates {
            Some((form, errors)) => (form.clone(), errors.clone()),
            None => (
                DatesForm {
                    starts_on: event.starts_on.clone(),
                    ends_on: event.ends_on.clone(),
                    applications_open_on: event.applications_open_on.clone(),
                    applications_close_on: event.applications_close_on.clone(),
                },
                FieldErrors::new(),
            ),
        };
        Self {
            event,
            event_public: event.status.is_public(),
            booths,
            free_booths: booths
                .iter()
                .filter(|b| !taken.contains(&b.code.as_str()))
                .map(|b| FreeBooth {
                    id: b.id,
                    code: &b.code,
                    kind: &b.kind,
                })
                .collect(),
            applications,
            next_statuses: EventStatus::ALL
                .iter()
                .filter(|s| event.status.can_become(**s))
                .map(|s| s.code())
                .collect(),
            dates_editable: event.status.dates_editable(),
            dates,
            date_errors,
            problems: problems
                .iter()
                .map(|&(line, key)| PlanProblem { line, key })
                .collect(),
            columns: BOOTH_COLUMNS.join(","),
        }
    }

    /// Whether a form came back refused (the page then answers 422).
    pub fn has_errors(&self) -> bool {
        !self.problems.is_empty() || !self.date_errors.is_empty()
    }
}

/// An application of the signed-in unit, on its fairs page.
#[derive(Debug, Serialize)]
pub struct MyApplication<'a> {
    pub event_id: i32,
    pub event: &'a str,
    pub till_open: bool,
    pub report_open: bool,
    pub status: &'a str,
    pub booth: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// `my_fairs.html`: events open for applications, the unit's applications, and the
/// products it may showcase.
#[derive(Debug, Serialize)]
pub struct MyFairsPage<'a> {
    pub events: Vec<&'a Event>,
    pub mine: Vec<MyApplication<'a>>,
    pub products: Vec<super::Choice<'a>>,
}

impl<'a> MyFairsPage<'a> {
    /// The open ones of the public `events`, the unit's applications, and the first 50 of its
    /// published products.
    pub fn new(events: &'a [Event], mine: &'a [UnitApplication], products: &'a [StaffRow]) -> Self {
        Self {
            events: events
                .iter()
                .filter(|e| e.status == EventStatus::Open)
                .collect(),
            mine: mine
                .iter()
                .map(|(event_id, event, event_status, status, booth, reason)| {
                    let event_status = EventStatus::from_code(event_status);
                    MyApplication {
                        event_id: *event_id,
                        event,
                        till_open: event_status.is_some_and(EventStatus::takes_sales),
                        report_open: event_status.is_some_and(EventStatus::is_public),
                        status,
                        booth: booth.as_deref(),
                        reason: reason.as_deref(),
                    }
                })
                .collect(),
            products: products
                .iter()
                .filter(|p| p.status == ProductStatus::Published)
                .take(50)
                .map(|p| super::Choice {
                    id: p.id,
                    name: &p.name,
                })
                .collect(),
        }
    }
}
