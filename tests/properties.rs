//! Property tests (proptest) for the parsers and rules a visitor or a staff member can reach:
//! product CSV import, booth plan CSV, the checkout form, search parameters, search synonyms,
//! rupiah formatting, chargeable weight and shipping fees, slugs, and the product, order and
//! event state machines.
//!
//! Every property runs a modest number of cases (see `cases`) so the whole file takes well
//! under a second; `PROPTEST_CASES=5000 cargo test --test properties` runs more. A failing
//! case is shrunk and saved in a `.proptest-regressions` file beside this one (commit it: it
//! is replayed first).

use std::collections::BTreeSet;

use proptest::prelude::*;

use etalase::domain::fair::{parse_booths, BoothRow, EventForm, EventStatus, BOOTH_COLUMNS};
use etalase::domain::import::{check_csv, FileProblem, COLUMNS, MAX_ROWS};
use etalase::domain::order::{
    chargeable_kg, postal_code, shipping_options, volume_grams, whatsapp_number, CheckoutForm,
    OrderStatus,
};
use etalase::domain::query::{understand, Vocabulary};
use etalase::domain::{
    format_rupiah, status_after_edit, whole_number, PageNumber, ProductDraft, ProductStatus,
    RevenueSplit, Rupiah, Slug,
};
use etalase::search::params::SearchParams;
use etalase::search::PRICE_BANDS;

/// `n` cases, unless PROPTEST_CASES asks for another number.
fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        cases: n,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Rupiah

