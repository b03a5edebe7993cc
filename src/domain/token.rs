//! Secrets and one-time keys the shop hands out: random bytes written as hex digits. Each kind
//! is its own type, made only by `parse` (what came from outside, checked) or by
//! `models::fresh` (new random bytes from the operating system), so a cart token can never be
//! passed where an order's secret link is meant.

use std::fmt;

/// A kind of hex secret: how many random bytes a fresh one has, and which lengths (in hex
/// digits) are accepted from outside.
pub trait Secret: Sized {
    /// Random bytes in a fresh one.
    const BYTES: usize;
    /// Checks a value that came from outside (a cookie, a form, an address).
    fn parse(raw: &str) -> Option<Self>;
    fn as_str(&self) -> &str;
}

macro_rules! hex_secret {
    ($(#[$doc:meta])* $name:ident, bytes = $bytes:expr, accepts = $lengths:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl Secret for $name {
            const BYTES: usize = $bytes;
            fn parse(raw: &str) -> Option<Self> {
                super::hex_token(raw.trim(), $lengths).map(|t| Self(t.to_ascii_lowercase()))
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

hex_secret!(
    /// The cart cookie: whoever holds it holds the cart.
    CartToken, bytes = 32, accepts = 64..=64
);
hex_secret!(
    /// The secret in an order's link (`/pesanan/{secret}`), the buyer's only key to it.
    OrderSecret, bytes = 24, accepts = 48..=48
);
hex_secret!(
    /// The key a form carries so that sending it twice acts once (placing an order, a CSV
    /// import). Older pages sent shorter keys; 8 bytes is the least accepted.
    FormKey, bytes = 32, accepts = 16..=64
);

hex_secret!(
    /// The key in an invitation's link (`/undangan/{token}`): whoever holds it sets the
    /// invited account's first password. Only its SHA-256 is stored.
    InvitationToken, bytes = 32, accepts = 64..=64
);

/// The key that makes placing an order idempotent: the checkout form's key, bound to the cart
/// it was made for, so another cart sending the same key places its own order and never sees
/// this one's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn of_cart(cart_id: i32, key: &FormKey) -> Self {
        Self(format!("{cart_id}-{key}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The token that opens `GET /metrics` (`METRICS_TOKEN`), chosen by the operator: at least
/// 16 visible ASCII characters (what a bearer token may hold, no spaces). Its `Debug` hides it,
/// so settings can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// Fewer characters than this are refused: too easy to guess.
    pub const MIN_LEN: usize = 16;

    /// Checks the configured value (spaces around it are trimmed).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        (raw.len() >= Self::MIN_LEN && raw.bytes().all(|b| b.is_ascii_graphic()))
            .then(|| Self(raw.to_string()))
    }

    /// Whether an `Authorization` header (`Bearer <token>`, the scheme in any case) carries
    /// this token. The SHA-256 digests are compared, so the time the answer takes does not
    /// tell how much of a guess was right.
    pub fn admits(&self, authorization: Option<&str>) -> bool {
        use sha2::{Digest, Sha256};
        let Some((scheme, presented)) = authorization.and_then(|v| v.trim().split_once(' ')) else {
            return false;
        };
        scheme.eq_ignore_ascii_case("bearer")
            && Sha256::digest(presented.trim().as_bytes()) == Sha256::digest(self.0.as_bytes())
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken(<secret>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_secret_accepts_only_hex_of_its_own_length() {
        let cart = "ab".repeat(32);
        assert_eq!(CartToken::parse(&cart).unwrap().as_str(), cart);
        assert!(
            OrderSecret::parse(&cart).is_none(),
            "a cart token is no order link"
        );
        assert!(CartToken::parse(&"ab".repeat(24)).is_none());
        assert!(OrderSecret::parse(&"AB".repeat(24)).is_some_and(|s| s.as_str() == "ab".repeat(24)));
        assert!(FormKey::parse(&"0".repeat(16)).is_some());
        assert!(FormKey::parse(&"0".repeat(15)).is_none());
        assert!(FormKey::parse(&"0".repeat(65)).is_none());
        assert!(FormKey::parse(&format!("{}/../x", "0".repeat(16))).is_none());
        assert!(
            CartToken::parse(&format!(" {cart} ")).is_some(),
            "spaces around are trimmed"
        );
    }

    #[test]
    fn an_idempotency_key_is_bound_to_its_cart() {
        let key = FormKey::parse(&"c".repeat(64)).unwrap();
        assert_ne!(
            IdempotencyKey::of_cart(1, &key),
            IdempotencyKey::of_cart(2, &key)
        );
        assert_eq!(
            IdempotencyKey::of_cart(7, &key).as_str(),
            format!("7-{}", "c".repeat(64))
        );
    }

    #[test]
    fn a_metrics_token_is_long_and_visible_and_admits_only_its_own_bearer_header() {
        assert!(MetricsToken::parse("pendek").is_none(), "too short");
        assert!(
            MetricsToken::parse("dua kata yang cukup panjang").is_none(),
            "a space"
        );
        let token = MetricsToken::parse(" rahasia-pantau-0123456789 ").unwrap();
        assert!(token.admits(Some("Bearer rahasia-pantau-0123456789")));
        assert!(token.admits(Some("bearer rahasia-pantau-0123456789")));
        assert!(!token.admits(Some("Bearer rahasia-pantau-012345678")));
        assert!(!token.admits(Some("Basic rahasia-pantau-0123456789")));
        assert!(!token.admits(Some("rahasia-pantau-0123456789")));
        assert!(!token.admits(None));
        assert!(!format!("{token:?}").contains("rahasia"), "Debug hides it");
    }
}
