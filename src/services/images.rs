//! The upload pipeline for photos, logos and banners: checks the real content (not the file
//! name), refuses decompression bombs before decoding, applies the EXIF orientation, drops all
//! metadata (a GPS position must never reach the public) by re-encoding the pixels, and writes
//! resized variants in JPEG. The decoding and encoding run off the request threads
//! (`web::block`) and give the files to store; the caller stores them (`MediaStore`, async).

use std::io::{self, Cursor};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::media::{MediaStore, WIDTHS};

/// Files made ready to store: `(name, bytes)`.
pub type EncodedFiles = Vec<(String, Vec<u8>)>;

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

/// What a backfill did: files written, pictures that could not be read or written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backfilled {
    pub written: usize,
    pub failed: usize,
}

/// Makes the variants a picture lacks (a width added since it was stored) from the largest
/// one it has, without upscaling. Pictures with every variant, or none at all, are left
/// alone; a picture that cannot be read or written is logged and counted. The resizing runs on
/// the blocking threads.
pub async fn backfill_variants(store: &MediaStore, path_bases: &[String]) -> Backfilled {
    let mut done = Backfilled::default();
    for base in path_bases {
        match backfill_picture(store, base).await {
            Ok(n) => done.written += n,
            Err(e) => {
                done.failed += 1;
                tracing::warn!(base = %base, error = %e, "cannot add the missing variants of a photo")
            }
        }
    }
    done
}

/// The file of public media saying which widths every photo has (`320,480,720,1280`), written
/// when a backfill left no picture behind: later starts read this one file instead of asking
/// after every variant of every photo (a request each, in a bucket).
const WIDTHS_MARK: &str = ".widths";

fn widths_mark() -> String {
    WIDTHS.map(|w| w.to_string()).join(",")
}

/// Whether every photo in `store` was given every width of `WIDTHS` (a backfill finished).
pub async fn variants_complete(store: &MediaStore) -> bool {
    matches!(store.get(WIDTHS_MARK).await, Ok(Some(mark)) if mark == widths_mark())
}

/// Notes that every photo in `store` has every width of `WIDTHS`.
pub async fn mark_variants_complete(store: &MediaStore) {
    if let Err(e) = store.put(WIDTHS_MARK, widths_mark().into_bytes()).await {
        tracing::warn!(error = %e, "cannot note that every photo has every width");
    }
}

async fn backfill_picture(store: &MediaStore, base: &str) -> io::Result<usize> {
    let mut missing = Vec::new();
    for width in WIDTHS {
        if !store.exists(&format!("{base}-{width}.jpg")).await? {
            missing.push(width);
        }
    }
    if missing.is_empty() {
        return Ok(0);
    }
    let Some(source) = store.largest_variant(base).await? else {
        return Ok(0);
    };
    let named = base.to_string();
    let files = actix_web::rt::task::spawn_blocking(move || {
        let img = image::load_from_memory(&source).map_err(io::Error::other)?;
        let img = DynamicImage::ImageRgb8(img.to_rgb8());
        missing
            .into_iter()
            .map(|width| Ok((format!("{named}-{width}.jpg"), encode_width(&img, width)?)))
            .collect::<io::Result<EncodedFiles>>()
    })
    .await
    .map_err(io::Error::other)??;
    let n = files.len();
    store.put_all(files).await?;
    Ok(n)
}

/// `img` at `width` (never upscaled) as a JPEG of `JPEG_QUALITY`.
fn encode_width(img: &DynamicImage, width: u32) -> io::Result<Vec<u8>> {
    let resized = if img.width() > width {
        img.resize(width, u32::MAX, image::imageops::FilterType::Triangle)
    } else {
        img.clone()
    };
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&resized)
        .map_err(io::Error::other)?;
    Ok(jpeg)
}

