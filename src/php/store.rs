//! `Scim\Store`: the PHP face of the storage interface ([`crate::store::Store`]).
//! The extension declares the interface; a PHP class implements it (the
//! Drupal module keeps users as accounts); [`PhpStore`] drives such an object.
//!
//! Whatever the object throws or returns amiss becomes a [`ScimError`]: a
//! `Scim\Exception` the error of its status and `scimType`, any other
//! `\Throwable` a generic 500 whose particulars go to the caller's log only
//! (see [`PhpStore::take_failure`]), a malformed answer a 500 naming the
//! method and what was wrong.

use std::cell::RefCell;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::args::{Arg, ArgInfoTables};
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::convert::{FromZval, IntoZvalDyn};
use ext_php_rs::flags::{ClassFlags, DataType, MethodFlags};
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendObject, Zval};
use ext_php_rs::zend::{ce, ClassEntry, ExecutorGlobals};
use serde_json::{json, Value};

use super::convert::{json_to_zval, zval_to_json};
use crate::error::{Result, ScimError, ScimType};
use crate::store::{Kind, Page, Query, Store, Stored};

/// The interface's PHP name.
pub const INTERFACE_NAME: &str = "Scim\\Store";

/// The detail a client sees when the store threw something other than a
/// `Scim\Exception`.
pub const STORE_FAILED: &str = "the store failed";

/// The class entry of `Scim\Store`, filled at MINIT.
static INTERFACE: AtomicPtr<ClassEntry> = AtomicPtr::new(ptr::null_mut());

/// Keeps the interface's class entry; the engine reads the method argument
/// tables for the life of the process, so they are leaked on purpose.
fn park(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    INTERFACE.store(ce, Ordering::Release);
    std::mem::forget(arg_info);
}

/// The class entry of `Scim\Store`, once registered.
fn interface() -> Option<&'static ClassEntry> {
    let ce = INTERFACE.load(Ordering::Acquire);
    // SAFETY: the pointer is null or came from the `&'static mut ClassEntry`
    // the engine handed to `park` at MINIT; the entry lives until MSHUTDOWN,
    // after which no PHP code runs that could reach this function.
    unsafe { ce.as_ref() }
}

/// Registers the interface `Scim\Store`, with the signatures of
/// `php-module/scim.stub.php`. Returns 0 on success, as MINIT wants.
///
/// Built by hand rather than with `#[php_interface]`: the macro makes every
/// trailing nullable parameter optional, and `?int $expectedVersion` must
/// stay required so that an implementation may declare it without a default.
pub(super) fn register_interface() -> i32 {
    match build_interface() {
        Ok(()) => 0,
        Err(err) => {
            // MINIT has no channel to PHP code yet; stderr is where the
            // engine's own startup failures go.
            eprintln!("scim: cannot register {INTERFACE_NAME}: {err}");
            1
        }
    }
}

fn build_interface() -> ext_php_rs::error::Result<()> {
    let string = |name: &str| Arg::new(name, DataType::String);
    let array = |name: &str| Arg::new(name, DataType::Array);
    let version = || Arg::new("expectedVersion", DataType::Long).allow_null();
    let method = |builder: FunctionBuilder<'static>, returns: DataType| {
        (builder.returns(returns, false, false), MethodFlags::Public)
    };
    let methods = [
        method(
            FunctionBuilder::new_abstract("get")
                .arg(string("type"))
                .arg(string("id")),
            DataType::Array,
        ),
        method(
            FunctionBuilder::new_abstract("create")
                .arg(string("type"))
                .arg(array("resource")),
            DataType::Array,
        ),
        method(
            FunctionBuilder::new_abstract("replace")
                .arg(string("type"))
                .arg(string("id"))
                .arg(array("resource"))
                .arg(version()),
            DataType::Array,
        ),
        method(
            FunctionBuilder::new_abstract("delete")
                .arg(string("type"))
                .arg(string("id"))
                .arg(version()),
            DataType::Void,
        ),
        method(
            FunctionBuilder::new_abstract("query")
                .arg(string("type"))
                .arg(array("query")),
            DataType::Array,
        ),
    ];
    let mut builder = ClassBuilder::new(INTERFACE_NAME).flags(ClassFlags::Interface);
    for (function, flags) in methods {
        builder = builder.method(function, flags);
    }
    builder.registration(park).register()
}

