//! View-models of payout tracking: a unit's months and entries with the treasurer's form
//! (`templates/pages/staff/payouts.html`, at `/kelola/setoran` for the treasurer and
//! `/kelola/setoran/unit/{id}` for administrators) and the administrators' summary by
//! province and unit (`payouts_summary.html`, `/kelola/setoran/rekap`). Money in rupiah as
//! "Rp1.250.000", times in WIB.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::payouts::{self, Month, PayoutForm, PayoutKind, Shares};
use crate::domain::time::{month_year, Zone};
use crate::domain::{format_rupiah, FieldErrors};
use crate::i18n::Lang;
use crate::models::payout::{Ledger, UnitMonth};

/// "November 2026" in the reader's language.
pub fn month_label(lang: Lang, month: Month) -> String {
    month_year(month.year(), month.number(), lang == Lang::En)
}

/// Owed and settled, both shares.
#[derive(Debug, Serialize)]
pub struct BalanceView {
    pub owed_wage: String,
    pub settled_wage: String,
    pub owed_pnbp: String,
    pub settled_pnbp: String,
    /// Both shares are settled in full (or more).
    pub settled_all: bool,
}

impl BalanceView {
    pub fn new(owed: Shares, settled: Shares) -> Self {
        Self {
            owed_wage: format_rupiah(owed.wage),
            settled_wage: format_rupiah(settled.wage),
            owed_pnbp: format_rupiah(owed.pnbp),
            settled_pnbp: format_rupiah(settled.pnbp),
            settled_all: settled.wage >= owed.wage && settled.pnbp >= owed.pnbp,
        }
    }
}

/// One month of the unit.
#[derive(Debug, Serialize)]
pub struct MonthView {
    /// `2026-11` (the row's id is `bulan-2026-11`).
    pub code: String,
    pub label: String,
    pub balance: BalanceView,
    pub closed: bool,
    /// Open and over: it may be closed now.
    pub can_close: bool,
}

/// An entry of the unit.
#[derive(Debug, Serialize)]
pub struct EntryView<'a> {
    pub id: i32,
    pub month: String,
    /// Message key of what it settles.
    pub kind: &'static str,
    pub amount: String,
    /// The day paid out or deposited (ISO).
    pub paid_on: &'a str,
    pub ntpn: Option<&'a str>,
    pub recorded_by: &'a str,
    /// When it was recorded, in WIB.
    pub recorded_at: String,
    /// The entry it corrects and replaces.
    pub corrects: Option<i32>,
    /// The correction that replaces it: it no longer counts.
    pub corrected_by: Option<i32>,
    /// The treasurer may correct it (it is the latest of its chain).
    pub can_correct: bool,
}

/// A month the form offers.
#[derive(Debug, Serialize)]
pub struct MonthChoice {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// The entry a correction form replaces, as the form names it.
#[derive(Debug, Serialize)]
pub struct CorrectingView {
    pub id: i32,
    pub month: String,
    pub kind: &'static str,
}

/// `payouts.html`.
#[derive(Debug, Serialize)]
pub struct PayoutsPage<'a> {
    pub unit_name: &'a str,
    pub months: Vec<MonthView>,
    pub entries: Vec<EntryView<'a>>,
    /// The unit's treasurer: the entry form and the corrections are offered.
    pub can_record: bool,
    /// Where the "close the month" forms post.
    pub close_action: String,
    pub form: &'a PayoutForm,
    pub errors: &'a FieldErrors,
    pub month_choices: Vec<MonthChoice>,
    /// The form corrects this entry (its month and kind are the entry's).
    pub correcting: Option<CorrectingView>,
    /// The wage share is chosen in the form (else PNBP, or nothing yet).
    pub kind_wage: bool,
    pub kind_pnbp: bool,
}

impl<'a> PayoutsPage<'a> {
    /// The page of `ledger` on `today` (WIB): for its treasurer (`can_record`, the months
    /// closed at `close_action`) or an administrator, with the form as typed.
    pub fn new(
        lang: Lang,
        ledger: &'a Ledger,
        today: NaiveDate,
        can_record: bool,
        close_action: String,
        form: &'a PayoutForm,
        errors: &'a FieldErrors,
    ) -> Self {
        let this_month = Month::of_day(today);
        let months = ledger
            .months
            .iter()
            .map(|m| MonthView {
                code: m.month.code(),
                label: month_label(lang, m.month),
                balance: BalanceView::new(m.owed, m.settled),
                closed: m.closed,
                can_close: !m.closed && payouts::may_close(m.month, today),
            })
            .collect();
        let entries = ledger
            .entries
            .iter()
            .map(|e| EntryView {
                id: e.row.id,
                month: Month::parse(&e.row.month)
                    .map_or(e.row.month.clone(), |m| month_label(lang, m)),
                kind: e.row.kind.label_key(),
                amount: format_rupiah(e.row.amount),
                paid_on: &e.row.paid_on,
                ntpn: e.row.ntpn.as_deref(),
                recorded_by: &e.recorded_by_name,
                recorded_at: lang.date_time(e.row.created_at, Zone::Wib),
                corrects: e.row.corrects_id,
                corrected_by: e.corrected_by,
                can_correct: can_record && e.corrected_by.is_none(),
            })
            .collect();
        let chosen = form.month.trim();
        let chosen = if chosen.is_empty() {
            this_month.code()
        } else {
            chosen.to_string()
        };
        let correcting = form
            .corrects
            .trim()
            .parse::<i32>()
            .ok()
            .map(|id| CorrectingView {
                id,
                month: Month::parse(&form.month)
                    .map_or(form.month.clone(), |m| month_label(lang, m)),
                kind: PayoutKind::from_code(form.kind.trim())
                    .map_or("payouts-kind", PayoutKind::label_key),
            });
        Self {
            unit_name: &ledger.unit_name,
            months,
            entries,
            can_record,
            close_action,
            form,
            errors,
            month_choices: this_month
                .back(payouts::FORM_MONTHS)
                .into_iter()
                .map(|m| MonthChoice {
                    selected: m.code() == chosen,
                    code: m.code(),
                    label: month_label(lang, m),
                })
                .collect(),
            correcting,
            kind_wage: form.kind.trim() == PayoutKind::Wage.code(),
            kind_pnbp: form.kind.trim() == PayoutKind::Pnbp.code(),
        }
    }
}

