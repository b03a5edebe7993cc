//! Waking the outbox workers instead of polling the database.
//!
//! A write that queues rows in an outbox says so inside its transaction (`note_queued`). In this
//! process, `db::blocking` wakes the outbox's worker as soon as that work returned, that is
//! after it committed. On PostgreSQL the same call also sends `NOTIFY`, which PostgreSQL
//! delivers at commit to every process listening (`listen`): a worker or another web instance
//! on the same database. The workers still look once every `FALLBACK` (two minutes) for rows
//! queued where neither signal reaches them (a command run by hand on SQLite), and sleep until
//! a retry comes due; an idle shop costs the database a statement per outbox every two minutes.
//! Where writes that matter go unheard, they look every `FALLBACK_UNHEARD` (30 s): while the
//! PostgreSQL listener is not connected (it wakes every worker when it loses its connection),
//! and on SQLite in a process that runs only the web or only the jobs, which cannot hear the
//! other's writes at all (`others_unheard`).
//!
//! The same listener carries catalogue changes between processes, so that the cached pages of
//! every instance follow a change made through any of them. A catalogue write moves this
//! process's catalogue generation on once it committed (`db::blocking`); the listener sees the
//! count of such commits move and sends `NOTIFY etalase_catalog` (one for however many commits
//! came since it last looked), and the listener of every other process moves its own
//! generation on when it hears it: their cached pages are dropped within two read intervals,
//! well under a second. A listener that (re)connects moves the generation on too, since it may
//! have missed notifications. The slow fallback is the page cache's own limit: no page is kept
//! longer than `PAGE_CACHE_SECONDS`, which bounds how long a change no notification told of (a
//! command run by hand, a listener without its connection) goes unseen.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use diesel::prelude::*;
use tokio::sync::Notify;

use super::DbConnection;

/// How long an outbox worker sleeps when nothing wakes it and every write that queues a row
/// wakes it: the look only catches rows queued by a command run by hand.
pub const FALLBACK: Duration = Duration::from_secs(120);

/// How long it sleeps when writes that queue rows may go unheard (`fallback`).
pub const FALLBACK_UNHEARD: Duration = Duration::from_secs(30);

/// On SQLite, a web instance without jobs or a worker: the other queues rows unheard.
static OTHERS_UNHEARD: AtomicBool = AtomicBool::new(false);
/// A PostgreSQL listener was started and is not (yet, or no longer) listening.
static LISTENER_DOWN: AtomicBool = AtomicBool::new(false);

/// Says that this process runs workers for writes made in other processes that no signal
/// reaches (`etalase worker`, or `serve --no-jobs` with its embedded search indexer, on
/// SQLite): they look every `FALLBACK_UNHEARD`.
pub fn others_unheard() {
    OTHERS_UNHEARD.store(true, Ordering::Release);
}

/// How long an outbox worker sleeps now when nothing wakes it.
pub fn fallback() -> Duration {
    if OTHERS_UNHEARD.load(Ordering::Acquire) || LISTENER_DOWN.load(Ordering::Acquire) {
        FALLBACK_UNHEARD
    } else {
        FALLBACK
    }
}

/// How often the listener reads notifications that arrived on its connection and announces
/// this process's catalogue changes. Reading them is local (no statement reaches the
/// database); a `NOTIFY` is sent only when a catalogue write committed meanwhile.
const LISTEN_READ_EVERY: Duration = Duration::from_millis(100);

/// The PostgreSQL channel on which a process says that catalogue writes of its own committed;
/// the payload is the process's mark (`process_mark`).
pub const CATALOG_CHANNEL: &str = "etalase_catalog";

/// What this process writes in its catalogue notifications, so that its own listener passes
/// over them (the generation moved on at the commit already). Random, since process ids repeat
/// from one host to the next.
fn process_mark() -> &'static str {
    static MARK: OnceLock<String> = OnceLock::new();
    MARK.get_or_init(|| format!("{:016x}", fastrand::u64(..)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outbox {
    Search,
    Mail,
}

struct Slot {
    /// Rows queued in this process, counted inside their transaction.
    queued: AtomicU64,
    wake: Notify,
}

static SEARCH: Slot = Slot {
    queued: AtomicU64::new(0),
    wake: Notify::const_new(),
};
static MAIL: Slot = Slot {
    queued: AtomicU64::new(0),
    wake: Notify::const_new(),
};

impl Outbox {
    pub const ALL: [Outbox; 2] = [Outbox::Search, Outbox::Mail];

    /// The PostgreSQL channel that carries this outbox's wake-ups between processes.
    pub fn channel(self) -> &'static str {
        match self {
            Outbox::Search => "etalase_search_outbox",
            Outbox::Mail => "etalase_mail_outbox",
        }
    }

    fn slot(self) -> &'static Slot {
        match self {
            Outbox::Search => &SEARCH,
            Outbox::Mail => &MAIL,
        }
    }

    fn by_channel(channel: &str) -> Option<Outbox> {
        Outbox::ALL.into_iter().find(|o| o.channel() == channel)
    }
}

