//! Staff, reviewer, organizer, observer and administrator accounts.

use diesel::prelude::*;

use crate::db::schema::users;
use crate::db::DbConnection;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub unit_id: Option<i32>,
    pub province_id: Option<i32>,
    pub created_at: i64,
}

pub fn insert_user(conn: &mut DbConnection, user: &NewUser) -> QueryResult<i32> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    users::table
        .filter(users::email.eq(&user.email))
        .select(users::id)
        .first(conn)
}

/// How many administrator accounts there are (none on a new database).
pub fn count_admins(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(crate::domain::Role::Admin.code()))
        .count()
        .get_result(conn)
}

pub fn email_taken(conn: &mut DbConnection, email: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email)),
    ))
    .get_result(conn)
}

/// Validates an account and hashes its password with argon2id.
pub fn new_account(
    email: &str,
    name: &str,
    role: &str,
    password: &str,
    unit_id: Option<i32>,
    province_id: Option<i32>,
    now: i64,
) -> Result<NewUser, String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let email = email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.'));
    if !valid_email {
        return Err(format!("`{email}` is not a valid email address"));
    }
    if name.trim().is_empty() {
        return Err("a name is required".into());
    }
    if crate::domain::Role::parse(role).is_none() {
        return Err(format!(
            "unknown role `{role}`: use admin, reviewer, staff, organizer or observer"
        ));
    }
    if role == "staff" && unit_id.is_none() {
        return Err("staff accounts need --unit".into());
    }
    if password.chars().count() < 10 {
        return Err("the password needs at least 10 characters".into());
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| e.to_string())?
        .to_string();
    Ok(NewUser {
        email,
        name: name.trim().to_string(),
        password_hash: hash,
        role: role.to_string(),
        unit_id,
        province_id,
        created_at: now,
    })
}

/// The account behind an email, with its password hash, for signing in.
pub fn login_record(conn: &mut DbConnection, email: &str) -> QueryResult<Option<(i32, String)>> {
    users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .select((users::id, users::password_hash))
        .first(conn)
        .optional()
}

/// Checks a password against an argon2 hash (any argon2 variant the hash names).
pub fn password_matches(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// An argon2id hash of a password nobody knows, made once: checking a sign-in for an
/// address without an account costs as much as checking a real one.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        hash_password(&crate::models::random_hex(32)).unwrap_or_else(|_| String::new())
    })
}

/// The account a sign-in opens: the id when the record exists and the password matches. The
/// hash is always verified (against a dummy when there is no record).
/// An invited account has no password yet (its hash is empty): it opens with none, and costs
/// as much to check as any other.
pub fn verify_login(record: Option<&(i32, String)>, password: &str) -> Option<i32> {
    use argon2::password_hash::PasswordHash;
    match record {
        Some((id, hash)) if PasswordHash::new(hash).is_ok() => {
            password_matches(hash, password).then_some(*id)
        }
        _ => {
            let _ = password_matches(dummy_hash(), password);
            None
        }
    }
}

/// The signed-in account as the back office sees it, with its session version. A deactivated
/// account and the staff of a unit switched off have none: their sessions end.
pub fn actor(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(crate::domain::Actor, i32)>> {
    type Row = (i32, String, String, Option<i32>, Option<i32>, i32, i32);
    let row: Option<Row> = users::table
        .find(id)
        .filter(users::active.eq(1))
        .select((
            users::id,
            users::name,
            users::role,
            users::unit_id,
            users::province_id,
            users::session_version,
            users::treasurer,
        ))
        .first(conn)
        .optional()?;
    if let Some((_, _, role, Some(unit_id), _, _, _)) = &row {
        if role == crate::domain::Role::Staff.code() && !unit_is_active(conn, *unit_id)? {
            return Ok(None);
        }
    }
    Ok(row.and_then(
        |(id, name, role, unit_id, province_id, version, treasurer)| {
            crate::domain::Role::parse(&role).map(|role| {
                (
                    crate::domain::Actor {
                        id,
                        name,
                        role,
                        unit_id,
                        province_id,
                        treasurer: treasurer == 1,
                    },
                    version,
                )
            })
        },
    ))
}

fn unit_is_active(conn: &mut DbConnection, unit_id: i32) -> QueryResult<bool> {
    use crate::db::schema::units;
    let active: Option<i32> = units::table
        .find(unit_id)
        .select(units::active)
        .first(conn)
        .optional()?;
    Ok(active == Some(1))
}

/// Whether the account works for a unit that is switched off: it may not sign in.
pub fn unit_switched_off(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    let unit_id: Option<Option<i32>> = users::table
        .find(id)
        .select(users::unit_id)
        .first(conn)
        .optional()?;
    match unit_id.flatten() {
        Some(unit_id) => Ok(!unit_is_active(conn, unit_id)?),
        None => Ok(false),
    }
}

/// Whether account `id` was deactivated: it may not sign in.
pub fn is_deactivated(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    let active: Option<i32> = users::table
        .find(id)
        .select(users::active)
        .first(conn)
        .optional()?;
    Ok(active != Some(1))
}

/// Notes a successful sign-in of account `id` at `now` (the administrators' list shows it).
pub fn record_sign_in(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::last_sign_in_at.eq(Some(now)))
        .execute(conn)
        .map(drop)
}

