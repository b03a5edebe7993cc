//! `oversight.html` (`/kelola/pantau`, observers and administrators) and its CSV exports: the
//! figures of `models::oversight` for one filter as cards, tables with a caption and
//! accessible SVG bar charts (`views::charts`), every number written in the reader's language;
//! each table also as a CSV file under Indonesian column names, numbers unformatted.

use fluent_templates::fluent_bundle::FluentValue;
use serde::Serialize;

use super::charts::bar_chart;
use super::dashboard::StatCard;
use super::impact::Updated;
use super::staff::{kind_options, KindOption};
use crate::domain::oversight::{
    iso, money_shown, percent, tenths_of_days, BrandingFacts, BrandingGap, OversightFilter,
    OversightTable, EXPIRY_DAYS, MIN_SALES_FOR_MONEY, WORST_SHOWN,
};
use crate::domain::time::{date_range, iso8601, month_name as month_of, Zone};
use crate::domain::units::ProvinceRef;
use crate::domain::{format_rupiah, group_thousands};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::oversight::{BrandingRow, CoverageRow, Oversight, ReviewRow, TopUnit};
use crate::models::rollup::RollupRun;

/// What stands for a figure that cannot be given (a share of nothing, a median of no wait, a
/// unit's money below `MIN_SALES_FOR_MONEY` sales).
const NONE: &str = "–";

/// A whole number as the reader's language writes it ("1.234", "1,234").
fn number(lang: Lang, n: i64) -> String {
    let separator = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    let digits = group_thousands(n.unsigned_abs(), separator);
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// `part` of `whole` as "67%", or `NONE` when there is no whole.
fn share(part: i64, whole: i64) -> String {
    percent(part, whole).map_or_else(|| NONE.to_string(), |p| format!("{p}%"))
}

/// A wait in days with one decimal ("1,5 hari", "1.5 days"), or `NONE`.
fn days(lang: Lang, secs: Option<i64>) -> String {
    let Some(secs) = secs else {
        return NONE.to_string();
    };
    let tenths = tenths_of_days(secs);
    let point = match lang {
        Lang::Id => ',',
        Lang::En => '.',
    };
    format!(
        "{}{point}{} {}",
        number(lang, tenths / 10),
        tenths % 10,
        lang.text("oversight-days")
    )
}

/// A figure as a dashboard card (no list behind it: the tables below are).
fn card(label: &'static str, value: String, detail: Option<String>) -> StatCard {
    StatCard {
        label,
        value,
        detail,
        href: None,
        todo: false,
    }
}

/// "12 / 18": how many of how many, under a share.
fn of(lang: Lang, part: i64, whole: i64) -> Option<String> {
    Some(format!("{} / {}", number(lang, part), number(lang, whole)))
}

/// A bar chart, or nothing when it has no bars.
fn chart(id: &str, title: &str, bars: &[(String, i64)], show: impl Fn(i64) -> String) -> String {
    if bars.is_empty() {
        String::new()
    } else {
        bar_chart(id, title, bars, show)
    }
}

/// What the dashboard is narrowed to, for the filter form to show it again.
#[derive(Debug, Serialize)]
pub struct FilterView<'a> {
    /// The period's first and last days (ISO), for the date fields.
    pub from: String,
    pub to: String,
    pub province_id: Option<i32>,
    pub kind: Option<&'static str>,
    /// A regional observer's province: the dashboard is fixed to it (no choice offered).
    pub fixed_province: Option<&'a str>,
    /// The period in words ("1 Januari – 6 Desember 2026").
    pub period: String,
    /// The province and kind of unit in words ("Jawa Barat · Lapas", "Semua provinsi · …").
    pub scope: String,
}

/// When the figures were last brought up to date, in WIB: the per-unit snapshot (legal
/// documents, brands, products by category) and the daily sales roll-ups (None: never).
#[derive(Debug, Serialize)]
pub struct Refreshed {
    pub units: Option<Updated>,
    pub sales: Option<Updated>,
}

impl Refreshed {
    fn new(lang: Lang, data: &Oversight) -> Self {
        let updated = |run: Option<&RollupRun>| {
            run.map(|run| Updated {
                text: lang.date_time(run.updated_at, Zone::Wib),
                iso: iso8601(run.updated_at, Zone::Wib),
            })
        };
        Self {
            units: updated(data.snapshot.as_ref()),
            sales: updated(data.rollup.as_ref()),
        }
    }
}