/// A `?\Scim\Store` argument: an object that implements the interface,
/// holding a reference of its own to it.
pub struct StoreObject(Zval);

impl<'a> FromZval<'a> for StoreObject {
    const TYPE: DataType = DataType::object(INTERFACE_NAME);

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let object = zval.dereference().object()?;
        let ce = interface()?;
        object
            .instance_of(ce)
            .then(|| Self(zval.dereference().shallow_clone()))
    }
}

/// A [`Store`] backed by a PHP object implementing `Scim\Store`.
pub struct PhpStore {
    /// The object, kept alive by this reference for as long as the store.
    object: Zval,
    /// What the object threw, for the log, when it was not a `Scim\Exception`.
    failure: RefCell<Option<String>>,
}

impl PhpStore {
    /// A store over `object`.
    #[must_use]
    pub fn new(object: StoreObject) -> Self {
        Self {
            object: object.0,
            failure: RefCell::new(None),
        }
    }

    /// Takes the particulars of the last `\Throwable` the object threw that
    /// was not a `Scim\Exception` (its class, message, file and line). The
    /// client got only [`STORE_FAILED`]; this is for the site's log.
    pub fn take_failure(&self) -> Option<String> {
        self.failure.borrow_mut().take()
    }

    /// Calls `method` on the object. A thrown exception is taken out of the
    /// engine, so it does not propagate into PHP, and converted. `exit()` is
    /// left pending: the request then ends as PHP code asked, once the
    /// extension has returned.
    fn call(&self, method: &str, args: &[&dyn IntoZvalDyn]) -> Result<Zval> {
        let object = self.object.object().ok_or_else(|| {
            ScimError::Internal(format!(
                "the store is not an object, {method}() unreachable"
            ))
        })?;
        let outcome = object.try_call_method(method, args.to_vec());
        if exiting() {
            return Err(ScimError::Internal(format!(
                "Scim\\Store::{method}() called exit()"
            )));
        }
        if let Some(exception) = ExecutorGlobals::take_exception() {
            return Err(self.convert(method, &exception));
        }
        outcome.map_err(|err| {
            ScimError::Internal(format!(
                "Scim\\Store::{method}() could not be called: {err}"
            ))
        })
    }

    /// The [`ScimError`] for `exception`, thrown by the store's `method`.
    fn convert(&self, method: &str, exception: &ZendObject) -> ScimError {
        let message = string_of(exception, "getMessage");
        let is_scim =
            ClassEntry::try_find("Scim\\Exception").is_some_and(|base| exception.instance_of(base));
        if is_scim {
            let status = call_quietly(exception, "getStatus")
                .and_then(|z| z.long())
                .unwrap_or(500);
            let scim_type = call_quietly(exception, "getScimType").and_then(|z| z.string());
            return scim_error(status, scim_type.as_deref(), message);
        }
        let class = exception
            .get_class_name()
            .unwrap_or_else(|_| "Throwable".into());
        let file = string_of(exception, "getFile");
        let line = call_quietly(exception, "getLine")
            .and_then(|z| z.long())
            .unwrap_or_default();
        *self.failure.borrow_mut() = Some(format!(
            "Scim\\Store::{method}() threw {class}: {message} ({file}:{line})"
        ));
        ScimError::Internal(STORE_FAILED.into())
    }
}

/// Whether the engine holds a pending exit: since PHP 8.0, `exit()` unwinds
/// the stack with an exception object that is not a `\Throwable`.
fn exiting() -> bool {
    ExecutorGlobals::get()
        .exception()
        .is_some_and(|pending| !pending.instance_of(ce::throwable()))
}

