//! PATCH (RFC 7644 §3.5.2): reading a `PatchOp` request and applying its
//! operations to a resource, all or none.

pub mod apply;
pub mod request;

pub use apply::{apply, apply_owned, Patched};
pub use request::{
    PatchOp, PatchOperation, PatchRequest, TargetPath, MAX_OPERATIONS, PATCH_OP_URN,
};

/// Longest text quoted in an error message.
const QUOTE_LIMIT: usize = 64;
