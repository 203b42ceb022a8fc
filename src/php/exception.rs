//! The `Scim\Exception` hierarchy: one PHP class per failure of RFC 7644
//! §3.12, the one conversion from [`ScimError`] to a thrown exception, and
//! the guard that turns a Rust panic into a 500 instead of a dead worker.
//!
//! The classes are plain internal classes extending `\Exception`, registered
//! by hand rather than with `#[php_class]`: a Rust-backed class replaces the
//! engine's object constructor, which would lose the file, line and trace
//! that `\Exception` records, and would not let the subclasses inherit the
//! methods. Each class carries its HTTP status and `scimType` as defaults of
//! the protected properties `$status` and `$scimType`, so
//! `new Scim\NotFoundException('...')` from PHP is as complete as one thrown
//! by the extension.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::class::ClassEntryInfo;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::Zval;
use ext_php_rs::zend::{ce, run_handler, ClassEntry, ExecuteData};
use ext_php_rs::zend_fastcall;
use serde_json::{json, Value};

use crate::error::{ScimError, ScimType, ERROR_URN};

/// One exception class: its name, parent, status and `scimType`.
struct ExceptionClass {
    name: &'static str,
    /// The index of the parent in [`CLASSES`]; `None` for `\Exception`.
    parent: Option<usize>,
    status: u16,
    scim_type: Option<ScimType>,
}

const BASE: usize = 0;
const BAD_REQUEST: usize = 1;
const CONFLICT: usize = 15;
const CLASS_COUNT: usize = 22;

/// Every class, parents before children; a class's index is its slot in
/// [`ENTRIES`].
#[rustfmt::skip]
static CLASSES: [ExceptionClass; CLASS_COUNT] = [
    class("Scim\\Exception", None, 500, None),
    class("Scim\\BadRequestException", Some(BASE), 400, None),
    keyword("Scim\\InvalidFilterException", ScimType::InvalidFilter),
    keyword("Scim\\TooManyException", ScimType::TooMany),
    keyword("Scim\\InvalidSyntaxException", ScimType::InvalidSyntax),
    keyword("Scim\\InvalidPathException", ScimType::InvalidPath),
    keyword("Scim\\NoTargetException", ScimType::NoTarget),
    keyword("Scim\\InvalidValueException", ScimType::InvalidValue),
    keyword("Scim\\InvalidVersException", ScimType::InvalidVers),
    keyword("Scim\\SensitiveException", ScimType::Sensitive),
    keyword("Scim\\MutabilityException", ScimType::Mutability),
    class("Scim\\UnauthorizedException", Some(BASE), 401, None),
    class("Scim\\ForbiddenException", Some(BASE), 403, None),
    class("Scim\\NotFoundException", Some(BASE), 404, None),
    class("Scim\\MethodNotAllowedException", Some(BASE), 405, None),
    class("Scim\\ConflictException", Some(BASE), 409, None),
    class("Scim\\UniquenessException", Some(CONFLICT), 409, Some(ScimType::Uniqueness)),
    class("Scim\\PreconditionFailedException", Some(BASE), 412, None),
    class("Scim\\PayloadTooLargeException", Some(BASE), 413, None),
    class("Scim\\UnsupportedMediaTypeException", Some(BASE), 415, None),
    class("Scim\\InternalException", Some(BASE), 500, None),
    class("Scim\\NotImplementedException", Some(BASE), 501, None),
];

const fn class(
    name: &'static str,
    parent: Option<usize>,
    status: u16,
    scim_type: Option<ScimType>,
) -> ExceptionClass {
    ExceptionClass {
        name,
        parent,
        status,
        scim_type,
    }
}

/// A 400 keyword class, child of `Scim\BadRequestException`.
const fn keyword(name: &'static str, kind: ScimType) -> ExceptionClass {
    class(name, Some(BAD_REQUEST), 400, Some(kind))
}

/// The parent of `class` as `ClassBuilder::extends` wants it.
fn parent_info(class: &ExceptionClass) -> ClassEntryInfo {
    match class.parent {
        Some(BASE) => (entry::<BASE>, "\\Scim\\Exception"),
        Some(BAD_REQUEST) => (entry::<BAD_REQUEST>, "\\Scim\\BadRequestException"),
        Some(CONFLICT) => (entry::<CONFLICT>, "\\Scim\\ConflictException"),
        _ => (ce::exception, "\\Exception"),
    }
}

/// The registration callback that keeps the class entry of slot `i`.
macro_rules! park_for {
    ($($i:literal)*) => {
        fn park_for(i: usize) -> Option<fn(&'static mut ClassEntry, ArgInfoTables)> {
            match i {
                $($i => Some(park::<$i>),)*
                _ => None,
            }
        }
    };
}
park_for!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21);

/// The registered class entries, filled at MINIT.
static ENTRIES: [AtomicPtr<ClassEntry>; CLASS_COUNT] =
    [const { AtomicPtr::new(ptr::null_mut()) }; CLASS_COUNT];