/// Says that the work under way queues rows in `outbox`. Call it inside the transaction that
/// queues them.
pub fn note_queued(conn: &mut DbConnection, outbox: Outbox) -> QueryResult<()> {
    outbox.slot().queued.fetch_add(1, Ordering::AcqRel);
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(format!("NOTIFY {}", outbox.channel())).execute(pg)?;
    }
    Ok(())
}

/// The queued counters, to compare before and after a piece of work.
pub(crate) fn queued() -> [u64; 2] {
    Outbox::ALL.map(|o| o.slot().queued.load(Ordering::Acquire))
}

/// Wakes the worker of every outbox whose counter moved since `before`.
pub(crate) fn wake_queued_since(before: [u64; 2]) {
    for (outbox, was) in Outbox::ALL.into_iter().zip(before) {
        if outbox.slot().queued.load(Ordering::Acquire) != was {
            wake(outbox);
        }
    }
}

/// Wakes `outbox`'s worker. A wake-up with nobody waiting is kept for the next wait.
pub fn wake(outbox: Outbox) {
    outbox.slot().wake.notify_one();
}

/// Sleeps until `outbox`'s worker is woken or `at_most` has passed.
pub async fn wait(outbox: Outbox, at_most: Duration) {
    let _ = actix_web::rt::time::timeout(at_most, outbox.slot().wake.notified()).await;
}

/// How long a worker sleeps when its next row comes due at `next_due_ms` (milliseconds since
/// the epoch, `None` when nothing waits): until then, at most `fallback()`.
pub fn sleep_until(next_due_ms: Option<i64>, now_ms: i64) -> Duration {
    let fallback = fallback();
    match next_due_ms {
        Some(due) => Duration::from_millis((due - now_ms).max(0) as u64).min(fallback),
        None => fallback,
    }
}

/// On PostgreSQL: a thread with a connection of its own that listens on the outbox channels
/// and wakes this process's workers, and carries catalogue changes both ways: it announces
/// this process's on `CATALOG_CHANNEL` and moves the catalogue generation on when another
/// process announces one. It reconnects after an error, and then wakes every worker and moves
/// the generation on, since notifications may have been missed meanwhile; commits made while it
/// was away are announced once it is back.
pub fn listen(url: String) {
    LISTENER_DOWN.store(true, Ordering::Release);
    let spawned = std::thread::Builder::new()
        .name("db-listen".into())
        .spawn(move || {
            let mut announced = super::catalog_commits();
            loop {
                match listen_once(&url, &mut announced) {
                    Ok(()) => {}
                    Err(e) => tracing::warn!(error = %e, "database listener lost its connection"),
                }
                // Until it is back, the workers look for themselves every `FALLBACK_UNHEARD`.
                LISTENER_DOWN.store(true, Ordering::Release);
                Outbox::ALL.into_iter().for_each(wake);
                std::thread::sleep(Duration::from_secs(5));
            }
        });
    if let Err(e) = spawned {
        tracing::error!(
            error = %e,
            "database listener not started; workers fall back to polling and cached pages to \
             their time limit"
        );
    }
}

/// Listens until the connection fails. `announced` is the count of this process's catalogue
/// commits that other processes were told of.
fn listen_once(url: &str, announced: &mut u64) -> Result<(), String> {
    let mut conn = diesel::PgConnection::establish(url).map_err(|e| e.to_string())?;
    let channels = Outbox::ALL.map(Outbox::channel);
    for channel in channels.into_iter().chain([CATALOG_CHANNEL]) {
        diesel::sql_query(format!("LISTEN {channel}"))
            .execute(&mut conn)
            .map_err(|e| e.to_string())?;
    }
    LISTENER_DOWN.store(false, Ordering::Release);
    // Rows queued while this process was not listening went unheard: every worker looks now,
    // and then sleeps as long as a listening process does.
    Outbox::ALL.into_iter().for_each(wake);
    // Catalogue changes made elsewhere while this process was not listening went unheard.
    super::catalog_changed_elsewhere();
    loop {
        let commits = super::catalog_commits();
        if commits != *announced {
            diesel::sql_query(format!("NOTIFY {CATALOG_CHANNEL}, '{}'", process_mark()))
                .execute(&mut conn)
                .map_err(|e| e.to_string())?;
            *announced = commits;
        }
        for notification in conn.notifications_iter() {
            let notification = notification.map_err(|e| e.to_string())?;
            if notification.channel == CATALOG_CHANNEL {
                if notification.payload != process_mark() {
                    super::catalog_changed_elsewhere();
                }
            } else if let Some(outbox) = Outbox::by_channel(&notification.channel) {
                wake(outbox);
            }
        }
        std::thread::sleep(LISTEN_READ_EVERY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_sleeps_until_its_next_row_is_due_and_never_longer_than_the_fallback() {
        assert_eq!(sleep_until(None, 1_000), FALLBACK);
        assert_eq!(sleep_until(Some(1_500), 1_000), Duration::from_millis(500));
        assert_eq!(sleep_until(Some(500), 1_000), Duration::ZERO);
        assert_eq!(sleep_until(Some(1_000 + 3_600_000), 1_000), FALLBACK);
    }

    #[actix_web::test]
    async fn a_wake_up_given_before_the_worker_waits_is_not_lost() {
        wake(Outbox::Mail);
        let started = std::time::Instant::now();
        wait(Outbox::Mail, Duration::from_secs(5)).await;
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
