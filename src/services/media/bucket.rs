//! Files in a bucket of S3-compatible object storage (AWS S3, MinIO, Ceph, Cloudflare R2)
//! through the `object_store` crate (its `aws` feature: reqwest with rustls on ring, the TLS
//! stack the shop already has). Every call is async on the runtime the request runs on.
//!
//! Each object gets its content type; those under `media/` also get the long cache header
//! the app gives `/media/`, so a bucket or CDN serving them publicly answers the same.

use std::io;
use std::path::Path;
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Location;
use object_store::{
    Attribute, Attributes, BackoffConfig, GetOptions, ObjectStore, PutOptions, PutPayload,
    RetryConfig,
};

use super::{content_type, Storage, IMMUTABLE, PUBLIC_PREFIX};
use crate::config::MediaS3Settings;

#[derive(Debug)]
pub struct Bucket {
    store: AmazonS3,
    name: String,
}

impl Bucket {
    /// The bucket the settings name; nothing is asked of it yet. Keys, or else the role of the
    /// instance or container (the standard `AWS_*` variables); an `http://` endpoint is
    /// reached without TLS. A request gets the crate's 30 s (5 s to connect) and is retried at
    /// most three times, none after 15 s, so an upload does not hang on a store that is down.
    pub fn open(s3: &MediaS3Settings) -> Result<Self, String> {
        let builder = match (&s3.access_key_id, &s3.secret_access_key) {
            (Some(id), Some(secret)) => {
                let keys = AmazonS3Builder::new()
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
                match &s3.session_token {
                    Some(token) => keys.with_token(token),
                    None => keys,
                }
            }
            _ => AmazonS3Builder::from_env(),
        };
        let builder = match &s3.endpoint {
            // MinIO, Ceph, R2: the bucket named in the path.
            Some(endpoint) => builder.with_endpoint(endpoint),
            // AWS S3: `https://{bucket}.s3.{region}.amazonaws.com`.
            None => builder.with_virtual_hosted_style_request(true),
        };
        let store = builder
            .with_bucket_name(&s3.bucket)
            .with_region(&s3.region)
            .with_allow_http(s3.allow_http())
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: 3,
                retry_timeout: Duration::from_secs(15),
            })
            .build()
            .map_err(|e| format!("object storage (MEDIA_S3_*): {e}"))?;
        Ok(Self {
            store,
            name: s3.bucket.clone(),
        })
    }
}

fn location(key: &str) -> io::Result<Location> {
    Location::parse(key).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
}

#[async_trait::async_trait]
impl Storage for Bucket {
    async fn put(&self, key: &str, bytes: Bytes) -> io::Result<()> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, content_type(key).into());
        let public = key
            .strip_prefix(PUBLIC_PREFIX)
            .is_some_and(|rest| rest.starts_with('/'));
        let cache = if public {
            IMMUTABLE
        } else {
            "private, no-store"
        };
        attributes.insert(Attribute::CacheControl, cache.into());
        self.store
            .put_opts(
                &location(key)?,
                PutPayload::from(bytes),
                PutOptions::from(attributes),
            )
            .await
            .map(|_| ())
            .map_err(io::Error::other)
    }

    async fn get(&self, key: &str) -> io::Result<Option<Bytes>> {
        match self
            .store
            .get_opts(&location(key)?, GetOptions::new())
            .await
        {
            Ok(found) => found.bytes().await.map(Some).map_err(io::Error::other),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(io::Error::other(e)),
        }
    }

    async fn exists(&self, key: &str) -> io::Result<bool> {
        let head = GetOptions::new().with_head(true);
        match self.store.get_opts(&location(key)?, head).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(io::Error::other(e)),
        }
    }

    /// One request for all of them (S3's DeleteObjects).
    async fn delete(&self, keys: Vec<String>) -> io::Result<()> {
        let locations = keys
            .iter()
            .map(|key| location(key.as_str()))
            .collect::<io::Result<Vec<_>>>()?;
        let mut deleted = self.store.delete_stream(
            futures_util::stream::iter(locations.into_iter().map(Ok::<_, object_store::Error>))
                .boxed(),
        );
        while let Some(done) = deleted.next().await {
            match done {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(io::Error::other(e)),
            }
        }
        Ok(())
    }

    /// Lists `media/` (one request): a missing bucket, wrong keys or an unreachable store
    /// fail here, at start, rather than at the first upload.
    async fn check(&self) -> Result<(), String> {
        self.store
            .list_with_delimiter(Some(&Location::from(PUBLIC_PREFIX)))
            .await
            .map(|_| ())
            .map_err(|e| {
                format!(
                    "the media bucket `{}` cannot be read (MEDIA_S3_*, AWS_*): {e}",
                    self.name
                )
            })
    }

    fn folder(&self) -> Option<&Path> {
        None
    }
}
