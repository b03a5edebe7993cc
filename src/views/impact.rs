//! The public impact page (`/dampak`), its open data (`/data/dampak.csv` and `.json`) and the
//! figures a unit's page shows of itself, all from the daily roll-ups: since the first sale
//! and this year, by province on a tile map and in a table, by month as a chart and a table.
//! Money is shown as totals only; a unit's own money figures only once it has
//! `MIN_SALES_FOR_MONEY` sales.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Context;

use super::charts::{bar_chart, tile_map, Tile};
use super::PageFrame;
use crate::domain::impact::{shade_step, shows_money, step_range, tile_of, SHADE_STEPS, TILE_GRID};
use crate::domain::time::{iso8601, month_name, Zone};
use crate::domain::{format_rupiah, group_thousands};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::catalog::Province;
use crate::models::rollup::{ImpactRows, MonthProvince, UnitImpact};

/// The licence of the open data.
pub const LICENSE: &str = "CC BY 4.0";
pub const LICENSE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The columns of the open data, in order (`docs/open-data.md` explains each).
pub const OPEN_DATA_COLUMNS: [&str; 8] = [
    "bulan",
    "kode_provinsi",
    "provinsi",
    "unit",
    "barang_terjual",
    "penjualan",
    "bagian_upah",
    "bagian_pnbp",
];

/// The months the trend chart and table go back.
const TREND_MONTHS: usize = 24;

/// The colour steps from which a square's code is written in white.
const LIGHT_TEXT_FROM: u8 = 3;

/// Roll-up rows summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub orders: i64,
    pub booth_sales: i64,
    pub items: i64,
    pub sales: i64,
    /// Buyers counted once per unit and day.
    pub buyers: i64,
    pub wage: i64,
    pub pnbp: i64,
    pub capital: i64,
}

impl Totals {
    fn add(&mut self, r: &MonthProvince) {
        self.orders += r.orders;
        self.booth_sales += r.booth_sales;
        self.items += r.items;
        self.sales += r.sales;
        self.buyers += r.buyers;
        self.wage += r.wage;
        self.pnbp += r.pnbp;
        self.capital += r.capital;
    }

    /// The rows summed.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a MonthProvince>) -> Self {
        let mut totals = Self::default();
        for r in rows {
            totals.add(r);
        }
        totals
    }
}

fn separator(lang: Lang) -> char {
    match lang {
        Lang::Id => '.',
        Lang::En => ',',
    }
}

/// A count as the reader's language groups it.
fn count(lang: Lang, n: i64) -> String {
    let digits = group_thousands(n.unsigned_abs(), separator(lang));
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// One figure: its key (for `data-figure`), the message key of its label, its value written.
#[derive(Debug, Serialize)]
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
}

/// The figures of one period.
#[derive(Debug, Serialize)]
pub struct Period {
    /// `launch` or `year`.
    pub key: &'static str,
    pub heading: String,
    pub figures: Vec<Figure>,
}

impl Period {
    fn new(lang: Lang, key: &'static str, heading: String, totals: &Totals, units: i64) -> Self {
        let money = |key: &'static str, label: &'static str, amount: i64| Figure {
            key,
            label,
            value: format_rupiah(amount),
        };
        let number = |key: &'static str, label: &'static str, n: i64| Figure {
            key,
            label,
            value: count(lang, n),
        };
        Self {
            key,
            heading,
            figures: vec![
                number("items", "impact-items", totals.items),
                number("buyers", "impact-buyers", totals.buyers),
                number("units", "impact-units", units),
                money("sales", "impact-sales", totals.sales),
                money("wage", "impact-wage", totals.wage),
                money("pnbp", "impact-pnbp", totals.pnbp),
                money("capital", "impact-capital", totals.capital),
            ],
        }
    }
}

/// One colour of the map's legend: its step and the values it stands for.
#[derive(Debug, Serialize)]
pub struct LegendStep {
    pub step: u8,
    pub text: String,
}

