//! The PHP binding layer: the `scim` extension's module entry, its ini
//! settings, and the PHP face of every core operation. All `unsafe` code and
//! every use of `ext_php_rs` in the crate lives under this module.

// The binding layer talks to the Zend engine through raw pointers; each
// unsafe block below says why it is sound.
#![allow(unsafe_code)]
// `#[php_function]`, `#[php_class]` and `#[php_impl]` expand to items without
// docs and take arguments by value the way PHP hands them over.
#![allow(missing_docs, clippy::needless_pass_by_value)]
// ext-php-rs names PHP parameters after the Rust ones; PHP's are camelCase.
#![allow(non_snake_case)]

mod convert;
mod discovery;
mod exception;
mod filter;
mod list;
mod mapping;
mod patch;
mod resource;
mod server;
mod store;
mod testing;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

/// The ini settings of the extension, with their defaults.
///
/// `scim.enable_test_hooks` (system-wide only, off by default) unlocks the
/// functions that exist to test the binding layer itself, such as
/// `Scim\Testing::panic()`.
static INI_ENTRIES: IniEntryDefs<2> = IniEntryDefs::new([
    IniEntryDef::new(c"scim.enable_test_hooks", c"0", IniEntryPermission::System),
    IniEntryDef::end(),
]);

/// `Scim\VERSION`: the extension's version, from `Cargo.toml`.
#[php_const]
#[php(name = "Scim\\VERSION")]
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the extension, as `Scim\VERSION` and `phpversion('scim')` give it.
#[php_function]
#[php(name = "Scim\\version")]
pub fn version() -> PhpResult<&'static str> {
    exception::guard(|| Ok(VERSION))
}

/// Validates a resource, given as an array or as a JSON string, and returns
/// its canonical form: `Scim\Resource::validate()` or `validateJson()`.
#[php_function]
#[php(name = "Scim\\validate")]
#[php(defaults(r#type = "\"User\"", strict = true), optional = "r#type")]
pub fn validate(
    resource: &Zval,
    r#type: &str,
    existing: Option<&ZendHashTable>,
    strict: bool,
) -> PhpResult<ZBox<ZendHashTable>> {
    resource::validate_any(resource, r#type, existing, strict)
}

/// MINIT: registers the ini settings, the exception classes, which the
/// classes registered by the module builder after it may throw, and the
/// interface `Scim\Store`.
fn startup(_ty: i32, module_number: i32) -> i32 {
    IniEntryDef::register(INI_ENTRIES.as_slice(), module_number);
    testing::read_settings();
    match exception::register_classes() {
        0 => store::register_interface(),
        failed => failed,
    }
}

#[php_module]
#[php(startup = "startup")]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    module
        .constant(wrap_constant!(VERSION))
        .function(wrap_function!(version))
        .function(wrap_function!(validate))
        .class::<discovery::Schemas>()
        .class::<discovery::ResourceTypes>()
        .class::<discovery::Discovery>()
        .class::<resource::Resource>()
        .class::<resource::PhpVersion>()
        .class::<filter::PhpFilter>()
        .class::<patch::Patch>()
        .class::<list::Query>()
        .class::<mapping::PhpMapping>()
        .class::<server::Server>()
        .class::<testing::Testing>()
}
