//! The daily document job: marks expired documents (their badges disappear and search
//! follows) and emails unit staff 60 and 14 days before a document expires.

use chrono::{Days, NaiveDate};

use crate::db::DbConnection;
use crate::error::AppError;
use crate::models::certification::{self, Reminder};
use crate::services::mail::{MailEvent, MailRenderer};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    pub products_affected: usize,
    pub reminders_sent: usize,
}

fn reminder_event(r: &Reminder) -> MailEvent {
    MailEvent::DocumentExpiring {
        kind: r.kind.clone(),
        number: r.number.clone(),
        expires_on: r.expires_on.clone(),
        days: r.days,
    }
}

/// Runs the job for `today`. Reminders are queued in the mail outbox in the same transaction
/// that marks them sent, so each goes out once and a mail server that is down delays them
/// without losing or repeating any.
pub fn run(
    conn: &mut DbConnection,
    today: NaiveDate,
    mail: &dyn MailRenderer,
) -> Result<ExpiryReport, AppError> {
    let iso = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let affected = certification::mark_expired(conn, &iso(today), crate::models::now_ts())?;
    let in_14 = iso(today.checked_add_days(Days::new(14)).unwrap_or(today));
    let in_60 = iso(today.checked_add_days(Days::new(60)).unwrap_or(today));
    let mut queued = 0;
    for reminder in certification::due_reminders(conn, &iso(today), &in_14, &in_60)? {
        let sent = crate::db::write_transaction(conn, |conn| {
            // Marked first: when another worker got there first, nothing is queued twice.
            if !certification::mark_reminded(conn, reminder.id, reminder.days)? {
                return Ok::<_, AppError>(0);
            }
            for to in &reminder.recipients {
                crate::models::mail_outbox::enqueue_event(
                    conn,
                    mail,
                    to,
                    &reminder_event(&reminder),
                )?;
            }
            Ok(reminder.recipients.len())
        })?;
        queued += sent;
    }
    Ok(ExpiryReport {
        products_affected: affected.len(),
        reminders_sent: queued,
    })
}
