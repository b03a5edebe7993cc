//! Unit staff add a photo to a product: checked, re-encoded into its variants, recorded.

use crate::error::AppError;
use crate::models::product;
use crate::services::images;

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
    let stored = match process(shop, base, bytes).await? {
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

/// Which of a unit's brand pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandPicture {
    Logo,
    Banner,
}

impl BrandPicture {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "logo" => Some(Self::Logo),
            "banner" => Some(Self::Banner),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Logo => "logo",
            Self::Banner => "banner",
        }
    }

    /// The width of the variant pages show.
    fn width(self) -> u32 {
        match self {
            Self::Logo => 320,
            Self::Banner => 1280,
        }
    }
}

/// Replaces the unit's logo or banner with `bytes`, through the image pipeline.
pub async fn set_brand_picture(
    shop: Shop<'_>,
    unit_id: i32,
    actor_id: i32,
    which: BrandPicture,
    bytes: Vec<u8>,
) -> Result<PhotoOutcome, AppError> {
    let base = format!("units/{unit_id}/{}-{}", which.code(), images::fresh_name());
    let stored = match process(shop, base, bytes).await? {
        Processed::Stored(stored) => stored,
        Processed::Refused(key) => return Ok(PhotoOutcome::Refused(key)),
    };
    let path = format!("{}-{}.jpg", stored.path_base, which.width());
    shop.write(move |c| {
        Ok(crate::models::unit::set_image(
            c,
            unit_id,
            which.code(),
            &path,
            actor_id,
        )?)
    })
    .await?;
    Ok(PhotoOutcome::Added)
}

/// What the image pipeline made of an upload.
enum Processed {
    Stored(images::StoredImage),
    /// Refused; the key of the message saying why.
    Refused(&'static str),
}

/// Runs the image pipeline off the worker thread, storing the variants under `base`.
async fn process(shop: Shop<'_>, base: String, bytes: Vec<u8>) -> Result<Processed, AppError> {
    let media = shop.media.clone();
    let stored = actix_web::web::block(move || images::process_upload(&bytes, &media, &base))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(match stored {
        Ok(stored) => Processed::Stored(stored),
        Err(rejection) => Processed::Refused(rejection.message_key()),
    })
}
