use serde::Serialize;
use std::fmt;

/// A URL slug: lowercase ASCII letters, digits and single dashes, 1–120 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Slug(String);

impl Slug {
    /// Accepts only an already well-formed slug (as found in a URL).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let ok = !raw.is_empty()
            && raw.len() <= 120
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--")
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(format!("`{raw}` is not a valid slug"))
        }
    }

    /// Makes a slug from any text: letters and digits kept (accents dropped), the rest dashes.
    pub fn from_text(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        for c in text.chars().flat_map(char::to_lowercase) {
            let c = match c {
                'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
                'è' | 'é' | 'ê' | 'ë' => 'e',
                'ì' | 'í' | 'î' | 'ï' => 'i',
                'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
                'ù' | 'ú' | 'û' | 'ü' => 'u',
                other => other,
            };
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        out.truncate(100);
        while out.ends_with('-') {
            out.pop();
        }
        if out.is_empty() {
            out.push_str("item");
        }
        Self(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_from_text_keeps_letters_and_digits_joined_by_dashes() {
        assert_eq!(
            Slug::from_text("Lapas Kelas IIA Cilegon").as_str(),
            "lapas-kelas-iia-cilegon"
        );
        assert_eq!(
            Slug::from_text("Kopi  Gayo — 250 g!").as_str(),
            "kopi-gayo-250-g"
        );
        assert_eq!(Slug::from_text("???").as_str(), "item");
    }

    #[test]
    fn slug_parse_refuses_uppercase_spaces_and_traversal() {
        assert!(Slug::parse("kopi-gayo").is_ok());
        assert!(Slug::parse("Kopi").is_err());
        assert!(Slug::parse("../etc").is_err());
        assert!(Slug::parse("a b").is_err());
        assert!(Slug::parse("").is_err());
    }
}
