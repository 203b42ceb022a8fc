//! `Scim\Server`: the whole SCIM service provider behind one `handle()` call,
//! over the embedded SQLite store or a PHP object implementing `Scim\Store`.
//! A process keeps one SQLite server per set of options, so a PHP worker
//! opens its database once, not once per request; a server over a PHP store
//! lives as long as its PHP object.

use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use ext_php_rs::binary_slice::BinarySlice;
use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::prelude::*;
use ext_php_rs::types::array::Iter;
use ext_php_rs::types::{ZendHashTable, Zval};
use serde_json::{Map, Value};

use super::convert::{json_to_array, object_to_json, zval_to_node};
use super::exception::guard;
use super::store::{PhpStore, StoreObject};
use crate::error::{Result, ScimError};
use crate::schema::parse::schema_from_json;
use crate::schema::Registry;
use crate::server::{Config, Request, Response, Server as Core};
use crate::store::{Durability, Kind, Options as SqliteOptions, SqliteStore};

thread_local! {
    /// Servers by their options' JSON text. PHP runs one request at a time
    /// per thread, so a thread-local cache needs no locking.
    static SERVERS: RefCell<HashMap<String, Rc<Core<SqliteStore>>>> = RefCell::new(HashMap::new());
}

/// `Scim\Server`: `new Scim\Server($options, $store)` then `$server->handle(...)`.
#[php_class]
#[php(name = "Scim\\Server")]
#[php(flags = ClassFlags::Final)]
pub struct Server {
    inner: Inner,
}

/// The request handler over one of the two kinds of store.
enum Inner {
    /// The embedded SQLite store, shared by every `Scim\Server` of the same
    /// options in this process.
    Sqlite(Rc<Core<SqliteStore>>),
    /// A PHP object implementing `Scim\Store`, such as the Drupal module's
    /// accounts: an object of the request, so never shared.
    Php(Box<Core<PhpStore>>),
}

fn option<'a>(options: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    options.get(name).filter(|v| !v.is_null())
}

fn invalid(detail: String) -> ScimError {
    ScimError::invalid_value(detail)
}

fn bool_option(options: &Map<String, Value>, name: &str, default: bool) -> Result<bool> {
    match option(options, name) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(invalid(format!("option \"{name}\" must be a boolean"))),
    }
}

fn size_option(options: &Map<String, Value>, name: &str, default: usize) -> Result<usize> {
    match option(options, name) {
        None => Ok(default),
        Some(v) => v
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid(format!("option \"{name}\" must be a positive integer"))),
    }
}

/// The path of the SQLite database named by the options.
fn database(options: &Map<String, Value>) -> Result<&str> {
    option(options, "database")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("option \"database\" is required".into()))
}

/// The configuration described by the options array documented on
/// `Scim\Server`, all but `database`.
fn config(options: &Map<String, Value>) -> Result<Config> {
    for key in options.keys() {
        if !KNOWN_OPTIONS.contains(&key.as_str()) {
            return Err(invalid(format!("unknown option \"{key}\"")));
        }
    }
    let base_url = option(options, "base_url")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("option \"base_url\" is required".into()))?;

    let mut config = Config::new(base_url);
    match option(options, "tokens") {
        None => {}
        Some(Value::Object(tokens)) => {
            for (label, digest) in tokens {
                let digest = digest.as_str().ok_or_else(|| {
                    invalid(format!("token \"{label}\": digest must be a string"))
                })?;
                config.tokens.add_digest(label, digest)?;
            }
        }
        // A list: PHP turns labels such as "0" or "1" into integer keys, so
        // a map of them arrives as a list; and a list of
        // `["label" => ..., "digest" => ...]` entries says the same plainly.
        Some(Value::Array(tokens)) => {
            for (i, token) in tokens.iter().enumerate() {
                match token {
                    Value::String(digest) => config.tokens.add_digest(&i.to_string(), digest)?,
                    Value::Object(entry) => {
                        let field = |name: &str| {
                            entry.get(name).and_then(Value::as_str).ok_or_else(|| {
                                invalid(format!("tokens[{i}]: \"{name}\" must be a string"))
                            })
                        };
                        config
                            .tokens
                            .add_digest(field("label")?, field("digest")?)?;
                    }
                    _ => {
                        return Err(invalid(format!(
                            "tokens[{i}] must be a digest or a label and a digest"
                        )))
                    }
                }
            }
        }
        Some(_) => {
            return Err(invalid(
                "option \"tokens\" must map labels to SHA-256 hex digests".into(),
            ))
        }
    }
    config.public_discovery = bool_option(options, "public_discovery", false)?;
    config.keep_password = bool_option(options, "keep_password", false)?;
    config.validation.reject_unknown_attributes =
        bool_option(options, "reject_unknown_attributes", true)?;
    config.max_page_size = size_option(options, "max_page_size", config.max_page_size)?;
    config.limits.max_body_bytes =
        size_option(options, "max_body_bytes", config.limits.max_body_bytes)?;
    config.features.bulk.max_payload_size = config.limits.max_body_bytes as u64;
    config.features.filter.max_results = config.max_page_size as u64;
    Ok(config)
}

