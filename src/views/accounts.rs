//! View-models of accounts administration (`/kelola/akun`, `templates/pages/staff/accounts*`),
//! the invitation page (`/undangan/{token}`, `invitation.html`) and the change of one's own
//! password (`/kelola/kata-sandi`, `password.html`).

use serde::Serialize;

use crate::domain::accounts::{AccountFilter, AccountForm, AccountStatus, InviteForm};
use crate::domain::time::Zone;
use crate::domain::{FieldErrors, Role};
use crate::i18n::Lang;
use crate::models::user::{AccountRow, ScopeChoices, ScopeNames};

/// Accounts on a page of the list.
pub const ACCOUNTS_PER_PAGE: u32 = 50;

/// The message key of a role's name.
fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "accounts-role-admin",
        Role::Reviewer => "accounts-role-reviewer",
        Role::Staff => "accounts-role-staff",
        Role::Organizer => "accounts-role-organizer",
        Role::Observer => "accounts-role-observer",
    }
}

/// The message key of a status's name.
fn status_key(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "accounts-status-active",
        AccountStatus::Invited => "accounts-status-invited",
        AccountStatus::Deactivated => "accounts-status-deactivated",
    }
}

/// A value of a select, with its name in the reader's language.
#[derive(Debug, Serialize)]
pub struct LabelledOption {
    pub code: &'static str,
    pub label: String,
}

fn role_options(lang: Lang) -> Vec<LabelledOption> {
    Role::ALL
        .iter()
        .map(|r| LabelledOption {
            code: r.code(),
            label: lang.text(role_key(*r)),
        })
        .collect()
}

fn status_options(lang: Lang) -> Vec<LabelledOption> {
    AccountStatus::ALL
        .iter()
        .map(|s| LabelledOption {
            code: s.query_code(),
            label: lang.text(status_key(*s)),
        })
        .collect()
}

/// What an account's scope reads as: its unit (staff), its province or "national" (reviewers
/// and observers), "all" (administrators and organizers).
fn scope_text(lang: Lang, account: &AccountRow, names: &ScopeNames) -> String {
    match account.role() {
        Role::Staff => account
            .unit_id
            .and_then(|id| names.units.get(&id).cloned())
            .unwrap_or_default(),
        Role::Reviewer | Role::Observer => match account.province_id {
            Some(id) => names.provinces.get(&id).cloned().unwrap_or_default(),
            None => lang.text("accounts-scope-national"),
        },
        Role::Admin | Role::Organizer => lang.text("accounts-scope-all"),
    }
}

/// The last sign-in in WIB (the directorate's time), or "never".
fn last_sign_in(lang: Lang, account: &AccountRow) -> String {
    match account.last_sign_in_at {
        Some(at) => lang.date_time(at, Zone::Wib),
        None => lang.text("accounts-never"),
    }
}

/// An account's status as flags, for the template's badge.
#[derive(Debug, Serialize)]
pub struct StatusView {
    pub label: String,
    pub is_active: bool,
    pub is_invited: bool,
    pub is_deactivated: bool,
}

impl StatusView {
    fn of(lang: Lang, status: AccountStatus) -> Self {
        Self {
            label: lang.text(status_key(status)),
            is_active: status == AccountStatus::Active,
            is_invited: status == AccountStatus::Invited,
            is_deactivated: status == AccountStatus::Deactivated,
        }
    }
}

/// An account in the list.
#[derive(Debug, Serialize)]
pub struct AccountRowView<'a> {
    pub id: i32,
    pub name: &'a str,
    pub email: &'a str,
    pub role: String,
    pub scope: String,
    pub status: StatusView,
    pub last_sign_in: String,
}

/// The list's filters as typed, for the form to show them again.
#[derive(Debug, Serialize)]
pub struct AccountFilterView {
    pub q: String,
    pub role: Option<&'static str>,
    pub status: Option<&'static str>,
    /// Some filter is on.
    pub any: bool,
}

/// `accounts.html`: every account, searched and filtered, a page at a time.
#[derive(Debug, Serialize)]
pub struct AccountsPage<'a> {
    pub accounts: Vec<AccountRowView<'a>>,
    pub total: i64,
    pub filters: AccountFilterView,
    pub roles: Vec<LabelledOption>,
    pub statuses: Vec<LabelledOption>,
    pub pagination: super::cards::Pagination,
}

impl<'a> AccountsPage<'a> {
    /// `q` is the search as typed; `filter` what was read from it and the other parameters.
    pub fn new(
        lang: Lang,
        rows: &'a [AccountRow],
        names: &ScopeNames,
        total: i64,
        q: &str,
        filter: &AccountFilter,
        page: u32,
    ) -> Self {
        let q: String = q.trim().chars().take(100).collect();
        let role = filter.role.map(|r| r.code());
        let status = filter.status.map(|s| s.query_code());
        let link = |n: u32| {
            super::filtered_list_url(
                "/kelola/akun",
                &q,
                &[("peran", role), ("status", status)],
                n,
            )
        };
        let pagination = super::cards::Pagination::new(lang, page, ACCOUNTS_PER_PAGE, total, link);
        Self {
            accounts: rows
                .iter()
                .map(|a| AccountRowView {
                    id: a.id,
                    name: &a.name,
                    email: &a.email,
                    role: lang.text(role_key(a.role())),
                    scope: scope_text(lang, a, names),
                    status: StatusView::of(lang, a.status()),
                    last_sign_in: last_sign_in(lang, a),
                })
                .collect(),
            total,
            filters: AccountFilterView {
                any: !q.is_empty() || role.is_some() || status.is_some(),
                q,
                role,
                status,
            },
            roles: role_options(lang),
            statuses: status_options(lang),
            pagination,
        }
    }
}

