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
    /// `MEDIA_DIR`: where photos, logos and banners are stored (default `DATA_DIR/media`);
    /// legal document scans and other private files are kept in `DATA_DIR/documents`.
    pub media_dir: PathBuf,
    /// `MEDIA_S3_BUCKET` and the other `MEDIA_S3_*` variables (`MediaS3Settings`): keep media
    /// and private files in a bucket of S3-compatible object storage instead of the two
    /// folders. Unset, the folders.
    pub media_s3: Option<MediaS3Settings>,
    /// `WORKERS`: HTTP worker threads (default: number of cores).
    pub workers: Option<usize>,
    /// `MEILI_URL` and `MEILI_MASTER_KEY`: search with Meilisearch when both are set; otherwise
    /// the embedded engine keeps its index under `DATA_DIR/search`.
    pub meili: Option<MeiliSettings>,
    /// `SEARCH_CONFIG`: the index settings file (default `search-config/products.json`; the
    /// copy built into the binary is used when the file is missing).
    pub search_config: PathBuf,
    /// `SMTP_URL` (`smtp://host:port`): send mail by SMTP; unset, mail is written as files to
    /// `DATA_DIR/mail-outbox`.
    pub smtp_url: Option<String>,
    /// `PAGE_CACHE_SECONDS` (default 5; 0 turns it off) and `PAGE_CACHE_MB` (default 32): how
    /// long and within how much memory public catalogue pages are kept as rendered HTML. A
    /// change made through this instance drops them at once; on PostgreSQL one made through
    /// another instance or a worker within a second (`db::wake::listen`).
    pub page_cache_secs: u64,
    pub page_cache_mb: usize,
    /// `TRUST_PROXY=1`: the app runs behind a reverse proxy, and the sign-in limit counts the
    /// client address the proxy adds to `X-Forwarded-For` (default off: the peer address).
    pub trust_proxy: bool,
    /// `STRIPE_SECRET_KEY`, `STRIPE_PUBLISHABLE_KEY` and `STRIPE_WEBHOOK_SECRET`: offer card
    /// payments through Stripe when all three are set (`STRIPE_API_BASE` and `STRIPE_JS_URL`
    /// point elsewhere for tests). Unset, bank transfer is the only payment method.
    pub stripe: Option<StripeSettings>,
    /// `MIDTRANS_SERVER_KEY`: offer QRIS, bank virtual accounts, Mandiri bill payment and GoPay
    /// through Midtrans' Core API (`MIDTRANS_API_BASE`: the sandbox, or a fake for tests;
    /// default the production API). Unset, the shop offers none of them.
    pub midtrans: Option<MidtransSettings>,
    /// Limits that keep one client from holding the shop's stock or flooding it.
    pub limits: ShopLimits,
    /// `BANK_NAME`, `BANK_ACCOUNT_NUMBER` and `BANK_ACCOUNT_HOLDER`: the account buyers pay
    /// bank transfers into, shown on order pages and in mail while the payment settings
    /// (`/kelola/pembayaran/rekening`) have no active central account.
    pub bank: BankAccount,
    /// `METRICS_TOKEN`: serve `GET /metrics` (Prometheus' text format) to requests that carry
    /// `Authorization: Bearer <token>`; at least 16 characters without spaces. Unset, the
    /// address answers 404.
    pub metrics_token: Option<MetricsToken>,
    /// `METRICS_ADDR` (e.g. `0.0.0.0:9100`): where `etalase worker`, which serves no pages,
    /// answers `GET /metrics` (same token) with its job runs and failures. Web instances serve
    /// it on their own address.
    pub metrics_addr: Option<String>,
}

/// The token of `GET /metrics` (a `domain::token` type: checked, and hidden from logs).
pub use crate::domain::MetricsToken;

/// The shop's account for bank transfers (a `domain::bank` type: the payment settings of the
/// back office name accounts of their own, and this one is used when they have no central one).
pub use crate::domain::bank::BankAccount;