/// The address of each table's CSV export, with the page's filter.
#[derive(Debug, Serialize)]
pub struct Exports {
    pub categories: String,
    pub coverage_provinces: String,
    pub coverage_units: String,
    pub branding: String,
    pub review: String,
    pub monthly: String,
    pub top_products: String,
    pub top_units: String,
    pub fairs: String,
}

impl Exports {
    fn new(filter: &OversightFilter) -> Self {
        let query = filter.query();
        let link = |table: OversightTable| format!("/kelola/pantau/{}.csv?{query}", table.slug());
        Self {
            categories: link(OversightTable::Categories),
            coverage_provinces: link(OversightTable::CoverageByProvince),
            coverage_units: link(OversightTable::CoverageByUnit),
            branding: link(OversightTable::Branding),
            review: link(OversightTable::ReviewDesk),
            monthly: link(OversightTable::Monthly),
            top_products: link(OversightTable::TopProducts),
            top_units: link(OversightTable::TopUnits),
            fairs: link(OversightTable::Fairs),
        }
    }
}

/// Published products of a category.
#[derive(Debug, Serialize)]
pub struct CategoryView<'a> {
    pub name: &'a str,
    pub listed: String,
}

/// Section 1: who takes part, and products by category.
#[derive(Debug, Serialize)]
pub struct ActivityView<'a> {
    pub cards: Vec<StatCard>,
    pub categories: Vec<CategoryView<'a>>,
    pub chart: String,
}

impl<'a> ActivityView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let a = &data.activity;
        let name = |id: &'a str, en: &'a str| match lang {
            Lang::En if !en.trim().is_empty() => en,
            _ => id,
        };
        let bars: Vec<(String, i64)> = a
            .categories
            .iter()
            .filter(|c| c.listed > 0)
            .map(|c| {
                (
                    name(c.name_id.as_str(), c.name_en.as_str()).to_string(),
                    c.listed,
                )
            })
            .collect();
        Self {
            cards: vec![
                card("oversight-units", number(lang, a.units), None),
                card(
                    "oversight-units-publishing",
                    number(lang, a.publishing),
                    Some(share(a.publishing, a.units)),
                ),
                card(
                    "oversight-units-selling",
                    number(lang, a.selling),
                    Some(share(a.selling, a.units)),
                ),
                card(
                    "oversight-products-published",
                    number(lang, a.published),
                    None,
                ),
            ],
            categories: a
                .categories
                .iter()
                .map(|c| CategoryView {
                    name: name(c.name_id.as_str(), c.name_en.as_str()),
                    listed: number(lang, c.listed),
                })
                .collect(),
            chart: chart(
                "chart-categories",
                &lang.text("oversight-categories"),
                &bars,
                |v| number(lang, v),
            ),
        }
    }
}

/// Legalization coverage of a province or a unit.
#[derive(Debug, Serialize)]
pub struct CoverageRowView<'a> {
    pub name: &'a str,
    pub province: &'a str,
    pub units: String,
    pub food: String,
    pub permit: String,
    pub permit_share: String,
    pub halal: String,
    pub halal_share: String,
    pub hki: String,
    pub hki_share: String,
    pub expiring: String,
    /// (A unit's row) it holds a valid HKI.
    pub has_hki: bool,
}

impl<'a> CoverageRowView<'a> {
    fn new(lang: Lang, row: &'a CoverageRow) -> Self {
        Self {
            name: &row.name,
            province: &row.province,
            units: number(lang, row.units),
            food: number(lang, row.food),
            permit: number(lang, row.permit),
            permit_share: share(row.permit, row.food),
            halal: number(lang, row.halal),
            halal_share: share(row.halal, row.food),
            hki: number(lang, row.hki),
            hki_share: share(row.hki, row.units),
            expiring: number(lang, row.expiring),
            has_hki: row.hki > 0,
        }
    }
}

/// Section 2: legalization coverage, by province and the least covered units.
#[derive(Debug, Serialize)]
pub struct CoverageView<'a> {
    pub cards: Vec<StatCard>,
    pub provinces: Vec<CoverageRowView<'a>>,
    /// Units with something missing, the least covered first, at most `WORST_SHOWN`.
    pub units: Vec<CoverageRowView<'a>>,
    pub chart: String,
}

