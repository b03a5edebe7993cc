//! View-models of the payment settings (`/kelola/pembayaran/rekening`,
//! `templates/pages/staff/bank_accounts.html` and `bank_account_form.html`).

use serde::Serialize;

use crate::domain::bank::{BankAccount, BankAccountForm};
use crate::domain::time::Zone;
use crate::domain::FieldErrors;
use crate::i18n::Lang;
use crate::models::bank_account::{BankAccountRow, ListedAccount};

/// An account of the list.
#[derive(Debug, Serialize)]
pub struct BankAccountView<'a> {
    pub id: i32,
    /// The unit's name; None for the central account.
    pub unit: Option<&'a str>,
    pub bank: &'a str,
    pub number: &'a str,
    pub holder: &'a str,
    pub active: bool,
    /// When it was last changed, in WIB.
    pub updated: String,
}

/// `bank_accounts.html`: every account, the central ones first and then the units' by name,
/// and the configured account (`BANK_*`) orders fall back to.
#[derive(Debug, Serialize)]
pub struct BankAccountsPage<'a> {
    pub accounts: Vec<BankAccountView<'a>>,
    /// No central account is active: orders not paid to a unit's own account show
    /// `configured`.
    pub uses_configured: bool,
    pub configured: &'a BankAccount,
}

impl<'a> BankAccountsPage<'a> {
    pub fn new(lang: Lang, accounts: &'a [ListedAccount], configured: &'a BankAccount) -> Self {
        Self {
            accounts: accounts
                .iter()
                .map(|a| BankAccountView {
                    id: a.row.id,
                    unit: a.unit_name.as_deref(),
                    bank: &a.row.bank_name,
                    number: &a.row.account_number,
                    holder: &a.row.holder,
                    active: a.row.is_active(),
                    updated: lang.date_time(a.row.updated_at, Zone::Wib),
                })
                .collect(),
            uses_configured: !accounts
                .iter()
                .any(|a| a.row.unit_id.is_none() && a.row.is_active()),
            configured,
        }
    }
}

/// The account being edited, beside its form.
#[derive(Debug, Serialize)]
pub struct EditedAccountView<'a> {
    pub id: i32,
    /// The unit's name; None for the central account.
    pub unit: Option<&'a str>,
    pub active: bool,
}

/// `bank_account_form.html`: a new account, or a saved one with its switch.
#[derive(Debug, Serialize)]
pub struct BankAccountFormPage<'a> {
    pub form: &'a BankAccountForm,
    pub errors: &'a FieldErrors,
    /// The units an account may belong to, by name.
    pub units: Vec<super::Choice<'a>>,
    /// The unit chosen in the form, if it reads as an id (None: the central account).
    pub unit_id: Option<i32>,
    pub account: Option<EditedAccountView<'a>>,
}

impl<'a> BankAccountFormPage<'a> {
    pub fn new(
        units: &'a [(i32, String)],
        account: Option<&BankAccountRow>,
        form: &'a BankAccountForm,
        errors: &'a FieldErrors,
    ) -> Self {
        Self {
            form,
            errors,
            units: units
                .iter()
                .map(|(id, name)| super::Choice { id: *id, name })
                .collect(),
            unit_id: form.unit_id.trim().parse().ok(),
            account: account.map(|a| EditedAccountView {
                id: a.id,
                unit: a.unit_id.and_then(|id| {
                    units
                        .iter()
                        .find(|(unit, _)| *unit == id)
                        .map(|(_, name)| name.as_str())
                }),
                active: a.is_active(),
            }),
        }
    }
}