pub fn session_version(conn: &mut DbConnection, id: i32) -> QueryResult<i32> {
    users::table
        .find(id)
        .select(users::session_version)
        .first(conn)
}

/// Ends every session of the account (sign-out everywhere, password reset).
pub fn bump_session_version(conn: &mut DbConnection, id: i32) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set(users::session_version.eq(users::session_version + 1))
        .execute(conn)
        .map(drop)
}

/// Hex SHA-256 of a reset token: only the hash is stored.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::domain::to_hex(&Sha256::digest(token.as_bytes()))
}

/// Records a password-reset token for the account with this email, valid for an hour.
/// Returns the account's address, or None when there is no such account (or it is deactivated,
/// or invited and waiting for its first password: its invitation link sets that).
pub fn create_reset(
    conn: &mut DbConnection,
    email: &str,
    token: &str,
    now: i64,
) -> QueryResult<Option<String>> {
    use crate::db::schema::password_resets;
    let found: Option<(i32, String)> = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
        .filter(users::active.eq(1))
        .filter(users::invited.eq(0))
        .select((users::id, users::email))
        .first(conn)
        .optional()?;
    let Some((user_id, address)) = found else {
        return Ok(None);
    };
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(token_hash(token)),
            password_resets::expires_at.eq(now + 3600),
            password_resets::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(address))
}

/// Whether a reset token is valid now.
pub fn reset_is_valid(conn: &mut DbConnection, token: &str, now: i64) -> QueryResult<bool> {
    use crate::db::schema::password_resets;
    diesel::select(diesel::dsl::exists(
        password_resets::table
            .filter(password_resets::token_hash.eq(token_hash(token)))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(now)),
    ))
    .get_result(conn)
}

/// Sets a new password with a valid token and uses the token up. False when the token is
/// unknown, used or expired.
pub fn consume_reset(
    conn: &mut DbConnection,
    token: &str,
    new_hash: &str,
    now: i64,
) -> QueryResult<bool> {
    use crate::db::schema::password_resets;
    crate::db::write_transaction(conn, |conn| {
        let found: Option<(i32, i32)> = password_resets::table
            .filter(password_resets::token_hash.eq(token_hash(token)))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(now))
            .select((password_resets::id, password_resets::user_id))
            .first(conn)
            .optional()?;
        let Some((reset_id, user_id)) = found else {
            return Ok(false);
        };
        diesel::update(users::table.find(user_id))
            .set((
                users::password_hash.eq(new_hash),
                users::session_version.eq(users::session_version + 1),
            ))
            .execute(conn)?;
        // This token and every other open one of the account are used up.
        diesel::update(
            password_resets::table
                .filter(password_resets::user_id.eq(user_id))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(Some(now)))
        .execute(conn)?;
        let _ = reset_id;
        Ok(true)
    })
}

/// Hashes a new password with argon2id; refuses short ones.
pub fn hash_password(password: &str) -> Result<String, &'static str> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    if password.chars().count() < 10 {
        return Err("reset-error-short");
    }
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| "reset-error-short")
}

// ---- Accounts administration (`/kelola/akun`) --------------------------------------------

use crate::domain::accounts::{
    own_deactivation, own_role_change, AccountDraft, AccountFilter, AccountStatus, InvitationCheck,
    InviteDraft, Scope, INVITATION_SECS,
};
use crate::domain::token::{InvitationToken, Secret};
use crate::domain::Role;
use crate::models::mail_outbox::MailRenderer;

