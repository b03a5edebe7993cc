//! Media files: photos are stored as resized variants `{base}-{width}.jpg` and served under
//! `/media/` with long cache headers (or from the bucket's public address). The placeholder
//! photos of the demo data are drawn here with the `image` crate (nothing is downloaded).
//!
//! Where files are kept is a `Storage`: a folder on this machine (`Folder`, the default) or a
//! bucket of S3-compatible object storage (`Bucket`, chosen by `MEDIA_S3_BUCKET`). `open` gives
//! the shop's two stores: public media (photos, approved logos and banners) and private files
//! (legal document scans, proposed logos and banners, static QRIS images). In a bucket they are
//! kept under `media/` and `private/`; only `media/` is ever given an address (`MediaUrls`),
//! and private files are served by the app alone, to those allowed to see them.

mod bucket;
mod folder;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use actix_web::web::Bytes;
use image::{ImageBuffer, Rgb, RgbImage};

use crate::config::Settings;
use crate::error::AppError;

pub use bucket::Bucket;
pub use folder::Folder;

/// Widths of the variants of every photo: 320 fills a two-column card on a phone (a 182 px
/// slot at 1.75 device pixels per pixel), 480 the same on a sharper screen, 720 a phone-wide
/// photo, 1280 a desktop one.
pub const WIDTHS: [u32; 4] = [320, 480, 720, 1280];
/// Widths earlier versions stored, removed with the rest of a picture.
const OLD_WIDTHS: [u32; 1] = [640];
/// Photos are 4:3.
pub const ASPECT: (u32, u32) = (4, 3);

/// The folder of a bucket that holds public media: the only one given a public address.
pub const PUBLIC_PREFIX: &str = "media";
/// The folder of a bucket that holds private files: never given an address, served by the app
/// only (`handlers::account::private_file`).
pub const PRIVATE_PREFIX: &str = "private";
/// How long browsers and caches keep a media file: its name never changes its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Where browsers fetch public media: the app's own `/media/…` (the default), or the public
/// address of the bucket (`MEDIA_S3_PUBLIC_URL`), under which the same `/media/…` paths follow.
/// Private files never get an address here: they are kept outside `media/`.
#[derive(Debug, Clone, Default)]
pub struct MediaUrls {
    /// The bucket's public address without a trailing slash; None for the app's own.
    base: Option<Arc<str>>,
    /// The origin of `base` (for the pages' `img-src`).
    origin: Option<Arc<str>>,
}

impl MediaUrls {
    /// Addresses under the public address `base` of the bucket (`https://media.example.id`):
    /// `base/media/…`.
    pub fn public(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        let origin = url::Url::parse(base)
            .ok()
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null");
        Self {
            base: Some(Arc::from(base)),
            origin: origin.map(Arc::from),
        }
    }

    fn base(&self) -> &str {
        self.base.as_deref().unwrap_or("")
    }

    /// The address of a photo's variant of `width`.
    pub fn variant(&self, path_base: &str, width: u32) -> String {
        format!("{}/media/{path_base}-{width}.jpg", self.base())
    }

    /// The address of a public media file (an approved logo or banner).
    pub fn file(&self, path: &str) -> String {
        format!("{}/media/{path}", self.base())
    }

