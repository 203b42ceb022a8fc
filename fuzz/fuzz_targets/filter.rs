//! Fuzzes `scim::filter::parse`: never panics, whatever parses prints as text
//! that parses to the same tree (RFC 7644 §3.4.2.2), and checking and
//! evaluating it against the RFC 7643 §8.2 user never panics either.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scim::schema::Registry;
use serde_json::Value;
use std::sync::OnceLock;

fn full_user() -> &'static Value {
    static USER: OnceLock<Value> = OnceLock::new();
    USER.get_or_init(|| {
        serde_json::from_str(include_str!(
            "../../tests/fixtures/rfc7643-8.2-full-user.json"
        ))
        .unwrap_or(Value::Null)
    })
}

fuzz_target!(|input: &str| {
    let Ok(filter) = scim::filter::parse(input) else {
        return;
    };
    let printed = filter.to_string();
    match scim::filter::parse(&printed) {
        Ok(again) => assert_eq!(filter, again, "{input:?} printed as {printed:?}"),
        Err(err) => panic!("{input:?} printed as {printed:?}, which fails: {err}"),
    }

    let registry = Registry::shared();
    for rt in &registry.resource_types {
        let _ = scim::filter::check(&filter, registry, rt);
        let _ = scim::filter::matches(&filter, full_user(), registry, rt);
    }
});