/// The account of `BANK_NAME`, `BANK_ACCOUNT_NUMBER` and `BANK_ACCOUNT_HOLDER`, each falling
/// back to the demo shop's.
fn bank_from_env() -> BankAccount {
    let d = BankAccount::default();
    BankAccount {
        bank: env_or("BANK_NAME", &d.bank),
        number: env_or("BANK_ACCOUNT_NUMBER", &d.number),
        holder: env_or("BANK_ACCOUNT_HOLDER", &d.holder),
    }
}

/// Finds a folder shipped with the app: next to the working directory, else in the source tree.
pub fn asset_dir(name: &str) -> PathBuf {
    let here = PathBuf::from(name);
    if here.is_dir() {
        here
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }
}

/// Abuse limits of the public shop, each from its own variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopLimits {
    /// `CART_CHANGES_PER_MINUTE` (default 120): cart changes per client address.
    pub cart_changes_per_minute: u32,
    /// `ORDERS_PER_HOUR` (default 30, a third of them in a burst): orders placed per client
    /// address. Mobile carriers put many buyers behind one address, so this stays generous.
    pub orders_per_hour: u32,
    /// `MAX_UNPAID_PER_PRODUCT` (default 20): pieces of one product a buyer (by email or
    /// WhatsApp number) may hold in unpaid orders at once.
    pub max_unpaid_per_product: i32,
    /// `TRANSFER_HOLD_HOURS` (default 12): how long an unpaid bank-transfer order holds its
    /// stock (card orders: `PAYMENT_EXPIRY_HOURS`, default 24).
    pub transfer_hold_hours: i64,
    /// `CART_IDLE_DAYS` (default 30): carts untouched this long are deleted.
    pub cart_idle_days: i64,
}

impl Default for ShopLimits {
    fn default() -> Self {
        Self {
            cart_changes_per_minute: 120,
            orders_per_hour: 30,
            max_unpaid_per_product: 20,
            transfer_hold_hours: 12,
            cart_idle_days: 30,
        }
    }
}

impl ShopLimits {
    pub fn from_env() -> Result<Self, AppError> {
        let d = Self::default();
        let positive = |key: &str, v: i64| {
            if v > 0 {
                Ok(v)
            } else {
                Err(AppError::Config(format!("{key} must be above 0")))
            }
        };
        Ok(Self {
            cart_changes_per_minute: positive(
                "CART_CHANGES_PER_MINUTE",
                parse_env("CART_CHANGES_PER_MINUTE", d.cart_changes_per_minute)?.into(),
            )? as u32,
            orders_per_hour: positive(
                "ORDERS_PER_HOUR",
                parse_env("ORDERS_PER_HOUR", d.orders_per_hour)?.into(),
            )? as u32,
            max_unpaid_per_product: positive(
                "MAX_UNPAID_PER_PRODUCT",
                parse_env("MAX_UNPAID_PER_PRODUCT", d.max_unpaid_per_product)?.into(),
            )? as i32,
            transfer_hold_hours: positive(
                "TRANSFER_HOLD_HOURS",
                parse_env("TRANSFER_HOLD_HOURS", d.transfer_hold_hours)?,
            )?
            .min(24 * 14),
            cart_idle_days: positive(
                "CART_IDLE_DAYS",
                parse_env("CART_IDLE_DAYS", d.cart_idle_days)?,
            )?,
        })
    }
}

#[derive(Clone)]
pub struct MeiliSettings {
    pub url: String,
    pub master_key: String,
}

impl std::fmt::Debug for MeiliSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeiliSettings")
            .field("url", &self.url)
            .field("master_key", &"<secret>")
            .finish()
    }
}

