//! What search is about, apart from any engine: the document both engines index, the price
//! bands counted as a facet, and the ways a search can fail.

use serde::{Deserialize, Serialize};

/// The document both engines index: a published product. Field names are Meilisearch's
/// attribute names (see `search-config/products.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchDoc {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The product kind staff chose (`products.kind`: "Tas anyaman pandan").
    #[serde(default)]
    pub kind: String,
    pub brand: String,
    pub category: String,
    pub unit_name: String,
    pub unit_slug: String,
    pub city: String,
    pub province: String,
    /// The Indonesian description.
    pub description: String,
    /// The English description (empty when there is none): an attribute of its own, so that
    /// typos can be allowed on the Indonesian text and not on the English one.
    #[serde(default)]
    pub description_en: String,
    /// Codes of verified, unexpired documents (`HALAL`, `PIRT`, ...).
    pub certifications: Vec<String>,
    pub price: i64,
    /// One of `PRICE_BANDS`, so price ranges can be counted like any other facet.
    pub price_band: String,
    pub in_stock: bool,
    pub created_at: i64,
    pub popularity: i64,
}

/// Price ranges offered as a facet: (code, lowest price, highest price), in rupiah.
pub const PRICE_BANDS: [(&str, i64, Option<i64>); 5] = [
    ("0-50000", 0, Some(50_000)),
    ("50000-100000", 50_001, Some(100_000)),
    ("100000-250000", 100_001, Some(250_000)),
    ("250000-1000000", 250_001, Some(1_000_000)),
    ("1000000-", 1_000_001, None),
];

pub fn price_band(price: i64) -> &'static str {
    PRICE_BANDS
        .iter()
        .find(|(_, lo, hi)| price >= *lo && hi.is_none_or(|h| price <= h))
        .map(|(code, _, _)| *code)
        .unwrap_or(PRICE_BANDS[0].0)
}

/// A name as compared for `varied_order`: lower case, words separated by one space.
fn same_name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most this many products of the same name in a row on the first page of a search.
pub const SAME_NAME_IN_A_ROW: usize = 3;

/// The order in which to show results named `names` (their positions in `names`) so that no
/// more than `max_in_a_row` of the same name (case and spacing aside) come one after the other:
/// a result that would be one too many waits behind the next result of another name, and the
/// order is kept otherwise. When only results of that name are left, they follow as they are.
pub fn varied_order(names: &[&str], max_in_a_row: usize) -> Vec<usize> {
    let keys: Vec<String> = names.iter().copied().map(same_name_key).collect();
    let mut waiting: Vec<usize> = (0..names.len()).collect();
    let mut order: Vec<usize> = Vec::with_capacity(names.len());
    while !waiting.is_empty() {
        let run = match order.last() {
            Some(last) => order
                .iter()
                .rev()
                .take_while(|i| keys[**i] == keys[*last])
                .count(),
            None => 0,
        };
        let next = match order.last() {
            Some(last) if run >= max_in_a_row.max(1) => waiting
                .iter()
                .position(|i| keys[*i] != keys[*last])
                .unwrap_or(0),
            _ => 0,
        };
        order.push(waiting.remove(next));
    }
    order
}

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SearchError {
    /// The engine cannot be reached or refuses to work (down, wrong key, index missing).
    #[error("search engine unavailable: {0}")]
    Unavailable(String),
    /// The engine refused this request (Meilisearch error code and message).
    #[error("search engine refused the request ({code}): {message}")]
    Rejected { code: String, message: String },
    #[error("search engine failure: {0}")]
    Internal(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(names: &[&str]) -> Vec<String> {
        varied_order(names, SAME_NAME_IN_A_ROW)
            .into_iter()
            .map(|i| format!("{}{i}", &names[i][..1]))
            .collect()
    }

    #[test]
    fn a_fourth_product_of_the_same_name_in_a_row_waits_behind_the_next_other_name() {
        let names = ["A", "A", "A", "A", "A", "B", "C"];
        assert_eq!(shown(&names), ["A0", "A1", "A2", "B5", "A3", "A4", "C6"]);
        let names = ["A", "A", "A", "A", "B", "A", "A", "A", "A", "C"];
        assert_eq!(
            shown(&names),
            ["A0", "A1", "A2", "B4", "A3", "A5", "A6", "C9", "A7", "A8"]
        );
    }

    #[test]
    fn names_are_the_same_whatever_their_case_and_spacing() {
        let names = [
            "Tenun Ikat",
            "tenun  ikat",
            "TENUN IKAT ",
            "Tenun Ikat",
            "Kopi",
        ];
        assert_eq!(shown(&names), ["T0", "t1", "T2", "K4", "T3"]);
    }

    #[test]
    fn an_order_without_long_runs_is_kept_and_a_run_with_nothing_else_stays() {
        let names = ["A", "B", "A", "A", "A", "B", "C"];
        assert_eq!(varied_order(&names, 3), [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(varied_order(&["A"; 5], 3), [0, 1, 2, 3, 4]);
        assert!(varied_order(&[], 3).is_empty());
        // At least one in a row, whatever is asked.
        assert_eq!(varied_order(&["A", "A", "B"], 0), [0, 2, 1]);
    }
}
