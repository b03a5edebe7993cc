//! Adapters behind interfaces: media storage, mail, payment providers (bank transfer, Stripe,
//! Midtrans), caches, images and the search outbox delivery.

pub mod backup;
pub mod cache;
pub mod expiry;
pub mod images;
pub mod indexer;
pub mod mail;
pub mod media;
pub mod midtrans;
pub mod payments;
