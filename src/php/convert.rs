//! PHP values to and from `serde_json::Value`, in one pass each way.
//!
//! PHP to JSON follows `json_encode`: an array whose keys are 0, 1, 2, … in
//! order (including the empty array) is a JSON array, any other array an
//! object with its integer keys written as strings; `stdClass` objects are
//! objects; strings must be UTF-8 and floats finite. JSON to PHP follows
//! `json_decode($json, true)`: objects become arrays with string keys, where
//! a key such as `"12"` becomes the integer key 12, as PHP itself does.

use std::borrow::Cow;
use std::fmt::Write as _;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, ZendObject, ZendStr, Zval};
use serde_json::{Map, Number, Value};

use crate::error::{Result, ScimError};
use crate::resource::Node;

/// How deeply arrays may nest in a value handed over from PHP. SCIM
/// resources nest four levels at most; the limit keeps a hostile array from
/// exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// Why a PHP value has no JSON form, with the path to it (innermost first).
struct Unconvertible {
    problem: Problem,
    path: Vec<Segment>,
}

enum Problem {
    /// A string whose bytes stop being UTF-8 at this offset.
    NotUtf8(usize),
    /// An array key whose bytes stop being UTF-8 at this offset.
    KeyNotUtf8(usize),
    /// `NAN` or an infinity.
    NotFinite(f64),
    /// Deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A resource, or an object that is not `stdClass`: the PHP type or class.
    NoJsonForm(String),
}

enum Segment {
    Index(usize),
    Key(String),
}

impl Unconvertible {
    fn new(problem: Problem) -> Self {
        Self {
            problem,
            path: Vec::new(),
        }
    }

    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn into_error(self) -> ScimError {
        let mut path = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
                Segment::Key(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
            }
        }
        let at = if path.is_empty() {
            "the top level".to_owned()
        } else {
            format!("\"{path}\"")
        };
        match self.problem {
            Problem::NotUtf8(byte) => ScimError::invalid_syntax(format!(
                "the string at {at} is not valid UTF-8 (byte {byte})"
            )),
            Problem::KeyNotUtf8(byte) => {
                ScimError::invalid_syntax(format!("a key at {at} is not valid UTF-8 (byte {byte})"))
            }
            Problem::NotFinite(f) => {
                ScimError::invalid_value(format!("the number {f} at {at} is not finite"))
            }
            Problem::TooDeep => ScimError::invalid_syntax(format!(
                "the value at {at} nests deeper than {MAX_DEPTH} levels"
            )),
            Problem::NoJsonForm(what) => {
                ScimError::invalid_value(format!("{what} at {at} has no JSON form"))
            }
        }
    }
}

/// Converts a PHP value to JSON.
///
/// # Errors
///
/// `invalidSyntax` for a string that is not UTF-8 or nesting deeper than
/// [`MAX_DEPTH`]; `invalidValue` for a float that is not finite or a value
/// JSON cannot hold (a resource, an object other than `stdClass`).
pub fn zval_to_json(zv: &Zval) -> Result<Value> {
    value(zv, 0).map_err(Unconvertible::into_error)
}

/// Converts a PHP array to JSON: an array or an object, as its keys say.
///
/// # Errors
///
/// As [`zval_to_json`].
pub fn array_to_json(ht: &ZendHashTable) -> Result<Value> {
    array(ht, 0).map_err(Unconvertible::into_error)
}

/// Converts a PHP array that stands for a JSON object (a resource, a
/// request body, a configuration): as [`array_to_json`], except that the
/// empty array is the empty object, which `json_encode` cannot tell apart.
///
/// # Errors
///
/// As [`zval_to_json`].
pub fn object_to_json(ht: &ZendHashTable) -> Result<Value> {
    match array_to_json(ht)? {
        Value::Array(list) if list.is_empty() => Ok(Value::Object(Map::new())),
        other => Ok(other),
    }
}