    /// Every variant of a photo with its width, for `srcset`.
    pub fn srcset(&self, path_base: &str) -> String {
        WIDTHS
            .iter()
            .map(|w| format!("{} {w}w", self.variant(path_base, *w)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The origin pages load photos from when it is not the shop's own (to allow in the
    /// Content-Security-Policy); None when the app serves them.
    pub fn origin(&self) -> Option<&str> {
        self.origin.as_deref()
    }
}

/// The app's own address of a photo's variant (`/media/…`): the back office's, whatever the
/// public address.
pub fn variant_url(path_base: &str, width: u32) -> String {
    MediaUrls::default().variant(path_base, width)
}

/// The app's own address of a public media file (`/media/…`).
pub fn file_url(path: &str) -> String {
    MediaUrls::default().file(path)
}

/// `srcset` with the app's own addresses.
pub fn srcset(path_base: &str) -> String {
    MediaUrls::default().srcset(path_base)
}

/// The folder, inside the private documents store, that keeps the logos and banners units
/// propose until a reviewer approves them: never served under `/media`, only through the
/// preview their unit's staff and its reviewers may open. Kept beside the documents, a backup
/// carries them with the database that names them.
pub const PROPOSED_FOLDER: &str = "unit-profiles";

/// The private store of proposed pictures inside the private `documents` store.
pub fn proposed_store(documents: &MediaStore) -> MediaStore {
    documents.within(PROPOSED_FOLDER)
}

/// The folder, inside the private documents store, that keeps each unit's static QRIS image
/// for its booth till: never served under `/media`, only to the unit's own staff
/// (`/kelola/unit/{id}/qris`). A backup carries it with the documents.
pub const QRIS_FOLDER: &str = "booth-qris";

/// The private store of static QRIS images inside the private `documents` store.
pub fn qris_store(documents: &MediaStore) -> MediaStore {
    documents.within(QRIS_FOLDER)
}

/// The path base of a variant file (`units/3/logo-ab12-320.jpg` → `units/3/logo-ab12`), or
/// `None` for a name that is not one.
pub fn variant_base(file: &str) -> Option<&str> {
    let stem = file
        .strip_suffix(".jpg")
        .or_else(|| file.strip_suffix(".webp"))?;
    let (base, width) = stem.rsplit_once('-')?;
    let is_width = !width.is_empty() && width.bytes().all(|b| b.is_ascii_digit());
    (is_width && !base.is_empty()).then_some(base)
}

/// Where files are kept, by key (`media/products/3/ab12-320.jpg`). The keys a storage is
/// given were checked by `MediaStore`: relative, without an empty, `.` or `..` part.
#[async_trait::async_trait]
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Writes a whole file under `key`: a reader sees the old file or the new one, never half.
    async fn put(&self, key: &str, bytes: Bytes) -> io::Result<()>;
    /// The file under `key`; None when there is none.
    async fn get(&self, key: &str) -> io::Result<Option<Bytes>>;
    /// Whether there is a file under `key`.
    async fn exists(&self, key: &str) -> io::Result<bool>;
    /// Deletes the files `keys`; missing ones are fine.
    async fn delete(&self, keys: Vec<String>) -> io::Result<()>;
    /// Whether the storage answers and lets the shop in; why not, when it does not.
    async fn check(&self) -> Result<(), String>;
    /// The folder on this machine that holds the files, when there is one: `/media/` is then
    /// served straight from it.
    fn folder(&self) -> Option<&Path>;
}

/// A store of files: a part (`prefix`) of a storage. Cheap to clone; every call is async, and
/// file work on disk runs on the blocking threads.
#[derive(Debug, Clone)]
pub struct MediaStore {
    storage: Arc<dyn Storage>,
    /// Put before every name: empty, or a folder of the storage ending in `/`.
    prefix: String,
}

impl MediaStore {
    /// Files in the folder `root` on this machine.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self::on(Arc::new(Folder::new(root)), "")
    }

    /// The files of `storage` under `folder` (`""` for all of it).
    pub fn on(storage: Arc<dyn Storage>, folder: &str) -> Self {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{}/", folder.trim_end_matches('/'))
        };
        Self { storage, prefix }
    }

    /// The part of this store under `folder`.
    pub fn within(&self, folder: &str) -> Self {
        Self {
            storage: self.storage.clone(),
            prefix: format!("{}{}/", self.prefix, folder.trim_end_matches('/')),
        }
    }

    /// The folder on this machine holding this store's files, when they are on disk.
    pub fn folder(&self) -> Option<PathBuf> {
        let root = self.storage.folder()?;
        Some(match self.prefix.trim_end_matches('/') {
            "" => root.to_path_buf(),
            prefix => root.join(prefix),
        })
    }

