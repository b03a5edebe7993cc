//! Portable schema: only types both SQLite and PostgreSQL share (no booleans: flags are
//! integers 0/1; timestamps are UTC unix seconds; calendar dates are ISO `YYYY-MM-DD` text).

diesel::table! {
    provinces (id) {
        id -> Integer,
        iso_code -> Text,
        slug -> Text,
        name -> Text,
        island_group -> Text,
    }
}

diesel::table! {
    units (id) {
        id -> Integer,
        slug -> Text,
        kind -> Text,
        class -> Text,
        name -> Text,
        city -> Text,
        province_id -> Integer,
        brand_name -> Text,
        story -> Text,
        logo_path -> Nullable<Text>,
        banner_path -> Nullable<Text>,
        pickup_address -> Text,
        phone -> Text,
        email -> Text,
        split_wage_pct -> Integer,
        split_pnbp_pct -> Integer,
        split_capital_pct -> Integer,
        created_at -> BigInt,
        /// 1, or 0 for a unit switched off: its shop and products are not public and its
        /// staff cannot sign in.
        active -> Integer,
        /// What the unit's staff propose of its brand, story, logo and banner, waiting for
        /// review (None: unchanged). A proposed picture names the file it will have in public
        /// media; until approved the file is kept privately.
        pending_brand_name -> Nullable<Text>,
        pending_story -> Nullable<Text>,
        pending_logo -> Nullable<Text>,
        pending_banner -> Nullable<Text>,
        /// Set while a proposal waits; moves on with every change (the version reviewed).
        pending_changed_at -> Nullable<BigInt>,
        /// Why a reviewer sent the last proposal back, until the unit proposes another.
        profile_return_reason -> Nullable<Text>,
        /// The unit's static QRIS image for its fair booths: a file under the private
        /// `booth-qris/` folder of the documents folder, served only to the unit's staff.
        qris_image -> Nullable<Text>,
    }
}

diesel::table! {
    categories (id) {
        id -> Integer,
        slug -> Text,
        name_id -> Text,
        name_en -> Text,
        description_id -> Text,
        description_en -> Text,
        is_food -> Integer,
        sort_order -> Integer,
    }
}

diesel::table! {
    products (id) {
        id -> Integer,
        unit_id -> Integer,
        category_id -> Integer,
        slug -> Text,
        kind -> Text,
        name -> Text,
        description -> Text,
        price -> BigInt,
        stock -> Integer,
        weight_g -> Integer,
        length_cm -> Integer,
        width_cm -> Integer,
        height_cm -> Integer,
        status -> Text,
        return_reason -> Nullable<Text>,
        featured -> Integer,
        popularity -> Integer,
        created_at -> BigInt,
        updated_at -> BigInt,
        description_en -> Text,
    }
}

diesel::table! {
    product_photos (id) {
        id -> Integer,
        product_id -> Integer,
        position -> Integer,
        path_base -> Text,
        alt -> Text,
        width -> Integer,
        height -> Integer,
    }
}

diesel::table! {
    certifications (id) {
        id -> Integer,
        unit_id -> Integer,
        product_id -> Nullable<Integer>,
        kind -> Text,
        number -> Text,
        issuer -> Text,
        issued_on -> Text,
        expires_on -> Nullable<Text>,
        document_path -> Nullable<Text>,
        status -> Text,
        reject_reason -> Nullable<Text>,
        verified_at -> Nullable<BigInt>,
        created_at -> BigInt,
        expired_at -> Nullable<BigInt>,
        reminded_60 -> Integer,
        reminded_14 -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Nullable<Integer>,
        province_id -> Nullable<Integer>,
        created_at -> BigInt,
        session_version -> Integer,
        /// 1, or 0 for a deactivated account: it cannot sign in and its sessions ended.
        active -> Integer,
        /// 1 while an invited account has no password of its own yet, else 0.
        invited -> Integer,
        last_sign_in_at -> Nullable<BigInt>,
        /// 1 for unit staff who may record the unit's payouts (`/kelola/setoran`), else 0.
        treasurer -> Integer,
    }
}

