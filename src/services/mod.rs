//! Adapters behind interfaces: media storage (search, payments and mail come with their issues).

pub mod backup;
pub mod cache;
pub mod expiry;
pub mod images;
pub mod indexer;
pub mod mail;
pub mod media;
pub mod payments;
