//! Media files: photos are stored as resized variants `{base}-{width}.jpg` under the media
//! folder and served from `/media/` with long cache headers. The placeholder photos of the demo
//! data are drawn here with the `image` crate (nothing is downloaded).

use std::path::{Path, PathBuf};

use image::{ImageBuffer, Rgb, RgbImage};

/// Widths of the variants of every photo: 320 fills a two-column card on a phone (a 182 px
/// slot at 1.75 device pixels per pixel), 480 the same on a sharper screen, 720 a phone-wide
/// photo, 1280 a desktop one.
pub const WIDTHS: [u32; 4] = [320, 480, 720, 1280];
/// Widths earlier versions stored, removed with the rest of a picture.
const OLD_WIDTHS: [u32; 1] = [640];
/// Photos are 4:3.
pub const ASPECT: (u32, u32) = (4, 3);

pub fn variant_url(path_base: &str, width: u32) -> String {
    format!("/media/{path_base}-{width}.jpg")
}

pub fn file_url(path: &str) -> String {
    format!("/media/{path}")
}

pub fn srcset(path_base: &str) -> String {
    WIDTHS
        .iter()
        .map(|w| format!("{} {w}w", variant_url(path_base, *w)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The folder, inside the private documents folder, that keeps the logos and banners units
/// propose until a reviewer approves them: never served under `/media`, only through the
/// preview their unit's staff and its reviewers may open. Kept beside the documents, a backup
/// carries them with the database that names them.
pub const PROPOSED_FOLDER: &str = "unit-profiles";

/// The private store of proposed pictures under `documents_dir`.
pub fn proposed_store(documents_dir: &Path) -> MediaStore {
    MediaStore::new(documents_dir.join(PROPOSED_FOLDER))
}

/// The folder, inside the private documents folder, that keeps each unit's static QRIS image
/// for its booth till: never served under `/media`, only to the unit's own staff
/// (`/kelola/unit/{id}/qris`). A backup carries it with the documents.
pub const QRIS_FOLDER: &str = "booth-qris";

/// The private store of static QRIS images under `documents_dir`.
pub fn qris_store(documents_dir: &Path) -> MediaStore {
    MediaStore::new(documents_dir.join(QRIS_FOLDER))
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

/// Where media files are kept; an object store can implement the same two calls.
#[derive(Debug, Clone)]
pub struct MediaStore {
    root: PathBuf,
}

impl MediaStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The largest variant of a picture on disk, at any width this or an earlier version
    /// stored: the source for the variants it lacks.
    pub fn largest_variant(&self, path_base: &str) -> Option<PathBuf> {
        let mut widths: Vec<u32> = WIDTHS.into_iter().chain(OLD_WIDTHS).collect();
        widths.sort_unstable_by(|a, b| b.cmp(a));
        widths
            .into_iter()
            .map(|w| self.root.join(format!("{path_base}-{w}.jpg")))
            .find(|p| p.is_file())
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// Deletes every variant of a picture (JPEG, and the WebP copies earlier versions made, at
    /// every width); missing files are fine.
    pub fn remove_variants(&self, path_base: &str) {
        if path_base.contains("..") {
            return;
        }
        for width in WIDTHS.into_iter().chain(OLD_WIDTHS) {
            for ext in ["jpg", "webp"] {
                let _ = std::fs::remove_file(self.root.join(format!("{path_base}-{width}.{ext}")));
            }
        }
    }

    /// Deletes one file kept here (a missing one is fine); a path leaving the store is left
    /// alone.
    pub fn remove(&self, rel: &str) {
        if rel.contains("..") || rel.starts_with('/') {
            return;
        }
        let _ = std::fs::remove_file(self.root.join(rel));
    }

    /// Deletes every variant of the picture whose variant file is `file`; a name that is not a
    /// variant is left alone.
    pub fn remove_picture(&self, file: &str) {
        if let Some(base) = variant_base(file) {
            self.remove_variants(base);
        }
    }

    /// Copies every variant of the picture `path_base` kept here into `to`, under the same
    /// names; gives how many files were copied.
    pub fn copy_variants(&self, path_base: &str, to: &MediaStore) -> std::io::Result<usize> {
        if path_base.contains("..") {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a picture outside the store",
            ));
        }
        let mut copied = 0;
        for width in WIDTHS {
            for ext in ["jpg", "webp"] {
                let rel = format!("{path_base}-{width}.{ext}");
                let bytes = match std::fs::read(self.root.join(&rel)) {
                    Ok(bytes) => bytes,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => return Err(e),
                };
                to.put(&rel, &bytes)?;
                copied += 1;
            }
        }
        Ok(copied)
    }

    /// Writes a file atomically (temp file then rename), creating folders as needed.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Unique per process and per write: two threads drawing the same photo must not share
        // a temp file (one would rename it away from under the other).
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(tmp, path)
    }
}

/// Draws a placeholder photo for `seed` in the colour `hue` (0–359) at every width, unless the
/// files already exist. Returns the path base.
pub fn ensure_placeholder(
    store: &MediaStore,
    name: &str,
    hue: u16,
    seed: u32,
) -> Result<String, String> {
    let base = format!("placeholder/{name}");
    for width in WIDTHS {
        let rel = format!("{base}-{width}.jpg");
        if store.exists(&rel) {
            continue;
        }
        let height = width * ASPECT.1 / ASPECT.0;
        let img = draw_placeholder(width, height, hue, seed);
        let mut bytes = Vec::new();
        let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 72);
        enc.encode_image(&img).map_err(|e| e.to_string())?;
        store.put(&rel, &bytes).map_err(|e| e.to_string())?;
    }
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

    #[test]
    fn placeholder_photos_are_real_jpegs_at_every_width() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path());
        let base = ensure_placeholder(&store, "kopi-0", 30, 7).unwrap();
        for w in WIDTHS {
            let bytes = std::fs::read(dir.path().join(format!("{base}-{w}.jpg"))).unwrap();
            let img = image::load_from_memory(&bytes).unwrap();
            assert_eq!(img.width(), w);
            assert_eq!(img.height(), w * 3 / 4);
        }
    }

    #[test]
    fn a_picture_is_copied_to_another_store_and_removed_by_any_of_its_variant_files() {
        let (private, public) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (private, public) = (
            MediaStore::new(private.path()),
            MediaStore::new(public.path()),
        );
        for width in WIDTHS {
            private
                .put(&format!("units/3/logo-ab12-{width}.jpg"), b"jpeg")
                .unwrap();
        }
        assert_eq!(
            variant_base("units/3/logo-ab12-320.jpg"),
            Some("units/3/logo-ab12")
        );
        assert_eq!(variant_base("units/3/logo-ab12.jpg"), None);
        assert_eq!(variant_base("units/3/logo-ab12-320.png"), None);
        assert_eq!(
            private.copy_variants("units/3/logo-ab12", &public).unwrap(),
            WIDTHS.len()
        );
        assert!(public.exists("units/3/logo-ab12-1280.jpg"));
        assert!(private.copy_variants("../logo-ab12", &public).is_err());
        private.remove_picture("units/3/logo-ab12-320.jpg");
        assert!(!private.exists("units/3/logo-ab12-480.jpg"));
        assert!(public.exists("units/3/logo-ab12-480.jpg"), "the copy stays");
    }

    #[test]
    fn srcset_lists_every_variant_with_its_width() {
        assert_eq!(
            srcset("placeholder/a"),
            "/media/placeholder/a-320.jpg 320w, /media/placeholder/a-480.jpg 480w, \
             /media/placeholder/a-720.jpg 720w, /media/placeholder/a-1280.jpg 1280w"
        );
    }
}
