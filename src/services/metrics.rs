//! What the shop counts for Prometheus (`GET /metrics`, behind `METRICS_TOKEN`): HTTP requests
//! by route pattern, method and status with their latency, the database pool, the outbox
//! backlogs, the background jobs' runs and failures, and the page cache's hits and misses.
//!
//! Code records through the `metrics` facade (`::metrics::counter!` and friends; nothing is
//! kept until a recorder is installed, so unit tests and `etalase worker` count into nothing).
//! The recorder of `metrics-exporter-prometheus` is installed once per process, however many
//! apps are built in it (the tests build many), and its handle renders the text.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::db::{DbConnection, Pool};
use crate::error::AppError;

/// Requests answered, by `route` (the pattern, `/produk/{slug}`), `method` and `status`.
pub const HTTP_REQUESTS: &str = "etalase_http_requests_total";
/// Seconds until the answer's head was ready, by `route` and `method` (a histogram).
pub const HTTP_DURATION: &str = "etalase_http_request_duration_seconds";
/// The `route` of a request no route took (a 404 of an unknown address).
pub const UNMATCHED: &str = "unmatched";
/// Connections the pool holds, those of them idle, and the most it may hold.
pub const POOL_CONNECTIONS: &str = "etalase_db_pool_connections";
pub const POOL_IDLE: &str = "etalase_db_pool_idle_connections";
pub const POOL_MAX: &str = "etalase_db_pool_max_connections";
/// Rows waiting in an outbox, by `outbox` (`search`, `mail`), counted at each scrape.
pub const OUTBOX_PENDING: &str = "etalase_outbox_pending";
/// Runs of a background job, and those in which a step failed, by `job`.
pub const JOB_RUNS: &str = "etalase_job_runs_total";
pub const JOB_FAILURES: &str = "etalase_job_failures_total";
/// Lookups of a public page in the page cache that found it, and that did not.
pub const PAGE_CACHE_HITS: &str = "etalase_page_cache_hits_total";
pub const PAGE_CACHE_MISSES: &str = "etalase_page_cache_misses_total";

/// Upper bounds of the latency buckets, in seconds (Prometheus' usual ones).
const LATENCY_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often the recorded latencies are folded into their buckets between scrapes, so memory
/// stays flat when nobody scrapes.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process's Prometheus recorder, as the app keeps it (`AppState::metrics`).
#[derive(Clone)]
pub struct Metrics {
    handle: PrometheusHandle,
}

impl Metrics {
    /// The recorder of this process: installed on the first call, the same one after.
    pub fn install() -> Self {
        static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
        Self {
            handle: HANDLE.get_or_init(install_recorder).clone(),
        }
    }

    /// Everything recorded, in Prometheus' text format, after the gauges of this scrape: the
    /// pool's connections now, and the outbox backlogs (`backlogs`; when they could not be
    /// counted the gauges say NaN rather than a stale number).
    pub fn render(&self, pool: &Pool, backlogs: Result<Backlogs, AppError>) -> String {
        let state = pool.state();
        ::metrics::gauge!(POOL_CONNECTIONS).set(state.connections);
        ::metrics::gauge!(POOL_IDLE).set(state.idle_connections);
        ::metrics::gauge!(POOL_MAX).set(pool.max_size());
        let (search, mail) = match backlogs {
            Ok(b) => (b.search as f64, b.mail as f64),
            Err(e) => {
                tracing::warn!(error = %e, "outbox backlogs not counted for /metrics");
                (f64::NAN, f64::NAN)
            }
        };
        ::metrics::gauge!(OUTBOX_PENDING, "outbox" => "search").set(search);
        ::metrics::gauge!(OUTBOX_PENDING, "outbox" => "mail").set(mail);
        self.handle.render()
    }
}

/// The recorder with the pool it reports on, for a process that serves no pages (the worker's
/// `METRICS_ADDR`). Installs the recorder when made, before any job runs.
#[derive(Clone)]
pub struct PoolMetrics {
    pool: Pool,
    metrics: Metrics,
}

impl PoolMetrics {
    pub fn new(pool: Pool) -> Self {
        Self {
            pool,
            metrics: Metrics::install(),
        }
    }

    /// Everything recorded, after counting the outbox backlogs (blocking: call it off the
    /// async threads).
    pub fn render_now(&self) -> String {
        let backlogs = self
            .pool
            .get()
            .map_err(AppError::internal)
            .and_then(|mut conn| Ok(backlogs(&mut conn)?));
        self.metrics.render(&self.pool, backlogs)
    }
}