/// The reference: split into groups of three by division, join with dots.
fn reference_rupiah(amount: i64) -> String {
    let mut groups = Vec::new();
    let mut rest = amount.unsigned_abs();
    loop {
        groups.push(rest % 1000);
        rest /= 1000;
        if rest == 0 {
            break;
        }
    }
    let mut out = String::from(if amount < 0 { "-Rp" } else { "Rp" });
    for (i, g) in groups.iter().rev().enumerate() {
        if i == 0 {
            out.push_str(&g.to_string());
        } else {
            out.push_str(&format!(".{g:03}"));
        }
    }
    out
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn rupiah_formatting_matches_the_reference(amount in any::<i64>()) {
        prop_assert_eq!(format_rupiah(amount), reference_rupiah(amount));
    }

    #[test]
    fn prices_format_and_parse_back(amount in 1i64..1_000_000_000_000) {
        let price = Rupiah::new(amount).unwrap();
        let text = price.to_string();
        prop_assert_eq!(&text, &reference_rupiah(amount));
        // What a staff member copies from a page is read back as the same price.
        let back: i64 = text.trim_start_matches("Rp").replace('.', "").parse().unwrap();
        prop_assert_eq!(back, amount);
        if amount <= 1_000_000_000 {
            prop_assert_eq!(whole_number(text.trim_start_matches("Rp"), 1, 1_000_000_000), Some(amount));
        }
    }

    #[test]
    fn only_positive_prices_below_a_trillion_are_prices(amount in any::<i64>()) {
        prop_assert_eq!(Rupiah::new(amount).is_ok(), (1..1_000_000_000_000).contains(&amount));
    }

    #[test]
    fn whole_numbers_with_or_without_dots_round_trip(
        v in 0i64..10_000_000_000,
        min in 0i64..1_000_000,
        span in 0i64..10_000_000_000,
    ) {
        let max = min + span;
        let expected = Some(v).filter(|v| (min..=max).contains(v));
        prop_assert_eq!(whole_number(&v.to_string(), min, max), expected);
        prop_assert_eq!(whole_number(&format_rupiah(v)[2..], min, max), expected);
        prop_assert_eq!(whole_number(&format!("  {v} "), min, max), expected);
    }

    #[test]
    fn whole_number_never_panics_and_stays_in_range(raw in "\\PC{0,30}", min in 0i64..100, span in 0i64..1_000_000) {
        if let Some(v) = whole_number(&raw, min, min + span) {
            prop_assert!((min..=min + span).contains(&v));
        }
    }

    #[test]
    fn revenue_splits_always_add_up(wage in 0i32..=100, pnbp in 0i32..=100, amount in 0i64..1_000_000_000_000) {
        match RevenueSplit::new(wage, pnbp, 100 - wage - pnbp) {
            Ok(split) => {
                let (w, p, c) = split.apply(amount);
                prop_assert_eq!(w + p + c, amount);
                prop_assert!(w >= 0 && p >= 0 && c >= 0);
            }
            Err(_) => prop_assert!(wage + pnbp > 100),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Chargeable weight and shipping

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn chargeable_weight_is_at_least_one_kilogram_and_never_panics(
        g in any::<i64>(), l in any::<i64>(), w in any::<i64>(), h in any::<i64>(),
    ) {
        prop_assert!(chargeable_kg(g, l, w, h) >= 1);
        prop_assert!(volume_grams(l, w, h) >= 0);
    }

    #[test]
    fn chargeable_weight_matches_the_rule(
        g in 0i64..2_000_000, l in 0i64..=300, w in 0i64..=300, h in 0i64..=300,
    ) {
        // The larger of actual and volume weight (L×W×H/6000 kg), whole kilograms rounded up
        // only beyond a 0.3 kg tolerance, at least 1 kg.
        let grams = g.max(l * w * h * 1000 / 6000);
        let kg = grams / 1000 + i64::from(grams % 1000 > 300);
        prop_assert_eq!(chargeable_kg(g, l, w, h), kg.max(1));
        // Never below the actual weight less the tolerance.
        prop_assert!(chargeable_kg(g, l, w, h) * 1000 + 300 >= g);
    }

    #[test]
    fn chargeable_weight_grows_with_weight_and_each_dimension(
        g in 0i64..2_000_000, l in 0i64..=300, w in 0i64..=300, h in 0i64..=300,
        dg in 0i64..100_000, dl in 0i64..100, dw in 0i64..100, dh in 0i64..100,
    ) {
        let base = chargeable_kg(g, l, w, h);
        prop_assert!(chargeable_kg(g + dg, l, w, h) >= base);
        prop_assert!(chargeable_kg(g, l + dl, w, h) >= base);
        prop_assert!(chargeable_kg(g, l, w + dw, h) >= base);
        prop_assert!(chargeable_kg(g, l, w, h + dh) >= base);
        prop_assert!(chargeable_kg(g + dg, l + dl, w + dw, h + dh) >= base);
        // The order of the dimensions does not matter.
        prop_assert_eq!(base, chargeable_kg(g, h, l, w));
    }

    #[test]
    fn shipping_fees_are_rounded_grow_with_weight_and_pickup_is_free(
        origin in 0usize..7, destination in 0usize..7, kg in 1i64..10_000, more in 0i64..1_000,
    ) {
        let options = shipping_options(origin, destination, kg);
        let heavier = shipping_options(origin, destination, kg + more);
        let last = options.last().unwrap();
        prop_assert_eq!((last.code.as_str(), last.fee), ("ambil", 0));
        let fees: Vec<i64> = options.iter().map(|o| o.fee).collect();
        for pair in fees[..fees.len() - 1].windows(2) {
            prop_assert!(pair[0] <= pair[1], "cheapest first: {:?}", fees);
        }
        for o in &options[..options.len() - 1] {
            prop_assert!(o.fee > 0 && o.fee % 500 == 0, "{:?}", o);
            let h = heavier.iter().find(|x| x.code == o.code).unwrap();
            prop_assert!(h.fee >= o.fee);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State machines

const PRODUCT_STATES: [ProductStatus; 5] = [
    ProductStatus::Draft,
    ProductStatus::Submitted,
    ProductStatus::Published,
    ProductStatus::Returned,
    ProductStatus::Archived,
];

/// Follows `choices` through a state machine: at each step the choice picks a candidate next
/// state, and the step happens only when `can_become` allows it. Returns the visited states.
fn walk<S: Copy + PartialEq>(
    start: S,
    all: &[S],
    can_become: impl Fn(S, S) -> bool,
    choices: &[usize],
) -> Vec<S> {
    let mut path = vec![start];
    let mut at = start;
    for c in choices {
        let next = all[c % all.len()];
        if can_become(at, next) {
            at = next;
            path.push(at);
        }
    }
    path
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn products_are_published_only_after_review(choices in prop::collection::vec(any::<usize>(), 0..40), text_changed in any::<bool>()) {
        let path = walk(ProductStatus::Draft, &PRODUCT_STATES, ProductStatus::can_become, &choices);
        for pair in path.windows(2) {
            prop_assert_ne!(pair[0], pair[1], "no step stays in place");
            if pair[1] == ProductStatus::Published {
                prop_assert_eq!(pair[0], ProductStatus::Submitted, "published without review");
            }
            if pair[1] == ProductStatus::Returned {
                prop_assert_eq!(pair[0], ProductStatus::Submitted);
            }
        }
        for s in PRODUCT_STATES {
            prop_assert_eq!(ProductStatus::parse(s.code()), Ok(s));
            // Saving a product never skips review: its status stays, or a published product
            // whose text changed goes back to review through an allowed step.
            let after = status_after_edit(s, text_changed);
            prop_assert!(after == s || s.can_become(after));
            prop_assert!(after != ProductStatus::Published || s == ProductStatus::Published);
            if s == ProductStatus::Published && text_changed {
                prop_assert_eq!(after, ProductStatus::Submitted);
            }
        }
    }

    #[test]
    fn orders_never_reach_a_state_they_may_not(choices in prop::collection::vec(any::<usize>(), 0..40)) {
        use OrderStatus::*;
        let path = walk(PendingPayment, &OrderStatus::ALL, OrderStatus::can_become, &choices);
        for pair in path.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            prop_assert_ne!(from, to);
            prop_assert_ne!(to, PendingPayment, "nothing goes back to waiting for payment");
            prop_assert!(![Cancelled, Refunded].contains(&from), "{:?} is final", from);
            match to {
                Paid | Cancelled => prop_assert_eq!(from, PendingPayment),
                Processing => prop_assert_eq!(from, Paid),
                Shipped => prop_assert_eq!(from, Processing),
                Delivered => prop_assert_eq!(from, Shipped),
                // Only money that came in can go back.
                Refunded => prop_assert!([Paid, Processing, Delivered].contains(&from)),
                PendingPayment => unreachable!(),
            }
        }
        // A cancelled order was never paid; a paid order is never cancelled.
        if path.contains(&Cancelled) {
            prop_assert!(!path.contains(&Paid));
        }
        // Only a waiting order holds stock.
        for s in &path {
            prop_assert_eq!(s.holds_reservation(), *s == PendingPayment);
        }
        prop_assert!(path.len() <= 6, "the longest life is five steps: {:?}", path);
    }

    #[test]
    fn events_move_forward_one_step_at_a_time(choices in prop::collection::vec(any::<usize>(), 0..40)) {
        let index = |s: EventStatus| EventStatus::ALL.iter().position(|x| *x == s).unwrap();
        let path = walk(EventStatus::Draft, &EventStatus::ALL, EventStatus::can_become, &choices);
        for pair in path.windows(2) {
            prop_assert_eq!(index(pair[1]), index(pair[0]) + 1);
        }
        for s in EventStatus::ALL {
            prop_assert_eq!(EventStatus::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn status_codes_from_outside_parse_only_to_known_states(raw in "\\PC{0,20}") {
        if let Some(s) = OrderStatus::parse(&raw) {
            prop_assert_eq!(s.code(), raw.as_str());
        }
        if let Some(s) = EventStatus::parse(&raw) {
            prop_assert_eq!(s.code(), raw.as_str());
        }
        if let Ok(s) = ProductStatus::parse(&raw) {
            prop_assert_eq!(s.code(), raw.as_str());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checkout form: WhatsApp numbers, postal codes, names, addresses

/// A mobile number as people type it: 08…, 628… or +628…, with spaces, dashes, dots or
/// brackets between digits. Returns (typed, expected normalized).
fn typed_whatsapp() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(vec!["0", "62", "+62"]),
        "8[0-9]{8,11}",
        prop::collection::vec(
            prop::sample::select(vec!["", "", "", " ", "-", ".", "(", ")"]),
            13,
        ),
    )
        .prop_map(|(prefix, rest, seps)| {
            let mut typed = prefix.to_string();
            for (i, c) in rest.chars().enumerate() {
                typed.push(c);
                typed.push_str(seps[i % seps.len()]);
            }
            (typed, format!("+62{rest}"))
        })
}

/// Text of `min..=max` characters with letters, digits, spaces and punctuation, not starting or
/// ending with whitespace.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;'\"/-()ÀéüñçÑ"
                .chars()
                .collect::<Vec<_>>(),
        ),
        min..=max,
    )
    .prop_map(|chars| {
        let mut s: String = chars.into_iter().collect();
        if s.starts_with(' ') {
            s.replace_range(0..1, "A");
        }
        if s.ends_with(' ') {
            s.pop();
            s.push('z');
        }
        s
    })
}

fn valid_checkout() -> impl Strategy<Value = CheckoutForm> {
    (
        text(2, 100),
        // Addresses a mail server takes: no leading, trailing or double dot in the local part.
        "[a-z0-9_]{1,10}(\\.[a-z0-9_]{1,9})?@[a-z0-9]{1,20}\\.(id|com|co\\.id)",
        typed_whatsapp(),
        1i32..=38,
        text(2, 80),
        text(2, 80),
        "[1-9][0-9]{4}",
        text(10, 300),
    )
        .prop_map(
            |(name, email, (phone, _), province, city, district, postal, address)| CheckoutForm {
                name: format!(" {name} "),
                email: email.to_uppercase(),
                phone,
                province_id: province.to_string(),
                city,
                district,
                postal_code: postal,
                address,
            },
        )
}

fn arbitrary_checkout() -> impl Strategy<Value = CheckoutForm> {
    (
        prop::collection::vec("\\PC{0,40}|[0-9+ -]{0,16}", 8),
        any::<bool>(),
    )
        .prop_map(|(f, long)| CheckoutForm {
            name: if long { f[0].repeat(5) } else { f[0].clone() },
            email: f[1].clone(),
            phone: f[2].clone(),
            province_id: f[3].clone(),
            city: f[4].clone(),
            district: f[5].clone(),
            postal_code: f[6].clone(),
            address: f[7].clone(),
        })
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn whatsapp_numbers_as_typed_are_accepted_and_normalized((typed, expected) in typed_whatsapp()) {
        prop_assert_eq!(whatsapp_number(&typed), Some(expected.clone()));
        // Normalizing twice changes nothing.
        prop_assert_eq!(whatsapp_number(&expected), Some(expected));
    }

    #[test]
    fn whatsapp_numbers_are_indonesian_mobiles_or_nothing(raw in "\\PC{0,24}|[+0-9 ().-]{0,20}") {
        if let Some(n) = whatsapp_number(&raw) {
            let rest = n.strip_prefix("+628").expect("+628…");
            prop_assert!((8..=11).contains(&rest.len()), "{}", n);
            prop_assert!(rest.bytes().all(|b| b.is_ascii_digit()), "{}", n);
            prop_assert_eq!(whatsapp_number(&n), Some(n.clone()));
        }
    }

    #[test]
    fn postal_codes_are_five_digits_not_starting_with_zero(raw in "\\PC{0,8}|[0-9 ]{0,7}") {
        let code = raw.trim();
        let ok = code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with('0');
        prop_assert_eq!(postal_code(&raw), ok.then(|| code.to_string()));
    }

    #[test]
    fn a_valid_checkout_form_is_accepted_as_typed(form in valid_checkout()) {
        let provinces: Vec<i32> = (1..=38).collect();
        let contact = form.validate(&provinces).unwrap_or_else(|e| panic!("{e:?} for {form:?}"));
        prop_assert_eq!(contact.name, form.name.trim());
        prop_assert_eq!(contact.email.as_str(), form.email.to_lowercase());
        prop_assert_eq!(Some(contact.phone.to_string()), whatsapp_number(&form.phone));
        prop_assert_eq!(contact.postal_code.as_str(), form.postal_code);
        prop_assert_eq!(contact.address, form.address.trim());
    }

    #[test]
    fn any_checkout_form_is_answered_and_what_passes_is_within_bounds(form in arbitrary_checkout()) {
        let provinces = [1, 2, 11];
        match form.validate(&provinces) {
            Ok(c) => {
                prop_assert!((2..=100).contains(&c.name.chars().count()));
                prop_assert!((2..=80).contains(&c.city.chars().count()));
                prop_assert!((2..=80).contains(&c.district.chars().count()));
                prop_assert!((10..=300).contains(&c.address.chars().count()));
                prop_assert!(provinces.contains(&c.province_id));
                prop_assert!(c.email.as_str().contains('@') && c.email.as_str().len() <= 254);
                prop_assert!(c.phone.as_str().starts_with("+628"));
                prop_assert_eq!(postal_code(c.postal_code.as_str()), Some(c.postal_code.to_string()));
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                let known = ["name", "email", "phone", "province_id", "city", "district", "postal_code", "address"];
                prop_assert!(errors.keys().all(|k| known.contains(k)), "{:?}", errors);
            }
        }
    }

    #[test]
    fn any_event_form_is_answered_and_accepted_dates_are_in_order(
        fields in prop::collection::vec("\\PC{0,30}|20[0-9]{2}-[01][0-9]-[0-3][0-9]", 8),
    ) {
        let form = EventForm {
            name: fields[0].clone(),
            venue: fields[1].clone(),
            city: fields[2].clone(),
            starts_on: fields[3].clone(),
            ends_on: fields[4].clone(),
            applications_open_on: fields[5].clone(),
            applications_close_on: fields[6].clone(),
            description: fields[7].clone(),
        };
        if let Ok(e) = form.validate() {
            prop_assert!(e.applications_open_on <= e.applications_close_on);
            prop_assert!(e.applications_close_on < e.starts_on);
            prop_assert!(e.starts_on <= e.ends_on);
        }
    }

    #[test]
    fn slugs_made_from_any_text_are_valid_slugs(text in "\\PC{0,200}|[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,5}") {
        let slug = Slug::from_text(&text);
        prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        prop_assert!(slug.as_str().len() <= 100);
        // A slug already well formed is kept as it is.
        if Slug::parse(&text).is_ok() && text.len() <= 100 {
            prop_assert_eq!(slug.as_str(), text.as_str());
        }
    }

    #[test]
    fn page_numbers_are_always_within_bounds(raw in proptest::option::of("\\PC{0,12}|-?[0-9]{1,22}")) {
        let page = PageNumber::parse_or_first(raw.as_deref());
        prop_assert!((1..=PageNumber::MAX).contains(&page.get()));
        prop_assert!(page.offset(48) >= 0);
    }
}

// ---------------------------------------------------------------------------------------------
// Product CSV import

fn categories() -> Vec<(i32, String, String)> {
    vec![
        (1, "kuliner".into(), "Kuliner".into()),
        (2, "seni-lukis".into(), "Seni Lukis".into()),
        (3, "kriya".into(), "Kriya Kayu".into()),
    ]
}

fn valid_draft() -> impl Strategy<Value = ProductDraft> {
    (
        text(3, 120),
        text(10, 400),
        text(0, 400),
        1i32..=3,
        1i64..=1_000_000_000,
        0i32..=1_000_000,
        1i32..=500_000,
        prop::array::uniform3(0i32..=300),
    )
        .prop_map(
            |(
                name,
                description,
                description_en,
                category_id,
                price,
                stock,
                weight_g,
                [l, w, h],
            )| {
                ProductDraft {
                    name,
                    description,
                    description_en,
                    category_id,
                    price,
                    stock,
                    weight_g,
                    length_cm: l,
                    width_cm: w,
                    height_cm: h,
                }
            },
        )
}

/// Writes drafts as a spreadsheet would: comma or semicolon, category by slug or name in any
/// case, prices as plain numbers or `Rp15.000`, sizes left empty when zero.
fn write_import(drafts: &[ProductDraft], semicolon: bool, styles: &[u8], bom: bool) -> Vec<u8> {
    let cats = categories();
    let mut out = csv::WriterBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .from_writer(Vec::new());
    out.write_record(COLUMNS).unwrap();
    for (i, d) in drafts.iter().enumerate() {
        let style = styles.get(i).copied().unwrap_or(0);
        let cat = &cats[(d.category_id - 1) as usize];
        let category = match style % 3 {
            0 => cat.1.clone(),
            1 => cat.2.to_uppercase(),
            _ => cat.2.clone(),
        };
        let price = if style & 4 == 0 {
            d.price.to_string()
        } else {
            format_rupiah(d.price)
        };
        let size = |v: i32| {
            if v == 0 && style & 8 != 0 {
                String::new()
            } else {
                v.to_string()
            }
        };
        out.write_record([
            d.name.clone(),
            category,
            d.description.clone(),
            price,
            d.stock.to_string(),
            d.weight_g.to_string(),
            size(d.length_cm),
            size(d.width_cm),
            size(d.height_cm),
            d.description_en.clone(),
        ])
        .unwrap();
    }
    let mut bytes = if bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend(out.into_inner().unwrap());
    bytes
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn product_import_reads_back_what_was_written(
        drafts in prop::collection::vec(valid_draft(), 1..25),
        semicolon in any::<bool>(),
        styles in prop::collection::vec(any::<u8>(), 25),
        bom in any::<bool>(),
    ) {
        let bytes = write_import(&drafts, semicolon, &styles, bom);
        let check = check_csv(&bytes, &categories()).unwrap();
        prop_assert!(check.problems.is_empty(), "{:?}", check.problems);
        prop_assert_eq!(check.valid, drafts);
    }

    #[test]
    fn bad_rows_are_reported_on_their_own_line_and_good_rows_still_read(
        drafts in prop::collection::vec(valid_draft(), 1..25),
        bad in prop::collection::vec(any::<bool>(), 25),
        semicolon in any::<bool>(),
    ) {
        // Spoil some rows (price "gratis"); the others must still be read, in order.
        let delimiter = if semicolon { b';' } else { b',' };
        let bytes = write_import(&drafts, semicolon, &[], false);
        let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(bytes.as_slice());
        let mut writer = csv::WriterBuilder::new().delimiter(delimiter).from_writer(Vec::new());
        writer.write_record(reader.headers().unwrap()).unwrap();
        let mut expected_lines = Vec::new();
        let mut expected_valid = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let mut record: Vec<String> = record.unwrap().iter().map(str::to_string).collect();
            if bad[i] {
                record[3] = "gratis".into();
                expected_lines.push(i as u64 + 2);
            } else {
                expected_valid.push(drafts[i].clone());
            }
            writer.write_record(&record).unwrap();
        }
        let check = check_csv(&writer.into_inner().unwrap(), &categories()).unwrap();
        prop_assert_eq!(check.valid, expected_valid);
        let reported: Vec<u64> = check.problems.iter().map(|p| p.line).collect();
        prop_assert_eq!(reported, expected_lines);
        for p in &check.problems {
            prop_assert_eq!(&p.messages, &vec!["form-error-price"]);
        }
    }

    #[test]
    fn product_import_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = check_csv(&bytes, &categories());
    }

    #[test]
    fn product_import_never_panics_on_csv_like_text(
        header in prop::sample::subsequence(COLUMNS.to_vec(), 0..=COLUMNS.len()),
        rows in prop::collection::vec(prop::collection::vec("[^\\n]{0,12}|\"[^\"]{0,8}\"?|[0-9.]{0,8}", 0..12), 0..12),
        semicolon in any::<bool>(),
    ) {
        let sep = if semicolon { ";" } else { "," };
        let mut text = header.join(sep);
        for row in &rows {
            text.push('\n');
            text.push_str(&row.join(sep));
        }
        match check_csv(text.as_bytes(), &categories()) {
            Ok(check) => {
                prop_assert!(header.len() >= 6);
                let line_breaks = text.matches(['\n', '\r']).count();
                prop_assert!(check.valid.len() + check.problems.len() <= line_breaks + 1);
                let lines: Vec<u64> = check.problems.iter().map(|p| p.line).collect();
                prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "{:?}", lines);
                prop_assert!(check.problems.iter().all(|p| !p.messages.is_empty() && p.name.chars().count() <= 80));
                for d in &check.valid {
                    prop_assert!((1..=1_000_000_000).contains(&d.price));
                    prop_assert!((0..=1_000_000).contains(&d.stock));
                    prop_assert!((1..=500_000).contains(&d.weight_g));
                    prop_assert!([d.length_cm, d.width_cm, d.height_cm].iter().all(|v| (0..=300).contains(v)));
                    prop_assert!((3..=120).contains(&d.name.chars().count()));
                }
            }
            Err(FileProblem::MissingColumns(missing)) => prop_assert!(!missing.is_empty()),
            Err(_) => {}
        }
    }
}

#[test]
fn product_import_takes_at_most_max_rows() {
    let draft = ProductDraft {
        name: "Kopi Gayo".into(),
        description: "Kopi arabika sangrai medium.".into(),
        description_en: String::new(),
        category_id: 1,
        price: 65_000,
        stock: 10,
        weight_g: 250,
        length_cm: 0,
        width_cm: 0,
        height_cm: 0,
    };
    for n in [MAX_ROWS, MAX_ROWS + 1] {
        let bytes = write_import(&vec![draft.clone(); n], false, &[], false);
        let result = check_csv(&bytes, &categories());
        if n <= MAX_ROWS {
            assert_eq!(result.unwrap().valid.len(), n);
        } else {
            assert_eq!(result, Err(FileProblem::TooManyRows));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Booth plans

fn booth_kind() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["standard", "corner", "food_power"])
}

/// A plan whose booths sit in separate cells of a grid (so none overlap), with unique codes.
fn valid_plan() -> impl Strategy<Value = Vec<BoothRow>> {
    prop::collection::vec(
        (
            prop::sample::select(vec!["A", "B", "Hall Utama"]),
            booth_kind(),
            1i32..=50,
            1i32..=50,
            0i64..=1_000_000_000,
        ),
        1..40,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (hall, kind, w, d, fee))| BoothRow {
                code: format!("{}-{:02}", ["A", "B", "C"][i % 3], i),
                hall: hall.to_string(),
                kind: kind.to_string(),
                width_m: w,
                depth_m: d,
                fee,
                // 50 m cells: 19 columns fit in 0..=950.
                x: (i as i32 % 19) * 50,
                y: (i as i32 / 19) * 50,
            })
            .collect()
    })
}

