//! Unit staff add a photo to a product: checked, re-encoded into its variants, recorded. A new
//! logo or banner for the unit goes the same way, into the private store of proposed pictures,
//! where it waits for a reviewer. A unit's static QRIS image for its booth till goes through
//! the same checks into a private store of its own, without review.

pub use crate::domain::units::BrandPicture;
use crate::error::AppError;
use crate::models::product;
use crate::services::images;
use crate::services::media::{self, MediaStore};

use super::Shop;

/// How adding a photo went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOutcome {
    Added,
    /// Nothing was stored; the key of the message saying why.
    Refused(&'static str),
}

/// A photo as sent.
pub struct NewPhoto {
    pub product_id: i32,
    /// What the photo shows, for those who cannot see it (at least three characters).
    pub alt: String,
    pub bytes: Vec<u8>,
    pub actor_id: i32,
}

/// Stores the photo's variants in the media store and adds it after the product's others.
pub async fn add_photo(shop: Shop<'_>, photo: NewPhoto) -> Result<PhotoOutcome, AppError> {
    if photo.bytes.is_empty() {
        return Ok(PhotoOutcome::Refused("image-error-empty"));
    }
    if photo.alt.trim().chars().count() < 3 {
        return Ok(PhotoOutcome::Refused("image-error-alt"));
    }
    let NewPhoto {
        product_id,
        alt,
        bytes,
        actor_id,
    } = photo;
    let base = format!("products/{product_id}/{}", images::fresh_name());
    let stored = match process(shop.media, base, bytes).await? {
        Processed::Stored(stored) => stored,
        Processed::Refused(key) => return Ok(PhotoOutcome::Refused(key)),
    };
    shop.write(move |c| {
        Ok(product::add_photo(
            c,
            product_id,
            &stored.path_base,
            alt.trim(),
            stored.width as i32,
            stored.height as i32,
            actor_id,
        )?)
    })
    .await?;
    Ok(PhotoOutcome::Added)
}

/// Proposes `bytes` as the unit's logo or banner: through the image pipeline into the private
/// store of proposed pictures (never public media), where it waits for a reviewer with the rest
/// of the unit's proposal. A picture proposed before in its place is removed.
pub async fn set_brand_picture(
    shop: Shop<'_>,
    unit_id: i32,
    actor_id: i32,
    which: BrandPicture,
    bytes: Vec<u8>,
) -> Result<PhotoOutcome, AppError> {
    let base = format!("units/{unit_id}/{}-{}", which.code(), images::fresh_name());
    let private = media::proposed_store(shop.documents);
    let stored = match process(&private, base, bytes).await? {
        Processed::Stored(stored) => stored,
        Processed::Refused(key) => return Ok(PhotoOutcome::Refused(key)),
    };
    let path = format!("{}-{}.jpg", stored.path_base, which.width());
    let replaced = shop
        .write(move |c| {
            Ok(crate::models::unit::propose_picture(
                c, unit_id, which, &path, actor_id,
            )?)
        })
        .await?;
    if let Some(old) = replaced {
        private.remove_picture(&old).await;
    }
    Ok(PhotoOutcome::Added)
}

/// Sets `bytes` as unit `unit_id`'s static QRIS image for its booth till: checked and
/// re-encoded as every upload is (`images::encode_qris`, in a decoding slot), into the private
/// QRIS store. Never reviewed (the unit's bank gave it) and never public media: only the unit's
/// own staff are served it. The image it replaces is removed.
pub async fn set_static_qris(
    shop: Shop<'_>,
    unit_id: i32,
    actor_id: i32,
    bytes: Vec<u8>,
) -> Result<PhotoOutcome, AppError> {
    let encoded = actix_web::web::block(move || images::encode_qris(unit_id, &bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (path, data) = match encoded {
        Ok(encoded) => encoded,
        Err(key) => return Ok(PhotoOutcome::Refused(key)),
    };
    let store = media::qris_store(shop.documents);
    store.put(&path, data).await.map_err(|e| {
        tracing::error!(error = %e, "storing a QRIS image failed");
        AppError::internal(e)
    })?;
    let replaced = shop
        .write(move |c| {
            Ok(crate::models::unit::set_qris_image(
                c,
                unit_id,
                Some(path.as_str()),
                actor_id,
            )?)
        })
        .await?;
    if let Some(old) = replaced {
        store.remove(&old).await;
    }
    Ok(PhotoOutcome::Added)
}

/// Removes unit `unit_id`'s static QRIS image, its file too; false when it had none.
pub async fn remove_static_qris(
    shop: Shop<'_>,
    unit_id: i32,
    actor_id: i32,
) -> Result<bool, AppError> {
    let removed = shop
        .write(move |c| {
            Ok(crate::models::unit::set_qris_image(
                c, unit_id, None, actor_id,
            )?)
        })
        .await?;
    let Some(old) = removed else {
        return Ok(false);
    };
    media::qris_store(shop.documents).remove(&old).await;
    Ok(true)
}

/// What the image pipeline made of an upload.
enum Processed {
    Stored(images::StoredImage),
    /// Refused; the key of the message saying why.
    Refused(&'static str),
}

/// Runs the image pipeline off the worker thread, then stores the variants under `base` in
/// `store` (all of them, or none when the store fails: that is the shop's fault, a 500, not a
/// word about the picture).
async fn process(store: &MediaStore, base: String, bytes: Vec<u8>) -> Result<Processed, AppError> {
    let encoded = actix_web::web::block(move || images::process_upload(&bytes, &base))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let (stored, files) = match encoded {
        Ok(encoded) => encoded,
        Err(rejection) => return Ok(Processed::Refused(rejection.message_key())),
    };
    store.put_all(files).await.map_err(|e| {
        tracing::error!(error = %e, "storing image variants failed");
        AppError::internal(e)
    })?;
    Ok(Processed::Stored(stored))
}
