//! Builds the application: pool, migrations, templates, state, HTTP server.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;

use crate::config::Settings;
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::handlers::errors;
use crate::i18n::FluentFunction;
use crate::routes;
use crate::services::cache::Caches;
use crate::services::media::MediaStore;
use crate::state::AppState;

/// Finds a folder shipped with the app: next to the working directory, else in the source tree.
pub fn asset_dir(name: &str) -> PathBuf {
    let here = PathBuf::from(name);
    if here.is_dir() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }
}

pub fn load_templates() -> Result<tera::Tera, AppError> {
    let glob = format!("{}/**/*.html", asset_dir("templates").display());
    let mut tera = tera::Tera::new(&glob)?;
    tera.register_function("fluent", FluentFunction);
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

pub struct Application {
    port: u16,
    server: Server,
    pub state: AppState,
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
        let media = MediaStore::new(settings.media_dir.clone());
        std::fs::create_dir_all(media.root()).map_err(|e| {
            AppError::Config(format!("cannot create {}: {e}", media.root().display()))
        })?;
        let opened = crate::search::open_engine(&settings)?;
        if let Some(embedded) = &opened.embedded {
            let mut conn = pool.get()?;
            crate::services::indexer::sync_embedded(&mut conn, embedded)?;
        }
        let state = AppState {
            db: pool,
            templates: Arc::new(load_templates()?),
            media: media.clone(),
            settings: Arc::new(settings.clone()),
            base_url,
            caches: Caches::new(std::time::Duration::from_secs(10)),
            search: opened.engine,
        };
        let data = web::Data::new(state.clone());
        let static_dir = asset_dir("public");
        let media_dir = media.root().to_path_buf();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(ErrorHandlers::new().default_handler(errors::render_error_page))
                .wrap(TracingLogger::default())
                .configure(|cfg| routes::configure(cfg, &static_dir, &media_dir))
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
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped; the search indexer runs beside the server.
    pub async fn run(self) -> std::io::Result<()> {
        let indexer = actix_web::rt::spawn(crate::services::indexer::run(
            self.state.db.clone(),
            self.state.search.clone(),
        ));
        let result = self.server.await;
        indexer.abort();
        result
    }
}
