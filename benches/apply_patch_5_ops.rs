//! A five-operation PATCH (RFC 7644 §3.5.2) on a stored 1.5 KB User: replace
//! `active`, replace a filtered email's value, add a phone number, remove
//! `title`, replace `name.givenName`; reading and applying, together and apart.

// criterion_group! defines an undocumented public function.
#![allow(missing_docs)]

#[allow(dead_code)] // each bench uses some of the workloads
mod workloads;

use criterion::{criterion_group, criterion_main, Criterion};
use scim::patch::{self, PatchRequest};
use scim::schema::Registry;
use std::hint::black_box;
use workloads::{patch_body, patch_request, resource_type, user_stored};

fn patch_user(c: &mut Criterion) {
    let registry = Registry::shared();
    let rt = resource_type("User");
    let stored = user_stored();
    let body = patch_body();
    let request = patch_request();
    let outcome = patch::apply(registry, rt, &stored, &request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.changed_attributes.len(), 5, "{outcome:?}");

    let mut group = c.benchmark_group("patch_5_ops");
    group.bench_function("from_json_and_apply", |b| {
        b.iter(|| {
            let request = PatchRequest::from_json(black_box(&body))?;
            patch::apply(registry, rt, &stored, &request)
        });
    });
    group.bench_function("from_json", |b| {
        b.iter(|| PatchRequest::from_json(black_box(&body)));
    });
    group.bench_function("apply", |b| {
        b.iter(|| patch::apply(registry, rt, black_box(&stored), &request));
    });
    group.finish();
}

criterion_group!(benches, patch_user);
criterion_main!(benches);
