//! Where resources live: the one interface every storage back end implements
//! (this crate's `SQLite` store, the Drupal module's user accounts and roles),
//! with the types it speaks.
//!
//! The interface stores and finds; it decides nothing about SCIM. Validation,
//! PATCH, attribute projection and the meaning of filters stay in the core:
//! a back end receives canonical resources (see the crate's conventions),
//! keeps them, stamps `id` and `meta`, keeps `userName` (Users) and
//! `displayName` (Groups) unique without regard to case, and keeps group
//! membership consistent in both directions (`Group.members` and the
//! read-only `User.groups`, RFC 7643 §4.1.2 and §4.2).
//!
//! It is small so that PHP can implement it: five required methods over JSON
//! values and a version number. The read-modify-write of PATCH and PUT
//! ([`Store::update`]) has a provided implementation built on `get` and a
//! compare-and-swap `replace`, so a back end that can only do
//! "save if the version is still N" still loses no concurrent change; the
//! `SQLite` store overrides it with one `IMMEDIATE` transaction.

mod background;
pub mod migrations;
pub mod sql;
pub mod sqlite;
pub mod stamp;

pub use sqlite::{Durability, Options, SqliteStore};

use crate::filter::{AttrPath, Filter};
use crate::{Result, ScimError};
use serde_json::Value;
use std::fmt;

/// The resource types a store keeps (RFC 7643 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `User` (RFC 7643 §4.1): unique by `userName`, without regard to case.
    User,
    /// `Group` (RFC 7643 §4.2): unique by `displayName`, without regard to case.
    Group,
}

impl Kind {
    /// The resource type's name, as `meta.resourceType` carries it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
        }
    }

    /// The kind named `name` (`User`, `Group`), matched without regard to case.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("User") {
            Some(Self::User)
        } else if name.eq_ignore_ascii_case("Group") {
            Some(Self::Group)
        } else {
            None
        }
    }

    /// The attribute whose value must be unique among resources of this kind,
    /// compared without regard to case: `userName` or `displayName`.
    #[must_use]
    pub fn unique_attribute(self) -> &'static str {
        match self {
            Self::User => "userName",
            Self::Group => "displayName",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A resource as a store returns it, with the version the caller renders as a
/// weak entity tag (RFC 7644 §3.14).
///
/// `resource` is the canonical resource with what the store owns filled in:
/// `id`; `meta.resourceType`, `meta.created` and `meta.lastModified` (RFC 3339,
/// UTC); for a Group, `members` as `{"value", "display", "type"}` objects;
/// for a User, `groups` as `{"value", "display", "type": "direct"}` objects.
/// Empty `members` and `groups` are left out (RFC 7643 §2.5: unassigned).
/// `meta.location`, `meta.version` and `$ref` are the caller's to add: they
/// depend on the base URL and the entity-tag format, which a store does not
/// know.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// The resource.
    pub resource: Value,
    /// Starts at 1 and grows by one with every change of the resource,
    /// including a change of its memberships.
    pub version: u64,
}

impl Stored {
    /// The resource's `id`.
    #[must_use]
    pub fn id(&self) -> &str {
        self.resource
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// A search of one resource type (RFC 7644 §3.4.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query<'a> {
    /// The filter; `None` for every resource of the type.
    pub filter: Option<&'a Filter>,
    /// `sortBy` (RFC 7644 §3.4.2.3); `None` for the store's stable order
    /// (creation order).
    pub sort_by: Option<&'a AttrPath>,
    /// `sortOrder=descending`.
    pub descending: bool,
    /// `startIndex`, 1-based (RFC 7644 §3.4.2.4); values below 1 count as 1.
    pub start_index: u64,
    /// `count`: at most this many resources; `None` for no limit.
    pub count: Option<u64>,
    /// Whether to fill in `members` (Groups) and `groups` (Users). `false`
    /// spares loading a large group's members when the client excluded them
    /// (`excludedAttributes=members`); a store may still fill them in, and
    /// must when the answer is not [`Page::exact`], since the caller then
    /// evaluates the filter on the resources.
    pub memberships: bool,
}

impl Default for Query<'_> {
    fn default() -> Self {
        Self {
            filter: None,
            sort_by: None,
            descending: false,
            start_index: 1,
            count: None,
            memberships: true,
        }
    }
}

/// The answer to a [`Query`].
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// With `exact`, the number of matches before paging (`totalResults`);
    /// otherwise the number of candidates returned.
    pub total: u64,
    /// The resources: see `exact`.
    pub resources: Vec<Stored>,
    /// `true`: the store applied the filter, sort and paging exactly as the
    /// core's evaluator (`crate::filter::matches`) would, and `resources` is
    /// the requested page. `false`: `resources` holds every resource that
    /// might match (a superset, in creation order, unpaged), and the caller
    /// filters, sorts and pages them.
    pub exact: bool,
}

/// How many times the provided [`Store::update`] re-reads a resource that
/// changed under it before giving up.
pub const UPDATE_ATTEMPTS: usize = 8;