/// One province in the table under the map.
#[derive(Debug, Serialize)]
pub struct ProvinceRow {
    pub slug: String,
    pub name: String,
    pub units: String,
    pub items: String,
    pub sales: String,
    pub wage: String,
    pub pnbp: String,
}

/// One month in the table under the trend chart.
#[derive(Debug, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    pub label: String,
    pub items: String,
    pub sales: String,
    pub wage: String,
    pub pnbp: String,
}

/// When the figures were last brought up to date, in WIB.
#[derive(Debug, Serialize)]
pub struct Updated {
    pub text: String,
    /// ISO 8601, for `<time datetime>`.
    pub iso: String,
}

/// `public/impact.html`.
#[derive(Debug, Serialize)]
pub struct ImpactPage {
    /// Anything sold at all (else the page says the figures start with the first sale).
    pub has_sales: bool,
    pub updated: Option<Updated>,
    /// Since the first sale, then this year.
    pub periods: Vec<Period>,
    /// The tile map (SVG, escaped when built).
    pub map: String,
    pub legend: Vec<LegendStep>,
    /// Every province, those that sold most first.
    pub provinces: Vec<ProvinceRow>,
    /// The monthly trend (SVG, escaped when built).
    pub trend: String,
    /// The months of the trend, oldest first.
    pub months: Vec<MonthRow>,
}

/// Each province's totals since the first sale, by province id.
fn by_province(rows: &ImpactRows) -> BTreeMap<i32, Totals> {
    let mut out: BTreeMap<i32, Totals> = BTreeMap::new();
    for r in &rows.months {
        out.entry(r.province_id).or_default().add(r);
    }
    out
}

/// Each month's totals over every province, oldest first.
fn by_month(rows: &ImpactRows) -> Vec<(String, Totals)> {
    let mut out: BTreeMap<String, Totals> = BTreeMap::new();
    for r in &rows.months {
        out.entry(r.month.clone()).or_default().add(r);
    }
    out.into_iter().collect()
}

