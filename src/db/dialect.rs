//! The only code that differs per backend.

use super::DbConnection;

/// A short name of the backend, for the health endpoint and logs.
pub fn backend_name(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgres(_) => "postgresql",
        DbConnection::Sqlite(_) => "sqlite",
    }
}

/// Runs the same diesel code on the concrete connection of either backend, for statements the
/// portable connection type cannot express (such as multi-row inserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}
