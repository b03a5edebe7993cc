//! Accounts administration (`/kelola/akun`): an account's status (invited, active,
//! deactivated), its role and scope (the unit of unit staff, the province of a regional
//! reviewer or observer), the invitation form and the account form, the list's filters, what an
//! administrator may not do to their own account, the rules of a new password and how long an
//! invitation stays good.

use super::{FieldErrors, Role};

/// The fewest characters a password has (as a reset asks).
pub const PASSWORD_MIN_CHARS: usize = 10;
/// The most characters a password has: signing in reads no more than this.
pub const PASSWORD_MAX_CHARS: usize = 200;
/// How long an invitation link is good for: seven days.
pub const INVITATION_SECS: i64 = 7 * 24 * 3600;

/// What is wrong with a new password typed twice, as a message key: the two typings differ,
/// it is shorter than `PASSWORD_MIN_CHARS` or longer than `PASSWORD_MAX_CHARS`. The same rules
/// for a reset, an invitation and a change of one's own password.
pub fn new_password_problem(password: &str, again: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if password != again {
        Some("reset-error-mismatch")
    } else if length < PASSWORD_MIN_CHARS {
        Some("reset-error-short")
    } else if length > PASSWORD_MAX_CHARS {
        Some("accounts-error-password-long")
    } else {
        None
    }
}

/// Where an account stands: invited (no password yet), active, or deactivated (it cannot sign
/// in and its sessions ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    Invited,
    Active,
    Deactivated,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 3] = [Self::Active, Self::Invited, Self::Deactivated];

    /// The status of the stored flags `active` and `invited` (each 0 or 1): a deactivated
    /// account is deactivated whether or not it accepted its invitation.
    pub fn of(active: i32, invited: i32) -> Self {
        if active != 1 {
            Self::Deactivated
        } else if invited == 1 {
            Self::Invited
        } else {
            Self::Active
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Active => "active",
            Self::Deactivated => "deactivated",
        }
    }

    /// The value of the list's `status` parameter: `aktif`, `diundang`, `nonaktif`.
    pub fn query_code(self) -> &'static str {
        match self {
            Self::Active => "aktif",
            Self::Invited => "diundang",
            Self::Deactivated => "nonaktif",
        }
    }

    /// The status a `status` parameter names; anything else is no filter.
    pub fn from_query(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.query_code() == raw.trim())
    }
}

stored_as_text!(AccountStatus);

/// A text with its runs of white space made one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What an account may see and do: its role, the unit of unit staff, the province of a
/// regional reviewer or observer (none for a national one). Administrators and organizers have
/// neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    pub role: Role,
    pub unit_id: Option<i32>,
    pub province_id: Option<i32>,
}

/// The account form of an administrator, as typed: the name, role and scope of an account.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct AccountForm {
    #[serde(default)]
    pub name: String,
    /// A role code (`admin`, `reviewer`, `staff`, `organizer`, `observer`).
    #[serde(default)]
    pub role: String,
    /// The unit (by id), for unit staff.
    #[serde(default)]
    pub unit_id: String,
    /// The province (by id), for a regional reviewer or observer; empty for a national one.
    #[serde(default)]
    pub province_id: String,
}

/// An account form that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    pub name: String,
    pub scope: Scope,
}

impl AccountForm {
    /// The form filled with an account as it is.
    pub fn of(name: &str, scope: &Scope) -> Self {
        let id = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        Self {
            name: name.to_string(),
            role: scope.role.code().to_string(),
            unit_id: id(scope.unit_id),
            province_id: id(scope.province_id),
        }
    }