impl<'a> CoverageView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let total = data.coverage.totals();
        let bars: Vec<(String, i64)> = data
            .coverage
            .by_province
            .iter()
            .filter_map(|p| percent(p.permit, p.food).map(|v| (p.name.clone(), v)))
            .collect();
        Self {
            cards: vec![
                card(
                    "oversight-food-permit",
                    share(total.permit, total.food),
                    of(lang, total.permit, total.food),
                ),
                card(
                    "oversight-food-halal",
                    share(total.halal, total.food),
                    of(lang, total.halal, total.food),
                ),
                card(
                    "oversight-brands-hki",
                    share(total.hki, total.units),
                    of(lang, total.hki, total.units),
                ),
                card(
                    "oversight-expiring",
                    number(lang, total.expiring),
                    Some(lang.text("oversight-expiring-detail")),
                ),
            ],
            provinces: data
                .coverage
                .by_province
                .iter()
                .map(|r| CoverageRowView::new(lang, r))
                .collect(),
            units: data
                .coverage
                .by_unit
                .iter()
                .filter(|r| r.has_gap())
                .take(WORST_SHOWN)
                .map(|r| CoverageRowView::new(lang, r))
                .collect(),
            chart: chart(
                "chart-coverage",
                &lang.text("oversight-coverage-chart"),
                &bars,
                |v| format!("{v}%"),
            ),
        }
    }
}

/// Every unit's branding, the lowest score first (by name among equals).
fn branding_order(rows: &[BrandingRow]) -> Vec<(&BrandingRow, BrandingFacts)> {
    let mut scored: Vec<(&BrandingRow, BrandingFacts)> =
        rows.iter().map(|r| (r, r.facts())).collect();
    scored.sort_by_key(|(_, facts)| facts.score());
    scored
}

/// What a brand lacks, in words.
fn gap_text(lang: Lang, gap: BrandingGap) -> String {
    match gap {
        BrandingGap::Logo => lang.text("oversight-gap-logo"),
        BrandingGap::Banner => lang.text("oversight-gap-banner"),
        BrandingGap::Story => lang.text("oversight-gap-story"),
        BrandingGap::NoListings => lang.text("oversight-gap-no-listings"),
        BrandingGap::Incomplete(n) => lang.text_with(
            "oversight-gap-incomplete",
            &[("count", FluentValue::from(n))],
        ),
    }
}

/// A unit's branding score and what it lacks.
#[derive(Debug, Serialize)]
pub struct BrandingRowView<'a> {
    pub name: &'a str,
    pub province: &'a str,
    pub score: i64,
    pub missing: String,
}

/// Section 3: branding completeness, the average and the lowest scores.
#[derive(Debug, Serialize)]
pub struct BrandingView<'a> {
    pub cards: Vec<StatCard>,
    /// Units below 100, the lowest first, at most `WORST_SHOWN`.
    pub units: Vec<BrandingRowView<'a>>,
}

impl<'a> BrandingView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let scored = branding_order(&data.branding);
        let count = scored.len() as i64;
        let sum: i64 = scored.iter().map(|(_, f)| f.score()).sum();
        let complete = scored.iter().filter(|(_, f)| f.score() == 100).count() as i64;
        let average = if count > 0 {
            number(lang, sum / count)
        } else {
            NONE.to_string()
        };
        Self {
            cards: vec![
                card("oversight-branding-average", average, None),
                card(
                    "oversight-branding-complete",
                    number(lang, complete),
                    Some(share(complete, count)),
                ),
            ],
            units: scored
                .iter()
                .filter(|(_, f)| f.score() < 100)
                .take(WORST_SHOWN)
                .map(|&(row, facts)| BrandingRowView {
                    name: &row.name,
                    province: &row.province,
                    score: facts.score(),
                    missing: facts
                        .gaps()
                        .into_iter()
                        .map(|g| gap_text(lang, g))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect(),
        }
    }
}

/// The review desk of a province.
#[derive(Debug, Serialize)]
pub struct ReviewRowView<'a> {
    pub province: &'a str,
    pub listings: String,
    pub documents: String,
    pub decisions: String,
    pub median: String,
}

