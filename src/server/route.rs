//! Endpoints (RFC 7644 §3.2): which resource or discovery document a request
//! path names.

use crate::store::Kind;

/// What a path below the base URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `/Users`, `/Groups`.
    Collection(Kind),
    /// `/Users/{id}`, `/Groups/{id}`.
    Resource(Kind, &'a str),
    /// `/Users/.search`, `/Groups/.search` (RFC 7644 §3.4.3).
    Search(Kind),
    /// `/.search`: every resource type.
    RootSearch,
    /// `/ServiceProviderConfig` (RFC 7644 §4).
    ServiceProviderConfig,
    /// `/Schemas` or `/Schemas/{id}`.
    Schemas(Option<&'a str>),
    /// `/ResourceTypes` or `/ResourceTypes/{id}`.
    ResourceTypes(Option<&'a str>),
    /// `/Me` (RFC 7644 §3.11): not supported.
    Me,
    /// `/Bulk` (RFC 7644 §3.7): not supported.
    Bulk,
    /// Anything else.
    Unknown,
}

impl<'a> Route<'a> {
    /// The route of `path`, the part of the request path after the base URL
    /// (`/Users/2819c223`). Endpoint names are matched without regard to
    /// case; ids are taken as they are. A trailing slash is ignored.
    #[must_use]
    pub fn parse(path: &'a str) -> Self {
        let path = path.trim_start_matches('/').trim_end_matches('/');
        let (head, rest) = match path.split_once('/') {
            Some((head, rest)) => (head, Some(rest)),
            None => (path, None),
        };
        let kind = if head.eq_ignore_ascii_case("Users") {
            Some(Kind::User)
        } else if head.eq_ignore_ascii_case("Groups") {
            Some(Kind::Group)
        } else {
            None
        };
        if let Some(kind) = kind {
            return match rest {
                None => Self::Collection(kind),
                Some(".search") => Self::Search(kind),
                Some(id) if !id.is_empty() && !id.contains('/') => Self::Resource(kind, id),
                Some(_) => Self::Unknown,
            };
        }
        let single = |rest: Option<&'a str>| match rest {
            Some(id) if id.contains('/') => None,
            other => Some(other),
        };
        match head {
            ".search" if rest.is_none() => Self::RootSearch,
            h if h.eq_ignore_ascii_case("ServiceProviderConfig") && rest.is_none() => {
                Self::ServiceProviderConfig
            }
            h if h.eq_ignore_ascii_case("Schemas") => {
                single(rest).map_or(Self::Unknown, Self::Schemas)
            }
            h if h.eq_ignore_ascii_case("ResourceTypes") => {
                single(rest).map_or(Self::Unknown, Self::ResourceTypes)
            }
            h if h.eq_ignore_ascii_case("Me") => Self::Me,
            h if h.eq_ignore_ascii_case("Bulk") && rest.is_none() => Self::Bulk,
            _ => Self::Unknown,
        }
    }

    /// The methods the route takes, for 405 answers and `Allow`.
    #[must_use]
    pub fn allowed(self) -> &'static [&'static str] {
        match self {
            Self::Collection(_) => &["GET", "POST"],
            Self::Resource(..) => &["GET", "PUT", "PATCH", "DELETE"],
            Self::Search(_) | Self::RootSearch | Self::Bulk => &["POST"],
            Self::ServiceProviderConfig | Self::Schemas(_) | Self::ResourceTypes(_) => &["GET"],
            Self::Me => &["GET", "POST", "PUT", "PATCH", "DELETE"],
            Self::Unknown => &[],
        }
    }

    /// Whether the route is a discovery document (RFC 7644 §4).
    #[must_use]
    pub fn is_discovery(self) -> bool {
        matches!(
            self,
            Self::ServiceProviderConfig | Self::Schemas(_) | Self::ResourceTypes(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_endpoint() {
        assert_eq!(Route::parse("/Users"), Route::Collection(Kind::User));
        assert_eq!(Route::parse("/users/"), Route::Collection(Kind::User));
        assert_eq!(
            Route::parse("/Groups/abc"),
            Route::Resource(Kind::Group, "abc")
        );
        assert_eq!(Route::parse("/Users/.search"), Route::Search(Kind::User));
        assert_eq!(Route::parse("/.search"), Route::RootSearch);
        assert_eq!(
            Route::parse("/ServiceProviderConfig"),
            Route::ServiceProviderConfig
        );
        assert_eq!(Route::parse("/Schemas"), Route::Schemas(None));
        assert_eq!(
            Route::parse("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"),
            Route::Schemas(Some("urn:ietf:params:scim:schemas:core:2.0:User"))
        );
        assert_eq!(
            Route::parse("/ResourceTypes/User"),
            Route::ResourceTypes(Some("User"))
        );
        assert_eq!(Route::parse("/Me"), Route::Me);
        assert_eq!(Route::parse("/Bulk"), Route::Bulk);
        assert_eq!(Route::parse("/"), Route::Unknown);
        assert_eq!(Route::parse("/Users/a/b"), Route::Unknown);
        assert_eq!(Route::parse("/Widgets"), Route::Unknown);
    }
}