/// Converts the members of a PHP array standing for a JSON object whose keys
/// equal one of `keys` without regard to case; the others are skipped
/// unread. For readers that look at a few top-level members of a large
/// resource, such as a mapping.
///
/// # Errors
///
/// As [`zval_to_json`], for the members converted.
pub fn members_to_json(ht: &ZendHashTable, keys: &[String]) -> Result<Value> {
    let mut map = Map::with_capacity(keys.len());
    let mut iter = Iter::new(ht);
    while let Some((key, zv)) = iter.next_zval() {
        let Some(name) = key.zend_str() else {
            continue;
        };
        let wanted = keys
            .iter()
            .any(|k| k.as_bytes().eq_ignore_ascii_case(name.as_bytes()));
        if wanted {
            let name = key_string(&key).map_err(Unconvertible::into_error)?;
            let v = value(zv, 1).map_err(|e| e.at(Segment::Key(name.clone())).into_error())?;
            map.insert(name, v);
        }
    }
    Ok(Value::Object(map))
}

/// What a PHP value converts to: a `Value`, which owns its strings, or a
/// [`Node`], which borrows them from PHP for as long as validation runs.
trait Tree<'a>: Sized {
    /// An object being filled.
    type Members;

    fn null() -> Self;
    fn bool(b: bool) -> Self;
    fn number(n: Number) -> Self;
    fn string(s: &'a str) -> Self;
    fn list(items: Vec<Self>) -> Self;
    fn object_with_capacity(capacity: usize) -> Self::Members;
    fn insert(object: &mut Self::Members, key: Cow<'a, str>, value: Self);
    fn object(object: Self::Members) -> Self;
}

// The conversion to `Value` must cost what the hand-written one it replaced
// did; left to itself LLVM kept these one-line adapters out of line (about
// 1% more instructions for `Scim\Mapping::changes`).
#[allow(clippy::inline_always)]
impl<'a> Tree<'a> for Value {
    type Members = Map<String, Value>;

    #[inline(always)]
    fn null() -> Self {
        Value::Null
    }

    #[inline(always)]
    fn bool(b: bool) -> Self {
        Value::Bool(b)
    }

    #[inline(always)]
    fn number(n: Number) -> Self {
        Value::Number(n)
    }

    #[inline(always)]
    fn string(s: &'a str) -> Self {
        Value::String(s.to_owned())
    }

    #[inline(always)]
    fn list(items: Vec<Self>) -> Self {
        Value::Array(items)
    }

    #[inline(always)]
    fn object_with_capacity(capacity: usize) -> Self::Members {
        Map::with_capacity(capacity)
    }

    #[inline(always)]
    fn insert(object: &mut Self::Members, key: Cow<'a, str>, value: Self) {
        let key = match key {
            Cow::Borrowed(key) => String::from(key),
            Cow::Owned(key) => key,
        };
        object.insert(key, value);
    }

    #[inline(always)]
    fn object(object: Self::Members) -> Self {
        Value::Object(object)
    }
}

impl<'a> Tree<'a> for Node<'a> {
    type Members = Vec<(Cow<'a, str>, Node<'a>)>;

    #[inline]
    fn null() -> Self {
        Node::Null
    }

    #[inline]
    fn bool(b: bool) -> Self {
        Node::Bool(b)
    }

    #[inline]
    fn number(n: Number) -> Self {
        Node::Number(n)
    }

    #[inline]
    fn string(s: &'a str) -> Self {
        Node::String(Cow::Borrowed(s))
    }

    #[inline]
    fn list(items: Vec<Self>) -> Self {
        Node::Array(items)
    }

    #[inline]
    fn object_with_capacity(capacity: usize) -> Self::Members {
        Vec::with_capacity(capacity)
    }

    #[inline]
    fn insert(object: &mut Self::Members, key: Cow<'a, str>, value: Self) {
        object.push((key, value));
    }

    #[inline]
    fn object(object: Self::Members) -> Self {
        Node::object(object)
    }
}

