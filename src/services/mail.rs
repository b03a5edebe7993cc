//! Outgoing email, built with lettre: a plain-text and an HTML part, Indonesian first and
//! English below. Sent by SMTP when `SMTP_URL` is set (`smtp://host:port`, plain SMTP to a
//! relay on the private network), otherwise written as `.eml` files to `DATA_DIR/mail-outbox`.
//! Order mail goes through the `mail_outbox` table and `deliver_due`, so a mail server that is
//! down delays mail but never loses it.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{FileTransport, Message, SmtpTransport, Transport};

use crate::db::DbConnection;
use crate::error::AppError;

const FROM: &str = "Etalase <no-reply@etalase.kemenimipas.go.id>";

#[derive(Clone)]
pub struct Mailer {
    outbox: PathBuf,
    smtp: Option<SmtpTransport>,
}

pub use crate::domain::mail::Mail;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Mail {
    fn message(&self) -> Result<Message, AppError> {
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| AppError::BadRequest(format!("address {}: {e}", self.to)))?;
        let text = format!("{}\n\n— English —\n\n{}\n", self.body_id, self.body_en);
        let html = format!(
            "<!doctype html><html lang=\"id\"><body>{}<hr><div lang=\"en\">{}</div></body></html>",
            self.body_id
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
                .collect::<String>(),
            self.body_en
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
                .collect::<String>(),
        );
        Message::builder()
            .from(FROM.parse().map_err(AppError::internal)?)
            .to(to)
            .subject(format!("{} / {}", self.subject_id, self.subject_en))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .map_err(AppError::internal)
    }
}

impl Mailer {
    pub fn to_folder(outbox: PathBuf) -> Self {
        Self { outbox, smtp: None }
    }

    /// SMTP at `url` (`smtp://host:port`), or files in `outbox` when `url` is None.
    pub fn new(outbox: PathBuf, url: Option<&str>) -> Result<Self, AppError> {
        let smtp = match url {
            None => None,
            Some(raw) => {
                let parsed = url::Url::parse(raw)
                    .map_err(|e| AppError::Config(format!("SMTP_URL `{raw}`: {e}")))?;
                if parsed.scheme() != "smtp" {
                    return Err(AppError::Config(format!(
                        "SMTP_URL `{raw}` must look like smtp://host:port"
                    )));
                }
                let host = parsed
                    .host_str()
                    .ok_or_else(|| AppError::Config(format!("SMTP_URL `{raw}` has no host")))?;
                Some(
                    SmtpTransport::builder_dangerous(host)
                        .port(parsed.port().unwrap_or(25))
                        .timeout(Some(std::time::Duration::from_secs(10)))
                        .build(),
                )
            }
        };
        Ok(Self { outbox, smtp })
    }

    pub fn outbox(&self) -> &std::path::Path {
        &self.outbox
    }

    pub fn send(&self, mail: &Mail) -> Result<(), AppError> {
        let message = mail.message()?;
        match &self.smtp {
            Some(smtp) => smtp
                .send(&message)
                .map(drop)
                .map_err(|e| AppError::Internal(format!("SMTP: {e}"))),
            None => {
                std::fs::create_dir_all(&self.outbox).map_err(AppError::internal)?;
                FileTransport::new(&self.outbox)
                    .send(&message)
                    .map(drop)
                    .map_err(AppError::internal)
            }
        }
    }
}

/// Sends the due mail of the outbox once; returns how many went out.
pub fn deliver_due(conn: &mut DbConnection, mailer: &Mailer) -> Result<usize, AppError> {
    use crate::models::mail_outbox;
    let now = crate::models::now_ts();
    let mut sent = 0;
    for (id, attempts, mail) in mail_outbox::due(conn, now, 50)? {
        match mailer.send(&mail) {
            Ok(()) => {
                mail_outbox::mark_sent(conn, id, now)?;
                sent += 1;
            }
            Err(e) => {
                // A malformed address can never be delivered: it goes straight to the list of
                // failed mail instead of being retried.
                let permanent = matches!(e, AppError::BadRequest(_));
                tracing::warn!(error = %e, to = %mail.to, permanent, "mail not sent");
                mail_outbox::mark_failed(conn, id, attempts, &e.to_string(), now, permanent)?;
            }
        }
    }
    Ok(sent)
}
