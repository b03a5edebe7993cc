//! Builds the application: pool, migrations, templates, state, HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::config::PersistentSession;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::handlers::errors;
use crate::jobs::{Jobs, Role};
use crate::routes;
use crate::services::cache::Caches;
use crate::services::media::MediaStore;
use crate::state::AppState;

pub use crate::config::asset_dir;

pub fn load_templates() -> Result<tera::Tera, AppError> {
    let glob = format!("{}/**/*.html", asset_dir("templates").display());
    let mut tera = tera::Tera::new(&glob)?;
    crate::i18n::register(&mut tera);
    tera.register_function(
        "asset",
        crate::views::assets::AssetFunction::load(&asset_dir("public")),
    );
    Ok(tera)
}

/// Opens the database named by the settings and applies pending migrations.
pub fn connect_and_migrate(settings: &Settings) -> Result<Pool, AppError> {
    let pool = db::build_pool(&settings.database_url, settings.pool_size)?;
    let mut conn = pool.get()?;
    let applied = db::run_migrations(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    Ok(pool)
}

/// The key that signs and encrypts session cookies: `SESSION_KEY` (at least 64 bytes, hex), or
/// a random key kept in `DATA_DIR/session.key` so sessions survive a restart.
fn session_key(settings: &Settings) -> Result<Key, AppError> {
    if let Ok(hex) = std::env::var("SESSION_KEY") {
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect();
        return bytes
            .and_then(|b| Key::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                AppError::Config("SESSION_KEY must be at least 128 hex characters".into())
            });
    }
    let path = settings.data_dir.join("session.key");
    if let Ok(bytes) = std::fs::read(&path) {
        if let Ok(key) = Key::try_from(bytes.as_slice()) {
            return Ok(key);
        }
    }
    let key = Key::generate();
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        db::private_dir(&settings.data_dir)?;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&path)?;
        file.write_all(key.master())
    };
    write().map_err(|e| AppError::Config(format!("cannot write {}: {e}", path.display())))?;
    Ok(key)
}

/// Largest urlencoded form accepted (256 KiB).
pub const FORM_LIMIT: usize = 256 * 1024;

pub struct Application {
    port: u16,
    server: Server,
    pub state: AppState,
    limiter: web::Data<crate::handlers::staff::auth::LoginLimiter>,
    shop_limiters: web::Data<crate::handlers::limits::ShopLimiters>,
    jobs: Jobs,
    embedded_search: bool,
}

