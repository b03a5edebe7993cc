//! The search page's address: `/cari?q=&kategori=&provinsi=&unit=&sertifikat=&harga=&stok=1
//! &urut=&page=&asli=1&abaikan=`. Parsing never fails: unknown parameters are ignored, bad
//! values dropped. `asli=1` searches the words as typed; each `abaikan` names an understanding
//! of the query (`domain::query`, a chip's key) that is turned off.

use super::{clean_query, SearchFilters, SearchRequest, SearchSort, PRICE_BANDS};
use crate::domain::query::{understand_except, Understood, Vocabulary};
use crate::domain::PageNumber;

const MAX_VALUES: usize = 10;
const MAX_VALUE_LEN: usize = 100;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchParams {
    pub text: String,
    pub filters: SearchFilters,
    /// The chosen price band code, when the price filter came from one.
    pub band: Option<String>,
    pub sort: SearchSort,
    /// A sort was chosen (even "relevan"): "murah" in the query no longer sorts.
    pub sort_chosen: bool,
    pub page: u32,
    /// `asli=1`: the query is searched as typed, nothing understood.
    pub literal: bool,
    /// `abaikan`: keys of the understandings turned off (chips removed).
    pub ignored: Vec<String>,
}

fn parse_price(raw: &str) -> Option<i64> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    digits
        .parse::<i64>()
        .ok()
        .filter(|p| (0..=1_000_000_000_000).contains(p))
}

impl SearchParams {
    pub fn parse(query_string: &str) -> Self {
        let mut p = SearchParams {
            page: 1,
            ..Self::default()
        };
        let mut sort = None;
        let mut page = None;
        let mut price_min = None;
        let mut price_max = None;
        for (key, value) in url::form_urlencoded::parse(query_string.as_bytes()) {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > MAX_VALUE_LEN && key != "q" {
                continue;
            }
            let push = |list: &mut Vec<String>| {
                if list.len() < MAX_VALUES && !list.iter().any(|v| v == value) {
                    list.push(value.to_string());
                }
            };
            match key.as_ref() {
                "q" => p.text = clean_query(value),
                "kategori" => push(&mut p.filters.categories),
                "provinsi" => push(&mut p.filters.provinces),
                "unit" => push(&mut p.filters.units),
                "sertifikat" => push(&mut p.filters.certifications),
                "stok" => p.filters.in_stock = value == "1",
                "asli" => p.literal = value == "1",
                "abaikan" => push(&mut p.ignored),
                "harga" => {
                    if let Some((code, lo, hi)) = PRICE_BANDS.iter().find(|(c, _, _)| *c == value) {
                        p.band = Some(code.to_string());
                        price_min = Some(*lo).filter(|v| *v > 0);
                        price_max = *hi;
                    }
                }
                // A typed bound replaces the band's (and the band is no longer what the
                // filter came from, so links built from these parameters keep the bound).
                "harga_min" | "harga_max" => {
                    if let Some(v) = parse_price(value) {
                        p.band = None;
                        if key == "harga_min" {
                            price_min = Some(v);
                        } else {
                            price_max = Some(v);
                        }
                    }
                }
                "urut" => sort = Some(value.to_string()),
                "page" => page = Some(value.to_string()),
                _ => {}
            }
        }
        if let (Some(lo), Some(hi)) = (price_min, price_max) {
            if lo > hi {
                (price_min, price_max) = (Some(hi), Some(lo));
            }
        }
        p.filters.price_min = price_min;
        p.filters.price_max = price_max;
        p.sort = SearchSort::parse_or_default(sort.as_deref());
        p.sort_chosen = sort
            .as_deref()
            .is_some_and(|s| SearchSort::ALL.iter().any(|known| known.code() == s));
        p.page = PageNumber::parse_or_first(page.as_deref()).get();
        p
    }

    pub fn request(&self, per_page: u32) -> SearchRequest {
        SearchRequest {
            text: self.text.clone(),
            filters: self.filters.clone(),
            sort: self.sort,
            page: self.page,
            per_page,
            facets: true,
            relaxed: false,
            brand: true,
        }
    }

    /// What the query says beyond its words (`domain::query`): nothing with `asli=1`, without
    /// the understandings turned off, and without a price or "cheapest first" where the
    /// shopper chose a price filter or a sort (what is chosen wins over what is understood).
    pub fn understand(&self, vocabulary: &Vocabulary) -> Understood {
        if self.literal {
            return Understood::literal(&self.text);
        }
        let mut understood = understand_except(&self.text, vocabulary, &self.ignored);
        let f = &self.filters;
        if self.band.is_some() || f.price_min.is_some() || f.price_max.is_some() {
            understood.forget_price();
        }
        if self.sort_chosen {
            understood.forget_cheap();
        }
        understood.text = clean_query(&understood.text);
        understood
    }

