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

/// The signed-in account as the back office sees it.
pub fn actor(conn: &mut DbConnection, id: i32) -> QueryResult<Option<crate::domain::Actor>> {
    type Row = (i32, String, String, Option<i32>, Option<i32>);
    let row: Option<Row> = users::table
        .find(id)
        .select((
            users::id,
            users::name,
            users::role,
            users::unit_id,
            users::province_id,
        ))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(id, name, role, unit_id, province_id)| {
        crate::domain::Role::parse(&role).map(|role| crate::domain::Actor {
            id,
            name,
            role,
            unit_id,
            province_id,
        })
    }))
}