impl Application {
    /// Builds everything and binds the listener; `run` serves until shut down.
    pub fn build(settings: Settings, pool: Pool) -> Result<Self, AppError> {
        let listener = TcpListener::bind((settings.host.as_str(), settings.port)).map_err(|e| {
            AppError::Config(format!(
                "cannot listen on {}:{}: {e}",
                settings.host, settings.port
            ))
        })?;
        let port = listener.local_addr().map_err(AppError::internal)?.port();
        let base_url: Arc<str> = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}:{port}", settings.host))
            .trim_end_matches('/')
            .into();
        // The data folder (database, session key, search index, mail, documents) is the
        // shop's alone.
        db::private_dir(&settings.data_dir).map_err(|e| {
            AppError::Config(format!(
                "cannot create {}: {e}",
                settings.data_dir.display()
            ))
        })?;
        let stores = crate::services::media::open(&settings)?;
        if let Some(dir) = stores.media.folder() {
            std::fs::create_dir_all(&dir)
                .map_err(|e| AppError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
        let opened = crate::search::open_engine(&settings)?;
        let embedded_search = opened.embedded.is_some();
        {
            let mut conn = pool.get()?;
            // The synonyms administrators added, from the first search on.
            let added = crate::models::search_synonym::entries(&mut conn)?;
            opened.engine.set_added_synonyms(&added);
            if let Some(embedded) = &opened.embedded {
                crate::services::indexer::sync_embedded(&mut conn, embedded)?;
            }
        }
        let state = AppState {
            db: pool,
            templates: Arc::new(load_templates()?),
            media: stores.media.clone(),
            media_urls: stores.urls,
            settings: Arc::new(settings.clone()),
            base_url,
            caches: Caches::new(std::time::Duration::from_secs(10)),
            search: opened.engine,
            vocabulary: Arc::new(crate::search::config::load_vocabulary(
                &settings.search_config,
            )?),
            mailer: crate::services::mail::Mailer::new(
                settings.data_dir.join("mail-outbox"),
                settings.smtp_url.as_deref(),
            )?,
            mail: crate::services::mail::MailTemplates::load(settings.bank.clone())?,
            documents: stores.documents,
            payments: crate::services::payments::Payments::new(
                settings.stripe.as_ref(),
                settings.midtrans.as_ref(),
            )
            .map_err(|e| AppError::Config(format!("payments: {e}")))?,
            pages: crate::services::cache::PageCache::new(
                std::time::Duration::from_secs(settings.page_cache_secs),
                settings.page_cache_mb * 1024 * 1024,
            ),
            metrics: crate::services::metrics::Metrics::install(),
        };
        // The catalogue's words for the search page, read before the first search.
        let primed = state
            .db
            .get()
            .map_err(AppError::internal)
            .and_then(|mut c| {
                Ok(crate::workflows::search::prime_lexicon(
                    &mut c,
                    &state.caches.lexicon,
                    &state.search,
                )?)
            });
        if let Err(e) = primed {
            tracing::warn!(error = %e, "the catalogue's words are read at the first search");
        }
        let jobs = Jobs {
            db: state.db.clone(),
            mailer: state.mailer.clone(),
            mail: state.mail.clone(),
            payments: state.payments.clone(),
            search: Some(state.search.clone()),
            embedded_search,
            cart_idle_days: settings.limits.cart_idle_days,
            listen_url: settings.database_url.listen_url(),
        };
        let data = web::Data::new(state.clone());
        let limiter = web::Data::new(crate::handlers::staff::auth::LoginLimiter::new(
            settings.trust_proxy,
        ));
        let kept_limiter = limiter.clone();
        let shop_limiters = web::Data::new(crate::handlers::limits::ShopLimiters::new(
            &settings.limits,
            settings.trust_proxy,
        ));
        let kept_shop_limiters = shop_limiters.clone();
        let session_key = session_key(&settings)?;
        let secure_cookies = state.base_url.starts_with("https://");
        let static_dir = asset_dir("public");
        // A folder is served as files; a bucket through `handlers::public::media`.
        let media_dir = stores.media.folder();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(limiter.clone())
                .app_data(shop_limiters.clone())
                .app_data(
                    actix_multipart::form::MultipartFormConfig::default()
                        .total_limit(crate::services::images::MAX_BYTES + 1024 * 1024)
                        .memory_limit(crate::services::images::MAX_BYTES + 1024 * 1024),
                )
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), session_key.clone())
                        .cookie_name("etalase_sesi".into())
                        .cookie_secure(secure_cookies)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .session_lifecycle(
                            PersistentSession::default()
                                .session_ttl(actix_web::cookie::time::Duration::hours(8)),
                        )
                        .build(),
                )
                .app_data(
                    // Room for every field of the longest form (a product's two 5,000-character
                    // descriptions in any script), with a page that says so beyond it.
                    web::FormConfig::default()
                        .limit(FORM_LIMIT)
                        .error_handler(errors::form_error),
                )
                .wrap(ErrorHandlers::new().default_handler(errors::render_error_page))
                .wrap(actix_web::middleware::from_fn(
                    crate::handlers::security::same_origin_posts,
                ))
                .wrap(actix_web::middleware::from_fn(
                    crate::handlers::security::security_headers,
                ))
                .wrap(actix_web::middleware::from_fn(crate::handlers::head_as_get))
                // Outside the error pages, the checks on forms and routing (only compression
                // and the request log see the address as asked): `/en/…` is answered as `/…`,
                // in English.
                .wrap(actix_web::middleware::from_fn(
                    crate::handlers::english_addresses,
                ))
                .wrap(actix_web::middleware::Compress::default())
                // Counted by route pattern and timed, with the status the visitor gets.
                .wrap(actix_web::middleware::from_fn(
                    crate::handlers::metrics::track,
                ))
                .wrap(TracingLogger::default())
                .configure(|cfg| routes::configure(cfg, &static_dir, media_dir.as_deref()))
                .default_service(web::to(errors::not_found))
        })
        .shutdown_timeout(10)
        .listen(listener)
        .map_err(|e| AppError::Config(format!("cannot start the server: {e}")))?;
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            port,
            server: server.run(),
            state,
            limiter: kept_limiter,
            shop_limiters: kept_shop_limiters,
            jobs,
            embedded_search,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped, with the background jobs beside the server (`etalase serve`).
    pub async fn run(self) -> std::io::Result<()> {
        self.run_as(Role::WebAndJobs).await
    }

    /// Serves until stopped; `role` says which background jobs run beside the server
    /// (`Role::WebOnly` for `etalase serve --no-jobs`, when a worker runs them).
    pub async fn run_as(self, role: Role) -> std::io::Result<()> {
        let mut running = self.jobs.spawn(role);
        if role == Role::WebOnly && !self.embedded_search {
            tracing::info!("background jobs are left to `etalase worker`");
        }
        let limiter = self.limiter.clone();
        let shop_limiters = self.shop_limiters.clone();
        running.push(actix_web::rt::spawn(async move {
            // Forget addresses that stopped trying, so the limiters do not grow forever.
            loop {
                actix_web::rt::time::sleep(std::time::Duration::from_secs(600)).await;
                limiter.prune();
                shop_limiters.prune();
            }
        }));
        running.push(actix_web::rt::spawn(release_free_memory()));
        running.push(actix_web::rt::spawn(
            crate::workflows::search::keep_writing_search_counts(
                self.state.db.clone(),
                self.state.caches.searches.clone(),
            ),
        ));
        running.push(actix_web::rt::spawn(backfill_photo_variants(
            self.state.db.clone(),
            self.state.media.clone(),
        )));
        let result = self.server.await;
        for job in running {
            job.abort();
        }
        // The searches counted since the last write, before the process ends.
        if let Err(e) = crate::workflows::search::write_search_counts(
            &self.state.db,
            &self.state.caches.searches,
        )
        .await
        {
            tracing::warn!(error = %e, "the last searches were not counted");
        }
        result
    }
}

