//! The only code that differs per backend.

use diesel::RunQueryDsl;

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

/// Loads a select of queued rows for the worker that claims them, inside its write
/// transaction. On PostgreSQL the select ends in `FOR UPDATE SKIP LOCKED`: the rows stay
/// locked until the transaction ends and rows another worker's transaction holds are passed
/// over, so workers of several processes claiming at once each take different rows and never
/// wait for one another. On SQLite the same select runs plain: its write transaction (`BEGIN
/// IMMEDIATE`, `db::write_transaction`) holds the whole database, one worker at a time.
/// `$query` is a select of one table without `DISTINCT` or `GROUP BY`.
#[macro_export]
macro_rules! load_skip_locked {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgres(pg) => diesel::RunQueryDsl::load(
                diesel::QueryDsl::skip_locked(diesel::QueryDsl::for_update($query)),
                pg,
            ),
            $crate::db::DbConnection::Sqlite(sqlite) => diesel::RunQueryDsl::load($query, sqlite),
        }
    };
}

/// A background job whose whole round only one worker at a time may do (`try_job_lock`).
/// Work claimed row by row (mail, the search outbox, reminders, unpaid orders) needs none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Marking the documents that expired (`models::certification::mark_expired`).
    DocumentExpiry,
}

impl Job {
    /// The job's PostgreSQL advisory lock key: `ETAL` in the upper half, so the shop's keys
    /// stay apart from those of anything else on the same server, the job in the lower half.
    pub fn lock_key(self) -> i64 {
        const ETALASE: i64 = 0x4554_414C << 32;
        ETALASE
            | match self {
                Job::DocumentExpiry => 1,
            }
    }
}

/// Call first inside the job's write transaction: whether this worker does `job`'s round now.
/// On PostgreSQL it takes the job's transaction-level advisory lock without waiting
/// (`pg_try_advisory_xact_lock`): false while another worker's transaction holds it, and that
/// worker is doing the round, so this one skips it. PostgreSQL releases the lock when the
/// transaction ends; a worker that takes it after the other committed sees what that one did.
/// On SQLite always true: the write transaction holds the whole database, so two rounds never
/// overlap.
pub fn try_job_lock(conn: &mut DbConnection, job: Job) -> diesel::QueryResult<bool> {
    #[derive(diesel::QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<diesel::sql_types::BigInt, _>(job.lock_key())
                .get_result::<Locked>(pg)
                .map(|row| row.locked)
        }
        DbConnection::Sqlite(_) => Ok(true),
    }
}
