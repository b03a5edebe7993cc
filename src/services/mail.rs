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

pub use crate::domain::mail::{Mail, MailEvent, MailLine};
pub use crate::models::mail_outbox::MailRenderer;

/// The mail templates, `templates/emails/<kind>/{subject.txt, body.txt}`, rendered once in
/// Indonesian and once in English with the Fluent strings of `locales/*/mail.ftl`. Templates
/// see the event's fields, `lang`, `bank` (the account the event names, else the configured
/// one: `BANK_*`), and ready-made `total_text` (rupiah) and `expires_text` (in the reader's
/// zone, WIB/WITA/WIT) when the event has them.
#[derive(Clone)]
pub struct MailTemplates {
    tera: std::sync::Arc<tera::Tera>,
    bank: crate::config::BankAccount,
}

impl MailTemplates {
    pub fn load(bank: crate::config::BankAccount) -> Result<Self, AppError> {
        let glob = format!(
            "{}/emails/**/*.txt",
            crate::config::asset_dir("templates").display()
        );
        let mut tera = tera::Tera::new(&glob)?;
        crate::i18n::register(&mut tera);
        Ok(Self {
            tera: std::sync::Arc::new(tera),
            bank,
        })
    }

    fn render_in(
        &self,
        lang: crate::i18n::Lang,
        event: &MailEvent,
        data: &serde_json::Value,
    ) -> Result<(String, String), tera::Error> {
        use crate::domain::time::Zone;
        let mut ctx = tera::Context::from_value(data.clone())?;
        ctx.insert("lang", lang.code());
        // An order names the account its buyer pays into; other mail, the configured one.
        if data["bank"].is_null() {
            ctx.insert("bank", &self.bank);
        }
        if let Some(total) = data["total"].as_i64() {
            ctx.insert("total_text", &crate::domain::format_rupiah(total));
        }
        if let Some(at) = data["expires_at"].as_i64() {
            let zone: Zone = serde_json::from_value(data["zone"].clone()).unwrap_or_default();
            ctx.insert("expires_text", &lang.date_time(at, zone));
        }
        let kind = event.kind();
        let subject = self.tera.render(&format!("{kind}/subject.txt"), &ctx)?;
        let body = self.tera.render(&format!("{kind}/body.txt"), &ctx)?;
        Ok((subject.trim().to_string(), body.trim().to_string()))
    }
}

impl MailRenderer for MailTemplates {
    fn render(&self, to: &str, event: &MailEvent) -> Result<Mail, String> {
        let data = serde_json::to_value(event).map_err(|e| e.to_string())?;
        let render = |lang| {
            self.render_in(lang, event, &data)
                .map_err(|e| format!("{e:?}"))
        };
        let (subject_id, body_id) = render(crate::i18n::Lang::Id)?;
        let (subject_en, body_en) = render(crate::i18n::Lang::En)?;
        Ok(Mail {
            to: to.to_string(),
            subject_id,
            subject_en,
            body_id,
            body_en,
        })
    }
}

/// The HTML part of every mail (`templates/emails/layout.html`): the text bodies as
/// paragraphs, Indonesian first and English below, addresses made into links.
const HTML_LAYOUT: &str = include_str!("../../templates/emails/layout.html");

/// A run of a mail line: plain text, or an address to link.
#[derive(serde::Serialize)]
struct Piece<'a> {
    text: &'a str,
    link: bool,
}

#[derive(serde::Serialize)]
struct HtmlPart<'a> {
    lang: &'static str,
    paragraphs: Vec<Vec<Vec<Piece<'a>>>>,
}

/// Splits a line into text and `http(s)://` addresses (an address ends at a space).
fn pieces(line: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find("https://").or_else(|| rest.find("http://")) {
        let end = rest[start..]
            .find(char::is_whitespace)
            .map_or(rest.len(), |e| start + e);
        if start > 0 {
            out.push(Piece {
                text: &rest[..start],
                link: false,
            });
        }
        out.push(Piece {
            text: &rest[start..end],
            link: true,
        });
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        out.push(Piece {
            text: rest,
            link: false,
        });
    }
    out
}

fn html_part<'a>(lang: &'static str, body: &'a str) -> HtmlPart<'a> {
    HtmlPart {
        lang,
        paragraphs: body
            .split("\n\n")
            .map(|p| p.lines().map(pieces).collect())
            .collect(),
    }
}

impl Mail {
    /// The HTML part: both bodies in `templates/emails/layout.html`.
    fn html(&self) -> Result<String, AppError> {
        let mut ctx = tera::Context::new();
        ctx.insert("subject", &self.subject_id);
        ctx.insert(
            "parts",
            &[
                html_part("id", &self.body_id),
                html_part("en", &self.body_en),
            ],
        );
        tera::Tera::one_off(HTML_LAYOUT, &ctx, true).map_err(AppError::internal)
    }

