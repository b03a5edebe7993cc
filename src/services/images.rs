//! The upload pipeline for photos, logos and banners: checks the real content (not the file
//! name), refuses decompression bombs before decoding, applies the EXIF orientation, drops all
//! metadata (a GPS position must never reach the public) by re-encoding the pixels, and writes
//! resized variants in JPEG and WebP. Call it off the request threads (`web::block`).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::media::{MediaStore, WIDTHS};

/// Largest upload accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest picture accepted (width × height): 24 megapixels, a 6000 × 4000 camera photo.
/// The largest variant is 1280 px wide; decoding costs about 4 bytes per pixel, so this keeps
/// one decode under ~100 MB.
pub const MAX_PIXELS: u64 = 24_000_000;
/// Pictures decoded at the same time, whatever the number of uploads; others wait.
pub const MAX_CONCURRENT_DECODES: usize = 2;
/// How long an upload waits for a decoding slot before it is refused as busy.
const DECODE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Why an upload was refused; each has a message key in the locales.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRejection {
    Empty,
    TooLarge,
    NotAnImage,
    TooManyPixels,
    Corrupt,
    /// Other pictures are being processed; try again shortly.
    Busy,
}

impl ImageRejection {
    pub fn message_key(self) -> &'static str {
        match self {
            Self::Empty => "image-error-empty",
            Self::TooLarge => "image-error-too-large",
            Self::NotAnImage => "image-error-not-image",
            Self::TooManyPixels => "image-error-too-many-pixels",
            Self::Corrupt => "image-error-corrupt",
            Self::Busy => "image-error-busy",
        }
    }
}

/// A stored picture: its variants are `{path_base}-{width}.jpg` and `.webp`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredImage {
    pub path_base: String,
    pub width: u32,
    pub height: u32,
}

/// Decodes an upload safely: JPEG, PNG or WebP by content, within the size limits, turned
/// upright by its EXIF orientation.
pub fn decode_upload(bytes: &[u8]) -> Result<DynamicImage, ImageRejection> {
    if bytes.is_empty() {
        return Err(ImageRejection::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(ImageRejection::TooLarge);
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| ImageRejection::NotAnImage)?;
    match reader.format() {
        Some(ImageFormat::Jpeg) => {
            // The JPEG decoder fills a cut-off file with grey; a whole file ends with EOI.
            let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
            if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
                return Err(ImageRejection::Corrupt);
            }
        }
        Some(ImageFormat::Png | ImageFormat::WebP) => {}
        _ => return Err(ImageRejection::NotAnImage),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    let mut reader = reader;
    reader.limits(limits.clone());
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => ImageRejection::TooManyPixels,
        _ => ImageRejection::Corrupt,
    })?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(ImageRejection::TooManyPixels);
    }
    limits
        .reserve(decoder.total_bytes())
        .map_err(|_| ImageRejection::TooManyPixels)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => ImageRejection::TooManyPixels,
        _ => ImageRejection::Corrupt,
    })?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// The JPEG quality of photo variants: at 78 a phone-sized photo weighs a third less than at
/// 82 with no difference a buyer sees on a phone screen.
const JPEG_QUALITY: u8 = 78;

/// Makes the variants a picture lacks (a width added since it was stored) from the largest
/// one it has, without upscaling. Pictures with every variant, or none at all, are left
/// alone. Gives how many files were written.
pub fn backfill_variants(store: &MediaStore, path_bases: &[String]) -> usize {
    let mut written = 0;
    for base in path_bases {
        if base.contains("..") {
            continue;
        }
        let missing: Vec<u32> = WIDTHS
            .into_iter()
            .filter(|w| !store.exists(&format!("{base}-{w}.jpg")))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let Some(source) = store.largest_variant(base) else {
            continue;
        };
        let img = match image::open(&source) {
            Ok(img) => DynamicImage::ImageRgb8(img.to_rgb8()),
            Err(e) => {
                tracing::warn!(file = %source.display(), error = %e, "cannot read a photo variant");
                continue;
            }
        };
        for width in missing {
            let resized = if img.width() > width {
                img.resize(width, u32::MAX, image::imageops::FilterType::Triangle)
            } else {
                img.clone()
            };
            let mut jpeg = Vec::new();
            let stored =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
                    .encode_image(&resized)
                    .map_err(std::io::Error::other)
                    .and_then(|()| store.put(&format!("{base}-{width}.jpg"), &jpeg));
            match stored {
                Ok(()) => written += 1,
                Err(e) => {
                    tracing::warn!(base = %base, width, error = %e, "cannot write a photo variant")
                }
            }
        }
    }
    written
}

