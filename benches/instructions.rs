//! Runs one benchmark workload a given number of times, for counting
//! instructions under callgrind: a measure that the load of a shared machine
//! does not move. With `--batches B` it instead times B batches and prints the
//! fastest and the median per iteration; other processes only ever add time,
//! so the fastest batch is the best estimate of an idle machine.
//! See docs/benchmarks.md for the commands.

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use scim::mapping::Mapping;
use scim::patch::{self, PatchRequest};
use scim::resource::{self, Limits, Mode, Options};
use scim::schema::Registry;
use std::hint::black_box;
use std::time::Instant;
use workloads::{
    group_1000, patch_body, patch_request, resource_type, user_canonical, user_parsed, user_stored,
    COMPLEX_FILTER, USER_BODY, USER_NAME_FILTER,
};

/// The workloads by name, as `cargo bench --bench instructions -- NAME N` takes them.
const WORKLOADS: &[&str] = &[
    "user_parse_validate_map",
    "user_validate_json_map",
    "user_validate_json",
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
    "group_validate_json",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.iter().find(|a| WORKLOADS.contains(&a.as_str())) else {
        println!("usage: instructions WORKLOAD [ITERATIONS] [--batches B]; workloads:");
        for name in WORKLOADS {
            println!("  {name}");
        }
        return;
    };
    let number_after = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<u32>().ok())
    };
    let iterations = args
        .iter()
        .find_map(|a| a.parse::<u32>().ok())
        .unwrap_or(1_000);
    match number_after("--batches") {
        None => run(name, iterations, &mut |_| {}),
        Some(batches) => {
            let mut per_iteration = Vec::new();
            for _ in 0..batches {
                run(name, iterations, &mut |nanos| {
                    per_iteration.push(nanos / f64::from(iterations));
                });
            }
            per_iteration.sort_by(f64::total_cmp);
            let fastest = per_iteration.first().copied().unwrap_or(f64::NAN);
            let median = per_iteration
                .get(per_iteration.len() / 2)
                .copied()
                .unwrap_or(f64::NAN);
            println!(
                "{name}: fastest {fastest:.0} ns, median {median:.0} ns per iteration \
                 ({batches} batches of {iterations})"
            );
        }
    }
}

/// Sets up `name`'s inputs outside the measured part, then measures, giving
/// `timed` the nanoseconds the measured part took.
#[allow(clippy::too_many_lines)] // one arm per workload
fn run(name: &str, iterations: u32, timed: &mut dyn FnMut(f64)) {
    let registry = Registry::shared();
    let user = resource_type("User");
    let group = resource_type("Group");
    let limits = Limits::default();
    match name {
        "user_parse_validate_map" => {
            let mapping = Mapping::drupal_default();
            measure(iterations, timed, || {
                let parsed = resource::parse_json(black_box(USER_BODY), &limits)?;
                let canonical = resource::validate(registry, user, &parsed, Mode::Create)?;
                mapping.to_account(&canonical).map(|_| ())
            });
        }
        "user_validate_json_map" => {
            let mapping = Mapping::drupal_default();
            measure(iterations, timed, || {
                let canonical = resource::validate_json(
                    black_box(USER_BODY),
                    &limits,
                    registry,
                    user,
                    Mode::Create,
                    &Options::strict(),
                )?;
                mapping.to_account(&canonical).map(|_| ())
            });
        }
        "user_validate_json" => measure(iterations, timed, || {
            resource::validate_json(
                black_box(USER_BODY),
                &limits,
                registry,
                user,
                Mode::Create,
                &Options::strict(),
            )
            .map(|_| ())
        }),
        "user_parse_json" => measure(iterations, timed, || {
            resource::parse_json(black_box(USER_BODY), &limits).map(|_| ())
        }),
        "user_validate_create" => {
            let parsed = user_parsed();
            measure(iterations, timed, || {
                resource::validate(registry, user, black_box(&parsed), Mode::Create).map(|_| ())
            });
        }
        "user_to_account" => {
            let mapping = Mapping::drupal_default();
            let canonical = user_canonical();
            measure(iterations, timed, || {
                mapping.to_account(black_box(&canonical)).map(|_| ())
            });
        }
        "filter_parse_complex" => measure(iterations, timed, || {
            scim::filter::parse(black_box(COMPLEX_FILTER)).map(|_| ())
        }),
        "filter_parse_user_name_eq" => measure(iterations, timed, || {
            scim::filter::parse(black_box(USER_NAME_FILTER)).map(|_| ())
        }),
        "patch_from_json_and_apply" => {
            let stored = user_stored();
            let body = patch_body();
            measure(iterations, timed, || {
                let request = PatchRequest::from_json(black_box(&body))?;
                patch::apply(registry, user, &stored, &request).map(|_| ())
            });
        }
        "patch_from_json" => {
            let body = patch_body();
            measure(iterations, timed, || {
                PatchRequest::from_json(black_box(&body)).map(|_| ())
            });
        }
        "patch_apply" => {
            let stored = user_stored();
            let request = patch_request();
            measure(iterations, timed, || {
                patch::apply(registry, user, black_box(&stored), &request).map(|_| ())
            });
        }
        "group_validate_create" => {
            let parsed = group_1000();
            measure(iterations, timed, || {
                resource::validate(registry, group, black_box(&parsed), Mode::Create).map(|_| ())
            });
        }
        "group_parse_json_and_validate" => {
            let body = serde_json::to_vec(&group_1000()).unwrap_or_else(|e| panic!("{e}"));
            measure(iterations, timed, || {
                let parsed = resource::parse_json(black_box(&body), &limits)?;
                resource::validate(registry, group, &parsed, Mode::Create).map(|_| ())
            });
        }
        "group_validate_json" => {
            let body = serde_json::to_vec(&group_1000()).unwrap_or_else(|e| panic!("{e}"));
            measure(iterations, timed, || {
                resource::validate_json(
                    black_box(&body),
                    &limits,
                    registry,
                    group,
                    Mode::Create,
                    &Options::strict(),
                )
                .map(|_| ())
            });
        }
        _ => unreachable!("{name} is listed in WORKLOADS"),
    }
}

/// Runs `work` `iterations` times and reports the time taken to `timed`;
/// callgrind counts only inside this function (`--toggle-collect`). Fails
/// loudly if the work fails, so a broken workload is never measured as a
/// fast one.
#[inline(never)]
fn measure(
    iterations: u32,
    timed: &mut dyn FnMut(f64),
    mut work: impl FnMut() -> scim::Result<()>,
) {
    let start = Instant::now();
    for _ in 0..iterations {
        if let Err(err) = black_box(work()) {
            panic!("the workload failed: {err}");
        }
    }
    timed(start.elapsed().as_secs_f64() * 1e9);
}