    /// Checks the form: a name of 2–120 characters, a known role, one of `unit_ids` for unit
    /// staff, and for a reviewer or an observer one of `province_ids` or none (national). What does not
    /// belong to the role (a unit for a reviewer) is dropped. Every field in error is
    /// reported under its name.
    pub fn validate(
        &self,
        unit_ids: &[i32],
        province_ids: &[i32],
    ) -> Result<AccountDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let draft = self.checked(unit_ids, province_ids, &mut errors);
        match draft {
            Some(draft) if errors.is_empty() => Ok(draft),
            _ => Err(errors),
        }
    }

    fn checked(
        &self,
        unit_ids: &[i32],
        province_ids: &[i32],
        errors: &mut FieldErrors,
    ) -> Option<AccountDraft> {
        let name = collapse(&self.name);
        if !(2..=120).contains(&name.chars().count()) {
            errors.insert("name", "accounts-error-name");
        }
        let Some(role) = Role::parse(self.role.trim()) else {
            errors.insert("role", "accounts-error-role");
            return None;
        };
        let id_in =
            |raw: &str, ids: &[i32]| raw.trim().parse::<i32>().ok().filter(|id| ids.contains(id));
        let scope = match role {
            Role::Staff => {
                let unit_id = id_in(&self.unit_id, unit_ids);
                if unit_id.is_none() {
                    errors.insert("unit_id", "accounts-error-unit");
                }
                Scope {
                    role,
                    unit_id: Some(unit_id?),
                    province_id: None,
                }
            }
            Role::Reviewer | Role::Observer => {
                let province_id = if self.province_id.trim().is_empty() {
                    None
                } else {
                    let found = id_in(&self.province_id, province_ids);
                    if found.is_none() {
                        errors.insert("province_id", "accounts-error-province");
                        return None;
                    }
                    found
                };
                Scope {
                    role,
                    unit_id: None,
                    province_id,
                }
            }
            Role::Admin | Role::Organizer => Scope {
                role,
                unit_id: None,
                province_id: None,
            },
        };
        Some(AccountDraft { name, scope })
    }
}

/// The invitation form, as typed: the address to invite and the account's form.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct InviteForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub province_id: String,
}

/// An invitation that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteDraft {
    /// Lowercased.
    pub email: String,
    pub account: AccountDraft,
}

impl InviteForm {
    /// The account part of the form.
    pub fn account(&self) -> AccountForm {
        AccountForm {
            name: self.name.clone(),
            role: self.role.clone(),
            unit_id: self.unit_id.clone(),
            province_id: self.province_id.clone(),
        }
    }

    /// Checks the address (one a mail server takes) and the account form
    /// (`AccountForm::validate`), reporting every field in error.
    pub fn validate(
        &self,
        unit_ids: &[i32],
        province_ids: &[i32],
    ) -> Result<InviteDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = super::email_address(&self.email);
        if email.is_none() {
            errors.insert("email", "form-error-email");
        }
        let account = self.account().checked(unit_ids, province_ids, &mut errors);
        match (email, account) {
            (Some(email), Some(account)) if errors.is_empty() => Ok(InviteDraft { email, account }),
            _ => Err(errors),
        }
    }
}

/// An administrator keeps their own role: nobody could give it back. The message key when
/// `actor_id` would change account `account_id` to `new_role` and may not.
pub fn own_role_change(actor_id: i32, account_id: i32, new_role: Role) -> Result<(), &'static str> {
    if actor_id == account_id && new_role != Role::Admin {
        Err("accounts-error-own-role")
    } else {
        Ok(())
    }
}

/// An administrator cannot deactivate their own account. The message key when `actor_id`
/// would deactivate account `account_id` and may not.
pub fn own_deactivation(actor_id: i32, account_id: i32) -> Result<(), &'static str> {
    if actor_id == account_id {
        Err("accounts-error-own-deactivate")
    } else {
        Ok(())
    }
}

/// Where an invitation link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationCheck {
    /// It may be used now.
    Open,
    /// It was used (or replaced by a newer one, or the account was deactivated).
    Used,
    /// Its seven days are over.
    Expired,
    /// No invitation has that key.
    Unknown,
}

impl InvitationCheck {
    /// An invitation expiring at `expires_at` and used at `used_at` (if at all), at `now`;
    /// `None` when there is no such invitation.
    pub fn of(found: Option<(i64, Option<i64>)>, now: i64) -> Self {
        match found {
            None => Self::Unknown,
            Some((_, Some(_))) => Self::Used,
            Some((expires_at, None)) if expires_at <= now => Self::Expired,
            Some(_) => Self::Open,
        }
    }

