//! Unit staff edit a product and arrange its photos.

use crate::domain::{FieldErrors, PhotoMove, ProductForm, ProductStatus};
use crate::error::AppError;
use crate::models::product::{self, Product};

use super::Shop;

/// How saving an edited product went.
#[derive(Debug)]
pub enum EditOutcome {
    /// Saved; the key of the message saying so (`flash-saved-to-review` when a published
    /// listing went back to review).
    Saved(&'static str),
    /// Nothing was saved; what is wrong, by field.
    Invalid(FieldErrors),
    /// Orders changed the stock since the form was opened, so nothing was saved: the product
    /// as it is now.
    StockChanged(Box<Product>),
}

/// Checks the form against the categories and saves it over `product`. The stock is changed
/// only from `stock_was`, the value the form showed (as sent).
pub async fn save_product(
    shop: Shop<'_>,
    product: &Product,
    form: &ProductForm,
    stock_was: &str,
    actor_id: i32,
) -> Result<EditOutcome, AppError> {
    let caches = shop.caches.clone();
    let categories = shop.read(move |c| Ok(caches.category_list(c)?)).await?;
    let category_ids: Vec<i32> = categories.iter().map(|c| c.id).collect();
    let draft = match form.validate(&category_ids) {
        Ok(draft) => draft,
        Err(errors) => return Ok(EditOutcome::Invalid(errors)),
    };
    let (id, was) = (product.id, product.status);
    let stock_was = stock_was.trim().parse::<i32>().ok();
    let saved = shop
        .write(move |c| Ok(product::save_draft(c, id, &draft, stock_was, actor_id)?))
        .await?;
    let Some(status) = saved else {
        let fresh = shop.write(move |c| Ok(product::by_id(c, id)?)).await?;
        let fresh = fresh.ok_or(AppError::NotFound)?;
        return Ok(EditOutcome::StockChanged(Box::new(fresh)));
    };
    Ok(EditOutcome::Saved(
        if was == ProductStatus::Published && status == ProductStatus::Submitted {
            "flash-saved-to-review"
        } else {
            "flash-saved"
        },
    ))
}

/// A change to one photo of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoChange {
    /// Take it down, its files too (`hapus`).
    Remove,
    /// Move it: one place towards the front (`naik`) or the back (`turun`), or to the front,
    /// as the main photo (`utama`).
    Move(PhotoMove),
}

impl PhotoChange {
    /// The change named in the address: `hapus`, `naik`, `turun` or `utama`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "hapus" => Some(Self::Remove),
            "naik" => Some(Self::Move(PhotoMove::Up)),
            "turun" => Some(Self::Move(PhotoMove::Down)),
            "utama" => Some(Self::Move(PhotoMove::First)),
            _ => None,
        }
    }

    /// The key of the message shown once the change is made.
    pub fn done_message(self) -> &'static str {
        match self {
            Self::Remove => "flash-photo-deleted",
            Self::Move(PhotoMove::First) => "flash-photo-main",
            Self::Move(_) => "flash-photo-moved",
        }
    }
}

/// How changing a photo went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoChanged {
    /// Removed (files and all) or moved.
    Done,
    /// The product has no such photo: nothing changed.
    Missing,
}

/// Removes photo `photo_id` of product `product_id` (its files once the change is committed)
/// or moves it.
pub async fn change_photo(
    shop: Shop<'_>,
    product_id: i32,
    photo_id: i32,
    change: PhotoChange,
    actor_id: i32,
) -> Result<PhotoChanged, AppError> {
    let done = match change {
        PhotoChange::Move(to) => {
            shop.write(move |c| {
                Ok(product::move_photo(
                    c,
                    product_id,
                    photo_id,
                    to,
                    Some(actor_id),
                )?)
            })
            .await?
        }
        PhotoChange::Remove => {
            let removed = shop
                .write(move |c| Ok(product::delete_photo(c, product_id, photo_id, actor_id)?))
                .await?;
            // The files go too: a photo taken down must not stay reachable by its address.
            if let Some(base) = &removed {
                shop.media.remove_variants(base).await;
            }
            removed.is_some()
        }
    };
    Ok(if done {
        PhotoChanged::Done
    } else {
        PhotoChanged::Missing
    })
}
