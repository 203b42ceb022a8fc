//! PATCH (RFC 7644 §3.5.2): reading a `PatchOp` request and applying its
//! operations to a resource, all or none.

pub mod apply;
pub mod request;

pub use apply::{apply, Patched};
pub use request::{
    PatchOp, PatchOperation, PatchRequest, TargetPath, MAX_OPERATIONS, PATCH_OP_URN,
};

/// `text` in double quotes for an error message, with `"`, `\` and control
/// characters escaped, cut after 64 characters.
pub(crate) fn quote(text: &str) -> String {
    const LIMIT: usize = 64;
    let mut out = String::with_capacity(text.len().min(LIMIT) + 5);
    out.push('"');
    for (count, ch) in text.chars().enumerate() {
        if count == LIMIT {
            out.push_str("...");
            break;
        }
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
