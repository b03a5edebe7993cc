//! Payout tracking: what a unit owes of each month's sales and what it recorded as settled.
//!
//! Every parcel of a paid order carries its unit's split (`shipments.share_wage`,
//! `share_pnbp`). What a unit owes for a month is the sum of those shares over the parcels of
//! orders paid in that month, by the day in Western Indonesia Time (WIB, the time the
//! directorate keeps) and still counted as sold (a refunded or cancelled order owes nothing).
//! The unit's treasurer records that the wage share was paid out to the residents' wages and
//! that the PNBP share was deposited to the state treasury, with the NTPN of the deposit.
//!
//! Entries are never changed. A correction is a new entry naming the one it corrects and
//! replacing it: it states the right amount (0 when the entry should not have been made), day
//! and NTPN, and only the latest entry of such a chain counts as settled. An entry is corrected
//! once; a correction may be corrected in turn. Once a month is closed (by the treasurer or an
//! administrator, after the month is over) it takes corrections only.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Datelike, NaiveDate};

use super::FieldErrors;

/// What an entry settles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PayoutKind {
    /// The wage share (premi), paid out to the residents who made the products.
    Wage,
    /// The state's share (PNBP), deposited to the treasury.
    Pnbp,
}

impl PayoutKind {
    pub const ALL: [PayoutKind; 2] = [Self::Wage, Self::Pnbp];

    pub fn code(self) -> &'static str {
        match self {
            Self::Wage => "wage",
            Self::Pnbp => "pnbp",
        }
    }

    /// The message key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Wage => "payouts-kind-wage",
            Self::Pnbp => "payouts-kind-pnbp",
        }
    }
}

stored_as_text!(PayoutKind);

/// A calendar month (`YYYY-MM`), as months of sales and payouts are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1 to 12.
    month: u32,
}

/// Western Indonesia Time, in seconds east of UTC.
const WIB_SECS: i64 = 7 * 3600;

impl Month {
    /// `2026-11`; None for anything else (a year from 2000 to 9999, a month 01 to 12).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let (year, month) = raw.split_once('-')?;
        if year.len() != 4
            || month.len() != 2
            || !raw.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return None;
        }
        let (year, month) = (year.parse::<i32>().ok()?, month.parse::<u32>().ok()?);
        ((2000..=9999).contains(&year) && (1..=12).contains(&month)).then_some(Self { year, month })
    }

    /// The month of day `day`.
    pub fn of_day(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month (WIB) of moment `ts` (UTC unix seconds).
    pub fn of_timestamp(ts: i64) -> Self {
        let day = chrono::DateTime::from_timestamp(ts.saturating_add(WIB_SECS), 0)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        Self::of_day(day)
    }

    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    /// 1 to 12.
    pub fn number(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The month in WIB as UTC unix seconds: from its first moment, to the first moment of
    /// the next month (not included).
    pub fn wib_bounds(self) -> (i64, i64) {
        let start = |m: Month| {
            m.first_day()
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc().timestamp() - WIB_SECS)
                .unwrap_or_default()
        };
        (start(self), start(self.next()))
    }

    /// The `count` months up to and including this one, newest first.
    pub fn back(self, count: usize) -> Vec<Month> {
        std::iter::successors(Some(self), |m| Some(m.previous()))
            .take(count)
            .collect()
    }
}

/// The NTPN of a deposit (Nomor Transaksi Penerimaan Negara): 16 letters and digits, written
/// in capitals. None for anything else.
pub fn ntpn(raw: &str) -> Option<String> {
    let raw = raw.trim().to_ascii_uppercase();
    (raw.len() == 16 && raw.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(raw)
}

/// The largest amount an entry may state, in rupiah.
pub const AMOUNT_MAX: i64 = 1_000_000_000_000;

/// The months the form offers, back from this one.
pub const FORM_MONTHS: usize = 24;

/// The payout form as typed: `month` (`YYYY-MM`), `kind` (`wage` or `pnbp`), `amount`
/// (rupiah, dots allowed), `paid_on` (ISO day), `ntpn`, and `corrects` (the id of the entry a
/// correction replaces; empty for a new entry).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct PayoutForm {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub ntpn: String,
    #[serde(default)]
    pub corrects: String,
}