/// Converts a PHP value, as [`zval_to_json`] does and with the same errors,
/// to a [`Node`] for validation (see [`object_to_node`]).
///
/// # Errors
///
/// As [`zval_to_json`].
pub(crate) fn zval_to_node(zv: &Zval) -> Result<Node<'_>> {
    value(zv, 0).map_err(Unconvertible::into_error)
}

/// Converts a PHP array standing for a JSON object, as [`object_to_json`]
/// does and with the same errors, to a [`Node`] for validation: its strings
/// are borrowed from PHP, not copied, and its keys are never hashed.
///
/// # Errors
///
/// As [`zval_to_json`].
pub(crate) fn object_to_node(ht: &ZendHashTable) -> Result<Node<'_>> {
    match array(ht, 0).map_err(Unconvertible::into_error)? {
        Node::Array(list) if list.is_empty() => Ok(Node::Object(Vec::new())),
        other => Ok(other),
    }
}

fn value<'a, T: Tree<'a>>(zv: &'a Zval, depth: usize) -> Result<T, Unconvertible> {
    let zv = zv.dereference();
    let zv = if zv.is_indirect() {
        zv.indirect().unwrap_or(zv)
    } else {
        zv
    };
    if zv.is_null() {
        Ok(T::null())
    } else if let Some(b) = zv.bool() {
        Ok(T::bool(b))
    } else if let Some(n) = zv.long() {
        Ok(T::number(n.into()))
    } else if let Some(f) = zv.double() {
        Number::from_f64(f)
            .map(T::number)
            .ok_or_else(|| Unconvertible::new(Problem::NotFinite(f)))
    } else if let Some(s) = zv.zend_str() {
        match std::str::from_utf8(s.as_bytes()) {
            Ok(s) => Ok(T::string(s)),
            Err(e) => Err(Unconvertible::new(Problem::NotUtf8(e.valid_up_to()))),
        }
    } else if let Some(ht) = zv.array() {
        array(ht, depth)
    } else if let Some(obj) = zv.object() {
        object(obj, depth)
    } else {
        Err(Unconvertible::new(Problem::NoJsonForm(format!(
            "a value of type {}",
            type_name(zv)
        ))))
    }
}

/// The type of `zv` as PHP's `get_debug_type()` names scalars and arrays.
pub fn type_name(zv: &Zval) -> String {
    let zv = zv.dereference();
    if zv.is_null() {
        "null".into()
    } else if zv.is_bool() {
        "bool".into()
    } else if zv.is_long() {
        "int".into()
    } else if zv.is_double() {
        "float".into()
    } else if zv.is_string() {
        "string".into()
    } else if zv.is_array() {
        "array".into()
    } else if let Some(obj) = zv.object() {
        obj.get_class_name().unwrap_or_else(|_| "object".into())
    } else {
        zv.get_type().to_string().to_ascii_lowercase()
    }
}

fn array<'a, T: Tree<'a>>(ht: &'a ZendHashTable, depth: usize) -> Result<T, Unconvertible> {
    if depth >= MAX_DEPTH {
        return Err(Unconvertible::new(Problem::TooDeep));
    }

    // A list until a key breaks the 0, 1, 2, … sequence; then the elements
    // gathered so far move into an object under their indexes.
    let mut list: Vec<T> = Vec::new();
    let mut map: Option<T::Members> = None;
    let mut iter = Iter::new(ht);
    while let Some((key, zv)) = iter.next_zval() {
        let key = match key.long() {
            Some(i) if map.is_none() && usize::try_from(i).is_ok_and(|i| i == list.len()) => {
                if i == 0 {
                    list.reserve_exact(ht.len());
                }
                let v = value(zv, depth + 1).map_err(|e| e.at(Segment::Index(list.len())))?;
                list.push(v);
                continue;
            }
            Some(i) => Cow::Owned(i.to_string()),
            None => Cow::Borrowed(table_key(&key, ht)?),
        };
        let map = map.get_or_insert_with(|| {
            let mut m = T::object_with_capacity(ht.len());
            if !list.is_empty() {
                for (i, v) in list.drain(..).enumerate() {
                    T::insert(&mut m, Cow::Owned(i.to_string()), v);
                }
            }
            m
        });
        let v = value(zv, depth + 1).map_err(|e| e.at(Segment::Key(key.to_string())))?;
        T::insert(map, key, v);
    }
    Ok(map.map_or_else(|| T::list(list), T::object))
}

