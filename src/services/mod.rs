//! Adapters behind interfaces: media storage (search, payments and mail come with their issues).

pub mod cache;
pub mod images;
pub mod indexer;
pub mod media;