/// Calls a method of `object` that takes no argument, discarding whatever it
/// throws.
fn call_quietly(object: &ZendObject, method: &str) -> Option<Zval> {
    let outcome = object.try_call_method(method, Vec::new());
    if ExecutorGlobals::take_exception().is_some() {
        return None;
    }
    outcome.ok()
}

fn string_of(object: &ZendObject, method: &str) -> String {
    call_quietly(object, method)
        .and_then(|z| z.string())
        .unwrap_or_default()
}

/// The error a `Scim\Exception` of `status` and `scim_type` stands for: the
/// keyword decides when there is one (RFC 7644 §3.12, table 9), else the
/// status.
fn scim_error(status: i64, scim_type: Option<&str>, detail: String) -> ScimError {
    if let Some(kind) = scim_type.and_then(ScimType::parse) {
        return ScimError::Keyword(kind, detail);
    }
    match status {
        401 => ScimError::Unauthorized(detail),
        403 => ScimError::Forbidden(detail),
        404 => ScimError::NotFound(detail),
        405 => ScimError::MethodNotAllowed(detail),
        409 => ScimError::Conflict(detail),
        412 => ScimError::PreconditionFailed(detail),
        413 => ScimError::PayloadTooLarge(detail),
        415 => ScimError::UnsupportedMediaType(detail),
        501 => ScimError::NotImplemented(detail),
        // 400, and any other client error a PHP subclass may have chosen.
        400..=499 => ScimError::BadRequest(detail),
        _ => ScimError::Internal(detail),
    }
}

fn string_zval(value: &str) -> Zval {
    let mut zv = Zval::new();
    // Never fails: the call only allocates.
    let _ = zv.set_string(value, false);
    zv
}

fn version_zval(method: &str, version: Option<u64>) -> Result<Zval> {
    let mut zv = Zval::new();
    match version {
        None => zv.set_null(),
        Some(v) => zv.set_long(i64::try_from(v).map_err(|_| {
            ScimError::Internal(format!(
                "Scim\\Store::{method}(): version {v} exceeds PHP's integers"
            ))
        })?),
    }
    Ok(zv)
}

/// The 500 for an answer of `method` that breaks the interface's contract.
fn malformed(method: &str, what: &str) -> ScimError {
    ScimError::Internal(format!(
        "Scim\\Store::{method}() returned a malformed answer: {what}"
    ))
}

/// The PHP type of `zv`, as `get_debug_type()` names the scalar ones.
fn type_name(zv: &Zval) -> &'static str {
    let zv = zv.dereference();
    if zv.is_null() {
        "null"
    } else if zv.is_bool() {
        "bool"
    } else if zv.is_long() {
        "int"
    } else if zv.is_double() {
        "float"
    } else if zv.is_string() {
        "string"
    } else if zv.is_array() {
        "array"
    } else if zv.is_object() {
        "object"
    } else {
        "resource"
    }
}

/// `{resource: array, version: int}`; `Err` says what is wrong with it.
fn stored(answer: &Zval) -> std::result::Result<Stored, String> {
    let Some(answer) = answer.dereference().array() else {
        return Err(format!("expected an array, got {}", type_name(answer)));
    };
    let resource = answer
        .get("resource")
        .ok_or_else(|| "\"resource\" is missing".to_owned())?;
    if !resource.dereference().is_array() {
        return Err(format!(
            "\"resource\" must be an array, not {}",
            type_name(resource)
        ));
    }
    let resource = zval_to_json(resource).map_err(|e| format!("\"resource\": {}", e.detail()))?;
    if !resource.is_object() {
        return Err("\"resource\" must be keyed by attribute name, not a list".into());
    }
    if resource
        .get("id")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err("\"resource\" has no \"id\" string".into());
    }
    let version = count(answer, "version")?;
    Ok(Stored { resource, version })
}

