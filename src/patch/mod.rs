//! PATCH (RFC 7644 §3.5.2): reading a `PatchOp` request and applying its
//! operations to a resource, all or none.

pub mod apply;
pub mod request;

pub use apply::{apply, Patched};
pub use request::{
    PatchOp, PatchOperation, PatchRequest, TargetPath, MAX_OPERATIONS, PATCH_OP_URN,
};

// INTERIM until the filter module's parser lands: simple paths only.
pub(crate) fn parse_path(input: &str) -> crate::Result<crate::filter::PatchPath> {
    if input.contains('[') || input.is_empty() {
        return Err(crate::ScimError::invalid_path(format!(
            "interim: cannot parse \"{input}\""
        )));
    }
    let (uri, rest) = match input.rsplit_once(':') {
        Some((uri, rest)) => (Some(uri.to_owned()), rest),
        None => (None, input),
    };
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub.to_owned())),
        None => (rest, None),
    };
    Ok(crate::filter::PatchPath {
        uri,
        name: name.to_owned(),
        filter: None,
        sub_attr: sub,
    })
}

pub(crate) fn matches_value(
    _filter: &crate::filter::Filter,
    _element: &serde_json::Value,
    _attribute: &crate::schema::Attribute,
) -> bool {
    false
}
