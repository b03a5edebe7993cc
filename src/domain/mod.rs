//! Validated domain types and rules. No I/O here.

mod catalog;
pub mod fair;
pub mod import;
mod money;
pub mod order;
mod slug;
mod staff;

pub use catalog::{
    badge_is_public, CertificationKind, CertificationStatus, ListingSort, PageNumber,
    ProductStatus, RevenueSplit, UnitKind,
};
pub use money::{format_rupiah, Rupiah};
pub use slug::Slug;
pub use staff::{
    status_after_edit, whole_number, Actor, FieldErrors, ProductDraft, ProductForm, Role,
};
