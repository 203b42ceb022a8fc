//! What validation reads: a resource borrowed (its values copied into the
//! canonical form), owned (its values moved there), or a request body read
//! into a [`Node`] tree. One validator serves all three.

use super::node::Node;
pub(crate) use sealed::View;
use serde_json::{Map, Value};

/// A resource that [`validate_with`](super::validate_with) accepts: `&Value`,
/// whose strings and numbers are copied into the result, or `Value`, whose
/// strings and numbers move into it. Pass the resource by value when it is
/// not needed afterwards. Sealed: only this crate implements it.
pub trait Input: sealed::Input {}

impl Input for &Value {}

impl Input for Value {}

impl Input for Node<'_> {}

pub(crate) mod sealed {
    use serde_json::{Number, Value};

    /// What validation sees of a value before it decides whether to take it.
    #[derive(Debug, Clone, Copy)]
    pub enum View<'v> {
        Null,
        Bool,
        Number(&'v Number),
        String(&'v str),
        Array,
        Object,
    }

    impl View<'_> {
        /// The kind of value, as error messages name it ("a string").
        pub fn kind(self) -> &'static str {
            match self {
                View::Null => "null",
                View::Bool => "a boolean",
                View::Number(_) => "a number",
                View::String(_) => "a string",
                View::Array => "an array",
                View::Object => "an object",
            }
        }
    }

    /// How validation takes a value apart: looks first ([`Input::view`]),
    /// then takes what it keeps.
    pub trait Input: Sized {
        /// An object member's name.
        type Key: AsRef<str>;
        /// The elements of an array.
        type Items: ExactSizeIterator<Item = Self>;
        /// The members of an object, in document order.
        type Members: ExactSizeIterator<Item = (Self::Key, Self)>;

        /// The value's kind, and its contents when it is a scalar.
        fn view(&self) -> View<'_>;

        /// The value as JSON: copied when borrowed, moved when owned.
        fn into_value(self) -> Value;

        /// The elements, or the value back when it is not an array.
        ///
        /// # Errors
        /// `self`, when it is not an array.
        fn into_items(self) -> Result<Self::Items, Self>;

        /// The members, or the value back when it is not an object.
        ///
        /// # Errors
        /// `self`, when it is not an object.
        fn into_members(self) -> Result<Self::Members, Self>;
    }
}

fn view_of(value: &Value) -> View<'_> {
    match value {
        Value::Null => View::Null,
        Value::Bool(_) => View::Bool,
        Value::Number(n) => View::Number(n),
        Value::String(s) => View::String(s),
        Value::Array(_) => View::Array,
        Value::Object(_) => View::Object,
    }
}

impl<'v> sealed::Input for &'v Value {
    type Key = &'v String;
    type Items = std::slice::Iter<'v, Value>;
    type Members = serde_json::map::Iter<'v>;

    fn view(&self) -> View<'_> {
        view_of(self)
    }

    fn into_value(self) -> Value {
        self.clone()
    }

    fn into_items(self) -> Result<Self::Items, Self> {
        match self {
            Value::Array(items) => Ok(items.iter()),
            other => Err(other),
        }
    }

    fn into_members(self) -> Result<Self::Members, Self> {
        match self {
            Value::Object(members) => Ok(members.iter()),
            other => Err(other),
        }
    }
}

impl sealed::Input for Value {
    type Key = String;
    type Items = std::vec::IntoIter<Value>;
    type Members = serde_json::map::IntoIter;

    fn view(&self) -> View<'_> {
        view_of(self)
    }

    fn into_value(self) -> Value {
        self
    }

    fn into_items(self) -> Result<Self::Items, Self> {
        match self {
            Value::Array(items) => Ok(items.into_iter()),
            other => Err(other),
        }
    }

    fn into_members(self) -> Result<Self::Members, Self> {
        match self {
            Value::Object(members) => Ok(Map::into_iter(members)),
            other => Err(other),
        }
    }
}
