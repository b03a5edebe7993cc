//! Staff, reviewer, organizer and administrator accounts.

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
    if !["admin", "reviewer", "staff", "organizer"].contains(&role) {
        return Err(format!(
            "unknown role `{role}`: use admin, reviewer, staff or organizer"
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
pub fn verify_login(record: Option<&(i32, String)>, password: &str) -> Option<i32> {
    match record {
        Some((id, hash)) => password_matches(hash, password).then_some(*id),
        None => {
            let _ = password_matches(dummy_hash(), password);
            None
        }
    }
}

/// The signed-in account as the back office sees it, with its session version. The staff of a
/// unit switched off have none: their sessions end.
pub fn actor(conn: &mut DbConnection, id: i32) -> QueryResult<Option<(crate::domain::Actor, i32)>> {
    type Row = (i32, String, String, Option<i32>, Option<i32>, i32);
    let row: Option<Row> = users::table
        .find(id)
        .select((
            users::id,
            users::name,
            users::role,
            users::unit_id,
            users::province_id,
            users::session_version,
        ))
        .first(conn)
        .optional()?;
    if let Some((_, _, role, Some(unit_id), _, _)) = &row {
        if role == crate::domain::Role::Staff.code() && !unit_is_active(conn, *unit_id)? {
            return Ok(None);
        }
    }
    Ok(
        row.and_then(|(id, name, role, unit_id, province_id, version)| {
            crate::domain::Role::parse(&role).map(|role| {
                (
                    crate::domain::Actor {
                        id,
                        name,
                        role,
                        unit_id,
                        province_id,
                    },
                    version,
                )
            })
        }),
    )
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
/// Returns the account's address, or None when there is no such account.
pub fn create_reset(
    conn: &mut DbConnection,
    email: &str,
    token: &str,
    now: i64,
) -> QueryResult<Option<String>> {
    use crate::db::schema::password_resets;
    let found: Option<(i32, String)> = users::table
        .filter(users::email.eq(email.trim().to_lowercase()))
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
