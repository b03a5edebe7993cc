use serde::Serialize;
use std::fmt;

/// An amount of money in whole rupiah. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Rupiah(i64);

impl Rupiah {
    /// A price must be positive and below one trillion rupiah.
    pub fn new(amount: i64) -> Result<Self, String> {
        if amount <= 0 {
            return Err("harga harus lebih dari nol / price must be above zero".into());
        }
        if amount >= 1_000_000_000_000 {
            return Err("harga terlalu besar / price is too large".into());
        }
        Ok(Self(amount))
    }

    pub fn amount(self) -> i64 {
        self.0
    }
}

/// Formats as Indonesians write prices: `Rp125.000`.
impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_rupiah(self.0))
    }
}

/// Any amount of rupiah as Indonesians write it, with dots between thousands: `Rp125.000`,
/// `Rp0`, `-Rp5.000` (totals and refunds are not prices, so any `i64` is accepted).
pub fn format_rupiah(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}Rp{}", group_thousands(amount.unsigned_abs(), '.'))
}

/// A whole number with `separator` between thousands: `1.234.567` as Indonesians write it
/// (`'.'`), `1,234,567` in English (`','`).
pub fn group_thousands(number: u64, separator: char) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupiah_is_written_with_dots_between_thousands() {
        assert_eq!(Rupiah::new(125_000).unwrap().to_string(), "Rp125.000");
        assert_eq!(Rupiah::new(1_500_000).unwrap().to_string(), "Rp1.500.000");
        assert_eq!(Rupiah::new(999).unwrap().to_string(), "Rp999");
    }

    #[test]
    fn counts_are_grouped_by_thousands_and_negative_amounts_keep_their_sign() {
        assert_eq!(group_thousands(0, '.'), "0");
        assert_eq!(group_thousands(999, '.'), "999");
        assert_eq!(group_thousands(1_234, '.'), "1.234");
        assert_eq!(group_thousands(1_234_567, ','), "1,234,567");
        assert_eq!(format_rupiah(-5_000), "-Rp5.000");
        assert_eq!(format_rupiah(0), "Rp0");
    }

    #[test]
    fn rupiah_refuses_zero_and_negative_amounts() {
        assert!(Rupiah::new(0).is_err());
        assert!(Rupiah::new(-5).is_err());
    }
}