impl<'a> ReviewRowView<'a> {
    fn new(lang: Lang, row: &'a ReviewRow) -> Self {
        Self {
            province: &row.province,
            listings: number(lang, row.listings),
            documents: number(lang, row.documents),
            decisions: number(lang, row.decisions),
            median: days(lang, row.median_wait),
        }
    }
}

/// Section 4: the review desk, what waits and how long decisions took.
#[derive(Debug, Serialize)]
pub struct ReviewView<'a> {
    pub cards: Vec<StatCard>,
    pub provinces: Vec<ReviewRowView<'a>>,
}

impl<'a> ReviewView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let desk = &data.review;
        Self {
            cards: vec![
                card(
                    "oversight-review-listings",
                    number(lang, desk.listings),
                    None,
                ),
                card(
                    "oversight-review-documents",
                    number(lang, desk.documents),
                    None,
                ),
                card(
                    "oversight-review-decisions",
                    number(lang, desk.decisions),
                    None,
                ),
                card(
                    "oversight-review-median",
                    days(lang, desk.median_wait),
                    None,
                ),
            ],
            provinces: desk
                .provinces
                .iter()
                .map(|r| ReviewRowView::new(lang, r))
                .collect(),
        }
    }
}

/// A month of sales.
#[derive(Debug, Serialize)]
pub struct MonthView {
    /// "Maret 2026".
    pub month: String,
    pub orders: String,
    pub booth_sales: String,
    pub items: String,
    pub buyers: String,
    pub sales: String,
    pub wage: String,
    pub pnbp: String,
    pub capital: String,
}

/// A product that sold well, in the shop and at booths.
#[derive(Debug, Serialize)]
pub struct TopProductView<'a> {
    pub name: &'a str,
    pub unit: &'a str,
    pub items: String,
    pub sales: String,
}

/// A unit that sold well; its money only from `MIN_SALES_FOR_MONEY` sales.
#[derive(Debug, Serialize)]
pub struct TopUnitView<'a> {
    pub name: &'a str,
    pub province: &'a str,
    /// Shop orders and booth sales.
    pub sold: String,
    pub items: String,
    pub sales: String,
    pub wage: String,
}

/// A unit's money figures may be shown: enough sales in the period.
fn unit_money_shown(unit: &TopUnit) -> bool {
    money_shown(unit.orders + unit.booth_sales)
}

/// Section 5: sales from the daily roll-ups, by month; the shares; what and who sold most.
#[derive(Debug, Serialize)]
pub struct SalesView<'a> {
    pub cards: Vec<StatCard>,
    pub months: Vec<MonthView>,
    pub chart_months: String,
    pub chart_split: String,
    pub top_products: Vec<TopProductView<'a>>,
    pub top_units: Vec<TopUnitView<'a>>,
    /// Some unit's money is not shown (too few sales).
    pub any_hidden: bool,
}