fn write_plan(booths: &[BoothRow], lowercase: bool) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(BOOTH_COLUMNS).unwrap();
    for b in booths {
        let code = if lowercase {
            b.code.to_lowercase()
        } else {
            b.code.clone()
        };
        out.write_record([
            code,
            b.hall.clone(),
            b.kind.to_uppercase(),
            b.width_m.to_string(),
            b.depth_m.to_string(),
            b.fee.to_string(),
            b.x.to_string(),
            b.y.to_string(),
        ])
        .unwrap();
    }
    out.into_inner().unwrap()
}

fn overlap(a: &BoothRow, b: &BoothRow) -> bool {
    a.hall == b.hall
        && a.x < b.x + b.width_m
        && b.x < a.x + a.width_m
        && a.y < b.y + b.depth_m
        && b.y < a.y + a.depth_m
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn booth_plans_read_back_what_was_written(plan in valid_plan(), lowercase in any::<bool>()) {
        let parsed = parse_booths(&write_plan(&plan, lowercase)).unwrap();
        prop_assert_eq!(parsed, plan);
    }

    #[test]
    fn booth_plans_refuse_exactly_the_overlapping_booths(
        rows in prop::collection::vec(
            (prop::sample::select(vec!["A", "B"]), 0i32..30, 0i32..30, 1i32..8, 1i32..8),
            1..25,
        ),
    ) {
        // The model: booths are taken in order, each refused when it overlaps one already taken.
        let booths: Vec<BoothRow> = rows
            .iter()
            .enumerate()
            .map(|(i, (hall, x, y, w, d))| BoothRow {
                code: format!("S-{i:03}"),
                hall: hall.to_string(),
                kind: "standard".into(),
                width_m: *w,
                depth_m: *d,
                fee: 1_500_000,
                x: *x,
                y: *y,
            })
            .collect();
        let mut taken: Vec<&BoothRow> = Vec::new();
        let mut refused = Vec::new();
        for (i, b) in booths.iter().enumerate() {
            if taken.iter().any(|t| overlap(t, b)) {
                refused.push((i as u64 + 2, "fair-error-booth-overlap"));
            } else {
                taken.push(b);
            }
        }
        match parse_booths(&write_plan(&booths, false)) {
            Ok(plan) => {
                prop_assert!(refused.is_empty());
                prop_assert_eq!(plan, booths);
            }
            Err(problems) => prop_assert_eq!(problems, refused),
        }
    }

    #[test]
    fn booth_plans_never_panic_and_accepted_plans_hold_together(
        rows in prop::collection::vec(
            (
                "[A-Za-z0-9-]{0,14}|\\PC{0,6}",
                "[AB]|\\PC{0,50}",
                prop::sample::select(vec!["standard", "corner", "food_power", "istana", ""]),
                prop::collection::vec("-?[0-9]{1,4}|[0-9]{10,12}|\\PC{0,4}", 5),
            ),
            0..30,
        ),
    ) {
        let mut out = csv::Writer::from_writer(Vec::new());
        out.write_record(BOOTH_COLUMNS).unwrap();
        for (code, hall, kind, n) in &rows {
            out.write_record([
                code.as_str(), hall.as_str(), kind, n[0].as_str(), n[1].as_str(), n[2].as_str(),
                n[3].as_str(), n[4].as_str(),
            ])
            .unwrap();
        }
        match parse_booths(&out.into_inner().unwrap()) {
            Ok(plan) => {
                let codes: BTreeSet<&str> = plan.iter().map(|b| b.code.as_str()).collect();
                prop_assert_eq!(codes.len(), plan.len(), "codes are unique");
                for (i, a) in plan.iter().enumerate() {
                    prop_assert!((2..=12).contains(&a.code.len()));
                    prop_assert!(a.code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'));
                    prop_assert!((1..=50).contains(&a.width_m) && (1..=50).contains(&a.depth_m));
                    prop_assert!((0..=1000).contains(&a.x) && (0..=1000).contains(&a.y));
                    prop_assert!((0..=1_000_000_000).contains(&a.fee));
                    prop_assert!(a.hall.chars().count() <= 40);
                    for b in &plan[i + 1..] {
                        prop_assert!(!overlap(a, b), "{:?} overlaps {:?}", a, b);
                    }
                }
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                let lines: Vec<u64> = problems.iter().map(|p| p.0).collect();
                prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "{:?}", lines);
                prop_assert!(lines.iter().all(|l| *l <= rows.len() as u64 + 1));
            }
        }
    }

    #[test]
    fn booth_plans_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = parse_booths(&bytes);
        let mut with_header = b"kode,hall,jenis,lebar_m,dalam_m,biaya,x,y\n".to_vec();
        with_header.extend(&bytes);
        let _ = parse_booths(&with_header);
    }
}