/// Makes the photo variants that stored photos lack (a width added by an upgrade), at start,
/// beside the server (the database read and the resizing on the blocking threads), until one
/// run leaves no photo behind; later starts read the mark it leaves and stop there. Until it is
/// done a browser may ask for a missing width; the others still show.
async fn backfill_photo_variants(pool: crate::db::Pool, media: MediaStore) {
    use crate::services::images;
    if images::variants_complete(&media).await {
        return;
    }
    let bases = actix_web::rt::task::spawn_blocking(move || -> Result<Vec<String>, AppError> {
        Ok(crate::models::product::photo_bases(&mut *pool.get()?)?)
    })
    .await;
    match bases {
        Ok(Ok(bases)) => {
            let done = images::backfill_variants(&media, &bases).await;
            if done.written > 0 {
                tracing::info!(files = done.written, "photo variants added for a new width");
            }
            if done.failed == 0 {
                images::mark_variants_complete(&media).await;
            }
        }
        Ok(Err(e)) => tracing::warn!(error = %e, "photo variants not checked"),
        Err(e) => tracing::warn!(error = %e, "photo variant backfill stopped"),
    }
}

/// Every 30 s, hands memory glibc's malloc holds but no longer uses back to the system. glibc
/// keeps freed chunks inside its heaps; under sustained load (bench/soak.sh), when it still
/// served Rust's allocations too, the server's resident memory crept up by 5 MB a minute while
/// the live heap stayed flat (heaptrack). It now serves the C libraries (SQLite, libpq; the
/// binary's Rust allocations go to mimalloc, which returns its free pages itself).
/// `malloc_trim` releases the free pages of every arena; it takes a few milliseconds.
async fn release_free_memory() {
    loop {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(30)).await;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only returns free memory to the system; it is thread-safe.
        unsafe {
            libc::malloc_trim(0);
        }
    }
}