/// Keeps the class entry of slot `I`; the engine reads the method argument
/// tables for the life of the process, so they are leaked on purpose.
fn park<const I: usize>(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    if let Some(slot) = ENTRIES.get(I) {
        slot.store(ce, Ordering::Release);
    }
    std::mem::forget(arg_info);
}

/// The class entry of slot `i`, once registered.
fn class_entry(i: usize) -> Option<&'static ClassEntry> {
    let ce = ENTRIES.get(i)?.load(Ordering::Acquire);
    // SAFETY: the pointer is null or came from the `&'static mut ClassEntry`
    // the engine handed to `park` at MINIT; the entry lives until MSHUTDOWN,
    // after which no PHP code runs that could reach this function.
    unsafe { ce.as_ref() }
}

/// The class entry of slot `I`, as `ClassBuilder::extends` wants a parent;
/// `\Exception` if the slot is somehow empty.
fn entry<const I: usize>() -> &'static ClassEntry {
    class_entry(I).unwrap_or_else(ce::exception)
}

/// Registers every exception class. Returns 0 on success, as MINIT wants.
pub(super) fn register_classes() -> i32 {
    for (i, class) in CLASSES.iter().enumerate() {
        if let Err(err) = register_class(i, class) {
            // MINIT has no channel to PHP code yet; stderr is where the engine's
            // own startup failures go.
            eprintln!("scim: cannot register {}: {err}", class.name);
            return 1;
        }
    }
    0
}

fn register_class(i: usize, class: &ExceptionClass) -> ext_php_rs::error::Result<()> {
    let park = park_for(i).ok_or(ext_php_rs::error::Error::InvalidPointer)?;
    let status = i64::from(class.status);
    let scim_type = class.scim_type.map(ScimType::as_str);
    let mut builder = ClassBuilder::new(class.name)
        .extends(parent_info(class))
        .property(ClassProperty {
            name: "status".into(),
            flags: PropertyFlags::Protected,
            default: Some(Box::new(move || {
                let mut zv = Zval::new();
                zv.set_long(status);
                Ok(zv)
            })),
            docs: &["The HTTP status of the failure (RFC 7644 §3.12)."],
            ty: Some(DataType::Long),
            nullable: false,
            readonly: false,
            default_stub: Some(status.to_string()),
        })
        .property(ClassProperty {
            name: "scimType".into(),
            flags: PropertyFlags::Protected,
            default: Some(Box::new(move || {
                let mut zv = Zval::new();
                match scim_type {
                    Some(kind) => zv.set_interned_string(kind, true)?,
                    None => zv.set_null(),
                }
                Ok(zv)
            })),
            docs: &["The `scimType` keyword of RFC 7644 §3.12, table 9, if any."],
            ty: Some(DataType::String),
            nullable: true,
            readonly: false,
            default_stub: Some(scim_type.map_or("null".into(), |k| format!("'{k}'"))),
        })
        .registration(park);
    if i == BASE {
        builder = builder
            .method(
                FunctionBuilder::new("getStatus", get_status).returns(DataType::Long, false, false),
                MethodFlags::Public,
            )
            .method(
                FunctionBuilder::new("getScimType", get_scim_type).returns(
                    DataType::String,
                    false,
                    true,
                ),
                MethodFlags::Public,
            )
            .method(
                FunctionBuilder::new("getDocument", get_document).returns(
                    DataType::Array,
                    false,
                    false,
                ),
                MethodFlags::Public,
            );
    }
    builder.register()
}

/// The status and `scimType` of `$this`, with the defaults of `Scim\Exception`
/// where a PHP subclass stored something else in the properties.
fn this_status(ex: &mut ExecuteData) -> (i64, Option<String>, String) {
    let Some(this) = ex.get_self() else {
        return (500, None, String::new());
    };
    let status = this.get_property::<i64>("status").unwrap_or(500);
    let scim_type = this
        .get_property::<Option<String>>("scimType")
        .ok()
        .flatten();
    let message = this.get_property::<String>("message").unwrap_or_default();
    (status, scim_type, message)
}

/// Throws `ArgumentCountError` and returns false when arguments were passed.
fn takes_no_arguments(ex: &mut ExecuteData) -> bool {
    ex.parser().parse().is_ok()
}

/// Runs the body of a method of `Scim\Exception` the way [`guard`] runs
/// the rest: a panic becomes a thrown `Scim\InternalException`.
fn method(ex: &mut ExecuteData, retval: &mut Zval, body: fn(&mut ExecuteData, &mut Zval)) {
    run_handler(AssertUnwindSafe(|| {
        if !takes_no_arguments(ex) {
            return;
        }
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| body(ex, retval))) {
            to_exception(&panicked(payload.as_ref())).throw();
        }
    }));
}

zend_fastcall! {
    extern fn get_status(ex: &mut ExecuteData, retval: &mut Zval) {
        method(ex, retval, |ex, retval| retval.set_long(this_status(ex).0));
    }
}