impl<'a> SalesView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let sales = &data.sales;
        let total = sales.totals();
        let month_name = |m: &str| month_of(m, lang == Lang::En).unwrap_or_else(|| m.to_string());
        let month_bars: Vec<(String, i64)> = sales
            .months
            .iter()
            .map(|m| (month_name(&m.month), m.sales))
            .collect();
        let split_bars: Vec<(String, i64)> = if total.sales > 0 {
            vec![
                (lang.text("oversight-wage"), total.wage),
                (lang.text("oversight-pnbp"), total.pnbp),
                (lang.text("oversight-capital"), total.capital),
            ]
        } else {
            Vec::new()
        };
        Self {
            cards: vec![
                card("oversight-orders", number(lang, total.orders), None),
                card(
                    "oversight-booth-sales",
                    number(lang, total.booth_sales),
                    None,
                ),
                card("oversight-items", number(lang, total.items), None),
                card("oversight-buyers", number(lang, total.buyers), None),
                card("oversight-sales", format_rupiah(total.sales), None),
                card(
                    "oversight-wage",
                    format_rupiah(total.wage),
                    Some(share(total.wage, total.sales)),
                ),
                card(
                    "oversight-pnbp",
                    format_rupiah(total.pnbp),
                    Some(share(total.pnbp, total.sales)),
                ),
                card(
                    "oversight-capital",
                    format_rupiah(total.capital),
                    Some(share(total.capital, total.sales)),
                ),
            ],
            months: sales
                .months
                .iter()
                .map(|m| MonthView {
                    month: month_name(&m.month),
                    orders: number(lang, m.orders),
                    booth_sales: number(lang, m.booth_sales),
                    items: number(lang, m.items),
                    buyers: number(lang, m.buyers),
                    sales: format_rupiah(m.sales),
                    wage: format_rupiah(m.wage),
                    pnbp: format_rupiah(m.pnbp),
                    capital: format_rupiah(m.capital),
                })
                .collect(),
            chart_months: chart(
                "chart-months",
                &lang.text("oversight-sales-by-month"),
                &month_bars,
                format_rupiah,
            ),
            chart_split: chart(
                "chart-split",
                &lang.text("oversight-split"),
                &split_bars,
                format_rupiah,
            ),
            top_products: sales
                .top_products
                .iter()
                .map(|p| TopProductView {
                    name: &p.name,
                    unit: &p.unit,
                    items: number(lang, p.items),
                    sales: format_rupiah(p.sales),
                })
                .collect(),
            top_units: sales
                .top_units
                .iter()
                .map(|u| {
                    let shown = unit_money_shown(u);
                    let money = |v: i64| {
                        if shown {
                            format_rupiah(v)
                        } else {
                            NONE.to_string()
                        }
                    };
                    TopUnitView {
                        name: &u.name,
                        province: &u.province,
                        sold: number(lang, u.orders + u.booth_sales),
                        items: number(lang, u.items),
                        sales: money(u.sales),
                        wage: money(u.wage),
                    }
                })
                .collect(),
            any_hidden: sales.top_units.iter().any(|u| !unit_money_shown(u)),
        }
    }
}

/// A fair's booth sales in the period.
#[derive(Debug, Serialize)]
pub struct FairView<'a> {
    pub name: &'a str,
    /// Its days in words.
    pub dates: String,
    pub units: String,
    pub sales: String,
    pub items: String,
    pub takings: String,
}

/// Section 6: fair results.
#[derive(Debug, Serialize)]
pub struct FairsView<'a> {
    pub fairs: Vec<FairView<'a>>,
    pub chart: String,
}

impl<'a> FairsView<'a> {
    fn new(lang: Lang, data: &'a Oversight) -> Self {
        let bars: Vec<(String, i64)> = data
            .fairs
            .iter()
            .map(|f| (f.name.clone(), f.takings))
            .collect();
        Self {
            fairs: data
                .fairs
                .iter()
                .map(|f| FairView {
                    name: &f.name,
                    dates: date_range(&f.starts_on, &f.ends_on, lang == Lang::En)
                        .unwrap_or_else(|| format!("{} – {}", f.starts_on, f.ends_on)),
                    units: number(lang, f.units),
                    sales: number(lang, f.sales),
                    items: number(lang, f.items),
                    takings: format_rupiah(f.takings),
                })
                .collect(),
            chart: chart(
                "chart-fairs",
                &lang.text("oversight-fairs"),
                &bars,
                format_rupiah,
            ),
        }
    }
}

/// `oversight.html`: the filter and the six sections, each table with its CSV export.
#[derive(Debug, Serialize)]
pub struct OversightPage<'a> {
    pub filters: FilterView<'a>,
    /// The provinces to choose from (none for a regional observer).
    pub provinces: Vec<super::Choice<'a>>,
    pub kinds: Vec<KindOption>,
    pub exports: Exports,
    pub refreshed: Refreshed,
    pub activity: ActivityView<'a>,
    pub coverage: CoverageView<'a>,
    pub branding: BrandingView<'a>,
    pub review: ReviewView<'a>,
    pub sales: SalesView<'a>,
    pub fairs: FairsView<'a>,
    /// How many units a "worst first" table shows.
    pub worst_shown: usize,
    /// Below this many sales a unit's money is not shown.
    pub min_sales: i64,
    /// Documents expiring within this many days are counted.
    pub expiry_days: u64,
}

