//! Build script. The `php` feature's bindings are ext-php-rs's own business;
//! this only adds what the platform's linker needs for a PHP extension.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");

    // PHP resolves the engine's symbols when it loads the extension; the macOS
    // linker must be told to leave them undefined (Linux does by default).
    let macos = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "macos");
    if macos && std::env::var_os("CARGO_FEATURE_PHP").is_some() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-undefined,dynamic_lookup");
    }
}
