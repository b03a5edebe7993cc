//! Rows and every query, one file per aggregate. SQL lives here and in `db/` only.

pub mod audit;
pub mod bank_account;
pub mod booth_charge;
pub mod booth_sale;
pub mod cart;
pub mod catalog;
pub mod certification;
pub mod dashboard;
pub mod fair;
pub mod legal;
pub mod mail_outbox;
pub mod order;
pub mod oversight;
pub mod payment;
pub mod payout;
pub mod product;
pub mod rollup;
pub mod search_outbox;
pub mod search_query;
pub mod search_synonym;
pub mod sitemap;
pub mod unit;
pub mod user;

/// Today's date in UTC as ISO text, the form dates are stored in.
pub fn today_iso() -> String {
    chrono::Utc::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// `bytes` random bytes from the operating system, as hex.
pub fn random_hex(bytes: usize) -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    crate::domain::to_hex(&buf)
}

/// A fresh secret of kind `S`, from the operating system's random bytes.
pub fn fresh<S: crate::domain::Secret>() -> S {
    S::parse(&random_hex(S::BYTES)).expect("fresh random hex is a valid secret")
}

/// The current time as UTC unix seconds.
pub fn now_ts() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Says that the database work under way changes what catalogue pages show (see
/// `db::note_catalog_write`). Every write that queues products for the search index says so.
pub use crate::db::note_catalog_write;

/// The connection model functions take; handlers and workflows hand it through without
/// reaching into `db` themselves.
pub use crate::db::DbConnection;

/// Asks the database for an answer (`SELECT 1`); gives the backend's name.
pub fn ping(conn: &mut DbConnection) -> diesel::QueryResult<&'static str> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("SELECT 1")?;
    Ok(crate::db::dialect::backend_name(conn))
}