/// A payout form that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayoutDraft {
    pub month: Month,
    pub kind: PayoutKind,
    pub amount: i64,
    /// ISO day.
    pub paid_on: String,
    pub ntpn: Option<String>,
    /// The entry this one corrects and replaces.
    pub corrects: Option<i32>,
}

impl PayoutForm {
    /// Checks the form on `today` (WIB): a month from 2000 up to this one, a kind, an amount
    /// (at least Rp1, or 0 for a correction that takes an entry back), a day from the month's
    /// first to today, and for a PNBP deposit of any amount its NTPN (an NTPN typed with a
    /// wage payout is dropped).
    pub fn validate(&self, today: NaiveDate) -> Result<PayoutDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let corrects = match self.corrects.trim() {
            "" => Some(None),
            raw => raw.parse::<i32>().ok().filter(|id| *id > 0).map(Some),
        };
        if corrects.is_none() {
            errors.insert("corrects", "payouts-error-correction");
        }
        let correcting = matches!(corrects, Some(Some(_)));
        let month = Month::parse(&self.month).filter(|m| *m <= Month::of_day(today));
        if month.is_none() {
            errors.insert("month", "payouts-error-month");
        }
        let kind = PayoutKind::from_code(self.kind.trim());
        if kind.is_none() {
            errors.insert("kind", "payouts-error-kind");
        }
        let least = if correcting { 0 } else { 1 };
        let amount = super::whole_number(
            self.amount.trim().trim_start_matches("Rp"),
            least,
            AMOUNT_MAX,
        );
        if amount.is_none() {
            errors.insert("amount", "payouts-error-amount");
        }
        let paid_on = NaiveDate::parse_from_str(self.paid_on.trim(), "%Y-%m-%d")
            .ok()
            .filter(|d| *d <= today && month.is_none_or(|m| *d >= m.first_day()));
        if paid_on.is_none() {
            errors.insert("paid_on", "payouts-error-paid-on");
        }
        let ntpn = match (kind, self.ntpn.trim()) {
            (Some(PayoutKind::Pnbp), raw) => ntpn(raw).map(Some),
            _ => Some(None),
        };
        if ntpn.is_none() {
            errors.insert("ntpn", "payouts-error-ntpn");
        }
        match (month, kind, amount, paid_on, ntpn, corrects) {
            (Some(month), Some(kind), Some(amount), Some(paid_on), Some(ntpn), Some(corrects))
                if errors.is_empty() =>
            {
                Ok(PayoutDraft {
                    month,
                    kind,
                    amount,
                    paid_on: paid_on.format("%Y-%m-%d").to_string(),
                    ntpn,
                    corrects,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A wage share and a PNBP share, in rupiah.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shares {
    pub wage: i64,
    pub pnbp: i64,
}

impl Shares {
    pub fn add(&mut self, kind: PayoutKind, amount: i64) {
        match kind {
            PayoutKind::Wage => self.wage += amount,
            PayoutKind::Pnbp => self.pnbp += amount,
        }
    }

    pub fn plus(self, other: Shares) -> Shares {
        Shares {
            wage: self.wage + other.wage,
            pnbp: self.pnbp + other.pnbp,
        }
    }
}

/// An entry as the sums need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayoutEntry {
    pub id: i32,
    pub month: Month,
    pub kind: PayoutKind,
    pub amount: i64,
    pub corrects: Option<i32>,
}

/// The ids of the entries a later one corrects: they no longer count.
pub fn corrected(entries: &[PayoutEntry]) -> HashSet<i32> {
    entries.iter().filter_map(|e| e.corrects).collect()
}

/// What `entries` settle per month: every entry no later entry corrects.
pub fn settled(entries: &[PayoutEntry]) -> BTreeMap<Month, Shares> {
    let replaced = corrected(entries);
    let mut out: BTreeMap<Month, Shares> = BTreeMap::new();
    for e in entries.iter().filter(|e| !replaced.contains(&e.id)) {
        out.entry(e.month).or_default().add(e.kind, e.amount);
    }
    out
}

/// Why an entry was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayoutRefusal {
    /// The month is closed: only corrections.
    MonthClosed,
    /// The entry to correct is not one of the unit's, is of another month or kind, or was
    /// corrected already (correct the latest entry instead).
    NotCorrectable,
}

impl PayoutRefusal {
    /// The form field it belongs to and the message key.
    pub fn field_error(self) -> (&'static str, &'static str) {
        match self {
            Self::MonthClosed => ("month", "payouts-error-closed"),
            Self::NotCorrectable => ("corrects", "payouts-error-correction"),
        }
    }
}

/// Whether a new entry (`corrects` None) or a correction may be recorded for a month that is
/// `closed` or not.
pub fn may_record(closed: bool, corrects: Option<i32>) -> Result<(), PayoutRefusal> {
    if closed && corrects.is_none() {
        Err(PayoutRefusal::MonthClosed)
    } else {
        Ok(())
    }
}

/// Whether month `month` may be closed on `today` (WIB): once it is over.
pub fn may_close(month: Month, today: NaiveDate) -> bool {
    month < Month::of_day(today)
}

/// One month of a unit: owed, settled, and whether it is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthStatement {
    pub month: Month,
    pub owed: Shares,
    pub settled: Shares,
    pub closed: bool,
}

/// Every month that owes, settles or is closed, newest first.
pub fn statements(
    owed: &BTreeMap<Month, Shares>,
    settled: &BTreeMap<Month, Shares>,
    closed: &BTreeSet<Month>,
) -> Vec<MonthStatement> {
    let months: BTreeSet<Month> = owed
        .keys()
        .chain(settled.keys())
        .chain(closed.iter())
        .copied()
        .collect();
    months
        .into_iter()
        .rev()
        .map(|month| MonthStatement {
            month,
            owed: owed.get(&month).copied().unwrap_or_default(),
            settled: settled.get(&month).copied().unwrap_or_default(),
            closed: closed.contains(&month),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(iso: &str) -> NaiveDate {
        NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_read_as_year_and_month_and_follow_wib() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(nov.code(), "2026-11");
        assert_eq!(nov.next().code(), "2026-12");
        assert_eq!(nov.next().next().code(), "2027-01");
        assert_eq!(
            Month::parse("2027-01").unwrap().previous(),
            Month::parse("2026-12").unwrap()
        );
        for bad in [
            "2026-13", "2026-00", "26-11", "2026-1", "2026/11", "", "1999-12", "2026-1a",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        // December 2026 in WIB starts on 30 November, 17:00 UTC.
        let (start, end) = Month::parse("2026-12").unwrap().wib_bounds();
        assert_eq!((start, end), (1_796_058_000, 1_798_736_400));
        assert_eq!(Month::of_timestamp(start).code(), "2026-12");
        assert_eq!(Month::of_timestamp(start - 1).code(), "2026-11");
        assert_eq!(Month::of_timestamp(end - 1).code(), "2026-12");
        assert_eq!(Month::of_timestamp(end).code(), "2027-01");
        let back: Vec<String> = nov.back(3).into_iter().map(Month::code).collect();
        assert_eq!(back, ["2026-11", "2026-10", "2026-09"]);
    }

    #[test]
    fn an_ntpn_is_sixteen_letters_and_digits() {
        assert_eq!(
            ntpn(" 0a1b2c3d4e5f6789 ").as_deref(),
            Some("0A1B2C3D4E5F6789")
        );
        for bad in [
            "0A1B2C3D4E5F678",
            "0A1B2C3D4E5F67890",
            "0A1B-2C3D4E5F678",
            "",
        ] {
            assert_eq!(ntpn(bad), None, "{bad}");
        }
    }

    fn form(kind: &str, amount: &str, ntpn: &str) -> PayoutForm {
        PayoutForm {
            month: "2026-11".into(),
            kind: kind.into(),
            amount: amount.into(),
            paid_on: "2026-12-03".into(),
            ntpn: ntpn.into(),
            corrects: String::new(),
        }
    }

    #[test]
    fn a_pnbp_deposit_needs_its_ntpn_and_every_entry_a_month_kind_amount_and_day() {
        let today = day("2026-12-06");
        let wage = form("wage", "Rp1.250.000", "diabaikan")
            .validate(today)
            .unwrap();
        assert_eq!((wage.amount, wage.ntpn), (1_250_000, None));
        let pnbp = form("pnbp", "980000", "1234567890abcdef")
            .validate(today)
            .unwrap();
        assert_eq!(pnbp.ntpn.as_deref(), Some("1234567890ABCDEF"));
        let errors = form("pnbp", "980000", "12345").validate(today).unwrap_err();
        assert_eq!(errors.get("ntpn"), Some(&"payouts-error-ntpn"));
        assert_eq!(errors.len(), 1);
        // Nothing for a new entry; a future month; a day before the month or after today.
        assert!(form("wage", "0", "")
            .validate(today)
            .unwrap_err()
            .contains_key("amount"));
        let later = PayoutForm {
            month: "2027-01".into(),
            ..form("wage", "1", "")
        };
        assert!(later.validate(today).unwrap_err().contains_key("month"));
        for paid_on in ["2026-10-31", "2026-12-07", "3-12-2026"] {
            let f = PayoutForm {
                paid_on: paid_on.into(),
                ..form("wage", "1", "")
            };
            assert!(
                f.validate(today).unwrap_err().contains_key("paid_on"),
                "{paid_on}"
            );
        }
        // A correction may take an entry back with 0.
        let back = PayoutForm {
            corrects: "7".into(),
            ..form("wage", "0", "")
        };
        assert_eq!(back.validate(today).unwrap().corrects, Some(7));
        let errors = PayoutForm::default().validate(today).unwrap_err();
        for field in ["month", "kind", "amount", "paid_on"] {
            assert!(errors.contains_key(field), "{field}");
        }
    }

    #[test]
    fn only_the_latest_entry_of_a_correction_chain_counts_and_a_closed_month_takes_corrections_only(
    ) {
        let nov = Month::parse("2026-11").unwrap();
        let entry = |id, kind, amount, corrects| PayoutEntry {
            id,
            month: nov,
            kind,
            amount,
            corrects,
        };
        let entries = [
            entry(1, PayoutKind::Wage, 500_000, None),
            entry(2, PayoutKind::Pnbp, 400_000, None),
            // 1 was wrong: 450.000; then 3 was wrong too: 455.000.
            entry(3, PayoutKind::Wage, 450_000, Some(1)),
            entry(4, PayoutKind::Wage, 455_000, Some(3)),
            entry(5, PayoutKind::Wage, 10_000, None),
        ];
        let settled = settled(&entries);
        assert_eq!(
            settled.get(&nov),
            Some(&Shares {
                wage: 465_000,
                pnbp: 400_000
            })
        );
        assert_eq!(may_record(true, None), Err(PayoutRefusal::MonthClosed));
        assert_eq!(may_record(true, Some(4)), Ok(()));
        assert_eq!(may_record(false, None), Ok(()));
        assert!(may_close(nov, day("2026-12-01")));
        assert!(!may_close(nov, day("2026-11-30")));

        let owed = BTreeMap::from([(nov.previous(), Shares { wage: 1, pnbp: 2 })]);
        let closed = BTreeSet::from([nov.previous()]);
        let rows = statements(&owed, &settled, &closed);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].month, rows[0].closed), (nov, false));
        assert_eq!(rows[1].owed, Shares { wage: 1, pnbp: 2 });
        assert!(rows[1].closed);
    }
}