diesel::joinable!(units -> provinces (province_id));
diesel::joinable!(orders -> provinces (province_id));
diesel::joinable!(products -> units (unit_id));
diesel::joinable!(products -> categories (category_id));
diesel::joinable!(product_photos -> products (product_id));
diesel::joinable!(certifications -> units (unit_id));
diesel::joinable!(certifications -> products (product_id));
diesel::joinable!(audit_log -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    provinces,
    units,
    categories,
    products,
    product_photos,
    certifications,
    users,
    audit_log,
    carts,
    cart_items,
    orders,
    shipments,
    order_items,
    events,
    booths,
    fair_applications,
    payments,
    booth_sales,
    daily_unit_sales,
    booth_charges,
);

diesel::table! {
    /// `next_attempt_at` and `created_at` are unix milliseconds.
    search_outbox (id) {
        id -> Integer,
        product_id -> Integer,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        user_id -> Nullable<Integer>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Integer>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Links that let an invited account choose its first password: only the token's SHA-256
    /// is kept; good for seven days and once.
    invitations (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
        created_by -> Nullable<Integer>,
        created_at -> BigInt,
    }
}

diesel::table! {
    carts (id) {
        id -> Integer,
        token -> Text,
        checkout_json -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    cart_items (id) {
        id -> Integer,
        cart_id -> Integer,
        product_id -> Integer,
        quantity -> Integer,
        added_at -> BigInt,
    }
}

diesel::table! {
    orders (id) {
        id -> Integer,
        code -> Text,
        secret -> Text,
        idempotency_key -> Text,
        status -> Text,
        buyer_name -> Text,
        buyer_email -> Text,
        buyer_phone -> Text,
        province_id -> Integer,
        city -> Text,
        district -> Text,
        postal_code -> Text,
        address -> Text,
        items_total -> BigInt,
        shipping_total -> BigInt,
        unique_code -> Integer,
        total -> BigInt,
        payment_method -> Text,
        payment_expires_at -> BigInt,
        paid_at -> Nullable<BigInt>,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    shipments (id) {
        id -> Integer,
        order_id -> Integer,
        unit_id -> Integer,
        service -> Text,
        service_label -> Text,
        fee -> BigInt,
        weight_kg -> Integer,
        items_total -> BigInt,
        status -> Text,
        tracking_number -> Nullable<Text>,
        share_wage -> BigInt,
        share_pnbp -> BigInt,
        share_capital -> BigInt,
        /// The courier the unit handed the parcel to (`domain::order::Courier::code`).
        courier -> Nullable<Text>,
        /// When the unit packed it: ready for the courier, or for the buyer to pick up.
        packed_at -> Nullable<BigInt>,
        /// Six digits a buyer who picks the parcel up at the unit shows its staff.
        pickup_code -> Nullable<Text>,
    }
}

diesel::table! {
    order_items (id) {
        id -> Integer,
        order_id -> Integer,
        shipment_id -> Integer,
        product_id -> Integer,
        name -> Text,
        unit_price -> BigInt,
        quantity -> Integer,
    }
}

diesel::joinable!(cart_items -> carts (cart_id));
diesel::joinable!(cart_items -> products (product_id));
diesel::joinable!(shipments -> orders (order_id));
diesel::joinable!(shipments -> units (unit_id));
diesel::joinable!(order_items -> shipments (shipment_id));

diesel::table! {
    mail_outbox (id) {
        id -> Integer,
        to_addr -> Text,
        subject_id -> Text,
        subject_en -> Text,
        body_id -> Text,
        body_en -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<BigInt>,
        created_at -> BigInt,
        /// Set when the mail was given up on (a bad address, or too many attempts).
        failed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    events (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        venue -> Text,
        city -> Text,
        starts_on -> Text,
        ends_on -> Text,
        applications_open_on -> Text,
        applications_close_on -> Text,
        description -> Text,
        status -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    booths (id) {
        id -> Integer,
        event_id -> Integer,
        code -> Text,
        hall -> Text,
        kind -> Text,
        width_m -> Integer,
        depth_m -> Integer,
        fee -> BigInt,
        x -> Integer,
        y -> Integer,
    }
}

diesel::joinable!(booths -> events (event_id));

diesel::table! {
    fair_applications (id) {
        id -> Integer,
        event_id -> Integer,
        unit_id -> Integer,
        booth_kind -> Text,
        product_ids -> Text,
        needs_power -> Integer,
        needs_table -> Integer,
        contact_name -> Text,
        contact_phone -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        booth_id -> Nullable<Integer>,
        created_at -> BigInt,
    }
}

diesel::joinable!(fair_applications -> events (event_id));
diesel::joinable!(fair_applications -> units (unit_id));
diesel::joinable!(fair_applications -> booths (booth_id));

diesel::table! {
    payments (id) {
        id -> Integer,
        order_id -> Integer,
        provider -> Text,
        reference -> Text,
        amount -> BigInt,
        status -> Text,
        client_secret -> Nullable<Text>,
        last_error -> Nullable<Text>,
        refund_reference -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        /// When (and by whom) a refund was asked of the provider, before the call.
        refund_requested_at -> Nullable<BigInt>,
        refund_requested_by -> Nullable<Integer>,
        /// Midtrans: the channel the buyer chose (`domain::midtrans::Channel`) and what they
        /// do to pay it (`domain::midtrans::Instructions` as JSON).
        channel -> Nullable<Text>,
        details -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_events (event_id) {
        event_id -> Text,
        provider -> Text,
        event_type -> Text,
        outcome -> Text,
        received_at -> BigInt,
    }
}

diesel::joinable!(payments -> orders (order_id));

diesel::table! {
    /// `sold_on` is the sale's day (YYYY-MM-DD, Asia/Jakarta).
    booth_sales (id) {
        id -> Integer,
        event_id -> Integer,
        unit_id -> Integer,
        booth_id -> Integer,
        product_id -> Integer,
        quantity -> Integer,
        unit_price -> BigInt,
        total -> BigInt,
        method -> Text,
        idempotency_key -> Text,
        recorded_by -> Integer,
        sold_on -> Text,
        created_at -> BigInt,
    }
}

diesel::joinable!(booth_sales -> events (event_id));
diesel::joinable!(booth_sales -> units (unit_id));
diesel::joinable!(booth_sales -> booths (booth_id));
diesel::joinable!(booth_sales -> products (product_id));

diesel::table! {
    /// A dynamic QRIS charge through Midtrans at a fair booth (`models::booth_charge`);
    /// `reference` is its `order_id` at Midtrans, `sale_key` the booth sale's key once paid,
    /// `status` a `domain::fair::BoothChargeStatus`, `total` whole rupiah.
    booth_charges (id) {
        id -> Integer,
        reference -> Text,
        event_id -> Integer,
        unit_id -> Integer,
        booth_id -> Integer,
        product_id -> Integer,
        quantity -> Integer,
        total -> BigInt,
        sale_key -> Text,
        created_by -> Integer,
        status -> Text,
        qr_string -> Nullable<Text>,
        created_at -> BigInt,
        paid_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(booth_charges -> products (product_id));

diesel::table! {
    import_batches (idempotency_key) {
        idempotency_key -> Text,
        unit_id -> Integer,
        products -> Integer,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// The payment settings: accounts buyers transfer into. `unit_id` NULL is the central
    /// account; at most one active central account and one active account per unit.
    bank_accounts (id) {
        id -> Integer,
        unit_id -> Nullable<Integer>,
        bank_name -> Text,
        account_number -> Text,
        holder -> Text,
        /// 1, or 0 for an account no longer paid into.
        active -> Integer,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Per day and unit, what paid shop orders and booth sales came to (`models::rollup`).
    /// `day` is the day in WIB the money came in (`YYYY-MM-DD`); money is whole rupiah.
    daily_unit_sales (day, unit_id) {
        day -> Text,
        unit_id -> Integer,
        province_id -> Integer,
        /// `units.kind` as stored.
        unit_kind -> Text,
        /// Paid shop orders with a parcel of the unit that day.
        orders -> Integer,
        /// Sales at fair booths that day.
        booth_sales -> Integer,
        /// Pieces sold, shop and booth.
        items -> BigInt,
        /// Rupiah of goods (no shipping fee), shop and booth.
        sales -> BigInt,
        /// Distinct shop buyers (by email) that day.
        buyers -> Integer,
        wage -> BigInt,
        pnbp -> BigInt,
        capital -> BigInt,
    }
}

diesel::table! {
    /// What a product needs before it may be sold: products of a category (`scope`
    /// `category`, `target` its slug) or of a kind (`kind`, `target` as `products.kind`) need
    /// one of `documents` (codes joined by `|`) from `applies_from` (ISO day; None: always).
    legal_rules (id) {
        id -> Integer,
        scope -> Text,
        target -> Text,
        documents -> Text,
        applies_from -> Nullable<Text>,
        created_by -> Nullable<Integer>,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// A unit's record that its wage share of `month` (`YYYY-MM`, WIB) was paid out or its
    /// PNBP share deposited (`kind` `wage` or `pnbp`; `ntpn` the deposit's number). Never
    /// changed: a correction is a new row naming the one it replaces (`corrects_id`).
    payouts (id) {
        id -> Integer,
        unit_id -> Integer,
        month -> Text,
        kind -> Text,
        amount -> BigInt,
        paid_on -> Text,
        ntpn -> Nullable<Text>,
        corrects_id -> Nullable<Integer>,
        recorded_by -> Integer,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// When a roll-up last ran (UTC unix seconds) and the latest day it covered.
    rollup_runs (name) {
        name -> Text,
        last_day -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Per day and product, what paid shop orders and booth sales came to (`models::rollup`,
    /// made again with `daily_unit_sales`). `unit_id`, `province_id` and `unit_kind` are the
    /// unit's when the day was rolled up; money is whole rupiah.
    daily_product_sales (day, product_id) {
        day -> Text,
        product_id -> Integer,
        unit_id -> Integer,
        province_id -> Integer,
        /// `units.kind` as stored.
        unit_kind -> Text,
        /// Pieces sold, shop and booth.
        items -> BigInt,
        /// Rupiah of goods, shop and booth.
        sales -> BigInt,
    }
}

diesel::table! {
    /// A product's `daily_product_sales` of a calendar year added up; its unit, province and
    /// kind those of the last day it sold that year.
    yearly_product_sales (year, product_id) {
        year -> Integer,
        product_id -> Integer,
        unit_id -> Integer,
        province_id -> Integer,
        unit_kind -> Text,
        items -> BigInt,
        sales -> BigInt,
    }
}

diesel::table! {
    /// What the oversight dashboard shows of each unit's legal documents and listings, as of
    /// the last refresh (`models::oversight::refresh_snapshot`).
    unit_oversight (unit_id) {
        unit_id -> Integer,
        /// Published food and drink products.
        food -> Integer,
        /// Of them, with a valid P-IRT or BPOM MD.
        permit -> Integer,
        /// Of them, with a valid Halal certificate.
        halal -> Integer,
        /// 1 with a valid HKI, else 0.
        hki -> Integer,
        /// Verified documents expiring within `EXPIRY_DAYS` days of the refresh.
        expiring -> Integer,
        /// Published products.
        published -> Integer,
        /// Of them, with `MIN_PHOTOS` photos and their size.
        complete -> Integer,
    }
}

diesel::table! {
    /// Published products per unit and category, as of the last refresh.
    unit_category_products (unit_id, category_id) {
        unit_id -> Integer,
        category_id -> Integer,
        published -> Integer,
    }
}

diesel::joinable!(daily_unit_sales -> units (unit_id));
diesel::joinable!(daily_unit_sales -> provinces (province_id));

diesel::table! {
    /// Months a unit's payouts are closed for: only corrections from then on.
    payout_months_closed (unit_id, month) {
        unit_id -> Integer,
        month -> Text,
        closed_by -> Integer,
        closed_at -> BigInt,
    }
}

diesel::table! {
    /// Synonyms administrators added (`/kelola/sinonim`, `domain::synonyms`): `word` finds
    /// `synonyms` (words joined by commas) too; `two_way` 1: each synonym also finds the word
    /// and the other synonyms.
    search_synonyms (id) {
        id -> Integer,
        word -> Text,
        synonyms -> Text,
        two_way -> Integer,
        created_by -> Nullable<Integer>,
        created_at -> BigInt,
    }
}

diesel::table! {
    /// Per day (WIB, `YYYY-MM-DD`) and query (its words as the index stores them): first-page
    /// searches on `/cari`, those that found nothing, what the last one found. `clicks` stays 0
    /// (kept for a later count). Purged after 90 days (`domain::search_stats::KEEP_DAYS`).
    search_queries (query, day) {
        query -> Text,
        day -> Text,
        searches -> Integer,
        zero_results -> Integer,
        last_count -> Integer,
        clicks -> Integer,
    }
}