// ---------------------------------------------------------------------------------------------
// Search parameters

fn query_pair() -> impl Strategy<Value = (String, String)> {
    (
        prop::sample::select(vec![
            "q",
            "kategori",
            "provinsi",
            "unit",
            "sertifikat",
            "harga",
            "harga_min",
            "harga_max",
            "stok",
            "urut",
            "page",
            "warna",
        ]),
        prop_oneof![
            "\\PC{0,20}",
            "[0-9.,]{1,16}",
            prop::sample::select(
                PRICE_BANDS
                    .iter()
                    .map(|b| b.0.to_string())
                    .collect::<Vec<_>>()
            ),
            prop::sample::select(vec![
                "termurah".to_string(),
                "termahal".into(),
                "terbaru".into(),
                "1".into(),
                "0".into()
            ]),
            "[a-z]{90,110}",
            "-?[0-9]{1,12}",
        ],
    )
        .prop_map(|(k, v)| (k.to_string(), v))
}

fn check_params(p: &SearchParams) -> Result<(), TestCaseError> {
    prop_assert!((1..=PageNumber::MAX).contains(&p.page));
    prop_assert!(p.text.chars().count() <= 200);
    prop_assert_eq!(
        p.text.split_whitespace().collect::<Vec<_>>().join(" "),
        p.text.clone()
    );
    let f = &p.filters;
    for list in [&f.categories, &f.provinces, &f.units, &f.certifications] {
        prop_assert!(list.len() <= 10);
        let distinct: BTreeSet<&String> = list.iter().collect();
        prop_assert_eq!(distinct.len(), list.len());
        for v in list {
            prop_assert!(!v.is_empty() && v.chars().count() <= 100 && v.trim() == v);
        }
    }
    if let (Some(lo), Some(hi)) = (f.price_min, f.price_max) {
        prop_assert!(lo <= hi);
    }
    for v in [f.price_min, f.price_max].into_iter().flatten() {
        prop_assert!((0..=1_000_000_000_000).contains(&v));
    }
    if let Some(band) = &p.band {
        prop_assert!(PRICE_BANDS.iter().any(|b| b.0 == band));
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn search_parameters_never_panic_on_any_query_string(raw in "\\PC{0,200}|[a-z_=&%0-9+]{0,200}") {
        check_params(&SearchParams::parse(&raw))?;
    }

    #[test]
    fn search_parameters_are_bounded_and_their_links_round_trip(
        pairs in prop::collection::vec(query_pair(), 0..30),
        page in 1u32..20,
    ) {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            s.append_pair(k, v);
        }
        let p = SearchParams::parse(&s.finish());
        check_params(&p)?;
        // A link built from the parameters (pagination, facet links) means the same search.
        let url = p.url(page);
        prop_assert!(url.starts_with("/cari?"));
        let again = SearchParams::parse(url.trim_start_matches("/cari?"));
        prop_assert_eq!(&again.text, &p.text);
        prop_assert_eq!(&again.filters, &p.filters);
        prop_assert_eq!(&again.band, &p.band);
        prop_assert_eq!(again.sort, p.sort);
        prop_assert_eq!(again.page, page);
    }
}