/// The registry for `options`: the standard one, plus the site-defined
/// extensions of the `extensions` option, each
/// `{"resource_type": "User", "schema": <RFC 7643 §7 schema document>, "required": false}`.
fn registry(options: &Map<String, Value>) -> Result<Option<Registry>> {
    let Some(list) = option(options, "extensions") else {
        return Ok(None);
    };
    let items = match list {
        Value::Array(items) => items.as_slice(),
        Value::Object(map) if map.is_empty() => &[],
        _ => return Err(invalid("option \"extensions\" must be a list".into())),
    };
    let mut registry = Registry::standard();
    for (i, item) in items.iter().enumerate() {
        let at = |detail: &str| invalid(format!("extensions[{i}]: {detail}"));
        let Value::Object(item) = item else {
            return Err(at("must be an array"));
        };
        let resource_type = match item.get("resource_type") {
            None => "User",
            Some(Value::String(name)) => name.as_str(),
            Some(_) => return Err(at("\"resource_type\" must be a string")),
        };
        let required = match item.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(at("\"required\" must be a boolean")),
        };
        let doc = item
            .get("schema")
            .ok_or_else(|| at("\"schema\" is required"))?;
        let schema = schema_from_json(doc).map_err(|e| at(e.detail()))?;
        registry
            .add_extension(resource_type, schema, required)
            .map_err(|e| at(e.detail()))?;
    }
    Ok(Some(registry))
}

/// The server for `options` over the SQLite store, from this process's
/// cache when an earlier `Scim\Server` had the same options.
fn sqlite_server(options: &Map<String, Value>) -> Result<Rc<Core<SqliteStore>>> {
    let key = Value::Object(options.clone()).to_string();
    if let Some(inner) = SERVERS.with(|s| s.borrow().get(&key).cloned()) {
        return Ok(inner);
    }
    let config = config(options)?;
    let path = database(options)?;
    let durability = durability(options)?;
    let inner = match registry(options)? {
        None => {
            let store_options = SqliteOptions {
                durability,
                ..SqliteOptions::default()
            };
            let store = SqliteStore::open_with(path, &store_options)?;
            Rc::new(Core::new(config, store))
        }
        Some(registry) => {
            // The store resolves filters against the registry for as long as
            // the process lives; servers are cached per set of options, so
            // each distinct registry is leaked once, not once per request.
            let registry: &'static Registry = Box::leak(Box::new(registry));
            let store_options = SqliteOptions {
                durability,
                registry,
                ..SqliteOptions::default()
            };
            let store = SqliteStore::open_with(path, &store_options)?;
            Rc::new(Core::with_registry(registry.clone(), config, store))
        }
    };
    SERVERS.with(|s| s.borrow_mut().insert(key, Rc::clone(&inner)));
    Ok(inner)
}