    /// The storage's key of `rel`, or None for a name that would leave the store (a leading
    /// `/`, an empty, `.` or `..` part, a backslash or a control character).
    fn key(&self, rel: &str) -> Option<String> {
        let fine = !rel.is_empty()
            && rel
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..")
            && !rel.chars().any(|c| c == '\\' || c.is_control());
        fine.then(|| format!("{}{rel}", self.prefix))
    }

    /// Writes a file, whole; a name leaving the store is refused.
    pub async fn put(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        let key = self.key(rel).ok_or_else(|| outside(rel))?;
        self.storage.put(&key, Bytes::from(bytes)).await
    }

    /// Writes the files of one picture at once; when one of them fails, those written are
    /// removed again and the error is given.
    pub async fn put_all(&self, files: Vec<(String, Vec<u8>)>) -> io::Result<()> {
        let names: Vec<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
        let written = futures_util::future::join_all(
            files
                .into_iter()
                .map(|(rel, bytes)| async move { self.put(&rel, bytes).await }),
        )
        .await;
        if let Some(e) = written.into_iter().find_map(Result::err) {
            self.remove_all(&names).await;
            return Err(e);
        }
        Ok(())
    }

    /// A file kept here; None when there is none (or the name leaves the store).
    pub async fn get(&self, rel: &str) -> io::Result<Option<Bytes>> {
        match self.key(rel) {
            Some(key) => self.storage.get(&key).await,
            None => Ok(None),
        }
    }

    pub async fn exists(&self, rel: &str) -> io::Result<bool> {
        match self.key(rel) {
            Some(key) => self.storage.exists(&key).await,
            None => Ok(false),
        }
    }

    /// Deletes files kept here (missing ones are fine); a name leaving the store is left
    /// alone. A failure is logged: the file stays, named by nothing the shop shows.
    pub async fn remove_all(&self, rels: &[String]) {
        let keys: Vec<String> = rels.iter().filter_map(|rel| self.key(rel)).collect();
        if keys.is_empty() {
            return;
        }
        if let Err(e) = self.storage.delete(keys).await {
            tracing::warn!(error = %e, files = rels.len(), "cannot delete media files");
        }
    }

    /// Deletes one file kept here (a missing one is fine).
    pub async fn remove(&self, rel: &str) {
        self.remove_all(&[rel.to_string()]).await
    }

    /// Deletes every variant of a picture (JPEG, and the WebP copies earlier versions made, at
    /// every width); missing files are fine.
    pub async fn remove_variants(&self, path_base: &str) {
        let files: Vec<String> = WIDTHS
            .into_iter()
            .chain(OLD_WIDTHS)
            .flat_map(|width| ["jpg", "webp"].map(|ext| format!("{path_base}-{width}.{ext}")))
            .collect();
        self.remove_all(&files).await
    }

    /// Deletes every variant of the picture whose variant file is `file`; a name that is not a
    /// variant is left alone.
    pub async fn remove_picture(&self, file: &str) {
        if let Some(base) = variant_base(file) {
            self.remove_variants(base).await;
        }
    }

    /// The largest variant of a picture kept here, at any width this or an earlier version
    /// stored: the source for the variants it lacks.
    pub async fn largest_variant(&self, path_base: &str) -> io::Result<Option<Bytes>> {
        let mut widths: Vec<u32> = WIDTHS.into_iter().chain(OLD_WIDTHS).collect();
        widths.sort_unstable_by(|a, b| b.cmp(a));
        for width in widths {
            if let Some(bytes) = self.get(&format!("{path_base}-{width}.jpg")).await? {
                return Ok(Some(bytes));
            }
        }
        Ok(None)
    }