    /// The message key saying why the link does not work (none when it does).
    pub fn problem(self) -> Option<&'static str> {
        match self {
            Self::Open => None,
            Self::Used => Some("invitation-error-used"),
            Self::Expired => Some("invitation-error-expired"),
            Self::Unknown => Some("invitation-error-unknown"),
        }
    }
}

/// What the administrators' list of accounts is narrowed to. Values that cannot be read are no
/// filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFilter {
    /// Words that must each appear in the name or the email (lowercased); at most six.
    pub words: Vec<String>,
    pub role: Option<Role>,
    pub status: Option<AccountStatus>,
}

impl AccountFilter {
    /// The filter of the list's query: `q` (search), `peran` (role code), `status` (`aktif`,
    /// `diundang`, `nonaktif`).
    pub fn parse(q: &str, role: &str, status: &str) -> Self {
        Self {
            words: q
                .split_whitespace()
                .take(6)
                .map(|w| w.chars().take(60).collect::<String>().to_lowercase())
                .collect(),
            role: Role::parse(role.trim()),
            status: AccountStatus::from_query(status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_must_be_typed_twice_alike_and_be_ten_to_two_hundred_characters() {
        assert_eq!(
            new_password_problem("kata-sandi-baru", "kata-sandi-beda"),
            Some("reset-error-mismatch")
        );
        assert_eq!(
            new_password_problem("pendek", "pendek"),
            Some("reset-error-short")
        );
        let long = "a".repeat(PASSWORD_MAX_CHARS + 1);
        assert_eq!(
            new_password_problem(&long, &long),
            Some("accounts-error-password-long")
        );
        assert_eq!(new_password_problem("0123456789", "0123456789"), None);
        // Characters, not bytes: ten letters with accents are enough.
        assert_eq!(new_password_problem("éééééééééé", "éééééééééé"), None);
    }

    #[test]
    fn an_accounts_status_follows_its_flags_and_deactivation_wins() {
        assert_eq!(AccountStatus::of(1, 0), AccountStatus::Active);
        assert_eq!(AccountStatus::of(1, 1), AccountStatus::Invited);
        assert_eq!(AccountStatus::of(0, 1), AccountStatus::Deactivated);
        assert_eq!(AccountStatus::of(0, 0), AccountStatus::Deactivated);
        for status in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_query(status.query_code()), Some(status));
        }
        assert_eq!(AccountStatus::from_query("semua"), None);
    }

    /// The account form of `role`, checked against units 3 and 4 and provinces 7 and 8.
    fn check(role: &str, unit: &str, province: &str) -> Result<AccountDraft, FieldErrors> {
        let form = AccountForm {
            name: "  Siti   Rahma ".into(),
            role: role.into(),
            unit_id: unit.into(),
            province_id: province.into(),
        };
        form.validate(&[3, 4], &[7, 8])
    }

    #[test]
    fn unit_staff_need_a_known_unit_and_reviewers_a_known_province_or_none() {
        let staff = check("staff", "3", "7").unwrap();
        assert_eq!(staff.name, "Siti Rahma");
        let only_the_unit = Scope {
            role: Role::Staff,
            unit_id: Some(3),
            province_id: None,
        };
        assert_eq!(staff.scope, only_the_unit);
        for unit in ["", "99", "tiga"] {
            let errors = check("staff", unit, "").unwrap_err();
            assert_eq!(errors.get("unit_id"), Some(&"accounts-error-unit"));
        }

        let regional = check("reviewer", "3", "8").unwrap().scope;
        assert_eq!((regional.unit_id, regional.province_id), (None, Some(8)));
        let national = check("reviewer", "", " ").unwrap().scope;
        assert_eq!(national.province_id, None);
        let errors = check("reviewer", "", "99").unwrap_err();
        assert_eq!(errors.get("province_id"), Some(&"accounts-error-province"));

        for role in ["admin", "organizer"] {
            let scope = check(role, "3", "7").unwrap().scope;
            assert_eq!((scope.unit_id, scope.province_id), (None, None));
        }
        // An observer is scoped as a reviewer is: regional with a province, else national.
        let observer = check("observer", "3", "7").unwrap().scope;
        assert_eq!(observer.role, Role::Observer);
        assert_eq!((observer.unit_id, observer.province_id), (None, Some(7)));
        assert_eq!(check("observer", "", "").unwrap().scope.province_id, None);
        let errors = check("observer", "", "99").unwrap_err();
        assert_eq!(errors.get("province_id"), Some(&"accounts-error-province"));
        let errors = check("owner", "", "").unwrap_err();
        assert_eq!(errors.get("role"), Some(&"accounts-error-role"));
    }

    #[test]
    fn an_invitation_needs_a_deliverable_address_and_a_name_and_reports_every_bad_field() {
        let bad = InviteForm {
            email: "siti@contoh".into(),
            name: " x ".into(),
            role: "staff".into(),
            unit_id: "".into(),
            province_id: "".into(),
        };
        let errors = bad.validate(&[3], &[7]).unwrap_err();
        assert_eq!(errors.get("email"), Some(&"form-error-email"));
        assert_eq!(errors.get("name"), Some(&"accounts-error-name"));
        assert_eq!(errors.get("unit_id"), Some(&"accounts-error-unit"));
        let good = InviteForm {
            email: " Siti.R@Lapas.go.id ".into(),
            name: "Siti Rahma".into(),
            role: "staff".into(),
            unit_id: "3".into(),
            province_id: "".into(),
        };
        let draft = good.validate(&[3], &[7]).unwrap();
        assert_eq!(draft.email, "siti.r@lapas.go.id");
        assert_eq!(draft.account.scope.unit_id, Some(3));
    }

    #[test]
    fn an_account_form_shows_an_account_as_it_is() {
        let scope = Scope {
            role: Role::Reviewer,
            unit_id: None,
            province_id: Some(8),
        };
        let form = AccountForm::of("Budi", &scope);
        assert_eq!(form.role, "reviewer");
        assert_eq!(form.province_id, "8");
        assert_eq!(form.unit_id, "");
        assert_eq!(form.validate(&[], &[8]).unwrap().scope, scope);
    }

    #[test]
    fn an_administrator_keeps_their_own_role_and_cannot_deactivate_themselves() {
        assert_eq!(own_role_change(1, 1, Role::Admin), Ok(()));
        assert_eq!(
            own_role_change(1, 1, Role::Reviewer),
            Err("accounts-error-own-role")
        );
        assert_eq!(own_role_change(1, 2, Role::Staff), Ok(()));
        assert_eq!(own_deactivation(1, 1), Err("accounts-error-own-deactivate"));
        assert_eq!(own_deactivation(1, 2), Ok(()));
    }

    #[test]
    fn an_invitation_is_open_until_used_or_seven_days_old() {
        let now = 1_000_000;
        assert_eq!(InvitationCheck::of(None, now), InvitationCheck::Unknown);
        assert_eq!(
            InvitationCheck::of(Some((now + INVITATION_SECS, None)), now),
            InvitationCheck::Open
        );
        assert_eq!(
            InvitationCheck::of(Some((now, None)), now),
            InvitationCheck::Expired
        );
        assert_eq!(
            InvitationCheck::of(Some((now + 60, Some(now - 5))), now),
            InvitationCheck::Used
        );
        assert_eq!(InvitationCheck::Open.problem(), None);
        assert_eq!(
            InvitationCheck::Expired.problem(),
            Some("invitation-error-expired")
        );
    }

    #[test]
    fn the_list_filter_reads_role_status_and_words_and_ignores_junk() {
        let filter = AccountFilter::parse("  Siti  LAPAS ", "staff", "diundang");
        assert_eq!(filter.words, vec!["siti", "lapas"]);
        assert_eq!(filter.role, Some(Role::Staff));
        assert_eq!(filter.status, Some(AccountStatus::Invited));
        let junk = AccountFilter::parse("", "raja", "semua");
        assert_eq!(junk, AccountFilter::default());
    }
}