/// S3-compatible object storage for media and private files (AWS S3, MinIO, Ceph, Cloudflare
/// R2). Photos and their variants are kept under `media/` in the bucket, legal document scans,
/// proposed logos and banners and QRIS images under `private/`: only `media/` is ever given a
/// public address.
#[derive(Clone)]
pub struct MediaS3Settings {
    /// `MEDIA_S3_BUCKET`: the bucket's name (it must exist).
    pub bucket: String,
    /// `MEDIA_S3_ENDPOINT`: the store's address (`http://127.0.0.1:9000` for MinIO,
    /// `https://<account>.r2.cloudflarestorage.com` for R2), the bucket then named in the path;
    /// unset, AWS S3 of the region. An `http://` address is reached without TLS (a store on the
    /// same machine or private network).
    pub endpoint: Option<String>,
    /// `MEDIA_S3_REGION` (default `us-east-1`; R2 takes `auto`).
    pub region: String,
    /// `MEDIA_S3_PUBLIC_URL`: the address at which the bucket's `media/` objects are public
    /// (`MEDIA_S3_PUBLIC_URL/media/products/…`, a CDN or the bucket's public domain), written
    /// into pages as the photos' addresses. Unset, the app serves `/media/…` from the bucket.
    pub public_url: Option<String>,
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN` when the keys
    /// are temporary). Unset, the other standard AWS sources: the role of the instance or
    /// container, or a web identity (`AWS_ROLE_ARN`, `AWS_WEB_IDENTITY_TOKEN_FILE`).
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
}

impl MediaS3Settings {
    /// Whether the store is reached over plain HTTP (an `http://` endpoint).
    pub fn allow_http(&self) -> bool {
        self.endpoint
            .as_deref()
            .is_some_and(|e| e.starts_with("http://"))
    }
}

