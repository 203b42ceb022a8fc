//! Fuzzes `scim::resource::parse_json` and `validate` for every resource type
//! of the shared registry, strict and lenient (and the body as a schema
//! document): never panics, and what validates is a fixed point (RFC 7643
//! §2: validating the canonical form gives it back, key order included, as a
//! create, a replace or a patch result against itself), a replace by the
//! original input gives it too (RFC 7644 §3.5.1), and a canonical User always
//! maps to account fields. The owned input and `validate_json` of the body
//! give what the borrowed input gives, result or error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use scim::mapping::Mapping;
use scim::resource::{self, Limits, Mode, Options};
use scim::schema::Registry;
use std::sync::OnceLock;

fn mapping() -> &'static Mapping {
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    MAPPING.get_or_init(Mapping::drupal_default)
}

/// A result as comparable text: the resource printed (key order shows), or
/// the error's status and detail.
fn shown(result: &scim::Result<serde_json::Value>) -> Result<String, (u16, String)> {
    match result {
        Ok(value) => Ok(value.to_string()),
        Err(err) => Err((err.status(), err.detail().to_owned())),
    }
}

fuzz_target!(|body: &[u8]| {
    let limits = Limits::default();
    let registry = Registry::shared();
    let input = match resource::parse_json(body, &limits) {
        Ok(input) => input,
        Err(err) => {
            for rt in &registry.resource_types {
                let read = resource::validate_json(
                    body,
                    &limits,
                    registry,
                    rt,
                    Mode::Create,
                    &Options::strict(),
                );
                assert_eq!(
                    shown(&read),
                    shown(&Err(err.clone())),
                    "validate_json of a bad body"
                );
            }
            return;
        }
    };
    let _ = scim::schema::parse::schema_from_json(&input);

    for rt in &registry.resource_types {
        for options in [Options::strict(), Options::lenient()] {
            let borrowed = resource::validate_with(registry, rt, &input, Mode::Create, &options);
            let owned =
                resource::validate_with(registry, rt, input.clone(), Mode::Create, &options);
            let read = resource::validate_json(body, &limits, registry, rt, Mode::Create, &options);
            assert_eq!(shown(&owned), shown(&borrowed), "{} owned input", rt.name);
            assert_eq!(shown(&read), shown(&borrowed), "{} validate_json", rt.name);
            let Ok(canonical) = borrowed else {
                continue;
            };

            match resource::validate_with(registry, rt, &canonical, Mode::Create, &options) {
                Ok(again) => assert_eq!(
                    again.to_string(),
                    canonical.to_string(),
                    "{} canonical form is not a fixed point",
                    rt.name
                ),
                Err(err) => panic!("{} canonical form {canonical} fails: {err}", rt.name),
            }

            for mode in [
                Mode::Replace {
                    existing: &canonical,
                },
                Mode::Patched {
                    existing: &canonical,
                },
            ] {
                match resource::validate_with(registry, rt, &canonical, mode, &options) {
                    Ok(again) => assert_eq!(again, canonical, "{} {mode:?}", rt.name),
                    Err(err) => panic!("{} {mode:?} of {canonical} fails: {err}", rt.name),
                }
            }
            match resource::validate_with(
                registry,
                rt,
                &input,
                Mode::Replace {
                    existing: &canonical,
                },
                &options,
            ) {
                Ok(again) => assert_eq!(again, canonical, "{} replace by its input", rt.name),
                Err(err) => panic!(
                    "{} replace of {canonical} by its input fails: {err}",
                    rt.name
                ),
            }

            if rt.name == "User" {
                if let Err(err) = mapping().to_account(&canonical) {
                    panic!("canonical user {canonical} does not map: {err}");
                }
            }
        }
    }
});