/// An account as the administrators' list and form show it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct AccountRow {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: String,
    pub unit_id: Option<i32>,
    pub province_id: Option<i32>,
    pub created_at: i64,
    /// 1, or 0 when deactivated.
    pub active: i32,
    /// 1 while the account has no password of its own yet.
    pub invited: i32,
    pub last_sign_in_at: Option<i64>,
    /// 1 for unit staff who may record the unit's payouts.
    pub treasurer: i32,
}

impl AccountRow {
    pub fn status(&self) -> AccountStatus {
        AccountStatus::of(self.active, self.invited)
    }

    /// Its role (the database allows only the roles there are).
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Staff)
    }

    pub fn scope(&self) -> Scope {
        Scope {
            role: self.role(),
            unit_id: self.unit_id,
            province_id: self.province_id,
        }
    }
}

/// What the audit log keeps of an account.
fn audit_view(a: &AccountRow) -> serde_json::Value {
    serde_json::json!({
        "email": a.email, "name": a.name, "role": a.role, "unit_id": a.unit_id,
        "province_id": a.province_id, "status": a.status().code(), "treasurer": a.treasurer,
    })
}

fn account_row(conn: &mut DbConnection, id: i32) -> QueryResult<AccountRow> {
    users::table
        .find(id)
        .select(AccountRow::as_select())
        .first(conn)
}

/// Account `id`, whatever its status.
pub fn account(conn: &mut DbConnection, id: i32) -> QueryResult<Option<AccountRow>> {
    account_row(conn, id).optional()
}

/// One page of the accounts `filter` lets through, by name, and how many there are in all.
/// The ids are read first (there are at most a few thousand accounts), then the page's rows.
pub fn accounts_page(
    conn: &mut DbConnection,
    filter: &AccountFilter,
    page: crate::domain::PageNumber,
    per_page: u32,
) -> QueryResult<(Vec<AccountRow>, i64)> {
    use crate::models::product::{like_pattern, lower};
    let mut query = users::table
        .select(users::id)
        .order((users::name.asc(), users::id.asc()))
        .into_boxed();
    for word in &filter.words {
        let pattern = like_pattern(word);
        query = query.filter(
            lower(users::name)
                .like(pattern.clone())
                .escape('\\')
                .or(lower(users::email).like(pattern).escape('\\')),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.code()));
    }
    match filter.status {
        Some(AccountStatus::Active) => {
            query = query
                .filter(users::active.eq(1))
                .filter(users::invited.eq(0))
        }
        Some(AccountStatus::Invited) => {
            query = query
                .filter(users::active.eq(1))
                .filter(users::invited.eq(1))
        }
        Some(AccountStatus::Deactivated) => query = query.filter(users::active.eq(0)),
        None => {}
    }
    let ids: Vec<i32> = query.load(conn)?;
    let shown: Vec<i32> = ids
        .iter()
        .skip(usize::try_from(page.offset(per_page)).unwrap_or(usize::MAX))
        .take(per_page as usize)
        .copied()
        .collect();
    let mut rows: Vec<AccountRow> = users::table
        .filter(users::id.eq_any(&shown))
        .select(AccountRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|r| shown.iter().position(|id| *id == r.id));
    Ok((rows, ids.len() as i64))
}

/// The names of the units and provinces accounts are scoped to, by id.
#[derive(Debug, Clone, Default)]
pub struct ScopeNames {
    pub units: std::collections::HashMap<i32, String>,
    pub provinces: std::collections::HashMap<i32, String>,
}

/// The names of the units and provinces of `accounts`.
pub fn scope_names(conn: &mut DbConnection, accounts: &[AccountRow]) -> QueryResult<ScopeNames> {
    use crate::db::schema::{provinces, units};
    let unit_ids: Vec<i32> = accounts.iter().filter_map(|a| a.unit_id).collect();
    let province_ids: Vec<i32> = accounts.iter().filter_map(|a| a.province_id).collect();
    let unit_names: Vec<(i32, String)> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::name))
        .load(conn)?;
    let province_names: Vec<(i32, String)> = provinces::table
        .filter(provinces::id.eq_any(&province_ids))
        .select((provinces::id, provinces::name))
        .load(conn)?;
    Ok(ScopeNames {
        units: unit_names.into_iter().collect(),
        provinces: province_names.into_iter().collect(),
    })
}

/// What an account's scope may be: every unit (switched off or not) and every province, by
/// name, as `(id, name)`.
#[derive(Debug, Clone, Default)]
pub struct ScopeChoices {
    pub units: Vec<(i32, String)>,
    pub provinces: Vec<(i32, String)>,
}