/// Words a shopper mixes into a search: amounts, multipliers, comparisons, legal documents,
/// regions, occasions, product words and anything else.
fn query_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "di",
            "bawah",
            "atas",
            "maks",
            "antara",
            "-",
            "dan",
            "sampai",
            "<",
            ">",
            "rp",
            "rb",
            "ribu",
            "jt",
            "juta",
            "k",
            "murah",
            "harga",
            "halal",
            "bpom",
            "md",
            "p-irt",
            "khas",
            "aceh",
            "bali",
            "motif",
            "jogja",
            "oleh",
            "oleh-oleh",
            "kado",
            "lebaran",
            "nusa",
            "tenggara",
            "timur",
            "kopi",
            "kursi",
        ])
        .prop_map(|w| w.to_string()),
        "[<>]?(rp)?[0-9]{1,16}([.,][0-9]{1,4})?(rb|jt|k)?",
        "\\PC{1,6}",
    ]
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever is typed, understanding it does not panic, gives prices a shop can have, lowest
    /// first, and leaves only what was typed, in order, for the engine.
    #[test]
    fn understanding_any_query_keeps_prices_in_bounds_and_leaves_only_typed_words(
        words in prop::collection::vec(query_word(), 0..12),
    ) {
        let vocabulary = Vocabulary::built_in();
        let raw = words.join(" ");
        let understood = understand(&raw, &vocabulary);
        for v in [understood.price_min, understood.price_max].into_iter().flatten() {
            prop_assert!((1..1_000_000_000_000).contains(&v), "{} from {:?}", v, raw);
        }
        if let (Some(lo), Some(hi)) = (understood.price_min, understood.price_max) {
            prop_assert!(lo <= hi);
        }
        let mut typed = raw.chars().filter(|c| !c.is_whitespace());
        for c in understood.text.chars().filter(|c| !c.is_whitespace()) {
            prop_assert!(
                typed.any(|t| t == c),
                "{:?} is not what was left of {:?}",
                understood.text,
                raw
            );
        }
    }
}

