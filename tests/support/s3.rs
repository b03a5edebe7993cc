//! S3-compatible object storage for the tests: the S3 API of moto's server (PyPI
//! `moto[server]`), which `./scripts/test` starts on a free port and names in
//! `S3_TEST_ENDPOINT`. Every test gets a bucket of its own. A test that needs the server fails
//! when the variable is missing: it never passes without having talked to a bucket.
//!
//! What the app stored is read back with `object_store` itself, apart from the app's code.

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Location;
use object_store::{Attribute, GetOptions, ObjectStore};

use etalase::config::MediaS3Settings;

/// Keys moto takes (it checks no signature against them).
const KEY_ID: &str = "etalase-uji";
const SECRET: &str = "rahasia-uji";

/// The address of moto's S3 server; panics, saying how to start it, when it is not set.
pub fn endpoint() -> String {
    std::env::var("S3_TEST_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "S3_TEST_ENDPOINT is not set: the object storage tests need moto's S3 server \
                 (./scripts/test starts it; by hand: `python3 -m moto.server -H 127.0.0.1 -p \
                 9010` and S3_TEST_ENDPOINT=http://127.0.0.1:9010)"
            )
        })
        .trim_end_matches('/')
        .to_string()
}

/// A bucket of one test, created empty on moto's server.
pub struct TestBucket {
    pub name: String,
    pub endpoint: String,
    store: AmazonS3,
}

/// An object as the bucket keeps it.
pub struct Object {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
}

impl TestBucket {
    pub async fn create() -> TestBucket {
        let endpoint = endpoint();
        let name = format!("etalase-uji-{}-{}", std::process::id(), fastrand::u32(..));
        let created = awc::Client::default()
            .put(format!("{endpoint}/{name}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("moto's S3 server at {endpoint} does not answer: {e}"));
        assert!(
            created.status().is_success(),
            "creating the bucket {name} on moto: {}",
            created.status()
        );
        let store = AmazonS3Builder::new()
            .with_endpoint(&endpoint)
            .with_allow_http(true)
            .with_bucket_name(&name)
            .with_region("us-east-1")
            .with_access_key_id(KEY_ID)
            .with_secret_access_key(SECRET)
            .build()
            .expect("an S3 client for the test bucket");
        TestBucket {
            name,
            endpoint,
            store,
        }
    }

    /// The shop's settings for this bucket; `public` also names its public address.
    pub fn settings(&self, public: bool) -> MediaS3Settings {
        MediaS3Settings {
            bucket: self.name.clone(),
            endpoint: Some(self.endpoint.clone()),
            region: "us-east-1".into(),
            public_url: public.then(|| self.public_url()),
            access_key_id: Some(KEY_ID.into()),
            secret_access_key: Some(SECRET.into()),
            session_token: None,
        }
    }

    /// The bucket's address on moto (path style), given as its public address.
    pub fn public_url(&self) -> String {
        format!("{}/{}", self.endpoint, self.name)
    }

    /// Every key under `prefix` (`media/products/3`), sorted.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        let prefix = Location::from(prefix);
        let mut listed = self.store.list(Some(&prefix));
        let mut keys = Vec::new();
        while let Some(meta) = listed.next().await {
            keys.push(meta.expect("listing the test bucket").location.to_string());
        }
        keys.sort();
        keys
    }

    /// The object under `key`, or None.
    pub async fn object(&self, key: &str) -> Option<Object> {
        match self
            .store
            .get_opts(&Location::from(key), GetOptions::new())
            .await
        {
            Ok(found) => {
                let attribute = |a: Attribute| found.attributes.get(&a).map(|v| v.to_string());
                let (content_type, cache_control) = (
                    attribute(Attribute::ContentType),
                    attribute(Attribute::CacheControl),
                );
                let bytes = found.bytes().await.expect("reading an object").to_vec();
                Some(Object {
                    bytes,
                    content_type,
                    cache_control,
                })
            }
            Err(object_store::Error::NotFound { .. }) => None,
            Err(e) => panic!("reading {key} from the test bucket: {e}"),
        }
    }
}
