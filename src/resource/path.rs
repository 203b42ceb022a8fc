//! Where in a resource a value sits, kept on the stack while validating and
//! rendered only when an error names it (`emails[0].primary`).

use std::fmt;

/// A location in a resource: a chain of borrowed segments, no allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// The resource itself.
    Root,
    /// An extension object, named by its URN.
    Urn(&'a str),
    /// An attribute of the parent.
    Attr(&'a Path<'a>, &'a str),
    /// An element of the parent multi-valued attribute.
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    /// The attribute `name` inside this location.
    pub(crate) fn attr(&'a self, name: &'a str) -> Path<'a> {
        Path::Attr(self, name)
    }

    /// Element `i` of this multi-valued location.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }
}

impl fmt::Display for Path<'_> {
    /// Renders the path as RFC 7644 §3.10 writes attribute names: sub-attributes
    /// after a dot, extension attributes after their URN and a colon.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Urn(urn) => f.write_str(urn),
            Path::Attr(Path::Root, name) => f.write_str(name),
            Path::Attr(parent @ Path::Urn(_), name) => write!(f, "{parent}:{name}"),
            Path::Attr(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rfc_attribute_names() {
        let root = Path::Root;
        let emails = root.attr("emails");
        let first = emails.index(0);
        assert_eq!(first.attr("primary").to_string(), "emails[0].primary");
        let ext = Path::Urn("urn:x:2.0:User");
        let manager = ext.attr("manager");
        assert_eq!(
            manager.attr("value").to_string(),
            "urn:x:2.0:User:manager.value"
        );
    }
}