/// Builds the recorder, installs it as the global one, names what it shows and starts its
/// upkeep. Should another recorder have been installed first, this one still renders (what
/// it was given: nothing) and the reason is logged.
fn install_recorder() -> PrometheusHandle {
    let recorder = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.to_string()), &LATENCY_BUCKETS)
        // Fails only on an empty list of buckets.
        .unwrap_or_default()
        .build_recorder();
    let handle = recorder.handle();
    if let Err(e) = ::metrics::set_global_recorder(recorder) {
        tracing::warn!(error = %e, "metrics are not recorded: another recorder is installed");
        return handle;
    }
    describe();
    let upkeep = handle.clone();
    let started = std::thread::Builder::new()
        .name("metrics-upkeep".into())
        .spawn(move || loop {
            std::thread::sleep(UPKEEP_EVERY);
            upkeep.run_upkeep();
        });
    if let Err(e) = started {
        // Each scrape still folds the latencies in; only memory between scrapes grows.
        tracing::warn!(error = %e, "metrics upkeep thread not started");
    }
    handle
}

/// The help lines, and the counters that read 0 before anything happened (so a rate or a hit
/// ratio is defined from the first scrape).
fn describe() {
    use ::metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by route pattern, method and status"
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time until the answer was ready, by route pattern and method"
    );
    describe_gauge!(POOL_CONNECTIONS, "Database connections the pool holds");
    describe_gauge!(POOL_IDLE, "Database connections of the pool not in use");
    describe_gauge!(POOL_MAX, "Database connections the pool may hold at most");
    describe_gauge!(
        OUTBOX_PENDING,
        "Rows waiting in an outbox (search index updates, mail), counted at the scrape"
    );
    describe_counter!(JOB_RUNS, "Runs of a background job");
    describe_counter!(
        JOB_FAILURES,
        "Runs of a background job in which a step failed"
    );
    describe_counter!(
        PAGE_CACHE_HITS,
        "Public page lookups answered from the page cache"
    );
    describe_counter!(
        PAGE_CACHE_MISSES,
        "Public page lookups the page cache could not answer"
    );
    ::metrics::counter!(PAGE_CACHE_HITS).increment(0);
    ::metrics::counter!(PAGE_CACHE_MISSES).increment(0);
}

/// What waits in the outboxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlogs {
    /// Search index updates not yet delivered (due or backing off).
    pub search: i64,
    /// Mail neither sent nor given up on.
    pub mail: i64,
}

/// Counts the outbox backlogs: two counts, for a scrape.
pub fn backlogs(conn: &mut DbConnection) -> diesel::QueryResult<Backlogs> {
    Ok(Backlogs {
        search: crate::models::search_outbox::backlog(conn)?,
        mail: crate::models::mail_outbox::unsent_count(conn)?,
    })
}

/// Records one answered request: `route` is the matched pattern (None: no route took it),
/// `method` one of a fixed few, `took` the time until the answer was ready.
pub fn record_request(route: Option<String>, method: &'static str, status: u16, took: Duration) {
    let route = route.unwrap_or_else(|| UNMATCHED.to_string());
    ::metrics::histogram!(HTTP_DURATION, "route" => route.clone(), "method" => method).record(took);
    ::metrics::counter!(
        HTTP_REQUESTS,
        "route" => route,
        "method" => method,
        "status" => status.to_string()
    )
    .increment(1);
}

/// Records a lookup of the page cache.
pub fn page_cache_lookup(hit: bool) {
    if hit {
        ::metrics::counter!(PAGE_CACHE_HITS).increment(1);
    } else {
        ::metrics::counter!(PAGE_CACHE_MISSES).increment(1);
    }
}

/// One run of a background job (`jobs`): counted as a run when it finishes, and as a failure
/// too when any of its steps failed (at most once per run, however many steps failed).
#[derive(Debug)]
pub struct JobRun {
    job: &'static str,
    step_failed: bool,
}

impl JobRun {
    pub fn start(job: &'static str) -> Self {
        Self {
            job,
            step_failed: false,
        }
    }

    /// A step of this run failed.
    pub fn failed(&mut self) {
        self.step_failed = true;
    }

    /// The run is over: count it.
    pub fn finish(self) {
        ::metrics::counter!(JOB_RUNS, "job" => self.job).increment(1);
        if self.step_failed {
            ::metrics::counter!(JOB_FAILURES, "job" => self.job).increment(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_run_remembers_that_a_step_failed() {
        let mut run = JobRun::start("daily");
        assert!(!run.step_failed);
        run.failed();
        run.failed();
        assert!(run.step_failed);
        run.finish();
    }
}
