//! The search page's query string (`/cari?…`): any string is read without a panic, the result
//! stays within bounds, and the links built from it mean the same search.
#![no_main]

use etalase::domain::PageNumber;
use etalase::search::params::SearchParams;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let p = SearchParams::parse(&raw);
    assert!((1..=PageNumber::MAX).contains(&p.page));
    assert!(p.text.chars().count() <= 200);
    let f = &p.filters;
    for list in [&f.categories, &f.provinces, &f.units, &f.certifications] {
        assert!(list.len() <= 10);
        assert!(list
            .iter()
            .all(|v| !v.is_empty() && v.chars().count() <= 100));
    }
    if let (Some(lo), Some(hi)) = (f.price_min, f.price_max) {
        assert!(lo <= hi);
    }
    let again = SearchParams::parse(p.url(2).trim_start_matches("/cari?"));
    assert_eq!(again.text, p.text);
    assert_eq!(again.filters, p.filters);
    assert_eq!(again.band, p.band);
    assert_eq!(again.sort, p.sort);
    assert_eq!(again.page, 2);
});
