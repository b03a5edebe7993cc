//! Validated domain types and rules. No I/O here.

/// A closed set stored as text (a status): `code()` is the stored text and `ALL` lists the
/// values. The macro gives `from_code`, serde writes the code (templates and JSON see
/// `"pending_payment"`), `Display` writes it too, and `TryFrom<String>` lets diesel read a
/// text column straight into the enum (`#[diesel(deserialize_as = String)]` on a row field).
macro_rules! stored_as_text {
    ($($t:ident),+ $(,)?) => {$(
        impl $t {
            /// The value stored as `raw`, if any.
            pub fn from_code(raw: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|s| s.code() == raw)
            }
        }

        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                Self::from_code(&raw)
                    .ok_or_else(|| format!(concat!("unknown ", stringify!($t), " `{}`"), raw))
            }
        }

        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.code().to_string()
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    )+};
}

pub mod accounts;
pub mod bank;
mod catalog;
pub mod dashboard;
pub mod fair;
pub mod impact;
pub mod import;
pub mod legal;
pub mod mail;
pub mod midtrans;
mod money;
pub mod order;
pub mod oversight;
pub mod payment;
pub mod payouts;
pub mod query;
pub mod search;
pub mod search_stats;
mod slug;
mod staff;
pub mod synonyms;
pub mod time;
pub mod token;
pub mod units;

pub use catalog::{
    badge_is_public, document_expired, document_state, CertificationKind, CertificationStatus,
    DocumentDecision, DocumentDraft, DocumentForm, ListingAction, ListingDecision, ListingSort,
    PageNumber, PhotoMove, ProductStatus, RevenueSplit, UnitKind,
};
pub use money::{format_rupiah, group_thousands, Rupiah};
pub use order::Quantity;
pub use slug::Slug;
pub use staff::{
    status_after_edit, whole_number, Actor, FieldErrors, ProductDraft, ProductForm, Role,
};
pub use token::{CartToken, FormKey, IdempotencyKey, MetricsToken, OrderSecret, Secret};

/// A secret or key of hex digits whose length is in `lengths`; anything else is `None`. The
/// one check of such tokens, behind the typed secrets of `token` (made by `models::fresh`).
pub fn hex_token(raw: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<&str> {
    (lengths.contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_hexdigit())).then_some(raw)
}

/// `bytes` as lowercase hex, two digits a byte: the one encoder of random tokens and hashes.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// A path on this site that is safe to redirect to: it starts with one `/` (not `//`), holds
/// only printable ASCII (no tab, newline or space, which browsers strip or split on, and no
/// backslash, which some read as `/`), and is of a sane length. Anything else is `None`.
pub fn local_path(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 500
        && next.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
    ok.then_some(next)
}

/// An email address a mail server will take: `local@domain.tld`, lowercased, at most 254
/// characters; the local part of letters, digits and `.!#$%&'*+/=?^_`{|}~-` (no leading,
/// trailing or double dot), the domain of at least two labels of letters, digits and inner
/// hyphens, ending in a top-level name of letters. Anything else is `None`.
pub fn email_address(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    if email.len() > 254 {
        return None;
    }
    let (local, domain) = email.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
    (local_ok && domain_ok).then_some(email)
}

#[cfg(test)]
mod tests {
    use super::{email_address, hex_token, local_path};

    #[test]
    fn only_addresses_a_mail_server_takes_are_email_addresses() {
        assert_eq!(
            email_address(" Siti.R@Contoh.co.id ").as_deref(),
            Some("siti.r@contoh.co.id")
        );
        for bad in [
            "siti rahma@contoh.id",
            "siti@contoh",
            "siti@@contoh.id",
            "siti@contoh..id",
            ".siti@contoh.id",
            "siti@-contoh.id",
            "siti@contoh.id>",
            "<siti@contoh.id",
            "siti@contoh.1d",
            "siti\n@contoh.id",
            "",
        ] {
            assert_eq!(email_address(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hex_tokens_are_hex_digits_of_an_allowed_length() {
        assert_eq!(super::to_hex(&[0x00, 0xab, 0xff]), "00abff");
        assert_eq!(hex_token("00ff", 4..=4), Some("00ff"));
        assert_eq!(hex_token("00FF", 2..=8), Some("00FF"));
        assert_eq!(hex_token("00f", 4..=4), None);
        assert_eq!(hex_token("00fg", 4..=4), None);
        assert_eq!(hex_token("../x", 4..=4), None);
        assert_eq!(hex_token("", 0..=4), Some(""));
    }

    #[test]
    fn only_same_origin_paths_without_control_characters_are_local() {
        assert_eq!(local_path("/produk/a?x=1"), Some("/produk/a?x=1"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\r\nSet-Cookie: a=b",
            "/ /evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
