//! Settings from the environment (a `.env` file is read if present). Secrets are never logged.

use crate::db::DatabaseUrl;
use crate::error::AppError;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`: `postgres://…` or `sqlite://path` (default `sqlite://data/etalase.db`).
    pub database_url: DatabaseUrl,
    /// `DATABASE_POOL_SIZE` (default 8).
    pub pool_size: u32,
    /// `HOST` (default 127.0.0.1) and `PORT` (default 8080; 0 picks a free port).
    pub host: String,
    pub port: u16,
    /// `BASE_URL`: the public address used in canonical links, Open Graph and shares
    /// (default `http://HOST:PORT`).
    pub base_url: Option<String>,
    /// `DATA_DIR`: where media files live (default `data`).
    pub data_dir: PathBuf,
    /// `MEDIA_DIR`: where photos and documents are stored (default `DATA_DIR/media`).
    pub media_dir: PathBuf,
    /// `WORKERS`: HTTP worker threads (default: number of cores).
    pub workers: Option<usize>,
}

impl Settings {
    pub fn from_env() -> Result<Self, AppError> {
        let data_dir = PathBuf::from(env_or("DATA_DIR", "data"));
        let default_db = format!("sqlite://{}", data_dir.join("etalase.db").display());
        let database_url =
            DatabaseUrl::parse(&env_or("DATABASE_URL", &default_db)).map_err(AppError::Config)?;
        let port = parse_env("PORT", 8080u16)?;
        Ok(Self {
            database_url,
            pool_size: parse_env("DATABASE_POOL_SIZE", 8u32)?,
            host: env_or("HOST", "127.0.0.1"),
            port,
            base_url: std::env::var("BASE_URL").ok().filter(|s| !s.is_empty()),
            media_dir: std::env::var("MEDIA_DIR")
                .ok()
                .filter(|s| !s.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("media")),
            data_dir,
            workers: match std::env::var("WORKERS") {
                Ok(v) => Some(
                    v.parse()
                        .map_err(|_| AppError::Config(format!("WORKERS `{v}` is not a number")))?,
                ),
                Err(_) => None,
            },
        })
    }
}

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn parse_env<T: std::str::FromStr>(key: &str, default: T) -> Result<T, AppError> {
    match std::env::var(key) {
        Ok(v) if !v.is_empty() => v
            .parse()
            .map_err(|_| AppError::Config(format!("{key} `{v}` is not a valid value"))),
        _ => Ok(default),
    }
}
