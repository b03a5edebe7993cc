//! The whole test suite as one binary: one link instead of one per file. Each module is a
//! former test file; `support` holds what they share. `./scripts/test` runs it with
//! cargo-nextest, one process per test.

mod support;

mod architecture;
mod authorization;
mod backoffice;
mod backup;
mod browser;
mod catalog;
mod crawlers;
mod design;
mod documents;
mod fairs;
mod hardening;
mod impact;
mod info;
mod instances;
mod mail;
mod meilisearch;
mod meilisearch_live;
mod metrics;
mod midtrans;
mod object_storage;
mod oversight;
mod payments;
mod photos;
mod plans;
mod properties;
mod search;
mod search_relevance;
mod search_tuning;
mod shop;
mod startup;
