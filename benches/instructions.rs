//! Runs one benchmark workload a given number of times, for counting
//! instructions under callgrind: a measure that the load of a shared machine
//! does not move. See docs/benchmarks.md for the command.

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use scim::mapping::Mapping;
use scim::patch::{self, PatchRequest};
use scim::resource::{self, Limits, Mode};
use scim::schema::Registry;
use std::hint::black_box;
use workloads::{
    group_1000, patch_body, patch_request, resource_type, user_canonical, user_parsed, user_stored,
    COMPLEX_FILTER, USER_BODY, USER_NAME_FILTER,
};

/// The workloads by name, as `cargo bench --bench instructions -- NAME N` takes them.
const WORKLOADS: &[&str] = &[
    "user_parse_validate_map",
    "user_parse_json",
    "user_validate_create",
    "user_to_account",
    "filter_parse_complex",
    "filter_parse_user_name_eq",
    "patch_from_json_and_apply",
    "patch_from_json",
    "patch_apply",
    "group_validate_create",
    "group_parse_json_and_validate",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.iter().find(|a| WORKLOADS.contains(&a.as_str())) else {
        println!("usage: instructions WORKLOAD [ITERATIONS]; workloads:");
        for name in WORKLOADS {
            println!("  {name}");
        }
        return;
    };
    let iterations = args
        .iter()
        .find_map(|a| a.parse::<u64>().ok())
        .unwrap_or(1_000);
    run(name, iterations);
}

/// Sets up `name`'s inputs outside the measured part, then measures.
fn run(name: &str, iterations: u64) {
    let registry = Registry::shared();
    let user = resource_type("User");
    let group = resource_type("Group");
    let limits = Limits::default();
    match name {
        "user_parse_validate_map" => {
            let mapping = Mapping::drupal_default();
            measure(iterations, || {
                let parsed = resource::parse_json(black_box(USER_BODY), &limits)?;
                let canonical = resource::validate(registry, user, &parsed, Mode::Create)?;
                mapping.to_account(&canonical).map(|_| ())
            });
        }
        "user_parse_json" => measure(iterations, || {
            resource::parse_json(black_box(USER_BODY), &limits).map(|_| ())
        }),
        "user_validate_create" => {
            let parsed = user_parsed();
            measure(iterations, || {
                resource::validate(registry, user, black_box(&parsed), Mode::Create).map(|_| ())
            });
        }
        "user_to_account" => {
            let mapping = Mapping::drupal_default();
            let canonical = user_canonical();
            measure(iterations, || {
                mapping.to_account(black_box(&canonical)).map(|_| ())
            });
        }
        "filter_parse_complex" => measure(iterations, || {
            scim::filter::parse(black_box(COMPLEX_FILTER)).map(|_| ())
        }),
        "filter_parse_user_name_eq" => measure(iterations, || {
            scim::filter::parse(black_box(USER_NAME_FILTER)).map(|_| ())
        }),
        "patch_from_json_and_apply" => {
            let stored = user_stored();
            let body = patch_body();
            measure(iterations, || {
                let request = PatchRequest::from_json(black_box(&body))?;
                patch::apply(registry, user, &stored, &request).map(|_| ())
            });
        }
        "patch_from_json" => {
            let body = patch_body();
            measure(iterations, || {
                PatchRequest::from_json(black_box(&body)).map(|_| ())
            });
        }
        "patch_apply" => {
            let stored = user_stored();
            let request = patch_request();
            measure(iterations, || {
                patch::apply(registry, user, black_box(&stored), &request).map(|_| ())
            });
        }
        "group_validate_create" => {
            let parsed = group_1000();
            measure(iterations, || {
                resource::validate(registry, group, black_box(&parsed), Mode::Create).map(|_| ())
            });
        }
        "group_parse_json_and_validate" => {
            let body = serde_json::to_vec(&group_1000()).unwrap_or_else(|e| panic!("{e}"));
            measure(iterations, || {
                let parsed = resource::parse_json(black_box(&body), &limits)?;
                resource::validate(registry, group, &parsed, Mode::Create).map(|_| ())
            });
        }
        _ => unreachable!("{name} is listed in WORKLOADS"),
    }
}

/// Runs `work` `iterations` times; callgrind counts only inside this function
/// (`--toggle-collect`). Fails loudly if the work fails, so a broken workload
/// is never measured as a fast one.
#[inline(never)]
fn measure(iterations: u64, mut work: impl FnMut() -> scim::Result<()>) {
    for _ in 0..iterations {
        if let Err(err) = black_box(work()) {
            panic!("the workload failed: {err}");
        }
    }
}
