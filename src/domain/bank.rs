//! Payment settings: the bank accounts buyers transfer into (one central account and, for a
//! unit that has one, the unit's own), the rule saying which of them an order shows, and the
//! administrators' form for an account (`/kelola/pembayaran/rekening`).

use super::FieldErrors;

/// A bank account buyers pay transfers into.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BankAccount {
    /// The bank's name (`BRI`, `Mandiri`).
    pub bank: String,
    /// The account number as written: digits, spaces and dashes.
    pub number: String,
    /// The account holder's name.
    pub holder: String,
}

impl Default for BankAccount {
    /// The demo shop's account (what `BANK_NAME`, `BANK_ACCOUNT_NUMBER` and
    /// `BANK_ACCOUNT_HOLDER` default to).
    fn default() -> Self {
        Self {
            bank: "BRI".into(),
            number: "0000-01-000000-30-0".into(),
            holder: "Etalase Pemasyarakatan".into(),
        }
    }
}

/// An active account of the payment settings: the central one (`unit_id` None) or a unit's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveAccount {
    pub unit_id: Option<i32>,
    pub account: BankAccount,
}

/// The account the buyer of an order pays into, `item_units` being the unit of each of the
/// order's items: when every item comes from one unit and that unit has an active account, the
/// unit's; otherwise the active central account; and with no central account, `configured`
/// (the `BANK_*` settings), so a shop without payment settings keeps working.
pub fn payee<'a>(
    item_units: &[i32],
    active: &'a [ActiveAccount],
    configured: &'a BankAccount,
) -> &'a BankAccount {
    let single_unit = match item_units.split_first() {
        Some((first, rest)) if rest.iter().all(|unit| unit == first) => Some(*first),
        _ => None,
    };
    let own = single_unit.and_then(|unit| active.iter().find(|a| a.unit_id == Some(unit)));
    own.or_else(|| active.iter().find(|a| a.unit_id.is_none()))
        .map_or(configured, |a| &a.account)
}

/// Text with its runs of white space made one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An account number as stored: digits, spaces and dashes only (runs of spaces made one), with
/// 5 to 30 digits (`0123-01-000123-50-7`). Anything else is `None`.
pub fn account_number(raw: &str) -> Option<String> {
    let number = collapse(raw);
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let only_allowed = number
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-'));
    (only_allowed && (5..=30).contains(&digits) && number.len() <= 60).then_some(number)
}

/// The longest bank name a form takes, in characters.
pub const BANK_NAME_MAX: usize = 60;
/// The longest account holder's name a form takes, in characters.
pub const HOLDER_MAX: usize = 120;

/// The administrators' form for a bank account, kept as typed so a form with errors shows
/// what was typed.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct BankAccountForm {
    /// The unit by id; empty for the central account.
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub bank: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub holder: String,
}

/// A bank account form that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankAccountDraft {
    /// None: the central account.
    pub unit_id: Option<i32>,
    pub account: BankAccount,
}

impl BankAccountForm {
    /// The form filled with a saved account.
    pub fn of(unit_id: Option<i32>, account: &BankAccount) -> Self {
        Self {
            unit_id: unit_id.map(|id| id.to_string()).unwrap_or_default(),
            bank: account.bank.clone(),
            number: account.number.clone(),
            holder: account.holder.clone(),
        }
    }

