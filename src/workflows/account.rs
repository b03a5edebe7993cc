//! Staff sign in.

use crate::error::AppError;
use crate::models::user;

use super::Shop;

/// How a sign-in went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    /// The account and its session version.
    Opened { id: i32, version: i32 },
    /// No account has that email and password.
    Refused,
    /// The password is right, but the account works for a unit that is switched off.
    UnitSwitchedOff,
}

/// Whether `email` and `password` open an account. The password is checked after the
/// connection went back to the pool, and against a dummy hash when there is no such account,
/// so an answer takes as long either way; only with the right password is a unit switched off
/// named.
pub async fn check_credentials(
    shop: Shop<'_>,
    email: &str,
    password: &str,
) -> Result<SignIn, AppError> {
    let email: String = email.chars().take(254).collect();
    let password: String = password.chars().take(200).collect();
    let record = shop
        .write(move |c| Ok(user::login_record(c, &email)?))
        .await?;
    let matched = actix_web::web::block(move || user::verify_login(record.as_ref(), &password))
        .await
        .map_err(AppError::internal)?;
    let Some(id) = matched else {
        return Ok(SignIn::Refused);
    };
    let (version, switched_off) = shop
        .write(move |c| {
            Ok((
                user::session_version(c, id)?,
                user::unit_switched_off(c, id)?,
            ))
        })
        .await?;
    Ok(if switched_off {
        SignIn::UnitSwitchedOff
    } else {
        SignIn::Opened { id, version }
    })
}

/// How setting a new password through a reset link went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetOutcome {
    /// The password is set and the link is used up.
    Done,
    /// Nothing changed; the key of the message saying why.
    Refused(&'static str),
}

/// Sets `password` for the account of reset link `token`, if the link is still good and both
/// typings match. The link works once.
pub async fn reset_password(
    shop: Shop<'_>,
    token: &str,
    password: &str,
    password_again: &str,
) -> Result<ResetOutcome, AppError> {
    let token: String = token.chars().take(128).collect();
    let checked = token.clone();
    let valid = shop
        .write(move |c| Ok(user::reset_is_valid(c, &checked, crate::models::now_ts())?))
        .await?;
    if !valid {
        return Ok(ResetOutcome::Refused("reset-error-token"));
    }
    if password != password_again {
        return Ok(ResetOutcome::Refused("reset-error-mismatch"));
    }
    // argon2 is slow on purpose: off the worker thread.
    let password = password.to_string();
    let hashed = actix_web::web::block(move || user::hash_password(&password))
        .await
        .map_err(AppError::internal)?;
    let hash = match hashed {
        Ok(hash) => hash,
        Err(key) => return Ok(ResetOutcome::Refused(key)),
    };
    let done = shop
        .write(move |c| {
            Ok(user::consume_reset(
                c,
                &token,
                &hash,
                crate::models::now_ts(),
            )?)
        })
        .await?;
    Ok(if done {
        ResetOutcome::Done
    } else {
        ResetOutcome::Refused("reset-error-token")
    })
}