impl ImpactPage {
    /// The page in `lang`, "this year" being `year`.
    pub fn new(lang: Lang, rows: &ImpactRows, year: i32) -> Self {
        let en = lang == Lang::En;
        let year_prefix = format!("{year:04}-");
        let launch = Totals::of(&rows.months);
        let this_year = Totals::of(
            rows.months
                .iter()
                .filter(|r| r.month.starts_with(&year_prefix)),
        );
        let periods = vec![
            Period::new(
                lang,
                "launch",
                lang.text("impact-period-launch"),
                &launch,
                rows.units_since_launch,
            ),
            Period::new(
                lang,
                "year",
                lang.text_with("impact-period-year", &[("year", year.to_string().into())]),
                &this_year,
                rows.units_this_year,
            ),
        ];

        let provinces_totals = by_province(rows);
        let units_of = |id: i32| {
            rows.units_by_province
                .iter()
                .find(|(p, _)| *p == id)
                .map_or(0, |(_, n)| *n)
        };
        let max = provinces_totals
            .values()
            .map(|t| t.sales)
            .max()
            .unwrap_or(0);
        let totals_of = |p: &Province| provinces_totals.get(&p.id).copied().unwrap_or_default();
        let tiles: Vec<Tile> = rows
            .provinces
            .iter()
            .filter_map(|p| {
                let (col, row) = tile_of(&p.iso_code)?;
                let t = totals_of(p);
                let label = if t.sales > 0 {
                    lang.text_with(
                        "impact-map-tile",
                        &[
                            ("province", p.name.clone().into()),
                            ("items", count(lang, t.items).into()),
                            ("sales", format_rupiah(t.sales).into()),
                        ],
                    )
                } else {
                    lang.text_with(
                        "impact-map-tile-none",
                        &[("province", p.name.clone().into())],
                    )
                };
                Some(Tile {
                    col,
                    row,
                    code: p.iso_code.trim_start_matches("ID-").to_string(),
                    label,
                    step: shade_step(t.sales, max),
                })
            })
            .collect();
        let selling = provinces_totals.values().filter(|t| t.sales > 0).count();
        let map = tile_map(
            "impact-map",
            &lang.text("impact-map-title"),
            &lang.text_with(
                "impact-map-description",
                &[
                    ("selling", (selling as i64).into()),
                    ("provinces", (rows.provinces.len() as i64).into()),
                ],
            ),
            TILE_GRID,
            &tiles,
            LIGHT_TEXT_FROM,
        );
        let mut legend = vec![LegendStep {
            step: 0,
            text: lang.text("impact-legend-none"),
        }];
        legend.extend((1..=SHADE_STEPS).filter_map(|step| {
            let (low, high) = step_range(step, max)?;
            Some(LegendStep {
                step,
                text: if low == high {
                    format_rupiah(high)
                } else {
                    format!("{} – {}", format_rupiah(low), format_rupiah(high))
                },
            })
        }));
        let mut ranked: Vec<(&Province, Totals)> =
            rows.provinces.iter().map(|p| (p, totals_of(p))).collect();
        ranked.sort_by(|(a, ta), (b, tb)| tb.sales.cmp(&ta.sales).then(a.name.cmp(&b.name)));
        let provinces: Vec<ProvinceRow> = ranked
            .into_iter()
            .map(|(p, t)| ProvinceRow {
                slug: p.slug.clone(),
                name: p.name.clone(),
                units: count(lang, units_of(p.id)),
                items: count(lang, t.items),
                sales: format_rupiah(t.sales),
                wage: format_rupiah(t.wage),
                pnbp: format_rupiah(t.pnbp),
            })
            .collect();

        let monthly = by_month(rows);
        let recent = &monthly[monthly.len().saturating_sub(TREND_MONTHS)..];
        let label_of = |month: &str| month_name(month, en).unwrap_or_else(|| month.to_string());
        let bars: Vec<(String, i64)> = recent
            .iter()
            .map(|(month, t)| (label_of(month), t.sales))
            .collect();
        let trend = bar_chart(
            "impact-trend",
            &lang.text("impact-trend-title"),
            &bars,
            format_rupiah,
        );
        let months: Vec<MonthRow> = recent
            .iter()
            .map(|(month, t)| MonthRow {
                month: month.clone(),
                label: label_of(month),
                items: count(lang, t.items),
                sales: format_rupiah(t.sales),
                wage: format_rupiah(t.wage),
                pnbp: format_rupiah(t.pnbp),
            })
            .collect();

        Self {
            has_sales: launch.sales > 0 || launch.items > 0,
            updated: rows.run.as_ref().map(|run| Updated {
                text: lang.date_time(run.updated_at, Zone::Wib),
                iso: iso8601(run.updated_at, Zone::Wib),
            }),
            periods,
            map,
            legend,
            provinces,
            trend,
            months,
        }
    }
}

/// The context of `public/impact.html`: the layout's, and the page under `impact`.
pub fn context(frame: &PageFrame, page: &ImpactPage) -> Context {
    let lang = frame.lang;
    let mut ctx = frame.context(
        &lang.text("impact-title"),
        &lang.text("impact-meta-description"),
        "/dampak",
        None,
        "website",
    );
    ctx.insert("impact", page);
    ctx
}

/// What a unit's page says of its own sales: the pieces sold and, once it has
/// `MIN_SALES_FOR_MONEY` sales, the wage share of them.
#[derive(Debug, Clone, Serialize)]
pub struct UnitImpactView {
    /// Pieces sold, as the reader's language writes the number (None before the first sale).
    pub sold: Option<String>,
    /// The wage share in total (None below the threshold).
    pub wage: Option<String>,
}

impl UnitImpactView {
    pub fn new(lang: Lang, figures: &UnitImpact) -> Self {
        Self {
            sold: (figures.items > 0).then(|| count(lang, figures.items)),
            wage: shows_money(figures.sales).then(|| format_rupiah(figures.wage)),
        }
    }
}