/// The non-negative integer under `key`.
fn count(answer: &ZendHashTable, key: &str) -> std::result::Result<u64, String> {
    let value = answer
        .get(key)
        .ok_or_else(|| format!("\"{key}\" is missing"))?;
    let Some(n) = value.dereference().long() else {
        return Err(format!(
            "\"{key}\" must be an int, not {}",
            type_name(value)
        ));
    };
    u64::try_from(n).map_err(|_| format!("\"{key}\" must not be negative, got {n}"))
}

/// `{total: int, resources: list<{resource, version}>, exact: bool}`.
fn page(answer: &Zval) -> std::result::Result<Page, String> {
    let Some(answer) = answer.dereference().array() else {
        return Err(format!("expected an array, got {}", type_name(answer)));
    };
    let total = count(answer, "total")?;
    let exact = answer
        .get("exact")
        .ok_or_else(|| "\"exact\" is missing".to_owned())?;
    let Some(exact) = exact.dereference().bool() else {
        return Err(format!(
            "\"exact\" must be a bool, not {}",
            type_name(exact)
        ));
    };
    let list = answer
        .get("resources")
        .ok_or_else(|| "\"resources\" is missing".to_owned())?;
    let Some(list) = list.dereference().array() else {
        return Err(format!(
            "\"resources\" must be a list, not {}",
            type_name(list)
        ));
    };
    let mut resources = Vec::with_capacity(list.len());
    for (index, (key, item)) in list.iter().enumerate() {
        if i64::try_from(index).map_or(true, |i| key != ArrayKey::Long(i)) {
            return Err("\"resources\" must be a list, keyed 0, 1, 2, …".into());
        }
        resources.push(stored(item).map_err(|what| format!("resources[{index}]: {what}"))?);
    }
    Ok(Page {
        total,
        resources,
        exact,
    })
}

impl Store for PhpStore {
    fn get(&self, kind: Kind, id: &str) -> Result<Stored> {
        let answer = self.call("get", &[&string_zval(kind.as_str()), &string_zval(id)])?;
        stored(&answer).map_err(|what| malformed("get", &what))
    }

    fn create(&self, kind: Kind, resource: Value) -> Result<Stored> {
        let answer = self.call(
            "create",
            &[&string_zval(kind.as_str()), &json_to_zval(&resource)],
        )?;
        stored(&answer).map_err(|what| malformed("create", &what))
    }

    fn replace(
        &self,
        kind: Kind,
        id: &str,
        resource: Value,
        expected_version: Option<u64>,
    ) -> Result<Stored> {
        let answer = self.call(
            "replace",
            &[
                &string_zval(kind.as_str()),
                &string_zval(id),
                &json_to_zval(&resource),
                &version_zval("replace", expected_version)?,
            ],
        )?;
        stored(&answer).map_err(|what| malformed("replace", &what))
    }

    fn delete(&self, kind: Kind, id: &str, expected_version: Option<u64>) -> Result<()> {
        self.call(
            "delete",
            &[
                &string_zval(kind.as_str()),
                &string_zval(id),
                &version_zval("delete", expected_version)?,
            ],
        )?;
        Ok(())
    }

    /// The PHP interface has no sort: a sorted query asks for every match,
    /// unpaged, and reports the answer as not exact so that the caller sorts
    /// and pages it.
    fn query(&self, kind: Kind, query: &Query<'_>) -> Result<Page> {
        let sorted = query.sort_by.is_some();
        let arguments = json!({
            "filter": query.filter.map(ToString::to_string),
            "start_index": if sorted { 1 } else { query.start_index.max(1) },
            "count": if sorted { None } else { query.count },
            "memberships": query.memberships,
        });
        let answer = self.call(
            "query",
            &[&string_zval(kind.as_str()), &json_to_zval(&arguments)],
        )?;
        let mut page = page(&answer).map_err(|what| malformed("query", &what))?;
        if sorted && page.exact {
            page.exact = false;
            page.total = page.resources.len() as u64;
        }
        Ok(page)
    }
}
