//! A request body read for validation only: objects as lists of members
//! (no hash table, no key hashing), strings borrowed from the body unless
//! they hold escapes. It reads the same documents to the same values as
//! `serde_json::Value`, duplicate keys included.

use super::input::{sealed, View};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::fmt;

/// Objects up to this many members are checked for repeated keys pairwise;
/// larger ones through a sorted index, so that a hostile body cannot make
/// the check quadratic.
const PAIRWISE_LIMIT: usize = 16;

/// Room reserved for an object's members and an array's elements before the
/// first is read: most SCIM objects have fewer members, so most never grow.
const MEMBERS_RESERVED: usize = 8;
const ITEMS_RESERVED: usize = 4;

/// A JSON value of a request body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node<'a> {
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in document order, each key once.
    Object(Vec<(Cow<'a, str>, Node<'a>)>),
}

impl<'a> Node<'a> {
    /// An object of `members`, in order; a repeated key keeps the place of
    /// its first occurrence and the value of its last, as `serde_json::Map`
    /// (an `IndexMap`) does on insert.
    pub(crate) fn object(members: Members<'a>) -> Self {
        if has_repeated_key(&members) {
            Node::Object(last_value_first_place(members))
        } else {
            Node::Object(members)
        }
    }

    /// Whether arrays and objects nest deeper than `max` levels (the
    /// top-level value is level 1).
    pub(crate) fn deeper_than(&self, max: usize) -> bool {
        match self {
            Node::Array(items) => max == 0 || items.iter().any(|v| v.deeper_than(max - 1)),
            Node::Object(members) => {
                max == 0 || members.iter().any(|(_, v)| v.deeper_than(max - 1))
            }
            _ => false,
        }
    }
}

impl<'a> sealed::Input for Node<'a> {
    type Key = Cow<'a, str>;
    type Items = std::vec::IntoIter<Node<'a>>;
    type Members = std::vec::IntoIter<(Cow<'a, str>, Node<'a>)>;

    fn view(&self) -> View<'_> {
        match self {
            Node::Null => View::Null,
            Node::Bool(_) => View::Bool,
            Node::Number(n) => View::Number(n),
            Node::String(s) => View::String(s),
            Node::Array(_) => View::Array,
            Node::Object(_) => View::Object,
        }
    }

    fn into_value(self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::Number(n) => Value::Number(n),
            Node::String(s) => Value::String(s.into_owned()),
            Node::Array(items) => Value::Array(items.into_iter().map(Self::into_value).collect()),
            Node::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (key, value) in members {
                    map.insert(key.into_owned(), value.into_value());
                }
                Value::Object(map)
            }
        }
    }

    fn into_items(self) -> Result<Self::Items, Self> {
        match self {
            Node::Array(items) => Ok(items.into_iter()),
            other => Err(other),
        }
    }

    fn into_members(self) -> Result<Self::Members, Self> {
        match self {
            Node::Object(members) => Ok(members.into_iter()),
            other => Err(other),
        }
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(n.into()))
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Node<'de>, E> {
        Number::deserialize(de::value::I128Deserializer::new(n)).map(Node::Number)
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Node<'de>, E> {
        Number::deserialize(de::value::U128Deserializer::new(n)).map(Node::Number)
    }

    /// As `serde_json::Value` reads it: a float JSON cannot hold is null.
    fn visit_f64<E>(self, f: f64) -> Result<Node<'de>, E> {
        Ok(Number::from_f64(f).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(s)))
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(ITEMS_RESERVED));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(MEMBERS_RESERVED));
        while let Some((Key(key), value)) = map.next_entry()? {
            members.push((key, value));
        }
        Ok(Node::object(members))
    }
}

/// An object key, borrowed from the body when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}

type Members<'a> = Vec<(Cow<'a, str>, Node<'a>)>;

fn has_repeated_key(members: &Members<'_>) -> bool {
    if members.len() <= PAIRWISE_LIMIT {
        return members.iter().enumerate().any(|(i, (key, _))| {
            members
                .get(i + 1..)
                .is_some_and(|rest| rest.iter().any(|(k, _)| k == key))
        });
    }
    let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|w| w.first() == w.last())
}

fn last_value_first_place(members: Members<'_>) -> Members<'_> {
    let mut place: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(members.len());
    let mut out: Members<'_> = Vec::with_capacity(members.len());
    for (key, value) in members {
        if let Some(&at) = place.get(key.as_ref()) {
            if let Some(slot) = out.get_mut(at) {
                slot.1 = value;
            }
        } else {
            place.insert(key.to_string(), out.len());
            out.push((key, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::sealed::Input as _;
    use super::*;

    /// `text` read as a `Node` and as a `Value`, each printed (which shows
    /// member order) or its error.
    fn both(text: &str) -> (Result<String, String>, Result<String, String>) {
        let node = serde_json::from_str::<Node<'_>>(text)
            .map(|n| n.into_value().to_string())
            .map_err(|e| e.to_string());
        let value = serde_json::from_str::<Value>(text)
            .map(|v| v.to_string())
            .map_err(|e| e.to_string());
        (node, value)
    }

    #[test]
    fn reads_documents_as_serde_json_values_do() {
        for text in [
            r#"{"a": 1, "b": [true, null, -2, 1.5, 18446744073709551615], "c": {"d": "e"}}"#,
            r#"{"esc\"aped": "line\nbreak", "plain": "x", "u": "\u00e9"}"#,
            r#"{"big": 1e400}"#,
            r#"{"exp": 2.5e-3, "neg": -0.0, "huge": 123456789012345678901234567890}"#,
            r#"{"a": 1, "b": 2, "a": 3}"#,
            r#"{"ab": 1, "ac": 2, "ad": 3}"#,
            r#"{"ab": 1, "ac": 2, "ab": 3, "": 4, "": 5}"#,
            r#"{"a": {"x": 1}, "a": {"y": 2}, "b": null, "a": [1]}"#,
            r#"[{"k": 1, "k": 2, "k": 3}]"#,
            "{1: 2}",
            r#"{"a" 1}"#,
            "{}",
            "[]",
            r#""text""#,
        ] {
            let (node, value) = both(text);
            assert_eq!(node, value, "{text}");
        }
    }

    #[test]
    fn repeated_keys_in_large_objects_read_as_serde_json_reads_them() {
        let members: Vec<String> = (0..40).map(|i| format!("\"k{}\": {i}", i % 25)).collect();
        let text = format!("{{{}, \"last\": true}}", members.join(", "));
        let (node, value) = both(&text);
        assert_eq!(node, value);
    }

    #[test]
    fn unescaped_strings_are_borrowed() {
        let node: Node<'_> =
            serde_json::from_str(r#"{"key": "plain", "k\u0065y2": "a\nb"}"#).unwrap();
        let Node::Object(members) = node else {
            panic!("an object")
        };
        assert!(matches!(
            members.as_slice(),
            [
                (Cow::Borrowed("key"), Node::String(Cow::Borrowed("plain"))),
                (Cow::Owned(_), Node::String(Cow::Owned(_)))
            ]
        ));
    }
}
