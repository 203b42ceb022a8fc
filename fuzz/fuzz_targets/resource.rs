//! Fuzzes `scim::resource::parse_json` and `validate`: no body panics, and a
//! validated resource is a fixed point: validating it again, as a create, a
//! replace or a patch result against itself, gives it back unchanged.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scim::resource::{parse_json, validate, validate_with, Limits, Mode, Options};
use scim::schema::Registry;

fuzz_target!(|body: &[u8]| {
    let limits = Limits { max_body_bytes: 64 * 1024, max_depth: 16 };
    let Ok(input) = parse_json(body, &limits) else {
        return;
    };
    let _ = scim::schema::parse::schema_from_json(&input);

    let registry = Registry::shared();
    for rt in &registry.resource_types {
        let _ = validate_with(registry, rt, &input, Mode::Create, &Options::lenient());
        let Ok(canonical) = validate(registry, rt, &input, Mode::Create) else {
            continue;
        };
        for mode in [
            Mode::Create,
            Mode::Replace { existing: &canonical },
            Mode::Patched { existing: &canonical },
        ] {
            match validate(registry, rt, &canonical, mode) {
                Ok(again) => assert_eq!(again, canonical, "{mode:?}"),
                Err(err) => panic!("canonical {canonical} fails as {mode:?}: {err}"),
            }
        }
        let _ = validate(registry, rt, &input, Mode::Replace { existing: &canonical });
    }
});
