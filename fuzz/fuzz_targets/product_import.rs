//! The product CSV import (`/kelola/impor`): any bytes are answered, never a panic, and what
//! it accepts is within the product form's bounds.
#![no_main]

use etalase::domain::import::check_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let categories = vec![
        (1, "kuliner".to_string(), "Kuliner".to_string()),
        (2, "seni-lukis".to_string(), "Seni Lukis".to_string()),
    ];
    if let Ok(check) = check_csv(data, &categories) {
        for d in &check.valid {
            assert!((1..=1_000_000_000).contains(&d.price));
            assert!((0..=1_000_000).contains(&d.stock));
            assert!((1..=500_000).contains(&d.weight_g));
            assert!([d.length_cm, d.width_cm, d.height_cm]
                .iter()
                .all(|v| (0..=300).contains(v)));
            assert!((3..=120).contains(&d.name.chars().count()));
            assert!(d.description_en.chars().count() <= 5000);
            assert!([1, 2].contains(&d.category_id));
        }
        let lines: Vec<u64> = check.problems.iter().map(|p| p.line).collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
    }
});
