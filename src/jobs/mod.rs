//! Background work, apart from the web: the mail sender, payment expiry, the daily jobs
//! (document expiry and reminders, idle carts, old search counts), the daily sales roll-ups
//! and the search indexer. Each loop claims what is due, does the work and commits, then
//! sleeps.
//!
//! `etalase serve` runs the web and these jobs in one process; `etalase serve --no-jobs` runs
//! only the web and `etalase worker` only the jobs, against the same database. The embedded
//! search index lives in one process's memory and files, so its indexer stays with the web
//! instance that serves it; a worker runs the indexer only for Meilisearch.
//!
//! Several processes may run these loops against one database (instances started with
//! `serve`, or a worker beside them), so each piece of work is claimed before it is done and
//! none is done twice: a mail, a search outbox row (`FOR UPDATE SKIP LOCKED` on PostgreSQL), an
//! unpaid order, a reminder and a provider payment to close by a conditional update; the round
//! that marks expired documents by a PostgreSQL advisory lock (`db::dialect::try_job_lock`); a
//! roll-up waits on its run's row (`models::rollup::note_run`) and then finds nothing left to
//! change.

use std::time::Duration;

use actix_web::rt::task::JoinHandle;

use crate::config::Settings;
use crate::db::Pool;
use crate::error::AppError;
use crate::search::Engine;
use crate::services::mail::{MailTemplates, Mailer};
use crate::services::metrics::JobRun;
use crate::services::payments::Payments;

/// What the jobs need: the database and the outside services, not the web.
#[derive(Clone)]
pub struct Jobs {
    pub db: Pool,
    pub mailer: Mailer,
    /// The mail templates, for the mail the daily jobs queue.
    pub mail: MailTemplates,
    pub payments: Payments,
    /// The engine whose outbox these jobs deliver. A worker has it only for Meilisearch: the
    /// embedded index is updated by the web instance that serves it.
    pub search: Option<Engine>,
    /// Whether the web instance holds the embedded index (its indexer runs there).
    pub embedded_search: bool,
    pub cart_idle_days: i64,
    /// On PostgreSQL, the database to listen on for outbox wake-ups and catalogue changes
    /// from other processes (`db::wake::listen`).
    pub listen_url: Option<String>,
}

/// Which loops a process runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `serve`: everything.
    WebAndJobs,
    /// `serve --no-jobs`: only what must stay with the web (the embedded indexer).
    WebOnly,
    /// `worker`: every job except the embedded indexer.
    Worker,
}

impl Jobs {
    /// The jobs of a worker process: opens the mailer, the payment providers and, when search
    /// is Meilisearch, the engine. (The embedded index takes a writer lock that belongs to the
    /// web instance serving it.)
    pub fn open(settings: &Settings, pool: Pool) -> Result<Self, AppError> {
        let search = match settings.meili {
            Some(_) => Some(crate::search::open_engine(settings)?.engine),
            None => None,
        };
        Ok(Self {
            db: pool,
            mailer: Mailer::new(
                settings.data_dir.join("mail-outbox"),
                settings.smtp_url.as_deref(),
            )?,
            mail: MailTemplates::load(settings.bank.clone())?,
            payments: Payments::new(settings.stripe.as_ref(), settings.midtrans.as_ref())
                .map_err(|e| AppError::Config(format!("payments: {e}")))?,
            embedded_search: search.is_none(),
            search,
            cart_idle_days: settings.limits.cart_idle_days,
            listen_url: settings.database_url.listen_url(),
        })
    }

    /// Starts the loops `role` runs on the current actix system; abort the handles to stop.
    pub fn spawn(&self, role: Role) -> Vec<JoinHandle<()>> {
        let mut running = Vec::new();
        let indexer = match role {
            Role::WebAndJobs => true,
            Role::WebOnly => self.embedded_search,
            Role::Worker => !self.embedded_search,
        };
        if let Some(engine) = self.search.clone().filter(|_| indexer) {
            running.push(actix_web::rt::spawn(crate::services::indexer::run(
                self.db.clone(),
                engine,
            )));
        } else if role == Role::Worker {
            tracing::info!("the embedded search index is updated by the web instance");
        }
        // Every process on PostgreSQL listens, a web instance without jobs too: the listener
        // also carries catalogue changes between processes (their cached pages).
        if let Some(url) = self.listen_url.clone() {
            crate::db::wake::listen(url);
        } else if role != Role::WebAndJobs {
            // On SQLite, the web and the jobs in two processes: the writes of one reach the
            // workers of the other by no signal.
            crate::db::wake::others_unheard();
        }
        if role != Role::WebOnly {
            running.push(actix_web::rt::spawn(mail_sender(self.clone())));
            running.push(actix_web::rt::spawn(payment_expiry(self.clone())));
            running.push(actix_web::rt::spawn(daily(self.clone())));
            running.push(actix_web::rt::spawn(rollups(self.clone())));
        }
        running
    }
}

