//! A typical 1.5 KB User as an identity provider creates it: read, validated
//! (RFC 7644 §3.3) and mapped to Drupal account fields, together and step by
//! step. Target: well under 10 µs in all.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use scim::mapping::Mapping;
use scim::resource::{self, Limits, Mode, Options};
use scim::schema::Registry;
use std::hint::black_box;
use workloads::{resource_type, user_canonical, user_parsed, USER_BODY};

fn user(c: &mut Criterion) {
    let registry = Registry::shared();
    let rt = resource_type("User");
    let limits = Limits::default();
    let mapping = Mapping::drupal_default();
    let parsed = user_parsed();
    let canonical = user_canonical();
    assert!(
        mapping.to_account(&canonical).is_ok_and(|f| !f.is_empty()),
        "the user maps to no account field"
    );

    let mut group = c.benchmark_group("user_1.5k");
    group.bench_function("parse_validate_map", |b| {
        b.iter(|| {
            let parsed = resource::parse_json(black_box(USER_BODY), &limits)?;
            let canonical = resource::validate(registry, rt, &parsed, Mode::Create)?;
            mapping.to_account(&canonical)
        });
    });
    group.bench_function("validate_json_map", |b| {
        b.iter(|| {
            let canonical = resource::validate_json(
                black_box(USER_BODY),
                &limits,
                registry,
                rt,
                Mode::Create,
                &Options::strict(),
            )?;
            mapping.to_account(&canonical)
        });
    });
    group.bench_function("validate_json", |b| {
        b.iter(|| {
            resource::validate_json(
                black_box(USER_BODY),
                &limits,
                registry,
                rt,
                Mode::Create,
                &Options::strict(),
            )
        });
    });
    group.bench_function("parse_json", |b| {
        b.iter(|| resource::parse_json(black_box(USER_BODY), &limits));
    });
    group.bench_function("validate_create", |b| {
        b.iter(|| resource::validate(registry, rt, black_box(&parsed), Mode::Create));
    });
    group.bench_function("to_account", |b| {
        b.iter(|| mapping.to_account(black_box(&canonical)));
    });
    group.finish();
}

criterion_group!(benches, user);
criterion_main!(benches);