impl std::fmt::Debug for MediaS3Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaS3Settings")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("public_url", &self.public_url)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Object storage when `MEDIA_S3_BUCKET` is set (`var` reads a variable); a `MEDIA_S3_*`
/// variable without the bucket, an address that is not http(s) or half a key pair stops
/// start-up with a message naming it.
pub fn media_s3_from(
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<MediaS3Settings>, AppError> {
    let get = |k: &str| {
        var(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let Some(bucket) = get("MEDIA_S3_BUCKET") else {
        let stray = [
            "MEDIA_S3_ENDPOINT",
            "MEDIA_S3_REGION",
            "MEDIA_S3_PUBLIC_URL",
        ]
        .into_iter()
        .find(|&k| get(k).is_some());
        return match stray {
            Some(k) => Err(AppError::Config(format!(
                "{k} is set but MEDIA_S3_BUCKET is not: set the bucket to keep media in object \
                 storage, or none of MEDIA_S3_* for the local folders"
            ))),
            None => Ok(None),
        };
    };
    let address = |key: &str| -> Result<Option<String>, AppError> {
        let Some(value) = get(key) else {
            return Ok(None);
        };
        let parsed = url::Url::parse(&value)
            .map_err(|e| AppError::Config(format!("{key} `{value}` is not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(AppError::Config(format!(
                "{key} `{value}` must be an http:// or https:// address"
            )));
        }
        Ok(Some(value.trim_end_matches('/').to_string()))
    };
    let (access_key_id, secret_access_key) =
        match (get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => (Some(id), Some(secret)),
            (None, None) => (None, None),
            _ => {
                return Err(AppError::Config(
                    "object storage needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together \
                     (or neither, for the role of the instance)"
                        .into(),
                ))
            }
        };
    Ok(Some(MediaS3Settings {
        bucket,
        endpoint: address("MEDIA_S3_ENDPOINT")?,
        region: get("MEDIA_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        public_url: address("MEDIA_S3_PUBLIC_URL")?,
        session_token: access_key_id
            .as_ref()
            .and_then(|_| get("AWS_SESSION_TOKEN")),
        access_key_id,
        secret_access_key,
    }))
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
            media_s3: media_s3_from(|k| std::env::var(k).ok())?,
            meili: meili_from_env()?,
            search_config: PathBuf::from(env_or("SEARCH_CONFIG", "search-config/products.json")),
            smtp_url: std::env::var("SMTP_URL").ok().filter(|s| !s.is_empty()),
            page_cache_secs: parse_env("PAGE_CACHE_SECONDS", 5u64)?,
            page_cache_mb: parse_env("PAGE_CACHE_MB", 32usize)?,
            trust_proxy: matches!(
                std::env::var("TRUST_PROXY").as_deref(),
                Ok("1") | Ok("true") | Ok("yes")
            ),
            stripe: stripe_from_env()?,
            midtrans: midtrans_from_env()?,
            limits: ShopLimits::from_env()?,
            bank: bank_from_env(),
            metrics_token: metrics_token_from_env()?,
            metrics_addr: std::env::var("METRICS_ADDR")
                .ok()
                .filter(|a| !a.trim().is_empty()),
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

/// `METRICS_TOKEN`, when set: refused at start when it is too short or holds a space.
fn metrics_token_from_env() -> Result<Option<MetricsToken>, AppError> {
    match std::env::var("METRICS_TOKEN") {
        Ok(raw) if !raw.trim().is_empty() => MetricsToken::parse(&raw).map(Some).ok_or_else(|| {
            AppError::Config(format!(
                "METRICS_TOKEN must be at least {} visible characters without spaces; \
                 `openssl rand -hex 32` makes one",
                MetricsToken::MIN_LEN
            ))
        }),
        _ => Ok(None),
    }
}

fn meili_from_env() -> Result<Option<MeiliSettings>, AppError> {
    let url = std::env::var("MEILI_URL").ok().filter(|s| !s.is_empty());
    let key = std::env::var("MEILI_MASTER_KEY")
        .ok()
        .filter(|s| !s.is_empty());
    match (url, key) {
        (None, None) => Ok(None),
        (Some(url), Some(master_key)) => {
            let parsed = url::Url::parse(&url)
                .map_err(|e| AppError::Config(format!("MEILI_URL `{url}` is not a URL: {e}")))?;
            if parsed.scheme() != "http" {
                return Err(AppError::Config(format!(
                    "MEILI_URL `{url}` must be an http:// address (put TLS in front of Meilisearch \
                     at the proxy; see README)"
                )));
            }
            Ok(Some(MeiliSettings {
                url: url.trim_end_matches('/').to_string(),
                master_key,
            }))
        }
        (Some(_), None) => Err(AppError::Config(
            "MEILI_URL is set but MEILI_MASTER_KEY is not: set both to use Meilisearch".into(),
        )),
        (None, Some(_)) => Err(AppError::Config(
            "MEILI_MASTER_KEY is set but MEILI_URL is not: set both to use Meilisearch".into(),
        )),
    }
}

fn stripe_from_env() -> Result<Option<StripeSettings>, AppError> {
    let get = |k: &str| std::env::var(k).ok().filter(|s| !s.is_empty());
    let (secret, publishable, webhook) = (
        get("STRIPE_SECRET_KEY"),
        get("STRIPE_PUBLISHABLE_KEY"),
        get("STRIPE_WEBHOOK_SECRET"),
    );
    match (secret, publishable, webhook) {
        (None, None, None) => Ok(None),
        (Some(secret_key), Some(publishable_key), Some(webhook_secret)) => {
            let api_base = get("STRIPE_API_BASE");
            if let Some(base) = &api_base {
                url::Url::parse(base).map_err(|e| {
                    AppError::Config(format!("STRIPE_API_BASE `{base}` is not a URL: {e}"))
                })?;
            }
            Ok(Some(StripeSettings {
                secret_key,
                publishable_key,
                webhook_secret,
                api_base,
                js_url: match get("STRIPE_JS_URL") {
                    // Written into the order page as a script address: it must be a plain URL.
                    Some(js) => url::Url::parse(&js).map(|u| u.to_string()).map_err(|e| {
                        AppError::Config(format!("STRIPE_JS_URL `{js}` is not a URL: {e}"))
                    })?,
                    None => "https://js.stripe.com/v3/".into(),
                },
            }))
        }
        _ => Err(AppError::Config(
            "Stripe needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET \
             together: set all three, or none for bank transfer only"
                .into(),
        )),
    }
}

/// Midtrans when `MIDTRANS_SERVER_KEY` is set; `MIDTRANS_API_BASE` must then be an http(s)
/// address (default `https://api.midtrans.com`; the sandbox is
/// `https://api.sandbox.midtrans.com`).
fn midtrans_from_env() -> Result<Option<MidtransSettings>, AppError> {
    let get = |k: &str| std::env::var(k).ok().filter(|s| !s.trim().is_empty());
    let Some(server_key) = get("MIDTRANS_SERVER_KEY") else {
        if get("MIDTRANS_API_BASE").is_some() {
            return Err(AppError::Config(
                "MIDTRANS_API_BASE is set but MIDTRANS_SERVER_KEY is not: set the key to offer \
                 Midtrans, or neither"
                    .into(),
            ));
        }
        return Ok(None);
    };
    let api_base = get("MIDTRANS_API_BASE").unwrap_or_else(|| MIDTRANS_PRODUCTION.to_string());
    let parsed = url::Url::parse(&api_base).map_err(|e| {
        AppError::Config(format!("MIDTRANS_API_BASE `{api_base}` is not a URL: {e}"))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::Config(format!(
            "MIDTRANS_API_BASE `{api_base}` must be an http:// or https:// address"
        )));
    }
    Ok(Some(MidtransSettings {
        server_key: server_key.trim().to_string(),
        api_base: api_base.trim_end_matches('/').to_string(),
    }))
}

/// Midtrans' production Core API.
pub const MIDTRANS_PRODUCTION: &str = "https://api.midtrans.com";

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

/// `STRIPE_SECRET_KEY`, `STRIPE_PUBLISHABLE_KEY`, `STRIPE_WEBHOOK_SECRET`, and for tests or a
/// proxy `STRIPE_API_BASE` and `STRIPE_JS_URL`.
#[derive(Clone)]
pub struct StripeSettings {
    pub secret_key: String,
    pub publishable_key: String,
    pub webhook_secret: String,
    pub api_base: Option<String>,
    pub js_url: String,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("publishable_key", &self.publishable_key)
            .field("api_base", &self.api_base)
            .field("js_url", &self.js_url)
            .finish_non_exhaustive()
    }
}

/// `MIDTRANS_SERVER_KEY` and `MIDTRANS_API_BASE` (without a trailing slash).
#[derive(Clone)]
pub struct MidtransSettings {
    pub server_key: String,
    pub api_base: String,
}

impl std::fmt::Debug for MidtransSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MidtransSettings")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn object_storage_is_chosen_by_the_bucket_and_checked_as_a_whole() {
        assert!(media_s3_from(env(&[])).unwrap().is_none());
        let s3 = media_s3_from(env(&[
            ("MEDIA_S3_BUCKET", "etalase"),
            ("MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000/"),
            ("MEDIA_S3_PUBLIC_URL", "https://media.etalase.id/"),
            ("AWS_ACCESS_KEY_ID", "kunci"),
            ("AWS_SECRET_ACCESS_KEY", "rahasia"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(s3.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(s3.public_url.as_deref(), Some("https://media.etalase.id"));
        assert_eq!(s3.region, "us-east-1");
        assert!(s3.allow_http());
        assert!(
            !format!("{s3:?}").contains("rahasia"),
            "the secret is never shown"
        );

        let aws = media_s3_from(env(&[("MEDIA_S3_BUCKET", "etalase")]))
            .unwrap()
            .unwrap();
        assert!(!aws.allow_http() && aws.access_key_id.is_none());

        for wrong in [
            vec![("MEDIA_S3_ENDPOINT", "http://127.0.0.1:9000")],
            vec![
                ("MEDIA_S3_BUCKET", "b"),
                ("MEDIA_S3_ENDPOINT", "minio:9000"),
            ],
            vec![("MEDIA_S3_BUCKET", "b"), ("MEDIA_S3_PUBLIC_URL", "ftp://x")],
            vec![("MEDIA_S3_BUCKET", "b"), ("AWS_ACCESS_KEY_ID", "kunci")],
        ] {
            assert!(
                matches!(media_s3_from(env(&wrong)), Err(AppError::Config(_))),
                "{wrong:?}"
            );
        }
    }
}