/// Sends the mail waiting in the outbox (retrying with backoff), then sleeps until a mail is
/// queued (`db::wake`), the next retry comes due, or `wake::fallback()` has passed.
async fn mail_sender(jobs: Jobs) {
    use crate::db::wake::{self, Outbox};
    loop {
        let mut run = JobRun::start("mail_sender");
        let mailer = jobs.mailer.clone();
        let next_due = match crate::db::blocking(&jobs.db, move |c| {
            crate::services::mail::deliver(c, &mailer)
        })
        .await
        {
            Ok(delivery) => delivery.next_due.map(|s| s * 1000),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "mail outbox failed");
                None
            }
        };
        run.finish();
        let now_ms = crate::models::now_ts() * 1000;
        wake::wait(Outbox::Mail, wake::sleep_until(next_due, now_ms)).await;
    }
}

/// Every minute: cancel unpaid orders whose payment time ran out and release their stock, then
/// close the provider payments (Stripe, Midtrans) of ended orders.
async fn payment_expiry(jobs: Jobs) {
    loop {
        let mut run = JobRun::start("payment_expiry");
        let now = crate::models::now_ts();
        match crate::db::blocking(&jobs.db, move |c| {
            Ok(crate::models::order::expire_unpaid(c, now)?)
        })
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(cancelled = n, "unpaid orders expired, stock released"),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "payment expiry failed");
            }
        }
        let closed = crate::services::payments::void_ended(&jobs.db, &jobs.payments).await;
        if closed > 0 {
            tracing::info!(closed, "provider payments of ended orders closed");
        }
        run.finish();
        actix_web::rt::time::sleep(Duration::from_secs(60)).await;
    }
}

/// Once at start and then every day: document expiry and reminders, idle carts, search counts
/// older than 90 days.
async fn daily(jobs: Jobs) {
    loop {
        let mut run = JobRun::start("daily");
        let mail = jobs.mail.clone();
        let ran = crate::db::blocking(&jobs.db, move |c| {
            crate::services::expiry::run(c, chrono::Utc::now().date_naive(), &mail)
        })
        .await;
        match ran {
            Ok(report) => tracing::info!(?report, "document expiry job done"),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "document expiry job failed");
            }
        }
        let idle_before = crate::models::now_ts() - jobs.cart_idle_days * 24 * 3600;
        match crate::db::blocking(&jobs.db, move |c| {
            Ok(crate::models::cart::purge_idle(c, idle_before)?)
        })
        .await
        {
            Ok(purged) => tracing::info!(purged, "idle carts deleted"),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "deleting idle carts failed");
            }
        }
        // Search counts are kept `domain::search_stats::KEEP_DAYS` days.
        let today = crate::domain::impact::wib_day(crate::models::now_ts());
        match crate::db::blocking(&jobs.db, move |c| match today {
            Some(today) => Ok(crate::models::search_query::purge_old(c, today)?),
            None => Ok(0),
        })
        .await
        {
            Ok(purged) => tracing::info!(purged, "old search counts deleted"),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "deleting old search counts failed");
            }
        }
        run.finish();
        actix_web::rt::time::sleep(Duration::from_secs(24 * 3600)).await;
    }
}

/// How often the roll-ups of yesterday and today are made again.
const ROLLUP_EVERY: Duration = Duration::from_secs(10 * 60);

/// The daily sales roll-ups (`models::rollup`) that the impact page, the open data and the
/// oversight dashboard read. At start, every day since the last run (or, never run, since the
/// first sale); then every ten minutes yesterday and today (WIB), so a payment, a booth sale
/// or a refund shows within ten minutes. A run that failed is caught up on the next one. Each
/// run then refreshes the oversight dashboard's per-unit snapshot (legal documents, brands,
/// products by category: `models::oversight::refresh_snapshot`).
async fn rollups(jobs: Jobs) {
    let mut catch_up = true;
    loop {
        let mut run = JobRun::start("rollups");
        let today = crate::domain::impact::wib_day(crate::models::now_ts());
        let ran = crate::db::blocking(&jobs.db, move |c| {
            let Some(today) = today else {
                return Ok(0);
            };
            let yesterday = today.pred_opt().unwrap_or(today);
            let from = if catch_up {
                crate::models::rollup::catch_up_from(c, today)?.min(yesterday)
            } else {
                yesterday
            };
            Ok(crate::models::rollup::rollup_since(
                c,
                &crate::domain::impact::day_text(from),
                &crate::domain::impact::day_text(today),
            )?)
        })
        .await;
        match ran {
            Ok(rows) => {
                catch_up = false;
                tracing::debug!(rows, "daily sales rolled up");
            }
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "rolling up the daily sales failed");
            }
        }
        let refreshed = crate::db::blocking(&jobs.db, move |c| match today {
            Some(today) => Ok(crate::models::oversight::refresh_snapshot(c, today)?),
            None => Ok(0),
        })
        .await;
        match refreshed {
            Ok(units) => tracing::debug!(units, "oversight snapshot refreshed"),
            Err(e) => {
                run.failed();
                tracing::error!(error = %e, "refreshing the oversight snapshot failed");
            }
        }
        run.finish();
        actix_web::rt::time::sleep(ROLLUP_EVERY).await;
    }
}

/// `etalase worker`: runs the jobs until the process is stopped.
pub async fn run_worker(jobs: Jobs) {
    let running = jobs.spawn(Role::Worker);
    tracing::info!(jobs = running.len(), "worker running");
    for job in running {
        let _ = job.await;
    }
}
