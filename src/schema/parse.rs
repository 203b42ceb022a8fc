//! Reading schema documents (RFC 7643 §7), so a site can define extension
//! schemas of its own; the inverse of [`Schema::to_json`].

use super::attribute::{AttrType, Attribute, Mutability, Returned, Uniqueness};
use super::Schema;
use crate::error::json_kind;
use crate::{Result, ScimError};
use serde_json::{Map, Value};

/// Reads a schema document: `id` (a URN), optional `name` and `description`,
/// and `attributes`, each with the characteristics of RFC 7643 §7. Missing
/// characteristics take the defaults of RFC 7643 §2.2 (type string, not
/// required, not caseExact, readWrite, returned by default, no uniqueness)
/// and `multiValued` defaults to false. Members this crate does not use
/// (`meta`, `schemas`) are ignored.
///
/// # Errors
/// `invalidSyntax` when the document's shape is wrong: not an object, no
/// `id` or `attributes`, an attribute without `name`, an attribute defined
/// twice, a complex attribute without sub-attributes or inside another
/// complex one (RFC 7643 §2.3.8), sub-attributes on a simple one.
/// `invalidValue` when a member has the wrong JSON type or an unknown
/// keyword, or a name is not an RFC 7643 §2.1 attribute name.
pub fn schema_from_json(doc: &Value) -> Result<Schema> {
    let Value::Object(doc) = doc else {
        return Err(ScimError::invalid_syntax(format!(
            "schema document must be a JSON object, got {}",
            json_kind(doc)
        )));
    };
    let id = match doc.get("id") {
        None | Some(Value::Null) => return Err(ScimError::invalid_syntax("schema has no \"id\"")),
        Some(Value::String(id)) => id,
        Some(other) => {
            return Err(ScimError::invalid_value(format!(
                "schema \"id\" must be a string, got {}",
                json_kind(other)
            )))
        }
    };
    // Extension data lives under the URN, and validation tells it from
    // attribute names by that prefix.
    if !id.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:")) || id.len() <= 4 {
        return Err(ScimError::invalid_value(format!(
            "schema \"id\" must be a URN, got {id:?}"
        )));
    }
    let owner = format!("schema {id:?}");
    let name = optional_string(doc, "name", &owner)?.unwrap_or_default();
    let description = optional_string(doc, "description", &owner)?.unwrap_or_default();
    let attributes = match doc.get("attributes") {
        None | Some(Value::Null) => {
            return Err(ScimError::invalid_syntax(format!(
                "{owner} has no \"attributes\""
            )))
        }
        Some(list) => attribute_list(list, "attributes", None, &owner)?,
    };
    Ok(Schema {
        id: id.clone(),
        name,
        description,
        attributes,
    })
}

/// The definitions in `list`, found at `at` (`attributes`,
/// `attributes[5].subAttributes`), belonging to the complex attribute
/// named `parent` when they are sub-attributes.
fn attribute_list(
    list: &Value,
    at: &str,
    parent: Option<&str>,
    owner: &str,
) -> Result<Vec<Attribute>> {
    let Value::Array(list) = list else {
        return Err(ScimError::invalid_syntax(format!(
            "{owner}: \"{at}\" must be an array, got {}",
            json_kind(list)
        )));
    };
    let mut attributes: Vec<Attribute> = Vec::with_capacity(list.len());
    for (i, def) in list.iter().enumerate() {
        let attribute = attribute(def, &format!("{at}[{i}]"), parent, owner)?;
        if attributes
            .iter()
            .any(|a| a.name.eq_ignore_ascii_case(&attribute.name))
        {
            return Err(ScimError::invalid_syntax(format!(
                "attribute \"{}\" is defined twice",
                full_name(parent, &attribute.name)
            )));
        }
        attributes.push(attribute);
    }
    Ok(attributes)
}

