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