    /// Copies every variant of the picture `path_base` kept here into `to`, under the same
    /// names; gives how many files were copied.
    pub async fn copy_variants(&self, path_base: &str, to: &MediaStore) -> io::Result<usize> {
        if self.key(path_base).is_none() {
            return Err(outside(path_base));
        }
        let mut files = Vec::new();
        for width in WIDTHS {
            for ext in ["jpg", "webp"] {
                let rel = format!("{path_base}-{width}.{ext}");
                if let Some(bytes) = self.get(&rel).await? {
                    files.push((rel, bytes.to_vec()));
                }
            }
        }
        let copied = files.len();
        to.put_all(files).await?;
        Ok(copied)
    }

    /// Whether the storage answers and lets the shop in; why not, when it does not.
    pub async fn check(&self) -> Result<(), String> {
        self.storage.check().await
    }
}

fn outside(rel: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("`{rel}` is not a file of the store"),
    )
}

/// The content type of a stored file, by its name.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The shop's stores, as the settings say.
#[derive(Debug, Clone)]
pub struct Stores {
    /// Photos, approved logos and banners: public.
    pub media: MediaStore,
    /// Legal document scans, proposed logos and banners, static QRIS images: private, served by
    /// the app only to those allowed to see them.
    pub documents: MediaStore,
    /// Where browsers fetch public media.
    pub urls: MediaUrls,
}

/// Opens the stores: the folders `MEDIA_DIR` and `DATA_DIR/documents`, or the `media/` and
/// `private/` folders of the bucket `MEDIA_S3_BUCKET`. Nothing is asked of a bucket yet (see
/// `MediaStore::check`).
pub fn open(settings: &Settings) -> Result<Stores, AppError> {
    let Some(s3) = &settings.media_s3 else {
        return Ok(Stores {
            media: MediaStore::new(settings.media_dir.clone()),
            documents: MediaStore::new(super::backup::documents_dir(settings)),
            urls: MediaUrls::default(),
        });
    };
    let bucket: Arc<dyn Storage> = Arc::new(Bucket::open(s3).map_err(AppError::Config)?);
    Ok(Stores {
        media: MediaStore::on(bucket.clone(), PUBLIC_PREFIX),
        documents: MediaStore::on(bucket, PRIVATE_PREFIX),
        urls: s3
            .public_url
            .as_deref()
            .map(MediaUrls::public)
            .unwrap_or_default(),
    })
}

/// Draws a placeholder photo for `seed` in the colour `hue` (0–359) at every width, unless the
/// files already exist. Returns the path base.
pub async fn ensure_placeholder(
    store: &MediaStore,
    name: &str,
    hue: u16,
    seed: u32,
) -> Result<String, String> {
    let base = format!("placeholder/{name}");
    let mut missing = Vec::new();
    for width in WIDTHS {
        let rel = format!("{base}-{width}.jpg");
        if !store.exists(&rel).await.map_err(|e| e.to_string())? {
            missing.push(width);
        }
    }
    if missing.is_empty() {
        return Ok(base);
    }
    let named = base.clone();
    let files = actix_web::rt::task::spawn_blocking(move || {
        missing
            .into_iter()
            .map(|width| {
                let height = width * ASPECT.1 / ASPECT.0;
                let img = draw_placeholder(width, height, hue, seed);
                let mut bytes = Vec::new();
                let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 72);
                enc.encode_image(&img).map_err(|e| e.to_string())?;
                Ok((format!("{named}-{width}.jpg"), bytes))
            })
            .collect::<Result<Vec<_>, String>>()
    })
    .await
    .map_err(|e| e.to_string())??;
    store.put_all(files).await.map_err(|e| e.to_string())?;
    Ok(base)
}