/// Encodes the variants of an upright picture under `path_base`: the picture as stored and
/// its files.
pub fn encode_variants(
    img: &DynamicImage,
    path_base: &str,
) -> io::Result<(StoredImage, EncodedFiles)> {
    let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
    let files = WIDTHS
        .into_iter()
        .map(|width| {
            Ok((
                format!("{path_base}-{width}.jpg"),
                encode_width(&rgb, width)?,
            ))
        })
        .collect::<io::Result<EncodedFiles>>()?;
    Ok((
        StoredImage {
            path_base: path_base.to_string(),
            width: rgb.width(),
            height: rgb.height(),
        },
        files,
    ))
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

/// The whole pipeline for one upload, in a decoding slot: the picture and its variants under
/// `path_base`, ready to store. It blocks: call it off the request threads.
pub fn process_upload(
    bytes: &[u8],
    path_base: &str,
) -> Result<(StoredImage, EncodedFiles), ImageRejection> {
    with_decode_slot(|| {
        let img = decode_upload(bytes)?;
        encode_variants(&img, path_base).map_err(|e| {
            tracing::error!(error = %e, "encoding image variants failed");
            ImageRejection::Corrupt
        })
    })
}

/// A random name for a new upload, so an old cached file is never replaced.
pub fn fresh_name() -> String {
    crate::models::random_hex(8)
}

/// Prepares a legal document's scan for the private store: a PDF as it is, a picture
/// re-encoded (metadata dropped, at most 2000 px wide). Gives the name to store it under
/// (`{unit_id}/{random}.pdf` or `.jpg`) and its bytes, or the key of the message saying why the
/// scan was refused. It blocks: call it off the request threads.
pub fn encode_scan(unit_id: i32, bytes: &[u8]) -> Result<(String, Vec<u8>), &'static str> {
    if bytes.is_empty() {
        return Err("document-error-scan");
    }
    if bytes.len() > MAX_BYTES {
        return Err("image-error-too-large");
    }
    let name = fresh_name();
    if bytes.starts_with(b"%PDF-") {
        Ok((format!("{unit_id}/{name}.pdf"), bytes.to_vec()))
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
        Ok((format!("{unit_id}/{name}.jpg"), out))
    }
}

/// Largest side of a static QRIS image as stored: a phone screen shows it whole, and the code
/// stays sharp.
const QRIS_MAX_SIDE: u32 = 1600;

/// Prepares a unit's static QRIS image (the PNG or JPEG its bank gave it) for the private QRIS
/// store, through the same checks and decoding slots as photos: turned upright, metadata
/// dropped by re-encoding (PNG stays PNG, lossless, so the code's edges stay sharp; any other
/// picture becomes a JPEG of high quality), at most `QRIS_MAX_SIDE` pixels on its longer side.
/// Gives the name to store it under (`{unit_id}/qris-{random}.png`) and its bytes, or the key
/// of the message saying why it was refused. It blocks: call it off the request threads.
pub fn encode_qris(unit_id: i32, bytes: &[u8]) -> Result<(String, Vec<u8>), &'static str> {
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
    Ok((format!("{unit_id}/qris-{}.{ext}", fresh_name()), data))
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

    #[actix_web::test]
    async fn a_photo_stored_before_a_width_was_added_gets_that_width_from_its_largest_variant() {
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
            store.put(&format!("p/old-{w}.jpg"), jpeg).await.unwrap();
        }
        let bases = vec!["p/old".to_string(), "p/gone".to_string()];
        assert!(!variants_complete(&store).await);
        assert_eq!(
            backfill_variants(&store, &bases).await,
            Backfilled {
                written: 2,
                failed: 0
            },
            "480 and 720 made"
        );
        mark_variants_complete(&store).await;
        assert!(variants_complete(&store).await);
        for (w, h) in [(480, 360), (720, 540)] {
            let made = image::open(dir.path().join(format!("p/old-{w}.jpg"))).unwrap();
            assert_eq!((made.width(), made.height()), (w, h));
        }
        assert_eq!(
            backfill_variants(&store, &bases).await.written,
            0,
            "nothing left to make"
        );
        store.remove_variants("p/old").await;
        assert_eq!(std::fs::read_dir(dir.path().join("p")).unwrap().count(), 0);
    }

    #[test]
    fn a_static_qris_image_stays_png_a_photo_of_one_becomes_jpeg_and_anything_else_is_refused() {
        let (rel, png_bytes) = encode_qris(7, &png(2000, 1000)).unwrap();
        assert!(rel.starts_with("7/qris-") && rel.ends_with(".png"), "{rel}");
        let stored = image::load_from_memory_with_format(&png_bytes, ImageFormat::Png).unwrap();
        assert_eq!((stored.width(), stored.height()), (QRIS_MAX_SIDE, 800));
        let mut jpeg = Vec::new();
        DynamicImage::ImageRgb8(image::RgbImage::new(300, 400))
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        assert!(encode_qris(7, &jpeg).unwrap().0.ends_with(".jpg"));
        assert_eq!(
            encode_qris(7, b"%PDF-1.4 not a picture"),
            Err("booth-qris-error-not-image")
        );
        assert_eq!(encode_qris(7, b""), Err("booth-qris-error-empty"));
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