    fn message(&self) -> Result<Message, AppError> {
        let to: Mailbox = self
            .to
            .parse()
            .map_err(|e| AppError::BadRequest(format!("address {}: {e}", self.to)))?;
        let text = format!("{}\n\n— English —\n\n{}\n", self.body_id, self.body_en);
        let html = self.html()?;
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
    Ok(deliver(conn, mailer)?.sent)
}

/// What one round of the mail sender did.
pub struct Delivery {
    pub sent: usize,
    /// When the next mail still waiting comes due (seconds since the epoch), if one comes due
    /// within `db::wake::fallback()`.
    pub next_due: Option<i64>,
}

/// Sends the mail that is due, and says when the next one comes due.
pub fn deliver(conn: &mut DbConnection, mailer: &Mailer) -> Result<Delivery, AppError> {
    use crate::models::mail_outbox;
    const BATCH: i64 = 50;
    let now = crate::models::now_ts();
    let horizon = now + crate::db::wake::fallback().as_secs() as i64;
    let queued = mail_outbox::due(conn, horizon, BATCH)?;
    let mut sent = 0;
    let mut next_due = None;
    // A full batch may have left more due mail behind it, and a failed mail was given a
    // later attempt: in both cases look again at once.
    let mut again = queued.len() as i64 == BATCH;
    for q in queued {
        if q.due_at > now {
            next_due = Some(q.due_at);
            break;
        }
        // Another worker may be sending the same batch: only the one that claims a mail
        // sends it.
        if !mail_outbox::claim(conn, q.id, now)? {
            continue;
        }
        match mailer.send(&q.mail) {
            Ok(()) => {
                mail_outbox::mark_sent(conn, q.id, now)?;
                sent += 1;
            }
            Err(e) => {
                // A malformed address can never be delivered: it goes straight to the list of
                // failed mail instead of being retried.
                let permanent = matches!(e, AppError::BadRequest(_));
                tracing::warn!(error = %e, to = %q.mail.to, permanent, "mail not sent");
                mail_outbox::mark_failed(conn, q.id, q.attempts, &e.to_string(), now, permanent)?;
                again = true;
            }
        }
    }
    if again {
        next_due = Some(now);
    }
    Ok(Delivery { sent, next_due })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Zone;

    fn templates() -> MailTemplates {
        MailTemplates::load(crate::config::BankAccount {
            bank: "BNI".into(),
            number: "123-456".into(),
            holder: "Etalase Uji".into(),
        })
        .unwrap()
    }

    fn order_received(card: bool) -> MailEvent {
        MailEvent::OrderReceived {
            code: "ETL-7Q2K".into(),
            name: "Budi".into(),
            lines: vec![MailLine {
                quantity: 2,
                name: "Kopi Gayo 250 g".into(),
                unit: Some("Kopi Lapas Takengon".into()),
            }],
            total: 125_000,
            card,
            online: false,
            bank: None,
            // 2026-12-06 07:05 UTC
            expires_at: 1_796_540_700,
            zone: Zone::Wita,
            link: "https://etalase.id/pesanan/abc".into(),
        }
    }

    #[test]
    fn an_order_mail_names_the_configured_bank_and_the_deadline_in_the_buyers_zone() {
        let mail = templates()
            .render("budi@contoh.id", &order_received(false))
            .unwrap();
        assert_eq!(mail.subject_id, "Pesanan ETL-7Q2K kami terima");
        assert_eq!(mail.subject_en, "We received order ETL-7Q2K");
        assert!(mail.body_id.starts_with("Terima kasih, Budi."));
        assert!(mail
            .body_id
            .contains("- 2 × Kopi Gayo 250 g (Kopi Lapas Takengon)\n"));
        assert!(
            mail.body_id.contains(
                "Transfer tepat Rp125.000 ke rekening Bank BNI 123-456 a.n. Etalase Uji, berita \
                 ETL-7Q2K, sebelum 6 Desember 2026, 15.05 WITA."
            ),
            "{}",
            mail.body_id
        );
        assert!(mail.body_en.contains("before 6 December 2026, 15:05 WITA."));
        assert!(mail
            .body_id
            .ends_with("Ikuti pesanan Anda di https://etalase.id/pesanan/abc"));
        let card = templates()
            .render("budi@contoh.id", &order_received(true))
            .unwrap();
        assert!(card.body_id.contains("Bayar Rp125.000 dengan kartu di"));
        assert!(!card.body_id.contains("BNI"));
    }

    #[test]
    fn an_order_mail_names_the_account_the_order_pays_into_when_it_has_one() {
        let event = match order_received(false) {
            MailEvent::OrderReceived {
                code,
                name,
                lines,
                total,
                card,
                expires_at,
                zone,
                link,
                ..
            } => MailEvent::OrderReceived {
                code,
                name,
                lines,
                total,
                card,
                online: false,
                bank: Some(crate::config::BankAccount {
                    bank: "Mandiri".into(),
                    number: "137-00-1234567-8".into(),
                    holder: "Koperasi Lapas Uji".into(),
                }),
                expires_at,
                zone,
                link,
            },
            other => other,
        };
        let mail = templates().render("budi@contoh.id", &event).unwrap();
        assert!(
            mail.body_id.contains(
                "ke rekening Bank Mandiri 137-00-1234567-8 a.n. Koperasi Lapas Uji, berita"
            ),
            "{}",
            mail.body_id
        );
        assert!(!mail.body_id.contains("BNI"), "{}", mail.body_id);
        assert!(mail
            .body_en
            .contains("to Bank Mandiri account 137-00-1234567-8"));
    }

    #[test]
    fn every_kind_of_mail_renders_in_both_languages() {
        let events = [
            order_received(false),
            MailEvent::NewOrder {
                code: "ETL-1".into(),
                lines: vec![],
                shipping: "JNE REG".into(),
            },
            MailEvent::OrderPaid {
                code: "ETL-1".into(),
                name: "Budi".into(),
                link: "https://x/p".into(),
            },
            MailEvent::ParcelShipped {
                code: "ETL-1".into(),
                name: "Budi".into(),
                label: "JNE REG".into(),
                tracking: "JNE-1".into(),
                link: "https://x/p".into(),
                last: false,
                only: false,
            },
            MailEvent::OrderRefunded {
                code: "ETL-1".into(),
                name: "Budi".into(),
            },
            MailEvent::FairDecision {
                event: "IPPA Fest".into(),
                decision: "approved".into(),
                note: "A-01".into(),
            },
            MailEvent::DocumentExpiring {
                kind: "PIRT".into(),
                number: "P-1".into(),
                expires_on: "2027-01-01".into(),
                days: 14,
            },
            MailEvent::PasswordReset {
                link: "https://x/r".into(),
            },
            MailEvent::OrderLink {
                code: "ETL-1".into(),
                name: "Budi".into(),
                link: "https://x/p".into(),
            },
            MailEvent::Invitation {
                name: "Siti".into(),
                link: "https://x/undangan/abc".into(),
                expires_at: 1_796_540_700,
                zone: Zone::Wib,
            },
        ];
        for event in &events {
            let mail = templates().render("a@b.id", event).unwrap();
            for text in [
                &mail.subject_id,
                &mail.subject_en,
                &mail.body_id,
                &mail.body_en,
            ] {
                assert!(!text.trim().is_empty(), "{}", event.kind());
                assert!(!text.contains("{{") && !text.contains("{%"), "{text}");
                // A Fluent key that is missing comes back as the key itself.
                assert!(!text.contains("mail-"), "{}: {text}", event.kind());
            }
            assert_ne!(mail.body_id, mail.body_en, "{}", event.kind());
        }
    }

    #[test]
    fn an_invitation_mail_gives_the_link_and_its_deadline_in_both_languages() {
        let mail = templates()
            .render(
                "siti@lapas.go.id",
                &MailEvent::Invitation {
                    name: "Siti".into(),
                    link: "https://etalase.id/undangan/abc".into(),
                    // 2026-12-06 07:05 UTC
                    expires_at: 1_796_540_700,
                    zone: Zone::Wib,
                },
            )
            .unwrap();
        assert!(mail.body_id.starts_with("Halo, Siti."), "{}", mail.body_id);
        assert!(
            mail.body_id.contains("6 Desember 2026, 14.05 WIB"),
            "{}",
            mail.body_id
        );
        assert!(
            mail.body_en.contains("6 December 2026, 14:05 WIB"),
            "{}",
            mail.body_en
        );
        assert!(mail.body_id.contains("\nhttps://etalase.id/undangan/abc\n"));
        assert!(mail.body_en.contains("\nhttps://etalase.id/undangan/abc\n"));
    }

    #[test]
    fn the_html_part_links_addresses_escapes_text_and_keeps_both_languages() {
        let mail = templates()
            .render("budi@contoh.id", &order_received(false))
            .unwrap();
        let mail = Mail {
            body_id: format!("{}\n\nCatatan: <b>& tetap teks</b>", mail.body_id),
            ..mail
        };
        // (Tera writes `/` as `&#x2F;`, which reads as `/` in HTML.)
        let html = mail.html().unwrap().replace("&#x2F;", "/");
        assert!(
            html.contains(r#"<a href="https://etalase.id/pesanan/abc""#),
            "the order address is a link: {html}"
        );
        assert!(
            html.contains("&lt;b&gt;&amp; tetap teks&lt;/b&gt;"),
            "text from the templates is escaped: {html}"
        );
        assert!(html.contains(r#"<div lang="id""#) && html.contains(r#"<div lang="en""#));
        assert!(html.find("ETL-7Q2K").is_some());
    }
}
