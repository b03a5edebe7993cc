//! Mail waiting to be sent.

use diesel::prelude::*;

use crate::db::schema::mail_outbox;
use crate::db::DbConnection;
use crate::domain::mail::{Mail, MailEvent};

/// Turns a mail event into the message to send (`services::mail::MailTemplates` renders the
/// templates of `templates/emails/`). Models take one so that the text of a mail is queued in
/// the transaction of what it tells, without models knowing about templates.
pub trait MailRenderer: Send + Sync {
    fn render(&self, to: &str, event: &MailEvent) -> Result<Mail, String>;
}

/// Queues the mail telling `to` about `event`, rendered now, in the caller's transaction.
pub fn enqueue_event(
    conn: &mut DbConnection,
    renderer: &dyn MailRenderer,
    to: &str,
    event: &MailEvent,
) -> QueryResult<()> {
    let mail = renderer.render(to, event).map_err(|e| {
        diesel::result::Error::SerializationError(
            format!("mail {} not rendered: {e}", event.kind()).into(),
        )
    })?;
    enqueue(conn, &mail)
}

/// Queues a mail; call it inside the transaction of the change it reports. The mail sender is
/// woken once that transaction committed.
pub fn enqueue(conn: &mut DbConnection, mail: &Mail) -> QueryResult<()> {
    crate::db::wake::note_queued(conn, crate::db::wake::Outbox::Mail)?;
    let now = crate::models::now_ts();
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::to_addr.eq(&mail.to),
            mail_outbox::subject_id.eq(&mail.subject_id),
            mail_outbox::subject_en.eq(&mail.subject_en),
            mail_outbox::body_id.eq(&mail.body_id),
            mail_outbox::body_en.eq(&mail.body_en),
            mail_outbox::attempts.eq(0),
            mail_outbox::next_attempt_at.eq(now),
            mail_outbox::created_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

type Row = (i32, String, String, String, String, String, i32, i64);

/// A mail waiting in the outbox.
pub struct Queued {
    pub id: i32,
    pub attempts: i32,
    /// When its next attempt is due (seconds since the epoch).
    pub due_at: i64,
    pub mail: Mail,
}

/// Unsent mail whose next attempt is due by `until`, soonest first.
pub fn due(conn: &mut DbConnection, until: i64, limit: i64) -> QueryResult<Vec<Queued>> {
    let rows: Vec<Row> = mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::failed_at.is_null())
        .filter(mail_outbox::next_attempt_at.le(until))
        .order((mail_outbox::next_attempt_at.asc(), mail_outbox::id.asc()))
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::to_addr,
            mail_outbox::subject_id,
            mail_outbox::subject_en,
            mail_outbox::body_id,
            mail_outbox::body_en,
            mail_outbox::attempts,
            mail_outbox::next_attempt_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, to, subject_id, subject_en, body_id, body_en, attempts, due_at)| Queued {
                id,
                attempts,
                due_at,
                mail: Mail {
                    to,
                    subject_id,
                    subject_en,
                    body_id,
                    body_en,
                },
            },
        )
        .collect())
}

/// How long a sender holds a mail it claimed before another may try it (a sender that died
/// mid-send leaves it to the next one after this).
pub const CLAIM_SECS: i64 = 120;

/// Claims a due mail for this sender: true for exactly one of several senders asking at once
/// (the update only matches while the mail is still due), which then has it for `CLAIM_SECS`.
/// Works the same on SQLite and PostgreSQL, so any number of workers share one outbox.
pub fn claim(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<bool> {
    diesel::update(
        mail_outbox::table
            .find(id)
            .filter(mail_outbox::sent_at.is_null())
            .filter(mail_outbox::failed_at.is_null())
            .filter(mail_outbox::next_attempt_at.le(now)),
    )
    .set(mail_outbox::next_attempt_at.eq(now + CLAIM_SECS))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn mark_sent(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<()> {
    diesel::update(mail_outbox::table.find(id))
        .set(mail_outbox::sent_at.eq(Some(now)))
        .execute(conn)
        .map(drop)
}

/// Attempts before a mail is given up on (the waits add up to about four hours).
pub const MAX_ATTEMPTS: i32 = 12;

/// Records a failed attempt: retried after 5 s, doubling up to an hour, until `MAX_ATTEMPTS`;
/// a mail that can never go (`permanent`: a malformed address) is given up on at once. Mail
/// given up on stays in the table for administrators (`failed`).
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i32,
    attempts: i32,
    error: &str,
    now: i64,
    permanent: bool,
) -> QueryResult<()> {
    let wait = (5i64 << attempts.clamp(0, 10)).min(3600);
    let give_up = permanent || attempts + 1 >= MAX_ATTEMPTS;
    diesel::update(mail_outbox::table.find(id))
        .set((
            mail_outbox::attempts.eq(attempts + 1),
            mail_outbox::next_attempt_at.eq(now + wait),
            mail_outbox::last_error.eq(Some(error.chars().take(500).collect::<String>())),
            mail_outbox::failed_at.eq(give_up.then_some(now)),
        ))
        .execute(conn)
        .map(drop)
}

/// A mail that was given up on, for the administrators' list.
#[derive(Debug, Clone, Queryable, serde::Serialize)]
pub struct FailedMail {
    pub id: i32,
    pub to_addr: String,
    pub subject_id: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub failed_at: Option<i64>,
}

/// Mail given up on, newest first.
pub fn failed(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<FailedMail>> {
    mail_outbox::table
        .filter(mail_outbox::failed_at.is_not_null())
        .filter(mail_outbox::sent_at.is_null())
        .order(mail_outbox::id.desc())
        .limit(limit)
        .select((
            mail_outbox::id,
            mail_outbox::to_addr,
            mail_outbox::subject_id,
            mail_outbox::attempts,
            mail_outbox::last_error,
            mail_outbox::created_at,
            mail_outbox::failed_at,
        ))
        .load(conn)
}

/// Puts a mail given up on back in the queue (after the address or the server was mended).
pub fn retry(conn: &mut DbConnection, id: i32, now: i64) -> QueryResult<bool> {
    diesel::update(
        mail_outbox::table
            .find(id)
            .filter(mail_outbox::failed_at.is_not_null())
            .filter(mail_outbox::sent_at.is_null()),
    )
    .set((
        mail_outbox::failed_at.eq(None::<i64>),
        mail_outbox::attempts.eq(0),
        mail_outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Mail waiting to be sent: neither sent nor given up on.
pub fn unsent_count(conn: &mut DbConnection) -> QueryResult<i64> {
    mail_outbox::table
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::failed_at.is_null())
        .count()
        .get_result(conn)
}
