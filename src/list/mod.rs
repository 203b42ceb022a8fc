//! Listing resources (RFC 7644 §3.4.2, §3.4.3): which attributes a response
//! carries, in what order resources come, which page of them is returned,
//! and the `ListResponse` that carries them.

pub mod paging;
pub mod projection;
pub mod search;
pub mod sort;

pub use paging::{ListResponse, Paging, DEFAULT_MAX_PAGE_SIZE, LIST_RESPONSE_URN};
pub use projection::Projection;
pub use search::{SearchRequest, SEARCH_REQUEST_URN};
pub use sort::{Sort, SortOrder};

use crate::schema::{Attribute, Registry, ResourceType};
use crate::Result;
use serde_json::Value;

/// A list or search request resolved against one resource type: everything
/// needed to turn the resources a filter matched into a `ListResponse`.
///
/// The filter itself is not part of it: the caller (the store, or
/// `crate::filter::matches`) selects the resources first.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The attributes each returned resource carries.
    pub projection: Projection,
    /// The order, when `sortBy` was given; otherwise the caller's order stands.
    pub sort: Option<Sort>,
    /// The page to return.
    pub paging: Paging,
}

impl Query {
    /// Resolves `request` against `rt`, clamping `count` to `max_page_size`.
    ///
    /// # Errors
    ///
    /// Those of [`Projection::from_lists`] and [`Sort::new`].
    pub fn from_request(
        request: &SearchRequest,
        registry: &Registry,
        rt: &ResourceType,
        max_page_size: usize,
    ) -> Result<Self> {
        let projection = Projection::from_lists(
            &request.attributes,
            &request.excluded_attributes,
            registry,
            rt,
        )?;
        let sort = match &request.sort_by {
            Some(path) => Some(Sort::new(path, request.sort_order, registry, rt)?),
            None => None,
        };
        let paging = Paging::new(request.start_index, request.count, max_page_size);
        Ok(Self {
            projection,
            sort,
            paging,
        })
    }

    /// Sorts `matched`, cuts out the requested page, projects each resource
    /// of the page and renders the `ListResponse` (RFC 7644 §3.4.2).
    ///
    /// `matched` holds every resource the filter selected, so its length is
    /// `totalResults`.
    #[must_use]
    pub fn respond(
        &self,
        mut matched: Vec<Value>,
        registry: &Registry,
        rt: &ResourceType,
    ) -> Value {
        if let Some(sort) = &self.sort {
            sort.apply(&mut matched);
        }
        let total = matched.len();
        let window = self.paging.window(total);
        let resources: Vec<Value> = matched
            .into_iter()
            .skip(window.start)
            .take(window.len())
            .map(|mut resource| {
                self.projection.apply_in_place(&mut resource, registry, rt);
                resource
            })
            .collect();
        ListResponse::new(total, self.paging.start_index, resources).to_json()
    }
}

/// What an attribute name of `attributes`, `excludedAttributes` or `sortBy`
/// designates in a resource type (RFC 7644 §3.10).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// A whole extension object, named by its URN alone.
    Extension(&'a str),
    /// An attribute, or one sub-attribute of a complex attribute.
    Attribute {
        /// The extension URN holding the attribute; `None` for core and common attributes.
        extension: Option<&'a str>,
        /// The top-level attribute.
        attribute: &'a Attribute,
        /// The sub-attribute, when the path names one.
        sub: Option<&'a Attribute>,
    },
}

/// Resolves `path` (`userName`, `name.givenName`, `emails.value`,
/// `urn:...:enterprise:2.0:User:department`, or an extension URN alone)
/// against `rt`, matching names without regard to case (RFC 7643 §2.1).
/// `None` when the path names nothing `rt` has.
pub(crate) fn resolve<'a>(
    registry: &'a Registry,
    rt: &'a ResourceType,
    path: &str,
) -> Option<Target<'a>> {
    let path = path.trim();
    if let Some(urn) = registry.extension_urn(rt, path) {
        return Some(Target::Extension(urn));
    }

    let (uri, rest) = split_urn(path);
    let (name, sub) = match rest.split_once('.') {
        Some((name, sub)) => (name, Some(sub)),
        None => (rest, None),
    };
    let resolved = registry.resolve(rt, uri, name)?;
    let extension = if resolved.extension {
        registry.extension_urn(rt, resolved.schema.map_or("", |s| s.id.as_str()))
    } else {
        None
    };
    let sub = match sub {
        Some(sub) => Some(resolved.attribute.sub_attribute(sub)?),
        None => None,
    };
    Some(Target::Attribute {
        extension,
        attribute: resolved.attribute,
        sub,
    })
}

/// Splits a URN-qualified attribute name at the colon before the attribute:
/// the URN itself contains colons and dots (`...:2.0:User`), the attribute
/// part holds no colon.
fn split_urn(path: &str) -> (Option<&str>, &str) {
    let is_urn = path
        .get(..4)
        .is_some_and(|head| head.eq_ignore_ascii_case("urn:"));
    match path.rfind(':') {
        Some(colon) if is_urn => {
            let (uri, rest) = path.split_at(colon);
            (Some(uri), rest.get(1..).unwrap_or(""))
        }
        _ => (None, path),
    }
}