impl<'a> OversightPage<'a> {
    /// The dashboard of `data`, read for `filter`; `fixed_province` is a regional observer's.
    pub fn new(
        lang: Lang,
        filter: &OversightFilter,
        data: &'a Oversight,
        provinces: &'a [ProvinceRef],
        fixed_province: Option<i32>,
    ) -> Self {
        let name_of = move |id: i32| {
            provinces
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.name.as_str())
        };
        let kind = filter.unit_kind;
        let where_from = filter
            .province_id
            .and_then(name_of)
            .map_or_else(|| lang.text("oversight-all-provinces"), str::to_string);
        let which_units = kind.map_or_else(
            || lang.text("oversight-all-kinds"),
            |k| k.short_name().to_string(),
        );
        let scope = format!("{where_from} · {which_units}");
        let (from, to) = (iso(filter.from), iso(filter.to));
        Self {
            filters: FilterView {
                period: date_range(&from, &to, lang == Lang::En).unwrap_or_default(),
                from,
                to,
                province_id: filter.province_id,
                kind: kind.map(|k| k.code()),
                fixed_province: fixed_province.and_then(name_of),
                scope,
            },
            provinces: if fixed_province.is_some() {
                Vec::new()
            } else {
                provinces
                    .iter()
                    .map(|p| super::Choice {
                        id: p.id,
                        name: &p.name,
                    })
                    .collect()
            },
            kinds: kind_options(lang),
            exports: Exports::new(filter),
            refreshed: Refreshed::new(lang, data),
            activity: ActivityView::new(lang, data),
            coverage: CoverageView::new(lang, data),
            branding: BrandingView::new(lang, data),
            review: ReviewView::new(lang, data),
            sales: SalesView::new(lang, data),
            fairs: FairsView::new(lang, data),
            worst_shown: WORST_SHOWN,
            min_sales: MIN_SALES_FOR_MONEY,
            expiry_days: EXPIRY_DAYS,
        }
    }
}

/// A CSV export of one table of the dashboard (`pantau-{table}-{from}-{to}.csv`).
#[derive(Debug)]
pub struct OversightCsv {
    /// The file's name, for `Content-Disposition`.
    pub filename: String,
    /// The file (UTF-8).
    pub body: Vec<u8>,
}

/// A text cell: one that starts like a formula is kept as text by spreadsheets.
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// `ya` or `tidak`.
fn yes_no(flag: bool) -> String {
    let word = if flag { "ya" } else { "tidak" };
    word.to_string()
}