/// The `durability` option of the SQLite store: `"normal"` (the default:
/// the log is synced at checkpoints, at most a second after a write, so a
/// write survives a crash of PHP at once and one of the machine a second
/// later) or `"full"` (every commit synced before it is acknowledged, at the
/// cost of a disk sync per write; see docs/benchmarks-server.md).
fn durability(options: &Map<String, Value>) -> Result<Durability> {
    match option(options, "durability") {
        None => Ok(Durability::Normal),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("full") => Ok(Durability::Full),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("normal") => Ok(Durability::Normal),
        Some(_) => Err(invalid(
            "option \"durability\" must be \"full\" or \"normal\"".into(),
        )),
    }
}

/// The server for `options` over the PHP store `store`.
fn php_server(options: &Map<String, Value>, store: StoreObject) -> Result<Core<PhpStore>> {
    let config = config(options)?;
    for name in ["database", "durability"] {
        if option(options, name).is_some() {
            return Err(invalid(format!(
                "option \"{name}\" must be absent when a Scim\\Store is given"
            )));
        }
    }
    let store = PhpStore::new(store);
    Ok(match registry(options)? {
        None => Core::new(config, store),
        Some(registry) => Core::with_registry(registry, config, store),
    })
}

/// The options `Scim\Server` takes.
const KNOWN_OPTIONS: [&str; 10] = [
    "base_url",
    "database",
    "durability",
    "extensions",
    "tokens",
    "public_discovery",
    "keep_password",
    "reject_unknown_attributes",
    "max_page_size",
    "max_body_bytes",
];

/// The request headers as name/value pairs: PHP hands them over as
/// `name => value` or `name => [values]`. Names and values that are not
/// UTF-8 are read lossily; values that are not strings are skipped.
fn headers_of(headers: &ZendHashTable) -> Vec<(String, String)> {
    let mut pairs = Vec::with_capacity(headers.len());
    let mut iter = Iter::new(headers);
    while let Some((key, value)) = iter.next_zval() {
        let name = match (key.long(), key.zend_str()) {
            (Some(index), _) => index.to_string(),
            (None, Some(name)) => String::from_utf8_lossy(name.as_bytes()).into_owned(),
            (None, None) => continue,
        };
        let text = |zv: &Zval| {
            zv.zend_str()
                .map(|s| String::from_utf8_lossy(s.as_bytes()).into_owned())
        };
        if let Some(list) = value.array() {
            for item in list.values() {
                if let Some(text) = text(item) {
                    pairs.push((name.clone(), text));
                }
            }
        } else if let Some(text) = text(value) {
            pairs.push((name, text));
        }
    }
    pairs
}

/// The PHP form of a response: `status`, `headers` (name => value), `body`
/// (string or null) and `event` (what happened, for the caller's log). When
/// the request failed with a 500 because the store threw, `failure` says
/// what it threw; it replaces the generic detail in `event` only.
fn response_array(response: &Response, failure: Option<String>) -> ZBox<ZendHashTable> {
    let mut headers = Map::new();
    for (name, value) in &response.headers {
        headers.insert(name.clone(), Value::from(value.as_str()));
    }
    let event = &response.event;
    let error = event.error.as_ref();
    let detail = match (error, failure) {
        (Some(ScimError::Internal(_)), Some(failure)) => Some(failure),
        _ => error.map(|e| e.detail().to_owned()),
    };
    let doc = serde_json::json!({
        "status": response.status,
        "headers": headers,
        "body": response.body,
        "event": {
            "operation": event.operation.as_str(),
            "resource_type": event.kind.map(crate::store::Kind::as_str),
            "resource_id": event.resource_id,
            "token_label": event.token_label,
            "scim_type": error.and_then(ScimError::scim_type).map(crate::ScimType::as_str),
            "detail": detail,
        },
    });
    json_to_array(&doc)
}