    /// Checks the form: the central account (no unit) or one of `unit_ids`, a bank name of 1
    /// to `BANK_NAME_MAX` characters, an account number (`account_number`) and a holder of 1
    /// to `HOLDER_MAX` characters. Every field in error is reported, under the field's name.
    pub fn validate(&self, unit_ids: &[i32]) -> Result<BankAccountDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let unit_id = match self.unit_id.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<i32>()
                .ok()
                .filter(|id| unit_ids.contains(id))
                .map(Some)
                .ok_or("bank-accounts-error-unit"),
        };
        if let Err(key) = unit_id {
            errors.insert("unit_id", key);
        }
        let bank = collapse(&self.bank);
        if !(1..=BANK_NAME_MAX).contains(&bank.chars().count()) {
            errors.insert("bank", "bank-accounts-error-bank");
        }
        let number = account_number(&self.number);
        if number.is_none() {
            errors.insert("number", "bank-accounts-error-number");
        }
        let holder = collapse(&self.holder);
        if !(1..=HOLDER_MAX).contains(&holder.chars().count()) {
            errors.insert("holder", "bank-accounts-error-holder");
        }
        match (unit_id, number) {
            (Ok(unit_id), Some(number)) if errors.is_empty() => Ok(BankAccountDraft {
                unit_id,
                account: BankAccount {
                    bank,
                    number,
                    holder,
                },
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(number: &str) -> BankAccount {
        BankAccount {
            bank: "BRI".into(),
            number: number.into(),
            holder: "Uji".into(),
        }
    }

    fn active(unit_id: Option<i32>, number: &str) -> ActiveAccount {
        ActiveAccount {
            unit_id,
            account: account(number),
        }
    }

    #[test]
    fn an_order_of_one_unit_with_its_own_account_pays_that_unit() {
        let configured = account("00000");
        let accounts = [active(None, "11111"), active(Some(7), "77777")];
        assert_eq!(payee(&[7, 7, 7], &accounts, &configured).number, "77777");
        assert_eq!(payee(&[7], &accounts, &configured).number, "77777");
    }

    #[test]
    fn an_order_of_several_units_or_of_a_unit_without_an_account_pays_the_central_account() {
        let configured = account("00000");
        let accounts = [active(Some(7), "77777"), active(None, "11111")];
        assert_eq!(payee(&[7, 8], &accounts, &configured).number, "11111");
        assert_eq!(payee(&[8], &accounts, &configured).number, "11111");
        assert_eq!(payee(&[], &accounts, &configured).number, "11111");
    }

    #[test]
    fn without_a_central_account_the_configured_account_is_paid() {
        let configured = account("00000");
        let accounts = [active(Some(7), "77777")];
        assert_eq!(payee(&[7, 8], &accounts, &configured).number, "00000");
        assert_eq!(payee(&[8], &accounts, &configured).number, "00000");
        assert_eq!(payee(&[7], &[], &configured).number, "00000");
        assert_eq!(payee(&[7], &accounts, &configured).number, "77777");
    }

    #[test]
    fn an_account_number_is_digits_spaces_and_dashes_with_5_to_30_digits() {
        assert_eq!(
            account_number("  0123-01-000123-50-7 ").as_deref(),
            Some("0123-01-000123-50-7")
        );
        assert_eq!(
            account_number("137  00 1234").as_deref(),
            Some("137 00 1234")
        );
        assert_eq!(account_number("12345").as_deref(), Some("12345"));
        assert_eq!(
            account_number(&"1".repeat(30)).as_deref(),
            Some("1".repeat(30).as_str())
        );
        let too_long = "1".repeat(31);
        for bad in [
            "",
            "1234",
            "12-34",
            too_long.as_str(),
            "12345a",
            "1234.5678",
            "+62 1234 5678",
            "١٢٣٤٥٦",
        ] {
            assert_eq!(account_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_form_reports_every_field_in_error_and_reads_a_good_one() {
        let form = BankAccountForm {
            unit_id: "99".into(),
            bank: "  ".into(),
            number: "12ab".into(),
            holder: String::new(),
        };
        let errors = form.validate(&[7]).unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            ["bank", "holder", "number", "unit_id"]
        );
        assert_eq!(errors["number"], "bank-accounts-error-number");

        let form = BankAccountForm {
            unit_id: " 7 ".into(),
            bank: " Bank  Mandiri ".into(),
            number: "137-00-1234567-8".into(),
            holder: "Koperasi  Lapas".into(),
        };
        assert_eq!(
            form.validate(&[7]),
            Ok(BankAccountDraft {
                unit_id: Some(7),
                account: BankAccount {
                    bank: "Bank Mandiri".into(),
                    number: "137-00-1234567-8".into(),
                    holder: "Koperasi Lapas".into(),
                },
            })
        );
        let central = BankAccountForm {
            unit_id: String::new(),
            ..form
        };
        assert_eq!(central.validate(&[]).map(|d| d.unit_id), Ok(None));
        let long = BankAccountForm {
            bank: "B".repeat(BANK_NAME_MAX + 1),
            holder: "H".repeat(HOLDER_MAX + 1),
            ..central
        };
        let errors = long.validate(&[]).unwrap_err();
        assert_eq!(
            errors.keys().copied().collect::<Vec<_>>(),
            ["bank", "holder"]
        );
    }

    #[test]
    fn a_saved_account_fills_the_form_it_passes() {
        let saved = account("137-00-1234567-8");
        let form = BankAccountForm::of(Some(7), &saved);
        assert_eq!(form.unit_id, "7");
        assert_eq!(form.validate(&[7]).map(|d| d.account), Ok(saved.clone()));
        assert_eq!(BankAccountForm::of(None, &saved).unit_id, "");
    }
}