/// A share as a whole number of per cent, empty without a whole.
fn percent_cell(part: i64, whole: i64) -> String {
    percent(part, whole)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

impl OversightCsv {
    /// `table` of `data` (read for `filter`): every row, every unit in the per-unit tables
    /// (the page shows the first `WORST_SHOWN`); texts in Indonesian.
    pub fn new(
        table: OversightTable,
        filter: &OversightFilter,
        data: &Oversight,
    ) -> Result<Self, AppError> {
        let lang = Lang::Id;
        let n = |v: i64| v.to_string();
        let (header, rows): (Vec<&str>, Vec<Vec<String>>) = match table {
            OversightTable::Categories => (
                vec!["kategori", "produk_tayang"],
                data.activity
                    .categories
                    .iter()
                    .map(|c| vec![text_cell(&c.name_id), n(c.listed)])
                    .collect(),
            ),
            OversightTable::CoverageByProvince => (
                vec![
                    "provinsi",
                    "unit",
                    "produk_pangan",
                    "dengan_pirt_bpom",
                    "persen_pirt_bpom",
                    "dengan_halal",
                    "persen_halal",
                    "unit_dengan_hki",
                    "persen_hki",
                    "dokumen_habis_60_hari",
                ],
                data.coverage
                    .by_province
                    .iter()
                    .map(|r| {
                        vec![
                            text_cell(&r.name),
                            n(r.units),
                            n(r.food),
                            n(r.permit),
                            percent_cell(r.permit, r.food),
                            n(r.halal),
                            percent_cell(r.halal, r.food),
                            n(r.hki),
                            percent_cell(r.hki, r.units),
                            n(r.expiring),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::CoverageByUnit => (
                vec![
                    "unit",
                    "provinsi",
                    "produk_pangan",
                    "dengan_pirt_bpom",
                    "persen_pirt_bpom",
                    "dengan_halal",
                    "persen_halal",
                    "hki",
                    "dokumen_habis_60_hari",
                ],
                data.coverage
                    .by_unit
                    .iter()
                    .map(|r| {
                        vec![
                            text_cell(&r.name),
                            text_cell(&r.province),
                            n(r.food),
                            n(r.permit),
                            percent_cell(r.permit, r.food),
                            n(r.halal),
                            percent_cell(r.halal, r.food),
                            yes_no(r.hki > 0),
                            n(r.expiring),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::Branding => (
                vec![
                    "unit",
                    "provinsi",
                    "skor",
                    "logo",
                    "banner",
                    "cerita",
                    "produk_tayang",
                    "produk_lengkap",
                    "kurang",
                ],
                branding_order(&data.branding)
                    .into_iter()
                    .map(|(r, facts)| {
                        vec![
                            text_cell(&r.name),
                            text_cell(&r.province),
                            n(facts.score()),
                            yes_no(facts.logo),
                            yes_no(facts.banner),
                            yes_no(facts.story),
                            n(facts.listed),
                            n(facts.complete),
                            facts
                                .gaps()
                                .into_iter()
                                .map(|g| gap_text(lang, g))
                                .collect::<Vec<_>>()
                                .join("; "),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::ReviewDesk => (
                vec![
                    "provinsi",
                    "produk_menunggu",
                    "dokumen_menunggu",
                    "keputusan",
                    "median_hari",
                ],
                data.review
                    .provinces
                    .iter()
                    .map(|r| {
                        let median = r
                            .median_wait
                            .map(|s| {
                                let t = tenths_of_days(s);
                                format!("{}.{}", t / 10, t % 10)
                            })
                            .unwrap_or_default();
                        vec![
                            text_cell(&r.province),
                            n(r.listings),
                            n(r.documents),
                            n(r.decisions),
                            median,
                        ]
                    })
                    .collect(),
            ),
            OversightTable::Monthly => (
                vec![
                    "bulan",
                    "pesanan",
                    "penjualan_stan",
                    "barang",
                    "pembeli",
                    "penjualan_rp",
                    "upah_rp",
                    "pnbp_rp",
                    "modal_rp",
                ],
                data.sales
                    .months
                    .iter()
                    .map(|m| {
                        vec![
                            m.month.clone(),
                            n(m.orders),
                            n(m.booth_sales),
                            n(m.items),
                            n(m.buyers),
                            n(m.sales),
                            n(m.wage),
                            n(m.pnbp),
                            n(m.capital),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::TopProducts => (
                vec!["produk", "unit", "barang", "penjualan_rp"],
                data.sales
                    .top_products
                    .iter()
                    .map(|p| {
                        vec![
                            text_cell(&p.name),
                            text_cell(&p.unit),
                            n(p.items),
                            n(p.sales),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::TopUnits => (
                vec![
                    "unit",
                    "provinsi",
                    "pesanan",
                    "penjualan_stan",
                    "barang",
                    "penjualan_rp",
                    "upah_rp",
                ],
                data.sales
                    .top_units
                    .iter()
                    .map(|u| {
                        let shown = unit_money_shown(u);
                        let money = |v: i64| if shown { n(v) } else { String::new() };
                        vec![
                            text_cell(&u.name),
                            text_cell(&u.province),
                            n(u.orders),
                            n(u.booth_sales),
                            n(u.items),
                            money(u.sales),
                            money(u.wage),
                        ]
                    })
                    .collect(),
            ),
            OversightTable::Fairs => (
                vec![
                    "pameran",
                    "mulai",
                    "selesai",
                    "unit",
                    "penjualan",
                    "barang",
                    "omzet_rp",
                ],
                data.fairs
                    .iter()
                    .map(|f| {
                        vec![
                            text_cell(&f.name),
                            f.starts_on.clone(),
                            f.ends_on.clone(),
                            n(f.units),
                            n(f.sales),
                            n(f.items),
                            n(f.takings),
                        ]
                    })
                    .collect(),
            ),
        };
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(header).map_err(AppError::internal)?;
        for row in rows {
            out.write_record(row).map_err(AppError::internal)?;
        }
        Ok(Self {
            filename: format!(
                "pantau-{}-{}-{}.csv",
                table.slug(),
                iso(filter.from),
                iso(filter.to)
            ),
            body: out.into_inner().map_err(AppError::internal)?,
        })
    }
}
