//! Fuzzes `scim::filter::parse_path`: never panics, and whatever parses
//! prints as text that parses to the same path (RFC 7644 §3.5.2).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let Ok(path) = scim::filter::parse_path(input) else {
        return;
    };
    let printed = path.to_string();
    match scim::filter::parse_path(&printed) {
        Ok(again) => assert_eq!(path, again, "{input:?} printed as {printed:?}"),
        Err(err) => panic!("{input:?} printed as {printed:?}, which fails: {err}"),
    }
});
