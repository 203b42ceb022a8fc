//! A Group of 1,000 members, as Okta or Entra ID push a large group, validated
//! for a create (RFC 7643 §4.2, RFC 7644 §3.3), with and without reading the
//! body. Target: under 1 ms.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use scim::resource::{self, Limits, Mode};
use scim::schema::Registry;
use std::hint::black_box;
use workloads::{group_1000, resource_type, MEMBERS};

fn group(c: &mut Criterion) {
    let registry = Registry::shared();
    let rt = resource_type("Group");
    let limits = Limits::default();
    let parsed = group_1000();
    let body = serde_json::to_vec(&parsed).unwrap_or_else(|e| panic!("{e}"));
    let canonical =
        resource::validate(registry, rt, &parsed, Mode::Create).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(canonical["members"].as_array().map(Vec::len), Some(MEMBERS));

    let mut group = c.benchmark_group("group_1000");
    group.bench_function("validate_create", |b| {
        b.iter(|| resource::validate(registry, rt, black_box(&parsed), Mode::Create));
    });
    group.bench_function("parse_json_and_validate", |b| {
        b.iter(|| {
            let parsed = resource::parse_json(black_box(&body), &limits)?;
            resource::validate(registry, rt, &parsed, Mode::Create)
        });
    });
    group.finish();
}

criterion_group!(benches, group);
criterion_main!(benches);
