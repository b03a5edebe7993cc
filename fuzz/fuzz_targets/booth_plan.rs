//! Booth plans (`/kelola/pameran/{id}/stan`): any bytes are answered, never a panic; an
//! accepted plan has unique codes and no two booths of a hall overlap.
#![no_main]

use etalase::domain::fair::parse_booths;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_booths(data) {
        Ok(plan) => {
            for (i, a) in plan.iter().enumerate() {
                assert!((2..=12).contains(&a.code.len()));
                assert!((1..=50).contains(&a.width_m) && (1..=50).contains(&a.depth_m));
                assert!((0..=1000).contains(&a.x) && (0..=1000).contains(&a.y));
                for b in &plan[i + 1..] {
                    assert_ne!(a.code, b.code);
                    let overlap = a.hall == b.hall
                        && a.x < b.x + b.width_m
                        && b.x < a.x + a.width_m
                        && a.y < b.y + b.depth_m
                        && b.y < a.y + a.depth_m;
                    assert!(!overlap, "{a:?} overlaps {b:?}");
                }
            }
        }
        Err(problems) => assert!(!problems.is_empty()),
    }
});
