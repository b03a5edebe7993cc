//! A message to send, apart from how it is sent.

/// One message in both languages: Indonesian first, English second.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub to: String,
    pub subject_id: String,
    pub subject_en: String,
    pub body_id: String,
    pub body_en: String,
}
