//! The schemas RFC 7643 defines: User (§4.1), Group (§4.2), the Enterprise
//! User extension (§4.3) and the common attributes every resource has (§3.1).

use super::attribute::{AttrType, Attribute, Mutability, Returned, Uniqueness};
use super::Schema;

/// URN of the core User schema.
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
/// URN of the core Group schema.
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
/// URN of the Enterprise User extension.
pub const ENTERPRISE_USER_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

use AttrType::String as Str;
use AttrType::{Binary, Boolean, Complex, DateTime, Reference};

fn text(name: &str, description: &str) -> Attribute {
    Attribute::new(name, Str, description)
}

/// The `value`/`display`/`type`/`primary` shape of RFC 7643 §2.4, with `value` of `value_type`.
fn multi_valued(name: &str, description: &str, value: Attribute, types: &[&str]) -> Attribute {
    Attribute::new(name, Complex, description)
        .multi()
        .with_sub_attributes(vec![
            value,
            text("display", "A label for display purposes").mutability(Mutability::ReadWrite),
            text("type", "What kind of value this is").canonical(types),
            Attribute::new("primary", Boolean, "Whether this is the preferred value"),
        ])
}

/// `id`, `externalId` and `meta` (RFC 7643 §3.1), shared by every resource type.
#[must_use]
pub fn common_attributes() -> Vec<Attribute> {
    vec![
        text("id", "The service provider's identifier of the resource")
            .case_exact()
            .mutability(Mutability::ReadOnly)
            .returned(Returned::Always)
            .uniqueness(Uniqueness::Server),
        text("externalId", "The client's identifier of the resource").case_exact(),
        Attribute::new("meta", Complex, "Resource metadata")
            .mutability(Mutability::ReadOnly)
            .with_sub_attributes(vec![
                text("resourceType", "The type of the resource")
                    .case_exact()
                    .mutability(Mutability::ReadOnly),
                Attribute::new("created", DateTime, "When the resource was added")
                    .mutability(Mutability::ReadOnly),
                Attribute::new("lastModified", DateTime, "When the resource last changed")
                    .mutability(Mutability::ReadOnly),
                Attribute::new("location", Reference, "The URI of the resource")
                    .case_exact()
                    .references(&["uri"])
                    .mutability(Mutability::ReadOnly),
                text(
                    "version",
                    "The version of the resource, as a weak entity tag",
                )
                .case_exact()
                .mutability(Mutability::ReadOnly),
            ]),
    ]
}

