//! `Scim\Testing`: hooks that exist only to test the binding layer itself.
//! They refuse to run unless the system ini setting
//! `scim.enable_test_hooks=1` is on, so production code cannot reach them.

use ext_php_rs::flags::ClassFlags;
use std::sync::atomic::{AtomicBool, Ordering};

use ext_php_rs::prelude::*;
use ext_php_rs::types::Zval;
use ext_php_rs::zend::ExecutorGlobals;

use super::convert::{json_to_zval, zval_to_json};

use super::exception::guard;
use crate::error::ScimError;

/// `Scim\Testing`.
#[php_class]
#[php(name = "Scim\\Testing")]
#[php(flags = ClassFlags::Final)]
pub struct Testing;

#[php_impl]
impl Testing {
    #[php(vis = "private")]
    pub fn __construct() -> Self {
        Self
    }

    /// Panics in Rust with `message`, to prove that a panic reaches PHP as a
    /// `Scim\InternalException` (500) and the worker lives on.
    pub fn panic(message: Option<String>) -> PhpResult<()> {
        guard(|| {
            require_hooks()?;
            panic!("{}", message.as_deref().unwrap_or("deliberate panic"));
        })
    }

    /// `value` converted to JSON and back, as every binding converts arrays.
    pub fn round_trip(value: &Zval) -> PhpResult<Zval> {
        guard(|| {
            require_hooks()?;
            Ok(json_to_zval(&zval_to_json(value)?))
        })
    }

    /// `value` converted to JSON, as the core sees it, and serialized.
    pub fn to_json(value: &Zval) -> PhpResult<String> {
        guard(|| {
            require_hooks()?;
            Ok(zval_to_json(value)?.to_string())
        })
    }
}

fn require_hooks() -> crate::Result<()> {
    if hooks_enabled() {
        Ok(())
    } else {
        Err(ScimError::Forbidden(
            "test hooks are disabled; set scim.enable_test_hooks=1 in php.ini".into(),
        ))
    }
}

/// `scim.enable_test_hooks`, read once at MINIT: the setting is system-wide,
/// so it cannot change while requests run.
static HOOKS_ENABLED: AtomicBool = AtomicBool::new(false);

/// Reads the ini settings this module depends on; called at MINIT, after the
/// settings are registered.
pub(super) fn read_settings() {
    let on = ExecutorGlobals::get()
        .ini_values()
        .get("scim.enable_test_hooks")
        .and_then(Option::as_deref)
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "on" | "true" | "yes"));
    HOOKS_ENABLED.store(on, Ordering::Relaxed);
}

fn hooks_enabled() -> bool {
    HOOKS_ENABLED.load(Ordering::Relaxed)
}