/// A line of the summary: a province, a unit, or the total.
#[derive(Debug, Serialize)]
pub struct SummaryRow {
    pub name: String,
    /// A unit's province; None for provinces and the total.
    pub province: Option<String>,
    pub balance: BalanceView,
    /// A unit whose month is closed.
    pub closed: bool,
    /// A unit's page of payouts.
    pub link: Option<String>,
}

/// `payouts_summary.html`: one month, owed against settled by province and by unit.
#[derive(Debug, Serialize)]
pub struct PayoutSummaryPage {
    /// `2026-11`.
    pub month: String,
    pub month_label: String,
    pub month_choices: Vec<MonthChoice>,
    pub provinces: Vec<SummaryRow>,
    pub units: Vec<SummaryRow>,
    pub total: SummaryRow,
}

impl PayoutSummaryPage {
    /// Month `month` of `rows` (`models::payout::summary`), with the months up to the one of
    /// `today` (WIB) to choose from.
    pub fn new(lang: Lang, month: Month, rows: &[UnitMonth], today: NaiveDate) -> Self {
        let mut provinces: Vec<(String, Shares, Shares)> = Vec::new();
        let (mut owed, mut settled) = (Shares::default(), Shares::default());
        for row in rows {
            owed = owed.plus(row.owed);
            settled = settled.plus(row.settled);
            match provinces
                .iter_mut()
                .find(|(name, _, _)| *name == row.province_name)
            {
                Some((_, o, s)) => {
                    *o = o.plus(row.owed);
                    *s = s.plus(row.settled);
                }
                None => provinces.push((row.province_name.clone(), row.owed, row.settled)),
            }
        }
        let this_month = Month::of_day(today);
        let mut choices = this_month.back(payouts::FORM_MONTHS);
        if !choices.contains(&month) {
            choices.push(month);
        }
        Self {
            month: month.code(),
            month_label: month_label(lang, month),
            month_choices: choices
                .into_iter()
                .map(|m| MonthChoice {
                    selected: m == month,
                    code: m.code(),
                    label: month_label(lang, m),
                })
                .collect(),
            provinces: provinces
                .into_iter()
                .map(|(name, o, s)| SummaryRow {
                    name,
                    province: None,
                    balance: BalanceView::new(o, s),
                    closed: false,
                    link: None,
                })
                .collect(),
            units: rows
                .iter()
                .map(|r| SummaryRow {
                    name: r.unit_name.clone(),
                    province: Some(r.province_name.clone()),
                    balance: BalanceView::new(r.owed, r.settled),
                    closed: r.closed,
                    link: Some(format!("/kelola/setoran/unit/{}", r.unit_id)),
                })
                .collect(),
            total: SummaryRow {
                name: lang.text("payouts-total"),
                province: None,
                balance: BalanceView::new(owed, settled),
                closed: false,
                link: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit_month(unit_id: i32, province: &str, owed: i64, settled: i64) -> UnitMonth {
        UnitMonth {
            unit_id,
            unit_name: format!("Unit {unit_id}"),
            province_id: 1,
            province_name: province.into(),
            owed: Shares {
                wage: owed,
                pnbp: owed * 2,
            },
            settled: Shares {
                wage: settled,
                pnbp: settled * 2,
            },
            closed: unit_id == 1,
        }
    }

    #[test]
    fn the_summary_adds_units_up_by_province_and_in_all() {
        let nov = Month::parse("2026-11").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let rows = [
            unit_month(1, "Aceh", 100_000, 100_000),
            unit_month(2, "Aceh", 50_000, 0),
            unit_month(3, "Bali", 10_000, 10_000),
        ];
        let page = PayoutSummaryPage::new(Lang::Id, nov, &rows, today);
        assert_eq!(page.month_label, "November 2026");
        assert_eq!(page.provinces.len(), 2);
        assert_eq!(page.provinces[0].balance.owed_wage, "Rp150.000");
        assert_eq!(page.provinces[0].balance.settled_pnbp, "Rp200.000");
        assert!(!page.provinces[0].balance.settled_all);
        assert!(page.provinces[1].balance.settled_all);
        assert_eq!(page.total.balance.owed_pnbp, "Rp320.000");
        assert!(page.units[0].closed && !page.units[1].closed);
        assert_eq!(
            page.units[2].link.as_deref(),
            Some("/kelola/setoran/unit/3")
        );
        assert!(page
            .month_choices
            .iter()
            .any(|c| c.selected && c.code == "2026-11"));
    }
}