/// The core User schema (RFC 7643 §4.1).
#[must_use]
// One table of the RFC's attributes, in its order; splitting it would hide that.
#[allow(clippy::too_many_lines)]
pub fn user_schema() -> Schema {
    let name = Attribute::new("name", Complex, "The parts of the user's real name")
        .with_sub_attributes(vec![
            text("formatted", "The full name, formatted for display"),
            text("familyName", "The family (last) name"),
            text("givenName", "The given (first) name"),
            text("middleName", "The middle name(s)"),
            text("honorificPrefix", "Title before the name, such as Ms."),
            text("honorificSuffix", "Suffix after the name, such as III"),
        ]);
    let address = Attribute::new("addresses", Complex, "Physical mailing addresses")
        .multi()
        .with_sub_attributes(vec![
            text("formatted", "The full address, formatted for display"),
            text("streetAddress", "House number, street and the like"),
            text("locality", "City or locality"),
            text("region", "State or region"),
            text("postalCode", "Postal code"),
            text("country", "Country, as an ISO 3166-1 alpha-2 code"),
            text("type", "What kind of address this is").canonical(&["work", "home", "other"]),
            Attribute::new("primary", Boolean, "Whether this is the preferred address"),
        ]);
    let groups = Attribute::new("groups", Complex, "Groups the user belongs to")
        .multi()
        .mutability(Mutability::ReadOnly)
        .with_sub_attributes(vec![
            text("value", "The group's id").mutability(Mutability::ReadOnly),
            Attribute::new("$ref", Reference, "The group's URI")
                .references(&["User", "Group"])
                .mutability(Mutability::ReadOnly),
            text("display", "The group's display name").mutability(Mutability::ReadOnly),
            text("type", "How the user belongs to it")
                .canonical(&["direct", "indirect"])
                .mutability(Mutability::ReadOnly),
        ]);
    Schema {
        id: USER_URN.to_owned(),
        name: "User".to_owned(),
        description: "User Account".to_owned(),
        attributes: vec![
            text("userName", "The unique identifier the user signs in with")
                .required()
                .uniqueness(Uniqueness::Server),
            name,
            text("displayName", "The name shown for the user"),
            text("nickName", "The casual name of the user"),
            Attribute::new(
                "profileUrl",
                Reference,
                "The URI of the user's online profile",
            )
            .references(&["external"]),
            text("title", "The user's job title"),
            text("userType", "The relation of the user to the organization"),
            text("preferredLanguage", "The user's preferred language"),
            text("locale", "The user's default location, for formatting"),
            text("timezone", "The user's time zone, in IANA format"),
            Attribute::new("active", Boolean, "Whether the user may sign in"),
            text(
                "password",
                "The user's clear-text password, for setting only",
            )
            .mutability(Mutability::WriteOnly)
            .returned(Returned::Never),
            multi_valued(
                "emails",
                "Email addresses",
                text("value", "The email address"),
                &["work", "home", "other"],
            ),
            multi_valued(
                "phoneNumbers",
                "Phone numbers",
                text("value", "The phone number"),
                &["work", "home", "mobile", "fax", "pager", "other"],
            ),
            multi_valued(
                "ims",
                "Instant messaging addresses",
                text("value", "The instant messaging address"),
                &["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"],
            ),
            multi_valued(
                "photos",
                "URIs of images of the user",
                Attribute::new("value", Reference, "The image URI").references(&["external"]),
                &["photo", "thumbnail"],
            ),
            address,
            groups,
            multi_valued(
                "entitlements",
                "Entitlements of the user",
                text("value", "The entitlement"),
                &[],
            ),
            multi_valued("roles", "Roles of the user", text("value", "The role"), &[]),
            multi_valued(
                "x509Certificates",
                "Certificates of the user",
                Attribute::new("value", Binary, "The DER-encoded certificate, base64"),
                &[],
            ),
        ],
    }
}

/// The core Group schema (RFC 7643 §4.2). `displayName` is required, as §4.2's
/// prose says (the §8.7.1 listing marks it optional).
#[must_use]
pub fn group_schema() -> Schema {
    Schema {
        id: GROUP_URN.to_owned(),
        name: "Group".to_owned(),
        description: "Group".to_owned(),
        attributes: vec![
            text("displayName", "The name of the group")
                .required()
                .uniqueness(Uniqueness::Server),
            Attribute::new("members", Complex, "The members of the group")
                .multi()
                .with_sub_attributes(vec![
                    text("value", "The member's id").mutability(Mutability::Immutable),
                    Attribute::new("$ref", Reference, "The member's URI")
                        .references(&["User", "Group"])
                        .mutability(Mutability::Immutable),
                    text("display", "The member's display name").mutability(Mutability::ReadOnly),
                    text("type", "Whether the member is a user or a group")
                        .canonical(&["User", "Group"])
                        .mutability(Mutability::Immutable),
                ]),
        ],
    }
}

/// The Enterprise User extension (RFC 7643 §4.3).
#[must_use]
pub fn enterprise_user_schema() -> Schema {
    Schema {
        id: ENTERPRISE_USER_URN.to_owned(),
        name: "EnterpriseUser".to_owned(),
        description: "Enterprise User".to_owned(),
        attributes: vec![
            text("employeeNumber", "The organization's number for the user"),
            text("costCenter", "The cost center"),
            text("organization", "The organization"),
            text("division", "The division"),
            text("department", "The department"),
            Attribute::new("manager", Complex, "The user's manager").with_sub_attributes(vec![
                text("value", "The manager's id"),
                Attribute::new("$ref", Reference, "The manager's URI").references(&["User"]),
                text("displayName", "The manager's display name").mutability(Mutability::ReadOnly),
            ]),
        ],
    }
}