/// One attribute definition, found at `at`.
fn attribute(def: &Value, at: &str, parent: Option<&str>, owner: &str) -> Result<Attribute> {
    let Value::Object(def) = def else {
        return Err(ScimError::invalid_syntax(format!(
            "{owner}: \"{at}\" must be an object, got {}",
            json_kind(def)
        )));
    };
    let Some(name) = optional_string(def, "name", &format!("{owner}: \"{at}\""))? else {
        return Err(ScimError::invalid_syntax(format!(
            "{owner}: \"{at}\" has no \"name\""
        )));
    };
    let full = full_name(parent, &name);
    if !is_attribute_name(&name) {
        return Err(ScimError::invalid_value(format!(
            "attribute name {full:?} is not valid (RFC 7643 §2.1)"
        )));
    }
    let owner = format!("attribute {full:?}");

    let attr_type = keyword(
        def,
        "type",
        AttrType::parse,
        AttrType::String,
        &owner,
        TYPES,
    )?;
    let mut attribute = Attribute::new(&name, attr_type, "");
    attribute.description = optional_string(def, "description", &owner)?.unwrap_or_default();
    attribute.multi_valued = flag(def, "multiValued", &owner)?;
    attribute.required = flag(def, "required", &owner)?;
    attribute.case_exact = flag(def, "caseExact", &owner)?;
    attribute.mutability = keyword(
        def,
        "mutability",
        Mutability::parse,
        Mutability::ReadWrite,
        &owner,
        MUTABILITIES,
    )?;
    attribute.returned = keyword(
        def,
        "returned",
        Returned::parse,
        Returned::Default,
        &owner,
        RETURNED,
    )?;
    attribute.uniqueness = keyword(
        def,
        "uniqueness",
        Uniqueness::parse,
        Uniqueness::None,
        &owner,
        UNIQUENESSES,
    )?;
    attribute.canonical_values = strings(def, "canonicalValues", &owner)?;
    attribute.reference_types = strings(def, "referenceTypes", &owner)?;

    let subs = def.get("subAttributes").filter(|v| !v.is_null());
    match (attr_type, subs) {
        (AttrType::Complex, _) if parent.is_some() => {
            return Err(ScimError::invalid_syntax(format!(
                "attribute {full:?} is complex inside a complex attribute (RFC 7643 §2.3.8)"
            )));
        }
        (AttrType::Complex, Some(subs)) => {
            attribute.sub_attributes =
                attribute_list(subs, &format!("{at}.subAttributes"), Some(&name), &owner)?;
            if attribute.sub_attributes.is_empty() {
                return Err(no_sub_attributes(&full));
            }
        }
        (AttrType::Complex, None) => return Err(no_sub_attributes(&full)),
        (_, Some(_)) => {
            return Err(ScimError::invalid_syntax(format!(
                "attribute {full:?} has \"subAttributes\" but is of type \"{}\"",
                attr_type.as_str()
            )));
        }
        (_, None) => {}
    }
    Ok(attribute)
}

fn no_sub_attributes(full: &str) -> ScimError {
    ScimError::invalid_syntax(format!(
        "complex attribute {full:?} has no \"subAttributes\""
    ))
}

fn full_name(parent: Option<&str>, name: &str) -> String {
    match parent {
        Some(parent) => format!("{parent}.{name}"),
        None => name.to_owned(),
    }
}

/// RFC 7643 §2.1: `ATTRNAME = ALPHA *(nameChar)`, `nameChar = "-" / "_" /
/// DIGIT / ALPHA`; and `$ref`, which RFC 7643 itself uses for references.
fn is_attribute_name(name: &str) -> bool {
    if name == "$ref" {
        return true;
    }
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

const TYPES: &str = "string, boolean, decimal, integer, dateTime, binary, reference, complex";
const MUTABILITIES: &str = "readOnly, readWrite, immutable, writeOnly";
const RETURNED: &str = "always, never, default, request";
const UNIQUENESSES: &str = "none, server, global";

/// A keyword member such as `mutability`, parsed by `parse`, `default` when absent.
fn keyword<T>(
    def: &Map<String, Value>,
    member: &str,
    parse: fn(&str) -> Option<T>,
    default: T,
    owner: &str,
    allowed: &str,
) -> Result<T> {
    match optional_string(def, member, owner)? {
        None => Ok(default),
        Some(word) => parse(&word).ok_or_else(|| {
            ScimError::invalid_value(format!(
                "{owner} has unknown {member} {word:?}, expected one of {allowed}"
            ))
        }),
    }
}

fn flag(def: &Map<String, Value>, member: &str, owner: &str) -> Result<bool> {
    match def.get(member) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(member_type(owner, member, "a boolean", other)),
    }
}

fn optional_string(def: &Map<String, Value>, member: &str, owner: &str) -> Result<Option<String>> {
    match def.get(member) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(member_type(owner, member, "a string", other)),
    }
}

fn strings(def: &Map<String, Value>, member: &str, owner: &str) -> Result<Vec<String>> {
    match def.get(member) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(member_type(owner, member, "an array of strings", other)),
            })
            .collect(),
        Some(other) => Err(member_type(owner, member, "an array of strings", other)),
    }
}