    /// The request for these parameters and what their query was understood to say: the
    /// words left, the filters chosen and understood together (values of one attribute are
    /// alternatives), cheapest first when understood.
    pub fn request_with(&self, per_page: u32, understood: &Understood) -> SearchRequest {
        let mut request = self.request(per_page);
        request.text = understood.text.clone();
        let f = &mut request.filters;
        for (values, more) in [
            (&mut f.categories, &understood.categories),
            (&mut f.provinces, &understood.provinces),
            (&mut f.certifications, &understood.certifications),
        ] {
            for value in more {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
        }
        f.price_min = f.price_min.or(understood.price_min);
        f.price_max = f.price_max.or(understood.price_max);
        if understood.cheap {
            request.sort = SearchSort::PriceAsc;
        }
        request
    }

    /// The query string of these parameters (without `page`), for links that keep them.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("q", self.text.clone())];
        let f = &self.filters;
        for (key, values) in [
            ("kategori", &f.categories),
            ("provinsi", &f.provinces),
            ("unit", &f.units),
            ("sertifikat", &f.certifications),
        ] {
            pairs.extend(values.iter().map(|v| (key, v.clone())));
        }
        match &self.band {
            Some(band) => pairs.push(("harga", band.clone())),
            None => {
                if let Some(v) = f.price_min {
                    pairs.push(("harga_min", v.to_string()));
                }
                if let Some(v) = f.price_max {
                    pairs.push(("harga_max", v.to_string()));
                }
            }
        }
        if f.in_stock {
            pairs.push(("stok", "1".into()));
        }
        if self.sort != SearchSort::Relevance || self.sort_chosen {
            pairs.push(("urut", self.sort.code().into()));
        }
        if self.literal {
            pairs.push(("asli", "1".into()));
        }
        pairs.extend(self.ignored.iter().map(|k| ("abaikan", k.clone())));
        pairs
    }

    pub fn url(&self, page: u32) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in self.query_pairs() {
            s.append_pair(k, &v);
        }
        if page > 1 {
            s.append_pair("page", &page.to_string());
        }
        format!("/cari?{}", s.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_sorts_and_pages_are_read_and_bad_values_dropped() {
        let p = SearchParams::parse(
            "q=kopi&kategori=Kuliner&kategori=Seni&provinsi=Aceh&sertifikat=HALAL&stok=1\
             &harga=50000-100000&urut=termurah&page=2&warna=merah",
        );
        assert_eq!(p.text, "kopi");
        assert_eq!(p.filters.categories, ["Kuliner", "Seni"]);
        assert_eq!(p.filters.price_min, Some(50_001));
        assert_eq!(p.filters.price_max, Some(100_000));
        assert!(p.filters.in_stock);
        assert_eq!(p.sort, SearchSort::PriceAsc);
        assert_eq!(p.page, 2);

        let bad = SearchParams::parse("q=%25%25&harga=junk&harga_min=abc&urut=x&page=-4");
        assert_eq!(bad.text, "");
        assert_eq!(bad.filters.price_min, None);
        assert_eq!(bad.sort, SearchSort::Relevance);
        assert_eq!(bad.page, 1);
    }

    #[test]
    fn understood_filters_join_the_chosen_ones_and_a_chosen_price_or_sort_wins() {
        let vocabulary = Vocabulary::built_in();
        let p = SearchParams::parse("q=madu+bpom+murah&sertifikat=HALAL&provinsi=Bali");
        let understood = p.understand(&vocabulary);
        let r = p.request_with(24, &understood);
        assert_eq!(r.text, "madu");
        assert_eq!(r.filters.certifications, ["HALAL", "BPOM-MD", "BPOM-NA"]);
        assert_eq!(r.filters.provinces, ["Bali"]);
        assert_eq!(r.sort, SearchSort::PriceAsc);

        let p = SearchParams::parse("q=kursi+di+bawah+1+juta+murah&harga_max=500000&urut=terbaru");
        let understood = p.understand(&vocabulary);
        assert!(understood.chips.is_empty(), "{understood:?}");
        let r = p.request_with(24, &understood);
        assert_eq!(r.text, "kursi");
        assert_eq!(r.filters.price_max, Some(500_000));
        assert_eq!(r.sort, SearchSort::Newest);
    }

    #[test]
    fn asli_searches_the_words_as_typed_and_abaikan_turns_one_understanding_off() {
        let vocabulary = Vocabulary::built_in();
        let p = SearchParams::parse("q=madu+bpom&asli=1");
        let r = p.request_with(24, &p.understand(&vocabulary));
        assert_eq!(r.text, "madu bpom");
        assert!(r.filters.is_empty());

        let p = SearchParams::parse("q=madu+halal+bpom&abaikan=sertifikat-bpom");
        let r = p.request_with(24, &p.understand(&vocabulary));
        assert_eq!(r.text, "madu");
        assert_eq!(r.filters.certifications, ["HALAL"]);

        let again = SearchParams::parse(p.url(2).trim_start_matches("/cari?"));
        assert_eq!(again.ignored, ["sertifikat-bpom"]);
        let literal = SearchParams::parse("q=x&asli=1&urut=relevan");
        let again = SearchParams::parse(literal.url(1).trim_start_matches("/cari?"));
        assert!(again.literal && again.sort_chosen);
    }

    #[test]
    fn a_reversed_price_range_is_swapped_and_urls_round_trip() {
        let p = SearchParams::parse("q=batik&harga_min=90000&harga_max=10.000");
        assert_eq!(p.filters.price_min, Some(10_000));
        assert_eq!(p.filters.price_max, Some(90_000));
        let again = SearchParams::parse(p.url(3).trim_start_matches("/cari?"));
        assert_eq!(again.filters, p.filters);
        assert_eq!(again.page, 3);
    }
}