proptest! {
    #![proptest_config(cases(512))]

    /// Checkout keeps only addresses the mail transport (lettre) accepts, so no order mail is
    /// queued to an address that can never be sent to.
    #[test]
    fn every_email_address_checkout_accepts_is_one_the_mailer_takes(
        raw in "\\PC{0,30}|[a-zA-Z0-9._+@ <>-]{1,30}"
    ) {
        if let Some(email) = etalase::domain::email_address(&raw) {
            prop_assert!(email.parse::<lettre::Address>().is_ok(), "{}", email);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Search synonyms

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever an administrator types, the synonym form is answered; what it saves is one word
    /// with one to ten other words, and the engines' merged map never makes a word its own
    /// synonym nor loses one of the file's.
    #[test]
    fn any_synonym_form_is_answered_and_what_it_saves_is_single_index_words(
        word in "\\PC{0,40}|[A-Za-zÀ-ÿ]{1,12}",
        synonyms in "\\PC{0,80}|[A-Za-zÀ-ÿ]{1,8}(, ?[A-Za-zÀ-ÿ]{1,8}){0,12}",
        two_way in any::<bool>(),
    ) {
        use etalase::domain::synonyms::{merge, SynonymForm, SYNONYMS_MAX};
        let form = SynonymForm {
            word,
            synonyms,
            two_way: if two_way { "1".into() } else { String::new() },
        };
        let Ok(entry) = form.validate(etalase::search::words_of) else {
            return Ok(());
        };
        // One stored word: nothing to split it at, nothing that would split the stored list.
        let one_word = |w: &str| !w.is_empty() && !w.contains(|c: char| c.is_whitespace() || c == ',');
        prop_assert!(one_word(&entry.word), "{:?}", entry.word);
        prop_assert!((1..=SYNONYMS_MAX).contains(&entry.synonyms.len()));
        for s in &entry.synonyms {
            prop_assert!(one_word(s) && *s != entry.word, "{:?}", s);
        }
        let file = etalase::search::SearchConfig::built_in().synonyms;
        let merged = merge(&file, std::slice::from_ref(&entry));
        for (w, list) in &merged {
            prop_assert!(!list.contains(w), "{} is its own synonym", w);
        }
        for (w, list) in &file {
            prop_assert!(list.iter().all(|s| merged[w].contains(s)));
        }
    }
}
