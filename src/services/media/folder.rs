//! Files in a folder on this machine (`MEDIA_DIR`, `DATA_DIR/documents`): the default, and
//! what every version before object storage did. Disk work runs on the blocking threads.

use std::io;
use std::path::{Path, PathBuf};

use actix_web::web::Bytes;

use super::Storage;

#[derive(Debug)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

/// Runs file work on the blocking threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    actix_web::rt::task::spawn_blocking(work)
        .await
        .map_err(io::Error::other)?
}

#[async_trait::async_trait]
impl Storage for Folder {
    /// Writes a temp file, then renames it over the name (creating folders as needed).
    async fn put(&self, key: &str, bytes: Bytes) -> io::Result<()> {
        let path = self.root.join(key);
        blocking(move || {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            // Unique per process and per write: two threads drawing the same photo must not
            // share a temp file (one would rename it away from under the other).
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(tmp, path)
        })
        .await
    }

    async fn get(&self, key: &str) -> io::Result<Option<Bytes>> {
        let path = self.root.join(key);
        blocking(move || match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            // A folder where a file was asked for is no file either, nor a file taken for a
            // folder.
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound
                        | io::ErrorKind::IsADirectory
                        | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        })
        .await
    }

    async fn exists(&self, key: &str) -> io::Result<bool> {
        let path = self.root.join(key);
        blocking(move || Ok(path.is_file())).await
    }

    async fn delete(&self, keys: Vec<String>) -> io::Result<()> {
        let paths: Vec<PathBuf> = keys.iter().map(|key| self.root.join(key)).collect();
        blocking(move || {
            // Every file is tried; the first failure other than a missing file is told.
            let mut told = Ok(());
            for path in paths {
                match std::fs::remove_file(path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound && told.is_ok() => told = Err(e),
                    _ => {}
                }
            }
            told
        })
        .await
    }

    async fn check(&self) -> Result<(), String> {
        Ok(())
    }

    fn folder(&self) -> Option<&Path> {
        Some(self.root.as_path())
    }
}