impl ScopeChoices {
    pub fn unit_ids(&self) -> Vec<i32> {
        self.units.iter().map(|(id, _)| *id).collect()
    }

    pub fn province_ids(&self) -> Vec<i32> {
        self.provinces.iter().map(|(id, _)| *id).collect()
    }
}

pub fn scope_choices(conn: &mut DbConnection) -> QueryResult<ScopeChoices> {
    use crate::db::schema::{provinces, units};
    Ok(ScopeChoices {
        units: units::table
            .order((units::name.asc(), units::id.asc()))
            .select((units::id, units::name))
            .load(conn)?,
        provinces: provinces::table
            .order(provinces::name.asc())
            .select((provinces::id, provinces::name))
            .load(conn)?,
    })
}

/// The time zone an account's mail names times in: its unit's or its province's (WIB when it
/// has neither).
fn zone_of(
    conn: &mut DbConnection,
    account: &AccountRow,
) -> QueryResult<crate::domain::time::Zone> {
    use crate::db::schema::{provinces, units};
    let province_id = match account.unit_id {
        Some(unit_id) => units::table
            .find(unit_id)
            .select(units::province_id)
            .first::<i32>(conn)
            .optional()?,
        None => account.province_id,
    };
    let iso_code: Option<String> = match province_id {
        Some(id) => provinces::table
            .find(id)
            .select(provinces::iso_code)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(iso_code
        .map(|iso| crate::domain::time::Zone::of_province(&iso))
        .unwrap_or_default())
}

/// Uses up the open invitation links of account `user_id` at `now`.
fn close_invitations(conn: &mut DbConnection, user_id: i32, now: i64) -> QueryResult<()> {
    use crate::db::schema::invitations;
    diesel::update(
        invitations::table
            .filter(invitations::user_id.eq(user_id))
            .filter(invitations::used_at.is_null()),
    )
    .set(invitations::used_at.eq(Some(now)))
    .execute(conn)
    .map(drop)
}

/// Uses up the open password-reset links of account `user_id` at `now`.
fn close_resets(conn: &mut DbConnection, user_id: i32, now: i64) -> QueryResult<()> {
    use crate::db::schema::password_resets;
    diesel::update(
        password_resets::table
            .filter(password_resets::user_id.eq(user_id))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(Some(now)))
    .execute(conn)
    .map(drop)
}

/// A new invitation link for `account`: the older ones stop working, the token's hash is kept
/// for seven days and the invitation mail is queued (in the caller's transaction). Gives when
/// the link expires.
fn open_invitation(
    conn: &mut DbConnection,
    mail: &dyn MailRenderer,
    account: &AccountRow,
    token: &InvitationToken,
    link: &str,
    actor_id: i32,
    now: i64,
) -> QueryResult<i64> {
    use crate::db::schema::invitations;
    close_invitations(conn, account.id, now)?;
    let expires_at = now + INVITATION_SECS;
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(account.id),
            invitations::token_hash.eq(token_hash(token.as_str())),
            invitations::expires_at.eq(expires_at),
            invitations::created_by.eq(Some(actor_id)),
            invitations::created_at.eq(now),
        ))
        .execute(conn)?;
    let zone = zone_of(conn, account)?;
    crate::models::mail_outbox::enqueue_event(
        conn,
        mail,
        &account.email,
        &crate::domain::mail::MailEvent::Invitation {
            name: account.name.clone(),
            link: link.to_string(),
            expires_at,
            zone,
        },
    )?;
    Ok(expires_at)
}

/// Creates the account of `draft` as invited, without a password anyone knows, and mails it
/// the invitation `link` (whose key is `token`, good for seven days), audited, in one
/// transaction. Refused (the message key) when the address already has an account. Gives the
/// new account's id.
pub fn invite(
    conn: &mut DbConnection,
    mail: &dyn MailRenderer,
    draft: &InviteDraft,
    token: &InvitationToken,
    link: &str,
    actor_id: i32,
    now: i64,
) -> QueryResult<Result<i32, &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        if email_taken(conn, &draft.email)? {
            return Ok(Err("accounts-error-email-taken"));
        }
        let scope = draft.account.scope;
        diesel::insert_into(users::table)
            .values((
                users::email.eq(&draft.email),
                users::name.eq(&draft.account.name),
                // No argon2 hash: no password opens it (see `verify_login`).
                users::password_hash.eq(""),
                users::role.eq(scope.role.code()),
                users::unit_id.eq(scope.unit_id),
                users::province_id.eq(scope.province_id),
                users::created_at.eq(now),
                users::invited.eq(1),
            ))
            .execute(conn)?;
        let id: i32 = users::table
            .filter(users::email.eq(&draft.email))
            .select(users::id)
            .first(conn)?;
        let after = account_row(conn, id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "account.invite",
            "user",
            id,
            None,
            Some(&audit_view(&after)),
        )?;
        open_invitation(conn, mail, &after, token, link, actor_id, now)?;
        Ok(Ok(id))
    })
}