#[php_impl]
impl Server {
    /// A server for `$options`: `base_url` (required; `meta.location` starts
    /// with it), `database` (the SQLite file, created when missing; required
    /// without `$store`, refused with it), `tokens` (label => SHA-256 hex
    /// digest of the bearer token), `public_discovery` (bool),
    /// `keep_password` (bool), `reject_unknown_attributes` (bool, default
    /// true), `max_page_size` (int), `max_body_bytes` (int), `durability`
    /// (`"full"`, the default, or `"normal"`; SQLite only). Without
    /// `$store`, the server is reused within this process for the same
    /// options; with one, it keeps its resources there and is never reused.
    pub fn __construct(options: &ZendHashTable, store: Option<StoreObject>) -> PhpResult<Self> {
        guard(|| {
            let Value::Object(options) = object_to_json(options)? else {
                return Err(invalid(
                    "options must be an array keyed by option name".into(),
                ));
            };
            let inner = match store {
                None => Inner::Sqlite(sqlite_server(&options)?),
                Some(store) => Inner::Php(Box::new(php_server(&options, store)?)),
            };
            Ok(Self { inner })
        })
    }

    /// Creates many resources of `$type` (`User` or `Group`) at once, without
    /// HTTP: each is validated as a POST would validate it (an array or a
    /// JSON string), then all are stored in one transaction, or none when
    /// one is invalid. Returns the new ids, in order. For first imports and
    /// benchmark data; SQLite only: a `Scim\Store` has no transaction to
    /// offer.
    pub fn import(&self, r#type: &str, resources: &ZendHashTable) -> PhpResult<Vec<String>> {
        guard(|| {
            match &self.inner {
            Inner::Sqlite(server) => import(server, r#type, resources),
            Inner::Php(_) => Err(ScimError::NotImplemented(
                "import() needs the SQLite store; give a Scim\\Store its resources through handle()"
                    .into(),
            )),
        }
        })
    }

    /// Answers one HTTP request. `$path` is the part below the base URL
    /// (`/Users/2819c223`), `$query` the raw query string without `?`,
    /// `$headers` name => value. Never throws for a bad request: every
    /// failure is a SCIM error document in the returned `body`.
    pub fn handle(
        &self,
        method: &str,
        path: &str,
        query: Option<String>,
        headers: Option<&ZendHashTable>,
        body: Option<BinarySlice<'_, u8>>,
    ) -> ZBox<ZendHashTable> {
        catch_unwind(AssertUnwindSafe(|| {
            let headers = headers.map(headers_of).unwrap_or_default();
            let body: &[u8] = body.as_deref().copied().unwrap_or_default();
            let query = query.unwrap_or_default();
            let request = Request {
                method,
                path,
                query: &query,
                headers: &headers,
                body,
            };
            match &self.inner {
                Inner::Sqlite(server) => response_array(&server.handle(&request), None),
                Inner::Php(server) => {
                    server.store().take_failure();
                    let response = server.handle(&request);
                    response_array(&response, server.store().take_failure())
                }
            }
        }))
        .unwrap_or_else(|_| response_array(&internal_error(), None))
    }
}

/// Validates every resource, then stores them all in one transaction.
fn import(
    server: &Core<SqliteStore>,
    kind: &str,
    resources: &ZendHashTable,
) -> Result<Vec<String>> {
    let kind = Kind::from_name(kind)
        .ok_or_else(|| invalid(format!("unknown resource type \"{kind}\"")))?;
    let mut valid = Vec::with_capacity(resources.len());
    for (index, item) in resources.values().enumerate() {
        let input = match item.str() {
            Some(json) => crate::resource::parse_node(json.as_bytes(), &server.config().limits)?,
            None => zval_to_node(item)?,
        };
        let resource = server
            .prepare_create(kind, input)
            .map_err(|e| e.with_detail(format!("resource {index}: {}", e.detail())))?;
        valid.push(resource);
    }
    server.store().bulk_create(kind, valid)
}

/// The 500 answer when the handler panicked: a SCIM error document, so a
/// client never sees a broken response, and the worker lives on.
fn internal_error() -> Response {
    let error = ScimError::Internal("the server failed to handle the request".into());
    Response {
        status: 500,
        headers: vec![("Content-Type".into(), crate::server::SCIM_MEDIA_TYPE.into())],
        body: Some(error.to_document().to_string()),
        event: crate::server::Event {
            operation: crate::server::Operation::Unsupported,
            kind: None,
            resource_id: None,
            token_label: None,
            error: Some(error),
        },
    }
}
