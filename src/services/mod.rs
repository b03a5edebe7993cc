//! Adapters behind interfaces: media storage, mail, payment providers (bank transfer, Stripe,
//! Midtrans), caches, images, the search outbox delivery and the Prometheus metrics.

pub mod backup;
pub mod cache;
pub mod expiry;
pub mod images;
pub mod indexer;
pub mod mail;
pub mod media;
pub mod metrics;
pub mod midtrans;
pub mod payments;