/// The selects of an account's scope: units and provinces, with the ones the form names.
#[derive(Debug, Serialize)]
pub struct ScopeSelects<'a> {
    pub roles: Vec<LabelledOption>,
    pub units: Vec<super::Choice<'a>>,
    pub provinces: Vec<super::Choice<'a>>,
    /// The unit and province chosen in the form, if they read as ids.
    pub unit_id: Option<i32>,
    pub province_id: Option<i32>,
}

impl<'a> ScopeSelects<'a> {
    fn new(lang: Lang, choices: &'a ScopeChoices, unit_id: &str, province_id: &str) -> Self {
        let choice = |(id, name): &'a (i32, String)| super::Choice {
            id: *id,
            name: name.as_str(),
        };
        Self {
            roles: role_options(lang),
            units: choices.units.iter().map(choice).collect(),
            provinces: choices.provinces.iter().map(choice).collect(),
            unit_id: unit_id.trim().parse().ok(),
            province_id: province_id.trim().parse().ok(),
        }
    }
}

/// `account_invite.html`: the invitation form, with what was typed and what is wrong with it.
#[derive(Debug, Serialize)]
pub struct InvitePage<'a> {
    pub form: &'a InviteForm,
    pub errors: &'a FieldErrors,
    pub scope: ScopeSelects<'a>,
}

impl<'a> InvitePage<'a> {
    pub fn new(
        lang: Lang,
        choices: &'a ScopeChoices,
        form: &'a InviteForm,
        errors: &'a FieldErrors,
    ) -> Self {
        Self {
            form,
            errors,
            scope: ScopeSelects::new(lang, choices, &form.unit_id, &form.province_id),
        }
    }
}

/// The account an administrator opened.
#[derive(Debug, Serialize)]
pub struct AccountView<'a> {
    pub id: i32,
    pub name: &'a str,
    pub email: &'a str,
    pub role: String,
    pub scope: String,
    pub status: StatusView,
    pub last_sign_in: String,
    pub created: String,
    /// The administrator's own account: it cannot be deactivated nor lose its role.
    pub is_self: bool,
}

/// `account.html`: an account, its form (name, role, scope) and its actions: send the
/// invitation again, deactivate, reactivate.
#[derive(Debug, Serialize)]
pub struct AccountPage<'a> {
    pub account: AccountView<'a>,
    pub form: &'a AccountForm,
    pub errors: &'a FieldErrors,
    pub scope: ScopeSelects<'a>,
    pub can_resend: bool,
    pub can_deactivate: bool,
    pub can_reactivate: bool,
    /// A unit's staff account: the treasurer right (recording the unit's payouts) is offered.
    pub treasurer_offered: bool,
    /// It has the treasurer right.
    pub treasurer: bool,
}

impl<'a> AccountPage<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        lang: Lang,
        account: &'a AccountRow,
        names: &ScopeNames,
        choices: &'a ScopeChoices,
        form: &'a AccountForm,
        errors: &'a FieldErrors,
        actor_id: i32,
    ) -> Self {
        let status = account.status();
        let is_self = account.id == actor_id;
        Self {
            account: AccountView {
                id: account.id,
                name: &account.name,
                email: &account.email,
                role: lang.text(role_key(account.role())),
                scope: scope_text(lang, account, names),
                status: StatusView::of(lang, status),
                last_sign_in: last_sign_in(lang, account),
                created: lang.date_time(account.created_at, Zone::Wib),
                is_self,
            },
            form,
            errors,
            scope: ScopeSelects::new(lang, choices, &form.unit_id, &form.province_id),
            can_resend: status == AccountStatus::Invited,
            can_deactivate: status != AccountStatus::Deactivated && !is_self,
            can_reactivate: status == AccountStatus::Deactivated,
            treasurer_offered: account.role() == Role::Staff && account.unit_id.is_some(),
            treasurer: account.treasurer == 1,
        }
    }
}

/// `invitation.html`: choosing a first password through an invitation link, or why the link
/// does not work.
#[derive(Debug, Serialize)]
pub struct InvitationPage<'a> {
    pub token: &'a str,
    /// The link works: the form is shown.
    pub valid: bool,
    /// Message key of why the link does not work (used, expired, unknown).
    pub problem: Option<&'static str>,
    /// Message key of what is wrong with the password typed.
    pub error: Option<&'static str>,
    /// The invited account.
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
}

/// `password.html`: changing one's own password.
#[derive(Debug, Serialize)]
pub struct PasswordPage {
    /// Message key of why the change was refused.
    pub error: Option<&'static str>,
    /// The current password was wrong (the field to mark).
    pub current_wrong: bool,
}