/// Writes the variants of an upright picture under `path_base`.
pub fn store_variants(
    img: &DynamicImage,
    store: &MediaStore,
    path_base: &str,
) -> std::io::Result<StoredImage> {
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    for width in WIDTHS {
        let resized = if rgb.width() > width {
            rgb.resize(width, u32::MAX, image::imageops::FilterType::Triangle)
        } else {
            rgb.clone()
        };
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode_image(&resized)
            .map_err(std::io::Error::other)?;
        store.put(&format!("{path_base}-{width}.jpg"), &jpeg)?;
    }
    Ok(StoredImage {
        path_base: path_base.to_string(),
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// Runs `work` (a decode and what is done with its pixels) in one of the
/// `MAX_CONCURRENT_DECODES` slots, so many uploads at once cannot exhaust memory. An upload
/// that finds no free slot within `DECODE_WAIT` is refused as busy. Call it off the request
/// threads: it blocks.
pub fn with_decode_slot<T>(
    work: impl FnOnce() -> Result<T, ImageRejection>,
) -> Result<T, ImageRejection> {
    decode_slot_within(DECODE_WAIT, work)
}

fn decode_slot_within<T>(
    wait: std::time::Duration,
    work: impl FnOnce() -> Result<T, ImageRejection>,
) -> Result<T, ImageRejection> {
    use std::sync::{Condvar, Mutex};
    static SLOTS: Mutex<usize> = Mutex::new(0);
    static FREED: Condvar = Condvar::new();
    struct Slot;
    impl Drop for Slot {
        fn drop(&mut self) {
            let mut used = SLOTS.lock().unwrap_or_else(|p| p.into_inner());
            *used -= 1;
            FREED.notify_one();
        }
    }
    let used = SLOTS.lock().unwrap_or_else(|p| p.into_inner());
    let (mut used, waited) = FREED
        .wait_timeout_while(used, wait, |used| *used >= MAX_CONCURRENT_DECODES)
        .unwrap_or_else(|p| p.into_inner());
    if waited.timed_out() && *used >= MAX_CONCURRENT_DECODES {
        return Err(ImageRejection::Busy);
    }
    *used += 1;
    drop(used);
    let _slot = Slot;
    work()
}

/// The whole pipeline for one upload, in a decoding slot.
pub fn process_upload(
    bytes: &[u8],
    store: &MediaStore,
    path_base: &str,
) -> Result<StoredImage, ImageRejection> {
    with_decode_slot(|| {
        let img = decode_upload(bytes)?;
        store_variants(&img, store, path_base).map_err(|e| {
            tracing::error!(error = %e, "storing image variants failed");
            ImageRejection::Corrupt
        })
    })
}

/// A random name for a new upload, so an old cached file is never replaced.
pub fn fresh_name() -> String {
    crate::models::random_hex(8)
}

/// Stores a legal document's scan privately under `dir`: a PDF as it is, a picture re-encoded
/// (metadata dropped, at most 2000 px wide). Gives the path stored, or the key of the message
/// saying why the scan was refused.
pub fn store_scan(
    dir: &std::path::Path,
    unit_id: i32,
    bytes: &[u8],
) -> Result<String, &'static str> {
    if bytes.is_empty() {
        return Err("document-error-scan");
    }
    if bytes.len() > MAX_BYTES {
        return Err("image-error-too-large");
    }
    let name = fresh_name();
    let (rel, data) = if bytes.starts_with(b"%PDF-") {
        (format!("{unit_id}/{name}.pdf"), bytes.to_vec())
    } else {
        let out = with_decode_slot(|| {
            let img = decode_upload(bytes)?;
            let img = if img.width() > 2000 {
                img.resize(2000, u32::MAX, image::imageops::FilterType::Triangle)
            } else {
                img
            };
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
                .encode_image(&img.to_rgb8())
                .map_err(|_| ImageRejection::Corrupt)?;
            Ok(out)
        })
        .map_err(|r| match r {
            ImageRejection::NotAnImage => "document-error-scan-type",
            other => other.message_key(),
        })?;
        (format!("{unit_id}/{name}.jpg"), out)
    };
    let store = super::media::MediaStore::new(dir.to_path_buf());
    store.put(&rel, &data).map_err(|_| "image-error-corrupt")?;
    Ok(rel)
}

/// Largest side of a static QRIS image as stored: a phone screen shows it whole, and the code
/// stays sharp.
const QRIS_MAX_SIDE: u32 = 1600;

/// Stores a unit's static QRIS image (the PNG or JPEG its bank gave it) in `store`, through the
/// same checks and decoding slots as photos: turned upright, metadata dropped by re-encoding
/// (PNG stays PNG, lossless, so the code's edges stay sharp; any other picture becomes a JPEG
/// of high quality), at most `QRIS_MAX_SIDE` pixels on its longer side. Gives the file stored
/// (`{unit_id}/qris-{random}.png`), or the key of the message saying why it was refused.
pub fn store_qris(store: &MediaStore, unit_id: i32, bytes: &[u8]) -> Result<String, &'static str> {
    let png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let data = with_decode_slot(|| {
        let img = decode_upload(bytes)?;
        let img = if img.width().max(img.height()) > QRIS_MAX_SIDE {
            img.resize(
                QRIS_MAX_SIDE,
                QRIS_MAX_SIDE,
                image::imageops::FilterType::Triangle,
            )
        } else {
            img
        };
        let mut out = Vec::new();
        if png {
            DynamicImage::ImageRgba8(img.to_rgba8())
                .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .map_err(|_| ImageRejection::Corrupt)?;
        } else {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
                .encode_image(&img.to_rgb8())
                .map_err(|_| ImageRejection::Corrupt)?;
        }
        Ok(out)
    })
    .map_err(|r| match r {
        ImageRejection::Empty => "booth-qris-error-empty",
        ImageRejection::NotAnImage => "booth-qris-error-not-image",
        other => other.message_key(),
    })?;
    let ext = if png { "png" } else { "jpg" };
    let rel = format!("{unit_id}/qris-{}.{ext}", fresh_name());
    store.put(&rel, &data).map_err(|e| {
        tracing::error!(error = %e, "storing a QRIS image failed");
        "image-error-corrupt"
    })?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_third_picture_waits_for_a_decoding_slot_and_is_refused_as_busy_when_none_frees() {
        use std::sync::mpsc;
        let (release, hold) = mpsc::channel::<()>();
        let hold = std::sync::Arc::new(std::sync::Mutex::new(hold));
        let (started_tx, started) = mpsc::channel::<()>();
        let holders: Vec<_> = (0..MAX_CONCURRENT_DECODES)
            .map(|_| {
                let hold = hold.clone();
                let started_tx = started_tx.clone();
                std::thread::spawn(move || {
                    with_decode_slot(|| {
                        started_tx.send(()).unwrap();
                        let _ = hold.lock().unwrap().recv();
                        Ok(())
                    })
                })
            })
            .collect();
        for _ in 0..MAX_CONCURRENT_DECODES {
            started.recv().unwrap();
        }
        let busy = decode_slot_within(std::time::Duration::from_millis(200), || Ok(()));
        assert_eq!(busy, Err(ImageRejection::Busy));
        for _ in 0..MAX_CONCURRENT_DECODES {
            release.send(()).unwrap();
        }
        for h in holders {
            assert_eq!(h.join().unwrap(), Ok(()));
        }
        assert_eq!(
            decode_slot_within(std::time::Duration::from_millis(200), || Ok(7)),
            Ok(7),
            "slots are given back"
        );
    }

    #[test]
    fn a_small_png_of_forty_megapixels_is_refused_before_it_is_decoded() {
        // 6300 × 6300: under the old 40-megapixel cap, ~160 MB to decode.
        let img = image::GrayImage::new(6300, 6300);
        let mut png = Vec::new();
        image::DynamicImage::ImageLuma8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert!(png.len() < 1_000_000, "{} bytes", png.len());
        assert_eq!(
            decode_upload(&png).err(),
            Some(ImageRejection::TooManyPixels)
        );
    }

    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]));
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_photo_stored_before_a_width_was_added_gets_that_width_from_its_largest_variant() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path());
        // As an earlier version stored it: 320, 640 and 1280 wide.
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            1280,
            960,
            image::Rgb([90, 60, 30]),
        ));
        for w in [320, 640, 1280] {
            let mut jpeg = Vec::new();
            img.resize(w, u32::MAX, image::imageops::FilterType::Triangle)
                .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
                .unwrap();
            store.put(&format!("p/old-{w}.jpg"), &jpeg).unwrap();
        }
        let bases = vec!["p/old".to_string(), "p/gone".to_string()];
        assert_eq!(backfill_variants(&store, &bases), 2, "480 and 720 made");
        for (w, h) in [(480, 360), (720, 540)] {
            let made = image::open(dir.path().join(format!("p/old-{w}.jpg"))).unwrap();
            assert_eq!((made.width(), made.height()), (w, h));
        }
        assert_eq!(backfill_variants(&store, &bases), 0, "nothing left to make");
        store.remove_variants("p/old");
        assert_eq!(std::fs::read_dir(dir.path().join("p")).unwrap().count(), 0);
    }

    #[test]
    fn a_static_qris_image_stays_png_a_photo_of_one_becomes_jpeg_and_anything_else_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = MediaStore::new(dir.path());
        let rel = store_qris(&store, 7, &png(2000, 1000)).unwrap();
        assert!(rel.starts_with("7/qris-") && rel.ends_with(".png"), "{rel}");
        let stored = image::open(dir.path().join(&rel)).unwrap();
        assert_eq!((stored.width(), stored.height()), (QRIS_MAX_SIDE, 800));
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::new(300, 400))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        assert!(store_qris(&store, 7, &jpeg).unwrap().ends_with(".jpg"));
        assert_eq!(
            store_qris(&store, 7, b"%PDF-1.4 not a picture"),
            Err("booth-qris-error-not-image")
        );
        assert_eq!(store_qris(&store, 7, b""), Err("booth-qris-error-empty"));
    }

    #[test]
    fn content_decides_not_the_name_and_bombs_are_refused_before_decoding() {
        assert_eq!(decode_upload(b""), Err(ImageRejection::Empty));
        assert_eq!(
            decode_upload(b"%PDF-1.4 not a picture"),
            Err(ImageRejection::NotAnImage)
        );
        let mut truncated = png(64, 64);
        truncated.truncate(60);
        assert_eq!(decode_upload(&truncated), Err(ImageRejection::Corrupt));
        assert!(decode_upload(&png(64, 48)).is_ok());
        // A PNG header that claims 30000 × 30000 pixels.
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&30_000u32.to_be_bytes());
        assert!(matches!(
            decode_upload(&bomb),
            Err(ImageRejection::TooManyPixels | ImageRejection::Corrupt)
        ));
        assert_eq!(
            decode_upload(&vec![0u8; MAX_BYTES + 1]),
            Err(ImageRejection::TooLarge)
        );
    }
}
