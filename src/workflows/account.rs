//! Back-office accounts: signing in, a reset password, invitations (an administrator invites;
//! the invitee chooses a first password through the mailed link) and changing one's own password.

use crate::domain::accounts::{
    new_password_problem, InvitationCheck, InviteDraft, PASSWORD_MAX_CHARS,
};
use crate::domain::token::{InvitationToken, Secret};
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
    /// The password is right, but an administrator deactivated the account.
    Deactivated,
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
    shop.write(move |c| {
        if user::is_deactivated(c, id)? {
            return Ok(SignIn::Deactivated);
        }
        if user::unit_switched_off(c, id)? {
            return Ok(SignIn::UnitSwitchedOff);
        }
        user::record_sign_in(c, id, crate::models::now_ts())?;
        Ok(SignIn::Opened {
            id,
            version: user::session_version(c, id)?,
        })
    })
    .await
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
    if let Some(key) = new_password_problem(password, password_again) {
        return Ok(ResetOutcome::Refused(key));
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

// ---- Invitations and one's own password ---------------------------------------------------

/// Hashes a new password with argon2id off the worker thread (it is slow on purpose).
async fn hash_off_thread(password: &str) -> Result<Result<String, &'static str>, AppError> {
    let password = password.to_string();
    actix_web::web::block(move || user::hash_password(&password))
        .await
        .map_err(AppError::internal)
}

/// How inviting someone went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteOutcome {
    /// The account is made (invited) and the invitation mail queued: its id.
    Invited(i32),
    /// Nothing changed; the key of the message saying why.
    Refused(&'static str),
}

/// The address of an invitation link.
fn invitation_link(shop: Shop<'_>, token: &InvitationToken) -> String {
    format!("{}/undangan/{}", shop.base_url, token.as_str())
}

/// Creates the invited account of `draft` (no password yet) and mails it a link to choose one,
/// good for seven days and once; `actor_id` is the administrator, in the audit log.
pub async fn invite(
    shop: Shop<'_>,
    draft: InviteDraft,
    actor_id: i32,
) -> Result<InviteOutcome, AppError> {
    let token: InvitationToken = crate::models::fresh();
    let link = invitation_link(shop, &token);
    let mail = shop.mail.clone();
    let made = shop
        .write(move |c| {
            Ok(user::invite(
                c,
                &mail,
                &draft,
                &token,
                &link,
                actor_id,
                crate::models::now_ts(),
            )?)
        })
        .await?;
    Ok(match made {
        Ok(id) => InviteOutcome::Invited(id),
        Err(key) => InviteOutcome::Refused(key),
    })
}

/// Mails invited account `id` a new link; the links sent before stop working. `Err` holds the
/// key of the message saying why nothing was sent (the account is no longer invited).
pub async fn resend_invitation(
    shop: Shop<'_>,
    id: i32,
    actor_id: i32,
) -> Result<Result<(), &'static str>, AppError> {
    let token: InvitationToken = crate::models::fresh();
    let link = invitation_link(shop, &token);
    let mail = shop.mail.clone();
    shop.write(move |c| {
        Ok(user::resend_invitation(
            c,
            &mail,
            id,
            &token,
            &link,
            actor_id,
            crate::models::now_ts(),
        )?)
    })
    .await
}

/// Where the invitation link `raw` (as it came in the address) stands, with the name and
/// address of the account it invites while it is open.
pub async fn check_invitation(
    shop: Shop<'_>,
    raw: &str,
) -> Result<(InvitationCheck, Option<(String, String)>), AppError> {
    let Some(token) = InvitationToken::parse(raw) else {
        return Ok((InvitationCheck::Unknown, None));
    };
    let (check, account) = shop
        .read(move |c| {
            Ok(user::invitation(
                c,
                token.as_str(),
                crate::models::now_ts(),
            )?)
        })
        .await?;
    Ok((check, account.map(|a| (a.name, a.email))))
}

/// How choosing a first password through an invitation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptOutcome {
    /// The password is set, the link used up: the account to sign in and its session version.
    SignedIn { id: i32, version: i32 },
    /// The link does not work (used, expired or unknown).
    LinkClosed(InvitationCheck),
    /// The password was not taken; the key of the message saying why. The link still works.
    Refused(&'static str),
}

/// Sets `password` (typed twice, as a reset asks) as the first password of the account invited
/// by link `raw`. The link works once.
pub async fn accept_invitation(
    shop: Shop<'_>,
    raw: &str,
    password: &str,
    password_again: &str,
) -> Result<AcceptOutcome, AppError> {
    let (check, _) = check_invitation(shop, raw).await?;
    if check != InvitationCheck::Open {
        return Ok(AcceptOutcome::LinkClosed(check));
    }
    if let Some(key) = new_password_problem(password, password_again) {
        return Ok(AcceptOutcome::Refused(key));
    }
    let hash = match hash_off_thread(password).await? {
        Ok(hash) => hash,
        Err(key) => return Ok(AcceptOutcome::Refused(key)),
    };
    let Some(token) = InvitationToken::parse(raw) else {
        return Ok(AcceptOutcome::LinkClosed(InvitationCheck::Unknown));
    };
    let accepted = shop
        .write(move |c| {
            Ok(user::accept_invitation(
                c,
                token.as_str(),
                &hash,
                crate::models::now_ts(),
            )?)
        })
        .await?;
    Ok(match accepted {
        Ok((id, version)) => AcceptOutcome::SignedIn { id, version },
        Err(check) => AcceptOutcome::LinkClosed(check),
    })
}

/// How changing one's own password went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// The new password is set and every other session ended: this session's new version.
    Done { version: i32 },
    /// Nothing changed; the key of the message saying why.
    Refused(&'static str),
}

/// Sets a new password for signed-in account `id`, only with its current one; the new one
/// follows the rules of a reset (typed twice alike, 10 to 200 characters).
pub async fn change_password(
    shop: Shop<'_>,
    id: i32,
    current: &str,
    password: &str,
    password_again: &str,
) -> Result<PasswordChange, AppError> {
    let current: String = current.chars().take(PASSWORD_MAX_CHARS).collect();
    let hash = shop
        .read(move |c| Ok(user::password_hash_of(c, id)?))
        .await?;
    let record = hash.map(|hash| (id, hash));
    let matched = actix_web::web::block(move || user::verify_login(record.as_ref(), &current))
        .await
        .map_err(AppError::internal)?;
    if matched != Some(id) {
        return Ok(PasswordChange::Refused("password-error-current"));
    }
    if let Some(key) = new_password_problem(password, password_again) {
        return Ok(PasswordChange::Refused(key));
    }
    let hash = match hash_off_thread(password).await? {
        Ok(hash) => hash,
        Err(key) => return Ok(PasswordChange::Refused(key)),
    };
    let version = shop
        .write(move |c| {
            Ok(user::change_password(
                c,
                id,
                &hash,
                crate::models::now_ts(),
            )?)
        })
        .await?;
    Ok(PasswordChange::Done { version })
}