fn hsl(h: f32, s: f32, l: f32) -> Rgb<u8> {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h / 60.0) % 6.0;
    let x = c * (1.0 - ((hp % 2.0) - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to = |v: f32| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb([to(r), to(g), to(b)])
}

/// A soft gradient with a batik-like pattern of rings, different for each seed.
fn draw_placeholder(width: u32, height: u32, hue: u16, seed: u32) -> RgbImage {
    let hue = f32::from(hue);
    let period = 18.0 + (seed % 5) as f32 * 6.0;
    let cx = width as f32 * (0.3 + (seed % 3) as f32 * 0.2);
    let cy = height as f32 * 0.5;
    let scale = width as f32 / 320.0;
    ImageBuffer::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt() / scale;
        let ring = ((d / period).fract() - 0.5).abs() < 0.12;
        let diag = (((fx + fy) / scale / (period * 0.7)).fract()) < 0.08;
        let light = 0.78 - 0.25 * (fy / height as f32);
        if ring {
            hsl((hue + 20.0) % 360.0, 0.55, 0.38)
        } else if diag {
            hsl(hue, 0.35, light - 0.12)
        } else {
            hsl(hue, 0.45, light)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn placeholder_photos_are_real_jpegs_at_every_width() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path());
        let base = ensure_placeholder(&store, "kopi-0", 30, 7).await.unwrap();
        for w in WIDTHS {
            let bytes = std::fs::read(dir.path().join(format!("{base}-{w}.jpg"))).unwrap();
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!(img.width(), w);
            assert_eq!(img.height(), w * 3 / 4);
        }
    }

    #[actix_web::test]
    async fn a_picture_is_copied_to_another_store_and_removed_by_any_of_its_variant_files() {
        let (private, public) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (private, public) = (
            MediaStore::new(private.path()),
            MediaStore::new(public.path()),
        );
        for width in WIDTHS {
            private
                .put(&format!("units/3/logo-ab12-{width}.jpg"), b"jpeg".to_vec())
                .await
                .unwrap();
        }
        assert_eq!(
            variant_base("units/3/logo-ab12-320.jpg"),
            Some("units/3/logo-ab12")
        );
        assert_eq!(variant_base("units/3/logo-ab12.jpg"), None);
        assert_eq!(variant_base("units/3/logo-ab12-320.png"), None);
        assert_eq!(
            private
                .copy_variants("units/3/logo-ab12", &public)
                .await
                .unwrap(),
            WIDTHS.len()
        );
        assert!(public.exists("units/3/logo-ab12-1280.jpg").await.unwrap());
        assert!(private
            .copy_variants("../logo-ab12", &public)
            .await
            .is_err());
        private.remove_picture("units/3/logo-ab12-320.jpg").await;
        assert!(!private.exists("units/3/logo-ab12-480.jpg").await.unwrap());
        assert!(
            public.exists("units/3/logo-ab12-480.jpg").await.unwrap(),
            "the copy stays"
        );
    }

    #[actix_web::test]
    async fn names_that_would_leave_a_store_are_never_read_or_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret.pdf"), b"%PDF").unwrap();
        let store = MediaStore::new(dir.path()).within(QRIS_FOLDER);
        assert_eq!(
            store.folder(),
            Some(dir.path().join(QRIS_FOLDER)),
            "a part of a folder store is its subfolder"
        );
        for name in [
            "../secret.pdf",
            "/etc/passwd",
            "a//b.jpg",
            "./a.jpg",
            "a\\..\\b",
            "",
        ] {
            assert!(store.get(name).await.unwrap().is_none(), "{name:?}");
            assert!(!store.exists(name).await.unwrap(), "{name:?}");
            assert!(store.put(name, b"x".to_vec()).await.is_err(), "{name:?}");
        }
        store.remove("../secret.pdf").await;
        assert!(dir.path().join("secret.pdf").exists());
    }

    #[test]
    fn srcset_lists_every_variant_with_its_width() {
        assert_eq!(
            srcset("placeholder/a"),
            "/media/placeholder/a-320.jpg 320w, /media/placeholder/a-480.jpg 480w, \
             /media/placeholder/a-720.jpg 720w, /media/placeholder/a-1280.jpg 1280w"
        );
        let public = MediaUrls::public("https://media.etalase.id/");
        assert_eq!(
            public.variant("products/1/ab", 480),
            "https://media.etalase.id/media/products/1/ab-480.jpg"
        );
        assert_eq!(public.origin(), Some("https://media.etalase.id"));
        assert_eq!(MediaUrls::default().origin(), None);
    }
}
