//! Database access: one connection type over SQLite and PostgreSQL, chosen at run time by the
//! scheme of `DATABASE_URL`, a pool whose manager reports the real connection error, and the
//! embedded migrations of both backends.

pub mod dialect;
pub mod schema;
pub mod wake;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection};
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::AppError;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<DbManager>;
pub type PooledConn = r2d2::PooledConnection<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs `f` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE` (what diesel's
/// `SqliteConnection::immediate_transaction` does), so the write lock is taken at once:
/// concurrent buyers queue on the busy timeout instead of failing when a read transaction
/// tries to become a write one. On PostgreSQL, an ordinary transaction.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConnection::Sqlite(sqlite) = conn else {
        return conn.transaction(f);
    };
    // Inside another transaction the lock is already held: a savepoint, as usual.
    let depth = AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth();
    if !matches!(depth, Ok(None)) {
        return conn.transaction(f);
    }
    // `f` works with the whole connection; the transaction state it sees is the SQLite
    // connection's own, so nested transactions inside it become savepoints as usual.
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    let out = f(conn);
    let DbConnection::Sqlite(sqlite) = conn else {
        unreachable!("the connection is SQLite")
    };
    match out {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(sqlite)?;
            Ok(value)
        }
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(sqlite)?;
            Err(e)
        }
    }
}

/// Brings the planner's statistics and PostgreSQL's visibility map up to date after a bulk
/// write (seeding, a large import): `VACUUM (ANALYZE)`. Autovacuum would get there in its own
/// time; until then the planner believes the tables are as small as they were (it sorted a
/// whole category for four related products) and cannot read counts from an index alone.
/// Must run outside a transaction. SQLite keeps no statistics by default.
pub fn refresh_statistics(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Postgres(_) => conn.batch_execute("VACUUM (ANALYZE)"),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// Which backend a `DATABASE_URL` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    /// A path to a SQLite file (or `:memory:`).
    Sqlite(String),
}

impl DatabaseUrl {
    /// The PostgreSQL URL to listen on for notifications (none on SQLite, where every writer
    /// is in this process).
    pub fn listen_url(&self) -> Option<String> {
        match self {
            DatabaseUrl::Postgres(url) => Some(url.clone()),
            DatabaseUrl::Sqlite(_) => None,
        }
    }

    /// Parses `postgres://…`, `postgresql://…`, `sqlite://path`, `sqlite:path` or a bare path
    /// ending in `.db`/`.sqlite`. Anything else is refused with a message naming the problem.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("DATABASE_URL is empty".into());
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self::Postgres(raw.to_string()));
        }
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("DATABASE_URL sqlite: names no file".into());
            }
            return Ok(Self::Sqlite(path.to_string()));
        }
        if !raw.contains("://") && (raw.ends_with(".db") || raw.ends_with(".sqlite")) {
            return Ok(Self::Sqlite(raw.to_string()));
        }
        let scheme = raw.split(':').next().unwrap_or(raw);
        Err(format!(
            "DATABASE_URL has an unsupported scheme `{scheme}`: use postgres://user@host/db or sqlite://path/to/file.db"
        ))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Self::Sqlite(_))
    }
}

/// An r2d2 manager that opens the right backend and keeps the backend's real error.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
    /// SQLite's `synchronous` setting: `FULL` (the default: a commit survives a power cut)
    /// or `NORMAL` (`SQLITE_SYNCHRONOUS=normal`: faster, but the last commits can be lost on
    /// power loss; see BENCHMARKS.md).
    synchronous: &'static str,
    /// SQLite's page cache per pooled connection, in KiB (`SQLITE_CACHE_KB`, default 500,
    /// from 500 to 262144): resident memory grows by up to this much per connection as the
    /// database grows. Pages it does not hold come from the system's file cache; with 500 KiB
    /// the catalogue costs no more CPU than with 4,000 and the soak's memory stays flat
    /// (BENCHMARKS.md, 2026-12-06).
    cache_kib: u32,
    /// How much of the SQLite file is read through a memory map, in MiB (`SQLITE_MMAP_MB`,
    /// default 256, `0` for none): pages come straight from the system's file cache, with no
    /// `pread` and copy for each page the small page cache above has to let go, and no memory
    /// of the process's own (the mapped pages are the file cache's, shared and reclaimable).
    /// It took a fifth of a listing's CPU at 50,000 products (BENCHMARKS.md, 2026-12-07,
    /// twelfth session).
    mmap_mib: u32,
}