/// The storage interface. One implementation per back end; every method is
/// about one resource type.
///
/// Contract for implementers, beyond each method's documentation:
/// - Resources come in canonical (the core validated them). A store ignores
///   the `id` and `meta` they carry, and `groups` of a User (read-only,
///   computed from memberships).
/// - A Group's membership is the set of `members[].value` ids; each must name
///   an existing User or Group, else
///   `invalidValue` "members: no User or Group has id \"…\"". A member's
///   `type` is the type of the resource it names, whatever the client said.
/// - Deleting a resource removes it from every group.
/// - Uniqueness: `userName` (Users) and `displayName` (Groups), compared after
///   lowercasing (`str::to_lowercase`), else `uniqueness` (409)
///   "userName \"…\" is already in use" (the value as given).
/// - Not found: `NotFound` "User \"…\" not found" (or Group).
/// - A stale `expected_version`: `PreconditionFailed`
///   "User \"…\" is at version N, not M".
pub trait Store {
    /// The resource `id` of `kind`.
    ///
    /// # Errors
    /// `NotFound`; `Internal` when the back end fails.
    fn get(&self, kind: Kind, id: &str) -> Result<Stored>;

    /// Stores a new resource with a fresh `id`, version 1, `created` and
    /// `lastModified` set to now.
    ///
    /// # Errors
    /// `uniqueness`; `invalidValue` for an unknown member; `Internal`.
    fn create(&self, kind: Kind, resource: Value) -> Result<Stored>;

    /// Replaces resource `id` with `resource` (keeping `id` and `created`),
    /// bumping its version; when `expected_version` is given, only if the
    /// stored version still equals it (a compare-and-swap: the check and the
    /// write must be atomic).
    ///
    /// # Errors
    /// `NotFound`; `PreconditionFailed`; `uniqueness`; `invalidValue` for an
    /// unknown member; `Internal`.
    fn replace(
        &self,
        kind: Kind,
        id: &str,
        resource: Value,
        expected_version: Option<u64>,
    ) -> Result<Stored>;

    /// Deletes resource `id` and its memberships; when `expected_version` is
    /// given, only if the stored version still equals it.
    ///
    /// # Errors
    /// `NotFound`; `PreconditionFailed`; `Internal`.
    fn delete(&self, kind: Kind, id: &str, expected_version: Option<u64>) -> Result<()>;

    /// Searches resources of `kind`; see [`Page::exact`] for what the answer
    /// holds. A back end that cannot filter returns every resource of the
    /// type with `exact: false`.
    ///
    /// # Errors
    /// `Internal`.
    fn query(&self, kind: Kind, query: &Query<'_>) -> Result<Page>;

    /// Read-modify-write, atomically: reads resource `id`, checks
    /// `expected_version` (the client's `If-Match`), hands the resource to
    /// `modify` and stores what it returns as by [`Store::replace`]. No
    /// change made by another writer in between is lost: PATCH and PUT go
    /// through here.
    ///
    /// The provided implementation retries `get` + `modify` + compare-and-swap
    /// `replace` up to [`UPDATE_ATTEMPTS`] times, so `modify` may run more
    /// than once and must not have side effects.
    ///
    /// # Errors
    /// Whatever `modify` returns; those of `get` and `replace`; `Conflict`
    /// when the resource kept changing.
    fn update(
        &self,
        kind: Kind,
        id: &str,
        expected_version: Option<u64>,
        modify: &mut dyn FnMut(&Value) -> Result<Value>,
    ) -> Result<Stored> {
        for _ in 0..UPDATE_ATTEMPTS {
            if let Some(done) = update_once(self, kind, id, expected_version, modify) {
                return done;
            }
        }
        Err(ScimError::Conflict(format!(
            "{kind} \"{id}\" kept changing, try again"
        )))
    }
}

/// One optimistic read-modify-write of [`Store::update`]: `get`, `modify`,
/// then `replace` only if the version read is still the stored one. `None`
/// when another writer got there first and the client named no version, so
/// that trying again is right.
pub(crate) fn update_once<S: Store + ?Sized>(
    store: &S,
    kind: Kind,
    id: &str,
    expected_version: Option<u64>,
    modify: &mut dyn FnMut(&Value) -> Result<Value>,
) -> Option<Result<Stored>> {
    let attempt = store.get(kind, id).and_then(|current| {
        check_version(kind, id, current.version, expected_version)?;
        let next = modify(&current.resource)?;
        store.replace(kind, id, next, Some(current.version))
    });
    match attempt {
        Err(ScimError::PreconditionFailed(_)) if expected_version.is_none() => None,
        done => Some(done),
    }
}

/// The `NotFound` error of the store contract.
#[must_use]
pub fn not_found(kind: Kind, id: &str) -> ScimError {
    ScimError::NotFound(format!("{kind} \"{id}\" not found"))
}

/// `PreconditionFailed` unless `expected` is `None` or equals `actual`
/// (RFC 7644 §3.14).
///
/// # Errors
/// `PreconditionFailed` "User \"…\" is at version N, not M".
pub fn check_version(kind: Kind, id: &str, actual: u64, expected: Option<u64>) -> Result<()> {
    match expected {
        Some(expected) if expected != actual => Err(ScimError::PreconditionFailed(format!(
            "{kind} \"{id}\" is at version {actual}, not {expected}"
        ))),
        _ => Ok(()),
    }
}

/// The `uniqueness` error of the store contract.
#[must_use]
pub fn already_in_use(kind: Kind, value: &str) -> ScimError {
    ScimError::uniqueness(format!(
        "{} \"{value}\" is already in use",
        kind.unique_attribute()
    ))
}

/// The `invalidValue` error for a member id that names nothing.
#[must_use]
pub fn unknown_member(id: &str) -> ScimError {
    ScimError::invalid_value(format!("members: no User or Group has id \"{id}\""))
}