/// Mails invited account `id` a new invitation `link` (key `token`); the older links stop
/// working. Audited. Refused (the message key) when the account is not waiting for its first
/// password (or is deactivated); `NotFound` when there is no such account.
pub fn resend_invitation(
    conn: &mut DbConnection,
    mail: &dyn MailRenderer,
    id: i32,
    token: &InvitationToken,
    link: &str,
    actor_id: i32,
    now: i64,
) -> QueryResult<Result<(), &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        let account = account_row(conn, id)?;
        if account.status() != AccountStatus::Invited {
            return Ok(Err("accounts-error-not-invited"));
        }
        let expires_at = open_invitation(conn, mail, &account, token, link, actor_id, now)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "account.invite.resend",
            "user",
            id,
            None,
            Some(&serde_json::json!({ "email": account.email, "expires_at": expires_at })),
        )?;
        Ok(Ok(()))
    })
}

/// Where the invitation link with key `token` stands at `now`, and the account it invites
/// while it is open. A link whose account no longer waits for its first password (deactivated
/// meanwhile) counts as used.
pub fn invitation(
    conn: &mut DbConnection,
    token: &str,
    now: i64,
) -> QueryResult<(InvitationCheck, Option<AccountRow>)> {
    use crate::db::schema::invitations;
    let found: Option<(i32, i64, Option<i64>)> = invitations::table
        .filter(invitations::token_hash.eq(token_hash(token)))
        .select((
            invitations::user_id,
            invitations::expires_at,
            invitations::used_at,
        ))
        .first(conn)
        .optional()?;
    let check = InvitationCheck::of(found.map(|(_, expires, used)| (expires, used)), now);
    let Some((user_id, _, _)) = found.filter(|_| check == InvitationCheck::Open) else {
        return Ok((check, None));
    };
    match account(conn, user_id)? {
        Some(account) if account.status() == AccountStatus::Invited => Ok((check, Some(account))),
        _ => Ok((InvitationCheck::Used, None)),
    }
}

/// Sets the first password (`new_hash`) of the account invited by the link with key `token`,
/// uses its links up, notes the sign-in that follows and audits it, in one transaction. Gives
/// the account's id and session version, or where the link stands when it is not open.
pub fn accept_invitation(
    conn: &mut DbConnection,
    token: &str,
    new_hash: &str,
    now: i64,
) -> QueryResult<Result<(i32, i32), InvitationCheck>> {
    crate::db::write_transaction(conn, |conn| {
        let (check, found) = invitation(conn, token, now)?;
        let Some(account) = found else {
            return Ok(Err(check));
        };
        diesel::update(users::table.find(account.id))
            .set((
                users::password_hash.eq(new_hash),
                users::invited.eq(0),
                users::session_version.eq(users::session_version + 1),
                users::last_sign_in_at.eq(Some(now)),
            ))
            .execute(conn)?;
        close_invitations(conn, account.id, now)?;
        let after = account_row(conn, account.id)?;
        crate::models::audit::record(
            conn,
            account.id,
            "account.invitation.accept",
            "user",
            account.id,
            Some(&audit_view(&account)),
            Some(&audit_view(&after)),
        )?;
        Ok(Ok((account.id, session_version(conn, account.id)?)))
    })
}

