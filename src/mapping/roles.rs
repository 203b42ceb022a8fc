//! Groups to roles: which Drupal roles an account's SCIM group memberships
//! grant, under the site builder's allow-list.

use serde::Serialize;

/// One entry of the role map: members of `group` hold `role`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRule {
    /// The SCIM group: its `id`, compared exactly, or its `displayName`,
    /// compared without regard to case (RFC 7643 §4.2 makes it caseExact false).
    pub group: String,
    /// The Drupal role machine name.
    pub role: String,
}

impl RoleRule {
    /// Members of `group` hold `role`.
    #[must_use]
    pub fn new(group: &str, role: &str) -> Self {
        Self {
            group: group.to_owned(),
            role: role.to_owned(),
        }
    }

    /// Whether this entry names `group`.
    fn names(&self, group: &GroupRef<'_>) -> bool {
        self.group == group.id || eq_ignore_case(&self.group, group.display_name)
    }
}

/// A SCIM group an account belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupRef<'a> {
    /// The group's `id`.
    pub id: &'a str,
    /// The group's `displayName`.
    pub display_name: &'a str,
}

/// The roles to grant and to take away so that an account holds what its
/// groups give it. Both lists are sorted and free of duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RoleChanges {
    /// Roles to grant.
    pub add: Vec<String>,
    /// Roles to take away.
    pub remove: Vec<String>,
}

impl RoleChanges {
    /// Whether nothing changes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// The roles Drupal gives every account or every visitor; no group grants them.
pub(super) const LOCKED_ROLES: [&str; 2] = ["anonymous", "authenticated"];

/// Whether `a` and `b` are equal without regard to case, Unicode-wise, with
/// no allocation.
fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || a.chars()
            .flat_map(char::to_lowercase)
            .eq(b.chars().flat_map(char::to_lowercase))
}

/// The roles `role_map` grants to members of `groups`, limited to `allowed`;
/// sorted, without duplicates.
pub(super) fn granted<'m>(
    role_map: &'m [RoleRule],
    allowed: &[String],
    groups: &[GroupRef<'_>],
) -> Vec<&'m str> {
    let mut roles: Vec<&str> = role_map
        .iter()
        .filter(|rule| allowed.contains(&rule.role))
        .filter(|rule| groups.iter().any(|g| rule.names(g)))
        .map(|rule| rule.role.as_str())
        .collect();
    roles.sort_unstable();
    roles.dedup();
    roles
}

/// What to grant and take away: a role named in `role_map` (and allowed) is
/// SCIM's to manage, so the account holds it exactly when a group grants it;
/// other roles are never touched.
pub(super) fn changes(
    role_map: &[RoleRule],
    allowed: &[String],
    groups: &[GroupRef<'_>],
    current: &[impl AsRef<str>],
) -> RoleChanges {
    let granted = granted(role_map, allowed, groups);
    let holds = |role: &str| current.iter().any(|r| r.as_ref() == role);

    let add = granted
        .iter()
        .filter(|r| !holds(r))
        .map(|r| (*r).to_owned())
        .collect();
    let mut remove: Vec<String> = current
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| !granted.contains(r))
        .filter(|r| allowed.iter().any(|a| a == r))
        .filter(|r| role_map.iter().any(|rule| rule.role == *r))
        .map(str::to_owned)
        .collect();
    remove.sort_unstable();
    remove.dedup();
    RoleChanges { add, remove }
}