/// One month and province of the open data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenDataRow {
    /// `YYYY-MM`.
    pub bulan: String,
    /// ISO 3166-2 (`ID-JB`).
    pub kode_provinsi: String,
    pub provinsi: String,
    /// Units that sold.
    pub unit: i64,
    pub barang_terjual: i64,
    /// Rupiah of goods, shop and booth, without shipping.
    pub penjualan: i64,
    pub bagian_upah: i64,
    pub bagian_pnbp: i64,
}

/// `/data/dampak.json` (and, its rows, `/data/dampak.csv`).
#[derive(Debug, Clone, Serialize)]
pub struct OpenData {
    pub title: &'static str,
    pub description: &'static str,
    pub license: &'static str,
    pub license_url: &'static str,
    /// The page the figures come from.
    pub source: String,
    /// When the roll-ups last ran (ISO 8601, WIB).
    pub updated_at: Option<String>,
    pub currency: &'static str,
    pub columns: [&'static str; 8],
    pub rows: Vec<OpenDataRow>,
}

impl OpenData {
    /// The rows of every month and province with sales, by month then province code.
    pub fn new(rows: &ImpactRows, base_url: &str) -> Self {
        let province = |id: i32| rows.provinces.iter().find(|p| p.id == id);
        let mut out: Vec<OpenDataRow> = rows
            .months
            .iter()
            .map(|r| OpenDataRow {
                bulan: r.month.clone(),
                kode_provinsi: province(r.province_id)
                    .map(|p| p.iso_code.clone())
                    .unwrap_or_default(),
                provinsi: province(r.province_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                unit: r.units,
                barang_terjual: r.items,
                penjualan: r.sales,
                bagian_upah: r.wage,
                bagian_pnbp: r.pnbp,
            })
            .collect();
        out.sort_by(|a, b| {
            a.bulan
                .cmp(&b.bulan)
                .then_with(|| a.kode_provinsi.cmp(&b.kode_provinsi))
        });
        Self {
            title: "Etalase: penjualan produk pemasyarakatan per bulan dan provinsi",
            description: "Barang terjual, penjualan, bagian upah (premi) dan bagian PNBP per \
                          bulan dan provinsi, dari pesanan toko yang dibayar dan penjualan di \
                          stan pameran.",
            license: LICENSE,
            license_url: LICENSE_URL,
            source: format!("{base_url}/dampak"),
            updated_at: rows.run.as_ref().map(|r| iso8601(r.updated_at, Zone::Wib)),
            currency: "IDR",
            columns: OPEN_DATA_COLUMNS,
            rows: out,
        }
    }

    /// The rows as CSV (UTF-8, comma separated, a header row of `OPEN_DATA_COLUMNS`).
    pub fn csv(&self) -> Result<Vec<u8>, AppError> {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(OPEN_DATA_COLUMNS)
            .map_err(AppError::internal)?;
        for r in &self.rows {
            out.write_record([
                r.bulan.as_str(),
                r.kode_provinsi.as_str(),
                r.provinsi.as_str(),
                &r.unit.to_string(),
                &r.barang_terjual.to_string(),
                &r.penjualan.to_string(),
                &r.bagian_upah.to_string(),
                &r.bagian_pnbp.to_string(),
            ])
            .map_err(AppError::internal)?;
        }
        out.into_inner().map_err(AppError::internal)
    }

    /// The whole as JSON.
    pub fn json(&self) -> Result<String, AppError> {
        serde_json::to_string(self).map_err(AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::rollup::RollupRun;

    fn province(id: i32, iso: &str, name: &str) -> Province {
        Province {
            id,
            iso_code: iso.into(),
            slug: name.to_lowercase().replace(' ', "-"),
            name: name.into(),
            island_group: "Jawa".into(),
        }
    }

    fn month(month: &str, province_id: i32, items: i64, sales: i64) -> MonthProvince {
        MonthProvince {
            month: month.into(),
            province_id,
            units: 1,
            orders: 2,
            booth_sales: 1,
            items,
            sales,
            buyers: 2,
            wage: sales * 35 / 100,
            pnbp: sales * 40 / 100,
            capital: sales - sales * 35 / 100 - sales * 40 / 100,
        }
    }

    fn rows() -> ImpactRows {
        ImpactRows {
            months: vec![
                month("2025-11", 12, 3, 300_000),
                month("2026-01", 12, 5, 1_000_000),
                month("2026-01", 14, 2, 100_000),
            ],
            provinces: vec![
                province(12, "ID-JB", "Jawa Barat"),
                province(14, "ID-JT", "Jawa Tengah"),
                province(30, "ID-PA", "Papua"),
            ],
            units_since_launch: 2,
            units_this_year: 2,
            units_by_province: vec![(12, 1), (14, 1)],
            run: Some(RollupRun {
                last_day: "2026-01-31".into(),
                updated_at: 1_796_540_700,
            }),
        }
    }

    fn figure<'a>(page: &'a ImpactPage, period: &str, key: &str) -> &'a str {
        &page
            .periods
            .iter()
            .find(|p| p.key == period)
            .unwrap()
            .figures
            .iter()
            .find(|f| f.key == key)
            .unwrap()
            .value
    }

    #[test]
    fn the_page_sums_since_launch_and_this_year_and_ranks_provinces_by_sales() {
        let page = ImpactPage::new(Lang::Id, &rows(), 2026);
        assert!(page.has_sales);
        assert_eq!(figure(&page, "launch", "items"), "10");
        assert_eq!(figure(&page, "launch", "sales"), "Rp1.400.000");
        assert_eq!(figure(&page, "launch", "wage"), "Rp490.000");
        assert_eq!(figure(&page, "year", "items"), "7");
        assert_eq!(figure(&page, "year", "sales"), "Rp1.100.000");
        assert_eq!(figure(&page, "year", "buyers"), "4");
        let names: Vec<&str> = page.provinces.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Jawa Barat", "Jawa Tengah", "Papua"]);
        assert_eq!(page.provinces[2].sales, "Rp0");
        // The largest province is the darkest square, a province without sales the lightest.
        assert!(page.map.contains("class=\"map-step-4\""));
        assert!(page.map.contains("class=\"map-step-0\""));
        assert_eq!(page.legend.len(), 5);
        assert_eq!(page.legend[4].text, "Rp975.001 – Rp1.300.000");
        let months: Vec<&str> = page.months.iter().map(|m| m.label.as_str()).collect();
        assert_eq!(months, ["November 2025", "Januari 2026"]);
        assert_eq!(
            page.updated.as_ref().unwrap().iso,
            "2026-12-06T14:05:00+07:00"
        );
    }

    #[test]
    fn the_open_data_has_a_row_per_month_and_province_under_its_header() {
        let data = OpenData::new(&rows(), "https://etalase.id");
        assert_eq!(data.license, "CC BY 4.0");
        assert_eq!(data.rows.len(), 3);
        let csv = String::from_utf8(data.csv().unwrap()).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "bulan,kode_provinsi,provinsi,unit,barang_terjual,penjualan,bagian_upah,bagian_pnbp"
        );
        assert_eq!(
            lines[2],
            "2026-01,ID-JB,Jawa Barat,1,5,1000000,350000,400000"
        );
        let json: serde_json::Value = serde_json::from_str(&data.json().unwrap()).unwrap();
        assert_eq!(json["license"], "CC BY 4.0");
        assert_eq!(json["rows"][2]["kode_provinsi"], "ID-JT");
    }

    #[test]
    fn a_unit_shows_its_wage_share_only_from_ten_sales() {
        let few = UnitImpactView::new(
            Lang::Id,
            &UnitImpact {
                sales: 9,
                items: 1_250,
                wage: 400_000,
            },
        );
        assert_eq!(few.sold.as_deref(), Some("1.250"));
        assert_eq!(few.wage, None);
        let enough = UnitImpactView::new(
            Lang::En,
            &UnitImpact {
                sales: 10,
                items: 1_250,
                wage: 400_000,
            },
        );
        assert_eq!(enough.sold.as_deref(), Some("1,250"));
        assert_eq!(enough.wage.as_deref(), Some("Rp400.000"));
    }
}