zend_fastcall! {
    extern fn get_scim_type(ex: &mut ExecuteData, retval: &mut Zval) {
        method(ex, retval, |ex, retval| match this_status(ex).1 {
            Some(kind) => {
                let _ = retval.set_string(&kind, false);
            }
            None => retval.set_null(),
        });
    }
}

zend_fastcall! {
    extern fn get_document(ex: &mut ExecuteData, retval: &mut Zval) {
        method(ex, retval, |ex, retval| {
            let (status, scim_type, detail) = this_status(ex);
            retval.set_hashtable(super::convert::json_to_array(&document(
                status,
                scim_type.as_deref(),
                &detail,
            )));
        });
    }
}

/// The error document of RFC 7644 §3.12, laid out as
/// [`ScimError::to_document`] lays it out.
fn document(status: i64, scim_type: Option<&str>, detail: &str) -> Value {
    let mut doc = json!({
        "schemas": [ERROR_URN],
        "status": status.to_string(),
    });
    if let (Some(kind), Some(map)) = (scim_type, doc.as_object_mut()) {
        map.insert("scimType".into(), Value::from(kind));
    }
    if let Some(map) = doc.as_object_mut() {
        map.insert("detail".into(), Value::from(detail));
    }
    doc
}

/// The class slot of `err`: the class with its `scimType`, or else the
/// keyword-less class of its status (never the base class itself).
fn slot_of(err: &ScimError) -> usize {
    let status = err.status();
    let kind = err.scim_type();
    CLASSES
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, c)| match kind {
            Some(kind) => c.scim_type == Some(kind),
            None => c.scim_type.is_none() && c.status == status,
        })
        .map_or(BASE, |(i, _)| i)
}

/// The PHP exception for `err`: the `Scim\` class of its status and
/// `scimType`, its detail as the message and its status as the code.
#[must_use]
pub fn to_exception(err: &ScimError) -> PhpException {
    let ce = class_entry(slot_of(err))
        .or_else(|| class_entry(BASE))
        .unwrap_or_else(ce::exception);
    // The engine takes the message as a C string; a NUL from the input would
    // make the throw fail.
    let message = err.detail().replace('\0', "\\0");
    PhpException::new(message, i32::from(err.status()), ce)
}

/// Runs `f` and hands its outcome to PHP: a [`ScimError`] becomes the matching
/// `Scim\` exception, and a panic becomes a `Scim\InternalException` (500)
/// instead of unwinding into the engine or reaching PHP as a bare `\Error`.
///
/// # Errors
///
/// The exception to throw, as described above.
pub fn guard<T>(f: impl FnOnce() -> crate::Result<T>) -> PhpResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(to_exception(&err)),
        Err(payload) => Err(to_exception(&panicked(payload.as_ref()))),
    }
}

/// The 500 a caught panic becomes.
fn panicked(payload: &(dyn Any + Send)) -> ScimError {
    ScimError::Internal(format!(
        "the scim extension panicked: {}",
        panic_message(payload)
    ))
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "non-string panic payload"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_class_of_its_status_and_keyword() {
        let kinds = ScimType::ALL;
        let mut errors: Vec<ScimError> =
            kinds.iter().map(|k| ScimError::keyword(*k, "x")).collect();
        errors.extend([
            ScimError::BadRequest("x".into()),
            ScimError::Unauthorized("x".into()),
            ScimError::Forbidden("x".into()),
            ScimError::NotFound("x".into()),
            ScimError::MethodNotAllowed("x".into()),
            ScimError::Conflict("x".into()),
            ScimError::PreconditionFailed("x".into()),
            ScimError::PayloadTooLarge("x".into()),
            ScimError::UnsupportedMediaType("x".into()),
            ScimError::Internal("x".into()),
            ScimError::NotImplemented("x".into()),
        ]);
        let mut slots: Vec<usize> = errors.iter().map(slot_of).collect();
        for (err, slot) in errors.iter().zip(&slots) {
            let class = &CLASSES[*slot];
            assert_ne!(*slot, BASE, "{err}");
            assert_eq!(class.status, err.status(), "{}", class.name);
            assert_eq!(class.scim_type, err.scim_type(), "{}", class.name);
        }
        slots.sort_unstable();
        slots.dedup();
        assert_eq!(
            slots.len(),
            CLASS_COUNT - 1,
            "one error per class but the base"
        );
    }

    #[test]
    fn parents_come_before_their_children() {
        assert_eq!(CLASSES[BASE].name, "Scim\\Exception");
        assert_eq!(CLASSES[BAD_REQUEST].name, "Scim\\BadRequestException");
        assert_eq!(CLASSES[CONFLICT].name, "Scim\\ConflictException");
        assert_eq!(CLASSES[BASE].parent, None);
        for (i, class) in CLASSES.iter().enumerate().skip(1) {
            let parent = class.parent.expect(class.name);
            assert!(parent < i, "{} comes after its parent", class.name);
            assert!(
                matches!(parent, BASE | BAD_REQUEST | CONFLICT),
                "{}: parent_info knows no class {parent}",
                class.name
            );
        }
    }
}
