//! Outgoing email. Messages are built with lettre, Indonesian first and English below. Until
//! SMTP is configured (the checkout issue), every message is written as an `.eml` file to
//! `DATA_DIR/mail-outbox`, where an operator or a test can read it.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox};
use lettre::{FileTransport, Message, Transport};

use crate::error::AppError;

const FROM: &str = "Etalase <no-reply@etalase.kemenimipas.go.id>";

#[derive(Clone)]
pub struct Mailer {
    outbox: PathBuf,
}

/// One message in both languages.
pub struct Mail {
    pub to: String,
    pub subject_id: String,
    pub subject_en: String,
    pub body_id: String,
    pub body_en: String,
}

impl Mailer {
    pub fn to_folder(outbox: PathBuf) -> Self {
        Self { outbox }
    }

    pub fn outbox(&self) -> &std::path::Path {
        &self.outbox
    }

    pub fn send(&self, mail: &Mail) -> Result<(), AppError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|e| AppError::BadRequest(format!("address {}: {e}", mail.to)))?;
        let message = Message::builder()
            .from(FROM.parse().map_err(AppError::internal)?)
            .to(to)
            .subject(format!("{} / {}", mail.subject_id, mail.subject_en))
            .header(ContentType::TEXT_PLAIN)
            .body(format!(
                "{}\n\n— English —\n\n{}\n",
                mail.body_id, mail.body_en
            ))
            .map_err(AppError::internal)?;
        std::fs::create_dir_all(&self.outbox).map_err(AppError::internal)?;
        FileTransport::new(&self.outbox)
            .send(&message)
            .map_err(AppError::internal)?;
        Ok(())
    }
}