impl DbManager {
    pub fn new(url: DatabaseUrl) -> Self {
        let synchronous = match std::env::var("SQLITE_SYNCHRONOUS").as_deref() {
            Ok("normal") | Ok("NORMAL") => "NORMAL",
            _ => "FULL",
        };
        // Unset or not a number: the default.
        let number = |key: &str| std::env::var(key).ok()?.trim().parse::<u32>().ok();
        let cache_kib = number("SQLITE_CACHE_KB").map_or(500, |kib| kib.clamp(500, 262_144));
        let mmap_mib = number("SQLITE_MMAP_MB").map_or(256, |mib| mib.min(2_047));
        Self {
            url,
            synchronous,
            cache_kib,
            mmap_mib,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database check failed: {0}")]
    Query(#[from] diesel::result::Error),
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = ManagerError;

    fn connect(&self) -> Result<DbConnection, ManagerError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                // diesel keeps each statement prepared on its connection; PostgreSQL would still
                // plan it again on every run wherever a generic plan looks dearer than a custom
                // one, which a `LIMIT $n` always does (it is costed as a tenth of the rows):
                // planning cost more than running on every public page (BENCHMARKS.md,
                // 2026-12-07). The generic plans are checked by `tests/plans.rs`.
                conn.batch_execute("SET plan_cache_mode = force_generic_plan")?;
                conn.set_instrumentation(ClosedWatch {
                    closed: false,
                    inner: diesel::connection::get_default_instrumentation(),
                });
                Ok(DbConnection::Postgres(conn))
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path)?;
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
                     PRAGMA synchronous = {}; PRAGMA foreign_keys = ON; \
                     PRAGMA cache_size = -{}; PRAGMA mmap_size = {};",
                    self.synchronous,
                    self.cache_kib,
                    u64::from(self.mmap_mib) << 20
                ))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ManagerError> {
        conn.batch_execute("SELECT 1")?;
        Ok(())
    }

    /// A PostgreSQL connection the server closed (a restart, a network cut) is dropped when it
    /// comes back to the pool, instead of failing every request it is handed to.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgres(c) => c
                .instrumentation()
                .downcast_ref::<ClosedWatch>()
                .is_some_and(|watch| watch.closed),
            DbConnection::Sqlite(_) => false,
        }
    }
}

/// Watches a PostgreSQL connection's statements for the error that says the connection itself
/// is gone, for `DbManager::has_broken` (libpq does not reconnect by itself). Every event also
/// reaches the instrumentation diesel would have installed (the tests count statements with
/// it).
struct ClosedWatch {
    closed: bool,
    inner: Option<Box<dyn diesel::connection::Instrumentation>>,
}

impl diesel::connection::Instrumentation for ClosedWatch {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::FinishQuery {
            error:
                Some(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ClosedConnection,
                    _,
                )),
            ..
        } = &event
        {
            self.closed = true;
        }
        if let Some(inner) = &mut self.inner {
            inner.on_connection_event(event);
        }
    }
}

/// Creates a folder (and its parents) that only the shop's user may enter (0700). A folder
/// that already exists keeps its mode: the operator may have chosen it.
pub fn private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

/// Creates an empty file readable and writable by the shop's user only (0600), unless it
/// exists already.
pub fn private_file(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Builds the pool and opens one connection at once, so a wrong URL stops start-up with the
/// backend's own message instead of a pool time-out.
pub fn build_pool(url: &DatabaseUrl, max_size: u32) -> Result<Pool, AppError> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(dir) = std::path::Path::new(path).parent() {
            if !dir.as_os_str().is_empty() {
                private_dir(dir).map_err(|e| {
                    AppError::Config(format!("cannot create the folder of {path}: {e}"))
                })?;
            }
        }
        // Created readable by the shop's own user only; SQLite gives its -wal and -shm files
        // the same mode.
        private_file(std::path::Path::new(path))
            .map_err(|e| AppError::Config(format!("cannot create {path}: {e}")))?;
    }
    let manager = DbManager::new(url.clone());
    manager
        .connect()
        .map_err(|e| AppError::Config(e.to_string()))?;
    r2d2::Pool::builder()
        .max_size(max_size)
        .test_on_check_out(false)
        .connection_timeout(std::time::Duration::from_secs(10))
        // Idle connections are kept, not closed after 10 minutes and opened again at once to
        // keep the pool full (r2d2's default): on PostgreSQL each opening costs a backend and
        // three statements (time zone, encoding, plan mode), 24 every ten minutes on an idle
        // shop. A connection is still replaced after an hour, and as soon as it comes back
        // from a statement that found it closed by the server (`has_broken`).
        .idle_timeout(None)
        .max_lifetime(Some(std::time::Duration::from_secs(3600)))
        .build(manager)
        .map_err(|e| AppError::Config(format!("cannot build the database pool: {e}")))
}

/// Applies every pending migration of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, AppError> {
    let applied = match conn {
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| AppError::Internal(format!("migration failed: {e}")))?;
    Ok(applied.len())
}

/// Writes to the public catalogue made by this process, counted as they are made (inside their
/// transaction), and the catalogue generation, which moves on after such a write committed here
/// or, on PostgreSQL, when another process says it made one (`wake::listen`).
static CATALOG_WRITES: AtomicU64 = AtomicU64::new(0);
static CATALOG_GENERATION: AtomicU64 = AtomicU64::new(0);
/// Catalogue writes of this process that committed, for `wake::listen` to announce to the
/// other processes on the same PostgreSQL database.
static CATALOG_COMMITS: AtomicU64 = AtomicU64::new(0);