fn member_type(owner: &str, member: &str, wanted: &str, got: &Value) -> ScimError {
    ScimError::invalid_value(format!(
        "{owner}: \"{member}\" must be {wanted}, got {}",
        json_kind(got)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::core;
    use serde_json::json;

    #[test]
    fn round_trips_the_rfc_schemas() {
        for schema in [
            core::user_schema(),
            core::group_schema(),
            core::enterprise_user_schema(),
        ] {
            assert_eq!(schema_from_json(&schema.to_json()).unwrap(), schema);
        }
    }

    #[test]
    fn rejected_documents() {
        use crate::ScimType::{InvalidSyntax, InvalidValue};
        let id = "urn:example:2.0:User";
        let cases = [
            (
                json!([]),
                InvalidSyntax,
                "schema document must be a JSON object, got an array",
            ),
            (
                json!({ "attributes": [] }),
                InvalidSyntax,
                r#"schema has no "id""#,
            ),
            (
                json!({ "id": 3, "attributes": [] }),
                InvalidValue,
                r#"schema "id" must be a string, got a number"#,
            ),
            (
                json!({ "id": "drupal", "attributes": [] }),
                InvalidValue,
                r#"schema "id" must be a URN, got "drupal""#,
            ),
            (
                json!({ "id": id }),
                InvalidSyntax,
                r#"schema "urn:example:2.0:User" has no "attributes""#,
            ),
            (
                json!({ "id": id, "attributes": {} }),
                InvalidSyntax,
                r#"schema "urn:example:2.0:User": "attributes" must be an array, got an object"#,
            ),
        ];
        for (doc, kind, message) in cases {
            let err = schema_from_json(&doc).unwrap_err();
            assert_eq!(
                (err.scim_type(), err.detail()),
                (Some(kind), message),
                "{doc}"
            );
        }
    }

    #[test]
    fn rejected_attribute_definitions() {
        use crate::ScimType::{InvalidSyntax, InvalidValue};
        let with =
            |attributes: Value| json!({ "id": "urn:example:2.0:User", "attributes": attributes });
        let cases = [
            (
                with(json!(["badge"])),
                InvalidSyntax,
                r#"schema "urn:example:2.0:User": "attributes[0]" must be an object, got a string"#,
            ),
            (
                with(json!([{ "type": "string" }])),
                InvalidSyntax,
                r#"schema "urn:example:2.0:User": "attributes[0]" has no "name""#,
            ),
            (
                with(json!([{ "name": "1st" }])),
                InvalidValue,
                r#"attribute name "1st" is not valid (RFC 7643 §2.1)"#,
            ),
            (
                with(json!([{ "name": "badge", "type": "text" }])),
                InvalidValue,
                r#"attribute "badge" has unknown type "text", expected one of string, boolean, decimal, integer, dateTime, binary, reference, complex"#,
            ),
            (
                with(json!([{ "name": "badge", "mutability": "rw" }])),
                InvalidValue,
                r#"attribute "badge" has unknown mutability "rw", expected one of readOnly, readWrite, immutable, writeOnly"#,
            ),
            (
                with(json!([{ "name": "badge", "multiValued": "true" }])),
                InvalidValue,
                r#"attribute "badge": "multiValued" must be a boolean, got a string"#,
            ),
            (
                with(json!([{ "name": "badge", "canonicalValues": ["a", 1] }])),
                InvalidValue,
                r#"attribute "badge": "canonicalValues" must be an array of strings, got a number"#,
            ),
            (
                with(json!([{ "name": "badge" }, { "name": "Badge" }])),
                InvalidSyntax,
                r#"attribute "Badge" is defined twice"#,
            ),
            (
                with(json!([{ "name": "badge", "type": "complex" }])),
                InvalidSyntax,
                r#"complex attribute "badge" has no "subAttributes""#,
            ),
            (
                with(json!([{ "name": "badge", "type": "complex", "subAttributes": [] }])),
                InvalidSyntax,
                r#"complex attribute "badge" has no "subAttributes""#,
            ),
            (
                with(json!([{ "name": "badge", "subAttributes": [{ "name": "n" }] }])),
                InvalidSyntax,
                r#"attribute "badge" has "subAttributes" but is of type "string""#,
            ),
            (
                with(
                    json!([{ "name": "badge", "type": "complex", "subAttributes": [
                    { "name": "n" }, { "name": "holder", "type": "complex", "subAttributes": [{ "name": "x" }] }
                ] }]),
                ),
                InvalidSyntax,
                r#"attribute "badge.holder" is complex inside a complex attribute (RFC 7643 §2.3.8)"#,
            ),
            (
                with(
                    json!([{ "name": "badge", "type": "complex", "subAttributes": [{ "name": "n" }, { "name": "N" }] }]),
                ),
                InvalidSyntax,
                r#"attribute "badge.N" is defined twice"#,
            ),
            (
                with(
                    json!([{ "name": "badge", "type": "complex", "subAttributes": [{ "type": "string" }] }]),
                ),
                InvalidSyntax,
                r#"attribute "badge": "attributes[0].subAttributes[0]" has no "name""#,
            ),
        ];
        for (doc, kind, message) in cases {
            let err = schema_from_json(&doc).unwrap_err();
            assert_eq!(
                (err.scim_type(), err.detail()),
                (Some(kind), message),
                "{doc}"
            );
        }
    }

    #[test]
    fn defaults_follow_rfc_7643_section_2_2() {
        let schema = schema_from_json(&json!({
            "id": "urn:example:params:scim:schemas:extension:drupal:2.0:User",
            "attributes": [{ "name": "badge" }],
        }))
        .unwrap();
        assert_eq!(
            schema.attributes,
            vec![Attribute::new("badge", AttrType::String, "")]
        );
    }
}