/// A string key that iterating `ht` gave, borrowed from `ht` itself.
fn table_key<'a>(key: &Zval, _ht: &'a ZendHashTable) -> Result<&'a str, Unconvertible> {
    let bytes = key.zend_str().map(ZendStr::as_bytes).unwrap_or_default();
    // SAFETY: the iterator fills `key` with `ZVAL_STR_COPY` of the bucket's
    // own key string (a counted reference, not a copy), which `_ht` keeps
    // alive and unchanged for as long as it is borrowed, `'a`: dropping
    // `key` only takes back the extra reference.
    let bytes: &'a [u8] = unsafe { std::slice::from_raw_parts(bytes.as_ptr(), bytes.len()) };
    std::str::from_utf8(bytes).map_err(|e| Unconvertible::new(Problem::KeyNotUtf8(e.valid_up_to())))
}

fn key_string(key: &Zval) -> Result<String, Unconvertible> {
    let bytes = key.zend_str().map(ZendStr::as_bytes).unwrap_or_default();
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|e| Unconvertible::new(Problem::KeyNotUtf8(e.valid_up_to())))
}

fn object<'a, T: Tree<'a>>(obj: &'a ZendObject, depth: usize) -> Result<T, Unconvertible> {
    let class = obj.get_class_name().unwrap_or_default();
    if !class.eq_ignore_ascii_case("stdClass") {
        return Err(Unconvertible::new(Problem::NoJsonForm(format!(
            "an object of class {class}"
        ))));
    }
    if depth >= MAX_DEPTH {
        return Err(Unconvertible::new(Problem::TooDeep));
    }
    let Ok(props) = obj.get_properties() else {
        return Ok(T::object(T::object_with_capacity(0)));
    };
    let mut map = T::object_with_capacity(props.len());
    let mut iter = Iter::new(props);
    while let Some((key, zv)) = iter.next_zval() {
        let key = match key.long() {
            Some(i) => i.to_string(),
            None => key_string(&key)?,
        };
        let v = value(zv, depth + 1).map_err(|e| e.at(Segment::Key(key.clone())))?;
        T::insert(&mut map, Cow::Owned(key), v);
    }
    Ok(T::object(map))
}

/// Converts JSON to a PHP value.
#[must_use]
pub fn json_to_zval(v: &Value) -> Zval {
    let mut zv = Zval::new();
    match v {
        Value::Null => zv.set_null(),
        Value::Bool(b) => zv.set_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => zv.set_long(i),
            None => zv.set_double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => {
            // Never fails: the call only allocates.
            let _ = zv.set_string(s, false);
        }
        Value::Array(items) => zv.set_hashtable(list_to_array(items)),
        Value::Object(map) => zv.set_hashtable(map_to_array(map)),
    }
    zv
}

/// Converts a JSON array or object to a PHP array; any other JSON value
/// becomes a one-element list holding it.
#[must_use]
pub fn json_to_array(v: &Value) -> ZBox<ZendHashTable> {
    match v {
        Value::Array(items) => list_to_array(items),
        Value::Object(map) => map_to_array(map),
        other => list_to_array(std::slice::from_ref(other)),
    }
}

fn capacity(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

fn list_to_array(items: &[Value]) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(capacity(items.len()));
    for item in items {
        // Never fails: a `Zval` converts to itself.
        let _ = ht.push(json_to_zval(item));
    }
    ht
}

fn map_to_array(map: &Map<String, Value>) -> ZBox<ZendHashTable> {
    let mut ht = ZendHashTable::with_capacity(capacity(map.len()));
    for (key, item) in map {
        // `&str` keys that spell an integer become integer keys, as in PHP.
        let _ = ht.insert(key.as_str(), json_to_zval(item));
    }
    ht
}