/// Says that the database work under way changes what catalogue pages show. `blocking` moves
/// the catalogue generation on once that work has returned, that is after it committed.
pub fn note_catalog_write() {
    CATALOG_WRITES.fetch_add(1, Ordering::AcqRel);
}

/// The catalogue generation: a page read at one generation is stale at any later one.
pub fn catalog_generation() -> u64 {
    CATALOG_GENERATION.load(Ordering::Acquire)
}

/// Moves the catalogue generation on after a catalogue write of this process committed; on
/// PostgreSQL `wake::listen` then tells the other processes.
pub fn catalog_committed() {
    CATALOG_COMMITS.fetch_add(1, Ordering::AcqRel);
    CATALOG_GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// Moves the catalogue generation on because another process changed the catalogue (or may
/// have, while this one was not listening). Not announced again.
pub(crate) fn catalog_changed_elsewhere() {
    CATALOG_GENERATION.fetch_add(1, Ordering::AcqRel);
}

/// How many catalogue writes of this process have committed.
pub(crate) fn catalog_commits() -> u64 {
    CATALOG_COMMITS.load(Ordering::Acquire)
}

/// Runs blocking database work on the blocking thread pool. When the work wrote to the
/// catalogue (`note_catalog_write`), the catalogue generation moves on as soon as it returned,
/// so no page read before the commit is served from a cache again; when it queued outbox rows
/// (`wake::note_queued`), their worker is woken.
pub async fn blocking<T, F>(pool: &Pool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        let before = CATALOG_WRITES.load(Ordering::Acquire);
        let queued = wake::queued();
        let out = f(&mut conn);
        if CATALOG_WRITES.load(Ordering::Acquire) != before {
            catalog_committed();
        }
        wake::wake_queued_since(queued);
        out
    })
    .await?
}

/// Runs read-only database work for a page. On SQLite it runs right here on the worker: WAL
/// readers never wait for a lock, and the query is cheaper than the hop to the blocking pool
/// and back (a fifth of a listing page's CPU). On PostgreSQL, where a query is a network round
/// trip, it goes to the blocking pool like `blocking`.
pub async fn read<T, F>(pool: &Pool, sqlite: bool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    if sqlite {
        let mut conn = pool.get()?;
        f(&mut conn)
    } else {
        blocking(pool, f).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_write_transactions_that_read_before_writing_both_commit_on_sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("race.db").display().to_string());
        let pool = build_pool(&url, 4).unwrap();
        pool.get()
            .unwrap()
            .batch_execute("CREATE TABLE tally (n INTEGER NOT NULL); INSERT INTO tally VALUES (0);")
            .unwrap();
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let (pool, barrier) = (pool.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = pool.get().unwrap();
                    barrier.wait();
                    write_transaction(&mut conn, |c| {
                        // Read first, as stock checks do, then write a moment later: a
                        // transaction that began as a reader could not become the writer.
                        c.batch_execute("SELECT n FROM tally")?;
                        std::thread::sleep(std::time::Duration::from_millis(150));
                        c.batch_execute("UPDATE tally SET n = n + 1")
                    })
                })
            })
            .collect();
        for writer in writers {
            writer.join().unwrap().expect("each writer commits");
        }
        #[derive(diesel::QueryableByName)]
        struct Tally {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            n: i32,
        }
        use diesel::RunQueryDsl;
        let tally: Tally = diesel::sql_query("SELECT n FROM tally")
            .get_result(&mut pool.get().unwrap())
            .unwrap();
        assert_eq!(tally.n, 2);
    }

    #[test]
    fn a_write_transaction_inside_another_is_a_savepoint_that_can_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("nested.db").display().to_string());
        let mut conn = build_pool(&url, 1).unwrap().get().unwrap();
        conn.batch_execute("CREATE TABLE tally (n INTEGER NOT NULL)")
            .unwrap();
        let outer: Result<(), diesel::result::Error> = write_transaction(&mut conn, |c| {
            c.batch_execute("INSERT INTO tally VALUES (1)")?;
            let inner: Result<(), diesel::result::Error> = write_transaction(c, |c| {
                c.batch_execute("INSERT INTO tally VALUES (2)")?;
                Err(diesel::result::Error::RollbackTransaction)
            });
            assert!(inner.is_err());
            write_transaction(c, |c| c.batch_execute("INSERT INTO tally VALUES (3)"))
        });
        outer.unwrap();
        #[derive(diesel::QueryableByName)]
        struct Total {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            total: i64,
        }
        use diesel::RunQueryDsl;
        let sum: Total = diesel::sql_query("SELECT SUM(n) AS total FROM tally")
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(
            sum.total, 4,
            "the inner failure rolled back only its own row"
        );
    }
}
