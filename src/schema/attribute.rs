//! Attribute definitions: the characteristics RFC 7643 §2.2 and §7 give each
//! attribute (type, plurality, mutability, returned, uniqueness, caseExact).

use serde_json::{json, Map, Value};

/// An attribute's data type (RFC 7643 §2.3).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrType {
    /// A sequence of characters.
    String,
    /// `true` or `false`.
    Boolean,
    /// A real number.
    Decimal,
    /// A whole number.
    Integer,
    /// An `xsd:dateTime`, such as `2008-01-23T04:56:22Z`.
    DateTime,
    /// Base64-encoded bytes.
    Binary,
    /// A URI naming a resource.
    Reference,
    /// A structure of sub-attributes.
    Complex,
}

impl AttrType {
    /// The name used in schema documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Decimal => "decimal",
            Self::Integer => "integer",
            Self::DateTime => "dateTime",
            Self::Binary => "binary",
            Self::Reference => "reference",
            Self::Complex => "complex",
        }
    }

    /// Parses a schema document's type name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => Self::String,
            "boolean" => Self::Boolean,
            "decimal" => Self::Decimal,
            "integer" => Self::Integer,
            "dateTime" => Self::DateTime,
            "binary" => Self::Binary,
            "reference" => Self::Reference,
            "complex" => Self::Complex,
            _ => return None,
        })
    }
}

/// Whether and how a client may change an attribute (RFC 7643 §7).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutability {
    /// Set by the server; client input is ignored.
    ReadOnly,
    /// Updated and read freely.
    ReadWrite,
    /// Set once (on creation, or when still unset); never changed afterwards.
    Immutable,
    /// Written but never returned (a password).
    WriteOnly,
}

impl Mutability {
    /// The name used in schema documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "readOnly",
            Self::ReadWrite => "readWrite",
            Self::Immutable => "immutable",
            Self::WriteOnly => "writeOnly",
        }
    }

    /// Parses a schema document's mutability name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "readOnly" => Self::ReadOnly,
            "readWrite" => Self::ReadWrite,
            "immutable" => Self::Immutable,
            "writeOnly" => Self::WriteOnly,
            _ => return None,
        })
    }
}

/// When an attribute appears in a response (RFC 7643 §7).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returned {
    /// Always, even when excluded.
    Always,
    /// Never (a password).
    Never,
    /// Unless excluded or another set was requested.
    Default,
    /// Only when named in `attributes`.
    Request,
}

impl Returned {
    /// The name used in schema documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::Never => "never",
            Self::Default => "default",
            Self::Request => "request",
        }
    }

    /// Parses a schema document's returned name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "always" => Self::Always,
            "never" => Self::Never,
            "default" => Self::Default,
            "request" => Self::Request,
            _ => return None,
        })
    }
}

/// How unique a value must be (RFC 7643 §7).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Uniqueness {
    /// No rule.
    None,
    /// Unique among the server's resources of this type.
    Server,
    /// Globally unique.
    Global,
}

impl Uniqueness {
    /// The name used in schema documents.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Server => "server",
            Self::Global => "global",
        }
    }

    /// Parses a schema document's uniqueness name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "none" => Self::None,
            "server" => Self::Server,
            "global" => Self::Global,
            _ => return None,
        })
    }
}

/// One attribute of a schema, with its sub-attributes when complex.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The name, in the schema's case.
    pub name: String,
    /// The data type.
    pub attr_type: AttrType,
    /// Whether the value is an array.
    pub multi_valued: bool,
    /// What the attribute is for.
    pub description: String,
    /// Whether create and replace must carry it.
    pub required: bool,
    /// Whether string comparisons respect case.
    pub case_exact: bool,
    /// Whether and how a client may change it.
    pub mutability: Mutability,
    /// When it appears in responses.
    pub returned: Returned,
    /// How unique its value must be.
    pub uniqueness: Uniqueness,
    /// Suggested values (not enforced: RFC 7643 §2.3.1 lets servers accept others).
    pub canonical_values: Vec<String>,
    /// For references: what they may point to.
    pub reference_types: Vec<String>,
    /// For complex attributes: their sub-attributes.
    pub sub_attributes: Vec<Attribute>,
}

impl Attribute {
    /// A single-valued, optional, readWrite, case-ignoring attribute of `attr_type`,
    /// to be refined with the builder methods below.
    #[must_use]
    pub fn new(name: &str, attr_type: AttrType, description: &str) -> Self {
        Self {
            name: name.to_owned(),
            attr_type,
            multi_valued: false,
            description: description.to_owned(),
            required: false,
            case_exact: false,
            mutability: Mutability::ReadWrite,
            returned: Returned::Default,
            uniqueness: Uniqueness::None,
            canonical_values: Vec::new(),
            reference_types: Vec::new(),
            sub_attributes: Vec::new(),
        }
    }

    /// Makes the attribute multi-valued.
    #[must_use]
    pub fn multi(mut self) -> Self {
        self.multi_valued = true;
        self
    }

    /// Makes the attribute required.
    #[must_use]
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// Makes string comparisons case-exact.
    #[must_use]
    pub fn case_exact(mut self) -> Self {
        self.case_exact = true;
        self
    }

    /// Sets the mutability.
    #[must_use]
    pub fn mutability(mut self, mutability: Mutability) -> Self {
        self.mutability = mutability;
        self
    }

    /// Sets when the attribute is returned.
    #[must_use]
    pub fn returned(mut self, returned: Returned) -> Self {
        self.returned = returned;
        self
    }

    /// Sets the uniqueness rule.
    #[must_use]
    pub fn uniqueness(mut self, uniqueness: Uniqueness) -> Self {
        self.uniqueness = uniqueness;
        self
    }

    /// Sets the canonical values.
    #[must_use]
    pub fn canonical(mut self, values: &[&str]) -> Self {
        self.canonical_values = values.iter().map(|v| (*v).to_owned()).collect();
        self
    }

    /// Sets the reference types.
    #[must_use]
    pub fn references(mut self, types: &[&str]) -> Self {
        self.reference_types = types.iter().map(|v| (*v).to_owned()).collect();
        self
    }

    /// Sets the sub-attributes of a complex attribute.
    #[must_use]
    pub fn with_sub_attributes(mut self, attributes: Vec<Attribute>) -> Self {
        self.sub_attributes = attributes;
        self
    }

    /// The sub-attribute named `name`, matched without regard to case (RFC 7643 §2.1).
    #[must_use]
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        self.sub_attributes
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The attribute as a schema document renders it (RFC 7643 §7).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("name".into(), json!(self.name));
        map.insert("type".into(), json!(self.attr_type.as_str()));
        map.insert("multiValued".into(), json!(self.multi_valued));
        map.insert("description".into(), json!(self.description));
        map.insert("required".into(), json!(self.required));
        if self.attr_type == AttrType::Complex {
            let subs: Vec<Value> = self.sub_attributes.iter().map(Attribute::to_json).collect();
            map.insert("subAttributes".into(), Value::Array(subs));
        } else {
            map.insert("caseExact".into(), json!(self.case_exact));
        }
        if !self.canonical_values.is_empty() {
            map.insert("canonicalValues".into(), json!(self.canonical_values));
        }
        if !self.reference_types.is_empty() {
            map.insert("referenceTypes".into(), json!(self.reference_types));
        }
        map.insert("mutability".into(), json!(self.mutability.as_str()));
        map.insert("returned".into(), json!(self.returned.as_str()));
        if self.attr_type != AttrType::Complex {
            map.insert("uniqueness".into(), json!(self.uniqueness.as_str()));
        }
        Value::Object(map)
    }
}