/// Saves the name, role and scope of account `id` (`NotFound` when there is none), audited
/// when something changed. Refused (the message key) when an administrator would give up
/// their own role. A role or scope changed applies to the account's next request.
pub fn update_account(
    conn: &mut DbConnection,
    id: i32,
    draft: &AccountDraft,
    actor_id: i32,
) -> QueryResult<Result<(), &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        if let Err(key) = own_role_change(actor_id, id, draft.scope.role) {
            return Ok(Err(key));
        }
        let before = account_row(conn, id)?;
        diesel::update(users::table.find(id))
            .set((
                users::name.eq(&draft.name),
                users::role.eq(draft.scope.role.code()),
                users::unit_id.eq(draft.scope.unit_id),
                users::province_id.eq(draft.scope.province_id),
            ))
            .execute(conn)?;
        // The treasurer right belongs to a unit's staff: another unit or role drops it.
        if before.unit_id != draft.scope.unit_id || before.role() != draft.scope.role {
            diesel::update(users::table.find(id))
                .set(users::treasurer.eq(0))
                .execute(conn)?;
        }
        let after = account_row(conn, id)?;
        let (was, now) = (audit_view(&before), audit_view(&after));
        if was != now {
            crate::models::audit::record(
                conn,
                actor_id,
                "account.edit",
                "user",
                id,
                Some(&was),
                Some(&now),
            )?;
        }
        Ok(Ok(()))
    })
}

/// Gives staff account `id` the treasurer right (it records its unit's payouts) or takes it
/// away; audited. False when it already was so; refused (the message key) for an account that
/// is not a unit's staff.
pub fn set_treasurer(
    conn: &mut DbConnection,
    id: i32,
    treasurer: bool,
    actor_id: i32,
) -> QueryResult<Result<bool, &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        let before = account_row(conn, id)?;
        if treasurer && (before.role() != Role::Staff || before.unit_id.is_none()) {
            return Ok(Err("accounts-treasurer-staff-only"));
        }
        let (was, becomes) = (i32::from(!treasurer), i32::from(treasurer));
        let changed = diesel::update(users::table.find(id).filter(users::treasurer.eq(was)))
            .set(users::treasurer.eq(becomes))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Ok(false));
        }
        let after = account_row(conn, id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            "account.treasurer",
            "user",
            id,
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(Ok(true))
    })
}

/// Deactivates or reactivates account `id` (`NotFound` when there is none); false when it
/// already was. Either way its sessions end; a deactivated account's open invitation and
/// reset links stop working too. Audited. Refused (the message key) when an administrator
/// would deactivate their own account.
pub fn set_active(
    conn: &mut DbConnection,
    id: i32,
    active: bool,
    actor_id: i32,
    now: i64,
) -> QueryResult<Result<bool, &'static str>> {
    crate::db::write_transaction(conn, |conn| {
        if !active {
            if let Err(key) = own_deactivation(actor_id, id) {
                return Ok(Err(key));
            }
        }
        let before = account_row(conn, id)?;
        let (was, becomes) = (i32::from(!active), i32::from(active));
        let changed = diesel::update(users::table.find(id).filter(users::active.eq(was)))
            .set((
                users::active.eq(becomes),
                users::session_version.eq(users::session_version + 1),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(Ok(false));
        }
        if !active {
            close_invitations(conn, id, now)?;
            close_resets(conn, id, now)?;
        }
        let after = account_row(conn, id)?;
        crate::models::audit::record(
            conn,
            actor_id,
            if active {
                "account.reactivate"
            } else {
                "account.deactivate"
            },
            "user",
            id,
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )?;
        Ok(Ok(true))
    })
}

/// The password hash of active account `id`, to check its current password against.
pub fn password_hash_of(conn: &mut DbConnection, id: i32) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .filter(users::active.eq(1))
        .select(users::password_hash)
        .first(conn)
        .optional()
}

/// Sets a new password (`new_hash`) the account chose itself: every other session of the
/// account ends and its open reset links stop working. Audited, without the hashes. Gives the
/// new session version.
pub fn change_password(
    conn: &mut DbConnection,
    id: i32,
    new_hash: &str,
    now: i64,
) -> QueryResult<i32> {
    crate::db::write_transaction(conn, |conn| {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(new_hash),
                users::session_version.eq(users::session_version + 1),
            ))
            .execute(conn)?;
        close_resets(conn, id, now)?;
        crate::models::audit::record(conn, id, "account.password.change", "user", id, None, None)?;
        session_version(conn, id)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invited_account_without_a_password_opens_with_none() {
        let invited = (7, String::new());
        assert_eq!(verify_login(Some(&invited), ""), None);
        assert_eq!(verify_login(Some(&invited), "kata-sandi-apa-saja"), None);
        let chosen = (7, hash_password("kata-sandi-rahasia").unwrap());
        assert_eq!(verify_login(Some(&chosen), "kata-sandi-rahasia"), Some(7));
        assert_eq!(verify_login(Some(&chosen), "kata-sandi-lain"), None);
    }
}
