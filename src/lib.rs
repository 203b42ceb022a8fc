//! A SCIM 2.0 service provider engine (RFC 7643, RFC 7644) for Drupal
//! provisioning, built as the PHP extension `scim`.

pub mod compare;
pub mod datetime;
pub mod discovery;
pub mod error;
pub mod filter;
pub mod list;
pub mod mapping;
pub mod patch;
pub mod resource;
pub mod schema;
pub mod server;
pub mod store;
pub mod version;

#[cfg(feature = "php")]
pub mod php;

pub use error::{Result, ScimError, ScimType};

/// Rust's allocations (never PHP's: the engine keeps its own heap) go to
/// mimalloc, which spends about half the time glibc's malloc does on the
/// many small maps and strings of a SCIM resource (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
