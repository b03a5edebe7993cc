//! The real SMTP server of the test run (aiosmtpd writing to a Maildir).

use std::path::PathBuf;

/// The SMTP server of the test run. Without it the test fails: it must not pass silently.
pub fn smtp_server() -> (String, PathBuf) {
    let url = std::env::var("SMTP_TEST_URL").expect(
        "SMTP_TEST_URL is not set: the mail tests need a real SMTP server \
         (./scripts/test starts aiosmtpd and sets SMTP_TEST_URL and SMTP_TEST_MAILDIR)",
    );
    let dir = std::env::var("SMTP_TEST_MAILDIR").expect("SMTP_TEST_MAILDIR is not set");
    (url, PathBuf::from(dir))
}

pub fn received(maildir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        if let Ok(entries) = std::fs::read_dir(maildir.join(sub)) {
            for e in entries.flatten() {
                if let Ok(text) = std::fs::read_to_string(e.path()) {
                    let flat = text.replace("=\r\n", "").replace("=\n", "");
                    if flat.contains(needle) {
                        out.push(flat);
                    }
                }
            }
        }
    }
    out
}
